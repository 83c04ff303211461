"""solve: least lever / largest raid meeting a target, bisection, unreachable targets."""

from __future__ import annotations

import json
import math

import pytest

from conftest import CONFIGS, K_SIGMA, TEST_CONFIGS
from saturation_sim import Scenario, load_scenario
from saturation_sim.sweep import SweepError, parse_target, solve

REF = CONFIGS / "reference_3x.toml"
CASE1 = TEST_CONFIGS / "case1_saturated.toml"


@pytest.mark.parametrize("text,metric,op,value", [
    ("p_any_leak<=0.05", "p_any_leak", "<=", 0.05),
    (" p_any_leak <= 5% ", "p_any_leak", "<=", 0.05),
    ("leakers_mean<5", "leakers_mean", "<", 5.0),
])
def test_parse_target(text, metric, op, value):
    t = parse_target(text)
    assert (t.metric, t.op) == (metric, op) and t.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["leakers<=1", "p_any_leak>=0.5", "p_any_leak<=x", "", "p<=-1"])
def test_bad_targets_are_refused(text):
    with pytest.raises(SweepError, match="--target"):
        parse_target(text)


def test_fire_units_for_mean_leakers_at_most_5():
    r = solve(REF, "layers.upper.fire_units", 1, 10, "leakers_mean<=5", trials=5000, seed=1,
              method="mc")
    d = r.to_dict()
    assert (r.status, r.answer, d["bracket"], d["direction"]) == ("solved", 2, [1, 2], "lever")
    assert d["at_answer"]["leakers_mean"] <= 5 < d["at_other"]["leakers_mean"]
    assert d["confidence"]["answer_side"] and d["confidence"]["other_side"]
    assert d["method"] == "mc" and d["trials"] == 5000
    assert "Least layers.upper.fire_units" in r.line and ": 2." in r.line


def test_unreachable_p_any_leak_is_explained_by_the_bound():
    """Each engagement leaks 1 - (1 - 0.3^2) = 9%: P(any leak) >= 1 - 0.91^48 whatever the units."""
    r = solve(REF, "layers.upper.fire_units", 1, 10, "p_any_leak<=0.05", trials=2000,
              method="mc")
    d = r.to_dict()
    assert r.status == "unreachable" and r.answer is None
    assert d["bound"]["formula"] == "1 - 0.91^48"
    assert d["bound"]["p_any_leak_min"] == pytest.approx(1 - 0.91 ** 48)
    assert d["bound_excludes_target"] and d["key_cannot_help"]
    assert "1 - 0.91^48 = 0.9892" in r.line and "No value of layers.upper.fire_units" in r.line


def test_largest_raid_ratio_meeting_a_target_is_exact_in_whole_missiles():
    """Case 1 curve: mean = max(N - 16, 0) + min(N, 16) 0.09; <= 3 holds up to N = 17."""
    r = solve(CASE1, "raid_ratio", 0.25, 4, "leakers_mean<=3", trials=4000)
    d = r.to_dict()
    assert (r.status, d["direction"]) == ("solved", "raid")
    assert r.answer == 17 / 16 and d["at_answer"]["raid_size"] == 17
    assert d["at_other"]["raid_size"] == 18
    count = solve(CASE1, "threats.BM.count", 4, 64, "leakers_mean<=3", trials=4000)
    assert count.answer == 17


def _case1_with(count: int) -> Scenario:
    d = load_scenario(CASE1).to_dict()
    d["threats"][0]["count"] = count
    return Scenario.from_dict(d)


def test_real_key_is_bisected_to_tolerance():
    """16 threats, one engagement each: mean = 16 (1 - p)^2 <= 1 iff p >= 0.75."""
    r = solve(_case1_with(16), "layers.upper.engage.BM.sspk", 0.5, 0.95, "leakers_mean<=1",
              trials=20_000, tol=0.005)
    lo, hi = r.to_dict()["bracket"]
    assert r.status == "solved" and hi - lo <= 0.005 and r.answer == hi
    # The Monte Carlo mean crosses 1 near 0.75: at q = (1 - 0.75)^2 its standard error
    # is sqrt(16 q (1 - q) / 20,000) and its slope in p is 32 (1 - p) = 8, so the crossing
    # is within K_SIGMA standard errors / 8 of 0.75 (chance failure 6.3e-5 for a fresh
    # seed); the answer, the bracket's upper end, is at most tol above the crossing.
    q = 0.25**2
    sigma_p = math.sqrt(16 * q * (1 - q) / 20_000) / 8
    assert 0.75 - K_SIGMA * sigma_p <= r.answer <= 0.75 + 0.005 + K_SIGMA * sigma_p


