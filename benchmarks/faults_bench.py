"""Faults injected into the store and the batch pipeline: is anything lost, duplicated or left running?

    .venv/bin/python benchmarks/faults_bench.py [--data ../shared/data/mac-dev] [--kills 20] [--writers 4] \\
        [--bad 10] [--engines local,ray] [--out benchmarks/results/faults.json]

The store (`duizhao add --fast`, real processes):
  - `kill -9` at seeded random moments of `add` runs over the documents, then one clean `add` of all of them;
  - `--writers` concurrent `add` processes over the same documents, each in its own order;
  after each: `PRAGMA integrity_check`, the full-text tables hold exactly the stored sentences, every
  document is stored exactly once (by content), and each stored document's links are exactly those of a
  reference corpus built without faults.
The batch (`duizhao batch --fast`, 2 workers), on 200 documents of which `--bad` are bad:
  - the run killed (the whole process group, `kill -9`) twice at seeded random points and resumed: the rows,
    errors.jsonl and the counts are those of an uninterrupted run, no (document, link) twice, exit 1;
  - the driver alone killed: how long its worker pool outlives it (at most 180 s are waited).
Documents are real text: the example page cut after 1..10 paragraphs and MAC-Dev chapters cut at gold-link
boundaries (as in batch_bench.py); the bad ones are empty, binary, one-language, undecodable or truncated.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_bench import ROOT, example_documents, mac_documents

DUIZHAO = [sys.executable, "-m", "duizhao.cli"]
HAN = re.compile(r"[\u4e00-\u9fff]")
ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}


# --- the documents -------------------------------------------------------------------------------------

def mixed_files(data: Path, folder: Path, count: int) -> list[Path]:
    """`count` single bilingual files: the example page cuts, then MAC-Dev pairs written as one file each."""
    files = [Path(e["path"]) for e in example_documents(folder / "src") if "path" in e]
    for entry in mac_documents(data, folder / "src", links_per_doc=4):
        if len(files) >= count:
            break
        zh, en = (Path(entry[side]).read_text(encoding="utf-8") for side in ("zh", "en"))
        path = folder / "mixed" / (Path(entry["zh"]).name.removesuffix(".zh.txt") + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(zh + "\n\n" + en, encoding="utf-8")
        files.append(path)
    return files[:count]


def bad_files(folder: Path, good: list[Path], count: int) -> list[Path]:
    """Bad inputs of several kinds, made from the good ones."""
    folder.mkdir(parents=True, exist_ok=True)
    page = good[9].read_text(encoding="utf-8")
    zh_only = "\n".join(line for line in page.splitlines() if HAN.search(line))
    en_only = "\n".join(line for line in page.splitlines() if not HAN.search(line))
    kinds = [
        ("empty.txt", b""),
        ("image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)),
        ("chinese.txt", zh_only.encode("utf-8")),
        ("english.txt", en_only.encode("utf-8")),
        ("latin1.txt", page.encode("utf-8")[:4000] + bytes(range(0x80, 0x100)) * 20),
        ("cut.docx", b"PK\x03\x04" + page.encode("utf-8")[:500]),
        ("cut.epub", b"PK\x03\x04" + os.urandom(300)),
        ("blank.txt", b"\n \n\t\n" * 100),
        ("digits.txt", b"1234 5678\n" * 200),
        ("null.txt", b"\x00" * 5000),
    ]
    files = []
    for i in range(count):
        name, data = kinds[i % len(kinds)]
        path = folder / f"{i:02d}-{name}"
        path.write_bytes(data)
        files.append(path)
    return files


# --- the store -----------------------------------------------------------------------------------------

def add(db: Path, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([*DUIZHAO, "add", "--fast", "--db", str(db), *map(str, files)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def corpus_state(db: Path) -> dict:
    """What a corpus holds, and whether it is sound."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        docs = con.execute("SELECT id, content_hash FROM documents").fetchall()
        hashes = [h for _, h in docs]
        links = {}
        for doc_id, content in docs:
            links[content] = con.execute(
                "SELECT zh_ids, en_ids, round(score, 6) FROM links WHERE doc = ? ORDER BY position", (doc_id,),
            ).fetchall()
        fts_ok = all(
            con.execute(f"SELECT count(*) FROM search_{lang}").fetchone()[0]
            == con.execute("SELECT count(*) FROM sentences WHERE lang = ?", (lang,)).fetchone()[0]
            and con.execute(
                f"SELECT count(*) FROM search_{lang} f LEFT JOIN sentences s ON s.id = f.rowid AND s.lang = ?"
                " WHERE s.id IS NULL", (lang,)).fetchone()[0] == 0
            for lang in ("zh", "en"))
        orphans = con.execute(
            "SELECT (SELECT count(*) FROM sentences WHERE doc NOT IN (SELECT id FROM documents))"
            " + (SELECT count(*) FROM links WHERE doc NOT IN (SELECT id FROM documents))").fetchone()[0]
    finally:
        con.close()
    return {"integrity": integrity, "documents": len(docs), "distinct": len(set(hashes)),
            "fts_consistent": fts_ok, "orphan_rows": orphans, "links": links}


