//! The shapes the desktop shell and the UI exchange that `vocwb-types` does not have yet.
//!
//! This one file is compiled into both `vocwb-app` and `vocwb-ui` (the UI includes it with
//! `#[path]`), so the two sides cannot drift apart.
//! It depends on nothing but `serde` and `vocwb-types`.
//!
//! **Limitations:** it belongs in `vocwb-types`; it lives here only because that crate is
//! being changed by someone else right now.

use serde::{Deserialize, Serialize};
use vocwb_types::frame::{Frame, Problem};
use vocwb_types::model::ValidationSummary;
use vocwb_types::{Channel, ColumnMapping, LexiconTerm, ProjectStats};

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

/// A code a lexicon term may point to, named for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeChoice {
    pub short_code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Chinese names from the root down, joined with " › ".
    pub path_zh: String,
}

/// The lexicon screen's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LexiconView {
    pub terms: Vec<LexiconTerm>,
    /// The draft frame's active codes.
    pub codes: Vec<CodeChoice>,
}

/// Labelled verbatims of one code, for the Train screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLabels {
    pub code_id: String,
    pub name: String,
    /// Names from the root down.
    pub path: Vec<String>,
    pub verbatims: usize,
    /// Counts by polarity name (`pain`, `itch`, `delight`, `neutral`).
    pub by_polarity: std::collections::BTreeMap<String, usize>,
    /// Fewer examples than the model needs to be trusted.
    pub too_few: bool,
    /// Too few to be modelled at all.
    pub skipped: bool,
}

/// One code's validation scores on the model card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeScore {
    pub code_id: String,
    pub name: String,
    pub label_count: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub threshold_f1: f32,
    /// `None`: the target precision was not reached on validation.
    pub threshold_precision: Option<f32>,
}

/// The active model's card, as the Train screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub id: String,
    pub created_at: String,
    pub frame_version: Option<i64>,
    pub examples: usize,
    pub training_seconds: f64,
    pub target_precision: f64,
    pub validation: ValidationSummary,
    pub codes: Vec<CodeScore>,
}

/// What the Train screen shows before and after a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainView {
    pub frame_version: i64,
    pub labelled_verbatims: usize,
    pub unlabelled_verbatims: usize,
    pub too_few_below: usize,
    pub codes: Vec<CodeLabels>,
    pub model: Option<ModelSummary>,
    /// Verbatims carrying a model prediction now.
    pub predicted_verbatims: u64,
}

/// How a training run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainResult {
    pub model_id: String,
    /// Whether the new model replaced the active one (only when it validates better).
    pub activated: bool,
    pub reason: String,
}

/// How an auto-coding run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutocodeResult {
    pub model_id: String,
    pub verbatims: u64,
    pub human_labelled: u64,
    pub predictions: u64,
    pub uncoded: u64,
    pub seconds: f64,
}

/// The draft frame with what `Frame::validate` finds wrong in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameView {
    pub frame: Frame,
    pub problems: Vec<Problem>,
    /// The latest published version, if any.
    pub latest: Option<i64>,
}
