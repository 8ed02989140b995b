"""Translation checks: point the reviewer at the links worth a second look.

`check(alignment)` adds `Flag`s to the links (beads):

- ``number``: a number, quantity, percentage or ordinal on one side only, or different (七个 ↔ eight);
- ``date``: a date on one side only, or different (10月23日 ↔ October 22);
- ``name``: a person, place or organisation on one side with no counterpart on the other (dictionary,
  glossary, transliteration 布林肯 ↔ Blinken);
- ``omission`` / ``addition``: a sentence with no counterpart (1-0 / 0-1 link), or a link much shorter on one
  side than the document's own length ratio predicts;
- ``untranslated``: a Chinese-side sentence mostly in Latin script, or an English-side sentence mostly Han.

Which of omission and addition applies depends on the direction of translation. When it is known (``source``
argument, or ``alignment.settings["source_lang"]``), text missing from the translation is an ``omission`` and
text only the translation has is an ``addition``. When it is not known, both are reported as ``omission``
and the message names the side that lacks the text.

Precision comes first: a flag a reviewer finds wrong costs their time, so every check errs towards silence.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace
from typing import Iterable

import regex

from .chinese import HAN as _HAN
from .chinese import quiet_jieba
from .errors import ConfigError
from .glossary import Term, extract
from .model import Alignment, Flag, Lang
from .names import EnglishText, NameIndex, ZhName, find_name, similarity, sounds_like, zh_names
from .numbers import Anchor, anchors_en, anchors_zh, unmatched

FLAG_TYPES = ("number", "date", "name", "omission", "addition", "untranslated")

_LATIN = regex.compile(r"\p{Latin}")
_LATIN_WORD = regex.compile(r"\p{Latin}{2,}")
_EN_NAME = regex.compile(r"(?<![\p{Latin}'’])\p{Lu}\p{Ll}{2,}(?:['’]s)?(?![\p{Latin}])")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\"“‘(]\s*)$")


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds of the checks, recorded in `Alignment.settings["checks"]`."""

    length_z: float = 3.5  # robust z-score of log(English/Chinese length) beyond which a link is lopsided
    length_min_ratio: float = 2.0  # ... and the link must also be at least this far off the document's ratio
    length_min_chars: int = 12  # Chinese characters below which a link is too short to judge by length
    transliteration: float = 0.65  # similarity of a romanised Chinese name part to an English word
    untranslated_share: float = 0.6  # share of the wrong script among the letters of a sentence
    untranslated_min_letters: int = 12
    learn_names_from: int = 60  # links from which a document's own glossary is extracted for the name check
    learn_names_max: int = 3000  # ... and the most links it is learnt from (spread over a longer document)


def check_settings(config: CheckConfig, source: Lang | None = None) -> dict:
    """The checks' part of the reproducibility signature (`Alignment.settings["checks"]`)."""
    return {**config.__dict__, "source_lang": source}


def check(alignment: Alignment, source: Lang | None = None, glossary: Iterable[Term] | None = None,
          config: CheckConfig | None = None) -> Alignment:
    """Return `alignment` with each link's flags recomputed (flags of other types are kept).

    `source` is the language translated from, if known ("zh" or "en"); `glossary` adds known renderings
    to the dictionary for the name check.
    """
    config = config or CheckConfig()
    source = source or alignment.settings.get("source_lang") or None
    if source not in (None, "zh", "en"):
        raise ConfigError(f"unknown source language {source!r}: use 'zh', 'en', or leave it out")
    known: dict[str, list[str]] = {}
    people: set[str] = set()  # English words of the people the glossary knows
    if glossary is None and len(alignment.beads) >= config.learn_names_from:
        # A long document teaches its own renderings (韦小宝 ↔ Trinket) by co-occurrence over its links.
        glossary = extract([alignment], terms=False, max_links=config.learn_names_max)
    for term in glossary or ():
        known.setdefault(term.zh, []).append(term.en)
        if term.kind == "person":
            people.update(w.lower() for w in regex.findall(r"\p{Latin}+", term.en))
    index = NameIndex.get()
    length_model = _LengthModel.fit(alignment)
    beads = []
    for bead in alignment.beads:
        zh, en = alignment.zh_text(bead), alignment.en_text(bead)
        flags = [f for f in bead.flags if f.type not in FLAG_TYPES]
        untranslated = _untranslated(zh, en, config)
        flags += untranslated
        if not bead.zh or not bead.en:
            flags += _lone_sentence(zh, en, source)
        elif not untranslated:  # an untranslated side has no numbers, names or length to compare
            flags += _anchor_flags(zh, en)
            flags += _name_flags(zh, en, index, known, people, config)
            flags += length_model.flags(zh, en, source, config)
        beads.append(replace(bead, flags=flags))
    settings = {**alignment.settings, "checks": check_settings(config, source)}
    return Alignment(document=alignment.document, beads=beads, settings=settings)


