"""Input that must never break duizhao: property-based tests over ingest, segmentation and alignment,
plus the example page in other encodings and in Traditional Chinese.

Every case ends in a valid (possibly empty) alignment or a `DuizhaoError`; any other exception is a bug.
Alignment properties run in fast mode (no encoder) to stay quick; one Traditional Chinese test uses the
default encoder.
"""
from __future__ import annotations

from pathlib import Path

import opencc
import pytest
import regex
from hypothesis import HealthCheck, assume, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st

from duizhao.errors import DuizhaoError
from duizhao.ingest import load, load_bytes, load_text
from duizhao.model import Alignment, Document, Sentence
from duizhao.segment import segment, split_en, split_zh

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "readout.txt"
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that mixes the scripts a crawl brings: Han (Simplified and Traditional), Latin, digits, full-width
# and ASCII punctuation, Hangul, Cyrillic, Arabic, emoji, odd spaces and line breaks.
MIXED_ALPHABET = st.sampled_from(list(
    "布林肯国务卿與會晤强调。，！？；：“”（）《》……——"
    "The Secretary met Wang Yi. U.S. Oct. 26, 2023! ?\"'()-"
    "0123456789０１２"
    "한국어Русскийالعربية😀🇨🇳"
    " \t\n\n\r\u3000\u00a0\u2028\u200b"
))
mixed_text = st.text(alphabet=MIXED_ALPHABET, max_size=400)
any_text = st.text(max_size=300)  # every Unicode code point hypothesis likes, surrogates excluded

ZH_ALPHABET = st.sampled_from(list("布林肯国務卿与王毅举行会晤双方讨论了美國中国的问题重申关系在华盛顿" "。，！？；：“”（）……——、 0123456789"))
EN_WORDS = st.sampled_from([
    "The", "Secretary", "met", "Wang", "Yi", "U.S.", "Oct.", "26,", "2023", "discussed", "issues.", "China",
    "and", "the", "!", "?", "(CCP)", "Mr.", "…", "“quoted”", "J.", "e.g.", "3.5", "—", "world.", "again",
])
BREAKS = st.sampled_from(["\n", "\n\n", "\n\n\n", " \r\n\r\n", "\n\u3000\n", "\n\u00a0\n"])


