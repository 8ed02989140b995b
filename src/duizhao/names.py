"""Names across the two languages: CC-CEDICT's renderings and pinyin, Chinese names by jieba, English names.

`NameIndex` holds the CC-CEDICT facts that `check` and `glossary` need: the English renderings of a Chinese
name (新疆 → Xinjiang, 中华人民共和国 → People's Republic of China, PRC), its pinyin for transliteration
(布林肯 "bulinken" ↔ Blinken), what kind of name it is, and which English words are ordinary lower-case words.
`zh_names` finds people, places and organisations in Chinese text; `find_name` looks for one in English text.
"""
from __future__ import annotations

import functools
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import regex

from .chinese import HAN as _HAN
from .chinese import cedict_entries, cedict_version, quiet_jieba
from .io import cached_pickle

TermKind = Literal["person", "place", "org", "term"]

_EN_WORD = regex.compile(r"[\p{Latin}0-9]+(?:['’]\p{Latin}+)?")
_DEF_PHRASE = regex.compile(r"\p{Lu}[\p{Latin}'’\-]*(?:\s+(?:of|the|and|for|de|al|on)?\s*\p{Lu}[\p{Latin}'’\-]*)*")
_NAME_TAGS: dict[str, TermKind] = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org", "nz": "term"}
_INDEX_FORMAT = 8  # bump when NameIndex's contents change, so cached copies are rebuilt
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
    # official English of the two governments' press releases
    "韩国": ["ROK", "Republic of Korea", "South Korea"],
    "韩方": ["ROK", "South Korea"],
    "外交部": ["Foreign Ministry", "Ministry of Foreign Affairs", "Foreign Minister"],
    "中非": ["China-Africa", "FOCAC"],
}


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


def sounds_like(romanised: str, english: str, loose: bool = False) -> float:
    """Similarity of a romanised Chinese name to an English spelling, after evening out the commonest
    spelling differences (Miller ↔ mile, Matthew ↔ maxiu, Xinjiang ↔ xinjiang). `loose` (for the checks, where
    a missed match costs a false flag) also evens out the vowels a transliteration adds or changes
    (布兰斯塔德 ↔ Branstad, 梅尔 ↔ Mel, 艾伦 ↔ Allen); the glossary, which must not pair the wrong name, does not."""
    pinyin = regex.sub(r"zh", "j", romanised.replace("x", "s").replace("q", "ch"))
    # accents fold away: 艾莎塔 "aishata" ~ Aïssata
    spelt = "".join(c for c in unicodedata.normalize("NFKD", english.lower()) if not unicodedata.combining(c))
    for old, new in (("th", "t"), ("ph", "f"), ("ck", "k"), ("y", "i"), ("w", "u"), ("x", "s"), ("q", "ch")):
        spelt = spelt.replace(old, new)
    spelt = regex.sub(r"(.)\1", r"\1", regex.sub(r"[^\p{Latin}]", "", spelt))
    score = max(similarity(romanised, english.lower()), similarity(pinyin, spelt))
    if score >= 0.72 or not loose:
        return score
    # Chinese puts a vowel after a consonant the English runs on (布兰斯塔德 bu-lan-si-ta-de ↔ Branstad), writes a
    # final l or r as 尔 er (梅尔 ↔ Mel, 奥尼尔 ↔ O'Neill) and has one l for English l and r.
    clipped = regex.sub(r"er$", "l", _EPENTHETIC.sub("", pinyin)).replace("r", "l")
    plain = spelt.replace("r", "l")
    score = max(score, similarity(clipped, plain))
    # The vowels of a transliteration are the least certain part (艾伦 "ailun" ↔ Allen, 泰里 ↔ Terry): the
    # short names with the same consonants in the same order, vowels as one, count a little less; the first
    # sound must agree (a longer word's vowels carry its identity: 生活 "shenghuo" is not Shanghai).
    folded, english_folded = _VOWELS.sub("a", clipped), _VOWELS.sub("a", plain)
    consonants = regex.sub(r"[aeiou]", "", plain)
    if 2 <= len(consonants) <= 3 and consonants == regex.sub(r"[aeiou]", "", clipped) and folded[:1] == english_folded[:1]:
        score = max(score, similarity(folded, english_folded) - 0.1)
    return score


