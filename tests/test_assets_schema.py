"""Issue 17, schema: defended assets, targets, point defence sites and track capacity.

Reading, writing and sweeping the new keys; their one-line errors; the derived
``target_names``, ``group_shares`` and ``layer_sites``. The engine's rules for
them are tested elsewhere.
"""

from __future__ import annotations

import copy

import pytest

from saturation_sim import Scenario, ScenarioError, simulate
from saturation_sim.cli.main import main
from saturation_sim.scenario.describe import describe_keys
from saturation_sim.sweep.grid import build_axes, build_points
from saturation_sim.sweep.sampling import resolve_inputs, sample_scenario

SRC = "x.toml"

#: Three assets, one group aimed at two of them and open ground, a point layer with one
#: site per defended asset and a track limit, and an area layer.
BASE = {
    "name": "assets",
    "assets": [{"name": "naha", "label": "Naha air base", "label_ja": "那覇基地", "value": 3.0},
               {"name": "kadena"}, {"name": "yokota", "value": 0.5}],
    "threats": [{"name": "DF-21", "count": 10, "launch": {"pattern": "simultaneous", "at_s": 0.0},
                 "targets": {"naha": 0.5, "kadena": 0.3, "open": 0.2}, "allocation": "random"},
                {"name": "CJ-10", "count": 4,
                 "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
    "layers": [
        {"name": "pac3", "fire_units": 3, "channels_per_unit": 4, "interceptors_per_unit": 8,
         "shots_per_engagement": 2, "flyout_s": 5.0, "defends": ["naha", "kadena"],
         "fire_units_at": {"kadena": 1, "naha": 2}, "track_capacity": 12,
         "engage": {"DF-21": {"sspk": 0.8, "window_s": [0.0, 60.0]}}},
        {"name": "sm3", "fire_units": 2, "channels_per_unit": 4, "interceptors_per_unit": 8,
         "shots_per_engagement": 2, "flyout_s": 5.0, "engage_open": True,
         "engage": {"DF-21": {"sspk": 0.8, "window_s": [0.0, 60.0]}}},
        {"name": "thaad", "fire_units": 1, "channels_per_unit": 4, "interceptors_per_unit": 8,
         "shots_per_engagement": 2, "flyout_s": 5.0, "defends": ["yokota", "naha"],
         "engage": {"DF-21": {"sspk": 0.8, "window_s": [0.0, 60.0]}}},
    ],
}

#: The same without [[assets]] or any new key.
PLAIN = {
    "name": "plain",
    "threats": [{"name": "BM", "count": 10, "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
    "layers": [{"name": "upper", "fire_units": 2, "channels_per_unit": 4,
                "interceptors_per_unit": 8, "shots_per_engagement": 2, "flyout_s": 5.0,
                "engage": {"BM": {"sspk": 0.8, "window_s": [0.0, 60.0]}}}],
}


def base(**changes) -> dict:
    d = copy.deepcopy(BASE)
    for where, value in changes.items():
        d[where] = value
    return d


def load(d: dict) -> Scenario:
    return Scenario.from_dict(d, source=SRC)


def error(d: dict) -> str:
    with pytest.raises(ScenarioError) as exc:
        load(d)
    text = str(exc.value)
    assert "\n" not in text
    return text


# --- reading and writing -------------------------------------------------------------

def test_round_trip_and_model_dict():
    s = load(BASE)
    assert Scenario.from_dict(s.to_dict(), source="again") == s
    assert s.to_dict()["assets"][0] == {"name": "naha", "label": "Naha air base",
                                        "label_ja": "那覇基地", "value": 3.0}
    m = s.model_dict()
    assert m["assets"] == [{"name": "naha", "value": 3.0}, {"name": "kadena", "value": 1.0},
                           {"name": "yokota", "value": 0.5}]
    assert m["threats"][0]["targets"] == {"naha": 0.5, "kadena": 0.3, "open": 0.2}
    assert m["layers"][0]["fire_units_at"] == {"kadena": 1, "naha": 2}
    # Labels change no number; every new model field changes the fingerprint.
    relabelled = copy.deepcopy(BASE)
    relabelled["assets"][0]["label"] = "Naha"
    assert load(relabelled).fingerprint() == s.fingerprint()
    for path, value in ((("assets", 1, "value"), 2.0),
                        (("threats", 0, "allocation"), "split"),
                        (("layers", 0, "track_capacity"), 11),
                        (("layers", 1, "engage_open"), False),
                        (("layers", 2, "defends"), ["yokota"])):
        d = copy.deepcopy(BASE)
        d[path[0]][path[1]][path[2]] = value
        assert load(d).fingerprint() != s.fingerprint(), path


def test_defaults_without_assets():
    s = load(PLAIN)
    assert not s.has_assets and not s.uses_sites_or_tracks
    assert s.target_names == ("", "open")
    assert s.group_shares(s.threats[0]) == (1.0, 0.0)
    assert s.layer_sites(s.layers[0]) == [((0,), 2)]
    assert "assets" not in s.to_dict()
    t = s.threats[0]
    assert t.targets is None and t.allocation == "split"
    lay = s.layers[0]
    assert (lay.defends, lay.fire_units_at, lay.engage_open, lay.track_capacity) == (
        None, None, False, None)
    d = copy.deepcopy(PLAIN)
    d["layers"][0]["track_capacity"] = 3
    assert load(d).uses_sites_or_tracks


def test_derived_with_assets():
    s = load(BASE)
    assert s.has_assets and s.uses_sites_or_tracks
    assert s.target_names == ("naha", "kadena", "yokota", "open")
    assert s.group_shares(s.threats[0]) == (0.5, 0.3, 0.0, 0.2)
    assert s.group_shares(s.threats[1]) == (1 / 3, 1 / 3, 1 / 3, 0.0)  # unset: equal shares
    pac3, sm3, thaad = s.layers
    assert s.layer_sites(pac3) == [((0,), 2), ((1,), 1)]  # declaration order, not the file's
    assert s.layer_sites(sm3) == [((0, 1, 2, 3), 2)]  # area, with open ground
    assert s.layer_sites(thaad) == [((0, 2), 1)]  # defends without fire_units_at
    d = base()
    d["layers"][1]["engage_open"] = False
    assert load(d).layer_sites(load(d).layers[1]) == [((0, 1, 2), 2)]


def test_summary_and_warnings():
    s = load(BASE)
    text = s.summary()
    assert "naha             value 3 (Naha air base)" in text
    assert "point defence: 2 at naha, 1 at kadena; tracks at most 12 threats" in text
    assert "area defence of every asset and open ground" in text
    assert "point defence of yokota, naha" in text
    assets = [w for w in s.warnings() if w.startswith("assets.")]
    assert assets == []
    d = base()
    d["layers"] = [d["layers"][0]]
    assert [w for w in load(d).warnings() if w.startswith("assets.")] == [
        "assets.yokota: no layer defends this asset, so leakers there are unopposed"]


def test_an_asset_listed_in_defends_without_fire_units_is_warned():
    """A point layer that lists an asset in defends but gives it no fire units in
    fire_units_at (no entry, or 0) has no site there: its leakers are unopposed."""
    layer = {"name": "pac3", "fire_units": 2, "channels_per_unit": 4,
             "interceptors_per_unit": 8, "shots_per_engagement": 1, "flyout_s": 10.0,
             "defends": ["naha", "kadena"],
             "engage": {"BM": {"sspk": 0.5, "window_s": [0.0, 10.0]}}}
    d = {"name": "w", "assets": [{"name": "naha"}, {"name": "kadena"}],
         "threats": [{"name": "BM", "count": 4,
                      "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
         "layers": [layer]}
    warned = lambda: [w for w in load(d).warnings() if w.startswith("assets.")]  # noqa: E731
    assert warned() == []  # one site covering both
    layer["fire_units_at"] = {"naha": 1, "kadena": 1}
    assert warned() == []
    for at in ({"naha": 2}, {"naha": 2, "kadena": 0}):
        layer["fire_units_at"] = at
        assert warned() == [
            "assets.kadena: no layer defends this asset, so leakers there are unopposed"]
    # The engine agrees: nothing is engaged at kadena.
    layer["fire_units_at"] = {"naha": 2}
    d["threats"][0]["targets"] = {"kadena": 1.0}
    assert simulate(load(d), trials=50, seed=1).leakers_mean == 4.0


# --- errors ----------------------------------------------------------------------------

def _set(d: dict, path: tuple, value) -> dict:
    node = d
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return d


@pytest.mark.parametrize("path, value, message", [
    (("threats", 0, "targets"), {"naha": 0.5, "kadena": 0.3, "open": 0.1},
     "x.toml: threats[0].targets = { naha = 0.5, kadena = 0.3, open = 0.1 }: expected "
     "shares summing to 1 (they sum to 0.9)"),
    (("threats", 0, "targets"), {"nah": 0.5, "open": 0.5},
     "x.toml: threats[0].targets.nah = \"nah\": expected the name of a declared asset or "
     "'open' (naha, kadena, yokota, open); did you mean 'naha'?"),
    (("threats", 0, "targets"), {"naha": 1.5, "open": -0.5},
     "x.toml: threats[0].targets.naha = 1.5: expected a share in [0, 1]"),
    (("threats", 0, "allocation"), "randm",
     "x.toml: threats[0].allocation = \"randm\": expected 'split' or 'random' "
     "(did you mean 'random'?)"),
    (("assets", 1, "name"), "open",
     "x.toml: assets[1].name = \"open\": expected a name other than 'open' "
     "(reserved for open ground)"),
    (("assets", 1, "name"), "naha",
     "x.toml: assets[1].name = \"naha\": expected a unique name (assets[0] is also called "
     "'naha')"),
    (("assets", 0, "value"), -1.0, "x.toml: assets[0].value = -1.0: expected a number >= 0"),
    (("layers", 2, "defends"), ["yokota", "kadna"],
     "x.toml: layers[2].defends[1] = \"kadna\": expected the name of a declared asset "
     "(naha, kadena, yokota); did you mean 'kadena'?"),
    (("layers", 2, "defends"), ["naha", "naha"],
     "x.toml: layers[2].defends[1] = \"naha\": expected distinct names ('naha' is listed "
     "twice)"),
    (("layers", 2, "defends"), [],
     "x.toml: layers[2].defends = []: expected a non-empty array of names"),
    (("layers", 0, "fire_units_at"), {"naha": 2, "kadena": 2},
     "x.toml: layers[0].fire_units_at = { naha = 2, kadena = 2 }: expected whole numbers "
     "summing to fire_units = 3 (they sum to 4)"),
    (("layers", 0, "fire_units_at"), {"naha": 2, "yokota": 1},
     "x.toml: layers[0].fire_units_at.yokota = \"yokota\": expected an asset this layer "
     "defends (naha, kadena)"),
    (("layers", 1, "fire_units_at"), {"naha": 2},
     "x.toml: layers[1].fire_units_at = { naha = 2 }: expected fire_units_at only with "
     "defends (the assets it names must be defended by this layer)"),
    (("layers", 0, "fire_units_at"), {"naha": 2.5, "kadena": 0.5},
     "x.toml: layers[0].fire_units_at.naha = 2.5: expected a whole number"),
    (("layers", 0, "engage_open"), True,
     "x.toml: layers[0].engage_open = true: expected false on a layer with defends (only "
     "area layers, without defends, can engage threats aimed at open ground)"),
    (("layers", 1, "engage_open"), "yes",
     "x.toml: layers[1].engage_open = \"yes\": expected true or false"),
    (("layers", 0, "track_capacity"), 0,
     "x.toml: layers[0].track_capacity = 0: expected a whole number >= 1"),
])
def test_one_line_errors(path, value, message):
    assert error(_set(base(), path, value)) == message


def test_keys_need_assets():
    d = copy.deepcopy(PLAIN)
    d["threats"][0]["targets"] = {"naha": 1.0}
    assert error(d) == ("x.toml: threats[0].targets = { naha = 1.0 }: expected the name of a "
                        "declared asset or 'open': declare [[assets]] first")
    d = copy.deepcopy(PLAIN)
    d["layers"][0]["defends"] = ["naha"]
    assert error(d) == ("x.toml: layers[0].defends = [\"naha\"]: expected the name of a "
                        "declared asset: declare [[assets]] first")


def test_check_exits_2_on_bad_shares(tmp_path, capsys):
    text = """
name = "bad shares"
[[assets]]
name = "naha"
[[threats]]
name = "BM"
count = 4
launch = { pattern = "simultaneous", at_s = 0.0 }
targets = { naha = 0.5, open = 0.4 }
[[layers]]
name = "pac3"
fire_units = 1
channels_per_unit = 4
interceptors_per_unit = 8
shots_per_engagement = 1
flyout_s = 5.0
engage.BM = { sspk = 0.8, window_s = [0.0, 60.0] }
"""
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("threats[0].targets = { naha = 0.5, open = 0.4 }: expected shares "
                        "summing to 1 (they sum to 0.9)")
    assert "\n" not in err


# --- sweep keys ------------------------------------------------------------------------

def test_keys_listing():
    s = load(BASE)
    text = "\n".join(describe_keys(s))
    for key in ("threats.DF-21.targets.naha", "threats.DF-21.targets.kadena",
                "threats.DF-21.targets.open", "layers.pac3.track_capacity",
                "layers.sm3.track_capacity", "assets.naha.value", "assets.yokota.value"):
        assert f"  {key} " in text, key
    # Only listed shares are keys; fire_units_at follows fire_units and is not a key.
    assert "threats.DF-21.targets.yokota" not in text and "CJ-10.targets" not in text
    assert "fire_units_at" not in text


def test_setting_a_share_rescales_the_others():
    s = load(BASE).with_values({"threats.DF-21.targets.naha": 0.8})
    t = s.threats[0].targets
    assert t["naha"] == 0.8
    assert t["kadena"] == pytest.approx(0.12, abs=1e-15)
    assert t["open"] == pytest.approx(0.08, abs=1e-15)
    # Others all zero: the remainder is split equally among them.
    d = base()
    d["threats"][0]["targets"] = {"naha": 1.0, "kadena": 0.0, "open": 0.0}
    t = load(d).with_values({"threats.DF-21.targets.naha": 0.4}).threats[0].targets
    assert t == {"naha": 0.4, "kadena": pytest.approx(0.3), "open": pytest.approx(0.3)}


def test_a_lone_share_must_stay_1():
    d = base()
    d["threats"][0]["targets"] = {"naha": 1.0}
    s = load(d)
    assert s.with_values({"threats.DF-21.targets.naha": 1.0}) == s
    with pytest.raises(ScenarioError) as exc:
        s.with_values({"threats.DF-21.targets.naha": 0.5})
    assert str(exc.value) == (
        "x.toml: threats.DF-21.targets.naha = 0.5: expected 1 (the group's only listed "
        "target takes every missile; list other targets to change its share)")
    with pytest.raises(ScenarioError, match="expected a share in"):
        load(BASE).with_values({"threats.DF-21.targets.naha": 1.2})


def test_fire_units_reapportion_the_sites():
    s = load(BASE)
    # 2 at naha, 1 at kadena: 7 units -> 14/3, 7/3 -> 4, 2 and one left over, to the
    # larger remainder (naha's 2/3 > kadena's 1/3).
    t = s.with_values({"layers.pac3.fire_units": 7})
    assert t.layers[0].fire_units == 7 and t.layers[0].fire_units_at == {"naha": 5, "kadena": 2}
    # Ties go to the asset declared first (naha), whatever the file's order.
    d = base()
    d["layers"][0]["fire_units"] = 2
    d["layers"][0]["fire_units_at"] = {"kadena": 1, "naha": 1}
    t = load(d).with_values({"layers.pac3.fire_units": 3})
    assert t.layers[0].fire_units_at == {"naha": 2, "kadena": 1}
    assert t.layer_sites(t.layers[0]) == [((0,), 2), ((1,), 1)]
    # A layer without sites takes the number as it is.
    assert s.with_values({"layers.sm3.fire_units": 5}).layers[1].fire_units == 5


def test_track_capacity_and_value_keys():
    s = load(BASE).with_values({"layers.sm3.track_capacity": 4, "assets.naha.value": 2.5})
    assert s.layers[1].track_capacity == 4 and s.assets[0].value == 2.5
    with pytest.raises(ScenarioError, match="whole number"):
        load(BASE).with_values({"layers.sm3.track_capacity": 2.5})


def test_uncertainty_on_a_share():
    d = base()
    d["uncertainty"] = {"threats.DF-21.targets.naha": {"dist": "uniform", "low": 0.2,
                                                       "high": 0.8}}
    s = load(d)
    assert Scenario.from_dict(s.to_dict(), source=SRC) == s
    inputs = resolve_inputs(s)
    sample = sample_scenario(s, inputs, [0.8])
    t = sample.threats[0].targets
    assert t["naha"] == 0.8 and t["kadena"] == pytest.approx(0.12) and t["open"] == (
        pytest.approx(0.08))
    # A share's range lies in [0, 1], like a probability's.
    d["uncertainty"] = {"threats.DF-21.targets.naha": {"dist": "uniform", "low": 0.2,
                                                       "high": 1.2}}
    with pytest.raises(ScenarioError, match=r"uncertainty\.threats\.DF-21\.targets\.naha"):
        load(d)


def test_sweep_vary_a_share():
    s = load(BASE)
    axes = build_axes(s, ["threats.DF-21.targets.naha=0.2,0.8", "layers.pac3.fire_units=3,4"])
    points = build_points(s, axes)
    got = {(p.scenario.threats[0].targets["naha"], p.scenario.layers[0].fire_units):
           (p.scenario.threats[0].targets["kadena"], p.scenario.layers[0].fire_units_at)
           for p in points}
    assert set(got) == {(0.2, 3), (0.2, 4), (0.8, 3), (0.8, 4)}
    assert got[(0.2, 4)][0] == pytest.approx(0.3 * 0.8 / 0.5)
    assert got[(0.8, 4)][1] == {"naha": 3, "kadena": 1}


def test_new_fields_at_their_defaults_keep_old_fingerprints():
    """allocation and engage_open are left out of to_dict at their defaults, so a
    file written before [[assets]] existed keeps its fingerprint (its sweep
    directories stay resumable); set, they are written and change it."""
    from conftest import CONFIGS
    from saturation_sim import load_scenario

    s = load_scenario(CONFIGS / "reference_3x.toml")
    d = s.model_dict()
    assert "allocation" not in d["threats"][0] and "engage_open" not in d["layers"][0]
    moved = s.to_dict()
    moved["layers"][0]["engage_open"] = True
    assert Scenario.from_dict(moved).fingerprint() != s.fingerprint()
    assert Scenario.from_dict(s.to_dict()) == s


def test_shares_of_one_group_set_together_are_kept_in_any_order():
    """Two shares of one group at one point are kept as given, whatever the order of
    the keys; the group's other listed shares fill the rest in proportion; set together
    past 1 they are refused in one line naming both keys."""
    from conftest import CONFIGS
    from saturation_sim import load_scenario

    s = load_scenario(CONFIGS / "japan_illustrative.toml")
    a = s.with_values({"threats.DF26.targets.okinawa": 0.5, "threats.DF26.targets.open": 0.2})
    b = s.with_values({"threats.DF26.targets.open": 0.2, "threats.DF26.targets.okinawa": 0.5})
    assert a == b
    t = a.threats[0].targets
    assert t["okinawa"] == 0.5 and t["open"] == 0.2
    # tokyo 0.2, kyushu 0.15, iwakuni 0.15, central 0.1, north 0.05 (sum 0.65) fill 0.3
    assert t["tokyo"] == pytest.approx(0.2 * 0.3 / 0.65)
    assert sum(t.values()) == pytest.approx(1.0)
    with pytest.raises(ScenarioError, match=r"threats.DF26.targets.okinawa \+ "
                       r"threats.DF26.targets.open = 1.2: expected shares of one group set "
                       r"together summing to at most 1"):
        s.with_values({"threats.DF26.targets.okinawa": 0.9, "threats.DF26.targets.open": 0.3})
