"""The name check on real sentence pairs (the example page; MAC-Dev, chapter and link in each comment) and the
mutations `benchmarks/checks_bench.py` makes of them: a name swapped for another name of the same document."""
from __future__ import annotations

import json
from pathlib import Path

from duizhao.check import CheckConfig
from duizhao.check.names import name_flags
from duizhao.names import NameIndex

LINKS = json.loads((Path(__file__).parent / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]


def names(zh: str, en: str, people: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The name flags of a pair, with `people` (Chinese → English) as the document's glossary would give."""
    known = {z: [e] for z, e in (people or {}).items()}
    words = {w.lower() for e in (people or {}).values() for w in e.split()}
    flags = name_flags(zh, en, NameIndex.get(), known, words, CheckConfig(), sorted(known, key=len, reverse=True))
    return [(f.message, f.evidence) for f in flags]


def test_a_first_name_swapped_in_a_foreign_name_is_flagged():
    # The example page, link 5: 马修·米勒 ↔ Matthew Miller; "Thomas" spells no part of 马修 ("maxiu")
    zh, en = LINKS[5]["zh"][0], LINKS[5]["en"][0]
    assert names(zh, en) == []
    assert names(zh, en.replace("Matthew", "Thomas")) == [
        ("A name differs between the two sides.", "马修·米勒 ↔ Spokesperson Thomas Miller")]


def test_a_known_persons_surname_joined_to_a_place_is_flagged():
    # MAC-Dev 005/194: Wang Qiyao; "Wang Shanghai" is nobody
    zh = "王琦瑶这年是十六岁，这事情使她有了沧桑感，她觉得自己已经不止十六岁这个岁数了。"
    en = "Wang Qiyao was sixteen years old at the time, but that one day's experience left her with the feeling"
    people = {"王琦瑶": "Wang Qiyao", "吴佩珍": "Wu Peizhen"}
    assert names(zh, en, people) == []
    assert names(zh, en.replace("Qiyao", "Shanghai"), people) == [
        ("A name differs between the two sides.", "— ↔ Wang Shanghai")]


def test_a_title_turned_into_a_name_is_flagged():
    # MAC-Dev 003/221: "Her Ladyship" renders 太太; "Her Nanking" renders nothing
    zh = "可巧昨儿太太给我的丫头们作衣裳的二十两银子还没动呢，你不嫌少，先拿了去用罢。”"
    en = ("Fortunately it so happens that I still haven't touched any of the twenty taels of silver that Her "
          "Ladyship gave me the other day to make clothes for the maids with.")
    assert names(zh, en) == []
    assert names(zh, en.replace("Ladyship", "Nanking")) == [
        ("A name in the English has no counterpart in the Chinese.", "— ↔ Nanking")]


def test_a_place_the_chinese_does_not_name_is_flagged():
    # MAC-Dev 006/149: 印度洋 ↔ Indian Ocean; 清华 "Tsinghua" is not in the Chinese
    zh = "也许是自己的死亡，像杨冬那样；也许是一场像前几年印度洋海啸那样的大灾难"
    en = ("Maybe my own death, like Yang Dong's. Or maybe it will be a disaster like the great tsunami that swept "
          "through the Indian Ocean more than a decade ago.")
    assert names(zh, en, {"杨冬": "Yang Dong"}) == []
    assert names(zh, en.replace("Indian", "Tsinghua"), {"杨冬": "Yang Dong"}) == [
        ("A name in the English has no counterpart in the Chinese.", "— ↔ Tsinghua")]


def test_a_hyphenated_rendering_is_found_by_its_parts():
    # The MFA's "Reality Check" page (tests/data/layouts): 中美 is "China-USA" in CC-CEDICT, "China-US" in the
    # English; before, every link naming 中美 was flagged.
    page = json.loads((Path(__file__).parent / "data" / "layouts" / "interleaved_en_reality_check_hant.json")
                      .read_text(encoding="utf-8"))
    zh, en = page["zh"][1], " ".join(page["en"][1:3])
    assert "中美" in zh and "China-US relations" in en
    assert names(zh, en) == []
    assert names(zh, en.replace("Houston", "Chicago")) == [
        ("A name differs between the two sides.", "休斯敦 ↔ Chicago")]


def test_a_latin_word_kept_in_the_chinese_and_an_accented_name_are_counterparts():
    # The W3C's clreq (Unicode written in the Chinese as in the English) and the MFA's press conference of
    # 19 August 2022 (艾莎塔, "aishata" in pinyin, ↔ Aïssata Tall Sall): no name flag.
    layouts = Path(__file__).parent / "data" / "layouts"
    w3c = json.loads((layouts / "trilingual_html_w3c_clreq.json").read_text(encoding="utf-8"))
    wang = json.loads((layouts / "heldout_interleaved_zh_wang_wenbin_press.json").read_text(encoding="utf-8"))
    zh = next(z for z in w3c["zh"] if "Unicode" in z)
    en = next(e for e in w3c["en"] if "Unicode" in e)
    assert names(zh, en) == []
    zh = next(z for z in wang["zh"] if "艾莎塔" in z)
    en = next(e for e in wang["en"] if "Aïssata" in e)
    assert [f for f in names(zh, en) if "艾莎塔" in f[1]] == []
