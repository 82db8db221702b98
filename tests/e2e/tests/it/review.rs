//! The search & review screen, on the demo project with made-up human labels, a model trained
//! on them and its auto-codes: searching with a filter chip and facets, and a short QA review
//! walked with the keyboard, each checked against the engine.

use std::path::{Path, PathBuf};
use vocwb_e2e::{action, assets_dir, check, find, App, Home};
use vocwb_engine::model::{self, Options, Rule};
use vocwb_engine::review::Proportion;
use vocwb_engine::index::{Filters, SearchQuery, SearchResults};
use vocwb_engine::{Project, Silent};
use vocwb_types::{Channel, Role};

const REVIEWER: &str = "qa-lin";
const RESEARCHER: &str = "ana";

/// The demo project plus 200 made-up labelled verbatims (by a researcher), a model trained on
/// them, and its predictions for every unlabelled verbatim; `qa-lin` is the QA reviewer.
fn project_with_predictions(home: &Home) -> PathBuf {
    let dir = home.work("project");
    let mut project = vocwb_engine::demo::build(&dir, &assets_dir().join("demo"), &Silent).expect("demo project");
    let labels = home.work("labels.csv");
    model::write_synthetic_labels(&labels, 200, 11).expect("made-up labels");
    project.import_labels(&labels, Channel::Public, RESEARCHER).expect("import labels");
    model::train(&mut project, &Options { folds: 3, ..Options::default() }, false, &Silent).expect("train");
    let coded = model::autocode(&mut project, Rule::F1, &Silent).expect("autocode");
    assert!(coded.predictions > 0, "{coded:?}");
    project.set_coder(REVIEWER, Role::Reviewer).expect("reviewer");
    dir
}

async fn open_screen(app: &App, mode: &str) {
    find::id(app, "page-overview").await;
    action::click(app, "nav-review").await;
    find::id(app, "page-review").await;
    action::click(app, &format!("mode-{mode}")).await;
}

/// The verbatim ids of the hits the window lists, in order.
async fn shown_hits(app: &App) -> Vec<u64> {
    let ids = app
        .client
        .execute("return [...document.querySelectorAll('#hits > li')].map(e => Number(e.dataset.verbatim));", vec![])
        .await
        .expect("hits script");
    ids.as_array().expect("an array").iter().map(|v| v.as_u64().expect("an id")).collect()
}

