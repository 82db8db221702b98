//! A TextCNN over a sequence of units: the part of the ensemble that reads word order, which
//! the bags of n-grams behind the SVMs do not. The model trains two of them, one over the
//! verbatim's normalised characters and one over its jieba words (the featurizer's word ids);
//! a unit is a `u32` either way (a character's code point, a word's feature id).
//!
//! Each unit gets an embedding; filters of several widths slide over the text; each filter
//! keeps its strongest window (max-pooling over time, then ReLU); one sigmoid output per code
//! reads the pooled vector through dropout.
//!
//! Training uses candle twice: the convolution of a batch is one candle matmul (characters ×
//! filter slices), and the output layer with its loss runs through candle's autograd and AdamW. The convolution's
//! gradient is written out by hand, because max-pooling sends each filter's gradient to a
//! single window: that costs batch·filters·width·dim multiply-adds, where autograd would make
//! a full pass back over every position (measured 14× slower on the dev set).
//!
//! Everything random (embeddings, filters, batch order, dropout) comes from one seeded ChaCha
//! stream, so a seed gives the same model.

use crate::features::normalise;
use candle_core::{Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use multiversion::multiversion;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use rustc_hash::FxHashMap;

/// Settings of the CNN; saved in the model card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CnnParams {
    pub enabled: bool,
    /// Size of a character embedding.
    pub embedding: usize,
    /// Filters per width.
    pub filters: usize,
    /// Window widths in characters.
    pub widths: Vec<usize>,
    pub epochs: usize,
    /// At least this many optimizer steps (more epochs on small sets).
    pub min_steps: usize,
    pub batch: usize,
    /// Adam's learning rate at the start; it decays linearly to a tenth.
    pub lr: f64,
    pub weight_decay: f64,
    /// Dropout on the pooled vector while training.
    pub dropout: f32,
    /// Units read per verbatim; the rest is cut off. Max-pooling takes any length, so this
    /// only bounds the cost of a pathological input: a long call transcript is read whole.
    #[serde(alias = "max_chars")]
    pub max_units: usize,
    /// Units seen fewer times in the training rows share the unknown embedding.
    pub min_count: u32,
    /// Extra training rows per epoch, as a share of the real ones, each made by joining two
    /// random rows and uniting their codes. Many verbatims raise several topics, and the joined
    /// rows teach the max-pooled net that topics add up (measured on the dev folds: +0.5 points
    /// code micro-F1 for the char CNN alone at the same training time).
    pub concat: f32,
    /// Cross-fitting folds of this net; 0 uses the model's own (`TrainOptions::folds`).
    pub folds: usize,
    /// Nets trained per cross-fitting fold, each from its own seed, for a net that predicts
    /// with its fold models: the mean of a fold's nets gives its out-of-fold logits, which the
    /// calibration learns from, and all of them predict. Measured with dev_folds (code
    /// micro-F1, seeds 20261123 / 1 / 2, shared thresholds): one net 0.8863 / 0.8868 / 0.8860;
    /// two 0.8871 / 0.8879 / 0.8875 at +11 s of training on the dev set (when only the first of
    /// each fold predicted: 0.8868 / 0.8872 / 0.8870).
    pub seeds: usize,
}

impl Default for CnnParams {
    fn default() -> Self {
        CnnParams {
            enabled: true,
            embedding: 64,
            // Measured with dev_folds (code micro-F1, seeds 20261123 / 1 / 2): 128 filters
            // 0.8847 / 0.8853 / 0.8830, 192 filters 0.8857 / 0.8859 / 0.8846 at +12 % training
            // time; 256 scored lower again (0.8840 / 0.8844).
            filters: 192,
            widths: vec![1, 2, 3, 4],
            epochs: 5,
            min_steps: 150,
            batch: 64,
            lr: 0.003,
            weight_decay: 0.01,
            dropout: 0.5,
            max_units: 3000,
            min_count: 2,
            concat: 0.5,
            folds: 0,
            seeds: 2,
        }
    }
}

