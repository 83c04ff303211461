"""Report room: figures in every format, plotted numbers equal the sweep's, i18n, CLI."""

from __future__ import annotations

import json
import string
import subprocess
import sys

import numpy as np
import pytest

from conftest import CONFIGS, scenario
from saturation_sim import Scenario, load_scenario
from saturation_sim.sweep import sweep

pytest.importorskip("matplotlib")

from saturation_sim.report import ReportError, draw, report  # noqa: E402
from saturation_sim.report.data import load_sweep, nice_ks  # noqa: E402
from saturation_sim.report.i18n import MESSAGES, Messages, check_catalogue  # noqa: E402
from saturation_sim.report.provenance import scenario_hash  # noqa: E402
from saturation_sim.report.style import use_style, wrap  # noqa: E402

REF = CONFIGS / "reference_3x.toml"
TRIALS = 2000
DATE = "2025-01-02"


def _costed():
    """The reference scenario with costs, so the cost-exchange figure is drawn."""
    d = load_scenario(REF).to_dict()
    d["threats"][0]["cost"] = 5.0
    d["layers"][0]["interceptor_cost"] = 4.0
    d["counterstrike"]["prelaunch_kill"] = 0.1
    return Scenario.from_dict(d, source="costed")


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """Three small sweeps: raid ratio (with costs), a lever, and a two-key grid."""
    root = tmp_path_factory.mktemp("sweeps")
    sweep(_costed(), ["raid_ratio=0.5:4:0.5"], root / "rr", trials=TRIALS, progress=False)
    sweep(REF, ["layers.upper.fire_units=0:4:1"], root / "fu", trials=TRIALS, progress=False)
    sweep(REF, ["layers.upper.engage.BM.sspk=0.6:0.99:0.13", "layers.upper.fire_units=1:3:1"],
          root / "two", trials=TRIALS, progress=False)
    return root


def _figures(path, lang="en"):
    data = load_sweep(path)
    with use_style(lang):
        return data, dict(draw(data, Messages(lang), "footer"))


def _by_gid(fig, gid):
    hits = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(hits) == 1, f"{gid}: {len(hits)} artists"
    return hits[0]


def _band_limits(poly):
    """Every y value on the outline of a fill_between band (its lower and upper edges)."""
    ys = np.concatenate([p.vertices[:, 1] for p in poly.get_paths()])
    return ys


def _points(path):
    return json.loads((path / "sweep.json").read_text())["points"]


