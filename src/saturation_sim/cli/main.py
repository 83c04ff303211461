"""The ``saturation-sim`` command line: argument parsing and dispatch.

Every sub-command turns bad input into one line on stderr and exit status 2
(never a traceback), and Ctrl-C into exit status 130.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from .. import __version__
from ..scenario import ScenarioError, load_scenario
from .summary import describe_scenario, format_result

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class UsageError(ValueError):
    """Bad command-line input that is not a scenario problem."""


def _json_default(obj: Any) -> Any:
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(d: dict[str, Any]) -> str:
    """JSON text of a result, with numpy scalars converted and NaN refused."""
    return json.dumps(d, indent=2, default=_json_default, allow_nan=False)


def positive_int(text: str) -> int:
    try:
        v = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {v}")
    return v


def seed_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if not 0 <= v < 2**63:
        raise argparse.ArgumentTypeError(f"expected a whole number in [0, 2^63), got {v}")
    return v


# --- sub-commands ---------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    s = load_scenario(args.config)
    print(f"{args.config}: OK: {s.name}")
    print("\n".join(describe_scenario(s)))
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
    from ..engine.driver import resolve_threads

    try:
        resolve_threads(threads)
    except ValueError as exc:
        raise UsageError(f"--{exc}") from None
    return simulate(scenario, trials=trials, seed=seed, threads=threads,
                    progress=progress).to_dict()


def emit(json_text: str, summary: Callable[[], str], json_arg: str | None) -> int:
    """Print a command's result: only the JSON (``--json -``), or the summary, with
    the JSON also written to ``--json PATH`` when given."""
    if json_arg == "-":
        print(json_text)
        return 0
    if json_arg:
        Path(json_arg).write_text(json_text + "\n", encoding="utf-8")
    print(summary())
    if json_arg:
        print(f"\nJSON written to {json_arg}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    s = load_scenario(args.config)
    progress = False if (args.quiet or args.json == "-") else None
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

    from . import extra_commands

    extra_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError) as exc:
        print(f"saturation-sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("saturation-sim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `saturation-sim run ... --json - | head`
        return 0


if __name__ == "__main__":
    # Under `python -m` this file is __main__, and the sub-command modules import
    # saturation_sim.cli.main again: dispatch through that copy, whose UsageError
    # is the one they raise, so that their errors stay one line with status 2.
    from saturation_sim.cli.main import main as _package_main

    sys.exit(_package_main())
