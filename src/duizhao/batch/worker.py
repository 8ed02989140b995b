"""One document at a time: align it under a deadline, turn its links into rows, write its shard and done-record."""
from __future__ import annotations

import contextlib
import ctypes
import json
import os
import threading
import time
from pathlib import Path
from typing import Iterator

from ..encoders import get_encoders
from ..errors import DuizhaoError
from ..formats import link_record
from ..io import atomic_write, printable_path
from ..pipeline import Aligner
from .folder import _record_path, _shard_path, write_shard
from .options import TIMEOUT_ERROR, BatchOptions, DocResult, Task


class _Deadline(BaseException):
    """Raised inside a worker thread when its document runs past the timeout.

    A BaseException, so that no `except Exception` in a stage can swallow it.
    """


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise `_Deadline` in this thread after `seconds`.

    Ray Data runs the function outside the main thread, where SIGALRM cannot reach, so a watchdog
    thread raises the exception asynchronously in the working thread (at its next Python bytecode;
    one long call into C finishes first). A lock makes sure the exception can never arrive after the
    block has ended: once it ends, a pending one is cancelled.
    """
    if not seconds or seconds <= 0:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"over": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["over"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Deadline))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["over"] = True
            if state["fired"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)  # drop it if still pending
        timer.cancel()


def process_one(task: Task, options: BatchOptions, aligner: Aligner | None = None) -> DocResult:
    """Align one document into rows, or say why it cannot be aligned. Never raises for a bad document."""
    aligner = aligner or Aligner(options.align_config())
    try:
        with _deadline(options.timeout):
            alignment = aligner.pair(task.path, task.path_en) if task.is_pair else aligner.file(task.path)
    except _Deadline:
        return DocResult(error=TIMEOUT_ERROR,
                         reason=f"took longer than {options.timeout:g} s: rerun with a larger --timeout")
    except DuizhaoError as err:
        return DocResult(error=type(err).__name__, reason=_as_given(task, _one_line(str(err))))
    except Exception as err:
        # A bug or a resource limit in one document must not stop a run of millions; keep it visible.
        return DocResult(error=type(err).__name__, reason=_as_given(task, _one_line(
            f"unexpected {type(err).__name__}: {err}; please report it with this document")))

    rows: list[dict] = []
    dropped = 0
    for position, bead in enumerate(alignment.beads):
        if options.min_score is not None and bead.score < options.min_score:
            dropped += 1
            continue
        rows.append({
            "doc_id": task.doc_id, "source": task.source, "source_en": task.source_en, "link": position,
            **link_record(alignment, bead),  # the same record as the jsonl and parquet formats
        })
    document = alignment.document
    return DocResult(rows=rows, sentences=len(document.zh) + len(document.en), dropped=dropped,
                     settings=dict(alignment.settings))


def _as_given(task: Task, reason: str) -> str:
    """A worker opens the absolute path; its message names the document as the user gave it."""
    for opened, given in ((task.path_en, task.source_en), (task.path, task.source)):
        if opened and given:
            reason = reason.replace(printable_path(opened), given).replace(opened, given)
    return reason


def _one_line(text: str) -> str:
    return " ".join(text.split())


class DocumentWorker:
    """Aligns documents and writes their shard and done-record; one per worker process or Ray actor.

    The encoder is loaded once, when the worker starts, not once per document.
    """

    def __init__(self, options: BatchOptions):
        from threadpoolctl import threadpool_limits

        # OpenBLAS and the encoder's OpenMP would each start a thread per core in every worker, and N
        # workers would fight over the cores (spinning OpenMP threads make that several times slower).
        # The encoder's library reads OMP_NUM_THREADS when it loads; threadpoolctl caps what is loaded.
        os.environ["OMP_NUM_THREADS"] = str(options.threads)
        self.options = options
        # The encoder is loaded here, once per worker, and recorded by its full name in every shard.
        self.aligner = Aligner(options.align_config(),
                               encoder=None if options.fast else tuple(get_encoders(options.encoder)))
        self._warm_up()
        self._thread_limit = threadpool_limits(limits=options.threads)

    def _warm_up(self) -> None:
        """Align two tiny sentences, so that jieba's dictionary, the lexicon and the model load now.

        Otherwise the first document of every worker pays seconds of loading against its --timeout.
        """
        self.aligner.text("双方讨论了合作。", "The two sides discussed cooperation.")

    def __call__(self, task: Task) -> dict:
        started = time.perf_counter()
        result = process_one(task, self.options, self.aligner)
        output_dir = Path(self.options.output_dir)
        record = {
            "doc_id": task.doc_id, "path": task.source, "path_en": task.source_en,
            "status": "failed" if result.error else "ok",
            "links": len(result.rows), "dropped": result.dropped, "sentences": result.sentences,
            "error": result.error, "reason": result.reason,
            "seconds": round(time.perf_counter() - started, 3),
            "settings": json.dumps(result.settings, ensure_ascii=False, sort_keys=True, default=str),
        }
        if not result.error and result.rows:
            write_shard(_shard_path(output_dir, task.doc_id, self.options.fmt), result.rows,
                        self.options.fmt, result.settings)
        # Only now is the document done: a run killed before this line redoes it.
        timed_out = result.error == TIMEOUT_ERROR
        with atomic_write(_record_path(output_dir, task.doc_id, timed_out)) as handle:
            json.dump(record, handle, ensure_ascii=False)
        if not timed_out:
            with contextlib.suppress(FileNotFoundError):
                _record_path(output_dir, task.doc_id, timed_out=True).unlink()
        return record


class RayDocumentWorker(DocumentWorker):
    """The same worker as a Ray Data callable class: one row (a task as a dict) in, its record out."""

    def __call__(self, row: dict) -> dict:  # type: ignore[override]
        return super().__call__(Task(**{key: row[key] for key in Task.__dataclass_fields__}))
