//! One file per screen. Pages call [`crate::api`] and hand plain data to components.

mod frame;
mod import;
mod overview;
mod projects;

pub use frame::FramePage;
pub use import::ImportPage;
pub use overview::OverviewPage;
pub use projects::ProjectsPage;
