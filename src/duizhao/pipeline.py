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
    if len(source.sections) > 1:
        alignment = align_sections(document, source.sections, config=config, encoder=encoder, progress=progress)
    else:
        alignment = align(document, config=config, encoder=encoder, progress=progress)
    alignment.settings.setdefault("segmenter", SEGMENTER if not source.presegmented else "given")
    return check(alignment)


def align_sections(document: Document, sections: list[tuple[int, int]], *, config=None, encoder=None,
                   progress: Progress | None = None) -> Alignment:
    """Align each section (a table row, a pair of chapters) on its own and join the links in order.

    `sections` gives the number of Chinese and English paragraphs of each section; a link never crosses a
    section boundary, and a section with one side empty becomes 1-0 / 0-1 links.
    """
    from .align import align

    zh_parts = _cut(document.zh, [z for z, _ in sections])
    en_parts = _cut(document.en, [e for _, e in sections])
    total = len(document.zh) + len(document.en)
    beads: list[Bead] = []
    settings: dict = {}
    zh_done = en_done = 0
    for zh, en in zip(zh_parts, en_parts, strict=True):
        done = zh_done + en_done
        part_progress = ((lambda d, t, done=done, size=len(zh) + len(en): progress(done + d * size // max(t, 1), total))
                         if progress else None)
        part = align(Document(zh=zh, en=en, meta=document.meta), config=config, encoder=encoder,
                     progress=part_progress)
        settings = settings or part.settings
        beads.extend(Bead(tuple(i + zh_done for i in b.zh), tuple(j + en_done for j in b.en), b.score, b.flags)
                     for b in part.beads)
        zh_done += len(zh)
        en_done += len(en)
    if progress:
        progress(total, total)
    settings = dict(settings, sections=len(sections))
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


def process(path: str | os.PathLike, *, config=None, encoder=None, progress: Progress | None = None) -> Alignment:
    """Align one bilingual document (plain text or HTML holding both languages; "-" for stdin)."""
    from .ingest import load

    return process_source(load(path), config=config, encoder=encoder, progress=progress)


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
