"""The exact method on point-defended assets (one problem per asset) against the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import K_SIGMA
from saturation_sim import Scenario, simulate
from saturation_sim.analytic import exact
from saturation_sim.analytic import IntractableError, intractable_reason


def three_sites(**changes) -> dict:
    """Three assets; a point layer with units at two of them (saturated, hit all at
    once), a second point layer at the third (ample, waves); counterstrike, imperfect
    sensors and open-ground shares."""
    d = {
        "name": "three sites",
        "assets": [{"name": "naha", "value": 3.0}, {"name": "kadena", "value": 2.0},
                   {"name": "iwakuni"}],
        "threats": [
            {"name": "BM", "count": 20, "prelaunch_kill": 0.1,
             "targets": {"naha": 0.5, "kadena": 0.25, "iwakuni": 0.15, "open": 0.1},
             "launch": {"pattern": "simultaneous", "at_s": 0.0}},
            {"name": "CM", "count": 6, "targets": {"naha": 1.0},
             "launch": {"pattern": "simultaneous", "at_s": 0.0}},
            {"name": "W", "count": 4, "targets": {"iwakuni": 0.5, "open": 0.5},
             "launch": {"pattern": "waves", "at_s": [0.0, 30.0], "count": [2, 2]}},
        ],
        "layers": [
            {"name": "pac3", "fire_units": 3, "channels_per_unit": 2, "interceptors_per_unit": 4,
             "shots_per_engagement": 2, "flyout_s": 10.0, "reliability": 0.9, "detection": 0.95,
             "defends": ["naha", "kadena"], "fire_units_at": {"naha": 2, "kadena": 1},
             "engage": {"BM": {"sspk": 0.6, "window_s": [0.0, 10.0]},
                        "CM": {"sspk": 0.8, "window_s": [0.0, 10.0]}}},
            {"name": "nasams", "fire_units": 1, "channels_per_unit": 6,
             "interceptors_per_unit": 12, "shots_per_engagement": 1, "flyout_s": 10.0,
             "defends": ["iwakuni"],
             "engage": {"BM": {"sspk": 0.5, "window_s": [0.0, 10.0]},
                        "W": {"sspk": 0.7, "window_s": [0.0, 10.0]}}},
        ],
    }
    d.update(changes)
    return d


def test_exact_per_asset_matches_the_engine():
    """Every per-asset mean, P(any leak), the leaker law and the per-layer means of the
    exact method lie within K_SIGMA standard errors of 40,000 engine trials (each check
    fails by chance with probability about 6e-5)."""
    sc = Scenario.from_dict(three_sites())
    ex, mc = exact(sc).to_dict(), simulate(sc, trials=40_000, seed=7)
    d = mc.to_dict()
    n = mc.trials
    for name, a in ex["by_asset"].items():
        m = d["by_asset"][name]
        lo, hi = m["leakers_ci95"]
        se = max((hi - lo) / (2 * 1.96), 1e-12)
        assert abs(m["leakers_mean"] - a["leakers_mean"]) <= K_SIGMA * se + 1e-12, name
        p = a["p_any_leak"]
        assert abs(m["p_any_leak"] - p) <= K_SIGMA * math.sqrt(p * (1 - p) / n) + 1e-12, name
        # Missiles aimed at an asset: at most BM's 20, each surviving the counterstrike
        # with probability 0.9, so a variance of at most 20 x 0.9 x 0.1 = 1.8 per trial.
        assert m["targeted_mean"] == pytest.approx(a["targeted_mean"],
                                                   abs=K_SIGMA * math.sqrt(1.8 / n))
    # 10% of BM's 20 (after a 0.1 counterstrike) and half of W's 4
    assert ex["open_ground"]["targeted_mean"] == pytest.approx(2 * 0.9 + 2)
    pmf_mc = np.array(d["leakers"]["pmf"])
    pmf_ex = np.array(ex["leakers"]["pmf"])
    k = min(pmf_mc.size, pmf_ex.size)
    se = np.sqrt(np.maximum(pmf_ex[:k] * (1 - pmf_ex[:k]), 1e-12) / n)
    # + 1e-4 (4 of the 40,000 trials): where a leaker count is rare its number of
    # trials is Poisson, not normal; K_SIGMA standard errors alone would refuse,
    # say, 3 trials in a bin that expects 0.4 of one.
    assert np.all(np.abs(pmf_mc[:k] - pmf_ex[:k]) <= K_SIGMA * se + 1e-4)
    for name, lay in ex["by_layer"].items():
        m = d["by_layer"][name]
        lo, hi = m["interceptors_ci95"]
        se = max((hi - lo) / (2 * 1.96), 1e-12)
        assert abs(m["interceptors_mean"] - lay["interceptors_mean"]) <= K_SIGMA * se + 1e-12
        p = lay["p_magazine_empty"]
        assert abs(m["p_magazine_empty"] - p) <= K_SIGMA * math.sqrt(p * (1 - p) / n) + 1e-12
    dm = sum(a["value"] * a["leakers_mean"] for a in ex["by_asset"].values())
    assert ex["damage"]["value_weighted_mean"] == pytest.approx(dm, rel=1e-12)


def test_two_point_defended_assets_closed_form_exact():
    """The issue's check, exactly: 8 channels at each of two assets, 12 warheads at once."""
    def sc(targets):
        layer = {"fire_units": 1, "channels_per_unit": 8, "interceptors_per_unit": 100,
                 "shots_per_engagement": 1, "flyout_s": 10.0,
                 "engage": {"B": {"sspk": 1.0, "window_s": [0.0, 10.0]}}}
        return Scenario.from_dict({
            "name": "two", "assets": [{"name": "a"}, {"name": "b"}],
            "threats": [{"name": "B", "count": 12, "targets": targets,
                         "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
            "layers": [{"name": "pa", "defends": ["a"], **layer},
                       {"name": "pb", "defends": ["b"], **layer}]})
    assert exact(sc({"a": 0.5, "b": 0.5})).leakers_mean == 0.0
    spent = exact(sc({"a": 1.0}))
    assert spent.leakers_mean == 4.0
    assert spent.to_dict()["by_asset"]["a"]["p_any_leak"] == 1.0


@pytest.mark.parametrize("change, words", [
    ({"threats": [{"name": "B", "count": 4, "allocation": "random",
                   "launch": {"pattern": "simultaneous", "at_s": 0.0}}]}, "allocation = 'random'"),
    ({"threats": [{"name": "B", "count": 4, "targets": {"naha": 0.5, "kadena": 0.5},
                   "launch": {"pattern": "uniform", "start_s": 0.0, "span_s": 10.0}}]},
     "uniform launches split"),
])
def test_exact_refuses_what_it_cannot_split(change, words):
    d = three_sites()
    d["threats"] = change["threats"]
    for lay in d["layers"]:
        lay["engage"] = {"B": {"sspk": 0.5, "window_s": [0.0, 10.0]}}
    sc = Scenario.from_dict(d)
    with pytest.raises(IntractableError, match=words):
        exact(sc)
    assert words in intractable_reason(sc)


def test_exact_refuses_area_layers_and_track_capacity():
    d = three_sites()
    del d["layers"][1]["defends"]
    with pytest.raises(IntractableError, match="area defence"):
        exact(Scenario.from_dict(d))
    d = three_sites()
    d["layers"][1]["track_capacity"] = 2
    with pytest.raises(IntractableError, match="track_capacity"):
        exact(Scenario.from_dict(d))


def test_exact_refuses_an_area_layer_that_engages_open_ground():
    """One asset, 10 warheads at once, 6 aimed at it and 4 at open ground, one area
    layer of 5 channels (1 shot, SSPK 1). Holding fire on open ground, the layer kills
    5 of the asset's 6: exactly 1 leaker, which the exact method gives. With
    engage_open it spends its 5 channels on a uniformly random 5 of the 10, so the
    asset's leakers are 6 - Hypergeometric(10, 6, 5), mean 3: the per-asset split
    (which drops the open-ground missiles) would still say 1, so the exact method must
    refuse, and `auto` then takes the engine. The engine's mean lies within K_SIGMA
    standard errors of 3 (chance failure about 6e-5)."""
    def sc(engage_open: bool) -> Scenario:
        return Scenario.from_dict({
            "name": "open", "assets": [{"name": "a"}],
            "threats": [{"name": "W", "count": 10, "targets": {"a": 0.6, "open": 0.4},
                         "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
            "layers": [{"name": "area", "fire_units": 1, "channels_per_unit": 5,
                        "interceptors_per_unit": 100, "shots_per_engagement": 1,
                        "flyout_s": 10.0, "engage_open": engage_open,
                        "engage": {"W": {"sspk": 1.0, "window_s": [0.0, 10.0]}}}]})
    held = exact(sc(False))
    assert held.leakers_mean == 1.0
    assert held.to_dict()["open_ground"]["targeted_mean"] == 4.0
    with pytest.raises(IntractableError, match="engage_open"):
        exact(sc(True))
    assert "engage_open" in intractable_reason(sc(True))
    mc = simulate(sc(True), trials=20_000, seed=3)
    var = 5 * 0.6 * 0.4 * (10 - 5) / (10 - 1)
    assert abs(mc.leakers_mean - 3.0) < K_SIGMA * math.sqrt(var / mc.trials)
