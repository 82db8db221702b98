//! The code frame as plain data: what is stored in the database, written to `vN.toml`,
//! and exchanged as XLSX, CSV or REFI-QDA codebooks.

use serde::{Deserialize, Serialize};

pub use vocwb_types::frame::{Code, CodeStatus, Frame, FrameHeader, Problem};

pub use vocwb_types::LexiconTerm;

/// The lexicon file: `[[term]]` tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Lexicon {
    #[serde(rename = "term", default)]
    pub terms: Vec<LexiconTerm>,
}

/// The TOML form of a frame (`codeframes/<name>/vN.toml`): one `[[code]]` table per code, in
/// frame order, so diffs are line-based. A trait because `Frame` lives in `vocwb-types`,
/// which the window also compiles and which so stays free of file formats.
pub trait FrameToml: Sized {
    fn from_toml(text: &str) -> Result<Self, String>;
    fn to_toml(&self) -> String;
}

impl FrameToml for Frame {
    fn from_toml(text: &str) -> Result<Frame, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn to_toml(&self) -> String {
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
