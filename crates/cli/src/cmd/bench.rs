use crate::output::{print_json, print_line, Reporter};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// Generate a realistic CSV and import it into a fresh project; compare with `sqlite3 .import`.
    Import(ImportArgs),
    /// Build the search index of a generated corpus, time filtered queries, compare with ripgrep.
    Search(super::search::BenchArgs),
    /// Train on labelled verbatims (made-up ones by default) and time auto-coding.
    Train(super::train::BenchArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Where to put the generated data (default: a temporary folder, removed afterwards).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

impl Bench {
    pub fn json(&self) -> bool {
        match self {
            Bench::Import(a) => a.json,
            Bench::Search(a) => a.json,
            Bench::Train(a) => a.json,
        }
    }
}

/// The folder a benchmark builds its project in: the one given (created if needed), else a
/// temporary folder, returned with it so it lives as long as the caller holds it.
pub fn work_dir(given: Option<&std::path::Path>) -> anyhow::Result<(std::path::PathBuf, Option<tempfile::TempDir>)> {
    match given {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            Ok((d.to_path_buf(), None))
        }
        None => {
            let temp = tempfile::tempdir()?;
            Ok((temp.path().to_path_buf(), Some(temp)))
        }
    }
}

pub fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Search(args) => super::search::run_bench(args),
        Bench::Train(args) => super::train::run_bench(args),
        Bench::Import(args) => {
            // Held until the end of the run: the temporary folder goes when it drops.
            let (dir, _temp) = work_dir(args.work_dir.as_deref())?;
            let reporter = Reporter::new(args.json);
            let result = vocwb_engine::bench::import(&dir, args.rows, &reporter);
            reporter.finish();
            let result = result?;
            if args.json {
                print_json(&result);
            } else {
                print_line(format_args!(
                    "imported {} rows ({:.1} MB CSV) in {:.2} s = {:.0} rows/s, peak RSS {:.0} MB; sqlite3 .import: {}",
                    result.rows,
                    result.csv_bytes as f64 / 1e6,
                    result.import_seconds,
                    result.rows_per_second,
                    result.peak_rss_mb,
                    result.sqlite3_import_seconds.map(|s| format!("{s:.2} s")).unwrap_or_else(|| result.sqlite3_note.clone().unwrap_or_default())
                ));
            }
            Ok(())
        }
    }
}
