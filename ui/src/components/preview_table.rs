//! The first documents of an import preview.

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;
use vocwb_types::PreviewRow;

#[component]
pub fn PreviewTable(rows: Vec<PreviewRow>) -> impl IntoView {
    let store = use_store();
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td class="mono">{r.external_id}</td>
                    <td class="nowrap">{r.date.unwrap_or_default()}</td>
                    <td class="num">{r.nps.map(|n| n.to_string()).unwrap_or_default()}</td>
                    <td class="text">
                        {r.texts.into_iter().map(|t| view! { <p class="clamp">{t}</p> }).collect_view()}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="preview" id="preview-rows">
            <thead>
                <tr>
                    <th scope="col">{move || store.tr(Msg::FieldId)}</th>
                    <th scope="col">{move || store.tr(Msg::FieldDate)}</th>
                    <th scope="col" class="num">{move || store.tr(Msg::FieldNps)}</th>
                    <th scope="col">{move || store.tr(Msg::FieldText)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
