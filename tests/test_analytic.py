"""The analytic room: closed forms, exact leaker laws, and the engine against them.

Three kinds of check:

* closed forms and exact results against the numbers of validation.md and
  against independent formulas written out here (to 1e-9, or to the printed
  precision of validation.md's tables);
* the exact result's shape (``to_dict`` has exactly the keys of the Monte Carlo
  result) and refusals of intractable scenarios, naming the feature;
* the Monte Carlo engine against the exact law on each validation case: a mean
  within K_SIGMA = 4 standard errors of the exact mean, SE = exact std /
  sqrt(trials); a probability within 4 binomial standard errors at the exact p.
  A correct engine fails one such check by chance with probability 6.3e-5
  (1 in 16,000). Seeds are fixed, so the suite is deterministic.
"""

from __future__ import annotations

import ast
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from conftest import K_SIGMA
from saturation_sim import Scenario, load_scenario, simulate
from saturation_sim.analytic import (
    ExactResult,
    IntractableError,
    binomial_pmf,
    engagement_kill_probability,
    engagements_pmf,
    erlang_b,
    erlang_loss_leak_fraction,
    exact,
    expected_engagements,
    hypergeometric_split,
    interceptors_for_no_leak,
    intractable_reason,
    layer_kill_probability,
    p_no_leak_independent,
    saturated_leakers_mean,
)

CONFIGS = Path(__file__).resolve().parent / "configs"
ROOT_CONFIGS = Path(__file__).resolve().parents[1] / "configs"
ANALYTIC_SRC = Path(__file__).resolve().parents[1] / "src" / "saturation_sim" / "analytic"
TRIALS = 20_000
TOL = 1e-9


def case(name: str) -> Scenario:
    return load_scenario(CONFIGS / name)


def with_changes(s: Scenario, threat: dict | None = None, layer: dict | None = None,
                 **top) -> Scenario:
    d = s.to_dict()
    d["threats"][0].update(threat or {})
    d["layers"][0].update(layer or {})
    d.update(top)
    return Scenario.from_dict(d)


def small(threats: list[dict], layers: list[dict], **top) -> Scenario:
    return Scenario.from_dict({"name": "t", "threats": threats, "layers": layers, **top})


def simultaneous(name: str, count: int, at_s: float = 0.0, **kw) -> dict:
    return {"name": name, "count": count, "launch": {"pattern": "simultaneous", "at_s": at_s}, **kw}


def layer(name: str, engage: dict, **kw) -> dict:
    d = {"name": name, "fire_units": 1, "channels_per_unit": 10, "interceptors_per_unit": 100,
         "shots_per_engagement": 1, "flyout_s": 10.0, "engage": engage}
    d.update(kw)
    return d


# --- closed forms ----------------------------------------------------------------

def test_erlang_b_matches_validation_and_direct_formula():
    assert erlang_b(4, 2.0) == pytest.approx(2 / 21, abs=1e-15)   # 0.095238
    assert round(erlang_b(10, 30.0), 4) == 0.6813
    assert round(erlang_b(100, 300.0), 4) == 0.6683
    for c, a in ((4, 2), (10, 30), (25, 7), (100, 300)):
        terms = [Fraction(a) ** k / math.factorial(k) for k in range(c + 1)]
        assert erlang_b(c, float(a)) == pytest.approx(float(terms[-1] / sum(terms)), abs=TOL)
    assert erlang_b(0, 3.0) == 1.0 and erlang_b(5, 0.0) == 0.0
    big = erlang_b(20_000, 60_000.0)   # stable where a**c / c! overflows
    assert 0.0 < big < 1.0 and big == pytest.approx(1 - 1 / 3, abs=1e-3)
    with pytest.raises(ValueError):
        erlang_b(-1, 1.0)
    with pytest.raises(ValueError):
        erlang_b(3, float("nan"))


