"""saturation_sim.plot, the report's inputs, names as data and atomic figure files.

* ``plot.leakage``/``probability``/``fan``/``tornado``/``campaign`` draw the report's own panels:
  the numbers on the axes are the sweep's, and the Figure without ``ax`` is the
  report's figure (same title, same series).
* ``report`` takes a SweepResult in memory, refuses in words a directory that is
  not a sweep, a malformed sweep.json and a sweep of three keys (before any file).
* Hostile names (``$x^2$``, ``$``, ``*_[]#``, ``=cmd``) are drawn as typed and
  escaped in Markdown.
* A full disk while saving leaves the previous figure or PDF intact.
"""

from __future__ import annotations

import errno
import json

import numpy as np
import pytest

from conftest import CONFIGS, scenario
from saturation_sim import Scenario, load_scenario, simulate
from saturation_sim.sweep import sweep

pytest.importorskip("matplotlib")

from saturation_sim import plot  # noqa: E402
from saturation_sim.report import ReportError, report  # noqa: E402
from saturation_sim.report.markdown import escape  # noqa: E402

REF = CONFIGS / "reference_3x.toml"
TRIALS = 1000
DATE = "2025-01-02"


@pytest.fixture(scope="module")
def rr():
    """A raid-ratio sweep in memory."""
    return sweep(REF, {"raid_ratio": "0.5:4:0.5"}, trials=TRIALS, progress=False)


@pytest.fixture(scope="module")
def rr_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("rr") / "sweep"
    sweep(REF, {"raid_ratio": "0.5:4:0.5"}, out, trials=TRIALS, progress=False)
    return out


def _gid(fig, gid):
    hits = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(hits) == 1, f"{gid}: {len(hits)} artists"
    return hits[0]


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text()]


# --- the plot module ------------------------------------------------------------------

def test_leakage_draws_the_sweep_numbers_on_a_new_figure_or_given_axes(rr, rr_dir):
    from matplotlib.figure import Figure

    rows = rr.rows()
    fig = plot.leakage(rr, date=DATE)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert list(_gid(fig, "leakers_mean").get_ydata()) == [r["leakers_mean"] for r in rows]
    # The same figure as the report draws from the directory: one code path.
    drawn = report(rr_dir, rr_dir.parent / "figs", date=DATE)
    same = dict(drawn.figures)["leakage"]
    assert same.get_label() == fig.get_label()
    assert np.array_equal(_gid(same, "leak_fraction").get_ydata(),
                          _gid(fig, "leak_fraction").get_ydata())
    # On an Axes of the user's own figure: one panel, and that figure is returned.
    mine = Figure()
    ax = mine.add_subplot()
    assert plot.leakage(rr, ax) is mine
    assert {a.get_gid() for a in ax.lines} == {"leakers_mean", "focus_ratio"}
    ax2 = Figure().add_subplot()
    plot.leakage(rr_dir, ax2, share=True)
    share = _gid(ax2.figure, "leak_fraction").get_ydata()
    assert np.allclose(share, [r["leakers_mean"] / r["raid_size"] for r in rows])
    pair = Figure().subplots(1, 2)
    plot.leakage(rr, pair)
    assert {a.get_gid() for a in pair[0].lines} == {"leakers_mean", "focus_ratio"}
    assert "naive" in {a.get_gid() for a in pair[1].lines}


def test_probability_draws_p_at_least_k(rr):
    from matplotlib.figure import Figure

    fig = plot.probability(rr, date=DATE)
    assert fig.get_label()  # titled by the finding
    assert list(_gid(fig, "p_at_least_1").get_ydata()) == [r["p_any_leak"] for r in rr.rows()]
    ax = Figure().add_subplot()
    plot.probability(rr, ax, ks=[1, 10])
    assert [a.get_gid() for a in ax.lines if a.get_gid().startswith("p_")] == [
        "p_at_least_1", "p_at_least_10"]


