"""The ``uncertainty`` and ``sensitivity`` sub-commands (see ``saturation_sim.sweep``).

Wire in with ``uncertainty_cmd.register(subparsers)``. Bad input raises
``ScenarioError``, ``SweepError`` or ``UsageError``, which the entry point prints as one line
with exit status 2.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any, Callable

from ..scenario import load_scenario
from .common import (UsageError, check_threads, dumps, emit, positive_int, progress_of,
                     seed_int, with_executor)

_LABELS = {"leakers_mean": "mean leakers", "leak_fraction": "share leaking",
           "p_any_leak": "P(any leak)", "interceptors_mean": "interceptors fired",
           "exchange_ratio": "cost exchange"}


def _shares(text: str) -> tuple[float, ...]:
    try:
        vals = tuple(float(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected shares such as 0.25,0.5, got {text!r}") \
            from None
    if not vals or any(not (0.0 <= v <= 1.0 and math.isfinite(v)) for v in vals):
        raise argparse.ArgumentTypeError(f"expected shares in [0, 1] such as 0.25,0.5, "
                                         f"got {text!r}")
    return vals


def _methods_line(doc: dict[str, Any]) -> str:
    m = doc["methods"]
    parts = [f"{m['exact']} exact"] if m.get("exact") else []
    if m.get("mc"):
        parts.append(f"{m['mc']} Monte Carlo ({doc['trials']:,} trials, seed {doc['seed']})")
    return "runs: " + ", ".join(parts)


def _fmt(v: float) -> str:
    return f"{v:10.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:10.2e}"


def _outputs_table(block: dict[str, Any]) -> list[str]:
    lines = [f"  {'':<20}{'nominal':>10}{'mean':>10}{'p05':>10}{'p25':>10}{'p50':>10}"
             f"{'p75':>10}{'p95':>10}"]
    for m, o in block["outputs"].items():
        if o is None:
            continue
        q = o["quantiles"]
        lines.append(f"  {_LABELS.get(m, m):<20}" + "".join(
            _fmt(v) for v in (o["nominal"], o["mean"], q["p05"], q["p25"], q["p50"], q["p75"],
                              q["p95"])))
    ex = ", ".join(f"P(share > {t}) = {p:.2f}"
                   for t, p in block["exceedance"]["leak_fraction"].items())
    var = block["variance"]["leakers"]
    share = var["epistemic"] / var["total"] if var["total"] > 0 else 0.0
    lines.append(f"  {ex}")
    lines.append(f"  variance of leakers {var['total']:.4g}: {share:.0%} from the inputs "
                 f"(epistemic {var['epistemic']:.4g}), {1 - share:.0%} trial to trial "
                 f"(aleatory {var['aleatory']:.4g})")
    return lines


def uncertainty_summary(doc: dict[str, Any]) -> str:
    """A readable account of an uncertainty document."""
    out = [f"{doc['scenario']}: {len(doc['inputs'])} uncertain inputs, {doc['samples']} samples "
           f"({doc['design']} design)", _methods_line(doc)]
    if "points" not in doc:
        return "\n".join(out + _outputs_table(doc))
    key = doc["vary"]["key"]
    for p in doc["points"]:
        out.append(f"{key} = {p['value']}:")
        out.extend(_outputs_table(p))
    return "\n".join(out)


def sensitivity_summary(doc: dict[str, Any]) -> str:
    """A readable ranking of the inputs for mean leakers."""
    out = [f"{doc['scenario']}: {doc['method']} sensitivity, {doc['runs']} runs",
           _methods_line(doc)]
    for m in ("leakers_mean", "leak_fraction"):
        o = doc["outputs"].get(m)
        if o is None:
            continue
        out.append(f"{_LABELS[m]}:")
        if doc["method"] == "sobol":
            for k in sorted(o["ST"], key=lambda k: -o["ST"][k]):
                lo, hi = o["ST_ci95"][k]
                out.append(f"  ST {o['ST'][k]:6.3f} [{lo:6.3f}, {hi:6.3f}]  S1 {o['S1'][k]:6.3f}"
                           f"  {k}")
        elif doc["method"] == "morris":
            for k in sorted(o["mu_star"], key=lambda k: -o["mu_star"][k]):
                out.append(f"  mu* {o['mu_star'][k]:10.4g}  sigma {o['sigma'][k]:10.4g}  {k}")
        else:
            nominal = doc["nominal"][m]
            for k in sorted(o, key=lambda k: -abs(o[k]["high"] - o[k]["low"])):
                lo_v, hi_v = doc["levels"][k]
                out.append(f"  {o[k]['low']:10.4g} .. {o[k]['high']:10.4g} (nominal "
                           f"{nominal:.4g})  {k} = {lo_v} .. {hi_v}")
    return "\n".join(out)


def _figures(args: argparse.Namespace, kind: str, doc: dict[str, Any]) -> list[Path]:
    from ..report.errors import ReportError

    try:
        from ..report.uncertainty_figs import write_figures

        return write_figures(doc, kind, Path(args.figures), langs=("en", "ja"))
    except ReportError as exc:
        raise UsageError(str(exc)) from None


def _emit(args: argparse.Namespace, doc: dict[str, Any], summary: str, kind: str) -> int:

    paths = _figures(args, kind, doc) if args.figures else []
    text = summary + (f"\nfigures: {', '.join(str(p) for p in paths)}" if paths else "")
    return emit(dumps(doc), lambda: text, args.json)


def _run(args: argparse.Namespace, kind: str, analyse: Callable[..., dict[str, Any]],
         summarise: Callable[[dict[str, Any]], str], **settings: Any) -> int:
    """Load the scenario, run ``analyse(scenario, executor=, threads=, progress=,
    **settings)`` here or on Dask, and print (and draw) the document it returns."""
    scenario = load_scenario(args.config)
    check_threads(args.threads)
    progress = progress_of(args)
    doc = with_executor(args.scheduler, args.threads, lambda executor, threads: analyse(
        scenario, executor=executor, threads=threads, progress=progress, **settings))
    return _emit(args, doc, summarise(doc), kind)


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from ..sweep.uncertainty import uncertainty

    return _run(args, "uncertainty", uncertainty, uncertainty_summary, samples=args.samples,
                trials=args.trials, seed=args.seed, vary=args.vary, out=args.out,
                design_kind=args.design, exceed=args.exceed, engine=args.engine)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..sweep.sensitivity import sensitivity

    return _run(args, "sensitivity", sensitivity, sensitivity_summary, method=args.method,
                samples=args.samples, trials=args.trials, seed=args.seed, out=args.out,
                engine=args.engine)


def _common(p: argparse.ArgumentParser) -> None:

    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML) with [uncertainty]")
    p.add_argument("--trials", type=positive_int, metavar="T",
                   help="Monte Carlo trials per sample when it cannot be solved exactly "
                        "(default: the file's [simulation] trials, else 100000)")
    p.add_argument("--seed", type=seed_int, metavar="S",
                   help="seed of the design and of every sample (common random numbers)")
    p.add_argument("--engine", choices=("auto", "mc", "exact"), default="auto",
                   help="auto (default): exact for every sample that allows it, else Monte "
                        "Carlo; mc: always simulate; exact: refuse intractable samples")
    p.add_argument("--out", metavar="DIR",
                   help="keep per-sample results in DIR; a rerun with the same arguments "
                        "resumes")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run samples on Dask: a scheduler address or local:N")
    p.add_argument("--threads", type=positive_int, metavar="T", help="engine threads")
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the JSON to PATH; '-' prints only the JSON")
    p.add_argument("--figures", metavar="FIGDIR",
                   help="also draw the figures (PNG, English and Japanese) into FIGDIR")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    """Add ``uncertainty`` and ``sensitivity`` to the sub-command parser."""

    p = sub.add_parser(
        "uncertainty", help="spread of the answer over the [uncertainty] ranges",
        description="Nested Monte Carlo over the scenario's [uncertainty] table: S input "
                    "samples from a scrambled Sobol' (or Latin hypercube) design, each run "
                    "exactly or with T trials and the same seed; reports mean, std and "
                    "quantiles of every metric, P(share leaking > threshold), and the split "
                    "of the variance of leakers into input and trial-to-trial parts.")
    _common(p)
    p.add_argument("--samples", type=positive_int, default=256, metavar="S",
                   help="input samples (default 256; powers of two suit the Sobol' design)")
    p.add_argument("--vary", metavar="KEY=VALUES",
                   help="repeat at every value of one key, e.g. raid_ratio=0.5:5:0.5 (a "
                        "multiple of the nominal capacity): the fan chart")
    p.add_argument("--exceed", type=_shares, default=(0.25, 0.5), metavar="X,Y",
                   help="thresholds of the share of warheads leaking (default 0.25,0.5)")
    p.add_argument("--design", choices=("sobol", "lhs"), default="sobol",
                   help="sobol (scrambled Sobol', default) or lhs (Latin hypercube)")
    p.set_defaults(func=cmd_uncertainty)

    p = sub.add_parser(
        "sensitivity", help="which [uncertainty] input drives the answer",
        description="Global sensitivity over the [uncertainty] inputs: Sobol' first- and "
                    "total-order indices with bootstrap 95%% intervals (SALib), Morris "
                    "elementary-effects screening, or a one-at-a-time tornado.")
    _common(p)
    p.add_argument("--method", choices=("sobol", "morris", "oat"), default="sobol",
                   help="sobol (default), morris or oat")
    p.add_argument("--samples", type=positive_int, metavar="N",
                   help="sobol: base samples, N (d + 2) runs (default 128); morris: "
                        "trajectories, N (d + 1) runs (default 20); ignored by oat")
    p.set_defaults(func=cmd_sensitivity)
