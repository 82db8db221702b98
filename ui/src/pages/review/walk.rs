//! The review half: who reviews (remembered on this computer), drawing a seeded sample per
//! code stratified by confidence band, and walking its items with the keyboard:
//! A accept, C correct (code, polarity, or a missed code beside the predicted one), R reject,
//! ← / → previous and next. Each decision goes to the engine at once, which records it with the
//! reviewer and the time and refuses anyone who is not a QA reviewer; the refusal is shown as
//! the engine words it.

use super::report::ReportCard;
use super::words::W;
use super::{percent, Shared};
use crate::i18n::PolarityName;
use crate::api;
use crate::i18n::t;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::review::{default_bands, ReviewItem, ReviewReport, ReviewSample, SampleParams, Verdict};
use vocwb_types::review_screen::CoderProfile;
use vocwb_types::{ErrorInfo, Polarity, Role};
use wasm_bindgen::JsCast;

const REVIEWER_KEY: &str = "vocwb.reviewer";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn saved_reviewer() -> String {
    storage().and_then(|s| s.get_item(REVIEWER_KEY).ok().flatten()).unwrap_or_default()
}

fn save_reviewer(name: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(REVIEWER_KEY, name.trim());
    }
}

fn focus(id: &str) {
    let id = id.to_string();
    // After the view has drawn what the element depends on.
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// What the decision on an item says, in words.
fn decision_text(item: &ReviewItem, shared: &Shared, lang: crate::i18n::Lang) -> String {
    let Some(d) = &item.decision else { return t(lang, W::Undecided).to_string() };
    let mut s = match d.decision.as_str() {
        "accept" => t(lang, W::Accepted).to_string(),
        "reject" => t(lang, W::Rejected).to_string(),
        _ if d.added => t(lang, W::AddedMissing).to_string(),
        _ => t(lang, W::Corrected).to_string(),
    };
    if let Some(code) = &d.corrected_code {
        s.push_str(&format!(" → {}", shared.code_label(code, lang)));
    }
    if let Some(p) = d.corrected_polarity {
        s.push_str(&format!(" · {}", t(lang, PolarityName(p))));
    }
    s.push_str(&format!(" — {} {}", d.reviewer, d.created_at.replace('T', " ").trim_end_matches('Z')));
    s
}

fn decision_class(item: &ReviewItem) -> &'static str {
    match item.decision.as_ref().map(|d| d.decision.as_str()) {
        None => "undecided",
        Some("accept") => "accepted",
        Some("reject") => "rejected",
        Some(_) => "corrected",
    }
}

#[derive(Clone, Copy)]
pub(super) struct ReviewState {
    pub reviewer: RwSignal<String>,
    coders: RwSignal<Vec<CoderProfile>>,
    samples: RwSignal<Vec<ReviewSample>>,
    pub sample: RwSignal<Option<ReviewSample>>,
    current: RwSignal<usize>,
    pub report: RwSignal<Option<ReviewReport>>,
    /// The report covers every sample rather than the open one.
    pub report_all: RwSignal<bool>,
    problem: RwSignal<Option<ErrorInfo>>,
    correcting: RwSignal<bool>,
    busy: RwSignal<bool>,
}

impl ReviewState {
    fn reload_coders(&self) {
        let me = *self;
        spawn_local(async move {
            if let Ok(c) = api::review_coders().await {
                let _ = me.coders.try_set(c);
            }
        });
    }

    fn reload_samples(&self) {
        let me = *self;
        spawn_local(async move {
            if let Ok(s) = api::review_samples().await {
                let _ = me.samples.try_set(s);
            }
        });
    }

    pub fn reload_report(&self) {
        let me = *self;
        let sample = if self.report_all.get_untracked() { None } else { self.sample.with_untracked(|s| s.as_ref().map(|s| s.id)) };
        if sample.is_none() && !self.report_all.get_untracked() {
            self.report.set(None);
            return;
        }
        spawn_local(async move {
            match api::review_report(sample).await {
                Ok(r) => {
                    let _ = me.report.try_set(Some(r));
                }
                Err(e) => {
                    let _ = me.problem.try_set(Some(e));
                }
            }
        });
    }

