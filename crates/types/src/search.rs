//! Search requests and answers, as the CLI prints them and a search screen sends and receives
//! them. Dates are `YYYY-MM-DD` strings.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::Polarity;

/// Where an applied code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A coder's label.
    Human,
    /// A classifier's prediction.
    Model,
    /// A label a reviewer gave while checking predictions (`label_event.source = 'review'`).
    Reviewed,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Human, Source::Model, Source::Reviewed];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Human => "human",
            Source::Model => "model",
            Source::Reviewed => "reviewed",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Source::Human),
            "model" => Ok(Source::Model),
            "reviewed" | "review" => Ok(Source::Reviewed),
            _ => Err(format!("unknown source '{s}' (expected human, model or reviewed)")),
        }
    }
}

/// Narrowing conditions; each list means "any of", and different conditions all apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Code ids; a parent code finds verbatims coded with any of its descendants.
    pub codes: Vec<String>,
    /// Polarities of the applied code; with `codes`, the polarity of one of those codes.
    pub polarities: Vec<Polarity>,
    /// Sources of the applied code; with `codes`/`polarities`, paired with them.
    pub sources: Vec<Source>,
    /// A model confidence range (inclusive); with `codes`, the confidence of one of those codes.
    pub min_confidence: Option<f64>,
    pub max_confidence: Option<f64>,
    pub channels: Vec<String>,
    /// Inclusive date range, `YYYY-MM-DD`.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub dealers: Vec<String>,
    pub vehicle_models: Vec<String>,
    /// Inclusive NPS range.
    pub nps_min: Option<u64>,
    pub nps_max: Option<u64>,
    /// `unreviewed`, `pending`, `accepted`, `corrected` or `rejected`.
    pub review_status: Vec<String>,
}

/// A search: free text (words, `"phrases"`, `-excluded`; empty for "everything") plus filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub text: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// Longest snippet, in characters.
    pub snippet_chars: usize,
    /// Whether to count matches per code (a little slower on very broad queries).
    pub code_counts: bool,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery { text: String::new(), filters: Filters::default(), limit: 20, offset: 0, snippet_chars: 80, code_counts: true }
    }
}

/// An applied code as a hit shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedCode {
    pub code_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// One ranked verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub verbatim_id: u64,
    /// BM25 score; 0 when the search had no words (then hits come in verbatim order).
    pub score: f32,
    pub text: String,
    /// The best passage, HTML-escaped, matched words in `<b>…</b>`.
    pub snippet: String,
    /// The same passage as plain text, and the byte ranges in it of the matched words.
    pub fragment: String,
    pub highlights: Vec<(usize, usize)>,
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dealer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u64>,
    pub codes: Vec<AppliedCode>,
    pub review_status: Vec<String>,
}

/// How many matching verbatims carry a code (or one of its descendants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub code_id: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Every matching verbatim, not just the page in `hits`.
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counts per code over all matches, largest first; empty unless asked for.
    pub code_counts: Vec<CodeCount>,
}

/// What a search screen can filter on in a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    /// Values with their verbatim counts, most frequent first.
    pub channels: Vec<(String, u64)>,
    pub dealers: Vec<(String, u64)>,
    pub vehicle_models: Vec<(String, u64)>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The models whose predictions are searchable (source `model`).
    pub models: Vec<String>,
    pub review_statuses: Vec<String>,
}

/// What a search index refresh or rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexAction {
    /// Nothing had changed.
    Fresh,
    /// Changed verbatims were re-indexed.
    Refreshed,
    /// The index was built from scratch.
    Rebuilt,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    pub action: IndexAction,
    /// Why the index was rebuilt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Verbatims (re-)indexed by this call.
    pub indexed: u64,
    /// Documents in the index afterwards.
    pub documents: u64,
    pub seconds: f64,
}

/// The state of the index, read without changing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexStatus {
    /// `fresh`, `stale`, `missing` or `unusable`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub documents: u64,
    pub verbatims: u64,
}
