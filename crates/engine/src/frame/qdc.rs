//! REFI-QDA codebook exchange: write a frame as a `.qdc` codebook, read `.qdc` codebooks and the
//! codebook of a `.qdpx` project, as written by NVivo, ATLAS.ti, MAXQDA, QualCoder and us.
//!
//! The standard gives a code only a GUID, a name, `isCodable`, a colour, a description and child codes.
//! Everything else a code of ours has travels in its `<Description>`: first the Chinese definition,
//! as a person reading the codebook in another program expects, then a blank line and a block
//! that starts with the line [`METADATA_MARKER`], one `key: value` line per field:
//!
//! ```text
//! 顾客抱怨在4S店等待维修的时间过长。
//!
//! --- VoC Workbench ---
//! id: as-dlr-wait
//! short_code: AS.DLR.WAIT
//! name_en: Waiting time at the dealer
//! definition_en: The customer complains about
//!   how long the repair took.
//! example: 等了三个小时
//! need_layer: performance
//! status: active
//! ```
//!
//! A value that spans lines continues on lines indented by two spaces; `example` repeats once per example.
//! Empty fields are left out, except `id`, `short_code`, `need_layer` and `status`.
//! Reading takes the block from the last marker line that starts the description or follows a
//! blank line, so a definition may itself contain the marker; unknown keys are ignored.
//! The frame header travels in an XML comment before the root element (`name: "aftersales"`,
//! values JSON-quoted), because the standard has no element for it.
//!
//! GUIDs are UUID v5 of the frame name and code id, so exporting the same frame twice gives
//! byte-identical files, and a code whose id is itself a GUID (one imported from another program)
//! keeps that GUID.
//! `isCodable` is `false` for retired codes.
//!
//! Reading accepts any namespace (`urn:QDA-XML:codebook:1.0`, `…:0:4`, `urn:QDA-XML:project:1.0`,
//! none), GUIDs in any case with or without braces, `Sets`, `NoteRef` and unknown elements (ignored).
//! A code without our block gets the normalised GUID (lower case, no braces) as id, a short code
//! from its position (`Q1`, `Q1.2`, …, made unique), its name as `name_zh`, its description as
//! `definition_zh`, need layer basic and status active.
//!
//! **Limitations.**
//! Codes come back in tree order (each parent followed by its subtree), which equals the original
//! order only when the frame was in that order.
//! Characters XML 1.0 cannot carry at all (control characters other than tab, newline and carriage
//! return) are dropped on export.
//! When another program rewrites the file and drops the header comment, the frame name becomes the
//! file stem, so GUIDs of our codes change on the next export.
//! A blank line inside the block is not part of any value: a multi-line value's empty line is
//! written as two spaces, and a program that strips trailing spaces loses it.
//! Colours, memos (`NoteRef`) and sets are not imported.

use super::model::{Code, CodeStatus, Frame, FrameHeader};
use super::table::check_tree;
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use uuid::Uuid;
use vocwb_types::NeedLayer;

/// The namespace of the codebooks we write.
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The `origin` attribute of the codebooks we write.
pub const ORIGIN: &str = "VoC Workbench";

/// The line that starts our metadata block inside a code's `<Description>`.
pub const METADATA_MARKER: &str = "--- VoC Workbench ---";

/// The first line of the comment that carries the frame header.
const HEADER_MARKER: &str = "VoC Workbench code frame";

/// Writes the frame as a REFI-QDA codebook (`.qdc`) that validates against `Codebook.xsd` 1.0.
pub fn write_frame_qdc(frame: &Frame, path: &Path) -> Result<()> {
    let xml = frame_to_qdc(frame)?;
    std::fs::write(path, xml).map_err(|e| Error::io(path, e))
}

