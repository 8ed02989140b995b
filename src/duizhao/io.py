"""Small I/O helpers shared by every writer: nothing half-written, UTF-8 with "\n" everywhere."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterator, TypeVar

from .errors import OutputError

T = TypeVar("T")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds.

    A symbolic link is written through (its target is replaced, the link stays), and anything that is not a
    regular file or a folder (/dev/null, a named pipe) is written to directly: renaming over a device would
    replace the device. A path that cannot be written (a read-only folder, a full disk) is an OutputError.
    """
    options: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    try:
        kind = os.stat(path).st_mode  # follows links: /dev/stdout → /proc/self/fd/1 → a pipe
    except OSError:
        kind = None  # missing (or a dangling link): a new file
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        with writing(Path(path)), open(path, mode, **options) as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))  # through a link to a regular file: replace the file, keep the link
    with writing(target):
        if target.is_dir():
            raise OutputError(f"{path} is a folder: give a file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with writing(target):
            with os.fdopen(fd, mode, **options) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())  # the data is on disk before the rename makes it the file
            # mkstemp makes the file private (0600); an output file gets the usual permissions (umask).
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
            with contextlib.suppress(OSError):  # and the rename itself (the folder's entry)
                folder = os.open(target.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def writing(target: Path) -> Iterator[None]:
    """OSErrors while writing `target` as one OutputError that names it and why."""
    try:
        yield
    except OSError as err:
        hint = "free some disk space" if err.errno == errno.ENOSPC else "check that its folder exists and is writable"
        raise OutputError(f"cannot write {printable_path(target)}: {err.strerror or err}; {hint}") from err


def printable_path(path: str | os.PathLike) -> str:
    """`path` as text that any UTF-8 output can hold.

    A file name that is not UTF-8 (GBK bytes from a zip made on Windows) comes back from the OS as lone
    surrogates, which no UTF-8 file, database or terminal accepts; its undecodable bytes are shown as \\xNN.
    """
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_ID_CHUNK = 1 << 20  # files are hashed in 1 MiB pieces: a 100 MB file is never held in memory


def content_id(data: bytes) -> str:
    """A document's identity: the SHA-256 of its bytes, in hex. `duizhao add` (the store) and `duizhao batch`
    (its shards) name a document by it, so the same file has the same id in both."""
    return hashlib.sha256(data).hexdigest()


def file_content_id(path: str | os.PathLike) -> str:
    """`content_id` of a file's bytes, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_ID_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_folder() -> Path:
    """Where duizhao keeps what it can rebuild: $DUIZHAO_CACHE, else $XDG_CACHE_HOME/duizhao, else ~/.cache/duizhao."""
    root = os.environ.get("DUIZHAO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "duizhao"
    )
    return Path(root)


def cached_pickle(name: str, build: Callable[[], T], *, stale_prefix: str | None = None) -> T:
    """Load `name` from the cache folder, or build it and keep it there for the next process.

    `name` carries whatever the value depends on (a data version, a format number); files starting with
    `stale_prefix` but named otherwise are older versions and are removed. An unreadable or unwritable
    cache costs the build, nothing else.
    """
    path = cache_folder() / f"{name}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    try:
        with atomic_write(path, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        if stale_prefix:
            for old in path.parent.glob(f"{stale_prefix}*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
    except (OSError, OutputError):  # atomic_write reports an unwritable place as OutputError
        pass
    return value
