"""Translation checks: point the reviewer at the links worth a second look.

`check(alignment)` adds `Flag`s to the links (beads):

- ``number``: a number, quantity, percentage or ordinal on one side only, or different (七个 ↔ eight);
- ``date``: a date on one side only, or different (10月23日 ↔ October 22);
- ``name``: a person, place or organisation on one side with no counterpart on the other (dictionary,
  glossary, transliteration 布林肯 ↔ Blinken);
- ``omission`` / ``addition``: a sentence with no counterpart (1-0 / 0-1 link); a member of a link of several
  sentences on a side with no evidence of its own (no dictionary word or anchor that the other side shows
  and the link's other members do not already account for: an omission folded into its neighbour's link);
  or a link much shorter on one side than the document's own length ratio predicts;
- ``mismatch``: two sides long enough to judge that share not one dictionary word, number or name: they may
  not translate each other at all (a sentence from elsewhere put in the translation's place);
- ``negation``: a negated word whose dictionary translation stands un-negated on the other side (不是遏制 ↔
  "containing"), with no trace of a negation on that side;
- ``untranslated``: a side not in its language: a Chinese side mostly in Latin script or holding a whole
  English sentence, an English side mostly Han, the two sides identical or nearly so, or a side in a third
  language (Japanese kana, Korean Hangul). Names, codes, numbers and URLs that stay the same are not text
  left untranslated.

With the encoders (`check(..., encoders=...)`; the pipeline passes the aligner's, whose cache holds every
sentence), `evidence.link_evidence` adds what every encoder must agree on: a link far below the document's
typical similarity whose side matches another link's other side clearly better is a ``mismatch`` naming that
link; a member of a several-sentence side that adds nothing to the link's similarity is an omission/addition.

A link flagged ``untranslated``, or with a member that has no evidence of its own, is not a confident
translation whatever the aligner's score: its score is capped at `CheckConfig.doubtful_score` (0.5).

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
from typing import TYPE_CHECKING, Iterable, Sequence

import regex

from .chinese import HAN as _HAN
from .chinese import quiet_jieba
from .errors import ConfigError
from .glossary import Term, extract
from .model import Alignment, Flag, Lang
from .names import EnglishText, NameIndex, ZhName, find_name, similarity, sounds_like, zh_names
from .numbers import Anchor, anchors_en, anchors_zh, unmatched

if TYPE_CHECKING:
    from .encoders import Encoder
    from .evidence import LinkEvidence
    from .lexicon import Lexicon

FLAG_TYPES = ("number", "date", "name", "omission", "addition", "untranslated", "mismatch", "negation")

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
    untranslated_run_words: int = 5  # Latin words in one run inside the Chinese side that make a whole sentence
    same_text: float = 0.9  # similarity of the two sides' letters beyond which they are the same text
    third_language_letters: int = 3  # kana or Hangul letters that mark a side as Japanese or Korean
    mismatch_min_words: int = 8  # dictionary words (and English content words) a link needs to be called unrelated
    member_min_words: int = 8  # dictionary words (or English content words) a member needs to be judged
    doubtful_score: float = 0.5  # the highest score a link flagged untranslated or with an unfounded member keeps
    # Embedding evidence (when the encoders are given): every encoder of the set must agree.
    elsewhere_z: float = -1.0  # a link's cosine this many robust spreads below the document's typical link ...
    elsewhere_margin: float = 0.15  # ... whose side matches another link's other side this much better
    member_gain: float = 0.0  # a member whose removal would not lower the link's cosine (and no word of its own)
    member_gain_min_words: int = 3  # ... with at least this many dictionary words (or English content words)
    member_gain_lopsided: float = 0.02  # a member adding less than this to the link's cosine, in a link ...
    member_length_z: float = 1.0  # ... this many length spreads longer on the member's side than expected
    # negation: by default only a negated word whose translation stands un-negated on the other side; True
    # also flags a negation on one side with no trace of one on the other (more recall, many more false flags)
    negation_presence: bool = False


def check_settings(config: CheckConfig, source: Lang | None = None) -> dict:
    """The checks' part of the reproducibility signature (`Alignment.settings["checks"]`)."""
    return {**config.__dict__, "source_lang": source}


