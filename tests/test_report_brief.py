"""The brief end to end: sweeps, figures, brief.pdf pages, brief.md, Japanese fonts, resume.

Every test that needs the ``briefs`` fixture (two whole briefs) is marked ``slow``.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import CONFIGS

pytest.importorskip("matplotlib")

from saturation_sim.report.brief import brief, fire_unit_values, plan  # noqa: E402
from saturation_sim.report.i18n import MESSAGES  # noqa: E402

REF = CONFIGS / "reference_3x.toml"
TRIALS = 2000
#: Reference figures: raid ratio (leakage, probability, layers; no costs), one
#: fire-unit lever and the counterstrike lever.
REF_FIGURES = 3 + 1 + 1
#: Shipped briefs checked page by page (slow tests), at few trials: layout does
#: not depend on the trial count beyond the numbers printed.
SHIPPED = ("reference_3x", "doctrine_3x", "japan_illustrative")
SHIPPED_TRIALS = 300


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (``/Type /Page``, not ``/Pages``): a pure-Python count."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    """The reference brief in English, then in Japanese into the same directory."""
    out = tmp_path_factory.mktemp("brief")
    en = brief(REF, out, "en", trials=TRIALS, progress=False, date="2025-01-02")
    saved = {"pdf": en.pdf.read_bytes(), "md": en.markdown.read_text(encoding="utf-8")}
    points = sorted((out / "sweeps").rglob("points/*.json"))
    stamps = [p.stat().st_mtime_ns for p in points]
    ja = brief(REF, out, "ja", trials=TRIALS, progress=False, date="2025-01-02")
    resumed = [p.stat().st_mtime_ns for p in points] == stamps
    return {"out": out, "en": en, "ja": ja, "en_pdf": saved["pdf"], "en_md": saved["md"],
            "resumed": resumed, "n_points": len(points)}


def test_plan_sweeps_raid_ratio_each_layer_and_counterstrike():
    from saturation_sim import load_scenario

    planned = plan(load_scenario(REF))
    assert [p.label for p in planned] == ["raid size ÷ engagement capacity",
                                          "fire units in Upper tier",
                                          "pre-launch kill probability (counterstrike)"]
    names = [(p.name, p.key) for p in planned]
    assert names == [("raid_ratio", "raid_ratio"), ("fire_units_1_upper",
                                                     "layers.upper.fire_units"),
                     ("prelaunch_kill", "counterstrike.prelaunch_kill")]
    assert fire_unit_values(1) == list(range(9))
    vals = fire_unit_values(24)
    assert vals[0] == 0 and 24 in vals and vals[-1] >= 96 and len(vals) <= 10


@pytest.mark.slow
def test_brief_pdf_has_the_expected_pages(briefs):
    en, ja = briefs["en"], briefs["ja"]
    # Bottom line, key numbers, at least one assumptions page, the figures, the limits.
    assert en.pages == pdf_pages(briefs["en_pdf"]) == len(en.page_figures)
    assert en.pages >= 3 + REF_FIGURES + 1
    assert ja.pages == pdf_pages(ja.pdf.read_bytes())
    assert len(en.figures) == len(ja.figures) == REF_FIGURES
    assert all(f.exists() and f.suffix == ".png" for f in en.figures + ja.figures)


@pytest.mark.slow  # draws a brief in both languages
def test_japanese_brief_is_written_beside_the_english_one(briefs):
    out, ja = briefs["out"], briefs["ja"]
    assert ja.pdf == out / "brief.ja.pdf" and ja.markdown == out / "brief.ja.md"
    assert all(f.name.endswith(".ja.png") for f in ja.figures)
    # The English files are still those of the English run.
    assert (out / "brief.pdf").read_bytes() == briefs["en_pdf"]
    assert (out / "brief.md").read_text(encoding="utf-8") == briefs["en_md"]


@pytest.mark.slow
def test_brief_markdown_has_the_key_numbers_and_figure_links(briefs):
    md, out = briefs["en_md"], briefs["out"]
    # No --seed given and the file says seed = 1: the sweep directory names both.
    doc = json.loads((out / "sweeps" / f"raid_ratio-t{TRIALS}-s1" / "sweep.json").read_text())
    by_ratio = {p["values"]["raid_ratio"]: p["result"] for p in doc["points"]}
    assert f"{TRIALS:,} trials per point" in md
    for r in (1.0, 2.0, 3.0):
        res = by_ratio[r]
        lo, hi = res["leakers"]["ci95"]
        # Brackets are escaped in Markdown (a scenario's words could otherwise make links).
        assert (f"| {r:g}× | {res['raid_size']} | {res['leakers']['mean']:.2f} "
                f"\\[{lo:.2f}, {hi:.2f}\\]") in md
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(links) == REF_FIGURES
    assert all((out / link).exists() for link in links)
    assert briefs["en"].titles[0] in md
    for heading in ("bottom_line", "naive_heading", "assumptions", "limits"):
        assert MESSAGES[heading]["en"] in md
    # Every input of the scenario is listed, with its unit.
    assert "| Interceptors | 64 | per one of the fire units |" in md


@pytest.mark.slow
def test_japanese_brief_embeds_a_cjk_font_and_english_does_not_need_one(briefs):
    ja_pdf = briefs["ja"].pdf.read_bytes()
    assert b"IPAexGothic" in ja_pdf  # matplotlib-fontja's font, embedded (Type 42)
    assert b"FontFile2" in ja_pdf
    assert b"IPAexGothic" not in briefs["en_pdf"]
    md = briefs["ja"].markdown.read_text(encoding="utf-8")
    assert MESSAGES["key_numbers"]["ja"] in md and "各点 2,000 回試行" in md
    assert MESSAGES["bottom_line"]["ja"] in md and "上層" in md  # the layer's Japanese label


@pytest.mark.slow
def test_japanese_text_is_never_stroked(briefs):
    """IPAexGothic has no bold face: emphasis is set in the regular weight, never by
    stroking the glyphs' outlines (which clogs dense kanji)."""
    from matplotlib.text import Text

    for fig in briefs["ja"].page_figures:
        for t in fig.findobj(Text):
            assert not t.get_path_effects(), t.get_text()
            assert t.get_fontweight() in ("normal", 400), t.get_text()


