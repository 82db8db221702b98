//! The code frame in a project: the editable draft, edit operations, immutable published
//! versions (also written to `codeframes/<name>/vN.toml` in the project directory) and the lexicon.

use super::model::{Code, CodeStatus, Frame, FrameHeader, FrameToml, Lexicon, LexiconTerm};
pub use vocwb_types::frame::{FrameOp, OpRecord, VersionInfo};
use crate::error::{Error, Result};
use crate::project::Project;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;
use vocwb_types::{NeedLayer, Polarity};

/// One edit of the frame. Operations are recorded so that labels can follow them to a new version.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The draft frame, in tree order (parents before children, siblings by sort order).
pub fn draft(conn: &Connection) -> Result<Frame> {
    let mut header = FrameHeader::default();
    let mut st = conn.prepare("SELECT key, value FROM frame_meta")?;
    for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (k, v) = row?;
        match k.as_str() {
            "name" => header.name = v,
            "title_zh" => header.title_zh = v,
            "title_en" => header.title_en = v,
            _ => {}
        }
    }
    let mut st = conn.prepare(
        "SELECT id, short_code, parent_id, name_zh, name_en, definition_zh, definition_en, include_note,
                exclude_note, examples, owner, need_layer, status FROM code ORDER BY sort",
    )?;
    let codes = st
        .query_map([], |r| {
            let examples: String = r.get(9)?;
            let need: String = r.get(11)?;
            let status: String = r.get(12)?;
            Ok(Code {
                id: r.get(0)?,
                short_code: r.get(1)?,
                parent: r.get(2)?,
                name_zh: r.get(3)?,
                name_en: r.get(4)?,
                definition_zh: r.get(5)?,
                definition_en: r.get(6)?,
                include: r.get(7)?,
                exclude: r.get(8)?,
                examples: serde_json::from_str(&examples).unwrap_or_default(),
                owner: r.get(10)?,
                need_layer: need.parse().unwrap_or(NeedLayer::Basic),
                status: if status == "retired" { CodeStatus::Retired } else { CodeStatus::Active },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut frame = Frame { header, codes };
    frame.header.version = latest_version(conn)?;
    frame.codes = tree_order(&frame.codes);
    Ok(frame)
}

/// Parents before children, keeping the given order among siblings.
fn tree_order(codes: &[Code]) -> Vec<Code> {
    let mut children: HashMap<Option<&str>, Vec<&Code>> = HashMap::new();
    let ids: std::collections::HashSet<&str> = codes.iter().map(|c| c.id.as_str()).collect();
    for c in codes {
        // Orphans are listed at the top so validation can still see them.
        let parent = c.parent.as_deref().filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(c);
    }
    let mut out = Vec::with_capacity(codes.len());
    let mut stack: Vec<&Code> = children.get(&None).map(|v| v.iter().rev().copied().collect()).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    while let Some(c) = stack.pop() {
        if !seen.insert(c.id.as_str()) {
            continue;
        }
        out.push(c.clone());
        if let Some(kids) = children.get(&Some(c.id.as_str())) {
            stack.extend(kids.iter().rev().copied());
        }
    }
    // Codes caught in a cycle never hang from the top; keep them so validation reports them.
    out.extend(codes.iter().filter(|c| !seen.contains(c.id.as_str())).cloned());
    out
}

pub fn latest_version(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT MAX(number) FROM frame_version", [], |r| r.get(0))?)
}

fn write_code(tx: &Transaction<'_>, code: &Code, sort: i64) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO code (id, short_code, parent_id, name_zh, name_en, definition_zh, definition_en,
             include_note, exclude_note, examples, owner, need_layer, status, sort)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            code.id,
            code.short_code,
            code.parent,
            code.name_zh,
            code.name_en,
            code.definition_zh,
            code.definition_en,
            code.include,
            code.exclude,
            serde_json::to_string(&code.examples).expect("strings serialise"),
            code.owner,
            code.need_layer.as_str(),
            code.status.as_str(),
            sort
        ],
    )?;
    Ok(())
}

fn write_draft(tx: &Transaction<'_>, frame: &Frame) -> Result<()> {
    tx.execute("DELETE FROM code", [])?;
    for (i, code) in frame.codes.iter().enumerate() {
        write_code(tx, code, i as i64)?;
    }
    for (k, v) in [("name", &frame.header.name), ("title_zh", &frame.header.title_zh), ("title_en", &frame.header.title_en)] {
        tx.execute("INSERT OR REPLACE INTO frame_meta (key, value) VALUES (?1, ?2)", params![k, v])?;
    }
    Ok(())
}

