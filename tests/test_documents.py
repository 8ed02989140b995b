"""Documents people have: Word, EPUB, PDF, subtitles, XLIFF and PO, read through one registry of input types.

Every file is built here with the format's own library (python-docx, ebooklib, reportlab, srt) from the
real text of the example page (examples/readout.txt: a U.S. Department of State readout and its
translation by the U.S. Embassy in China, both U.S. government works), and must align exactly as the
page itself does (tests/data/readout_expected.json).
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
import regex

from duizhao.errors import InputError
from duizhao.ingest import load, load_bytes, load_pair
from duizhao.model import Alignment, Paragraph
from duizhao.pipeline import process, process_bytes, process_pair

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "examples" / "readout.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]
SUPPORTED = "plain text, HTML, Word (.docx), EPUB, PDF, SubRip (.srt), WebVTT (.vtt), XLIFF, PO"


def _norm(text: str) -> str:
    return " ".join(text.split())


def links(alignment: Alignment) -> list[dict]:
    doc = alignment.document
    return [{"zh": [_norm(doc.zh[i].text) for i in b.zh], "en": [_norm(doc.en[j].text) for j in b.en]}
            for b in alignment.beads]


EXPECTED_NORM = [{"zh": [_norm(t) for t in link["zh"]], "en": [_norm(t) for t in link["en"]]} for link in EXPECTED]


@pytest.fixture(scope="module")
def page():
    return load(PAGE)


@pytest.fixture(scope="module")
def page_sentences():
    """The example page's links as (zh sentences, en sentences), hand-checked."""
    return [(link["zh"], link["en"]) for link in EXPECTED]


def _docx(path: Path, paragraphs: list[Paragraph] | list[str]) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        if isinstance(p, Paragraph) and p.kind == "title":
            document.add_heading(p.text, 1)
        else:
            document.add_paragraph(p.text if isinstance(p, Paragraph) else p)
    document.save(path)
    return path


# --------------------------------------------------------------------------------------------- DOCX

def test_a_bilingual_word_file_aligns_like_the_page(tmp_path):
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = _docx(tmp_path / "page.docx", lines)
    source = load(path)
    assert source.meta.date == "2023-10-27" and source.meta.source_url.startswith("https://www.state.gov/")
    assert links(process(path)) == EXPECTED_NORM


def test_two_word_files_align_like_the_page(tmp_path, page):
    zh = _docx(tmp_path / "chapter.zh.docx", page.zh)
    en = _docx(tmp_path / "chapter.en.docx", page.en)
    source = load_pair(zh, en)
    assert [p.kind for p in source.zh] == [p.kind for p in page.zh]
    assert links(process_pair(zh, en)) == EXPECTED_NORM


def test_a_bilingual_table_pairs_its_rows_as_hard_boundaries(tmp_path, page):
    import docx

    document = docx.Document()
    document.add_paragraph(page.zh[0].text)  # outside the table: a Chinese title the English lacks
    table = document.add_table(rows=0, cols=2)
    for zh, en in zip(page.zh[1:], page.en, strict=True):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = en.text, zh.text  # English left, Chinese right: found by script
    document.save(tmp_path / "table.docx")
    source = load(tmp_path / "table.docx")
    assert source.sections == [(1, 0)] + [(1, 1)] * 15
    alignment = process(tmp_path / "table.docx")
    assert links(alignment) == EXPECTED_NORM
    assert alignment.settings["sections"] == 16


def test_the_web_upload_reads_the_same_word_file(tmp_path):
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = _docx(tmp_path / "page.docx", lines).read_bytes()
    assert links(process_bytes(data, "page.docx")) == EXPECTED_NORM


def test_a_word_file_in_one_language_is_refused(tmp_path, page):
    path = _docx(tmp_path / "zh.docx", page.zh)
    with pytest.raises(InputError, match=r"^found only Chinese text in .*zh\.docx: give a file that holds both"):
        load(path)


def test_an_empty_word_file_is_refused(tmp_path):
    path = _docx(tmp_path / "empty.docx", [])
    with pytest.raises(InputError, match=r"empty\.docx has no text: give a Word file with Chinese and English text"):
        load(path)


def test_a_damaged_word_file_is_refused(tmp_path):
    good = _docx(tmp_path / "good.docx", ["你好。", "Hello."]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match=r"cut\.docx is a damaged zip file \(.*\): open it in its application and save it again"):
        load(path)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 10_000
    with pytest.raises(InputError, match=r"bomb\.docx unpacks to 3 MB, over the 1 MB limit"):
        load_bytes(path.read_bytes(), name="bomb.docx", max_bytes=1024 * 1024)


