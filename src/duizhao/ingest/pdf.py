"""PDF through pypdf: the text layer of each page, with running headers, footers and page numbers removed.

- Page furniture: a line among the first or last HEAD_LINES of a page that recurs (digits ignored) on at
  least half of the pages (and on two or more) is a running header or footer; a bare page number
  ("12", "- 12 -", "第 12 页", "Page 12 of 40") there is dropped too.
- Lines are joined back into paragraphs by the same rules as a wrapped text file (`layout`): no space
  between Han characters, a hyphenated English word joined again.
- An encrypted PDF that opens without a password is read; one that needs a password is refused, and so
  is a PDF without a text layer (a scan: it needs OCR first).
"""
from __future__ import annotations

import io
from collections import Counter

import regex

from ..errors import InputError
from ..model import Source
from .layout import classify, paragraph_texts, split_bilingual
from .types import Side

HEAD_LINES = 2
_PAGE_NUMBER = regex.compile(
    r"^(?:[-–—\s]*\d{1,4}[-–—\s]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|"
    r"(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4}|[ivxlcdm]{1,6})$",
    regex.IGNORECASE)
_DIGITS = regex.compile(r"\d+")
_HYPHEN_BREAK = regex.compile(r"(\p{L})-\n(\p{Ll})")


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    return split_bilingual(text_of(data, name), name=name)


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    text = text_of(data, name)
    return Side(classify(paragraph_texts(text), lang))


def text_of(data: bytes, name: str) -> str:
    """The document's text, pages joined, page furniture removed."""
    pages = [_lines(page) for page in page_texts(data, name)]
    if not any(pages):
        raise InputError(f"{name} has no text layer (a scanned document?): run OCR on it first "
                         "(e.g. ocrmypdf) and give the result")
    furniture = _furniture(pages)
    kept: list[str] = []
    for lines in pages:
        edge = set(range(min(HEAD_LINES, len(lines)))) | set(range(max(0, len(lines) - HEAD_LINES), len(lines)))
        body = [line for k, line in enumerate(lines)
                if not (k in edge and (_key(line) in furniture or _PAGE_NUMBER.match(line)))]
        kept.append("\n".join(body))
    # A page break inside a paragraph is a line break like any other: the paragraph rules join it again.
    return _HYPHEN_BREAK.sub(r"\1\2", "\n".join(kept))


def page_texts(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is encrypted with a password: save a copy without the password and give that")
        return [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as err:
        raise InputError(f"{name} is encrypted with a password: save a copy without the password and give that") from err
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"{name} is a damaged PDF ({err}): open it in a PDF viewer and save it again") from err
    except DependencyError as err:  # AES without the cryptography package
        raise InputError(f"{name} is encrypted ({err})") from err


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) found at the top or bottom of at least half the pages, and of two or more."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = lines[:HEAD_LINES] + lines[-HEAD_LINES:]
        counts.update({_key(line) for line in edge})
    return {key for key, count in counts.items() if count >= max(2, len(pages) / 2)}
