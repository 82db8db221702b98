//! `vocwb bench search`: index build time and query latency on a generated corpus, with
//! ripgrep over an export of the same text as the yardstick. Measured, never asserted.
//!
//! The corpus is [`crate::synth`]'s; the shipped frame and lexicon are adopted, and a
//! stand-in model predicts the codes of the lexicon words each verbatim contains (one to a few
//! per verbatim, seeded confidences), so code, polarity and confidence filters have real work.

use crate::error::{Error, Result};
use crate::export::{export_verbatims, ExportFormat};
use crate::frame::files::read_shipped;
use crate::import::{import_path, ImportOptions};
use crate::progress::Progress;
use crate::project::Project;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::params;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;
use vocwb_search::{Filters, SearchQuery, Source};
use vocwb_types::{Channel, Polarity};

/// Words the synthetic corpus uses, searched in turn.
const WORDS: &[&str] = &["顿挫", "胎噪", "异响", "卡顿", "油耗", "续航", "隔音", "导航", "刹车", "座椅"];

#[derive(Debug, Clone, Serialize)]
pub struct SearchBench {
    pub rows: u64,
    pub generate_seconds: f64,
    pub import_seconds: f64,
    pub predictions: u64,
    pub predict_seconds: f64,
    /// Full build of `derived/index/` from the database, merges included.
    pub index_build_seconds: f64,
    pub index_mb: f64,
    pub index_threads: usize,
    pub queries: Vec<QueryShape>,
    /// All timed queries of every shape together.
    pub query_p50_ms: f64,
    pub query_p95_ms: f64,
    pub ripgrep: Option<RipgrepRun>,
    pub ripgrep_note: Option<String>,
    pub peak_rss_mb: f64,
}

/// Latency of one kind of query (a word plus two filters), over every word in turn.
#[derive(Debug, Clone, Serialize)]
pub struct QueryShape {
    pub shape: String,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// Matches of the first word, for a sense of scale.
    pub first_total: u64,
}

/// `rg -c WORD export.csv` on the same verbatims, and the index's answer for the bare word.
#[derive(Debug, Clone, Serialize)]
pub struct RipgrepRun {
    pub word: String,
    pub export_mb: f64,
    pub export_seconds: f64,
    /// The fastest of three runs (the file is in the page cache, as the index is).
    pub seconds: f64,
    pub matching_lines: u64,
    /// The same word through the index, no filters: time for one search, and its total.
    pub index_ms: f64,
    pub index_total: u64,
}

