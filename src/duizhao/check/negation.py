"""``negation`` flags: a negated word whose dictionary translation stands un-negated on the other side."""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..chinese import quiet_jieba, to_simplified
from ..model import Flag
from ..names import NameIndex

if TYPE_CHECKING:
    from ..lexicon import Lexicon
from .config import CheckConfig

# Negation. A side counts as negative only by a plain negation: a Chinese 不 没 没有 未 别 无 非 莫 勿 standing
# alone (jieba's word) or starting a word (不能, 没法, 未曾), an English not / n't / never / no / nobody / nothing /
# none / neither / nor / without / cannot. The other side is excused by any trace of a negation: a Chinese word
# holding one inside (禁不住, 一声不吭, 无可怀疑), an English word negated inside (unfair, careless, nonmarket),
# or a word that negates by meaning (fail, refuse, lack, hardly). Words in which the negation is lexicalised
# (不过 "but", 不久 "soon", 不禁 / couldn't help, 无论 "whatever", 别人 "others", not only) count as neither.
_ZH_PLAIN = ("不", "没", "未")
_ZH_ALONE = {"不", "没", "没有", "未", "别", "无", "非", "莫", "勿", "从不", "从未", "并不", "并非", "并没有", "并未",
             "决不", "绝不", "永不", "毫无", "无法"}
_ZH_NOT_NEGATION = {
    "不过", "不久", "不断", "不同", "不仅", "不管", "不论", "不错", "不少", "不时", "不住", "不禁", "不已", "不料",
    "不觉", "不免", "不如", "不止", "不单", "不但", "不光", "不由得", "不由", "不一会", "不一会儿", "不得不",
    "不然", "不妨", "不外", "不胜", "不日", "不休", "不朽", "不幸", "不安", "不满", "不便", "不对劲", "不见不散",
    "不知不觉", "不一", "不一样", "不得了", "不可思议", "不少于", "未来", "未必", "未免", "没准", "没错",
    "不知", "不见得", "若不是", "要不是", "要不然", "不是吗",
}
# A-not-A and tag questions ask, they do not deny: 能不能, 是不是, 好了没有？, "don't you?", "why not?"
_ZH_QUESTION = regex.compile(r"(\p{Han})[不没]\1|没有[吗呢]?[？?]")
_EN_QUESTION = regex.compile(r"n[’']t\s+(?:I|you|he|she|it|we|they|there)\s*[?？]|\bwhy not\b|\bif not\b",
                             regex.IGNORECASE)
_MAX_NEGATIONS = 50  # negations looked at per link
_MAX_SIDE_CHARS = 1000  # Chinese characters beyond which a side is not judged for negation
_SCOPE_CHARS = 24  # Chinese characters after a negation that may hold what it negates (four times that in English)
_ZH_MODAL = set("是会能要得可敢肯用必该想再曾")
_ZH_MODAL_MEANING = set("能要敢肯想")  # modals whose own meaning is what the negation denies (不肯 "unwilling")
# English adverbs between a negation and what it negates (stems): "no longer virgin", "not even look"
_EN_GRADING = {"longer", "even", "yet", "quit", "realli", "alway", "entir", "necessarili", "much", "ever", "exact"}
# prepositions and conjunctions between a negation and what it negates (不是为了遏制: 遏制 is negated)
_ZH_FUNCTION = {"为了", "为", "因为", "由于", "对于", "关于", "把", "被", "给", "在", "让", "使", "跟", "和", "与", "向", "对"}
_ZH_TRACE = regex.compile("[不没无未非别莫勿休免否拒禁难缺失]")
_EN_PLAIN = regex.compile(
    r"\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot)\b|n[’']t\b", regex.IGNORECASE)
_EN_NOT_NEGATION = regex.compile(
    r"\bnot only\b|\bnot until\b|\bno doubt\b|\bnothing but\b|\bno sooner\b|\bno matter\b|\bno choice but\b|"
    r"\bnever mind\b|\b(?:can|could)(?:n[’']t| not)\s+help\b|\bcannot help\b|\bno longer\b(?=.*\bthan\b)",
    regex.IGNORECASE)
# Negation inside a word (unfair ↔ 不公平, unlawful ↔ 非法, nonmarket ↔ 非市场, careless ↔ 不小心) or by meaning.
_EN_TRACE = regex.compile(
    r"\b(?:un|non|dis)-?(\p{Ll}{3,})|\b\p{Ll}{3,}less(?:ly|ness)?\b|\bwrong\w*|"
    r"\b(?:fail|refus|lack|den(?:y|ie)|hardly|barely|scarcely|seldom|rarely|avoid|instead|absen|neglect|ignor|"
    r"forg[eo]t|prevent|forbid|except|unless)\w*", regex.IGNORECASE)


def _en_traces(en: str) -> bool:
    """Whether English text holds a negation inside a word (unfair, careless; the word after the prefix an
    ordinary word: not "uncle" or "display") or by meaning (fail, refuse, lack, hardly)."""
    index = NameIndex.get()
    return any(m.group(1) is None or index.is_common_english(m.group(1))
               for m in _EN_TRACE.finditer(_EN_NOT_NEGATION.sub(" ", en)))


