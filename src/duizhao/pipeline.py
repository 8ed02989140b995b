"""The whole path for one input: ingest → segment → align → check, and what the front ends do with it.

Every front end (CLI, web upload, batch) goes through here, so they all produce the same alignment. The
orchestration that joins stages to the store (`add_bytes`, `add_files`) and to the glossary
(`glossary_of`) lives here too, so that the domain modules below never import upwards.
"""
from __future__ import annotations

import builtins
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .align import AlignConfig, align
from .align import signature as align_signature
from .check import CheckConfig, check, check_settings
from .encoders import Encoder, get_encoder
from .errors import ConfigError, FormatError, InputError
from .glossary import Term, extract
from .ingest import load, load_bytes, load_intertext, load_pair, load_sentences, load_texts
from .ingest.encoding import read_bytes
from .model import Alignment, Source
from .segment import SEGMENTER, segment
from .signals import get as get_signal
from .store import Store, content_hash

Progress = Callable[[int, int], None]


def signature(config: AlignConfig, encoder: Encoder | None = None, *, presegmented: bool = False) -> dict[str, Any]:
    """The reproducibility signature every alignment of this path records (`Alignment.settings`), put
    together here and only here: the aligner's settings, the segmenter, the checks' thresholds."""
    return {
        **align_signature(config, encoder),
        "segmenter": "given" if presegmented else SEGMENTER,
        "checks": check_settings(CheckConfig()),
    }


class Aligner:
    """Aligns and checks Chinese–English documents; holds what is expensive to set up.

    Made once and used for many inputs, as `sacrebleu.BLEU()` or `httpx.Client()` are. It owns the
    configuration (`AlignConfig`; `fast=True` for no neural encoder), the encoder (the one given, or the
    configuration's, loaded once per process on first use) and the reproducibility signature.

        >>> aligner = duizhao.Aligner()
        >>> aligner.sentences(["我来了。"], ["I came."]).pairs()
        [('我来了。', 'I came.')]

    Every method returns an `Alignment` (links, flags, settings), which `records()` and `to_pandas()`
    turn into rows.
    """

    def __init__(self, config: AlignConfig | None = None, *, encoder: Encoder | None = None,
                 fast: bool = False) -> None:
        if config is not None and not isinstance(config, AlignConfig):
            raise TypeError(f"config must be a duizhao.AlignConfig, not {type(config).__name__}: "
                            "e.g. Aligner(AlignConfig(fast=True)) or Aligner(fast=True)")
        if config is not None and fast and not config.fast:
            raise ConfigError("give fast=True or a config, not both: AlignConfig(fast=True) says the same")
        self.config = config if config is not None else AlignConfig(fast=fast)
        self._encoder = encoder

    def __repr__(self) -> str:
        return f"Aligner({self.config!r})"

    @property
    def encoder(self) -> Encoder | None:
        """The sentence encoder (None in fast mode), loaded on first use and shared by the process."""
        if self._encoder is not None:
            return self._encoder
        if any(get_signal(name).needs_encoder for name in self.config.signal_names()):
            return get_encoder(self.config.encoder)
        return None

    @property
    def signature(self) -> dict[str, Any]:
        """What every alignment made by this aligner records in `settings` (for input split into sentences
        by duizhao; input given as sentences records `"segmenter": "given"`)."""
        return signature(self.config, self._encoder)

    # --- inputs ---

    def source(self, source: Source, *, progress: Progress | None = None) -> Alignment:
        """Segment, align and check what ingest read: the one path every front end takes."""
        document = segment(source)
        alignment = align(document, config=self.config, encoder=self._encoder, progress=progress)
        alignment.settings = signature(self.config, self._encoder, presegmented=source.presegmented)
        return check(alignment)

    def sentences(self, zh: list[str], en: list[str], *, progress: Progress | None = None) -> Alignment:
        """Align two lists of sentences, kept as given: link ids are positions in the lists."""
        return self.source(load_sentences(zh, en), progress=progress)

    def text(self, zh: str, en: str, *, progress: Progress | None = None) -> Alignment:
        """Align a Chinese text and its English translation (str each), split into sentences here."""
        return self.source(load_texts(zh, en), progress=progress)

    def file(self, path: str | os.PathLike, *, progress: Progress | None = None) -> Alignment:
        """Align one bilingual file (plain text or HTML holding both languages; "-" for stdin)."""
        return self.source(load(_path(path, "file", "path")), progress=progress)

    def pair(self, zh_path: str | os.PathLike, en_path: str | os.PathLike, *, sentences: bool = False,
             progress: Progress | None = None) -> Alignment:
        """Align two files, one per language; `sentences=True` keeps their lines as the sentences."""
        source = load_pair(_path(zh_path, "pair", "zh_path"), _path(en_path, "pair", "en_path"), sentences=sentences)
        return self.source(source, progress=progress)

    def intertext(self, zh_xml: str | os.PathLike, en_xml: str | os.PathLike, *,
                  progress: Progress | None = None) -> Alignment:
        """Align an InterText XML pair (e.g. a MAC chapter) on its own sentence segmentation."""
        source = load_intertext(_path(zh_xml, "intertext", "zh_xml"), _path(en_xml, "intertext", "en_xml"))
        return self.source(source, progress=progress)

    def bytes(self, data: builtins.bytes, name: str = "-", *, progress: Progress | None = None) -> Alignment:
        """Align a bilingual document already in memory (an upload); `name` is used in messages."""
        if not isinstance(data, (builtins.bytes, bytearray, memoryview)):
            raise TypeError(f"bytes() takes the document's bytes, not {type(data).__name__}: "
                            "for text use text(zh, en), for a file file(path)")
        return self.source(load_bytes(builtins.bytes(data), name=name), progress=progress)


