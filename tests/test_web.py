"""The web app through Starlette's TestClient: pages, edits by POST, exports, escaping, error statuses."""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2, which is not needed for these tests
    from starlette.testclient import TestClient

from duizhao.model import Alignment, Bead, Document, Metadata, Sentence
from duizhao.store import Store, content_hash
from duizhao.web.app import create_app
from test_store import EN, ZH, sample_alignment

HOSTILE_ZH = "标题<script>window.__pwned = 1</script>"
HOSTILE_EN = "A <b>bold</b> claim &amp; an entity &lt;tag&gt;"


def hostile_alignment() -> Alignment:
    meta = Metadata(title_zh=HOSTILE_ZH, title_en=HOSTILE_EN, source_url="javascript:alert(1)")
    document = Document([Sentence(HOSTILE_ZH, 0)], [Sentence(HOSTILE_EN, 0)], meta)
    return Alignment(document, [Bead((0,), (0,), 0.3)], {})


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "corpus.db"
    with Store(path) as store:
        store.add(sample_alignment(), content_hash(b"readout bytes"))
        store.add(hostile_alignment(), content_hash(b"hostile"))
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db), raise_server_exceptions=False) as test_client:
        yield test_client


def row_ids(html: str) -> list[str]:
    return re.findall(r'<tr id="(link-\d+)"', html)


def test_document_list_shows_titles_counts_and_shares(client):
    page = client.get("/")
    assert page.status_code == 200
    assert ZH[0] in page.text and EN[0] in page.text
    first = re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.S)[1]  # [0] is the header
    assert 'href="/doc/1"' in first
    assert re.findall(r'<td class="num">(\d+)</td>', first) == ["1", "7"]  # id, links
    assert re.findall(r"(\d+)&thinsp;% <span class=\"count\">\((\d+)\)", first) == [("14", "1"), ("100", "7")]
    assert 'enctype="multipart/form-data"' in page.text


def test_review_page_has_one_row_per_link_coloured_by_confidence(client):
    page = client.get("/doc/1")
    assert page.status_code == 200
    assert row_ids(page.text) == [f"link-{i}" for i in range(7)]
    classes = re.findall(r'<tr id="link-\d+" class="link conf-(\w+)', page.text)
    assert classes == ["mid"] * 6 + ["high"]  # scores 0.50, 0.55, … 0.80
    assert '<tr id="link-0" class="link conf-low"' in client.get("/doc/2").text  # score 0.3
    assert '<b>number</b> 10月22日' in page.text
    assert "分享到" in page.text  # removed chrome is listed in the document's facts
    assert '<script src="/static/review.js"></script>' in page.text


def test_everything_the_user_wrote_is_shown_as_text(client):
    for url in ("/", "/doc/2", "/search?q=标题"):
        page = client.get(url)
        assert page.status_code == 200
        assert "<script>window.__pwned" not in page.text
        assert "<b>bold</b>" not in page.text
    review = client.get("/doc/2").text
    assert "标题&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in review
    assert "&amp;amp; an entity &amp;lt;tag&amp;gt;" in review
    assert 'href="javascript:' not in review  # a stored non-web URL is not made a link
    search = client.get("/search", params={"q": "<script>"}).text
    assert '<mark class="term">&lt;script&gt;</mark>' in search


