//! The `vocwb search`, `vocwb index` and `vocwb review` contracts: one JSON object each, with
//! the fields scripts and outside checks rely on.

use super::{codeframes, ok_json, vocwb, Dir};
use serde_json::Value;
use std::path::Path;

/// A project on the shipped frame with six survey answers.
fn project(d: &Dir) -> std::path::PathBuf {
    let project = d.path("p");
    ok_json(&[&"init", &project, &"--frame", &codeframes(), &"--json"]);
    let csv = d.write(
        "s.csv",
        "id,text,nps,dealer,model,date\n\
         1,变速箱低速有明显顿挫,2,北京望京店,S5,2026-03-01\n\
         2,跑高速胎噪大，拨箱手感一般,9,上海浦东店,X7,2026-03-02\n\
         3,轮胎噪声还行，箱子也大,8,北京望京店,S5,2026-03-03\n\
         4,CarPlay keeps disconnecting,3,北京望京店,X7,2026-04-01\n\
         5,高速胎噪很明显,5,北京望京店,S5,2026-04-02\n\
         6,售后服务态度非常好,10,上海浦东店,S5,2026-04-03\n"
            .as_bytes(),
    );
    ok_json(&[&"import", &project, &csv, &"--channel", &"survey", &"--text-col", &"text", &"--id-col", &"id", &"--json"]);
    project
}

fn code_of(project: &Path, short: &str) -> String {
    let db = rusqlite::Connection::open(project.join("project.sqlite")).unwrap();
    db.query_row("SELECT id FROM code WHERE short_code = ?1", [short], |r| r.get(0)).unwrap()
}

fn hit_ids(v: &Value) -> Vec<u64> {
    let mut ids: Vec<u64> = v["hits"].as_array().unwrap().iter().map(|h| h["verbatim_id"].as_u64().unwrap()).collect();
    ids.sort();
    ids
}

#[test]
fn search_contract_total_and_hits_with_filters() {
    let d = Dir::new();
    let p = project(&d);
    let all = ok_json(&[&"search", &p, &"胎噪", &"--json"]);
    assert!(all["total"].is_u64(), "{all}");
    assert_eq!(all["total"], 2);
    let hit = &all["hits"][0];
    assert!(hit["verbatim_id"].is_u64() && hit["text"].as_str().unwrap().contains("胎噪"));
    assert!(hit["snippet"].as_str().unwrap().contains("<b>胎噪</b>"));
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["channel"], "survey");
    assert_eq!(hit_ids(&all), [2, 5]);

    let two_filters = ok_json(&[&"search", &p, &"胎噪", &"--dealer", &"北京望京店", &"--model", &"S5", &"--json"]);
    assert_eq!((two_filters["total"].as_u64(), hit_ids(&two_filters)), (Some(1), vec![5]));
    let nps = ok_json(&[&"search", &p, &"", &"--nps", &"detractor", &"--from", &"2026-03-01", &"--to", &"2026-03-31", &"--json"]);
    assert_eq!(hit_ids(&nps), [1]);
    let limited = ok_json(&[&"search", &p, &"", &"--limit", &"2", &"--json"]);
    assert_eq!((limited["total"].as_u64(), limited["hits"].as_array().unwrap().len()), (Some(6), 2));
    assert_eq!(ok_json(&[&"search", &p, &"disconnected", &"--json"])["total"], 1);

    let bad = vocwb(&[&"search", &p, &"x", &"--nps", &"soon", &"--json"]);
    assert!(!bad.status.success());
    let err: Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("--nps"));

    let rebuilt = ok_json(&[&"index", &"rebuild", &p, &"--json"]);
    assert_eq!((rebuilt["action"].as_str(), rebuilt["documents"].as_u64()), (Some("rebuilt"), Some(6)));
    assert_eq!(ok_json(&[&"index", &"status", &p, &"--json"])["state"], "fresh");
    std::fs::remove_dir_all(p.join("derived/index")).unwrap();
    assert_eq!(ok_json(&[&"search", &p, &"胎噪", &"--json"])["total"], 2);
}

#[test]
fn review_sample_decide_report_contract() {
    let d = Dir::new();
    let p = project(&d);
    let power = code_of(&p, "PX.DRV.POWER");
    {
        let db = rusqlite::Connection::open(p.join("project.sqlite")).unwrap();
        db.execute("INSERT INTO model (id, created_at, active) VALUES ('m1', '2026-05-01T00:00:00Z', 1)", []).unwrap();
        for (v, c) in [(1, 0.95), (2, 0.62), (3, 0.3), (5, 0.81)] {
            db.execute(
                "INSERT INTO prediction (verbatim_id, code_id, polarity, confidence, model_id, created_at) VALUES (?1, ?2, 'pain', ?3, 'm1', '2026-05-01T00:00:00Z')",
                rusqlite::params![v, power, c],
            )
            .unwrap();
        }
    }
    let by_code = ok_json(&[&"search", &p, &"", &"--code", &"PX.DRV.POWER", &"--min-confidence", &"0.8", &"--source", &"model", &"--json"]);
    assert_eq!(hit_ids(&by_code), [1, 5]);

    let sample = ok_json(&[&"review", &"sample", &p, &"--reviewer", &"rita", &"--per-code", &"4", &"--seed", &"5", &"--json"]);
    assert_eq!((sample["seed"].as_u64(), sample["model_id"].as_str()), (Some(5), Some("m1")));
    let items = sample["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let id = sample["id"].as_i64().unwrap().to_string();
    let same = ok_json(&[&"review", &"sample", &p, &"--reviewer", &"rita", &"--per-code", &"4", &"--seed", &"5", &"--json"]);
    let key = |s: &Value| s["items"].as_array().unwrap().iter().map(|i| (i["verbatim_id"].clone(), i["band"].clone())).collect::<Vec<_>>();
    assert_eq!(key(&sample), key(&same));

    let accept = ok_json(&[&"review", &"decide", &p, &"--sample", &id, &"--position", &"1", &"--reviewer", &"rita", &"--accept", &"--json"]);
    assert_eq!(accept["decision"], "accept");
    ok_json(&[&"review", &"decide", &p, &"--sample", &id, &"--position", &"2", &"--reviewer", &"rita", &"--reject", &"--json"]);
    let fix = ok_json(&[&"review", &"decide", &p, &"--sample", &id, &"--position", &"3", &"--reviewer", &"rita", &"--polarity", &"itch", &"--json"]);
    assert_eq!((fix["decision"].as_str(), fix["corrected_polarity"].as_str()), (Some("correct"), Some("itch")));

    let xlsx = d.path("review.xlsx");
    let report = ok_json(&[&"review", &"report", &p, &"--sample", &id, &"--xlsx", &xlsx, &"--json"]);
    assert_eq!(report["decided"], 3);
    let precision = &report["precision"][0];
    assert_eq!(precision["code_id"], power.as_str());
    assert_eq!((precision["precision"]["successes"].as_u64(), precision["precision"]["n"].as_u64()), (Some(2), Some(3)));
    assert!(precision["precision"]["low"].is_f64() && precision["precision"]["high"].is_f64());
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);
    let reviewed = ok_json(&[&"search", &p, &"", &"--source", &"reviewed", &"--json"]);
    assert_eq!(reviewed["total"], 2);
}
