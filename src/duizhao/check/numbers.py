"""``number`` and ``date`` flags: a number, quantity or date on one side only, or different."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import regex

from ..model import Flag
from ..numbers import Anchor, anchors_en, anchors_zh, unmatched

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------- numbers and dates

def _weak(anchor: Anchor) -> bool:
    """Anchors whose absence on the other side proves nothing: one and two written as words (一个 "a",
    两国 "the two countries" ↔ 双方), estimates (五六个) and numbers inside titles (《三体》)."""
    return anchor.vague or (anchor.spelled and anchor.key in ("num:1", "num:2"))


# Set phrases whose numbers are figures of speech (十万八千里 "ever so far", 千方百计 "by every means").
_ZH_NUMBER_IDIOMS = regex.compile(
    "十万八千里?|千里|百里|千般|万般|百般|千种|万种|十有八九|十有九|一万个|千方百计|千辛万苦|千军万马|万水千山|"
    "四面八方|七上八下|乱七八糟|七嘴八舌|三番五次|三言两语|一五一十|九死一生|百发百中|千丝万缕|万无一失|一干二净")
# A count made vague by what follows or precedes it: 二十几两 "twenty-odd", 一百多亿 "over ten billion", 几百.
# 八九两 "eight or nine", 十七八岁 "seventeen or eighteen", 二十几两 "twenty-odd": a range, not a count.
_ZH_RANGE = regex.compile(r"[一二三四五六七八九]{2}|[十百千万][几多余]|几")
_ZH_ESTIMATE_TEXT = regex.compile(r"[一二三四五六七八九十][十百千万]?[几多余来][\p{Han}]|[几数][十百千万]|[二三四五六七八九]{2}")
_ZH_NUMERAL_END = regex.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]$")
_EN_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|hundred|thousand|\d+)"
_EN_ESTIMATE = regex.compile(rf"^\s*(?:or|to)\s+{_EN_NUMBER_WORD}\b|\b{_EN_NUMBER_WORD}\s+(?:or|to)\s*$|^-odd\b",
                             regex.IGNORECASE)
_HEADING_NUMBER = regex.compile(r"^\s*[0-9０-９]{1,3}\s*[.．、]\s*")


def _figurative(text: str, anchor: Anchor, zh: bool) -> bool:
    """A number that need not be carried over: inside a set phrase, an estimate (二十几, 十七八, seventeen or
    eighteen), or the list number of a heading (6. 片厂 ↔ The Film Studio)."""
    start, end = anchor.span
    if start == 0 and len(text) <= 30 and _HEADING_NUMBER.match(text):
        return True
    if zh:
        if any(m.start() <= start < m.end() for m in _ZH_NUMBER_IDIOMS.finditer(text)):
            return True
        if _ZH_RANGE.search(text[start:end]):
            return True
        if _ZH_NUMERAL_END.search(text[start:end]) and text[end:end + 1] in ("几", "多", "余", "来"):
            return True
        return text[max(start - 1, 0):start] in ("几", "数")
    return bool(_EN_ESTIMATE.search(text[end:end + 16]) or _EN_ESTIMATE.search(text[max(start - 16, 0):start]))


def _value(anchor: Anchor) -> float | None:
    try:
        return float(anchor.key.removeprefix("num:")) if anchor.key.startswith("num:") else None
    except ValueError:
        return None


def _estimate_ranges(zh: str, anchors: list[Anchor]) -> list[tuple[float, float]]:
    """The values the Chinese side's estimates allow on the other side (see `anchor_flags`)."""
    ranges: list[tuple[float, float]] = []
    covered: list[tuple[int, int]] = []
    for anchor in anchors:
        if anchor.kind == "date" or not (anchor.vague or _figurative(zh, anchor, True)):
            continue
        start, end = anchor.span
        covered.append((start, end + 1))
        value = _value(anchor)
        idiom = any(m.start() <= start < m.end() for m in _ZH_NUMBER_IDIOMS.finditer(zh))
        if value and not idiom and zh[end:end + 1] in ("多", "余", "来") and not _ZH_RANGE.search(zh[start:end]) \
                and zh[end + 1:end + 2] not in ("十", "百", "千", "万", "亿"):  # 一百多亿: a larger unit follows
            ranges.append((value, 2 * value))  # 三十多 "over thirty"
        elif value and not idiom and regex.fullmatch(r"[一二三四五六七八九]{2}", zh[start:end]):
            ranges.append((value - 1, value + 1))  # 八九 "eight or nine"
        else:
            ranges.append((0.0, math.inf))
    for m in (*_ZH_NUMBER_IDIOMS.finditer(zh), *_ZH_ESTIMATE_TEXT.finditer(zh)):
        if not any(s <= m.start() < e for s, e in covered):
            ranges.append((0.0, math.inf))
    return ranges


