//! Calibration (scores to probabilities), expected calibration error and decision thresholds.
//!
//! Scores are calibrated on out-of-fold predictions of the training set, never on the data a
//! model was fitted on, so the probabilities mean what they say on new verbatims.

/// Binary calibration: `p = sigmoid(a · z + b)` over one or more scores `z` (Platt scaling;
/// with one input it is temperature scaling plus a bias).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Platt {
    pub a: Vec<f64>,
    pub b: f64,
}

pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

impl Platt {
    /// Uncalibrated: `sigmoid(z0)`.
    pub fn identity(inputs: usize) -> Platt {
        let mut a = vec![0.0; inputs];
        if inputs > 0 {
            a[0] = 1.0;
        }
        Platt { a, b: 0.0 }
    }

    pub fn prob(&self, z: &[f32]) -> f32 {
        let x: f64 = self.a.iter().zip(z).map(|(a, &z)| a * z as f64).sum::<f64>() + self.b;
        sigmoid(x) as f32
    }

    /// Fits by Newton's method on Platt's smoothed targets, with a small ridge for stability.
    pub fn fit(z: &[Vec<f32>], y: &[bool]) -> Platt {
        let k = z.first().map_or(1, Vec::len);
        let pos = y.iter().filter(|&&v| v).count() as f64;
        let neg = y.len() as f64 - pos;
        let (t_pos, t_neg) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
        let mut theta = vec![0.0f64; k + 1];
        theta[0] = 1.0;
        theta[k] = 0.0;
        let ridge = 1e-3;
        for _ in 0..50 {
            let mut grad = vec![0.0; k + 1];
            let mut hess = vec![vec![0.0; k + 1]; k + 1];
            for (zi, &yi) in z.iter().zip(y) {
                let mut x = vec![1.0; k + 1];
                for j in 0..k {
                    x[j] = zi[j] as f64;
                }
                let p = sigmoid(x.iter().zip(&theta).map(|(a, b)| a * b).sum());
                let t = if yi { t_pos } else { t_neg };
                let w = (p * (1.0 - p)).max(1e-9);
                for a in 0..=k {
                    grad[a] += (p - t) * x[a];
                    for b in 0..=k {
                        hess[a][b] += w * x[a] * x[b];
                    }
                }
            }
            for a in 0..k {
                grad[a] += ridge * theta[a];
                hess[a][a] += ridge;
            }
            hess[k][k] += 1e-9;
            let Some(step) = solve(hess, grad) else { break };
            let mut moved = 0.0f64;
            for a in 0..=k {
                theta[a] -= step[a];
                moved = moved.max(step[a].abs());
            }
            if moved < 1e-7 {
                break;
            }
        }
        Platt { a: theta[..k].to_vec(), b: theta[k] }
    }
}

/// Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut m: Vec<Vec<f64>>, mut v: Vec<f64>) -> Option<Vec<f64>> {
    let n = v.len();
    for c in 0..n {
        let p = (c..n).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))?;
        if m[p][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, p);
        v.swap(c, p);
        for r in c + 1..n {
            let f = m[r][c] / m[c][c];
            let (upper, lower) = m.split_at_mut(r);
            for (x, &y) in lower[0][c..n].iter_mut().zip(&upper[c][c..n]) {
                *x -= f * y;
            }
            v[r] -= f * v[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| m[r][k] * x[k]).sum();
        x[r] = (v[r] - s) / m[r][r];
    }
    Some(x)
}

/// Multi-class calibration: `softmax(A · s + b)` over the classes' scores.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Softmax {
    pub a: Vec<Vec<f64>>,
    pub b: Vec<f64>,
}

impl Softmax {
    pub fn identity(k: usize) -> Softmax {
        let a = (0..k).map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
        Softmax { a, b: vec![0.0; k] }
    }

    pub fn probs(&self, s: &[f32]) -> Vec<f32> {
        let logits: Vec<f64> = self
            .a
            .iter()
            .zip(&self.b)
            .map(|(row, b)| row.iter().zip(s).map(|(a, &s)| a * s as f64).sum::<f64>() + b)
            .collect();
        softmax(&logits).into_iter().map(|p| p as f32).collect()
    }

