"""One bilingual text → its Chinese side, its English side, and the page chrome around them.

The text is cut into paragraphs (lines, with hard-wrapped prose joined back), each paragraph gets a
script, chrome is set aside as metadata, and what is left goes to the side of its script. On each side
every paragraph gets a kind: title, heading, date, byline or body. All decisions rest on general
evidence — script, position, length, punctuation, URL and date shapes, and a short list of widget words
in both languages — never on the wording of a particular page.
"""
from __future__ import annotations

import itertools
import math

import regex

from ..errors import InputError
from ..model import Metadata, Source
from .chrome import (
    ENDS_SENTENCE,
    LABEL_PREFIX,
    LANGUAGE_LABEL,
    is_navigation,
    is_prose,
    parse_date,
    take_chrome,
)
from .kinds import HEADING_MAX_HAN, HEADING_MAX_WORDS, NEVER_TITLE, short
from .kinds import classify as classify  # re-exported: part of the readers' API
from .kinds import fill_metadata as fill_metadata
from .lexical import lexical_reading
from .limits import blocks as block_limit
from .limits import refuse_many, side_paragraphs
from .paragraphs import ENDS_WITH_COLON as _ENDS_WITH_COLON
from .paragraphs import Block as _Block
from .paragraphs import blocks as _blocks
from .paragraphs import paragraph_texts as paragraph_texts  # re-exported: part of the readers' API
from .paragraphs import split_lines
from .script import (
    Script,
    block_script,
    han_count,
    latin_words,
)

# A translation runs to about 1.5 Chinese characters per English word. A side under a tenth of the other
# (in those units) is a stray line, not a translation, once the other side is big enough to tell.
_HAN_PER_WORD = 1.5
_MIN_SIDE_SHARE = 0.1
_MIN_SIZE_FOR_BALANCE = 60


LAYOUTS = ("auto", "blocks", "interleaved", "inline", "table")


ZH_VARIANTS = ("simplified", "traditional")
# A page is trilingual when each Chinese script holds at least this share of its Chinese characters.
_VARIANT_SHARE = 0.3


def split_bilingual(text: str, *, name: str = "the input", layout: str = "auto", table: bool = False,
                    zh_variant: str = "simplified", headings: frozenset[str] = frozenset()) -> Source:
    """The Chinese and English sides of one document holding both, with chrome kept as metadata.
    `headings`: the texts that the markup marks as headings (Markdown's `#`), where it tells."""
    meta = Metadata()
    blocks = _blocks(strip_labels(text, meta))
    refuse_many(len(blocks), block_limit(), "paragraphs", name)  # before the per-paragraph rules below
    content = _take_chrome_blocks(blocks, meta)
    _keep_one_variant(content, meta, zh_variant)
    _drop_tagged_headline(content, meta)
    _drop_repeated_head(content, meta)
    _drop_repeated_lines(content, meta)
    _attach_scriptless(content)
    _smooth_short_lines(content)
    if layout == "auto":
        _drop_foot_widgets(content, meta)
        _drop_unpaired_edge_runs(content, meta)
        _drop_unpaired_headings(content, meta, headings)

    zh_texts = [b.text for b in content if b.script == "zh"]
    en_texts = [b.text for b in content if b.script == "en"]
    if not zh_texts and not en_texts:
        raise InputError(f"found no Chinese or English text in {name}: give a file that holds both languages")
    if not en_texts:
        raise InputError(f"found only Chinese text in {name}: give a file that holds both languages, "
                         "or the English side as a file of its own (align --zh FILE --en FILE)")
    if not zh_texts:
        raise InputError(f"found only English text in {name}: give a file that holds both languages, "
                         "or the Chinese side as a file of its own (align --zh FILE --en FILE)")
    refuse_many(len(zh_texts), side_paragraphs(), "Chinese paragraphs", name)
    refuse_many(len(en_texts), side_paragraphs(), "English paragraphs", name)
    _check_balance(zh_texts, en_texts, name)
    meta.layout, groups = infer_layout(content, layout, table=table)
    groups = _unpaired_edges_are_chrome(groups, zh_texts, en_texts, meta)
    if layout == "auto":
        groups = _untranslated_headings_are_chrome(groups, zh_texts, en_texts, meta)
    zh = classify(zh_texts, "zh")
    en = classify(en_texts, "en")
    fill_metadata(meta, zh, en)
    return Source(zh=zh, en=en, meta=meta, sections=_sections(groups, len(zh), len(en)))


