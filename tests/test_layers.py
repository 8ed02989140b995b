"""The one-way pipeline holds in the import graph: no cycle, and no import runs up the layer table.

An `ast` pass over src/duizhao reads every import, the ones inside functions included (a deferred import is
still a dependency). The table is the one in ARCHITECTURE.md; a module's layer is that of its top-level name
(`duizhao.formats.tmx` is `formats`). A module may import its own layer or any layer below, never above.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "duizhao"

# Lowest first. Keep in step with ARCHITECTURE.md's "Layers" table.
LAYERS: list[set[str]] = [
    {"duizhao", "errors", "model", "io", "chinese"},
    {"lexicon", "names", "numbers", "anchor_match", "encoders", "segment", "ingest"},
    {"signals"},
    {"align", "bands", "member_split"},
    {"glossary"},
    {"check", "evidence"},
    {"formats", "evaluate", "store"},
    {"pipeline", "export"},
    {"batch", "scale", "web", "cli", "console", "__main__"},
]


def _module_name(path: Path) -> str:
    parts = ["duizhao", *path.relative_to(SRC).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The duizhao modules that module `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import signals` names a submodule; `from .model import Bead` names an attribute
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else module
    for rank, layer in enumerate(LAYERS):
        if top in layer:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS here and to ARCHITECTURE.md")


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    upward = sorted(target for target in GRAPH[module] if layer_of(target) > layer_of(module))
    assert upward == [], f"{module} (layer {layer_of(module)}) imports from a higher layer: {upward}"


def _cycle() -> list[str]:
    """One import cycle among duizhao's modules, or [] (a depth-first search for a back edge)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_import_graph_has_no_cycle():
    assert _cycle() == []


def test_the_checker_sees_deferred_imports():
    # pipeline's imports of align and check happen inside functions today or tomorrow: either way they count
    assert {"duizhao.align", "duizhao.check"} <= GRAPH["duizhao.pipeline"]


# ARCHITECTURE.md: no module over 600 lines, no class over 250 (the store, batch and glossary packages keep
# their modules under 400).
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 250
SPLIT_PACKAGES = {"store", "batch", "glossary"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_classes_stay_small(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    limit = 400 if module.split(".")[1:2] and module.split(".")[1] in SPLIT_PACKAGES else MAX_MODULE_LINES
    assert lines <= limit, f"{module} has {lines} lines: split it (at most {limit})"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{module}.{node.name} has {size} lines (at most {MAX_CLASS_LINES})"
