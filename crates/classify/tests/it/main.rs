//! Integration tests of the classifier on small made-up labelled sets (fast in debug builds).

mod model;

use rand::{Rng, SeedableRng};
use vocwb_classify::{Example, TrainOptions, TrainSet};
use vocwb_types::Polarity;

/// Three codes, each with aspect words and polarity phrases; one or two codes per verbatim,
/// filler clauses around them, and a few neutral questions.
pub fn made_up(n: usize, seed: u64) -> Vec<Example> {
    /// (code, aspect words, pain phrases, delight phrases)
    type MadeUpCode = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);
    const CODES: &[MadeUpCode] = &[
        ("power", &["动力", "加速", "发动机"], &["太肉了", "没劲", "很弱"], &["很猛", "推背感强", "超车轻松"]),
        ("price", &["价格", "落地价", "优惠"], &["太贵了", "不值", "坑人"], &["实惠", "便宜", "划算"]),
        ("space", &["后排", "空间", "后备箱"], &["太挤", "偏小", "局促"], &["宽敞", "很大", "够用"]),
    ];
    const FILLER: &[&str] = &["提车一个月，", "朋友推荐的，", "说实话，", "昨天去看了，", "", "周末跑了趟长途，"];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let mut text = FILLER[rng.random_range(0..FILLER.len())].to_string();
            let mut labels = Vec::new();
            let k = if rng.random_range(0..4) == 0 { 2 } else { 1 };
            let first = rng.random_range(0..CODES.len());
            for j in 0..k {
                let c = (first + j) % CODES.len();
                let (code, aspects, bad, good) = CODES[c];
                let aspect = aspects[rng.random_range(0..aspects.len())];
                let (phrase, polarity) = match rng.random_range(0..3) {
                    0 => (bad[rng.random_range(0..bad.len())].to_string(), Polarity::Pain),
                    1 => (good[rng.random_range(0..good.len())].to_string(), Polarity::Delight),
                    _ => ("怎么样？".to_string(), Polarity::Neutral),
                };
                text.push_str(aspect);
                text.push_str(&phrase);
                text.push('，');
                labels.push((code.to_string(), polarity));
            }
            text.push_str(FILLER[rng.random_range(0..FILLER.len())]);
            Example { text, labels }
        })
        .collect()
}

pub fn train_set(examples: Vec<Example>) -> TrainSet {
    TrainSet { examples, frame_version: Some(1), ..Default::default() }
}

pub fn small_options() -> TrainOptions {
    TrainOptions { folds: 3, ..TrainOptions::default() }
}
