"""Deletion benchmark: does the aligner leave a sentence whose counterpart was deleted unpaired?

    .venv/bin/python benchmarks/deletion_bench.py [../shared/data] [--rate 0.05] [--seeds 3] [--fast]
        [--weights FILE] [--chapters 001,002,003] [--no-member-pass] [--out benchmarks/results/deletion.json]

On MAC-Dev (the folder's `mac-dev/`) and on the example page (`examples/readout.txt`, gold links from
`tests/data/readout_expected.json`), with gold segmentation, a seeded random `rate` of the sentences of one
side is deleted (the Chinese side, then the English side), the rest is aligned, and the result is scored:

- **null links**: a predicted 1-0 / 0-1 link is right when its sentence has no counterpart left in the gold,
  that is when everything it was linked to was deleted (or it was unlinked in the gold already); precision
  over the predicted null links, recall over the sentences the deletion orphaned;
- **strict F1** of all links against the gold links that remain (`duizhao.evaluate`).

Each seed deletes other sentences; counts are summed over seeds, chapters and both sides. The unmodified
texts are aligned and scored too, as the baseline the targets compare against (issue 13: null-link
precision and recall >= 0.8; strict F1 on unmodified MAC-Dev no more than 0.5 point below 0.909).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from duizhao.align import AlignConfig, align, read_weights  # noqa: E402
from duizhao.evaluate import score_corpus  # noqa: E402
from duizhao.ingest import load  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Bead, Document  # noqa: E402
from duizhao.segment import segment  # noqa: E402


def example_page() -> tuple[str, Document, list[Bead]]:
    """The example page as the pipeline segments it, and its hand-checked links as beads."""
    links = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]
    document = segment(load(ROOT / "examples" / "readout.txt"))
    gold, i, j = [], 0, 0
    for link in links:
        gold.append(Bead(tuple(range(i, i + len(link["zh"]))), tuple(range(j, j + len(link["en"])))))
        i, j = i + len(link["zh"]), j + len(link["en"])
    zh = [t for link in links for t in link["zh"]]
    en = [t for link in links for t in link["en"]]
    if [s.text for s in document.zh] != zh or [s.text for s in document.en] != en:
        raise SystemExit("the example page no longer segments as tests/data/readout_expected.json says")
    return "readout", document, gold


def deletion_seed(name: str, side: str, seed: int) -> int:
    """A seed that names what it deletes from (Python's hash() of a str changes per process)."""
    return zlib.crc32(f"{name}/{side}/{seed}".encode("utf-8"))


def delete(document: Document, gold: list[Bead], side: str, rate: float, seed: int
           ) -> tuple[Document, list[Bead], set[tuple[str, int]]]:
    """Delete round(rate × sentences) random sentences of `side` (at least one). Returns the shorter
    document, its gold links (renumbered; a link left with one side empty becomes one null link per
    sentence) and the orphans: (side, new id) of every sentence whose counterparts were all deleted."""
    sentences = document.zh if side == "zh" else document.en
    rng = random.Random(seed)
    count = max(1, round(rate * len(sentences)))
    gone = set(rng.sample(range(len(sentences)), count))
    keep = [k for k in range(len(sentences)) if k not in gone]
    new_id = {old: new for new, old in enumerate(keep)}
    kept = [sentences[k] for k in keep]
    doc = Document(kept, document.en, document.meta) if side == "zh" else Document(document.zh, kept, document.meta)
    beads: list[Bead] = []
    orphans: set[tuple[str, int]] = set()
    other = "en" if side == "zh" else "zh"
    for bead in gold:
        mine, theirs = (bead.zh, bead.en) if side == "zh" else (bead.en, bead.zh)
        left = tuple(new_id[k] for k in mine if k in new_id)
        if mine and not left:
            # Everything this link had on the deleted side is gone: its other side is orphaned.
            for k in theirs:
                orphans.add((other, k))
                beads.append(Bead((k,), ()) if other == "zh" else Bead((), (k,)))
            continue
        beads.append(Bead(left, bead.en) if side == "zh" else Bead(bead.zh, left))
    return doc, beads, orphans


@dataclass
class Tally:
    predicted_null: int = 0
    right_null: int = 0
    orphans: int = 0
    orphans_found: int = 0
    orphans_merged: int = 0  # orphans the aligner joined to a neighbour's link
    pairs: list = field(default_factory=list)

    def add(self, gold: list[Bead], pred: list[Bead], orphans: set[tuple[str, int]]) -> None:
        gold_null = {("zh", b.zh[0]) for b in gold if b.zh and not b.en} | {("en", b.en[0]) for b in gold if b.en and not b.zh}
        pred_null = {("zh", k) for b in pred if not b.en for k in b.zh} | {("en", k) for b in pred if not b.zh for k in b.en}
        self.predicted_null += len(pred_null)
        self.right_null += len(pred_null & gold_null)
        self.orphans += len(orphans)
        self.orphans_found += len(orphans & pred_null)
        self.orphans_merged += len(orphans - pred_null)
        self.pairs.append((gold, pred))

    def summary(self) -> dict:
        s = score_corpus(self.pairs)
        return {
            "null_predicted": self.predicted_null, "null_right": self.right_null,
            "null_precision": round(self.right_null / self.predicted_null, 3) if self.predicted_null else None,
            "orphans": self.orphans, "orphans_unpaired": self.orphans_found,
            "null_recall": round(self.orphans_found / self.orphans, 3) if self.orphans else None,
            "strict_p": round(s.precision_strict, 3), "strict_r": round(s.recall_strict, 3),
            "strict_f1": round(s.f1_strict, 3), "lax_f1": round(s.f1_lax, 3),
        }


def run(documents, config: AlignConfig, rate: float, seeds: int) -> dict:
    clean, deleted = Tally(), Tally()
    for name, document, gold in documents:
        pred = align(document, config).beads
        clean.add(gold, pred, set())
        for seed in range(seeds):
            for side in ("zh", "en"):
                doc, beads, orphans = delete(document, gold, side, rate, deletion_seed(name, side, seed))
                deleted.add(beads, align(doc, config).beads, orphans)
        print(f"  {name}: deleted so far {deleted.summary()}", flush=True)
    return {"unmodified": clean.summary(), "deleted": deleted.summary()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data",
                        help="the shared data folder holding mac-dev/")
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--page-seeds", type=int, default=20, help="seeds for the (short) example page")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--weights", type=Path, help="a JSON weight table over the shipped one")
    parser.add_argument("--skip-mac", action="store_true")
    parser.add_argument("--chapters", help="only these MAC-Dev chapters, comma-separated (e.g. 004,005,006)")
    parser.add_argument("--no-member-pass", action="store_true",
                        help="no per-member splits after the search (AlignConfig.member_gains=None): the baseline")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    config = AlignConfig(fast=args.fast)
    if args.no_member_pass:
        config = replace(config, member_gains=None)
    if args.weights:
        config = replace(config, weights=read_weights(args.weights, config))
    started = time.perf_counter()
    result: dict = {"rate": args.rate, "mode": "fast" if args.fast else "default",
                    "member_pass": config.member_gains is not None, "chapters": args.chapters or "all"}
    result["example_page"] = run([example_page()], config, args.rate, args.page_seeds)
    print("example page", json.dumps(result["example_page"]), flush=True)
    if not args.skip_mac:
        mac = args.data / "mac-dev"
        if not mac.is_dir():
            print(f"no MAC-Dev at {mac}: pass the shared data folder", file=sys.stderr)
            return 2
        from tune import load_mac

        chapters = load_mac(mac)
        if args.chapters:
            chapters = [c for c in chapters if c[0] in args.chapters.split(",")]
        result["mac_dev"] = run(chapters, config, args.rate, args.seeds)
        print("MAC-Dev", json.dumps(result["mac_dev"]), flush=True)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.out:
        with atomic_write(args.out) as handle:
            json.dump(result, handle, indent=1)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
