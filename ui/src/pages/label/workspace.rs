//! Labelling one verbatim at a time, keyboard first.
//!
//! Keys go through one queue of actions run in order, so a fast typist's `3` `a` `1` `d` land
//! on the right verbatims even while the engine is still committing the previous label.
//! The next few verbatims are fetched ahead, so a label keypress shows the next verbatim at
//! once while the engine commits the label (one short transaction, in a line of commits kept
//! in key order); undo, skip and the like wait for the line to drain, and the progress counts
//! move only once a commit is done.

use super::focus_soon;
use super::words::LabelWords as W;
use crate::i18n::PolarityName;
use crate::api;
use crate::i18n::channel_name;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::VecDeque;
use vocwb_types::label::{CodeHit, CoderInfo, LabelProgress, QueueKind, QueueRequest, TermMark, VerbatimCard};
use vocwb_types::{Channel, Polarity};
use wasm_bindgen::JsCast;

/// How many verbatims to fetch ahead, and the level below which to fetch more.
const PREFETCH: usize = 8;
const PREFETCH_LOW: usize = 4;
/// Background reads wait this long after a keypress, so they do not compete with the next one.
const BACKGROUND_DELAY: std::time::Duration = std::time::Duration::from_millis(150);
/// How many number keys bind codes.
const SHORTCUT_SLOTS: usize = 9;
const SEARCH_LIMIT: usize = 12;

/// The global array the window test reads: milliseconds from a label keypress to the next
/// verbatim drawn.
const LATENCY_LOG: &str = "__vocwbLabelLatency";

/// The polarity keys, in the order shown.
const POLARITY_KEYS: [(Polarity, &str); 4] =
    [(Polarity::Pain, "A"), (Polarity::Itch, "S"), (Polarity::Delight, "D"), (Polarity::Neutral, "F")];

fn polarity_for_key(key: &str) -> Option<Polarity> {
    POLARITY_KEYS.iter().find(|(_, k)| k.eq_ignore_ascii_case(key)).map(|(p, _)| *p)
}

pub(crate) fn polarity_class(p: Option<Polarity>) -> &'static str {
    match p {
        Some(Polarity::Pain) => "pol pol-pain",
        Some(Polarity::Itch) => "pol pol-itch",
        Some(Polarity::Delight) => "pol pol-delight",
        Some(Polarity::Neutral) => "pol pol-neutral",
        None => "pol pol-none",
    }
}

/// `performance.now()`, in milliseconds.
fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    perf.and_then(|p| {
        let f = js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        f.call0(&p).ok()?.as_f64()
    })
    .unwrap_or_else(js_sys::Date::now)
}

/// Adds the time since `t0` to the latency log once the browser has drawn the change.
fn record_latency(t0: f64) {
    request_animation_frame(move || {
        let elapsed = now_ms() - t0;
        let global = js_sys::global();
        let log = match js_sys::Reflect::get(&global, &LATENCY_LOG.into()) {
            Ok(v) if v.is_object() => v,
            _ => {
                let fresh: wasm_bindgen::JsValue = js_sys::Array::new().into();
                let _ = js_sys::Reflect::set(&global, &LATENCY_LOG.into(), &fresh);
                fresh
            }
        };
        if let Ok(array) = log.dyn_into::<js_sys::Array>() {
            array.push(&elapsed.into());
        }
    });
}

/// What a keypress (or a click) asks for; run one after another. Only label keys carry the
/// keypress time: the latency log is about labelling.
#[derive(Clone)]
enum Action {
    /// A number key: the code in that slot.
    Shortcut(usize),
    Choose(CodeHit),
    /// Enter in the search box: the hit at `index` for `query` (searching first if the hits
    /// shown are for an older query).
    ChooseSearched { query: String, index: usize },
    Apply { polarity: Polarity, stay: bool, t0: f64 },
    Next,
    Skip,
    Undo,
    Redo,
    Remove(String),
    RemoveLast,
}

