"""Pairing the anchors (numbers, dates, Latin names) of a link's two sides: which keys name the same thing,
and which anchors are left without a partner."""
from __future__ import annotations

from typing import Protocol, TypeVar


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


Anchor = TypeVar("Anchor", bound=_Keyed)  # numbers.Anchor: anything with a comparable key


def _date_parts(key: str) -> tuple[str, str, str]:
    body = key.removeprefix("date:")
    if body.startswith("--"):
        parts = body[2:].split("-")
        return "", parts[0], parts[1] if len(parts) > 1 else ""
    parts = body.split("-")
    return parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""


def keys_match(a: str, b: str) -> bool:
    """Whether two anchor keys name the same thing, allowing one side to leave out what the other says.

    A date without a year matches the same month and day with one (10月22日 ↔ October 22, 2023); a year
    matches the same number written without 年 (2023年 ↔ 2023).
    """
    if a == b:
        return True
    if a.startswith("date:") and b.startswith("date:"):
        ya, ma, da = _date_parts(a)
        yb, mb, db = _date_parts(b)
        if not ma and not mb:
            return False
        return ma == mb and da == db and (not ya or not yb or ya == yb)
    for x, y in ((a, b), (b, a)):
        if x.startswith("date:") and y.startswith("num:"):
            year, month, _ = _date_parts(x)
            return bool(year) and not month and y == f"num:{int(year)}"
    return False


def unmatched(zh: list[Anchor], en: list[Anchor]) -> tuple[list[Anchor], list[Anchor]]:
    """The anchors of each side that find no partner on the other (each anchor partners at most one).

    Exact keys pair first, then the lenient `keys_match` pairs, so that one side's extra "2023" cannot take
    the partner another anchor needs.
    """
    left_zh = list(zh)
    left_en = list(en)
    for lenient in (False, True):
        still_zh = []
        for a in left_zh:
            partner = next((b for b in left_en if (keys_match(a.key, b.key) if lenient else a.key == b.key)), None)
            if partner is None:
                still_zh.append(a)
            else:
                left_en.remove(partner)
        left_zh = still_zh
    return left_zh, left_en