def check(alignment: Alignment, source: Lang | None = None, glossary: Iterable[Term] | None = None,
          config: CheckConfig | None = None, encoders: Encoder | Sequence[Encoder] | None = None) -> Alignment:
    """Return `alignment` with each link's flags recomputed (flags of other types are kept).

    `source` is the language translated from, if known ("zh" or "en"); `glossary` adds known renderings
    to the dictionary for the name check; `encoders` (the aligner's encoder or set; their cache holds the
    sentences already) add embedding evidence: a link far less similar than the document's own links whose
    side matches another link better (``mismatch``), a member of a several-sentence link that adds nothing
    to its similarity (``omission`` / ``addition``).
    """
    config = config or CheckConfig()
    source = source or alignment.settings.get("source_lang") or None
    if source not in (None, "zh", "en"):
        raise ConfigError(f"unknown source language {source!r}: use 'zh', 'en', or leave it out")
    known: dict[str, list[str]] = {}
    people: set[str] = set()  # English words of the people the glossary knows
    known_people: list[str] = []  # ... and their Chinese names, longest first
    if glossary is None and len(alignment.beads) >= config.learn_names_from:
        # A long document teaches its own renderings (韦小宝 ↔ Trinket) by co-occurrence over its links.
        glossary = extract([alignment], terms=False, max_links=config.learn_names_max)
    for term in glossary or ():
        known.setdefault(term.zh, []).append(term.en)
        if term.kind == "person":
            known_people.append(term.zh)
            people.update(w.lower() for w in regex.findall(r"\p{Latin}+", term.en))
    index = NameIndex.get()
    length_model = _LengthModel.fit(alignment)
    evidence: list[LinkEvidence | None] = [None] * len(alignment.beads)
    if encoders is not None:
        from .evidence import link_evidence

        encoder_set: list[Encoder] = list(encoders) if isinstance(encoders, (list, tuple)) else [encoders]  # type: ignore[list-item]
        evidence = link_evidence(alignment, encoder_set)
    beads = []
    for number, bead in enumerate(alignment.beads):
        zh, en = alignment.zh_text(bead), alignment.en_text(bead)
        flags = [f for f in bead.flags if f.type not in FLAG_TYPES]
        untranslated = _untranslated(zh, en, config)
        flags += untranslated
        unfounded: list[Flag] = []
        if not bead.zh or not bead.en:
            flags += _lone_sentence(zh, en, source)
        elif not untranslated:  # an untranslated side has no numbers, names or length to compare
            flags += _anchor_flags(zh, en)
            flags += _name_flags(zh, en, index, known, people, config,
                                 sorted(set(known_people), key=len, reverse=True))
            flags += _negation(zh, en, config)
            unfounded = _member_flags([alignment.document.zh[i].text for i in bead.zh],
                                      [alignment.document.en[i].text for i in bead.en], source, config,
                                      evidence[number], length_model.z(zh, en))
            flags += unfounded
            if not unfounded:
                flags += length_model.flags(zh, en, source, config)
            if not flags:
                flags += _mismatch(zh, en, config)
            if not any(f.type == "mismatch" for f in flags):
                flags += _elsewhere(evidence[number], alignment, config)
        score = min(bead.score, config.doubtful_score) if untranslated or unfounded else bead.score
        beads.append(replace(bead, flags=flags, score=score))
    settings = {**alignment.settings, "checks": check_settings(config, source)}
    return Alignment(document=alignment.document, beads=beads, settings=settings)


# --------------------------------------------------------------------------------- numbers and dates

def _weak(anchor: Anchor) -> bool:
    """Anchors whose absence on the other side proves nothing: one and two written as words (一个 "a",
    两国 "the two countries" ↔ 双方), estimates (五六个) and numbers inside titles (《三体》)."""
    return anchor.vague or (anchor.spelled and anchor.key in ("num:1", "num:2"))


# Set phrases whose numbers are figures of speech (十万八千里 "ever so far", 千方百计 "by every means").
_ZH_NUMBER_IDIOMS = regex.compile(
    "十万八千里?|千里|百里|千般|万般|百般|千种|万种|十有八九|十有九|一万个|千方百计|千辛万苦|千军万马|万水千山|"
    "四面八方|七上八下|乱七八糟|七嘴八舌|三番五次|三言两语|一五一十|九死一生|百发百中|千丝万缕|万无一失|一干二净")
# A count made vague by what follows or precedes it: 二十几两 "twenty-odd", 一百多亿 "over ten billion", 几百.
# 八九两 "eight or nine", 十七八岁 "seventeen or eighteen", 二十几两 "twenty-odd": a range, not a count.
_ZH_RANGE = regex.compile(r"[一二三四五六七八九]{2}|[十百千万][几多余]|几")
_ZH_ESTIMATE_TEXT = regex.compile(r"[一二三四五六七八九十][十百千万]?[几多余来][\p{Han}]|[几数][十百千万]|[二三四五六七八九]{2}")
_ZH_NUMERAL_END = regex.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]$")
_EN_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|hundred|thousand|\d+)"
_EN_ESTIMATE = regex.compile(rf"^\s*(?:or|to)\s+{_EN_NUMBER_WORD}\b|\b{_EN_NUMBER_WORD}\s+(?:or|to)\s*$|^-odd\b",
                             regex.IGNORECASE)
