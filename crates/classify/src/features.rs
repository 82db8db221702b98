//! Text to sparse features: normalised characters, char 1–3-grams and jieba words 1–2-grams.
//!
//! Feature strings become ids through a `tokenizers` WordLevel vocabulary trained on the
//! project's own texts (`tokenizer.json` in the model dir), so a saved model encodes text
//! exactly as it did when it was trained.
//!
//! **Limitations:** jieba's default dictionary is for Mandarin; domain words come from the
//! lexicon given at training time (saved with the model as the user dictionary).

use crate::error::{Error, Result};
use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use tokenizers::models::wordlevel::{WordLevel, WordLevelTrainer};
use tokenizers::models::TrainerWrapper;
use tokenizers::pre_tokenizers::whitespace::WhitespaceSplit;
use tokenizers::{AddedToken, Tokenizer};

pub const UNK: &str = "[UNK]";
/// Token ids of features outside the vocabulary, by block.
pub const UNKNOWN_CHAR: u32 = u32::MAX;
pub const UNKNOWN_WORD: u32 = u32::MAX - 1;
pub const UNKNOWN_BIGRAM: u32 = u32::MAX - 2;

/// Which block a feature belongs to; each block is weighted and L2-normalised on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Char = 0,
    Word = 1,
}

/// How text becomes features; saved in the model card so loading rebuilds the same extractor.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureConfig {
    pub char_min: usize,
    pub char_max: usize,
    /// Jieba word unigrams (and bigrams when `word_bigrams`).
    pub words: bool,
    pub word_bigrams: bool,
    /// Weight of the word block relative to the char block (each block is L2-normalised first).
    pub word_weight: f32,
    /// Features seen fewer times than this in the project's texts are left out of the vocabulary.
    pub min_count: u64,
    /// Domain words added to jieba's dictionary (the lexicon's terms and variants, code names).
    pub user_words: Vec<String>,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            char_min: 1,
            char_max: 3,
            words: true,
            word_bigrams: true,
            word_weight: 0.6,
            min_count: 1,
            user_words: Vec::new(),
        }
    }
}

/// A feature occurrence: vocabulary id and the char span it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub id: u32,
    pub start: u32,
    pub end: u32,
}

/// A sparse vector with sorted, unique indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

impl SparseVec {
    pub fn dot(&self, w: &[f32]) -> f32 {
        self.idx.iter().zip(&self.val).map(|(&i, &v)| w[i as usize] * v).sum()
    }

    pub fn norm_sq(&self) -> f32 {
        self.val.iter().map(|v| v * v).sum()
    }

    /// Builds from unsorted (index, value) pairs, summing duplicates.
    pub fn from_pairs(mut pairs: Vec<(u32, f32)>) -> SparseVec {
        pairs.sort_unstable_by_key(|p| p.0);
        let mut out = SparseVec { idx: Vec::with_capacity(pairs.len()), val: Vec::with_capacity(pairs.len()) };
        for (i, v) in pairs {
            if out.idx.last() == Some(&i) {
                *out.val.last_mut().expect("same length") += v;
            } else {
                out.idx.push(i);
                out.val.push(v);
            }
        }
        out
    }
}

