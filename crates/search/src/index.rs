//! The on-disk index: schema, create/open, adding and replacing documents, and the metadata
//! kept in tantivy's commit payload (tokenizer words, code ordinals and the caller's own state).

use crate::doc::{Application, SearchDoc};
use crate::error::{Error, Result};
use crate::tokenizer::{analyzer, TOKENIZER_NAME};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bumped whenever the schema or the meaning of a field changes; an index of another format is
/// refused by [`SearchIndex::open`] (the engine then rebuilds it).
pub const FORMAT: u32 = 1;

/// Field names, also used by fast-field collectors.
pub(crate) mod names {
    pub const VERBATIM_ID: &str = "verbatim_id";
    pub const TEXT: &str = "text";
    pub const APP: &str = "app";
    pub const APPS: &str = "apps";
    pub const CONFIDENCE: &str = "confidence";
    pub const CODE_CONF: &str = "code_conf";
    pub const CODE_SRC: &str = "code_src";
    pub const CHANNEL: &str = "channel";
    pub const DATE: &str = "date";
    pub const DEALER: &str = "dealer";
    pub const VEHICLE_MODEL: &str = "vehicle_model";
    pub const NPS: &str = "nps";
    pub const REVIEW: &str = "review";
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub verbatim_id: Field,
    pub text: Field,
    /// Keys pairing code (with ancestors), polarity and source; see [`app_key`].
    pub app: Field,
    /// Stored JSON of the applied codes, for display.
    pub apps: Field,
    /// Every model confidence on the verbatim (multi-valued f64 fast field).
    pub confidence: Field,
    /// `ordinal << 32 | confidence in millionths`, one per model prediction and ancestor, so a
    /// confidence range can be asked of one code.
    pub code_conf: Field,
    /// `ordinal * 4 + source`, one per applied code and ancestor, for counts per code.
    pub code_src: Field,
    pub channel: Field,
    pub date: Field,
    pub dealer: Field,
    pub vehicle_model: Field,
    pub nps: Field,
    pub review: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    use names::*;
    let mut b = Schema::builder();
    let num = || NumericOptions::default().set_indexed().set_fast().set_stored();
    let text_options = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        verbatim_id: b.add_u64_field(VERBATIM_ID, num()),
        text: b.add_text_field(TEXT, text_options),
        app: b.add_text_field(APP, STRING),
        apps: b.add_text_field(APPS, STORED),
        confidence: b.add_f64_field(CONFIDENCE, NumericOptions::default().set_fast()),
        code_conf: b.add_u64_field(CODE_CONF, NumericOptions::default().set_fast()),
        code_src: b.add_u64_field(CODE_SRC, NumericOptions::default().set_fast()),
        channel: b.add_text_field(CHANNEL, STRING | STORED),
        date: b.add_date_field(
            DATE,
            DateOptions::default().set_indexed().set_fast().set_stored().set_precision(DateTimePrecision::Seconds),
        ),
        dealer: b.add_text_field(DEALER, STRING | STORED),
        vehicle_model: b.add_text_field(VEHICLE_MODEL, STRING | STORED),
        nps: b.add_u64_field(NPS, num()),
        review: b.add_text_field(REVIEW, STRING | STORED),
    };
    (b.build(), fields)
}

/// What the index remembers about itself, written with every commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub format: u32,
    /// Words given to jieba as user dictionary (the lexicon); the query side must use the same.
    pub user_words: Vec<String>,
    /// Code ids by ordinal, for the fast fields; only ever appended to.
    pub codes: Vec<String>,
    /// The caller's own state, e.g. the engine's high-water marks.
    #[serde(default)]
    pub state: serde_json::Value,
}

/// An open index.
pub struct SearchIndex {
    pub(crate) dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) meta: IndexMeta,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).field("docs", &self.num_docs()).finish()
    }
}

