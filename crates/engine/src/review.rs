//! QA review of auto-coded verbatims: draw a seeded sample of a model's predictions per code,
//! stratified by confidence band; record each reviewer decision; turn decisions into labels
//! (`label_event.source = 'review'`); and report precision, confusion and agreement.
//!
//! A sample is recorded (`review_sample` with its seed and parameters, `review_item` with each
//! drawn prediction), and drawing again with the same seed from the same predictions gives the
//! same items. Decisions are never overwritten: a new decision on an item is a new row, the
//! latest one counts, and the labels of the previous one are taken back.
//!
//! **Limitations:** precision is about the predicted code; a model's missed codes are only seen
//! when a reviewer adds them to a drawn item (recall needs a sample of unpredicted verbatims).

use crate::error::{Error, Result};
use crate::frame::CodeStatus;
use crate::labels::coder_id;
use crate::project::Project;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
pub use vocwb_types::review::*;
use vocwb_types::Role;

/// Review states of a verbatim as the search index shows them.
pub const STATUS_UNREVIEWED: &str = "unreviewed";
pub const STATUS_PENDING: &str = "pending";
pub const STATUS_ACCEPTED: &str = "accepted";
pub const STATUS_CORRECTED: &str = "corrected";
pub const STATUS_REJECTED: &str = "rejected";

/// z for a two-sided 95% interval, as printed in textbooks (1.959964 rounded).
pub const Z_95: f64 = 1.96;


/// Each review item's verbatim and latest decision (`NULL` while undecided).
pub(crate) const ITEM_STATUS_SQL: &str = "SELECT i.verbatim_id AS verbatim_id,
        (SELECT d.decision FROM review_decision d WHERE d.sample_id = i.sample_id AND d.position = i.position
         ORDER BY d.id DESC LIMIT 1) AS decision
     FROM review_item i";

pub(crate) fn status_of(decision: Option<&str>) -> &'static str {
    match decision {
        None => STATUS_PENDING,
        Some("accept") => STATUS_ACCEPTED,
        Some("correct") => STATUS_CORRECTED,
        Some(_) => STATUS_REJECTED,
    }
}

/// The models whose predictions count: the active ones, else the most recent.
pub fn current_models(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare("SELECT id FROM model WHERE active != 0 ORDER BY id")?;
    let active: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if !active.is_empty() {
        return Ok(active);
    }
    let latest: Option<String> =
        conn.query_row("SELECT id FROM model ORDER BY created_at DESC, id DESC LIMIT 1", [], |r| r.get(0)).optional()?;
    Ok(latest.into_iter().collect())
}

/// What `review_sample.params` holds: the parameters plus the strata found when drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredParams {
    params: SampleParams,
    model_id: String,
    strata: Vec<Stratum>,
}

/// Whether the predicted code was right, by the decision on it.
pub fn code_correct(d: &Decision, predicted: &str) -> bool {
    match d.decision.as_str() {
        "accept" => true,
        "reject" => false,
        _ => d.added || d.corrected_code.as_deref().is_none_or(|c| c == predicted),
    }
}

/// Whether the predicted polarity was right too (only when the code was).
pub fn polarity_correct(d: &Decision, predicted: &str) -> bool {
    code_correct(d, predicted) && (d.added || d.decision == "accept" || d.corrected_polarity.is_none())
}

/// `successes` of `n` with its Wilson 95% interval.
pub fn proportion(successes: u64, n: u64) -> Proportion {
    let interval = wilson(successes, n);
    Proportion {
        successes,
        n,
        value: (n > 0).then(|| successes as f64 / n as f64),
        low: interval.map(|i| i.0),
        high: interval.map(|i| i.1),
    }
}

/// The Wilson score interval for `successes` out of `n` at 95% (z = [`Z_95`]); `None` for n = 0.
///
/// centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
pub fn wilson(successes: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z2) = (n as f64, successes as f64 / n as f64, Z_95 * Z_95);
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn band_names(bounds: &[f64]) -> Vec<String> {
    let mut edges = vec![0.0];
    edges.extend_from_slice(bounds);
    edges.push(1.0);
    (0..edges.len() - 1)
        .map(|i| {
            let close = if i + 2 == edges.len() { ']' } else { ')' };
            format!("[{:.2},{:.2}{close}", edges[i], edges[i + 1])
        })
        .collect()
}

