//! The root view: header with navigation, the error banner, and the current page.

use crate::api;
use crate::components::{ErrorBanner, Header};
use crate::i18n::Msg;
use crate::pages::{FramePage, ImportPage, LabelPage, LexiconPage, OverviewPage, ProjectsPage, ReviewPage, TrainPage};
use crate::store::{Page, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);

    Effect::new(move |_| {
        let lang = store.lang.get();
        lang.save();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    });

    let starting = RwSignal::new(true);
    spawn_local(async move {
        if let Err(e) = api::on_import_progress(move |p| store.progress.set(Some(p))).await {
            store.error.set(Some(e));
        }
        match api::startup_project().await {
            Ok(Some(project)) => store.show_project(project),
            Ok(None) => {}
            Err(e) => store.error.set(Some(e)),
        }
        starting.set(false);
        // The first real screen counts as painted once its CJK font is loaded (text is
        // invisible until then: font-display: block) and two more frames have been drawn.
        cjk_font_loaded().await;
        request_animation_frame(move || {
            request_animation_frame(move || {
                spawn_local(async move {
                    let _ = api::ui_ready(store.page.get_untracked().slug()).await;
                })
            })
        });
    });

    // Pages depend on whether a project is open, not on its counts: a fresh count must not
    // recreate the page (and lose what it shows).
    let has_project = Memo::new(move |_| store.project.with(Option::is_some));
    let page = move || {
        if starting.get() {
            return view! { <p class="loading" id="loading">{move || store.tr(Msg::Opening)}</p> }.into_any();
        }
        let page = store.page.get();
        let page = if page.needs_project() && !has_project.get() { Page::Projects } else { page };
        match page {
            Page::Projects => view! { <ProjectsPage/> }.into_any(),
            Page::Overview => view! { <OverviewPage/> }.into_any(),
            Page::Import => view! { <ImportPage/> }.into_any(),
            Page::Frame => view! { <FramePage/> }.into_any(),
            Page::Lexicon => view! { <LexiconPage/> }.into_any(),
            Page::Label => view! { <LabelPage/> }.into_any(),
            Page::Train => view! { <TrainPage/> }.into_any(),
            Page::Review => view! { <ReviewPage/> }.into_any(),
        }
    };

    view! {
        <Header/>
        <main id="main" tabindex="-1">
            <ErrorBanner/>
            {page}
        </main>
    }
}


/// Waits until the bundled CJK font is loaded (`document.fonts.load`); gives up silently
/// where the Font Loading API is missing.
async fn cjk_font_loaded() {
    use wasm_bindgen::JsCast;
    let Some(fonts) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| js_sys::Reflect::get(&d, &"fonts".into()).ok())
    else {
        return;
    };
    let Ok(load) = js_sys::Reflect::get(&fonts, &"load".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return;
    };
    let promise = load.call2(&fonts, &"16px \"VoCWB Sans\"".into(), &"项目".into());
    if let Ok(p) = promise.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
}
