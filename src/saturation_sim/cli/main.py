"""The ``saturation-sim`` command line: argument parsing and dispatch.

Every sub-command turns bad input into one line on stderr and exit status 2
(never a traceback), and Ctrl-C into exit status 130.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from .._version import __version__
from ..engine.settings import SettingsError
from ..scenario import ScenarioError, load_scenario
from ..scenario.errors import printable
from ..sweep.errors import SweepError
from . import allocate_cmd, bench_cmd, report_cmd, sweep_cmd, uncertainty_cmd
from .common import (EXIT_BAD_INPUT, EXIT_INTERRUPTED, UsageError, check_threads, dumps, emit,
                     positive_int, progress_of, seed_int)
from ..engine.summary import format_result
from ..scenario.describe import describe_keys, describe_scenario

# --- sub-commands ---------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    s = load_scenario(args.config)
    print(f"{args.config}: OK: {s.name}")
    print("\n".join(describe_scenario(s)))
    for w in s.warnings():
        print(f"warning: {w}")
    return 0


def compute_result(scenario, method: str, trials: int | None, seed: int | None,
                   threads: int | None, progress: bool | None) -> dict[str, Any]:
    """The JSON result of a scenario by the chosen method (``mc``, ``exact`` or ``auto``)."""
    if method in ("exact", "auto"):
        from ..analytic import IntractableError, exact, intractable_reason

        reason = intractable_reason(scenario)
        if reason is None:
            try:
                return exact(scenario).to_dict()
            except IntractableError as exc:
                reason = str(exc)
        if method == "exact":
            raise UsageError(f"{scenario.source}: no exact answer for this scenario: {reason} "
                             "(use --method mc or auto)")
    from ..engine import simulate

    check_threads(threads)
    return simulate(scenario, trials=trials, seed=seed, threads=threads,
                    progress=progress).to_dict()


def cmd_keys(args: argparse.Namespace) -> int:
    s = load_scenario(args.config)
    print("\n".join(describe_keys(s)))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    s = load_scenario(args.config)
    progress = progress_of(args)
    d = compute_result(s, args.method, args.trials, args.seed, args.threads, progress)
    return emit(dumps(d), lambda: format_result(d), args.json)


# --- parser -----------------------------------------------------------------------

def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trials", type=positive_int, metavar="N",
                   help="Monte Carlo trials (default: the file's [simulation] trials, else 100000)")
    p.add_argument("--seed", type=seed_int, metavar="S",
                   help="random seed (default: the file's [simulation] seed, else 1); "
                        "the same seed gives the same numbers on any machine and thread count")
    p.add_argument("--threads", type=positive_int, metavar="T",
                   help="threads to use (default: all cores); does not change the results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saturation-sim",
        description="Monte Carlo simulation of saturation missile raids against layered "
                    "missile defence: how many warheads leak through, with what probability, "
                    "and what it costs in interceptors.",
        epilog="Scenario files are TOML; see configs/ for examples and "
               "'saturation-sim check FILE' to validate one.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("run", help="simulate one scenario and print a summary or JSON",
                       description="Simulate one scenario and print a readable summary "
                                   "(or only JSON with --json -).")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    _add_run_options(p)
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the JSON result to PATH; '-' prints only the JSON to stdout")
    p.add_argument("--method", choices=("mc", "exact", "auto"), default="mc",
                   help="mc: Monte Carlo (default); exact: closed form, refused when the "
                        "scenario is not tractable; auto: exact when tractable, else mc")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="validate a scenario; print its capacity and raid ratio",
                       description="Validate a scenario file and print the raid, the layers, "
                                   "the nominal engagement capacity and the raid ratio.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("keys", help="list the sweepable keys of a scenario, with values and units",
                       description="List every key of a scenario that sweep, solve and "
                                   "[uncertainty] can set (e.g. layers.upper.engage.BM.sspk), "
                                   "with its current value, unit and meaning.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    p.set_defaults(func=cmd_keys)

    sweep_cmd.register(sub)
    allocate_cmd.register(sub)
    report_cmd.register(sub)
    bench_cmd.register(sub)
    uncertainty_cmd.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError, SettingsError, SweepError) as exc:
        print(f"saturation-sim: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # a full or read-only disk, a missing directory: one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"saturation-sim: error: {printable(where + (exc.strerror or str(exc)))}; "
              "files written before are intact", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("saturation-sim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `saturation-sim run ... --json - | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
