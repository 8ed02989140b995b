"""Page chrome: what a page holds besides its text in two languages, recognised line by line.

Language and translation labels, source links, navigation bars and breadcrumbs, print and share bars,
widget labels, datelines, separators. Each rule rests on general evidence (shape, length, a short list of
widget words in both languages), never on the wording of a particular page; what it finds goes to the
page's `Metadata` (`chrome`, `dateline`, `site`, `date`, `source_url`).
"""
from __future__ import annotations

import regex

from ..model import Metadata
from .script import Script, han_count, latin_words

_WHITESPACE = regex.compile(r"\s+")
# Sentence-final punctuation in either language, optionally followed by closing quotes or brackets.
ENDS_SENTENCE = regex.compile(r"(?:[。！？；!?.…]|\.\.\.)[\"'”’」』）)\]》]*$")
URL = regex.compile(r"(?:https?://|www\.)\S+", regex.IGNORECASE)

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
# A view counter at the end of a posting line: "1512次", "阅读：3021", "1,024 views".
_VIEW_COUNT = regex.compile(
    r"(?:(?:阅读|閱讀|浏览|瀏覽|点击|點擊)(?:量|数|數|次数|次數)?\s*[:：]?\s*[\d,]+|[\d,]+\s*(?:次(?:阅读|閱讀|浏览|瀏覽)?"
    r"|(?:views|reads|hits)))\s*$", regex.IGNORECASE)
_POSTING_MAX_CHARS = 80
# A time may carry its zone and half of the day in words before it: "2021年2月8日 美国东部标准时间上午07:12".
_TIME_WORDS = r"(?:[\p{L}]{1,12}\s*)?"
_DATELINE_STARTS = [regex.compile(rf"(?:{date.pattern})\s*{_TIME_WORDS}(?P<mark>{_TIME}|{_SOURCE_MARK})?",
                                  regex.IGNORECASE) for date in _DATES]
# A date with its time inside a longer line, between spaces: a page's elements (title, dateline, byline)
# flattened onto one line. Chinese prose puts no spaces around its dates, so the spaces mark the cut; at the
# start of a line, a date and a time open a sentence ("2023年10月30日 04:43 双方…") or make a dateline.
_ANY_DATE = "|".join(regex.sub(r"\?P<\w+>", "?:", date.pattern) for date in _DATES)
_EMBEDDED_DATELINE = regex.compile(
    rf"(?<=\S\s+)(?:{_ANY_DATE})\s*{_TIME_WORDS}{_TIME}(?:\s*(?:[AP]M|[A-Z]{{2,4}}T))?(?=\s|$)", regex.IGNORECASE)
# A lower-case word on either side: the date is part of a running English sentence.
_IN_A_SENTENCE_BEFORE = regex.compile(r"\b\p{Ll}+[,;]?\s+$")
_IN_A_SENTENCE_AFTER = regex.compile(r"\s+\p{Ll}")
_HAN_SPACE = regex.compile(r"(?<=[\p{Han}\u3000-\u303f\uff00-\uffef])\s+|\s+(?=\p{Han})")
_SITE_BEFORE_DATE = regex.compile(r"([^\s\d。.!?！？]{2,20})\s+(?=\d)")
_DATELINE_SITE_PREFIX = regex.compile(rf"^\s*(?:{_TIME})?\s*(?:{_SOURCE_MARK})?[\s|｜·•\-–—]*", regex.IGNORECASE)

