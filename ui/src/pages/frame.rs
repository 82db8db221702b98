//! Code frame: the draft as a tree (journey › touchpoint › topic) with search, a detail panel
//! to edit a code, the frame operations (add child, rename, move, merge, split, retire),
//! publishing, the versions list with diffs, and label migration.
//!
//! Every operation goes to the engine at once; a refusal is shown inline as the engine words it.
//!
//! **Limitations:** the screen's own words live in [`w`] (both languages side by side) rather
//! than in `i18n.rs`, which another screen's author is still editing.

use crate::api;
use crate::wire::FrameView;
use vocwb_types::frame::{Code, CodeStatus, Frame, FrameOp, MigrationReport, OpRecord, VersionInfo};
use crate::i18n::Lang;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;
use vocwb_types::{ErrorInfo, NeedLayer};

/// This screen's words: Chinese, English.
fn w(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy {
    let store = use_store();
    move || if store.lang.get() == Lang::Zh { zh } else { en }
}

/// The author of frame edits until coders have a profile.
const DEFAULT_AUTHOR: &str = "researcher";

#[derive(Clone, Copy)]
struct FrameState {
    view: RwSignal<Option<FrameView>>,
    selected: RwSignal<Option<String>>,
    expanded: RwSignal<HashSet<String>>,
    query: RwSignal<String>,
    /// The last refusal of an operation, shown next to the actions.
    problem: RwSignal<Option<ErrorInfo>>,
    author: RwSignal<String>,
    versions: RwSignal<Vec<VersionInfo>>,
}

impl FrameState {
    fn frame(&self) -> Frame {
        self.view.with(|v| v.as_ref().map(|v| v.frame.clone()).unwrap_or_default())
    }

    fn apply(&self, op: FrameOp, select: Option<String>) {
        let me = *self;
        let author = self.author.get_untracked();
        spawn_local(async move {
            match api::frame_edit(&op, &author).await {
                Ok(v) => {
                    me.problem.set(None);
                    // The new draft first: the detail panel reads it when the selection changes.
                    let frame = v.frame.clone();
                    me.view.set(Some(v));
                    if let Some(id) = select {
                        me.reveal(&frame, &id);
                        me.selected.set(Some(id));
                    }
                }
                Err(e) => me.problem.set(Some(e)),
            }
        });
    }

    /// Expands every ancestor of `id` so it shows in the tree.
    fn reveal(&self, frame: &Frame, id: &str) {
        let mut at = frame.get(id).and_then(|c| c.parent.clone());
        self.expanded.update(|set| {
            while let Some(p) = at {
                at = frame.get(&p).and_then(|c| c.parent.clone());
                set.insert(p);
            }
        });
    }

    fn reload_versions(&self) {
        let me = *self;
        spawn_local(async move {
            match api::frame_versions().await {
                Ok(v) => me.versions.set(v),
                Err(e) => me.problem.set(Some(e)),
            }
        });
    }
}

/// A row of the tree as shown: the code and its depth.
#[derive(Clone, PartialEq)]
struct Row {
    code: Code,
    depth: usize,
    has_children: bool,
    open: bool,
}

fn depth_of(frame: &Frame, code: &Code) -> usize {
    let mut d = 0;
    let mut at = code.parent.as_deref();
    while let Some(p) = at {
        d += 1;
        if d > frame.codes.len() {
            break;
        }
        at = frame.get(p).and_then(|c| c.parent.as_deref());
    }
    d
}

fn matches(code: &Code, q: &str) -> bool {
    let q = q.to_lowercase();
    code.name_zh.contains(&q) || code.name_en.to_lowercase().contains(&q) || code.short_code.to_lowercase().contains(&q)
}

/// The visible rows: the expanded tree, or with a query every match (flat, with its depth).
fn visible_rows(frame: &Frame, expanded: &HashSet<String>, query: &str) -> Vec<Row> {
    let parents: HashSet<&str> = frame.codes.iter().filter_map(|c| c.parent.as_deref()).collect();
    let q = query.trim();
    frame
        .codes
        .iter()
        .filter(|c| {
            if !q.is_empty() {
                return matches(c, q);
            }
            let mut at = c.parent.as_deref();
            let mut n = 0;
            while let Some(p) = at {
                if !expanded.contains(p) {
                    return false;
                }
                n += 1;
                if n > frame.codes.len() {
                    return false;
                }
                at = frame.get(p).and_then(|c| c.parent.as_deref());
            }
            true
        })
        .map(|c| Row {
            depth: depth_of(frame, c),
            has_children: parents.contains(c.id.as_str()),
            open: expanded.contains(&c.id),
            code: c.clone(),
        })
        .collect()
}

#[component]
pub fn FramePage() -> impl IntoView {
    let store = use_store();
    let st = FrameState {
        view: RwSignal::new(None),
        selected: RwSignal::new(None),
        expanded: RwSignal::new(HashSet::new()),
        query: RwSignal::new(String::new()),
        problem: RwSignal::new(None),
        author: RwSignal::new(DEFAULT_AUTHOR.to_string()),
        versions: RwSignal::new(Vec::new()),
    };
    spawn_local(async move {
        match api::frame_draft().await {
            Ok(v) => st.view.set(Some(v)),
            Err(e) => store.error.set(Some(e)),
        }
    });
    st.reload_versions();

    let title = w("编码框架", "Code frame");
    let loading = w("正在读取编码框架…", "Reading the code frame…");
    view! {
        <div class="page frame-page" id="page-frame">
            <div class="page-head">
                <div>
                    <h1>{title}</h1>
                    <p class="hint" id="frame-summary">{move || st.view.with(|v| v.as_ref().map(|v| {
                        let active = v.frame.codes.iter().filter(|c| !c.is_retired()).count();
                        let latest = v.latest.map(|n| format!("v{n}")).unwrap_or_else(|| "—".into());
                        if store.lang.get() == Lang::Zh {
                            format!("草稿：{active} 个有效编码（共 {}），最新发布版本 {latest}", v.frame.codes.len())
                        } else {
                            format!("Draft: {active} active codes ({} in all); latest published version {latest}", v.frame.codes.len())
                        }
                    }))}</p>
                </div>
            </div>
            {move || st.view.with(|v| v.is_none()).then(|| view! { <p class="loading">{loading}</p> })}
            <Problems st=st/>
            <div class="frame-columns">
                <section class="card frame-tree-card">
                    <Tree st=st/>
                </section>
                <section class="card frame-detail-card">
                    <Detail st=st/>
                </section>
            </div>
            <Publish st=st/>
            <Versions st=st/>
        </div>
    }
}

/// The frame's validation problems and the last refused operation.
#[component]
fn Problems(st: FrameState) -> impl IntoView {
    let refused = w("操作未执行：", "Not done:");
    let invalid = w("编码框架的问题：", "Problems in the frame:");
    view! {
        {move || st.problem.get().map(|e| view! {
            <div class="banner error" id="frame-error" role="alert">
                <strong>{refused}</strong>
                <p class="message">{e.message}</p>
            </div>
        })}
        {move || {
            let problems = st.view.with(|v| v.as_ref().map(|v| v.problems.clone()).unwrap_or_default());
            (!problems.is_empty()).then(|| view! {
                <div class="banner notice" id="frame-problems">
                    <strong>{invalid}</strong>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                </div>
            })
        }}
    }
}

#[component]
fn Tree(st: FrameState) -> impl IntoView {
    let rows = Memo::new(move |_| {
        let frame = st.frame();
        st.expanded.with(|e| st.query.with(|q| visible_rows(&frame, e, q)))
    });
    let placeholder = w("搜索：中文名、英文名或简码", "Search: Chinese, English name or short code");
    let tree_label = w("编码树", "Code tree");
    let expand_all = w("全部展开", "Expand all");
    let collapse_all = w("全部折叠", "Collapse all");
    let select = move |id: String| {
        st.selected.set(Some(id.clone()));
        // Keep the selected row in view and focused for the keyboard.
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&format!("code-{id}")) {
                el.scroll_into_view_with_bool(false);
            }
        });
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let list = rows.get_untracked();
        if list.is_empty() {
            return;
        }
        let cur = st.selected.get_untracked();
        let pos = cur.as_ref().and_then(|id| list.iter().position(|r| &r.code.id == id));
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                let next = pos.map(|p| (p + 1).min(list.len() - 1)).unwrap_or(0);
                select(list[next].code.id.clone());
            }
            "ArrowUp" => {
                ev.prevent_default();
                let next = pos.map(|p| p.saturating_sub(1)).unwrap_or(0);
                select(list[next].code.id.clone());
            }
            "Home" => {
                ev.prevent_default();
                select(list[0].code.id.clone());
            }
            "End" => {
                ev.prevent_default();
                select(list[list.len() - 1].code.id.clone());
            }
            "ArrowRight" => {
                ev.prevent_default();
                if let Some(r) = pos.map(|p| &list[p]) {
                    if r.has_children && !r.open {
                        st.expanded.update(|e| {
                            e.insert(r.code.id.clone());
                        });
                    } else if r.has_children {
                        if let Some(next) = list.get(pos.unwrap_or(0) + 1) {
                            select(next.code.id.clone());
                        }
                    }
                }
            }
            "ArrowLeft" => {
                ev.prevent_default();
                if let Some(r) = pos.map(|p| &list[p]) {
                    if r.open {
                        st.expanded.update(|e| {
                            e.remove(&r.code.id);
                        });
                    } else if let Some(p) = r.code.parent.clone() {
                        select(p);
                    }
                }
            }
            "Enter" | " " => {
                ev.prevent_default();
                if let Some(r) = pos.map(|p| &list[p]) {
                    let id = r.code.id.clone();
                    st.expanded.update(|e| {
                        if !e.remove(&id) {
                            e.insert(id);
                        }
                    });
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="tree-tools">
            <input
                type="text"
                id="frame-search"
                placeholder=placeholder
                aria-label=placeholder
                prop:value=move || st.query.get()
                on:input=move |ev| st.query.set(event_target_value(&ev))
            />
            <button type="button" class="secondary" id="expand-all" on:click=move |_| {
                let all = st.frame().codes.iter().map(|c| c.id.clone()).collect();
                st.expanded.set(all);
            }>{expand_all}</button>
            <button type="button" class="secondary" id="collapse-all" on:click=move |_| st.expanded.set(HashSet::new())>
                {collapse_all}
            </button>
        </div>
        <ul class="code-tree" id="code-tree" role="tree" tabindex="0" aria-label=tree_label on:keydown=on_key>
            <For each=move || rows.get() key=|r| (r.code.id.clone(), r.open, r.has_children, r.code.name_zh.clone(), r.code.name_en.clone(), r.code.short_code.clone(), r.code.status, r.depth) children=move |r: Row| {
                let id = r.code.id.clone();
                let id_sel = id.clone();
                let id_click = id.clone();
                let id_toggle = id.clone();
                let is_sel = move || st.selected.with(|s| s.as_deref() == Some(id_sel.as_str()));
                let toggle = move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    let id = id_toggle.clone();
                    st.expanded.update(|e| {
                        if !e.remove(&id) {
                            e.insert(id);
                        }
                    });
                };
                let marker = if !r.has_children { "·" } else if r.open { "▾" } else { "▸" };
                view! {
                    <li
                        id=format!("code-{id}")
                        role="treeitem"
                        class="tree-row"
                        class:selected=is_sel.clone()
                        class:retired=r.code.is_retired()
                        aria-selected=move || if is_sel() { "true" } else { "false" }
                        aria-expanded=r.has_children.then_some(if r.open { "true" } else { "false" })
                        attr:aria-level=(r.depth + 1).to_string()
                        style:padding-left=format!("{}px", 8 + r.depth * 18)
                        on:click=move |_| st.selected.set(Some(id_click.clone()))
                    >
                        <span class="twisty" on:click=toggle>{marker}</span>
                        <span class="mono short">{r.code.short_code.clone()}</span>
                        <span class="zh">{r.code.name_zh.clone()}</span>
                        <span class="en">{r.code.name_en.clone()}</span>
                    </li>
                }
            }/>
        </ul>
    }
}

