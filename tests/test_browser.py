"""The review app in a real browser: Playwright driving Debian's Chromium against uvicorn on localhost.

Screenshots of the review and search pages go to docs/ when DUIZHAO_SCREENSHOTS=1, else to a temp folder.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from duizhao.store import Store, content_hash
from duizhao.web.app import create_app
from test_store import EN, ZH, sample_alignment
from test_web import HOSTILE_EN, HOSTILE_ZH, hostile_alignment

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "readout.txt"

if not Path(CHROMIUM).exists():  # pragma: no cover - .ci/run installs it
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "corpus.db"
    with Store(path) as store:
        store.add(hostile_alignment(), content_hash(b"hostile"))
    return path


@pytest.fixture(scope="module")
def server(db):
    import uvicorn

    port = free_port()
    instance = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    if os.environ.get("DUIZHAO_SCREENSHOTS") == "1":
        return ROOT / "docs"
    return tmp_path_factory.mktemp("screenshots")


def sentences(page, position: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Chinese and English sentences of one link row, as the page shows them."""
    row = page.locator(f"#link-{position}")
    return (
        tuple(row.locator("td.side.zh .s").all_inner_texts()),
        tuple(row.locator("td.side.en .s").all_inner_texts()),
    )


def all_rows(page) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [sentences(page, i) for i in range(page.locator("tr.link").count())]


def test_upload_review_merge_split_and_reload(page, server, db, shots):
    page.goto(server + "/")
    page.set_input_files("input[type=file]", str(EXAMPLE))
    with page.expect_navigation(url=f"{server}/doc/*", timeout=300_000):  # aligning encodes ~50 sentences
        page.click("text=Align and review")
    doc_id = int(page.url.rsplit("/", 1)[1].split("#")[0])
    assert page.locator("h1 .zh").inner_text() == "布林肯国务卿与中华人民共和国中共中央外事工作委员会办公室主任兼外交部长王毅举行会晤"
    before = all_rows(page)
    assert len(before) > 10
    page.screenshot(path=str(shots / "review.png"))

    # merge links 3 and 4 with the mouse (the row's merge button)
    page.locator("#link-3 button[value=merge]").click()
    page.wait_for_function(f"document.querySelectorAll('tr.link').length === {len(before) - 1}")
    merged = (before[3][0] + before[4][0], before[3][1] + before[4][1])
    assert sentences(page, 3) == merged

    # split link 6 with the keyboard: select it, press s. The default cut keeps the first sentence of each
    # side that has several; a link with one sentence a side becomes a 1-0 and a 0-1 link.
    rows = all_rows(page)
    target = 6
    page.locator(f"#link-{target} td.side.en").click()
    page.keyboard.press("s")
    page.wait_for_function(f"document.querySelectorAll('tr.link').length === {len(before)}")
    zh, en = rows[target]
    cut = (min(len(zh), 1), min(len(en), 1))
    if cut == (len(zh), len(en)):
        cut = (cut[0], 0)
    want = rows[:target] + [(zh[:cut[0]], en[:cut[1]]), (zh[cut[0]:], en[cut[1]:])] + rows[target + 1:]

    page.reload()
    assert all_rows(page) == want
    assert sentences(page, 3) == merged
    assert "reviewed" in page.locator("#link-3").get_attribute("class").split()  # edited links count as reviewed
    with Store(db) as store:  # saved in the corpus file, not only in the page
        stored = store.document(doc_id)
        assert [(tuple(stored.alignment.document.zh[i].text for i in b.zh),
                 tuple(stored.alignment.document.en[i].text for i in b.en)) for b in stored.alignment.beads] == want

    # undo with the keyboard takes back the split, then the merge
    page.keyboard.press("u")
    page.wait_for_function(f"document.querySelectorAll('tr.link').length === {len(before) - 1}")
    page.keyboard.press("u")
    page.wait_for_function(f"document.querySelectorAll('tr.link').length === {len(before)}")
    page.reload()
    assert all_rows(page) == before


