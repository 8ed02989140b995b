"""JSON Lines: one line per link, every line a complete, self-describing record.

Each line: {"zh", "en", "translation": {"zh", "en"}, "zh_ids", "en_ids", "score", "type", "flags", "flag_details", "zh_offsets",
"en_offsets", "doc", "settings"}. Every line has the same fields with the same types: lists are lists
(empty, never null), `doc` holds strings, and its `date` is an ISO 8601 string or absent. Ids are 0-based; Chinese sentences join with "" and English ones with
" "; `*_offsets` say where each sentence starts in `zh`/`en` (in code points), so a 2-1 link can be split
back into its sentences.

Why the document facts (`doc`: title, date, source URL, site, path) and the signature (`settings`) are
repeated on every line instead of a header line: MT pipelines shuffle, filter, deduplicate and
concatenate JSONL from millions of pages; a header line would be lost, or land in the middle of the data
as a row with no text, and `wc -l` would no longer count links. Every line stays valid on its own, and
the repetition costs next to nothing once the file is compressed.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment, Metadata
from . import Format, alignment_from_records, link_record, metadata_from, provenance, read_utf8, settings_of

# json.dumps escapes every C0 control character, but not these line breaks (U+0085, U+2028, U+2029), which
# str.splitlines() and some JSON Lines readers split on; inside JSON they can only occur in strings.
_RAW_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: dict) -> str:
    """One JSON object on one line: Chinese kept readable (ensure_ascii=False), every line break escaped."""
    return json.dumps(record, ensure_ascii=False).translate(_RAW_LINE_BREAKS)


def document_facts(meta: Metadata) -> dict:
    """The `doc` record: the provenance fields, all strings; `date` (ISO 8601) only when it is known.

    An empty date would be a string where other documents have a date, and Arrow-based readers (pandas,
    Hugging Face `datasets`) infer ISO dates as timestamps: "" then breaks the column. Absent, it is null.
    """
    doc = provenance(meta)
    if not doc.get("date"):
        del doc["date"]
    return doc


def document_records(alignment: Alignment) -> Iterator[dict]:
    """Each link of one document as a JSONL record, with the document's facts and settings."""
    doc = document_facts(alignment.document.meta)
    settings = settings_of(alignment)
    timed = any(s.time is not None for s in (*alignment.document.zh, *alignment.document.en))
    for bead in alignment.beads:
        record = link_record(alignment, bead) | {"doc": doc, "settings": settings}
        if timed:  # subtitles: when each side of the link is shown, [start, end] in seconds
            times = alignment.times(bead)
            record["time"] = {lang: list(times[lang]) if lang in times else [] for lang in ("zh", "en")}
        yield record


class JsonlFormat(Format):
    name = "jsonl"
    extension = "jsonl"
    can_read = True

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        return self.write_many([alignment], path)

    def write_many(self, alignments: list[Alignment], path: Path) -> list[Path]:
        """One or several documents' lines in one file: each line names its document already."""
        with atomic_write(path) as out:
            for alignment in alignments:
                for record in document_records(alignment):
                    out.write(json_line(record) + "\n")
        return [Path(path)]

    def read(self, path: Path) -> Alignment:
        records = []
        for number, line in enumerate(read_utf8(path).split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise FormatError(f"{path}:{number}: not a JSON line ({err.msg}); "
                                  "a duizhao JSONL file has one JSON object per line") from err
        first = records[0] if records else {}
        documents = {json.dumps(r.get("doc"), sort_keys=True) for r in records if isinstance(r, dict)}
        if len(documents) > 1:
            # Several pages' JSONL concatenated: their sentence ids repeat, so one alignment cannot hold them.
            raise FormatError(f"{path}: holds the links of {len(documents)} documents (their \"doc\" fields "
                              "differ); read one document's lines at a time")
        meta = metadata_from(first.get("doc") or {}) if isinstance(first, dict) else Metadata()
        settings = dict(first.get("settings") or {}) if isinstance(first, dict) else {}
        return alignment_from_records(records, meta, settings, str(path))
