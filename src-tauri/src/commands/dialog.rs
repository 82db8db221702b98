//! Native file dialogs. Each only returns a path: the action itself is a separate command
//! taking that path, which is also what the end-to-end tests call (they cannot drive a
//! native dialog).

use super::blocking;
use tauri::Window;
use tauri_plugin_dialog::DialogExt;
use vocwb_types::ErrorInfo;

/// File types the importer reads (see `vocwb_engine::import::Format`).
const IMPORTABLE: &[&str] = &["csv", "tsv", "xlsx", "xlsm", "jsonl", "ndjson", "json", "txt"];

/// Lets the user choose (or create) a folder; `None` when the dialog was dismissed.
#[tauri::command]
pub async fn pick_folder(window: Window, title: String) -> Result<Option<String>, ErrorInfo> {
    let dialog = window.dialog().file().set_parent(&window).set_title(title).set_can_create_directories(true);
    blocking(move || Ok(dialog.blocking_pick_folder().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())))
        .await
}

/// Lets the user choose a file to import; `None` when the dialog was dismissed.
#[tauri::command]
pub async fn pick_import_file(window: Window, title: String) -> Result<Option<String>, ErrorInfo> {
    let dialog = window.dialog().file().set_parent(&window).set_title(title).add_filter("CSV, TSV, Excel, JSONL, TXT", IMPORTABLE);
    blocking(move || Ok(dialog.blocking_pick_file().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())))
        .await
}

/// Lets the user choose a lexicon file to import (CSV, XLSX or TOML).
#[tauri::command]
pub async fn pick_lexicon_file(window: Window, title: String) -> Result<Option<String>, ErrorInfo> {
    let dialog = window.dialog().file().set_parent(&window).set_title(title).add_filter("CSV, Excel, TOML", &["csv", "xlsx", "toml"]);
    blocking(move || Ok(dialog.blocking_pick_file().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())))
        .await
}

/// Lets the user name a file to write; `None` when the dialog was dismissed.
#[tauri::command]
pub async fn pick_save_file(window: Window, title: String, file_name: String) -> Result<Option<String>, ErrorInfo> {
    let dialog = window.dialog().file().set_parent(&window).set_title(title).set_file_name(file_name);
    blocking(move || Ok(dialog.blocking_save_file().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())))
        .await
}