/// Lower-cases, folds full-width ASCII to half-width and collapses whitespace (including U+00A0).
pub fn normalise(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut space = false;
    for ch in text.trim().chars() {
        let ch = match ch {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            '\u{3000}' => ' ',
            _ => ch,
        };
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        for l in ch.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// A feature occurrence as [`Extractor::visit`] gives it.
pub enum Feature<'a> {
    /// A char n-gram, whitespace already `▁`.
    Chars(&'a [char]),
    /// Any other feature string (`w:` words, `b:` bigrams).
    Text(&'a str),
}

/// Up to three chars as one integer (each code point plus one, in 21 bits), so that the
/// commonest features are looked up without hashing or comparing strings.
fn pack_chars(chars: &[char]) -> Option<u64> {
    (!chars.is_empty() && chars.len() <= 3).then(|| chars.iter().enumerate().map(|(i, &c)| (c as u64 + 1) << (21 * i)).sum())
}

/// The feature strings of a text with their char spans; whitespace inside a feature becomes `▁`
/// so that the strings survive the tokenizer's whitespace split.
pub struct Extractor {
    pub config: FeatureConfig,
    jieba: Option<Jieba>,
}

impl Extractor {
    pub fn new(config: FeatureConfig) -> Extractor {
        let jieba = config.words.then(|| {
            let mut j = Jieba::new();
            for w in &config.user_words {
                let w = w.trim();
                // jieba splits on whitespace, so a multi-word term cannot be a dictionary word.
                if w.chars().count() >= 2 && !w.contains(char::is_whitespace) {
                    j.add_word(&w.to_lowercase(), Some(2000), None);
                }
            }
            j
        });
        Extractor { config, jieba }
    }

    /// Calls `f(feature, start, end)` for every feature occurrence, in text order per block.
    pub fn for_each(&self, text: &str, mut f: impl FnMut(&str, u32, u32)) {
        let mut buf = String::with_capacity(16);
        self.visit(text, |feature, s, e| match feature {
            Feature::Chars(gram) => {
                buf.clear();
                buf.extend(gram);
                f(&buf, s, e)
            }
            Feature::Text(t) => f(t, s, e),
        });
    }

    /// [`Extractor::for_each`] without spelling out the char n-grams, which a caller may look
    /// up by their chars (most features of a text are char n-grams).
    pub fn visit(&self, text: &str, mut f: impl FnMut(Feature<'_>, u32, u32)) {
        let chars = normalise(text);
        let grams: Vec<char> = chars.iter().map(|&c| if c == ' ' { '▁' } else { c }).collect();
        for n in self.config.char_min..=self.config.char_max {
            if n == 0 || grams.len() < n {
                continue;
            }
            for s in 0..=grams.len() - n {
                if n == 1 && grams[s] == '▁' {
                    continue;
                }
                f(Feature::Chars(&grams[s..s + n]), s as u32, (s + n) as u32);
            }
        }
        if let Some(jieba) = &self.jieba {
            let norm: String = chars.iter().collect();
            let mut words: Vec<(&str, u32, u32)> = Vec::new();
            for t in jieba.cut(&norm, true) {
                if !t.word.trim().is_empty() {
                    words.push((t.word, t.start as u32, t.end as u32));
                }
            }
            let mut buf = String::with_capacity(16);
            for (w, s, e) in &words {
                buf.clear();
                buf.push_str("w:");
                buf.push_str(w);
                f(Feature::Text(&buf), *s, *e);
            }
            if self.config.word_bigrams {
                for pair in words.windows(2) {
                    buf.clear();
                    buf.push_str("b:");
                    buf.push_str(pair[0].0);
                    buf.push('|');
                    buf.push_str(pair[1].0);
                    f(Feature::Text(&buf), pair[0].1, pair[1].2);
                }
            }
        }
    }

    /// All feature strings of a text joined by spaces: the sequence the vocabulary is trained on.
    pub fn feature_line(&self, text: &str) -> String {
        let mut line = String::new();
        self.for_each(text, |s, _, _| {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(s);
        });
        line
    }
}

/// Trains the WordLevel vocabulary over the feature lines of `texts`.
pub fn train_tokenizer(extractor: &Extractor, texts: &[&str]) -> Result<Tokenizer> {
    use rayon::prelude::*;
    let lines: Vec<String> = texts.par_iter().map(|t| extractor.feature_line(t)).collect();
    let model = WordLevel::builder()
        .unk_token(UNK.to_string())
        .build()
        .map_err(|e| Error::Tokenizer(e.to_string()))?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_pre_tokenizer(Some(WhitespaceSplit));
    let trainer = WordLevelTrainer::builder()
        .min_frequency(extractor.config.min_count)
        .vocab_size(usize::MAX / 2)
        .show_progress(false)
        .special_tokens(vec![AddedToken::from(UNK, true)])
        .build()
        .map_err(|e| Error::Tokenizer(e.to_string()))?;
    let mut trainer = TrainerWrapper::from(trainer);
    tokenizer.train(&mut trainer, lines.iter()).map_err(|e| Error::Tokenizer(e.to_string()))?;
    Ok(tokenizer)
}

/// Feature extraction plus the vocabulary and IDF: text to weighted sparse vectors.
pub struct Featurizer {
    pub extractor: Extractor,
    /// Feature string to id; looked up for every feature of every text, hence a fast hasher.
    vocab: FxHashMap<String, u32>,
    /// The ids of the vocabulary's strings of up to three chars, by [`pack_chars`]: the char
    /// n-gram lookups, without a string hash and comparison per lookup.
    short: FxHashMap<u64, u32>,
    /// Block of each id.
    block: Vec<Block>,
    /// Whether each id is a single jieba word (the units of the word CNN).
    word: Vec<bool>,
    /// IDF of each id (1.0 until [`Featurizer::fit_idf`]).
    pub idf: Vec<f32>,
    /// IDF given to features outside the vocabulary (that of a feature in no document).
    pub unknown_idf: f32,
}

impl Featurizer {
    pub fn new(extractor: Extractor, tokenizer: &Tokenizer) -> Featurizer {
        let vocab: FxHashMap<String, u32> = tokenizer.get_vocab(true).into_iter().collect();
        let dim = vocab.values().map(|&i| i as usize + 1).max().unwrap_or(0);
        let mut block = vec![Block::Char; dim];
        let mut word = vec![false; dim];
        for (s, &i) in &vocab {
            if s.starts_with("w:") || s.starts_with("b:") {
                block[i as usize] = Block::Word;
            }
            word[i as usize] = s.starts_with("w:");
        }
        let short = vocab
            .iter()
            .filter_map(|(s, &i)| {
                let chars: Vec<char> = s.chars().collect();
                pack_chars(&chars).map(|key| (key, i))
            })
            .collect();
        Featurizer { extractor, vocab, short, block, word, idf: vec![1.0; dim], unknown_idf: 1.0 }
    }

    pub fn dim(&self) -> usize {
        self.block.len()
    }

    /// Features of a text with their spans. Unknown features are kept as [`UNKNOWN_CHAR`],
    /// [`UNKNOWN_WORD`] or [`UNKNOWN_BIGRAM`]: they carry no weight but still count in the norm, so a new text is
    /// scaled like the training texts (whose rare features the held-out folds did not know).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len());
        let mut buf = String::with_capacity(16);
        self.extractor.visit(text, |feature, start, end| {
            let id = match feature {
                Feature::Chars(gram) => match pack_chars(gram).and_then(|key| self.short.get(&key)) {
                    Some(&id) => id,
                    // Unknown or longer than three chars: the string says which unknown it is.
                    None => {
                        buf.clear();
                        buf.extend(gram);
                        self.id_of(&buf)
                    }
                },
                Feature::Text(s) => self.id_of(s),
            };
            out.push(Token { id, start, end });
        });
        out
    }

    fn id_of(&self, s: &str) -> u32 {
        match self.vocab.get(s) {
            Some(&id) => id,
            None if s.starts_with("w:") => UNKNOWN_WORD,
            None if s.starts_with("b:") => UNKNOWN_BIGRAM,
            None => UNKNOWN_CHAR,
        }
    }

    /// Whether a token id is a single jieba word (an unknown word counts).
    pub fn is_word(&self, id: u32) -> bool {
        id == UNKNOWN_WORD || self.word.get(id as usize).copied().unwrap_or(false)
    }

    /// The jieba words of a text's tokens, in text order, as ids (an unknown word stays
    /// [`UNKNOWN_WORD`]): the units of the word CNN.
    pub fn word_units(&self, tokens: &[Token], max_units: usize) -> Vec<u32> {
        tokens
            .iter()
            .filter(|t| self.is_word(t.id))
            .take(max_units)
            .map(|t| t.id)
            .collect()
    }

    /// Smooth IDF over the given token lists: `ln((1 + n) / (1 + df)) + 1`.
    pub fn fit_idf(&mut self, docs: &[Vec<Token>]) {
        let mut df = vec![0u32; self.dim()];
        let mut seen = Vec::new();
        for d in docs {
            seen.clear();
            seen.extend(d.iter().map(|t| t.id).filter(|&i| (i as usize) < self.word.len()));
            seen.sort_unstable();
            seen.dedup();
            for &i in &seen {
                df[i as usize] += 1;
            }
        }
        let n = docs.len() as f32;
        self.idf = df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        self.unknown_idf = (1.0 + n).ln() + 1.0;
    }

    /// Sublinear TF-IDF per block, each block L2-normalised, the word block scaled.
    pub fn vector<'a>(&self, tokens: impl Iterator<Item = &'a Token>) -> SparseVec {
        let mut norms = [0f32; 2];
        let mut pairs: Vec<(u32, f32)> = Vec::new();
        for t in tokens {
            match t.id {
                UNKNOWN_CHAR => norms[0] += self.unknown_idf * self.unknown_idf,
                UNKNOWN_WORD | UNKNOWN_BIGRAM => norms[1] += self.unknown_idf * self.unknown_idf,
                id => pairs.push((id, 1.0)),
            }
        }
        let counts = SparseVec::from_pairs(pairs);
        let mut val = Vec::with_capacity(counts.idx.len());
        for (&i, &c) in counts.idx.iter().zip(&counts.val) {
            let v = (1.0 + c.ln()) * self.idf[i as usize];
            norms[self.block[i as usize] as usize] += v * v;
            val.push(v);
        }
        let scale = [
            if norms[0] > 0.0 { 1.0 / norms[0].sqrt() } else { 0.0 },
            if norms[1] > 0.0 { self.extractor.config.word_weight / norms[1].sqrt() } else { 0.0 },
        ];
        for (v, &i) in val.iter_mut().zip(&counts.idx) {
            *v *= scale[self.block[i as usize] as usize];
        }
        SparseVec { idx: counts.idx, val }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_width_case_and_spaces() {
        let s: String = normalise("  ＸＶ\u{a0}\u{a0}油耗 Ok ").into_iter().collect();
        assert_eq!(s, "xv 油耗 ok");
    }

    #[test]
    fn tokens_look_up_char_grams_as_their_strings_would() {
        let train = ["变速箱顿挫 给油 w:ab", "空调不制冷，4S店等了3小时", "x  y 油耗高"];
        let extractor = Extractor::new(FeatureConfig { char_max: 4, ..FeatureConfig::default() });
        let tokenizer = train_tokenizer(&extractor, &train).unwrap();
        let featurizer = Featurizer::new(Extractor::new(extractor.config.clone()), &tokenizer);
        for text in train.iter().chain(&["没见过 w:zz b:q 变速箱异响", "▁ 顿挫"]) {
            let mut by_string = Vec::new();
            featurizer.extractor.for_each(text, |s, start, end| by_string.push(Token { id: featurizer.id_of(s), start, end }));
            let tokens = featurizer.tokens(text);
            assert!(tokens.iter().any(|t| t.id < UNKNOWN_BIGRAM), "{text}: some features are known");
            assert_eq!(tokens, by_string, "{text}");
        }
    }

    #[test]
    fn sparse_from_pairs_sums_duplicates() {
        let v = SparseVec::from_pairs(vec![(3, 1.0), (1, 2.0), (3, 0.5)]);
        assert_eq!(v.idx, vec![1, 3]);
        assert_eq!(v.val, vec![2.0, 1.5]);
    }
}
