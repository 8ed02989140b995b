"""EPUB through ebooklib: the chapters in spine order, their text blocks as paragraphs.

Navigation documents, the table of contents, the cover and spine items marked non-linear are left out;
so are <nav>, <script> and <style> inside a chapter. h1–h6 become headings. Two editions of a book
(`align --zh a.epub --en b.epub`) have their chapters paired before sentences are aligned
(`chapters.pair_chapters`); one EPUB holding both languages goes through the side split of a mixed text.
"""
from __future__ import annotations

import io

import regex

from ..errors import InputError
from ..model import Kind, Paragraph, Source
from .layout import classify, parse_date, split_bilingual
from .types import Side, join_lines, open_zip

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "th", "dt", "dd",
                     "pre", "figcaption", "caption", "section", "article"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_DROPPED = ("nav", "script", "style", "head")
_NOT_CHAPTER = regex.compile(r"(?:^|/)(?:cover|toc|nav|titlepage)[^/]*$", regex.IGNORECASE)
_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    chapters, _, _ = _chapters(data, name, max_bytes)
    texts = [text for chapter in chapters for text, _ in chapter]
    return split_bilingual("\n\n".join(texts), name=name)


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    chapters, title, date = _chapters(data, name, max_bytes)
    paragraphs: list[Paragraph] = []
    counts: list[int] = []
    for chapter in chapters:
        classified = classify([text for text, _ in chapter], lang)
        # A chapter's leading unpunctuated lines are its title; otherwise h1-h6 are headings.
        paragraphs.extend(Paragraph(p.text, p.kind if p.kind in ("title", "date", "byline") else kind or p.kind)
                          for p, (_, kind) in zip(classified, chapter, strict=True))
        counts.append(len(chapter))
    return Side(paragraphs, chapters=counts, title=title, date=date)


def _chapters(data: bytes, name: str, max_bytes: int) -> tuple[list[list[tuple[str, Kind | None]]], str, str]:
    """Each chapter's (text, kind from its tag) blocks, chapters without text left out; the book's title
    and date."""
    open_zip(data, name, max_bytes)
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as err:  # ebooklib raises EpubException, KeyError, lxml errors, ...
        lines = str(err).strip().splitlines() or [type(err).__name__]
        raise InputError(f"{name} is not a valid EPUB ({lines[0]}): open it in an e-book editor and save it again") from err
    chapters = []
    for entry in book.spine:
        idref, linear = entry if isinstance(entry, tuple) else (entry, "yes")
        item = book.get_item_with_id(idref)
        if item is None or linear == "no" or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        if isinstance(item, epub.EpubNav) or "nav" in (getattr(item, "properties", None) or []) \
                or _NOT_CHAPTER.search(item.get_name()):
            continue
        blocks = _blocks(item.get_content(), name)
        if blocks:
            chapters.append(blocks)
    if not chapters:
        raise InputError(f"{name} has no text in its chapters: give an EPUB whose chapters hold text "
                         "(a book of scanned page images needs OCR first)")
    title = _first(book.get_metadata("DC", "title"))
    date = parse_date(_first(book.get_metadata("DC", "date")))
    return chapters, title, date


def _blocks(content: bytes, name: str) -> list[tuple[str, Kind | None]]:
    import lxml.etree
    import lxml.html

    if not content.strip():
        return []
    try:
        root = lxml.html.fromstring(content)
    except (lxml.etree.ParserError, ValueError) as err:
        raise InputError(f"{name} has a chapter that is not valid XHTML ({err}): save the EPUB again") from err
    for tag in _DROPPED:
        for element in list(root.iter(tag)):
            element.drop_tree()
    blocks: list[tuple[str, Kind | None]] = []
    for element in root.iter(*_BLOCKS):
        if any(child.tag in _BLOCKS for child in element.iterdescendants()):
            continue  # only the innermost blocks hold the text, once
        text = join_lines(_LINE_BREAK.split(element.text_content()))
        if text:
            blocks.append((text, "heading" if element.tag in _HEADINGS else None))
    return blocks


def _first(values: list) -> str:
    return str(values[0][0]).strip() if values and values[0] and values[0][0] else ""
