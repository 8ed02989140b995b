"""The corpus file's connections and transactions: read-only where nothing is written, and a write that
fails (read-only file, full disk) leaves nothing half-stored and says so in one line."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import StoreError
from .schema import SCHEMA_VERSION, migrate, refuse_foreign, refuse_schema, schema_version


def open_corpus(path: Path, *, create: bool, readonly: bool) -> sqlite3.Connection:
    """A connection to the corpus at `path`, its schema checked (and, unless `readonly`, brought up to date
    and switched to WAL); a file that is not a usable corpus is a one-line StoreError."""
    try:
        # isolation_level=None: transactions are opened explicitly, so one `add` is one transaction.
        if readonly:
            db = read_only_connection(path)
        else:
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open {path} ({err}): check the folder's permissions, or pass another --db") from err
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        refuse_foreign(db, path, create)
        if readonly:
            # A reader writes nothing: no WAL switch, no migration (a corpus in a read-only folder, a
            # mounted release, another program's file all stay byte for byte as they were).
            if schema_version(db) != SCHEMA_VERSION:
                refuse_schema(db, path, readonly)
        else:
            refuse_schema(db, path, readonly)  # before anything is written: a foreign or newer file stays untouched
            migrate(db, path, lambda: Transaction(db))
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
    except BaseException as err:
        db.close()
        if isinstance(err, sqlite3.OperationalError):  # locked, read-only, disk full: a usable file
            raise StoreError(f"cannot use {path} ({err}): check its permissions, that no other program "
                             "holds it, and free space; or pass another --db") from err
        if isinstance(err, sqlite3.DatabaseError):  # "file is not a database"
            raise StoreError(f"{path} is not a duizhao database ({err}): pass another file with --db") from err
        raise
    return db


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: `mode=ro`, so that search and serve work on a corpus in a read-only
    folder or on a mounted release. A WAL corpus whose folder cannot hold its `-shm` file is opened as
    immutable (nobody can be writing it there)."""
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


class Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (also KeyboardInterrupt)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.OperationalError as err:  # disk full, I/O error at COMMIT
                self._rollback()
                raise StoreError(f"could not save to the corpus ({err}): nothing of this change was stored; "
                                 "free some space or check the file, then try again") from err
        self._rollback()
        if isinstance(exc, sqlite3.OperationalError):  # read-only file, disk full inside the transaction
            raise StoreError(f"could not save to the corpus ({exc}): nothing of this change was stored; "
                             "check the file's permissions and free space, then try again") from exc

    def _rollback(self) -> None:
        try:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite has rolled back on its own (a failed COMMIT after an I/O error)
