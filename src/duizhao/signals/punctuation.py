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
from . import Context, Links, Signal, count_mismatch, mark_counts

MAX_MISMATCH = 3
_QUESTION = regex.compile(r"[?？]+")
_EXCLAMATION = regex.compile(r"[!！]+")


class PunctuationSignal(Signal):
    name = "punctuation"
    features = ("question_mismatch", "exclamation_mismatch")
    range = (0.0, float(MAX_MISMATCH))
    cost = "light"

    def prepare(self, document: Document, context: Context):
        zh = [s.text for s in document.zh]
        en = [s.text for s in document.en]
        return [(mark_counts(zh, pattern), mark_counts(en, pattern)) for pattern in (_QUESTION, _EXCLAMATION)]

    def score(self, prepared, links: Links) -> np.ndarray:
        return np.stack([np.minimum(count_mismatch(zh, en, links), MAX_MISMATCH) for zh, en in prepared], axis=1)