    fn open(&self, sample: ReviewSample) {
        // Start at the first undecided item, so a reviewer picks up where they left off.
        let first_open = sample.items.iter().position(|i| i.decision.is_none()).unwrap_or(0);
        self.current.set(first_open);
        self.correcting.set(false);
        self.sample.set(Some(sample));
        self.reload_report();
    }

    fn item(&self) -> Option<ReviewItem> {
        let at = self.current.get();
        self.sample.with(|s| s.as_ref().and_then(|s| s.items.get(at).cloned()))
    }

    fn step(&self, by: isize) {
        let len = self.sample.with_untracked(|s| s.as_ref().map(|s| s.items.len()).unwrap_or(0));
        if len == 0 {
            return;
        }
        let at = self.current.get_untracked() as isize + by;
        self.current.set(at.clamp(0, len as isize - 1) as usize);
        self.correcting.set(false);
    }

    fn decide(&self, verdict: Verdict) {
        let me = *self;
        let Some(item) = self.sample.with_untracked(|s| s.as_ref().and_then(|s| s.items.get(self.current.get_untracked()).cloned())) else {
            return;
        };
        let reviewer = self.reviewer.get_untracked().trim().to_string();
        self.busy.set(true);
        spawn_local(async move {
            let answer = api::review_decide(item.sample_id, item.position, &reviewer, &verdict).await;
            me.busy.set(false);
            match answer {
                Ok(decision) => {
                    me.problem.set(None);
                    me.correcting.set(false);
                    me.sample.update(|s| {
                        if let Some(it) = s.as_mut().and_then(|s| s.items.iter_mut().find(|i| i.position == item.position)) {
                            it.decision = Some(decision);
                        }
                    });
                    me.reload_report();
                    me.reload_coders();
                    me.step(1);
                    focus("review-walker");
                }
                Err(e) => me.problem.set(Some(e)),
            }
        });
    }
}

#[component]
pub fn ReviewPanel(shared: Shared) -> impl IntoView {
    let store = use_store();
    let st = ReviewState {
        reviewer: RwSignal::new(saved_reviewer()),
        coders: RwSignal::new(Vec::new()),
        samples: RwSignal::new(Vec::new()),
        sample: RwSignal::new(None),
        current: RwSignal::new(0),
        report: RwSignal::new(None),
        report_all: RwSignal::new(false),
        problem: RwSignal::new(None),
        correcting: RwSignal::new(false),
        busy: RwSignal::new(false),
    };
    st.reload_coders();
    st.reload_samples();
    view! {
        {move || st.problem.get().map(|e| view! {
            <div class="banner error" id="review-error" role="alert">
                <div class="banner-text">
                    <strong>{move || store.tr(W::NotDone)}</strong>
                    <p class="message">{e.message}</p>
                </div>
                <button type="button" class="ghost" on:click=move |_| st.problem.set(None)>"×"</button>
            </div>
        })}
        <div class="review-columns">
            <div class="review-left">
                <DrawCard st=st shared=shared/>
                <Walker st=st shared=shared/>
            </div>
            <ReportCard st=st shared=shared/>
        </div>
    }
}

