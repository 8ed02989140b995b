"""``number`` and ``date`` flags: a number, quantity or date on one side only, or different."""
from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import regex

from ..model import Flag
from ..numbers import (
    _ZH_BIG,
    _ZH_DIGITS,
    _ZH_NUM_RE,
    _ZH_UNITS,
    Anchor,
    anchors_en,
    anchors_zh,
    parse_en_number,
    parse_zh_numeral,
    unmatched,
)

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


_NAME_NUMBER = regex.compile(r"\p{Lu}[\p{Latin}]*-$")


def _in_name(text: str, anchor: Anchor) -> bool:
    """A number joined by a hyphen to a capitalised word (COVID-19, F-16, Su-27): part of a name, which the
    Chinese may give by its own word (新冠), not a count to carry over."""
    return anchor.kind == "number" and bool(_NAME_NUMBER.search(text[max(0, anchor.span[0] - 12):anchor.span[0]]))


def _figurative(text: str, anchor: Anchor, zh: bool) -> bool:
    """A number that need not be carried over: inside a set phrase, an estimate (二十几, 十七八, seventeen or
    eighteen), or the list number of a heading (6. 片厂 ↔ The Film Studio)."""
    start, end = anchor.span
    if start == 0 and len(text) <= 30 and _HEADING_NUMBER.match(text):
        return True
    if _in_name(text, anchor):
        return True
    if zh:
        if any(m.start() <= start < m.end() for m in _ZH_NUMBER_IDIOMS.finditer(text)):
            return True
        if _ZH_RANGE.search(text[start:end]):
            return True
        if _ZH_NUMERAL_END.search(text[start:end]) and text[end:end + 1] in ("几", "多", "余", "来"):
            return True
        return text[max(start - 1, 0):start] in ("几", "数")
    after, before = _EN_ESTIMATE.search(text[end:end + 16]), _EN_ESTIMATE.search(text[max(start - 16, 0):start])
    if not (after or before):
        return False
    # "eight or nine" rises; "ten to one" (a clock) and "four or four" are no estimate.
    value = _value(anchor)
    if value is not None:
        for match, rising in ((after, lambda v: v > value), (before, lambda v: v < value)):
            word = match and regex.search(r"[\w\-]+", regex.sub(r"^\s*(?:or|to)\s+|\s+(?:or|to)\s*$", "", match.group(0)))
            other = parse_en_number(word.group(0)) if word and not word.group(0)[0].isdigit() else (
                _float(word.group(0)) if word else None)
            if other is not None and not rising(float(other)):
                return False
    return True


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


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
            ranges.append((value, value + _place(zh[start:end]) - 0.5))  # 三十多 "over thirty": 30 to 39; 三百余: 300 to 399
        elif value and not idiom and regex.fullmatch(r"[一二三四五六七八九]{2}", zh[start:end]):
            ranges.append((value - 1, value + 1))  # 八九 "eight or nine"
        elif value and not idiom and regex.fullmatch(r"[一二三四五六七八九]{2}十", zh[start:end]):
            ranges.append((value - 10, value + 10))  # 一二十 "ten or twenty", "a dozen"
        else:
            ranges.append((0.0, math.inf))
    for m in _ZH_NUMBER_IDIOMS.finditer(zh):
        # A set phrase rendered word for word keeps its own numbers (千般 "of a thousand kinds"), no other.
        if not any(s <= m.start() < e for s, e in covered):
            ranges += [(v, v) for v in _literal_values(m.group(0))]
    for m in _ZH_ESTIMATE_TEXT.finditer(zh):
        if not any(s <= m.start() < e for s, e in covered):
            ranges.append((0.0, math.inf))
    return ranges


def _place(numeral: str) -> float:
    """The place of a numeral's last non-zero digit: 三十 → 10, 三百 → 100, 三 → 1, 3.5万 → 10,000, 30 → 10,
    100 → 100, 35 → 1."""
    last = numeral[-1:]
    unit = _ZH_UNITS.get(last) or _ZH_BIG.get(last)
    if unit:
        return float(unit)
    digits = regex.search(r"[0-9０-９]+$", numeral)
    if digits is None or "." in numeral or "．" in numeral:
        return 1.0
    significant = digits.group(0).rstrip("0０")
    return float(10 ** (len(digits.group(0)) - len(significant))) if significant else 1.0


def _literal_values(text: str) -> set[float]:
    """Every value the Chinese numerals of `text` spell, whole runs and single digits and units:
    十万八千里 → 108000, 10, 100000, 8, 1000."""
    values: set[float] = set()
    for run in _ZH_NUM_RE.finditer(text):
        whole = parse_zh_numeral(run.group(0))
        if whole is not None:
            values.add(float(whole))
        for ch in run.group(0):
            single = _ZH_DIGITS.get(ch) or _ZH_UNITS.get(ch) or _ZH_BIG.get(ch)
            if single:
                values.add(float(single))
        for i in range(len(run.group(0))):  # 十万 in 十万八千
            for j in range(i + 2, len(run.group(0)) + 1):
                part = parse_zh_numeral(run.group(0)[i:j])
                if part is not None:
                    values.add(float(part))
    return values


