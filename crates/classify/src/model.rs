//! The classifier: per code, a linear SVM over char and word TF-IDF features and the logits of
//! a character CNN and a word CNN, combined by a calibration averaged with boosted trees; then
//! an aspect-conditioned polarity model for each predicted code.
//!
//! Training cross-fits: the training set is split into folds, each fold is scored by models
//! trained on the others, and those out-of-fold scores fit the calibration, the thresholds and
//! the validation metrics of the model card. The final models are then trained on everything.
//!
//! The polarity of a code is read mostly from the text around the code's cues (its strongest
//! features in the code model plus its lexicon terms), so a post that praises the power and
//! complains about fuel gets two different polarities.

use crate::boost::{self, BoostParams, Forest, Grams, Row};
use crate::calibrate::{self, Platt, Softmax};
use crate::error::{Error, Result};
use crate::features::{normalise, Extractor, FeatureConfig, Featurizer, SparseVec, Token};
use crate::linear::{self, SvmParams};
use crate::metrics::{self, EvalReport};
use crate::cnn::{self, Cnn, CnnParams};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::Instant;
use tokenizers::Tokenizer;
use vocwb_types::Polarity;

/// One labelled verbatim: its text and (code id, polarity) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub labels: Vec<(String, Polarity)>,
}

/// A lexicon entry in plain form: terms (with variants) and the code ids they point to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LexiconEntry {
    pub terms: Vec<String>,
    pub codes: Vec<String>,
    pub polarity: Option<Polarity>,
}

/// Everything training needs, as plain data.
#[derive(Debug, Clone, Default)]
pub struct TrainSet {
    pub examples: Vec<Example>,
    /// Other texts of the project: they only widen the tokenizer's vocabulary.
    pub unlabelled: Vec<String>,
    pub lexicon: Vec<LexiconEntry>,
    /// Code id to display name, for the model card.
    pub code_names: BTreeMap<String, String>,
    pub frame_version: Option<i64>,
}

/// Training settings; the defaults are the ones measured in `scripts/eval-dev-folds.sh`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainOptions {
    pub seed: u64,
    /// Cross-fitting folds for calibration, thresholds and validation metrics.
    pub folds: usize,
    pub features: FeatureConfig,
    pub code_svm: SvmParams,
    pub polarity_svm: SvmParams,
    /// A code needs this many labelled verbatims to be modelled.
    pub min_examples: usize,
    /// Precision the auto-coding thresholds aim at.
    pub target_precision: f64,
    /// Chars either side of a cue that make up its window.
    pub window: u32,
    /// Strongest features of each code model used as its cues.
    pub cues_per_code: usize,
    /// Weights of the polarity blocks: whole text, windows, windows crossed with the code.
    pub polarity_blocks: [f32; 3],
    /// Predict the most likely code when none passes its threshold (every labelled verbatim has one).
    pub at_least_one: bool,
    /// NB-SVM scaling of the code models: each feature is scaled by `floor + |log-count ratio|`
    /// of the code (smoothing `alpha`; 0 turns it off).
    pub nb_alpha: f32,
    pub nb_floor: f32,
    /// Calibrate each code on its score plus the best other code's score and whether it is the
    /// top code, and each net's best other logit, so codes compete (a clear 动力 post lowers a
    /// borderline 操控).
    pub stack: bool,
    /// The candle character CNN ensembled with the SVMs (its logits join the stacked calibration).
    pub cnn: CnnParams,
    /// The candle word CNN over jieba words, ensembled the same way.
    pub word_cnn: CnnParams,
    /// Weight of pair micro-F1 (against code micro-F1) in the objective of the F1-rule
    /// thresholds; 0 gives the best code micro-F1.
    pub pair_weight: f64,
    /// Fit each code its own F1-rule threshold instead of one shared by all codes. Measured
    /// with dev_folds (seeds 20261123 / 1 / 2): per-code code micro-F1 0.8857 / 0.8862 /
    /// 0.8866, pair 0.6431 / 0.6438 / 0.6458; shared 0.8863 / 0.8868 / 0.8860, pair 0.6435 /
    /// 0.6439 / 0.6458. Even, but one number is simpler to read and cannot overfit a rare code.
    pub per_code_thresholds: bool,
    /// Boosted trees over each code's calibration inputs and the commonest char n-grams, whose
    /// probability is averaged with the calibration's. Measured with dev_folds (code micro-F1,
    /// seeds 20261123 / 1 / 2): without 0.8871 / 0.8879 / 0.8875, pair 0.6445 / 0.6446 /
    /// 0.6460; with 0.8882 / 0.8888 / 0.8886, pair 0.6456 / 0.6454 / 0.6472, at about +10 s of
    /// training per fold.
    pub boost: BoostParams,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 20261123,
            folds: 5,
            features: FeatureConfig::default(),
            code_svm: SvmParams { c: 1.0, ..SvmParams::default() },
            polarity_svm: SvmParams { c: 0.5, ..SvmParams::default() },
            min_examples: 5,
            target_precision: 0.9,
            window: 8,
            cues_per_code: 40,
            polarity_blocks: [0.5, 1.0, 0.7],
            at_least_one: true,
            nb_alpha: 0.0,
            nb_floor: 0.0,
            stack: true,
            cnn: CnnParams::default(),
            word_cnn: CnnParams::words(),
            pair_weight: 0.5,
            per_code_thresholds: false,
            boost: BoostParams::default(),
        }
    }
}

/// What training reports as it goes; the callback returns `false` to cancel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainEvent {
    /// `features`, `fold` (cross-fitting) or `final`.
    pub stage: String,
    pub epoch: usize,
    pub epochs: usize,
    /// Mean squared hinge loss of the code models on their training rows.
    pub loss: f64,
    /// Code micro-F1 on the held-out fold (cross-fitting only).
    pub val_f1: Option<f64>,
}

/// A modelled code in the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeCard {
    pub code_id: String,
    pub name: String,
    pub label_count: usize,
    pub polarity_counts: BTreeMap<String, usize>,
    /// Out-of-fold precision, recall and F1 under the F1 decision rule.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub threshold_f1: f32,
    /// `None`: the target precision was not reached on validation; never auto-applied.
    pub threshold_precision: Option<f32>,
    pub too_few: bool,
}

/// The model card: what the model was trained on and how well it did on validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub format: u32,
    pub created_by: String,
    pub frame_version: Option<i64>,
    pub examples: usize,
    pub vocabulary: usize,
    pub codes: Vec<CodeCard>,
    /// Codes with labels but fewer than `min_examples`: not modelled.
    pub skipped_codes: BTreeMap<String, usize>,
    pub polarities: Vec<Polarity>,
    pub target_precision: f64,
    /// Out-of-fold validation (cross-fitting), F1 decision rule.
    pub validation: ValidationSummary,
    pub training_seconds: f64,
    pub options: TrainOptions,
}

pub use vocwb_types::model::ValidationSummary;

/// How predictions are turned into applied codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionRule {
    /// The thresholds that maximise out-of-fold F1, plus the best code when none passes.
    F1,
    /// Per-code thresholds for the target precision; codes that never reach it are not applied.
    Precision,
}

/// One code's prediction for a verbatim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodePrediction {
    pub code_id: String,
    /// Calibrated probability that the code applies.
    pub probability: f32,
    pub polarity: Polarity,
    /// Calibrated probability of that polarity, given the code applies.
    pub polarity_probability: f32,
    pub applied_f1: bool,
    pub applied_precision: bool,
}

/// A verbatim's predictions, most likely code first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub codes: Vec<CodePrediction>,
    /// Probability that the model's best guess for the whole verbatim is wrong (1 minus the
    /// product of each code's decision confidence and each applied polarity's probability).
    pub uncertainty: f32,
}

impl Prediction {
    /// The applied (code, polarity, probability, polarity probability) under a rule.
    pub fn applied(&self, rule: DecisionRule) -> impl Iterator<Item = &CodePrediction> {
        self.codes.iter().filter(move |c| match rule {
            DecisionRule::F1 => c.applied_f1,
            DecisionRule::Precision => c.applied_precision,
        })
    }
}

