//! `vocwb agreement`, `vocwb assign`, `vocwb adjudicate`: double coding.

use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;
use vocwb_types::Polarity;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AssignArgs {
    pub dir: PathBuf,
    /// Comma-separated coder names.
    #[arg(long, value_delimiter = ',')]
    pub coders: Vec<String>,
    #[arg(long)]
    pub size: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value = "overlap")]
    pub batch: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AdjudicateArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub adjudicator: String,
    #[arg(long)]
    pub verbatim: i64,
    #[arg(long)]
    pub code: String,
    /// The polarity of record; omit with --absent to rule that the code does not apply.
    #[arg(long)]
    pub polarity: Option<Polarity>,
    #[arg(long)]
    pub absent: bool,
    #[arg(long)]
    pub json: bool,
}

fn show(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let report = Project::open(&a.dir)?.agreement()?;
    if a.json {
        print_json(&report);
        return Ok(());
    }
    print_line(format_args!(
        "{} coders on {} verbatims ({} code units): alpha {:.3}, agreement {:.1}%, kappa {}",
        report.coders.len(),
        report.verbatims,
        report.units,
        report.krippendorff_alpha,
        report.percent_agreement * 100.0,
        show(report.cohen_kappa)
    ));
    for (code, c) in &report.per_code {
        print_line(format_args!(
            "  {code:<8} {:<10} alpha {:>6} kappa {:>6} agreement {:>6}",
            c.name,
            show(c.krippendorff_alpha),
            show(c.cohen_kappa),
            show(c.percent_agreement)
        ));
    }
    print_line(format_args!("{} disagreements", report.disagreements.len()));
    Ok(())
}

pub fn assign(a: AssignArgs) -> anyhow::Result<()> {
    let mut project = Project::open(&a.dir)?;
    let coders: Vec<&str> = a.coders.iter().map(String::as_str).collect();
    let ids = project.assign_overlap(&coders, a.size, a.seed, &a.batch)?;
    if a.json {
        print_json(&serde_json::json!({ "verbatims": ids, "coders": a.coders }));
    } else {
        print_line(format_args!("assigned {} verbatims to {}", ids.len(), a.coders.join(", ")));
    }
    Ok(())
}

pub fn adjudicate(a: AdjudicateArgs) -> anyhow::Result<()> {
    if a.polarity.is_none() && !a.absent {
        anyhow::bail!("give --polarity, or --absent to rule that the code does not apply");
    }
    let mut project = Project::open(&a.dir)?;
    project.adjudicate(&a.adjudicator, a.verbatim, &a.code, a.polarity)?;
    if a.json {
        print_json(&project.labels_of(a.verbatim)?);
    } else {
        print_line(format_args!("settled verbatim {} code {}", a.verbatim, a.code));
    }
    Ok(())
}
