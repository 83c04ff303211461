"""Trials per second of the engine and of the three baselines (pytest-benchmark).

Run with ``pytest benchmarks/test_bench_engine.py`` (under a minute on an idle
2-core machine; compare runs with ``--benchmark-autosave`` and
``pytest-benchmark compare``). Every case is warmed up first, so numba's
compile (or cache load) and the thread pool's start are not timed. Each
result records ``trials_per_s`` (trials / median round time) and the mean
leakers in ``extra_info``; the benchmarks are grouped by scenario so that
the table puts the engine beside the baselines.

``saturation-sim bench`` measures the same things side by side in one
process and prints the ratios the project's targets are stated in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import baselines as bl  # noqa: E402 - needs the path above

from saturation_sim import load_scenario, simulate  # noqa: E402
from saturation_sim.engine import max_threads  # noqa: E402

CONFIGS = BENCH.parent / "configs"
SEED = 1
THREADS = (1, 2)

#: name -> (scenario file, engine trials per round, rounds). Trial counts are
#: whole numbers of the engine's 256-trial chunks, at least two, so that two
#: threads have work to share.
ENGINE_CASES = {
    "reference_3x": (CONFIGS / "reference_3x.toml", 20_480, 7),
    "reference_3x_large": (CONFIGS / "reference_3x_large.toml", 1_024, 5),
    "two_layer_sls": (BENCH / "two_layer_sls.toml", 10_240, 7),
    "japan_illustrative": (CONFIGS / "japan_illustrative.toml", 1_024, 5),
}

#: (config, method) -> (trials per round, rounds), sized for ~0.1-0.5 s a round.
BASELINE_CASES = {
    ("reference_3x", "special"): (200_000, 7),
    ("reference_3x", "numpy"): (20_000, 5),
    ("reference_3x", "simpy"): (200, 3),
    ("reference_3x_large", "special"): (4_096, 7),
    ("reference_3x_large", "numpy"): (512, 5),
    ("reference_3x_large", "simpy"): (3, 3),
}


def _record(benchmark, *, config: str, method: str, threads: int, trials: int,
            leakers_mean: float) -> None:
    benchmark.extra_info.update(config=config, method=method, threads=threads, trials=trials,
                                leakers_mean=leakers_mean)
    stats = getattr(benchmark, "stats", None)  # None under --benchmark-disable
    if stats is not None:
        benchmark.extra_info["trials_per_s"] = trials / stats.stats.median


def _need_threads(threads: int) -> None:
    if threads > max_threads():
        pytest.skip(f"{threads} threads: NUMBA_NUM_THREADS is {max_threads()}")


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("config", list(ENGINE_CASES))
def test_engine(benchmark, config, threads):
    _need_threads(threads)
    path, trials, rounds = ENGINE_CASES[config]
    scenario = load_scenario(path)
    simulate(scenario, trials=512, seed=SEED, threads=threads)  # warm-up
    benchmark.group = config
    result = benchmark.pedantic(simulate, args=(scenario,),
                                kwargs={"trials": trials, "seed": SEED, "threads": threads},
                                rounds=rounds, iterations=1)
    _record(benchmark, config=config, method="engine", threads=threads, trials=trials,
            leakers_mean=result.leakers_mean)


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("config", ["reference_3x", "reference_3x_large"])
def test_special_kernel(benchmark, config, threads):
    _need_threads(threads)
    params = bl.reference_params(load_scenario(ENGINE_CASES[config][0]))
    trials, rounds = BASELINE_CASES[(config, "special")]
    bl.special_leakers(*params, 512, SEED, threads=threads)  # warm-up
    benchmark.group = config
    sums = benchmark.pedantic(bl.special_leakers, args=(*params, trials, SEED),
                              kwargs={"threads": threads}, rounds=rounds, iterations=1)
    _record(benchmark, config=config, method="special", threads=threads, trials=trials,
            leakers_mean=sums.mean)


@pytest.mark.parametrize("method", ["numpy", "simpy"])
@pytest.mark.parametrize("config", ["reference_3x", "reference_3x_large"])
def test_python_baseline(benchmark, config, method):
    params = bl.reference_params(load_scenario(ENGINE_CASES[config][0]))
    trials, rounds = BASELINE_CASES[(config, method)]
    fn = bl.BASELINES[method]
    fn(*params, 1, SEED)  # warm-up (imports, first-call overheads)
    benchmark.group = config
    sums = benchmark.pedantic(fn, args=(*params, trials, SEED), rounds=rounds, iterations=1)
    _record(benchmark, config=config, method=method, threads=1, trials=trials,
            leakers_mean=sums.mean)
