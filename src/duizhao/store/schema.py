"""The corpus schema: versioned migrations, applied in order when a file is opened.

Never edit a released migration: append one. A corpus made by an older duizhao keeps working.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, ContextManager

from ..errors import StoreError
from .search import _index_sentences


def _fill_search_index(db: sqlite3.Connection) -> None:
    """Index the sentences stored before search existed (schema 1)."""
    _index_sentences(db, db.execute("SELECT id, lang, text FROM sentences").fetchall())


# Each migration is a list of steps (SQL statements, or functions of the connection for what SQL cannot
# compute); the one at index i brings the schema to version i + 1. Never edit a released migration: append.
MIGRATIONS: list[list[str | Callable[[sqlite3.Connection], None]]] = [
    [  # 1: documents, sentences, links, edits
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            title_zh TEXT NOT NULL DEFAULT '',
            title_en TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            source_url TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            source_path TEXT NOT NULL DEFAULT '',
            metadata TEXT NOT NULL,          -- Metadata.as_dict(), with the removed page chrome
            settings TEXT NOT NULL,          -- the alignment's reproducibility signature
            added_at TEXT NOT NULL,
            reviewed INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
            idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (doc, lang, idx)
        )""",
        """CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            zh_ids TEXT NOT NULL,            -- JSON list of sentence idx
            en_ids TEXT NOT NULL,
            score REAL NOT NULL,
            flags TEXT NOT NULL,             -- JSON list of Flag.as_dict()
            reviewed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (doc, position)
        )""",
        """CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            time TEXT NOT NULL,
            action TEXT NOT NULL,
            before TEXT NOT NULL,            -- JSON: {"start", "links", "doc_reviewed"} to restore on undo
            after TEXT NOT NULL
        )""",
        "CREATE INDEX edits_by_doc ON edits (doc, id)",
    ],
    [  # 2: full-text search over comparison keys; rowid = sentences.id
        # key: for LIKE scans (one-character queries); grams: cjk_bigrams(key), the indexed column
        "CREATE VIRTUAL TABLE search_zh USING fts5(key UNINDEXED, grams, tokenize='unicode61 remove_diacritics 0')",
        "CREATE VIRTUAL TABLE search_en USING fts5(key, tokenize='unicode61 remove_diacritics 2')",
        _fill_search_index,
    ],
    [  # 3: a document's identity by its decoded text (the same page in GBK and in UTF-8 is one document);
        # NULL for documents stored before, whose bytes are not kept
        "ALTER TABLE documents ADD COLUMN text_hash TEXT",
        "CREATE INDEX documents_by_text ON documents (text_hash)",
    ],
]


SCHEMA_VERSION = len(MIGRATIONS)


def refuse_foreign(db: sqlite3.Connection, path: Path, create: bool) -> None:
    """Another application's SQLite file must not get duizhao's tables; a reader never creates them."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if {"schema_version", "documents"} <= tables:
        return  # a duizhao corpus, of this or an older schema
    if tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(f"{path} is a database of something else (tables {shown}), not a duizhao "
                         "corpus: pass another file with --db")
    if not create:
        raise StoreError(f"{path} holds no corpus yet: add documents with `duizhao add FILE --db {path}`")


def schema_version(db: sqlite3.Connection) -> int:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = db.execute("SELECT version FROM schema_version").fetchone()
    return row[0] if row else 0


def migrate(db: sqlite3.Connection, path: Path, transaction: Callable[[], ContextManager[None]]) -> None:
    """Bring the corpus at `path` to SCHEMA_VERSION, in one transaction; a newer schema is refused."""
    if schema_version(db) == SCHEMA_VERSION:
        return  # the usual case: no write lock taken just to open the file
    with transaction():
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = schema_version(db)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer duizhao (schema {version}, this one knows "
                f"{SCHEMA_VERSION}): upgrade duizhao"
            )
        for migration in MIGRATIONS[version:]:
            for step in migration:
                if callable(step):
                    step(db)
                else:
                    db.execute(step)
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))


def refuse_schema(db: sqlite3.Connection, path: Path, readonly: bool) -> None:
    """A corpus from a newer duizhao, or a file whose `documents` table is not duizhao's, is refused
    before anything is written to it."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer duizhao (schema {version}, this one knows "
            f"{SCHEMA_VERSION}): upgrade duizhao"
        )
    if version == 0 and not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
        return  # a new, empty file
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    if not {"content_hash", "metadata", "settings", "added_at"} <= columns:
        raise StoreError(f"{path} is a database of something else (its documents table is not "
                         "duizhao's), not a duizhao corpus: pass another file with --db")
    if version < SCHEMA_VERSION and readonly:
        raise StoreError(f"{path} is a corpus of an older duizhao (schema {version}) in a place that "
                         "cannot be written: copy it somewhere writable and open it once to upgrade it")
