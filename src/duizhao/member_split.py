"""Per-member evidence after the search (issues 13 and 17): each edge member of a link's several-sentence side is
judged on its own evidence (its gain in the link's cosine under each encoder, its own dictionary words and
anchors, the search's margin for keeping it); one with none is split off as a 1-0 / 0-1 link, so that a sentence
whose translation is missing is left unpaired rather than folded into its neighbour's link.

Measured by `benchmarks/deletion_bench.py` (BENCHMARKS.md, "Unpaired sentences"); thresholds in `AlignConfig`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from .model import Bead
from .signals import Links
from .signals.embedding import member_gains, unit


class LinkScorer(Protocol):
    """What the member pass needs of the aligner's `Scorer`: the signals, their prepared data, the search's score
    of links of one type and the prior of a link type."""

    signals: list
    prepared: list

    def score(self, links: Links, a: int, b: int) -> np.ndarray: ...

    def type_prior(self, a: int, b: int) -> float: ...


class MemberSettings(Protocol):
    """The member pass's thresholds (`AlignConfig` has them)."""

    @property
    def member_gains(self) -> tuple[float, ...] | None: ...
    @property
    def member_own(self) -> int: ...
    @property
    def member_margin(self) -> float: ...
    @property
    def doubtful_gain(self) -> float: ...
    @property
    def doubtful_score(self) -> float: ...


@dataclass(frozen=True)
class Member:
    """An edge member of a link's several-sentence side (its first or last sentence) and its own evidence."""

    side: str  # "zh" or "en"
    index: int  # the sentence's id on its side
    first: bool  # the side's first member (else its last)
    gains: tuple[float, ...]  # the link's cosine less its cosine without the member, one per encoder
    own: int  # dictionary stems and anchor keys it shares with the other side that no other member holds
    words: int = 0  # dictionary stems and anchor keys it holds that could match anything in the document
    length_gain: float = 0.0  # the length feature of the link without it, less the link's (> 0: fits better)
    margin: float = 0.0  # the link's score less the split's (the rest's link and the member's 1-0 / 0-1)
    run_gains: tuple[float, ...] = ()  # gains with the sides encoded whole, for encoders that encoded them
    alone: tuple[float, ...] = ()  # the member's own cosine with the other side, per encoder

    def unfounded(self, gains: tuple[float, ...], own: int) -> bool:
        """No evidence of its own: each encoder's gain below its threshold in `gains` (a gain with the side
        encoded whole below half of it), and at most `own` dictionary stems or anchors of its own."""
        if self.own > own or len(self.gains) != len(gains):
            return False
        whole = self.run_gains and max(self.run_gains) >= 0.5 * gains[-1]
        return not whole and all(g < t for g, t in zip(self.gains, gains, strict=True))


def edge_members(scorer: LinkScorer, zh: tuple[int, int], en: tuple[int, int]) -> list[Member]:
    """The edge members of each several-sentence side of the link zh[0]:zh[1] ↔ en[0]:en[1], with their gains
    (`signals.embedding.member_gains`, as the checks' evidence has them) and their own dictionary and anchor
    matches, from the vectors and bags the signals prepared for the search (nothing is encoded or tokenised
    again); `with_margins` adds how the search scored the link against the split."""
    from .signals.bags import Bags
    from .signals.embedding import Embeddings

    views = [p for p in scorer.prepared if isinstance(p, Embeddings)]
    bags = [p for s, p in zip(scorer.signals, scorer.prepared, strict=True)
            if s.name in ("lexical", "anchors") and isinstance(p, Bags)]
    out = []
    for side, (s0, s1), (o0, o1) in (("zh", zh, en), ("en", en, zh)):
        if s1 - s0 < 2 or o1 <= o0:
            continue
        for index, first in ((s0, True), (s1 - 1, False)):
            gains, run_gains, alone = [], [], []
            for view in views:
                rows, other = (view.zh, view.en) if side == "zh" else (view.en, view.zh)
                total = rows[s0:s1].sum(0, dtype=np.float64)
                opposite = unit(other[o0:o1].sum(0, dtype=np.float64))
                gains.append(float(member_gains(rows[index][None, :], total, opposite, float(unit(total) @ opposite))[0]))
                alone.append(float(rows[index] @ opposite))
                runs, other_runs = (view.zh_runs, view.en_runs) if side == "zh" else (view.en_runs, view.zh_runs)
                if s1 - s0 in runs:
                    if o1 - o0 in other_runs:
                        opposite = unit(other_runs[o1 - o0][o0].astype(np.float64))
                    rest_start = s0 + 1 if first else s0
                    rest = rows[rest_start] if s1 - s0 == 2 else runs[s1 - s0 - 1][rest_start]
                    run_gains.append(float(runs[s1 - s0][s0] @ opposite - rest @ opposite))
            own = words = 0
            for bag in bags:
                rows, other = (bag.zh, bag.en) if side == "zh" else (bag.en, bag.zh)
                rest = np.delete(rows[s0:s1], index - s0, axis=0).any(0)
                own += int(np.count_nonzero((rows[index] > 0) & other[o0:o1].any(0) & ~rest))
                words += int(np.count_nonzero(rows[index]))
            member = Member(side, index, first, tuple(gains), own, words, run_gains=tuple(run_gains), alone=tuple(alone))
            out.append(member)
    return out


