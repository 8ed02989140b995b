"""Each signal on small real cases: the features it gives a right link against a wrong one."""
import numpy as np
import pytest

from duizhao import signals
from duizhao.errors import ConfigError
from duizhao.model import Document, Sentence
from duizhao.signals import Context, Links


def doc(zh: list[str], en: list[str], zh_par=None, en_par=None) -> Document:
    zh_par = zh_par or list(range(len(zh)))
    en_par = en_par or list(range(len(en)))
    return Document([Sentence(t, p) for t, p in zip(zh, zh_par, strict=True)], [Sentence(t, p) for t, p in zip(en, en_par, strict=True)])


def features(name: str, document: Document, spans, encoder=None) -> np.ndarray:
    signal = signals.get(name)
    prepared = signal.prepare(document, Context(encoder=encoder))
    out = signal.score(prepared, Links.of(spans))
    assert out.shape == (len(spans), len(signal.features))
    return out


ZH = ["此种流入加剧了芬太尼危机。", "菲律宾10月22日前往第二托马斯浅滩执行补给任务。", "双方举行了七个多小时的会晤。"]
EN = [
    "The flow fuels the fentanyl crisis.",
    "An October 22 Philippine resupply mission to Second Thomas Shoal.",
    "The two sides met for more than seven hours.",
]


def test_registry_lists_valid_names_for_an_unknown_one():
    assert signals.names() == ["anchors", "embedding", "embedding2", "length", "lexical", "paragraphs", "punctuation", "quotes"]
    with pytest.raises(ConfigError, match="unknown signal 'lexicon': choose from anchors, embedding, embedding2, length, "
                                          "lexical, paragraphs, punctuation, quotes"):
        signals.get("lexicon")


def test_every_signal_declares_its_metadata():
    for name in signals.names():
        signal = signals.get(name)
        assert signal.name == name
        assert signal.features and signal.range[0] < signal.range[1]
        assert signal.cost in {"light", "encoder"}
        assert signal.needs_encoder == (name in ("embedding", "embedding2"))


def test_lexical_dictionary_matches_fentanyl():
    out = features("lexical", doc(ZH, EN), [((0, 1), (0, 1)), ((0, 1), (2, 3))])
    dice, shared = out[:, 0], out[:, 1]
    # 芬太尼 ↔ fentanyl and 危机 ↔ crisis; 流入 ↔ flow; nothing in common with the meeting sentence.
    assert shared[0] == 3 and shared[1] == 0
    assert dice[0] > 0.5 and dice[1] == 0


def test_anchors_match_dates_and_spelled_numbers():
    out = features("anchors", doc(ZH, EN), [((1, 2), (1, 2)), ((2, 3), (2, 3)), ((1, 2), (2, 3))])
    # 10月22日 ↔ October 22 and 第二 ↔ Second; 七个 ↔ seven, but "two sides" has no partner; across the
    # two: only 第二 ↔ two is shared, and the date, 七 and seven are left over.
    assert out.tolist() == [[2.0, 0.0], [1.0, 1.0], [1.0, 2.0]]


def test_anchors_full_date_matches_date_without_year():
    out = features("anchors", doc(["2023年10月27日"], ["October 27"]), [((0, 1), (0, 1))])
    assert out.tolist() == [[1.0, 0.0]]


def test_length_uses_the_documents_own_ratio():
    document = doc(["一二三四五", "一二三四五六七八九十"], ["abcdefghijklmno", "abcdefghijklmnopqrstuvwxyz1234"])
    out = features("length", document, [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((0, 1), (1, 2))])[:, 0]
    # Ratio 3 English characters per Chinese one: the two right links fit it exactly, the crossed one does not.
    assert out[0] == 0.0 and out[1] == 0.0
    # Gale–Church: 5 Chinese characters expect 15 English ones, the link has 30: -(30-15)² / (6.8·22.5+1) / 2.
    assert out[2] == pytest.approx(-(15**2) / (6.8 * 22.5 + 1) / 2)


def test_paragraph_breaks_inside_a_link_are_counted():
    document = doc(["甲。", "乙。", "丙。"], ["A.", "B.", "C."], zh_par=[0, 0, 1], en_par=[0, 1, 1])
    out = features("paragraphs", document, [((0, 2), (0, 1)), ((1, 3), (0, 1)), ((0, 3), (0, 3))])[:, 0]
    assert out.tolist() == [0.0, 1.0, 2.0]


