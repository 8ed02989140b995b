"""HTML: a standalone 对照 page to read and print, Chinese | English, one row per link.

One file, no external resources (the CSS is inline), every text escaped. Headings stay headings; a link
scoring below `reading.LOW_CONFIDENCE` and a flagged link are marked, with a legend at the top; the
document's title, date and source are shown above the text. The two columns stay side by side on a phone
(390 px) as on a desktop, and `break-inside: avoid` keeps each row on one printed page.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..io import atomic_write
from ..model import Alignment
from . import Format
from .reading import LOW_CONFIDENCE, Row, facts, rows, title_of

CSS = """
:root { color-scheme: light; --low: #c62828; --flag: #8e24aa; --rule: #d9d9d9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 16px/1.6 system-ui, "Noto Sans CJK SC",
       "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; background: #fff; }
header.doc { border-bottom: 2px solid #333; margin: 0 0 1rem; padding-bottom: .5rem; }
header.doc h1 { font-size: 1.5rem; margin: 0; }
header.doc .title-en { font-size: 1.15rem; margin: .2rem 0 .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0 .8rem; margin: 0; font-size: .85rem; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.legend { font-size: .8rem; color: #444; margin: .6rem 0 0; }
.legend span { margin-right: 1rem; white-space: nowrap; }
.pairs { margin: 0 0 2rem; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 1.2rem;
        padding: .35rem .5rem; border-left: 4px solid transparent; break-inside: avoid; page-break-inside: avoid; }
.pair.para { margin-top: .6rem; border-top: 1px solid var(--rule); }
.pair > .zh, .pair > .en { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.pair.heading > .zh, .pair.heading > .en { font-weight: 700; font-size: 1.15rem; }
.pair.low { border-left-color: var(--low); background: #fdecea; }
.pair.flagged { border-left-color: var(--flag); }
.pair.low.flagged { border-left-style: double; }
.pair .note { grid-column: 1 / -1; font-size: .8rem; color: var(--flag); margin: .15rem 0 0; }
.pair.low .note { color: var(--low); }
.empty { color: #999; }
.mark-low { color: var(--low); }
.mark-flag { color: var(--flag); }
@media (max-width: 600px) {
  body { padding: .6rem; font-size: 14px; }
  .pair { column-gap: .6rem; padding: .3rem .25rem; }
  header.doc h1 { font-size: 1.2rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .pair { break-inside: avoid; page-break-inside: avoid; }
  .pair.low { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""

LEGEND = (f'<p class="legend"><span class="mark-low">▌ low confidence (score &lt; {LOW_CONFIDENCE:g})</span>'
          '<span class="mark-flag">▌ ⚑ flagged for review</span><span class="empty">— no counterpart</span></p>')


def _cell(text: str, lang: str, tag: str) -> str:
    if not text:
        return f'<{tag} class="{lang} empty" lang="{lang}">—</{tag}>'
    return f'<{tag} class="{lang}" lang="{"zh-Hans" if lang == "zh" else "en"}">{escape(text)}</{tag}>'


def _row(row: Row, prefix: str) -> str:
    classes = ["pair"] + [name for name, on in (("heading", row.heading), ("para", row.new_paragraph),
                                                  ("low", row.low), ("flagged", bool(row.flags))) if on]
    tag = "h2" if row.heading else "p"
    note = row.note()
    note_html = f'<p class="note">{"⚑ " if row.flags else ""}{escape(note)}</p>' if note else ""
    return (f'<div class="{" ".join(classes)}" id="{prefix}link-{row.number}" data-score="{row.score:.4f}">'
            f'{_cell(row.zh, "zh", tag)}{_cell(row.en, "en", tag)}{note_html}</div>')


def _link(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{escape(url)}</a>'
    return escape(url)


def section(alignment: Alignment, prefix: str = "") -> str:
    """One document: its header (titles, facts) and its rows."""
    meta = alignment.document.meta
    titles = f'<h1 lang="zh-Hans">{escape(meta.title_zh or title_of(meta))}</h1>'
    if meta.title_en:
        titles += f'<p class="title-en" lang="en">{escape(meta.title_en)}</p>'
    shown = "".join(f"<dt>{label}</dt><dd>{_link(value) if label == 'source' else escape(value)}</dd>"
                    for label, value in facts(meta))
    body = "\n".join(_row(row, prefix) for row in rows(alignment))
    return (f'<section class="document"><header class="doc">{titles}<dl class="facts">{shown}</dl></header>\n'
            f'<div class="pairs">\n{body}\n</div></section>')


def page(alignments: list[Alignment]) -> str:
    title = title_of(alignments[0].document.meta) if len(alignments) == 1 else f"{len(alignments)} documents"
    sections = "\n".join(section(al, f"d{n}-" if len(alignments) > 1 else "") for n, al in enumerate(alignments, 1))
    return ('<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="duizhao">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{LEGEND}\n{sections}\n"
            "</body>\n</html>\n")


class HtmlFormat(Format):
    name = "html"
    extension = "html"

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        return self.write_many([alignment], path)

    def write_many(self, alignments: list[Alignment], path: Path) -> list[Path]:
        with atomic_write(path) as out:
            out.write(page(alignments))
        return [Path(path)]