_EPENTHETIC = regex.compile(r"(?<=[bpdtkgfszc])(?:u|e|i)(?=[bpdtkgfszcmnlhjw]|$)")
_VOWELS = regex.compile(r"[aeiou]+")


def transliteration(index: NameIndex, zh: str, english: str) -> float:
    """How well `english` spells the sounds of the Chinese `zh` (布林肯 ~ Blinken), in [0, 1]: `sounds_like`
    of the name's romanisation against the English letters. The score the checks, the glossary and the
    concordance all use, so they agree on a name."""
    romanised = "".join(index.romanised(zh))
    letters = "".join(regex.findall(r"\p{Latin}", english.lower()))
    return sounds_like(romanised, letters) if romanised and letters else 0.0


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
PLACE_WORDS = regex.compile(r"\b(?:island|province|city|county|river|mountain|sea|strait|country|region|capital|"
                             r"state|lake|district|town|village|prefecture|peninsula|ocean|bay|desert|port)s?\b",
                             regex.I)
_PERSON_WORDS = regex.compile(r"\(name\)|\bsurname\b|\((?:\d{3,4}|c\. ?\d+)[-–]|\b(?:president|minister|writer|"
                              r"poet|general|emperor|king|queen|philosopher|painter|politician|actor|actress|singer)\b",
                              regex.I)


def _kind_from_definition(definition: str) -> TermKind | None:
    """"Hamas (radical Palestinian group)" → org; "Bali (island in Indonesia)" → place; "Biden (name)" → person."""
    head, _, note = definition.partition("(")
    for pattern, kind in ((_PERSON_WORDS, "person"), (_ORG_WORDS, "org"), (PLACE_WORDS, "place")):
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
        renderings: dict[str, list[str]] = defaultdict(list)
        self.renderings = renderings
        self.pinyin: dict[str, str] = {}
        self.proper: set[str] = set()  # headwords CC-CEDICT writes with a capital: names
        self.common_words: set[str] = set()  # words its definitions use in lower case
        self.char_pinyin: dict[str, str] = {}
        self.char_readings: dict[str, list[str]] = {}
        self.kinds: dict[str, TermKind] = {}  # what CC-CEDICT's definition says a name is
        self.ordinary: set[str] = set()  # headwords with an ordinary (lower-case pinyin) reading: 温泉 "hot spring"
        for entry in cedict_entries():
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
        def build() -> dict:
            index = cls()
            return {k: index.__dict__[k] for k in cls._STATE}

        return cls(cached_pickle(f"names-cedict-{cedict_version()}-v{_INDEX_FORMAT}", build,
                                 stale_prefix="names-cedict-"))

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

    def other_readings(self, zh: str, limit: int = 8) -> list[str]:
        """The romanisations of a name outside CC-CEDICT with its characters' other readings, beyond the one
        `romanised` gives: 艾伦 is "yilun" there and "ailun" (Allen) here. At most `limit`."""
        if not regex.fullmatch(r"\p{Han}{1,4}", zh) or zh in self.pinyin:
            return []
        spellings = [""]
        for ch in zh:
            options = self.char_readings.get(ch) or [self.char_pinyin.get(ch, "")]
            spellings = [s + o for s in spellings for o in options][:limit * 4]
        first = "".join(self.char_pinyin.get(ch, "") for ch in zh)
        return [s for s in dict.fromkeys(spellings) if s != first][:limit]

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
    def longest_proper(self) -> int:
        """The length of the longest name CC-CEDICT knows: no longer piece of a compound can be one."""
        return max(map(len, self.proper), default=0)

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


def word_key(word: str) -> str:
    return regex.sub(r"['’]s$", "", _key(word)).replace(".", "")


