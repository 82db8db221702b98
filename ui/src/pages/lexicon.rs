//! Lexicon: the domain words and slang (顿挫, 拨箱, 异响…) and the codes each points to.
//! A searchable table on the left, an editor for the chosen (or a new) term on the right,
//! and import/export by path or native dialog.
//!
//! Every change goes to the engine at once; a refusal (unknown code, duplicate term) is shown
//! as the engine words it and changes nothing.

use crate::api;
use crate::components::PathField;
use crate::i18n::{Lang, PolarityName, Words};
use crate::store::use_store;
use crate::wire::{CodeChoice, LexiconView};
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::{ErrorInfo, LexiconTerm, Polarity};

/// This screen's words.
#[derive(Debug, Clone, Copy)]
enum W {
    Title,
    Loading,
    Search,
    Term,
    Variants,
    VariantsHint,
    Gloss,
    Codes,
    CodesHint,
    Polarity,
    NoPolarity,
    New,
    Save,
    Add,
    Delete,
    EditTitle,
    NewTitle,
    NotDone,
    Saved,
    Deleted,
    Imported,
    Exported,
    ImportTitle,
    ExportTitle,
    ImportPath,
    ExportPath,
    PathPlaceholder,
    ExportPlaceholder,
    Import,
    Export,
    NoMatch,
    UnknownCode,
}

impl Words for W {
    fn texts(self) -> (&'static str, &'static str) {
        use W::*;
        match self {
            Title => ("词库", "Lexicon"),
            Loading => ("正在读取词库…", "Reading the lexicon…"),
            Search => ("搜索词条、变体、英文释义或编码", "Search terms, variants, glosses or codes"),
            Term => ("词条", "Term"),
            Variants => ("变体", "Variants"),
            VariantsHint => ("用逗号或顿号分隔", "Separate with commas"),
            Gloss => ("英文释义", "English gloss"),
            Codes => ("对应编码", "Codes"),
            CodesHint => ("简码，用空格或逗号分隔", "Short codes, separated by spaces or commas"),
            Polarity => ("默认极性", "Default polarity"),
            NoPolarity => ("无", "None"),
            New => ("新建词条", "New term"),
            Save => ("保存修改", "Save changes"),
            Add => ("添加词条", "Add term"),
            Delete => ("删除词条", "Delete term"),
            EditTitle => ("编辑词条", "Edit term"),
            NewTitle => ("新词条", "New term"),
            NotDone => ("操作未执行：", "Not done:"),
            Saved => ("已保存", "Saved"),
            Deleted => ("已删除", "Deleted"),
            Imported => ("已导入词库", "Lexicon imported"),
            Exported => ("已导出到", "Exported to"),
            ImportTitle => ("导入词库（替换现有词库）", "Import a lexicon (replaces the current one)"),
            ExportTitle => ("导出词库", "Export the lexicon"),
            ImportPath => ("CSV、XLSX 或 TOML 文件", "CSV, XLSX or TOML file"),
            ExportPath => ("保存到（扩展名决定格式）", "Save to (the extension picks the format)"),
            PathPlaceholder => ("/path/to/lexicon.xlsx", "/path/to/lexicon.xlsx"),
            ExportPlaceholder => ("/path/to/lexicon.csv", "/path/to/lexicon.csv"),
            Import => ("导入", "Import"),
            Export => ("导出", "Export"),
            NoMatch => ("没有匹配的词条", "No term matches"),
            UnknownCode => ("未知编码", "unknown code"),
        }
    }
}

/// The editor's fields, as typed.
#[derive(Debug, Clone, Copy)]
struct Draft {
    term: RwSignal<String>,
    variants: RwSignal<String>,
    gloss: RwSignal<String>,
    codes: RwSignal<String>,
    polarity: RwSignal<Option<Polarity>>,
}

impl Draft {
    fn fill(&self, t: &LexiconTerm) {
        self.term.set(t.term.clone());
        self.variants.set(t.variants.join("，"));
        self.gloss.set(t.gloss_en.clone());
        self.codes.set(t.codes.join(" "));
        self.polarity.set(t.polarity);
    }

