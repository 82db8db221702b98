//! The train screen (being written).

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn TrainPage() -> impl IntoView {
    let store = use_store();
    view! {
        <section class="page" id="page-train">
            <h1>{move || store.tr(Msg::NavTrain)}</h1>
        </section>
    }
}
