//! Export of documents and verbatims to CSV, XLSX or JSON Lines, streamed from the database.

use crate::error::{Error, Result};
use crate::project::Project;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Jsonl,
}

impl ExportFormat {
    pub fn from_name(s: &str) -> Option<ExportFormat> {
        match s.to_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            "jsonl" | "ndjson" => Some(ExportFormat::Jsonl),
            _ => None,
        }
    }

    pub fn of_path(path: &Path) -> Option<ExportFormat> {
        ExportFormat::from_name(path.extension()?.to_str()?)
    }
}

/// One exported row: a verbatim with its document's fields.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub verbatim_id: i64,
    pub document_id: String,
    pub channel: String,
    pub position: i64,
    pub speaker: String,
    pub date: Option<String>,
    pub customer_id: Option<String>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    pub nps: Option<i64>,
    pub text: String,
}

const COLUMNS: [&str; 11] = [
    "verbatim_id", "document_id", "channel", "position", "speaker", "date", "customer_id", "dealer", "vehicle_model",
    "nps", "text",
];

/// Writes every verbatim of the project to `path`; returns how many rows were written.
pub fn export_verbatims(project: &Project, format: ExportFormat, path: &Path) -> Result<u64> {
    let mut stmt = project.connection().prepare(
        "SELECT v.id, d.external_id, d.channel, v.position, v.speaker, d.date, d.customer_id, d.dealer,
                d.vehicle_model, d.nps, v.text
         FROM verbatim v JOIN document d ON d.id = v.document_id ORDER BY v.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ExportRow {
            verbatim_id: r.get(0)?,
            document_id: r.get(1)?,
            channel: r.get(2)?,
            position: r.get(3)?,
            speaker: r.get(4)?,
            date: r.get(5)?,
            customer_id: r.get(6)?,
            dealer: r.get(7)?,
            vehicle_model: r.get(8)?,
            nps: r.get(9)?,
            text: r.get(10)?,
        })
    })?;
    let io = |e: std::io::Error| Error::io(path, e);
    let mut n = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_path(path).map_err(|e| Error::io(path, e.into()))?;
            for row in rows {
                w.serialize(row?).map_err(|e| Error::io(path, e.into()))?;
                n += 1;
            }
            w.flush().map_err(io)?;
        }
        ExportFormat::Jsonl => {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
            for row in rows {
                serde_json::to_writer(&mut w, &row?).map_err(|e| Error::io(path, e.into()))?;
                w.write_all(b"\n").map_err(io)?;
                n += 1;
            }
            w.flush().map_err(io)?;
        }
        ExportFormat::Xlsx => {
            let xl = |e: rust_xlsxwriter::XlsxError| Error::io(path, std::io::Error::other(e.to_string()));
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet_with_constant_memory().map_err(xl)?;
            sheet.set_name("verbatims").map_err(xl)?;
            for (c, name) in COLUMNS.iter().enumerate() {
                sheet.write_string(0, c as u16, *name).map_err(xl)?;
            }
            for row in rows {
                let row = row?;
                n += 1;
                let r = n as u32;
                sheet.write_number(r, 0, row.verbatim_id as f64).map_err(xl)?;
                sheet.write_string(r, 1, &row.document_id).map_err(xl)?;
                sheet.write_string(r, 2, &row.channel).map_err(xl)?;
                sheet.write_number(r, 3, row.position as f64).map_err(xl)?;
                sheet.write_string(r, 4, &row.speaker).map_err(xl)?;
                for (c, v) in [(5, &row.date), (6, &row.customer_id), (7, &row.dealer), (8, &row.vehicle_model)] {
                    if let Some(v) = v {
                        sheet.write_string(r, c, v).map_err(xl)?;
                    }
                }
                if let Some(nps) = row.nps {
                    sheet.write_number(r, 9, nps as f64).map_err(xl)?;
                }
                sheet.write_string(r, 10, &row.text).map_err(xl)?;
            }
            book.save(path).map_err(xl)?;
        }
    }
    Ok(n)
}
