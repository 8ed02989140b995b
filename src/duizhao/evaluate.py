"""Strict and lax precision, recall and F1 of predicted links against gold links.

The definitions are those of Vecalign's ``score.py`` (Thompson & Koehn 2019, after Véronis & Langlais
2000), which Bertalign's evaluation copies and which produced the published MAC numbers:

- **strict**: a link counts only if it is exactly a gold link;
- **lax**: it counts if it shares at least one sentence on *each* side with one gold link;
- **precision** is taken over the predicted links, including 1-0 / 0-1 ones (such a link is right
  only if the gold has the very same 1-0 / 0-1 link);
- **recall** is taken over the gold links that have both sides (1-0 / 0-1 gold links are left out),
  counted against predicted links that have both sides;
- duplicate links count once; counts are summed over the documents of a corpus (micro average),
  as both Vecalign's ``score_multiple`` and Bertalign's ``eval.py`` do, and F1 is computed from the
  summed precision and recall.

Links are `Bead`s; only their ``zh`` and ``en`` id tuples matter here. Files are read as InterText
link XML (``<linkGrp>``) or as Vecalign lines ``[zh ids]:[en ids]:score``.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .errors import FormatError, InputError
from .formats.vecalign import parse_beads
from .ingest.intertext import read_links as read_intertext_links
from .model import Bead

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    """Vecalign's counters: predicted links and how many are right (precision), gold links with both
    sides and how many were found (recall)."""

    predicted: int = 0
    predicted_strict: int = 0  # predicted links that are exactly a gold link
    predicted_lax: int = 0  # predicted links that overlap a gold link on both sides
    gold: int = 0  # gold links with both sides
    gold_strict: int = 0
    gold_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{k: v + getattr(other, k) for k, v in asdict(self).items()})


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, and the counts they come from."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    counts: Counts

    def as_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k != "counts"}
        out["counts"] = asdict(self.counts)
        return out


def _links(beads: Iterable[Bead | Link]) -> set[Link]:
    out = set()
    for bead in beads:
        zh, en = (bead.zh, bead.en) if isinstance(bead, Bead) else bead
        if zh or en:  # a link empty on both sides says nothing
            out.add((tuple(zh), tuple(en)))
    return out


def _hits(reference: set[Link], tested: set[Link]) -> tuple[int, int]:
    """(strict hits, lax hits) of `tested` links against `reference` links."""
    # For each zh id, every en id it is linked to in the reference: a tested link is a lax hit when
    # one of its en ids is linked (in one reference link) to one of its zh ids.
    en_of_zh: dict[int, set[int]] = defaultdict(set)
    for zh, en in reference:
        for i in zh:
            en_of_zh[i].update(en)
    strict = lax = 0
    for link in tested:
        if link in reference:
            strict += 1
            lax += 1
        else:
            zh, en = link
            if any(j in en_of_zh[i] for i in zh for j in en):
                lax += 1
    return strict, lax


def count(gold: Iterable[Bead | Link], pred: Iterable[Bead | Link]) -> Counts:
    """Vecalign's counters for one document."""
    gold_links, pred_links = _links(gold), _links(pred)
    p_strict, p_lax = _hits(gold_links, pred_links)
    # Recall is precision with the roles swapped, 1-0 / 0-1 links removed from both sides.
    gold_both = {link for link in gold_links if link[0] and link[1]}
    pred_both = {link for link in pred_links if link[0] and link[1]}
    r_strict, r_lax = _hits(pred_both, gold_both)
    return Counts(len(pred_links), p_strict, p_lax, len(gold_both), r_strict, r_lax)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0  # Vecalign's value_for_div_by_0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores_from(counts: Counts) -> Scores:
    c = counts
    ps, pl = _ratio(c.predicted_strict, c.predicted), _ratio(c.predicted_lax, c.predicted)
    rs, rl = _ratio(c.gold_strict, c.gold), _ratio(c.gold_lax, c.gold)
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl), counts)


def score(gold: Iterable[Bead | Link], pred: Iterable[Bead | Link]) -> Scores:
    """Strict / lax P, R, F1 of one document's predicted links against its gold links."""
    return scores_from(count(gold, pred))


def score_corpus(documents: Iterable[tuple[Iterable[Bead | Link], Iterable[Bead | Link]]]) -> Scores:
    """Scores of a corpus of (gold, pred) documents: counts summed over documents, then P, R, F1."""
    total = Counts()
    for gold, pred in documents:
        total = total + count(gold, pred)
    return scores_from(total)


def strict_hits(gold: Iterable[Bead | Link], pred: Sequence[Bead]) -> list[bool]:
    """For each predicted link in order, whether it is exactly a gold link (for confidence calibration)."""
    gold_links = _links(gold)
    return [(tuple(b.zh), tuple(b.en)) in gold_links for b in pred]


