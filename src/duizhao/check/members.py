"""``omission`` / ``addition`` / ``mismatch``: a sentence or member with no counterpart, a lopsided link, a link
that translates another link's text."""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from ..chinese import HAN as _HAN
from ..model import Alignment, Flag, Lang
from ..numbers import anchors_en, anchors_zh

if TYPE_CHECKING:
    from ..evidence import LinkEvidence
from .config import CheckConfig
from .negation import _MAX_GLOSSES

# ------------------------------------------------------------------------------ omission and addition

def _missing_side_type(lacking: Lang, source: Lang | None) -> str:
    """Text the translation lacks is an omission; text only the translation has is an addition."""
    if source is None or lacking != source:
        return "omission"
    return "addition"


def _snippet(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def lone_sentence_flags(zh: str, en: str, source: Lang | None) -> list[Flag]:
    if zh and not en:
        return [Flag(_missing_side_type("en", source), "This Chinese text has no English counterpart.",
                     f"{_snippet(zh)} ↔ —")]
    if en and not zh:
        return [Flag(_missing_side_type("zh", source), "This English text has no Chinese counterpart.",
                     f"— ↔ {_snippet(en)}")]
    return []


def member_features(gain: tuple[float, ...], near: tuple[tuple[float, float, float], ...], length_z: float,
                    chars: int, z: tuple[float, ...]) -> list[float]:
    """What the member model reads of one member of a several-sentence side (every value over the encoders):
    the least and most gain, own cosine with the other side, own cosine less the best near one, own cosine
    less the mean near one; how much longer the member's side is than the document's ratio predicts; the
    member's length (log characters); the link's least z."""
    own = [m[0] for m in near]
    best = [m[0] - m[1] for m in near]
    mean = [m[0] - m[2] for m in near]
    return [min(gain), max(gain), min(own), max(own), min(best), max(best), min(mean), length_z,
            math.log(chars + 1), min(z)]


def member_score(features: list[float], config: CheckConfig) -> float:
    """The member model's score (a logistic regression's logit, fitted on MAC-Dev chapters 001–003: the
    members a deleted sentence's counterpart became against the members of the unmodified links)."""
    return config.member_model[-1] + sum(w * x for w, x in zip(config.member_model, features, strict=False))


def member_flags(zh: list[str], en: list[str], source: Lang | None, config: CheckConfig,
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
    from ..lexicon import Lexicon

    lex = Lexicon.get()
    zh_words = [[w for w in lex.tokens_zh(t) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES] for t in zh]
    zh_glosses = [set().union(*(lex.entries[w] for w in words)) if words else set() for words in zh_words]
    en_stems = [set(lex.tokens_en(t)) for t in en]
    zh_keys = [{a.key for a in anchors_zh(t)} for t in zh]
    en_keys = [{a.key for a in anchors_en(t)} for t in en]
    all_en, all_glosses = set().union(*en_stems), set().union(*zh_glosses)
    all_en_keys, all_zh_keys = set().union(*en_keys), set().union(*zh_keys)
    zh_gain, en_gain = (evidence.zh_gain, evidence.en_gain) if evidence is not None else ((), ())
    zh_member, en_member = (evidence.zh_member, evidence.en_member) if evidence is not None else ((), ())
    # Per side: its sentences, the words that count toward judging one, its own words (glosses or stems) and
    # what of them the other side shows, its anchors and the other side's, its gains and member features,
    # how much longer than predicted it is, and the flag's kind and words.
    sides = (
        (zh, zh_words, zh_glosses, all_en, zh_keys, all_en_keys, zh_gain, zh_member, -length_z, _missing_side_type("en", source),
         "Chinese sentence {k} of this link has no counterpart of its own in the English.", "{text} ↔ —"),
        (en, en_stems, en_stems, all_glosses, en_keys, all_zh_keys, en_gain, en_member, length_z, _missing_side_type("zh", source),
         "English sentence {k} of this link has no counterpart of its own in the Chinese.", "— ↔ {text}"),
    )
    flags = []
    for texts, words, ownable, shown, keys, shown_keys, gains, members, longer, kind, message, shape in sides:
        if len(texts) < 2:
            continue
        for k, text in enumerate(texts):
            others = set().union(*(g for i, g in enumerate(ownable) if i != k))
            other_keys = set().union(*(g for i, g in enumerate(keys) if i != k))
            own = (ownable[k] & shown) - others
            own_keys = (keys[k] & shown_keys) - other_keys
            gain = gains[k] if gains else ()
            lopsided = bool(gain) and max(gain) < config.member_gain_lopsided and longer >= config.member_length_z
            modelled = bool(gain) and evidence is not None and bool(members) and member_score(
                member_features(gain, members[k], longer, len(text), evidence.z), config) > config.member_model_at
            weak = gain and len(words[k]) >= config.member_gain_min_words and max(gain) < config.member_gain
            if modelled or (not own_keys and (lopsided or (not own and (len(words[k]) >= config.member_min_words
                                                                        or weak)))):
                flags.append(Flag(kind, message.format(k=k + 1),
                                  shape.format(text=_snippet(text))))
    return flags


_CLAUSE_BREAK = regex.compile(r"[，；,;：:]")


def _clause_coverage(zh: str, en: str) -> tuple[list[float], tuple[float, float], tuple[float, float], str, str]:
    """Dictionary coverage of each side by the other: the share of the Chinese side's dictionary words whose
    glosses the English shows and of the English stems some Chinese word glosses; the least share of a clause
    (between commas, at least 3 words) on each side, and that clause; log counts of the words."""
    from ..lexicon import Lexicon

    lex = Lexicon.get()
    zh_words = [w for w in lex.tokens_zh(zh) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES]
    stems = lex.tokens_en(en)
    stem_set = set(stems)
    glosses = set().union(*(lex.entries[w] for w in zh_words)) if zh_words else set()
    zh_share = sum(1 for w in zh_words if lex.entries[w] & stem_set) / max(1, len(zh_words))
    en_share = sum(1 for s in stems if s in glosses) / max(1, len(stems))
    least = {"zh": (1.0, ""), "en": (1.0, "")}
    for side, text in (("zh", zh), ("en", en)):
        for clause in _CLAUSE_BREAK.split(text):
            if side == "zh":
                words = [w for w in lex.tokens_zh(clause) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES]
                share = sum(1 for w in words if lex.entries[w] & stem_set) / len(words) if len(words) >= 3 else 1.0
            else:
                clause_stems = lex.tokens_en(clause)
                share = sum(1 for s in clause_stems if s in glosses) / len(clause_stems) if len(clause_stems) >= 3 else 1.0
            if share < least[side][0]:
                least[side] = (share, clause.strip())
    counts = [math.log(1 + len(zh_words)), math.log(1 + len(stems))]
    return counts, (zh_share, en_share), (least["zh"][0], least["en"][0]), least["zh"][1], least["en"][1]


def clause_judged(zh: str, en: str, length_z: float) -> bool:
    """Whether the longer side (by the document's length ratio) has two clauses or more, one of which the
    shorter side may lack: a date line or a one-clause sentence has no clause to lose."""
    longer = zh if length_z < 0 else en
    return sum(1 for part in _CLAUSE_BREAK.split(longer) if regex.search(r"[\p{L}\p{N}]", part)) >= 2


def clause_features(zh: str, en: str, z: tuple[float, ...], length_z: float) -> tuple[list[float], str, str]:
    """What the clause model reads of a link: its least and most z, its length z (signed and absolute), the
    dictionary coverage of each side and of its least covered clause, the log word counts; and the least
    covered clause of each side (the evidence)."""
    counts, (zh_share, en_share), (zh_least, en_least), zh_clause, en_clause = _clause_coverage(zh, en)
    features = [min(z), max(z), length_z, abs(length_z), zh_share, en_share, zh_least, en_least, *counts,
                min(zh_share, en_share), min(zh_least, en_least)]
    return features, zh_clause, en_clause


def clause_flags(zh: str, en: str, source: Lang | None, config: CheckConfig, evidence: LinkEvidence | None,
                 length_z: float) -> list[Flag]:
    """A link the clause model (a logistic regression fitted on MAC-Dev 001–003: links with a clause dropped
    on one side against the unmodified links) finds missing part of one side: less similar than the
    document's links, off its length ratio, a clause of the longer side with few dictionary matches."""
    if evidence is None or config.clause_model_at == math.inf or not clause_judged(zh, en, length_z):
        return []
    features, zh_clause, en_clause = clause_features(zh, en, evidence.z, length_z)
    score = config.clause_model[-1] + sum(w * x for w, x in zip(config.clause_model, features, strict=False))
    if score <= config.clause_model_at:
        return []
    if length_z < 0:  # the English is the short side: it lacks what the Chinese says
        return [Flag(_missing_side_type("en", source), "Part of the Chinese may be missing from the English.",
                     f"{_snippet(zh_clause or zh)} ↔ —")]
    return [Flag(_missing_side_type("zh", source), "Part of the English may be missing from the Chinese.",
                 f"— ↔ {_snippet(en_clause or en)}")]


_CLAUSE_MIN_HAN = 4  # Han characters a Chinese side needs for the clause-length model to judge it
_LATIN_LETTER = regex.compile(r"\p{Latin}")


def clause_length_features(zh: str, en: str, model: LengthModel) -> list[float]:
    """What the clause-length model reads of a link: Gale and Church's length delta (signed and absolute; see
    `LengthModel.letters_z`), how far its ratio of English to Chinese clauses is off the document's (log), and
    the log of its larger clause count."""
    delta = model.letters_z(zh, en)
    zh_clauses, en_clauses = _clauses(zh), _clauses(en)
    clause_deviation = math.log(en_clauses / zh_clauses) - model.clause_ratio if zh_clauses and en_clauses else 0.0
    return [delta, abs(delta), clause_deviation, math.log(max(zh_clauses, en_clauses, 1))]


def clause_length_flags(zh: str, en: str, source: Lang | None, config: CheckConfig, model: LengthModel) -> list[Flag]:
    """A link the clause-length model (a logistic regression fitted on MAC-Dev 001–003: links with a clause
    dropped on one side against the unmodified links) finds too short on one side for its length: a dropped
    clause of a long sentence moves Gale and Church's delta further than the same share of a short one.
    Needs no encoder. A Chinese side of fewer than 4 Han characters, or with more Latin letters than half its
    Han characters (a name, a code, text left in English), is not judged, nor is a document too short to have
    a length ratio of its own. The flag names the least dictionary-covered clause of the longer side."""
    han = len(_HAN.findall(zh))
    if (config.clause_length_at == math.inf or not model.fitted or han < _CLAUSE_MIN_HAN
            or han < 2 * len(_LATIN_LETTER.findall(zh))):
        return []
    features = clause_length_features(zh, en, model)
    score = config.clause_length_model[-1] + sum(
        w * x for w, x in zip(config.clause_length_model, features, strict=False))
    if score <= config.clause_length_at:
        return []
    _, _, _, zh_clause, en_clause = _clause_coverage(zh, en)
    if features[0] < 0:  # the English is the short side: it lacks what the Chinese says
        return [Flag(_missing_side_type("en", source), "Part of the Chinese may be missing from the English.",
                     f"{_snippet(zh_clause or zh)} ↔ —")]
    return [Flag(_missing_side_type("zh", source), "Part of the English may be missing from the Chinese.",
                 f"— ↔ {_snippet(en_clause or en)}")]


def mismatch_flags(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    """Two sides with no evidence of each other at all: long enough to hold several dictionary words each,
    and not one word the dictionary pairs, nor a number, date or Latin-script name they share."""
    from ..lexicon import Lexicon

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


def elsewhere_flags(evidence: LinkEvidence | None, alignment: Alignment, config: CheckConfig) -> list[Flag]:
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


def _size(text: str) -> int:
    """Characters that carry content: Han characters and letters/digits (no spaces or punctuation)."""
    return len(regex.findall(r"[\p{L}\p{N}]", text))


def _letters(text: str) -> int:
    """Han characters and letters (no digits, spaces or punctuation)."""
    return len(regex.findall(r"\p{L}", text))


def _clauses(text: str) -> int:
    """Clauses between commas, semicolons and colons that hold a letter or digit."""
    return sum(1 for part in _CLAUSE_BREAK.split(text) if regex.search(r"[\p{L}\p{N}]", part))


# The least spread a document may have: a short document's own estimate is noisy (the example page's 27 links: 2.96)
# where the development chapters (MAC-Dev 001–003) have 3.70–5.60; 3.5 is below all six chapters' (the least: 3.60).
_LETTERS_SPREAD_FLOOR = 3.5


@dataclass(frozen=True)
class LengthModel:
    """This document's own English/Chinese length ratio, as the median and spread of log ratios; and, for the
    clause-length model, Gale and Church's (1993) form of it: English letters per Han character over the
    document (`letters_per_han`), the robust spread of a link's deviation from it scaled by the square root of
    its length (`letters_spread`: a long link's ratio varies less than a short one's), and the document's log
    ratio of English to Chinese clauses (`clause_ratio`)."""

    centre: float
    spread: float
    letters_per_han: float = 3.0
    letters_spread: float = 2.0
    clause_ratio: float = 0.0
    fitted: bool = False  # whether the Gale–Church figures come from the document (three links or more)

    @classmethod
    def fit(cls, alignment: Alignment) -> LengthModel:
        ratios = []
        letters: list[tuple[int, int]] = []
        clauses = [0, 0]
        for bead in alignment.beads:
            if bead.zh and bead.en:
                zh_text, en_text = alignment.zh_text(bead), alignment.en_text(bead)
                zh_size = _size(zh_text)
                en_size = _size(en_text)
                if zh_size and en_size:
                    ratios.append(math.log(en_size / zh_size))
                zh_letters, en_letters = _letters(zh_text), _letters(en_text)
                if zh_letters and en_letters:
                    letters.append((zh_letters, en_letters))
                    clauses[0] += _clauses(zh_text)
                    clauses[1] += _clauses(en_text)
        if len(ratios) < 3:
            return cls(centre=math.log(3.0), spread=0.3)  # English runs about three letters per Han character
        centre = statistics.median(ratios)
        spread = 1.4826 * statistics.median(abs(r - centre) for r in ratios)
        per_han, letters_spread, clause_ratio, fitted = 3.0, 2.0, 0.0, False
        if len(letters) >= 3:
            fitted = True
            per_han = sum(e for _, e in letters) / sum(z for z, _ in letters)
            deltas = [(e - per_han * z) / math.sqrt(z) for z, e in letters]
            letters_spread = max(1.4826 * statistics.median(abs(d) for d in deltas), _LETTERS_SPREAD_FLOOR)
            clause_ratio = math.log(max(clauses[1], 1) / max(clauses[0], 1))
        return cls(centre=centre, spread=max(spread, 0.15), letters_per_han=per_han, letters_spread=letters_spread,
                   clause_ratio=clause_ratio, fitted=fitted)

    def letters_z(self, zh: str, en: str) -> float:
        """How many spreads the English letters are off what the Chinese characters predict (Gale and
        Church's delta: the difference scaled by the square root of the Chinese length); 0 if unknown.
        Only letters count: digits are written alike on both sides, whatever the language ratio."""
        zh_letters, en_letters = _letters(zh), _letters(en)
        if not zh_letters or not en_letters:
            return 0.0
        return (en_letters - self.letters_per_han * zh_letters) / math.sqrt(zh_letters) / self.letters_spread

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


