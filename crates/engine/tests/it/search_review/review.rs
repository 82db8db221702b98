//! Review samples (seeded, stratified, recorded), decisions as review labels, and the report.

use super::{ids, predict, project};
use crate::Fixture;
use vocwb_engine::index::{Filters, Source};
use vocwb_engine::review::{proportion, wilson, SampleParams, Verdict};
use vocwb_engine::Error;
use vocwb_types::{Channel, Polarity};

/// The base project plus verbatims 9–48, and model `m1` predicting P.A on 9–48 (ten per
/// confidence band) and Q.A on 9–28 (all ≥ 0.9).
fn reviewed_project() -> Fixture {
    let mut fx = project();
    let mut csv = String::from("id,text\n");
    for i in 9..=48 {
        csv.push_str(&format!("{i},第{i}条：低速顿挫，高速胎噪\n"));
    }
    let path = fx.file("more.csv", csv.as_bytes());
    fx.import(&path, Channel::Survey).unwrap();
    let mut predictions = Vec::new();
    for (i, v) in (9..=48).enumerate() {
        let band = [0.3, 0.6, 0.8, 0.95][i / 10];
        predictions.push((v, "P.A", "pain", band + (i % 10) as f64 / 1000.0));
    }
    for v in 9..=28 {
        predictions.push((v, "Q.A", "pain", 0.93));
    }
    predict(&fx, "m1", &predictions, "2026-02-01T00:00:00Z");
    fx
}

fn drawn(fx: &Fixture, sample: i64) -> Vec<(i64, String, String)> {
    let s = fx.project.review_sample(sample).unwrap();
    s.items.into_iter().map(|i| (i.verbatim_id, i.code_id, i.band)).collect()
}

#[test]
fn a_review_sample_is_stratified_recorded_and_reproducible_with_its_seed() {
    let mut fx = reviewed_project();
    let params = SampleParams::new("rita", 42, 8);
    let first = fx.project.draw_review_sample(&params).unwrap();
    let second = fx.project.draw_review_sample(&params).unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(drawn(&fx, first.id), drawn(&fx, second.id));
    let other = fx.project.draw_review_sample(&SampleParams::new("rita", 43, 8)).unwrap();
    assert_ne!(drawn(&fx, first.id), drawn(&fx, other.id));

    // P.A: 8 spread evenly over its four bands; Q.A has one band, so all 8 come from it.
    let s = fx.project.review_sample(first.id).unwrap();
    assert_eq!((s.seed, s.model_id.as_str(), s.reviewer.as_str(), s.items.len()), (42, "m1", "rita", 16));
    let per_band = |code: &str, band: &str| s.items.iter().filter(|i| i.code_id == code && i.band == band).count();
    assert_eq!(
        ["[0.00,0.50)", "[0.50,0.70)", "[0.70,0.90)", "[0.90,1.00]"].map(|b| per_band("P.A", b)),
        [2, 2, 2, 2]
    );
    assert_eq!(per_band("Q.A", "[0.90,1.00]"), 8);
    assert!(s.strata.iter().any(|st| st.code_id == "Q.A" && st.population == 20 && st.drawn == 8));
    assert!(s.items.iter().all(|i| i.decision.is_none()));
    let rows: i64 = fx.project.connection().query_row("SELECT COUNT(*) FROM review_item WHERE sample_id = ?1", [first.id], |r| r.get(0)).unwrap();
    assert_eq!(rows, 16);

    // Only chosen codes, and a sample bigger than the population takes everything.
    let mut only = SampleParams::new("rita", 1, 100);
    only.codes = vec!["Q.A".into()];
    assert_eq!(fx.project.draw_review_sample(&only).unwrap().items.len(), 20);
    assert!(matches!(fx.project.draw_review_sample(&SampleParams::new("", 1, 5)), Err(Error::Forbidden(_))));
}

