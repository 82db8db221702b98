//! In-process 5-fold run on a labelled file in the shared format, for quick measurement.
//! `cargo run --release -p vocwb-classify --example dev_folds -- FILE [FRAME_DIR]`
//! The reference figures come from `scripts/eval-dev-folds.sh`, which uses the CLI.

#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::time::Instant;
use vocwb_classify::{DecisionRule, Example, LexiconEntry, TrainOptions, TrainSet};
use vocwb_types::Polarity;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut rdr = csv::Reader::from_path(&args[1]).expect("csv");
    let headers = rdr.headers().expect("headers").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect(n);
    let (text_col, labels_col, fold_col) = (col("text"), col("labels"), col("fold"));
    let mut rows: Vec<(Example, usize)> = Vec::new();
    for r in rdr.records() {
        let r = r.expect("row");
        let labels = r[labels_col]
            .split('|')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (c, s) = p.rsplit_once(':').expect("pair");
                (c.to_string(), s.parse::<Polarity>().expect("polarity"))
            })
            .collect();
        rows.push((Example { text: r[text_col].to_string(), labels }, r[fold_col].parse().expect("fold")));
    }
    let mut lexicon = Vec::new();
    let mut names = BTreeMap::new();
    if let Some(frame_dir) = args.get(2) {
        let frame: toml::Value = toml::from_str(&std::fs::read_to_string(format!("{frame_dir}/v1.toml")).expect("frame")).expect("toml");
        let mut short_to_name = BTreeMap::new();
        for c in frame["code"].as_array().expect("codes") {
            short_to_name.insert(c["short_code"].as_str().unwrap().to_string(), c["name_zh"].as_str().unwrap().to_string());
        }
        let lex: toml::Value = toml::from_str(&std::fs::read_to_string(format!("{frame_dir}/lexicon.toml")).expect("lexicon")).expect("toml");
        for t in lex["term"].as_array().expect("terms") {
            let mut terms = vec![t["term"].as_str().unwrap().to_string()];
            if let Some(v) = t.get("variants").and_then(|v| v.as_array()) {
                terms.extend(v.iter().filter_map(|s| s.as_str()).map(str::to_string));
            }
            let codes = t.get("codes").and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|s| s.as_str()).filter_map(|s| short_to_name.get(s).cloned()).collect()).unwrap_or_default();
            lexicon.push(LexiconEntry { terms, codes, polarity: t.get("polarity").and_then(|p| p.as_str()).and_then(|p| p.parse().ok()) });
        }
        for n in ["动力", "价格", "油耗", "操控", "舒适性", "配置", "安全性", "内饰", "外观", "空间"] {
            names.insert(n.to_string(), n.to_string());
        }
    }
    let mut options = TrainOptions::default();
    if let Ok(v) = std::env::var("OPTS") {
        options = serde_json::from_str(&v).expect("OPTS json");
    }
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    let mut pred_p = Vec::new();
    let mut net_counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let folds: usize = std::env::var("FOLDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    for f in 0..folds {
        let train: Vec<Example> = rows.iter().filter(|r| r.1 != f).map(|r| r.0.clone()).collect();
        let test_rows: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].1 == f).collect();
        let test: Vec<Example> = test_rows.iter().map(|&i| rows[i].0.clone()).collect();
        let set = TrainSet { examples: train, unlabelled: vec![], lexicon: lexicon.clone(), code_names: names.clone(), frame_version: Some(1) };
        let t = Instant::now();
        let model = vocwb_classify::train(&set, &options, &mut |_| true).expect("train");
        let secs = t.elapsed().as_secs_f64();
        let texts: Vec<&str> = test.iter().map(|e| e.text.as_str()).collect();
        let t = Instant::now();
        let preds = model.predict_many(&texts);
        let rate = texts.len() as f64 / t.elapsed().as_secs_f64();
        // With shared thresholds (the default) the first code's is every code's.
        let threshold = model.card.codes.first().map_or(f32::NAN, |c| c.threshold_f1);
        println!("fold {f}: train {secs:.1}s, predict {rate:.0}/s, F1 threshold {threshold:.3}, oof val {:?}", model.card.validation);
        if let Ok(path) = std::env::var("DUMP") {
            use std::io::Write;
            let mut out = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("dump");
            for (&i, e) in test_rows.iter().zip(&test) {
                let probs: serde_json::Map<String, serde_json::Value> =
                    model.codes().iter().zip(model.probabilities(&e.text)).map(|(c, v)| (c.clone(), serde_json::json!(v))).collect();
                let nets = [model.cnn_probabilities(&e.text), model.word_cnn_probabilities(&e.text)];
                let record = serde_json::json!({"row": i, "fold": f, "p": probs, "codes": model.codes(), "svm": model.raw_scores(&e.text), "char": nets[0], "word": nets[1]});
                writeln!(out, "{record}").expect("write");
            }
        }
        // Each net alone (probability 0.5, else its top code), to see what the stacking adds.
        for (name, probs) in [("char CNN", 0usize), ("word CNN", 1)].map(|(n, k)| {
            (n, test.iter().map(|e| if k == 0 { model.cnn_probabilities(&e.text) } else { model.word_cnn_probabilities(&e.text) }).collect::<Vec<_>>())
        }) {
            let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
            for (e, p) in test.iter().zip(&probs) {
                let Some(p) = p else { continue };
                let mut chosen: Vec<usize> = (0..p.len()).filter(|&c| p[c] >= 0.5).collect();
                if chosen.is_empty() {
                    chosen.push((0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0));
                }
                for (c, code) in model.codes().iter().enumerate() {
                    match (e.labels.iter().any(|l| &l.0 == code), chosen.contains(&c)) {
                        (true, true) => tp += 1,
                        (false, true) => fp += 1,
                        (true, false) => fn_ += 1,
                        _ => {}
                    }
                }
            }
            net_counts.entry(name).or_insert([0; 3]).iter_mut().zip([tp, fp, fn_]).for_each(|(a, b)| *a += b);
        }
        for (e, p) in test.iter().zip(&preds) {
            gold.push(e.labels.clone());
            pred.push(p.applied(DecisionRule::F1).map(|c| (c.code_id.clone(), c.polarity)).collect::<Vec<_>>());
            pred_p.push(p.applied(DecisionRule::Precision).map(|c| (c.code_id.clone(), c.polarity)).collect::<Vec<_>>());
        }
        let fold_report = vocwb_classify::evaluate(&gold[gold.len() - test.len()..], &pred[pred.len() - test.len()..]);
        println!("fold {f} held out: code micro {:.4}, pair micro {:.4}", fold_report.code_micro_f1, fold_report.pair_micro_f1);
    }
    for (name, [tp, fp, fn_]) in &net_counts {
        if tp + fp + fn_ > 0 {
            println!("{name} alone: code micro {:.4}", 2.0 * *tp as f64 / (2 * tp + fp + fn_) as f64);
        }
    }
    let r = vocwb_classify::evaluate(&gold, &pred);
    println!("POOLED F1 rule: code micro {:.4} macro {:.4} P {:.4} R {:.4} | pair micro {:.4} | pol acc {:.4}", r.code_micro_f1, r.code_macro_f1, r.code_micro_precision, r.code_micro_recall, r.pair_micro_f1, r.polarity_accuracy);
    for c in &r.per_code {
        print!("{}:{:.3} ", c.code, c.f1);
    }
    println!();
    let r = vocwb_classify::evaluate(&gold, &pred_p);
    println!("POOLED precision rule: code P {:.4} R {:.4} F1 {:.4}", r.code_micro_precision, r.code_micro_recall, r.code_micro_f1);
}
