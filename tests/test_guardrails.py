"""Guardrails against silent wrong answers, and the notebook-friendly entry points.

Each refusal is one line naming the key and the reason (exit status 2 from the
command line, ScenarioError or SweepError from the API).
"""

from __future__ import annotations

import json

import pytest

from conftest import CONFIGS, TEST_CONFIGS, scenario_toml
from saturation_sim import Scenario, ScenarioError, load_scenario, simulate, sweep
from saturation_sim.cli.main import main
from saturation_sim.scenario.keys import parse_key, parse_values
from saturation_sim.sweep import SweepError, parse_target

REF = CONFIGS / "reference_3x.toml"
CASE1 = TEST_CONFIGS / "case1_saturated.toml"


def test_probability_target_outside_unit_interval_is_refused(capsys):
    with pytest.raises(SweepError, match=r"in \[0, 1\].*5%"):
        parse_target("p_any_leak < 5")
    assert parse_target("p_any_leak < 5%").value == pytest.approx(0.05)
    assert main(["solve", str(REF), "--vary", "layers.upper.fire_units=1:3", "--target",
                 "p_any_leak<=5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "probability" in err


def test_range_with_start_above_stop_says_so(capsys):
    key = parse_key("layers.upper.fire_units", load_scenario(REF))
    with pytest.raises(ScenarioError, match="start > stop"):
        parse_values("8:1:1", key)
    assert parse_values("8:2:-3", key) == (8, 5, 2)
    assert main(["sweep", str(REF), "--vary", "raid_ratio=3:1:0.5", "--out", "unused",
                 "--trials", "10"]) == 2
    assert "start > stop" in capsys.readouterr().err


def test_lo_hi_with_points(tmp_path):
    s = load_scenario(REF)
    assert parse_values("0.5:0.9", parse_key("layers.upper.engage.BM.sspk", s),
                        points=5) == (0.5, 0.6, 0.7, 0.8, 0.9)
    with pytest.raises(ScenarioError, match="--points"):
        parse_values("0.5:0.9", parse_key("layers.upper.engage.BM.sspk", s))
    assert main(["sweep", str(CASE1), "--vary", "raid_ratio=1:2", "--points", "3", "--out",
                 str(tmp_path / "s"), "--trials", "100", "--quiet"]) == 0
    doc = json.loads((tmp_path / "s" / "sweep.json").read_text())
    assert doc["values"]["raid_ratio"] == [1.0, 1.5, 2.0]


def test_trials_written_as_a_float_literal(capsys):
    assert main(["run", str(CASE1), "--trials", "1e3", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["trials"] == 1000
    assert main(["run", str(CASE1), "--trials", "1.5e3", "--json", "-"]) == 0
    with pytest.raises(SystemExit) as info:  # argparse: one usage line, exit status 2
        main(["run", str(CASE1), "--trials", "2.5", "--json", "-"])
    assert info.value.code == 2 and "whole number" in capsys.readouterr().err


def test_unengaged_group_warns_once_in_check_and_run_and_json(tmp_path, capsys):
    d = load_scenario(CASE1).to_dict()
    d["threats"].append({"name": "CM", "count": 3,
                         "launch": {"pattern": "simultaneous", "at_s": 0.0}})
    s = Scenario.from_dict(d)
    assert s.warnings() == ["threats.CM: no layer engages this group, so every warhead of it "
                            "passes unopposed"]
    path = tmp_path / "w.toml"
    path.write_text(scenario_toml(d))
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.count("warning: threats.CM") == 1
    assert main(["run", str(path), "--trials", "100"]) == 0
    assert capsys.readouterr().out.count("warning: threats.CM") == 1
    assert main(["run", str(path), "--trials", "100", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == s.warnings()
    assert load_scenario(CASE1).warnings() == []


def test_entry_points_take_a_path_a_dict_or_a_scenario():
    s = load_scenario(CASE1)
    by_obj = simulate(s, trials=200, seed=3).to_dict()
    for arg in (CASE1, str(CASE1), s.to_dict()):
        d = simulate(arg, trials=200, seed=3).to_dict()
        assert d["leakers"] == by_obj["leakers"]
    assert sweep(s.to_dict(), {"raid_ratio": [1, 2]}, trials=50, progress=False).points
    with pytest.raises(TypeError):
        simulate(42)


def test_with_values_is_a_validated_copy():
    s = load_scenario(REF)
    t = s.with_values({"layers.upper.fire_units": 2, "raid_ratio": 3})
    assert (t.layers[0].fire_units, t.capacity, t.raid_size) == (2, 32, 96)
    assert s.layers[0].fire_units == 1
    with pytest.raises(ScenarioError, match="did you mean 'fire_units'"):
        s.with_values({"layers.upper.fire_unit": 2})
    with pytest.raises(ScenarioError, match="probability"):
        s.with_values({"layers.upper.engage.BM.sspk": 1.5})


def test_window_shorter_than_the_flyout_is_refused(tmp_path, capsys):
    """An engagement that can never happen is an input error, not a silent 100% leak."""
    text = CASE1.read_text().replace("window_s = [0.0, 20.0]", "window_s = [0.0, 15.0]")
    assert "window_s = [0.0, 15.0]" in text
    path = tmp_path / "short.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=r"layers\[0\]\.engage\.BM\.window_s.*flyout_s = 20"):
        load_scenario(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no engagement could end inside it" in err


def test_window_closing_before_any_hand_off_warns(tmp_path):
    d = load_scenario(CASE1).to_dict()
    lower = dict(d["layers"][0], name="lower", engage={"BM": {"sspk": 0.5,
                                                             "window_s": [5.0, 25.0]}})
    d["layers"].append(lower)
    s = Scenario.from_dict(d)
    assert any("layers.lower.engage.BM.window_s" in w and "earlier layer" in w
               for w in s.warnings())
