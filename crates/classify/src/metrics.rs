//! Scoring predictions against gold labels: code F1 and (code, polarity) pair F1.
//!
//! Pair scoring follows the shared baselines: a pair is a true positive only when code and
//! polarity both match, so a right code with a wrong polarity is one false positive and one
//! false negative.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use vocwb_types::Polarity;

/// Precision, recall and F1 of one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeMetrics {
    pub code: String,
    pub support: u64,
    pub predicted: u64,
    pub tp: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Micro and macro scores over a labelled set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    pub verbatims: u64,
    /// Raw counts, so that folds can be pooled: code and pair true/false positives, false negatives.
    pub code_counts: [u64; 3],
    pub pair_counts: [u64; 3],
    pub code_micro_precision: f64,
    pub code_micro_recall: f64,
    pub code_micro_f1: f64,
    /// Unweighted mean of per-code F1 over the codes in gold or predictions.
    pub code_macro_f1: f64,
    pub pair_micro_precision: f64,
    pub pair_micro_recall: f64,
    pub pair_micro_f1: f64,
    /// Of the codes both predicted and true, the share given the right polarity.
    pub polarity_accuracy: f64,
    pub per_code: Vec<CodeMetrics>,
}

fn f1(tp: u64, fp: u64, fn_: u64) -> (f64, f64, f64) {
    let p = if tp + fp == 0 { 0.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if tp + fn_ == 0 { 0.0 } else { tp as f64 / (tp + fn_) as f64 };
    let f = if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (2 * tp + fp + fn_) as f64 };
    (p, r, f)
}

/// Scores predicted against gold (code id, polarity) lists, one list per verbatim.
pub fn evaluate(gold: &[Vec<(String, Polarity)>], pred: &[Vec<(String, Polarity)>]) -> EvalReport {
    assert_eq!(gold.len(), pred.len(), "one prediction list per gold list");
    let mut per: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
    let (mut ptp, mut pfp, mut pfn) = (0u64, 0u64, 0u64);
    let (mut both, mut same_polarity) = (0u64, 0u64);
    for (g, p) in gold.iter().zip(pred) {
        let gc: BTreeSet<&str> = g.iter().map(|(c, _)| c.as_str()).collect();
        let pc: BTreeSet<&str> = p.iter().map(|(c, _)| c.as_str()).collect();
        for c in gc.union(&pc) {
            let e = per.entry(c).or_insert([0; 3]);
            match (gc.contains(c), pc.contains(c)) {
                (true, true) => e[0] += 1,
                (false, true) => e[1] += 1,
                (true, false) => e[2] += 1,
                (false, false) => {}
            }
        }
        let gp: BTreeSet<(&str, Polarity)> = g.iter().map(|(c, x)| (c.as_str(), *x)).collect();
        let pp: BTreeSet<(&str, Polarity)> = p.iter().map(|(c, x)| (c.as_str(), *x)).collect();
        let tp = gp.intersection(&pp).count() as u64;
        ptp += tp;
        pfp += pp.len() as u64 - tp;
        pfn += gp.len() as u64 - tp;
        both += gc.intersection(&pc).count() as u64;
        same_polarity += tp;
    }
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut per_code = Vec::new();
    for (code, [t, f, n]) in &per {
        tp += t;
        fp += f;
        fn_ += n;
        let (precision, recall, f1) = f1(*t, *f, *n);
        per_code.push(CodeMetrics { code: code.to_string(), support: t + n, predicted: t + f, tp: *t, precision, recall, f1 });
    }
    let (cp, cr, cf) = f1(tp, fp, fn_);
    let (pp, pr, pf) = f1(ptp, pfp, pfn);
    let macro_f1 = if per_code.is_empty() { 0.0 } else { per_code.iter().map(|c| c.f1).sum::<f64>() / per_code.len() as f64 };
    EvalReport {
        verbatims: gold.len() as u64,
        code_counts: [tp, fp, fn_],
        pair_counts: [ptp, pfp, pfn],
        code_micro_precision: cp,
        code_micro_recall: cr,
        code_micro_f1: cf,
        code_macro_f1: macro_f1,
        pair_micro_precision: pp,
        pair_micro_recall: pr,
        pair_micro_f1: pf,
        polarity_accuracy: if both == 0 { 0.0 } else { same_polarity as f64 / both as f64 },
        per_code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_polarity_is_one_false_positive_and_one_false_negative() {
        let gold = vec![vec![("a".to_string(), Polarity::Pain), ("b".to_string(), Polarity::Neutral)]];
        let pred = vec![vec![("a".to_string(), Polarity::Delight), ("b".to_string(), Polarity::Neutral)]];
        let r = evaluate(&gold, &pred);
        assert_eq!(r.code_micro_f1, 1.0);
        // tp 1, fp 1, fn 1.
        assert!((r.pair_micro_f1 - 0.5).abs() < 1e-12);
        assert!((r.polarity_accuracy - 0.5).abs() < 1e-12);
    }
}
