"""Which language a piece of text is in, told by its script (Unicode properties, never code-point ranges)."""
from __future__ import annotations

import functools
from typing import Literal

import regex

Script = Literal["zh", "en", "none"]

_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}+")
# Enough Han characters to tell Simplified from Traditional beyond doubt; more only costs time.
_SCRIPT_SAMPLE = 20_000
_LATIN_WORD = regex.compile(r"\p{Latin}+")

# A Chinese character carries about as much as a short English word: one Han character outweighs this
# many Latin words, so "在COP28上" stays Chinese and "Wang Yi (王毅) said" stays English.
_WORDS_PER_HAN = 1.0


def han_count(text: str) -> int:
    return len(text) - len(_HAN_RUN.sub("", text))  # removing runs is much faster than listing characters


def latin_words(text: str) -> int:
    return len(_LATIN_WORD.findall(text))


def script_of(text: str) -> Script:
    """"zh" where Han characters dominate, "en" where Latin words do, "none" with neither."""
    han, words = han_count(text), latin_words(text)
    if han == 0 and words == 0:
        return "none"
    return "zh" if han * _WORDS_PER_HAN >= words else "en"


@functools.lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # imported on first use: building the converter reads its dictionaries

    return opencc.OpenCC(config)


def zh_script(text: str) -> Literal["Hans", "Hant"]:
    """Traditional if converting to Simplified changes more characters than converting to Traditional.

    Comparing both directions is robust: Simplified text barely changes under t2s and Traditional text
    barely changes under s2t, whatever the text's length. The user's text itself is never converted.
    """
    han = "".join(_HAN.findall(text[: _SCRIPT_SAMPLE * 2]))[:_SCRIPT_SAMPLE]
    if not han:
        return "Hans"
    to_simplified = sum(a != b for a, b in zip(han, _converter("t2s").convert(han), strict=False))
    to_traditional = sum(a != b for a, b in zip(han, _converter("s2t").convert(han), strict=False))
    return "Hant" if to_simplified > to_traditional else "Hans"