#[derive(Clone, Copy)]
struct Desk {
    /// Kept here because async work runs outside the component's context.
    store: crate::store::Store,
    coder: StoredValue<String>,
    queue: RwSignal<QueueRequest>,
    /// Bumped when the queue settings change, so answers for the old settings are dropped.
    queue_generation: StoredValue<u64>,
    current: RwSignal<Option<VerbatimCard>>,
    ahead: StoredValue<VecDeque<VerbatimCard>>,
    waiting: RwSignal<bool>,
    pending: RwSignal<Option<CodeHit>>,
    shortcuts: RwSignal<Vec<CodeHit>>,
    query: RwSignal<String>,
    hits: RwSignal<Vec<CodeHit>>,
    /// The query the shown hits answer.
    hits_for: RwSignal<String>,
    hit_index: RwSignal<usize>,
    progress: RwSignal<Option<LabelProgress>>,
    progress_scheduled: StoredValue<bool>,
    session_start: StoredValue<String>,
    notice: RwSignal<Option<W>>,
    actions: StoredValue<VecDeque<Action>>,
    running: StoredValue<bool>,
    refilling: StoredValue<bool>,
    /// Verbatims labelled or skipped, numbered, so a fetch that started before one of them
    /// does not bring it back.
    acted: StoredValue<Vec<(u64, i64)>>,
    action_count: StoredValue<u64>,
    /// Verbatims already shown as labelled whose label the engine is still committing: a
    /// fetch meanwhile would find them unlabelled, so they are held out of it.
    committing: StoredValue<Vec<i64>>,
    commit_line: StoredValue<VecDeque<Commit>>,
    commit_running: StoredValue<bool>,
}

/// A label on its way to the engine.
#[derive(Clone)]
struct Commit {
    coder: String,
    verbatim_id: i64,
    code: CodeHit,
    polarity: Polarity,
}

/// Resolves after `ms` milliseconds (a `setTimeout` promise).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

impl Desk {
    fn coder(&self) -> String {
        self.coder.get_value()
    }

    fn push(self, action: Action) {
        self.actions.update_value(|q| q.push_back(action));
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        spawn_local(async move {
            loop {
                let mut next = None;
                self.actions.update_value(|q| next = q.pop_front());
                let Some(action) = next else { break };
                self.run(action).await;
            }
            self.running.set_value(false);
        });
    }

    async fn run(self, action: Action) {
        let store = self.store;
        let coder = self.coder();
        let keeps_order = matches!(
            action,
            Action::Shortcut(_) | Action::Choose(_) | Action::ChooseSearched { .. } | Action::Apply { stay: false, .. }
        );
        if !keeps_order {
            self.commits_done().await;
        }
        match action {
            Action::Shortcut(slot) => {
                if let Some(hit) = self.shortcuts.with_untracked(|s| s.get(slot).cloned()) {
                    self.choose(hit);
                }
            }
            Action::Choose(hit) => self.choose(hit),
            Action::ChooseSearched { query, index } => {
                let hit = if self.hits_for.get_untracked() == query {
                    self.hits.with_untracked(|h| h.get(index).cloned())
                } else {
                    match api::label_search_codes(&query, SEARCH_LIMIT).await {
                        Ok(hits) => hits.get(index).or(hits.first()).cloned(),
                        Err(e) => {
                            store.error.set(Some(e));
                            None
                        }
                    }
                };
                if let Some(hit) = hit {
                    self.choose(hit);
                }
            }
            Action::Apply { polarity, stay, t0 } => {
                let Some(card) = self.current.get_untracked() else { return };
                let Some(code) = self.pending.get_untracked() else {
                    self.notice.set(Some(W::ChooseCodeFirst));
                    return;
                };
                if stay {
                    match api::label_apply(&coder, card.verbatim_id, &code.code_id, polarity).await {
                        Ok(labels) => {
                            store.error.set(None);
                            self.pending.set(None);
                            self.remember_shortcut(code);
                            self.current.update(|c| {
                                if let Some(c) = c {
                                    c.labels = labels;
                                }
                            });
                            self.refresh_progress();
                        }
                        Err(e) => store.error.set(Some(e)),
                    }
                    return;
                }
                // The next verbatim shows at once; the label goes to the commit line, which the
                // engine works through in order. Actions that read or change labels wait for the
                // line to drain first, so order is kept without the eye waiting for the commit.
                self.pending.set(None);
                self.remember_shortcut(code.clone());
                self.acted(card.verbatim_id);
                self.committing.update_value(|c| c.push(card.verbatim_id));
                self.advance(Some(t0)).await;
                self.commit(Commit { coder, verbatim_id: card.verbatim_id, code, polarity });
            }
            Action::Next => {
                let Some(card) = self.current.get_untracked() else { return };
                // An unlabelled verbatim would come straight back: moving on from it is a skip.
                if card.labels.is_empty() {
                    if let Err(e) = api::label_skip(&coder, card.verbatim_id).await {
                        store.error.set(Some(e));
                        return;
                    }
                }
                self.acted(card.verbatim_id);
                self.advance(None).await;
            }
            Action::Skip => {
                let Some(card) = self.current.get_untracked() else { return };
                match api::label_skip(&coder, card.verbatim_id).await {
                    Ok(()) => {
                        self.acted(card.verbatim_id);
                        self.advance(None).await;
                    }
                    Err(e) => store.error.set(Some(e)),
                }
            }
            Action::Undo | Action::Redo => {
                let undo = matches!(action, Action::Undo);
                let result = if undo { api::label_undo(&coder).await } else { api::label_redo(&coder).await };
                match result {
                    Ok(Some(verbatim)) => {
                        self.notice.set(None);
                        self.go_to(verbatim).await;
                        self.refresh_progress();
                    }
                    Ok(None) => self.notice.set(Some(if undo { W::NothingToUndo } else { W::NothingToRedo })),
                    Err(e) => store.error.set(Some(e)),
                }
            }
            Action::Remove(code_id) => self.remove(code_id).await,
            Action::RemoveLast => {
                let last = self.current.with_untracked(|c| c.as_ref().and_then(|c| c.labels.last().map(|l| l.code_id.clone())));
                if let Some(code_id) = last {
                    self.remove(code_id).await;
                }
            }
        }
    }

