"""Campaigns (issue 13): closed forms, the schema's refusals and the results' statistics.

The trial-by-trial comparison with the reference model is in
``tests/test_reference.py`` (section 2b); here the three closed-form cases
of the issue, plus the guarantees a campaign must keep: one day is the
single raid, results merge and round-trip through ``stats()``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from saturation_sim import Scenario, simulate
from saturation_sim.engine.compile import production_schedule
from saturation_sim.engine.result import SimulationResult
from saturation_sim.scenario import ScenarioError

#: k of the statistical checks: two-sided, a correct engine fails one by chance
#: with probability 2 (1 - Phi(4.5)) = 6.8e-6.
K_SIGMA = 4.5


def _scenario(days=10, count=20, channels=20, magazine=100, reload=0, depot=0,
              kill_per_day=0.0, threat_extra=None, layers=True, **layer_extra) -> Scenario:
    threat = {"name": "BM", "count": count, "launch": {"pattern": "simultaneous", "at_s": 0.0}}
    threat.update(threat_extra or {})
    d = {"name": "campaign", "campaign": {"days": days, "launcher_kill_per_day": kill_per_day},
         "threats": [threat], "layers": []}
    if layers:
        d["layers"] = [{"name": "upper", "fire_units": 1, "channels_per_unit": channels,
                        "interceptors_per_unit": magazine, "shots_per_engagement": 1,
                        "flyout_s": 10.0, "reload_per_day": reload, "depot": depot,
                        "engage": {"BM": {"sspk": 1.0, "window_s": [0.0, 10.0]}}, **layer_extra}]
    else:
        d["layers"] = [{"name": "none", "fire_units": 0, "channels_per_unit": 1,
                        "interceptors_per_unit": 1, "shots_per_engagement": 1,
                        "flyout_s": 10.0, "engage": {}}]
    return Scenario.from_dict(d)


def test_depletion_closed_form():
    """20 a day against 100 interceptors and 20 channels, SSPK 1: dry after day 5."""
    r = simulate(_scenario(), trials=64, seed=1)
    assert r.by_day()["leakers_mean"] == [0, 0, 0, 0, 0, 20, 20, 20, 20, 20]
    assert r.leakers_mean == 100
    assert r.dry_days() == {"upper": 5}
    mag = r.by_day()["by_layer"]["upper"]["magazine_mean"]
    assert mag == [80, 60, 40, 20, 0, 0, 0, 0, 0, 0]


def test_depletion_with_reload_closed_form():
    """reload_per_day = 10 and depot = 30: 30 more interceptors in all, so 70 leak."""
    r = simulate(_scenario(reload=10, depot=30), trials=64, seed=1)
    assert r.leakers_mean == 70
    by = r.by_day()
    # Days 1-3 each fire 20 and reload 10 (depot 30 -> 0), leaving 70 loaded; days 4-6
    # fire 20 each, day 7 the last 10.
    assert by["leakers_mean"] == [0, 0, 0, 0, 0, 0, 10, 20, 20, 20]
    assert by["by_layer"]["upper"]["magazine_mean"] == [90, 80, 70, 50, 30, 10, 0, 0, 0, 0]
    assert by["by_layer"]["upper"]["depot_mean"] == [20, 10, 0, 0, 0, 0, 0, 0, 0, 0]


def test_launcher_attrition_closed_form():
    """50 launchers, 1 missile each, 20 % destroyed a day: 50 x 0.8^(d-1) launch on day d.

    Without defence every launch leaks. Launchers alive on day d are
    Binomial(50, 0.8^(d-1)); each day's mean is checked within K_SIGMA of its
    standard error, and so is the campaign total, whose mean is
    50 (1 - 0.8^10) / 0.2 = 223.16.
    """
    trials = 4000
    s = _scenario(count=50, kill_per_day=0.2, layers=False,
                  threat_extra={"launchers": 50, "missiles_per_launcher": 1})
    r = simulate(s, trials=trials, seed=3)
    by = r.by_day()
    for d in range(10):
        q = 0.8 ** d
        expected, sd = 50 * q, math.sqrt(50 * q * (1 - q))
        for key in ("launched_mean", "leakers_mean"):
            assert abs(by[key][d] - expected) <= K_SIGMA * sd / math.sqrt(trials) + 1e-12, (d, key)
        assert abs(by["launchers_alive_mean"]["BM"][d] - expected) <= (
            K_SIGMA * sd / math.sqrt(trials) + 1e-12)
    total = 50 * (1 - 0.8 ** 10) / 0.2
    assert round(total, 2) == 223.16
    assert abs(r.leakers_mean - total) <= K_SIGMA * r.leakers_std / math.sqrt(trials)


def test_inventory_closed_form():
    """50 a day with an inventory of 120 launches 50, 50, 20, then nothing."""
    s = _scenario(count=50, layers=False, days=5, threat_extra={"inventory": 120})
    r = simulate(s, trials=16, seed=1)
    assert r.by_day()["launched_mean"] == [50, 50, 20, 0, 0]
    assert r.leakers_mean == 120
    assert r.leaker_hist.size == 121


def test_one_day_is_the_single_raid():
    """Day 1 of a campaign is the single raid, trial by trial (common random numbers)."""
    base = {"name": "x", "counterstrike": {"prelaunch_kill": 0.2}, "threats": [
        {"name": "W", "count": 30, "launch": {"pattern": "uniform", "start_s": 0.0,
                                              "span_s": 60.0}}],
        "layers": [{"name": "L", "fire_units": 3, "channels_per_unit": 2,
                    "interceptors_per_unit": 8, "shots_per_engagement": 2, "flyout_s": 20.0,
                    "availability": 0.7, "engage": {"W": {"sspk": 0.6, "window_s": [0, 60]}}}]}
    one = simulate(Scenario.from_dict(base), trials=2000, seed=9)
    camp = simulate(Scenario.from_dict({**base, "campaign": {"days": 3}}), trials=2000, seed=9)
    hist1 = np.bincount(np.repeat(np.arange(one.leaker_hist.size), one.leaker_hist))
    # The same whole-number sums divided by the same count: equal to the last bit.
    assert camp.by_day()["leakers_mean"][0] == one.leakers_mean
    assert camp.by_day()["launched_mean"][0] == float(one.group_launched[0]) / 2000
    assert hist1.sum() == 2000
    # A one-day [campaign] means what the file without it means.
    same = simulate(Scenario.from_dict({**base, "campaign": {"days": 1}}), trials=500, seed=9)
    ref = simulate(Scenario.from_dict(base), trials=500, seed=9)
    assert np.array_equal(same.leaker_hist, ref.leaker_hist)
    assert np.array_equal(same.layer_totals, ref.layer_totals)
    assert "by_day" not in ref.to_dict() and "campaign" not in ref.to_dict()


def test_campaign_results_merge_and_round_trip():
    """Per-day sums merge exactly and survive stats() / from_stats()."""
    s = _scenario(kill_per_day=0.1, reload=5, depot=20, count=30, magazine=40,
                  threat_extra={"launchers": 15, "missiles_per_launcher": 2, "inventory": 200})
    whole = simulate(s, trials=3000, seed=4)
    a = simulate(s, trials=1000, seed=4)
    b = simulate(s, trials=2000, seed=4, first_trial=1000)
    merged = a.merge(b)
    for name in ("leaker_hist", "day_totals", "day_launchers", "day_layers", "layer_totals"):
        assert np.array_equal(getattr(merged, name), getattr(whole, name)), name
    back = SimulationResult.from_stats(s, json.loads(json.dumps(whole.stats())))
    assert back.by_day() == whole.by_day()
    d = whole.to_dict()
    assert d["campaign"]["days"] == 10
    assert set(d["by_day"]) == {"launched_mean", "leakers_mean", "leakers_ci95",
                                "launchers_alive_mean", "by_layer"}
    assert len(d["by_day"]["leakers_ci95"]) == 10
    assert set(d["by_day"]["by_layer"]["upper"]) == {"interceptors_mean", "magazine_mean",
                                                      "depot_mean", "p_magazine_empty"}
    # Totals describe the whole campaign.
    assert d["leakers"]["mean"] == pytest.approx(sum(d["by_day"]["leakers_mean"]))


def test_production_schedule_accumulates_fractions():
    assert production_schedule(0.5, 6) == [0, 1, 0, 1, 0, 1]
    assert sum(production_schedule(0.1, 10)) == 1
    assert production_schedule(2.0, 3) == [2, 2, 2]


@pytest.mark.parametrize("threat,layer,campaign,path", [
    ({"launchers": 10}, {}, {}, "threats[0].missiles_per_launcher"),
    ({"missiles_per_launcher": 2}, {}, {}, "threats[0].launchers"),
    ({"launchers": 7, "missiles_per_launcher": 2}, {}, {}, "threats[0].count"),
    ({"inventory": -1}, {}, {}, "threats[0].inventory"),
    ({}, {"depot": -5}, {}, "layers[0].depot"),
    ({}, {"reload_per_day": -1}, {}, "layers[0].reload_per_day"),
    ({}, {"production_per_day": -0.5}, {}, "layers[0].production_per_day"),
    ({}, {"availability_per": "week"}, {}, "layers[0].availability_per"),
    ({}, {}, {"days": 0}, "campaign.days"),
    ({}, {}, {"launcher_kill_per_day": 1.5}, "campaign.launcher_kill_per_day"),
    ({}, {}, {"dayz": 3}, "campaign.dayz"),
])
def test_bad_campaign_input_is_refused_in_one_line(threat, layer, campaign, path):
    d = {"name": "bad", "campaign": {"days": 3, **campaign},
         "threats": [{"name": "BM", "count": 20, "launch": {"pattern": "simultaneous", "at_s": 0.0},
                      **threat}],
         "layers": [{"name": "upper", "fire_units": 1, "channels_per_unit": 2,
                     "interceptors_per_unit": 4, "shots_per_engagement": 1, "flyout_s": 10.0,
                     "engage": {"BM": {"sspk": 0.5, "window_s": [0.0, 10.0]}}, **layer}]}
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict(d, source="bad.toml")
    msg = str(e.value)
    assert "\n" not in msg and path in msg and msg.startswith("bad.toml"), msg


def test_campaign_keys_are_sweepable():
    s = _scenario(threat_extra={"launchers": 10, "missiles_per_launcher": 2})
    t = s.with_values({"campaign.launcher_kill_per_day": 0.3, "layers.upper.reload_per_day": 4,
                       "layers.upper.depot": 50})
    assert (t.launcher_kill_per_day, t.layers[0].reload_per_day, t.layers[0].depot) == (0.3, 4, 50)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_campaign_figures_show_the_numbers(lang):
    """The campaign page's two figures, in both languages: their titles state the
    run's totals and dry days, and the spear figure draws the cumulative means."""
    pytest.importorskip("matplotlib")
    from saturation_sim.report import campaign_figs as cf
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.style import use_style

    s = _scenario(reload=10, depot=30, threat_extra={"launchers": 20,
                                                       "missiles_per_launcher": 1},
                  interceptor_cost=2.0)
    runs = cf.run_campaign(s, trials=200, seed=2)
    assert runs.kill_per_day == cf.COUNTERSTRIKE_PER_DAY and runs.buy_n == 500
    msg = Messages(lang)
    with use_style(lang):
        figs = dict(cf.campaign_figures(runs, msg, "2026-01-01"))
    assert set(figs) == {"campaign_days", "campaign_spear"}
    days_title = figs["campaign_days"].get_label()
    assert msg.number(runs.shield.leakers_mean) in days_title and "7" in days_title
    spear = figs["campaign_spear"]
    assert msg.number(runs.spear.leakers_mean) in spear.get_label()
    line = next(x for x in spear.axes[0].get_lines() if x.get_gid() == "spear")
    np.testing.assert_allclose(line.get_ydata(), np.cumsum(runs.spear.by_day()["leakers_mean"]))


