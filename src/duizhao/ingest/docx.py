"""Word (.docx) through python-docx: paragraphs and tables in document order.

- One bilingual document: its paragraphs go through the same side split as a mixed text file
  (`layout.split_bilingual`), unless it holds a bilingual two-column table (one column Chinese, the other
  English, as agencies deliver translations): then each row's two cells are paired, and the rows are hard
  boundaries for the aligner (`Source.sections`); paragraphs outside the table go to the side of their
  script, in sections of their own.
- One side of a pair: its paragraphs, headings from the Word styles (Title, Heading 1…).
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from ..errors import InputError
from ..model import Kind, Paragraph, Source
from .layout import classify, fill_metadata, split_bilingual
from .script import script_of
from .types import Side, open_zip


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    document = _open(data, name, max_bytes)
    if not _bilingual_tables(document):
        texts = [text for text, _ in _paragraphs(document)]
        if not texts:
            raise InputError(f"{name} has no text: give a Word file with Chinese and English text")
        return split_bilingual("\n\n".join(texts), name=name)
    return _table_source(document, name)


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    document = _open(data, name, max_bytes)
    found = list(_paragraphs(document))
    if not found:
        raise InputError(f"{name} has no text: give a Word file with the {'Chinese' if lang == 'zh' else 'English'} side")
    classified = classify([text for text, _ in found], lang)
    # The leading unpunctuated lines are the title; otherwise Word's heading styles decide.
    paragraphs = [Paragraph(p.text, p.kind if p.kind in ("title", "date", "byline") else style or p.kind)
                  for p, (_, style) in zip(classified, found, strict=True)]
    core = document.core_properties
    return Side(paragraphs, title=(core.title or "").strip(),
                date=core.created.date().isoformat() if core.created else "")


def _open(data: bytes, name: str, max_bytes: int):
    open_zip(data, name, max_bytes)  # damaged, encrypted or too big unpacked: refused before python-docx reads it
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as err:
        raise InputError(f"{name} is not a valid Word document ({err}): open it in Word and save it again") from err
    except Exception as err:  # lxml and zipfile raise many kinds on a damaged part
        raise InputError(f"{name} is a damaged Word document ({type(err).__name__}): "
                         "open it in Word and save it again") from err


def _style_kind(paragraph) -> Kind | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return "title"
    if style.startswith("Heading") or style == "Subtitle":
        return "heading"
    return None


def _paragraphs(document) -> Iterator[tuple[str, Kind | None]]:
    """Every non-empty paragraph, in order, tables read row by row and cell by cell."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in _cells(row):
                    for paragraph in cell.paragraphs:
                        if paragraph.text.strip():
                            yield paragraph.text.strip(), _style_kind(paragraph)
        elif block.text.strip():
            yield block.text.strip(), _style_kind(block)


def _cells(row) -> list:
    """A row's distinct cells (a merged cell appears once)."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _bilingual_tables(document) -> list:
    """The tables with two columns whose rows put one language in each (most rows with text)."""
    found = []
    for table in document.tables:
        if _zh_column(table) is not None:
            found.append(table)
    return found


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def _table_source(document, name: str) -> Source:
    """Sections: each bilingual-table row, and each run of paragraphs outside it."""
    from docx.table import Table

    zh: list[Paragraph] = []
    en: list[Paragraph] = []
    sections: list[tuple[int, int]] = []
    loose = [0, 0]  # paragraphs outside the table not yet closed into a section

    def close_loose() -> None:
        if loose != [0, 0]:
            sections.append((loose[0], loose[1]))
            loose[:] = [0, 0]

    for block in document.iter_inner_content():
        zh_column = _zh_column(block) if isinstance(block, Table) else None
        if zh_column is not None:
            close_loose()
            for row in block.rows:
                cells = _cells(row)
                if len(cells) != 2:
                    continue
                zh_cell, en_cell = cells[zh_column], cells[1 - zh_column]
                zh_row = [Paragraph(p.text.strip(), _style_kind(p) or "body") for p in zh_cell.paragraphs if p.text.strip()]
                en_row = [Paragraph(p.text.strip(), _style_kind(p) or "body") for p in en_cell.paragraphs if p.text.strip()]
                if zh_row or en_row:
                    zh.extend(zh_row)
                    en.extend(en_row)
                    sections.append((len(zh_row), len(en_row)))
            continue
        # Another table: its cells' paragraphs, row by row.
        paragraphs = ([p for row in block.rows for cell in _cells(row) for p in cell.paragraphs]
                      if isinstance(block, Table) else [block])
        for paragraph in paragraphs:
            text = paragraph.text.strip()
            script = script_of(text)
            if script == "none":
                continue
            (zh if script == "zh" else en).append(Paragraph(text, _style_kind(paragraph) or "body"))
            loose[0 if script == "zh" else 1] += 1
    close_loose()
    if not en:
        raise InputError(f"found only Chinese text in {name}: give a file that holds both languages, "
                         "or the English side as a file of its own (align --zh FILE --en FILE)")
    if not zh:
        raise InputError(f"found only English text in {name}: give a file that holds both languages, "
                         "or the Chinese side as a file of its own (align --zh FILE --en FILE)")
    source = Source(zh=zh, en=en, sections=sections)
    fill_metadata(source.meta, zh, en)
    return source


def _zh_column(table) -> int | None:
    """Which column of a bilingual two-column table holds the Chinese (0 or 1); None for another table.

    Bilingual: at least 80% of the rows with text have two cells, and in at least 60% of those the two
    cells are of different scripts; the Chinese column is the one most of those rows put Chinese in."""
    rows = [[_cell_text(c) for c in _cells(row)] for row in table.rows]
    with_text = [r for r in rows if any(t.strip() for t in r)]
    two = [r for r in with_text if len(r) == 2]
    if not two or len(two) < 0.8 * len(with_text):
        return None
    orders = [(script_of(a), script_of(b)) for a, b in two]
    zh_first = sum(1 for pair in orders if pair == ("zh", "en"))
    en_first = sum(1 for pair in orders if pair == ("en", "zh"))
    if zh_first + en_first < max(1, 0.6 * len(two)):
        return None
    return 0 if zh_first >= en_first else 1
