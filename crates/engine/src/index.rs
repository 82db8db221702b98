//! The project's search index in `derived/index/`: derived from the database, rebuildable at any
//! time, and kept current by [`Project::refresh_index`], which re-indexes only the verbatims
//! whose text, labels, predictions or review changed since the last refresh.
//!
//! What the index has seen is a [`Watermark`] stored in the index's own commit payload, so the
//! index and its watermark can never disagree. A missing, damaged or foreign index, a new frame
//! version, a changed lexicon, other current models, or counts that no longer add up (something
//! was deleted or replaced, as when a model re-codes everything) make the refresh rebuild from
//! scratch instead.
//!
//! **Limitations:** two processes refreshing at the same moment are not coordinated beyond
//! tantivy's writer lock (the second fails with an I/O error and can simply retry). Rebuilds
//! each build in a side folder of their own, so rebuilds at once never spoil each other; the
//! last one swapped in stays.
//! [`Project::search`] checks the watermark on every call (a fraction of a second on a million
//! verbatims); a screen that searches as the user types should keep the index from
//! [`Project::open_index`] and refresh it after its own writes.

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::project::Project;
use crate::review::{self, STATUS_UNREVIEWED};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;
use vocwb_search::{Application, SearchDoc, SearchIndex};
pub use vocwb_types::search::{
    AppliedCode, CodeCount, FilterOptions, Filters, Hit, IndexAction, IndexReport, IndexStatus, SearchQuery, SearchResults, Source,
};
use vocwb_types::{Polarity, ProgressEvent};

/// The index folder inside `derived/`.
pub const INDEX_DIR: &str = "index";

/// Bumped when the engine changes what it puts in a document, so old indexes get rebuilt.
const DOC_FORMAT: u32 = 1;

/// Re-indexing more verbatims than this share of the project is slower than a rebuild.
const REBUILD_SHARE: f64 = 0.25;

/// How far the index has read the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    pub doc_format: u32,
    pub verbatims: i64,
    pub max_verbatim_id: i64,
    pub max_label_event_id: i64,
    /// Rows of `prediction` (every model) and the highest rowid: new predictions have higher
    /// rowids, and a count that does not add up means some were deleted or replaced. Both are
    /// cheap on millions of rows, where a scan by model is not.
    pub predictions: i64,
    pub max_prediction_rowid: i64,
    /// The current models (see [`crate::review::current_models`]): once predictions are
    /// indexed, other current models mean other predictions, and a rebuild.
    pub models: String,
    pub max_review_sample_id: i64,
    pub max_review_decision_id: i64,
    pub frame_version: Option<i64>,
    /// A hash of the lexicon words given to the tokenizer.
    pub lexicon: String,
}

impl Project {
    /// `derived/index/`.
    pub fn index_dir(&self) -> PathBuf {
        self.derived_dir().join(INDEX_DIR)
    }

    /// Builds the index from scratch in a side folder and swaps it in, so a failed or
    /// cancelled rebuild leaves the previous index as it was.
    pub fn rebuild_index(&self, progress: &dyn Progress) -> Result<IndexReport> {
        self.rebuild_with_reason("asked for".into(), progress).map(|(_, r)| r)
    }

    /// Brings the index up to date with the database; rebuilds it if it is missing, damaged or
    /// too far behind.
    pub fn refresh_index(&self, progress: &dyn Progress) -> Result<IndexReport> {
        self.open_index(progress).map(|(_, r)| r)
    }

