//! `vocwb frame …`: import, export, validate, publish, diff, migrate and show the code frame.

use crate::output::{print_json, print_line};
use anyhow::{bail, Context};
use std::path::PathBuf;
use vocwb_engine::frame::files::{read_frame, write_frame};
use vocwb_engine::frame::{CodeStatus, Frame};
use vocwb_engine::{Error, Project};

#[derive(Debug, clap::Subcommand)]
pub enum FrameCmd {
    /// Replace the draft with a frame file (.toml, .xlsx, .csv, .qdc, .qdpx); changes become operations.
    Import(ImportArgs),
    /// Write the draft (or a published version) as xlsx, csv, qdc (REFI-QDA) or toml.
    Export(ExportArgs),
    /// Check the draft; exit 0 when it is valid.
    Validate(DirArgs),
    /// Freeze the draft as the next immutable version.
    Publish(PublishArgs),
    /// List the operations between two versions (`v1 v2`; omit the second for the draft).
    Diff(DiffArgs),
    /// Move the project's labels to the latest (or a given) version.
    Migrate(MigrateArgs),
    /// Print the draft or a version as a tree.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct DirArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub dir: PathBuf,
    pub file: PathBuf,
    #[arg(long, default_value = "owner")]
    pub author: String,
    /// Publish the imported frame at once.
    #[arg(long)]
    pub publish: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub format: String,
    #[arg(short, long)]
    pub output: PathBuf,
    /// A published version such as `v2` (default: the draft).
    #[arg(long)]
    pub version: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    pub dir: PathBuf,
    #[arg(long, default_value = "owner")]
    pub author: String,
    /// Change log (default: the list of operations since the last version).
    #[arg(long)]
    pub message: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    pub dir: PathBuf,
    pub from: String,
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub version: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl FrameCmd {
    pub fn json(&self) -> bool {
        match self {
            FrameCmd::Import(a) => a.json,
            FrameCmd::Export(a) => a.json,
            FrameCmd::Validate(a) => a.json,
            FrameCmd::Publish(a) => a.json,
            FrameCmd::Diff(a) => a.json,
            FrameCmd::Migrate(a) => a.json,
            FrameCmd::Show(a) => a.json,
        }
    }
}

/// `v3` or `3` → 3.
fn version_number(s: &str) -> anyhow::Result<i64> {
    s.trim_start_matches(['v', 'V']).parse().with_context(|| format!("'{s}' is not a version like v2"))
}

fn frame_at(project: &Project, version: &Option<String>) -> anyhow::Result<Frame> {
    Ok(match version {
        Some(v) => project.frame_version(version_number(v)?)?,
        None => project.frame_draft()?,
    })
}

pub fn run(cmd: FrameCmd) -> anyhow::Result<()> {
    match cmd {
        FrameCmd::Import(a) => {
            let frame = read_frame(&a.file)?;
            let mut project = Project::open(&a.dir)?;
            let ops = project.frame_replace(&frame, &a.author)?;
            let published = if a.publish { Some(project.frame_publish(&a.author, None)?) } else { None };
            if a.json {
                print_json(&serde_json::json!({ "codes": frame.codes.len(), "operations": ops, "published": published }));
            } else {
                print_line(format_args!("imported {} codes into the draft: {} changes", frame.codes.len(), ops.len()));
                if let Some(v) = published {
                    print_line(format_args!("published v{v}"));
                }
            }
        }
        FrameCmd::Export(a) => {
            let project = Project::open(&a.dir)?;
            let frame = frame_at(&project, &a.version)?;
            write_frame(&frame, &a.format.to_lowercase(), &a.output)?;
            if a.json {
                print_json(&serde_json::json!({ "file": a.output, "codes": frame.codes.len() }));
            } else {
                print_line(format_args!("wrote {} codes to {}", frame.codes.len(), a.output.display()));
            }
        }
        FrameCmd::Validate(a) => {
            let project = Project::open(&a.dir)?;
            let frame = project.frame_draft()?;
            let problems = frame.validate();
            if a.json {
                print_json(&serde_json::json!({ "valid": problems.is_empty(), "codes": frame.codes.len(), "problems": problems }));
            } else if problems.is_empty() {
                print_line(format_args!("the frame is valid ({} codes)", frame.codes.len()));
            }
            if !problems.is_empty() {
                let list = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
                return Err(Error::InvalidFrame(list).into());
            }
        }
        FrameCmd::Publish(a) => {
            let mut project = Project::open(&a.dir)?;
            let v = project.frame_publish(&a.author, a.message.as_deref())?;
            let frame = project.frame_version(v)?;
            if a.json {
                print_json(&serde_json::json!({ "version": v, "codes": frame.codes.len(), "changelog": frame.header.changelog }));
            } else {
                print_line(format_args!("published v{v} ({} codes)", frame.codes.len()));
            }
        }
        FrameCmd::Diff(a) => {
            let project = Project::open(&a.dir)?;
            let from = version_number(&a.from)?;
            let to = a.to.as_deref().map(version_number).transpose()?;
            if let Some(t) = to {
                if t < from {
                    bail!("the second version must be newer than the first");
                }
            }
            let ops = project.frame_diff(from, to)?;
            if a.json {
                print_json(&serde_json::json!({ "from": from, "to": to, "operations": ops }));
            } else {
                for op in &ops {
                    let v = op.version.map(|v| format!("v{v}")).unwrap_or_else(|| "draft".into());
                    print_line(format_args!("{v:>6}  {}", op.description));
                }
                print_line(format_args!("{} operations", ops.len()));
            }
        }
        FrameCmd::Migrate(a) => {
            let mut project = Project::open(&a.dir)?;
            let to = a.to.as_deref().map(version_number).transpose()?;
            let report = project.migrate_labels(to)?;
            if a.json {
                print_json(&report);
            } else {
                print_line(format_args!(
                    "migrated {} labels to v{}: {} carried over, {} sent to review",
                    report.labels, report.to_version, report.carried, report.needs_review
                ));
                for (op, n) in &report.by_operation {
                    print_line(format_args!("  {op:<10} {n}"));
                }
            }
        }
        FrameCmd::Show(a) => {
            let project = Project::open(&a.dir)?;
            let frame = frame_at(&project, &a.version)?;
            if a.json {
                print_json(&frame);
            } else {
                for c in &frame.codes {
                    let indent = "  ".repeat(frame.depth(&c.id));
                    let retired = if c.status == CodeStatus::Retired { " (retired)" } else { "" };
                    print_line(format_args!("{indent}{} {} / {}{retired}", c.short_code, c.name_zh, c.name_en));
                }
            }
        }
    }
    Ok(())
}
