"""Paragraphs: a link rarely joins sentences from different paragraphs (in MAC-Dev's gold, never).

Gale & Church aligned paragraphs before sentences for this reason. Here the boundary is a soft penalty: each
paragraph break inside one side of a link counts once. A side whose every sentence is its own paragraph
(one sentence per line, gold-segmented files) has no paragraph structure, and counts nothing.
"""
from __future__ import annotations

import numpy as np

from ..model import Document, Sentence
from . import Context, Links, Signal, prefix_sums


def breaks(sentences: list[Sentence]) -> np.ndarray:
    """Prefix sums of paragraph breaks: entry k + 1 is 1 when sentence k starts a new paragraph."""
    paragraphs = [s.paragraph for s in sentences]
    if len(set(paragraphs)) == len(paragraphs):
        return np.zeros(len(paragraphs) + 1)
    starts = np.array([0] + [int(a != b) for a, b in zip(paragraphs, paragraphs[1:])], dtype=np.float64)
    return prefix_sums(starts)


class ParagraphSignal(Signal):
    name = "paragraphs"
    features = ("crossings",)
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context) -> tuple[np.ndarray, np.ndarray]:
        return breaks(document.zh), breaks(document.en)

    def score(self, prepared: tuple[np.ndarray, np.ndarray], links: Links) -> np.ndarray:
        zh, en = prepared
        # Breaks strictly inside the span: those before its 2nd, 3rd, … sentence.
        inside = (zh[links.zh_end] - zh[links.zh_start + 1]) + (en[links.en_end] - en[links.en_start + 1])
        return inside[:, None]
