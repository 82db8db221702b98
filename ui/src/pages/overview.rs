//! Project overview: totals and counts by channel.

use crate::api;
use crate::components::{fmt_count, StatTile};
use crate::i18n::{channel_names, Msg};
use crate::store::{use_store, Page};
use crate::wire::ProjectView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::Channel;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let store = use_store();
    // The counts may have changed since the project was opened (an import, the CLI).
    spawn_local(async move {
        match api::project_overview().await {
            // Redraw only when something changed (an unchanged redraw would drop focus).
            Ok(Some(p)) if store.project.with_untracked(|cur| cur.as_ref() != Some(&p)) => store.project.set(Some(p)),
            Ok(Some(_)) => {}
            Ok(None) => {}
            Err(e) => store.error.set(Some(e)),
        }
    });
    move || store.project.get().map(|p| view! { <Overview project=p/> })
}

#[component]
fn Overview(project: ProjectView) -> impl IntoView {
    let store = use_store();
    let stats = project.stats;
    let max_verbatims = stats.by_channel.values().map(|c| c.verbatims).max().unwrap_or(0).max(1);
    let rows = Channel::ALL
        .into_iter()
        .map(|channel| {
            let counts = stats.by_channel.get(channel.as_str()).cloned().unwrap_or_default();
            let (zh, en) = channel_names(channel);
            let share = format!("{:.1}%", counts.verbatims as f64 * 100.0 / max_verbatims as f64);
            let slug = channel.as_str();
            view! {
                <tr id=format!("channel-{slug}")>
                    <th scope="row">
                        <span class="zh">{zh}</span>
                        <span class="en">{en}</span>
                    </th>
                    <td class="num" id=format!("channel-{slug}-documents")>{fmt_count(counts.documents)}</td>
                    <td class="num" id=format!("channel-{slug}-verbatims")>{fmt_count(counts.verbatims)}</td>
                    <td class="bar-cell" aria-hidden="true">
                        <div class="bar"><div class="bar-fill" style:width=share></div></div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = stats.documents == 0;
    view! {
        <div class="page overview" id="page-overview">
            <div class="page-head">
                <div>
                    <h1 id="overview-title">{project.name.clone()}</h1>
                    <p class="path" id="overview-dir">{project.dir.clone()}</p>
                </div>
                <button type="button" id="go-import" class="primary" on:click=move |_| store.page.set(Page::Import)>
                    {move || store.tr(Msg::ImportData)}
                </button>
            </div>
            <div class="tiles">
                <StatTile id="total-documents" label=Msg::Documents value=stats.documents/>
                <StatTile id="total-verbatims" label=Msg::Verbatims value=stats.verbatims/>
                <StatTile id="total-sources" label=Msg::SourceFiles value=stats.sources/>
            </div>
            {empty.then(|| view! { <p class="hint" id="overview-empty">{move || store.tr(Msg::EmptyProject)}</p> })}
            <section class="card">
                <h2>{move || store.tr(Msg::ByChannel)}</h2>
                <table class="channels" id="channel-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || store.tr(Msg::Channel)}</th>
                            <th scope="col" class="num">{move || store.tr(Msg::Documents)}</th>
                            <th scope="col" class="num">{move || store.tr(Msg::Verbatims)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        </div>
    }
}
