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
import ctypes
import fcntl
import glob
import hashlib
import json
import logging
import math
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator, Literal, Sequence

from . import __version__
from .align import AlignConfig
from .encoders import DEFAULT_ENCODER, encoder_name, get_encoder
from .errors import ConfigError, DuizhaoError, FormatError, InputError
from .formats import link_record
from .formats.jsonl import json_line
from .formats.parquet import shard_schema
from .io import atomic_write, file_content_id, printable_path
from .pipeline import Aligner

Engine = Literal["local", "ray"]
OutputFormat = Literal["parquet", "jsonl"]

ENGINES = ("local", "ray")
FORMATS = ("parquet", "jsonl")
DEFAULT_TIMEOUT = 600.0  # seconds per document; a book pair takes minutes, a web page a second
TIMEOUT_ERROR = "Timeout"


# ─── what flows between the driver and the workers ────────────────────────────────────────────────

@dataclass(frozen=True)
class Task:
    """One document to align: a mixed bilingual file, or a Chinese file and an English file."""

    doc_id: str
    source: str  # the path as the user gave it (the mixed file, or the Chinese file of a pair)
    path: str  # absolute, so that workers with another working directory read the same file
    source_en: str = ""  # the English file of a pair, as given
    path_en: str = ""

    @property
    def is_pair(self) -> bool:
        return bool(self.path_en)


@dataclass(frozen=True)
class BatchOptions:
    """Everything a worker needs besides the task. `signature()` must match to reuse an output folder."""

    output_dir: str  # absolute
    fmt: OutputFormat = "parquet"
    fast: bool = False
    min_score: float | None = None
    timeout: float = DEFAULT_TIMEOUT
    encoder: str = DEFAULT_ENCODER
    weights: tuple[tuple[str, float], ...] = ()  # a weight table of the user's (--weights); () for the shipped one
    # Threads per worker for BLAS and the encoder: one, as a Ray actor holds one CPU. Parallelism comes
    # from workers; measured on a busy 2-core machine, 2 workers of 1 thread aligned 4.7× faster than
    # 1 worker of 2 threads (spinning OpenMP threads), see BENCHMARKS.md.
    threads: int = 1

    def signature(self) -> dict:
        """The settings that change the rows; a folder made with other settings is not resumed."""
        return {
            "duizhao": __version__,
            "ids": "sha256",  # document ids: duizhao.io.content_id (0.1.0 folders used blake2b-128: not resumed)
            "format": self.fmt,
            "fast": self.fast,
            "encoder": None if self.fast else self.encoder,
            "min_score": self.min_score,
            # Only when given, so that a corpus made before weights could be chosen still resumes.
            **({"weights": dict(self.weights)} if self.weights else {}),
        }

    def align_config(self) -> AlignConfig:
        weights = dict(self.weights) if self.weights else None
        return AlignConfig(fast=True, weights=weights) if self.fast else AlignConfig(encoder=self.encoder, weights=weights)


@dataclass
class DocResult:
    """`process_one`'s answer: the rows of one document, or why it failed (`error` is then set)."""

    rows: list[dict] = field(default_factory=list)
    sentences: int = 0  # Chinese + English sentences of the document
    dropped: int = 0  # links below --min-score
    error: str = ""  # the error class, e.g. "InputError" or "Timeout"
    reason: str = ""  # one line for people
    settings: dict = field(default_factory=dict)  # the alignment's reproducibility signature


