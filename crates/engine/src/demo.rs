//! The bundled demo project: the verbatims under `assets/demo`, one file per channel.

use crate::error::{Error, Result};
use crate::import::{import_path, ImportOptions};
use crate::progress::Progress;
use crate::project::Project;
use std::path::Path;
use vocwb_types::Channel;

/// The demo's files (relative to `assets/demo`) and the channel each one is.
pub const DEMO_SOURCES: &[(&str, Channel)] = &[
    ("call_center", Channel::CallCenter),
    ("survey_nps.csv", Channel::Survey),
    ("app_community.jsonl", Channel::Private),
    ("forum_posts.csv", Channel::Public),
    ("dealer_feedback.xlsx", Channel::Store),
];

/// Creates the demo project in `dir` from the files in `demo_assets` (`assets/demo`), on the
/// shipped automotive frame found beside it (`codeframes/auto` of the same checkout or install).
///
/// The project is built in a sibling folder and renamed into place when complete, so a
/// build that fails or is interrupted never leaves a half-built demo that would open later.
pub fn build(dir: &Path, demo_assets: &Path, progress: &dyn Progress) -> Result<Project> {
    let frame = demo_assets.join("../../codeframes/auto");
    let frame = frame.is_dir().then_some(frame.as_path());
    let occupied = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied {
        // A folder with something in it cannot be renamed over: build in place (and let
        // `Project::init` refuse an existing project).
        return build_with_frame(dir, demo_assets, frame, progress);
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "demo".into());
    let staging = dir.with_file_name(format!(".{name}.building-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    if let Some(parent) = staging.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let built = build_with_frame(&staging, demo_assets, frame, progress);
    match built {
        Ok(project) => {
            // Closed before the rename, so no connection points into the staging folder.
            drop(project);
            std::fs::rename(&staging, dir).map_err(|e| Error::io(dir, e))?;
            Project::open(dir)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// Creates the demo project, starting it on the frame folder `frame` when given.
pub fn build_with_frame(dir: &Path, demo_assets: &Path, frame: Option<&Path>, progress: &dyn Progress) -> Result<Project> {
    let mut project = Project::init(dir)?;
    if let Some(folder) = frame {
        let (frame, lexicon) = crate::frame::files::read_shipped(folder)?;
        project.adopt_frame(&frame, lexicon.as_ref())?;
    }
    for (name, channel) in DEMO_SOURCES {
        import_path(&mut project, &demo_assets.join(name), &ImportOptions::new(*channel), progress)?;
    }
    Ok(project)
}

/// Opens the demo project in `dir`, building it first if it does not exist yet.
pub fn open_or_build(dir: &Path, demo_assets: &Path, progress: &dyn Progress) -> Result<Project> {
    if dir.join(crate::project::DB_FILE).exists() {
        Project::open(dir)
    } else {
        build(dir, demo_assets, progress)
    }
}
