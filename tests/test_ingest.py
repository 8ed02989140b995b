"""Ingest: the example page's two sides, chrome and metadata; other layouts; pairs; bad input."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from duizhao.errors import InputError
from duizhao.ingest import decode, load, load_bytes, load_pair, load_text
from duizhao.ingest.layout import parse_date
from duizhao.model import Paragraph

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "readout.txt"
SOURCE_URL = (
    "https://www.state.gov/secretary-blinkens-meeting-with-peoples-republic-of-china-director-of-the-"
    "chinese-communist-party-ccp-central-foreign-affairs-commission-and-foreign-minister-wang-yi-2/"
)
TITLE_ZH = "布林肯国务卿与中华人民共和国中共中央外事工作委员会办公室主任兼外交部长王毅举行会晤"
TITLE_EN = ("Secretary Blinken’s Meeting with People’s Republic of China Director of the Chinese Communist "
            "Party (CCP) Central Foreign Affairs Commission and Foreign Minister Wang Yi")


@pytest.fixture(scope="module")
def page():
    return load(EXAMPLE)


def test_example_chinese_side(page):
    assert len(page.zh) == 16
    assert page.zh[:6] == [
        Paragraph("布林肯国务卿与中共中央外办主任兼外长王毅举行会晤", "title"),  # the reposting site's headline
        Paragraph(TITLE_ZH, "title"),
        Paragraph("简报", "heading"),
        Paragraph("发言人办公室", "heading"),
        Paragraph("2023年10月27日", "date"),
        Paragraph("以下来自发言人马修·米勒:", "byline"),
    ]
    assert page.zh[6] == Paragraph("10月26日至27日,安东尼·J·布林肯国务卿在华盛顿会晤了中华人民共和国中共中央"
                                   "外事工作委员会办公室主任兼外交部长王毅。", "body")
    assert page.zh[-1] == Paragraph("双方重申致力于在一系列广泛问题上保持开放的沟通渠道,并期待在未来几周内进行更多的"
                                    "接触和磋商,包括军备控制、海事、政策规划和残障问题在内。", "body")
    assert [p.kind for p in page.zh[6:]] == ["body"] * 10


def test_example_english_side(page):
    assert len(page.en) == 15
    assert page.en[:5] == [
        Paragraph(TITLE_EN, "title"),
        Paragraph("READOUT", "heading"),
        Paragraph("OFFICE OF THE SPOKESPERSON", "heading"),
        Paragraph("OCTOBER 27, 2023", "date"),
        Paragraph("The following is attributable to Spokesperson Matthew Miller:", "byline"),
    ]
    assert page.en[5].text.startswith("Secretary of State Antony J. Blinken met with PRC Director")
    assert page.en[-1].text == (
        "Both sides reiterated their commitment to maintaining open lines of communication across the full "
        "range of issues, and look forward to additional engagements and consultations, to include arms "
        "control, maritime, policy planning, and disability, in the coming weeks.")
    assert [p.kind for p in page.en[5:]] == ["body"] * 10


def test_example_user_text_is_not_normalised(page):
    # The page separates English sentences with a no-break space and uses ASCII commas in Chinese: both stay.
    assert "U.S.-China relationship. \xa0The Secretary" in page.en[6].text
    assert "基础,在两天内" in page.zh[7].text


def test_example_chrome_and_metadata(page):
    meta = page.meta
    assert meta.chrome == ["分享按钮", "评论 请在下方区域中输入……", "内容", "提交"]
    assert meta.source_url == SOURCE_URL
    assert meta.dateline == "2023年10月30日 04:43 美国驻华大使馆网"
    assert meta.site == "美国驻华大使馆网"
    assert meta.date == "2023-10-27"
    assert meta.title_zh == TITLE_ZH
    assert meta.title_en == TITLE_EN
    assert meta.encoding == "utf-8"
    assert meta.zh_script == "Hans"
    assert meta.path == str(EXAMPLE)
    every_text = [p.text for p in page.zh + page.en]
    for chrome in [*meta.chrome, meta.source_url, "2023年10月30日 04:43"]:
        assert not any(chrome in text for text in every_text)


def test_english_first_and_interleaved_layouts():
    english_first = ("Talks End\n\nThe talks ended on Monday. Both sides were pleased.\n\n"
                     "会谈结束\n\n会谈于周一结束。双方都很满意。\n")
    source = load_text(english_first)
    assert source.zh == [Paragraph("会谈结束", "title"), Paragraph("会谈于周一结束。双方都很满意。", "body")]
    assert source.en == [Paragraph("Talks End", "title"),
                         Paragraph("The talks ended on Monday. Both sides were pleased.", "body")]
    interleaved = "会谈于周一结束。\nThe talks ended on Monday.\n双方都很满意。\nBoth sides were pleased.\n"
    source = load_text(interleaved)
    assert [p.text for p in source.zh] == ["会谈于周一结束。", "双方都很满意。"]
    assert [p.text for p in source.en] == ["The talks ended on Monday.", "Both sides were pleased.", ]


def test_latin_tokens_inside_chinese_stay_chinese():
    text = ("双方在COP28大会上讨论了气候问题。\n\nREADOUT\n\n美国和中国同意继续对话。\n\n"
            "The two sides discussed climate at COP28.\n\nThe United States and China agreed to keep talking.\n")
    source = load_text(text)
    # "READOUT" sits between Chinese lines: a heading the Chinese page kept in English, on the Chinese side.
    assert [p.text for p in source.zh] == ["双方在COP28大会上讨论了气候问题。", "READOUT", "美国和中国同意继续对话。"]
    assert [p.text for p in source.en] == ["The two sides discussed climate at COP28.",
                                           "The United States and China agreed to keep talking."]


def test_hard_wrapped_english_is_joined_and_headings_are_not():
    text = ("会谈结束了。\n\nTALKS\nThe two sides met for more than seven hours over two days and had\n"
            "constructive discussions on a full range of issues.\n")
    source = load_text(text)
    assert source.en == [Paragraph("TALKS", "title"), Paragraph(
        "The two sides met for more than seven hours over two days and had constructive discussions on a "
        "full range of issues.", "body")]


def test_labelled_datelines_and_author_bylines():
    text = ("发布时间：2023-10-30 04:43\n会谈结束\n记者：王五\n会谈于周一结束。\n\n"
            "October 30, 2023 4:43 PM | U.S. Embassy Beijing\nTalks End\nBy Jane Doe\nThe talks ended on Monday.\n"
            "2023年10月31日 05:00 美国驻华大使馆网\n")
    source = load_text(text)
    assert source.zh == [Paragraph("会谈结束", "title"), Paragraph("记者：王五", "byline"),
                         Paragraph("会谈于周一结束。", "body")]
    assert source.en == [Paragraph("Talks End", "title"), Paragraph("By Jane Doe", "byline"),
                         Paragraph("The talks ended on Monday.", "body")]
    assert source.meta.dateline == "发布时间：2023-10-30 04:43"
    assert source.meta.chrome == ["October 30, 2023 4:43 PM | U.S. Embassy Beijing",
                                  "2023年10月31日 05:00 美国驻华大使馆网"]
    assert source.meta.date == ""  # a posting date is not the document's date


def test_a_sentence_opening_with_a_date_and_time_is_content():
    source = load_text("2023年10月30日 04:43 双方在华盛顿再次会晤。\n\nThe two sides met again.\n")
    assert source.zh == [Paragraph("2023年10月30日 04:43 双方在华盛顿再次会晤。", "body")]
    assert source.meta.dateline == ""


def test_english_wrapped_at_a_fixed_width_is_joined_even_before_capitals():
    wrapped = ("The two sides met for more than seven hours over two days and had\n"
               "constructive and in-depth discussions, building on recent high-level\n"
               "meetings between the two countries. Secretary of State Antony J. Blinken\n"
               "met with PRC Director of the CCP Central Foreign Affairs Commission and\n"
               "Foreign Minister Wang Yi in Washington October 26-27.\n")
    chinese = "双方在两天内举行了七个多小时的会晤并进行了建设性的深入讨论。"
    source = load_text(f"{chinese}\n\n{wrapped}\nOffice of the Spokesperson\nOctober 27, 2023\n")
    assert [p.text for p in source.en] == [
        " ".join(wrapped.splitlines()), "Office of the Spokesperson", "October 27, 2023"]


def test_hard_wrapped_chinese_is_joined():
    text = ("双方以近期两国间的高级别会议为基础,在两天内举行了七个多小时的会晤\n并进行了建设性的深入讨论。\n"
            "简报\n\nThe two sides met.\n")
    assert load_text(text).zh == [
        Paragraph("双方以近期两国间的高级别会议为基础,在两天内举行了七个多小时的会晤并进行了建设性的深入讨论。", "body"),
        Paragraph("简报", "heading")]


def test_english_widgets_and_extra_urls_are_chrome():
    text = ("会谈结束了。\n\nThe talks ended.\n\nShare\nTweet Email\nPrint this page\n"
            "Comment: Enter your comment below\nhttps://example.org/a\nhttps://example.org/b\n")
    meta = load_text(text).meta
    assert meta.chrome == ["Share", "Tweet Email", "Print this page", "Comment: Enter your comment below",
                           "https://example.org/b"]
    assert meta.source_url == "https://example.org/a"


def test_a_sentence_that_starts_with_a_widget_word_is_content():
    source = load_text("内容丰富的会谈结束了。\n\nShare your views with us, the Secretary said.\n")
    assert [p.text for p in source.zh] == ["内容丰富的会谈结束了。"]
    assert [p.text for p in source.en] == ["Share your views with us, the Secretary said."]
    assert source.meta.chrome == []


def test_traditional_chinese_is_detected_and_kept():
    source = load_text("國務卿與外交部長舉行會晤。雙方討論了廣泛問題。\n\nThe Secretary met the Foreign Minister.\n")
    assert source.meta.zh_script == "Hant"
    assert source.zh[0].text == "國務卿與外交部長舉行會晤。雙方討論了廣泛問題。"


@pytest.mark.parametrize("text, iso", [
    ("2023年10月27日", "2023-10-27"), ("OCTOBER 27, 2023", "2023-10-27"), ("Oct. 7, 2023", "2023-10-07"),
    ("27 October 2023", "2023-10-27"), ("Friday, October 27, 2023", "2023-10-27"), ("2023-10-27", "2023-10-27"),
    ("2023年13月40日", ""), ("no date here", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_html_page(tmp_path):
    html = """<!DOCTYPE html><html><head><title>Talks End</title>
