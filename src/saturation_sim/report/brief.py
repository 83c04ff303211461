"""``brief``: the whole job end to end, from a scenario file to brief.pdf and brief.md.

It runs the sweeps a reader needs (raid ratio 0.25x to 5x; each layer's fire
units; counterstrike before launch) into ``DIR/sweeps/<name>-t<trials>-s<seed>/``, so a rerun
resumes them; draws the figures into ``DIR/figures/``; and writes a PDF whose
first page gives the key numbers at 1x, 2x and 3x capacity, the second the
scenario, then one figure per page, and the same in Markdown.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenario import Scenario, load_scenario
from ..engine import DEFAULT_SEED
from ..sweep import RAID_RATIO, SweepError, sweep
from . import curves, pages, tables
from .data import SweepData
from .errors import ReportError
from .i18n import Messages
from .markdown import brief_markdown
from .provenance import footer as make_footer, trials_text
from .style import save, use_style

#: Trials per sweep point unless told otherwise: the reference brief (about 50
#: points) then runs in seconds after compilation, with 95% CIs on mean leakers
#: of a few hundredths of a warhead.
BRIEF_TRIALS = 20_000
RAID_RATIOS = "0.25:5:0.25"  # 1, 2 and 3 are grid points: page 1 reads them directly
PRELAUNCH_KILLS = "0:0.9:0.1"
#: Most points of a fire-unit sweep.
MAX_LEVER_POINTS = 9


@dataclass
class PlannedSweep:
    """One sweep of the brief: its directory name, key and values."""

    name: str
    key: str
    values: str | list[int]
    data: SweepData | None = None


@dataclass
class BriefResult:
    """What ``brief`` wrote, and how long it took."""

    pdf: Path
    markdown: Path
    figures: list[Path]
    sweeps: list[PlannedSweep]
    pages: int
    trials: int
    elapsed_s: float
    titles: list[str] = field(default_factory=list)


def fire_unit_values(n: int) -> list[int]:
    """Fire units to sweep for a layer that has ``n``: from 0 to at least 4n (8 at least).

    A 3x raid needs about three times the fire units to be met one for one;
    4n shows whether that is enough. The layer's own ``n`` is always a point.
    """
    hi = max(4 * n, 8)
    step = max(1, math.ceil(hi / (MAX_LEVER_POINTS - 1)))
    return sorted(set(range(0, hi + 1, step)) | {n})


def _dirname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "layer"


def plan(scenario: Scenario) -> list[PlannedSweep]:
    """The sweeps of the brief, in the order their figures appear."""
    out = []
    if scenario.capacity > 0:
        out.append(PlannedSweep("raid_ratio", RAID_RATIO, RAID_RATIOS))
    for i, lay in enumerate(scenario.layers):
        out.append(PlannedSweep(f"fire_units_{i + 1}_{_dirname(lay.name)}",
                                f"layers.{lay.name}.fire_units", fire_unit_values(lay.fire_units)))
    out.append(PlannedSweep("prelaunch_kill", "counterstrike.prelaunch_kill", PRELAUNCH_KILLS))
    return out


def run_sweeps(scenario: Scenario, planned: list[PlannedSweep], root: Path, trials: int,
               seed: int | None, threads: int | None, progress: bool | None) -> None:
    """Run (or resume) every planned sweep under ``root``; fill in their data.

    Each sweep's directory names its trials and seed, so a rerun with other
    settings runs beside the earlier one instead of being refused.
    """
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else DEFAULT_SEED
    for ps in planned:
        try:
            res = sweep(scenario, {ps.key: ps.values}, root / f"{ps.name}-t{trials}-s{seed}",
                        trials=trials, seed=seed, threads=threads, progress=progress)
        except SweepError as exc:
            raise ReportError(f"brief: sweep {ps.name}: {exc}") from None
        ps.data = SweepData.from_document(res.to_dict(), root / ps.name)


def brief(config: str | os.PathLike[str] | Scenario, out: str | os.PathLike[str],
          lang: str = "en", *, trials: int | None = None, seed: int | None = None,
          threads: int | None = None, progress: bool | None = None,
          date: _dt.date | str | None = None) -> BriefResult:
    """Run the brief's sweeps, draw its figures, write brief.pdf and brief.md into ``out``.

    Parameters
    ----------
    config
        Scenario file or Scenario.
    out
        Output directory: ``brief.pdf``, ``brief.md``, ``figures/``, ``sweeps/``.
    lang
        ``"en"`` or ``"ja"``.
    trials
        Trials per sweep point (default :data:`BRIEF_TRIALS`).
    seed, threads, progress
        As for :func:`saturation_sim.sweep.sweep`.
    date
        Date in footers (default: today).

    Raises
    ------
    ReportError
        For an unusable output directory, a sweep directory holding another
        sweep (e.g. after editing the scenario), or a missing optional dependency.
    """
    t0 = time.perf_counter()
    try:
        msg = Messages(lang)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    scenario = config if isinstance(config, Scenario) else load_scenario(config)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file, not a directory")
    trials = BRIEF_TRIALS if trials is None else int(trials)
    planned = plan(scenario)
    with use_style(lang):  # checks matplotlib (and the Japanese font) before any sweep
        pass
    run_sweeps(scenario, planned, out / "sweeps", trials, seed, threads, progress)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    with use_style(lang):
        figs = _figures(planned, msg, date)
        files = [p for name, fig in figs for p in save(fig, fig_dir / name, ["png"])]
        first = planned[0].data
        foot = make_footer(first, msg, date)
        text = _text(scenario, planned, msg, trials_text(first, msg))
        numbers = (tables.key_numbers(planned[0].data, msg)
                   if planned[0].key == RAID_RATIO else tables.Table([], []))
        findings = [fig.get_label() for _, fig in figs[1:]]
        headline = figs[0][1].get_label()
        cover = pages.key_numbers_page(text["title"], headline, text["lines"], numbers,
                                       msg("key_numbers"), findings, foot)
        scen = pages.scenario_page(f"{msg('scenario_table')}: {scenario.name}",
                                   scenario.description,
                                   tables.scenario_tables(scenario, msg), foot)
        pdf = out / "brief.pdf"
        n_pages = _write_pdf(pdf, [cover, scen] + [f for _, f in figs], text["title"])
    md = out / "brief.md"
    md.write_text(brief_markdown(scenario, msg, text, headline, numbers, findings,
                                 [(fig.get_label(), f"figures/{name}.png") for name, fig in figs],
                                 foot), encoding="utf-8")
    return BriefResult(pdf, md, files, planned, n_pages, trials, time.perf_counter() - t0,
                       [fig.get_label() for _, fig in figs])


def _figures(planned: list[PlannedSweep], msg: Messages,
             date: _dt.date | str | None) -> list[tuple[str, Any]]:
    """The brief's figures as ``(file stem, Figure)``: raid ratio in full, then one per lever."""
    out = []
    for ps in planned:
        data = ps.data
        assert data is not None
        foot = make_footer(data, msg, date)
        if ps.key == RAID_RATIO:
            for kind, draw in (("leakage", curves.leakage_figure),
                               ("probability", curves.probability_figure),
                               ("layers", curves.layers_figure), ("cost", curves.cost_figure)):
                fig = draw(data, ps.key, msg, foot)
                if fig is not None:
                    out.append((f"{ps.name}_{kind}", fig))
        else:
            out.append((ps.name, curves.lever_figure(data, ps.key, msg, foot)))
    return out