def test_probability_asked_for_flat_curves_still_draws_them(rr):
    from matplotlib.figure import Figure

    # P(at least 1) is 100% from 3x on: asked for alone over that range, it is drawn.
    flat = sweep(REF, {"raid_ratio": "3,4"}, trials=200, progress=False)
    assert [r["p_any_leak"] for r in flat.rows()] == [1.0, 1.0]
    ax = Figure().add_subplot()
    plot.probability(flat, ax, ks=[1])
    assert [a.get_gid() for a in ax.lines if a.get_gid().startswith("p_")] == ["p_at_least_1"]
    assert plot.probability(flat, ks=[1]).get_label()


def test_plot_refuses_what_it_cannot_draw_in_words(rr, tmp_path):
    two = sweep(REF, {"layers.upper.fire_units": "1,2", "raid_ratio": "1,3"}, trials=200,
                progress=False)
    with pytest.raises(ReportError, match="2 swept keys"):
        plot.leakage(two)
    with pytest.raises(ReportError, match="expected a SweepResult"):
        plot.leakage(42)
    with pytest.raises(ReportError, match="no uncertainty.json"):
        plot.fan(tmp_path)
    with pytest.raises(ReportError, match="--method oat"):
        plot.tornado({"method": "sobol", "outputs": {}})


def test_documents_of_another_shape_and_unknown_languages_are_refused_in_words(rr):
    """A document this version cannot read is a one-line ReportError naming its kind,
    whether drawn on a new Figure or on a given Axes; so is a language without a
    catalogue, from every plot function."""
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    unc = {"points": [{"value": 1.0}], "vary": {"key": "raid_ratio"}}  # no outputs
    sens = {"method": "oat", "outputs": {"leak_fraction": {"oat": [{}]}}}
    for target in (None, ax):
        with pytest.raises(ReportError, match="^not an uncertainty document this version "
                                              "can read \\(KeyError: 'outputs'\\)$"):
            plot.fan(unc, target)
        with pytest.raises(ReportError, match="^not a sensitivity document this version "
                                              "can read \\((KeyError|TypeError): "):
            plot.tornado(sens, target)
    for draw, doc in ((plot.leakage, rr), (plot.probability, rr), (plot.fan, unc),
                      (plot.tornado, sens)):
        with pytest.raises(ReportError, match="^--lang 'fr': expected one of en, ja$"):
            draw(doc, lang="fr")

def test_fan_and_tornado_read_the_uncertainty_documents(tmp_path):
    from matplotlib.figure import Figure

    from saturation_sim.sweep.sensitivity import sensitivity
    from saturation_sim.sweep.uncertainty import uncertainty

    d = load_scenario(REF).to_dict()
    d["uncertainty"] = {"layers.upper.engage.BM.sspk": {"dist": "uniform", "low": 0.5,
                                                        "high": 0.9}}
    sc = Scenario.from_dict(d, source="unc.toml")
    unc = uncertainty(sc, samples=8, trials=200, vary="raid_ratio=1,3", seed=1,
                      out=tmp_path / "u", progress=False)
    fig = plot.fan(unc)
    nominal = [p["outputs"]["leak_fraction"]["nominal"] for p in unc["points"]]
    assert list(_gid(fig, "nominal").get_ydata()) == nominal
    ax = Figure().add_subplot()
    plot.fan(tmp_path / "u", ax)  # read back from its directory
    assert list(next(a for a in ax.lines if a.get_gid() == "nominal").get_ydata()) == nominal
    oat = sensitivity(sc, method="oat", trials=200, progress=False)
    fig = plot.tornado(oat)
    assert "SSPK" in fig.get_label()
    ax = Figure().add_subplot()
    plot.tornado(oat, ax)
    assert len([p for p in ax.patches if p.get_gid() == "tornado_low"]) == 1