impl CnnParams {
    /// The word CNN's defaults: words are longer units than characters, so narrower windows;
    /// a text has fewer words than characters, so more epochs at a lower cost. More than 128
    /// filters did not help it (192: code micro-F1 0.8862 / 0.8854 against 0.8857 / 0.8859 in
    /// dev_folds, seeds 20261123 / 1) and cost a fifth more time.
    pub fn words() -> CnnParams {
        CnnParams { widths: vec![1, 2, 3], epochs: 8, filters: 128, seeds: 1, ..CnnParams::default() }
    }
}

/// A trained CNN: weights as plain row-major vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Cnn {
    /// Known units, sorted; unit `vocab[i]` has embedding row `i + 1` (row 0: unknown).
    pub vocab: Vec<u32>,
    index: FxHashMap<u32, u32>,
    pub embedding: usize,
    pub filters: usize,
    pub widths: Vec<usize>,
    pub max_units: usize,
    pub codes: usize,
    /// `[vocab + 1, embedding]`
    pub emb: Vec<f32>,
    /// Per width `k`: filters `[filters, k · embedding]` and biases `[filters]`.
    pub conv_w: Vec<Vec<f32>>,
    pub conv_b: Vec<Vec<f32>>,
    /// `[widths · filters, codes]`, `[codes]`
    pub out_w: Vec<f32>,
    pub out_b: Vec<f32>,
    /// Every known unit's filter-slice responses, built on the first prediction.
    table: Derived<(Vec<f32>, Vec<usize>)>,
    /// `out_w` by code (`[codes, widths · filters]`), for the output layer's dot products;
    /// built on the first prediction.
    out_t: Derived<Vec<f32>>,
}

/// Largest projection table a model keeps for prediction, in floats (64 MB).
const TABLE_LIMIT: usize = 16 << 20;

/// Something computed from a [`Cnn`]'s weights for prediction, on first use, once the weights
/// no longer change: it takes no part in comparing two models.
#[derive(Debug, Clone, Default)]
struct Derived<T>(std::sync::OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Pooled vectors of a batch and, for the backward pass, where each filter's maximum was.
struct Pooled {
    /// `[rows, widths · filters]`
    value: Vec<f32>,
    /// Start of the winning window per (row, width, filter); empty unless asked for.
    arg: Vec<u32>,
}

/// Adam with decoupled weight decay over a slice of plain weights.
struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Adam {
    fn new(n: usize) -> Adam {
        Adam { m: vec![0.0; n], v: vec![0.0; n] }
    }

    fn step(&mut self, w: &mut [f32], g: &[f32], range: std::ops::Range<usize>, t: usize, lr: f32, wd: f32) {
        let (b1, b2) = (0.9f32, 0.999f32);
        let c1 = 1.0 / (1.0 - b1.powi(t as i32));
        let c2 = 1.0 / (1.0 - b2.powi(t as i32));
        let r = range;
        adam_update(&mut w[r.clone()], &g[r.clone()], &mut self.m[r.clone()], &mut self.v[r], c1, c2, lr, wd);
    }
}

/// One Adam step over matching slices; `c1`, `c2` are the bias corrections.
#[allow(clippy::too_many_arguments)]
#[multiversion(targets = "simd")]
fn adam_update(w: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], c1: f32, c2: f32, lr: f32, wd: f32) {
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    for (((w, &gi), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        *m = b1 * *m + (1.0 - b1) * gi;
        *v = b2 * *v + (1.0 - b2) * gi * gi;
        *w = *w * (1.0 - lr * wd) - lr * (*m * c1) / ((*v * c2).sqrt() + eps);
    }
}

fn uniform(rng: &mut ChaCha8Rng, n: usize, a: f32) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-a..a)).collect()
}

