"""``saturation-sim bench``: the engine's trials per second beside three baselines.

Measures in one process, after a warm-up (so numba's compile or cache load and
the thread pool's start are not timed), the engine at 1 and 2 threads and the
baselines of the repository's ``benchmarks/baselines.py`` -- a SimPy model, a
NumPy model vectorised over trials, and a special-purpose numba kernel -- on
both reference configs, and prints trials per second with the ratios that the
project's performance targets are stated in. Repeats are interleaved across
methods, so that a burst of load from elsewhere on the machine hits every
method alike rather than one of them, and the median is reported.

The baselines live in the repository, not in the installed package: the
command works from a source checkout (an editable install).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from .common import positive_int

EXIT_BAD_INPUT = 2

SMALL, LARGE = "reference_3x", "reference_3x_large"
#: Engine trials per timing, (default, --quick). Whole numbers of the engine's
#: 256-trial chunks, several of them, so that two threads share the work.
ENGINE_TRIALS = {SMALL: (102_400, 20_480), LARGE: (4_096, 1_024)}
#: SimPy trials per timing, (default, --quick): it is ~1000x slower.
SIMPY_TRIALS = {SMALL: (200, 50), LARGE: (3, 1)}
#: Trials of the special kernel and of NumPy per engine trial, so that each
#: timing lasts a comparable fraction of a second.
SPECIAL_PER_ENGINE_TRIAL = 8
NUMPY_PER_ENGINE_TRIAL = 0.5
#: Repeats per measurement, (default, --quick); the median is reported.
REPEATS = (5, 3)
SEED = 1

#: The project's performance targets (issue 4).
TARGET_VS_SIMPY = 1000.0
TARGET_VS_SPECIAL = 0.7
TARGET_SCALING = 1.8


class BenchSetupError(RuntimeError):
    """The repository files the benchmark needs are missing."""


# --- locating the baselines ---------------------------------------------------------

def find_benchmarks() -> Path:
    """The repository's ``benchmarks/`` folder, next to ``src/`` of an editable install.

    Raises
    ------
    BenchSetupError
        If ``benchmarks/baselines.py`` or the reference configs are not there
        (say, the package was installed from a wheel).
    """
    import saturation_sim

    root = Path(saturation_sim.__file__).resolve().parents[2]
    bench = root / "benchmarks"
    if not (bench / "baselines.py").is_file():
        raise BenchSetupError(
            f"benchmarks/baselines.py not found (looked in {bench}): 'bench' needs a source "
            "checkout of saturation-sim installed with 'pip install -e .'")
    for name in (SMALL, LARGE):
        if not (root / "configs" / f"{name}.toml").is_file():
            raise BenchSetupError(f"configs/{name}.toml not found in {root}")
    return bench


def load_baselines(bench: Path) -> ModuleType:
    """Import ``bench/baselines.py`` (it is not part of the package) as ``baselines``.

    The module must be named ``baselines``, as when the benchmark and test
    files import it: numba's on-disk cache records the module name of each
    kernel and imports it by that name when it loads the kernel.
    """
    name = "baselines"
    path = (bench / "baselines.py").resolve()
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve() != path:
            raise BenchSetupError(f"another module named 'baselines' is already imported "
                                  f"({getattr(loaded, '__file__', None)})")
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and numba look the module up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


# --- the machine -------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_info() -> dict[str, Any]:
    """CPU model, cores, numba's thread limit, versions and the current load."""
    import numba
    import numpy

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = None
    return {"cpu": _cpu_model(), "logical_cpus": os.cpu_count(), "usable_cpus": usable,
            "numba_threads": int(numba.config.NUMBA_NUM_THREADS), "load_average_1min": load,
            "python": platform.python_version(), "numpy": numpy.__version__,
            "numba": numba.__version__, "platform": platform.platform()}


# --- measuring ---------------------------------------------------------------------------