    /// Queues a label for the engine; one commit at a time, in the order the keys came.
    fn commit(self, commit: Commit) {
        self.commit_line.update_value(|q| q.push_back(commit));
        if self.commit_running.get_value() {
            return;
        }
        self.commit_running.set_value(true);
        spawn_local(async move {
            loop {
                let mut next = None;
                self.commit_line.update_value(|q| next = q.pop_front());
                let Some(c) = next else { break };
                let applied = api::label_apply(&c.coder, c.verbatim_id, &c.code.code_id, c.polarity).await;
                self.committing.update_value(|v| v.retain(|id| *id != c.verbatim_id));
                match applied {
                    Ok(_) => self.refresh_progress(),
                    Err(e) => {
                        // Refused: its verbatim comes back with the code still chosen.
                        self.store.error.set(Some(e));
                        self.go_to(c.verbatim_id).await;
                        self.pending.set(Some(c.code));
                    }
                }
            }
            self.commit_running.set_value(false);
        });
    }

    /// Waits until every queued label is committed.
    async fn commits_done(self) {
        while self.commit_running.get_value() {
            sleep_ms(4).await;
        }
    }

    fn choose(&self, hit: CodeHit) {
        self.notice.set(None);
        self.pending.set(Some(hit));
    }

    async fn remove(self, code_id: String) {
        let Some(id) = self.current.with_untracked(|c| c.as_ref().map(|c| c.verbatim_id)) else { return };
        match api::label_remove(&self.coder(), id, &code_id).await {
            Ok(labels) => {
                self.current.update(|c| {
                    if let Some(c) = c {
                        c.labels = labels;
                    }
                });
                self.refresh_progress();
            }
            Err(e) => self.store.error.set(Some(e)),
        }
    }

    /// Shows `verbatim` (the one an undo or redo touched), putting the current one back first
    /// in line.
    async fn go_to(self, verbatim: i64) {
        match api::label_card(&self.coder(), verbatim).await {
            Ok(card) => {
                let previous = self.current.get_untracked();
                self.ahead.update_value(|a| a.retain(|c| c.verbatim_id != verbatim));
                if let Some(prev) = previous.filter(|p| p.verbatim_id != verbatim) {
                    self.ahead.update_value(|a| a.push_front(prev));
                }
                self.acted.update_value(|a| a.retain(|(_, id)| *id != verbatim));
                self.show(card, None);
            }
            Err(e) => self.store.error.set(Some(e)),
        }
    }

    fn acted(&self, verbatim: i64) {
        let n = self.action_count.get_value() + 1;
        self.action_count.set_value(n);
        self.acted.update_value(|a| a.push((n, verbatim)));
    }

    fn show(&self, card: VerbatimCard, t0: Option<f64>) {
        let suggested = card.suggested.clone();
        self.current.set(Some(card));
        if self.query.get_untracked().trim().is_empty() {
            // Unchanged lists are left alone, so they are not redrawn.
            if self.hits.with_untracked(|h| h != &suggested) {
                self.hits.set(suggested);
            }
            if !self.hits_for.with_untracked(String::is_empty) {
                self.hits_for.set(String::new());
            }
            if self.hit_index.get_untracked() != 0 {
                self.hit_index.set(0);
            }
        }
        if let Some(t0) = t0 {
            record_latency(t0);
        }
        request_animation_frame(scroll_current_turn_into_view);
    }

    /// Shows the next verbatim in line (fetching when none is ready) and tops the line up.
    async fn advance(self, t0: Option<f64>) {
        let mut next = None;
        self.ahead.update_value(|a| next = a.pop_front());
        match next {
            Some(card) => self.show(card, t0),
            None => {
                self.current.set(None);
                self.waiting.set(true);
                self.fetch().await;
                let mut next = None;
                self.ahead.update_value(|a| next = a.pop_front());
                if let Some(card) = next {
                    self.show(card, t0);
                }
                self.waiting.set(false);
            }
        }
        if self.ahead.with_value(|a| a.len()) < PREFETCH_LOW && !self.refilling.get_value() {
            self.refilling.set_value(true);
            set_timeout(
                move || {
                    spawn_local(async move {
                        self.fetch().await;
                        self.refilling.set_value(false);
                    })
                },
                BACKGROUND_DELAY,
            );
        }
    }

