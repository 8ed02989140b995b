"""Numbers, dates, percentages, ordinals and Latin-script tokens in either language, as comparable keys.

An `Anchor` is something a translation must carry over unchanged: 七个 ↔ seven ↔ 7, 10月22日 ↔ October 22,
百分之五 ↔ 5%, 第28届 ↔ 28th ↔ COP28, DPRK ↔ DPRK. Both languages produce the same *key* for the same value, so
the aligner can use shared keys as a signal and the checker can report keys found on one side only.

Keys (only keys are normalised; `surface` and `span` point at the user's text as written):
- ``num:1200``: cardinals and ordinals alike (第28届, 28th and COP28 all carry ``num:28``; `kind` tells them apart);
- ``pct:5``: percentages;
- ``date:2023-10-27``, ``date:--10-22`` (no year), ``date:2023-10``, ``date:--11`` (a month), ``date:2023`` (a year);
- ``latin:cop28``: Latin-script tokens, case-insensitive, dots dropped (U.S. → ``latin:us``).

Precision matters more than recall: a false number flag wastes a reviewer's time. So a Chinese numeral
counts only when jieba's word around it is a number (七个, 二十一, 第二) and not a word that merely contains
one (一些, 一直, 统一, 一系列, 第一时间, 一带一路, 二者), and English month names that are also words (May,
March) count only next to a day or a year.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable, Literal

import regex

from .anchor_match import keys_match, unmatched
from .chinese import quiet_jieba

AnchorKind = Literal["number", "date", "ordinal", "percent", "latin"]


@dataclass(frozen=True)
class Anchor:
    kind: AnchorKind
    key: str  # the comparable value, identical across languages: "num:7", "date:--10-22", "latin:dprk"
    surface: str  # the text as written: "七个", "Oct. 22"
    span: tuple[int, int]  # [start, end) character offsets into the text given
    spelled: bool = False  # written in words (七, seven) rather than digits: "一"/"one"/"two" are often not counts
    vague: bool = False  # one of an estimate (五六个 "five or six"), or part of a title (《三体》, Three Body)


# ---------------------------------------------------------------------------------------------- values

def _key_number(value: Decimal) -> str:
    """A canonical decimal string: 1200, 3.5, 0.25 (never 3.5E+4)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


