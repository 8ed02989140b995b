"""Each paragraph of one side gets its kind (title, heading, date, byline or body) from position, length and
punctuation; the document's titles, date and script are read from those kinds."""
from __future__ import annotations

import regex

from ..model import Kind, Metadata, Paragraph
from ..segment import split_en, split_zh
from .chrome import is_date, is_prose, parse_date
from .paragraphs import ENDS_WITH_COLON as _ENDS_WITH_COLON
from .script import han_count, latin_words, zh_script

# A salutation ("尊敬的…勋爵,") ends in a comma, and a line in brackets ("(2020年3月2日,英国皇家国际问题研究所)") is an
# aside: neither is a title, however long; nor is a line of more than one sentence where one before the last ends
# in a full stop ("…感谢中国帮助。全文如下:"): a headline may hold a question or an exclamation before its last
# clause ("中国经济怎么了?专家这样说:前景依然光明").
NEVER_TITLE = regex.compile(r"[,，、]\s*$|^\s*[(（].*[)）]\s*$")
_ENDS_WITH_FULL_STOP = regex.compile(r"[。．.][\"'”’」』）)\]》]*\s*$")
# Paragraphs of the head (before the first prose paragraph) longer than this are titles, shorter ones
# headings: a headline names the event, a heading names a section or an office.
_TITLE_MIN_HAN = 12
_TITLE_MIN_WORDS = 6
# Unpunctuated paragraphs at most this long are headings anywhere in a document.
HEADING_MAX_HAN = 30
HEADING_MAX_WORDS = 12
# A byline ("以下来自发言人…:", "The following is attributable to …:", "By Jane Doe", "记者：王五") is a
# short line in the head that ends in a colon or starts with an author mark.
_BYLINE_START = regex.compile(r"By\s+\p{Lu}|(?:作者|记者|記者|撰文|编译|編譯)\s*[:：]")
_BYLINE_MAX_HAN = 40
_BYLINE_MAX_WORDS = 20


def classify(texts: list[str], lang: str) -> list[Paragraph]:
    """Give each paragraph of one side its kind, from position, length and punctuation."""
    paragraphs: list[Paragraph] = []
    in_head = True  # until the first prose paragraph: where titles, headings and bylines live
    title_run = True  # still in the leading run of unpunctuated lines, before any heading or date
    for index, text in enumerate(texts):
        kind: Kind
        if is_date(text):
            kind = "date"
        elif in_head and (_ENDS_WITH_COLON.search(text) or _BYLINE_START.match(text)) \
                and short(text, lang, _BYLINE_MAX_HAN, _BYLINE_MAX_WORDS):
            kind = "byline"
        elif is_prose(text):
            kind = "body"
            in_head = False
        elif in_head and title_run and (index == 0 or _long_title(text, lang)) and not NEVER_TITLE.search(text) \
                and not any(_ENDS_WITH_FULL_STOP.search(sentence)
                            for sentence in (split_zh if lang == "zh" else split_en)(text)[:-1]):
            kind = "title"
        elif short(text, lang, HEADING_MAX_HAN, HEADING_MAX_WORDS) or _all_caps(text):
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


def short(text: str, lang: str, max_han: int, max_words: int) -> bool:
    return han_count(text) <= max_han if lang == "zh" else latin_words(text) <= max_words


def _long_title(text: str, lang: str) -> bool:
    if lang == "zh":
        return han_count(text) > _TITLE_MIN_HAN
    return latin_words(text) > _TITLE_MIN_WORDS and not _all_caps(text)


def _all_caps(text: str) -> bool:
    letters = regex.findall(r"\p{Latin}", text)
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)
