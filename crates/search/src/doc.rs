//! What gets indexed: one document per verbatim, with its coded applications and metadata.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
pub use vocwb_types::search::{AppliedCode, Source};
use vocwb_types::Polarity;

/// The index's number for a source, in the `code_src` fast field.
pub(crate) fn source_index(source: Source) -> u64 {
    match source {
        Source::Human => 0,
        Source::Model => 1,
        Source::Reviewed => 2,
    }
}

/// A code applied to the verbatim, by a person or a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// Code ids from the top of the frame down to the applied code, which is last.
    /// Filtering on any of them finds the verbatim, so a parent covers its children.
    pub code_path: Vec<String>,
    pub polarity: Option<Polarity>,
    pub source: Source,
    /// The model's confidence in 0..=1; `None` for people's labels.
    pub confidence: Option<f64>,
}

impl Application {
    /// The applied code itself (the last of its path).
    pub fn code(&self) -> &str {
        self.code_path.last().map(String::as_str).unwrap_or("")
    }
}

/// One verbatim as the index sees it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchDoc {
    pub verbatim_id: u64,
    pub text: String,
    pub channel: String,
    pub date: Option<NaiveDate>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    pub nps: Option<u64>,
    pub applications: Vec<Application>,
    /// Review states of the verbatim's predictions (the engine's vocabulary, e.g. `pending`).
    pub review_status: Vec<String>,
}
