//! Creating, opening and describing projects, and the recent-projects list.

use super::app::poisoned;
use super::{blocking, engine_error, user_path};
use crate::state::AppState;
use crate::wire::{ProjectView, RecentProject};
use crate::{paths, recent, Launch};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, State};
use vocwb_engine::Project;
use vocwb_types::ErrorInfo;

/// How a project gets opened.
#[derive(Debug, Clone)]
enum Opening {
    Create(PathBuf),
    Open(PathBuf),
    Demo,
}

/// Creates a new, empty project in `dir` (which must not exist or be empty) and opens it.
#[tauri::command]
pub async fn create_project(app: AppHandle, dir: String) -> Result<ProjectView, ErrorInfo> {
    let dir = user_path(&dir)?;
    blocking(move || open_and_install(&app, Opening::Create(dir))).await
}

/// Opens the project in `dir`.
#[tauri::command]
pub async fn open_project(app: AppHandle, dir: String) -> Result<ProjectView, ErrorInfo> {
    let dir = user_path(&dir)?;
    blocking(move || open_and_install(&app, Opening::Open(dir))).await
}

/// Opens the bundled demo project, building it from `assets/demo` the first time.
#[tauri::command]
pub async fn open_demo(app: AppHandle) -> Result<ProjectView, ErrorInfo> {
    blocking(move || open_and_install(&app, Opening::Demo)).await
}

/// The open project with fresh counts, or `None` when no project is open.
#[tauri::command(async)]
pub fn project_overview(state: State<'_, AppState>) -> Result<Option<ProjectView>, ErrorInfo> {
    let guard = state.project.lock().map_err(|_| poisoned())?;
    guard.as_ref().map(view_of).transpose()
}

/// Recently opened projects, most recent first (missing folders left out).
#[tauri::command(async)]
pub fn recent_projects() -> Vec<RecentProject> {
    recent::load(&recent::file_in(&paths::config_dir()))
}

/// Starts opening what the command line asked for, in the background; `startup_project`
/// hands the result to the UI.
pub fn start_launch(app: &AppHandle, launch: Launch) {
    let opening = match launch {
        Launch::Nothing => return,
        Launch::Demo => Opening::Demo,
        Launch::Project(dir) => Opening::Open(std::path::absolute(&dir).unwrap_or(dir)),
    };
    let handle = app.clone();
    let job = tauri::async_runtime::spawn_blocking(move || open_and_install(&handle, opening).map(Some));
    if let Ok(mut slot) = app.state::<AppState>().launch.lock() {
        *slot = Some(job);
    }
}

fn open_and_install(app: &AppHandle, opening: Opening) -> Result<ProjectView, ErrorInfo> {
    let project = match &opening {
        Opening::Create(dir) => Project::init(dir),
        Opening::Open(dir) => Project::open(dir),
        Opening::Demo => {
            let demo = paths::assets_dir().join("demo");
            vocwb_engine::demo::open_or_build(&paths::demo_dir(), &demo, &vocwb_engine::Silent)
        }
    }
    .map_err(engine_error)?;
    let view = view_of(&project)?;
    // The list is a convenience: failing to save it must not fail the opening.
    let _ = recent::touch(&recent::file_in(&paths::config_dir()), Path::new(&view.dir), &view.name);
    let state = app.state::<AppState>();
    *state.project.lock().map_err(|_| poisoned())? = Some(project);
    Ok(view)
}

fn view_of(project: &Project) -> Result<ProjectView, ErrorInfo> {
    let stats = project.stats().map_err(engine_error)?;
    let dir = canonical(project.dir());
    let is_demo = dir == canonical(&paths::demo_dir());
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string());
    Ok(ProjectView { dir: dir.display().to_string(), name, is_demo, stats })
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}
