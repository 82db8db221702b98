//! The label screen (being written).

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn LabelPage() -> impl IntoView {
    let store = use_store();
    view! {
        <section class="page" id="page-label">
            <h1>{move || store.tr(Msg::NavLabel)}</h1>
        </section>
    }
}
