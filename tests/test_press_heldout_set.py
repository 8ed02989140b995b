"""The held-out press set (benchmarks/data/press-heldout/) stays whole: every gold file reads, covers its
sentences exactly once, and every gold sentence is duizhao's own split of the raw text it came from; the
corrected link stays corrected. No aligner runs here (benchmarks/press_bench.py --data … measures it)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from duizhao.ingest.intertext import check_cover, read_links, read_text
from duizhao.model import Paragraph, Source
from duizhao.segment import segment

HELDOUT = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "press-heldout"
NAMES = sorted(p.name[len("press."): -len("_zh.xml")] for p in HELDOUT.glob("press.*_zh.xml"))


def _gold(name: str) -> tuple[list[str], list[str], list]:
    zh_file, en_file = HELDOUT / f"press.{name}_zh.xml", HELDOUT / f"press.{name}_en.xml"
    zh, en = read_text(zh_file), read_text(en_file)
    beads = read_links(HELDOUT / f"press.{name}_zh.{name}_en.xml", zh_file, en_file)
    return zh.sentences, en.sentences, beads


def test_the_set_has_its_documents_and_links() -> None:
    assert len(NAMES) == 17
    assert not set(NAMES) & {p.name[len("press."): -len("_zh.xml")]
                             for p in (HELDOUT.parent / "press").glob("press.*_zh.xml")}
    types: Counter[str] = Counter()
    for name in NAMES:
        types.update(bead.type for bead in _gold(name)[2])
    assert sum(types.values()) == 105
    assert types == Counter({"1-1": 84, "1-2": 7, "2-1": 6, "1-0": 3, "1-3": 2, "6-1": 2, "2-2": 1})


@pytest.mark.parametrize("name", NAMES)
def test_gold_covers_duizhaos_split_of_the_raw_text(name: str) -> None:
    zh, en, beads = _gold(name)
    check_cover(beads, len(zh), len(en), where=name)

    def lines(side: str) -> list[Paragraph]:
        text = (HELDOUT / "raw" / f"{name}.{side}.txt").read_text(encoding="utf-8")
        return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]

    document = segment(Source(lines("zh"), lines("en")))
    assert [s.text for s in document.zh] == zh
    assert [s.text for s in document.en] == en


def test_corrected_link_stays_corrected() -> None:
    # A Chinese sentence the page's English does not translate is unpaired (duizhao had joined it to the next one).
    zh, _en, beads = _gold("wang-yi-press-2021")
    assert [(b.zh, b.en) for b in beads][:3] == [((0,), ()), ((1,), ()), ((2,), (0,))]
    assert zh[1] == "中国尽管已经有效控制住疫情,但还有不少国家仍在同病毒奋勇抗争。"