def test_import_does_not_load_matplotlib():
    code = ("import sys, saturation_sim, saturation_sim.cli.main, saturation_sim.report, "
            "saturation_sim.cli.report_cmd; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_catalogue_has_both_languages_with_the_same_fields():
    assert check_catalogue() == []
    assert all(set(v) == {"en", "ja"} for v in MESSAGES.values())


def test_a_campaign_is_worded_as_totals_over_its_days():
    """A campaign's pages say what its numbers are: the raid ratio is the daily raid's,
    leakers and the rest are totals over the campaign (not "per raid"); other
    scenarios keep the single raid's words."""
    from saturation_sim.report import tables
    from saturation_sim.report.data import as_sweep_data
    from saturation_sim.report.i18n import CAMPAIGN

    for lang in ("en", "ja"):
        raid, campaign = Messages(lang), Messages(lang, campaign=True)
        for key in CAMPAIGN:
            fields = {f: "3" for _, f, _, _ in string.Formatter().parse(MESSAGES[key]["en"])
                      if f}
            assert campaign(key, **fields) != raid(key, **fields), (lang, key)
    assert "raid" not in Messages("en", campaign=True)("leakers_mean")
    assert "per raid" in Messages("en")("leakers_mean")
    s = scenario([{"name": "BM", "count": 4, "launchers": 4, "missiles_per_launcher": 1,
                   "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
                 [{"name": "upper", "fire_units": 1, "channels_per_unit": 2,
                   "interceptors_per_unit": 6, "shots_per_engagement": 1, "flyout_s": 10.0,
                   "engage": {"BM": {"sspk": 0.5, "window_s": [0.0, 30.0]}}}],
                 name="c", campaign={"days": 3})
    data = as_sweep_data(sweep(s, {"raid_ratio": "1,3"}, trials=200, progress=False))
    head = tables.key_numbers(data, Messages("en", campaign=True)).header
    assert head[:3] == ["Daily raid ÷ capacity", "Missiles on day 1",
                        "Mean leakers over the campaign [95% CI]"]


@pytest.mark.slow
def test_report_writes_every_figure_in_every_format(sweeps, tmp_path):
    drawn = report(sweeps / "rr", tmp_path / "figs", "en", "png,svg,pdf", date=DATE)
    names = [n for n, _ in drawn.figures]
    assert names == ["leakage", "probability", "layers", "cost"]
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for name in names:
        for fmt, head in magic.items():
            f = tmp_path / "figs" / f"{name}.{fmt}"
            assert f.read_bytes().startswith(head), f
    assert len(drawn.files) == 12


def test_leakage_curve_plots_the_sweep_numbers(sweeps):
    data, figs = _figures(sweeps / "rr")
    pts = _points(sweeps / "rr")
    r = np.array([p["result"]["raid_ratio"] for p in pts])
    mean = np.array([p["result"]["leakers"]["mean"] for p in pts])
    lo = np.array([p["result"]["leakers"]["ci95"][0] for p in pts])
    hi = np.array([p["result"]["leakers"]["ci95"][1] for p in pts])
    fig = figs["leakage"]
    line = _by_gid(fig, "leakers_mean")
    np.testing.assert_array_equal(line.get_xdata(), r)
    np.testing.assert_array_equal(line.get_ydata(), mean)
    band = _band_limits(_by_gid(fig, "leakers_mean_ci"))
    for v in np.concatenate([lo, hi]):
        assert np.isclose(band, v, rtol=0, atol=1e-12).any()
    warheads = np.array([round(x * 16) for x in r])  # capacity 16, one warhead group
    share = _by_gid(fig, "leak_fraction")
    np.testing.assert_allclose(share.get_ydata(), mean / warheads, rtol=1e-12)
    naive = _by_gid(fig, "naive")
    x = np.asarray(naive.get_xdata())
    np.testing.assert_allclose(naive.get_ydata(), np.maximum(0, 1 - 1 / x))
    # The title states the share at 3x, computed from the same numbers.
    i = int(np.argmin(abs(r - 3)))
    assert f"{round(100 * mean[i] / warheads[i])}%" in fig.get_label()
    assert fig.get_label().startswith("At 3× capacity")
    assert [ax.get_xlabel() for ax in fig.axes] == ["Raid size ÷ engagement capacity"] * 2


def test_probability_layers_and_cost_curves_plot_the_sweep_numbers(sweeps):
    data, figs = _figures(sweeps / "rr")
    pts = _points(sweeps / "rr")
    res = [p["result"] for p in pts]
    ks = nice_ks(max(r["leakers"]["mean"] for r in res))
    assert ks[0] == 1 and len(ks) > 1
    for k in ks:
        line = _by_gid(figs["probability"], f"p_at_least_{k}")
        want = [r["leakers"]["p_at_least"][k] if k < len(r["leakers"]["p_at_least"]) else 0.0
                for r in res]
        np.testing.assert_array_equal(line.get_ydata(), want)
        _by_gid(figs["probability"], f"p_at_least_{k}_ci")
    # P(at least 1) is P(any leak), up to the last bit of two ways of summing.
    np.testing.assert_allclose(_by_gid(figs["probability"], "p_at_least_1").get_ydata(),
                               [r["p_any_leak"] for r in res], rtol=1e-12)
    layer = figs["layers"]
    np.testing.assert_array_equal(_by_gid(layer, "interceptors:upper").get_ydata(),
                                  [r["by_layer"]["upper"]["interceptors_mean"] for r in res])
    np.testing.assert_array_equal(_by_gid(layer, "p_empty:upper").get_ydata(),
                                  [r["by_layer"]["upper"]["p_magazine_empty"] for r in res])
    cost = figs["cost"]
    for gid, field in (("defender", "defender_mean"), ("attacker", "attacker_mean"),
                       ("exchange_ratio", "exchange_ratio")):
        np.testing.assert_allclose(_by_gid(cost, gid).get_ydata(),
                                   [r["cost"][field] for r in res], rtol=1e-12)
        _by_gid(cost, f"{gid}_ci")


def test_every_figure_has_bands_and_a_provenance_footer(sweeps):
    data = load_sweep(sweeps / "rr")
    from saturation_sim.report.provenance import footer

    foot = footer(data, Messages("en"), DATE)
    with use_style("en"):
        figs = draw(data, Messages("en"), foot)
    assert f"{TRIALS:,} trials per point" in foot and "seed 1" in foot and DATE in foot
    assert scenario_hash(data.doc["scenario"]) in foot and data.name in foot
    for name, fig in figs:
        assert any(t.get_text() == foot for t in fig.texts), name
        gids = {a.get_gid() or "" for ax in fig.axes for a in ax.get_children()}
        assert any(g.endswith("_ci") for g in gids), name


def test_lever_sweep_uses_the_key_as_x(sweeps):
    _, figs = _figures(sweeps / "fu")
    line = _by_gid(figs["leakage"], "leakers_mean")
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3, 4])
    # The layer's label, never its identifier; units named by the layer's unit noun.
    assert figs["leakage"].axes[0].get_xlabel() == "Fire units in Upper tier"
    assert "cost" not in figs  # the reference scenario has no costs


def test_two_keys_give_a_heatmap_with_contours_and_a_family(sweeps):
    data, figs = _figures(sweeps / "two")
    pts = _points(sweeps / "two")
    p = np.array([q["result"]["p_any_leak"] for q in pts]).reshape(data.shape)
    mesh = _by_gid(figs["heatmap"], "p_any_leak")
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(p.T.shape), p.T)
    # Every cell prints its value.
    cells = [t.get_text() for t in figs["heatmap"].axes[0].texts if t.get_gid() == "cell_value"]
    assert sorted(cells) == sorted(Messages("en").percent(v) for v in p.ravel())
    # A contour is drawn exactly where the grid crosses its level, and only there.
    gids = {a.get_gid() for a in figs["heatmap"].axes[0].get_children()}
    for level in (0.05, 0.5):
        assert (f"contour:{level:g}" in gids) == bool(p.min() < level < p.max())
    mean = np.array([q["result"]["leakers"]["mean"] for q in pts]).reshape(data.shape)
    for j, units in enumerate(data.values("layers.upper.fire_units")):
        line = _by_gid(figs["family"], f"family:{units}")
        np.testing.assert_array_equal(line.get_xdata(), data.values(data.keys[0]))
        np.testing.assert_array_equal(line.get_ydata(), mean[:, j])
        _by_gid(figs["family"], f"family:{units}_ci")


