"""Review edits as pure functions: a document's links in, the change to make out, no database.

`Store` loads the links, calls one of these, writes the `Change` and logs it for undo, all in one
transaction; the web app and the tests call them the same way. Each edit is validated here and refused with
an `EditError` (or `NotFoundError` for a link that does not exist) that says what to do instead.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..errors import EditError, NotFoundError
from ..model import Bead, Flag, Lang


@dataclass(frozen=True)
class StoredLink:
    """One stored link: sentence ids of each side, the aligner's confidence and flags, the review mark."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float = 0.0
    flags: tuple[Flag, ...] = ()
    reviewed: bool = False

    @classmethod
    def from_bead(cls, bead: Bead, reviewed: bool = False) -> StoredLink:
        return cls(tuple(bead.zh), tuple(bead.en), bead.score, tuple(bead.flags), reviewed)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredLink:
        """From the JSON form the edit log keeps (`as_dict`)."""
        return cls(tuple(data["zh"]), tuple(data["en"]), data["score"],
                   tuple(Flag(**flag) for flag in data["flags"]), bool(data["reviewed"]))

    def as_dict(self) -> dict[str, Any]:
        return {"zh": list(self.zh), "en": list(self.en), "score": self.score,
                "flags": [flag.as_dict() for flag in self.flags], "reviewed": self.reviewed}

    def bead(self) -> Bead:
        return Bead(self.zh, self.en, self.score, list(self.flags))

    def side(self, lang: Lang) -> tuple[int, ...]:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Change:
    """What an edit does: replace `count` links from `start` with `links`; the document's review mark after."""

    start: int
    count: int
    links: list[StoredLink] = field(default_factory=list)
    doc_reviewed: bool = False


def review_state(links: list[StoredLink], doc_reviewed: bool, last_edit: int | None) -> str:
    """A short fingerprint of a document's links, review marks and undo log: an edit names the state it was
    made on, so that one made on an old view (a second tab, a replayed form) is refused instead of landing
    on another link. Undo returns to an earlier state's fingerprint, where that view's edits hold again;
    an edit made and taken back elsewhere still changes it (the undo log is not the same)."""
    summary = [[list(link.zh), list(link.en), bool(link.reviewed)] for link in links]
    return hashlib.blake2b(json.dumps([summary, bool(doc_reviewed), last_edit]).encode(), digest_size=8).hexdigest()


def check_move(lang: str, direction: str) -> None:
    """`move`'s arguments, checked before the document is read."""
    if lang not in ("zh", "en"):
        raise EditError(f"unknown language {lang!r}: use zh or en")
    if direction not in ("up", "down"):
        raise EditError(f"unknown direction {direction!r}: use up or down")


def check_position(links: list[StoredLink], position: int) -> None:
    if not 0 <= position < len(links):
        raise NotFoundError(f"no link {position}: this document has links 0 to {len(links) - 1}")


def merge(links: list[StoredLink], position: int, doc_reviewed: bool) -> Change:
    """Join link `position` with the next one."""
    check_position(links, position)
    if position + 1 >= len(links):
        raise EditError(f"link {position} is the last one: there is no next link to merge it with")
    first, second = links[position], links[position + 1]
    merged = StoredLink(
        first.zh + second.zh, first.en + second.en,
        # the weaker link's confidence: merging does not make the aligner surer
        min(first.score, second.score), first.flags + second.flags,
        reviewed=True,  # a reviewer made this link
    )
    return Change(position, 2, [merged], doc_reviewed)


