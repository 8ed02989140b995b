"""The bands of the alignment grid the search looks at: for each Chinese prefix length, the English prefix
lengths searched, and the links whose cells lie in a band. `align.course_band` finds a long document's band.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .signals import Links


@dataclass
class Band:
    """For each Chinese prefix length i (0..n), the English prefix lengths [lo[i], hi[i]) searched."""

    lo: np.ndarray
    hi: np.ndarray

    def __post_init__(self) -> None:
        self.offset = np.concatenate([[0], np.cumsum(self.hi - self.lo)]).astype(np.int64)

    @property
    def cells(self) -> int:
        return int(self.offset[-1])


def diagonal_band(n: int, m: int, max_cells: int) -> Band:
    """The whole grid if it is small enough, else a band around the diagonal as wide as the budget allows."""
    rows = np.arange(n + 1)
    if (n + 1) * (m + 1) <= max_cells:
        return Band(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))
    half = max(max_cells // (2 * (n + 1)), 16)
    centre = np.round(rows * (m / max(n, 1))).astype(np.int64)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half + 1, 1, m + 1)
    lo[0], hi[-1] = 0, m + 1
    # Each row must share a column with the row before, or no path could cross (very lopsided documents).
    lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
    return Band(lo, hi)


def corridor(path: list[tuple[int, int]], n: int, m: int, radius: int) -> Band:
    """A band of `radius` sentences around a path of grid points (prefix lengths), monotone by construction."""
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    for i, j in path:
        low[i] = min(low[i], j)
        high[i] = max(high[i], j)
    # Rows a link skipped over (a 2-1 link jumps a row) take their neighbours' range.
    for i in range(1, n + 1):
        if low[i] > high[i]:
            low[i], high[i] = high[i - 1], high[i - 1]
    lo = low.copy()
    hi = high.copy()
    for shift in range(1, radius + 1):
        lo[shift:] = np.minimum(lo[shift:], low[:-shift])
        lo[:-shift] = np.minimum(lo[:-shift], low[shift:])
        hi[shift:] = np.maximum(hi[shift:], high[:-shift])
        hi[:-shift] = np.maximum(hi[:-shift], high[shift:])
    lo = np.clip(lo - radius, 0, m)
    hi = np.clip(hi + radius + 1, 1, m + 1)
    return Band(lo, hi)


def block_bounds(count: int, size: int) -> np.ndarray:
    return np.unique(np.concatenate([np.arange(0, count, size), [count]])).astype(np.int64)


def band_links(band: Band, a: int, b: int) -> tuple[np.ndarray, Links]:
    """All links of type a-b whose end cell and start cell both lie in the band: their flat end-cell index
    and their spans."""
    rows = np.arange(a, len(band.lo))
    j0 = np.maximum(band.lo[rows], band.lo[rows - a] + b)
    j1 = np.minimum(band.hi[rows], band.hi[rows - a] + b)
    count = np.maximum(j1 - j0, 0)
    total = int(count.sum())
    row = np.repeat(rows, count)
    first = np.repeat(np.cumsum(count) - count, count)
    j = np.repeat(j0, count) + (np.arange(total) - first)
    cell = band.offset[row] + (j - band.lo[row])
    return cell, Links(row - a, row, j - b, j)
