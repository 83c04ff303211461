"""Global sensitivity: which uncertain input drives the answer.

Three methods over the ``[uncertainty]`` inputs, each run like a sweep (one
seed for every sample, exact where tractable, resumable, Dask):

``sobol``
    First-order (S1) and total-order (ST) Sobol' indices with bootstrap
    intervals, sampled and estimated by SALib (Saltelli's scheme without
    second-order terms: N (d + 2) runs for d inputs). Inputs are sampled in the
    unit cube and mapped through their distributions, so the indices are those
    of the distributions written in the table.
``morris``
    Elementary-effects screening (SALib): N trajectories of d + 1 runs each.
    Effects are per move across the whole unit cube of an input's quantiles,
    so ``mu_star`` is comparable between inputs of different units.
``oat``
    One at a time: each input at the low and at the high end of its range, the
    others at their nominal (written) values; 2 d + 1 runs. The tornado chart.
"""

from __future__ import annotations

import os
import time
import warnings
from typing import Any, Sequence

import numpy as np

from ..scenario import Scenario, as_scenario
from ..scenario.uncertainty import uncertainty_to_dict
from .errors import SweepError
from .grid import Point
from .point import resolve_settings
from .sampling import (METRICS, Resolved, check_engine, input_values, inputs_doc,
                       method_counts, resolve_inputs, run_points, sample_scenario,
                       write_document)

SENSITIVITY_METHODS = ("sobol", "morris", "oat")
DEFAULT_BASE_SAMPLES = {"sobol": 128, "morris": 20, "oat": 1}
#: Bootstrap resamples of SALib's interval estimates.
BOOTSTRAP_RESAMPLES = 1000
MORRIS_LEVELS = 4


def _problem(inputs: Sequence[Resolved]) -> dict[str, Any]:
    return {"num_vars": len(inputs), "names": [r.input.key for r in inputs],
            "bounds": [[0.0, 1.0]] * len(inputs)}


def _unit_design(method: str, inputs: Sequence[Resolved], n: int, seed: int) -> np.ndarray:
    """Rows of unit-cube coordinates, shape (runs, d), in SALib's order."""
    problem = _problem(inputs)
    # SALib takes a 32-bit seed; fold the project's 63-bit one into it.
    s32 = int(seed) % (2**32)
    with warnings.catch_warnings():  # SALib/scipy warn for N not a power of two
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.sample import sobol as sobol_sample

            x = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True,
                                    seed=s32)
        else:
            from SALib.sample import morris as morris_sample

            x = morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=s32)
    # Quantile 1 has no finite image for every distribution; keep just inside.
    return np.clip(x, 0.0, np.nextafter(1.0, 0.0))


def _interval(value: float, half: float) -> list[float]:
    return [float(value - half), float(value + half)]


def _sobol(problem: dict[str, Any], y: np.ndarray, seed: int, conf_level: float
           ) -> dict[str, Any]:
    from SALib.analyze import sobol as sobol_analyze

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                  num_resamples=BOOTSTRAP_RESAMPLES, conf_level=conf_level,
                                  seed=int(seed) % (2**32))
    names = problem["names"]
    return {"S1": {k: float(r["S1"][j]) for j, k in enumerate(names)},
            "S1_ci95": {k: _interval(r["S1"][j], r["S1_conf"][j]) for j, k in enumerate(names)},
            "ST": {k: float(r["ST"][j]) for j, k in enumerate(names)},
            "ST_ci95": {k: _interval(r["ST"][j], r["ST_conf"][j]) for j, k in enumerate(names)}}


def _morris(problem: dict[str, Any], x: np.ndarray, y: np.ndarray, seed: int,
            conf_level: float) -> dict[str, Any]:
    from SALib.analyze import morris as morris_analyze

    r = morris_analyze.analyze(problem, x, y, num_resamples=BOOTSTRAP_RESAMPLES,
                               conf_level=conf_level, num_levels=MORRIS_LEVELS,
                               seed=int(seed) % (2**32))
    names = problem["names"]
    return {"mu": {k: float(r["mu"][j]) for j, k in enumerate(names)},
            "mu_star": {k: float(r["mu_star"][j]) for j, k in enumerate(names)},
            "mu_star_ci95": {k: _interval(r["mu_star"][j], r["mu_star_conf"][j])
                             for j, k in enumerate(names)},
            "sigma": {k: float(r["sigma"][j]) for j, k in enumerate(names)}}


def _oat_points(scenario: Scenario, inputs: Sequence[Resolved]) -> tuple[list[Point], list]:
    points = [Point(0, {"input": None, "end": None}, scenario)]
    levels = []
    for j, r in enumerate(inputs):
        lo, hi = r.input.support
        ends = (int(lo), int(hi)) if r.key.integer else (float(lo), float(hi))
        levels.append(list(ends))
        for e, v in enumerate(ends):
            points.append(Point(1 + 2 * j + e, {"input": r.input.key, "end": ("low", "high")[e]},
                                sample_scenario(scenario, [r], [v])))
    return points, levels


