//! Shapes only the search & review screen exchanges with the desktop shell (the engine's own
//! search and review types are in [`crate::search`] and [`crate::review`]).

use serde::{Deserialize, Serialize};

use crate::Role;

/// The name of the event carrying a [`crate::ProgressEvent`] while the search index is rebuilt.
pub const REVIEW_PROGRESS_EVENT: &str = "review-progress";

/// A code of the labelling frame, as filter lists, facets and the correction picker show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeChoice {
    pub id: String,
    pub short_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub parent: Option<String>,
    /// 0 for a top-level code.
    pub depth: usize,
    /// Retired codes still appear on old labels but cannot be applied.
    pub active: bool,
}

/// A coder profile and what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoderProfile {
    pub name: String,
    pub role: Role,
}
