"""Sampling uncertain inputs and running many sampled scenarios, resumably, here or on Dask.

Shared by :mod:`.uncertainty` (propagation) and :mod:`.sensitivity` (global
sensitivity). A sample is a point in the unit cube, one coordinate per
uncertain input; :func:`input_values` maps it through each input's inverse CDF
to scenario values, and :func:`sample_scenario` applies them with the sweep
keys' rules. Every sample is run with the same seed (common random numbers),
exactly (``saturation_sim.analytic.exact``) whenever the scenario allows it and
the engine choice permits, otherwise by Monte Carlo. The per-sample task and
the out directory are those of sweeps, so a run can be stopped and resumed, and
spread over a Dask cluster.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .._io import atomic_write_text
from ..scenario import Scenario, ScenarioError
from ..scenario.apply import point_scenario, rescaled
from ..scenario.keys import Key, KeySpace, Number
from ..scenario.uncertainty import UncertainInput
from .errors import SweepError
from .grid import Point
from .point import PointTask, engine_lock
from .run import execute, progress_bar
from .store import OutDir, sweep_id

ENGINES = ("auto", "mc", "exact")
DESIGNS = ("sobol", "lhs")
#: The summary metrics of one sample, named as results.csv columns where one exists.
METRICS = ("leakers_mean", "leak_fraction", "p_any_leak", "interceptors_mean", "exchange_ratio",
           "damage_mean")


@dataclass(frozen=True)
class Resolved:
    """An uncertain input with its key resolved against the scenario."""

    input: UncertainInput
    key: Key


def resolve_inputs(scenario: Scenario) -> list[Resolved]:
    """The scenario's ``[uncertainty]`` inputs with their keys resolved and checked.

    Each key must lead to one number of the scenario (did-you-mean otherwise),
    be given once, and both ends of its range must make a valid scenario.

    Raises
    ------
    ScenarioError
        Naming ``uncertainty.<key>``.
    """
    src = scenario.source
    if not scenario.uncertainty:
        raise ScenarioError(src, "uncertainty", None, "an [uncertainty] table with at least "
                            "one input, e.g. \"layers.upper.engage.HGV.sspk\" = "
                            "{ dist = \"uniform\", low = 0.5, high = 0.9 }", missing=True)
    out: list[Resolved] = []
    keys = KeySpace(scenario)
    for inp in scenario.uncertainty:
        try:
            key = keys.parse(inp.key)
        except ScenarioError as exc:
            raise _renamed(exc, src) from None
        if any((r.key.text == key.text) if key.is_raid_ratio else (r.key.path == key.path)
               for r in out):
            raise ScenarioError(src, f"uncertainty.{inp.key}", None, "each scenario number "
                                "once (another entry names the same one)", plain=True)
        if key.integer != inp.integer:
            inp = replace(inp, integer=key.integer)
            lo, hi = inp.support
            if key.integer and (lo != int(lo) or hi != int(hi)):
                raise ScenarioError(src, f"uncertainty.{inp.key}", [lo, hi],
                                    "whole-number ends (the key counts whole items)")
        for end in inp.support:
            value: Number = int(end) if key.integer else float(end)
            try:
                point_scenario(scenario, [(key, value)])
            except ScenarioError as exc:
                raise ScenarioError(src, f"uncertainty.{inp.key}", list(inp.support),
                                    f"a range whose ends make valid scenarios ({exc.expected})"
                                    ) from None
        out.append(Resolved(inp, key))
    return out


def inputs_doc(inputs: Sequence[Resolved]) -> dict[str, dict[str, Any]]:
    """The inputs as a result document shows them: each entry, and whether its key counts
    whole items."""
    return {r.input.key: {**r.input.to_dict(), "integer": r.key.integer} for r in inputs}


def _renamed(exc: ScenarioError, source: str) -> ScenarioError:
    """A key error of the sweep room, re-addressed to the [uncertainty] entry."""
    path = f"uncertainty.{exc.path}"
    if "is not a scenario key" in str(exc):
        return ScenarioError(source, path, None, exc.expected, unknown=True)
    return ScenarioError(source, path, exc.value, exc.expected, plain=exc.value is None)


def _continuous_ppf(inp: UncertainInput, u: np.ndarray, low: float, high: float) -> np.ndarray:
    if inp.dist == "uniform":
        return low + u * (high - low)
    if inp.dist == "loguniform":
        return np.exp(math.log(low) + u * (math.log(high) - math.log(low)))
    from scipy import stats

    if inp.dist == "triangular":
        c = (inp.param("mode") - inp.param("low")) / (inp.param("high") - inp.param("low"))
        return stats.triang(c, loc=low, scale=high - low).ppf(u)
    if inp.dist == "beta":
        return low + (high - low) * stats.beta(inp.param("a"), inp.param("b")).ppf(u)
    raise AssertionError(inp.dist)  # parse_uncertainty admits no other


def input_ppf(inp: UncertainInput, u: np.ndarray) -> np.ndarray:
    """Values of ``inp`` at unit-cube coordinates ``u`` (its inverse CDF).

    Parameters
    ----------
    u : ndarray, shape (S,), float64 in [0, 1)

    Returns
    -------
    ndarray, shape (S,)
        int64 for integer keys, float64 otherwise. An integer key's
        continuous distribution is widened by half a unit at each end and
        rounded to the nearest whole number, so each whole number from low to
        high gets the probability of its unit interval (equal for uniform).
    """
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    if inp.dist == "choice":
        values = np.asarray(inp.param("values"))
        edges = np.cumsum(inp.param("weights"))
        idx = np.minimum(np.searchsorted(edges, u, side="right"), values.size - 1)
        out = values[idx]
        return out.astype(np.int64) if inp.integer else out.astype(np.float64)
    low, high = inp.param("low"), inp.param("high")
    if not inp.integer:
        return np.clip(_continuous_ppf(inp, u, low, high), low, high)
    x = _continuous_ppf(inp, u, low - 0.5, high + 0.5)
    return np.clip(np.floor(x + 0.5), low, high).astype(np.int64)


def input_values(inputs: Sequence[Resolved], unit: np.ndarray) -> list[list[Number]]:
    """Scenario values of each sample: ``unit`` (S, d) in [0, 1) -> S lists of d numbers."""
    cols = [input_ppf(r.input, unit[:, j]) for j, r in enumerate(inputs)]
    return [[c[s].item() for c in cols] for s in range(unit.shape[0])]


def design(d: int, samples: int, kind: str, seed: int) -> np.ndarray:
    """A space-filling design of ``samples`` points in [0, 1)^d.

    ``sobol``: scrambled Sobol' (best balanced at powers of two); ``lhs``: Latin
    hypercube. Its random stream is separate from the engine's streams.

    Returns
    -------
    ndarray, shape (samples, d), float64
    """
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x0DE5,)))
    if kind == "lhs":
        return qmc.LatinHypercube(d, seed=rng).random(samples)
    with warnings.catch_warnings():  # scipy warns off powers of two; documented instead
        warnings.simplefilter("ignore", UserWarning)
        return qmc.Sobol(d, scramble=True, seed=rng).random(samples)


def sample_scenario(base: Scenario, inputs: Sequence[Resolved], values: Sequence[Number],
                    extra: Sequence[tuple[Key, Number]] = ()) -> Scenario:
    """``base`` with the uncertain inputs set to ``values`` (and the pairs in ``extra``).

    The other keys are set first; ``raid_ratio`` (from ``extra``, the swept
    axis, or an input) then rescales the raid to ratio x the capacity of
    ``base``, the NOMINAL defence: a sample with fewer fire units meets the same
    raid rather than a smaller one, and sampled threat counts change the mix of
    the raid but not its size.
    """
    pairs = [*extra, *((r.key, v) for r, v in zip(inputs, values))]
    ratio = [(k, v) for k, v in pairs if k.is_raid_ratio]
    plain = [(k, v) for k, v in pairs if not k.is_raid_ratio]
    sampled = point_scenario(base, plain) if plain else base
    if not ratio:
        return sampled
    key, value = ratio[0]
    return rescaled(base, sampled.to_dict(), key, value, base.capacity)


def metrics_of(result: dict[str, Any], warheads: int) -> dict[str, float | None]:
    """The summary metrics (:data:`METRICS`) and ``leakers_var`` of one result's JSON."""
    mean = float(result["leakers"]["mean"])
    return {
        "leakers_mean": mean,
        "leak_fraction": mean / warheads if warheads > 0 else 0.0,
        "p_any_leak": float(result["p_any_leak"]),
        "interceptors_mean": float(sum(v["interceptors_mean"]
                                       for v in result["by_layer"].values())),
        "exchange_ratio": result["cost"]["exchange_ratio"],
        # value-weighted damage: scenarios with [[assets]] only (asset values move nothing else)
        "damage_mean": (float(result["damage"]["value_weighted_mean"]) if "damage" in result
                        else None),
        "leakers_var": float(result["leakers"]["std"]) ** 2,
    }


