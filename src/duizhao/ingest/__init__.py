"""Ingest: files → `Source` (the Chinese and English sides as paragraphs, plus metadata).

- `load(path)`: one document holding both languages (plain text or HTML; "-" reads stdin).
- `load_pair(zh_path, en_path, sentences=False)`: one file per language.
- `decode(data)`: bytes → (text, encoding), detected from the content.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..io import printable_path
from ..model import Paragraph, Source
from .encoding import DEFAULT_MAX_BYTES, decode, read_bytes, size_text
from .html import looks_like_html, split_html
from .intertext import load_intertext
from .layout import classify, fill_metadata, paragraph_texts, split_bilingual, split_lines
from .script import han_count, latin_words

__all__ = ["DEFAULT_MAX_BYTES", "decode", "load", "load_bytes", "load_intertext", "load_pair", "load_sentences",
           "load_text", "load_texts"]


def load(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one bilingual document (both languages in one file) into its two sides."""
    data = read_bytes(path, max_bytes=max_bytes)
    return load_bytes(data, name=_name(path))


def load_bytes(data: bytes, *, name: str = "-", max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Like `load`, for bytes already in hand (a batch worker, a web upload). `name` is used in messages."""
    name = printable_path(name)  # a file name that is not UTF-8 must not reach messages or outputs undecodable
    if len(data) > max_bytes:
        raise InputError(f"{_label(name)} is {size_text(len(data))}, over the {size_text(max_bytes)} limit: "
                         "split it into documents, or raise the limit (max_bytes)")
    text, encoding = _decode(data, name)
    source = load_text(text, name=name)
    source.meta.encoding = encoding
    return source


def load_text(text: str, *, name: str = "-") -> Source:
    """Like `load`, for text already decoded."""
    name = printable_path(name)
    label = _label(name)
    if not text or text.isspace():
        raise InputError(f"{label} is empty: give a file with Chinese and English text")
    source = split_html(text, name=label) if looks_like_html(text) else split_bilingual(text, name=label)
    source.meta.path = name
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
    for lang, path in (("zh", zh_path), ("en", en_path)):
        text, encoding = _decode(read_bytes(path, max_bytes=max_bytes), _name(path))
        if looks_like_html(text):
            text = _html_text(text, _label(_name(path)))
        texts[lang], encodings[lang] = text, encoding
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
    if sentences:
        # Only \n, \r\n and \r end a line: str.splitlines would also cut at U+2028 or a form feed inside a
        # sentence and shift every id after it against the gold file.
        zh = [Paragraph(line.strip()) for line in split_lines(texts["zh"]) if line.strip()]
        en = [Paragraph(line.strip()) for line in split_lines(texts["en"]) if line.strip()]
    else:
        zh = classify(paragraph_texts(texts["zh"]), "zh")
        en = classify(paragraph_texts(texts["en"]), "en")
    source = Source(zh=zh, en=en, presegmented=sentences)
    fill_metadata(source.meta, zh, en)
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

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
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
