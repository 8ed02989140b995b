"""The review app under load (issue 17, audit F4 / D22 / D24): searches bounded in time and work, run beside
the pages rather than in front of them, kept in cache while reviewers mark links, and concurrent edits of one
link that end consistent. `benchmarks/web_load.py` measures the same on 5,000 documents."""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from duizhao.errors import TimeLimitError
from duizhao.store import Store, content_hash
from duizhao.store import search as search_module
from duizhao.web import app as web_app
from duizhao.web import searches
from test_store import sample_alignment

ROOT = Path(__file__).resolve().parents[1]


def many(path: Path, count: int) -> Path:
    """`count` copies of the example page's links (distinct documents by their content hash)."""
    with Store(path) as store:
        for number in range(count):
            store.add(sample_alignment(), content_hash(f"page {number}".encode()))
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return many(tmp_path_factory.mktemp("load") / "corpus.db", 60)


def state_of(html: str) -> str:
    return re.search(r'name="state" value="([^"]*)"', html).group(1)


# --- the store: a time limit and bounded counting ------------------------------------------------------

def test_a_search_past_its_time_limit_stops_with_a_message_and_the_connection_stays_usable(corpus, monkeypatch):
    monkeypatch.setattr(search_module, "_PROGRESS_STEPS", 50)  # look at the clock often: a small corpus is quick
    with Store(corpus, create=False, readonly=True) as store:
        whole = store.search("双方", "zh", 20)
        with pytest.raises(TimeLimitError) as stopped, store.time_limit(1e-6, "the search for '双方'"):
            time.sleep(0.001)
            store.search("双方", "zh", 20)
        message = str(stopped.value)
        assert message.startswith("the search for '双方' took longer than 0 s and was stopped")
        assert "`duizhao search`" in message
        with pytest.raises(TimeLimitError):
            with store.time_limit(0):  # no time left at all (a search that waited its whole turn)
                store.search("双方", "zh", 20)
        with store.time_limit(60):  # within the limit: the same answer as without one
            assert store.search("双方", "zh", 20).records() == whole.records()
        assert store.search("双方", "zh", 20).records() == whole.records()  # the handler is gone


