//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! Each migration runs in its own transaction; a project written by a newer build is refused.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// Migration `i` upgrades a database from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // v1: sources, documents, verbatims and agent turns kept as context.
    r#"
    CREATE TABLE source_file (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        channel     TEXT NOT NULL,
        format      TEXT NOT NULL,
        encoding    TEXT NOT NULL,
        rows        INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL,
        UNIQUE (sha256, channel)
    );
    CREATE TABLE document (
        id            INTEGER PRIMARY KEY,
        source_id     INTEGER NOT NULL REFERENCES source_file(id),
        source_row    INTEGER NOT NULL,
        channel       TEXT NOT NULL,
        external_id   TEXT NOT NULL,
        date          TEXT,
        customer_id   TEXT,
        dealer        TEXT,
        vehicle_model TEXT,
        nps           INTEGER CHECK (nps BETWEEN 0 AND 10),
        meta          TEXT NOT NULL DEFAULT '{}',
        UNIQUE (channel, external_id)
    );
    CREATE INDEX document_source ON document(source_id);
    -- The unit that gets coded: a customer turn or one open-end answer.
    CREATE TABLE verbatim (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES document(id),
        position    INTEGER NOT NULL,
        speaker     TEXT NOT NULL,
        start_ms    INTEGER,
        text        TEXT NOT NULL,
        UNIQUE (document_id, position)
    );
    -- Agent turns of transcripts: shown as context, never coded.
    CREATE TABLE context_turn (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES document(id),
        position    INTEGER NOT NULL,
        speaker     TEXT NOT NULL,
        start_ms    INTEGER,
        text        TEXT NOT NULL,
        UNIQUE (document_id, position)
    );
    "#,
    // v2: the code frame (draft, operations, published versions), lexicon, coders and labels.
    r#"
    CREATE TABLE frame_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- The draft frame; published versions are immutable snapshots in frame_version.
    CREATE TABLE code (
        id            TEXT PRIMARY KEY,
        short_code    TEXT NOT NULL,
        parent_id     TEXT,
        name_zh       TEXT NOT NULL,
        name_en       TEXT NOT NULL DEFAULT '',
        definition_zh TEXT NOT NULL DEFAULT '',
        definition_en TEXT NOT NULL DEFAULT '',
        include_note  TEXT NOT NULL DEFAULT '',
        exclude_note  TEXT NOT NULL DEFAULT '',
        examples      TEXT NOT NULL DEFAULT '[]',
        owner         TEXT NOT NULL DEFAULT '',
        need_layer    TEXT NOT NULL DEFAULT 'basic',
        status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        sort          INTEGER NOT NULL
    );
    CREATE TABLE frame_version (
        number       INTEGER PRIMARY KEY,
        author       TEXT NOT NULL,
        published_at TEXT NOT NULL,
        changelog    TEXT NOT NULL,
        snapshot     TEXT NOT NULL
    );
    -- Edits as operations; version is NULL while they are part of the draft.
    CREATE TABLE frame_op (
        id         INTEGER PRIMARY KEY,
        version    INTEGER REFERENCES frame_version(number),
        kind       TEXT NOT NULL,
        payload    TEXT NOT NULL,
        author     TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE lexicon_term (
        term     TEXT PRIMARY KEY,
        variants TEXT NOT NULL DEFAULT '[]',
        gloss_en TEXT NOT NULL DEFAULT '',
        codes    TEXT NOT NULL DEFAULT '[]',
        polarity TEXT,
        sort     INTEGER NOT NULL
    );
    CREATE TABLE coder (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL DEFAULT 'researcher'
    );
    -- Labels are never updated in place: each apply or removal is an event.
    CREATE TABLE label_event (
        id            INTEGER PRIMARY KEY,
        verbatim_id   INTEGER NOT NULL REFERENCES verbatim(id),
        code_id       TEXT NOT NULL,
        polarity      TEXT,
        action        TEXT NOT NULL CHECK (action IN ('apply', 'remove')),
        coder_id      INTEGER NOT NULL REFERENCES coder(id),
        source        TEXT NOT NULL DEFAULT 'human',
        frame_version INTEGER,
        span_start    INTEGER,
        span_end      INTEGER,
        created_at    TEXT NOT NULL,
        -- An undo is an event that restores the state before the event it names.
        undoes        INTEGER REFERENCES label_event(id),
        -- A redo repeats the event an undo took back; it names that undo.
        redo_of       INTEGER REFERENCES label_event(id)
    );
    -- Verbatims assigned to coders, e.g. the overlap sample for double coding.
    CREATE TABLE assignment (
        verbatim_id INTEGER NOT NULL REFERENCES verbatim(id),
        coder_id    INTEGER NOT NULL REFERENCES coder(id),
        batch       TEXT NOT NULL,
        PRIMARY KEY (verbatim_id, coder_id)
    );
    -- Skipped verbatims come back at the end of the coder's queue.
    CREATE TABLE queue_skip (
        verbatim_id INTEGER NOT NULL REFERENCES verbatim(id),
        coder_id    INTEGER NOT NULL REFERENCES coder(id),
        skipped_at  TEXT NOT NULL,
        PRIMARY KEY (verbatim_id, coder_id)
    );
    CREATE INDEX label_event_key ON label_event(verbatim_id, code_id, coder_id, id);
    CREATE INDEX label_event_code ON label_event(code_id);
    -- The latest event per verbatim, code and coder, when it applies the code.
    CREATE VIEW current_label AS
        SELECT e.* FROM label_event e
        WHERE e.action = 'apply'
          AND e.id = (SELECT MAX(x.id) FROM label_event x
                      WHERE x.verbatim_id = e.verbatim_id AND x.code_id = e.code_id AND x.coder_id = e.coder_id);
    -- Verbatims whose label a frame change could not carry over (split or retired codes).
    CREATE TABLE review_queue (
        id            INTEGER PRIMARY KEY,
        verbatim_id   INTEGER NOT NULL REFERENCES verbatim(id),
        code_id       TEXT NOT NULL,
        coder_id      INTEGER NOT NULL REFERENCES coder(id),
        reason        TEXT NOT NULL,
        candidates    TEXT NOT NULL DEFAULT '[]',
        frame_version INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        resolved_at   TEXT
    );
    "#,
    // v3: models and their predictions, kept apart from human labels (owned by the classifier work).
    r#"
    CREATE TABLE model (
        id            TEXT PRIMARY KEY,
        created_at    TEXT NOT NULL,
        frame_version INTEGER,
        active        INTEGER NOT NULL DEFAULT 0,
        card          TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE prediction (
        verbatim_id INTEGER NOT NULL REFERENCES verbatim(id),
        code_id     TEXT NOT NULL,
        polarity    TEXT,
        confidence  REAL NOT NULL,
        model_id    TEXT NOT NULL REFERENCES model(id),
        created_at  TEXT NOT NULL,
        PRIMARY KEY (verbatim_id, code_id, model_id)
    );
    CREATE INDEX prediction_code ON prediction(code_id, confidence);
    "#,
    // v4: QA review of auto-coded verbatims (owned by the search & review work).
    r#"
    CREATE TABLE review_sample (
        id         INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        reviewer   TEXT NOT NULL,
        seed       INTEGER NOT NULL,
        params     TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE review_item (
        sample_id   INTEGER NOT NULL REFERENCES review_sample(id),
        position    INTEGER NOT NULL,
        verbatim_id INTEGER NOT NULL REFERENCES verbatim(id),
        code_id     TEXT NOT NULL,
        polarity    TEXT,
        confidence  REAL NOT NULL,
        model_id    TEXT NOT NULL,
        band        TEXT NOT NULL,
        PRIMARY KEY (sample_id, position)
    );
    CREATE INDEX review_item_verbatim ON review_item(verbatim_id);
    -- Decisions are never updated: a new decision on an item is a new row and the latest counts.
    CREATE TABLE review_decision (
        id                 INTEGER PRIMARY KEY,
        sample_id          INTEGER NOT NULL REFERENCES review_sample(id),
        position           INTEGER NOT NULL,
        decision           TEXT NOT NULL CHECK (decision IN ('accept', 'correct', 'reject')),
        corrected_code     TEXT,
        corrected_polarity TEXT,
        -- 1 when corrected_code was missed by the model and added beside the predicted code.
        added              INTEGER NOT NULL DEFAULT 0,
        note               TEXT NOT NULL DEFAULT '',
        reviewer           TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        -- The label_event ids (source 'review') this decision wrote, as a JSON array.
        label_events       TEXT NOT NULL DEFAULT '[]',
        FOREIGN KEY (sample_id, position) REFERENCES review_item(sample_id, position)
    );
    CREATE INDEX review_decision_item ON review_decision(sample_id, position, id);
    "#,
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > CURRENT_VERSION {
        return Err(Error::Forbidden(format!(
            "this project was written by a newer VoC Workbench (schema v{version}; this build knows v{CURRENT_VERSION})"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

pub(crate) fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table','view') AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )? > 0)
}