    /// Fetches the next verbatims of the queue into the line.
    async fn fetch(self) {
        let generation = self.queue_generation.get_value();
        let since = self.action_count.get_value();
        let mut held: Vec<i64> = self.ahead.with_value(|a| a.iter().map(|c| c.verbatim_id).collect());
        held.extend(self.current.with_untracked(|c| c.as_ref().map(|c| c.verbatim_id)));
        held.extend(self.committing.get_value());
        let request = self.queue.get_untracked();
        match api::label_queue(&self.coder(), &request, &held, PREFETCH).await {
            Ok(cards) => {
                if generation != self.queue_generation.get_value() {
                    return;
                }
                let current = self.current.with_untracked(|c| c.as_ref().map(|c| c.verbatim_id));
                let mut done_since: Vec<i64> = self.acted.with_value(|a| a.iter().filter(|(n, _)| *n > since).map(|(_, id)| *id).collect());
                done_since.extend(self.committing.get_value());
                self.ahead.update_value(|a| {
                    for card in cards {
                        let id = card.verbatim_id;
                        if Some(id) != current && !done_since.contains(&id) && !a.iter().any(|c| c.verbatim_id == id) {
                            a.push_back(card);
                        }
                    }
                });
            }
            Err(e) => self.store.error.set(Some(e)),
        }
    }

    /// Starts over with the queue as now set.
    fn restart(self) {
        self.queue_generation.set_value(self.queue_generation.get_value() + 1);
        self.ahead.set_value(VecDeque::new());
        self.current.set(None);
        spawn_local(async move { self.advance(None).await });
    }

    /// Gives a newly used code the next free number key; codes never move once bound, so
    /// fingers can learn them.
    fn remember_shortcut(&self, code: CodeHit) {
        // Only a new code changes the list: redrawing it on every label keypress would cost
        // the next verbatim a frame.
        let known = self.shortcuts.with_untracked(|s| s.len() >= SHORTCUT_SLOTS || s.iter().any(|c| c.code_id == code.code_id));
        if !known {
            self.shortcuts.update(|s| s.push(code));
        }
    }

    /// Reloads progress a moment after the last change; changes meanwhile share one reload.
    fn refresh_progress(self) {
        if self.progress_scheduled.get_value() {
            return;
        }
        self.progress_scheduled.set_value(true);
        set_timeout(
            move || {
                self.progress_scheduled.set_value(false);
                spawn_local(async move {
                    match api::label_progress(&self.coder(), &self.session_start.get_value()).await {
                        Ok(p) => self.progress.set(Some(p)),
                        Err(e) => self.store.error.set(Some(e)),
                    }
                });
            },
            BACKGROUND_DELAY,
        );
    }

    fn search(self, query: String) {
        self.query.set(query.clone());
        self.hit_index.set(0);
        if query.trim().is_empty() {
            self.hits.set(self.current.with_untracked(|c| c.as_ref().map(|c| c.suggested.clone()).unwrap_or_default()));
            self.hits_for.set(String::new());
            return;
        }
        spawn_local(async move {
            match api::label_search_codes(&query, SEARCH_LIMIT).await {
                // Answers can overtake each other: keep only the one for what is typed now.
                Ok(hits) if self.query.get_untracked() == query => {
                    self.hits.set(hits);
                    self.hits_for.set(query);
                }
                Ok(_) => {}
                Err(e) => self.store.error.set(Some(e)),
            }
        });
    }
}

/// The element a key event came from is a text field or a list (which keep their keys).
fn typed_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
}

fn on_button(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| el.tag_name() == "BUTTON")
}

