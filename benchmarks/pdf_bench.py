"""Which PDF library reads Chinese text best: pypdf (plain and layout mode) against pdfplumber.

    python benchmarks/pdf_bench.py          # typeset PDFs of the example page
    python benchmarks/pdf_bench.py --real   # the real Chinese PDF in tests/data/documents

The example page's two sides (examples/readout.txt) are typeset by reportlab into multi-page A5 PDFs, the
Chinese in Adobe's STSong-Light CID font (UniGB-UCS2-H, the set-up of many Chinese office PDFs), with a
running header and page numbers. Each library's text is compared with the page's text, spaces and line
breaks ignored: characters lost and characters added (a multiset difference), and seconds.

--real reads pages 7–10 of the PRC Civil Code as published (tests/data/documents/README.md). There is no
source text to compare with, so the reference is the multiset of characters all three extractions agree
on (each library's count of a character, the smallest taken); a character one library has and the others
lack counts as lost or added for it. Also counted: lines of one or two characters (in pypdf's plain mode
a comma, a full-width space or one letter-spaced character of a heading on a line of its own: text runs
broken apart; in the other two, a paragraph's short last line such as "境。"), and duizhao's reader
(layout mode, furniture removed, paragraphs joined): its paragraphs and the characters it drops besides the
page numbers.
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
    if "--real" in sys.argv[1:]:
        real()
        return
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


def real() -> None:
    from duizhao.ingest.pdf import paragraphs_of

    path = ROOT / "tests" / "data" / "documents" / "prc-civil-code-2020-p7-10.pdf"
    data = path.read_bytes()
    texts, seconds = {}, {}
    for name, extract in (("pypdf", _pypdf), ("pypdf layout", _pypdf_layout), ("pdfplumber", _plumber)):
        started = time.perf_counter()
        texts[name] = extract(data)
        seconds[name] = time.perf_counter() - started
    counts = {name: Counter("".join(text.split())) for name, text in texts.items()}
    reference = Counter({ch: min(c[ch] for c in counts.values()) for ch in set().union(*counts.values())})
    print(f"{path.name}: {sum(reference.values())} characters all three agree on (spaces ignored)\n")
    print("| library | lost | added | lines | lines of 1–2 characters | s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, text in texts.items():
        lines = [line for line in text.split("\n") if line.strip()]
        short = sum(1 for line in lines if len("".join(line.split())) <= 2)
        print(f"| {name} | {sum((reference - counts[name]).values())} | {sum((counts[name] - reference).values())} "
              f"| {len(lines)} | {short} | {seconds[name]:.3f} |")
    started = time.perf_counter()
    paragraphs = paragraphs_of(data, path.name)
    took = time.perf_counter() - started
    got = Counter("".join("".join(paragraphs).split()))
    furniture = Counter(ch for ch in reference.elements() if ch in "—０１２３４５６７８９")
    print(f"\nduizhao's reader: {len(paragraphs)} paragraphs, {sum((reference - furniture - got).values())} "
          f"characters lost and {sum((got - (reference - furniture)).values())} added besides the "
          f"{sum(furniture.values())} of the page numbers, {took:.3f} s")


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
