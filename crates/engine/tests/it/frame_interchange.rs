//! Code-frame interchange: REFI-QDA codebooks (`.qdc`, `.qdpx`), XLSX and CSV tables, and the lexicon.

use std::io::Write;
use std::path::{Path, PathBuf};
use vocwb_engine::frame::{qdc, table, Code, CodeStatus, Frame, FrameHeader, Lexicon, LexiconTerm};
use vocwb_engine::Error;
use vocwb_types::{NeedLayer, Polarity};

fn code(id: &str, short_code: &str, parent: Option<&str>, name_zh: &str, name_en: &str) -> Code {
    Code {
        id: id.into(),
        short_code: short_code.into(),
        parent: parent.map(str::to_string),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
        ..Code::default()
    }
}

/// Three levels, listed parents-first in tree order, with the awkward cases each form must carry.
fn sample_frame() -> Frame {
    let mut codes = Vec::new();

    let mut c = code("as", "AS", None, "售后维修", "After-sales service");
    c.definition_zh = "顾客对售后维修的整体评价。\n包括4S店与上门服务。".into();
    c.definition_en = "Overall view of after-sales repair.\nCovers dealers and home service.".into();
    c.include = "维修、保养、索赔".into();
    c.exclude = "购车过程 (see <Sales>) & 金融".into();
    c.owner = "李娜".into();
    c.need_layer = NeedLayer::Performance;
    codes.push(c);

    codes.push(code("as-dlr", "AS.DLR", Some("as"), "4S店服务", "Dealer service"));

    let mut c = code("as-dlr-wait", "AS.DLR.WAIT", Some("as-dlr"), "等待时间", "Waiting time at the dealer");
    c.definition_zh = "顾客抱怨在4S店等待维修的时间过长。\n不含电话排队。".into();
    c.definition_en = "The customer complains that the repair\ntook too long at the dealer.".into();
    c.examples = vec!["等了三个小时".into(), "早上送去晚上才修好".into()];
    c.owner = "李娜".into();
    c.need_layer = NeedLayer::Performance;
    codes.push(c);

    let mut c = code("as-dlr-price", "AS.DLR.PRICE", Some("as-dlr"), "维修价格 <贵> & \"不透明\"", "Price 'opaque'");
    c.definition_zh = "  缩进开头的定义，\n结尾还有换行\n".into();
    c.definition_en = "Windows line ends\r\nstay\tas they are".into();
    c.examples = vec!["换个刹车片要 1,200 元 & 工时费另算".into(), "报价单上写着 <待定>".into()];
    codes.push(c);

    let mut c = code("as-dlr-old", "AS.DLR.OLD", Some("as-dlr"), "旧版预约系统", "Old booking system");
    c.definition_zh = "停用：2025年起预约改走App。".into();
    c.status = CodeStatus::Retired;
    codes.push(c);

    codes.push(code("as-home", "AS.HOME", Some("as"), "上门服务", "Home service"));
    // The same name as AS.DLR.WAIT under another parent.
    let mut c = code("as-home-wait", "AS.HOME.WAIT", Some("as-home"), "等待时间", "Waiting for the technician");
    c.need_layer = NeedLayer::Basic;
    codes.push(c);

    let mut c = code("pr", "PR", None, "产品质量", "Product quality");
    c.need_layer = NeedLayer::Delight;
    codes.push(c);
    codes.push(code("pr-seat", "PR.SEAT", Some("pr"), "座椅", "Seats & trim"));
    let mut c = code("pr-seat-btn", "PR.SEAT.BTN", Some("pr-seat"), "调节按钮", "");
    // A definition that contains our own marker must not confuse the reader.
    c.definition_zh = "按钮太硬。\n\n--- VoC Workbench ---\nid: fake\nshort_code: FAKE".into();
    c.include = "多行\n\n中间有空行".into();
    codes.push(c);

    Frame {
        header: FrameHeader {
            name: "aftersales".into(),
            title_zh: "售后码框".into(),
            title_en: "After-sales -- frame".into(),
            version: Some(3),
            author: "李娜 <lina@example.com>".into(),
            published_at: "2026-11-23".into(),
            changelog: "v3: 新增上门服务\n-- removed the old booking code -".into(),
        },
        codes,
    }
}

