"""Vecalign / Bertalign links: one link per line, `[zh ids]:[en ids]:score`, ids 0-based.

    [0, 1]:[2]:0.873
    [2]:[]:0.0

This is the output format of Vecalign and Bertalign (Bertalign writes `[0]:[0]` without a score; the
parser accepts both). It holds no text, metadata or signature: pair it with the sentence files.
`parse_links` is also what `duizhao.evaluate` uses to read predictions and gold files in this format.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment, Bead
from . import Format, read_utf8

Link = tuple[tuple[int, ...], tuple[int, ...]]

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$")


def format_ids(ids: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in ids) + "]"


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def parse_beads(text: str, where: str = "vecalign text") -> list[Bead]:
    """Every non-blank line as a Bead (score 0.0 where the line has none)."""
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise FormatError(f"{where}:{number}: {line.strip()[:60]!r} is not a link; "
                              "expected `[zh ids]:[en ids]` or `[zh ids]:[en ids]:score`, e.g. [0, 1]:[2]:0.87")
        score = 0.0
        if match.group(3) is not None:
            try:
                score = float(match.group(3))
            except ValueError as err:
                raise FormatError(f"{where}:{number}: score {match.group(3)!r} is not a number") from err
        beads.append(Bead(_ids(match.group(1)), _ids(match.group(2)), score))
    return beads


def parse_links(text: str) -> list[Link]:
    """The (zh ids, en ids) of every link, e.g. `[0, 1]:[2]:0.873` -> ((0, 1), (2,))."""
    return [(bead.zh, bead.en) for bead in parse_beads(text)]


class VecalignFormat(Format):
    name = "vecalign"
    extension = "vecalign"
    can_read = False  # ids only: see read_beads

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        with atomic_write(path) as out:
            for bead in alignment.beads:
                # repr of a float is the shortest text that reads back to the same number.
                out.write(f"{format_ids(bead.zh)}:{format_ids(bead.en)}:{float(bead.score)!r}\n")
        return [Path(path)]

    def read_beads(self, path: Path) -> list[Bead]:
        return parse_beads(read_utf8(path), str(path))