# A line that is a widget label: share and comment boxes, print buttons, navigation. Matched only as the
# whole of a short line, so "内容" ends up here but "内容丰富的会谈。" does not.
_WIDGET_TERMS = sorted([
    "分享到", "分享", "转发", "轉發", "评论", "評論", "发表评论", "發表評論", "留言", "内容", "內容", "提交",
    "打印", "列印", "收藏", "点赞", "點讚", "关闭", "關閉", "返回顶部", "返回頂部", "返回", "登录", "登錄",
    "注册", "註冊", "上一篇", "下一篇", "相关阅读", "相關閱讀", "相关文章", "相關文章", "复制链接", "複製連結",
    "扫一扫", "掃一掃", "微信", "微博", "按钮", "按鈕", "字号", "字號", "取消", "发送", "發送", "人气", "人氣",
    "share", "share this", "shares", "comment", "comments", "leave a comment", "post a comment", "submit",
    "print", "print this page", "email", "e-mail", "tweet", "like", "reply", "subscribe", "follow", "follow us",
    "back to top", "top", "login", "log in", "sign in", "sign up", "register", "related", "related articles",
    "previous", "next", "read more", "copy link", "facebook", "twitter", "linkedin", "whatsapp", "wechat",
    "weibo", "close", "menu", "search", "home", "skip to content", "cancel", "post", "send", "button",
    "buttons", "on", "this", "page", "article",
], key=len, reverse=True)
_WIDGET_LINE = regex.compile(  # an icon's placeholder may come first: "? 人氣"
    r"[\s\p{P}\p{S}]*(?:(?:" + "|".join(map(regex.escape, _WIDGET_TERMS)) + r")[\s\p{P}\p{S}]*)+", regex.IGNORECASE)
# The prompt a comment box shows after its label: "评论 请在下方区域中输入……", "Comment: Enter your text".
_WIDGET_PROMPT = regex.compile(r"[\s\p{P}]*(?:请|請|(?:enter|type|write|add|leave)\b)", regex.IGNORECASE)
_WIDGET_MAX_CHARS = 80
_WIDGET_MAX_WORDS = 16  # Han characters and Latin words together

# Language and translation labels: a line that only names a language or a version ("English", "中文 (Chinese)",
# "【英文】", "译文：") is chrome; the same label opening a line of text ("翻译: …", "Translation: …") is cut off.
_LANGUAGE_NAMES = (r"(?:English|Chinese|英文|中文|英語|英语|汉语|漢語|简体中文|簡體中文|繁体中文|繁體中文|简体|簡體|繁体|繁體"
                   r"|双语对照|雙語對照|双语阅读|雙語閱讀|双语|雙語|中英(?:文)?对照|中英(?:文)?對照|中英双语|中英雙語|Translation|Original|翻译|翻譯|译文|譯文|原文"
                   r"|(?:English|Chinese) (?:Version|Translation|Text)|英文版|中文版|中文翻译|中文翻譯)")
_LANGUAGE_CODES = r"(?:zh|en|cn|zh[-_](?:cn|tw|hk|hans|hant)|en[-_](?:us|gb))"
LANGUAGE_LABEL = regex.compile(
    rf"[\[【(（]?\s*(?:{_LANGUAGE_NAMES}|{_LANGUAGE_CODES})(?:\s*[(（][^()（）]{{1,20}}[)）])?\s*[\]】)）]?\s*[:：]?", regex.IGNORECASE)
LABEL_PREFIX = regex.compile(
    rf"^\s*(?:【\s*{_LANGUAGE_NAMES}\s*】|{_LANGUAGE_NAMES}\s*[:：])\s*(?=\S)", regex.IGNORECASE)
# A source link: a short label and a URL ("原文链接：https://…", "Source: https://…").
_LINK_LINE = regex.compile(r"[^\s:：]{1,12}(?: [^\s:：]{1,12}){0,2}\s*[:：]\s*(?:https?://|www\.)\S+", regex.IGNORECASE)
# Navigation and breadcrumbs: short items between separators ("首页 | 视频精选", "下载 · 提交 · 查看",
# "当前位置:搜档网 › 卡梅伦英语演讲稿").
# A middle dot counts only with spaces around it: inside a name ("马修·米勒") it is not a separator.
_NAV_SEPARATOR = regex.compile(r"\s*[|｜›»]\s*|\s+[·•>＞/]\s+")
_NAV_HYPHEN = regex.compile(r"(?<=\p{Han})-|-(?=\p{Han})")
_NAV_SPACE = regex.compile(r"(?<=\p{Han})\s+(?=\p{Han})")
# (items at least, Han characters at most per item): spaces need more and shorter items than hyphens, so that a
# line of verse ("床前明月光 疑是地上霜 …": five or seven characters) or of four-character idioms stays text.
_NAV_BARE = {"hyphen": (4, 6), "space": (5, 4)}
# Space-separated items must also be short on average ("首页 诗词 … 网站地图": two characters, one of four), so that a
# line of four-character verse ("关关雎鸠 在河之洲 窈窕淑女 …", 诗经·周南·关雎) stays text. A slogan or a list of names
# ("富强 民主 文明 和谐 …", "李强 赵乐际 王沪宁 …") has that shape too: only its place on the page tells it from a nav
# bar (see `is_navigation`'s `spaced`).
_NAV_SPACE_MEAN_HAN = 3
# A line opening with a 【tag】 that is not a sentence: print and share bars ("【打印】 【关闭】"), a reposting
# site's series tag over a headline ("【中英文演講稿】…").
_BRACKET_TAG = regex.compile(r"\s*【[^】]{1,12}】")
_NAV_ITEM_MAX_HAN = 12
_NAV_ITEM_MAX_WORDS = 5


