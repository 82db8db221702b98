use crate::Fixture;
use vocwb_engine::agreement::{cohen_kappa, krippendorff_alpha_nominal, percent_agreement};
use vocwb_engine::frame::{Code, Frame, FrameHeader, FrameOp};
use vocwb_engine::queue::{QueueFilter, QueueOrder};
use vocwb_engine::Error;
use vocwb_types::{Channel, Polarity, Role};

fn project_with_verbatims() -> Fixture {
    let mut fx = Fixture::new();
    let code = |id: &str, name: &str| Code { id: id.into(), short_code: id.to_uppercase(), name_zh: name.into(), ..Default::default() };
    let frame = Frame { header: FrameHeader { name: "t".into(), ..Default::default() }, codes: vec![code("a", "动力"), code("b", "油耗"), code("c", "空间")] };
    fx.project.adopt_frame(&frame, None).unwrap();
    let csv = fx.file(
        "s.csv",
        "id,text,nps,dealer\n1,动力很猛,10,望京\n2,油耗偏高,3,浦东\n3,后排空间大,9,望京\n4,顿挫明显,2,望京\n5,还行吧,7,浦东\n".as_bytes(),
    );
    fx.import(&csv, Channel::Survey).unwrap();
    fx
}

#[test]
fn krippendorffs_textbook_example_gives_0_743() {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example:
    // four observers, twelve units, missing values; the published nominal alpha is 0.743.
    let m = None;
    let rows: [[Option<u8>; 12]; 4] = [
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(1), Some(4), Some(1), Some(2), m, m, m],
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(2), Some(4), Some(1), Some(2), Some(5), m, Some(3)],
        [m, Some(3), Some(3), Some(3), Some(2), Some(3), Some(4), Some(2), Some(2), Some(5), Some(1), m],
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(4), Some(4), Some(1), Some(2), Some(5), Some(1), m],
    ];
    let units: Vec<Vec<Option<u8>>> = (0..12).map(|u| rows.iter().map(|r| r[u]).collect()).collect();
    let alpha = krippendorff_alpha_nominal(&units).unwrap();
    assert!((alpha - 0.743).abs() < 0.0005, "{alpha}");
}

#[test]
fn cohens_kappa_and_percent_agreement_match_hand_computation() {
    // 50 units: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    // po = 35/50 = 0.7; pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / 0.5 = 0.4.
    let mut pairs = vec![(true, true); 20];
    pairs.extend(vec![(true, false); 5]);
    pairs.extend(vec![(false, true); 10]);
    pairs.extend(vec![(false, false); 15]);
    assert!((cohen_kappa(&pairs).unwrap() - 0.4).abs() < 1e-12);
    // Three coders on one unit (x, x, y): 1 agreeing pair of 3; two coders on another (x, x): 1 of 1.
    let units = vec![vec![Some('x'), Some('x'), Some('y')], vec![Some('x'), Some('x'), None]];
    assert!((percent_agreement(&units).unwrap() - 0.5).abs() < 1e-12);
}

#[test]
fn project_agreement_pools_code_presence_over_the_overlap() {
    let mut fx = project_with_verbatims();
    let p = &mut fx.project;
    // Verbatims 1–3 are labelled by both ann and bob; 4 only by ann (not in the overlap).
    p.apply_label("ann", 1, "a", Polarity::Delight, None).unwrap();
    p.apply_label("bob", 1, "a", Polarity::Delight, None).unwrap();
    p.apply_label("ann", 2, "b", Polarity::Pain, None).unwrap();
    p.apply_label("bob", 2, "b", Polarity::Neutral, None).unwrap();
    p.apply_label("bob", 2, "a", Polarity::Neutral, None).unwrap();
    p.apply_label("ann", 3, "c", Polarity::Delight, None).unwrap();
    p.apply_label("bob", 3, "c", Polarity::Delight, None).unwrap();
    p.apply_label("ann", 4, "a", Polarity::Pain, None).unwrap();
    let r = p.agreement().unwrap();
    // Units: 3 verbatims × codes {a, b, c} = 9; ann/bob differ only on (2, a).
    // Percent agreement 8/9. Kappa over the 9 pairs: yes/yes 3, no/yes 1, no/no 5:
    // po = 8/9, pe = (3/9)(4/9) + (6/9)(5/9) = 42/81, kappa = (72/81 − 42/81) / (39/81) = 30/39.
    // Alpha: values 1 ×7, 0 ×11 (n = 18), one disagreeing pair counted both ways: Do = 2,
    // pairs n_c·n_k both ways = 2·7·11 = 154, alpha = 1 − 17·2/154 = 120/154.
    assert_eq!((r.verbatims, r.units), (3, 9));
    assert!((r.percent_agreement - 8.0 / 9.0).abs() < 1e-12);
    assert!((r.cohen_kappa.unwrap() - 30.0 / 39.0).abs() < 1e-12);
    assert!((r.krippendorff_alpha - 120.0 / 154.0).abs() < 1e-12);
    assert_eq!(r.per_code["c"].percent_agreement, Some(1.0));
    let kinds: Vec<(i64, &str, &str)> = r.disagreements.iter().map(|d| (d.verbatim_id, d.code_id.as_str(), d.kind)).collect();
    assert_eq!(kinds, [(2, "a", "presence"), (2, "b", "polarity")]);
    // The adjudicator's ruling is recorded but is not a third coder.
    p.adjudicate("lead", 2, "a", None).unwrap();
    assert_eq!(p.agreement().unwrap().coders, ["ann", "bob"]);
}

