"""Fixtures shared by several test files."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The tests' own cache of embeddings and dictionary indexes: never the user's (~/.cache/duizhao), so that a
# run neither depends on nor changes it. Set before any test (and every subprocess a test starts) reads it;
# git ignores .cache/, so a fresh clone starts empty and a rerun finds what the first run built.
TEST_CACHE = ROOT / ".cache" / "tests"
os.environ["DUIZHAO_CACHE"] = str(TEST_CACHE)

# The example page (examples/readout.txt), defined once for every test that needs its text: the links checked
# by hand in tests/data/readout_expected.json, and the page's sentences in reading order (as segmented).
READOUT_PAGE = ROOT / "examples" / "readout.txt"
READOUT_LINKS: list[dict[str, list[str]]] = json.loads(
    (ROOT / "tests" / "data" / "readout_expected.json").read_text(encoding="utf-8"))["links"]
READOUT_ZH: list[str] = [sentence for link in READOUT_LINKS for sentence in link["zh"]]
READOUT_EN: list[str] = [sentence for link in READOUT_LINKS for sentence in link["en"]]
# The page keeps two English sentences in one line, separated by a space and a no-break space.
READOUT_EN_NBSP_PAIR = f"{READOUT_EN[7]} \u00a0{READOUT_EN[8]}"


@pytest.fixture()
def readout_links() -> list[tuple[list[str], list[str]]]:
    """The example page's 28 links as (Chinese sentences, English sentences), checked by hand."""
    return [(link["zh"], link["en"]) for link in READOUT_LINKS]


@pytest.fixture()
def fifo(tmp_path):
    """A named pipe with a thread reading it: a stand-in for /dev/null or /dev/stdout, which a test must never
    risk replacing. Returns (path, read) where read() waits for the writer to finish and gives the bytes."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    got: list[bytes] = []
    def drain() -> None:
        with open(path, "rb") as pipe:
            got.append(pipe.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    def read() -> bytes:
        reader.join(10)
        return got[0] if got else b""

    return path, read
