//! The labelling screen: a coder labels with the keyboard only (pinyin search, number keys,
//! polarity keys, undo, redo, skip), the engine holds exactly those labels, the window's
//! progress agrees, and the keypress-to-next-verbatim latency is measured in the window.
//! Then the agreement view against the engine's figures, and an adjudication.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use vocwb_e2e::fantoccini::Locator;
use vocwb_e2e::{action, artifacts_dir, assets_dir, check, find, App, Home, TIMEOUT};
use vocwb_engine::frame::CodeStatus;
use vocwb_engine::queue::{QueueFilter, QueueOrder};
use vocwb_engine::Project;
use vocwb_types::{Polarity, Role};

const CODER: &str = "e2e-ann";

/// The verbatim the window shows now.
async fn shown(app: &App) -> Option<i64> {
    let el = app.client.find(Locator::Id("verbatim")).await.ok()?;
    el.attr("data-verbatim-id").await.ok().flatten()?.parse().ok()
}

async fn wait_shown(app: &App, expected: i64) {
    let deadline = Instant::now() + TIMEOUT;
    let mut last = None;
    while Instant::now() < deadline {
        last = shown(app).await;
        if last == Some(expected) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let error = find::try_text(app, "error-message").await;
    panic!("the window shows verbatim {last:?}, expected {expected} (error shown: {error:?})");
}

/// Types `keys` into whatever has keyboard focus, as a person at the keyboard would.
async fn keys(app: &App, keys: &str) {
    let focused = app.client.active_element().await.expect("a focused element");
    focused.send_keys(keys).await.unwrap_or_else(|e| panic!("typing {keys:?}: {e}"));
}

async fn focused_id(app: &App) -> String {
    let el = app.client.active_element().await.expect("a focused element");
    el.attr("id").await.ok().flatten().unwrap_or_default()
}

/// Waits until keyboard focus is on the element with `id`.
async fn wait_focus(app: &App, id: &str) {
    let deadline = Instant::now() + TIMEOUT;
    let mut last = String::new();
    while Instant::now() < deadline {
        last = focused_id(app).await;
        if last == id {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("focus is on #{last}, expected #{id}");
}

/// The current labels of a coder in the project: (verbatim, code, polarity).
fn labels_in_db(dir: &std::path::Path, coder: &str) -> BTreeSet<(i64, String, String)> {
    let p = Project::open(dir).unwrap();
    let mut st = p
        .connection()
        .prepare("SELECT l.verbatim_id, l.code_id, l.polarity FROM current_label l JOIN coder c ON c.id = l.coder_id WHERE c.name = ?1")
        .unwrap();
    st.query_map([coder], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::test]
#[allow(clippy::print_stderr)] // The latency figures are for people reading the test log.
async fn label_with_the_keyboard_only() {
    let home = Home::new();
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-label").await;
    find::id(&app, "page-label").await;

    // Choose the coder: the name field has focus; type and press Enter.
    wait_focus(&app, "coder-name").await;
    app.screenshot("29-label-coder").await;
    keys(&app, &format!("{CODER}\u{E007}")).await;
    check::text(&app, "coder-current", CODER).await;

    let dir = home.demo_dir();
    let (wait_code, power_code) = {
        let (_, frame) = Project::open(&dir).unwrap().labelling_frame().unwrap();
        let by_name = |name: &str| {
            frame.codes.iter().find(|c| c.name_zh == name && c.status == CodeStatus::Active).unwrap_or_else(|| panic!("no code {name}")).clone()
        };
        (by_name("维修等待时间"), by_name("动力"))
    };
    // The engine's queue for this coder, in import order: what the window must show, in turn.
    let queue = Project::open(&dir).unwrap().queue(CODER, QueueOrder::InOrder, &QueueFilter::default(), 60).unwrap();
    assert!(queue.len() >= 40, "the demo has enough verbatims");
    let mut expected: BTreeSet<(i64, String, String)> = BTreeSet::new();
    let mut label = |v: i64, code: &str, p: Polarity| {
        expected.insert((v, code.to_string(), p.as_str().to_string()));
    };

    wait_shown(&app, queue[0]).await;
    wait_focus(&app, "label-workspace").await;
    app.screenshot("30-label-start").await;

    // 1. Search by pinyin initials (维修等待时间 → wxddsj), Enter chooses, A = pain, next.
    keys(&app, "/").await;
    wait_focus(&app, "code-search").await;
    keys(&app, "wxddsj").await;
    check::text_contains(&app, &format!("hit-{}", wait_code.id), "维修等待时间").await;
    app.screenshot("31-label-search-pinyin").await;
    keys(&app, "\u{E007}").await;
    wait_focus(&app, "label-workspace").await;
    check::text_contains(&app, "chosen-code-name", "维修等待时间").await;
    keys(&app, "a").await;
    label(queue[0], &wait_code.id, Polarity::Pain);
    wait_shown(&app, queue[1]).await;

    // 2. The code now has number key 1: 1 then D = delight.
    check::text_contains(&app, "shortcut-1", "维修等待时间").await;
    keys(&app, "1d").await;
    label(queue[1], &wait_code.id, Polarity::Delight);
    wait_shown(&app, queue[2]).await;

    // 3. Search by full pinyin (动力 → dongli), Shift+F = neutral and stay; then 1 S = itch and go on.
    keys(&app, "/").await;
    keys(&app, "dongli\u{E007}").await;
    check::text_contains(&app, "chosen-code-name", "动力").await;
    keys(&app, "F").await;
    check::text_contains(&app, "current-labels", "动力").await;
    assert_eq!(shown(&app).await, Some(queue[2]), "Shift keeps the verbatim");
    keys(&app, "1s").await;
    label(queue[2], &power_code.id, Polarity::Neutral);
    label(queue[2], &wait_code.id, Polarity::Itch);
    wait_shown(&app, queue[3]).await;
    check::text_contains(&app, "shortcut-2", "动力").await;

    // 4. Label, undo (back to the verbatim, label gone), then label it otherwise.
    keys(&app, "1a").await;
    wait_shown(&app, queue[4]).await;
    keys(&app, "z").await;
    wait_shown(&app, queue[3]).await;
    find::id(&app, "labels-empty").await;
    keys(&app, "2d").await;
    label(queue[3], &power_code.id, Polarity::Delight);
    wait_shown(&app, queue[4]).await;

    // 5. Skip: it goes to the end of the queue.
    keys(&app, "x").await;
    wait_shown(&app, queue[5]).await;

    // 6. Undo then redo: the label comes back; N moves on.
    keys(&app, "2f").await;
    wait_shown(&app, queue[6]).await;
    keys(&app, "z").await;
    wait_shown(&app, queue[5]).await;
    find::id(&app, "labels-empty").await;
    keys(&app, "Z").await;
    check::text_contains(&app, "current-labels", "动力").await;
    label(queue[5], &power_code.id, Polarity::Neutral);
    keys(&app, "n").await;
    wait_shown(&app, queue[6]).await;

    // 7. Backspace removes the label just made on this verbatim.
    keys(&app, "1A").await;
    check::text_contains(&app, "current-labels", "维修等待时间").await;
    keys(&app, "\u{E003}").await;
    find::id(&app, "labels-empty").await;
    keys(&app, "2a").await;
    label(queue[6], &power_code.id, Polarity::Pain);
    wait_shown(&app, queue[7]).await;
    app.screenshot("32-label-working").await;

    // 8. A run of number + polarity keys, one verbatim each.
    let polarities = [("a", Polarity::Pain), ("s", Polarity::Itch), ("d", Polarity::Delight), ("f", Polarity::Neutral)];
    for (i, v) in queue[7..37].iter().enumerate() {
        let (key, p) = polarities[i % 4];
        let (slot, code) = if i % 3 == 0 { ("2", &power_code.id) } else { ("1", &wait_code.id) };
        keys(&app, &format!("{slot}{key}")).await;
        label(*v, code, p);
        wait_shown(&app, queue[7 + i + 1]).await;
    }

    // The engine holds exactly these labels for the coder, and the skip.
    assert_eq!(labels_in_db(&dir, CODER), expected);
    let skipped: i64 = Project::open(&dir)
        .unwrap()
        .connection()
        .query_row("SELECT COUNT(*) FROM queue_skip s JOIN coder c ON c.id = s.coder_id WHERE c.name = ?1 AND s.verbatim_id = ?2", (CODER, queue[4]), |r| r.get(0))
        .unwrap();
    assert_eq!(skipped, 1, "the skipped verbatim is recorded");

    // What the window shows agrees with the engine.
    let verbatims: BTreeSet<i64> = expected.iter().map(|e| e.0).collect();
    let progress = Project::open(&dir).unwrap().label_progress(CODER, "").unwrap();
    check::count(&app, "progress-session-labels", expected.len() as u64).await;
    check::count(&app, "progress-session-verbatims", verbatims.len() as u64).await;
    check::count(&app, "progress-mine", verbatims.len() as u64).await;
    check::count(&app, "progress-labelled", progress.labelled).await;
    check::count(&app, "progress-total", progress.verbatims).await;
    let waits = expected.iter().filter(|e| e.1 == wait_code.id).count() as u64;
    check::text_contains(&app, &format!("code-count-{}", wait_code.id), &waits.to_string()).await;
    app.screenshot("33-label-progress").await;

    // Latency from each label keypress to the next verbatim drawn, measured in the window.
    let log = app.client.execute("return window.__vocwbLabelLatency || [];", vec![]).await.expect("latency log");
    let mut ms: Vec<f64> = log.as_array().expect("an array").iter().filter_map(|v| v.as_f64()).collect();
    assert!(ms.len() >= 30, "one figure per label that moved on: {ms:?}");
    ms.sort_by(f64::total_cmp);
    let (p50, p95, max) = (percentile(&ms, 50.0), percentile(&ms, 95.0), ms[ms.len() - 1]);
    let report = format!(
        "label keypress -> next verbatim drawn (performance.now at keydown to requestAnimationFrame after the DOM update), demo project\n\
         samples {}  p50 {p50:.1} ms  p95 {p95:.1} ms  max {max:.1} ms\nall (ms, sorted): {}\n",
        ms.len(),
        ms.iter().map(|m| format!("{m:.1}")).collect::<Vec<_>>().join(" ")
    );
    eprintln!("{report}");
    std::fs::create_dir_all(artifacts_dir()).unwrap();
    std::fs::write(artifacts_dir().join("label-latency.txt"), report).unwrap();

    // The coder is remembered: a new launch goes straight to labelling as the same coder.
    app.close().await;
    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-label").await;
    check::text(&app, "coder-current", CODER).await;
    // The skipped verbatim comes back only after the rest.
    wait_shown(&app, queue[37]).await;
    app.close().await;
}

#[tokio::test]
async fn label_agreement_view_and_adjudication() {
    let home = Home::new();
    let dir = home.demo_dir();
    let (alpha, kappa, first) = {
        let mut p = vocwb_engine::demo::build(&dir, &assets_dir().join("demo"), &vocwb_engine::Silent).expect("demo");
        let (_, frame) = p.labelling_frame().unwrap();
        let codes: Vec<String> = frame.codes.iter().filter(|c| frame.depth(&c.id) == 2).take(3).map(|c| c.id.clone()).collect();
        let (a, b, c) = (&codes[0], &codes[1], &codes[2]);
        // Six verbatims double coded: agreement on some, a polarity and a presence disagreement.
        for v in 1..=6 {
            p.apply_label("ann", v, a, Polarity::Pain, None).unwrap();
            let bob = if v == 2 { Polarity::Neutral } else { Polarity::Pain };
            p.apply_label("bob", v, a, bob, None).unwrap();
        }
        p.apply_label("ann", 3, b, Polarity::Delight, None).unwrap();
        p.apply_label("bob", 4, c, Polarity::Itch, None).unwrap();
        p.apply_label("ann", 5, b, Polarity::Itch, None).unwrap();
        p.apply_label("bob", 5, b, Polarity::Itch, None).unwrap();
        p.set_coder("qa", Role::Reviewer).unwrap();
        let report = p.agreement().unwrap();
        assert!(!report.disagreements.is_empty());
        let first = report.disagreements[0].clone();
        (report.krippendorff_alpha, report.cohen_kappa.expect("two coders"), first)
    };

    let app = App::launch(&home, &["--demo"]).await;
    find::id(&app, "page-overview").await;
    action::click(&app, "nav-label").await;
    wait_focus(&app, "coder-name").await;
    keys(&app, "qa").await;
    action::select(&app, "coder-role", "reviewer").await;
    action::press_enter(&app, "coder-name").await;
    check::text(&app, "coder-current", "qa").await;
    action::click(&app, "tab-agreement").await;

    check::text(&app, "agreement-alpha", &format!("{alpha:.3}")).await;
    check::text(&app, "agreement-kappa", &format!("{kappa:.3}")).await;
    let per_code = Project::open(&dir).unwrap().agreement().unwrap().per_code;
    for (id, c) in &per_code {
        let shown = c.krippendorff_alpha.map(|x| format!("{x:.3}")).unwrap_or_else(|| "—".into());
        check::text(&app, &format!("agree-{id}-alpha"), &shown).await;
    }
    app.screenshot("34-label-agreement").await;

    // Adjudicate the first disagreement: the code applies, as pain.
    let key = format!("{}-{}", first.verbatim_id, first.code_id);
    action::select(&app, &format!("adj-{key}"), "pain").await;
    action::click(&app, &format!("adj-btn-{key}")).await;
    check::text_contains(&app, &format!("decision-{key}"), "qa").await;
    let decided = Project::open(&dir).unwrap().adjudications().unwrap();
    assert_eq!(decided.get(&(first.verbatim_id, first.code_id.clone())), Some(&("qa".to_string(), Some(Polarity::Pain))));
    let history = Project::open(&dir).unwrap().label_history(Some(first.verbatim_id)).unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.source.as_str(), last.coder.as_str(), last.action.as_str()), ("adjudicated", "qa", "apply"));
    app.screenshot("35-label-adjudicated").await;

    // In English, the labelling screen at 1280×800.
    action::click(&app, "lang-toggle").await;
    action::click(&app, "tab-label").await;
    check::text_contains(&app, "key-legend", "label and go on").await;
    find::id(&app, "verbatim").await;
    app.screenshot("36-label-en").await;
    app.close().await;
}
