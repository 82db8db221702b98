//! The labelling queue: which verbatim a coder sees next, and everything shown beside it.

use crate::error::{Error, Result};
use crate::labels::{coder_id, Label};
use crate::project::Project;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use vocwb_types::Channel;

/// The order verbatims come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "order")]
pub enum QueueOrder {
    /// Import order.
    InOrder,
    /// A seeded shuffle: the same seed gives the same order.
    Random { seed: u64 },
    /// Most uncertain model prediction first (active learning); unpredicted verbatims last.
    Uncertainty,
}

/// Which verbatims the queue holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub channel: Option<Channel>,
    /// Inclusive date range, compared as text (ISO dates sort correctly).
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    /// Inclusive NPS range, e.g. (0, 6) for detractors.
    pub nps: Option<(i64, i64)>,
    /// Verbatims whose text contains this.
    pub text: Option<String>,
}

/// NPS bands by name.
pub fn nps_band(name: &str) -> Option<(i64, i64)> {
    match name {
        "detractor" | "detractors" => Some((0, 6)),
        "passive" | "passives" => Some((7, 8)),
        "promoter" | "promoters" => Some((9, 10)),
        _ => {
            let (a, b) = name.split_once('-')?;
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        }
    }
}

/// A verbatim with its context, as the labelling screen shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VerbatimView {
    pub verbatim_id: i64,
    pub text: String,
    pub document_id: String,
    pub channel: String,
    pub date: Option<String>,
    pub dealer: Option<String>,
    pub vehicle_model: Option<String>,
    pub nps: Option<i64>,
    pub speaker: String,
    /// Every turn of the document in order, this verbatim included.
    pub turns: Vec<Turn>,
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    pub position: i64,
    pub speaker: String,
    pub text: String,
    /// The verbatim id when the turn is codable; agent turns have none.
    pub verbatim_id: Option<i64>,
}

