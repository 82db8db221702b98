//! Contract of `vocwb train` and `vocwb eval` on a small made-up labelled set (learnable: each
//! code has its own aspect words and each polarity its own phrases), on the shipped auto frame.

use super::{ok_json, vocwb, Dir};
use serde_json::Value;
use std::fmt::Write as _;

/// `id,text,labels` rows: one or two codes per verbatim, each with a polarity phrase.
fn made_up_labels(n: usize, seed: u64, first_id: usize) -> String {
    const CODES: &[(&str, &[&str])] = &[
        ("动力", &["动力", "加速", "发动机"]),
        ("油耗", &["油耗", "百公里油耗", "烧油"]),
        ("空间", &["后排空间", "后备箱", "头部空间"]),
        ("价格", &["价格", "落地价", "优惠"]),
    ];
    const POLARITY: &[(i32, &[&str])] = &[(-1, &["太差了", "让人失望", "很不满意"]), (1, &["非常好", "很满意", "真不错"]), (0, &["怎么样？", "是多少？", "大家说说"])];
    const FILLER: &[&str] = &["提车两个月，", "说实话，", "", "朋友问我，", "周末跑长途，"];
    // A small linear congruential generator: the set is the same on every run.
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = |m: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) % m as u64) as usize
    };
    let mut out = String::from("id,text,labels\n");
    for row in 0..n {
        let mut text = FILLER[next(FILLER.len())].to_string();
        let first = next(CODES.len());
        let k = if next(4) == 0 { 2 } else { 1 };
        let mut labels: Vec<(usize, i32)> = Vec::new();
        for j in 0..k {
            let c = (first + j) % CODES.len();
            let (pol, phrases) = POLARITY[next(POLARITY.len())];
            text.push_str(CODES[c].1[next(CODES[c].1.len())]);
            text.push_str(phrases[next(phrases.len())]);
            text.push('，');
            labels.push((c, pol));
        }
        // The shared format lists subjects in a fixed order.
        labels.sort();
        let labels: Vec<String> = labels.iter().map(|(c, p)| format!("{}:{p}", CODES[*c].0)).collect();
        writeln!(out, "{},{},{}", first_id + row, text, labels.join("|")).unwrap();
    }
    out
}

fn number(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("'{key}' is not a number in {v}"))
}

#[test]
fn train_then_eval_prints_one_json_report_well_above_chance() {
    let d = Dir::new();
    let project = d.path("p");
    ok_json(&[&"init", &project, &"--frame", &"auto", &"--json"]);
    let train_csv = d.write("train.csv", made_up_labels(240, 1, 1).as_bytes());
    let test_csv = d.write("test.csv", made_up_labels(80, 2, 10_000).as_bytes());
    let imported = ok_json(&[&"labels", &"import", &project, &train_csv, &"--channel", &"public", &"--json"]);
    assert_eq!(imported["verbatims_created"], 240);

    let trained = ok_json(&[&"train", &project, &"--json"]);
    assert_eq!(trained["activated"], true, "{trained}");
    assert!(trained["card"]["validation"]["code_micro_f1"].is_f64());

    let out = vocwb(&[&"eval", &project, &"--test", &test_csv, &"--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Exactly one JSON object on stdout.
    let mut objects = serde_json::Deserializer::from_slice(&out.stdout).into_iter::<Value>();
    let eval = objects.next().expect("a JSON object").expect("valid JSON");
    assert!(objects.next().is_none(), "more than one JSON value on stdout");
    assert!(eval.is_object());

    let (code_micro, code_macro, pair_micro) = (number(&eval, "code_micro_f1"), number(&eval, "code_macro_f1"), number(&eval, "pair_micro_f1"));
    // Chance on this set: a random code among four is right about a third of the time, a random
    // polarity a third of that; a constant guess scores below 0.4 on codes and 0.15 on pairs.
    assert!(code_micro > 0.9, "code micro-F1 {code_micro}");
    assert!(code_macro > 0.85, "code macro-F1 {code_macro}");
    assert!(pair_micro > 0.75, "pair micro-F1 {pair_micro}");
    assert_eq!(eval["verbatims"], 80);

    let per_code = eval["per_code"].as_array().expect("per_code array");
    let names = &eval["code_names"];
    let mut seen = Vec::new();
    for c in per_code {
        for key in ["precision", "recall", "f1"] {
            let v = number(c, key);
            assert!((0.0..=1.0).contains(&v), "{key} {v}");
        }
        assert!(c["support"].is_u64() && c["tp"].is_u64());
        let name = names[c["code"].as_str().expect("code id")].as_str().unwrap_or_default().to_string();
        assert!(number(c, "f1") > 0.8, "{name}: {c}");
        seen.push(name);
    }
    seen.sort();
    assert_eq!(seen, ["价格", "动力", "油耗", "空间"]);
}
