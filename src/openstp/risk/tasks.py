"""Run independent pieces of work as Dask tasks: on a local ``dask.distributed`` cluster of
processes on this machine by default, or on any cluster given its scheduler's address.

Every task is a pure function of its arguments (the seed and the counter-based streams make
each piece's draws independent of where and when it runs), and results are put back in task
order, so the same seed gives the same answer whatever the number of workers.

A local cluster is started on first use and kept until the process exits: starting one takes
seconds (each worker process imports the model), so a notebook or a test session that runs
several sweeps pays for it once.
"""

from __future__ import annotations

import atexit
import logging
import uuid
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
        run = uuid.uuid4().hex  # keys of a kept cluster's earlier runs are never reused
        futures = [client.submit(function, *common, *args, pure=False, key=f"openstp-{run}-{i}")
                   for i, args in enumerate(arguments)]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        try:
            for done, future in enumerate(as_completed(futures, loop=client.loop), start=1):
                results[index[future.key]] = future.result()
                if progress:
                    progress(done, len(futures))
        except BaseException:
            client.cancel(futures)
            raise
        return results


@contextmanager
def _client(where: Where) -> Iterator[Any]:
    from dask.distributed import Client

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
    yield _local_client(where.workers)


_LOCAL: dict[int, tuple[Any, Any]] = {}
"""The local clusters started in this process, by number of workers, with their clients."""


def _local_client(workers: int) -> Any:
    from dask.distributed import Client, LocalCluster

    kept = _LOCAL.get(workers)
    if kept is not None and kept[1].status == "running":
        return kept[1]
    # one thread per process: the engine's NumPy work is what runs in parallel; the
    # cluster's own logging stays quiet (a worker's last heartbeat can race its shutdown)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.CRITICAL)
    client = Client(cluster, set_as_default=False)
    if not _LOCAL:
        atexit.register(close_local_clusters)
    _LOCAL[workers] = (cluster, client)
    return client


def close_local_clusters() -> None:
    """Stop every local cluster this process started (also done at exit)."""
    while _LOCAL:
        _, (cluster, client) = _LOCAL.popitem()
        client.close()
        cluster.close()
