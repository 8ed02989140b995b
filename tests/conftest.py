"""Fixtures shared by several test files."""
from __future__ import annotations

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
