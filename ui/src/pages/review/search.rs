//! The search half: a text box, filter controls that add removable chips, facet counts per
//! code (a click adds that code as a filter), and ranked hits with highlighted snippets.
//!
//! Snippets are drawn from the engine's plain `fragment` and its highlight byte ranges as text
//! nodes and `<mark>` elements, never as HTML, so nothing in a verbatim can inject markup.

use super::words::W;
use super::{percent, Shared};
use crate::i18n::PolarityName;
use crate::api;
use crate::i18n::{channel_name, t, Lang};
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::search::{Filters, Hit, SearchQuery, SearchResults, Source};
use vocwb_types::{Channel, ErrorInfo, Polarity};

/// Hits per page.
const PAGE: usize = 20;
/// Facets shown (the largest counts).
const FACETS: usize = 40;

/// NPS bands as the survey world names them.
const NPS_BANDS: [(&str, u64, u64, W); 3] =
    [("detractor", 0, 6, W::Detractor), ("passive", 7, 8, W::Passive), ("promoter", 9, 10, W::Promoter)];

const REVIEW_STATUSES: [(&str, W); 5] = [
    ("unreviewed", W::StatusUnreviewed),
    ("pending", W::StatusPending),
    ("accepted", W::StatusAccepted),
    ("corrected", W::StatusCorrected),
    ("rejected", W::StatusRejected),
];

fn source_words(s: Source) -> W {
    match s {
        Source::Human => W::SourceHuman,
        Source::Model => W::SourceModel,
        Source::Reviewed => W::SourceReviewed,
    }
}

fn status_words(s: &str) -> Option<W> {
    REVIEW_STATUSES.iter().find(|(v, _)| *v == s).map(|(_, w)| *w)
}

fn channel_label(lang: Lang, value: &str) -> String {
    value.parse::<Channel>().map(|c| channel_name(lang, c).to_string()).unwrap_or_else(|_| value.to_string())
}

fn nps_band_of(filters: &Filters) -> &'static str {
    NPS_BANDS
        .iter()
        .find(|(_, lo, hi, _)| filters.nps_min == Some(*lo) && filters.nps_max == Some(*hi))
        .map(|(v, ..)| *v)
        .unwrap_or("")
}

/// The query the screen sends for `text` and `filters`, starting at `offset`.
pub(super) fn query_for(text: &str, filters: &Filters, offset: usize) -> SearchQuery {
    SearchQuery { text: text.trim().to_string(), filters: filters.clone(), limit: PAGE, offset, snippet_chars: 120, code_counts: offset == 0 }
}

/// A fragment cut into (text, highlighted) runs by the engine's byte ranges; ranges that are
/// out of bounds or not on character boundaries are ignored.
pub(super) fn highlight_runs(fragment: &str, highlights: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut ranges: Vec<(usize, usize)> = highlights.iter().copied().filter(|(a, b)| a < b).collect();
    ranges.sort();
    let mut runs = Vec::new();
    let mut at = 0;
    for (a, b) in ranges {
        if a < at || fragment.get(a..b).is_none() {
            continue;
        }
        if a > at {
            runs.push((fragment[at..a].to_string(), false));
        }
        runs.push((fragment[a..b].to_string(), true));
        at = b;
    }
    if at < fragment.len() {
        runs.push((fragment[at..].to_string(), false));
    }
    runs
}

