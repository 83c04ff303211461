"""Run a sweep: every grid point with one seed, resumable, locally or on Dask.

Each point is a plain Monte Carlo run of its scenario with the sweep's seed
(common random numbers), or, with a target CI half-width, a deterministic
series of fixed-size batches over consecutive trial ranges merged until the
target is met. Either way a point's numbers depend only on (scenario, trial
settings, seed), so a resumed or distributed sweep equals an uninterrupted
local one.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..engine import DEFAULT_SEED, DEFAULT_TRIALS, SimulationResult, max_threads, simulate
from ..scenario import Scenario, load_scenario
from .errors import SweepError
from .grid import Axis, Point, VarySpec, build_axes, build_points
from .output import csv_text, sweep_document
from .store import OutDir, sweep_id

#: Trials per batch with a target CI half-width.
BATCH_TRIALS = 10_000
#: Trials per point at most with a target CI half-width, unless told otherwise.
DEFAULT_MAX_TRIALS = 1_000_000

# numba's default threading layer must not be entered by two threads at once; a
# Dask worker may run several tasks in threads, so points in one process queue here.
_ENGINE_LOCK = threading.Lock()


def settings_for(scenario: Scenario, trials: int | None = None, seed: int | None = None,
                 ci_halfwidth: float | None = None, max_trials: int | None = None,
                 batch_trials: int = BATCH_TRIALS) -> dict[str, Any]:
    """Resolve and check the trial settings of a sweep (part of its identity)."""
    if ci_halfwidth is None:
        if max_trials is not None:
            raise SweepError("--max-trials applies only with --ci-halfwidth")
        trials = trials if trials is not None else (scenario.trials or DEFAULT_TRIALS)
        if int(trials) < 1:
            raise SweepError(f"trials must be >= 1, got {trials}")
        batch = None
    else:
        if trials is not None:
            raise SweepError("give --trials or --ci-halfwidth, not both")
        if not ci_halfwidth > 0 or ci_halfwidth == float("inf"):
            raise SweepError(f"--ci-halfwidth must be a number > 0, got {ci_halfwidth}")
        max_trials = DEFAULT_MAX_TRIALS if max_trials is None else int(max_trials)
        batch = int(batch_trials)
        if batch < 2 or max_trials < batch:
            raise SweepError(f"need 2 <= batch trials ({batch}) <= --max-trials ({max_trials})")
        ci_halfwidth = float(ci_halfwidth)
    seed = seed if seed is not None else (scenario.seed if scenario.seed is not None
                                          else DEFAULT_SEED)
    if not 0 <= int(seed) < 2**63:
        raise SweepError(f"seed must be in [0, 2^63), got {seed}")
    return {"trials": None if trials is None else int(trials), "seed": int(seed),
            "ci_halfwidth": ci_halfwidth, "max_trials": max_trials, "batch_trials": batch}


def run_point(scenario: Scenario, settings: dict[str, Any], threads: int | None = None
              ) -> tuple[SimulationResult, bool | None]:
    """One point's result and whether a target CI half-width was met (None: no target).

    With ``settings["ci_halfwidth"]`` set, batches of ``batch_trials`` trials run
    over trials 0, B, 2B, ... and merge until the 95% CI half-width of mean
    leakers is at most the target or ``max_trials`` is reached.
    """
    seed = settings["seed"]
    target = settings["ci_halfwidth"]
    if target is None:
        return simulate(scenario, settings["trials"], seed, threads), None
    result: SimulationResult | None = None
    done, cap = 0, settings["max_trials"]
    while done < cap:
        n = min(settings["batch_trials"], cap - done)
        batch = simulate(scenario, n, seed, threads, first_trial=done)
        result = batch if result is None else result.merge(batch)
        done += n
        lo, hi = result.leakers_ci95
        if (hi - lo) / 2 <= target:
            return result, True
    assert result is not None
    return result, False


def compute_point(scenario_dict: dict[str, Any], source: str, index: int,
                  values: dict[str, Any], settings: dict[str, Any],
                  threads: int | None = None) -> dict[str, Any]:
    """Compute one point from plain data; the task that executors run (also on Dask workers).

    Returns
    -------
    dict
        ``index``, ``values``, ``trials``, ``ci_met`` and ``result`` (the JSON result).
    """
    scenario = Scenario.from_dict(scenario_dict, source=source)
    if threads is not None:
        threads = max(1, min(int(threads), max_threads()))
    with _ENGINE_LOCK:
        result, met = run_point(scenario, settings, threads)
    d = json.loads(json.dumps(result.to_dict(), default=_plain))
    return {"index": index, "values": values, "trials": result.trials, "ci_met": met,
            "result": d}


def _plain(obj: Any) -> Any:
    if hasattr(obj, "item"):
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


@dataclass
class SweepResult:
    """A finished sweep: its points in grid order and how many were computed now.

    ``rows()`` are the rows of results.csv as dicts; ``to_dict()`` is sweep.json.
    """

    scenario: Scenario
    axes: list[Axis]
    settings: dict[str, Any]
    sweep_id: str
    points: list[dict[str, Any]]
    computed: int = 0
    reused: int = 0
    out: Path | None = None
    layer_names: list[str] = field(default_factory=list)

    def csv_text(self) -> str:
        return csv_text(self.axes, self.layer_names, self.points)

    def rows(self) -> list[dict[str, str]]:
        """results.csv as a list of {column: text} (a repeated column keeps its last value)."""
        import csv
        import io

        return list(csv.DictReader(io.StringIO(self.csv_text())))

    def to_dict(self) -> dict[str, Any]:
        from .. import __version__

        base = self.scenario.to_dict()
        return sweep_document(base, self.scenario.source, self.axes, self.settings,
                              self.sweep_id, __version__, self.points)


def _progress(total: int, initial: int, enabled: bool | None):
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="point", desc="sweep", file=sys.stderr,
                dynamic_ncols=True)


def sweep(scenario: Scenario | str | os.PathLike[str], vary: VarySpec,
          out: str | os.PathLike[str] | None = None, *, trials: int | None = None,
          seed: int | None = None, ci_halfwidth: float | None = None,
          max_trials: int | None = None, batch_trials: int = BATCH_TRIALS,
          scheduler: str | None = None, threads: int | None = None,
          progress: bool | None = None) -> SweepResult:
    """Run a scenario at every point of a grid of parameter values, with one seed.

    Parameters
    ----------
    scenario
        A :class:`Scenario` or the path of a scenario file.
    vary
        ``{key: values}`` or ``["KEY=VALUES", ...]``: dotted keys (``layers.upper.fire_units``,
        ``raid_ratio``) and values (``"1:8:1"``, ``"0.5,0.7"`` or a list of numbers).
        Several keys form a Cartesian grid, the first key outermost.
    out
        Directory for results.csv, sweep.json and per-point files; a rerun with
        the same arguments resumes. None keeps everything in memory.
    trials, seed
        Trials per point and the seed shared by every point (defaults: the
        scenario's ``[simulation]``, else 100 000 and 1).
    ci_halfwidth, max_trials, batch_trials
        Instead of ``trials``: run each point in batches until the 95% CI
        half-width of mean leakers is at most ``ci_halfwidth`` (at most
        ``max_trials`` trials, default 1 000 000).
    scheduler
        None runs points one at a time here, each on all cores; ``"local:N"``
        starts a Dask LocalCluster of N worker processes; any other string is the
        address of a Dask scheduler. Results are the same in every case.
    threads
        Engine threads per point (default: all cores of the machine running it).
    progress
        A progress bar of points on stderr: True, False, or None for "if a terminal".

    Raises
    ------
    ScenarioError
        Naming the key, for an unknown key or a value giving an invalid scenario.
    SweepError
        For conflicting settings or an out directory holding something else.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    settings = settings_for(scenario, trials, seed, ci_halfwidth, max_trials, batch_trials)
    if scheduler is not None:
        from .dask_exec import parse_local

        parse_local(scheduler)  # a malformed local:N is refused before any work
    axes = build_axes(scenario, vary)
    points = build_points(scenario, axes)
    base = scenario.to_dict()
    base.pop("simulation", None)
    spec = {"scenario": base, "vary": [[a.key.text, list(a.values)] for a in axes], **settings}
    store = OutDir(out, spec) if out is not None else None
    done: dict[int, dict[str, Any]] = {}
    if store is not None:
        store.open()
        done = store.load_points(len(points))
    the_id = store.id if store is not None else sweep_id(spec)
    reused = len(done)
    pending = [p for p in points if p.index not in done]
    bar = _progress(len(points), reused, progress)

    def finish(payload: dict[str, Any]) -> None:
        payload = {"sweep_id": the_id, **payload}
        if store is not None:
            store.write_point(payload)
        done[payload["index"]] = payload
        if bar is not None:
            bar.update(1)

    try:
        _execute(pending, settings, scheduler, threads, finish)
    finally:
        if bar is not None:
            bar.close()
    result = SweepResult(scenario, axes, settings, the_id, [done[p.index] for p in points],
                         computed=len(pending), reused=reused,
                         out=None if out is None else Path(out),
                         layer_names=[lay.name for lay in scenario.layers])
    if store is not None:
        store.write_outputs(result.csv_text(), json.dumps(result.to_dict(), indent=1,
                                                          allow_nan=False) + "\n")
    return result


def _execute(pending: Sequence[Point], settings: dict[str, Any], scheduler: str | None,
             threads: int | None, finish: Callable[[dict[str, Any]], None],
             task: Callable[..., dict[str, Any]] | None = None) -> None:
    """Run ``task`` (default: :func:`compute_point`, at call time) on every point."""
    if not pending:
        return
    task = compute_point if task is None else task
    if scheduler is not None:
        from .dask_exec import run_on_dask

        run_on_dask(scheduler, pending, settings, threads, finish, task=task)
        return
    for p in pending:
        finish(task(p.scenario.to_dict(), p.scenario.source, p.index, p.values,
                    settings, threads))
