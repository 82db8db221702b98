//! Search & review: search the project's verbatims with filter chips and facet counts per code
//! ([`search`]), and audit the model's auto-codes: draw a stratified sample, walk it with the
//! keyboard deciding each item ([`walk`]), and watch the precision report fill ([`report`]).
//!
//! The index status bar on top shows whether the search index matches the database and
//! rebuilds it on demand, with progress; searches refresh it by themselves when needed.

mod report;
mod search;
mod walk;
mod words;

use crate::api;
use crate::i18n::Lang;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use vocwb_types::review_screen::CodeChoice;
use vocwb_types::search::IndexStatus;
use vocwb_types::{ErrorInfo, ProgressEvent};
use search::SearchPanel;
use walk::ReviewPanel;
use words::W;

/// What both halves of the screen read: the frame's codes, for names everywhere.
#[derive(Clone, Copy)]
pub(super) struct Shared {
    pub codes: RwSignal<Vec<CodeChoice>>,
    /// Index work in progress (a rebuild, or a search refreshing the index).
    pub progress: RwSignal<Option<ProgressEvent>>,
    pub index: RwSignal<Option<IndexStatus>>,
}

impl Shared {
    /// `SHORT 名称` (or the English name in English, when there is one) for a code id.
    pub fn code_label(&self, id: &str, lang: Lang) -> String {
        self.codes.with(|codes| match codes.iter().find(|c| c.id == id) {
            Some(c) => format!("{} {}", c.short_code, code_name(c, lang)),
            None => id.to_string(),
        })
    }

    /// `<option>`s for every active code, indented by depth, in the current language.
    pub fn active_code_options(&self, lang: Lang) -> impl IntoView {
        self.codes
            .get()
            .into_iter()
            .filter(|c| c.active)
            .map(|c| {
                let label = format!("{}{} {}", "\u{3000}".repeat(c.depth), c.short_code, code_name(&c, lang));
                view! { <option value=c.id.clone()>{label}</option> }
            })
            .collect_view()
    }

    pub fn reload_index_status(&self) {
        let me = *self;
        spawn_local(async move {
            if let Ok(s) = api::index_status().await {
                let _ = me.index.try_set(Some(s));
            }
        });
    }
}

pub(super) fn code_name(c: &CodeChoice, lang: Lang) -> &str {
    if lang == Lang::En && !c.name_en.is_empty() {
        &c.name_en
    } else {
        &c.name_zh
    }
}

