//! QA review of auto-coded verbatims: samples, decisions and reports, as the CLI prints them
//! and a review screen shows them.

use serde::{Deserialize, Serialize};

use crate::Polarity;

/// The default inner boundaries of the confidence bands: [0, .5), [.5, .7), [.7, .9), [.9, 1].
pub const DEFAULT_BANDS: [f64; 3] = [0.5, 0.7, 0.9];

/// How to draw a sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleParams {
    pub reviewer: String,
    pub seed: u64,
    /// Items per code, spread evenly over the confidence bands that have predictions (a band
    /// with too few gives its share to the others).
    pub per_code: usize,
    /// Code ids to sample; empty for every code the model predicted.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Inner band boundaries, ascending, inside (0, 1).
    #[serde(default = "default_bands")]
    pub bands: Vec<f64>,
    /// The model whose predictions are reviewed; default: the current model.
    #[serde(default)]
    pub model_id: Option<String>,
}

pub fn default_bands() -> Vec<f64> {
    DEFAULT_BANDS.to_vec()
}

impl SampleParams {
    pub fn new(reviewer: &str, seed: u64, per_code: usize) -> SampleParams {
        SampleParams { reviewer: reviewer.into(), seed, per_code, codes: Vec::new(), bands: default_bands(), model_id: None }
    }
}

/// One code × band cell of a sample: how many predictions it had and how many were drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stratum {
    pub code_id: String,
    pub band: String,
    pub population: u64,
    pub drawn: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSample {
    pub id: i64,
    pub created_at: String,
    pub reviewer: String,
    pub seed: u64,
    pub model_id: String,
    pub params: SampleParams,
    pub strata: Vec<Stratum>,
    pub items: Vec<ReviewItem>,
}

/// A drawn prediction, with its verbatim text and latest decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub sample_id: i64,
    pub position: i64,
    pub verbatim_id: i64,
    pub code_id: String,
    pub polarity: Option<Polarity>,
    pub confidence: f64,
    pub model_id: String,
    pub band: String,
    pub text: String,
    pub decision: Option<Decision>,
}

/// What the reviewer says about one drawn prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The code and polarity are right.
    Accept,
    /// The code does not apply.
    Reject,
    /// The code should be `code` (when given and different), and/or the polarity `polarity`.
    Correct { code: Option<String>, polarity: Option<Polarity> },
    /// The predicted code is right, and `code` was missed.
    AddMissing { code: String, polarity: Polarity },
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub id: i64,
    pub sample_id: i64,
    pub position: i64,
    /// `accept`, `correct` or `reject`.
    pub decision: String,
    pub corrected_code: Option<String>,
    pub corrected_polarity: Option<Polarity>,
    /// `corrected_code` was added beside the predicted code, which stands.
    pub added: bool,
    pub note: String,
    pub reviewer: String,
    pub created_at: String,
    /// The label events this decision wrote.
    pub label_events: Vec<i64>,
}

/// A proportion with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    pub successes: u64,
    pub n: u64,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandPrecision {
    pub band: String,
    /// Predictions of this code in this band when the sample was drawn.
    pub population: u64,
    pub precision: Proportion,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodePrecision {
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    pub sampled: u64,
    /// Decided items whose predicted code was right, with its Wilson interval.
    pub precision: Proportion,
    /// Band precisions weighted by each band's share of the predictions: the estimate for all
    /// of this code's predictions, since bands are sampled evenly, not in proportion.
    pub weighted_precision: Option<f64>,
    pub bands: Vec<BandPrecision>,
}

/// A predicted code the reviewers changed into another (`to` is `None` for a plain reject).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub predicted: String,
    pub corrected: Option<String>,
    pub count: u64,
}

/// A code reviewers added beside a (right) predicted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missed {
    pub predicted: String,
    pub added: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub decided: u64,
    /// The reviewer kept the model's code.
    pub code: Proportion,
    /// The reviewer kept the model's code and polarity.
    pub exact: Proportion,
    /// Among kept codes, the reviewer kept the polarity.
    pub polarity: Proportion,
    /// Cohen's kappa of model and reviewer polarity on kept codes (chance-corrected).
    pub polarity_kappa: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewReport {
    /// The samples reported on.
    pub samples: Vec<i64>,
    pub items: u64,
    pub decided: u64,
    pub precision: Vec<CodePrecision>,
    pub confusion: Vec<Confusion>,
    pub missed: Vec<Missed>,
    pub agreement: Agreement,
    /// Every item reported on, with its latest decision (not printed with the report).
    #[serde(skip)]
    pub rows: Vec<ReviewItem>,
}

