//! Inter-coder agreement: percent agreement, Cohen's kappa (two coders) and Krippendorff's alpha
//! (any number of coders, missing values allowed), per code and pooled, plus adjudication.

use crate::error::Result;
use crate::labels::coder_id;
use crate::project::Project;
use rusqlite::params;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vocwb_types::Polarity;

/// Krippendorff's alpha for nominal data. `units[u]` holds the values the coders gave unit `u`
/// (`None` = that coder gave none). Units with fewer than two values are not pairable and ignored.
/// Returns `None` when no unit is pairable; 1.0 when every value is the same (no disagreement is possible).
pub fn krippendorff_alpha_nominal<V: Ord + Clone>(units: &[Vec<Option<V>>]) -> Option<f64> {
    // Coincidence matrix: each ordered pair of values within a unit adds 1 / (m_u - 1).
    let mut o: BTreeMap<(V, V), f64> = BTreeMap::new();
    for unit in units {
        let values: Vec<&V> = unit.iter().flatten().collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    *o.entry(((*a).clone(), (*b).clone())).or_default() += 1.0 / (m as f64 - 1.0);
                }
            }
        }
    }
    if o.is_empty() {
        return None;
    }
    let mut n_c: BTreeMap<V, f64> = BTreeMap::new();
    for ((c, _), w) in &o {
        *n_c.entry(c.clone()).or_default() += w;
    }
    let n: f64 = n_c.values().sum();
    let observed: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, w)| w).sum();
    let totals: Vec<f64> = n_c.values().copied().collect();
    let mut expected_pairs = 0.0;
    for (i, a) in totals.iter().enumerate() {
        for (j, b) in totals.iter().enumerate() {
            if i != j {
                expected_pairs += a * b;
            }
        }
    }
    if expected_pairs == 0.0 {
        return Some(1.0);
    }
    Some(1.0 - (n - 1.0) * observed / expected_pairs)
}

