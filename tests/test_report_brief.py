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
#: Reference: 2 text pages, then raid ratio (leakage, probability, layers; no costs),
#: one fire-unit lever and the counterstrike lever.
REF_PAGES = 2 + 3 + 1 + 1


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

    names = [(p.name, p.key) for p in plan(load_scenario(REF))]
    assert names == [("raid_ratio", "raid_ratio"), ("fire_units_1_upper",
                                                     "layers.upper.fire_units"),
                     ("prelaunch_kill", "counterstrike.prelaunch_kill")]
    assert fire_unit_values(1) == list(range(9))
    vals = fire_unit_values(24)
    assert vals[0] == 0 and 24 in vals and vals[-1] >= 96 and len(vals) <= 10


@pytest.mark.slow
def test_brief_pdf_has_the_expected_pages(briefs):
    assert briefs["en"].pages == REF_PAGES
    assert pdf_pages(briefs["en_pdf"]) == REF_PAGES
    assert pdf_pages(briefs["ja"].pdf.read_bytes()) == REF_PAGES
    assert len(briefs["en"].figures) == REF_PAGES - 2
    assert all(f.exists() and f.suffix == ".png" for f in briefs["en"].figures)


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
        assert f"| {r:g}× | {res['raid_size']} | {res['leakers']['mean']:.2f} [{lo:.2f}, {hi:.2f}]" \
            in md
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(links) == REF_PAGES - 2
    assert all((out / link).exists() for link in links)
    assert briefs["en"].titles[0] in md


@pytest.mark.slow
def test_japanese_brief_embeds_a_cjk_font_and_english_does_not_need_one(briefs):
    ja_pdf = briefs["ja"].pdf.read_bytes()
    assert b"IPAexGothic" in ja_pdf  # matplotlib-fontja's font, embedded (Type 42)
    assert b"FontFile2" in ja_pdf
    assert b"IPAexGothic" not in briefs["en_pdf"]
    md = briefs["ja"].markdown.read_text(encoding="utf-8")
    assert MESSAGES["key_numbers"]["ja"] in md and "各点 2,000 回試行" in md


@pytest.mark.slow
def test_rerun_resumes_the_sweeps(briefs):
    assert briefs["n_points"] == 20 + 9 + 10
    assert briefs["resumed"]


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
