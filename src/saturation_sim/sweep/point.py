"""One sweep point: the task every executor runs, locally or on a Dask worker.

A :class:`PointTask` carries the point's own, already validated
:class:`Scenario`; :func:`compute_point` runs it with the sweep's
:class:`RunSettings` and returns the raw sufficient statistics (not derived
JSON), from which the point file, ``results.csv`` and ``sweep.json`` are all
rebuilt. Both the local path and the Dask path call this one function.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ..engine import RunSettings, SettingsError, SimulationResult, simulate
from ..scenario import Scenario
from .errors import SweepError

# Each engine run already spreads over its `threads`; a Dask worker or a thread
# pool may run several tasks at once, so points in one process queue here
# rather than oversubscribe the cores.
_ENGINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class PointTask:
    """One point to compute: its index in the grid, the swept values, its scenario."""

    index: int
    values: dict[str, Any]
    scenario: Scenario


@dataclass(frozen=True)
class PointOutcome:
    """A computed point: its task, its result, and whether a CI target was met (None: none set)."""

    index: int
    values: dict[str, Any]
    result: SimulationResult
    ci_met: bool | None

    def payload(self) -> dict[str, Any]:
        """What the point file stores: raw statistics, never derived numbers."""
        return {"index": self.index, "values": self.values, "ci_met": self.ci_met,
                "stats": self.result.stats()}

    @classmethod
    def from_payload(cls, payload: dict[str, Any], scenario: Scenario) -> "PointOutcome":
        """Rebuild an outcome from its point file and the point's scenario."""
        return cls(index=int(payload["index"]), values=payload["values"],
                   result=SimulationResult.from_stats(scenario, payload["stats"]),
                   ci_met=payload["ci_met"])


def engine_lock() -> threading.Lock:
    """The lock that every engine run of a sweep-like task holds (see _ENGINE_LOCK)."""
    return _ENGINE_LOCK


def resolve_settings(scenario: Scenario, *args: Any) -> RunSettings:
    """``RunSettings.resolve(scenario, *args)``, a refusal raised as :class:`SweepError`."""
    try:
        return RunSettings.resolve(scenario, *args)
    except SettingsError as exc:
        raise SweepError(str(exc)) from None


def run_point(scenario: Scenario, settings: RunSettings) -> tuple[SimulationResult, bool | None]:
    """One point's result and whether a target CI half-width was met (None: no target).

    With ``settings.ci_halfwidth`` set, batches of ``batch_trials`` trials run
    over trials 0, B, 2B, ... and merge until the 95% CI half-width of mean
    leakers is at most the target or ``max_trials`` is reached: the number of
    trials, like every number, depends only on (scenario, settings).
    """
    target = settings.ci_halfwidth
    if target is None:
        return simulate(scenario, settings.trials, settings.seed, settings.threads), None
    assert settings.max_trials is not None and settings.batch_trials is not None
    result: SimulationResult | None = None
    done, cap = 0, settings.max_trials
    while done < cap:
        n = min(settings.batch_trials, cap - done)
        batch = simulate(scenario, n, settings.seed, settings.threads, first_trial=done)
        result = batch if result is None else result.merge(batch)
        done += n
        lo, hi = result.leakers_ci95
        if (hi - lo) / 2 <= target:
            return result, True
    assert result is not None
    return result, False


def compute_point(task: PointTask, settings: RunSettings) -> PointOutcome:
    """Compute one point (the task that every executor runs)."""
    with _ENGINE_LOCK:
        result, met = run_point(task.scenario, settings)
    return PointOutcome(task.index, task.values, result, met)
