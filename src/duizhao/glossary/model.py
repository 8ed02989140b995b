"""What the glossary is made of: a `Term`, and the English tokens its pairing reads."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import regex

from ..names import TermKind, word_key

FORMATS = ("csv", "tbx", "jsonl")


@dataclass(frozen=True)
class Term:
    """One term pair found in aligned text."""

    zh: str
    en: str
    kind: TermKind
    count: int  # links in which the two occur together
    example: str  # one such link, "Chinese ↔ English"
    evidence: str = ""  # why they pair: "dictionary", "transliteration", "co-occurrence"
    score: float = 0.0  # Dice coefficient of the two over links

    def as_dict(self) -> dict:
        return asdict(self)


# Words, hyphenated names (Bao-yu, Xi-feng), initials (J.).
_EN_TOKEN = regex.compile(r"\p{Lu}\.(?=\s)|[\p{Latin}0-9]+(?:-\p{Latin}+)*(?:['’]\p{Latin}+)?")


_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first", "second",
                 "both", "half", "hundred", "thousand", "million", "billion"}


# jieba tags of words that may be terms, and the English stopwords an n-gram may hold inside but not at its edges.
# Words that end a place name written as name + feature (托马斯 + 浅滩 "Thomas Shoal", 台湾 + 海峡).
_PLACE_SUFFIXES = set("岛 群岛 海峡 海 湾 河 江 山 山脉 湖 半岛 礁 浅滩 沙洲 省 州 市 县 区 岛礁 海域 运河 高原 盆地 平原 沙漠 "
                      "大学 学院 公司 银行 大桥 港 机场".split())


_STREET_WORDS = {"road", "street", "avenue", "lane", "township", "temple", "bridge", "gate", "park", "square"}


_ORDINAL = regex.compile(r"第[0-9一二三四五六七八九十]+")


_PLAIN_TAGS = {"n", "nz", "vn", "l", "an"}  # not names: a name's neighbour joins no term with it


_TERM_TAGS = {"n", "nz", "vn", "nt", "ns", "nr", "nrt", "l", "j", "an", "v"}


@dataclass
class _Tok:
    text: str
    key: str  # lower-cased, 's and dots dropped
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def _en_tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), word_key(m.group(0)), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]


def _surface(text: str, tokens: list[_Tok], first: int, last: int) -> str:
    return regex.sub(r"['’]s$", "", text[tokens[first].start:tokens[last].end])
