//! The VoC Workbench engine: everything the app and the `vocwb` CLI do, as a plain library.
//!
//! A [`Project`] is a directory holding one SQLite database, the single source of truth.
//! The engine never prints and never depends on a GUI or on argument parsing; long work
//! reports to a [`Progress`] sink that can cancel it.

pub mod agreement;
pub mod bench;
pub mod codesearch;
pub mod coders;
pub mod decode;
pub mod demo;
pub mod error;
pub mod export;
pub mod frame;
pub mod labels;
pub mod model;
pub mod import;
pub mod index;
pub mod progress;
pub mod queue;
pub mod project;
pub mod review;
mod schema;
pub mod search_bench;
pub mod synth;

pub use error::{Error, Result};
pub use progress::{Progress, Silent};
pub use project::Project;
pub use vocwb_types as types;