<meta property="og:url" content="https://example.org/talks"><meta property="og:site_name" content="Example News">
</head><body><nav><a href="/">Home</a></nav><article>
<p>会谈于周一结束。双方都很满意,并同意在下个月再次会面。</p>
<p>The talks ended on Monday. Both sides were pleased and agreed to meet again next month.</p>
</article><footer>Copyright</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    source = load(path)
    assert [p.text for p in source.zh] == ["会谈于周一结束。双方都很满意,并同意在下个月再次会面。"]
    assert [p.text for p in source.en] == ["The talks ended on Monday. Both sides were pleased and agreed to "
                                           "meet again next month."]
    assert source.meta.source_url == "https://example.org/talks"
    assert source.meta.site == "Example News"
    assert source.meta.title_en == "Talks End"


def test_html_fragment_without_html_tag():
    source = load_text("<p>会谈于周一结束。双方都很满意。</p>\n<p>The talks ended on Monday. Both sides were pleased.</p>")
    assert [p.text for p in source.zh] == ["会谈于周一结束。双方都很满意。"]
    assert [p.text for p in source.en] == ["The talks ended on Monday. Both sides were pleased."]


def test_stdin(monkeypatch):
    data = "会谈结束了。\n\nThe talks ended.\n".encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    source = load("-")
    assert source.meta.path == "-" and source.meta.encoding == "gb18030"
    assert [p.text for p in source.zh] == ["会谈结束了。"]


