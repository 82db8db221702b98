//! `vocwb autocode DIR`: apply the active model to every verbatim without a human label.

use crate::output::{print_json, print_line, Reporter};
use std::path::PathBuf;
use vocwb_engine::model::{self, Rule};
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// `precision`: only codes whose probability reaches the threshold for the model's target
    /// precision; `f1`: the thresholds that maximise F1 (at least one code per verbatim).
    #[arg(long, default_value = "precision", value_parser = super::eval::parse_rule)]
    pub rule: Rule,
    /// Also list this many verbatims without a human label, most uncertain first.
    #[arg(long, default_value_t = 0)]
    pub uncertain: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut project = Project::open(&args.dir)?;
    let reporter = Reporter::new(args.json);
    let report = model::autocode(&mut project, args.rule, &reporter);
    reporter.finish();
    let report = report?;
    let uncertain = if args.uncertain > 0 { model::uncertainty_ranking(&project, args.uncertain)? } else { Vec::new() };
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if args.uncertain > 0 {
            value["uncertain"] = serde_json::to_value(&uncertain)?;
        }
        print_json(&value);
    } else {
        print_line(format_args!(
            "model {}: {} predictions on {} verbatims ({} left uncoded, {} human-labelled untouched) in {:.2} s = {:.0} verbatims/s",
            report.model_id, report.predictions, report.verbatims, report.uncoded, report.human_labelled, report.seconds, report.verbatims_per_second
        ));
        for u in &uncertain {
            print_line(format_args!("{:.3}  {}  {}", u.uncertainty, u.verbatim_id, u.text));
        }
    }
    Ok(())
}
