"""Bytes → text: the encoding is detected from the content, never from the file name.

Order of evidence: a byte-order mark; BOM-less UTF-16 (every other byte NUL); strict UTF-8; then the
legacy Chinese encodings, GB18030 (a superset of GBK/GB2312) against Big5, chosen by which reads as
more *common* Chinese characters. Anything else that is not text is refused with a one-line reason.
"""
from __future__ import annotations

import codecs
import functools
import os
import sys
from pathlib import Path

import regex

from ..chinese import HAN as _HAN
from ..errors import InputError

# What to give instead of a file that is not text (types.py names each type in full).
SUPPORTED_FILES = "a text, HTML, Word, EPUB, PDF, subtitle, XLIFF or PO file"

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MB: a bilingual page or a book pair is far smaller

# Decoding the whole of a large file under every candidate would read it several times; the candidates
# are scored on this much of the start, and only the winner decodes everything.
_SAMPLE_BYTES = 64 * 1024

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0/C1 controls other than tab, newline, carriage return and form feed never occur in text.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
_NOT_TEXT = regex.compile(r"[\p{Co}\p{Cn}\p{Cc}\ufffd--[\t\n\r\f]]", regex.V1)


def read_bytes(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file ("-" = stdin) once, refusing it before reading if it is over `max_bytes`."""
    if str(path) == "-":
        # stdin has no size to stat: read one byte more than allowed to know whether it is over.
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"standard input is over the {size_text(max_bytes)} limit: "
                             "split the input, or raise the limit (max_bytes)")
        return data
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file: check the path")
    if file.is_dir():
        raise InputError(f"{file} is a folder, not a file: give one document")
    size = file.stat().st_size
    if size > max_bytes:
        raise InputError(f"{file} is {size_text(size)}, over the {size_text(max_bytes)} limit: "
                         "split it into documents, or raise the limit (max_bytes)")
    try:
        # A device or a pipe (/dev/zero, <(zcat …)) has no size to stat: read one byte more than allowed.
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"{file}: cannot be read ({err.strerror}): check its permissions") from err
    if len(data) > max_bytes:
        raise InputError(f"{file} is over the {size_text(max_bytes)} limit: "
                         "split it into documents, or raise the limit (max_bytes)")
    return data


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise InputError for binary, empty or undecodable input."""
    if not data or data.isspace():  # isspace, unlike strip, copies nothing of a large input
        raise InputError("the input is empty: give a file with Chinese and English text")
    text, encoding = _decode(data)
    control = _CONTROL.search(text)
    if control:
        raise InputError(f"the input looks binary (control byte {ord(control.group()):#04x} at "
                         f"character {control.start()}), not text: give {SUPPORTED_FILES}")
    if not text or text.isspace():
        raise InputError("the input is empty: give a file with Chinese and English text")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec), codec.replace("-sig", " with BOM")
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16), utf16
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"the input looks binary (NUL byte at offset {nul}), not text: "
                         f"give {SUPPORTED_FILES}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if _mostly_utf8(data):
            # Guessing a legacy encoding here would turn every Chinese character into mojibake.
            raise InputError(f"the input is UTF-8 except for an invalid byte at offset {err.start}: "
                             "repair that byte or save the file again as UTF-8") from err
    legacy = _best_legacy_codec(data)
    if legacy is None:
        raise InputError("the input is not UTF-8, UTF-16, GB18030/GBK or Big5 text: "
                         "save it as UTF-8 and try again")
    return _strict(data, legacy), legacy


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"the input starts like {codec} but byte {err.start} is not valid {codec}: "
                         "save it as UTF-8 and try again") from err


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows NULs in the high byte of ASCII characters: all at odd offsets (LE) or
    all at even ones (BE). Binary data has NULs scattered over both."""
    sample = data[:_SAMPLE_BYTES]
    if len(sample) < 4 or (len(sample) % 2 and len(data) <= _SAMPLE_BYTES):
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        # Chinese-heavy text has few ASCII characters, so few NULs, and Han characters such as 一 (U+4E00)
        # put a NUL on the other side: a clear majority on one side suffices, given that the reading
        # below is clean text (binary data has NULs on both sides alike).
        if nuls >= max(2, pairs * 0.005) and other <= nuls * 0.25:
            whole = sample[: pairs * 2]
            try:
                text = whole.decode(codec)
            except UnicodeDecodeError as err:
                if err.start < len(whole) - 2:
                    continue  # a broken surrogate inside the sample: not UTF-16
                text = whole[: err.start].decode(codec)  # the sample's end cut a surrogate pair
            if not _CONTROL.search(text) and len(_NOT_TEXT.findall(text)) * 100 <= len(text):
                return codec
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Many well-formed multi-byte UTF-8 characters and only a few bad bytes: damaged UTF-8, not GBK."""
    text = data[:_SAMPLE_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good >= 8 and bad * 20 <= good


def _best_legacy_codec(data: bytes) -> str | None:
    """GB18030 decodes almost any byte string, Big5 text included, so success alone proves nothing:
    keep the candidate whose Chinese characters are mostly common ones."""
    sample = data[:_SAMPLE_BYTES]
    best, best_score = None, None
    for codec in ("gb18030", "big5", "cp950"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError as err:
            if len(data) == len(sample) or err.start < len(sample) - 4:
                continue  # only a character cut by the sample's own end is forgiven
            text = sample[: err.start].decode(codec)
        score = _plausibility(text)
        if best_score is None or score > best_score:
            best, best_score = codec, score
    if best == "cp950":  # cp950 is Big5 plus Microsoft's extensions; name it by the family
        try:
            data.decode("big5")
            best = "big5"
        except UnicodeDecodeError:
            pass
    return best


def _plausibility(text: str) -> int:
    """Common Chinese characters count for a reading, rare ones and non-characters against it.

    Big5 punctuation read as GB18030 lands in the private-use area, and GB text read as Big5 lands among
    rare characters, so the wrong reading loses even on a short line. On a true tie GB18030 wins, being
    listed first.
    """
    han = _HAN.findall(text)
    common = sum(1 for ch in han if _is_common_hanzi(ch))
    rare = len(han) - common
    return 2 * common - rare - 4 * len(_NOT_TEXT.findall(text))


@functools.lru_cache(maxsize=32768)
def _is_common_hanzi(ch: str) -> bool:
    """In GB2312 (the 6,763 common Simplified characters) or Big5 level 1 (5,401 common Traditional)."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        code = int.from_bytes(ch.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= code <= 0xC67E


def size_text(n: int) -> str:
    """A size for messages: "60 MB", "1.5 KB", "12 bytes"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


_CHARSET_DECLARATION = regex.compile(rb"<meta[^>]{0,200}charset[^>]{0,200}>|^<\?xml[^>]{0,200}\?>", regex.IGNORECASE)


def text_id(data: bytes) -> str | None:
    """The identity of a document's text whatever its encoding: "text:" and the SHA-256 of its decoded text
    (line ends unified, the HTML/XML charset declaration left out), or None if it cannot be decoded.
    `io.content_id` names the bytes; this names what they say (the same page in GBK and in UTF-8)."""
    import hashlib

    try:
        text, _ = decode(data)
    except InputError:
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    unified = _CHARSET_DECLARATION.sub(b"", text.encode("utf-8"))
    return "text:" + hashlib.sha256(unified).hexdigest()