@dataclass
class BatchSummary:
    """What a run did (this run) and what the output folder holds now (the corpus)."""

    output_dir: str
    engine: str
    workers: int
    inputs: int = 0  # documents named by the inputs, after removing duplicates
    processed: int = 0  # aligned or failed in this run
    skipped: int = 0  # already done by an earlier run
    duplicates: int = 0  # inputs with the same content as an earlier input
    ok: int = 0  # corpus: documents aligned
    failed: int = 0  # corpus: documents that failed (see errors.jsonl), inputs that could not be read included
    links: int = 0  # corpus: links kept
    dropped: int = 0  # corpus: links dropped by --min-score
    sentences: int = 0  # corpus: sentences of the aligned documents, both languages
    seconds: float = 0.0
    run_sentences: int = 0  # sentences aligned in this run (for throughput)

    @property
    def documents_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def sentences_per_second(self) -> float:
        return self.run_sentences / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        kept = _count(self.links, "link") + (f" ({self.dropped} dropped by --min-score)" if self.dropped else "")
        return [
            f"{_count(self.processed, 'document')} processed in {self.seconds:.1f} s "
            f"({self.documents_per_second:.2f} documents/s, {self.sentences_per_second:.1f} sentences/s; "
            f"{self.engine}, {_count(self.workers, 'worker')}); {self.skipped} already done, "
            f"{_count(self.duplicates, 'duplicate')}",
            f"corpus {self.output_dir}: {self.ok} aligned, {self.failed} failed (errors.jsonl); "
            f"{kept}, {_count(self.sentences, 'sentence')}",
        ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# ─── finding the documents ────────────────────────────────────────────────────────────────────────

def document_id(path: str | os.PathLike, path_en: str | os.PathLike | None = None) -> str:
    """A document's id: `duizhao.io.content_id` of its bytes (the id `duizhao add` gives it too), or for a
    pair, the SHA-256 of both files' ids."""
    if path_en is None:
        return file_content_id(path)
    # Hash the two ids (not the concatenated bytes) so that where one file ends cannot shift.
    pair = b"zh-en pair\0" + bytes.fromhex(file_content_id(path)) + bytes.fromhex(file_content_id(path_en))
    return hashlib.sha256(pair).hexdigest()


@dataclass
class Inputs:
    tasks: list[Task]
    failures: list[dict]  # documents that could not even be read: error records without a doc id
    duplicates: int


def collect_inputs(inputs: Sequence[str | os.PathLike], exclude: str | os.PathLike | None = None) -> Inputs:
    """Expand files, folders (recursively), globs and JSONL manifests into tasks, in input order.

    A `.jsonl` file named as an input is a manifest: one `{"path": ...}` (a mixed file) or
    `{"zh": ..., "en": ...}` (a pair) per line, relative paths taken from the manifest's folder.
    Files inside folders are all documents (hidden files and the output folder left out).
    """
    skip = Path(exclude).resolve() if exclude else None
    found: list[tuple[str, str | None]] = []  # (path, English path of a pair or None)
    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            found.extend((str(p), None) for p in _walk(path, skip))
        elif path.is_file() and path.suffix.lower() == ".jsonl":
            found.extend(_read_manifest(path))
        elif path.exists():
            found.append((text, None))
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"no file matches {text}: check the pattern (quote it so the shell does not expand it)")
            for match in matches:
                if Path(match).is_dir():
                    found.extend((str(p), None) for p in _walk(Path(match), skip))
                elif not _inside(Path(match), skip):
                    found.append((match, None))
        else:
            raise InputError(f"{text} not found: give existing files, folders, glob patterns or a .jsonl manifest")
    if not found:
        raise InputError("no documents found in the inputs: give files, folders, glob patterns or a .jsonl manifest")

    tasks: list[Task] = []
    failures: list[dict] = []
    seen: set[str] = set()
    duplicates = 0
    for name, path_en in found:
        try:
            doc_id = document_id(name, path_en)
        except OSError as err:
            failures.append({
                "path": printable_path(name) if path_en is None else f"{printable_path(name)} + {printable_path(path_en)}",
                "doc_id": "",
                "error": "InputError", "reason": f"cannot read {printable_path(err.filename or name)}: {err.strerror}",
            })
            continue
        if doc_id in seen:
            duplicates += 1
            continue
        seen.add(doc_id)
        tasks.append(Task(
            # source: the name shown in rows and errors; path: the one to open (maybe not UTF-8).
            doc_id=doc_id, source=printable_path(name), path=str(Path(name).resolve()),
            source_en=printable_path(path_en) if path_en else "", path_en=str(Path(path_en).resolve()) if path_en else "",
        ))
    return Inputs(tasks, failures, duplicates)


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(folder)


def _walk(folder: Path, skip: Path | None) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        # Sorted, hidden entries and the output folder left out, so the order never depends on the disk.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _inside(here / d, skip))
        for name in sorted(files):
            if not name.startswith("."):
                yield here / name


def _read_manifest(manifest: Path) -> list[tuple[str, str | None]]:
    base = manifest.parent
    usage = 'each line must be {"path": FILE} or {"zh": FILE, "en": FILE}'
    entries: list[tuple[str, str | None]] = []
    with open(manifest, encoding="utf-8", newline="\n") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(f"{manifest} line {number} is not JSON ({err.msg}): {usage}") from err
            if not isinstance(entry, dict):
                raise FormatError(f"{manifest} line {number} is not a JSON object: {usage}")
            if isinstance(entry.get("path"), str):
                entries.append((_relative_to(base, entry["path"]), None))
            elif isinstance(entry.get("zh"), str) and isinstance(entry.get("en"), str):
                entries.append((_relative_to(base, entry["zh"]), _relative_to(base, entry["en"])))
            else:
                raise FormatError(f"{manifest} line {number} has neither \"path\" nor \"zh\" and \"en\": {usage}")
    return entries