/// Waits until the window has answered its latest search. The engine calls of the test must
/// not overlap a search of the window that is (re)building the index: two processes writing
/// one index at once are not coordinated (see `engine::index`).
async fn wait_idle(app: &App) {
    let deadline = std::time::Instant::now() + vocwb_e2e::TIMEOUT;
    while std::time::Instant::now() < deadline {
        let answered = find::try_text(app, "search-total").await.is_some_and(|t| !t.trim().is_empty());
        if answered && !find::exists(app, "search-busy").await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    panic!("the window's search did not finish");
}

async fn wait_for_hits(app: &App, expected: &[u64]) {
    let deadline = std::time::Instant::now() + vocwb_e2e::TIMEOUT;
    let mut last = Vec::new();
    while std::time::Instant::now() < deadline {
        last = shown_hits(app).await;
        if last == expected && !find::exists(app, "search-busy").await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    panic!("the window lists hits {last:?}, the engine {expected:?}");
}

fn engine_search(dir: &Path, text: &str, filters: Filters) -> SearchResults {
    let project = Project::open(dir).expect("open");
    let query = SearchQuery { text: text.into(), filters, limit: 20, offset: 0, snippet_chars: 120, code_counts: true };
    project.search(&query, &Silent).expect("engine search")
}

#[tokio::test]
async fn review_search_with_filter_chip_and_facets_matches_engine() {
    let home = Home::new();
    let dir = project_with_predictions(&home);
    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    open_screen(&app, "search").await;
    // The first search (everything) builds the index.
    wait_idle(&app).await;
    check::text_contains(&app, "index-state", "已是最新").await;

    action::type_into(&app, "search-text", "顿挫").await;
    action::press_enter(&app, "search-text").await;
    let all = engine_search(&dir, "顿挫", Filters::default());
    assert!(all.total > 2, "the lexicon word is in several verbatims: {}", all.total);
    wait_for_hits(&app, &all.hits.iter().map(|h| h.verbatim_id).collect::<Vec<_>>()).await;

    // A filter chip: only the survey channel.
    action::select(&app, "filter-channel", "survey").await;
    find::id(&app, "chip-channel-0").await;
    let survey = Filters { channels: vec!["survey".into()], ..Filters::default() };
    let expected = engine_search(&dir, "顿挫", survey.clone());
    assert!(expected.total >= 1 && expected.total < all.total);
    wait_for_hits(&app, &expected.hits.iter().map(|h| h.verbatim_id).collect::<Vec<_>>()).await;
    check::count(&app, "search-total", expected.total).await;
    // The matched word is highlighted as a <mark>, drawn from the engine's byte ranges.
    let first = expected.hits[0].verbatim_id;
    let html = find::id(&app, &format!("hit-{first}-snippet")).await.html(true).await.unwrap();
    assert!(html.contains("<mark>顿挫</mark>"), "snippet: {html}");
    // Facet counts per code, as the engine counts them.
    assert!(!expected.code_counts.is_empty(), "the hits carry codes");
    for c in expected.code_counts.iter().take(40) {
        check::count(&app, &format!("facet-{}-count", c.code_id), c.count).await;
    }
    app.screenshot("80-review-search-zh").await;

    // Clicking a facet adds that code as a filter.
    let facet = expected.code_counts[0].clone();
    action::click(&app, &format!("facet-{}", facet.code_id)).await;
    find::id(&app, &format!("chip-code-{}", facet.code_id)).await;
    let by_code = engine_search(&dir, "顿挫", Filters { codes: vec![facet.code_id.clone()], ..survey });
    assert_eq!(by_code.total, facet.count, "a facet counts what filtering by it finds");
    wait_for_hits(&app, &by_code.hits.iter().map(|h| h.verbatim_id).collect::<Vec<_>>()).await;
    check::count(&app, "search-total", by_code.total).await;

    action::click(&app, "lang-toggle").await;
    check::text(&app, "mode-search", "Search").await;
    app.screenshot("81-review-search-facet-en").await;

    // Rebuilding the index on demand ends with an index matching the database.
    wait_idle(&app).await;
    action::click(&app, "index-rebuild").await;
    check::enabled(&app, "index-rebuild").await;
    check::text_contains(&app, "index-state", "up to date").await;
    assert!(!find::exists(&app, "index-error").await);
    app.close().await;
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

fn ci(p: &Proportion) -> String {
    match (p.low, p.high) {
        (Some(l), Some(h)) => format!("{}–{}", pct(Some(l)), pct(Some(h))),
        _ => "—".into(),
    }
}

#[tokio::test]
async fn review_walk_sample_with_keyboard_and_report_matches_engine() {
    let home = Home::new();
    let dir = project_with_predictions(&home);
    // The code the model predicted most, and another active code to correct into.
    let (code, other) = {
        let project = Project::open(&dir).unwrap();
        let code: String = project
            .connection()
            .query_row("SELECT code_id FROM prediction GROUP BY code_id ORDER BY COUNT(*) DESC, code_id LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let (_, frame) = project.labelling_frame().unwrap();
        let other = frame.codes.iter().find(|c| c.id != code && c.parent.is_some() && c.status == Default::default()).unwrap().id.clone();
        (code, other)
    };
    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    open_screen(&app, "review").await;

    // A researcher may not decide: the engine's refusal is shown as it words it.
    action::type_into(&app, "reviewer", RESEARCHER).await;
    action::select(&app, "sample-code", &code).await;
    action::type_into(&app, "sample-size", "4").await;
    action::type_into(&app, "sample-seed", "7").await;
    action::click(&app, "draw-sample").await;
    check::text_contains(&app, "review-error", "only a QA reviewer").await;
    app.screenshot("82-review-refused-zh").await;

    action::type_into(&app, "reviewer", REVIEWER).await;
    check::text_contains(&app, "reviewer-role", "质检审核员").await;
    action::click(&app, "draw-sample").await;
    find::id(&app, "review-item").await;
    let sample = Project::open(&dir).unwrap().review_samples().unwrap().remove(0);
    assert_eq!((sample.reviewer.as_str(), sample.seed, sample.params.per_code), (REVIEWER, 7, 4));
    let sample = Project::open(&dir).unwrap().review_sample(sample.id).unwrap();
    assert_eq!(sample.items.len(), 4, "four items of the most predicted code");
    let n = sample.items.len();
    check::text_contains(&app, "item-text", &sample.items[0].text).await;
    app.screenshot("83-review-sample-drawn-zh").await;

    // Keyboard: A accepts item 1, C opens the correction of item 2, R rejects item 3.
    let walker = find::id(&app, "review-walker").await;
    walker.send_keys("a").await.unwrap();
    check::text(&app, "report-decided", &format!("1/{n}")).await;
    check::text_contains(&app, "item-text", &sample.items[1].text).await;
    find::id(&app, "review-walker").await.send_keys("c").await.unwrap();
    find::id(&app, "correct-panel").await;
    action::select(&app, "correct-code", &other).await;
    app.screenshot("84-review-correcting-zh").await;
    action::click(&app, "correct-save").await;
    check::text(&app, "report-decided", &format!("2/{n}")).await;
    check::text_contains(&app, "item-text", &sample.items[2].text).await;
    find::id(&app, "review-walker").await.send_keys("r").await.unwrap();
    check::text(&app, "report-decided", &format!("3/{n}")).await;
    // ← goes back to the rejected item.
    find::id(&app, "review-walker").await.send_keys("\u{E012}").await.unwrap();
    check::text_contains(&app, "item-position", &format!("第 3 / {n} 条")).await;
    check::text_contains(&app, "item-decision", "已驳回").await;

    // The database: three decisions by the reviewer; the correction became a review label.
    let project = Project::open(&dir).unwrap();
    let decisions = project.review_decisions(Some(sample.id)).unwrap();
    let kinds: Vec<(i64, &str, &str)> = decisions.iter().map(|d| (d.position, d.decision.as_str(), d.reviewer.as_str())).collect();
    assert_eq!(kinds, [(1, "accept", REVIEWER), (2, "correct", REVIEWER), (3, "reject", REVIEWER)]);
    assert!(decisions.iter().all(|d| !d.created_at.is_empty()));
    assert_eq!(decisions[1].corrected_code.as_deref(), Some(other.as_str()));
    let history = project.label_history(Some(sample.items[1].verbatim_id)).unwrap();
    assert!(
        history.iter().any(|e| e.code_id == other && e.action == "apply" && e.source == "review" && e.coder == REVIEWER),
        "the correction is a label: {history:?}"
    );

    // The report shown is the engine's.
    let report = project.review_report(Some(sample.id)).unwrap();
    assert_eq!(report.decided, 3);
    check::text(&app, "report-decided", &format!("3/{}", report.items)).await;
    for p in &report.precision {
        check::text(&app, &format!("prec-{}-n", p.code_id), &format!("{}/{}", p.precision.successes, p.precision.n)).await;
        check::text(&app, &format!("prec-{}-value", p.code_id), &pct(p.precision.value)).await;
        check::text(&app, &format!("prec-{}-ci", p.code_id), &ci(&p.precision)).await;
        check::text(&app, &format!("prec-{}-weighted", p.code_id), &pct(p.weighted_precision)).await;
    }
    let row = report.precision.iter().find(|p| p.code_id == code).expect("the sampled code");
    assert_eq!((row.precision.successes, row.precision.n), (1, 3));
    check::text(&app, "agree-code", &pct(report.agreement.code.value)).await;
    check::text(&app, "agree-exact", &pct(report.agreement.exact.value)).await;
    find::id(&app, "confusion-0").await;
    app.screenshot("85-review-report-zh").await;

    // Export by path.
    let xlsx = home.work("review-report.xlsx");
    action::type_into(&app, "report-path", xlsx.to_str().unwrap()).await;
    action::click(&app, "report-export").await;
    check::text_contains(&app, "report-exported", xlsx.to_str().unwrap()).await;
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);

    action::click(&app, "lang-toggle").await;
    check::text_contains(&app, "item-decision", "Rejected").await;
    app.screenshot("86-review-report-en").await;
    app.close().await;

    // Relaunched: the reviewer's name is remembered, and the recorded sample reopens where the
    // reviewer left off (the first undecided item) with its report.
    let app = App::launch(&home, &[dir.to_str().unwrap()]).await;
    open_screen(&app, "review").await;
    check::selected(&app, "reviewer", REVIEWER).await;
    action::select(&app, "sample-pick", &sample.id.to_string()).await;
    check::text(&app, "report-decided", &format!("3/{n}")).await;
    check::text_contains(&app, "item-text", &sample.items[3].text).await;
    check::text_contains(&app, "item-position", &format!("Item 4 of {n}")).await;
    app.close().await;
}
