//! Search index glue (`engine::index`) and QA review (`engine::review`) on small projects with a
//! two-level frame, a lexicon, human labels and predictions inserted straight into the tables.

mod index;
mod review;

use crate::Fixture;
use rusqlite::params;
use vocwb_engine::frame::{Code, Frame, FrameHeader, Lexicon, LexiconTerm};
use vocwb_engine::Silent;
use vocwb_search::{Filters, SearchQuery};
use vocwb_types::Channel;

/// Frame: 动力 P ⊃ {P.A 顿挫, P.B 换挡}, 噪音 Q ⊃ {Q.A 胎噪}.
/// Verbatims 1–8 (survey, dealer 望京 for odd ids, NPS = id, date 2026-01-0id).
pub fn project() -> Fixture {
    let mut fx = Fixture::new();
    let code = |id: &str, parent: Option<&str>, name: &str| Code {
        id: id.into(),
        short_code: id.into(),
        parent: parent.map(str::to_string),
        name_zh: name.into(),
        ..Default::default()
    };
    let frame = Frame {
        header: FrameHeader { name: "t".into(), ..Default::default() },
        codes: vec![
            code("P", None, "动力"),
            code("P.A", Some("P"), "顿挫"),
            code("P.B", Some("P"), "换挡"),
            code("Q", None, "噪音"),
            code("Q.A", Some("Q"), "胎噪"),
        ],
    };
    let term = |t: &str, variants: &[&str], code: &str| LexiconTerm {
        term: t.into(),
        variants: variants.iter().map(|v| v.to_string()).collect(),
        codes: vec![code.into()],
        ..Default::default()
    };
    let lexicon = Lexicon { terms: vec![term("顿挫", &["顿挫感"], "P.A"), term("拨箱", &["换挡杆"], "P.B"), term("胎噪", &[], "Q.A")] };
    fx.project.adopt_frame(&frame, Some(&lexicon)).unwrap();
    let texts = [
        "变速箱低速有明显顿挫，希望厂家重视",
        "拨箱手感一般，跑高速胎噪大",
        "轮胎噪声还行，箱子空间也够",
        "顿挫感不明显，整体满意",
        "CarPlay keeps disconnecting, please fix it",
        "售后服务态度非常好",
        "高速胎噪很明显，隔音差",
        "换挡杆位置别扭，拨箱不顺手",
    ];
    let mut csv = String::from("id,text,nps,dealer,date\n");
    for (i, t) in texts.iter().enumerate() {
        let id = i + 1;
        let dealer = if id % 2 == 1 { "望京" } else { "浦东" };
        csv.push_str(&format!("{id},\"{t}\",{id},{dealer},2026-01-0{id}\n"));
    }
    let path = fx.file("s.csv", csv.as_bytes());
    fx.import(&path, Channel::Survey).unwrap();
    fx
}

/// Inserts a model (active) and its predictions `(verbatim, code, polarity, confidence)`.
pub fn predict(fx: &Fixture, model: &str, predictions: &[(i64, &str, &str, f64)], at: &str) {
    let c = fx.project.connection();
    c.execute("INSERT OR IGNORE INTO model (id, created_at, active) VALUES (?1, ?2, 1)", params![model, at]).unwrap();
    for (v, code, polarity, confidence) in predictions {
        c.execute(
            "INSERT INTO prediction (verbatim_id, code_id, polarity, confidence, model_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![v, code, polarity, confidence, model, at],
        )
        .unwrap();
    }
}

/// Sorted verbatim ids matching `text` and `filters`, through `Project::search` (which refreshes).
pub fn ids(fx: &Fixture, text: &str, filters: Filters) -> Vec<u64> {
    let results = fx.project.search(&SearchQuery { text: text.into(), filters, limit: 100, ..Default::default() }, &Silent).unwrap();
    assert_eq!(results.total as usize, results.hits.len());
    let mut ids: Vec<u64> = results.hits.iter().map(|h| h.verbatim_id).collect();
    ids.sort();
    ids
}

pub fn codes(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}
