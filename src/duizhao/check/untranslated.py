"""``untranslated`` flags: a side not in its language, two sides the same text, a third language."""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..chinese import HAN as _HAN
from ..model import Flag

if TYPE_CHECKING:
    pass
from .config import _LATIN, _LATIN_WORD, CheckConfig
from .members import _snippet

# ------------------------------------------------------------------------------------- untranslated

_LATIN_RUN = regex.compile(r"\p{Latin}[\p{Latin}\p{N}'’.\-]*(?:[\s,;:()\"“”‘’]+\p{Latin}[\p{Latin}\p{N}'’.\-]*)+")
_URL = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]+")


_TONE_MARKED = regex.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def _pinyin(tokens: list[str]) -> bool:
    """A run of tone-marked syllables, 政府工作报告(zhèng fǔ gōng zuò bào gào): the Chinese's reading, not English."""
    return all(t.islower() and len(t) <= 6 for t in tokens) and 2 * sum(map(bool, map(_TONE_MARKED.search, tokens))) >= len(tokens)


def _prose_run(text: str, words: int) -> str:
    """The first run of at least `words` Latin-script words that reads as a sentence (two or more lower-case
    words: a name, a title of capitalised words or a code does not), URLs and e-mail addresses left out."""
    for match in _LATIN_RUN.finditer(_URL.sub(" ", text)):
        tokens = regex.findall(r"\p{Latin}[\p{Latin}'’\-]*", match.group(0))
        if len(tokens) >= words and sum(1 for t in tokens if t[0].islower() and len(t) >= 2) >= 2 \
                and not _pinyin(tokens):
            return match.group(0)
    return ""


def _same_text(zh: str, en: str, config: CheckConfig) -> bool:
    """The two sides are the same text (or nearly): a sentence copied over its translation. Text that
    rightly stays the same (a name, a code, a number, a URL) is no sentence: it needs `_prose_run`."""
    left = "".join(_LETTER_OR_DIGIT.findall(_URL.sub(" ", zh).casefold()))
    right = "".join(_LETTER_OR_DIGIT.findall(_URL.sub(" ", en).casefold()))
    if not left or not right or not (_prose_run(zh, 3) or len(_HAN.findall(zh)) >= 4):
        return False
    if left == right:
        return True
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, left[:2000], right[:2000], autojunk=False)
    return matcher.quick_ratio() >= config.same_text and matcher.ratio() >= config.same_text


def untranslated_flags(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    flags = []
    evidence = f"{_snippet(zh)} ↔ {_snippet(en)}"
    for side, text in (("Chinese", zh), ("English", en)):
        kana, hangul = len(_KANA.findall(text)), len(_HANGUL.findall(text))
        han = len(_HAN.findall(text))
        if kana >= config.third_language_letters and kana * 10 >= han:
            flags.append(Flag("untranslated", f"The {side} side is Japanese: it is neither Chinese nor English.",
                              evidence))
        elif hangul >= config.third_language_letters:
            flags.append(Flag("untranslated", f"The {side} side is Korean: it is neither Chinese nor English.",
                              evidence))
    if flags:
        return flags
    prose = _URL.sub(" ", zh)  # a URL or an e-mail address stays as it is in any language
    # a reading in pinyin (高质量发展[gāo zhì liàng fā zhǎn]) is part of the Chinese, not English left over
    prose = _LATIN_RUN.sub(lambda m: " " if _pinyin(regex.findall(r"\p{Latin}+", m.group(0))) else m.group(0), prose)
    han, latin = len(_HAN.findall(prose)), len(_LATIN.findall(prose))
    if latin >= config.untranslated_min_letters and latin / (han + latin) >= config.untranslated_share \
            and len(_LATIN_WORD.findall(prose)) >= 3:
        flags.append(Flag("untranslated", "The Chinese side is mostly in Latin script: it may be left untranslated.",
                          evidence))
    elif run := _prose_run(zh, config.untranslated_run_words):
        flags.append(Flag("untranslated", "The Chinese side holds an English sentence: it may be left untranslated.",
                          f"{_snippet(run)} ↔ {_snippet(en)}"))
    han, latin = len(_HAN.findall(en)), len(_LATIN.findall(en))
    if han >= config.untranslated_min_letters // 3 and han * 3 / (han * 3 + latin) >= config.untranslated_share:
        # A Han character carries about as much as three letters.
        flags.append(Flag("untranslated", "The English side is mostly Chinese: it may be left untranslated.",
                          evidence))
    if not flags and _same_text(zh, en, config):
        flags.append(Flag("untranslated", "The two sides are the same text: it may be left untranslated.", evidence))
    return flags