# An image's caption: "(图:美国驻华大使布兰斯塔德)", "Photo: …", "美国驻华大使馆网站截图".
_CAPTION = regex.compile(
    r"[(（]?\s*(?:图|圖|图片|圖片|照片|配图|配圖|Photo|Image|Picture)\s*[:：].{0,60}|.{0,40}(?:截图|截圖|示意图|示意圖)[)）]?",
    regex.IGNORECASE)


# A credit line: "來源:人民網、中國政府網 整理:福建啟航翻譯公司", "责任编辑: 王五", "Source: Xinhua".
_CREDIT_LINE = regex.compile(
    r"\s*[\[【(（]?\s*(?:来源|來源|出处|出處|稿源|整理|编辑|編輯|责任编辑|責任編輯|责编|責編|Source|Editor|Edited by)\s*[:：]",
    regex.IGNORECASE)
_CREDIT_MAX_CHARS = 80


def take_chrome(text: str, script: Script, meta: Metadata, *, spaced: bool = True) -> bool:
    """Move the block `text` (of script `script`) into `meta` if it is page chrome; say whether it was.
    `spaced`: whether a line of short Chinese items between spaces may be a nav bar (see `is_navigation`)."""
    if LANGUAGE_LABEL.fullmatch(text) or _LINK_LINE.fullmatch(text) or is_navigation(text, spaced=spaced) \
            or (_CAPTION.fullmatch(text) and not is_prose(text)) \
            or (_BRACKET_TAG.match(text) and not is_prose(text)):
        meta.chrome.append(text)
        return True
    if URL.fullmatch(text):
        if not meta.source_url:
            meta.source_url = text
        else:
            meta.chrome.append(text)
        return True
    if dateline(text, meta):
        return True
    if (_CREDIT_LINE.match(text) and len(text) <= _CREDIT_MAX_CHARS and not is_prose(text)) or is_chrome_label(text):
        meta.chrome.append(text)
        return True
    if script == "none" and not regex.search(r"\p{N}", text):
        meta.chrome.append(text)  # separators such as "* * *" or "——"
        return True
    return False


def is_navigation(text: str, *, spaced: bool = True) -> bool:
    """Short items between separators, none of them a sentence: a navigation bar or a breadcrumb.

    `spaced=False`: short Chinese items between bare spaces are not taken for a nav bar. The caller says so where
    the line's place on the page gives no evidence of chrome (between prose paragraphs, away from the page's
    head and foot): there such a line is a slogan, a list of names or a line of verse."""
    items = [item for item in _NAV_SEPARATOR.split(text) if item.strip()]
    if len(items) < 2:
        # Hyphens touching Chinese ("CATTI-题库-真题-模拟-课程-直播"), or spaces between Chinese words ("首页 诗词 字典
        # 板报 …": Chinese prose puts no spaces between its words); a name such as "中国-东盟博览会" or a title over
        # its subtitle ("相互尊重、和平共处、合作共赢 探索新时期…") has fewer items or longer ones.
        bare = [(_NAV_HYPHEN, _NAV_BARE["hyphen"], 0)] + [(_NAV_SPACE, _NAV_BARE["space"], _NAV_SPACE_MEAN_HAN)] * spaced
        for separator, (min_items, max_han), max_mean in bare:
            split = [item for item in separator.split(text) if item.strip()]
            sizes = [han_count(item) for item in split]
            if len(split) >= min_items and max(sizes) <= max_han \
                    and (not max_mean or sum(sizes) <= max_mean * len(sizes)):
                items = split
                break
    if len(items) < 2 or ENDS_SENTENCE.search(text):
        return False
    return all(han_count(item) <= _NAV_ITEM_MAX_HAN and latin_words(item) <= _NAV_ITEM_MAX_WORDS
               and not ENDS_SENTENCE.search(item) for item in items)