def compute_sample(task: PointTask, settings: dict[str, Any]) -> dict[str, Any]:
    """One sample's metrics: the task executors run (also on Dask workers).

    ``settings``: ``trials``, ``seed``, ``threads`` and ``engine``: ``auto`` uses
    the exact method when the scenario is tractable, ``mc`` always simulates,
    ``exact`` refuses intractable samples.
    """
    from ..analytic import IntractableError, exact, intractable_reason
    from ..engine import simulate

    scenario = task.scenario
    result = None
    if settings["engine"] != "mc":
        reason = intractable_reason(scenario)
        if reason is None:
            try:
                result = exact(scenario).to_dict()
            except IntractableError as exc:
                reason = str(exc)
        if result is None and settings["engine"] == "exact":
            raise SweepError(f"sample {task.index}: no exact answer: {reason} "
                             "(use --engine auto)")
    if result is None:
        with engine_lock():
            result = simulate(scenario, settings["trials"], settings["seed"],
                              settings["threads"]).to_dict()
    return {"index": task.index, "values": task.values, "method": result.get("method", "mc"),
            "metrics": metrics_of(result, scenario.max_leakers)}


def run_points(points: Sequence[Point], spec: dict[str, Any], settings: dict[str, Any],
               out: str | os.PathLike[str] | None, executor: Any,
               threads: int | None, progress: bool | None, unit: str = "sample"
               ) -> tuple[dict[int, dict[str, Any]], str, int]:
    """Run every point with :func:`compute_sample`, reusing finished ones in ``out``.

    Returns
    -------
    (payloads by index, run id, how many were reused)
    """
    store = OutDir(out, spec) if out is not None else None
    done: dict[int, dict[str, Any]] = {}
    if store is not None:
        store.open()
        done = store.load_points(len(points))
    the_id = store.id if store is not None else sweep_id(spec)
    reused = len(done)
    pending = [PointTask(p.index, p.values, p.scenario) for p in points if p.index not in done]
    bar = progress_bar(len(points), reused, progress, unit + "s", unit=unit)

    def finish(payload: dict[str, Any]) -> None:
        payload = {"sweep_id": the_id, **payload}
        if store is not None:
            store.write_point(payload)
        done[payload["index"]] = payload
        if bar is not None:
            bar.update(1)

    try:
        execute(pending, {**settings, "threads": threads}, executor, finish, task=compute_sample)
    finally:
        if bar is not None:
            bar.close()
    return done, the_id, reused


def write_document(out: str | os.PathLike[str], name: str, doc: dict[str, Any],
                   csv_text: str | None = None) -> None:
    """Write the final JSON (and a per-sample CSV) into ``out`` atomically."""
    path = Path(out)
    atomic_write_text(path / f"{name}.json", json.dumps(doc, indent=1, allow_nan=False) + "\n")
    if csv_text is not None:
        atomic_write_text(path / "samples.csv", csv_text)


def check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise SweepError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")


def method_counts(payloads: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many samples each method computed: ``{"exact": n, "mc": m}``."""
    counts = {"exact": 0, "mc": 0}
    for p in payloads:
        counts[p["method"]] = counts.get(p["method"], 0) + 1
    return counts
