"""The batch pipeline: inputs, exact rows, errors.jsonl, resume after SIGKILL, --min-score, both engines."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from duizhao.errors import ConfigError, FormatError, InputError
from duizhao.scale import collect_inputs, document_id, run_batch

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "readout.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]

# The example page in blocks (blank-line separated): 5 Chinese header blocks, 10 Chinese body paragraphs,
# 3 English header blocks, 10 English body paragraphs, the source URL, then the page's widgets.
BLOCKS = [b for b in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
ZH_HEADER, ZH_BODY = BLOCKS[:5], BLOCKS[5:15]
EN_HEADER, EN_BODY = BLOCKS[15:18], BLOCKS[18:28]
assert BLOCKS[28].startswith("https://www.state.gov/")


def readout(paragraphs: int, *, english: bool = True) -> str:
    """The example page cut to its first `paragraphs` body paragraphs on both sides."""
    parts = ZH_HEADER + ZH_BODY[:paragraphs]
    if english:
        parts += EN_HEADER + EN_BODY[:paragraphs]
    return "\n\n".join(parts) + "\n"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="\n")
    return path


def fast_pairs(path: Path, path_en: Path | None = None) -> list[tuple[str, str, float]]:
    """What the one-document pipeline makes of a document, for comparison with the batch's rows."""
    from duizhao.align import AlignConfig
    from duizhao.pipeline import process, process_pair

    config = AlignConfig(fast=True)
    alignment = process_pair(path, path_en, config=config) if path_en else process(path, config=config)
    return [(alignment.zh_text(b), alignment.en_text(b), b.score) for b in alignment.beads]


def read_rows(out: Path) -> list[dict]:
    rows = []
    for shard in sorted((out / "links").glob("*/*.parquet")):
        rows.extend(pq.read_table(shard).to_pylist())
    for shard in sorted((out / "links").glob("*/*.jsonl")):
        rows.extend(json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines())
    return sorted(rows, key=lambda r: (r["doc_id"], r["link"]))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, Path]:
    """Three good documents (two mixed pages, one zh/en pair), one binary, one empty, one Chinese-only."""
    docs = tmp_path / "in"
    files = {
        "full": write(docs / "full.txt", readout(10)),
        "short": write(docs / "news" / "short.txt", readout(3)),
        "zh": write(docs / "pair" / "zh.txt", readout(2, english=False)),
        "en": write(docs / "pair" / "en.txt", "\n\n".join(EN_HEADER + EN_BODY[:2]) + "\n"),
        "binary": write(docs / "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "empty": write(docs / "empty.txt", "\n\n  \n"),
        "chinese": write(docs / "news" / "chinese-only.txt", readout(4, english=False)),
    }
    files["manifest"] = write(tmp_path / "docs.jsonl", "".join(json.dumps(entry) + "\n" for entry in [
        {"path": "in/full.txt"}, {"path": "in/news/short.txt"}, {"zh": "in/pair/zh.txt", "en": "in/pair/en.txt"},
        {"path": "in/logo.png"}, {"path": "in/empty.txt"}, {"path": "in/news/chinese-only.txt"},
    ]))
    return files


# ─── finding the documents ────────────────────────────────────────────────────────────────────────

def test_inputs_from_folders_globs_and_manifests(tmp_path: Path, corpus: dict[str, Path]) -> None:
    write(tmp_path / "in" / ".hidden.txt", "not a document")
    write(tmp_path / "in" / "zz-copy.txt", readout(10))  # same bytes as full.txt: one document
    out = tmp_path / "in" / "out"  # an output folder inside the input folder is never read back
    write(out / "links" / "ab" / "ab.jsonl", "{}\n")

    found = collect_inputs([tmp_path / "in"], exclude=out)
    assert [Path(t.source).relative_to(tmp_path / "in").as_posix() for t in found.tasks] == [
        "empty.txt", "full.txt", "logo.png", "news/chinese-only.txt", "news/short.txt", "pair/en.txt", "pair/zh.txt",
    ]
    assert found.duplicates == 1
    assert found.failures == []

    globbed = collect_inputs([str(tmp_path / "in" / "**" / "*.txt")])
    assert {Path(t.source).name for t in globbed.tasks} == {"empty.txt", "full.txt", "chinese-only.txt",
                                                           "short.txt", "en.txt", "zh.txt"}

    listed = collect_inputs([corpus["manifest"]])
    assert [(t.source, t.source_en) for t in listed.tasks] == [
        (str(tmp_path / "in/full.txt"), ""), (str(tmp_path / "in/news/short.txt"), ""),
        (str(tmp_path / "in/pair/zh.txt"), str(tmp_path / "in/pair/en.txt")),
        (str(tmp_path / "in/logo.png"), ""), (str(tmp_path / "in/empty.txt"), ""),
        (str(tmp_path / "in/news/chinese-only.txt"), ""),
    ]
    pair = listed.tasks[2]
    assert pair.is_pair and pair.doc_id == document_id(corpus["zh"], corpus["en"])
    assert pair.doc_id not in (document_id(corpus["zh"]), document_id(corpus["en"]))
    assert listed.tasks[0].doc_id == document_id(corpus["full"]) == found.tasks[1].doc_id


def test_input_mistakes_state_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        collect_inputs([tmp_path / "nowhere.txt"])
    assert str(err.value) == (f"{tmp_path / 'nowhere.txt'} not found: give existing files, folders, "
                              "glob patterns or a .jsonl manifest")
    with pytest.raises(InputError) as err:
        collect_inputs([str(tmp_path / "*.html")])
    assert str(err.value) == (f"no file matches {tmp_path / '*.html'}: check the pattern "
                              "(quote it so the shell does not expand it)")
    bad = write(tmp_path / "bad.jsonl", '{"path": "a.txt"}\n{"zh": "b.txt"}\n')
    with pytest.raises(FormatError) as err:
        collect_inputs([bad])
    assert str(err.value) == (f'{bad} line 2 has neither "path" nor "zh" and "en": '
                              'each line must be {"path": FILE} or {"zh": FILE, "en": FILE}')
    with pytest.raises(ConfigError) as err:
        run_batch([bad], tmp_path / "out", min_score=1.5)
    assert str(err.value) == "--min-score must be between 0 and 1 (link scores are confidences), got 1.5"


def test_a_missing_file_in_a_manifest_fails_only_that_document(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", readout(1))
    manifest = write(tmp_path / "docs.jsonl", '{"path": "a.txt"}\n{"path": "gone.txt"}\n')
    summary = run_batch([manifest], tmp_path / "out", fast=True, workers=1)
    assert (summary.ok, summary.failed) == (1, 1)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [{
        "path": str(tmp_path / "gone.txt"), "doc_id": "", "error": "InputError",
        "reason": f"cannot read {tmp_path / 'gone.txt'}: No such file or directory",
    }]


def test_a_huge_file_is_hashed_in_pieces_and_refused(tmp_path: Path) -> None:
    huge = tmp_path / "crawl.txt"
    with open(huge, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # 100 MB, sparse: costs no disk
    tracemalloc.start()
    found = collect_inputs([huge])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(found.tasks) == 1 and peak < 8 * 1024 * 1024
    summary = run_batch([huge], tmp_path / "out", fast=True, workers=1)
    assert (summary.ok, summary.failed) == (0, 1)
    [error] = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert error["reason"] == (f"{huge} is 100 MB, over the 50 MB limit: "
                               "split it into documents, or raise the limit (max_bytes)")
