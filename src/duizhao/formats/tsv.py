"""TSV: a header line, then one link per line: zh, en, score, type, flags.

Inside a segment, backslash, tab, newline, carriage return and every other character that a line reader
may take as a line end (U+2028, U+2029, U+0085, \\v, \\f, \\x1c-\\x1e) are escaped, so one line is always
one link: `\\\\`, `\\t`, `\\n`, `\\r`, and `\\uXXXX` for the rest. The score has 4 decimals; flags are
their types, comma-separated.
TSV has no room for the document metadata or the signature; use jsonl, parquet or tmx for those.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment, Flag, Metadata
from . import Format, alignment_from_links, read_utf8

HEADER = ["zh", "en", "score", "type", "flags"]

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Everything str.splitlines() breaks on, besides \n and \r.
_LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_TO_ESCAPE = re.compile("[\\\\\t\n\r" + _LINE_BREAKS + "]")
_ESCAPED = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))", re.DOTALL)
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape(text: str) -> str:
    return _TO_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        if match.group(2) in _UNESCAPES:
            return _UNESCAPES[match.group(2)]
        raise FormatError(f"unknown escape \\{match.group(2)} in a TSV field; write a backslash as \\\\")

    return _ESCAPED.sub(one, text)


class TsvFormat(Format):
    name = "tsv"
    extension = "tsv"
    can_read = True

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        with atomic_write(path) as out:
            out.write("\t".join(HEADER) + "\n")
            for bead in alignment.beads:
                fields = [
                    escape(alignment.zh_text(bead)),
                    escape(alignment.en_text(bead)),
                    f"{bead.score:.4f}",
                    bead.type,
                    ",".join(escape(flag.type).replace(",", "\\u002c") for flag in bead.flags),
                ]
                out.write("\t".join(fields) + "\n")
        return [Path(path)]

    def read(self, path: Path) -> Alignment:
        links = []
        # Split on "\n" only: every other line break inside a segment is escaped. The writer escapes \r too,
        # so a raw one ending a line comes from an editor that saved the file with CRLF line ends.
        header, *lines = (line.removesuffix("\r") for line in read_utf8(path).split("\n"))
        if header.split("\t")[:3] != HEADER[:3]:
            raise FormatError(f"{path}: the first line must be the header {' '.join(HEADER)!r}; "
                              "is this a duizhao TSV file?")
        for number, line in enumerate(lines, 2):
            if not line:
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise FormatError(f"{path}:{number}: expected {len(HEADER)} tab-separated fields, "
                                  f"found {len(fields)}")
            try:
                score = float(fields[2])
            except ValueError as err:
                raise FormatError(f"{path}:{number}: score {fields[2]!r} is not a number") from err
            flag_types = [unescape(t) for t in fields[4].split(",") if t] if len(fields) > 4 else []
            zh, en = unescape(fields[0]), unescape(fields[1])
            if not zh and not en:
                raise FormatError(f"{path}:{number}: a link with neither Chinese nor English text; "
                                  "delete the line, or give it the text of one side")
            links.append((zh, en, score, [Flag(t, "") for t in flag_types]))
        return alignment_from_links(links, Metadata(path=str(path)), {})
