//! The commands the UI invokes. Each calls one engine function and converts its types;
//! errors reach the UI as the engine's [`ErrorInfo`], worded exactly as the engine words them.

pub mod app;
pub mod dialog;
pub mod frame;
pub mod import;
pub mod label;
pub mod lexicon;
pub mod projects;
pub mod review;
pub mod train;

use std::path::{Path, PathBuf};
use vocwb_types::{ErrorCode, ErrorInfo};

/// The engine's error as the UI sees it.
pub fn engine_error(e: vocwb_engine::Error) -> ErrorInfo {
    e.info()
}

/// Runs `f` on the open project (refused when none is open). The project is locked for the
/// call, so `f` must be short; long work opens its own connection instead.
pub fn with_project<T>(
    state: &tauri::State<'_, crate::state::AppState>,
    f: impl FnOnce(&mut vocwb_engine::Project) -> Result<T, ErrorInfo>,
) -> Result<T, ErrorInfo> {
    let mut guard = state.project.lock().map_err(|_| app::poisoned())?;
    let project = guard.as_mut().ok_or_else(|| shell_error(ErrorCode::NotAProject, "no project is open"))?;
    f(project)
}

/// An error the shell itself finds (the engine was not reached).
pub fn shell_error(code: ErrorCode, message: impl Into<String>) -> ErrorInfo {
    ErrorInfo { code, message: message.into(), file: None, row: None, field: None }
}

/// Runs blocking engine work on the blocking pool, so neither the window nor the async
/// workers wait on it.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ErrorInfo> + Send + 'static,
) -> Result<T, ErrorInfo> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| shell_error(ErrorCode::Io, format!("internal error: the task failed: {e}")))?
}

/// A path typed by the user: trimmed, `~/` expanded, and required to be absolute (a relative
/// path would silently depend on where the app was started from).
pub fn user_path(raw: &str) -> Result<PathBuf, ErrorInfo> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(shell_error(ErrorCode::BadInput, "no path given"));
    }
    let path = match (s.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if s == "~" => std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(s)),
        _ => PathBuf::from(s),
    };
    if !path.is_absolute() {
        return Err(shell_error(ErrorCode::BadInput, format!("{s}: give a full path (starting with / or ~/)")));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_paths() {
        assert_eq!(user_path(" /a/b ").unwrap(), PathBuf::from("/a/b"));
        assert_eq!(user_path("").unwrap_err().code, ErrorCode::BadInput);
        let e = user_path("rel/dir").unwrap_err();
        assert_eq!(e.message, "rel/dir: give a full path (starting with / or ~/)");
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(user_path("~/x").unwrap(), Path::new(&home).join("x"));
        }
    }
}