_HEADING_NUMBER = regex.compile(r"^\s*[0-9０-９]{1,3}\s*[.．、]\s*")


def _figurative(text: str, anchor: Anchor, zh: bool) -> bool:
    """A number that need not be carried over: inside a set phrase, an estimate (二十几, 十七八, seventeen or
    eighteen), or the list number of a heading (6. 片厂 ↔ The Film Studio)."""
    start, end = anchor.span
    if start == 0 and len(text) <= 30 and _HEADING_NUMBER.match(text):
        return True
    if zh:
        if any(m.start() <= start < m.end() for m in _ZH_NUMBER_IDIOMS.finditer(text)):
            return True
        if _ZH_RANGE.search(text[start:end]):
            return True
        if _ZH_NUMERAL_END.search(text[start:end]) and text[end:end + 1] in ("几", "多", "余", "来"):
            return True
        return text[max(start - 1, 0):start] in ("几", "数")
    return bool(_EN_ESTIMATE.search(text[end:end + 16]) or _EN_ESTIMATE.search(text[max(start - 16, 0):start]))


def _value(anchor: Anchor) -> float | None:
    try:
        return float(anchor.key.removeprefix("num:")) if anchor.key.startswith("num:") else None
    except ValueError:
        return None


def _estimate_ranges(zh: str, anchors: list[Anchor]) -> list[tuple[float, float]]:
    """The values the Chinese side's estimates allow on the other side (see `_anchor_flags`)."""
    ranges: list[tuple[float, float]] = []
    covered: list[tuple[int, int]] = []
    for anchor in anchors:
        if anchor.kind == "date" or not (anchor.vague or _figurative(zh, anchor, True)):
            continue
        start, end = anchor.span
        covered.append((start, end + 1))
        value = _value(anchor)
        idiom = any(m.start() <= start < m.end() for m in _ZH_NUMBER_IDIOMS.finditer(zh))
        if value and not idiom and zh[end:end + 1] in ("多", "余", "来") and not _ZH_RANGE.search(zh[start:end]) \
                and zh[end + 1:end + 2] not in ("十", "百", "千", "万", "亿"):  # 一百多亿: a larger unit follows
            ranges.append((value, 2 * value))  # 三十多 "over thirty"
        elif value and not idiom and regex.fullmatch(r"[一二三四五六七八九]{2}", zh[start:end]):
            ranges.append((value - 1, value + 1))  # 八九 "eight or nine"
        else:
            ranges.append((0.0, math.inf))
    for m in (*_ZH_NUMBER_IDIOMS.finditer(zh), *_ZH_ESTIMATE_TEXT.finditer(zh)):
        if not any(s <= m.start() < e for s, e in covered):
            ranges.append((0.0, math.inf))
    return ranges


def _within(anchor: Anchor, ranges: list[tuple[float, float]]) -> bool:
    value = _value(anchor)
    return any((lo == 0.0 and hi == math.inf) or (value is not None and lo <= value <= hi) for lo, hi in ranges)