def verdict(state: dict, reference: dict) -> dict:
    same = sum(state["links"].get(h) == links for h, links in reference["links"].items())
    return {"integrity": state["integrity"], "fts_consistent": state["fts_consistent"],
            "orphan_rows": state["orphan_rows"], "documents": state["documents"],
            "duplicated": state["documents"] - state["distinct"],
            "lost": len(set(reference["links"]) - set(state["links"])),
            "links_as_reference": f"{same}/{len(reference['links'])}"}


def store_faults(files: list[Path], work: Path, kills: int, writers: int, rng: random.Random) -> dict:
    reference_db = work / "reference.db"
    started = time.monotonic()
    run = add(reference_db, files)
    _, err = run.communicate()
    reference_seconds = time.monotonic() - started
    assert run.returncode == 0, err
    reference = corpus_state(reference_db)

    started = time.monotonic()
    add(reference_db, files).communicate()  # every document present: the start-up alone
    startup = time.monotonic() - started
    per_document = max(reference_seconds - startup, 0.1) / len(files)

    killed_db, killed_at, stored = work / "killed.db", [], []
    for _ in range(kills):
        remaining = len(files) - (corpus_state(killed_db)["documents"] if killed_db.exists() else 0)
        if not remaining:
            break
        run = add(killed_db, rng.sample(files, len(files)))
        # anywhere from start-up to the last document still to add
        wait = startup + rng.uniform(0, 1) * remaining * per_document
        try:
            run.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            run.send_signal(signal.SIGKILL)
            run.wait()
            killed_at.append(round(wait, 2))
        sound = corpus_state(killed_db)
        assert sound["integrity"] == "ok" and sound["fts_consistent"] and not sound["orphan_rows"], sound
        stored.append(sound["documents"])
    run = add(killed_db, files)
    _, err = run.communicate()
    killed = {"kills": len(killed_at), "killed_after_s": killed_at, "stored_after_each_run": stored, "final_add_exit": run.returncode,
              **verdict(corpus_state(killed_db), reference)}

    concurrent_db = work / "concurrent.db"
    runs = [add(concurrent_db, rng.sample(files, len(files))) for _ in range(writers)]
    exits = []
    errors = []
    for run in runs:
        _, err = run.communicate()
        exits.append(run.returncode)
        errors += [line for line in err.splitlines() if "not added" in line or "Error" in line]
    concurrent = {"writers": writers, "exits": exits, "error_lines": errors[:5],
                  **verdict(corpus_state(concurrent_db), reference)}
    return {"documents": len(files), "kill_9": killed, "concurrent": concurrent}


# --- the batch -----------------------------------------------------------------------------------------

