//! Segmentation: lexicon words stay whole where plain jieba (or a character split) breaks them.

use vocwb_search::tokenizer::tokens;

fn lexicon() -> Vec<String> {
    ["顿挫", "顿挫感", "拨箱", "胎噪", "异响"].map(String::from).to_vec()
}

#[test]
fn lexicon_words_are_single_tokens() {
    assert_eq!(tokens(&[], "拨箱手感一般"), ["拨", "箱", "手感", "一般"]);
    assert_eq!(tokens(&lexicon(), "拨箱手感一般"), ["拨箱", "手感", "一般"]);
    assert_eq!(tokens(&[], "跑高速胎噪大"), ["跑", "高速", "胎", "噪", "大"]);
    assert_eq!(tokens(&lexicon(), "跑高速胎噪大"), ["跑", "高速", "胎噪", "大"]);
    assert_eq!(tokens(&lexicon(), "低速有明显顿挫"), ["低速", "有", "明显", "顿挫"]);
}

#[test]
fn a_lexicon_word_does_not_swallow_a_neighbouring_word() {
    // 轮胎噪声 contains the characters of 胎噪, but is 轮胎 + 噪声.
    assert_eq!(tokens(&lexicon(), "轮胎噪声还行"), ["轮胎", "噪声", "还", "行"]);
}

#[test]
fn mixed_chinese_and_english() {
    assert_eq!(tokens(&lexicon(), "CarPlay经常断开, keeps Disconnecting"), ["carplay", "经常", "断开", "keep", "disconnect"]);
    assert_eq!(tokens(&lexicon(), "4S店服务态度好"), ["4s店", "服务态度", "服务", "态度", "好"]);
}

#[test]
fn dictionary_words_inside_a_longer_word_are_indexed_too() {
    assert_eq!(tokens(&lexicon(), "顿挫感强"), ["顿挫感", "顿挫", "强"]);
    assert_eq!(tokens(&lexicon(), "变速箱"), ["变速箱", "变速"]);
}
