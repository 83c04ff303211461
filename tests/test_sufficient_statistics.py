"""Intervals of interceptors and costs come from sums of squares, and match the closed form.

validation.md case 4 (shoot-look-shoot, ample channels and interceptors): each of
the 20 threats draws 1 interceptor with probability 0.6, 2 with 0.4 x 0.6 = 0.24
and 3 with 0.4^2 = 0.16, independently, so interceptors per raid have variance
20 (E[X^2] - E[X]^2) = 20 (3.0 - 1.56^2) = 11.328. The reported 95% half-width
must be 1.96 sd / sqrt(n) with that sd, within 5%. With n = 100,000 the sample
sd's relative standard error is below 0.4%, so a 5% miss has probability far
below 1e-20: the check cannot fail by chance, only by a wrong statistic.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import K_SIGMA, TEST_CONFIGS
from saturation_sim import load_scenario, simulate
from saturation_sim.engine import MergeError

CASE4 = TEST_CONFIGS / "case4_shoot_look_shoot.toml"
Z95 = 1.959963984540054


def test_interceptor_interval_matches_the_closed_form(cli, capsys):
    n = 100_000
    assert cli(["run", str(CASE4), "--trials", str(n), "--seed", "3", "--json", "-"]) == 0
    d = json.loads(capsys.readouterr().out)
    lo, hi = d["by_layer"]["only"]["interceptors_ci95"]
    sd = math.sqrt(20 * (3.0 - 1.56 ** 2))
    # The half-width is Z95 x the sample sd / sqrt(n). Interceptors per threat are
    # 1, 2, 3 with probabilities 0.6, 0.24, 0.16 (kurtosis 2.36), so the total of 20
    # threats has kurtosis 2.97 and its sample sd a relative standard error of
    # sqrt((2.97 - 1) / (4 n)) = 0.22%: 1% is 4.5 of them (chance failure < 1e-5).
    assert (hi - lo) / 2 == pytest.approx(Z95 * sd / math.sqrt(n), rel=0.01)
    # and the mean is the closed form's 20 x 1.56, within K_SIGMA standard errors
    assert abs(d["by_layer"]["only"]["interceptors_mean"] - 31.2) < K_SIGMA * sd / math.sqrt(n)


def test_cost_intervals_scale_with_the_unit_cost():
    """Defender cost = 4 x interceptors here, so its interval is 4 times as wide; the
    attacker launches a fixed raid, so its interval has zero width."""
    d = load_scenario(CASE4).to_dict()
    d["layers"][0]["interceptor_cost"] = 4.0
    d["threats"][0]["cost"] = 10.0
    r = simulate(d, trials=20_000, seed=5).to_dict()
    ilo, ihi = r["by_layer"]["only"]["interceptors_ci95"]
    dlo, dhi = r["cost"]["defender_ci95"]
    # Both widths come from the same sums (costs 4 x counts); only rounding differs.
    assert (dhi - dlo) == pytest.approx(4 * (ihi - ilo), rel=1e-9)
    assert r["cost"]["attacker_ci95"] == [200.0, 200.0]


def test_statistics_are_the_same_for_any_thread_count():
    s = load_scenario(CASE4)
    one, two = simulate(s, 30_000, 9, threads=1), simulate(s, 30_000, 9, threads=2)
    assert (one.layer_sumsq == two.layer_sumsq).all() and (one.cost_sums == two.cost_sums).all()


def test_split_runs_merge_into_the_whole_run_exactly():
    s = load_scenario(CASE4)
    whole = simulate(s, 10_000, 2)
    parts = simulate(s, 4_000, 2).merge(simulate(s, 6_000, 2, first_trial=4_000))
    assert (parts.leaker_hist == whole.leaker_hist).all()
    assert (parts.layer_totals == whole.layer_totals).all()
    assert (parts.layer_sumsq == whole.layer_sumsq).all()
    assert parts.trial_ranges == ((0, 10_000),)


def test_merge_refuses_what_is_not_one_sample():
    s = load_scenario(CASE4)
    a = simulate(s, 1_000, 2)
    with pytest.raises(MergeError, match="overlap"):
        a.merge(simulate(s, 1_000, 2, first_trial=500))
    with pytest.raises(MergeError, match="seeds"):
        a.merge(simulate(s, 1_000, 3, first_trial=1_000))
    other = s.with_values({"layers.only.engage.BM.sspk": 0.5})
    with pytest.raises(MergeError, match="different scenarios"):
        a.merge(simulate(other, 1_000, 2, first_trial=1_000))
