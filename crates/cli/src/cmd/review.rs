//! `vocwb review …`: QA review of a model's predictions: draw a sample, decide items, report.

use crate::output::{print_json, print_line};
use anyhow::{bail, Context};
use std::path::PathBuf;
use vocwb_engine::labels::CodeLookup;
use vocwb_engine::review::{write_report_xlsx, Proportion, ReviewSample, SampleParams, Verdict};
use vocwb_engine::Project;
use vocwb_types::Polarity;

#[derive(Debug, clap::Subcommand)]
pub enum ReviewCmd {
    /// Draw and record a seeded sample of predictions per code, stratified by confidence band.
    Sample(SampleArgs),
    /// Show a recorded sample with its items and decisions (the latest sample by default).
    Show(ShowArgs),
    /// Record a decision on one item: --accept, --reject, a correction (--code/--polarity) or --add.
    Decide(DecideArgs),
    /// Precision per code (Wilson 95% intervals), confusion, agreement; optionally as XLSX.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub reviewer: String,
    /// Items per code.
    #[arg(long, default_value_t = 30)]
    pub per_code: usize,
    /// The seed; the same seed on the same predictions draws the same sample (default: from the clock, and recorded).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only these codes (id, short code or name); default every predicted code.
    #[arg(long, value_delimiter = ',')]
    pub code: Vec<String>,
    /// Inner confidence band boundaries.
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.7,0.9")]
    pub bands: Vec<f64>,
    /// The model to review (default: the active one).
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub sample: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    pub dir: PathBuf,
    #[arg(long)]
    pub sample: i64,
    #[arg(long)]
    pub position: i64,
    #[arg(long)]
    pub reviewer: String,
    #[arg(long, conflicts_with_all = ["reject", "code", "polarity", "add"])]
    pub accept: bool,
    #[arg(long, conflicts_with_all = ["code", "polarity", "add"])]
    pub reject: bool,
    /// The right code instead of the predicted one.
    #[arg(long, conflicts_with = "add")]
    pub code: Option<String>,
    /// The right polarity (or, with --add, the added code's polarity).
    #[arg(long)]
    pub polarity: Option<String>,
    /// A code the model missed, added beside the (right) predicted one; needs --polarity.
    #[arg(long)]
    pub add: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    pub dir: PathBuf,
    /// One sample (default: every sample).
    #[arg(long)]
    pub sample: Option<i64>,
    /// Also write the report as a workbook.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

impl ReviewCmd {
    pub fn json(&self) -> bool {
        match self {
            ReviewCmd::Sample(a) => a.json,
            ReviewCmd::Show(a) => a.json,
            ReviewCmd::Decide(a) => a.json,
            ReviewCmd::Report(a) => a.json,
        }
    }
}

pub fn run(cmd: ReviewCmd) -> anyhow::Result<()> {
    match cmd {
        ReviewCmd::Sample(a) => sample(a),
        ReviewCmd::Show(a) => show(a),
        ReviewCmd::Decide(a) => decide(a),
        ReviewCmd::Report(a) => report(a),
    }
}

fn code_id(project: &Project, key: &str) -> anyhow::Result<String> {
    let (_, frame) = project.labelling_frame()?;
    if frame.get(key).is_some() {
        return Ok(key.to_string());
    }
    Ok(CodeLookup::new(&frame).find(key).map_err(anyhow::Error::msg)?.to_string())
}

fn polarity(p: &str) -> anyhow::Result<Polarity> {
    p.parse().map_err(anyhow::Error::msg)
}

fn sample(a: SampleArgs) -> anyhow::Result<()> {
    let mut project = Project::open(&a.dir)?;
    let seed = match a.seed {
        Some(s) => s,
        None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64 % 1_000_000_007).unwrap_or(1),
    };
    let params = SampleParams {
        reviewer: a.reviewer.clone(),
        seed,
        per_code: a.per_code,
        codes: a.code.iter().map(|c| code_id(&project, c)).collect::<anyhow::Result<_>>()?,
        bands: a.bands.clone(),
        model_id: a.model.clone(),
    };
    let sample = project.draw_review_sample(&params)?;
    print_sample(&sample, a.json);
    Ok(())
}

