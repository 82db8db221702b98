use crate::output::{print_json, print_line, Reporter};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the demo project.
    pub dir: PathBuf,
    /// The demo's source files (default: `assets/demo` of this checkout, or $VOCWB_ASSETS/demo).
    #[arg(long)]
    pub assets: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

/// The `assets` folder: `$VOCWB_ASSETS`, else the repository's, found at build time.
pub fn assets_dir() -> PathBuf {
    match std::env::var_os("VOCWB_ASSETS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets")),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let assets = args.assets.unwrap_or_else(|| assets_dir().join("demo"));
    let reporter = Reporter::new(args.json);
    let project = vocwb_engine::demo::build(&args.dir, &assets, &reporter);
    reporter.finish();
    let stats = project?.stats()?;
    if args.json {
        print_json(&stats);
    } else {
        print_line(format_args!(
            "created the demo project in {}: {} documents, {} verbatims",
            args.dir.display(),
            stats.documents,
            stats.verbatims
        ));
    }
    Ok(())
}