fn sample_lexicon() -> Lexicon {
    Lexicon {
        terms: vec![
            LexiconTerm {
                term: "趴窝".into(),
                variants: vec!["趴了".into(), "抛锚".into()],
                gloss_en: "broke down".into(),
                codes: vec!["PR".into(), "AS.DLR".into()],
                polarity: Some(Polarity::Pain),
            },
            LexiconTerm {
                term: "4S店".into(),
                variants: vec![],
                gloss_en: "dealer, \"4S\" store".into(),
                codes: vec!["AS.DLR".into()],
                polarity: None,
            },
            LexiconTerm {
                term: "真香".into(),
                variants: vec!["香".into()],
                gloss_en: String::new(),
                codes: vec![],
                polarity: Some(Polarity::Delight),
            },
        ],
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// One line per code, indented by depth: the shape a person checks.
fn render(frame: &Frame) -> String {
    let mut out = format!("frame {}\n", frame.header.name);
    for c in &frame.codes {
        let indent = "  ".repeat(frame.depth(&c.id));
        out.push_str(&format!(
            "{indent}{} {} {:?} en={:?} def={:?} {} {}\n",
            c.short_code,
            c.id,
            c.name_zh,
            c.name_en,
            c.definition_zh,
            c.need_layer.as_str(),
            c.status.as_str()
        ));
    }
    out
}

fn input_error(e: Error) -> (Option<u64>, Option<String>, String) {
    let info = e.info();
    (info.row, info.field, info.message)
}

fn codebook_xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards/refi-qda/Codebook.xsd")
}

#[test]
fn qdc_round_trip_is_byte_identical_and_lossless() {
    let dir = tmp();
    let frame = sample_frame();
    let first = dir.path().join("first.qdc");
    qdc::write_frame_qdc(&frame, &first).unwrap();

    let back = qdc::read_frame_qdc(&first).unwrap();
    assert_eq!(back, frame);

    let second = dir.path().join("second.qdc");
    qdc::write_frame_qdc(&back, &second).unwrap();
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert_eq!(qdc::frame_to_qdc(&frame).unwrap(), qdc::frame_to_qdc(&frame).unwrap());
}

#[test]
fn qdc_export_validates_against_the_refi_codebook_xsd() {
    let xsd = codebook_xsd();
    assert!(xsd.exists(), "the REFI-QDA schema is missing at {}", xsd.display());
    let dir = tmp();
    let file = dir.path().join("aftersales.qdc");
    qdc::write_frame_qdc(&sample_frame(), &file).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
        .expect("xmllint is needed to validate the codebook: run scripts/setup.sh (Debian package libxml2-utils)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the .qdc does not validate against Codebook.xsd:\n{stderr}");
    assert!(stderr.contains("validates"), "{stderr}");
}

#[test]
fn qdc_description_shows_the_definition_first_then_the_metadata_block() {
    let xml = qdc::frame_to_qdc(&sample_frame()).unwrap();
    let expected = "<Description>顾客抱怨在4S店等待维修的时间过长。
不含电话排队。

--- VoC Workbench ---
id: as-dlr-wait
short_code: AS.DLR.WAIT
name_en: Waiting time at the dealer
definition_en: The customer complains that the repair
  took too long at the dealer.
example: 等了三个小时
example: 早上送去晚上才修好
owner: 李娜
need_layer: performance
status: active</Description>";
    assert!(xml.contains(expected), "{xml}");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!--\nVoC Workbench code frame\nname: \"aftersales\"\n"));
    assert!(xml.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"VoC Workbench\">"));
    // XML specials are escaped, retired codes are not codable, and a comment never holds `--`.
    assert!(xml.contains("name=\"维修价格 &lt;贵&gt; &amp; &quot;不透明&quot;\""));
    assert!(xml.contains("name=\"旧版预约系统\" isCodable=\"false\""));
    let comment = &xml[xml.find("<!--").unwrap() + 4..xml.find("-->").unwrap()];
    assert!(!comment.contains("--"), "{comment}");
}