def test_interceptors_for_no_leak_inverts_the_independent_shot_model():
    for p_no_leak, n_threats, pk in ((0.9, 10, 0.8), (0.5, 20, 0.6), (0.99, 48, 0.7)):
        n_star = interceptors_for_no_leak(p_no_leak, n_threats, pk)
        closed = math.log(1 - p_no_leak ** (1 / n_threats)) / math.log(1 - pk)
        assert n_star == pytest.approx(closed, abs=TOL)
        assert (1 - (1 - pk) ** n_star) ** n_threats == pytest.approx(p_no_leak, abs=TOL)
        # Round up for whole interceptors: then P(no leak) is at least the target.
        assert p_no_leak_independent(n_threats, math.ceil(n_star), pk) >= p_no_leak - 1e-12
    assert interceptors_for_no_leak(0.0, 5, 0.5) == 0.0
    assert interceptors_for_no_leak(0.5, 5, 1.0) == 0.0
    assert interceptors_for_no_leak(1.0, 5, 0.5) == math.inf
    for bad in ((1.5, 5, 0.5), (0.5, 0, 0.5), (0.5, 5, -0.1)):
        with pytest.raises(ValueError):
            interceptors_for_no_leak(*bad)


def test_binomial_and_hypergeometric_helpers():
    assert binomial_pmf(5, 0.0).tolist() == [1, 0, 0, 0, 0, 0]
    assert binomial_pmf(5, 1.0).tolist() == [0, 0, 0, 0, 0, 1]
    np.testing.assert_allclose(binomial_pmf(7, 0.3), stats.binom.pmf(range(8), 7, 0.3), atol=TOL)
    split = hypergeometric_split((4, 3), 3)
    assert sum(p for _, p in split) == pytest.approx(1.0, abs=TOL)
    for (x, y), p in split:
        assert p == pytest.approx(stats.hypergeom.pmf(x, 7, 4, 3), abs=TOL) and x + y == 3
    split3 = hypergeometric_split((2, 3, 1), 4)
    assert sum(p for _, p in split3) == pytest.approx(1.0, abs=TOL)
    with pytest.raises(ValueError):
        hypergeometric_split((1, 1), 3)


def test_kill_probabilities_and_shoot_look_shoot_engagements():
    assert engagement_kill_probability(0.7, 2) == pytest.approx(0.91, abs=TOL)
    assert engagement_kill_probability(0.8, 2, reliability=0.9) == pytest.approx(1 - 0.28 ** 2,
                                                                                  abs=TOL)
    assert layer_kill_probability(0.6, 3) == pytest.approx(1 - 0.064, abs=TOL)
    assert layer_kill_probability(0.96, 1, detection=0.95) == pytest.approx(0.912, abs=TOL)
    assert expected_engagements(0.6, 3) == pytest.approx(1.56, abs=TOL)   # validation case 4
    law = engagements_pmf(0.6, 3)
    assert law.sum() == pytest.approx(1.0, abs=TOL)
    assert law @ np.arange(4) == pytest.approx(1.56, abs=TOL)
    assert saturated_leakers_mean(48, 16, 0.91) == pytest.approx(33.44, abs=TOL)


# --- validation.md cases, exactly ----------------------------------------------------

def test_case1_saturated_all_at_once():
    r = exact(case("case1_saturated.toml"))
    expected = np.zeros(49)
    expected[32:] = stats.binom.pmf(range(17), 16, 0.09)
    np.testing.assert_allclose(r.pmf, expected, atol=TOL)
    assert r.leakers_mean == pytest.approx(33.44, abs=TOL)
    assert r.p_any_leak == 1.0
    d = r.to_dict()
    assert d["capacity"] == 16 and d["raid_ratio"] == 3.0
    assert d["by_layer"]["upper"]["engagements_mean"] == pytest.approx(16, abs=TOL)
    assert d["by_layer"]["upper"]["interceptors_mean"] == pytest.approx(32, abs=TOL)
    assert d["by_layer"]["upper"]["p_magazine_empty"] == 0.0   # 64 - 32 left


@pytest.mark.parametrize("n_threats,shots,printed", [
    (10, 1, 0.1074), (10, 2, 0.6648), (10, 3, 0.9228), (10, 4, 0.9841),
    (20, 1, 0.0115), (20, 2, 0.4420), (20, 3, 0.8516), (20, 4, 0.9685)])
