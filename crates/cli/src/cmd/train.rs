//! `vocwb train DIR`: train a classifier on the project's human labels; it becomes the active
//! model when it validates better than the current one (or with `--force`).

use crate::output::{print_json, print_line, Reporter};
use std::path::PathBuf;
use vocwb_engine::model::{self, Options};
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// Precision the per-code auto-coding thresholds aim at.
    #[arg(long, default_value_t = 0.9)]
    pub target_precision: f64,
    #[arg(long)]
    pub seed: Option<u64>,
    /// Make the new model active even if it validates worse than the active one.
    #[arg(long)]
    pub force: bool,
    /// Only show the label counts per code (and too-few warnings); do not train.
    #[arg(long)]
    pub counts: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut project = Project::open(&args.dir)?;
    let mut options = Options { target_precision: args.target_precision, ..Options::default() };
    if let Some(seed) = args.seed {
        options.seed = seed;
    }
    if args.counts {
        let data = model::training_data(&project, &options)?;
        if args.json {
            print_json(&data);
        } else {
            print_line(format_args!(
                "{} labelled verbatims (frame v{}), {} unlabelled",
                data.labelled_verbatims, data.frame_version, data.unlabelled_verbatims
            ));
            for c in &data.codes {
                let warn = if c.skipped { "  (too few: not modelled)" } else if c.too_few { "  (few: weak model)" } else { "" };
                print_line(format_args!("{:>6}  {}{warn}", c.verbatims, c.path.join(" › ")));
            }
        }
        return Ok(());
    }
    let reporter = Reporter::new(args.json);
    let outcome = model::train(&mut project, &options, args.force, &reporter);
    reporter.finish();
    let outcome = outcome?;
    if args.json {
        print_json(&outcome);
    } else {
        let v = &outcome.card.validation;
        print_line(format_args!(
            "model {} trained on {} verbatims in {:.1} s; validation code micro-F1 {:.4}, pair micro-F1 {:.4}; {}: {}",
            outcome.model_id,
            outcome.card.examples,
            outcome.card.training_seconds,
            v.code_micro_f1,
            v.pair_micro_f1,
            if outcome.activated { "active" } else { "not active" },
            outcome.reason
        ));
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Labelled file in the shared format (default: made-up labelled verbatims).
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Extra unlabelled verbatims to auto-code (any importable file).
    #[arg(long)]
    pub unlabelled: Option<PathBuf>,
    /// Where to build the project (default: a temporary folder, removed afterwards).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run_bench(args: BenchArgs) -> anyhow::Result<()> {
    // Held until the end of the run: the temporary folder goes when it drops.
    let (dir, _temp) = super::bench::work_dir(args.work_dir.as_deref())?;
    let frame_dir = super::init::codeframes_dir().join("auto");
    let reporter = Reporter::new(args.json);
    let result = model::bench_train(&dir, &frame_dir, args.labels.as_deref(), args.unlabelled.as_deref(), &Options::default(), &reporter);
    reporter.finish();
    let result = result?;
    if args.json {
        print_json(&result);
    } else {
        print_line(format_args!(
            "trained on {} verbatims in {:.1} s; auto-coded {} verbatims at {:.0}/s; prediction alone {:.0} verbatims/s over {}",
            result.labelled_verbatims,
            result.train_seconds,
            result.autocode_verbatims,
            result.autocode_verbatims_per_second,
            result.predict_verbatims_per_second,
            result.predict_verbatims
        ));
    }
    Ok(())
}