@st.composite
def bilingual_pages(draw) -> str:
    """A page a crawler might bring: Chinese paragraphs, then English ones, odd breaks, junk lines."""
    zh = draw(st.lists(st.text(alphabet=ZH_ALPHABET, min_size=1, max_size=120), min_size=1, max_size=6))
    en = draw(st.lists(st.lists(EN_WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=6))
    blocks = zh + en
    for junk in draw(st.lists(st.text(alphabet=MIXED_ALPHABET, max_size=40), max_size=3)):
        blocks.insert(draw(st.integers(0, len(blocks))), junk)
    return "".join(block + draw(BREAKS) for block in blocks)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _pipeline_or_error(text: str) -> Alignment | None:
    """ingest → segment → align (fast) on `text`; None when duizhao refused it with a DuizhaoError."""
    from duizhao.align import AlignConfig, align

    try:
        source = load_text(text, name="generated.txt")
    except DuizhaoError as err:
        _refused(err)
        return None
    _note("aligned")
    return align(segment(source), config=AlignConfig(fast=True))


def _note(what: str) -> None:
    """Count `what` in --hypothesis-show-statistics (when a Hypothesis example is running)."""
    if currently_in_test_context():
        event(what)


def _refused(err: DuizhaoError) -> None:
    """A refusal is a one-line message that states the fix."""
    message = str(err)
    _note(f"refused: {type(err).__name__}")
    assert message and "\n" not in message and ":" in message


def assert_valid(alignment: Alignment) -> None:
    """Links are in reading order, cover every sentence exactly once, never both sides empty."""
    document = alignment.document
    zh_seen: list[int] = []
    en_seen: list[int] = []
    for bead in alignment.beads:
        assert bead.zh or bead.en, "a link with two empty sides"
        assert 0.0 <= bead.score <= 1.0, bead.score
        zh_seen.extend(bead.zh)
        en_seen.extend(bead.en)
        assert all(isinstance(flag.type, str) and flag.type for flag in bead.flags)
    assert zh_seen == list(range(len(document.zh)))
    assert en_seen == list(range(len(document.en)))


# ─── ingest ──────────────────────────────────────────────────────────────────────────────────────────

@QUICK
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\x00" * 64)
@example(b"\xff\xfe")  # a UTF-16 BOM and nothing else
@example(b"\xef\xbb\xbf")  # a UTF-8 BOM and nothing else
@example("中文".encode("gb18030") + b"\x81")  # GB18030 cut in the middle of a character
@example(b"\n" * 5000)
def test_any_bytes_load_or_refuse(data: bytes) -> None:
    try:
        source = load_bytes(data, name="generated.bin")
    except DuizhaoError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert source.zh and source.en
    assert all(p.text.strip() for p in source.zh + source.en)


@QUICK
@given(st.one_of(any_text, mixed_text, bilingual_pages()))
def test_any_text_loads_or_refuses(text: str) -> None:
    try:
        source = load_text(text, name="generated.txt")
    except DuizhaoError:
        return
    assert source.zh and source.en
    # Ingest keeps the user's characters: every paragraph is made of characters of the input.
    for paragraph in source.zh + source.en:
        assert set(_squeeze(paragraph.text)) <= set(_squeeze(text))


@QUICK
@given(bilingual_pages(), st.sampled_from(["gb18030", "utf-16", "utf-8-sig"]))
def test_encoded_pages_load_like_utf8(text: str, codec: str) -> None:
    # One or two Chinese characters are too few to tell GB18030 from Big5; a page has more.
    assume(len(regex.findall(r"\p{Han}", text)) >= 10)
    try:
        want = load_text(text, name="page.txt")
    except DuizhaoError:
        return
    got = load_bytes(text.encode(codec), name="page.txt")
    assert [p.text for p in got.zh] == [p.text for p in want.zh]
    assert [p.text for p in got.en] == [p.text for p in want.en]


# ─── segmentation ────────────────────────────────────────────────────────────────────────────────────

@QUICK
@given(st.one_of(any_text, mixed_text))
@example("")
@example("没有标点的中文句子" * 300)
@example("no punctuation at all " * 300)
@example("。！？……”」』）" * 50)
def test_splitters_keep_every_character(text: str) -> None:
    for split in (split_zh, split_en):
        sentences = split(text)
        assert all(s and s == s.strip() for s in sentences)
        assert "".join(_squeeze(s) for s in sentences) == _squeeze(text)
        position = 0
        for sentence in sentences:  # each one is a slice of the text, in order
            found = text.find(sentence, position)
            assert found >= 0
            position = found + len(sentence)


@QUICK
@given(st.one_of(bilingual_pages(), mixed_text))
def test_segment_keeps_every_character(text: str) -> None:
    try:
        source = load_text(text, name="generated.txt")
    except DuizhaoError as err:
        _refused(err)
        return
    _note("segmented")
    document = segment(source)
    for sentences, paragraphs in ((document.zh, source.zh), (document.en, source.en)):
        assert "".join(_squeeze(s.text) for s in sentences) == "".join(_squeeze(p.text) for p in paragraphs)
        assert [s.paragraph for s in sentences] == sorted(s.paragraph for s in sentences)


# ─── alignment ───────────────────────────────────────────────────────────────────────────────────────

sentence_text = st.text(alphabet=MIXED_ALPHABET, min_size=1, max_size=80).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence_text, max_size=25), st.lists(sentence_text, max_size=25))
def test_align_any_sentences(zh: list[str], en: list[str]) -> None:
    from duizhao.align import AlignConfig, align

    document = Document(zh=[Sentence(t, 0) for t in zh], en=[Sentence(t, 0) for t in en])
    try:
        alignment = align(document, config=AlignConfig(fast=True))
    except DuizhaoError:
        return
    assert_valid(alignment)


@QUICK
@given(st.one_of(bilingual_pages(), mixed_text))
def test_whole_pipeline_on_mixed_scripts(text: str) -> None:
    alignment = _pipeline_or_error(text)
    if alignment is not None:
        assert_valid(alignment)


# Hand-picked shapes that break naive splitters and quadratic searches.
NO_PUNCTUATION = (
    "布林肯国务卿与王毅举行会晤双方讨论了广泛的问题\n\n国务卿强调美国将继续利用外交手段推进美国的利益\n\n"
    "Secretary Blinken met Wang Yi and the two sides discussed a full range of issues\n\n"
    "The Secretary emphasized that the United States will continue to use diplomacy"
)


