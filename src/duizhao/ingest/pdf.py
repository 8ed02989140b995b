"""PDF through pypdf: the text layer of each page, with running headers, footers and page numbers removed.

- Page furniture: a line among the first or last HEAD_LINES of a page that recurs (digits ignored) on at
  least half of the pages (and on two or more) is a running header or footer; a bare page number
  ("12", "- 12 -", "第 12 页", "Page 12 of 40") there is dropped too.
- Paragraphs: pypdf's layout mode keeps vertical space, so a paragraph gap is a blank line; inside a
  paragraph a line that runs to the full width of the text, or is followed by one that starts in lower
  case, is wrapped and joined to the next (no space
  between Han characters, a hyphenated English word joined again), a shorter line ends the paragraph.
- An encrypted PDF that opens without a password is read; one that needs a password is refused, and so
  is a PDF without a text layer (a scan: it needs OCR first).
"""
from __future__ import annotations

import io
import unicodedata
from collections import Counter

import regex

from ..errors import InputError
from ..model import Source
from .layout import classify, split_bilingual
from .types import Side, join_lines

HEAD_LINES = 2
FULL_LINE = 0.8  # a line this share of the widest line's width or more is wrapped: it goes on below
_BLANK = regex.compile(r"\n\s*\n")
_LOWER_START = regex.compile(r"\p{Ll}")
_PAGE_NUMBER = regex.compile(
    r"^(?:[-–—\s]*\d{1,4}[-–—\s]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|"
    r"(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4}|[ivxlcdm]{1,6})$",
    regex.IGNORECASE)
_DIGITS = regex.compile(r"\d+")


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    return split_bilingual("\n\n".join(paragraphs_of(data, name)), name=name)


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    return Side(classify(paragraphs_of(data, name), lang))


def paragraphs_of(data: bytes, name: str) -> list[str]:
    """The paragraphs: lines between blank lines, a line joined to the next where it runs to the full
    width of the text (a wrapped line); a shorter line ends its paragraph (a heading, a paragraph's end)."""
    text = text_of(data, name)
    groups = [[line for line in block.split("\n") if line] for block in _BLANK.split(text)]
    full = max((_width(line) for group in groups for line in group), default=0) * FULL_LINE
    paragraphs: list[str] = []
    for group in groups:
        current: list[str] = []
        for k, line in enumerate(group):
            current.append(line)
            goes_on = k + 1 < len(group) and _LOWER_START.match(group[k + 1])  # "… as well as global / macro…"
            if _width(line) < full and not goes_on:
                paragraphs.append(join_lines(current))
                current = []
        if current:
            paragraphs.append(join_lines(current))
    return [p for p in paragraphs if p]


def _width(line: str) -> int:
    """Display width: a Han character or other wide character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def text_of(data: bytes, name: str) -> str:
    """The document's text, pages joined, page furniture removed; a blank line where the page shows a
    paragraph gap (pypdf's layout mode keeps vertical space)."""
    pages = [_lines(page) for page in page_texts(data, name)]
    if not any(line for lines in pages for line in lines):
        raise InputError(f"{name} has no text layer (a scanned document?): run OCR on it first "
                         "(e.g. ocrmypdf) and give the result")
    furniture = _furniture(pages)
    kept: list[str] = []
    for lines in pages:
        filled = [k for k, line in enumerate(lines) if line]
        edge = set(filled[:HEAD_LINES] + filled[-HEAD_LINES:])
        body = [line for k, line in enumerate(lines)
                if not (k in edge and (_key(line) in furniture or _PAGE_NUMBER.match(line)))]
        # A page break inside a paragraph is a line break like any other: the paragraph rules join it again.
        kept.append("\n".join(body).strip("\n"))
    return "\n".join(kept)


def page_texts(data: bytes, name: str) -> list[str]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    # pypdf logs a warning per odd page ("Rotated text discovered…"); a user needs none of them.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name} is encrypted with a password: save a copy without the password and give that")
        return [_page_text(page) for page in reader.pages]
    except FileNotDecryptedError as err:
        raise InputError(f"{name} is encrypted with a password: save a copy without the password and give that") from err
    except DependencyError as err:  # AES without the cryptography package
        raise InputError(f"{name} is encrypted ({err}): save a copy without encryption and give that") from err
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"{name} is a damaged PDF ({err}): open it in a PDF viewer and save it again") from err
    except Exception as err:  # pypdf meets malformed files with many kinds (IndexError, AttributeError, ...)
        raise InputError(f"{name} is a damaged PDF ({type(err).__name__}: {err}): "
                         "open it in a PDF viewer and save it again") from err


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode gives up on odd pages (fonts without widths, …): plain mode still reads them
        return page.extract_text() or ""


def _lines(page: str) -> list[str]:
    """The page's lines, stripped, empty ones kept (they mark paragraph gaps), runs of them made one."""
    lines: list[str] = []
    for line in page.splitlines():
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return lines


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) found at the top or bottom of at least half the pages, and of two or more."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line]
        counts.update({_key(line) for line in filled[:HEAD_LINES] + filled[-HEAD_LINES:]})
    return {key for key, count in counts.items() if count >= max(2, len(pages) / 2)}
