//! A seeded generator of realistic mixed Chinese/English automotive verbatims, for benchmarks.
//!
//! Sentences are assembled from phrase pools so lengths and vocabulary resemble real feedback
//! (median around 40 characters, a long tail to 200).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

const OPENERS: &[&str] = &[
    "提车三个月了，", "上周去4S店保养，", "开了两万公里，", "说实话，", "作为老车主，", "刚跑完高速，", "昨天试驾了一下，",
    "Honestly, ", "家里第二台车，", "", "", "",
];
const SUBJECTS: &[&str] = &[
    "变速箱低速", "发动机", "车机系统", "后排空间", "油耗", "方向盘", "刹车", "座椅", "空调", "导航", "语音助手", "OTA升级后",
    "充电速度", "续航", "底盘", "隔音", "内饰做工", "车漆", "大灯", "后备箱", "销售顾问", "售后服务", "维修等待", "保养价格",
    "the infotainment", "CarPlay", "ACC自适应巡航", "车道保持",
];
const PREDICATES: &[&str] = &[
    "有明显顿挫", "给油响应慢", "偶尔卡顿", "很宽敞", "比宣传高不少", "虚位有点大", "脚感偏软", "坐久了腰酸", "制冷很快",
    "经常识别错", "体验很好", "异响一直没解决", "跑高速胎噪大", "做工细致", "有色差", "比同级别的车好太多", "态度非常好",
    "等了一整天", "收费不透明", "is laggy", "keeps disconnecting", "works great", "跟车很稳", "太灵敏了", "反应迟钝",
];
const TAILS: &[&str] = &[
    "，希望厂家重视一下。", "，总体还算满意。", "，有点失望。", "！！", "，不知道是不是通病？", "，给个好评👍", "。",
    "，下次还会来这家店。", "，已经投诉过一次了。", "，希望OTA能修复。", "，建议加个360影像。", ", please fix it.",
    "，朋友也打算入手。", "",
];
const DEALERS: &[&str] = &["北京望京店", "上海浦东店", "广州天河店", "成都高新店", "杭州西湖店", "武汉光谷店", "西安曲江店", "深圳南山店"];
const MODELS: &[&str] = &["S5", "X7", "E3", "M9"];

/// Writes `rows` survey-like rows (`id,date,dealer,model,nps,text`) to `out` as CSV.
pub fn write_csv(out: impl Write, rows: u64, seed: u64) -> std::io::Result<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, out));
    w.write_record(["id", "date", "dealer", "model", "nps", "text"])?;
    let mut text = String::with_capacity(256);
    for i in 0..rows {
        text.clear();
        verbatim(&mut rng, &mut text);
        let day = rng.random_range(1..=28);
        let month = rng.random_range(1..=10);
        w.write_record([
            format!("R{i:08}").as_str(),
            &format!("2026-{month:02}-{day:02}"),
            DEALERS[rng.random_range(0..DEALERS.len())],
            MODELS[rng.random_range(0..MODELS.len())],
            &rng.random_range(0..=10).to_string(),
            &text,
        ])?;
    }
    w.flush()?;
    Ok(rows)
}

/// Appends one verbatim of one to four clauses.
pub fn verbatim(rng: &mut impl Rng, out: &mut String) {
    out.push_str(OPENERS[rng.random_range(0..OPENERS.len())]);
    let clauses = match rng.random_range(0..10) {
        0..=4 => 1,
        5..=7 => 2,
        8 => 3,
        _ => 4,
    };
    for c in 0..clauses {
        if c > 0 {
            out.push('，');
        }
        out.push_str(SUBJECTS[rng.random_range(0..SUBJECTS.len())]);
        out.push_str(PREDICATES[rng.random_range(0..PREDICATES.len())]);
    }
    out.push_str(TAILS[rng.random_range(0..TAILS.len())]);
}
