"""The glossary: the example page's people, places and organisations with their renderings, no noise pairs,
and files a CAT tool can read."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from duizhao.cli import run
from duizhao.errors import ConfigError
from duizhao.glossary import Term, dumps, extract, write
from test_check import LINKS, build

GOLD = list(csv.DictReader((Path(__file__).parent / "data" / "readout_glossary_gold.csv").open(encoding="utf-8")))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def matches(term: Term, row: dict) -> bool:
    return term.zh == row["zh"] and term.en.lower() in {e.lower() for e in row["en"].split("|")}


@pytest.fixture(scope="module")
def page_terms() -> list[Term]:
    return extract([build(LINKS)])


def test_every_pair_found_on_the_example_page_is_right(page_terms):
    wrong = [(t.zh, t.en) for t in page_terms if not any(matches(t, row) for row in GOLD)]
    assert wrong == []
    assert len(page_terms) == 34


def test_the_people_places_and_organisations_of_the_example_page(page_terms):
    gold = [row for row in GOLD if row["status"] == "gold"]
    missed = [row["zh"] for row in gold if not any(matches(t, row) for t in page_terms)]
    # What it cannot find yet: 习主席 (习 is one character), 东中国海 ("South and East China Seas" shares its
    # words), the commission's long name, 第28届联合国气候变化大会 ↔ COP28 (an acronym for a phrase), and
    # 国务卿 ↔ Secretary of State (said in full only once).
    assert missed == ["习主席", "东中国海", "中共中央外事工作委员会", "第28届联合国气候变化大会", "国务卿"]
    assert len(gold) - len(missed) == 29


def test_kinds_counts_and_evidence(page_terms):
    by_zh = {t.zh: t for t in page_terms}
    assert (by_zh["布林肯"].en, by_zh["布林肯"].kind, by_zh["布林肯"].evidence) == ("Blinken", "person", "transliteration")
    assert (by_zh["马修·米勒"].en, by_zh["马修·米勒"].kind) == ("Matthew Miller", "person")
    assert (by_zh["第二托马斯浅滩"].en, by_zh["第二托马斯浅滩"].kind) == ("Second Thomas Shoal", "place")
    assert (by_zh["哈马斯"].en, by_zh["哈马斯"].kind) == ("Hamas", "org")
    assert (by_zh["乌克兰"].en, by_zh["乌克兰"].kind) == ("Ukraine", "place")
    assert (by_zh["中华人民共和国"].en, by_zh["中华人民共和国"].count) == ("PRC", 6)
    assert (by_zh["沟通渠道"].en, by_zh["沟通渠道"].kind) == ("lines of communication", "term")
    assert by_zh["巴厘岛"].example.startswith("双方继续探讨拜登总统和习主席去年11月在巴厘岛")
    assert " ↔ " in by_zh["巴厘岛"].example and "in Bali last November" in by_zh["巴厘岛"].example


def test_no_noise_pairs_of_common_words():
    links = [
        {"zh": ["布林肯访问了北京。"], "en": ["Blinken visited Beijing."]},
        {"zh": ["双方讨论了重要问题。"], "en": ["The two sides discussed important issues."]},
        {"zh": ["双方讨论了重要问题和人权问题。"], "en": ["The two sides discussed important issues and human rights."]},
        {"zh": ["布林肯在记者会上谈到人权。"], "en": ["Blinken spoke about human rights at the press conference."]},
        {"zh": ["双方讨论了重要问题。"], "en": ["The two sides discussed important issues."]},
    ]
    got = [(t.zh, t.en, t.kind, t.count) for t in extract([build(links)])]
    assert got == [("布林肯", "Blinken", "person", 2), ("北京", "Beijing", "place", 1),
                   ("人权", "human rights", "term", 2)]


def test_lone_links_are_not_read():
    links = [{"zh": ["布林肯访问了北京。"], "en": []}, {"zh": [], "en": ["Blinken visited Beijing."]}]
    assert extract([build(links)]) == []


def test_csv_and_jsonl(page_terms):
    rows = list(csv.DictReader(io.StringIO(dumps(page_terms, "csv"))))
    assert len(rows) == len(page_terms)
    assert rows[0] == {"zh": "布林肯", "en": "Blinken", "kind": "person", "count": "2", "evidence": "transliteration",
                       "score": "1.0", "example": page_terms[0].example}
    records = [json.loads(line) for line in dumps(page_terms, "jsonl").splitlines()]
    assert records[0] == page_terms[0].as_dict()
    assert [Term(**r) for r in records] == page_terms


def test_tbx_is_tbx_basic_with_one_entry_per_pair(page_terms):
    root = ET.fromstring(dumps(page_terms, "tbx"))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("./text/body/termEntry")
    assert len(entries) == len(page_terms)
    first = entries[0]
    sides = {ls.get(XML_LANG): ls for ls in first.findall("langSet")}
    assert set(sides) == {"zh", "en"}
    assert sides["zh"].find("tig/term").text == "布林肯"
    assert sides["en"].find("tig/term").text == "Blinken"
    assert sides["en"].find("tig/termNote[@type='partOfSpeech']").text == "properNoun"
    assert first.find("note").text == "person; 2 links; transliteration"


def test_write_picks_the_format_from_the_extension(tmp_path, page_terms):
    path = write(page_terms[:2], tmp_path / "terms.jsonl")
    assert [json.loads(line)["zh"] for line in path.read_text(encoding="utf-8").splitlines()] == ["布林肯", "王毅"]
    assert not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(ConfigError, match="cannot tell the glossary format of 'terms.txt': use --format csv, tbx or jsonl"):
        write(page_terms, tmp_path / "terms.txt")
    with pytest.raises(ConfigError, match="unknown glossary format 'xlsx': use one of csv, tbx, jsonl"):
        dumps(page_terms, "xlsx")


def test_cli_reads_a_corpus_store(tmp_path, capsys):
    from duizhao.store import Store

    db = tmp_path / "corpus.db"
    with Store(db) as store:
        store.add(build(LINKS), "readout")
    assert run(["glossary", "--db", str(db), "--format", "tbx", "--output", str(tmp_path / "g.tbx")]) == 0
    entries = ET.parse(tmp_path / "g.tbx").getroot().findall("./text/body/termEntry")
    assert len(entries) == 34
    assert run(["glossary", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "zh,en,kind,count,evidence,score,example"
    assert out.splitlines()[1].startswith("布林肯,Blinken,person,2,transliteration,")


def test_cli_errors_state_the_fix(tmp_path, capsys):
    assert run(["glossary"]) == 2
    assert "Error: nothing to read: give a bilingual FILE, or --db PATH" in capsys.readouterr().err
    assert run(["glossary", "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err
    assert f"Error: no corpus at {tmp_path / 'none.db'}" in err


def test_cli_aligns_an_input_file_first(capsys):
    example = Path(__file__).resolve().parents[1] / "examples" / "readout.txt"
    assert run(["glossary", str(example), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    pairs = {(r["zh"], r["en"]) for r in records}
    assert {("布林肯", "Blinken"), ("第二托马斯浅滩", "Second Thomas Shoal"), ("哈马斯", "Hamas")} <= pairs
    assert all(set(r) == {"zh", "en", "kind", "count", "example", "evidence", "score"} for r in records)
    # Without the encoder the example page aligns the same, so its names are the same.
    assert run(["glossary", str(example), "--format", "jsonl", "--fast"]) == 0
    fast = {(r["zh"], r["en"]) for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert fast == pairs
    assert run(["glossary", "--db", "c.db", "--fast"]) == 2
    assert "Error: --fast is how INPUT files are aligned" in capsys.readouterr().err


def test_names_only_and_a_spread_sample_of_links(page_terms):
    alignment = build(LINKS)
    names_only = extract([alignment], terms=False)
    assert [t for t in page_terms if t.kind != "term"] == names_only
    # Eight links spread over the page: each name found comes from a link in the sample.
    linked = [b for b in alignment.beads if b.zh and b.en]
    sample = [linked[k * len(linked) // 8] for k in range(8)]
    sampled = extract([alignment], terms=False, max_links=8)
    assert sampled and all(any(t.zh in alignment.zh_text(b) for b in sample) for t in sampled)
    assert {(t.zh, t.en) for t in sampled} < {(t.zh, t.en) for t in names_only}