/// The polarity part: weights per class over [text | windows | crossed windows | code].
pub(crate) struct PolarityModel {
    pub classes: Vec<Polarity>,
    pub weights: Vec<Vec<f32>>,
    /// Sorted `(code << 32) | feature` keys of the crossed block; position is the index.
    pub cross_keys: Vec<u64>,
    pub calibration: Softmax,
    /// `cross_keys` as a hash map, built on first prediction: a binary search through the
    /// sorted keys (several megabytes) missed the cache at every step and took most of the
    /// polarity work.
    cross_index: OnceLock<FxHashMap<u64, u32>>,
}

impl PolarityModel {
    pub fn new(classes: Vec<Polarity>, weights: Vec<Vec<f32>>, cross_keys: Vec<u64>, calibration: Softmax) -> PolarityModel {
        PolarityModel { classes, weights, cross_keys, calibration, cross_index: OnceLock::new() }
    }

    pub(crate) fn cross_index(&self) -> &FxHashMap<u64, u32> {
        self.cross_index.get_or_init(|| self.cross_keys.iter().enumerate().map(|(k, &key)| (key, k as u32)).collect())
    }
}

/// A trained classifier.
pub struct Model {
    pub card: ModelCard,
    pub(crate) tokenizer: Tokenizer,
    pub(crate) featurizer: Featurizer,
    pub(crate) codes: Vec<String>,
    pub(crate) code_weights: Vec<Vec<f32>>,
    pub(crate) code_calibration: Vec<Platt>,
    pub(crate) cues: Vec<Vec<u32>>,
    pub(crate) lexicon_cues: Vec<Vec<u32>>,
    pub(crate) polarity: PolarityModel,
    /// Feature-major copies of the weights (`[feature][label]`), so scoring a verbatim touches
    /// one cache line per feature instead of one per code.
    pub(crate) code_t: Vec<f32>,
    pub(crate) polarity_t: Vec<f32>,
    /// The character CNNs (averaged) and the word CNN, when trained with them.
    pub(crate) cnns: Vec<Cnn>,
    pub(crate) word_cnn: Option<Cnn>,
    pub(crate) boosted: Option<Boosted>,
}

/// The second stacker: the n-grams its trees read and one forest per code.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct Boosted {
    pub grams: Grams,
    pub forests: Vec<Forest>,
}

impl Boosted {
    /// Averages the calibrated probabilities `p` with the trees'.
    fn mix(&self, text: &str, scores: &[f32], nets: Option<&[f32]>, stack: Stack, p: &mut [f32]) {
        let bits = boost::bits(&self.grams.on(&normalise(text)), self.grams.len());
        for (c, p) in p.iter_mut().enumerate() {
            let z = calibration_inputs(scores, nets, c, stack);
            if let Some(forest) = self.forests.get(c) {
                *p = (*p + forest.prob(&z, &bits)) / 2.0;
            }
        }
    }

    /// [`Boosted::mix`] for many texts at once, tree by tree.
    fn mix_many<'a>(&self, texts: &[&str], scores: &[Vec<f32>], nets: &dyn Fn(usize) -> Option<&'a [f32]>, stack: Stack, p: &mut [Vec<f32>]) {
        let bits: Vec<Vec<u64>> = texts.iter().map(|t| boost::bits(&self.grams.on(&normalise(t)), self.grams.len())).collect();
        for (c, forest) in self.forests.iter().enumerate() {
            let dense: Vec<Vec<f32>> = (0..texts.len()).map(|i| calibration_inputs(&scores[i], nets(i), c, stack)).collect();
            let mut raw = vec![0f32; texts.len()];
            forest.add_raw_many(&dense, &bits, &mut raw);
            for (p, r) in p.iter_mut().zip(raw) {
                if let Some(p) = p.get_mut(c) {
                    *p = (*p + calibrate::sigmoid(r as f64) as f32) / 2.0;
                }
            }
        }
    }

    /// Fits the trees of every code on each cross-fitting fold's complement and on all rows;
    /// returns them with every row's out-of-fold tree probabilities.
    #[allow(clippy::too_many_arguments)]
    fn fit(
        texts: &[&str],
        scores: &[Vec<f32>],
        nets: &[Vec<f32>],
        targets: &[Vec<(usize, usize)>],
        codes: usize,
        folds: usize,
        stack: Stack,
        params: &BoostParams,
    ) -> (Boosted, Vec<Vec<f32>>) {
        let n = texts.len();
        let chars: Vec<Vec<char>> = texts.par_iter().map(|t| normalise(t)).collect();
        let grams = Grams::top(&chars, params.grams);
        let on: Vec<Vec<u32>> = chars.par_iter().map(|c| grams.on(c)).collect();
        let nets_of = |i: usize| (!nets[i].is_empty()).then_some(nets[i].as_slice());
        let dense: Vec<Vec<Vec<f32>>> =
            (0..codes).map(|c| (0..n).map(|i| calibration_inputs(&scores[i], nets_of(i), c, stack)).collect()).collect();
        // The trees' own folds, across the members' folds. Measured with dev_folds (seeds
        // 20261123 / 1 / 2): trees on the members' folds, with grams ranked by the number of
        // texts they occur in, scored 0.8881 / 0.8870 / 0.8880; these, with grams ranked by
        // count, 0.8882 / 0.8888 / 0.8886.
        let tree_fold = |i: usize| i % folds;
        // (fold, code); fold `folds` is the final forest on every row.
        let jobs: Vec<(usize, usize)> = (0..=folds).flat_map(|f| (0..codes).map(move |c| (f, c))).collect();
        let forests: Vec<Forest> = jobs
            .par_iter()
            .map(|&(f, c)| {
                let idx: Vec<usize> = (0..n).filter(|&i| f == folds || tree_fold(i) != f).collect();
                let rows: Vec<Row> = idx.iter().map(|&i| Row { dense: &dense[c][i], on: &on[i] }).collect();
                let y: Vec<bool> = idx.iter().map(|&i| targets[i].iter().any(|t| t.0 == c)).collect();
                boost::fit(&rows, grams.len(), &y, params)
            })
            .collect();
        let oof: Vec<Vec<f32>> = (0..n)
            .map(|i| {
                let bits = boost::bits(&on[i], grams.len());
                (0..codes).map(|c| forests[tree_fold(i) * codes + c].prob(&dense[c][i], &bits)).collect()
            })
            .collect();
        (Boosted { grams, forests: forests[folds * codes..].to_vec() }, oof)
    }
}

/// `rows[label][feature]` as `[feature][label]`.
pub(crate) fn transpose(rows: &[Vec<f32>]) -> Vec<f32> {
    let (l, d) = (rows.len(), rows.first().map_or(0, Vec::len));
    let mut t = vec![0f32; l * d];
    for (c, row) in rows.iter().enumerate() {
        for (j, &w) in row.iter().enumerate() {
            t[j * l + c] = w;
        }
    }
    t
}

/// Scores of every label at once from feature-major weights (the last feature is the bias).
fn score_all(t: &[f32], labels: usize, x: &SparseVec) -> Vec<f32> {
    if labels == 0 {
        return Vec::new();
    }
    let dim = t.len() / labels - 1;
    let mut s: Vec<f32> = t[dim * labels..].to_vec();
    for (&j, &v) in x.idx.iter().zip(&x.val) {
        if (j as usize) < dim {
            add_row(t, labels, j as usize, v, &mut s);
        }
    }
    s
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("codes", &self.codes).field("vocabulary", &self.card.vocabulary).finish()
    }
}

/// Lower bound for polarity work: codes below this probability are not reported.
const REPORT_FLOOR: f32 = 0.1;

/// Feature-space layout of polarity instances.
#[derive(Clone, Copy)]
struct PolarityLayout {
    dim: usize,
    crossed: usize,
    codes: usize,
    blocks: [f32; 3],
    window: u32,
}

