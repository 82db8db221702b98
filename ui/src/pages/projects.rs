//! Projects: open the demo in one click, create a project, open one (path or recent list).

use crate::api::{self, ApiResult};
use crate::components::PathField;
use crate::i18n::Msg;
use crate::store::{use_store, Store};
use crate::wire::{ProjectView, RecentProject};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let store = use_store();
    let busy = RwSignal::new(false);
    let create_dir = RwSignal::new(String::new());
    let open_dir = RwSignal::new(String::new());
    let recent = RwSignal::new(Vec::<RecentProject>::new());
    spawn_local(async move {
        match api::recent_projects().await {
            Ok(list) => recent.set(list),
            Err(e) => store.error.set(Some(e)),
        }
    });

    let browse_into = move |target: RwSignal<String>| {
        Callback::new(move |()| {
            let title = store.tr_now(Msg::ChooseFolder);
            spawn_local(async move {
                match api::pick_folder(title).await {
                    Ok(Some(path)) => target.set(path),
                    Ok(None) => {}
                    Err(e) => store.error.set(Some(e)),
                }
            });
        })
    };
    let on_create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let dir = create_dir.get_untracked();
        opening(store, busy, async move { api::create_project(&dir).await });
    };
    let on_open = move |ev: SubmitEvent| {
        ev.prevent_default();
        let dir = open_dir.get_untracked();
        opening(store, busy, async move { api::open_project(&dir).await });
    };
    let disabled = Signal::derive(move || busy.get());

    view! {
        <div class="page projects" id="page-projects">
            <h1>{move || store.tr(Msg::ProjectsTitle)}</h1>
            <div class="columns">
                <div class="column">
                    <section class="card demo">
                        <h2>{move || store.tr(Msg::DemoTitle)}</h2>
                        <p class="hint">{move || store.tr(Msg::DemoText)}</p>
                        <button
                            type="button"
                            id="open-demo"
                            class="primary"
                            disabled=move || busy.get()
                            on:click=move |_| opening(store, busy, api::open_demo())
                        >
                            {move || store.tr(Msg::DemoOpen)}
                        </button>
                    </section>
                    <section class="card">
                        <h2>{move || store.tr(Msg::CreateTitle)}</h2>
                        <p class="hint">{move || store.tr(Msg::CreateHint)}</p>
                        <form on:submit=on_create>
                            <PathField
                                id="create-dir"
                                label=Msg::FolderLabel
                                placeholder=Msg::FolderPlaceholder
                                value=create_dir
                                on_browse=browse_into(create_dir)
                                disabled=disabled
                            />
                            <div class="actions">
                                <button type="submit" id="create-submit" class="primary" disabled=move || busy.get()>
                                    {move || store.tr(Msg::Create)}
                                </button>
                            </div>
                        </form>
                    </section>
                    <section class="card">
                        <h2>{move || store.tr(Msg::OpenTitle)}</h2>
                        <p class="hint">{move || store.tr(Msg::OpenHint)}</p>
                        <form on:submit=on_open>
                            <PathField
                                id="open-dir"
                                label=Msg::FolderLabel
                                placeholder=Msg::FolderPlaceholder
                                value=open_dir
                                on_browse=browse_into(open_dir)
                                disabled=disabled
                            />
                            <div class="actions">
                                <button type="submit" id="open-submit" class="primary" disabled=move || busy.get()>
                                    {move || store.tr(Msg::Open)}
                                </button>
                            </div>
                        </form>
                    </section>
                </div>
                <section class="card column recent" id="recent">
                    <h2>{move || store.tr(Msg::RecentTitle)}</h2>
                    <Show
                        when=move || recent.with(|r| !r.is_empty())
                        fallback=move || view! { <p class="hint">{move || store.tr(Msg::RecentEmpty)}</p> }
                    >
                        <ul class="recent-list">
                            <For each=move || recent.get() key=|r| r.dir.clone() children=move |r| {
                                let dir = r.dir.clone();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="recent-item"
                                            title=r.dir.clone()
                                            disabled=move || busy.get()
                                            on:click=move |_| {
                                                let dir = dir.clone();
                                                opening(store, busy, async move { api::open_project(&dir).await });
                                            }
                                        >
                                            <span class="recent-name">{r.name.clone()}</span>
                                            <span class="recent-dir">{r.dir.clone()}</span>
                                        </button>
                                    </li>
                                }
                            } />
                        </ul>
                    </Show>
                </section>
            </div>
            <Show when=move || busy.get()>
                <p class="loading" role="status">{move || store.tr(Msg::Opening)}</p>
            </Show>
        </div>
    }
}

/// Runs one way of opening a project; on success the overview shows it.
fn opening(store: Store, busy: RwSignal<bool>, open: impl Future<Output = ApiResult<ProjectView>> + 'static) {
    busy.set(true);
    store.error.set(None);
    spawn_local(async move {
        let result = open.await;
        busy.set(false);
        match result {
            Ok(project) => store.show_project(project),
            Err(e) => store.error.set(Some(e)),
        }
    });
}
