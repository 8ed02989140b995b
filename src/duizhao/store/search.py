"""Search: comparison keys, FTS5 character bigrams for Chinese, match spans, and the concordance.

Search is FTS5 over a comparison key of each sentence (the user's text is kept as it is). Chinese is
indexed as overlapping character bigrams, so that a word of two or more characters is found inside
unsegmented text by index lookup; a one-character query scans the keys. English uses word tokens.
BENCHMARKS.md ("Concordance search") has the measurement against FTS5's trigram tokenizer and a
jieba-segmented index that led to this choice.
"""
from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import regex

from ..chinese import HAN as _HAN_CHAR
from ..chinese import to_simplified
from ..errors import ConfigError, NotFoundError, TimeLimitError
from ..model import Lang


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


# What a search stopped at its time limit says to do, in the web app and on the command line
SEARCH_ADVICE = ("search a longer phrase or one language (a one-character or very common term reads most of the "
                 "corpus)")
WEB_SEARCH_ADVICE = SEARCH_ADVICE + ", or use `duizhao search` on the command line, which waits as long as a search takes"
CLI_SEARCH_ADVICE = SEARCH_ADVICE + ", or give it more time with --time-limit"
_PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between two looks at the clock (well under 10 ms)


class Searching:
    """The store's read-only lookups (`Store` has them): a document by content id, the sentences and links
    containing a term, their texts and lengths."""

    _db: sqlite3.Connection

    def data_version(self) -> int:
        """A number that changes when another connection (another program, another request) commits to the
        corpus while this one is open; this connection's own writes leave it as it is. The web app's search
        cache is kept or dropped by it."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def time_limit(self, seconds: float | None, what: str = "this search",
                   advice: str = WEB_SEARCH_ADVICE) -> Iterator[None]:
        """Stop the work inside once `seconds` have passed: SQLite interrupts the running statement (its
        progress handler), and any later one at once, and TimeLimitError says so. `None`: no limit.

        Python work between two statements runs to the next one, so the limit can be overrun by the longest
        such stretch (in a concordance, well under a second)."""
        if seconds is None:
            yield
            return
        shown = round(seconds) if seconds >= 1 else round(max(seconds, 0), 1)
        stopped = TimeLimitError(f"{what} took longer than {shown:g} s and was stopped: {advice}")
        if seconds <= 0:
            raise stopped
        deadline = time.monotonic() + seconds
        self._db.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
        try:
            yield
        except sqlite3.OperationalError as err:
            if "interrupt" not in str(err) or time.monotonic() <= deadline:
                raise
            raise stopped from None
        finally:
            self._db.set_progress_handler(None, 0)

    def _matching_sentences(self, term: str, lang: Lang, limit: int | None = None) -> Iterator[tuple[int, int]]:
        """(doc, idx) of the `lang` sentences containing `term`, in document order, read as they are used (a
        caller that stops early leaves the rest unread)."""
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
                return iter(())
            where, arg = "f.key MATCH ?", _fts_phrase(words)
        # Sentence ids grow in document order (`Store.add` writes a document's sentences, one side after
        # the other, in their order, and never rewrites them), so the index's own rowid order is document
        # order: no sort of every match before the first row, and a caller that has enough stops the scan.
        rows = self._db.execute(
            f"""SELECT s.doc, s.idx FROM search_{lang} f JOIN sentences s ON s.id = f.rowid
                WHERE {where} ORDER BY f.rowid {cap}""",
            (arg,),
        )
        return ((r[0], r[1]) for r in rows)

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

    def find(self, content_hash: str) -> int | None:
        row = self._db.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def find_text(self, text_hash: str) -> int | None:
        """The document whose decoded text has this `ingest.encoding.text_id` (stored since schema 3)."""
        row = self._db.execute("SELECT id FROM documents WHERE text_hash = ?", (text_hash,)).fetchone()
        return row[0] if row else None

    def _lengths(self, doc_id: int, lang: Lang, ids: tuple[int, ...]) -> list[int]:
        """The lengths of sentences `ids` of one side of a document, in that order."""
        sizes = {idx: len(text) for idx, text in self._db.execute(
            f"SELECT idx, text FROM sentences WHERE doc = ? AND lang = ? AND idx IN ({','.join('?' * len(ids))})",
            (doc_id, lang, *ids),
        )}
        return [sizes[idx] for idx in ids]
