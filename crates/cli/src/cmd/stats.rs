use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let stats = Project::open(&args.dir)?.stats()?;
    if args.json {
        print_json(&stats);
        return Ok(());
    }
    print_line(format_args!(
        "{} documents, {} verbatims, {} context turns from {} files",
        stats.documents, stats.verbatims, stats.context_turns, stats.sources
    ));
    for (channel, c) in &stats.by_channel {
        print_line(format_args!("  {channel:<12} {:>8} documents {:>8} verbatims", c.documents, c.verbatims));
    }
    if let Some(v) = stats.frame_version {
        print_line(format_args!("code frame v{v}: {} active codes; {} verbatims labelled", stats.codes, stats.labelled_verbatims));
    }
    Ok(())
}