# --------------------------------------------------------------------------------- numbers and dates

def _weak(anchor: Anchor) -> bool:
    """Anchors whose absence on the other side proves nothing: one and two written as words (一个 "a",
    两国 "the two countries" ↔ 双方), estimates (五六个) and numbers inside titles (《三体》)."""
    return anchor.vague or (anchor.spelled and anchor.key in ("num:1", "num:2"))


def _anchor_flags(zh: str, en: str) -> list[Flag]:
    zh_anchors = [a for a in anchors_zh(zh) if a.kind != "latin"]
    en_anchors = [a for a in anchors_en(en) if a.kind != "latin"]
    left_zh, left_en = unmatched(zh_anchors, en_anchors)
    flags = []
    for flag_type, kinds in (("date", {"date"}), ("number", {"number", "ordinal", "percent"})):
        only_zh = [a for a in left_zh if a.kind in kinds and not _weak(a)]
        only_en = [a for a in left_en if a.kind in kinds and not _weak(a)]
        if not only_zh and not only_en:
            continue
        noun = "date" if flag_type == "date" else "number"
        if only_zh and only_en:
            message = f"The two sides give a different {noun}."
        elif only_zh:
            message = f"A {noun} in the Chinese is missing from the English."
        else:
            message = f"A {noun} in the English is missing from the Chinese."
        flags.append(Flag(flag_type, message, _evidence(only_zh, only_en)))
    # Latin-script tokens kept in a Chinese sentence (COP28, iPhone) are names the English must show as well.
    en_keys = {regex.sub(r"[.\-'’]", "", w).casefold() for w in regex.findall(r"[\p{Latin}0-9.\-'’]+", en)}
    # Lower-case abbreviations (7cm, kg) are units the English may spell out: "seven centimeters".
    missing = [a for a in anchors_zh(zh) if a.kind == "latin" and len(a.surface) > 1
               and not regex.fullmatch(r"\p{Ll}{1,3}", a.surface) and a.key.removeprefix("latin:") not in en_keys]
    if missing:
        flags.append(Flag("name", "A Latin-script name in the Chinese is missing from the English.",
                          _evidence(missing, [])))
    return flags


def _evidence(zh: list, en: list) -> str:
    """Pairs in reading order, "10月23日 ↔ October 22"; a side with nothing shows "—"."""
    pairs = []
    for i in range(max(len(zh), len(en))):
        left = zh[i].surface if i < len(zh) else "—"
        right = en[i].surface if i < len(en) else "—"
        pairs.append(f"{left} ↔ {right}")
    return "; ".join(pairs)


# ------------------------------------------------------------------------------------------- names

def _acronyms(en: str) -> list[str]:
    return [m.group(0) for m in regex.finditer(r"\b(?:\p{Lu}\.){2,}|\b\p{Lu}{2,}[0-9]*\b", en)]