    fn clear(&self) {
        self.fill(&LexiconTerm::default());
    }

    fn to_term(self) -> LexiconTerm {
        LexiconTerm {
            term: self.term.get_untracked(),
            variants: split_list(&self.variants.get_untracked()),
            gloss_en: self.gloss.get_untracked(),
            codes: split_list(&self.codes.get_untracked()),
            polarity: self.polarity.get_untracked(),
        }
    }
}

/// Splits what was typed on ASCII/full-width commas, 、, ; and whitespace.
fn split_list(s: &str) -> Vec<String> {
    s.split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `t` matches the search `q` (already lower-cased): any field contains it.
fn matches(t: &LexiconTerm, q: &str) -> bool {
    q.is_empty()
        || t.term.to_lowercase().contains(q)
        || t.variants.iter().any(|v| v.to_lowercase().contains(q))
        || t.gloss_en.to_lowercase().contains(q)
        || t.codes.iter().any(|c| c.to_lowercase().contains(q))
}

#[derive(Clone, Copy)]
struct LexiconState {
    view: RwSignal<Option<LexiconView>>,
    query: RwSignal<String>,
    /// The term being edited; `None`: a new term.
    selected: RwSignal<Option<String>>,
    draft: Draft,
    problem: RwSignal<Option<ErrorInfo>>,
    /// The last thing that worked, e.g. "Saved", with what it worked on.
    done: RwSignal<Option<(W, String)>>,
}

impl LexiconState {
    fn select(&self, term: Option<String>) {
        let found = term.as_ref().and_then(|name| {
            self.view.with_untracked(|v| v.as_ref().and_then(|v| v.terms.iter().find(|t| &t.term == name).cloned()))
        });
        match found {
            Some(t) => self.draft.fill(&t),
            None => self.draft.clear(),
        }
        self.selected.set(term);
        self.problem.set(None);
    }

    /// Runs a change; on success shows the new lexicon and selects `then`.
    fn change(&self, done: W, then: Option<String>, work: impl std::future::Future<Output = api::ApiResult<LexiconView>> + 'static) {
        let me = *self;
        spawn_local(async move {
            match work.await {
                Ok(v) => {
                    me.view.set(Some(v));
                    me.select(then);
                    me.done.set(Some((done, String::new())));
                }
                Err(e) => {
                    me.done.set(None);
                    me.problem.set(Some(e));
                }
            }
        });
    }
}

#[component]
pub fn LexiconPage() -> impl IntoView {
    let store = use_store();
    let st = LexiconState {
        view: RwSignal::new(None),
        query: RwSignal::new(String::new()),
        selected: RwSignal::new(None),
        draft: Draft {
            term: RwSignal::new(String::new()),
            variants: RwSignal::new(String::new()),
            gloss: RwSignal::new(String::new()),
            codes: RwSignal::new(String::new()),
            polarity: RwSignal::new(None),
        },
        problem: RwSignal::new(None),
        done: RwSignal::new(None),
    };
    spawn_local(async move {
        match api::lexicon_view().await {
            Ok(v) => st.view.set(Some(v)),
            Err(e) => store.error.set(Some(e)),
        }
    });

    view! {
        <div class="page lexicon-page" id="page-lexicon">
            <div class="page-head">
                <div>
                    <h1>{move || store.tr(W::Title)}</h1>
                    <p class="hint" id="lexicon-summary">{move || summary(st, store.lang.get())}</p>
                </div>
            </div>
            {move || st.view.with(Option::is_none).then(|| view! { <p class="loading">{move || store.tr(W::Loading)}</p> })}
            {move || st.problem.get().map(|e| view! {
                <div class="banner error" id="lexicon-error" role="alert">
                    <strong>{move || store.tr(W::NotDone)}</strong>
                    <p class="message">{e.message}</p>
                </div>
            })}
            {move || st.done.get().map(|(w, what)| view! { <p class="done" id="lexicon-done" role="status">{move || store.tr(w)}{(!what.is_empty()).then(|| format!(" {what}"))}</p> })}
            <div class="lexicon-columns">
                <section class="card lexicon-table-card">
                    <TermTable st=st/>
                </section>
                <section class="card lexicon-editor-card">
                    <Editor st=st/>
                </section>
            </div>
            <Transfer st=st/>
        </div>
    }
}

fn summary(st: LexiconState, lang: Lang) -> String {
    st.view.with(|v| {
        let Some(v) = v else { return String::new() };
        let q = st.query.with(|q| q.trim().to_lowercase());
        let shown = v.terms.iter().filter(|t| matches(t, &q)).count();
        let variants: usize = v.terms.iter().map(|t| t.variants.len()).sum();
        match (lang, q.is_empty()) {
            (Lang::Zh, true) => format!("共 {} 个词条，{variants} 个变体", v.terms.len()),
            (Lang::Zh, false) => format!("共 {} 个词条，匹配 {shown} 个", v.terms.len()),
            (Lang::En, true) => format!("{} terms, {variants} variants", v.terms.len()),
            (Lang::En, false) => format!("{} terms, {shown} match", v.terms.len()),
        }
    })
}

#[component]
fn TermTable(st: LexiconState) -> impl IntoView {
    let store = use_store();
    let rows = Memo::new(move |_| {
        let q = st.query.with(|q| q.trim().to_lowercase());
        st.view.with(|v| v.as_ref().map(|v| v.terms.iter().filter(|t| matches(t, &q)).cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    // Arrow keys move through the rows; the focused row is the one being edited.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let list = rows.get_untracked();
        if list.is_empty() {
            return;
        }
        let pos = st.selected.with_untracked(|s| s.as_ref().and_then(|s| list.iter().position(|t| &t.term == s)));
        let next = match ev.key().as_str() {
            "ArrowDown" => pos.map(|p| (p + 1).min(list.len() - 1)).unwrap_or(0),
            "ArrowUp" => pos.map(|p| p.saturating_sub(1)).unwrap_or(0),
            _ => return,
        };
        ev.prevent_default();
        let term = list[next].term.clone();
        st.select(Some(term.clone()));
        focus_row(&term);
    };
    view! {
        <input
            type="text"
            id="lexicon-search"
            class="lexicon-search"
            placeholder=move || store.tr(W::Search)
            aria-label=move || store.tr(W::Search)
            prop:value=move || st.query.get()
            on:input=move |ev| st.query.set(event_target_value(&ev))
        />
        <div class="lexicon-scroll" on:keydown=on_key>
            <table class="lexicon-table" id="lexicon-table">
                <thead>
                    <tr>
                        <th>{move || store.tr(W::Term)}</th>
                        <th>{move || store.tr(W::Variants)}</th>
                        <th>{move || store.tr(W::Codes)}</th>
                        <th>{move || store.tr(W::Polarity)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|t| format!("{t:?}") children=move |t: LexiconTerm| {
                        let name = t.term.clone();
                        let chosen = {
                            let name = name.clone();
                            Signal::derive(move || st.selected.with(|s| s.as_deref() == Some(name.as_str())))
                        };
                        let pick = name.clone();
                        view! {
                            <tr class:selected=move || chosen.get()>
                                <td>
                                    <button
                                        type="button"
                                        class="term-link"
                                        data-term=name.clone()
                                        aria-pressed=move || chosen.get().to_string()
                                        on:click=move |_| st.select(Some(pick.clone()))
                                    >
                                        {name.clone()}
                                    </button>
                                    {(!t.gloss_en.is_empty()).then(|| view! { <span class="gloss">{t.gloss_en.clone()}</span> })}
                                </td>
                                <td class="variants">{t.variants.join("、")}</td>
                                <td class="mono codes">{t.codes.iter().map(|c| view! { <span>{c.clone()}</span> }).collect_view()}</td>
                                <td>{t.polarity.map(|p| view! { <span class=format!("pol pol-{}", p.as_str())>{move || store.tr(PolarityName(p))}</span> })}</td>
                            </tr>
                        }
                    } />
                </tbody>
            </table>
            {move || (st.view.with(Option::is_some) && rows.with(Vec::is_empty)).then(|| view! {
                <p class="hint" id="lexicon-empty">{move || store.tr(W::NoMatch)}</p>
            })}
        </div>
    }
}

fn focus_row(term: &str) {
    let selector = format!("button.term-link[data-term=\"{}\"]", term.replace('\\', "\\\\").replace('"', "\\\""));
    request_animation_frame(move || {
        if let Some(el) = document().query_selector(&selector).ok().flatten() {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
                el.scroll_into_view_with_bool(false);
            }
        }
    });
}

#[component]
fn Editor(st: LexiconState) -> impl IntoView {
    let store = use_store();
    let d = st.draft;
    let codes: Memo<Vec<CodeChoice>> = Memo::new(move |_| st.view.with(|v| v.as_ref().map(|v| v.codes.clone()).unwrap_or_default()));
    // What the typed short codes resolve to, so a typo shows before saving.
    let resolved = move || {
        let typed = split_list(&d.codes.get());
        codes.with(|all| {
            typed
                .into_iter()
                .map(|c| {
                    let hit = all.iter().find(|x| x.short_code == c);
                    (c, hit.map(|x| x.path_zh.clone()))
                })
                .collect::<Vec<_>>()
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let term = d.to_term();
        let name = term.term.trim().to_string();
        let replacing = st.selected.get_untracked();
        st.change(W::Saved, Some(name), async move { api::lexicon_put(replacing.as_deref(), &term).await });
    };
    let delete = move |_| {
        if let Some(name) = st.selected.get_untracked() {
            st.change(W::Deleted, None, async move { api::lexicon_delete(&name).await });
        }
    };
    let is_new = move || st.selected.with(Option::is_none);
    view! {
        <div class="section-head">
            <h2 id="lexicon-editor-title">{move || store.tr(if is_new() { W::NewTitle } else { W::EditTitle })}</h2>
            <button type="button" class="secondary" id="lexicon-new" on:click=move |_| {
                st.select(None);
                st.done.set(None);
                focus_id("lexicon-term");
            }>{move || store.tr(W::New)}</button>
        </div>
        <form class="lexicon-form" on:submit=save>
            <label class="field" for="lexicon-term">{move || store.tr(W::Term)}</label>
            <input type="text" id="lexicon-term" autocomplete="off" prop:value=move || d.term.get() on:input=move |ev| d.term.set(event_target_value(&ev))/>
            <label class="field" for="lexicon-variants">{move || store.tr(W::Variants)}</label>
            <input type="text" id="lexicon-variants" autocomplete="off" placeholder=move || store.tr(W::VariantsHint) prop:value=move || d.variants.get() on:input=move |ev| d.variants.set(event_target_value(&ev))/>
            <label class="field" for="lexicon-gloss">{move || store.tr(W::Gloss)}</label>
            <input type="text" id="lexicon-gloss" autocomplete="off" prop:value=move || d.gloss.get() on:input=move |ev| d.gloss.set(event_target_value(&ev))/>
            <label class="field" for="lexicon-codes">{move || store.tr(W::Codes)}</label>
            <input type="text" id="lexicon-codes" class="mono" autocomplete="off" spellcheck="false" list="lexicon-code-list" placeholder=move || store.tr(W::CodesHint) prop:value=move || d.codes.get() on:input=move |ev| d.codes.set(event_target_value(&ev))/>
            <datalist id="lexicon-code-list">
                {move || codes.get().into_iter().map(|c| view! { <option value=c.short_code.clone()>{c.path_zh.clone()}</option> }).collect_view()}
            </datalist>
            <ul class="code-names" id="lexicon-code-names">
                {move || resolved().into_iter().map(|(code, path)| match path {
                    Some(p) => view! { <li><span class="mono">{code}</span>" "{p}</li> }.into_any(),
                    None => view! { <li class="unknown"><span class="mono">{code}</span>" "{move || store.tr(W::UnknownCode)}</li> }.into_any(),
                }).collect_view()}
            </ul>
            <label class="field" for="lexicon-polarity">{move || store.tr(W::Polarity)}</label>
            <select id="lexicon-polarity" on:change=move |ev| d.polarity.set(event_target_value(&ev).parse::<Polarity>().ok())>
                <option value="" selected=move || d.polarity.get().is_none()>{move || store.tr(W::NoPolarity)}</option>
                {Polarity::ALL.into_iter().map(|p| view! {
                    <option value=p.as_str() selected=move || d.polarity.get() == Some(p)>{move || store.tr(PolarityName(p))}</option>
                }).collect_view()}
            </select>
            <div class="actions">
                <button type="submit" class="primary" id="lexicon-save">{move || store.tr(if is_new() { W::Add } else { W::Save })}</button>
                <button type="button" class="secondary danger" id="lexicon-delete" disabled=is_new on:click=delete>{move || store.tr(W::Delete)}</button>
            </div>
        </form>
    }
}

fn focus_id(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// Import (replaces the lexicon) and export, each by a typed path or a native dialog.
#[component]
fn Transfer(st: LexiconState) -> impl IntoView {
    let store = use_store();
    let import_path = RwSignal::new(String::new());
    let export_path = RwSignal::new(String::new());
    let run_import = move |_| {
        let path = import_path.get_untracked();
        st.change(W::Imported, None, async move { api::lexicon_import(&path).await });
    };
    let run_export = move |_| {
        let path = export_path.get_untracked();
        spawn_local(async move {
            match api::lexicon_export(&path).await {
                Ok(written) => {
                    st.problem.set(None);
                    st.done.set(Some((W::Exported, written)));
                }
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    let browse_import = move |()| {
        let title = store.tr_now(W::ImportTitle);
        spawn_local(async move {
            match api::pick_lexicon_file(title).await {
                Ok(Some(p)) => import_path.set(p),
                Ok(None) => {}
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    let browse_export = move |()| {
        let title = store.tr_now(W::ExportTitle);
        spawn_local(async move {
            match api::pick_save_file(title, "lexicon.xlsx").await {
                Ok(Some(p)) => export_path.set(p),
                Ok(None) => {}
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    view! {
        <div class="lexicon-transfer">
            <section class="card">
                <h2>{move || store.tr(W::ImportTitle)}</h2>
                <PathField id="lexicon-import-path" label=W::ImportPath placeholder=W::PathPlaceholder value=import_path on_browse=Callback::new(browse_import)>
                    <button type="button" class="primary" id="lexicon-import-run" disabled=move || import_path.with(|p| p.trim().is_empty()) on:click=run_import>{move || store.tr(W::Import)}</button>
                </PathField>
            </section>
            <section class="card">
                <h2>{move || store.tr(W::ExportTitle)}</h2>
                <PathField id="lexicon-export-path" label=W::ExportPath placeholder=W::ExportPlaceholder value=export_path on_browse=Callback::new(browse_export)>
                    <button type="button" class="primary" id="lexicon-export-run" disabled=move || export_path.with(|p| p.trim().is_empty()) on:click=run_export>{move || store.tr(W::Export)}</button>
                </PathField>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lists_split_on_any_comma_and_space() {
        assert_eq!(split_list("一顿一顿， 顿一下、卡顿,抖"), ["一顿一顿", "顿一下", "卡顿", "抖"]);
        assert_eq!(split_list("  PX.DRV  PX.QLT ; "), ["PX.DRV", "PX.QLT"]);
        assert!(split_list("  ").is_empty());
    }

    #[test]
    fn search_looks_at_every_field() {
        let t = LexiconTerm {
            term: "拨箱".into(),
            variants: vec!["换挡杆".into()],
            gloss_en: "Gear lever".into(),
            codes: vec!["PX.DRV.SHIFT".into()],
            polarity: None,
        };
        for q in ["拨箱", "换挡", "gear", "drv.shift", ""] {
            assert!(matches(&t, q), "{q}");
        }
        assert!(!matches(&t, "异响"));
    }
}