def _text(scenario: Scenario, planned: list[PlannedSweep], msg: Messages,
          trials: str) -> dict[str, Any]:
    """Title and method lines shared by the PDF's first page and brief.md."""
    seed = planned[0].data.seed if planned[0].data is not None else "?"
    lines = [msg("brief_method", trials=trials, seed=seed, capacity=msg.number(scenario.capacity))]
    if scenario.raid_ratio is None:
        lines.append(msg("no_capacity"))
    else:
        lines.append(msg("brief_as_written", raid=msg.number(scenario.raid_size),
                         ratio=msg.number(scenario.raid_ratio, 2)))
    # Where the sweeps are is for brief.md (beside them), not for a slide.
    sweeps = msg("sweeps_note", dir="sweeps/", names=", ".join(p.name for p in planned))
    return {"title": msg("brief_title", scenario=scenario.name), "lines": lines,
            "sweeps": sweeps}


def _write_pdf(path: Path, figs: list[Any], title: str) -> int:
    from matplotlib.backends.backend_pdf import PdfPages

    import saturation_sim

    meta = {"Title": title, "Creator": f"saturation-sim {saturation_sim.__version__}",
            "CreationDate": None}
    with PdfPages(path, metadata=meta) as pdf:
        for fig in figs:
            pdf.savefig(fig)
        return pdf.get_pagecount()
