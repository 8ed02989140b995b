"""The corpus: one SQLite file holding documents, their sentences, their links and the reviewer's edits.

Every write goes through `Store`. The schema is versioned and grown only by the migrations in
`MIGRATIONS`, applied in order when a file is opened, so a corpus made by an older duizhao keeps working.

Search is FTS5 over a comparison key of each sentence (the user's text is kept as it is). Chinese is
indexed as overlapping character bigrams, so that a word of two or more characters is found inside
unsegmented text by index lookup; a one-character query scans the keys. English uses word tokens.
BENCHMARKS.md ("Concordance search") has the measurement against FTS5's trigram tokenizer and a
jieba-segmented index that led to this choice.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

import regex

from .chinese import HAN as _HAN_CHAR
from .chinese import cedict, quiet_jieba, to_simplified
from .errors import ConfigError, DuizhaoError
from .io import content_id
from .lexicon import EN_STOPWORDS, ZH_STOPWORDS, Lexicon
from .model import Alignment, Bead, Document, Flag, Lang, Metadata, Sentence
from .names import NameIndex, transliteration

DEFAULT_DB = "duizhao.db"


class StoreError(DuizhaoError):
    """The database file cannot be used as a duizhao corpus."""


class NotFoundError(DuizhaoError):
    """A document or link that does not exist (the web app answers 404)."""


class EditError(DuizhaoError):
    """An edit that cannot be applied to this link (the web app answers 400)."""


class StaleEditError(EditError):
    """An edit made on a view of the document that has changed since (another tab): the app answers 409."""


def review_state(links: list[dict], doc_reviewed: bool, last_edit: int | None) -> str:
    """A short fingerprint of a document's links, review marks and undo log: an edit names the state it was
    made on, so that one made on an old view (a second tab, a replayed form) is refused instead of landing
    on another link. Undo returns to an earlier state's fingerprint, where that view's edits hold again;
    an edit made and taken back elsewhere still changes it (the undo log is not the same)."""
    summary = [[link["zh"], link["en"], bool(link["reviewed"])] for link in links]
    return hashlib.blake2b(json.dumps([summary, bool(doc_reviewed), last_edit]).encode(), digest_size=8).hexdigest()


content_hash = content_id  # a document's identity (duizhao.io.content_id), the name the store's column has


# --- schema -----------------------------------------------------------------------------------------

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
]
SCHEMA_VERSION = len(MIGRATIONS)


# --- comparison keys --------------------------------------------------------------------------------

def search_key(text: str, lang: Lang) -> str:
    """The text as search compares it, with the same length so that a match's offsets are the text's.

    Each character is NFKC-folded and lower-cased only where that keeps it one character; Chinese is
    mapped to Simplified where OpenCC keeps the length.
    """
    chars = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).lower()
        chars.append(folded if len(folded) == 1 else ch)
    key = "".join(chars)
    if lang == "zh":
        simplified = to_simplified(key)
        if len(simplified) == len(key):
            key = simplified
    return key


_EN_WORD = regex.compile(r"[\p{L}\p{N}]+")


def _en_words(key: str) -> list[str]:
    return _EN_WORD.findall(key)


def find_spans(text: str, term: str, lang: Lang) -> list[tuple[int, int]]:
    """Where `term` occurs in `text`, as (start, end) character offsets; English matches whole words."""
    key, query = search_key(text, lang), search_key(term, lang).strip()
    if not query:
        return []
    if lang == "zh":
        pattern = regex.escape(query)
    else:
        words = _en_words(query)
        if not words:
            return []
        pattern = r"(?<![\p{L}\p{N}])" + r"[^\p{L}\p{N}]+".join(map(regex.escape, words)) + r"(?![\p{L}\p{N}])"
    return [(m.start(), m.end()) for m in regex.finditer(pattern, key)]


_RUN = regex.compile(r"[\p{L}\p{N}\p{M}]+")
# Between two runs of letters (at punctuation or spaces); a query never produces it (its tokens are 1–2
# characters), so a phrase cannot match across a comma: 打，不过 is not 打不过.
_RUN_BREAK = "brk"


def cjk_bigrams(key: str) -> str:
    """Overlapping character bigrams of each run of letters and digits, space-separated, for FTS5.

    A query of n ≥ 2 characters becomes the phrase of its n - 1 bigrams, which matches exactly where the
    characters occur in a row (as CJK analyzers in Lucene index Chinese); a one-character run is its own token.
    """
    tokens: list[str] = []
    for run in _RUN.findall(key):
        if tokens:
            tokens.append(_RUN_BREAK)
        tokens += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
    return " ".join(tokens)


def _index_sentences(db: sqlite3.Connection, rows: Iterable[tuple[int, Lang, str]]) -> None:
    """Add (sentence id, lang, text) rows to the search tables."""
    for sid, lang, text in rows:
        key = search_key(text, lang)
        if lang == "zh":
            db.execute("INSERT INTO search_zh (rowid, key, grams) VALUES (?, ?, ?)", (sid, key, cjk_bigrams(key)))
        else:
            db.execute("INSERT INTO search_en (rowid, key) VALUES (?, ?)", (sid, key))


def _fts_phrase(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


# --- what the store hands out -----------------------------------------------------------------------

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


@dataclass
class Hit:
    """One concordance line: a link whose `lang` side contains the term.

    `spans` are (start, end) offsets of the term in `text`; `rendering_spans` mark the likely rendering of
    the term in `aligned` (the other side of the link).
    """

    doc_id: int
    title: str
    position: int
    lang: Lang
    text: str
    spans: list[tuple[int, int]]
    aligned: str
    rendering_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Concordance:
    term: str
    lang: Lang
    rendering: str  # the likely rendering in the other language ("" if none could be found)
    total: int  # links containing the term, in the whole store
    hits: list[Hit]

    def records(self) -> list[dict]:
        """One JSON-ready record per hit (what `duizhao search` prints when piped)."""
        return [
            {"term": self.term, "rendering": self.rendering, "doc": h.doc_id, "title": h.title, "position": h.position,
             "lang": h.lang, "text": h.text, "spans": [list(s) for s in h.spans], "aligned": h.aligned,
             "rendering_spans": [list(s) for s in h.rendering_spans]}
            for h in self.hits
        ]


def mark(text: str, spans: list[tuple[int, int]], before: str, after: str, escape: Callable[[str], str]) -> str:
    """`text` escaped for its medium, with each span wrapped in `before` … `after` (rich markup, HTML)."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue  # overlapping matches: keep the first
        out += [escape(text[at:start]), before, escape(text[start:end]), after]
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def concordance_table(result: Concordance):
    """The concordance for a terminal (a rich table): the term in bold yellow, its rendering in bold cyan."""
    from rich.markup import escape
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")  # Chinese has no spaces to wrap at
    for number, hit in enumerate(result.hits):
        term_line = mark(hit.text, hit.spans, "[bold yellow]", "[/]", escape)
        rendering_line = mark(hit.aligned, hit.rendering_spans, "[bold cyan]", "[/]", escape) or "[dim]—[/]"
        zh_line, en_line = (term_line, rendering_line) if hit.lang == "zh" else (rendering_line, term_line)
        if number:
            table.add_row("", "")
        table.add_row(f"{hit.doc_id}:{hit.position + 1}", f"[dim]{escape(hit.title)}[/]")
        table.add_row("zh", zh_line)
        table.add_row("en", en_line)
    return table


