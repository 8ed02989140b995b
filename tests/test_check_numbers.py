"""The number check on real sentence pairs of MAC-Dev (chapter and link in each comment) and their mutations
by `benchmarks/checks_bench.py`: a clean pair raises no number flag, the mutated one raises exactly this one."""
from __future__ import annotations

from duizhao.check.numbers import anchor_flags


def numbers(zh: str, en: str) -> list[tuple[str, str]]:
    return [(f.type, f.evidence) for f in anchor_flags(zh, en)]


def test_a_numeral_inside_a_chinese_word_accounts_for_the_english_number():
    # 002/141 四菜一汤, 003/23 一家四口, 004/44 三表新, 005/65 三面墙: no count the anchor finder takes, but the value
    assert numbers("只见桌上放着碗筷，四菜一汤，没人动过", "four dishes and a soup, all untouched.") == []
    assert numbers("一家四口，以务农为业。", "The four of them depended on agriculture for their living") == []
    assert numbers("那三面墙的房间看起来是布景", "That three-walled bedroom seemed to be the set") == []
    # ... and not a different number
    assert numbers("那三面墙的房间看起来是布景", "That five-walled bedroom seemed to be the set") == [
        ("number", "— ↔ five")]


def test_decades_are_tens_of_years():
    # 005/1
    assert numbers("四十年的故事都是从去片厂这一天开始的。", "FOUR DECADES THE story spans") == []
    assert numbers("三十年的故事都是从去片厂这一天开始的。", "FOUR DECADES THE story spans") == [
        ("number", "三十 ↔ FOUR")]


def test_a_clock_time_is_no_estimate():
    # 006/65: 差十分钟凌晨一点 ↔ "ten to one"; "eleven to one" is a different time, not a range of numbers
    zh = "直到差十分钟凌晨一点时，沙瑞山才接受了汪淼的多次提议，起身返回实验室。"
    assert numbers(zh, "It was only at ten to one in the morning that Sha finally gave in") == []
    assert numbers(zh, "It was only at eleven to one in the morning that Sha finally gave in") == [
        ("number", "十 ↔ eleven")]


def test_two_estimates_must_give_the_same_numbers():
    # 003/134 八九下 ↔ "eight or nine"; 005/53 三四点 ↔ "three or four"
    zh = "接着一连又是八九下，欲待问时"
    assert numbers(zh, "The dong! was followed in rapid succession by eight or nine others") == []
    assert numbers(zh, "The dong! was followed in rapid succession by eight or ten others") == [
        ("number", "八九 ↔ eight")]
    assert numbers("下午三四点的太阳有点人意阑珊的", "It was three or four o'clock, the sunlight was waning") == []
    assert numbers("下午三四点的太阳有点人意阑珊的", "It was four or four o'clock, the sunlight was waning") == [
        ("number", "三四 ↔ four")]


def test_over_three_hundred_is_below_four_hundred_and_a_dozen_is_twelve():
    # 003/16: 三百余 "more than three hundred", 一二十件 "a dozen or more"
    zh = "且说荣府中合算起来，从上至下，也有三百余口人，一天也有一二十件事"
    en = "numbered more than {} hundred souls, who produced between them a dozen or more incidents in a single day."
    assert numbers(zh, en.format("three")) == []
    assert numbers(zh, en.format("four")) == [("number", "— ↔ four hundred")]


def test_a_set_phrase_rendered_word_for_word_keeps_its_numbers():
    # 004/68: 千般的温存，万种的风流 ↔ "of a thousand kinds, ... ten thousand varieties"
    zh = "这一张桃腮杏脸，千般的温存，万种的风流，难道真要由一个麻风病人去消受？"
    en = "a face as fresh as peaches and apricots, gentility of a thousand kinds, and {} thousand varieties of elegance"
    assert numbers(zh, en.format("ten")) == []
    assert numbers(zh, en.format("eleven")) == [("number", "— ↔ eleven thousand")]


