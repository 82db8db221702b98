//! Commands of the search & review screen: searching the index, its status and rebuild (with
//! progress and cancel), drawing review samples, recording decisions, and the precision report
//! with its XLSX export.
//!
//! Work that may take long (a search that has to refresh or rebuild the index, a rebuild,
//! drawing a sample, writing the workbook) runs on the blocking pool with its own connection,
//! so the window's connection stays free for the quick reads.

use super::app::poisoned;
use super::{blocking, engine_error, shell_error, user_path};
use crate::state::AppState;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager, State, Window};
use tauri_plugin_dialog::DialogExt;
use vocwb_engine::frame::CodeStatus;
use vocwb_engine::review::{write_report_xlsx, Decision, ReviewReport, ReviewSample, SampleParams, Verdict};
use vocwb_engine::Project;
use vocwb_types::review_screen::{CodeChoice, CoderProfile, REVIEW_PROGRESS_EVENT};
use vocwb_types::search::{FilterOptions, IndexReport, IndexStatus, SearchQuery, SearchResults};
use vocwb_types::{ErrorCode, ErrorInfo, ProgressEvent};

/// Set by `review_cancel`; the running index rebuild sees it and stops.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// tantivy allows one writer per index: searches (which may refresh it) and rebuilds of this
/// window take turns instead of failing on the lock.
static INDEX_WORK: Mutex<()> = Mutex::new(());

/// The open project's directory, for work that opens its own connection.
fn project_dir(state: &State<'_, AppState>) -> Result<PathBuf, ErrorInfo> {
    let guard = state.project.lock().map_err(|_| poisoned())?;
    let project = guard.as_ref().ok_or_else(|| shell_error(ErrorCode::NotAProject, "no project is open"))?;
    Ok(project.dir().to_path_buf())
}

fn with_project<T>(state: &State<'_, AppState>, f: impl FnOnce(&mut Project) -> Result<T, ErrorInfo>) -> Result<T, ErrorInfo> {
    let mut guard = state.project.lock().map_err(|_| poisoned())?;
    let project = guard.as_mut().ok_or_else(|| shell_error(ErrorCode::NotAProject, "no project is open"))?;
    f(project)
}

fn index_lock() -> std::sync::MutexGuard<'static, ()> {
    // A panic elsewhere while holding it leaves nothing half-done that the lock protects.
    INDEX_WORK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forwards index progress to the window and answers "stop" once `review_cancel` was called.
struct WindowProgress<'a> {
    app: &'a AppHandle,
    label: &'a str,
}

impl vocwb_engine::Progress for WindowProgress<'_> {
    fn report(&self, event: &ProgressEvent) -> bool {
        // A closed window cannot be told; the work goes on regardless.
        let _ = self.app.emit_to(self.label, REVIEW_PROGRESS_EVENT, event);
        !CANCEL.load(Ordering::SeqCst)
    }
}

/// Searches the open project; the engine refreshes (or rebuilds) the index first when the
/// database changed since, reporting that work as progress.
#[tauri::command]
pub async fn search_run(window: Window, query: SearchQuery) -> Result<SearchResults, ErrorInfo> {
    let dir = project_dir(&window.state::<AppState>())?;
    let app = window.app_handle().clone();
    let label = window.label().to_string();
    blocking(move || {
        let _turn = index_lock();
        let project = Project::open(&dir).map_err(engine_error)?;
        project.search(&query, &WindowProgress { app: &app, label: &label }).map_err(engine_error)
    })
    .await
}

/// The values the filter lists offer (channels, dealers, vehicle models, dates, statuses).
#[tauri::command(async)]
pub fn search_filter_options(state: State<'_, AppState>) -> Result<FilterOptions, ErrorInfo> {
    with_project(&state, |p| p.filter_options().map_err(engine_error))
}

/// The codes of the labelling frame in tree order, with their depth.
#[tauri::command(async)]
pub fn review_codes(state: State<'_, AppState>) -> Result<Vec<CodeChoice>, ErrorInfo> {
    with_project(&state, |p| {
        let (_, frame) = p.labelling_frame().map_err(engine_error)?;
        let parents: HashMap<&str, Option<&str>> = frame.codes.iter().map(|c| (c.id.as_str(), c.parent.as_deref())).collect();
        let depth = |id: &str| {
            let mut d = 0;
            let mut at = parents.get(id).copied().flatten();
            while let Some(p) = at {
                d += 1;
                if d > parents.len() {
                    break; // A cycle; frame validation reports it.
                }
                at = parents.get(p).copied().flatten();
            }
            d
        };
        Ok(frame
            .codes
            .iter()
            .map(|c| CodeChoice {
                id: c.id.clone(),
                short_code: c.short_code.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                parent: c.parent.clone(),
                depth: depth(&c.id),
                active: c.status == CodeStatus::Active,
            })
            .collect())
    })
}