#[test]
fn qdc_guids_are_deterministic_per_frame_and_keep_foreign_guids() {
    let a = qdc::code_guid("aftersales", "as-dlr-wait");
    assert_eq!(a, qdc::code_guid("aftersales", "as-dlr-wait"));
    assert_ne!(a, qdc::code_guid("sales", "as-dlr-wait"));
    assert_eq!(uuid::Uuid::parse_str(&a).unwrap().get_version_num(), 5);
    let foreign = "8f2c1a3e-5b7d-4e21-9c3a-1d2e3f4a5b6c";
    assert_eq!(qdc::code_guid("aftersales", foreign), foreign);
}

const NVIVO_CODEBOOK: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="NVivo 14">
  <Codes>
    <Code guid="{8F2C1A3E-5B7D-4E21-9C3A-1D2E3F4A5B6C}" name="Dealer" isCodable="true" color="#FF0000">
      <Description>Everything about dealers &amp; &lt;shops&gt;</Description>
      <Code guid="{0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}" name="Waiting" isCodable="true"/>
      <Code guid="{1A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}" name="Price" isCodable="true"><Description/></Code>
    </Code>
    <Code guid="{2a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9}" name="Home service" isCodable="false">
      <Code guid="3A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9" name="Waiting" isCodable="true">
        <Description>Line one
line two</Description>
      </Code>
    </Code>
  </Codes>
  <Sets>
    <Set guid="{4A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}" name="All waits">
      <Description>a set</Description>
      <MemberCode guid="{0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}"/>
      <MemberCode guid="3A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9"/>
    </Set>
  </Sets>
</CodeBook>
"##;

#[test]
fn foreign_codebook_namespace_0_4_braced_uppercase_guids_duplicate_names() {
    let dir = tmp();
    let file = write(dir.path(), "nvivo export.qdc", NVIVO_CODEBOOK.as_bytes());
    let frame = qdc::read_frame_qdc(&file).unwrap();
    assert_eq!(
        render(&frame),
        r#"frame nvivo export
Q1 8f2c1a3e-5b7d-4e21-9c3a-1d2e3f4a5b6c "Dealer" en="" def="Everything about dealers & <shops>" basic active
  Q1.1 0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9 "Waiting" en="" def="" basic active
  Q1.2 1a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9 "Price" en="" def="" basic active
Q2 2a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9 "Home service" en="" def="" basic active
  Q2.1 3a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9 "Waiting" en="" def="Line one\nline two" basic active
"#
    );
    assert!(frame.validate().is_empty(), "{:?}", frame.validate());
    assert_eq!(frame.get("3a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9").unwrap().parent.as_deref(), Some("2a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9"));

    // Exporting it again keeps the program's GUIDs (normalised), validates, and is stable from then on.
    let ours = dir.path().join("ours.qdc");
    qdc::write_frame_qdc(&frame, &ours).unwrap();
    let xml = std::fs::read_to_string(&ours).unwrap();
    assert!(xml.contains("guid=\"0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9\" name=\"Waiting\""));
    let again = qdc::read_frame_qdc(&ours).unwrap();
    assert_eq!(again.codes, frame.codes);
    assert_eq!(qdc::frame_to_qdc(&again).unwrap(), xml);
}

