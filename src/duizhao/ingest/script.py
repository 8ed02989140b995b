"""Which language a piece of text is in, told by its script (Unicode properties, never code-point ranges)."""
from __future__ import annotations

from typing import Literal

import regex

from ..chinese import HAN, converter, han_count

__all__ = ["Script", "han_count", "latin_words", "script_of", "zh_script"]

Script = Literal["zh", "en", "none"]

# Enough Han characters to tell Simplified from Traditional beyond doubt; more only costs time.
_SCRIPT_SAMPLE = 20_000
_LATIN_WORD = regex.compile(r"\p{Latin}+")

# A Chinese character carries about as much as a short English word: one Han character outweighs this
# many Latin words, so "在COP28上" stays Chinese and "Wang Yi (王毅) said" stays English.
_WORDS_PER_HAN = 1.0


def latin_words(text: str) -> int:
    return len(_LATIN_WORD.findall(text))


def script_of(text: str) -> Script:
    """"zh" where Han characters dominate, "en" where Latin words do, "none" with neither. URLs and e-mail
    addresses do not count: "请访问 https://…" is Chinese."""
    text = _ADDRESS.sub(" ", text)
    han, words = han_count(text), latin_words(text)
    if han == 0 and words == 0:
        return "none"
    return "zh" if han * _WORDS_PER_HAN >= words else "en"


def zh_script(text: str) -> Literal["Hans", "Hant"]:
    """Traditional if converting to Simplified changes more characters than converting to Traditional.

    Comparing both directions is robust: Simplified text barely changes under t2s and Traditional text
    barely changes under s2t, whatever the text's length. The user's text itself is never converted.
    """
    han = "".join(HAN.findall(text[: _SCRIPT_SAMPLE * 2]))[:_SCRIPT_SAMPLE]
    if not han:
        return "Hans"
    to_simplified = sum(a != b for a, b in zip(han, converter("t2s").convert(han), strict=False))
    to_traditional = sum(a != b for a, b in zip(han, converter("s2t").convert(han), strict=False))
    return "Hant" if to_simplified > to_traditional else "Hans"


# --- Language runs below the line -------------------------------------------------------------------------
# A line may hold both languages: "我想感谢…的人I want to thank everyone…", "简介 / Introduction",
# "…等目的。We collect only…". It is cut into runs of one language before sides are decided. A run of the
# other script that is too short to stand alone stays with the text around it: "在COP28上", "Claude Code 是",
# "中國(guó)" (a reading in Latin letters) stay Chinese, "Wang Yi (王毅) said" stays English.
_LETTER = regex.compile(r"(?P<zh>\p{Han}+)|(?P<en>\p{Latin}+)")
# A run stands alone with this many Latin words, or this many Han characters.
_STRONG_WORDS = 4
_STRONG_HAN = 4
# Shorter runs stand alone when they end a sentence of their own ("你好。Hello there.", "Ladies and Gentlemen,下午好!").
# ASCII ! and ? end a Chinese sentence too, as pages typed with half-width punctuation have them ("下午好!").
_ENDS_ZH = regex.compile(r"[。！？；…!?][”’」』）》]*\s*$")
_ENDS_EN = regex.compile(r"[.!?][\"'”’)\]]*\s*$")
# A bilingual heading: "简介 / Introduction", "Privacy Policy | 隐私政策".
_HEADING_SEPARATOR = regex.compile(r"\s+[/|｜]\s+|\s*｜\s*")
_ADDRESS = regex.compile(r"(?:https?://|www\.)[\w\-.~:/?#\[\]@!$&'*+,;=%]+|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+",
                         regex.IGNORECASE | regex.ASCII)
_FULL_WIDTH = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’—…·]")


def language_runs(line: str) -> list[tuple[str, Script]]:
    """`line` cut into runs of one language, each with its script; punctuation, digits and quotes stay with
    the run they belong to. A line in one language is one run."""
    parts = _HEADING_SEPARATOR.split(line)
    if len(parts) == 2:
        left, right = (p.strip() for p in parts)
        scripts = (script_of(left), script_of(right))
        if {scripts[0], scripts[1]} == {"zh", "en"} and all(len(_runs(p)) == 1 for p in (left, right)):
            return [(left, scripts[0]), (right, scripts[1])]
    return _runs(line)


