"""The press set (benchmarks/data/press/) stays whole: every gold file reads, covers its sentences exactly
once, and every gold sentence is duizhao's own split of the raw text it came from; the corrected links
stay corrected. No aligner runs here (benchmarks/press_bench.py measures it)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from duizhao.ingest.intertext import check_cover, read_links, read_text
from duizhao.model import Paragraph, Source
from duizhao.segment import segment

PRESS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "press"
NAMES = sorted(p.name[len("press."): -len("_zh.xml")] for p in PRESS.glob("press.*_zh.xml"))


def _gold(name: str):
    zh_file, en_file = PRESS / f"press.{name}_zh.xml", PRESS / f"press.{name}_en.xml"
    zh, en = read_text(zh_file), read_text(en_file)
    beads = read_links(PRESS / f"press.{name}_zh.{name}_en.xml", zh_file, en_file)
    return zh.sentences, en.sentences, beads


def test_the_set_has_its_documents_and_links() -> None:
    assert len(NAMES) == 15
    types: Counter[str] = Counter()
    for name in NAMES:
        types.update(bead.type for bead in _gold(name)[2])
    assert sum(types.values()) == 102
    assert types == Counter({"1-1": 86, "2-1": 6, "1-2": 2, "2-2": 2, "0-1": 2, "1-4": 1, "1-3": 1,
                             "6-1": 1, "8-1": 1})


@pytest.mark.parametrize("name", NAMES)
def test_gold_covers_duizhaos_split_of_the_raw_text(name: str) -> None:
    zh, en, beads = _gold(name)
    check_cover(beads, len(zh), len(en), where=name)

    def lines(side: str) -> list[Paragraph]:
        text = (PRESS / "raw" / f"{name}.{side}.txt").read_text(encoding="utf-8")
        return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]

    document = segment(Source(lines("zh"), lines("en")))
    assert [s.text for s in document.zh] == zh
    assert [s.text for s in document.en] == en


def test_corrected_links_stay_corrected() -> None:
    # An English heading with no Chinese counterpart is a link of its own (duizhao had joined it to a neighbour).
    zh, en, beads = _gold("students-2021")
    assert [(b.zh, b.en) for b in beads][:2] == [((), (0,)), ((0,), (1,))]
    assert en[0] == "We proudly welcome Chinese students back to the USA!"
    # The Chinese list split at every ";" is one link with the English sentence (duizhao left two pieces unpaired).
    zh, en, beads = _gold("hk-cfs-report-2021-07")
    assert (tuple(range(10, 18)), (6,)) in [(b.zh, b.en) for b in beads]
    assert zh[17] == "及一個除害劑殘餘超標的豆角樣本。"