/// The `.qdc` text of a frame; the same frame always gives the same bytes.
pub fn frame_to_qdc(frame: &Frame) -> Result<String> {
    if frame.codes.is_empty() {
        return Err(Error::InvalidFrame("a REFI-QDA codebook needs at least one code; the frame has none".into()));
    }
    check_tree(frame)?;
    let mut children: HashMap<&str, Vec<&Code>> = HashMap::new();
    let mut roots = Vec::new();
    for c in &frame.codes {
        match c.parent.as_deref() {
            Some(p) => children.entry(p).or_default().push(c),
            None => roots.push(c),
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_header_comment(&mut out, &frame.header);
    out.push_str(&format!("<CodeBook xmlns=\"{CODEBOOK_NAMESPACE}\" origin=\"{}\">\n", escape_attr(ORIGIN)));
    out.push_str("  <Codes>\n");
    for root in roots {
        write_code(&mut out, &frame.header.name, root, &children, 2);
    }
    out.push_str("  </Codes>\n</CodeBook>\n");
    Ok(out)
}

/// Reads a `.qdc` codebook; the frame name comes from our header comment, else from the file stem.
pub fn read_frame_qdc(path: &Path) -> Result<Frame> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let xml = decode_xml(&bytes, &file)?;
    frame_from_qdc(&xml, &file, &file_stem(path))
}

/// Reads the codebook of a `.qdpx` project: the `<CodeBook>` inside its `project.qde`.
pub fn read_frame_qdpx(path: &Path) -> Result<Frame> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(f)
        .map_err(|e| Error::input(&file, None, None, format!("not a readable .qdpx (zip) file: {e}")))?;
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok()).map(|n| n.into_owned()).collect();
    let entry = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("project.qde"))
        .or_else(|| names.iter().find(|n| n.to_ascii_lowercase().ends_with(".qde")))
        .ok_or_else(|| Error::input(&file, None, None, "the .qdpx file has no project.qde inside"))?
        .clone();
    let mut bytes = Vec::new();
    zip.by_name(&entry)
        .map_err(|e| Error::input(&file, None, None, format!("cannot open {entry}: {e}")))?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(&file, None, None, format!("cannot read {entry}: {e}")))?;
    let inner = format!("{file}!{entry}");
    let xml = decode_xml(&bytes, &inner)?;
    frame_from_qdc(&xml, &inner, &file_stem(path))
}

/// Reads a codebook from XML text: a `.qdc` file, or a `project.qde` holding `<CodeBook>`.
/// `file` names the source in errors; `default_name` is the frame name when the text has no header comment.
pub fn frame_from_qdc(xml: &str, file: &str, default_name: &str) -> Result<Frame> {
    let parsed = parse(xml, file)?;
    let mut header = parsed.header.unwrap_or_default();
    if header.name.is_empty() {
        header.name = default_name.to_string();
    }
    Ok(Frame { header, codes: build_codes(parsed.roots, xml, file)? })
}

/// The GUID a code gets in an exported codebook: its id when the id is a GUID, else UUID v5 of frame name and id.
pub fn code_guid(frame_name: &str, code_id: &str) -> String {
    if code_id.len() == 36 {
        if let Ok(u) = Uuid::try_parse(code_id) {
            return u.hyphenated().to_string();
        }
    }
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:vocwb:refi-qda:code");
    // The unit separator keeps ("a", "bc") and ("ab", "c") apart.
    Uuid::new_v5(&namespace, format!("{frame_name}\u{1f}{code_id}").as_bytes()).hyphenated().to_string()
}

fn write_code(out: &mut String, frame_name: &str, code: &Code, children: &HashMap<&str, Vec<&Code>>, depth: usize) {
    let pad = "  ".repeat(depth);
    out.push_str(&format!(
        "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\">\n",
        code_guid(frame_name, &code.id),
        escape_attr(&code.name_zh),
        code.status == CodeStatus::Active
    ));
    out.push_str(&format!("{pad}  <Description>{}</Description>\n", escape_text(&description(code))));
    for child in children.get(code.id.as_str()).into_iter().flatten() {
        write_code(out, frame_name, child, children, depth + 1);
    }
    out.push_str(&format!("{pad}</Code>\n"));
}

