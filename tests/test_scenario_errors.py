"""Bad scenario input gets one clear ScenarioError; good input round-trips; defaults apply.

interface.md: bad input gets one message that names the file, the key path (e.g.
``layers[1].engage.HGV.sspk``), the value and what was expected; from the API it
is a ``ScenarioError``, a subclass of ``ValueError``. Each bad file below is the
valid ``BASE`` file with one edit, written into pytest's ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import saturation_sim
from saturation_sim import Scenario, ScenarioError, load_scenario
from saturation_sim.scenario import MAX_MISSILES
from saturation_sim.scenario.fields import MAX_ARRAY

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_FILES = sorted((ROOT / "configs").glob("*.toml")) + sorted(
    (ROOT / "tests" / "configs").glob("*.toml"))

#: A valid scenario that uses every key of interface.md. Lines that the cases
#: below edit are unique in the text.
BASE = """\
name = "bad-input base"
description = "valid; each case edits one thing"

[simulation]
trials = 1000
seed = 7

[counterstrike]
prelaunch_kill = 0.1

[[threats]]
name = "HGV"
count = 48
kind = "warhead"
launch = { pattern = "uniform", start_s = 0.0, span_s = 60.0 }
cost = 10.0
prelaunch_kill = 0.2

[[threats]]
name = "Decoy"
count = 8
kind = "decoy"
launch = { pattern = "waves", at_s = [0.0, 30.0], count = [4, 4] }

[[threats]]
name = "CM"
count = 6
launch = { pattern = "simultaneous", at_s = 5.0 }

[[layers]]
name = "upper"
fire_units = 1
channels_per_unit = 16
interceptors_per_unit = 64
shots_per_engagement = 2
max_engagements = 1
flyout_s = 20.0
reliability = 0.95
detection = 0.9
discrimination = 0.5
availability = 0.8
interceptor_cost = 4.0
engage.HGV = { sspk = 0.7, window_s = [0.0, 20.0] }
engage.Decoy = { sspk = 0.6, window_s = [0.0, 25.0] }

[[layers]]
name = "lower"
fire_units = 2
channels_per_unit = 8
interceptors_per_unit = 32
shots_per_engagement = 1
max_engagements = 2
flyout_s = 10.0
engage.HGV = { sspk = 0.8, window_s = [30.0, 60.0] }
engage.CM = { sspk = 0.9, window_s = [5.0, 45.0] }
"""


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` (the test's edit must be unambiguous)."""
    assert text.count(old) == 1, f"test bug: {old!r} occurs {text.count(old)} times in BASE"
    return text.replace(old, new)


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load_error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def assert_message(err: ScenarioError, source: str, path: str, parts: tuple[str, ...]) -> None:
    """One line naming the file, the key path, and every expected part (value, expectation)."""
    msg = str(err)
    assert isinstance(err, ValueError)
    assert "\n" not in msg, f"message is not one line: {msg!r}"
    assert "Traceback" not in msg
    assert source in msg, f"message does not name the file {source!r}: {msg!r}"
    assert path in msg, f"message does not name the key path {path!r}: {msg!r}"
    assert err.path == path, f"err.path is {err.path!r}, expected {path!r} ({msg!r})"
    rest = msg.replace(source, "<file>")  # tmp_path names hold words like "missing"
    for part in parts:
        assert part in rest, f"message lacks {part!r}: {msg!r}"


def test_base_is_valid(tmp_path):
    s = load_scenario(write(tmp_path, BASE, "good.toml"))
    assert [t.name for t in s.threats] == ["HGV", "Decoy", "CM"]
    assert [lay.name for lay in s.layers] == ["upper", "lower"]


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)
    assert saturation_sim.ScenarioError is ScenarioError


# --- bad inputs: (old text, new text, key path, parts the message must contain) --------