#[test]
fn wilson_intervals_match_hand_computed_values() {
    // z = 1.96, z² = 3.8416. centre = (p + z²/2n)/(1 + z²/n); half = z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
    // 8/10: p = .8, 1 + z²/n = 1.38416, centre = (.8 + .19208)/1.38416 = .716738,
    //       half = 1.96/1.38416 · √(.016 + .009604) = 1.416022 · .160012 = .226581 → [.490157, .943319].
    // 1/4:  p = .25, 1 + z²/n = 1.9604, centre = (.25 + .4802)/1.9604 = .372475,
    //       half = 1.96/1.9604 · √(.046875 + .060025) = .999796 · .326956 = .326889 → [.045586, .699364].
    // 20/20: p = 1, 1 + z²/n = 1.19208, centre = (1 + .09604)/1.19208 = .919435,
    //       half = 1.96/1.19208 · √(0 + .002401) = 1.644185 · .049 = .080565 → [.838870, 1].
    // 0/5:  p = 0, 1 + z²/n = 1.76832, centre = .38416/1.76832 = .217246,
    //       half = 1.96/1.76832 · √(.038416) = 1.108397 · .196 = .217246 → [0, .434491].
    let close = |(lo, hi): (f64, f64), (elo, ehi): (f64, f64)| (lo - elo).abs() < 1e-6 && (hi - ehi).abs() < 1e-6;
    assert!(close(wilson(8, 10).unwrap(), (0.490157, 0.943319)), "{:?}", wilson(8, 10));
    assert!(close(wilson(1, 4).unwrap(), (0.045586, 0.699364)), "{:?}", wilson(1, 4));
    assert!(close(wilson(20, 20).unwrap(), (0.838870, 1.0)), "{:?}", wilson(20, 20));
    assert!(close(wilson(0, 5).unwrap(), (0.0, 0.434491)), "{:?}", wilson(0, 5));
    assert_eq!(wilson(0, 0), None);
    assert_eq!(proportion(0, 0).value, None);
}

