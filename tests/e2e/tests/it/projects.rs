//! The projects screen, the demo project, the command line and the language toggle.

use super::{check_overview_matches, stats_of};
use vocwb_e2e::{action, assets_dir, check, find, App, Home};

#[tokio::test]
async fn open_demo_shows_the_engines_counts() {
    // What the engine itself counts for the demo, built independently of the app.
    let reference = tempfile::tempdir().unwrap();
    let expected = vocwb_engine::demo::build(&reference.path().join("demo"), &assets_dir().join("demo"), &vocwb_engine::Silent)
        .expect("engine builds the demo")
        .stats()
        .unwrap();
    assert!(expected.documents > 0 && expected.verbatims > 0);

    let home = Home::new();
    let app = App::launch(&home, &[]).await;
    find::id(&app, "page-projects").await;
    check::text(&app, "nav-projects", "项目").await;
    // No project yet: no tabs for project screens.
    assert!(!find::exists(&app, "nav-overview").await);
    app.screenshot("01-projects-zh").await;

    action::click(&app, "open-demo").await;
    find::id(&app, "page-overview").await;
    check_overview_matches(&app, &expected).await;
    // And what the app built is what it shows.
    assert_eq!(stats_of(&home.demo_dir()), expected);
    let row = find::text(&app, "channel-call-center").await;
    assert!(row.contains("呼叫中心") && row.contains("Call center"), "channel row shows both names: {row}");
    app.screenshot("02-overview-demo-zh").await;
    app.close().await;
}

#[tokio::test]
#[allow(clippy::print_stderr)] // The launch times are for people reading the test log.
async fn demo_flag_opens_straight_into_the_overview() {
    let home = Home::new();
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    let ms = app.launched_at.elapsed().as_millis();
    check_overview_matches(&app, &stats_of(&home.demo_dir())).await;
    find::id(&app, "project-name").await;
    eprintln!("--demo: overview found {ms} ms after the WebDriver session was requested (first launch, demo built)");
    app.close().await;

    // Second launch: the demo exists and is just opened.
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    eprintln!("--demo: overview found {} ms after the session was requested (demo already built)", app.launched_at.elapsed().as_millis());
    app.close().await;
}

#[tokio::test]
async fn project_dir_argument_and_recent_list() {
    let home = Home::new();
    let dir = home.work("cli-project");
    vocwb_engine::Project::init(&dir).unwrap();

    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    find::id(&app, "page-overview").await;
    check::text(&app, "overview-title", "cli-project").await;
    check::count(&app, "total-documents", 0).await;
    find::id(&app, "overview-empty").await;
    app.close().await;

    // Opened once, it is in the recent list of the next launch; one click reopens it.
    let app = App::launch(&home, &[]).await;
    find::id(&app, "page-projects").await;
    let recent = find::text(&app, "recent").await;
    assert!(recent.contains("cli-project"), "recent list: {recent}");
    app.screenshot("03-projects-recent").await;
    let item = find::id(&app, "recent").await.find(vocwb_e2e::fantoccini::Locator::Css("button.recent-item")).await.unwrap();
    item.click().await.unwrap();
    check::text(&app, "overview-title", "cli-project").await;
    app.close().await;
}

#[tokio::test]
async fn opening_a_folder_that_is_not_a_project_says_so() {
    let home = Home::new();
    let dir = home.work("not-a-project");
    std::fs::create_dir_all(&dir).unwrap();
    let expected = vocwb_engine::Project::open(&dir).unwrap_err().info().message;

    let app = App::launch(&home, &[]).await;
    action::type_into(&app, "open-dir", dir.to_str().unwrap()).await;
    action::press_enter(&app, "open-dir").await;
    check::text(&app, "error-message", &expected).await;
    find::id(&app, "page-projects").await;
    app.close().await;
}

#[tokio::test]
async fn language_toggle_switches_and_persists() {
    let home = Home::new();
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    check::text(&app, "nav-overview", "概览").await;
    action::click(&app, "lang-toggle").await;
    check::text(&app, "nav-overview", "Overview").await;
    check::text(&app, "lang-toggle", "中文").await;
    app.screenshot("04-overview-demo-en").await;
    app.close().await;

    let app = App::launch(&home, &["--demo"]).await;
    check::text(&app, "nav-overview", "Overview").await;
    action::click(&app, "lang-toggle").await;
    check::text(&app, "nav-overview", "概览").await;
    app.close().await;
}

#[tokio::test]
async fn keyboard_tab_order_and_visible_focus() {
    let home = Home::new();
    let app = App::launch(&home, &[]).await;
    find::id(&app, "page-projects").await;
    let active = "return document.activeElement ? document.activeElement.id : null;";
    app.client.execute("document.getElementById('create-dir').focus();", vec![]).await.unwrap();
    let mut order = Vec::new();
    for _ in 0..3 {
        let el = app.client.active_element().await.unwrap();
        el.send_keys("\u{E004}").await.unwrap(); // Tab
        order.push(app.client.execute(active, vec![]).await.unwrap().as_str().unwrap_or("").to_string());
    }
    assert_eq!(order, ["create-dir-browse", "create-submit", "open-dir"]);
    // The focused control shows a ring (keyboard focus is visible).
    let outline = app
        .client
        .execute("return getComputedStyle(document.activeElement).outlineStyle;", vec![])
        .await
        .unwrap();
    assert_eq!(outline.as_str(), Some("solid"), "focus ring on #open-dir");
    app.screenshot("12-keyboard-focus").await;
    app.close().await;
}

#[tokio::test]
async fn browse_opens_a_native_folder_dialog_and_the_window_stays_responsive() {
    let home = Home::new();
    let app = App::launch(&home, &[]).await;
    find::id(&app, "page-projects").await;
    let before = top_level_windows();
    action::click(&app, "create-dir-browse").await;
    let deadline = std::time::Instant::now() + vocwb_e2e::TIMEOUT;
    let mut after = before;
    while std::time::Instant::now() < deadline && after <= before {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        after = top_level_windows();
    }
    assert!(after > before, "no dialog window appeared ({before} -> {after} named windows)");
    // The dialog runs beside the UI: the page still answers.
    check::text(&app, "nav-projects", "项目").await;
    let shot = vocwb_e2e::artifacts_dir().join("13-native-folder-dialog.png");
    let _ = std::process::Command::new("import").args(["-window", "root"]).arg(&shot).status();
    app.close().await;
}

/// Named windows on the X display (a new one appears with the dialog).
fn top_level_windows() -> usize {
    let out = std::process::Command::new("xwininfo").args(["-root", "-tree"]).output().expect("xwininfo (x11-utils)");
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("\"vocwb-app\"") && !l.contains("(has no name)")).count()
}