def sensitivity(scenario: Scenario | str | os.PathLike[str], *, method: str = "sobol",
                samples: int | None = None, trials: int | None = None,
                seed: int | None = None, out: str | os.PathLike[str] | None = None,
                engine: str = "auto", conf_level: float = 0.95,
                executor: Any = None, threads: int | None = None,
                progress: bool | None = None) -> dict[str, Any]:
    """Sensitivity of the outputs to the ``[uncertainty]`` inputs.

    Parameters
    ----------
    scenario
        A :class:`Scenario` with an ``[uncertainty]`` table, or its file.
    method
        ``sobol``, ``morris`` or ``oat`` (see the module docstring).
    samples
        N: base samples for ``sobol`` (runs N (d + 2); default 128), trajectories
        for ``morris`` (runs N (d + 1); default 20); ignored by ``oat``.
    trials, seed, engine, executor, threads, progress
        As for :func:`.uncertainty.uncertainty`.
    out
        Directory for per-run files and ``sensitivity.json`` (resumable).
    conf_level
        Level of the bootstrap intervals (the JSON keys say ci95 for the default 0.95).

    Returns
    -------
    dict
        ``method``, ``samples``, ``runs``, ``trials``, ``seed``, ``methods``,
        ``inputs`` and ``outputs.<metric>``: for sobol ``{S1, S1_ci95, ST,
        ST_ci95}`` (maps from key), for morris ``{mu, mu_star, mu_star_ci95,
        sigma}``, for oat ``<key>.{low, high}`` (with ``nominal.<metric>`` and
        ``levels.<key>`` beside).
    """
    start = time.perf_counter()
    if method not in SENSITIVITY_METHODS:
        raise SweepError(f"--method must be one of {', '.join(SENSITIVITY_METHODS)}, "
                         f"got {method!r}")
    check_engine(engine)
    if not 0.0 < conf_level < 1.0:
        raise SweepError(f"conf_level must be in (0, 1), got {conf_level}")
    scenario = as_scenario(scenario)
    inputs = resolve_inputs(scenario)
    n = int(samples if samples is not None else DEFAULT_BASE_SAMPLES[method])
    if n < 2 and method != "oat":
        raise SweepError(f"--samples must be >= 2 for {method}, got {n}")
    run = resolve_settings(scenario, trials, seed, threads)
    settings = {"trials": run.trials, "seed": run.seed, "engine": engine}
    levels: list = []
    if method == "oat":
        points, levels = _oat_points(scenario, inputs)
        n, unit = 1, None
    else:
        unit = _unit_design(method, inputs, n, settings["seed"])
        values = input_values(inputs, unit)
        points = [Point(i, {"sample": i}, sample_scenario(scenario, inputs, v))
                  for i, v in enumerate(values)]
    base = scenario.to_dict()
    base.pop("simulation", None)
    spec = {"kind": f"sensitivity-{method}", "scenario": base,
            "inputs": uncertainty_to_dict(tuple(r.input for r in inputs)),
            "samples": n, **settings}
    done, run_id, reused = run_points(points, spec, settings, out, executor, run.threads, progress,
                                      unit="run")
    payloads = [done[p.index] for p in points]
    doc: dict[str, Any] = {
        "scenario": scenario.name, "source": scenario.source, "method": method,
        "samples": n, "runs": len(points), "trials": settings["trials"],
        "seed": settings["seed"], "engine": engine, "methods": method_counts(payloads),
        "conf_level": conf_level,
        "inputs": inputs_doc(inputs),
    }
    outputs: dict[str, Any] = {}
    problem = _problem(inputs)
    for m in METRICS:
        vals = [p["metrics"][m] for p in payloads]
        if any(v is None for v in vals):
            outputs[m] = None
            continue
        y = np.asarray(vals, dtype=np.float64)
        if method == "oat":
            outputs[m] = {r.input.key: {"low": y[1 + 2 * j], "high": y[2 + 2 * j]}
                          for j, r in enumerate(inputs)}
            outputs[m] = {k: {e: float(v) for e, v in d.items()} for k, d in outputs[m].items()}
        elif np.ptp(y) == 0.0:  # no variance to apportion: every index is 0
            outputs[m] = None
        elif method == "sobol":
            outputs[m] = _sobol(problem, y, settings["seed"], conf_level)
        else:
            outputs[m] = _morris(problem, unit, y, settings["seed"], conf_level)
    doc["outputs"] = outputs
    if method == "oat":
        doc["nominal"] = payloads[0]["metrics"]
        doc["levels"] = {r.input.key: lv for r, lv in zip(inputs, levels)}
    from .._version import __version__

    doc.update(run_id=run_id, reused=reused, elapsed_s=time.perf_counter() - start,
               version=__version__)
    if out is not None:
        write_document(out, "sensitivity", doc)
    return doc