def test_a_range_of_percentages_and_a_month_of_a_year():
    # 006/10 百分之一至百分之五 ↔ "between one and five percent"; 006/2 1989年11月 ↔ "November of 1989"
    assert numbers("振幅在百分之一至百分之五之间。", "between one and five percent,\" he said") == []
    assert numbers("振幅在百分之一至百分之六之间。", "between one and five percent,\" he said") == [
        ("number", "百分之六 ↔ five")]
    assert numbers("1989年11月升空、即将淘汰的微波背景探测卫星COBE", "COBE, launched in November of 1989") == []
    assert numbers("1989年11月升空、即将淘汰的微波背景探测卫星COBE", "COBE, launched in November of 1988") == [
        ("date", "1989年11月 ↔ November of 1988")]


def test_an_estimate_in_digits_spans_its_last_digits_place():
    # tests/data/layouts/heldout_interleaved_zh_wang_yi_press_hant (the MFA, Wang Yi's press conference):
    # 30多個 "over 30" is 30 to 39, as 三十多 is; 100多 would be 100 to 199 (the place of the last non-zero digit)
    zh = "30多個國家同我們簽署了共建“一帶一路”合作協議。"
    en = "over {} countries have signed agreements with us to jointly build the Belt and Road."
    assert numbers(zh, en.format("30")) == []
    assert numbers(zh, en.format("35")) == []
    assert numbers(zh, en.format("40")) == [("number", "— ↔ 40")]
    assert numbers(zh.replace("30", "100"), en.format("150")) == []
    assert numbers(zh.replace("30", "100"), en.format("200")) == [("number", "— ↔ 200")]


def test_a_count_of_centuries_is_either_the_count_or_the_years_and_an_ordinal_is_never_scaled():
    # 005/1 as in test_decades_are_tens_of_years, its count of decades made one of centuries on both sides:
    # 两个世纪 and 两百年 are both "two centuries"; 三百年 is not
    en = "TWO CENTURIES THE story spans"
    assert numbers("两个世纪的故事都是从去片厂这一天开始的。", en) == []
    assert numbers("两百年的故事都是从去片厂这一天开始的。", en) == []
    assert numbers("三百年的故事都是从去片厂这一天开始的。", en) == [("number", "三百 ↔ TWO")]
    # The official name of the Belt and Road's sea route (Belt and Road Portal, yidaiyilu.gov.cn): the 21st century
    # is the 21st, not the 2100th
    zh, en = "丝绸之路经济带和21世纪海上丝绸之路", "the Silk Road Economic Belt and the 21st Century Maritime Silk Road"
    assert numbers(zh, en) == []
    assert numbers(zh.replace("21", "20"), en) == [("number", "20 ↔ 21st")]


def test_half_a_dozen_is_six():
    # 006/1:193 ↔ 1:134 (上面还有十几副 ↔ "I have a dozen more pairs upstairs."), its estimate made a count on both
    # sides: 六 is "half a dozen" or "a half-dozen", 十二 is "a dozen" and not half of one
    assert numbers("上面还有六副", "I have half a dozen more pairs upstairs.") == []
    assert numbers("上面还有六副", "I have a half-dozen more pairs upstairs.") == []
    assert numbers("上面还有十二副", "I have a dozen more pairs upstairs.") == []
    assert numbers("上面还有十二副", "I have half a dozen more pairs upstairs.") == [("number", "十二 ↔ half a dozen")]


def _layout_page(name: str) -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / "layouts" / f"{name}.json").read_text(encoding="utf-8"))


def _linked(page: dict) -> list[tuple[str, str]]:
    """The gold links' two sides, joined."""
    return [("".join(page["zh"][i] for i in zh), " ".join(page["en"][i] for i in en)) for zh, en in page["links"]]


def test_a_latin_name_kept_in_the_chinese_may_be_joined_or_inflected_in_the_english():
    # Real READMEs (tests/data/layouts): Python ↔ Python-based, Qt6 ↔ Qt6-based, Mapper ↔ Mappers, HUD ↔ HUDs
    lanchat, fceux = _layout_page("heldout_interleaved_md_lanchat_readme"), _layout_page("table_md_fceux11_readme")
    pairs = [(lanchat["zh"][1], lanchat["en"][1])] + [
        (z, e) for z, e in _linked(fceux) if any(w in z for w in ("Qt6", "Mapper", "HUD"))]
    assert len(pairs) == 4
    assert [numbers(z, e) for z, e in pairs] == [[], [], [], []]
    # the name itself gone from the English is still seen
    assert numbers(pairs[0][0], pairs[0][1].replace("Python-based", "desktop")) == [("name", "Python ↔ —")]
