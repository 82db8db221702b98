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

/// Selects a code through the tree's search box.
async fn choose_code(app: &App, code: &vocwb_engine::frame::Code) {
    // Back to the top: the detail panel's forms leave the page scrolled, with the tree's
    // rows under the sticky top bar.
    app.client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    action::type_into(app, "frame-search", &code.short_code).await;
    action::click(app, &format!("code-{}", code.id)).await;
    check::text_contains(app, "detail-title", &code.name_zh).await;
}

#[tokio::test]
async fn frame_move_merge_split_retire_publish_and_migrate_labels() {
    let home = Home::new();
    // The demo project built ahead, with one label on each code about to change.
    let mut project =
        vocwb_engine::demo::open_or_build(&home.demo_dir(), &vocwb_e2e::assets_dir().join("demo"), &vocwb_engine::Silent).unwrap();
    let draft = project.frame_draft().unwrap();
    let topics: Vec<_> = draft.codes.iter().filter(|c| draft.depth(&c.id) == 2).cloned().collect();
    // Four topics under one touchpoint, one under another (the move target).
    let parent = topics[0].parent.clone().unwrap();
    let siblings: Vec<_> = topics.iter().filter(|c| c.parent.as_deref() == Some(parent.as_str())).cloned().collect();
    assert!(siblings.len() >= 4, "a touchpoint with four topics");
    let (merged, kept, split, retired) = (&siblings[0], &siblings[1], &siblings[2], &siblings[3]);
    let moved = topics.iter().find(|c| c.parent.as_deref() != Some(parent.as_str())).unwrap().clone();
    let ids: Vec<i64> = project.connection().prepare("SELECT id FROM verbatim ORDER BY id LIMIT 4").unwrap()
        .query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    for (v, code) in ids.iter().zip([merged, split, retired, &moved]) {
        project.apply_label("seed-coder", *v, &code.id, vocwb_types::Polarity::Pain, None).unwrap();
    }
    drop(project);

    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-frame").await;
    find::id(&app, "page-frame").await;

    // Move: the topic goes under the first touchpoint.
    choose_code(&app, &moved).await;
    action::click(&app, "op-move-open").await;
    action::select(&app, "move-parent", &parent).await;
    action::click(&app, "do-move").await;
    check::text_contains(&app, "detail-path", &draft.get(&parent).unwrap().name_zh).await;

    // Merge one sibling into another.
    choose_code(&app, merged).await;
    action::click(&app, "op-merge-open").await;
    action::select(&app, "merge-into", &kept.id).await;
    action::click(&app, "do-merge").await;
    check::text_contains(&app, "detail-title", &kept.name_zh).await;

    // Split into two new codes.
    choose_code(&app, split).await;
    action::click(&app, "op-split-open").await;
    action::type_into(&app, "split-into", "SPA 拆分甲 Split A\u{E007}SPB 拆分乙 Split B").await;
    action::click(&app, "do-split").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    if let Some(e) = find::try_text(&app, "frame-error").await {
        panic!("the split was refused: {e}");
    }
    check::text_contains(&app, "detail-title", "拆分甲").await;

    // Retire.
    choose_code(&app, retired).await;
    action::click(&app, "do-retire").await;
    check::text_contains(&app, "detail-title", "已停用").await;
    app.screenshot("13-frame-operations-zh").await;
    if let Some(e) = find::try_text(&app, "frame-error").await {
        panic!("an operation was refused: {e}");
    }

    action::type_into(&app, "publish-changelog", "E2E: reorganise").await;
    action::click(&app, "publish").await;
    find::id(&app, "published-version").await;
    action::click(&app, "migrate").await;
    // Four labels examined: move and merge carry theirs, split and retire send theirs to review.
    check::text(&app, "migrate-labels", "4").await;
    check::text(&app, "migrate-carried", "2").await;
    check::text(&app, "migrate-review", "2").await;
    app.screenshot("14-frame-migrated-zh").await;

    let project = Project::open(&home.demo_dir()).unwrap();
    let now = project.labels_of(ids[0]).unwrap();
    assert!(now.iter().any(|l| l.code_id == kept.id), "the merged code's label moved to the code it was merged into: {now:?}");
    assert!(project.labels_of(ids[3]).unwrap().iter().any(|l| l.code_id == moved.id), "a moved code keeps its label");
    let queued: i64 = project.connection().query_row("SELECT COUNT(*) FROM review_queue", [], |r| r.get(0)).unwrap();
    assert_eq!(queued, 2, "split and retired codes' labels wait for review");
    let published = project.frame_draft().unwrap();
    assert_eq!(published.get(&moved.id).unwrap().parent.as_deref(), Some(parent.as_str()));
    assert_eq!(published.get(&retired.id).unwrap().status, vocwb_engine::frame::CodeStatus::Retired);
    assert!(published.codes.iter().any(|c| c.short_code == "SPB" && c.name_en == "Split B"));
    app.close().await;
}
