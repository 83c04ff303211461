"""Tier 3: equality between code paths under one seed.

Results must depend only on (scenario, trials, seed): not on the number of
threads, the chunking, or how a run is split into pieces that are merged.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import MIXED
from saturation_sim import load_scenario, simulate
from saturation_sim.engine import driver


def _arrays(r):
    return (r.leaker_hist, r.group_leakers, r.group_launched, r.layer_totals, r.layer_sumsq,
            r.cost_sums)


def _assert_same(a, b):
    assert a.trials == b.trials
    for x, y in zip(_arrays(a), _arrays(b)):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("scn", [MIXED, None], ids=["mixed", "reference_3x"])
def test_one_and_two_threads_give_identical_results(scn, root):
    scn = scn or load_scenario(root / "configs" / "reference_3x.toml")
    one = simulate(scn, trials=20_000, seed=7, threads=1)
    two = simulate(scn, trials=20_000, seed=7, threads=2)
    _assert_same(one, two)
    assert one.to_dict()["leakers"] == two.to_dict()["leakers"]


def test_split_runs_merge_to_the_whole():
    whole = simulate(MIXED, trials=5_000, seed=3)
    first = simulate(MIXED, trials=1_234, seed=3)
    rest = simulate(MIXED, trials=5_000 - 1_234, seed=3, first_trial=1_234)
    merged = first.merge(rest)
    _assert_same(whole, merged)
    assert (first.first_trial, rest.first_trial, merged.first_trial) == (0, 1_234, 0)


def test_merge_refuses_overlapping_or_foreign_runs():
    first = simulate(MIXED, trials=300, seed=3)
    with pytest.raises(ValueError, match="overlap"):
        first.merge(simulate(MIXED, trials=300, seed=3, first_trial=299))
    with pytest.raises(ValueError, match="seed"):
        first.merge(simulate(MIXED, trials=300, seed=4, first_trial=300))
    other = MIXED.to_dict()
    other["layers"][0]["fire_units"] = 3
    from saturation_sim import Scenario

    with pytest.raises(ValueError, match="scenarios"):
        first.merge(simulate(Scenario.from_dict(other), trials=300, seed=3, first_trial=300))


def test_chunk_and_block_size_do_not_change_results(monkeypatch):
    base = simulate(MIXED, trials=3_000, seed=11)
    monkeypatch.setattr(driver, "CHUNK_TRIALS", 7)
    monkeypatch.setattr(driver, "MAX_CHUNKS_PER_BLOCK", 3)
    _assert_same(base, simulate(MIXED, trials=3_000, seed=11))


def test_different_seeds_differ_and_same_seed_repeats():
    a = simulate(MIXED, trials=2_000, seed=1)
    b = simulate(MIXED, trials=2_000, seed=2)
    _assert_same(a, simulate(MIXED, trials=2_000, seed=1))
    assert not np.array_equal(a.leaker_hist, b.leaker_hist)


def test_raid_does_not_depend_on_the_defence():
    """Separate raid streams: changing the defence leaves launches and counterstrike alone."""
    stronger = MIXED.to_dict()
    stronger["layers"][0]["fire_units"] = 5
    stronger["layers"][1]["engage"]["BM"]["sspk"] = 0.9
    from saturation_sim import Scenario

    a = simulate(MIXED, trials=4_000, seed=5)
    b = simulate(Scenario.from_dict(stronger), trials=4_000, seed=5)
    np.testing.assert_array_equal(a.group_launched, b.group_launched)


def test_second_moments_are_sums_over_single_trials():
    """layer_sumsq and cost_sums equal the sums of squares of each trial's own counts.

    Trials run one at a time give each trial's interceptors, engagements,
    kills and launched missiles; the costs are computed from them here, in
    plain Python, and summed.
    """
    n = 150
    whole = simulate(MIXED, trials=n, seed=4)
    sq = np.zeros((len(MIXED.layers), 3))
    cost = np.zeros((2, 2))
    layer_cost = [x.interceptor_cost or 0.0 for x in MIXED.layers]
    group_cost = [t.cost or 0.0 for t in MIXED.threats]
    for k in range(n):
        one = simulate(MIXED, trials=1, seed=4, first_trial=k)
        sq += one.layer_totals[:, :3].astype(float) ** 2
        defender = sum(c * float(one.layer_totals[l, 0]) for l, c in enumerate(layer_cost))
        attacker = sum(c * float(one.group_launched[g]) for g, c in enumerate(group_cost))
        cost += [[defender, defender ** 2], [attacker, attacker ** 2]]
        np.testing.assert_array_equal(one.layer_sumsq, one.layer_totals[:, :3].astype(float) ** 2)
    np.testing.assert_array_equal(whole.layer_sumsq, sq)
    # Costs here are whole numbers, so every sum is exact in either order.
    np.testing.assert_array_equal(whole.cost_sums, cost)
    assert whole.cost_sums[1, 0] > 0 and whole.cost_sums[0, 0] > 0


#: k for the variance checks below. The sample variance of n iid values is
#: asymptotically normal with variance (mu4 - sigma^4) / n; at 4.5 standard
#: errors a correct engine fails one check by chance with probability
#: 2 (1 - Phi(4.5)) = 6.8e-6 (two checks: < 1.4e-5).
K_SIGMA_VAR = 4.5


def _variance_check(total: float, sumsq: float, n: int, values, probs, copies: int, what: str):
    """Sample variance of a sum of ``copies`` iid draws of (values, probs) vs its closed form."""
    values, probs = np.asarray(values, float), np.asarray(probs, float)
    mean1 = probs @ values
    central = values - mean1
    var1, mu4_1 = probs @ central ** 2, probs @ central ** 4
    var = copies * var1
    mu4 = copies * mu4_1 + 3 * copies * (copies - 1) * var1 ** 2  # sum of iid terms
    sample_var = (sumsq - total * total / n) / (n - 1)
    se = np.sqrt((mu4 - var ** 2) / n)
    z = (sample_var - var) / se
    assert abs(z) <= K_SIGMA_VAR, (f"{what}: sample variance {sample_var:.5g}, closed form "
                                   f"{var:.5g}, SE {se:.3g}, z = {z:+.2f}")


def test_interceptor_and_kill_variance_match_closed_form_on_case4(root):
    """validation.md case 4 (shoot-look-shoot, ample channels and interceptors).

    Each of the 20 threats is engaged until killed, at most 3 times, SSPK 0.6:
    it takes 1 interceptor w.p. 0.6, 2 w.p. 0.24, 3 w.p. 0.16 and is killed
    w.p. 1 - 0.4^3, independently of the others. The variance of interceptors
    (and engagements, equal here) and of kills per trial, from the engine's
    sums of squares, must match 20 x the per-threat variance.
    """
    s = load_scenario(root / "tests" / "configs" / "case4_shoot_look_shoot.toml")
    n = 20_000
    r = simulate(s, trials=n, seed=106)
    tot, sq = r.layer_totals[0].astype(float), r.layer_sumsq[0]
    assert tot[0] == tot[1] and sq[0] == sq[1]  # one interceptor per engagement
    _variance_check(tot[0], sq[0], n, [1, 2, 3], [0.6, 0.24, 0.16], 20, "case 4 interceptors")
    _variance_check(tot[2], sq[2], n, [0, 1], [0.064, 0.936], 20, "case 4 kills")


def test_wilson_interval_contains_the_estimate_at_the_edges():
    from saturation_sim.engine import wilson_interval

    assert wilson_interval(1000, 1000)[1] == 1.0
    assert wilson_interval(0, 1000)[0] == 0.0
    lo, hi = wilson_interval(37, 1000)
    assert lo < 0.037 < hi


def test_unit_heap_keys_fit_in_int64():
    """The kernel keys fire units by (magazine << _UNIT_BITS) | (mask - unit): the
    loader's bounds keep every unit number below 2^_UNIT_BITS and every key below 2^63."""
    from saturation_sim.engine import _kernel
    from saturation_sim.scenario import schema

    assert schema.MAX_CHANNELS < 2 ** _kernel._UNIT_BITS  # fire_units <= MAX_CHANNELS
    assert (schema.MAX_INTERCEPTORS << _kernel._UNIT_BITS) + _kernel._UNIT_MASK < 2 ** 63
