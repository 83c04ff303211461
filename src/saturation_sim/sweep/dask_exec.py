"""Run sweep points on a Dask distributed cluster (the optional ``dask`` extra).

This is the only module that imports Dask, and only when a sweep is given a
Dask client. Workers compute points with :func:`.point.compute_point`, the
same function as the local path, and send back their sufficient statistics;
the client writes the point files, so the out directory need not be visible
to the workers. Workers need ``saturation-sim`` installed, of the same version
as the client.

:func:`connect` turns the command line's ``--scheduler local:N`` or an
address into a client; the Python API takes a client (or any
``concurrent.futures.Executor``) directly.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any, Callable, Iterator, Sequence

from .errors import SweepError
from .point import PointTask, compute_point

#: Seconds to wait for a remote scheduler before giving up.
CONNECT_TIMEOUT_S = 20
#: Seconds a sweep waits with points left and no worker connected before it stops.
NO_WORKER_TIMEOUT_S = 120.0
#: Seconds between checks of the cluster's health while points run.
POLL_S = 2.0


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


@contextlib.contextmanager
def connect(scheduler: str, threads: int | None = None) -> Iterator[tuple[Any, int | None]]:
    """A Dask client for ``scheduler``, and the engine threads each task should use.

    Parameters
    ----------
    scheduler
        ``"local:N"`` for a LocalCluster of N single-threaded worker processes
        started here (and closed at the end), or a scheduler address.
    threads
        Engine threads per task. Default: for ``local:N``, this machine's cores
        divided among the N workers; for a remote cluster, all cores of the worker.

    Raises
    ------
    SweepError
        If the scheduler cannot be reached.
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
        yield client, threads


def _workers(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:  # noqa: BLE001 - the scheduler itself is gone: counted as no workers
        return 0


def run_on_client(client: Any, tasks: Sequence[PointTask], settings: Any,
                  finish: Callable[[Any], None],
                  task: Callable[[PointTask, Any], Any] = compute_point) -> None:
    """Compute ``task(point, settings)`` for each point on a Dask client, and call
    ``finish(result)`` as each completes.

    Points that finished are handed to ``finish`` (and so written) as they
    come, so a sweep stopped by a fault keeps them and a rerun resumes.

    Raises
    ------
    SweepError
        When the scheduler is lost, or no worker has been connected for
        :data:`NO_WORKER_TIMEOUT_S` seconds while points remain.
    """
    distributed = _import_distributed()
    futures = [client.submit(task, point, settings, pure=False) for point in tasks]
    pending = set(futures)
    idle_since: float | None = None
    lost_since: float | None = None
    try:
        while pending:
            try:
                done, _ = distributed.wait(list(pending), timeout=POLL_S,
                                           return_when="FIRST_COMPLETED")
            except (TimeoutError, distributed.TimeoutError):
                done = set()
            except (OSError, distributed.CancelledError) as exc:
                raise _lost(exc) from None
            for fut in done:
                pending.discard(fut)
                try:
                    outcome = fut.result()
                except (OSError, distributed.CancelledError) as exc:
                    raise _lost(exc) from None
                finish(outcome)
            if done:
                idle_since = None
                continue
            if client.status not in ("running", "connecting", "newly-created"):
                raise _lost(None)
            if client.status == "connecting":  # reconnecting to a scheduler that went away
                now = time.monotonic()
                lost_since = now if lost_since is None else lost_since
                if now - lost_since > CONNECT_TIMEOUT_S:
                    raise _lost(None)
                continue
            lost_since = None
            if _workers(client) == 0:
                now = time.monotonic()
                idle_since = now if idle_since is None else idle_since
                if now - idle_since > NO_WORKER_TIMEOUT_S:
                    raise SweepError(f"no Dask worker has been connected for "
                                     f"{NO_WORKER_TIMEOUT_S:g} s with {len(pending)} point(s) "
                                     "left; the finished points are kept: start workers and "
                                     "run the same command again to resume")
            else:
                idle_since = None
    finally:
        for fut in futures:
            fut.cancel()


def _lost(exc: BaseException | None) -> SweepError:
    why = f" ({type(exc).__name__})" if exc is not None else ""
    return SweepError(f"lost the Dask scheduler{why}; the finished points are kept: run the "
                      "same command again to resume")