def _decimal(text: str) -> Decimal | None:
    """Arabic digits (ASCII or full-width) with optional thousands commas and a decimal point."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------------------------- Chinese

_ZH_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUMERAL = "〇零○一二两兩三四五六七八九十拾百佰千仟万萬亿億"
# What may follow a numeral inside one jieba word for the word to still be a count: classifiers and units.
_ZH_CLASSIFIERS = set("个個多余餘名位次年月日天号號人项項条條件场場届屆周週岁歲倍元家国國架艘枚辆輛座部本篇份种種类類批轮輪"
                      "章节節层層点點时時分秒处處方队隊组組期季度所间間只隻张張台臺幅座颗顆粒支根块塊片头頭匹首句步趟遍钟鐘"
                      "斤里尺寸丈亩畝桶碗杯瓶盘盤户戶排串封滴双雙对對套米")
# Whole words that look like counts but are not (千万 "by all means", 十分 "very", 万一 "in case").
_ZH_NOT_NUMBERS = {"千万", "萬一", "万一", "十分", "一一", "一度", "一时", "一时间", "一方", "一家", "一点", "一个个",
                   "一次性", "一口", "一手", "一半", "三国", "一体", "一期", "百年", "千年", "万年", "一部分", "一国",
                   "两岸", "兩岸", "一等", "一线", "二线", "一流", "万分", "萬分", "万岁", "萬歲", "千层", "四处", "四處",
                   "四周", "四面", "八方", "一处", "百倍", "千百", "万千", "千千万万", "一路上"}

# Set phrases that jieba splits into a "number" and a word: 第一时间 ("at once") is 第一 + 时间.
_ZH_NOT_NUMBER_PHRASES = regex.compile("第一时间|一带一路|一国两制|三番五次|一五一十|独一无二|一心一意|九死一生|十全十美|一举两得")
_ZH_NUM_RE = regex.compile(rf"[{_ZH_NUMERAL}]+")
_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_ARABIC_RE = regex.compile(rf"(?<![\p{{Latin}}0-9０-９.．]){_ARABIC}")
_ZH_DIGIT_OR_NUM = r"(?:[0-9０-９]{1,4}|[〇零○一二三四五六七八九十]{1,4})"


def parse_zh_numeral(text: str) -> Decimal | None:
    """一千二百 → 1200, 二十一 → 21, 两 → 2, 五百万 → 5000000, 二〇二三 → 2023; None if it is not a well-formed number."""
    if not text or text[0] in _ZH_BIG:
        return None  # 亿 alone multiplies the number before it; it is not one itself
    if all(ch in _ZH_DIGITS for ch in text):
        if len(text) == 1:
            return Decimal(_ZH_DIGITS[text])
        if len(text) == 4:  # a year written digit by digit: 二〇二三
            return Decimal("".join(str(_ZH_DIGITS[ch]) for ch in text))
        return None  # 五六 "five or six": an estimate, not a value
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            if digit is not None and _ZH_DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row (三四百): an estimate
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch in _ZH_BIG:
            section += digit or 0
            total = (total + section) * _ZH_BIG[ch] if _ZH_BIG[ch] > 10_000 else total + section * _ZH_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return Decimal(total + section + (digit or 0))


def _zh_value(text: str) -> Decimal | None:
    """A number in Arabic or Chinese numerals, possibly with a 万/亿 multiplier: 3.5万 → 35000."""
    match = regex.fullmatch(rf"({_ARABIC})([万萬亿億]*)", text)
    if match:
        value = _decimal(match.group(1))
        if value is None:
            return None
        for ch in match.group(2):
            value *= _ZH_BIG[ch]
        return value
    return parse_zh_numeral(text)


def _small_zh(text: str) -> int | None:
    value = _zh_value(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


_ZH_DATE_RE = regex.compile(
    rf"(?:(?P<year>[0-9０-９]{{4}}|[〇零○一二三四五六七八九]{{4}}) ?年 ?)?"
    rf"(?:(?P<month>{_ZH_DIGIT_OR_NUM}) ?月(?:份)? ?)?"
    rf"(?:(?P<day>{_ZH_DIGIT_OR_NUM}) ?[日号號])?"
    rf"(?:[至到~～\-－—–]+(?:(?P<month2>{_ZH_DIGIT_OR_NUM})月)?(?P<day2>{_ZH_DIGIT_OR_NUM})[日号號])?"
)


def _date_key(year: int | None, month: int | None, day: int | None) -> str:
    y = f"{year:04d}" if year else ""
    if month is None:
        return f"date:{y}"
    if day is None:
        return f"date:{y or '-'}-{month:02d}"
    return f"date:{y or '-'}-{month:02d}-{day:02d}"


def _after(text: str, position: int) -> int:
    """The position after the 月 / 日 that follows a figure ending at `position`, a space allowed before it."""
    return position + 1 + (text[position:position + 1] == " ")


def _zh_dates(text: str) -> list[Anchor]:
    found: list[Anchor] = []
    for m in _ZH_DATE_RE.finditer(text):
        if not m.group(0) or not (m.group("month") or m.group("year")):
            continue  # a bare 26日 is too ambiguous; 2023年 alone is a year
        if m.group("day") and not m.group("month"):
            continue
        year = _small_zh(m.group("year")) if m.group("year") else None
        month = _small_zh(m.group("month")) if m.group("month") else None
        day = _small_zh(m.group("day")) if m.group("day") else None
        if ((m.group("month") and not month) or not 1 <= (month or 1) <= 12
                or (m.group("day") and not (day and 1 <= day <= 31))):
            continue
        if year is not None and not 1000 <= year <= 2999:
            continue
        if month is None and m.group("year") and regex.match(r"[前后後来來间間代]", text[m.end():m.end() + 1]):
            continue  # 三年前 is a duration, but the regex only takes four-digit years anyway
        # The first date ends after its 日 / 月 (a range's second day follows 至).
        # (a space may stand between a figure and its 年 / 月 / 日: "4 月 26 日", as some pages typeset it)
        end_first = (_after(text, m.end("day")) if m.group("day")
                     else _after(text, m.end("month")) if m.group("month") else len(text[:m.end()].rstrip()))
        if m.group("month") and not m.group("day") and text[end_first:end_first + 1] == "份":
            end_first += 1
        start = m.start()
        found.append(Anchor("date", _date_key(year, month, day), text[start:end_first], (start, end_first)))
        if m.group("day2"):
            month2 = _small_zh(m.group("month2")) if m.group("month2") else month
            day2 = _small_zh(m.group("day2"))
            if month2 and day2 and 1 <= month2 <= 12 and 1 <= day2 <= 31:
                s2 = m.start("month2") if m.group("month2") else m.start("day2")
                found.append(Anchor("date", _date_key(year, month2, day2), text[s2:m.end()], (s2, m.end())))
    return found


_ZH_PPM_RE = regex.compile(rf"百[万萬]分之(?P<zh>[{_ZH_NUMERAL}]+|{_ARABIC})")


def _zh_ppm(text: str) -> list[Anchor]:
    """百万分之二千八百 "2,800 ppm": a count of parts per million, the number the English writes."""
    found = []
    for m in _ZH_PPM_RE.finditer(text):
        value = _zh_value(m.group("zh"))
        if value is not None:
            found.append(Anchor("number", f"num:{_key_number(value)}", m.group(0), m.span(), spelled=True))
    return found


_ZH_PERCENT_RE = regex.compile(
    rf"百分之(?P<zh>[{_ZH_NUMERAL}]+(?:[点點][〇零○一二三四五六七八九]+)?|{_ARABIC})"
    rf"|(?P<ar>{_ARABIC})\s*[%％]"
)


def _zh_percents(text: str) -> list[Anchor]:
    found = []
    for m in _ZH_PERCENT_RE.finditer(text):
        raw = m.group("zh") or m.group("ar")
        if m.group("zh") and regex.search("[点點]", raw):
            whole, frac = regex.split("[点點]", raw)
            whole_value = parse_zh_numeral(whole)
            value = None if whole_value is None else Decimal(
                f"{whole_value}.{''.join(str(_ZH_DIGITS[c]) for c in frac)}")
        else:
            value = _zh_value(raw)
        if value is not None:
            found.append(Anchor("percent", f"pct:{_key_number(value)}", m.group(0), m.span(),
                                spelled=bool(m.group("zh"))))
    return found


def _numeral_words(text: str) -> list[tuple[str, int, int]]:
    """jieba's words (with offsets) in the stretches of `text` that hold a Chinese numeral.

    jieba segments each run of its Han-and-alphanumeric pattern (`jieba.re_han_default`) on its own, so cutting
    only the runs with a numeral gives exactly the words a whole-text cut would give there, at a fraction of
    the cost (most sentences have none: fast mode spent a quarter of its time here). 〇 and ○ lie outside
    that pattern: a whole-text cut makes each one a word of its own, and so does this.
    """
    jieba = quiet_jieba()
    words = [(m.group(), m.start(), m.end()) for m in _ZH_ZERO_SIGN.finditer(text)]
    for run in jieba.re_han_default.finditer(text):
        if _ZH_NUM_RE.search(run.group()):
            words.extend(_joined_numerals([(w, run.start() + s, run.start() + e) for w, s, e in jieba.tokenize(run.group())]))
    return sorted(words, key=lambda word: word[1])


_ZH_NUMERAL_WORD = regex.compile(rf"第?[{_ZH_NUMERAL}]+")
_ZH_NUMERAL_HEAD = regex.compile(rf"[{_ZH_NUMERAL}]+")


def _joined_numerals(words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """jieba cuts one number into words (五百 + 一十六, 第六 + 十八个, 四千 + 二百个): a word of numerals followed
    by one that starts with numerals is one number when together they parse as one (五百一十六)."""
    out: list[tuple[str, int, int]] = []
    for word, start, end in words:
        if out:
            last, last_start, last_end = out[-1]
            head = _ZH_NUMERAL_HEAD.match(word)
            if last_end == start and head and _ZH_NUMERAL_WORD.fullmatch(last) \
                    and (last[-1] in _ZH_UNITS or last[-1] in _ZH_BIG or word[0] in _ZH_UNITS) and parse_zh_numeral(last.lstrip("第") + head.group(0)) is not None:
                out[-1] = (last + word, last_start, end)
                continue
        out.append((word, start, end))
    return out


_ZH_ZERO_SIGN = regex.compile(r"[〇○]")


_ZH_COUNT_WORD_RE = regex.compile(
    rf"(?P<ord>第)?(?P<num>[{_ZH_NUMERAL}]+)(?P<rest>.*)"
)


def _zh_spelled_numbers(text: str, taken: list[tuple[int, int]]) -> list[Anchor]:
    """Chinese-numeral counts, judged word by word so that 一些 / 统一 / 一系列 are not numbers."""
    found = []
    taken = taken + [m.span() for m in _ZH_NOT_NUMBER_PHRASES.finditer(text)]
    for word, start, end in _numeral_words(text):
        if not _ZH_NUM_RE.search(word) or word in _ZH_NOT_NUMBERS or _overlaps((start, end), taken):
            continue
        m = _ZH_COUNT_WORD_RE.fullmatch(word)
        if not m or m.start("num") > 1:
            continue
        if m.group("rest") and not all(ch in _ZH_CLASSIFIERS for ch in m.group("rest")):
            continue  # the numeral is part of an ordinary word
        numeral = m.group("num")
        if len(numeral) > 1 and numeral[-1] in "两兩" and numeral[-2] in _ZH_UNITS:
            numeral = numeral[:-1]  # 二十两 is twenty taels: 两 is the measure here, not "two"
        s, e = m.start("num") + start, m.start("num") + start + len(numeral)
        in_title = _inside_title(text, start)
        estimate = _ZH_ESTIMATE.fullmatch(numeral)
        if estimate:
            # 五六个 "five or six", 十八九岁 "eighteen or nineteen", 一二十个 "ten or twenty": each value may
            # appear in the translation, neither must.
            base = 10 if estimate.group("teen") else 0
            scale = 10 if estimate.group("tens") else 1
            for ch in estimate.group("a") + estimate.group("b"):
                found.append(Anchor("number", f"num:{base + _ZH_DIGITS[ch] * scale}", numeral, (s, e),
                                    spelled=True, vague=True))
            continue
        if found and found[-1].span[1] == s and all(ch in _ZH_BIG for ch in numeral) and not found[-1].vague:
            # jieba cuts 一百四十亿 into 一百四十 + 亿: the unit multiplies the number before it.
            previous = found.pop()
            product = Decimal(previous.key.removeprefix("num:"))
            for ch in numeral:
                product *= _ZH_BIG[ch]
            found.append(Anchor(previous.kind, f"num:{_key_number(product)}", text[previous.span[0]:e],
                                (previous.span[0], e), spelled=True))
            continue
        value = parse_zh_numeral(numeral)
        if value is None:
            continue
        kind: AnchorKind = "ordinal" if m.group("ord") else "number"
        found.append(Anchor(kind, f"num:{_key_number(value)}", text[start if m.group('ord') else s:e],
                            (start if m.group("ord") else s, e), spelled=True, vague=in_title))
    return found


_ZH_ESTIMATE = regex.compile(r"(?P<teen>十)?(?P<a>[一二两兩三四五六七八九])(?P<b>[一二两兩三四五六七八九])(?P<tens>十)?")


def _inside_title(text: str, position: int) -> bool:
    """Inside 《…》: a book or film title (《三体》), whose numerals the translation may turn into words."""
    return text.rfind("《", 0, position) > text.rfind("》", 0, position)


_COMPACT_DATE = regex.compile(r"((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")


def _arabic_numbers(text: str, taken: list[tuple[int, int]], zh: bool) -> list[Anchor]:
    found = []
    for m in _ARABIC_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        value = _decimal(m.group(0))
        if value is None:
            continue
        compact = _COMPACT_DATE.fullmatch(m.group(0))
        if compact and not regex.match(r"[0-9０-９]", text[m.end():m.end() + 1]):
            # 20110919: a date written yyyymmdd (a page's dateline or a title's suffix), not a count
            found.append(Anchor("date", _date_key(int(compact.group(1)), int(compact.group(2)), int(compact.group(3))),
                                m.group(0), m.span()))
            continue
        end = m.end()
        after = text[end:end + 2]
        if zh:
            mult = regex.match(r"[万萬亿億]+", after)
            if mult:
                for ch in mult.group(0):
                    value *= _ZH_BIG[ch]
                end += len(mult.group(0))
        start = m.start()
        kind: AnchorKind = "number"
        if zh and start > 0 and text[start - 1] == "第":
            kind, start = "ordinal", start - 1
        elif not zh:
            suffix = regex.match(r"(?:st|nd|rd|th)\b", text[end:])
            if suffix:
                kind, end = "ordinal", end + len(suffix.group(0))
            else:
                big = regex.match(r"\s+(thousand|million|billion|trillion)\b", text[end:], flags=regex.I)
                if big:
                    value *= _EN_BIG[big.group(1).lower()]
                    end += len(big.group(0))
        found.append(Anchor(kind, f"num:{_key_number(value)}", text[start:end], (start, end)))
    return found


_LATIN_ZH_RE = regex.compile(r"\p{Latin}[\p{Latin}0-9&'’.\-]*[\p{Latin}0-9]|\p{Latin}")


def _latin_key(surface: str) -> str:
    return "latin:" + regex.sub(r"[.\-'’]", "", unicodedata.normalize("NFKC", surface)).casefold()


def _digits_in_latin(surface: str, offset: int) -> list[Anchor]:
    """COP28, G20: the number inside the token is an anchor too (第28届 ↔ COP28)."""
    return [Anchor("number", f"num:{int(m.group(0))}", m.group(0), (offset + m.start(), offset + m.end()))
            for m in regex.finditer(r"[0-9]+", surface)]


def anchors_zh(text: str) -> list[Anchor]:
    """Anchors of a Chinese text, in reading order. Latin-script tokens left in it are anchors too."""
    found = _zh_dates(text)
    found += _zh_percents(text)
    found += [a for a in _zh_ppm(text) if not _overlaps(a.span, [b.span for b in found])]
    taken = [a.span for a in found]
    latin = []
    for m in _LATIN_ZH_RE.finditer(text):
        latin.append(Anchor("latin", _latin_key(m.group(0)), m.group(0), m.span()))
        latin += _digits_in_latin(m.group(0), m.start())
    taken += [a.span for a in latin]
    found += latin
    found += _arabic_numbers(text, taken, zh=True)
    taken = [a.span for a in found]
    found += _zh_spelled_numbers(text, taken)
    return sorted(found, key=lambda a: a.span)


# --------------------------------------------------------------------------------------------- English

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_EN_BIG = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_ORDINALS = {w: i for i, w in enumerate(
    "_ first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()) if i}
_EN_ORDINALS.update({"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                     "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000})
_EN_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS, *_EN_BIG], key=len, reverse=True))
_EN_ORD_WORD = "|".join(sorted(_EN_ORDINALS, key=len, reverse=True))
_EN_SPELLED_RE = regex.compile(
    rf"\b(?:(?:a|{_EN_WORD})(?:[\s\-]+(?:and[\s]+)?(?:{_EN_WORD}))*(?:[\s\-]+(?:{_EN_ORD_WORD}))?|{_EN_ORD_WORD})\b",
    regex.I,
)

_MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
           "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
           "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
# Month names that stand alone as a month only when written out in full and not also an ordinary word.
_MONTH_ALONE = {"january", "february", "april", "june", "july", "august", "september", "october",
                "november", "december"}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_EN_DATE_RE = regex.compile(
    rf"\b(?P<month>{_MONTH_RE})\b\.?"
    rf"(?:\s+(?P<day>\d{{1,2}}){_ORD}(?:\s*(?:[-–—]|to|through)\s*(?P<day2>\d{{1,2}}){_ORD})?\b)?"
    rf"(?:,?\s+(?:of\s+)?(?P<year>\d{{4}})\b)?"  # "November 2023", "November of 1989"
    rf"|\b(?P<dday>\d{{1,2}}){_ORD}(?:\s*[-–—]\s*(?P<dday2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<dmonth>{_MONTH_RE})\b\.?"
    rf"(?:,?\s+(?P<dyear>\d{{4}})\b)?",
    regex.I,
)
_EN_PERCENT_RE = regex.compile(
    rf"(?P<ar>{_ARABIC})\s*(?:%|per\s?cent\b|pct\b)"
    rf"|(?P<words>\b(?:{_EN_WORD})(?:[\s\-]+(?:and\s+)?(?:{_EN_WORD}))*)\s+per\s?cent\b",
    regex.I,
)
_EN_LATIN_RE = regex.compile(
    r"\b(?:\p{Lu}\.){2,}|\b(?=[\p{Latin}0-9]*\p{Lu}[\p{Latin}0-9]*\p{Lu})[\p{Latin}][\p{Latin}0-9]+\b"
    r"|\b(?=[\p{Latin}]+[0-9])[\p{Lu}][\p{Latin}]*[0-9]+[\p{Latin}0-9]*\b"
)


def parse_en_number(words: str) -> Decimal | None:
    """"one thousand two hundred" → 1200, "twenty-one" → 21, "a hundred" → 100, "twenty-first" → 21."""
    tokens = [t for t in regex.split(r"[\s\-]+", words.lower()) if t and t != "and"]
    if not tokens:
        return None
    total, current, seen = 0, 0, False
    for i, tok in enumerate(tokens):
        if tok == "a":
            if i + 1 < len(tokens) and tokens[i + 1] in _EN_BIG:
                current = 1
                continue
            return None
        if tok in _EN_UNITS:
            if seen and current % 10 and current < 100 and current % 100 != 0:
                return None  # "five six": not one number
            current += _EN_UNITS[tok]
        elif tok in _EN_TENS:
            current += _EN_TENS[tok]
        elif tok in _EN_ORDINALS:
            if _EN_ORDINALS[tok] < 10 and current % 10:
                return None  # "one second" (a moment), "five first": not one ordinal
            current += _EN_ORDINALS[tok] if _EN_ORDINALS[tok] < 100 else 0
            if _EN_ORDINALS[tok] >= 100:
                current = max(current, 1) * _EN_ORDINALS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in _EN_BIG:
            total += max(current, 1) * _EN_BIG[tok]
            current = 0
        else:
            return None
        seen = True
    return Decimal(total + current)


def _spelled_parts(words: str, offset: int) -> list[tuple[Decimal, int, int]]:
    """The numbers of a run of number words that is no one number, split at "and": "one and five" → 1, 5."""
    parts = []
    start = 0
    for m in [*regex.finditer(r"\s+and\s+", words, flags=regex.I), None]:
        end = m.start() if m else len(words)
        value = parse_en_number(words[start:end])
        if value is None:
            return []
        parts.append((value, offset + start, offset + end))
        start = m.end() if m else end
    return parts if len(parts) > 1 else []


def _en_dates(text: str) -> list[Anchor]:
    found = []
    for m in _EN_DATE_RE.finditer(text):
        word = m.group("month") or m.group("dmonth")
        day, day2 = (m.group("day"), m.group("day2")) if m.group("month") else (m.group("dday"), m.group("dday2"))
        year = m.group("year") or m.group("dyear")
        if not word[0].isupper():
            continue  # "may", "march", "august" in lower case are ordinary words
        name = word.lower()
        if not (day or year) and (name not in _MONTH_ALONE):
            continue  # "May" or "Oct" alone: a modal verb, or too terse to trust
        month = _MONTHS[name]
        y = int(year) if year else None
        d = int(day) if day else None
        if d is not None and not 1 <= d <= 31:
            continue
        first_end = m.end()
        if not (day or year) and text[first_end - 1] == ".":
            first_end -= 1  # "last November." : the full stop ends the sentence, it abbreviates nothing
        if day2:
            first_end = m.end("day") if m.group("month") else m.end("dday")
        found.append(Anchor("date", _date_key(y, month, d), text[m.start():first_end], (m.start(), first_end)))
        if day2 and 1 <= int(day2) <= 31:
            s2 = m.start("day2") if m.group("month") else m.start("dday2")
            found.append(Anchor("date", _date_key(y, month, int(day2)), text[s2:m.end()], (s2, m.end())))
    # A bare year: "in 2023", "since 1990".
    taken = [a.span for a in found]
    for m in regex.finditer(r"\b(?:in|since|by|until|of|from|before|after)\s+(?P<y>1[89]\d\d|20\d\d)\b", text):
        if not _overlaps(m.span("y"), taken):
            found.append(Anchor("date", f"date:{m.group('y')}", m.group("y"), m.span("y")))
    return found


def _is_heading(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def anchors_en(text: str) -> list[Anchor]:
    """Anchors of an English text, in reading order."""
    found = _en_dates(text)
    for m in _EN_PERCENT_RE.finditer(text):
        if _overlaps(m.span(), [a.span for a in found]):
            continue
        value = _decimal(m.group("ar")) if m.group("ar") else parse_en_number(m.group("words"))
        if value is not None:
            found.append(Anchor("percent", f"pct:{_key_number(value)}", m.group(0), m.span(),
                                spelled=bool(m.group("words"))))
        elif m.group("words"):  # "between one and five percent": a range, each end a percentage
            found += [Anchor("percent", f"pct:{_key_number(v)}", text[s:e], (s, e), spelled=True)
                      for v, s, e in _spelled_parts(m.group("words"), m.start("words"))]
    heading = _is_heading(text)
    shouted = [m.span() for m in regex.finditer(r"\b\p{Lu}{2,}(?:\s+\p{Lu}{2,}){2,}\b", text)]
    latin = []
    for m in _EN_LATIN_RE.finditer(text):
        surface = m.group(0)
        if surface.isalpha() and (heading or _overlaps(m.span(), shouted)):
            continue  # every word of an all-caps heading or lead-in ("ON HER SIXTEENTH") looks like an acronym
        latin.append(Anchor("latin", _latin_key(surface), surface, m.span()))
        latin += _digits_in_latin(surface, m.start())
    found += latin
    taken = [a.span for a in found]
    found += _arabic_numbers(text, taken, zh=False)
    taken = [a.span for a in found]
    for m in _EN_SPELLED_RE.finditer(text):
        if _overlaps(m.span(), taken) or m.group(0).lower() == "a":
            continue
        value = parse_en_number(m.group(0))
        if value is None:
            # "between one and five": two numbers joined by "and", each its own
            found += [Anchor("number", f"num:{_key_number(v)}", text[s:e], (s, e), spelled=True)
                      for v, s, e in _spelled_parts(m.group(0), m.start())]
            continue
        last = regex.split(r"[\s\-]+", m.group(0).lower())[-1]
        kind: AnchorKind = "ordinal" if last in _EN_ORDINALS else "number"
        # "Three Body", "Second Thomas Shoal": a capitalised number word inside a sentence belongs to a name.
        in_name = m.group(0)[0].isupper() and bool(regex.search(r"\p{Ll}[^.!?:\"“]*$", text[:m.start()]))
        found.append(Anchor(kind, f"num:{_key_number(value)}", m.group(0), m.span(), spelled=True, vague=in_name))
    return sorted(found, key=lambda a: a.span)


# ---------------------------------------------------------------------------------------------- matching

def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


__all__ = ["Anchor", "anchors_zh", "anchors_en", "keys_match", "unmatched", "parse_zh_numeral", "parse_en_number"]
