"""Sweep keys and values: resolution, parsing, raid_ratio scaling, refusals (no simulation)."""

from __future__ import annotations

import pytest

from conftest import CONFIGS, TEST_CONFIGS, scenario
from saturation_sim import ScenarioError, load_scenario
from saturation_sim.sweep import (SweepError, apportion, build_axes, build_points, parse_key,
                                  parse_values, point_scenario, sweep)

REF = CONFIGS / "reference_3x.toml"


@pytest.fixture(scope="module")
def ref():
    return load_scenario(REF)


def two_groups():
    return scenario(
        threats=[{"name": "HGV", "count": 10, "launch": {"pattern": "waves", "at_s": [0.0, 60.0],
                                                        "count": [7, 3]}},
                 {"name": "Decoy.A", "count": 5, "kind": "decoy",
                  "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
        layers=[{"name": "upper", "fire_units": 1, "channels_per_unit": 4,
                 "interceptors_per_unit": 16, "shots_per_engagement": 2, "flyout_s": 10.0,
                 "engage": {"HGV": {"sspk": 0.7, "window_s": [0.0, 20.0]}}}])


@pytest.mark.parametrize("text,path,integer", [
    ("layers.upper.fire_units", ("layers", 0, "fire_units"), True),
    ("layers.upper.engage.BM.sspk", ("layers", 0, "engage", "BM", "sspk"), False),
    ("threats.BM.count", ("threats", 0, "count"), True),
    ("threats.BM.launch.span_s", ("threats", 0, "launch", "span_s"), False),
    ("counterstrike.prelaunch_kill", ("counterstrike", "prelaunch_kill"), False),
    ("threats.BM.prelaunch_kill", ("threats", 0, "prelaunch_kill"), False),  # optional, absent
    ("layers.upper.engage.BM.window_s.1", ("layers", 0, "engage", "BM", "window_s", 1), False),
    ("raid_ratio", (), False),
])
def test_keys_resolve_to_one_number(ref, text, path, integer):
    key = parse_key(text, ref)
    assert key.path == path and key.integer is integer


def test_named_items_may_contain_dots():
    key = parse_key("threats.Decoy.A.count", two_groups())
    assert key.path == ("threats", 1, "count")


@pytest.mark.parametrize("text,words", [
    ("layers.upper.fire_unitz", ["layers.upper.fire_unitz", "did you mean 'fire_units'"]),
    ("layers.lower.fire_units", ["layers.lower.fire_units", "upper"]),
    ("layers.upper.engage.HGV.sspk", ["layers.upper.engage.HGV.sspk", "BM"]),
    ("layers.upper.engage.BM.window_s", ["window_s", "window_s.0"]),
    ("threats.BM.name", ["threats.BM.name", "number"]),
    ("simulation.trials", ["simulation.trials", "--trials"]),
    ("layers.upper.fire_units.x", ["layers.upper.fire_units.x"]),
    ("layers..fire_units", ["layers..fire_units"]),
])
def test_bad_keys_are_refused_naming_the_key(ref, text, words):
    with pytest.raises(ScenarioError) as err:
        parse_key(text, ref)
    msg = str(err.value)
    assert "\n" not in msg and str(REF) in msg
    for w in words:
        assert w in msg


def test_ranges_include_stop_and_are_decimal_exact(ref):
    sspk = parse_key("layers.upper.engage.BM.sspk", ref)
    assert parse_values("0.1:0.9:0.1", sspk) == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    assert parse_values("0.5, 0.7,0.9", sspk) == (0.5, 0.7, 0.9)
    assert parse_values("0.9:0.5:-0.2", sspk) == (0.9, 0.7, 0.5)
    units = parse_key("layers.upper.fire_units", ref)
    assert parse_values("1:10:3", units) == (1, 4, 7, 10)
    assert parse_values("2,4.0", units) == (2, 4)
    assert all(type(v) is int for v in parse_values("1:3:1", units))


@pytest.mark.parametrize("values", ["2.5", "1:3:0.5", "1,2.5"])
def test_integer_keys_refuse_fractions_naming_the_key(ref, values):
    units = parse_key("layers.upper.fire_units", ref)
    with pytest.raises(ScenarioError, match=r"layers\.upper\.fire_units = .*whole number"):
        parse_values(values, units)


@pytest.mark.parametrize("values", ["", "a", "1:2", "1:2:0", "3:1:1", "nan", "1,1", "0:1e9:1"])
def test_malformed_values_are_refused(ref, values):
    units = parse_key("layers.upper.fire_units", ref)
    with pytest.raises(ScenarioError, match="layers.upper.fire_units"):
        parse_values(values, units)


def test_value_making_an_invalid_scenario_names_the_key(ref):
    axes = build_axes(ref, ["layers.upper.engage.BM.sspk=0.5,1.5"])
    with pytest.raises(ScenarioError) as err:
        build_points(ref, axes)
    msg = str(err.value)
    assert "layers.upper.engage.BM.sspk = 1.5" in msg and "probability" in msg


def test_bad_sweep_is_refused_before_any_work(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ScenarioError, match="layers.upper.fire_units"):
        sweep(REF, ["raid_ratio=1:3:1", "layers.upper.fire_units=1,2.5"], out, trials=10)
    with pytest.raises(ScenarioError, match="counterstrike.prelaunch_kill"):
        sweep(REF, {"counterstrike.prelaunch_kill": "0:2:0.5"}, out, trials=10)
    assert not out.exists()
    with pytest.raises(ScenarioError, match="each key swept once"):
        sweep(REF, ["raid_ratio=1,2", "raid_ratio=3"], out, trials=10)
    with pytest.raises(SweepError, match="KEY=VALUES"):
        sweep(REF, ["raid_ratio"], out, trials=10)
    with pytest.raises(SweepError, match="not both"):
        sweep(REF, ["raid_ratio=1"], out, trials=10, ci_halfwidth=0.1)
    assert not out.exists()


def test_apportion_is_largest_remainder():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(7, [24, 24]) == [4, 3]
    assert apportion(100, [3, 2, 1]) == [50, 33, 17]
    assert apportion(5, [0, 0]) == [3, 2]
    assert apportion(0, [4, 5]) == [0, 0]


def test_raid_ratio_scales_every_group_and_its_waves():
    s = two_groups()
    assert s.capacity == 8  # min(16 // 2, 4 * floor(20 / 10))
    key = parse_key("raid_ratio", s)
    for ratio, total in [(1.0, 8), (3.0, 24), (0.5, 4), (1.0625, 9), (0.0, 0)]:
        p = point_scenario(s, [(key, ratio)])
        assert p.raid_size == total  # floor(ratio * C + 0.5)
        hgv, decoy = p.threats
        assert [hgv.count, decoy.count] == apportion(total, [10, 5])
        assert sum(hgv.launch.count) == hgv.count
        assert list(hgv.launch.count) == apportion(hgv.count, [7, 3])
    assert point_scenario(s, [(key, 3.0)]).raid_ratio == 3.0


def test_raid_ratio_applies_after_capacity_keys():
    s = two_groups()
    units = parse_key("layers.upper.fire_units", s)
    ratio = parse_key("raid_ratio", s)
    p = point_scenario(s, [(ratio, 2.0), (units, 3)])
    assert p.capacity == 24 and p.raid_size == 48
    with pytest.raises(ScenarioError, match="raid_ratio.*capacity"):
        point_scenario(s, [(units, 0), (ratio, 2.0)])


def test_sweeping_a_waves_count_rescales_the_waves():
    s = two_groups()
    p = point_scenario(s, [(parse_key("threats.HGV.count", s), 20)])
    assert p.threats[0].count == 20 and p.threats[0].launch.count == (14, 6)


def test_case1_raid_ratio_grid(tmp_path):
    s = load_scenario(TEST_CONFIGS / "case1_saturated.toml")
    points = build_points(s, build_axes(s, ["raid_ratio=0.25:4:0.25"]))
    assert [p.scenario.raid_size for p in points] == list(range(4, 65, 4))
    assert [p.values["raid_ratio"] for p in points][:3] == [0.25, 0.5, 0.75]