#[test]
fn foreign_codebook_without_namespace_and_codes_added_by_hand() {
    // Our own export, with a code another program added (no metadata block) and the namespace stripped.
    let mut frame = sample_frame();
    frame.codes.truncate(3);
    let xml = qdc::frame_to_qdc(&frame).unwrap().replace(" xmlns=\"urn:QDA-XML:codebook:1.0\"", "");
    let added = "<Code guid=\"{5A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}\" name=\"新增\" isCodable=\"true\"/>\n";
    let at = xml.rfind("  </Codes>").unwrap();
    let xml = format!("{}    {added}{}", &xml[..at], &xml[at..]);
    let back = qdc::frame_from_qdc(&xml, "edited.qdc", "edited").unwrap();
    assert_eq!(back.codes[..3], frame.codes[..]);
    let new = &back.codes[3];
    assert_eq!((new.id.as_str(), new.short_code.as_str(), new.name_zh.as_str()), ("5a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9", "Q2", "新增"));
    assert_eq!(back.header.name, "aftersales");
}

#[test]
fn qdpx_project_codebook_is_read_and_the_rest_ignored() {
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Survey 2026" origin="QualCoder 3.5" creationDateTime="2026-01-01T00:00:00Z">
  <Users><User guid="f0000000-0000-4000-8000-000000000001" name="lina"/></Users>
  <CodeBook>
    <Codes>
      <Code guid="{C0000000-0000-4000-8000-000000000001}" name="服务" isCodable="true">
        <Description>对服务的评价</Description>
        <NoteRef targetGUID="d0000000-0000-4000-8000-000000000001"/>
        <Code guid="c0000000-0000-4000-8000-000000000002" name="态度" isCodable="true">
          <NoteRef targetGUID="d0000000-0000-4000-8000-000000000001"/>
        </Code>
      </Code>
      <Code guid="c0000000-0000-4000-8000-000000000003" name="价格" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="e0000000-0000-4000-8000-000000000001" name="a.txt" plainTextPath="internal://a.txt">
      <Description>not a code</Description>
      <PlainTextSelection guid="e0000000-0000-4000-8000-000000000002" startPosition="0" endPosition="4">
        <Coding guid="e0000000-0000-4000-8000-000000000003"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="d0000000-0000-4000-8000-000000000001" name="memo"><PlainTextContent>memo text</PlainTextContent></Note>
  </Notes>
</Project>
"#;
    let dir = tmp();
    let path = dir.path().join("survey.qdpx");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("project.qde", options).unwrap();
        zip.write_all(qde.as_bytes()).unwrap();
        zip.start_file("sources/a.txt", options).unwrap();
        zip.write_all("服务很好".as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let frame = qdc::read_frame_qdpx(&path).unwrap();
    assert_eq!(
        render(&frame),
        r#"frame survey
Q1 c0000000-0000-4000-8000-000000000001 "服务" en="" def="对服务的评价" basic active
  Q1.1 c0000000-0000-4000-8000-000000000002 "态度" en="" def="" basic active
Q2 c0000000-0000-4000-8000-000000000003 "价格" en="" def="" basic active
"#
    );

    let not_a_project = write(dir.path(), "empty.qdpx", b"not a zip");
    let (_, _, message) = input_error(qdc::read_frame_qdpx(&not_a_project).unwrap_err());
    assert!(message.contains("empty.qdpx"), "{message}");
}

#[test]
fn qdc_errors_name_file_line_and_field() {
    let xml = qdc::frame_to_qdc(&sample_frame()).unwrap().replacen("need_layer: performance", "need_layer: urgent", 1);
    let line = xml[..xml.find("need_layer: urgent").unwrap()].rfind("<Code ").map(|at| xml[..at].matches('\n').count() as u64 + 1).unwrap();
    let (row, field, message) = input_error(qdc::frame_from_qdc(&xml, "bad.qdc", "bad").unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(line), Some("need_layer")));
    assert!(message.starts_with("bad.qdc, row "), "{message}");
    assert!(message.contains("urgent"), "{message}");

    let duplicate = NVIVO_CODEBOOK.replace("{1A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}", "{0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9}");
    let (row, field, _) = input_error(qdc::frame_from_qdc(&duplicate, "dup.qdc", "dup").unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(7), Some("guid")));

    let (_, _, message) = input_error(qdc::frame_from_qdc("<Project><Sources/></Project>", "p.qde", "p").unwrap_err());
    assert!(message.contains("no <CodeBook>"), "{message}");
    assert!(matches!(qdc::frame_to_qdc(&Frame::default()), Err(Error::InvalidFrame(_))));
}

