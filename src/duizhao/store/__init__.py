"""The corpus: one SQLite file holding documents, their sentences, their links and the reviewer's edits.

Every write goes through `Store`. The schema is versioned and grown only by the migrations in
`store/schema.py`, applied in order when a file is opened, so a corpus made by an older duizhao keeps working.
Review edits are pure functions over `StoredLink`s (`store/edits.py`); search and the concordance are in
`store/search.py` and `store/concordance.py`.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Callable

from ..errors import EditError, NotFoundError, StaleEditError, StoreError, TimeLimitError
from ..io import content_id
from ..model import Alignment, Document, Lang, Metadata, Sentence
from . import edits
from .concordance import Concordance, Hit, concordance, likely_rendering
from .connection import Transaction, open_corpus
from .edits import Change, StoredLink, review_state
from .schema import MIGRATIONS, SCHEMA_VERSION, schema_version
from .search import (
    CLI_SEARCH_ADVICE,
    Searching,
    _index_sentences,
    cjk_bigrams,
    find_spans,
    guess_lang,
    mark,
    parse_lang,
    search_key,
)

__all__ = [
    "DEFAULT_DB", "LANGS", "MIGRATIONS", "SCHEMA_VERSION", "Change", "Concordance", "DocumentSummary", "EditError",
    "CLI_SEARCH_ADVICE", "Hit", "NotFoundError", "StaleEditError", "Store", "StoreError", "StoredDocument", "StoredLink", "TimeLimitError",
    "cjk_bigrams", "concordance", "content_hash", "find_spans", "guess_lang", "likely_rendering", "mark", "parse_lang",
    "review_state", "search_key",
]

DEFAULT_DB = "duizhao.db"
LANGS: tuple[Lang, Lang] = ("zh", "en")
content_hash = content_id  # a document's identity (duizhao.io.content_id), the name the store's column has


@dataclass
class DocumentSummary:
    """One row of the document list."""

    id: int
    title_zh: str
    title_en: str
    date: str
    source_path: str
    added_at: str
    reviewed: bool
    links: int
    flagged: int  # links with at least one flag
    unreviewed: int


@dataclass
class StoredDocument:
    """A stored alignment and its review state."""

    id: int
    alignment: Alignment
    link_reviewed: list[bool]  # one per bead
    reviewed: bool  # the whole document was marked reviewed
    added_at: str
    content_hash: str
    edits: int  # how many edits undo can take back
    state: str = ""  # review_state() of the links and marks shown: what an edit made on this view names


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote."""
    if cursor.lastrowid is None:
        raise StoreError("SQLite gave no id for a new row (a bug, not user error)")
    return cursor.lastrowid


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(Searching):
    """A duizhao corpus in one SQLite file. Use as a context manager, or close().

    `create=True` (add, serve) creates the file if missing; `create=False` (search, glossary) opens only a
    corpus that exists. Both upgrade an older corpus's schema; neither writes into a database that is not
    duizhao's (a corpus is a file with duizhao's `schema_version` and `documents` tables, or no table yet).
    """

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, *, create: bool = True, readonly: bool = False):
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder: pass a corpus file with --db, e.g. {self.path / DEFAULT_DB}")
        if not create and not self.path.is_file():
            raise StoreError(f"no corpus at {self.path}: create one with `duizhao add FILE --db {self.path}`")
        if not self.path.parent.is_dir():
            raise StoreError(
                f"cannot create {self.path}: the folder {self.path.parent} does not exist; "
                "create it or pass another --db"
            )
        self.readonly = readonly
        self._db = open_corpus(self.path, create=create, readonly=readonly)

    def check_writable(self) -> None:
        """Refuse now, before any aligning, a corpus that cannot be written (a read-only file or folder, a
        full disk, a lock another program holds)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError as err:
            raise StoreError(f"cannot write to {self.path} ({err}): check its permissions and free space, "
                             "or pass another --db") from err

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- transactions and schema ---

    def _transaction(self) -> Transaction:
        return Transaction(self._db)

    def schema_version(self) -> int:
        return schema_version(self._db)

    # --- adding ---

    def add(self, alignment: Alignment, content_hash: str, text_hash: str | None = None) -> tuple[int, bool]:
        """Store an alignment; returns (document id, whether it was added). A known hash (of the bytes, or
        `text_hash` of the decoded text, `ingest.encoding.text_id`) is not stored again."""
        meta = alignment.document.meta
        for lang in ("zh", "en"):
            count = len(alignment.document.side(lang))
            wrong = [i for bead in alignment.beads for i in getattr(bead, lang) if not 0 <= i < count]
            if wrong:
                raise StoreError(
                    f"a link refers to {lang} sentence {wrong[0]}, but the document has {count} {lang} sentences: "
                    "the alignment does not belong to this document"
                )
        with self._transaction():
            known = self.find(content_hash)
            if known is None and text_hash is not None:
                known = self.find_text(text_hash)
            if known is not None:
                return known, False
            doc_id = _row_id(self._db.execute(
                """INSERT INTO documents (content_hash, text_hash, title_zh, title_en, date, source_url, site,
                                          source_path, metadata, settings, added_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (content_hash, text_hash, meta.title_zh, meta.title_en, meta.date, meta.source_url, meta.site, meta.path,
                 json.dumps(meta.as_dict(), ensure_ascii=False),
                 json.dumps(alignment.settings, ensure_ascii=False), _now()),
            ))
            for lang in LANGS:
                for idx, sentence in enumerate(alignment.document.side(lang)):
                    sid = _row_id(self._db.execute(
                        "INSERT INTO sentences (doc, lang, idx, paragraph, kind, text) VALUES (?, ?, ?, ?, ?, ?)",
                        (doc_id, lang, idx, sentence.paragraph, sentence.kind, sentence.text),
                    ))
                    _index_sentences(self._db, [(sid, lang, sentence.text)])
            self._write_links(doc_id, 0, [StoredLink.from_bead(b) for b in alignment.beads])
            return doc_id, True

    def _write_links(self, doc_id: int, start: int, links: list[StoredLink]) -> None:
        rows = [link.as_dict() for link in links]
        self._db.executemany(
            """INSERT INTO links (doc, position, zh_ids, en_ids, score, flags, reviewed)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                (doc_id, start + i, json.dumps(r["zh"]), json.dumps(r["en"]), r["score"],
                 json.dumps(r["flags"], ensure_ascii=False), int(r["reviewed"]))
                for i, r in enumerate(rows)
            ],
        )

    # --- reading ---

    def document_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def documents(self, offset: int = 0, limit: int | None = None) -> list[DocumentSummary]:
        """The documents in id order, with their link counts; `limit` of them from `offset` (a page)."""
        rows = self._db.execute(
            """SELECT d.id, d.title_zh, d.title_en, d.date, d.source_path, d.added_at, d.reviewed,
                      COUNT(l.id) AS links,
                      COALESCE(SUM(l.flags != '[]'), 0) AS flagged,
                      COALESCE(SUM(l.reviewed = 0), 0) AS unreviewed
               FROM (SELECT * FROM documents ORDER BY id LIMIT ? OFFSET ?) d LEFT JOIN links l ON l.doc = d.id
               GROUP BY d.id ORDER BY d.id""",
            (-1 if limit is None else limit, max(0, offset)),
        )
        return [
            DocumentSummary(r["id"], r["title_zh"], r["title_en"], r["date"], r["source_path"], r["added_at"],
                            bool(r["reviewed"]), r["links"], r["flagged"], r["unreviewed"])
            for r in rows
        ]

    def _doc_row(self, doc_id: int) -> sqlite3.Row:
        row = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document {doc_id} in {self.path}: `duizhao serve` lists the documents")
        return row

    def _links(self, doc_id: int) -> list[StoredLink]:
        return [
            StoredLink.from_dict({"zh": json.loads(r["zh_ids"]), "en": json.loads(r["en_ids"]), "score": r["score"],
                                  "flags": json.loads(r["flags"]), "reviewed": r["reviewed"]})
            for r in self._db.execute("SELECT * FROM links WHERE doc = ? ORDER BY position", (doc_id,))
        ]

    def document(self, doc_id: int) -> StoredDocument:
        row = self._doc_row(doc_id)
        known = Metadata.__dataclass_fields__
        meta = Metadata(**{k: v for k, v in json.loads(row["metadata"]).items() if k in known})
        sides: dict[str, list[Sentence]] = {"zh": [], "en": []}
        for s in self._db.execute("SELECT * FROM sentences WHERE doc = ? ORDER BY lang, idx", (doc_id,)):
            sides[s["lang"]].append(Sentence(s["text"], s["paragraph"], s["kind"]))
        links = self._links(doc_id)
        beads = [link.bead() for link in links]
        edits = self._db.execute("SELECT COUNT(*) FROM edits WHERE doc = ?", (doc_id,)).fetchone()[0]
        return StoredDocument(
            id=doc_id,
            alignment=Alignment(Document(sides["zh"], sides["en"], meta), beads, json.loads(row["settings"])),
            link_reviewed=[link.reviewed for link in links],
            reviewed=bool(row["reviewed"]),
            added_at=row["added_at"],
            content_hash=row["content_hash"],
            edits=edits,
            state=self._state(doc_id, links, bool(row["reviewed"])),
        )

    # --- edits: each one validated (store/edits.py), applied and logged for undo in one transaction ---

    def _edit(self, doc_id: int, action: str, change: Callable[[list[StoredLink], bool], Change],
              expected: str | None = None) -> None:
        """Apply `change(links, doc_reviewed)` and log the links it replaced, so that undo can restore them.
        `expected`: the `review_state` the edit was made on; another one raises StaleEditError."""
        with self._transaction():
            doc_reviewed = bool(self._doc_row(doc_id)["reviewed"])
            links = self._links(doc_id)
            self._check_state(doc_id, links, doc_reviewed, expected)
            done = change(links, doc_reviewed)
            replaced = links[done.start:done.start + done.count]
            before = {"start": done.start, "links": [link.as_dict() for link in replaced], "doc_reviewed": doc_reviewed}
            after = {"start": done.start, "links": [link.as_dict() for link in done.links],
                     "doc_reviewed": done.doc_reviewed}
            self._replace(doc_id, done.start, done.count, done.links, done.doc_reviewed)
            self._db.execute(
                "INSERT INTO edits (doc, time, action, before, after) VALUES (?, ?, ?, ?, ?)",
                (doc_id, _now(), action, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)),
            )

    def _replace(self, doc_id: int, start: int, count: int, new: list[StoredLink], doc_reviewed: bool) -> None:
        """Put `new` in place of the `count` links from `start`, shifting the links after them."""
        self._db.execute(
            "DELETE FROM links WHERE doc = ? AND position >= ? AND position < ?", (doc_id, start, start + count)
        )
        shift = len(new) - count
        if shift:
            # through negative positions, so that no UPDATE row collides with UNIQUE (doc, position)
            self._db.execute("UPDATE links SET position = -position - 1 WHERE doc = ? AND position >= ?",
                             (doc_id, start + count))
            self._db.execute("UPDATE links SET position = -position - 1 + ? WHERE doc = ? AND position < 0",
                             (shift, doc_id))
        self._write_links(doc_id, start, new)
        self._db.execute("UPDATE documents SET reviewed = ? WHERE id = ?", (int(doc_reviewed), doc_id))

    def _state(self, doc_id: int, links: list[StoredLink], doc_reviewed: bool) -> str:
        """`review_state` of the document as stored now."""
        last_edit = self._db.execute("SELECT MAX(id) FROM edits WHERE doc = ?", (doc_id,)).fetchone()[0]
        return review_state(links, doc_reviewed, last_edit)

    def _check_state(self, doc_id: int, links: list[StoredLink], doc_reviewed: bool, expected: str | None) -> None:
        if expected is not None and expected != self._state(doc_id, links, doc_reviewed):
            raise StaleEditError(f"document {doc_id} has changed since this view of it was loaded (in another tab?); "
                                 "nothing was changed: reload the page and make the edit again")

    def merge(self, doc_id: int, position: int, *, expected: str | None = None) -> None:
        """Join link `position` with the next one (`edits.merge`)."""
        self._edit(doc_id, "merge", lambda links, reviewed: edits.merge(links, position, reviewed), expected)

    def split(self, doc_id: int, position: int, zh_at: int | None = None, en_at: int | None = None, *,
              expected: str | None = None) -> None:
        """Cut link `position` in two (`edits.split` says where, with no cut point or one)."""

        def lengths(lang: Lang, ids: tuple[int, ...]) -> list[int]:
            return self._lengths(doc_id, lang, ids)

        self._edit(doc_id, "split",
                   lambda links, reviewed: edits.split(links, position, zh_at, en_at, reviewed, lengths), expected)

    def move(self, doc_id: int, position: int, lang: str, direction: str, *, expected: str | None = None) -> None:
        """Move the boundary sentence of one side to the neighbouring link (`edits.move`)."""
        edits.check_move(lang, direction)
        self._edit(doc_id, "move",
                   lambda links, reviewed: edits.move(links, position, lang, direction, reviewed), expected)

    def mark_reviewed(self, doc_id: int, position: int | None = None, reviewed: bool = True, *,
                      expected: str | None = None) -> None:
        """Mark one link, or (position None) the whole document and all its links, reviewed or not."""
        self._edit(doc_id, "review", lambda links, doc: edits.review(links, position, reviewed, doc), expected)

    def undo(self, doc_id: int, *, expected: str | None = None) -> str:
        """Take back the document's latest edit; returns its action."""
        with self._transaction():
            doc_reviewed = bool(self._doc_row(doc_id)["reviewed"])
            self._check_state(doc_id, self._links(doc_id), doc_reviewed, expected)
            row = self._db.execute(
                "SELECT id, action, before, after FROM edits WHERE doc = ? ORDER BY id DESC LIMIT 1", (doc_id,)
            ).fetchone()
            if row is None:
                raise EditError(f"document {doc_id} has no edits to undo")
            before, after = json.loads(row["before"]), json.loads(row["after"])
            restored = [StoredLink.from_dict(link) for link in before["links"]]
            self._replace(doc_id, before["start"], len(after["links"]), restored, before["doc_reviewed"])
            self._db.execute("DELETE FROM edits WHERE id = ?", (row["id"],))
            return str(row["action"])

    def search(self, term: str, lang: Lang | None = None, limit: int = 20, *, most: int | None = None,
               sample: int | None = None) -> Concordance:
        """A bilingual concordance of `term` (language guessed from the term when not given); `most` and
        `sample` bound the work for a frequent term (`concordance`)."""
        if sample is None:
            return concordance(self, term, lang, limit, most)
        return concordance(self, term, lang, limit, most, sample)
