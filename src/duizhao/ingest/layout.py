"""One bilingual text → its Chinese side, its English side, and the page chrome around them.

The text is cut into paragraphs (lines, with hard-wrapped prose joined back), each paragraph gets a
script, chrome is set aside as metadata, and what is left goes to the side of its script. On each side
every paragraph gets a kind: title, heading, date, byline or body. All decisions rest on general
evidence — script, position, length, punctuation, URL and date shapes, and a short list of widget words
in both languages — never on the wording of a particular page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..errors import InputError
from ..model import Kind, Metadata, Paragraph, Source
from .script import Script, han_count, latin_words, script_of, zh_script

_LINE_BREAK = regex.compile(r"\r\n|\r|\n")
_WHITESPACE = regex.compile(r"\s+")
_ASCII_WORD_CHAR = regex.compile(r"[A-Za-z0-9]")

# Sentence-final punctuation in either language, optionally followed by closing quotes or brackets.
_ENDS_SENTENCE = regex.compile(r"(?:[。！？；!?.…]|\.\.\.)[\"'”’」』）)\]》]*$")
_ENDS_WITH_COLON = regex.compile(r"[:：]$")
_URL = regex.compile(r"(?:https?://|www\.)\S+", regex.IGNORECASE)

_MONTHS = {m: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for m in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_EN = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
_WEEKDAY_ZH = r"\s*(?:星期|周|礼拜)[一二三四五六日天]"
_DATE_ZH = rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日(?:{_WEEKDAY_ZH})?"
_DATE_ISO = r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
_DATE_EN_MDY = rf"(?:{_WEEKDAY_EN})?(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
_DATE_EN_DMY = rf"(?:{_WEEKDAY_EN})?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})"
_DATES = [regex.compile(p, regex.IGNORECASE) for p in (_DATE_ZH, _DATE_ISO, _DATE_EN_MDY, _DATE_EN_DMY)]
_TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[ap]\.?m\.?)?"
_SOURCE_MARK = r"(?:来源|來源|Source)\s*[:：]"
_POSTED_LABEL = regex.compile(
    r"(?:发布时间|發布時間|发布日期|發布日期|时间|時間|日期|Posted(?:\s+on)?|Published(?:\s+on)?|Updated)\s*[:：]?\s*",
    regex.IGNORECASE)
_DATELINE_STARTS = [regex.compile(rf"(?:{date.pattern})\s*(?P<mark>{_TIME}|{_SOURCE_MARK})?", regex.IGNORECASE)
                    for date in _DATES]
_DATELINE_SITE_PREFIX = regex.compile(rf"^\s*(?:{_TIME})?\s*(?:{_SOURCE_MARK})?[\s|｜·•\-–—]*", regex.IGNORECASE)

# A line that is a widget label: share and comment boxes, print buttons, navigation. Matched only as the
# whole of a short line, so "内容" ends up here but "内容丰富的会谈。" does not.
_WIDGET_TERMS = sorted([
    "分享到", "分享", "转发", "轉發", "评论", "評論", "发表评论", "發表評論", "留言", "内容", "內容", "提交",
    "打印", "列印", "收藏", "点赞", "點讚", "关闭", "關閉", "返回顶部", "返回頂部", "返回", "登录", "登錄",
    "注册", "註冊", "上一篇", "下一篇", "相关阅读", "相關閱讀", "相关文章", "相關文章", "复制链接", "複製連結",
    "扫一扫", "掃一掃", "微信", "微博", "按钮", "按鈕", "字号", "字號", "取消", "发送", "發送",
    "share", "share this", "shares", "comment", "comments", "leave a comment", "post a comment", "submit",
    "print", "print this page", "email", "e-mail", "tweet", "like", "reply", "subscribe", "follow", "follow us",
    "back to top", "top", "login", "log in", "sign in", "sign up", "register", "related", "related articles",
    "previous", "next", "read more", "copy link", "facebook", "twitter", "linkedin", "whatsapp", "wechat",
    "weibo", "close", "menu", "search", "home", "skip to content", "cancel", "post", "send", "button",
    "buttons", "on", "this", "page", "article",
], key=len, reverse=True)
_WIDGET_LINE = regex.compile(
    r"(?:(?:" + "|".join(map(regex.escape, _WIDGET_TERMS)) + r")[\s\p{P}\p{S}]*)+", regex.IGNORECASE)
# The prompt a comment box shows after its label: "评论 请在下方区域中输入……", "Comment: Enter your text".
_WIDGET_PROMPT = regex.compile(r"[\s\p{P}]*(?:请|請|(?:enter|type|write|add|leave)\b)", regex.IGNORECASE)
_WIDGET_MAX_CHARS = 80
_WIDGET_MAX_WORDS = 16  # Han characters and Latin words together

# Paragraphs of the head (before the first prose paragraph) longer than this are titles, shorter ones
# headings: a headline names the event, a heading names a section or an office.
_TITLE_MIN_HAN = 12
_TITLE_MIN_WORDS = 6
# Unpunctuated paragraphs at most this long are headings anywhere in a document.
_HEADING_MAX_HAN = 30
_HEADING_MAX_WORDS = 12
# A byline ("以下来自发言人…:", "The following is attributable to …:", "By Jane Doe", "记者：王五") is a
# short line in the head that ends in a colon or starts with an author mark.
_BYLINE_START = regex.compile(r"By\s+\p{Lu}|(?:作者|记者|記者|撰文|编译|編譯)\s*[:：]")
_BYLINE_MAX_HAN = 40
_BYLINE_MAX_WORDS = 20
# A translation runs to about 1.5 Chinese characters per English word. A side under a tenth of the other
# (in those units) is a stray line, not a translation, once the other side is big enough to tell.
_HAN_PER_WORD = 1.5
_MIN_SIDE_SHARE = 0.1
_MIN_SIZE_FOR_BALANCE = 60
# Hard-wrapped Chinese: a line of this many Han characters (or more) that stops mid-sentence goes on in
# the next line.
_WRAP_MIN_HAN = 20
# Hard-wrapped English blocks: lines at least this long, varying by at most this share of the longest.
_WRAP_MIN_WIDTH = 50
_WRAP_WIDTH_SPREAD = 0.35


@dataclass
class _Block:
    """One paragraph candidate while the layout is being worked out."""

    text: str
    script: Script
    lines: list[str] = field(default_factory=list)


def split_bilingual(text: str, *, name: str = "the input") -> Source:
    """The Chinese and English sides of one document holding both, with chrome kept as metadata."""
    meta = Metadata()
    blocks = _blocks(text)
    content = [block for block in blocks if not _take_chrome(block, meta)]
    _attach_scriptless(content)
    _smooth_short_lines(content)

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
    _check_balance(zh_texts, en_texts, name)
    zh = classify(zh_texts, "zh")
    en = classify(en_texts, "en")
    fill_metadata(meta, zh, en)
    return Source(zh=zh, en=en, meta=meta)


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


def classify(texts: list[str], lang: str) -> list[Paragraph]:
    """Give each paragraph of one side its kind, from position, length and punctuation."""
    paragraphs: list[Paragraph] = []
    in_head = True  # until the first prose paragraph: where titles, headings and bylines live
    title_run = True  # still in the leading run of unpunctuated lines, before any heading or date
    for index, text in enumerate(texts):
        kind: Kind
        if _is_date(text):
            kind = "date"
        elif in_head and (_ENDS_WITH_COLON.search(text) or _BYLINE_START.match(text)) \
                and _short(text, lang, _BYLINE_MAX_HAN, _BYLINE_MAX_WORDS):
            kind = "byline"
        elif _is_prose(text):
            kind = "body"
            in_head = False
        elif in_head and title_run and (index == 0 or _long_title(text, lang)):
            kind = "title"
        elif _short(text, lang, _HEADING_MAX_HAN, _HEADING_MAX_WORDS) or _all_caps(text):
            kind = "heading"
        else:
            kind = "body"
            in_head = False
        if kind != "title":
            title_run = False
        paragraphs.append(Paragraph(text=text, kind=kind))
    return paragraphs


def fill_metadata(meta: Metadata, zh: list[Paragraph], en: list[Paragraph]) -> None:
    """Titles, the document date and the script of the Chinese side, read from the content."""
    # Of several leading titles (a reposting site's headline, then the document's own title) the last is
    # the one the other side translates.
    for side, attr in ((zh, "title_zh"), (en, "title_en")):
        titles = [p.text for p in side if p.kind == "title"]
        if titles and not getattr(meta, attr):
            setattr(meta, attr, titles[-1])
    for paragraph in [*en, *zh]:
        if paragraph.kind == "date":
            iso = parse_date(paragraph.text)
            if iso:
                meta.date = iso
                break
    meta.zh_script = zh_script("".join(p.text for p in zh))


def parse_date(text: str) -> str:
    """ISO 8601 date of the first date in `text`, or "" where none reads as a real calendar date."""
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = _MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
        year, day = int(groups["y"]), int(groups["d"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def split_lines(text: str) -> list[str]:
    r"""Lines ended by \n, \r\n or \r only (str.splitlines also cuts at U+2028, \x1c, \x85, ...)."""
    return _LINE_BREAK.split(text)


def paragraph_texts(text: str) -> list[str]:
    """The paragraphs of a one-language text: blank lines separate them, and inside a block a line that
    continues a hard-wrapped sentence is joined to it while other lines (headings, dates) stand alone."""
    return [block.text for block in _blocks(text)]


def _blocks(text: str) -> list[_Block]:
    """Non-empty lines, with a hard-wrapped line joined to the line it continues."""
    blocks: list[_Block] = []
    for group in _blank_separated(text):
        wrapped = _looks_wrapped(group)
        for index, (line, script) in enumerate(group):
            last = blocks[-1] if index else None
            if last is not None and (wrapped or _continues(last, line, script)):
                # Chinese lines join with nothing, unless the break falls between two Latin words or numbers.
                between_words = _ASCII_WORD_CHAR.match(last.text[-1]) and _ASCII_WORD_CHAR.match(line[0])
                joiner = " " if script == "en" or between_words else ""
                last.text = f"{last.text}{joiner}{line}"
                last.lines.append(line)
            else:
                blocks.append(_Block(text=line, script=script, lines=[line]))
    return blocks


def _blank_separated(text: str) -> list[list[tuple[str, Script]]]:
    """Groups of consecutive non-empty lines (stripped, with their scripts), split at blank lines."""
    groups: list[list[tuple[str, Script]]] = [[]]
    for raw in split_lines(text):
        line = raw.strip()  # also strips no-break and ideographic spaces: layout, not content
        if line:
            groups[-1].append((line, script_of(line)))
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _looks_wrapped(group: list[tuple[str, Script]]) -> bool:
    """English prose hard-wrapped at a fixed width: three or more lines, all but the last long and of
    about the same length. Such lines join even where the next one starts with a capital ("...met with
    / PRC Director..."); a title over headings never has that shape."""
    if len(group) < 3 or any(script != "en" for _, script in group):
        return False
    widths = [len(line) for line, _ in group[:-1]]
    return (min(widths) >= _WRAP_MIN_WIDTH and max(widths) - min(widths) <= _WRAP_WIDTH_SPREAD * max(widths)
            and len(group[-1][0]) <= max(widths) + 2)


def _continues(last: _Block, line: str, script: Script) -> bool:
    """Whether `line` goes on with the paragraph of the line just above it (no blank line between)."""
    if script != last.script or script == "none":
        return False
    if _ENDS_SENTENCE.search(last.text) or _ENDS_WITH_COLON.search(last.text):
        return False
    if _is_date(line) or _URL.fullmatch(line) or _URL.fullmatch(last.text) or _is_chrome_label(last.text):
        return False
    if script == "en":  # a wrapped sentence goes on in lower case; a heading is never followed so
        return bool(regex.match(r"\p{Ll}", line))
    return han_count(last.lines[-1]) >= _WRAP_MIN_HAN


def _take_chrome(block: _Block, meta: Metadata) -> bool:
    """Move `block` into `meta` if it is page chrome; say whether it was."""
    text = block.text
    if _URL.fullmatch(text):
        if not meta.source_url:
            meta.source_url = text
        else:
            meta.chrome.append(text)
        return True
    if _dateline(text, meta):
        return True
    if _is_chrome_label(text):
        meta.chrome.append(text)
        return True
    if block.script == "none" and not regex.search(r"\p{N}", text):
        meta.chrome.append(text)  # separators such as "* * *" or "——"
        return True
    return False


def _dateline(text: str, meta: Metadata) -> bool:
    """A posting line: "2023年10月30日 04:43  美国驻华大使馆网", "发布时间：2023-10-30 04:43",
    "Oct. 30, 2023 4:43 PM | U.S. Embassy". A date with a time, a source mark or a posting label, and at
    most a short site name after it. The first one is the dateline; any later one is chrome."""
    label = _POSTED_LABEL.match(text)
    rest = text[label.end():] if label else text
    for pattern in _DATELINE_STARTS:
        match = pattern.match(rest)
        if not match or not (label or match.group("mark")):
            continue
        site = _DATELINE_SITE_PREFIX.sub("", rest[match.end():])
        if _is_prose(site) or len(site) > 40:
            return False  # a sentence that starts with a date and a time is content
        if meta.dateline:
            meta.chrome.append(text)
        else:
            meta.dateline = _WHITESPACE.sub(" ", text)
            meta.site = meta.site or site.strip()
        return True
    return False


def _is_chrome_label(text: str) -> bool:
    """Widget labels only ("分享按钮", "Share Tweet Email"), or a label and its prompt ("评论 请在下方…")."""
    if len(text) > _WIDGET_MAX_CHARS or han_count(text) + latin_words(text) > _WIDGET_MAX_WORDS:
        return False
    if _WIDGET_LINE.fullmatch(text):
        return True
    label = _WIDGET_LINE.match(text)
    return bool(label and _WIDGET_PROMPT.match(text[label.end():]))


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
    Chinese side, so the two sides' structures still match.
    """
    def is_short(block: _Block) -> bool:
        if block.script == "en":
            return latin_words(block.text) <= 3 and not _is_prose(block.text)
        return han_count(block.text) <= 2 and not _is_prose(block.text)

    # The nearest anchor (a line that is not short) on each side of every line, in two linear passes.
    short = [is_short(block) for block in blocks]
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


def _is_prose(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))


def _is_date(text: str) -> bool:
    return any(p.fullmatch(text.strip(" ,.，。")) for p in _DATES)


def _short(text: str, lang: str, max_han: int, max_words: int) -> bool:
    return han_count(text) <= max_han if lang == "zh" else latin_words(text) <= max_words


def _long_title(text: str, lang: str) -> bool:
    if lang == "zh":
        return han_count(text) > _TITLE_MIN_HAN
    return latin_words(text) > _TITLE_MIN_WORDS and not _all_caps(text)


def _all_caps(text: str) -> bool:
    letters = regex.findall(r"\p{Latin}", text)
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
