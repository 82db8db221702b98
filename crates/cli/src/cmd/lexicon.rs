//! `vocwb lexicon …`: the domain lexicon.

use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::frame::files::{read_lexicon, write_lexicon};
use vocwb_engine::Project;

#[derive(Debug, clap::Subcommand)]
pub enum LexiconCmd {
    /// Replace the lexicon with a file (.csv, .xlsx, .toml).
    Import(ImportArgs),
    /// Write the lexicon as csv, xlsx or toml.
    Export(ExportArgs),
    /// List the terms (optionally those containing TEXT).
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub dir: PathBuf,
    pub file: PathBuf,
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
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub dir: PathBuf,
    pub text: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl LexiconCmd {
    pub fn json(&self) -> bool {
        match self {
            LexiconCmd::Import(a) => a.json,
            LexiconCmd::Export(a) => a.json,
            LexiconCmd::Show(a) => a.json,
        }
    }
}

pub fn run(cmd: LexiconCmd) -> anyhow::Result<()> {
    match cmd {
        LexiconCmd::Import(a) => {
            let lexicon = read_lexicon(&a.file)?;
            let mut project = Project::open(&a.dir)?;
            project.set_lexicon(&lexicon)?;
            if a.json {
                print_json(&serde_json::json!({ "terms": lexicon.terms.len() }));
            } else {
                print_line(format_args!("the lexicon now has {} terms", lexicon.terms.len()));
            }
        }
        LexiconCmd::Export(a) => {
            let lexicon = Project::open(&a.dir)?.lexicon()?;
            write_lexicon(&lexicon, &a.format.to_lowercase(), &a.output)?;
            if a.json {
                print_json(&serde_json::json!({ "file": a.output, "terms": lexicon.terms.len() }));
            } else {
                print_line(format_args!("wrote {} terms to {}", lexicon.terms.len(), a.output.display()));
            }
        }
        LexiconCmd::Show(a) => {
            let mut lexicon = Project::open(&a.dir)?.lexicon()?;
            if let Some(q) = &a.text {
                let q = q.to_lowercase();
                lexicon.terms.retain(|t| {
                    t.term.to_lowercase().contains(&q)
                        || t.gloss_en.to_lowercase().contains(&q)
                        || t.variants.iter().any(|v| v.to_lowercase().contains(&q))
                });
            }
            if a.json {
                print_json(&lexicon);
            } else {
                for t in &lexicon.terms {
                    print_line(format_args!("{:<10} {:<28} → {}  [{}]", t.term, t.gloss_en, t.codes.join(", "), t.variants.join(", ")));
                }
            }
        }
    }
    Ok(())
}
