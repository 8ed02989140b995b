"""Markdown pages (README.md with both languages, bilingual docs): rendered with markdown-it-py, never regexes.

Every heading, paragraph, list item and table cell becomes a block of its own (blank-line separated text for
the shared side split); emphasis, links and inline code keep their text; images, raw HTML, code blocks,
rules and YAML front matter are chrome. A table row whose cells hold the two languages is a pairing.
"""
from __future__ import annotations

from pathlib import PurePath

import regex

_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_ATX_HEADING = regex.compile(r"^#{1,6}\s+\S", regex.MULTILINE)
_TABLE_RULE = regex.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", regex.MULTILINE)
_FENCE = regex.compile(r"^(?:```|~~~)", regex.MULTILINE)
_FRONT_MATTER = regex.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", regex.DOTALL)
_HAN_END = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]$")
_HAN_START = regex.compile(r"^[\p{Han}\u3000-\u303f\uff00-\uffef]")


def looks_like_markdown(text: str, name: str = "") -> bool:
    """By the file's suffix, or by content: two ATX headings, a table rule or a code fence."""
    if PurePath(name).suffix.lower() in _SUFFIXES:
        return True
    head = text[:20_000]
    return len(_ATX_HEADING.findall(head)) >= 2 or bool(_TABLE_RULE.search(head)) or \
        (bool(_FENCE.search(head)) and bool(_ATX_HEADING.search(head)))


def render_markdown(text: str) -> tuple[str, list[str], bool]:
    """The page's text, one block per heading, paragraph, list item or table cell (blank lines between
    them), the chrome set aside (front matter, code, raw HTML), and whether the page has a table."""
    rendered, chrome, table, _ = render_markdown_blocks(text)
    return rendered, chrome, table


def render_markdown_blocks(text: str) -> tuple[str, list[str], bool, frozenset[str]]:
    """Like `render_markdown`, with the text of the page's headings as well."""
    from markdown_it import MarkdownIt

    chrome: list[str] = []
    front = _FRONT_MATTER.match(text)
    if front:
        chrome.append(front.group().strip())
        text = text[front.end():]
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)
    blocks: list[str] = []
    headings: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "inline":
            plain = _plain(token.children or [])
            if plain:
                blocks.append(plain)
                if index and tokens[index - 1].type == "heading_open":
                    headings.add(plain)
        elif token.type in ("fence", "code_block"):
            chrome.extend(line for line in token.content.splitlines() if line.strip())
        elif token.type == "html_block":
            chrome.append(token.content.strip())
    return "\n\n".join(blocks), chrome, any(token.type == "td_open" for token in tokens), frozenset(headings)


def _plain(children: list) -> str:
    """The text a reader sees in one inline run: markup dropped, link text kept, images dropped."""
    pieces: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
    text = "".join(pieces)
    # A line break inside a paragraph joins with nothing between Chinese characters, else a space.
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if out and not (_HAN_END.search(out) and _HAN_START.search(line)):
            out += " "
        out += line
    return out.strip()
