//! The labelling screen's shapes: what the engine hands the window about one verbatim, the
//! code search, progress and agreement. Plain data so the wasm UI can read them too.

use serde::{Deserialize, Serialize};

use crate::{Channel, Polarity, Role};

/// A code found by the labelling search (or offered as a shortcut or suggestion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeHit {
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Parent names from the top, e.g. `售后维修 › 4S店服务`, so equal names can be told apart.
    pub path: String,
}

/// A coder's current label on a verbatim, with what the window needs to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentLabel {
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    pub polarity: Option<Polarity>,
}

/// A lexicon term inside a text; offsets count characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMark {
    pub start: usize,
    pub end: usize,
    pub term: String,
}

/// One turn of the verbatim's document (a transcript's agent turns are context only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnView {
    pub speaker: String,
    pub text: String,
    /// The turn is the verbatim being labelled.
    pub current: bool,
    /// Codable (a customer turn); agent turns are not.
    pub codable: bool,
}

/// A verbatim as the labelling screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerbatimCard {
    pub verbatim_id: i64,
    pub text: String,
    pub marks: Vec<TermMark>,
    /// The document's own id in its channel.
    pub document_id: String,
    pub channel: Option<Channel>,
    pub date: Option<String>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    pub nps: Option<i64>,
    /// Nearby turns of the same document (empty for one-turn documents).
    pub turns: Vec<TurnView>,
    /// How many turns the document has in all (the window shows a few around this one).
    pub turns_total: usize,
    /// This coder's current labels.
    pub labels: Vec<CurrentLabel>,
    /// Codes the lexicon terms in the text point to.
    pub suggested: Vec<CodeHit>,
}

/// The order of the labelling queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    #[default]
    InOrder,
    Random,
    Uncertainty,
}

/// What the labelling queue holds and in which order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct QueueRequest {
    pub kind: QueueKind,
    /// The shuffle's seed (random order only).
    pub seed: u64,
    pub channel: Option<Channel>,
}

/// How many current labels a code has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    pub count: u64,
}

/// Labelling progress of the project, of one coder and of the coder's session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelProgress {
    pub verbatims: u64,
    /// Verbatims with at least one current human label, by anyone.
    pub labelled: u64,
    /// Verbatims this coder has labelled.
    pub coder_labelled: u64,
    /// This coder's current labels made since the session began.
    pub session_labels: u64,
    /// Verbatims this coder labelled since the session began.
    pub session_verbatims: u64,
    /// Current human labels per code, most used first.
    pub per_code: Vec<CodeCount>,
}

/// A coder profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoderInfo {
    pub name: String,
    pub role: Role,
}

/// Agreement on one code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeAgreementView {
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    pub units: u64,
    pub krippendorff_alpha: Option<f64>,
    pub cohen_kappa: Option<f64>,
    pub percent_agreement: Option<f64>,
}

/// One coder's value in a disagreement (`polarity: None`: the coder did not apply the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoderValue {
    pub coder: String,
    pub polarity: Option<Polarity>,
    pub applied: bool,
}

/// A disagreement as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisagreementView {
    pub verbatim_id: i64,
    pub text: String,
    pub code_id: String,
    pub short_code: String,
    pub name_zh: String,
    /// `presence` (applied or not) or `polarity`.
    pub kind: String,
    pub values: Vec<CoderValue>,
    /// The decision of record, once adjudicated.
    pub decision: Option<Decision>,
}

/// An adjudicator's decision: the code applies with `polarity`, or (`None`) does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub adjudicator: String,
    pub polarity: Option<Polarity>,
}

/// Agreement between coders, pooled and per code (`None` where it cannot be computed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementView {
    pub krippendorff_alpha: Option<f64>,
    pub cohen_kappa: Option<f64>,
    pub percent_agreement: Option<f64>,
    pub coders: Vec<String>,
    pub verbatims: u64,
    pub units: u64,
    pub per_code: Vec<CodeAgreementView>,
    pub disagreements: Vec<DisagreementView>,
}
