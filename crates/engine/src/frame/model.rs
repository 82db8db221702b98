//! The code frame as plain data: what is stored in the database, written to `vN.toml`,
//! and exchanged as XLSX, CSV or REFI-QDA codebooks.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use vocwb_types::NeedLayer;

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

pub use vocwb_types::LexiconTerm;

/// The lexicon file: `[[term]]` tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Lexicon {
    #[serde(rename = "term", default)]
    pub terms: Vec<LexiconTerm>,
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

    /// Reads a frame from its TOML form (`codeframes/<name>/vN.toml`).
    pub fn from_toml(text: &str) -> Result<Frame, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Writes the frame as TOML: one `[[code]]` table per code, in frame order, so diffs are line-based.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a frame always serialises")
    }
}

impl Lexicon {
    pub fn from_toml(text: &str) -> Result<Lexicon, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a lexicon always serialises")
    }
}
