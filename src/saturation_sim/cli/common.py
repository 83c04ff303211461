"""What every sub-command shares: exit codes, the usage error, argument types, output.

Sub-command modules import from here and never from :mod:`.main`, which
imports them: the command line has no import cycle.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any, Callable

from .._io import atomic_write_text

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
    """argparse type: a whole number >= 1 (``1_000``, ``1e5`` and ``100000.0`` accepted)."""
    t = text.strip().replace("_", "")
    try:
        v = int(t)
    except ValueError:
        try:
            f = float(t)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not (math.isfinite(f) and f.is_integer()):
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        v = int(f)
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {v}")
    return v


def seed_int(text: str) -> int:
    """argparse type: a seed, a whole number in [0, 2^63)."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if not 0 <= v < 2**63:
        raise argparse.ArgumentTypeError(f"expected a whole number in [0, 2^63), got {v}")
    return v


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not (v > 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return v


def check_threads(threads: int | None) -> None:
    """Refuse a --threads this machine cannot give (the one check, shared by every command)."""
    from ..engine import resolve_threads

    try:
        resolve_threads(threads)
    except ValueError as exc:
        raise UsageError(f"--{exc}") from None


def progress_of(args: argparse.Namespace) -> bool | None:
    """A command's ``progress``: off with ``--quiet`` or when stdout carries the JSON
    (``--json -``), else None (the engine's default: shown on a terminal)."""
    return False if (args.quiet or getattr(args, "json", None) == "-") else None


def write_text(path: str, text: str) -> None:
    """Write an output file named on the command line, or say in one line why not."""
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc}); nothing was "
                         "written there") from None


def emit(json_text: str, summary: Callable[[], str], json_arg: str | None) -> int:
    """Print a command's result: only the JSON (``--json -``), or the summary, with
    the JSON also written to ``--json PATH`` when given."""
    if json_arg == "-":
        print(json_text)
        return 0
    if json_arg:
        write_text(json_arg, json_text + "\n")
    print(summary())
    if json_arg:
        print(f"\nJSON written to {json_arg}")
    return 0


def with_executor(scheduler: str | None, threads: int | None,
                  run: Callable[[Any, int | None], Any]) -> Any:
    """``run(executor, threads)`` here (executor None), or on the Dask cluster that
    ``--scheduler`` names (``local:N`` or an address): the one place the command line
    turns a scheduler into a client."""
    if scheduler is None:
        return run(None, threads)
    from ..sweep.dask_exec import connect, parse_local

    parse_local(scheduler)  # a malformed local:N is refused before any work
    with connect(scheduler, threads) as (client, per_task_threads):
        return run(client, per_task_threads)
