"""Ingest: files → `Source` (the Chinese and English sides as paragraphs, plus metadata).

- `load(path)`: one document holding both languages ("-" reads stdin).
- `load_pair(zh_path, en_path, sentences=False)`: one file per language.
- `decode(data)`: bytes → (text, encoding), detected from the content.

Plain text and HTML are read here; Word, EPUB, PDF, subtitles (SRT, WebVTT) and CAT files (XLIFF, PO)
by one module each, found through `types.sniff` (content first, extension second).
"""
from __future__ import annotations

import os
from pathlib import Path

import regex

from ..errors import InputError
from ..io import printable_path
from ..model import Paragraph, Source
from .encoding import DEFAULT_MAX_BYTES, decode, read_bytes, size_text
from .html import drop_long_attributes, looks_like_html, split_html
from .intertext import load_intertext
from .layout import (
    LAYOUTS,
    ZH_VARIANTS,
    classify,
    fill_metadata,
    paragraph_texts,
    split_bilingual,
    split_lines,
)
from .limits import check_html, check_lines, refuse_many, side_paragraphs
from .markdown import looks_like_markdown, render_markdown_blocks
from .script import han_count, latin_words, strip_readings
from .types import TYPES, Side, reader, sniff

__all__ = ["DEFAULT_MAX_BYTES", "decode", "load", "load_bytes", "load_intertext", "load_pair", "load_sentences",
           "load_text", "load_texts"]


# An XML declaration, a DOCTYPE that is not HTML's, or an InterText / TEI root: markup, not a page's text.
_XML_START = regex.compile(r"\A\ufeff?\s*(?:<\?xml\b|<!DOCTYPE\s+(?!html\b)[\w:-]+|<(?:text|linkGrp|TEI|tmx)\b)",
                           regex.IGNORECASE)


def load(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES, layout: str = "auto",
         zh_variant: str = "simplified") -> Source:
    """Read one bilingual document (both languages in one file) into its two sides.

    `layout` is how the page holds its languages: "auto" (read from the page), "blocks", "interleaved",
    "inline" or "table". `zh_variant` is the Chinese version a trilingual page keeps ("simplified" or
    "traditional"); the other is recorded in `meta.zh_other_variant`."""
    data = read_bytes(path, max_bytes=max_bytes)
    return load_bytes(data, name=_name(path), layout=layout, zh_variant=zh_variant)


def load_bytes(data: bytes, *, name: str = "-", max_bytes: int = DEFAULT_MAX_BYTES, layout: str = "auto",
               zh_variant: str = "simplified") -> Source:
    """Like `load`, for bytes already in hand (a batch worker, a web upload). `name` is used in messages."""
    name = printable_path(name)  # a file name that is not UTF-8 must not reach messages or outputs undecodable
    if len(data) > max_bytes:
        raise InputError(f"{_label(name)} is {size_text(len(data))}, over the {size_text(max_bytes)} limit: "
                         "split it into documents, or raise the limit (max_bytes)")
    if not data or data.isspace():
        raise InputError(f"{_label(name)} is empty: give a file with Chinese and English text")
    kind = sniff(data, name, max_bytes=max_bytes)
    if TYPES[kind].module:
        source = reader(kind).read_bilingual(data, _label(name), max_bytes)
        _refuse_many_paragraphs(source.zh, source.en, _label(name))
        source.meta.path = name
        return source
    text, encoding = _decode(data, name)
    source = load_text(text, name=name, layout=layout, zh_variant=zh_variant)
    source.meta.encoding = encoding
    return source


def load_text(text: str, *, name: str = "-", layout: str = "auto", zh_variant: str = "simplified") -> Source:
    """Like `load`, for text already decoded."""
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r}: give one of {', '.join(LAYOUTS)}")
    if zh_variant not in ZH_VARIANTS:
        raise InputError(f"unknown Chinese variant {zh_variant!r}: give one of {', '.join(ZH_VARIANTS)}")
    name = printable_path(name)
    label = _label(name)
    if not text or text.isspace():
        raise InputError(f"{label} is empty: give a file with Chinese and English text")
    from .language import refuse_other_scripts

    refuse_other_scripts(text, label)  # before the split, which would call a Japanese page "only Chinese"
    text, readings = strip_readings(text)
    if not looks_like_html(text) and _XML_START.match(text[:4096]):
        raise InputError(f"{label} is an XML file, not a bilingual page: give InterText files with "
                         "--zh-xml and --en-xml, or the page's text or HTML")
    check_lines(text, label)  # a million one-word lines is refused here, not after minutes of layout work
    if looks_like_markdown(text, name):
        rendered, chrome, table, headings = render_markdown_blocks(text)
        source = split_bilingual(rendered, name=label, layout=layout, table=table, zh_variant=zh_variant,
                                 headings=headings)
        source.meta.chrome[:0] = chrome
    elif looks_like_html(text):
        check_html(text, label)
        source = split_html(text, name=label, layout=layout, zh_variant=zh_variant)
    else:
        source = split_bilingual(text, name=label, layout=layout, zh_variant=zh_variant)
    _refuse_other_languages(source, label)
    source.meta.path = name
    source.meta.readings_removed = readings
    return source