fn check(frame: &Frame) -> Result<()> {
    let problems = frame.validate();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidFrame(problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")))
}

/// Applies `op` to `frame` in memory.
pub fn apply_to(frame: &mut Frame, op: &FrameOp) -> Result<()> {
    let find = |frame: &mut Frame, id: &str| -> Result<usize> {
        frame.codes.iter().position(|c| c.id == id).ok_or_else(|| Error::NotFound(format!("no code with id '{id}'")))
    };
    match op {
        FrameOp::Add { code } => {
            if frame.get(&code.id).is_some() {
                return Err(Error::InvalidFrame(format!("a code with id '{}' already exists", code.id)));
            }
            frame.codes.push(code.clone());
        }
        FrameOp::Rename { id, name_zh, name_en } => {
            let i = find(frame, id)?;
            frame.codes[i].name_zh = name_zh.clone();
            frame.codes[i].name_en = name_en.clone();
        }
        FrameOp::Edit { code } => {
            let i = find(frame, &code.id)?;
            let keep_parent = frame.codes[i].parent.clone();
            frame.codes[i] = Code { parent: keep_parent, ..code.clone() };
        }
        FrameOp::Move { id, parent } => {
            let i = find(frame, id)?;
            frame.codes[i].parent = parent.clone();
        }
        FrameOp::Merge { from, into } => {
            if from == into {
                return Err(Error::InvalidFrame("a code cannot be merged into itself".into()));
            }
            find(frame, into)?;
            let i = find(frame, from)?;
            // Children of the merged code now hang under the code it merged into.
            for c in frame.codes.iter_mut().filter(|c| c.parent.as_deref() == Some(from.as_str())) {
                c.parent = Some(into.clone());
            }
            frame.codes[i].status = CodeStatus::Retired;
        }
        FrameOp::Split { from, into } => {
            if into.len() < 2 {
                return Err(Error::InvalidFrame("a split needs at least two new codes".into()));
            }
            let i = find(frame, from)?;
            frame.codes[i].status = CodeStatus::Retired;
            for c in into {
                if frame.get(&c.id).is_some() {
                    return Err(Error::InvalidFrame(format!("a code with id '{}' already exists", c.id)));
                }
                frame.codes.push(c.clone());
            }
        }
        FrameOp::Retire { id } => {
            let i = find(frame, id)?;
            frame.codes[i].status = CodeStatus::Retired;
        }
    }
    frame.codes = tree_order(&frame.codes);
    Ok(())
}

impl Project {
    /// The draft frame.
    pub fn frame_draft(&self) -> Result<Frame> {
        draft(&self.conn)
    }

    /// Applies one edit to the draft; refused (and nothing stored) when the result is invalid.
    pub fn frame_edit(&mut self, op: FrameOp, author: &str) -> Result<Frame> {
        let mut frame = draft(&self.conn)?;
        apply_to(&mut frame, &op)?;
        check(&frame)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_draft(&tx, &frame)?;
        record_op(&tx, &op, author)?;
        tx.commit()?;
        Ok(frame)
    }

    /// Replaces the draft by `frame` (e.g. a file the owner edited), recording the differences as
    /// add / rename / move / edit / retire operations so labels can follow.
    pub fn frame_replace(&mut self, frame: &Frame, author: &str) -> Result<Vec<FrameOp>> {
        check(frame)?;
        let old = draft(&self.conn)?;
        let ops = infer_ops(&old, frame);
        let mut next = frame.clone();
        if next.header.name.is_empty() {
            next.header.name = old.header.name.clone();
        }
        // Codes the new file leaves out are retired, never deleted: labels may point at them.
        for c in &old.codes {
            if next.get(&c.id).is_none() {
                next.codes.push(Code { status: CodeStatus::Retired, ..c.clone() });
            }
        }
        next.codes = tree_order(&next.codes);
        check(&next)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_draft(&tx, &next)?;
        for op in &ops {
            record_op(&tx, op, author)?;
        }
        tx.commit()?;
        Ok(ops)
    }

    /// Freezes the draft as the next version; returns its number. Only a code-frame owner may.
    pub fn frame_publish(&mut self, author: &str, changelog: Option<&str>) -> Result<i64> {
        self.require_role(author, vocwb_types::Role::Owner)?;
        self.publish_draft(author, changelog)
    }

    pub(crate) fn publish_draft(&mut self, author: &str, changelog: Option<&str>) -> Result<i64> {
        let mut frame = draft(&self.conn)?;
        check(&frame)?;
        if frame.codes.is_empty() {
            return Err(Error::InvalidFrame("the frame has no codes".into()));
        }
        let number = latest_version(&self.conn)?.unwrap_or(0) + 1;
        let project_dir = self.dir().to_path_buf();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let pending = pending_ops(&tx, &frame)?;
        if number > 1 && pending.is_empty() {
            return Err(Error::InvalidFrame("nothing changed since the last version".into()));
        }
        let changelog = match changelog {
            Some(c) => c.to_string(),
            None => pending.iter().map(|r| r.description.clone()).collect::<Vec<_>>().join("\n"),
        };
        frame.header.version = Some(number);
        frame.header.author = author.to_string();
        frame.header.published_at = now();
        frame.header.changelog = changelog.clone();
        let snapshot = frame.to_toml();
        tx.execute(
            "INSERT INTO frame_version (number, author, published_at, changelog, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![number, author, frame.header.published_at, changelog, snapshot],
        )?;
        tx.execute("UPDATE frame_op SET version = ?1 WHERE version IS NULL", [number])?;
        // The readable copy is written before commit: if writing fails, nothing is published.
        let name = if frame.header.name.is_empty() { "frame".to_string() } else { frame.header.name.clone() };
        let folder = project_dir.join("codeframes").join(&name);
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let file = folder.join(format!("v{number}.toml"));
        std::fs::write(&file, &snapshot).map_err(|e| Error::io(&file, e))?;
        tx.commit()?;
        Ok(number)
    }

    /// A published version.
    pub fn frame_version(&self, number: i64) -> Result<Frame> {
        let snapshot: String = self
            .conn
            .query_row("SELECT snapshot FROM frame_version WHERE number = ?1", [number], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("there is no published version v{number}")))?;
        Frame::from_toml(&snapshot).map_err(Error::InvalidFrame)
    }

    pub fn frame_versions(&self) -> Result<Vec<VersionInfo>> {
        let mut st = self
            .conn
            .prepare("SELECT number, author, published_at, changelog, snapshot FROM frame_version ORDER BY number")?;
        let rows = st.query_map([], |r| {
            let snapshot: String = r.get(4)?;
            Ok(VersionInfo {
                number: r.get(0)?,
                author: r.get(1)?,
                published_at: r.get(2)?,
                changelog: r.get(3)?,
                codes: Frame::from_toml(&snapshot).map(|f| f.codes.len()).unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The operations that lead from version `from` to version `to` (`to` = None: the draft).
    pub fn frame_diff(&self, from: i64, to: Option<i64>) -> Result<Vec<OpRecord>> {
        let frame = match to {
            Some(n) => self.frame_version(n)?,
            None => draft(&self.conn)?,
        };
        if from > 0 {
            self.frame_version(from)?;
        }
        let upper = to.unwrap_or(i64::MAX);
        let mut st = self.conn.prepare(
            "SELECT id, version, payload, author, created_at FROM frame_op
             WHERE (version > ?1 AND version <= ?2) OR (?3 AND version IS NULL) ORDER BY id",
        )?;
        let rows = st.query_map(params![from, upper, to.is_none()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, version, payload, author, created_at) = row?;
            let op: FrameOp = serde_json::from_str(&payload).map_err(|e| Error::InvalidFrame(e.to_string()))?;
            out.push(OpRecord { id, version, description: op.describe(&frame), op, author, created_at });
        }
        Ok(out)
    }

    /// The lexicon, in its stored order.
    pub fn lexicon(&self) -> Result<Lexicon> {
        let mut st = self.conn.prepare("SELECT term, variants, gloss_en, codes, polarity FROM lexicon_term ORDER BY sort")?;
        let terms = st
            .query_map([], |r| {
                let variants: String = r.get(1)?;
                let codes: String = r.get(3)?;
                let polarity: Option<String> = r.get(4)?;
                Ok(LexiconTerm {
                    term: r.get(0)?,
                    variants: serde_json::from_str(&variants).unwrap_or_default(),
                    gloss_en: r.get(2)?,
                    codes: serde_json::from_str(&codes).unwrap_or_default(),
                    polarity: polarity.and_then(|p| p.parse::<Polarity>().ok()),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Lexicon { terms })
    }

    /// Replaces the lexicon; every code it points to must exist in the draft frame.
    pub fn set_lexicon(&mut self, lexicon: &Lexicon) -> Result<()> {
        let frame = draft(&self.conn)?;
        let mut seen = std::collections::HashSet::new();
        for (i, t) in lexicon.terms.iter().enumerate() {
            if t.term.trim().is_empty() {
                return Err(Error::InvalidFrame(format!("lexicon entry {} has an empty term", i + 1)));
            }
            if !seen.insert(t.term.as_str()) {
                return Err(Error::InvalidFrame(format!("lexicon term '{}' appears twice", t.term)));
            }
            for c in &t.codes {
                if !frame.codes.iter().any(|x| &x.short_code == c || &x.id == c) {
                    return Err(Error::UnknownCode(format!("lexicon term '{}' points to unknown code '{c}'", t.term)));
                }
            }
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM lexicon_term", [])?;
        for (i, t) in lexicon.terms.iter().enumerate() {
            tx.execute(
                "INSERT INTO lexicon_term (term, variants, gloss_en, codes, polarity, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    t.term,
                    serde_json::to_string(&t.variants).expect("strings serialise"),
                    t.gloss_en,
                    serde_json::to_string(&t.codes).expect("strings serialise"),
                    t.polarity.map(|p| p.as_str()),
                    i as i64
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds a term, or replaces the term named `replacing` in place (keeping its position).
    /// Blank variants and codes are dropped; the checks of [`Project::set_lexicon`] apply and
    /// a refused entry changes nothing.
    pub fn lexicon_put(&mut self, replacing: Option<&str>, term: LexiconTerm) -> Result<Lexicon> {
        let term = tidy_term(term);
        let mut lexicon = self.lexicon()?;
        match replacing.and_then(|old| lexicon.terms.iter().position(|t| t.term == old)) {
            Some(i) => lexicon.terms[i] = term,
            None if replacing.is_some() => {
                return Err(Error::InvalidFrame(format!("lexicon term '{}' is not in the lexicon", replacing.unwrap_or_default())))
            }
            None => lexicon.terms.push(term),
        }
        self.set_lexicon(&lexicon)?;
        Ok(lexicon)
    }

    /// Removes the term `term`.
    pub fn lexicon_delete(&mut self, term: &str) -> Result<Lexicon> {
        let mut lexicon = self.lexicon()?;
        let before = lexicon.terms.len();
        lexicon.terms.retain(|t| t.term != term);
        if lexicon.terms.len() == before {
            return Err(Error::InvalidFrame(format!("lexicon term '{term}' is not in the lexicon")));
        }
        self.set_lexicon(&lexicon)?;
        Ok(lexicon)
    }
}

/// Trims every field and drops empty variants and codes (the window sends what was typed).
fn tidy_term(t: LexiconTerm) -> LexiconTerm {
    let keep = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    LexiconTerm {
        term: t.term.trim().to_string(),
        variants: keep(t.variants),
        gloss_en: t.gloss_en.trim().to_string(),
        codes: keep(t.codes),
        polarity: t.polarity,
    }
}

fn record_op(tx: &Transaction<'_>, op: &FrameOp, author: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO frame_op (version, kind, payload, author, created_at) VALUES (NULL, ?1, ?2, ?3, ?4)",
        params![op.kind(), serde_json::to_string(op).expect("ops serialise"), author, now()],
    )?;
    Ok(())
}

fn pending_ops(tx: &Transaction<'_>, frame: &Frame) -> Result<Vec<OpRecord>> {
    let mut st = tx.prepare("SELECT id, payload, author, created_at FROM frame_op WHERE version IS NULL ORDER BY id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, payload, author, created_at) = row?;
        let op: FrameOp = serde_json::from_str(&payload).map_err(|e| Error::InvalidFrame(e.to_string()))?;
        out.push(OpRecord { id, version: None, description: op.describe(frame), op, author, created_at });
    }
    Ok(out)
}

/// Operations that turn `old` into `new`, matching codes by their stable id.
pub fn infer_ops(old: &Frame, new: &Frame) -> Vec<FrameOp> {
    let mut ops = Vec::new();
    for c in &new.codes {
        match old.get(&c.id) {
            None => ops.push(FrameOp::Add { code: c.clone() }),
            Some(o) => {
                if o.status == CodeStatus::Active && c.status == CodeStatus::Retired {
                    ops.push(FrameOp::Retire { id: c.id.clone() });
                    continue;
                }
                if o.name_zh != c.name_zh || o.name_en != c.name_en {
                    ops.push(FrameOp::Rename { id: c.id.clone(), name_zh: c.name_zh.clone(), name_en: c.name_en.clone() });
                }
                if o.parent != c.parent {
                    ops.push(FrameOp::Move { id: c.id.clone(), parent: c.parent.clone() });
                }
                let same_rest = Code { name_zh: c.name_zh.clone(), name_en: c.name_en.clone(), parent: c.parent.clone(), ..o.clone() };
                if &same_rest != c {
                    ops.push(FrameOp::Edit { code: c.clone() });
                }
            }
        }
    }
    for o in &old.codes {
        if o.status == CodeStatus::Active && new.get(&o.id).is_none() {
            ops.push(FrameOp::Retire { id: o.id.clone() });
        }
    }
    ops
}
