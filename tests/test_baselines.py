"""The benchmark baselines (benchmarks/baselines.py) simulate the engine's model.

A shorter copy of ``benchmarks/test_baselines_agree.py`` so that the main
suite covers the baselines: each one's mean leakers agrees with the engine's
on the small reference config, and on a variant with an ample magazine (in
the reference config the magazine limits nearly every trial, which would hide
a mistake in the channel logic). SimPy runs on the small config only.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import baselines as bl  # noqa: E402 - needs the path above

from saturation_sim import load_scenario, simulate  # noqa: E402

#: Agreement bound in combined standard errors: a correct pair of
#: implementations fails one check by chance with probability
#: P(|Z| > 4.5) = 6.8e-6, about 5e-5 over the 7 checks here.
K_SIGMA = 4.5

#: case -> (scenario source, engine trials, {baseline: trials}).
CASES = {
    "reference_3x": ("reference_3x.toml", 20_000,
                     {"special": 100_000, "numpy": 20_000, "simpy": 300}),
    "ample_magazine": ((48, 16, 1000), 20_000, {"special": 100_000, "numpy": 20_000}),
    "reference_3x_large": ("reference_3x_large.toml", 512, {"special": 2_048, "numpy": 512}),
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
