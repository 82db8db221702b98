//! The VoC Workbench window, a Leptos (CSR) app compiled to wasm and embedded by `vocwb-app`.
//!
//! Layout: [`api`] is the only module that calls the backend; `pages/` has one file per
//! screen; `components/` are plain views that never call the backend; [`store::Store`] is
//! the shared state; [`i18n`] holds every word in Chinese and English.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod store;

/// Shapes shared with the shell (the same file is compiled into `vocwb-app`).
#[path = "../../src-tauri/src/wire.rs"]
mod wire;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
