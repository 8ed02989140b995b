"""The two engines that run the workers: a local process pool, or Ray Data (locally or on a cluster)."""
from __future__ import annotations

import logging
import math
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from typing import Any, Iterator

from ..errors import ConfigError, DuizhaoError
from .options import BatchOptions, BatchSummary, Task
from .worker import DocumentWorker, RayDocumentWorker

_LOCAL_WORKER: DocumentWorker | None = None


_LOCAL_START_ERROR: DuizhaoError | None = None


def _die_with(driver: int) -> None:
    """End this worker as soon as the batch driver `driver` is gone, however it went (`kill -9`, SIGTERM,
    a crash): the pool's own clean-up runs only when the driver exits normally or on Ctrl-C. A pidfd is
    exact; where there is none, the driver's pid is polled once a second."""
    import threading

    def watch() -> None:
        try:
            handle = os.pidfd_open(driver)
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            import select

            select.select([handle], [], [])  # readable once the driver has exited
        else:
            while True:
                try:
                    os.kill(driver, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                if os.getppid() == 1:
                    break
                time.sleep(1)
        os._exit(1)

    if os.getpid() != driver:
        threading.Thread(target=watch, name="duizhao-driver-watch", daemon=True).start()


def _start_local_worker(options: BatchOptions, driver: int | None = None) -> None:
    global _LOCAL_WORKER, _LOCAL_START_ERROR
    if driver is not None:
        _die_with(driver)
    try:
        _LOCAL_WORKER = DocumentWorker(options)
    except DuizhaoError as err:
        # Raised from the first task instead: a failing initializer only says "pool broken".
        _LOCAL_START_ERROR = err
    except Exception as err:
        _LOCAL_START_ERROR = DuizhaoError(f"the batch worker could not start ({type(err).__name__}: {err}): "
                                          "please report it")


def _run_local_task(task: Task) -> dict:
    if _LOCAL_WORKER is None:
        raise _LOCAL_START_ERROR or DuizhaoError("the batch worker did not start: rerun to resume")
    return _LOCAL_WORKER(task)


def _run_local(tasks: list[Task], options: BatchOptions, workers: int) -> Iterator[dict]:
    import multiprocessing

    # forkserver: workers start from a clean process, not a fork of a driver that runs threads.
    context = multiprocessing.get_context("forkserver")
    pending = iter(tasks)
    in_flight: set[Future] = set()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_local_worker,
                             initargs=(options, os.getpid())) as pool:
        try:
            while True:
                # A few tasks per worker in flight keeps every core busy without queueing millions.
                while len(in_flight) < workers * 4:
                    task = next(pending, None)
                    if task is None:
                        break
                    in_flight.add(pool.submit(_run_local_task, task))
                if not in_flight:
                    return
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BrokenProcessPool as err:
            raise DuizhaoError(
                "a worker process died (out of memory?): rerun the same command to resume, perhaps with fewer --workers"
            ) from err
        finally:
            for future in in_flight:
                future.cancel()


def _run_ray(tasks: list[Task], options: BatchOptions, workers: int | None, address: str | None,
             summary: BatchSummary) -> Iterator[dict]:
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise ConfigError("--engine ray needs Ray Data: pip install 'duizhao[scale]'") from err

    started_here = not ray.is_initialized()
    if started_here and address:
        _check_reachable(address)
    if started_here:
        # A local instance gets as many CPUs as workers and no dashboard; a cluster is used as it is.
        local: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "num_cpus": workers} if address is None else {}
        try:
            ray.init(address=address, logging_level=logging.WARNING, **local)
        except ConnectionError as err:
            raise ConfigError(f"cannot reach a Ray cluster at {address}: check --address (e.g. ray://HOST:10001)") from err
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # our own bar counts documents
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # keep stderr for our bar and summary
        size = min(workers or max(1, int(ray.cluster_resources().get("CPU", 1))), len(tasks))
        summary.workers = size
        # Small blocks: each finished block reports its documents, and work spreads over the actors.
        blocks = min(len(tasks), max(4 * size, math.ceil(len(tasks) / 50)))
        dataset = ray.data.from_items([asdict(task) for task in tasks], override_num_blocks=blocks)
        records = dataset.map(
            RayDocumentWorker,  # type: ignore[arg-type]  # a callable class: Ray makes it an actor pool
            fn_constructor_kwargs={"options": options},
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=1,
        )
        for record in records.iter_rows():
            yield dict(record)
    finally:
        if started_here:
            ray.shutdown()


def _check_reachable(address: str) -> None:
    """Fail in seconds on a wrong --address: Ray itself retries an unreachable one for minutes."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" or another form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise ConfigError(f"cannot reach a Ray cluster at {address} ({err.strerror or err}): "
                          "check --address (HOST:6379 for the head node, ray://HOST:10001 for Ray Client)") from err
