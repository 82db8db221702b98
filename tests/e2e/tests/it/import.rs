//! Creating a project through the UI and importing into it: preview, mapping, run, errors, cancel.

use super::{check_overview_matches, stats_of};
use std::path::Path;
use vocwb_e2e::{action, check, find, App, Home};
use vocwb_engine::import::{import_path, ImportOptions};
use vocwb_types::{Channel, ImportReport};

/// A survey export as Chinese tools write it: GBK, Chinese headers.
const SURVEY_CSV: &str = "编号,提交时间,NPS评分,反馈内容,补充说明,车型\r\n\
R-001,2026-03-01,9,座椅很舒服，长途开车也不觉得累，家里人都很满意。,希望增加座椅通风,星河\r\n\
R-002,2026-03-02,3,车机经常卡顿，导航反应很慢，希望尽快升级系统。,已联系客服,星河\r\n\
R-003,2026-03-03,7,油耗比销售说的高一点，其他方面还可以接受。,无,远航\r\n\
R-004,2026-03-04,10,保养预约很方便，门店服务态度非常好。,会推荐给朋友,远航\r\n";

fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

/// What the engine itself says about importing `file` into a fresh project.
fn engine_dry_run(file: &Path, channel: Channel) -> vocwb_engine::Result<ImportReport> {
    let tmp = tempfile::tempdir().unwrap();
    let mut project = vocwb_engine::Project::init(&tmp.path().join("p")).unwrap();
    let mut options = ImportOptions::new(channel);
    options.dry_run = true;
    import_path(&mut project, file, &options, &vocwb_engine::Silent)
}

/// Creates a project by typing its path and pressing Enter; returns its directory.
async fn create_project(app: &App, home: &Home, name: &str) -> std::path::PathBuf {
    let dir = home.work(name);
    find::id(app, "page-projects").await;
    action::type_into(app, "create-dir", dir.to_str().unwrap()).await;
    action::press_enter(app, "create-dir").await;
    find::id(app, "page-overview").await;
    check::text(app, "overview-title", name).await;
    dir
}

async fn preview(app: &App, file: &Path, channel: Channel) {
    action::click(app, "go-import").await;
    find::id(app, "page-import").await;
    action::type_into(app, "import-file", file.to_str().unwrap()).await;
    action::select(app, "import-channel", channel.as_str()).await;
    action::click(app, "import-preview").await;
}

#[tokio::test]
async fn create_project_then_import_a_csv() {
    let home = Home::new();
    let csv = home.work("survey_export.csv");
    write_gbk(&csv, SURVEY_CSV);
    let expected = engine_dry_run(&csv, Channel::Survey).expect("engine reads the file");
    let text_column = expected.mapping.text.clone().unwrap();
    assert_eq!(text_column, "反馈内容");
    assert!(expected.encoding.to_lowercase().contains("gb"), "engine detected {}", expected.encoding);

    let app = App::launch(&home, &[]).await;
    let dir = create_project(&app, &home, "新项目").await;
    check::count(&app, "total-documents", 0).await;
    app.screenshot("05-overview-empty").await;

    preview(&app, &csv, Channel::Survey).await;
    find::id(&app, "preview").await;
    check::text(&app, "preview-encoding", &expected.encoding).await;
    check::selected(&app, "map-text", &text_column).await;
    check::selected(&app, "map-id", "编号").await;
    check::selected(&app, "map-nps", "NPS评分").await;
    check::count(&app, "preview-rows-count", 4).await;
    check::text_contains(&app, "preview-rows", "座椅很舒服").await;
    check::text_contains(&app, "preview-rows", "R-004").await;
    app.screenshot("06-import-preview").await;

    // Adjusting a field re-runs the preview with it.
    action::select(&app, "map-text", "补充说明").await;
    check::text_contains(&app, "preview-rows", "希望增加座椅通风").await;
    assert!(!find::try_content(&app, "preview-rows").await.unwrap().contains("座椅很舒服"));
    check::selected(&app, "map-text", "补充说明").await;
    action::select(&app, "map-text", &text_column).await;
    check::text_contains(&app, "preview-rows", "座椅很舒服").await;
    check::selected(&app, "map-text", &text_column).await;

    check::enabled(&app, "import-run").await;
    action::click(&app, "import-run").await;
    find::id(&app, "import-result").await;
    check::count(&app, "result-documents", 4).await;
    check::count(&app, "result-verbatims", 4).await;
    check::count(&app, "result-skipped", 0).await;
    app.screenshot("07-import-result").await;

    action::click(&app, "see-overview").await;
    find::id(&app, "page-overview").await;
    let stats = stats_of(&dir);
    assert_eq!(stats.documents, 4);
    assert_eq!(stats.by_channel["survey"].verbatims, 4);
    check_overview_matches(&app, &stats).await;
    app.screenshot("08-overview-after-import").await;

    // The same file again: the engine says it was imported before, nothing changes.
    preview(&app, &csv, Channel::Survey).await;
    find::id(&app, "preview-already").await;
    app.close().await;
}

