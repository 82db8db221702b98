//! Moving a project's labels to a newer frame version by following the recorded operations.
//!
//! Renamed, edited and moved codes keep their labels; labels of a merged code become labels of the
//! code it merged into; labels of split or retired codes go to the review queue. Old label events
//! stay, linked to the version they were made under: migration only adds events.

use super::store::FrameOp;
pub use vocwb_types::frame::MigrationReport;
use crate::error::{Error, Result};
use crate::project::Project;
use rusqlite::params;
use std::collections::BTreeMap;

enum Outcome {
    Carried { code: String, via: &'static str },
    Review { via: &'static str, candidates: Vec<String> },
}

/// Follows one code through the operations, in order.
fn follow(code: &str, ops: &[FrameOp]) -> Outcome {
    let mut at = code.to_string();
    let mut via = "unchanged";
    for op in ops {
        match op {
            FrameOp::Merge { from, into } if *from == at => {
                at = into.clone();
                via = "merge";
            }
            FrameOp::Split { from, into } if *from == at => {
                return Outcome::Review { via: "split", candidates: into.iter().map(|c| c.id.clone()).collect() };
            }
            FrameOp::Retire { id } if *id == at => return Outcome::Review { via: "retire", candidates: vec![] },
            FrameOp::Rename { id, .. } if *id == at && via == "unchanged" => via = "rename",
            FrameOp::Move { id, .. } if *id == at && via == "unchanged" => via = "move",
            FrameOp::Edit { code } if code.id == at && via == "unchanged" => via = "edit",
            _ => {}
        }
    }
    Outcome::Carried { code: at, via }
}

/// An open review-queue item: (verbatim id, old code id, reason, candidate code ids).
pub type ReviewItem = (i64, String, String, Vec<String>);

impl Project {
    /// Migrates every current label made under an older version to version `to` (default: the latest).
    pub fn migrate_labels(&mut self, to: Option<i64>) -> Result<MigrationReport> {
        let latest = super::store::latest_version(&self.conn)?
            .ok_or_else(|| Error::NotFound("no published frame version to migrate to".into()))?;
        let target = to.unwrap_or(latest);
        self.frame_version(target)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Operations grouped by the version they were published in.
        let mut ops_by_version: BTreeMap<i64, Vec<FrameOp>> = BTreeMap::new();
        {
            let mut st = tx.prepare("SELECT version, payload FROM frame_op WHERE version IS NOT NULL AND version <= ?1 ORDER BY id")?;
            for row in st.query_map([target], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
                let (v, payload) = row?;
                let op: FrameOp = serde_json::from_str(&payload).map_err(|e| Error::InvalidFrame(e.to_string()))?;
                ops_by_version.entry(v).or_default().push(op);
            }
        }
        // (verbatim, code, polarity, coder, frame version, span start, span end)
        type LabelRow = (i64, String, Option<String>, i64, Option<i64>, Option<i64>, Option<i64>);
        let labels: Vec<LabelRow> = {
            let mut st = tx.prepare(
                "SELECT verbatim_id, code_id, polarity, coder_id, frame_version, span_start, span_end
                 FROM current_label WHERE frame_version IS NULL OR frame_version < ?1 ORDER BY id",
            )?;
            let rows = st.query_map([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut report = MigrationReport { to_version: target, ..Default::default() };
        for (verbatim, code, polarity, coder, version, span_start, span_end) in labels {
            report.labels += 1;
            let ops: Vec<FrameOp> = ops_by_version
                .range(version.unwrap_or(0) + 1..=target)
                .flat_map(|(_, ops)| ops.iter().cloned())
                .collect();
            match follow(&code, &ops) {
                Outcome::Carried { code: new_code, via } => {
                    *report.by_operation.entry(via.to_string()).or_default() += 1;
                    report.carried += 1;
                    let already: bool = tx.query_row(
                        "SELECT COUNT(*) FROM current_label WHERE verbatim_id = ?1 AND code_id = ?2 AND coder_id = ?3 AND frame_version = ?4",
                        params![verbatim, new_code, coder, target],
                        |r| r.get::<_, i64>(0),
                    )? > 0;
                    if !already {
                        tx.execute(
                            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, span_start, span_end, created_at)
                             VALUES (?1, ?2, ?3, 'apply', ?4, 'migration', ?5, ?6, ?7, ?8)",
                            params![verbatim, new_code, polarity, coder, target, span_start, span_end, now],
                        )?;
                    }
                    if new_code != code {
                        tx.execute(
                            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, created_at)
                             VALUES (?1, ?2, ?3, 'remove', ?4, 'migration', ?5, ?6)",
                            params![verbatim, code, polarity, coder, target, now],
                        )?;
                    }
                }
                Outcome::Review { via, candidates } => {
                    *report.by_operation.entry(via.to_string()).or_default() += 1;
                    report.needs_review += 1;
                    tx.execute(
                        "INSERT INTO review_queue (verbatim_id, code_id, coder_id, reason, candidates, frame_version, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![verbatim, code, coder, via, serde_json::to_string(&candidates).expect("strings"), target, now],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// Open items of the review queue.
    pub fn review_queue(&self) -> Result<Vec<ReviewItem>> {
        let mut st = self.conn.prepare(
            "SELECT verbatim_id, code_id, reason, candidates FROM review_queue WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let c: String = r.get(3)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, serde_json::from_str(&c).unwrap_or_default()))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
