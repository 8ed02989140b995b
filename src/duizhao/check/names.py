"""``name`` flags: a person, place or organisation on one side with no counterpart on the other."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Iterable

import regex

from ..chinese import HAN as _HAN
from ..chinese import quiet_jieba, to_simplified
from ..model import Flag
from ..names import EnglishText, NameIndex, ZhName, find_name, similarity, sounds_like, zh_names

if TYPE_CHECKING:
    pass
from .config import _EN_NAME, _SENTENCE_START, CheckConfig

# ------------------------------------------------------------------------------------------- names

def _acronyms(en: str) -> list[str]:
    return [m.group(0) for m in regex.finditer(r"\b(?:\p{Lu}\.){2,}|\b\p{Lu}{2,}[0-9]*\b", en)]


def name_flags(zh: str, en: str, index: NameIndex, known: dict[str, list[str]], people: set[str],
                config: CheckConfig, known_people: Iterable[str] = (), places: set[str] | None = None) -> list[Flag]:
    """A name on one side with no counterpart on the other.

    A place or organisation CC-CEDICT lists (以色列, Hamas) is flagged when the other side lacks it. A
    person's name is flagged only when the other side names someone unexplained instead (乌克兰 ↔ Israel,
    沙利文 ↔ Blinken): translations, literary ones above all, name people where the original says "he" and
    the reverse, which is no error.
    """
    # CC-CEDICT and jieba know names in Simplified: 美國 is 美国 (Traditional pages, Hong Kong releases).
    zh = to_simplified(zh)
    english = EnglishText(en)
    missing_zh: list[ZhName] = []
    used: set[str] = set()
    found_places: set[int] = set()  # where a place the English names starts
    for name in _with_known_people(zh_names(zh, index), zh, known_people):
        if any(word in index.ordinary for word in name.lookup) and name.text not in known:
            continue  # 红光 "red light" (also a place), 平坝 "flat land": too ambiguous to call missing
        matches = [find_name(word, english, index, known, config.transliteration) for word in name.lookup]
        if all(matches):
            used |= {w for m in matches if m for w in m.words}
            if all(index.kinds.get(word) != "person" for word in name.lookup):  # 新德里, whatever jieba's tag
                found_places.add(name.span[0])
        else:
            missing_zh.append(name)
    # Chinese names a city with its country before it (印度新德里, 美国纽约) where English says "New Delhi".
    missing_zh = [n for n in missing_zh if not (n.kind == "place" and n.span[1] in found_places)]
    # 中国驻休斯敦总领馆 ↔ "the Consulate-General in Houston": the country a mission belongs to (X驻…) goes
    # without saying in its English name.
    if _MISSION_WORD.search(en):
        missing_zh = [n for n in missing_zh if not (n.kind == "place" and zh[n.span[1]:n.span[1] + 1] == "驻")]
    # English abbreviates organisations and events (第28届联合国气候变化大会 ↔ COP28): an acronym that no
    # Chinese name accounts for may stand for an organisation that seems missing.
    spare_acronyms = [a for a in _acronyms(en) if a.lower().replace(".", "") not in {u.replace(".", "") for u in used}]
    if spare_acronyms:
        # ... or a place its name begins with or holds (亚洲基础设施投资银行 ↔ AIIB: 亚洲 "Asia")
        initials = {a.replace(".", "")[:1] for a in spare_acronyms} | {
            ch for a in spare_acronyms for ch in a.replace(".", "")}
        missing_zh = [n for n in missing_zh if n.kind not in ("org", "term") and not (
            n.kind == "place" and any(r[:1] in initials for w in n.lookup for r in index.renderings.get(w, ())[:3]))]
    # A name matched by one of its parts (米勒 ↔ Miller) accounts for the rest of its English run (Matthew).
    accounted = {w.lower() for run in _capitalised_runs(en) if set(run) & used for w in run}
    known_people = list(known_people)
    unexplained = _english_names_without_counterpart(zh, en, index, known, config, people, known_people)
    missing_en = [w for w in unexplained if w.lower() not in accounted]
    mixed = _mixed_name(en, {w.lower() for w in unexplained}, known, known_people, people)
    if mixed:
        return [Flag("name", "A name differs between the two sides.", mixed)]
    # People the document's glossary knows (韦小宝 ↔ Trinket) moved between sentences or became "he": only
    # names it never pairs can show two different people, unless both sides name a known person the other
    # lacks (韦小宝 ↔ Wu: one name swapped for another).
    # A known person's rendering with a word of it replaced by another known person's (陈清扬 ↔ "Chen Qingping"
    # where the document's glossary has Chen Qingyang and Qingping): one name turned into another, however
    # alike they sound.
    present = [n for n in _with_known_people(zh_names(zh, index), zh, known_people)
               if n.kind == "person" and n.text in known]
    words_of = {n.text: {w.lower() for r in known[n.text] for w in regex.findall(r"\p{Latin}+", r)} for n in present}
    for name in present:
        own = words_of[name.text]
        others = set().union(*(w for t, w in words_of.items() if t != name.text))  # people the Chinese names too
        for run in _name_runs(en):
            # part of the rendering (not all of it: Wang Xi-feng is Xi-feng) and another person's name
            if any(len(w) >= 3 for w in set(run) & own) and not own <= set(run) and any(
                    w not in own and w in people and w not in others for w in run):
                return [Flag("name", "A name differs between the two sides.",
                             f"{name.text} ↔ {' '.join(w.capitalize() for w in run)}")]
    known_zh = [n for n in missing_zh if n.kind == "person" and n.text in known]
    known_en = [w for w in missing_en if w.lower() in people]
    swapped = bool(known_zh and known_en and not any(
        w.lower() in {p.lower() for n in known_zh for r in known[n.text] for p in regex.findall(r"\p{Latin}+", r)}
        for w in known_en))
    if not swapped:
        missing_zh = [n for n in missing_zh if not (n.kind == "person" and n.text in known)]
        missing_en = [w for w in missing_en if w.lower() not in people]
    if missing_zh and missing_en:
        message = "A name differs between the two sides."
    else:
        missing_zh = [n for n in missing_zh if _world_name(n, index)]
        missing_en = [w for w in missing_en if w.lower() in index.world_names]
        if missing_zh:
            message = "A name in the Chinese has no counterpart in the English."
        elif missing_en:
            message = "A name in the English has no counterpart in the Chinese."
        else:
            return _fallback_flags(zh, en, index, config, people, places, unexplained)
    zh_side = list(dict.fromkeys(n.text for n in missing_zh))
    en_side = list(dict.fromkeys(missing_en))
    pairs = [f"{zh_side[i] if i < len(zh_side) else '—'} ↔ {en_side[i] if i < len(en_side) else '—'}"
             for i in range(max(len(zh_side), len(en_side)))]
    return [Flag("name", message, "; ".join(pairs))]


_TITLE_NAME = regex.compile(r"\b(?:Her|His|Your)\s+(\p{Lu}\p{Ll}+)\b")


def _half_rendered(zh: str, en: str, index: NameIndex, config: CheckConfig, unexplained: set[str]) -> str | None:
    """A foreign name of several parts (马修·米勒) of which the English spells one part in a run whose other
    word spells none of the others ("Thomas Miller"): a first name swapped."""
    words = [w for run in _name_runs(en) for w in run]
    for name in zh_names(zh, index):
        if name.kind != "person" or not regex.search("[·•・‧]", name.text):
            continue
        parts = [p for p in index.romanised(name.text) if len(p) >= 2]
        if len(parts) < 2:
            continue
        heard = [max((sounds_like(p, w) for w in words), default=0.0) for p in parts]
        # one part spelt, another not even close (马修 "maxiu" is 0.6 like Matthew, 0.2 like Thomas)
        if max(heard) >= config.transliteration and min(heard) < config.transliteration - 0.25:
            for run in _name_runs(en):
                if any(sounds_like(p, w) >= config.transliteration for p in parts for w in run) \
                        and set(run) & unexplained:
                    return f"{name.text} ↔ {' '.join(w.capitalize() for w in run)}"
    return None


def _rendered_by_a_character(word: str, zh: str, index: NameIndex) -> bool:
    """Whether a character of the Chinese is CC-CEDICT's short form of the place: 俄式 "Russian-style"."""
    stem = word.lower()[:5]
    return any(r.split()[0].lower()[:5] == stem for ch in set(_HAN.findall(zh)) for r in index.renderings.get(ch, ())
               if r.split())


