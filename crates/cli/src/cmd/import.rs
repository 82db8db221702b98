use crate::output::{print_json, print_line, Reporter};
use anyhow::Context;
use std::path::PathBuf;
use vocwb_engine::import::{import_path, Format, ImportOptions};use vocwb_types::{Channel, ColumnMapping};

#[derive(Debug, clap::Args)]
pub struct Args {
    pub dir: PathBuf,
    /// A file, or a folder whose files are all imported in one go.
    pub file: PathBuf,
    /// call-center, survey, private, public or store.
    #[arg(long)]
    pub channel: Channel,
    /// csv, tsv, xlsx, jsonl or transcript (default: from the file extension).
    #[arg(long)]
    pub format: Option<String>,
    #[arg(long)]
    pub text_col: Option<String>,
    #[arg(long)]
    pub id_col: Option<String>,
    #[arg(long)]
    pub date_col: Option<String>,
    #[arg(long)]
    pub nps_col: Option<String>,
    #[arg(long)]
    pub customer_col: Option<String>,
    #[arg(long)]
    pub dealer_col: Option<String>,
    #[arg(long)]
    pub model_col: Option<String>,
    /// A saved column mapping (JSON: {"text": "...", "id": "...", ...}); flags override it.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Encoding label (gbk, big5, utf-16le …) when detection guesses wrong.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Sheet of an XLSX workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Skip rows with an empty text instead of refusing the file.
    #[arg(long)]
    pub skip_empty: bool,
    /// Show what would be imported (first rows, counts) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut options = ImportOptions::new(args.channel);
    if let Some(f) = &args.format {
        options.format = Some(Format::from_name(f).with_context(|| format!("unknown format '{f}'"))?);
    }
    let mut mapping = match &args.mapping {
        Some(p) => serde_json::from_str::<ColumnMapping>(
            &std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        )
        .with_context(|| format!("{}: not a column mapping", p.display()))?,
        None => ColumnMapping::default(),
    };
    let given = [
        (&mut mapping.text, args.text_col),
        (&mut mapping.id, args.id_col),
        (&mut mapping.date, args.date_col),
        (&mut mapping.nps, args.nps_col),
        (&mut mapping.customer, args.customer_col),
        (&mut mapping.dealer, args.dealer_col),
        (&mut mapping.model, args.model_col),
    ];
    for (slot, flag) in given {
        if flag.is_some() {
            *slot = flag;
        }
    }
    options.mapping = mapping;
    options.encoding = args.encoding;
    options.sheet = args.sheet;
    options.skip_empty = args.skip_empty;
    options.dry_run = args.dry_run;

    let mut project = vocwb_engine::Project::open(&args.dir)?;
    let reporter = Reporter::new(args.json);
    let report = import_path(&mut project, &args.file, &options, &reporter);
    reporter.finish();
    let report = report?;
    if args.json {
        print_json(&report);
        return Ok(());
    }
    if report.file_already_imported && report.documents_added == 0 {
        print_line(format_args!("{}: already imported into this project; nothing to do", report.file));
        return Ok(());
    }
    let verb = if report.dry_run { "would import" } else { "imported" };
    print_line(format_args!(
        "{verb} {} documents, {} verbatims, {} agent turns from {} ({}, {}); skipped {} documents already in the project",
        report.documents_added,
        report.verbatims_added,
        report.context_turns_added,
        report.file,
        report.format,
        report.encoding,
        report.documents_skipped
    ));
    if report.dry_run {
        let m = &report.mapping;
        print_line(format_args!(
            "columns: text={:?} id={:?} date={:?} nps={:?} customer={:?} dealer={:?} model={:?}",
            m.text, m.id, m.date, m.nps, m.customer, m.dealer, m.model
        ));
        for row in &report.preview {
            let text = row.texts.join(" / ");
            print_line(format_args!("  {:<16} {:<10} nps={:<4} {}", row.external_id, row.date.as_deref().unwrap_or("-"),
                row.nps.map(|n| n.to_string()).unwrap_or_else(|| "-".into()), text));
        }
    }
    Ok(())
}
