"""EPUB (ebooklib): a bilingual reading edition, paragraph by paragraph: each Chinese paragraph followed by
its English paragraph, headings as headings. One chapter per document, with a navigation document.
"""
from __future__ import annotations

import uuid
from html import escape
from pathlib import Path

from ..io import atomic_write
from ..model import Alignment
from . import Format
from .reading import facts, paragraphs, title_of

CSS = """body { line-height: 1.6; }
p.zh { margin: 1em 0 .2em; }
p.en { margin: 0 0 .8em; color: #333; }
h2 { margin: 1.2em 0 .2em; }
h2.en { margin-top: 0; font-size: 1.1em; }
p.facts { font-size: .8em; color: #555; }
"""


def chapter_html(alignment: Alignment) -> str:
    meta = alignment.document.meta
    parts = [f'<h1 lang="zh-Hans">{escape(meta.title_zh or title_of(meta))}</h1>']
    if meta.title_en:
        parts.append(f'<h1 lang="en">{escape(meta.title_en)}</h1>')
    for label, value in facts(meta):
        parts.append(f'<p class="facts">{escape(label)}: {escape(value)}</p>')
    for heading, zh, en in paragraphs(alignment):
        tag = "h2" if heading else "p"
        if zh:
            parts.append(f'<{tag} class="zh" lang="zh-Hans">{escape(zh)}</{tag}>')
        if en:
            parts.append(f'<{tag} class="en" lang="en">{escape(en)}</{tag}>')
    return "\n".join(parts)


class EpubFormat(Format):
    name = "epub"
    extension = "epub"

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        return self.write_many([alignment], path)

    def write_many(self, alignments: list[Alignment], path: Path) -> list[Path]:
        import tempfile

        from ebooklib import epub

        book = epub.EpubBook()
        first = alignments[0].document.meta
        book.set_identifier(f"urn:uuid:{uuid.uuid4()}")
        book.set_title(title_of(first) if len(alignments) == 1 else f"{title_of(first)} (+{len(alignments) - 1})")
        book.set_language("zh")
        book.add_metadata("DC", "language", "en")
        book.add_metadata("DC", "creator", "duizhao")
        style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=CSS)
        book.add_item(style)
        chapters = []
        for number, alignment in enumerate(alignments, 1):
            chapter = epub.EpubHtml(title=title_of(alignment.document.meta), file_name=f"doc{number:04d}.xhtml",
                                    lang="zh")
            chapter.content = chapter_html(alignment)
            chapter.add_item(style)
            book.add_item(chapter)
            chapters.append(chapter)
        book.toc = chapters
        book.add_item(epub.EpubNcx())
        book.add_item(epub.EpubNav())
        book.spine = ["nav", *chapters]
        # ebooklib writes to a path (mimetype first, stored uncompressed); it is then moved into place whole.
        with tempfile.TemporaryDirectory(prefix="duizhao-epub-") as folder:
            staged = Path(folder) / "book.epub"
            epub.write_epub(str(staged), book)
            with atomic_write(path, "wb") as out:
                out.write(staged.read_bytes())
        return [Path(path)]