def _mixed_name(en: str, unexplained: set[str], known: dict[str, list[str]], known_people: list[str],
                people: set[str]) -> str | None:
    """A run of capitalised words joining part of a known person's name to a name nothing in the Chinese
    renders, that no one known person's rendering holds ("Wang Shanghai", "Chen Buddha", "Wu Yingtai"):
    one name turned into another."""
    runs = [(run, words) for run in _name_runs(en) if len(words := [w for w in run if w not in _HONORIFICS]) >= 2]
    if not runs:
        return None  # most links: the known people's words (O(people) per link) are not needed
    persons = [{w.lower() for r in known.get(p, ()) for w in regex.findall(r"\p{Latin}+", r)} for p in known_people]
    for run, words in runs:
        if any(set(words) <= own for own in persons):
            continue
        for x in words:
            if x not in people:
                continue
            for y in words:
                if y != x and y in unexplained and not any(x in own and y in own for own in persons):
                    return "— ↔ " + " ".join(w.capitalize() for w in run)
    return None


@functools.cache
def _place_words_of(index_id: int) -> frozenset[str]:
    index = NameIndex.get()
    words: set[str] = set()
    for word, phrases in index.renderings.items():
        if word in index.proper and index.kinds.get(word) in ("place", "org"):
            for phrase in phrases:
                first = phrase.split()[0] if phrase.split() else ""
                if regex.fullmatch(r"\p{Lu}\p{Ll}{3,}", first) and not index.is_common_english(first):
                    words.add(first.lower())
    return frozenset(words)