# ---------------------------------------------------------------------------------------------- readers

def parse_vecalign(text: str, where: str = "vecalign text") -> list[Bead]:
    """Vecalign's alignment lines, ``[0, 1]:[2]:0.87`` (Chinese ids first, 0-based; the score optional)."""
    return parse_beads(text, where)  # the one parser of the format, shared with its writer


def read_links(path: str | os.PathLike) -> list[Bead]:
    """Links from a file: InterText link XML (its text files are found beside it) or Vecalign lines."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{file}: no such file: check the path of the links file")
    with open(file, encoding="utf-8", newline="\n", errors="strict") as handle:
        try:
            text = handle.read()
        except UnicodeDecodeError as err:
            raise FormatError(f"{file}: not UTF-8 text: give InterText link XML or Vecalign lines") from err
    if text.lstrip().startswith("<"):
        return read_intertext_links(file)
    return parse_vecalign(text, str(file))


def evaluate_files(gold: str | os.PathLike, pred: str | os.PathLike) -> Scores:
    """Score one predicted links file against one gold links file."""
    return score(*read_pair(gold, pred))


def read_pair(gold: str | os.PathLike, pred: str | os.PathLike) -> tuple[list[Bead], list[Bead]]:
    """Gold and predicted links, refused when they cannot be links of the same document: a prediction with
    no links, or one naming a sentence the gold links never reach (a file of another chapter scores 0
    without a word otherwise)."""
    gold_beads, pred_beads = read_links(gold), read_links(pred)
    if not gold_beads:
        raise InputError(f"{gold}: no links in it: give the gold links (InterText link XML or Vecalign lines)")
    if not pred_beads:
        raise InputError(f"{pred}: no links in it: give the predicted links (InterText link XML or Vecalign lines)")
    for side, name in (("zh", "Chinese"), ("en", "English")):
        gold_last = max((i for b in gold_beads for i in getattr(b, side)), default=-1)
        pred_last = max((i for b in pred_beads for i in getattr(b, side)), default=-1)
        if pred_last > gold_last:
            raise InputError(f"{pred} links {name} sentence {pred_last} (0-based), but the gold links in {gold} "
                             f"end at {gold_last}: are they links of the same document?")
    return gold_beads, pred_beads


@dataclass(frozen=True)
class CorpusReport:
    """Scores per document and for the whole corpus (counts summed over documents)."""

    documents: list[tuple[str, Scores]]
    total: Scores

    def as_dict(self) -> dict:
        return {
            "documents": {name: s.as_dict() for name, s in self.documents},
            "total": self.total.as_dict(),
            "averaging": "micro: counts summed over documents, as Vecalign's and Bertalign's scorers",
        }


def _is_links_file(file: Path) -> bool:
    """A gold document is a link file: InterText <linkGrp>, or any non-XML file (Vecalign lines)."""
    with open(file, "rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    if head.lstrip().startswith("<"):
        return "<linkGrp" in head
    return True


def evaluate_folders(gold_dir: str | os.PathLike, pred_dir: str | os.PathLike) -> CorpusReport:
    """Score every gold links file in `gold_dir` against the file of the same name (or the same stem,
    any extension) in `pred_dir`. InterText text files and hidden files in `gold_dir` are skipped."""
    gold_folder, pred_folder = Path(gold_dir), Path(pred_dir)
    for folder, role in ((gold_folder, "gold"), (pred_folder, "predicted")):
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder: check the {role} folder path")
    gold_files = [
        f for f in sorted(gold_folder.iterdir())
        if f.is_file() and not f.name.startswith(".") and f.suffix.lower() not in {".tsv", ".md"}
        and f.name not in {"LICENSE", "README"} and _is_links_file(f)
    ]
    if not gold_files:
        raise InputError(f"{gold_folder}: no links files (InterText <linkGrp> XML or Vecalign lines) found")
    pred_by_stem: dict[str, list[Path]] = defaultdict(list)
    for f in pred_folder.iterdir():
        if f.is_file() and not f.name.startswith("."):
            pred_by_stem[f.stem].append(f)
    documents = []
    total = Counts()
    for gold in gold_files:
        pred = pred_folder / gold.name
        if not pred.is_file():
            candidates = pred_by_stem.get(gold.stem, [])
            if len(candidates) != 1:
                found = "none" if not candidates else ", ".join(sorted(c.name for c in candidates))
                raise InputError(
                    f"{pred_folder}: no single predicted links file for {gold.name} (found {found}): "
                    f"name it {gold.name} or {gold.stem}.<ext>"
                )
            pred = candidates[0]
        counts = count(*read_pair(gold, pred))
        documents.append((gold.stem, scores_from(counts)))
        total = total + counts
    return CorpusReport(documents, scores_from(total))