/// The training rows' units that occur at least `min_count` times, sorted.
fn vocabulary(texts: &[Vec<u32>], min_count: u32) -> Vec<u32> {
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    for t in texts {
        for &c in t {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut vocab: Vec<u32> = counts.into_iter().filter(|&(_, n)| n >= min_count.max(1)).map(|(c, _)| c).collect();
    vocab.sort_unstable();
    vocab
}

fn index_of(vocab: &[u32]) -> FxHashMap<u32, u32> {
    vocab.iter().enumerate().map(|(i, &c)| (c, i as u32 + 1)).collect()
}

/// The character units of a text: its normalised characters' code points.
pub fn char_units(text: &str, max_units: usize) -> Vec<u32> {
    normalise(text).into_iter().take(max_units).map(u32::from).collect()
}

/// Epochs a training on `rows` texts runs: `epochs`, or more to reach `min_steps` steps.
pub fn epochs_for(rows: usize, params: &CnnParams) -> usize {
    let per_epoch = (rows + joined_rows(rows, params)).div_ceil(params.batch.max(1)).max(1);
    params.epochs.max(params.min_steps.div_ceil(per_epoch))
}

/// Joined rows added to each epoch of a training on `rows` texts (see [`CnnParams::concat`]).
fn joined_rows(rows: usize, params: &CnnParams) -> usize {
    (rows as f64 * params.concat.max(0.0) as f64) as usize
}

/// Keeps candle's matmuls on the calling thread. Its worker pool spins while it waits for its
/// threads; the CNNs of the cross-fitting folds already train side by side, one per core, so
/// more threads per matmul only cost. A value the user set is kept. Runs before candle's pool
/// is first created.
pub(crate) fn single_threaded_candle() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
            std::env::set_var("CANDLE_NUM_THREADS", "1");
        }
    });
}