def _relative_to(base: Path, path: str) -> str:
    return path if os.path.isabs(path) else os.path.normpath(base / path)


# ─── one document ─────────────────────────────────────────────────────────────────────────────────

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
        return DocResult(error=type(err).__name__, reason=_one_line(str(err)))
    except Exception as err:
        # A bug or a resource limit in one document must not stop a run of millions; keep it visible.
        return DocResult(error=type(err).__name__,
                         reason=_one_line(f"unexpected {type(err).__name__}: {err}; please report it with this document"))

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


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ─── the output folder ────────────────────────────────────────────────────────────────────────────

def _fanout(folder: Path, doc_id: str, suffix: str) -> Path:
    # 256 subfolders keep a folder of millions of shards listable.
    return folder / doc_id[:2] / f"{doc_id}{suffix}"


def _shard_path(output_dir: Path, doc_id: str, fmt: str) -> Path:
    return _fanout(output_dir / "links", doc_id, f".{fmt}")


def _record_path(output_dir: Path, doc_id: str, timed_out: bool = False) -> Path:
    # A timeout is not final (a rerun, perhaps with a larger --timeout, tries again): its record has
    # another suffix, so it never counts as done.
    return _fanout(output_dir / "docs", doc_id, ".timeout.json" if timed_out else ".json")


def write_shard(path: Path, rows: list[dict], fmt: str, settings: dict) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = shard_schema().with_metadata({"duizhao.settings": json.dumps(settings, ensure_ascii=False, default=str)})
        table = pa.Table.from_pylist(rows, schema=schema)
        with atomic_write(path, "wb") as handle:
            pq.write_table(table, handle)
    else:
        with atomic_write(path) as handle:
            for row in rows:
                handle.write(json_line(row) + "\n")  # U+2028 and kin escaped, as in the jsonl format


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
                               encoder=None if options.fast else get_encoder(options.encoder))
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


def _scan_done(output_dir: Path) -> set[str]:
    """The ids with a final done-record; stale temporary files of a killed run are removed."""
    done: set[str] = set()
    for sub in ("docs", "links"):
        folder = output_dir / sub
        if not folder.is_dir():
            continue
        for bucket in os.scandir(folder):
            if not bucket.is_dir():
                continue
            for entry in os.scandir(bucket.path):
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                elif sub == "docs" and entry.name.endswith(".json") and not entry.name.endswith(".timeout.json"):
                    done.add(entry.name[: -len(".json")])
    return done


def _read_records(output_dir: Path) -> list[dict]:
    records = []
    folder = output_dir / "docs"
    if folder.is_dir():
        for path in sorted(folder.glob("*/*.json")):
            with open(path, encoding="utf-8", newline="\n") as handle:
                records.append(json.load(handle))
    return records


