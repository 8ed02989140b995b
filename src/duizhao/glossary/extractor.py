"""`extract`: names and recurring terms paired over the links of aligned documents."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable

import regex

from ..lexicon import Lexicon
from ..model import Alignment
from ..names import PLACE_WORDS, EnglishText, NameIndex, TermKind, zh_names
from .model import _STREET_WORDS, Term, _en_tokens
from .terms import TermMining


class _Extractor(TermMining):
    """Reads links one by one (`link`) and pairs what recurs: names first, then terms."""

    def __init__(self, index: NameIndex, lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.kinds: dict[tuple[str, str], TermKind] = {}
        self.how: dict[tuple[str, str], str] = {}
        self.examples: dict[tuple[str, str], str] = {}
        self.zh_terms: Counter[str] = Counter()
        self.en_terms: Counter[str] = Counter()
        self.term_pairs: Counter[tuple[str, str]] = Counter()
        self.term_examples: dict[tuple[str, str], str] = {}
        self.unpaired: dict[str, TermKind] = {}
        self.name_links: dict[str, set[int]] = defaultdict(set)
        self.run_links: dict[str, set[int]] = defaultdict(set)
        self.link_texts: list[str] = []

    # --- names ---------------------------------------------------------------------------------
    def link(self, zh: str, en: str, terms: bool = True) -> None:
        number = len(self.link_texts)
        example = f"{zh} ↔ {en}"
        self.link_texts.append(example)
        english = EnglishText(en)
        tokens = _en_tokens(en)
        for run in self._capitalised_runs(tokens, en):
            self.run_links[run].add(number)
        seen: set[tuple[str, str]] = set()
        for name in zh_names(zh, self.index):
            self.name_links[name.text].add(number)
            found = self._render(name, zh, en, english, tokens)
            if found is None:
                kind = self._kind(name)
                self.unpaired.setdefault(name.text, kind)
                continue
            zh_form, en_form, how, kind = found
            self._count((zh_form, en_form), how, kind, example, seen)
        # English names jieba missed on the Chinese side (陈清扬 cut as 陈清 + 扬): look for the Chinese
        # characters whose pinyin spells them (Chen Qingyang, Ban-er ↔ 板儿, Jingmi Road ↔ 京密路).
        paired_en = {w.lower() for _, en_form in seen for w in regex.findall(r"\p{Latin}+", en_form)}
        for run in self._capitalised_runs(tokens, en):
            if not set(w.lower() for w in regex.findall(r"\p{Latin}+", run)) & paired_en:
                found_zh = self._spelled_in(run, zh)
                if found_zh:
                    found_zh, run = self._with_place_word(found_zh, run, zh, en)
                    last = run.split()[-1].lower()
                    spelled: TermKind = "place" if PLACE_WORDS.fullmatch(last) or last in _STREET_WORDS else "person"
                    self._count((found_zh, run), "transliteration", spelled, example, seen)
        if terms:
            self._terms(zh, en, example)

    def _count(self, pair: tuple[str, str], how: str, kind: TermKind, example: str, seen: set) -> None:
        if pair in seen:
            return
        seen.add(pair)
        self.pairs[pair] += 1
        self.kinds.setdefault(pair, kind)
        self.how.setdefault(pair, how)
        self.examples.setdefault(pair, example)




















    # --- results ---------------------------------------------------------------------------------
    def names_found(self) -> list[Term]:
        terms = []
        for (zh, en), count in self.pairs.items():
            terms.append(Term(zh, en, self.kinds[(zh, en)], count, self.examples[(zh, en)], self.how[(zh, en)],
                              round(self._dice(zh, en), 3)))
        paired = {t.zh for t in terms}
        # Names no dictionary or transliteration ties to English: pair by co-occurrence over several links.
        for zh, kind in self.unpaired.items():
            if zh in paired or len(self.name_links[zh]) < 2:
                continue
            scored = [(self._dice(zh, run), run) for run in self.run_links
                      if len(self.name_links[zh] & self.run_links[run]) >= 2]
            if not scored:
                continue
            dice, run = max(scored)
            if dice >= 0.75 and len(self.name_links[zh] & self.run_links[run]) >= 3 and zh not in self.index.ordinary:
                together = len(self.name_links[zh] & self.run_links[run])
                first = min(self.name_links[zh] & self.run_links[run])
                terms.append(Term(zh, run, kind, together, self.link_texts[first], "co-occurrence", round(dice, 3)))
        return terms

    def _dice(self, zh: str, en: str) -> float:
        """Dice coefficient over links: 2 × links with both / (links with the Chinese + links with the English)."""
        sides = [text.split(" ↔ ", 1) for text in self.link_texts]
        with_zh = {i for i, (z, _) in enumerate(sides) if zh in z}
        with_en = {i for i, (_, e) in enumerate(sides) if en in e}
        if not with_zh or not with_en:
            return 0.0
        return 2 * len(with_zh & with_en) / (len(with_zh) + len(with_en))


def extract(alignments: Iterable[Alignment], terms: bool = True, max_links: int | None = None) -> list[Term]:
    """Term pairs found in aligned text, most frequent first: people, places, organisations, then terms.

    Only links with both sides are read. Each pair carries how many links hold it, one example link, the
    evidence that pairs it, and its Dice coefficient over links. `terms=False` finds names only;
    `max_links` reads at most that many links of each alignment, spread evenly over it (a book's recurring
    names recur in any large enough sample of it).
    """
    extractor = _Extractor(NameIndex.get(), Lexicon.get())
    for alignment in alignments:
        beads = [b for b in alignment.beads if b.zh and b.en]
        if max_links is not None and len(beads) > max_links:
            beads = [beads[k * len(beads) // max_links] for k in range(max_links)]
        for bead in beads:
            extractor.link(alignment.zh_text(bead), alignment.en_text(bead), terms)
    names = extractor.names_found()
    names = _merge_variants(names)
    named = {t.zh for t in names} | {t.en.lower() for t in names}
    recurring = [t for t in extractor.term_pairs_found() if t.zh not in named and t.en.lower() not in named]
    order = {"person": 0, "place": 1, "org": 2, "term": 3}
    return sorted(names + recurring, key=lambda t: (order[t.kind], -t.count, t.zh, t.en))


def _merge_variants(terms: list[Term]) -> list[Term]:
    """One English form per Chinese name, the most frequent; other forms stay if they are frequent too."""
    by_zh: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_zh[term.zh].append(term)
    # A fragment jieba cut from a longer name (罗小 of 罗小四) with the same English joins the longer one.
    for zh in list(by_zh):
        for other in by_zh:
            if other != zh and zh in other and {t.en for t in by_zh[zh]} <= {t.en for t in by_zh[other]}:
                for fragment in by_zh.pop(zh):
                    target = next(i for i, t in enumerate(by_zh[other]) if t.en == fragment.en)
                    by_zh[other][target] = replace(by_zh[other][target], count=by_zh[other][target].count + fragment.count)
                break
    out = []
    for group in by_zh.values():
        group.sort(key=lambda t: (-t.count, -len(t.en)))
        total = sum(t.count for t in group)
        out.append(replace(group[0], count=total) if len(group) == 1 else group[0])
        out.extend(t for t in group[1:] if t.count >= 2 and t.count * 3 >= group[0].count)
    return out