/// The description of a code: the Chinese definition, then our metadata block.
fn description(code: &Code) -> String {
    let mut block = String::from(METADATA_MARKER);
    let mut field = |key: &str, value: &str, always: bool| {
        if always || !value.is_empty() {
            block.push('\n');
            block.push_str(key);
            block.push_str(": ");
            block.push_str(&value.replace('\n', "\n  "));
        }
    };
    field("id", &code.id, true);
    field("short_code", &code.short_code, true);
    field("name_en", &code.name_en, false);
    field("definition_en", &code.definition_en, false);
    field("include", &code.include, false);
    field("exclude", &code.exclude, false);
    for example in &code.examples {
        field("example", example, true);
    }
    field("owner", &code.owner, false);
    field("need_layer", code.need_layer.as_str(), true);
    field("status", code.status.as_str(), true);
    if code.definition_zh.is_empty() {
        block
    } else {
        format!("{}\n\n{block}", code.definition_zh)
    }
}

/// What our metadata block says about a code.
#[derive(Default)]
struct Metadata {
    id: Option<String>,
    short_code: Option<String>,
    name_en: String,
    definition_en: String,
    include: String,
    exclude: String,
    examples: Vec<String>,
    owner: String,
    need_layer: Option<String>,
    status: Option<String>,
}

/// Splits a description into the definition and our metadata block, if it has one.
fn split_description(text: &str) -> (&str, Option<Metadata>) {
    let start = text.rmatch_indices(METADATA_MARKER).map(|(i, _)| i).find(|&i| {
        let after = &text[i + METADATA_MARKER.len()..];
        (i == 0 || text[..i].ends_with("\n\n")) && (after.is_empty() || after.starts_with('\n'))
    });
    let Some(start) = start else { return (text, None) };
    let definition = if start == 0 { "" } else { &text[..start - 2] };
    let mut meta = Metadata::default();
    let mut current: Option<(String, String)> = None;
    let mut lines = text[start + METADATA_MARKER.len()..].split('\n');
    lines.next(); // The rest of the marker line, always empty.
    for line in lines {
        if let (Some(rest), Some((_, value))) = (line.strip_prefix("  "), current.as_mut()) {
            value.push('\n');
            value.push_str(rest);
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            if !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                if let Some((k, v)) = current.take() {
                    meta.set(&k, v);
                }
                current = Some((key.to_string(), value.strip_prefix(' ').unwrap_or(value).to_string()));
                continue;
            }
        }
        // Anything else (a blank line another program added) ends the current value.
        if let Some((k, v)) = current.take() {
            meta.set(&k, v);
        }
    }
    if let Some((k, v)) = current.take() {
        meta.set(&k, v);
    }
    (definition, Some(meta))
}

impl Metadata {
    fn set(&mut self, key: &str, value: String) {
        match key {
            "id" => self.id = Some(value),
            "short_code" => self.short_code = Some(value),
            "name_en" => self.name_en = value,
            "definition_en" => self.definition_en = value,
            "include" => self.include = value,
            "exclude" => self.exclude = value,
            "example" => self.examples.push(value),
            "owner" => self.owner = value,
            "need_layer" => self.need_layer = Some(value),
            "status" => self.status = Some(value),
            _ => {} // A field from a later version; ignoring it keeps old readers working.
        }
    }
}

fn write_header_comment(out: &mut String, header: &FrameHeader) {
    out.push_str("<!--\n");
    out.push_str(HEADER_MARKER);
    out.push('\n');
    let mut field = |key: &str, value: &str| {
        if !value.is_empty() {
            out.push_str(&format!("{key}: {}\n", comment_safe(&serde_json::Value::from(value).to_string())));
        }
    };
    field("name", &header.name);
    field("title_zh", &header.title_zh);
    field("title_en", &header.title_en);
    if let Some(v) = header.version {
        field("version", &v.to_string());
    }
    field("author", &header.author);
    field("published_at", &header.published_at);
    field("changelog", &header.changelog);
    out.push_str("-->\n");
}

