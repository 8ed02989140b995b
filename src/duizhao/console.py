"""Standard output as a command-line tool should treat it: a closed pipe ends quietly, a closed stream is
one error line, a stream that cannot encode Chinese escapes it."""
from __future__ import annotations

import sys

from .errors import ConfigError


class PipeClosed(Exception):
    """The reader of standard output went away (`duizhao … | head`): not an error, as for other Unix tools.
    Not an OSError, so that click's standalone mode does not turn it into exit status 1."""


class ClosedOutput:
    """Stands in for a closed standard output (`>&-`): the first write is one error line, not a traceback."""

    encoding = "utf-8"

    @property
    def buffer(self) -> ClosedOutput:
        return self

    def write(self, data: object) -> int:
        raise ConfigError("standard output is closed: give --output FILE, or run the command with stdout open")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("standard output is closed")


def emit(data: str | bytes) -> None:
    """Write to standard output; a closed pipe ends the command quietly (exit 0)."""
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed() from None


def prepare_streams() -> None:
    """A closed stdout is reported on first use; a stdout that cannot encode Chinese (PYTHONIOENCODING=ascii,
    an old locale) escapes it (`\\u53cc`, which JSON reads back) instead of failing mid-output."""
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    elif (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "") not in ("utf8", "utf16", "utf32", "gb18030"):
        try:
            sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