def load_pair(zh_path: str | os.PathLike, en_path: str | os.PathLike, *, sentences: bool = False,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read the Chinese side from `zh_path` and the English side from `en_path`.

    Paragraphs are separated by blank lines; inside a block, a line that continues a hard-wrapped
    sentence is joined to it and other lines (headings, dates) stay paragraphs of their own. With
    `sentences=True` every non-empty line is one sentence, kept exactly as it is split.
    """
    if str(zh_path) == "-" and str(en_path) == "-":
        raise InputError("--zh and --en cannot both read standard input: give at least one of them as a file")
    texts = {}
    encodings = {}
    documents: dict[str, Side] = {}
    for lang, path in (("zh", zh_path), ("en", en_path)):
        data = read_bytes(path, max_bytes=max_bytes)
        name = _name(path)
        kind = sniff(data, name, max_bytes=max_bytes) if data and not data.isspace() else "text"
        if TYPES[kind].module:
            side = reader(kind).read_side(data, _label(name), lang, max_bytes)
            documents[lang] = side
            texts[lang], encodings[lang] = "\n\n".join(p.text for p in side.paragraphs), side.encoding
            continue
        text, encoding = _decode(data, name)
        if looks_like_html(text):
            text = _html_text(text, _label(name))
        check_lines(text, _label(name))
        texts[lang], encodings[lang] = text, encoding
    if documents:
        _check_languages(texts, _label(_name(zh_path)), _label(_name(en_path)))
        source = _pair_of_documents(texts, documents, sentences)
        _refuse_other_languages(source, f"{_label(_name(zh_path))} + {_label(_name(en_path))}")
        fill_metadata(source.meta, source.zh, source.en)
    else:
        source = _pair_source(texts, sentences, _label(_name(zh_path)), _label(_name(en_path)))
    source.meta.path = f"{_name(zh_path)} + {_name(en_path)}"
    source.meta.encoding = encodings["zh"] if encodings["zh"] == encodings["en"] else \
        f"{encodings['zh']} + {encodings['en']}"
    return source


def load_texts(zh_text: str, en_text: str, *, sentences: bool = False) -> Source:
    """Like `load_pair`, for the two sides' texts already in hand (a Chinese text and its English)."""
    for lang, text in (("Chinese", zh_text), ("English", en_text)):
        if not isinstance(text, str):
            raise TypeError(f"the {lang} side must be a str of text, not {type(text).__name__}")
    return _pair_source({"zh": zh_text, "en": en_text}, sentences, "the Chinese text", "the English text")


def _pair_source(texts: dict[str, str], sentences: bool, zh_label: str, en_label: str) -> Source:
    _check_languages(texts, zh_label, en_label)
    readings = 0
    if sentences:
        # Only \n, \r\n and \r end a line: str.splitlines would also cut at U+2028 or a form feed inside a
        # sentence and shift every id after it against the gold file.
        zh = [Paragraph(line.strip()) for line in split_lines(texts["zh"]) if line.strip()]
        en = [Paragraph(line.strip()) for line in split_lines(texts["en"]) if line.strip()]
    else:
        zh_text, readings = strip_readings(texts["zh"])
        zh = classify(paragraph_texts(zh_text), "zh")
        en = classify(paragraph_texts(texts["en"]), "en")
    _refuse_many_paragraphs(zh, en, f"{zh_label} + {en_label}")
    source = Source(zh=zh, en=en, presegmented=sentences)
    _refuse_other_languages(source, f"{zh_label} + {en_label}")
    fill_metadata(source.meta, zh, en)
    source.meta.readings_removed = 0 if sentences else readings
    return source


def load_sentences(zh: list[str], en: list[str]) -> Source:
    """The two sides as lists of sentences, kept exactly as given: link ids are positions in the lists."""
    for lang, side in (("Chinese", zh), ("English", en)):
        if isinstance(side, str) or not isinstance(side, (list, tuple)):
            raise TypeError(f"the {lang} side must be a list of sentences (str), not {type(side).__name__}: "
                            "for two texts use Aligner().text(zh, en), for two files Aligner().pair(zh_path, en_path)")
        for number, sentence in enumerate(side):
            if not isinstance(sentence, str):
                raise TypeError(f"{lang} sentence {number} is a {type(sentence).__name__}, not a str")
            if not sentence.strip():
                raise InputError(f"{lang} sentence {number} is empty: drop it, or give its text")
    if not zh or not en:
        raise InputError("give at least one Chinese and one English sentence")
    _check_languages({"zh": "\n".join(zh), "en": "\n".join(en)}, "the Chinese sentences", "the English sentences")
    source = Source(zh=[Paragraph(s) for s in zh], en=[Paragraph(s) for s in en], presegmented=True)
    fill_metadata(source.meta, source.zh, source.en)
    return source


def _pair_of_documents(texts: dict[str, str], documents: dict[str, Side], sentences: bool) -> Source:
    """Two files of which at least one is a document (Word, EPUB, PDF, subtitles): their paragraphs as
    the readers found them; two books have their chapters paired first (`chapters.pair_chapters`)."""
    sides: dict[str, Side] = {}
    for lang in ("zh", "en"):
        if lang in documents:
            sides[lang] = documents[lang]
        else:
            paragraphs = ([Paragraph(line.strip()) for line in split_lines(texts[lang]) if line.strip()] if sentences
                          else classify(paragraph_texts(texts[lang]), lang))
            sides[lang] = Side(paragraphs)
    zh, en = sides["zh"], sides["en"]
    _refuse_many_paragraphs(zh.paragraphs, en.paragraphs, "the two files")
    presegmented = sentences or (zh.presegmented and en.presegmented)
    source = Source(zh=zh.paragraphs, en=en.paragraphs, presegmented=presegmented)
    if zh.chapters and en.chapters:
        from .chapters import pair_chapters

        source = pair_chapters(source, zh.chapters, en.chapters)
    source.meta.title_zh, source.meta.title_en = zh.title, en.title
    source.meta.date = zh.date or en.date
    return source


def _refuse_many_paragraphs(zh: list[Paragraph], en: list[Paragraph], label: str) -> None:
    """A side of more paragraphs than the pipeline takes sentences is refused now, before it is split."""
    refuse_many(len(zh), side_paragraphs(), "Chinese paragraphs", label)
    refuse_many(len(en), side_paragraphs(), "English paragraphs", label)


def _refuse_other_languages(source: Source, label: str) -> None:
    from .language import refuse_other_latin, refuse_other_scripts

    refuse_other_scripts("\n".join(p.text for p in source.zh), label)
    refuse_other_latin([p.text for p in source.en], label)


def _check_languages(texts: dict[str, str], zh_label: str, en_label: str) -> None:
    """Each file must be mostly its own language; a swapped pair is named as such, not aligned."""
    chinese = {lang: han_count(text) > latin_words(text) for lang, text in texts.items()}
    if not chinese["zh"] and chinese["en"]:
        raise InputError(f"the Chinese and English files look swapped: {zh_label} is English and {en_label} is Chinese; "
                         "give the Chinese file with --zh and the English file with --en")
    if not chinese["zh"]:
        raise InputError(f"found no Chinese text in {zh_label} (given with --zh): "
                         "give the Chinese side with --zh")
    if chinese["en"]:
        raise InputError(f"found no English text in {en_label} (given with --en): "
                         "give the English side with --en")


def _html_text(html: str, label: str) -> str:
    import trafilatura

    check_html(html, label)
    text = trafilatura.extract(drop_long_attributes(html), include_comments=False, include_tables=True, favor_recall=True)
    if not text or not text.strip():
        raise InputError(f"found no text in the HTML page {label}: give the page's text, or a fuller page")
    return text


def _decode(data: bytes, name: str) -> tuple[str, str]:
    try:
        return decode(data)
    except InputError as err:
        # decode() speaks of "the input"; name the file instead.
        message = str(err)
        if message.startswith("the input "):
            message = f"{_label(name)} {message.removeprefix('the input ')}"
        raise InputError(message) from err


def _name(path: str | os.PathLike) -> str:
    return "-" if str(path) == "-" else printable_path(Path(path))


def _label(name: str) -> str:
    return "standard input" if name == "-" else name
