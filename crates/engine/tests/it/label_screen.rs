//! What the labelling screen asks of the engine: code search by name, pinyin and short code,
//! the number-key codes, progress, the verbatim card, and the agreement view.

use crate::Fixture;
use vocwb_engine::codesearch::CodeSearch;
use vocwb_engine::frame::{Code, Frame, FrameHeader, Lexicon, LexiconTerm};
use vocwb_types::label::{QueueKind, QueueRequest};
use vocwb_types::{Channel, Polarity, Role};

fn code(id: &str, short: &str, parent: Option<&str>, zh: &str, en: &str) -> Code {
    Code { id: id.into(), short_code: short.into(), parent: parent.map(Into::into), name_zh: zh.into(), name_en: en.into(), ..Default::default() }
}

fn frame() -> Frame {
    Frame {
        header: FrameHeader { name: "t".into(), ..Default::default() },
        codes: vec![
            code("c1", "AS", None, "售后维修", "After-sales"),
            code("c2", "AS.SHOP", Some("c1"), "4S店服务", "Dealer service"),
            code("c3", "AS.SHOP.WAIT", Some("c2"), "等待时间", "Waiting time"),
            code("c4", "AS.SHOP.DESK", Some("c2"), "等待区环境", "Waiting area"),
            code("c5", "DR", None, "驾驶体验", "Driving"),
            code("c6", "DR.RIDE", Some("c5"), "行驶质感", "Ride quality"),
            code("c7", "DR.POWER", Some("c5"), "动力表现", "Power"),
        ],
    }
}

fn ids(hits: &[vocwb_types::label::CodeHit]) -> Vec<&str> {
    hits.iter().map(|h| h.code_id.as_str()).collect()
}

#[test]
fn code_search_by_pinyin_initials_syllables_name_and_short_code() {
    let search = CodeSearch::new(&frame());
    // All the initials of a name come first; a prefix of them finds its siblings after it.
    assert_eq!(ids(&search.search("ddsj", 5)), ["c3"]);
    assert_eq!(ids(&search.search("dd", 5)), ["c3", "c4"]);
    assert_eq!(ids(&search.search("DDSJ", 5)), ["c3"], "case does not matter");
    assert_eq!(ids(&search.search("dengdaishijian", 5)), ["c3"]);
    assert_eq!(ids(&search.search("dengdsj", 5)), ["c3"], "syllables and initials mix");
    // A polyphonic character matches each of its readings (行 is xing here).
    assert_eq!(ids(&search.search("xszg", 5)), ["c6"]);
    // Chinese text, inside the name.
    assert_eq!(ids(&search.search("等待", 5)), ["c3", "c4"]);
    assert_eq!(ids(&search.search("时间", 5)), ["c3"]);
    // Short code exactly, then by prefix.
    assert_eq!(search.search("as.shop.wait", 5)[0].code_id, "c3");
    assert_eq!(ids(&search.search("DR.", 5)), ["c6", "c7"]);
    // English name.
    assert_eq!(ids(&search.search("ride", 5)), ["c6"]);
    // The path names the parents.
    assert_eq!(search.search("ddsj", 1)[0].path, "售后维修 › 4S店服务");
    assert!(search.search("", 5).is_empty());
    assert!(search.search("qqqq", 5).is_empty());
    assert_eq!(search.search("d", 2).len(), 2, "the limit holds");
}