def _name_flags(zh: str, en: str, index: NameIndex, known: dict[str, list[str]], people: set[str],
                config: CheckConfig) -> list[Flag]:
    """A name on one side with no counterpart on the other.

    A place or organisation CC-CEDICT lists (以色列, Hamas) is flagged when the other side lacks it. A
    person's name is flagged only when the other side names someone unexplained instead (乌克兰 ↔ Israel,
    沙利文 ↔ Blinken): translations, literary ones above all, name people where the original says "he" and
    the reverse, which is no error.
    """
    english = EnglishText(en)
    missing_zh: list[ZhName] = []
    used: set[str] = set()
    for name in zh_names(zh, index):
        if any(word in index.ordinary for word in name.lookup) and name.text not in known:
            continue  # 红光 "red light" (also a place), 平坝 "flat land": too ambiguous to call missing
        matches = [find_name(word, english, index, known, config.transliteration) for word in name.lookup]
        if all(matches):
            used |= {w for m in matches if m for w in m.words}
        else:
            missing_zh.append(name)
    # English abbreviates organisations and events (第28届联合国气候变化大会 ↔ COP28): an acronym that no
    # Chinese name accounts for may stand for an organisation that seems missing.
    spare_acronyms = [a for a in _acronyms(en) if a.lower().replace(".", "") not in {u.replace(".", "") for u in used}]
    if spare_acronyms:
        missing_zh = [n for n in missing_zh if n.kind not in ("org", "term")]
    # A name matched by one of its parts (米勒 ↔ Miller) accounts for the rest of its English run (Matthew).
    accounted = {w.lower() for run in _capitalised_runs(en) if set(run) & used for w in run}
    missing_en = [w for w in _english_names_without_counterpart(zh, en, index, known, config)
                  if w.lower() not in accounted]
    # People the document's glossary knows (韦小宝 ↔ Trinket) moved between sentences or became "he": only
    # names it never pairs can show two different people.
    missing_zh = [n for n in missing_zh if not (n.kind == "person" and n.text in known)]
    missing_en = [w for w in missing_en if w.lower() not in people]
    if missing_zh and missing_en:
        message = "A name differs between the two sides."
    else:
        missing_zh = [n for n in missing_zh if _world_name(n, index)]
        missing_en = [w for w in missing_en if w.lower() in index.world_names]
        if missing_zh:
            message = "A name in the Chinese has no counterpart in the English."
        elif missing_en:
            message = "A name in the English has no counterpart in the Chinese."
        else:
            return []
    zh_side = list(dict.fromkeys(n.text for n in missing_zh))
    en_side = list(dict.fromkeys(missing_en))
    pairs = [f"{zh_side[i] if i < len(zh_side) else '—'} ↔ {en_side[i] if i < len(en_side) else '—'}"
             for i in range(max(len(zh_side), len(en_side)))]
    return [Flag("name", message, "; ".join(pairs))]


def _world_name(name: ZhName, index: NameIndex) -> bool:
    """A place or organisation CC-CEDICT lists as a name only (not 温泉 "hot spring", also a county)."""
    if any(word not in index.proper or word in index.ordinary for word in name.lookup):
        return False
    return all(index.kinds.get(word) != "person" for word in name.lookup) and (
        name.kind != "person" or all(word in index.kinds or word in index.renderings for word in name.lookup))


def _capitalised_runs(en: str) -> list[list[str]]:
    """Runs of capitalised words and initials, lower-cased: "Antony J. Blinken" → ["antony", "j", "blinken"]."""
    runs = []
    for m in regex.finditer(r"\p{Lu}[\p{Latin}'’]*\.?(?:[\s\-]+\p{Lu}[\p{Latin}'’]*\.?)*", en):
        runs.append([regex.sub(r"['’]s$|\.$", "", w).lower() for w in regex.split(r"[\s\-]+", m.group(0))])
    return runs


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "ladyship", "lord", "lordship", "madam", "madame",
               "master", "majesty", "highness", "excellency", "auntie", "aunty", "uncle", "grannie", "granny"}
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _english_names_without_counterpart(zh: str, en: str, index: NameIndex, known: dict[str, list[str]],
                                       config: CheckConfig) -> list[str]:
    """Capitalised English words that are no ordinary English word (Blinken, Xinjiang, Hamas) and that no
    Chinese word renders, by dictionary, glossary or transliteration."""
    candidates = []
    for m in _EN_NAME.finditer(en):
        word = regex.sub(r"['’]s$", "", m.group(0))
        if word.lower() in _CALENDAR or word.lower() in _HONORIFICS or index.is_common_english(word):
            continue  # dates are the date check's business; ordinary words are not names
        if _SENTENCE_START.search(en[:m.start()]):
            continue  # any word is capitalised at the start of a sentence
        candidates.append(word)
    if not candidates:
        return []
    jieba = quiet_jieba()
    names = [n.text for n in zh_names(zh, index)]
    zh_words = set(jieba.lcut(zh)) | set(names)
    for name in list(zh_words):
        zh_words.update(_pieces(name, index))
    romanised: list[str] = [r for name in names for r in index.romanised_spans(name)]
    rendered: set[str] = set()
    for word in zh_words:
        if not _HAN.search(word):
            continue
        for rendering in [*index.renderings.get(word, ()), *known.get(word, ())]:
            rendered.update(w.lower() for w in regex.findall(r"\p{Latin}+", rendering))
        if word in index.proper or len(word) >= 2:
            romanised.extend(index.romanised(word))
    missing = []
    for word in candidates:
        low = word.lower()
        if low in rendered or any(similarity(low, r) >= 0.8 for r in rendered if len(r) >= 4):
            continue
        if any(sounds_like(r, low) >= config.transliteration for r in romanised if len(r) >= 2):
            continue
        missing.append(word)
    return missing


