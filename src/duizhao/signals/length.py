"""Length: Gale–Church's model on characters, with the English/Chinese character ratio taken from the document.

Chinese packs about three times as much into a character as English, and the ratio varies by genre and
translator, so a fixed ratio (nltk's default 1.0) fails; each document supplies its own.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Document
from . import Context, Links, Signal, prefix_sums

VARIANCE = 6.8  # Gale & Church's variance of target characters per source character
MAX_PENALTY = 25.0  # beyond ~7 standard deviations the length says nothing more


@dataclass
class Lengths:
    zh: np.ndarray  # prefix sums of Chinese characters (spaces excluded)
    en: np.ndarray  # prefix sums of English characters (spaces excluded)
    ratio: float  # English characters per Chinese character in this document


def char_count(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


class LengthSignal(Signal):
    name = "length"
    features = ("gale_church",)
    range = (-MAX_PENALTY, 0.0)
    cost = "light"

    def prepare(self, document: Document, context: Context) -> Lengths:
        zh = np.array([char_count(s.text) for s in document.zh], dtype=np.float64)
        en = np.array([char_count(s.text) for s in document.en], dtype=np.float64)
        ratio = float(en.sum() / zh.sum()) if zh.sum() > 0 and en.sum() > 0 else 3.0
        return Lengths(prefix_sums(zh), prefix_sums(en), ratio)

    def score(self, prepared: Lengths, links: Links) -> np.ndarray:
        expected = (prepared.zh[links.zh_end] - prepared.zh[links.zh_start]) * prepared.ratio
        actual = prepared.en[links.en_end] - prepared.en[links.en_start]
        # Gale–Church: the difference grows with the square root of the length.
        delta2 = (actual - expected) ** 2 / (VARIANCE * (actual + expected) / 2 + 1.0)
        return (-np.minimum(delta2 / 2, MAX_PENALTY))[:, None]
