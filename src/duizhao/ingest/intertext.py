"""InterText XML: pre-segmented texts and the link files that align them (the format of MAC, the
Manually Aligned Corpus, and of the InterText editor).

A text file is ``<text><p id="1"><s id="1:1">sentence</s> …</p> …</text>``; a link file is a
``<linkGrp toDoc="…_en.xml" fromDoc="…_zh.xml">`` of ``<link xtargets="1:1;1:1 1:2"/>``. In
``xtargets`` the ids before ``;`` belong to ``toDoc`` and those after it to ``fromDoc``. Ids are
looked up in their own file (MAC's ``1:1`` occurs in both), and turned into 0-based positions in
document order, which are the ids of `Document.zh` / `Document.en`.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..chinese import HAN as _HAN
from ..errors import FormatError, InputError
from ..model import Bead, Metadata, Paragraph, Source


@dataclass
class IntertextText:
    """One InterText text file: its sentences in document order, their ids and paragraph numbers."""

    path: Path
    sentences: list[str]
    ids: list[str]  # the <s id="…"> of each sentence, e.g. "3:2"
    paragraphs: list[int]  # 0-based number of the <p> each sentence sits in

    def position(self) -> dict[str, int]:
        """Sentence id → 0-based position."""
        return {sid: number for number, sid in enumerate(self.ids)}


def _parse_xml(path: str | os.PathLike, what: str) -> ET.Element:
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{file}: no such file: check the path of the InterText {what}")
    from .encoding import DEFAULT_MAX_BYTES, size_text

    size = file.stat().st_size
    if size > DEFAULT_MAX_BYTES:  # the same limit as every other input: memory grows with the tree
        raise InputError(f"{file} is {size_text(size)}, over the {size_text(DEFAULT_MAX_BYTES)} limit of one "
                         f"document: split the InterText {what} into chapters")
    try:
        with open(file, "rb") as handle:  # the XML declaration names the encoding; UTF-8 otherwise
            return ET.parse(handle).getroot()
    except ET.ParseError as err:
        raise FormatError(f"{file}: not valid XML ({err}): give an InterText {what}") from err


def read_text(path: str | os.PathLike) -> IntertextText:
    """Read an InterText text file: every ``<s>`` in document order, with its id and paragraph."""
    root = _parse_xml(path, "text file (<text><p><s id=…>…</s></p></text>)")
    sentences: list[str] = []
    ids: list[str] = []
    paragraphs: list[int] = []
    seen: set[str] = set()
    # Sentences outside any <p> (allowed by InterText) each count as a paragraph of their own.
    paragraph_of: dict[int, int] = {}
    for number, p in enumerate(root.iter("p")):
        for s in p.iter("s"):
            paragraph_of[id(s)] = number
    loose = max(paragraph_of.values(), default=-1) + 1
    for s in root.iter("s"):
        sid = s.get("id")
        if sid is None:
            raise FormatError(f"{path}: sentence {len(ids) + 1} has no id attribute: every <s> needs id=\"…\"")
        if sid in seen:
            raise FormatError(f"{path}: sentence id {sid!r} occurs twice: ids must be unique within a file")
        seen.add(sid)
        # The user's text is kept exactly as written (inline markup contributes its text).
        sentences.append("".join(s.itertext()))
        ids.append(sid)
        if id(s) in paragraph_of:
            paragraphs.append(paragraph_of[id(s)])
        else:
            paragraphs.append(loose)
            loose += 1
    if not sentences:
        raise FormatError(f"{path}: no <s> elements: an InterText text file holds <s id=…> sentences")
    return IntertextText(Path(path), sentences, ids, paragraphs)


def load_intertext(zh_xml: str | os.PathLike, en_xml: str | os.PathLike) -> Source:
    """Both sides of an InterText pair as a pre-segmented `Source`: one `Paragraph` per ``<s>``.

    The sentences are taken as they are (``presegmented``), so a MAC chapter is aligned on its gold
    segmentation; each keeps the number of the ``<p>`` it sits in (`Source.sentence_paragraphs`).
    """
    zh, en = read_text(zh_xml), read_text(en_xml)
    _check_languages(zh, en)
    for text in (zh, en):
        # segment() drops empty sentences, which would shift every later id against the link files.
        for sid, sentence in zip(text.ids, text.sentences, strict=True):
            if not sentence.strip():
                raise FormatError(f"{text.path}: sentence {sid!r} is empty: remove it or give it its text")
    meta = Metadata(path=f"{zh.path} + {en.path}", encoding="utf-8")
    return Source(
        zh=[Paragraph(text) for text in zh.sentences],
        en=[Paragraph(text) for text in en.sentences],
        meta=meta,
        presegmented=True,
        # The <p> of each sentence: the aligner's paragraph signal keeps a heading (a <p> of its own) from
        # being joined to the sentence after it.
        sentence_paragraphs=(list(zh.paragraphs), list(en.paragraphs)),
    )


def _han_share(text: IntertextText) -> float:
    joined = "".join(text.sentences)
    return len(_HAN.findall(joined)) / max(1, len(joined))


def _check_languages(zh: IntertextText, en: IntertextText) -> None:
    # Swapped arguments would align and score silently wrong; refuse them with the fix.
    if _han_share(zh) < _han_share(en):
        raise InputError(
            f"{zh.path} has fewer Chinese characters than {en.path}: the Chinese file goes first "
            "(--zh-xml ZH.xml --en-xml EN.xml)"
        )


def read_links(
    link_xml: str | os.PathLike,
    zh_xml: str | os.PathLike | None = None,
    en_xml: str | os.PathLike | None = None,
) -> list[Bead]:
    """The links of an InterText link file as `Bead`s of 0-based zh / en positions, in file order.

    Without `zh_xml` / `en_xml`, the ``fromDoc`` / ``toDoc`` files named by the ``linkGrp`` are read
    from the link file's folder, and the one with more Chinese characters is taken as the Chinese side.
    """
    root = _parse_xml(link_xml, "link file (<linkGrp toDoc=… fromDoc=…><link xtargets=…/>)")
    group = root if root.tag == "linkGrp" else root.find(".//linkGrp")
    if group is None:
        raise FormatError(f"{link_xml}: no <linkGrp>: an InterText link file holds <linkGrp><link xtargets=…/>")
    to_doc, from_doc = group.get("toDoc"), group.get("fromDoc")
    folder = Path(link_xml).parent
    if zh_xml is None or en_xml is None:
        if not (to_doc and from_doc):
            raise FormatError(
                f"{link_xml}: <linkGrp> names no toDoc/fromDoc files: give the Chinese and English text files"
            )
        first, second = read_text(folder / to_doc), read_text(folder / from_doc)
        zh, en = (first, second) if _han_share(first) > _han_share(second) else (second, first)
    else:
        zh, en = read_text(zh_xml), read_text(en_xml)
        _check_languages(zh, en)
    # The ids before ";" belong to toDoc. Decide which language toDoc is from the file names the
    # linkGrp gives; MAC's (toDoc = English) is the default when it names none we were given.
    to_is_zh = to_doc is not None and Path(to_doc).name == zh.path.name and Path(to_doc).name != en.path.name
    zh_pos, en_pos = zh.position(), en.position()
    beads: list[Bead] = []
    for number, link in enumerate(group.iter("link"), 1):
        targets = link.get("xtargets")
        if targets is None or targets.count(";") != 1:
            raise FormatError(
                f"{link_xml}: link {number} has xtargets={targets!r}: it must be 'ids;ids' (e.g. '1:1;1:1 1:2')"
            )
        before, after = (part.split() for part in targets.split(";"))
        zh_ids, en_ids = (before, after) if to_is_zh else (after, before)
        beads.append(Bead(
            zh=_positions(zh_ids, zh_pos, zh, link_xml, number),
            en=_positions(en_ids, en_pos, en, link_xml, number),
        ))
    return beads


def _positions(ids: list[str], positions: dict[str, int], text: IntertextText, link_xml, number: int) -> tuple[int, ...]:
    out = []
    for sid in ids:
        if sid not in positions:
            raise FormatError(
                f"{link_xml}: link {number} names sentence {sid!r}, which {text.path.name} does not have: "
                "check that the link file belongs to these text files"
            )
        out.append(positions[sid])
    return tuple(out)


def check_cover(beads: list[Bead], n_zh: int, n_en: int, where: str = "links") -> None:
    """Refuse links that do not use every sentence of each side exactly once (a complete alignment)."""
    for side, count in (("zh", n_zh), ("en", n_en)):
        used = Counter(i for bead in beads for i in getattr(bead, side))
        if sorted(used.elements()) != list(range(count)):
            missing = sorted(set(range(count)) - set(used))
            twice = sorted(i for i, times in used.items() if times > 1)
            raise FormatError(
                f"{where}: the {side} ids do not cover the {count} {side} sentences exactly once "
                f"(missing {missing[:5]}, repeated {twice[:5]}): the link file and text files do not match"
            )
