//! The code frame screen: the draft, edit operations, publishing, versions, diffs and label
//! migration. Each command calls one engine function; the engine words every refusal.

use super::{engine_error, with_project};
use crate::state::AppState;
use crate::wire::FrameView;
use tauri::State;
use vocwb_engine::frame::migrate::MigrationReport;
use vocwb_engine::frame::{Frame, FrameOp, OpRecord, VersionInfo};
use vocwb_engine::Project;
use vocwb_types::ErrorInfo;

fn view(project: &Project, frame: Frame) -> Result<FrameView, ErrorInfo> {
    let latest = project.frame_versions().map_err(engine_error)?.last().map(|v| v.number);
    Ok(FrameView { problems: frame.validate(), frame, latest })
}

#[tauri::command(async)]
pub fn frame_draft(state: State<'_, AppState>) -> Result<FrameView, ErrorInfo> {
    with_project(&state, |p| {
        let frame = p.frame_draft().map_err(engine_error)?;
        view(p, frame)
    })
}

/// Applies one operation to the draft; refused (draft unchanged) when the result is invalid.
#[tauri::command(async)]
pub fn frame_edit(state: State<'_, AppState>, op: FrameOp, author: String) -> Result<FrameView, ErrorInfo> {
    with_project(&state, |p| {
        let frame = p.frame_edit(op, author.trim()).map_err(engine_error)?;
        view(p, frame)
    })
}

/// Publishes the draft as the next version; only a code-frame owner may.
#[tauri::command(async)]
pub fn frame_publish(state: State<'_, AppState>, author: String, changelog: Option<String>) -> Result<i64, ErrorInfo> {
    let changelog = changelog.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    with_project(&state, |p| p.frame_publish(author.trim(), changelog.as_deref()).map_err(engine_error))
}

#[tauri::command(async)]
pub fn frame_versions(state: State<'_, AppState>) -> Result<Vec<VersionInfo>, ErrorInfo> {
    with_project(&state, |p| p.frame_versions().map_err(engine_error))
}

/// The operations from version `from` to version `to` (`None`: the draft).
#[tauri::command(async)]
pub fn frame_diff(state: State<'_, AppState>, from: i64, to: Option<i64>) -> Result<Vec<OpRecord>, ErrorInfo> {
    with_project(&state, |p| p.frame_diff(from, to).map_err(engine_error))
}

/// Moves labels made under older versions to version `to` (`None`: the latest).
#[tauri::command(async)]
pub fn migrate_labels(state: State<'_, AppState>, to: Option<i64>) -> Result<MigrationReport, ErrorInfo> {
    with_project(&state, |p| p.migrate_labels(to).map_err(engine_error))
}