def test_an_edit_is_a_post_that_is_saved_at_once(client, db):
    answer = client.post("/doc/1/edit", data={"action": "merge", "position": "0"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/doc/1#link-0")
    assert row_ids(client.get("/doc/1").text) == [f"link-{i}" for i in range(6)]
    with Store(db) as store:  # saved in the file, not only in the page
        assert store.document(1).alignment.beads[0].en == (0, 1)

    fragment = client.post("/doc/1/edit", data={"action": "undo"}, headers={"X-Duizhao-Fetch": "1"})
    assert fragment.status_code == 200
    assert fragment.text.startswith('<tbody id="rows" data-state="') and 'data-edits="0"' in fragment.text.split(">")[0]
    assert row_ids(fragment.text) == [f"link-{i}" for i in range(7)]

    for fields, rows in (
        ({"action": "split", "position": "6"}, 8),
        ({"action": "split", "position": "2", "zh_at": "0", "en_at": "1"}, 9),
        ({"action": "move:en:up", "position": "1"}, 8),
        ({"action": "review", "position": "0"}, 8),
        ({"action": "review-document"}, 8),
    ):
        page = client.post("/doc/1/edit", data=fields)
        assert page.status_code == 200, fields
        assert len(row_ids(page.text)) == rows, fields
    assert 'data-reviewed="8"' in page.text
    assert "Document reviewed ✓" in page.text
    with Store(db) as store:
        assert store.document(1).reviewed is True


@pytest.mark.parametrize(
    ("method", "url", "fields", "status", "message"),
    [
        ("get", "/doc/99", None, 404, "no document 99 in"),
        ("get", "/doc/abc", None, 400, "the document id must be a whole number, got &#39;abc&#39;"),
        ("get", "/doc/1_0", None, 400, "the document id must be a whole number, got &#39;1_0&#39;"),
        ("get", "/doc/99999999999999999999999", None, 404, "no document 99999999999999999999999: the number is out of range"),
        ("get", "/doc/99999999999999999999999/export/tmx", None, 404, "the number is out of range"),
        ("post", "/doc/99999999999999999999999/edit", {"action": "undo"}, 404, "the number is out of range"),
        ("get", "/search?q=x&limit=99999999999999999999", None, 400, "limit 99999999999999999999 is too large"),
        ("post", "/doc/1/edit", {"action": "merge", "position": "٣"}, 400, "position must be a whole number"),
        ("get", "/nowhere", None, 404, "Not Found"),
        ("get", "/doc/1/edit", None, 405, "Method Not Allowed"),
        ("post", "/doc/1/edit", {"action": "merge", "position": "99"}, 404, "no link 99: this document has links 0 to 6"),
        ("post", "/doc/1/edit", {"action": "merge", "position": "six"}, 400, "position must be a whole number"),
        ("post", "/doc/1/edit", {"action": "merge", "position": "6"}, 400,
         "link 6 is the last one: there is no next link to merge it with"),
        ("post", "/doc/1/edit", {"action": "explode", "position": "1"}, 400, "unknown action &#39;explode&#39;"),
        ("post", "/doc/1/edit", {"action": "move:zh:sideways", "position": "2"}, 400,
         "unknown direction &#39;sideways&#39;: use up or down"),
        ("post", "/doc/1/edit", {"action": "split", "position": "6", "zh_at": "5"}, 400,
         "zh_at 5 is out of range: link 6 has 2 Chinese and 1 English sentences"),
        ("post", "/doc/1/edit", {"action": "undo"}, 400, "document 1 has no edits to undo"),
        ("post", "/doc/77/edit", {"action": "undo"}, 404, "no document 77"),
        ("get", "/doc/1/export/xlsx", None, 404,
         "no export format &#39;xlsx&#39;: choose one of tmx, tsv, jsonl, html, docx, epub, png"),
        ("get", "/doc/5/export/tmx", None, 404, "no document 5"),
        ("get", "/search?q=x&lang=fr", None, 400, "unknown language &#39;fr&#39;: use zh or en"),
        ("get", "/search?q=x&limit=lots", None, 400, "limit must be a whole number"),
        ("post", "/upload", {"nothing": "here"}, 400, "choose a bilingual file to upload"),
    ],
)
def test_bad_requests_get_a_status_and_a_message_never_a_traceback(client, method, url, fields, status, message):
    answer = client.request(method.upper(), url, data=fields)
    assert answer.status_code == status
    assert message in answer.text
    assert "Traceback" not in answer.text


def test_edits_survive_a_restart_of_the_app(db):
    with TestClient(create_app(db)) as first:
        first.post("/doc/1/edit", data={"action": "merge", "position": "2"})
        first.post("/doc/1/edit", data={"action": "review", "position": "0"})
    with TestClient(create_app(db)) as second:
        page = second.get("/doc/1").text
    assert row_ids(page) == [f"link-{i}" for i in range(6)]
    assert re.search(r'<tr id="link-0" class="link conf-mid reviewed"', page)
    assert re.search(r'<tr id="link-2" class="link conf-mid reviewed"', page)  # the merged link


def test_serve_refuses_a_file_that_is_not_a_corpus(tmp_path, capsys):
    from duizhao.cli import run

    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    assert run(["serve", "--db", str(notes)]) == 2
    assert capsys.readouterr().err.split() == (
        f"Error: {notes} is not a duizhao database (file is not a database): pass another file with --db"
    ).split()


def test_an_unexpected_failure_is_a_plain_500_page(client, monkeypatch):
    def broken(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "documents", broken)
    answer = client.get("/")
    assert answer.status_code == 500
    assert "your saved work is safe" in answer.text
    assert "disk on fire" not in answer.text and "Traceback" not in answer.text


def test_uploading_a_file_already_stored_opens_it_without_aligning_again(client):
    answer = client.post("/upload", files={"file": ("readout.txt", b"readout bytes", "text/plain")},
                         follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/doc/1")


def test_uploading_an_empty_file_says_what_is_wrong(client):
    answer = client.post("/upload", files={"file": ("empty.txt", b"", "text/plain")})
    assert answer.status_code == 400
    assert "empty" in answer.text.lower()
    assert "Traceback" not in answer.text


def test_export_writes_the_reviewed_state_in_each_format(client):
    client.post("/doc/1/edit", data={"action": "merge", "position": "0"})
    tsv = client.get("/doc/1/export/tsv")
    assert tsv.status_code == 200
    assert tsv.headers["content-disposition"] == 'attachment; filename="readout.tsv"'
    data_lines = [line for line in tsv.text.split("\n") if line and not line.startswith("#")]
    assert any(line.startswith(ZH[0] + "\t" + EN[0] + " READOUT") for line in data_lines)

    jsonl = client.get("/doc/1/export/jsonl")
    records = [json.loads(line) for line in jsonl.text.splitlines() if line.strip()]
    links = [r for r in records if "zh_ids" in r]
    assert [(r["zh_ids"], r["en_ids"]) for r in links][:2] == [([0], [0, 1]), ([1], [2])]
    assert len(links) == 6

    tmx = client.get("/doc/1/export/tmx")
    assert tmx.headers["content-disposition"] == 'attachment; filename="readout.tmx"'
    assert len(re.findall(r"<tu[ >]", tmx.text)) == 6
    assert "fentanyl crisis" in tmx.text

    page = client.get("/doc/1/export/html")  # the 对照 to read, with the merged link as one row
    assert page.headers["content-disposition"] == 'attachment; filename="readout.html"'
    assert len(re.findall(r'<div class="pair[ "]', page.text)) == 6
    word = client.get("/doc/1/export/docx")
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats") and word.content[:2] == b"PK"


def test_search_page_marks_the_term_and_its_rendering(client):
    page = client.get("/search", params={"q": "芬太尼"})
    assert page.status_code == 200
    assert '加剧了<mark class="term">芬太尼</mark>危机' in page.text
    assert 'fuels the <mark class="rendering">fentanyl</mark> crisis' in page.text
    assert "usually rendered as" in page.text
    assert 'href="/doc/1#link-3"' in page.text
    english = client.get("/search", params={"q": "Second Thomas Shoal"}).text
    assert '前往南中国海<mark class="rendering">第二托马斯浅滩</mark>执行' in english
    assert "0 links with" in client.get("/search", params={"q": "不存在的词"}).text


def test_serve_states_a_bad_port_or_host_before_announcing(tmp_path, capsys):
    import socket

    from duizhao.cli import run

    db = tmp_path / "c.db"
    assert run(["serve", "--db", str(db), "--port", "99999"]) == 2
    assert capsys.readouterr().err.strip() == "Error: --port must be between 1 and 65535, got 99999"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(["serve", "--db", str(db), "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"Error: port {port} is in use: stop what uses it, or pass another --port"
    assert "serving" not in captured.out
    for host in ("no-such-host.invalid", "a..b"):
        assert run(["serve", "--db", str(db), "--host", host]) == 2
        assert capsys.readouterr().err.startswith(f"Error: --host {host!r} is not an address of this machine")
    assert not db.exists()  # nothing is created for a server that could not start


def test_an_edit_made_on_a_stale_view_is_refused_and_changes_nothing(client, db):
    import re as _re

    def state(html_text: str) -> str:
        return _re.search(r'data-state="([0-9a-f]+)"', html_text).group(1)

    tab_a = state(client.get("/doc/1").text)
    tab_b = state(client.get("/doc/1").text)
    assert tab_a == tab_b
    # Tab B merges links 3 and 4; tab A, still showing the old positions, asks to merge link 5.
    assert client.post("/doc/1/edit", data={"action": "merge", "position": "3", "state": tab_b}).status_code == 200
    with Store(db) as store:
        after_b = [(b.zh, b.en) for b in store.document(1).alignment.beads]
    answer = client.post("/doc/1/edit", data={"action": "merge", "position": "5", "state": tab_a},
                         headers={"X-Duizhao-Fetch": "1"})
    assert answer.status_code == 409
    assert "has changed since this view of it was loaded (in another tab?); nothing was changed" in answer.text
    with Store(db) as store:
        assert [(b.zh, b.en) for b in store.document(1).alignment.beads] == after_b
    # Replaying B's form is stale too; after undo the first view's positions hold again, and so does its state.
    assert client.post("/doc/1/edit", data={"action": "merge", "position": "3", "state": tab_b}).status_code == 409
    assert client.post("/doc/1/edit", data={"action": "undo"}).status_code == 200
    assert state(client.get("/doc/1").text) == tab_a
    # An edit made and taken back in another tab leaves the same links but not the same undo log: tab A's
    # undo would take back the other tab's edit, so it is stale too.
    for action in ("review", "unreview"):
        assert client.post("/doc/1/edit", data={"action": action, "position": "0"}).status_code == 200
    assert client.post("/doc/1/edit", data={"action": "undo", "state": tab_a}).status_code == 409


def test_unreviewing_a_link_unreviews_the_document(client, db):
    assert client.post("/doc/1/edit", data={"action": "review-document"}).status_code == 200
    page = client.post("/doc/1/edit", data={"action": "unreview", "position": "3"}).text
    assert 'data-document-reviewed="0"' in page and "Mark document reviewed" in page
    with Store(db) as store:
        assert store.document(1).reviewed is False


def test_an_upload_over_the_limit_is_refused_before_it_is_aligned(client, monkeypatch):
    from duizhao import pipeline
    from duizhao.web.app import MAX_UPLOAD_BYTES

    monkeypatch.setattr(pipeline, "process_bytes", lambda *a, **k: pytest.fail("aligned an oversized upload"))
    big = ("双方讨论了合作。\nThe two sides discussed cooperation.\n" * 60_000).encode()
    assert len(big) > MAX_UPLOAD_BYTES
    answer = client.post("/upload", files={"file": ("big.txt", big, "text/plain")})
    assert answer.status_code == 400
    assert "over the 2 MB limit of an upload: add it from the command line with `duizhao add FILE" in answer.text

    # Without a Content-Length (a chunked upload) the bytes are counted as they arrive.
    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for start in range(0, len(big), 65536):
            yield big[start:start + 65536]
        yield b"\r\n--b--\r\n"

    answer = client.post("/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 400 and "over the 2 MB limit" in answer.text


def test_an_oversized_upload_is_refused_before_its_body_is_read(db):
    """Straight through ASGI, counting what the app reads: a Content-Length over the limit is refused before
    the first byte, and a body without one is refused as soon as the limit is passed."""
    import asyncio

    from duizhao.web.app import MAX_UPLOAD_BYTES

    app = create_app(db)
    chunk = b"x" * 65536
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'

    def run(headers: list[tuple[bytes, bytes]], chunks: int) -> tuple[int, int]:
        reads, sent = 0, []

        async def receive():
            nonlocal reads
            reads += 1
            body = head if reads == 1 else chunk
            return {"type": "http.request", "body": body, "more_body": reads <= chunks}

        async def send(message):
            if message["type"] == "http.response.start":
                sent.append(message["status"])

        scope = {"type": "http", "method": "POST", "path": "/upload", "raw_path": b"/upload", "query_string": b"",
                 "headers": [(b"content-type", b"multipart/form-data; boundary=b"), *headers],
                 "scheme": "http", "server": ("testserver", 80), "client": ("127.0.0.1", 1), "root_path": "",
                 "http_version": "1.1", "asgi": {"version": "3.0"}}
        asyncio.run(app(scope, receive, send))
        return sent[0], reads

    total = 10 * MAX_UPLOAD_BYTES // len(chunk)  # a body ten times the limit
    status, reads = run([(b"content-length", str(total * len(chunk)).encode())], total)
    assert (status, reads) == (400, 0)
    status, reads = run([], total)
    assert status == 400 and reads <= MAX_UPLOAD_BYTES // len(chunk) + 3  # stopped at the limit, not at the end


def test_an_uploaded_file_name_is_cleaned_and_a_long_one_still_exports(client, db):
    page = (Path(__file__).resolve().parents[1] / "examples" / "readout.txt").read_bytes()
    # A raw multipart body: a client library would escape the NUL in the name, a hostile one does not.
    name = ("a\x00b" + "长" * 200 + ".txt").encode()
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + name + b'"\r\n\r\n'
            + page.replace(b"READOUT", b"READ OUT") + b"\r\n--b--\r\n")
    answer = client.post("/upload", content=body, headers={"content-type": "multipart/form-data; boundary=b"},
                         follow_redirects=False)
    assert answer.status_code == 303
    doc = int(answer.headers["location"].rsplit("/", 1)[1])
    with Store(db) as store:
        stored = store.document(doc).alignment.document.meta.path
    assert stored == "ab" + "长" * 38 + ".txt"  # no NUL; 120 bytes at most
    for fmt in ("tmx", "tsv", "jsonl"):
        export = client.get(f"/doc/{doc}/export/{fmt}")
        assert export.status_code == 200, (fmt, export.text[:200])


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "null"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site", "origin": "http://other.testserver"},
])
def test_an_edit_or_upload_from_another_site_is_refused(client, db, headers):
    answer = client.post("/doc/1/edit", data={"action": "review-document"}, headers=headers)
    assert answer.status_code == 403 and "came from another site, so it was refused" in answer.text
    assert client.post("/upload", files={"file": ("x.txt", b"x", "text/plain")}, headers=headers).status_code == 403
    with Store(db) as store:
        assert store.document(1).reviewed is False and len(store.documents()) == 2
    # The app's own pages post with their own origin; a browser that says same-origin is believed over an
    # Origin of "null" (sent under a no-referrer policy).
    for own in ({"origin": "http://testserver", "sec-fetch-site": "same-origin"},
                {"origin": "null", "sec-fetch-site": "same-origin"}):
        assert client.post("/doc/1/edit", data={"action": "undo" if own["origin"] == "null" else "review-document"},
                           headers=own).status_code == 200


def test_served_on_loopback_it_answers_only_loopback_names(db):
    app = create_app(db, loopback_only=True, allowed_hosts=frozenset({"review.example.org"}))
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST.", "app.localhost:8000", "[::1]:8000",
                     "127.0.1.1", "review.example.org"):
            assert local.get("/", headers={"host": host}).status_code == 200, host
        rebound = local.get("/doc/1", headers={"host": "attacker.example:8000"})
        assert rebound.status_code == 421
        assert "duizhao serves this machine only: open it as http://127.0.0.1:" in rebound.text
        assert "--allow-host NAME" in rebound.text
