//! `vocwb labels …`: human labels.

use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;
use vocwb_types::Channel;

#[derive(Debug, clap::Subcommand)]
pub enum LabelsCmd {
    /// Import a labelled file in the shared format (id,text,labels with labels like 动力:-1|油耗:1).
    Import(ImportArgs),
    /// The label events, oldest first (of one verbatim with --verbatim).
    History(HistoryArgs),
    /// Current labels in the shared format (id,text,labels), one file per coder or all coders.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub verbatim: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub dir: PathBuf,
    #[arg(short, long)]
    pub output: PathBuf,
    /// Only this coder's labels (default: every human coder's, merged).
    #[arg(long)]
    pub coder: Option<String>,
    #[arg(long)]
    pub json: bool,
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
            LabelsCmd::History(a) => a.json,
            LabelsCmd::Export(a) => a.json,
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
        LabelsCmd::History(a) => {
            let events = Project::open(&a.dir)?.label_history(a.verbatim)?;
            if a.json {
                print_json(&events);
            } else {
                for e in events {
                    print_line(format_args!(
                        "{:>6} {} {:<8} verbatim {:<6} {:<8} {:<7} {:<8} v{}{}",
                        e.id,
                        e.created_at,
                        e.coder,
                        e.verbatim_id,
                        e.code_id,
                        e.action,
                        e.polarity.unwrap_or_default(),
                        e.frame_version.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
                        e.undoes.map(|u| format!(" (undoes {u})")).unwrap_or_default()
                    ));
                }
            }
        }
        LabelsCmd::Export(a) => {
            let project = Project::open(&a.dir)?;
            let rows = project.export_labels(&a.output, a.coder.as_deref())?;
            if a.json {
                print_json(&serde_json::json!({ "file": a.output, "rows": rows }));
            } else {
                print_line(format_args!("wrote {rows} labelled verbatims to {}", a.output.display()));
            }
        }
    }
    Ok(())
}
