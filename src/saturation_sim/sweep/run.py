"""Run a sweep: every grid point with one seed, resumable, locally or on Dask.

Each point is a plain Monte Carlo run of its scenario with the sweep's seed
(common random numbers), or, with a target CI half-width, a deterministic
series of fixed-size batches over consecutive trial ranges merged until the
target is met. Either way a point's numbers depend only on (scenario, trial
settings, seed), so a resumed or distributed sweep equals an uninterrupted
local one.
"""

from __future__ import annotations

import concurrent.futures
import functools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from .._version import __version__
from ..engine import RunSettings
from ..scenario import Scenario, as_scenario
from .errors import SweepError
from .grid import Axis, VarySpec, build_axes, build_points
from .output import csv_text, key_column, point_row, sweep_document
from .point import PointOutcome, PointTask, compute_point, resolve_settings
from .store import OutDir, sweep_id


@dataclass
class SweepResult:
    """A finished sweep: its points in grid order and how many were computed now.

    ``rows()`` are the rows of results.csv as dicts; ``to_dict()`` is sweep.json.
    Every number is derived from the points' sufficient statistics
    (``outcomes[i].result``), reloaded from the point files when resumed.
    """

    scenario: Scenario
    axes: list[Axis]
    settings: RunSettings
    sweep_id: str
    outcomes: list[PointOutcome]
    computed: int = 0
    reused: int = 0
    out: Path | None = None

    @property
    def layer_names(self) -> list[str]:
        return [lay.name for lay in self.scenario.layers]

    @functools.cached_property
    def points(self) -> list[dict[str, Any]]:
        """Each point as ``index``, ``values``, ``trials``, ``ci_met`` and its JSON ``result``
        (derived once: results.csv, sweep.json, ``rows()`` and the report all read it)."""
        return [{"index": o.index, "values": o.values, "trials": o.result.trials,
                 "ci_met": o.ci_met, "result": o.result.to_dict()} for o in self.outcomes]

    def csv_text(self) -> str:
        return csv_text(self.axes, self.layer_names, self.points)

    def rows(self) -> list[dict[str, Any]]:
        """The rows of results.csv as typed values (ints, floats, bools, None)."""
        return [point_row(self.axes, self.layer_names, p) for p in self.points]

    def to_pandas(self):
        """The rows as a ``pandas.DataFrame`` with typed columns, one row per point.

        Swept keys, counts and metrics keep their types; CI bounds are columns
        (``leakers_ci95_lo``, ...). The scenario, settings and provenance are in
        ``df.attrs``.
        """
        pd = _optional("pandas")
        df = pd.DataFrame(self.rows())
        for col in df.columns:
            if df[col].isna().all():
                df[col] = df[col].astype("float64")
        if "ci_halfwidth_met" in df and df["ci_halfwidth_met"].notna().all():
            df["ci_halfwidth_met"] = df["ci_halfwidth_met"].astype(bool)
        df.attrs.update(self._attrs())
        return df

    def to_xarray(self):
        """An ``xarray.Dataset`` with one dimension per swept key.

        Data variables are the metrics and their bounds (every non-key column of
        :meth:`rows`); coordinates are the swept values; the scenario and
        provenance are attributes (the scenario as JSON text).
        """
        xr = _optional("xarray")
        import numpy as np

        rows = self.rows()
        dims = [key_column(a) for a in self.axes]
        shape = tuple(len(a.values) for a in self.axes)
        coords = {d: list(a.values) for d, a in zip(dims, self.axes)}
        data = {}
        for col in rows[0]:
            if col in dims:
                continue
            values = [r[col] for r in rows]
            if all(v is None for v in values):
                continue
            if all(isinstance(v, bool) for v in values):
                arr = np.array(values, dtype=bool)
            else:
                arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
                if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                    arr = arr.astype(np.int64)
            data[col] = (dims, arr.reshape(shape))
        attrs = {k: (json.dumps(v) if isinstance(v, (dict, list)) else
                     ("" if v is None else v)) for k, v in self._attrs().items()}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _attrs(self) -> dict[str, Any]:
        return {"scenario": self.scenario.name, "source": self.scenario.source,
                "scenario_toml": self.scenario.to_dict(), "sweep_id": self.sweep_id,
                "version": __version__, **self.settings.identity()}

    def __repr__(self) -> str:
        keys = " x ".join(f"{a.key.text} ({len(a.values)})" for a in self.axes)
        return (f"SweepResult({self.scenario.name!r}: {len(self.outcomes)} point(s) over "
                f"{keys}, seed {self.settings.seed})")

    def summary(self) -> str:
        """A short table of each point's mean leakers and P(any leak)."""
        dims = [key_column(a) for a in self.axes]
        lines = [repr(self)]
        for row in self.rows():
            where = ", ".join(f"{d} = {row[d]:g}" for d in dims)
            lines.append(f"  {where}: leakers {row['leakers_mean']:.3f} "
                         f"[{row['leakers_ci95_lo']:.3f}, {row['leakers_ci95_hi']:.3f}], "
                         f"P(any leak) {row['p_any_leak']:.4f}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        cols = [key_column(a) for a in self.axes] + ["leakers_mean", "leakers_ci95_lo",
                                                      "leakers_ci95_hi", "p_any_leak"]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{row[c]:.4g}</td>" for c in cols) + "</tr>"
                       for row in self.rows())
        return (f"<table><caption>{html.escape(repr(self))}</caption><tr>{head}</tr>"
                f"{body}</table>")

    def to_dict(self) -> dict[str, Any]:
        base = self.scenario.to_dict()
        return sweep_document(base, self.scenario.source, self.axes, self.settings.identity(),
                              self.sweep_id, __version__, self.points)


