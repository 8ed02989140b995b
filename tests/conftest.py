"""Fixtures shared by several test files."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
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


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`duizhao ARGS` in this process (no interpreter start, models already loaded): exit status, stdout and
    stderr as bytes, as `subprocess.run` would give them. Standard input and output are not terminals, as
    under a pipe; the table renders 200 columns wide."""
    from duizhao import cli

    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    widths = cli.stdout.width, cli.stderr.width
    streams = (io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", newline="\n", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = streams
    cli.stdout.width = cli.stderr.width = 200
    try:
        with contextlib.chdir(cwd or ROOT):
            code = cli.run([*args])
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        cli.stdout.width, cli.stderr.width = widths
        for stream in streams:
            stream.flush()
            stream.detach()  # a dropped wrapper would close the buffer it wraps
    return subprocess.CompletedProcess(["duizhao", *args], code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m duizhao.cli ARGS` as a real process: for what only a process shows (a pipe, standard input,
    the exit status of the interpreter)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "duizhao.cli", *args],
                          input=stdin, capture_output=True, cwd=cwd or ROOT, env=env, timeout=600)
