//! The bundled demo project: the verbatims under `assets/demo`, one file per channel.

use crate::error::Result;
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
pub fn build(dir: &Path, demo_assets: &Path, progress: &dyn Progress) -> Result<Project> {
    let frame = demo_assets.join("../../codeframes/auto");
    build_with_frame(dir, demo_assets, frame.is_dir().then_some(frame.as_path()), progress)
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
