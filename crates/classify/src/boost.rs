//! Gradient-boosted decision trees for one binary target: logistic loss, histogram splits,
//! leaf-wise growth. The model uses them as a second stacker beside each code's linear
//! calibration, over the same member scores plus whether each of the commonest char unigrams
//! and bigrams occurs: a tree can weigh a member's score differently next to a word (noise
//! next to 刹车 brake, not next to 发动机 engine), which a weighted sum of scores cannot.
//!
//! A row is a few dense numbers plus the sorted indices of its binary features that are on;
//! binary feature `j` is feature `dense + j` of a split. Training has no randomness, and sums
//! run in a fixed order, so the same rows give the same trees.

use serde::{Deserialize, Serialize};

/// Settings of the boosted trees; saved in the model card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoostParams {
    pub enabled: bool,
    /// Trees per code.
    pub rounds: usize,
    /// Each tree's leaf values are scaled by this (shrinkage).
    pub learning_rate: f64,
    /// Leaves per tree, grown best-first.
    pub leaves: usize,
    /// Rows a leaf needs.
    pub min_leaf: usize,
    /// L2 penalty on leaf values.
    pub l2: f64,
    /// Histogram bins per dense input.
    pub bins: usize,
    /// The commonest char unigrams and bigrams of the training texts offered as inputs.
    pub grams: usize,
}

impl Default for BoostParams {
    fn default() -> Self {
        BoostParams { enabled: true, rounds: 200, learning_rate: 0.05, leaves: 15, min_leaf: 20, l2: 1.0, bins: 255, grams: 1000 }
    }
}

/// One row: dense inputs and the sorted indices of the binary inputs that are on.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub dense: &'a [f32],
    pub on: &'a [u32],
}

const LEAF: u32 = u32::MAX;

/// A tree node; a leaf has `feature == LEAF`. A row goes left when its input is `<= threshold`
/// (a binary input is 0 or 1, its threshold 0.5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub feature: u32,
    pub threshold: f32,
    pub left: u32,
    pub right: u32,
    pub value: f32,
}

/// Boosted trees: `p = sigmoid(base + Σ tree(row))`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Forest {
    pub dense: usize,
    pub base: f32,
    pub trees: Vec<Vec<Node>>,
}

/// A row's binary inputs as a bit set, for the trees' many look-ups.
pub fn bits(on: &[u32], binary: usize) -> Vec<u64> {
    let mut bits = vec![0u64; binary.div_ceil(64)];
    for &j in on {
        if let Some(w) = bits.get_mut(j as usize / 64) {
            *w |= 1 << (j % 64);
        }
    }
    bits
}

impl Forest {
    /// The value of the leaf a row reaches in one tree.
    fn leaf_value(&self, tree: &[Node], dense: &[f32], bits: &[u64]) -> f32 {
        let mut at = 0usize;
        loop {
            let n = &tree[at];
            if n.feature == LEAF {
                return n.value;
            }
            let f = n.feature as usize;
            let x = if f < self.dense {
                dense.get(f).copied().unwrap_or(0.0)
            } else {
                let j = f - self.dense;
                (bits.get(j / 64).is_some_and(|w| w >> (j % 64) & 1 == 1)) as u8 as f32
            };
            at = if x <= n.threshold { n.left } else { n.right } as usize;
        }
    }

    /// The log-odds of a row: its dense inputs and its binary ones as [`bits`].
    pub fn raw(&self, dense: &[f32], bits: &[u64]) -> f32 {
        self.trees.iter().fold(self.base, |z, tree| z + self.leaf_value(tree, dense, bits))
    }

    /// Adds the trees' values of many rows to `raw`, tree by tree, so that each tree stays in
    /// cache while every row goes through it.
    pub fn add_raw_many(&self, dense: &[Vec<f32>], bits: &[Vec<u64>], raw: &mut [f32]) {
        for r in raw.iter_mut() {
            *r += self.base;
        }
        for tree in &self.trees {
            for ((z, b), r) in dense.iter().zip(bits).zip(raw.iter_mut()) {
                *r += self.leaf_value(tree, z, b);
            }
        }
    }

    pub fn prob(&self, dense: &[f32], bits: &[u64]) -> f32 {
        crate::calibrate::sigmoid(self.raw(dense, bits) as f64) as f32
    }
}

/// Gradient, hessian and row count summed over a bin.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    g: f64,
    h: f64,
    n: u32,
}

