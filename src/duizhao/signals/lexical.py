"""Dictionary evidence: how many Chinese words have a CC-CEDICT translation among the English words.

Chinese words are mapped to the English stems of their dictionary glosses (see `duizhao.lexicon`); a link's
score is a Dice coefficient over the words that could match at all in this document (a word absent from the
dictionary, or an English word no Chinese word here translates to, is neither evidence for nor against).
"""
from __future__ import annotations

import numpy as np

from ..lexicon import Lexicon
from ..model import Document
from . import Context, Links, Signal, prefix_sums
from .bags import Bags, bag_blocks, column_map, count_matrix, shared_dots, span_size

MAX_WIDTH = 4096  # distinct English stems kept exact; larger documents fold them by hash
CELL_BUDGET = 10_000_000  # bag matrix entries per document: very long documents fold stems further
MAX_GLOSSES = 12  # a word with more glosses (一, 打, 过) is too ambiguous to be evidence


class LexicalSignal(Signal):
    name = "lexical"
    features = ("dice", "shared")
    range = (0.0, float("inf"))
    cost = "light"

    def prepare(self, document: Document, context: Context) -> Bags:
        lex = Lexicon.get()
        en_tokens = [lex.tokens_en(s.text) for s in document.en]
        en_vocab = {t for tokens in en_tokens for t in tokens}
        zh_bags, zh_words, reachable = [], [], set()
        for sentence in document.zh:
            bag: list[str] = []
            words = 0
            for word in lex.tokens_zh(sentence.text):
                glosses = lex.entries.get(word, frozenset())
                found = glosses & en_vocab if len(glosses) <= MAX_GLOSSES else ()
                if found:
                    bag.extend(found)  # one count per distinct stem this word can match
                    words += 1  # but the word counts once in the denominator
            zh_bags.append(bag)
            zh_words.append(words)
            reachable.update(bag)
        # Each English stem once per sentence, so that the dot product with the Chinese bag counts matches.
        en_bags = [list(dict.fromkeys(t for t in tokens if t in reachable)) for tokens in en_tokens]
        budget = CELL_BUDGET // max(len(document.zh) + len(document.en), 1)
        columns, width = column_map(reachable, int(min(MAX_WIDTH, max(256, budget))))
        zh, en = count_matrix(zh_bags, columns, width), count_matrix(en_bags, columns, width)
        return Bags(zh, en, prefix_sums(np.array(zh_words, dtype=np.float64)), prefix_sums(en.sum(1, dtype=np.float64)))

    def blocks(self, prepared: Bags, zh_bounds: np.ndarray, en_bounds: np.ndarray):
        return bag_blocks(prepared, zh_bounds, en_bounds)

    def score(self, prepared: Bags, links: Links) -> np.ndarray:
        shared = shared_dots(prepared, links)
        size = span_size(prepared.zh_size, links.zh_start, links.zh_end) + span_size(
            prepared.en_size, links.en_start, links.en_end
        )
        dice = np.where(size > 0, np.minimum(2 * shared / np.maximum(size, 1), 1.0), 0.0)
        return np.stack([dice, shared], axis=1)

