"""The reading outputs (html, docx, epub), the alignment map (png, svg), `duizhao export`, and the
interop and naming fixes of issue 15.

Real data: the example page aligned by duizhao (checked against tests/data/readout_expected.json, the
hand-checked links), the hand-built alignment of test_formats (sentences copied from the page), and the
store of test_store (sentences of the page, aligned by hand).
"""
from __future__ import annotations

import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from duizhao import formats
from duizhao.cli import run
from duizhao.errors import ConfigError
from duizhao.export import NothingToExportError, Selection, export
from duizhao.model import Metadata
from duizhao.store import Store, content_hash
from test_formats import readout_alignment
from test_store import sample_alignment

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "readout.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]
OMISSION_NOTE = "⚑ omission: 布林肯国务卿与中共中央外办主任兼外长王毅举行会晤 ↔ —"  # the flag's evidence
EXPECTED_PAIRS = [("".join(link["zh"]), " ".join(link["en"])) for link in EXPECTED]


@pytest.fixture(scope="module")
def readout():
    """The example page as duizhao aligns it (the embedding cache makes this a second or two)."""
    from duizhao import pipeline

    alignment = pipeline.process(EXAMPLE)
    assert alignment.pairs() == EXPECTED_PAIRS
    return alignment


# ─── HTML ────────────────────────────────────────────────────────────────────────────────────────

