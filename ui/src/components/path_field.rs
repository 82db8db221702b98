//! A labelled path input with a "Browse…" button for the native dialog, and room for the
//! page's own buttons after it (Import, Export…), so every path row looks and works alike.

use crate::i18n::{Msg, Words};
use crate::store::use_store;
use leptos::prelude::*;

#[component]
pub fn PathField<L, P>(
    /// The input's id (the browse button gets `<id>-browse`).
    id: &'static str,
    /// The field's label, from any page's word table.
    label: L,
    placeholder: P,
    value: RwSignal<String>,
    /// Opens the native dialog; the page fills `value` with its answer.
    on_browse: Callback<()>,
    #[prop(into, optional)] disabled: Signal<bool>,
    /// Buttons that follow "Browse…" on the same row.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    L: Words + Send + Sync + 'static,
    P: Words + Send + Sync + 'static,
{
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
            {children.map(|c| c())}
        </div>
    }
}
