//! A small neural model trained with candle's autograd and AdamW, ensembled with the SVMs.
//!
//! The input is the verbatim's TF-IDF vector restricted to the most frequent features of the
//! training rows: a weighted bag of feature embeddings (an EmbeddingBag, as in fastText) plus a
//! bias and a ReLU gives a hidden vector `h`. One sigmoid head per code reads `h(text)`; the
//! polarity head of a code reads `[h(text), h(window)]`, the window being the text around the
//! code's cues, through weights shared by all codes plus weights of that code, so a post that
//! praises the power and complains about fuel can get two polarities.
//!
//! Training runs on candle tensors (index_select + index_add make the sparse bag, so only the
//! rows in a batch cost work in the forward pass). Prediction reads the same weights in plain
//! Rust loops: a verbatim touches a few hundred embedding rows, far below candle's per-op cost.
//!
//! Everything random (initial weights, batch order, dropout masks) comes from one seeded
//! ChaCha stream, so a seed gives the same model.

use crate::features::SparseVec;
use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Settings of the neural model; saved in the model card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NeuralParams {
    pub enabled: bool,
    pub hidden: usize,
    /// Inputs are the features in at least `min_df` training rows, at most this many (most
    /// frequent first): it bounds the embedding table that AdamW updates every step.
    pub max_features: usize,
    pub min_df: u32,
    pub epochs: usize,
    /// At least this many optimizer steps (more epochs on small sets, which would otherwise
    /// stop after a handful of steps).
    pub min_steps: usize,
    pub batch: usize,
    /// AdamW's learning rate at the start; it decays linearly to a tenth.
    pub lr: f64,
    pub weight_decay: f64,
    /// Dropout on the hidden vectors while training.
    pub dropout: f32,
    /// Weight of the polarity loss against the code loss.
    pub polarity_weight: f32,
}

impl Default for NeuralParams {
    fn default() -> Self {
        NeuralParams {
            enabled: true,
            hidden: 48,
            max_features: 20_000,
            min_df: 2,
            epochs: 5,
            min_steps: 100,
            batch: 128,
            lr: 0.02,
            weight_decay: 0.01,
            dropout: 0.2,
            polarity_weight: 1.0,
        }
    }
}

/// A trained neural model: weights as plain row-major vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Neural {
    /// Featurizer ids of the inputs, in input order.
    pub features: Vec<u32>,
    /// Featurizer id to input row (`u32::MAX`: not an input).
    index: Vec<u32>,
    pub hidden: usize,
    pub codes: usize,
    pub classes: usize,
    /// `[features, hidden]`
    pub emb: Vec<f32>,
    /// `[hidden]`
    pub b1: Vec<f32>,
    /// `[hidden, codes]`, `[codes]`
    pub wc: Vec<f32>,
    pub bc: Vec<f32>,
    /// Shared polarity weights `[2 hidden, classes]`, per-code ones `[codes, 2 hidden, classes]`,
    /// per-code biases `[codes, classes]`.
    pub wp: Vec<f32>,
    pub wpc: Vec<f32>,
    pub bp: Vec<f32>,
}

/// A polarity training pair: row (position in the training rows), code, class, window vector.
pub struct PairInput<'a> {
    pub row: usize,
    pub code: usize,
    pub class: usize,
    pub window: &'a SparseVec,
}

fn index_of(features: &[u32], dim: usize) -> Vec<u32> {
    let mut index = vec![u32::MAX; dim];
    for (k, &f) in features.iter().enumerate() {
        index[f as usize] = k as u32;
    }
    index
}

/// The sparse bags of several vectors as flat (input row, weight, bag) lists.
fn bags<'a>(rows: impl Iterator<Item = &'a SparseVec>, index: &[u32]) -> (Vec<u32>, Vec<f32>, Vec<u32>) {
    let (mut ids, mut vals, mut seg) = (Vec::new(), Vec::new(), Vec::new());
    for (b, r) in rows.enumerate() {
        for (&j, &v) in r.idx.iter().zip(&r.val) {
            if let Some(&k) = index.get(j as usize) {
                if k != u32::MAX {
                    ids.push(k);
                    vals.push(v);
                    seg.push(b as u32);
                }
            }
        }
    }
    (ids, vals, seg)
}