@contextlib.contextmanager
def _exclusive(output_dir: Path) -> Iterator[None]:
    """One run per output folder at a time; the lock goes with the process, even on SIGKILL."""
    with open(output_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise ConfigError(
                f"another duizhao batch is writing to {output_dir}: wait for it to finish or use another --output"
            ) from err
        yield


def _check_signature(output_dir: Path, options: BatchOptions) -> dict:
    """Refuse to mix rows made with other settings into one corpus; return the old manifest, if any."""
    path = output_dir / "manifest.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="\n") as handle:
        try:
            old = json.load(handle)
        except json.JSONDecodeError as err:
            raise FormatError(f"{path} is not valid JSON: delete it, or use another --output") from err
    before, now = old.get("settings", {}), options.signature()
    if before != now:
        keys = dict.fromkeys([*now, *before])  # a setting given once and dropped since shows as well
        changed = ", ".join(_change(key, before.get(key), now.get(key)) for key in keys if before.get(key) != now.get(key))
        raise ConfigError(
            f"{output_dir} holds a corpus made with other settings ({changed}): "
            "use another --output, or rerun with the same settings to resume it"
        )
    return old


def _change(key: str, before, now) -> str:
    """One changed setting for a one-line error; of two weight tables, the names that differ."""
    if isinstance(before, dict) and isinstance(now, dict):
        names = sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
        return f"{key} {', '.join(names[:5])}{' …' if len(names) > 5 else ''} changed"
    return f"{key} {_setting(before)} → {_setting(now)}"


def _setting(value) -> str:
    # A weight table is too long for a one-line error: name its size.
    return f"({len(value)} weights)" if isinstance(value, dict) else repr(value)


def _write_manifest(output_dir: Path, options: BatchOptions, summary: BatchSummary,
                    alignment_settings: dict, complete: bool) -> None:
    manifest = {
        "duizhao_version": __version__,
        "complete": complete,
        "settings": options.signature(),
        "alignment_settings": alignment_settings,
        "documents": {"ok": summary.ok, "failed": summary.failed, "skipped": summary.skipped,
                      "duplicates": summary.duplicates, "processed": summary.processed},
        "links": summary.links,
        "links_dropped": summary.dropped,
        "sentences": summary.sentences,
        "run": {"engine": summary.engine, "workers": summary.workers, "seconds": round(summary.seconds, 3),
                "timeout": options.timeout},
        "layout": {"links": f"links/*/*.{options.fmt}", "done_records": "docs/*/*.json", "errors": "errors.jsonl"},
    }
    with atomic_write(output_dir / "manifest.json") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


# ─── the engines ──────────────────────────────────────────────────────────────────────────────────

_LOCAL_WORKER: DocumentWorker | None = None
_LOCAL_START_ERROR: DuizhaoError | None = None


def _start_local_worker(options: BatchOptions) -> None:
    global _LOCAL_WORKER, _LOCAL_START_ERROR
    try:
        _LOCAL_WORKER = DocumentWorker(options)
    except DuizhaoError as err:
        # Raised from the first task instead: a failing initializer only says "pool broken".
        _LOCAL_START_ERROR = err
    except Exception as err:
        _LOCAL_START_ERROR = DuizhaoError(f"the batch worker could not start ({type(err).__name__}: {err}): "
                                          "please report it")


def _run_local_task(task: Task) -> dict:
    if _LOCAL_WORKER is None:
        raise _LOCAL_START_ERROR or DuizhaoError("the batch worker did not start: rerun to resume")
    return _LOCAL_WORKER(task)


def _run_local(tasks: list[Task], options: BatchOptions, workers: int) -> Iterator[dict]:
    import multiprocessing

    # forkserver: workers start from a clean process, not a fork of a driver that runs threads.
    context = multiprocessing.get_context("forkserver")
    pending = iter(tasks)
    in_flight: set[Future] = set()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_local_worker,
                             initargs=(options,)) as pool:
        try:
            while True:
                # A few tasks per worker in flight keeps every core busy without queueing millions.
                while len(in_flight) < workers * 4:
                    task = next(pending, None)
                    if task is None:
                        break
                    in_flight.add(pool.submit(_run_local_task, task))
                if not in_flight:
                    return
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BrokenProcessPool as err:
            raise DuizhaoError(
                "a worker process died (out of memory?): rerun the same command to resume, perhaps with fewer --workers"
            ) from err
        finally:
            for future in in_flight:
                future.cancel()


def _run_ray(tasks: list[Task], options: BatchOptions, workers: int | None, address: str | None,
             summary: BatchSummary) -> Iterator[dict]:
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise ConfigError("--engine ray needs Ray Data: pip install 'duizhao[scale]'") from err

    started_here = not ray.is_initialized()
    if started_here and address:
        _check_reachable(address)
    if started_here:
        # A local instance gets as many CPUs as workers and no dashboard; a cluster is used as it is.
        local: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "num_cpus": workers} if address is None else {}
        try:
            ray.init(address=address, logging_level=logging.WARNING, **local)
        except ConnectionError as err:
            raise ConfigError(f"cannot reach a Ray cluster at {address}: check --address (e.g. ray://HOST:10001)") from err
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # our own bar counts documents
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # keep stderr for our bar and summary
        size = min(workers or max(1, int(ray.cluster_resources().get("CPU", 1))), len(tasks))
        summary.workers = size
        # Small blocks: each finished block reports its documents, and work spreads over the actors.
        blocks = min(len(tasks), max(4 * size, math.ceil(len(tasks) / 50)))
        dataset = ray.data.from_items([asdict(task) for task in tasks], override_num_blocks=blocks)
        records = dataset.map(
            RayDocumentWorker,  # type: ignore[arg-type]  # a callable class: Ray makes it an actor pool
            fn_constructor_kwargs={"options": options},
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=1,
        )
        for record in records.iter_rows():
            yield dict(record)
    finally:
        if started_here:
            ray.shutdown()


