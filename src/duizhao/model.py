"""The plain data that flows between stages: ingest → segment → align → check → export.

Ids are 0-based positions in a side's sentence list. A link (``Bead``) with an empty side
is a 1-0 / 0-1 link: a sentence with no counterpart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]

# What a paragraph or sentence is on the page; headings and datelines are content and are aligned.
Kind = Literal["title", "heading", "date", "byline", "body"]

# When a subtitle cue is shown: (start, end) in seconds. Sentences of a cue carry its time.
Time = tuple[float, float]


@dataclass(frozen=True)
class Paragraph:
    """One block of text of one language, as ingest found it (not yet split into sentences)."""

    text: str
    kind: Kind = "body"
    time: Time | None = None  # a subtitle cue's (start, end) in seconds


@dataclass
class Metadata:
    """What the page says about itself, and the page chrome kept out of the bitext."""

    title_zh: str = ""
    title_en: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD) where it could be read
    source_url: str = ""
    site: str = ""
    dateline: str = ""  # a reposting site's "2023年10月30日 04:43  美国驻华大使馆网" line
    chrome: list[str] = field(default_factory=list)  # removed lines: widgets, share buttons, ...
    path: str = ""  # where the document came from ("-" for stdin)
    encoding: str = ""  # the encoding the input was decoded from
    zh_script: Literal["Hans", "Hant"] = "Hans"  # Simplified or Traditional Chinese
    layout: str = ""  # how the page holds its languages: blocks, interleaved, inline or table (ingest decides)
    # A trilingual page's other Chinese version, set aside ("Hant" when the Traditional text was left out).
    zh_other_variant: str = ""
    # Pinyin reading annotations removed from the Chinese (關(guān)閉 → 關閉): the page went through a lossy
    # conversion to Traditional, so a "?" glued to a comma or a letter stands for a lost character.
    readings_removed: int = 0

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()}


@dataclass
class Source:
    """Ingest's output: the two sides as paragraphs, plus metadata."""

    zh: list[Paragraph]
    en: list[Paragraph]
    meta: Metadata = field(default_factory=Metadata)
    presegmented: bool = False  # each paragraph is already one sentence: do not re-split
    # Presegmented sources only: the paragraph of the original each sentence sat in (an InterText file's
    # <p>), per side, so that the aligner sees the text's paragraphs; empty: each sentence is its own.
    sentence_paragraphs: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))
    # Hard boundaries known before alignment (a table's rows, a book's paired chapters, a CAT file's units):
    # (Chinese paragraphs, English paragraphs) per section, in order, covering both sides. Each section is
    # aligned on its own; empty means one section.
    sections: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int  # 0-based index of the paragraph it came from
    kind: Kind = "body"
    time: Time | None = None  # the subtitle cue's (start, end) in seconds, from its paragraph


@dataclass
class Document:
    """Segment's output: the two sides as sentence lists."""

    zh: list[Sentence]
    en: list[Sentence]
    meta: Metadata = field(default_factory=Metadata)

    def side(self, lang: Lang) -> list[Sentence]:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Flag:
    """Something a reviewer should look at on one link."""

    type: str  # e.g. "number", "date", "name", "omission", "untranslated", "length"
    message: str  # one short sentence for people
    evidence: str = ""  # the token(s) that triggered it, e.g. "10月22日 ↔ October 23"

    def as_dict(self) -> dict:
        return {"type": self.type, "message": self.message, "evidence": self.evidence}


@dataclass
class Bead:
    """One link: Chinese sentence ids, English sentence ids, a confidence in [0, 1], flags."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float = 0.0
    flags: list[Flag] = field(default_factory=list)

    @property
    def type(self) -> str:
        """Link type in zh-en order, e.g. "1-2" (one Chinese sentence, two English ones)."""
        return f"{len(self.zh)}-{len(self.en)}"


@dataclass
class Alignment:
    """A document and its links, in reading order, plus the settings that produced them."""

    document: Document
    beads: list[Bead]
    settings: dict = field(default_factory=dict)  # reproducibility signature: version, encoder, weights

    def zh_text(self, bead: Bead) -> str:
        # Chinese sentences join with nothing, English ones with a space.
        return "".join(self.document.zh[i].text for i in bead.zh)

    def en_text(self, bead: Bead) -> str:
        return " ".join(self.document.en[i].text for i in bead.en)

    def times(self, bead: Bead) -> dict[str, Time]:
        """The cue times a link spans on each side (subtitles): {"zh": (start, end), "en": …}, sides
        without times left out."""
        spans: dict[str, Time] = {}
        sides: tuple[tuple[Lang, tuple[int, ...]], ...] = (("zh", bead.zh), ("en", bead.en))
        for lang, ids in sides:
            times = [t for t in (self.document.side(lang)[i].time for i in ids) if t is not None]
            if times:
                spans[lang] = (min(t[0] for t in times), max(t[1] for t in times))
        return spans

    def pairs(self) -> list[tuple[str, str]]:
        return [(self.zh_text(b), self.en_text(b)) for b in self.beads]

    def record(self, bead: Bead) -> dict[str, Any]:
        """One link as a flat record: the JSONL line and the Parquet row."""
        zh, en = self.zh_text(bead), self.en_text(bead)
        return {
            "zh": zh,
            "en": en,
            # The Hugging Face translation-dataset convention: {"translation": {"zh": ..., "en": ...}}.
            "translation": {"zh": zh, "en": en},
            "zh_ids": list(bead.zh),
            "en_ids": list(bead.en),
            "score": float(bead.score),
            "type": bead.type,
            "flags": [flag.type for flag in bead.flags],
            "flag_details": [flag.as_dict() for flag in bead.flags],
            # Where each sentence starts inside "zh"/"en" (code points), so a reader can split a 2-1 link again.
            "zh_offsets": sentence_offsets([self.document.zh[i].text for i in bead.zh], ""),
            "en_offsets": sentence_offsets([self.document.en[i].text for i in bead.en], " "),
        }

    def records(self) -> list[dict[str, Any]]:
        """Every link as a record (`record`), in reading order: for json, csv.DictWriter or a DataFrame."""
        return [self.record(bead) for bead in self.beads]

    def to_pandas(self) -> Any:
        """The links as a pandas DataFrame, one row per link with the columns of `record` (needs pandas)."""
        try:
            import pandas
        except ImportError as err:
            raise ImportError("to_pandas() needs pandas: pip install pandas (or use records())") from err
        return pandas.DataFrame.from_records(self.records(), columns=list(RECORD_COLUMNS))


RECORD_COLUMNS = ("zh", "en", "translation", "zh_ids", "en_ids", "score", "type", "flags", "flag_details", "zh_offsets", "en_offsets")


def sentence_offsets(texts: list[str], separator: str) -> list[int]:
    """Where each sentence starts, in code points, inside `separator.join(texts)`."""
    offsets, position = [], 0
    for text in texts:
        offsets.append(position)
        position += len(text) + len(separator)
    return offsets