def dateline(text: str, meta: Metadata) -> bool:
    """A posting line: "2023年10月30日 04:43  美国驻华大使馆网", "发布时间：2023-10-30 04:43",
    "Oct. 30, 2023 4:43 PM | U.S. Embassy". A date with a time, a source mark or a posting label, and at
    most a short site name after it; or a short line with a date that ends in a view count ("天之聪教育
    2020-03-03 中国驻英国大使馆 1512次"). The first one is the dateline; any later one is chrome."""
    if len(text) <= _POSTING_MAX_CHARS and _VIEW_COUNT.search(text) and not is_prose(text):
        date = next((match for pattern in _DATES if (match := pattern.search(text))), None)
        if date:
            if meta.dateline:
                meta.chrome.append(text)
            else:
                meta.dateline = _WHITESPACE.sub(" ", text)
                meta.site = meta.site or text[:date.start()].strip()
                meta.date = meta.date or parse_date(text)
            return True
    label = _POSTED_LABEL.match(text)
    rest = text[label.end():] if label else text
    # The site may come first: "外交部官網 2020-07-29 10:44".
    site_first = _SITE_BEFORE_DATE.match(rest) if not label else None
    for pattern in _DATELINE_STARTS:
        match = pattern.match(rest)
        if not match and site_first:
            match = pattern.fullmatch(rest, site_first.end())
            if match and match.group("mark"):
                site = site_first.group(1)
                if meta.dateline:
                    meta.chrome.append(text)
                else:
                    meta.dateline = _WHITESPACE.sub(" ", text)
                    meta.site = meta.site or site
                    meta.date = meta.date or parse_date(match.group())
                return True
            continue
        if not match or not (label or match.group("mark")):
            continue
        site = _DATELINE_SITE_PREFIX.sub("", rest[match.end():])
        if is_prose(site) or len(site) > 40:
            return False  # a sentence that starts with a date and a time is content
        if meta.dateline:
            meta.chrome.append(text)
        else:
            meta.dateline = _WHITESPACE.sub(" ", text)
            meta.site = meta.site or site.strip()
        return True
    return False


def cut_at_datelines(line: str) -> list[str]:
    """`line` cut before and after each date-and-time standing between spaces inside it ("…接触  2021年2月8日
    美国东部标准时间上午07:12 安东尼…"): title, dateline and byline flattened onto one line come apart. Such
    a line is a flattened page, and Chinese puts no spaces inside its sentences: its other pieces are cut
    where a space touches a Han character as well ("安东尼·J·布林肯国务卿 拜登政府…")."""
    if dateline(line, Metadata()):
        return [line]  # the whole line is a dateline ("外交部官網 2020-07-29 10:44")
    pieces: list[str] = []
    cut = 0
    for match in _EMBEDDED_DATELINE.finditer(line):
        # the word before is looked for near the date only: from the line's start, a line of many dates costs
        # time in the square of its length
        before = _IN_A_SENTENCE_BEFORE.search(line, max(0, match.start() - 200), match.start())
        if before or _IN_A_SENTENCE_AFTER.match(line, match.end()):
            continue  # "…began on October 30, 2023 at 10:00 and…": a date inside an English sentence
        if match.start() > cut:
            pieces.extend(_HAN_SPACE.split(line[cut:match.start()].strip()))
        pieces.append(match.group().strip())
        cut = match.end()
    if cut == 0:
        return [line]
    pieces.extend(_HAN_SPACE.split(line[cut:].strip()))
    return [piece for piece in pieces if piece]


