//! What gets indexed: one document per verbatim, with its coded applications and metadata.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use vocwb_types::Polarity;

/// Where an applied code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A coder's label.
    Human,
    /// A classifier's prediction.
    Model,
    /// A label a reviewer gave while checking predictions.
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

    pub(crate) fn index(self) -> u64 {
        match self {
            Source::Human => 0,
            Source::Model => 1,
            Source::Reviewed => 2,
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Source {
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

/// An applied code as a hit shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedCode {
    pub code_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}