def _place_words(index: NameIndex) -> frozenset[str]:
    """First words of the English names CC-CEDICT gives places and organisations: shanghai, nanjing, manchu."""
    return _place_words_of(id(index))


def _fallback_flags(zh: str, en: str, index: NameIndex, config: CheckConfig, people: set[str],
                    places: set[str] | None, unexplained: list[str]) -> list[Flag]:
    """What the other rules leave unflagged: an English place, a title made a name, half a foreign name."""
    # A place the English names that nothing in the Chinese renders (上海 absent, "Shanghai" present): a place
    # is not a pronoun's stand-in the way a person's name is.
    placed = [w for w in unexplained if w.lower() not in people and w.lower() in (_place_words(index) | (places or set()))
              and not _rendered_by_a_character(w, zh, index)]
    # A title made a name: "Her Ladyship" is a title, "Her Nanking" is not.
    placed += [m.group(1) for m in _TITLE_NAME.finditer(en) if m.group(1).lower() in {w.lower() for w in unexplained}
               and not _SENTENCE_START.search(en[:m.start()])]
    if placed:
        return [Flag("name", "A name in the English has no counterpart in the Chinese.",
                     "; ".join(f"— ↔ {w}" for w in dict.fromkeys(placed)))]
    halved = _half_rendered(zh, en, index, config, {w.lower() for w in unexplained})
    if halved:
        return [Flag("name", "A name differs between the two sides.", halved)]
    return []


def _with_known_people(names: list[ZhName], zh: str, known_people: Iterable[str]) -> list[ZhName]:
    """`names` and the people of the document's glossary that jieba did not tag (陈清扬 ↔ Chen Qingyang)."""
    found = list(names)
    for person in known_people:
        start = zh.find(person)
        if start < 0 or any(n.span[0] < start + len(person) and start < n.span[1] for n in found):
            continue
        found.append(ZhName(person, "person", (start, start + len(person)), (person,)))
    return sorted(found, key=lambda n: n.span)


def _world_name(name: ZhName, index: NameIndex) -> bool:
    """A place or organisation CC-CEDICT lists as a name only (not 温泉 "hot spring", also a county)."""
    if any(word not in index.proper or word in index.ordinary for word in name.lookup):
        return False
    return all(index.kinds.get(word) != "person" for word in name.lookup) and (
        name.kind != "person" or all(word in index.kinds or word in index.renderings for word in name.lookup))


def _capitalised_runs(en: str) -> list[list[str]]:
    """Runs of capitalised words and initials, lower-cased: "Antony J. Blinken" → ["antony", "j", "blinken"]."""
    runs = []
    for m in regex.finditer(r"\p{Lu}[\p{Latin}'’]*\.?(?:[\s\-]+\p{Lu}[\p{Latin}'’]*\.?)*", en):
        runs.append([regex.sub(r"['’]s$|\.$", "", w).lower() for w in regex.split(r"[\s\-]+", m.group(0))])
    return runs