impl PolarityLayout {
    fn total(&self) -> usize {
        2 * self.dim + self.crossed + self.codes
    }
}

fn cue_windows(tokens: &[Token], cues: &FxHashSet<u32>, radius: u32) -> Vec<(u32, u32)> {
    let mut spans: Vec<(u32, u32)> = tokens
        .iter()
        .filter(|t| cues.contains(&t.id))
        .map(|t| (t.start.saturating_sub(radius), t.end + radius))
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The TF-IDF vector of the text around a code's cues (the whole text when it has none).
fn window_vector(featurizer: &Featurizer, tokens: &[Token], cues: &FxHashSet<u32>, radius: u32) -> SparseVec {
    let windows = cue_windows(tokens, cues, radius);
    if windows.is_empty() {
        featurizer.vector(tokens.iter())
    } else {
        featurizer.vector(tokens.iter().filter(|t| windows.iter().any(|&(s, e)| t.start >= s && t.end <= e)))
    }
}

/// The polarity instance of (verbatim, code), given the code's window vector.
fn polarity_vector(layout: &PolarityLayout, cross_keys: &[u64], doc: &SparseVec, window: &SparseVec, code: usize) -> SparseVec {
    let [a, b, c] = layout.blocks;
    let d = layout.dim as u32;
    let mut pairs: Vec<(u32, f32)> = Vec::with_capacity(doc.idx.len() + 2 * window.idx.len() + 1);
    pairs.extend(doc.idx.iter().zip(&doc.val).map(|(&i, &v)| (i, v * a)));
    pairs.extend(window.idx.iter().zip(&window.val).map(|(&i, &v)| (d + i, v * b)));
    for (&i, &v) in window.idx.iter().zip(&window.val) {
        let key = ((code as u64) << 32) | i as u64;
        if let Ok(k) = cross_keys.binary_search(&key) {
            pairs.push((2 * d + k as u32, v * c));
        }
    }
    pairs.push(((2 * layout.dim + layout.crossed + code) as u32, 1.0));
    SparseVec::from_pairs(pairs)
}

/// Adds `x` times row `j` of `t` (`labels` weights per row) to `s`.
fn add_row(t: &[f32], labels: usize, j: usize, x: f32, s: &mut [f32]) {
    for (sc, w) in s.iter_mut().zip(&t[j * labels..(j + 1) * labels]) {
        *sc += w * x;
    }
}

/// Adds `scale · x · t` to `s`, feature `j` of `x` reading row `offset + j` of `t`.
fn add_scores(t: &[f32], labels: usize, x: &SparseVec, offset: usize, scale: f32, s: &mut [f32]) {
    for (&j, &v) in x.idx.iter().zip(&x.val) {
        add_row(t, labels, offset + j as usize, v * scale, s);
    }
}

/// The polarity class scores of (verbatim, code), as [`score_all`] gives them for the
/// [`polarity_vector`] instance, in the same order of sums, without building it. `doc_scores`
/// are the intercept plus the document block's share, the same for every code of a verbatim,
/// so a caller computes them once per verbatim ([`polarity_doc_scores`]).
fn polarity_scores(layout: &PolarityLayout, cross: &FxHashMap<u64, u32>, t: &[f32], doc_scores: &[f32], window: &SparseVec, code: usize) -> Vec<f32> {
    let [_, b, c] = layout.blocks;
    let labels = doc_scores.len();
    let mut s = doc_scores.to_vec();
    add_scores(t, labels, window, layout.dim, b, &mut s);
    for (&i, &v) in window.idx.iter().zip(&window.val) {
        if let Some(&k) = cross.get(&(((code as u64) << 32) | i as u64)) {
            add_row(t, labels, 2 * layout.dim + k as usize, v * c, &mut s);
        }
    }
    add_row(t, labels, 2 * layout.dim + layout.crossed + code, 1.0, &mut s);
    s
}

/// The intercept plus the document block's share of every polarity class score.
fn polarity_doc_scores(layout: &PolarityLayout, t: &[f32], labels: usize, doc: &SparseVec) -> Vec<f32> {
    let mut s = t[layout.total() * labels..].to_vec();
    add_scores(t, labels, doc, 0, layout.blocks[0], &mut s);
    s
}

/// The cue features of each code: its strongest positive weights plus its lexicon terms.
fn top_cues(weights: &[Vec<f32>], k: usize, lexicon_cues: &[Vec<u32>]) -> Vec<FxHashSet<u32>> {
    weights
        .iter()
        .zip(lexicon_cues)
        .map(|(w, lex)| {
            let dim = w.len() - 1;
            let mut ids: Vec<u32> = (0..dim as u32).filter(|&i| w[i as usize] > 0.0).collect();
            ids.sort_by(|&a, &b| w[b as usize].total_cmp(&w[a as usize]).then(a.cmp(&b)));
            ids.truncate(k);
            ids.extend(lex.iter().copied());
            ids.into_iter().collect()
        })
        .collect()
}

struct Prepared {
    tokens: Vec<Vec<Token>>,
    docs: Vec<SparseVec>,
    /// Per example, indices of its modelled codes and their polarity classes.
    targets: Vec<Vec<(usize, usize)>>,
}

/// Trains a model; `on_event` sees each stage and may cancel by returning `false`.
pub fn train(set: &TrainSet, options: &TrainOptions, on_event: &mut dyn FnMut(&TrainEvent) -> bool) -> Result<Model> {
    let started = Instant::now();
    if set.examples.is_empty() {
        return Err(Error::NotEnoughData("no labelled verbatims".into()));
    }
    // Codes and polarity classes in a fixed order, so training is reproducible.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pol_counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut classes: Vec<Polarity> = Vec::new();
    for e in &set.examples {
        let mut seen = HashSet::new();
        for (c, p) in &e.labels {
            if seen.insert(c.as_str()) {
                *counts.entry(c).or_default() += 1;
                *pol_counts.entry(c).or_default().entry(p.as_str().to_string()).or_default() += 1;
                if !classes.contains(p) {
                    classes.push(*p);
                }
            }
        }
    }
    classes.sort();
    let codes: Vec<String> = counts.iter().filter(|(_, &n)| n >= options.min_examples).map(|(c, _)| c.to_string()).collect();
    let skipped: BTreeMap<String, usize> =
        counts.iter().filter(|(_, &n)| n < options.min_examples).map(|(c, &n)| (c.to_string(), n)).collect();
    if codes.is_empty() {
        return Err(Error::NotEnoughData(format!("no code has {} labelled verbatims yet", options.min_examples)));
    }
    let code_index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();

    // Vocabulary over all the project's texts; IDF over the labelled ones.
    let mut feature_config = options.features.clone();
    let mut user_words: Vec<String> = set.lexicon.iter().flat_map(|e| e.terms.iter().cloned()).collect();
    user_words.extend(set.code_names.values().cloned());
    user_words.sort();
    user_words.dedup();
    feature_config.user_words = user_words;
    let extractor = Extractor::new(feature_config);
    let mut texts: Vec<&str> = set.examples.iter().map(|e| e.text.as_str()).collect();
    texts.extend(set.unlabelled.iter().map(String::as_str));
    let tokenizer = crate::features::train_tokenizer(&extractor, &texts)?;
    let mut featurizer = Featurizer::new(extractor, &tokenizer);
    let tokens: Vec<Vec<Token>> = set.examples.par_iter().map(|e| featurizer.tokens(&e.text)).collect();
    featurizer.fit_idf(&tokens);
    let docs: Vec<SparseVec> = tokens.par_iter().map(|t| featurizer.vector(t.iter())).collect();
    let targets: Vec<Vec<(usize, usize)>> = set
        .examples
        .iter()
        .map(|e| {
            let mut t: Vec<(usize, usize)> = Vec::new();
            for (c, p) in &e.labels {
                if let Some(&ci) = code_index.get(c.as_str()) {
                    if !t.iter().any(|x| x.0 == ci) {
                        t.push((ci, classes.iter().position(|x| x == p).expect("collected above")));
                    }
                }
            }
            t
        })
        .collect();
    // Cross-fitting folds, fixed up front so progress can count its steps.
    let n = set.examples.len();
    let folds = options.folds.clamp(2, n.max(2));
    let fold_of = fold_assignment(n, folds, options.seed);
    // Progress steps: the SVM folds, every CNN epoch, the final SVMs.
    let nets: Vec<NetInput> = [
        (&options.cnn, Unit::Char),
        (&options.word_cnn, Unit::Word),
    ]
    .into_iter()
    .filter(|(p, _)| p.enabled)
    .map(|(params, unit)| {
        let own = net_folds(params, folds, n);
        (params, unit, own, if own == folds { fold_of.clone() } else { fold_assignment(n, own, options.seed ^ 0x5EED_F01D) })
    })
    .map(|(params, unit, folds, fold_of)| NetInput {
        params,
        unit,
        folds,
        fold_of,
        // Measured on the dev folds: averaging the char CNN's fold models beat one final model
        // (code micro-F1 +0.11 in scripts/eval-dev-folds.sh); for the word CNN it did nothing.
        average_folds: unit == Unit::Char,
        units: match unit {
            Unit::Char => set.examples.par_iter().map(|e| cnn::char_units(&e.text, params.max_units)).collect(),
            Unit::Word => tokens.par_iter().map(|t| featurizer.word_units(t, params.max_units)).collect(),
        },
    })
    .collect();
    let cnn_epochs: usize = nets
        .iter()
        .map(|net| net.seeds() * net.models().map(|f| cnn::epochs_for(net.fold_of.iter().filter(|&&x| f == net.folds || x != f).count(), net.params)).sum::<usize>())
        .sum();
    let steps = folds + cnn_epochs + usize::from(options.boost.enabled) + 1;
    let prep = Prepared { tokens, docs, targets };
    let lexicon_cues = lexicon_cue_ids(&featurizer, &tokenizer, set, &codes);
    if !on_event(&TrainEvent { stage: "features".into(), epoch: 0, epochs: steps, loss: 0.0, val_f1: None }) {
        return Err(Error::Cancelled);
    }

    // Crossed (code, feature) keys: every feature of a verbatim labelled with the code.
    let mut cross: Vec<u64> = Vec::new();
    for (t, tg) in prep.tokens.iter().zip(&prep.targets) {
        for &(c, _) in tg {
            cross.extend(t.iter().filter(|x| (x.id as usize) < featurizer.dim()).map(|x| ((c as u64) << 32) | x.id as u64));
        }
    }
    cross.sort_unstable();
    cross.dedup();
    let layout = PolarityLayout {
        dim: featurizer.dim(),
        crossed: cross.len(),
        codes: codes.len(),
        blocks: options.polarity_blocks,
        window: options.window,
    };

    // Cross-fitting: out-of-fold code scores and polarity scores.
    let mut oof_code = vec![vec![0f32; codes.len()]; n];
    // (example, code, class, the polarity SVMs' scores)
    let mut oof_pol: Vec<(usize, usize, usize, Vec<f32>)> = Vec::new();
    for f in 0..folds {
        let train_idx: Vec<usize> = (0..n).filter(|&i| fold_of[i] != f).collect();
        let test_idx: Vec<usize> = (0..n).filter(|&i| fold_of[i] == f).collect();
        let fitted = fit_all(&prep, &featurizer, &layout, &cross, &train_idx, codes.len(), classes.len(), options, &lexicon_cues, f as u64);
        for &i in &test_idx {
            for (c, w) in fitted.code_weights.iter().enumerate() {
                oof_code[i][c] = linear::score(w, &prep.docs[i]);
            }
        }
        let scored: Vec<(usize, usize, usize, Vec<f32>)> = test_idx
            .par_iter()
            .flat_map_iter(|&i| {
                let fitted = &fitted;
                let prep = &prep;
                let featurizer = &featurizer;
                let cross = &cross;
                prep.targets[i].iter().map(move |&(c, k)| {
                    let window = window_vector(featurizer, &prep.tokens[i], &fitted.cues[c], layout.window);
                    let v = polarity_vector(&layout, cross, &prep.docs[i], &window, c);
                    let s: Vec<f32> = fitted.polarity_weights.iter().map(|w| linear::score(w, &v)).collect();
                    (i, c, k, s)
                })
            })
            .collect();
        oof_pol.extend(scored);
        // Validation F1 of this fold at a zero score threshold.
        let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
        for &i in &test_idx {
            for (c, &score) in oof_code[i].iter().enumerate() {
                let gold = prep.targets[i].iter().any(|t| t.0 == c);
                match (gold, score > 0.0) {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    _ => {}
                }
            }
        }
        let val_f1 = 2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64;
        if !on_event(&TrainEvent { stage: "fold".into(), epoch: f + 1, epochs: steps, loss: fitted.loss, val_f1: Some(val_f1) }) {
            return Err(Error::Cancelled);
        }
    }

    // The CNNs, cross-fitted on the same folds (plus the word CNN's final model on everything).
    // Each row's out-of-fold logits of the nets are concatenated, char CNN first.
    let trained = train_cnns(&prep, &nets, folds, codes.len(), options.seed, steps, on_event)?;
    let mut oof_cnn = vec![Vec::new(); n];
    let (mut char_cnns, mut final_word_cnn) = (Vec::new(), None);
    for (net, (oof, mut models)) in nets.iter().zip(trained) {
        for (row, l) in oof_cnn.iter_mut().zip(oof) {
            row.extend(l);
        }
        match net.unit {
            Unit::Char => char_cnns = models,
            Unit::Word => final_word_cnn = models.pop(),
        }
    }

    // Calibration and thresholds from the out-of-fold scores; with the CNN, its logits are
    // more inputs of the same calibrations, which so learn how to weigh the two.
    fn cnn_of(v: &[f32]) -> Option<&[f32]> {
        (!v.is_empty()).then_some(v)
    }
    let stack = Stack::of(options, crate::FORMAT);
    let code_calibration: Vec<Platt> = (0..codes.len())
        .map(|c| {
            let z: Vec<Vec<f32>> = (0..n).map(|i| calibration_inputs(&oof_code[i], cnn_of(&oof_cnn[i]), c, stack)).collect();
            let y: Vec<bool> = prep.targets.iter().map(|t| t.iter().any(|x| x.0 == c)).collect();
            Platt::fit(&z, &y)
        })
        .collect();
    let mut oof_prob: Vec<Vec<f32>> = (0..n).map(|i| calibrated(&oof_code[i], cnn_of(&oof_cnn[i]), &code_calibration, stack)).collect();
    let boosted = if options.boost.enabled {
        let texts: Vec<&str> = set.examples.iter().map(|e| e.text.as_str()).collect();
        let (boosted, oof_trees) = Boosted::fit(&texts, &oof_code, &oof_cnn, &prep.targets, codes.len(), folds, stack, &options.boost);
        for (p, t) in oof_prob.iter_mut().zip(&oof_trees) {
            for (p, t) in p.iter_mut().zip(t) {
                *p = (*p + t) / 2.0;
            }
        }
        if !on_event(&TrainEvent { stage: "stack".into(), epoch: steps - 1, epochs: steps, loss: 0.0, val_f1: None }) {
            return Err(Error::Cancelled);
        }
        Some(boosted)
    } else {
        None
    };
    let pol_calibration = Softmax::fit(
        &oof_pol.iter().map(|x| x.3.clone()).collect::<Vec<_>>(),
        &oof_pol.iter().map(|x| x.2).collect::<Vec<_>>(),
        classes.len(),
    );
    let mut thresholds_f1 = Vec::new();
    let mut thresholds_precision = Vec::new();
    let (mut raw_p, mut cal_p, mut all_y) = (Vec::new(), Vec::new(), Vec::new());
    for c in 0..codes.len() {
        let p: Vec<f32> = oof_prob.iter().map(|s| s[c]).collect();
        let y: Vec<bool> = prep.targets.iter().map(|t| t.iter().any(|x| x.0 == c)).collect();
        thresholds_f1.push(calibrate::f1_threshold(&p, &y));
        thresholds_precision.push(calibrate::precision_threshold(&p, &y, options.target_precision, 5));
        raw_p.extend(oof_code.iter().map(|s| calibrate::sigmoid(s[c] as f64) as f32));
        cal_p.extend(p);
        all_y.extend(y);
    }

    // Out-of-fold validation under the F1 rule, with out-of-fold polarities.
    let mut pol_of: HashMap<(usize, usize), Vec<f32>> = HashMap::new();
    for (i, c, _, s) in &oof_pol {
        pol_of.insert((*i, *c), pol_calibration.probs(s));
    }
    // Whether each gold (verbatim, code) gets its polarity right out of fold.
    let right: Vec<Vec<(usize, bool)>> = (0..n)
        .map(|i| prep.targets[i].iter().map(|&(c, k)| (c, pol_of.get(&(i, c)).is_some_and(|p| argmax(p) == k))).collect())
        .collect();
    let objective = ThresholdObjective { prob: &oof_prob, right: &right, pair_weight: options.pair_weight, at_least_one: options.at_least_one };
    if options.per_code_thresholds {
        if options.pair_weight > 0.0 {
            thresholds_f1 = objective.per_code(thresholds_f1);
        }
    } else {
        thresholds_f1 = vec![objective.shared(); codes.len()];
    }
    let gold: Vec<Vec<(String, Polarity)>> =
        prep.targets.iter().map(|t| t.iter().map(|&(c, k)| (codes[c].clone(), classes[k])).collect()).collect();
    let pred: Vec<Vec<(String, Polarity)>> = (0..n)
        .map(|i| {
            let chosen = decide(&oof_prob[i], &thresholds_f1, options.at_least_one);
            chosen
                .into_iter()
                .map(|c| {
                    // A wrongly predicted code has no out-of-fold polarity; any polarity is wrong then.
                    let k = pol_of.get(&(i, c)).map(|p| argmax(p)).unwrap_or(0);
                    (codes[c].clone(), classes[k])
                })
                .collect()
        })
        .collect();
    let report = metrics::evaluate(&gold, &pred);
    let validation = ValidationSummary {
        code_micro_f1: report.code_micro_f1,
        code_macro_f1: report.code_macro_f1,
        pair_micro_f1: report.pair_micro_f1,
        polarity_accuracy: report.polarity_accuracy,
        ece_raw: calibrate::ece(&raw_p, &all_y, 10),
        ece_calibrated: calibrate::ece(&cal_p, &all_y, 10),
    };

    // Final models on everything.
    let all: Vec<usize> = (0..n).collect();
    let fitted = fit_all(&prep, &featurizer, &layout, &cross, &all, codes.len(), classes.len(), options, &lexicon_cues, folds as u64);
    if !on_event(&TrainEvent { stage: "final".into(), epoch: steps, epochs: steps, loss: fitted.loss, val_f1: Some(report.code_micro_f1) }) {
        return Err(Error::Cancelled);
    }
    let cues: Vec<Vec<u32>> = fitted
        .cues
        .iter()
        .map(|s| {
            let mut v: Vec<u32> = s.iter().copied().collect();
            v.sort_unstable();
            v
        })
        .collect();
    let code_cards = codes
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let m = report.per_code.iter().find(|m| &m.code == id);
            CodeCard {
                code_id: id.clone(),
                name: set.code_names.get(id).cloned().unwrap_or_default(),
                label_count: counts[id.as_str()],
                polarity_counts: pol_counts[id.as_str()].clone(),
                precision: m.map_or(0.0, |m| m.precision),
                recall: m.map_or(0.0, |m| m.recall),
                f1: m.map_or(0.0, |m| m.f1),
                threshold_f1: thresholds_f1[c],
                threshold_precision: thresholds_precision[c],
                too_few: counts[id.as_str()] < crate::TOO_FEW,
            }
        })
        .collect();
    let card = ModelCard {
        format: crate::FORMAT,
        created_by: format!("vocwb-classify {}", env!("CARGO_PKG_VERSION")),
        frame_version: set.frame_version,
        examples: n,
        vocabulary: featurizer.dim(),
        codes: code_cards,
        skipped_codes: skipped,
        polarities: classes.clone(),
        target_precision: options.target_precision,
        validation,
        training_seconds: started.elapsed().as_secs_f64(),
        options: TrainOptions { features: featurizer.extractor.config.clone(), ..options.clone() },
    };
    Ok(Model {
        card,
        tokenizer,
        featurizer,
        codes,
        code_t: transpose(&fitted.code_weights),
        polarity_t: transpose(&fitted.polarity_weights),
        code_weights: fitted.code_weights,
        code_calibration,
        cues,
        lexicon_cues,
        polarity: PolarityModel::new(classes, fitted.polarity_weights, cross, pol_calibration),
        cnns: char_cnns,
        word_cnn: final_word_cnn,
        boosted,
    })
}

