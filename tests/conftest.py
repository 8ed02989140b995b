"""Fixtures shared by several test files."""
from __future__ import annotations

import os
import threading

import pytest


@pytest.fixture()
def fifo(tmp_path):
    """A named pipe with a thread reading it: a stand-in for /dev/null or /dev/stdout, which a test must never
    risk replacing. Returns (path, read) where read() waits for the writer to finish and gives the bytes."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(open(path, "rb").read()), daemon=True)
    reader.start()

    def read() -> bytes:
        reader.join(10)
        return got[0] if got else b""

    return path, read
