"""Recurring terms: Chinese terms and English n-grams that occur on nearly the same links, confirmed by
the dictionary."""
from __future__ import annotations

import functools
import itertools
from collections import Counter

import regex

from ..chinese import HAN as _HAN
from ..lexicon import EN_STOPWORDS, ZH_STOPWORDS, Lexicon
from ..names import NameIndex, pos_tags
from .model import _NUMBER_WORDS, _PLAIN_TAGS, _TERM_TAGS, Term, _en_tokens
from .names import NamePairing


class TermMining(NamePairing):
    """`_Extractor`'s term mining (it reads English n-grams with the name pairing's tokens)."""

    index: NameIndex
    lexicon: Lexicon
    zh_terms: Counter[str]
    en_terms: Counter[str]
    term_pairs: Counter[tuple[str, str]]
    term_examples: dict[tuple[str, str], str]
    link_texts: list[str]

    # --- recurring terms -------------------------------------------------------------------------
    def _terms(self, zh: str, en: str, example: str) -> None:
        words = list(pos_tags(zh))
        zh_cands = {w for w, f in words if f in _TERM_TAGS and len(w) >= 2 and w not in ZH_STOPWORDS
                    and _HAN.search(w)}
        for (w1, f1), (w2, f2) in itertools.pairwise(words):
            if f1 in _PLAIN_TAGS | {"v"} and f2 in _PLAIN_TAGS and len(w1) >= 2 and len(w2) >= 2 \
                    and _HAN.search(w1 + w2) and len(w1 + w2) <= 6:
                zh_cands.add(w1 + w2)  # 沟通 + 渠道
        tokens = _en_tokens(en)
        keys = [t.key for t in tokens]
        names = [self._name_word(t) for t in tokens]
        en_cands = set()
        for size in (1, 2, 3):
            for i in range(len(keys) - size + 1):
                gram = keys[i:i + size]
                if gram[0] in EN_STOPWORDS or gram[-1] in EN_STOPWORDS or any(g in _NUMBER_WORDS for g in gram):
                    continue
                if any(names[i:i + size]):
                    continue  # names are paired above, by dictionary and transliteration
                if size > 1 or len(gram[0]) >= 4:
                    en_cands.add(" ".join(gram))
        self.zh_terms.update(zh_cands)
        self.en_terms.update(en_cands)
        for z in zh_cands:
            for e in en_cands:
                self.term_pairs[(z, e)] += 1
                self.term_examples.setdefault((z, e), example)

    def term_pairs_found(self) -> list[Term]:
        """Recurring Chinese terms paired with recurring English n-grams that co-occur with them on nearly
        every link, confirmed by the dictionary; a one-word English side must be no everyday word."""
        best: dict[str, tuple[float, float, int, str]] = {}
        for (z, e), together in self.term_pairs.items():
            if together < 2 or (" " not in e and self.index.is_common_english(e)):
                continue  # importance ↔ 重要性 is vocabulary, not terminology
            if len(set(z)) * 3 < len(z) * 2:
                continue  # 长长 "long-long", 短长长长: repetition, not a term
            dice = 2 * together / (self.zh_terms[z] + self.en_terms[e])
            if dice < 0.7 or not self._confirmed(z, e):
                continue
            score = (dice, self._confirmed_share(z, e), len(e.split()), e)
            if z not in best or score > best[z]:
                best[z] = score
        terms = []
        claimed: set[str] = set()
        # Longer Chinese terms first, so that 沟通渠道 takes "lines of communication" before 渠道 does.
        for z in sorted(best, key=lambda w: (-len(w), w)):
            dice, _, _, e = best[z]
            if e in claimed or any(z in other and best[other][3] == e for other in best if other != z):
                continue
            claimed.add(e)
            terms.append(Term(z, self._en_surface(e), "term", self.term_pairs[(z, e)], self.term_examples[(z, e)],
                              "co-occurrence + dictionary", round(dice, 3)))
        return terms

    def _en_surface(self, key_gram: str) -> str:
        """The n-gram as written in the first example that has it (keys are lower-cased)."""
        for text in self.link_texts:
            english = text.split(" ↔ ", 1)[1]
            m = regex.search(r"\b" + r"\W+".join(map(regex.escape, key_gram.split())) + r"\b", english, regex.I)
            if m:
                return m.group(0)
        return key_gram

    def _confirmed(self, zh: str, en_gram: str) -> bool:
        # A long compound may hold a word the dictionary lacks (渠道 "lines"); a short word must translate fully.
        return self._confirmed_share(zh, en_gram) >= (0.5 if len(zh) >= 4 else 1.0)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one extractor per call
    def _confirmed_share(self, zh: str, en_gram: str) -> float:
        """The share of the English n-gram's content words that translate part of the Chinese term
        (沟通渠道 ↔ lines of communication: "communication" is in the dictionary, "lines" is not: 0.5)."""
        stems = set(self.lexicon.translations(zh))
        for piece in self.lexicon.tokens_zh(zh):
            stems |= self.lexicon.translations(piece)
        content = [w for w in en_gram.split() if w not in EN_STOPWORDS]
        long_stems = [t for t in stems if len(t) >= 5]

        def translated(word: str) -> bool:
            stem = self.lexicon.stem(word)  # counternarcotics ↔ 反毒: "narcot" inside "counternarcot"
            return stem in stems or any(t in stem for t in long_stems)

        if not content:
            return 0.0
        return sum(translated(w) for w in content) / len(content)
