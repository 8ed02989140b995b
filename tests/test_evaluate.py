"""Strict / lax P, R, F1 on hand-made cases whose counts are written out below, and against Vecalign's
own scorer (as shipped in `sentalign`) on random alignments."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duizhao.errors import FormatError, InputError
from duizhao.evaluate import (
    Counts,
    count,
    evaluate_files,
    evaluate_folders,
    parse_vecalign,
    read_links,
    score,
    score_corpus,
    strict_hits,
)
from duizhao.model import Bead
from test_intertext import EN, LINKS, ZH

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), ()), ((5,), (4,))]
PRED = [
    ((0,), (0,)),  # exactly gold: strict and lax
    ((1,), (1,)),  # shares zh 1 and en 1 with gold (1)-(1,2): lax only
    ((), (2,)),  # a 0-1 link gold does not have: wrong both ways
    ((2,), (3,)),  # inside gold (2,3)-(3): lax only
    ((3,), ()),  # a 1-0 link gold does not have: wrong both ways
    ((4, 5), (4,)),  # zh 5 - en 4 is gold: lax only
]


def test_hand_counted_example():
    # Precision over the 6 predicted links: 1 exact, 4 overlapping on both sides.
    # Recall over the 4 gold links with both sides (gold's 1-0 link is left out): 1 exact, 4 overlapped.
    assert count(GOLD, PRED) == Counts(predicted=6, predicted_strict=1, predicted_lax=4,
                                       gold=4, gold_strict=1, gold_lax=4)
    s = score(GOLD, PRED)
    assert (s.precision_strict, s.recall_strict) == (pytest.approx(1 / 6), pytest.approx(1 / 4))
    assert s.f1_strict == pytest.approx(0.2)  # 2·(1/6)(1/4) / (1/6 + 1/4)
    assert (s.precision_lax, s.recall_lax) == (pytest.approx(4 / 6), 1.0)
    assert s.f1_lax == pytest.approx(0.8)  # 2·(2/3)·1 / (2/3 + 1)


def test_a_predicted_deletion_that_gold_also_has_counts_for_precision_only():
    pred = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), ()), ((5,), (4,))]
    assert count(GOLD, pred) == Counts(5, 5, 5, 4, 4, 4)
    # Dropping the deletion leaves recall alone and precision perfect.
    assert count(GOLD, pred[:3] + pred[4:]) == Counts(4, 4, 4, 4, 4, 4)


def test_beads_and_tuples_score_alike_and_duplicates_count_once():
    beads = [Bead(zh, en, score=0.5) for zh, en in PRED]
    assert count(GOLD, beads) == count(GOLD, PRED + PRED[:2])


def test_nothing_predicted_scores_zero_without_dividing_by_zero():
    s = score(GOLD, [])
    assert (s.precision_strict, s.recall_strict, s.f1_strict, s.f1_lax) == (0.0, 0.0, 0.0, 0.0)
    assert s.counts == Counts(0, 0, 0, 4, 0, 0)


def test_corpus_sums_counts_over_documents():
    doc_a = ([((0,), (0,))], [((0,), (0,))])  # 1 of 1 right
    doc_b = ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [((0,), (1,)), ((1,), (2,)), ((2,), (0,))])  # 0 of 3
    s = score_corpus([doc_a, doc_b])
    assert s.counts == Counts(4, 1, 1, 4, 1, 1)
    assert s.precision_strict == s.recall_strict == s.f1_strict == 0.25  # a per-document average would say 0.5


def test_strict_hits_follow_prediction_order():
    assert strict_hits(GOLD, [Bead(zh, en) for zh, en in PRED]) == [True, False, False, False, False, False]


def test_vecalign_lines():
    beads = parse_vecalign("[0, 1]:[2]:0.87\n[]:[3]:0.0\n\n[2]:[]\n[3]:[4, 5]:-0.25\n")
    assert [(b.zh, b.en, b.score) for b in beads] == [
        ((0, 1), (2,), 0.87), ((), (3,), 0.0), ((2,), (), 0.0), ((3,), (4, 5), -0.25),
    ]
    with pytest.raises(FormatError, match=r"x:2: '0-1' is not a link; expected `\[zh ids\]:\[en ids\]`"):
        parse_vecalign("[0]:[0]\n0-1\n", "x")


@pytest.fixture()
def mac_like(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "ch.1_zh.xml").write_text(ZH, encoding="utf-8")
    (gold / "ch.1_en.xml").write_text(EN, encoding="utf-8")
    (gold / "ch.1_zh.1_en.xml").write_text(LINKS, encoding="utf-8")
    return gold


def test_files_intertext_gold_against_vecalign_prediction(mac_like, tmp_path):
    # Gold (from LINKS): (0)-(0), (1)-(1,2), (2)-(3), ()-(4), (3)-(5).
    pred = tmp_path / "pred.align"
    pred.write_text("[0]:[0]:0.9\n[1]:[1]:0.8\n[]:[2]:0.1\n[2]:[3, 4]:0.7\n[3]:[5]:0.9\n", encoding="utf-8")
    s = evaluate_files(mac_like / "ch.1_zh.1_en.xml", pred)
    # 5 predicted: (0)-(0), (3)-(5) exact; (1)-(1), (2)-(3,4) overlap; ()-(2) wrong. 4 gold with both sides.
    assert s.counts == Counts(5, 2, 4, 4, 2, 4)
    assert read_links(mac_like / "ch.1_zh.1_en.xml")[3].en == (4,)


@pytest.mark.parametrize("content, message", [
    ("", r"pred.align: no links in it"),
    ("[0]:[0]\n[1, 2]:[1, 2, 3, 4, 5]\n[3]:[6]\n",
     r"pred.align links English sentence 6 \(0-based\), but the gold links in .*ch.1_zh.1_en.xml end at 5: "
     r"are they links of the same document\?"),
    ("[0]:[0]\n[1, 2, 3, 9999]:[1, 2, 3, 4, 5]\n", r"links Chinese sentence 9999 \(0-based\), .* end at 3"),
])
def test_a_prediction_of_another_document_is_refused(mac_like, tmp_path, content, message):
    pred = tmp_path / "pred.align"
    pred.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        evaluate_files(mac_like / "ch.1_zh.1_en.xml", pred)


def test_folders_pair_files_by_name_or_stem(mac_like, tmp_path):
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    (pred_dir / "ch.1_zh.1_en.align").write_text("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[]:[4]\n[3]:[5]\n", encoding="utf-8")
    report = evaluate_folders(mac_like, pred_dir)
    assert [name for name, _ in report.documents] == ["ch.1_zh.1_en"]  # the two text files are not documents
    assert report.total.counts == Counts(5, 5, 5, 4, 4, 4)
    assert json.loads(json.dumps(report.as_dict()))["total"]["f1_strict"] == 1.0


def test_folders_name_the_missing_prediction(mac_like, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no single predicted links file for ch.1_zh.1_en.xml \(found none\): "
                                         r"name it ch.1_zh.1_en.xml or ch.1_zh.1_en.<ext>"):
        evaluate_folders(mac_like, empty)


# Random alignments of up to 12 sentences a side, links of 0-3 sentences each.
_ids = st.lists(st.integers(0, 11), min_size=0, max_size=3, unique=True).map(lambda xs: tuple(sorted(xs)))
_alignment = st.lists(st.tuples(_ids, _ids), max_size=12)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_alignment, _alignment), min_size=1, max_size=3))
def test_same_numbers_as_vecalign_scorer(documents):
    reference = pytest.importorskip("sentalign.score")  # Vecalign's score.py, in the bench extra
    want = reference.score_multiple(
        gold_list=[[(list(z), list(e)) for z, e in gold] for gold, _ in documents],
        test_list=[[(list(z), list(e)) for z, e in pred] for _, pred in documents],
    )
    got = score_corpus(documents)
    assert got.precision_strict == pytest.approx(want["precision_strict"])
    assert got.recall_strict == pytest.approx(want["recall_strict"])
    assert got.f1_strict == pytest.approx(want["f1_strict"])
    assert got.precision_lax == pytest.approx(want["precision_lax"])
    assert got.recall_lax == pytest.approx(want["recall_lax"])
    assert got.f1_lax == pytest.approx(want["f1_lax"])


def test_cli_scores_two_files_as_json_and_a_table(mac_like, tmp_path, capsys):
    from duizhao.cli import run

    pred = tmp_path / "pred.vecalign"
    pred.write_text("[0]:[0]:0.9\n[1]:[1]:0.8\n[]:[2]:0.1\n[2]:[3, 4]:0.7\n[3]:[5]:0.9\n", encoding="utf-8")
    assert run(["evaluate", "--gold", str(mac_like / "ch.1_zh.1_en.xml"), "--pred", str(pred), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["counts"] == {"predicted": 5, "predicted_strict": 2, "predicted_lax": 4,
                             "gold": 4, "gold_strict": 2, "gold_lax": 4}
    assert got["f1_strict"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert run(["evaluate", "--gold-dir", str(mac_like), "--pred-dir", str(mac_like)]) == 0
    table = capsys.readouterr().out
    assert "ch.1_zh.1_en" in table and "1.000" in table and "5/4" in table


def test_cli_refuses_half_given_options(mac_like, capsys):
    from duizhao.cli import run

    assert run(["evaluate", "--gold-dir", str(mac_like)]) == 2
    assert capsys.readouterr().err.strip() == "Error: --gold-dir and --pred-dir go together: give both folders"
    assert run(["evaluate"]) == 2
    message = " ".join(capsys.readouterr().err.split())  # the console may wrap a long line
    assert message == "Error: nothing to score: give --gold FILE --pred FILE, or --gold-dir DIR --pred-dir DIR"