def test_the_command_line_search_takes_a_time_limit_and_says_how_to_give_it_more(corpus, capsys, monkeypatch):
    from duizhao.cli import run

    monkeypatch.setattr(search_module, "_PROGRESS_STEPS", 50)
    real = Store.search
    assert run(["search", "双方", "--db", str(corpus), "--time-limit", "60", "-n", "1"]) == 0
    assert capsys.readouterr().err == "180 links contain '双方'; likely rendering: sides\n"
    monkeypatch.setattr(Store, "search", lambda self, *a, **k: (time.sleep(0.3), real(self, *a, **k))[1])
    assert run(["search", "双方", "--db", str(corpus), "--time-limit", "0.2"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.split() == (
        "Error: the search for '双方' took longer than 0.2 s and was stopped: search a longer phrase or one language "
        "(a one-character or very common term reads most of the corpus), or give it more time with --time-limit"
    ).split()


def test_bounded_counting_stops_at_most_and_says_so(corpus):
    with Store(corpus, create=False, readonly=True) as store:
        whole = store.search("双方", "zh", 5)
        assert (whole.total, whole.capped) == (180, False)  # links 3, 4 and 6 of each of the 60 copies
        bounded = store.search("双方", "zh", 5, most=50, sample=10)
        assert (bounded.total, bounded.capped) == (50, True)
        assert [(h.doc_id, h.position) for h in bounded.hits] == [(h.doc_id, h.position) for h in whole.hits]
        assert bounded.rendering == whole.rendering == "sides"
        rare = store.search("Blinken", "en", 5, most=500)
        assert (rare.total, rare.capped) == (120, False)  # links 0 and 2 of each copy


# --- the app ---------------------------------------------------------------------------------------------

def test_R_D24_a_search_over_its_time_answers_503_with_the_message_and_pages_still_answer(corpus, monkeypatch):
    monkeypatch.setattr(searches, "SEARCH_SECONDS", 0.0)
    with TestClient(web_app.create_app(corpus), raise_server_exceptions=False) as client:
        page = client.get("/search", params={"q": "双方"})
        assert page.status_code == 503
        assert "the search for &#39;双方&#39; took longer than 0 s and was stopped" in page.text
        assert 'role="alert"' in page.text and "Traceback" not in page.text
        assert client.get("/doc/1").status_code == 200


def test_a_very_common_term_is_counted_up_to_a_bound(corpus, monkeypatch):
    monkeypatch.setattr(searches, "SEARCH_MOST", 50)
    with TestClient(web_app.create_app(corpus), raise_server_exceptions=False) as client:
        page = client.get("/search", params={"q": "双方", "limit": "20"})
        assert page.status_code == 200
        assert re.search(r"50\+ links with", page.text)
        assert page.text.count('<tr class="hit"') == 20


def test_R_D22_searches_run_beside_the_pages_at_most_two_at_a_time(corpus, monkeypatch):
    running, most, release = [0], [0], threading.Event()
    lock = threading.Lock()
    real = Store.search

    def slow_search(self, *args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(20)
        with lock:
            running[0] -= 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "search", slow_search)
    with TestClient(web_app.create_app(corpus), raise_server_exceptions=False) as client, \
            ThreadPoolExecutor(4) as pool:
        asked = [pool.submit(client.get, "/search", params={"q": term}) for term in ("双方", "王毅", "the", "中")]
        deadline = time.monotonic() + 10
        while running[0] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        pages = [client.get(url) for url in ("/doc/1", "/", "/doc/2", "/static/app.css")]
        waited = time.monotonic() - started
        release.set()
        answers = [future.result(timeout=30) for future in asked]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert waited < 5  # the pages did not wait for the searches (held for up to 20 s)
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    assert most[0] == searches.SEARCH_THREADS == 2


def test_marking_links_reviewed_keeps_searches_cached_and_regrouping_or_adding_does_not(tmp_path, monkeypatch):
    path = many(tmp_path / "corpus.db", 3)
    calls: list[str] = []
    real = Store.search
    monkeypatch.setattr(Store, "search", lambda self, term, *a, **k: (calls.append(term), real(self, term, *a, **k))[1])
    with TestClient(web_app.create_app(path), raise_server_exceptions=False) as client:
        def total() -> str:
            return re.search(r"(\d+\+?) links? with", client.get("/search", params={"q": "双方"}).text).group(1)

        assert total() == "9" and total() == "9"  # links 3, 4 and 6 of each of the 3 documents
        assert calls == ["双方"]  # the second answer came from the cache
        state = state_of(client.get("/doc/1").text)
        edit = client.post("/doc/1/edit", data={"action": "review", "position": "2", "state": state},
                           follow_redirects=False)
        assert edit.status_code == 303
        assert total() == "9" and calls == ["双方"]  # a review mark changes no search
        state = state_of(client.get("/doc/1").text)
        merge = client.post("/doc/1/edit", data={"action": "merge", "position": "3", "state": state},
                            follow_redirects=False)  # links 3 and 4 become one
        assert merge.status_code == 303
        assert total() == "8" and calls == ["双方", "双方"]  # searched again
        with Store(path) as store:  # another program adds a document
            store.add(sample_alignment(), content_hash(b"added from the command line"))
        assert total() == "11" and calls == ["双方", "双方", "双方"]


def test_a_document_added_by_another_program_during_a_review_edit_is_found_by_the_next_search(tmp_path, monkeypatch):
    """The app's own write must not hide another program's commit made while it writes (the cache would
    keep answering without the new document until the next change)."""
    path = many(tmp_path / "corpus.db", 3)
    real_mark = Store.mark_reviewed

    def mark_while_another_program_adds(self, *args, **kwargs):
        with Store(path) as other:  # `duizhao add` commits between the app's look at the files and its write
            other.add(sample_alignment(), content_hash(b"added during the edit"))
        return real_mark(self, *args, **kwargs)

    with TestClient(web_app.create_app(path), raise_server_exceptions=False) as client:
        def total() -> str:
            return re.search(r"(\d+\+?) links? with", client.get("/search", params={"q": "双方"}).text).group(1)

        assert total() == "9"
        monkeypatch.setattr(Store, "mark_reviewed", mark_while_another_program_adds)
        state = state_of(client.get("/doc/1").text)
        edit = client.post("/doc/1/edit", data={"action": "review", "position": "2", "state": state},
                           follow_redirects=False)
        assert edit.status_code == 303
        assert total() == "12"  # the added document's three links, not the cached 9


def test_a_search_that_waited_for_a_search_process_counts_the_wait_in_its_time(corpus):
    args = (corpus, "双方", "zh", 20, 1000, 100)
    found = searches.search(*args, 10.0, time.time(), "the search for '双方'")
    assert found.total == 180
    with pytest.raises(searches.Busy, match=r"the search for '双方' waited 10 s for a search process"):
        searches.search(*args, 10.0, time.time() - 9.5, "the search for '双方'")


# --- a real server process -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, stderr: int = subprocess.PIPE) -> tuple[subprocess.Popen, str]:
    """`duizhao serve` on `path` as a real process, once it answers; and its address."""
    import httpx

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "duizhao.cli", "serve", "--db", str(path), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/static/app.css", timeout=5)
            return server, base
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.mark.slow  # a real server process
def test_R_D27_a_real_server_keeps_one_link_consistent_under_twenty_concurrent_edits(tmp_path):
    import httpx

    path = many(tmp_path / "corpus.db", 20)
    server, base = start_server(path)
    try:
        state = state_of(httpx.get(base + "/doc/1").text)
        headers = {"sec-fetch-site": "same-origin"}

        def same_state_edit(number: int) -> int:
            action = "review" if number % 2 else "unreview"
            return httpx.post(base + "/doc/1/edit", headers=headers, timeout=60,
                              data={"action": action, "position": "3", "state": state}).status_code

        def stateless_edit(number: int) -> int:  # each on its own link: all apply
            return httpx.post(base + f"/doc/{2 + number % 19}/edit", headers=headers, timeout=60,
                              data={"action": "review", "position": str(number % 7)}).status_code

        def search(term: str) -> int:
            return httpx.get(base + "/search", params={"q": term}, timeout=60).status_code

        terms = ["的", "双方", "the", "王毅", '"', "NEAR(a b)", "a OR b", "' OR 1=1 --", "%", "中"]
        with ThreadPoolExecutor(40) as pool:
            contended = list(pool.map(same_state_edit, range(20)))
            spread = pool.map(stateless_edit, range(38))
            found = pool.map(search, terms * 2)
            spread, found = list(spread), list(found)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert sorted(contended) == [303] + [409] * 19  # exactly one edit made on that state applies
    assert spread == [303] * 38 and found == [200] * 20
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM edits WHERE doc = 1").fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM edits WHERE doc > 1").fetchone()[0] == 38
        after = db.execute("SELECT after FROM edits WHERE doc = 1").fetchone()[0]
        reviewed = db.execute("SELECT reviewed FROM links WHERE doc = 1 AND position = 3").fetchone()[0]
        assert ('"reviewed": true' in after) == bool(reviewed)  # the link is as the one applied edit left it
        for table in ("search_zh", "search_en"):
            db.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
    assert b"Traceback" not in server.stderr.read()


@pytest.mark.slow  # a real server process and its search processes
def test_R_F5_the_search_processes_end_with_a_killed_server(tmp_path):
    import signal

    import httpx

    path = many(tmp_path / "corpus.db", 2)
    server, base = start_server(path, stderr=subprocess.DEVNULL)
    found = httpx.get(base + "/search", params={"q": "王毅"}, timeout=30)
    assert found.status_code == 200 and "王毅" in found.text

    def children() -> list[int]:
        listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True)
        return [int(pid) for pid in listed.stdout.split()]

    workers = children()
    assert len(workers) >= 2  # the search processes (and multiprocessing's resource tracker)
    server.send_signal(signal.SIGKILL)  # nothing shuts the pool down
    server.wait()
    deadline = time.monotonic() + 20
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.5)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")]
    assert alive == []
