//! The lexicon screen: the terms with the codes they may point to, add/edit/delete, and
//! import/export by path (the dialogs in [`super::dialog`] only choose the path).

use super::{blocking, engine_error, user_path, with_project};
use crate::state::AppState;
use crate::wire::{CodeChoice, LexiconView};
use tauri::State;
use vocwb_engine::frame::files::{read_lexicon, write_lexicon};
use vocwb_engine::frame::{CodeStatus, Lexicon, LexiconTerm};
use vocwb_engine::Project;
use vocwb_types::{ErrorCode, ErrorInfo};

fn view(project: &Project, lexicon: Lexicon) -> Result<LexiconView, ErrorInfo> {
    let frame = project.frame_draft().map_err(engine_error)?;
    let codes = frame
        .codes
        .iter()
        .filter(|c| c.status == CodeStatus::Active)
        .map(|c| CodeChoice {
            short_code: c.short_code.clone(),
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            path_zh: frame.path_names(&c.id).join(" › "),
        })
        .collect();
    Ok(LexiconView { terms: lexicon.terms, codes })
}

#[tauri::command(async)]
pub fn lexicon_view(state: State<'_, AppState>) -> Result<LexiconView, ErrorInfo> {
    with_project(&state, |p| {
        let lexicon = p.lexicon().map_err(engine_error)?;
        view(p, lexicon)
    })
}

/// Adds `term`, or replaces the term named `replacing`; refused (nothing changed) when a
/// code is unknown or the term already exists.
#[tauri::command(async)]
pub fn lexicon_put(state: State<'_, AppState>, replacing: Option<String>, term: LexiconTerm) -> Result<LexiconView, ErrorInfo> {
    with_project(&state, |p| {
        let lexicon = p.lexicon_put(replacing.as_deref(), term).map_err(engine_error)?;
        view(p, lexicon)
    })
}

#[tauri::command(async)]
pub fn lexicon_delete(state: State<'_, AppState>, term: String) -> Result<LexiconView, ErrorInfo> {
    with_project(&state, |p| {
        let lexicon = p.lexicon_delete(&term).map_err(engine_error)?;
        view(p, lexicon)
    })
}

/// Replaces the lexicon with a CSV, XLSX or TOML file; a bad file changes nothing.
#[tauri::command]
pub async fn lexicon_import(state: State<'_, AppState>, path: String) -> Result<LexiconView, ErrorInfo> {
    let path = user_path(&path)?;
    let lexicon = blocking(move || read_lexicon(&path).map_err(engine_error)).await?;
    with_project(&state, |p| {
        p.set_lexicon(&lexicon).map_err(engine_error)?;
        view(p, lexicon)
    })
}

/// Writes the lexicon to `path`, in the format its extension names (csv, xlsx or toml).
#[tauri::command]
pub async fn lexicon_export(state: State<'_, AppState>, path: String) -> Result<String, ErrorInfo> {
    let path = user_path(&path)?;
    let format = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if !matches!(format.as_str(), "csv" | "xlsx" | "toml") {
        return Err(super::shell_error(
            ErrorCode::BadInput,
            format!("{}: name the file .csv, .xlsx or .toml", path.display()),
        ));
    }
    let lexicon = with_project(&state, |p| p.lexicon().map_err(engine_error))?;
    let shown = path.display().to_string();
    blocking(move || write_lexicon(&lexicon, &format, &path).map_err(engine_error)).await?;
    Ok(shown)
}
