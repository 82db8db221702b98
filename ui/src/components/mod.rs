//! Plain views shared by the pages. They read the [`crate::store::Store`] but never call the backend:
//! actions arrive as callbacks from the page.

mod error_banner;
mod header;
mod mapping;
mod path_field;
mod preview_table;
mod progress;
mod stat_tile;

pub use error_banner::ErrorBanner;
pub use header::Header;
pub use mapping::{MapField, MappingEditor};
pub use path_field::PathField;
pub use preview_table::PreviewTable;
pub use progress::ProgressBar;
pub use stat_tile::{fmt_count, StatTile};
