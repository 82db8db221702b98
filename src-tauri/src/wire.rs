//! The shapes the desktop shell and the UI exchange that `vocwb-types` does not have yet.
//!
//! This one file is compiled into both `vocwb-app` and `vocwb-ui` (the UI includes it with
//! `#[path]`), so the two sides cannot drift apart.
//! It depends on nothing but `serde` and `vocwb-types`.
//!
//! **Limitations:** it belongs in `vocwb-types`; it lives here only because that crate is
//! being changed by someone else right now.

use serde::{Deserialize, Serialize};
use vocwb_types::{Channel, ColumnMapping, ProjectStats};

/// The project the window shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    /// Absolute directory of the project.
    pub dir: String,
    /// The directory's last component, shown as the project's name.
    pub name: String,
    /// The bundled demo project (built from `assets/demo`).
    pub is_demo: bool,
    pub stats: ProjectStats,
}

/// One entry of the recent-projects list, most recent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentProject {
    pub dir: String,
    pub name: String,
    /// Seconds since the Unix epoch.
    pub opened_at: u64,
}

/// What to import and how (the arguments of a preview and of a run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    /// Absolute path of the file (or folder) to import.
    pub file: String,
    pub channel: Channel,
    /// Columns named by the user; the engine guesses the rest.
    pub mapping: ColumnMapping,
    /// An encoding label overriding detection, e.g. `gbk`.
    pub encoding: Option<String>,
    /// Skip rows whose text is empty instead of refusing the file.
    pub skip_empty: bool,
}

/// The name of the event carrying a `vocwb_types::ProgressEvent` while an import runs.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";