_ZH_UNIT_WORDS = {"十", "百", "千", "万", "亿"}  # alone, mostly "very" (十分), "all kinds" (百般), not counts
_EN_DECADES = regex.compile(r"^\s+(?:decades?|centuries|century)\b", regex.IGNORECASE)
_EN_DOZEN = regex.compile(r"\b(?:(half\s+a\s+|(?:a\s+)?half-)|a\s+|one\s+)dozen\b(?!s)", regex.IGNORECASE)


def _en_extra(en: str) -> list[Anchor]:
    """Numbers the anchor finder leaves as words: "a dozen" is twelve, "half a dozen" six."""
    return [Anchor("number", "num:6" if m.group(1) else "num:12", m.group(0), m.span(), spelled=True)
            for m in _EN_DOZEN.finditer(en)]


def _scaled(anchor: Anchor, en: str) -> Anchor | None:
    """The other reading of a count of decades or centuries: "four decades" is forty years, "two centuries"
    two hundred; None for any other anchor. An ordinal ("the 21st century") is never scaled."""
    value = _value(anchor)
    unit = _EN_DECADES.match(en[anchor.span[1]:anchor.span[1] + 12])
    if value is None or not unit or anchor.kind != "number":
        return None
    factor = 100 if unit.group(0).strip().lower().startswith("centur") else 10
    return Anchor(anchor.kind, f"num:{int(value * factor)}", anchor.surface, anchor.span, anchor.spelled, anchor.vague)


def _estimate_groups_zh(anchors: list[Anchor]) -> list[frozenset[float]]:
    """The values of each Chinese estimate of two numbers: 五六岁 → {5, 6}, 十七八 → {17, 18}."""
    groups: dict[tuple[int, int], set[float]] = {}
    for anchor in anchors:
        value = _value(anchor)
        if anchor.kind == "number" and anchor.vague and value is not None:
            groups.setdefault(anchor.span, set()).add(value)
    return [frozenset(g) for g in groups.values() if len(g) == 2]


_EN_PAIR_GAP = regex.compile(r"\s+(?:or|to)\s+")


def _estimate_groups_en(en: str, anchors: list[Anchor]) -> list[frozenset[float]]:
    """The values of each English "X or Y" / "X to Y" of numbers: "eight or nine" → {8, 9}."""
    numbers = [(a, value) for a in anchors if a.kind == "number" and (value := _value(a)) is not None]
    return [frozenset({x, y}) for (a, x), (b, y) in pairwise(numbers) if _EN_PAIR_GAP.fullmatch(en[a.span[1]:b.span[0]])]


def _within(anchor: Anchor, ranges: list[tuple[float, float]]) -> bool:
    value = _value(anchor)
    return any((lo == 0.0 and hi == math.inf) or (value is not None and lo <= value <= hi) for lo, hi in ranges)


# A list item's number ("1. 只要闯过这个关口…", "(3)", "二、"): the list's structure, which a translation may drop.
_LIST_MARKER = regex.compile(r"\s*(?:[(（]?[0-9０-９]{1,3}[.．、)）]|[一二三四五六七八九十]{1,3}、)(?![0-9０-９])")


def _list_marker(text: str, anchor: Anchor) -> bool:
    marker = _LIST_MARKER.match(text)
    return marker is not None and anchor.span[1] <= marker.end()


