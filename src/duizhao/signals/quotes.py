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
from . import Context, Links, Signal, prefix_sums

MAX_MISMATCH = 3  # capped like unmatched anchors: a long pair must not cost more than leaving it unlinked
_ZH_OPEN = regex.compile(r"[“‘「『]")
_ZH_CLOSE = regex.compile(r"[”’」』]")
_EN_OPEN = regex.compile(r"(?<![\w])['\"‘“](?=[\w.…])")
_EN_CLOSE = regex.compile(r"(?<=[\w.,!?…—–-])['\"’”](?![\w])")


def counts(texts: list[str], opening: regex.Pattern, closing: regex.Pattern) -> tuple[np.ndarray, np.ndarray]:
    opened = np.array([len(opening.findall(t)) for t in texts], dtype=np.float64)
    closed = np.array([len(closing.findall(t)) for t in texts], dtype=np.float64)
    return prefix_sums(opened), prefix_sums(closed)


class QuoteSignal(Signal):
    name = "quotes"
    features = ("mismatch",)
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context):
        return (counts([s.text for s in document.zh], _ZH_OPEN, _ZH_CLOSE),
                counts([s.text for s in document.en], _EN_OPEN, _EN_CLOSE))

    def score(self, prepared, links: Links) -> np.ndarray:
        (zh_open, zh_close), (en_open, en_close) = prepared

        def span(prefix, start, end):
            return prefix[end] - prefix[start]

        mismatch = (np.abs(span(zh_open, links.zh_start, links.zh_end) - span(en_open, links.en_start, links.en_end))
                    + np.abs(span(zh_close, links.zh_start, links.zh_end) - span(en_close, links.en_start, links.en_end)))
        return np.minimum(mismatch, MAX_MISMATCH)[:, None]
