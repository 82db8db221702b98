//! `vocwb index …`: the search index in `derived/index/` (it also refreshes itself on search).

use crate::output::{print_json, print_line, Reporter};
use std::path::PathBuf;
use vocwb_engine::index::IndexReport;
use vocwb_engine::Project;

#[derive(Debug, clap::Subcommand)]
pub enum IndexCmd {
    /// Build the index from scratch.
    Rebuild(DirArgs),
    /// Re-index what changed since the last refresh (rebuilds if needed).
    Refresh(DirArgs),
    /// Whether the index is fresh, stale, missing or unusable, without touching it.
    Status(DirArgs),
}

#[derive(Debug, clap::Args)]
pub struct DirArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

impl IndexCmd {
    pub fn json(&self) -> bool {
        match self {
            IndexCmd::Rebuild(a) | IndexCmd::Refresh(a) | IndexCmd::Status(a) => a.json,
        }
    }
}

pub fn run(cmd: IndexCmd) -> anyhow::Result<()> {
    match cmd {
        IndexCmd::Rebuild(a) => report(&a, |p, r| p.rebuild_index(r)),
        IndexCmd::Refresh(a) => report(&a, |p, r| p.refresh_index(r)),
        IndexCmd::Status(a) => {
            let status = Project::open(&a.dir)?.index_status()?;
            if a.json {
                print_json(&status);
            } else {
                let reason = status.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                print_line(format_args!("{}{reason}: {} documents, {} verbatims", status.state, status.documents, status.verbatims));
            }
            Ok(())
        }
    }
}

fn report(a: &DirArgs, work: impl FnOnce(&Project, &Reporter) -> vocwb_engine::Result<IndexReport>) -> anyhow::Result<()> {
    let project = Project::open(&a.dir)?;
    let reporter = Reporter::new(a.json);
    let result = work(&project, &reporter);
    reporter.finish();
    let r = result?;
    if a.json {
        print_json(&r);
    } else {
        let reason = r.reason.as_deref().map(|x| format!(" ({x})")).unwrap_or_default();
        print_line(format_args!(
            "index {}{reason}: {} verbatims indexed, {} documents, {:.2} s",
            format!("{:?}", r.action).to_lowercase(),
            r.indexed, r.documents, r.seconds
        ));
    }
    Ok(())
}
