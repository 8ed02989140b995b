"""Which PDF library reads Chinese text best: pypdf (plain and layout mode) against pdfplumber.

    python benchmarks/pdf_bench.py

The example page's two sides (examples/readout.txt) are typeset by reportlab into multi-page A5 PDFs, the
Chinese in Adobe's STSong-Light CID font (UniGB-UCS2-H, the set-up of many Chinese office PDFs), with a
running header and page numbers. Each library's text is compared with the page's text, spaces and line
breaks ignored: characters lost and characters added (a multiset difference), and seconds.
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from test_documents import _pdf  # the tests' PDF builder

    from duizhao.ingest import load

    page = load(ROOT / "examples" / "readout.txt")
    folder = Path(tempfile.mkdtemp(prefix="pdf_bench."))
    rows = []
    for lang, side, header in (("zh", page.zh, "美国驻华大使馆网"), ("en", page.en, "U.S. Department of State")):
        path = _pdf(folder / f"{lang}.pdf", [p.text for p in side], lang, header)
        data = path.read_bytes()
        want = Counter("".join("".join(p.text for p in side).split()))
        for name, extract in (("pypdf", _pypdf), ("pypdf layout", _pypdf_layout), ("pdfplumber", _plumber)):
            started = time.perf_counter()
            text = extract(data)
            seconds = time.perf_counter() - started
            got = Counter("".join(text.split()))
            for ch in header + "0123456789":  # furniture is every library's to keep: not counted
                got[ch] = min(got[ch], want[ch])
            lost, added = want - got, got - want
            rows.append((lang, name, sum(want.values()), sum(lost.values()), sum(added.values()),
                         "".join(sorted(lost))[:20], round(seconds, 3)))
    print("| side | library | characters | lost | added | lost (sample) | s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def _pypdf_layout(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text(extraction_mode="layout") or "" for p in PdfReader(io.BytesIO(data)).pages)


def _plumber(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


if __name__ == "__main__":
    main()
