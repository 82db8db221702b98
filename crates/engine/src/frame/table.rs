//! The frame and the lexicon as tables: XLSX workbooks and CSV files, one row per code or term.
//!
//! This is the form code-frame owners already keep in Excel.
//! A frame row has the columns [`FRAME_COLUMNS`]; its parent is named by `parent_path`, the
//! parent's names from the top joined with ` › ` (e.g. `售后维修 › 4S店服务`), empty for a top-level code.
//! A lexicon row has the columns [`LEXICON_COLUMNS`].
//!
//! Reading is forgiving about what people do in Excel: columns may come in any order, unknown
//! columns are ignored, rows may come in any order (parents are found by path, not by position),
//! the `id` column may be empty or missing (the id is then the short code), and CSV files may be
//! UTF-8 with or without BOM, UTF-16, GB18030 or Big5.
//! Every error names the file, the spreadsheet row (the header is row 1) and the field.
//!
//! **Limitations.**
//! The frame header (title, version, author, changelog) is not in the table; reading takes the
//! frame name from the file stem.
//! List cells are split on `|` and each item is trimmed, so an example or variant that itself
//! holds `|`, or starts or ends with spaces, does not come back unchanged.
//! Single-line fields (id, short code, names, path, owner, need layer, status) are trimmed;
//! definitions, include and exclude are kept exactly.
//! When two sibling codes share a name and either has children, the children's `parent_path`
//! would be ambiguous, so writing such a frame is refused.

use super::model::{Code, CodeStatus, Frame, FrameHeader, Lexicon, LexiconTerm};
use crate::decode;
use crate::error::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use vocwb_types::{NeedLayer, Polarity};

/// The columns of a frame table, in the order they are written.
pub const FRAME_COLUMNS: [&str; 13] = [
    "id",
    "short_code",
    "parent_path",
    "name_zh",
    "name_en",
    "definition_zh",
    "definition_en",
    "include",
    "exclude",
    "examples",
    "owner",
    "need_layer",
    "status",
];

/// The columns of a lexicon table, in the order they are written.
pub const LEXICON_COLUMNS: [&str; 5] = ["term", "variants", "gloss_en", "codes", "polarity"];

/// Joins the names of a code path in `parent_path`.
pub const PATH_SEPARATOR: &str = " › ";

/// Joins the examples of a code in the `examples` cell.
pub const EXAMPLE_SEPARATOR: &str = " | ";

/// Joins the variants and codes of a lexicon term.
pub const LIST_SEPARATOR: &str = "|";

const FRAME_SHEET: &str = "codes";
const LEXICON_SHEET: &str = "lexicon";

/// Writes the frame as an XLSX workbook with one sheet, `codes`, in frame order.
pub fn write_frame_xlsx(frame: &Frame, path: &Path) -> Result<()> {
    write_xlsx(path, FRAME_SHEET, &FRAME_COLUMNS, &frame_rows(frame)?)
}

/// Reads a frame from an XLSX workbook: the sheet named `codes` if there is one, else the first sheet.
pub fn read_frame_xlsx(path: &Path) -> Result<Frame> {
    frame_from_table(&read_xlsx(path, FRAME_SHEET)?, &file_stem(path))
}

/// Writes the frame as UTF-8 CSV with a BOM (so Excel shows Chinese correctly), in frame order.
pub fn write_frame_csv(frame: &Frame, path: &Path) -> Result<()> {
    write_csv(path, &FRAME_COLUMNS, &frame_rows(frame)?)
}

/// Reads a frame from a CSV file.
pub fn read_frame_csv(path: &Path) -> Result<Frame> {
    frame_from_table(&read_csv(path)?, &file_stem(path))
}

/// Writes the lexicon as an XLSX workbook with one sheet, `lexicon`.
pub fn write_lexicon_xlsx(lexicon: &Lexicon, path: &Path) -> Result<()> {
    write_xlsx(path, LEXICON_SHEET, &LEXICON_COLUMNS, &lexicon_rows(lexicon))
}

/// Reads a lexicon from an XLSX workbook: the sheet named `lexicon` if there is one, else the first sheet.
pub fn read_lexicon_xlsx(path: &Path) -> Result<Lexicon> {
    lexicon_from_table(&read_xlsx(path, LEXICON_SHEET)?)
}

/// Writes the lexicon as UTF-8 CSV with a BOM.
pub fn write_lexicon_csv(lexicon: &Lexicon, path: &Path) -> Result<()> {
    write_csv(path, &LEXICON_COLUMNS, &lexicon_rows(lexicon))
}

/// Reads a lexicon from a CSV file.
pub fn read_lexicon_csv(path: &Path) -> Result<Lexicon> {
    lexicon_from_table(&read_csv(path)?)
}