def test_search_marks_fentanyl(page, server, shots):
    page.goto(server + "/search")
    page.fill(".search-form input[name=q]", "芬太尼")
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.rendering")
    assert page.locator("table.hits mark.term").all_inner_texts() == ["芬太尼"]
    rendering = page.locator("table.hits mark.rendering")
    assert rendering.all_inner_texts() == ["fentanyl"]
    assert rendering.is_visible()
    background = rendering.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "usually rendered as fentanyl" in page.locator(".summary").inner_text()
    page.screenshot(path=str(shots / "search.png"), full_page=True)


def test_a_document_with_script_executes_nothing(page, server):
    page.goto(server + "/doc/1")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#link-0 td.side.zh").inner_text().startswith(HOSTILE_ZH)
    assert page.locator("#link-0 td.side.en .s").inner_text() == HOSTILE_EN
    page.goto(server + "/search?lang=zh&q=%3Cscript%3E")
    assert page.locator("table.hits mark.term").all_inner_texts() == ["<script>"]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(server + "/")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert HOSTILE_ZH in page.locator("table.documents").inner_text()


def test_keyboard_moves_a_sentence_and_marks_reviewed(page, server, db):
    with Store(db) as store:
        doc_id, _ = store.add(sample_alignment(), content_hash(b"keyboard"))
    page.goto(f"{server}/doc/{doc_id}")
    page.locator("#link-1 td.side.en").click()  # the 0-1 link holding READOUT
    page.keyboard.press("[")  # move its sentence up into the title link; the empty link disappears
    page.wait_for_function("document.querySelectorAll('tr.link').length === 6")
    assert sentences(page, 0)[1][1] == "READOUT"
    page.keyboard.press("r")  # the selection stays at row 1, now the link after the title
    page.wait_for_selector("#link-1.reviewed")
    page.wait_for_selector("#link-2.selected")  # marking reviewed moves on to the next link
    page.keyboard.press("r")  # link 2 reviewed as well; on to link 3
    page.wait_for_selector("#link-3.selected")
    page.keyboard.press("k")
    page.keyboard.press("n")  # from link 2: the next unreviewed uncertain or flagged link is link 3 (0.70)
    page.wait_for_selector("#link-3.selected")
    page.reload()
    assert "reviewed" in page.locator("#link-1").get_attribute("class").split()
    assert page.locator("#progress").inner_text() == "3 / 6 links reviewed"
    page.locator("#review-document").click()
    page.wait_for_function("document.getElementById('progress').textContent === '6 / 6 links reviewed'")
    assert page.locator("#review-document").inner_text() == "Document reviewed ✓"

    # the scissors between the two Chinese sentences of the 2-1 link split it there with the mouse; the
    # English side is cut where the lengths agree (23 of 45 Chinese characters: after its one sentence)
    page.locator("#link-5 form.cut button").click()
    page.wait_for_function("document.querySelectorAll('tr.link').length === 7")
    assert sentences(page, 5) == ((ZH[5],), (EN[6],))
    assert sentences(page, 6) == ((ZH[6],), ())


def test_buttons_after_keyboard_edits_are_handled_on_the_page(page, server, db):
    with Store(db) as store:
        doc_id, _ = store.add(sample_alignment(), content_hash(b"buttons after keys"))
    page.goto(f"{server}/doc/{doc_id}")
    page.evaluate("window.stayed = true")  # gone if a button reloads the page instead of the script posting it
    page.locator("#link-0 td.side.zh").click()
    page.keyboard.press("r")  # a keyboard edit: only the rows are swapped, not the header
    page.wait_for_selector("#link-0.reviewed")
    page.click("#undo")  # the header's form must carry the state the rows now show, or the edit is stale
    page.wait_for_function("!document.querySelector('#link-0').classList.contains('reviewed')")
    page.locator("#link-2 button.review").click()
    page.wait_for_selector("#link-2.reviewed")
    page.click("#review-document")
    page.wait_for_function("document.querySelector('#review-document').textContent.includes('Document reviewed')")
    assert page.evaluate("window.stayed === true")
    page.click("#undo")
    page.wait_for_function("!document.querySelector('#review-document').textContent.includes('Document reviewed')")
    assert page.locator("tr.link.reviewed").count() == 1 and page.evaluate("window.stayed === true")
