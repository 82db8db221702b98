//! Trains one CNN on dev folds != FOLD (default 0) and scores fold FOLD: code micro-F1 at
//! logit 0 (plus the top code when none passes) and at the best shift of all logits, which
//! compares nets whatever their calibration. AUX=1 adds one output per (code, polarity) pair
//! to the training targets (multi-task); SEEDS=n averages n nets.
//! `OPTS='{"unit":"word","epochs":8}' cargo run --release -p vocwb-classify --example cnn_probe -- FILE`

#![allow(clippy::print_stdout)]

use std::time::Instant;
use vocwb_classify::cnn::{self, CnnParams};
use vocwb_classify::features::{Extractor, FeatureConfig, Featurizer};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut rdr = csv::Reader::from_path(&args[1]).expect("csv");
    let codes = ["动力", "价格", "油耗", "操控", "舒适性", "配置", "安全性", "内饰", "外观", "空间"];
    let aux = std::env::var("AUX").is_ok();
    let mut rows: Vec<(String, Vec<usize>, usize)> = Vec::new();
    let headers = rdr.headers().expect("headers").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect(n);
    let (tc, lc, fc) = (col("text"), col("labels"), col("fold"));
    for r in rdr.records() {
        let r = r.expect("row");
        let mut t: Vec<usize> = r[lc].split('|').filter_map(|p| p.rsplit_once(':')).filter_map(|(c, _)| codes.iter().position(|x| *x == c)).collect();
        t.dedup();
        if aux {
            // Auxiliary outputs: one per (code, polarity) pair after the codes.
            for (c, p) in r[lc].split('|').filter_map(|p| p.rsplit_once(':')) {
                if let (Some(ci), Ok(k)) = (codes.iter().position(|x| *x == c), p.parse::<i64>()) {
                    let a = codes.len() + 3 * ci + (k + 1) as usize;
                    if !t.contains(&a) {
                        t.push(a);
                    }
                }
            }
        }
        rows.push((r[tc].to_string(), t, r[fc].parse().expect("fold")));
    }
    let opts: serde_json::Value = std::env::var("OPTS").ok().map(|v| serde_json::from_str(&v).expect("json")).unwrap_or(serde_json::json!({}));
    let word = opts.get("unit").and_then(|u| u.as_str()) == Some("word");
    let params: CnnParams = serde_json::from_value(opts.clone()).expect("params");
    let params = if word && opts.get("widths").is_none() { CnnParams { widths: CnnParams::words().widths, ..params } } else { params };
    let units: Vec<Vec<u32>> = if word {
        let extractor = Extractor::new(FeatureConfig::default());
        let texts: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let tok = vocwb_classify::features::train_tokenizer(&extractor, &texts).expect("tok");
        let f = Featurizer::new(extractor, &tok);
        rows.iter().map(|r| f.word_units(&f.tokens(&r.0), params.max_units)).collect()
    } else {
        rows.iter().map(|r| cnn::char_units(&r.0, params.max_units)).collect()
    };
    let test_fold: usize = std::env::var("FOLD").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let train: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].2 != test_fold).collect();
    let test: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].2 == test_fold).collect();
    let t = Instant::now();
    let x: Vec<Vec<u32>> = train.iter().map(|&i| units[i].clone()).collect();
    let y: Vec<Vec<usize>> = train.iter().map(|&i| rows[i].1.clone()).collect();
    let seed: u64 = std::env::var("SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let members: u64 = std::env::var("SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut logits: Vec<Vec<f32>> = vec![vec![0.0; codes.len()]; test.len()];
    let outputs = if aux { 4 * codes.len() } else { codes.len() };
    // OPTS2: the settings of every member after the first (a mixed ensemble).
    let others: Option<CnnParams> = std::env::var("OPTS2").ok().map(|v| serde_json::from_str(&v).expect("OPTS2 json"));
    for m in 0..members {
        let params = if m > 0 { others.as_ref().unwrap_or(&params) } else { &params };
        let model = cnn::train(&x, &y, outputs, params, seed + 1000 * m, &|e, l| {
            println!("epoch {e} loss {l:.4}");
            true
        })
        .expect("train")
        .expect("not cancelled");
        for (acc, l) in logits.iter_mut().zip(model.logits_many(&test.iter().map(|&i| units[i].as_slice()).collect::<Vec<_>>())) {
            for (a, v) in acc.iter_mut().zip(l) {
                *a += v / members as f32;
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    // F1 with the logits shifted by `shift`: 0 is the plain rule; the best shift shows the
    // ranking quality whatever the calibration.
    let f1_at = |shift: f32| {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (l, &i) in logits.iter().zip(&test) {
            let mut chosen: Vec<usize> = (0..codes.len()).filter(|&c| l[c] + shift > 0.0).collect();
            if chosen.is_empty() {
                chosen.push((0..codes.len()).max_by(|&a, &b| l[a].total_cmp(&l[b])).expect("codes"));
            }
            for c in 0..codes.len() {
                match (rows[i].1.contains(&c), chosen.contains(&c)) {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    _ => {}
                }
            }
        }
        2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
    };
    let best = (-40..=40).map(|k| f1_at(k as f32 * 0.05)).fold(0.0, f64::max);
    println!("train {secs:.1}s  micro-F1 {:.4} best-shift {best:.4}", f1_at(0.0));
}
