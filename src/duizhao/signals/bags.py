"""Bags of comparable keys (dictionary stems, anchor keys) as dense count vectors, for fast link scoring.

Keys are numbered per document; a document with more distinct keys than `max_width` folds them into
`max_width` columns by a stable hash (rare collisions cost a little precision, never memory).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from . import Links, block_sums


@dataclass
class Bags:
    zh: np.ndarray  # (n, width) counts of keys per Chinese sentence (uint8)
    en: np.ndarray  # (m, width)
    zh_size: np.ndarray  # prefix sums of how many keys each sentence holds (the Dice denominator)
    en_size: np.ndarray
    products: np.ndarray | None = None  # every sentence pair's dot product, once computed (short documents)


def column_map(keys: set[str], max_width: int) -> tuple[dict[str, int], int]:
    if len(keys) <= max_width:
        return {key: col for col, key in enumerate(sorted(keys))}, max(len(keys), 1)
    return {key: zlib.crc32(key.encode("utf-8")) % max_width for key in keys}, max_width


def count_matrix(bags: list[list[str]], columns: dict[str, int], width: int) -> np.ndarray:
    """Counts as uint8 (a sentence never holds a key 255 times): a 100,000-sentence side at 4,096 columns
    takes 400 MB instead of 1.6 GB; spans are summed in float32 when scored."""
    out = np.zeros((len(bags), width), dtype=np.uint8)
    for row, bag in enumerate(bags):
        for key in bag:
            col = columns.get(key)
            if col is not None and out[row, col] < 255:
                out[row, col] += 1
    return out


def shared_dots(bags: Bags, links: Links) -> np.ndarray:
    """Dot products of the two sides' key counts for each link.

    A dot product is bilinear: a link's is the sum of the products of its sentence pairs. The links of a
    search band overlap heavily (22 link types ending at every cell), so each sentence pair the links
    touch is multiplied once and each link sums at most a handful of them, instead of one product of two
    summed rows per link. Where the pairs cover most of the grid, one matrix product does it.
    """
    n, m = bags.zh.shape[0], bags.en.shape[0]
    if len(links) == 0 or n == 0 or m == 0:
        return np.zeros(len(links))
    zh_len, en_len = links.zh_end - links.zh_start, links.en_end - links.en_start
    if bags.products is None:
        # For each Chinese sentence, the English sentences some link pairs it with: [lo, hi).
        lo, hi = np.full(n, m, dtype=np.int64), np.zeros(n, dtype=np.int64)
        for k in range(int(zh_len.max())):
            take = zh_len > k
            _reduce_into(lo, np.minimum, links.zh_start[take] + k, links.en_start[take])
            _reduce_into(hi, np.maximum, links.zh_start[take] + k, links.en_end[take])
        hi = np.maximum(hi, lo)
        offset = np.concatenate([[0], np.cumsum(hi - lo)])
        cells = int(offset[-1])
        if cells * 4 >= n * m:  # the same for every link type: computed once per document
            bags.products = bags.zh.astype(np.float32) @ bags.en.astype(np.float32).T
    if bags.products is not None:
        full = bags.products
        pair = lambda i, j: full[i, j]  # noqa: E731
    else:
        rows = np.repeat(np.arange(n), hi - lo)
        cols = np.arange(cells) - offset[rows] + lo[rows]
        products = np.empty(cells, dtype=np.float32)
        for start in range(0, cells, 16384):
            part = slice(start, start + 16384)
            products[part] = np.einsum("ij,ij->i", bags.zh[rows[part]].astype(np.float32),
                                       bags.en[cols[part]].astype(np.float32))
        pair = lambda i, j: products[offset[i] + j - lo[i]]  # noqa: E731
    out = np.zeros(len(links))
    for k in range(int(zh_len.max())):
        for step in range(int(en_len.max())):
            take = np.nonzero((zh_len > k) & (en_len > step))[0]
            if len(take):
                out[take] += pair(links.zh_start[take] + k, links.en_start[take] + step)
    return out


def bag_blocks(bags: Bags, zh_bounds: np.ndarray, en_bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Summed key counts of blocks of sentences, unit length: their cosine is the blocks' shared vocabulary."""
    return block_sums(bags.zh, zh_bounds), block_sums(bags.en, en_bounds)


def _reduce_into(target: np.ndarray, ufunc, index: np.ndarray, values: np.ndarray) -> None:
    """target[index] = ufunc(target[index], values), also for repeated indices. A search band's links come
    sorted by row, and then one reduceat over the runs is much faster than ufunc.at."""
    if len(index) == 0:
        return
    if np.all(index[1:] >= index[:-1]):
        starts = np.concatenate([[0], np.flatnonzero(np.diff(index)) + 1])
        rows = index[starts]
        target[rows] = ufunc(target[rows], ufunc.reduceat(values, starts))
    else:
        ufunc.at(target, index, values)


def span_size(prefix: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    return prefix[end] - prefix[start]
