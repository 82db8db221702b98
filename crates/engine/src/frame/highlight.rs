//! Finding lexicon terms in a verbatim, so the labelling screen can highlight them and suggest
//! the codes they point to.

use super::model::Lexicon;
use serde::Serialize;

/// A lexicon term found in a text; offsets count characters (not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermSpan {
    pub start: usize,
    pub end: usize,
    /// The lexicon entry's head term (the match may be one of its variants).
    pub term: String,
    pub codes: Vec<String>,
}

/// Finds lexicon terms and variants in `text`, longest match first, without overlaps.
/// Matching ignores ASCII case so `ota` finds `OTA`.
pub fn find_terms(lexicon: &Lexicon, text: &str) -> Vec<TermSpan> {
    let mut needles: Vec<(Vec<char>, usize)> = Vec::new();
    for (i, t) in lexicon.terms.iter().enumerate() {
        for form in std::iter::once(&t.term).chain(t.variants.iter()) {
            let chars: Vec<char> = form.chars().map(|c| c.to_ascii_lowercase()).collect();
            if !chars.is_empty() {
                needles.push((chars, i));
            }
        }
    }
    needles.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
    let hay: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut taken = vec![false; hay.len()];
    let mut spans = Vec::new();
    for (needle, entry) in &needles {
        if needle.len() > hay.len() {
            continue;
        }
        let mut start = 0;
        while start + needle.len() <= hay.len() {
            let end = start + needle.len();
            if hay[start..end] == needle[..] && !taken[start..end].iter().any(|t| *t) {
                taken[start..end].iter_mut().for_each(|t| *t = true);
                let t = &lexicon.terms[*entry];
                spans.push(TermSpan { start, end, term: t.term.clone(), codes: t.codes.clone() });
                start = end;
            } else {
                start += 1;
            }
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::LexiconTerm;

    #[test]
    fn longest_terms_win_and_variants_map_to_their_head_term() {
        let lexicon = Lexicon {
            terms: vec![
                LexiconTerm { term: "顿挫".into(), variants: vec!["一顿一顿".into()], codes: vec!["PX.DRV.POWER".into()], ..Default::default() },
                LexiconTerm { term: "变速箱".into(), codes: vec!["PX.QLT.ENG".into()], ..Default::default() },
                LexiconTerm { term: "变速箱顿挫".into(), codes: vec!["PX.DRV.POWER".into()], ..Default::default() },
                LexiconTerm { term: "OTA".into(), ..Default::default() },
            ],
        };
        let spans = find_terms(&lexicon, "变速箱顿挫，起步一顿一顿的，ota后好点");
        let found: Vec<(usize, usize, &str)> = spans.iter().map(|s| (s.start, s.end, s.term.as_str())).collect();
        assert_eq!(found, [(0, 5, "变速箱顿挫"), (8, 12, "顿挫"), (14, 17, "OTA")]);
    }
}