/// What a CNN of the ensemble reads.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Char,
    Word,
}

/// A trained net: every row's out-of-fold logits and the models it predicts with.
type TrainedNet = (Vec<Vec<f32>>, Vec<Cnn>);

/// One CNN to train: its settings and every training row's units.
struct NetInput<'a> {
    params: &'a CnnParams,
    unit: Unit,
    /// Predict with the average of the cross-fitting fold models, with no final model.
    average_folds: bool,
    units: Vec<Vec<u32>>,
    /// This net's cross-fitting folds, and each row's fold among them.
    folds: usize,
    fold_of: Vec<usize>,
}

impl NetInput<'_> {
    /// The models to train: `f < folds` leaves fold `f` out, `folds` is the final one.
    fn models(&self) -> std::ops::Range<usize> {
        0..self.folds + usize::from(!self.average_folds)
    }

    /// Nets trained per model (more than one only for a net that averages its folds).
    fn seeds(&self) -> usize {
        if self.average_folds {
            self.params.seeds.max(1)
        } else {
            1
        }
    }
}

/// The cross-fitting folds of a net: its own setting, or the model's.
fn net_folds(params: &CnnParams, folds: usize, n: usize) -> usize {
    if params.folds == 0 {
        folds
    } else {
        params.folds.clamp(2, n.max(2))
    }
}

