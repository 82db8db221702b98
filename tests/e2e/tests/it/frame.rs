//! The code frame screen: tree, search, add a code, publish, versions and diff, migration.

use vocwb_e2e::{action, check, find, App, Home};
use vocwb_engine::Project;

#[tokio::test]
async fn frame_add_code_publish_and_diff() {
    let home = Home::new();
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-frame").await;
    find::id(&app, "page-frame").await;

    // The engine's draft: pick a topic (depth 2) and add a sibling under its touchpoint.
    let draft = Project::open(&home.demo_dir()).unwrap().frame_draft().unwrap();
    let topic = draft.codes.iter().find(|c| draft.depth(&c.id) == 2).expect("a topic in the demo frame");
    let touchpoint = draft.get(topic.parent.as_deref().unwrap()).unwrap().clone();
    let journey_id = touchpoint.parent.clone().expect("touchpoint has a journey");
    // Top level shows first; the journey row is there before any search.
    find::id(&app, &format!("code-{journey_id}")).await;
    app.screenshot("10-frame-tree-zh").await;

    // Keyboard: focus the tree, go down, open with the right arrow.
    let tree = find::id(&app, "code-tree").await;
    tree.send_keys("\u{E015}").await.unwrap(); // ArrowDown selects the first row
    find::id(&app, "code-detail").await;
    tree.send_keys("\u{E014}").await.unwrap(); // ArrowRight expands it
    tree.send_keys("\u{E015}").await.unwrap(); // ArrowDown to its first child
    check::text_contains(&app, "detail-path", "›").await;

    // Search by short code, choose the touchpoint.
    action::type_into(&app, "frame-search", &touchpoint.short_code).await;
    action::click(&app, &format!("code-{}", touchpoint.id)).await;
    check::text_contains(&app, "detail-title", &touchpoint.name_zh).await;

    action::click(&app, "op-add-open").await;
    action::type_into(&app, "child-short", "E2E1").await;
    action::type_into(&app, "child-name-zh", "测试新话题").await;
    action::type_into(&app, "child-name-en", "E2E topic").await;
    action::click(&app, "add-child").await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    app.screenshot("11a-frame-after-add").await;
    if let Some(e) = find::try_text(&app, "frame-error").await {
        panic!("adding was refused: {e}");
    }
    check::text_contains(&app, "detail-title", "测试新话题").await;
    app.screenshot("11-frame-added-code-zh").await;

    let draft = Project::open(&home.demo_dir()).unwrap().frame_draft().unwrap();
    let added = draft.codes.iter().find(|c| c.short_code == "E2E1").expect("the engine has the new code");
    assert_eq!(added.parent.as_deref(), Some(touchpoint.id.as_str()));
    assert_eq!(added.name_en, "E2E topic");
    assert_eq!(added.id, format!("c{:04}", 1 + draft.codes.iter().filter(|c| c.id != added.id).filter_map(|c| c.id[1..].parse::<u32>().ok()).max().unwrap()));

    // A duplicate short code is refused, worded by the engine, inline.
    action::type_into(&app, "f-short", &touchpoint.short_code).await;
    action::click(&app, "save-code").await;
    check::text_contains(&app, "frame-error", "duplicate short code").await;

    action::type_into(&app, "publish-changelog", "E2E: add a topic").await;
    action::click(&app, "publish").await;
    let shown = find::text(&app, "published-version").await;
    let versions = Project::open(&home.demo_dir()).unwrap().frame_versions().unwrap();
    let latest = versions.last().expect("a published version").number;
    assert_eq!(shown, format!("v{latest}"), "the window shows the engine's version number");
    assert!(latest >= 2, "the demo starts on v1");
    check::text_contains(&app, &format!("version-{latest}"), "E2E: add a topic").await;

    action::select(&app, "diff-from", &(latest - 1).to_string()).await;
    action::select(&app, "diff-to", &latest.to_string()).await;
    action::click(&app, "show-diff").await;
    check::text_contains(&app, "diff-list", "E2E1").await;

    action::click(&app, "migrate").await;
    check::text_contains(&app, "migrate-to", &format!("v{latest}")).await;
    app.screenshot("12-frame-published-diff-zh").await;
    app.close().await;
}
