//! Ranked search, filters (paired code/polarity/source, parent codes, ranges), snippets,
//! counts per code, replacing documents and reopening.

use chrono::NaiveDate;
use vocwb_search::{Application, Filters, SearchDoc, SearchIndex, SearchQuery, Source};
use vocwb_types::Polarity;

fn app(path: &[&str], polarity: Polarity, source: Source, confidence: Option<f64>) -> Application {
    Application { code_path: path.iter().map(|s| s.to_string()).collect(), polarity: Some(polarity), source, confidence }
}

fn doc(id: u64, text: &str, channel: &str, apps: Vec<Application>) -> SearchDoc {
    SearchDoc {
        verbatim_id: id,
        text: text.into(),
        channel: channel.into(),
        date: NaiveDate::from_ymd_opt(2026, 1, id as u32),
        dealer: Some(if id.is_multiple_of(2) { "北京望京店" } else { "上海浦东店" }.into()),
        vehicle_model: Some(if id <= 3 { "S5" } else { "X7" }.into()),
        nps: Some(id),
        applications: apps,
        review_status: Vec::new(),
    }
}

/// Codes: P ⊃ {P.A, P.B}, Q ⊃ {Q.A}.
fn corpus() -> Vec<SearchDoc> {
    use Polarity::*;
    use Source::*;
    vec![
        doc(1, "变速箱低速有明显顿挫，希望厂家重视", "survey", vec![app(&["P", "P.A"], Pain, Human, None)]),
        doc(2, "拨箱手感一般，跑高速胎噪大", "survey", vec![app(&["P", "P.B"], Pain, Model, Some(0.92)), app(&["Q", "Q.A"], Itch, Model, Some(0.41))]),
        doc(3, "轮胎噪声还行，顿挫感不明显", "call-center", vec![app(&["P", "P.A"], Delight, Model, Some(0.55))]),
        doc(4, "CarPlay keeps disconnecting, please fix it", "public", vec![app(&["Q", "Q.A"], Pain, Reviewed, None)]),
        doc(5, "售后服务态度非常好，胎噪也小", "survey", vec![]),
        doc(6, "The infotainment disconnects every morning", "public", vec![app(&["Q", "Q.A"], Pain, Model, Some(0.97))]),
    ]
}

fn lexicon() -> Vec<String> {
    ["顿挫", "顿挫感", "拨箱", "胎噪"].map(String::from).to_vec()
}

fn build(dir: &std::path::Path, docs: &[SearchDoc]) -> SearchIndex {
    let mut index = SearchIndex::create(dir, lexicon()).unwrap();
    let mut update = index.update(1, 20_000_000).unwrap();
    for d in docs {
        update.add(d).unwrap();
    }
    update.commit(serde_json::json!({"mark": 1})).unwrap();
    index
}

fn ids(index: &SearchIndex, text: &str, filters: Filters) -> Vec<u64> {
    let results = index.search(&SearchQuery { text: text.into(), filters, limit: 100, ..Default::default() }).unwrap();
    assert_eq!(results.total as usize, results.hits.len());
    let mut ids: Vec<u64> = results.hits.iter().map(|h| h.verbatim_id).collect();
    ids.sort();
    ids
}

fn codes(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

#[test]
fn words_from_the_lexicon_are_found_and_characters_alone_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), &corpus());
    assert_eq!(ids(&index, "胎噪", Filters::default()), [2, 5]);
    // A character split would match 轮胎噪声 (doc 3) for 胎噪, and any 箱 for 拨箱.
    assert_eq!(ids(&index, "拨箱", Filters::default()), [2]);
    assert_eq!(ids(&index, "噪", Filters::default()), Vec::<u64>::new());
    // 顿挫感 is a word of its own, and 顿挫 inside it is found too.
    assert_eq!(ids(&index, "顿挫", Filters::default()), [1, 3]);
    assert_eq!(ids(&index, "顿挫感", Filters::default()), [3]);
}

#[test]
fn english_is_stemmed_and_phrases_need_adjacent_words() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), &corpus());
    assert_eq!(ids(&index, "disconnected", Filters::default()), [4, 6]);
    assert_eq!(ids(&index, "\"keeps disconnecting\"", Filters::default()), [4]);
    assert_eq!(ids(&index, "\"disconnecting keeps\"", Filters::default()), Vec::<u64>::new());
    assert_eq!(ids(&index, "\"高速胎噪\"", Filters::default()), [2]);
    // Words are ANDed; a stray quote does not fail the search.
    assert_eq!(ids(&index, "胎噪 拨箱", Filters::default()), [2]);
    assert_eq!(ids(&index, "胎噪 \"", Filters::default()), [2, 5]);
}

#[test]
fn a_parent_code_covers_its_children_and_pairs_with_polarity_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), &corpus());
    let f = |c: &[&str], p: &[Polarity], s: &[Source]| Filters { codes: codes(c), polarities: p.to_vec(), sources: s.to_vec(), ..Default::default() };
    assert_eq!(ids(&index, "", f(&["P"], &[], &[])), [1, 2, 3]);
    assert_eq!(ids(&index, "", f(&["P.A"], &[], &[])), [1, 3]);
    assert_eq!(ids(&index, "", f(&["P.A", "Q.A"], &[], &[])), [1, 2, 3, 4, 6]);
    // Doc 2 has P pain and Q itch: P + itch must not find it.
    assert_eq!(ids(&index, "", f(&["P"], &[Polarity::Itch], &[])), Vec::<u64>::new());
    assert_eq!(ids(&index, "", f(&["P"], &[Polarity::Pain], &[])), [1, 2]);
    assert_eq!(ids(&index, "", f(&["P"], &[Polarity::Pain], &[Source::Model])), [2]);
    assert_eq!(ids(&index, "", f(&[], &[Polarity::Pain], &[Source::Reviewed])), [4]);
    assert_eq!(ids(&index, "", f(&[], &[], &[Source::Human, Source::Reviewed])), [1, 4]);
    assert_eq!(ids(&index, "胎噪", f(&["Q"], &[], &[])), [2]);
}

