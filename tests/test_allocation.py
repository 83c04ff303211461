"""Attacker strategies (issue 17, item 4): sweep/allocation.py and ``saturation-sim allocate``.

The closed-form cases are deterministic (SSPK 1, reliability 1, one engagement per
channel in the window), so their numbers are exact, not estimates. The aim helpers
are checked without the engine.
"""

from __future__ import annotations

import json

import pytest

from conftest import CONFIGS, VOLATILE, scenario, scenario_toml
from saturation_sim.cli.main import main
from saturation_sim.sweep import SweepError, allocate
from saturation_sim.sweep.allocation import (aimed, group_shares, site_capacity,
                                             strategy_weights)

#: One engagement per channel: the window (15 s) holds one 10 s flyout, not two.
KILL = {"sspk": 1.0, "window_s": [0.0, 15.0]}


def _point(name: str, asset: str, channels: int) -> dict:
    return {"name": name, "fire_units": 1, "channels_per_unit": channels,
            "interceptors_per_unit": 64, "shots_per_engagement": 1, "flyout_s": 10.0,
            "defends": [asset], "engage": {"BM": KILL}}


def two_sites(**threat) -> object:
    """Issue 17's case: two assets, each with its own point layer of 8 channels, and
    12 warheads at once (SSPK 1): 0 leak split 6/6, exactly 4 all on one asset."""
    return scenario(
        threats=[{"name": "BM", "count": 12, "launch": {"pattern": "simultaneous", "at_s": 0.0},
                  **threat}],
        layers=[_point("pa", "a", 8), _point("pb", "b", 8)],
        assets=[{"name": "a"}, {"name": "b"}])


def three_sites() -> object:
    """Values 3, 2, 1; the most valuable asset has the fewest channels (2)."""
    return scenario(
        threats=[{"name": "BM", "count": 12, "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
        layers=[_point("pa", "a", 2), _point("pb", "b", 8), _point("pc", "c", 8)],
        assets=[{"name": "a", "value": 3.0}, {"name": "b", "value": 2.0},
                {"name": "c", "value": 1.0}])


# --- the aim, without the engine --------------------------------------------------------

def test_strategy_weights():
    s = three_sites()
    assert strategy_weights(s, "uniform") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert strategy_weights(s, "by_value") == pytest.approx((0.5, 1 / 3, 1 / 6))
    assert strategy_weights(s, "top_1") == (1.0, 0.0, 0.0)
    assert strategy_weights(s, "top_2") == (0.5, 0.5, 0.0)


def test_open_share_and_reach_are_kept():
    """A group keeps its open-ground share and is aimed only at the assets it lists; one
    that reaches none of the chosen assets goes to its most valuable reachable ones."""
    s = scenario(
        threats=[{"name": "far", "count": 10, "launch": {"pattern": "simultaneous", "at_s": 0},
                  "targets": {"a": 0.2, "b": 0.5, "c": 0.1, "open": 0.2}},
                 {"name": "near", "count": 10, "launch": {"pattern": "simultaneous", "at_s": 0},
                  "targets": {"b": 0.7, "c": 0.0, "open": 0.3}},
                 {"name": "any", "count": 10, "launch": {"pattern": "simultaneous", "at_s": 0}}],
        layers=[{**_point("pa", "a", 2), "engage": {"far": KILL}}],
        assets=[{"name": "a", "value": 3.0}, {"name": "b", "value": 2.0},
                {"name": "c", "value": 2.0}])
    sh = group_shares(s, (1.0, 0.0, 0.0))
    assert sh["far"] == pytest.approx({"a": 0.8, "b": 0.0, "c": 0.0, "open": 0.2})
    assert sh["near"] == pytest.approx({"b": 0.35, "c": 0.35, "open": 0.3})  # b, c tie at 2
    assert sh["any"] == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.0})
    sh = group_shares(s, (0.0, 1.0, 3.0))
    assert sh["near"] == pytest.approx({"b": 0.175, "c": 0.525, "open": 0.3})
    for shares in sh.values():
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    run = aimed(s, sh)
    assert run.threats[1].targets == pytest.approx(sh["near"])
    assert run.layers == s.layers and run.assets == s.assets


def test_site_capacity_counts_area_layers_everywhere():
    s = scenario(
        threats=[{"name": "BM", "count": 12, "launch": {"pattern": "simultaneous", "at_s": 0}}],
        layers=[{"name": "area", "fire_units": 1, "channels_per_unit": 2,
                 "interceptors_per_unit": 64, "shots_per_engagement": 1, "flyout_s": 10.0,
                 "engage": {"BM": KILL}},
                {"name": "point", "fire_units": 3, "channels_per_unit": 8,
                 "interceptors_per_unit": 64, "shots_per_engagement": 1, "flyout_s": 10.0,
                 "defends": ["a", "b"], "fire_units_at": {"a": 2, "b": 1},
                 "engage": {"BM": KILL}}],
        assets=[{"name": "a"}, {"name": "b"}, {"name": "c"}])
    assert site_capacity(s) == {"a": 2 + 16, "b": 2 + 8, "c": 2}
    assert s.capacity == 2 + 24


def test_refusals():
    plain = scenario(threats=[{"name": "BM", "count": 3,
                               "launch": {"pattern": "simultaneous", "at_s": 0}}],
                     layers=[{"name": "l", "fire_units": 1, "channels_per_unit": 1,
                              "interceptors_per_unit": 1, "shots_per_engagement": 1,
                              "flyout_s": 1.0, "engage": {"BM": KILL}}])
    with pytest.raises(SweepError, match=r"needs \[\[assets\]\]"):
        allocate(plain, trials=10)
    with pytest.raises(SweepError, match="top_k"):
        allocate(two_sites(), trials=10, top_k=[3])
    with pytest.raises(SweepError, match="strategies"):
        allocate(two_sites(), trials=10, strategies=["everything"])


