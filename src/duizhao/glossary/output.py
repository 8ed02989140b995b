"""The glossary's output formats: csv, TBX (ISO 30042) and JSON lines."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

from .. import __version__
from ..errors import ConfigError
from ..io import atomic_write
from .model import FORMATS, Term

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe, which Excel and LibreOffice show as plain text (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def dumps(terms: list[Term], fmt: str) -> str:
    """The glossary as csv (zh,en,kind,count,evidence,score,example), jsonl, or TBX-Basic XML."""
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["zh", "en", "kind", "count", "evidence", "score", "example"])
        for t in terms:
            writer.writerow([_cell(t.zh), _cell(t.en), t.kind, t.count, _cell(t.evidence), t.score, _cell(t.example)])
        return buffer.getvalue()
    if fmt == "jsonl":
        return "".join(json.dumps(t.as_dict(), ensure_ascii=False) + "\n" for t in terms)
    if fmt == "tbx":
        return _tbx(terms)
    raise ConfigError(f"unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")


def write(terms: list[Term], path: str | Path, fmt: str | None = None) -> Path:
    """Write the glossary to `path` (atomically); the format defaults to the file's extension."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ConfigError(f"cannot tell the glossary format of {target.name!r}: use --format csv, tbx or jsonl")
    text = dumps(terms, fmt)
    with atomic_write(target) as handle:
        handle.write(text)
    return target


def _tbx(terms: list[Term]) -> str:
    """TBX-Basic in the TBX 2008 (ISO 30042, `martif`) form, which OmegaT, memoQ and MultiTerm import.

    One `termEntry` per pair: a Chinese and an English `langSet`, each with the term, its part of speech
    (proper noun for names), and the example link as context; the kind and count go in a note.
    """
    def lang_set(lang: str, term: str, context: str, proper: bool) -> list[str]:
        return [
            f'      <langSet xml:lang="{lang}">',
            "        <tig>",
            f"          <term>{escape(term)}</term>",
            f'          <termNote type="partOfSpeech">{"properNoun" if proper else "noun"}</termNote>',
            f'          <descrip type="context">{escape(context)}</descrip>',
            "        </tig>",
            "      </langSet>",
        ]

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX-Basic" xml:lang="en">',
        "  <martifHeader>",
        "    <fileDesc>",
        f"      <sourceDesc><p>Term pairs extracted from aligned text by duizhao {escape(__version__)}</p></sourceDesc>",
        "    </fileDesc>",
        '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
        "  </martifHeader>",
        "  <text>",
        "    <body>",
    ]
    for number, t in enumerate(terms, 1):
        zh_context, _, en_context = t.example.partition(" ↔ ")
        proper = t.kind != "term"
        lines.append(f'    <termEntry id="t{number}">')
        lines.append(f"      <note>{escape(f'{t.kind}; {t.count} links; {t.evidence}')}</note>")
        lines += lang_set("zh", t.zh, zh_context, proper)
        lines += lang_set("en", t.en, en_context, proper)
        lines.append("    </termEntry>")
    lines += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(lines)