def _anchor_flags(zh: str, en: str) -> list[Flag]:
    zh_anchors = [a for a in anchors_zh(zh) if a.kind != "latin"]
    en_anchors = [a for a in anchors_en(en) if a.kind != "latin"]
    left_zh, left_en = unmatched(zh_anchors, en_anchors)
    # A side that gives an estimate (二十几两, 一二十个, seventeen or eighteen) may be rendered by any number
    # on the other side: its unmatched counts prove nothing.
    # A Chinese estimate bounds what it may be rendered by: 三十多 "thirty-odd" is 30 to 60, not twenty; 八九
    # "eight or nine" is 7 to 10; a set phrase (千方百计) or an estimate of another shape excuses any number.
    zh_ranges = _estimate_ranges(zh, zh_anchors)
    en_estimates = any(a.vague or _figurative(en, a, False) for a in en_anchors if a.kind != "date")
    flags = []
    for flag_type, kinds in (("date", {"date"}), ("number", {"number", "ordinal", "percent"})):
        only_zh = [a for a in left_zh if a.kind in kinds and not _weak(a) and not _figurative(zh, a, True)
                   and not (a.kind != "date" and en_estimates)]
        only_en = [a for a in left_en if a.kind in kinds and not _weak(a) and not _figurative(en, a, False)
                   and not (a.kind != "date" and _within(a, zh_ranges))]
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
                config: CheckConfig, known_people: Iterable[str] = ()) -> list[Flag]:
    """A name on one side with no counterpart on the other.

    A place or organisation CC-CEDICT lists (以色列, Hamas) is flagged when the other side lacks it. A
    person's name is flagged only when the other side names someone unexplained instead (乌克兰 ↔ Israel,
    沙利文 ↔ Blinken): translations, literary ones above all, name people where the original says "he" and
    the reverse, which is no error.
    """
    english = EnglishText(en)
    missing_zh: list[ZhName] = []
    used: set[str] = set()
    for name in _with_known_people(zh_names(zh, index), zh, known_people):
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
    missing_en = [w for w in _english_names_without_counterpart(zh, en, index, known, config, people, known_people)
                  if w.lower() not in accounted]
    # People the document's glossary knows (韦小宝 ↔ Trinket) moved between sentences or became "he": only
    # names it never pairs can show two different people, unless both sides name a known person the other
    # lacks (韦小宝 ↔ Wu: one name swapped for another).
    # A known person's rendering with a word of it replaced by another known person's (陈清扬 ↔ "Chen Qingping"
    # where the document's glossary has Chen Qingyang and Qingping): one name turned into another, however
    # alike they sound.
    present = [n for n in _with_known_people(zh_names(zh, index), zh, known_people)
               if n.kind == "person" and n.text in known]
    words_of = {n.text: {w.lower() for r in known[n.text] for w in regex.findall(r"\p{Latin}+", r)} for n in present}
    for name in present:
        own = words_of[name.text]
        others = set().union(*(w for t, w in words_of.items() if t != name.text))  # people the Chinese names too
        for run in _name_runs(en):
            # part of the rendering (not all of it: Wang Xi-feng is Xi-feng) and another person's name
            if any(len(w) >= 3 for w in set(run) & own) and not own <= set(run) and any(
                    w not in own and w in people and w not in others for w in run):
                return [Flag("name", "A name differs between the two sides.",
                             f"{name.text} ↔ {' '.join(w.capitalize() for w in run)}")]
    known_zh = [n for n in missing_zh if n.kind == "person" and n.text in known]
    known_en = [w for w in missing_en if w.lower() in people]
    swapped = bool(known_zh and known_en and not any(
        w.lower() in {p.lower() for n in known_zh for r in known[n.text] for p in regex.findall(r"\p{Latin}+", r)}
        for w in known_en))
    if not swapped:
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


def _with_known_people(names: list[ZhName], zh: str, known_people: Iterable[str]) -> list[ZhName]:
    """`names` and the people of the document's glossary that jieba did not tag (陈清扬 ↔ Chen Qingyang)."""
    found = list(names)
    for person in known_people:
        start = zh.find(person)
        if start < 0 or any(n.span[0] < start + len(person) and start < n.span[1] for n in found):
            continue
        found.append(ZhName(person, "person", (start, start + len(person)), (person,)))
    return sorted(found, key=lambda n: n.span)


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


def _name_runs(en: str) -> list[list[str]]:
    """Runs of capitalised words with their hyphenated parts, lower-cased: "Wang Xi-feng's" → [wang, xi, feng]."""
    return [[regex.sub(r"['’]s$", "", w).lower() for w in regex.split(r"[\s\-]+", m.group(0)) if w]
            for m in regex.finditer(r"\p{Lu}[\p{Latin}'’]*(?:-\p{L}+)*(?:\s+\p{Lu}[\p{Latin}'’]*(?:-\p{L}+)*)*", en)]


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "ladyship", "lord", "lordship", "madam", "madame",
               "master", "majesty", "highness", "excellency", "auntie", "aunty", "uncle", "grannie", "granny"}
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _english_names_without_counterpart(zh: str, en: str, index: NameIndex, known: dict[str, list[str]],
                                       config: CheckConfig, people: set[str] | None = None,
                                       known_people: Iterable[str] = ()) -> list[str]:
    """Capitalised English words that are no ordinary English word (Blinken, Xinjiang, Hamas) and that no
    Chinese word renders, by dictionary, glossary or transliteration. A person the document's glossary
    knows (Xiaosi) must be rendered by a Chinese name, not by any word that happens to sound like it
    (小路 "xiaolu")."""
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
    names = [n.text for n in _with_known_people(zh_names(zh, index), zh, known_people)]
    zh_words = set(jieba.lcut(zh)) | set(names)
    for name in list(zh_words):
        zh_words.update(_pieces(name, index))
    romanised: list[str] = [r for name in names for r in index.romanised_spans(name)]
    of_names = list(romanised) + [r for name in names for r in index.romanised(name)]
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
        spellings = of_names if people and low in people else romanised
        if any(sounds_like(r, low) >= config.transliteration for r in spellings if len(r) >= 2):
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


