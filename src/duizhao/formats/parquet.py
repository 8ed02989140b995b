"""Parquet (pyarrow): one row per link, the same columns as JSONL, with the document facts and the
reproducibility signature in the file's schema metadata (`duizhao.doc`, `duizhao.settings`, JSON text)
instead of on every row: a columnar file has a real place for them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment
from . import Format, alignment_from_records, link_record, metadata_from, provenance, require_file, settings_of

DOC_KEY = b"duizhao.doc"
SETTINGS_KEY = b"duizhao.settings"


def link_schema() -> Any:
    """The columns of one link (`link_record`), for `--format parquet` and, after the document's own
    columns, for batch shards (`shard_schema`): one schema, so that both read alike."""
    import pyarrow as pa

    ids = pa.list_(pa.int64())
    return pa.schema([
        ("zh", pa.string()), ("en", pa.string()),
        ("translation", pa.struct([("zh", pa.string()), ("en", pa.string())])), ("zh_ids", ids), ("en_ids", ids),
        ("score", pa.float64()), ("type", pa.string()), ("flags", pa.list_(pa.string())),
        ("flag_details", pa.list_(pa.struct([("type", pa.string()), ("message", pa.string()),
                                             ("evidence", pa.string())]))),
        ("zh_offsets", ids), ("en_offsets", ids),
    ])


def shard_schema() -> Any:
    """A batch shard's columns: the document's id and source file(s), the link's number in it, then the
    link's own columns (`link_schema`)."""
    import pyarrow as pa

    document = [("doc_id", pa.string()), ("source", pa.string()), ("source_en", pa.string()), ("link", pa.int64())]
    return pa.schema([pa.field(name, kind) for name, kind in document] + list(link_schema()))


class ParquetFormat(Format):
    name = "parquet"
    extension = "parquet"
    can_read = True

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = link_schema().with_metadata({
            DOC_KEY: json.dumps(provenance(alignment.document.meta), ensure_ascii=False),
            SETTINGS_KEY: json.dumps(settings_of(alignment), ensure_ascii=False),
        })
        table = pa.Table.from_pylist([link_record(alignment, bead) for bead in alignment.beads], schema=schema)
        with atomic_write(path, "wb") as out:
            pq.write_table(table, out)
        return [Path(path)]

    def read(self, path: Path) -> Alignment:
        import pyarrow as pa
        import pyarrow.parquet as pq

        require_file(path)
        try:
            table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as err:
            raise FormatError(f"{path}: not a Parquet file ({err})") from err
        stored = table.schema.metadata or {}
        meta = metadata_from(json.loads(stored.get(DOC_KEY, b"{}")))
        settings = json.loads(stored.get(SETTINGS_KEY, b"{}"))
        return alignment_from_records(table.to_pylist(), meta, settings, str(path))
