"""Bilingual files from CAT tools, XLIFF and gettext PO, through translate-toolkit: re-align them.

Each translation unit's source and target go to the side of their script (a unit may translate either
way), and each unit is a hard boundary for the aligner (`Source.sections`): inside a unit the sentences
are aligned again, so a unit that a CAT tool segmented badly (two sentences against one) comes out as
sentence links; a unit without a target gives 1-0 links. The header of a PO file is not a unit.
"""
from __future__ import annotations

from ..errors import InputError
from ..model import Paragraph, Source
from .layout import fill_metadata
from .script import han_count, latin_words
from .types import Side, sniff


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    kind = sniff(data, name, max_bytes=max_bytes)
    store = _parse(data, name, kind)
    units = [(str(u.source or ""), str(u.target or "")) for u in store.units
             if not u.isheader() and (u.source or u.target)]
    if not units:
        raise InputError(f"{name} holds no translation units: give an {kind.upper()} file with source and target text")
    # Which member of the units is Chinese, by script (CAT files often name languages loosely: "zh", "zh-CN", none).
    sources = " ".join(s for s, _ in units)
    targets = " ".join(t for _, t in units)
    source_is_zh = _is_chinese(sources) if sources.strip() else not _is_chinese(targets)
    zh: list[Paragraph] = []
    en: list[Paragraph] = []
    sections: list[tuple[int, int]] = []
    for source_text, target_text in units:
        zh_text, en_text = (source_text, target_text) if source_is_zh else (target_text, source_text)
        zh_part = [Paragraph(zh_text.strip())] if zh_text.strip() else []
        en_part = [Paragraph(en_text.strip())] if en_text.strip() else []
        zh.extend(zh_part)
        en.extend(en_part)
        sections.append((len(zh_part), len(en_part)))
    if not zh or not _is_chinese(" ".join(p.text for p in zh)):
        raise InputError(f"found no Chinese text in {name}: give a Chinese–English {kind.upper()} file")
    if not en or _is_chinese(" ".join(p.text for p in en)):
        raise InputError(f"found no English text in {name} (no unit has an English translation): "
                         f"give a Chinese–English {kind.upper()} file with its targets filled in")
    source = Source(zh=zh, en=en, sections=sections)
    fill_metadata(source.meta, zh, en)
    source.meta.encoding = "utf-8"
    return source


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    raise InputError(f"{name} holds both languages (a CAT file): give it alone, as one bilingual file "
                     "(duizhao align FILE), not as one side of a pair")


def _parse(data: bytes, name: str, kind: str):
    from translate.storage import pypo, xliff

    parser = xliff.xlifffile if kind == "xliff" else pypo.pofile
    try:
        return parser.parsestring(data)
    except Exception as err:  # lxml's XMLSyntaxError, PoParseError, UnicodeDecodeError, ...
        lines = str(err).strip().splitlines() or [type(err).__name__]
        raise InputError(f"{name} is not a valid {kind.upper()} file ({lines[0]}): "
                         "export it again from the CAT tool") from err


def _is_chinese(text: str) -> bool:
    return han_count(text) > latin_words(text)
