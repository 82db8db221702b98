//! Tabular formats: delimited text (CSV/TSV), XLSX workbooks and JSON Lines.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
//! JSON Lines rows are line numbers.

use super::mapping::ResolvedMapping;
use super::{parse_nps, DocumentRecord, ImportOptions, Turn, Writer};
use crate::decode::{self, TranscodingReader};
use crate::error::{Error, Result};
use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// How often (in rows) progress is reported and cancellation checked.
const TICK_EVERY: u64 = 4096;

/// Opens a text file, detecting its encoding; ASCII-compatible files stay raw bytes
/// (decoded per field later), others are transcoded to UTF-8 as they stream.
fn open_text(path: &Path, file: &str, encoding_label: Option<&str>) -> Result<(Box<dyn Read>, &'static Encoding, String)> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(decode::SNIFF_LEN);
    (&mut f).take(decode::SNIFF_LEN as u64).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    let mut detected = decode::detect(&head);
    if let Some(label) = encoding_label {
        let encoding = decode::by_label(label)
            .ok_or_else(|| Error::input(file, None, None, format!("unknown encoding '{label}'")))?;
        let bom_len = match Encoding::for_bom(&head) {
            Some((e, n)) if e == encoding => n,
            _ => 0,
        };
        detected = decode::Detected { encoding, bom_len };
    }
    let name = detected.name();
    let body = std::io::Cursor::new(head[detected.bom_len.min(head.len())..].to_vec()).chain(f);
    if detected.ascii_compatible() {
        Ok((Box::new(body), detected.encoding, name))
    } else {
        Ok((Box::new(TranscodingReader::new(body, detected.encoding)), UTF_8, name))
    }
}

/// Reads a whole (small) text file, such as a transcript, decoded.
pub(crate) fn read_whole_text(path: &Path, file: &str, encoding_label: Option<&str>) -> Result<(String, String)> {
    let (mut reader, encoding, name) = open_text(path, file, encoding_label)?;
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| encoding_error(file, None, e.to_string()))?;
    // Decode line by line so a bad byte is reported at its line.
    let mut text = String::with_capacity(bytes.len());
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let decoded = decode::decode_field(encoding, line).map_err(|m| encoding_error(file, Some(i as u64 + 1), m))?;
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&decoded);
    }
    Ok((text, name))
}

fn encoding_error(file: &str, row: Option<u64>, message: String) -> Error {
    Error::Input { file: file.to_string(), row, field: None, message, encoding: true }
}

pub(crate) fn read_delimited(
    path: &Path,
    file: &str,
    delimiter: u8,
    options: &ImportOptions,
    writer: &mut Writer<'_, '_>,
    tick: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<String> {
    let (reader, encoding, encoding_name) = open_text(path, file, options.encoding.as_deref())?;
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let read = |csv: &mut csv::Reader<Box<dyn Read>>, record: &mut csv::ByteRecord| -> Result<bool> {
        csv.read_byte_record(record).map_err(|e| csv_error(file, e))
    };
    if !read(&mut csv, &mut record)? {
        return Err(Error::input(file, None, None, "the file is empty (no header row)"));
    }
    let headers = decode_headers(file, encoding, &record)?;
    let mapping = ResolvedMapping::resolve(file, &headers, &writer.options().mapping)?;
    writer.report.headers = headers.clone();
    writer.report.mapping = mapping.describe(&headers);
    let mut row = 1u64;
    let mut last_field_ends_in_newline = false;
    while read(&mut csv, &mut record)? {
        row += 1;
        last_field_ends_in_newline = record.iter().next_back().is_some_and(|f| f.ends_with(b"\n"));
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(headers.len());
        for (i, raw) in record.iter().enumerate() {
            let value = decode::decode_field(encoding, raw).map_err(|m| Error::Input {
                file: file.into(),
                row: Some(row),
                field: Some(headers[i].clone()),
                message: m,
                encoding: true,
            })?;
            fields.push(value);
        }
        if let Some(doc) = to_record(file, row, &headers, &fields, &mapping, options)? {
            writer.accept(doc)?;
        }
        if row.is_multiple_of(TICK_EVERY) {
            tick(csv.position().byte())?;
        }
    }
    // The csv reader runs an unclosed quote to the end of the file; such a field swallows
    // the file's final line break, which a closed field almost never ends with.
    if last_field_ends_in_newline {
        return Err(Error::input(file, Some(row), None, "a quoted field is never closed (a missing '\"'?)"));
    }
    Ok(encoding_name)
}

fn decode_headers(file: &str, encoding: &'static Encoding, record: &csv::ByteRecord) -> Result<Vec<String>> {
    let mut headers = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        let h = decode::decode_field(encoding, raw).map_err(|m| encoding_error(file, Some(1), m))?;
        let h = h.trim().trim_start_matches('\u{feff}').to_string();
        headers.push(if h.is_empty() { format!("column {}", i + 1) } else { h });
    }
    Ok(headers)
}

