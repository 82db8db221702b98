//! Plain-text transcripts with speaker turns, e.g. `[00:01:02] 客户: …` / `坐席: …` or
//! `Customer:` / `Agent:`. Optional `# key: value` lines at the top carry document metadata.

use super::{DocumentRecord, Turn};
use crate::error::{Error, Result};

const CUSTOMER_LABELS: &[&str] = &["客户", "顾客", "用户", "车主", "来电人", "来电客户", "customer", "client", "caller", "user"];
const AGENT_LABELS: &[&str] = &["坐席", "座席", "客服", "专员", "话务员", "agent", "operator", "rep", "representative"];

/// Parses one transcript (already decoded) into a document with its turns.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<DocumentRecord> {
    let mut doc = DocumentRecord { row: 1, external_id: Some(stem.to_string()), ..Default::default() };
    let mut meta = serde_json::Map::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if doc.turns.is_empty() {
            if let Some(header) = trimmed.strip_prefix('#') {
                let Some((key, value)) = split_label(header) else {
                    continue; // A plain comment line.
                };
                let value = value.trim().to_string();
                match key.trim().to_lowercase().as_str() {
                    "id" | "call_id" | "编号" => doc.external_id = Some(value),
                    "date" | "日期" | "时间" => doc.date = Some(value),
                    "customer_id" | "customer" | "客户编号" => doc.customer_id = Some(value),
                    "dealer" | "store" | "经销商" | "门店" => doc.dealer = Some(value),
                    "model" | "vehicle_model" | "车型" => doc.vehicle_model = Some(value),
                    "nps" => {
                        doc.nps = Some(super::parse_nps(&value).map_err(|m| Error::input(file, Some(line_no), Some("nps"), m))?)
                    }
                    other => {
                        meta.insert(other.to_string(), serde_json::Value::String(value));
                    }
                }
                continue;
            }
        }
        match parse_turn(trimmed) {
            Some((start_ms, speaker, codable, said)) => doc.turns.push(Turn {
                speaker: speaker.to_string(),
                start_ms,
                text: said.trim().to_string(),
                codable,
            }),
            None => match doc.turns.last_mut() {
                // ASR output wraps long turns onto following lines.
                Some(last) => {
                    last.text.push('\n');
                    last.text.push_str(trimmed);
                }
                None => {
                    return Err(Error::input(
                        file,
                        Some(line_no),
                        None,
                        "expected a speaker turn such as '[00:01:02] 客户: …' or 'Agent: …'",
                    ))
                }
            },
        }
    }
    doc.turns.retain(|t| !t.text.trim().is_empty());
    if !doc.turns.iter().any(|t| t.codable) {
        return Err(Error::input(file, None, None, "the transcript has no customer turn (客户/Customer)"));
    }
    if !meta.is_empty() {
        doc.meta = Some(serde_json::Value::Object(meta).to_string());
    }
    Ok(doc)
}

/// Splits `key: value` at the first ASCII or full-width colon.
fn split_label(s: &str) -> Option<(&str, &str)> {
    let i = s.find([':', '：'])?;
    let sep_len = s[i..].chars().next().map_or(1, char::len_utf8);
    Some((&s[..i], &s[i + sep_len..]))
}

/// `[hh:mm:ss] speaker: text`, `hh:mm:ss speaker: text` or `speaker: text`.
fn parse_turn(line: &str) -> Option<(Option<i64>, &str, bool, &str)> {
    let (start_ms, rest) = match line.strip_prefix('[') {
        Some(after) => {
            let close = after.find(']')?;
            (parse_clock(&after[..close]), after[close + 1..].trim_start())
        }
        None => match line.split_once(char::is_whitespace) {
            Some((first, rest)) if parse_clock(first).is_some() => (parse_clock(first), rest.trim_start()),
            _ => (None, line),
        },
    };
    let (label, said) = split_label(rest)?;
    let label_norm = label.trim().to_lowercase();
    if CUSTOMER_LABELS.contains(&label_norm.as_str()) {
        Some((start_ms, label.trim(), true, said))
    } else if AGENT_LABELS.contains(&label_norm.as_str()) {
        Some((start_ms, label.trim(), false, said))
    } else {
        None
    }
}

fn parse_clock(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let mut secs = 0f64;
    for p in &parts {
        secs = secs * 60.0 + p.parse::<f64>().ok()?;
    }
    Some((secs * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_headers_and_continuations() {
        let doc = parse(
            "t.txt",
            "t",
            "# id: CC-1\n# date: 2026-03-14\n# dealer: 望京店\n[00:00:03] 坐席: 您好\n[00:00:09] 客户：车子 顿挫\n很明显\nCustomer: also noise\n",
        )
        .unwrap();
        assert_eq!(doc.external_id.as_deref(), Some("CC-1"));
        assert_eq!(doc.dealer.as_deref(), Some("望京店"));
        assert_eq!(doc.turns.len(), 3);
        assert!(!doc.turns[0].codable);
        assert_eq!(doc.turns[1].text, "车子 顿挫\n很明显");
        assert_eq!(doc.turns[1].start_ms, Some(9000));
        assert!(doc.turns[2].codable);
    }

    #[test]
    fn text_before_any_turn_is_an_error_at_its_line() {
        let err = parse("t.txt", "t", "# id: x\n\nhello there\n客户: hi").unwrap_err();
        assert!(err.to_string().contains("t.txt, row 3"), "{err}");
    }
}
