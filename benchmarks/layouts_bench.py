"""End to end on the layout corpus (tests/data/layouts/): per page and per layout, strict F1 of the links and
chrome lines leaked into links.

    .venv/bin/python benchmarks/layouts_bench.py [--pages DIR] [--out benchmarks/results/layouts.json] [--only TEXT]

Each page `NAME.txt|.md|.html` has a hand-checked gold `NAME.json` beside it: its Chinese and English
sentences, its links (lists of sentence ids on each side, `[]` for an unpaired sentence) and the page's chrome
lines. A page is read exactly as `duizhao align PAGE` reads it. Links are compared by their text, with all
whitespace and Markdown emphasis removed (`*`, backticks), so a link is right when it joins exactly the same
text on both sides, whatever the sentence ids. A chrome line is leaked when its text (so normalised) is inside
some link and inside no gold sentence. A page refused by the reader scores 0 and counts as refused.

Pages whose gold says `"held_out": true` were added after the reading rules were written and never used to
shape them; they are reported in a table of their own. The other-language-first property is a test
(tests/test_layouts.py), not part of this benchmark.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import regex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGES = ROOT / "tests" / "data" / "layouts"

_IGNORED = regex.compile(r"[\s*`]+")


def norm(text: str) -> str:
    return _IGNORED.sub("", text)


def page_files(directory: Path) -> list[tuple[Path, Path]]:
    out = []
    for gold in sorted(directory.glob("*.json")):
        pages = [p for p in directory.glob(gold.stem + ".*") if p.suffix != ".json"]
        if len(pages) == 1:
            out.append((pages[0], gold))
    return out


def gold_links(gold: dict) -> list[tuple[str, str]]:
    return [(norm("".join(gold["zh"][i] for i in zh)), norm("".join(gold["en"][i] for i in en)))
            for zh, en in gold["links"]]


def predicted_links(alignment) -> list[tuple[str, str]]:
    return [(norm(alignment.zh_text(b)), norm(alignment.en_text(b))) for b in alignment.beads]


def score(predicted: list[tuple[str, str]], gold: list[tuple[str, str]]) -> dict:
    right = len(set(predicted) & set(gold))
    precision = right / len(predicted) if predicted else 0.0
    recall = right / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "right": right,
            "predicted": len(predicted), "gold": len(gold)}


def leaked(predicted: list[tuple[str, str]], gold: dict) -> list[str]:
    sentences = [norm(s) for s in gold["zh"] + gold["en"]]
    texts = [zh + "\n" + en for zh, en in predicted]
    out = []
    for line in gold["chrome"]:
        key = norm(line)
        if key and any(key in t for t in texts) and not any(key in s for s in sentences):
            out.append(line)
    return out


def run_page(page: Path, gold: dict, encoder=None) -> dict:
    from duizhao.errors import DuizhaoError
    from duizhao.pipeline import process

    try:
        alignment = process(page, encoder=encoder)
    except DuizhaoError as err:
        return {"page": page.name, "layout": gold["layout"], "refused": str(err), "f1": 0.0,
                "chrome": len(gold["chrome"]), "leaked": [], "predicted_links": []}
    predicted = predicted_links(alignment)
    result = score(predicted, gold_links(gold))
    return {"page": page.name, "layout": gold["layout"], "refused": "", **result,
            "detected_layout": getattr(alignment.document.meta, "layout", ""),
            "chrome": len(gold["chrome"]), "leaked": leaked(predicted, gold),
            "predicted_links": [[alignment.zh_text(b), alignment.en_text(b)] for b in alignment.beads]}


def summary(rs: list[dict]) -> dict:
    return {"pages": len(rs), "f1": sum(r["f1"] for r in rs) / len(rs), "refused": sum(bool(r["refused"]) for r in rs),
            "chrome": sum(r["chrome"] for r in rs), "leaked": sum(len(r["leaked"]) for r in rs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "layouts.json")
    parser.add_argument("--only", default="", help="run only pages whose name contains this")
    args = parser.parse_args(argv)

    results = []
    start = time.perf_counter()
    for page, gold_path in page_files(args.pages):
        if args.only and args.only not in page.name:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        result = run_page(page, gold)
        result["held_out"] = bool(gold.get("held_out"))
        results.append(result)
        status = "REFUSED " + result["refused"] if result["refused"] else \
            f"F1 {result['f1']:.3f}  leaked {len(result['leaked'])}/{result['chrome']}"
        print(f"{page.name:45s} {gold['layout']:12s} {status}", file=sys.stderr)

    tables = {}
    for part, chosen in (("development", [r for r in results if not r["held_out"]]),
                         ("held out", [r for r in results if r["held_out"]])):
        if not chosen:
            continue
        by_layout: dict[str, list[dict]] = defaultdict(list)
        for r in chosen:
            by_layout[r["layout"]].append(r)
        rows = {layout: summary(rs) for layout, rs in sorted(by_layout.items())}
        rows["all"] = summary(chosen)
        tables[part] = rows
        print(f"\n{part} pages\n\n| layout | pages | mean strict F1 | refused | chrome leaked |\n| --- | --- | --- | --- | --- |")
        for layout, row in rows.items():
            print(f"| {layout} | {row['pages']} | {row['f1']:.3f} | {row['refused']} | {row['leaked']}/{row['chrome']} |")
    print(f"\n{time.perf_counter() - start:.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"tables": tables, "pages": results}, ensure_ascii=False, indent=1),
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
