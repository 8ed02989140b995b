"""Bounded work (issue 17): an input under the byte limit whose structure would cost minutes (an HTML bomb,
a million short lines, a side of more paragraphs than the pipeline takes sentences) is refused with one line
before the costly stages run; a page with huge attribute values keeps all its text.

Every input is built here from the example page (`examples/readout.txt`), sliced and repeated. The figures
for the full-size inputs are in benchmarks/bounds_bench.py and BENCHMARKS.md (Audit: bounded work).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from duizhao.errors import InputError
from duizhao.ingest import layout, limits, load_bytes, load_text, load_texts
from duizhao.ingest.html import MAX_ATTRIBUTE_CHARS, drop_long_attributes

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "examples" / "readout.txt").read_text(encoding="utf-8")
BLOCKS = [b.strip() for b in PAGE.split("\n\n") if b.strip()]
ZH = [b for b in BLOCKS if sum("\u4e00" <= c <= "\u9fff" for c in b) > len(b) // 4]
EN = [b for b in BLOCKS if b not in ZH]
ZH_TEXT = "".join(ZH).replace("\n", "")
EN_WORDS = " ".join(EN).split()


def _zh_piece(i: int) -> str:
    """A distinct 12-character slice of the page's Chinese for each i (repeated lines would be chrome)."""
    n = len(ZH_TEXT) - 6
    return ZH_TEXT[i % n:i % n + 6] + ZH_TEXT[(i // n * 37 + i) % n:][:6]


def _en_piece(i: int) -> str:
    n = len(EN_WORDS) - 3
    return " ".join(EN_WORDS[i % n:i % n + 3] + EN_WORDS[(i // n * 37 + i) % n:][:3])


def _html_bomb(paragraphs: int) -> bytes:
    body = "".join(f"<p>{_zh_piece(i)}</p><p>{_en_piece(i)}</p>\n" for i in range(paragraphs // 2))
    return f"<!DOCTYPE html><html><body>{body}</body></html>".encode()


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the costly stage ran on an input over a structural limit")


def test_html_bomb_refused_before_html_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    # The audit's 24 MB bomb ran past 900 s inside the HTML reader and the layout rules before the sentence
    # limit refused it; now the tags are counted first and trafilatura never sees the page.
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", _never)
    data = _html_bomb(limits.MAX_HTML_BLOCKS + 2)
    with pytest.raises(InputError) as err:
        load_bytes(data, name="bomb.html")
    assert str(err.value) == (
        f"bomb.html has {limits.MAX_HTML_BLOCKS + 2:,} HTML text blocks (<p>, <li>, <td>, <br>…), over the limit "
        f"of {limits.MAX_HTML_BLOCKS:,} for one document (the work grows with them): split it into documents "
        "(one per article or chapter) and align them with `duizhao batch`, or raise the limit with `duizhao align "
        "--max-sentences N` where the machine has the memory")


def test_html_just_under_block_limit_is_not_refused_by_count() -> None:
    html = _html_bomb(limits.MAX_HTML_BLOCKS).decode()
    limits.check_html(html, "page.html")  # no error: the limit is on the count, not the size


def test_million_short_lines_refused_before_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8.5 MB of one-word lines peaked at 9.3 GB in the audit; the line count refuses it before _blocks.
    monkeypatch.setattr(layout, "_blocks", _never)
    lines = [piece for i in range(limits.MAX_LINES // 2 + 1) for piece in (_zh_piece(i), EN_WORDS[i % len(EN_WORDS)])]
    assert all(line.strip() for line in lines)
    text = "\n".join(lines) + "\n"
    with pytest.raises(InputError, match=rf"has {len(lines):,} lines, over the limit of {limits.MAX_LINES:,} "):
        load_text(text, name="lines.txt")


def test_blank_lines_do_not_count_towards_the_line_limit() -> None:
    text = "\n" * (limits.MAX_LINES + 10) + PAGE
    limits.check_lines(text, "page.txt")  # no error


def test_side_over_paragraph_limit_refused_before_segmentation(monkeypatch: pytest.MonkeyPatch) -> None:
    import duizhao.ingest as ingest

    monkeypatch.setattr(ingest, "classify", lambda texts, lang: [object()] * len(texts))
    monkeypatch.setattr(ingest, "paragraph_texts", lambda text: text.split("\n"))
    zh = "\n".join(_zh_piece(i) for i in range(limits.MAX_SIDE_PARAGRAPHS + 1))
    with pytest.raises(InputError, match=rf"has {limits.MAX_SIDE_PARAGRAPHS + 1:,} Chinese paragraphs, over the limit"):
        load_texts(zh, " ".join(EN))


def test_long_attribute_values_are_emptied() -> None:
    long = "x" * MAX_ATTRIBUTE_CHARS
    html = f'<p data-a="{long}" title=\'{long}\' class="short">双方</p>'
    assert drop_long_attributes(html) == '<p data-a="" title="" class="short">双方</p>'


@pytest.mark.slow
def test_huge_attributes_lose_no_text() -> None:
    # 30 paragraphs each carrying a 400 KB attribute: libxml2 stopped after about 10 MB of them, and the
    # English half of the page was silently lost ("found only Chinese text").
    attribute = (" ".join(EN) * 100)[:400_000].replace('"', "'")
    body = "".join(f'<p data-x="{attribute}">{p}</p>' for p in ZH + EN)
    source = load_bytes(f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), name="attributes.html")
    plain = "".join(f"<p>{p}</p>" for p in ZH + EN)
    expected = load_bytes(f"<!DOCTYPE html><html><body>{plain}</body></html>".encode(), name="plain.html")
    assert [p.text for p in source.zh] == [p.text for p in expected.zh]
    assert [p.text for p in source.en] == [p.text for p in expected.en]
    assert source.en[-1].text == expected.en[-1].text and len(expected.en) > 10


@pytest.mark.slow
def test_cli_html_bomb_is_one_line_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "bomb.html"
    page.write_bytes(_html_bomb(limits.MAX_HTML_BLOCKS + 2))
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "duizhao.cli", "align", str(page), "--fast", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"Error: {page} has {limits.MAX_HTML_BLOCKS + 2:,} HTML text blocks")
    assert not out.exists()


def test_fifo_with_an_endless_writer_stops_at_the_size_limit(tmp_path: Path) -> None:
    # A named pipe fed the page over and over (as `yes` would): the read stops one byte past the limit.
    import os
    import threading

    from duizhao.ingest import read_bytes

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    data = PAGE.encode()

    def write() -> None:
        try:
            with open(pipe, "wb") as handle:
                while True:
                    handle.write(data)
        except OSError:  # the reader closed the pipe
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(InputError, match=r"pipe is over the 97\.7 KB limit: split it into documents"):
        read_bytes(pipe, max_bytes=100_000)
    writer.join(timeout=10)
    assert not writer.is_alive()


def test_a_link_too_long_to_check_is_flagged_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # One 800 KB line without punctuation is one 1-1 link: the name check compared every name with every
    # word, 100 s at 200 KB and growing with the square of the length. Such a link is flagged instead.
    import importlib

    from duizhao.ingest import load_sentences
    from duizhao.pipeline import Aligner

    check_module = importlib.import_module("duizhao.check")  # the package exports a function of that name
    monkeypatch.setattr(check_module, "name_flags", _never)
    monkeypatch.setattr(check_module, "anchor_flags", _never)
    zh = "".join(c for c in ZH_TEXT if c not in "。，、；：！？") * 4
    en = " ".join(w.strip(".,;:!?") for w in EN_WORDS) * 2
    assert len(zh) + len(en) > check_module._MAX_CHECKED_CHARS
    alignment = Aligner(fast=True).source(load_sentences([zh], [en]))
    [bead] = alignment.beads
    assert [(f.type, f.message) for f in bead.flags] == [
        ("mismatch", f"A link of {len(zh) + len(en):,} characters, too long to check its numbers and names: "
                     "give the text its sentence punctuation and align it again.")]


def test_a_table_of_paragraph_cells_under_the_sentence_limit_is_not_refused() -> None:
    # Word-style cells (<td><p>) count each paragraph twice; 31,000 rows are 31,000 paragraphs a side.
    import html

    row = (f"<tr><td><p class=MsoNormal>{html.escape(ZH[5])}</p></td>"
           f"<td><p class=MsoNormal>{html.escape(EN[5])}</p></td></tr>\n")
    limits.check_html("<html><body><table>" + row * 31_000 + "</table></body></html>", "glossary.html")


def test_a_line_of_many_dates_is_cut_in_linear_time() -> None:
    # The word before each date was looked for from the line's start: 340 KB of dates took 13 s of CPU.
    import time

    from duizhao.ingest.chrome import cut_at_datelines

    started = time.process_time()
    pieces = cut_at_datelines("2023-10-27 10:00 " * 20_000)
    assert len(pieces) == 20_000
    assert time.process_time() - started < 2.0  # quadratic: about 5 s here


def test_hard_wrapped_chinese_is_joined_in_linear_time() -> None:
    # Each wrapped line was checked against the whole paragraph joined so far (a search anchored at its end,
    # and a copy of it): 20,000 wrapped lines of the example page took 218 s.
    import time

    from duizhao.ingest.layout import paragraph_texts

    # 33 characters of the example page's first Chinese paragraph, without its punctuation, as a wrapped line
    example = (Path(__file__).parents[1] / "examples" / "readout.txt").read_text(encoding="utf-8")
    line = "".join(ch for ch in next(p for p in example.splitlines() if len(p) > 60) if "\u4e00" <= ch <= "\u9fff")[:33]
    assert len(line) == 33
    started = time.process_time()
    paragraphs = paragraph_texts("\n".join([line] * 20_000))
    assert paragraphs == [line * 20_000]
    assert time.process_time() - started < 10.0  # quadratic: about 200 s here
