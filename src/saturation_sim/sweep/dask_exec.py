"""Run sweep points as tasks on a Dask distributed cluster (the optional ``dask`` extra).

This is the only module that imports Dask, and only when a sweep is given a
scheduler. Workers compute points from plain data (:func:`compute_point`) and
send back their JSON payloads; the client writes the point files, so the out
directory need not be visible to the workers. Workers need ``saturation-sim``
installed, of the same version as the client.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, Callable, Sequence

from .errors import SweepError
from .grid import Point
from .run import compute_point

#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT_S = 20


def parse_local(scheduler: str) -> int | None:
    """N for ``"local:N"``; None for anything else (a scheduler address).

    Raises
    ------
    SweepError
        If ``local:`` is not followed by a whole number >= 1.
    """
    if not scheduler.startswith("local:"):
        return None
    text = scheduler[len("local:"):]
    if not text.isdigit() or int(text) < 1:
        raise SweepError(f"--scheduler {scheduler}: expected local:N with N >= 1 worker "
                         "processes, or the address of a Dask scheduler (tcp://host:8786)")
    return int(text)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise SweepError("--scheduler needs Dask: pip install 'saturation-sim[dask]'") from None
    return distributed


def run_on_dask(scheduler: str, points: Sequence[Point], settings: dict[str, Any],
                threads: int | None, finish: Callable[[dict[str, Any]], None],
                task: Callable[..., dict[str, Any]] = compute_point) -> None:
    """Compute ``points`` on Dask and call ``finish(payload)`` as each one completes.

    Parameters
    ----------
    scheduler
        ``"local:N"`` for a LocalCluster of N single-threaded worker processes
        started here (and closed at the end), or a scheduler address.
    threads
        Engine threads per task. Default: for ``local:N``, this machine's cores
        divided among the N workers; for a remote cluster, all cores of the worker.
    task
        The function each point runs, with the signature of :func:`compute_point`.
    """
    n_local = parse_local(scheduler)
    distributed = _import_distributed()
    with contextlib.ExitStack() as stack:
        if n_local is not None:
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=n_local, threads_per_worker=1, processes=True,
                dashboard_address=None))
            target: Any = cluster
            if threads is None:
                threads = max(1, (os.cpu_count() or 1) // n_local)
        else:
            target = scheduler
        try:
            client = stack.enter_context(
                distributed.Client(target, timeout=f"{CONNECT_TIMEOUT_S}s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise SweepError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there "
                             f"({type(exc).__name__}: {exc})") from None
        futures = [client.submit(task, p.scenario.to_dict(), p.scenario.source,
                                 p.index, p.values, settings, threads, pure=False)
                   for p in points]
        try:
            for fut in distributed.as_completed(futures):
                finish(fut.result())
        finally:
            for fut in futures:
                fut.cancel()
