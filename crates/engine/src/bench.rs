//! Benchmarks behind `vocwb bench …`: figures measured on this machine, never asserted in tests.

use crate::error::{Error, Result};
use crate::import::{import_path, ImportOptions};
use crate::progress::Progress;
use crate::project::Project;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;
use vocwb_types::Channel;

#[derive(Debug, Clone, Serialize)]
pub struct ImportBench {
    pub rows: u64,
    pub csv_bytes: u64,
    pub generate_seconds: f64,
    pub import_seconds: f64,
    pub rows_per_second: f64,
    pub peak_rss_mb: f64,
    pub verbatims: u64,
    /// `sqlite3 .import` of the same CSV into a bare table: the floor to compare with.
    pub sqlite3_import_seconds: Option<f64>,
    pub sqlite3_note: Option<String>,
}

/// Generates a corpus of `rows` rows in `work_dir`, imports it into a new project there,
/// and times the same CSV through the `sqlite3` shell.
pub fn import(work_dir: &Path, rows: u64, progress: &dyn Progress) -> Result<ImportBench> {
    let csv_path = work_dir.join("bench.csv");
    let started = Instant::now();
    let file = std::fs::File::create(&csv_path).map_err(|e| Error::io(&csv_path, e))?;
    crate::synth::write_csv(file, rows, 20261123).map_err(|e| Error::io(&csv_path, e))?;
    let generate_seconds = started.elapsed().as_secs_f64();
    let csv_bytes = std::fs::metadata(&csv_path).map_err(|e| Error::io(&csv_path, e))?.len();

    let project_dir = work_dir.join("project");
    let mut project = Project::init(&project_dir)?;
    let started = Instant::now();
    let report = import_path(&mut project, &csv_path, &ImportOptions::new(Channel::Survey), progress)?;
    let import_seconds = started.elapsed().as_secs_f64();
    let peak_rss_mb = peak_rss_mb().unwrap_or(f64::NAN);
    drop(project);

    let (sqlite3_import_seconds, sqlite3_note) = match sqlite3_floor(work_dir, &csv_path) {
        Ok(s) => (Some(s), None),
        Err(note) => (None, Some(note)),
    };
    Ok(ImportBench {
        rows,
        csv_bytes,
        generate_seconds,
        import_seconds,
        rows_per_second: rows as f64 / import_seconds,
        peak_rss_mb,
        verbatims: report.verbatims_added,
        sqlite3_import_seconds,
        sqlite3_note,
    })
}

fn sqlite3_floor(work_dir: &Path, csv: &Path) -> std::result::Result<f64, String> {
    let db = work_dir.join("bare.sqlite");
    let script = format!(".mode csv\n.import '{}' bare\n", csv.display());
    let started = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("piped").write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .map_err(|e| format!("sqlite3 shell not run: {e}"))?;
    if !out.status.success() {
        return Err(format!("sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Peak resident memory of this process (Linux `VmHWM`), in MiB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