/// Refuses frames that no exchange form can carry faithfully: duplicate ids, and codes whose
/// parent is missing or that sit in a cycle (they would be cut off from the tree).
pub(crate) fn check_tree(frame: &Frame) -> Result<()> {
    let mut ids = HashSet::new();
    for c in &frame.codes {
        if !ids.insert(c.id.as_str()) {
            return Err(Error::InvalidFrame(format!("duplicate code id '{}'", c.id)));
        }
    }
    let by_id: HashMap<&str, &Code> = frame.codes.iter().map(|c| (c.id.as_str(), c)).collect();
    for c in &frame.codes {
        let mut seen = HashSet::new();
        let mut at = c;
        while let Some(parent) = at.parent.as_deref() {
            if !seen.insert(at.id.as_str()) {
                return Err(Error::InvalidFrame(format!("code '{}' is its own ancestor", c.id)));
            }
            at = by_id.get(parent).ok_or_else(|| {
                Error::InvalidFrame(format!("code '{}' has parent '{parent}', which is not in the frame", at.id))
            })?;
        }
    }
    Ok(())
}

/// A table read from a file: header names (lower-cased, trimmed) and non-blank rows with their spreadsheet row number.
struct Table {
    file: String,
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// The index of a column, or an error at the header row when a required one is missing.
    fn column(&self, name: &str, required: bool) -> Result<Option<usize>> {
        match self.headers.iter().position(|h| h == name) {
            Some(i) => Ok(Some(i)),
            None if required => Err(Error::input(
                &self.file,
                Some(1),
                Some(name),
                format!("the header row has no '{name}' column (found: {})", self.headers.join(", ")),
            )),
            None => Ok(None),
        }
    }
}

/// Reads one cell of a row; a missing column or a short row reads as empty.
fn cell(row: &[String], column: Option<usize>) -> &str {
    column.and_then(|i| row.get(i)).map(String::as_str).unwrap_or("")
}

fn frame_rows(frame: &Frame) -> Result<Vec<Vec<String>>> {
    check_tree(frame)?;
    let by_id: HashMap<&str, &Code> = frame.codes.iter().map(|c| (c.id.as_str(), c)).collect();
    let path_of = |code: &Code| -> String {
        let mut names = vec![code.name_zh.trim()];
        let mut at = code;
        while let Some(p) = at.parent.as_deref() {
            at = by_id[p];
            names.push(at.name_zh.trim());
        }
        names.reverse();
        names.join(PATH_SEPARATOR)
    };
    let paths: Vec<String> = frame.codes.iter().map(path_of).collect();
    // A path used as a parent must name one code, or reading the table back could not place the children.
    let mut holders: HashMap<&str, Vec<&str>> = HashMap::new();
    for (c, p) in frame.codes.iter().zip(&paths) {
        holders.entry(p.as_str()).or_default().push(c.id.as_str());
    }
    let mut rows = Vec::with_capacity(frame.codes.len());
    for code in &frame.codes {
        let parent_path = match code.parent.as_deref() {
            None => String::new(),
            Some(p) => {
                let path = path_of(by_id[p]);
                if let Some(ids) = holders.get(path.as_str()).filter(|ids| ids.len() > 1) {
                    return Err(Error::InvalidFrame(format!(
                        "codes {} share the path '{path}' and one of them has children; rename one so the table can name the parent",
                        ids.join(", ")
                    )));
                }
                path
            }
        };
        rows.push(vec![
            code.id.clone(),
            code.short_code.clone(),
            parent_path,
            code.name_zh.clone(),
            code.name_en.clone(),
            code.definition_zh.clone(),
            code.definition_en.clone(),
            code.include.clone(),
            code.exclude.clone(),
            code.examples.join(EXAMPLE_SEPARATOR),
            code.owner.clone(),
            code.need_layer.as_str().to_string(),
            code.status.as_str().to_string(),
        ]);
    }
    Ok(rows)
}

fn lexicon_rows(lexicon: &Lexicon) -> Vec<Vec<String>> {
    lexicon
        .terms
        .iter()
        .map(|t| {
            vec![
                t.term.clone(),
                t.variants.join(LIST_SEPARATOR),
                t.gloss_en.clone(),
                t.codes.join(LIST_SEPARATOR),
                t.polarity.map(|p| p.as_str().to_string()).unwrap_or_default(),
            ]
        })
        .collect()
}

/// One parsed frame row before its parent is resolved.
struct Pending {
    row: u64,
    code: Code,
    parent_path: String,
    path: String,
}

