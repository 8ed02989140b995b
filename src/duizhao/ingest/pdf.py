"""PDF through pypdf: the text layer of each page, with running headers, footers and page numbers removed.

- Columns: pypdf's layout mode prints a multi-column page's columns side by side; blank gutters that
  run down the page cut it into columns, read one after the other.
- Page furniture: a line among the first or last HEAD_LINES of a page that recurs (digits ignored) on at
  least half of the pages (and on two or more) is a running header or footer; a bare page number
  ("12", "- 12 -", "第 12 页", "Page 12 of 40") there is dropped too.
- Paragraphs: pypdf's layout mode keeps vertical space, so a paragraph gap is a blank line; inside a
  paragraph lines are joined until a short line that ends a sentence (no space
  between Han characters, a hyphenated English word joined again), a shorter line ends the paragraph.
  Layout mode also keeps indentation: an indented line after a sentence's end starts a paragraph (Chinese
  documents indent each paragraph and often fill its last line), and a blank line after a full line
  that ends no sentence, before a line that is not indented, is loose line spacing inside a paragraph.
- An encrypted PDF that opens without a password is read; one that needs a password is refused, and so
  is a PDF without a text layer (a scan: it needs OCR first).
"""
from __future__ import annotations

import io
import unicodedata
from collections import Counter
from itertools import pairwise

import regex

from ..errors import InputError
from ..model import Source
from .layout import classify, split_bilingual
from .types import Side, join_lines

HEAD_LINES = 2
GUTTER_WIDTH = 3
FULL_LINE = 0.8  # a line this share of the text's width or more is wrapped: it goes on below
_BLANK = regex.compile(r"\n\s*\n")
_ENDS = regex.compile(r"(?:[。！？；!?.…:：;]|\.\.\.)[\"'”’」』）)\]》]*$")
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
    # The text's width: the 75th percentile of line widths (most lines of prose run full width; a page-wide
    # header over narrow columns must not set it).
    widths = sorted(_width(line) for group in groups for line in group)
    full = widths[len(widths) * 3 // 4] * FULL_LINE if widths else 0
    # A text that indents its paragraphs: two or more indented lines follow a sentence's end.
    indenting = sum(_indented(b) and bool(_ENDS.search(a)) for group in groups for a, b in pairwise(group)) >= 2
    paragraphs: list[str] = []
    current: list[str] = []
    for k, group in enumerate(groups):
        for line in group:
            # An indented line after a sentence's end starts a paragraph.
            if current and _indented(line) and _ENDS.search(current[-1]):
                paragraphs.append(join_lines(current))
                current = []
            current.append(line)
            # A paragraph ends on a short line that ends a sentence; a short line without final punctuation
            # is a justified line of long words or a heading's first half, and goes on.
            if _width(line) < full and _ENDS.search(line):
                paragraphs.append(join_lines(current))
                current = []
        # In a text that indents its paragraphs, a blank line after a full line that ends no sentence,
        # before a line that is not indented, is loose spacing inside a paragraph (a gap mid-sentence).
        after = groups[k + 1] if k + 1 < len(groups) else []
        if current and not (indenting and after and not _indented(after[0]) and _width(current[-1]) >= full
                            and not _ENDS.search(current[-1])):
            paragraphs.append(join_lines(current))
            current = []
    if current:
        paragraphs.append(join_lines(current))
    return [p for p in paragraphs if p]


def _indented(line: str) -> bool:
    return line[:1].isspace()


def _width(line: str) -> int:
    """Display width: a Han character or other wide character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line.strip())


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
        body = _dedent([line for k, line in enumerate(lines)
                        if not (k in edge and (_is_furniture(_key(line), furniture) or _PAGE_NUMBER.match(line.strip())))])
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
        return _columns(page.extract_text(extraction_mode="layout") or "")
    except Exception:
        return page.extract_text() or ""


def _columns(page: str) -> str:
    """A page laid out in columns, read column by column. Layout mode prints the columns side by side;
    a gutter is a run of GUTTER_WIDTH or more character positions, inside the page, that is blank on at
    least 90% of the lines, with text on both sides of it on most lines."""
    lines = page.split("\n")
    filled = [line for line in lines if line.strip()]
    if len(filled) < 8:
        return page
    width = max(len(line) for line in filled)
    blank = [sum(1 for line in filled if p >= len(line) or line[p] == " ") / len(filled) for p in range(width)]
    cuts: list[int] = []
    p = int(width * 0.1)
    while p < width * 0.9:
        if blank[p] < 0.9:
            p += 1
            continue
        end = p
        while end < width and blank[end] >= 0.9:
            end += 1
        left = sum(1 for line in filled if line[:p].strip()) / len(filled)
        right = sum(1 for line in filled if line[end:].strip()) / len(filled)
        if end - p >= GUTTER_WIDTH and left >= 0.5 and right >= 0.5:
            cuts.append((p + end) // 2)
        p = end
    if not cuts:
        return page
    # Lines across a gutter above or below the columns (running headers and footers) stay whole, at the
    # top or the bottom, where the furniture rules find them.
    spans = [any(c < len(line) and line[c] != " " for c in cuts) for line in lines]
    inside = [k for k, line in enumerate(lines) if line.strip() and not spans[k]]
    first, last = (inside[0], inside[-1]) if inside else (0, len(lines) - 1)
    bounds = [0, *cuts, None]
    body = lines[first:last + 1]
    columns = ["\n".join(_dedent([line[start:stop].rstrip() for line in body])) for start, stop in pairwise(bounds)]
    return "\n".join([*lines[:first], *columns, *lines[last + 1:]])


def _lines(page: str) -> list[str]:
    """The page's lines, their indentation kept, empty ones kept (they mark paragraph gaps), runs of them
    made one."""
    lines: list[str] = []
    for line in page.splitlines():
        line = line.rstrip() if line.strip() else ""
        if line or (lines and lines[-1]):
            lines.append(line)
    return lines


def _dedent(lines: list[str]) -> list[str]:
    """Lines with the indentation they all share removed: what is left marks an indented line."""
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[margin:] for line in lines]


def _key(line: str) -> str:
    """A line with its numbers masked and a page number at either end dropped: "47700 Federal Register/…"
    on even pages and "Federal Register/… 47699" on odd ones are the same running header."""
    return _DIGITS.sub("#", " ".join(line.split())).strip("# ")


def _is_furniture(key: str, furniture: set[str]) -> bool:
    """A running header or footer, or the start of one that a column's gutter cut short."""
    return key in furniture or (len(key) >= 12 and any(f.startswith(key) for f in furniture))


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) found at the top or bottom of at least half the pages, and of two or more."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line]
        counts.update({_key(line) for line in filled[:HEAD_LINES] + filled[-HEAD_LINES:]})
    return {key for key, count in counts.items() if count >= max(2, len(pages) / 2)}
