//! The tokenizer of verbatim text: Chinese segmented into words by jieba (with the project
//! lexicon as user words), English and digits as words, then lower-cased and stemmed.
//!
//! Two- and three-character dictionary words inside a longer Chinese word are indexed at the
//! same position as the word (jieba's search mode), so 顿挫 also finds 顿挫感.
//! The same analyzer runs at index time, at query time and for snippets, so a query word
//! matches exactly when the index saw the same word.
//!
//! **Limitations:** segmentation is dictionary-based (no HMM guessing of unknown words), so an
//! unknown two-character word is indexed as two one-character words and found by phrase;
//! a lexicon word whose case differs from the text (`4S店` vs `4s店`) is not kept whole.

use jieba_rs::Jieba;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

/// The name the analyzer is registered under in every index.
pub const TOKENIZER_NAME: &str = "vocwb_zh_en";

/// Splits text into words with jieba; keeps only tokens with a letter, digit or CJK character.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
    token: Token,
}

impl WordTokenizer {
    /// A tokenizer knowing the default jieba dictionary plus `user_words`.
    pub fn new(user_words: &[String]) -> WordTokenizer {
        WordTokenizer { jieba: jieba_with(user_words), token: Token::default() }
    }
}

/// The full analyzer: words, overlong tokens dropped, lower-cased, English-stemmed.
pub fn analyzer(user_words: &[String]) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::new(user_words))
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The tokens `analyzer` makes of `text`, for tests and for explaining a match.
pub fn tokens(user_words: &[String], text: &str) -> Vec<String> {
    let mut analyzer = analyzer(user_words);
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Loading jieba's dictionary takes a few hundred milliseconds, so one instance per distinct
/// word list is kept for the life of the process (an app opens the same index many times).
fn jieba_with(user_words: &[String]) -> Arc<Jieba> {
    type Cache = Mutex<Vec<(Vec<String>, Arc<Jieba>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, jieba)) = cache.iter().find(|(words, _)| words == user_words) {
        return jieba.clone();
    }
    let mut jieba = Jieba::new();
    for word in user_words {
        if is_user_word(word) {
            // No frequency given: jieba suggests one just high enough to keep the word whole.
            jieba.add_word(word, None, None);
        }
    }
    let jieba = Arc::new(jieba);
    if cache.len() >= 4 {
        cache.remove(0);
    }
    cache.push((user_words.to_vec(), jieba.clone()));
    jieba
}

/// Only words with a CJK character go to jieba: English is split on its own, and a word with a
/// space can never be one token.
pub fn is_user_word(word: &str) -> bool {
    !word.is_empty() && !word.chars().any(char::is_whitespace) && word.chars().any(is_cjk)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        let mut words = Vec::new();
        let mut position = 0;
        for t in self.jieba.cut(text, false) {
            if !t.word.chars().any(char::is_alphanumeric) {
                continue;
            }
            words.push(Word { from: t.byte_start, to: t.byte_end, position });
            push_sub_words(&self.jieba, t.word, t.byte_start, position, &mut words);
            position += 1;
        }
        WordStream { text, words: words.into_iter(), token: &mut self.token }
    }
}

/// A word's place in the text; sub-words share the position of the word they are part of.
struct Word {
    from: usize,
    to: usize,
    position: usize,
}

/// Dictionary words of two and three characters inside a longer Chinese word, at the same
/// position, so 顿挫 finds 顿挫感 and 变速 finds 变速箱 (as jieba's search mode does), while
/// phrases of whole words still line up.
fn push_sub_words(jieba: &Jieba, word: &str, base: usize, position: usize, out: &mut Vec<Word>) {
    let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    let chars = starts.len() - 1;
    if chars < 3 || !word.chars().all(is_cjk) {
        return;
    }
    for n in [2, 3] {
        for i in 0..=chars.saturating_sub(n) {
            if n >= chars {
                continue;
            }
            let sub = &word[starts[i]..starts[i + n]];
            if jieba.has_word(sub) {
                out.push(Word { from: base + starts[i], to: base + starts[i + n], position });
            }
        }
    }
}

pub struct WordStream<'a> {
    text: &'a str,
    words: std::vec::IntoIter<Word>,
    token: &'a mut Token,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.next() else { return false };
        self.token.text.clear();
        self.token.text.push_str(&self.text[word.from..word.to]);
        self.token.offset_from = word.from;
        self.token.offset_to = word.to;
        self.token.position = word.position;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_lowercased_and_stemmed_and_punctuation_dropped() {
        assert_eq!(tokens(&[], "CarPlay keeps Disconnecting, please fix it."), ["carplay", "keep", "disconnect", "pleas", "fix", "it"]);
    }

    #[test]
    fn positions_count_words_and_offsets_are_bytes() {
        let mut a = analyzer(&[]);
        let mut s = a.token_stream("油耗 high");
        let first = s.next().unwrap().clone();
        let second = s.next().unwrap().clone();
        assert_eq!((first.position, first.offset_from, first.offset_to), (0, 0, 6));
        assert_eq!((second.position, second.offset_from, second.offset_to), (1, 7, 11));
    }
}