    /// The refreshed index, open for searching, and what the refresh did.
    pub fn open_index(&self, progress: &dyn Progress) -> Result<(SearchIndex, IndexReport)> {
        let started = Instant::now();
        let dir = self.index_dir();
        let mut index = match SearchIndex::open(&dir) {
            Ok(index) => index,
            Err(e) => return self.rebuild_with_reason(e.to_string(), progress),
        };
        let old: Option<Watermark> = serde_json::from_value(index.meta().state.clone()).ok();
        let tx = self.conn.unchecked_transaction()?;
        let user_words = lexicon_words(self)?;
        let now = watermark(&tx, &user_words)?;
        let Some(old) = old else {
            drop(tx);
            return self.rebuild_with_reason("the index has no watermark".into(), progress);
        };
        if let Some(reason) = needs_rebuild(&old, &now, &index, &user_words) {
            drop(tx);
            return self.rebuild_with_reason(reason, progress);
        }
        let dirty = match changed_verbatims(&tx, &old, &now)? {
            Ok(dirty) => dirty,
            Err(reason) => {
                drop(tx);
                return self.rebuild_with_reason(reason, progress);
            }
        };
        if dirty.len() as f64 > (now.verbatims as f64 * REBUILD_SHARE).max(10_000.0) {
            drop(tx);
            return self.rebuild_with_reason(format!("{} verbatims changed", dirty.len()), progress);
        }
        if dirty.is_empty() && old == now {
            let documents = index.num_docs();
            if documents != now.verbatims as u64 {
                drop(tx);
                let reason = format!("the index has {documents} documents for {} verbatims", now.verbatims);
                return self.rebuild_with_reason(reason, progress);
            }
            let report = IndexReport { action: IndexAction::Fresh, reason: None, indexed: 0, documents, seconds: started.elapsed().as_secs_f64() };
            return Ok((index, report));
        }
        let context = DocContext::load(self, &tx)?;
        let mut update = index.update(1, 50_000_000).map_err(search_error(&dir))?;
        let mut loader = DocLoader::new(&tx, &context)?;
        for (i, &id) in dirty.iter().enumerate() {
            match loader.load(id)? {
                Some(doc) => update.upsert(&doc).map_err(search_error(&dir))?,
                None => update.delete(id as u64),
            }
            if i % 1000 == 0 && !progress.report(&event(i as u64, Some(dirty.len() as u64), "refresh")) {
                return Err(Error::Cancelled);
            }
        }
        drop(loader);
        let state = serde_json::to_value(&now).expect("a watermark serialises");
        update.commit(state).map_err(search_error(&dir))?;
        drop(tx);
        let documents = index.num_docs();
        if documents != now.verbatims as u64 {
            let reason = format!("after refresh the index has {documents} documents for {} verbatims", now.verbatims);
            return self.rebuild_with_reason(reason, progress);
        }
        let report = IndexReport {
            action: IndexAction::Refreshed,
            reason: None,
            indexed: dirty.len() as u64,
            documents,
            seconds: started.elapsed().as_secs_f64(),
        };
        Ok((index, report))
    }

    /// Refreshes the index, then searches it. An index that fails while searching (a damaged
    /// file) is rebuilt once and the search retried.
    pub fn search(&self, query: &SearchQuery, progress: &dyn Progress) -> Result<SearchResults> {
        let (index, _) = self.open_index(progress)?;
        match index.search(query) {
            Ok(results) => Ok(results),
            Err(vocwb_search::Error::Query(m)) => Err(Error::Forbidden(format!("query: {m}"))),
            Err(e) => {
                drop(index);
                let (index, _) = self.rebuild_with_reason(e.to_string(), progress)?;
                index.search(query).map_err(search_error(&self.index_dir()))
            }
        }
    }

    /// Whether the index exists, opens and matches the database, without touching it.
    pub fn index_status(&self) -> Result<IndexStatus> {
        let verbatims = self.conn.query_row("SELECT COUNT(*) FROM verbatim", [], |r| r.get::<_, i64>(0))? as u64;
        let dir = self.index_dir();
        let status = |state: &str, reason: Option<String>, documents| IndexStatus { state: state.into(), reason, documents, verbatims };
        if !dir.join("meta.json").is_file() {
            return Ok(status("missing", None, 0));
        }
        let index = match SearchIndex::open(&dir) {
            Ok(i) => i,
            Err(e) => return Ok(status("unusable", Some(e.to_string()), 0)),
        };
        let documents = index.num_docs();
        let Ok(old) = serde_json::from_value::<Watermark>(index.meta().state.clone()) else {
            return Ok(status("unusable", Some("the index has no watermark".into()), documents));
        };
        let tx = self.conn.unchecked_transaction()?;
        let user_words = lexicon_words(self)?;
        let now = watermark(&tx, &user_words)?;
        if let Some(reason) = needs_rebuild(&old, &now, &index, &user_words) {
            return Ok(status("stale", Some(reason), documents));
        }
        if old != now {
            return Ok(status("stale", Some("the project changed since the last refresh".into()), documents));
        }
        if documents != verbatims {
            return Ok(status("unusable", Some(format!("{documents} documents for {verbatims} verbatims")), documents));
        }
        Ok(status("fresh", None, documents))
    }