/// Trains on unit sequences (e.g. [`char_units`]) and their code targets. `on_epoch` gets the
/// epoch just finished and its mean loss, and returns `false` to stop (the result is then `None`).
pub fn train(
    texts: &[Vec<u32>],
    targets: &[Vec<usize>],
    codes: usize,
    params: &CnnParams,
    seed: u64,
    on_epoch: &dyn Fn(usize, f64) -> bool,
) -> candle_core::Result<Option<Cnn>> {
    let vocab = vocabulary(texts, params.min_count);
    let index = index_of(&vocab);
    let (e, f) = (params.embedding.max(1), params.filters.max(1));
    let widths: Vec<usize> = params.widths.iter().copied().filter(|&k| k > 0).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let h = widths.len() * f;
    let mut cnn = Cnn {
        index,
        embedding: e,
        filters: f,
        max_units: params.max_units,
        codes,
        emb: uniform(&mut rng, (vocab.len() + 1) * e, 1.0),
        conv_w: widths.iter().map(|&k| uniform(&mut rng, f * k * e, (1.0 / (k * e) as f32).sqrt())).collect(),
        conv_b: widths.iter().map(|_| vec![0f32; f]).collect(),
        out_w: Vec::new(),
        out_b: Vec::new(),
        table: Derived::default(),
        out_t: Derived::default(),
        widths,
        vocab,
    };
    let dev = Device::Cpu;
    let out_w = Var::from_vec(uniform(&mut rng, h * codes, (1.0 / h as f32).sqrt()), (h, codes), &dev)?;
    let out_b = Var::from_vec(vec![-1.0f32; codes], codes, &dev)?;
    let mut opt = AdamW::new(vec![out_w.clone(), out_b.clone()], ParamsAdamW { lr: params.lr, weight_decay: params.weight_decay, ..ParamsAdamW::default() })?;
    let encoded: Vec<Vec<u32>> = texts.iter().map(|t| cnn.encode(t)).collect();
    let mut adam_emb = Adam::new(cnn.emb.len());
    let mut adam_w: Vec<Adam> = cnn.conv_w.iter().map(|w| Adam::new(w.len())).collect();
    let mut adam_b: Vec<Adam> = cnn.conv_b.iter().map(|b| Adam::new(b.len())).collect();
    let mut g_emb = vec![0f32; cnn.emb.len()];
    let mut touched = vec![false; cnn.vocab.len() + 1];
    let batch = params.batch.max(1);
    let extra = joined_rows(texts.len(), params);
    let per_epoch = (texts.len() + extra).div_ceil(batch).max(1);
    let epochs = epochs_for(texts.len(), params);
    let steps = epochs * per_epoch;
    let mut encoded = encoded;
    let mut targets: Vec<Vec<usize>> = targets.to_vec();
    let real = texts.len();
    let mut order: Vec<usize> = (0..real + extra).collect();
    let mut step = 0usize;
    let wd = params.weight_decay as f32;
    for epoch in 0..epochs {
        // This epoch's joined rows; unit 0 (unknown) marks the seam.
        encoded.truncate(real);
        targets.truncate(real);
        for _ in 0..extra {
            let (a, b) = (rng.random_range(0..real), rng.random_range(0..real));
            let mut u = encoded[a].clone();
            u.push(0);
            u.extend_from_slice(&encoded[b]);
            let mut t = targets[a].clone();
            for &c in &targets[b] {
                if !t.contains(&c) {
                    t.push(c);
                }
            }
            encoded.push(u);
            targets.push(t);
        }
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for chunk in order.chunks(batch) {
            let lr = params.lr * (1.0 - 0.9 * step as f64 / steps.max(1) as f64);
            opt.set_learning_rate(lr);
            step += 1;
            let n = chunk.len();
            let rows: Vec<&[u32]> = chunk.iter().map(|&i| encoded[i].as_slice()).collect();
            let pooled = cnn.pool(&rows)?;
            let keep = 1.0 / (1.0 - params.dropout.clamp(0.0, 0.9));
            let mask: Vec<f32> = (0..n * h).map(|_| if rng.random::<f32>() < params.dropout { 0.0 } else { keep }).collect();
            let pv = Var::from_vec(pooled.value.clone(), (n, h), &dev)?;
            let mask = Tensor::from_vec(mask, (n, h), &dev)?;
            let z = (pv.as_tensor() * &mask)?.matmul(out_w.as_tensor())?.broadcast_add(out_b.as_tensor())?;
            let mut y = vec![0f32; n * codes];
            for (b, &i) in chunk.iter().enumerate() {
                for &c in &targets[i] {
                    y[b * codes + c] = 1.0;
                }
            }
            let y = Tensor::from_vec(y, (n, codes), &dev)?;
            // Stable BCE with logits: relu(z) - z·y + ln(1 + e^-|z|), summed over codes.
            let bce = ((z.relu()? - (&z * &y)?)? + z.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?)?;
            let loss = (bce.sum_all()? / n as f64)?;
            total += loss.to_scalar::<f32>()? as f64 * n as f64;
            let grads = loss.backward()?;
            opt.step(&grads)?;
            let Some(g_pooled) = grads.get(pv.as_tensor()) else { continue };
            let g_pooled = g_pooled.flatten_all()?.to_vec1::<f32>()?;
            // The convolution's backward pass, through each filter's winning window only.
            let mut g_w: Vec<Vec<f32>> = cnn.conv_w.iter().map(|w| vec![0f32; w.len()]).collect();
            let mut g_b: Vec<Vec<f32>> = cnn.conv_b.iter().map(|b| vec![0f32; b.len()]).collect();
            let mut used: Vec<usize> = Vec::new();
            let nw = cnn.widths.len();
            conv_backward(&cnn, &rows, &pooled, &g_pooled, &mut g_w, &mut g_b, &mut g_emb, &mut touched, &mut used);
            let lr = lr as f32;
            for wi in 0..nw {
                let len = cnn.conv_w[wi].len();
                adam_w[wi].step(&mut cnn.conv_w[wi], &g_w[wi], 0..len, step, lr, wd);
                adam_b[wi].step(&mut cnn.conv_b[wi], &g_b[wi], 0..f, step, lr, 0.0);
            }
            // Only the characters in this batch move (as sparse Adam does).
            for &c in &used {
                adam_emb.step(&mut cnn.emb, &g_emb, c * e..(c + 1) * e, step, lr, 0.0);
                g_emb[c * e..(c + 1) * e].iter_mut().for_each(|x| *x = 0.0);
                touched[c] = false;
            }
        }
        if !on_epoch(epoch + 1, total / (real + extra).max(1) as f64) {
            return Ok(None);
        }
    }
    cnn.out_w = out_w.as_tensor().flatten_all()?.to_vec1::<f32>()?;
    cnn.out_b = out_b.as_tensor().to_vec1::<f32>()?;
    Ok(Some(cnn))
}