impl Sums {
    fn add(&mut self, g: f64, h: f64) {
        self.g += g;
        self.h += h;
        self.n += 1;
    }

    fn minus(self, o: Sums) -> Sums {
        Sums { g: self.g - o.g, h: self.h - o.h, n: self.n - o.n }
    }
}

/// A leaf's histograms: per dense input and bin, then per binary input (its rows that are on).
#[derive(Clone)]
struct Histogram {
    dense: Vec<Sums>,
    binary: Vec<Sums>,
    total: Sums,
}

#[derive(Debug, Clone, Copy)]
struct Split {
    gain: f64,
    feature: usize,
    /// Dense: the last bin that goes left; binary: unused.
    bin: usize,
}

struct Grower<'a> {
    rows: &'a [Row<'a>],
    /// Bin of each row's dense inputs, row-major.
    binned: Vec<u8>,
    /// Per dense input: upper edge of each bin but the last.
    edges: Vec<Vec<f32>>,
    bins: usize,
    binary: usize,
    params: &'a BoostParams,
}

/// Upper edges of up to `bins` bins holding about the same number of values.
fn bin_edges(mut values: Vec<f32>, bins: usize) -> Vec<f32> {
    values.retain(|v| v.is_finite());
    values.sort_by(f32::total_cmp);
    values.dedup();
    if values.len() <= bins {
        return values.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
    }
    let mut edges: Vec<f32> = (1..bins).map(|i| values[i * values.len() / bins - 1]).collect();
    edges.dedup();
    edges
}

impl Grower<'_> {
    fn histogram(&self, members: &[u32], g: &[f64], h: &[f64]) -> Histogram {
        let k = self.edges.len();
        let mut hist = Histogram { dense: vec![Sums::default(); k * self.bins], binary: vec![Sums::default(); self.binary], total: Sums::default() };
        for &r in members {
            let r = r as usize;
            let (gr, hr) = (g[r], h[r]);
            hist.total.add(gr, hr);
            for f in 0..k {
                hist.dense[f * self.bins + self.binned[r * k + f] as usize].add(gr, hr);
            }
            for &j in self.rows[r].on {
                if let Some(s) = hist.binary.get_mut(j as usize) {
                    s.add(gr, hr);
                }
            }
        }
        hist
    }

    fn score(&self, s: Sums) -> f64 {
        s.g * s.g / (s.h + self.params.l2)
    }

    fn allowed(&self, s: Sums) -> bool {
        s.n as usize >= self.params.min_leaf.max(1) && s.h >= 1e-3
    }

    fn best_split(&self, hist: &Histogram) -> Option<Split> {
        let parent = self.score(hist.total);
        let mut best: Option<Split> = None;
        let mut consider = |gain: f64, feature: usize, bin: usize| {
            if gain > 1e-9 && best.is_none_or(|b| gain > b.gain) {
                best = Some(Split { gain, feature, bin });
            }
        };
        for (f, edges) in self.edges.iter().enumerate() {
            let mut left = Sums::default();
            for b in 0..edges.len() {
                left = Sums { g: left.g + hist.dense[f * self.bins + b].g, h: left.h + hist.dense[f * self.bins + b].h, n: left.n + hist.dense[f * self.bins + b].n };
                let right = hist.total.minus(left);
                if self.allowed(left) && self.allowed(right) {
                    consider(self.score(left) + self.score(right) - parent, f, b);
                }
            }
        }
        let k = self.edges.len();
        for (j, &on) in hist.binary.iter().enumerate() {
            let off = hist.total.minus(on);
            if self.allowed(on) && self.allowed(off) {
                consider(self.score(on) + self.score(off) - parent, k + j, 0);
            }
        }
        best
    }

    fn goes_left(&self, r: usize, split: &Split) -> bool {
        let k = self.edges.len();
        if split.feature < k {
            (self.binned[r * k + split.feature] as usize) <= split.bin
        } else {
            self.rows[r].on.binary_search(&((split.feature - k) as u32)).is_err()
        }
    }

    /// Grows one tree on the gradients; returns it and adds its values to `raw`.
    fn tree(&self, g: &[f64], h: &[f64], raw: &mut [f64]) -> Vec<Node> {
        struct Open {
            node: usize,
            members: Vec<u32>,
            hist: Histogram,
            split: Option<Split>,
        }
        let all: Vec<u32> = (0..self.rows.len() as u32).collect();
        let hist = self.histogram(&all, g, h);
        let mut nodes = vec![Node { feature: LEAF, threshold: 0.0, left: 0, right: 0, value: 0.0 }];
        let split = self.best_split(&hist);
        let mut open = vec![Open { node: 0, members: all, hist, split }];
        let mut leaves = 1;
        while leaves < self.params.leaves.max(1) {
            // The open leaf whose split gains most; ties go to the earlier leaf.
            let Some(at) = (0..open.len()).filter(|&i| open[i].split.is_some()).fold(None, |best: Option<usize>, i| match best {
                Some(b) if open[b].split.map_or(0.0, |s| s.gain) >= open[i].split.map_or(0.0, |s| s.gain) => Some(b),
                _ => Some(i),
            }) else {
                break;
            };
            let leaf = open.swap_remove(at);
            let split = leaf.split.expect("filtered above");
            let (left, right): (Vec<u32>, Vec<u32>) = leaf.members.iter().partition(|&&r| self.goes_left(r as usize, &split));
            // The smaller child's histogram by counting, the larger's by subtraction.
            let small = if left.len() <= right.len() { &left } else { &right };
            let small_hist = self.histogram(small, g, h);
            let mut large_hist = leaf.hist;
            for (a, b) in large_hist.dense.iter_mut().zip(&small_hist.dense) {
                *a = a.minus(*b);
            }
            for (a, b) in large_hist.binary.iter_mut().zip(&small_hist.binary) {
                *a = a.minus(*b);
            }
            large_hist.total = large_hist.total.minus(small_hist.total);
            let (left_hist, right_hist) = if left.len() <= right.len() { (small_hist, large_hist) } else { (large_hist, small_hist) };
            let k = self.edges.len();
            let threshold = if split.feature < k { self.edges[split.feature][split.bin] } else { 0.5 };
            let (l, r) = (nodes.len(), nodes.len() + 1);
            nodes[leaf.node] = Node { feature: split.feature as u32, threshold, left: l as u32, right: r as u32, value: 0.0 };
            nodes.push(Node { feature: LEAF, threshold: 0.0, left: 0, right: 0, value: 0.0 });
            nodes.push(Node { feature: LEAF, threshold: 0.0, left: 0, right: 0, value: 0.0 });
            let left_split = self.best_split(&left_hist);
            let right_split = self.best_split(&right_hist);
            open.push(Open { node: l, members: left, hist: left_hist, split: left_split });
            open.push(Open { node: r, members: right, hist: right_hist, split: right_split });
            leaves += 1;
        }
        for leaf in &open {
            let t = leaf.hist.total;
            let value = -t.g / (t.h + self.params.l2) * self.params.learning_rate;
            nodes[leaf.node].value = value as f32;
            for &r in &leaf.members {
                raw[r as usize] += value;
            }
        }
        nodes
    }
}