    /// The values a search screen offers in its filter lists, with how many verbatims have each.
    pub fn filter_options(&self) -> Result<FilterOptions> {
        let counts = |sql: &str| -> Result<Vec<(String, u64)>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (first_date, last_date) = self.conn.query_row(
            "SELECT MIN(substr(date, 1, 10)), MAX(substr(date, 1, 10)) FROM document WHERE date IS NOT NULL AND date != ''",
            [],
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?)),
        )?;
        let per_document = |column: &str| {
            format!(
                "SELECT d.{column}, COUNT(*) FROM verbatim v JOIN document d ON d.id = v.document_id
                 WHERE d.{column} IS NOT NULL AND d.{column} != '' GROUP BY d.{column} ORDER BY COUNT(*) DESC, d.{column}"
            )
        };
        Ok(FilterOptions {
            channels: counts(&per_document("channel"))?,
            dealers: counts(&per_document("dealer"))?,
            vehicle_models: counts(&per_document("vehicle_model"))?,
            first_date: first_date.filter(|d| parse_date(d).is_some()),
            last_date: last_date.filter(|d| parse_date(d).is_some()),
            models: review::current_models(&self.conn)?,
            review_statuses: [
                review::STATUS_UNREVIEWED,
                review::STATUS_PENDING,
                review::STATUS_ACCEPTED,
                review::STATUS_CORRECTED,
                review::STATUS_REJECTED,
            ]
            .map(String::from)
            .to_vec(),
        })
    }

    fn rebuild_with_reason(&self, reason: String, progress: &dyn Progress) -> Result<(SearchIndex, IndexReport)> {
        let started = Instant::now();
        let dir = self.index_dir();
        // A side folder of its own: two rebuilds at once (threads or processes) must not build
        // into each other's files.
        let building = self.derived_dir().join(format!(
            "index.building-{}-{}",
            std::process::id(),
            REBUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let tx = self.conn.unchecked_transaction()?;
        let user_words = lexicon_words(self)?;
        let now = watermark(&tx, &user_words)?;
        let context = DocContext::load(self, &tx)?;
        let total = now.verbatims as u64;
        let mut index = SearchIndex::create(&building, user_words).map_err(search_error(&building))?;
        let result = (|| -> Result<u64> {
            let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4);
            let mut update = index.update(threads, 400_000_000).map_err(search_error(&building))?;
            let mut indexed = 0u64;
            context.for_each_doc(&tx, |doc| {
                update.add(&doc).map_err(search_error(&building))?;
                indexed += 1;
                if indexed.is_multiple_of(20_000) && !progress.report(&event(indexed, Some(total), "index")) {
                    return Err(Error::Cancelled);
                }
                Ok(())
            })?;
            progress.report(&event(indexed, Some(total), "index: merging"));
            let state = serde_json::to_value(&now).expect("a watermark serialises");
            update.commit(state).map_err(search_error(&building))?;
            Ok(indexed)
        })();
        drop(tx);
        let indexed = match result {
            Ok(n) => n,
            Err(e) => {
                drop(index);
                let _ = std::fs::remove_dir_all(&building);
                return Err(e);
            }
        };
        drop(index);
        let index = swap_in(&building, &dir)?;
        let report = IndexReport {
            action: IndexAction::Rebuilt,
            reason: Some(reason),
            indexed,
            documents: index.num_docs(),
            seconds: started.elapsed().as_secs_f64(),
        };
        Ok((index, report))
    }
}

/// Numbers the side folders of this process's rebuilds.
static REBUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Swapping a rebuilt index in and opening it happen one at a time within a process.
static SWAP: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Replaces `dir` with the index just built in `building` and opens it. When another rebuild
/// (another process) swaps its own in at the same moment, that index, built from the same
/// database, serves as well: losing the race is not an error.
fn swap_in(building: &Path, dir: &Path) -> Result<SearchIndex> {
    let _turn = SWAP.lock().unwrap_or_else(|e| e.into_inner());
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(dir, e)),
        _ => {}
    }
    if let Err(e) = std::fs::rename(building, dir) {
        let _ = std::fs::remove_dir_all(building);
        if !dir.join("meta.json").is_file() {
            return Err(Error::io(dir, e));
        }
    }
    SearchIndex::open(dir).map_err(search_error(dir))
}

fn event(done: u64, total: Option<u64>, phase: &str) -> ProgressEvent {
    ProgressEvent { phase: phase.into(), done, total, message: None }
}