#[component]
fn DrawCard(st: ReviewState, shared: Shared) -> impl IntoView {
    let store = use_store();
    let code = RwSignal::new(String::new());
    let size = RwSignal::new("5".to_string());
    let seed = RwSignal::new("1".to_string());
    let role = move || {
        let name = st.reviewer.get();
        let name = name.trim();
        let coders = st.coders.get();
        let lang = store.lang.get();
        if name.is_empty() {
            return (t(lang, W::ReviewerNeeded), "role-none");
        }
        match coders.iter().find(|c| c.name == name).map(|c| c.role) {
            Some(Role::Reviewer) => (t(lang, W::RoleReviewer), "role-ok"),
            Some(Role::Owner) => (t(lang, W::RoleOwner), "role-bad"),
            Some(Role::Researcher) => (t(lang, W::RoleResearcher), "role-bad"),
            None if coders.iter().any(|c| c.role == Role::Reviewer) => (t(lang, W::RoleUnknown), "role-bad"),
            None => (t(lang, W::RoleFirst), "role-none"),
        }
    };
    let draw = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reviewer = st.reviewer.get_untracked().trim().to_string();
        save_reviewer(&reviewer);
        let per_code = size.get_untracked().trim().parse::<usize>().unwrap_or(0);
        let seed = seed.get_untracked().trim().parse::<u64>().unwrap_or(0);
        let code = code.get_untracked();
        let params = SampleParams {
            reviewer,
            seed,
            per_code,
            codes: if code.is_empty() { Vec::new() } else { vec![code] },
            bands: default_bands(),
            model_id: None,
        };
        st.busy.set(true);
        spawn_local(async move {
            let answer = api::review_draw_sample(&params).await;
            st.busy.set(false);
            match answer {
                Ok(sample) => {
                    st.problem.set(None);
                    st.open(sample);
                    st.reload_samples();
                    st.reload_coders();
                    shared.reload_index_status();
                    focus("review-walker");
                }
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    let pick = move |ev: leptos::ev::Event| {
        let Ok(id) = event_target_value(&ev).parse::<i64>() else { return };
        spawn_local(async move {
            match api::review_sample(id).await {
                Ok(sample) => {
                    st.problem.set(None);
                    st.open(sample);
                }
                Err(e) => st.problem.set(Some(e)),
            }
        });
    };
    let code_options = move || shared.active_code_options(store.lang.get());
    view! {
        <section class="card draw-card" id="draw-card">
            <h2>{move || store.tr(W::DrawTitle)}</h2>
            <form class="draw-form" on:submit=draw>
                <div class="draw-field reviewer-field">
                    <label class="field" for="reviewer">{move || store.tr(W::Reviewer)}</label>
                    <input type="text" id="reviewer" autocomplete="off" spellcheck="false"
                        prop:value=move || st.reviewer.get()
                        on:input=move |ev| st.reviewer.set(event_target_value(&ev))
                        on:change=move |ev| save_reviewer(&event_target_value(&ev))/>
                    <span class=move || format!("role {}", role().1) id="reviewer-role">{move || role().0}</span>
                </div>
                <div class="draw-field">
                    <label class="field" for="sample-code">{move || store.tr(W::SampleCodes)}</label>
                    <select id="sample-code" prop:value=move || code.get() on:change=move |ev| code.set(event_target_value(&ev))>
                        <option value="">{move || store.tr(W::AllPredictedCodes)}</option>
                        {code_options}
                    </select>
                </div>
                <div class="draw-field narrow">
                    <label class="field" for="sample-size">{move || store.tr(W::PerCode)}</label>
                    <input type="number" id="sample-size" min="1" step="1" prop:value=move || size.get() on:input=move |ev| size.set(event_target_value(&ev))/>
                </div>
                <div class="draw-field narrow">
                    <label class="field" for="sample-seed">{move || store.tr(W::Seed)}</label>
                    <input type="number" id="sample-seed" min="0" step="1" prop:value=move || seed.get() on:input=move |ev| seed.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="primary" id="draw-sample" disabled=move || st.busy.get()>{move || store.tr(W::Draw)}</button>
            </form>
            <p class="hint">{move || store.tr(W::DrawHint)}</p>
            {move || (!st.samples.with(Vec::is_empty)).then(|| view! {
                <div class="sample-pick">
                    <label class="field" for="sample-pick">{move || store.tr(W::OpenSample)}</label>
                    <select id="sample-pick" on:change=pick prop:value=move || st.sample.with(|s| s.as_ref().map(|s| s.id.to_string()).unwrap_or_default())>
                        <option value="">"—"</option>
                        {move || st.samples.get().into_iter().map(|s| {
                            let label = format!("#{} · {} · seed {} · {}", s.id, s.reviewer, s.seed, s.created_at.get(..16).unwrap_or(&s.created_at).replace('T', " "));
                            view! { <option value=s.id.to_string()>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
        </section>
    }
}

#[component]
fn Walker(st: ReviewState, shared: Shared) -> impl IntoView {
    let store = use_store();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if st.busy.get_untracked() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        // Keys typed into the correction form belong to it.
        if st.correcting.get_untracked() {
            if ev.key() == "Escape" {
                ev.prevent_default();
                st.correcting.set(false);
                focus("review-walker");
            }
            return;
        }
        match ev.key().as_str() {
            "a" | "A" => {
                ev.prevent_default();
                st.decide(Verdict::Accept);
            }
            "r" | "R" => {
                ev.prevent_default();
                st.decide(Verdict::Reject);
            }
            "c" | "C" => {
                ev.prevent_default();
                if st.item().is_some() {
                    st.correcting.set(true);
                    focus("correct-code");
                }
            }
            "ArrowRight" | "j" | "J" => {
                ev.prevent_default();
                st.step(1);
            }
            "ArrowLeft" | "k" | "K" => {
                ev.prevent_default();
                st.step(-1);
            }
            _ => {}
        }
    };
    let position = move || {
        st.sample.with(|s| s.as_ref().map(|s| (st.current.get() + 1, s.items.len(), s.items.iter().filter(|i| i.decision.is_some()).count())))
    };
    view! {
        <section class="card walker" id="review-walker" tabindex="0" on:keydown=on_key
            aria-label=move || store.tr(W::WalkerLabel)
            aria-keyshortcuts="A C R ArrowLeft ArrowRight">
            <div class="section-head">
                <h2>{move || store.tr(W::WalkTitle)}</h2>
                <span class="hint" id="item-position">{move || position().map(|(at, n, decided)| {
                    if store.lang.get() == crate::i18n::Lang::Zh {
                        format!("第 {at} / {n} 条 · 已决定 {decided}")
                    } else {
                        format!("Item {at} of {n} · {decided} decided")
                    }
                })}</span>
            </div>
            {move || {
                store.lang.track();
                match st.item() {
                None => view! { <p class="hint" id="walker-empty">{move || store.tr(W::NoSample)}</p> }.into_any(),
                Some(item) => item_view(st, shared, item).into_any(),
            }}}
            <p class="keys hint">{move || store.tr(W::KeysHint)}</p>
            <ItemStrip st=st/>
        </section>
    }
}

fn item_view(st: ReviewState, shared: Shared, item: ReviewItem) -> impl IntoView {
    let store = use_store();
    let lang = store.lang.get_untracked();
    let polarity = item.polarity.map(|p| t(lang, PolarityName(p))).unwrap_or("—");
    let status_class = format!("item-decision {}", decision_class(&item));
    let decision = decision_text(&item, &shared, lang);
    let busy = move || st.busy.get();
    let item_for_form = item.clone();
    view! {
        <div class="review-item" id="review-item" data-position=item.position.to_string() data-verbatim=item.verbatim_id.to_string()>
            <dl class="facts item-facts">
                <div><dt>{move || store.tr(W::PredictedCode)}</dt><dd id="item-code" data-code=item.code_id.clone()>{shared.code_label(&item.code_id, lang)}</dd></div>
                <div><dt>{move || store.tr(W::Polarity)}</dt><dd id="item-polarity" class=format!("pol-{}", item.polarity.map(|p| p.as_str()).unwrap_or("none"))>{polarity}</dd></div>
                <div><dt>{move || store.tr(W::Confidence)}</dt><dd id="item-confidence">{percent(item.confidence)}</dd></div>
                <div><dt>{move || store.tr(W::Band)}</dt><dd class="mono" id="item-band">{item.band.clone()}</dd></div>
                <div><dt>{move || store.tr(W::VerbatimId)}</dt><dd class="mono">{format!("#{}", item.verbatim_id)}</dd></div>
            </dl>
            <blockquote class="item-text" id="item-text">{item.text.clone()}</blockquote>
            <p class=status_class id="item-decision">{decision}</p>
            <div class="decide-buttons">
                <button type="button" class="primary" id="decide-accept" disabled=busy on:click=move |_| st.decide(Verdict::Accept)>
                    {move || store.tr(W::Accept)}<kbd>"A"</kbd>
                </button>
                <button type="button" class="secondary" id="decide-correct" disabled=busy on:click=move |_| {
                    st.correcting.set(true);
                    focus("correct-code");
                }>
                    {move || store.tr(W::Correct)}<kbd>"C"</kbd>
                </button>
                <button type="button" class="secondary danger" id="decide-reject" disabled=busy on:click=move |_| st.decide(Verdict::Reject)>
                    {move || store.tr(W::Reject)}<kbd>"R"</kbd>
                </button>
                <span class="spacer"></span>
                <button type="button" class="secondary" id="item-prev" on:click=move |_| st.step(-1)>{move || store.tr(W::Previous)}<kbd>"←"</kbd></button>
                <button type="button" class="secondary" id="item-next" on:click=move |_| st.step(1)>{move || store.tr(W::Next)}<kbd>"→"</kbd></button>
            </div>
            {move || st.correcting.get().then(|| correction_form(st, shared, item_for_form.clone()))}
        </div>
    }
}

/// Change the code and/or polarity, or keep the predicted code and add one the model missed.
fn correction_form(st: ReviewState, shared: Shared, item: ReviewItem) -> impl IntoView {
    let store = use_store();
    let code = RwSignal::new(item.code_id.clone());
    let polarity = RwSignal::new(item.polarity.unwrap_or(Polarity::Neutral).as_str().to_string());
    let add_missing = RwSignal::new(false);
    let predicted = item.code_id.clone();
    let predicted_polarity = item.polarity;
    let save = move || {
        let code = code.get_untracked();
        let polarity: Option<Polarity> = polarity.get_untracked().parse().ok();
        let verdict = if add_missing.get_untracked() {
            Verdict::AddMissing { code, polarity: polarity.unwrap_or(Polarity::Neutral) }
        } else {
            Verdict::Correct {
                code: (code != predicted).then_some(code),
                polarity: polarity.filter(|p| Some(*p) != predicted_polarity),
            }
        };
        st.decide(verdict);
    };
    let save_click = save.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        // Enter on a button is that button's click.
        let on_button = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|e| e.tag_name() == "BUTTON");
        if ev.key() == "Enter" && !on_button {
            ev.prevent_default();
            save();
        }
    };
    let codes = move || shared.active_code_options(store.lang.get());
    view! {
        <div class="correct-panel" id="correct-panel" on:keydown=on_key>
            <div class="draw-field">
                <label class="field" for="correct-code">{move || store.tr(W::CorrectCode)}</label>
                <select id="correct-code" prop:value=move || code.get() on:change=move |ev| code.set(event_target_value(&ev))>
                    {codes}
                </select>
            </div>
            <div class="draw-field narrow">
                <label class="field" for="correct-polarity">{move || store.tr(W::Polarity)}</label>
                <select id="correct-polarity" prop:value=move || polarity.get() on:change=move |ev| polarity.set(event_target_value(&ev))>
                    {Polarity::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{move || store.tr(PolarityName(p))}</option> }).collect_view()}
                </select>
            </div>
            <label class="check" for="correct-add">
                <input type="checkbox" id="correct-add" prop:checked=move || add_missing.get() on:change=move |ev| add_missing.set(event_target_checked(&ev))/>
                {move || store.tr(W::AddMissing)}
            </label>
            <div class="actions">
                <button type="button" class="primary" id="correct-save" disabled=move || st.busy.get() on:click=move |_| save_click()>{move || store.tr(W::SaveCorrection)}</button>
                <button type="button" class="secondary" id="correct-cancel" on:click=move |_| {
                    st.correcting.set(false);
                    focus("review-walker");
                }>{move || store.tr(W::Cancel)}</button>
            </div>
        </div>
    }
}

/// Every item of the sample as a small square coloured by its decision; a click jumps there.
#[component]
fn ItemStrip(st: ReviewState) -> impl IntoView {
    let store = use_store();
    move || {
        let lang = store.lang.get();
        st.sample.with(|s| {
            s.as_ref().map(|s| {
                let at = st.current.get();
                view! {
                    <ol class="item-strip" id="review-items" aria-label=t(lang, W::Items)>
                        {s.items.iter().enumerate().map(|(i, item)| {
                            let label = format!("{} · {}", item.position, t(lang, match decision_class(item) {
                                "accepted" => W::Accepted,
                                "rejected" => W::Rejected,
                                "corrected" => W::Corrected,
                                _ => W::Undecided,
                            }));
                            view! {
                                <li>
                                    <button type="button" class=format!("strip-item {}", decision_class(item)) class:current={i == at}
                                        id=format!("item-{}", item.position) title=label.clone() aria-label=label
                                        aria-current={(i == at).then_some("true")}
                                        on:click=move |_| {
                                            st.current.set(i);
                                            st.correcting.set(false);
                                        }>
                                        {item.position}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            })
        })
    }
}
