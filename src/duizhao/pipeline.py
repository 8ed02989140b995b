"""The whole path for one input: ingest → segment → align → check.

Every front end (CLI, web upload, batch) goes through here, so they all produce the same alignment.
"""
from __future__ import annotations

import os
from typing import Callable

from .model import Alignment, Source

Progress = Callable[[int, int], None]


def process_source(source: Source, *, config=None, encoder=None, progress: Progress | None = None) -> Alignment:
    from .align import align
    from .check import check
    from .segment import SEGMENTER, segment

    document = segment(source)
    _refuse_too_many(document, source)
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