def _sections(groups: list[tuple[tuple[int, int], tuple[int, int]]], zh_count: int,
              en_count: int) -> list[tuple[int, int]]:
    """The layout's paragraph pairings as hard sections (paragraph counts a side), when they cover both
    sides in order; otherwise none (the whole page is aligned as one)."""
    sections: list[tuple[int, int]] = []
    zh_at = en_at = 0
    for (zh_start, zh_end), (en_start, en_end) in groups:
        if zh_start != zh_at or en_start != en_at:
            return []
        sections.append((zh_end - zh_start, en_end - en_start))
        zh_at, en_at = zh_end, en_end
    return sections if (zh_at, en_at) == (zh_count, en_count) else []


# Interleaved paragraphs pair up when their sizes agree: a pair's Chinese characters over 1.5 × its English
# words stays within this factor on average (log scale) for the better of the two phases.
_PAIR_RATIO = 2.5
_SKIP_COST = 1.0


def infer_layout(blocks: list[_Block], forced: str = "auto", *, table: bool = False
                 ) -> tuple[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The page's layout, read from the order of its one-language units, and the paragraph pairings it gives.

    Runs of consecutive units of one language are the evidence: two runs are a Chinese block and an English
    block (or the reverse); more runs whose sizes agree pair by pair are interleaved paragraphs (either
    language first: both phases are tried and a run left over at either end stays unpaired); cut from
    bilingual lines they are inline alternation; from a table's cells, a table. `forced` overrides the
    decision ("blocks" pairs nothing; the others pair runs even where the sizes disagree)."""
    runs, _, sizes, chosen = _reading(blocks)
    if forced == "blocks" or (forced == "auto" and len(runs) <= 2):
        return "blocks", []
    pairs = [(a, n) for a, n in chosen if n == 2]
    cost = sum(abs(math.log((sizes[a] + 1) / (sizes[a + 1] + 1))) for a, _ in pairs) / max(len(pairs), 1)
    if forced == "auto" and (len(pairs) < 2 or cost > math.log(_PAIR_RATIO)):
        starts = list(itertools.accumulate((len(indices) for _, indices in runs), initial=0))
        lexical = lexical_reading([" ".join(b.text for b in blocks[starts[k]:starts[k + 1]]) for k in range(len(runs))],
                                  [script for script, _ in runs])
        if lexical is None:
            return ("blocks" if len(pairs) <= 1 else "mixed"), []
        chosen = lexical
    groups: list[tuple[tuple[int, int], tuple[int, int]]] = []
    zh_end = en_end = 0
    for a, n in chosen:
        members = runs[a:a + n]
        zh_run = next((r for r in members if r[0] == "zh"), None)
        en_run = next((r for r in members if r[0] == "en"), None)
        zh_span = (zh_run[1][0], zh_run[1][-1] + 1) if zh_run else (zh_end, zh_end)
        en_span = (en_run[1][0], en_run[1][-1] + 1) if en_run else (en_end, en_end)
        zh_end, en_end = zh_span[1], en_span[1]
        groups.append((zh_span, en_span))
    bilingual = sum(b.bilingual_line for b in blocks)
    name = forced if forced != "auto" else \
        "table" if table else "inline" if bilingual * 2 >= len(blocks) else "interleaved"
    # Inline alternation cuts where the page's lines end, not where sentences do: no hard pairings there.
    return name, ([] if name == "inline" else groups)


def _reading(blocks: list[_Block]) -> tuple[list[tuple[Script, list[int]]], list[int], list[float],
                                            list[tuple[int, int]]]:
    """The page's runs of one-language units (script and side indices), the bilingual line each run was cut
    from (else -1), each run's size, and the cheapest reading of the runs: (first run, 2) for a pair of
    neighbouring runs of the two languages, (run, 1) for a run left unpaired."""
    runs: list[tuple[Script, list[int]]] = []  # (script, side indices of its units)
    run_lines: list[int] = []  # the bilingual line a run was cut from, else -1
    counters = {"zh": 0, "en": 0}
    previous_bilingual = False
    for block in blocks:
        script = block.script if block.script in ("zh", "en") else "en"
        index = counters[script]
        counters[script] += 1
        # A piece of a bilingual line ("简介 / Introduction") is a run of its own: it pairs within its line.
        if runs and runs[-1][0] == script and not block.bilingual_line and not previous_bilingual:
            runs[-1][1].append(index)
        else:
            runs.append((script, [index]))
            run_lines.append(block.line)
        previous_bilingual = block.bilingual_line
    sizes = []
    labels = []  # runs that hold no sentence: the two halves of a bilingual heading ("简介 / Introduction")
    position = 0
    for run_script, indices in runs:
        units = blocks[position:position + len(indices)]
        position += len(indices)
        text = "".join(b.text for b in units)
        sizes.append(han_count(text) if run_script == "zh" else latin_words(text) * _HAN_PER_WORD)
        labels.append(not any(is_prose(b.text) for b in units))
    if not runs:
        return runs, run_lines, sizes, []
    # Pair neighbouring runs of the two languages, in either order, or leave a run unpaired (a headline, a
    # label): the cheapest reading of the whole page, by dynamic programming over the runs. A pair costs the
    # disagreement of its sizes; leaving a run out costs more the bigger it is.
    mean = sum(sizes) / len(sizes) or 1.0
    best = [0.0] + [math.inf] * len(runs)
    step: list[int] = [0] * (len(runs) + 1)
    for k in range(len(runs)):
        if best[k] == math.inf:
            continue
        skip = best[k] + _SKIP_COST + sizes[k] / mean
        if skip < best[k + 1]:
            best[k + 1], step[k + 1] = skip, 1
        if k + 1 < len(runs) and runs[k][0] != runs[k + 1][0]:
            # Two pieces of one bilingual line ("简介 / Introduction") pair at no cost; where one of them is a
            # sentence, their sizes tell as between lines (a page may put a paragraph's translation at the
            # start of the next line: "Ladies and Gentlemen,下午好!" / "Good afternoon!欢迎你们…").
            same_line = run_lines[k] >= 0 and run_lines[k] == run_lines[k + 1] and labels[k] and labels[k + 1]
            pair = best[k] + (0.0 if same_line else abs(math.log((sizes[k] + 1) / (sizes[k + 1] + 1))))
            if pair < best[k + 2]:
                best[k + 2], step[k + 2] = pair, 2
    chosen: list[tuple[int, int]] = []  # (first run, number of runs)
    k = len(runs)
    while k > 0:
        chosen.append((k - step[k], step[k]))
        k -= step[k]
    chosen.reverse()
    return runs, run_lines, sizes, chosen


# An unpaired run at the page's edge is chrome when it is this small next to the runs that do pair.
_EDGE_RUN_SHARE = 0.25
# Short lines at least this many in a row at the page's edge are a widget's, whatever their punctuation.
_WIDGET_CLUSTER = 3
# A reposting site's headline tags the repost as a translation: "…政策演說(全文/中英對照)", "…【双语】".
_TRANSLATION_TAG = regex.compile(
    r"[(（【\[][^()（）【】\[\]]{0,12}(?:中英|英中|双语|雙語|对照|對照|全文|bilingual)[^()（）【】\[\]]{0,12}[)）】\]]\s*$",
    regex.IGNORECASE)


def _drop_unpaired_edge_runs(blocks: list[_Block], meta: Metadata) -> None:
    """A run of one language at the first or last place of the page that pairs with nothing in the cheapest
    reading, is small next to the runs that do pair and holds no sentence (a dataset viewer's column labels,
    a project name over a bilingual README, a site title) has no counterpart in the other language: chrome.
    An unpaired sentence is content left untranslated, and stays."""
    runs, _, sizes, chosen = _reading(blocks)
    paired = [sizes[a + i] for a, n in chosen if n == 2 for i in (0, 1)]
    if not paired:
        return
    limit = _EDGE_RUN_SHARE * sum(paired) / len(paired)
    starts = []
    position = 0
    for _, indices in runs:
        starts.append(position)
        position += len(indices)
    dropped: set[int] = set()
    for a, n in {chosen[0], chosen[-1]}:
        if n != 1 or sizes[a] > limit:
            continue
        units = blocks[starts[a]:starts[a] + len(runs[a][1])]
        if any(b.bilingual_line or not (short(b.text, b.script, HEADING_MAX_HAN, HEADING_MAX_WORDS)
                                        or _TRANSLATION_TAG.search(b.text)) for b in units):
            continue
        # A cluster of short lines at the edge (a donation box, a newsletter prompt, a share bar: "喜歡這篇文章嗎?",
        # "告訴我這篇文章寫得真棒!") is chrome though one of them is a question or an exclamation; a short sentence
        # alone is content left untranslated.
        if len(units) < _WIDGET_CLUSTER and any(is_prose(b.text) for b in units):
            continue
        dropped.update(range(starts[a], starts[a] + len(units)))
    meta.chrome.extend(blocks[i].text for i in sorted(dropped))
    blocks[:] = [b for i, b in enumerate(blocks) if i not in dropped]


# A sub-heading left untranslated is chrome only where the page pairs this many runs around it.
_MIN_PAIRS_AROUND_HEADING = 2


def _drop_foot_widgets(blocks: list[_Block], meta: Metadata) -> None:
    """Short lines, at least `_WIDGET_CLUSTER` of them and all of one language, that end the page after its last
    paragraph of prose (a donation box, a newsletter prompt, a keyword list: "喜歡這篇文章嗎?" / "告訴我這篇文章寫得
    真棒!" / "本週最多人贊助文章") are a widget's, even where they run on from a paragraph of their own language:
    chrome."""
    start = len(blocks)
    while start > 0 and not blocks[start - 1].bilingual_line \
            and short(blocks[start - 1].text, blocks[start - 1].script, HEADING_MAX_HAN, HEADING_MAX_WORDS):
        start -= 1
    tail = blocks[start:]
    if len(tail) < _WIDGET_CLUSTER or start == 0 or len({b.script for b in tail}) != 1 \
            or not is_prose(blocks[start - 1].text):
        return
    meta.chrome.extend(b.text for b in tail)
    del blocks[start:]


def _drop_unpaired_headings(blocks: list[_Block], meta: Metadata, headings: frozenset[str]) -> None:
    """A heading of the markup (Markdown's `### step 1`) that stands alone in its language and pairs with
    nothing in the cheapest reading of a page whose other runs pair has no counterpart: chrome. Only one
    heading alone, never a paragraph or a list item: untranslated content stays, to be left unpaired."""
    if not headings:
        return
    runs, _, _, chosen = _reading(blocks)
    if sum(n == 2 for _, n in chosen) < _MIN_PAIRS_AROUND_HEADING:
        return
    starts = []
    position = 0
    for _, indices in runs:
        starts.append(position)
        position += len(indices)
    dropped = {starts[a] for a, n in chosen if n == 1 and len(runs[a][1]) == 1
               and blocks[starts[a]].text in headings and not is_prose(blocks[starts[a]].text)}
    meta.chrome.extend(blocks[i].text for i in sorted(dropped))
    blocks[:] = [b for i, b in enumerate(blocks) if i not in dropped]


def _check_balance(zh_texts: list[str], en_texts: list[str], name: str) -> None:
    """A page in one language with a stray line of the other (a "中文" link, a Chinese name) is not
    bilingual: aligning it would only produce empty links."""
    zh_size = sum(han_count(t) for t in zh_texts)
    en_size = sum(latin_words(t) for t in en_texts) * _HAN_PER_WORD
    if zh_size < _MIN_SIDE_SHARE * en_size and en_size >= _MIN_SIZE_FOR_BALANCE:
        raise InputError(f"found only English text in {name} (the Chinese is {zh_size} characters in "
                         f"{len(zh_texts)} line{'s' * (len(zh_texts) > 1)}): give a file that holds both languages, "
                         "or the Chinese side as a file of its own (align --zh FILE --en FILE)")
    if en_size < _MIN_SIDE_SHARE * zh_size and zh_size >= _MIN_SIZE_FOR_BALANCE:
        en_words = sum(latin_words(t) for t in en_texts)
        raise InputError(f"found only Chinese text in {name} (the English is {en_words} words in "
                         f"{len(en_texts)} line{'s' * (len(en_texts) > 1)}): give a file that holds both languages, "
                         "or the English side as a file of its own (align --zh FILE --en FILE)")


def _take_chrome_blocks(blocks: list[_Block], meta: Metadata) -> list[_Block]:
    """The blocks that are not page chrome; the chrome goes to `meta`. A line of short Chinese items between
    spaces is a nav bar only with evidence from its place: in the page's head or foot (before the first prose
    paragraph or after the last) or next to other chrome; between prose paragraphs it is a slogan, a list of
    names or a line of verse, and stays text."""
    prose = [index for index, block in enumerate(blocks) if is_prose(block.text)]
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    content: list[_Block] = []
    after_chrome = False
    for index, block in enumerate(blocks):
        spaced = index < first or index > last or after_chrome
        if not spaced and is_navigation(block.text) and not is_navigation(block.text, spaced=False):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            spaced = following is not None and take_chrome(following.text, following.script, Metadata(), spaced=False)
        after_chrome = take_chrome(block.text, block.script, meta, spaced=spaced)
        if not after_chrome:
            content.append(block)
    return content


def strip_labels(text: str, meta: Metadata) -> str:
    """Cut language and translation labels off the start of lines ("翻译: …", "【英文】…"), keeping them
    as chrome."""
    lines = []
    for line in split_lines(text):
        match = LABEL_PREFIX.match(line)
        if match and not LANGUAGE_LABEL.fullmatch(line.strip()):
            meta.chrome.append(match.group().strip())
            line = line[match.end():]
        lines.append(line)
    return "\n".join(lines)


_PAGE_NUMBER = regex.compile(r"\s*[(（\[]\s*\d{1,3}\s*[)）\]]\s*$")


def _drop_tagged_headline(blocks: list[_Block], meta: Metadata) -> None:
    """A line at the head of the page that tags the page as a translation ("…政策演說(全文/中英對照)") is the
    reposting site's headline, not the document's title: chrome."""
    for block in blocks[:3]:
        if _TRANSLATION_TAG.search(block.text) and not is_prose(block.text) and not block.bilingual_line:
            meta.chrome.append(block.text)
            block.script = "none"
    blocks[:] = [b for b in blocks if b.script != "none"]


def _drop_repeated_head(blocks: list[_Block], meta: Metadata) -> None:
    """A line at the head of the page whose words come again in a later line (a reposting site's
    headline over the document's own title) is chrome."""
    def key(text: str) -> str:
        # a page number after a paginated repost's headline ("…的演讲(5)") is not part of the words
        return regex.sub(r"[^\p{L}\p{N}]+", "", _PAGE_NUMBER.sub("", text)).lower()

    for i in range(min(3, len(blocks))):
        own = key(blocks[i].text)
        # Only a heading repeats a headline: "Talks End" over "The talks ended on Monday." is a title.
        if len(own) >= 6 and any(own in key(later.text) for later in blocks[i + 1:] if not is_prose(later.text)):
            meta.chrome.append(blocks[i].text)
            blocks[i].script = "none"
    blocks[:] = [b for b in blocks if b.script != "none"]


def _unpaired_edges_are_chrome(groups: list[tuple[tuple[int, int], tuple[int, int]]], zh_texts: list[str],
                                en_texts: list[str], meta: Metadata) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the layout pairs paragraphs, a heading at the page's first or last place that pairs with nothing
    (a project name over a bilingual README, a site title) has no counterpart in the other language: chrome.
    Only headings: an unpaired sentence is content left untranslated, and stays."""
    if len(groups) < 3:
        return groups
    for end in (0, -1):
        (zh_start, zh_stop), (en_start, en_stop) = groups[end]
        for texts, start, stop, side in ((zh_texts, zh_start, zh_stop, 0), (en_texts, en_start, en_stop, 1)):
            other = groups[end][1 - side]
            if stop - start == 0 or other[1] - other[0] != 0 or stop - start > 2 \
                    or any(is_prose(t) for t in texts[start:stop]):
                continue
            meta.chrome.extend(texts[start:stop])
            del texts[start:stop]
            shift = stop - start
            groups = [g for i, g in enumerate(groups) if i != (end % len(groups))]
            groups = [tuple(((a - shift, b - shift) if k == side and a >= stop else (a, b))  # type: ignore[misc]
                            for k, (a, b) in enumerate(g)) for g in groups]
            break
    return groups


def _heading_line(text: str, lang: str) -> bool:
    """A short line that names a section or a site ("談經濟", "思而思學網"): no sentence, no salutation (",")
    and no lead-in (":")."""
    return (short(text, lang, HEADING_MAX_HAN, HEADING_MAX_WORDS) and not is_prose(text)
            and not NEVER_TITLE.search(text) and not _ENDS_WITH_COLON.search(text))


def _untranslated_headings_are_chrome(groups: list[tuple[tuple[int, int], tuple[int, int]]], zh_texts: list[str],
                                      en_texts: list[str], meta: Metadata
                                      ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the layout pairs paragraphs, headings on one side of a pairing whose other side has none (section
    headings the page left untranslated, "談經濟" over numbered sentence pairs; a site name over the first one)
    have no counterpart: chrome. A pairing that is all headings is a bilingual heading, and stays."""
    if sum(bool(zh[1] - zh[0] and en[1] - en[0]) for zh, en in groups) < _MIN_PAIRS_AROUND_HEADING:
        return groups
    sides = (zh_texts, en_texts)
    dropped: tuple[set[int], set[int]] = (set(), set())
    for group in groups:
        if any(stop == start for start, stop in group):
            continue
        heads = [[i for i in range(start, stop) if _heading_line(sides[s][i], ("zh", "en")[s])]
                 for s, (start, stop) in enumerate(group)]
        for s in (0, 1):
            start, stop = group[s]
            if heads[s] and not heads[1 - s] and len(heads[s]) < stop - start:
                dropped[s].update(heads[s])
    if not dropped[0] and not dropped[1]:
        return groups
    before = [list(itertools.accumulate((i in dropped[s] for i in range(len(sides[s]) + 1)), initial=0))
              for s in (0, 1)]
    for s in (0, 1):
        meta.chrome.extend(sides[s][i] for i in sorted(dropped[s]))
        sides[s][:] = [text for i, text in enumerate(sides[s]) if i not in dropped[s]]
    return [tuple((start - before[s][start], stop - before[s][stop])  # type: ignore[misc]
                  for s, (start, stop) in enumerate(group)) for group in groups]


def _keep_one_variant(blocks: list[_Block], meta: Metadata, zh_variant: str) -> None:
    """A trilingual page (English, Simplified and Traditional Chinese) keeps one Chinese version, Simplified
    unless told otherwise, and records that the other exists. Blocks whose characters read the same in both
    scripts stay."""
    zh = [b for b in blocks if b.script == "zh"]
    variants = [block_script(b.text) for b in zh]
    sizes = {"Hans": 0, "Hant": 0}
    for block, variant in zip(zh, variants, strict=True):
        if variant:
            sizes[variant] += han_count(block.text)
    total = sum(sizes.values())
    if not total or min(sizes.values()) < _VARIANT_SHARE * total:
        return
    other = "Hant" if zh_variant == "simplified" else "Hans"
    dropped = {id(block) for block, variant in zip(zh, variants, strict=True) if variant == other}
    # A block that reads the same in both scripts comes twice in a row, once for each version: keep one.
    dropped |= {id(block) for previous, block in itertools.pairwise(blocks)
                if block.script == previous.script == "zh" and block.text == previous.text}
    meta.zh_other_variant = other
    blocks[:] = [b for b in blocks if id(b) not in dropped]


def _drop_repeated_lines(blocks: list[_Block], meta: Metadata) -> None:
    """A line that comes twice, word for word, in a bilingual page ("License: Apache License 2.0" in both
    halves, a site name in header and footer) is boilerplate, not a sentence to translate."""
    counts: dict[str, int] = {}
    for block in blocks:
        counts[block.text] = counts.get(block.text, 0) + 1
    # A line already taken as chrome (a headline that repeats the title below it) is chrome where it comes again.
    taken = set(meta.chrome)
    repeated = {text for text, n in counts.items()
                if (n > 1 or text in taken) and not ENDS_SENTENCE.search(text)}
    for text in repeated:
        meta.chrome.append(text)
    blocks[:] = [b for b in blocks if b.text not in repeated]


def _attach_scriptless(blocks: list[_Block]) -> None:
    """Lines with digits but no letters ("2023-10-27", "10:30") belong to the side around them."""
    last: Script = "none"
    for block in blocks:
        if block.script == "none":
            block.script = last
        else:
            last = block.script
    following: Script = "none"
    for block in reversed(blocks):
        if block.script == "none":
            block.script = following
        else:
            following = block.script
    blocks[:] = [b for b in blocks if b.script != "none"]


def _smooth_short_lines(blocks: list[_Block]) -> None:
    """A line of a few words between two lines of the other language belongs to their side.

    A Chinese page that keeps an English heading ("READOUT") between Chinese lines keeps it on the
    Chinese side, so the two sides' structures still match. An English line with a date is never moved.
    """
    def isshort(block: _Block) -> bool:
        if block.script == "en":
            # A dateline ("Chatham House, 2 March 2020") under the Chinese one is its translation, not a heading
            # that the Chinese page kept in English.
            return latin_words(block.text) <= 3 and not is_prose(block.text) and not parse_date(block.text)
        return han_count(block.text) <= 2 and not is_prose(block.text)

    # The nearest anchor (a line that is not short) on each side of every line, in two linear passes.
    short = [isshort(block) and not block.bilingual_line for block in blocks]
    # Only a lone short line is smoothed: several short lines in a row ("President Allen," / "Ladies and
    # Gentlemen," / "Dear Friends,") are a passage of their own language.
    short = [flag and not (i > 0 and short[i - 1]) and not (i + 1 < len(short) and short[i + 1])
             for i, flag in enumerate(short)]
    previous: list[Script | None] = []
    last: Script | None = None
    for block, block_is_short in zip(blocks, short, strict=True):
        previous.append(last)
        if not block_is_short:
            last = block.script
    following: Script | None = None
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if short[i]:
            if following is not None and previous[i] == following != block.script:
                block.script = following
        else:
            following = block.script