UNKNOWN_KEYS = [
    pytest.param('description = "valid', 'descripton = "valid', "descripton",
                 ("did you mean 'description'",), id="top-level"),
    pytest.param("[counterstrike]", "[counter_strike]", "counter_strike",
                 ("did you mean 'counterstrike'",), id="top-level-table"),
    pytest.param('name = "bad-input base"', 'name = "bad-input base"\nfoo = 1', "foo",
                 ("not a scenario key", "name", "layers"), id="top-level-no-close-match"),
    pytest.param("trials = 1000", "trails = 1000", "simulation.trails",
                 ("did you mean 'trials'",), id="simulation"),
    pytest.param("prelaunch_kill = 0.1", "prelaunch_kil = 0.1", "counterstrike.prelaunch_kil",
                 ("did you mean 'prelaunch_kill'",), id="counterstrike"),
    pytest.param("count = 48", "cont = 48", "threats[0].cont",
                 ("did you mean 'count'",), id="threats"),
    pytest.param("span_s = 60.0", "span = 60.0", "threats[0].launch.span",
                 ("did you mean 'span_s'",), id="launch-uniform"),
    pytest.param("at_s = [0.0, 30.0]", "at = [0.0, 30.0]", "threats[1].launch.at",
                 ("did you mean 'at_s'",), id="launch-waves"),
    pytest.param("at_s = 5.0", "at_sec = 5.0", "threats[2].launch.at_sec",
                 ("did you mean 'at_s'",), id="launch-simultaneous"),
    pytest.param("fire_units = 1", "fire_unit = 1", "layers[0].fire_unit",
                 ("did you mean 'fire_units'",), id="layers"),
    pytest.param("max_engagements = 2", "max_engagement = 2", "layers[1].max_engagement",
                 ("did you mean 'max_engagements'",), id="layers-second"),
    pytest.param("engage.HGV = { sspk = 0.7,", "engage.HGV = { sspkk = 0.7,",
                 "layers[0].engage.HGV.sspkk", ("did you mean 'sspk'",), id="engage-entry"),
    pytest.param("window_s = [30.0, 60.0]", "window = [30.0, 60.0]",
                 "layers[1].engage.HGV.window", ("did you mean 'window_s'",),
                 id="engage-entry-second-layer"),
]

WRONG_TYPES = [
    pytest.param("sspk = 0.7", 'sspk = "0.7"', "layers[0].engage.HGV.sspk",
                 ('"0.7"', "a number"), id="string-for-probability"),
    pytest.param("flyout_s = 20.0", 'flyout_s = "20 s"', "layers[0].flyout_s",
                 ('"20 s"', "a number"), id="string-for-time"),
    pytest.param("count = 48", 'count = "48"', "threats[0].count",
                 ('"48"', "whole number"), id="string-for-count"),
    pytest.param("fire_units = 1", "fire_units = true", "layers[0].fire_units",
                 ("true", "whole number"), id="bool-for-int"),
    pytest.param("flyout_s = 10.0", "flyout_s = true", "layers[1].flyout_s",
                 ("true", "a number"), id="bool-for-float"),
    pytest.param("count = 48", "count = 2.5", "threats[0].count",
                 ("2.5", "whole number"), id="float-count"),
    pytest.param("channels_per_unit = 16", "channels_per_unit = 2.5",
                 "layers[0].channels_per_unit", ("2.5", "whole number"), id="float-channels"),
    pytest.param("count = [4, 4]", "count = [4.5, 3.5]", "threats[1].launch.count[0]",
                 ("4.5", "whole number"), id="float-wave-count"),
    pytest.param("trials = 1000", "trials = 1000.5", "simulation.trials",
                 ("1000.5", "whole number"), id="float-trials"),
    pytest.param('name = "HGV"', "name = 5", "threats[0].name", ("5", "a string"),
                 id="int-for-name"),
    pytest.param('kind = "decoy"', 'kind = "decoys"', "threats[1].kind",
                 ('"decoys"', "'warhead' or 'decoy'"), id="bad-kind"),
    pytest.param('pattern = "uniform"', 'pattern = "unifrom"', "threats[0].launch.pattern",
                 ('"unifrom"', "did you mean 'uniform'"), id="bad-pattern"),
    pytest.param('launch = { pattern = "simultaneous", at_s = 5.0 }', 'launch = "now"',
                 "threats[2].launch", ('"now"', "a table"), id="launch-not-a-table"),
    pytest.param("window_s = [0.0, 20.0]", "window_s = [0.0]",
                 "layers[0].engage.HGV.window_s", ("[0.0]", "a pair"), id="window-not-a-pair"),
    pytest.param("window_s = [0.0, 20.0]", 'window_s = [0.0, "20"]',
                 "layers[0].engage.HGV.window_s[1]", ('"20"', "a number"),
                 id="window-string"),
    pytest.param("engage.HGV = { sspk = 0.7, window_s = [0.0, 20.0] }", "engage.HGV = 0.7",
                 "layers[0].engage.HGV", ("0.7", "a table"), id="engage-entry-not-a-table"),
    pytest.param("[simulation]\ntrials = 1000\nseed = 7", "simulation = 5", "simulation",
                 ("5", "a table"), id="simulation-not-a-table"),
    pytest.param("trials = 1000", "trials = 0", "simulation.trials", ("0", ">= 1"),
                 id="zero-trials"),
    pytest.param("seed = 7", "seed = -1", "simulation.seed", ("-1", ">= 0"),
                 id="negative-seed"),
    pytest.param('description = "valid; each case edits one thing"', "description = 3",
                 "description", ("3", "a string"), id="int-for-description"),
]