/// A comment may not contain `--`; JSON lets us write such a `-` as `\u002d`.
fn comment_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek() == Some(&'-') {
            out.push_str("\\u002d");
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_header_comment(text: &str) -> Option<FrameHeader> {
    let mut lines = text.trim().lines();
    if lines.next()?.trim() != HEADER_MARKER {
        return None;
    }
    let mut header = FrameHeader::default();
    for line in lines {
        let Some((key, value)) = line.split_once(": ") else { continue };
        let Ok(value) = serde_json::from_str::<String>(value.trim()) else { continue };
        match key.trim() {
            "name" => header.name = value,
            "title_zh" => header.title_zh = value,
            "title_en" => header.title_en = value,
            "version" => header.version = value.parse().ok(),
            "author" => header.author = value,
            "published_at" => header.published_at = value,
            "changelog" => header.changelog = value,
            _ => {}
        }
    }
    Some(header)
}

/// A `<Code>` as read, before ids and short codes are assigned.
struct RawCode {
    guid: String,
    name: String,
    /// Byte offset of the start tag, for error messages.
    at: usize,
    description: Option<String>,
    children: Vec<RawCode>,
}

struct Parsed {
    header: Option<FrameHeader>,
    roots: Vec<RawCode>,
}

/// Where the parser is: which element is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// Outside the codebook (e.g. `<Project>`, `<Sources>`): keep looking for `<CodeBook>`.
    Other,
    CodeBook,
    Codes,
    Code,
    Description,
    /// Something inside the codebook we do not read: `<Sets>`, `<NoteRef>`, extensions.
    Skip,
}

fn parse(xml: &str, file: &str) -> Result<Parsed> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Open> = Vec::new();
    let mut open_codes: Vec<RawCode> = Vec::new();
    let mut roots = Vec::new();
    let mut text: Option<String> = None;
    let mut header = None;
    let mut seen_codebook = false;
    let mut seen_root = false;
    let bad_xml = |at: u64, e: &dyn std::fmt::Display| {
        Error::input(file, Some(line_at(xml, at as usize)), None, format!("not well-formed XML: {e}"))
    };
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| bad_xml(reader.error_position(), &e))?;
        let (start, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                close(stack.pop(), &mut open_codes, &mut roots, &mut text);
                continue;
            }
            Event::Text(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t.xml10_content());
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(s) = text.as_mut() {
                    s.push_str(&t.xml10_content());
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if let Some(s) = text.as_mut() {
                    let c = match r.resolve_char_ref().map_err(|e| bad_xml(at as u64, &e))? {
                        Some(c) => c,
                        None => match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => return Err(bad_xml(at as u64, &format!("unknown entity &{other};"))),
                        },
                    };
                    s.push(c);
                }
                continue;
            }
            Event::Comment(c) => {
                if !seen_root && header.is_none() {
                    header = parse_header_comment(&c);
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        seen_root = true;
        let local = start.local_name();
        let kind = match (stack.last().copied(), local.as_ref()) {
            (None | Some(Open::Other), "CodeBook") if !seen_codebook => {
                seen_codebook = true;
                Open::CodeBook
            }
            (None | Some(Open::Other), _) => Open::Other,
            (Some(Open::CodeBook), "Codes") => Open::Codes,
            (Some(Open::Codes | Open::Code), "Code") => {
                open_codes.push(read_code_tag(&start, at, xml, file)?);
                Open::Code
            }
            (Some(Open::Code), "Description") => {
                text = Some(String::new());
                Open::Description
            }
            _ => Open::Skip,
        };
        if empty {
            close(Some(kind), &mut open_codes, &mut roots, &mut text);
        } else {
            stack.push(kind);
        }
    }
    if !seen_codebook {
        return Err(Error::input(file, None, None, "no <CodeBook> element: this is not a REFI-QDA codebook or project"));
    }
    Ok(Parsed { header, roots })
}

