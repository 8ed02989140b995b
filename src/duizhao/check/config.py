"""The checks' thresholds (`CheckConfig`) and the patterns several checks share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    pass


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
    member_gain_min_words: int = 5  # ... with at least this many dictionary words (or English content words; 3 → 5
    # chosen on MAC-Dev 001–003: 14 fewer false flags there for one merged deletion missed)
    member_gain_lopsided: float = 0.02  # a member adding less than this to the link's cosine, in a link ...
    member_length_z: float = 1.0  # ... this many length spreads longer on the member's side than expected
    # The member model (`members.member_score`): weights of `members.member_features` and the intercept last,
    # fitted on chapters 001–003 of MAC-Dev; a member scoring above `member_model_at` has no counterpart.
    # (benchmarks/checks_bench.py's merged deletions; the threshold: the lowest with at most 2 new false
    # omission/addition flags per 100 unmodified links of 001–003.)
    member_model: tuple[float, ...] = (-5.8105, -5.5462, 2.1917, 0.3388, -0.359, -2.3168, -1.268, 0.5249, -0.2295,
                                       0.1109, -1.6913)
    member_model_at: float = -1.25
    # The clause model (`members.clause_flags`): weights of `members.clause_features`, intercept last, fitted on
    # chapters 001–003 (links with a clause dropped against the unmodified links); a link scoring above
    # `clause_model_at` lacks part of one side (the threshold: the lowest with at most 1 new false omission/
    # addition flag per 100 unmodified links of 001–003).
    clause_model: tuple[float, ...] = (0.1009, -0.2781, 0.1996, 0.9274, -0.7626, -0.2866, 0.5933, -1.0641, 0.1473,
                                       -0.045, -1.234, 0.3131, -3.2335)
    clause_model_at: float = -1.0
    # The clause-length model (`members.clause_length_flags`): weights of `members.clause_length_features`,
    # intercept last, fitted on chapters 001–003 (as the clause model); a link scoring above `clause_length_at`
    # is too short on one side for its length (the threshold: the lowest with at most 1 new false omission/
    # addition flag per 100 unmodified links of 001–003). math.inf turns it off.
    clause_length_model: tuple[float, ...] = (-0.199, 1.4457, 0.8485, -0.718, -3.6656)
    clause_length_at: float = -0.597
    # negation: by default only a negated word whose translation stands un-negated on the other side; True
    # also flags a negation on one side with no trace of one on the other (more recall, many more false flags)
    negation_presence: bool = False

