"""The whole path for one input: ingest → segment → align → check, and what the front ends do with it.

Every front end (CLI, web upload, batch) goes through here, so they all produce the same alignment. The
orchestration that joins stages to the store (`add_bytes`, `add_files`) and to the glossary
(`glossary_of`) lives here too, so that the domain modules below never import upwards.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .align import AlignConfig, align
from .check import check
from .encoders import Encoder
from .errors import FormatError, InputError
from .glossary import Term, extract
from .ingest import load, load_bytes, load_intertext, load_pair
from .ingest.encoding import read_bytes
from .model import Alignment, Source
from .segment import SEGMENTER, segment
from .store import Store, content_hash

Progress = Callable[[int, int], None]


def process_source(source: Source, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
                   progress: Progress | None = None) -> Alignment:
    document = segment(source)
    alignment = align(document, config=config, encoder=encoder, progress=progress)
    alignment.settings.setdefault("segmenter", SEGMENTER if not source.presegmented else "given")
    return check(alignment)


def process(path: str | os.PathLike, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
            progress: Progress | None = None) -> Alignment:
    """Align one bilingual document (plain text or HTML holding both languages; "-" for stdin)."""
    return process_source(load(path), config=config, encoder=encoder, progress=progress)


def process_pair(
    zh_path: str | os.PathLike,
    en_path: str | os.PathLike,
    *,
    sentences: bool = False,
    config: AlignConfig | None = None,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Align two files, one per language; `sentences=True` keeps their lines as the sentences."""
    source = load_pair(zh_path, en_path, sentences=sentences)
    return process_source(source, config=config, encoder=encoder, progress=progress)


def process_intertext(
    zh_xml: str | os.PathLike, en_xml: str | os.PathLike, *, config: AlignConfig | None = None,
    encoder: Encoder | None = None, progress: Progress | None = None,
) -> Alignment:
    """Align an InterText XML pair (e.g. a MAC chapter) on its own sentence segmentation."""
    return process_source(load_intertext(zh_xml, en_xml), config=config, encoder=encoder, progress=progress)


def process_bytes(data: bytes, name: str, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
                  progress: Progress | None = None) -> Alignment:
    """Align a document already in memory (a web upload, a batch worker); `name` is used in messages."""
    return process_source(load_bytes(data, name=name), config=config, encoder=encoder, progress=progress)


# --- into the store ------------------------------------------------------------------------------------

@dataclass
class AddResult:
    path: str
    doc_id: int | None  # None: the file could not be aligned (see `error`)
    added: bool  # False: the same bytes were already in the store, or it failed
    error: str = ""  # why the file was not stored (a one-language page, a binary file…)


def add_bytes(store: Store, data: bytes, name: str, *, config: AlignConfig | None = None,
              encoder: Encoder | None = None) -> AddResult:
    """Align one document's bytes and store it, unless the same bytes are stored already (then it is not
    aligned again). The one path of `duizhao add` and the web upload; raises InputError / FormatError for
    a document that cannot be aligned."""
    digest = content_hash(data)
    known = store.find(digest)
    if known is not None:
        return AddResult(name, known, False)
    alignment = process_bytes(data, name, config=config, encoder=encoder)
    doc_id, added = store.add(alignment, digest)
    return AddResult(name, doc_id, added)


def add_files(db_path: str | os.PathLike, paths: list[str], *, fast: bool = False,
              progress: Progress | None = None) -> list[AddResult]:
    """Align each input and store it; a file whose bytes are already stored is not aligned again.

    Every path is checked before any work is done; each document is stored in its own transaction, and a
    document that cannot be aligned (one language only, binary) is reported in its result and skipped, so
    one bad page among many neither stops the others nor hides which were stored.
    """
    for path in paths:
        if path != "-" and not Path(path).is_file():
            raise InputError(f"{path} is not a file: check the path (use - for stdin)")
    config = AlignConfig(fast=True) if fast else None
    results = []
    with Store(db_path) as store:
        for done, path in enumerate(paths):
            if progress:
                progress(done, len(paths))
            try:
                data = read_bytes(path)  # "-" is stdin; the ingest size limit holds here too
                results.append(add_bytes(store, data, path, config=config))
            except (InputError, FormatError) as err:
                results.append(AddResult(path, None, False, str(err)))
        if progress:
            progress(len(paths), len(paths))
    return results


# --- the glossary -------------------------------------------------------------------------------------

def glossary_of(inputs: Iterable[str | Path] = (), db: str | Path | None = None, *, fast: bool = False,
                progress: Progress | None = None) -> list[Term]:
    """The glossary of documents (aligned and checked first; `fast`: without the encoder) or of every
    document in a corpus store. `progress(done, total)` counts documents."""
    alignments: list[Alignment] = []
    if db is not None:
        with Store(db, create=False) as store:
            alignments = [store.document(summary.id).alignment for summary in store.documents()]
        if not alignments:
            raise InputError(f"{db} holds no documents: add some with `duizhao add FILE --db {db}`")
    else:
        paths = list(inputs)
        if not paths:
            raise InputError("nothing to read: give a bilingual FILE, or --db PATH")
        for done, path in enumerate(paths):
            if progress:
                progress(done, len(paths))
            alignments.append(process(path, config=AlignConfig(fast=fast)))
        if progress:
            progress(len(paths), len(paths))
    return extract(alignments)