#[test]
fn decisions_become_review_labels_and_are_recorded() {
    let mut fx = reviewed_project();
    let mut params = SampleParams::new("rita", 7, 4);
    params.codes = vec!["P.A".into()];
    let sample = fx.project.draw_review_sample(&params).unwrap();
    let item = |n: usize| sample.items[n].clone();
    let p = &mut fx.project;

    let accept = p.decide_review_item(sample.id, item(0).position, "rita", &Verdict::Accept, "").unwrap();
    let labels = p.labels_of(item(0).verbatim_id).unwrap();
    let rita: Vec<_> = labels.iter().filter(|l| l.coder == "rita").collect();
    assert_eq!(rita.len(), 1);
    assert_eq!((rita[0].code_id.as_str(), rita[0].polarity, rita[0].source.as_str()), ("P.A", Some(Polarity::Pain), "review"));
    assert_eq!(accept.label_events.len(), 1);

    p.decide_review_item(sample.id, item(1).position, "rita", &Verdict::Reject, "not about shifting").unwrap();
    assert!(p.labels_of(item(1).verbatim_id).unwrap().iter().all(|l| l.coder != "rita"));

    let corrected = Verdict::Correct { code: Some("P.B".into()), polarity: Some(Polarity::Itch) };
    p.decide_review_item(sample.id, item(2).position, "rita", &corrected, "").unwrap();
    let l = p.labels_of(item(2).verbatim_id).unwrap();
    assert_eq!(l.iter().filter(|l| l.coder == "rita").map(|l| (l.code_id.as_str(), l.polarity)).collect::<Vec<_>>(), [("P.B", Some(Polarity::Itch))]);

    let add = Verdict::AddMissing { code: "Q.A".into(), polarity: Polarity::Neutral };
    p.decide_review_item(sample.id, item(3).position, "rita", &add, "").unwrap();
    let mut l: Vec<_> = p.labels_of(item(3).verbatim_id).unwrap().into_iter().filter(|l| l.coder == "rita").map(|l| l.code_id).collect();
    l.sort();
    assert_eq!(l, ["P.A", "Q.A"]);

    // Changing one's mind takes back the first decision's label.
    p.decide_review_item(sample.id, item(0).position, "rita", &Verdict::Reject, "second look").unwrap();
    assert!(p.labels_of(item(0).verbatim_id).unwrap().iter().all(|l| l.coder != "rita"));

    let decisions = p.review_decisions(Some(sample.id)).unwrap();
    assert_eq!(decisions.len(), 5);
    assert!(decisions.iter().all(|d| d.reviewer == "rita" && !d.created_at.is_empty()));
    assert_eq!(decisions[4].note, "second look");
    let (review_events, sources): (i64, i64) = p
        .connection()
        .query_row("SELECT COUNT(*), COUNT(DISTINCT source) FROM label_event e JOIN coder c ON c.id = e.coder_id WHERE c.name = 'rita'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((review_events, sources), (7, 1));
    let role: String = p.connection().query_row("SELECT role FROM coder WHERE name = 'rita'", [], |r| r.get(0)).unwrap();
    assert_eq!(role, "reviewer");

    let s = p.review_sample(sample.id).unwrap();
    assert_eq!(s.items[0].decision.as_ref().unwrap().decision, "reject");
    assert!(matches!(
        p.decide_review_item(sample.id, 999, "rita", &Verdict::Accept, ""),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        p.decide_review_item(sample.id, 1, "rita", &Verdict::Correct { code: Some("NOPE".into()), polarity: None }, ""),
        Err(Error::UnknownCode(_))
    ));

    // The index sees review labels and review states.
    let reviewed = Filters { sources: vec![Source::Reviewed], ..Default::default() };
    let mut expect = vec![item(2).verbatim_id as u64, item(3).verbatim_id as u64];
    expect.sort();
    assert_eq!(ids(&fx, "", reviewed), expect);
    let rejected = Filters { review_status: vec!["rejected".into()], ..Default::default() };
    let mut expect = vec![item(0).verbatim_id as u64, item(1).verbatim_id as u64];
    expect.sort();
    assert_eq!(ids(&fx, "", rejected), expect);
}

#[test]
fn the_report_gives_precision_confusion_and_agreement_and_exports_xlsx() {
    let mut fx = reviewed_project();
    let mut params = SampleParams::new("rita", 7, 4);
    params.codes = vec!["P.A".into()];
    let sample = fx.project.draw_review_sample(&params).unwrap();
    let pos = |n: usize| sample.items[n].position;
    let p = &mut fx.project;
    p.decide_review_item(sample.id, pos(0), "rita", &Verdict::Reject, "").unwrap();
    p.decide_review_item(sample.id, pos(1), "rita", &Verdict::Reject, "").unwrap();
    p.decide_review_item(sample.id, pos(2), "rita", &Verdict::Correct { code: Some("P.B".into()), polarity: None }, "").unwrap();
    p.decide_review_item(sample.id, pos(3), "rita", &Verdict::AddMissing { code: "Q.A".into(), polarity: Polarity::Neutral }, "").unwrap();

    let report = p.review_report(Some(sample.id)).unwrap();
    assert_eq!((report.items, report.decided), (4, 4));
    let pa = &report.precision[0];
    assert_eq!((pa.code_id.as_str(), pa.name_zh.as_str(), pa.sampled), ("P.A", "顿挫", 4));
    // 1 of 4 right: Wilson [.045586, .699364] as computed by hand above.
    assert_eq!((pa.precision.successes, pa.precision.n), (1, 4));
    assert!((pa.precision.low.unwrap() - 0.045586).abs() < 1e-6 && (pa.precision.high.unwrap() - 0.699364).abs() < 1e-6);
    // One item per band, each band holding 10 predictions: the weighted estimate is the mean.
    assert_eq!(pa.bands.len(), 4);
    assert!(pa.bands.iter().all(|b| b.population == 10 && b.precision.n == 1));
    assert!((pa.weighted_precision.unwrap() - 0.25).abs() < 1e-12);
    let confusion: Vec<(&str, Option<&str>, u64)> = report.confusion.iter().map(|c| (c.predicted.as_str(), c.corrected.as_deref(), c.count)).collect();
    assert_eq!(confusion, [("P.A", None, 2), ("P.A", Some("P.B"), 1)]);
    assert_eq!((report.missed[0].predicted.as_str(), report.missed[0].added.as_str(), report.missed[0].count), ("P.A", "Q.A", 1));
    let a = &report.agreement;
    assert_eq!((a.decided, a.code.successes, a.exact.successes, a.polarity.successes, a.polarity.n), (4, 1, 1, 1, 1));

    let xlsx = fx.dir.path().join("review.xlsx");
    vocwb_engine::review::write_report_xlsx(&report, &xlsx).unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Precision", "Confusion", "Missed", "Agreement", "Items"]);
    let items = book.worksheet_range("Items").unwrap();
    assert_eq!(items.height(), 5);
}