def test_case2_unlimited_capacity_table(n_threats, shots, printed):
    s = with_changes(case("case2_unlimited.toml"), threat={"count": n_threats},
                     layer={"shots_per_engagement": shots})
    r = exact(s)
    closed = (1 - 0.2 ** shots) ** n_threats
    assert 1 - r.p_any_leak == pytest.approx(closed, abs=TOL)
    assert round(1 - r.p_any_leak, 4) == printed
    np.testing.assert_allclose(r.pmf, stats.binom.pmf(range(n_threats + 1), n_threats,
                                                      0.2 ** shots), atol=TOL)


def test_case2_detection():
    r = exact(case("case2_detection.toml"))
    assert 1 - r.p_any_leak == pytest.approx((0.95 * 0.96) ** 20, abs=TOL)
    assert round(1 - r.p_any_leak, 4) == 0.1585
    assert r.leakers_mean == pytest.approx(1.76, abs=TOL)


@pytest.mark.parametrize("name,mean,p_no_leak,engagements", [
    ("case3_magazine_40.toml", 10.8, 0.0, 20), ("case3_magazine_60.toml", 1.2, 0.96 ** 30, 30)])
def test_case3_magazine_limited(name, mean, p_no_leak, engagements):
    r = exact(case(name))
    assert r.leakers_mean == pytest.approx(mean, abs=TOL)
    assert 1 - r.p_any_leak == pytest.approx(p_no_leak, abs=TOL)
    assert r.engagements[0] == pytest.approx(engagements, abs=TOL)
    assert r.p_magazine_empty[0] == pytest.approx(1.0, abs=TOL)
    if p_no_leak:
        assert round(1 - r.p_any_leak, 4) == 0.2939


def test_case4_shoot_look_shoot():
    r = exact(case("case4_shoot_look_shoot.toml"))
    assert r.leakers_mean == pytest.approx(20 * 0.4 ** 3, abs=TOL)
    assert 1 - r.p_any_leak == pytest.approx(0.936 ** 20, abs=TOL)
    assert round(1 - r.p_any_leak, 4) == 0.2664
    assert r.interceptors[0] == pytest.approx(20 * 1.56, abs=TOL)
    # The magazine (60) runs dry only if all 20 threats need all 3 shots.
    assert r.p_magazine_empty[0] == pytest.approx(0.4 ** 40, abs=1e-20)


def test_case5_two_layers_thinning():
    r = exact(case("case5_two_layers.toml"))
    assert r.leakers_mean == pytest.approx(24 * 0.09 * 0.04, abs=TOL)
    assert 1 - r.p_any_leak == pytest.approx((1 - 0.0036) ** 24, abs=TOL)
    assert round(1 - r.p_any_leak, 4) == 0.9171
    assert r.interceptors[1] == pytest.approx(24 * 0.09 * 2, abs=TOL)


def test_case6_common_mode_failure():
    r = exact(case("case6_availability.toml"))
    assert 1 - r.p_any_leak == pytest.approx(0.9 * 0.96 ** 20, abs=TOL)
    assert round(1 - r.p_any_leak, 4) == 0.3978
    assert r.leakers_mean == pytest.approx(2.72, abs=TOL)
    assert r.p_magazine_empty[0] == pytest.approx(0.9, abs=TOL)


def test_case7_is_asymptotic_not_exact():
    s = case("case7_erlang_b_4_2.toml")
    assert "uniform" in intractable_reason(s)
    approx = erlang_loss_leak_fraction(s)
    assert approx.method == "asymptotic"
    assert approx.blocking == pytest.approx(2 / 21, abs=1e-12)
    assert approx.leak_fraction == pytest.approx(2 / 21, abs=1e-12)   # p = 1: blocked = leaked