PROBABILITIES = [
    pytest.param("sspk = 0.7", "sspk = 1.5", "layers[0].engage.HGV.sspk",
                 ("1.5", "[0, 1]"), id="sspk>1"),
    pytest.param("sspk = 0.8", "sspk = -0.2", "layers[1].engage.HGV.sspk",
                 ("-0.2", "[0, 1]"), id="sspk<0"),
    pytest.param("reliability = 0.95", "reliability = 1.01", "layers[0].reliability",
                 ("1.01", "[0, 1]"), id="reliability"),
    pytest.param("detection = 0.9", "detection = -0.1", "layers[0].detection",
                 ("-0.1", "[0, 1]"), id="detection"),
    pytest.param("discrimination = 0.5", "discrimination = 2", "layers[0].discrimination",
                 ("2", "[0, 1]"), id="discrimination"),
    pytest.param("availability = 0.8", "availability = 80", "layers[0].availability",
                 ("80", "[0, 1]"), id="availability"),
    pytest.param("prelaunch_kill = 0.1", "prelaunch_kill = 1.2", "counterstrike.prelaunch_kill",
                 ("1.2", "[0, 1]"), id="counterstrike"),
    pytest.param("prelaunch_kill = 0.2", "prelaunch_kill = -0.5", "threats[0].prelaunch_kill",
                 ("-0.5", "[0, 1]"), id="group-prelaunch-kill"),
]

NON_FINITE = [
    pytest.param("sspk = 0.7", "sspk = nan", "layers[0].engage.HGV.sspk",
                 ("nan", "finite"), id="sspk-nan"),
    pytest.param("detection = 0.9", "detection = nan", "layers[0].detection",
                 ("nan", "finite"), id="detection-nan"),
    pytest.param("flyout_s = 20.0", "flyout_s = inf", "layers[0].flyout_s",
                 ("inf", "finite"), id="flyout-inf"),
    pytest.param("window_s = [0.0, 20.0]", "window_s = [0.0, inf]",
                 "layers[0].engage.HGV.window_s[1]", ("inf", "finite"), id="window-inf"),
    pytest.param("window_s = [30.0, 60.0]", "window_s = [-inf, 60.0]",
                 "layers[1].engage.HGV.window_s[0]", ("-inf", "finite"), id="window-minus-inf"),
    pytest.param("span_s = 60.0", "span_s = nan", "threats[0].launch.span_s",
                 ("nan", "finite"), id="span-nan"),
    pytest.param("start_s = 0.0", "start_s = -inf", "threats[0].launch.start_s",
                 ("-inf", "finite"), id="start-minus-inf"),
    pytest.param("at_s = 5.0", "at_s = nan", "threats[2].launch.at_s",
                 ("nan", "finite"), id="simultaneous-at-nan"),
    pytest.param("at_s = [0.0, 30.0]", "at_s = [0.0, inf]", "threats[1].launch.at_s[1]",
                 ("inf", "finite"), id="wave-time-inf"),
    pytest.param("cost = 10.0", "cost = nan", "threats[0].cost", ("nan", "finite"),
                 id="cost-nan"),
    pytest.param("interceptor_cost = 4.0", "interceptor_cost = inf",
                 "layers[0].interceptor_cost", ("inf", "finite"), id="interceptor-cost-inf"),
    pytest.param("prelaunch_kill = 0.1", "prelaunch_kill = nan", "counterstrike.prelaunch_kill",
                 ("nan", "finite"), id="prelaunch-nan"),
    pytest.param("count = 48", "count = nan", "threats[0].count", ("nan", "whole number"),
                 id="count-nan"),
    pytest.param("fire_units = 2", "fire_units = inf", "layers[1].fire_units",
                 ("inf", "whole number"), id="fire-units-inf"),
]

