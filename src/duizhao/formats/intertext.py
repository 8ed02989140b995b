"""InterText XML, as in the MAC corpus, so InterText editor users can open and correct an alignment.

Three files for `NAME`:
- `NAME_zh.xml`, `NAME_en.xml`: `<text><p id="1"><s id="1:1">…</s>…</p>…</text>`, ids `paragraph:sentence`,
  1-based, paragraphs as segmentation found them;
- `NAME_zh.NAME_en.xml`: `<linkGrp toDoc="NAME_en.xml" fromDoc="NAME_zh.xml">` with one
  `<link type="E-Z" xtargets="EN ids;ZH ids" status="auto"/>` per link.

MAC's convention, kept here: the ids before `;` are the English (toDoc) ones and those after it the
Chinese (fromDoc) ones, and `type` counts them in that order, so a duizhao 2-1 link (two Chinese
sentences, one English) is written `type="1-2"`. InterText has no place for scores, flags or the
signature. `read` takes the link file and finds the two sentence files beside it; it tells the Chinese
document from the English one by its content, so files written the other way round read correctly too.
"""
from __future__ import annotations

from pathlib import Path

from ..chinese import HAN as _HAN
from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment, Bead, Document, Metadata, Sentence
from . import Format, refuse_non_xml, require_file


def intertext_paths(path: Path) -> tuple[Path, Path, Path]:
    """`out/readout.intertext` -> (out/readout_zh.xml, out/readout_en.xml, out/readout_zh.readout_en.xml)."""
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".intertext", ".xml") else path
    name = base.name
    return (base.with_name(f"{name}_zh.xml"), base.with_name(f"{name}_en.xml"),
            base.with_name(f"{name}_zh.{name}_en.xml"))


def sentence_ids(sentences: list[Sentence]) -> list[str]:
    """`P:S` ids, 1-based; a new paragraph starts wherever the sentence's paragraph number changes."""
    ids, paragraph, previous, number = [], 0, None, 0
    for sentence in sentences:
        if sentence.paragraph != previous:
            paragraph, previous, number = paragraph + 1, sentence.paragraph, 0
        number += 1
        ids.append(f"{paragraph}:{number}")
    return ids


def _text_tree(sentences: list[Sentence], what: str):
    from lxml import etree

    root = etree.Element("text")
    current_p, current_id = None, None
    for sentence, sid in zip(sentences, sentence_ids(sentences), strict=True):
        p_id = sid.split(":")[0]
        if p_id != current_id:
            current_p, current_id = etree.SubElement(root, "p", id=p_id), p_id
        etree.SubElement(current_p, "s", id=sid).text = refuse_non_xml(sentence.text, f"{what} sentence {sid}")
    etree.indent(root, space="  ")  # whitespace between elements only; sentence texts are untouched
    return etree.ElementTree(root)


def _write_xml(tree, path: Path) -> None:
    with atomic_write(path, "wb") as out:
        tree.write(out, xml_declaration=True, encoding="utf-8")
        out.write(b"\n")


class InterTextFormat(Format):
    name = "intertext"
    single_file = False
    extension = "intertext"  # a stem only: the files written are NAME_zh.xml, NAME_en.xml and the link file
    can_read = True

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        from lxml import etree

        zh_path, en_path, links_path = intertext_paths(path)
        doc = alignment.document
        zh_ids, en_ids = sentence_ids(doc.zh), sentence_ids(doc.en)
        # The link file names the text files; XML cannot name one whose name holds a control character.
        names = [refuse_non_xml(p.name, f"the file name {p.name!r}", "rename the input, or give --output a plain name")
                 for p in (en_path, zh_path)]
        group = etree.Element("linkGrp", toDoc=names[0], fromDoc=names[1])
        for bead in alignment.beads:
            etree.SubElement(group, "link", type=f"{len(bead.en)}-{len(bead.zh)}",
                                    xtargets=" ".join(en_ids[i] for i in bead.en) + ";"
                                    + " ".join(zh_ids[i] for i in bead.zh), status="auto")
        etree.indent(group, space="")  # one link per line, as in MAC
        # Build every tree before writing any file, so a refused sentence leaves no partial set behind.
        trees = {zh_path: _text_tree(doc.zh, "Chinese"), en_path: _text_tree(doc.en, "English"),
                 links_path: etree.ElementTree(group)}
        for target, tree in trees.items():
            _write_xml(tree, target)
        return [zh_path, en_path, links_path]

    def read(self, path: Path) -> Alignment:
        links_path = Path(path)
        if not links_path.name.endswith(".xml") or not links_path.exists():
            links_path = intertext_paths(links_path)[2]
        require_file(links_path)
        group = _parse(links_path).getroot()
        if group.tag != "linkGrp" or not group.get("toDoc") or not group.get("fromDoc"):
            raise FormatError(f"{links_path}: not an InterText link file (no <linkGrp toDoc fromDoc>); "
                              "give the link file, not a sentence file")
        to_sentences = _read_sentences(links_path.parent / group.get("toDoc"))
        from_sentences = _read_sentences(links_path.parent / group.get("fromDoc"))
        english_first = _han_share(to_sentences) <= _han_share(from_sentences)
        en_side, zh_side = (to_sentences, from_sentences) if english_first else (from_sentences, to_sentences)
        beads = []
        for number, link in enumerate(group.iter("link"), 1):
            targets = link.get("xtargets", "")
            if targets.count(";") != 1:
                raise FormatError(f"{links_path}: link {number} has xtargets={targets!r}; expected 'ids;ids'")
            to_ids, from_ids = (part.split() for part in targets.split(";"))
            en_ids, zh_ids = (to_ids, from_ids) if english_first else (from_ids, to_ids)
            try:
                beads.append(Bead(tuple(zh_side[1][i] for i in zh_ids), tuple(en_side[1][i] for i in en_ids)))
            except KeyError as err:
                raise FormatError(f"{links_path}: link {number} names sentence {err.args[0]!r}, "
                                  "which its sentence file does not have") from err
        document = Document(zh_side[0], en_side[0], Metadata(path=str(links_path)))
        return Alignment(document, beads, {})


def _parse(path: Path):
    from lxml import etree

    try:
        return etree.parse(str(path))
    except OSError as err:
        raise FormatError(f"{path}: cannot be read ({err}); InterText needs the link file and both "
                          "sentence files in one folder") from err
    except etree.XMLSyntaxError as err:
        raise FormatError(f"{path}: not valid XML ({err})") from err


def _read_sentences(path: Path) -> tuple[list[Sentence], dict[str, int]]:
    """The sentences of one InterText document, and each `P:S` id's 0-based position."""
    sentences: list[Sentence] = []
    positions: dict[str, int] = {}
    for paragraph, p in enumerate(_parse(path).getroot().iter("p")):
        for s in p.iter("s"):
            positions[s.get("id")] = len(sentences)
            sentences.append(Sentence("".join(s.itertext()), paragraph=paragraph))
    return sentences, positions


def _han_share(side: tuple[list[Sentence], dict]) -> float:
    text = "".join(s.text for s in side[0])
    return len(_HAN.findall(text)) / max(len(text), 1)