fn close(kind: Option<Open>, open_codes: &mut Vec<RawCode>, roots: &mut Vec<RawCode>, text: &mut Option<String>) {
    match kind {
        Some(Open::Code) => {
            let code = open_codes.pop().expect("a closing Code was opened");
            match open_codes.last_mut() {
                Some(parent) => parent.children.push(code),
                None => roots.push(code),
            }
        }
        Some(Open::Description) => {
            if let Some(code) = open_codes.last_mut() {
                code.description = text.take();
            }
        }
        _ => {}
    }
}

fn read_code_tag(start: &BytesStart<'_>, at: usize, xml: &str, file: &str) -> Result<RawCode> {
    let line = line_at(xml, at);
    let (mut guid, mut name) = (None, None);
    for attr in start.attributes() {
        let attr = attr.map_err(|e| Error::input(file, Some(line), None, format!("bad attribute on <Code>: {e}")))?;
        let value = || {
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .map_err(|e| Error::input(file, Some(line), None, format!("bad attribute value on <Code>: {e}")))
        };
        match attr.key.local_name().as_ref() {
            "guid" => guid = Some(value()?),
            "name" => name = Some(value()?),
            _ => {}
        }
    }
    let guid = guid.ok_or_else(|| Error::input(file, Some(line), Some("guid"), "<Code> has no guid attribute"))?;
    let name = name.ok_or_else(|| Error::input(file, Some(line), Some("name"), "<Code> has no name attribute"))?;
    Ok(RawCode { guid, name, at, description: None, children: Vec::new() })
}

/// `{ABCD…}` and `abcd…` are the same GUID; the id is the lower-case hyphenated form.
fn normalise_guid(guid: &str) -> String {
    match Uuid::try_parse(guid.trim()) {
        Ok(u) => u.hyphenated().to_string(),
        Err(_) => guid.trim().trim_start_matches('{').trim_end_matches('}').to_lowercase(),
    }
}

