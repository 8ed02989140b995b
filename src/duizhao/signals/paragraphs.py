"""Paragraphs: a link rarely joins sentences from different paragraphs, and paragraphs start together.

Gale & Church aligned paragraphs before sentences for this reason. Here boundaries are soft penalties:
- `crossings`: each paragraph break inside one side of a link counts once;
- `start_mismatch`: 1 when one side of a link starts a paragraph and the other does not.
A side whose every sentence is its own paragraph (one sentence per line, gold-segmented files) has no
paragraph structure and counts nothing. MAC-Dev's chapters are nearly one paragraph each, so these weights
are set by hand in align.py rather than learned.
"""
from __future__ import annotations

import itertools

import numpy as np

from ..model import Document, Sentence
from . import Context, Links, Signal, prefix_sums


def breaks(sentences: list[Sentence]) -> np.ndarray:
    """Prefix sums of paragraph breaks: entry k + 1 is 1 when sentence k starts a new paragraph."""
    paragraphs = [s.paragraph for s in sentences]
    if len(set(paragraphs)) == len(paragraphs):
        return np.zeros(len(paragraphs) + 1)
    starts = np.array([1] + [int(a != b) for a, b in itertools.pairwise(paragraphs)], dtype=np.float64)
    return prefix_sums(starts)


class ParagraphSignal(Signal):
    name = "paragraphs"
    features = ("crossings", "start_mismatch")
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context) -> tuple[np.ndarray, np.ndarray]:
        return breaks(document.zh), breaks(document.en)

    def score(self, prepared: tuple[np.ndarray, np.ndarray], links: Links) -> np.ndarray:
        zh, en = prepared
        # Breaks strictly inside the span: those before its 2nd, 3rd, … sentence.
        inside = (zh[links.zh_end] - zh[links.zh_start + 1]) + (en[links.en_end] - en[links.en_start + 1])
        if zh[-1] == 0 or en[-1] == 0:
            return np.stack([inside, np.zeros(len(links))], axis=1)
        zh_starts = (zh[links.zh_start + 1] - zh[links.zh_start]) > 0
        en_starts = (en[links.en_start + 1] - en[links.en_start]) > 0
        return np.stack([inside, (zh_starts != en_starts).astype(np.float64)], axis=1)
