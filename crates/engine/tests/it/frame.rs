use crate::Fixture;
use std::path::PathBuf;
use vocwb_engine::frame::files::read_shipped;
use vocwb_engine::frame::{Code, CodeStatus, Frame, FrameHeader, FrameOp, FrameToml};
use vocwb_engine::Error;
use vocwb_types::{Channel, Polarity};

fn shipped_auto() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../codeframes/auto")
}

fn code(id: &str, short: &str, parent: Option<&str>, name: &str) -> Code {
    Code { id: id.into(), short_code: short.into(), parent: parent.map(Into::into), name_zh: name.into(), ..Default::default() }
}

fn small_frame() -> Frame {
    Frame {
        header: FrameHeader { name: "test".into(), ..Default::default() },
        codes: vec![
            code("j", "J", None, "售后维修"),
            code("t", "J.T", Some("j"), "4S店服务"),
            code("t2", "J.U", Some("j"), "保养"),
            code("a", "J.T.A", Some("t"), "等待时间"),
            code("b", "J.T.B", Some("t"), "服务态度"),
            code("c", "J.T.C", Some("t"), "等待太久"),
            code("d", "J.T.D", Some("t"), "收费"),
            code("e", "J.T.E", Some("t"), "饮料"),
        ],
    }
}

#[test]
fn the_shipped_automotive_frame_loads_validates_and_has_the_product_topics() {
    let (frame, lexicon) = read_shipped(&shipped_auto()).unwrap();
    assert_eq!(frame.validate(), vec![]);
    let depth_count = |d: usize| frame.codes.iter().filter(|c| frame.depth(&c.id) == d).count();
    assert!(depth_count(0) >= 10 && depth_count(1) >= 40 && depth_count(2) >= 150, "{} {} {}", depth_count(0), depth_count(1), depth_count(2));
    for name in ["动力", "价格", "油耗", "操控", "舒适性", "配置", "安全性", "内饰", "外观", "空间"] {
        let n = frame.codes.iter().filter(|c| c.name_zh == name && c.status == CodeStatus::Active).count();
        assert_eq!(n, 1, "{name} must name exactly one active code");
    }
    assert!(frame.codes.iter().all(|c| !c.definition_zh.is_empty() && !c.definition_en.is_empty() && !c.owner.is_empty()));
    let lexicon = lexicon.expect("the auto frame ships a lexicon");
    assert!(lexicon.terms.len() >= 200);
    for term in ["顿挫", "给油", "拨箱", "异响", "胎噪", "车机", "4S店"] {
        assert!(lexicon.terms.iter().any(|t| t.term == term || t.variants.iter().any(|v| v == term)), "{term}");
    }
    // Every term's codes resolve: set_lexicon refuses unknown codes.
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&frame, Some(&lexicon)).unwrap();
    assert_eq!(fx.project.lexicon().unwrap(), lexicon);
}

#[test]
fn validation_names_each_problem() {
    let mut f = small_frame();
    f.codes.push(code("a", "X.1", None, "dup id"));
    f.codes.push(code("x2", "J.T.B", None, "dup short"));
    f.codes.push(code("x3", "X.3", Some("nowhere"), "orphan"));
    f.codes.push(code("x4", "X.4", None, " "));
    f.codes.push(code("p", "P", Some("q"), "cycle p"));
    f.codes.push(code("q", "Q", Some("p"), "cycle q"));
    f.codes.push(Code { status: CodeStatus::Retired, ..code("r", "R", None, "retired parent") });
    f.codes.push(code("r1", "R.1", Some("r"), "active child"));
    let problems: Vec<String> = f.validate().iter().map(|p| p.to_string()).collect();
    let has = |s: &str| assert!(problems.iter().any(|p| p.contains(s)), "missing '{s}' in {problems:?}");
    has("code a (id): duplicate id 'a'");
    has("code x2 (short_code): duplicate short code 'J.T.B'");
    has("code x3 (parent): parent 'nowhere' does not exist");
    has("code x4 (name_zh): the Chinese name is empty");
    has("code p (parent): cycle");
    has("code r1 (parent): active code under retired parent 'r'");
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&small_frame(), None).unwrap();
    let err = fx.project.frame_edit(FrameOp::Move { id: "j".into(), parent: Some("a".into()) }, "owner").unwrap_err();
    assert!(matches!(err, Error::InvalidFrame(ref m) if m.contains("cycle")), "{err}");
    assert_eq!(fx.project.frame_draft().unwrap().get("j").unwrap().parent, None);
}