#[test]
fn undo_redo_and_history_come_from_the_event_record() {
    let mut fx = project_with_verbatims();
    let p = &mut fx.project;
    p.apply_label("ann", 1, "a", Polarity::Neutral, None).unwrap();
    p.apply_label("ann", 1, "a", Polarity::Delight, None).unwrap();
    let pol = |p: &vocwb_engine::Project| p.labels_of(1).unwrap().iter().map(|l| l.polarity).collect::<Vec<_>>();
    assert_eq!(pol(p), [Some(Polarity::Delight)]);
    p.undo_label("ann").unwrap();
    assert_eq!(pol(p), [Some(Polarity::Neutral)]);
    p.undo_label("ann").unwrap();
    assert_eq!(pol(p), []);
    assert_eq!(p.undo_label("ann").unwrap(), None, "nothing left to undo");
    p.redo_label("ann").unwrap();
    assert_eq!(pol(p), [Some(Polarity::Neutral)]);
    p.redo_label("ann").unwrap();
    assert_eq!(pol(p), [Some(Polarity::Delight)]);
    assert_eq!(p.redo_label("ann").unwrap(), None);
    // A new action clears what could be redone.
    p.undo_label("ann").unwrap();
    p.apply_label("ann", 2, "b", Polarity::Pain, None).unwrap();
    assert_eq!(p.redo_label("ann").unwrap(), None);
    let history = p.label_history(Some(1)).unwrap();
    assert_eq!(history.len(), 7, "every change is an event; nothing is overwritten");
    assert_eq!(history.iter().filter(|e| e.undoes.is_some()).count(), 3);
}

#[test]
fn queue_orders_filters_skips_and_assignments() {
    let mut fx = project_with_verbatims();
    let p = &mut fx.project;
    let all = QueueFilter::default();
    assert_eq!(p.queue("ann", QueueOrder::InOrder, &all, 10).unwrap(), [1, 2, 3, 4, 5]);
    let r1 = p.queue("ann", QueueOrder::Random { seed: 7 }, &all, 10).unwrap();
    assert_eq!(r1, p.queue("ann", QueueOrder::Random { seed: 7 }, &all, 10).unwrap(), "seeded");
    let mut sorted = r1.clone();
    sorted.sort();
    assert_eq!(sorted, [1, 2, 3, 4, 5]);
    let orders: std::collections::HashSet<Vec<i64>> =
        (0..6).map(|s| p.queue("ann", QueueOrder::Random { seed: s }, &all, 10).unwrap()).collect();
    assert!(orders.len() > 1, "different seeds shuffle differently");
    let detractors = QueueFilter { nps: Some((0, 6)), dealer: Some("望京".into()), ..Default::default() };
    assert_eq!(p.queue("ann", QueueOrder::InOrder, &detractors, 10).unwrap(), [4]);
    let text = QueueFilter { text: Some("空间".into()), ..Default::default() };
    assert_eq!(p.queue("ann", QueueOrder::InOrder, &text, 10).unwrap(), [3]);
    p.skip("ann", 1).unwrap();
    p.apply_label("ann", 2, "b", Polarity::Pain, None).unwrap();
    assert_eq!(p.queue("ann", QueueOrder::InOrder, &all, 10).unwrap(), [3, 4, 5, 1]);
    // Labelled by ann: not in bob's queue, unless assigned to bob for double coding.
    assert_eq!(p.queue("bob", QueueOrder::InOrder, &all, 10).unwrap(), [1, 3, 4, 5]);
    p.assign_overlap(&["ann", "bob"], 5, 3, "overlap").unwrap();
    assert_eq!(p.queue("bob", QueueOrder::InOrder, &all, 10).unwrap(), [1, 2, 3, 4, 5]);
    let view = p.verbatim_view(2).unwrap();
    assert_eq!((view.nps, view.labels.len()), (Some(3), 1));
}

#[test]
fn roles_decide_who_publishes() {
    let mut fx = project_with_verbatims();
    let p = &mut fx.project;
    p.set_coder("olga", Role::Owner).unwrap();
    p.set_coder("rui", Role::Researcher).unwrap();
    p.frame_edit(FrameOp::Retire { id: "c".into() }, "rui").unwrap();
    let err = p.frame_publish("rui", None).unwrap_err();
    assert!(matches!(err, Error::Forbidden(ref m) if m.contains("rui is a researcher; only a code-frame owner may")), "{err}");
    assert!(matches!(p.frame_publish("stranger", None), Err(Error::Forbidden(_))));
    assert_eq!(p.frame_publish("olga", None).unwrap(), 2);
}
