//! The last error, worded exactly as the engine worded it (it names file, row and field).

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;
use vocwb_types::ErrorCode;

#[component]
pub fn ErrorBanner() -> impl IntoView {
    let store = use_store();
    move || {
        store.error.get().map(|e| {
            // A cancel is the user's own choice, not a failure.
            let class = if e.code == ErrorCode::Cancelled { "banner notice" } else { "banner error" };
            view! {
                <div class=class id="error" role="alert">
                    <div class="banner-text">
                        <strong>{move || store.tr(Msg::ErrorTitle)}</strong>
                        <p id="error-message" class="message">{e.message.clone()}</p>
                    </div>
                    <button type="button" class="ghost" on:click=move |_| store.error.set(None)>
                        {move || store.tr(Msg::Dismiss)}
                    </button>
                </div>
            }
        })
    }
}