def _cases(baselines: ModuleType, configs: Path, quick: bool, trials_small: int | None,
           trials_large: int | None, thread_counts: list[int]) -> list[dict[str, Any]]:
    """Everything to time: one dict per (config, method, threads) with its callables."""
    from ..engine import simulate
    from ..scenario import load_scenario

    pick = 1 if quick else 0
    chosen = {SMALL: trials_small, LARGE: trials_large}
    cases = []
    for config in (SMALL, LARGE):
        scenario = load_scenario(configs / f"{config}.toml")
        params = baselines.reference_params(scenario)
        n_engine = chosen[config] or ENGINE_TRIALS[config][pick]

        def engine(trials, threads, scenario=scenario):
            return simulate(scenario, trials=trials, seed=SEED, threads=threads).leakers_mean

        def special(trials, threads, params=params):
            return baselines.special_leakers(*params, trials, SEED, threads=threads).mean

        for threads in thread_counts:
            cases.append({"config": config, "method": "engine", "threads": threads,
                          "trials": n_engine, "run": engine, "warm_trials": 512})
        for threads in thread_counts:
            cases.append({"config": config, "method": "special", "threads": threads,
                          "trials": n_engine * SPECIAL_PER_ENGINE_TRIAL, "run": special,
                          "warm_trials": 512})
        for method, trials in (("numpy", max(1, int(n_engine * NUMPY_PER_ENGINE_TRIAL))),
                               ("simpy", SIMPY_TRIALS[config][pick])):
            def run(trials, threads, params=params, fn=baselines.BASELINES[method]):
                return fn(*params, trials, SEED).mean  # single-threaded: `threads` unused

            cases.append({"config": config, "method": method, "threads": 1, "trials": trials,
                          "run": run, "warm_trials": 1})
    return cases


def measure(cases: list[dict[str, Any]], repeats: int, log: Callable[[str], None]) -> None:
    """Warm every case up, then time it ``repeats`` times; fills times_s and leakers_mean."""
    for case in cases:
        case["run"](case["warm_trials"], case["threads"])  # compile / cache load, thread pool
        case["times_s"] = []
    for r in range(repeats):
        log(f"bench: repeat {r + 1} of {repeats}")
        # Interleaved, so that load from elsewhere on the machine hits every method alike.
        for case in cases:
            start = time.perf_counter()
            case["leakers_mean"] = case["run"](case["trials"], case["threads"])
            case["times_s"].append(time.perf_counter() - start)


def summarise(cases: list[dict[str, Any]], machine: dict[str, Any], repeats: int
              ) -> dict[str, Any]:
    """Rows with trials/s and ratios, thread scaling and the targets, as a JSON-ready dict."""
    rows = []
    tps = {}
    for case in cases:
        median = statistics.median(case["times_s"])
        key = (case["config"], case["method"], case["threads"])
        tps[key] = case["trials"] / median
        rows.append({"config": case["config"], "method": case["method"],
                     "threads": case["threads"], "trials": case["trials"],
                     "median_s": median, "times_s": case["times_s"],
                     "trials_per_s": tps[key], "leakers_mean": case["leakers_mean"]})
    for row in rows:
        c, t = row["config"], row["threads"]
        row["vs_simpy"] = row["trials_per_s"] / tps[(c, "simpy", 1)]
        special = tps.get((c, "special", t)) if row["method"] in ("engine", "special") \
            else tps[(c, "special", 1)]
        row["vs_special"] = row["trials_per_s"] / special if special else None
    scaling = {}
    targets = []
    for c in (SMALL, LARGE):
        scaling[c] = {m: (tps[(c, m, 2)] / tps[(c, m, 1)] if (c, m, 2) in tps else None)
                      for m in ("engine", "special")}
        vs_simpy = tps[(c, "engine", 1)] / tps[(c, "simpy", 1)]
        targets.append({"config": c, "target": "engine (1 thread) / SimPy",
                        "value": vs_simpy, "goal": TARGET_VS_SIMPY,
                        "met": vs_simpy >= TARGET_VS_SIMPY})
        for t in sorted({k[2] for k in tps if k[0] == c and k[1] == "engine"}):
            ratio = tps[(c, "engine", t)] / tps[(c, "special", t)]
            targets.append({"config": c, "target": f"engine / special kernel ({t} thread"
                            f"{'s' if t > 1 else ''})", "value": ratio,
                            "goal": TARGET_VS_SPECIAL, "met": ratio >= TARGET_VS_SPECIAL})
        s = scaling[c]["engine"]
        targets.append({"config": c, "target": "engine scaling 1 -> 2 threads", "value": s,
                        "goal": TARGET_SCALING, "met": None if s is None else s >= TARGET_SCALING})
    return {"machine": machine, "repeats": repeats, "seed": SEED, "rows": rows,
            "scaling": scaling, "targets": targets}


# --- output ------------------------------------------------------------------------------

def _ratio(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}x"
    return f"{x:.2f}x" if x >= 0.01 else f"{x:.1e}x"


