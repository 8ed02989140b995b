"""Paragraphs: a link rarely joins sentences from different paragraphs, and paragraphs start together.

Gale & Church aligned paragraphs before sentences for this reason. Here boundaries are soft penalties:
- `crossings`: each paragraph break inside one side of a link counts once;
- `start_mismatch`: 1 when one side of a link starts a paragraph and the other does not;
- `heading`: each heading joined to a sentence that is no heading on its side of a link (the two lines of a
  wrapped title may go together). A heading is a sentence that
  ingest marked as a title or heading, or a short paragraph of its own (an English line of at most
  HEADING_WORDS words, a Chinese one of at most HEADING_CHARS characters), that does not end in a full
  stop, comma or colon (a salutation such as "Ladies and Gentlemen," leads into the next line), closing quotes
  and brackets looked through, nor is quoted speech ending in "!" or "?" (“下轿！”): a heading
  often restates the sentence below it, so its words alone can pull it into that sentence's link, while a
  translator who leaves a heading untranslated leaves it unpaired (the press set's two English headings).
A side whose every sentence is its own paragraph (one sentence per line, gold-segmented files) has no
paragraph structure and counts nothing. MAC-Dev's chapters are one paragraph each, so these weights are set
by hand in the weight tables rather than learned (docs/experiments.md).
"""
from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from ..model import Document, Sentence
from . import Context, Links, Signal, prefix_sums

HEADING_WORDS = 15
HEADING_CHARS = 30
# A heading ends in no punctuation, or in "!" or "?": a line ending in a full stop is a sentence, one ending
# in a comma or colon ("Ladies and Gentlemen," "女士们，先生们：") leads into the next line.
_NOT_HEADING_ENDS = tuple(".。．,，:：;；、")
# Closing quotes and brackets are looked through: “Come here.” and (It was late.) end in a full stop. A line
# that ends in "!" or "?" inside them is quoted speech (“下轿！”, 'Climb down, I said!'), not a heading.
_CLOSERS = "”’\"')）」』》]"
_SPEECH_ENDS = tuple("!?！？…")
_HEADING_KINDS = frozenset({"title", "heading"})


def breaks(sentences: list[Sentence]) -> np.ndarray:
    """Prefix sums of paragraph breaks: entry k + 1 is 1 when sentence k starts a new paragraph."""
    paragraphs = [s.paragraph for s in sentences]
    if len(set(paragraphs)) == len(paragraphs):
        return np.zeros(len(paragraphs) + 1)
    starts = np.array([1] + [int(a != b) for a, b in itertools.pairwise(paragraphs)], dtype=np.float64)
    return prefix_sums(starts)


def headings(sentences: list[Sentence], chinese: bool) -> np.ndarray:
    """Prefix sums of headings (see the module docstring); none on a side without paragraph structure."""
    paragraphs = [s.paragraph for s in sentences]
    if len(set(paragraphs)) == len(paragraphs):
        return np.zeros(len(paragraphs) + 1)
    size = Counter(paragraphs)

    def short(text: str) -> bool:
        return len(text) <= HEADING_CHARS if chinese else len(text.split()) <= HEADING_WORDS

    flags = [(s.kind in _HEADING_KINDS or (size[s.paragraph] == 1 and short(s.text.strip())))
             and _heading_end(s.text) for s in sentences]
    return prefix_sums(np.array(flags, dtype=np.float64))


def _heading_end(text: str) -> bool:
    """Whether a line may end a heading (see `_NOT_HEADING_ENDS`, `_CLOSERS`)."""
    text = text.rstrip()
    inner = text.rstrip(_CLOSERS + " \t\u3000")
    if inner.endswith(_NOT_HEADING_ENDS):
        return False
    return inner == text or not inner.endswith(_SPEECH_ENDS)


class ParagraphSignal(Signal):
    name = "paragraphs"
    features = ("crossings", "start_mismatch", "heading")
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context) -> tuple[np.ndarray, ...]:
        return breaks(document.zh), breaks(document.en), headings(document.zh, True), headings(document.en, False)

    def score(self, prepared: tuple[np.ndarray, ...], links: Links) -> np.ndarray:
        zh, en, zh_heads, en_heads = prepared
        # Breaks strictly inside the span: those before its 2nd, 3rd, … sentence.
        inside = (zh[links.zh_end] - zh[links.zh_start + 1]) + (en[links.en_end] - en[links.en_start + 1])
        # Headings joined to a sentence that is no heading, on a side of more than one sentence (a title wrapped
        # over two lines is two headings that belong together).
        joined = sum(np.where((end - start > 1) & (heads[end] - heads[start] < end - start), heads[end] - heads[start], 0.0)
                     for heads, start, end in ((zh_heads, links.zh_start, links.zh_end),
                                               (en_heads, links.en_start, links.en_end)))
        if zh[-1] == 0 or en[-1] == 0:
            return np.stack([inside, np.zeros(len(links)), joined], axis=1)
        zh_starts = (zh[links.zh_start + 1] - zh[links.zh_start]) > 0
        en_starts = (en[links.en_start + 1] - en[links.en_start]) > 0
        return np.stack([inside, (zh_starts != en_starts).astype(np.float64), joined], axis=1)
