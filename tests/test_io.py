"""atomic_write: all or nothing, and an ordinary file at the end."""
from __future__ import annotations

import os
import stat

import pytest

from duizhao.errors import OutputError
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


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.tsv"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.tsv").symlink_to(real)
    with atomic_write(tmp_path / "link.tsv") as handle:
        handle.write("new")
    assert (tmp_path / "link.tsv").is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_pipe_or_device_is_written_to_not_replaced(tmp_path, fifo):
    pipe, read = fifo
    with atomic_write(pipe) as handle:
        handle.write("双方\n")
    assert read() == "双方\n".encode() and stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_full_disk_is_an_output_error_that_names_the_file(tmp_path, monkeypatch):
    import errno

    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match=r"cannot write .*out.tsv: No space left on device; free some disk space"):
        with atomic_write(tmp_path / "out.tsv") as handle:
            handle.write("x")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_an_output_error_and_leaves_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match=r"cannot write .*notes.txt/out.tsv: .*check that its folder exists and is writable"):
        with atomic_write(tmp_path / "notes.txt" / "out.tsv") as handle:
            handle.write("x")
    with pytest.raises(OutputError, match="is a folder: give a file name"):
        with atomic_write(tmp_path) as handle:
            handle.write("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_anonymous_pipe_reached_through_proc_is_written_to(tmp_path):
    # `-o /dev/stdout | less`: /dev/stdout links to /proc/self/fd/1, which names a pipe with no path.
    read_end, write_end = os.pipe()
    try:
        with atomic_write(f"/proc/self/fd/{write_end}") as handle:
            handle.write("双方\n")
        assert os.read(read_end, 100) == "双方\n".encode()
    finally:
        os.close(read_end)
        os.close(write_end)


def test_an_unwritable_cache_costs_the_build_and_nothing_else(tmp_path, monkeypatch):
    from duizhao.io import cached_pickle

    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("DUIZHAO_CACHE", str(tmp_path / "notes.txt" / "cache"))
    assert cached_pickle("answer", lambda: 42) == 42
