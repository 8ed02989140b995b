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
link; a member of a several-sentence side that adds nothing to the link's similarity, or that the member model
(`members.member_score`: its gains, its cosine with its own link's other side against the links around, the
link's length) finds closer to its neighbours than to its own link, is an omission/addition; so is a link the
clause model (`members.clause_flags`: link z, length z, the dictionary coverage of each side's least covered
clause) finds missing part of one side. Without encoders too, so is a link the clause-length model
(`members.clause_length_flags`: Gale and Church's length delta, which weighs a long link's length ratio more
than a short one's, and the link's clause counts against the document's) finds too short on one side.

A link flagged ``untranslated``, or with a member that has no evidence of its own, is not a confident
translation whatever the aligner's score: its score is capped at `CheckConfig.doubtful_score` (0.5).

Which of omission and addition applies depends on the direction of translation. When it is known (``source``
argument, or ``alignment.settings["source_lang"]``), text missing from the translation is an ``omission`` and
text only the translation has is an ``addition``. When it is not known, both are reported as ``omission``
and the message names the side that lacks the text.

Precision comes first: a flag a reviewer finds wrong costs their time, so every check errs towards silence.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Sequence

import regex

from ..errors import ConfigError
from ..glossary import Term, extract
from ..model import Alignment, Flag, Lang
from ..names import NameIndex

if TYPE_CHECKING:
    from ..encoders import Encoder
    from ..evidence import LinkEvidence
from .config import FLAG_TYPES, CheckConfig
from .members import (
    LengthModel,
    clause_flags,
    clause_length_flags,
    elsewhere_flags,
    lone_sentence_flags,
    member_flags,
    mismatch_flags,
)
from .names import name_flags
from .negation import negation_flags
from .numbers import anchor_flags
from .untranslated import untranslated_flags


def check_settings(config: CheckConfig, source: Lang | None = None) -> dict:
    """The checks' part of the reproducibility signature (`Alignment.settings["checks"]`)."""
    return {**config.__dict__, "source_lang": source}


# A link longer than this (a text without sentence punctuation) is flagged instead of checked: the number and
# name checks cost time in the square of a link's length (each name against each word), 100 s for 200 KB.
_MAX_CHECKED_CHARS = 10_000


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
    places: set[str] = set()  # English words of the places and organisations the glossary knows
    if glossary is None and len(alignment.beads) >= config.learn_names_from:
        # A long document teaches its own renderings (韦小宝 ↔ Trinket) by co-occurrence over its links.
        glossary = extract([alignment], terms=False, max_links=config.learn_names_max)
    for term in glossary or ():
        known.setdefault(term.zh, []).append(term.en)
        if term.kind == "person":
            known_people.append(term.zh)
            people.update(w.lower() for w in regex.findall(r"\p{Latin}+", term.en))
        elif term.kind in ("place", "org"):
            places.update(w.lower() for w in regex.findall(r"\p{Latin}+", term.en))
    index = NameIndex.get()
    length_model = LengthModel.fit(alignment)
    evidence: list[LinkEvidence | None] = [None] * len(alignment.beads)
    if encoders is not None:
        from ..evidence import link_evidence

        encoder_set: list[Encoder] = list(encoders) if isinstance(encoders, (list, tuple)) else [encoders]  # type: ignore[list-item]
        evidence = link_evidence(alignment, encoder_set)
    beads = []
    for number, bead in enumerate(alignment.beads):
        zh, en = alignment.zh_text(bead), alignment.en_text(bead)
        flags = [f for f in bead.flags if f.type not in FLAG_TYPES]
        untranslated = untranslated_flags(zh, en, config)
        flags += untranslated
        unfounded: list[Flag] = []
        if not bead.zh or not bead.en:
            flags += lone_sentence_flags(zh, en, source)
        elif len(zh) + len(en) > _MAX_CHECKED_CHARS:
            flags.append(Flag("mismatch", f"A link of {len(zh) + len(en):,} characters, too long to check its numbers "
                              "and names: give the text its sentence punctuation and align it again."))
        elif not untranslated:  # an untranslated side has no numbers, names or length to compare
            flags += anchor_flags(zh, en)
            flags += name_flags(zh, en, index, known, people, config,
                                 sorted(set(known_people), key=len, reverse=True), places)
            flags += negation_flags(zh, en, config)
            unfounded = member_flags([alignment.document.zh[i].text for i in bead.zh],
                                      [alignment.document.en[i].text for i in bead.en], source, config,
                                      evidence[number], length_model.z(zh, en))
            flags += unfounded
            if not unfounded:
                flags += length_model.flags(zh, en, source, config)
            if not any(f.type in ("omission", "addition") for f in flags):
                flags += clause_flags(zh, en, source, config, evidence[number], length_model.z(zh, en))
            if not any(f.type in ("omission", "addition") for f in flags):
                flags += clause_length_flags(zh, en, source, config, length_model)
            if not flags:
                flags += mismatch_flags(zh, en, config)
            if not any(f.type == "mismatch" for f in flags):
                flags += elsewhere_flags(evidence[number], alignment, config)
        score = min(bead.score, config.doubtful_score) if untranslated or unfounded else bead.score
        beads.append(replace(bead, flags=flags, score=score))
    settings = {**alignment.settings, "checks": check_settings(config, source)}
    return Alignment(document=alignment.document, beads=beads, settings=settings)


__all__ = ["check", "CheckConfig", "FLAG_TYPES", "check_settings"]
