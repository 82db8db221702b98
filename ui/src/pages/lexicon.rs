//! The lexicon screen (being written).

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn LexiconPage() -> impl IntoView {
    let store = use_store();
    view! {
        <section class="page" id="page-lexicon">
            <h1>{move || store.tr(Msg::NavLexicon)}</h1>
        </section>
    }
}