# --- the store --------------------------------------------------------------------------------------

# What an edit does to a document's links: (first position, how many links it replaces, the links that
# replace them, whether the whole document is now marked reviewed).
_Change = tuple[int, int, list[dict], bool]


LANGS: tuple[Lang, Lang] = ("zh", "en")


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote."""
    if cursor.lastrowid is None:
        raise StoreError("SQLite gave no id for a new row (a bug, not user error)")
    return cursor.lastrowid


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _link_row(bead: Bead, reviewed: bool) -> dict:
    return {
        "zh": list(bead.zh), "en": list(bead.en), "score": bead.score,
        "flags": [f.as_dict() for f in bead.flags], "reviewed": reviewed,
    }


class Store:
    """A duizhao corpus in one SQLite file. Use as a context manager, or close().

    `create=True` (add, serve) creates the file if missing; `create=False` (search, glossary) opens only a
    corpus that exists. Both upgrade an older corpus's schema; neither writes into a database that is not
    duizhao's (a corpus is a file with duizhao's `schema_version` and `documents` tables, or no table yet).
    """

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, *, create: bool = True):
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
        try:
            # isolation_level=None: transactions are opened explicitly, so one `add` is one transaction.
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open {self.path} ({err}): check the folder's permissions, or pass another --db") from err
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys=ON")
            self._refuse_foreign(create)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except BaseException as err:
            self._db.close()
            if isinstance(err, sqlite3.OperationalError):  # locked, read-only, disk full: a usable file
                raise StoreError(f"cannot use {self.path} ({err}): check its permissions, that no other program "
                                 "holds it, and free space; or pass another --db") from err
            if isinstance(err, sqlite3.DatabaseError):  # "file is not a database"
                raise StoreError(
                    f"{self.path} is not a duizhao database ({err}): pass another file with --db"
                ) from err
            raise

    def _refuse_foreign(self, create: bool) -> None:
        """Another application's SQLite file must not get duizhao's tables; a reader never creates them."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if {"schema_version", "documents"} <= tables:
            return  # a duizhao corpus, of this or an older schema
        if tables:
            shown = ", ".join(sorted(tables)[:5])
            raise StoreError(f"{self.path} is a database of something else (tables {shown}), not a duizhao "
                             "corpus: pass another file with --db")
        if not create:
            raise StoreError(f"{self.path} holds no corpus yet: add documents with `duizhao add FILE --db {self.path}`")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- transactions and migrations ---

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def schema_version(self) -> int:
        exists = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if not exists:
            return 0
        row = self._db.execute("SELECT version FROM schema_version").fetchone()
        return row[0] if row else 0

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return  # the usual case: no write lock taken just to open the file
        with self._transaction():
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer duizhao (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}): upgrade duizhao"
                )
            for migration in MIGRATIONS[version:]:
                for step in migration:
                    if callable(step):
                        step(self._db)
                    else:
                        self._db.execute(step)
            self._db.execute("DELETE FROM schema_version")
            self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))

    # --- adding ---

    def find(self, content_hash: str) -> int | None:
        row = self._db.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def add(self, alignment: Alignment, content_hash: str) -> tuple[int, bool]:
        """Store an alignment; returns (document id, whether it was added). A known hash is not stored again."""
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
            if known is not None:
                return known, False
            doc_id = _row_id(self._db.execute(
                """INSERT INTO documents (content_hash, title_zh, title_en, date, source_url, site, source_path,
                                          metadata, settings, added_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (content_hash, meta.title_zh, meta.title_en, meta.date, meta.source_url, meta.site, meta.path,
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
            self._write_links(doc_id, 0, [_link_row(b, False) for b in alignment.beads])
            return doc_id, True

    def _write_links(self, doc_id: int, start: int, rows: list[dict]) -> None:
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

    def documents(self) -> list[DocumentSummary]:
        rows = self._db.execute(
            """SELECT d.id, d.title_zh, d.title_en, d.date, d.source_path, d.added_at, d.reviewed,
                      COUNT(l.id) AS links,
                      COALESCE(SUM(l.flags != '[]'), 0) AS flagged,
                      COALESCE(SUM(l.reviewed = 0), 0) AS unreviewed
               FROM documents d LEFT JOIN links l ON l.doc = d.id
               GROUP BY d.id ORDER BY d.id"""
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

    def _links(self, doc_id: int) -> list[dict]:
        return [
            {"zh": json.loads(r["zh_ids"]), "en": json.loads(r["en_ids"]), "score": r["score"],
             "flags": json.loads(r["flags"]), "reviewed": bool(r["reviewed"])}
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
        beads = [
            Bead(tuple(r["zh"]), tuple(r["en"]), r["score"], [Flag(**f) for f in r["flags"]]) for r in links
        ]
        edits = self._db.execute("SELECT COUNT(*) FROM edits WHERE doc = ?", (doc_id,)).fetchone()[0]
        return StoredDocument(
            id=doc_id,
            alignment=Alignment(Document(sides["zh"], sides["en"], meta), beads, json.loads(row["settings"])),
            link_reviewed=[r["reviewed"] for r in links],
            reviewed=bool(row["reviewed"]),
            added_at=row["added_at"],
            content_hash=row["content_hash"],
            edits=edits,
            state=self._state(doc_id, links, bool(row["reviewed"])),
        )

    # --- edits: each one validated, applied and logged for undo in one transaction ---

    def _edit(self, doc_id: int, action: str, change: Callable[[list[dict], bool], _Change],
              expected: str | None = None) -> None:
        """Apply `change(links, doc_reviewed)` and log the links it replaced, so that undo can restore them.
        `expected`: the `review_state` the edit was made on; another one raises StaleEditError."""
        with self._transaction():
            doc_reviewed = bool(self._doc_row(doc_id)["reviewed"])
            links = self._links(doc_id)
            self._check_state(doc_id, links, doc_reviewed, expected)
            start, count, new, new_reviewed = change(links, doc_reviewed)
            before = {"start": start, "links": links[start:start + count], "doc_reviewed": doc_reviewed}
            after = {"start": start, "links": new, "doc_reviewed": new_reviewed}
            self._replace(doc_id, start, count, new, new_reviewed)
            self._db.execute(
                "INSERT INTO edits (doc, time, action, before, after) VALUES (?, ?, ?, ?, ?)",
                (doc_id, _now(), action, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)),
            )

    def _replace(self, doc_id: int, start: int, count: int, new: list[dict], doc_reviewed: bool) -> None:
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

    def _state(self, doc_id: int, links: list[dict], doc_reviewed: bool) -> str:
        """`review_state` of the document as stored now."""
        last_edit = self._db.execute("SELECT MAX(id) FROM edits WHERE doc = ?", (doc_id,)).fetchone()[0]
        return review_state(links, doc_reviewed, last_edit)

    def _check_state(self, doc_id: int, links: list[dict], doc_reviewed: bool, expected: str | None) -> None:
        if expected is not None and expected != self._state(doc_id, links, doc_reviewed):
            raise StaleEditError(f"document {doc_id} has changed since this view of it was loaded (in another tab?); "
                                 "nothing was changed: reload the page and make the edit again")

    @staticmethod
    def _check_position(links: list[dict], position: int) -> None:
        if not 0 <= position < len(links):
            raise NotFoundError(f"no link {position}: this document has links 0 to {len(links) - 1}")

    def merge(self, doc_id: int, position: int, *, expected: str | None = None) -> None:
        """Join link `position` with the next one."""

        def change(links, doc_reviewed):
            self._check_position(links, position)
            if position + 1 >= len(links):
                raise EditError(f"link {position} is the last one: there is no next link to merge it with")
            first, second = links[position], links[position + 1]
            merged = {
                "zh": first["zh"] + second["zh"], "en": first["en"] + second["en"],
                # the weaker link's confidence: merging does not make the aligner surer
                "score": min(first["score"], second["score"]),
                "flags": first["flags"] + second["flags"],
                "reviewed": True,  # a reviewer made this link
            }
            return position, 2, [merged], doc_reviewed

        self._edit(doc_id, "merge", change, expected)

    def split(self, doc_id: int, position: int, zh_at: int | None = None, en_at: int | None = None, *,
              expected: str | None = None) -> None:
        """Cut link `position` in two: its first `zh_at` Chinese and `en_at` English sentences, then the rest.

        Without cut points: the first sentence of each side that has several, against the rest; a link with
        at most one sentence a side becomes a 1-0 and a 0-1 link. With one cut point: the other side is cut
        where the share of its characters comes closest to the share before the given cut (as length-based
        aligners pair text), never leaving a part empty.
        """

        def change(links, doc_reviewed):
            self._check_position(links, position)
            link = links[position]
            n_zh, n_en = len(link["zh"]), len(link["en"])
            z, e = zh_at, en_at
            for name, at, n in (("zh_at", z, n_zh), ("en_at", e, n_en)):
                if at is not None and not 0 <= at <= n:
                    raise EditError(
                        f"{name} {at} is out of range: link {position} has {n_zh} Chinese and {n_en} English "
                        "sentences"
                    )
            if z is None and e is None:
                z, e = min(n_zh, 1), min(n_en, 1)
                if (z, e) == (n_zh, n_en):  # one sentence a side at most: separate the two sides
                    e = 0
            elif e is None and z is not None:
                e = self._matching_cut(doc_id, link, "zh", z, "en")
            elif z is None and e is not None:
                z = self._matching_cut(doc_id, link, "en", e, "zh")
            if (z, e) in ((0, 0), (n_zh, n_en)):
                raise EditError(f"link {position} cannot be split there: one part would be empty")
            parts = [
                {"zh": link["zh"][:z], "en": link["en"][:e]},
                {"zh": link["zh"][z:], "en": link["en"][e:]},
            ]
            # both parts keep the aligner's score and flags: the reviewer decides what they mean now
            tail = [{**p, "score": link["score"], "flags": link["flags"], "reviewed": True} for p in parts]
            return position, 1, tail, doc_reviewed

        self._edit(doc_id, "split", change, expected)

    def _matching_cut(self, doc_id: int, link: dict, given: str, at: int, other: str) -> int:
        """The cut of the `other` side whose share of characters is closest to the share before `at`."""

        def cumulative(lang: str) -> list[float]:
            ids = link[lang]
            sizes = {idx: len(text) for idx, text in self._db.execute(
                f"SELECT idx, text FROM sentences WHERE doc = ? AND lang = ? AND idx IN ({','.join('?' * len(ids))})",
                (doc_id, lang, *ids),
            )} if ids else {}
            total = sum(sizes.values()) or 1
            shares, running = [0.0], 0
            for idx in ids:
                running += sizes[idx]
                shares.append(running / total)
            return shares

        target = cumulative(given)[at]
        n_given, n_other = len(link[given]), len(link[other])
        # a cut at the very start (or end) of the given side needs the other side's cut past it, or a part is empty
        allowed = [k for k in range(n_other + 1) if not (at == 0 and k == 0) and not (at == n_given and k == n_other)]
        if not allowed:
            return 0  # the caller reports the empty part
        shares = cumulative(other)
        return min(allowed, key=lambda k: (abs(shares[k] - target), k))

    def move(self, doc_id: int, position: int, lang: str, direction: str, *, expected: str | None = None) -> None:
        """Move the boundary sentence of one side to the neighbouring link.

        direction "up": the first `lang` sentence of link `position` goes to the end of the previous link;
        "down": the last one goes to the start of the next link. A link left empty disappears.
        """
        if lang not in ("zh", "en"):
            raise EditError(f"unknown language {lang!r}: use zh or en")
        if direction not in ("up", "down"):
            raise EditError(f"unknown direction {direction!r}: use up or down")

        def change(links, doc_reviewed):
            self._check_position(links, position)
            here = links[position]
            if not here[lang]:
                raise EditError(f"link {position} has no {lang} sentence to move")
            if direction == "up":
                if position == 0:
                    raise EditError("the first link has no previous link to move a sentence to")
                other = links[position - 1]
                moved_other = {**other, lang: other[lang] + here[lang][:1], "reviewed": True}
                moved_here = {**here, lang: here[lang][1:], "reviewed": True}
                start, pair = position - 1, [moved_other, moved_here]
            else:
                if position + 1 >= len(links):
                    raise EditError("the last link has no next link to move a sentence to")
                other = links[position + 1]
                moved_here = {**here, lang: here[lang][:-1], "reviewed": True}
                moved_other = {**other, lang: here[lang][-1:] + other[lang], "reviewed": True}
                start, pair = position, [moved_here, moved_other]
            pair = [link for link in pair if link["zh"] or link["en"]]
            return start, 2, pair, doc_reviewed

        self._edit(doc_id, "move", change, expected)

    def mark_reviewed(self, doc_id: int, position: int | None = None, reviewed: bool = True, *,
                      expected: str | None = None) -> None:
        """Mark one link, or (position None) the whole document and all its links, reviewed or not.
        A link marked not reviewed makes the document not reviewed either."""

        def change(links, doc_reviewed):
            if position is None:
                return 0, len(links), [{**link, "reviewed": reviewed} for link in links], reviewed
            self._check_position(links, position)
            return position, 1, [{**links[position], "reviewed": reviewed}], doc_reviewed and reviewed

        self._edit(doc_id, "review", change, expected)

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
            self._replace(doc_id, before["start"], len(after["links"]), before["links"], before["doc_reviewed"])
            self._db.execute("DELETE FROM edits WHERE id = ?", (row["id"],))
            return row["action"]

    # --- search ---

    def _matching_sentences(self, term: str, lang: Lang, limit: int | None = None) -> list[tuple[int, int]]:
        """(doc, idx) of the `lang` sentences containing `term`, in document order."""
        key = search_key(term, lang).strip()
        cap = "" if limit is None else f"LIMIT {int(limit)}"
        if lang == "zh":
            runs = _RUN.findall(key)
            if runs and min(map(len, runs)) >= 2:
                where, arg = "f.grams MATCH ?", _fts_phrase([cjk_bigrams(key)])
            else:
                # a one-character run has no bigram of its own inside longer text: scan the keys. ESCAPE
                # also keeps SQLite's own LIKE: FTS5 answers short LIKE patterns with no rows (3.40).
                escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                where, arg = "f.key LIKE ? ESCAPE '\\'", f"%{escaped}%"
        else:
            words = _en_words(key)
            if not words:
                return []
            where, arg = "f.key MATCH ?", _fts_phrase(words)
        rows = self._db.execute(
            f"""SELECT s.doc, s.idx FROM search_{lang} f JOIN sentences s ON s.id = f.rowid
                WHERE {where} ORDER BY s.doc, s.idx {cap}""",
            (arg,),
        )
        return [(r[0], r[1]) for r in rows]

    def links_containing(
        self, term: str, lang: Lang, limit: int | None = None,
        maps: dict[tuple[int, str], dict[int, int]] | None = None,
    ) -> list[tuple[int, int]]:
        """(doc, link position) of the links whose `lang` side contains `term`, in document order.

        `maps` caches each document's sentence → link map across calls that read the same state.
        """
        found: dict[tuple[int, int], None] = {}
        maps = {} if maps is None else maps
        for doc, idx in self._matching_sentences(term, lang):
            if (doc, lang) not in maps:
                rows = self._db.execute(f"SELECT position, {lang}_ids FROM links WHERE doc = ?", (doc,))
                maps[(doc, lang)] = {i: position for position, ids in rows for i in json.loads(ids)}
            position = maps[(doc, lang)].get(idx)
            if position is not None:
                found[(doc, position)] = None
                if limit is not None and len(found) >= limit:
                    break
        return list(found)

    def link_texts(self, doc_id: int, position: int) -> tuple[str, str]:
        """The (Chinese, English) text of one link, joined as `Alignment.zh_text/en_text` join them."""
        row = self._db.execute(
            "SELECT zh_ids, en_ids FROM links WHERE doc = ? AND position = ?", (doc_id, position)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no link {position} in document {doc_id}")
        texts = {}
        for lang, ids, joiner in (("zh", row["zh_ids"], ""), ("en", row["en_ids"], " ")):
            wanted = json.loads(ids)
            by_idx = dict(self._db.execute(
                "SELECT idx, text FROM sentences WHERE doc = ? AND lang = ? "
                f"AND idx IN ({','.join('?' * len(wanted))})",
                (doc_id, lang, *wanted),
            ).fetchall()) if wanted else {}
            texts[lang] = joiner.join(by_idx[i] for i in wanted)
        return texts["zh"], texts["en"]

    def titles(self) -> dict[int, tuple[str, str]]:
        return {r[0]: (r[1], r[2]) for r in self._db.execute("SELECT id, title_zh, title_en FROM documents")}

    def search(self, term: str, lang: Lang | None = None, limit: int = 20) -> Concordance:
        """A bilingual concordance of `term` (language guessed from the term when not given)."""
        return concordance(self, term, lang, limit)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (also KeyboardInterrupt)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")


# --- concordance: hits, and the likely rendering of the term in the other language --------------------

_EN_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:['’](?!s\b)\p{L}+)?")  # "don't" is a word; "Hamas’s" is Hamas
_EN_GAP = regex.compile(r"[\s\-]*")  # words separated only by spaces or hyphens form one phrase
_ZH_NAME_GAP = regex.compile(r"[·・‧•]?(?:\p{Lu}\.?[·・‧•])?")
_MAX_TERM_LINKS = 500  # links sampled to estimate the rendering of a frequent term
_MAX_CANDIDATE_TOKENS = {"zh": 4, "en": 5}
_SHORTLIST = 20  # candidates whose own frequency is looked up (one search each)


def guess_lang(term: str) -> Lang:
    return "zh" if _HAN_CHAR.search(term) else "en"


def parse_lang(value: str | None) -> Lang | None:
    """A language named by a user (a --lang option, a query parameter): zh, en, or None for "guess"."""
    if value is None:
        return None
    if value == "zh":
        return "zh"
    if value == "en":
        return "en"
    raise ConfigError(f"unknown language {value!r}: use zh or en")


def concordance(store: Store, term: str, lang: Lang | None = None, limit: int = 20) -> Concordance:
    """Links containing `term`, each with the term and its likely rendering marked."""
    if not term.strip():
        raise ConfigError("the search term is empty: give a word or phrase")
    lang = parse_lang(lang)
    if limit < 1:
        raise ConfigError(f"--limit must be at least 1, got {limit}")
    lang = lang or guess_lang(term)
    other: Lang = "en" if lang == "zh" else "zh"
    maps: dict[tuple[int, str], dict[int, int]] = {}  # one read of each document's links for all counts
    links = store.links_containing(term, lang, maps=maps)
    texts = {link: store.link_texts(*link) for link in links[:max(limit, _MAX_TERM_LINKS)]}
    rendering = likely_rendering(
        store, term, lang, [texts[link] for link in links[:_MAX_TERM_LINKS]], len(links), maps
    )
    titles = store.titles()
    hits = []
    for doc_id, position in links[:limit]:
        zh_text, en_text = texts[(doc_id, position)]
        text, aligned = (zh_text, en_text) if lang == "zh" else (en_text, zh_text)
        hits.append(Hit(
            doc_id=doc_id,
            title=titles[doc_id][1 if lang == "en" else 0] or titles[doc_id][0] or titles[doc_id][1],
            position=position,
            lang=lang,
            text=text,
            spans=find_spans(text, term, lang),
            aligned=aligned,
            rendering_spans=find_spans(aligned, rendering, other) if rendering else [],
        ))
    return Concordance(term=term, lang=lang, rendering=rendering, total=len(links), hits=hits)


@dataclass
class _Candidate:
    surface: str  # as first seen in the text
    tokens: list[str]  # lexicon keys (zh words or en stems) of its content words
    links: int = 0  # term links whose other side contains it


def _candidates(text: str, lang: Lang, lexicon) -> Iterator[tuple[str, str]]:
    """(key, surface) of every run of 1..N words in `text` that neither starts nor ends with a stopword."""
    if lang == "en":
        words = [(m.group(), m.start(), m.end()) for m in _EN_TOKEN.finditer(text)]
        joined = [
            not _EN_GAP.fullmatch(text[words[i][2]:words[i + 1][1]]) for i in range(len(words) - 1)
        ]  # True where punctuation separates word i from word i + 1
        stop = [w.lower() in EN_STOPWORDS or w.isdigit() for w, _, _ in words]
    else:
        jieba = quiet_jieba()
        words = [(w, a, b) for w, a, b in jieba.tokenize(text) if _HAN_CHAR.search(w)]
        joined = [
            not _ZH_NAME_GAP.fullmatch(text[words[i][2]:words[i + 1][1]]) for i in range(len(words) - 1)
        ]  # a transliterated name keeps its dots and initials: 安东尼·J·布林肯
        stop = [lexicon.zh_key(w) in ZH_STOPWORDS for w, _, _ in words]
    keys = search_key(text, lang)  # same length as the text: a candidate's key is a slice of it
    for i in range(len(words)):
        if stop[i]:
            continue
        for j in range(i, min(len(words), i + _MAX_CANDIDATE_TOKENS[lang])):
            if j > i and joined[j - 1]:
                break
            if stop[j]:
                continue
            start, end = words[i][1], words[j][2]
            yield " ".join(keys[start:end].split()), text[start:end]


def _f1(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


@functools.lru_cache(maxsize=50_000)
def _sense_heads(zh_word: str, lexicon) -> tuple[frozenset[str], ...]:
    """The English stems each CC-CEDICT sense of a word starts with: "fentanyl (loanword)" → {fentanyl}."""
    entry = cedict().get_entry(zh_word)
    heads = []
    for definition in (entry or {}).get("definitions", []):
        head = regex.split(r"[,;]", regex.sub(r"\([^)]*\)|\[[^\]]*\]", " ", definition))[0]
        stems = frozenset(lexicon.stem(w) for w in _EN_TOKEN.findall(head) if w.lower() not in EN_STOPWORDS)
        if stems and not _HAN_CHAR.search(definition):
            heads.append(stems)
    return tuple(heads)


def likely_rendering(
    store: Store, term: str, lang: Lang, link_texts: list[tuple[str, str]], total: int,
    maps: dict[tuple[int, str], dict[int, int]] | None = None,
) -> str:
    """How the links containing `term` most likely render it in the other language ("" without evidence).

    Each run of words on the other side of those links is scored by
      - dictionary agreement: F1 of the term's content words that CC-CEDICT links to the candidate's and
        the candidate's words that it links to the term's, counted fully for a sense's head (its first
        words, the rendering itself) and half for any word of a definition;
      - transliteration, for names no dictionary lists: how well the English spells the pinyin of the
        Chinese (布林肯 ~ Blinken), counted from 0.8 up;
      - association: Dice over the store's links, 2·links(both) / (links(term) + links(candidate)).
    A candidate needs a dictionary link, a transliteration or at least two co-occurrences. When several
    score the same, the run that contains all of them is the rendering; if none does, nothing tells them
    apart and no rendering is given.
    """
    if not link_texts:
        return ""
    lexicon = Lexicon.get()
    other: Lang = "en" if lang == "zh" else "zh"
    tokens = lexicon.tokens_zh if lang == "zh" else lexicon.tokens_en
    other_tokens = lexicon.tokens_en if lang == "zh" else lexicon.tokens_zh
    term_tokens = tokens(term)

    found: dict[str, _Candidate] = {}
    for zh_text, en_text in link_texts:
        seen = set()
        for key, surface in _candidates(en_text if lang == "zh" else zh_text, other, lexicon):
            if key in seen:
                continue
            seen.add(key)
            candidate = found.get(key) or found.setdefault(key, _Candidate(surface, other_tokens(surface)))
            candidate.links += 1
    if not found:
        return ""

    def agreement(candidate: _Candidate) -> float:
        zh_words, en_stems = (term_tokens, candidate.tokens) if lang == "zh" else (candidate.tokens, term_tokens)
        if not zh_words or not en_stems:
            return 0.0
        # A CC-CEDICT sense begins with the rendering and may go on to explain it ("Wang Yi (1953-), PRC
        # foreign minister"): matching a whole sense head counts fully, matching any definition word half.
        en_set = set(en_stems)
        heads = [[h for h in _sense_heads(w, lexicon) if h <= en_set] for w in zh_words]
        by_head = _f1(sum(1 for h in heads if h) / len(zh_words),
                      sum(1 for s in en_stems if any(s in h for hs in heads for h in hs)) / len(en_stems))
        glosses = [lexicon.translations(w) for w in zh_words]
        by_word = _f1(sum(1 for g in glosses if g & en_set) / len(zh_words),
                      sum(1 for s in en_stems if any(s in g for g in glosses)) / len(en_stems))
        return by_head + 0.5 * by_word

    def spelled(candidate: _Candidate) -> float:
        zh, en = (term, candidate.surface) if lang == "zh" else (candidate.surface, term)
        score = transliteration(NameIndex.get(), zh, en)
        return score if score >= 0.8 else 0.0

    scored = {key: agreement(c) + spelled(c) for key, c in found.items()}
    shortlist = sorted(found, key=lambda k: (scored[k], found[k].links, len(k)), reverse=True)
    ranked: dict[str, float] = {}  # key -> evidence
    for key in shortlist[:_SHORTLIST]:
        candidate = found[key]
        if scored[key] == 0 and candidate.links < 2:
            continue
        # co-occurrences counted in the sample, scaled to the whole store when the term is frequent
        together = candidate.links * total / len(link_texts)
        elsewhere = len(store.links_containing(candidate.surface, other, maps=maps))
        dice = 2 * together / (total + max(elsewhere, together))
        ranked[key] = scored[key] + dice
    if not ranked:
        return ""
    top = max(ranked.values())
    tied = [key for key, evidence in ranked.items() if evidence >= top - 1e-9]
    # Equal evidence for a run and its parts (啵喏嘚, 啵喏, 嘚 always together) means the whole run;
    # for runs that do not nest (以下来自, 发言人) it means the corpus cannot tell them apart.
    whole = max(tied, key=len)
    if any(key not in whole for key in tied):
        return ""
    return found[whole].surface
