"""Translation checks and glossary on MAC-Dev's gold links: how often each flag fires, and name precision/recall.

    .venv/bin/python benchmarks/checks_bench.py [--data ../shared/data/mac-dev] [--out benchmarks/results/checks_mac.json]

MAC-Dev is literary translation (Chinese novels and their published English translations), so the checks run
with ``source="zh"``; every link is a gold link, so every flag is either a real divergence of the translation
(free rendering, a dropped number, a name turned into a description) or a false alarm. The script counts flags
by type per 100 links and writes every flag with its link text to the JSON output, so that a sample can be
read by hand.

The glossary part extracts term pairs from the six gold-aligned chapters and scores the person and place
names against `benchmarks/data/mac_dev_names.csv`, a hand-made list of names and their renderings read from
the chapters (a pair counts if its Chinese is a listed name and its English one of the listed renderings).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from duizhao.check import FLAG_TYPES, check  # noqa: E402
from duizhao.glossary import extract  # noqa: E402
from duizhao.ingest.intertext import load_intertext, read_links  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Alignment  # noqa: E402
from duizhao.segment import segment  # noqa: E402


def chapters(data: Path) -> list[Alignment]:
    out = []
    for links in sorted(data.glob("dev-anno.*_zh.*_en.xml")):
        number = links.name.split(".")[1].split("_")[0]
        zh_xml, en_xml = data / f"dev-anno.{number}_zh.xml", data / f"dev-anno.{number}_en.xml"
        document = segment(load_intertext(zh_xml, en_xml))
        beads = read_links(links, zh_xml, en_xml)
        out.append(Alignment(document, beads, {"source_lang": "zh", "chapter": number}))
    return out


def flag_rates(checked: list[Alignment]) -> dict:
    counts: Counter[str] = Counter()
    links = sum(len(a.beads) for a in checked)
    both_sides = sum(1 for a in checked for b in a.beads if b.zh and b.en)
    flagged = sum(1 for a in checked for b in a.beads if b.flags)
    for alignment in checked:
        for bead in alignment.beads:
            counts.update({f.type for f in bead.flags})
    return {
        "links": links,
        "links_with_both_sides": both_sides,
        "flagged_links": flagged,
        "links_flagged_per_type": {t: counts[t] for t in FLAG_TYPES},
        "per_100_links": {t: round(100 * counts[t] / links, 2) for t in FLAG_TYPES},
    }


def glossary_scores(terms, names_csv: Path) -> dict:
    rows = list(csv.DictReader(names_csv.open(encoding="utf-8")))
    renderings = {r["zh"]: {e.strip().lower() for e in r["en"].split("|")} for r in rows}
    names = [t for t in terms if t.kind in ("person", "place", "org")]
    right = [t for t in names if t.en.lower() in renderings.get(t.zh, set())]
    wrong = [t for t in names if t.zh in renderings and t.en.lower() not in renderings[t.zh]]
    unlisted = [t for t in names if t.zh not in renderings]
    found = {t.zh for t in right}
    return {
        "listed_names": len(rows),
        "name_pairs_extracted": len(names),
        "right": len(right),
        "wrong_rendering": [(t.zh, t.en) for t in wrong],
        "not_on_the_list": [(t.zh, t.en, t.kind, t.count) for t in unlisted],
        "recall": round(len(found) / len(rows), 3),
        "precision_on_listed": round(len(right) / max(1, len(right) + len(wrong)), 3),
        "missed": [r["zh"] for r in rows if r["zh"] not in found],
        "terms": [(t.zh, t.en, t.kind, t.count, t.evidence) for t in terms],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--names", type=Path, default=HERE / "data" / "mac_dev_names.csv")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "checks_mac.json")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no MAC-Dev at {args.data}: pass --data PATH", file=sys.stderr)
        return 2
    gold = chapters(args.data)
    started = time.perf_counter()
    checked = [check(a, source="zh") for a in gold]
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    terms = extract(gold)
    glossary_seconds = time.perf_counter() - started
    flags = [
        {"chapter": a.settings["chapter"], "link": i, "type": f.type, "message": f.message, "evidence": f.evidence,
         "zh": a.zh_text(b), "en": a.en_text(b)}
        for a in checked for i, b in enumerate(a.beads) for f in b.flags
    ]
    result = {
        "checks": flag_rates(checked),
        "check_seconds": round(check_seconds, 1),
        "glossary": glossary_scores(terms, args.names) if args.names.is_file() else None,
        "glossary_seconds": round(glossary_seconds, 1),
        "flags": flags,
    }
    with atomic_write(args.out) as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "flags"}, ensure_ascii=False, indent=1)[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