def batch(manifest: Path, out: Path, engine: str) -> list[str]:
    return [*DUIZHAO, "batch", str(manifest), "--output", str(out), "--fast", "--workers", "2",
            "--engine", engine, "--format", "jsonl"]


def rows(out: Path) -> list[dict]:
    found = []
    for shard in sorted(out.glob("links/**/*.jsonl")):
        found += [json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines() if line]
    return sorted(found, key=lambda r: (r["doc_id"], r["link"]))


def done_count(out: Path) -> int:
    return len(list(out.glob("docs/*/*.json")))


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc: no psutil needed)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    live = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            live.add(pid)
    return live


def batch_faults(manifest: Path, total: int, work: Path, engine: str, rng: random.Random) -> dict:
    clean = work / f"{engine}-clean"
    started = time.monotonic()
    result = subprocess.run(batch(manifest, clean, engine), env=ENV, capture_output=True, text=True, timeout=3000)
    clean_seconds = time.monotonic() - started
    expected_rows, expected_errors = rows(clean), (clean / "errors.jsonl").read_text(encoding="utf-8")

    out, kills = work / f"{engine}-killed", []
    for fraction in sorted(rng.uniform(0.15, 0.85) for _ in range(2)):
        run = subprocess.Popen(batch(manifest, out, engine), env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 1200
        while done_count(out) < fraction * total and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        kills.append(done_count(out))
    resumed = subprocess.run(batch(manifest, out, engine), env=ENV, capture_output=True, text=True, timeout=3000)
    got = rows(out)
    keys = [(r["doc_id"], r["link"]) for r in got]

    # The driver alone: its pool must not outlive it.
    lone = work / f"{engine}-driver-killed"
    run = subprocess.Popen(batch(manifest, lone, engine), env=ENV, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    while done_count(lone) < 5 and run.poll() is None:
        time.sleep(0.01)
    pool = descendants(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    killed_at = time.monotonic()
    while alive(pool) and time.monotonic() - killed_at < 180:
        time.sleep(0.5)
    gone_after = time.monotonic() - killed_at
    left = alive(pool)
    for pid in left:  # do not leave them to the next run
        os.kill(pid, signal.SIGKILL)
    return {
        "engine": engine, "documents": total, "clean_exit": result.returncode, "clean_seconds": round(clean_seconds, 1),
        "clean_errors": len(expected_errors.splitlines()),
        "killed_with_done": kills, "resumed_exit": resumed.returncode,
        "rows_equal": got == expected_rows, "rows": len(got), "duplicated_rows": len(keys) - len(set(keys)),
        "errors_equal": (out / "errors.jsonl").read_text(encoding="utf-8") == expected_errors,
        "pool_processes": len(pool), "pool_gone_after_driver_kill_s": round(gone_after, 1),
        "pool_left_after_180_s": len(left),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--store-documents", type=int, default=100)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--batch-documents", type=int, default=200)
    parser.add_argument("--bad", type=int, default=10)
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"Error: {args.data} is not a folder: give --data the MAC-Dev folder")
    rng = random.Random(args.seed)
    report: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="faults-") as tmp:
        work = Path(tmp)
        good = mixed_files(args.data, work, args.batch_documents - args.bad)
        report["store"] = store_faults(good[:args.store_documents], work, args.kills, args.writers, rng)
        print(json.dumps(report["store"], indent=1), flush=True)
        bad = bad_files(work / "bad", good, args.bad)
        inputs = good + bad
        rng.shuffle(inputs)
        manifest = work / "inputs.jsonl"
        manifest.write_text("".join(json.dumps({"path": str(p)}) + "\n" for p in inputs), encoding="utf-8")
        report["batch"] = []
        for engine in args.engines.split(","):
            report["batch"].append(batch_faults(manifest, len(inputs), work, engine, rng))
            print(json.dumps(report["batch"][-1], indent=1), flush=True)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