@pytest.mark.parametrize("inventory, same", [(40, True), (None, False)])
def test_counterstrike_title_ranks_only_what_the_trials_can_tell_apart(inventory, same):
    """With no defence every missile fired leaks. An inventory of 40 is fired in full
    within 10 days with or without counterstrike (20 launchers, a share
    cf.COUNTERSTRIKE_PER_DAY = 0.1 of them lost a day), so the title says "about as
    many" and why; without an inventory limit counterstrike cuts the missiles fired
    (by far more than cf.SAME_SHARE), and the title compares the two."""
    pytest.importorskip("matplotlib")
    from saturation_sim.report import campaign_figs as cf
    from saturation_sim.report.i18n import Messages

    extra = {"launchers": 20, "missiles_per_launcher": 1}
    if inventory is not None:
        extra["inventory"] = inventory
    runs = cf.run_campaign(_scenario(threat_extra=extra, layers=False), trials=200, seed=3)
    shield, spear = runs.shield.leakers_mean, runs.spear.leakers_mean
    for lang in ("en", "ja"):
        msg = Messages(lang)
        title = cf.spear_title(runs, msg)
        if same:
            assert shield == spear == 40.0
            assert title == msg("camp_spear_same_title", days=10, spear=msg.number(40.0),
                                shield=msg.number(40.0), buy="–",
                                why=msg("camp_spear_same_why", launched=msg.number(40.0)))
        else:
            # Expected 20 (1 - 0.9^10) / 0.1 = 130.3 fired, all leaking; 150 is over
            # 20 standard errors of 200 trials away (a launcher's survival is a draw).
            assert shield == 200.0 and spear < 150.0
            assert title == msg("camp_spear_title", days=10, spear=msg.number(spear),
                                shield=msg.number(shield), buy="–")