/// Cohen's kappa for two coders' values on the same units.
pub fn cohen_kappa<V: Ord + Clone>(pairs: &[(V, V)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: BTreeMap<&V, f64> = BTreeMap::new();
    let mut second: BTreeMap<&V, f64> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(a).or_default() += 1.0;
        *second.entry(b).or_default() += 1.0;
    }
    let expected: f64 = first.iter().map(|(v, c)| c / n * second.get(v).copied().unwrap_or(0.0) / n).sum();
    if (1.0 - expected).abs() < f64::EPSILON {
        return Some(1.0);
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Share of agreeing pairs of values among all pairs, pooled over units.
pub fn percent_agreement<V: PartialEq>(units: &[Vec<Option<V>>]) -> Option<f64> {
    let (mut agree, mut pairs) = (0usize, 0usize);
    for unit in units {
        let values: Vec<&V> = unit.iter().flatten().collect();
        for i in 0..values.len() {
            for j in i + 1..values.len() {
                pairs += 1;
                if values[i] == values[j] {
                    agree += 1;
                }
            }
        }
    }
    (pairs > 0).then(|| agree as f64 / pairs as f64)
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeAgreement {
    pub name: String,
    pub units: u64,
    pub krippendorff_alpha: Option<f64>,
    pub cohen_kappa: Option<f64>,
    pub percent_agreement: Option<f64>,
}

/// A unit where coders differ: on whether the code applies, or on its polarity.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub verbatim_id: i64,
    pub code_id: String,
    /// Coder → polarity they gave (`None`: they did not apply the code).
    pub values: BTreeMap<String, Option<String>>,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementReport {
    /// Pooled over every verbatim two or more coders labelled × every code applied in that overlap;
    /// a unit is the code's presence or absence, polarity aside.
    pub krippendorff_alpha: f64,
    pub percent_agreement: f64,
    /// Only when exactly two coders take part.
    pub cohen_kappa: Option<f64>,
    pub coders: Vec<String>,
    pub verbatims: u64,
    pub units: u64,
    pub per_code: BTreeMap<String, CodeAgreement>,
    pub disagreements: Vec<Disagreement>,
}

impl Project {
    /// Agreement between human coders on the verbatims that two or more of them labelled.
    /// Adjudicated labels are not a coder's and do not count.
    pub fn agreement(&self) -> Result<AgreementReport> {
        let mut st = self.conn.prepare(
            "SELECT l.verbatim_id, l.code_id, l.polarity, c.name FROM current_label l JOIN coder c ON c.id = l.coder_id
             WHERE l.source IN ('human', 'review', 'migration')
               AND l.verbatim_id IN (SELECT verbatim_id FROM current_label WHERE source IN ('human', 'review', 'migration')
                                     GROUP BY verbatim_id HAVING COUNT(DISTINCT coder_id) >= 2)",
        )?;
        // verbatim → coder → code → polarity
        let mut by_verbatim: BTreeMap<i64, BTreeMap<String, BTreeMap<String, Option<String>>>> = BTreeMap::new();
        let mut codes: BTreeSet<String> = BTreeSet::new();
        let mut coders: BTreeSet<String> = BTreeSet::new();
        for row in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, String>(3)?)))? {
            let (v, code, polarity, coder) = row?;
            codes.insert(code.clone());
            coders.insert(coder.clone());
            by_verbatim.entry(v).or_default().entry(coder).or_default().insert(code, polarity);
        }
        let names: HashMap<String, String> = {
            let frame = self.frame_draft()?;
            frame.codes.into_iter().map(|c| (c.id, c.name_zh)).collect()
        };
        let coder_list: Vec<String> = coders.into_iter().collect();
        let two = coder_list.len() == 2;
        let mut pooled_units: Vec<Vec<Option<bool>>> = Vec::new();
        let mut pooled_pairs: Vec<(bool, bool)> = Vec::new();
        let mut per_code = BTreeMap::new();
        let mut disagreements = Vec::new();
        for code in &codes {
            let mut units = Vec::new();
            let mut pairs = Vec::new();
            for (v, by_coder) in &by_verbatim {
                let unit: Vec<Option<bool>> = coder_list
                    .iter()
                    .map(|c| by_coder.get(c).map(|labels| labels.contains_key(code)))
                    .collect();
                if two {
                    if let [Some(a), Some(b)] = unit[..] {
                        pairs.push((a, b));
                    }
                }
                let given: Vec<bool> = unit.iter().flatten().copied().collect();
                let present: BTreeMap<String, Option<String>> = by_coder
                    .iter()
                    .map(|(c, labels)| (c.clone(), labels.get(code).cloned().flatten()))
                    .filter(|(c, _)| by_coder[c].contains_key(code))
                    .collect();
                if given.iter().any(|x| *x) {
                    let values: BTreeMap<String, Option<String>> =
                        by_coder.iter().map(|(c, labels)| (c.clone(), labels.get(code).cloned().flatten())).collect();
                    if given.iter().any(|x| !*x) {
                        disagreements.push(Disagreement { verbatim_id: *v, code_id: code.clone(), values, kind: "presence" });
                    } else if present.values().collect::<BTreeSet<_>>().len() > 1 {
                        disagreements.push(Disagreement { verbatim_id: *v, code_id: code.clone(), values, kind: "polarity" });
                    }
                }
                units.push(unit);
            }
            per_code.insert(
                code.clone(),
                CodeAgreement {
                    name: names.get(code).cloned().unwrap_or_default(),
                    units: units.len() as u64,
                    krippendorff_alpha: krippendorff_alpha_nominal(&units),
                    cohen_kappa: if two { cohen_kappa(&pairs) } else { None },
                    percent_agreement: percent_agreement(&units),
                },
            );
            pooled_units.extend(units);
            pooled_pairs.extend(pairs);
        }
        Ok(AgreementReport {
            krippendorff_alpha: krippendorff_alpha_nominal(&pooled_units).unwrap_or(f64::NAN),
            percent_agreement: percent_agreement(&pooled_units).unwrap_or(f64::NAN),
            cohen_kappa: if two { cohen_kappa(&pooled_pairs) } else { None },
            verbatims: by_verbatim.len() as u64,
            units: pooled_units.len() as u64,
            coders: coder_list,
            per_code,
            disagreements,
        })
    }

    /// Settles a disagreement: the adjudicator's decision becomes the label of record
    /// (`Some(polarity)`: the code applies; `None`: it does not).
    pub fn adjudicate(&mut self, adjudicator: &str, verbatim_id: i64, code_id: &str, polarity: Option<Polarity>) -> Result<()> {
        let version = crate::frame::store::latest_version(&self.conn)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let coder = coder_id(&tx, adjudicator)?;
        tx.execute(
            "INSERT INTO label_event (verbatim_id, code_id, polarity, action, coder_id, source, frame_version, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'adjudicated', ?6, ?7)",
            params![
                verbatim_id,
                code_id,
                polarity.map(|p| p.as_str()),
                if polarity.is_some() { "apply" } else { "remove" },
                coder,
                version,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Per (verbatim, code): who adjudicated and what (`Some(polarity)`: the code applies;
/// `None`: it does not).
pub type Adjudications = BTreeMap<(i64, String), (String, Option<Polarity>)>;

impl Project {
    /// The latest adjudication of each (verbatim, code).
    pub fn adjudications(&self) -> Result<Adjudications> {
        let mut st = self.conn.prepare(
            "SELECT e.verbatim_id, e.code_id, e.action, e.polarity, c.name FROM label_event e JOIN coder c ON c.id = e.coder_id
             WHERE e.source = 'adjudicated'
               AND e.id = (SELECT MAX(x.id) FROM label_event x
                           WHERE x.verbatim_id = e.verbatim_id AND x.code_id = e.code_id AND x.source = 'adjudicated')",
        )?;
        let rows = st.query_map([], |r| {
            let action: String = r.get(2)?;
            let polarity: Option<String> = r.get(3)?;
            let decided = if action == "apply" { polarity.and_then(|p| p.parse::<Polarity>().ok()) } else { None };
            Ok(((r.get::<_, i64>(0)?, r.get::<_, String>(1)?), (r.get::<_, String>(4)?, decided)))
        })?;
        Ok(rows.collect::<rusqlite::Result<BTreeMap<_, _>>>()?)
    }

    /// [`Project::agreement`] as the labelling screen shows it: code names, verbatim texts,
    /// and each disagreement's decision once adjudicated. Values that cannot be computed
    /// (no overlap yet) are `None`.
    pub fn agreement_view(&self) -> Result<vocwb_types::label::AgreementView> {
        use vocwb_types::label::{AgreementView, CodeAgreementView, CoderValue, Decision, DisagreementView};
        let report = self.agreement()?;
        let frame = self.frame_draft()?;
        let short = |id: &str| frame.get(id).map(|c| c.short_code.clone()).unwrap_or_default();
        let decisions = self.adjudications()?;
        let finite = |x: f64| x.is_finite().then_some(x);
        let mut text_of = self.conn.prepare("SELECT text FROM verbatim WHERE id = ?1")?;
        let mut disagreements = Vec::new();
        for d in &report.disagreements {
            let text: String = text_of.query_row([d.verbatim_id], |r| r.get(0))?;
            disagreements.push(DisagreementView {
                verbatim_id: d.verbatim_id,
                text,
                short_code: short(&d.code_id),
                name_zh: report.per_code.get(&d.code_id).map(|c| c.name.clone()).unwrap_or_default(),
                kind: d.kind.to_string(),
                values: d
                    .values
                    .iter()
                    .map(|(coder, p)| {
                        let polarity = p.as_deref().and_then(|p| p.parse::<Polarity>().ok());
                        CoderValue { coder: coder.clone(), polarity, applied: polarity.is_some() }
                    })
                    .collect(),
                decision: decisions
                    .get(&(d.verbatim_id, d.code_id.clone()))
                    .map(|(who, polarity)| Decision { adjudicator: who.clone(), polarity: *polarity }),
                code_id: d.code_id.clone(),
            });
        }
        Ok(AgreementView {
            krippendorff_alpha: finite(report.krippendorff_alpha),
            cohen_kappa: report.cohen_kappa.and_then(finite),
            percent_agreement: finite(report.percent_agreement),
            coders: report.coders.clone(),
            verbatims: report.verbatims,
            units: report.units,
            per_code: report
                .per_code
                .iter()
                .map(|(id, c)| CodeAgreementView {
                    code_id: id.clone(),
                    short_code: short(id),
                    name_zh: c.name.clone(),
                    units: c.units,
                    krippendorff_alpha: c.krippendorff_alpha.and_then(finite),
                    cohen_kappa: c.cohen_kappa.and_then(finite),
                    percent_agreement: c.percent_agreement.and_then(finite),
                })
                .collect(),
            disagreements,
        })
    }
}
