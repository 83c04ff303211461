"""The engine's speed beside its baselines: what ``saturation-sim bench`` measures.

Measures in one process, after a warm-up (so numba's compile or cache load and
the thread pool's start are not timed):

- trials per second of the engine at 1 and 2 threads and of the baselines of
  ``baselines.py`` -- a SimPy model, a NumPy model vectorised over trials, and
  a special-purpose numba kernel (1 and 2 threads) -- on both reference
  configs, with the ratios to SimPy and to the special kernel;
- on ``configs/japan_illustrative.toml`` and ``benchmarks/two_layer_sls.toml``
  (several groups, layers and fire units, shoot-look-shoot: the engine's
  general path), the engine's nanoseconds per (missile x layer) divided by
  the special kernel's nanoseconds per missile on reference_3x, at the same
  thread count;
- unless told not to, the cold and warm start of ``saturation-sim run`` in
  fresh processes sharing a new numba cache directory: the first compiles
  the kernels, the second must load them from the cache.

Repeats are interleaved across methods, so that a burst of load from
elsewhere on the machine hits every method alike, and the median is
reported. Ratios are what the performance targets of the project (issue 11)
are stated in; absolute rates depend on the machine and its load.

Run as ``saturation-sim bench`` (needs the ``bench`` extra and a source
checkout) or ``python benchmarks/bench.py`` with the same options.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from saturation_sim.cli.bench_cmd import (INSTALL_HINT, BenchUnavailable, add_arguments, load_file,
                                        missing_extra)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SMALL, LARGE = "reference_3x", "reference_3x_large"
#: Scenarios of the general path: name -> scenario file.
#: japan_illustrative has defended sites, point defences and track limits (the
#: kernel's target code); japan_pooled is the same defence pooled nationally, the
#: kernel compiled without it (the issue-17 "no cost without assets" check).
GENERAL = {"japan_illustrative": ROOT / "configs" / "japan_illustrative.toml",
           "japan_pooled": ROOT / "configs" / "japan_pooled.toml",
           "two_layer_sls": BENCH / "two_layer_sls.toml"}
#: Engine trials per timing, (default, --quick). Whole numbers of the engine's
#: 256-trial chunks, several of them, so that two threads share the work; by
#: default each timing lasts 0.1 s or more, so that a millisecond of thread
#: wake-up on a virtual machine does not count as poor scaling.
ENGINE_TRIALS = {SMALL: (409_600, 20_480), LARGE: (16_384, 1_024),
                 "japan_illustrative": (16_384, 1_024), "japan_pooled": (16_384, 1_024),
                 "two_layer_sls": (163_840, 10_240)}
#: SimPy trials per timing, (default, --quick): it is ~1000x slower.
SIMPY_TRIALS = {SMALL: (200, 50), LARGE: (3, 1)}
#: Trials of the special kernel and of NumPy per engine trial, so that each
#: timing lasts a comparable fraction of a second.
SPECIAL_PER_ENGINE_TRIAL = 4
NUMPY_PER_ENGINE_TRIAL = 0.5
#: Repeats per measurement, (default, --quick); the median is reported.
REPEATS = (5, 3)
SEED = 1

#: The targets of issue 11 (2 threads, compile excluded): (must reach, goal).
#: Ratios to SimPy and the special kernel are "at least"; nanosecond ratios
#: "at most".
TARGET_VS_SPECIAL = (0.5, 0.7)
TARGET_VS_SIMPY = (1000.0, 2000.0)
TARGET_NS_RATIO = {"japan_illustrative": (2.0, 1.0), "two_layer_sls": (3.0, 1.0)}
TARGET_SCALING = (1.8, 1.95)


#: The command's error for a missing file or extra: one line, exit status 2.
BenchSetupError = BenchUnavailable


def load_baselines() -> ModuleType:
    """Import ``benchmarks/baselines.py`` (not part of the package) as ``baselines``.

    The module must be named ``baselines``, as when the benchmark and test
    files import it: numba's on-disk cache records the module name of each
    kernel and imports it by that name when it loads the kernel.
    """
    name = "baselines"
    path = BENCH / "baselines.py"
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve() != path:
            raise BenchSetupError(f"another module named 'baselines' is already imported "
                                  f"({getattr(loaded, '__file__', None)})")
        return loaded
    return load_file(name, path)


def check_files() -> None:
    """Raise :class:`BenchSetupError` unless the configs the benchmark runs are there."""
    for path in [ROOT / "configs" / f"{c}.toml" for c in (SMALL, LARGE)] + list(GENERAL.values()):
        if not path.is_file():
            raise BenchSetupError(f"{path} not found: 'bench' needs a source checkout")


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

def _cases(baselines: ModuleType, quick: bool, trials_small: int | None,
           trials_large: int | None, thread_counts: list[int]) -> list[dict[str, Any]]:
    """Everything to time: one dict per (config, method, threads) with its callables."""
    from saturation_sim import load_scenario, simulate

    pick = 1 if quick else 0
    chosen = {SMALL: trials_small, LARGE: trials_large}
    cases = []

    def engine_case(config, scenario, n_engine, threads):
        def engine(trials, threads, scenario=scenario):
            return simulate(scenario, trials=trials, seed=SEED, threads=threads).leakers_mean

        return {"config": config, "method": "engine", "threads": threads, "trials": n_engine,
                "run": engine, "warm_trials": 512,
                "missiles": scenario.raid_size, "layers": len(scenario.layers)}

    for config in (SMALL, LARGE):
        scenario = load_scenario(ROOT / "configs" / f"{config}.toml")
        params = baselines.reference_params(scenario)
        n_engine = chosen[config] or ENGINE_TRIALS[config][pick]

        def special(trials, threads, params=params):
            return baselines.special_leakers(*params, trials, SEED, threads=threads).mean

        for threads in thread_counts:
            cases.append(engine_case(config, scenario, n_engine, threads))
        for threads in thread_counts:
            cases.append({"config": config, "method": "special", "threads": threads,
                          "trials": n_engine * SPECIAL_PER_ENGINE_TRIAL, "run": special,
                          "warm_trials": 512, "missiles": params[0], "layers": 1})
        for method, trials in (("numpy", max(1, int(n_engine * NUMPY_PER_ENGINE_TRIAL))),
                               ("simpy", SIMPY_TRIALS[config][pick])):
            def run(trials, threads, params=params, fn=baselines.BASELINES[method]):
                return fn(*params, trials, SEED).mean  # single-threaded: `threads` unused

            cases.append({"config": config, "method": method, "threads": 1, "trials": trials,
                          "run": run, "warm_trials": 1, "missiles": params[0], "layers": 1})
    for config, path in GENERAL.items():
        scenario = load_scenario(path)
        for threads in thread_counts:
            cases.append(engine_case(config, scenario, ENGINE_TRIALS[config][pick], threads))
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


def _target(config: str, what: str, value: float | None, targets: tuple[float, float],
            at_most: bool = False) -> dict[str, Any]:
    must, goal = targets
    if value is None:
        met = None
    else:
        met = ("goal" if (value <= goal if at_most else value >= goal) else
               "must" if (value <= must if at_most else value >= must) else "no")
    return {"config": config, "target": what, "value": value, "must": must, "goal": goal,
            "at_most": at_most, "met": met}


def summarise(cases: list[dict[str, Any]], machine: dict[str, Any], repeats: int
              ) -> dict[str, Any]:
    """Rows with trials/s, ns per missile and layer, ratios, scaling and targets (JSON-ready)."""
    rows = []
    tps = {}
    for case in cases:
        median = statistics.median(case["times_s"])
        key = (case["config"], case["method"], case["threads"])
        tps[key] = case["trials"] / median
        rows.append({"config": case["config"], "method": case["method"],
                     "threads": case["threads"], "trials": case["trials"],
                     "median_s": median, "times_s": case["times_s"],
                     "trials_per_s": tps[key], "leakers_mean": case["leakers_mean"],
                     "ns_per_missile_layer": 1e9 * median / (case["trials"] * case["missiles"]
                                                             * case["layers"])})
    special_ns = {row["threads"]: row["ns_per_missile_layer"] for row in rows
                  if row["config"] == SMALL and row["method"] == "special"}
    for row in rows:
        c, t = row["config"], row["threads"]
        simpy = tps.get((c, "simpy", 1))
        row["vs_simpy"] = row["trials_per_s"] / simpy if simpy else None
        special = tps.get((c, "special", t)) if row["method"] in ("engine", "special") \
            else tps.get((c, "special", 1))
        row["vs_special"] = row["trials_per_s"] / special if special else None
        # Engine's ns per (missile x layer) over the special kernel's ns per
        # missile on reference_3x, same thread count.
        row["ns_vs_special"] = (row["ns_per_missile_layer"] / special_ns[t]
                                if row["method"] == "engine" and t in special_ns else None)
    top = max(k[2] for k in tps)
    plural = "s" if top > 1 else ""
    scaling = {}
    targets = []
    for c in (SMALL, LARGE, *GENERAL):
        scaling[c] = {m: (tps[(c, m, 2)] / tps[(c, m, 1)] if (c, m, 2) in tps else None)
                      for m in ("engine", "special") if (c, m, 1) in tps}
    for c in (SMALL, LARGE):
        targets.append(_target(c, f"engine / special kernel ({top} thread{plural})",
                               tps[(c, "engine", top)] / tps[(c, "special", top)],
                               TARGET_VS_SPECIAL))
        targets.append(_target(c, f"engine ({top} thread{plural}) / SimPy",
                               tps[(c, "engine", top)] / tps[(c, "simpy", 1)], TARGET_VS_SIMPY))
    for c in TARGET_NS_RATIO:
        row = next(r for r in rows if r["config"] == c and r["threads"] == top)
        targets.append(_target(c, f"ns per missile-layer / special ns per missile ({top} "
                               f"thread{plural})", row["ns_vs_special"], TARGET_NS_RATIO[c],
                               at_most=True))
    for c in (SMALL, LARGE):
        targets.append(_target(c, "engine scaling 1 -> 2 threads", scaling[c]["engine"],
                               TARGET_SCALING))
    return {"machine": machine, "repeats": repeats, "seed": SEED, "rows": rows,
            "scaling": scaling, "targets": targets}


def measure_startup(log: Callable[[str], None]) -> dict[str, Any]:
    """Cold and warm start of ``saturation-sim run`` (1000 trials) in fresh processes.

    Both use a new, empty numba cache directory: the first process compiles
    every kernel and writes the cache, the second must load it. Returns the
    two wall times and whether the second found cache index files.
    """
    config = ROOT / "configs" / f"{SMALL}.toml"
    times = {}
    with tempfile.TemporaryDirectory(prefix="satsim-bench-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for which in ("cold", "warm"):
            log("bench: cold start (a fresh process compiles every kernel)" if which == "cold"
                else "bench: warm start (a fresh process loads them from the cache)")
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "saturation_sim.cli.main", "run", str(config),
                            "--trials", "1000", "--json", "-"], env=env, check=True,
                           capture_output=True, timeout=1800)
            times[which] = time.perf_counter() - start
        cached = any(Path(cache).rglob("*.nbi"))
    return {"cold_s": times["cold"], "warm_s": times["warm"], "cache_written": cached,
            "loaded_from_cache": cached and times["warm"] < times["cold"] / 3}


# --- output ------------------------------------------------------------------------------

def _ratio(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}x"
    return f"{x:.2f}x" if x >= 0.01 else f"{x:.1e}x"


def format_report(report: dict[str, Any]) -> str:
    """The human-readable tables of a :func:`summarise` report."""
    m = report["machine"]
    load_end = report.get("load_average_end")
    load = ("" if m["load_average_1min"] is None else
            f"; load average {m['load_average_1min']:.2f} at start"
            + ("" if load_end is None else f", {load_end:.2f} at end"))
    lines = [f"saturation-sim bench: median of {report['repeats']} interleaved repeats, "
             "compile excluded",
             f"machine: {m['cpu']}, {m['logical_cpus']} logical CPUs ({m['usable_cpus']} usable), "
             f"numba threads {m['numba_threads']}{load}",
             f"python {m['python']}, numpy {m['numpy']}, numba {m['numba']}", "",
             f"{'config':<20} {'method':<8} {'threads':>7} {'trials':>9} {'trials/s':>13} "
             f"{'x SimPy':>9} {'x special':>10} {'leakers':>10}"]
    for r in report["rows"]:
        if r["config"] not in (SMALL, LARGE):
            continue
        lines.append(f"{r['config']:<20} {r['method']:<8} {r['threads']:>7} {r['trials']:>9,} "
                     f"{r['trials_per_s']:>13,.1f} {_ratio(r['vs_simpy']):>9} "
                     f"{_ratio(r['vs_special']):>10} {r['leakers_mean']:>10.3f}")
    lines += ["", "general path: the engine's ns per (missile x layer) / the special kernel's ns "
              "per missile (reference_3x, same threads)",
              f"{'config':<20} {'threads':>7} {'trials':>9} {'trials/s':>13} "
              f"{'ns/(missile x layer)':>21} {'ratio':>7}"]
    for r in report["rows"]:
        if r["config"] in GENERAL:
            lines.append(f"{r['config']:<20} {r['threads']:>7} {r['trials']:>9,} "
                         f"{r['trials_per_s']:>13,.1f} {r['ns_per_missile_layer']:>21.1f} "
                         f"{_ratio(r['ns_vs_special']):>7}")
    lines += ["", "thread scaling, trials/s at 2 threads / at 1 thread:"]
    for c, s in report["scaling"].items():
        lines.append(f"  {c:<20} engine {_ratio(s.get('engine'))}"
                     + (f"   special kernel {_ratio(s['special'])}" if "special" in s else ""))
    startup = report.get("startup")
    if startup:
        lines += ["", f"start of 'saturation-sim run' (1000 trials), fresh processes, new numba "
                      f"cache: cold {startup['cold_s']:.1f} s, warm {startup['warm_s']:.1f} s "
                      f"({'loaded from the cache' if startup['loaded_from_cache'] else 'NOT loaded from the cache'})"]
    lines += ["", "targets (issue 11; 'must' and 'goal' levels):"]
    for t in report["targets"]:
        verdict = {None: "n/a", "goal": "goal met", "must": "must met, goal not",
                   "no": "NOT met"}[t["met"]]
        value = "-" if t["value"] is None else _ratio(t["value"])
        sign = "<=" if t["at_most"] else ">="
        lines.append(f"  {t['config']:<20} {t['target']:<52} {value:>9}  "
                     f"(must {sign} {t['must']:g}x, goal {sign} {t['goal']:g}x)  {verdict}")
    # Busy: other work before the bench started, or more load at its end than its
    # own threads (at most one per usable CPU) make.
    if m["load_average_1min"] is not None and m["usable_cpus"] \
            and (m["load_average_1min"] > 0.5 * m["usable_cpus"]
                 or (load_end or 0.0) > m["usable_cpus"]):
        lines += ["", "note: the machine was busy with other work during the run; timings, "
                      "and thread scaling most of all, are noisy"]
    return "\n".join(lines)


# --- running it ----------------------------------------------------------------------------

def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure everything ``args`` asks for; return the :func:`summarise` report."""
    from saturation_sim.engine import max_threads

    missing = missing_extra()
    if missing:
        raise BenchUnavailable(f"bench needs {', '.join(missing)} (the bench extra): "
                               f"{INSTALL_HINT}")
    check_files()
    baselines = load_baselines()
    json_only = args.json == "-"

    def log(msg: str) -> None:
        if not json_only:
            print(msg, file=sys.stderr, flush=True)

    thread_counts = [1, 2] if max_threads() >= 2 else [1]
    if len(thread_counts) == 1:
        log("bench: numba may use one thread only (NUMBA_NUM_THREADS); no 2-thread runs")
    repeats = args.repeats or REPEATS[1 if args.quick else 0]
    cases = _cases(baselines, args.quick, args.trials_small, args.trials_large, thread_counts)
    machine = machine_info()
    log("bench: warming up (compiling or loading cached kernels)")
    measure(cases, repeats, log)
    report = summarise(cases, machine, repeats)
    report["startup"] = None if (args.quick or args.no_startup) else measure_startup(log)
    try:
        report["load_average_end"] = os.getloadavg()[0]
    except (AttributeError, OSError):
        report["load_average_end"] = None
    return report


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/bench.py [options]``: print the tables (or JSON)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        report = run(args)
    except BenchUnavailable as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(report, indent=2)
    if args.json == "-":
        print(text)
        return 0
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
