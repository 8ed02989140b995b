"""Sentence splitting for Chinese and English, paragraph ids kept on every sentence.

Both splitters are single left-to-right passes (linear in the text, whatever its punctuation), and
never change a character: a sentence is a slice of its paragraph with the surrounding spaces trimmed.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import regex

from .chinese import HAN as _HAN
from .model import Document, Paragraph, Sentence, Source

# Recorded in every output's reproducibility signature; bump when a rule changes what is split.
SEGMENTER = "duizhao-rules-2"

# ---------------------------------------------------------------------------------------------- Chinese

_ZH_TERMINALS = frozenset("。｡！？；!?;…")
# ASCII "." and ";" end a Chinese sentence only right after a Chinese character ("会晤." but not "3.5").
_ZH_ASCII_TERMINALS = frozenset(".;")
_ZH_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "（": "）", "(": ")", "【": "】", "〔": "〕", "《": "》"}
# What may close a sentence together with the final punctuation inside it:
# - quotes always: 他说：“我们会来。”|然后离开了。 (the Chinese convention);
# - brackets only when they hold the whole sentence: （此为译注。）|下一句; in 会谈（持续两天。）结束了 the
#   sentence goes on;
# - title marks never: 他读了《你好！》这本书。 is one sentence.
_ZH_QUOTES = frozenset("“「『‘")
_ZH_TITLE_MARKS = frozenset("《")
_ZH_CLOSERS = frozenset("”」』）)》】〕’\"'")


def split_zh(text: str, converted: bool = False) -> list[str]:
    """Split Chinese text after 。！？；…… (and their runs, e.g. ！？), closing marks kept with their sentence.

    A sentence ends at final punctuation outside every quote and bracket, or at final punctuation followed
    directly by the closing marks that leave them all, where those marks may end a sentence (see
    _ZH_PAIRS). A quote that ends without final punctuation (他说“好”就走了。) ends nothing, and ——
    never ends a sentence. Pairs that do not balance in `text` (an apostrophe ’, a quote left open
    across paragraphs) are not tracked, so one stray mark cannot glue a paragraph into one sentence.
    """
    tracked = _balanced_pairs(text)
    garbled = converted or bool(_CONVERSION_TRACE.search(text))
    closer_to_opener = {_ZH_PAIRS[o]: o for o in tracked}
    open_marks: list[tuple[str, int]] = []  # (opening mark, its position), innermost last
    sentences: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            _emit(sentences, text[start:i])
            start, i = i + 1, i + 1
            open_marks.clear()
            continue
        if ch in tracked:
            open_marks.append((ch, i))
        elif ch in closer_to_opener and open_marks:
            open_marks.pop()
        if not _zh_terminal_at(text, i, garbled):
            i += 1
            continue
        j = i + 1
        while j < n and (text[j] in _ZH_TERMINALS or text[j] in _ZH_ASCII_TERMINALS):
            j += 1
        closer = _skip_spaces(text, j)
        if closer < n and text[closer] in _ZH_CLOSERS and not text[closer].isascii():
            # "。 ”": a space before a closing mark still leaves the mark with its sentence (not an ASCII
            # quote: after a space it may as well open the next sentence).
            j = closer
        closes_sentence = True
        while j < n and text[j] in _ZH_CLOSERS:
            if text[j] in closer_to_opener and open_marks:
                opener, position = open_marks.pop()
                if opener in _ZH_TITLE_MARKS or (opener not in _ZH_QUOTES and position != _skip_spaces(text, start)):
                    closes_sentence = False
            j += 1
        if closes_sentence and not open_marks:
            _emit(sentences, text[start:j])
            start = j
        i = j
    _emit(sentences, text[start:])
    return sentences


def _skip_spaces(text: str, i: int) -> int:
    """The position of the first non-space character from `i` on (only spaces are walked over)."""
    while i < len(text) and text[i].isspace():
        i += 1
    return i


# What never follows a real question mark directly in a badly converted page: where an ASCII "?" is glued to a
# Latin letter or to a comma, semicolon or colon, it stands for a character lost in the conversion (a page saved
# through a codepage that lacks it: 他們?yōu)榱斯ぷ髟绯鐾須w, 夢(mèng)想?;旧?,), not for the end of a sentence. Only
# where the text shows the conversion's traces (_CONVERSION_TRACE): elsewhere "你用过ChatGPT吗?ChatGPT是…" and
# "他为什么不来?;因为下雨。" end their sentences at the "?".
_ZH_LOST_CHARACTER_NEXT = regex.compile(r"[A-Za-z,;:，；：、]")
# A tone-marked pinyin syllable in brackets right after a Han character ("中國(guó)", "開(kāi)"), or right after
# a "?" ("們?yōu)"): what such a conversion leaves; running Chinese text never writes it.
_TONE_VOWEL = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_CONVERSION_TRACE = regex.compile(
    rf"\p{{Han}}[(（][a-zü]*[{_TONE_VOWEL}][a-zü]*[)）]|\?[a-zü]*[{_TONE_VOWEL}]")


def _zh_terminal_at(text: str, i: int, garbled: bool = False) -> bool:
    ch = text[i]
    if garbled and ch == "?" and i + 1 < len(text) and _ZH_LOST_CHARACTER_NEXT.match(text[i + 1]):
        return False
    if garbled and ch in ";；" and i > 0 and text[i - 1] == "?":
        return False  # the rest of the "?;" above
    if ch in _ZH_TERMINALS:
        return True
    if ch in _ZH_ASCII_TERMINALS and i > 0 and _HAN.match(text[i - 1]):
        return i + 1 == len(text) or not text[i + 1].isascii() or text[i + 1].isspace()
    return False


def _balanced_pairs(text: str) -> set[str]:
    """Opening marks whose pairs nest properly in `text`."""
    balanced = set()
    for opener, closer in _ZH_PAIRS.items():
        if opener not in text:
            continue
        depth = 0
        for ch in text:
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                if depth < 0:
                    break
        if depth == 0:
            balanced.add(opener)
    return balanced


# ---------------------------------------------------------------------------------------------- English

# A candidate end: final punctuation, closing quotes or brackets, space, then what can start a sentence.
_EN_CANDIDATE = regex.compile(
    r"(?P<stop>[.!?…]+)(?P<close>[\"'”’)\]]*)(?P<space>\s+)(?=[\"“‘'(\[]*[\p{Lu}\p{N}\p{Han}])")
_EN_NEXT_WORD = regex.compile(r"[\"“‘'(\[]*([\p{L}\p{N}]+)")
# The word or abbreviation right before a stop: "Dec" in "Jan.–Dec.", "U.S" in "(U.S.", "J" in "J.".
_EN_PREVIOUS_TOKEN = regex.compile(r"(?:\p{L}+\.)*\p{L}+$")
_EN_ACRONYM = regex.compile(r"(?:\p{L}\.)+\p{L}")  # U.S, U.N, a.m, D.C (the final dot is the stop)

# Titles and Latin abbreviations that are never the last word of a sentence.
_NEVER_FINAL = frozenset("""
mr mrs ms messrs dr prof gen sen rep gov lt col capt cmdr sgt adm amb hon rev st mt ft vs
e.g i.e cf viz approx
""".split())
# Abbreviations that are followed by a number: "No. 5", "Oct. 26", "pp. 3-5", "Art. 51". Before anything
# else their stop ends the sentence.
_BEFORE_NUMBER = frozenset("""
no nos art arts vol vols p pp fig figs ch sec para tel
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
# Abbreviations that may or may not end a sentence: "Inc.", "etc.", "U.S.", initials ("J.").
_AMBIGUOUS = frozenset("etc inc ltd co corp jr sr bros al".split())
# After an ambiguous abbreviation, a new sentence is only believed when it starts with one of these.
_SENTENCE_STARTERS = frozenset("""
the a an he she it we they i you this that these those there here in on at but and or so if when while
after before as for his her its our their both all some many most no not however also then yet
meanwhile today yesterday tomorrow what why how where who which each every one two
my your since because although though now yes well oh instead still
""".split())


