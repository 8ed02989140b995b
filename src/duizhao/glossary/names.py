"""Pairing names across the languages: a Chinese name and its rendering in the English of the same link
(dictionary, transliteration, a run of capitalised words), widened to whole names."""
from __future__ import annotations

import functools
from dataclasses import replace

import regex

from ..chinese import HAN as _HAN
from ..chinese import quiet_jieba
from ..lexicon import Lexicon
from ..names import EnglishText, NameIndex, TermKind, ZhName, find_name, proper_parts, sounds_like
from ..numbers import anchors_en, anchors_zh
from .model import _ORDINAL, _PLACE_SUFFIXES, _surface, _Tok


class NamePairing:
    """`_Extractor`'s name pairing."""

    index: NameIndex
    lexicon: Lexicon

    def _readings(self, piece: str, limit: int = 16) -> list[str]:
        """Romanisations of `piece` over the readings of its characters (at most `limit`)."""
        out = [""]
        for ch in piece:
            options = self.index.char_readings.get(ch) or [self.index.char_pinyin.get(ch, "")]
            out = [r + o for r in out for o in options][:limit]
        return out

    def _with_place_word(self, zh_name: str, run: str, zh: str, en: str) -> tuple[str, str]:
        """A place word after the name, translated on both sides: 京密 + 路 ↔ Jingmi + Road."""
        after_en = regex.match(r"\s+(\p{Lu}\p{Ll}+)", en[en.find(run) + len(run):])
        at = zh.find(zh_name) + len(zh_name)
        if after_en:
            word = _Tok(after_en.group(1), after_en.group(1).lower(), 0, 0)
            for size in (1, 2):
                piece = zh[at:at + size]
                if len(piece) == size and _HAN.fullmatch(piece[-1]) and self._translates(piece, word):
                    return zh_name + piece, f"{run} {after_en.group(1)}"
        return zh_name, run

    def _spelled_in(self, run: str, zh: str) -> str | None:
        """The stretch of two to four Chinese characters whose pinyin spells the English name `run`."""
        words = regex.findall(r"\p{Latin}+", run)
        spelled = "".join(w.lower() for w in words if w.lower() in self._syllables or not self.index.is_common_english(w))
        if len(spelled) < 4 or len(set(spelled)) < 3:
            return None  # too short to trust, or an interjection (Hahaha)
        best, best_score = None, 0.0
        for chunk in regex.findall(r"\p{Han}+", zh):
            for i in range(len(chunk)):
                for j in range(i + 2, min(len(chunk), i + 4) + 1):
                    piece = chunk[i:j]
                    # An ordinary word (宝玉 "precious jade") counts only when spelt exactly (Bao-yu).
                    needed = 0.99 if piece in self.index.ordinary else 0.85
                    for reading in self._readings(piece):
                        score = sounds_like(reading, spelled)
                        if score >= needed and score > best_score:
                            best, best_score = piece, score
        return best

    def _kind(self, name: ZhName) -> TermKind:
        # jieba tags many transliterations (哈马斯, 乌克兰) as people; CC-CEDICT knows better: its people carry
        # "(name)" or their dates, and a name it lists without them is a place (Ukraine) or says what it is.
        word = name.lookup[0]
        if name.kind == "person" and len(name.lookup) == 1 and word in self.index.proper:
            return self.index.kinds.get(word, "place")
        return name.kind

    def _render(self, name: ZhName, zh: str, en: str, english: EnglishText, tokens: list[_Tok]):
        """The English form of one Chinese name in this link, widened over neighbouring words that translate
        each other (第二 + 托马斯 + 浅滩 ↔ Second + Thomas + Shoal), or None."""
        matches = [find_name(word, english, self.index, threshold=0.72, strict=True) for word in name.lookup]
        if not all(matches) and name.lookup == (name.text,) and len(name.text) >= 3:
            # 中共中央 "Central Committee of the CCP" is written "CCP Central": try the names inside it.
            inner = [p for p in proper_parts(name.text, self.index, inner=True)]
            if inner:
                name = replace(name, lookup=tuple(inner))
                matches = [find_name(word, english, self.index, threshold=0.72, strict=True) for word in inner]
        if not all(matches):
            return None
        words = {w.rstrip("s") for m in matches if m for w in m.words}
        windows = [w for w in self._windows(tokens, words) if w[1] - w[0] <= len(words) + 2]
        if not windows:
            return None  # the words are scattered over the sentence: no clean rendering to report
        # A name may occur twice (South China Sea … East China Seas): take the occurrence that widens most.
        results = [self._widen(name, zh, en, tokens, first, last) for first, last in windows]
        zh_form, en_form, kind = max(results, key=lambda r: len(r[0]))
        return zh_form, en_form, matches[0].how, kind  # type: ignore[union-attr]

    def _widen(self, name: ZhName, zh: str, en: str, tokens: list[_Tok], first: int, last: int):
        # The part of the Chinese the matched words cover: a compound CC-CEDICT lacks (美国公司) is paired by
        # the name inside it (美国) unless its other characters translate capitalised neighbours (南 ↔ South).
        offsets = [name.text.find(word) for word in name.lookup]
        if min(offsets) < 0:
            return None
        zh_start = name.span[0] + min(offsets)
        zh_end = name.span[0] + max(o + len(w) for o, w in zip(offsets, name.lookup, strict=False))
        # Widen over names written in several words: Matthew + Miller, Antony J. + Blinken.
        if name.kind == "person":
            while first > 0 and self._name_word(tokens[first - 1]):
                first -= 1
            while last + 1 < len(tokens) and self._name_word(tokens[last + 1]) \
                    and tokens[last + 1].start - tokens[last].end <= 1:
                last += 1
        # Widen both sides together over words that translate each other inside a capitalised English run:
        # the rest of the compound, an ordinal before (第二 ↔ Second), a place word after (浅滩 ↔ Shoal).
        zh_tokens = self._zh_tokens(zh)
        changed = True
        while changed:
            changed = False
            if first > 0 and tokens[first - 1].capitalised and tokens[first - 1].end + 1 >= tokens[first].start:
                if zh_start > name.span[0]:
                    piece = zh[name.span[0]:zh_start]
                    candidates = [(piece, name.span[0])]
                else:
                    candidates = [(w, s) for w, s, e in zh_tokens if e == zh_start and _ORDINAL.fullmatch(w)]
                for piece, start in candidates:
                    if self._translates(piece, tokens[first - 1]):
                        zh_start, first, changed = start, first - 1, True
                        break
            if last + 1 < len(tokens) and tokens[last + 1].capitalised and tokens[last].end + 1 >= tokens[last + 1].start:
                if zh_end < name.span[1]:
                    candidates = [(zh[zh_end:name.span[1]], name.span[1])]
                else:
                    candidates = [(w, e) for w, s, e in zh_tokens if s == zh_end and w in _PLACE_SUFFIXES]
                for piece, end in candidates:
                    if self._translates(piece, tokens[last + 1]):
                        zh_end, last, changed = end, last + 1, True
                        break
        zh_form = zh[zh_start:zh_end]
        en_form = _surface(en, tokens, first, last)
        kind = self._kind(name)
        if zh_end > name.span[1] and kind == "person":
            kind = "place"  # 托马斯 "Thomas" widened to 第二托马斯浅滩 "Second Thomas Shoal" names a place
        return zh_form, en_form, kind

    @staticmethod
    def _windows(tokens: list[_Tok], words: set[str]) -> list[tuple[int, int]]:
        """Every shortest token window holding all the matched words (plural -s ignored)."""
        windows = []
        for i, tok in enumerate(tokens):
            if tok.key.rstrip("s") not in words:
                continue
            seen = set()
            for j in range(i, len(tokens)):
                seen.add(tokens[j].key.rstrip("s"))
                if words <= seen:
                    windows.append((i, j))
                    break
        shortest = min((j - i for i, j in windows), default=0)
        return [(i, j) for i, j in windows if j - i == shortest]

    def _name_word(self, token: _Tok) -> bool:
        """A capitalised word that is no ordinary English word, or an initial: part of a person's name."""
        if regex.fullmatch(r"\p{Lu}\.", token.text):
            return True
        word = token.text.replace("-", "")
        return token.capitalised and word.isalpha() and not self.index.is_common_english(word)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one extractor per call
    def _zh_tokens(self, zh: str) -> list[tuple[str, int, int]]:
        jieba = quiet_jieba()
        return list(jieba.tokenize(zh))

    def _translates(self, zh_word: str, token: _Tok) -> bool:
        zh_keys = {a.key for a in anchors_zh(zh_word)}
        if zh_keys and zh_keys & {a.key for a in anchors_en(token.text)}:
            return True
        return self.lexicon.stem(token.text) in self.lexicon.translations(zh_word)

    def _capitalised_runs(self, tokens: list[_Tok], en: str) -> list[str]:
        """English name candidates: runs of capitalised words, less the ordinary words at their edges."""
        runs: list[list[int]] = []
        current: list[int] = []
        for i, tok in enumerate(tokens):
            joined = current and tok.start - tokens[current[-1]].end <= 1
            if tok.capitalised and (joined or not current):
                current.append(i)
                continue
            if current:
                runs.append(current)
            current = [i] if tok.capitalised else []
        if current:
            runs.append(current)
        out = []
        for run in runs:
            if len(run) >= 2 and all(self._pinyin_word(tokens[i]) for i in run):
                out.append(_surface(en, tokens, run[0], run[-1]))  # Jia Rong, Yu Zhan'ao: pinyin throughout
                continue
            # A Chinese surname may also be an English word (Chen, Wu, Ye): keep it before a name.
            while run and not self._name_word(tokens[run[0]]) and not (
                    len(run) > 1 and self._syllable(tokens[run[0]]) and self._name_word(tokens[run[1]])):
                run = run[1:]
            while run and not self._name_word(tokens[run[-1]]):
                run = run[:-1]
            if run:
                out.append(_surface(en, tokens, run[0], run[-1]))
        return list(dict.fromkeys(out))

    @functools.cached_property
    def _syllables(self) -> set[str]:
        return set(self.index.char_pinyin.values())

    def _pinyin_word(self, token: _Tok) -> bool:
        """Capitalised and made of pinyin syllables: Jia, Rong, Zhan'ao, Bao-yu."""
        parts = regex.split(r"[-'’]", token.text.lower())
        return token.capitalised and all(p in self._syllables for p in parts)

    def _syllable(self, token: _Tok) -> bool:
        """A capitalised pinyin syllable: a Chinese surname as English writes it (Chen, Wu, Shan)."""
        return token.capitalised and token.text.lower() in self._syllables
