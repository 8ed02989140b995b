"""Encodings are detected from the bytes: the example page in every encoding reads the same, short texts
pick the right legacy encoding, and no byte string breaks decode → load → segment."""
from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from duizhao.errors import InputError
from duizhao.ingest import decode, load, load_bytes
from duizhao.model import Document
from duizhao.segment import segment

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "readout.txt"
TEXT = EXAMPLE.read_text(encoding="utf-8")
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def original():
    return load(EXAMPLE)


@pytest.mark.parametrize("codec, name", [
    ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
    ("utf-8-sig", "utf-8 with BOM"), ("utf-32", "utf-32"),
])
def test_example_page_in_each_encoding(tmp_path, original, codec, name):
    path = tmp_path / "page.bin"  # the name says nothing: detection reads the content
    path.write_bytes(TEXT.encode(codec))
    source = load(path)
    assert source.meta.encoding == name
    assert source.zh == original.zh
    assert source.en == original.en
    for field in ("chrome", "source_url", "dateline", "site", "date", "title_zh", "title_en", "zh_script"):
        assert getattr(source.meta, field) == getattr(original.meta, field), field


def test_example_page_in_big5_traditional(tmp_path, original):
    # Big5 is Taiwan's encoding, so the page is converted with OpenCC's Taiwan standard (s2tw: 為, not the
    # 爲 that plain s2t gives and Big5 lacks). Big5 has no no-break space either: a Big5 save turns it
    # into a plain space, as the editor saving the file would have to.
    traditional = opencc.OpenCC("s2tw").convert(TEXT).replace("\xa0", " ")
    path = tmp_path / "page.txt"
    path.write_bytes(traditional.encode("big5"))
    source = load(path)
    assert source.meta.encoding == "big5"
    assert source.meta.zh_script == "Hant"
    convert = opencc.OpenCC("s2tw").convert
    assert source.zh == [p.__class__(convert(p.text), p.kind) for p in original.zh]
    assert [p.kind for p in source.en] == [p.kind for p in original.en]
    assert segment(source).en == [s.__class__(s.text.replace("\xa0", " "), s.paragraph, s.kind)
                                  for s in segment(original).en]
    assert source.meta.chrome == ["分享按鈕", "評論 請在下方區域中輸入……", "內容", "提交"]
    assert source.meta.site == "美國駐華大使館網"
    assert source.meta.date == "2023-10-27"
    assert source.zh[0].text == "布林肯國務卿與中共中央外辦主任兼外長王毅舉行會晤"


SIMPLIFIED = ["会谈结束了。", "大家好", "中文", "你好，世界。", "双方讨论了美国和中国", "會談結束了。"]
TRADITIONAL = ["會談結束了。", "大家好", "中文", "你好，世界。", "台灣", "雙方討論了美國和中國"]


@pytest.mark.parametrize("text, codec", [(t, "gb18030") for t in SIMPLIFIED] + [(t, "big5") for t in TRADITIONAL])
def test_short_texts_pick_the_right_legacy_encoding(text, codec):
    assert decode(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_heavy_utf16_without_bom(codec):
    # Few ASCII characters mean few NULs, and 一 (U+4E00) puts one on the "wrong" side of its pair.
    text = "以下来自发言人马修·米勒:\n\n双方就一系列地区和全球问题交换了意见。一二三。\n\nThe two sides met.\n"
    assert decode(text.encode(codec)) == (text, codec)


def test_damaged_utf8_is_refused_not_guessed():
    data = TEXT.encode("utf-8")
    cut = data.index("。".encode()) + 3  # right after the first full stop, between two characters
    damaged = data[:cut] + b"\xff" + data[cut:]
    with pytest.raises(InputError) as info:
        decode(damaged)
    assert str(info.value) == (f"the input is UTF-8 except for an invalid byte at offset {cut}: repair that "
                               "byte or save the file again as UTF-8")


def test_cut_gb18030_is_refused():
    with pytest.raises(InputError) as info:
        decode("会谈结束了".encode("gb18030") + b"\x81")
    assert str(info.value) == ("the input is not UTF-8, UTF-16, GB18030/GBK or Big5 text: save it as UTF-8 "
                               "and try again")


def test_bom_without_text_is_empty():
    for data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00 \x00\n"):
        with pytest.raises(InputError, match="is empty"):
            decode(data)


# ------------------------------------------------------------------------------------------- properties

def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# The 6,763 common Simplified characters (GB2312), the text a mainland GBK file is made of.
COMMON_SIMPLIFIED = "".join(ch for ch in map(chr, range(0x4E00, 0xA000)) if _in_gb2312(ch))


@PROPERTY
@given(st.text(alphabet=st.sampled_from(COMMON_SIMPLIFIED + "，。！？、：；“”（） abcXYZ019\n"), min_size=1,
               max_size=200).filter(lambda t: sum(ch in COMMON_SIMPLIFIED for ch in t) >= 8))
def test_gb18030_round_trip(text):
    # At least 8 characters: a GB text of one or two characters can also be valid UTF-8 ("乒" is C6 B9, "ƹ"
    # in UTF-8), and UTF-8 rightly wins such a tie; from 8 characters on that coincidence does not happen.
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@PROPERTY
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)
       .filter(lambda t: t.strip() and not t.startswith("\ufeff")))
def test_unicode_round_trip(text):
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("utf-16")) == (text, "utf-16")


@PROPERTY
@given(st.binary(max_size=3000))
@example(b"\x00" * 64)
@example(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, then half a surrogate pair
@example("会谈".encode("utf-16-le") + b"\x00")
@example(b"<html><body>" + "会谈结束了。<p>The talks ended.</p>".encode() + b"</body></html>")
def test_any_bytes_decode_load_and_segment_or_refuse(data):
    try:
        text, encoding = decode(data)
    except InputError as err:
        assert "\n" not in str(err) and ": " in str(err)
        return
    assert text.strip() and encoding
    try:
        source = load_bytes(data, name="generated.bin")
    except InputError as err:
        assert "\n" not in str(err)
        return
    check_document(segment(source))


@PROPERTY
@given(st.text(max_size=500))
@example("。" * 5000)
@example("\n" * 5000 + "中文。\nEnglish.")
@example("“" * 300 + "中文。" + "”" * 10 + "\nEnglish. " * 3)
def test_any_text_load_and_segment_or_refuse(text):
    try:
        source = load_bytes(text.encode("utf-8"), name="generated.txt")
    except InputError as err:
        assert "\n" not in str(err)
        return
    document = segment(source)
    check_document(document)
    assert document.zh and document.en


def check_document(document: Document) -> None:
    for sentences in (document.zh, document.en):
        for sentence in sentences:
            assert sentence.text and sentence.text == sentence.text.strip()
            assert sentence.kind in ("title", "heading", "date", "byline", "body")
        paragraphs = [s.paragraph for s in sentences]
        assert paragraphs == sorted(paragraphs) and all(p >= 0 for p in paragraphs)
