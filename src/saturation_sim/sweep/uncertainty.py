"""Uncertainty propagation: the spread of the answer that the ``[uncertainty]`` ranges allow.

Nested Monte Carlo. The outer loop draws S input samples from a space-filling
design (scrambled Sobol' or Latin hypercube, ``scipy.stats.qmc``) mapped
through each input's distribution; the inner loop runs each sampled scenario,
exactly when it is tractable, else with T Monte Carlo trials and the SAME seed
for every sample (common random numbers, so that differences between samples
come from the inputs, not from the dice). Across the samples each metric gets
its mean, standard deviation and quantiles; the variance of leakers splits by
the law of total variance into

    Var(L) = Var_theta(E[L | theta])  +  E_theta(Var[L | theta])
              epistemic (inputs)           aleatory (trial to trial)

With a swept axis (usually ``raid_ratio``), all of this is done at every axis
value with the same input samples, which gives the fan chart.
"""

from __future__ import annotations

import csv
import io
import os
import time
from typing import Any, Sequence

import numpy as np

from ..scenario import Scenario, as_scenario
from ..scenario.uncertainty import uncertainty_to_dict
from .errors import SweepError
from .grid import Point, VarySpec, build_axes
from .point import resolve_settings
from .sampling import (DESIGNS, METRICS, Resolved, check_engine, design, input_values,
                       inputs_doc, method_counts, resolve_inputs, run_points, sample_scenario,
                       write_document)

QUANTILES = (5, 25, 50, 75, 95)
DEFAULT_SAMPLES = 256
DEFAULT_EXCEED = (0.25, 0.5)


def _quantiles(x: np.ndarray) -> dict[str, float]:
    return {f"p{q:02d}": float(np.quantile(x, q / 100)) for q in QUANTILES}


def summarise(nominal: dict[str, Any], payloads: Sequence[dict[str, Any]], trials: int,
              exceed: Sequence[float]) -> dict[str, Any]:
    """Statistics across the samples of one axis point.

    Parameters
    ----------
    nominal
        The payload of the nominal scenario (inputs at their written values).
    payloads
        One payload per input sample, in sample order (``metrics`` of :func:`.metrics_of`).
    trials
        Monte Carlo trials per sample (bounds the Monte Carlo noise in the epistemic part).
    exceed
        Thresholds of the share of warheads leaking.

    Returns
    -------
    dict
        ``outputs.<metric>.{mean, std, quantiles, nominal}``, ``exceedance``,
        ``variance.leakers.{total, epistemic, aleatory, mc_noise}``, ``methods`` and
        ``draws.<metric>`` (the S values, in sample order).
    """
    outputs: dict[str, Any] = {}
    draws: dict[str, Any] = {}
    for m in METRICS:
        vals = [p["metrics"][m] for p in payloads]
        if any(v is None for v in vals):  # e.g. no costs in the scenario
            outputs[m], draws[m] = None, None
            continue
        x = np.asarray(vals, dtype=np.float64)
        outputs[m] = {"mean": float(x.mean()), "std": float(x.std(ddof=1)) if x.size > 1 else 0.0,
                      "quantiles": _quantiles(x), "nominal": nominal["metrics"][m]}
        draws[m] = x.tolist()
    share = np.asarray(draws["leak_fraction"])
    means = np.asarray(draws["leakers_mean"])
    within = np.asarray([p["metrics"]["leakers_var"] for p in payloads])
    mc = np.asarray([p["method"] == "mc" for p in payloads])
    epistemic = float(means.var(ddof=1)) if means.size > 1 else 0.0
    aleatory = float(within.mean())
    return {
        "outputs": outputs,
        "exceedance": {"leak_fraction": {f"{t:g}": float((share > t).mean()) for t in exceed}},
        "variance": {"leakers": {
            "total": epistemic + aleatory, "epistemic": epistemic, "aleatory": aleatory,
            # The epistemic part above is the variance of the per-sample means; Monte
            # Carlo samples add at most this much noise to it (Var of a mean of T trials).
            "mc_noise": float((within * mc).mean() / trials) if mc.any() else 0.0}},
        "methods": method_counts([nominal, *payloads]),
        "draws": draws,
    }


def _points(scenario: Scenario, inputs: Sequence[Resolved], values: list[list[Any]],
            axis: Any) -> list[Point]:
    """Per axis value: the nominal point, then one point per sample."""
    s = len(values)
    points = []
    for a, v in enumerate(axis.values if axis is not None else [None]):
        extra = [(axis.key, v)] if axis is not None else []
        base = a * (s + 1)
        points.append(Point(base, {"axis": v, "sample": None},
                            sample_scenario(scenario, [], [], extra)))
        for j, vals in enumerate(values):
            points.append(Point(base + 1 + j, {"axis": v, "sample": j},
                                sample_scenario(scenario, inputs, vals, extra)))
    return points


def _check(samples: int, design_kind: str, exceed: Sequence[float], engine: str) -> None:
    check_engine(engine)
    if design_kind not in DESIGNS:
        raise SweepError(f"--design must be one of {', '.join(DESIGNS)}, got {design_kind!r}")
    if int(samples) < 2:
        raise SweepError(f"--samples must be >= 2, got {samples}")
    for t in exceed:
        if not 0.0 <= t <= 1.0:
            raise SweepError(f"--exceed {t:g}: expected shares in [0, 1], e.g. 0.25,0.5")