/// Adds `value` to a filter list unless it is there.
fn add_to(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Resets a select to its first option after it added a chip, so the same value can be
/// chosen again later.
fn reset_select(ev: &leptos::ev::Event) {
    if let Some(target) = ev.target() {
        let _ = js_sys::Reflect::set(&target, &"value".into(), &"".into());
    }
}

#[derive(Clone, Copy)]
struct SearchState {
    /// What is typed; searched on Enter or the button.
    typed: RwSignal<String>,
    text: RwSignal<String>,
    filters: RwSignal<Filters>,
    results: RwSignal<Option<SearchResults>>,
    hits: RwSignal<Vec<Hit>>,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<ErrorInfo>>,
    /// Counts searches, so an older answer arriving late is dropped.
    generation: StoredValue<u64>,
}

impl SearchState {
    fn run(&self, shared: Shared, offset: usize) {
        let me = *self;
        let query = query_for(&self.text.get_untracked(), &self.filters.get_untracked(), offset);
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.busy.set(true);
        spawn_local(async move {
            let answer = api::search_run(&query).await;
            if me.generation.try_get_value() != Some(generation) {
                return;
            }
            me.busy.set(false);
            shared.progress.set(None);
            match answer {
                Ok(r) => {
                    me.problem.set(None);
                    if offset == 0 {
                        me.hits.set(r.hits.clone());
                        me.results.set(Some(r));
                    } else {
                        me.hits.update(|h| h.extend(r.hits.iter().cloned()));
                        me.results.update(|old| {
                            if let Some(old) = old {
                                old.total = r.total;
                            }
                        });
                    }
                }
                Err(e) => me.problem.set(Some(e)),
            }
            // A search may have refreshed the index.
            shared.reload_index_status();
        });
    }
}

#[component]
pub fn SearchPanel(shared: Shared) -> impl IntoView {
    let store = use_store();
    let st = SearchState {
        typed: RwSignal::new(String::new()),
        text: RwSignal::new(String::new()),
        filters: RwSignal::new(Filters::default()),
        results: RwSignal::new(None),
        hits: RwSignal::new(Vec::new()),
        busy: RwSignal::new(false),
        problem: RwSignal::new(None),
        generation: StoredValue::new(0),
    };
    let options = RwSignal::new(None);
    spawn_local(async move {
        match api::search_filter_options().await {
            Ok(o) => {
                let _ = options.try_set(Some(o));
            }
            Err(e) => store.error.set(Some(e)),
        }
    });
    // Any change of the searched text or a filter searches again from the first page.
    Effect::new(move |_| {
        st.text.track();
        st.filters.track();
        st.run(shared, 0);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = st.typed.get_untracked();
        if typed == st.text.get_untracked() {
            st.run(shared, 0);
        } else {
            st.text.set(typed);
        }
    };
    view! {
        <form class="search-bar" id="search-form" role="search" on:submit=submit>
            <input
                type="text"
                id="search-text"
                spellcheck="false"
                autocomplete="off"
                placeholder=move || store.tr(W::SearchPlaceholder)
                aria-label=move || store.tr(W::SearchPlaceholder)
                prop:value=move || st.typed.get()
                on:input=move |ev| st.typed.set(event_target_value(&ev))
            />
            <button type="submit" class="primary" id="search-run">{move || store.tr(W::Search)}</button>
        </form>
        <FilterControls st=st shared=shared options=options/>
        <Chips st=st shared=shared/>
        {move || st.problem.get().map(|e| view! {
            <div class="banner error" id="search-error" role="alert"><p class="message">{e.message}</p></div>
        })}
        <div class="search-columns">
            <Facets st=st shared=shared/>
            <Hits st=st shared=shared/>
        </div>
    }
}

#[component]
fn FilterControls(st: SearchState, shared: Shared, options: RwSignal<Option<vocwb_types::search::FilterOptions>>) -> impl IntoView {
    let store = use_store();
    let choose = move |label: W| move || store.tr(label);
    let code_options = move || {
        let lang = store.lang.get();
        shared.codes.get().into_iter().map(|c| {
            let indent = "\u{3000}".repeat(c.depth);
            let label = format!("{indent}{} {}", c.short_code, super::code_name(&c, lang));
            view! { <option value=c.id.clone()>{label}</option> }
        }).collect_view()
    };
    let value_options = move |pick: fn(&vocwb_types::search::FilterOptions) -> &Vec<(String, u64)>, channels: bool| {
        move || {
            let lang = store.lang.get();
            options.with(|o| {
                o.as_ref().map(|o| {
                    pick(o).iter().map(|(v, n)| {
                        let shown = if channels { channel_label(lang, v) } else { v.clone() };
                        view! { <option value=v.clone()>{format!("{shown} ({n})")}</option> }
                    }).collect_view()
                })
            })
        }
    };
    let toggle_polarity = move |p: Polarity| {
        st.filters.update(|f| {
            if let Some(i) = f.polarities.iter().position(|x| *x == p) {
                f.polarities.remove(i);
            } else {
                f.polarities.push(p);
            }
        })
    };
    let toggle_source = move |s: Source| {
        st.filters.update(|f| {
            if let Some(i) = f.sources.iter().position(|x| *x == s) {
                f.sources.remove(i);
            } else {
                f.sources.push(s);
            }
        })
    };
    let number = |ev: &leptos::ev::Event| event_target_value(ev).trim().parse::<f64>().ok().map(|v| v.clamp(0.0, 1.0));
    let date = |ev: &leptos::ev::Event| Some(event_target_value(ev)).filter(|d| !d.trim().is_empty());
    view! {
        <div class="filters" id="filters">
            <div class="filter">
                <label class="field" for="filter-code">{choose(W::Code)}</label>
                <select id="filter-code" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    reset_select(&ev);
                    st.filters.update(|f| add_to(&mut f.codes, v));
                }>
                    <option value="">{choose(W::AddCode)}</option>
                    {code_options}
                </select>
            </div>
            <div class="filter">
                <span class="field">{choose(W::Polarity)}</span>
                <div class="toggles">
                    {Polarity::ALL.into_iter().map(|p| {
                        let on = move || st.filters.with(|f| f.polarities.contains(&p));
                        view! {
                            <button type="button" class=format!("toggle pol-{p}") id=format!("filter-polarity-{p}")
                                class:on=on aria-pressed=move || if on() { "true" } else { "false" }
                                on:click=move |_| toggle_polarity(p)>
                                {move || store.tr(PolarityName(p))}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
            <div class="filter">
                <span class="field">{choose(W::Source)}</span>
                <div class="toggles">
                    {Source::ALL.into_iter().map(|s| {
                        let on = move || st.filters.with(|f| f.sources.contains(&s));
                        view! {
                            <button type="button" class="toggle" id=format!("filter-source-{s}")
                                class:on=on aria-pressed=move || if on() { "true" } else { "false" }
                                on:click=move |_| toggle_source(s)>
                                {move || store.tr(source_words(s))}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
            <div class="filter">
                <span class="field">{choose(W::Confidence)}</span>
                <div class="pair">
                    <input type="number" id="filter-conf-min" min="0" max="1" step="0.05" placeholder="0"
                        aria-label=choose(W::ConfidenceMin)
                        prop:value=move || st.filters.with(|f| f.min_confidence.map(|v| v.to_string()).unwrap_or_default())
                        on:change=move |ev| { let v = number(&ev); st.filters.update(|f| f.min_confidence = v) }/>
                    <span>"–"</span>
                    <input type="number" id="filter-conf-max" min="0" max="1" step="0.05" placeholder="1"
                        aria-label=choose(W::ConfidenceMax)
                        prop:value=move || st.filters.with(|f| f.max_confidence.map(|v| v.to_string()).unwrap_or_default())
                        on:change=move |ev| { let v = number(&ev); st.filters.update(|f| f.max_confidence = v) }/>
                </div>
            </div>
            <div class="filter">
                <label class="field" for="filter-channel">{choose(W::Channel)}</label>
                <select id="filter-channel" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    reset_select(&ev);
                    st.filters.update(|f| add_to(&mut f.channels, v));
                }>
                    <option value="">{choose(W::Any)}</option>
                    {value_options(|o| &o.channels, true)}
                </select>
            </div>
            <div class="filter">
                <span class="field">{choose(W::Dates)}</span>
                <div class="pair">
                    <input type="date" id="filter-date-from" aria-label=choose(W::DateFrom)
                        min=move || options.with(|o| o.as_ref().and_then(|o| o.first_date.clone()))
                        prop:value=move || st.filters.with(|f| f.date_from.clone().unwrap_or_default())
                        on:change=move |ev| { let v = date(&ev); st.filters.update(|f| f.date_from = v) }/>
                    <span>"–"</span>
                    <input type="date" id="filter-date-to" aria-label=choose(W::DateTo)
                        max=move || options.with(|o| o.as_ref().and_then(|o| o.last_date.clone()))
                        prop:value=move || st.filters.with(|f| f.date_to.clone().unwrap_or_default())
                        on:change=move |ev| { let v = date(&ev); st.filters.update(|f| f.date_to = v) }/>
                </div>
            </div>
            <div class="filter">
                <label class="field" for="filter-dealer">{choose(W::Dealer)}</label>
                <select id="filter-dealer" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    reset_select(&ev);
                    st.filters.update(|f| add_to(&mut f.dealers, v));
                }>
                    <option value="">{choose(W::Any)}</option>
                    {value_options(|o| &o.dealers, false)}
                </select>
            </div>
            <div class="filter">
                <label class="field" for="filter-vehicle-model">{choose(W::VehicleModel)}</label>
                <select id="filter-vehicle-model" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    reset_select(&ev);
                    st.filters.update(|f| add_to(&mut f.vehicle_models, v));
                }>
                    <option value="">{choose(W::Any)}</option>
                    {value_options(|o| &o.vehicle_models, false)}
                </select>
            </div>
            <div class="filter">
                <label class="field" for="filter-nps">{choose(W::Nps)}</label>
                <select id="filter-nps" prop:value=move || st.filters.with(|f| nps_band_of(f).to_string()) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let band = NPS_BANDS.iter().find(|(name, ..)| *name == v).map(|(_, lo, hi, _)| (*lo, *hi));
                    st.filters.update(|f| {
                        f.nps_min = band.map(|b| b.0);
                        f.nps_max = band.map(|b| b.1);
                    });
                }>
                    <option value="">{choose(W::Any)}</option>
                    {NPS_BANDS.iter().map(|(v, lo, hi, w)| {
                        let w = *w;
                        let range = format!(" {lo}–{hi}");
                        view! { <option value=*v>{move || store.tr(w)}{range.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label class="field" for="filter-review-status">{choose(W::ReviewStatus)}</label>
                <select id="filter-review-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    reset_select(&ev);
                    st.filters.update(|f| add_to(&mut f.review_status, v));
                }>
                    <option value="">{choose(W::Any)}</option>
                    {REVIEW_STATUSES.iter().map(|(v, w)| {
                        let w = *w;
                        view! { <option value=*v>{move || store.tr(w)}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
    }
}

/// One active condition, shown as a chip that removes itself.
#[derive(Clone)]
struct Chip {
    id: String,
    kind: W,
    label: String,
    remove: std::rc::Rc<dyn Fn(&mut Filters)>,
}

fn chips_of(f: &Filters, shared: &Shared, lang: Lang) -> Vec<Chip> {
    let mut chips = Vec::new();
    let mut push = |id: String, kind: W, label: String, remove: std::rc::Rc<dyn Fn(&mut Filters)>| chips.push(Chip { id, kind, label, remove });
    for code in &f.codes {
        let c = code.clone();
        push(format!("chip-code-{code}"), W::Code, shared.code_label(code, lang), std::rc::Rc::new(move |f: &mut Filters| f.codes.retain(|x| *x != c)));
    }
    for p in &f.polarities {
        let p = *p;
        push(format!("chip-polarity-{p}"), W::Polarity, t(lang, PolarityName(p)).into(), std::rc::Rc::new(move |f: &mut Filters| f.polarities.retain(|x| *x != p)));
    }
    for s in &f.sources {
        let s = *s;
        push(format!("chip-source-{s}"), W::Source, t(lang, source_words(s)).into(), std::rc::Rc::new(move |f: &mut Filters| f.sources.retain(|x| *x != s)));
    }
    if f.min_confidence.is_some() || f.max_confidence.is_some() {
        let label = format!("{}–{}", f.min_confidence.map(percent).unwrap_or("0%".into()), f.max_confidence.map(percent).unwrap_or("100%".into()));
        push("chip-confidence".into(), W::Confidence, label, std::rc::Rc::new(|f: &mut Filters| {
            f.min_confidence = None;
            f.max_confidence = None;
        }));
    }
    for (i, c) in f.channels.iter().enumerate() {
        let v = c.clone();
        push(format!("chip-channel-{i}"), W::Channel, channel_label(lang, c), std::rc::Rc::new(move |f: &mut Filters| f.channels.retain(|x| *x != v)));
    }
    if f.date_from.is_some() || f.date_to.is_some() {
        let label = format!("{} – {}", f.date_from.clone().unwrap_or_default(), f.date_to.clone().unwrap_or_default());
        push("chip-dates".into(), W::Dates, label, std::rc::Rc::new(|f: &mut Filters| {
            f.date_from = None;
            f.date_to = None;
        }));
    }
    for (i, d) in f.dealers.iter().enumerate() {
        let v = d.clone();
        push(format!("chip-dealer-{i}"), W::Dealer, d.clone(), std::rc::Rc::new(move |f: &mut Filters| f.dealers.retain(|x| *x != v)));
    }
    for (i, m) in f.vehicle_models.iter().enumerate() {
        let v = m.clone();
        push(format!("chip-vehicle-model-{i}"), W::VehicleModel, m.clone(), std::rc::Rc::new(move |f: &mut Filters| f.vehicle_models.retain(|x| *x != v)));
    }
    if f.nps_min.is_some() || f.nps_max.is_some() {
        let band = NPS_BANDS.iter().find(|(_, lo, hi, _)| f.nps_min == Some(*lo) && f.nps_max == Some(*hi));
        let range = format!("{}–{}", f.nps_min.unwrap_or(0), f.nps_max.unwrap_or(10));
        let label = band.map(|(.., w)| format!("{} {range}", t(lang, *w))).unwrap_or(range);
        push("chip-nps".into(), W::Nps, label, std::rc::Rc::new(|f: &mut Filters| {
            f.nps_min = None;
            f.nps_max = None;
        }));
    }
    for s in &f.review_status {
        let v = s.clone();
        let label = status_words(s).map(|w| t(lang, w).to_string()).unwrap_or_else(|| s.clone());
        push(format!("chip-review-status-{s}"), W::ReviewStatus, label, std::rc::Rc::new(move |f: &mut Filters| f.review_status.retain(|x| *x != v)));
    }
    chips
}

#[component]
fn Chips(st: SearchState, shared: Shared) -> impl IntoView {
    let store = use_store();
    move || {
        let lang = store.lang.get();
        let chips = st.filters.with(|f| chips_of(f, &shared, lang));
        (!chips.is_empty()).then(|| {
            let clear_label = t(lang, W::ClearFilters);
            let remove_word = t(lang, W::RemoveFilter);
            view! {
                <ul class="chips" id="chips" aria-label=t(lang, W::ActiveFilters)>
                    {chips.into_iter().map(|chip| {
                        let remove = chip.remove.clone();
                        let aria = format!("{remove_word}: {} {}", t(lang, chip.kind), chip.label);
                        view! {
                            <li class="chip">
                                <span class="chip-kind">{t(lang, chip.kind)}</span>
                                <span class="chip-value">{chip.label.clone()}</span>
                                <button type="button" class="chip-remove" id=chip.id.clone() aria-label=aria
                                    on:click=move |_| st.filters.update(|f| remove(f))>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                    <li><button type="button" class="ghost" id="chips-clear" on:click=move |_| st.filters.set(Filters::default())>{clear_label}</button></li>
                </ul>
            }
        })
    }
}

#[component]
fn Facets(st: SearchState, shared: Shared) -> impl IntoView {
    let store = use_store();
    view! {
        <aside class="card facets" id="facets" aria-label=move || store.tr(W::Facets)>
            <h2>{move || store.tr(W::Facets)}</h2>
            <p class="hint">{move || store.tr(W::FacetsHint)}</p>
            <ul class="facet-list">
                {move || {
                    let lang = store.lang.get();
                    let counts = st.results.with(|r| r.as_ref().map(|r| r.code_counts.clone()).unwrap_or_default());
                    counts.into_iter().take(FACETS).map(|c| {
                        let id = c.code_id.clone();
                        let chosen = st.filters.with(|f| f.codes.contains(&id));
                        let depth = shared.codes.with(|codes| codes.iter().find(|x| x.id == id).map(|x| x.depth).unwrap_or(0));
                        let label = shared.code_label(&id, lang);
                        let add = id.clone();
                        view! {
                            <li>
                                <button type="button" class="facet" class:chosen=chosen id=format!("facet-{id}")
                                    style:padding-left=format!("{}px", 8 + depth * 10)
                                    on:click=move |_| st.filters.update(|f| add_to(&mut f.codes, add.clone()))>
                                    <span class="facet-name">{label}</span>
                                    <span class="facet-count" id=format!("facet-{id}-count")>{c.count}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </aside>
    }
}

#[component]
fn Hits(st: SearchState, shared: Shared) -> impl IntoView {
    let store = use_store();
    let total = move || st.results.with(|r| r.as_ref().map(|r| r.total));
    view! {
        <section class="card hits-card" aria-live="polite">
            <div class="section-head">
                <h2>
                    {move || store.tr(W::Results)}" "
                    <span class="total" id="search-total">{move || total().map(|n| n.to_string()).unwrap_or_default()}</span>
                </h2>
                {move || st.busy.get().then(|| view! { <span class="hint" id="search-busy">{move || store.tr(W::Searching)}</span> })}
            </div>
            {move || (total() == Some(0)).then(|| view! { <p class="hint" id="search-empty">{move || store.tr(W::NoHits)}</p> })}
            <ol class="hits" id="hits">
                {move || {
                    let lang = store.lang.get();
                    st.hits.get().into_iter().map(|hit| hit_view(hit, shared, lang)).collect_view()
                }}
            </ol>
            {move || {
                let shown = st.hits.with(Vec::len) as u64;
                (total().is_some_and(|t| t > shown)).then(|| view! {
                    <button type="button" class="secondary" id="search-more" disabled=move || st.busy.get()
                        on:click=move |_| st.run(shared, st.hits.with_untracked(Vec::len))>
                        {move || store.tr(W::More)}
                    </button>
                })
            }}
        </section>
    }
}

fn hit_view(hit: Hit, shared: Shared, lang: Lang) -> impl IntoView {
    let id = hit.verbatim_id;
    let runs = highlight_runs(&hit.fragment, &hit.highlights);
    let snippet = runs
        .into_iter()
        .map(|(text, marked)| if marked { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() })
        .collect_view();
    let mut meta = vec![channel_label(lang, &hit.channel)];
    meta.extend(hit.date.clone());
    meta.extend(hit.dealer.clone());
    meta.extend(hit.vehicle_model.clone());
    if let Some(n) = hit.nps {
        meta.push(format!("NPS {n}"));
    }
    let statuses: Vec<String> = hit.review_status.iter().map(|s| status_words(s).map(|w| t(lang, w).to_string()).unwrap_or_else(|| s.clone())).collect();
    if !statuses.is_empty() {
        meta.push(statuses.join(" / "));
    }
    let codes = hit
        .codes
        .iter()
        .map(|c| {
            let mut text = shared.code_label(&c.code_id, lang);
            if let Some(p) = c.polarity {
                text.push_str(&format!(" · {}", t(lang, PolarityName(p))));
            }
            text.push_str(&format!(" · {}", t(lang, source_words(c.source))));
            if let Some(conf) = c.confidence {
                text.push_str(&format!(" {}", percent(conf)));
            }
            let class = format!("code-badge src-{} pol-{}", c.source, c.polarity.map(|p| p.as_str()).unwrap_or("none"));
            view! { <li class=class>{text}</li> }
        })
        .collect_view();
    view! {
        <li class="hit" id=format!("hit-{id}") data-verbatim=id.to_string()>
            <p class="snippet" id=format!("hit-{id}-snippet")>{snippet}</p>
            <p class="hit-meta"><span class="mono">{format!("#{id}")}</span>" · "{meta.join(" · ")}</p>
            <ul class="hit-codes">{codes}</ul>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_become_runs_and_bad_ranges_are_ignored() {
        let f = "变速箱有顿挫感";
        // 顿挫 is bytes 12..18.
        assert_eq!(highlight_runs(f, &[(12, 18)]), vec![("变速箱有".into(), false), ("顿挫".into(), true), ("感".into(), false)]);
        // Not on a character boundary, reversed, or past the end: plain text.
        assert_eq!(highlight_runs(f, &[(13, 18), (5, 2), (18, 99)]), vec![(f.to_string(), false)]);
        assert_eq!(highlight_runs("<b>x</b>", &[]), vec![("<b>x</b>".into(), false)]);
    }

    #[test]
    fn nps_band_round_trips() {
        let f = Filters { nps_min: Some(0), nps_max: Some(6), ..Default::default() };
        assert_eq!(nps_band_of(&f), "detractor");
        assert_eq!(nps_band_of(&Filters::default()), "");
    }
}