/// The convolution's backward pass, through each filter's winning window only: adds to the
/// weight, bias and embedding gradients, and lists each embedding row it reaches once in
/// `used` (marking it in `touched`).
#[allow(clippy::too_many_arguments)]
#[multiversion(targets = "simd")]
fn conv_backward(
    cnn: &Cnn,
    rows: &[&[u32]],
    pooled: &Pooled,
    g_pooled: &[f32],
    g_w: &mut [Vec<f32>],
    g_b: &mut [Vec<f32>],
    g_emb: &mut [f32],
    touched: &mut [bool],
    used: &mut Vec<usize>,
) {
    let (e, f, nw) = (cnn.embedding, cnn.filters, cnn.widths.len());
    for (b, row) in rows.iter().enumerate() {
        for (wi, &k) in cnn.widths.iter().enumerate() {
            let ke = k * e;
            for (fi, gb) in g_b[wi].iter_mut().enumerate() {
                let o = (b * nw + wi) * f + fi;
                let g = g_pooled[o];
                if pooled.value[o] <= 0.0 || g == 0.0 {
                    continue;
                }
                let t = pooled.arg[o] as usize;
                *gb += g;
                for j in 0..k.min(row.len() - t) {
                    let c = row[t + j] as usize;
                    if !touched[c] {
                        touched[c] = true;
                        used.push(c);
                    }
                    let at = fi * ke + j * e;
                    let w = &cnn.conv_w[wi][at..at + e];
                    let x = &cnn.emb[c * e..(c + 1) * e];
                    let gw = &mut g_w[wi][at..at + e];
                    let gx = &mut g_emb[c * e..(c + 1) * e];
                    for ((gw, gx), (x, w)) in gw.iter_mut().zip(gx.iter_mut()).zip(x.iter().zip(w)) {
                        *gw += g * x;
                        *gx += g * w;
                    }
                }
            }
        }
    }
}

