//! Inter-coder agreement (Krippendorff's alpha, Cohen's kappa, percent agreement; pooled and
//! per code), the disagreements, and adjudication by a QA reviewer or code-frame owner.

use super::words::LabelWords as W;
use crate::i18n::PolarityName;
use super::workspace::polarity_class;
use crate::api;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::label::{AgreementView as Report, CoderInfo, DisagreementView};
use vocwb_types::{Polarity, Role};

/// A figure as shown: three decimals, or a dash when it cannot be computed.
pub fn figure(x: Option<f64>) -> String {
    x.map(|x| format!("{x:.3}")).unwrap_or_else(|| "—".into())
}

fn percent(x: Option<f64>) -> String {
    x.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

#[component]
pub fn AgreementView(coder: CoderInfo) -> impl IntoView {
    let store = use_store();
    let report = RwSignal::new(None::<Report>);
    let load = move || {
        spawn_local(async move {
            match api::label_agreement().await {
                Ok(r) => report.set(Some(r)),
                Err(e) => store.error.set(Some(e)),
            }
        })
    };
    load();
    let may_adjudicate = matches!(coder.role, Role::Reviewer | Role::Owner);
    let adjudicator = StoredValue::new(coder.name.clone());
    view! {
        <div class="agreement" id="agreement">
            <section class="card">
                <div class="section-head">
                    <div>
                        <h2>{move || store.tr(W::AgreementTitle)}</h2>
                        <p class="hint">{move || store.tr(W::AgreementHint)}</p>
                    </div>
                    <button type="button" class="secondary" id="agreement-refresh" on:click=move |_| load()>{move || store.tr(W::Refresh)}</button>
                </div>
                {move || report.get().map(|r| {
                    if r.verbatims == 0 {
                        return view! { <p class="hint" id="agreement-none">{move || store.tr(W::NoOverlap)}</p> }.into_any();
                    }
                    view! {
                        <dl class="facts agreement-figures">
                            <div><dt>{move || store.tr(W::Alpha)}</dt><dd class="figure" id="agreement-alpha">{figure(r.krippendorff_alpha)}</dd></div>
                            <div><dt>{move || store.tr(W::Kappa)}</dt><dd class="figure" id="agreement-kappa">{figure(r.cohen_kappa)}</dd></div>
                            <div><dt>{move || store.tr(W::PercentAgreement)}</dt><dd class="figure" id="agreement-percent">{percent(r.percent_agreement)}</dd></div>
                            <div><dt>{move || store.tr(W::Coders)}</dt><dd id="agreement-coders">{r.coders.join(", ")}</dd></div>
                            <div><dt>{move || store.tr(W::VerbatimsWord)}</dt><dd id="agreement-verbatims">{r.verbatims}</dd></div>
                            <div><dt>{move || store.tr(W::Units)}</dt><dd id="agreement-units">{r.units}</dd></div>
                        </dl>
                    }.into_any()
                })}
            </section>
            {move || report.get().filter(|r| r.verbatims > 0).map(|r| view! {
                <div class="agreement-columns">
                    <section class="card per-code-card">
                        <table id="agreement-per-code">
                            <thead><tr>
                                <th scope="col">{move || store.tr(W::Code)}</th>
                                <th scope="col" class="num">{move || store.tr(W::Units)}</th>
                                <th scope="col" class="num">"α"</th>
                                <th scope="col" class="num">"κ"</th>
                                <th scope="col" class="num">"%"</th>
                            </tr></thead>
                            <tbody>
                                {r.per_code.into_iter().map(|c| view! {
                                    <tr id=format!("agree-{}", c.code_id)>
                                        <td><span class="mono">{c.short_code.clone()}</span>" "{c.name_zh.clone()}</td>
                                        <td class="num">{c.units}</td>
                                        <td class="num" id=format!("agree-{}-alpha", c.code_id)>{figure(c.krippendorff_alpha)}</td>
                                        <td class="num" id=format!("agree-{}-kappa", c.code_id)>{figure(c.cohen_kappa)}</td>
                                        <td class="num">{percent(c.percent_agreement)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                    <section class="card disagreements-card">
                        <h2>{move || store.tr(W::Disagreements)}" "<span class="badge" id="disagreement-count">{r.disagreements.len()}</span></h2>
                        {(!may_adjudicate).then(|| view! { <p class="banner notice" id="adjudicate-needs-role">{move || store.tr(W::AdjudicateNeedsRole)}</p> })}
                        {r.disagreements.is_empty().then(|| view! { <p class="hint">{move || store.tr(W::NoDisagreements)}</p> })}
                        <ul class="disagreements" id="disagreements">
                            {r.disagreements.into_iter().map(|d| view! {
                                <Disagreement d=d may_adjudicate=may_adjudicate adjudicator=adjudicator report=report/>
                            }).collect_view()}
                        </ul>
                    </section>
                </div>
            })}
        </div>
    }
}

#[component]
fn Disagreement(d: DisagreementView, may_adjudicate: bool, adjudicator: StoredValue<String>, report: RwSignal<Option<Report>>) -> impl IntoView {
    let store = use_store();
    let key = format!("{}-{}", d.verbatim_id, d.code_id);
    // The decision to record: a polarity, or "none" (the code does not apply).
    let initial = d.values.iter().find_map(|v| v.polarity).map(|p| p.as_str().to_string()).unwrap_or_else(|| "none".into());
    let choice = RwSignal::new(initial);
    let (verbatim_id, code_id) = (d.verbatim_id, d.code_id.clone());
    let decide = move |_| {
        let polarity: Option<Polarity> = choice.get_untracked().parse().ok();
        let code_id = code_id.clone();
        spawn_local(async move {
            match api::label_adjudicate(&adjudicator.get_value(), verbatim_id, &code_id, polarity).await {
                Ok(r) => {
                    store.error.set(None);
                    report.set(Some(r));
                }
                Err(e) => store.error.set(Some(e)),
            }
        });
    };
    let kind = if d.kind == "polarity" { W::KindPolarity } else { W::KindPresence };
    view! {
        <li class="disagreement" id=format!("dis-{key}")>
            <div class="dis-head">
                <span class="mono">{d.short_code.clone()}</span>" "<strong>{d.name_zh.clone()}</strong>
                <span class="badge">{move || store.tr(kind)}</span>
                <span class="hint">"#"{d.verbatim_id}</span>
            </div>
            <p class="dis-text">{d.text.clone()}</p>
            <ul class="dis-values">
                {d.values.iter().map(|v| {
                    let p = v.polarity;
                    view! {
                        <li>
                            <span class="dis-coder">{v.coder.clone()}</span>" "
                            <span class=polarity_class(p)>{move || p.map(|p| store.tr(PolarityName(p))).unwrap_or_else(|| store.tr(W::NotApplied))}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {d.decision.clone().map(|dec| {
                let p = dec.polarity;
                view! {
                    <p class="dis-decision" id=format!("decision-{key}")>
                        {move || store.tr(W::Decision)}": "
                        <span class=polarity_class(p)>{move || p.map(|p| store.tr(PolarityName(p))).unwrap_or_else(|| store.tr(W::DoesNotApply))}</span>
                        " · "{move || store.tr(W::DecidedBy)}" "{dec.adjudicator.clone()}
                    </p>
                }
            })}
            {may_adjudicate.then(|| view! {
                <div class="dis-actions">
                    <select id=format!("adj-{key}") prop:value=move || choice.get() on:change=move |ev| choice.set(event_target_value(&ev))>
                        {Polarity::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{move || store.tr(PolarityName(p))}</option> }).collect_view()}
                        <option value="none">{move || store.tr(W::DoesNotApply)}</option>
                    </select>
                    <button type="button" class="secondary small" id=format!("adj-btn-{key}") on:click=decide>{move || store.tr(W::Adjudicate)}</button>
                </div>
            })}
        </li>
    }
}