fn search_error(dir: &Path) -> impl Fn(vocwb_search::Error) -> Error + '_ {
    move |e| Error::Io { path: dir.display().to_string(), source: std::io::Error::other(e.to_string()) }
}

/// The lexicon's terms and variants, the words jieba must keep whole.
fn lexicon_words(project: &Project) -> Result<Vec<String>> {
    let lexicon = if crate::schema::has_table(&project.conn, "lexicon_term")? { project.lexicon()? } else { Default::default() };
    let mut words = BTreeSet::new();
    for term in &lexicon.terms {
        for w in std::iter::once(&term.term).chain(&term.variants) {
            if vocwb_search::tokenizer::is_user_word(w.trim()) {
                words.insert(w.trim().to_string());
            }
        }
    }
    Ok(words.into_iter().collect())
}

fn watermark(conn: &Connection, user_words: &[String]) -> Result<Watermark> {
    let models = review::current_models(conn)?;
    let (verbatims, max_verbatim_id) =
        conn.query_row("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM verbatim", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let max_label_event_id = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM label_event", [], |r| r.get(0))?;
    let (predictions, max_prediction_rowid) =
        conn.query_row("SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM prediction", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let max_review_sample_id = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM review_sample", [], |r| r.get(0))?;
    let max_review_decision_id = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM review_decision", [], |r| r.get(0))?;
    let frame_version = crate::frame::store::latest_version(conn)?;
    let lexicon = hex::encode(Sha256::digest(user_words.join("\n").as_bytes()));
    Ok(Watermark {
        doc_format: DOC_FORMAT,
        verbatims,
        max_verbatim_id,
        max_label_event_id,
        predictions,
        max_prediction_rowid,
        models: models.join(","),
        max_review_sample_id,
        max_review_decision_id,
        frame_version,
        lexicon,
    })
}

fn needs_rebuild(old: &Watermark, now: &Watermark, index: &SearchIndex, user_words: &[String]) -> Option<String> {
    if old.doc_format != now.doc_format {
        return Some(format!("document format {} (this build writes {})", old.doc_format, now.doc_format));
    }
    if old.frame_version != now.frame_version {
        return Some(format!("the code frame changed (v{:?} to v{:?})", old.frame_version, now.frame_version));
    }
    if old.lexicon != now.lexicon || index.meta().user_words != user_words {
        return Some("the lexicon changed".into());
    }
    if old.models != now.models && !old.models.is_empty() {
        return Some("the models changed".into());
    }
    if now.verbatims < old.verbatims || now.max_verbatim_id < old.max_verbatim_id || now.max_label_event_id < old.max_label_event_id {
        return Some("verbatims or labels were deleted".into());
    }
    None
}

/// Verbatims to re-index, or the reason a rebuild is needed instead.
fn changed_verbatims(conn: &Connection, old: &Watermark, now: &Watermark) -> Result<std::result::Result<Vec<i64>, String>> {
    let mut dirty = BTreeSet::new();
    let mut collect = |sql: &str, param: &dyn rusqlite::ToSql| -> Result<usize> {
        let mut st = conn.prepare(sql)?;
        let mut rows = st.query([param])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            dirty.insert(r.get::<_, i64>(0)?);
            n += 1;
        }
        Ok(n)
    };
    let new_verbatims = collect("SELECT id FROM verbatim WHERE id > ?1", &old.max_verbatim_id)?;
    if old.verbatims + new_verbatims as i64 != now.verbatims {
        return Ok(Err(format!("{} verbatims, expected {}", now.verbatims, old.verbatims + new_verbatims as i64)));
    }
    collect("SELECT DISTINCT verbatim_id FROM label_event WHERE id > ?1", &old.max_label_event_id)?;
    collect("SELECT verbatim_id FROM review_item WHERE sample_id > ?1", &old.max_review_sample_id)?;
    collect(
        "SELECT i.verbatim_id FROM review_decision d JOIN review_item i ON i.sample_id = d.sample_id AND i.position = d.position
         WHERE d.id > ?1",
        &old.max_review_decision_id,
    )?;
    if now.predictions != old.predictions || now.max_prediction_rowid != old.max_prediction_rowid {
        let added: i64 = conn.query_row("SELECT COUNT(*) FROM prediction WHERE rowid > ?1", [old.max_prediction_rowid], |r| r.get(0))?;
        if old.predictions + added != now.predictions {
            return Ok(Err("predictions were deleted or replaced".into()));
        }
        let models = serde_json::to_string(&review::current_models(conn)?).expect("ids serialise");
        let mut st = conn.prepare(
            "SELECT DISTINCT verbatim_id FROM prediction WHERE rowid > ?1 AND model_id IN (SELECT value FROM json_each(?2))",
        )?;
        let mut rows = st.query(params![old.max_prediction_rowid, models])?;
        while let Some(r) = rows.next()? {
            dirty.insert(r.get::<_, i64>(0)?);
        }
    }
    Ok(Ok(dirty.into_iter().collect()))
}

/// A compact applied code while building documents: the code as an index into `paths`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct App {
    code: u32,
    polarity: Option<Polarity>,
    source: Source,
    confidence: Option<f64>,
}

