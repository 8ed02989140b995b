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
    # A page that marks its languages on its elements (<p lang="en">, <span lang="zh-hans">) is read by
    # those elements: trafilatura drops the spans of a heading and runs a list item's paragraphs together.
    blocks = lang_blocks(html)
    text = "\n".join(blocks) if blocks else page.text if page is not None else ""
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


# Elements that end a block of text, and elements whose text is never the page's content.
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3",
                         "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table",
                         "blockquote", "figure", "figcaption", "caption", "pre", "br", "hr", "body"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "button", "select",
                           "option", "nav", "form", "svg", "iframe"})
# Read by its elements only where the elements marked English or Chinese hold this share of the page's text.
_MARKED_SHARE = 0.5
_TRADITIONAL = regex.compile(r"^zh[-_](?:hant|tw|hk|mo)\b", regex.IGNORECASE)


def _language(tag: str) -> str:
    """"en", "zh-hans" or "zh-hant" for a BCP 47 language tag of English or Chinese, else ""."""
    tag = tag.strip().lower()
    if tag == "en" or tag.startswith(("en-", "en_")):
        return "en"
    if tag == "zh" or tag.startswith(("zh-", "zh_")):
        return "zh-hant" if _TRADITIONAL.match(tag) else "zh-hans"
    return ""


_LETTERS = regex.compile(r"\p{L}")
_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*\?>")


def _separate_run(element: Any, runs_only: dict[Any, bool]) -> bool:
    """Whether an inline element with its own `lang` is a run of its own (a heading's "Introduction" beside
    its "绪论"), not a word inside a sentence of another language (Word marks every Latin or digit run inside
    Chinese text `lang=EN-US`). A run of its own: not inside another marked inline element, at least two
    letters, and its block holds no letters outside such marked runs (`runs_only`: that answer per block)."""
    block = element.getparent()
    while block is not None and block.tag not in _BLOCK_TAGS:
        if block.get("lang") is not None:
            return False  # nested in a marked run: a word inside it
        block = block.getparent()
    if block is None or len(_LETTERS.findall(element.text_content())) < 2:
        return False
    if block not in runs_only:
        runs_only[block] = _letters_outside_runs(block) == 0
    return runs_only[block]


def _letters_outside_runs(block: Any) -> int:
    """Letters of `block` that are not inside an outermost marked inline element."""
    inside = 0

    def visit(node: Any) -> None:
        nonlocal inside
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.get("lang") is not None and child.tag not in _BLOCK_TAGS:
                inside += len(_LETTERS.findall(child.text_content()))
            else:
                visit(child)

    visit(block)
    return len(_LETTERS.findall(block.text_content())) - inside


def lang_blocks(html: str) -> list[str]:
    """The page's text, one line per block, where its body marks at least two languages on its elements
    (Chinese and English, or two Chinese scripts); else [] (the page is read with trafilatura).

    A block ends at every block element, and at an inline element with its own `lang` where the block is made
    of such runs only (`_separate_run`): `<h2><span lang="en">Introduction</span><span lang="zh-hans">绪论</span>
    </h2>` gives two lines, while Word's `<span lang=EN-US>10</span>` inside a Chinese sentence stays in it.
    Scripts, styles, buttons, navigation and forms are left out."""
    from lxml import etree
    from lxml import html as lxml_html

    # lxml refuses a str that declares its encoding (XHTML's `<?xml … encoding="UTF-8"?>`): the text is decoded.
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    body = tree.find("body")
    if body is None:
        return []
    marked = {_language(str(lang)) for lang in body.xpath(".//*/@lang")} - {""}
    if len(marked) < 2:
        return []
    pieces: list[str] = []
    runs_only: dict[Any, bool] = {}

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIPPED_TAGS:
            if element.tail:
                pieces.append(element.tail)
            return
        breaks = tag in _BLOCK_TAGS or (element.get("lang") is not None and _separate_run(element, runs_only))
        if breaks:
            pieces.append("\n")
        if tag and element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if breaks:
            pieces.append("\n")
        if element.tail:
            pieces.append(element.tail)

    walk(body)
    lines = [line for line in (" ".join(line.split()) for line in "".join(pieces).split("\n")) if line]
    # The marked elements must carry the page's text, not only a language switcher ("English", "繁體").
    outermost = [element for element in body.iter() if isinstance(element.tag, str) and element.get("lang")
                 and _language(element.get("lang"))
                 and not any(a.get("lang") for a in element.iterancestors() if a is not tree and a is not body)]
    marked_chars = sum(len("".join(element.text_content().split())) for element in outermost)
    if marked_chars < _MARKED_SHARE * sum(len(line.replace(" ", "")) for line in lines):
        return []
    return lines