fn band_of(bounds: &[f64], confidence: f64) -> usize {
    bounds.iter().position(|&b| confidence < b).unwrap_or(bounds.len())
}

/// Spreads `k` draws over strata of the given sizes: one at a time, round-robin, skipping full
/// strata, so every band gets an even share and a small band's leftover goes to the others.
fn allocate(sizes: &[usize], k: usize) -> Vec<usize> {
    let mut taken = vec![0; sizes.len()];
    let mut left = k.min(sizes.iter().sum());
    while left > 0 {
        for (t, &size) in taken.iter_mut().zip(sizes) {
            if left > 0 && *t < size {
                *t += 1;
                left -= 1;
            }
        }
    }
    taken
}

/// A generator per stratum, so a stratum's draw depends only on the seed, its code and band.
fn stratum_rng(seed: u64, code: &str, band: &str) -> ChaCha8Rng {
    let digest = Sha256::digest(format!("{seed}\u{1f}{code}\u{1f}{band}").as_bytes());
    let mut key = [0u8; 32];
    key.copy_from_slice(&digest);
    ChaCha8Rng::from_seed(key)
}

impl Project {
    /// Draws and records a review sample of the model's predictions.
    pub fn draw_review_sample(&mut self, params: &SampleParams) -> Result<ReviewSample> {
        if params.reviewer.trim().is_empty() {
            return Err(Error::Forbidden("a review sample needs a reviewer".into()));
        }
        if params.per_code == 0 {
            return Err(Error::Forbidden("the sample size per code must be at least 1".into()));
        }
        if params.bands.windows(2).any(|w| w[0] >= w[1]) || params.bands.iter().any(|&b| b <= 0.0 || b >= 1.0) {
            return Err(Error::Forbidden("band boundaries must be ascending and between 0 and 1".into()));
        }
        self.require_role(&params.reviewer, Role::Reviewer)?;
        let names = band_names(&params.bands);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let model_id = match &params.model_id {
            Some(m) => m.clone(),
            None => current_models(&tx)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::NotFound("the project has no model predictions to review".into()))?,
        };
        let codes: Vec<String> = if params.codes.is_empty() {
            let mut st = tx.prepare("SELECT DISTINCT code_id FROM prediction WHERE model_id = ?1 ORDER BY code_id")?;
            let codes = st.query_map([&model_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            codes
        } else {
            let mut c = params.codes.clone();
            c.sort();
            c.dedup();
            c
        };
        let mut strata = Vec::new();
        let mut drawn: Vec<(i64, String, Option<String>, f64, String)> = Vec::new();
        let mut st = tx.prepare(
            "SELECT verbatim_id, polarity, confidence FROM prediction WHERE model_id = ?1 AND code_id = ?2 ORDER BY verbatim_id",
        )?;
        for code in &codes {
            let mut by_band: Vec<Vec<(i64, Option<String>, f64)>> = vec![Vec::new(); names.len()];
            let rows = st.query_map(params![model_id, code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                let row: (i64, Option<String>, f64) = row?;
                by_band[band_of(&params.bands, row.2)].push(row);
            }
            let sizes: Vec<usize> = by_band.iter().map(Vec::len).collect();
            let take = allocate(&sizes, params.per_code);
            for (b, mut candidates) in by_band.into_iter().enumerate() {
                if candidates.is_empty() {
                    continue;
                }
                let mut rng = stratum_rng(params.seed, code, &names[b]);
                let (chosen, _) = candidates.partial_shuffle(&mut rng, take[b]);
                for (verbatim, polarity, confidence) in chosen.iter().cloned() {
                    drawn.push((verbatim, code.clone(), polarity, confidence, names[b].clone()));
                }
                strata.push(Stratum { code_id: code.clone(), band: names[b].clone(), population: sizes[b] as u64, drawn: take[b] as u64 });
            }
        }
        drop(st);
        if drawn.is_empty() {
            return Err(Error::NotFound(format!("model '{model_id}' has no predictions for the codes asked for")));
        }
        let created_at = now();
        let stored = StoredParams { params: params.clone(), model_id: model_id.clone(), strata: strata.clone() };
        tx.execute(
            "INSERT INTO review_sample (created_at, reviewer, seed, params) VALUES (?1, ?2, ?3, ?4)",
            params![created_at, params.reviewer, params.seed as i64, serde_json::to_string(&stored).expect("params serialise")],
        )?;
        let sample_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO review_item (sample_id, position, verbatim_id, code_id, polarity, confidence, model_id, band)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (i, (verbatim, code, polarity, confidence, band)) in drawn.iter().enumerate() {
                insert.execute(params![sample_id, i as i64 + 1, verbatim, code, polarity, confidence, model_id, band])?;
            }
        }
        tx.commit()?;
        self.review_sample(sample_id)
    }

    /// A recorded sample with its items and their latest decisions.
    pub fn review_sample(&self, sample_id: i64) -> Result<ReviewSample> {
        let (created_at, reviewer, seed, params): (String, String, i64, String) = self
            .conn
            .query_row("SELECT created_at, reviewer, seed, params FROM review_sample WHERE id = ?1", [sample_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no review sample {sample_id}")))?;
        let stored: StoredParams = serde_json::from_str(&params)
            .map_err(|e| Error::Forbidden(format!("review sample {sample_id} has unreadable parameters: {e}")))?;
        Ok(ReviewSample {
            id: sample_id,
            created_at,
            reviewer,
            seed: seed as u64,
            model_id: stored.model_id,
            params: stored.params,
            strata: stored.strata,
            items: self.review_items(Some(sample_id))?,
        })
    }

    /// Every recorded sample, newest first, without items.
    pub fn review_samples(&self) -> Result<Vec<ReviewSample>> {
        let mut st = self.conn.prepare("SELECT id FROM review_sample ORDER BY id DESC")?;
        let ids: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| {
                let mut s = self.review_sample(id)?;
                s.items.clear();
                Ok(s)
            })
            .collect()
    }

    fn review_items(&self, sample: Option<i64>) -> Result<Vec<ReviewItem>> {
        let mut st = self.conn.prepare(
            "SELECT i.sample_id, i.position, i.verbatim_id, i.code_id, i.polarity, i.confidence, i.model_id, i.band, v.text
             FROM review_item i JOIN verbatim v ON v.id = i.verbatim_id
             WHERE ?1 IS NULL OR i.sample_id = ?1 ORDER BY i.sample_id, i.position",
        )?;
        let rows = st.query_map([sample], |r| {
            Ok(ReviewItem {
                sample_id: r.get(0)?,
                position: r.get(1)?,
                verbatim_id: r.get(2)?,
                code_id: r.get(3)?,
                polarity: r.get::<_, Option<String>>(4)?.and_then(|p| p.parse().ok()),
                confidence: r.get(5)?,
                model_id: r.get(6)?,
                band: r.get(7)?,
                text: r.get(8)?,
                decision: None,
            })
        })?;
        let mut items: Vec<ReviewItem> = rows.collect::<rusqlite::Result<_>>()?;
        let mut latest = HashMap::new();
        for d in self.decisions(sample)? {
            latest.insert((d.sample_id, d.position), d);
        }
        for item in &mut items {
            item.decision = latest.remove(&(item.sample_id, item.position));
        }
        Ok(items)
    }

    /// Every decision (of one sample, or all), oldest first.
    pub fn review_decisions(&self, sample: Option<i64>) -> Result<Vec<Decision>> {
        self.decisions(sample)
    }

    fn decisions(&self, sample: Option<i64>) -> Result<Vec<Decision>> {
        let mut st = self.conn.prepare(
            "SELECT id, sample_id, position, decision, corrected_code, corrected_polarity, added, note, reviewer, created_at, label_events
             FROM review_decision WHERE ?1 IS NULL OR sample_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([sample], |r| {
            Ok(Decision {
                id: r.get(0)?,
                sample_id: r.get(1)?,
                position: r.get(2)?,
                decision: r.get(3)?,
                corrected_code: r.get(4)?,
                corrected_polarity: r.get::<_, Option<String>>(5)?.and_then(|p| p.parse().ok()),
                added: r.get::<_, i64>(6)? != 0,
                note: r.get(7)?,
                reviewer: r.get(8)?,
                created_at: r.get(9)?,
                label_events: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a reviewer's decision on one item and writes its labels, in one transaction.
    /// Only a QA reviewer may decide (the first one to decide in a project becomes one).
    ///
    /// Accepting applies the predicted code and polarity as the reviewer's label; rejecting
    /// records a removal of the code; a correction applies the corrected code and/or polarity
    /// (and removes a replaced code); adding a missed code applies both codes. Labels of an
    /// earlier decision on the same item that the new one does not keep are removed.
    pub fn decide_review_item(&mut self, sample_id: i64, position: i64, reviewer: &str, verdict: &Verdict, note: &str) -> Result<Decision> {
        self.require_role(reviewer, Role::Reviewer)?;
        let (version, frame) = self.labelling_frame()?;
        let check_code = |code: &str| -> Result<()> {
            match frame.get(code) {
                Some(c) if c.status == CodeStatus::Active => Ok(()),
                Some(_) => Err(Error::UnknownCode(format!("code '{code}' is retired in v{version}"))),
                None => Err(Error::UnknownCode(format!("no code '{code}' in v{version}"))),
            }
        };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (verbatim, predicted, predicted_polarity): (i64, String, Option<String>) = tx
            .query_row(
                "SELECT verbatim_id, code_id, polarity FROM review_item WHERE sample_id = ?1 AND position = ?2",
                params![sample_id, position],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no item {position} in review sample {sample_id}")))?;
        let plan = plan(verdict, &predicted, predicted_polarity.as_deref())?;
        if let Some(code) = &plan.corrected_code {
            check_code(code)?;
        }
        let Plan { decision, corrected_code, corrected_polarity, added, apply, remove } = plan;
        for (code, _) in &apply {
            check_code(code)?;
        }
        let coder = coder_id(&tx, reviewer)?;
        let created_at = now();
        // Take back what the previous decision on this item applied and this one does not.
        let previous: Option<String> = tx
            .query_row(
                "SELECT label_events FROM review_decision WHERE sample_id = ?1 AND position = ?2 ORDER BY id DESC LIMIT 1",
                params![sample_id, position],
                |r| r.get(0),
            )
            .optional()?;
        let mut take_back = Vec::new();
        if let Some(previous) = previous {
            let ids: Vec<i64> = serde_json::from_str(&previous).unwrap_or_default();
            for id in ids {
                let (code, action): (String, String) =
                    tx.query_row("SELECT code_id, action FROM label_event WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                if action == "apply" && !apply.iter().any(|(c, _)| *c == code) && !remove.contains(&code) {
                    take_back.push(code);
                }
            }
        }
        let mut events = Vec::new();
        let mut write = |tx: &Transaction<'_>, code: &str, polarity: Option<&str>, action: &str| -> Result<()> {
            tx.execute(
                "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'review', ?6, ?7)",
                params![verbatim, code, polarity, action, coder, version, created_at],
            )?;
            events.push(tx.last_insert_rowid());
            Ok(())
        };
        for code in take_back.iter().chain(&remove) {
            write(&tx, code, None, "remove")?;
        }
        for (code, polarity) in &apply {
            write(&tx, code, polarity.as_deref(), "apply")?;
        }
        tx.execute(
            "INSERT INTO review_decision (sample_id, position, decision, corrected_code, corrected_polarity, added, note, reviewer, created_at, label_events)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                sample_id,
                position,
                decision,
                corrected_code,
                corrected_polarity,
                added as i64,
                note,
                reviewer,
                created_at,
                serde_json::to_string(&events).expect("ids serialise")
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Decision {
            id,
            sample_id,
            position,
            decision: decision.into(),
            corrected_code,
            corrected_polarity: corrected_polarity.and_then(|p| p.parse().ok()),
            added,
            note: note.into(),
            reviewer: reviewer.into(),
            created_at,
            label_events: events,
        })
    }

    /// Precision per code, confusion and agreement over one sample, or every sample.
    pub fn review_report(&self, sample: Option<i64>) -> Result<ReviewReport> {
        let items = self.review_items(sample)?;
        let samples: Vec<i64> = match sample {
            Some(s) => {
                self.review_sample(s)?;
                vec![s]
            }
            None => {
                let mut st = self.conn.prepare("SELECT id FROM review_sample ORDER BY id")?;
                let ids = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                ids
            }
        };
        // Band populations: the largest seen for a code and band over the samples reported.
        let mut population: HashMap<(String, String), u64> = HashMap::new();
        for &s in &samples {
            for stratum in self.review_sample(s)?.strata {
                let p = population.entry((stratum.code_id, stratum.band)).or_default();
                *p = (*p).max(stratum.population);
            }
        }
        let frame = self.labelling_frame().ok().map(|(_, f)| f);
        #[derive(Default)]
        struct Tally {
            sampled: u64,
            decided: u64,
            correct: u64,
            bands: BTreeMap<String, (u64, u64)>,
        }
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        let mut confusion: BTreeMap<(String, Option<String>), u64> = BTreeMap::new();
        let mut missed: BTreeMap<(String, String), u64> = BTreeMap::new();
        let (mut decided, mut code_ok, mut exact_ok) = (0u64, 0u64, 0u64);
        let mut polarity_pairs: Vec<(String, String)> = Vec::new();
        for item in &items {
            let t = tallies.entry(item.code_id.clone()).or_default();
            t.sampled += 1;
            let Some(d) = &item.decision else { continue };
            decided += 1;
            t.decided += 1;
            let band = t.bands.entry(item.band.clone()).or_default();
            band.0 += 1;
            if code_correct(d, &item.code_id) {
                t.correct += 1;
                band.1 += 1;
                code_ok += 1;
                if polarity_correct(d, &item.code_id) {
                    exact_ok += 1;
                }
                let model = item.polarity.map(|p| p.as_str().to_string());
                let reviewer = if d.added || d.decision == "accept" { model.clone() } else { d.corrected_polarity.map(|p| p.as_str().into()).or(model.clone()) };
                if let (Some(m), Some(r)) = (model, reviewer) {
                    polarity_pairs.push((m, r));
                }
                if d.added {
                    *missed.entry((item.code_id.clone(), d.corrected_code.clone().unwrap_or_default())).or_default() += 1;
                }
            } else {
                *confusion.entry((item.code_id.clone(), d.corrected_code.clone())).or_default() += 1;
            }
        }
        let precision = tallies
            .into_iter()
            .map(|(code_id, t)| {
                let bands: Vec<BandPrecision> = t
                    .bands
                    .iter()
                    .map(|(band, &(n, k))| BandPrecision {
                        band: band.clone(),
                        population: population.get(&(code_id.clone(), band.clone())).copied().unwrap_or(0),
                        precision: proportion(k, n),
                    })
                    .collect();
                let weight: u64 = bands.iter().map(|b| b.population).sum();
                let weighted_precision = (weight > 0).then(|| {
                    bands.iter().map(|b| b.population as f64 * b.precision.value.unwrap_or(0.0)).sum::<f64>() / weight as f64
                });
                let code = frame.as_ref().and_then(|f| f.get(&code_id));
                CodePrecision {
                    short_code: code.map(|c| c.short_code.clone()).unwrap_or_default(),
                    name_zh: code.map(|c| c.name_zh.clone()).unwrap_or_default(),
                    code_id,
                    sampled: t.sampled,
                    precision: proportion(t.correct, t.decided),
                    weighted_precision,
                    bands,
                }
            })
            .collect();
        let mut confusion: Vec<Confusion> =
            confusion.into_iter().map(|((predicted, corrected), count)| Confusion { predicted, corrected, count }).collect();
        confusion.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.predicted, &a.corrected).cmp(&(&b.predicted, &b.corrected))));
        let missed = missed.into_iter().map(|((predicted, added), count)| Missed { predicted, added, count }).collect();
        let agreement = Agreement {
            decided,
            code: proportion(code_ok, decided),
            exact: proportion(exact_ok, decided),
            polarity: proportion(exact_ok, code_ok),
            polarity_kappa: crate::agreement::cohen_kappa(&polarity_pairs),
        };
        Ok(ReviewReport { samples, items: items.len() as u64, decided, precision, confusion, missed, agreement, rows: items })
    }
}

/// What a verdict writes: the decision row's fields, the (code, polarity) labels to apply and
/// the codes to remove.
struct Plan {
    decision: &'static str,
    corrected_code: Option<String>,
    corrected_polarity: Option<String>,
    added: bool,
    apply: Vec<(String, Option<String>)>,
    remove: Vec<String>,
}

fn plan(verdict: &Verdict, predicted: &str, predicted_polarity: Option<&str>) -> Result<Plan> {
    let predicted_polarity = predicted_polarity.map(str::to_string);
    let keep = (predicted.to_string(), predicted_polarity.clone());
    Ok(match verdict {
        Verdict::Accept => Plan { decision: "accept", corrected_code: None, corrected_polarity: None, added: false, apply: vec![keep], remove: vec![] },
        Verdict::Reject => Plan { decision: "reject", corrected_code: None, corrected_polarity: None, added: false, apply: vec![], remove: vec![predicted.into()] },
        Verdict::Correct { code, polarity } => {
            let code = code.clone().filter(|c| c != predicted);
            if code.is_none() && polarity.is_none() {
                return Err(Error::Forbidden("a correction changes the code, the polarity or both".into()));
            }
            let corrected_polarity = polarity.map(|p| p.as_str().to_string());
            let label_polarity = corrected_polarity.clone().or(predicted_polarity);
            match code {
                Some(c) => Plan {
                    decision: "correct",
                    corrected_code: Some(c.clone()),
                    corrected_polarity,
                    added: false,
                    apply: vec![(c, label_polarity)],
                    remove: vec![predicted.into()],
                },
                None => Plan {
                    decision: "correct",
                    corrected_code: None,
                    corrected_polarity,
                    added: false,
                    apply: vec![(predicted.into(), label_polarity)],
                    remove: vec![],
                },
            }
        }
        Verdict::AddMissing { code, polarity } => {
            if code == predicted {
                return Err(Error::Forbidden(format!("code '{code}' is the predicted code; accept or correct it instead")));
            }
            let polarity = polarity.as_str().to_string();
            Plan {
                decision: "correct",
                corrected_code: Some(code.clone()),
                corrected_polarity: Some(polarity.clone()),
                added: true,
                apply: vec![keep, (code.clone(), Some(polarity))],
                remove: vec![],
            }
        }
    })
}

/// Writes a report as a workbook: precision per code and band, confusion, missed codes,
/// agreement, and every reviewed item.
pub fn write_report_xlsx(report: &ReviewReport, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let xl = |e: rust_xlsxwriter::XlsxError| Error::io(path, std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let opt = |v: Option<f64>| v.unwrap_or(f64::NAN);

    let sheet = book.add_worksheet().set_name("Precision").map_err(xl)?;
    let head = ["code_id", "short_code", "name_zh", "band", "population", "sampled", "decided", "correct", "precision", "ci_low", "ci_high", "weighted_precision"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    let mut r = 1u32;
    for p in &report.precision {
        let mut row = |band: &str, population: Option<u64>, sampled: Option<u64>, q: &Proportion, weighted: Option<f64>| -> Result<()> {
            sheet.write_string(r, 0, &p.code_id).map_err(xl)?;
            sheet.write_string(r, 1, &p.short_code).map_err(xl)?;
            sheet.write_string(r, 2, &p.name_zh).map_err(xl)?;
            sheet.write_string(r, 3, band).map_err(xl)?;
            if let Some(v) = population {
                sheet.write_number(r, 4, v as f64).map_err(xl)?;
            }
            if let Some(v) = sampled {
                sheet.write_number(r, 5, v as f64).map_err(xl)?;
            }
            sheet.write_number(r, 6, q.n as f64).map_err(xl)?;
            sheet.write_number(r, 7, q.successes as f64).map_err(xl)?;
            for (c, v) in [(8u16, q.value), (9, q.low), (10, q.high), (11, weighted)] {
                if v.is_some() {
                    sheet.write_number_with_format(r, c, opt(v), &percent).map_err(xl)?;
                }
            }
            r += 1;
            Ok(())
        };
        row("all", None, Some(p.sampled), &p.precision, p.weighted_precision)?;
        for b in &p.bands {
            row(&b.band, Some(b.population), None, &b.precision, None)?;
        }
    }

    let sheet = book.add_worksheet().set_name("Confusion").map_err(xl)?;
    for (c, h) in ["predicted", "corrected_to", "count"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    for (i, c) in report.confusion.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &c.predicted).map_err(xl)?;
        sheet.write_string(r, 1, c.corrected.as_deref().unwrap_or("(rejected)")).map_err(xl)?;
        sheet.write_number(r, 2, c.count as f64).map_err(xl)?;
    }

    let sheet = book.add_worksheet().set_name("Missed").map_err(xl)?;
    for (c, h) in ["predicted", "added", "count"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    for (i, m) in report.missed.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &m.predicted).map_err(xl)?;
        sheet.write_string(r, 1, &m.added).map_err(xl)?;
        sheet.write_number(r, 2, m.count as f64).map_err(xl)?;
    }

    let sheet = book.add_worksheet().set_name("Agreement").map_err(xl)?;
    for (c, h) in ["measure", "agree", "n", "value", "ci_low", "ci_high"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    let a = &report.agreement;
    for (i, (name, q)) in [("code", &a.code), ("code and polarity", &a.exact), ("polarity, given the code", &a.polarity)].iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, *name).map_err(xl)?;
        sheet.write_number(r, 1, q.successes as f64).map_err(xl)?;
        sheet.write_number(r, 2, q.n as f64).map_err(xl)?;
        for (c, v) in [(3u16, q.value), (4, q.low), (5, q.high)] {
            if v.is_some() {
                sheet.write_number_with_format(r, c, opt(v), &percent).map_err(xl)?;
            }
        }
    }
    sheet.write_string(4, 0, "polarity kappa").map_err(xl)?;
    if let Some(k) = a.polarity_kappa {
        sheet.write_number(4, 3, k).map_err(xl)?;
    }

    let sheet = book.add_worksheet().set_name("Items").map_err(xl)?;
    let head = ["sample", "position", "verbatim_id", "code_id", "polarity", "confidence", "band", "decision", "corrected_code", "corrected_polarity", "added", "reviewer", "decided_at", "text"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    for (i, item) in report.rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, item.sample_id as f64).map_err(xl)?;
        sheet.write_number(r, 1, item.position as f64).map_err(xl)?;
        sheet.write_number(r, 2, item.verbatim_id as f64).map_err(xl)?;
        sheet.write_string(r, 3, &item.code_id).map_err(xl)?;
        sheet.write_string(r, 4, item.polarity.map(|p| p.as_str()).unwrap_or("")).map_err(xl)?;
        sheet.write_number(r, 5, item.confidence).map_err(xl)?;
        sheet.write_string(r, 6, &item.band).map_err(xl)?;
        if let Some(d) = &item.decision {
            sheet.write_string(r, 7, &d.decision).map_err(xl)?;
            sheet.write_string(r, 8, d.corrected_code.as_deref().unwrap_or("")).map_err(xl)?;
            sheet.write_string(r, 9, d.corrected_polarity.map(|p| p.as_str()).unwrap_or("")).map_err(xl)?;
            sheet.write_boolean(r, 10, d.added).map_err(xl)?;
            sheet.write_string(r, 11, &d.reviewer).map_err(xl)?;
            sheet.write_string(r, 12, &d.created_at).map_err(xl)?;
        }
        sheet.write_string(r, 13, &item.text).map_err(xl)?;
    }
    book.save(path).map_err(xl)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_even_and_small_bands_give_way() {
        assert_eq!(allocate(&[100, 100, 100, 100], 10), [3, 3, 2, 2]);
        assert_eq!(allocate(&[1, 0, 50, 50], 10), [1, 0, 5, 4]);
        assert_eq!(allocate(&[2, 3], 10), [2, 3]);
    }

    #[test]
    fn bands_are_named_and_found() {
        assert_eq!(band_names(&DEFAULT_BANDS), ["[0.00,0.50)", "[0.50,0.70)", "[0.70,0.90)", "[0.90,1.00]"]);
        assert_eq!([0.1, 0.5, 0.69, 0.9, 1.0].map(|c| band_of(&DEFAULT_BANDS, c)), [0, 1, 1, 3, 3]);
    }
}
