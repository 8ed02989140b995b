"""Embedding evidence for the checks: how well each link, and each member of a link, matches its other side.

The aligner already encoded every sentence (the disk cache keeps them), so this costs a cache lookup per
sentence and encoder. For each encoder of the set, each side's sentences are centred (the language's offset
removed, as `signals.embedding` does) and a side of several sentences is the normalised sum of its members.

- a link's cosine, and its robust z-score against the document's own links (median and 1.4826 × MAD): a link
  far below the document's typical similarity may not translate its other side;
- the best cosine of each side with another link's other side (within `WINDOW` links): a side that matches
  another link clearly better than its own belongs elsewhere (the margin criterion of bitext mining);
- each member's gain, for a side of several sentences: the link's cosine less its cosine without that
  member. A member that adds nothing is what is left of a sentence whose counterpart is missing;
- each such member's own cosine with the link's other side, and its best and mean cosine with the other
  side of the links around (`NEAR` either way): a member closer to its neighbours' text than to its own
  link's has no counterpart there.

Every number is given per encoder: the checks ask all encoders of the set to agree before they flag.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .encoders import Encoder
from .model import Alignment
from .signals.embedding import centred, member_gains, unit

WINDOW = 500  # links either side among which a link's side is looked for elsewhere (bounds the work)
MIN_SPREAD = 0.05  # the least spread of link cosines a z-score divides by (a short or uniform document)
NEAR = 3  # links either side whose other side a member of a several-sentence side is compared with


@dataclass(frozen=True)
class LinkEvidence:
    """One link's evidence, one value per encoder (in the set's order)."""

    cosine: tuple[float, ...]
    z: tuple[float, ...]  # (cosine - the document's median link cosine) / its robust spread
    zh_gain: tuple[tuple[float, ...], ...] = ()  # per Chinese member of a several-sentence side (else empty)
    en_gain: tuple[tuple[float, ...], ...] = ()
    en_elsewhere: tuple[float, ...] = ()  # best cosine of this link's English with another link's Chinese
    zh_elsewhere: tuple[float, ...] = ()  # ... and of its Chinese with another link's English
    en_elsewhere_link: int = -1  # that other link (a position in `Alignment.beads`; first encoder's choice)
    zh_elsewhere_link: int = -1
    # Per member of a several-sentence side (else empty), per encoder: (its cosine with the link's other side,
    # its best cosine with the other side of the `NEAR` links either way, its mean cosine with them).
    zh_member: tuple[tuple[tuple[float, float, float], ...], ...] = ()
    en_member: tuple[tuple[tuple[float, float, float], ...], ...] = ()


def _best_elsewhere(rows: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, its best cosine with a row of `others` other than its own (within `WINDOW`), and where."""
    n = len(rows)
    best = np.full(n, -1.0)
    arg = np.zeros(n, dtype=np.int64)
    if n < 2:
        return best, arg
    for start in range(0, n, 256):
        end = min(start + 256, n)
        lo, hi = max(start - WINDOW, 0), min(end + WINDOW, n)
        sims = rows[start:end] @ others[lo:hi].T
        sims[np.arange(end - start), np.arange(start, end) - lo] = -np.inf
        arg[start:end] = sims.argmax(1) + lo
        best[start:end] = sims.max(1)
    return best, arg


