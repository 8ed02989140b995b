"""Sentence-final punctuation: a question in the original is a question in the translation.

Translators keep question marks far more reliably than sentence boundaries, so the count of questions on the
two sides of a link is evidence about where a boundary goes. Exclamations are counted separately: English
translators add them freely, so their weight is learned apart.
"""
from __future__ import annotations

import numpy as np
import regex

from ..model import Document
from . import Context, Links, Signal, prefix_sums

MAX_MISMATCH = 3
_QUESTION = regex.compile(r"[?？]+")
_EXCLAMATION = regex.compile(r"[!！]+")


def counts(texts: list[str], pattern: regex.Pattern) -> np.ndarray:
    return prefix_sums(np.array([len(pattern.findall(t)) for t in texts], dtype=np.float64))


class PunctuationSignal(Signal):
    name = "punctuation"
    features = ("questions", "exclamations")
    range = (0.0, float(MAX_MISMATCH))
    cost = "light"

    def prepare(self, document: Document, context: Context):
        zh = [s.text for s in document.zh]
        en = [s.text for s in document.en]
        return [(counts(zh, pattern), counts(en, pattern)) for pattern in (_QUESTION, _EXCLAMATION)]

    def score(self, prepared, links: Links) -> np.ndarray:
        columns = []
        for zh, en in prepared:
            mismatch = np.abs((zh[links.zh_end] - zh[links.zh_start]) - (en[links.en_end] - en[links.en_start]))
            columns.append(np.minimum(mismatch, MAX_MISMATCH))
        return np.stack(columns, axis=1)
