//! Finding a code of the frame by what a coder types: its Chinese name (or part of it), its
//! pinyin (initials like `ddsj` for 等待时间, full syllables, or a mix like `dengdsj`), its short
//! code or its English name. Lives in the engine so the CLI can offer the same search.

use crate::frame::{CodeStatus, Frame};
use pinyin::ToPinyinMulti;
use vocwb_types::label::CodeHit;

/// How well a code matched; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The short code or the Chinese name, exactly.
    Exact,
    /// The pinyin covers the whole name (e.g. all the initials).
    WholePinyin,
    /// The name, short code or pinyin starts with the query.
    Prefix,
    /// Found inside the name, short code or pinyin.
    Inside,
    /// Found in the English name only.
    English,
}

struct Entry {
    hit: CodeHit,
    short_lower: String,
    name_en_lower: String,
    /// Per character of the Chinese name, its possible readings (every reading of a
    /// polyphonic character, so 行 matches both `x` and `h`). Letters and digits read as
    /// themselves; punctuation is left out.
    readings: Vec<Vec<String>>,
    depth: usize,
}

/// The active codes of one frame, ready to be searched.
pub struct CodeSearch {
    entries: Vec<Entry>,
}

impl CodeSearch {
    pub fn new(frame: &Frame) -> CodeSearch {
        let entries = frame
            .codes
            .iter()
            .filter(|c| c.status == CodeStatus::Active)
            .map(|c| {
                let mut parents = frame.path_names(&c.id);
                parents.pop();
                Entry {
                    hit: CodeHit {
                        code_id: c.id.clone(),
                        short_code: c.short_code.clone(),
                        name_zh: c.name_zh.clone(),
                        name_en: c.name_en.clone(),
                        path: parents.join(" › "),
                    },
                    short_lower: c.short_code.to_lowercase(),
                    name_en_lower: c.name_en.to_lowercase(),
                    readings: readings_of(&c.name_zh),
                    depth: frame.depth(&c.id),
                }
            })
            .collect();
        CodeSearch { entries }
    }

    /// The codes matching `query`, best first, at most `limit`. An empty query finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<CodeHit> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let letters: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).collect();
        let pinyin_query = letters.iter().all(|c| c.is_ascii_alphanumeric());
        let mut ranked: Vec<(Rank, usize, usize, usize)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let mut best: Option<Rank> = None;
            let mut better = |r: Rank| best = Some(best.map_or(r, |b| b.min(r)));
            if e.short_lower == q || e.hit.name_zh == q {
                better(Rank::Exact);
            }
            if e.hit.name_zh.starts_with(&q) || e.short_lower.starts_with(&q) {
                better(Rank::Prefix);
            } else if e.hit.name_zh.contains(&q) || e.short_lower.contains(&q) {
                better(Rank::Inside);
            }
            if pinyin_query {
                match pinyin_match(&e.readings, &letters) {
                    Some(PinyinMatch { start: 0, whole: true }) => better(Rank::WholePinyin),
                    Some(PinyinMatch { start: 0, .. }) => better(Rank::Prefix),
                    Some(_) => better(Rank::Inside),
                    None => {}
                }
                if e.name_en_lower.contains(&q) {
                    better(Rank::English);
                }
            }
            if let Some(rank) = best {
                ranked.push((rank, e.hit.name_zh.chars().count(), usize::MAX - e.depth, i));
            }
        }
        // Best rank, then shorter names (closer to what was typed), then deeper codes (the
        // specific topic rather than its touchpoint), then frame order.
        ranked.sort();
        ranked.into_iter().take(limit).map(|(_, _, _, i)| self.entries[i].hit.clone()).collect()
    }

    /// The hit for a code id, if the code is active.
    pub fn get(&self, code_id: &str) -> Option<&CodeHit> {
        self.entries.iter().map(|e| &e.hit).find(|h| h.code_id == code_id)
    }

    /// The hit for a short code, if an active code has it.
    pub fn by_short_code(&self, short_code: &str) -> Option<&CodeHit> {
        self.entries.iter().map(|e| &e.hit).find(|h| h.short_code == short_code)
    }
}

/// Where the pinyin query matched: from which character, and whether it reached the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PinyinMatch {
    start: usize,
    whole: bool,
}

fn readings_of(name: &str) -> Vec<Vec<String>> {
    name.chars()
        .filter_map(|ch| {
            if ch.is_ascii_alphanumeric() {
                return Some(vec![ch.to_ascii_lowercase().to_string()]);
            }
            let multi = ch.to_pinyin_multi()?;
            let mut all: Vec<String> = multi.into_iter().map(|p| p.plain().to_string()).collect();
            all.dedup();
            Some(all)
        })
        .collect()
}

/// Finds the earliest character from which the query reads as consecutive characters, each
/// giving either its whole syllable or a prefix of it (at least its initial).
fn pinyin_match(readings: &[Vec<String>], query: &[char]) -> Option<PinyinMatch> {
    let q: String = query.iter().collect();
    // A failed (query offset, character) pair fails from any path, so remember it.
    let mut failed = vec![false; (q.len() + 1) * (readings.len() + 1)];
    for start in 0..readings.len() {
        if let Some(end) = consume(readings, &q, 0, start, &mut failed) {
            return Some(PinyinMatch { start, whole: start == 0 && end == readings.len() });
        }
    }
    None
}

/// Consumes `q[at..]` from character `ch` on; returns the character after the last one used.
fn consume(readings: &[Vec<String>], q: &str, at: usize, ch: usize, failed: &mut [bool]) -> Option<usize> {
    if at == q.len() {
        return Some(ch);
    }
    if ch == readings.len() {
        return None;
    }
    let key = at * (readings.len() + 1) + ch;
    if failed[key] {
        return None;
    }
    let rest = &q[at..];
    // Longer pieces first, so a query that spells the whole name prefers covering it.
    let mut best: Option<usize> = None;
    for reading in &readings[ch] {
        for take in (1..=reading.len().min(rest.len())).rev() {
            if rest.as_bytes()[..take] == reading.as_bytes()[..take] {
                if let Some(end) = consume(readings, q, at + take, ch + 1, failed) {
                    best = Some(best.map_or(end, |b: usize| b.max(end)));
                    if end == readings.len() {
                        return best;
                    }
                }
            }
        }
    }
    if best.is_none() {
        failed[key] = true;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn initials_syllables_and_mixes() {
        let r = readings_of("等待时间");
        assert_eq!(pinyin_match(&r, &chars("ddsj")), Some(PinyinMatch { start: 0, whole: true }));
        assert_eq!(pinyin_match(&r, &chars("dengdaishijian")), Some(PinyinMatch { start: 0, whole: true }));
        assert_eq!(pinyin_match(&r, &chars("dengdsj")), Some(PinyinMatch { start: 0, whole: true }));
        assert_eq!(pinyin_match(&r, &chars("sj")), Some(PinyinMatch { start: 2, whole: false }));
        assert_eq!(pinyin_match(&r, &chars("dd")), Some(PinyinMatch { start: 0, whole: false }));
        assert_eq!(pinyin_match(&r, &chars("xx")), None);
    }

    #[test]
    fn polyphonic_characters_match_every_reading() {
        let r = readings_of("行驶质感");
        assert!(pinyin_match(&r, &chars("xszg")).is_some());
        let r = readings_of("银行贷款");
        assert!(pinyin_match(&r, &chars("yhdk")).is_some());
    }
}
