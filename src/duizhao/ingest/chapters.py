"""Pairing the chapters of two editions of a book before their sentences are aligned.

Chapters are paired by a monotone dynamic programme (order is kept) that may leave a chapter of either
side unpaired (a preface or an appendix one edition lacks). The gain of pairing Chinese chapter i with
English chapter j is

    gain(i, j) = opening(i, j) - LENGTH_WEIGHT * |log(length ratio(i, j) / book ratio)| - typical opening

- opening: the share of the content words of the chapters' openings (the first OPENING_HAN Han
  characters, the first OPENING_WORDS English words) that CC-CEDICT pairs (Dice over jieba words and
  English stems, `Lexicon.match`);
- length ratio: Han characters over English words of the two chapters, against the same ratio over the
  whole book (a chapter and its translation keep the book's ratio; a wrong pair rarely does);
- typical opening: the median opening score over all (i, j), i.e. what two unrelated chapters score.

A pair is taken only where its gain is positive, so an extra chapter stays alone and its sentences become
1-0 (or 0-1) links. Each paired chapter is then aligned on its own (`Source.sections`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from ..model import Paragraph, Source
from .script import han_count, latin_words

OPENING_HAN = 400
OPENING_WORDS = 250
LENGTH_WEIGHT = 0.05

Pair = tuple[int | None, int | None]


def pair_chapters(source: Source, zh_counts: list[int], en_counts: list[int]) -> Source:
    """`source` with `sections` from the chapter pairing (paragraph counts per chapter on each side)."""
    zh_chapters = _split(source.zh, zh_counts)
    en_chapters = _split(source.en, en_counts)
    pairs = pair(["\n".join(p.text for p in c) for c in zh_chapters], ["\n".join(p.text for p in c) for c in en_chapters])
    source.sections = [(zh_counts[i] if i is not None else 0, en_counts[j] if j is not None else 0) for i, j in pairs]
    return source


def pair(zh: Sequence[str], en: Sequence[str]) -> list[Pair]:
    """The chapter pairs in reading order: (i, j), or (i, None) / (None, j) for a chapter left alone."""
    if len(zh) == 1 and len(en) == 1:
        return [(0, 0)]
    gains = _gains(zh, en)
    n, m = len(zh), len(en)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i and j:
                options.append((best[i - 1][j - 1] + gains[i - 1][j - 1], "pair"))
            if i:
                options.append((best[i - 1][j], "zh"))
            if j:
                options.append((best[i][j - 1], "en"))
            best[i][j], step[i][j] = max(options)
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == "pair":
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == "zh":
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def _gains(zh: Sequence[str], en: Sequence[str]) -> list[list[float]]:
    from ..lexicon import Lexicon

    lexicon = Lexicon.get()
    zh_tokens = [lexicon.tokens_zh(_han_opening(text)) for text in zh]
    en_tokens = [lexicon.tokens_en(" ".join(text.split()[:OPENING_WORDS])) for text in en]
    en_sets = [set(tokens) for tokens in en_tokens]
    # Each Chinese word's dictionary translations, looked up once (as Lexicon.match does for one pair).
    zh_translations = [[lexicon.entries.get(word, frozenset()) for word in tokens] for tokens in zh_tokens]
    opening = [[0.0] * len(en) for _ in zh]
    for i, translations in enumerate(zh_translations):
        for j, en_set in enumerate(en_sets):
            hit: set[str] = set()
            matched_zh = 0
            for found in translations:
                shared = found & en_set
                if shared:
                    matched_zh += 1
                    hit |= shared
            matched_en = sum(1 for token in en_tokens[j] if token in hit)
            total = len(zh_tokens[i]) + len(en_tokens[j])
            opening[i][j] = (matched_zh + matched_en) / total if total else 0.0
    zh_size = [han_count(text) for text in zh]
    en_size = [latin_words(text) for text in en]
    book = (sum(zh_size) + 1) / (sum(en_size) + 1)
    typical = sorted(v for row in opening for v in row)[len(zh) * len(en) // 2]
    return [[opening[i][j] - typical
             - LENGTH_WEIGHT * abs(math.log(((zh_size[i] + 1) / (en_size[j] + 1)) / book))
             for j in range(len(en))] for i in range(len(zh))]


def _han_opening(text: str) -> str:
    """The start of a Chinese chapter holding about OPENING_HAN Han characters."""
    count = 0
    for position, ch in enumerate(text):
        if han_count(ch):
            count += 1
            if count >= OPENING_HAN:
                return text[: position + 1]
    return text


def _split(paragraphs: list[Paragraph], counts: list[int]) -> list[list[Paragraph]]:
    chapters, start = [], 0
    for count in counts:
        chapters.append(paragraphs[start:start + count])
        start += count
    return chapters
