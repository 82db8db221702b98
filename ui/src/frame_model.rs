//! The code frame as the window sees it: the same serde shapes as `vocwb_engine::frame`
//! (the UI may depend only on `vocwb-types`, so they are mirrored here).
//!
//! **Limitations:** these mirrors belong in `vocwb-types`; a field the engine adds must be
//! added here too, or an edit sent back from the window would drop it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vocwb_types::NeedLayer;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Code {
    pub id: String,
    pub short_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub definition_zh: String,
    #[serde(default)]
    pub definition_en: String,
    #[serde(default)]
    pub include: String,
    #[serde(default)]
    pub exclude: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub need_layer: NeedLayer,
    /// `active` or `retired`.
    #[serde(default = "active")]
    pub status: String,
}

fn active() -> String {
    "active".to_string()
}

impl Code {
    pub fn is_retired(&self) -> bool {
        self.status == "retired"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FrameHeader {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Frame {
    #[serde(rename = "frame", default)]
    pub header: FrameHeader,
    #[serde(rename = "code", default)]
    pub codes: Vec<Code>,
}

impl Frame {
    pub fn get(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    /// The next unused id of the form `c0001`.
    pub fn next_id(&self, skip: usize) -> String {
        let max = self
            .codes
            .iter()
            .filter_map(|c| c.id.strip_prefix('c').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        format!("c{:04}", max as usize + 1 + skip)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code_id: String,
    pub field: String,
    pub message: String,
}

/// The draft and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FrameView {
    pub frame: Frame,
    pub problems: Vec<Problem>,
    pub latest: Option<i64>,
}

/// One edit of the frame (`vocwb_engine::frame::FrameOp`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FrameOp {
    Add { code: Code },
    Rename { id: String, name_zh: String, name_en: String },
    Edit { code: Code },
    Move { id: String, parent: Option<String> },
    Merge { from: String, into: String },
    Split { from: String, into: Vec<Code> },
    Retire { id: String },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OpRecord {
    pub id: i64,
    pub version: Option<i64>,
    pub op: FrameOp,
    pub description: String,
    pub author: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VersionInfo {
    pub number: i64,
    pub author: String,
    pub published_at: String,
    pub changelog: String,
    pub codes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MigrationReport {
    pub to_version: i64,
    pub labels: u64,
    pub by_operation: BTreeMap<String, u64>,
    pub carried: u64,
    pub needs_review: u64,
}