# --------------------------------------------------------------------------------------------- EPUB

def _epub(path: Path, lang: str, chapters: list[list[Paragraph]], *, cover: bool = True) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(f"readout-{lang}")
    book.set_title("readout")
    book.set_language(lang)
    items = []
    if cover:  # a cover page and the navigation document: not chapters
        page = epub.EpubHtml(title="cover", file_name="cover.xhtml", lang=lang)
        page.content = "<html><body><p>COVER</p></body></html>"
        book.add_item(page)
        items.append(page)
    for number, paragraphs in enumerate(chapters, 1):
        chapter = epub.EpubHtml(title=str(number), file_name=f"c{number}.xhtml", lang=lang)
        chapter.content = "<html><body>" + "".join(
            f"<h1>{escape(p.text)}</h1>" if p.kind in ("title", "heading") else f"<p>{escape(p.text)}</p>"
            for p in paragraphs) + "</body></html>"
        book.add_item(chapter)
        items.append(chapter)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path


def test_two_epub_editions_pair_their_chapters_and_align_like_the_page(tmp_path, page):
    # Three chapters a side, cut where the page's paragraphs correspond (zh has the extra title first).
    zh = _epub(tmp_path / "zh.epub", "zh", [page.zh[:7], page.zh[7:11], page.zh[11:]])
    en = _epub(tmp_path / "en.epub", "en", [page.en[:6], page.en[6:10], page.en[10:]])
    source = load_pair(zh, en)
    assert source.sections == [(7, 6), (4, 4), (5, 5)]
    assert "COVER" not in [p.text for p in source.zh]
    assert links(process_pair(zh, en)) == EXPECTED_NORM


def test_a_chapter_one_edition_lacks_stays_unpaired(tmp_path, page):
    zh = _epub(tmp_path / "zh.epub", "zh", [page.zh[:7], page.zh[7:11], page.zh[11:]])
    en = _epub(tmp_path / "en.epub", "en", [page.en[:6], page.en[10:]])  # the middle chapter is missing
    source = load_pair(zh, en)
    assert source.sections == [(7, 6), (4, 0), (5, 5)]
    alignment = process_pair(zh, en, config=_fast())
    middle = [b for b in alignment.beads if b.zh and 7 <= alignment.document.zh[b.zh[0]].paragraph < 11]
    assert middle and all(b.type == "1-0" for b in middle)


def test_a_damaged_or_empty_epub_is_refused(tmp_path, page):
    good = _epub(tmp_path / "good.epub", "zh", [page.zh]).read_bytes()
    (tmp_path / "cut.epub").write_bytes(good[:200])
    with pytest.raises(InputError, match=r"cut\.epub is a damaged zip file"):
        load_pair(tmp_path / "cut.epub", tmp_path / "good.epub")
    empty = _epub(tmp_path / "empty.epub", "zh", [[Paragraph(" ")]], cover=False)
    with pytest.raises(InputError, match=r"empty\.epub has no text in its chapters"):
        load_pair(empty, tmp_path / "good.epub")


def _fast():
    from duizhao.align import AlignConfig

    return AlignConfig(fast=True)


# ---------------------------------------------------------------------------------------------- PDF