_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu}\p{Ll})|(?<=\p{Ll})(?=https?:)")


class EnglishText:
    """An English text prepared for name look-ups: word keys, acronym keys, capitalised words."""

    def __init__(self, text: str):
        self.text = text
        self.words = [m.group(0) for m in _EN_WORD.finditer(text)]
        # Words run together by a PDF or a page's markup ("UnitedStates", "andChinese", "visithttps") are
        # looked up apart as well.
        apart = _CAMEL.sub(" ", text)
        if apart != text:
            self.words += [m.group(0) for m in _EN_WORD.finditer(apart)]
        self.keys = {word_key(w) for w in self.words}
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
        words = [word_key(w) for w in _EN_WORD.findall(phrase) if w.lower() not in _SMALL]
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
        # Spelling variants: Anthony ↔ Antony, the Philippines ↔ Philippine; a hyphenated rendering's parts
        # (中美 "China-USA" ↔ "China-US relations").
        pieces = regex.split(r"[\s\-‐]+", rendering)
        if strict and len(pieces) > 1:
            continue
        for word in pieces:
            if len(word) >= 4 and word[:1].isupper():
                best = max(english.capitalised, key=lambda w: similarity(word.lower(), w.lower()), default="")
                if best and similarity(word.lower(), best.lower()) >= 0.8:
                    return Match("dictionary", best, (word_key(best),))
                if not strict:  # America ↔ Americans, China ↔ Chinese
                    stem = word.lower()[:-1]
                    derived = [w for w in english.capitalised if w.lower().startswith(stem) and len(w) - len(word) <= 3]
                    if derived:
                        return Match("dictionary", derived[0], (word_key(derived[0]),))
    parts = [p for p in index.romanised(zh_name) if len(p) >= 2] + index.other_readings(zh_name)
    if strict and len(parts) > 1:
        parts = ["".join(parts)] + parts  # a whole name first: 王毅 → "wangyi"
    for part in parts:
        candidates: dict[str, tuple[str, ...]] = {w.lower(): (word_key(w),) for w in english.capitalised}
        candidates.update(english.joined)
        best = max(candidates, key=lambda w: sounds_like(part, w, not strict), default="")
        if best and sounds_like(part, best, not strict) >= threshold:
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


