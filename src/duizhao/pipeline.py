"""The whole path for one input: ingest → segment → align → check.

Every front end (CLI, web upload, batch) goes through here, so they all produce the same alignment.
"""
from __future__ import annotations

import os
from typing import Callable

from .model import Alignment, Bead, Document, Source

Progress = Callable[[int, int], None]


def process_source(source: Source, *, config=None, encoder=None, progress: Progress | None = None) -> Alignment:
    from .align import align
    from .check import check
    from .segment import SEGMENTER, segment

    document = segment(source)
    if source.groups:
        alignment = _align_groups(document, source.groups, config=config, encoder=encoder, progress=progress)
    else:
        alignment = align(document, config=config, encoder=encoder, progress=progress)
    alignment.settings.setdefault("segmenter", SEGMENTER if not source.presegmented else "given")
    return check(alignment)


def _align_groups(document: Document, groups: list[tuple[tuple[int, int], tuple[int, int]]], *, config=None,
                  encoder=None, progress: Progress | None = None) -> Alignment:
    """Align each paragraph pairing the layout gives on its own (hard boundaries), links in reading order."""
    from .align import align

    beads: list[Bead] = []
    settings: dict = {}
    total = len(document.zh) + len(document.en)
    done = 0
    for (zh_start, zh_end), (en_start, en_end) in groups:
        zh_ids = [i for i, s in enumerate(document.zh) if zh_start <= s.paragraph < zh_end]
        en_ids = [j for j, s in enumerate(document.en) if en_start <= s.paragraph < en_end]
        part = Document(zh=[document.zh[i] for i in zh_ids], en=[document.en[j] for j in en_ids], meta=document.meta)
        aligned = align(part, config=config, encoder=encoder)
        settings = settings or aligned.settings
        beads.extend(Bead(tuple(zh_ids[i] for i in b.zh), tuple(en_ids[j] for j in b.en), b.score, b.flags)
                     for b in aligned.beads)
        done += len(zh_ids) + len(en_ids)
        if progress:
            progress(done, total)
    if not settings:  # no group held a sentence
        settings = align(Document(zh=[], en=[], meta=document.meta), config=config, encoder=encoder).settings
    settings = {**settings, "paragraph_groups": len(groups)}
    return Alignment(document, beads, settings)


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