def test_a_heading_joined_to_another_sentence_is_counted():
    # The press set's students-2021 (U.S. Mission China, public domain): an English heading, a paragraph of
    # its own with no full stop, restating the sentence below it; the last paragraph is one long sentence.
    from pathlib import Path

    from duizhao.ingest.intertext import read_text

    press = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "press"
    zh, en = read_text(press / "press.students-2021_zh.xml"), read_text(press / "press.students-2021_en.xml")
    document = doc(zh.sentences, en.sentences, zh.paragraphs, en.paragraphs)
    assert en.sentences[0] == "We proudly welcome Chinese students back to the USA!"
    spans = [((0, 1), (0, 2)), ((0, 1), (1, 2)), ((0, 1), (0, 1)), ((2, 4), (2, 4)), ((1, 2), (2, 4))]
    out = features("paragraphs", document, spans)
    assert out[:, 2].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]  # a heading alone on its side is no heading joined
    assert out[0].tolist() == [1.0, 0.0, 1.0]  # it also crosses the break after it


def test_a_salutation_leading_into_the_next_line_is_no_heading():
    # A real speech page (tests/data/layouts, see its README): ingest marks "Ladies and Gentlemen," and
    # "Dear Friends," as headings, but lines ending in a comma or colon lead into the next: one 1-2 link.
    from pathlib import Path

    from duizhao.ingest import load
    from duizhao.segment import segment

    page = Path(__file__).resolve().parent / "data" / "layouts" / "interleaved_zh_xie_feng_speech.txt"
    document = segment(load(page))
    assert [s.text for s in document.en[3:5]] == ["Ladies and Gentlemen,", "Dear Friends,"]
    assert document.zh[3].text == "女士们,先生们,朋友们:"
    assert features("paragraphs", document, [((3, 4), (3, 5))]).tolist() == [[1.0, 0.0, 0.0]]


def test_one_sentence_per_paragraph_means_no_structure():
    document = doc(["甲。", "乙。"], ["A.", "B."])
    assert features("paragraphs", document, [((0, 2), (0, 2))])[:, 0].tolist() == [0.0]


def test_quotes_pair_up_across_a_split_speech():
    zh = ["狗儿听了道：“你老只会在炕头上坐着混说，难道叫我打劫去不成？”", "刘老老说道：“谁叫你去打劫呢?"]
    en = ["'It's easy for you to sit on your bed and talk,' said Gou-er.", "'Go out and rob?'",
          "'No one's asking you to rob,' said Grannie Liu."]
    out = features("quotes", doc(zh, en), [((0, 1), (0, 2)), ((0, 1), (0, 1)), ((1, 2), (1, 3)), ((1, 2), (2, 3))])
    # The first Chinese sentence opens and closes one quotation, as the first English one does; with the
    # second English one as well, two are opened and closed (mismatch 2). The second Chinese sentence opens
    # one and leaves it open: against one English quotation that closes, 1; against two, 1 + 2.
    assert out[:, 0].tolist() == [2.0, 0.0, 3.0, 1.0]


def test_apostrophes_are_not_quotation_marks():
    out = features("quotes", doc(["俄罗斯的战争。"], ["Russia’s war, ma'am, isn't over."]), [((0, 1), (0, 1))])
    assert out[:, 0].tolist() == [0.0]


def test_questions_show_where_a_dialogue_line_belongs():
    # MAC-Dev chapter 002: the English splits the Chinese line before the question.
    zh = ["韦小宝道：“赢了十几两银子，不过…… 不过……”", "海老公道：“不过怎么？”"]
    en = ["'I won a dozen taels,' replied Trinket.", "'But I—'", "'You what?' snapped the eunuch."]
    # The gold links, then the boundary one sentence late (the question joins the first line), then early.
    spans = [((0, 1), (0, 2)), ((1, 2), (2, 3)), ((0, 1), (0, 3)), ((1, 2), (1, 2))]
    out = features("punctuation", doc(zh, en), spans)
    assert out[:, 0].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert out[:, 1].tolist() == [0.0] * 4


def test_punctuation_counts_runs_and_is_capped():
    zh = ["什么？！你说什么？？", "好！好！好！好！"]
    en = ["What?!", "Good."]
    out = features("punctuation", doc(zh, en), [((0, 1), (0, 1)), ((1, 2), (1, 2)), ((0, 2), (0, 2))])
    # "？！" is one question and one exclamation; "？？" one question; four exclamations are capped at 3.
    assert out.tolist() == [[1.0, 0.0], [0.0, 3.0], [1.0, 3.0]]


def test_embedding_prefers_the_translation_and_scores_merged_links():
    from duizhao.encoders import get_encoder

    out = features("embedding", doc(ZH, EN), [((0, 1), (0, 1)), ((0, 1), (2, 3)), ((1, 3), (1, 3))],
                   encoder=get_encoder())
    cosine, margin, members = out[:, 0], out[:, 1], out[:, 2]
    # The small encoder's cosines are compressed (about 0.87 against 0.79 here); the margin spreads them.
    assert cosine[0] > cosine[1]
    assert margin[0] - margin[1] > cosine[0] - cosine[1] - 1e-6 and margin[0] > margin[1]
    assert members[2] > members[1]