/// The frame a table gives back: everything but the header, whose name is the file stem.
fn as_read_from_table(frame: &Frame, stem: &str) -> Frame {
    Frame { header: FrameHeader { name: stem.into(), ..FrameHeader::default() }, codes: frame.codes.clone() }
}

#[test]
fn frame_xlsx_round_trip() {
    let dir = tmp();
    let frame = sample_frame();
    let path = dir.path().join("aftersales-owners.xlsx");
    table::write_frame_xlsx(&frame, &path).unwrap();
    let back = table::read_frame_xlsx(&path).unwrap();
    assert_eq!(back, as_read_from_table(&frame, "aftersales-owners"));
}

#[test]
fn frame_csv_round_trip_and_layout() {
    let dir = tmp();
    let frame = sample_frame();
    let path = dir.path().join("frame.csv");
    table::write_frame_csv(&frame, &path).unwrap();
    let back = table::read_frame_csv(&path).unwrap();
    assert_eq!(back, as_read_from_table(&frame, "frame"));

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("\u{feff}id,short_code,parent_path,name_zh,name_en,definition_zh,definition_en,include,exclude,examples,owner,need_layer,status\r\n"));
    assert!(text.contains("\r\nas-dlr-wait,AS.DLR.WAIT,售后维修 › 4S店服务,等待时间,"), "{text}");
    assert!(text.contains(",等了三个小时 | 早上送去晚上才修好,李娜,performance,active\r\n"), "{text}");
    assert!(text.contains("\r\nas-dlr-old,AS.DLR.OLD,售后维修 › 4S店服务,旧版预约系统,"), "{text}");
}

/// Reads a CSV written by the engine, lets `edit` change its records, and writes it back.
fn edit_csv(path: &Path, edit: impl FnOnce(&mut Vec<Vec<String>>)) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let header = records.remove(0);
    edit(&mut records);
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(&header).unwrap();
    for r in &records {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
fn shuffled_rows_without_ids_still_import() {
    let dir = tmp();
    let frame = sample_frame();
    let path = dir.path().join("shuffled.csv");
    table::write_frame_csv(&frame, &path).unwrap();
    edit_csv(&path, |records| {
        for r in records.iter_mut() {
            r[0].clear();
        }
        records.reverse();
        records.rotate_left(4);
    });
    let back = table::read_frame_csv(&path).unwrap();
    assert!(back.validate().is_empty(), "{:?}", back.validate());
    // Without ids, the id is the short code; parents are found by path and come before their children.
    let by_short = |f: &Frame| {
        let mut codes: Vec<Code> = f
            .codes
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.id = c.short_code.clone();
                c.parent = c.parent.as_deref().map(|p| f.get(p).unwrap().short_code.clone());
                c
            })
            .collect();
        codes.sort_by(|a, b| a.short_code.cmp(&b.short_code));
        codes
    };
    assert_eq!(by_short(&back), by_short(&frame));
    for (i, c) in back.codes.iter().enumerate() {
        if let Some(p) = &c.parent {
            assert!(back.codes[..i].iter().any(|x| &x.id == p), "{} comes before its parent", c.id);
        }
    }

    // The same for XLSX: a frame listed children-first reads back parents-first.
    let mut reversed = frame.clone();
    reversed.codes.reverse();
    let xlsx = dir.path().join("reversed.xlsx");
    table::write_frame_xlsx(&reversed, &xlsx).unwrap();
    let back = table::read_frame_xlsx(&xlsx).unwrap();
    assert!(back.validate().is_empty(), "{:?}", back.validate());
    let mut got = back.codes.clone();
    let mut want = frame.codes.clone();
    got.sort_by(|a, b| a.id.cmp(&b.id));
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want);
}

