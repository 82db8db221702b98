//! Plain data types shared across the workspace.
//!
//! Everything here is `serde`-serialisable and free of I/O so that the Leptos UI (wasm32),
//! the Tauri shell, the CLI's `--json` output and the engine all speak the same shapes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub mod frame;
pub mod label;
pub mod lexicon;
pub mod model;
pub mod review;
pub mod review_screen;
pub mod search;

pub use lexicon::LexiconTerm;

/// The five kinds of channel customers speak on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// 400 hotline, transcribed by ASR.
    CallCenter,
    /// Survey open-ends and NPS.
    Survey,
    /// The brand's own app or community (private domain).
    Private,
    /// Social media and forums (public opinion).
    Public,
    /// Stores and dealers.
    Store,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::CallCenter,
        Channel::Survey,
        Channel::Private,
        Channel::Public,
        Channel::Store,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::CallCenter => "call-center",
            Channel::Survey => "survey",
            Channel::Private => "private",
            Channel::Public => "public",
            Channel::Store => "store",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                format!("unknown channel '{s}' (expected one of: call-center, survey, private, public, store)")
            })
    }
}

/// The polarity every applied code carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// 痛点: something went wrong.
    Pain,
    /// 痒点: an unmet wish.
    Itch,
    /// 悦点: something pleased the customer.
    Delight,
    /// Mentioned without an opinion.
    Neutral,
}

impl Polarity {
    pub const ALL: [Polarity; 4] = [Polarity::Pain, Polarity::Itch, Polarity::Delight, Polarity::Neutral];

    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Pain => "pain",
            Polarity::Itch => "itch",
            Polarity::Delight => "delight",
            Polarity::Neutral => "neutral",
        }
    }

    /// The sentiment number of the shared labelled format (-1 / 0 / 1); itch has none.
    pub fn from_sentiment(n: i64) -> Option<Polarity> {
        match n {
            -1 => Some(Polarity::Pain),
            0 => Some(Polarity::Neutral),
            1 => Some(Polarity::Delight),
            _ => None,
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Polarity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pain" | "痛点" | "-1" => Ok(Polarity::Pain),
            "itch" | "痒点" => Ok(Polarity::Itch),
            "delight" | "悦点" | "1" => Ok(Polarity::Delight),
            "neutral" | "中性" | "0" => Ok(Polarity::Neutral),
            _ => Err(format!("unknown polarity '{s}' (expected pain, itch, delight or neutral)")),
        }
    }
}

/// The layered need model a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NeedLayer {
    #[default]
    Basic,
    Performance,
    Delight,
}

impl NeedLayer {
    pub fn as_str(self) -> &'static str {
        match self {
            NeedLayer::Basic => "basic",
            NeedLayer::Performance => "performance",
            NeedLayer::Delight => "delight",
        }
    }
}

impl FromStr for NeedLayer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "basic" | "基本型" => Ok(NeedLayer::Basic),
            "performance" | "期望型" => Ok(NeedLayer::Performance),
            "delight" | "兴奋型" => Ok(NeedLayer::Delight),
            _ => Err(format!("unknown need layer '{s}' (expected basic, performance or delight)")),
        }
    }
}

/// A stable, machine-readable error kind; the UI matches on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadInput,
    Encoding,
    NotAProject,
    AlreadyExists,
    Busy,
    Cancelled,
    InvalidFrame,
    UnknownCode,
    NotFound,
    Forbidden,
    Io,
    Database,
}

/// An error as shown to people and scripts: what went wrong and exactly where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// One step of long-running work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressEvent {
    /// What is being done, e.g. `import`, `index`, `train`.
    pub phase: String,
    pub done: u64,
    /// Known total, when the work can be counted ahead.
    pub total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Counts of a project's contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectStats {
    pub sources: u64,
    pub documents: u64,
    pub verbatims: u64,
    pub context_turns: u64,
    pub by_channel: std::collections::BTreeMap<String, ChannelStats>,
    pub codes: u64,
    pub labelled_verbatims: u64,
    pub frame_version: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelStats {
    pub documents: u64,
    pub verbatims: u64,
}

/// How the columns of a tabular file map onto document fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub text: Option<String>,
    pub id: Option<String>,
    pub date: Option<String>,
    pub nps: Option<String>,
    pub customer: Option<String>,
    pub dealer: Option<String>,
    pub model: Option<String>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file: String,
    pub channel: Option<Channel>,
    pub format: String,
    pub encoding: String,
    pub mapping: ColumnMapping,
    pub rows: u64,
    pub documents_added: u64,
    pub verbatims_added: u64,
    pub context_turns_added: u64,
    /// Documents whose external id the project already had.
    pub documents_skipped: u64,
    /// The whole file had been imported before (same sha256 and channel).
    pub file_already_imported: bool,
    pub dry_run: bool,
    /// For a dry run: the first rows as they would be imported.
    pub preview: Vec<PreviewRow>,
    pub headers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub external_id: String,
    pub date: Option<String>,
    pub nps: Option<i64>,
    pub dealer: Option<String>,
    pub model: Option<String>,
    pub texts: Vec<String>,
}

/// What a coder may do in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Imports and hand-labels verbatims, trains models.
    #[default]
    Researcher,
    /// Builds the code frame and publishes versions.
    Owner,
    /// Audits auto-coded verbatims: accepts or corrects them.
    Reviewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Owner => "owner",
            Role::Reviewer => "reviewer",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "researcher" => Ok(Role::Researcher),
            "owner" | "code-frame-owner" => Ok(Role::Owner),
            "reviewer" | "qa-reviewer" => Ok(Role::Reviewer),
            _ => Err(format!("unknown role '{s}' (expected researcher, owner or reviewer)")),
        }
    }
}
