"""The lexicon on small real cases from the example page."""
from duizhao.lexicon import Lexicon


def lex() -> Lexicon:
    return Lexicon.get()


def test_translations_are_english_stems():
    assert lex().translations("芬太尼") == {"fentanyl"}
    assert "secretari" in lex().translations("国务卿")
    assert lex().translations("七") == {"seven"}


def test_traditional_characters_match_through_simplified_keys():
    assert lex().translations("國務卿") == lex().translations("国务卿")
    assert lex().tokens_zh("國務卿強調") == ["国务卿", "强调"]


def test_proper_names_match_their_pinyin_spelling():
    assert "xinjiang" in lex().translations("新疆")


def test_english_tokens_are_stems_without_stopwords():
    assert lex().tokens_en("The Secretary emphasized the discussions") == ["secretari", "emphas", "discuss"]


def test_match_finds_both_sides():
    zh, en = lex().match("此种流入加剧了芬太尼危机。", "that fuels the fentanyl crisis.")
    assert zh == ["芬太尼", "危机"]
    assert en == ["fentanyl", "crisi"]


def test_match_on_unrelated_sentences_is_empty():
    assert lex().match("芬太尼", "The weather in Bali was fine.") == ([], [])


def test_user_text_is_untouched_and_punctuation_is_not_a_token():
    text = "國務卿，強調！"
    assert lex().tokens_zh(text) == ["国务卿", "强调"]
    assert text == "國務卿，強調！"
