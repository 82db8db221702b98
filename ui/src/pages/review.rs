//! The review screen (being written).

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let store = use_store();
    view! {
        <section class="page" id="page-review">
            <h1>{move || store.tr(Msg::NavReview)}</h1>
        </section>
    }
}
