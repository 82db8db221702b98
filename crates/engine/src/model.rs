//! Models of a project: train on its human labels, keep the better model active, auto-code the
//! verbatims no human has labelled, rank the rest for labelling, score a labelled file.
//!
//! Model files live in `derived/models/<model-id>/` (see `vocwb_classify::store`); the `model`
//! table registers them with their card, and predictions go to the `prediction` table, apart
//! from `label_event`.
//!
//! **Architecture Invariant:** auto-coding never writes a label: human labels (sources `human`
//! and `review`) are never overwritten, and verbatims that have one are not auto-coded at all.
//!
//! **Limitations:** a model is tied to the frame version it was trained on; after a publish,
//! codes it does not know are simply never predicted until the next training.

use crate::error::{Error, Result};
use crate::frame::CodeStatus;
use crate::progress::Progress;
use crate::project::Project;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;
use vocwb_classify::{DecisionRule, EvalReport, Example, LexiconEntry, Model, ModelCard, TrainEvent, TrainOptions, TrainSet};
use vocwb_types::{Polarity, ProgressEvent};

pub use vocwb_classify::{DecisionRule as Rule, TrainOptions as Options};

/// Label sources that count as ground truth: a person's labels and review corrections.
const HUMAN_SOURCES: &str = "('human', 'review')";

/// How many labelled verbatims a code has, for the Train screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeLabelCount {
    pub code_id: String,
    pub name: String,
    pub path: Vec<String>,
    pub verbatims: usize,
    pub by_polarity: BTreeMap<String, usize>,
    /// Under [`vocwb_classify::TOO_FEW`]: the model for this code will be weak.
    pub too_few: bool,
    /// Under the minimum to be modelled at all.
    pub skipped: bool,
}

/// What training would learn from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingData {
    pub frame_version: i64,
    pub labelled_verbatims: usize,
    pub unlabelled_verbatims: usize,
    pub codes: Vec<CodeLabelCount>,
    pub too_few_below: usize,
    pub min_examples: usize,
}

/// A registered model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInfo {
    pub id: String,
    pub created_at: String,
    pub frame_version: Option<i64>,
    pub active: bool,
    pub dir: PathBuf,
    pub card: serde_json::Value,
}

/// The result of training.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainOutcome {
    pub model_id: String,
    pub dir: PathBuf,
    pub activated: bool,
    /// Why it was or was not made active.
    pub reason: String,
    pub previous_active: Option<String>,
    pub card: ModelCard,
}

/// The result of auto-coding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutocodeReport {
    pub model_id: String,
    pub rule: DecisionRule,
    pub verbatims: u64,
    /// Verbatims left alone because a person labelled them.
    pub human_labelled: u64,
    pub predictions: u64,
    /// Verbatims the rule gave no code.
    pub uncoded: u64,
    pub seconds: f64,
    pub verbatims_per_second: f64,
    /// Of `seconds`, the time spent loading the model (a fixed cost per run).
    pub model_load_seconds: f64,
    /// Throughput once the model is loaded: read, predict and write.
    pub coding_verbatims_per_second: f64,
}

/// A verbatim for the labelling queue, most uncertain first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertain {
    pub verbatim_id: i64,
    pub uncertainty: f32,
    pub text: String,
}

/// A labelled file scored against the active model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileEval {
    pub model_id: String,
    pub file: String,
    pub rule: DecisionRule,
    #[serde(flatten)]
    pub report: EvalReport,
    pub code_names: BTreeMap<String, String>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn classify_error(e: vocwb_classify::Error, dir: &Path) -> Error {
    match e {
        vocwb_classify::Error::Cancelled => Error::Cancelled,
        vocwb_classify::Error::NotEnoughData(m) => Error::Forbidden(format!("cannot train: {m}")),
        vocwb_classify::Error::Io { path, source } => Error::Io { path, source },
        other => Error::Io { path: dir.display().to_string(), source: std::io::Error::other(other.to_string()) },
    }
}

/// Where a model's files live.
pub fn model_dir(project: &Project, id: &str) -> PathBuf {
    project.derived_dir().join("models").join(id)
}