/// Each of `n` rows' fold among `folds`, from a seeded shuffle.
fn fold_assignment(n: usize, folds: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let mut fold_of = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        fold_of[i] = k % folds;
    }
    fold_of
}

/// Trains each net on each cross-fitting fold's other rows and, unless it averages its folds,
/// once on every row, all side by side on the rayon pool, forwarding each finished epoch to
/// `on_event` (which may cancel). Returns, per net, the out-of-fold logits of every row and the
/// models to predict with: the fold models, or the final one.
#[allow(clippy::too_many_arguments)]
fn train_cnns(
    prep: &Prepared,
    nets: &[NetInput],
    folds: usize,
    n_codes: usize,
    seed: u64,
    steps: usize,
    on_event: &mut dyn FnMut(&TrainEvent) -> bool,
) -> Result<Vec<TrainedNet>> {
    if nets.is_empty() {
        return Ok(Vec::new());
    }
    cnn::single_threaded_candle();
    let n = prep.targets.len();
    let code_targets: Vec<Vec<usize>> = prep.targets.iter().map(|t| t.iter().map(|x| x.0).collect()).collect();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<f64>();
    // Job (net, f, s): model `f < folds` leaves fold `f` out; model `folds` sees everything;
    // `s` numbers a fold's nets.
    let jobs: Vec<(usize, usize, usize)> =
        nets.iter().enumerate().flat_map(|(k, net)| net.models().flat_map(move |f| (0..net.seeds()).map(move |s| (k, f, s)))).collect();
    let models = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            jobs.par_iter()
                .map_with(tx, |tx, &(k, f, s)| {
                    let net = &nets[k];
                    let rows: Vec<usize> = (0..n).filter(|&i| f == net.folds || net.fold_of[i] != f).collect();
                    let texts: Vec<Vec<u32>> = rows.iter().map(|&i| nets[k].units[i].clone()).collect();
                    let targets: Vec<Vec<usize>> = rows.iter().map(|&i| code_targets[i].clone()).collect();
                    let seed = seed ^ ((f as u64) << 20) ^ (3000 + 7919 * k as u64) ^ ((s as u64) << 40);
                    let on_epoch = |_, loss| tx.send(loss).is_ok() && !stop.load(std::sync::atomic::Ordering::Relaxed);
                    cnn::train(&texts, &targets, n_codes, nets[k].params, seed, &on_epoch)
                })
                .collect::<candle_core::Result<Vec<Option<Cnn>>>>()
        });
        let mut done = folds;
        for loss in rx {
            done += 1;
            let event = TrainEvent { stage: "cnn".into(), epoch: done.min(steps - 1), epochs: steps, loss, val_f1: None };
            if !on_event(&event) {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        worker.join().expect("the CNN worker does not panic")
    })?;
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let mut models: Vec<Cnn> = models.into_iter().map(|m| m.ok_or(Error::Cancelled)).collect::<Result<_>>()?;
    let mut out = Vec::new();
    for net in nets.iter().rev() {
        let seeds = net.seeds();
        let mut per_fold: Vec<Cnn> = models.split_off(models.len() - net.models().len() * seeds);
        let final_model = if net.average_folds { None } else { per_fold.pop() };
        let mut oof = vec![vec![0f32; n_codes]; n];
        for (j, model) in per_fold.iter().enumerate() {
            let f = j / seeds;
            let rows: Vec<usize> = (0..n).filter(|&i| net.fold_of[i] == f).collect();
            let logits: Vec<Vec<f32>> = rows
                .par_chunks(64)
                .flat_map_iter(|chunk| model.logits_many(&chunk.iter().map(|&i| net.units[i].as_slice()).collect::<Vec<_>>()))
                .collect();
            for (&i, l) in rows.iter().zip(logits) {
                for (a, v) in oof[i].iter_mut().zip(l) {
                    *a += v / seeds as f32;
                }
            }
        }
        // Every net of every fold predicts, so the logits are means over as many nets as the
        // calibration learnt from.
        out.push((oof, final_model.map_or(per_fold, |m| vec![m])));
    }
    out.reverse();
    Ok(out)
}