/// Lines `SHORT 中文名 English name` → new codes under `parent`.
fn parse_split(text: &str, frame: &Frame, parent: Option<String>) -> Vec<Code> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut parts = line.splitn(3, char::is_whitespace);
            let short_code = parts.next().unwrap_or_default().to_string();
            let name_zh = parts.next().unwrap_or_default().trim().to_string();
            let name_en = parts.next().unwrap_or_default().trim().to_string();
            Code { id: frame.next_id(i), short_code, parent: parent.clone(), name_zh, name_en, status: CodeStatus::Active, ..Code::default() }
        })
        .collect()
}

fn layer_value(l: NeedLayer) -> &'static str {
    l.as_str()
}

#[component]
fn Detail(st: FrameState) -> impl IntoView {
    let none = w("在左侧选择一个编码。", "Choose a code on the left.");
    move || {
        let Some(id) = st.selected.get() else {
            return view! { <p class="hint" id="detail-empty">{none}</p> }.into_any();
        };
        let Some(code) = st.view.with_untracked(|v| v.as_ref().and_then(|v| v.frame.get(&id).cloned())) else {
            return view! { <p class="hint" id="detail-empty">{none}</p> }.into_any();
        };
        view! { <CodeDetail st=st code=code/> }.into_any()
    }
}

