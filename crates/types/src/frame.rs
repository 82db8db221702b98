//! The code frame as plain data: codes, the frame, its edit operations, published versions and
//! migration reports. The engine stores and checks them; the window shows and edits them.

use crate::NeedLayer;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Whether a code may still be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CodeStatus {
    #[default]
    Active,
    Retired,
}

impl CodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatus::Active => "active",
            CodeStatus::Retired => "retired",
        }
    }
}

/// One code of the frame. `id` never changes once published; everything else may be edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Code {
    pub id: String,
    pub short_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition_en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub include: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exclude: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default)]
    pub need_layer: NeedLayer,
    #[serde(default, skip_serializing_if = "is_active")]
    pub status: CodeStatus,
}

impl Code {
    pub fn is_retired(&self) -> bool {
        self.status == CodeStatus::Retired
    }
}

fn is_active(s: &CodeStatus) -> bool {
    *s == CodeStatus::Active
}

/// Facts about a frame as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FrameHeader {
    pub name: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub published_at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub changelog: String,
}

/// A whole frame: header plus codes, parents listed before their children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Frame {
    #[serde(rename = "frame")]
    pub header: FrameHeader,
    #[serde(rename = "code", default)]
    pub codes: Vec<Code>,
}

/// A problem found by [`Frame::validate`], pointing at the code and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code_id: String,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {} ({}): {}", self.code_id, self.field, self.message)
    }
}

impl Frame {
    pub fn get(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes.iter().filter(move |c| c.parent.as_deref() == Some(id))
    }

    /// Depth of a code: 0 for a top-level code.
    pub fn depth(&self, id: &str) -> usize {
        let by_id: HashMap<&str, &Code> = self.codes.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut depth = 0;
        let mut at = by_id.get(id).and_then(|c| c.parent.as_deref());
        while let Some(p) = at {
            depth += 1;
            if depth > self.codes.len() {
                break; // A cycle; validate() reports it.
            }
            at = by_id.get(p).and_then(|c| c.parent.as_deref());
        }
        depth
    }

    /// Names from the top down to the code, e.g. `售后维修 › 4S店服务 › 等待时间`.
    pub fn path_names(&self, id: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut at = self.get(id);
        while let Some(code) = at {
            names.push(code.name_zh.clone());
            if names.len() > self.codes.len() {
                break;
            }
            at = code.parent.as_deref().and_then(|p| self.get(p));
        }
        names.reverse();
        names
    }

    /// Every problem that makes the frame unusable: duplicate ids or short codes, an empty
    /// name, an orphan parent, a cycle, or a retired code parenting an active one.
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut push = |id: &str, field: &str, message: String| {
            problems.push(Problem { code_id: id.to_string(), field: field.to_string(), message })
        };
        let mut ids = HashSet::new();
        let mut shorts = HashSet::new();
        for c in &self.codes {
            if c.id.trim().is_empty() {
                push(&c.id, "id", "the id is empty".into());
            }
            if !ids.insert(c.id.as_str()) {
                push(&c.id, "id", format!("duplicate id '{}'", c.id));
            }
            if c.short_code.trim().is_empty() {
                push(&c.id, "short_code", "the short code is empty".into());
            } else if !shorts.insert(c.short_code.as_str()) {
                push(&c.id, "short_code", format!("duplicate short code '{}'", c.short_code));
            }
            if c.name_zh.trim().is_empty() {
                push(&c.id, "name_zh", "the Chinese name is empty".into());
            }
        }
        let by_id: HashMap<&str, &Code> = self.codes.iter().map(|c| (c.id.as_str(), c)).collect();
        for c in &self.codes {
            let Some(parent) = c.parent.as_deref() else { continue };
            match by_id.get(parent) {
                None => push(&c.id, "parent", format!("parent '{parent}' does not exist")),
                Some(p) if p.status == CodeStatus::Retired && c.status == CodeStatus::Active => push(
                    &c.id,
                    "parent",
                    format!("active code under retired parent '{}' ({})", p.id, p.name_zh),
                ),
                Some(_) => {}
            }
            // Walk up; meeting the start again means a cycle.
            let mut seen = HashSet::new();
            let mut at = Some(c.id.as_str());
            while let Some(id) = at {
                if !seen.insert(id) {
                    push(&c.id, "parent", format!("cycle: '{}' is its own ancestor", c.id));
                    break;
                }
                at = by_id.get(id).and_then(|x| x.parent.as_deref());
            }
        }
        problems
    }

    /// The next unused id of the form `c0001` (`skip` more for several new codes at once).
    pub fn next_id(&self, skip: usize) -> String {
        let max = self.codes.iter().filter_map(|c| c.id.strip_prefix('c').and_then(|n| n.parse::<u32>().ok())).max().unwrap_or(0);
        format!("c{:04}", max as usize + 1 + skip)
    }
}

