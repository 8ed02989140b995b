"""A one- or two-language text cut into paragraphs: lines, with a hard-wrapped line joined to the line it
continues and other lines (headings, dates, labels, nav bars) standing alone; a line that holds both languages
is cut into its runs first."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

from .chrome import (
    ENDS_SENTENCE,
    LANGUAGE_LABEL,
    URL,
    cut_at_byline,
    cut_at_datelines,
    is_chrome_label,
    is_date,
    is_navigation,
    opens_with_date,
)
from .script import Script, han_count, language_runs

_LINE_BREAK = regex.compile(r"\r\n|\r|\n")
_ASCII_WORD_CHAR = regex.compile(r"[A-Za-z0-9]")

ENDS_WITH_COLON = regex.compile(r"[:：]$")

# Hard-wrapped Chinese: a line of this many Han characters (or more) that stops mid-sentence goes on in
# the next line.
_WRAP_MIN_HAN = 20
_WRAP_SLACK = 2  # characters a wrapped line may fall short of the next one (a closing quote, a half-width pair)
# An English line that ends in a word no phrase ends in (a possessive, an article, a preposition, a conjunction)
# goes on in the next line, capitalised or not: "Foreign Ministry Spokesperson Wang Wenbin’s" / "Regular Press
# Conference on August 19, 2022".
_OPEN_ENDED = regex.compile(r"(?:\p{L}['’]s|\b(?:the|a|an|of|to|for|and|or|on|at|in|with|by|from))$")  # "Plan A" ends
# Hard-wrapped English blocks: lines at least this long, varying by at most this share of the longest.
_WRAP_MIN_WIDTH = 50
_WRAP_WIDTH_SPREAD = 0.35


@dataclass
class Block:
    """One paragraph candidate while the layout is being worked out."""

    text: str
    script: Script
    lines: list[str] = field(default_factory=list)
    bilingual_line: bool = False  # cut from a line that held both languages: its script is certain
    line: int = -1  # the number of the input line it started on


def split_lines(text: str) -> list[str]:
    r"""Lines ended by \n, \r\n or \r only (str.splitlines also cuts at U+2028, \x1c, \x85, ...)."""
    return _LINE_BREAK.split(text)


def paragraph_texts(text: str) -> list[str]:
    """The paragraphs of a one-language text: blank lines separate them, and inside a block a line that
    continues a hard-wrapped sentence is joined to it while other lines (headings, dates) stand alone."""
    return [block.text for block in blocks(text)]


def blocks(text: str) -> list[Block]:
    """Non-empty lines, with a hard-wrapped line joined to the line it continues."""
    found: list[Block] = []
    pieces: list[list[str]] = []  # each block's lines with their joiners, joined once at the end (linear time)
    for group in _blank_separated(text):
        wrapped = _wrapped_lines(group)
        for index, (line, script, line_number) in enumerate(group):
            bilingual = line_number >= 0
            last = found[-1] if index else None
            if last is not None and not bilingual and not last.bilingual_line \
                    and (index in wrapped or _continues(last, line, script)):
                # Chinese lines join with nothing, unless the break falls between two Latin words or numbers.
                between_words = _ASCII_WORD_CHAR.match(last.lines[-1][-1]) and _ASCII_WORD_CHAR.match(line[0])
                pieces[-1].append(" " if script == "en" or between_words else "")
                pieces[-1].append(line)
                last.lines.append(line)
            else:
                found.append(Block(text=line, script=script, lines=[line], bilingual_line=bilingual,
                                     line=line_number))
                pieces.append([line])
    for block, parts in zip(found, pieces, strict=True):
        if len(parts) > 1:
            block.text = "".join(parts)
    return found


def _blank_separated(text: str) -> list[list[tuple[str, Script, int]]]:
    """Groups of consecutive non-empty lines (stripped, cut into runs of one language, each with its script
    and its line's number if that line held both languages, else -1), split at blank lines."""
    groups: list[list[tuple[str, Script, int]]] = [[]]
    # A byline flattened into a headline is looked for only where a page's head stands: its first non-empty line,
    # and every line once a line was cut at a dateline (a page flattened side by side, one line a side); elsewhere
    # "Last Friday Chancellor Olaf Scholz, President Macron and …" is a sentence.
    first = True  # the page's first non-empty line is still to come
    flattened = False  # a line was cut at a dateline
    for number, raw in enumerate(split_lines(text)):
        line = raw.strip()  # also strips no-break and ideographic spaces: layout, not content
        dated = cut_at_datelines(line)
        flattened = flattened or len(dated) > 1
        pieces = [cut for piece in dated for cut in cut_at_byline(piece)] if first or flattened else dated
        first = first and not line
        if len(pieces) > 1:  # a flattened page: each piece is a block of its own
            if groups[-1]:
                groups.append([])
            for piece in pieces:
                runs = language_runs(piece)
                groups[-1].extend((run, script, number if len(runs) > 1 else -1) for run, script in runs)
                groups.append([])
        elif line:
            runs = language_runs(line)  # a line holding both languages is cut into runs
            groups[-1].extend((run, script, number if len(runs) > 1 else -1) for run, script in runs)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _wrapped_lines(group: list[tuple[str, Script, int]]) -> set[int]:
    """The indices of the lines in `group` that go on from the line above as hard-wrapped prose: each run of
    consecutive lines of one language (English prose wrapped over several lines, each paragraph followed by its
    Chinese on a line of its own, with no blank line anywhere; or a Chinese paragraph wrapped as a PDF's
    lines) that `_looks_wrapped`."""
    if all(script == "en" and number < 0 for _, script, number in group):
        return set(range(1, len(group))) if _looks_wrapped(group) else set()
    found: set[int] = set()
    start = 0
    for end in range(1, len(group) + 1):
        if end < len(group) and group[end][1] == group[start][1] and group[end][2] < 0 and group[start][2] < 0:
            continue
        stretch = group[start:end]
        # Inside a page of both languages, lines that each end a sentence are paragraphs one a line, however
        # alike their widths: wrapped lines stop mid-sentence, but for the odd one.
        ends = sum(bool(ENDS_SENTENCE.search(line)) for line, _, _ in stretch[:-1])
        if stretch[0][1] in ("en", "zh") and stretch[0][2] < 0 and _looks_wrapped(stretch, stretch[0][1]) \
                and ends * 3 <= len(stretch) - 1:
            found.update(range(start + 1, end))
        start = end
    return found


def _width(line: str) -> int:
    """A line's width in columns: a Han character (or any wide or full-width one) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _looks_wrapped(group: list[tuple[str, Script, int]], script: Script = "en") -> bool:
    """Prose hard-wrapped at a fixed width: three or more lines, all but the last long and of about the same
    width (in columns, a Han character two). Such lines join even where the next one starts with a capital
    ("...met with / PRC Director...") or a bracket; a title over headings never has that shape."""
    if len(group) < 3 or any(s != script or number >= 0 for _, s, number in group):
        return False
    widths = [_width(line) for line, _, _ in group[:-1]]
    minimum = _WRAP_MIN_WIDTH if script == "en" else 2 * _WRAP_MIN_HAN
    return (min(widths) >= minimum and max(widths) - min(widths) <= _WRAP_WIDTH_SPREAD * max(widths)
            and _width(group[-1][0]) <= max(widths) + 2)


def _continues(last: Block, line: str, script: Script) -> bool:
    """Whether `line` goes on with the paragraph of the line just above it (no blank line between).

    Only the paragraph's last line is looked at (`last.text` is its first line until the paragraph is done):
    a paragraph of many wrapped lines costs linear time. A paragraph of several lines is no URL, label or nav
    bar: such a line never had a line joined to it."""
    if script != last.script or script == "none":
        return False
    tail = last.lines[-1]
    if ENDS_SENTENCE.search(tail) or ENDS_WITH_COLON.search(tail):
        return False
    if len(last.lines) == 1 and (URL.fullmatch(tail) or is_chrome_label(tail) or is_navigation(tail)
                                 or LANGUAGE_LABEL.fullmatch(tail)):
        return False
    if is_date(line) or opens_with_date(line) or URL.fullmatch(line) or is_navigation(line):
        return False
    # A language label ("zh", "English", "中文") names what follows: it is never a wrapped sentence's start or end.
    if LANGUAGE_LABEL.fullmatch(line):
        return False
    if script == "en":  # a wrapped sentence goes on in lower case; a heading is never followed so
        return bool(regex.match(r"\p{Ll}", line)) or bool(_OPEN_ENDED.search(tail))
    # A wrapped line is at least about as wide as the line that goes on from it; a heading over a longer
    # line is not wrapped ("谢锋大使在…主旨演讲" over "相互尊重、…相处之道").
    return han_count(last.lines[-1]) >= _WRAP_MIN_HAN and len(last.lines[-1]) + _WRAP_SLACK >= len(line)