/// A share as a percentage with one decimal: `66.7%`.
pub(super) fn percent(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

thread_local! {
    /// Where index progress goes: the mounted screen's signal. The window-wide listener is
    /// registered once; each mount of the screen points it at its own signal.
    static PROGRESS_SINK: RefCell<Option<RwSignal<Option<ProgressEvent>>>> = const { RefCell::new(None) };
    static LISTENING: RefCell<bool> = const { RefCell::new(false) };
}

fn listen_for_progress(signal: RwSignal<Option<ProgressEvent>>) {
    PROGRESS_SINK.with(|s| *s.borrow_mut() = Some(signal));
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    spawn_local(async move {
        let _ = api::on_review_progress(|event| {
            if let Some(sink) = PROGRESS_SINK.with(|s| *s.borrow()) {
                let _ = sink.try_set(Some(event));
            }
        })
        .await;
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Search,
    Review,
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let store = use_store();
    let shared = Shared { codes: RwSignal::new(Vec::new()), progress: RwSignal::new(None), index: RwSignal::new(None) };
    listen_for_progress(shared.progress);
    spawn_local(async move {
        match api::review_codes().await {
            Ok(codes) => {
                let _ = shared.codes.try_set(codes);
            }
            Err(e) => store.error.set(Some(e)),
        }
    });
    shared.reload_index_status();
    let mode = RwSignal::new(Mode::Search);
    let tab = move |m: Mode, id: &'static str, label: W| {
        let on = move || mode.get() == m;
        view! {
            <button
                type="button"
                role="tab"
                id=id
                class="mode-tab"
                class:active=on
                aria-selected=move || if on() { "true" } else { "false" }
                on:click=move |_| mode.set(m)
            >
                {move || store.tr(label)}
            </button>
        }
    };
    view! {
        <section class="page review-page" id="page-review">
            <div class="page-head review-head">
                <div>
                    <h1>{move || store.tr(W::Title)}</h1>
                    <div class="mode-tabs" role="tablist" aria-label=move || store.tr(W::Title)>
                        {tab(Mode::Search, "mode-search", W::ModeSearch)}
                        {tab(Mode::Review, "mode-review", W::ModeReview)}
                    </div>
                </div>
                <IndexBar shared=shared/>
            </div>
            // Both halves stay mounted, so switching keeps what each shows.
            <div class="mode-panel" role="tabpanel" hidden=move || mode.get() != Mode::Search>
                <SearchPanel shared=shared/>
            </div>
            <div class="mode-panel" role="tabpanel" hidden=move || mode.get() != Mode::Review>
                <ReviewPanel shared=shared/>
            </div>
        </section>
    }
}

/// The index's state, a rebuild button, and the progress of index work.
#[component]
fn IndexBar(shared: Shared) -> impl IntoView {
    let store = use_store();
    let rebuilding = RwSignal::new(false);
    let problem = RwSignal::new(None::<ErrorInfo>);
    let rebuild = move |_| {
        rebuilding.set(true);
        problem.set(None);
        shared.progress.set(None);
        spawn_local(async move {
            match api::index_rebuild().await {
                Ok(_) => shared.reload_index_status(),
                Err(e) => {
                    let _ = problem.try_set(Some(e));
                }
            }
            let _ = rebuilding.try_set(false);
            let _ = shared.progress.try_set(None);
        });
    };
    let cancel = move |_| {
        spawn_local(async move {
            let _ = api::review_cancel().await;
        })
    };
    let state_text = move || {
        let lang = store.lang.get();
        shared.index.with(|s| match s {
            None => crate::i18n::t(lang, W::IndexUnknown).to_string(),
            Some(s) => {
                let state = match s.state.as_str() {
                    "fresh" => W::IndexFresh,
                    "stale" => W::IndexStale,
                    "missing" => W::IndexMissing,
                    _ => W::IndexUnusable,
                };
                format!("{} · {} / {}", crate::i18n::t(lang, state), s.documents, s.verbatims)
            }
        })
    };
    let fraction = move || {
        shared.progress.with(|p| p.as_ref().and_then(|e| e.total.filter(|t| *t > 0).map(|t| (e.done as f64 / t as f64).clamp(0.0, 1.0))))
    };
    view! {
        <div class="index-bar" id="index-bar">
            <span class="index-state" id="index-state" title=move || shared.index.with(|s| s.as_ref().and_then(|s| s.reason.clone()).unwrap_or_default())>
                <span class="index-label">{move || store.tr(W::Index)}</span>" "{state_text}
            </span>
            {move || (rebuilding.get() || shared.progress.with(Option::is_some)).then(|| view! {
                <progress id="index-progress" max="1"
                    value=move || fraction().map(|f| f.to_string()).unwrap_or_default()
                    aria-label=move || store.tr(W::Rebuilding)></progress>
            })}
            {move || rebuilding.get().then(|| view! {
                <button type="button" class="secondary" id="index-cancel" on:click=cancel>{move || store.tr(W::Cancel)}</button>
            })}
            <button type="button" class="secondary" id="index-rebuild" disabled=move || rebuilding.get() on:click=rebuild>
                {move || if rebuilding.get() { store.tr(W::Rebuilding) } else { store.tr(W::Rebuild) }}
            </button>
            {move || problem.get().map(|e| view! { <span class="inline-error" id="index-error" role="alert">{e.message}</span> })}
        </div>
    }
}
