"""The benchmark baselines (benchmarks/baselines.py) simulate the engine's model.

Each baseline's mean leakers agrees with the engine's on the reference
configs, and on a variant with an ample magazine (in the reference configs the
magazine limits nearly every trial, which would hide a mistake in the channel
logic). SimPy runs on the small config only by default.

``SATSIM_BASELINE_SCALE=K`` multiplies every trial count by K (and adds SimPy
on the other configs): a sharper check to run by hand, at K times the cost.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import baselines as bl  # noqa: E402 - needs the path above

from saturation_sim import load_scenario, simulate  # noqa: E402

#: Agreement bound in combined standard errors: a correct pair of
#: implementations fails one check by chance with probability
#: P(|Z| > 4.5) = 6.8e-6, about 6e-5 over the 7 to 9 agreement checks and the
#: 4 distribution checks here.
K_SIGMA = 4.5

#: Trial-count multiplier (see the module docstring).
SCALE = max(1, int(os.environ.get("SATSIM_BASELINE_SCALE", "1")))

#: case -> (scenario source, engine trials, {baseline: trials}).
CASES = {
    "reference_3x": ("reference_3x.toml", 20_000 * SCALE,
                     {"special": 100_000 * SCALE, "numpy": 20_000 * SCALE, "simpy": 300 * SCALE}),
    "ample_magazine": ((48, 16, 1000), 20_000 * SCALE,
                       {"special": 100_000 * SCALE, "numpy": 20_000 * SCALE,
                        **({"simpy": 300 * SCALE} if SCALE > 1 else {})}),
    "reference_3x_large": ("reference_3x_large.toml", 512 * SCALE,
                           {"special": 2_048 * SCALE, "numpy": 512 * SCALE,
                            **({"simpy": 10 * SCALE} if SCALE > 1 else {})}),
}


def _scenario(source):
    if isinstance(source, tuple):
        return bl.engine_scenario(*source)
    return load_scenario(ROOT / "configs" / source)


@pytest.fixture(scope="module")
def engine_runs() -> dict:
    runs = {}
    for case, (source, trials, _) in CASES.items():
        r = simulate(_scenario(source), trials=trials, seed=21)
        runs[case] = (r.leakers_mean, r.leakers_std / math.sqrt(trials))
    return runs


@pytest.mark.parametrize("case,method", [(c, m) for c, spec in CASES.items() for m in spec[2]])
def test_baseline_agrees_with_engine(engine_runs, case, method):
    source, _, trials_by_method = CASES[case]
    params = bl.reference_params(_scenario(source))
    got = bl.BASELINES[method](*params, trials_by_method[method], 22)
    mean, sem = engine_runs[case]
    z = (got.mean - mean) / math.hypot(got.sem, sem)
    assert abs(z) <= K_SIGMA, (f"{method} on {case}: mean leakers {got.mean:.4f} +- {got.sem:.4f} "
                               f"vs engine {mean:.4f} +- {sem:.4f} (z = {z:+.2f})")


def test_special_kernel_does_not_depend_on_threads():
    if bl.numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("one thread only")
    assert (bl.special_leakers(48, 16, 64, 5_000, 5, threads=1)
            == bl.special_leakers(48, 16, 64, 5_000, 5, threads=2))


def test_reference_params_refuses_other_models():
    with pytest.raises(ValueError):
        bl.reference_params(load_scenario(ROOT / "benchmarks" / "two_layer_sls.toml"))


def test_special_kernel_exponentials():
    """The special kernel's ziggurat gives Exp(1): mean, variance and tail probabilities.

    Each check fails by chance with probability 6.8e-6 (4.5 sigma).
    """
    n = 1_000_000 * SCALE
    x = bl.exp1_sample(n, 2024)
    assert abs(x.mean() - 1.0) <= K_SIGMA * math.sqrt(1.0 / n)
    # Var of (X - 1)^2 for Exp(1) is E(X-1)^4 - 1 = 9 - 1 = 8.
    assert abs(((x - 1.0) ** 2).mean() - 1.0) <= K_SIGMA * math.sqrt(8.0 / n)
    for a in (0.1, 1.0, 4.0, bl._ZIG_R + 0.5):  # the last one is in the ziggurat's tail
        p = math.exp(-a)
        assert abs(np.mean(x > a) - p) <= K_SIGMA * math.sqrt(p * (1 - p) / n), a
