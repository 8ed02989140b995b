"""What the reading outputs (html, docx, epub) share: one row per link, with what a reader should see.

A row knows its texts, whether it is a heading (a link of title or heading sentences), whether it starts a
new paragraph, its score, and its flags. A link scoring below LOW_CONFIDENCE is marked low-confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Alignment, Flag, Metadata

# Below this score a link is marked for the reader (the terminal table colours it red below 0.5 too).
LOW_CONFIDENCE = 0.5
HEADING_KINDS = frozenset({"title", "heading"})


@dataclass(frozen=True)
class Row:
    number: int  # 1-based link number
    zh: str
    en: str
    score: float
    heading: bool  # every sentence of the link is a title or heading
    new_paragraph: bool  # the link starts a paragraph on one side or the other
    flags: list[Flag] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return self.score < LOW_CONFIDENCE

    def note(self) -> str:
        """One line for the reader: the flags and, for a low-confidence link, the score."""
        # short evidence ("10月23日 ↔ October 22") says more than a message; a long one repeats the text
        parts = [f"{flag.type}: {flag.evidence if flag.evidence and len(flag.evidence) <= 40 else flag.message}"
                 for flag in self.flags]
        if self.low:
            parts.insert(0, f"low confidence {self.score:.2f}")
        return "; ".join(parts)


def rows(alignment: Alignment) -> list[Row]:
    doc = alignment.document
    result = []
    last = {"zh": -1, "en": -1}
    for number, bead in enumerate(alignment.beads, 1):
        sentences = [doc.zh[i] for i in bead.zh] + [doc.en[i] for i in bead.en]
        heading = bool(sentences) and all(s.kind in HEADING_KINDS for s in sentences)
        new_paragraph = number == 1
        for lang, ids in (("zh", bead.zh), ("en", bead.en)):
            side = doc.side(lang)  # type: ignore[arg-type]
            if ids:
                new_paragraph = new_paragraph or side[ids[0]].paragraph != last[lang]
                last[lang] = side[ids[-1]].paragraph
        result.append(Row(number, alignment.zh_text(bead), alignment.en_text(bead), float(bead.score),
                          heading, new_paragraph, list(bead.flags)))
    return result


def paragraphs(alignment: Alignment) -> list[tuple[bool, str, str]]:
    """The links grouped into paragraphs: (heading, Chinese text, English text), for reading editions."""
    groups: list[tuple[bool, list[str], list[str]]] = []
    for row in rows(alignment):
        if row.new_paragraph or row.heading or not groups or groups[-1][0]:
            groups.append((row.heading, [], []))
        if row.zh:
            groups[-1][1].append(row.zh)
        if row.en:
            groups[-1][2].append(row.en)
    return [(heading, "".join(zh), " ".join(en)) for heading, zh, en in groups]


def title_of(meta: Metadata) -> str:
    return meta.title_zh or meta.title_en or meta.path or "duizhao"


def facts(meta: Metadata) -> list[tuple[str, str]]:
    """The metadata worth showing above the text, as (label, value)."""
    pairs = [("date", meta.date), ("source", meta.source_url), ("site", meta.site)]
    if meta.path and meta.path != "-":
        pairs.append(("file", meta.path))
    return [(label, value) for label, value in pairs if value]