impl SearchIndex {
    /// Creates an empty index in `dir`, replacing whatever was there.
    pub fn create(dir: &Path, user_words: Vec<String>) -> Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(Error::at(dir))?;
        index.tokenizers().register(TOKENIZER_NAME, analyzer(&user_words));
        let meta = IndexMeta { format: FORMAT, user_words, codes: Vec::new(), state: serde_json::Value::Null };
        // An empty first commit writes the payload, so a half-built index still opens and
        // tells what it is.
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).map_err(Error::at(dir))?;
        commit_with(&mut writer, &meta, dir)?;
        drop(writer);
        let reader = open_reader(&index, dir)?;
        Ok(SearchIndex { dir: dir.to_path_buf(), index, reader, fields, meta })
    }

    /// Opens an existing index; fails if it is missing, damaged or of another format.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::Missing(dir.display().to_string()));
        }
        let index = Index::open_in_dir(dir).map_err(Error::at(dir))?;
        let metas = index.load_metas().map_err(Error::at(dir))?;
        let payload = metas.payload.ok_or_else(|| Error::Incompatible(dir.display().to_string(), "no payload".into()))?;
        let meta: IndexMeta = serde_json::from_str(&payload)
            .map_err(|e| Error::Incompatible(dir.display().to_string(), format!("unreadable payload: {e}")))?;
        if meta.format != FORMAT {
            return Err(Error::Incompatible(
                dir.display().to_string(),
                format!("format {} (this build writes {FORMAT})", meta.format),
            ));
        }
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err(Error::Incompatible(dir.display().to_string(), "schema differs".into()));
        }
        index.tokenizers().register(TOKENIZER_NAME, analyzer(&meta.user_words));
        let reader = open_reader(&index, dir)?;
        Ok(SearchIndex { dir: dir.to_path_buf(), index, reader, fields, meta })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }

    /// Live documents, as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Starts a batch of additions and replacements, visible after [`IndexUpdate::commit`].
    /// `threads` indexing threads share `memory_bytes` (tantivy needs at least 15 MB each).
    pub fn update(&mut self, threads: usize, memory_bytes: usize) -> Result<IndexUpdate<'_>> {
        let threads = threads.max(1);
        let memory = memory_bytes.max(threads * 15_000_000);
        let writer = self.index.writer_with_num_threads(threads, memory).map_err(Error::at(&self.dir))?;
        let ordinals = self.meta.codes.iter().enumerate().map(|(i, c)| (c.clone(), i as u64)).collect();
        Ok(IndexUpdate { index: self, writer, ordinals })
    }

    /// The verbatim ids of every live document, ascending (for consistency checks).
    pub fn verbatim_ids(&self) -> Result<Vec<u64>> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(names::VERBATIM_ID).map_err(Error::at(&self.dir))?;
            for doc in 0..segment.max_doc() {
                if segment.is_deleted(doc) {
                    continue;
                }
                ids.extend(column.first(doc));
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }
}

fn open_reader(index: &Index, dir: &Path) -> Result<IndexReader> {
    index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(Error::at(dir))
}

fn commit_with(writer: &mut IndexWriter<TantivyDocument>, meta: &IndexMeta, dir: &Path) -> Result<()> {
    let payload = serde_json::to_string(meta).expect("the meta always serialises");
    let mut prepared = writer.prepare_commit().map_err(Error::at(dir))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(Error::at(dir))?;
    Ok(())
}

/// A batch of changes; nothing is visible until [`IndexUpdate::commit`], and dropping it
/// without committing discards the batch.
pub struct IndexUpdate<'a> {
    index: &'a mut SearchIndex,
    writer: IndexWriter<TantivyDocument>,
    ordinals: HashMap<String, u64>,
}

