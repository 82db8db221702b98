//! Import of customer verbatims from every channel: CSV/TSV, XLSX, JSON Lines and transcripts.
//!
//! Each format reader turns its file into [`DocumentRecord`]s and hands them to one writer.
//! A whole import (one file or a directory of files) is one transaction: it lands completely
//! or, on an error or a cancel, not at all.

mod mapping;
mod tabular;
pub mod transcript;

pub use mapping::ResolvedMapping;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::project::Project;
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use vocwb_types::{Channel, ColumnMapping, ImportReport, PreviewRow, ProgressEvent};

/// File formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Tsv,
    Xlsx,
    Jsonl,
    Transcript,
}

impl Format {
    pub fn from_name(s: &str) -> Option<Format> {
        match s.to_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "xlsx" | "xlsm" | "xls" | "excel" => Some(Format::Xlsx),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "txt" | "transcript" => Some(Format::Transcript),
            _ => None,
        }
    }

    fn of_path(path: &Path) -> Option<Format> {
        Format::from_name(path.extension()?.to_str()?)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xlsx => "xlsx",
            Format::Jsonl => "jsonl",
            Format::Transcript => "transcript",
        }
    }
}

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub channel: Channel,
    /// Overrides the format guessed from the file extension.
    pub format: Option<Format>,
    pub mapping: ColumnMapping,
    /// Overrides encoding detection (an encoding label such as `gbk`).
    pub encoding: Option<String>,
    /// Sheet of an XLSX workbook; the first one when absent.
    pub sheet: Option<String>,
    /// Do everything, report it, then roll back.
    pub dry_run: bool,
    /// Skip rows whose text is empty instead of refusing the file.
    pub skip_empty: bool,
    /// How many documents a dry run shows.
    pub preview_rows: usize,
}

impl ImportOptions {
    pub fn new(channel: Channel) -> Self {
        ImportOptions {
            channel,
            format: None,
            mapping: ColumnMapping::default(),
            encoding: None,
            sheet: None,
            dry_run: false,
            skip_empty: false,
            preview_rows: 10,
        }
    }
}

/// One document as read from a file, before it is written.
#[derive(Debug, Clone, Default)]
pub struct DocumentRecord {
    /// Row (or line) of the file where the document starts, for error messages.
    pub row: u64,
    pub external_id: Option<String>,
    pub date: Option<String>,
    pub customer_id: Option<String>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    pub nps: Option<i64>,
    /// Unmapped columns, as a JSON object.
    pub meta: Option<String>,
    pub turns: Vec<Turn>,
}

/// One turn of a document: a customer's (codable) or an agent's (context).
#[derive(Debug, Clone, Default)]
pub struct Turn {
    pub speaker: String,
    pub start_ms: Option<i64>,
    pub text: String,
    pub codable: bool,
}

/// Parses an NPS cell: a whole number from 0 to 10 (`9.0` from spreadsheets is accepted).
pub(crate) fn parse_nps(raw: &str) -> std::result::Result<i64, String> {
    let s = raw.trim();
    let value = s.parse::<i64>().ok().or_else(|| {
        s.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && f.is_finite()).map(|f| f as i64)
    });
    match value {
        Some(n) if (0..=10).contains(&n) => Ok(n),
        _ => Err(format!("NPS must be a whole number from 0 to 10, got '{s}'")),
    }
}

/// Reads a whole text file, detecting its encoding; a bad byte is reported at its line.
/// Returns the text and the encoding's name.
pub fn read_text_file(path: &Path, encoding: Option<&str>) -> Result<(String, String)> {
    tabular::read_whole_text(path, &path.display().to_string(), encoding)
}

/// Imports a file, or every importable file of a directory, in one transaction.
pub fn import_path(
    project: &mut Project,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let files = files_to_import(path, options)?;
    let total_bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let tx = project.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut report = ImportReport {
        file: path.display().to_string(),
        channel: Some(options.channel),
        dry_run: options.dry_run,
        ..Default::default()
    };
    let mut bytes_before = 0u64;
    for file in &files {
        import_one(&tx, file, options, progress, bytes_before, total_bytes, &mut report)?;
        bytes_before += std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    }
    if files.len() > 1 {
        report.format = format!("{} files", files.len());
    }
    if options.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(report)
}

fn files_to_import(path: &Path, options: &ImportOptions) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let p = entry.map_err(|e| Error::io(path, e))?.path();
        if p.is_file() && (options.format.is_some() || Format::of_path(&p).is_some()) {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::input(path.display().to_string(), None, None, "the folder has no importable file (.csv, .tsv, .xlsx, .jsonl, .txt)"));
    }
    Ok(files)
}