def _member_flags(zh: list[str], en: list[str], source: Lang | None, config: CheckConfig,
                  evidence: LinkEvidence | None = None, length_z: float = 0.0) -> list[Flag]:
    """Members of a several-sentence side with no evidence of their own: not one dictionary word or anchor
    (number, date, Latin-script name) found on the other side that the link's other members do not
    already account for. Such a member is what is left of a sentence whose counterpart is missing, folded
    into its neighbour's link; a member too short to judge (fewer than `member_min_words` words that could
    match at all) is left alone.

    With embedding evidence, a member with at most `member_gain_min_words` words of which none is its own
    evidence is judged too: it is flagged when the link's cosine without it is as high as with it, for
    every encoder (it adds nothing to the link's similarity). So is a member that adds next to nothing
    (`member_gain_lopsided`) to a link longer on its side than the document's length ratio predicts
    (`member_length_z` spreads), whatever its words, unless it holds a number or name the other side shows."""
    if len(zh) < 2 and len(en) < 2:
        return []
    from .lexicon import Lexicon

    lex = Lexicon.get()
    zh_words = [[w for w in lex.tokens_zh(t) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES] for t in zh]
    zh_glosses = [set().union(*(lex.entries[w] for w in words)) if words else set() for words in zh_words]
    en_stems = [set(lex.tokens_en(t)) for t in en]
    zh_keys = [{a.key for a in anchors_zh(t)} for t in zh]
    en_keys = [{a.key for a in anchors_en(t)} for t in en]
    all_en, all_glosses = set().union(*en_stems), set().union(*zh_glosses)
    all_en_keys, all_zh_keys = set().union(*en_keys), set().union(*zh_keys)
    flags = []
    if len(zh) >= 2:
        for k, text in enumerate(zh):
            others = set().union(*(g for i, g in enumerate(zh_glosses) if i != k))
            other_keys = set().union(*(g for i, g in enumerate(zh_keys) if i != k))
            own = (zh_glosses[k] & all_en) - others
            own_keys = (zh_keys[k] & all_en_keys) - other_keys
            gain = evidence.zh_gain[k] if evidence is not None and evidence.zh_gain else ()
            lopsided = bool(gain) and max(gain) < config.member_gain_lopsided and -length_z >= config.member_length_z
            if not own_keys and (lopsided or (not own and (len(zh_words[k]) >= config.member_min_words or (
                    gain and len(zh_words[k]) >= config.member_gain_min_words and max(gain) < config.member_gain)))):
                flags.append(Flag(_missing_side_type("en", source),
                                  f"Chinese sentence {k + 1} of this link has no counterpart of its own in the English.",
                                  f"{_snippet(text)} ↔ —"))
    if len(en) >= 2:
        for k, text in enumerate(en):
            others = set().union(*(g for i, g in enumerate(en_stems) if i != k))
            other_keys = set().union(*(g for i, g in enumerate(en_keys) if i != k))
            own = (en_stems[k] & all_glosses) - others
            own_keys = (en_keys[k] & all_zh_keys) - other_keys
            gain = evidence.en_gain[k] if evidence is not None and evidence.en_gain else ()
            lopsided = bool(gain) and max(gain) < config.member_gain_lopsided and length_z >= config.member_length_z
            if not own_keys and (lopsided or (not own and (len(en_stems[k]) >= config.member_min_words or (
                    gain and len(en_stems[k]) >= config.member_gain_min_words and max(gain) < config.member_gain)))):
                flags.append(Flag(_missing_side_type("zh", source),
                                  f"English sentence {k + 1} of this link has no counterpart of its own in the Chinese.",
                                  f"— ↔ {_snippet(text)}"))
    return flags


