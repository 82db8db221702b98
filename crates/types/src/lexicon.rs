//! The domain lexicon's entries, shared by the engine (which stores them) and the window.

use crate::Polarity;
use serde::{Deserialize, Serialize};

/// One domain-lexicon entry: an industry word or slang term and the codes it points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LexiconTerm {
    pub term: String,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub gloss_en: String,
    /// Short codes of the frame.
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
}