/// Fits boosted trees to `y` over `rows`, whose binary inputs are indices below `binary`.
pub fn fit(rows: &[Row], binary: usize, y: &[bool], params: &BoostParams) -> Forest {
    let dense = rows.first().map_or(0, |r| r.dense.len());
    let bins = params.bins.clamp(2, 256);
    let edges: Vec<Vec<f32>> = (0..dense).map(|f| bin_edges(rows.iter().map(|r| r.dense[f]).collect(), bins)).collect();
    let mut binned = vec![0u8; rows.len() * dense];
    for (r, row) in rows.iter().enumerate() {
        for (f, e) in edges.iter().enumerate() {
            binned[r * dense + f] = e.partition_point(|&edge| edge < row.dense[f]) as u8;
        }
    }
    let pos = y.iter().filter(|&&v| v).count() as f64;
    let neg = y.len() as f64 - pos;
    let base = ((pos + 0.5) / (neg + 0.5)).ln();
    let grower = Grower { rows, binned, edges, bins, binary, params };
    let mut raw = vec![base; rows.len()];
    let (mut g, mut h) = (vec![0f64; rows.len()], vec![0f64; rows.len()]);
    let mut trees = Vec::with_capacity(params.rounds);
    for _ in 0..params.rounds {
        for i in 0..rows.len() {
            let p = crate::calibrate::sigmoid(raw[i]);
            g[i] = p - if y[i] { 1.0 } else { 0.0 };
            h[i] = (p * (1.0 - p)).max(1e-12);
        }
        trees.push(grower.tree(&g, &h, &mut raw));
    }
    Forest { dense, base: base as f32, trees }
}

