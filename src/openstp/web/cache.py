"""A bounded, thread-safe cache that builds each missing value once however many threads ask.

Fifty readers opening the same uncached page must cost one render, not fifty: the first asks
for the value and builds it, the others wait for that result (or its error). Only the most
recently used ``size`` values are kept, so memory stays flat over a long run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """At most ``size`` values by key, most recently used kept; see ``get``."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._building: dict[K, Future[V]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def peek(self, key: K) -> V | None:
        """The value kept for ``key``, or None; never builds, never waits."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value for ``key``: kept, being built by another thread (waited for), or built.

        An error from ``build`` reaches every caller waiting for that key, and nothing is kept,
        so a later call tries again.
        """
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            pending = self._building.get(key)
            owner = pending is None
            if owner:
                pending = self._building[key] = Future()
        assert pending is not None
        if not owner:
            return pending.result()
        try:
            value = build()
        except BaseException as err:
            with self._lock:
                del self._building[key]
            pending.set_exception(err)
            raise
        with self._lock:
            del self._building[key]
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        pending.set_result(value)
        return value

