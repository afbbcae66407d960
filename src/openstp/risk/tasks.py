"""Run independent pieces of work as Dask tasks: on a local ``dask.distributed`` cluster of
processes on this machine by default, or on any cluster given its scheduler's address.

Every task is a pure function of its arguments (the seed and the counter-based streams make
each piece's draws independent of where and when it runs), and results are put back in task
order, so the same seed gives the same answer whatever the number of workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openstp.errors import OpenSTPError, problem

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Where:
    """Where tasks run: ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``) or a local
    cluster of ``workers`` processes; ``workers=0`` runs them here, one after another."""

    scheduler: str | None = None
    workers: int = 2


def run_tasks(function: Callable[..., Any], arguments: Sequence[tuple], where: Where,
              progress: Progress | None = None, shared: tuple = ()) -> list[Any]:
    """``[function(*shared, *a) for a in arguments]``, as Dask tasks placed by ``where``;
    ``shared`` (the laid-out plans, the parameters) goes to each worker once, not per task."""
    if where.scheduler is None and where.workers == 0:
        out = []
        for i, args in enumerate(arguments):
            out.append(function(*shared, *args))
            if progress:
                progress(i + 1, len(arguments))
        return out
    with _client(where) as client:
        from dask.distributed import as_completed

        common = client.scatter(list(shared), broadcast=True) if shared else []
        futures = [client.submit(function, *common, *args, pure=False,
                                 key=f"openstp-{i}-{id(args)}")
                   for i, args in enumerate(arguments)]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for done, future in enumerate(as_completed(futures), start=1):
            results[index[future.key]] = future.result()
            if progress:
                progress(done, len(futures))
        return results


@contextmanager
def _client(where: Where) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    if where.scheduler is not None:
        try:
            client = Client(where.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise OpenSTPError([problem("--scheduler", f"cannot reach the Dask scheduler at "
                                        f"{where.scheduler}: {exc}")]) from None
        try:
            yield client
        finally:
            client.close()
        return
    # one thread per process: the engine's NumPy work is what runs in parallel; the
    # cluster's own logging stays quiet (a worker's last heartbeat can race its shutdown)
    with LocalCluster(n_workers=where.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
            Client(cluster) as client:
        yield client
