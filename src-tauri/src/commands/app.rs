//! Commands about the app itself rather than a project.

use crate::state::AppState;
use crate::wire::ProjectView;
use crate::{startup, commands::shell_error};
use std::sync::atomic::Ordering;
use tauri::State;
use vocwb_types::{ErrorCode, ErrorInfo};

/// The project the command line asked for (`--demo` or a directory), once it is open;
/// `None` when the app was started without one. Later calls return the open project.
#[tauri::command]
pub async fn startup_project(state: State<'_, AppState>) -> Result<Option<ProjectView>, ErrorInfo> {
    let job = state.launch.lock().map_err(|_| poisoned())?.take();
    match job {
        Some(job) => job.await.map_err(|e| shell_error(ErrorCode::Io, format!("internal error: {e}")))?,
        None => Ok(None),
    }
}

/// The UI calls this once its first screen has painted; the first call logs the start-up
/// time on stderr and returns it (milliseconds since the process started).
#[tauri::command(async)]
#[allow(clippy::print_stderr)]
pub fn ui_ready(state: State<'_, AppState>, screen: String) -> u64 {
    let since_start = startup::since_process_start_ms();
    if !state.painted.swap(true, Ordering::SeqCst) {
        eprintln!(
            "vocwb-app: first paint ({screen}) {since_start} ms after process start ({} ms after main); epoch_ms={}",
            startup::since_main_ms(),
            startup::epoch_ms()
        );
    }
    since_start
}

pub fn poisoned() -> ErrorInfo {
    shell_error(ErrorCode::Io, "internal error: a previous command panicked; restart the app")
}