def _mismatch(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    """Two sides with no evidence of each other at all: long enough to hold several dictionary words each,
    and not one word the dictionary pairs, nor a number, date or Latin-script name they share."""
    from .lexicon import Lexicon

    lex = Lexicon.get()
    words = [w for w in lex.tokens_zh(zh) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES]
    stems = set(lex.tokens_en(en))
    if len(words) < config.mismatch_min_words or len(stems) < config.mismatch_min_words:
        return []
    if any(lex.entries[w] & stems for w in words):
        return []
    if {a.key for a in anchors_zh(zh)} & {a.key for a in anchors_en(en)}:
        return []
    return [Flag("mismatch", "The two sides share no word the dictionary pairs: they may not translate each other.",
                 f"{_snippet(zh)} ↔ {_snippet(en)}")]


def _elsewhere(evidence: LinkEvidence | None, alignment: Alignment, config: CheckConfig) -> list[Flag]:
    """A link far less similar than the document's typical link, one of whose sides matches another link's
    other side clearly better than its own (every encoder agreeing): a sentence from elsewhere in the
    document put in the translation's place, or a misplaced one."""
    if evidence is None or max(evidence.z) >= config.elsewhere_z:
        return []
    found = []
    for better, where, side in ((evidence.en_elsewhere, evidence.en_elsewhere_link, "English"),
                                (evidence.zh_elsewhere, evidence.zh_elsewhere_link, "Chinese")):
        margin = min(b - c for b, c in zip(better, evidence.cosine, strict=True))
        if margin >= config.elsewhere_margin:
            found.append((margin, where, side))
    if not found:
        return []
    margin, where, side = max(found)
    other = "Chinese" if side == "English" else "English"
    bead = alignment.beads[where]
    text = alignment.zh_text(bead) if other == "Chinese" else alignment.en_text(bead)
    cosines = " / ".join(f"{c:.2f}" for c in evidence.cosine)
    return [Flag("mismatch", f"The {side} side matches the {other} of link {where + 1} better than its own: "
                 "it may belong elsewhere.",
                 f"similarity {cosines} (per encoder), at least {margin:.2f} more with link {where + 1}: "
                 f"{_snippet(text)}")]


# Negation. A side counts as negative only by a plain negation: a Chinese 不 没 没有 未 别 无 非 莫 勿 standing
# alone (jieba's word) or starting a word (不能, 没法, 未曾), an English not / n't / never / no / nobody / nothing /
# none / neither / nor / without / cannot. The other side is excused by any trace of a negation: a Chinese word
# holding one inside (禁不住, 一声不吭, 无可怀疑), an English word negated inside (unfair, careless, nonmarket),
# or a word that negates by meaning (fail, refuse, lack, hardly). Words in which the negation is lexicalised
# (不过 "but", 不久 "soon", 不禁 / couldn't help, 无论 "whatever", 别人 "others", not only) count as neither.
_ZH_PLAIN = ("不", "没", "未")
_ZH_ALONE = {"不", "没", "没有", "未", "别", "无", "非", "莫", "勿", "从不", "从未", "并不", "并非", "并没有", "并未",
             "决不", "绝不", "永不", "毫无", "无法"}
_ZH_NOT_NEGATION = {
    "不过", "不久", "不断", "不同", "不仅", "不管", "不论", "不错", "不少", "不时", "不住", "不禁", "不已", "不料",
    "不觉", "不免", "不如", "不止", "不单", "不但", "不光", "不由得", "不由", "不一会", "不一会儿", "不得不",
    "不然", "不妨", "不外", "不胜", "不日", "不休", "不朽", "不幸", "不安", "不满", "不便", "不对劲", "不见不散",
    "不知不觉", "不一", "不一样", "不得了", "不可思议", "不少于", "未来", "未必", "未免", "没准", "没错",
    "不知", "不见得", "若不是", "要不是", "要不然", "不是吗",
}
# A-not-A and tag questions ask, they do not deny: 能不能, 是不是, 好了没有？, "don't you?", "why not?"
_ZH_QUESTION = regex.compile(r"(\p{Han})[不没]\1|没有[吗呢]?[？?]")
_EN_QUESTION = regex.compile(r"n[’']t\s+(?:I|you|he|she|it|we|they|there)\s*[?？]|\bwhy not\b|\bif not\b",
                             regex.IGNORECASE)
_MAX_NEGATIONS = 50  # negations looked at per link
_MAX_SIDE_CHARS = 1000  # Chinese characters beyond which a side is not judged for negation
_SCOPE_CHARS = 24  # Chinese characters after a negation that may hold what it negates (four times that in English)
_ZH_MODAL = set("是会能要得可敢肯用必该想再曾")
# prepositions and conjunctions between a negation and what it negates (不是为了遏制: 遏制 is negated)
_ZH_FUNCTION = {"为了", "为", "因为", "由于", "对于", "关于", "把", "被", "给", "在", "让", "使", "跟", "和", "与", "向", "对"}
_ZH_TRACE = regex.compile("[不没无未非别莫勿休免否拒禁难缺失]")
_EN_PLAIN = regex.compile(
    r"\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot)\b|n[’']t\b", regex.IGNORECASE)
_EN_NOT_NEGATION = regex.compile(
    r"\bnot only\b|\bnot until\b|\bno doubt\b|\bnothing but\b|\bno sooner\b|\bno matter\b|\bno choice but\b|"
    r"\bnever mind\b|\b(?:can|could)(?:n[’']t| not)\s+help\b|\bcannot help\b|\bno longer\b(?=.*\bthan\b)",
    regex.IGNORECASE)
# Negation inside a word (unfair ↔ 不公平, unlawful ↔ 非法, nonmarket ↔ 非市场, careless ↔ 不小心) or by meaning.
_EN_TRACE = regex.compile(
    r"\b(?:un|non|dis)-?(\p{Ll}{3,})|\b\p{Ll}{3,}less(?:ly|ness)?\b|\bwrong\w*|"
    r"\b(?:fail|refus|lack|den(?:y|ie)|hardly|barely|scarcely|seldom|rarely|avoid|instead|absen|neglect|ignor|"
    r"forg[eo]t|prevent|forbid|except|unless)\w*", regex.IGNORECASE)


def _en_traces(en: str) -> bool:
    """Whether English text holds a negation inside a word (unfair, careless; the word after the prefix an
    ordinary word: not "uncle" or "display") or by meaning (fail, refuse, lack, hardly)."""
    index = NameIndex.get()
    return any(m.group(1) is None or index.is_common_english(m.group(1))
               for m in _EN_TRACE.finditer(_EN_NOT_NEGATION.sub(" ", en)))


def _surface(en: str, stem: str, lex: Lexicon) -> str:
    """The first English word in `en` with this stem, as written (the stem itself if none)."""
    return next((w for w in regex.findall(r"\p{Latin}[\p{Latin}'’]*", en) if lex.stem(w) == stem), stem)


def _negation(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    """A negated word whose translation stands un-negated on the other side: 不高兴 ↔ "happy", "not hungry" ↔
    饿, with no trace of a negation anywhere on that side. A reversed meaning is the costliest error a
    translation can make; the dictionary pairing of the negated word is what makes the flag precise (a
    negation merely present on one side is common in free translation: "offended" ↔ 不高兴)."""
    from .lexicon import Lexicon

    if len(zh) > _MAX_SIDE_CHARS or len(en) > 4 * _MAX_SIDE_CHARS or not (_ZH_TRACE.search(zh) or _EN_PLAIN.search(en)):
        return []  # no negation to compare, or no sentence: a side that long is a run of text left unsplit
    lex = Lexicon.get()
    jieba = quiet_jieba()
    zh_plain = _ZH_QUESTION.sub("，", zh)
    zh_tokens = jieba.lcut(zh_plain)
    en_clean = _EN_NOT_NEGATION.sub(" ", _EN_QUESTION.sub(" ", en))
    en_neg = list(_EN_PLAIN.finditer(en_clean))
    zh_has_trace = bool(_ZH_TRACE.search(zh))
    if not en_neg and not _en_traces(en):
        en_stems = set(lex.tokens_en(en))
        end = 0
        negations = 0
        for word in zh_tokens:
            end += len(word)
            if word in _ZH_NOT_NEGATION or not (word in _ZH_ALONE or (word.startswith(_ZH_PLAIN) and len(word) <= 3)):
                continue
            negations += 1
            if negations > _MAX_NEGATIONS:
                break  # the work stays bounded on any input (a page of 不不不…)
            # the negated word: the rest of a word such as 不饿, or the next content word (不 高兴, 没 看见)
            after = zh_plain[end:end + _SCOPE_CHARS]
            first = regex.match(r"[\p{Han}]+", after)  # the negated clause runs to the next punctuation
            # (a modal or the copula after the negation, 不是 不会 不能, is not what is negated: what follows is)
            scope = [word[1:]] if len(word) >= 2 and word not in _ZH_ALONE and word[1:] not in _ZH_MODAL else []
            scope += [w for w in lex.tokens_zh(first.group(0)) if w not in _ZH_FUNCTION][:1] if first else []
            for target in scope:
                glosses = lex.entries.get(lex.zh_key(target), frozenset())
                if 0 < len(glosses) <= _MAX_GLOSSES and glosses & en_stems:
                    shown = _surface(en, sorted(glosses & en_stems)[0], lex)
                    return [Flag("negation", "The Chinese negates a word the English renders without negation: "
                                 "the meaning may be reversed.", f"{word}{target if target not in word else ''} ↔ {shown}")]
    if config.negation_presence:
        zh_neg = [w for w in zh_tokens if w not in _ZH_NOT_NEGATION
                  and (w in _ZH_ALONE or (w.startswith(_ZH_PLAIN) and len(w) <= 3))]
        if zh_neg and not en_neg and not _en_traces(en):
            return [Flag("negation", "The Chinese is negative and the English is not: the meaning may be reversed.",
                         f"{'、'.join(dict.fromkeys(zh_neg))} ↔ —")]
        if en_neg and not zh_neg and not zh_has_trace:
            return [Flag("negation", "The English is negative and the Chinese is not: the meaning may be reversed.",
                         f"— ↔ {', '.join(dict.fromkeys(m.group(0).lower() for m in en_neg))}")]
    if en_neg and not zh_has_trace:
        zh_words = [w for w in lex.tokens_zh(zh) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES]
        for m in en_neg[:_MAX_NEGATIONS]:
            clause = regex.match(r"[^.,;:!?—–]*", en_clean[m.end():m.end() + 4 * _SCOPE_CHARS])
            following = lex.tokens_en(clause.group(0) if clause else "")
            for stem in following[:1]:
                hit = next((w for w in zh_words if stem in lex.entries[w]), None)
                if hit:
                    return [Flag("negation", "The English negates a word the Chinese renders without negation: "
                                 "the meaning may be reversed.", f"{hit} ↔ {m.group(0).strip()} … {_surface(en_clean[m.end():], stem, lex)}")]
    return []


_MAX_GLOSSES = 12  # as the lexical signal: a word with more glosses (一, 打, 过) is too ambiguous to be evidence


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

    def z(self, zh: str, en: str) -> float:
        """How many spreads the link's log length ratio (English/Chinese) is off the document's; 0 if unknown."""
        zh_size, en_size = _size(zh), _size(en)
        if not zh_size or not en_size:
            return 0.0
        return (math.log(en_size / zh_size) - self.centre) / self.spread

    def flags(self, zh: str, en: str, source: Lang | None, config: CheckConfig) -> list[Flag]:
        zh_size, en_size = _size(zh), _size(en)
        if zh_size < config.length_min_chars or not en_size or not _HAN.search(zh):
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

_LATIN_RUN = regex.compile(r"\p{Latin}[\p{Latin}\p{N}'’.\-]*(?:[\s,;:()\"“”‘’]+\p{Latin}[\p{Latin}\p{N}'’.\-]*)+")
_URL = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]+")


def _prose_run(text: str, words: int) -> str:
    """The first run of at least `words` Latin-script words that reads as a sentence (two or more lower-case
    words: a name, a title of capitalised words or a code does not), URLs and e-mail addresses left out."""
    for match in _LATIN_RUN.finditer(_URL.sub(" ", text)):
        tokens = regex.findall(r"\p{Latin}[\p{Latin}'’\-]*", match.group(0))
        if len(tokens) >= words and sum(1 for t in tokens if t[0].islower() and len(t) >= 2) >= 2:
            return match.group(0)
    return ""


def _same_text(zh: str, en: str, config: CheckConfig) -> bool:
    """The two sides are the same text (or nearly): a sentence copied over its translation. Text that
    rightly stays the same (a name, a code, a number, a URL) is no sentence: it needs `_prose_run`."""
    left = "".join(_LETTER_OR_DIGIT.findall(_URL.sub(" ", zh).casefold()))
    right = "".join(_LETTER_OR_DIGIT.findall(_URL.sub(" ", en).casefold()))
    if not left or not right or not (_prose_run(zh, 3) or len(_HAN.findall(zh)) >= 4):
        return False
    if left == right:
        return True
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, left[:2000], right[:2000], autojunk=False)
    return matcher.quick_ratio() >= config.same_text and matcher.ratio() >= config.same_text