def _name_runs(en: str) -> list[list[str]]:
    """Runs of capitalised words with their hyphenated parts, lower-cased: "Wang Xi-feng's" → [wang, xi, feng]."""
    return [[regex.sub(r"['’]s$", "", w).lower() for w in regex.split(r"[\s\-]+", m.group(0)) if w]
            for m in regex.finditer(r"\p{Lu}[\p{Latin}'’]*(?:-\p{L}+)*(?:\s+\p{Lu}[\p{Latin}'’]*(?:-\p{L}+)*)*", en)]


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "ladyship", "lord", "lordship", "madam", "madame",
               "master", "majesty", "highness", "excellency", "auntie", "aunty", "uncle", "grannie", "granny"}
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _english_names_without_counterpart(zh: str, en: str, index: NameIndex, known: dict[str, list[str]],
                                       config: CheckConfig, people: set[str] | None = None,
                                       known_people: Iterable[str] = ()) -> list[str]:
    """Capitalised English words that are no ordinary English word (Blinken, Xinjiang, Hamas) and that no
    Chinese word renders, by dictionary, glossary or transliteration. A person the document's glossary
    knows (Xiaosi) must be rendered by a Chinese name, not by any word that happens to sound like it
    (小路 "xiaolu")."""
    candidates = []
    zh_latin = {w.casefold() for w in regex.findall(r"\p{Latin}+", zh)}
    for m in _EN_NAME.finditer(en):
        word = regex.sub(r"['’]s$", "", m.group(0))
        if word.lower() in _CALENDAR or word.lower() in _HONORIFICS or index.is_common_english(word):
            continue  # dates are the date check's business; ordinary words are not names
        if _SENTENCE_START.search(en[:m.start()]):
            continue  # any word is capitalised at the start of a sentence
        if word.casefold() in zh_latin:
            continue  # kept as written in the Chinese: (如Unicode) ↔ (such as Unicode)
        if _MISSION.search(en[max(0, m.start() - 40):m.start()]) and _ZH_MISSION.search(zh):
            continue  # 美国驻华大使馆 ↔ "U.S. Embassy Beijing": the city is part of the mission's English name
        candidates.append(word)
    if not candidates:
        return []
    jieba = quiet_jieba()
    names = [n.text for n in _with_known_people(zh_names(zh, index), zh, known_people)]
    zh_words = set(jieba.lcut(zh)) | set(names)
    for name in list(zh_words):
        zh_words.update(_pieces(name, index))
    romanised: list[str] = [r for name in names for r in index.romanised_spans(name)]
    of_names = list(romanised) + [r for name in names for r in index.romanised(name) + index.other_readings(name)]
    rendered: set[str] = set()
    for word in zh_words:
        if not _HAN.search(word):
            continue
        for rendering in [*index.renderings.get(word, ()), *known.get(word, ())]:
            rendered.update(w.lower() for w in regex.findall(r"\p{Latin}+", rendering))
        if word in index.proper or len(word) >= 2:
            romanised.extend(index.romanised(word))
    missing = []
    for word in candidates:
        low = word.lower()
        if low in rendered or any(similarity(low, r) >= 0.8 for r in rendered if len(r) >= 4):
            continue
        if any(_derived(low, r) for r in rendered if len(r) >= 4):
            continue  # the adjective of a name: Islamic (伊斯兰 "Islam"), Indian, Pakistani, Chinese
        spellings = of_names if people and low in people else romanised
        if any(sounds_like(r, low, loose=True) >= config.transliteration for r in spellings if len(r) >= 2):
            continue
        missing.append(word)
    return missing


_MISSION = regex.compile(r"\b(?:Embassy|Consulate(?:[\s\-]General)?|Mission)\s+$")
_MISSION_WORD = regex.compile(r"\b(?:Embass(?:y|ies)|Consulates?|Consul|Mission|Ambassadors?)\b")
_ZH_MISSION = regex.compile(r"使馆|领馆|领事馆|使团")
_DEMONYM = regex.compile(r"(?:n|an|ian|ic|i|ese|ish|ean|ite)")


def _derived(word: str, name: str) -> bool:
    """Whether `word` is the adjective or demonym of the name `name` (lower case): islamic ← islam, indian ←
    india, chinese ← china, pakistani ← pakistan, korean ← korea."""
    stem = name.rstrip("aeiouy") if len(name.rstrip("aeiouy")) >= 4 else name
    return word.startswith(stem) and bool(_DEMONYM.fullmatch(word[len(stem):]))


def _pieces(word: str, index: NameIndex) -> list[str]:
    """Every CC-CEDICT word inside `word` of two or more characters."""
    return [word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1) if word[i:j] in index.pinyin]


