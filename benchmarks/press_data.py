"""Build and check the press-release set (benchmarks/data/press/): raw texts -> duizhao's sentences and
proposed links in MAC's InterText layout, for checking by hand; a listing to read every link against.

    .venv/bin/python benchmarks/press_data.py propose [--raw benchmarks/data/press/raw] --out DIR
    .venv/bin/python benchmarks/press_data.py show [--data benchmarks/data/press] [NAME ...]
    .venv/bin/python benchmarks/press_data.py check [--data benchmarks/data/press]

`propose` splits each raw text (one paragraph a line) with duizhao's own splitter, aligns it with the default
settings and writes `press.NAME_zh.xml`, `press.NAME_en.xml` and `press.NAME_zh.NAME_en.xml` (links
`status='auto'`) to --out. The gold in benchmarks/data/press/ started as those files; every link was read
and corrected by hand there (`status='man'`). `show` prints each link with both sides' text; `check` loads
the set with the MAC loader (every sentence used exactly once) and counts the link types. `diff` counts
the links of a proposal folder that the gold does not have.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
from duizhao.formats.intertext import sentence_ids  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Bead, Document, Paragraph, Source  # noqa: E402

DATA = HERE / "data" / "press"
PREFIX = "press"


def split_raw(zh_path: Path, en_path: Path) -> Document:
    """One paragraph a line -> duizhao's sentences (its own splitter, as `duizhao align` would split them)."""
    from duizhao.segment import segment

    def paragraphs(path: Path) -> list[Paragraph]:
        return [Paragraph(line.strip()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    return segment(Source(paragraphs(zh_path), paragraphs(en_path)))


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_intertext(folder: Path, name: str, document: Document, beads: list[Bead], status: str) -> None:
    """MAC's three files; xtargets hold the English ids before `;` (MAC's order), `type` counts en-zh."""
    zh_ids, en_ids = sentence_ids(document.zh), sentence_ids(document.en)
    zh_file, en_file = f"{PREFIX}.{name}_zh.xml", f"{PREFIX}.{name}_en.xml"
    for file, sentences, ids in ((zh_file, document.zh, zh_ids), (en_file, document.en, en_ids)):
        lines = ["<?xml version='1.0' encoding='utf-8'?>", "<text>"]
        paragraph = None
        for sentence, sid in zip(sentences, ids, strict=True):
            p = sid.split(":")[0]
            if p != paragraph:
                if paragraph is not None:
                    lines.append("  </p>")
                lines.append(f'  <p id="{p}">')
                paragraph = p
            lines.append(f'    <s id="{sid}">{_xml_escape(sentence.text)}</s>')
        if paragraph is not None:
            lines.append("  </p>")
        lines.append("</text>")
        with atomic_write(folder / file) as out:
            out.write("\n".join(lines) + "\n")
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f"<linkGrp toDoc='{en_file}' fromDoc='{zh_file}'>"]
    for bead in beads:
        en = " ".join(en_ids[i] for i in bead.en)
        zh = " ".join(zh_ids[i] for i in bead.zh)
        lines.append(f"<link type='{len(bead.en)}-{len(bead.zh)}' xtargets='{en};{zh}' status='{status}'/>")
    lines.append("</linkGrp>")
    with atomic_write(folder / f"{PREFIX}.{name}_zh.{name}_en.xml") as out:
        out.write("\n".join(lines) + "\n")


def propose(raw: Path, out: Path) -> int:
    from duizhao.align import align

    out.mkdir(parents=True, exist_ok=True)
    for zh_path in sorted(raw.glob("*.zh.txt")):
        name = zh_path.name[: -len(".zh.txt")]
        document = split_raw(zh_path, raw / f"{name}.en.txt")
        beads = align(document).beads
        write_intertext(out, name, document, beads, "auto")
        print(f"{name}: {len(document.zh)} zh, {len(document.en)} en, {len(beads)} links")
    return 0


def show(data: Path, names: list[str]) -> int:
    for doc in peers.load_mac(data):
        short = doc.name[len(PREFIX) + 1:].split("_zh.")[0]
        if names and short not in names:
            continue
        print(f"== {short}")
        for number, bead in enumerate(doc.gold, 1):
            print(f"{number:3} {bead.type:>4} zh {list(bead.zh)} en {list(bead.en)}")
            for i in bead.zh:
                print(f"        zh {i}: {doc.zh[i]}")
            for j in bead.en:
                print(f"        en {j}: {doc.en[j]}")
    return 0


def check(data: Path) -> int:
    docs = peers.load_mac(data)
    types: Counter[str] = Counter()
    for doc in docs:
        types.update(bead.type for bead in doc.gold)
    total = sum(types.values())
    print(f"{len(docs)} documents, {sum(len(d.zh) for d in docs)} zh and {sum(len(d.en) for d in docs)} en "
          f"sentences, {total} links")
    for kind, count in types.most_common():
        print(f"  {kind}: {count} ({count / total:.1%})")
    return 0


def diff(data: Path, proposals: Path) -> int:
    gold = {d.name: d for d in peers.load_mac(data)}
    changed = 0
    for doc in peers.load_mac(proposals):
        right = {(b.zh, b.en) for b in gold[doc.name].gold}
        wrong = [b for b in doc.gold if (b.zh, b.en) not in right]
        changed += len(wrong)
        print(f"{doc.name}: {len(wrong)} of {len(doc.gold)} proposed links not in the gold")
    print(f"total: {changed} proposed links corrected")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("propose")
    p.add_argument("--raw", type=Path, default=DATA / "raw")
    p.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("show")
    s.add_argument("--data", type=Path, default=DATA)
    s.add_argument("names", nargs="*")
    c = sub.add_parser("check")
    c.add_argument("--data", type=Path, default=DATA)
    d = sub.add_parser("diff")
    d.add_argument("--data", type=Path, default=DATA)
    d.add_argument("proposals", type=Path)
    args = parser.parse_args(argv)
    if args.command == "propose":
        return propose(args.raw, args.out)
    if args.command == "show":
        return show(args.data, args.names)
    if args.command == "check":
        return check(args.data)
    return diff(args.data, args.proposals)


if __name__ == "__main__":
    sys.exit(main())