pub fn run(work_dir: &Path, rows: u64, repeats: usize, codeframes: &Path, progress: &dyn Progress) -> Result<SearchBench> {
    let csv_path = work_dir.join("bench.csv");
    let started = Instant::now();
    let file = std::fs::File::create(&csv_path).map_err(|e| Error::io(&csv_path, e))?;
    crate::synth::write_csv(file, rows, 20261123).map_err(|e| Error::io(&csv_path, e))?;
    let generate_seconds = started.elapsed().as_secs_f64();

    let project_dir = work_dir.join("project");
    if project_dir.exists() {
        std::fs::remove_dir_all(&project_dir).map_err(|e| Error::io(&project_dir, e))?;
    }
    let mut project = Project::init(&project_dir)?;
    let (frame, lexicon) = read_shipped(&codeframes.join("auto"))?;
    project.adopt_frame(&frame, lexicon.as_ref())?;
    let started = Instant::now();
    import_path(&mut project, &csv_path, &ImportOptions::new(Channel::Survey), progress)?;
    let import_seconds = started.elapsed().as_secs_f64();
    std::fs::remove_file(&csv_path).map_err(|e| Error::io(&csv_path, e))?;

    let started = Instant::now();
    let predictions = predict(&mut project, lexicon.as_ref())?;
    let predict_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    project.rebuild_index(progress)?;
    let index_build_seconds = started.elapsed().as_secs_f64();
    let index_mb = dir_size(&project.index_dir()) as f64 / 1e6;
    let (index, _) = project.open_index(progress)?;

    // A parent code and the lexicon code of the words, to filter on.
    let (powertrain, _) = parent_of_word(&project, "顿挫")?;
    type MakeQuery<'a> = Box<dyn Fn(&str) -> SearchQuery + 'a>;
    let shapes: Vec<(&str, MakeQuery)> = vec![
        (
            "word + vehicle model + dealer",
            Box::new(|w: &str| query(w, Filters { vehicle_models: vec!["S5".into()], dealers: vec!["北京望京店".into()], ..Default::default() })),
        ),
        (
            "word + parent code + polarity",
            Box::new(|w: &str| query(w, Filters { codes: vec![powertrain.clone()], polarities: vec![Polarity::Pain], ..Default::default() })),
        ),
        (
            "word + min confidence + date range",
            Box::new(|w: &str| {
                query(
                    w,
                    Filters {
                        min_confidence: Some(0.8),
                        date_from: Some("2026-03-01".into()),
                        date_to: Some("2026-06-30".into()),
                        ..Default::default()
                    },
                )
            }),
        ),
        (
            "word + source + NPS detractor",
            Box::new(|w: &str| query(w, Filters { sources: vec![Source::Model], nps_max: Some(6), ..Default::default() })),
        ),
    ];
    let search = |q: &SearchQuery| index.search(q).map_err(|e| Error::io(index.dir(), std::io::Error::other(e.to_string())));
    // One untimed pass warms the page cache, as a session that has searched once would be.
    for (_, make) in &shapes {
        for w in WORDS {
            search(&make(w))?;
        }
    }
    let mut all = Vec::new();
    let mut results = Vec::new();
    for (name, make) in &shapes {
        let mut times = Vec::new();
        let mut first_total = 0;
        for r in 0..repeats.max(1) {
            for (i, w) in WORDS.iter().enumerate() {
                let q = make(w);
                let started = Instant::now();
                let res = search(&q)?;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                if r == 0 && i == 0 {
                    first_total = res.total;
                }
            }
        }
        all.extend_from_slice(&times);
        results.push(QueryShape {
            shape: name.to_string(),
            runs: times.len(),
            p50_ms: percentile(&mut times, 0.50),
            p95_ms: percentile(&mut times, 0.95),
            max_ms: percentile(&mut times, 1.0),
            first_total,
        });
    }
    let query_p50_ms = percentile(&mut all, 0.50);
    let query_p95_ms = percentile(&mut all, 0.95);

    let (ripgrep, ripgrep_note) = match ripgrep(&project, work_dir, WORDS[0]) {
        Ok(mut run) => {
            let started = Instant::now();
            let res = search(&query(WORDS[0], Filters::default()))?;
            run.index_ms = started.elapsed().as_secs_f64() * 1000.0;
            run.index_total = res.total;
            (Some(run), None)
        }
        Err(note) => (None, Some(note)),
    };
    Ok(SearchBench {
        rows,
        generate_seconds,
        import_seconds,
        predictions,
        predict_seconds,
        index_build_seconds,
        index_mb,
        index_threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4),
        queries: results,
        query_p50_ms,
        query_p95_ms,
        ripgrep,
        ripgrep_note,
        peak_rss_mb: crate::bench::peak_rss_mb().unwrap_or(f64::NAN),
    })
}

fn query(word: &str, filters: Filters) -> SearchQuery {
    SearchQuery { text: word.into(), filters, limit: 20, ..Default::default() }
}

fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((values.len() as f64 * q).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

/// The top-level code above the first lexicon code of `word`.
fn parent_of_word(project: &Project, word: &str) -> Result<(String, String)> {
    let (_, frame) = project.labelling_frame()?;
    let lexicon = project.lexicon()?;
    let short = lexicon
        .terms
        .iter()
        .find(|t| t.term == word)
        .and_then(|t| t.codes.first())
        .ok_or_else(|| Error::NotFound(format!("the lexicon has no code for {word}")))?;
    let code = frame.codes.iter().find(|c| &c.short_code == short).ok_or_else(|| Error::NotFound(format!("no code {short}")))?;
    let mut top = code;
    while let Some(parent) = top.parent.as_deref().and_then(|p| frame.get(p)) {
        top = parent;
    }
    Ok((top.id.clone(), code.id.clone()))
}

/// A stand-in model: every lexicon word in a verbatim predicts the word's codes, with a seeded
/// confidence; a verbatim without one gets a low-confidence guess.
fn predict(project: &mut Project, lexicon: Option<&crate::frame::Lexicon>) -> Result<u64> {
    let (_, frame) = project.labelling_frame()?;
    let by_short: HashMap<&str, &str> = frame.codes.iter().map(|c| (c.short_code.as_str(), c.id.as_str())).collect();
    let leaves: Vec<&str> = frame.codes.iter().filter(|c| frame.children(&c.id).next().is_none()).map(|c| c.id.as_str()).collect();
    // (word, codes, polarity) for the lexicon words the corpus actually uses.
    let sample: Vec<String> = project
        .connection()
        .prepare("SELECT text FROM verbatim ORDER BY id LIMIT 3000")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut words: Vec<(String, Vec<String>, Option<Polarity>)> = Vec::new();
    for term in lexicon.map(|l| l.terms.as_slice()).unwrap_or_default() {
        let codes: Vec<String> = term.codes.iter().filter_map(|s| by_short.get(s.as_str()).map(|c| c.to_string())).collect();
        for w in std::iter::once(&term.term).chain(&term.variants) {
            if !codes.is_empty() && sample.iter().any(|t| t.contains(w.as_str())) {
                words.push((w.clone(), codes.clone(), term.polarity));
            }
        }
    }
    let tx = project.conn.transaction()?;
    let at = "2026-11-23T00:00:00.000Z";
    tx.execute("INSERT INTO model (id, created_at, active, card) VALUES ('bench-lexicon', ?1, 1, '{}')", [at])?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut n = 0u64;
    {
        let mut insert = tx.prepare(
            "INSERT OR IGNORE INTO prediction (verbatim_id, code_id, polarity, confidence, model_id, created_at)
             VALUES (?1, ?2, ?3, ?4, 'bench-lexicon', ?5)",
        )?;
        let mut st = tx.prepare("SELECT id, text FROM verbatim ORDER BY id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (id, text): (i64, String) = (r.get(0)?, r.get(1)?);
            let mut any = false;
            for (w, codes, polarity) in &words {
                if text.contains(w.as_str()) {
                    for code in codes {
                        let p = polarity.unwrap_or(Polarity::ALL[rng.random_range(0..4)]);
                        n += insert.execute(params![id, code, p.as_str(), rng.random_range(0.35..1.0), at])? as u64;
                    }
                    any = true;
                }
            }
            if !any && !leaves.is_empty() {
                let code = leaves[rng.random_range(0..leaves.len())];
                let p = Polarity::ALL[rng.random_range(0..4)];
                n += insert.execute(params![id, code, p.as_str(), rng.random_range(0.05..0.5), at])? as u64;
            }
        }
    }
    tx.commit()?;
    Ok(n)
}

fn ripgrep(project: &Project, work_dir: &Path, word: &str) -> std::result::Result<RipgrepRun, String> {
    let export = work_dir.join("export.csv");
    let started = Instant::now();
    export_verbatims(project, ExportFormat::Csv, &export).map_err(|e| format!("export failed: {e}"))?;
    let export_seconds = started.elapsed().as_secs_f64();
    let export_mb = std::fs::metadata(&export).map(|m| m.len() as f64 / 1e6).unwrap_or(f64::NAN);
    let mut best = f64::INFINITY;
    let mut matching_lines = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let out = std::process::Command::new("rg")
            .args(["-c", "--no-config", word])
            .arg(&export)
            .output()
            .map_err(|e| format!("rg not run: {e}"))?;
        best = best.min(started.elapsed().as_secs_f64());
        if !out.status.success() {
            return Err(format!("rg failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        matching_lines = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
    }
    let _ = std::fs::remove_file(&export);
    Ok(RipgrepRun { word: word.into(), export_mb, export_seconds, seconds: best, matching_lines, index_ms: 0.0, index_total: 0 })
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
        .unwrap_or(0)
}
