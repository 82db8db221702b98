use crate::output::{print_json, print_line};
use anyhow::Context;
use std::path::PathBuf;
use vocwb_engine::export::{export_verbatims, ExportFormat};
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// csv, xlsx or jsonl (default: from the output's extension).
    #[arg(long)]
    pub format: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let format = match &args.format {
        Some(f) => ExportFormat::from_name(f).with_context(|| format!("unknown export format '{f}'"))?,
        None => ExportFormat::of_path(&args.output)
            .context("cannot tell the format from the output name; give --format csv|xlsx|jsonl")?,
    };
    let project = Project::open(&args.dir)?;
    let rows = export_verbatims(&project, format, &args.output)?;
    if args.json {
        print_json(&serde_json::json!({ "file": args.output, "rows": rows }));
    } else {
        print_line(format_args!("wrote {rows} verbatims to {}", args.output.display()));
    }
    Ok(())
}