def _pieces(word: str, index: NameIndex) -> list[str]:
    """Every CC-CEDICT word inside `word` of two or more characters."""
    return [word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1) if word[i:j] in index.pinyin]


# ------------------------------------------------------------------------------ omission and addition

def _missing_side_type(lacking: Lang, source: Lang | None) -> str:
    """Text the translation lacks is an omission; text only the translation has is an addition."""
    if source is None or lacking != source:
        return "omission"
    return "addition"


def _snippet(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def _lone_sentence(zh: str, en: str, source: Lang | None) -> list[Flag]:
    if zh and not en:
        return [Flag(_missing_side_type("en", source), "This Chinese text has no English counterpart.",
                     f"{_snippet(zh)} ↔ —")]
    if en and not zh:
        return [Flag(_missing_side_type("zh", source), "This English text has no Chinese counterpart.",
                     f"— ↔ {_snippet(en)}")]
    return []


def _size(text: str) -> int:
    """Characters that carry content: Han characters and letters/digits (no spaces or punctuation)."""
    return len(regex.findall(r"[\p{L}\p{N}]", text))


@dataclass(frozen=True)
class _LengthModel:
    """This document's own English/Chinese length ratio, as the median and spread of log ratios."""

    centre: float
    spread: float

    @classmethod
    def fit(cls, alignment: Alignment) -> _LengthModel:
        ratios = []
        for bead in alignment.beads:
            if bead.zh and bead.en:
                zh_size = _size(alignment.zh_text(bead))
                en_size = _size(alignment.en_text(bead))
                if zh_size and en_size:
                    ratios.append(math.log(en_size / zh_size))
        if len(ratios) < 3:
            return cls(centre=math.log(3.0), spread=0.3)  # English runs about three letters per Han character
        centre = statistics.median(ratios)
        spread = 1.4826 * statistics.median(abs(r - centre) for r in ratios)
        return cls(centre=centre, spread=max(spread, 0.15))

    def flags(self, zh: str, en: str, source: Lang | None, config: CheckConfig) -> list[Flag]:
        zh_size, en_size = _size(zh), _size(en)
        if zh_size < config.length_min_chars or not en_size:
            return []
        deviation = math.log(en_size / zh_size) - self.centre
        z = deviation / self.spread
        if abs(z) < config.length_z or abs(deviation) < math.log(config.length_min_ratio):
            return []
        expected = round(zh_size * math.exp(self.centre))
        if deviation < 0:
            return [Flag(_missing_side_type("en", source),
                         "The English is much shorter than the Chinese: part of it may be missing.",
                         f"{zh_size} Chinese characters ↔ {en_size} English letters (about {expected} expected)")]
        return [Flag(_missing_side_type("zh", source),
                     "The Chinese is much shorter than the English: part of it may be missing.",
                     f"{zh_size} Chinese characters ↔ {en_size} English letters (about {expected} expected)")]


# ------------------------------------------------------------------------------------- untranslated

def _untranslated(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    flags = []
    han, latin = len(_HAN.findall(zh)), len(_LATIN.findall(zh))
    if latin >= config.untranslated_min_letters and latin / (han + latin) >= config.untranslated_share \
            and len(_LATIN_WORD.findall(zh)) >= 3:
        flags.append(Flag("untranslated", "The Chinese side is mostly in Latin script: it may be left untranslated.",
                          f"{_snippet(zh)} ↔ {_snippet(en)}"))
    han, latin = len(_HAN.findall(en)), len(_LATIN.findall(en))
    if han >= config.untranslated_min_letters // 3 and han * 3 / (han * 3 + latin) >= config.untranslated_share:
        # A Han character carries about as much as three letters.
        flags.append(Flag("untranslated", "The English side is mostly Chinese: it may be left untranslated.",
                          f"{_snippet(zh)} ↔ {_snippet(en)}"))
    return flags


__all__ = ["check", "CheckConfig", "FLAG_TYPES"]