def test_erlang_helper_against_engine():
    """The engine's leak fraction is within 4 SE plus the O(flyout / span) start-up bias of B."""
    s = small([{"name": "W", "count": 2000,
                "launch": {"pattern": "uniform", "start_s": 0.0, "span_s": 10_000.0}}],
              [layer("L", {"W": {"sspk": 1.0, "window_s": [0.0, 10.0]}},
                     channels_per_unit=4, interceptors_per_unit=2000)])
    approx = erlang_loss_leak_fraction(s)
    m = simulate(s, trials=200, seed=7)
    frac = m.leakers_mean / 2000
    se = m.leakers_std / 2000 / math.sqrt(200)
    # The first flyout starts empty: at most ~c losses fewer in 2000, bias <= 4 / 2000.
    assert abs(frac - approx.leak_fraction) <= K_SIGMA * se + 4 / 2000


def test_erlang_helper_refuses_when_its_assumptions_fail():
    base = case("case7_erlang_b_4_2.toml")
    with pytest.raises(IntractableError, match="window_s"):
        erlang_loss_leak_fraction(with_changes(base, layer={"engage": {
            "BM": {"sspk": 1.0, "window_s": [0.0, 30.0]}}}))
    with pytest.raises(IntractableError, match="magazine"):
        erlang_loss_leak_fraction(with_changes(base, layer={"interceptors_per_unit": 100}))
    with pytest.raises(IntractableError, match="uniform"):
        erlang_loss_leak_fraction(case("case1_saturated.toml"))


def test_raid_ratio_sweep_follows_the_saturated_closed_form():
    base = case("case1_saturated.toml")
    q2 = 0.3 ** 2
    for n in range(1, 65, 7):
        r = exact(with_changes(base, threat={"count": n}))
        assert r.leakers_mean == pytest.approx(max(n - 16, 0) + min(n, 16) * q2, abs=TOL)


# --- shape of the result -----------------------------------------------------------------

def _keys(d, prefix=""):
    out = set()
    for k, v in d.items():
        out.add(prefix + k)
        if isinstance(v, dict) and k not in ("by_threat", "by_layer"):
            out |= _keys(v, prefix + k + ".")
    return out


def test_to_dict_has_exactly_the_monte_carlo_keys():
    s = small([simultaneous("W", 6, cost=2.0), simultaneous("D", 3, kind="decoy", cost=0.5)],
              [layer("up", {"W": {"sspk": 0.7, "window_s": [0, 10]},
                            "D": {"sspk": 0.7, "window_s": [0, 10]}},
                     channels_per_unit=4, interceptor_cost=3.0)])
    e, m = exact(s).to_dict(), simulate(s, trials=500, seed=1).to_dict()
    assert _keys(e) == _keys(m)
    assert e["by_threat"].keys() == m["by_threat"].keys()
    for name in m["by_layer"]:
        assert e["by_layer"][name].keys() == m["by_layer"][name].keys()
    for name in m["by_threat"]:
        assert e["by_threat"][name].keys() == m["by_threat"][name].keys()
    assert e["method"] == "exact" and e["trials"] is None and e["seed"] is None
    assert e["leakers"]["ci95"] == [e["leakers"]["mean"]] * 2
    assert e["p_any_leak_ci95"] == [e["p_any_leak"]] * 2
    assert e["leakers"]["p_at_least"][0] == 1.0
    assert len(e["leakers"]["pmf"]) == len(e["leakers"]["p_at_least"])
    assert e["by_threat"]["D"]["leakers_mean"] == 0.0            # decoys never leak
    assert e["cost"]["attacker_mean"] == pytest.approx(6 * 2.0 + 3 * 0.5, abs=TOL)
    assert e["cost"]["defender_mean"] == pytest.approx(4 * 3.0, abs=TOL)
    assert e["cost"]["exchange_ratio"] == pytest.approx(12.0 / 13.5, abs=TOL)


