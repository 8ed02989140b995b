"""atomic_write: all or nothing, and an ordinary file at the end."""
from __future__ import annotations

import os
import stat

import pytest

from duizhao.io import atomic_write


def test_written_file_has_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "out.txt") as handle:
            handle.write("双方\r\n")
    finally:
        os.umask(old)
    path = tmp_path / "out.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_bytes() == "双方\r\n".encode()  # newline="\n": nothing translated


def test_a_failing_writer_leaves_nothing_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as handle:
            handle.write("half")
            raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