NEGATIVE_OR_ZERO = [
    pytest.param("count = 48", "count = -5", "threats[0].count", ("-5", ">= 0"),
                 id="count"),
    pytest.param("count = [4, 4]", "count = [-4, 12]", "threats[1].launch.count[0]",
                 ("-4", ">= 0"), id="wave-count"),
    pytest.param("fire_units = 1", "fire_units = -1", "layers[0].fire_units", ("-1", ">= 0"),
                 id="fire-units"),
    pytest.param("channels_per_unit = 8", "channels_per_unit = -2",
                 "layers[1].channels_per_unit", ("-2", ">= 0"), id="channels"),
    pytest.param("interceptors_per_unit = 64", "interceptors_per_unit = -64",
                 "layers[0].interceptors_per_unit", ("-64", ">= 0"), id="interceptors"),
    pytest.param("shots_per_engagement = 2", "shots_per_engagement = 0",
                 "layers[0].shots_per_engagement", ("0", ">= 1"), id="shots-zero"),
    pytest.param("max_engagements = 2", "max_engagements = 0", "layers[1].max_engagements",
                 ("0", ">= 1"), id="max-engagements-zero"),
    pytest.param("flyout_s = 20.0", "flyout_s = 0.0", "layers[0].flyout_s", ("0.0", ">= 0.001"),
                 id="flyout-zero"),
    pytest.param("flyout_s = 10.0", "flyout_s = -10.0", "layers[1].flyout_s",
                 ("-10.0", ">= 0.001"), id="flyout-negative"),
    pytest.param("span_s = 60.0", "span_s = -60.0", "threats[0].launch.span_s",
                 ("-60.0", ">= 0"), id="span-negative"),
    pytest.param("cost = 10.0", "cost = -1.0", "threats[0].cost", ("-1.0", ">= 0"),
                 id="cost-negative"),
    pytest.param("interceptor_cost = 4.0", "interceptor_cost = -4.0",
                 "layers[0].interceptor_cost", ("-4.0", ">= 0"), id="interceptor-cost-negative"),
]

WINDOWS = [
    pytest.param("window_s = [0.0, 20.0]", "window_s = [20.0, 20.0]",
                 "layers[0].engage.HGV.window_s", ("[20.0, 20.0]", "b > a"), id="b==a"),
    pytest.param("window_s = [30.0, 60.0]", "window_s = [60.0, 30.0]",
                 "layers[1].engage.HGV.window_s", ("[60.0, 30.0]", "b > a"), id="b<a"),
]

NAMES = [
    pytest.param("engage.HGV = { sspk = 0.8", "engage.HGB = { sspk = 0.8", "layers[1].engage.HGB",
                 ('"HGB"', "threat group", "did you mean 'HGV'"), id="engage-unknown-threat"),
    # Too short for a close match: the message lists the threat groups instead.
    pytest.param("engage.CM = {", "engage.CN = {", "layers[1].engage.CN",
                 ('"CN"', "threat group", "HGV, Decoy, CM"), id="engage-unknown-threat-short"),
    pytest.param("engage.Decoy = {", "engage.decoy = {", "layers[0].engage.decoy",
                 ('"decoy"', "threat group", "did you mean 'Decoy'"), id="engage-wrong-case"),
    pytest.param('name = "CM"', 'name = "HGV"', "threats[2].name",
                 ("'HGV'", "unique", "threats[0]"), id="duplicate-threat"),
    pytest.param('name = "lower"', 'name = "upper"', "layers[1].name",
                 ("'upper'", "unique", "layers[0]"), id="duplicate-layer"),
    pytest.param('name = "upper"', 'name = ""', "layers[0].name", ('""', "non-empty"),
                 id="empty-layer-name"),
]