def _axis(scenario: Scenario, vary: VarySpec | None, inputs: Sequence[Resolved]) -> Any:
    if not vary:
        return None
    axes = build_axes(scenario, vary)
    if len(axes) != 1:
        raise SweepError("uncertainty takes one --vary KEY=VALUES (the axis of the fan chart)")
    axis = axes[0]
    for r in inputs:
        if r.key.text == axis.key.text or (axis.key.path and r.key.path == axis.key.path):
            raise SweepError(f"--vary {axis.key.text}: the key is also uncertain in "
                             "[uncertainty]; vary another key or drop its entry")
    return axis


def samples_csv(doc: dict[str, Any], payloads: dict[int, dict[str, Any]]) -> str:
    """samples.csv: one row per run (nominal rows have an empty sample), inputs then metrics."""
    keys = list(doc["inputs"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    axis = doc.get("vary", {}).get("key") if doc.get("vary") else None
    w.writerow(([axis] if axis else []) + ["sample", "method"] + keys + list(METRICS))
    drawn = doc["inputs_drawn"]
    for index in sorted(payloads):
        p = payloads[index]
        j = p["values"]["sample"]
        ins = [drawn[k][j] for k in keys] if j is not None else ["" for _ in keys]
        w.writerow(([p["values"]["axis"]] if axis else []) + ["" if j is None else j, p["method"]]
                   + ins + ["" if p["metrics"][m] is None else p["metrics"][m] for m in METRICS])
    return buf.getvalue()


def uncertainty(scenario: Scenario | str | os.PathLike[str], *, samples: int = DEFAULT_SAMPLES,
                trials: int | None = None, seed: int | None = None,
                vary: VarySpec | None = None, out: str | os.PathLike[str] | None = None,
                design_kind: str = "sobol", exceed: Sequence[float] = DEFAULT_EXCEED,
                engine: str = "auto", executor: Any = None,
                threads: int | None = None, progress: bool | None = None) -> dict[str, Any]:
    """Propagate the ``[uncertainty]`` ranges of a scenario to its outputs.

    Parameters
    ----------
    scenario
        A :class:`Scenario` with an ``[uncertainty]`` table, or its file.
    samples
        S, input samples (a power of two suits the Sobol' design best).
    trials, seed
        Monte Carlo trials per sample and the one seed of every sample.
    vary
        One ``KEY=VALUES`` axis (e.g. ``raid_ratio=0.5:5:0.5``): everything is
        done at every value, with the same input samples. ``raid_ratio`` is a
        multiple of the NOMINAL capacity (see :func:`.sample_scenario`).
    out
        Directory for per-sample files, ``samples.csv`` and ``uncertainty.json``;
        a rerun with the same arguments resumes.
    design_kind
        ``sobol`` (scrambled Sobol') or ``lhs`` (Latin hypercube).
    exceed
        Thresholds of the share of warheads leaking, for ``exceedance``.
    engine
        ``auto``: exact per sample when tractable, else Monte Carlo; ``mc``;
        ``exact`` (refuses intractable samples).
    executor, threads, progress
        As for :func:`.run.run_sweep` (an executor is a ``concurrent.futures.Executor``
        or a Dask client).

    Returns
    -------
    dict
        The JSON document described in ``docs/uncertainty.md``.
    """
    start = time.perf_counter()
    scenario = as_scenario(scenario)
    _check(samples, design_kind, exceed, engine)
    inputs = resolve_inputs(scenario)
    run = resolve_settings(scenario, trials, seed, threads)
    settings = {"trials": run.trials, "seed": run.seed, "engine": engine}
    axis = _axis(scenario, vary, inputs)
    unit = design(len(inputs), int(samples), design_kind, settings["seed"])
    values = input_values(inputs, unit)
    points = _points(scenario, inputs, values, axis)
    base = scenario.to_dict()
    base.pop("simulation", None)
    table = uncertainty_to_dict(tuple(r.input for r in inputs))
    spec = {"kind": "uncertainty", "scenario": base, "inputs": table,
            "vary": None if axis is None else [axis.key.text, list(axis.values)],
            "samples": int(samples), "design": design_kind, **settings}
    done, run_id, reused = run_points(points, spec, settings, out, executor, run.threads, progress)
    s = int(samples)
    doc: dict[str, Any] = {
        "scenario": scenario.name, "source": scenario.source, "samples": s,
        "trials": settings["trials"], "seed": settings["seed"], "design": design_kind,
        "engine": engine, "inputs": inputs_doc(inputs), "exceed": [float(t) for t in exceed],
        "inputs_drawn": {r.input.key: [v[j] for v in values] for j, r in enumerate(inputs)},
    }
    per_point = []
    for a, v in enumerate(axis.values if axis is not None else [None]):
        block = [done[a * (s + 1) + k] for k in range(s + 1)]
        per_point.append({"value": v, **summarise(block[0], block[1:], settings["trials"],
                                                  exceed)})
    doc["methods"] = method_counts([done[i] for i in sorted(done)])
    if axis is None:
        doc.update({k: v for k, v in per_point[0].items() if k != "value"})
    else:
        doc["vary"] = {"key": axis.key.text, "values": list(axis.values)}
        doc["points"] = per_point
    from .._version import __version__

    doc.update(run_id=run_id, reused=reused, elapsed_s=time.perf_counter() - start,
               version=__version__)
    if out is not None:
        write_document(out, "uncertainty", doc, samples_csv(doc, done))
    return doc