fn show(a: ShowArgs) -> anyhow::Result<()> {
    let project = Project::open(&a.dir)?;
    let id = match a.sample {
        Some(id) => id,
        None => project.review_samples()?.first().map(|s| s.id).context("the project has no review samples yet")?,
    };
    print_sample(&project.review_sample(id)?, a.json);
    Ok(())
}

fn print_sample(sample: &ReviewSample, json: bool) {
    if json {
        print_json(sample);
        return;
    }
    print_line(format_args!(
        "sample {} by {} (seed {}, model {}): {} items",
        sample.id,
        sample.reviewer,
        sample.seed,
        sample.model_id,
        sample.items.len()
    ));
    for i in &sample.items {
        let decided = i.decision.as_ref().map(|d| format!(" → {}", d.decision)).unwrap_or_default();
        let polarity = i.polarity.map(|p| p.to_string()).unwrap_or_default();
        print_line(format_args!(
            "{:>4}. #{} {} {} {:.2} {}{decided}: {}",
            i.position, i.verbatim_id, i.code_id, polarity, i.confidence, i.band, i.text
        ));
    }
}

fn decide(a: DecideArgs) -> anyhow::Result<()> {
    let mut project = Project::open(&a.dir)?;
    let verdict = if a.accept {
        Verdict::Accept
    } else if a.reject {
        Verdict::Reject
    } else if let Some(add) = &a.add {
        let p = a.polarity.as_deref().context("--add needs --polarity for the added code")?;
        Verdict::AddMissing { code: code_id(&project, add)?, polarity: polarity(p)? }
    } else if a.code.is_some() || a.polarity.is_some() {
        Verdict::Correct {
            code: a.code.as_deref().map(|c| code_id(&project, c)).transpose()?,
            polarity: a.polarity.as_deref().map(polarity).transpose()?,
        }
    } else {
        bail!("say --accept, --reject, --code/--polarity (a correction) or --add CODE --polarity P");
    };
    let decision = project.decide_review_item(a.sample, a.position, &a.reviewer, &verdict, &a.note)?;
    if a.json {
        print_json(&decision);
    } else {
        print_line(format_args!(
            "item {} of sample {}: {} ({} label events)",
            a.position,
            a.sample,
            decision.decision,
            decision.label_events.len()
        ));
    }
    Ok(())
}

fn report(a: ReportArgs) -> anyhow::Result<()> {
    let project = Project::open(&a.dir)?;
    let report = project.review_report(a.sample)?;
    if let Some(path) = &a.xlsx {
        write_report_xlsx(&report, path)?;
    }
    if a.json {
        print_json(&report);
        return Ok(());
    }
    let pct = |q: &Proportion| match (q.value, q.low, q.high) {
        (Some(v), Some(l), Some(h)) => format!("{:.0}% [{:.0}–{:.0}%] of {}", v * 100.0, l * 100.0, h * 100.0, q.n),
        _ => "no decisions".into(),
    };
    print_line(format_args!("{} items, {} decided", report.items, report.decided));
    for p in &report.precision {
        let weighted = p.weighted_precision.map(|w| format!(", weighted {:.0}%", w * 100.0)).unwrap_or_default();
        print_line(format_args!("{} {} {}: precision {}{weighted}", p.code_id, p.short_code, p.name_zh, pct(&p.precision)));
    }
    for c in &report.confusion {
        print_line(format_args!("  {} → {}: {}", c.predicted, c.corrected.as_deref().unwrap_or("(rejected)"), c.count));
    }
    let ag = &report.agreement;
    print_line(format_args!("agreement: code {}, code and polarity {}", pct(&ag.code), pct(&ag.exact)));
    if let Some(path) = &a.xlsx {
        print_line(format_args!("wrote {}", path.display()));
    }
    Ok(())
}