def _optional(module: str):
    """Import an optional extra, or say in one line how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModuleNotFoundError(f"this needs {module}: pip install "
                                  f"\"saturation-sim[{module}]\"") from None


def progress_bar(total: int, initial: int, enabled: bool | None, label: str,
                 unit: str = "point"):
    """A named progress bar on stderr (tqdm.auto: a widget in notebooks), or None when
    disabled or stderr is not a terminal."""
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit=unit, desc=label, file=sys.stderr,
                dynamic_ncols=True)


def run_sweep(scenario: Scenario | str | os.PathLike[str], vary: VarySpec,
              out: str | os.PathLike[str] | None = None, *, trials: int | None = None,
              seed: int | None = None, ci_halfwidth: float | None = None,
              max_trials: int | None = None, batch_trials: int | None = None,
              executor: Any = None, threads: int | None = None, points: int | None = None,
              progress: bool | None = None, label: str = "sweep") -> SweepResult:
    """Run a scenario at every point of a grid of parameter values, with one seed.

    Also available as ``saturation_sim.sweep(...)`` (the sweep room is callable).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a TOML-shaped dict, or the path of a scenario file.
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
    executor
        None runs points one at a time here, each on all cores. A
        ``concurrent.futures.Executor`` or a ``dask.distributed.Client`` runs them
        as its tasks. Results are the same in every case.
    threads
        Engine threads per point (default: all cores of the machine running it).
    points
        For values written ``"lo:hi"``: how many evenly spaced values, ends included.
    progress
        A progress bar of points on stderr: True, False, or None for "if a terminal".
    label
        The progress bar's name, e.g. ``"sweep 2/3: fire units in upper"``.

    Raises
    ------
    ScenarioError
        Naming the key, for an unknown key or a value giving an invalid scenario.
    SweepError
        For conflicting settings or an out directory holding something else.
    """
    scenario = as_scenario(scenario)
    settings = resolve_settings(scenario, trials, seed, threads, ci_halfwidth, max_trials,
                                batch_trials)
    axes = build_axes(scenario, vary, points)
    points = build_points(scenario, axes)
    spec = {"scenario": scenario.model_dict(), "vary": [[a.key.text, list(a.values)] for a in axes],
            **settings.identity()}
    store = OutDir(out, spec) if out is not None else None
    done: dict[int, PointOutcome] = {}
    if store is not None:
        store.open()
        for index, payload in store.load_points(len(points)).items():
            done[index] = PointOutcome.from_payload(payload, points[index].scenario)
    the_id = store.id if store is not None else sweep_id(spec)
    reused = len(done)
    pending = [PointTask(p.index, p.values, p.scenario) for p in points if p.index not in done]
    bar = progress_bar(len(points), reused, progress, label)

    def finish(outcome: PointOutcome) -> None:
        if store is not None:
            store.write_point({"sweep_id": the_id, **outcome.payload()})
        done[outcome.index] = outcome
        if bar is not None:
            bar.update(1)

    try:
        execute(pending, settings, executor, finish)
    finally:
        if bar is not None:
            bar.close()
    result = SweepResult(scenario, axes, settings, the_id, [done[p.index] for p in points],
                         computed=len(pending), reused=reused,
                         out=None if out is None else Path(out))
    if store is not None:
        store.write_outputs(result.csv_text(), json.dumps(result.to_dict(), indent=1,
                                                          allow_nan=False) + "\n")
    return result


def _is_dask(executor: Any) -> bool:
    return type(executor).__module__.split(".")[0] == "distributed"


def execute(pending: Sequence[PointTask], settings: Any, executor: Any,
            finish: Callable[[Any], None], task: Callable[[PointTask, Any], Any] | None = None
            ) -> None:
    """Run ``task(point, settings)`` for every pending point and ``finish`` each result.

    ``task`` defaults to :func:`.point.compute_point` (looked up at call time);
    uncertainty and sensitivity runs pass their own. ``executor`` is None (here,
    one point at a time), a ``concurrent.futures.Executor`` or a Dask client.
    """
    if not pending:
        return
    task = compute_point if task is None else task
    if executor is None:
        for point in pending:
            finish(task(point, settings))
        return
    if _is_dask(executor):
        from .dask_exec import run_on_client

        run_on_client(executor, pending, settings, finish, task)
        return
    if not isinstance(executor, concurrent.futures.Executor):
        raise SweepError(f"executor: expected None, a concurrent.futures.Executor or a "
                         f"dask.distributed.Client, got {type(executor).__name__}")
    futures = [executor.submit(task, point, settings) for point in pending]
    try:
        for fut in concurrent.futures.as_completed(futures):
            finish(fut.result())
    finally:
        for fut in futures:
            fut.cancel()