#[component]
fn CodeDetail(st: FrameState, code: Code) -> impl IntoView {
    let frame = st.frame();
    let path = {
        let mut names = vec![];
        let mut at = Some(code.clone());
        while let Some(c) = at {
            names.push(c.name_zh.clone());
            at = c.parent.as_deref().and_then(|p| frame.get(p).cloned());
            if names.len() > frame.codes.len() {
                break;
            }
        }
        names.reverse();
        names.join(" › ")
    };
    let name_zh = RwSignal::new(code.name_zh.clone());
    let name_en = RwSignal::new(code.name_en.clone());
    let short = RwSignal::new(code.short_code.clone());
    let def_zh = RwSignal::new(code.definition_zh.clone());
    let def_en = RwSignal::new(code.definition_en.clone());
    let include = RwSignal::new(code.include.clone());
    let exclude = RwSignal::new(code.exclude.clone());
    let examples = RwSignal::new(code.examples.join("\n"));
    let owner = RwSignal::new(code.owner.clone());
    let layer = RwSignal::new(layer_value(code.need_layer).to_string());

    let original = code.clone();
    let save = move |_| {
        let id = original.id.clone();
        let (zh, en) = (name_zh.get_untracked().trim().to_string(), name_en.get_untracked().trim().to_string());
        if zh != original.name_zh || en != original.name_en {
            st.apply(FrameOp::Rename { id: id.clone(), name_zh: zh.clone(), name_en: en.clone() }, Some(id.clone()));
        }
        let edited = Code {
            short_code: short.get_untracked().trim().to_string(),
            definition_zh: def_zh.get_untracked(),
            definition_en: def_en.get_untracked(),
            include: include.get_untracked(),
            exclude: exclude.get_untracked(),
            examples: examples.get_untracked().lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
            owner: owner.get_untracked().trim().to_string(),
            need_layer: layer.get_untracked().parse().unwrap_or_default(),
            name_zh: zh,
            name_en: en,
            ..original.clone()
        };
        let unchanged_fields = Code { name_zh: original.name_zh.clone(), name_en: original.name_en.clone(), ..edited.clone() };
        if unchanged_fields != original {
            st.apply(FrameOp::Edit { code: edited }, Some(id));
        }
    };

    // Add a child.
    let child_short = RwSignal::new(String::new());
    let child_zh = RwSignal::new(String::new());
    let child_en = RwSignal::new(String::new());
    let parent_id = code.id.clone();
    let add_child = move |_| {
        let frame = st.frame();
        let new = Code {
            id: frame.next_id(0),
            short_code: child_short.get_untracked().trim().to_string(),
            parent: Some(parent_id.clone()),
            name_zh: child_zh.get_untracked().trim().to_string(),
            name_en: child_en.get_untracked().trim().to_string(),
            status: CodeStatus::Active, ..Code::default()
        };
        let id = new.id.clone();
        st.expanded.update(|e| {
            e.insert(parent_id.clone());
        });
        st.apply(FrameOp::Add { code: new }, Some(id));
    };

    // Move, merge, split, retire.
    let others: Vec<(String, String)> = frame
        .codes
        .iter()
        .filter(|c| c.id != code.id && !c.is_retired())
        .map(|c| (c.id.clone(), format!("{}{} {} {}", "　".repeat(depth_of(&frame, c)), c.short_code, c.name_zh, c.name_en)))
        .collect();
    let move_to = RwSignal::new(String::new());
    let merge_into = RwSignal::new(String::new());
    let split_text = RwSignal::new(String::new());
    let id_move = code.id.clone();
    let id_merge = code.id.clone();
    let id_split = code.id.clone();
    let id_retire = code.id.clone();
    let parent_of = code.parent.clone();
    let do_move = move |_| {
        let to = move_to.get_untracked();
        let parent = if to.is_empty() { None } else { Some(to) };
        st.apply(FrameOp::Move { id: id_move.clone(), parent }, Some(id_move.clone()));
    };
    let do_merge = move |_| {
        let into = merge_into.get_untracked();
        st.apply(FrameOp::Merge { from: id_merge.clone(), into: into.clone() }, Some(into));
    };
    let do_split = move |_| {
        let into = parse_split(&split_text.get_untracked(), &st.frame(), parent_of.clone());
        let first = into.first().map(|c| c.id.clone());
        st.apply(FrameOp::Split { from: id_split.clone(), into }, first);
    };
    let do_retire = move |_| st.apply(FrameOp::Retire { id: id_retire.clone() }, Some(id_retire.clone()));

    let options = move |list: &Vec<(String, String)>| {
        list.iter().map(|(id, label)| view! { <option value=id.clone()>{label.clone()}</option> }).collect_view()
    };
    let move_options = options(&others);
    let merge_options = options(&others);
    let retired = code.is_retired();
    let text_field = |id: &'static str, label: &'static str, label_en: &'static str, sig: RwSignal<String>| {
        let label = w(label, label_en);
        view! {
            <label class="field" for=id>{label}</label>
            <input type="text" id=id prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
        }
    };
    let area_field = |id: &'static str, label: &'static str, label_en: &'static str, sig: RwSignal<String>| {
        let label = w(label, label_en);
        view! {
            <label class="field" for=id>{label}</label>
            <textarea id=id rows="2" prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))></textarea>
        }
    };
    view! {
        <div class="code-detail" id="code-detail">
            <p class="path" id="detail-path">{path}</p>
            <h2 id="detail-title">
                <span class="mono">{code.short_code.clone()}</span>" "{code.name_zh.clone()}
                {retired.then(|| view! { <span class="badge retired-badge">{w("已停用", "retired")}</span> })}
            </h2>
            <p class="hint mono">{code.id.clone()}</p>
            <div class="detail-grid">
                <div>{text_field("f-name-zh", "中文名", "Chinese name", name_zh)}</div>
                <div>{text_field("f-name-en", "英文名", "English name", name_en)}</div>
                <div>{text_field("f-short", "简码", "Short code", short)}</div>
                <div>{text_field("f-owner", "负责人", "Owner", owner)}</div>
                <div>
                    <label class="field" for="f-layer">{w("需求层次", "Need layer")}</label>
                    <select id="f-layer" prop:value=move || layer.get() on:change=move |ev| layer.set(event_target_value(&ev))>
                        <option value="basic">{w("基本型", "Basic")}</option>
                        <option value="performance">{w("期望型", "Performance")}</option>
                        <option value="delight">{w("兴奋型", "Delight")}</option>
                    </select>
                </div>
            </div>
            {area_field("f-def-zh", "定义（中文）", "Definition (Chinese)", def_zh)}
            {area_field("f-def-en", "定义（英文）", "Definition (English)", def_en)}
            <div class="detail-grid two">
                <div>{area_field("f-include", "包括", "Include", include)}</div>
                <div>{area_field("f-exclude", "不包括", "Exclude", exclude)}</div>
            </div>
            {area_field("f-examples", "示例（每行一条）", "Examples (one a line)", examples)}
            <div class="actions">
                <button type="button" class="primary" id="save-code" on:click=save>{w("保存修改", "Save changes")}</button>
            </div>

            <details class="op" id="op-add">
                <summary id="op-add-open">{w("添加子编码", "Add child")}</summary>
                <div class="op-row">
                    <input type="text" id="child-short" placeholder=w("简码", "Short code") prop:value=move || child_short.get() on:input=move |ev| child_short.set(event_target_value(&ev))/>
                    <input type="text" id="child-name-zh" placeholder=w("中文名", "Chinese name") prop:value=move || child_zh.get() on:input=move |ev| child_zh.set(event_target_value(&ev))/>
                    <input type="text" id="child-name-en" placeholder=w("英文名", "English name") prop:value=move || child_en.get() on:input=move |ev| child_en.set(event_target_value(&ev))/>
                    <button type="button" class="secondary" id="add-child" on:click=add_child>{w("添加", "Add")}</button>
                </div>
            </details>
            <details class="op" id="op-move">
                <summary id="op-move-open">{w("移动到…", "Move to…")}</summary>
                <div class="op-row">
                    <select id="move-parent" on:change=move |ev| move_to.set(event_target_value(&ev))>
                        <option value="">{w("（顶层）", "(top level)")}</option>
                        {move_options}
                    </select>
                    <button type="button" class="secondary" id="do-move" on:click=do_move>{w("移动", "Move")}</button>
                </div>
            </details>
            <details class="op" id="op-merge">
                <summary id="op-merge-open">{w("合并到…", "Merge into…")}</summary>
                <div class="op-row">
                    <select id="merge-into" on:change=move |ev| merge_into.set(event_target_value(&ev))>
                        <option value="">{w("选择编码", "Choose a code")}</option>
                        {merge_options}
                    </select>
                    <button type="button" class="secondary" id="do-merge" on:click=do_merge>{w("合并", "Merge")}</button>
                </div>
            </details>
            <details class="op" id="op-split">
                <summary id="op-split-open">{w("拆分为…", "Split into…")}</summary>
                <p class="hint">{w("每行一个新编码：简码 中文名 英文名（至少两行）", "One new code a line: short code, Chinese name, English name (two lines or more)")}</p>
                <textarea id="split-into" rows="3" prop:value=move || split_text.get() on:input=move |ev| split_text.set(event_target_value(&ev))></textarea>
                <div class="actions">
                    <button type="button" class="secondary" id="do-split" on:click=do_split>{w("拆分", "Split")}</button>
                </div>
            </details>
            <div class="actions">
                <button type="button" class="secondary danger" id="do-retire" disabled=retired on:click=do_retire>
                    {w("停用此编码", "Retire this code")}
                </button>
            </div>
        </div>
    }
}