def _surface(en: str, stem: str, lex: Lexicon) -> str:
    """The first English word in `en` with this stem, as written (the stem itself if none)."""
    return next((w for w in regex.findall(r"\p{Latin}[\p{Latin}'’]*", en) if lex.stem(w) == stem), stem)


def negation_flags(zh: str, en: str, config: CheckConfig) -> list[Flag]:
    """A negated word whose translation stands un-negated on the other side: 不高兴 ↔ "happy", "not hungry" ↔
    饿, with no trace of a negation anywhere on that side. A reversed meaning is the costliest error a
    translation can make; the dictionary pairing of the negated word is what makes the flag precise (a
    negation merely present on one side is common in free translation: "offended" ↔ 不高兴)."""
    from ..lexicon import Lexicon

    if len(zh) > _MAX_SIDE_CHARS or len(en) > 4 * _MAX_SIDE_CHARS or not (_ZH_TRACE.search(zh) or _EN_PLAIN.search(en)):
        return []  # no negation to compare, or no sentence: a side that long is a run of text left unsplit
    # jieba and the lists below know Simplified words: 說法不一 must cut as 说法/不一 ("differing"), not 不/一
    zh = to_simplified(zh)
    lex = Lexicon.get()
    jieba = quiet_jieba()
    zh_plain = _ZH_QUESTION.sub("，", zh)
    zh_tokens = jieba.lcut(zh_plain)
    en_clean = _EN_NOT_NEGATION.sub(" ", _EN_QUESTION.sub(" ", en))
    en_neg = list(_EN_PLAIN.finditer(en_clean))
    zh_has_trace = bool(_ZH_TRACE.search(zh))
    if not en_neg and not _en_traces(en):
        en_stems = set(lex.tokens_en(en))
        end = 0
        negations = 0
        for word in zh_tokens:
            end += len(word)
            if word in _ZH_NOT_NEGATION or not (word in _ZH_ALONE or (word.startswith(_ZH_PLAIN) and len(word) <= 3)):
                continue
            negations += 1
            if negations > _MAX_NEGATIONS:
                break  # the work stays bounded on any input (a page of 不不不…)
            # the negated word: the rest of a word such as 不饿, or the next content word (不 高兴, 没 看见)
            after = zh_plain[end:end + _SCOPE_CHARS]
            first = regex.match(r"[\p{Han}]+", after)  # the negated clause runs to the next punctuation
            # (a modal or the copula after the negation, 不是 不会 不能, is not what is negated: what follows is)
            # (a modal that carries a meaning of its own, 不肯 不敢 不想, is negated itself: "did agree" ↔ 不肯)
            rest = word[1:]
            scope = [rest] if len(word) >= 2 and word not in _ZH_ALONE and (
                rest not in _ZH_MODAL or rest in _ZH_MODAL_MEANING) else []
            scope += [w for w in lex.tokens_zh(first.group(0)) if w not in _ZH_FUNCTION][:1] if first else []
            for target in scope:
                glosses = lex.entries.get(lex.zh_key(target), frozenset())
                if 0 < len(glosses) <= _MAX_GLOSSES and glosses & en_stems:
                    shown = _surface(en, sorted(glosses & en_stems)[0], lex)
                    return [Flag("negation", "The Chinese negates a word the English renders without negation: "
                                 "the meaning may be reversed.", f"{word}{target if target not in word else ''} ↔ {shown}")]
    if config.negation_presence:
        zh_neg = [w for w in zh_tokens if w not in _ZH_NOT_NEGATION
                  and (w in _ZH_ALONE or (w.startswith(_ZH_PLAIN) and len(w) <= 3))]
        if zh_neg and not en_neg and not _en_traces(en):
            return [Flag("negation", "The Chinese is negative and the English is not: the meaning may be reversed.",
                         f"{'、'.join(dict.fromkeys(zh_neg))} ↔ —")]
        if en_neg and not zh_neg and not zh_has_trace:
            return [Flag("negation", "The English is negative and the Chinese is not: the meaning may be reversed.",
                         f"— ↔ {', '.join(dict.fromkeys(m.group(0).lower() for m in en_neg))}")]
    if en_neg and not zh_has_trace:
        zh_words = [w for w in lex.tokens_zh(zh) if 0 < len(lex.entries.get(w, ())) <= _MAX_GLOSSES]
        for m in en_neg[:_MAX_NEGATIONS]:
            clause = regex.match(r"[^.,;:!?—–]*", en_clean[m.end():m.end() + 4 * _SCOPE_CHARS])
            # the negated word, past an adverb that only grades the negation ("no longer", "not even")
            following = [stem for stem in lex.tokens_en(clause.group(0) if clause else "") if stem not in _EN_GRADING]
            for stem in following[:1]:
                hit = next((w for w in zh_words if stem in lex.entries[w]), None)
                if hit:
                    return [Flag("negation", "The English negates a word the Chinese renders without negation: "
                                 "the meaning may be reversed.", f"{hit} ↔ {m.group(0).strip()} … {_surface(en_clean[m.end():], stem, lex)}")]
    return []


_MAX_GLOSSES = 12  # as the lexical signal: a word with more glosses (一, 打, 过) is too ambiguous to be evidence


