"""Input types: which reader takes a file, decided by its content first and its extension second.

Each document type has one module under `duizhao.ingest` (imported only when such a file arrives) with
two entry points:
- `read_bilingual(data, name, max_bytes) -> Source`: one file that holds both languages;
- `read_side(data, name, lang, max_bytes) -> Side`: one language of a pair of files.

Plain text and HTML keep their own path in `duizhao.ingest` (`load_text`). Anything else gets one line
that names what the file is and the types that are supported.
"""
from __future__ import annotations

import importlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NoReturn, Protocol

import regex

from ..errors import InputError
from ..model import Paragraph, Source
from .encoding import size_text


@dataclass(frozen=True)
class InputType:
    name: str
    label: str  # for people: "Word (.docx)"
    extensions: tuple[str, ...]
    module: str  # the module under duizhao.ingest that reads it; "" for text and HTML (load_text)


TYPES: dict[str, InputType] = {t.name: t for t in (
    InputType("text", "plain text", (".txt", ".text", ".md"), ""),
    InputType("html", "HTML", (".html", ".htm", ".xhtml"), ""),
    InputType("docx", "Word (.docx)", (".docx",), "docx"),
    InputType("epub", "EPUB", (".epub",), "epub"),
    InputType("pdf", "PDF", (".pdf",), "pdf"),
    InputType("srt", "SubRip subtitles (.srt)", (".srt",), "subtitles"),
    InputType("vtt", "WebVTT subtitles (.vtt)", (".vtt",), "subtitles"),
    InputType("xliff", "XLIFF", (".xlf", ".xliff", ".sdlxliff", ".mqxliff"), "cat"),
    InputType("po", "gettext PO", (".po", ".pot"), "cat"),
)}

SUPPORTED = "plain text, HTML, Word (.docx), EPUB, PDF, SubRip (.srt), WebVTT (.vtt), XLIFF, PO"


@dataclass
class Side:
    """One language of a pair of files, as a reader found it."""

    paragraphs: list[Paragraph]
    # A book's chapters (EPUB): how many paragraphs each chapter has, in order; empty for other types.
    chapters: list[int] = field(default_factory=list)
    encoding: str = "utf-8"
    title: str = ""
    date: str = ""
    presegmented: bool = False  # each paragraph is one unit to align as it is (a subtitle cue)


class Reader(Protocol):
    def read_bilingual(self, data: bytes, name: str, max_bytes: int) -> Source: ...

    def read_side(self, data: bytes, name: str, lang: str, max_bytes: int) -> Side: ...


# What a file is when duizhao cannot read it, by its first bytes and, for zips, by a member it holds.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"BM", "a BMP image"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"), (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls) or a password-protected Office file"),
)
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"), ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
)
_OPENDOCUMENT = b"application/vnd.oasis.opendocument"
# By extension alone: what duizhao refuses even when the content looks like text.
_REFUSED_EXTENSIONS = {
    ".xlsx": "an Excel workbook (.xlsx)", ".xls": "an Excel workbook (.xls)", ".doc": "an old Word document (.doc)",
    ".odt": "an OpenDocument text (.odt)", ".ods": "an OpenDocument spreadsheet (.ods)",
    ".pptx": "a PowerPoint file (.pptx)", ".rtf": "an RTF document", ".pages": "a Pages document",
    ".zip": "a zip archive", ".mobi": "a Kindle book (.mobi)", ".azw3": "a Kindle book (.azw3)",
}
_FIX = {  # what to do instead, where there is a one-step fix
    "an old Word document (.doc)": "save it as .docx",
    "an OpenDocument text (.odt)": "save it as .docx",
    "an RTF document": "save it as .docx",
    "an old Office file (.doc/.xls) or a password-protected Office file": "remove any password and save it as .docx",
}

