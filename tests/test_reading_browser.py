"""The 对照 HTML of the example page in Debian's Chromium (Playwright): both columns visible side by side
and apart at 1280 px and at 390 px, and printing keeps every row on one page (checked on the printed PDF,
read back with pypdf, against the same page printed without `break-inside: avoid`, which does split rows).

Screenshots go to docs/ when DUIZHAO_SCREENSHOTS=1.
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "readout.txt"

if not Path(CHROMIUM).exists():  # pragma: no cover - .ci/run installs it
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    from duizhao import formats, pipeline

    alignment = pipeline.process(EXAMPLE)
    alignment.document.meta.path = "examples/readout.txt"  # as `make demo` shows it, from the repository
    folder = tmp_path_factory.mktemp("readout")
    [path] = formats.write(alignment, ["html"], folder / "readout.html")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


GEOMETRY = """() => [...document.querySelectorAll('.pair')].map(row => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {zh: box(row.querySelector('.zh')), en: box(row.querySelector('.en'))};
})"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_both_columns_are_visible_side_by_side(browser, page_file, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(page_file.as_uri())
    rows = page.evaluate(GEOMETRY)
    assert len(rows) == 28
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing off to the side
    for number, row in enumerate(rows, 1):
        zh, en = row["zh"], row["en"]
        assert 0 <= zh[0] < zh[2] <= en[0] < en[2] <= width, (number, row)  # both inside, zh left of en, apart
        assert abs(zh[1] - en[1]) < 1, (number, row)  # on the same line
        assert en[2] - en[0] > width * 0.3 and zh[2] - zh[0] > width * 0.3  # neither squeezed away
    if os.environ.get("DUIZHAO_SCREENSHOTS") == "1":
        name = "readout-html.png" if width == 1280 else "readout-html-phone.png"
        page.screenshot(path=str(ROOT / "docs" / name))
    page.close()


def _split_rows(browser, html: str, folder: Path, *, whole: bool = True) -> tuple[int, list[str]]:
    """Print `html` on A6 pages; the rows whose English starts on one page and ends on another."""
    from pypdf import PdfReader

    source = folder / "print.html"
    source.write_text(html, encoding="utf-8")
    page = browser.new_page()
    page.goto(source.as_uri())
    english = page.evaluate("[...document.querySelectorAll('.pair .en')].map(e => e.textContent)")
    pdf = folder / "print.pdf"
    page.pdf(path=str(pdf), format="A6", margin={"top": "8mm", "bottom": "8mm", "left": "6mm", "right": "6mm"})
    page.close()
    # compared on letters and digits only (extraction may join or break lines anywhere, and hyphens vary)
    # after NFKC (the PDF's ligatures, ﬂ for fl, and its CJK compatibility forms)
    def letters(text: str) -> str:
        return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text))

    pages = [letters(p.extract_text() or "") for p in PdfReader(str(pdf)).pages]

    split = []
    for text in english:
        words = text.split()
        if len(words) < 12:
            continue
        first, last = letters("".join(words[:6])), letters("".join(words[-6:]))
        if whole:  # every long row is read back, whole, from one page
            assert any(letters(text) in p for p in pages), text
        if not any(first in p and last in p for p in pages):
            split.append(text)
    return len(pages), split


def test_printing_keeps_every_row_on_one_page(browser, page_file, tmp_path):
    html = page_file.read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.emulate_media(media="print")
    assert set(page.evaluate("[...document.querySelectorAll('.pair')].map(r => getComputedStyle(r).breakInside)")) == {"avoid"}
    page.close()
    pages, split = _split_rows(browser, html, tmp_path)
    assert pages > 5 and split == []
    # the same page without the rule splits rows across pages: the check above can fail
    loose = html.replace("break-inside: avoid;", "").replace("page-break-inside: avoid;", "")
    _, split_without = _split_rows(browser, loose, tmp_path, whole=False)
    assert split_without