#[test]
fn confidence_pairs_with_the_code_and_ranges_filter() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), &corpus());
    let conf = |c: &[&str], lo: Option<f64>, hi: Option<f64>| Filters { codes: codes(c), min_confidence: lo, max_confidence: hi, ..Default::default() };
    assert_eq!(ids(&index, "", conf(&[], Some(0.9), None)), [2, 6]);
    assert_eq!(ids(&index, "", conf(&[], None, Some(0.5))), [2]);
    // Doc 2 has Q.A at 0.41 and P.B at 0.92: Q at ≥ 0.9 must not find it.
    assert_eq!(ids(&index, "", conf(&["Q"], Some(0.9), None)), [6]);
    assert_eq!(ids(&index, "", conf(&["P"], Some(0.5), Some(0.6))), [3]);
    assert_eq!(ids(&index, "", conf(&["NOPE"], Some(0.0), None)), Vec::<u64>::new());

    let other = Filters {
        channels: vec!["survey".into()],
        dealers: vec!["上海浦东店".into()],
        ..Default::default()
    };
    assert_eq!(ids(&index, "", other), [1, 5]);
    let dates = Filters { date_from: Some("2026-01-02".into()), date_to: Some("2026-01-04".into()), ..Default::default() };
    assert_eq!(ids(&index, "", dates), [2, 3, 4]);
    let nps = Filters { nps_min: Some(5), vehicle_models: vec!["X7".into()], ..Default::default() };
    assert_eq!(ids(&index, "", nps), [5, 6]);
    let none = Filters { nps_max: Some(0), ..Default::default() };
    assert_eq!(ids(&index, "", none), Vec::<u64>::new());
    let bad = Filters { date_from: Some("March".into()), ..Default::default() };
    assert!(matches!(index.search(&SearchQuery { filters: bad, ..Default::default() }), Err(vocwb_search::Error::Query(_))));
}

#[test]
fn hits_carry_snippets_fields_and_counts_per_code() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), &corpus());
    let results = index.search(&SearchQuery { text: "胎噪".into(), limit: 1, ..Default::default() }).unwrap();
    assert_eq!(results.total, 2);
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("<b>胎噪</b>"), "{}", hit.snippet);
    let (from, to) = hit.highlights[0];
    assert_eq!(&hit.fragment[from..to], "胎噪");
    let counts: Vec<(String, u64)> = results.code_counts.iter().map(|c| (c.code_id.clone(), c.count)).collect();
    assert_eq!(counts, [("P".into(), 1), ("P.B".into(), 1), ("Q".into(), 1), ("Q.A".into(), 1)]);

    let all = index.search(&SearchQuery { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(all.hits.iter().map(|h| h.verbatim_id).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    let count = |code: &str| all.code_counts.iter().find(|c| c.code_id == code).map(|c| c.count);
    assert_eq!((count("P"), count("P.A"), count("Q.A")), (Some(3), Some(2), Some(3)));
    let two = &all.hits[1];
    assert_eq!((two.channel.as_str(), two.nps, two.dealer.as_deref()), ("survey", Some(2), Some("北京望京店")));
    assert_eq!(two.codes.iter().map(|c| c.code_id.as_str()).collect::<Vec<_>>(), ["P.B", "Q.A"]);
    assert_eq!(two.date.as_deref(), Some("2026-01-02"));

    let models_only = index
        .search(&SearchQuery { filters: Filters { sources: vec![Source::Human], ..Default::default() }, ..Default::default() })
        .unwrap();
    assert_eq!(models_only.code_counts.iter().map(|c| (c.code_id.as_str(), c.count)).collect::<Vec<_>>(), [("P", 1), ("P.A", 1)]);
}

#[test]
fn upsert_replaces_and_a_reopened_index_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = build(dir.path(), &corpus());
    let before = index.search(&SearchQuery { text: "胎噪".into(), ..Default::default() }).unwrap();
    let mut update = index.update(1, 20_000_000).unwrap();
    let mut five = corpus().remove(4);
    five.text = "售后服务态度非常好".into();
    five.review_status = vec!["pending".into()];
    update.upsert(&five).unwrap();
    update.commit(serde_json::json!({"mark": 2})).unwrap();
    assert_eq!(index.num_docs(), 6);
    assert_eq!(ids(&index, "胎噪", Filters::default()), [2]);
    assert_eq!(ids(&index, "", Filters { review_status: vec!["pending".into()], ..Default::default() }), [5]);
    assert_eq!(index.verbatim_ids().unwrap(), [1, 2, 3, 4, 5, 6]);
    drop(index);

    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(reopened.meta().state, serde_json::json!({"mark": 2}));
    assert_eq!(reopened.meta().user_words, lexicon());
    assert_eq!(ids(&reopened, "胎噪", Filters::default()), [2]);
    assert_eq!(before.total, 2);
}

#[test]
fn opening_a_missing_or_foreign_folder_fails() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(SearchIndex::open(&dir.path().join("none")), Err(vocwb_search::Error::Missing(_))));
    std::fs::write(dir.path().join("meta.json"), "{not json").unwrap();
    assert!(SearchIndex::open(dir.path()).is_err());
}