# ------------------------------------------------------------------------------------------- pairs


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_pair_paragraphs(tmp_path):
    zh = write(tmp_path / "a.zh", "会谈结束\n2023年10月27日\n\n会谈于周一结束。双方都很满意。\n\n他们将再次会面。\n",
               "gb18030")
    en = write(tmp_path / "a.en", "Talks End\nOCTOBER 27, 2023\n\nThe talks ended on Monday. Both sides\n"
               "were pleased.\n\nThey will meet again.\n", "utf-16")
    source = load_pair(zh, en)
    assert source.zh == [Paragraph("会谈结束", "title"), Paragraph("2023年10月27日", "date"),
                         Paragraph("会谈于周一结束。双方都很满意。"), Paragraph("他们将再次会面。")]
    assert source.en == [Paragraph("Talks End", "title"), Paragraph("OCTOBER 27, 2023", "date"),
                         Paragraph("The talks ended on Monday. Both sides were pleased."),
                         Paragraph("They will meet again.")]
    assert not source.presegmented
    assert source.meta.encoding == "gb18030 + utf-16"
    assert source.meta.date == "2023-10-27"


def test_pair_presegmented_keeps_every_line(tmp_path):
    zh = write(tmp_path / "s.zh", "第一句。第二句在同一行。\r\n\r\n第三句\u2028还是第三句\n")
    en = write(tmp_path / "s.en", "First. Second on the same line.\nThird\x0cstill third\n")
    source = load_pair(zh, en, sentences=True)
    assert source.presegmented
    # Blank lines are skipped; only \n, \r\n and \r end a line (not U+2028 or a form feed).
    assert source.zh == [Paragraph("第一句。第二句在同一行。"), Paragraph("第三句\u2028还是第三句")]
    assert source.en == [Paragraph("First. Second on the same line."), Paragraph("Third\x0cstill third")]


