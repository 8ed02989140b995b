"""The whole path for one input: ingest → segment → align → check.

Every front end (CLI, web upload, batch) goes through here, so they all produce the same alignment.
"""
from __future__ import annotations

import os
from typing import Callable

from .model import Alignment, Bead, Document, Sentence, Source

Progress = Callable[[int, int], None]


def process_source(source: Source, *, config=None, encoder=None, progress: Progress | None = None) -> Alignment:
    from .align import align
    from .check import check
    from .segment import SEGMENTER, segment

    document = segment(source)
    _refuse_too_many(document, source)
    if len(source.sections) > 1:
        alignment = align_sections(document, source.sections, config=config, encoder=encoder, progress=progress)
    else:
        alignment = align(document, config=config, encoder=encoder, progress=progress)
    alignment.settings.setdefault("segmenter", SEGMENTER if not source.presegmented else "given")
    return check(alignment)


# Memory grows with the sentences aligned: 50,000 a side peaked at 1.2 GB with --fast (BENCHMARKS.md, Audit),
# so this limit keeps any input under 2 GB; a longer text is many documents, and `batch` takes them.
MAX_SENTENCES = 50_000


def _refuse_too_many(document, source: Source) -> None:
    from .errors import InputError
    from .io import printable_path

    for lang, sentences in (("Chinese", document.zh), ("English", document.en)):
        if len(sentences) > MAX_SENTENCES:
            name = printable_path(source.meta.path) if source.meta.path not in ("", "-") else "the input"
            raise InputError(f"{name} has {len(sentences):,} {lang} sentences, over the limit of "
                             f"{MAX_SENTENCES:,} for one document (memory grows with it): split it into "
                             "documents (one per article or chapter) and align them with `duizhao batch`")


def align_sections(document: Document, sections: list[tuple[int, int]], *, config=None, encoder=None,
                   progress: Progress | None = None) -> Alignment:
    """Align a document whose sections (a table's rows, a book's paired chapters, a CAT file's units) are
    known to correspond: no link crosses a section boundary.

    `sections` gives the number of Chinese and English paragraphs of each section. The whole document is
    aligned once (so that every signal sees all of it, as without sections); a section whose two corners
    that alignment passes through keeps its links, and any other section is aligned again on its own. A
    section with one side empty becomes 1-0 / 0-1 links.
    """
    from .align import align

    whole = align(document, config=config, encoder=encoder, progress=progress)
    reached = {(0, 0): 0}  # the cells the path passes through → how many links lead there
    i = j = 0
    for number, bead in enumerate(whole.beads, 1):
        i, j = i + len(bead.zh), j + len(bead.en)
        reached[(i, j)] = number
    zh_parts = _cut(document.zh, [z for z, _ in sections])
    en_parts = _cut(document.en, [e for _, e in sections])
    beads: list[Bead] = []
    realigned = 0
    i = j = 0
    for zh, en in zip(zh_parts, en_parts, strict=True):
        start, end = (i, j), (i + len(zh), j + len(en))
        if start in reached and end in reached:
            beads.extend(whole.beads[reached[start]:reached[end]])
        else:
            part = align(Document(zh=zh, en=en, meta=document.meta), config=config, encoder=encoder)
            beads.extend(Bead(tuple(k + i for k in b.zh), tuple(k + j for k in b.en), b.score, b.flags)
                         for b in part.beads)
            realigned += 1
        i, j = end
    settings = dict(whole.settings, sections=len(sections), sections_realigned=realigned)
    return Alignment(document, beads, settings)


def _cut(sentences: list[Sentence], paragraph_counts: list[int]) -> list[list[Sentence]]:
    """Sentences grouped by section, a section being the next `count` paragraphs."""
    parts: list[list[Sentence]] = [[] for _ in paragraph_counts]
    section_of: list[int] = []
    for number, count in enumerate(paragraph_counts):
        section_of.extend([number] * count)
    for sentence in sentences:
        parts[section_of[sentence.paragraph]].append(sentence)
    return parts


def process(path: str | os.PathLike, *, config=None, encoder=None, progress: Progress | None = None,
            layout: str = "auto", zh_variant: str = "simplified") -> Alignment:
    """Align one bilingual document (plain text, Markdown or HTML holding both languages; "-" for stdin).
    `layout`: "auto" (read from the page), "blocks", "interleaved", "inline" or "table"; `zh_variant`: the
    Chinese version a trilingual page keeps, "simplified" or "traditional"."""
    from .ingest import load

    return process_source(load(path, layout=layout, zh_variant=zh_variant), config=config, encoder=encoder, progress=progress)


def process_pair(
    zh_path: str | os.PathLike,
    en_path: str | os.PathLike,
    *,
    sentences: bool = False,
    config=None,
    encoder=None,
    progress: Progress | None = None,
) -> Alignment:
    """Align two files, one per language; `sentences=True` keeps their lines as the sentences."""
    from .ingest import load_pair

    source = load_pair(zh_path, en_path, sentences=sentences)
    return process_source(source, config=config, encoder=encoder, progress=progress)


def process_intertext(
    zh_xml: str | os.PathLike, en_xml: str | os.PathLike, *, config=None, encoder=None,
    progress: Progress | None = None,
) -> Alignment:
    """Align an InterText XML pair (e.g. a MAC chapter) on its own sentence segmentation."""
    from .ingest import load_intertext

    return process_source(load_intertext(zh_xml, en_xml), config=config, encoder=encoder, progress=progress)


def process_bytes(data: bytes, name: str, *, config=None, encoder=None, progress: Progress | None = None) -> Alignment:
    """Align a document already in memory (a web upload, a batch worker); `name` is used in messages."""
    from .ingest import load_bytes

    return process_source(load_bytes(data, name=name), config=config, encoder=encoder, progress=progress)