#[component]
pub fn Workspace(coder: CoderInfo) -> impl IntoView {
    let store = use_store();
    let desk = Desk {
        store,
        coder: StoredValue::new(coder.name.clone()),
        queue: RwSignal::new(QueueRequest { kind: QueueKind::InOrder, seed: 7, channel: None }),
        queue_generation: StoredValue::new(0),
        current: RwSignal::new(None),
        ahead: StoredValue::new(VecDeque::new()),
        waiting: RwSignal::new(true),
        pending: RwSignal::new(None),
        shortcuts: RwSignal::new(Vec::new()),
        query: RwSignal::new(String::new()),
        hits: RwSignal::new(Vec::new()),
        hits_for: RwSignal::new(String::new()),
        hit_index: RwSignal::new(0),
        progress: RwSignal::new(None),
        progress_scheduled: StoredValue::new(false),
        session_start: StoredValue::new(String::from(js_sys::Date::new_0().to_iso_string())),
        notice: RwSignal::new(None),
        actions: StoredValue::new(VecDeque::new()),
        running: StoredValue::new(false),
        refilling: StoredValue::new(false),
        acted: StoredValue::new(Vec::new()),
        action_count: StoredValue::new(0),
        committing: StoredValue::new(Vec::new()),
        commit_line: StoredValue::new(VecDeque::new()),
        commit_running: StoredValue::new(false),
    };
    let coder_name = coder.name.clone();
    spawn_local(async move {
        match api::label_shortcuts(&coder_name).await {
            Ok(s) => desk.shortcuts.set(s),
            Err(e) => store.error.set(Some(e)),
        }
    });
    desk.refresh_progress();
    spawn_local(async move {
        desk.advance(None).await;
        desk.waiting.set(false);
        focus_soon("label-workspace");
    });

    let on_key = move |ev: web_sys::KeyboardEvent| {
        if typed_in_field(&ev) || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if on_button(&ev) && (key == "Enter" || key == " ") {
            return;
        }
        let t0 = now_ms();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let shift = ev.shift_key();
        let action = match key.as_str() {
            "/" => {
                ev.prevent_default();
                focus_now("code-search");
                return;
            }
            "Escape" => {
                desk.pending.set(None);
                desk.notice.set(None);
                return;
            }
            k if !ctrl && k.len() == 1 && ('1'..='9').contains(&k.chars().next().unwrap_or(' ')) => {
                Action::Shortcut(k.parse::<usize>().unwrap_or(1) - 1)
            }
            "z" | "Z" if ctrl && shift => Action::Redo,
            "z" if ctrl => Action::Undo,
            "y" | "Y" if ctrl => Action::Redo,
            "z" => Action::Undo,
            "Z" | "y" => Action::Redo,
            k if !ctrl && polarity_for_key(k).is_some() => {
                // An upper-case letter is a shifted key, whether or not the event says so.
                let stay = shift || k.chars().all(|c| c.is_ascii_uppercase());
                Action::Apply { polarity: polarity_for_key(k).unwrap_or(Polarity::Neutral), stay, t0 }
            }
            "n" | "Enter" | "ArrowRight" if !ctrl => Action::Next,
            "x" if !ctrl => Action::Skip,
            "Backspace" | "Delete" => Action::RemoveLast,
            _ => return,
        };
        ev.prevent_default();
        desk.push(action);
    };

    view! {
        <div class="label-workspace" id="label-workspace" tabindex="0" on:keydown=on_key>
            <QueueBar desk=desk/>
            <div class="label-columns">
                <div class="label-main">
                    <VerbatimPanel desk=desk/>
                    <LabelsPanel desk=desk/>
                </div>
                <div class="label-side">
                    <SearchPanel desk=desk/>
                    <PolarityPanel desk=desk/>
                </div>
            </div>
            <div class="label-bottom">
                <ProgressPanel desk=desk/>
                <KeyLegend/>
            </div>
        </div>
    }
}

/// Scrolls the context list (not the page) so the turn being labelled is in sight.
fn scroll_current_turn_into_view() {
    let doc = document();
    let (Some(list), Ok(Some(turn))) = (doc.get_element_by_id("context-turns"), doc.query_selector("#context-turns .turn.current")) else {
        return;
    };
    let (Ok(list), Ok(turn)) = (list.dyn_into::<web_sys::HtmlElement>(), turn.dyn_into::<web_sys::HtmlElement>()) else { return };
    // The list is positioned (label.css), so a turn's offset is measured from the list's top.
    list.set_scroll_top((turn.offset_top() - list.client_height() / 3).max(0));
}