def test_decoys_absorb_interceptors_hypergeometrically():
    """One engagement among 2 warheads and 2 decoys: a warhead is engaged with P = 1/2."""
    s = small([simultaneous("W", 2), simultaneous("D", 2, kind="decoy")],
              [layer("up", {"W": {"sspk": 1.0, "window_s": [0, 10]},
                            "D": {"sspk": 1.0, "window_s": [0, 10]}},
                     channels_per_unit=1)])
    r = exact(s)
    np.testing.assert_allclose(r.pmf, [0.0, 0.5, 0.5], atol=TOL)
    # With discrimination 1 the decoys are never shot at: one warhead always dies.
    d = s.to_dict()
    d["layers"][0]["discrimination"] = 1.0
    np.testing.assert_allclose(exact(Scenario.from_dict(d)).pmf, [0.0, 1.0, 0.0], atol=TOL)


def test_counterstrike_thins_each_group_binomially():
    s = small([simultaneous("W", 5, prelaunch_kill=0.5, cost=1.0), simultaneous("V", 3)],
              [layer("up", {}, )], counterstrike={"prelaunch_kill": 0.25})
    r = exact(s)
    law = np.convolve(stats.binom.pmf(range(6), 5, 0.5), stats.binom.pmf(range(4), 3, 0.75))
    np.testing.assert_allclose(r.pmf, law, atol=TOL)
    assert r.to_dict()["by_threat"]["W"]["launched_mean"] == pytest.approx(2.5, abs=TOL)


def test_kernel_path_equals_general_path(monkeypatch):
    """The vectorised one-class path and the general sparse path give the same law."""
    from saturation_sim.analytic import kernel1d

    s = small([simultaneous("W", 12, prelaunch_kill=0.2)],
              [layer("up", {"W": {"sspk": 0.7, "window_s": [0, 20]}}, channels_per_unit=3,
                     interceptors_per_unit=10, detection=0.9),
               layer("mid", {"W": {"sspk": 0.5, "window_s": [20, 30]}}, channels_per_unit=20,
                     max_engagements=1, availability=0.8),
               layer("low", {"W": {"sspk": 0.6, "window_s": [40, 50]}}, channels_per_unit=2,
                     interceptors_per_unit=4)])
    fast = exact(s)
    monkeypatch.setattr(kernel1d, "applies", lambda *a: False)
    slow = exact(s)
    np.testing.assert_allclose(fast.pmf, slow.pmf, atol=1e-12)
    for attr in ("engagements", "kills", "p_magazine_empty"):
        np.testing.assert_allclose(getattr(fast, attr), getattr(slow, attr), atol=1e-12)


def test_joint_path_merges_classes_that_meet_again():
    """Threats seen and unseen by an ample layer differ in handoff, then meet in one class.

    Regression: the joint solver must add the probabilities of count vectors that
    land on the same next state (here through an idle layer), not overwrite them.
    """
    from saturation_sim.analytic.independent import run_independent
    from saturation_sim.analytic.joint import run_joint
    from saturation_sim.analytic.plan import availability_patterns, build_plan

    s = small([simultaneous("W", 3)],
              [layer("up", {"W": {"sspk": 0.8, "window_s": [0, 10]}}, flyout_s=5.0,
                     max_engagements=2, detection=0.8),
               # Latest start 5 s: it reaches the warheads "up" never saw (hand-off
               # -inf), never those it engaged twice (hand-off 10 s).
               layer("late", {"W": {"sspk": 1.0, "window_s": [0, 25]}}, flyout_s=20.0)])
    for present, weight in availability_patterns(s):
        plan = build_plan(s, present, weight)
        assert len(plan.max_counts[1]) == 2   # two handoff classes between the layers
        joint, indep = run_joint(s, plan), run_independent(s, plan)
        np.testing.assert_allclose(joint.pmf, indep.pmf, atol=1e-12)
        assert joint.pmf.sum() == pytest.approx(1.0, abs=1e-12)
    # A warhead leaks only if "up" detects it (0.8) and misses it twice (0.2^2): one
    # it does not detect is killed by "late" (SSPK 1), which is too late for the rest.
    np.testing.assert_allclose(exact(s).pmf, stats.binom.pmf(range(4), 3, 0.8 * 0.04),
                               atol=TOL)