/// What every document needs besides its own row: code paths and the current models.
struct DocContext {
    /// Code paths by code number, and code numbers by id.
    paths: Vec<Vec<String>>,
    numbers: HashMap<String, u32>,
    models: String,
}

impl DocContext {
    fn load(project: &Project, conn: &Connection) -> Result<DocContext> {
        let mut context = DocContext { paths: Vec::new(), numbers: HashMap::new(), models: String::new() };
        if let Some(version) = crate::frame::store::latest_version(conn)? {
            let frame = project.frame_version(version)?;
            let by_id: HashMap<&str, &crate::frame::Code> = frame.codes.iter().map(|c| (c.id.as_str(), c)).collect();
            for code in &frame.codes {
                let mut path = vec![code.id.clone()];
                let mut at = code.parent.as_deref();
                while let Some(parent) = at {
                    if path.len() > frame.codes.len() || path.iter().any(|p| p == parent) {
                        break; // A cycle; frame validation reports it.
                    }
                    path.push(parent.to_string());
                    at = by_id.get(parent).and_then(|c| c.parent.as_deref());
                }
                path.reverse();
                context.numbers.insert(code.id.clone(), context.paths.len() as u32);
                context.paths.push(path);
            }
        }
        context.models = serde_json::to_string(&review::current_models(conn)?).expect("ids serialise");
        Ok(context)
    }

    fn number(&mut self, code: &str) -> u32 {
        if let Some(&n) = self.numbers.get(code) {
            return n;
        }
        // A code the latest frame does not know (retired, or from an import): its own path.
        let n = self.paths.len() as u32;
        self.paths.push(vec![code.to_string()]);
        self.numbers.insert(code.to_string(), n);
        n
    }

    fn applications(&self, apps: &[App]) -> Vec<Application> {
        let mut seen = Vec::with_capacity(apps.len());
        let mut out = Vec::with_capacity(apps.len());
        for a in apps {
            let key = (a.code, a.polarity, a.source);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(Application {
                code_path: self.paths[a.code as usize].clone(),
                polarity: a.polarity,
                source: a.source,
                confidence: a.confidence,
            });
        }
        out
    }

    /// Streams every verbatim as a document, in id order.
    fn for_each_doc(mut self, conn: &Connection, mut f: impl FnMut(SearchDoc) -> Result<()>) -> Result<()> {
        let mut apps: HashMap<i64, Vec<App>> = HashMap::new();
        {
            let mut st = conn.prepare("SELECT verbatim_id, code_id, polarity, source FROM current_label")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let code: String = r.get(1)?;
                let app = App {
                    code: self.number(&code),
                    polarity: parse_polarity(r.get(2)?),
                    source: label_source(&r.get::<_, String>(3)?),
                    confidence: None,
                };
                apps.entry(r.get(0)?).or_default().push(app);
            }
            let mut st = conn.prepare(
                "SELECT verbatim_id, code_id, polarity, confidence FROM prediction WHERE model_id IN (SELECT value FROM json_each(?1))",
            )?;
            let mut rows = st.query([&self.models])?;
            while let Some(r) = rows.next()? {
                let code: String = r.get(1)?;
                let app = App { code: self.number(&code), polarity: parse_polarity(r.get(2)?), source: Source::Model, confidence: Some(r.get(3)?) };
                apps.entry(r.get(0)?).or_default().push(app);
            }
        }
        let mut statuses: HashMap<i64, Vec<String>> = HashMap::new();
        {
            let mut st = conn.prepare(review::ITEM_STATUS_SQL)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                statuses.entry(r.get(0)?).or_default().push(review::status_of(r.get::<_, Option<String>>(1)?.as_deref()).into());
            }
        }
        let mut st = conn.prepare(&format!("{VERBATIM_SQL} ORDER BY v.id"))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let mut doc = verbatim_doc(r)?;
            let id = doc.verbatim_id as i64;
            let own = apps.remove(&id).unwrap_or_default();
            doc.review_status = statuses.remove(&id).unwrap_or_default();
            if doc.review_status.is_empty() && own.iter().any(|a| a.source == Source::Model) {
                doc.review_status.push(STATUS_UNREVIEWED.into());
            }
            doc.applications = self.applications(&own);
            f(doc)?;
        }
        Ok(())
    }
}

