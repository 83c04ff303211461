"""The three baselines simulate the same model as the engine (not a timing test).

Each baseline's mean leakers must agree with the engine's on the reference
configs, and on a variant with an ample magazine: in both reference configs
the magazine runs dry in nearly every trial, which would hide a mistake in
the channel logic, so the variant makes the channels the limit instead.

Run with ``pytest benchmarks/test_baselines_agree.py`` (about 15 s). A shorter
copy of these checks lives in ``tests/test_baselines.py`` so that the main
suite covers the baselines too.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import baselines as bl  # noqa: E402 - needs the path above

from saturation_sim import load_scenario, simulate  # noqa: E402

CONFIGS = BENCH.parent / "configs"

#: Agreement bound in combined standard errors. For two correct
#: implementations the difference of means is normal with that standard
#: error, so one check fails by chance with probability P(|Z| > 4.5) = 6.8e-6;
#: over the 9 agreement checks of this file, about 6e-5 (1 in 16,000 runs).
K_SIGMA = 4.5

ENGINE_SEED = 11
BASELINE_SEED = 12

#: case -> (scenario source, engine trials, {baseline: trials}).
CASES = {
    "reference_3x": ("reference_3x.toml", 200_000,
                     {"special": 1_000_000, "numpy": 200_000, "simpy": 3_000}),
    "ample_magazine": ((48, 16, 1000), 100_000,
                       {"special": 1_000_000, "numpy": 100_000, "simpy": 1_000}),
    "reference_3x_large": ("reference_3x_large.toml", 1_024,
                           {"special": 8_192, "numpy": 1_024, "simpy": 4}),
}


def _scenario(source):
    if isinstance(source, tuple):
        return bl.engine_scenario(*source)
    return load_scenario(CONFIGS / source)


@pytest.fixture(scope="module")
def engine_runs() -> dict:
    """Engine mean and standard error of leakers per case, run once per module."""
    runs = {}
    for case, (source, trials, _) in CASES.items():
        r = simulate(_scenario(source), trials=trials, seed=ENGINE_SEED)
        runs[case] = (r.leakers_mean, r.leakers_std / math.sqrt(trials))
    return runs


@pytest.mark.parametrize("case,method", [(c, m) for c, spec in CASES.items() for m in spec[2]])
def test_baseline_agrees_with_engine(engine_runs, case, method):
    source, _, trials_by_method = CASES[case]
    params = bl.reference_params(_scenario(source))
    got = bl.BASELINES[method](*params, trials_by_method[method], BASELINE_SEED)
    mean, sem = engine_runs[case]
    z = (got.mean - mean) / math.hypot(got.sem, sem)
    assert abs(z) <= K_SIGMA, (f"{method} on {case}: mean leakers {got.mean:.4f} +- {got.sem:.4f} "
                               f"vs engine {mean:.4f} +- {sem:.4f} (z = {z:+.2f})")


def test_special_kernel_does_not_depend_on_threads():
    if bl.numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("one thread only")
    one = bl.special_leakers(48, 16, 64, 10_000, 5, threads=1)
    two = bl.special_leakers(48, 16, 64, 10_000, 5, threads=2)
    assert one == two


def test_special_kernel_exponentials():
    """The ziggurat gives Exp(1): mean, variance and tail probabilities.

    Each of the 6 checks fails by chance with probability 6.8e-6 (4.5 sigma).
    """
    n = 4_000_000
    x = bl.exp1_sample(n, 2024)
    assert abs(x.mean() - 1.0) <= K_SIGMA * math.sqrt(1.0 / n)
    # Var of (X - 1)^2 for Exp(1) is E(X-1)^4 - 1 = 9 - 1 = 8.
    assert abs(((x - 1.0) ** 2).mean() - 1.0) <= K_SIGMA * math.sqrt(8.0 / n)
    for a in (0.1, 1.0, 4.0, bl._ZIG_R + 0.5):  # the last one is in the ziggurat's tail
        p = math.exp(-a)
        assert abs(np.mean(x > a) - p) <= K_SIGMA * math.sqrt(p * (1 - p) / n), a
