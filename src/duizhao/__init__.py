"""duizhao (对照): Chinese–English sentence alignment, from a bilingual page to a reviewed corpus.

The public API is importable from here; heavy modules are imported only when first used.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import ConfigError, DuizhaoError, FormatError, InputError
from .model import Alignment, Bead, Document, Flag, Metadata, Paragraph, Sentence, Source

__version__ = "0.1.0"

# name -> "module:attribute", imported lazily so `import duizhao` stays cheap (no encoder, no jieba).
_LAZY = {
    "align": "duizhao.align:align",
    "AlignConfig": "duizhao.align:AlignConfig",
    "Signal": "duizhao.signals:Signal",
    "Format": "duizhao.formats:Format",
    "load": "duizhao.ingest:load",
    "load_pair": "duizhao.ingest:load_pair",
    "segment": "duizhao.segment:segment",
    "check": "duizhao.check:check",
    "process": "duizhao.pipeline:process",
}

__all__ = [
    "__version__",
    "Alignment", "Bead", "Document", "Flag", "Metadata", "Paragraph", "Sentence", "Source",
    "DuizhaoError", "InputError", "FormatError", "ConfigError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    try:
        target = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'duizhao' has no attribute {name!r}") from None
    module, attr = target.split(":")
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value