const VERBATIM_SQL: &str = "SELECT v.id, v.text, d.channel, d.date, d.dealer, d.vehicle_model, d.nps
     FROM verbatim v JOIN document d ON d.id = v.document_id";

fn verbatim_doc(r: &rusqlite::Row<'_>) -> Result<SearchDoc> {
    let date: Option<String> = r.get(3)?;
    Ok(SearchDoc {
        verbatim_id: r.get::<_, i64>(0)? as u64,
        text: r.get(1)?,
        channel: r.get(2)?,
        date: date.as_deref().and_then(parse_date),
        dealer: r.get(4)?,
        vehicle_model: r.get(5)?,
        nps: r.get::<_, Option<i64>>(6)?.map(|n| n as u64),
        applications: Vec::new(),
        review_status: Vec::new(),
    })
}

/// `YYYY-MM-DD`, possibly followed by a time.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn parse_polarity(p: Option<String>) -> Option<Polarity> {
    p.and_then(|p| p.parse().ok())
}

/// `label_event.source` as the index shows it: `review` labels are reviewed, the rest human.
fn label_source(source: &str) -> Source {
    match source {
        "review" => Source::Reviewed,
        "model" => Source::Model,
        _ => Source::Human,
    }
}

/// Loads single documents for an incremental refresh.
struct DocLoader<'c> {
    context: DocContext,
    verbatim: rusqlite::Statement<'c>,
    labels: rusqlite::Statement<'c>,
    predictions: rusqlite::Statement<'c>,
    statuses: rusqlite::Statement<'c>,
}

impl<'c> DocLoader<'c> {
    fn new(conn: &'c Connection, context: &DocContext) -> Result<DocLoader<'c>> {
        Ok(DocLoader {
            context: DocContext { paths: context.paths.clone(), numbers: context.numbers.clone(), models: context.models.clone() },
            verbatim: conn.prepare(&format!("{VERBATIM_SQL} WHERE v.id = ?1"))?,
            labels: conn.prepare("SELECT code_id, polarity, source FROM current_label WHERE verbatim_id = ?1")?,
            predictions: conn.prepare(
                "SELECT code_id, polarity, confidence FROM prediction WHERE verbatim_id = ?1 AND model_id IN (SELECT value FROM json_each(?2))",
            )?,
            statuses: conn.prepare(&format!("SELECT * FROM ({}) WHERE verbatim_id = ?1", review::ITEM_STATUS_SQL))?,
        })
    }

    fn load(&mut self, id: i64) -> Result<Option<SearchDoc>> {
        let Some(mut doc) = self.verbatim.query_row([id], |r| Ok(verbatim_doc(r))).optional()?.transpose()? else {
            return Ok(None);
        };
        let mut apps = Vec::new();
        let mut rows = self.labels.query([id])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            apps.push(App {
                code: self.context.number(&code),
                polarity: parse_polarity(r.get(1)?),
                source: label_source(&r.get::<_, String>(2)?),
                confidence: None,
            });
        }
        let mut rows = self.predictions.query(params![id, self.context.models])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            apps.push(App { code: self.context.number(&code), polarity: parse_polarity(r.get(1)?), source: Source::Model, confidence: Some(r.get(2)?) });
        }
        let mut rows = self.statuses.query([id])?;
        while let Some(r) = rows.next()? {
            doc.review_status.push(review::status_of(r.get::<_, Option<String>>(1)?.as_deref()).into());
        }
        if doc.review_status.is_empty() && apps.iter().any(|a| a.source == Source::Model) {
            doc.review_status.push(STATUS_UNREVIEWED.into());
        }
        doc.applications = self.context.applications(&apps);
        Ok(Some(doc))
    }
}