def format_report(report: dict[str, Any]) -> str:
    """The human-readable table of a :func:`summarise` report."""
    m = report["machine"]
    load_end = report.get("load_average_end")
    load = ("" if m["load_average_1min"] is None else
            f"; load average {m['load_average_1min']:.2f} at start"
            + ("" if load_end is None else f", {load_end:.2f} at end"))
    lines = [f"saturation-sim bench: trials per second, median of {report['repeats']} "
             "interleaved repeats, compile excluded",
             f"machine: {m['cpu']}, {m['logical_cpus']} logical CPUs ({m['usable_cpus']} usable), "
             f"numba threads {m['numba_threads']}{load}",
             f"python {m['python']}, numpy {m['numpy']}, numba {m['numba']}", "",
             f"{'config':<20} {'method':<8} {'threads':>7} {'trials':>9} {'trials/s':>13} "
             f"{'x SimPy':>9} {'x special':>10} {'leakers':>10}"]
    for r in report["rows"]:
        lines.append(f"{r['config']:<20} {r['method']:<8} {r['threads']:>7} {r['trials']:>9,} "
                     f"{r['trials_per_s']:>13,.1f} {_ratio(r['vs_simpy']):>9} "
                     f"{_ratio(r['vs_special']):>10} {r['leakers_mean']:>10.3f}")
    lines += ["", "thread scaling, trials/s at 2 threads / at 1 thread:"]
    for c, s in report["scaling"].items():
        lines.append(f"  {c:<20} engine {_ratio(s['engine'])}   special kernel "
                     f"{_ratio(s['special'])}")
    lines += ["", "targets:"]
    for t in report["targets"]:
        verdict = "n/a" if t["met"] is None else ("met" if t["met"] else "NOT met")
        value = "-" if t["value"] is None else _ratio(t["value"])
        lines.append(f"  {t['config']:<20} {t['target']:<34} {value:>9}  "
                     f"(goal >= {t['goal']:g}x)  {verdict}")
    if m["load_average_1min"] is not None and m["usable_cpus"] \
            and max(m["load_average_1min"], load_end or 0.0) > 0.5 * m["usable_cpus"]:
        lines += ["", "note: the machine was busy with other work during the run; timings, "
                      "and thread scaling most of all, are noisy"]
    return "\n".join(lines)


# --- the sub-command -----------------------------------------------------------------------

def cmd_bench(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table (and JSON if asked)."""
    try:
        bench = find_benchmarks()
        baselines = load_baselines(bench)
    except BenchSetupError as exc:
        print(f"saturation-sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from ..engine import max_threads

    json_only = args.json == "-"

    def log(msg: str) -> None:
        if not json_only:
            print(msg, file=sys.stderr, flush=True)

    thread_counts = [1, 2] if max_threads() >= 2 else [1]
    if len(thread_counts) == 1:
        log("bench: numba may use one thread only (NUMBA_NUM_THREADS); no 2-thread runs")
    repeats = args.repeats or REPEATS[1 if args.quick else 0]
    cases = _cases(baselines, bench.parent / "configs", args.quick, args.trials_small,
                   args.trials_large, thread_counts)
    machine = machine_info()
    log("bench: warming up (compiling or loading cached kernels)")
    measure(cases, repeats, log)
    report = summarise(cases, machine, repeats)
    try:
        report["load_average_end"] = os.getloadavg()[0]
    except (AttributeError, OSError):
        report["load_average_end"] = None
    from .common import emit

    return emit(json.dumps(report, indent=2), lambda: format_report(report), args.json)


def register(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's type
    """Add the ``bench`` sub-command."""
    p = subparsers.add_parser(
        "bench", help="measure the engine's trials/s against SimPy, NumPy and a special kernel",
        description="Measure trials per second of the engine (1 and 2 threads) and of three "
                    "baselines of the reference model -- SimPy, NumPy vectorised over trials, "
                    "and a special-purpose numba kernel -- on configs/reference_3x.toml and "
                    "reference_3x_large.toml, after warm-up, and print them side by side with "
                    "the ratios and thread scaling. Needs a source checkout (editable install). "
                    "Takes about a minute; --quick about 15 s.")
    p.add_argument("--trials-small", type=positive_int, metavar="N",
                   help=f"engine trials per timing on {SMALL} (default "
                        f"{ENGINE_TRIALS[SMALL][0]:,}; --quick {ENGINE_TRIALS[SMALL][1]:,}); "
                        f"the special kernel runs {SPECIAL_PER_ENGINE_TRIAL}x and NumPy "
                        f"{NUMPY_PER_ENGINE_TRIAL:g}x as many")
    p.add_argument("--trials-large", type=positive_int, metavar="N",
                   help=f"engine trials per timing on {LARGE} (default "
                        f"{ENGINE_TRIALS[LARGE][0]:,}; --quick {ENGINE_TRIALS[LARGE][1]:,}); "
                        "below 512 two threads have nothing to share")
    p.add_argument("--quick", action="store_true",
                   help="fewer trials and repeats: a rough answer in well under 30 s")
    p.add_argument("--repeats", type=positive_int, metavar="R",
                   help=f"timings per measurement, median reported (default {REPEATS[0]}; "
                        f"--quick {REPEATS[1]})")
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the measurements as JSON to PATH; '-' prints only the JSON")
    p.set_defaults(func=cmd_bench)
