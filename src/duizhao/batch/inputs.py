"""Finding the documents of a batch: files, folders, glob patterns and JSONL manifests, each named by its content id."""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import FormatError, InputError
from ..io import file_content_id, printable_path
from .options import Task


def document_id(path: str | os.PathLike, path_en: str | os.PathLike | None = None) -> str:
    """A document's id: `duizhao.io.content_id` of its bytes (the id `duizhao add` gives it too), or for a
    pair, the SHA-256 of both files' ids."""
    if path_en is None:
        return file_content_id(path)
    # Hash the two ids (not the concatenated bytes) so that where one file ends cannot shift.
    pair = b"zh-en pair\0" + bytes.fromhex(file_content_id(path)) + bytes.fromhex(file_content_id(path_en))
    return hashlib.sha256(pair).hexdigest()


@dataclass
class Inputs:
    tasks: list[Task]
    failures: list[dict]  # documents that could not even be read: error records without a doc id
    duplicates: int


def collect_inputs(inputs: Sequence[str | os.PathLike], exclude: str | os.PathLike | None = None) -> Inputs:
    """Expand files, folders (recursively), globs and JSONL manifests into tasks, in input order.

    A `.jsonl` file named as an input is a manifest: one `{"path": ...}` (a mixed file) or
    `{"zh": ..., "en": ...}` (a pair) per line, relative paths taken from the manifest's folder.
    Files inside folders are all documents (hidden files and the output folder left out).
    """
    skip = Path(exclude).resolve() if exclude else None
    found: list[tuple[str, str | None]] = []  # (path, English path of a pair or None)
    for item in inputs:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            found.extend((str(p), None) for p in _walk(path, skip))
        elif path.is_file() and path.suffix.lower() == ".jsonl":
            found.extend(_read_manifest(path))
        elif path.exists():
            found.append((text, None))
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"no file matches {text}: check the pattern (quote it so the shell does not expand it)")
            for match in matches:
                if Path(match).is_dir():
                    found.extend((str(p), None) for p in _walk(Path(match), skip))
                elif not _inside(Path(match), skip):
                    found.append((match, None))
        else:
            raise InputError(f"{text} not found: give existing files, folders, glob patterns or a .jsonl manifest")
    if not found:
        raise InputError("no documents found in the inputs: give files, folders, glob patterns or a .jsonl manifest")

    tasks: list[Task] = []
    failures: list[dict] = []
    seen: set[str] = set()
    duplicates = 0
    for name, path_en in found:
        odd = next((p for p in (name, path_en) if p is not None and not _regular(p)), None)
        if odd is not None:
            # A FIFO would block the driver forever, /dev/zero would be read forever: neither is a document.
            failures.append({
                "path": printable_path(name) if path_en is None else f"{printable_path(name)} + {printable_path(path_en)}",
                "doc_id": "", "error": "InputError",
                "reason": f"{printable_path(odd)} is not a regular file (a pipe, device or socket): "
                          "copy its content into a file to align it",
            })
            continue
        try:
            doc_id = document_id(name, path_en)
        except OSError as err:
            failures.append({
                "path": printable_path(name) if path_en is None else f"{printable_path(name)} + {printable_path(path_en)}",
                "doc_id": "",
                "error": "InputError", "reason": f"cannot read {printable_path(err.filename or name)}: {err.strerror}",
            })
            continue
        if doc_id in seen:
            duplicates += 1
            continue
        seen.add(doc_id)
        tasks.append(Task(
            # source: the name shown in rows and errors; path: the one to open (maybe not UTF-8).
            doc_id=doc_id, source=printable_path(name), path=str(Path(name).resolve()),
            source_en=printable_path(path_en) if path_en else "", path_en=str(Path(path_en).resolve()) if path_en else "",
        ))
    return Inputs(tasks, failures, duplicates)


def _regular(path: str) -> bool:
    """Whether `path` is a regular file (a missing one is reported when it is read)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(folder)


def _walk(folder: Path, skip: Path | None) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        # Sorted, hidden entries and the output folder left out, so the order never depends on the disk.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _inside(here / d, skip))
        for name in sorted(files):
            if not name.startswith("."):
                yield here / name


def _read_manifest(manifest: Path) -> list[tuple[str, str | None]]:
    base = manifest.parent
    usage = 'each line must be {"path": FILE} or {"zh": FILE, "en": FILE}'
    entries: list[tuple[str, str | None]] = []
    with open(manifest, encoding="utf-8", newline="\n") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(f"{manifest} line {number} is not JSON ({err.msg}): {usage}") from err
            if not isinstance(entry, dict):
                raise FormatError(f"{manifest} line {number} is not a JSON object: {usage}")
            if isinstance(entry.get("path"), str):
                entries.append((_relative_to(base, entry["path"]), None))
            elif isinstance(entry.get("zh"), str) and isinstance(entry.get("en"), str):
                entries.append((_relative_to(base, entry["zh"]), _relative_to(base, entry["en"])))
            else:
                raise FormatError(f"{manifest} line {number} has neither \"path\" nor \"zh\" and \"en\": {usage}")
    return entries


def _relative_to(base: Path, path: str) -> str:
    return path if os.path.isabs(path) else os.path.normpath(base / path)