/// Which competition signals a code's calibration sees besides its own scores.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stack {
    Off,
    /// The best other code's SVM score and whether this code is the SVMs' top one.
    Svm,
    /// Those, plus each net's best other logit (models of format 5 on).
    SvmAndNets,
}

impl Stack {
    fn of(options: &TrainOptions, format: u32) -> Stack {
        match (options.stack, format >= 5) {
            (false, _) => Stack::Off,
            (true, false) => Stack::Svm,
            (true, true) => Stack::SvmAndNets,
        }
    }
}

/// The largest value but `c`'s, or `empty` when there is none.
fn best_other(v: &[f32], c: usize, empty: f32) -> f32 {
    let other = v.iter().enumerate().filter(|&(j, _)| j != c).map(|(_, &x)| x).fold(f32::NEG_INFINITY, f32::max);
    if other.is_finite() {
        other
    } else {
        empty
    }
}

/// What a code's calibration sees: its score, each CNN's logit for the code (`cnn` holds the
/// nets' logits one after the other), and the competition signals that `stack` asks for. A
/// borderline code next to a clear other one is less likely: measured with dev_folds (seeds
/// 20261123 / 1 / 2, the same members), adding the nets' best other logits moved code micro-F1
/// from 0.8857 / 0.8859 / 0.8846 to 0.8857 / 0.8862 / 0.8866 and pair micro-F1 from
/// 0.6430 / 0.6430 / 0.6436 to 0.6431 / 0.6438 / 0.6458.
fn calibration_inputs(scores: &[f32], cnn: Option<&[f32]>, c: usize, stack: Stack) -> Vec<f32> {
    let mut z = vec![scores[c]];
    if stack != Stack::Off {
        let other = best_other(scores, c, -1.0);
        z.extend([other, if scores[c] >= other { 1.0 } else { 0.0 }]);
    }
    if let Some(cnn) = cnn {
        let nets = cnn.chunks(scores.len().max(1));
        z.extend(nets.clone().map(|net| net[c]));
        if stack == Stack::SvmAndNets {
            z.extend(nets.map(|net| best_other(net, c, -5.0)));
        }
    }
    z
}

fn calibrated(scores: &[f32], cnn: Option<&[f32]>, calibration: &[Platt], stack: Stack) -> Vec<f32> {
    (0..scores.len()).map(|c| calibration[c].prob(&calibration_inputs(scores, cnn, c, stack))).collect()
}

fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

/// What the F1-rule thresholds maximise on out-of-fold probabilities:
/// `(1 - w) · code micro-F1 + w · pair micro-F1`. A code whose polarity is often wrong costs a
/// pair false positive and false negative when applied, so pair F1 asks for stricter
/// thresholds there; `right[i]` lists verbatim `i`'s gold codes and whether their out-of-fold
/// polarity was right.
struct ThresholdObjective<'a> {
    prob: &'a [Vec<f32>],
    right: &'a [Vec<(usize, bool)>],
    pair_weight: f64,
    at_least_one: bool,
}

impl ThresholdObjective<'_> {
    fn value(&self, t: &[f32]) -> f64 {
        let gold_total: usize = self.right.iter().map(Vec::len).sum();
        let (mut ctp, mut cpred, mut ptp) = (0usize, 0usize, 0usize);
        for (p, r) in self.prob.iter().zip(self.right) {
            for c in decide(p, t, self.at_least_one) {
                cpred += 1;
                if let Some(&(_, ok)) = r.iter().find(|x| x.0 == c) {
                    ctp += 1;
                    ptp += ok as usize;
                }
            }
        }
        let f = |tp: usize| if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (cpred + gold_total) as f64 };
        (1.0 - self.pair_weight) * f(ctp) + self.pair_weight * f(ptp)
    }

    /// One threshold for every code. The probabilities are calibrated, so they mean the same
    /// for every code, and for micro-F1 the best cut on calibrated probabilities is one shared
    /// value; per-code cuts fitted on the same out-of-fold rows partly fit their noise.
    fn shared(&self) -> f32 {
        let k = self.prob.first().map_or(0, Vec::len);
        let mut best = (f64::NEG_INFINITY, 0.5f32);
        for step in 20..=180 {
            let g = step as f32 * 0.005;
            let v = self.value(&vec![g; k]);
            if v > best.0 + 1e-12 {
                best = (v, g);
            }
        }
        best.1
    }

    /// Per-code thresholds by coordinate ascent from `start` (each code's own F1 threshold).
    fn per_code(&self, start: Vec<f32>) -> Vec<f32> {
        let mut t = start;
        let mut best = self.value(&t);
        let grid: Vec<f32> = (1..40).map(|k| k as f32 * 0.025).collect();
        for _ in 0..2 {
            for c in 0..t.len() {
                for &g in &grid {
                    let old = t[c];
                    t[c] = g;
                    let v = self.value(&t);
                    if v > best + 1e-9 {
                        best = v;
                    } else {
                        t[c] = old;
                    }
                }
            }
        }
        t
    }
}

/// Codes whose probability passes their threshold, or the best one when none does.
fn decide(p: &[f32], thresholds: &[f32], at_least_one: bool) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..p.len()).filter(|&c| p[c] >= thresholds[c]).collect();
    if chosen.is_empty() && at_least_one && !p.is_empty() {
        chosen.push(argmax(p));
    }
    chosen
}

