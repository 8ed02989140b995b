"""Output formats: one module per format, found through one explicit registry.

    >>> from duizhao import formats
    >>> formats.names()
    ['docx', 'epub', 'html', 'intertext', 'jsonl', 'moses', 'parquet', 'png', 'svg', 'tmx', 'tsv', 'vecalign']
    >>> formats.write(alignment, ["tsv", "tmx"], Path("out"))   # -> [out/readout.tsv, out/readout.tmx]

A format module is imported only when that format is used, so pyarrow (parquet) and translate-toolkit
(tmx) stay out of `import duizhao`. Unknown names fail with the list of valid ones.

Two kinds of format, and what `read` gives back:
- link-and-sentence formats (jsonl, parquet, intertext) keep the sentence ids and the sentence boundaries
  inside a link: `read` restores the beads and the sentences exactly (paragraph numbers and sentence kinds
  are not stored, except by intertext for paragraphs);
- link formats (tsv, tmx) keep one text per side of each link: `read` gives one sentence per non-empty
  side of each link, numbered in reading order, with the score and the flag types;
- moses keeps only the text; vecalign only the ids and scores (`vecalign.parse_links`, `read_beads`);
- reading formats (html, docx, epub) and the alignment map (png, svg) are written, never read.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from importlib import import_module
from pathlib import Path
from typing import Callable, ClassVar, Iterable

from .. import __version__
from ..errors import FormatError, InputError, OutputError
from ..io import atomic_write, writing
from ..model import Alignment, Bead, Document, Flag, Metadata, Sentence

__all__ = ["Format", "get", "names", "write", "output_stem", "check_target", "concatenate", "common_stem"]

# name -> "module:class", imported only when asked for.
_REGISTRY = {
    "docx": "duizhao.formats.docx:DocxFormat",
    "epub": "duizhao.formats.epub:EpubFormat",
    "html": "duizhao.formats.html:HtmlFormat",
    "png": "duizhao.formats.alignmap:PngFormat",
    "svg": "duizhao.formats.alignmap:SvgFormat",
    "intertext": "duizhao.formats.intertext:InterTextFormat",
    "jsonl": "duizhao.formats.jsonl:JsonlFormat",
    "moses": "duizhao.formats.moses:MosesFormat",
    "parquet": "duizhao.formats.parquet:ParquetFormat",
    "tmx": "duizhao.formats.tmx:TmxFormat",
    "tsv": "duizhao.formats.tsv:TsvFormat",
    "vecalign": "duizhao.formats.vecalign:VecalignFormat",
}


class Format:
    """One output format. Subclasses set `name` and `extension` and implement `write`.

    `write(alignment, path)` writes one file at `path` (or, for formats made of several files, files
    named after `path`'s stem) and returns the paths written. `read(path)` exists where the format can
    give an `Alignment` back (`can_read`); `read_beads(path)` gives only the links.
    """

    name: ClassVar[str]
    extension: ClassVar[str]
    can_read: ClassVar[bool] = False
    single_file: ClassVar[bool] = True  # False: several files (moses, intertext), so never to stdout

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        raise NotImplementedError

    def read(self, path: Path) -> Alignment:
        readable = ", ".join(n for n in names() if get(n).can_read)
        raise FormatError(f"{self.name} files cannot be read back into an alignment; use one of: {readable}")

    def read_beads(self, path: Path) -> list[Bead]:
        return self.read(path).beads

    def write_many(self, alignments: list[Alignment], path: Path) -> list[Path]:
        """Several documents as one corpus file. By default, one alignment of them all (`concatenate`);
        formats with a place for each document's facts (jsonl, html, docx, epub) override it."""
        return self.write(alignments[0] if len(alignments) == 1 else concatenate(alignments), path)


def concatenate(alignments: list[Alignment]) -> Alignment:
    """Several documents as one: sentence ids shifted so that each keeps its own, the metadata they share
    (`shared_metadata`), the settings of the first."""
    zh: list[Sentence] = []
    en: list[Sentence] = []
    beads: list[Bead] = []
    paragraphs = 0
    for alignment in alignments:
        doc = alignment.document
        zh_base, en_base = len(zh), len(en)
        zh.extend(Sentence(s.text, s.paragraph + paragraphs, s.kind) for s in doc.zh)
        en.extend(Sentence(s.text, s.paragraph + paragraphs, s.kind) for s in doc.en)
        paragraphs += 1 + max([s.paragraph for s in doc.zh + doc.en], default=0)
        beads.extend(Bead(tuple(i + zh_base for i in b.zh), tuple(i + en_base for i in b.en), b.score,
                          list(b.flags)) for b in alignment.beads)
    first = alignments[0]
    return Alignment(Document(zh, en, shared_metadata([al.document.meta for al in alignments])), beads,
                     dict(first.settings))


def shared_metadata(metas: list[Metadata]) -> Metadata:
    """What several documents say alike: each fact kept only where every document has the same value
    (a corpus of one site keeps the site; titles, dates and paths of different documents are dropped)."""
    values = {}
    for key in Metadata.__dataclass_fields__:
        seen = [getattr(meta, key) for meta in metas]
        if all(value == seen[0] for value in seen):
            values[key] = seen[0]
    return Metadata(**values)


def names() -> list[str]:
    """Every format name, sorted."""
    return sorted(_REGISTRY)


def get(name: str, **options) -> Format:
    """The format called `name` (case-insensitive); `options` go to its constructor (e.g. tmx `zh_lang`)."""
    key = name.strip().lower()
    if key not in _REGISTRY:
        raise FormatError(f"unknown format {name!r}: choose one of {', '.join(names())}")
    module, cls = _REGISTRY[key].split(":")
    return getattr(import_module(module), cls)(**options)


# Longest stem, in UTF-8 bytes: InterText's link file holds it twice (NAME_zh.NAME_en.xml) and a temporary
# name adds a dozen bytes, inside the 255 bytes most file systems allow for a name.
MAX_STEM_BYTES = 96


_STEM_SEPARATORS = "._- "


def common_stem(first: str, second: str) -> str:
    """The stem two files share, cut at a separator: `chapter.zh.txt` + `chapter.en.txt` -> `chapter`,
    `book_zh.txt` + `book_en.txt` -> `book`; "" when they share none."""
    a, b = Path(first).name, Path(second).name
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    shared = a[:size]
    # only whole parts: "chapter1.zh" + "chapter2.en" share "chapter", which names neither
    if size < len(a) and size < len(b) and shared and shared[-1] not in _STEM_SEPARATORS:
        cut = max(shared.rfind(ch) for ch in _STEM_SEPARATORS)
        shared = shared[:cut + 1] if cut >= 0 else ""
    return shared.strip(_STEM_SEPARATORS)


def output_stem(alignment: Alignment) -> str:
    """The file-name stem for outputs in a folder: the input's name (`readout.txt` -> `readout`); for two
    files, the stem they share (`chapter.zh.txt` + `chapter.en.txt` -> `chapter`), else the Chinese file's.
    Cut to MAX_STEM_BYTES at a character boundary."""
    path = alignment.document.meta.path
    stem = ""
    if path not in ("", "-"):
        pair = path.split(" + ")
        if len(pair) == 2:  # ingest names a pair of files "ZH + EN"
            stem = common_stem(*pair) or (Path(pair[0]).stem if pair[0] != "-" else "")
        else:
            stem = Path(path).stem
    stem = stem.encode("utf-8", "surrogateescape")[:MAX_STEM_BYTES].decode("utf-8", "ignore")
    return stem or "aligned"


def write(alignment: Alignment | list[Alignment], fmt_names: list[str], output: str | os.PathLike | None, *,
          protect: Iterable[str | os.PathLike] = (), stem: str | None = None) -> list[Path]:
    """Write `alignment` in each format; return the files written. No file is written over one of the
    `protect` paths (the inputs): an OutputError instead, before anything is written.

    One format: `output` is the file path (a folder is allowed too: the file goes inside it, named after
    the input; so is a path ending in "/", created if missing). Several formats: `output` is a folder, and
    each file is `<stem>.<extension>` in it. Either every file is written or none is (see `_write_all`).
    A list of alignments is written as one corpus per format (`Format.write_many`); `stem` names it.
    """
    alignments = list(alignment) if isinstance(alignment, list) else [alignment]
    if not alignments:
        raise FormatError("nothing to write: no document was given")
    chosen = [get(name) for name in dict.fromkeys(fmt_names)]  # check every name before writing anything
    if not chosen:
        raise FormatError(f"no format given: choose one or more of {', '.join(names())}")
    stem = stem or output_stem(alignments[0])
    if output is None:
        output = Path(".") if len(chosen) > 1 else Path(f"{stem}.{chosen[0].extension}")
    as_folder = str(output).endswith(("/", os.sep))
    target = Path(output)
    if len(chosen) == 1 and not target.is_dir() and not as_folder:
        return _write_all(alignments, [(chosen[0], target)], protect)
    if target.exists() and not target.is_dir():
        raise FormatError(f"{target} is a file; several formats need a folder: give --output FOLDER")
    return _write_all(alignments, [(fmt, target / f"{stem}.{fmt.extension}") for fmt in chosen], protect)


def check_target(target: Path, protect: Iterable[str | os.PathLike]) -> None:
    """Refuse to write `target` if it is a folder or one of the `protect` paths (the inputs)."""
    if target.is_dir():
        raise OutputError(f"{target} is a folder: remove it or choose another --output")
    for source in protect:
        if target.exists() and os.path.exists(source) and os.path.samefile(target, source):
            raise OutputError(f"{target} is one of the inputs: writing it would destroy the text; "
                              "choose another --output")


def _write_all(alignments: list[Alignment], targets: list[tuple[Format, Path]],
               protect: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Write each (format, path) into a staging folder beside the outputs, then rename every file into place.

    A format can refuse an alignment that another accepts (XML cannot hold a control character that JSONL
    escapes), and some formats are several files (moses, intertext): staging them all first means a refusal
    leaves no partial set of outputs, and a set from an earlier run is replaced whole or not at all.
    One file needs no staging: `atomic_write` is all or nothing already, and writes to a device or
    through a symbolic link where a staged rename would replace them.
    """
    protect = list(protect)
    if len(targets) == 1 and targets[0][0].single_file:
        fmt, path = targets[0]
        check_target(path, protect)
        return _surrogates_refused(fmt, lambda: _write_one(fmt, alignments, path))
    folder = targets[0][1].parent
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".duizhao-", dir=folder))
    try:
        staged: list[Path] = []
        for fmt, path in targets:
            staged.extend(_surrogates_refused(fmt, lambda: _write_one(fmt, alignments, staging / path.name)))  # noqa: B023 (called at once)
        for path in staged:  # every name checked before any file is replaced
            check_target(folder / path.name, protect)
        written = []
        for path in staged:
            target = folder / path.name
            if target.is_symlink() or (target.exists() and not target.is_file()):
                with open(path, "rb") as source, atomic_write(target, "wb") as out:
                    shutil.copyfileobj(source, out)  # through the link, or into the device
            else:
                with writing(target):
                    os.replace(path, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_one(fmt: Format, alignments: list[Alignment], path: Path) -> list[Path]:
    return fmt.write(alignments[0], path) if len(alignments) == 1 else fmt.write_many(alignments, path)


def _surrogates_refused(fmt: Format, write: Callable[[], list[Path]]) -> list[Path]:
    try:
        return write()
    except UnicodeEncodeError as err:
        # Lone surrogates: Python strings can hold them (a hand-built Alignment), UTF-8 cannot.
        raise FormatError(f"cannot write {fmt.name}: the alignment holds U+{ord(err.object[err.start]):04X}, "
                          "a lone surrogate that UTF-8 cannot store; remove it from the text") from None


# ---------------------------------------------------------------------------------------------------
# Helpers shared by the format modules.

def settings_of(alignment: Alignment) -> dict:
    """The reproducibility signature, always naming the duizhao version that wrote the file."""
    settings = dict(alignment.settings)
    settings.setdefault("duizhao", __version__)
    return settings


# The document facts worth carrying with every exported link (the chrome list is not: it is page junk).
PROVENANCE_FIELDS = ("title_zh", "title_en", "date", "source_url", "site", "path", "zh_script")


def provenance(meta: Metadata) -> dict:
    return {key: getattr(meta, key) for key in PROVENANCE_FIELDS}


def metadata_from(values: dict) -> Metadata:
    """Metadata back from a stored dict; unknown keys (from a newer version) are ignored."""
    known = {key: value for key, value in values.items() if key in Metadata.__dataclass_fields__}
    return Metadata(**known)


def require_file(path: Path) -> None:
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file: check the path")


def read_utf8(path: Path) -> str:
    """A text file's content, read as written: UTF-8 (a byte-order mark, as some editors add, is skipped),
    and no newline translation (a \r stays a \r)."""
    require_file(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); "
                          "duizhao writes and reads its formats in UTF-8") from err


# Characters XML 1.0 cannot hold at all, even escaped: C0 controls but tab and line ends, U+FFFE/U+FFFF,
# and lone surrogates (text built in Python can hold them; no encoded file can).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refuse_non_xml(text: str, where: str, fix: str = "remove it from the input, or export to jsonl or tsv") -> str:
    """`text` unchanged, or a FormatError if XML cannot store it: never silently drop the user's text."""
    bad = _NOT_XML.search(text)
    if bad:
        code = ord(bad.group())
        kind = "lone surrogate" if 0xD800 <= code <= 0xDFFF else "noncharacter" if code >= 0xFFFE else "control character"
        raise FormatError(f"{where} holds the {kind} U+{code:04X}, which XML cannot store; {fix}")
    return text


def escape_non_xml(text: str) -> str:
    """Metadata (a file name, a title) as XML can hold it: each character XML cannot store written as \\uXXXX.
    The bitext itself is refused instead (`refuse_non_xml`); a file name's control character is not worth
    losing the export for."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def split_at_offsets(joined: str, offsets: list[int], separator: str) -> list[str]:
    """The inverse of `sentence_offsets`: the sentences back from the joined text."""
    pieces = []
    for number, start in enumerate(offsets):
        end = offsets[number + 1] - len(separator) if number + 1 < len(offsets) else len(joined)
        pieces.append(joined[start:end])
    return pieces


def link_record(alignment: Alignment, bead: Bead) -> dict:
    """One link as a flat record: the JSONL line and the Parquet row (`Alignment.record`)."""
    return alignment.record(bead)


def alignment_from_records(records: list[dict], meta: Metadata, settings: dict, where: str) -> Alignment:
    """Rebuild an Alignment from link records (JSONL lines, Parquet rows).

    Sentence ids that no record covers (a filtered file) become empty sentences, so ids keep their meaning.
    """
    zh: dict[int, str] = {}
    en: dict[int, str] = {}
    beads = []
    for number, record in enumerate(records, 1):
        try:
            zh_ids = tuple(int(i) for i in record["zh_ids"])
            en_ids = tuple(int(i) for i in record["en_ids"])
            for ids, joined, offsets, separator, side in (
                (zh_ids, record["zh"], record.get("zh_offsets"), "", zh),
                (en_ids, record["en"], record.get("en_offsets"), " ", en),
            ):
                if offsets is None or len(offsets) != len(ids):
                    # No boundaries stored (a hand-made file): the whole text goes to the first sentence.
                    pieces = [joined] + [""] * (len(ids) - 1) if ids else []
                else:
                    pieces = split_at_offsets(joined, [int(o) for o in offsets], separator)
                side.update(zip(ids, pieces, strict=False))
            details = record.get("flag_details") or [{"type": t, "message": ""} for t in record.get("flags", [])]
            flags = [Flag(d["type"], d.get("message", ""), d.get("evidence", "")) for d in details]
            beads.append(Bead(zh_ids, en_ids, float(record["score"]), flags))
        except (KeyError, TypeError, ValueError) as err:
            raise FormatError(f"{where}: link {number} is not a duizhao link record ({err!r}); "
                              "each needs zh, en, zh_ids, en_ids and score") from err

    def sentences(side: dict[int, str]) -> list[Sentence]:
        size = max(side) + 1 if side else 0
        return [Sentence(side.get(i, ""), paragraph=0) for i in range(size)]

    return Alignment(Document(sentences(zh), sentences(en), meta), beads, settings)


def alignment_from_links(links: list[tuple[str, str, float, list[Flag]]], meta: Metadata,
                         settings: dict) -> Alignment:
    """Rebuild an Alignment from link-level texts (TSV rows, TMX units): one sentence per non-empty side."""
    zh: list[Sentence] = []
    en: list[Sentence] = []
    beads = []
    for zh_text, en_text, score, flags in links:
        zh_ids = (len(zh),) if zh_text else ()
        en_ids = (len(en),) if en_text else ()
        if zh_text:
            zh.append(Sentence(zh_text, paragraph=0))
        if en_text:
            en.append(Sentence(en_text, paragraph=0))
        beads.append(Bead(zh_ids, en_ids, score, flags))
    return Alignment(Document(zh, en, meta), beads, settings)