/// Labels on five codes, then one version that renames, moves, merges, splits and retires them.
#[test]
fn migration_follows_every_operation_and_keeps_old_labels() {
    let mut fx = Fixture::new();
    assert_eq!(fx.project.adopt_frame(&small_frame(), None).unwrap(), 1);
    let csv = fx.file("v.csv", "id,text\n1,等了三个小时\n2,态度很好\n3,太慢了\n4,收费不透明\n5,饮料没有\n".as_bytes());
    fx.import(&csv, Channel::Survey).unwrap();
    for (verbatim, code) in [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")] {
        fx.project.apply_label("ann", verbatim, code, Polarity::Pain, None).unwrap();
    }
    // Verbatim 3 also carries the code it will merge into, with another polarity: that one stays.
    fx.project.apply_label("ann", 3, "a", Polarity::Neutral, None).unwrap();

    let p = &mut fx.project;
    p.frame_edit(FrameOp::Rename { id: "a".into(), name_zh: "维修等待时间".into(), name_en: "Repair wait".into() }, "owner").unwrap();
    p.frame_edit(FrameOp::Move { id: "b".into(), parent: Some("t2".into()) }, "owner").unwrap();
    p.frame_edit(FrameOp::Merge { from: "c".into(), into: "a".into() }, "owner").unwrap();
    p.frame_edit(FrameOp::Split { from: "d".into(), into: vec![code("d1", "J.T.D1", Some("t"), "工时费"), code("d2", "J.T.D2", Some("t"), "配件费")] }, "owner").unwrap();
    p.frame_edit(FrameOp::Retire { id: "e".into() }, "owner").unwrap();
    assert_eq!(p.frame_publish("owner", None).unwrap(), 2);

    let diff: Vec<&str> = p.frame_diff(1, Some(2)).unwrap().iter().map(|o| o.op.kind()).collect();
    assert_eq!(diff, ["rename", "move", "merge", "split", "retire"]);

    let report = p.migrate_labels(None).unwrap();
    assert_eq!(report.labels, 6);
    let by = |k: &str| report.by_operation.get(k).copied().unwrap_or(0);
    assert_eq!((by("rename"), by("move"), by("merge"), by("split"), by("retire")), (2, 1, 1, 1, 1));
    assert_eq!((report.carried, report.needs_review), (4, 2));

    let current = |v: i64| -> Vec<(String, Option<i64>)> {
        p_labels(&fx, v).into_iter().map(|l| (l.code_id, l.frame_version)).collect()
    };
    assert_eq!(current(1), [("a".to_string(), Some(2))]);
    assert_eq!(current(2), [("b".to_string(), Some(2))]);
    assert_eq!(current(3), [("a".to_string(), Some(2))], "merged label folds into the existing one");
    assert_eq!(current(4), [("d".to_string(), Some(1))], "split labels stay on the old version until reviewed");
    let queue = fx.project.review_queue().unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0], (4, "d".to_string(), "split".to_string(), vec!["d1".to_string(), "d2".to_string()]));
    assert_eq!((queue[1].0, queue[1].2.as_str()), (5, "retire"));
    // Nothing is lost: the events made under v1 are all still there.
    let v1_events: i64 = fx.project.connection().query_row("SELECT COUNT(*) FROM label_event WHERE frame_version = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(v1_events, 6);
    // A second migration finds nothing left to move.
    assert_eq!(fx.project.migrate_labels(None).unwrap().carried, 0);
}

fn p_labels(fx: &Fixture, verbatim: i64) -> Vec<vocwb_engine::labels::Label> {
    fx.project.labels_of(verbatim).unwrap()
}

#[test]
fn publishing_freezes_versions_and_writes_readable_files() {
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&small_frame(), None).unwrap();
    let err = fx.project.frame_publish("owner", None).unwrap_err();
    assert!(err.to_string().contains("nothing changed"), "{err}");
    fx.project.frame_edit(FrameOp::Add { code: code("f", "J.T.F", Some("t"), "洗车") }, "owner").unwrap();
    assert_eq!(fx.project.frame_publish("owner", Some("add car wash")).unwrap(), 2);
    fx.project.frame_edit(FrameOp::Retire { id: "f".into() }, "owner").unwrap();
    let v2 = fx.project.frame_version(2).unwrap();
    assert_eq!(v2.get("f").unwrap().status, CodeStatus::Active, "a published version never changes");
    assert_eq!(v2.header.changelog, "add car wash");
    let file = fx.project.dir().join("codeframes/test/v2.toml");
    let on_disk = Frame::from_toml(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(on_disk, v2);
    assert_eq!(fx.project.frame_versions().unwrap().len(), 2);
}

