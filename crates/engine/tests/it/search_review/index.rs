//! `derived/index/`: lexicon segmentation through the project, combined filters, incremental
//! refresh after labels/predictions/imports, rebuild equivalence and automatic repair.

use super::{codes, ids, predict, project};
use vocwb_engine::index::{Filters, IndexAction, SearchQuery, Source};
use vocwb_engine::Silent;
use vocwb_types::{Channel, Polarity};

#[test]
fn search_finds_lexicon_words_that_a_character_split_would_break() {
    let fx = project();
    // 胎噪 is a lexicon word: found whole in 2 and 7, never in 轮胎噪声 (3), which a
    // character or bigram split would match; 拨箱 is not 箱子 (3).
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7]);
    assert_eq!(ids(&fx, "拨箱", Filters::default()), [2, 8]);
    assert_eq!(ids(&fx, "箱", Filters::default()), Vec::<u64>::new());
    // A variant is a word of its own, and the head word inside it still matches.
    assert_eq!(ids(&fx, "顿挫感", Filters::default()), [4]);
    assert_eq!(ids(&fx, "顿挫", Filters::default()), [1, 4]);
    assert_eq!(ids(&fx, "换挡杆", Filters::default()), [8]);
    assert_eq!(ids(&fx, "disconnected", Filters::default()), [5]);
    assert_eq!(ids(&fx, "\"高速胎噪\"", Filters::default()), [2, 7]);
}

#[test]
fn filters_combine_and_a_parent_code_covers_its_children() {
    let mut fx = project();
    fx.project.apply_label("ann", 1, "P.A", Polarity::Pain, None).unwrap();
    fx.project.apply_label("ann", 7, "Q.A", Polarity::Pain, None).unwrap();
    predict(&fx, "m1", &[(2, "P.B", "pain", 0.91), (2, "Q.A", "itch", 0.42), (4, "P.A", "delight", 0.66), (7, "Q.A", "pain", 0.97)], "2026-02-01T00:00:00Z");
    let f = |c: &[&str], p: &[Polarity], s: &[Source]| Filters { codes: codes(c), polarities: p.to_vec(), sources: s.to_vec(), ..Default::default() };
    assert_eq!(ids(&fx, "", f(&["P"], &[], &[])), [1, 2, 4]);
    assert_eq!(ids(&fx, "", f(&["P.A"], &[], &[])), [1, 4]);
    assert_eq!(ids(&fx, "", f(&["P"], &[Polarity::Pain], &[])), [1, 2]);
    assert_eq!(ids(&fx, "", f(&["P"], &[Polarity::Pain], &[Source::Human])), [1]);
    assert_eq!(ids(&fx, "", f(&["Q"], &[Polarity::Itch], &[])), [2]);
    assert_eq!(ids(&fx, "胎噪", f(&["Q"], &[], &[Source::Model])), [2, 7]);
    assert_eq!(ids(&fx, "胎噪", f(&["Q"], &[Polarity::Pain], &[Source::Model])), [7]);
    let conf = Filters { codes: codes(&["Q"]), min_confidence: Some(0.9), ..Default::default() };
    assert_eq!(ids(&fx, "", conf), [7]);
    let conf = Filters { min_confidence: Some(0.5), max_confidence: Some(0.7), ..Default::default() };
    assert_eq!(ids(&fx, "", conf), [4]);
    // Word + dealer + NPS range + dates.
    let meta = Filters { dealers: vec!["望京".into()], nps_min: Some(5), ..Default::default() };
    assert_eq!(ids(&fx, "胎噪", meta), [7]);
    let dates = Filters { date_from: Some("2026-01-02".into()), date_to: Some("2026-01-04".into()), channels: vec!["survey".into()], ..Default::default() };
    assert_eq!(ids(&fx, "", dates), [2, 3, 4]);
    let unreviewed = Filters { review_status: vec!["unreviewed".into()], ..Default::default() };
    assert_eq!(ids(&fx, "", unreviewed), [2, 4, 7]);
    let results = fx.project.search(&SearchQuery { text: "胎噪".into(), ..Default::default() }, &Silent).unwrap();
    let count = |c: &str| results.code_counts.iter().find(|x| x.code_id == c).map(|x| x.count);
    assert_eq!((count("Q"), count("Q.A"), count("P"), count("P.A")), (Some(2), Some(2), Some(1), None));
}

#[test]
fn refresh_reindexes_only_what_changed() {
    let mut fx = project();
    let first = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((first.action, first.documents), (IndexAction::Rebuilt, 8));
    assert_eq!(fx.project.refresh_index(&Silent).unwrap().action, IndexAction::Fresh);
    assert_eq!(fx.project.index_status().unwrap().state, "fresh");

    fx.project.apply_label("ann", 3, "Q.A", Polarity::Neutral, None).unwrap();
    assert_eq!(fx.project.index_status().unwrap().state, "stale");
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((r.action, r.indexed, r.documents), (IndexAction::Refreshed, 1, 8));
    assert_eq!(ids(&fx, "", Filters { codes: codes(&["Q"]), ..Default::default() }), [3]);

    predict(&fx, "m1", &[(5, "Q.A", "pain", 0.8), (6, "P", "delight", 0.3)], "2026-02-01T00:00:00Z");
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((r.action, r.indexed), (IndexAction::Refreshed, 2));
    assert_eq!(ids(&fx, "", Filters { sources: vec![Source::Model], ..Default::default() }), [5, 6]);

    fx.project.remove_label("ann", 3, "Q.A").unwrap();
    let more = fx.file("more.csv", "id,text\n9,新车胎噪比老车还大\n".as_bytes());
    fx.import(&more, Channel::Survey).unwrap();
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((r.action, r.indexed, r.documents), (IndexAction::Refreshed, 2, 9));
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7, 9]);
    assert_eq!(ids(&fx, "", Filters { codes: codes(&["Q"]), ..Default::default() }), [5]);

    // A model re-coding (deleting its predictions) cannot be patched: rebuilt.
    fx.project.connection().execute("DELETE FROM prediction WHERE verbatim_id = 6", []).unwrap();
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((r.action, r.reason.as_deref()), (IndexAction::Rebuilt, Some("predictions were deleted or replaced")));
    assert_eq!(ids(&fx, "", Filters { sources: vec![Source::Model], ..Default::default() }), [5]);

    // Another active model means other predictions: rebuilt, not patched.
    predict(&fx, "m2", &[(1, "P.A", "pain", 0.99)], "2026-03-01T00:00:00Z");
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!(r.action, IndexAction::Rebuilt);
    assert_eq!(r.reason.as_deref(), Some("the models changed"));
}