/// The human labels of the latest frame version as training examples, plus the other texts.
fn training_set(project: &Project) -> Result<(TrainSet, Vec<i64>)> {
    let (version, frame) = project.labelling_frame()?;
    let active: HashMap<&str, &crate::frame::Code> =
        frame.codes.iter().filter(|c| c.status == CodeStatus::Active).map(|c| (c.id.as_str(), c)).collect();
    let conn = project.connection();
    let mut st = conn.prepare(&format!(
        "SELECT l.verbatim_id, l.code_id, l.polarity, v.text FROM current_label l JOIN verbatim v ON v.id = l.verbatim_id
         WHERE l.source IN {HUMAN_SOURCES} ORDER BY l.verbatim_id, l.id"
    ))?;
    let mut rows = st.query([])?;
    let mut examples: Vec<Example> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    while let Some(r) = rows.next()? {
        let (vid, code, polarity, text): (i64, String, Option<String>, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        if !active.contains_key(code.as_str()) {
            continue;
        }
        let polarity: Polarity = polarity.and_then(|p| p.parse().ok()).unwrap_or(Polarity::Neutral);
        if ids.last() != Some(&vid) {
            ids.push(vid);
            examples.push(Example { text, labels: Vec::new() });
        }
        let labels = &mut examples.last_mut().expect("pushed above").labels;
        // Several coders may label one verbatim: the latest polarity per code wins.
        match labels.iter_mut().find(|(c, _)| *c == code) {
            Some(l) => l.1 = polarity,
            None => labels.push((code, polarity)),
        }
    }
    let mut st = conn.prepare(&format!(
        "SELECT v.text FROM verbatim v WHERE NOT EXISTS
           (SELECT 1 FROM current_label l WHERE l.verbatim_id = v.id AND l.source IN {HUMAN_SOURCES}) ORDER BY v.id"
    ))?;
    let unlabelled: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let by_short: HashMap<&str, &str> = frame.codes.iter().map(|c| (c.short_code.as_str(), c.id.as_str())).collect();
    let lexicon = project
        .lexicon()?
        .terms
        .into_iter()
        .map(|t| {
            let mut terms = vec![t.term];
            terms.extend(t.variants);
            let codes = t.codes.iter().filter_map(|s| by_short.get(s.as_str()).map(|id| id.to_string())).collect();
            LexiconEntry { terms, codes, polarity: t.polarity }
        })
        .collect();
    let code_names = active.iter().map(|(id, c)| (id.to_string(), c.name_zh.clone())).collect();
    Ok((TrainSet { examples, unlabelled, lexicon, code_names, frame_version: Some(version) }, ids))
}

/// Label counts per code, with the too-few warnings the Train screen shows.
pub fn training_data(project: &Project, options: &TrainOptions) -> Result<TrainingData> {
    let (set, _) = training_set(project)?;
    let (version, frame) = project.labelling_frame()?;
    let mut counts: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for e in &set.examples {
        for (c, p) in &e.labels {
            let entry = counts.entry(c.clone()).or_default();
            entry.0 += 1;
            *entry.1.entry(p.as_str().to_string()).or_default() += 1;
        }
    }
    let codes = frame
        .codes
        .iter()
        .filter_map(|c| counts.remove(&c.id).map(|x| (c, x)))
        .map(|(c, (n, by))| {
            CodeLabelCount {
                code_id: c.id.clone(),
                name: c.name_zh.clone(),
                path: frame.path_names(&c.id),
                verbatims: n,
                by_polarity: by,
                too_few: n < vocwb_classify::TOO_FEW,
                skipped: n < options.min_examples,
            }
        })
        .collect();
    Ok(TrainingData {
        frame_version: version,
        labelled_verbatims: set.examples.len(),
        unlabelled_verbatims: set.unlabelled.len(),
        codes,
        too_few_below: vocwb_classify::TOO_FEW,
        min_examples: options.min_examples,
    })
}

/// The headline number two models are compared on: the mean of out-of-fold code and pair micro-F1.
fn score_of(card: &serde_json::Value) -> Option<f64> {
    let v = card.get("validation")?;
    Some((v.get("code_micro_f1")?.as_f64()? + v.get("pair_micro_f1")?.as_f64()?) / 2.0)
}

/// Trains on the project's human labels, reporting each stage to `on_event` (return `false`
/// to cancel). The model becomes active if there is no active model, if the active one was
/// made for another frame version, if it scores better on validation, or if `force`.
pub fn train_with(
    project: &mut Project,
    options: &TrainOptions,
    force: bool,
    on_event: &mut dyn FnMut(&TrainEvent) -> bool,
) -> Result<TrainOutcome> {
    let (set, _) = training_set(project)?;
    let id = format!("m{}-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S"), &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let dir = model_dir(project, &id);
    let model = vocwb_classify::train(&set, options, on_event).map_err(|e| classify_error(e, &dir))?;
    // Written beside, then renamed, so a model dir is either whole or absent.
    let tmp = project.derived_dir().join("models").join(format!(".{id}.tmp"));
    model.save(&tmp).map_err(|e| classify_error(e, &tmp))?;
    std::fs::rename(&tmp, &dir).map_err(|e| Error::io(&dir, e))?;
    let card_json = serde_json::to_value(&model.card).expect("a card serialises");
    let previous = active_model(project)?;
    let (activated, reason) = match &previous {
        _ if force => (true, "forced".to_string()),
        None => (true, "no model was active".to_string()),
        Some(p) if p.frame_version != set.frame_version => {
            (true, format!("the active model was made for frame v{}", p.frame_version.unwrap_or(0)))
        }
        Some(p) => match (score_of(&p.card), score_of(&card_json)) {
            (Some(old), Some(new)) if new >= old => (true, format!("validation score {new:.4} ≥ {old:.4} of {}", p.id)),
            (Some(old), Some(new)) => (false, format!("validation score {new:.4} < {old:.4} of {}", p.id)),
            _ => (true, "the active model has no validation score".to_string()),
        },
    };
    let tx = project.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if activated {
        tx.execute("UPDATE model SET active = 0 WHERE active != 0", [])?;
    }
    tx.execute(
        "INSERT INTO model (id, created_at, frame_version, active, card) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, now(), set.frame_version, activated as i64, card_json.to_string()],
    )?;
    tx.commit()?;
    Ok(TrainOutcome { model_id: id, dir, activated, reason, previous_active: previous.map(|p| p.id), card: model.card })
}

/// [`train_with`] reporting to a [`Progress`] sink: phase `train`, one step per fold.
pub fn train(project: &mut Project, options: &TrainOptions, force: bool, progress: &dyn Progress) -> Result<TrainOutcome> {
    train_with(project, options, force, &mut |e: &TrainEvent| {
        let message = match e.val_f1 {
            Some(f1) => format!("{} {}/{}: loss {:.4}, validation F1 {:.4}", e.stage, e.epoch, e.epochs, e.loss, f1),
            None => format!("{} {}/{}", e.stage, e.epoch, e.epochs),
        };
        progress.report(&ProgressEvent { phase: "train".into(), done: e.epoch as u64, total: Some(e.epochs as u64), message: Some(message) })
    })
}

fn info_from_row(project: &Project, r: &rusqlite::Row<'_>) -> rusqlite::Result<ModelInfo> {
    let id: String = r.get(0)?;
    let card: String = r.get(4)?;
    Ok(ModelInfo {
        dir: model_dir(project, &id),
        id,
        created_at: r.get(1)?,
        frame_version: r.get(2)?,
        active: r.get::<_, i64>(3)? != 0,
        card: serde_json::from_str(&card).unwrap_or(serde_json::Value::Null),
    })
}

/// The active model, if any.
pub fn active_model(project: &Project) -> Result<Option<ModelInfo>> {
    Ok(project
        .connection()
        .query_row(
            "SELECT id, created_at, frame_version, active, card FROM model WHERE active != 0 ORDER BY created_at DESC LIMIT 1",
            [],
            |r| info_from_row(project, r),
        )
        .optional()?)
}

/// Every registered model, newest first.
pub fn models(project: &Project) -> Result<Vec<ModelInfo>> {
    let mut st = project.connection().prepare("SELECT id, created_at, frame_version, active, card FROM model ORDER BY created_at DESC, id DESC")?;
    let rows = st.query_map([], |r| info_from_row(project, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Loads the active model's files.
pub fn load_active(project: &Project) -> Result<(String, Model)> {
    let info = active_model(project)?
        .ok_or_else(|| Error::NotFound("the project has no active model (run `vocwb train DIR` first)".into()))?;
    let model = Model::load(&info.dir).map_err(|e| classify_error(e, &info.dir))?;
    Ok((info.id, model))
}

/// Applies the active model to every verbatim without a human label and stores its
/// predictions (replacing this model's earlier ones). Human labels are never touched.
pub fn autocode(project: &mut Project, rule: DecisionRule, progress: &dyn Progress) -> Result<AutocodeReport> {
    let started = Instant::now();
    let (model_id, model) = load_active(project)?;
    let model_load_seconds = started.elapsed().as_secs_f64();
    let (ids, texts): (Vec<i64>, Vec<String>) = {
        let mut st = project.connection().prepare(&format!(
            "SELECT v.id, v.text FROM verbatim v WHERE NOT EXISTS
               (SELECT 1 FROM current_label l WHERE l.verbatim_id = v.id AND l.source IN {HUMAN_SOURCES}) ORDER BY v.id"
        ))?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?.into_iter().unzip()
    };
    let human_labelled: u64 = project.connection().query_row(
        &format!("SELECT COUNT(DISTINCT verbatim_id) FROM current_label WHERE source IN {HUMAN_SOURCES}"),
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let total = ids.len() as u64;
    let stamp = now();
    let tx = project.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM prediction WHERE model_id = ?1", [&model_id])?;
    let (mut predictions, mut uncoded) = (0u64, 0u64);
    {
        let mut insert = tx.prepare(
            "INSERT INTO prediction (verbatim_id, code_id, polarity, confidence, model_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        const BATCH: usize = 4096;
        for (chunk, (id_chunk, text_chunk)) in ids.chunks(BATCH).zip(texts.chunks(BATCH)).enumerate() {
            let refs: Vec<&str> = text_chunk.iter().map(String::as_str).collect();
            for (vid, p) in id_chunk.iter().zip(model.predict_many(&refs)) {
                let mut any = false;
                for c in p.applied(rule) {
                    insert.execute(params![vid, c.code_id, c.polarity.as_str(), c.probability as f64, model_id, stamp])?;
                    predictions += 1;
                    any = true;
                }
                uncoded += (!any) as u64;
            }
            let done = ((chunk + 1) * BATCH).min(ids.len()) as u64;
            if !progress.report(&ProgressEvent { phase: "autocode".into(), done, total: Some(total), message: None }) {
                return Err(Error::Cancelled);
            }
        }
    }
    tx.commit()?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(AutocodeReport {
        model_id,
        rule,
        verbatims: total,
        human_labelled,
        predictions,
        uncoded,
        seconds,
        verbatims_per_second: total as f64 / seconds.max(1e-9),
        model_load_seconds,
        coding_verbatims_per_second: total as f64 / (seconds - model_load_seconds).max(1e-9),
    })
}

/// Verbatims without a human label, most uncertain under the active model first (active learning).
pub fn uncertainty_ranking(project: &Project, limit: usize) -> Result<Vec<Uncertain>> {
    let (_, model) = load_active(project)?;
    let mut st = project.connection().prepare(&format!(
        "SELECT v.id, v.text FROM verbatim v WHERE NOT EXISTS
           (SELECT 1 FROM current_label l WHERE l.verbatim_id = v.id AND l.source IN {HUMAN_SOURCES}) ORDER BY v.id"
    ))?;
    let rows: Vec<(i64, String)> = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let refs: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let preds = model.predict_many(&refs);
    let mut out: Vec<Uncertain> =
        rows.into_iter().zip(preds).map(|((id, text), p)| Uncertain { verbatim_id: id, uncertainty: p.uncertainty, text }).collect();
    out.sort_by(|a, b| b.uncertainty.total_cmp(&a.uncertainty).then(a.verbatim_id.cmp(&b.verbatim_id)));
    out.truncate(limit);
    Ok(out)
}

/// Reads a labelled file in the shared format (`id,text,labels`) without adding it to the project.
pub fn read_labelled_file(project: &Project, path: &Path) -> Result<Vec<Example>> {
    let (_, frame) = project.labelling_frame()?;
    let file = crate::labels::read_labelled_file(path, &frame, false)?;
    Ok(file.rows.into_iter().map(|r| Example { text: r.text, labels: r.labels }).collect())
}

/// Scores the active model on a labelled file (not added to the project).
pub fn eval_file(project: &Project, path: &Path, rule: DecisionRule) -> Result<FileEval> {
    let examples = read_labelled_file(project, path)?;
    let (model_id, model) = load_active(project)?;
    let report = model.evaluate(&examples, rule);
    let (_, frame) = project.labelling_frame()?;
    let code_names =
        report.per_code.iter().map(|c| (c.code.clone(), frame.get(&c.code).map(|x| x.name_zh.clone()).unwrap_or_default())).collect();
    Ok(FileEval { model_id, file: path.display().to_string(), rule, report, code_names })
}

/// Training and auto-coding figures measured on this machine (`vocwb bench train`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainBench {
    pub labelled_file: String,
    pub labelled_verbatims: usize,
    pub unlabelled_verbatims: u64,
    pub train_seconds: f64,
    /// `vocwb autocode` end to end (read, predict, write) over the verbatims without a human label.
    pub autocode_verbatims: u64,
    pub autocode_seconds: f64,
    pub autocode_verbatims_per_second: f64,
    pub autocode_model_load_seconds: f64,
    pub autocode_coding_verbatims_per_second: f64,
    /// Prediction alone over every verbatim of the project, labelled or not.
    pub predict_verbatims: usize,
    pub predict_verbatims_per_second: f64,
    pub validation: serde_json::Value,
    pub peak_rss_mb: f64,
}

/// (topic, aspect words, pain phrases, delight phrases)
type BenchTopic = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);
const BENCH_TOPICS: &[BenchTopic] = &[
    ("动力", &["动力", "加速", "提速", "发动机"], &["很弱", "肉得很", "有点顿挫"], &["很足", "推背感强", "超车轻松"]),
    ("价格", &["价格", "落地价", "优惠"], &["太贵了", "不值这个价"], &["很实惠", "性价比高"]),
    ("油耗", &["油耗", "百公里油耗"], &["偏高", "太高了"], &["很低", "省油"]),
    ("操控", &["操控", "方向盘", "底盘"], &["发飘", "虚位大"], &["精准", "很稳"]),
    ("舒适性", &["座椅", "隔音", "减震"], &["坐久了腰酸", "胎噪大"], &["很舒服", "很安静"]),
    ("配置", &["配置", "车机", "天窗"], &["太少了", "经常卡顿"], &["很丰富", "好用"]),
    ("安全性", &["刹车", "安全气囊", "车身结构"], &["脚感偏软", "让人担心"], &["很灵敏", "很安全"]),
    ("内饰", &["内饰", "做工", "中控"], &["很廉价", "有异味"], &["很精致", "质感好"]),
    ("外观", &["外观", "车漆", "大灯"], &["不好看", "有色差"], &["很帅", "大气"]),
    ("空间", &["空间", "后排", "后备箱"], &["太挤", "偏小"], &["宽敞", "够大"]),
];

/// Writes `rows` made-up labelled verbatims over the shipped frame's ten product topics.
pub fn write_synthetic_labels(path: &Path, rows: usize, seed: u64) -> Result<()> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let io = |e: csv::Error| Error::io(path, std::io::Error::other(e.to_string()));
    w.write_record(["id", "text", "labels"]).map_err(io)?;
    let mut filler = String::new();
    for i in 0..rows {
        let n = if rng.random_range(0..10) < 8 { 1 } else { 2 };
        let mut text = String::new();
        let mut labels: Vec<(usize, i32)> = Vec::new();
        filler.clear();
        crate::synth::verbatim(&mut rng, &mut filler);
        for _ in 0..n {
            let t = rng.random_range(0..BENCH_TOPICS.len());
            if labels.iter().any(|l| l.0 == t) {
                continue;
            }
            let (_, aspects, bad, good) = BENCH_TOPICS[t];
            let aspect = aspects[rng.random_range(0..aspects.len())];
            let s = rng.random_range(-1..=1);
            let opinion = match s {
                -1 => bad[rng.random_range(0..bad.len())],
                1 => good[rng.random_range(0..good.len())],
                _ => "怎么样",
            };
            text.push_str(aspect);
            text.push_str(opinion);
            text.push('，');
            labels.push((t, s));
        }
        text.push_str(&filler);
        labels.sort();
        let labels: Vec<String> = labels.iter().map(|(t, s)| format!("{}:{s}", BENCH_TOPICS[*t].0)).collect();
        w.write_record([format!("B{i:06}"), text, labels.join("|")]).map_err(io)?;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// Builds a project from the shipped frame in `frame_dir`, imports `labelled` (shared format)
/// and `unlabelled` (any importable file; made-up data for either when `None`), trains and auto-codes.
pub fn bench_train(
    work_dir: &Path,
    frame_dir: &Path,
    labelled: Option<&Path>,
    unlabelled: Option<&Path>,
    options: &TrainOptions,
    progress: &dyn Progress,
) -> Result<TrainBench> {
    let labelled_path = match labelled {
        Some(p) => p.to_path_buf(),
        None => {
            let p = work_dir.join("bench-labels.csv");
            write_synthetic_labels(&p, 8_500, 20261123)?;
            p
        }
    };
    let (frame, lexicon) = crate::frame::files::read_shipped(frame_dir)?;
    let mut project = Project::init(&work_dir.join("project"))?;
    project.adopt_frame(&frame, lexicon.as_ref())?;
    project.import_labels(&labelled_path, vocwb_types::Channel::Public, "bench")?;
    let unlabelled_path = match unlabelled {
        Some(p) => p.to_path_buf(),
        None => {
            let p = work_dir.join("bench-unlabelled.csv");
            let file = std::fs::File::create(&p).map_err(|e| Error::io(&p, e))?;
            crate::synth::write_csv(file, 20_000, 20261124).map_err(|e| Error::io(&p, e))?;
            p
        }
    };
    let import_options = crate::import::ImportOptions::new(vocwb_types::Channel::Survey);
    let unlabelled_verbatims = crate::import::import_path(&mut project, &unlabelled_path, &import_options, progress)?.verbatims_added;
    let started = Instant::now();
    let outcome = train(&mut project, options, true, progress)?;
    let train_seconds = started.elapsed().as_secs_f64();
    let auto = autocode(&mut project, DecisionRule::F1, progress)?;
    let (_, model) = load_active(&project)?;
    let texts: Vec<String> = {
        let mut st = project.connection().prepare("SELECT text FROM verbatim ORDER BY id")?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Best of three, as the baselines measure.
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(model.predict_many(&refs));
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(TrainBench {
        labelled_file: labelled_path.display().to_string(),
        labelled_verbatims: outcome.card.examples,
        unlabelled_verbatims,
        train_seconds,
        autocode_verbatims: auto.verbatims,
        autocode_seconds: auto.seconds,
        autocode_verbatims_per_second: auto.verbatims_per_second,
        autocode_model_load_seconds: auto.model_load_seconds,
        autocode_coding_verbatims_per_second: auto.coding_verbatims_per_second,
        predict_verbatims: refs.len(),
        predict_verbatims_per_second: refs.len() as f64 / best.max(1e-9),
        validation: serde_json::to_value(&outcome.card.validation).expect("serialisable"),
        peak_rss_mb: crate::bench::peak_rss_mb().unwrap_or(f64::NAN),
    })
}
