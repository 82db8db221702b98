//! Import of a file into the open project: a preview (the engine's dry run) and the real run,
//! both off the UI thread, reporting progress to the window and cancellable.

use super::app::poisoned;
use super::{blocking, engine_error, shell_error, user_path};
use crate::state::AppState;
use crate::wire::{ImportRequest, IMPORT_PROGRESS_EVENT};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;
use tauri::{AppHandle, Emitter, Manager, State, Window};
use vocwb_engine::import::{import_path, ImportOptions};
use vocwb_engine::Project;
use vocwb_types::{ErrorCode, ErrorInfo, ImportReport, ProgressEvent};

/// How many documents the preview shows.
pub const PREVIEW_ROWS: usize = 8;

/// The least time between two progress events, so a fast import does not flood the window.
const PROGRESS_INTERVAL_MS: u64 = 50;

/// What would be imported: detected encoding, headers, the guessed (or given) column mapping
/// and the first documents. Changes nothing.
///
/// **Limitations:** the engine's dry run reads the whole file, so previewing a very large
/// file takes as long as importing it (it is cancellable and reports progress like a run).
#[tauri::command]
pub async fn import_preview(window: Window, request: ImportRequest) -> Result<ImportReport, ErrorInfo> {
    run(window, request, true).await
}

/// Imports the file into the open project, all or nothing.
#[tauri::command]
pub async fn import_run(window: Window, request: ImportRequest) -> Result<ImportReport, ErrorInfo> {
    run(window, request, false).await
}

/// The file's column names, read without importing: for choosing the text column when the
/// engine could not guess it (its preview then fails before reporting headers).
#[tauri::command]
pub async fn import_headers(request: ImportRequest) -> Result<Vec<String>, ErrorInfo> {
    let path = user_path(&request.file)?;
    blocking(move || Ok(crate::headers::read(&path, request.encoding.as_deref()))).await
}

/// Asks the running import (or preview) to stop; it then rolls back and fails with the
/// engine's "cancelled" error.
#[tauri::command(async)]
pub fn cancel(state: State<'_, AppState>) {
    state.cancel.store(true, Ordering::SeqCst);
}

async fn run(window: Window, request: ImportRequest, dry_run: bool) -> Result<ImportReport, ErrorInfo> {
    let path = user_path(&request.file)?;
    let state = window.state::<AppState>();
    let dir = match state.project.lock().map_err(|_| poisoned())?.as_ref() {
        Some(p) => p.dir().to_path_buf(),
        None => return Err(shell_error(ErrorCode::NotFound, "no project is open; open or create one first")),
    };
    if state.importing.swap(true, Ordering::SeqCst) {
        return Err(shell_error(ErrorCode::Busy, "an import is already running in this window"));
    }
    state.cancel.store(false, Ordering::SeqCst);
    let app = window.app_handle().clone();
    let label = window.label().to_string();
    let mut options = ImportOptions::new(request.channel);
    options.mapping = request.mapping;
    options.encoding = request.encoding.filter(|e| !e.trim().is_empty());
    options.skip_empty = request.skip_empty;
    options.dry_run = dry_run;
    options.preview_rows = PREVIEW_ROWS;
    blocking(move || {
        let state = app.state::<AppState>();
        let _running = Running(&state.importing);
        // Its own connection: the window's stays free for reads while this one writes.
        let mut project = Project::open(&dir).map_err(engine_error)?;
        let sink = ProgressSink::new(&app, &label, &state.cancel);
        let report = import_path(&mut project, &path, &options, &sink).map_err(engine_error);
        sink.finish();
        report
    })
    .await
}

/// Clears the "importing" flag however the import ends.
/// Clears a busy flag when the work ends, however it ends.
pub(crate) struct Running<'a>(pub(crate) &'a AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Forwards the engine's progress to the window, at most every [`PROGRESS_INTERVAL_MS`],
/// and answers "stop" once `cancel` is set.
pub(crate) struct ProgressSink<'a> {
    app: &'a AppHandle,
    label: &'a str,
    cancel: &'a AtomicBool,
    started: Instant,
    last_sent_ms: AtomicU64,
    last: std::sync::Mutex<Option<ProgressEvent>>,
}

impl<'a> ProgressSink<'a> {
    pub(crate) fn new(app: &'a AppHandle, label: &'a str, cancel: &'a AtomicBool) -> Self {
        ProgressSink {
            app,
            label,
            cancel,
            started: Instant::now(),
            last_sent_ms: AtomicU64::new(0),
            last: std::sync::Mutex::new(None),
        }
    }

    fn send(&self, event: &ProgressEvent) {
        // A closed window cannot be told; the import goes on regardless.
        let _ = self.app.emit_to(self.label, IMPORT_PROGRESS_EVENT, event);
    }

    /// Sends the last event that throttling held back, so the bar ends where the work did.
    pub(crate) fn finish(&self) {
        if let Some(event) = self.last.lock().ok().and_then(|mut l| l.take()) {
            self.send(&event);
        }
    }
}

impl vocwb_engine::Progress for ProgressSink<'_> {
    fn report(&self, event: &ProgressEvent) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.last_sent_ms.load(Ordering::Relaxed);
        if now == 0 || now >= last + PROGRESS_INTERVAL_MS {
            self.last_sent_ms.store(now.max(1), Ordering::Relaxed);
            self.send(event);
            if let Ok(mut l) = self.last.lock() {
                *l = None;
            }
        } else if let Ok(mut l) = self.last.lock() {
            *l = Some(event.clone());
        }
        !self.cancel.load(Ordering::SeqCst)
    }
}