def link_evidence(alignment: Alignment, encoders: Sequence[Encoder]) -> list[LinkEvidence | None]:
    """Evidence for each link of `alignment` with both sides (None for a 1-0 / 0-1 link)."""

    beads = alignment.beads
    paired = [k for k, b in enumerate(beads) if b.zh and b.en]
    if not encoders or not paired:
        return [None] * len(beads)
    views = []
    near: list[tuple[dict[int, list[tuple[float, float, float]]], dict[int, list[tuple[float, float, float]]]]] = []
    for encoder in encoders:
        zh = centred(np.asarray(encoder.encode([s.text for s in alignment.document.zh]), dtype=np.float32))
        en = centred(np.asarray(encoder.encode([s.text for s in alignment.document.en]), dtype=np.float32))
        zh_raw = np.stack([zh[list(beads[k].zh)].sum(0) for k in paired])
        en_raw = np.stack([en[list(beads[k].en)].sum(0) for k in paired])
        zh_side, en_side = unit(zh_raw), unit(en_raw)
        cosine = np.einsum("ij,ij->i", zh_side, en_side)
        centre = float(np.median(cosine))
        spread = max(1.4826 * float(np.median(np.abs(cosine - centre))), MIN_SPREAD)
        zh_gain = {n: member_gains(zh[list(beads[k].zh)], zh_raw[n], en_side[n], float(cosine[n]))
                   for n, k in enumerate(paired) if len(beads[k].zh) > 1}
        en_gain = {n: member_gains(en[list(beads[k].en)], en_raw[n], zh_side[n], float(cosine[n]))
                   for n, k in enumerate(paired) if len(beads[k].en) > 1}
        views.append((cosine, (cosine - centre) / spread, zh_gain, en_gain,
                      _best_elsewhere(en_side, zh_side), _best_elsewhere(zh_side, en_side)))
        near.append((_members_near(alignment, zh, en, "zh"), _members_near(alignment, zh, en, "en")))
    out: list[LinkEvidence | None] = [None] * len(beads)
    for n, k in enumerate(paired):
        def per_member(which: int, count: int, n: int = n) -> tuple[tuple[float, ...], ...]:
            if count < 2:
                return ()
            return tuple(tuple(float(v[which][n][i]) for v in views) for i in range(count))

        out[k] = LinkEvidence(
            cosine=tuple(float(v[0][n]) for v in views),
            z=tuple(float(v[1][n]) for v in views),
            zh_gain=per_member(2, len(beads[k].zh)),
            en_gain=per_member(3, len(beads[k].en)),
            en_elsewhere=tuple(float(v[4][0][n]) for v in views),
            zh_elsewhere=tuple(float(v[5][0][n]) for v in views),
            en_elsewhere_link=paired[int(views[0][4][1][n])],
            zh_elsewhere_link=paired[int(views[0][5][1][n])],
            zh_member=tuple(tuple(v[0][k][i] for v in near) for i in range(len(beads[k].zh))) if len(beads[k].zh) > 1 else (),
            en_member=tuple(tuple(v[1][k][i] for v in near) for i in range(len(beads[k].en))) if len(beads[k].en) > 1 else (),
        )
    return out


def _members_near(alignment: Alignment, zh: np.ndarray, en: np.ndarray, side: str
                  ) -> dict[int, list[tuple[float, float, float]]]:
    """For each link with several sentences on `side` and a sentence on the other: each member's cosine with
    the link's other side, and its best and mean cosine with the other side of the `NEAR` links either way."""
    beads = alignment.beads
    rows, others = (zh, en) if side == "zh" else (en, zh)

    def members(k: int) -> tuple[int, ...]:
        return beads[k].zh if side == "zh" else beads[k].en

    def other_side(k: int) -> np.ndarray | None:
        idx = beads[k].en if side == "zh" else beads[k].zh
        return unit(others[list(idx)].sum(0)) if idx else None

    out: dict[int, list[tuple[float, float, float]]] = {}
    for k in range(len(beads)):
        if len(members(k)) < 2 or (own := other_side(k)) is None:
            continue
        near = [v for j in range(max(0, k - NEAR), min(len(beads), k + NEAR + 1)) if j != k
                and (v := other_side(j)) is not None]
        result = []
        for i in members(k):
            sims = [float(rows[i] @ v) for v in near]
            result.append((float(rows[i] @ own), max(sims) if sims else -1.0, float(np.mean(sims)) if sims else 0.0))
        out[k] = result
    return out


__all__ = ["LinkEvidence", "link_evidence"]