def test_japanese_labels_come_from_the_catalogue(sweeps, recwarn, caplog):
    _, figs = _figures(sweeps / "rr", "ja")
    ja = {k: v["ja"] for k, v in MESSAGES.items()}
    assert figs["leakage"].axes[0].get_xlabel() == ja["axis_raid_ratio"]
    assert figs["leakage"].axes[0].get_ylabel() == ja["leakers_mean"]
    assert "能力の3倍" in figs["leakage"].get_label()
    for fig in figs.values():
        fig.canvas.draw()  # would warn on a glyph missing from the fonts
    problems = [str(w.message) for w in recwarn if "missing from" in str(w.message)]
    problems += [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()]
    assert problems == []


def test_wrap_breaks_latin_at_spaces_and_cjk_anywhere():
    assert wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert all(len(line) <= 10 for line in wrap("能力の3倍から、upper は過半の攻撃で", 10).split("\n"))


def test_report_refuses_bad_input(sweeps, tmp_path):
    with pytest.raises(ReportError, match="no sweep.json"):
        report(tmp_path, tmp_path / "f")
    with pytest.raises(ReportError, match="--format"):
        report(sweeps / "rr", tmp_path / "f", formats="gif")


def test_report_command(cli, sweeps, tmp_path, capsys):
    assert cli(["report", str(sweeps / "fu"), "--out", str(tmp_path / "f"), "--lang", "ja",
                "--format", "svg"]) == 0
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == [
        "layers.svg", "leakage.svg", "probability.svg"]
    assert "leakage" in capsys.readouterr().out


