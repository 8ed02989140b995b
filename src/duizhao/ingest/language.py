"""Input-level language checks: a page whose "Chinese" is Japanese or Korean, or whose "English" is French
or another Latin-script language, is refused before it is aligned (Han against Latin alone cannot tell).
Link-level flags for a stray sentence in a third language are the checks' business (`check/`)."""
from __future__ import annotations

import regex

from ..chinese import HAN as _HAN
from ..errors import InputError

_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}ー]")
_HANGUL = regex.compile(r"\p{Hangul}")
_WORD = regex.compile(r"\p{Latin}+(?:['’]\p{Latin}+)?")

# Function words: common in any English paragraph of some length, and in French, Spanish, German,
# Italian or Portuguese ones respectively (words the two lists share, such as "a", "in", are left out).
_ENGLISH = frozenset("the of and to is that for with was were be by this are from it an has have will "
                     "which their its on at as not or but he she they we said".split())
_OTHER = frozenset("le la les des du est et une que pour dans avec sur qui au aux ne pas ce cette sont été "
                   "el los las del por con una para es y lo se al "
                   "der die das und ist nicht mit von zu den dem ein eine auf für sich auch "
                   "il di che della per sono gli dei nel "
                   "os da do em um uma não com por".split())
_MIN_WORDS = 15  # a paragraph shorter than this (a title, a list of names) is not judged


def refuse_other_scripts(text: str, label: str) -> None:
    """Japanese or Korean passed off as Chinese: kana or Hangul beside the Han characters."""
    han = len(_HAN.findall(text))
    for name, pattern in (("Japanese (kana)", _KANA), ("Korean (Hangul)", _HANGUL)):
        found = len(pattern.findall(text))
        if found >= 10 and found * 20 >= han:
            raise InputError(f"the Chinese side of {label} looks {name.split()[0]}: it has {found} {name.split()[1][1:-1]} "
                             f"characters beside {han} Han characters; duizhao aligns Chinese with English")


def refuse_other_latin(paragraphs: list[str], label: str) -> None:
    """A paragraph of the English side that has no English function word but several of another language's."""
    for text in paragraphs:
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) < _MIN_WORDS:
            continue
        english = sum(w in _ENGLISH for w in words)
        other = sum(w in _OTHER for w in words)
        if other >= 3 and english * 4 < other:
            shown = text[:60] + ("…" if len(text) > 60 else "")
            raise InputError(f"the English side of {label} has a paragraph that is not English ({shown!r}): "
                             "duizhao aligns Chinese with English; remove the other language's paragraphs")
