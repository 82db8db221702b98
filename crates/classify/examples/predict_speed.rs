//! Times prediction with a saved model, without training one: the whole pipeline and each
//! CNN alone, best of several runs, on every text of the given CSV files (column `text`).
//! `cargo run --release -p vocwb-classify --example predict_speed -- MODEL_DIR FILE...`
//! `vocwb bench train` remains the reference figure; this is for comparing prediction code.

#![allow(clippy::print_stdout)]

use std::time::Instant;
use vocwb_classify::{cnn, Model};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = Model::load(std::path::Path::new(&args[1])).expect("model");
    let mut texts: Vec<String> = Vec::new();
    for path in &args[2..] {
        let mut rdr = csv::Reader::from_path(path).expect("csv");
        let col = rdr.headers().expect("headers").iter().position(|h| h == "text").expect("text column");
        texts.extend(rdr.records().map(|r| r.expect("row")[col].to_string()));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    model.predict_many(&refs[..refs.len().min(64)]);
    let whole = best_of(runs, || model.predict_many(&refs));
    println!("texts {}  predict_many {:.0}/s", refs.len(), refs.len() as f64 / whole);
    let max_units = model.cnns().iter().map(|c| c.max_units).max().unwrap_or(0);
    let units: Vec<Vec<u32>> = refs.iter().map(|t| cnn::char_units(t, max_units)).collect();
    let units: Vec<&[u32]> = units.iter().map(Vec::as_slice).collect();
    let one = best_of(runs, || units.chunks(64).map(|c| model.cnns()[0].logits_many(c).len()).sum::<usize>());
    println!(
        "char nets {}  one net, one thread {:.0}/s  ({:.1} s per 10k texts for all nets)",
        model.cnns().len(),
        refs.len() as f64 / one,
        one / refs.len() as f64 * 1e4 * model.cnns().len() as f64
    );
}
