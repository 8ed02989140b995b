"""Anchors: numbers, dates, percentages and Latin-script tokens that a translation carries over unchanged.

Keys come from `duizhao.numbers` (七个 ↔ seven ↔ 7, 10月22日 ↔ October 22, COP28 ↔ COP28). Two features:
how many anchors the two sides share, and how many find no partner — an unmatched number is evidence
against a link, where an unmatched ordinary word is not.
"""
from __future__ import annotations

import numpy as np

from ..model import Document
from ..numbers import anchors_en, anchors_zh
from . import Context, Links, Signal, prefix_sums
from .bags import Bags, bag_blocks, column_map, count_matrix, shared_dots, span_size

MAX_WIDTH = 1024
MAX_UNMATCHED = 3  # beyond a few unmatched anchors, more say nothing new about a link


def comparable_keys(anchors) -> list[str]:
    """Keys that compare exactly where `numbers.keys_match` compares leniently: a full date also yields its
    month-and-day key (10月22日 ↔ October 22, 2023), a bare year its number (2023年 ↔ 2023)."""
    keys = []
    for anchor in anchors:
        key = anchor.key
        if key.startswith("date:") and not key.startswith("date:--"):
            parts = key[5:].split("-")
            if len(parts) == 3:
                key = f"date:--{parts[1]}-{parts[2]}"
            elif len(parts) == 1:
                key = f"num:{int(parts[0])}"
        keys.append(key)
    return keys


class AnchorSignal(Signal):
    name = "anchors"
    features = ("shared", "unmatched")
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context) -> Bags:
        zh_keys = [comparable_keys(anchors_zh(s.text)) for s in document.zh]
        en_keys = [comparable_keys(anchors_en(s.text)) for s in document.en]
        columns, width = column_map({k for keys in zh_keys + en_keys for k in keys}, MAX_WIDTH)
        zh, en = count_matrix(zh_keys, columns, width), count_matrix(en_keys, columns, width)
        return Bags(zh, en, prefix_sums(zh.sum(1, dtype=np.float64)), prefix_sums(en.sum(1, dtype=np.float64)))

    def blocks(self, prepared: Bags, zh_bounds: np.ndarray, en_bounds: np.ndarray):
        return bag_blocks(prepared, zh_bounds, en_bounds)

    def score(self, prepared: Bags, links: Links) -> np.ndarray:
        zh_size = span_size(prepared.zh_size, links.zh_start, links.zh_end)
        en_size = span_size(prepared.en_size, links.en_start, links.en_end)
        # A dot product of key counts; a key repeated on one side pairs at most as often as the other has it.
        shared = np.minimum(shared_dots(prepared, links), np.minimum(zh_size, en_size))
        size = zh_size + en_size
        # Unmatched anchors grow with a link's length; capped, they cannot make a long sentence pair cost more
        # than leaving both sentences unlinked, while the first few still count in full.
        return np.stack([shared, np.minimum(size - 2 * shared, MAX_UNMATCHED)], axis=1)
