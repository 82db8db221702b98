//! The top bar: app name, one tab per available screen, the open project, the language toggle.

use crate::i18n::Msg;
use crate::store::{use_store, Page};
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let store = use_store();
    let pages = move || {
        let has_project = store.project.with(Option::is_some);
        Page::ALL.into_iter().filter(|p| has_project || !p.needs_project()).collect::<Vec<_>>()
    };
    let toggle = move |_| store.lang.update(|l| *l = l.other());
    view! {
        <header class="topbar">
            <span class="brand">{move || store.tr(Msg::AppName)}</span>
            <nav class="tabs" aria-label=move || store.tr(Msg::AppName)>
                <For each=pages key=|p| *p children=move |page| {
                    let current = move || store.page.get() == page;
                    view! {
                        <button
                            type="button"
                            id=format!("nav-{}", page.slug())
                            class="tab"
                            class:active=current
                            aria-current=move || current().then_some("page")
                            on:click=move |_| {
                                store.error.set(None);
                                store.page.set(page);
                            }
                        >
                            {move || store.tr(page.title())}
                        </button>
                    }
                } />
            </nav>
            <span class="spacer"></span>
            {move || store.project.get().map(|p| view! {
                <span class="project-chip" id="project-name" title=p.dir.clone()>
                    {p.name.clone()}
                    {p.is_demo.then(|| view! { <span class="badge">{move || store.tr(Msg::DemoBadge)}</span> })}
                </span>
            })}
            <button
                type="button"
                id="lang-toggle"
                class="lang"
                title=move || store.tr(Msg::SwitchLanguageHint)
                aria-label=move || store.tr(Msg::SwitchLanguageHint)
                on:click=toggle
            >
                {move || store.tr(Msg::SwitchLanguage)}
            </button>
        </header>
    }
}