#[test]
fn a_rebuild_gives_the_same_results_as_incremental_refreshes() {
    let mut fx = project();
    fx.project.refresh_index(&Silent).unwrap();
    fx.project.apply_label("ann", 1, "P.A", Polarity::Pain, None).unwrap();
    fx.project.refresh_index(&Silent).unwrap();
    predict(&fx, "m1", &[(2, "P.B", "pain", 0.91), (7, "Q.A", "pain", 0.97), (8, "P.B", "itch", 0.5)], "2026-02-01T00:00:00Z");
    let queries = [
        SearchQuery { text: "胎噪".into(), ..Default::default() },
        SearchQuery { text: "".into(), filters: Filters { codes: codes(&["P"]), ..Default::default() }, ..Default::default() },
        SearchQuery { text: "拨箱".into(), filters: Filters { sources: vec![Source::Model], ..Default::default() }, ..Default::default() },
        SearchQuery { text: "".into(), limit: 100, ..Default::default() },
    ];
    type Answer = (u64, Vec<u64>, Vec<(String, u64)>);
    let run = |fx: &crate::Fixture| -> Vec<Answer> {
        queries
            .iter()
            .map(|q| {
                let r = fx.project.search(q, &Silent).unwrap();
                let mut ids: Vec<u64> = r.hits.iter().map(|h| h.verbatim_id).collect();
                ids.sort();
                (r.total, ids, r.code_counts.iter().map(|c| (c.code_id.clone(), c.count)).collect())
            })
            .collect()
    };
    let incremental = run(&fx);
    let report = fx.project.rebuild_index(&Silent).unwrap();
    assert_eq!((report.action, report.documents), (IndexAction::Rebuilt, 8));
    assert_eq!(run(&fx), incremental);
    // Two rebuilds agree to the score and the snippet.
    let full = |fx: &crate::Fixture| fx.project.search(&queries[0], &Silent).unwrap();
    let once = full(&fx);
    fx.project.rebuild_index(&Silent).unwrap();
    assert_eq!(full(&fx), once);
}

#[test]
fn a_deleted_or_damaged_index_is_rebuilt_automatically() {
    let fx = project();
    assert_eq!(fx.project.index_status().unwrap().state, "missing");
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7]);
    std::fs::remove_dir_all(fx.project.index_dir()).unwrap();
    let r = fx.project.refresh_index(&Silent).unwrap();
    assert_eq!((r.action, r.documents), (IndexAction::Rebuilt, 8));
    assert!(r.reason.unwrap().contains("no search index"));

    std::fs::write(fx.project.index_dir().join("meta.json"), "{ damaged").unwrap();
    assert_eq!(fx.project.index_status().unwrap().state, "unusable");
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7]);

    // Segment files gone behind the index's back: the search fails, rebuilds and answers.
    for entry in std::fs::read_dir(fx.project.index_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "store" || e == "term") {
            std::fs::remove_file(path).unwrap();
        }
    }
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7]);
    assert_eq!(fx.project.index_status().unwrap().state, "fresh");
}

#[test]
fn filter_options_list_what_a_search_screen_offers() {
    let fx = project();
    let o = fx.project.filter_options().unwrap();
    assert_eq!(o.channels, [("survey".to_string(), 8)]);
    assert_eq!(o.dealers, [("望京".to_string(), 4), ("浦东".to_string(), 4)]);
    assert_eq!((o.first_date.as_deref(), o.last_date.as_deref()), (Some("2026-01-01"), Some("2026-01-08")));
    assert!(o.models.is_empty() && o.review_statuses.len() == 5);
}

#[test]
fn rebuilds_running_at_once_do_not_spoil_each_other() {
    let fx = project();
    let dir = fx.project.dir().to_path_buf();
    // Each thread has its own connection, as a second process (the CLI beside the app) would.
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..3)
            .map(|_| {
                let dir = dir.clone();
                s.spawn(move || {
                    let project = vocwb_engine::Project::open(&dir).unwrap();
                    (0..3).map(|_| project.rebuild_index(&Silent).map(|r| r.documents)).collect::<Vec<_>>()
                })
            })
            .collect();
        for run in runs {
            for documents in run.join().unwrap() {
                assert_eq!(documents.unwrap(), 8);
            }
        }
    });
    assert_eq!(ids(&fx, "胎噪", Filters::default()), [2, 7]);
    let leftovers: Vec<_> = std::fs::read_dir(fx.project.derived_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("index.building"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