WAVES = [
    pytest.param("count = [4, 4]", "count = [4, 3]", "threats[1].launch.count",
                 ("[4, 3]", "summing to", "8", "sum to 7"), id="sum-short"),
    pytest.param("count = [4, 4]", "count = [5, 4]", "threats[1].launch.count",
                 ("[5, 4]", "summing to", "8", "sum to 9"), id="sum-over"),
    pytest.param("count = [4, 4]", "count = [4, 2, 2]", "threats[1].launch.count",
                 ("[4, 2, 2]", "2 whole numbers"), id="length-mismatch"),
    pytest.param("at_s = [0.0, 30.0], count = [4, 4]", "at_s = [], count = []",
                 "threats[1].launch.at_s", ("[]", "non-empty"), id="no-waves"),
]

MISSING = [
    pytest.param('name = "bad-input base"\n', "", "name", id="top-name"),
    pytest.param("count = 48\n", "", "threats[0].count", id="count"),
    pytest.param('launch = { pattern = "simultaneous", at_s = 5.0 }\n', "",
                 "threats[2].launch", id="launch"),
    pytest.param('launch = { pattern = "simultaneous", at_s = 5.0 }',
                 "launch = { at_s = 5.0 }", "threats[2].launch.pattern", id="launch-pattern"),
    pytest.param(", at_s = 5.0 }", " }", "threats[2].launch.at_s", id="simultaneous-at_s"),
    pytest.param(", span_s = 60.0 }", " }", "threats[0].launch.span_s", id="uniform-span_s"),
    pytest.param(", count = [4, 4] }", " }", "threats[1].launch.count", id="waves-count"),
    pytest.param('name = "HGV"\n', "", "threats[0].name", id="threat-name"),
    pytest.param('name = "upper"\n', "", "layers[0].name", id="layer-name"),
    pytest.param("fire_units = 2\n", "", "layers[1].fire_units", id="fire_units"),
    pytest.param("channels_per_unit = 16\n", "", "layers[0].channels_per_unit",
                 id="channels_per_unit"),
    pytest.param("interceptors_per_unit = 32\n", "", "layers[1].interceptors_per_unit",
                 id="interceptors_per_unit"),
    pytest.param("shots_per_engagement = 2\n", "", "layers[0].shots_per_engagement",
                 id="shots_per_engagement"),
    pytest.param("flyout_s = 20.0\n", "", "layers[0].flyout_s", id="flyout_s"),
    pytest.param("sspk = 0.9, ", "", "layers[1].engage.CM.sspk", id="sspk"),
    pytest.param(", window_s = [0.0, 25.0]", "", "layers[0].engage.Decoy.window_s",
                 id="window_s"),
]


@pytest.mark.parametrize("old, new, path, parts",
                         UNKNOWN_KEYS + WRONG_TYPES + PROBABILITIES + NON_FINITE
                         + NEGATIVE_OR_ZERO + WINDOWS + NAMES + WAVES)
def test_bad_value_is_named(tmp_path, old, new, path, parts):
    p = write(tmp_path, edit(BASE, old, new))
    err = load_error(p)
    assert_message(err, str(p), path, ("expected",) + parts)


@pytest.mark.parametrize("old, new, path", MISSING)
def test_missing_required_key_is_named(tmp_path, old, new, path):
    p = write(tmp_path, edit(BASE, old, new))
    err = load_error(p)
    assert_message(err, str(p), path, ("missing", "expected"))


def test_missing_threats_and_layers(tmp_path):
    head = BASE.split("[[threats]]")[0]
    p = write(tmp_path, head)
    assert_message(load_error(p), str(p), "threats", ("missing",))
    p = write(tmp_path, BASE.split("[[layers]]")[0], "no_layers.toml")
    assert_message(load_error(p), str(p), "layers", ("missing",))


