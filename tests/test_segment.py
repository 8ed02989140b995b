"""Sentence splitting: the example page sentence by sentence, and the hard cases of each language."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from duizhao.ingest import load
from duizhao.model import Paragraph, Sentence, Source
from duizhao.segment import segment, split_en, split_zh

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "readout.txt"


@pytest.fixture(scope="module")
def document():
    return segment(load(EXAMPLE))


def per_paragraph(sentences: list[Sentence]) -> list[int]:
    counts: dict[int, int] = {}
    for sentence in sentences:
        counts[sentence.paragraph] = counts.get(sentence.paragraph, 0) + 1
    return [counts[i] for i in sorted(counts)]


def test_example_sentence_counts(document):
    # Checked by hand against the page: every count below is the number of sentences a reader sees.
    assert per_paragraph(document.zh) == [1, 1, 1, 1, 1, 1, 1, 4, 1, 2, 2, 4, 4, 2, 1, 1]
    assert per_paragraph(document.en) == [1, 1, 1, 1, 1, 1, 4, 1, 2, 2, 4, 4, 2, 1, 1]
    assert (len(document.zh), len(document.en)) == (28, 27)
    assert [s.kind for s in document.zh[:7]] == ["title", "title", "heading", "heading", "date", "byline", "body"]
    assert [s.kind for s in document.en[:6]] == ["title", "heading", "heading", "date", "byline", "body"]


def test_example_english_paragraph_with_us_china(document):
    sentences = [s.text for s in document.en if s.paragraph == 6]
    assert sentences == [
        "The two sides met for more than seven hours over two days and had constructive and in-depth "
        "discussions, building on recent high-level meetings between the two countries as part of ongoing "
        "efforts to maintain open lines of communication on a full range of issues and responsibly manage "
        "the U.S.-China relationship.",
        "The Secretary emphasized that the United States will continue to use diplomacy to advance U.S. "
        "interests and values.",
        "He noted that we both have a responsibility to manage our differences and to work together on issues "
        "that matter to our people and the world.",
        "The Secretary also reiterated the importance of resuming military-to-military channels to reduce the "
        "risk of miscalculation.",
    ]


def test_example_english_initial_and_dashes(document):
    assert document.en[5] == Sentence(
        "Secretary of State Antony J. Blinken met with PRC Director of the CCP Central Foreign Affairs "
        "Commission and Foreign Minister Wang Yi in Washington October 26-27.", paragraph=5, kind="body")
    sentences = [s.text for s in document.en if s.paragraph == 11]
    assert sentences[0] == "The two sides exchanged views on a range of regional and global issues."
    assert sentences[1].startswith("The Secretary reiterated U.S. support for Israel’s right")
    assert sentences[1].endswith("prevent escalation and expansion of the conflict.")
    assert sentences[2] == ("The Secretary detailed U.S. efforts to enable humanitarian assistance and protect "
                            "civilian lives.")
    assert len(sentences) == 4


def test_example_chinese_paragraphs(document):
    assert [s.text for s in document.zh if s.paragraph == 7] == [
        "双方以近期两国间的高级别会议为基础,在两天内举行了七个多小时的会晤并进行了建设性的深入讨论,这是就一系列"
        "广泛问题持续努力保持沟通渠道开放,负责任地管理美中关系的举措。",
        "国务卿强调,美国将继续利用外交手段推进美国的利益和价值观。",
        "他指出,我们都有责任管理分歧,并在关系到我们人民和世界的问题上共同努力。",
        "国务卿还重申了恢复两军之间的沟通渠道以减少误判风险的重要性。",
    ]
    # —— inside a sentence does not end it.
    assert [s.text for s in document.zh if s.paragraph == 12][1] == (
        "国务卿重申美国支持以色列的自卫权,并强调所有国家——特别是联合国安理会常任理事国——明确谴责哈马斯的恐怖袭击"
        "并利用自身影响力防止冲突升级和扩大的重要性。")
    assert document.zh[0] == Sentence("布林肯国务卿与中共中央外办主任兼外长王毅举行会晤", paragraph=0, kind="title")


def test_sentences_are_slices_of_their_paragraph(document):
    source = load(EXAMPLE)
    for sentences, paragraphs in ((document.zh, source.zh), (document.en, source.en)):
        for sentence in sentences:
            assert sentence.text in paragraphs[sentence.paragraph].text


@pytest.mark.parametrize("text, want", [
    ("他说：“我们会来。”然后离开了。", ["他说：“我们会来。”", "然后离开了。"]),
    ("“我们会来。你们呢？”他问。", ["“我们会来。你们呢？”", "他问。"]),
    ("他说“好”就走了。真的吗？！是的……好吧", ["他说“好”就走了。", "真的吗？！", "是的……", "好吧"]),
    ("「走吧。」她說。『好。』", ["「走吧。」", "她說。", "『好。』"]),
    ("会谈（持续两天。）结束了；双方满意。", ["会谈（持续两天。）结束了；", "双方满意。"]),
    ("会谈结束。（此为译注。）双方满意。", ["会谈结束。", "（此为译注。）", "双方满意。"]),
    ("他读了《你好！》这本书。", ["他读了《你好！》这本书。"]),
    ("他说：“我读了《你好！》。”然后走了。", ["他说：“我读了《你好！》。”", "然后走了。"]),
    ("价格是3.5元.然后涨了", ["价格是3.5元.", "然后涨了"]),
    ("他说“我们会来。然后离开了。", ["他说“我们会来。", "然后离开了。"]),  # an unclosed quote is not tracked
    ("双方——包括美国——表示满意。", ["双方——包括美国——表示满意。"]),
    ("第一行没有句号\n第二行。", ["第一行没有句号", "第二行。"]),
    ("他道：“你不会摔交。 ”我说：“会。”", ["他道：“你不会摔交。 ”", "我说：“会。”"]),
    # A "?" glued to a Latin letter or a comma/semicolon stands for a lost character (the Liu Xin page of the
    # layout corpus), not for a question: the sentence goes on. A real "?" still ends one.
    ("我最清晰的記憶是他們?yōu)榱斯ぷ髟绯鐾須w。我們自己的夢(mèng)想?;旧?,我們正在擴(kuò)展自己的世界。你去吗?我不去。",
     ["我最清晰的記憶是他們?yōu)榱斯ぷ髟绯鐾須w。", "我們自己的夢(mèng)想?;旧?,我們正在擴(kuò)展自己的世界。", "你去吗?",
      "我不去。"]),
    # Without a bad conversion's traces (bracketed tone-marked pinyin) a half-width "?" before a Latin word or a
    # ";" is a real question mark (the reproductions of the second-reading review, fixes_review defect 1).
    ("你用过ChatGPT吗?ChatGPT是一个聊天机器人。为什么?iPhone卖得好。",
     ["你用过ChatGPT吗?", "ChatGPT是一个聊天机器人。", "为什么?", "iPhone卖得好。"]),
    ("他为什么不来?;因为下雨。", ["他为什么不来?;", "因为下雨。"]),
    ("", []),
    ("   ", []),
])
def test_split_zh(text, want):
    assert split_zh(text) == want


@pytest.mark.parametrize("text, want", [
    ("Mr. Smith met Dr. Jones at 3 p.m. The talks went well.",
     ["Mr. Smith met Dr. Jones at 3 p.m.", "The talks went well."]),
    ("See No. 5 and Oct. 26 for details. He left.", ["See No. 5 and Oct. 26 for details.", "He left."]),
    ("The U.S. Secretary of State met the U.N. chief. The U.S. The end.",
     ["The U.S. Secretary of State met the U.N. chief.", "The U.S.", "The end."]),
    ('He said "Go." Then he left. It rose 3.5 percent! Really? Yes.',
     ['He said "Go."', "Then he left.", "It rose 3.5 percent!", "Really?", "Yes."]),
    ("He said “We agree.” The talks ended.", ["He said “We agree.”", "The talks ended."]),
    ("Visit https://www.state.gov/a.b for more. Then stop.", ["Visit https://www.state.gov/a.b for more.",
                                                              "Then stop."]),
    ("It ran Jan.–Dec. 2023 in St. Louis, e.g. Missouri. Fine.",
     ["It ran Jan.–Dec. 2023 in St. Louis, e.g. Missouri.", "Fine."]),
    ("Apple Inc. said so. Acme Inc. The firm grew.", ["Apple Inc. said so.", "Acme Inc.", "The firm grew."]),
    ("It was over... Then it began again.", ["It was over...", "Then it began again."]),
    ("the end. lower case goes on", ["the end. lower case goes on"]),
    ('"No. Since you ask, the answer is No. 5." He left.', ['"No.', 'Since you ask, the answer is No. 5."',
                                                           "He left."]),
    # Sentences glued without a space, as the Zhang Yan page of the layout corpus has them (a PDF's text); titles,
    # initials and acronyms glued to a name stay whole.
    ("I am very glad to welcome you all to the Chinese Embassy.I must say this is the first time for us.",
     ["I am very glad to welcome you all to the Chinese Embassy.", "I must say this is the first time for us."]),
    ("Your Excellency Mr.Ajay Maken, Remarks by H.E.Ambassador Zhang Yan, e.g.Missouri, Prof.Smith and Acme Inc.The end.",
     ["Your Excellency Mr.Ajay Maken, Remarks by H.E.Ambassador Zhang Yan, e.g.Missouri, Prof.Smith and Acme Inc.The end."]),
    ("", []),
])
def test_split_en(text, want):
    assert split_en(text) == want


def test_presegmented_sources_are_never_split():
    source = Source(zh=[Paragraph("第一句。第二句。")], en=[Paragraph("One. Two.")], presegmented=True)
    document = segment(source)
    assert document.zh == [Sentence("第一句。第二句。", 0)]
    assert document.en == [Sentence("One. Two.", 0)]


def test_headings_and_titles_stay_whole():
    source = Source(zh=[Paragraph("会谈。结束", "title"), Paragraph("一。二。", "body")],
                    en=[Paragraph("Talks. End", "heading"), Paragraph("One. Two.", "body")])
    document = segment(source)
    assert document.zh == [Sentence("会谈。结束", 0, "title"), Sentence("一。", 1), Sentence("二。", 1)]
    assert document.en == [Sentence("Talks. End", 0, "heading"), Sentence("One.", 1), Sentence("Two.", 1)]


@pytest.mark.parametrize("split, unit", [(split_zh, "讨论了"), (split_en, "talks go on ")])
def test_long_text_without_punctuation_is_linear(split, unit):
    # One 60,000-character sentence, then the same text broken into 20,000 short sentences: both fast.
    start = time.perf_counter()
    assert len(split(unit * (60_000 // len(unit)))) == 1
    stop = "。" if split is split_zh else ". A "
    assert len(split((unit + stop) * 5_000)) >= 5_000
    assert time.perf_counter() - start < 5


def test_many_asides_in_one_sentence_stay_linear():
    # 10,000 bracketed asides that each end in 。 but never end the sentence: one pass, one sentence.
    start = time.perf_counter()
    assert len(split_zh("会谈（持续两天。）" * 10_000)) == 1
    assert time.perf_counter() - start < 5
