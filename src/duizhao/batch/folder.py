"""The output folder: shard and done-record paths, resume, the manifest and its settings check, the lock."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path
from typing import Any, Iterator

from .. import __version__
from ..errors import ConfigError, FormatError
from ..formats.jsonl import json_line
from ..formats.parquet import shard_schema
from ..io import atomic_write
from .options import BatchOptions, BatchSummary


def _fanout(folder: Path, doc_id: str, suffix: str) -> Path:
    # 256 subfolders keep a folder of millions of shards listable.
    return folder / doc_id[:2] / f"{doc_id}{suffix}"


def _shard_path(output_dir: Path, doc_id: str, fmt: str) -> Path:
    return _fanout(output_dir / "links", doc_id, f".{fmt}")


def _record_path(output_dir: Path, doc_id: str, timed_out: bool = False) -> Path:
    # A timeout is not final (a rerun, perhaps with a larger --timeout, tries again): its record has
    # another suffix, so it never counts as done.
    return _fanout(output_dir / "docs", doc_id, ".timeout.json" if timed_out else ".json")


def write_shard(path: Path, rows: list[dict], fmt: str, settings: dict) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = shard_schema().with_metadata({"duizhao.settings": json.dumps(settings, ensure_ascii=False, default=str)})
        table = pa.Table.from_pylist(rows, schema=schema)
        with atomic_write(path, "wb") as handle:
            pq.write_table(table, handle)
    else:
        with atomic_write(path) as handle:
            for row in rows:
                handle.write(json_line(row) + "\n")  # U+2028 and kin escaped, as in the jsonl format


def _scan_done(output_dir: Path) -> set[str]:
    """The ids with a final done-record; stale temporary files of a killed run are removed."""
    done: set[str] = set()
    for sub in ("docs", "links"):
        folder = output_dir / sub
        if not folder.is_dir():
            continue
        for bucket in os.scandir(folder):
            if not bucket.is_dir():
                continue
            for entry in os.scandir(bucket.path):
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                elif sub == "docs" and entry.name.endswith(".json") and not entry.name.endswith(".timeout.json"):
                    done.add(entry.name[: -len(".json")])
    return done


def _read_records(output_dir: Path) -> list[dict]:
    records = []
    folder = output_dir / "docs"
    if folder.is_dir():
        for path in sorted(folder.glob("*/*.json")):
            with open(path, encoding="utf-8", newline="\n") as handle:
                records.append(json.load(handle))
    return records


@contextlib.contextmanager
def _exclusive(output_dir: Path) -> Iterator[None]:
    """One run per output folder at a time; the lock goes with the process, even on SIGKILL."""
    with open(output_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise ConfigError(
                f"another duizhao batch is writing to {output_dir}: wait for it to finish or use another --output"
            ) from err
        yield


def _check_signature(output_dir: Path, options: BatchOptions) -> dict:
    """Refuse to mix rows made with other settings into one corpus; return the old manifest, if any."""
    path = output_dir / "manifest.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="\n") as handle:
        try:
            old = json.load(handle)
        except json.JSONDecodeError as err:
            raise FormatError(f"{path} is not valid JSON: delete it, or use another --output") from err
    before, now = old.get("settings", {}), options.signature()
    if before != now:
        keys = dict.fromkeys([*now, *before])  # a setting given once and dropped since shows as well
        changed = ", ".join(_change(key, before.get(key), now.get(key)) for key in keys if before.get(key) != now.get(key))
        raise ConfigError(
            f"{output_dir} holds a corpus made with other settings ({changed}): "
            "use another --output, or rerun with the same settings to resume it"
        )
    return old


def _change(key: str, before, now) -> str:
    """One changed setting for a one-line error; of two weight tables, the names that differ."""
    if isinstance(before, dict) and isinstance(now, dict):
        names = sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
        return f"{key} {', '.join(names[:5])}{' …' if len(names) > 5 else ''} changed"
    return f"{key} {_setting(before)} → {_setting(now)}"


def _setting(value) -> str:
    # A weight table is too long for a one-line error: name its size.
    return f"({len(value)} weights)" if isinstance(value, dict) else repr(value)


def _write_manifest(output_dir: Path, options: BatchOptions, summary: BatchSummary,
                    alignment_settings: dict, complete: bool) -> None:
    manifest = {
        "duizhao_version": __version__,
        "complete": complete,
        "settings": options.signature(),
        "alignment_settings": alignment_settings,
        "documents": {"ok": summary.ok, "failed": summary.failed, "skipped": summary.skipped,
                      "duplicates": summary.duplicates, "processed": summary.processed},
        "links": summary.links,
        "links_dropped": summary.dropped,
        "sentences": summary.sentences,
        "run": {"engine": summary.engine, "workers": summary.workers, "seconds": round(summary.seconds, 3),
                "timeout": options.timeout},
        "layout": {"links": f"links/*/*.{options.fmt}", "done_records": "docs/*/*.json", "errors": "errors.jsonl"},
    }
    with atomic_write(output_dir / "manifest.json") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def _hf_feature(name: str | None, kind: Any) -> list[str]:
    """One column of a Hugging Face dataset card's `features` (YAML lines), from its Arrow type."""
    import pyarrow as pa

    head = [f"- name: {name}"] if name is not None else []
    if pa.types.is_list(kind):
        item = kind.value_type
        if pa.types.is_struct(item):
            return head + ["  list:"] + ["  " + line for field in item for line in _hf_feature(field.name, field.type)]
        return head + [f"  list: {item}"]
    if pa.types.is_struct(kind):
        return head + ["  struct:"] + ["  " + line for field in kind for line in _hf_feature(field.name, field.type)]
    return head + [f"  dtype: {'float64' if str(kind) == 'double' else kind}"]


def _write_dataset_card(out: Path, fmt: str) -> None:
    """README.md with the corpus's Hugging Face dataset card: where the shards are and every column's type, so
    that `datasets.load_dataset("<corpus folder>")` reads every shard with the same types (JSON cannot type
    an empty list: a shard whose links carry no flag would otherwise read `flags` as a list of nulls)."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:", "  - split: train",
             f'    path: "links/*/*.{fmt}"', "dataset_info:", "  features:"]
    lines += ["  " + line for field in shard_schema() for line in _hf_feature(field.name, field.type)]
    lines += ["---", "", "A parallel corpus written by `duizhao batch`: one row per Chinese–English link.",
              "See manifest.json for the settings and errors.jsonl for the documents that failed.", ""]
    with atomic_write(out / "README.md") as handle:
        handle.write("\n".join(lines))
