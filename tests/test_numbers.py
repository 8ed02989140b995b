"""Anchors: the same value gives the same key in both languages; words that merely contain a numeral do not."""
from pathlib import Path

import pytest

from duizhao.numbers import anchors_en, anchors_zh, keys_match, parse_en_number, parse_zh_numeral, unmatched


def keys(anchors):
    return [a.key for a in anchors]


@pytest.mark.parametrize(
    "zh, en",
    [
        ("举行了七个多小时的会晤", "met for more than seven hours"),
        ("二十一", "21"),
        ("一千二百人", "1,200 people"),
        ("一千二百人", "one thousand two hundred people"),
        ("第28届联合国气候变化大会", "the 28th climate conference"),
        ("百分之五", "5%"),
        ("百分之五", "five percent"),
        ("两天", "two days"),
        ("10月22日", "October 22"),
        ("10月22日", "Oct. 22"),
        ("去年11月", "last November"),
        ("3.5万人", "35,000 people"),
        ("五百万", "5 million"),
    ],
)
def test_same_value_same_key(zh, en):
    assert keys(anchors_zh(zh)) == keys(anchors_en(en))


def test_ordinal_matches_the_number_inside_a_latin_token():
    zh = anchors_zh("在即将举行的第28届联合国气候变化大会上")
    en = anchors_en("at the upcoming COP28, as well")
    assert [(a.kind, a.key, a.surface) for a in zh] == [("ordinal", "num:28", "第28")]
    assert [(a.kind, a.key, a.surface) for a in en] == [("latin", "latin:cop28", "COP28"), ("number", "num:28", "28")]
    assert unmatched(zh, en) == ([], [en[0]])


def test_date_ranges_and_full_dates():
    zh = anchors_zh("10月26日至27日,安东尼·J·布林肯国务卿在华盛顿会晤了王毅。")
    en = anchors_en("met with Foreign Minister Wang Yi in Washington October 26-27.")
    assert [(a.key, a.surface) for a in zh] == [("date:--10-26", "10月26日"), ("date:--10-27", "27日"),
                                               ("latin:j", "J")]
    assert [(a.key, a.surface) for a in en] == [("date:--10-26", "October 26"), ("date:--10-27", "27")]
    assert keys(anchors_zh("2023年10月27日")) == keys(anchors_en("OCTOBER 27, 2023")) == ["date:2023-10-27"]
    assert keys(anchors_en("22 October 2023")) == ["date:2023-10-22"]


def test_spans_point_at_the_text_as_written():
    text = "阻挠菲律宾１０月２２日前往南中国海"
    (date,) = anchors_zh(text)
    assert date.key == "date:--10-22"
    assert text[date.span[0]:date.span[1]] == date.surface == "１０月２２日"


@pytest.mark.parametrize("text", ["一些", "一直", "统一", "一系列", "第一时间", "一带一路", "二者", "千万不要", "十分重要",
                                  "一方面", "两国之间"])
def test_words_containing_numerals_are_not_numbers(text):
    assert anchors_zh(text) == []


def test_latin_tokens_case_insensitive_and_headings_skipped():
    en = anchors_en("PRC Director of the CCP, the DPRK and the UN Security Council; U.S. interests")
    assert keys(en) == ["latin:prc", "latin:ccp", "latin:dprk", "latin:un", "latin:us"]
    assert keys(anchors_zh("朝鲜(dprk)和Ccp")) == ["latin:dprk", "latin:ccp"]
    assert anchors_en("OFFICE OF THE SPOKESPERSON") == []


def test_month_words_that_are_also_verbs():
    assert anchors_en("May I ask whether you will march") == []
    assert keys(anchors_en("They met in May 2023")) == ["date:2023-05"]


def test_spelled_flag_marks_numbers_written_in_words():
    assert [a.spelled for a in anchors_en("two of 3")] == [True, False]
    assert [a.spelled for a in anchors_zh("两个和3个")] == [True, False]


def test_parsers():
    assert parse_zh_numeral("一千二百") == 1200
    assert parse_zh_numeral("十五") == 15
    assert parse_zh_numeral("二〇二三") == 2023
    assert parse_zh_numeral("一亿二千万") == 120_000_000
    assert parse_zh_numeral("三四百") is None
    assert parse_en_number("one hundred and five") == 105
    assert parse_en_number("twenty-first") == 21


def test_lenient_key_matching():
    assert keys_match("date:--10-22", "date:2023-10-22")
    assert not keys_match("date:--10-22", "date:--10-23")
    assert not keys_match("date:2022-10-22", "date:2023-10-22")
    assert keys_match("date:2023", "num:2023")
    assert not keys_match("date:--11", "date:--11-05")


def test_estimates_titles_and_measures():
    assert [(a.key, a.surface, a.vague) for a in anchors_zh("五六岁的孩子")] == [("num:5", "五六", True),
                                                                                ("num:6", "五六", True)]
    assert [a.key for a in anchors_zh("十八九岁")] == ["num:18", "num:19"]
    assert [a.key for a in anchors_zh("一二十个妇人")] == ["num:10", "num:20"]
    assert keys(anchors_zh("约一百四十亿年前")) == keys(anchors_en("about fourteen billion years ago"))
    assert keys(anchors_en("ON HER SIXTEENTH birthday")) == ["num:16"]
    assert [(a.key, a.surface) for a in anchors_zh("借了二十两银子")] == [("num:20", "二十")]  # 两: taels
    assert [a.vague for a in anchors_zh("他想起了《三体》和三颗卫星")] == [False]
    assert [(a.key, a.vague) for a in anchors_en("the pendulums in Three Body")] == [("num:3", True)]
    assert [(a.key, a.vague) for a in anchors_en("Three people came")] == [("num:3", False)]


def test_numeral_words_are_the_words_of_a_whole_text_cut():
    """Only the runs holding a numeral are cut by jieba, and that must not change the words found there."""
    import jieba

    from duizhao.numbers import _ZH_NUM_RE, _numeral_words

    page = (Path(__file__).resolve().parents[1] / "examples" / "readout.txt").read_text(encoding="utf-8")
    texts = [line for line in page.splitlines() if _ZH_NUM_RE.search(line)]
    texts += ["韦小宝西瓜大的字识不了一担，“四十二”三字却是识得的，五个字中居然识得三个。", "一面说一面递了个眼色儿。",
              "比分是一比〇。", "第○号，二〇〇八年。", "3.5万人，COP28，第二十八届"]
    assert len(texts) >= 6  # the page's paragraphs with numerals, each many runs long
    for text in texts:
        whole = [word for word in jieba.tokenize(text) if _ZH_NUM_RE.search(word[0])]
        assert [word for word in _numeral_words(text) if _ZH_NUM_RE.search(word[0])] == whole
    # 〇 and ○ lie outside jieba's Han range; a lone one is still a number.
    assert keys(anchors_zh("比分是一比〇。")) == ["num:0"] and keys(anchors_zh("第○号")) == ["num:0"]


def test_measures_ranges_moments_and_months_of_a_year():
    # MAC-Dev 006: 五十米口径 "fifty meters", "between one and five percent", "November of 1989"; 005: "one second"
    assert [(a.key, a.surface) for a in anchors_zh("两台高大的五十米口径射电望远镜")] == [("num:2", "两"), ("num:50", "五十")]
    assert keys(anchors_en("between one and five percent")) == ["pct:1", "pct:5"]
    assert keys(anchors_en("launched in November of 1989 and about to be retired")) == ["date:1989-11"]
    assert anchors_en("watch their heads one second and their feet another") == []
    assert parse_en_number("one second") is None
