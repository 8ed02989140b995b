"""Embedding similarity: every sentence encoded once; a multi-sentence link is the normalised sum of its members.

Each side's embeddings are first centred on their mean (the language's offset in the encoder's space).

Raw cosine from a small multilingual encoder is biased per sentence (short or formulaic sentences are close to
everything), so a second feature subtracts each sentence's typical similarity to its neighbours in the
search band: the margin of Artetxe & Schwenk (2019), restricted to the sentences the search can reach.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Document
from . import Context, Links, Signal, block_sums, pair_products, prefix_sums, span_pairs

SHRINK = 8  # a side of n sentences subtracts n / (n + 8) of its mean embedding
NEIGHBOURS = 4  # how many nearest neighbours define a sentence's typical similarity
ENCODE_CHUNK = 64


@dataclass
class Embeddings:
    zh: np.ndarray  # (n, d) L2-normalised
    en: np.ndarray  # (m, d)
    zh_typical: np.ndarray  # prefix sums of each sentence's mean similarity to its nearest neighbours
    en_typical: np.ndarray


def encode_with_progress(encoder, texts: list[str], progress, done: int, total: int) -> np.ndarray:
    parts = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        parts.append(encoder.encode(texts[start:start + ENCODE_CHUNK]))
        if progress:
            progress(done + min(start + ENCODE_CHUNK, len(texts)), total)
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def typical_similarity(zh: np.ndarray, en: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the top-k cosines of each sentence with the other side's sentences inside the band."""
    n, m = len(zh), len(en)
    zh_top = np.zeros(n)
    en_best = np.full((m, NEIGHBOURS), -1.0)
    for i in range(n):
        # Chinese sentence i ends prefix i + 1; the English sentences that can link to it end prefixes in the
        # band of rows i + 1 and start in the band of row i.
        j0 = max(int(lo[i]) - 1, 0)
        j1 = min(int(hi[i + 1]), m)
        if j1 <= j0:
            continue
        sims = en[j0:j1] @ zh[i]
        k = min(NEIGHBOURS, len(sims))
        zh_top[i] = np.partition(sims, len(sims) - k)[-k:].mean()
        # Keep each English sentence's k best as well (a running top-k per column).
        block = en_best[j0:j1]
        worst = block.argmin(axis=1)
        rows = np.arange(j1 - j0)
        better = sims > block[rows, worst]
        block[rows[better], worst[better]] = sims[better]
    valid = en_best > -1.0
    en_top = np.where(valid.any(axis=1), np.where(valid, en_best, 0).sum(1) / np.maximum(valid.sum(1), 1), 0.0)
    return zh_top, en_top


def centred(rows: np.ndarray) -> np.ndarray:
    """Subtract the side's mean embedding (shrunk toward zero for short documents) and re-normalise.

    A multilingual encoder puts each language in its own region; the per-language mean is mostly that
    offset, and removing it leaves the meaning (Libovický et al. 2020; measured in docs/experiments.md,
    "centred embeddings"). A short document's mean is mostly its own
    sentences, so it is shrunk: weight n / (n + SHRINK).
    """
    if len(rows) == 0:
        return rows
    weight = len(rows) / (len(rows) + SHRINK)
    out = rows - weight * rows.mean(0)
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)).astype(np.float32)


class EmbeddingSignal(Signal):
    name = "embedding"
    features = ("cosine", "margin", "members")
    range = (-32.0, 32.0)  # cosine in [-1, 1], margin in [-2, 2], members: up to 16 margins summed
    cost = "encoder"
    needs_encoder = True

    def prepare(self, document: Document, context: Context) -> Embeddings:
        zh_texts = [s.text for s in document.zh]
        en_texts = [s.text for s in document.en]
        total = len(zh_texts) + len(en_texts)
        zh = encode_with_progress(context.encoder, zh_texts, context.progress, 0, total)
        en = encode_with_progress(context.encoder, en_texts, context.progress, len(zh_texts), total)
        if context.band_lo is not None and context.band_hi is not None:
            lo, hi = context.band_lo, context.band_hi
        else:
            lo = np.zeros(len(zh) + 1, dtype=np.int64)
            hi = np.full(len(zh) + 1, len(en) + 1, dtype=np.int64)
        zh, en = centred(zh), centred(en)
        zh_top, en_top = typical_similarity(zh, en, lo, hi)
        return Embeddings(zh, en, prefix_sums(zh_top), prefix_sums(en_top))

    def blocks(self, prepared: Embeddings, zh_bounds: np.ndarray, en_bounds: np.ndarray):
        return block_sums(prepared.zh, zh_bounds), block_sums(prepared.en, en_bounds)

    def rebanded(self, prepared: Embeddings, band_lo: np.ndarray, band_hi: np.ndarray) -> Embeddings:
        zh_top, en_top = typical_similarity(prepared.zh, prepared.en, band_lo, band_hi)
        return Embeddings(prepared.zh, prepared.en, prefix_sums(zh_top), prefix_sums(en_top))

    def score(self, prepared: Embeddings, links: Links) -> np.ndarray:
        # Members count equally: weighting them by length made no difference beyond training noise
        # (docs/experiments.md, "length-weighted members").
        pairs = span_pairs(prepared.zh, prepared.en, links, unit=True)
        cosine = pairs.dots()
        zh_len = links.zh_end - links.zh_start
        en_len = links.en_end - links.en_start
        typical = 0.5 * (
            (prepared.zh_typical[links.zh_end] - prepared.zh_typical[links.zh_start]) / zh_len
            + (prepared.en_typical[links.en_end] - prepared.en_typical[links.en_start]) / en_len
        )
        # Each member sentence's own evidence for belonging to the link: its similarity to the other side,
        # less its typical similarity. Summed over members, so a longer link must earn its extra sentences.
        members = _member_margins(prepared.zh, prepared.zh_typical, links.zh_start, zh_len, pairs.en, pairs.en_index)
        members += _member_margins(prepared.en, prepared.en_typical, links.en_start, en_len, pairs.zh, pairs.zh_index)
        return np.stack([cosine, cosine - typical, members], axis=1)


def _member_margins(rows, typical_prefix, start, length, other, other_index) -> np.ndarray:
    out = np.zeros(len(start))
    typical = np.diff(typical_prefix)
    first, last = int(start.min(initial=0)), int((start + length).max(initial=0))
    block = rows[first:last]  # only the sentences these links touch
    for k in range(int(length.max(initial=0))):
        take = np.nonzero(length > k)[0]
        idx = start[take] + k
        out[take] += pair_products(block, other, idx - first, other_index[take]) - typical[idx]
    return out