@pytest.mark.parametrize("data, path, parts", [
    pytest.param({"threats": 5}, "threats", ("5", "array of tables"), id="threats-not-array"),
    pytest.param({"threats": []}, "threats", ("[]", "non-empty"), id="threats-empty"),
    pytest.param({"layers": {"name": "x"}}, "layers", ("array of tables",),
                 id="layers-not-array"),
    pytest.param({"layers": []}, "layers", ("[]", "non-empty"), id="layers-empty"),
])
def test_bad_arrays_from_dict(tmp_path, data, path, parts):
    d = load_scenario(write(tmp_path, BASE)).to_dict()
    d.update(data)
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(d, source="api-input")
    assert_message(info.value, "api-input", path, parts)


@pytest.mark.parametrize("key", ["at_s", "count"])
def test_arrays_longer_than_max_array_are_refused(tmp_path, key):
    """Launch times and wave counts alike hold at most MAX_ARRAY entries."""
    d = load_scenario(write(tmp_path, BASE)).to_dict()
    d["threats"][1]["launch"][key] = [0] * (MAX_ARRAY + 1)
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(d, source="api-input")
    assert_message(info.value, "api-input", f"threats[1].launch.{key}",
                   (str(MAX_ARRAY + 1), f"at most {MAX_ARRAY:,} entries"))


@pytest.mark.parametrize("bad", [
    pytest.param('count = 48 48', id="two-values"),
    pytest.param('launch = { pattern = "uniform", start_s = 0.0, span_s = 60.0', id="unclosed"),
    pytest.param('count = 48\ncount = 49', id="duplicate-key"),
    pytest.param('count = 4 8', id="space-in-number"),
])
def test_toml_syntax_error_names_file(tmp_path, bad):
    old = "count = 48" if bad.startswith("count") else (
        'launch = { pattern = "uniform", start_s = 0.0, span_s = 60.0 }')
    p = write(tmp_path, edit(BASE, old, bad), "syntax.toml")
    err = load_error(p)
    msg = str(err)
    rest = msg.replace(str(p), "<file>")
    assert str(p) in msg and "TOML" in rest and "\n" not in msg, msg
    assert "line" in rest, f"syntax error message gives no line: {msg!r}"


def test_missing_file(tmp_path):
    p = tmp_path / "no_such_scenario.toml"
    err = load_error(p)
    assert str(p) in str(err), str(err)
    assert "no such file" in str(err).replace(str(p), ""), str(err)


def test_directory_instead_of_file(tmp_path):
    err = load_error(tmp_path)
    assert str(tmp_path) in str(err) and "\n" not in str(err), str(err)


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes(BASE.replace("valid;", "caf\xe9;").encode("latin-1"))
    err = load_error(p)
    assert str(p) in str(err) and "UTF-8" in str(err).replace(str(p), ""), str(err)


# --- too large to simulate ------------------------------------------------------------------

def test_group_count_above_max_missiles(tmp_path):
    too_many = MAX_MISSILES + 1
    p = write(tmp_path, edit(BASE, "count = 48", f"count = {too_many}"))
    err = load_error(p)
    assert_message(err, str(p), "threats[0].count",
                   (str(too_many), f"{MAX_MISSILES:,}"))


def test_raid_above_max_missiles(tmp_path):
    # Each group is within the limit; together they are not.
    p = write(tmp_path, edit(BASE, "count = 48", f"count = {MAX_MISSILES - 10}"))
    err = load_error(p)
    total = MAX_MISSILES - 10 + 8 + 6
    assert_message(err, str(p), "threats", (str(total), f"{MAX_MISSILES:,}", "missiles"))


def test_max_missiles_is_accepted(tmp_path):
    p = write(tmp_path, edit(BASE, "count = 48", f"count = {MAX_MISSILES - 14}"))
    assert load_scenario(p).raid_size == MAX_MISSILES


def test_too_many_channels(tmp_path):
    text = edit(BASE, "fire_units = 2", "fire_units = 1000000")
    p = write(tmp_path, text)
    err = load_error(p)
    assert_message(err, str(p), "layers[1].channels_per_unit", ("8", "1,000,000"))


# --- round trip and defaults -------------------------------------------------------------------