def _pdf(path: Path, paragraphs: list[str], lang: str, header: str) -> Path:
    """A multi-page A5 PDF with a running header and a page number on every page (reportlab; the
    Chinese in Adobe's STSong-Light, as Chinese office PDFs often are)."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if lang == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        font = "STSong-Light"
    pdf = canvas.Canvas(str(path), pagesize=A5)
    width, height = A5
    number, y = 1, height - 60

    def furniture() -> None:
        pdf.setFont(font, 8)
        pdf.drawString(40, height - 30, header)
        pdf.drawCentredString(width / 2, 25, str(number))
        pdf.setFont(font, 10)

    furniture()
    for text in paragraphs:
        lines = [text[k:k + 28] for k in range(0, len(text), 28)] if lang == "zh" else simpleSplit(text, font, 10, width - 80)
        for line in lines:
            if y < 50:
                pdf.showPage()
                number, y = number + 1, height - 60
                furniture()
            pdf.drawString(40, y, line)
            y -= 14
        y -= 8
    pdf.save()
    return path


def test_two_pdfs_lose_headers_and_page_numbers_and_align_like_the_page(tmp_path, page):
    zh = _pdf(tmp_path / "zh.pdf", [p.text for p in page.zh], "zh", "美国驻华大使馆网")
    en = _pdf(tmp_path / "en.pdf", [p.text for p in page.en], "en", "U.S. Department of State")
    source = load_pair(zh, en)
    # Wrapped lines joined (Chinese with nothing between), paragraphs and page breaks as on the page.
    assert [p.text for p in source.zh] == [p.text for p in page.zh]
    assert [_norm(p.text) for p in source.en] == [_norm(p.text) for p in page.en]
    assert not any("美国驻华大使馆网" in p.text or p.text.isdigit() for p in source.zh)
    assert links(process_pair(zh, en)) == EXPECTED_NORM


def test_a_pdf_without_text_or_with_a_password_is_refused(tmp_path, page):
    from pypdf import PdfWriter

    blank = PdfWriter()
    blank.add_blank_page(width=420, height=595)
    blank.write(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"scan\.pdf has no text layer \(a scanned document\?\): run OCR on it first"):
        load(tmp_path / "scan.pdf")

    source = _pdf(tmp_path / "en.pdf", [p.text for p in page.en], "en", "U.S. Department of State")
    locked = PdfWriter(clone_from=str(source))
    locked.encrypt(user_password="secret", algorithm="RC4-128")
    locked.write(tmp_path / "locked.pdf")
    with pytest.raises(InputError, match=r"locked\.pdf is encrypted with a password: save a copy without the password"):
        load_pair(tmp_path / "locked.pdf", tmp_path / "en.pdf")

    restricted = PdfWriter(clone_from=str(source))  # AES, an owner password only: opens without one
    restricted.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    restricted.write(tmp_path / "restricted.pdf")
    zh = _pdf(tmp_path / "zh.pdf", [p.text for p in page.zh], "zh", "美国驻华大使馆网")
    assert [_norm(p.text) for p in load_pair(zh, tmp_path / "restricted.pdf").en] == [_norm(p.text) for p in page.en]

    (tmp_path / "cut.pdf").write_bytes(source.read_bytes()[:300])
    with pytest.raises(InputError, match=r"cut\.pdf (is a damaged PDF|has no text layer)"):
        load(tmp_path / "cut.pdf")


# ------------------------------------------------------------------------------------------ subtitles

def _srt(links_: list[tuple[list[str], list[str]]], lang: int) -> str:
    import srt

    cues = []
    for number, link in enumerate(links_):
        for part, sentence in enumerate(link[lang]):
            start = timedelta(seconds=number * 4 + part * 1.5)
            cues.append(srt.Subtitle(len(cues) + 1, start, start + timedelta(seconds=1.25), f"<i>{sentence}</i>"))
    return srt.compose(cues)


def test_two_subtitle_files_align_cue_by_cue_with_their_times(tmp_path, page_sentences):
    # One cue per sentence, without the page's first link (a Chinese-only title that, without the page's
    # layout, reads as a second title; tests/test_end_to_end.py leaves it out of its pair test for that reason).
    cues = page_sentences[1:]
    (tmp_path / "zh.srt").write_text(_srt(cues, 0), encoding="utf-8")
    (tmp_path / "en.srt").write_text(_srt(cues, 1), encoding="utf-8")
    assert "00:00:04,000 --> 00:00:05,250\n<i>" in (tmp_path / "en.srt").read_text(encoding="utf-8")
    alignment = process_pair(tmp_path / "zh.srt", tmp_path / "en.srt")
    assert links(alignment) == EXPECTED_NORM[1:]  # no cue numbers, no timestamps, no <i> in the text
    # Link k spans its cues: they start at 4k s, 1.5 s apart, and each is shown for 1.25 s.
    for number, bead in enumerate(alignment.beads):
        assert alignment.times(bead) == {
            lang: (number * 4.0, number * 4 + 1.5 * (len(getattr(bead, lang)) - 1) + 1.25) for lang in ("zh", "en")}


def test_webvtt_and_a_bilingual_subtitle_file(tmp_path, page_sentences):
    first = page_sentences[1:5]  # 1-1 links
    vtt = "WEBVTT\n\n" + "".join(
        f"{k}\n00:00:{k * 4:02d}.500 --> 00:00:{k * 4 + 3:02d}.000 align:start\n<v Speaker>{zh[0]}\n{en[0]}\n\n"
        for k, (zh, en) in enumerate(first))
    (tmp_path / "both.vtt").write_text(vtt, encoding="utf-8")
    alignment = process(tmp_path / "both.vtt")
    assert links(alignment) == [{"zh": zh, "en": [_norm(e) for e in en]} for zh, en in first]
    assert [alignment.times(b) for b in alignment.beads] == [
        {"zh": (k * 4 + 0.5, k * 4 + 3.0), "en": (k * 4 + 0.5, k * 4 + 3.0)} for k in range(4)]


def test_a_subtitle_file_in_one_language_or_broken_is_refused(tmp_path, page_sentences):
    (tmp_path / "zh.srt").write_text(_srt(page_sentences[:3], 0), encoding="utf-8")
    with pytest.raises(InputError, match=r"^found only Chinese subtitles in .*zh\.srt: give a file whose cues hold both"):
        load(tmp_path / "zh.srt")
    (tmp_path / "bad.srt").write_text("1\n00:00:01,000 --> nonsense\nHello.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.srt is not a valid SubRip file"):
        load(tmp_path / "bad.srt")


# ------------------------------------------------------------------------------------------ XLIFF, PO

def test_an_xliff_file_is_realigned_inside_its_units(tmp_path, page):
    units = "".join(
        f'<trans-unit id="{k}"><source>{escape(en.text)}</source><target>{escape(zh.text)}</target></trans-unit>'
        for k, (zh, en) in enumerate(zip(page.zh[1:], page.en, strict=True)))
    xliff = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
             '<file original="readout" source-language="en" target-language="zh-CN" datatype="plaintext"><body>'
             f'<trans-unit id="t"><source></source><target>{escape(page.zh[0].text)}</target></trans-unit>'
             f"{units}</body></file></xliff>")
    (tmp_path / "readout.xlf").write_text(xliff, encoding="utf-8")
    source = load(tmp_path / "readout.xlf")
    assert source.sections == [(1, 0)] + [(1, 1)] * 15
    assert links(process(tmp_path / "readout.xlf")) == EXPECTED_NORM


def test_a_po_file_is_read_and_its_header_left_out(tmp_path, page_sentences):
    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    entries = "".join(f"msgid {quoted(' '.join(en))}\nmsgstr {quoted(''.join(zh))}\n\n" for zh, en in page_sentences[1:4])
    po = 'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries
    (tmp_path / "readout.po").write_text(po, encoding="utf-8")
    alignment = process(tmp_path / "readout.po")
    assert links(alignment) == [{"zh": zh, "en": [_norm(e) for e in en]} for zh, en in page_sentences[1:4]]


def test_a_cat_file_with_no_translations_is_refused(tmp_path):
    po = 'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n\nmsgid "双方重申致力于保持开放的沟通渠道。"\nmsgstr ""\n'
    (tmp_path / "untranslated.po").write_text(po, encoding="utf-8")
    with pytest.raises(InputError, match=r"found no English text in .*untranslated\.po \(no unit has an English translation\)"):
        load(tmp_path / "untranslated.po")


# ------------------------------------------------------------------------------------ unsupported types

@pytest.mark.parametrize(("name", "data", "what"), [
    ("sheet.xlsx", "zip:xl/workbook.xml", "an Excel workbook (.xlsx), which duizhao does not read: give one of "),
    ("notes.odt", "zip-odt", "an OpenDocument file (.odt/.ods), which duizhao does not read: give one of "),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a PNG image, which duizhao does not read: give one of "),
    ("pages.zip", "zip:a.txt", "a zip archive, which duizhao does not read: give one of "),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
     ("an old Office file (.doc/.xls) or a password-protected Office file, which duizhao does not read: "
      "remove any password and save it as .docx, or give one of ")),
    ("book.tar.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "a gzip archive, which duizhao does not read: give one of "),
])
def test_an_unsupported_type_is_named_with_the_supported_ones(tmp_path, name, data, what):
    path = tmp_path / name
    if data == "zip-odt":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    elif isinstance(data, str):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(data.removeprefix("zip:"), "x")
    else:
        path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load(path)
    assert str(caught.value) == f"{path} is {what}{SUPPORTED}"


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_the_cli_reads_a_word_file_and_refuses_a_workbook_in_one_line(tmp_path):
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    _docx(tmp_path / "page.docx", lines)
    with zipfile.ZipFile(tmp_path / "sheet.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    run = [sys.executable, "-m", "duizhao.cli"] if (ROOT / "src" / "duizhao" / "__main__.py").exists() else \
        [sys.executable, "-c", "from duizhao.cli import main; main()"]
    good = subprocess.run([*run, "align", "--fast", "-f", "jsonl", str(tmp_path / "page.docx")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stderr
    assert len(good.stdout.splitlines()) == len(EXPECTED)
    bad = subprocess.run([*run, "align", str(tmp_path / "sheet.xlsx")], check=False, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == f"Error: {tmp_path / 'sheet.xlsx'} is an Excel workbook (.xlsx), which duizhao does not read: give one of {SUPPORTED}\n"


def test_a_text_file_named_docx_is_still_text(tmp_path):
    """Content decides first: a plain-text page saved as .docx is read as text."""
    path = tmp_path / "page.docx"
    path.write_bytes(PAGE.read_bytes())
    assert [p.text for p in load(path).zh] == [p.text for p in load(PAGE).zh]


def test_sniffing_reads_no_more_than_the_head(tmp_path):
    from duizhao.ingest.types import sniff

    assert sniff(b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", "x.txt", max_bytes=1000) == "vtt"
    assert sniff(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "x", max_bytes=1000) == "srt"
    assert sniff(b'msgid ""\nmsgstr ""\n', "-", max_bytes=1000) == "po"
    assert sniff(io.BytesIO(b"%PDF-1.7\n").read(), "x.txt", max_bytes=1000) == "pdf"
    assert sniff("你好。Hello.".encode(), "notes.srt", max_bytes=1000) == "srt"  # the extension second


def test_jsonl_carries_the_cue_times_of_each_link(tmp_path, page_sentences):
    from duizhao import formats

    (tmp_path / "zh.srt").write_text(_srt(page_sentences[1:4], 0), encoding="utf-8")
    (tmp_path / "en.srt").write_text(_srt(page_sentences[1:4], 1), encoding="utf-8")
    alignment = process_pair(tmp_path / "zh.srt", tmp_path / "en.srt")
    formats.get("jsonl").write(alignment, tmp_path / "out.jsonl")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["time"] for r in records] == [{"zh": [k * 4.0, k * 4 + 1.25], "en": [k * 4.0, k * 4 + 1.25]} for k in range(3)]


def test_the_web_app_takes_a_word_upload_and_refuses_a_workbook(tmp_path):
    from starlette.testclient import TestClient

    from duizhao.store import Store
    from duizhao.web.app import create_app

    Store(tmp_path / "corpus.db").close()
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = _docx(tmp_path / "page.docx", lines).read_bytes()
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with TestClient(create_app(tmp_path / "corpus.db"), raise_server_exceptions=False) as client:
        answer = client.post("/upload", files={"file": ("page.docx", data, docx_type)}, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, "/doc/1")
        refused = client.post("/upload", files={"file": ("sheet.xlsx", sheet.getvalue(), "application/octet-stream")})
        assert refused.status_code == 400
        assert "sheet.xlsx is an Excel workbook (.xlsx), which duizhao does not read" in refused.text
    with Store(tmp_path / "corpus.db", create=False) as store:
        assert len(store._links(1)) == len(EXPECTED)


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_batch_reads_a_folder_of_documents_and_names_what_it_cannot(tmp_path, page):
    from duizhao.scale import run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    _docx(folder / "page.docx", lines)
    (folder / "both.srt").write_text("1\n00:00:01,000 --> 00:00:02,500\n双方重申致力于保持开放的沟通渠道。\n"
                                     "Both sides reiterated their commitment to open lines of communication.\n",
                                     encoding="utf-8")
    with zipfile.ZipFile(folder / "sheet.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    summary = run_batch([folder], tmp_path / "out", fast=True, workers=1, fmt="jsonl")
    assert (summary.ok, summary.failed) == (2, 1)
    [error] = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert error["reason"] == (f"{folder / 'sheet.xlsx'} is an Excel workbook (.xlsx), which duizhao does not read: "
                               f"give one of {SUPPORTED}")


def test_one_epub_holding_both_languages_splits_like_the_page(tmp_path, page):
    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = _epub(tmp_path / "both.epub", "zh", [[Paragraph(line) for line in lines]])
    source = load(path)
    assert [p.text for p in source.zh] == [p.text for p in page.zh]
    assert [p.text for p in source.en] == [p.text for p in page.en]


def test_a_zip_whose_header_understates_its_size_is_refused_as_damaged(tmp_path):
    """A bomb that lies about its unpacked size: zipfile stops at the stated size and the checksum fails."""
    import struct

    good = zipfile.ZipFile(_docx(tmp_path / "good.docx", ["你好。", "Hello."]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in good.namelist():
            archive.writestr(member, b"0" * (4 * 1024 * 1024) if member == "word/document.xml" else good.read(member))
    lying = buffer.getvalue().replace(struct.pack("<I", 4 * 1024 * 1024), struct.pack("<I", 1000))
    (tmp_path / "liar.docx").write_bytes(lying)
    with pytest.raises(InputError, match=r"liar\.docx is a damaged Word document \(BadZipFile\)"):
        load(tmp_path / "liar.docx")


def test_a_real_three_column_government_pdf_is_read_column_by_column():
    """Federal Register pages (public domain; tests/data/documents/README.md): the columns are read one
    after the other, justified lines joined, the running header and the production footer removed."""
    from duizhao.ingest.pdf import paragraphs_of

    data = (ROOT / "tests" / "data" / "documents" / "federal-register-2020-17221-p2-4.pdf").read_bytes()
    paragraphs = paragraphs_of(data, "federal-register.pdf")
    assert paragraphs[0] == (
        "Hatta International Airport in Jakarta, Indonesia, resulting in 189 fatalities. Investigation of the "
        "accident has been completed by the Indonesian authorities (Komite Nasional Keselamatan Transportasi "
        "(KNKT)) with assistance from the National Transportation Safety Board (NTSB) and the FAA of the United "
        "States, the manufacturer, and the operator. Reports 1 from the accident investigation indicate that the "
        "airplane’s flight control system 2 generated repeated airplane nose-down horizontal stabilizer trim 3 "
        "commands contributing to the accident.")
    assert paragraphs[1].startswith("Following the Lion Air Flight 610 accident on October 29, 2018, data from")
    assert not [p for p in paragraphs if "VerDate" in p or p in ("47699", "47700", "47701")]
    assert sum(p.startswith(("Federal Register/Vol.", "47700")) for p in paragraphs) == 0


def test_a_real_chinese_law_pdf_keeps_its_articles_whole(tmp_path, page):
    """Pages 7–10 of the PRC Civil Code (not subject to copyright; tests/data/documents/README.md), as
    published: each paragraph indented, its last line often full, loose line spacing on the first page,
    a page number "—８ —" at every foot. Every article is one paragraph, nothing broken mid-sentence.
    (No English counterpart is at hand: the English side is the example page's, only to open the pair.)"""
    path = ROOT / "tests" / "data" / "documents" / "prc-civil-code-2020-p7-10.pdf"
    en = tmp_path / "en.txt"
    en.write_text("\n\n".join(p.text for p in page.en), encoding="utf-8")
    paragraphs = [p.text for p in load_pair(path, en).zh]
    assert paragraphs[:6] == [
        "第一编\u3000总\u3000\u3000则",
        "第一章\u3000基  本  规  定",
        "第一条\u3000为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，适应中国特色社会主义发展要求，"
        "弘扬社会主义核心价值观，根据宪法，制定本法。",
        "第二条\u3000民法调整平等主体的自然人、法人和非法人组织之间的人身关系和财产关系。",
        "第三条\u3000民事主体的人身权利、财产权利以及其他合法权益受法律保护，任何组织或者个人不得侵犯。",
        "第四条\u3000民事主体在民事活动中的法律地位一律平等。",
    ]
    # A full last line that ends a sentence, then an indented article: two paragraphs, not one.
    assert "第八条\u3000民事主体从事民事活动，不得违反法律，不得违背公序良俗。" in paragraphs
    assert "第二十六条\u3000父母对未成年子女负有抚养、教育和保护的义务。" in paragraphs
    assert "成年子女对父母负有赡养、扶助和保护的义务。" in paragraphs
    # 5 headings, Articles 1–32, and 16 further paragraphs and items of theirs.
    assert len(paragraphs) == 53
    articles = [p.split("\u3000")[0] for p in paragraphs if regex.match(r"第[一二三四五六七八九十]+条\u3000", p)]
    assert len(articles) == 32 and articles[-1] == "第三十二条"
    assert paragraphs[-1].endswith("也可以由具备履行监护职责条件的被监护人住所地的居民委员会、村民委员会担任。")
    assert all(regex.search(r"[。：；]$", p) for p in paragraphs if p.startswith(("第", "（")) and "条" in p[:6])
    assert not [p for p in paragraphs if "—" in p or regex.search(r"[０-９]", p)]  # the page numbers are gone