def split(links: list[StoredLink], position: int, zh_at: int | None, en_at: int | None, doc_reviewed: bool,
          lengths: Callable[[Lang, tuple[int, ...]], list[int]]) -> Change:
    """Cut link `position` in two: its first `zh_at` Chinese and `en_at` English sentences, then the rest.

    Without cut points: the first sentence of each side that has several, against the rest; a link with
    at most one sentence a side becomes a 1-0 and a 0-1 link. With one cut point: the other side is cut
    where the share of its characters comes closest to the share before the given cut (as length-based
    aligners pair text), never leaving a part empty. `lengths(lang, ids)`: the sentences' lengths.
    """
    check_position(links, position)
    link = links[position]
    n_zh, n_en = len(link.zh), len(link.en)
    for name, at, n in (("zh_at", zh_at, n_zh), ("en_at", en_at, n_en)):
        if at is not None and not 0 <= at <= n:
            raise EditError(
                f"{name} {at} is out of range: link {position} has {n_zh} Chinese and {n_en} English sentences"
            )
    if zh_at is not None and en_at is not None:
        z, e = zh_at, en_at
    elif zh_at is not None:
        z, e = zh_at, matching_cut(link, "zh", zh_at, lengths)
    elif en_at is not None:
        z, e = matching_cut(link, "en", en_at, lengths), en_at
    else:
        z, e = min(n_zh, 1), min(n_en, 1)
        if (z, e) == (n_zh, n_en):  # one sentence a side at most: separate the two sides
            e = 0
    if (z, e) in ((0, 0), (n_zh, n_en)):
        raise EditError(f"link {position} cannot be split there: one part would be empty")
    # both parts keep the aligner's score and flags: the reviewer decides what they mean now
    parts = [replace(link, zh=link.zh[:z], en=link.en[:e], reviewed=True),
             replace(link, zh=link.zh[z:], en=link.en[e:], reviewed=True)]
    return Change(position, 1, parts, doc_reviewed)


def matching_cut(link: StoredLink, given: Lang, at: int, lengths: Callable[[Lang, tuple[int, ...]], list[int]]) -> int:
    """The cut of the other side whose share of characters is closest to the share before `at` on `given`."""
    other: Lang = "en" if given == "zh" else "zh"

    def cumulative(lang: Lang) -> list[float]:
        sizes = lengths(lang, link.side(lang)) if link.side(lang) else []
        total = sum(sizes) or 1
        shares, running = [0.0], 0
        for size in sizes:
            running += size
            shares.append(running / total)
        return shares

    target = cumulative(given)[at]
    n_given, n_other = len(link.side(given)), len(link.side(other))
    # a cut at the very start (or end) of the given side needs the other side's cut past it, or a part is empty
    allowed = [k for k in range(n_other + 1) if not (at == 0 and k == 0) and not (at == n_given and k == n_other)]
    if not allowed:
        return 0  # the caller reports the empty part
    shares = cumulative(other)
    return min(allowed, key=lambda k: (abs(shares[k] - target), k))


def move(links: list[StoredLink], position: int, lang: str, direction: str, doc_reviewed: bool) -> Change:
    """Move the boundary sentence of one side to the neighbouring link.

    direction "up": the first `lang` sentence of link `position` goes to the end of the previous link;
    "down": the last one goes to the start of the next link. A link left empty disappears.
    """
    check_move(lang, direction)
    side: Lang = "zh" if lang == "zh" else "en"
    check_position(links, position)
    here = links[position]
    ids = here.side(side)
    if not ids:
        raise EditError(f"link {position} has no {lang} sentence to move")
    if direction == "up":
        if position == 0:
            raise EditError("the first link has no previous link to move a sentence to")
        other = links[position - 1]
        moved_other = _with_side(other, side, other.side(side) + ids[:1])
        moved_here = _with_side(here, side, ids[1:])
        start, pair = position - 1, [moved_other, moved_here]
    else:
        if position + 1 >= len(links):
            raise EditError("the last link has no next link to move a sentence to")
        other = links[position + 1]
        moved_here = _with_side(here, side, ids[:-1])
        moved_other = _with_side(other, side, ids[-1:] + other.side(side))
        start, pair = position, [moved_here, moved_other]
    return Change(start, 2, [link for link in pair if link.zh or link.en], doc_reviewed)


def _with_side(link: StoredLink, lang: Lang, ids: tuple[int, ...]) -> StoredLink:
    return replace(link, zh=ids, reviewed=True) if lang == "zh" else replace(link, en=ids, reviewed=True)


def review(links: list[StoredLink], position: int | None, reviewed: bool, doc_reviewed: bool) -> Change:
    """Mark one link, or (position None) the whole document and all its links, reviewed or not.
    A link marked not reviewed makes the document not reviewed either."""
    if position is None:
        return Change(0, len(links), [replace(link, reviewed=reviewed) for link in links], reviewed)
    check_position(links, position)
    return Change(position, 1, [replace(links[position], reviewed=reviewed)], doc_reviewed and reviewed)
