"""The web app's searches: bounded in time and work, run beside the pages (in worker processes under
`serve`), computed once for identical concurrent requests and cached until the corpus changes in a way that
can change an answer. `benchmarks/web_load.py` measures them under load (BENCHMARKS.md, "Web app under load").
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool

from ..errors import DuizhaoError
from ..model import Lang
from ..store import Store

SEARCH_CACHE_SIZE = 256
# Searches have their own few threads, beside the pages': a search of a common term reads much of the corpus,
# and many at once would only share the one GIL while the pages (milliseconds each) wait behind them.
SEARCH_THREADS = 2  # SQLite releases the GIL: two searches use both cores of a small machine
# `serve` runs searches in this many worker processes instead of threads, so that a search's Python work
# (the likely rendering) never holds the GIL of the process that serves the pages. 0: threads (tests).
SEARCH_PROCESSES = 2
SEARCH_SECONDS = 10.0  # a search's time, waiting for its turn included, before it is stopped with a message
# A page of hits needs no exact count of a very common term ("the", 的): counting stops at SEARCH_MOST links
# (shown as "1000+"), and the likely rendering is estimated from the first SEARCH_SAMPLE of them.
SEARCH_MOST = 1000
SEARCH_SAMPLE = 100


class Busy(DuizhaoError):
    """The server is already doing this kind of long work (answered with 503 and a message)."""


def worker_start(parent: int) -> None:
    """A search process: load the dictionaries and the segmenter before the first search needs them, and
    exit when the server is gone (killed, so that nothing shut the pool down), instead of staying idle."""
    from ..chinese import cedict, quiet_jieba, to_simplified
    from ..lexicon import Lexicon
    from ..names import NameIndex

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    quiet_jieba().initialize()
    cedict().get_entry("中国")
    to_simplified("中國")
    Lexicon.get().tokens_zh("中国")
    NameIndex.get().romanised("王毅")


def search(db_path: Path, term: str, lang: Lang | None, limit: int, most: int, sample: int, seconds: float,
           queued_at: float, what: str) -> Any:
    """One search, bounded in time and work (in a search process, or a thread): `seconds` from `queued_at`
    (`time.time()`, the clock that a search process shares with the server), its wait in the queue included."""
    queued = max(0.0, time.time() - queued_at)
    seconds -= queued
    if seconds < 1 <= queued:  # the time went in the queue of the search processes (starting, or busy)
        raise Busy(f"the server is busy with other searches and {what} waited {queued:.0f} s for a search "
                   "process: try again in a few seconds")
    with Store(db_path, create=False, readonly=True) as store, store.time_limit(seconds, what):
        return store.search(term, lang, limit, most=most, sample=sample)


SearchKey = tuple[str, str | None, int, int]


class Searches:
    """The searches of one app over the corpus at `db_path`. `writing()` says whether the app is writing
    now; the app calls `before_write()` and `after_write()` around each of its writes and `changed()` after
    one that can change an answer (documents added, links regrouped)."""

    def __init__(self, db_path: Path, processes: int, writing: Callable[[], bool]) -> None:
        self.db_path = db_path
        self.processes = processes
        self.writing = writing
        self.limiter = anyio.CapacityLimiter(SEARCH_THREADS)
        self.cache: dict[SearchKey, Any] = {}
        self.in_flight: dict[SearchKey, asyncio.Future] = {}
        self.pool: Any = None  # the search processes' ProcessPoolExecutor, when there are any
        # What a cached search depends on: a generation, counted up by every change that can alter a
        # search's answer (documents added, links regrouped, a write by another program). Marking links
        # reviewed does not: a reviewer at work keeps everybody's searches cached.
        self.generation = 0
        self.seen = self.corpus_state()  # the files as this app last left or saw them
        self.lock = threading.Lock()

    def corpus_state(self) -> tuple:
        # the corpus files as they are now: `duizhao add` from the command line changes them too. An empty
        # WAL file is no change (the first reader of a corpus creates one).
        state: list[tuple[int, int] | None] = []
        for suffix in ("", "-wal"):
            try:
                info = os.stat(f"{self.db_path}{suffix}")
                state.append((info.st_mtime_ns, info.st_size) if info.st_size or not suffix else None)
            except OSError:
                state.append(None)
        return tuple(state)

    def changed(self) -> None:
        # called from the event loop and from a writing thread: a new dict, never one being read, changes
        with self.lock:
            self.generation += 1
            self.cache = {}

    def before_write(self) -> None:
        if self.corpus_state() != self.seen:
            self.changed()  # written by another program (`duizhao add`) since this app last looked

    def after_write(self) -> None:
        self.seen = self.corpus_state()  # this app's own write

    def current_generation(self) -> int:
        # While this app writes, the files change because of that write: it is looked at when it ends.
        if not self.writing() and self.corpus_state() != self.seen:
            self.seen = self.corpus_state()
            self.changed()  # another program wrote
        return self.generation

    def start(self) -> list[Any]:
        """Start the search processes (if any); the futures complete when they have loaded."""
        if not self.processes:
            return []
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: a fork of a process with threads (uvicorn's, SQLite's) is not safe
        self.pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=worker_start, initargs=(os.getpid(),))
        # start them now, not at the first search: loading the dictionaries takes seconds
        return [self.pool.submit(int) for _ in range(self.processes)]

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, term: str, lang: Lang | None, limit: int) -> Any:
        """SEARCH_THREADS searches at a time, each within SEARCH_SECONDS of its request, the wait for its turn
        included, and bounded (SEARCH_MOST, SEARCH_SAMPLE)."""
        from concurrent.futures.process import BrokenProcessPool

        started = time.monotonic()
        what = f"the search for {term[:40]!r}"
        async with self.limiter:
            waited = time.monotonic() - started
            left = SEARCH_SECONDS - waited
            if left < 1 <= waited:  # the wait for a turn took the time: the server is busy, not the term costly
                raise Busy(f"the server is busy with other searches and {what} waited {SEARCH_SECONDS:.0f} s "
                           "for its turn: try again in a few seconds")
            args = (self.db_path, term, lang, limit, SEARCH_MOST, SEARCH_SAMPLE, left, time.time(), what)
            if self.pool is None:
                return await run_in_threadpool(search, *args)
            pool = self.pool
            try:
                return await asyncio.wrap_future(pool.submit(search, *args))
            except BrokenProcessPool:  # a search process died (killed, out of memory): start new ones
                if self.pool is pool:  # once: the other search that broke with it finds the new pool
                    self.stop()
                    self.start()
                raise Busy("the search stopped because its process ended unexpectedly: search again") from None

    async def cached(self, term: str, lang: Lang | None, limit: int) -> Any:
        """A search, computed once for identical concurrent requests, and kept until the corpus changes:
        200 clients asking for "the" cost one search, not 200."""
        key = (term, lang, limit, self.current_generation())
        cache = self.cache
        if key in cache:
            return cache[key]
        if key in self.in_flight:
            return await asyncio.shield(self.in_flight[key])
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self.in_flight[key] = future
        try:
            result = await self.run(term, lang, limit)
        except BaseException as err:
            future.set_exception(err)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waits
            raise
        finally:
            self.in_flight.pop(key, None)
        future.set_result(result)
        cache = self.cache
        if key[-1] == self.generation:  # not a search that a change overtook
            if len(cache) >= SEARCH_CACHE_SIZE:
                cache.pop(next(iter(cache)), None)
            cache[key] = result
        return result
