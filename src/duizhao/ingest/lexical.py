"""Which runs of a bilingual page pair, told by a dictionary where their sizes cannot tell (see
`layout.infer_layout`)."""
from __future__ import annotations

import math

from .script import Script

# Where the runs' sizes cannot tell the pairs (a paragraph left untranslated beside a translated pair), a
# dictionary can: the share of each run's content words that CC-CEDICT matches in the other (the mean of both
# sides). Translated runs of prose score 0.45-0.72 on the layout corpus; a run scores about 0.3 or less with a
# neighbour that is not its translation. Runs with fewer content words than this (a salutation, a name) score
# near 0 even when they are translations: they are not weighed.
_LEXICAL_MIN_WORDS = 12
_LEXICAL_SKIP = 0.65  # a run left unpaired costs as much as a run paired at coverage 0.35 (1 - 0.65)


def lexical_reading(texts: list[str], scripts: list[Script]) -> list[tuple[int, int]] | None:
    """The cheapest reading of three or more runs (their texts and scripts, in page order) by dictionary
    coverage, as (first run, 2) for a pair and (run, 1) for a run left unpaired: each run of a pair costs 1 -
    the pair's coverage, an unpaired run _LEXICAL_SKIP (so two runs pair when their coverage is over 0.35).
    None unless the reading pairs at least one pair and every run it leaves unpaired is weighed by the
    dictionary (enough content words)."""
    if len(texts) < 3:
        return None
    from ..lexicon import Lexicon  # loaded only for the pages that come this far

    lexicon = Lexicon.get()
    words = [len(lexicon.tokens_zh(t) if script == "zh" else lexicon.tokens_en(t))
             for script, t in zip(scripts, texts, strict=True)]
    weighed = [count >= _LEXICAL_MIN_WORDS for count in words]

    def coverage(k: int) -> float:
        zh, en = (k, k + 1) if scripts[k] == "zh" else (k + 1, k)
        matched_zh, matched_en = lexicon.match(texts[zh], texts[en])
        return (len(matched_zh) / words[zh] + len(matched_en) / words[en]) / 2

    best = [0.0] + [math.inf] * len(texts)
    step = [0] * (len(texts) + 1)
    for k in range(len(texts)):
        if best[k] + _LEXICAL_SKIP < best[k + 1]:
            best[k + 1], step[k + 1] = best[k] + _LEXICAL_SKIP, 1
        if k + 1 < len(texts) and scripts[k] != scripts[k + 1] and weighed[k] and weighed[k + 1]:
            pair = best[k] + 2 * (1.0 - coverage(k))
            if pair < best[k + 2]:
                best[k + 2], step[k + 2] = pair, 2
    chosen: list[tuple[int, int]] = []
    k = len(texts)
    while k > 0:
        chosen.append((k - step[k], step[k]))
        k -= step[k]
    chosen.reverse()
    if not any(n == 2 for _, n in chosen) or not all(weighed[a] for a, n in chosen if n == 1):
        return None
    return chosen
