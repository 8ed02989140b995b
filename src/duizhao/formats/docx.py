"""DOCX (python-docx): the 对照 as a two-column Word table, Chinese | English, one row per link, the way
translation agencies deliver bilingual files.

Above the table: the titles and the document facts. The first row (中文 | English) repeats on every page,
and no row breaks across pages. A heading link is bold; a low-confidence link is shaded; a flagged or
low-confidence link carries a short note as a second, smaller paragraph of its English cell, so each
cell's first paragraph is exactly the link's text.
"""
from __future__ import annotations

from pathlib import Path

from ..io import atomic_write
from ..model import Alignment
from . import Format
from .reading import facts, rows, title_of

LOW_SHADE = "FDECEA"
NOTE_COLOUR = (0x8E, 0x24, 0xAA)


def _row_properties(row, *, header: bool = False) -> None:
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _east_asian(run, font: str = "SimSun") -> None:
    from docx.oxml.ns import qn

    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def add_document(word, alignment: Alignment, first: bool = True) -> None:
    from docx.shared import Pt, RGBColor

    meta = alignment.document.meta
    if not first:
        word.add_page_break()
    heading = word.add_heading(meta.title_zh or title_of(meta), level=1)
    for run in heading.runs:
        _east_asian(run)
    if meta.title_en:
        word.add_heading(meta.title_en, level=2)
    for label, value in facts(meta):
        word.add_paragraph(f"{label}: {value}")
    table = word.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0]
    _row_properties(header, header=True)
    for cell, text in zip(header.cells, ("中文", "English"), strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _east_asian(run)
    for row in rows(alignment):
        cells = table.add_row()
        _row_properties(cells)
        zh_cell, en_cell = cells.cells
        for cell, text, lang in ((zh_cell, row.zh, "zh"), (en_cell, row.en, "en")):
            run = cell.paragraphs[0].add_run(text)
            run.bold = row.heading or None
            if lang == "zh":
                _east_asian(run)
            if row.low:
                _shade(cell, LOW_SHADE)
        note = row.note()
        if note:
            run = en_cell.add_paragraph().add_run(("⚑ " if row.flags else "") + note)
            run.italic = True
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(*NOTE_COLOUR)


class DocxFormat(Format):
    name = "docx"
    extension = "docx"

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        return self.write_many([alignment], path)

    def write_many(self, alignments: list[Alignment], path: Path) -> list[Path]:
        import docx

        word = docx.Document()
        word.core_properties.title = title_of(alignments[0].document.meta)
        word.core_properties.comments = "written by duizhao"
        for number, alignment in enumerate(alignments):
            add_document(word, alignment, first=number == 0)
        with atomic_write(path, "wb") as out:
            word.save(out)
        return [Path(path)]
