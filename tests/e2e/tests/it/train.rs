//! The Train screen: label counts with warnings, a training run with progress, the model
//! card as the engine saved it, and auto-coding the rest.

use std::path::Path;
use vocwb_e2e::{action, check, find, App, Home};
use vocwb_engine::frame::files::read_shipped;
use vocwb_engine::import::{import_path, ImportOptions};
use vocwb_engine::{model, Project, Silent};
use vocwb_types::Channel;

/// A project on the shipped frame with `rows` made-up labelled verbatims and 60 unlabelled ones.
fn labelled_project(dir: &Path, work: &Path, rows: usize) {
    let mut project = Project::init(dir).unwrap();
    let frame_dir = vocwb_e2e::assets_dir().join("../codeframes/auto");
    let (frame, lexicon) = read_shipped(&frame_dir).unwrap();
    project.adopt_frame(&frame, lexicon.as_ref()).unwrap();
    let labelled = work.join("labelled.csv");
    model::write_synthetic_labels(&labelled, rows, 7).unwrap();
    project.import_labels(&labelled, Channel::Public, "seed-coder").unwrap();
    // Unlabelled: the same kind of text from another seed, without its labels.
    let other = work.join("other.csv");
    model::write_synthetic_labels(&other, 60, 8).unwrap();
    let mut reader = csv::Reader::from_path(&other).unwrap();
    let mut writer = csv::Writer::from_path(work.join("unlabelled.csv")).unwrap();
    writer.write_record(["id", "text"]).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        writer.write_record([format!("U{}", &row[0]), row[1].to_string()]).unwrap();
    }
    writer.flush().unwrap();
    import_path(&mut project, &work.join("unlabelled.csv"), &ImportOptions::new(Channel::Survey), &Silent).unwrap();
}

#[tokio::test]
async fn train_shows_counts_trains_with_progress_and_autocodes() {
    let home = Home::new();
    let dir = home.work("trainproj");
    labelled_project(&dir, &home.work(""), 240);
    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-train").await;
    find::id(&app, "page-train").await;

    // Counts per code are the engine's.
    let data = model::training_data(&Project::open(&dir).unwrap(), &model::Options::default()).unwrap();
    check::text_contains(&app, "train-summary", &format!("已标注 {} 条原话", data.labelled_verbatims)).await;
    for c in &data.codes {
        let row = find::text(&app, &format!("labels-{}", c.code_id)).await;
        assert!(row.contains(&c.verbatims.to_string()), "{row} shows {}", c.verbatims);
    }
    find::id(&app, "no-model").await;
    app.screenshot("30-train-before-zh").await;

    action::click(&app, "train-run").await;
    // Progress shows while it runs (the synthetic set trains in a few seconds).
    find::id(&app, "train-running").await;
    app.screenshot("31-train-running-zh").await;
    check::text_contains(&app, "train-result", "新模型已启用").await;

    // The card shown is the active model's card.
    let active = model::active_model(&Project::open(&dir).unwrap()).unwrap().expect("a model is active");
    check::text(&app, "model-id", &active.id).await;
    let micro = active.card["validation"]["code_micro_f1"].as_f64().unwrap();
    check::text(&app, "card-code-micro", &format!("{:.1}%", micro * 100.0)).await;
    // Ten topics: a model that learned nothing scores far below this.
    assert!(micro > 0.6, "the synthetic set is learnable: {micro}");
    let rows = app.client.find_all(fantoccini::Locator::Css("#card-codes tbody tr")).await.unwrap();
    assert_eq!(rows.len(), active.card["codes"].as_array().unwrap().len());
    find::id(&app, "pr-scatter").await;
    app.screenshot("32-train-card-zh").await;

    action::click(&app, "autocode-run").await;
    check::text_contains(&app, "autocode-result", "自动编码完成").await;
    let project = Project::open(&dir).unwrap();
    let predicted: i64 =
        project.connection().query_row("SELECT COUNT(DISTINCT verbatim_id) FROM prediction", [], |r| r.get(0)).unwrap();
    assert!(predicted > 0, "auto-coding stored predictions");
    check::text(&app, "predicted-verbatims", &predicted.to_string()).await;
    // Human labels were not touched: only unlabelled verbatims got predictions.
    let on_labelled: i64 = project
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM prediction p WHERE EXISTS (SELECT 1 FROM current_label l WHERE l.verbatim_id = p.verbatim_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(on_labelled, 0);
    action::click(&app, "lang-toggle").await;
    check::text_contains(&app, "train-summary", "verbatims labelled").await;
    app.screenshot("33-train-autocoded-en").await;
    app.close().await;
}

/// Cancelling a run leaves the active model as it was: no new model is stored or shown.
#[tokio::test]
async fn cancelling_a_training_keeps_the_active_model() {
    let home = Home::new();
    let dir = home.work("cancelproj");
    // Enough rows that a run lasts several seconds, so the cancel lands while it runs.
    labelled_project(&dir, &home.work(""), 3000);
    let before = {
        let mut project = Project::open(&dir).unwrap();
        model::train(&mut project, &model::Options::default(), false, &Silent).unwrap().model_id
    };
    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-train").await;
    find::id(&app, "page-train").await;
    check::text(&app, "model-id", &before).await;

    action::click(&app, "train-run").await;
    find::id(&app, "train-running").await;
    action::click(&app, "train-cancel").await;
    find::id(&app, "train-cancelled").await;
    app.screenshot("34-train-cancelled-zh").await;
    check::text(&app, "model-id", &before).await;
    let project = Project::open(&dir).unwrap();
    assert_eq!(model::active_model(&project).unwrap().expect("still active").id, before);
    assert_eq!(model::models(&project).unwrap().len(), 1, "the cancelled run stored no model");
    // Nothing half-written is left in the models folder either.
    let entries = std::fs::read_dir(project.derived_dir().join("models")).unwrap().count();
    assert_eq!(entries, 1);
    app.close().await;
}