/// [`Cnn::max_over_windows`], compiled for each SIMD level and picked at run time: the sums
/// and maxima over rows of filters are a large share of training and prediction. The float
/// operations are the same on every level, so every machine gets the same model from a seed.
#[multiversion(targets = "simd")]
fn max_over_windows(cnn: &Cnn, rows: &[&[u32]], proj: &[f32], col_of: &[usize], track: bool) -> Pooled {
    let (f, nw) = (cnn.filters, cnn.widths.len());
    let cols: usize = cnn.widths.iter().sum::<usize>() * f;
    let mut value = vec![0f32; rows.len() * nw * f];
    let mut arg = if track { vec![0u32; rows.len() * nw * f] } else { Vec::new() };
    let mut acc = vec![0f32; f];
    let mut best = vec![0f32; f];
    for (b, r) in rows.iter().enumerate() {
        if r.is_empty() {
            continue;
        }
        for (wi, &k) in cnn.widths.iter().enumerate() {
            best.fill(f32::NEG_INFINITY);
            let slot = (b * nw + wi) * f..(b * nw + wi + 1) * f;
            for t in 0..r.len() {
                let row = |j: usize| {
                    let start = r[t + j] as usize * cols + col_of[wi] + j * f;
                    &proj[start..start + f]
                };
                // The window's sum: a one-row window is read in place, and a longer one's first
                // two rows are added in one pass (a copy first cost as much as the maximum).
                let m = k.min(r.len() - t);
                let sum: &[f32] = if m == 1 {
                    row(0)
                } else {
                    for ((a, x), y) in acc.iter_mut().zip(row(0)).zip(row(1)) {
                        *a = x + y;
                    }
                    for j in 2..m {
                        for (a, v) in acc.iter_mut().zip(row(j)) {
                            *a += v;
                        }
                    }
                    &acc
                };
                // Branch-free, so the compiler can vectorise; only training needs the argmax.
                if track {
                    let t = t as u32;
                    for ((a, m), i) in sum.iter().zip(best.iter_mut()).zip(arg[slot.clone()].iter_mut()) {
                        let better = *a > *m;
                        *m = if better { *a } else { *m };
                        *i = if better { t } else { *i };
                    }
                } else {
                    for (a, m) in sum.iter().zip(best.iter_mut()) {
                        *m = if *a > *m { *a } else { *m };
                    }
                }
            }
            for ((out, m), bias) in value[slot].iter_mut().zip(&best).zip(&cnn.conv_b[wi]) {
                *out = (m + bias).max(0.0);
            }
        }
    }
    Pooled { value, arg }
}

/// Code logits of pooled rows (`[rows, h]`) through the output layer (`out_t`: `[codes, h]`).
/// Each dot product keeps sixteen running sums, added up in a fixed order: they vectorise,
/// and every SIMD level gives the same floats. Many pooled values are zero after the ReLU,
/// but a dense dot product is still several times faster than skipping them row by row.
#[multiversion(targets = "simd")]
fn output_logits(pooled: &[f32], h: usize, out_t: &[f32], out_b: &[f32]) -> Vec<Vec<f32>> {
    const LANES: usize = 16;
    pooled
        .chunks(h.max(1))
        .map(|p| {
            out_t
                .chunks(h.max(1))
                .zip(out_b)
                .map(|(w, &b)| {
                    let mut acc = [0f32; LANES];
                    for (x, y) in p.chunks_exact(LANES).zip(w.chunks_exact(LANES)) {
                        for i in 0..LANES {
                            acc[i] += x[i] * y[i];
                        }
                    }
                    let tail = h - h % LANES;
                    let rest: f32 = p[tail..].iter().zip(&w[tail..]).map(|(x, y)| x * y).sum();
                    b + acc.iter().sum::<f32>() + rest
                })
                .collect()
        })
        .collect()
}

