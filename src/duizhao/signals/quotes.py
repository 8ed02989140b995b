"""Quotations: a translation opens and closes quotations where the original does.

Dialogue is where sentence boundaries move most between Chinese and English (a speech split in two, a
"he said" moved), and the quotation marks show which pieces belong together. The feature counts how far a
link's two sides disagree in quotations opened and closed. English apostrophes inside or after a word
(it's, ma'am, Russia’s) are not quotation marks: only a mark at a word's edge counts.
"""
from __future__ import annotations

import numpy as np
import regex

from ..model import Document
from . import Context, Links, Signal, count_mismatch, mark_counts

MAX_MISMATCH = 3  # capped like unmatched anchors: a long pair must not cost more than leaving it unlinked
_ZH_OPEN = regex.compile(r"[“‘「『]")
_ZH_CLOSE = regex.compile(r"[”’」』]")
_EN_OPEN = regex.compile(r"(?<![\w])['\"‘“](?=[\w.…])")
_EN_CLOSE = regex.compile(r"(?<=[\w.,!?…—–-])['\"’”](?![\w])")


class QuoteSignal(Signal):
    name = "quotes"
    features = ("mismatch",)
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context):
        zh = [s.text for s in document.zh]
        en = [s.text for s in document.en]
        return ((mark_counts(zh, _ZH_OPEN), mark_counts(en, _EN_OPEN)),
                (mark_counts(zh, _ZH_CLOSE), mark_counts(en, _EN_CLOSE)))

    def score(self, prepared, links: Links) -> np.ndarray:
        (zh_opened, en_opened), (zh_closed, en_closed) = prepared
        mismatch = count_mismatch(zh_opened, en_opened, links) + count_mismatch(zh_closed, en_closed, links)
        return np.minimum(mismatch, MAX_MISMATCH)[:, None]
