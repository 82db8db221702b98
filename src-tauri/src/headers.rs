//! The header row of a delimited or JSON Lines file, read without importing anything.
//!
//! The engine's dry run reports headers, but fails before it can when it finds no text column
//! to guess; the import screen then still needs the headers to let the user choose one.
//! Decoding uses the engine's own encoding detection, and names match the engine's (an empty
//! header is "column N").
//!
//! **Limitations:** XLSX workbooks and transcripts give no headers here. This belongs in the
//! engine (a preview that reports headers even when the mapping is incomplete).

use std::io::Read;
use std::path::Path;
use vocwb_engine::decode;

/// The file's column names, or nothing when they cannot be read cheaply.
pub fn read(path: &Path, encoding: Option<&str>) -> Vec<String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let delimiter = match ext.as_str() {
        "csv" => Some(b','),
        "tsv" | "tab" => Some(b'\t'),
        "jsonl" | "ndjson" | "json" => None,
        _ => return Vec::new(),
    };
    let Some(text) = head_text(path, encoding) else { return Vec::new() };
    match delimiter {
        Some(d) => delimited(&text, d),
        None => jsonl_keys(&text),
    }
}

/// The file's first bytes, decoded (a multi-byte character cut at the end is dropped).
fn head_text(path: &Path, encoding: Option<&str>) -> Option<String> {
    let mut head = Vec::with_capacity(decode::SNIFF_LEN);
    std::fs::File::open(path).ok()?.take(decode::SNIFF_LEN as u64).read_to_end(&mut head).ok()?;
    let detected = decode::detect(&head);
    let chosen = encoding.filter(|e| !e.trim().is_empty()).and_then(decode::by_label);
    let (enc, bom_len) = match chosen {
        Some(e) if e == detected.encoding => (e, detected.bom_len),
        Some(e) => (e, 0),
        None => (detected.encoding, detected.bom_len),
    };
    let (text, _) = enc.decode_without_bom_handling(&head[bom_len.min(head.len())..]);
    Some(text.trim_end_matches('\u{FFFD}').to_string())
}

fn delimited(text: &str, delimiter: u8) -> Vec<String> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let Some(Ok(record)) = reader.records().next() else { return Vec::new() };
    record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim().trim_start_matches('\u{feff}').to_string();
            if h.is_empty() { format!("column {}", i + 1) } else { h }
        })
        .collect()
}

fn jsonl_keys(text: &str) -> Vec<String> {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else { return Vec::new() };
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_tsv_jsonl_and_gbk() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("a.csv");
        std::fs::write(&csv, "\u{feff}编号, 客户原话 ,,x\n1,2,3,4\n").unwrap();
        assert_eq!(read(&csv, None), ["编号", "客户原话", "column 3", "x"]);

        let tsv = tmp.path().join("a.tsv");
        std::fs::write(&tsv, "id\ttext\n1\thello\n").unwrap();
        assert_eq!(read(&tsv, None), ["id", "text"]);

        let gbk = tmp.path().join("g.csv");
        let (bytes, _, _) = encoding_rs::GBK.encode("序号,客户原话,门店\n1,座椅很舒服，长途开车也不累,北京店\n");
        std::fs::write(&gbk, bytes).unwrap();
        assert_eq!(read(&gbk, None), ["序号", "客户原话", "门店"]);
        assert_eq!(read(&gbk, Some("gbk")), ["序号", "客户原话", "门店"]);

        let jsonl = tmp.path().join("a.jsonl");
        std::fs::write(&jsonl, "\n{\"id\": 1, \"content\": \"x\"}\n").unwrap();
        assert_eq!(read(&jsonl, None), ["content", "id"]);

        assert!(read(&tmp.path().join("missing.csv"), None).is_empty());
        assert!(read(&tmp.path().join("b.xlsx"), None).is_empty());
    }
}