#[tokio::test]
async fn a_broken_csv_shows_the_engines_error_naming_file_and_row() {
    let home = Home::new();
    let csv = home.work("broken.csv");
    std::fs::write(
        &csv,
        "id,date,nps,text\nA1,2026-01-02,8,Seats are comfortable\nA2,2026-01-03,eleven,The app keeps crashing\n",
    )
    .unwrap();
    let error = engine_dry_run(&csv, Channel::Survey).expect_err("the engine refuses the file").info();
    assert_eq!(error.row, Some(3));
    assert!(error.message.contains("broken.csv") && error.message.contains("row 3"), "{}", error.message);

    let app = App::launch(&home, &[]).await;
    let dir = create_project(&app, &home, "broken-import").await;
    preview(&app, &csv, Channel::Survey).await;
    check::text(&app, "error-message", &error.message).await;
    assert!(!find::exists(&app, "preview").await, "no preview for a refused file");
    app.screenshot("09-import-error").await;
    assert_eq!(stats_of(&dir).documents, 0);
    app.close().await;
}

#[tokio::test]
async fn a_text_column_the_engine_cannot_guess_can_be_chosen() {
    let home = Home::new();
    let csv = home.work("store_visits.csv");
    std::fs::write(&csv, "序号,门店,客户原话\n1,北京朝阳店,销售顾问很专业，试驾安排得很周到。\n2,上海浦东店,等待交车的时间太长了。\n").unwrap();
    let error = engine_dry_run(&csv, Channel::Store).expect_err("no text column to guess").info();

    let app = App::launch(&home, &[]).await;
    create_project(&app, &home, "choose-column").await;
    preview(&app, &csv, Channel::Store).await;
    check::text(&app, "error-message", &error.message).await;
    find::id(&app, "mapping-needed").await;
    app.screenshot("11-import-choose-text-column").await;
    action::select(&app, "map-text", "客户原话").await;
    find::id(&app, "preview").await;
    check::selected(&app, "map-text", "客户原话").await;
    check::selected(&app, "map-dealer", "门店").await;
    check::text_contains(&app, "preview-rows", "试驾安排得很周到").await;
    assert!(!find::exists(&app, "error").await, "the error is gone once the preview works");
    check::enabled(&app, "import-run").await;
    action::click(&app, "import-run").await;
    check::count(&app, "result-documents", 2).await;
    app.close().await;
}

#[tokio::test]
async fn cancelling_an_import_leaves_the_project_unchanged() {
    let home = Home::new();
    let csv = home.work("big.csv");
    // Large enough that the import is still running when Cancel is pressed.
    let mut text = String::from("id,nps,text\n");
    for i in 0..300_000 {
        text.push_str(&format!("B{i},{},第{i}条反馈：充电速度还可以，但是车机偶尔会卡顿，希望改进。\n", i % 11));
    }
    std::fs::write(&csv, text).unwrap();

    let app = App::launch(&home, &[]).await;
    let dir = create_project(&app, &home, "cancel-test").await;
    preview(&app, &csv, Channel::Public).await;
    find::id(&app, "preview").await;
    check::enabled(&app, "import-run").await;
    action::click(&app, "import-run").await;
    find::id(&app, "import-progress").await;
    app.screenshot("10-import-running").await;
    action::click(&app, "import-cancel").await;
    let cancelled = vocwb_engine::Error::Cancelled.info().message;
    check::text(&app, "error-message", &cancelled).await;
    check::gone(&app, "import-running").await;
    assert_eq!(stats_of(&dir).documents, 0, "a cancelled import changes nothing");
    app.close().await;
}
