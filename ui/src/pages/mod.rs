//! One file per screen. Pages call [`crate::api`] and hand plain data to components.
//! Each page keeps its own words (an enum implementing [`crate::i18n::Words`]) and its own
//! stylesheet (`ui/static/<page>.css`).

mod frame;
mod import;
mod label;
mod lexicon;
mod overview;
mod projects;
mod review;
mod train;

pub use frame::FramePage;
pub use import::ImportPage;
pub use label::LabelPage;
pub use lexicon::LexiconPage;
pub use overview::OverviewPage;
pub use projects::ProjectsPage;
pub use review::ReviewPage;
pub use train::TrainPage;