class _Rows(HTMLParser):
    """The .pair rows of a page: (classes, zh text, en text, note)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.where: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag in ("link", "script", "img") or (tag == "style" and values.get("src")):
            self.external.append(tag)
        if "pair" in classes:
            self.rows.append({"classes": classes, "zh": "", "en": "", "note": ""})
        elif self.rows and tag in ("p", "h2") and classes and classes[0] in ("zh", "en", "note"):
            self.where = classes[0]

    def handle_endtag(self, tag):
        if tag in ("p", "h2"):
            self.where = None

    def handle_data(self, data):
        if self.where:
            self.rows[-1][self.where] += data


def test_html_has_one_row_per_link_with_headings_flags_and_metadata(readout, tmp_path):
    [path] = formats.write(readout, ["html"], tmp_path / "readout.html")
    text = path.read_text(encoding="utf-8")
    parser = _Rows()
    parser.feed(text)
    shown = [(r["zh"] if r["zh"] != "—" or "empty" not in r["classes"] else "",
              r["en"] if r["en"] != "—" else "") for r in parser.rows]
    assert shown == EXPECTED_PAIRS
    assert parser.external == []  # standalone: no stylesheet, script or image to fetch
    headings = [n for n, r in enumerate(parser.rows, 1) if "heading" in r["classes"]]
    assert headings == [1, 2, 3, 4]  # the two titles, 简报 | READOUT, 发言人办公室 | OFFICE OF THE SPOKESPERSON
    flagged = [(n, r["note"]) for n, r in enumerate(parser.rows, 1) if "flagged" in r["classes"]]
    assert flagged == [(1, OMISSION_NOTE)]
    assert "<dt>date</dt><dd>2023-10-27</dd>" in text
    assert '<a href="https://www.state.gov/secretary-blinkens-meeting-with-peoples-republic-of-china-director' in text
    assert "break-inside: avoid" in text and 'class="legend"' in text


def test_html_marks_low_confidence_and_escapes_the_text(tmp_path):
    alignment = readout_alignment()
    alignment.document.zh[2] = type(alignment.document.zh[2])("<b>简报</b> & <script>", 2)
    [path] = formats.write(alignment, ["html"], tmp_path / "x.html")
    parser = _Rows()
    parser.feed(path.read_text(encoding="utf-8"))
    assert [("low" in r["classes"], "flagged" in r["classes"]) for r in parser.rows] == [
        (True, False), (False, False), (False, False), (True, False), (False, True), (False, False), (False, False)]
    assert parser.rows[2]["zh"] == "<b>简报</b> & <script>"  # text, not markup
    assert parser.rows[0]["note"] == "low confidence 0.12"
    assert parser.rows[4]["note"] == "⚑ date: 10月27日 ↔ —"
    assert "<script>" not in path.read_text(encoding="utf-8")


# ─── DOCX and EPUB, read back with their own libraries ──────────────────────────────────────────

def test_docx_is_a_two_column_table_of_the_links(readout, tmp_path):
    import docx

    [path] = formats.write(readout, ["docx"], tmp_path / "readout.docx")
    word = docx.Document(str(path))
    [table] = word.tables
    cells = [[cell.paragraphs[0].text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["中文", "English"]
    assert [tuple(row) for row in cells[1:]] == EXPECTED_PAIRS
    notes = [(n, row.cells[1].paragraphs[1].text) for n, row in enumerate(table.rows[1:], 1)
             if len(row.cells[1].paragraphs) > 1]
    assert notes == [(1, OMISSION_NOTE)]
    assert [p.text for p in word.paragraphs[:4]] == [
        "布林肯国务卿与中华人民共和国中共中央外事工作委员会办公室主任兼外交部长王毅举行会晤",
        ("Secretary Blinken’s Meeting with People’s Republic of China Director of the Chinese Communist Party "
         "(CCP) Central Foreign Affairs Commission and Foreign Minister Wang Yi"),
        "date: 2023-10-27",
        ("source: https://www.state.gov/secretary-blinkens-meeting-with-peoples-republic-of-china-director-of-"
         "the-chinese-communist-party-ccp-central-foreign-affairs-commission-and-foreign-minister-wang-yi-2/"),
    ]
    # rows never break across pages; the header row repeats
    assert all(row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for row in table.rows)
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None


def test_epub_reads_paragraph_by_paragraph(readout, tmp_path):
    import ebooklib
    from ebooklib import epub
    from lxml import html as lxml_html

    [path] = formats.write(readout, ["epub"], tmp_path / "readout.epub")
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
    book = epub.read_epub(str(path))
    assert book.get_metadata("DC", "title")[0][0] == "布林肯国务卿与中华人民共和国中共中央外事工作委员会办公室主任兼外交部长王毅举行会晤"
    assert any(isinstance(item, epub.EpubNav) or item.get_name().endswith("nav.xhtml")
               for item in book.get_items_of_type(ebooklib.ITEM_NAVIGATION)) or book.get_item_with_href("nav.xhtml")
    [chapter] = [item for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT) if item.get_name() == "doc0001.xhtml"]
    tree = lxml_html.fromstring(chapter.get_content())
    blocks = [(el.tag, el.get("class"), el.text_content()) for el in tree.iter("p", "h2") if el.get("class") != "facts"]
    # the page's paragraphs (links per paragraph, as on the page): the four heading links one by one, then
    # each paragraph in Chinese, then in English
    sizes = [1, 1, 1, 1, 1, 1, 1, 4, 1, 2, 2, 4, 4, 2, 1, 1]
    want, start = [], 0
    for number, size in enumerate(sizes):
        group = EXPECTED_PAIRS[start:start + size]
        start += size
        tag = "h2" if number < 4 else "p"
        want.append((tag, "zh", "".join(zh for zh, _ in group)))
        if any(en for _, en in group):
            want.append((tag, "en", " ".join(en for _, en in group if en)))
    assert start == len(EXPECTED_PAIRS) == 28
    assert blocks == want


# ─── the alignment map ───────────────────────────────────────────────────────────────────────────

def test_the_map_draws_each_link_where_it_is_in_the_grid(tmp_path):
    import numpy as np
    from matplotlib import colormaps

    from duizhao.formats.alignmap import COLOURMAP, draw, link_boxes

    alignment = readout_alignment()  # 1-0, 1-1, 1-1, 0-1, 1-1 (flagged), 2-1, 1-1
    figure = draw(alignment, inches=6, dpi=100)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].astype(int)
    height = pixels.shape[0]
    axes = figure.axes[0]

    def pixel(x: float, y: float) -> np.ndarray:
        px, py = axes.transData.transform((x, y))
        return pixels[round(height - py), round(px)]

    boxes = link_boxes(alignment)
    assert boxes == [(-0.25, 0.0, 0.5, 1.0), (0.0, 1.0, 1.0, 1.0), (1.0, 2.0, 1.0, 1.0), (2.0, 2.75, 1.0, 0.5),
                     (3.0, 3.0, 1.0, 1.0), (4.0, 4.0, 1.0, 2.0), (5.0, 6.0, 1.0, 1.0)]
    colours = colormaps[COLOURMAP]
    for bead, (x0, y0, width, h) in zip(alignment.beads, boxes, strict=True):
        want = (np.array(colours(bead.score)[:3]) * 255).round().astype(int)
        # a quarter of the way in from a corner: inside the box, clear of the flag's cross at its centre
        got = pixel(x0 + width / 4, y0 + h / 4)
        assert np.abs(got - want).max() <= 3, (bead, got, want)
    white = np.array([255, 255, 255])
    for x, y in ((5.5, 0.5), (0.5, 6.5), (4.5, 1.5), (1.5, 5.5)):  # cells far from the path
        assert (pixel(x, y) == white).all(), (x, y)
    px, py = axes.transData.transform((3.5, 3.5))  # the flagged link: its cross is drawn in the flag colour
    row, column = round(height - py), round(px)
    centre = pixels[row - 2:row + 3, column - 2:column + 3]
    assert any(abs(c - np.array([0x8E, 0x24, 0xAA])).max() <= 40 for c in centre.reshape(-1, 3))


def test_png_and_svg_maps_are_written(tmp_path):
    written = formats.write(readout_alignment(), ["png", "svg"], tmp_path)
    assert [p.name for p in written] == ["readout.png", "readout.svg"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = written[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


# ─── naming fixes ────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("path", "stem"), [
    ("chapter.zh.txt + chapter.en.txt", "chapter"),
    ("pair/book_zh.txt + pair/book_en.txt", "book"),
    ("a/chapter.zh.txt + b/chapter.en.tsv", "chapter"),
    ("chapter1.zh.txt + chapter2.en.txt", "chapter1.zh"),  # nothing whole in common: the Chinese file's stem
    ("中文.txt + english.txt", "中文"),
    ("readout.txt", "readout"),
])
def test_two_files_give_their_common_stem(path, stem):
    alignment = readout_alignment()
    alignment.document.meta.path = path
    assert formats.output_stem(alignment) == stem


@pytest.mark.parametrize("name", ["pairs.csv", "out.xlsx", "readout.txt"])
def test_an_unknown_output_extension_is_refused_with_the_formats(tmp_path, capsys, name):
    assert run(["align", str(EXAMPLE), "--fast", "-o", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    suffix = name.rsplit(".", 1)[1]
    assert err == (f"Error: {tmp_path / name}: no format writes .{suffix} files; name the file after one of "
                   "docx, epub, html, intertext, jsonl, moses, parquet, png, svg, tmx, tsv, vecalign, or give "
                   "--format\n")
    assert list(tmp_path.iterdir()) == []


# ─── export from the store ───────────────────────────────────────────────────────────────────────

@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two documents from the example page's sentences (test_store's hand alignment, 7 links each,
    scores 0.50 … 0.80, link 6 flagged `number`); in the first only link 3 is reviewed, the second is
    marked reviewed whole."""
    path = tmp_path / "corpus.db"
    second = sample_alignment()
    second.document.meta = Metadata(**{**second.document.meta.as_dict(), "path": "examples/readout2.txt"})
    with Store(path) as store:
        store.add(sample_alignment(), content_hash(b"readout"))
        store.add(second, content_hash(b"readout2"))
        store.mark_reviewed(1, 2)
        store.mark_reviewed(2)
    return path


