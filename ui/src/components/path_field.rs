//! A labelled path input with a "Browse…" button for the native dialog.

use crate::i18n::Msg;
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn PathField(
    /// The input's id (the browse button gets `<id>-browse`).
    id: &'static str,
    label: Msg,
    placeholder: Msg,
    value: RwSignal<String>,
    /// Opens the native dialog; the page fills `value` with its answer.
    on_browse: Callback<()>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let store = use_store();
    view! {
        <label class="field" for=id>{move || store.tr(label)}</label>
        <div class="path-row">
            <input
                id=id
                type="text"
                class="path"
                spellcheck="false"
                autocomplete="off"
                placeholder=move || store.tr(placeholder)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                disabled=move || disabled.get()
            />
            <button
                type="button"
                id=format!("{id}-browse")
                class="secondary"
                disabled=move || disabled.get()
                on:click=move |_| on_browse.run(())
            >
                {move || store.tr(Msg::Browse)}
            </button>
        </div>
    }
}
