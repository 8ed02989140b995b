"""The batch pipeline: many bilingual documents → one sharded Parquet/JSONL corpus, resumable.

One per-document function (`process_one`) runs under either engine: a local process pool
(`engine="local"`) or Ray Data (`engine="ray"`, on this machine or on a cluster via `address`).

Output folder layout (every file written atomically: temporary file, then rename):

    manifest.json                  counts, settings, duizhao version (rewritten at the start and the end)
    errors.jsonl                   one line per document that failed, and why
    README.md                      the Hugging Face dataset card: shard paths and column types, so that
                                   `datasets.load_dataset("<folder>")` types every shard alike (written at the end)
    links/ab/<doc id>.parquet      one shard per document (or .jsonl): one row per link
    docs/ab/<doc id>.json          the done-record: written only after the shard exists

A document id is the content hash of its bytes (of both files for a pair), so a rerun skips every
document whose done-record exists, and a run killed at any moment resumes to exactly the corpus an
uninterrupted run writes: a shard without its done-record is simply written again, identically.
On a Ray cluster, the output folder must be one that every node can write (a shared file system).
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..encoders import DEFAULT_ENCODER, encoder_names
from ..errors import ConfigError
from ..io import atomic_write, printable_path
from .engines import _run_local, _run_ray
from .folder import (
    _check_signature,
    _exclusive,
    _read_records,
    _scan_done,
    _write_dataset_card,
    _write_manifest,
    write_shard,
)
from .inputs import Inputs, collect_inputs, document_id
from .options import (
    DEFAULT_TIMEOUT,
    ENGINES,
    FORMATS,
    BatchOptions,
    BatchSummary,
    DocResult,
    Engine,
    OutputFormat,
    Task,
)
from .worker import DocumentWorker, RayDocumentWorker, process_one

# A progress display for `run_batch`: given the number of documents to do, a context manager that yields
# the function to call as each one finishes (the CLI's is a rich bar; library callers usually pass none).
ProgressBar = Callable[[int], AbstractContextManager[Callable[[], None]]]

__all__ = [
    "DEFAULT_TIMEOUT", "ENGINES", "FORMATS", "BatchOptions", "BatchSummary", "DocResult", "DocumentWorker", "Engine",
    "Inputs", "OutputFormat", "ProgressBar", "RayDocumentWorker", "Task", "collect_inputs", "document_id",
    "process_one", "run_batch", "write_shard",
]


@contextlib.contextmanager
def _no_progress(total: int) -> Iterator[Callable[[], None]]:
    yield lambda: None


def run_batch(
    inputs: Sequence[str | os.PathLike],
    output_dir: str | os.PathLike,
    *,
    engine: Engine = "local",
    address: str | None = None,
    workers: int | None = None,
    fmt: OutputFormat = "parquet",
    min_score: float | None = None,
    fast: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    encoder: str = DEFAULT_ENCODER,
    weights: dict[str, float] | None = None,
    progress: ProgressBar | None = None,
    keep_going: bool = True,
) -> BatchSummary:
    """Align every document of `inputs` into a sharded corpus in `output_dir`; see the module docstring.

    `weights`: a whole weight table for the mode (as `align.read_weights` gives it, laid over the shipped
    one); None for the shipped table.

    `progress(total)`: a context manager that yields a function called once per finished document (the
    CLI's bar on stderr); None shows nothing.
    A rerun with the same settings resumes: documents already done are skipped.

    `keep_going` (the default): a document that fails is recorded in errors.jsonl and the others go on;
    False stops at the first failure (the documents already in flight still finish).
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: use local or ray")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown batch format {fmt!r}: use parquet or jsonl")
    if address and engine != "ray":
        raise ConfigError("--address is the Ray cluster to use: add --engine ray")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be 1 or more, got {workers}")
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise ConfigError(f"--min-score must be between 0 and 1 (link scores are confidences), got {min_score}")
    if not (0 < timeout < 1e9):  # also refuses nan, and inf, which no timer can hold
        raise ConfigError(f"--timeout must be a number of seconds above 0 (and below 1e9), got {timeout}")
    if fast and encoder != DEFAULT_ENCODER:
        raise ConfigError("fast mode uses no neural encoder: drop the encoder or fast mode")
    if not fast:
        encoder = ",".join(encoder_names(encoder))  # a typo must fail now, not after the manifest records it

    out = Path(output_dir).resolve()
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--output {output_dir} is a file: give a folder")
    found = collect_inputs(inputs, exclude=out)
    out.mkdir(parents=True, exist_ok=True)
    if engine == "local":
        workers = workers or len(os.sched_getaffinity(0))
    options = BatchOptions(output_dir=str(out), fmt=fmt, fast=fast, min_score=min_score,
                           timeout=float(timeout), encoder=encoder, weights=tuple(sorted((weights or {}).items())))

    with _exclusive(out):
        previous = _check_signature(out, options)
        done = _scan_done(out)
        todo = [task for task in found.tasks if task.doc_id not in done]
        summary = BatchSummary(output_dir=printable_path(output_dir), engine=engine, workers=workers or 0,
                               inputs=len(found.tasks), skipped=len(found.tasks) - len(todo),
                               duplicates=found.duplicates)
        alignment_settings = previous.get("alignment_settings", {})
        # The manifest is written once the engine has really started (its first document is back): a Ray
        # that cannot start leaves no manifest behind.
        started_manifest = False

        started = time.perf_counter()
        if engine == "local":
            # No idle workers: each one loads the dictionary and the encoder before its first document.
            summary.workers = pool = max(1, min(workers or 1, len(todo)))
            records = _run_local(todo, options, pool)
        else:
            records = _run_ray(todo, options, workers, address, summary)
        with (progress or _no_progress)(len(todo)) as advance:
            for record in records if todo else ():
                if not started_manifest:
                    _write_manifest(out, options, summary, alignment_settings, complete=False)
                    started_manifest = True
                summary.processed += 1
                if record["status"] == "ok":
                    summary.run_sentences += record["sentences"]
                    if not alignment_settings:
                        alignment_settings = json.loads(record["settings"])
                advance()
                if record["status"] != "ok" and not keep_going:
                    break  # --stop-on-error: the documents in flight finish, no new one starts
        summary.seconds = time.perf_counter() - started

        _finish(out, options, summary, found.failures, alignment_settings)
    return summary


def _finish(out: Path, options: BatchOptions, summary: BatchSummary, failures: list[dict],
            alignment_settings: dict) -> None:
    """Count the corpus from its done-records, write errors.jsonl and the final manifest."""
    errors = list(failures)
    for record in _read_records(out):
        if record["status"] == "ok":
            summary.ok += 1
            summary.links += record["links"]
            summary.dropped += record["dropped"]
            summary.sentences += record["sentences"]
        else:
            errors.append({"path": record["path"] if not record["path_en"] else f"{record['path']} + {record['path_en']}",
                           "doc_id": record["doc_id"], "error": record["error"], "reason": record["reason"]})
    summary.failed = len(errors)
    errors.sort(key=lambda e: (e["path"], e["doc_id"]))
    with atomic_write(out / "errors.jsonl") as handle:
        for error in errors:
            handle.write(json.dumps(error, ensure_ascii=False) + "\n")
    _write_manifest(out, options, summary, alignment_settings, complete=True)
    _write_dataset_card(out, options.fmt)
