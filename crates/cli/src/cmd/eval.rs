//! `vocwb eval DIR --test FILE`: score the active model on a labelled file in the shared format
//! (`id,text,labels`), without adding the file to the project.

use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::model::{self, Rule};
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    #[arg(long)]
    pub test: PathBuf,
    /// Decision rule: `f1` (per-code F1 thresholds, at least one code) or `precision`.
    #[arg(long, default_value = "f1", value_parser = parse_rule)]
    pub rule: Rule,
    #[arg(long)]
    pub json: bool,
}

pub fn parse_rule(s: &str) -> Result<Rule, String> {
    match s {
        "f1" => Ok(Rule::F1),
        "precision" => Ok(Rule::Precision),
        _ => Err(format!("unknown rule '{s}' (expected f1 or precision)")),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let project = Project::open(&args.dir)?;
    let eval = model::eval_file(&project, &args.test, args.rule)?;
    if args.json {
        print_json(&eval);
    } else {
        let r = &eval.report;
        print_line(format_args!(
            "{} verbatims: code micro-F1 {:.4} (P {:.4}, R {:.4}), macro-F1 {:.4}; pair micro-F1 {:.4}",
            r.verbatims, r.code_micro_f1, r.code_micro_precision, r.code_micro_recall, r.code_macro_f1, r.pair_micro_f1
        ));
        for c in &r.per_code {
            let name = eval.code_names.get(&c.code).cloned().unwrap_or_default();
            print_line(format_args!("  {name:<8} P {:.3}  R {:.3}  F1 {:.3}  ({} true)", c.precision, c.recall, c.f1, c.support));
        }
    }
    Ok(())
}