def _one_sentence_per_side(repeat: int) -> str:
    """The example page's body with every full stop turned into a comma: one long sentence per side."""
    blocks = [b for b in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    zh = "".join(blocks[5:15]).replace("。", "，").replace("\n", "")
    en = " ".join(blocks[18:28]).replace(".", ",").replace("\n", " ")
    return zh * repeat + "\n\n" + en * repeat + "\n"


HUGE_SENTENCE = _one_sentence_per_side(44)  # 50,688 Chinese characters, 186,604 English ones
EMPTY_LINES = "\n" * 3000 + "布林肯国务卿与王毅举行会晤。" + "\n" * 3000 + "Secretary Blinken met Wang Yi." + "\n" * 3000


@pytest.mark.parametrize("text, zh_count, en_count, links", [
    (NO_PUNCTUATION, 2, 2, ["1-1", "1-1"]),
    (HUGE_SENTENCE, 1, 1, ["1-1"]),
    (EMPTY_LINES, 1, 1, ["1-1"]),
], ids=["no-punctuation", "50000-char-sentence", "thousands-of-empty-lines"])
def test_hard_shapes_align(text: str, zh_count: int, en_count: int, links: list[str]) -> None:
    alignment = _pipeline_or_error(text)
    assert alignment is not None
    assert_valid(alignment)
    assert (len(alignment.document.zh), len(alignment.document.en)) == (zh_count, en_count)
    assert [bead.type for bead in alignment.beads] == links


def test_huge_sentence_is_kept_whole() -> None:
    alignment = _pipeline_or_error(HUGE_SENTENCE)
    assert alignment is not None
    assert len(alignment.document.zh[0].text) == 50_688
    assert len(alignment.document.en[0].text) == 186_604


@pytest.mark.parametrize("repeat", [1, 2])  # 1,152 and 2,304 Chinese characters
def test_one_long_sentence_per_side_is_one_link(repeat: int) -> None:
    alignment = _pipeline_or_error(_one_sentence_per_side(repeat))
    assert alignment is not None
    assert [bead.type for bead in alignment.beads] == ["1-1"]


# ─── encodings and scripts of the example page ───────────────────────────────────────────────────────

def _fast(path: Path) -> Alignment:
    from duizhao.align import AlignConfig
    from duizhao.pipeline import process

    return process(path, config=AlignConfig(fast=True))


def _links(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.zh, bead.en) for bead in alignment.beads]


@pytest.fixture(scope="module")
def original() -> Alignment:
    return _fast(EXAMPLE)


TO_TRADITIONAL = opencc.OpenCC("s2tw")  # Taiwan standard: what Big5 holds (為, not s2t's 爲)


@pytest.fixture(scope="module")
def traditional_text() -> str:
    # Big5 has no no-break space: a Big5 page has a plain space where the original has U+00A0.
    return TO_TRADITIONAL.convert(EXAMPLE.read_text(encoding="utf-8")).replace("\u00a0", " ")


@pytest.mark.parametrize("codec, declared", [
    ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8 with BOM"),
])
def test_example_in_other_encodings_aligns_the_same(tmp_path: Path, original: Alignment, codec: str,
                                                     declared: str) -> None:
    path = tmp_path / f"readout.{codec}.txt"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode(codec))
    alignment = _fast(path)
    assert alignment.document.meta.encoding == declared
    assert _links(alignment) == _links(original)
    assert alignment.pairs() == original.pairs()


@pytest.mark.slow
def test_example_in_big5_traditional_aligns_the_same(tmp_path: Path, original: Alignment,
                                                      traditional_text: str) -> None:
    path = tmp_path / "readout.big5.txt"
    path.write_bytes(traditional_text.encode("big5"))
    alignment = _fast(path)
    assert alignment.document.meta.encoding == "big5"
    assert alignment.document.meta.zh_script == "Hant"
    assert _links(alignment) == _links(original)
    # The user's own characters come out, not a conversion back to Simplified.
    assert [zh for zh, _ in alignment.pairs()] == [TO_TRADITIONAL.convert(zh) for zh, _ in original.pairs()]
    assert [en for _, en in alignment.pairs()] == [en for _, en in original.pairs()]


@pytest.mark.slow
def test_traditional_aligns_like_simplified_with_the_encoder(tmp_path: Path, traditional_text: str) -> None:
    from duizhao.pipeline import process

    path = tmp_path / "readout.hant.txt"
    path.write_text(traditional_text, encoding="utf-8", newline="\n")
    simplified = process(EXAMPLE)
    traditional = process(path)
    assert _links(traditional) == _links(simplified)
    assert traditional.document.zh[0].text == "布林肯國務卿與中共中央外辦主任兼外長王毅舉行會晤"
    assert all(abs(t.score - s.score) < 0.15 for t, s in zip(traditional.beads, simplified.beads, strict=True))


def test_example_loads_from_every_encoding_into_the_same_paragraphs(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    want = load(EXAMPLE)
    for codec in ("gb18030", "utf-16-le", "utf-16-be", "utf-8-sig"):
        got = load_bytes(text.encode(codec), name=f"readout.{codec}")
        assert [p.text for p in got.zh] == [p.text for p in want.zh], codec
        assert [p.text for p in got.en] == [p.text for p in want.en], codec