def exported(path: Path) -> list[tuple[str, list[int], list[int]]]:
    return [(r["doc"]["path"], r["zh_ids"], r["en_ids"])
            for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


ONE, TWO = "examples/readout.txt", "examples/readout2.txt"
ALL_LINKS = [([0], [0]), ([], [1]), ([1], [2]), ([2], [3]), ([3], [4]), ([4], [5]), ([5, 6], [6])]


@pytest.mark.parametrize(("selection", "want"), [
    (Selection(), [(ONE, *link) for link in ALL_LINKS] + [(TWO, *link) for link in ALL_LINKS]),
    (Selection(reviewed_only=True), [(ONE, [1], [2])] + [(TWO, *link) for link in ALL_LINKS]),
    (Selection(min_score=0.7), [(d, *link) for d in (ONE, TWO) for link in ALL_LINKS[4:]]),
    (Selection(exclude_flags=["number"]), [(d, *link) for d in (ONE, TWO) for link in ALL_LINKS if link != ([4], [5])]),
    (Selection(documents=[2], min_score=0.7, exclude_flags=["NUMBER"]), [(TWO, [3], [4]), (TWO, [5, 6], [6])]),
    (Selection(reviewed_only=True, documents=[1]), [(ONE, [1], [2])]),
    (Selection(containing="芬太尼"), [(ONE, [2], [3]), (TWO, [2], [3])]),  # the fentanyl sentence, in either document
    (Selection(containing="Second Thomas Shoal", documents=[2]), [(TWO, [4], [5])]),
])
def test_export_selects_exactly_the_links_asked_for(corpus, tmp_path, selection, want):
    [path] = export(corpus, ["jsonl"], tmp_path / "out.jsonl", selection)
    assert exported(path) == want


def test_export_from_the_command_line_one_file_per_document_in_several_formats(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["export", "--db", str(corpus), "-f", "jsonl,tmx,html", "-o", str(out), "--per-document",
                "--min-score", "0.75"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "1-readout.html", "1-readout.jsonl", "1-readout.tmx", "2-readout2.html", "2-readout2.jsonl", "2-readout2.tmx"]
    assert exported(out / "2-readout2.jsonl") == [(TWO, [4], [5]), (TWO, [5, 6], [6])]
    assert run(["export", "--db", str(corpus), "-o", str(tmp_path / "all.tmx"), "--reviewed-only"]) == 0
    units = (tmp_path / "all.tmx").read_text(encoding="utf-8").count("<tu ")
    assert units == 1 + 6  # doc 1's reviewed link; doc 2's seven links less its 0-1 (TMX holds no one-sided unit)


@pytest.mark.parametrize(("args", "message"), [
    (["--db", "{tmp}/missing.db", "-o", "{tmp}/x.tmx"],
     "Error: no corpus at {tmp}/missing.db: create one with `duizhao add FILE --db {tmp}/missing.db`\n"),
    (["--db", "{db}", "-o", "{tmp}/x.tmx", "--min-score", "0.95"],
     ("Error: no link in {db} is score ≥ 0.95: relax the selection (review links in `duizhao serve`, "
      "lower --min-score, drop --exclude-flag)\n")),
    (["--db", "{db}", "-o", "{tmp}/x.tmx", "--doc", "9"],
     "Error: no document 9 in {db}: `duizhao serve` lists the documents\n"),
    (["--db", "{db}", "-o", "{tmp}/x.csv"],
     ("Error: {tmp}/x.csv: no format writes .csv files; name the file after one of docx, epub, html, intertext, "
      "jsonl, moses, parquet, png, svg, tmx, tsv, vecalign, or give --format\n")),
    (["--db", "{db}", "-o", "{tmp}/map.png"],
     ("Error: the png map draws one document's grid, and 2 documents match: add --per-document, or choose one "
      "with --doc ID\n")),
    (["--db", "{db}", "-o", "{tmp}/x.tmx", "--min-score", "2"], "Error: --min-score must be between 0 and 1, got 2\n"),
])
def test_export_mistakes_are_one_line_exit_2_and_write_nothing(corpus, tmp_path, capsys, args, message):
    out = tmp_path / "o"
    out.mkdir()
    fill = {"tmp": str(out), "db": str(corpus)}
    assert run(["export", *(a.format(**fill) for a in args)]) == 2
    assert capsys.readouterr().err == message.format(**fill)
    assert list(out.iterdir()) == []


def test_export_of_one_document_draws_its_map(corpus, tmp_path):
    [path] = export(corpus, ["png"], tmp_path / "map.png", Selection(documents=[1]))
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_corpus_html_docx_epub_hold_every_document(corpus, tmp_path):
    import docx

    written = export(corpus, ["html", "docx", "epub"], tmp_path, Selection(min_score=0.75))
    assert [p.name for p in written] == ["corpus.html", "corpus.docx", "corpus.epub"]
    assert written[0].read_text(encoding="utf-8").count('<section class="document">') == 2
    tables = docx.Document(str(written[1])).tables
    assert [len(t.rows) for t in tables] == [3, 3]  # header + links 6 and 7 of each document
    with zipfile.ZipFile(written[2]) as archive:
        assert {"EPUB/doc0001.xhtml", "EPUB/doc0002.xhtml"} <= set(archive.namelist())


def test_export_unknown_format_is_refused_before_reading(corpus, tmp_path):
    with pytest.raises(Exception, match="unknown format 'xlsx'"):
        export(corpus, ["xlsx"], tmp_path / "x", Selection())
    with pytest.raises(NothingToExportError):
        export(corpus, ["jsonl"], tmp_path / "x.jsonl", Selection(exclude_flags=[], min_score=0.99))
    with pytest.raises(ConfigError):
        Selection(min_score=-1).check()


# ─── interop: the translation column ─────────────────────────────────────────────────────────────

def test_every_record_has_an_hf_translation_column(tmp_path):
    import pyarrow.parquet as pq

    written = formats.write(readout_alignment(), ["jsonl", "parquet"], tmp_path)
    lines = [json.loads(line) for line in written[0].read_text(encoding="utf-8").splitlines()]
    assert [line["translation"] for line in lines] == [{"zh": z, "en": e} for z, e in readout_alignment().pairs()]
    table = pq.read_table(written[1])
    assert table.column("translation").to_pylist() == [line["translation"] for line in lines]
    assert formats.get("jsonl").read(written[0]).pairs() == readout_alignment().pairs()
    assert formats.get("parquet").read(written[1]).pairs() == readout_alignment().pairs()


def test_two_files_written_to_a_folder_are_named_after_their_common_stem(tmp_path):
    both = [(zh, en) for zh, en in EXPECTED_PAIRS if zh and en]  # the page's sides, one sentence a line
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "chapter.zh.txt").write_text("\n".join(zh for zh, _ in both) + "\n", encoding="utf-8")
    (tmp_path / "pair" / "chapter.en.txt").write_text("\n".join(en for _, en in both) + "\n", encoding="utf-8")
    assert run(["align", str(tmp_path / "pair" / "chapter.zh.txt"), str(tmp_path / "pair" / "chapter.en.txt"),
                "--sentences", "--fast", "-f", "tsv,moses,intertext", "-o", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "chapter.en", "chapter.tsv", "chapter.zh", "chapter_en.xml", "chapter_zh.chapter_en.xml", "chapter_zh.xml"]


def test_the_review_app_is_in_the_base_install():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {requirement.split(">")[0].split("[")[0] for requirement in project["dependencies"]}
    assert {"starlette", "uvicorn", "jinja2", "python-multipart"} <= base  # `make demo` then `duizhao serve`
    assert {"python-docx", "ebooklib", "matplotlib"} <= base


def test_a_corpus_in_a_one_document_format_keeps_each_document_ids_and_only_shared_facts(corpus, tmp_path):
    from duizhao.formats.vecalign import parse_links

    [vecalign, tmx] = export(corpus, ["vecalign", "tmx"], tmp_path, Selection(min_score=0.75))
    # the two documents' links 6 and 7, the second document's ids shifted past the first's 7 + 7 sentences
    assert parse_links(vecalign.read_text(encoding="utf-8")) == [
        ((4,), (5,)), ((5, 6), (6,)), ((11,), (12,)), ((12, 13), (13,))]
    header = tmx.read_text(encoding="utf-8").split("<body>")[0]
    assert "美国驻华大使馆网" in header and "examples/readout.txt" not in header  # the shared site; no one path