_SRT = regex.compile(r"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_VTT = regex.compile(r"\A(?:\ufeff)?WEBVTT(?:[ \t]|\r?\n|\Z)")
_XLIFF = regex.compile(r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<xliff\b", regex.DOTALL)
_PO = regex.compile(r'^msgid\s+"', regex.MULTILINE)
_PO_STR = regex.compile(r'^msgstr(?:\[\d+\])?\s+"', regex.MULTILINE)


def sniff(data: bytes, name: str, *, max_bytes: int) -> str:
    """The input type of a file (a key of TYPES), by content first and extension second; "text" covers
    HTML too (load_text tells them apart). Raise InputError, naming the supported types, for the rest."""
    label = _label(name)
    extension = PurePath(name).suffix.lower() if name != "-" else ""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_type(data, label, max_bytes)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if what.startswith("an old Office") and extension == ".docx":
                raise InputError(f"{label} is a password-protected Word file: remove the password in Word and save it again")
            _refuse(label, what)
    head = data[:4096].decode("utf-8", errors="ignore")
    if _VTT.match(head):
        return "vtt"
    if _SRT.match(head.lstrip("\ufeff")):
        return "srt"
    if _XLIFF.match(head):
        return "xliff"
    if _PO.search(head) and _PO_STR.search(head):
        return "po"
    if extension in _REFUSED_EXTENSIONS:
        _refuse(label, _REFUSED_EXTENSIONS[extension])
    for kind in TYPES.values():
        if kind.module and extension in kind.extensions:
            if kind.name in _BINARY and _is_text(data):
                return "text"  # a text file saved under a .docx name is read as text
            return kind.name  # e.g. a .srt or .docx that does not open like one: its reader says what is wrong
    return "text"


_BINARY = frozenset({"docx", "epub", "pdf"})


def _is_text(data: bytes) -> bool:
    from .encoding import decode

    try:
        decode(data)
    except InputError:
        return False
    return True


def reader(kind: str) -> Reader:
    module = importlib.import_module(f"duizhao.ingest.{TYPES[kind].module}")
    return module


def open_zip(data: bytes, label: str, max_bytes: int) -> zipfile.ZipFile:
    """A zip-based document, refused if damaged, encrypted or bigger unpacked than the size limit
    (a zip bomb unpacks to thousands of times its size)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise InputError(f"{label} is a damaged zip file ({err}): open it in its application and save it again") from err
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise InputError(f"{label} unpacks to {size_text(unpacked)}, over the {size_text(max_bytes)} limit: "
                         "split the document, or raise the limit (max_bytes)")
    if any(member.flag_bits & 0x1 for member in members):
        raise InputError(f"{label} is encrypted: remove the password and save it again")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, label: str) -> bytes:
    try:
        return archive.read(member)
    except KeyError as err:
        raise InputError(f"{label} has no {member}: it is not a valid document; save it again") from err
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as err:
        raise InputError(f"{label} is a damaged zip file ({err}): open it in its application and save it again") from err


def _zip_type(data: bytes, label: str, max_bytes: int) -> str:
    archive = open_zip(data, label, max_bytes)
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "META-INF/container.xml" in names and (
            "mimetype" not in names or read_member(archive, "mimetype", label).strip() == b"application/epub+zip"):
        return "epub"
    if "mimetype" in names and read_member(archive, "mimetype", label).startswith(_OPENDOCUMENT):
        _refuse(label, "an OpenDocument file (.odt/.ods)")
    for member, what in _ZIP_KINDS:
        if member in names:
            _refuse(label, what)
    _refuse(label, "a zip archive")


def _refuse(label: str, what: str) -> NoReturn:
    fix = _FIX.get(what)
    raise InputError(f"{label} is {what}, which duizhao does not read: "
                     + (f"{fix}, or give " if fix else "give ") + f"one of {SUPPORTED}")


def _label(name: str) -> str:
    return "standard input" if name == "-" else name


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph joined: nothing between two Han characters (or CJK punctuation), a space
    elsewhere; an English word hyphenated across the break is joined again."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if not text:
            text = line
        elif _HYPHENATED.search(text) and regex.match(r"\p{Ll}", line):
            text = text[:-1] + line
        elif _WIDE.search(text[-1]) or _WIDE.match(line[0]):
            text += line
        else:
            text += " " + line
    return text


_HYPHENATED = regex.compile(r"\p{L}-$")
_WIDE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f\uff00-\uffef]")