fn csv_error(file: &str, e: csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => Error::input(
            file,
            pos.as_ref().map(|p| p.record() + 1),
            None,
            format!("has {len} fields but the header has {expected_len} (a stray delimiter or broken quoting?)"),
        ),
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            encoding_error(file, None, io.to_string())
        }
        _ => Error::input(file, e.position().map(|p| p.record() + 1), None, e.to_string()),
    }
}

/// Builds a document from one row; `None` when the row is skipped (empty text with `--skip-empty`).
fn to_record<S: AsRef<str>>(
    file: &str,
    row: u64,
    headers: &[String],
    fields: &[S],
    mapping: &ResolvedMapping,
    options: &ImportOptions,
) -> Result<Option<DocumentRecord>> {
    let get = |i: Option<usize>| -> Option<String> {
        let v = fields.get(i?)?.as_ref().trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    let text = fields.get(mapping.text).map(|s| s.as_ref()).unwrap_or("");
    if text.trim().is_empty() {
        if options.skip_empty {
            return Ok(None);
        }
        return Err(Error::input(file, Some(row), Some(&headers[mapping.text]), "the text is empty (fill it in, or choose to skip rows without text)"));
    }
    let nps = match get(mapping.nps) {
        Some(raw) => Some(parse_nps(&raw).map_err(|m| Error::input(file, Some(row), Some(&headers[mapping.nps.unwrap_or(0)]), m))?),
        None => None,
    };
    let id = match mapping.id {
        Some(i) => Some(get(Some(i)).ok_or_else(|| Error::input(file, Some(row), Some(&headers[i]), "the id is empty"))?),
        None => None,
    };
    let mut meta = serde_json::Map::new();
    for (i, value) in fields.iter().enumerate() {
        if !mapping.is_mapped(i) && !value.as_ref().is_empty() {
            meta.insert(headers[i].clone(), serde_json::Value::String(value.as_ref().to_string()));
        }
    }
    Ok(Some(DocumentRecord {
        row,
        external_id: id,
        date: get(mapping.date),
        customer_id: get(mapping.customer),
        dealer: get(mapping.dealer),
        vehicle_model: get(mapping.model),
        nps,
        meta: (!meta.is_empty()).then(|| serde_json::Value::Object(meta).to_string()),
        // Kept exactly as written: leading spaces and no-break spaces are part of the customer's words.
        turns: vec![Turn { speaker: "respondent".into(), start_ms: None, text: text.to_string(), codable: true }],
    }))
}

pub(crate) fn read_jsonl(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    writer: &mut Writer<'_, '_>,
    tick: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<String> {
    let (reader, encoding, encoding_name) = open_text(path, file, options.encoding.as_deref())?;
    let mut lines = BufReader::with_capacity(1 << 20, reader);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    let mut headers: Vec<String> = Vec::new();
    let mut mapping: Option<ResolvedMapping> = None;
    loop {
        buf.clear();
        let n = lines.read_until(b'\n', &mut buf).map_err(|e| encoding_error(file, Some(line_no + 1), e.to_string()))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        line_no += 1;
        let line = decode::decode_field(encoding, &buf).map_err(|m| encoding_error(file, Some(line_no), m))?;
        if line.trim().is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line)
            .map_err(|e| Error::input(file, Some(line_no), None, format!("not a JSON object: {e}")))?;
        if mapping.is_none() {
            headers = object.keys().cloned().collect();
            let m = ResolvedMapping::resolve(file, &headers, &writer.options().mapping)
                .map_err(|e| relocate(e, line_no))?;
            writer.report.headers = headers.clone();
            writer.report.mapping = m.describe(&headers);
            mapping = Some(m);
        }
        let m = mapping.as_ref().expect("set above");
        let mut fields: Vec<String> = headers.iter().map(|h| object.get(h).map(json_text).unwrap_or_default()).collect();
        let mut row_headers = headers.clone();
        for (k, v) in &object {
            if !headers.contains(k) {
                row_headers.push(k.clone());
                fields.push(json_text(v));
            }
        }
        if let Some(doc) = to_record(file, line_no, &row_headers, &fields, m, options)? {
            writer.accept(doc)?;
        }
        if line_no.is_multiple_of(TICK_EVERY) {
            tick(bytes)?;
        }
    }
    if mapping.is_none() {
        return Err(Error::input(file, None, None, "the file has no JSON object"));
    }
    Ok(encoding_name)
}

fn relocate(e: Error, row: u64) -> Error {
    match e {
        Error::Input { file, field, message, encoding, .. } => Error::Input { file, row: Some(row), field, message, encoding },
        other => other,
    }
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn read_xlsx(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    writer: &mut Writer<'_, '_>,
    tick: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<String> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| Error::input(file, None, None, format!("not a readable Excel workbook: {e}")))?;
    let sheet = match &options.sheet {
        Some(s) => s.clone(),
        None => workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| Error::input(file, None, None, "the workbook has no sheet"))?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| Error::input(file, None, None, format!("cannot read sheet '{sheet}': {e}")))?;
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut rows = range.rows().enumerate();
    let Some((_, header_cells)) = rows.next() else {
        return Err(Error::input(file, None, None, format!("sheet '{sheet}' is empty")));
    };
    let header_row = first_row + 1;
    let headers: Vec<String> = header_cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let h = c.to_string().trim().to_string();
            if h.is_empty() { format!("column {}", i + 1) } else { h }
        })
        .collect();
    let mapping = ResolvedMapping::resolve(file, &headers, &writer.options().mapping).map_err(|e| relocate(e, header_row))?;
    writer.report.headers = headers.clone();
    writer.report.mapping = mapping.describe(&headers);
    for (i, cells) in rows {
        let row = first_row + i as u64 + 1;
        let mut fields = Vec::with_capacity(cells.len());
        for (c, cell) in cells.iter().enumerate() {
            let value = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Int(n) => n.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => match d.as_datetime() {
                    Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
                    Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
                    None => d.to_string(),
                },
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(e) => {
                    let field = headers.get(c).cloned().unwrap_or_else(|| format!("column {}", c + 1));
                    return Err(Error::input(file, Some(row), Some(&field), format!("the cell holds an Excel error ({e})")));
                }
            };
            fields.push(value);
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue; // Blank spreadsheet rows are not data.
        }
        fields.resize(headers.len().max(fields.len()), String::new());
        if let Some(doc) = to_record(file, row, &headers, &fields[..headers.len()], &mapping, options)? {
            writer.accept(doc)?;
        }
        if row.is_multiple_of(TICK_EVERY) {
            tick(0)?;
        }
    }
    Ok("xlsx".into())
}
