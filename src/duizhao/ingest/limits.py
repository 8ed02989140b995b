"""Structural limits on one document, checked before the work that grows with them.

The byte limit (`DEFAULT_MAX_BYTES`, 50 MB) bounds memory, not time: 24 MB of tiny HTML paragraphs is
470,000 paragraphs, and every stage after reading (the page's layout, sentence splitting, the aligner, the
checks) does work for each. A document of more than `MAX_SIDE_PARAGRAPHS` paragraphs a side would be
refused anyway once split into sentences (each paragraph gives at least one sentence, and the pipeline
takes at most 50,000 a side, `pipeline.MAX_SENTENCES`): these limits refuse it in seconds instead of
minutes, before the costly stages, with the same fix.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import regex

from ..errors import InputError

# Paragraphs of one side: the pipeline's sentence limit, since a paragraph holds at least one sentence.
MAX_SIDE_PARAGRAPHS = 50_000
# Paragraph candidates of both sides together before page chrome is set aside: both sides at the limit,
# plus room for the chrome of a very long page.
MAX_BLOCKS = 2 * MAX_SIDE_PARAGRAPHS + 20_000
# Non-empty lines of a text: hard-wrapped prose has several lines per paragraph, so this is looser (a side of
# 50,000 sentences wrapped at 40 characters is about 125,000 lines).
MAX_LINES = 4 * MAX_BLOCKS
# HTML elements that hold a block of text (<p>, <li>, <td>, a heading, <br>): counted in the raw page before
# the HTML reader, whose time grows with them. Twice the blocks: a paragraph often counts twice (<td><p>, <br><br>),
# and the paragraph limit after reading still holds.
MAX_HTML_BLOCKS = 2 * MAX_BLOCKS
_HTML_BLOCK_TAG = regex.compile(r"<(?:p|li|td|th|dd|dt|h[1-6]|br|pre|blockquote|caption|figcaption)[\s/>]",
                                regex.IGNORECASE)
_NON_EMPTY_LINE = regex.compile(r"^[^\S\n]*\S", regex.MULTILINE)

_FIX = ("split it into documents (one per article or chapter) and align them with `duizhao batch`, or raise the "
        "limit with `duizhao align --max-sentences N` where the machine has the memory")
# A larger (or smaller) limit for the work inside `document_limit`: `duizhao align --max-sentences`.
_CHOSEN: ContextVar[int | None] = ContextVar("duizhao_document_sentences", default=None)


@contextmanager
def document_limit(sentences: int | None) -> Iterator[None]:
    """Documents of up to `sentences` sentences (and paragraphs) a side inside the block (None: the defaults),
    the other structural limits scaled with it. Memory grows with the sentences: 100,000 a side took 2.9 GB with --fast
    (BENCHMARKS.md, "Memory")."""
    token = _CHOSEN.set(sentences)
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def chosen_limit() -> int | None:
    """The sentences a side that `document_limit` allows here, or None for the defaults."""
    return _CHOSEN.get()


def side_paragraphs() -> int:
    return _CHOSEN.get() or MAX_SIDE_PARAGRAPHS


def blocks() -> int:
    return MAX_BLOCKS if _CHOSEN.get() is None else 2 * side_paragraphs() + 20_000


def lines() -> int:
    return 4 * blocks()


def html_blocks() -> int:
    return 2 * blocks()


def refuse_many(count: int, limit: int, what: str, label: str) -> None:
    """One line naming the count, the limit and the fix, when `count` is over `limit`."""
    if count > limit:
        raise InputError(f"{label} has {count:,} {what}, over the limit of {limit:,} for one document "
                         f"(the work grows with them): {_FIX}")


def check_lines(text: str, label: str) -> None:
    """Refuse a text of more non-empty lines than any document under the sentence limit has (a million
    one-word lines), before the layout is read line by line."""
    if text.count("\n") >= lines():  # only then count the non-empty ones (blank lines cost nothing later)
        refuse_many(sum(1 for _ in _NON_EMPTY_LINE.finditer(text)), lines(), "lines", label)


def check_html(html: str, label: str) -> None:
    """Refuse an HTML page of more text blocks than any document under the sentence limit has (an "HTML
    bomb" of tiny paragraphs), before the HTML reader parses it."""
    count = sum(1 for _ in _HTML_BLOCK_TAG.finditer(html))
    refuse_many(count, html_blocks(), "HTML text blocks (<p>, <li>, <td>, <br>…)", label)