def _within(anchor: Anchor, ranges: list[tuple[float, float]]) -> bool:
    value = _value(anchor)
    return any((lo == 0.0 and hi == math.inf) or (value is not None and lo <= value <= hi) for lo, hi in ranges)


def anchor_flags(zh: str, en: str) -> list[Flag]:
    zh_anchors = [a for a in anchors_zh(zh) if a.kind != "latin"]
    en_anchors = [a for a in anchors_en(en) if a.kind != "latin"]
    left_zh, left_en = unmatched(zh_anchors, en_anchors)
    # A side that gives an estimate (二十几两, 一二十个, seventeen or eighteen) may be rendered by any number
    # on the other side: its unmatched counts prove nothing.
    # A Chinese estimate bounds what it may be rendered by: 三十多 "thirty-odd" is 30 to 60, not twenty; 八九
    # "eight or nine" is 7 to 10; a set phrase (千方百计) or an estimate of another shape excuses any number.
    zh_ranges = _estimate_ranges(zh, zh_anchors)
    en_estimates = any(a.vague or _figurative(en, a, False) for a in en_anchors if a.kind != "date")
    flags = []
    for flag_type, kinds in (("date", {"date"}), ("number", {"number", "ordinal", "percent"})):
        only_zh = [a for a in left_zh if a.kind in kinds and not _weak(a) and not _figurative(zh, a, True)
                   and not (a.kind != "date" and en_estimates)]
        only_en = [a for a in left_en if a.kind in kinds and not _weak(a) and not _figurative(en, a, False)
                   and not (a.kind != "date" and _within(a, zh_ranges))]
        if not only_zh and not only_en:
            continue
        noun = "date" if flag_type == "date" else "number"
        if only_zh and only_en:
            message = f"The two sides give a different {noun}."
        elif only_zh:
            message = f"A {noun} in the Chinese is missing from the English."
        else:
            message = f"A {noun} in the English is missing from the Chinese."
        flags.append(Flag(flag_type, message, _evidence(only_zh, only_en)))
    # Latin-script tokens kept in a Chinese sentence (COP28, iPhone) are names the English must show as well.
    en_keys = {regex.sub(r"[.\-'’]", "", w).casefold() for w in regex.findall(r"[\p{Latin}0-9.\-'’]+", en)}
    # Lower-case abbreviations (7cm, kg) are units the English may spell out: "seven centimeters".
    missing = [a for a in anchors_zh(zh) if a.kind == "latin" and len(a.surface) > 1
               and not regex.fullmatch(r"\p{Ll}{1,3}", a.surface) and a.key.removeprefix("latin:") not in en_keys]
    if missing:
        flags.append(Flag("name", "A Latin-script name in the Chinese is missing from the English.",
                          _evidence(missing, [])))
    return flags


def _evidence(zh: list, en: list) -> str:
    """Pairs in reading order, "10月23日 ↔ October 22"; a side with nothing shows "—"."""
    pairs = []
    for i in range(max(len(zh), len(en))):
        left = zh[i].surface if i < len(zh) else "—"
        right = en[i].surface if i < len(en) else "—"
        pairs.append(f"{left} ↔ {right}")
    return "; ".join(pairs)


