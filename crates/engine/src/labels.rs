//! Human labels: a code with a polarity applied to a verbatim by a named coder.
//!
//! Labels are never overwritten: each apply or removal is an event committed in its own short
//! transaction, and the current labels are the latest event per verbatim, code and coder.

use crate::error::{Error, Result};
use crate::frame::{CodeStatus, Frame};
use crate::project::Project;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use vocwb_types::{Channel, Polarity};

/// A label as it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub verbatim_id: i64,
    pub code_id: String,
    pub polarity: Option<Polarity>,
    pub coder: String,
    pub source: String,
    pub frame_version: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LabelsImportReport {
    pub file: String,
    pub coder: String,
    pub rows: u64,
    pub verbatims_created: u64,
    pub labels_added: u64,
    /// Labels this coder already had, unchanged.
    pub labels_unchanged: u64,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The coder's id, creating the coder (as a researcher) on first use.
pub(crate) fn coder_id(tx: &Transaction<'_>, name: &str) -> Result<i64> {
    if name.trim().is_empty() {
        return Err(Error::Forbidden("a coder needs a name".into()));
    }
    tx.execute("INSERT OR IGNORE INTO coder (name) VALUES (?1)", [name])?;
    Ok(tx.query_row("SELECT id FROM coder WHERE name = ?1", [name], |r| r.get(0))?)
}

/// Finds codes by Chinese name, English name or short code among the active codes of a frame.
pub struct CodeLookup {
    by_key: HashMap<String, Vec<String>>,
}

impl CodeLookup {
    pub fn new(frame: &Frame) -> CodeLookup {
        let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
        for c in frame.codes.iter().filter(|c| c.status == CodeStatus::Active) {
            for key in [&c.name_zh, &c.short_code, &c.name_en] {
                if !key.is_empty() {
                    let ids = by_key.entry(key.trim().to_lowercase()).or_default();
                    if !ids.contains(&c.id) {
                        ids.push(c.id.clone());
                    }
                }
            }
        }
        CodeLookup { by_key }
    }

    /// The code id for a name or short code; an error message when unknown or ambiguous.
    pub fn find(&self, key: &str) -> std::result::Result<&str, String> {
        match self.by_key.get(&key.trim().to_lowercase()).map(Vec::as_slice) {
            Some([one]) => Ok(one),
            Some(many) => Err(format!("code '{key}' is ambiguous ({} active codes have that name; use the short code)", many.len())),
            None => Err(format!("unknown code '{key}' (not an active code's name or short code)")),
        }
    }
}

impl Project {
    /// The frame labels are made against: the latest published version.
    pub fn labelling_frame(&self) -> Result<(i64, Frame)> {
        let version = crate::frame::store::latest_version(&self.conn)?.ok_or_else(|| {
            Error::NotFound("the project has no published code frame (publish one, or start the project on a shipped frame)".into())
        })?;
        Ok((version, self.frame_version(version)?))
    }

    /// Applies a code with a polarity; committed at once. Returns the event id.
    pub fn apply_label(&mut self, coder: &str, verbatim_id: i64, code_id: &str, polarity: Polarity, span: Option<(i64, i64)>) -> Result<i64> {
        let frame = self.labelling_frame()?;
        self.apply_label_in(&frame, coder, verbatim_id, code_id, polarity, span)
    }

    /// [`Project::apply_label`] against the labelling frame the caller already holds (from
    /// [`Project::labelling_frame`]), which saves reading the frame for every label; refused when
    /// a newer version has been published since.
    pub fn apply_label_in(
        &mut self,
        labelling_frame: &(i64, Frame),
        coder: &str,
        verbatim_id: i64,
        code_id: &str,
        polarity: Polarity,
        span: Option<(i64, i64)>,
    ) -> Result<i64> {
        let (version, frame) = (labelling_frame.0, &labelling_frame.1);
        if let Some(latest) = crate::frame::store::latest_version(&self.conn)?.filter(|l| *l != version) {
            return Err(Error::Forbidden(format!("the code frame changed: v{latest} is now the latest, labels are made against it (reload)")));
        }
        match frame.get(code_id) {
            Some(c) if c.status == CodeStatus::Active => {}
            Some(_) => return Err(Error::UnknownCode(format!("code '{code_id}' is retired in v{version}"))),
            None => return Err(Error::UnknownCode(format!("no code '{code_id}' in v{version}"))),
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        let exists: bool = tx.query_row("SELECT COUNT(*) FROM verbatim WHERE id = ?1", [verbatim_id], |r| r.get::<_, i64>(0))? > 0;
        if !exists {
            return Err(Error::NotFound(format!("no verbatim {verbatim_id}")));
        }
        tx.execute(
            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, span_start, span_end, created_at)
             VALUES (?1, ?2, ?3, 'apply', ?4, 'human', ?5, ?6, ?7, ?8)",
            params![verbatim_id, code_id, polarity.as_str(), coder_id, version, span.map(|s| s.0), span.map(|s| s.1), now()],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Removes a coder's label; the removal is an event, so history keeps the label.
    pub fn remove_label(&mut self, coder: &str, verbatim_id: i64, code_id: &str) -> Result<()> {
        let version = crate::frame::store::latest_version(&self.conn)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        tx.execute(
            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, created_at)
             VALUES (?1, ?2, NULL, 'remove', ?3, 'human', ?4, ?5)",
            params![verbatim_id, code_id, coder_id, version, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Current labels of one verbatim, by every coder.
    pub fn labels_of(&self, verbatim_id: i64) -> Result<Vec<Label>> {
        let mut st = self.conn.prepare(
            "SELECT l.verbatim_id, l.code_id, l.polarity, c.name, l.source, l.frame_version
             FROM current_label l JOIN coder c ON c.id = l.coder_id WHERE l.verbatim_id = ?1 ORDER BY l.id",
        )?;
        let rows = st.query_map([verbatim_id], |r| {
            let p: Option<String> = r.get(2)?;
            Ok(Label {
                verbatim_id: r.get(0)?,
                code_id: r.get(1)?,
                polarity: p.and_then(|p| p.parse().ok()),
                coder: r.get(3)?,
                source: r.get(4)?,
                frame_version: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Imports a labelled file in the shared format (`id,text,labels`, labels like `动力:-1|油耗:1`)
    /// as `coder`'s labels. New ids become verbatims of `channel`. One transaction: an unknown code
    /// anywhere refuses the whole file.
    pub fn import_labels(&mut self, path: &Path, channel: Channel, coder: &str) -> Result<LabelsImportReport> {
        let file = path.display().to_string();
        let (version, frame) = self.labelling_frame()?;
        // The whole file is read and checked before the write transaction starts.
        let labelled = read_labelled_file(path, &frame, true)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        let mut report = LabelsImportReport { file: file.clone(), coder: coder.to_string(), ..Default::default() };
        let mut source_id: Option<i64> = None;
        let stamp = now();
        for LabelledRow { row, id, text, labels: pairs } in labelled.rows {
            report.rows += 1;
            let external_id = id.unwrap_or_default();
            let verbatim_id = match find_verbatim(&tx, channel, &external_id)? {
                Some(v) => v,
                None => {
                    let source = match source_id {
                        Some(s) => s,
                        None => {
                            let s = labels_source(&tx, path, &labelled.sha256, channel, &labelled.encoding)?;
                            source_id = Some(s);
                            s
                        }
                    };
                    report.verbatims_created += 1;
                    create_verbatim(&tx, source, row, channel, &external_id, &text)?
                }
            };
            for (code, polarity) in pairs {
                let current: Option<Option<String>> = tx
                    .query_row(
                        "SELECT polarity FROM current_label WHERE verbatim_id = ?1 AND code_id = ?2 AND coder_id = ?3",
                        params![verbatim_id, code, coder_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if current == Some(Some(polarity.as_str().to_string())) {
                    report.labels_unchanged += 1;
                    continue;
                }
                tx.execute(
                    "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, created_at)
                     VALUES (?1, ?2, ?3, 'apply', ?4, 'human', ?5, ?6)",
                    params![verbatim_id, code, polarity.as_str(), coder_id, version, stamp],
                )?;
                report.labels_added += 1;
            }
        }
        tx.commit()?;
        Ok(report)
    }
}

/// A row of a labelled file in the shared format, its codes resolved against the frame.
pub(crate) struct LabelledRow {
    /// The file's row number (the header is row 1).
    pub row: u64,
    pub id: Option<String>,
    pub text: String,
    pub labels: Vec<(String, Polarity)>,
}

/// A labelled file read whole.
pub(crate) struct LabelledFile {
    pub rows: Vec<LabelledRow>,
    pub encoding: String,
    pub sha256: String,
}

/// Reads a file in the shared format (`id,text,labels`, labels like `动力:-1|油耗:1`, codes by
/// name or short code). The first bad row, unknown code or (with `need_id`) missing id is an
/// error naming file, row and field.
pub(crate) fn read_labelled_file(path: &Path, frame: &Frame, need_id: bool) -> Result<LabelledFile> {
    let file = path.display().to_string();
    let lookup = CodeLookup::new(frame);
    let (text, encoding) = crate::import::read_text_file(path, None)?;
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| Error::input(&file, Some(1), None, e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(&file, Some(1), Some(name), format!("the header has no '{name}' column (expected id,text,labels)"))
        })
    };
    let id_col = if need_id { Some(col("id")?) } else { headers.iter().position(|h| h == "id") };
    let (text_col, labels_col) = (col("text")?, col("labels")?);
    let mut rows = Vec::new();
    for (i, record) in csv.records().enumerate() {
        let row = i as u64 + 2;
        let record = record.map_err(|e| Error::input(&file, Some(row), None, e.to_string()))?;
        let id = id_col.map(|c| record[c].trim().to_string());
        if need_id && id.as_deref().is_none_or(str::is_empty) {
            return Err(Error::input(&file, Some(row), Some("id"), "the id is empty"));
        }
        let mut labels = Vec::new();
        for pair in record[labels_col].split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, polarity) = pair
                .rsplit_once(':')
                .ok_or_else(|| Error::input(&file, Some(row), Some("labels"), format!("'{pair}' is not code:polarity")))?;
            let code = lookup.find(name).map_err(|m| Error::input(&file, Some(row), Some("labels"), m))?;
            let polarity: Polarity = polarity
                .trim()
                .parse()
                .map_err(|m: String| Error::input(&file, Some(row), Some("labels"), format!("code '{name}': {m}")))?;
            labels.push((code.to_string(), polarity));
        }
        rows.push(LabelledRow { row, id, text: record[text_col].to_string(), labels });
    }
    Ok(LabelledFile { rows, encoding, sha256 })
}

fn find_verbatim(tx: &Transaction<'_>, channel: Channel, external_id: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT v.id FROM verbatim v JOIN document d ON d.id = v.document_id
             WHERE d.channel = ?1 AND d.external_id = ?2 ORDER BY v.position LIMIT 1",
            params![channel.as_str(), external_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn labels_source(tx: &Transaction<'_>, path: &Path, sha: &str, channel: Channel, encoding: &str) -> Result<i64> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    tx.execute(
        "INSERT OR IGNORE INTO source_file (name, sha256, channel, format, encoding, imported_at) VALUES (?1, ?2, ?3, 'labels', ?4, ?5)",
        params![name, sha, channel.as_str(), encoding, now()],
    )?;
    Ok(tx.query_row("SELECT id FROM source_file WHERE sha256 = ?1 AND channel = ?2", params![sha, channel.as_str()], |r| r.get(0))?)
}

fn create_verbatim(tx: &Transaction<'_>, source: i64, row: u64, channel: Channel, external_id: &str, text: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO document (source_id, source_row, channel, external_id) VALUES (?1, ?2, ?3, ?4)",
        params![source, row as i64, channel.as_str(), external_id],
    )?;
    let document = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO verbatim (document_id, position, speaker, text) VALUES (?1, 0, 'respondent', ?2)",
        params![document, text],
    )?;
    Ok(tx.last_insert_rowid())
}

/// One event of the label history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelEvent {
    pub id: i64,
    pub verbatim_id: i64,
    pub code_id: String,
    pub polarity: Option<String>,
    pub action: String,
    pub coder: String,
    pub source: String,
    pub frame_version: Option<i64>,
    pub created_at: String,
    pub undoes: Option<i64>,
    pub redo_of: Option<i64>,
}

type EventRow = (i64, i64, String, Option<String>, String, i64, Option<i64>, Option<i64>, Option<i64>);

fn event_row(tx: &Transaction<'_>, id: i64) -> Result<EventRow> {
    Ok(tx.query_row(
        "SELECT id, verbatim_id, code_id, polarity, action, coder_id, frame_version, span_start, span_end FROM label_event WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
    )?)
}

impl Project {
    /// Takes back the coder's latest label action (apply or remove), restoring what was there
    /// before it. Returns the verbatim it touched, or `None` when there is nothing to undo.
    pub fn undo_label(&mut self, coder: &str) -> Result<Option<i64>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        let target: Option<i64> = tx
            .query_row(
                "SELECT e.id FROM label_event e WHERE e.coder_id = ?1 AND e.undoes IS NULL AND e.source IN ('human', 'review')
                   AND NOT EXISTS (SELECT 1 FROM label_event u WHERE u.undoes = e.id)
                 ORDER BY e.id DESC LIMIT 1",
                [coder_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(target) = target else { return Ok(None) };
        let (_, verbatim, code, _, _, _, _, _, _) = event_row(&tx, target)?;
        // The state before the target: the previous event for the same verbatim, code and coder.
        let before: Option<i64> = tx
            .query_row(
                "SELECT id FROM label_event WHERE verbatim_id = ?1 AND code_id = ?2 AND coder_id = ?3 AND id < ?4 ORDER BY id DESC LIMIT 1",
                params![verbatim, code, coder_id, target],
                |r| r.get(0),
            )
            .optional()?;
        let (action, polarity, version, span_start, span_end) = match before {
            Some(b) => {
                let (_, _, _, polarity, action, _, version, s, e) = event_row(&tx, b)?;
                (action, polarity, version, s, e)
            }
            None => ("remove".to_string(), None, None, None, None),
        };
        tx.execute(
            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, span_start, span_end, created_at, undoes)
             VALUES (?1, ?2, ?3, ?4, ?5, 'human', ?6, ?7, ?8, ?9, ?10)",
            params![verbatim, code, polarity, action, coder_id, version, span_start, span_end, now(), target],
        )?;
        tx.commit()?;
        Ok(Some(verbatim))
    }

    /// Repeats the action the coder's latest undo took back, unless the coder has labelled since.
    pub fn redo_label(&mut self, coder: &str) -> Result<Option<i64>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        let undo: Option<(i64, i64)> = tx
            .query_row(
                "SELECT u.id, u.undoes FROM label_event u WHERE u.coder_id = ?1 AND u.undoes IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM label_event r WHERE r.redo_of = u.id)
                   AND NOT EXISTS (SELECT 1 FROM label_event n WHERE n.coder_id = ?1 AND n.id > u.id
                                   AND n.undoes IS NULL AND n.redo_of IS NULL AND n.source IN ('human', 'review'))
                 ORDER BY u.id DESC LIMIT 1",
                [coder_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((undo_id, original)) = undo else { return Ok(None) };
        let (_, verbatim, code, polarity, action, _, version, s, e) = event_row(&tx, original)?;
        tx.execute(
            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, span_start, span_end, created_at, redo_of)
             VALUES (?1, ?2, ?3, ?4, ?5, 'human', ?6, ?7, ?8, ?9, ?10)",
            params![verbatim, code, polarity, action, coder_id, version, s, e, now(), undo_id],
        )?;
        tx.commit()?;
        Ok(Some(verbatim))
    }

    /// The label history, newest last; of one verbatim when given.
    pub fn label_history(&self, verbatim_id: Option<i64>) -> Result<Vec<LabelEvent>> {
        let mut st = self.conn.prepare(
            "SELECT e.id, e.verbatim_id, e.code_id, e.polarity, e.action, c.name, e.source, e.frame_version, e.created_at, e.undoes, e.redo_of
             FROM label_event e JOIN coder c ON c.id = e.coder_id
             WHERE ?1 IS NULL OR e.verbatim_id = ?1 ORDER BY e.id",
        )?;
        let rows = st.query_map([verbatim_id], |r| {
            Ok(LabelEvent {
                id: r.get(0)?,
                verbatim_id: r.get(1)?,
                code_id: r.get(2)?,
                polarity: r.get(3)?,
                action: r.get(4)?,
                coder: r.get(5)?,
                source: r.get(6)?,
                frame_version: r.get(7)?,
                created_at: r.get(8)?,
                undoes: r.get(9)?,
                redo_of: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl Project {
    /// Writes current human labels in the shared format (`id,text,labels`, labels like
    /// `动力:-1|油耗:1`; itch, which has no number, is written by name). Returns the rows written.
    pub fn export_labels(&self, path: &Path, coder: Option<&str>) -> Result<u64> {
        let frame = self.frame_draft()?;
        let names: HashMap<&str, &str> = frame.codes.iter().map(|c| (c.id.as_str(), c.name_zh.as_str())).collect();
        let mut st = self.conn.prepare(
            "SELECT d.external_id, v.text, l.code_id, l.polarity FROM current_label l
             JOIN verbatim v ON v.id = l.verbatim_id JOIN document d ON d.id = v.document_id JOIN coder c ON c.id = l.coder_id
             WHERE l.source != 'model' AND (?1 IS NULL OR c.name = ?1) ORDER BY v.id, l.id",
        )?;
        let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
        for row in st.query_map([coder], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?)))? {
            let (id, text, code, polarity) = row?;
            let polarity = match polarity.as_deref() {
                Some("pain") => "-1",
                Some("delight") => "1",
                Some("itch") => "itch",
                _ => "0",
            };
            let pair = format!("{}:{polarity}", names.get(code.as_str()).copied().unwrap_or(code.as_str()));
            match rows.last_mut() {
                Some(last) if last.0 == id => {
                    if !last.2.contains(&pair) {
                        last.2.push(pair)
                    }
                }
                _ => rows.push((id, text, vec![pair])),
            }
        }
        let mut w = csv::Writer::from_path(path).map_err(|e| Error::io(path, e.into()))?;
        w.write_record(["id", "text", "labels"]).map_err(|e| Error::io(path, e.into()))?;
        for (id, text, pairs) in &rows {
            w.write_record([id.as_str(), text.as_str(), pairs.join("|").as_str()]).map_err(|e| Error::io(path, e.into()))?;
        }
        w.flush().map_err(|e| Error::io(path, e))?;
        Ok(rows.len() as u64)
    }
}

impl Project {
    /// Labelling progress: the project's, `coder`'s, and the coder's since `session_start`
    /// (an RFC 3339 UTC time as the engine writes them, e.g. `2026-11-23T09:00:00.000Z`).
    pub fn label_progress(&self, coder: &str, session_start: &str) -> Result<vocwb_types::label::LabelProgress> {
        let count = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<u64> {
            Ok(self.conn.query_row(sql, args, |r| r.get::<_, i64>(0))? as u64)
        };
        let verbatims = count("SELECT COUNT(*) FROM verbatim", &[])?;
        let labelled = count("SELECT COUNT(DISTINCT verbatim_id) FROM current_label", &[])?;
        let coder_labelled = count(
            "SELECT COUNT(DISTINCT l.verbatim_id) FROM current_label l JOIN coder c ON c.id = l.coder_id WHERE c.name = ?1",
            &[&coder],
        )?;
        let session_labels = count(
            "SELECT COUNT(*) FROM current_label l JOIN coder c ON c.id = l.coder_id WHERE c.name = ?1 AND l.created_at >= ?2",
            &[&coder, &session_start],
        )?;
        let session_verbatims = count(
            "SELECT COUNT(DISTINCT l.verbatim_id) FROM current_label l JOIN coder c ON c.id = l.coder_id WHERE c.name = ?1 AND l.created_at >= ?2",
            &[&coder, &session_start],
        )?;
        let frame = self.frame_draft()?;
        let mut st = self.conn.prepare("SELECT code_id, COUNT(*) FROM current_label GROUP BY code_id ORDER BY 2 DESC, 1")?;
        let per_code = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(code_id, n)| {
                let code = frame.get(&code_id);
                vocwb_types::label::CodeCount {
                    short_code: code.map(|c| c.short_code.clone()).unwrap_or_default(),
                    name_zh: code.map(|c| c.name_zh.clone()).unwrap_or_default(),
                    code_id,
                    count: n as u64,
                }
            })
            .collect();
        Ok(vocwb_types::label::LabelProgress { verbatims, labelled, coder_labelled, session_labels, session_verbatims, per_code })
    }

    /// The codes `coder` applies most (by current labels), then the project's most used, up to
    /// `limit`: what the labelling screen binds to the number keys.
    pub fn most_used_codes(&self, coder: &str, limit: usize) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(
            "SELECT l.code_id FROM current_label l JOIN coder c ON c.id = l.coder_id
             GROUP BY l.code_id
             ORDER BY SUM(c.name = ?1) DESC, COUNT(*) DESC, l.code_id",
        )?;
        let ids = st.query_map([coder], |r| r.get::<_, String>(0))?.take(limit).collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// `coder`'s current labels on one verbatim, oldest first.
    pub fn coder_labels_of(&self, coder: &str, verbatim_id: i64) -> Result<Vec<Label>> {
        Ok(self.labels_of(verbatim_id)?.into_iter().filter(|l| l.coder == coder).collect())
    }
}