impl Project {
    /// The next `limit` verbatims for `coder`: those assigned to the coder first (double coding),
    /// then those nobody has labelled; skipped ones come after the rest.
    pub fn queue(&mut self, coder: &str, order: QueueOrder, filter: &QueueFilter, limit: usize) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let coder_id = coder_id(&tx, coder)?;
        tx.commit()?;
        let uncertainty = matches!(order, QueueOrder::Uncertainty);
        let sql = format!(
            "SELECT v.id,
                    EXISTS (SELECT 1 FROM assignment a WHERE a.verbatim_id = v.id AND a.coder_id = ?1) AS assigned,
                    EXISTS (SELECT 1 FROM queue_skip s WHERE s.verbatim_id = v.id AND s.coder_id = ?1) AS skipped,
                    {}
             FROM verbatim v JOIN document d ON d.id = v.document_id
             WHERE NOT EXISTS (SELECT 1 FROM current_label l WHERE l.verbatim_id = v.id AND l.coder_id = ?1)
               AND (EXISTS (SELECT 1 FROM assignment a WHERE a.verbatim_id = v.id AND a.coder_id = ?1)
                    OR NOT EXISTS (SELECT 1 FROM current_label l WHERE l.verbatim_id = v.id))
               AND (?2 IS NULL OR d.channel = ?2)
               AND (?3 IS NULL OR d.date >= ?3) AND (?4 IS NULL OR d.date <= ?4 || '~')
               AND (?5 IS NULL OR d.dealer = ?5) AND (?6 IS NULL OR d.vehicle_model = ?6)
               AND (?7 IS NULL OR d.nps BETWEEN ?7 AND ?8)
               AND (?9 IS NULL OR instr(v.text, ?9) > 0)
             ORDER BY v.id",
            if uncertainty {
                "(SELECT MIN(ABS(p.confidence - 0.5)) FROM prediction p WHERE p.verbatim_id = v.id)"
            } else {
                "NULL"
            }
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(
            params![
                coder_id,
                filter.channel.map(|c| c.as_str()),
                filter.date_from,
                filter.date_to,
                filter.dealer,
                filter.vehicle_model,
                filter.nps.map(|n| n.0),
                filter.nps.map(|n| n.1),
                filter.text
            ],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?, r.get::<_, Option<f64>>(3)?)),
        )?;
        let mut items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        match order {
            QueueOrder::InOrder => {}
            QueueOrder::Random { seed } => items.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed)),
            QueueOrder::Uncertainty => {
                items.sort_by(|a, b| match (a.3, b.3) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
            }
        }
        // Stable sorts keep the chosen order inside each group.
        items.sort_by_key(|&(_, assigned, skipped, _)| (skipped, !assigned));
        Ok(items.into_iter().take(limit).map(|i| i.0).collect())
    }

    /// Puts a verbatim at the end of the coder's queue.
    pub fn skip(&mut self, coder: &str, verbatim_id: i64) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder_id = coder_id(&tx, coder)?;
        tx.execute(
            "INSERT OR REPLACE INTO queue_skip (verbatim_id, coder_id, skipped_at) VALUES (?1, ?2, ?3)",
            params![verbatim_id, coder_id, chrono::Utc::now().to_rfc3339()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Assigns a seeded random sample of `size` verbatims to every coder in `coders` (the overlap
    /// for double coding). Returns the verbatim ids.
    pub fn assign_overlap(&mut self, coders: &[&str], size: usize, seed: u64, batch: &str) -> Result<Vec<i64>> {
        if coders.len() < 2 {
            return Err(Error::Forbidden("double coding needs at least two coders".into()));
        }
        let mut ids: Vec<i64> = {
            let mut st = self.conn.prepare("SELECT id FROM verbatim ORDER BY id")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        ids.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        ids.truncate(size);
        ids.sort_unstable();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for coder in coders {
            let c = coder_id(&tx, coder)?;
            for v in &ids {
                tx.execute(
                    "INSERT OR IGNORE INTO assignment (verbatim_id, coder_id, batch) VALUES (?1, ?2, ?3)",
                    params![v, c, batch],
                )?;
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// A verbatim with its document, surrounding turns and current labels.
    pub fn verbatim_view(&self, verbatim_id: i64) -> Result<VerbatimView> {
        type Row = (i64, String, String, String, String, Option<String>, Option<String>, Option<String>, Option<i64>);
        let (document, text, speaker, external_id, channel, date, dealer, model, nps): Row = self
            .conn
            .query_row(
                "SELECT d.id, v.text, v.speaker, d.external_id, d.channel, d.date, d.dealer, d.vehicle_model, d.nps
                 FROM verbatim v JOIN document d ON d.id = v.document_id WHERE v.id = ?1",
                [verbatim_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound(format!("no verbatim {verbatim_id}")),
                other => other.into(),
            })?;
        let mut st = self.conn.prepare(
            "SELECT position, speaker, text, id FROM verbatim WHERE document_id = ?1
             UNION ALL SELECT position, speaker, text, NULL FROM context_turn WHERE document_id = ?1
             ORDER BY 1",
        )?;
        let turns = st
            .query_map([document], |r| Ok(Turn { position: r.get(0)?, speaker: r.get(1)?, text: r.get(2)?, verbatim_id: r.get(3)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(VerbatimView {
            verbatim_id,
            text,
            document_id: external_id,
            channel,
            date,
            dealer,
            vehicle_model: model,
            nps,
            speaker,
            turns,
            labels: self.labels_of(verbatim_id)?,
        })
    }
}

/// How many turns the labelling screen shows on each side of the verbatim.
pub const CONTEXT_TURNS: usize = 3;

impl Project {
    /// A verbatim as the labelling screen shows it: text with lexicon terms marked, metadata,
    /// nearby turns, `coder`'s current labels and the codes the terms suggest.
    pub fn label_card(
        &self,
        verbatim_id: i64,
        coder: &str,
        codes: &crate::codesearch::CodeSearch,
        lexicon: &crate::frame::Lexicon,
    ) -> Result<vocwb_types::label::VerbatimCard> {
        use vocwb_types::label::{CurrentLabel, TermMark, TurnView, VerbatimCard};
        let view = self.verbatim_view(verbatim_id)?;
        let spans = crate::frame::highlight::find_terms(lexicon, &view.text);
        let mut suggested = Vec::new();
        for short in spans.iter().flat_map(|s| s.codes.iter()) {
            if let Some(hit) = codes.by_short_code(short) {
                if !suggested.contains(hit) {
                    suggested.push(hit.clone());
                }
            }
        }
        let at = view.turns.iter().position(|t| t.verbatim_id == Some(verbatim_id)).unwrap_or(0);
        let turns_total = view.turns.len();
        let turns = if turns_total > 1 {
            let from = at.saturating_sub(CONTEXT_TURNS);
            let to = (at + CONTEXT_TURNS + 1).min(turns_total);
            view.turns[from..to]
                .iter()
                .map(|t| TurnView {
                    speaker: t.speaker.clone(),
                    text: t.text.clone(),
                    current: t.verbatim_id == Some(verbatim_id),
                    codable: t.verbatim_id.is_some(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let labels = view
            .labels
            .iter()
            .filter(|l| l.coder == coder)
            .map(|l| {
                let hit = codes.get(&l.code_id);
                CurrentLabel {
                    code_id: l.code_id.clone(),
                    short_code: hit.map(|h| h.short_code.clone()).unwrap_or_default(),
                    name_zh: hit.map(|h| h.name_zh.clone()).unwrap_or_else(|| l.code_id.clone()),
                    polarity: l.polarity,
                }
            })
            .collect();
        Ok(VerbatimCard {
            verbatim_id,
            marks: spans.into_iter().map(|s| TermMark { start: s.start, end: s.end, term: s.term }).collect(),
            text: view.text,
            document_id: view.document_id,
            channel: view.channel.parse().ok(),
            date: view.date,
            dealer: view.dealer,
            vehicle_model: view.vehicle_model,
            nps: view.nps,
            turns,
            turns_total,
            labels,
            suggested,
        })
    }

    /// The next `count` cards of `coder`'s queue, leaving out `exclude` (the ones the window
    /// already holds).
    pub fn queue_cards(
        &mut self,
        coder: &str,
        request: &vocwb_types::label::QueueRequest,
        exclude: &[i64],
        count: usize,
        codes: &crate::codesearch::CodeSearch,
        lexicon: &crate::frame::Lexicon,
    ) -> Result<Vec<vocwb_types::label::VerbatimCard>> {
        use vocwb_types::label::QueueKind;
        let order = match request.kind {
            QueueKind::InOrder => QueueOrder::InOrder,
            QueueKind::Random => QueueOrder::Random { seed: request.seed },
            QueueKind::Uncertainty => QueueOrder::Uncertainty,
        };
        let filter = QueueFilter { channel: request.channel, ..QueueFilter::default() };
        let ids = self.queue(coder, order, &filter, count + exclude.len())?;
        ids.into_iter()
            .filter(|id| !exclude.contains(id))
            .take(count)
            .map(|id| self.label_card(id, coder, codes, lexicon))
            .collect()
    }
}