# Two sentences glued without a space, as a PDF's text often has them ("…to the Chinese Embassy.I must say…"): a
# full stop right after a lower-case word of two letters or more and right before a capitalised word ("I", or a
# capital and lower case letters, then a space). Initials and acronyms (H.E.Ambassador, e.g.Missouri), decimals,
# URLs and file names (state.gov, a.b, README.md) never have that shape; titles and abbreviations (Mr.Ajay,
# Prof.Smith, Inc.The) are left whole.
_EN_GLUED = regex.compile(r"(?<=(?:^|[^\p{L}.])(?P<word>\p{Lu}?\p{Ll}{2,})[.!?])(?=(?:I|\p{Lu}\p{Ll}+)\s)")


def split_en(text: str) -> list[str]:
    """Split English text after . ! ? (and …) followed by a space and a capital, digit or quote.

    Not after titles (Mr., Dr., St.), before-number abbreviations followed by a number (No. 5, Oct. 26),
    Latin abbreviations (e.g., i.e.), and not after initials, dotted acronyms (U.S., U.N.) or "Inc." unless
    the next word is a common sentence start ("the U.S. The Secretary ..."). Decimals (3.5), URLs and
    "U.S.-China" have no space after the dot and are never candidates.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        start = 0
        for match in _EN_CANDIDATE.finditer(line):
            if _en_boundary(line, match):
                _emit_glued(sentences, line[start:match.start("space")])
                start = match.end("space")
        _emit_glued(sentences, line[start:])
    return sentences


def _emit_glued(sentences: list[str], piece: str) -> None:
    """`piece`, cut where two sentences are glued without a space (see _EN_GLUED)."""
    start = 0
    for match in _EN_GLUED.finditer(piece):
        word = match.group("word").lower()
        if word in _NEVER_FINAL or word in _BEFORE_NUMBER or word in _AMBIGUOUS:
            continue
        _emit(sentences, piece[start:match.start()])
        start = match.start()
    _emit(sentences, piece[start:])


def _en_boundary(line: str, match: regex.Match) -> bool:
    stop = match.group("stop")
    if stop != "." or match.group("close"):
        return True  # ! ? … and a stop followed by a closing quote are always final
    token_match = _EN_PREVIOUS_TOKEN.search(line, max(0, match.start() - 40), match.start())
    token = token_match.group() if token_match else ""
    if not token:
        return True
    key = token.lower()
    next_match = _EN_NEXT_WORD.match(line, match.end())
    next_word = next_match.group(1) if next_match else ""
    if key in _NEVER_FINAL:
        return False
    if key in _BEFORE_NUMBER:
        return not next_word[:1].isdigit()  # "No. 5" goes on; "'No. Since you ask…" is two sentences
    initial = len(token) == 1 and token.isalpha() and token.isupper()
    if initial or key in _AMBIGUOUS or _EN_ACRONYM.fullmatch(token):
        return next_word.lower() in _SENTENCE_STARTERS
    return True


# ---------------------------------------------------------------------------------------------- both


def _emit(sentences: list[str], piece: str) -> None:
    piece = piece.strip()  # the spaces between sentences are layout, not part of either sentence
    if piece:
        sentences.append(piece)


def segment(source: Source) -> Document:
    """Split both sides into sentences. Titles, headings, dates and bylines stay whole; presegmented
    sources keep one sentence per paragraph exactly."""
    zh_groups, en_groups = source.sentence_paragraphs if source.presegmented else ([], [])
    return Document(
        # a page whose reading annotations were removed (ingest) still shows a lossy conversion's traces
        zh=_split_side(source.zh, partial(split_zh, converted=source.meta.readings_removed > 0),
                       source.presegmented, zh_groups),
        en=_split_side(source.en, split_en, source.presegmented, en_groups),
        meta=source.meta,
    )


def _split_side(paragraphs: list[Paragraph], split: Callable[[str], list[str]],
                presegmented: bool, groups: list[int] | None = None) -> list[Sentence]:
    """Sentences of one side; `groups` (presegmented only) gives each sentence its original paragraph."""
    if groups and len(groups) != len(paragraphs):
        raise RuntimeError(f"{len(groups)} paragraph numbers for {len(paragraphs)} sentences (a bug, not user error)")
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        if presegmented:
            if groups:
                if paragraph.text:
                    sentences.append(Sentence(text=paragraph.text, paragraph=groups[index], kind=paragraph.kind,
                                              time=paragraph.time))
                continue
            pieces = [paragraph.text]
        elif paragraph.kind == "body":
            pieces = split(paragraph.text)
        else:
            pieces = [" ".join(p.strip() for p in paragraph.text.split("\n") if p.strip())]
        sentences.extend(Sentence(text=piece, paragraph=index, kind=paragraph.kind, time=paragraph.time)
                         for piece in pieces if piece)
    return sentences