fn sha256_of(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn import_one(
    tx: &Transaction<'_>,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
    bytes_before: u64,
    total_bytes: u64,
    report: &mut ImportReport,
) -> Result<()> {
    let file_label = path.display().to_string();
    let format = match options.format.or_else(|| Format::of_path(path)) {
        Some(f) => f,
        None => {
            return Err(Error::input(&file_label, None, None, "unknown file type; name its format (csv, tsv, xlsx, jsonl or transcript)"))
        }
    };
    report.format = format.as_str().to_string();
    let sha = sha256_of(path)?;
    let channel = options.channel.as_str();
    let earlier: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, imported_at FROM source_file WHERE sha256 = ?1 AND channel = ?2",
            params![sha, channel],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if earlier.is_some() {
        report.file_already_imported = true;
        return Ok(());
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file_label.clone());
    tx.execute(
        "INSERT INTO source_file (name, sha256, channel, format, encoding, imported_at) VALUES (?1, ?2, ?3, ?4, '', ?5)",
        params![name, sha, channel, format.as_str(), chrono::Utc::now().to_rfc3339()],
    )?;
    let source_id = tx.last_insert_rowid();
    let mut writer = Writer::new(tx, source_id, options, &file_label, report)?;
    let mut tick = |done: u64| -> Result<()> {
        let event = ProgressEvent {
            phase: "import".into(),
            done: bytes_before + done,
            total: Some(total_bytes),
            message: None,
        };
        if progress.report(&event) { Ok(()) } else { Err(Error::Cancelled) }
    };
    let encoding = match format {
        Format::Csv | Format::Tsv => {
            let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
            tabular::read_delimited(path, &file_label, delimiter, options, &mut writer, &mut tick)?
        }
        Format::Jsonl => tabular::read_jsonl(path, &file_label, options, &mut writer, &mut tick)?,
        Format::Xlsx => tabular::read_xlsx(path, &file_label, options, &mut writer, &mut tick)?,
        Format::Transcript => {
            let (text, encoding) = tabular::read_whole_text(path, &file_label, options.encoding.as_deref())?;
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            writer.accept(transcript::parse(&file_label, &stem, &text)?)?;
            encoding
        }
    };
    let rows = writer.rows;
    tx.execute("UPDATE source_file SET encoding = ?1, rows = ?2 WHERE id = ?3", params![encoding, rows as i64, source_id])?;
    report.encoding = encoding;
    report.rows += rows;
    tick(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))?;
    Ok(())
}

/// Writes documents of one source file inside the import's transaction.
pub(crate) struct Writer<'a, 't> {
    tx: &'a Transaction<'t>,
    source_id: i64,
    channel: &'static str,
    file: &'a str,
    options: &'a ImportOptions,
    pub(crate) report: &'a mut ImportReport,
    rows: u64,
}

impl<'a, 't> Writer<'a, 't> {
    fn new(
        tx: &'a Transaction<'t>,
        source_id: i64,
        options: &'a ImportOptions,
        file: &'a str,
        report: &'a mut ImportReport,
    ) -> Result<Self> {
        Ok(Writer { tx, source_id, channel: options.channel.as_str(), file, options, report, rows: 0 })
    }

    pub(crate) fn options(&self) -> &ImportOptions {
        self.options
    }

    pub(crate) fn accept(&mut self, doc: DocumentRecord) -> Result<()> {
        self.rows += 1;
        let external_id = doc.external_id.clone().unwrap_or_else(|| format!("{}#{}", self.file_name(), doc.row));
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO document
                 (source_id, source_row, channel, external_id, date, customer_id, dealer, vehicle_model, nps, meta)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                self.source_id,
                doc.row as i64,
                self.channel,
                external_id,
                doc.date,
                doc.customer_id,
                doc.dealer,
                doc.vehicle_model,
                doc.nps,
                doc.meta.as_deref().unwrap_or("{}"),
            ])?;
        if inserted == 0 {
            let (source, row): (i64, i64) = self.tx.query_row(
                "SELECT source_id, source_row FROM document WHERE channel = ?1 AND external_id = ?2",
                params![self.channel, external_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if source == self.source_id {
                return Err(Error::input(
                    self.file,
                    Some(doc.row),
                    Some("id"),
                    format!("duplicate id '{external_id}' (already used at row {row} of this file)"),
                ));
            }
            self.report.documents_skipped += 1;
            return Ok(());
        }
        let document_id = self.tx.last_insert_rowid();
        self.report.documents_added += 1;
        for (position, turn) in doc.turns.iter().enumerate() {
            let sql = if turn.codable {
                self.report.verbatims_added += 1;
                "INSERT INTO verbatim (document_id, position, speaker, start_ms, text) VALUES (?1, ?2, ?3, ?4, ?5)"
            } else {
                self.report.context_turns_added += 1;
                "INSERT INTO context_turn (document_id, position, speaker, start_ms, text) VALUES (?1, ?2, ?3, ?4, ?5)"
            };
            self.tx.prepare_cached(sql)?.execute(params![
                document_id,
                position as i64,
                turn.speaker,
                turn.start_ms,
                turn.text
            ])?;
        }
        if self.report.preview.len() < self.options.preview_rows {
            self.report.preview.push(PreviewRow {
                external_id,
                date: doc.date,
                nps: doc.nps,
                dealer: doc.dealer,
                model: doc.vehicle_model,
                texts: doc.turns.into_iter().filter(|t| t.codable).map(|t| t.text).collect(),
            });
        }
        Ok(())
    }

    fn file_name(&self) -> &str {
        Path::new(self.file).file_name().and_then(|n| n.to_str()).unwrap_or(self.file)
    }
}
