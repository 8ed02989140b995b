"""TMX 1.4b translation memory, for CAT tools (OmegaT, Trados, memoQ…).

Built with translate-toolkit's `translate.storage.tmx` (units, language nodes, escaping, serialising);
the header attributes and the `<prop>` elements it has no API for are set on its lxml tree directly.

- header: creationtool="duizhao", creationtoolversion, segtype="sentence", o-tmf="duizhao",
  adminlang="en-US", srclang (zh-CN, or zh-TW for Traditional text; overridable), datatype="plaintext";
  props `x-title-zh`, `x-title-en`, `x-date`, `x-source-url`, `x-site`, `x-path` where known, and the
  signature as `x-setting-<key>` (non-string values as JSON).
- one `<tu tuid="N">` per link with both sides non-empty (N is the link's 1-based number in the
  alignment, so a unit can be traced back); props `x-score`, `x-link-type`, `x-flags` (types,
  comma-separated), `x-zh-ids`/`x-en-ids` (0-based, space-separated); one `<note>` per flag.
- No creation date: the same alignment always gives the same bytes.

XML 1.0 cannot carry most C0 control characters (U+0000–U+001F other than tab, newline, carriage
return) or lone surrogates; a segment holding one is refused with a FormatError rather than silently
changed, and metadata (a file name, a flag's note) holding one gets it written as \\uXXXX.
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..errors import FormatError
from ..io import atomic_write
from ..model import Alignment, Flag, Metadata
from . import Format, alignment_from_links, escape_non_xml, refuse_non_xml, require_file, settings_of

_META_PROPS = {"title_zh": "x-title-zh", "title_en": "x-title-en", "date": "x-date",
               "source_url": "x-source-url", "site": "x-site", "path": "x-path"}
_SETTING_PREFIX = "x-setting-"


def setting_text(value) -> str:
    """A setting as prop text: strings as they are (readable in a CAT tool), anything else as JSON.
    A string that would read back as JSON ("12", "true") is written as a JSON string to stay a string."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def setting_value(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text


def is_traditional(lang: str) -> bool:
    """zh-TW, zh-HK, zh-MO and zh-Hant(-…) are Traditional Chinese."""
    parts = lang.lower().replace("_", "-").split("-")
    return parts[0] == "zh" and bool({"tw", "hk", "mo", "hant"} & set(parts[1:]))


def default_zh_lang(meta: Metadata) -> str:
    return "zh-TW" if meta.zh_script == "Hant" else "zh-CN"


class TmxFormat(Format):
    name = "tmx"
    extension = "tmx"
    can_read = True

    def __init__(self, zh_lang: str | None = None, en_lang: str = "en-US") -> None:
        self.zh_lang = zh_lang  # None: zh-CN, or zh-TW when the document is Traditional
        self.en_lang = en_lang

    def write(self, alignment: Alignment, path: Path) -> list[Path]:
        from lxml import etree
        from translate.storage.tmx import tmxfile

        meta = alignment.document.meta
        zh_lang = self.zh_lang or default_zh_lang(meta)
        store = tmxfile(sourcelanguage=zh_lang, targetlanguage=self.en_lang)
        store.addheader()
        header = store.document.getroot().find("header")
        header.attrib.update({
            "creationtool": "duizhao", "creationtoolversion": __version__, "segtype": "sentence",
            "o-tmf": "duizhao", "adminlang": "en-US", "srclang": zh_lang, "datatype": "plaintext",
        })

        def prop(parent, kind: str, value: str, before=None):
            element = etree.Element("prop", type=kind)
            element.text = escape_non_xml(value)
            if before is None:
                parent.append(element)
            else:
                before.addprevious(element)

        for field, kind in _META_PROPS.items():
            if getattr(meta, field):
                prop(header, kind, getattr(meta, field))
        for key, value in settings_of(alignment).items():
            prop(header, _SETTING_PREFIX + key, setting_text(value))

        for number, bead in enumerate(alignment.beads, 1):
            zh, en = alignment.zh_text(bead), alignment.en_text(bead)
            if not (zh and en):
                continue  # a TM unit needs both sides; 1-0 / 0-1 links stay in jsonl/tsv
            refuse_non_xml(zh, f"link {number}")
            refuse_non_xml(en, f"link {number}")
            unit = store.addsourceunit(zh, zh_lang)
            unit.settarget(en, self.en_lang, append=True)
            tu = unit.xmlelement
            tu.set("tuid", str(number))
            first_tuv = tu.find("tuv")
            for flag in bead.flags:
                note = etree.Element("note")
                note.text = escape_non_xml(f"{flag.type}: {flag.message}" + (f" ({flag.evidence})" if flag.evidence else ""))
                first_tuv.addprevious(note)
            prop(tu, "x-score", f"{bead.score:.4f}", first_tuv)
            prop(tu, "x-link-type", bead.type, first_tuv)
            prop(tu, "x-flags", ",".join(flag.type for flag in bead.flags), first_tuv)
            prop(tu, "x-zh-ids", " ".join(map(str, bead.zh)), first_tuv)
            prop(tu, "x-en-ids", " ".join(map(str, bead.en)), first_tuv)

        with atomic_write(path, "wb") as out:
            out.write(bytes(store))
        return [Path(path)]

    def read(self, path: Path) -> Alignment:
        from lxml import etree
        from translate.misc.xml_helpers import getXMLlang
        from translate.storage.tmx import tmxfile

        require_file(path)
        try:
            store = tmxfile(Path(path).read_bytes())
        except etree.XMLSyntaxError as err:
            raise FormatError(f"{path}: not valid XML ({err}); is it a TMX file?") from err
        root = store.document.getroot()
        header = root.find("header")
        if root.tag != "tmx" or header is None:
            raise FormatError(f"{path}: no <tmx><header>; is it a TMX file?")
        zh_lang = self.zh_lang or header.get("srclang") or "zh-CN"
        meta = Metadata(path=str(path), zh_script="Hant" if is_traditional(zh_lang) else "Hans")
        settings: dict = {}
        by_kind = {kind: field for field, kind in _META_PROPS.items()}
        for element in header.findall("prop"):
            kind, text = element.get("type", ""), element.text or ""
            if kind in by_kind:
                setattr(meta, by_kind[kind], text)
            elif kind.startswith(_SETTING_PREFIX):
                settings[kind[len(_SETTING_PREFIX):]] = setting_value(text)

        links = []
        for unit in store.units:
            props = {p.get("type"): p.text or "" for p in unit.xmlelement.findall("prop")}
            try:
                score = float(props.get("x-score") or 0)
            except ValueError as err:
                raise FormatError(f"{path}: x-score {props['x-score']!r} is not a number") from err
            flags = [Flag(t, "") for t in props.get("x-flags", "").split(",") if t]
            # Match languages by prefix, so a TMX from another tool (zh, zh-Hans, en-GB…) reads too.
            texts = {"zh": "", "en": ""}
            for tuv in unit.getlanguageNodes():
                lang = (getXMLlang(tuv) or "").lower()
                for prefix in texts:
                    if lang.startswith(prefix) and not texts[prefix]:
                        texts[prefix] = unit.getNodeText(tuv) or ""
            links.append((texts["zh"], texts["en"], score, flags))
        return alignment_from_links(links, meta, settings)