# --- with the engine ------------------------------------------------------------------

def test_two_sites_uniform_leaks_0_and_concentration_4():
    r = allocate(two_sites(), trials=50, seed=3)
    by = {o.strategy: o for o in r.outcomes}
    assert set(by) == {"as_written", "uniform", "by_value", "top_1", "top_2", "greedy"}
    u = by["uniform"]
    assert u.targeted == {"a": 6.0, "b": 6.0}
    assert (u.leakers_mean, u.damage_mean) == (0.0, 0.0)
    top = by["top_1"]
    assert top.targeted == {"a": 12.0, "b": 0.0}
    assert top.leakers == {"a": 4.0, "b": 0.0}
    assert (top.leakers_mean, top.damage_mean) == (4.0, 4.0)
    assert by["greedy"].damage_mean >= max(by[k].damage_mean for k in ("top_1", "top_2")) == 4.0
    assert r.worst.damage_mean == 4.0 and r.uniform is u
    assert r.worst.strategy == "top_1"  # the first strategy to reach the maximum


def test_an_aim_met_twice_is_run_once():
    """Equal values and no targets: as written (even), uniform, by value and top 2 are
    one aim, run once; top 1 is the other run."""
    r = allocate(two_sites(), trials=20, seed=3,
                 strategies=["as_written", "uniform", "by_value", "top_k"])
    assert [o.strategy for o in r.outcomes] == ["as_written", "uniform", "by_value", "top_1",
                                                "top_2"]
    assert r.evaluations == 2
    assert r.outcome("top_2").weights == (0.5, 0.5) and r.outcome("as_written").weights is None
    assert r.outcome("top_2").leakers == r.outcome("as_written").leakers


def test_greedy_finds_the_concentrated_optimum_from_uniform():
    """12 on the 2-channel asset of value 3 leak 10 there: damage 30, the best aim."""
    r = allocate(three_sites(), trials=20, seed=1, strategies=["uniform", "top_k", "greedy"])
    by = {o.strategy: o for o in r.outcomes}
    assert by["uniform"].damage_mean == 3 * 2  # 4 each: 2 leak at a, none at b or c
    assert by["top_1"].damage_mean == 30.0
    assert by["greedy"].damage_mean == 30.0 and r.greedy_moves >= 1
    assert by["greedy"].targeted == {"a": 12.0, "b": 0.0, "c": 0.0}
    assert r.worst.damage_mean == 30.0


def test_results_depend_only_on_scenario_trials_and_seed():
    s = two_sites(targets={"a": 0.7, "b": 0.3})
    s = s.with_values({"layers.pa.engage.BM.sspk": 0.6, "layers.pb.engage.BM.sspk": 0.6})
    first = allocate(s, trials=400, seed=7, threads=1).to_dict()
    again = allocate(s, trials=400, seed=7, threads=2).to_dict()
    assert {k: v for k, v in first.items() if k not in VOLATILE} == \
        {k: v for k, v in again.items() if k not in VOLATILE}
    other = allocate(s, trials=400, seed=8).to_dict()
    assert other["outcomes"] != first["outcomes"]
    by = {o["strategy"]: o for o in first["outcomes"]}
    assert by["as_written"]["targeted"] == {"a": 8.0, "b": 4.0}  # 12 x 0.7 = 8.4 -> 8


def test_cli_allocate_prints_the_table_and_json(tmp_path, capsys):
    path = tmp_path / "two.toml"
    path.write_text(scenario_toml(two_sites().to_dict()), encoding="utf-8")
    out = tmp_path / "a.json"
    assert main(["allocate", str(path), "--trials", "20", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "defender's worst case: top 1, damage 4.0" in text
    assert "uniform aim: damage 0.0" in text and "national raid ratio" in text
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["worst"] == "top_1" and d["trials"] == 20
    assert [a["name"] for a in d["assets"]] == ["a", "b"]
    assert main(["allocate", str(path), "--trials", "20", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["outcomes"] == d["outcomes"]


def test_cli_refuses_a_scenario_without_assets(capsys):
    assert main(["allocate", str(CONFIGS / "reference_3x.toml"), "--trials", "10"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs [[assets]]" in err


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_aim_page_counts_its_sites_in_words(lang):
    """"the 2 sites" for two, and never "the 1 sites" (or "1 runs") for a scenario
    with one asset."""
    pytest.importorskip("matplotlib")
    from saturation_sim.report import aim
    from saturation_sim.report.i18n import Messages

    msg = Messages(lang)
    one = scenario(
        threats=[{"name": "BM", "count": 6, "launch": {"pattern": "simultaneous", "at_s": 0.0},
                  "targets": {"a": 0.5, "open": 0.5}}],
        layers=[_point("pa", "a", 2)], assets=[{"name": "a"}])
    for sc, phrase in ((two_sites(), msg.count("n_sites", 2)), (one, msg.count("n_sites", 1))):
        text = " ".join(aim.words(allocate(sc, trials=20, seed=3), msg))
        assert phrase in text and "1 sites" not in text and "1 runs" not in text
    expected = ("the 2 sites", "its one site", "1 run") if lang == "en" else (
        "2か所", "1か所", "計1回")
    assert (msg.count("n_sites", 2), msg.count("n_sites", 1), msg.count("n_runs", 1)) == expected