/// One edit of the draft frame, as recorded in the project and replayed by migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FrameOp {
    /// A new code.
    Add { code: Code },
    /// New names; labels stay.
    Rename { id: String, name_zh: String, name_en: String },
    /// Any other field (definition, examples, owner, need layer, short code…); labels stay.
    Edit { code: Code },
    /// A new parent (or top level); labels stay.
    Move { id: String, parent: Option<String> },
    /// `from` is folded into `into` and retired; its labels become labels of `into`.
    Merge { from: String, into: String },
    /// `from` is replaced by new codes and retired; its labels go to the review queue.
    Split { from: String, into: Vec<Code> },
    /// No longer applied; its labels go to the review queue.
    Retire { id: String },
}

impl FrameOp {
    pub fn kind(&self) -> &'static str {
        match self {
            FrameOp::Add { .. } => "add",
            FrameOp::Rename { .. } => "rename",
            FrameOp::Edit { .. } => "edit",
            FrameOp::Move { .. } => "move",
            FrameOp::Merge { .. } => "merge",
            FrameOp::Split { .. } => "split",
            FrameOp::Retire { .. } => "retire",
        }
    }

    /// A one-line description for change logs and diffs.
    pub fn describe(&self, frame: &Frame) -> String {
        let name = |id: &str| {
            frame.get(id).map(|c| format!("{} {}", c.short_code, c.name_zh)).unwrap_or_else(|| id.to_string())
        };
        match self {
            FrameOp::Add { code } => format!("add {} {}", code.short_code, code.name_zh),
            FrameOp::Rename { id, name_zh, .. } => format!("rename {} → {name_zh}", name(id)),
            FrameOp::Edit { code } => format!("edit {}", name(&code.id)),
            FrameOp::Move { id, parent } => {
                format!("move {} under {}", name(id), parent.as_deref().map(name).unwrap_or_else(|| "top level".into()))
            }
            FrameOp::Merge { from, into } => format!("merge {} into {}", name(from), name(into)),
            FrameOp::Split { from, into } => format!(
                "split {} into {}",
                name(from),
                into.iter().map(|c| format!("{} {}", c.short_code, c.name_zh)).collect::<Vec<_>>().join(", ")
            ),
            FrameOp::Retire { id } => format!("retire {}", name(id)),
        }
    }
}

/// A recorded operation.
/// A recorded edit of the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpRecord {
    pub id: i64,
    pub version: Option<i64>,
    pub op: FrameOp,
    pub description: String,
    pub author: String,
    pub created_at: String,
}

/// A published version, without its codes.
/// A published version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub number: i64,
    pub author: String,
    pub published_at: String,
    pub changelog: String,
    pub codes: usize,
}

/// What a label migration did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationReport {
    pub to_version: i64,
    /// Labels examined (current labels made under an older version).
    pub labels: u64,
    /// Labels per outcome: `unchanged`, `rename`, `edit`, `move`, `merge`, `split`, `retire`.
    pub by_operation: BTreeMap<String, u64>,
    /// Labels now under the new version.
    pub carried: u64,
    /// Verbatims sent to the review queue.
    pub needs_review: u64,
}