#[test]
fn bad_cells_name_file_row_and_field() {
    let dir = tmp();
    let frame = sample_frame();

    let csv_path = dir.path().join("bad-layer.csv");
    table::write_frame_csv(&frame, &csv_path).unwrap();
    edit_csv(&csv_path, |records| records[2][11] = "urgent".into());
    let (row, field, message) = input_error(table::read_frame_csv(&csv_path).unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(4), Some("need_layer")));
    assert!(message.contains("bad-layer.csv, row 4, field 'need_layer'") && message.contains("urgent"), "{message}");

    let csv_path = dir.path().join("bad-parent.csv");
    table::write_frame_csv(&frame, &csv_path).unwrap();
    edit_csv(&csv_path, |records| records[6][2] = "售后维修 › 不存在".into());
    let (row, field, message) = input_error(table::read_frame_csv(&csv_path).unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(8), Some("parent_path")));
    assert!(message.contains("售后维修 › 不存在"), "{message}");

    let csv_path = dir.path().join("no-name.csv");
    table::write_frame_csv(&frame, &csv_path).unwrap();
    edit_csv(&csv_path, |records| records[0][3] = "  ".into());
    let (row, field, _) = input_error(table::read_frame_csv(&csv_path).unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(2), Some("name_zh")));

    // An XLSX typed by hand: columns in another order, no id column, a bad need layer on row 3.
    let xlsx = dir.path().join("hand-made.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["name_zh", "short_code", "parent_path", "need_layer"],
        ["售后维修", "AS", "", "基本型"],
        ["4S店服务", "AS.DLR", "售后维修", "very important"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    let (row, field, message) = input_error(table::read_frame_xlsx(&xlsx).unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(3), Some("need_layer")));
    assert!(message.contains("hand-made.xlsx"), "{message}");

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, if r == 2 && c == 3 { "performance" } else { v }).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    let frame = table::read_frame_xlsx(&xlsx).unwrap();
    assert_eq!(render(&frame), "frame hand-made\nAS AS \"售后维修\" en=\"\" def=\"\" basic active\n  AS.DLR AS.DLR \"4S店服务\" en=\"\" def=\"\" performance active\n");
}

#[test]
fn lexicon_csv_and_xlsx_round_trip() {
    let dir = tmp();
    let lexicon = sample_lexicon();

    let csv_path = dir.path().join("lexicon.csv");
    table::write_lexicon_csv(&lexicon, &csv_path).unwrap();
    assert_eq!(table::read_lexicon_csv(&csv_path).unwrap(), lexicon);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.contains("\r\n趴窝,趴了|抛锚,broke down,PR|AS.DLR,pain\r\n"), "{text}");

    let xlsx_path = dir.path().join("lexicon.xlsx");
    table::write_lexicon_xlsx(&lexicon, &xlsx_path).unwrap();
    assert_eq!(table::read_lexicon_xlsx(&xlsx_path).unwrap(), lexicon);

    let bad = write(dir.path(), "bad-lexicon.csv", "term,polarity,codes\n好评,good,PR\n".as_bytes());
    let (row, field, message) = input_error(table::read_lexicon_csv(&bad).unwrap_err());
    assert_eq!((row, field.as_deref()), (Some(2), Some("polarity")));
    assert!(message.contains("bad-lexicon.csv"), "{message}");

    // Chinese polarity labels and spaces around `|`, as people type them.
    let typed = write(dir.path(), "typed.csv", "term,variants,codes,polarity\n趴窝, 趴了 | 抛锚 ,PR,痛点\n".as_bytes());
    let read = table::read_lexicon_csv(&typed).unwrap();
    assert_eq!(read.terms[0].variants, ["趴了", "抛锚"]);
    assert_eq!(read.terms[0].polarity, Some(Polarity::Pain));
}
