"""Review edits as pure functions over stored links: exact results, no database."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import READOUT_EN, READOUT_LINKS, READOUT_ZH
from duizhao.errors import EditError, NotFoundError
from duizhao.model import Flag
from duizhao.store.edits import Change, StoredLink, merge, move, review, review_state, split

DATE = Flag("date", "a date on one side only", "10月22日 ↔ —")


def page_links() -> list[StoredLink]:
    """The example page's first five links (ids as in tests/data/readout_expected.json), one flagged."""
    links, zh, en = [], 0, 0
    for number, link in enumerate(READOUT_LINKS[:5]):
        ids_zh = tuple(range(zh, zh + len(link["zh"])))
        ids_en = tuple(range(en, en + len(link["en"])))
        zh, en = zh + len(ids_zh), en + len(ids_en)
        links.append(StoredLink(ids_zh, ids_en, 0.5 + number / 10, (DATE,) if number == 3 else ()))
    return links


def lengths(lang: str, ids: tuple[int, ...]) -> list[int]:
    return [len((READOUT_ZH if lang == "zh" else READOUT_EN)[i]) for i in ids]


def test_the_page_links_are_what_the_fixture_says():
    assert [(link.zh, link.en) for link in page_links()] == [
        ((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]


def test_merge_joins_a_link_with_the_next_and_keeps_the_weaker_score():
    links = page_links()
    assert merge(links, 2, doc_reviewed=False) == Change(
        2, 2, [StoredLink((2, 3), (1, 2), 0.7, (DATE,), reviewed=True)], False)
    with pytest.raises(EditError, match="^link 4 is the last one: there is no next link to merge it with$"):
        merge(links, 4, False)
    with pytest.raises(NotFoundError, match="^no link 5: this document has links 0 to 4$"):
        merge(links, 5, False)


def test_split_without_a_cut_separates_a_one_to_one_link():
    assert split(page_links(), 1, None, None, True, lengths) == Change(1, 1, [
        StoredLink((1,), (), 0.6, reviewed=True), StoredLink((), (0,), 0.6, reviewed=True)], True)


def test_split_at_one_side_cuts_the_other_where_the_share_of_characters_matches():
    link = StoredLink((5, 6), (4, 5, 6), 0.9, (DATE,))
    # Chinese 13 + 61 characters: a cut after the first is 18% in; English 61 + 162 + 314: after the
    # first is 11%, after the second 42%, so the English is cut after its first sentence.
    assert lengths("zh", (5, 6)) == [13, 61] and lengths("en", (4, 5, 6)) == [61, 162, 314]
    assert split([link], 0, 1, None, False, lengths) == Change(0, 1, [
        StoredLink((5,), (4,), 0.9, (DATE,), True), StoredLink((6,), (5, 6), 0.9, (DATE,), True)], False)
    with pytest.raises(EditError, match="^link 0 cannot be split there: one part would be empty$"):
        split([link], 0, 0, 0, False, lengths)
    with pytest.raises(EditError, match="^zh_at 3 is out of range: link 0 has 2 Chinese and 3 English sentences$"):
        split([link], 0, 3, None, False, lengths)


def test_move_sends_a_boundary_sentence_to_the_neighbour_and_drops_an_empty_link():
    links = page_links()
    assert move(links, 1, "zh", "up", False) == Change(0, 2, [
        StoredLink((0, 1), (), 0.5, reviewed=True), StoredLink((), (0,), 0.6, reviewed=True)], False)
    assert move(links, 2, "en", "down", False) == Change(2, 2, [
        StoredLink((2,), (), 0.7, reviewed=True), StoredLink((3,), (1, 2), 0.8, (DATE,), True)], False)
    assert move(links, 0, "zh", "down", False) == Change(0, 2, [
        StoredLink((0, 1), (0,), 0.6, reviewed=True)], False)
    with pytest.raises(EditError, match="^the first link has no previous link to move a sentence to$"):
        move(links, 0, "zh", "up", False)
    with pytest.raises(EditError, match="^link 0 has no en sentence to move$"):
        move(links, 0, "en", "down", False)
    with pytest.raises(EditError, match="^unknown direction 'left': use up or down$"):
        move(links, 1, "zh", "left", False)


def test_review_marks_one_link_or_the_whole_document():
    links = page_links()
    assert review(links, 3, True, False) == Change(3, 1, [StoredLink((3,), (2,), 0.8, (DATE,), True)], False)
    assert review(links, None, True, False) == Change(0, 5, [
        StoredLink(link.zh, link.en, link.score, link.flags, True) for link in links], True)
    # a link marked not reviewed makes the document not reviewed either
    assert review(links, 3, False, True).doc_reviewed is False


def test_the_stored_form_and_the_review_state_are_the_stores_json():
    link = page_links()[3]
    assert link.as_dict() == {"zh": [3], "en": [2], "score": 0.8, "flags": [DATE.as_dict()], "reviewed": False}
    assert StoredLink.from_dict(link.as_dict()) == link
    summary = [[list(x.zh), list(x.en), x.reviewed] for x in page_links()]
    want = hashlib.blake2b(json.dumps([summary, False, 7]).encode(), digest_size=8).hexdigest()
    assert review_state(page_links(), False, 7) == want