def test_large_single_group_is_fast_and_consistent():
    s = small([simultaneous("W", 600, prelaunch_kill=0.1)],
              [layer("up", {"W": {"sspk": 0.7, "window_s": [0, 40]}}, channels_per_unit=100,
                     interceptors_per_unit=400, shots_per_engagement=2, flyout_s=20.0,
                     detection=0.9)])
    r = exact(s)
    assert r.pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert r.elapsed_s < 20
    # Pool ~ Bin(600, 0.9 * 0.9) >> capacity 200 (4 sigma): engaged = 200 almost surely.
    assert r.engagements[0] == pytest.approx(200, abs=1e-6)


# --- refusals -------------------------------------------------------------------------------

def test_intractable_scenarios_name_the_feature():
    sls = small([simultaneous("W", 20)],
                [layer("up", {"W": {"sspk": 0.6, "window_s": [0, 30]}}, channels_per_unit=5,
                       max_engagements=3)])
    assert intractable_reason(sls).startswith("layers[0].max_engagements > 1 in a saturated layer")
    with pytest.raises(IntractableError, match=r"layers\[0\]\.max_engagements > 1"):
        exact(sls)
    assert issubclass(IntractableError, ValueError)

    waves = small([{"name": "W", "count": 10,
                    "launch": {"pattern": "waves", "at_s": [0.0, 5.0], "count": [5, 5]}}],
                  [layer("up", {"W": {"sspk": 0.6, "window_s": [0, 20]}}, channels_per_unit=3)])
    assert "different instants" in intractable_reason(waves)

    reference = load_scenario(ROOT_CONFIGS / "reference_3x.toml")
    assert "uniform" in intractable_reason(reference)
    assert intractable_reason(case("case1_saturated.toml")) is None


def test_waves_and_uniform_launches_are_exact_when_capacity_is_ample():
    s = small([{"name": "W", "count": 6, "launch": {"pattern": "waves", "at_s": [0.0, 10.0],
                                                      "count": [3, 3]}},
               {"name": "U", "count": 4, "launch": {"pattern": "uniform", "start_s": 0.0,
                                                      "span_s": 100.0}}],
              [layer("up", {"W": {"sspk": 0.5, "window_s": [0, 20]},
                            "U": {"sspk": 0.5, "window_s": [0, 20]}},
                     max_engagements=2)])
    assert intractable_reason(s) is None
    r = exact(s)
    np.testing.assert_allclose(r.pmf, stats.binom.pmf(range(11), 10, 0.25), atol=TOL)


def test_analytic_imports_only_scenario_and_engine():
    for path in ANALYTIC_SRC.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                assert (node.module or "").split(".")[0] in ("scenario", "engine", ""), path
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module is None:
                assert {a.name for a in node.names} <= {"__version__"}, path


# --- the engine against the exact law, validation cases -----------------------------------

@pytest.mark.parametrize("name", [
    "case1_saturated.toml", "case2_unlimited.toml", "case2_detection.toml",
    "case3_magazine_40.toml", "case3_magazine_60.toml", "case4_shoot_look_shoot.toml",
    "case5_two_layers.toml", "case6_availability.toml"])
def test_engine_agrees_with_exact_law(name):
    s = case(name)
    e: ExactResult = exact(s)
    m = simulate(s, trials=TRIALS, seed=2024)
    se = e.leakers_std / math.sqrt(TRIALS)
    assert abs(m.leakers_mean - e.leakers_mean) <= K_SIGMA * se + 1e-12
    p = e.p_any_leak
    assert abs(m.p_any_leak - p) <= K_SIGMA * math.sqrt(p * (1 - p) / TRIALS) + 1e-12
    # Outcomes the exact law calls impossible never happen.
    support = np.zeros(max(e.pmf.size, m.pmf.size), bool)
    support[: e.pmf.size] = e.pmf > 0
    assert not m.leaker_hist[~support[: m.leaker_hist.size]].any()
    for li in range(len(s.layers)):
        pe = float(e.p_magazine_empty[li])
        got = m.layer_totals[li, 3] / TRIALS
        assert abs(got - pe) <= K_SIGMA * math.sqrt(pe * (1 - pe) / TRIALS) + 1e-12
