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