def _untranslated(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    flags = []
    evidence = f"{_snippet(zh)} ↔ {_snippet(en)}"
    for side, text in (("Chinese", zh), ("English", en)):
        kana, hangul = len(_KANA.findall(text)), len(_HANGUL.findall(text))
        han = len(_HAN.findall(text))
        if kana >= config.third_language_letters and kana * 10 >= han:
            flags.append(Flag("untranslated", f"The {side} side is Japanese: it is neither Chinese nor English.",
                              evidence))
        elif hangul >= config.third_language_letters:
            flags.append(Flag("untranslated", f"The {side} side is Korean: it is neither Chinese nor English.",
                              evidence))
    if flags:
        return flags
    prose = _URL.sub(" ", zh)  # a URL or an e-mail address stays as it is in any language
    han, latin = len(_HAN.findall(prose)), len(_LATIN.findall(prose))
    if latin >= config.untranslated_min_letters and latin / (han + latin) >= config.untranslated_share \
            and len(_LATIN_WORD.findall(prose)) >= 3:
        flags.append(Flag("untranslated", "The Chinese side is mostly in Latin script: it may be left untranslated.",
                          evidence))
    elif run := _prose_run(zh, config.untranslated_run_words):
        flags.append(Flag("untranslated", "The Chinese side holds an English sentence: it may be left untranslated.",
                          f"{_snippet(run)} ↔ {_snippet(en)}"))
    han, latin = len(_HAN.findall(en)), len(_LATIN.findall(en))
    if han >= config.untranslated_min_letters // 3 and han * 3 / (han * 3 + latin) >= config.untranslated_share:
        # A Han character carries about as much as three letters.
        flags.append(Flag("untranslated", "The English side is mostly Chinese: it may be left untranslated.",
                          evidence))
    if not flags and _same_text(zh, en, config):
        flags.append(Flag("untranslated", "The two sides are the same text: it may be left untranslated.", evidence))
    return flags


__all__ = ["check", "CheckConfig", "FLAG_TYPES"]
