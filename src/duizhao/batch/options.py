"""What flows between the batch driver and its workers: tasks, options, per-document results, the summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .. import __version__
from ..align import AlignConfig
from ..encoders import DEFAULT_ENCODER

Engine = Literal["local", "ray"]


OutputFormat = Literal["parquet", "jsonl"]


ENGINES = ("local", "ray")


FORMATS = ("parquet", "jsonl")


DEFAULT_TIMEOUT = 600.0  # seconds per document; a book pair takes minutes, a web page a second


TIMEOUT_ERROR = "Timeout"


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