#[test]
fn shipped_frame_finds_its_codes_by_initials() {
    let (frame, _) = vocwb_engine::frame::files::read_shipped(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../codeframes/auto")).unwrap();
    let search = CodeSearch::new(&frame);
    // Every active code is found by the initials of its own name, among the first five.
    for c in frame.codes.iter().filter(|c| c.status == vocwb_engine::frame::CodeStatus::Active) {
        let initials: String = c
            .name_zh
            .chars()
            .filter_map(|ch| {
                use pinyin::ToPinyin;
                if ch.is_ascii_alphanumeric() {
                    Some(ch.to_ascii_lowercase())
                } else {
                    ch.to_pinyin().map(|p| p.first_letter().chars().next().unwrap())
                }
            })
            .collect();
        let hits = search.search(&initials, 10);
        assert!(hits.iter().any(|h| h.code_id == c.id), "{} ({initials}) not found: {:?}", c.name_zh, ids(&hits));
    }
}

fn fixture() -> Fixture {
    let mut fx = Fixture::new();
    let lexicon = Lexicon {
        terms: vec![LexiconTerm { term: "排队".into(), variants: vec!["等了".into()], codes: vec!["AS.SHOP.WAIT".into()], ..Default::default() }],
    };
    fx.project.adopt_frame(&frame(), Some(&lexicon)).unwrap();
    let csv = fx.file("s.csv", "id,text\n1,保养排队两个小时\n2,动力很足\n3,店里环境好\n4,等了很久\n".as_bytes());
    fx.import(&csv, Channel::Survey).unwrap();
    fx
}

#[test]
fn most_used_codes_put_the_coders_own_first() {
    let mut fx = fixture();
    let p = &mut fx.project;
    p.apply_label("bob", 1, "c7", Polarity::Pain, None).unwrap();
    p.apply_label("bob", 2, "c7", Polarity::Pain, None).unwrap();
    p.apply_label("ann", 3, "c4", Polarity::Delight, None).unwrap();
    assert_eq!(p.most_used_codes("ann", 9).unwrap(), ["c4", "c7"]);
    assert_eq!(p.most_used_codes("bob", 9).unwrap(), ["c7", "c4"]);
    assert_eq!(p.most_used_codes("ann", 1).unwrap(), ["c4"]);
}

#[test]
fn progress_counts_project_coder_session_and_codes() {
    let mut fx = fixture();
    let p = &mut fx.project;
    p.apply_label("bob", 1, "c3", Polarity::Pain, None).unwrap();
    let session = chrono_now();
    p.apply_label("ann", 1, "c3", Polarity::Pain, None).unwrap();
    p.apply_label("ann", 1, "c4", Polarity::Neutral, None).unwrap();
    p.apply_label("ann", 2, "c7", Polarity::Delight, None).unwrap();
    p.remove_label("ann", 2, "c7").unwrap();
    let pr = p.label_progress("ann", &session).unwrap();
    assert_eq!((pr.verbatims, pr.labelled, pr.coder_labelled), (4, 1, 1));
    assert_eq!((pr.session_labels, pr.session_verbatims), (2, 1));
    let per_code: Vec<(&str, u64)> = pr.per_code.iter().map(|c| (c.code_id.as_str(), c.count)).collect();
    assert_eq!(per_code, [("c3", 2), ("c4", 1)]);
    assert_eq!(pr.per_code[0].name_zh, "等待时间");
}

fn chrono_now() -> String {
    // The engine stamps events in RFC 3339 with milliseconds, so a session start written the
    // same way compares as text; a pause on each side keeps the boundary unambiguous.
    std::thread::sleep(std::time::Duration::from_millis(2));
    let s = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    std::thread::sleep(std::time::Duration::from_millis(2));
    s
}

#[test]
fn card_marks_lexicon_terms_and_suggests_their_codes() {
    let mut fx = fixture();
    let p = &mut fx.project;
    p.apply_label("ann", 1, "c4", Polarity::Neutral, None).unwrap();
    p.apply_label("bob", 1, "c3", Polarity::Pain, None).unwrap();
    let (_, frame) = p.labelling_frame().unwrap();
    let search = CodeSearch::new(&frame);
    let lexicon = p.lexicon().unwrap();
    let card = p.label_card(1, "ann", &search, &lexicon).unwrap();
    assert_eq!(card.text, "保养排队两个小时");
    assert_eq!((card.marks[0].start, card.marks[0].end, card.marks[0].term.as_str()), (2, 4, "排队"));
    assert_eq!(ids(&card.suggested), ["c3"]);
    assert_eq!(card.channel, Some(Channel::Survey));
    // Only this coder's labels.
    assert_eq!(card.labels.len(), 1);
    assert_eq!((card.labels[0].code_id.as_str(), card.labels[0].polarity), ("c4", Some(Polarity::Neutral)));

    // The queue for ann leaves out what she labelled and what the window already holds.
    let cards = p.queue_cards("ann", &QueueRequest::default(), &[2], 5, &search, &lexicon).unwrap();
    let queued: Vec<i64> = cards.iter().map(|c| c.verbatim_id).collect();
    assert_eq!(queued, [3, 4]);
    let random = QueueRequest { kind: QueueKind::Random, seed: 7, channel: Some(Channel::Survey) };
    let a: Vec<i64> = p.queue_cards("ann", &random, &[], 5, &search, &lexicon).unwrap().iter().map(|c| c.verbatim_id).collect();
    let b: Vec<i64> = p.queue_cards("ann", &random, &[], 5, &search, &lexicon).unwrap().iter().map(|c| c.verbatim_id).collect();
    assert_eq!(a, b, "a seed gives one order");
    let other = QueueRequest { channel: Some(Channel::Public), ..QueueRequest::default() };
    assert!(p.queue_cards("ann", &other, &[], 5, &search, &lexicon).unwrap().is_empty());
}

#[test]
fn agreement_view_names_codes_and_shows_decisions() {
    let mut fx = fixture();
    let p = &mut fx.project;
    p.apply_label("ann", 1, "c3", Polarity::Pain, None).unwrap();
    p.apply_label("bob", 1, "c3", Polarity::Pain, None).unwrap();
    p.apply_label("ann", 2, "c7", Polarity::Delight, None).unwrap();
    p.apply_label("bob", 2, "c7", Polarity::Neutral, None).unwrap();
    p.apply_label("ann", 3, "c4", Polarity::Delight, None).unwrap();
    p.apply_label("bob", 3, "c7", Polarity::Delight, None).unwrap();
    let report = p.agreement().unwrap();
    let view = p.agreement_view().unwrap();
    assert_eq!(view.krippendorff_alpha, Some(report.krippendorff_alpha));
    assert_eq!(view.cohen_kappa, report.cohen_kappa);
    assert_eq!(view.coders, ["ann", "bob"]);
    assert_eq!(view.per_code.iter().map(|c| c.short_code.as_str()).collect::<Vec<_>>(), ["AS.SHOP.WAIT", "AS.SHOP.DESK", "DR.POWER"]);
    let d = view.disagreements.iter().find(|d| d.verbatim_id == 2).expect("polarity disagreement");
    assert_eq!((d.kind.as_str(), d.name_zh.as_str(), d.text.as_str()), ("polarity", "动力表现", "动力很足"));
    assert!(d.decision.is_none());

    p.set_coder("qa", Role::Reviewer).unwrap();
    p.adjudicate("qa", 2, "c7", Some(Polarity::Delight)).unwrap();
    p.adjudicate("qa", 3, "c4", None).unwrap();
    let view = p.agreement_view().unwrap();
    let decided = |v: i64, c: &str| view.disagreements.iter().find(|d| d.verbatim_id == v && d.code_id == c).unwrap().decision.clone().unwrap();
    assert_eq!((decided(2, "c7").adjudicator.as_str(), decided(2, "c7").polarity), ("qa", Some(Polarity::Delight)));
    assert_eq!(decided(3, "c4").polarity, None);
    // Adjudications are not a coder's labels: the figures do not move.
    assert_eq!(view.krippendorff_alpha, Some(report.krippendorff_alpha));
}


#[test]
fn applying_against_a_held_frame_is_refused_once_a_newer_version_is_published() {
    let mut fx = fixture();
    let p = &mut fx.project;
    let held = p.labelling_frame().unwrap();
    p.apply_label_in(&held, "ann", 1, "c3", Polarity::Pain, None).unwrap();
    assert_eq!(p.coder_labels_of("ann", 1).unwrap()[0].frame_version, Some(held.0));
    // A code that is not in the held frame is refused like apply_label refuses it.
    assert!(matches!(p.apply_label_in(&held, "ann", 1, "nope", Polarity::Pain, None), Err(vocwb_engine::Error::UnknownCode(_))));
    p.frame_edit(vocwb_engine::frame::FrameOp::Rename { id: "c3".into(), name_zh: "维修等待".into(), name_en: "Wait".into() }, "owner").unwrap();
    p.frame_publish("owner", None).unwrap();
    let err = p.apply_label_in(&held, "ann", 2, "c3", Polarity::Pain, None).unwrap_err();
    assert!(err.to_string().contains("is now the latest"), "{err}");
    assert!(p.coder_labels_of("ann", 2).unwrap().is_empty(), "nothing was written");
}