def _runs(line: str) -> list[tuple[str, Script]]:
    # URLs and e-mail addresses carry no language: they stay with the text around them.
    masked = _ADDRESS.sub(lambda m: "0" * len(m.group()), line)
    letters = [(m.start(), m.end(), "zh" if m.group("zh") else "en") for m in _LETTER.finditer(masked)]
    # Maximal stretches of one script: [start, end, script, han characters, Latin words].
    stretches: list[list] = []
    for start, end, script in letters:
        if stretches and stretches[-1][2] == script:
            stretches[-1][1] = end
            stretches[-1][3 if script == "zh" else 4] += end - start if script == "zh" else 1
        else:
            stretches.append([start, end, script, end - start if script == "zh" else 0, int(script == "en")])
    if len(stretches) <= 1:
        return [(line.strip(), script_of(line))] if line.strip() else []

    def strong(i: int) -> bool:
        _, end, script, han, words = stretches[i]
        tail = line[end:stretches[i + 1][0]] if i + 1 < len(stretches) else line[end:]
        if script == "zh":
            return han >= _STRONG_HAN or (han >= 2 and bool(_ENDS_ZH.match(tail)))
        return words >= _STRONG_WORDS or (words >= 2 and bool(_ENDS_EN.match(tail)))

    is_strong = [strong(i) for i in range(len(stretches))]
    if not any(is_strong):
        return [(line.strip(), script_of(line))]
    # A weak stretch takes the script of the nearest strong one it is written against (no space between
    # them: "Houston 美國(guó)就…" joins the Chinese on its right), else of the nearest strong one on its left,
    # else on its right.
    strong_left: list[int | None] = []
    last_index: int | None = None
    for i in range(len(stretches)):
        strong_left.append(last_index)
        if is_strong[i]:
            last_index = i
    strong_right: list[int | None] = [None] * len(stretches)
    next_index: int | None = None
    for i in range(len(stretches) - 1, -1, -1):
        strong_right[i] = next_index
        if is_strong[i]:
            next_index = i
    scripts: list[Script] = []
    for i, stretch in enumerate(stretches):
        if is_strong[i]:
            scripts.append(stretch[2])
            continue
        left, right = strong_left[i], strong_right[i]
        left_tight = left is not None and not regex.search(r"\s", masked[stretches[left][1]:stretch[0]])
        right_tight = right is not None and not regex.search(r"\s", masked[stretch[1]:stretches[right][0]])
        chosen = right if (right_tight and not left_tight) or left is None else left
        scripts.append(stretches[chosen][2] if chosen is not None else stretch[2])
    # Cut between stretches whose scripts differ; the neutral text between them is shared out.
    runs: list[tuple[str, Script]] = []
    cut = 0
    for i in range(1, len(stretches)):
        if scripts[i] == scripts[i - 1]:
            continue
        gap_start, gap_end = stretches[i - 1][1], stretches[i][0]
        runs.append((line[cut:_cut_point(line, gap_start, gap_end, scripts[i - 1])], scripts[i - 1]))
        cut = _cut_point(line, gap_start, gap_end, scripts[i - 1])
    runs.append((line[cut:], scripts[-1]))
    return [(text.strip(), script) for text, script in runs if text.strip()]


def _cut_point(line: str, start: int, end: int, before: Script) -> int:
    """Where the text between two runs is cut: at its first space; without one, after the punctuation
    that belongs to the run before (full-width after Chinese, ASCII after English)."""
    gap = line[start:end]
    space = regex.search(r"\s", gap)
    if space:
        return start + space.start()
    index = 0
    for ch in gap:
        full = bool(_FULL_WIDTH.match(ch))
        if full != (before == "zh"):
            break
        index += 1
    return start + index


def block_script(text: str) -> Literal["Hans", "Hant", ""]:
    """Simplified or Traditional for one block, "" where its characters are the same in both."""
    han = "".join(HAN.findall(text))
    if not han:
        return ""
    # OpenCC converts character for character, so the two strings have the same length
    to_simplified = sum(a != b for a, b in zip(han, converter("t2s").convert(han), strict=False))
    to_traditional = sum(a != b for a, b in zip(han, converter("s2t").convert(han), strict=False))
    if to_simplified == to_traditional:
        return ""
    return "Hant" if to_simplified > to_traditional else "Hans"


# Sites that convert a page to Traditional characters often follow a converted character with its reading in
# parentheses, 關(guān)閉 for 關閉: a reading aid, not text (it leaks into the bitext and reads as a Latin-script
# name to the checks). Dropped only where the parentheses hold one lower-case pinyin syllable with a tone mark,
# right after a Han character: a name's romanisation is capitalised (李(Lǐ)), an English word has no tone mark.
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_READING = regex.compile(
    rf"(?<=\p{{Han}})[(（](?=[a-zü{_TONE_MARKS}]*[{_TONE_MARKS}])"
    rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouüv{_TONE_MARKS}]{{1,3}}(?:ng|n|r)?[)）]")


def strip_readings(text: str) -> tuple[str, int]:
    """The text without pinyin reading annotations after single characters (關(guān)閉 → 關閉), and how many
    were removed."""
    if "(" not in text and "（" not in text:
        return text, 0
    return _READING.subn("", text)