fn frame_from_table(table: &Table, name: &str) -> Result<Frame> {
    let file = table.file.as_str();
    let col = |n: &str, required: bool| table.column(n, required);
    let [id, short_code, parent_path, name_zh, name_en, definition_zh, definition_en, include, exclude, examples, owner, need_layer, status] = [
        col("id", false)?,
        col("short_code", true)?,
        col("parent_path", false)?,
        col("name_zh", true)?,
        col("name_en", false)?,
        col("definition_zh", false)?,
        col("definition_en", false)?,
        col("include", false)?,
        col("exclude", false)?,
        col("examples", false)?,
        col("owner", false)?,
        col("need_layer", false)?,
        col("status", false)?,
    ];
    let mut pending = Vec::with_capacity(table.rows.len());
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut shorts: HashMap<String, u64> = HashMap::new();
    for (row, cells) in &table.rows {
        let row = *row;
        let get = |c: Option<usize>| cell(cells, c);
        let short = get(short_code).trim().to_string();
        if short.is_empty() {
            return Err(Error::input(file, Some(row), Some("short_code"), "the short code is empty"));
        }
        if let Some(first) = shorts.insert(short.clone(), row) {
            return Err(Error::input(file, Some(row), Some("short_code"), format!("short code '{short}' is already used on row {first}")));
        }
        // Without an id the short code becomes the id: deterministic, so importing the same sheet twice agrees.
        let code_id = match get(id).trim() {
            "" => short.clone(),
            given => given.to_string(),
        };
        if let Some(first) = ids.insert(code_id.clone(), row) {
            return Err(Error::input(file, Some(row), Some("id"), format!("id '{code_id}' is already used on row {first}")));
        }
        let zh = get(name_zh).trim().to_string();
        if zh.is_empty() {
            return Err(Error::input(file, Some(row), Some("name_zh"), "the Chinese name is empty"));
        }
        let layer = match get(need_layer).trim() {
            "" => NeedLayer::default(),
            s => s.to_lowercase().parse().map_err(|m: String| Error::input(file, Some(row), Some("need_layer"), m))?,
        };
        let state = parse_status(get(status)).map_err(|m| Error::input(file, Some(row), Some("status"), m))?;
        let parent = normalise_path(get(parent_path));
        let path = if parent.is_empty() { zh.clone() } else { format!("{parent}{PATH_SEPARATOR}{zh}") };
        pending.push(Pending {
            row,
            code: Code {
                id: code_id,
                short_code: short,
                parent: None,
                name_zh: zh,
                name_en: get(name_en).trim().to_string(),
                definition_zh: get(definition_zh).to_string(),
                definition_en: get(definition_en).to_string(),
                include: get(include).to_string(),
                exclude: get(exclude).to_string(),
                examples: split_list(get(examples)),
                owner: get(owner).trim().to_string(),
                need_layer: layer,
                status: state,
            },
            parent_path: parent,
            path,
        });
    }
    // Resolve parents by path; a path held by two rows is only an error when some row names it.
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        by_path.entry(p.path.as_str()).or_default().push(i);
    }
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(pending.len());
    for p in &pending {
        if p.parent_path.is_empty() {
            parent_of.push(None);
            continue;
        }
        match by_path.get(p.parent_path.as_str()).map(Vec::as_slice) {
            Some([one]) => parent_of.push(Some(*one)),
            Some(many) => {
                let rows: Vec<String> = many.iter().map(|&i| pending[i].row.to_string()).collect();
                return Err(Error::input(
                    file,
                    Some(p.row),
                    Some("parent_path"),
                    format!("parent path '{}' is ambiguous: rows {} all have it", p.parent_path, rows.join(", ")),
                ));
            }
            None => {
                return Err(Error::input(
                    file,
                    Some(p.row),
                    Some("parent_path"),
                    format!("unknown parent path '{}': no row has that path (name_zh under its own parent_path)", p.parent_path),
                ))
            }
        }
    }
    // Keep file order, but put every parent before its children; a file already in that order is unchanged.
    let parent_ids: Vec<Option<String>> = parent_of.iter().map(|p| p.map(|i| pending[i].code.id.clone())).collect();
    let mut placed = vec![false; pending.len()];
    let mut order = Vec::with_capacity(pending.len());
    for start in 0..pending.len() {
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| !placed[i]) {
            chain.push(i);
            // A parent's path is strictly shorter than its child's, so this walk always ends.
            at = parent_of[i];
        }
        for &i in chain.iter().rev() {
            placed[i] = true;
            order.push(i);
        }
    }
    let mut slots: Vec<Option<Pending>> = pending.into_iter().map(Some).collect();
    let codes = order
        .into_iter()
        .map(|i| {
            let mut code = slots[i].take().expect("each row is placed once").code;
            code.parent = parent_ids[i].clone();
            code
        })
        .collect();
    Ok(Frame { header: FrameHeader { name: name.to_string(), ..FrameHeader::default() }, codes })
}