# ------------------------------------------------------------------------------------------- bad input


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_missing_file(tmp_path):
    assert error_of(load, tmp_path / "nope.txt") == f"{tmp_path / 'nope.txt'}: no such file: check the path"


def test_folder_is_not_a_file(tmp_path):
    assert "is a folder, not a file" in error_of(load, tmp_path)


def test_empty_and_whitespace_only(tmp_path):
    for content in (b"", b"  \n\t\r\n  \n"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        assert error_of(load, path) == f"{path} is empty: give a file with Chinese and English text"
    assert error_of(load_text, "\xa0\u3000\n") == "standard input is empty: give a file with Chinese and English text"


def test_binary(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert error_of(load, path) == (f"{path} is a PNG image, which duizhao does not read: give one of "
                                    "plain text, HTML, Word (.docx), EPUB, PDF, SubRip (.srt), WebVTT (.vtt), XLIFF, PO")
    path.write_bytes(b"\x00\x01\x02\x03data")
    assert error_of(load, path) == (f"{path} looks binary (NUL byte at offset 0), not text: "
                                    "give a text, HTML, Word, EPUB, PDF, subtitle, XLIFF or PO file")
    path.write_bytes("会谈结束了。\x01\x02\x03 The talks ended.".encode())
    assert error_of(load, path).startswith(f"{path} looks binary (control byte 0x01 at character 6)")


def test_one_language_only(tmp_path):
    path = write(tmp_path / "zh.txt", "会谈结束了。\n\n双方都很满意。\n")
    assert error_of(load, path) == (f"found only Chinese text in {path}: give a file that holds both languages, "
                                    "or the English side as a file of its own (align --zh FILE --en FILE)")
    path = write(tmp_path / "en.txt", "The talks ended.\n")
    assert error_of(load, path) == (f"found only English text in {path}: give a file that holds both languages, "
                                    "or the Chinese side as a file of its own (align --zh FILE --en FILE)")
    path = write(tmp_path / "digits.txt", "2023 10 27\n12345\n")
    assert "found no Chinese or English text" in error_of(load, path)


def test_a_stray_line_of_the_other_language_is_not_a_translation(tmp_path):
    english = "The talks ended on Monday after seven hours of discussions in Washington. " * 5
    path = write(tmp_path / "en.txt", f"中文会谈\n\n{english}\n")
    assert error_of(load, path) == (f"found only English text in {path} (the Chinese is 4 characters in 1 line): "
                                    "give a file that holds both languages, or the Chinese side as a file of its own "
                                    "(align --zh FILE --en FILE)")
    # A short document stays bilingual however uneven: there is too little text to judge.
    assert [p.text for p in load_text("会谈结束。\nThe talks ended on Monday after seven hours.").zh] == ["会谈结束。"]


def test_a_language_label_is_chrome_not_chinese_text(tmp_path):
    english = "The talks ended on Monday after seven hours of discussions in Washington. " * 5
    path = write(tmp_path / "en.txt", f"中文版\n\n{english}\n")
    assert error_of(load, path) == (f"found only English text in {path}: give a file that holds both languages, "
                                    "or the Chinese side as a file of its own (align --zh FILE --en FILE)")


def test_chrome_only_is_one_language(tmp_path):
    path = write(tmp_path / "chrome.txt", "分享按钮\n提交\nhttps://example.org/\nThe talks ended.\n")
    assert error_of(load, path).startswith("found only English text in")


def test_swapped_pair(tmp_path):
    zh = write(tmp_path / "a.zh", "The talks ended.\n")
    en = write(tmp_path / "a.en", "会谈结束了。\n")
    assert error_of(load_pair, zh, en) == (
        f"the Chinese and English files look swapped: {zh} is English and {en} is Chinese; "
        "give the Chinese file with --zh and the English file with --en")
    assert error_of(load_pair, en, en) == (f"found no English text in {en} (given with --en): "
                                          "give the English side with --en")
    assert error_of(load_pair, zh, zh) == (f"found no Chinese text in {zh} (given with --zh): "
                                          "give the Chinese side with --zh")


def test_pair_side_empty(tmp_path):
    zh = write(tmp_path / "a.zh", "会谈结束了。\n")
    en = write(tmp_path / "a.en", "\n\n")
    assert error_of(load_pair, zh, en) == f"{en} is empty: give a file with Chinese and English text"


def test_oversized_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # a sparse 60 MB file: nothing is written, and nothing must be read
        handle.truncate(60 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read an oversized file"))
    assert error_of(load, path) == (f"{path} is 60 MB, over the 50 MB limit: split it into documents, "
                                    "or raise the limit (max_bytes)")
    small = write(tmp_path / "small.txt", "会谈结束了。\nThe talks ended.\n")
    size = small.stat().st_size
    assert error_of(load, small, max_bytes=10) == (f"{small} is {size} bytes, over the 10 bytes limit: split it "
                                                   "into documents, or raise the limit (max_bytes)")


def test_a_device_without_a_size_is_read_only_up_to_the_limit():
    # /dev/zero stats as 0 bytes and never ends: reading it whole would exhaust memory.
    assert error_of(load, "/dev/zero", max_bytes=4096) == (
        "/dev/zero is over the 4 KB limit: split it into documents, or raise the limit (max_bytes)")


def test_oversized_bytes():
    assert error_of(load_bytes, b"x" * 2048, name="upload.txt", max_bytes=1024) == (
        "upload.txt is 2 KB, over the 1 KB limit: split it into documents, or raise the limit (max_bytes)")


def test_oversized_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 100)))
    assert error_of(load, "-", max_bytes=50).startswith("standard input is over the")


def test_decode_reports_encoding():
    assert decode("会谈".encode()) == ("会谈", "utf-8")
    assert decode(b"\xef\xbb\xbfhello") == ("hello", "utf-8 with BOM")
    with pytest.raises(InputError, match="looks binary"):
        load_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00\x10")
