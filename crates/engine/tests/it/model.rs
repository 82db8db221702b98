//! Training, auto-coding and evaluation through the engine, on made-up labels over the shipped frame.

use super::Fixture;
use std::path::PathBuf;
use vocwb_engine::model::{self, Options, Rule};
use vocwb_engine::Silent;
use vocwb_types::{Channel, Polarity};

fn shipped_auto() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../codeframes/auto")
}

/// A project on the shipped frame with 200 human-labelled and 60 unlabelled made-up verbatims.
fn labelled_project() -> Fixture {
    let mut fx = Fixture::new();
    let (frame, lexicon) = vocwb_engine::frame::files::read_shipped(&shipped_auto()).unwrap();
    fx.project.adopt_frame(&frame, lexicon.as_ref()).unwrap();
    let all = fx.dir.path().join("all.csv");
    model::write_synthetic_labels(&all, 260, 7).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&all).unwrap().records().map(Result::unwrap).collect();
    let labelled = fx.dir.path().join("labelled.csv");
    let mut w = csv::Writer::from_path(&labelled).unwrap();
    w.write_record(["id", "text", "labels"]).unwrap();
    for r in &rows[..200] {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    fx.project.import_labels(&labelled, Channel::Public, "ana").unwrap();
    let path = fx.dir.path().join("unlabelled.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "text"]).unwrap();
    for r in &rows[200..] {
        w.write_record([&r[0], &r[1]]).unwrap();
    }
    w.flush().unwrap();
    fx.import(&path, Channel::Survey).unwrap();
    fx
}

fn options() -> Options {
    Options { folds: 3, ..Options::default() }
}

fn label_events(fx: &Fixture) -> Vec<(i64, i64, String, Option<String>, String)> {
    let mut st = fx
        .project
        .connection()
        .prepare("SELECT id, verbatim_id, code_id, polarity, source FROM label_event ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn autocoding_never_touches_human_labels() {
    let mut fx = labelled_project();
    let data = model::training_data(&fx.project, &options()).unwrap();
    assert_eq!((data.labelled_verbatims, data.unlabelled_verbatims), (200, 60));
    assert!(data.codes.iter().any(|c| c.name == "动力" && c.verbatims > 10));

    let outcome = model::train(&mut fx.project, &options(), false, &Silent).unwrap();
    assert!(outcome.activated, "{}", outcome.reason);
    assert!(outcome.dir.join("card.json").is_file());
    let before = label_events(&fx);

    let report = model::autocode(&mut fx.project, Rule::F1, &Silent).unwrap();
    assert_eq!((report.verbatims, report.human_labelled), (60, 200));
    assert!(report.predictions >= 60, "the F1 rule codes every verbatim: {report:?}");
    assert_eq!(label_events(&fx), before, "auto-coding wrote label events");
    let conn = fx.project.connection();
    let on_human: i64 = conn
        .query_row("SELECT COUNT(*) FROM prediction p JOIN current_label l ON l.verbatim_id = p.verbatim_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(on_human, 0);

    // A person labels an auto-coded verbatim: the next run leaves it alone, the label stays.
    let (vid, code): (i64, String) =
        conn.query_row("SELECT verbatim_id, code_id FROM prediction ORDER BY verbatim_id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    fx.project.apply_label("ana", vid, &code, Polarity::Pain, None).unwrap();
    let report = model::autocode(&mut fx.project, Rule::F1, &Silent).unwrap();
    assert_eq!(report.verbatims, 59);
    let conn = fx.project.connection();
    let left: i64 = conn.query_row("SELECT COUNT(*) FROM prediction WHERE verbatim_id = ?1", [vid], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    let labels = fx.project.labels_of(vid).unwrap();
    assert_eq!(labels.len(), 1);
    assert_eq!((labels[0].polarity, labels[0].source.as_str()), (Some(Polarity::Pain), "human"));
}

#[test]
fn a_worse_model_does_not_replace_the_active_one_and_eval_scores_a_file() {
    let mut fx = labelled_project();
    let first = model::train(&mut fx.project, &options(), false, &Silent).unwrap();
    // Training again on the same labels with the same seed validates the same: it still wins (>=).
    let second = model::train(&mut fx.project, &options(), false, &Silent).unwrap();
    assert!(second.activated, "{}", second.reason);
    assert_eq!(model::active_model(&fx.project).unwrap().unwrap().id, second.model_id);
    // Pretend the active model validated perfectly: a new one cannot beat it.
    fx.project
        .connection()
        .execute(
            "UPDATE model SET card = json_set(card, '$.validation.code_micro_f1', 1.0, '$.validation.pair_micro_f1', 1.0) WHERE id = ?1",
            [&second.model_id],
        )
        .unwrap();
    let third = model::train(&mut fx.project, &options(), false, &Silent).unwrap();
    assert!(!third.activated, "{}", third.reason);
    assert_eq!(model::active_model(&fx.project).unwrap().unwrap().id, second.model_id);
    assert_eq!(model::models(&fx.project).unwrap().len(), 3);
    assert_ne!(first.model_id, second.model_id);

    let test = fx.dir.path().join("test.csv");
    model::write_synthetic_labels(&test, 80, 99).unwrap();
    let verbatims = fx.project.stats().unwrap().verbatims;
    let eval = model::eval_file(&fx.project, &test, Rule::F1).unwrap();
    assert_eq!(eval.report.verbatims, 80);
    // About 20 made-up verbatims per code: far above chance (about 0.15), far from perfect.
    assert!(eval.report.code_micro_f1 > 0.5, "{:?}", eval.report);
    assert_eq!(fx.project.stats().unwrap().verbatims, verbatims, "eval added verbatims");
    let ranked = model::uncertainty_ranking(&fx.project, 5).unwrap();
    assert_eq!(ranked.len(), 5);
    assert!(ranked.windows(2).all(|w| w[0].uncertainty >= w[1].uncertainty));
}
