"""HTML pages: trafilatura finds the main text and the page's own metadata; the side split is shared."""
from __future__ import annotations

from typing import Any

import regex

from ..errors import InputError
from ..model import Source
from .layout import parse_date, split_bilingual
from .script import script_of

_HTML_START = regex.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                            regex.IGNORECASE | regex.DOTALL)


# A fragment without <html>: it opens with a tag and closes a block element early on.
_FRAGMENT_START = regex.compile(r"\A\s*<[a-z!]", regex.IGNORECASE)
_BLOCK_CLOSE = regex.compile(r"</(?:p|div|article|section|h[1-6]|li|td|span|table|br)\s*>", regex.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Decided by content: a doctype or an <html>, <head> or <body> tag first, or a fragment that opens
    with a tag and closes block elements."""
    head = text[:4096]
    return bool(_HTML_START.match(head) or (_FRAGMENT_START.match(head) and _BLOCK_CLOSE.search(head)))


# libxml2's HTML parser stops descending at 256 levels and drops what is deeper without an error; a page
# that reaches this depth is refused rather than aligned with its deep part silently missing.
MAX_HTML_DEPTH = 250


def html_depth(html: str) -> int:
    """How deep the elements of `html` nest, as lxml (and so trafilatura) reads it."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return 0
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


# libxml2's HTML parser stops early, without an error, on a page whose attribute values add up to about 10 MB
# (a data: URI image, or a hostile page): the text after them was silently lost. No attribute value is text
# to align, so a long one is emptied before parsing.
MAX_ATTRIBUTE_CHARS = 4096
_LONG_ATTRIBUTE = regex.compile(rf'=\s*"[^"]{{{MAX_ATTRIBUTE_CHARS},}}"|=\s*\'[^\']{{{MAX_ATTRIBUTE_CHARS},}}\'')


def drop_long_attributes(html: str) -> str:
    """`html` with every attribute value longer than `MAX_ATTRIBUTE_CHARS` emptied (one linear pass)."""
    return _LONG_ATTRIBUTE.sub('=""', html)


def split_html(html: str, *, name: str = "the input", layout: str = "auto", zh_variant: str = "simplified") -> Source:
    import trafilatura  # heavy (lxml, date parsers): imported only for HTML input

    html = drop_long_attributes(html)
    if html_depth(html) >= MAX_HTML_DEPTH:
        raise InputError(f"the HTML page {name} nests its elements deeper than {MAX_HTML_DEPTH} levels, so the "
                         "HTML reader would lose the deeper text: save the page's text as a .txt file "
                         "(select all, copy) and align that")

    # a trafilatura Document (with_metadata=True), or None
    page: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=True, favor_recall=True)
    text = page.text if page is not None else ""
    if not text or not text.strip():
        text = trafilatura.html2txt(html) or ""
    if not text.strip():
        raise InputError(f"found no text in the HTML page {name}: give the page's text, or a fuller page")
    # Every line trafilatura gives is a block of the page (a <p>, an <h2>, a cell): never joined to the next,
    # so a long Chinese heading is not glued to the paragraph under it.
    source = split_bilingual("\n\n".join(text.splitlines()), name=name, layout=layout, zh_variant=zh_variant)
    if page is not None:
        meta = source.meta
        meta.source_url = meta.source_url or (page.url or "")
        meta.site = meta.site or (page.sitename or "")
        meta.date = meta.date or (parse_date(page.date) if page.date else "")
        title = (page.title or "").strip()
        if title:
            # The page title names the page in one language; it fills that side's title if the text had none.
            attr = "title_zh" if script_of(title) == "zh" else "title_en"
            if not getattr(meta, attr):
                setattr(meta, attr, title)
    return source
