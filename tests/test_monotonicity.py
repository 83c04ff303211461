"""Tier 4: monotonicity under common random numbers (validation.md, "Also required").

More fire units, channels, interceptors, SSPK, detection or availability never
raise mean leakers; a larger raid never lowers them. Every comparison runs the
same seed (common random numbers), so differences between neighbouring points
are mostly signal. A step passes when mean(better) <= mean(worse) + 4 sigma,
with sigma the *unpaired* standard error of the difference (conservative:
common random numbers make the true error of the difference smaller). A
correct engine fails one step by chance with probability below 3.2e-5
(one-sided 4 sigma), under 1e-3 for the whole file.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from conftest import K_SIGMA, MIXED
from saturation_sim import Scenario, simulate

TRIALS = 6_000
SEED = 2024


def _with(path: list, value) -> Scenario:
    d = copy.deepcopy(MIXED.to_dict())
    node = d
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return Scenario.from_dict(d)


def _means(scenarios):
    out = []
    for s in scenarios:
        r = simulate(s, trials=TRIALS, seed=SEED)
        out.append((r.leakers_mean, r.leakers_std / math.sqrt(r.trials)))
    return out


LEVERS = {
    "upper fire_units": (["layers", 0, "fire_units"], [0, 1, 2, 4]),
    "lower channels": (["layers", 1, "channels_per_unit"], [0, 1, 2, 4]),
    "lower interceptors": (["layers", 1, "interceptors_per_unit"], [0, 2, 6, 20]),
    "upper sspk": (["layers", 0, "engage", "BM", "sspk"], [0.0, 0.3, 0.6, 0.95]),
    "upper detection": (["layers", 0, "detection"], [0.0, 0.5, 0.9, 1.0]),
    "upper availability": (["layers", 0, "availability"], [0.0, 0.4, 0.8, 1.0]),
    "lower reliability": (["layers", 1, "reliability"], [0.2, 0.6, 1.0]),
}


@pytest.mark.parametrize("lever", list(LEVERS))
def test_better_defence_never_raises_mean_leakers(lever):
    path, values = LEVERS[lever]
    means = _means([_with(path, v) for v in values])
    for (m0, s0), (m1, s1), v in zip(means, means[1:], values[1:]):
        assert m1 <= m0 + K_SIGMA * math.hypot(s0, s1), f"{lever}={v}: {m1} > {m0}"
    # The lever must matter at all over its range, or the test proves nothing.
    assert means[-1][0] < means[0][0]


def test_larger_raid_never_lowers_mean_leakers():
    means = _means([_with(["threats", 0, "count"], n) for n in (5, 15, 30, 60)])
    for (m0, s0), (m1, s1) in zip(means, means[1:]):
        assert m1 >= m0 - K_SIGMA * math.hypot(s0, s1)
    assert means[-1][0] > means[0][0]


def test_sspk_is_pathwise_monotone_in_a_single_layer(root):
    """With one layer and one engagement per threat, the schedule does not depend on
    outcomes, so under common random numbers every trial's leakers can only fall as SSPK
    rises: the leaker distributions are stochastically ordered exactly, with no noise."""
    from saturation_sim import load_scenario

    base = load_scenario(root / "configs" / "reference_3x.toml").to_dict()
    cdfs = []
    for p in (0.3, 0.5, 0.7, 0.9):
        d = copy.deepcopy(base)
        d["layers"][0]["engage"]["BM"]["sspk"] = p
        hist = simulate(Scenario.from_dict(d), trials=20_000, seed=SEED).leaker_hist
        cdfs.append(np.cumsum(hist))
    for lo, hi in zip(cdfs, cdfs[1:]):
        assert np.all(hi >= lo)