@pytest.mark.slow
def test_rerun_resumes_the_sweeps(briefs):
    assert briefs["n_points"] == 20 + 9 + 10
    assert briefs["resumed"]  # the Japanese brief reused the English brief's sweeps


@pytest.mark.slow
def test_brief_with_other_trials_runs_beside_the_old_sweeps(cli, briefs):
    out = briefs["out"]
    assert cli(["brief", str(REF), "--out", str(out), "--trials", "999", "--quiet"]) == 0
    names = {p.name for p in (out / "sweeps").iterdir()}
    assert {f"raid_ratio-t{TRIALS}-s1", "raid_ratio-t999-s1"} <= names


def test_brief_command_bad_config_is_status_2(cli, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 1\n")
    assert cli(["brief", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.slow
def test_brief_names_its_steps(briefs, capsys):
    res = brief(REF, briefs["out"], "en", trials=TRIALS, progress=True, date="2025-01-02")
    err = capsys.readouterr().err
    for text in ("sweep 1/3: raid size ÷ engagement capacity", "sweep 2/3: fire units in Upper tier",
                 "sweep 3/3: pre-launch kill probability (counterstrike)",
                 f"drawing {res.pages} pages"):
        assert text in err


# --- "How sure are we" and "What drives the answer" ([uncertainty]) ------------------------

UQ_TABLE = """
[uncertainty]
"layers.upper.engage.BM.sspk" = { dist = "triangular", low = 0.5, mode = 0.7, high = 0.9 }
"layers.upper.interceptors_per_unit" = { dist = "uniform", low = 32, high = 96 }
"""


def _page_text(fig) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.fixture(scope="module")
def uq_brief_run(tmp_path_factory):
    """The reference scenario with two uncertain inputs, at small counts."""
    where = tmp_path_factory.mktemp("uqbrief")
    cfg = where / "ref_uq.toml"
    cfg.write_text(REF.read_text(encoding="utf-8") + UQ_TABLE, encoding="utf-8")
    out = where / "out"
    res = {lang: brief(cfg, out, lang, trials=300, progress=False, date="2025-01-02",
                       uq_samples=8, uq_trials=200) for lang in ("en", "ja")}
    return out, res


@pytest.mark.slow  # runs and draws the uncertainty pages
def test_uncertainty_pages_appear_exactly_when_the_scenario_has_uncertainty(briefs,
                                                                            uq_brief_run):
    from saturation_sim.report.i18n import Messages

    out, res = uq_brief_run
    for lang, r in res.items():
        msg = Messages(lang)
        texts = [_page_text(f) for f in r.page_figures]
        for heading in ("uq_heading", "drivers_heading"):
            assert sum(t.count(msg(heading)) for t in texts) >= 1, (lang, heading)
            assert f"## {msg(heading)}" in r.markdown.read_text(encoding="utf-8")
        # 2 inputs, N = 8: Sobol' takes 8 (2 + 2) = 32 runs, within the budget.
        stems = {f.name.split(".")[0] for f in r.figures}
        assert {"uncertainty_fan", "uncertainty_share", "sensitivity_sobol"} <= stems
    # Both languages share one uncertainty run and one sensitivity run.
    assert [p.name for p in (out / "uncertainty").iterdir()] == ["raid_ratio-n8-t200-s1"]
    assert [p.name for p in (out / "sensitivity").iterdir()] == ["sobol-n8-t200-s1"]
    # No [uncertainty]: no such page, no such run, no such figure.
    plain = briefs["en"]
    texts = "\n".join(_page_text(f) for f in plain.page_figures)
    assert MESSAGES["uq_heading"]["en"] not in texts
    assert MESSAGES["drivers_heading"]["en"] not in texts
    assert not (briefs["out"] / "uncertainty").exists()
    assert not any(f.name.startswith(("uncertainty", "sensitivity")) for f in plain.figures)


@pytest.mark.slow
def test_bottom_line_quotes_the_range_at_3x_and_the_assumptions_show_the_distributions(
        uq_brief_run):
    out, res = uq_brief_run
    doc = json.loads(next((out / "uncertainty").glob("*/uncertainty.json")).read_text())
    at3 = next(p for p in doc["points"] if p["value"] == 3.0)
    q = at3["outputs"]["leak_fraction"]["quantiles"]
    from saturation_sim.report.i18n import Messages

    msg = Messages("en")
    md = res["en"].markdown.read_text(encoding="utf-8")
    bottom = md.split("\n## ")[1]
    assert f"{msg.percent(q['p05'])} to {msg.percent(q['p95'])} leak at 3× (p05–p95 of 8 " \
        "combinations)" in bottom
    assert ("The verdict holds across that range." in bottom
            or "end the defence would be" in bottom or "end it would be" in bottom)
    # The sampled ranges replace the notes' ranges in the assumptions table.
    assert "SSPK 0.5–0.9, mode 0.7 (triangular)" in md
    assert "| Interceptors | 64 | per one of the fire units | — | 32–96 (uniform) |" in md


def test_verdict_across_the_range():
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.uq_brief import UqRuns, bottom_line_range

    def runs(lo, hi):
        q = {"p05": lo, "p25": lo, "p50": (lo + hi) / 2, "p75": hi, "p95": hi}
        return UqRuns({"samples": 64, "points": [{"value": 3.0, "outputs": {
            "leak_fraction": {"quantiles": q, "nominal": (lo + hi) / 2}}}]}, {})

    msg = Messages("en")
    held = bottom_line_range(runs(0.55, 0.9), 0.7, msg)
    assert "55% to 90%" in held and held.endswith("The verdict holds across that range.")
    spans = bottom_line_range(runs(0.3, 0.8), 0.6, msg)
    assert "At its favourable end the defence would be strained, not overwhelmed." in spans
    assert "unfavourable" not in spans and "holds" not in spans
    both = bottom_line_range(runs(0.1, 0.6), 0.3, msg)
    assert both.endswith("At its favourable end the defence would be holding up, not strained. "
                         "At its unfavourable end it would be overwhelmed, not strained.")
    assert bottom_line_range(None, 0.6, msg) == ""


def test_sobol_only_when_it_fits_the_run_budget():
    from saturation_sim.report.uq_brief import SOBOL_MAX_RUNS, sensitivity_method

    assert sensitivity_method(8, 64) == "sobol"  # doctrine_3x: 640 runs
    assert sensitivity_method(42, 64) == "oat"  # japan_illustrative: 2,816 runs
    assert 64 * 10 <= SOBOL_MAX_RUNS < 64 * 44
    assert sensitivity_method(42, 64, "sobol") == "sobol"


# --- the shipped briefs, page by page -------------------------------------------------------

def layout_problems(fig) -> list[str]:
    """Text that overlaps other text, leaves the figure, or leaves its table cell.

    Every visible, non-empty text artist is measured as drawn (tick labels only
    for ticks inside the view). Two boxes overlapping by more than a pixel each
    way, a box more than a pixel outside the figure, or a table cell's text
    (gid ``cell:<left>:<right>``) wider than its column is a problem.
    """
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = {id(t) for ax in fig.findobj(Axis) for t in ax.get_ticklabels(which="both")}
    shown = [axis for axis in fig.findobj(Axis)
             if axis.get_visible() and axis.axes.axison and axis.axes.get_visible()]
    drawn_ticks = [lab for axis in shown for tick in axis._update_ticks()
                   for lab in (tick.label1, tick.label2) if lab.get_visible() and lab.get_text()]
    texts = [t for t in fig.findobj(Text)
             if id(t) not in ticks and t.get_visible() and t.get_text().strip()
             and t.get_figure(root=True) is fig] + drawn_ticks
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    width, height = fig.bbox.width, fig.bbox.height
    problems = []
    for t, b in boxes:
        if b.x0 < -1 or b.y0 < -1 or b.x1 > width + 1 or b.y1 > height + 1:
            problems.append(f"outside the figure: {t.get_text()!r}")
        gid = t.get_gid() or ""
        if gid.startswith("cell:"):
            left, right = (float(v) * width for v in gid.split(":")[1:])
            if b.x0 < left - 1 or b.x1 > right + 1:
                problems.append(f"truncated in its cell: {t.get_text()!r}")
    for i, (t, a) in enumerate(boxes):
        for u, b in boxes[i + 1:]:
            if (min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1):
                problems.append(f"overlap: {t.get_text()!r} and {u.get_text()!r}")
    return problems


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped briefs in English and Japanese (few trials; same sweeps for both)."""
    out = {}
    for name in SHIPPED:
        where = tmp_path_factory.mktemp(name)
        for lang in ("en", "ja"):
            # Default input samples (so Sobol' or the tornado is chosen as in the shipped
            # brief), few trials per sample.
            out[name, lang] = brief(CONFIGS / f"{name}.toml", where, lang,
                                    trials=SHIPPED_TRIALS, progress=False, date="2025-01-02",
                                    uq_trials=SHIPPED_TRIALS)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_shipped_briefs_have_the_uncertainty_pages_where_the_file_has_uncertainty(
        shipped, name, lang):
    from saturation_sim import load_scenario
    from saturation_sim.report.i18n import Messages

    res = shipped[name, lang]
    msg = Messages(lang)
    sampled = bool(load_scenario(CONFIGS / f"{name}.toml").uncertainty)
    texts = [_page_text(f) for f in res.page_figures]
    for heading in ("uq_heading", "drivers_heading"):
        at = [i for i, t in enumerate(texts) if msg(heading) in t.split("\n")]
        assert len(at) == (1 if sampled else 0), heading
    stems = {f.name.split(".")[0] for f in res.figures}
    want = {"uncertainty_fan", "uncertainty_share"} if sampled else set()
    assert want <= stems
    assert bool({"sensitivity_tornado", "sensitivity_sobol"} & stems) == sampled


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_text_overlaps_leaves_the_page_or_its_cell(shipped, name, lang):
    from saturation_sim.report.style import page_number

    res = shipped[name, lang]
    problems = []
    for i, fig in enumerate(res.page_figures, 1):
        number = page_number(fig, f"{i} / {len(res.page_figures)}")  # as in the PDF
        problems += [f"page {i}: {p}" for p in layout_problems(fig)]
        number.remove()
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_pdf_page_carries_its_number_and_the_caveat(shipped, name, lang):
    from pypdf import PdfReader

    from saturation_sim import load_scenario
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.names import caveat

    res = shipped[name, lang]
    want = caveat(load_scenario(CONFIGS / f"{name}.toml"), Messages(lang))
    assert want  # every shipped config has a caveat
    pages = PdfReader(res.pdf).pages
    assert len(pages) == res.pages
    for i, page in enumerate(pages, 1):
        text = page.extract_text()
        assert f"{i} / {len(pages)}" in text, f"page {i}"
        assert want in text, f"page {i}"


def test_layout_check_finds_overlap_text_outside_and_text_out_of_its_cell():
    """The page check itself: it must fail on each kind of fault it looks for."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def page(*texts):
        fig = Figure(figsize=(6, 4))
        FigureCanvasAgg(fig)
        for x, y, s, gid in texts:
            fig.text(x, y, s, gid=gid)
        return fig

    assert layout_problems(page((0.1, 0.5, "left", None), (0.5, 0.5, "right", None))) == []
    assert layout_problems(page((0.1, 0.5, "one text", None), (0.12, 0.5, "another", None)))
    assert layout_problems(page((0.95, 0.5, "runs off the page", None)))
    assert layout_problems(page((0.1, 0.5, "a long cell text", "cell:0.1:0.2")))


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_headlines_use_display_names_not_identifiers(shipped, name, lang):
    from saturation_sim import load_scenario

    res = shipped[name, lang]
    s = load_scenario(CONFIGS / f"{name}.toml")
    md = res.markdown.read_text(encoding="utf-8")
    bottom = md.split("\n## ")[1]  # the bottom-line section
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.names import layer_label, threat_label

    msg = Messages(lang)
    labels = [threat_label(t, msg) for t in s.threats] + [layer_label(x, msg) for x in s.layers]
    for text in res.titles + [bottom]:
        for label in labels:  # an identifier may be a word of its own label ("battalion")
            text = text.replace(label, "")
        for ident in [t.name for t in s.threats] + [lay.name for lay in s.layers]:
            assert not re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", text), (ident, text)


# --- "Where the raid is aimed" ([[assets]], issue 17) ----------------------------------------

def _two_sites():
    """Two sites of values 2 and 1 with a point layer of 8 channels each, 12 warheads at
    once (SSPK 1): spread 6/6 nothing leaks; all on the more valuable site 4 leak."""
    from saturation_sim import Scenario

    kill = {"sspk": 1.0, "window_s": [0.0, 15.0]}
    point = {"fire_units": 1, "channels_per_unit": 8, "interceptors_per_unit": 64,
             "shots_per_engagement": 1, "flyout_s": 10.0, "engage": {"BM": kill}}
    return Scenario.from_dict({
        "name": "Two sites", "caveat": "ILLUSTRATIVE", "caveat_ja": "例示",
        "assets": [{"name": "naha", "label": "Naha air base (JASDF)", "label_ja": "那覇基地",
                    "value": 2.0}, {"name": "kadena", "label": "Kadena air base",
                                    "label_ja": "嘉手納基地"}],
        "threats": [{"name": "BM", "count": 12,
                     "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
        "layers": [{"name": "pa", "defends": ["naha"], **point},
                   {"name": "pb", "defends": ["kadena"], **point}]})


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_aim_page_and_figure_read_cleanly(tmp_path, lang):
    from saturation_sim.report import aim
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.style import footer_lines, use_style

    s, msg = _two_sites(), Messages(lang)
    result = aim.run(s, tmp_path, trials=30, seed=1)
    assert (tmp_path / "allocation" / "allocate-t30-s1.json").exists()
    assert aim.run(s, tmp_path, trials=30, seed=1).to_dict() == result.to_dict()  # read back
    n = aim.numbers(result, msg)
    assert (n["spread"].leakers_mean, n["worst"].leakers_mean, n["site"]) == (0.0, 4.0, "naha")
    assert n["site_worst"] == 12 / 8 and n["national"] == 12 / 16
    with use_style(lang):
        fig = aim.figure(result, msg, aim.footer(result, msg, "2025-01-02"))
        pages = aim.text_pages(result, msg)
        for page in pages:
            footer_lines(page, "footer", msg("none"))
        assert len(pages) == 1
        for f in [fig] + pages:
            assert layout_problems(f) == []
    text = _page_text(fig)
    assert "那覇基地" in text if lang == "ja" else "Naha air base (JASDF)" in text
    assert ("例示" if lang == "ja" else "ILLUSTRATIVE") in text  # the caveat, on the figure
    worst = [p for p in fig.findobj() if p.get_gid() == "leakers_worst"]
    assert [p.get_width() for p in worst] == [4.0, 0.0]
    assert msg("aim_heading") in _page_text(pages[0])
    rows = aim.table(result, msg).rows
    assert rows[0][-2:] == ["0", "4"] and rows[-1][2] == "16"


def test_aim_site_ratio_of_a_campaign_is_per_raid(tmp_path):
    """A 3-day campaign of the two sites: 36 warheads over the campaign, all on naha in
    the worst aim, against 8 engagements there: the site's ratio is one day's 12 / 8 =
    1.5, as the national ratio is one raid's 12 / 16 (it read 36 / 8 = 4.5)."""
    from saturation_sim import Scenario
    from saturation_sim.report import aim
    from saturation_sim.report.i18n import Messages

    d = _two_sites().to_dict()
    d["campaign"] = {"days": 3}
    result = aim.run(Scenario.from_dict(d), tmp_path, trials=20, seed=1)
    n = aim.numbers(result, Messages("en"))
    assert n["site"] == "naha" and n["worst"].targeted["naha"] == 36.0
    assert n["site_worst"] == 12 / 8 and n["site_spread"] == 6 / 8 and n["national"] == 12 / 16


def test_aim_pages_only_with_assets(tmp_path):
    from saturation_sim import load_scenario
    from saturation_sim.report.brief import _aim_pages
    from saturation_sim.report.i18n import Messages

    assert _aim_pages(load_scenario(REF), tmp_path, 10, 1, None, Messages("en"), None, "",
                      False) == ([], [], [], None)
    assert not (tmp_path / "allocation").exists()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_shipped_japan_brief_has_the_aim_page(shipped, lang):
    from saturation_sim.report.i18n import Messages

    msg, res = Messages(lang), shipped["japan_illustrative", lang]
    texts = [_page_text(f) for f in res.page_figures]
    assert sum(msg("aim_heading") in t.split("\n") for t in texts) == 1
    assert "allocation_sites" in {f.name.split(".")[0] for f in res.figures}
    assert f"## {msg('aim_heading')}" in res.markdown.read_text(encoding="utf-8")
    # the bottom line says what concentrating the raid does, on page 1 with the box
    site = "Okinawa" if lang == "en" else "沖縄"
    assert site in texts[0] and msg("naive_heading") in texts[0]
    for name in ("reference_3x", "doctrine_3x"):  # no [[assets]]: no such page
        assert not any(msg("aim_heading") in _page_text(f)
                       for f in shipped[name, lang].page_figures)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_aim_page_says_so_when_every_layer_is_an_area_defence(lang):
    """With only area layers, the aim page does not speak of point-defence units."""
    from saturation_sim import Scenario
    from saturation_sim.report import aim
    from saturation_sim.report.i18n import Messages
    from saturation_sim.sweep.allocation import allocate

    sc = Scenario.from_dict({
        "name": "area only", "assets": [{"name": "a", "value": 2.0}, {"name": "b"}],
        "threats": [{"name": "B", "count": 12, "targets": {"a": 0.5, "b": 0.5},
                     "launch": {"pattern": "simultaneous", "at_s": 0.0}}],
        "layers": [{"name": "area", "fire_units": 1, "channels_per_unit": 8,
                    "interceptors_per_unit": 100, "shots_per_engagement": 1, "flyout_s": 10.0,
                    "engage": {"B": {"sspk": 0.5, "window_s": [0.0, 10.0]}}}]})
    msg = Messages(lang)
    head = aim.words(allocate(sc, trials=200, seed=1), msg)[0]
    said, unsaid = {"en": ("Every layer here defends every site", "point-defence"),
                    "ja": ("どの層もすべての防護対象を守る", "拠点防衛")}[lang]
    assert said in head and unsaid not in head


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_of_an_assets_sweep_draws_leakers_per_site_and_damage(tmp_path, lang):
    """A sweep of a target share gets the per-site figure: one line per asset with the
    sweep's leakers there, the value-weighted damage, readable labels (no text overlaps
    or leaves the figure) and the key named in words."""
    from conftest import ROOT
    from saturation_sim.report import draw
    from saturation_sim.report.data import load_sweep
    from saturation_sim.report.i18n import Messages
    from saturation_sim.report.style import use_style
    from saturation_sim.sweep import sweep

    out = tmp_path / "aim"
    sweep(ROOT / "examples" / "two_sites.toml", ["threats.BM.targets.naha=0.25:0.75:0.25"],
          out, trials=500, progress=False)
    data = load_sweep(out)
    with use_style(lang):
        figs = dict(draw(data, Messages(lang), "footer"))
    fig = figs["assets"]
    for name in ("naha", "kadena"):
        line = next(a for ax in fig.axes for a in ax.get_children()
                    if a.get_gid() == f"asset:{name}")
        want = [p["result"]["by_asset"][name]["leakers_mean"] for p in data.points]
        assert list(line.get_ydata()) == pytest.approx(want)
    damage = next(a for ax in fig.axes for a in ax.get_children() if a.get_gid() == "damage")
    assert list(damage.get_ydata()) == pytest.approx(
        [p["result"]["damage"]["value_weighted_mean"] for p in data.points])
    assert "targets" not in fig.axes[0].get_xlabel()  # the key in words, not its path
    assert layout_problems(fig) == []