fn lexicon_from_table(table: &Table) -> Result<Lexicon> {
    let file = table.file.as_str();
    let term = table.column("term", true)?;
    let variants = table.column("variants", false)?;
    let gloss_en = table.column("gloss_en", false)?;
    let codes = table.column("codes", false)?;
    let polarity = table.column("polarity", false)?;
    let mut terms = Vec::with_capacity(table.rows.len());
    for (row, cells) in &table.rows {
        let get = |c: Option<usize>| cell(cells, c);
        let t = get(term).trim().to_string();
        if t.is_empty() {
            return Err(Error::input(file, Some(*row), Some("term"), "the term is empty"));
        }
        let polarity = match get(polarity).trim() {
            "" => None,
            s => Some(s.to_lowercase().parse::<Polarity>().map_err(|m| Error::input(file, Some(*row), Some("polarity"), m))?),
        };
        terms.push(LexiconTerm {
            term: t,
            variants: split_list(get(variants)),
            gloss_en: get(gloss_en).trim().to_string(),
            codes: split_list(get(codes)),
            polarity,
        });
    }
    Ok(Lexicon { terms })
}

fn parse_status(s: &str) -> std::result::Result<CodeStatus, String> {
    match s.trim().to_lowercase().as_str() {
        "" | "active" | "启用" => Ok(CodeStatus::Active),
        "retired" | "停用" => Ok(CodeStatus::Retired),
        other => Err(format!("unknown status '{other}' (expected active or retired)")),
    }
}

/// `A›B`, `A › B ` and `A  ›  B` all name the same path.
fn normalise_path(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        return String::new();
    }
    s.split('›').map(str::trim).collect::<Vec<_>>().join(PATH_SEPARATOR)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(LIST_SEPARATOR).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn write_csv(path: &Path, columns: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let io = |e: std::io::Error| Error::io(path, e);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut bytes);
        w.write_record(columns).map_err(|e| io(e.into()))?;
        for r in rows {
            w.write_record(r).map_err(|e| io(e.into()))?;
        }
        w.flush().map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}

fn read_csv(path: &Path) -> Result<Table> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let detected = decode::detect(&bytes[..bytes.len().min(decode::SNIFF_LEN)]);
    let body = &bytes[detected.bom_len..];
    let text = if detected.ascii_compatible() {
        decode::decode_field(detected.encoding, body).map_err(|m| Error::input(&file, None, None, m))?.into_owned()
    } else {
        detected
            .encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| Error::input(&file, None, None, format!("the file is not valid {}", detected.encoding.name())))?
            .into_owned()
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        None => return Err(Error::input(&file, None, None, "the file is empty")),
        Some(r) => r.map_err(|e| Error::input(&file, Some(1), None, e.to_string()))?,
    };
    let headers = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        // Spreadsheet numbering: the header is row 1, so the first record is row 2.
        let row = i as u64 + 2;
        let record = record.map_err(|e| Error::input(&file, Some(row), None, e.to_string()))?;
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((row, cells));
    }
    Ok(Table { file, headers, rows })
}

fn write_xlsx(path: &Path, sheet_name: &str, columns: &[&str], rows: &[Vec<String>]) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let xl = |e: rust_xlsxwriter::XlsxError| Error::io(path, std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(xl)?;
    let bold = Format::new().set_bold();
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold).map_err(xl)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                // Always strings: a short code such as `1.10` must not become the number 1.1.
                sheet.write_string(r as u32 + 1, c as u16, value).map_err(xl)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xl)?;
    book.save(path).map_err(xl)
}

fn read_xlsx(path: &Path, preferred_sheet: &str) -> Result<Table> {
    use calamine::{open_workbook_auto, Data, Reader};
    let file = path.display().to_string();
    let mut workbook =
        open_workbook_auto(path).map_err(|e| Error::input(&file, None, None, format!("not a readable Excel workbook: {e}")))?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(preferred_sheet))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| Error::input(&file, None, None, "the workbook has no sheet"))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| Error::input(&file, None, None, format!("cannot read sheet '{sheet}': {e}")))?;
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut lines = range.rows();
    let Some(header_cells) = lines.next() else {
        return Err(Error::input(&file, None, None, format!("sheet '{sheet}' is empty")));
    };
    let headers: Vec<String> = header_cells.iter().map(|c| c.to_string().trim().to_lowercase()).collect();
    let mut rows = Vec::new();
    for (i, cells) in lines.enumerate() {
        let row = first_row + i as u64 + 2;
        let mut values = Vec::with_capacity(cells.len());
        for (c, value) in cells.iter().enumerate() {
            values.push(match value {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Int(n) => n.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => d.to_string(),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(e) => {
                    let field = headers.get(c).cloned().unwrap_or_else(|| format!("column {}", c + 1));
                    return Err(Error::input(&file, Some(row), Some(&field), format!("the cell holds an Excel error ({e})")));
                }
            });
        }
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        rows.push((row, values));
    }
    Ok(Table { file, headers, rows })
}
