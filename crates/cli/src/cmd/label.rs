//! `vocwb label`: apply, remove, undo, redo or skip one label at a time, or a stream of labels
//! from standard input (one `VERBATIM CODE POLARITY` per line, each acknowledged once committed).

use crate::output::{print_json, print_line};
use anyhow::{bail, Context};
use std::io::BufRead;
use std::path::PathBuf;
use vocwb_engine::labels::CodeLookup;
use vocwb_engine::Project;
use vocwb_types::Polarity;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    #[arg(long)]
    pub coder: String,
    #[arg(long)]
    pub verbatim: Option<i64>,
    /// Code name, short code or id.
    #[arg(long)]
    pub code: Option<String>,
    /// pain, itch, delight or neutral.
    #[arg(long)]
    pub polarity: Option<Polarity>,
    /// Remove the code instead of applying it.
    #[arg(long)]
    pub remove: bool,
    #[arg(long)]
    pub undo: bool,
    #[arg(long)]
    pub redo: bool,
    /// Put --verbatim at the end of the coder's queue.
    #[arg(long)]
    pub skip: bool,
    /// Read `VERBATIM CODE POLARITY` lines from standard input; print `ok EVENT` after each commit.
    #[arg(long)]
    pub stdin: bool,
    #[arg(long)]
    pub json: bool,
}

fn resolve(project: &Project, code: &str) -> anyhow::Result<String> {
    let (_, frame) = project.labelling_frame()?;
    if frame.get(code).is_some() {
        return Ok(code.to_string());
    }
    Ok(CodeLookup::new(&frame).find(code).map_err(anyhow::Error::msg)?.to_string())
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let mut project = Project::open(&a.dir)?;
    if a.stdin {
        let (_, frame) = project.labelling_frame()?;
        let lookup = CodeLookup::new(&frame);
        for (i, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line?;
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.is_empty() {
                continue;
            }
            let [verbatim, code, polarity] = parts[..] else {
                bail!("stdin line {}: expected VERBATIM CODE POLARITY", i + 1);
            };
            let verbatim: i64 = verbatim.parse().with_context(|| format!("stdin line {}: bad verbatim id", i + 1))?;
            let code = if frame.get(code).is_some() { code } else { lookup.find(code).map_err(anyhow::Error::msg)? };
            let polarity: Polarity = polarity.parse().map_err(anyhow::Error::msg)?;
            let event = project.apply_label(&a.coder, verbatim, code, polarity, None)?;
            // Printed only after the commit returned: an acknowledged label is on disk.
            print_line(format_args!("ok {event}"));
        }
        return Ok(());
    }
    let touched = if a.undo {
        project.undo_label(&a.coder)?
    } else if a.redo {
        project.redo_label(&a.coder)?
    } else {
        let verbatim = a.verbatim.context("give --verbatim (or --undo, --redo, --stdin)")?;
        if a.skip {
            project.skip(&a.coder, verbatim)?;
        } else {
            let code = resolve(&project, a.code.as_deref().context("give --code")?)?;
            if a.remove {
                project.remove_label(&a.coder, verbatim, &code)?;
            } else {
                let polarity = a.polarity.context("give --polarity pain|itch|delight|neutral")?;
                project.apply_label(&a.coder, verbatim, &code, polarity, None)?;
            }
        }
        Some(verbatim)
    };
    let labels = match touched {
        Some(v) => project.labels_of(v)?,
        None => vec![],
    };
    if a.json {
        print_json(&serde_json::json!({ "verbatim_id": touched, "labels": labels }));
    } else {
        match touched {
            Some(v) => print_line(format_args!("verbatim {v}: {} labels", labels.len())),
            None => print_line("nothing to do"),
        }
    }
    Ok(())
}