@pytest.mark.parametrize("n, m, band", [(6, 7, None), (120, 130, 3)])
def test_shared_dots_equal_the_dot_product_of_summed_rows(n, m, band):
    # The banded sum of sentence-pair products must give exactly what multiplying each link's summed rows
    # gives, for links of every shape, sorted (as a search band yields them) or shuffled; (6, 7) covers the
    # whole grid (one matrix product), (120, 130) a narrow band (products of the pairs in it only).
    from duizhao.signals.bags import Bags, shared_dots

    rng = np.random.default_rng(1)
    zh = rng.integers(0, 3, size=(n, 9)).astype(np.uint8)
    en = rng.integers(0, 3, size=(m, 9)).astype(np.uint8)
    bags = Bags(zh, en, np.zeros(n + 1), np.zeros(m + 1))
    spans = []
    for a, b in [(1, 1), (1, 2), (2, 1), (3, 4), (1, 6), (4, 4)]:
        for i in range(a, n + 1):
            for j in range(b, m + 1):
                if band is None or abs(i * m / n - j) < band:
                    spans.append(((i - a, i), (j - b, j)))
    order = rng.permutation(len(spans))
    for chosen in (spans, [spans[k] for k in order]):
        links = Links.of(chosen)
        want = [float(zh[z0:z1].sum(0, dtype=np.int64) @ en[e0:e1].sum(0, dtype=np.int64)) for (z0, z1), (e0, e1) in chosen]
        assert shared_dots(Bags(zh, en, bags.zh_size, bags.en_size), links).tolist() == want


def test_a_line_of_quoted_speech_is_no_heading():
    # MAC-Dev 004 zh 1:180-182 ↔ en 1:194-196 and 006 zh 1:14-15 ↔ en 1:23-24, each quote a paragraph of its own:
    # the full stop, "!" or "?" inside the closing quote ends a sentence, so joining it to the next is no heading
    zh = ["“下轿！”", "奶奶欠起身，大大方方地跨过轿杆，站在烂漫的矢车菊里。", "奶奶右眼看着吃拤饼的人，左眼看着轿夫和吹鼓手。"]
    en = ["'Climb down, I said!'", "She rose from the seat, stepped grandly onto the pole, and alit in a tuft of cornflowers.",
          "Her gaze travelled from the man to the bearers and musicians."]
    document = doc(zh, en, [0, 1, 1], [0, 1, 1])
    assert features("paragraphs", document, [((0, 2), (0, 2))]).tolist() == [[2.0, 0.0, 0.0]]
    document = doc(["“我搞纳米材料。”", "“哦，那就对了。"] + zh[1:], ['"I work in nanotech."', '"Ah, makes sense.'] + en[1:],
                   [0, 1, 2, 2], [0, 1, 2, 2])
    assert features("paragraphs", document, [((0, 2), (0, 2))]).tolist() == [[2.0, 0.0, 0.0]]


def test_a_title_wrapped_over_two_lines_is_no_heading_joined_but_a_heading_joined_to_a_sentence_is():
    # tests/data/layouts/heldout_interleaved_zh_wang_wenbin_press.txt: the Chinese title in two paragraphs, the
    # English title in one, then the first question. The title's two lines belong in one link with the English
    # title; the title's last line joined to the question is a heading joined to a sentence.
    from pathlib import Path

    page = Path(__file__).resolve().parent / "data" / "layouts" / "heldout_interleaved_zh_wang_wenbin_press.txt"
    lines = [line for line in page.read_text(encoding="utf-8").split("\n\n") if line.strip()]
    first_zh, first_en = lines[4].split("。")[0] + "。", lines[5].split(". ")[0] + "."
    zh = [lines[0], lines[1], first_zh, lines[4][len(first_zh):]]  # the title's two lines, the question's sentences
    en = [" ".join(lines[2].split()), first_en, lines[5][len(first_en):].strip()]
    assert zh[:2] == ["2022年8月19日外交部发言人汪文斌", "主持例行记者会"] and en[0].endswith("August 19, 2022")
    assert zh[3].startswith("你可否") and en[2].startswith("Can you")
    document = doc(zh, en, [0, 1, 2, 2], [0, 1, 1])
    wrapped, glued = features("paragraphs", document, [((0, 2), (0, 1)), ((1, 3), (1, 2))])
    assert wrapped[2] == 0.0 and glued[2] == 1.0