struct Vars {
    b1: Var,
    wc: Var,
    bc: Var,
    wp: Var,
    wpc: Var,
    bp: Var,
}

fn uniform(rng: &mut ChaCha8Rng, n: usize, a: f32) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-a..a)).collect()
}

/// `relu(bag · emb + b1)` for `n` bags, with an optional dropout mask; `emb` holds the rows
/// the bags' ids point to.
fn hidden_t(v: &Vars, emb: &Tensor, bag: (Vec<u32>, Vec<f32>, Vec<u32>), n: usize, h: usize, mask: Option<Tensor>) -> candle_core::Result<Tensor> {
    let dev = Device::Cpu;
    let (ids, vals, seg) = bag;
    let sum = if ids.is_empty() {
        Tensor::zeros((n, h), DType::F32, &dev)?
    } else {
        let len = ids.len();
        let rows = emb.index_select(&Tensor::from_vec(ids, len, &dev)?, 0)?;
        let rows = rows.broadcast_mul(&Tensor::from_vec(vals, (len, 1), &dev)?)?;
        Tensor::zeros((n, h), DType::F32, &dev)?.index_add(&Tensor::from_vec(seg, len, &dev)?, &rows, 0)?
    };
    let out = sum.broadcast_add(v.b1.as_tensor())?.relu()?;
    match mask {
        Some(m) => out * m,
        None => Ok(out),
    }
}

/// AdamW on the given rows of a `[rows, h]` table (`t`: the global step, from 1), with the
/// defaults of candle-nn's AdamW; rows a batch does not use keep their moments.
#[allow(clippy::too_many_arguments)]
fn lazy_adamw(w: &mut [f32], m: &mut [f32], v: &mut [f32], rows: &[u32], g: &[f32], h: usize, t: usize, lr: f64, wd: f64) {
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let c1 = 1.0 / (1.0 - b1.powi(t as i32));
    let c2 = 1.0 / (1.0 - b2.powi(t as i32));
    let (lr, decay) = (lr as f32, 1.0 - (lr * wd) as f32);
    for (k, &r) in rows.iter().enumerate() {
        let base = r as usize * h;
        for j in 0..h {
            let (gi, x) = (g[k * h + j], base + j);
            m[x] = b1 * m[x] + (1.0 - b1) * gi;
            v[x] = b2 * v[x] + (1.0 - b2) * gi * gi;
            w[x] = w[x] * decay - lr * (m[x] * c1) / ((v[x] * c2).sqrt() + eps);
        }
    }
}

fn dropout_mask(rng: &mut ChaCha8Rng, n: usize, h: usize, p: f32) -> candle_core::Result<Option<Tensor>> {
    if p <= 0.0 {
        return Ok(None);
    }
    let keep = 1.0 / (1.0 - p);
    let m: Vec<f32> = (0..n * h).map(|_| if rng.random::<f32>() < p { 0.0 } else { keep }).collect();
    Ok(Some(Tensor::from_vec(m, (n, h), &Device::Cpu)?))
}

/// Keeps candle's element-wise ops on the calling thread. Its worker pool spins while it waits
/// for its threads; on two cores shared with the SVMs (and other work) that spinning cost more
/// than the ops. Our tensors are small and folds already run side by side, so one thread is
/// faster. A value the user set is kept. Runs before candle's pool is first created.
fn single_threaded_candle() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
            std::env::set_var("CANDLE_NUM_THREADS", "1");
        }
    });
}

