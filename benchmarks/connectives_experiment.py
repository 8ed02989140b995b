"""Experiment (docs/experiments.md, "connectives"): does a link whose first sentence continues the one
before it ("But …", "And …", 但 …, 于是 …) point at a boundary one sentence off?

A signal kept out of the package: `connectives` gives each link two features, `en_first` (its first English
sentence opens with a connective) and `mismatch` (one side's first sentence opens with a connective, the
other's does not). This script registers it and runs `tune.py` with the extra signal, so that
`crossval` measures it held out beside the same run without it:

    .venv/bin/python benchmarks/connectives_experiment.py crossval --epochs 40 --radius 12 --cost 1 \\
        --hold lexical.shared,anchors.shared [--without]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import regex

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from duizhao import signals  # noqa: E402
from duizhao.model import Document  # noqa: E402
from duizhao.signals import Context, Links, Signal  # noqa: E402

_EN = regex.compile(r"^[\s'\"‘“(—–-]*(and|but|so|yet|or|nor|then|besides|however)\b", regex.IGNORECASE)
_ZH = regex.compile(r"^[\s“‘「『（—]*(但是|但|可是|而且|而|不过|所以|因此|于是|然后|并且|况且|何况|只是|然而)")
SIGNALS = "embedding,embedding2,lexical,anchors,length,paragraphs,quotes,punctuation"


class ConnectiveSignal(Signal):
    name = "connectives"
    features = ("en_first", "mismatch")
    range = (0.0, 1.0)
    cost = "light"

    def prepare(self, document: Document, context: Context) -> tuple[np.ndarray, np.ndarray]:
        zh = np.array([bool(_ZH.match(s.text)) for s in document.zh], dtype=np.float64)
        en = np.array([bool(_EN.match(s.text)) for s in document.en], dtype=np.float64)
        return zh, en

    def score(self, prepared: tuple[np.ndarray, np.ndarray], links: Links) -> np.ndarray:
        zh, en = prepared
        first_zh, first_en = zh[links.zh_start], en[links.en_start]
        return np.stack([first_en, np.abs(first_zh - first_en)], axis=1)


signals._REGISTRY["connectives"] = f"{__name__}:ConnectiveSignal"

if __name__ == "__main__":
    import tune

    args = sys.argv[1:]
    if "--without" in args:
        args.remove("--without")
        chosen = SIGNALS
    else:
        chosen = SIGNALS + ",connectives"
    sys.exit(tune.main([*args, "--signals", chosen]))
