"""A small bounded pool of worker threads for the web app's heavy work (what-ifs, plan parsing).

A fixed number of threads run jobs (NumPy and pandas release the GIL, so threads use the cores);
a short queue holds the next few, and a job beyond that is refused at once with ``Busy`` rather
than left waiting behind everyone else. The caller blocks until its job is done, so call ``run``
from a thread (a plain ``def`` route), never from the event loop.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter
from typing import Any, TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full; ``retry_after`` is a fair wait in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the server is busy recomputing other what-ifs; try again in "
                         f"{retry_after} s")
        self.retry_after = retry_after


class WorkPool:
    """``workers`` threads and room for ``queue`` more jobs waiting; the rest get ``Busy``."""

    def __init__(self, workers: int, queue: int):
        if workers < 1 or queue < 0:
            raise ValueError(f"a pool needs at least one worker and a queue of 0 or more; got "
                             f"{workers} and {queue}")
        self.workers, self.queue = workers, queue
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="openstp-work")
        self._lock = threading.Lock()
        self._admitted = 0
        self._mean = 1.0  # seconds per job, a running mean for Retry-After

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on a worker, waiting for the result; raises ``Busy`` if the pool is full.

        Never call it from a job already on this pool: the job would wait for a worker that
        may be itself.
        """
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise Busy(self._retry_after())
            self._admitted += 1
        try:
            return self._executor.submit(self._timed, fn, args).result()
        finally:
            with self._lock:
                self._admitted -= 1

    def _timed(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        start = perf_counter()
        try:
            return fn(*args)
        finally:
            seconds = perf_counter() - start
            with self._lock:
                self._mean += (seconds - self._mean) / 8

    def _retry_after(self) -> int:
        """Seconds until the queue has likely moved on: a full pool's work, spread over workers."""
        rounds = (self.workers + self.queue) / self.workers
        return max(1, min(60, math.ceil(self._mean * rounds)))

    def close(self) -> None:
        """Stop taking jobs; those under way finish."""
        self._executor.shutdown(wait=False, cancel_futures=True)
