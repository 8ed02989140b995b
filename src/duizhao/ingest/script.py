"""Which language a piece of text is in, told by its script (Unicode properties, never code-point ranges)."""
from __future__ import annotations

from typing import Literal

import regex

from ..chinese import HAN, converter, han_count

__all__ = ["Script", "han_count", "latin_words", "script_of", "zh_script"]

Script = Literal["zh", "en", "none"]

# Enough Han characters to tell Simplified from Traditional beyond doubt; more only costs time.
_SCRIPT_SAMPLE = 20_000
_LATIN_WORD = regex.compile(r"\p{Latin}+")

# A Chinese character carries about as much as a short English word: one Han character outweighs this
# many Latin words, so "在COP28上" stays Chinese and "Wang Yi (王毅) said" stays English.
_WORDS_PER_HAN = 1.0


def latin_words(text: str) -> int:
    return len(_LATIN_WORD.findall(text))


def script_of(text: str) -> Script:
    """"zh" where Han characters dominate, "en" where Latin words do, "none" with neither."""
    han, words = han_count(text), latin_words(text)
    if han == 0 and words == 0:
        return "none"
    return "zh" if han * _WORDS_PER_HAN >= words else "en"


def zh_script(text: str) -> Literal["Hans", "Hant"]:
    """Traditional if converting to Simplified changes more characters than converting to Traditional.

    Comparing both directions is robust: Simplified text barely changes under t2s and Traditional text
    barely changes under s2t, whatever the text's length. The user's text itself is never converted.
    """
    han = "".join(HAN.findall(text[: _SCRIPT_SAMPLE * 2]))[:_SCRIPT_SAMPLE]
    if not han:
        return "Hans"
    to_simplified = sum(a != b for a, b in zip(han, converter("t2s").convert(han), strict=False))
    to_traditional = sum(a != b for a, b in zip(han, converter("s2t").convert(han), strict=False))
    return "Hant" if to_simplified > to_traditional else "Hans"
