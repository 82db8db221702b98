//! What the shell keeps between commands.

use crate::wire::ProjectView;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use vocwb_engine::Project;
use vocwb_types::ErrorInfo;

/// The result of opening what the command line asked for.
pub type LaunchResult = Result<Option<ProjectView>, ErrorInfo>;

#[derive(Default)]
pub struct AppState {
    /// The open project, if any. Long work (import) opens its own connection to the same
    /// directory, so this lock is only ever held briefly.
    pub project: Mutex<Option<Project>>,
    /// The command-line project being opened in the background; taken by `startup_project`.
    pub launch: Mutex<Option<tauri::async_runtime::JoinHandle<LaunchResult>>>,
    /// Set by `cancel`; the running import's (or training's) progress sink sees it and stops.
    pub cancel: AtomicBool,
    /// An import (or preview) is running; a second one is refused.
    pub importing: AtomicBool,
    /// Training or auto-coding is running; a second run is refused.
    pub training: AtomicBool,
    /// The UI has reported its first paint (timed once per process).
    pub painted: AtomicBool,
}
