//! Full-text search of verbatims for VoC Workbench, on tantivy.
//!
//! The crate takes plain [`SearchDoc`]s (never SQLite) and answers [`SearchQuery`]s with ranked
//! [`Hit`]s, highlighted snippets and counts per code. Chinese is segmented with jieba plus the
//! project lexicon as user words, English is lower-cased and stemmed ([`tokenizer`]).
//!
//! Code, polarity and source filters are paired: `codes=[X], polarities=[pain]` finds verbatims
//! where X itself (or a descendant) is coded pain, not X plus some other pain code.
//!
//! **Limitations:** confidence pairs with codes but not with polarity or source; the review
//! status of a verbatim is not tied to one code; one writer at a time (tantivy's lock).

mod collector;
pub mod doc;
pub mod error;
pub mod index;
pub mod query;
pub mod tokenizer;

pub use doc::{Application, AppliedCode, SearchDoc, Source};
pub use error::{Error, Result};
pub use index::{IndexMeta, IndexUpdate, SearchIndex};
pub use query::{CodeCount, Filters, Hit, SearchQuery, SearchResults};
