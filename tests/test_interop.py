"""The outputs load in the tools researchers use: Hugging Face `datasets` (test extra) and pandas.

Real data: the example page aligned by duizhao, the hand-aligned sentences of test_store, and a batch
corpus made from the example page and the page's body paragraphs as a pair of files (readout_expected.json).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from duizhao import formats
from duizhao.export import Selection, export
from duizhao.model import Metadata
from duizhao.store import Store, content_hash
from test_store import sample_alignment

datasets = pytest.importorskip("datasets")

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "readout.txt"
EXPECTED = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]


def load(kind: str, files: list[str] | str, cache: Path):
    datasets.disable_progress_bars()
    return datasets.load_dataset(kind, data_files=files, split="train", cache_dir=str(cache))


@pytest.fixture(scope="module")
def readout():
    from duizhao import pipeline

    return pipeline.process(EXAMPLE, config=None)


def test_several_documents_jsonl_load_as_one_dataset(readout, tmp_path):
    second = sample_alignment()  # another document: other ids, other flags
    written = [formats.write(readout, ["jsonl"], tmp_path / "a.jsonl")[0],
               formats.write(second, ["jsonl"], tmp_path / "b.jsonl")[0]]
    ds = load("json", [str(p) for p in written], tmp_path / "cache")
    assert ds.num_rows == 28 + 7
    assert ds[0]["translation"] == {"zh": "布林肯国务卿与中共中央外办主任兼外长王毅举行会晤", "en": ""}
    assert ds[28]["translation"] == {"zh": second.zh_text(second.beads[0]), "en": second.en_text(second.beads[0])}
    assert ds.features["flags"].feature.dtype == "string" and ds.features["zh_ids"].feature.dtype == "int64"
    assert [row["flags"] for row in ds.select(range(28, 35))] == [[], [], [], [], [], ["number"], []]


def test_a_corpus_of_dated_and_undated_documents_loads_in_datasets_and_pandas(tmp_path):
    """`duizhao export` writes several documents into one JSONL: an unknown date is absent, never "",
    so the ISO dates of the others still read as one column."""
    import pandas as pd

    undated = sample_alignment()
    undated.document.meta = Metadata(**{**undated.document.meta.as_dict(), "date": "", "path": "b.txt"})
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        store.add(undated, content_hash(b"undated"))
        store.add(sample_alignment(), content_hash(b"dated"))
    [path] = export(db, ["jsonl"], tmp_path / "corpus.jsonl", Selection())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert ["date" in line["doc"] for line in lines] == [False] * 7 + [True] * 7
    ds = load("json", str(path), tmp_path / "cache")
    assert ds.num_rows == 14
    # (datasets 5 reads `doc` as JSON when its keys vary; older versions as a struct with a null date)
    assert [str(row["doc"].get("date"))[:10] for row in ds.select([0, 7])] == ["None", "2023-10-27"]
    frame = pd.read_json(path, lines=True)
    assert frame.shape[0] == 14 and list(frame["translation"].iloc[2]) == ["zh", "en"]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_a_batch_corpus_loads_as_one_typed_dataset(tmp_path, fmt):
    from duizhao.scale import run_batch

    body = EXPECTED[6:]  # the page's body paragraphs, one sentence a line, as a pair of files
    (tmp_path / "in").mkdir()
    zh_file, en_file = tmp_path / "in" / "body.zh.txt", tmp_path / "in" / "body.en.txt"
    zh_file.write_text("\n".join("".join(link["zh"]) for link in body) + "\n", encoding="utf-8")
    en_file.write_text("\n".join(" ".join(link["en"]) for link in body) + "\n", encoding="utf-8")
    manifest = tmp_path / "in" / "manifest.jsonl"
    manifest.write_text(json.dumps({"path": str(EXAMPLE)}) + "\n"
                        + json.dumps({"zh": str(zh_file), "en": str(en_file)}) + "\n", encoding="utf-8")
    summary = run_batch([manifest], tmp_path / "corpus", fast=True, workers=1, fmt=fmt)
    assert summary.ok == 2
    shards = sorted((tmp_path / "corpus" / "links").glob(f"*/*.{fmt}"))
    assert len(shards) == 2
    if fmt == "jsonl":
        # one shard has no flag at all: JSON alone would type its `flags` as a list of nulls
        flag_sets = [{tuple(json.loads(line)["flags"]) for line in p.read_text(encoding="utf-8").splitlines()}
                     for p in shards]
        assert {()} in flag_sets
    else:
        ds = load("parquet", [str(p) for p in shards], tmp_path / "cache")  # the shards carry their types
        assert ds.num_rows == len(body) + 28
    # the corpus folder's dataset card (README.md) names the shards and every column's type
    datasets.disable_progress_bars()
    ds = datasets.load_dataset(str(tmp_path / "corpus"), split="train", cache_dir=str(tmp_path / "cache2"))
    sizes = sorted(ds.to_pandas().groupby("doc_id").size().tolist())
    assert sizes == [len(body), 28]
    assert ds.features["flags"].feature.dtype == "string"  # typed even in a shard without one flag
    assert ds.features["zh_ids"].feature.dtype == "int64"  # one Parquet schema: int64 ids, as --format parquet
    pairs = {(row["translation"]["zh"], row["translation"]["en"]) for row in ds}
    assert ("简报", "READOUT") in pairs and ("".join(body[0]["zh"]), " ".join(body[0]["en"])) in pairs