/// Lexicon terms of each code as feature ids: the jieba word and, when short, the char n-gram.
fn lexicon_cue_ids(featurizer: &Featurizer, tokenizer: &Tokenizer, set: &TrainSet, codes: &[String]) -> Vec<Vec<u32>> {
    let max_n = featurizer.extractor.config.char_max;
    codes
        .iter()
        .map(|code| {
            let mut ids: Vec<u32> = Vec::new();
            let names = set.code_names.get(code).into_iter().cloned();
            let terms = set.lexicon.iter().filter(|e| e.codes.contains(code)).flat_map(|e| e.terms.iter().cloned());
            for term in names.chain(terms) {
                let t: String = crate::features::normalise(&term).into_iter().map(|c| if c == ' ' { '▁' } else { c }).collect();
                if let Some(id) = tokenizer.token_to_id(&format!("w:{t}")) {
                    ids.push(id);
                }
                if t.chars().count() >= 2 && t.chars().count() <= max_n {
                    if let Some(id) = tokenizer.token_to_id(&t) {
                        ids.push(id);
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

struct Fitted {
    code_weights: Vec<Vec<f32>>,
    cues: Vec<FxHashSet<u32>>,
    polarity_weights: Vec<Vec<f32>>,
    loss: f64,
}

/// Trains the code models, finds the cues, then trains the polarity models, on `rows`.
#[allow(clippy::too_many_arguments)]
fn fit_all(
    prep: &Prepared,
    featurizer: &Featurizer,
    layout: &PolarityLayout,
    cross: &[u64],
    rows: &[usize],
    n_codes: usize,
    n_classes: usize,
    options: &TrainOptions,
    lexicon_cues: &[Vec<u32>],
    salt: u64,
) -> Fitted {
    let x: Vec<&SparseVec> = rows.iter().map(|&i| &prep.docs[i]).collect();
    let trained: Vec<(Vec<f32>, f64)> = (0..n_codes)
        .into_par_iter()
        .map(|c| {
            let y: Vec<bool> = rows.iter().map(|&i| prep.targets[i].iter().any(|t| t.0 == c)).collect();
            let seed = options.seed ^ (salt << 20) ^ c as u64;
            if options.nb_alpha <= 0.0 {
                return linear::train_binary(&x, featurizer.dim(), &y, &options.code_svm, seed);
            }
            let scale = nb_scale(&x, &y, featurizer.dim(), options.nb_alpha, options.nb_floor);
            let scaled: Vec<SparseVec> = x
                .iter()
                .map(|r| SparseVec { idx: r.idx.clone(), val: r.idx.iter().zip(&r.val).map(|(&j, &v)| v * scale[j as usize]).collect() })
                .collect();
            let refs: Vec<&SparseVec> = scaled.iter().collect();
            let (mut w, loss) = linear::train_binary(&refs, featurizer.dim(), &y, &options.code_svm, seed);
            // The scale folds into the weights, so prediction is unchanged.
            for (wj, sj) in w.iter_mut().zip(&scale) {
                *wj *= sj;
            }
            (w, loss)
        })
        .collect();
    let loss = trained.iter().map(|t| t.1).sum::<f64>() / n_codes.max(1) as f64;
    let code_weights: Vec<Vec<f32>> = trained.into_iter().map(|t| t.0).collect();
    let cues = top_cues(&code_weights, options.cues_per_code, lexicon_cues);
    // (polarity instance, class, row position, code, window)
    let instances: Vec<(SparseVec, usize, usize, usize, SparseVec)> = rows
        .par_iter()
        .enumerate()
        .flat_map_iter(|(r, &i)| {
            let cues = &cues;
            prep.targets[i].iter().map(move |&(c, k)| {
                let window = window_vector(featurizer, &prep.tokens[i], &cues[c], layout.window);
                (polarity_vector(layout, cross, &prep.docs[i], &window, c), k, r, c, window)
            })
        })
        .collect();
    let px: Vec<&SparseVec> = instances.iter().map(|p| &p.0).collect();
    let svm = || -> Vec<Vec<f32>> {
        (0..n_classes)
            .into_par_iter()
            .map(|k| {
                let y: Vec<bool> = instances.iter().map(|p| p.1 == k).collect();
                linear::train_binary(&px, layout.total(), &y, &options.polarity_svm, options.seed ^ (salt << 20) ^ (1000 + k as u64)).0
            })
            .collect()
    };
    Fitted { code_weights, cues, polarity_weights: svm(), loss }
}

/// NB-SVM feature scale for one code: `floor + |ln((p_j / |p|) / (q_j / |q|))|`, with `p` and
/// `q` the smoothed feature sums over positive and negative rows (Wang & Manning, 2012).
fn nb_scale(x: &[&SparseVec], y: &[bool], dim: usize, alpha: f32, floor: f32) -> Vec<f32> {
    let mut p = vec![alpha as f64; dim];
    let mut q = vec![alpha as f64; dim];
    for (r, &yi) in x.iter().zip(y) {
        let acc = if yi { &mut p } else { &mut q };
        for (&j, &v) in r.idx.iter().zip(&r.val) {
            if (j as usize) < dim {
                acc[j as usize] += v as f64;
            }
        }
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    p.iter().zip(&q).map(|(a, b)| floor + ((a / sp) / (b / sq)).ln().abs() as f32).collect()
}

impl Model {
    /// The modelled code ids, in model order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    fn layout(&self) -> PolarityLayout {
        PolarityLayout {
            dim: self.featurizer.dim(),
            crossed: self.polarity.cross_keys.len(),
            codes: self.codes.len(),
            blocks: self.card.options.polarity_blocks,
            window: self.card.options.window,
        }
    }

    /// The character CNN of the ensemble (the first, when it averages several).
    pub fn cnn(&self) -> Option<&Cnn> {
        self.cnns.first()
    }

    /// The character CNNs whose logits are averaged: the cross-fitting fold models (one
    /// final model in format 3 and older).
    pub fn cnns(&self) -> &[Cnn] {
        &self.cnns
    }

    /// The averaged logits of the character CNNs.
    fn char_logits(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let mut out = vec![vec![0f32; self.codes.len()]; texts.len()];
        // One reading of the texts for every net: each net keeps its own first `max_units`.
        let max_units = self.cnns.iter().map(|c| c.max_units).max().unwrap_or(0);
        let units: Vec<Vec<u32>> = texts.iter().map(|t| cnn::char_units(t, max_units)).collect();
        let units: Vec<&[u32]> = units.iter().map(Vec::as_slice).collect();
        for cnn in &self.cnns {
            for (row, l) in out.iter_mut().zip(cnn.logits_many(&units)) {
                for (a, v) in row.iter_mut().zip(l) {
                    *a += v / self.cnns.len() as f32;
                }
            }
        }
        out
    }

    /// The word CNN of the ensemble, if it was trained with one.
    pub fn word_cnn(&self) -> Option<&Cnn> {
        self.word_cnn.as_ref()
    }

    /// The character CNN's own code probabilities (sigmoid of its logits, before stacking), in
    /// [`Model::codes`] order; `None` without it.
    pub fn cnn_probabilities(&self, text: &str) -> Option<Vec<f32>> {
        if self.cnns.is_empty() {
            return None;
        }
        let logits = self.char_logits(&[text]).pop().expect("one text, one row");
        Some(logits.into_iter().map(|z| crate::calibrate::sigmoid(z as f64) as f32).collect())
    }

    /// The word CNN's own code probabilities, like [`Model::cnn_probabilities`].
    pub fn word_cnn_probabilities(&self, text: &str) -> Option<Vec<f32>> {
        let cnn = self.word_cnn.as_ref()?;
        let units = self.featurizer.word_units(&self.featurizer.tokens(text), cnn.max_units);
        Some(cnn.logits(&units).into_iter().map(|z| crate::calibrate::sigmoid(z as f64) as f32).collect())
    }

    /// The nets' logits for a batch of texts (with their featurizer tokens): per text, the char
    /// CNN's then the word CNN's, as the calibrations were fitted; `None` without nets.
    fn net_logits(&self, texts: &[&str], tokens: &[Vec<Token>]) -> Option<Vec<Vec<f32>>> {
        if self.cnns.is_empty() && self.word_cnn.is_none() {
            return None;
        }
        let mut out = vec![Vec::new(); texts.len()];
        if !self.cnns.is_empty() {
            for (row, l) in out.iter_mut().zip(self.char_logits(texts)) {
                row.extend(l);
            }
        }
        if let Some(cnn) = &self.word_cnn {
            let units: Vec<Vec<u32>> = tokens.iter().map(|t| self.featurizer.word_units(t, cnn.max_units)).collect();
            for (row, l) in out.iter_mut().zip(cnn.logits_many(&units.iter().map(Vec::as_slice).collect::<Vec<_>>())) {
                row.extend(l);
            }
        }
        Some(out)
    }

    /// Uncalibrated code scores (SVM margins), in [`Model::codes`] order.
    pub fn raw_scores(&self, text: &str) -> Vec<f32> {
        let tokens = self.featurizer.tokens(text);
        let doc = self.featurizer.vector(tokens.iter());
        score_all(&self.code_t, self.codes.len(), &doc)
    }

    /// Calibrated code probabilities, in [`Model::codes`] order.
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        let tokens = self.featurizer.tokens(text);
        let doc = self.featurizer.vector(tokens.iter());
        let scores = score_all(&self.code_t, self.codes.len(), &doc);
        let nets = self.net_logits(&[text], std::slice::from_ref(&tokens)).and_then(|mut l| l.pop());
        self.code_probabilities(text, &scores, nets.as_deref())
    }

    /// The stacked probabilities of a text's member scores.
    fn code_probabilities(&self, text: &str, scores: &[f32], nets: Option<&[f32]>) -> Vec<f32> {
        let stack = Stack::of(&self.card.options, self.card.format);
        let mut p = calibrated(scores, nets, &self.code_calibration, stack);
        if let Some(boosted) = &self.boosted {
            boosted.mix(text, scores, nets, stack, &mut p);
        }
        p
    }

    /// Predicts one verbatim.
    pub fn predict(&self, text: &str) -> Prediction {
        self.predict_many(&[text]).pop().expect("one text, one prediction")
    }

    fn cue_sets(&self) -> Vec<FxHashSet<u32>> {
        self.cues.iter().map(|c| c.iter().copied().collect()).collect()
    }

    /// `nets`: the CNNs' logits for this text, computed in batches by the caller.
    /// `doc`: the text's feature vector; `p`: its code probabilities.
    fn predict_with(&self, tokens: &[Token], doc: &SparseVec, p: &[f32], cues: &[FxHashSet<u32>], layout: &PolarityLayout) -> Prediction {
        let thresholds: Vec<f32> = self.card.codes.iter().map(|c| c.threshold_f1).collect();
        let by_f1 = decide(p, &thresholds, self.card.options.at_least_one);
        let mut codes = Vec::new();
        let mut certainty = 1.0f32;
        let classes = self.polarity.classes.len();
        let mut doc_scores: Option<Vec<f32>> = None;
        for c in 0..p.len() {
            let applied_f1 = by_f1.contains(&c);
            certainty *= if applied_f1 { p[c] } else { 1.0 - p[c] };
            if p[c] < REPORT_FLOOR && !applied_f1 {
                continue;
            }
            let window = window_vector(&self.featurizer, tokens, &cues[c], layout.window);
            let doc_scores = doc_scores.get_or_insert_with(|| polarity_doc_scores(layout, &self.polarity_t, classes, doc));
            let scores = polarity_scores(layout, self.polarity.cross_index(), &self.polarity_t, doc_scores, &window, c);
            let probs = self.polarity.calibration.probs(&scores);
            let k = argmax(&probs);
            if applied_f1 {
                certainty *= probs[k];
            }
            let applied_precision = self.card.codes[c].threshold_precision.is_some_and(|t| p[c] >= t);
            codes.push(CodePrediction {
                code_id: self.codes[c].clone(),
                probability: p[c],
                polarity: self.polarity.classes[k],
                polarity_probability: probs[k],
                applied_f1,
                applied_precision,
            });
        }
        codes.sort_by(|a, b| b.probability.total_cmp(&a.probability).then_with(|| a.code_id.cmp(&b.code_id)));
        Prediction { codes, uncertainty: 1.0 - certainty }
    }

    /// Predicts many verbatims in parallel, in order.
    pub fn predict_many(&self, texts: &[&str]) -> Vec<Prediction> {
        let cues = self.cue_sets();
        let layout = self.layout();
        // Batches of texts, so the CNNs' matmuls are large enough to be efficient; each text is
        // segmented once, for the SVMs and the word CNN alike.
        texts
            .par_chunks(64)
            .flat_map_iter(|chunk| {
                let tokens: Vec<Vec<Token>> = chunk.iter().map(|t| self.featurizer.tokens(t)).collect();
                let nets = self.net_logits(chunk, &tokens);
                let docs: Vec<SparseVec> = tokens.iter().map(|t| self.featurizer.vector(t.iter())).collect();
                let scores: Vec<Vec<f32>> = docs.iter().map(|d| score_all(&self.code_t, self.codes.len(), d)).collect();
                let stack = Stack::of(&self.card.options, self.card.format);
                let net_of = |i: usize| nets.as_ref().map(|l| l[i].as_slice());
                let mut p: Vec<Vec<f32>> =
                    scores.iter().enumerate().map(|(i, s)| calibrated(s, net_of(i), &self.code_calibration, stack)).collect();
                if let Some(boosted) = &self.boosted {
                    boosted.mix_many(chunk, &scores, &net_of, stack, &mut p);
                }
                let (cues, layout) = (&cues, &layout);
                tokens
                    .iter()
                    .zip(&docs)
                    .zip(&p)
                    .map(|((t, d), p)| self.predict_with(t, d, p, cues, layout))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Scores the model on labelled examples under a decision rule.
    pub fn evaluate(&self, examples: &[Example], rule: DecisionRule) -> EvalReport {
        let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
        let preds = self.predict_many(&texts);
        let gold: Vec<Vec<(String, Polarity)>> = examples.iter().map(|e| e.labels.clone()).collect();
        let pred: Vec<Vec<(String, Polarity)>> =
            preds.iter().map(|p| p.applied(rule).map(|c| (c.code_id.clone(), c.polarity)).collect()).collect();
        metrics::evaluate(&gold, &pred)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_scores_match_scoring_the_built_instance() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let layout = PolarityLayout { dim: 40, crossed: 0, codes: 3, blocks: [0.5, 1.0, 0.7], window: 8 };
        let sparse = |rng: &mut ChaCha8Rng, ids: &[u32]| SparseVec {
            idx: ids.to_vec(),
            val: ids.iter().map(|_| rand::Rng::random_range(rng, 0.05..1.0)).collect(),
        };
        let doc = sparse(&mut rng, &[1, 4, 9, 17, 30, 39]);
        let window = sparse(&mut rng, &[4, 9, 17]);
        // Code 1 is crossed with features 4 and 17, code 2 with 9.
        let cross_keys: Vec<u64> = vec![(1 << 32) | 4, (1 << 32) | 17, (2 << 32) | 9];
        let layout = PolarityLayout { crossed: cross_keys.len(), ..layout };
        let classes = 4;
        let t: Vec<f32> = (0..(layout.total() + 1) * classes).map(|_| rand::Rng::random_range(&mut rng, -1.0..1.0)).collect();
        let doc_scores = polarity_doc_scores(&layout, &t, classes, &doc);
        let cross = PolarityModel::new(Vec::new(), Vec::new(), cross_keys.clone(), Softmax::identity(classes)).cross_index().clone();
        for code in 0..layout.codes {
            let built = score_all(&t, classes, &polarity_vector(&layout, &cross_keys, &doc, &window, code));
            assert_eq!(polarity_scores(&layout, &cross, &t, &doc_scores, &window, code), built, "code {code}");
        }
    }
}