#[component]
fn Publish(st: FrameState) -> impl IntoView {
    let changelog = RwSignal::new(String::new());
    let published = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(false);
    let report = RwSignal::new(None::<MigrationReport>);
    let publish = move |_| {
        busy.set(true);
        let author = st.author.get_untracked();
        let log = changelog.get_untracked();
        spawn_local(async move {
            let log = log.trim();
            match api::frame_publish(&author, (!log.is_empty()).then_some(log)).await {
                Ok(n) => {
                    st.problem.set(None);
                    published.set(Some(n));
                    changelog.set(String::new());
                    if let Ok(v) = api::frame_draft().await {
                        st.view.set(Some(v));
                    }
                    st.reload_versions();
                }
                Err(e) => st.problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let migrate = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::migrate_labels(None).await {
                Ok(r) => {
                    st.problem.set(None);
                    report.set(Some(r));
                }
                Err(e) => st.problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let store = use_store();
    view! {
        <section class="card" id="publish-card">
            <h2>{w("发布与迁移", "Publish and migrate")}</h2>
            <div class="import-form">
                <div>
                    <label class="field" for="publish-author">{w("发布人", "Author")}</label>
                    <input type="text" id="publish-author" prop:value=move || st.author.get() on:input=move |ev| st.author.set(event_target_value(&ev))/>
                </div>
                <div class="grow">
                    <label class="field" for="publish-changelog">{w("变更说明（可选）", "Change log (optional)")}</label>
                    <input type="text" id="publish-changelog" prop:value=move || changelog.get() on:input=move |ev| changelog.set(event_target_value(&ev))/>
                </div>
                <button type="button" class="primary" id="publish" disabled=move || busy.get() on:click=publish>{w("发布新版本", "Publish new version")}</button>
                <button type="button" class="secondary" id="migrate" disabled=move || busy.get() on:click=migrate>{w("迁移标注", "Migrate labels")}</button>
            </div>
            {move || published.get().map(|n| view! {
                <p class="banner notice" id="published">
                    {move || if store.lang.get() == Lang::Zh { "已发布版本 " } else { "Published version " }}
                    <strong id="published-version">{format!("v{n}")}</strong>
                </p>
            })}
            {move || report.get().map(|r| view! {
                <div id="migrate-report">
                    <dl class="facts">
                        <div><dt>{w("目标版本", "To version")}</dt><dd id="migrate-to">{format!("v{}", r.to_version)}</dd></div>
                        <div><dt>{w("检查的标注", "Labels examined")}</dt><dd id="migrate-labels">{r.labels}</dd></div>
                        <div><dt>{w("已迁移", "Carried")}</dt><dd id="migrate-carried">{r.carried}</dd></div>
                        <div><dt>{w("送审", "Sent to review")}</dt><dd id="migrate-review">{r.needs_review}</dd></div>
                        {r.by_operation.iter().map(|(op, n)| view! {
                            <div><dt>{op.clone()}</dt><dd id=format!("migrate-op-{op}")>{*n}</dd></div>
                        }).collect_view()}
                    </dl>
                </div>
            })}
        </section>
    }
}

#[component]
fn Versions(st: FrameState) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let diff = RwSignal::new(None::<Vec<OpRecord>>);
    let show_diff = move |_| {
        let f: i64 = from.get_untracked().parse().unwrap_or(0);
        let t: Option<i64> = to.get_untracked().parse().ok();
        spawn_local(async move {
            match api::frame_diff(f, t).await {
                Ok(ops) => {
                    st.problem.set(None);
                    diff.set(Some(ops));
                }
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    let draft = w("草稿", "draft");
    view! {
        <section class="card" id="versions-card">
            <h2>{w("版本", "Versions")}</h2>
            <table id="versions">
                <thead><tr>
                    <th scope="col">{w("版本", "Version")}</th>
                    <th scope="col">{w("发布人", "Author")}</th>
                    <th scope="col">{w("发布时间", "Published")}</th>
                    <th scope="col" class="num">{w("编码数", "Codes")}</th>
                    <th scope="col">{w("变更说明", "Change log")}</th>
                </tr></thead>
                <tbody>
                    <For each=move || st.versions.get() key=|v| v.number children=move |v: VersionInfo| view! {
                        <tr id=format!("version-{}", v.number)>
                            <td class="mono">{format!("v{}", v.number)}</td>
                            <td>{v.author.clone()}</td>
                            <td class="nowrap">{v.published_at.replace('T', " ").replace('Z', "")}</td>
                            <td class="num">{v.codes}</td>
                            <td class="changelog">{v.changelog.clone()}</td>
                        </tr>
                    }/>
                </tbody>
            </table>
            <div class="import-form diff-form">
                <div>
                    <label class="field" for="diff-from">{w("从版本", "From version")}</label>
                    <select id="diff-from" on:change=move |ev| from.set(event_target_value(&ev))>
                        <option value="0">"v0"</option>
                        {move || st.versions.get().into_iter().map(|v| view! { <option value=v.number.to_string()>{format!("v{}", v.number)}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label class="field" for="diff-to">{w("到版本", "To version")}</label>
                    <select id="diff-to" on:change=move |ev| to.set(event_target_value(&ev))>
                        <option value="">{draft}</option>
                        {move || st.versions.get().into_iter().map(|v| view! { <option value=v.number.to_string()>{format!("v{}", v.number)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" class="secondary" id="show-diff" on:click=show_diff>{w("比较", "Compare")}</button>
            </div>
            {move || diff.get().map(|ops| {
                let empty = ops.is_empty();
                view! {
                    {empty.then(|| view! { <p class="hint" id="diff-empty">{w("没有变更。", "No changes.")}</p> })}
                    <ol class="diff-list" id="diff-list">
                        {ops.into_iter().map(|r| view! {
                            <li>
                                <span class="badge op-kind">{r.op.kind()}</span>" "
                                <span>{r.description.clone()}</span>
                                <span class="hint">{format!(" — {} {}", r.author, r.version.map(|v| format!("v{v}")).unwrap_or_default())}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}