    /// Fits by full-batch gradient descent with momentum on the mean log loss (convex).
    /// `s` may hold several scores per class (`m` a multiple of `k`, e.g. several models'
    /// scores): each block starts as the identity, so the start is their sum. Inputs
    /// are scaled to unit spread for the descent (models differ in scale), then scaled back.
    pub fn fit(s: &[Vec<f32>], y: &[usize], k: usize) -> Softmax {
        let m = s.first().map_or(k, Vec::len);
        let mut cal = Softmax { a: (0..k).map(|c| (0..m).map(|j| if j % k.max(1) == c { 1.0 } else { 0.0 }).collect()).collect(), b: vec![0.0; k] };
        if s.is_empty() || k < 2 {
            return cal;
        }
        let n = s.len() as f64;
        let sd: Vec<f64> = (0..m)
            .map(|j| {
                let ms = s.iter().map(|x| (x[j] as f64).powi(2)).sum::<f64>() / n;
                if ms > 1e-12 { ms.sqrt() } else { 1.0 }
            })
            .collect();
        let z: Vec<Vec<f64>> = s.iter().map(|x| x.iter().zip(&sd).map(|(&v, d)| v as f64 / d).collect()).collect();
        for row in &mut cal.a {
            for (a, d) in row.iter_mut().zip(&sd) {
                *a *= d;
            }
        }
        let lr = 0.5;
        let mut va = vec![vec![0.0; m]; k];
        let mut vb = vec![0.0; k];
        for _ in 0..400 {
            let mut ga = vec![vec![0.0; m]; k];
            let mut gb = vec![0.0; k];
            for (zi, &yi) in z.iter().zip(y) {
                let logits: Vec<f64> =
                    (0..k).map(|c| cal.a[c].iter().zip(zi).map(|(a, x)| a * x).sum::<f64>() + cal.b[c]).collect();
                let p = softmax(&logits);
                for c in 0..k {
                    let d = p[c] - if c == yi { 1.0 } else { 0.0 };
                    gb[c] += d / n;
                    for j in 0..m {
                        ga[c][j] += d * zi[j] / n;
                    }
                }
            }
            for c in 0..k {
                vb[c] = 0.9 * vb[c] - lr * gb[c];
                cal.b[c] += vb[c];
                for j in 0..m {
                    va[c][j] = 0.9 * va[c][j] - lr * (ga[c][j] + 1e-4 * cal.a[c][j]);
                    cal.a[c][j] += va[c][j];
                }
            }
        }
        for row in &mut cal.a {
            for (a, d) in row.iter_mut().zip(&sd) {
                *a /= d;
            }
        }
        cal
    }
}

pub fn softmax(x: &[f64]) -> Vec<f64> {
    let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = x.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// Expected calibration error of binary probabilities over `bins` equal-width bins.
pub fn ece(p: &[f32], y: &[bool], bins: usize) -> f64 {
    let mut conf = vec![0.0f64; bins];
    let mut acc = vec![0.0f64; bins];
    let mut cnt = vec![0usize; bins];
    for (&pi, &yi) in p.iter().zip(y) {
        let b = ((pi as f64 * bins as f64) as usize).min(bins - 1);
        conf[b] += pi as f64;
        acc[b] += if yi { 1.0 } else { 0.0 };
        cnt[b] += 1;
    }
    let n = p.len().max(1) as f64;
    (0..bins).filter(|&b| cnt[b] > 0).map(|b| (conf[b] - acc[b]).abs() / n).sum()
}

/// The lowest probability threshold at which predictions reach `target` precision on
/// (probability, truth) pairs; `None` when no threshold with at least `min_support`
/// predictions does.
pub fn precision_threshold(p: &[f32], y: &[bool], target: f64, min_support: usize) -> Option<f32> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let (mut tp, mut k) = (0usize, 0usize);
    let mut best = None;
    let mut i = 0;
    while i < order.len() {
        // Equal probabilities are one cut.
        let t = p[order[i]];
        while i < order.len() && p[order[i]] == t {
            tp += y[order[i]] as usize;
            k += 1;
            i += 1;
        }
        if k >= min_support && tp as f64 / k as f64 >= target {
            best = Some(t);
        }
    }
    best
}

/// The threshold that maximises F1 on (probability, truth) pairs, half-way between the
/// two probabilities around the best cut.
pub fn f1_threshold(p: &[f32], y: &[bool]) -> f32 {
    let positives = y.iter().filter(|&&v| v).count();
    if positives == 0 {
        return 0.5;
    }
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let (mut tp, mut k) = (0usize, 0usize);
    let (mut best_f1, mut best_t) = (0.0f64, 0.5f32);
    let mut i = 0;
    while i < order.len() {
        let t = p[order[i]];
        while i < order.len() && p[order[i]] == t {
            tp += y[order[i]] as usize;
            k += 1;
            i += 1;
        }
        let f1 = 2.0 * tp as f64 / (k + positives) as f64;
        if f1 > best_f1 {
            best_f1 = f1;
            let next = if i < order.len() { p[order[i]] } else { 0.0 };
            best_t = (t + next) / 2.0;
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_learns_scale_and_shift() {
        // Truth is 1 when z > 1; a steep, shifted sigmoid fits it.
        let z: Vec<Vec<f32>> = (0..200).map(|i| vec![i as f32 / 50.0 - 2.0]).collect();
        let y: Vec<bool> = z.iter().map(|v| v[0] > 1.0).collect();
        let cal = Platt::fit(&z, &y);
        assert!(cal.prob(&[1.8]) > 0.9);
        assert!(cal.prob(&[0.2]) < 0.1);
    }

    #[test]
    fn thresholds_on_a_ranked_list() {
        let p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let y = [true, true, false, true, false, false];
        assert_eq!(precision_threshold(&p, &y, 0.99, 1), Some(0.8));
        assert_eq!(precision_threshold(&p, &y, 0.75, 1), Some(0.6));
        assert!((f1_threshold(&p, &y) - 0.55).abs() < 1e-6);
    }
}
