"""Questions and exclamations: a question in the original is mostly a question in the translation.

Translators move sentence boundaries far more freely than they turn a question into a statement, so how far a
link's two sides disagree in questions is evidence about where a boundary goes, most of all in dialogue.
Exclamations are a feature of their own: translators add and drop them more, and the weights say how much
each is worth (learned on MAC-Dev; in default mode the embedding already tells questions apart, and the
exclamation mismatch weighs more).
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
    features = ("question_mismatch", "exclamation_mismatch")
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