impl Cnn {
    /// Rebuilds a model from saved weights; `None` if the sizes do not fit together.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        vocab: Vec<u32>,
        embedding: usize,
        filters: usize,
        widths: Vec<usize>,
        max_units: usize,
        codes: usize,
        emb: Vec<f32>,
        conv_w: Vec<Vec<f32>>,
        conv_b: Vec<Vec<f32>>,
        out_w: Vec<f32>,
        out_b: Vec<f32>,
    ) -> Option<Cnn> {
        let fits = emb.len() == (vocab.len() + 1) * embedding
            && conv_w.len() == widths.len()
            && conv_b.len() == widths.len()
            && widths.iter().zip(&conv_w).all(|(&k, w)| w.len() == filters * k * embedding)
            && conv_b.iter().all(|b| b.len() == filters)
            && out_w.len() == widths.len() * filters * codes
            && out_b.len() == codes;
        fits.then(|| Cnn {
            index: index_of(&vocab),
            vocab,
            embedding,
            filters,
            widths,
            max_units,
            codes,
            emb,
            conv_w,
            conv_b,
            out_w,
            out_b,
            table: Derived::default(),
            out_t: Derived::default(),
        })
    }

    fn encode(&self, units: &[u32]) -> Vec<u32> {
        units.iter().take(self.max_units).map(|c| self.index.get(c).copied().unwrap_or(0)).collect()
    }

    /// The filters as rows, one per (width, offset, filter): the `e` weights of that offset;
    /// and the first such row of each width.
    fn filter_slices(&self) -> (Vec<f32>, Vec<usize>) {
        let (e, f) = (self.embedding, self.filters);
        let mut col_of = Vec::with_capacity(self.widths.len());
        let mut slices: Vec<f32> = Vec::new();
        for (wi, &k) in self.widths.iter().enumerate() {
            col_of.push(slices.len() / e);
            for j in 0..k {
                for fi in 0..f {
                    let at = fi * k * e + j * e;
                    slices.extend_from_slice(&self.conv_w[wi][at..at + e]);
                }
            }
        }
        (slices, col_of)
    }

    /// Embedding rows `units` times every filter slice, as a `[units, slices]` matrix.
    fn project(&self, units: &[u32], slices: &[f32]) -> candle_core::Result<Tensor> {
        let e = self.embedding;
        let mut x = Vec::with_capacity(units.len() * e);
        for &c in units {
            x.extend_from_slice(&self.emb[c as usize * e..(c as usize + 1) * e]);
        }
        let x = Tensor::from_vec(x, (units.len(), e), &Device::Cpu)?;
        let w = Tensor::from_vec(slices.to_vec(), (slices.len() / e, e), &Device::Cpu)?;
        x.matmul(&w.t()?)
    }

    /// Max-pooled filter responses of a batch of encoded texts, while training.
    ///
    /// A filter's response to a window is the sum over its offsets of that offset's weights
    /// times the unit there. So each distinct unit of the batch is multiplied with every
    /// (width, offset) slice of the filters once, in one matmul, and a window's response is a
    /// sum of k looked-up rows. A batch has far fewer distinct units than windows, which makes
    /// this about five times cheaper than a matmul over every window. Keeps where each maximum
    /// was, for the backward pass.
    fn pool(&self, rows: &[&[u32]]) -> candle_core::Result<Pooled> {
        // Distinct units of the batch, numbered in order of first use.
        let mut local: FxHashMap<u32, u32> = FxHashMap::default();
        let mut units: Vec<u32> = Vec::new();
        let rows_local: Vec<Vec<u32>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&c| {
                        *local.entry(c).or_insert_with(|| {
                            units.push(c);
                            units.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[u32]> = rows_local.iter().map(Vec::as_slice).collect();
        if units.is_empty() {
            return Ok(self.max_over_windows(&refs, &[], &[], true));
        }
        let (slices, col_of) = self.filter_slices();
        let proj = self.project(&units, &slices)?;
        // Read the product in place: copying it out cost a tenth of the training time.
        let (storage, layout) = proj.storage_and_layout();
        let proj: &[f32] = match (&*storage, layout.contiguous_offsets()) {
            (candle_core::Storage::Cpu(cpu), Some((start, end))) => &cpu.as_slice::<f32>()?[start..end],
            _ => candle_core::bail!("the CNN's projection is not a contiguous CPU tensor"),
        };
        Ok(self.max_over_windows(&refs, proj, &col_of, true))
    }

    /// Max-pooled responses for prediction: the weights no longer change, so every known
    /// unit's projection is computed once, on first use, and kept.
    fn pool_frozen(&self, rows: &[&[u32]]) -> Pooled {
        self.pool_frozen_within(rows, TABLE_LIMIT)
    }

    /// [`Cnn::pool_frozen`], keeping a table only up to `limit` floats; a bigger vocabulary
    /// (say the words of a very large project) is projected batch by batch instead.
    fn pool_frozen_within(&self, rows: &[&[u32]], limit: usize) -> Pooled {
        match self.projection_table(limit) {
            Some((table, col_of)) => self.max_over_windows(rows, table, col_of, false),
            // Built from tensors of matching shapes on the CPU; a failure would be a bug.
            None => self.pool(rows).expect("CNN forward pass on CPU tensors"),
        }
    }

    /// Every known unit's filter-slice responses, built on first use; `None` when the table
    /// would pass `limit` floats.
    fn projection_table(&self, limit: usize) -> Option<&(Vec<f32>, Vec<usize>)> {
        let cols = self.widths.iter().sum::<usize>() * self.filters;
        if (self.vocab.len() + 1) * cols > limit {
            return None;
        }
        Some(self.table.0.get_or_init(|| {
            let (slices, col_of) = self.filter_slices();
            let all: Vec<u32> = (0..=self.vocab.len() as u32).collect();
            // Built from tensors of matching shapes on the CPU; a failure would be a bug.
            let proj = self.project(&all, &slices).and_then(|t| t.flatten_all()?.to_vec1::<f32>());
            (proj.expect("CNN projection table on CPU tensors"), col_of)
        }))
    }

    /// Builds the projection table now rather than on the first prediction (a loaded model
    /// does this, so that auto-coding starts at full speed).
    pub fn prepare(&self) {
        self.projection_table(TABLE_LIMIT);
        self.output_by_code();
    }

    /// For each row, width and filter, the largest window response plus bias, through a ReLU.
    /// `proj` has a row of filter-slice responses per unit id used in `rows`; `col_of` is the
    /// first slice of each width. `track` also records the winning window.
    fn max_over_windows(&self, rows: &[&[u32]], proj: &[f32], col_of: &[usize], track: bool) -> Pooled {
        max_over_windows(self, rows, proj, col_of, track)
    }

    /// Code logits of a unit sequence.
    pub fn logits(&self, units: &[u32]) -> Vec<f32> {
        self.logits_many(&[units]).pop().expect("one text, one row")
    }

    /// Code logits of several unit sequences, in order. One matmul covers them all, which is
    /// several times faster than a text at a time.
    pub fn logits_many(&self, texts: &[&[u32]]) -> Vec<Vec<f32>> {
        let rows: Vec<Vec<u32>> = texts.iter().map(|t| self.encode(t)).collect();
        let refs: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
        let pooled = self.pool_frozen(&refs);
        let h = self.widths.len() * self.filters;
        output_logits(&pooled.value, h, self.output_by_code(), &self.out_b)
    }

    fn output_by_code(&self) -> &[f32] {
        self.out_t.0.get_or_init(|| {
            let h = self.widths.len() * self.filters;
            let mut t = vec![0f32; self.out_w.len()];
            for j in 0..h {
                for c in 0..self.codes {
                    t[c * h + j] = self.out_w[j * self.codes + c];
                }
            }
            t
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_table_and_the_batch_projection_agree() {
        let texts: Vec<Vec<u32>> = ["动力很猛", "油耗太高了", "后排空间大", "动力一般油耗低"].iter().map(|t| char_units(t, 100)).collect();
        let targets = vec![vec![0], vec![1], vec![2], vec![0, 1]];
        let params = CnnParams { embedding: 8, filters: 4, epochs: 2, min_steps: 2, min_count: 1, ..CnnParams::default() };
        let cnn = train(&texts, &targets, 3, &params, 1, &|_, _| true).unwrap().unwrap();
        let mut rows: Vec<Vec<u32>> = texts.iter().map(|t| cnn.encode(t)).collect();
        rows.push(cnn.encode(&char_units("没见过的字", 100)));
        let refs: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
        let by_table = cnn.pool_frozen_within(&refs, usize::MAX).value;
        let by_batch = cnn.pool_frozen_within(&refs, 0).value;
        assert!(by_table.iter().any(|&v| v > 0.0), "some filters fire");
        for (a, b) in by_table.iter().zip(&by_batch) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
    }
}
