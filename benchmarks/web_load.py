"""The review app under load: `duizhao serve` as a real process, N concurrent clients, a 5,000-document corpus.

    .venv/bin/python benchmarks/web_load.py --clients 50 --seconds 30 [--corpus /tmp/web5000.db]
    .venv/bin/python benchmarks/web_load.py --clients 200 --seconds 30 --corpus /tmp/web5000.db
    .venv/bin/python benchmarks/web_load.py --src /tmp/old/src ...   # the server from another source tree

Corpus: windows of 8–30 consecutive gold links of the example page (tests/data/readout_expected.json, a U.S.
government text) and of the six MAC-Dev chapters (`--data`, default ../shared/data/mac-dev), each window a
document of its own (distinct start and length, so distinct content and content hash), stored through
`Store.add` with the gold links: no encoder. `--corpus PATH` keeps the built corpus there and reuses it; each
run works on a fresh copy, so runs start from the same state.

Clients (httpx.AsyncClient, one event loop, 30 s timeout for the whole of each request) loop for `--seconds`, each request
drawn from this mix:
- 35 % search: common words, 1–2 character Chinese queries (的, 中, 美国…) and FTS/SQL injection strings;
- 25 % a document page; 15 % the document list (a random page of it); 5 % the stylesheet;
- 20 % an edit (POST with `Sec-Fetch-Site: same-origin`, as a browser sends it): half of them mark one link of
  ONE shared document reviewed/unreviewed, with the `state` read from its page just before (many clients
  contend for that link; a stale one must get 409), the other half edit the client's own document.

After the run the server is stopped and the corpus checked: `PRAGMA integrity_check`, FTS5 `integrity-check`
of both search tables, every sentence in its search table and nothing else; every 303 of an edit is exactly
one row of the edit log (a request that timed out may or may not have been applied); the shared link's edit
log is a chain (each edit's "before" is the previous one's "after") and the link ends as the last logged edit
left it (last writer wins); each client's own document ends as its applied edits, replayed in order, leave it.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TIMEOUT_S = 30.0
SEARCH_TERMS = [
    # common English words and phrases
    "the", "China", "Secretary", "said", "he", "United States", "Wang Yi", "would", "eyes",
    # Chinese: one and two characters (the LIKE scan and the shortest bigram phrase), and words
    "的", "中", "他", "说", "了", "美国", "王毅", "中国", "我们", "一个", "没有", "国务卿",
    # FTS5 / SQL syntax, which must be taken literally (the audit's D18 strings)
    '"', "NEAR(a b)", "*", "(", "a OR b", "' OR 1=1 --", "%", "_", "\\", "key:the", 'the"', '中"国', "^", "AND",
]
MIX = [("search", 35), ("doc", 25), ("index", 15), ("static", 5), ("edit", 20)]
HOT_POSITION = 3  # the contended link of the shared document


# ---------------------------------------------------------------------------------------------- corpus

@dataclass
class Source:
    name: str
    zh: list[str]
    en: list[str]
    links: list[tuple[tuple[int, ...], tuple[int, ...]]]


def sources(mac: Path) -> list[Source]:
    """The example page's hand-checked links and MAC-Dev's gold links, as sentence lists and links."""
    import peers

    expected = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))
    zh: list[str] = []
    en: list[str] = []
    links = []
    for link in expected["links"]:
        links.append((tuple(range(len(zh), len(zh) + len(link["zh"]))),
                      tuple(range(len(en), len(en) + len(link["en"])))))
        zh += link["zh"]
        en += link["en"]
    found = [Source("readout", zh, en, links)]
    for doc in peers.load_mac(mac):
        found.append(Source(doc.name, doc.zh, doc.en, [(tuple(b.zh), tuple(b.en)) for b in doc.gold]))
    return found


def windows(all_sources: list[Source], count: int, seed: int = 17) -> list[tuple[int, int, int]]:
    """`count` distinct (source, first link, length) windows of 8–30 links."""
    rng = random.Random(seed)
    chosen: set[tuple[int, int, int]] = set()
    out = []
    while len(out) < count:  # the example page has some 200 windows, each MAC chapter thousands
        s = rng.randrange(len(all_sources))
        size = rng.randint(8, 30)
        n = len(all_sources[s].links)
        window = (s, rng.randrange(0, max(1, n - size)), min(size, n))
        if window not in chosen:
            chosen.add(window)
            out.append(window)
    return out


def build_corpus(path: Path, mac: Path, count: int) -> None:
    from rich.progress import Progress

    from duizhao.model import Alignment, Bead, Document, Metadata, Sentence
    from duizhao.store import Store

    all_sources = sources(mac)
    with Store(path) as store, Progress() as progress:
        task = progress.add_task(f"building {count} documents", total=count)
        for number, (s, first, size) in enumerate(windows(all_sources, count)):
            source = all_sources[s]
            links = source.links[first:first + size]
            zh_ids = sorted({i for zh, _ in links for i in zh})
            en_ids = sorted({i for _, en in links for i in en})
            zh_at = {i: k for k, i in enumerate(zh_ids)}
            en_at = {i: k for k, i in enumerate(en_ids)}
            meta = Metadata(title_zh=f"{source.zh[zh_ids[0]][:24] if zh_ids else ''}（{first + 1}–{first + size}）",
                            title_en=f"{source.name} links {first + 1}–{first + size}",
                            date=f"2023-{1 + number % 12:02d}-{1 + number % 28:02d}", path=f"{source.name}.txt")
            document = Document([Sentence(source.zh[i], 0) for i in zh_ids], [Sentence(source.en[i], 0) for i in en_ids],
                                meta)
            beads = [Bead(tuple(zh_at[i] for i in zh), tuple(en_at[i] for i in en), 1.0) for zh, en in links]
            digest = hashlib.sha256(f"{source.name}:{first}:{size}".encode()).hexdigest()
            store.add(Alignment(document, beads, {"builder": "benchmarks/web_load.py"}), digest)
            progress.advance(task)


# ---------------------------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, src: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "duizhao.cli", "serve", "--db", str(db), "--port", str(port)],
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}: see {log}")
        try:  # answering, not only listening
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(b"GET /static/app.css HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if connection.recv(12).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start listening within 120 s")


def stop_server(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


# ---------------------------------------------------------------------------------------------- clients

@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int | None  # None: no response (timeout or connection error)
    error: str = ""
    started: float = 0.0


@dataclass
class ClientLog:
    outcomes: list[Outcome] = field(default_factory=list)
    hot: list[tuple[str, int | None]] = field(default_factory=list)  # (action, status) on the shared link
    own: list[tuple[int, str, int | None]] = field(default_factory=list)  # (position, action, status)


_STATE = re.compile(r'name="state" value="([^"]*)"')
EXPECTED = {"search": {200}, "doc": {200}, "index": {200}, "static": {200}, "edit": {303}, "edit-hot": {303, 409}}


async def client(number: int, base: str, stop_at: float, docs: int, hot_doc: int, own_doc: int, own_links: int,
                 log: ClientLog, seed: int) -> None:
    import httpx

    rng = random.Random(seed * 1000 + number)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    index_pages = max(1, -(-docs // 100))
    headers = {"sec-fetch-site": "same-origin"}
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S, follow_redirects=False) as http:

        async def timed(kind: str, method: str, url: str, **kwargs) -> httpx.Response | None:
            started = time.monotonic()
            try:
                async with asyncio.timeout(TIMEOUT_S):  # the whole request, connecting and waiting included
                    response = await http.request(method, url, **kwargs)
            except (TimeoutError, httpx.TimeoutException):
                log.outcomes.append(Outcome(kind, time.monotonic() - started, None, "timeout", started))
                return None
            except httpx.HTTPError as err:
                log.outcomes.append(Outcome(kind, time.monotonic() - started, None, type(err).__name__, started))
                return None
            log.outcomes.append(Outcome(kind, time.monotonic() - started, response.status_code, "", started))
            return response

        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            if kind == "search":
                await timed("search", "GET", "/search", params={"q": rng.choice(SEARCH_TERMS)})
            elif kind == "doc":
                await timed("doc", "GET", f"/doc/{rng.randint(1, docs)}")
            elif kind == "index":
                await timed("index", "GET", "/", params={"page": rng.randint(1, index_pages)})
            elif kind == "static":
                await timed("static", "GET", "/static/app.css")
            elif rng.random() < 0.5:  # the shared link, with the state of the page just read
                page = await timed("doc", "GET", f"/doc/{hot_doc}")
                found = _STATE.search(page.text) if page is not None and page.status_code == 200 else None
                if found is None:
                    continue
                action = rng.choice(["review", "unreview"])
                response = await timed("edit-hot", "POST", f"/doc/{hot_doc}/edit", headers=headers,
                                       data={"action": action, "position": HOT_POSITION, "state": found.group(1)})
                log.hot.append((action, None if response is None else response.status_code))
            else:  # the client's own document: its edits are sequential, so the end state is known
                position = rng.randrange(own_links)
                action = rng.choice(["review", "unreview"])
                response = await timed("edit", "POST", f"/doc/{own_doc}/edit", headers=headers,
                                       data={"action": action, "position": position})
                log.own.append((position, action, None if response is None else response.status_code))


async def run_clients(base: str, clients: int, seconds: float, docs: int, own_links: dict[int, int],
                      seed: int) -> tuple[list[ClientLog], float]:
    logs = [ClientLog() for _ in range(clients)]
    start = time.monotonic()
    stop_at = start + seconds
    own = sorted(own_links)
    await asyncio.gather(*(
        client(i, base, stop_at, docs, 1, own[i], own_links[own[i]], logs[i], seed) for i in range(clients)
    ))
    return logs, time.monotonic() - start


# ---------------------------------------------------------------------------------------------- checks

def check_corpus(db: Path, logs: list[ClientLog], own_docs: list[int]) -> dict:
    """What the corpus must hold after the run (see the module docstring)."""
    con = sqlite3.connect(db)
    problems: list[str] = []
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    for table in ("search_zh", "search_en"):
        try:
            con.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
        except sqlite3.DatabaseError as err:
            problems.append(f"{table} integrity-check: {err}")
    for lang in ("zh", "en"):
        missing = con.execute(f"SELECT COUNT(*) FROM sentences s WHERE s.lang = '{lang}' AND NOT EXISTS "
                              f"(SELECT 1 FROM search_{lang} f WHERE f.rowid = s.id)").fetchone()[0]
        extra = con.execute(f"SELECT COUNT(*) FROM search_{lang} f WHERE NOT EXISTS "
                            f"(SELECT 1 FROM sentences s WHERE s.id = f.rowid AND s.lang = '{lang}')").fetchone()[0]
        if missing or extra:
            problems.append(f"search_{lang}: {missing} sentences not indexed, {extra} index rows without a sentence")

    def edit_rows(doc: int) -> list[tuple[dict, dict]]:
        return [(json.loads(b), json.loads(a)) for b, a in
                con.execute("SELECT before, after FROM edits WHERE doc = ? ORDER BY id", (doc,))]

    def reviewed(doc: int, position: int) -> bool:
        return bool(con.execute("SELECT reviewed FROM links WHERE doc = ? AND position = ?",
                                (doc, position)).fetchone()[0])

    # the shared link: applied exactly once, a chain, last writer wins
    hot = [entry for log in logs for entry in log.hot]
    applied = sum(1 for _, status in hot if status == 303)
    refused = sum(1 for _, status in hot if status == 409)
    unknown = sum(1 for _, status in hot if status is None)
    rows = edit_rows(1)
    if not applied <= len(rows) <= applied + unknown:
        problems.append(f"shared link: {applied} edits answered 303 (+{unknown} unanswered), {len(rows)} logged")
    for (_, after), (before, _) in itertools.pairwise(rows):
        if after["links"] != before["links"]:
            problems.append("shared link: an edit was made on a state that an earlier edit had replaced (lost update)")
            break
    if rows and rows[-1][1]["links"][0]["reviewed"] != reviewed(1, HOT_POSITION):
        problems.append("shared link: its final state is not what the last logged edit left")

    # each client's own document: its edits replayed in order
    own_applied = own_logged = own_unknown = 0
    for log, doc in zip(logs, own_docs, strict=True):
        done = [(position, action) for position, action, status in log.own if status == 303]
        own_unknown += sum(1 for *_, status in log.own if status is None)
        own_applied += len(done)
        own_logged += len(edit_rows(doc))
        final: dict[int, bool] = {}
        for position, action in done:
            final[position] = action == "review"
        if not any(status is None for *_, status in log.own):
            wrong = [p for p, state in final.items() if reviewed(doc, p) != state]
            if wrong:
                problems.append(f"document {doc}: links {wrong} are not as the client's applied edits left them")
    if not own_applied <= own_logged <= own_applied + own_unknown:
        problems.append(f"own documents: {own_applied} edits answered 303 (+{own_unknown} unanswered), "
                        f"{own_logged} logged")
    con.close()
    return {"integrity_check": integrity, "problems": problems,
            "shared_link": {"applied": applied, "refused_409": refused, "unanswered": unknown, "logged": len(rows)},
            "own_documents": {"applied": own_applied, "logged": own_logged, "unanswered": own_unknown}}


# ---------------------------------------------------------------------------------------------- report

def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(outcomes: list[Outcome], seconds: float) -> dict:
    times = [o.seconds for o in outcomes]
    unexpected = [o for o in outcomes if o.status is not None and o.status not in EXPECTED[o.kind]]
    result = {
        "requests": len(outcomes),
        "answered": sum(1 for o in outcomes if o.status is not None),
        "req_per_s": round(sum(1 for o in outcomes if o.status is not None) / seconds, 2),
        "p50_ms": round(1000 * percentile(times, 0.50)), "p95_ms": round(1000 * percentile(times, 0.95)),
        "p99_ms": round(1000 * percentile(times, 0.99)), "max_ms": round(1000 * max(times, default=0)),
        "timeouts": sum(1 for o in outcomes if o.error == "timeout"),
        "connection_errors": sum(1 for o in outcomes if o.status is None and o.error != "timeout"),
        "http_errors": sum(1 for o in unexpected if o.status >= 500),
        "unexpected_status": dict(sorted({str(o.status): sum(1 for u in unexpected if u.status == o.status)
                                          for o in unexpected}.items())),
        "by_kind": {},
    }
    for kind in sorted({o.kind for o in outcomes}):
        mine = [o.seconds for o in outcomes if o.kind == kind]
        result["by_kind"][kind] = {"n": len(mine), "p50_ms": round(1000 * percentile(mine, 0.5)),
                                   "p95_ms": round(1000 * percentile(mine, 0.95)),
                                   "max_ms": round(1000 * max(mine))}
    return result


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def table(runs: list[dict]) -> str:
    """The BENCHMARKS.md table of the runs in a results file."""
    lines = ["| run | clients | docs | req/s | p50 | p95 | p99 | timeouts (30 s) | HTTP errors | checks | load avg |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for run in runs:
        errors = f"{run['http_errors']}" + (f" ({', '.join(f'{n} × {c}' for c, n in run['unexpected_status'].items())})"
                                            if run["unexpected_status"] else "")
        checks = "ok" if not run["checks"]["problems"] else "; ".join(run["checks"]["problems"])
        lines.append(f"| {run['label']} | {run['clients']} | {run['docs']:,} | {run['req_per_s']} | "
                     f"{run['p50_ms'] / 1000:.2f} s | {run['p95_ms'] / 1000:.2f} s | {run['p99_ms'] / 1000:.2f} s | "
                     f"{run['timeouts']} of {run['requests']} | {errors} | {checks} | "
                     f"{run['load_average_before'][0]:.1f} → {run['load_average_after'][0]:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, help="where to keep the built corpus (reused when it exists)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree the server runs from")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="a name for this run in the results file")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "web_load.json",
                        help="results file; this run is added to the runs already in it")
    parser.add_argument("--table", action="store_true", help="print the runs in --out as a table, and stop")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0

    work = Path(tempfile.mkdtemp(prefix="duizhao-webload-"))
    try:
        built = args.corpus or work / "built.db"
        if not built.exists():
            start = time.monotonic()
            build_corpus(built, args.data, args.docs)
            print(f"built {args.docs} documents in {time.monotonic() - start:.1f} s: {built}")
        db = work / "corpus.db"
        con = sqlite3.connect(built)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        docs = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        links = con.execute("SELECT COUNT(*) FROM links").fetchone()[0]
        link_counts = dict(con.execute("SELECT doc, COUNT(*) FROM links GROUP BY doc"))
        con.close()
        shutil.copyfile(built, db)
        # the shared document is 1; each client edits its own document, from 2 on
        own_links = {doc: link_counts[doc] for doc in range(2, 2 + args.clients)}
        port = free_port()
        load_before = os.getloadavg()
        server = start_server(db, port, args.src.resolve(), work / "server.log")
        try:
            logs, seconds = asyncio.run(run_clients(f"http://127.0.0.1:{port}", args.clients, args.seconds, docs,
                                                    own_links, args.seed))
        finally:
            load_after = os.getloadavg()
            code = stop_server(server)
        outcomes = [o for log in logs for o in log.outcomes]
        result = {
            "label": args.label, "commit": git_commit(), "server_src": str(args.src), "clients": args.clients,
            "seconds": round(seconds, 1), "docs": docs, "links": links, "load_average_before": load_before,
            "load_average_after": load_after, "server_exit": code, **summary(outcomes, seconds),
            "checks": check_corpus(db, logs, sorted(own_links)),
        }
        server_log = (work / "server.log").read_text(encoding="utf-8", errors="replace")
        result["server_log_tail"] = server_log[-2000:]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({k: v for k, v in result.items() if k != "server_log_tail"}, indent=1, ensure_ascii=False))
    runs = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else []
    runs.append(result)
    args.out.write_text(json.dumps(runs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    ok = not result["checks"]["problems"] and not result["timeouts"] and not result["http_errors"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