/// Whether the index exists and matches the database, without touching it.
#[tauri::command(async)]
pub fn index_status(state: State<'_, AppState>) -> Result<IndexStatus, ErrorInfo> {
    with_project(&state, |p| p.index_status().map_err(engine_error))
}

/// Rebuilds the search index from the database, with progress; `review_cancel` stops it and
/// leaves the previous index as it was.
#[tauri::command]
pub async fn index_rebuild(window: Window) -> Result<IndexReport, ErrorInfo> {
    let dir = project_dir(&window.state::<AppState>())?;
    let app = window.app_handle().clone();
    let label = window.label().to_string();
    CANCEL.store(false, Ordering::SeqCst);
    blocking(move || {
        let _turn = index_lock();
        let project = Project::open(&dir).map_err(engine_error)?;
        project.rebuild_index(&WindowProgress { app: &app, label: &label }).map_err(engine_error)
    })
    .await
}

/// Asks the running index rebuild to stop.
#[tauri::command(async)]
pub fn review_cancel() {
    CANCEL.store(true, Ordering::SeqCst);
}

/// The coder profiles and their roles (only QA reviewers may decide).
#[tauri::command(async)]
pub fn review_coders(state: State<'_, AppState>) -> Result<Vec<CoderProfile>, ErrorInfo> {
    with_project(&state, |p| {
        let coders = p.coders().map_err(engine_error)?;
        Ok(coders.into_iter().map(|c| CoderProfile { name: c.name, role: c.role }).collect())
    })
}

/// Draws and records a seeded sample of the current model's predictions, stratified by
/// confidence band; refused unless `params.reviewer` is a QA reviewer.
#[tauri::command]
pub async fn review_draw_sample(window: Window, params: SampleParams) -> Result<ReviewSample, ErrorInfo> {
    let dir = project_dir(&window.state::<AppState>())?;
    let mut params = params;
    params.reviewer = params.reviewer.trim().to_string();
    blocking(move || {
        let mut project = Project::open(&dir).map_err(engine_error)?;
        project.draw_review_sample(&params).map_err(engine_error)
    })
    .await
}

/// The recorded samples, newest first, without their items.
#[tauri::command(async)]
pub fn review_samples(state: State<'_, AppState>) -> Result<Vec<ReviewSample>, ErrorInfo> {
    with_project(&state, |p| p.review_samples().map_err(engine_error))
}

/// One sample with its items and their latest decisions.
#[tauri::command(async)]
pub fn review_sample(state: State<'_, AppState>, sample_id: i64) -> Result<ReviewSample, ErrorInfo> {
    with_project(&state, |p| p.review_sample(sample_id).map_err(engine_error))
}

/// Records a decision on one item (and the labels it implies), by `reviewer`, now.
#[tauri::command(async)]
pub fn review_decide(
    state: State<'_, AppState>,
    sample_id: i64,
    position: i64,
    reviewer: String,
    verdict: Verdict,
    note: Option<String>,
) -> Result<Decision, ErrorInfo> {
    let note = note.unwrap_or_default();
    with_project(&state, |p| {
        p.decide_review_item(sample_id, position, reviewer.trim(), &verdict, note.trim()).map_err(engine_error)
    })
}

/// Precision per code, confusion and agreement over one sample (`None`: every sample).
#[tauri::command(async)]
pub fn review_report(state: State<'_, AppState>, sample_id: Option<i64>) -> Result<ReviewReport, ErrorInfo> {
    with_project(&state, |p| p.review_report(sample_id).map_err(engine_error))
}

/// Writes the report of a sample (`None`: every sample) as an XLSX workbook at `path`;
/// returns the path written.
#[tauri::command]
pub async fn review_export_report(window: Window, sample_id: Option<i64>, path: String) -> Result<String, ErrorInfo> {
    let dir = project_dir(&window.state::<AppState>())?;
    let mut path = user_path(&path)?;
    if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case("xlsx")) {
        path.set_extension("xlsx");
    }
    blocking(move || {
        let project = Project::open(&dir).map_err(engine_error)?;
        let report = project.review_report(sample_id).map_err(engine_error)?;
        write_report_xlsx(&report, &path).map_err(engine_error)?;
        Ok(path.display().to_string())
    })
    .await
}

/// The native "save as" dialog for the report workbook; `None` when dismissed.
#[tauri::command]
pub async fn review_pick_report_path(window: Window, title: String) -> Result<Option<String>, ErrorInfo> {
    let dialog = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title(title)
        .set_file_name("review-report.xlsx")
        .add_filter("Excel", &["xlsx"]);
    blocking(move || Ok(dialog.blocking_save_file().and_then(|p| p.into_path().ok()).map(|p| p.display().to_string()))).await
}
