//! `vocwb labels …`: human labels.

use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;
use vocwb_types::Channel;

#[derive(Debug, clap::Subcommand)]
pub enum LabelsCmd {
    /// Import a labelled file in the shared format (id,text,labels with labels like 动力:-1|油耗:1).
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub dir: PathBuf,
    pub file: PathBuf,
    /// Channel of verbatims created for new ids.
    #[arg(long)]
    pub channel: Channel,
    #[arg(long, default_value = "import")]
    pub coder: String,
    #[arg(long)]
    pub json: bool,
}

impl LabelsCmd {
    pub fn json(&self) -> bool {
        match self {
            LabelsCmd::Import(a) => a.json,
        }
    }
}

pub fn run(cmd: LabelsCmd) -> anyhow::Result<()> {
    match cmd {
        LabelsCmd::Import(a) => {
            let mut project = Project::open(&a.dir)?;
            let report = project.import_labels(&a.file, a.channel, &a.coder)?;
            if a.json {
                print_json(&report);
            } else {
                print_line(format_args!(
                    "{} rows: {} labels added for {}, {} already there; {} new verbatims",
                    report.rows, report.labels_added, report.coder, report.labels_unchanged, report.verbatims_created
                ));
            }
        }
    }
    Ok(())
}
