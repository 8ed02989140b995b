"""duizhao (对照): Chinese–English sentence alignment, from a bilingual page to a reviewed corpus.

The public API is importable from here; heavy modules are imported only when first used.
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

from .errors import ConfigError, DuizhaoError, FormatError, InputError, OutputError
from .model import Alignment, Bead, Document, Flag, Metadata, Paragraph, Sentence, Source

__version__ = "0.1.0"

# name -> "module:attribute" ("module:" for the module itself), imported on first use so that
# `import duizhao` stays cheap (no encoder, no jieba, no numpy).
_LAZY = {
    # the library API: one object that owns the expensive state, and one-call functions built on it
    "Aligner": "duizhao.pipeline:Aligner",
    "align_sentences": "duizhao.pipeline:align_sentences",
    "process": "duizhao.pipeline:process",
    "process_pair": "duizhao.pipeline:process_pair",
    "process_intertext": "duizhao.pipeline:process_intertext",
    "process_bytes": "duizhao.pipeline:process_bytes",
    "add_files": "duizhao.pipeline:add_files",
    "glossary_of": "duizhao.pipeline:glossary_of",
    # the stages, for finer control
    "load": "duizhao.ingest:load",
    "load_pair": "duizhao.ingest:load_pair",
    "load_intertext": "duizhao.ingest:load_intertext",
    "segment": "duizhao.segment:segment",
    "align": "duizhao.align:align",
    "AlignConfig": "duizhao.align:AlignConfig",
    "check": "duizhao.check:check",
    "CheckConfig": "duizhao.check:CheckConfig",
    "extract": "duizhao.glossary:extract",
    "Term": "duizhao.glossary:Term",
    "score": "duizhao.evaluate:score",
    "get_encoder": "duizhao.encoders:get_encoder",
    "Signal": "duizhao.signals:Signal",
    "Format": "duizhao.formats:Format",
    "formats": "duizhao.formats:",
    "Store": "duizhao.store:Store",
}

__all__ = [
    "__version__",
    "Alignment", "Bead", "Document", "Flag", "Metadata", "Paragraph", "Sentence", "Source",
    "DuizhaoError", "InputError", "FormatError", "ConfigError", "OutputError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    try:
        target = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'duizhao' has no attribute {name!r}") from None
    module, attr = target.split(":")
    value = import_module(module) if not attr else getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# `duizhao.align`, `.segment` and `.check` are functions named like the modules that define them. Importing
# such a module (which any alignment does) would bind the module over the function on this package, so that
# `duizhao.align(...)` worked or not depending on what ran first: the package keeps the function. (Import
# the modules with `from duizhao.align import AlignConfig`, which is unaffected.)
_FUNCTIONS_NAMED_LIKE_MODULES = frozenset({"align", "segment", "check"})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS_NAMED_LIKE_MODULES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
