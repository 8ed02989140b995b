"""Peak memory of `--fast` alignment on a synthetic book pair of 100,000 sentences a side.

    .venv/bin/python benchmarks/memory_bench.py [--data ../shared/data/mac-dev] [--sentences 100000] [--out FILE]

The pair is built from MAC-Dev's gold links, drawn at random (with repetition, seeded) and laid end to
end until both sides hold at least --sentences sentences; because whole links are drawn, the synthetic
pair has a known gold alignment, and its accuracy is reported too. The pair is written as two
one-sentence-per-line files and aligned by `duizhao align --zh A --en B --sentences --fast` in a child
process, so the peak resident set size measured (`getrusage(RUSAGE_CHILDREN)`) is that of one alignment
from the command line, start to finish.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402

from duizhao.evaluate import parse_vecalign, score  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402


def synthetic_pair(docs: list[peers.MacDocument], size: int, seed: int = 13):
    """(zh sentences, en sentences, gold links) with at least `size` sentences on each side."""
    units = [([d.zh[i] for i in b.zh], [d.en[j] for j in b.en]) for d in docs for b in d.gold]
    rng = random.Random(seed)
    zh: list[str] = []
    en: list[str] = []
    gold = []
    while len(zh) < size or len(en) < size:
        zh_part, en_part = rng.choice(units)
        gold.append((tuple(range(len(zh), len(zh) + len(zh_part))), tuple(range(len(en), len(en) + len(en_part)))))
        zh.extend(zh_part)
        en.extend(en_part)
    return zh, en, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--sentences", type=int, default=100_000, help="at least this many sentences a side")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "memory_bench.json")
    args = parser.parse_args(argv)

    zh, en, gold = synthetic_pair(peers.load_mac(args.data), args.sentences)
    with tempfile.TemporaryDirectory(prefix="duizhao-memory-") as folder:
        zh_file, en_file, links = (Path(folder) / name for name in ("zh.txt", "en.txt", "links.vecalign"))
        zh_file.write_text("".join(s + "\n" for s in zh), encoding="utf-8", newline="\n")
        en_file.write_text("".join(s + "\n" for s in en), encoding="utf-8", newline="\n")
        command = [sys.executable, "-m", "duizhao.cli", "align", "--zh", str(zh_file), "--en", str(en_file),
                   "--sentences", "--fast", "--format", "vecalign", "--output", str(links),
                   # past the default 50,000 sentences a side, which keeps any input under 2 GB: this measures the cost
                   "--max-sentences", str(2 * args.sentences)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss: the largest child's peak, in KiB
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        predicted = parse_vecalign(links.read_text(encoding="utf-8"), str(links))
    s = score(gold, predicted)
    result = {
        "command": "python benchmarks/memory_bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "zh_sentences": len(zh), "en_sentences": len(en), "gold_links": len(gold),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "f1_strict": round(s.f1_strict, 4), "f1_lax": round(s.f1_lax, 4),
        "cpu": peers_cpu(), "cores": os.cpu_count(),
        "summary": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "",
    }
    with atomic_write(args.out) as out:
        json.dump(result, out, indent=2, ensure_ascii=False)
        out.write("\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def peers_cpu() -> str:
    from mac_bench import machine

    return machine()["cpu"]


if __name__ == "__main__":
    sys.exit(main())