/// The commonest char unigrams and bigrams of some texts (by their number of occurrences; ties
/// by the n-gram), as inputs for the trees.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Grams {
    /// Each gram's chars as `first << 32 | second` (a unigram's second is 0), in input order.
    pub grams: Vec<u64>,
    #[serde(skip)]
    index: std::sync::OnceLock<rustc_hash::FxHashMap<u64, u32>>,
}

fn grams_of(chars: &[char]) -> impl Iterator<Item = u64> + '_ {
    chars.iter().map(|&c| (c as u64) << 32).chain(chars.windows(2).map(|w| (w[0] as u64) << 32 | w[1] as u64))
}

impl Grams {
    pub fn top(texts: &[Vec<char>], count: usize) -> Grams {
        let mut counts: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
        for t in texts {
            for g in grams_of(t) {
                *counts.entry(g).or_default() += 1;
            }
        }
        let mut all: Vec<(u64, u32)> = counts.into_iter().collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Grams { grams: all.into_iter().take(count).map(|(g, _)| g).collect(), index: Default::default() }
    }

    pub fn len(&self) -> usize {
        self.grams.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }

    /// Sorted indices of the grams a text has.
    pub fn on(&self, chars: &[char]) -> Vec<u32> {
        let index = self.index.get_or_init(|| self.grams.iter().enumerate().map(|(i, &g)| (g, i as u32)).collect());
        let mut on: Vec<u32> = grams_of(chars).filter_map(|g| index.get(&g).copied()).collect();
        on.sort_unstable();
        on.dedup();
        on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The target is "input 0 above 0.5 and gram 1 on": no single input separates it, and a
    /// linear model over them scores worse than the trees.
    #[test]
    fn learns_an_interaction_of_a_score_and_a_gram() {
        let mut dense = Vec::new();
        let mut on = Vec::new();
        let mut y = Vec::new();
        for i in 0..400u32 {
            let x = (i % 20) as f32 / 20.0;
            let gram = i % 3 == 0;
            dense.push(vec![x, ((i * 7) % 11) as f32]);
            on.push(if gram { vec![1u32] } else { vec![0u32, 2] });
            y.push(x > 0.5 && gram);
        }
        let rows: Vec<Row> = dense.iter().zip(&on).map(|(d, o)| Row { dense: d, on: o }).collect();
        let forest = fit(&rows, 3, &y, &BoostParams { rounds: 60, learning_rate: 0.2, leaves: 4, min_leaf: 5, ..BoostParams::default() });
        let right = rows.iter().zip(&y).filter(|(r, &t)| (forest.prob(r.dense, &bits(r.on, 3)) > 0.5) == t).count();
        assert_eq!(right, rows.len());
        // Scoring many rows at once gives each row's own score.
        let dense_rows: Vec<Vec<f32>> = rows.iter().map(|r| r.dense.to_vec()).collect();
        let bit_rows: Vec<Vec<u64>> = rows.iter().map(|r| bits(r.on, 3)).collect();
        let mut raw = vec![0f32; rows.len()];
        forest.add_raw_many(&dense_rows, &bit_rows, &mut raw);
        for ((d, b), r) in dense_rows.iter().zip(&bit_rows).zip(&raw) {
            assert!((forest.raw(d, b) - r).abs() < 1e-5);
        }
        // Reproducible: the same rows give the same forest.
        assert_eq!(forest, fit(&rows, 3, &y, &BoostParams { rounds: 60, learning_rate: 0.2, leaves: 4, min_leaf: 5, ..BoostParams::default() }));
    }

    #[test]
    fn grams_are_ranked_by_count() {
        let texts: Vec<Vec<char>> = ["油耗高", "油耗低", "油门"].iter().map(|t| t.chars().collect()).collect();
        let g = Grams::top(&texts, 2);
        // 油 occurs three times; 耗 and 油耗 twice, and the tie goes to the smaller key (油 < 耗).
        let key = |a: char, b: Option<char>| (a as u64) << 32 | b.map_or(0, |b| b as u64);
        assert_eq!(g.grams, vec![key('油', None), key('油', Some('耗'))]);
        assert_eq!(g.on(&"耗油".chars().collect::<Vec<_>>()), vec![0]);
        assert_eq!(g.on(&"油耗".chars().collect::<Vec<_>>()), vec![0, 1]);
    }
}