def _path(value: object, method: str, what: str) -> str | os.PathLike:
    if isinstance(value, (builtins.bytes, bytearray)):
        raise TypeError(f"{method}() takes a path as {what}, not bytes: for a document in memory use bytes(data, name)")
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{method}() takes a path (str or pathlib.Path) as {what}, not {type(value).__name__}")
    return value


def align_sentences(zh: list[str], en: list[str], *, fast: bool = False) -> Alignment:
    """Align two lists of sentences in one call: `Aligner(fast=fast).sentences(zh, en)`.

        >>> duizhao.align_sentences(["我来了。"], ["I came."]).pairs()
        [('我来了。', 'I came.')]

    To align many documents, make one `Aligner` and reuse it.
    """
    return Aligner(fast=fast).sentences(zh, en)


# The functions of earlier releases, each a one-off Aligner (the way httpx.get wraps a Client).

def process_source(source: Source, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
                   progress: Progress | None = None) -> Alignment:
    return Aligner(config, encoder=encoder).source(source, progress=progress)


def process(path: str | os.PathLike, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
            progress: Progress | None = None) -> Alignment:
    """Align one bilingual document (plain text or HTML holding both languages; "-" for stdin)."""
    return Aligner(config, encoder=encoder).file(path, progress=progress)


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
    return Aligner(config, encoder=encoder).pair(zh_path, en_path, sentences=sentences, progress=progress)


def process_intertext(
    zh_xml: str | os.PathLike, en_xml: str | os.PathLike, *, config: AlignConfig | None = None,
    encoder: Encoder | None = None, progress: Progress | None = None,
) -> Alignment:
    """Align an InterText XML pair (e.g. a MAC chapter) on its own sentence segmentation."""
    return Aligner(config, encoder=encoder).intertext(zh_xml, en_xml, progress=progress)


def process_bytes(data: bytes, name: str, *, config: AlignConfig | None = None, encoder: Encoder | None = None,
                  progress: Progress | None = None) -> Alignment:
    """Align a document already in memory (a web upload, a batch worker); `name` is used in messages."""
    return Aligner(config, encoder=encoder).bytes(data, name, progress=progress)


# --- into the store ------------------------------------------------------------------------------------

@dataclass
class AddResult:
    path: str
    doc_id: int | None  # None: the file could not be aligned (see `error`)
    added: bool  # False: the same bytes were already in the store, or it failed
    error: str = ""  # why the file was not stored (a one-language page, a binary file…)


def add_bytes(store: Store, data: bytes, name: str, aligner: Aligner | None = None) -> AddResult:
    """Align one document's bytes and store it, unless the same bytes are stored already (then it is not
    aligned again). The one path of `duizhao add` and the web upload; raises InputError / FormatError for
    a document that cannot be aligned."""
    digest = content_hash(data)
    known = store.find(digest)
    if known is not None:
        return AddResult(name, known, False)
    alignment = (aligner or Aligner()).bytes(data, name)
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
    aligner = Aligner(fast=fast)
    results = []
    with Store(db_path) as store:
        for done, path in enumerate(paths):
            if progress:
                progress(done, len(paths))
            try:
                data = read_bytes(path)  # "-" is stdin; the ingest size limit holds here too
                results.append(add_bytes(store, data, path, aligner))
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
        aligner = Aligner(fast=fast)
        for done, path in enumerate(paths):
            if progress:
                progress(done, len(paths))
            alignments.append(aligner.file(path))
        if progress:
            progress(len(paths), len(paths))
    return extract(alignments)