@functools.lru_cache(maxsize=2048)
def pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words and part-of-speech tags for `text`. Its HMM tagger is the costliest step of the checks
    and the glossary, which tag the same link more than once: recent texts are kept."""
    quiet_jieba()
    import jieba.posseg

    # A run without punctuation longer than a sentence (中中中… pasted 10,000 times) is tagged in pieces:
    # jieba's tagger costs far more than linear time on one such run, and no name is that long.
    tags: list[tuple[str, str]] = []
    tagged = 0
    for piece in _pieces(text):
        if tagged >= _MAX_TAGGED or _degenerate(piece):
            tags.append((piece, "x"))  # kept as one untagged token, so positions still add up
            continue
        tagged += len(piece)
        tags.extend((pair.word, pair.flag) for pair in jieba.posseg.cut(piece))
    return tuple(tags)


_MAX_TAGGED = 20_000  # characters of one text tagged at all: a sentence is far shorter, a 2 MB paste is not


def _degenerate(piece: str) -> bool:
    """A piece that is mostly one repeated character (中中中…, ————): no name is in it, and jieba's tagger
    spends milliseconds per character on such a run."""
    if len(piece) < 20:
        return False
    from collections import Counter

    return Counter(piece).most_common(1)[0][1] * 2 > len(piece)


_TAG_PIECE = 200  # characters jieba tags at once
_BREAK = regex.compile(r"[\s，。、；：！？,.;:!?（）()「」『』“”\"'《》]")


def _pieces(text: str) -> list[str]:
    """`text` in pieces of at most `_TAG_PIECE` characters, cut after punctuation or space where there is
    one (so no ordinary word is cut), else hard."""
    if len(text) <= _TAG_PIECE:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + _TAG_PIECE, len(text))
        if end < len(text):
            cut = max((m.end() for m in _BREAK.finditer(text, start + _TAG_PIECE // 2, end)), default=end)
            end = cut
        pieces.append(text[start:end])
        start = end
    return pieces


def zh_names(text: str, index: NameIndex | None = None) -> list[ZhName]:
    """People, places and organisations in Chinese text, by jieba's tags, checked against CC-CEDICT.

    jieba cuts unknown transliterations (布林肯 → 布 + 林肯 "Lincoln"), so adjacent person tokens and tokens
    joined by a middle dot (马修·米勒) are merged. Words CC-CEDICT knows only as ordinary words (令人, 和平)
    are dropped: jieba tags them as names now and then. A compound CC-CEDICT lacks (美中关系) is looked up
    by the names inside it.
    """
    index = index or NameIndex.get()
    tokens = []
    position = 0
    for word, flag in pos_tags(text):
        tokens.append((word, flag, position))
        position += len(word)
    merged: list[tuple[str, str, int]] = []
    for word, flag, start in tokens:
        if merged:
            last_word, last_flag, last_start = merged[-1]
            joined_by_dot = last_word[-1:] in _NAME_JOINERS or word in _NAME_JOINERS
            # a transliteration jieba half tags as a place it does not know (布兰 + 斯塔德 "Branstad")
            half_place = ((last_flag in _PERSON_TAGS and flag == "ns") or (last_flag == "ns" and flag in _PERSON_TAGS)) \
                and all(len(w) == 1 or w not in index.pinyin for w in (last_word, word))  # not 曲阜县 + 孔夫子
            if last_start + len(last_word) == start and (
                (last_flag in _PERSON_TAGS and flag in _PERSON_TAGS) or half_place
                or (joined_by_dot and (last_flag in _PERSON_TAGS or flag in _PERSON_TAGS or word in _NAME_JOINERS))
            ):
                merged[-1] = (last_word + word, "nr", last_start)
                continue
        merged.append((word, flag, start))
    found = []
    for number, (word, flag, start) in enumerate(merged):
        after = merged[number + 1] if number + 1 < len(merged) else None
        if flag == "ns" and after and after[1] in _PERSON_TAGS and after[2] == start + len(word) and start > 0 \
                and text[start - 1:start + 1] in index.ordinary:
            continue  # 外交部长沙阿: 部长 "minister" and 沙阿 "Shah", not 长沙 "Changsha"
        word = word.strip(_NAME_JOINERS)
        if flag not in _NAME_TAGS or flag == "nz" or len(word) < 2 or not _HAN.search(word):
            continue
        if word in index.pinyin and word not in index.proper:
            continue  # an ordinary word jieba mistook for a name
        lookup: tuple[str, ...] = (word,)
        if word not in index.pinyin and flag not in _PERSON_TAGS and not any(j in word for j in _NAME_JOINERS):
            inner = proper_parts(word, index)
            if inner:
                lookup = tuple(inner)
        found.append(ZhName(word, _NAME_TAGS[flag], (start, start + len(word)), lookup))
    return found


def proper_parts(word: str, index: NameIndex, inner: bool = False) -> list[str]:
    """The CC-CEDICT proper names inside an unknown compound, longest first: 美中关系 → [美中].
    `inner` looks only for names shorter than the word itself."""
    parts, i = [], 0
    longest = index.longest_proper
    while i < len(word):
        for size in range(min(len(word) - i - (1 if inner and i == 0 else 0), longest), 0, -1):
            piece = word[i:i + size]
            if size > 1 and piece in index.proper:
                parts.append(piece)
                i += size
                break
        else:
            i += 1
    return parts


__all__ = ["NameIndex", "EnglishText", "Match", "ZhName", "TermKind", "find_name", "zh_names", "pos_tags",
           "romanise", "similarity", "sounds_like", "transliteration"]