def anchor_flags(zh: str, en: str) -> list[Flag]:
    zh_anchors = [a for a in anchors_zh(zh) if a.kind != "latin" and not _list_marker(zh, a)]
    en_anchors = sorted([a for a in anchors_en(en) if a.kind != "latin" and not _list_marker(en, a)] + _en_extra(en),
                        key=lambda a: a.span)
    # "two centuries" may be 两个世纪 or 两百年: the scaled reading pairs first, the count itself after.
    scaled = {a: s for a in en_anchors if (s := _scaled(a, en)) is not None}
    unscaled = {s: a for a, s in scaled.items()}
    left_zh, left_en = unmatched(zh_anchors, [scaled.get(a, a) for a in en_anchors])
    left_zh, left_en = unmatched(left_zh, [unscaled.get(a, a) for a in left_en])
    left_en = [scaled.get(a, a) for a in left_en]
    # A numeral inside a Chinese word the anchor finder does not count (四菜一汤 "four dishes and a soup",
    # 三面墙 "three walls", 一家四口 "the four of them") may stand for an English number of its value.
    latent = {float(_ZH_DIGITS[ch]) for ch in zh if ch in _ZH_DIGITS} | {
        float(v) for m in _ZH_NUM_RE.finditer(zh)
        if m.group(0) not in _ZH_UNIT_WORDS and (v := parse_zh_numeral(m.group(0))) is not None}
    left_en = [a for a in left_en if a.kind not in ("number", "ordinal")
               or not {_value(a), _value(scaled.get(a, a))} & latent]
    # Two estimates, one on each side, must give the same two numbers (五六岁 ↔ "five or six").
    zh_groups, en_groups = _estimate_groups_zh(zh_anchors), _estimate_groups_en(en, en_anchors)
    estimates_differ = bool(zh_groups and en_groups and not set(zh_groups) & set(en_groups))
    # A side that gives an estimate (二十几两, 一二十个, seventeen or eighteen) may be rendered by any number
    # on the other side: its unmatched counts prove nothing.
    # A Chinese estimate bounds what it may be rendered by: 三十多 "thirty-odd" is 30 to 39, not twenty or forty; 八九
    # "eight or nine" is 7 to 10; a set phrase (千方百计) or an estimate of another shape excuses any number.
    zh_ranges = _estimate_ranges(zh, zh_anchors)
    en_estimates = any(a.vague or _figurative(en, a, False) for a in en_anchors if a.kind != "date")
    flags = []
    for flag_type, kinds in (("date", {"date"}), ("number", {"number", "ordinal", "percent"})):
        only_zh = [a for a in left_zh if a.kind in kinds and not _weak(a) and not _figurative(zh, a, True)
                   and not (a.kind != "date" and en_estimates)]
        only_en = [a for a in left_en if a.kind in kinds and not _weak(a) and not _figurative(en, a, False)
                   and not (a.kind != "date" and (_within(a, zh_ranges) or _within(scaled.get(a, a), zh_ranges)))]
        if flag_type == "number" and estimates_differ and not only_zh and not only_en:
            only_zh = [a for a in zh_anchors if a.vague and a.kind == "number"][:1]
            only_en = [a for a in en_anchors if a.kind == "number" and _EN_ESTIMATE.search(en[a.span[1]:a.span[1] + 16])][:1]
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
    # The English may join the name to a word or inflect it: Qt6-based, Python's, HUDs, Mappers.
    en_keys = {key.removesuffix(end) for w in regex.findall(r"[\p{Latin}0-9.\-'’]+", en)
               for part in [w, *regex.split(r"[\-'’]", w)] for key in [regex.sub(r"[.\-'’]", "", part).casefold()]
               for end in ("", "s", "es")}
    # Lower-case abbreviations (7cm, kg) are units the English may spell out: "seven centimeters".
    # A web address is compared whole, and a name the English runs into a neighbouring word ("combatCOVID-19",
    # "COVID-19pandemic", a PDF's lost spaces) still counts when its letters stand in the English as written.
    urls = [m.span() for m in _URL.finditer(zh)]
    en_text = en.casefold()
    missing = [a for a in anchors_zh(zh) if a.kind == "latin" and len(a.surface) > 1
               and not regex.fullmatch(r"\p{Ll}{1,3}", a.surface) and a.key.removeprefix("latin:") not in en_keys
               and not (len(a.surface) >= 3 and regex.search(r"\p{Lu}", a.surface) and a.surface in en)
               and not any(s <= a.span[0] < e for s, e in urls)]
    # A name in Latin script after its Chinese form (米德伟(David Meale)) is there when the English gives one
    # of its words ("CDA Meale"): the English keeps the surname.
    present = [a.span for a in anchors_zh(zh) if a.kind == "latin" and a not in missing]
    missing = [a for a in missing if not any(regex.fullmatch(r" ", zh[e:a.span[0]]) or regex.fullmatch(r" ", zh[a.span[1]:s])
                                             for s, e in present)]
    missing += [Anchor("latin", "url", m.group(1), m.span(1)) for m in _URL.finditer(zh)
                if m.group(1).rstrip("/.").casefold() not in en_text]
    if missing:
        flags.append(Flag("name", "A Latin-script name in the Chinese is missing from the English.",
                          _evidence(missing, [])))
    return flags


_URL = regex.compile(r"\p{Latin}{0,20}((?:https?://|www\.)[\p{Latin}0-9./\-_~%?#=&:+]+)")


def _evidence(zh: list, en: list) -> str:
    """Pairs in reading order, "10月23日 ↔ October 22"; a side with nothing shows "—"."""
    pairs = []
    for i in range(max(len(zh), len(en))):
        left = zh[i].surface if i < len(zh) else "—"
        right = en[i].surface if i < len(en) else "—"
        pairs.append(f"{left} ↔ {right}")
    return "; ".join(pairs)