@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_round_trip_files(path):
    s = load_scenario(path)
    again = Scenario.from_dict(s.to_dict())
    assert again == s
    assert again.to_dict() == s.to_dict()


def test_round_trip_every_key(tmp_path):
    s = load_scenario(write(tmp_path, BASE))
    assert Scenario.from_dict(s.to_dict()) == s


def test_case_files_are_present():
    names = {p.name for p in SCENARIO_FILES}
    for case in range(1, 8):
        assert any(n.startswith(f"case{case}_") for n in names), f"no file for case {case}"


MINIMAL = """\
name = "minimal"

[[threats]]
name = "BM"
count = 4
launch = { pattern = "simultaneous", at_s = 0.0 }

[[threats]]
name = "BM2"
count = 2
launch = { pattern = "simultaneous", at_s = 0.0 }
prelaunch_kill = 0.3

[[layers]]
name = "only"
fire_units = 1
channels_per_unit = 2
interceptors_per_unit = 8
shots_per_engagement = 1
flyout_s = 10.0
engage.BM = { sspk = 0.5, window_s = [0.0, 10.0] }
"""


def test_defaults(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL, "minimal.toml"))
    bm, bm2 = s.threats
    (layer,) = s.layers
    assert bm.kind == "warhead" and bm2.kind == "warhead" and bm.is_warhead
    assert bm.cost is None and bm.prelaunch_kill is None
    assert layer.max_engagements == 1
    assert (layer.reliability, layer.detection, layer.availability) == (1.0, 1.0, 1.0)
    assert layer.discrimination == 0.0
    assert layer.interceptor_cost is None
    assert s.prelaunch_kill == 0.0
    assert s.group_prelaunch_kill(bm) == 0.0
    assert s.group_prelaunch_kill(bm2) == 0.3  # a group's value overrides
    assert s.description == ""
    assert s.trials is None and s.seed is None


def test_counterstrike_table_default_and_override(tmp_path):
    text = MINIMAL.replace('name = "minimal"\n', 'name = "minimal"\n[counterstrike]\n', 1)
    s = load_scenario(write(tmp_path, text, "cs_empty.toml"))
    assert s.prelaunch_kill == 0.0
    text = MINIMAL.replace('name = "minimal"\n',
                           'name = "minimal"\n[counterstrike]\nprelaunch_kill = 0.25\n', 1)
    s = load_scenario(write(tmp_path, text, "cs.toml"))
    bm, bm2 = s.threats
    assert s.group_prelaunch_kill(bm) == 0.25
    assert s.group_prelaunch_kill(bm2) == 0.3


def test_defaults_match_explicit_values(tmp_path):
    explicit = MINIMAL.replace(
        'count = 4\n', 'count = 4\nkind = "warhead"\n', 1).replace(
        "flyout_s = 10.0\n",
        "flyout_s = 10.0\nmax_engagements = 1\nreliability = 1.0\ndetection = 1.0\n"
        "discrimination = 0.0\navailability = 1.0\n", 1).replace(
        'name = "minimal"\n', 'name = "minimal"\n[counterstrike]\nprelaunch_kill = 0.0\n', 1)
    a = load_scenario(write(tmp_path, MINIMAL, "a.toml"))
    b = load_scenario(write(tmp_path, explicit, "b.toml"))
    assert a == b


def test_window_before_launch_is_refused(tmp_path):
    bad = edit(BASE, "engage.HGV = { sspk = 0.7, window_s = [0.0, 20.0] }",
               "engage.HGV = { sspk = 0.7, window_s = [-10.0, 20.0] }")
    p = write(tmp_path, bad)
    assert_message(load_error(p), str(p), "layers[0].engage.HGV.window_s",
                   ("[-10.0, 20.0]", "a >= 0"))


def test_layer_without_engage_table_is_refused(tmp_path):
    bad = edit(BASE, "engage.CM = { sspk = 0.9, window_s = [5.0, 45.0] }\n", "")
    bad = edit(bad, "engage.HGV = { sspk = 0.8, window_s = [30.0, 60.0] }\n", "")
    p = write(tmp_path, bad)
    assert_message(load_error(p), str(p), "layers[1].engage", ("is missing",))