def _check_reachable(address: str) -> None:
    """Fail in seconds on a wrong --address: Ray itself retries an unreachable one for minutes."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" or another form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise ConfigError(f"cannot reach a Ray cluster at {address} ({err.strerror or err}): "
                          "check --address (HOST:6379 for the head node, ray://HOST:10001 for Ray Client)") from err


# ─── the entry point ──────────────────────────────────────────────────────────────────────────────

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
    progress: bool | None = None,
) -> BatchSummary:
    """Align every document of `inputs` into a sharded corpus in `output_dir`; see the module docstring.

    `weights`: a whole weight table for the mode (as `align.read_weights` gives it, laid over the shipped
    one); None for the shipped table.

    `progress`: a rich bar on stderr (documents/s, ETA); None shows it only when stderr is a terminal.
    A rerun with the same settings resumes: documents already done are skipped.
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
        encoder = encoder_name(encoder)  # a typo must fail now, not after the manifest records it

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
        summary = BatchSummary(output_dir=str(out), engine=engine, workers=workers or 0,
                               inputs=len(found.tasks), skipped=len(found.tasks) - len(todo),
                               duplicates=found.duplicates)
        alignment_settings = previous.get("alignment_settings", {})
        _write_manifest(out, options, summary, alignment_settings, complete=False)

        started = time.perf_counter()
        if engine == "local":
            # No idle workers: each one loads the dictionary and the encoder before its first document.
            summary.workers = pool = max(1, min(workers or 1, len(todo)))
            records = _run_local(todo, options, pool)
        else:
            records = _run_ray(todo, options, workers, address, summary)
        with _progress_bar(len(todo), progress) as advance:
            for record in records if todo else ():
                summary.processed += 1
                if record["status"] == "ok":
                    summary.run_sentences += record["sentences"]
                    if not alignment_settings:
                        alignment_settings = json.loads(record["settings"])
                advance()
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


def _hf_feature(name: str | None, kind: Any) -> list[str]:
    """One column of a Hugging Face dataset card's `features` (YAML lines), from its Arrow type."""
    import pyarrow as pa

    head = [f"- name: {name}"] if name is not None else []
    if pa.types.is_list(kind):
        item = kind.value_type
        if pa.types.is_struct(item):
            return head + ["  list:"] + ["  " + line for field in item for line in _hf_feature(field.name, field.type)]
        return head + [f"  list: {item}"]
    if pa.types.is_struct(kind):
        return head + ["  struct:"] + ["  " + line for field in kind for line in _hf_feature(field.name, field.type)]
    return head + [f"  dtype: {'float64' if str(kind) == 'double' else kind}"]


def _write_dataset_card(out: Path, fmt: str) -> None:
    """README.md with the corpus's Hugging Face dataset card: where the shards are and every column's type, so
    that `datasets.load_dataset("<corpus folder>")` reads every shard with the same types (JSON cannot type
    an empty list: a shard whose links carry no flag would otherwise read `flags` as a list of nulls)."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:", "  - split: train",
             f'    path: "links/*/*.{fmt}"', "dataset_info:", "  features:"]
    lines += ["  " + line for field in shard_schema() for line in _hf_feature(field.name, field.type)]
    lines += ["---", "", "A parallel corpus written by `duizhao batch`: one row per Chinese–English link.",
              "See manifest.json for the settings and errors.jsonl for the documents that failed.", ""]
    with atomic_write(out / "README.md") as handle:
        handle.write("\n".join(lines))


@contextlib.contextmanager
def _progress_bar(total: int, show: bool | None) -> Iterator:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Documents per second since the start: documents come in bursts, so a windowed rate jumps."""

        def render(self, task) -> Text:
            elapsed = task.finished_time or task.elapsed
            return Text(f"{task.completed / elapsed:.2f} documents/s" if task.completed and elapsed else "… documents/s")

    console = Console(stderr=True)
    bar = Progress(TextColumn("[bold]aligning"), BarColumn(), MofNCompleteColumn(), Rate(),
                   TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True,
                   disable=not (console.is_terminal if show is None else show))
    with bar:
        task = bar.add_task("aligning", total=total)
        yield lambda: bar.advance(task)