/// Trains on `docs` (training rows) with their code targets and polarity pairs.
#[allow(clippy::too_many_arguments)]
pub fn train(
    docs: &[&SparseVec],
    code_targets: &[Vec<usize>],
    pairs: &[PairInput<'_>],
    dim: usize,
    codes: usize,
    classes: usize,
    params: &NeuralParams,
    seed: u64,
) -> candle_core::Result<Neural> {
    single_threaded_candle();
    let dev = Device::Cpu;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Inputs: the most frequent features of these rows.
    let mut df = vec![0u32; dim];
    for d in docs {
        for &j in &d.idx {
            if (j as usize) < dim {
                df[j as usize] += 1;
            }
        }
    }
    let mut features: Vec<u32> = (0..dim as u32).filter(|&j| df[j as usize] >= params.min_df.max(1)).collect();
    features.sort_by(|&a, &b| df[b as usize].cmp(&df[a as usize]).then(a.cmp(&b)));
    features.truncate(params.max_features.max(1));
    features.sort_unstable();
    let index = index_of(&features, dim);
    let (f, h, k) = (features.len().max(1), params.hidden.max(1), classes.max(1));
    let h2 = 2 * h;
    // The embedding table stays outside candle: each step gathers the rows its batch uses
    // into a small leaf tensor, candle's autograd gives their gradient, and a lazy AdamW
    // updates only those rows (as sparse Adam does). A dense AdamW step would touch the whole
    // table every batch, which dominated training time.
    let mut emb = uniform(&mut rng, f * h, 0.5);
    let mut emb_m = vec![0f32; f * h];
    let mut emb_v = vec![0f32; f * h];
    let mut local = vec![u32::MAX; f];
    let v = Vars {
        b1: Var::from_vec(vec![0.05f32; h], h, &dev)?,
        wc: Var::from_vec(uniform(&mut rng, h * codes, (1.0 / h as f32).sqrt()), (h, codes), &dev)?,
        bc: Var::from_vec(vec![-2.0f32; codes], codes, &dev)?,
        wp: Var::from_vec(uniform(&mut rng, h2 * k, (1.0 / h2 as f32).sqrt()), (h2, k), &dev)?,
        wpc: Var::from_vec(vec![0f32; codes * h2 * k], (codes, h2 * k), &dev)?,
        bp: Var::from_vec(vec![0f32; codes * k], (codes, k), &dev)?,
    };
    let vars = vec![v.b1.clone(), v.wc.clone(), v.bc.clone(), v.wp.clone(), v.wpc.clone(), v.bp.clone()];
    let mut opt = AdamW::new(vars, ParamsAdamW { lr: params.lr, weight_decay: params.weight_decay, ..ParamsAdamW::default() })?;
    // Pairs of each row, so a batch of rows brings its pairs along.
    let mut pairs_of: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
    for (p, pair) in pairs.iter().enumerate() {
        pairs_of[pair.row].push(p);
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let batch = params.batch.max(1);
    let per_epoch = docs.len().div_ceil(batch).max(1);
    let epochs = params.epochs.max(params.min_steps.div_ceil(per_epoch));
    let steps = epochs * per_epoch;
    let mut step = 0usize;
    for _ in 0..epochs {
        order.shuffle(&mut rng);
        for chunk in order.chunks(batch) {
            let lr = params.lr * (1.0 - 0.9 * step as f64 / steps.max(1) as f64);
            opt.set_learning_rate(lr);
            step += 1;
            let n = chunk.len();
            let mask = dropout_mask(&mut rng, n, h, params.dropout)?;
            let batch_pairs: Vec<(usize, usize)> =
                chunk.iter().enumerate().flat_map(|(b, &i)| pairs_of[i].iter().map(move |&p| (b, p))).collect();
            let mut doc_bag = bags(chunk.iter().map(|&i| docs[i]), &index);
            let mut win_bag = bags(batch_pairs.iter().map(|&(_, p)| pairs[p].window), &index);
            // Table rows of this batch, renumbered 0.. in order of first use.
            let mut rows_used: Vec<u32> = Vec::new();
            for id in doc_bag.0.iter_mut().chain(win_bag.0.iter_mut()) {
                let slot = &mut local[*id as usize];
                if *slot == u32::MAX {
                    *slot = rows_used.len() as u32;
                    rows_used.push(*id);
                }
                *id = *slot;
            }
            let mut gathered = Vec::with_capacity(rows_used.len() * h);
            for &r in &rows_used {
                gathered.extend_from_slice(&emb[r as usize * h..(r as usize + 1) * h]);
            }
            let sub = Var::from_vec(gathered, (rows_used.len(), h), &dev)?;
            let hd = hidden_t(&v, sub.as_tensor(), doc_bag, n, h, mask)?;
            let mut y = vec![0f32; n * codes];
            for (b, &i) in chunk.iter().enumerate() {
                for &c in &code_targets[i] {
                    y[b * codes + c] = 1.0;
                }
            }
            let y = Tensor::from_vec(y, (n, codes), &dev)?;
            let z = hd.matmul(v.wc.as_tensor())?.broadcast_add(v.bc.as_tensor())?;
            // Stable BCE with logits: relu(z) - z·y + ln(1 + e^-|z|), summed over codes.
            let bce = ((z.relu()? - (&z * &y)?)? + z.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?)?;
            let mut loss = (bce.sum_all()? / n as f64)?;
            if !batch_pairs.is_empty() && k > 1 {
                let np = batch_pairs.len();
                let mask = dropout_mask(&mut rng, np, h, params.dropout)?;
                let hw = hidden_t(&v, sub.as_tensor(), win_bag, np, h, mask)?;
                let rows = Tensor::from_vec(batch_pairs.iter().map(|&(b, _)| b as u32).collect::<Vec<_>>(), np, &dev)?;
                let code_ids = Tensor::from_vec(batch_pairs.iter().map(|&(_, p)| pairs[p].code as u32).collect::<Vec<_>>(), np, &dev)?;
                let target = Tensor::from_vec(batch_pairs.iter().map(|&(_, p)| pairs[p].class as u32).collect::<Vec<_>>(), np, &dev)?;
                let x = Tensor::cat(&[hd.index_select(&rows, 0)?, hw], 1)?;
                let own = v.wpc.as_tensor().index_select(&code_ids, 0)?.reshape((np, h2, k))?;
                let logits = (x.matmul(v.wp.as_tensor())? + x.unsqueeze(1)?.matmul(&own)?.squeeze(1)?)?;
                let logits = (logits + v.bp.as_tensor().index_select(&code_ids, 0)?)?;
                let ce = candle_nn::loss::cross_entropy(&logits, &target)?;
                loss = (loss + (ce * params.polarity_weight as f64)?)?;
            }
            let grads = loss.backward()?;
            opt.step(&grads)?;
            if let Some(g) = grads.get(sub.as_tensor()) {
                let g = g.flatten_all()?.to_vec1::<f32>()?;
                lazy_adamw(&mut emb, &mut emb_m, &mut emb_v, &rows_used, &g, h, step, lr, params.weight_decay);
            }
            for &r in &rows_used {
                local[r as usize] = u32::MAX;
            }
        }
    }
    let flat = |x: &Var| x.as_tensor().flatten_all()?.to_vec1::<f32>();
    Ok(Neural {
        index,
        hidden: h,
        codes,
        classes: k,
        emb,
        b1: flat(&v.b1)?,
        wc: flat(&v.wc)?,
        bc: flat(&v.bc)?,
        wp: flat(&v.wp)?,
        wpc: flat(&v.wpc)?,
        bp: flat(&v.bp)?,
        features,
    })
}

impl Neural {
    /// Rebuilds a model from saved weights (`dim`: the featurizer's dimension).
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        features: Vec<u32>,
        dim: usize,
        hidden: usize,
        codes: usize,
        classes: usize,
        emb: Vec<f32>,
        b1: Vec<f32>,
        wc: Vec<f32>,
        bc: Vec<f32>,
        wp: Vec<f32>,
        wpc: Vec<f32>,
        bp: Vec<f32>,
    ) -> Option<Neural> {
        let h2 = 2 * hidden;
        let ok = features.iter().all(|&f| (f as usize) < dim)
            && emb.len() == features.len().max(1) * hidden
            && b1.len() == hidden
            && wc.len() == hidden * codes
            && bc.len() == codes
            && wp.len() == h2 * classes
            && wpc.len() == codes * h2 * classes
            && bp.len() == codes * classes;
        ok.then(|| Neural { index: index_of(&features, dim), features, hidden, codes, classes, emb, b1, wc, bc, wp, wpc, bp })
    }

    /// The hidden vector of a TF-IDF vector.
    pub fn hidden_of(&self, x: &SparseVec) -> Vec<f32> {
        let h = self.hidden;
        let mut out = self.b1.clone();
        for (&j, &v) in x.idx.iter().zip(&x.val) {
            if let Some(&k) = self.index.get(j as usize) {
                if k != u32::MAX {
                    let row = &self.emb[k as usize * h..(k as usize + 1) * h];
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += v * w;
                    }
                }
            }
        }
        for o in &mut out {
            *o = o.max(0.0);
        }
        out
    }

    /// Code logits from a text's hidden vector.
    pub fn code_logits(&self, hd: &[f32]) -> Vec<f32> {
        let mut z = self.bc.clone();
        for (i, &x) in hd.iter().enumerate() {
            if x != 0.0 {
                for (zc, w) in z.iter_mut().zip(&self.wc[i * self.codes..(i + 1) * self.codes]) {
                    *zc += x * w;
                }
            }
        }
        z
    }

    /// Polarity logits of a code from the text's and the window's hidden vectors.
    pub fn polarity_logits(&self, hd: &[f32], hw: &[f32], code: usize) -> Vec<f32> {
        let k = self.classes;
        let h2 = 2 * self.hidden;
        let own = &self.wpc[code * h2 * k..(code + 1) * h2 * k];
        let mut z = self.bp[code * k..(code + 1) * k].to_vec();
        for (i, &x) in hd.iter().chain(hw).enumerate() {
            if x != 0.0 {
                for c in 0..k {
                    z[c] += x * (self.wp[i * k + c] + own[i * k + c]);
                }
            }
        }
        z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two codes over four features; the polarity is carried by feature 3 in the window.
    fn toy() -> (Vec<SparseVec>, Vec<Vec<usize>>, Vec<(usize, usize, usize, SparseVec)>) {
        let mut docs = Vec::new();
        let mut targets = Vec::new();
        let mut pairs = Vec::new();
        for i in 0..80usize {
            let code = i % 2;
            let good = (i / 2) % 2 == 0;
            let mut idx = vec![code as u32];
            if good {
                idx.push(3);
            }
            let val = vec![1.0; idx.len()];
            let window = SparseVec { idx: idx.clone(), val: val.clone() };
            docs.push(SparseVec { idx, val });
            targets.push(vec![code]);
            pairs.push((i, code, usize::from(good), window));
        }
        (docs, targets, pairs)
    }

    fn fit(seed: u64) -> (Neural, Vec<SparseVec>, Vec<(usize, usize, usize, SparseVec)>) {
        let (docs, targets, pairs) = toy();
        let refs: Vec<&SparseVec> = docs.iter().collect();
        let inputs: Vec<PairInput<'_>> =
            pairs.iter().map(|(r, c, k, w)| PairInput { row: *r, code: *c, class: *k, window: w }).collect();
        let params = NeuralParams { hidden: 8, epochs: 30, batch: 16, min_df: 1, ..NeuralParams::default() };
        let model = train(&refs, &targets, &inputs, 4, 2, 2, &params, seed).unwrap();
        (model, docs, pairs)
    }

    #[test]
    fn learns_codes_and_polarity_of_a_toy_set() {
        let (model, docs, pairs) = fit(7);
        for (d, (_, code, class, w)) in docs.iter().zip(&pairs) {
            let hd = model.hidden_of(d);
            let z = model.code_logits(&hd);
            assert!(z[*code] > z[1 - code], "code {code}: {z:?}");
            let p = model.polarity_logits(&hd, &model.hidden_of(w), *code);
            assert!(p[*class] > p[1 - class], "class {class}: {p:?}");
        }
    }

    #[test]
    fn same_seed_same_weights() {
        assert_eq!(fit(3).0, fit(3).0);
        assert_ne!(fit(3).0.emb, fit(4).0.emb);
    }
}