@pytest.mark.parametrize("extra, needle", [([], "no sweep.json"),
                                           (["--format", "png,bmp"], "--format")])
def test_report_command_bad_input_is_one_line_and_status_2(cli, tmp_path, capsys, extra,
                                                           needle):
    assert cli(["report", str(tmp_path), "--out", str(tmp_path / "f"), *extra]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


def test_display_names_unit_nouns_and_caveat_reach_every_figure(tmp_path):
    """Labels replace identifiers; the caveat is on every figure; flat panels are dropped."""
    d = load_scenario(REF).to_dict()
    d["caveat"] = "ILLUSTRATIVE: not an estimate"
    d.pop("caveat_ja")  # without a Japanese caveat, the Japanese figures show this one
    d["layers"][0].update(label="Destroyers", label_ja="護衛艦", unit_noun="ships",
                          unit_noun_ja="艦")
    s = Scenario.from_dict(d, source="labelled")
    sweep(s, ["layers.upper.fire_units=0:4:1"], tmp_path / "fu", trials=500, progress=False)
    for lang, noun in (("en", "Ships in Destroyers"), ("ja", "護衛艦の艦数")):
        _, figs = _figures(tmp_path / "fu", lang)
        assert figs["leakage"].axes[0].get_xlabel() == noun
        for name, fig in figs.items():
            caveats = [t.get_text() for t in fig.texts if t.get_gid() == "caveat"]
            assert caveats == ["ILLUSTRATIVE: not an estimate"], (lang, name)
            assert "upper" not in fig.get_label(), (lang, name)


def test_flat_panels_are_left_out(sweeps):
    """A P(any leak) panel flat at 100% over the lever's range tells nothing: one panel."""
    data = load_sweep(sweeps / "fu")
    from saturation_sim.report import curves
    from saturation_sim.report.style import FLAT_TOL

    p = data.p_any()[0]
    with use_style("en"):
        fig = curves.lever_figure(data, data.keys[0], Messages("en"), "footer")
    panels = [ax for ax in fig.axes if ax.get_gid() not in ("cost_axis", "focus_tick")
              and ax.get_label() != "<colorbar>" and ax.get_position().width > 0.2]
    flat = bool(np.all(p >= 1 - FLAT_TOL) or np.all(p <= FLAT_TOL))
    assert len(panels) == (1 if flat else 2)
    # Today's value is marked on the lever.
    assert any(t.get_gid() == "today_label" and t.get_text().strip() == "today: 1"
               for ax in panels for t in ax.texts)


def test_regimes_follow_the_engine_statistics():
    from saturation_sim.report.findings import regimes

    x = np.array([0.5, 1.0, 1.5, 2.0, 3.0])
    p_empty = np.array([0.0, 0.0, 0.1, 0.2, 0.9])
    engaged = np.array([1.0, 1.0, 1.0, 0.8, 0.5])
    assert regimes(x, p_empty, engaged) == ["below", "below", "floor", "channel", "magazine"]