#[test]
fn replacing_the_draft_from_a_file_records_the_differences() {
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&small_frame(), None).unwrap();
    let mut edited = small_frame();
    edited.codes.retain(|c| c.id != "e");
    edited.codes.iter_mut().find(|c| c.id == "a").unwrap().name_zh = "等候时长".into();
    edited.codes.iter_mut().find(|c| c.id == "b").unwrap().parent = Some("t2".into());
    edited.codes.iter_mut().find(|c| c.id == "d").unwrap().owner = "售后服务部".into();
    let ops: Vec<&str> = fx.project.frame_replace(&edited, "owner").unwrap().iter().map(|o| o.kind()).collect::<Vec<_>>().into_iter().collect();
    assert_eq!(ops, ["rename", "move", "edit", "retire"]);
    let draft = fx.project.frame_draft().unwrap();
    assert_eq!(draft.get("e").unwrap().status, CodeStatus::Retired, "left-out codes are retired, not deleted");
}

#[test]
fn shared_labels_import_by_name_or_short_code_and_refuses_unknown_codes() {
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&small_frame(), None).unwrap();
    let good = fx.file("a.csv", "id,text,labels\n101,等太久,等待时间:-1|J.T.B:1\n102,还行,收费:0\n".as_bytes());
    let report = fx.project.import_labels(&good, Channel::Public, "ann").unwrap();
    assert_eq!((report.rows, report.verbatims_created, report.labels_added), (2, 2, 3));
    let second = fx.file("b.csv", "id,text,labels\n101,等太久,等待时间:0\n".as_bytes());
    fx.project.import_labels(&second, Channel::Public, "bob").unwrap();
    let coders: Vec<(String, String)> = fx.project.labels_of(1).unwrap().into_iter().map(|l| (l.coder, l.code_id)).collect();
    assert_eq!(coders, [("ann".into(), "a".into()), ("ann".into(), "b".into()), ("bob".into(), "a".into())]);
    // Same file, same coder: nothing new.
    assert_eq!(fx.project.import_labels(&good, Channel::Public, "ann").unwrap().labels_added, 0);

    let before = fx.counts();
    let bad = fx.file("bad.csv", "id,text,labels\n201,x,等待时间:1\n202,y,动力:-1\n".as_bytes());
    let err = fx.project.import_labels(&bad, Channel::Public, "ann").unwrap_err();
    assert!(err.to_string().contains("bad.csv, row 3, field 'labels': unknown code '动力'"), "{err}");
    assert_eq!(fx.counts(), before);
}

#[test]
fn lexicon_terms_are_added_edited_in_place_and_deleted() {
    use vocwb_engine::frame::LexiconTerm;
    let mut fx = Fixture::new();
    fx.project.adopt_frame(&small_frame(), None).unwrap();
    let typed = LexiconTerm {
        term: " 顿挫 ".into(),
        variants: vec!["一顿一顿".into(), "  ".into()],
        codes: vec!["J.T.A".into(), "".into()],
        ..Default::default()
    };
    let lexicon = fx.project.lexicon_put(None, typed).unwrap();
    assert_eq!(lexicon.terms.len(), 1);
    assert_eq!(lexicon.terms[0].term, "顿挫", "the typed term is trimmed");
    assert_eq!(lexicon.terms[0].variants, vec!["一顿一顿".to_string()], "blank variants are dropped");
    assert_eq!(lexicon.terms[0].codes, vec!["J.T.A".to_string()]);
    fx.project
        .lexicon_put(None, LexiconTerm { term: "异响".into(), codes: vec!["J.T.B".into()], ..Default::default() })
        .unwrap();

    // Renaming keeps the term's place.
    let renamed = LexiconTerm { term: "顿挫感".into(), codes: vec!["J.T.B".into()], ..Default::default() };
    let lexicon = fx.project.lexicon_put(Some("顿挫"), renamed).unwrap();
    assert_eq!(lexicon.terms.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(), ["顿挫感", "异响"]);
    assert_eq!(fx.project.lexicon().unwrap(), lexicon, "what was returned is what is stored");

    // Refusals change nothing: an unknown code, a duplicate term, a missing term.
    let unknown = LexiconTerm { term: "拨箱".into(), codes: vec!["NOPE".into()], ..Default::default() };
    let e = fx.project.lexicon_put(None, unknown).unwrap_err();
    assert!(e.to_string().contains("unknown code 'NOPE'"), "{e}");
    let twice = LexiconTerm { term: "异响".into(), ..Default::default() };
    assert!(fx.project.lexicon_put(Some("顿挫感"), twice).unwrap_err().to_string().contains("appears twice"));
    assert!(fx.project.lexicon_delete("没有").is_err());
    assert_eq!(fx.project.lexicon().unwrap(), lexicon);

    let lexicon = fx.project.lexicon_delete("顿挫感").unwrap();
    assert_eq!(lexicon.terms.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(), ["异响"]);
}
