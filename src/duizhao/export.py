"""Export a corpus (the store) in any output format: selected links of selected documents, as one corpus
file per format or one file per document.

    >>> from duizhao.export import Selection, export
    >>> export("duizhao.db", ["tmx"], Path("reviewed.tmx"), Selection(reviewed_only=True, min_score=0.5))

A selection keeps a link when every given condition holds: it was reviewed (`reviewed_only`; a document
marked reviewed has every link reviewed), it scores at least `min_score`, it carries none of the
`exclude_flags`, its text contains the term `containing` (found as `duizhao search` finds it), and its
document is one of `documents` (all when empty). Kept links keep their sentence
ids, so JSONL and Parquet outputs still say where each link sits in its document.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, DuizhaoError
from .model import Alignment


class NothingToExportError(DuizhaoError):
    """The selection matched no link."""


@dataclass
class Selection:
    reviewed_only: bool = False
    min_score: float | None = None
    documents: list[int] = field(default_factory=list)  # document ids; empty: every document
    exclude_flags: list[str] = field(default_factory=list)
    containing: str | None = None  # only links whose text contains this term (Chinese or English, as search)

    def check(self) -> None:
        if self.min_score is not None and not 0.0 <= self.min_score <= 1.0:
            raise ConfigError(f"--min-score must be between 0 and 1, got {self.min_score:g}")

    def describe(self) -> str:
        parts = []
        if self.reviewed_only:
            parts.append("reviewed")
        if self.min_score is not None:
            parts.append(f"score ≥ {self.min_score:g}")
        if self.exclude_flags:
            parts.append("without flags " + ", ".join(self.exclude_flags))
        if self.documents:
            parts.append("in documents " + ", ".join(str(d) for d in self.documents))
        if self.containing:
            parts.append(f"containing {self.containing!r}")
        return " and ".join(parts) or "any"


Progress = Callable[[int, int], None]


def select(db: str | os.PathLike, selection: Selection,
           progress: Progress | None = None) -> list[tuple[int, Alignment]]:
    """(document id, alignment with only the selected links) of each document with a selected link;
    `progress(done, total)` after each document read."""
    from .store import Store

    selection.check()
    excluded = {name.strip().lower() for name in selection.exclude_flags}
    chosen = []
    with Store(db, create=False) as store:
        ids = list(dict.fromkeys(selection.documents)) or [summary.id for summary in store.documents()]
        matching: set[tuple[int, int]] | None = None
        if selection.containing is not None:
            from .store import guess_lang

            term = selection.containing.strip()
            if not term:
                raise ConfigError("--containing is empty: give a word or phrase")
            matching = set(store.links_containing(term, guess_lang(term)))
        for done, doc_id in enumerate(ids, 1):
            stored = store.document(doc_id)  # NotFoundError for an unknown id
            alignment = stored.alignment
            kept = [
                bead for position, (bead, reviewed) in enumerate(zip(alignment.beads, stored.link_reviewed, strict=True))
                if (matching is None or (doc_id, position) in matching)
                and (reviewed or stored.reviewed or not selection.reviewed_only)
                and (selection.min_score is None or bead.score >= selection.min_score)
                and not any(flag.type.lower() in excluded for flag in bead.flags)
            ]
            if kept:
                chosen.append((doc_id, Alignment(alignment.document, kept, alignment.settings)))
            if progress:
                progress(done, len(ids))
    if not chosen:
        raise NothingToExportError(f"no link in {db} is {selection.describe()}: relax the selection "
                                   "(review links in `duizhao serve`, lower --min-score, drop --exclude-flag)")
    return chosen


def export(db: str | os.PathLike, fmt_names: list[str], output: Path, selection: Selection, *,
           per_document: bool = False, progress: Progress | None = None) -> list[Path]:
    """Write the selected links; return the files written.

    One corpus (default): `output` is the file (one format) or a folder (several), files named after the
    database (`duizhao.db` -> `duizhao.tmx`). `per_document`: `output` is a folder holding
    `<id>-<input stem>.<ext>` for each document.
    """
    from . import formats

    for name in fmt_names:
        formats.get(name)  # unknown names fail before the store is read
    documents = select(db, selection, progress)
    if per_document:
        if output.exists() and not output.is_dir():
            raise ConfigError(f"{output} is a file; --per-document writes a file per document: give a folder")
        from .io import writing

        with writing(output):
            output.mkdir(parents=True, exist_ok=True)
        written = []
        for doc_id, alignment in documents:
            stem = f"{doc_id}-{formats.output_stem(alignment)}"
            written.extend(formats.write(alignment, fmt_names, output, stem=stem))
        return written
    if len(documents) > 1:
        for name in fmt_names:
            if name in ("png", "svg"):
                raise ConfigError(f"the {name} map draws one document's grid, and {len(documents)} documents "
                                  "match: add --per-document, or choose one with --doc ID")
    return formats.write([al for _, al in documents], fmt_names, output, stem=Path(db).stem or "corpus")