def _campaign_result():
    s = scenario([{"name": "BM", "count": 6, "launchers": 6, "missiles_per_launcher": 1,
                   "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
                 [{"name": "upper", "fire_units": 1, "channels_per_unit": 2,
                   "interceptors_per_unit": 8, "shots_per_engagement": 1, "flyout_s": 10.0,
                   "engage": {"BM": {"sspk": 0.6, "window_s": [0.0, 30.0]}}}],
                 name="small campaign", campaign={"days": 4, "launcher_kill_per_day": 0.2})
    return simulate(s, trials=300, seed=4)


def _single_result():
    return simulate(load_scenario(REF), trials=100, seed=1)


def test_campaign_draws_a_campaigns_days_as_the_brief_does():
    """plot.campaign: the brief's page without ax (same title), its four panels on four
    Axes of one's own, the leakers per day on one; a single raid's result, or two
    Axes, refused in words."""
    from matplotlib.figure import Figure

    from saturation_sim.report import campaign_figs as cf
    from saturation_sim.report.i18n import Messages

    r = _campaign_result()
    fig = plot.campaign(r, date=DATE)
    assert fig.get_label() == cf.days_title(r, Messages("en", campaign=True))
    four = Figure().subplots(2, 2)
    assert plot.campaign(r, four) is four[0, 0].figure
    assert [len(ax.get_lines()) > 0 for ax in four.flat] == [True] * 4
    one = Figure().add_subplot()
    plot.campaign(r, one, lang="ja")
    (line,) = [x for x in one.get_lines() if x.get_gid() == "leakers_day"]
    np.testing.assert_array_equal(line.get_ydata(), r.by_day()["leakers_mean"])
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
    with pytest.raises(ReportError, match="has no \\[campaign\\] days > 1"):
        plot.campaign(_single_result())
    with pytest.raises(ReportError, match="ax must be 1 or 4 matplotlib Axes, got 2"):
        plot.campaign(r, Figure().subplots(1, 2))
    with pytest.raises(ReportError, match="got dict"):
        plot.campaign({})


# --- report's inputs ------------------------------------------------------------------

def test_report_takes_a_sweep_result_in_memory(rr, tmp_path):
    drawn = report(rr, tmp_path / "f", date=DATE)
    assert {p.name for p in drawn.files} >= {"leakage.png", "probability.png"}


@pytest.mark.parametrize("lang, short, whole, open_ground", [
    ("en", "Okinawa 0.25", "Okinawa (Kadena, Naha)", "open ground 0.1"),
    ("ja", "沖縄 0.25", "沖縄（嘉手納・那覇）", "防護対象外の地域 0.1")])
def test_the_assumptions_table_names_sites_as_the_reader_knows_them(lang, short, whole,
                                                                      open_ground):
    """Aim shares, sites of fire units and sampled shares show the sites' labels,
    without their glosses in brackets (the assets rows give the whole label), and
    never the scenario's identifiers ("okinawa")."""
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.inputs import inputs_table
    from saturation_sim.report.names import target_label

    s = load_scenario(CONFIGS / "japan_illustrative.toml")
    msg = Messages(lang)
    cells = [c for row in inputs_table(s, msg).rows for c in row]
    shares = next(c for c in cells if c.startswith(short))
    assert open_ground in shares and "okinawa" not in shares
    assert any(whole in c for c in cells)  # the assets rows
    assert not any("okinawa" in c or "kyushu 0" in c for c in cells)
    assert target_label(s, "okinawa", msg) == whole
    assert target_label(s, "okinawa", msg, short=True) == short.split(" ")[0]
    assert target_label(s, "open", msg, short=True) == open_ground[:-4]
    assert target_label(s, "no_such_site", msg) == "no such site"


def _corrupt(rr_dir, tmp_path, edit):
    doc = json.loads((rr_dir / "sweep.json").read_text())
    edit(doc)
    d = tmp_path / "bad"
    d.mkdir(exist_ok=True)
    (d / "sweep.json").write_text(json.dumps(doc))
    return d


@pytest.mark.parametrize("edit, needle", [
    (lambda d: d["points"][2]["result"].pop("leakers"), r"points\[2\]\.result\.leakers\.mean"),
    (lambda d: d["points"][0]["result"]["leakers"].update(mean="x"), "is a string, expected a "
                                                                     "finite number >= 0"),
    (lambda d: d["points"][0]["result"]["leakers"].update(ci95=[1.0]), "a list of two"),
    (lambda d: d["points"][0]["result"].update(p_any_leak=1.5), "1.5, expected a probability"),
    (lambda d: d["points"][0]["result"]["by_layer"]["upper"].update(p_magazine_empty=float("inf")),
     "expected a probability"),
    (lambda d: d["points"][1].update(trials=None), r"points\[1\]\.trials"),
    (lambda d: d["points"][0]["result"]["by_layer"].clear(), "by_layer.upper"),
    (lambda d: d["points"][0]["result"]["cost"].pop("defender_mean"), "defender_mean"),
    (lambda d: d.update(points={}), "'points' is an object"),
    (lambda d: d.update(keys=["raid_ratio", "x"]), "every swept key needs its values"),
    (lambda d: d.pop("points"), "not a sweep document"),
    (lambda d: d["points"].pop(), "is the sweep finished"),
])
def test_malformed_sweep_json_is_refused_in_words(rr_dir, tmp_path, edit, needle, cli, capsys):
    bad = _corrupt(rr_dir, tmp_path, edit)
    with pytest.raises(ReportError, match=needle):
        report(bad, tmp_path / "figs")
    assert not (tmp_path / "figs").exists()
    assert cli(["report", str(bad), "--out", str(tmp_path / "figs")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_directory_that_is_not_a_sweep_is_named_in_words(tmp_path):
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "uncertainty.json").write_text("{}")
    with pytest.raises(ReportError, match="uncertainty or sensitivity run"):
        report(tmp_path / "u", tmp_path / "f")
    (tmp_path / "x.json").write_text("not json {")
    with pytest.raises(ReportError, match=r"not a sweep.json \(the file is not JSON\)"):
        report(tmp_path / "x.json", tmp_path / "f")
    (tmp_path / "run.json").write_text(json.dumps({"scenario": "s", "leakers": {}}))
    with pytest.raises(ReportError, match=r"not a sweep document but a single run"):
        report(tmp_path / "run.json", tmp_path / "f")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(ReportError, match="the JSON is a list"):
        report(tmp_path / "list.json", tmp_path / "f")
    with pytest.raises(ReportError, match="no such file or directory"):
        report(tmp_path / "missing", tmp_path / "f")
    assert not (tmp_path / "f").exists()


def test_three_keys_are_refused_before_any_file(tmp_path):
    three = sweep(REF, {"raid_ratio": "1,2", "layers.upper.fire_units": "1,2",
                        "layers.upper.engage.BM.sspk": "0.5,0.9"}, trials=100, progress=False)
    with pytest.raises(ReportError, match="3 swept keys .*one or two keys"):
        report(three, tmp_path / "f")
    assert not (tmp_path / "f").exists()


# --- names are data -------------------------------------------------------------------

HOSTILE = {"scenario": "$x^2$ *bold* _it_ [link](http://x) # =cmd",
           "threat": "$", "layer": "U.S. Navy Aegis.", "label": "=cmd *_[]# $a$ <b>",
           "caveat": "$\\alpha$ not math"}


def hostile_scenario() -> Scenario:
    d = load_scenario(REF).to_dict()
    d["name"] = HOSTILE["scenario"]
    d["caveat"] = HOSTILE["caveat"]
    old_t, old_l = d["threats"][0]["name"], d["layers"][0]["name"]
    d["threats"][0]["name"] = HOSTILE["threat"]
    d["threats"][0]["label"] = "$x^2$"
    lay = d["layers"][0]
    lay["name"] = HOSTILE["layer"]
    lay["label"] = HOSTILE["label"]
    lay["engage"] = {HOSTILE["threat"]: lay["engage"][old_t]}
    assert old_l
    return Scenario.from_dict(d, source="hostile.toml")


def test_markdown_escape_leaves_no_markup():
    assert escape("$x^2$") == r"\$x^2\$"
    assert escape("*_[l](u)_* # | <b> & ~") == r"\*\_\[l\](u)\_\* \# \| \<b\> \& \~"
    assert escape("- a\n1. b\n= c\n1.5 d") == "\\- a\n1\\. b\n\\= c\n1.5 d"
    assert escape("-1 | =x", inline=True) == "-1 \\| =x"
    assert escape("U.S. Navy Aegis.") == "U.S. Navy Aegis."
    assert escape("a\\b") == "a\\\\b"


def test_hostile_names_are_drawn_as_typed(tmp_path):
    s = hostile_scenario()
    res = sweep(s, {f'layers."{HOSTILE["layer"]}".fire_units': "0:2:1"}, trials=200,
                progress=False)
    drawn = report(res, tmp_path / "f", formats="png,svg,pdf", date=DATE)
    assert len(drawn.files) == 3 * len(drawn.figures)
    texts = [t for _, fig in drawn.figures for t in _texts(fig)]
    # Every text of the figures is set without mathtext: "$...$" is drawn as typed.
    assert texts and all(not t.get_parse_math() for t in texts)
    shown = " ".join(t.get_text() for t in texts)
    assert HOSTILE["caveat"] in shown and HOSTILE["label"] in shown
    rr = sweep(s, {"raid_ratio": "1,3"}, trials=200, progress=False)
    fig = plot.leakage(rr)
    fig.savefig(tmp_path / "rr.png")
    assert all(not t.get_parse_math() for t in _texts(fig))


# --- no lost file ---------------------------------------------------------------------

def _full_disk(monkeypatch, cls, method):
    """Make ``cls.method`` write a little, then fail as a full disk does."""
    real = getattr(cls, method)

    def fail(self, fname, *args, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device", str(fname))

    monkeypatch.setattr(cls, method, fail)
    return real


def test_a_full_disk_leaves_the_previous_figure_intact(rr, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    out = tmp_path / "f"
    report(rr, out, date=DATE)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _full_disk(monkeypatch, Figure, "savefig")
    with pytest.raises(OSError) as exc:
        report(rr, out, date="2030-01-01")
    assert exc.value.errno == errno.ENOSPC
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file either


def test_a_full_disk_is_one_line_and_status_2_from_the_command_line(rr_dir, tmp_path,
                                                                   monkeypatch, cli, capsys):
    from matplotlib.figure import Figure

    _full_disk(monkeypatch, Figure, "savefig")
    assert cli(["report", str(rr_dir), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left" in err
    assert list((tmp_path / "f").iterdir()) == []


def test_a_full_disk_leaves_the_previous_brief_pdf_intact(tmp_path, monkeypatch):
    from matplotlib.backends.backend_pdf import PdfPages

    from saturation_sim.report.brief import _write_pdf
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.style import new_figure, use_style

    with use_style("en"):
        pages = [new_figure(1)[0] for _ in range(2)]
        pdf = tmp_path / "brief.pdf"
        assert _write_pdf(pdf, pages, "t", Messages("en"), False) == 2
        good = pdf.read_bytes()

        def fail(self, figure=None, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(PdfPages, "savefig", fail)
        with pytest.raises(OSError):
            _write_pdf(pdf, pages, "t", Messages("en"), False)
    assert pdf.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


HOSTILE_TOML = r'''
name = "$x^2$ *bold* _it_ [link](http://x) # =cmd"
caveat = "$ one dollar; U.S. Navy Aegis."
description = "=cmd | *_[]# $a$"

[[threats]]
name = "$"
label = "$x^2$"
count = 48
launch = { pattern = "uniform", start_s = 0.0, span_s = 60.0 }

[[threats]]
name = "=cmd"
count = 8
launch = { pattern = "uniform", start_s = 0.0, span_s = 60.0 }

[[layers]]
name = "U.S. Navy Aegis."
fire_units = 1
channels_per_unit = 16
interceptors_per_unit = 64
shots_per_engagement = 2
flyout_s = 20.0
engage."$" = { sspk = 0.7, window_s = [0.0, 20.0] }
engage."=cmd" = { sspk = 0.5, window_s = [0.0, 20.0] }

[[layers]]
name = "*_[]#"
label = '$\alpha$ [x](y)'
fire_units = 2
channels_per_unit = 4
interceptors_per_unit = 8
shots_per_engagement = 1
flyout_s = 10.0
engage."$" = { sspk = 0.5, window_s = [0.0, 20.0] }
'''


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_hostile_names_through_the_brief_command(cli, tmp_path, capsys, lang):
    """brief --trials 200 on a scenario whose every name is hostile: no crash, the
    PDF shows the names as typed, brief.md escapes them."""
    import re

    from pypdf import PdfReader

    cfg = tmp_path / "hostile.toml"
    cfg.write_text(HOSTILE_TOML, encoding="utf-8")
    out = tmp_path / "b"
    assert cli(["brief", str(cfg), "--out", str(out), "--trials", "200", "--quiet",
                "--lang", lang]) == 0, capsys.readouterr().err
    suffix = "" if lang == "en" else ".ja"
    text = "\n".join(p.extract_text() for p in PdfReader(out / f"brief{suffix}.pdf").pages)
    assert "$x^2$" in text and "U.S. Navy Aegis." in text
    md = (out / f"brief{suffix}.md").read_text(encoding="utf-8")
    assert r"\$x^2\$ \*bold\* \_it\_ \[link\](http://x) \# =cmd" in md
    # No unescaped markup from the scenario: every $, *, _, [ and ] is escaped,
    # apart from our own bold (**...**) and the figure links.
    body = re.sub(r"!\[[^\n]*\]\(figures/[\w.-]+\.png\)", "", md).replace("**", "")
    assert not re.search(r"(?<!\\)[$_\[\]]", body), re.findall(r".{20}(?<!\\)[$_\[\]].{5}", body)


@pytest.mark.slow
def test_mutated_sweep_json_is_drawn_or_refused_in_words(rr_dir):
    """300 single-field mutations of a real sweep.json (a field deleted, or replaced by
    null, a string, a negative, a huge or non-finite number, a list, an object...):
    each is drawn or refused with a ReportError, never another exception."""
    import copy
    import random

    from saturation_sim.report import draw
    from saturation_sim.report.data import SweepData
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.style import use_style

    doc0 = json.loads((rr_dir / "sweep.json").read_text())

    def paths(o, pre=()):
        yield pre
        if isinstance(o, dict):
            for k, v in o.items():
                yield from paths(v, pre + (k,))
        elif isinstance(o, list):
            for i, v in enumerate(o[:3]):
                yield from paths(v, pre + (i,))

    # The scenario's own fields are the loader's business (tests/test_robustness.py).
    where = [p for p in paths(doc0) if p and p[0] != "scenario"]
    values = [None, "x", -1, 1e308, float("nan"), float("inf"), [], {}, True, [1], 0, 2**80]
    rng = random.Random(20261130)
    refused = 0
    for _ in range(300):
        doc = copy.deepcopy(doc0)
        path = rng.choice(where)
        node = doc
        for k in path[:-1]:
            node = node[k]
        if isinstance(node, dict) and rng.random() < 0.3:
            del node[path[-1]]
        else:
            node[path[-1]] = rng.choice(values)
        try:
            data = SweepData.from_document(doc)
            with use_style("en"), np.errstate(all="ignore"):
                draw(data, Messages("en"), "footer")
        except ReportError:
            refused += 1
    assert refused >= 100  # half the mutations break the document; each said so in words