# A flattened English head: a headline in Title Case, a byline "Name, Office" and the first sentence run together
# on one line ("U.S. Decision to Reengage with the UN Human Rights Council Antony J. Blinken, Secretary of State
# The Biden administration has …"). The headline is Title Case from the line's start (small words in lower case),
# the name is a first name, an optional initial and a last name right before the comma, the office is Title Case
# again and ends in a capitalised word (headline and office bounded in words, so that a long line costs linear
# time), and the sentence opens with a capitalised common sentence start followed by a lower-case word. "I" is no
# such start: "…Chancellor Olaf Scholz, President Macron and I agreed…" is one sentence.
_TITLE_SMALL = r"(?:a|an|the|and|or|but|of|to|in|on|at|by|for|from|with|as|vs\.?|into|over|after|before)"
_TITLE_WORD = rf"(?:[\p{{Lu}}\p{{N}}][\p{{L}}\p{{N}}.'’&-]*|{_TITLE_SMALL})"
_PERSON = r"\p{Lu}\p{Ll}+(?:\s+\p{Lu}\.)?\s+\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
_OFFICE_CAPITAL = r"\p{Lu}[\p{L}.'’-]*"
_OFFICE_WORD = rf"(?:{_OFFICE_CAPITAL}|of|for|and|the|on|to)"
_STARTS = ("The|A|An|He|She|It|We|They|You|This|That|These|Those|There|In|On|At|But|And|So|If|When|While|After|"
           "Before|As|For|Today|Yesterday|Since|Because|Although|Now|Our|Their|His|Her|Its|Last|Earlier|Over")
_FLATTENED_BYLINE = regex.compile(
    rf"(?P<title>\p{{Lu}}\S*(?:\s+{_TITLE_WORD}){{1,30}}?)\s+(?P<byline>{_PERSON},\s+\p{{Lu}}\p{{L}}+"
    rf"(?:(?:\s+{_OFFICE_WORD}){{0,7}}?\s+{_OFFICE_CAPITAL})?)"
    rf"\s+(?=(?:{_STARTS})\s+(?:\S+\s+)?\p{{Ll}})")


def cut_at_byline(line: str) -> list[str]:
    """`line` cut after its Title Case headline and after the byline that follows it, where an English page's
    head was flattened onto one line with its first sentence (see _FLATTENED_BYLINE); otherwise [line]. A byline
    inside a running sentence ("…said Antony J. Blinken, Secretary of State, …") has lower-case words before
    it and is not cut. Callers apply it only where a page's head may stand: its first line, or the lines of a
    page whose head was flattened around a dateline (see `cut_at_datelines`)."""
    match = _FLATTENED_BYLINE.match(line)
    if not match or ENDS_SENTENCE.search(match.group("title")):
        return [line]
    return [match.group("title"), match.group("byline"), line[match.end():].strip()]


# A widget label under the article's own title in brackets: "【美国就…事实真相】相关文章:" heads a list of links.
_TITLED_WIDGET = regex.compile(r"\s*(?:【[^】]{1,80}】|《[^》]{1,80}》|\[[^\]]{1,160}\])\s*")


def is_chrome_label(text: str) -> bool:
    """Widget labels only ("分享按钮", "Share Tweet Email"), a label and its prompt ("评论 请在下方…"), or a
    label after a bracketed title ("【…】相关文章:")."""
    titled = _TITLED_WIDGET.match(text)
    if titled and titled.end() < len(text) and _WIDGET_LINE.fullmatch(text, titled.end()):
        return True
    if len(text) > _WIDGET_MAX_CHARS or han_count(text) + latin_words(text) > _WIDGET_MAX_WORDS:
        return False
    if _WIDGET_LINE.fullmatch(text):
        return True
    label = _WIDGET_LINE.match(text)
    return bool(label and _WIDGET_PROMPT.match(text[label.end():]))


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


def is_prose(text: str) -> bool:
    return bool(ENDS_SENTENCE.search(text))


_DATE_AND_SPACE = regex.compile(rf"(?:{_ANY_DATE})[ \t\u3000]", regex.IGNORECASE)


def opens_with_date(text: str) -> bool:
    """A date and a space at the start: a dateline's shape ("2011年9月19日 印度新德里"). Chinese prose that
    goes on from a date puts no space after it ("2020年7月24日通知…")."""
    return bool(_DATE_AND_SPACE.match(text))


def is_date(text: str) -> bool:
    return any(p.fullmatch(text.strip(" ,.，。")) for p in _DATES)
