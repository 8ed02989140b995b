"""Subtitles: SubRip (.srt) through `srt`, WebVTT (.vtt) through `webvtt-py`.

Only the text is aligned: cue numbers, timestamps, cue settings and styling tags (<i>, <c.yellow>,
{\\an8}) are dropped. Each cue is one unit (`Paragraph`) carrying its (start, end) in seconds, which every
sentence of it keeps (`Sentence.time`), so each link knows when it is shown (`Alignment.times`).
Two subtitle files are aligned cue by cue (a cue is not re-split: subtitle aligners match cues). A file
with both languages in each cue (a Chinese line over an English one) gives each cue's lines to the side
of their script.
"""
from __future__ import annotations

import io

import regex

from ..errors import InputError
from ..model import Paragraph, Source
from .encoding import decode
from .layout import fill_metadata
from .script import script_of
from .types import Side, join_lines

_TAG = regex.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_LINE_BREAK = regex.compile(r"\r\n|\r|\n")
_Cue = tuple[float, float, list[str]]


def read_side(data: bytes, name: str, lang: str, max_bytes: int) -> Side:
    cues, encoding = _cues(data, name)
    paragraphs = [Paragraph(join_lines(lines), time=(start, end)) for start, end, lines in cues]
    paragraphs = [p for p in paragraphs if p.text]
    if not paragraphs:
        raise InputError(f"{name} has no subtitle text: give a subtitle file with cues that hold text")
    return Side(paragraphs, encoding=encoding, presegmented=True)


def read_bilingual(data: bytes, name: str, max_bytes: int) -> Source:
    cues, encoding = _cues(data, name)
    zh: list[Paragraph] = []
    en: list[Paragraph] = []
    for start, end, lines in cues:
        by_script: dict[str, list[str]] = {"zh": [], "en": []}
        for line in lines:
            script = script_of(line)
            if script != "none":
                by_script[script].append(line)
            elif by_script["zh"] or by_script["en"]:  # "…" or a number goes with the line above it
                by_script["en" if by_script["en"] else "zh"].append(line)
        if by_script["zh"]:
            zh.append(Paragraph(join_lines(by_script["zh"]), time=(start, end)))
        if by_script["en"]:
            en.append(Paragraph(join_lines(by_script["en"]), time=(start, end)))
    if not zh and not en:
        raise InputError(f"{name} has no subtitle text: give a subtitle file with cues that hold text")
    if not en:
        raise InputError(f"found only Chinese subtitles in {name}: give a file whose cues hold both languages, "
                         "or the English subtitles as a file of their own (align --zh FILE --en FILE)")
    if not zh:
        raise InputError(f"found only English subtitles in {name}: give a file whose cues hold both languages, "
                         "or the Chinese subtitles as a file of their own (align --zh FILE --en FILE)")
    source = Source(zh=zh, en=en, presegmented=True)
    fill_metadata(source.meta, zh, en)
    source.meta.encoding = encoding
    return source


def _cues(data: bytes, name: str) -> tuple[list[_Cue], str]:
    try:
        text, encoding = decode(data)
    except InputError as err:
        raise InputError(f"{name}: {err}") from err
    text = text.lstrip("\ufeff")
    cues = _vtt(text, name) if text.startswith("WEBVTT") else _srt(text, name)
    return [(start, end, [clean for line in lines if (clean := _clean(line))]) for start, end, lines in cues], encoding


def _srt(text: str, name: str) -> list[_Cue]:
    import srt

    try:
        cues = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as err:
        raise InputError(f"{name} is not a valid SubRip file ({_first_line(err)}): "
                         "check the cue numbers and the 00:00:01,000 --> 00:00:02,000 lines") from err
    if not cues:
        raise InputError(f"{name} holds no subtitle cues: give a .srt file with numbered, timed cues")
    return [(c.start.total_seconds(), c.end.total_seconds(), _LINE_BREAK.split(c.content)) for c in cues]


def _vtt(text: str, name: str) -> list[_Cue]:
    import webvtt

    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as err:  # webvtt-py raises its own MalformedFileError and others
        raise InputError(f"{name} is not a valid WebVTT file ({_first_line(err)}): "
                         "check the WEBVTT header and the 00:00:01.000 --> 00:00:02.000 lines") from err
    if not captions:
        raise InputError(f"{name} holds no subtitle cues: give a .vtt file with timed cues")
    # start_in_seconds is whole seconds; the timestamp's milliseconds keep the cue's exact time.
    return [(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, _LINE_BREAK.split(c.raw_text))
            for c in captions]


def _clean(line: str) -> str:
    return " ".join(_TAG.sub("", line).split())


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
