//! The unified code frame (统一码框): a versioned hierarchy of codes plus the domain lexicon.

pub mod files;
pub mod highlight;
pub mod migrate;
pub mod model;
pub mod qdc;
pub mod store;
pub mod table;

pub use model::{Code, CodeStatus, Frame, FrameHeader, FrameToml, Lexicon, LexiconTerm, Problem};
pub use store::{FrameOp, OpRecord, VersionInfo};
