"""InterText XML: text files, link files (MAC's xtargets order), ids looked up in the right file."""
from __future__ import annotations

from pathlib import Path

import pytest

from duizhao.errors import FormatError, InputError
from duizhao.ingest.intertext import check_cover, load_intertext, read_links, read_text

# A hand-written trio in MAC's layout. Ids repeat across the two files ("1:1" is in both), and the
# English side has more sentences, so mixing up the files or the two halves of xtargets shows.
ZH = """<?xml version='1.0' encoding='utf-8'?>
<text>
  <p id="1">
    <s id="1:1">那天晚上我没走。</s>
    <s id="1:2">她承认不该打我，可她说我的伟大友谊是假的。</s>
  </p>
  <p id="2">
    <s id="2:1">我说，“你既然这么想，为什么还信我？”</s>
    <s id="2:2">第二天早上下雨了。</s>
  </p>
</text>
"""
EN = """<?xml version='1.0' encoding='utf-8'?>
<text>
  <p id="1">
    <s id="1:1">I did not leave that night.</s>
    <s id="1:2">She admitted she should not have slapped me.</s>
    <s id="1:3">But she said my great friendship was phony.</s>
  </p>
  <p id="2">
    <s id="2:1">I said, "If you think so, why did you believe me?"</s>
    <s id="2:2">A dog barked somewhere.</s>
    <s id="2:3">It rained the next morning.</s>
  </p>
</text>
"""
# Before ";" the English (toDoc) ids, after it the Chinese (fromDoc) ids, as in MAC.
LINKS = """<?xml version='1.0' encoding='utf-8'?>
<linkGrp toDoc='ch.1_en.xml' fromDoc='ch.1_zh.xml'>
<link type='1-1' xtargets='1:1;1:1' status='man'/>
<link type='2-1' xtargets='1:2 1:3;1:2' status='man'/>
<link type='1-1' xtargets='2:1;2:1' status='man'/>
<link type='1-0' xtargets='2:2;' status='man'/>
<link type='1-1' xtargets='2:3;2:2' status='man'/>
</linkGrp>
"""


@pytest.fixture()
def trio(tmp_path: Path) -> tuple[Path, Path, Path]:
    zh, en, links = tmp_path / "ch.1_zh.xml", tmp_path / "ch.1_en.xml", tmp_path / "ch.1_zh.1_en.xml"
    zh.write_text(ZH, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    links.write_text(LINKS, encoding="utf-8")
    return zh, en, links


def test_text_file_keeps_sentences_ids_and_paragraphs(trio):
    zh = read_text(trio[0])
    assert zh.ids == ["1:1", "1:2", "2:1", "2:2"]
    assert zh.paragraphs == [0, 0, 1, 1]
    assert zh.sentences[2] == "我说，“你既然这么想，为什么还信我？”"  # quotes and full-width commas untouched


def test_load_intertext_is_one_presegmented_paragraph_per_sentence(trio):
    source = load_intertext(trio[0], trio[1])
    assert source.presegmented is True
    assert [p.text for p in source.zh] == [
        "那天晚上我没走。", "她承认不该打我，可她说我的伟大友谊是假的。",
        "我说，“你既然这么想，为什么还信我？”", "第二天早上下雨了。",
    ]
    assert len(source.en) == 6
    assert source.en[5].text == "It rained the next morning."


def test_links_map_english_before_semicolon_and_chinese_after(trio):
    zh, en, links = trio
    beads = read_links(links, zh, en)
    assert [(b.zh, b.en) for b in beads] == [
        ((0,), (0,)),
        ((1,), (1, 2)),
        ((2,), (3,)),
        ((), (4,)),  # the dog barks only in English: a 0-1 link
        ((3,), (5,)),
    ]
    # The ids before ";" cover exactly the English file and those after it the Chinese file.
    check_cover(beads, n_zh=4, n_en=6)
    assert sorted(i for b in beads for i in b.en) == list(range(6))
    assert sorted(i for b in beads for i in b.zh) == list(range(4))


def test_links_find_their_text_files_from_the_link_group(trio):
    zh, en, links = trio
    assert [(b.zh, b.en) for b in read_links(links)] == [(b.zh, b.en) for b in read_links(links, zh, en)]


def test_incomplete_links_fail_the_cover_check(trio):
    zh, en, links = trio
    links.write_text(LINKS.replace("<link type='1-0' xtargets='2:2;' status='man'/>\n", ""), encoding="utf-8")
    beads = read_links(links, zh, en)
    with pytest.raises(FormatError, match=r"the en ids do not cover the 6 en sentences exactly once \(missing \[4\]"):
        check_cover(beads, n_zh=4, n_en=6)


def test_swapped_files_are_refused_with_the_fix(trio):
    zh, en, _ = trio
    with pytest.raises(InputError, match=r"the Chinese file goes first \(--zh-xml ZH.xml --en-xml EN.xml\)"):
        load_intertext(en, zh)


def test_an_id_missing_from_its_file_is_a_format_error(trio):
    zh, en, links = trio
    links.write_text(LINKS.replace("2:3;2:2", "2:3;2:9"), encoding="utf-8")
    with pytest.raises(FormatError, match=r"link 5 names sentence '2:9', which ch.1_zh.xml does not have"):
        read_links(links, zh, en)


def test_bad_xml_and_missing_files(tmp_path, trio):
    broken = tmp_path / "broken.xml"
    broken.write_text("<text><p><s id='1'>half", encoding="utf-8")
    with pytest.raises(FormatError, match="not valid XML"):
        read_text(broken)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "absent.xml")
    empty = tmp_path / "empty.xml"
    empty.write_text("<text><p id='1'></p></text>", encoding="utf-8")
    with pytest.raises(FormatError, match="no <s> elements"):
        read_text(empty)


def test_an_empty_sentence_is_refused_because_it_would_shift_the_ids(trio):
    zh, en, _ = trio
    en.write_text(EN.replace("A dog barked somewhere.", " "), encoding="utf-8")
    with pytest.raises(FormatError, match=r"sentence '2:2' is empty: remove it or give it its text"):
        load_intertext(zh, en)


def test_cli_aligns_an_intertext_pair_on_its_own_sentences(trio, tmp_path):
    from duizhao.cli import run
    from duizhao.evaluate import read_links as read_any_links

    out = tmp_path / "links.vecalign"
    zh, en, _ = trio
    assert run(["align", "--zh-xml", str(zh), "--en-xml", str(en), "--fast", "-f", "vecalign", "-o", str(out)]) == 0
    # Gold segmentation kept: the links use the 4 Chinese and 6 English <s> exactly once each.
    check_cover(read_any_links(out), n_zh=4, n_en=6)


def test_cli_wants_both_xml_sides(trio, capsys):
    from duizhao.cli import run

    assert run(["align", "--zh-xml", str(trio[0])]) == 2
    assert capsys.readouterr().err.strip() == "Error: --zh-xml and --en-xml go together: give both sides"


def test_load_intertext_keeps_the_paragraph_of_each_sentence(trio):
    from duizhao.segment import segment

    document = segment(load_intertext(trio[0], trio[1]))
    assert [s.paragraph for s in document.zh] == [0, 0, 1, 1]
    assert [s.paragraph for s in document.en] == [0, 0, 0, 1, 1, 1]
    assert [s.text for s in document.en][3] == 'I said, "If you think so, why did you believe me?"'