fn build_codes(roots: Vec<RawCode>, xml: &str, file: &str) -> Result<Vec<Code>> {
    // Flatten in tree order, remembering each code's parent and position (`Q1.2` means second child of first root).
    struct Flat {
        raw: RawCode,
        parent: Option<usize>,
        position: String,
    }
    fn flatten(codes: Vec<RawCode>, parent: Option<usize>, prefix: &str, out: &mut Vec<Flat>) {
        for (i, mut raw) in codes.into_iter().enumerate() {
            let position = if prefix.is_empty() { format!("Q{}", i + 1) } else { format!("{prefix}.{}", i + 1) };
            let children = std::mem::take(&mut raw.children);
            out.push(Flat { raw, parent, position: position.clone() });
            let me = out.len() - 1;
            flatten(children, Some(me), &position, out);
        }
    }
    let mut flat = Vec::new();
    flatten(roots, None, "", &mut flat);

    let split: Vec<(String, Option<Metadata>)> = flat
        .iter_mut()
        .map(|f| {
            let d = f.raw.description.take().unwrap_or_default();
            let (definition, meta) = split_description(&d);
            (definition.to_string(), meta)
        })
        .collect();
    // Short codes our block gives are kept; generated ones avoid them.
    let mut taken: HashSet<String> =
        split.iter().filter_map(|(_, m)| m.as_ref().and_then(|m| m.short_code.clone())).collect();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut shorts: HashMap<String, usize> = HashMap::new();
    let mut codes: Vec<Code> = Vec::with_capacity(flat.len());
    for (i, (f, (definition, meta))) in flat.iter().zip(split).enumerate() {
        let line = line_at(xml, f.raw.at);
        let err = |field: &str, message: String| {
            Error::input(file, Some(line), Some(field), format!("code '{}': {message}", f.raw.name))
        };
        let meta_id = meta.as_ref().and_then(|m| m.id.clone()).filter(|s| !s.is_empty());
        let id_field = if meta_id.is_some() { "id" } else { "guid" };
        let id = meta_id.unwrap_or_else(|| normalise_guid(&f.raw.guid));
        if let Some(first) = ids.insert(id.clone(), i) {
            let first_line = line_at(xml, flat[first].raw.at);
            return Err(err(id_field, format!("id '{id}' is also used by the code on line {first_line}")));
        }
        let short_code = match meta.as_ref().and_then(|m| m.short_code.clone()).filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => {
                let mut candidate = f.position.clone();
                let mut n = 2;
                while taken.contains(&candidate) {
                    candidate = format!("{}-{n}", f.position);
                    n += 1;
                }
                taken.insert(candidate.clone());
                candidate
            }
        };
        if let Some(first) = shorts.insert(short_code.clone(), i) {
            let first_line = line_at(xml, flat[first].raw.at);
            return Err(err("short_code", format!("short code '{short_code}' is also used by the code on line {first_line}")));
        }
        let parent = f.parent.map(|p| codes[p].id.clone());
        let code = match meta {
            None => Code {
                id,
                short_code,
                parent,
                name_zh: f.raw.name.clone(),
                definition_zh: definition,
                ..Code::default()
            },
            Some(m) => {
                let need_layer = match m.need_layer.as_deref().map(str::trim) {
                    None | Some("") => NeedLayer::default(),
                    Some(s) => s.to_lowercase().parse().map_err(|msg: String| err("need_layer", msg))?,
                };
                let status = match m.status.as_deref().map(|s| s.trim().to_lowercase()).as_deref() {
                    None | Some("") | Some("active") => CodeStatus::Active,
                    Some("retired") => CodeStatus::Retired,
                    Some(other) => {
                        return Err(err("status", format!("unknown status '{other}' (expected active or retired)")))
                    }
                };
                Code {
                    id,
                    short_code,
                    parent,
                    name_zh: f.raw.name.clone(),
                    name_en: m.name_en,
                    definition_zh: definition,
                    definition_en: m.definition_en,
                    include: m.include,
                    exclude: m.exclude,
                    examples: m.examples,
                    owner: m.owner,
                    need_layer,
                    status,
                }
            }
        };
        codes.push(code);
    }
    Ok(codes)
}

/// Decodes an XML file: UTF-8 (with or without BOM) or UTF-16 (with BOM, or starting with `<`).
fn decode_xml(bytes: &[u8], file: &str) -> Result<String> {
    use encoding_rs::{UTF_16BE, UTF_16LE};
    let (encoding, skip) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, n)) => (Some(e), n),
        None if bytes.starts_with(&[b'<', 0]) => (Some(UTF_16LE), 0),
        None if bytes.starts_with(&[0, b'<']) => (Some(UTF_16BE), 0),
        None => (None, 0),
    };
    let body = &bytes[skip..];
    match encoding {
        None => std::str::from_utf8(body).map(str::to_string).map_err(|e| {
            let line = body[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
            Error::Input { file: file.to_string(), row: Some(line), field: None, message: format!("the file is not valid UTF-8: {e}"), encoding: true }
        }),
        Some(enc) => enc
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|s| s.into_owned())
            .ok_or_else(|| Error::Input {
                file: file.to_string(),
                row: None,
                field: None,
                message: format!("the file is not valid {}", enc.name()),
                encoding: true,
            }),
    }
}

fn line_at(xml: &str, at: usize) -> u64 {
    let at = at.min(xml.len());
    xml.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// Whether XML 1.0 can carry the character at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A literal carriage return would be read back as a newline.
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Attribute values turn literal whitespace into spaces; references survive.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}
