//! The precision report beside the walker: precision per code with its Wilson 95% interval
//! (and per confidence band), what reviewers corrected predicted codes into, the codes they
//! added, and model-vs-reviewer agreement. It is the engine's report, reloaded after every
//! decision, and exported to XLSX by path (typed, or from the native save dialog).

use super::walk::ReviewState;
use super::words::W;
use super::{percent, Shared};
use crate::api;
use crate::components::PathField;
use crate::i18n::t;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::review::{Proportion, ReviewReport};
use vocwb_types::ErrorInfo;

/// `2/3`.
pub(super) fn fraction(p: &Proportion) -> String {
    format!("{}/{}", p.successes, p.n)
}

/// `20.8%–93.9%`, or a dash without decided items.
pub(super) fn interval(p: &Proportion) -> String {
    match (p.low, p.high) {
        (Some(l), Some(h)) => format!("{}–{}", percent(l), percent(h)),
        _ => "—".into(),
    }
}

pub(super) fn value(v: Option<f64>) -> String {
    v.map(percent).unwrap_or_else(|| "—".into())
}

#[component]
pub fn ReportCard(st: ReviewState, shared: Shared) -> impl IntoView {
    let store = use_store();
    let path = RwSignal::new(String::new());
    let exported = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<ErrorInfo>);
    let busy = RwSignal::new(false);
    let sample_id = move || if st.report_all.get_untracked() { None } else { st.sample.with_untracked(|s| s.as_ref().map(|s| s.id)) };
    let export = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = path.get_untracked();
        let sample = sample_id();
        busy.set(true);
        spawn_local(async move {
            let answer = api::review_export_report(sample, &to).await;
            busy.set(false);
            match answer {
                Ok(written) => {
                    problem.set(None);
                    exported.set(Some(written));
                }
                Err(e) => {
                    exported.set(None);
                    problem.set(Some(e));
                }
            }
        });
    };
    let browse = move |()| {
        let title = store.tr_now(W::ExportTitle);
        spawn_local(async move {
            match api::review_pick_report_path(title).await {
                Ok(Some(p)) => path.set(p),
                Ok(None) => {}
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card report-card" id="review-report">
            <div class="section-head">
                <h2>{move || store.tr(W::ReportTitle)}</h2>
                <label class="check" for="report-all">
                    <input type="checkbox" id="report-all" prop:checked=move || st.report_all.get()
                        on:change=move |ev| {
                            st.report_all.set(event_target_checked(&ev));
                            st.reload_report();
                        }/>
                    {move || store.tr(W::AllSamples)}
                </label>
            </div>
            {move || {
                store.lang.track();
                match st.report.get() {
                None => view! { <p class="hint" id="report-empty">{move || store.tr(W::ReportEmpty)}</p> }.into_any(),
                Some(r) => report_view(r, shared).into_any(),
            }}}
            <form class="export-form" on:submit=export>
                <PathField id="report-path" label=W::ExportPath placeholder=W::ReportPlaceholder value=path on_browse=Callback::new(browse)>
                    <button type="submit" class="primary" id="report-export"
                        disabled=move || busy.get() || st.report.with(Option::is_none)>{move || store.tr(W::Export)}</button>
                </PathField>
            </form>
            {move || exported.get().map(|p| view! { <p class="banner notice" id="report-exported">{move || store.tr(W::Exported)}" "<span class="path">{p.clone()}</span></p> })}
            {move || problem.get().map(|e| view! { <p class="banner error" id="report-error" role="alert">{e.message}</p> })}
        </section>
    }
}

fn report_view(r: ReviewReport, shared: Shared) -> impl IntoView {
    let store = use_store();
    let lang = store.lang.get_untracked();
    let a = r.agreement.clone();
    let kappa = a.polarity_kappa.map(|k| format!("{k:.2}")).unwrap_or_else(|| "—".into());
    let precision_rows = r
        .precision
        .iter()
        .map(|p| {
            let id = p.code_id.clone();
            let bands = p
                .bands
                .iter()
                .map(|b| format!("{} {} ({})", b.band, value(b.precision.value), fraction(&b.precision)))
                .collect::<Vec<_>>()
                .join("\n");
            view! {
                <tr id=format!("prec-{id}")>
                    <th scope="row">{shared.code_label(&id, lang)}</th>
                    <td class="num" id=format!("prec-{id}-n")>{fraction(&p.precision)}</td>
                    <td class="num strong" id=format!("prec-{id}-value")>{value(p.precision.value)}</td>
                    <td class="num" id=format!("prec-{id}-ci")>{interval(&p.precision)}</td>
                    <td class="num" id=format!("prec-{id}-weighted") title=bands>{value(p.weighted_precision)}</td>
                </tr>
            }
        })
        .collect_view();
    let confusion = r
        .confusion
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let to = c.corrected.as_ref().map(|c| shared.code_label(c, lang)).unwrap_or_else(|| t(lang, W::RejectedOutright).to_string());
            view! {
                <tr id=format!("confusion-{i}")>
                    <td>{shared.code_label(&c.predicted, lang)}</td>
                    <td>{to}</td>
                    <td class="num">{c.count}</td>
                </tr>
            }
        })
        .collect_view();
    let missed = r
        .missed
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{shared.code_label(&m.predicted, lang)}</td>
                    <td>{shared.code_label(&m.added, lang)}</td>
                    <td class="num">{m.count}</td>
                </tr>
            }
        })
        .collect_view();
    let has_confusion = !r.confusion.is_empty();
    let has_missed = !r.missed.is_empty();
    view! {
        <dl class="facts">
            <div><dt>{t(lang, W::Decided)}</dt><dd id="report-decided">{format!("{}/{}", r.decided, r.items)}</dd></div>
            <div><dt>{t(lang, W::AgreeCode)}</dt><dd id="agree-code" title=interval(&a.code)>{value(a.code.value)}</dd></div>
            <div><dt>{t(lang, W::AgreeExact)}</dt><dd id="agree-exact" title=interval(&a.exact)>{value(a.exact.value)}</dd></div>
            <div><dt>{t(lang, W::AgreePolarity)}</dt><dd id="agree-polarity" title=interval(&a.polarity)>{value(a.polarity.value)}</dd></div>
            <div><dt>{t(lang, W::Kappa)}</dt><dd id="agree-kappa">{kappa}</dd></div>
        </dl>
        <h3>{t(lang, W::PrecisionTitle)}</h3>
        <div class="table-scroll">
            <table class="precision" id="precision-table">
                <thead><tr>
                    <th scope="col">{t(lang, W::Code)}</th>
                    <th scope="col" class="num">{t(lang, W::CorrectOfDecided)}</th>
                    <th scope="col" class="num">{t(lang, W::Precision)}</th>
                    <th scope="col" class="num">{t(lang, W::Interval)}</th>
                    <th scope="col" class="num">{t(lang, W::Weighted)}</th>
                </tr></thead>
                <tbody>{precision_rows}</tbody>
            </table>
        </div>
        <h3>{t(lang, W::ConfusionTitle)}</h3>
        {(!has_confusion).then(|| view! { <p class="hint" id="confusion-empty">{t(lang, W::NoneYet)}</p> })}
        {has_confusion.then(|| view! {
            <table class="confusion" id="confusion">
                <thead><tr>
                    <th scope="col">{t(lang, W::Predicted)}</th>
                    <th scope="col">{t(lang, W::CorrectedTo)}</th>
                    <th scope="col" class="num">{t(lang, W::Count)}</th>
                </tr></thead>
                <tbody>{confusion}</tbody>
            </table>
        })}
        {has_missed.then(|| view! {
            <h3>{t(lang, W::MissedTitle)}</h3>
            <table class="missed" id="missed">
                <thead><tr>
                    <th scope="col">{t(lang, W::Predicted)}</th>
                    <th scope="col">{t(lang, W::Added)}</th>
                    <th scope="col" class="num">{t(lang, W::Count)}</th>
                </tr></thead>
                <tbody>{missed}</tbody>
            </table>
        })}
    }
}