def test_target_met_across_the_range():
    r = solve(REF, "layers.upper.fire_units", 2, 5, "leakers_mean<=5", trials=2000)
    assert (r.status, r.answer) == ("met_across_range", 2)
    assert "already at the bottom" in r.line


def test_solve_uses_the_analytic_layer_when_tractable():
    # Case 1 (simultaneous, saturated) is exact: N <= 16 warheads leak 0.09 N on
    # average, N > 16 leak (N - 16) + 16 * 0.09; the largest raid with mean <= 3 is
    # N = 17 (2.44), N = 18 gives 3.44.
    r = solve(CASE1, "raid_ratio", 0.25, 4, "leakers_mean<=3")
    d = r.to_dict()
    assert (d["method"], r.answer, d["trials"]) == ("exact", 17 / 16, None)
    assert all(e["method"] == "exact" for e in d["evaluations"])


def test_solve_falls_back_to_monte_carlo_and_says_why():
    # Uniform launches against a saturated layer have no closed form.
    r = solve(REF, "layers.upper.fire_units", 1, 4, "leakers_mean<=5", trials=2000)
    d = r.to_dict()
    assert d["method"] == "mc" and "uniform" in d["why_monte_carlo"] and r.answer == 2
    with pytest.raises(SweepError, match="uniform"):
        solve(REF, "layers.upper.fire_units", 1, 4, "leakers_mean<=5", method="exact")


def test_bad_solve_input():
    with pytest.raises(SweepError, match="LO < HI"):
        solve(REF, "layers.upper.fire_units", 3, 3, "leakers_mean<=5")
    with pytest.raises(ValueError, match="layers.upper.fire_units = 2.5"):
        solve(REF, "layers.upper.fire_units", 1, 2.5, "leakers_mean<=5")


def test_cli_solve(cli, capsys):
    argv = ["solve", str(REF), "--vary", "layers.upper.fire_units=1:4", "--target",
            "leakers_mean<=5", "--trials", "2000"]
    assert cli([*argv, "--json", "-"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["answer"] == 2 and d["status"] == "solved" and d["line"].startswith("Least")
    assert cli([*argv, "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("Least layers.upper.fire_units")
    assert cli(["solve", str(REF), "--vary", "layers.upper.fire_units=1", "--target",
                "leakers_mean<=5"]) == 2
    assert "KEY=LO:HI" in capsys.readouterr().err
    assert cli(["solve", str(REF), "--vary", "layers.upper.fire_units=1:3", "--target",
                "leakers<=5"]) == 2
    assert "--target" in capsys.readouterr().err


TWO_SITES = {
    "name": "two sites", "assets": [{"name": "naha", "value": 3.0}, {"name": "kadena"}],
    "threats": [{"name": "W", "count": 12, "targets": {"naha": 0.5, "kadena": 0.5},
                 "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
    "layers": [{"name": "pt", "fire_units": 2, "channels_per_unit": 8,
                "interceptors_per_unit": 100, "shots_per_engagement": 1, "flyout_s": 10.0,
                "defends": ["naha", "kadena"], "fire_units_at": {"naha": 1, "kadena": 1},
                "engage": {"W": {"sspk": 1.0, "window_s": [0.0, 10.0]}}}]}


def test_solve_refuses_target_shares_and_asset_values():
    """Two sites of 8 channels, 12 warheads at once: with n at naha, max(0, n - 8) +
    max(0, 12 - n - 8) leak, 4 at both ends of the share's range and 0 in the middle,
    so no bisection over the share is right (it answered 'cannot be met' though the
    even split meets leakers_mean <= 1). An asset's value moves neither metric. Both
    are refused in one line naming the file and the key."""
    sc = Scenario.from_dict(TWO_SITES, source="two.toml")
    for key, lo, hi, words in [("threats.W.targets.naha", 0.0, 1.0, "a target share"),
                               ("assets.naha.value", 0.0, 5.0, "an asset's value")]:
        with pytest.raises(SweepError) as err:
            solve(sc, key, lo, hi, "leakers_mean<=1")
        msg = str(err.value)
        assert msg.startswith(f"two.toml: --vary {key}: {words}") and "\n" not in msg
    # The non-monotone law itself (why bisection cannot work), from the exact method.
    from saturation_sim.analytic import exact
    means = [exact(sc.with_values({"threats.W.targets.naha": s})).leakers_mean
             for s in (0.0, 0.5, 1.0)]
    assert means == [4.0, 0.0, 4.0]
