"""Moses plain text: two line-aligned files, `NAME.zh` and `NAME.en`, line n of one translating line n
of the other. Only links with both sides non-empty are written; a line break inside a segment (newline,
\\r, U+2028, …) becomes a space, so the files always stay line-aligned. No metadata: use jsonl for that.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..io import atomic_write
from ..model import Alignment
from . import Format

# Every character str.splitlines() breaks on.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    return _LINE_BREAK.sub(" ", text)


def moses_paths(path: Path) -> tuple[Path, Path]:
    """`out/readout.moses`, `out/readout.zh` or `out/readout` -> (out/readout.zh, out/readout.en)."""
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".moses", ".zh", ".en", ".txt") else path
    return base.with_name(base.name + ".zh"), base.with_name(base.name + ".en")


class MosesFormat(Format):
    name = "moses"
    single_file = False
    extension = "moses"  # a stem only: the files written are NAME.zh and NAME.en

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        zh_path, en_path = moses_paths(path)
        with atomic_write(zh_path) as zh_out, atomic_write(en_path) as en_out:
            for bead in alignment.beads:
                if bead.zh and bead.en:
                    zh_out.write(one_line(alignment.zh_text(bead)) + "\n")
                    en_out.write(one_line(alignment.en_text(bead)) + "\n")
        return [zh_path, en_path]