fn focus_now(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

#[component]
fn QueueBar(desk: Desk) -> impl IntoView {
    let store = use_store();
    let set_kind = move |ev| {
        let kind = match event_target_value(&ev).as_str() {
            "random" => QueueKind::Random,
            "uncertainty" => QueueKind::Uncertainty,
            _ => QueueKind::InOrder,
        };
        desk.queue.update(|q| q.kind = kind);
        desk.restart();
    };
    let set_seed = move |ev| {
        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
            desk.queue.update(|q| q.seed = seed);
            desk.restart();
        }
    };
    let set_channel = move |ev| {
        let channel = event_target_value(&ev).parse::<Channel>().ok();
        desk.queue.update(|q| q.channel = channel);
        desk.restart();
    };
    view! {
        <div class="queue-bar" id="queue-bar">
            <label class="inline-field">
                <span>{move || store.tr(W::QueueOrder)}</span>
                <select id="queue-order" on:change=set_kind>
                    <option value="in_order">{move || store.tr(W::OrderInOrder)}</option>
                    <option value="random">{move || store.tr(W::OrderRandom)}</option>
                    <option value="uncertainty">{move || store.tr(W::OrderUncertainty)}</option>
                </select>
            </label>
            {move || (desk.queue.with(|q| q.kind) == QueueKind::Random).then(|| view! {
                <label class="inline-field">
                    <span>{move || store.tr(W::Seed)}</span>
                    <input type="text" id="queue-seed" class="seed" inputmode="numeric"
                        prop:value=move || desk.queue.with(|q| q.seed.to_string()) on:change=set_seed/>
                </label>
            })}
            <label class="inline-field">
                <span>{move || store.tr(W::ChannelFilter)}</span>
                <select id="queue-channel" on:change=set_channel>
                    <option value="">{move || store.tr(W::AllChannels)}</option>
                    {Channel::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str()>{move || channel_name(store.lang.get(), c)}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="spacer"></div>
            <div class="queue-buttons">
                <button type="button" class="secondary small" id="do-undo" title="Z" on:click=move |_| desk.push(Action::Undo)>
                    {move || store.tr(W::Undo)}
                </button>
                <button type="button" class="secondary small" id="do-redo" title="Shift+Z" on:click=move |_| desk.push(Action::Redo)>
                    {move || store.tr(W::Redo)}
                </button>
                <button type="button" class="secondary small" id="do-skip" title="X" on:click=move |_| desk.push(Action::Skip)>
                    {move || store.tr(W::Skip)}
                </button>
                <button type="button" class="secondary small" id="do-next" title="N" on:click=move |_| desk.push(Action::Next)>
                    {move || store.tr(W::Next)}
                </button>
            </div>
        </div>
    }
}

/// The text split into plain and marked pieces.
fn pieces(text: &str, marks: &[TermMark]) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        if m.start < at || m.end > chars.len() || m.start >= m.end {
            continue;
        }
        if m.start > at {
            out.push((chars[at..m.start].iter().collect(), None));
        }
        out.push((chars[m.start..m.end].iter().collect(), Some(m.term.clone())));
        at = m.end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

fn is_agent(speaker: &str) -> bool {
    matches!(speaker, "agent" | "坐席" | "客服")
}

#[component]
fn VerbatimPanel(desk: Desk) -> impl IntoView {
    let store = use_store();
    move || {
        let Some(card) = desk.current.get() else {
            let words = if desk.waiting.get() { W::Loading } else { W::QueueEmpty };
            let id = if desk.waiting.get() { "verbatim-loading" } else { "queue-empty" };
            return view! { <section class="card verbatim-card"><p class="hint" id=id>{move || store.tr(words)}</p></section> }.into_any();
        };
        let text = pieces(&card.text, &card.marks)
            .into_iter()
            .map(|(t, term)| match term {
                Some(term) => view! { <mark class="term" title=term>{t}</mark> }.into_any(),
                None => view! { <span>{t}</span> }.into_any(),
            })
            .collect_view();
        let meta = |label: W, id: &'static str, value: Option<String>| {
            value.map(|v| view! { <div class="meta-item"><dt>{move || store.tr(label)}</dt><dd id=id>{v}</dd></div> })
        };
        let channel = card.channel;
        let turns_total = card.turns_total;
        let turns = card.turns.clone();
        view! {
            <section class="card verbatim-card" id="verbatim" data-verbatim-id=card.verbatim_id.to_string()>
                <dl class="meta" id="verbatim-meta">
                    {channel.map(|c| view! {
                        <div class="meta-item"><dt>{move || store.tr(W::ChannelFilter)}</dt>
                            <dd id="meta-channel">{move || channel_name(store.lang.get(), c)}</dd></div>
                    })}
                    {meta(W::Date, "meta-date", card.date.clone())}
                    {meta(W::Dealer, "meta-dealer", card.dealer.clone())}
                    {meta(W::Model, "meta-model", card.vehicle_model.clone())}
                    {meta(W::Nps, "meta-nps", card.nps.map(|n| n.to_string()))}
                    {meta(W::Document, "meta-document", Some(card.document_id.clone()))}
                </dl>
                <p class="verbatim-text" id="verbatim-text">{text}</p>
                {(!turns.is_empty()).then(|| view! {
                    <div class="context" id="context">
                        <h3>{move || store.tr(W::Context)}
                            <span class="hint">" · "{move || store.tr(W::MoreTurns).replace("{n}", &turns_total.to_string())}</span>
                        </h3>
                        <ol class="turns" id="context-turns">
                            {turns.into_iter().map(|t| {
                                let who = if is_agent(&t.speaker) { W::Agent } else { W::Customer };
                                view! {
                                    <li class="turn" class:current=t.current class:agent=!t.codable>
                                        <span class="speaker">{move || store.tr(who)}</span>
                                        <span class="turn-text">{t.text.clone()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </div>
                })}
            </section>
        }
        .into_any()
    }
}

#[component]
fn LabelsPanel(desk: Desk) -> impl IntoView {
    let store = use_store();
    view! {
        <section class="card labels-card">
            <div class="labels-head">
                <h2>{move || store.tr(W::YourLabels)}</h2>
                <div class="chosen" id="chosen-code">
                    {move || match desk.pending.get() {
                        Some(hit) => view! {
                            <span class="hint">{move || store.tr(W::Chosen)}</span>
                            <span class="chosen-code" id="chosen-code-name">
                                <span class="mono">{hit.short_code.clone()}</span>" "{hit.name_zh.clone()}
                            </span>
                        }.into_any(),
                        None => view! { <span class="hint" id="chosen-none">{move || store.tr(W::NoCodeChosen)}</span> }.into_any(),
                    }}
                </div>
            </div>
            {move || desk.notice.get().map(|n| view! { <p class="banner notice" id="label-notice">{move || store.tr(n)}</p> })}
            {move || {
                let labels = desk.current.with(|c| c.as_ref().map(|c| c.labels.clone()).unwrap_or_default());
                if labels.is_empty() {
                    return view! { <p class="hint" id="labels-empty">{move || store.tr(W::NoLabelsYet)}</p> }.into_any();
                }
                view! {
                    <ul class="current-labels" id="current-labels">
                        {labels.into_iter().map(|l| {
                            let code_id = l.code_id.clone();
                            let polarity = l.polarity;
                            view! {
                                <li class="label-chip" id=format!("label-{}", l.code_id)>
                                    <span class=polarity_class(polarity)>{move || polarity.map(|p| store.tr(PolarityName(p))).unwrap_or("—")}</span>
                                    <span class="mono">{l.short_code.clone()}</span>
                                    <span>{l.name_zh.clone()}</span>
                                    <button type="button" class="chip-remove" id=format!("remove-{}", l.code_id)
                                        aria-label=move || store.tr(W::Remove)
                                        on:click=move |_| desk.push(Action::Remove(code_id.clone()))>"×"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn SearchPanel(desk: Desk) -> impl IntoView {
    let store = use_store();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let count = desk.hits.with_untracked(|h| h.len());
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                if count > 0 {
                    desk.hit_index.update(|i| *i = (*i + 1).min(count - 1));
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                desk.hit_index.update(|i| *i = i.saturating_sub(1));
            }
            "Enter" => {
                ev.prevent_default();
                let query = desk.query.get_untracked();
                let index = desk.hit_index.get_untracked();
                if query.trim().is_empty() {
                    if let Some(hit) = desk.hits.with_untracked(|h| h.get(index).cloned()) {
                        desk.push(Action::Choose(hit));
                    }
                } else {
                    desk.push(Action::ChooseSearched { query, index });
                }
                desk.search(String::new());
                focus_now("label-workspace");
            }
            "Escape" => {
                ev.prevent_default();
                desk.search(String::new());
                focus_now("label-workspace");
            }
            _ => {}
        }
    };
    let shortcut_row = move |(n, hit): (usize, CodeHit)| {
        let chosen = hit.clone();
        view! {
            <li>
                <button type="button" class="shortcut" id=format!("shortcut-{}", n + 1)
                    on:click=move |_| desk.push(Action::Choose(chosen.clone()))>
                    <kbd>{(n + 1).to_string()}</kbd>
                    <span class="mono">{hit.short_code.clone()}</span>
                    <span class="shortcut-name">{hit.name_zh.clone()}</span>
                </button>
            </li>
        }
    };
    view! {
        <section class="card search-card">
            <label class="field" for="code-search">{move || store.tr(W::SearchCodes)}" "<kbd>"/"</kbd></label>
            <input type="text" id="code-search" autocomplete="off" spellcheck="false"
                placeholder=move || store.tr(W::SearchPlaceholder)
                prop:value=move || desk.query.get()
                on:input=move |ev| desk.search(event_target_value(&ev))
                on:keydown=on_key/>
            {move || {
                let query_empty = desk.query.with(|q| q.trim().is_empty());
                let hits = desk.hits.get();
                if hits.is_empty() {
                    return (!query_empty).then(|| view! { <p class="hint" id="hits-none">{move || store.tr(W::NoHits)}</p> }.into_any());
                }
                Some(view! {
                    {query_empty.then(|| view! { <p class="hint small-head">{move || store.tr(W::Suggested)}</p> })}
                    <ul class="code-hits" id="code-hits" role="listbox">
                        {hits.into_iter().enumerate().map(|(i, hit)| {
                            let chosen = hit.clone();
                            view! {
                                <li id=format!("hit-{}", hit.code_id) role="option"
                                    class="hit" class:selected=move || desk.hit_index.get() == i
                                    aria-selected=move || if desk.hit_index.get() == i { "true" } else { "false" }
                                    on:click=move |_| { desk.push(Action::Choose(chosen.clone())); focus_now("label-workspace"); }>
                                    <span class="mono">{hit.short_code.clone()}</span>
                                    <span class="hit-name">{hit.name_zh.clone()}</span>
                                    <span class="hit-path">{hit.path.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())
            }}
            <h3>{move || store.tr(W::Shortcuts)}</h3>
            {move || {
                let slots = desk.shortcuts.get();
                if slots.is_empty() {
                    return view! { <p class="hint" id="shortcuts-empty">{move || store.tr(W::NoShortcuts)}</p> }.into_any();
                }
                view! { <ol class="shortcuts" id="shortcuts">{slots.into_iter().enumerate().map(shortcut_row).collect_view()}</ol> }.into_any()
            }}
        </section>
    }
}

#[component]
fn PolarityPanel(desk: Desk) -> impl IntoView {
    let store = use_store();
    view! {
        <section class="card polarity-card">
            <h3>{move || store.tr(W::Polarity)}</h3>
            <div class="polarity-keys">
                {POLARITY_KEYS.into_iter().map(|(p, key)| view! {
                    <button type="button" class=format!("polarity-button {}", polarity_class(Some(p))) id=format!("polarity-{}", p.as_str())
                        on:click=move |_| desk.push(Action::Apply { polarity: p, stay: false, t0: now_ms() })>
                        <kbd>{key}</kbd>" "{move || store.tr(PolarityName(p))}
                    </button>
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ProgressPanel(desk: Desk) -> impl IntoView {
    let store = use_store();
    move || {
        let Some(p) = desk.progress.get() else { return view! { <section class="card progress-card"></section> }.into_any() };
        let share = if p.verbatims > 0 { p.labelled as f64 * 100.0 / p.verbatims as f64 } else { 0.0 };
        let top: Vec<_> = p.per_code.iter().take(8).cloned().collect();
        view! {
            <section class="card progress-card" id="progress">
                <h3>{move || store.tr(W::Progress)}</h3>
                <div class="progress-rows">
                    <div class="progress-row">
                        <span class="progress-name">{move || store.tr(W::Project)}</span>
                        <span class="num"><strong id="progress-labelled">{p.labelled}</strong>" / "<span id="progress-total">{p.verbatims}</span></span>
                        <div class="bar"><div class="bar-fill" style:width=format!("{share:.1}%")></div></div>
                    </div>
                    <div class="progress-row">
                        <span class="progress-name">{move || store.tr(W::Mine)}</span>
                        <span class="num"><strong id="progress-mine">{p.coder_labelled}</strong>" "{move || store.tr(W::VerbatimsWord)}</span>
                    </div>
                    <div class="progress-row">
                        <span class="progress-name">{move || store.tr(W::Session)}</span>
                        <span class="num">
                            <strong id="progress-session-verbatims">{p.session_verbatims}</strong>" "{move || store.tr(W::VerbatimsWord)}", "
                            <strong id="progress-session-labels">{p.session_labels}</strong>" "{move || store.tr(W::LabelsWord)}
                        </span>
                    </div>
                </div>
                <h3>{move || store.tr(W::PerCode)}</h3>
                <ol class="code-counts" id="code-counts">
                    {top.into_iter().map(|c| view! {
                        <li id=format!("code-count-{}", c.code_id)>
                            <span class="code-count-name">{c.name_zh.clone()}</span>
                            <span class="num code-count">{c.count}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
        .into_any()
    }
}

#[component]
fn KeyLegend() -> impl IntoView {
    let store = use_store();
    let row = move |keys: &'static str, what: W| {
        view! { <li><kbd>{keys}</kbd>" "<span>{move || store.tr(what)}</span></li> }
    };
    view! {
        <section class="card keys-card" id="key-legend">
            <h3>{move || store.tr(W::Keys)}</h3>
            <ul class="key-legend">
                {row("/", W::KeySearch)}
                {row("1–9", W::KeyShortcut)}
                {row("A S D F", W::KeyApply)}
                {row("Shift+A…F", W::KeyApplyStay)}
                {row("N / Enter", W::KeyNext)}
                {row("X", W::KeySkip)}
                {row("Z", W::KeyUndo)}
                {row("Shift+Z", W::KeyRedo)}
                {row("⌫", W::KeyRemove)}
            </ul>
        </section>
    }
}
