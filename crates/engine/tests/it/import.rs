use crate::Fixture;
use encoding_rs::{BIG5, GBK, UTF_16LE};
use vocwb_engine::import::{import_path, ImportOptions};
use vocwb_engine::{Error, Silent};
use vocwb_types::{Channel, ErrorCode};

fn encode(encoding: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Imports `name` expecting an error; checks the message and that the project did not change.
fn refused(fx: &mut Fixture, name: &str, bytes: &[u8], channel: Channel) -> Error {
    let before = fx.counts();
    let path = fx.file(name, bytes);
    let err = fx.import(&path, channel).expect_err("the import should be refused");
    assert_eq!(fx.counts(), before, "a failed import must leave the project unchanged");
    err
}

#[test]
fn gbk_csv_is_detected_and_decoded() {
    let mut fx = Fixture::new();
    let csv = "编号,日期,车型,反馈内容\nA1,2026-03-01,远航 X7,变速箱低速顿挫，给油也肉\nA2,2026-03-02,远航 S5,4S店等了三个小时才修好\n";
    let path = fx.file("gbk.csv", &encode(GBK, csv));
    let report = fx.import(&path, Channel::Store).unwrap();
    assert_eq!(report.encoding, "gb18030");
    assert_eq!(report.documents_added, 2);
    assert_eq!(report.mapping.text.as_deref(), Some("反馈内容"));
    assert_eq!(report.mapping.id.as_deref(), Some("编号"));
    assert_eq!(report.mapping.model.as_deref(), Some("车型"));
    assert_eq!(fx.texts(), ["变速箱低速顿挫，给油也肉", "4S店等了三个小时才修好"]);
}

#[test]
fn big5_and_utf16_files_decode() {
    let mut fx = Fixture::new();
    let big5 = fx.file("big5.csv", &encode(BIG5, "id,text\n1,車子異響很明顯\n"));
    fx.import(&big5, Channel::Public).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "id\ttext\n2\t胎噪 is loud on the highway\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let tsv = fx.file("u16.tsv", &utf16);
    let report = fx.import(&tsv, Channel::Public).unwrap();
    assert!(report.encoding.starts_with(UTF_16LE.name()), "{}", report.encoding);
    assert_eq!(fx.texts(), ["車子異響很明顯", "胎噪 is loud on the highway"]);
}

#[test]
fn bom_csv_keeps_text_exactly_and_maps_chinese_headers() {
    let mut fx = Fixture::new();
    let csv = "\u{feff}响应ID,提交时间,经销商,NPS评分,开放题回答\nSV-1,2026-01-02,望京店,9,\"  Service was great, 很满意 \"\nSV-2,2026-01-03,浦东店,3,\u{a0}等待太久\n";
    let path = fx.file("bom.csv", csv.as_bytes());
    let report = fx.import(&path, Channel::Survey).unwrap();
    assert_eq!(report.encoding, "UTF-8 (BOM)");
    assert_eq!(report.mapping.nps.as_deref(), Some("NPS评分"));
    assert_eq!(fx.texts(), ["  Service was great, 很满意 ", "\u{a0}等待太久"]);
    let nps: Vec<i64> = {
        let mut st = fx.project.connection().prepare("SELECT nps FROM document ORDER BY id").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(nps, [9, 3]);
}

#[test]
fn xlsx_rows_import_with_dates_and_numbers() {
    let mut fx = Fixture::new();
    let path = fx.dir.path().join("store.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "门店", "NPS", "反馈内容"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "ST-1").unwrap();
    sheet.write_string(1, 1, "成都高新店").unwrap();
    sheet.write_number(1, 2, 8.0).unwrap();
    sheet.write_string(1, 3, "交车仪式很用心").unwrap();
    sheet.write_string(2, 0, "ST-2").unwrap();
    sheet.write_string(2, 3, "OTA后车机卡顿").unwrap();
    book.save(&path).unwrap();
    let report = fx.import(&path, Channel::Store).unwrap();
    assert_eq!(report.documents_added, 2);
    assert_eq!(fx.texts(), ["交车仪式很用心", "OTA后车机卡顿"]);
    let dealer: String =
        fx.project.connection().query_row("SELECT dealer FROM document WHERE external_id='ST-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(dealer, "成都高新店");
}

#[test]
fn transcripts_split_customer_and_agent_turns() {
    let mut fx = Fixture::new();
    let folder = fx.dir.path().join("calls");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("c1.txt"),
        "# id: CC-1\n# model: 远航 E3\n[00:00:01] 坐席: 您好，请问有什么可以帮您？\n[00:00:05] 客户: 充电桩装不上\n[00:00:20] 坐席: 好的\n[00:00:25] 客户: 另外车机老是卡\n",
    )
    .unwrap();
    std::fs::write(folder.join("c2.txt"), encode(GBK, "Agent: hello\nCustomer: 我的车有异响\n")).unwrap();
    let report = fx.import(&folder, Channel::CallCenter).unwrap();
    assert_eq!((report.documents_added, report.verbatims_added, report.context_turns_added), (2, 3, 3));
    assert_eq!(fx.texts(), ["充电桩装不上", "另外车机老是卡", "我的车有异响"]);
    let ids: Vec<String> = {
        let mut st = fx.project.connection().prepare("SELECT external_id FROM document ORDER BY id").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(ids, ["CC-1", "c2"]);
}

#[test]
fn jsonl_posts_import_and_bad_lines_are_named() {
    let mut fx = Fixture::new();
    let good = "{\"post_id\":\"P1\",\"created_at\":\"2026-05-02\",\"model\":\"X7\",\"content\":\"提车作业 🎉\"}\n{\"post_id\":\"P2\",\"content\":\"希望OTA加个哨兵模式\",\"likes\":12}\n";
    let path = fx.file("posts.jsonl", good.as_bytes());
    fx.import(&path, Channel::Private).unwrap();
    assert_eq!(fx.texts(), ["提车作业 🎉", "希望OTA加个哨兵模式"]);
    let err = refused(&mut fx, "bad.jsonl", b"{\"post_id\":\"P3\",\"content\":\"ok\"}\n{\"post_id\": \n", Channel::Private);
    assert!(err.to_string().starts_with(&format!("{}, row 2: not a JSON object", fx.dir.path().join("bad.jsonl").display())), "{err}");
}

#[test]
fn reimport_is_idempotent_and_reports_what_it_skipped() {
    let mut fx = Fixture::new();
    let a = fx.file("a.csv", b"id,text\n1,one\n2,two\n");
    fx.import(&a, Channel::Survey).unwrap();
    let again = fx.import(&a, Channel::Survey).unwrap();
    assert!(again.file_already_imported);
    assert_eq!(again.documents_added, 0);
    let b = fx.file("b.csv", b"id,text\n2,two again\n3,three\n");
    let report = fx.import(&b, Channel::Survey).unwrap();
    assert_eq!((report.documents_added, report.documents_skipped), (1, 1));
    assert_eq!(fx.counts(), (2, 3, 3, 0));
}

#[test]
fn broken_inputs_name_file_row_and_field_and_change_nothing() {
    let mut fx = Fixture::new();
    let seed = fx.file("seed.csv", b"id,text\n1,kept\n");
    fx.import(&seed, Channel::Survey).unwrap();

    let err = refused(&mut fx, "ragged.csv", b"id,text,nps\n1,a,3\n2,b\n", Channel::Survey);
    assert!(err.to_string().contains("ragged.csv, row 3: has 2 fields but the header has 3"), "{err}");

    let err = refused(&mut fx, "quote.csv", b"id,text\n5,ok\n6,\"never closed\n7,x\n", Channel::Survey);
    assert!(err.to_string().contains("quote.csv, row 3"), "{err}");

    let err = refused(&mut fx, "nps.csv", b"id,text,nps\n1,a,9\n2,b,ten\n", Channel::Survey);
    assert_eq!(err.info().row, Some(3));
    assert_eq!(err.info().field.as_deref(), Some("nps"));
    assert!(err.to_string().contains("NPS must be a whole number from 0 to 10, got 'ten'"), "{err}");

    let err = refused(&mut fx, "nps11.csv", b"id,text,nps\n1,a,11\n", Channel::Survey);
    assert_eq!(err.info().row, Some(2));

    let err = refused(&mut fx, "empty.csv", b"id,text\n1,a\n2,  \n", Channel::Survey);
    assert!(err.to_string().contains("empty.csv, row 3, field 'text': the text is empty"), "{err}");

    let err = refused(&mut fx, "dup.csv", b"id,text\n9,a\n10,b\n9,c\n", Channel::Survey);
    assert!(err.to_string().contains("dup.csv, row 4, field 'id': duplicate id '9' (already used at row 2"), "{err}");

    let mut bad_utf8 = "id,text\n1,车机语音识别不准确，导航经常卡顿\n2,ok ".as_bytes().to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let err = refused(&mut fx, "bytes.csv", &bad_utf8, Channel::Survey);
    assert_eq!(err.code(), ErrorCode::Encoding);
    assert_eq!((err.info().row, err.info().field.as_deref()), (Some(3), Some("text")));

    let err = refused(&mut fx, "broken.xlsx", b"PK\x03\x04 this is not really a zip", Channel::Store);
    assert!(err.to_string().contains("broken.xlsx: not a readable Excel workbook"), "{err}");

    let err = refused(&mut fx, "notext.csv", b"a,b\n1,2\n", Channel::Survey);
    assert!(err.to_string().contains("no text column found"), "{err}");

    assert_eq!(fx.texts(), ["kept"]);
}

#[test]
fn a_failure_in_the_second_file_of_a_folder_rolls_back_the_first() {
    let mut fx = Fixture::new();
    let folder = fx.dir.path().join("calls");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "客户: 第一通电话\n").unwrap();
    std::fs::write(folder.join("b.txt"), "no speaker here\n").unwrap();
    let err = fx.import(&folder, Channel::CallCenter).unwrap_err();
    assert!(err.to_string().contains("b.txt, row 1"), "{err}");
    assert_eq!(fx.counts(), (0, 0, 0, 0));
}

#[test]
fn dry_run_previews_and_changes_nothing() {
    let mut fx = Fixture::new();
    let path = fx.file("s.csv", "ID,Comment,Score\nx1,刹车软,4\nx2,空间大,10\n".as_bytes());
    let mut options = ImportOptions::new(Channel::Survey);
    options.dry_run = true;
    let report = import_path(&mut fx.project, &path, &options, &Silent).unwrap();
    assert_eq!(report.documents_added, 2);
    assert_eq!(report.preview[1].texts, ["空间大"]);
    assert_eq!(report.preview[1].nps, Some(10));
    assert_eq!(report.headers, ["ID", "Comment", "Score"]);
    assert_eq!(fx.counts(), (0, 0, 0, 0));
}

#[test]
fn explicit_columns_override_the_guess_and_unknown_names_are_refused() {
    let mut fx = Fixture::new();
    let path = fx.file("m.csv", "id,text,备注\n1,not this,用这一列\n".as_bytes());
    let mut options = ImportOptions::new(Channel::Store);
    options.mapping.text = Some("备注".into());
    import_path(&mut fx.project, &path, &options, &Silent).unwrap();
    assert_eq!(fx.texts(), ["用这一列"]);
    options.mapping.text = Some("nope".into());
    let other = fx.file("m2.csv", b"id,text\n2,a\n");
    let err = import_path(&mut fx.project, &other, &options, &Silent).unwrap_err();
    assert!(err.to_string().contains("no column named 'nope'"), "{err}");
}

#[test]
fn cancelling_rolls_back_everything() {
    let mut fx = Fixture::new();
    let mut csv = String::from("id,text\n");
    for i in 0..20_000 {
        csv.push_str(&format!("{i},第{i}条反馈\n"));
    }
    let path = fx.file("big.csv", csv.as_bytes());
    let stop = |_: &vocwb_types::ProgressEvent| false;
    let err = import_path(&mut fx.project, &path, &ImportOptions::new(Channel::Survey), &stop).unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(fx.counts(), (0, 0, 0, 0));
}

#[test]
fn a_second_writer_is_told_the_project_is_busy() {
    let mut fx = Fixture::new();
    let other = vocwb_engine::Project::open(fx.project.dir()).unwrap();
    other.set_busy_timeout(std::time::Duration::from_millis(200)).unwrap();
    other.connection().execute_batch("BEGIN IMMEDIATE").unwrap();
    fx.project.set_busy_timeout(std::time::Duration::from_millis(200)).unwrap();
    let path = fx.file("a.csv", b"id,text\n1,a\n");
    let err = fx.import(&path, Channel::Survey).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Busy);
    assert!(err.to_string().contains("busy"));
    other.connection().execute_batch("COMMIT").unwrap();
    fx.import(&path, Channel::Survey).unwrap();
    assert_eq!(fx.counts().1, 1);
}

#[test]
fn reopening_keeps_data_and_schema_version() {
    let mut fx = Fixture::new();
    let path = fx.file("a.csv", b"id,text\n1,a\n");
    fx.import(&path, Channel::Survey).unwrap();
    let dir = fx.project.dir().to_path_buf();
    let reopened = vocwb_engine::Project::open(&dir).unwrap();
    assert_eq!(reopened.stats().unwrap().verbatims, 1);
    assert!(reopened.schema_version().unwrap() >= 1);
    let integrity: String = reopened.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    assert!(matches!(vocwb_engine::Project::init(&dir), Err(Error::AlreadyExists(_))));
    assert!(matches!(vocwb_engine::Project::open(fx.dir.path()), Err(Error::NotAProject(_))));
}

#[test]
fn the_demo_is_built_aside_and_renamed_into_place() {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("demo");
    let stats = vocwb_engine::demo::build(&dir, &assets, &Silent).unwrap().stats().unwrap();
    assert_eq!(stats.verbatims, vocwb_engine::Project::open(&dir).unwrap().stats().unwrap().verbatims);
    assert!(stats.verbatims > 500);
    let left: Vec<_> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["demo"], "no staging folder is left behind");

    // A failed build leaves nothing that would open later as a broken demo.
    let missing = root.path().join("no-such-assets");
    let broken = root.path().join("demo2");
    assert!(vocwb_engine::demo::build(&broken, &missing, &Silent).is_err());
    assert!(!broken.exists());
    let left: Vec<_> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["demo"]);
}
