"""The ``sweep`` and ``solve`` sub-commands (see :mod:`saturation_sim.sweep`).

Wire in with ``sweep_cmd.register(subparsers)``. Bad input raises
``ScenarioError``, ``SweepError`` or ``UsageError``, which the entry point prints as one line
with exit status 2.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..scenario import load_scenario
from .common import (UsageError, check_threads, dumps, emit, positive_float, positive_int,
                     progress_of, seed_int, with_executor)


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..sweep import run_sweep as sweep

    scenario = load_scenario(args.config)
    check_threads(args.threads)

    def run(executor, threads):
        return sweep(scenario, args.vary, args.out, trials=args.trials, seed=args.seed,
                     ci_halfwidth=args.ci_halfwidth, max_trials=args.max_trials,
                     batch_trials=args.batch_trials, executor=executor, threads=threads,
                     points=args.points,
                     progress=progress_of(args))

    result = with_executor(args.scheduler, args.threads, run)
    n = len(result.points)
    print(f"{scenario.name}: {n} point(s), {result.computed} computed now, "
          f"{result.reused} reused from an earlier run; seed {result.settings.seed}")
    print(f"results: {Path(args.out) / 'results.csv'} and {Path(args.out) / 'sweep.json'}")
    return 0


def _range(text: str) -> tuple[str, Decimal, Decimal]:
    key, sep, values = text.partition("=")
    bits = values.split(":")
    try:
        if not sep or len(bits) != 2:
            raise InvalidOperation
        lo, hi = Decimal(bits[0].strip()), Decimal(bits[1].strip())
        if not (lo.is_finite() and hi.is_finite()):
            raise InvalidOperation
    except InvalidOperation:
        raise UsageError(f"--vary {text!r}: expected KEY=LO:HI, e.g. "
                         "layers.upper.fire_units=1:10 or raid_ratio=0.5:4") from None
    return key.strip(), lo, hi


def cmd_solve(args: argparse.Namespace) -> int:
    from ..sweep import solve

    scenario = load_scenario(args.config)
    check_threads(args.threads)
    key, lo, hi = _range(args.vary)
    result = solve(scenario, key, lo, hi, args.target, trials=args.trials, seed=args.seed,
                   tol=args.tol, threads=args.threads, method=args.method,
                   progress=progress_of(args))
    return emit(dumps(result.to_dict()), lambda: result.line, args.json)


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    """Add ``sweep`` and ``solve`` to the sub-command parser of ``saturation-sim``."""

    p = sub.add_parser(
        "sweep", help="run a scenario over a grid of parameter values (resumable)",
        description="Run a scenario at every point of a grid of parameter values with one seed "
                    "(common random numbers). Writes DIR/results.csv and DIR/sweep.json; a "
                    "sweep that is stopped and started again with the same arguments computes "
                    "only the missing points.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    p.add_argument("--vary", action="append", required=True, metavar="KEY=VALUES",
                   help="a dotted key (layers.upper.fire_units, threats.HGV.count, "
                        "layers.upper.engage.HGV.sspk, raid_ratio, ...) and its values: "
                        "start:stop:step (stop included), LO:HI with --points K, or a,b,c; "
                        "repeat for a grid. 'saturation-sim keys CONFIG' lists the keys")
    p.add_argument("--points", type=positive_int, metavar="K",
                   help="for values written LO:HI, K evenly spaced values (ends included)")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--trials", type=positive_int, metavar="N",
                     help="trials per point (default: the file's [simulation] trials, "
                          "else 100000)")
    how.add_argument("--ci-halfwidth", type=positive_float, metavar="X",
                     help="instead of --trials: run each point in batches until the 95%% CI "
                          "half-width of mean leakers is at most X")
    p.add_argument("--max-trials", type=positive_int, metavar="M",
                   help="with --ci-halfwidth: at most M trials per point (default 1000000)")
    p.add_argument("--batch-trials", type=positive_int, default=10_000, metavar="B",
                   help="with --ci-halfwidth: trials per batch (default 10000)")
    p.add_argument("--seed", type=seed_int, metavar="S",
                   help="the seed of every point (default: the file's, else 1)")
    p.add_argument("--threads", type=positive_int, metavar="T",
                   help="engine threads per point (default: all cores); does not change results")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run points on Dask: a scheduler address (tcp://host:8786) or local:N "
                        "for N local worker processes; needs pip install 'saturation-sim[dask]'")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "solve", help="least defence lever, or largest raid, that meets a leakage target",
        description="Find the least value of a defence lever (or the largest raid) in a range "
                    "that meets a target such as p_any_leak<=0.05 or leakers_mean<=5. Exact "
                    "when the analytic layer can treat the scenario, else bisection with "
                    "Monte Carlo and common random numbers. Says so when the target cannot "
                    "be met.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    p.add_argument("--vary", required=True, metavar="KEY=LO:HI",
                   help="the key and its range, e.g. layers.upper.fire_units=1:20")
    p.add_argument("--target", required=True, metavar="METRIC<=X",
                   help="p_any_leak<=X or leakers_mean<=X ('<' also accepted; 5%% for 0.05)")
    p.add_argument("--trials", type=positive_int, metavar="N",
                   help="Monte Carlo trials per probe (default: the file's, else 100000)")
    p.add_argument("--seed", type=seed_int, metavar="S", help="seed of every probe")
    p.add_argument("--tol", type=positive_float, metavar="X",
                   help="for a real-valued key: stop when the bracket is this narrow "
                        "(default: range / 1000)")
    p.add_argument("--method", choices=("auto", "mc", "exact"), default="auto",
                   help="auto (default): exact when tractable, else Monte Carlo")
    p.add_argument("--threads", type=positive_int, metavar="T", help="engine threads")
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the JSON answer to PATH; '-' prints only the JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_solve)
