"""``saturation-sim bench``: a thin entry point to the repository's ``benchmarks/bench.py``.

The measurements, the baselines they compare against and the targets live
beside each other in ``benchmarks/`` of a source checkout (an editable
install), not in the installed package. This command checks that the
``bench`` extra is installed and that the checkout is there, loads
``benchmarks/bench.py`` and runs it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXIT_BAD_INPUT = 2
#: Modules of the ``bench`` extra (pyproject.toml), by import name.
BENCH_EXTRA = ("simpy", "pytest_benchmark")
INSTALL_HINT = 'pip install "saturation-sim[bench]"'


class BenchUnavailable(RuntimeError):
    """The bench extra or the repository's benchmarks/ folder is missing (one line)."""


def missing_extra() -> list[str]:
    """Modules of the bench extra that cannot be imported."""
    missing = []
    for name in BENCH_EXTRA:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def load_bench() -> ModuleType:
    """``benchmarks/bench.py`` of the checkout this package was installed from.

    Raises
    ------
    BenchUnavailable
        If the bench extra is not installed, or there is no ``benchmarks/bench.py``
        next to ``src/`` (say, the package was installed from a wheel).
    """
    missing = missing_extra()
    if missing:
        raise BenchUnavailable(f"bench needs {', '.join(missing)} (the bench extra): "
                               f"{INSTALL_HINT}")
    import saturation_sim

    path = Path(saturation_sim.__file__).resolve().parents[2] / "benchmarks" / "bench.py"
    if not path.is_file():
        raise BenchUnavailable(f"{path} not found: bench needs a source checkout of "
                               "saturation-sim installed with 'pip install -e .[bench]'")
    return sys.modules.get("saturation_sim_bench") or load_file("saturation_sim_bench", path)


def load_file(name: str, path: Path) -> ModuleType:
    """Import the file ``path`` as the module ``name``.

    The module is entered in ``sys.modules`` before it runs, since dataclasses
    and numba's on-disk cache look a module up by its name; if it fails to run,
    it is taken out again.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the benchmark and print its tables (and JSON if asked)."""
    try:
        bench = load_bench()
        report = bench.run(args)
    except BenchUnavailable as exc:
        print(f"saturation-sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    import json

    from .common import emit

    return emit(json.dumps(report, indent=2), lambda: bench.format_report(report), args.json)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``saturation-sim bench`` (``benchmarks/bench.py`` uses them too)."""
    from .common import positive_int

    p.add_argument("--trials-small", type=positive_int, metavar="N",
                   help="engine trials per timing on reference_3x (default 409,600; --quick "
                        "20,480); the special kernel runs 4x and NumPy 0.5x as many")
    p.add_argument("--trials-large", type=positive_int, metavar="N",
                   help="engine trials per timing on reference_3x_large (default 16,384; "
                        "--quick 1,024); below 512 two threads have nothing to share")
    p.add_argument("--quick", action="store_true",
                   help="fewer trials and repeats, no start-up timing: a rough answer in "
                        "well under a minute")
    p.add_argument("--no-startup", action="store_true",
                   help="skip the cold and warm start timing (the cold start compiles every "
                        "kernel in a fresh process: a minute or more)")
    p.add_argument("--repeats", type=positive_int, metavar="R",
                   help="timings per measurement, median reported (default 5; --quick 3)")
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the measurements as JSON to PATH; '-' prints only the JSON")


def register(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's type
    """Add the ``bench`` sub-command."""
    p = subparsers.add_parser(
        "bench", help="measure the engine's speed against SimPy, NumPy and a special kernel",
        description="Measure trials per second of the engine (1 and 2 threads) and of three "
                    "baselines of the reference model -- SimPy, NumPy vectorised over trials, "
                    "and a special-purpose numba kernel -- on the reference configs, the "
                    "engine's cost per missile and layer on japan_illustrative and "
                    "two_layer_sls against the special kernel's per missile, and cold and "
                    "warm start; print them with the ratios of the performance targets. Needs "
                    f"the bench extra ({INSTALL_HINT}) and a source checkout. About three "
                    "minutes (the cold start alone compiles every kernel); --quick well "
                    "under one.")
    add_arguments(p)
    p.set_defaults(func=cmd_bench)
