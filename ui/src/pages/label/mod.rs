//! The labelling screen: choose who is labelling, then label one verbatim at a time with the
//! keyboard ([`workspace`]), or look at inter-coder agreement and adjudicate ([`agreement`]).

mod agreement;
mod workspace;
mod words;

use crate::api;
use crate::store::use_store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::label::CoderInfo;
use vocwb_types::Role;
use words::{LabelWords as W, RoleName};

const CODER_KEY: &str = "vocwb.label.coder";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The coder chosen last time on this machine.
fn saved_coder() -> Option<CoderInfo> {
    let raw = storage()?.get_item(CODER_KEY).ok().flatten()?;
    let (role, name) = raw.split_once('\t')?;
    Some(CoderInfo { name: name.to_string(), role: role.parse().ok()? })
}

fn save_coder(coder: &CoderInfo) {
    if let Some(s) = storage() {
        let _ = s.set_item(CODER_KEY, &format!("{}\t{}", coder.role.as_str(), coder.name));
    }
}

/// Moves keyboard focus to the element with `id` once the page has drawn it.
pub(crate) fn focus_soon(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Label,
    Agreement,
}

#[component]
pub fn LabelPage() -> impl IntoView {
    let store = use_store();
    let coder = RwSignal::new(None::<CoderInfo>);
    let tab = RwSignal::new(Tab::Label);
    // The saved coder is confirmed with the engine (the profile may not exist in this project yet).
    if let Some(saved) = saved_coder() {
        spawn_local(async move {
            match api::label_set_coder(&saved.name, saved.role).await {
                Ok(c) => coder.set(Some(c)),
                Err(e) => store.error.set(Some(e)),
            }
        });
    }
    let tab_button = move |which: Tab, id: &'static str, words: W| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                class="label-tab"
                class:active=move || tab.get() == which
                aria-selected=move || if tab.get() == which { "true" } else { "false" }
                on:click=move |_| tab.set(which)
            >
                {move || store.tr(words)}
            </button>
        }
    };
    view! {
        <section class="page label-page" id="page-label">
            <div class="label-head">
                <h1>{move || store.tr(W::Title)}</h1>
                <div class="label-tabs" role="tablist">
                    {tab_button(Tab::Label, "tab-label", W::TabLabel)}
                    {tab_button(Tab::Agreement, "tab-agreement", W::TabAgreement)}
                </div>
                <div class="spacer"></div>
                {move || coder.get().map(|c| view! {
                    <div class="coder-chip" id="coder-chip">
                        <span class="hint">{move || store.tr(W::LabellingAs)}</span>
                        <strong id="coder-current">{c.name.clone()}</strong>
                        <span class="badge" id="coder-current-role">{move || store.tr(RoleName(c.role))}</span>
                        <button type="button" class="ghost" id="coder-change" on:click=move |_| coder.set(None)>
                            {move || store.tr(W::ChangeCoder)}
                        </button>
                    </div>
                })}
            </div>
            {move || match (coder.get(), tab.get()) {
                (None, _) => view! { <CoderForm coder=coder/> }.into_any(),
                (Some(c), Tab::Label) => view! { <workspace::Workspace coder=c/> }.into_any(),
                (Some(c), Tab::Agreement) => view! { <agreement::AgreementView coder=c/> }.into_any(),
            }}
        </section>
    }
}

/// Name and role of the person labelling.
#[component]
fn CoderForm(coder: RwSignal<Option<CoderInfo>>) -> impl IntoView {
    let store = use_store();
    let last = saved_coder();
    let name = RwSignal::new(last.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let role = RwSignal::new(last.map(|c| c.role).unwrap_or_default());
    let known = RwSignal::new(Vec::<CoderInfo>::new());
    spawn_local(async move {
        if let Ok(list) = api::label_coders().await {
            known.set(list);
        }
    });
    let start = move || {
        let (n, r) = (name.get_untracked(), role.get_untracked());
        if n.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            match api::label_set_coder(&n, r).await {
                Ok(c) => {
                    store.error.set(None);
                    save_coder(&c);
                    coder.set(Some(c));
                }
                Err(e) => store.error.set(Some(e)),
            }
        });
    };
    // Choosing a known name takes its role too.
    let on_name = move |ev| {
        let n = event_target_value(&ev);
        if let Some(c) = known.with_untracked(|k| k.iter().find(|c| c.name == n).cloned()) {
            role.set(c.role);
        }
        name.set(n);
    };
    focus_soon("coder-name");
    let roles = [Role::Researcher, Role::Owner, Role::Reviewer];
    view! {
        <form class="card coder-form" id="coder-form" on:submit=move |ev| { ev.prevent_default(); start(); }>
            <h2>{move || store.tr(W::CoderTitle)}</h2>
            <p class="hint">{move || store.tr(W::CoderHint)}</p>
            <div class="import-form">
                <div class="grow">
                    <label class="field" for="coder-name">{move || store.tr(W::CoderName)}</label>
                    <input type="text" id="coder-name" list="coder-names" autocomplete="off"
                        prop:value=move || name.get() on:input=on_name
                        // Enter starts even while the browser shows its list of known names
                        // (which would otherwise take the Enter for itself).
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); start(); }/>
                    <datalist id="coder-names">
                        {move || known.get().into_iter().map(|c| view! { <option value=c.name.clone()></option> }).collect_view()}
                    </datalist>
                </div>
                <div>
                    <label class="field" for="coder-role">{move || store.tr(W::CoderRole)}</label>
                    <select id="coder-role" prop:value=move || role.get().as_str()
                        on:change=move |ev| role.set(event_target_value(&ev).parse().unwrap_or_default())>
                        {roles.into_iter().map(|r| view! { <option value=r.as_str()>{move || store.tr(RoleName(r))}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" id="coder-start" disabled=move || name.with(|n| n.trim().is_empty())>
                    {move || store.tr(W::Start)}
                </button>
            </div>
        </form>
    }
}
