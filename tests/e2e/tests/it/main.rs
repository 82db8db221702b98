//! End-to-end tests of the desktop window (run by `scripts/e2e.sh`).
//!
//! Each test launches the real release `vocwb-app` in a private temporary home and drives it
//! like a person would; screenshots of every screen land in `tests/artifacts/`.

mod frame;
mod import;
mod projects;
// lexicon screen
mod lexicon;
// labelling screen
mod label;
// train screen
mod train;
// search & review screen
mod review;

use vocwb_engine::Project;
use vocwb_e2e::{check, App};
use vocwb_types::{Channel, ProjectStats};

/// Checks every count the overview shows against the engine's own stats.
async fn check_overview_matches(app: &App, expected: &ProjectStats) {
    check::count(app, "total-documents", expected.documents).await;
    check::count(app, "total-verbatims", expected.verbatims).await;
    check::count(app, "total-sources", expected.sources).await;
    for channel in Channel::ALL {
        let c = expected.by_channel.get(channel.as_str()).cloned().unwrap_or_default();
        check::count(app, &format!("channel-{channel}-documents"), c.documents).await;
        check::count(app, &format!("channel-{channel}-verbatims"), c.verbatims).await;
    }
}

fn stats_of(dir: &std::path::Path) -> ProjectStats {
    Project::open(dir).expect("open project").stats().expect("stats")
}
