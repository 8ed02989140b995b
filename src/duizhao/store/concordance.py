"""The concordance: the links that contain a term, with the term and its likely rendering marked.

The likely rendering is estimated from the other side of those links: dictionary agreement, transliteration
and association over the store's links (`likely_rendering`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterator, Protocol

import regex

from ..chinese import HAN as _HAN_CHAR
from ..chinese import cedict, quiet_jieba
from ..errors import ConfigError
from ..lexicon import EN_STOPWORDS, ZH_STOPWORDS, Lexicon
from ..model import Lang
from ..names import NameIndex, transliteration
from .search import find_spans, guess_lang, parse_lang, search_key

_EN_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:['’](?!s\b)\p{L}+)?")  # "don't" is a word; "Hamas’s" is Hamas


_EN_GAP = regex.compile(r"[\s\-]*")  # words separated only by spaces or hyphens form one phrase


_ZH_NAME_GAP = regex.compile(r"[·・‧•]?(?:\p{Lu}\.?[·・‧•])?")


_MAX_CANDIDATE_TOKENS = {"zh": 4, "en": 5}


_SHORTLIST = 20  # candidates whose own frequency is looked up (one search each)


@dataclass
class _Candidate:
    surface: str  # as first seen in the text
    tokens: list[str]  # lexicon keys (zh words or en stems) of its content words
    links: int = 0  # term links whose other side contains it


def _candidates(text: str, lang: Lang, lexicon) -> Iterator[tuple[str, str]]:
    """(key, surface) of every run of 1..N words in `text` that neither starts nor ends with a stopword."""
    if lang == "en":
        words = [(m.group(), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]
        joined = [
            not _EN_GAP.fullmatch(text[words[i][2]:words[i + 1][1]]) for i in range(len(words) - 1)
        ]  # True where punctuation separates word i from word i + 1
        stop = [w.lower() in EN_STOPWORDS or w.isdigit() for w, _, _ in words]
    else:
        jieba = quiet_jieba()
        words = [(w, a, b) for w, a, b in jieba.tokenize(text) if _HAN_CHAR.search(w)]
        joined = [
            not _ZH_NAME_GAP.fullmatch(text[words[i][2]:words[i + 1][1]]) for i in range(len(words) - 1)
        ]  # a transliterated name keeps its dots and initials: 安东尼·J·布林肯
        stop = [lexicon.zh_key(w) in ZH_STOPWORDS for w, _, _ in words]
    keys = search_key(text, lang)  # same length as the text: a candidate's key is a slice of it
    for i in range(len(words)):
        if stop[i]:
            continue
        for j in range(i, min(len(words), i + _MAX_CANDIDATE_TOKENS[lang])):
            if j > i and joined[j - 1]:
                break
            if stop[j]:
                continue
            start, end = words[i][1], words[j][2]
            yield " ".join(keys[start:end].split()), text[start:end]


def _f1(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


@functools.lru_cache(maxsize=50_000)
def _sense_heads(zh_word: str, lexicon) -> tuple[frozenset[str], ...]:
    """The English stems each CC-CEDICT sense of a word starts with: "fentanyl (loanword)" → {fentanyl}."""
    entry = cedict().get_entry(zh_word)
    heads = []
    for definition in (entry or {}).get("definitions", []):
        head = regex.split(r"[,;]", regex.sub(r"\([^)]*\)|\[[^\]]*\]", " ", definition))[0]
        stems = frozenset(lexicon.stem(w) for w in _EN_TOKEN.findall(head) if w.lower() not in EN_STOPWORDS)
        if stems and not _HAN_CHAR.search(definition):
            heads.append(stems)
    return tuple(heads)


def likely_rendering(
    store: CorpusLinks, term: str, lang: Lang, link_texts: list[tuple[str, str]], total: int,
    maps: dict[tuple[int, str], dict[int, int]] | None = None, most: int | None = None,
) -> str:
    """How the links containing `term` most likely render it in the other language ("" without evidence).

    Each run of words on the other side of those links is scored by
      - dictionary agreement: F1 of the term's content words that CC-CEDICT links to the candidate's and
        the candidate's words that it links to the term's, counted fully for a sense's head (its first
        words, the rendering itself) and half for any word of a definition;
      - transliteration, for names no dictionary lists: how well the English spells the pinyin of the
        Chinese (布林肯 ~ Blinken), counted from 0.8 up;
      - association: Dice over the store's links, 2·links(both) / (links(term) + links(candidate)).
    A candidate needs a dictionary link, a transliteration or at least two co-occurrences. When several
    score the same, the run that contains all of them is the rendering; if none does, nothing tells them
    apart and no rendering is given.

    `most`: count at most this many links of each candidate (a bounded estimate for a frequent term).
    """
    if not link_texts:
        return ""
    lexicon = Lexicon.get()
    other: Lang = "en" if lang == "zh" else "zh"
    tokens = lexicon.tokens_zh if lang == "zh" else lexicon.tokens_en
    other_tokens = lexicon.tokens_en if lang == "zh" else lexicon.tokens_zh
    term_tokens = tokens(term)

    found: dict[str, _Candidate] = {}
    for zh_text, en_text in link_texts:
        seen = set()
        for key, surface in _candidates(en_text if lang == "zh" else zh_text, other, lexicon):
            if key in seen:
                continue
            seen.add(key)
            candidate = found.get(key) or found.setdefault(key, _Candidate(surface, other_tokens(surface)))
            candidate.links += 1
    if not found:
        return ""

    def agreement(candidate: _Candidate) -> float:
        zh_words, en_stems = (term_tokens, candidate.tokens) if lang == "zh" else (candidate.tokens, term_tokens)
        if not zh_words or not en_stems:
            return 0.0
        # A CC-CEDICT sense begins with the rendering and may go on to explain it ("Wang Yi (1953-), PRC
        # foreign minister"): matching a whole sense head counts fully, matching any definition word half.
        en_set = set(en_stems)
        heads = [[h for h in _sense_heads(w, lexicon) if h <= en_set] for w in zh_words]
        by_head = _f1(sum(1 for h in heads if h) / len(zh_words),
                      sum(1 for s in en_stems if any(s in h for hs in heads for h in hs)) / len(en_stems))
        glosses = [lexicon.translations(w) for w in zh_words]
        by_word = _f1(sum(1 for g in glosses if g & en_set) / len(zh_words),
                      sum(1 for s in en_stems if any(s in g for g in glosses)) / len(en_stems))
        return by_head + 0.5 * by_word

    def spelled(candidate: _Candidate) -> float:
        zh, en = (term, candidate.surface) if lang == "zh" else (candidate.surface, term)
        score = transliteration(NameIndex.get(), zh, en)
        return score if score >= 0.8 else 0.0

    scored = {key: agreement(c) + spelled(c) for key, c in found.items()}
    shortlist = sorted(found, key=lambda k: (scored[k], found[k].links, len(k)), reverse=True)
    ranked: dict[str, float] = {}  # key -> evidence
    for key in shortlist[:_SHORTLIST]:
        candidate = found[key]
        if scored[key] == 0 and candidate.links < 2:
            continue
        # co-occurrences counted in the sample, scaled to the whole store when the term is frequent
        together = candidate.links * total / len(link_texts)
        elsewhere = len(store.links_containing(candidate.surface, other, limit=most, maps=maps))
        dice = 2 * together / (total + max(elsewhere, together))
        ranked[key] = scored[key] + dice
    if not ranked:
        return ""
    top = max(ranked.values())
    tied = [key for key, evidence in ranked.items() if evidence >= top - 1e-9]
    # Equal evidence for a run and its parts (啵喏嘚, 啵喏, 嘚 always together) means the whole run;
    # for runs that do not nest (以下来自, 发言人) it means the corpus cannot tell them apart.
    whole = max(tied, key=len)
    if any(key not in whole for key in tied):
        return ""
    return found[whole].surface


class CorpusLinks(Protocol):
    """What the concordance reads from a store (`Store` is one)."""

    def links_containing(self, term: str, lang: Lang, limit: int | None = None,
                         maps: dict[tuple[int, str], dict[int, int]] | None = None) -> list[tuple[int, int]]: ...

    def link_texts(self, doc_id: int, position: int) -> tuple[str, str]: ...

    def titles(self) -> dict[int, tuple[str, str]]: ...


@dataclass
class Hit:
    """One concordance line: a link whose `lang` side contains the term.

    `spans` are (start, end) offsets of the term in `text`; `rendering_spans` mark the likely rendering of
    the term in `aligned` (the other side of the link).
    """

    doc_id: int
    title: str
    position: int
    lang: Lang
    text: str
    spans: list[tuple[int, int]]
    aligned: str
    rendering_spans: list[tuple[int, int]] = field(default_factory=list)

@dataclass
class Concordance:
    term: str
    lang: Lang
    rendering: str  # the likely rendering in the other language ("" if none could be found)
    total: int  # links containing the term, in the whole store (at least this many when `capped`)
    hits: list[Hit]
    capped: bool = False  # counting stopped at `concordance(most=…)`: there are more links than `total`

    def records(self) -> list[dict]:
        """One JSON-ready record per hit (what `duizhao search` prints when piped)."""
        return [
            {"term": self.term, "rendering": self.rendering, "doc": h.doc_id, "title": h.title, "position": h.position,
             "lang": h.lang, "text": h.text, "spans": [list(s) for s in h.spans], "aligned": h.aligned,
             "rendering_spans": [list(s) for s in h.rendering_spans]}
            for h in self.hits
        ]

_MAX_TERM_LINKS = 500  # links sampled to estimate the rendering of a frequent term

def concordance(store: CorpusLinks, term: str, lang: Lang | None = None, limit: int = 20,
                most: int | None = None, sample: int = _MAX_TERM_LINKS) -> Concordance:
    """Links containing `term`, each with the term and its likely rendering marked.

    Bounded work for a server: `most` stops counting the links of the term (and of each candidate
    rendering) there, and `sample` links of the term are read to estimate its rendering. The command
    line counts everything."""
    if not term.strip():
        raise ConfigError("the search term is empty: give a word or phrase")
    lang = parse_lang(lang)
    if limit < 1:
        raise ConfigError(f"--limit must be at least 1, got {limit}")
    lang = lang or guess_lang(term)
    other: Lang = "en" if lang == "zh" else "zh"
    maps: dict[tuple[int, str], dict[int, int]] = {}  # one read of each document's links for all counts
    links = store.links_containing(term, lang, limit=None if most is None else max(most, limit), maps=maps)
    texts = {link: store.link_texts(*link) for link in links[:max(limit, sample)]}
    rendering = likely_rendering(
        store, term, lang, [texts[link] for link in links[:sample]], len(links), maps, most
    )
    titles = store.titles()
    hits = []
    for doc_id, position in links[:limit]:
        zh_text, en_text = texts[(doc_id, position)]
        text, aligned = (zh_text, en_text) if lang == "zh" else (en_text, zh_text)
        hits.append(Hit(
            doc_id=doc_id,
            title=titles[doc_id][1 if lang == "en" else 0] or titles[doc_id][0] or titles[doc_id][1],
            position=position,
            lang=lang,
            text=text,
            spans=find_spans(text, term, lang),
            aligned=aligned,
            rendering_spans=find_spans(aligned, rendering, other) if rendering else [],
        ))
    capped = most is not None and len(links) >= max(most, limit)
    return Concordance(term=term, lang=lang, rendering=rendering, total=len(links), hits=hits, capped=capped)