impl IndexUpdate<'_> {
    /// Adds a document; use [`IndexUpdate::upsert`] if the verbatim may already be indexed.
    pub fn add(&mut self, doc: &SearchDoc) -> Result<()> {
        let tantivy_doc = self.tantivy_doc(doc);
        self.writer.add_document(tantivy_doc).map_err(Error::at(&self.index.dir))?;
        Ok(())
    }

    /// Replaces the document of `doc.verbatim_id`, or adds it.
    pub fn upsert(&mut self, doc: &SearchDoc) -> Result<()> {
        self.delete(doc.verbatim_id);
        self.add(doc)
    }

    /// Removes a verbatim's document, if any.
    pub fn delete(&mut self, verbatim_id: u64) {
        self.writer.delete_term(Term::from_field_u64(self.index.fields.verbatim_id, verbatim_id));
    }

    /// Commits the batch with the caller's `state`, waits for merges, and reloads the reader.
    pub fn commit(mut self, state: serde_json::Value) -> Result<()> {
        let dir = self.index.dir.clone();
        let mut codes = self.index.meta.codes.clone();
        let mut added: Vec<(&String, &u64)> = self.ordinals.iter().filter(|(_, &o)| o as usize >= codes.len()).collect();
        added.sort_by_key(|(_, &o)| o);
        codes.extend(added.into_iter().map(|(c, _)| c.clone()));
        let meta = IndexMeta { codes, state, ..self.index.meta.clone() };
        commit_with(&mut self.writer, &meta, &dir)?;
        self.writer.wait_merging_threads().map_err(Error::at(&dir))?;
        self.index.meta = meta;
        self.index.reader.reload().map_err(Error::at(&dir))?;
        Ok(())
    }

    fn ordinal(&mut self, code: &str) -> u64 {
        let next = self.ordinals.len() as u64;
        *self.ordinals.entry(code.to_string()).or_insert(next)
    }

    fn tantivy_doc(&mut self, d: &SearchDoc) -> TantivyDocument {
        let f = self.index.fields;
        let mut doc = TantivyDocument::new();
        doc.add_u64(f.verbatim_id, d.verbatim_id);
        doc.add_text(f.text, &d.text);
        doc.add_text(f.channel, &d.channel);
        if let Some(date) = d.date {
            doc.add_date(f.date, date_time(date));
        }
        if let Some(dealer) = d.dealer.as_deref().filter(|s| !s.is_empty()) {
            doc.add_text(f.dealer, dealer);
        }
        if let Some(model) = d.vehicle_model.as_deref().filter(|s| !s.is_empty()) {
            doc.add_text(f.vehicle_model, model);
        }
        if let Some(nps) = d.nps {
            doc.add_u64(f.nps, nps);
        }
        for status in d.review_status.iter().collect::<BTreeSet<_>>() {
            doc.add_text(f.review, status);
        }
        let mut keys = BTreeSet::new();
        let mut code_src = BTreeSet::new();
        let mut code_conf = BTreeSet::new();
        for app in &d.applications {
            add_app_keys(app, &mut keys);
            let ords: Vec<u64> = app.code_path.iter().map(|c| self.ordinal(c)).collect();
            for &ord in &ords {
                code_src.insert(ord * 4 + crate::doc::source_index(app.source));
            }
            if let Some(conf) = app.confidence {
                doc.add_f64(f.confidence, conf);
                for &ord in &ords {
                    code_conf.insert(ord << 32 | millionths(conf));
                }
            }
        }
        for key in keys {
            doc.add_text(f.app, key);
        }
        for v in code_src {
            doc.add_u64(f.code_src, v);
        }
        for v in code_conf {
            doc.add_u64(f.code_conf, v);
        }
        if !d.applications.is_empty() {
            let shown: Vec<crate::doc::AppliedCode> = d
                .applications
                .iter()
                .map(|a| crate::doc::AppliedCode {
                    code_id: a.code().to_string(),
                    polarity: a.polarity,
                    source: a.source,
                    confidence: a.confidence,
                })
                .collect();
            doc.add_text(f.apps, serde_json::to_string(&shown).expect("codes serialise"));
        }
        doc
    }
}

/// The term pairing an optional code, polarity and source: `code|p:pain|s:model`, with `*` for
/// "any code". Index and query build keys with this one function, so they always agree.
pub(crate) fn app_key(code: Option<&str>, polarity: Option<&str>, source: Option<&str>) -> String {
    let mut key = String::from(code.unwrap_or("*"));
    if let Some(p) = polarity {
        key.push_str("|p:");
        key.push_str(p);
    }
    if let Some(s) = source {
        key.push_str("|s:");
        key.push_str(s);
    }
    key
}

fn add_app_keys(app: &Application, keys: &mut BTreeSet<String>) {
    let polarity = app.polarity.map(|p| p.as_str());
    let source = app.source.as_str();
    let codes = std::iter::once(None).chain(app.code_path.iter().map(|c| Some(c.as_str())));
    for code in codes {
        for p in [None, polarity] {
            for s in [None, Some(source)] {
                keys.insert(app_key(code, p, s));
            }
        }
    }
}

pub(crate) fn millionths(confidence: f64) -> u64 {
    (confidence.clamp(0.0, 1.0) * 1_000_000.0).round() as u64
}

pub(crate) fn date_time(date: chrono::NaiveDate) -> DateTime {
    let secs = date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp();
    DateTime::from_timestamp_secs(secs)
}