def with_margins(scorer: LinkScorer, items: list[tuple[tuple[int, int], tuple[int, int], Member]]) -> list[Member]:
    """Each (link, member) pair's member with its `margin` (the link's score less the split's: the rest's
    link plus the member's 1-0 / 0-1 prior) and `length_gain`, scored in one batch per link type."""
    if not items:
        return []
    wholes, rests = [], []
    for zh, en, member in items:
        s0, s1 = zh if member.side == "zh" else en
        span = (s0 + 1, s1) if member.first else (s0, s1 - 1)
        wholes.append((zh, en))
        rests.append((span, en) if member.side == "zh" else (zh, span))
    whole_scores, rest_scores = _score_spans(scorer, wholes), _score_spans(scorer, rests)
    length_gain = np.zeros(len(items))
    for signal, prepared in zip(scorer.signals, scorer.prepared, strict=True):
        if signal.name == "length":
            length_gain = signal.score(prepared, Links.of(rests))[:, 0] - signal.score(prepared, Links.of(wholes))[:, 0]
    out = []
    for k, (_, _, member) in enumerate(items):
        null = scorer.type_prior(1, 0) if member.side == "zh" else scorer.type_prior(0, 1)
        margin = float(whole_scores[k] - rest_scores[k] - null)
        out.append(replace(member, length_gain=float(length_gain[k]), margin=margin))
    return out


def _score_spans(scorer: LinkScorer, spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> np.ndarray:
    """The search's score of each link ((zh_start, zh_end), (en_start, en_end)), one call per link type."""
    out = np.zeros(len(spans))
    by_type: dict[tuple[int, int], list[int]] = {}
    for k, (zh, en) in enumerate(spans):
        by_type.setdefault((zh[1] - zh[0], en[1] - en[0]), []).append(k)
    for (a, b), ks in by_type.items():
        out[ks] = scorer.score(Links.of([spans[k] for k in ks]), a, b)
    return out


def split_unfounded(beads: list[Bead], scorer: LinkScorer, config: MemberSettings) -> list[Bead]:
    """The search's links with every member that has no evidence of its own split off as a 1-0 / 0-1 link.

    The search scores a link as a whole, so a sentence whose counterpart is missing is often cheaper inside
    its neighbour's link than alone. Here each edge member of a several-sentence side is judged by itself
    (`AlignConfig.member_gains`): a member with no evidence of its own (`Member.unfounded`) whose split the
    search rejected by less than `member_margin` is split off, the closest call first, and the rest is
    judged again. The pieces of a split link, and a link that keeps a member with no gain and no word of its
    own, score at most `doubtful_score`. Without the encoder set the thresholds were tuned for (`--fast`, one
    encoder) the links are left as they are.
    """
    from .signals.embedding import Embeddings

    views = sum(isinstance(p, Embeddings) for p in scorer.prepared)
    if config.member_gains is None or views != len(config.member_gains):
        return beads
    doubtful_gains = (config.doubtful_gain,) * views
    # The links being judged: position in `beads` -> [z0, z1, e0, e1, pieces before, pieces after, doubtful].
    open_links: dict[int, list] = {
        k: [b.zh[0], b.zh[-1] + 1, b.en[0], b.en[-1] + 1, [], [], False]
        for k, b in enumerate(beads) if b.zh and b.en and (len(b.zh) > 1 or len(b.en) > 1)}
    judging = list(open_links)
    while judging:  # one round per member split off; every round's margins are scored in one batch
        members = {k: edge_members(scorer, (open_links[k][0], open_links[k][1]), (open_links[k][2], open_links[k][3]))
                   for k in judging}
        items = [((z0, z1), (e0, e1), m) for k in judging
                 for z0, z1, e0, e1, *_ in [open_links[k]]
                 for m in members[k] if m.unfounded(config.member_gains, config.member_own)]
        owners = [k for k in judging for m in members[k] if m.unfounded(config.member_gains, config.member_own)]
        scored = with_margins(scorer, items)
        chosen: dict[int, Member] = {}
        for k, candidate in zip(owners, scored, strict=True):
            if candidate.margin < config.member_margin and (k not in chosen or candidate.margin < chosen[k].margin):
                chosen[k] = candidate
        next_round = []
        for k in judging:
            state = open_links[k]
            if k not in chosen:
                state[6] = any(m.unfounded(doubtful_gains, 0) for m in members[k])
                continue
            member = chosen[k]
            capped = min(beads[k].score, config.doubtful_score)
            piece = Bead((member.index,), (), capped) if member.side == "zh" else Bead((), (member.index,), capped)
            if member.first:
                state[4].append(piece)
            else:
                state[5].insert(0, piece)
            if member.side == "zh":
                state[0], state[1] = (state[0] + 1, state[1]) if member.first else (state[0], state[1] - 1)
            else:
                state[2], state[3] = (state[2] + 1, state[3]) if member.first else (state[2], state[3] - 1)
            if state[1] - state[0] >= 2 or state[3] - state[2] >= 2:
                next_round.append(k)
        judging = next_round
    out: list[Bead] = []
    for k, bead in enumerate(beads):
        if k not in open_links:
            out.append(bead)
            continue
        z0, z1, e0, e1, before, after, doubtful = open_links[k]
        score = min(bead.score, config.doubtful_score) if before or after or doubtful else bead.score
        out.extend([*before, Bead(tuple(range(z0, z1)), tuple(range(e0, e1)), score, list(bead.flags)), *after])
    return out
