"""Bilingual term pairs (people, places, organisations, recurring terms) from aligned text.

`extract(alignments)` finds Chinese name and term candidates (jieba's nr/ns/nt/nz tags, recurring
multi-character words), English candidates (capitalised spans, recurring n-grams), and pairs them across links
by co-occurrence (Dice), confirmed by CC-CEDICT renderings or by transliteration (布林肯 ↔ Blinken: the pinyin
"bulinken" is one edit from "blinken"). A pair needs that confirmation, or strong co-occurrence on several links,
so that common words never pair with each other by chance.

Name look-ups (CC-CEDICT renderings, pinyin, jieba's name tags) live in `duizhao.names`.
"""
from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape

import regex

from . import __version__
from .chinese import HAN as _HAN
from .chinese import quiet_jieba
from .errors import ConfigError
from .io import atomic_write
from .lexicon import EN_STOPWORDS, ZH_STOPWORDS, Lexicon
from .model import Alignment
from .names import (
    PLACE_WORDS,
    EnglishText,
    NameIndex,
    TermKind,
    ZhName,
    find_name,
    pos_tags,
    proper_parts,
    sounds_like,
    word_key,
    zh_names,
)
from .numbers import anchors_en, anchors_zh

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
    return [_Tok(m.group(0), word_key(m.group(0)), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]


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
    def link(self, zh: str, en: str, terms: bool = True) -> None:
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
                    spelled: TermKind = "place" if PLACE_WORDS.fullmatch(last) or last in _STREET_WORDS else "person"
                    self._count((found_zh, run), "transliteration", spelled, example, seen)
        if terms:
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
            inner = [p for p in proper_parts(name.text, self.index, inner=True)]
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
        zh_end = name.span[0] + max(o + len(w) for o, w in zip(offsets, name.lookup, strict=False))
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
        jieba = quiet_jieba()
        return list(jieba.tokenize(zh))

    def _translates(self, zh_word: str, token: _Tok) -> bool:
        zh_keys = {a.key for a in anchors_zh(zh_word)}
        if zh_keys and zh_keys & {a.key for a in anchors_en(token.text)}:
            return True
        return self.lexicon.stem(token.text) in self.lexicon.translations(zh_word)

    def _capitalised_runs(self, tokens: list[_Tok], en: str) -> list[str]:
        """English name candidates: runs of capitalised words, less the ordinary words at their edges."""
        runs: list[list[int]] = []
        current: list[int] = []
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
        words = list(pos_tags(zh))
        zh_cands = {w for w, f in words if f in _TERM_TAGS and len(w) >= 2 and w not in ZH_STOPWORDS
                    and _HAN.search(w)}
        for (w1, f1), (w2, f2) in itertools.pairwise(words):
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
        best: dict[str, tuple[float, float, int, str]] = {}
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


def extract(alignments: Iterable[Alignment], terms: bool = True, max_links: int | None = None) -> list[Term]:
    """Term pairs found in aligned text, most frequent first: people, places, organisations, then terms.

    Only links with both sides are read. Each pair carries how many links hold it, one example link, the
    evidence that pairs it, and its Dice coefficient over links. `terms=False` finds names only;
    `max_links` reads at most that many links of each alignment, spread evenly over it (a book's recurring
    names recur in any large enough sample of it).
    """
    extractor = _Extractor(NameIndex.get(), Lexicon.get())
    for alignment in alignments:
        beads = [b for b in alignment.beads if b.zh and b.en]
        if max_links is not None and len(beads) > max_links:
            beads = [beads[k * len(beads) // max_links] for k in range(max_links)]
        for bead in beads:
            extractor.link(alignment.zh_text(bead), alignment.en_text(bead), terms)
    names = extractor.names_found()
    names = _merge_variants(names)
    named = {t.zh for t in names} | {t.en.lower() for t in names}
    recurring = [t for t in extractor.term_pairs_found() if t.zh not in named and t.en.lower() not in named]
    order = {"person": 0, "place": 1, "org": 2, "term": 3}
    return sorted(names + recurring, key=lambda t: (order[t.kind], -t.count, t.zh, t.en))


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
    for group in by_zh.values():
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
