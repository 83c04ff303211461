"""``brief``: the whole job end to end, from a scenario file to brief.pdf and brief.md.

It runs the sweeps a reader needs (raid ratio 0.25x to 5x; each layer's fire
units; counterstrike before launch) into ``DIR/sweeps/<name>-t<trials>-s<seed>/``, so a rerun
resumes them (and the other language's brief reuses them); draws the figures
into ``DIR/figures/``; and writes a PDF and its Markdown twin: page 1 the
bottom line and why the naive count misleads, page 2 the key numbers at 1x, 2x
and 3x capacity and the findings ranked by effect, then every input with its
unit, source and range (continued over pages), one figure per page, and the
model's limits. Every page carries its number and the scenario's caveat.
A scenario with an ``[uncertainty]`` table also gets "How sure are we" (the
fan chart over the raid ratio, the distribution of the share leaking at 3x)
and "What drives the answer" (Sobol' bars, or the tornado where Sobol' costs
too many runs), from runs under ``DIR/uncertainty/`` and ``DIR/sensitivity/``
(see :mod:`.uq_brief`); the bottom line then quotes the range at 3x.
A scenario with ``[[assets]]`` also gets "Where the raid is aimed": leakers per
site when the raid is spread evenly and when it is concentrated, beside the
national raid ratio (see :mod:`.aim`; the runs are kept under ``DIR/allocation/``).
English files are ``brief.pdf``/``brief.md``; Japanese ``brief.ja.pdf``/``brief.ja.md``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_path, atomic_write_text
from ..scenario import Scenario, load_scenario
from ..scenario.fields import quote_name
from ..engine import DEFAULT_SEED
from ..sweep import RAID_RATIO, SweepError, sweep
from . import bottom_line as bl
from . import curves, findings as fd, inputs, names, pages, tables
from . import uq_brief
from .data import SweepData
from .errors import ReportError
from .i18n import Messages, limits
from .markdown import brief_markdown
from .provenance import footer as make_footer, trials_text
from .style import footer_lines, page_number, save, use_style

#: Trials per sweep point unless told otherwise: the reference brief (about 50
#: points) then runs in seconds after compilation, with 95% CIs on mean leakers
#: of a few hundredths of a warhead.
BRIEF_TRIALS = 20_000
RAID_RATIOS = "0.25:5:0.25"  # 1, 2 and 3 are grid points: page 1 reads them directly
PRELAUNCH_KILLS = "0:0.9:0.1"
#: Findings listed on page 2, most important first (every figure's title gives its own).
PAGE_FINDINGS = 6
#: Most points of a fire-unit sweep.
MAX_LEVER_POINTS = 9


@dataclass
class PlannedSweep:
    """One sweep of the brief: its directory name, key and values."""

    name: str
    key: str
    values: str | list[int]
    data: SweepData | None = None
    label: str = ""  # the reader's name of the step, for progress


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
    #: Every page of the PDF as a Figure, in order (without its page number), so
    #: that tests can inspect the layout.
    page_figures: list[Any] = field(default_factory=list, repr=False)


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


def plan(scenario: Scenario, msg: Messages | None = None) -> list[PlannedSweep]:
    """The sweeps of the brief, in the order their figures appear."""
    msg = msg or Messages("en", campaign=scenario.is_campaign)
    out = []
    if scenario.capacity > 0:
        out.append(PlannedSweep("raid_ratio", RAID_RATIO, RAID_RATIOS))
    for i, lay in enumerate(scenario.layers):
        out.append(PlannedSweep(f"fire_units_{i + 1}_{_dirname(lay.name)}",
                                f"layers.{quote_name(lay.name)}.fire_units",
                                fire_unit_values(lay.fire_units)))
    out.append(PlannedSweep("prelaunch_kill", "counterstrike.prelaunch_kill", PRELAUNCH_KILLS))
    relabel(out, scenario, msg)
    return out


def relabel(planned: list[PlannedSweep], scenario: Scenario, msg: Messages) -> None:
    """Set each planned sweep's label (its key in words) in ``msg``'s language, in place."""
    for ps in planned:
        label = fd.key_label(ps.key, scenario, msg)
        ps.label = label[:1].lower() + label[1:] if msg.lang == "en" else label


def _show_progress(progress: bool | None) -> bool:
    return progress is True or (progress is None and sys.stderr.isatty())


def step(text: str, progress: bool | None) -> None:
    """Name the step the brief is on ("sweep 2/3: fire units in PAC-3") on stderr."""
    if _show_progress(progress):
        print(text, file=sys.stderr, flush=True)


def run_sweeps(scenario: Scenario, planned: list[PlannedSweep], root: Path, trials: int,
               seed: int | None, threads: int | None, progress: bool | None) -> None:
    """Run (or resume) every planned sweep under ``root``; fill in their data.

    Each sweep's directory names its trials and seed, so a rerun with other
    settings runs beside the earlier one instead of being refused.
    """
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else DEFAULT_SEED
    for n, ps in enumerate(planned, 1):
        step(f"sweep {n}/{len(planned)}: {ps.label}", progress)
        try:
            res = sweep(scenario, {ps.key: ps.values}, root / f"{ps.name}-t{trials}-s{seed}",
                        trials=trials, seed=seed, threads=threads, progress=progress)
        except SweepError as exc:
            raise ReportError(f"brief: sweep {ps.name}: {exc}") from None
        ps.data = SweepData.from_document(res.to_dict(), root / ps.name)


def brief(config: str | os.PathLike[str] | Scenario, out: str | os.PathLike[str],
          lang: str = "en", *, trials: int | None = None, seed: int | None = None,
          threads: int | None = None, progress: bool | None = None,
          date: _dt.date | str | None = None, uq_samples: int | None = None,
          uq_trials: int | None = None, sensitivity: str = "auto") -> BriefResult:
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
    uq_samples, uq_trials
        For a scenario with ``[uncertainty]``: input samples (and Sobol' base
        samples N) and trials per sample (defaults :data:`.uq_brief.UQ_SAMPLES`,
        :data:`.uq_brief.UQ_TRIALS`).
    sensitivity
        ``auto`` (Sobol' when it takes at most :data:`.uq_brief.SOBOL_MAX_RUNS`
        runs, else one at a time), ``sobol`` or ``oat``.

    Raises
    ------
    ReportError
        For an unusable output directory, a sweep directory holding another
        sweep (e.g. after editing the scenario), or a missing optional dependency.
    """
    t0 = time.perf_counter()
    scenario = config if isinstance(config, Scenario) else load_scenario(config)
    msg = Messages(lang, campaign=scenario.is_campaign)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file, not a directory")
    trials = BRIEF_TRIALS if trials is None else int(trials)
    planned = plan(scenario)
    with use_style(lang):  # checks matplotlib (and the Japanese font) before any sweep
        pass
    uq_brief.sensitivity_method(1, 1, sensitivity)  # a bad choice fails before any run
    run_sweeps(scenario, planned, out / "sweeps", trials, seed, threads, progress)
    uq = uq_brief.run(scenario, out, samples=uq_brief.UQ_SAMPLES if uq_samples is None
                      else int(uq_samples),
                      trials=uq_brief.UQ_TRIALS if uq_trials is None else int(uq_trials),
                      seed=planned[0].data.seed if planned[0].data is not None else DEFAULT_SEED,
                      threads=threads, progress=progress, method=sensitivity,
                      step=lambda text: step(text, progress))
    relabel(planned, scenario, msg)  # run with English progress lines; now the brief's language
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "en" else f".{lang}"
    with use_style(lang):
        figs = _figures(planned, msg, date, inputs.cost_unit(scenario, msg))
        if scenario.is_campaign:  # issue 13: the campaign page
            from . import campaign_figs

            figs += campaign_figs.campaign_figures(
                campaign_figs.run_campaign(scenario, trials, planned[0].data.seed, threads),
                msg, date)
        files = [p for name, fig in figs for p in save(fig, fig_dir / f"{name}{suffix}", ["png"])]
        first = planned[0].data
        assert first is not None
        foot = make_footer(first, msg, date)
        text = _text(scenario, planned, msg, trials_text(first, msg))
        rr = planned[0].data if planned[0].key == RAID_RATIO else None
        numbers = tables.key_numbers(rr, msg) if rr is not None else tables.Table([], [])
        levers = _levers(planned, figs, msg, inputs.cost_unit(scenario, msg))
        headline = figs[0][1].get_label()
        # Where the raid is aimed (scenarios with [[assets]]): run first, so that the
        # bottom line and the findings can weigh it against the other levers.
        aim_text, aim_figs, aim_md, aim_gain = _aim_pages(scenario, out, trials, first.seed,
                                                          threads, msg, date, suffix, progress)
        ranked_aim = ([(aim_gain[0], aim_figs[0][1].get_label())]
                      if aim_figs and aim_gain is not None else [])
        findings = bl.rank_findings(headline, [(_kind(name), fig.get_label())
                                               for name, fig in figs[1:]
                                               if not _is_lever(name, planned)], levers,
                                    ranked_aim)
        ranges = (None if uq is None
                  else lambda share: uq_brief.bottom_line_range(uq, share, msg))
        words = {"bottom": bl.bottom_line(rr, levers, scenario, msg, ranges,
                                          aim_gain[1] if aim_gain is not None else None),
                 "naive": bl.naive_box(rr, scenario, msg) if rr is not None else "",
                 "description": names.description(scenario, msg),
                 "caveat": names.caveat(scenario, msg),
                 "ranged": "yes" if uq is not None else ""}
        assumptions = inputs.inputs_table(scenario, msg)
        doc = _text_pages(msg, text, words, numbers, findings, assumptions,
                          bool(scenario.uncertainty))
        uq_pages, uq_figs, uq_md = _uq_pages(uq, scenario, msg, words["caveat"], suffix)
        files += [p for name, fig in uq_figs for p in save(fig, fig_dir / f"{name}{suffix}",
                                                            ["png"])]
        files += [p for name, fig in aim_figs for p in save(fig, fig_dir / f"{name}{suffix}",
                                                             ["png"])]
        limits = _limits_pages(msg, scenario)
        all_pages = (doc.pages + [f for _, f in figs] + aim_text + [f for _, f in aim_figs]
                     + uq_pages + limits.pages)
        for fig in doc.pages + aim_text + limits.pages + [p for p in uq_pages
                                                          if p not in [f for _, f in uq_figs]]:
            footer_lines(fig, foot, words["caveat"])
        pdf = out / f"brief{suffix}.pdf"
        n_pages = _write_pdf(pdf, all_pages, text["title"], msg, progress)
    md = out / f"brief{suffix}.md"
    atomic_write_text(md, brief_markdown(scenario, msg, text, words, numbers, findings,
                                         assumptions,
                                         [(fig.get_label(), f"figures/{name}{suffix}.png")
                                          for name, fig in figs], foot, aim_md + uq_md))
    return BriefResult(pdf, md, files, planned, n_pages, trials, time.perf_counter() - t0,
                       [fig.get_label() for _, fig in figs + aim_figs + uq_figs], all_pages)


def _is_lever(name: str, planned: list[PlannedSweep]) -> bool:
    return any(p.name == name and p.key != RAID_RATIO for p in planned)


def _kind(name: str) -> str:
    """``raid_ratio_layers`` -> ``layers``: the kind of a raid-ratio figure."""
    return name.rsplit("_", 1)[-1]


def _levers(planned: list[PlannedSweep], figs: list[tuple[str, Any]], msg: Messages,
            unit: str) -> list[bl.Lever]:
    titles = dict((name, fig.get_label()) for name, fig in figs)
    out = []
    for ps in planned:
        if ps.key != RAID_RATIO and ps.data is not None and ps.name in titles:
            lv = bl.lever(ps.data, ps.key, msg, titles[ps.name], unit)
            if lv is not None:
                out.append(lv)
    return out


def _text_pages(msg: Messages, text: dict[str, Any], words: dict[str, str],
                numbers: tables.Table, findings: list[str],
                assumptions: tables.Table, sampled: bool = False) -> pages.Document:
    """Page 1 (bottom line), page 2 (key numbers, findings), then the assumptions."""
    from .style import PALETTE

    def page_one(size: float) -> pages.Document:
        doc = pages.Document(lambda h: msg("continued", heading=h))
        doc.new_page()
        doc.text(text["title"], 19, bold=True, gap=0.012)
        if words["caveat"]:
            doc.text(words["caveat"], 13, color="#B2182B", bold=True, gap=0.025)
        doc.text(msg("bottom_line"), 16, bold=True, gap=0.012, color=PALETTE[0])
        doc.text(words["bottom"], size, gap=0.03 if size >= 13.5 else 0.025,
                 spacing=1.35 if size >= 13.5 else 1.3)
        if words["naive"]:
            doc.box(msg("naive_heading"), words["naive"], size=size - 1.0 if size < 13.5
                    else 12.5)
        return doc

    # A longer bottom line (ranges, where the raid is aimed) is set a little smaller,
    # so that it and the box stay on page 1 (never below 11 pt).
    for size in (13.5, 13.0, 12.5, 12.0, 11.5, 11.0):
        doc = page_one(size)
        if len(doc.pages) == 1:
            break
    doc.new_page()
    doc.heading = ""
    if numbers.rows:
        doc.text(msg("key_numbers"), 16, bold=True, gap=0.012)
        doc.table(numbers, size=12, gap=0.025)
    doc.text(msg("findings"), 16, bold=True, gap=0.012)
    doc.bullets(findings[:PAGE_FINDINGS], 12, gap=0.01)
    if len(findings) > PAGE_FINDINGS:
        doc.text(msg("findings_more", n=len(findings) - PAGE_FINDINGS), 11, color=pages.MUTED,
                 gap=0.01)
    doc.text("\n".join(text["lines"]), 10.5, color=pages.MUTED, gap=0.0)
    doc.new_page()
    doc.text(msg("assumptions"), 18, bold=True, gap=0.012)
    if words["description"]:
        doc.text(words["description"], 11.5, color=pages.INK, gap=0.02)
    doc.text(msg("assumptions_note"), 10.5, color=pages.MUTED,
             gap=0.008 if sampled else 0.02)
    if sampled:
        doc.text(msg("assumptions_note_uq"), 10.5, color=pages.MUTED, gap=0.02)
    # The notes take what the rest leave; a sampled range names its distribution.
    caps = (0.2, 0.16, 0.13, 0.1, 0.15 if sampled else 0.07, 1.0)
    doc.table(assumptions, size=9.5, caps=caps[:len(assumptions.header)])
    return doc


def _uq_pages(uq: uq_brief.UqRuns | None, scenario: Scenario, msg: Messages, caveat: str,
              suffix: str) -> tuple[list[Any], list[tuple[str, Any]], list[str]]:
    """"How sure are we" and "What drives the answer": (pages in order, their figures as
    ``(file stem, Figure)``, brief.md lines). Nothing without ``[uncertainty]``."""
    from .style import PALETTE
    from .tables import markdown

    if uq is None:
        return [], [], []
    sure_figs, driver_figs = uq_brief.figures(uq, scenario, msg.lang, caveat)
    md: list[str] = []
    doc = pages.Document(lambda h: msg("continued", heading=h))
    doc.new_page()
    doc.text(msg("uq_heading"), 18, bold=True, gap=0.02, color=PALETTE[0])
    words = uq_brief.sure_words(uq, msg)
    for para in words:
        doc.text(para, 12, gap=0.014, spacing=1.25)
    table = uq_brief.range_table(uq.uncertainty, msg)
    md += [f"## {msg('uq_heading')}", ""] + [w + "\n" for w in words]
    if table.rows:
        doc.text(msg("uq_table_caption"), 11.5, bold=False, gap=0.008, color=pages.MUTED)
        doc.table(table, size=11.5, gap=0.02)
        md += [msg("uq_table_caption"), "", markdown(table), ""]
    doc.text(msg("uq_independent"), 10.5, color=pages.MUTED, gap=0.0)
    md += [msg("uq_independent"), ""]
    md += [line for name, fig in sure_figs for line in
           (f"### {fig.get_label()}", "", f"![{fig.get_label()}](figures/{name}{suffix}.png)", "")]
    first = doc.pages + [f for _, f in sure_figs]
    doc2 = pages.Document(lambda h: msg("continued", heading=h))
    doc2.new_page()
    doc2.text(msg("drivers_heading"), 18, bold=True, gap=0.02, color=PALETTE[0])
    intro, items, notes = uq_brief.driver_words(uq, scenario, msg,
                                                uq_brief.input_label(scenario, msg.lang))
    doc2.text(intro, 12.5, gap=0.015, spacing=1.3)
    if items:
        doc2.bullets(items, 12, gap=0.015)
    for note in notes:
        doc2.text(note, 11.5, gap=0.012, color=pages.MUTED, spacing=1.25)
    md += [f"## {msg('drivers_heading')}", "", intro, ""] + [f"- {i}" for i in items] + [""]
    md += [n + "\n" for n in notes]
    md += [line for name, fig in driver_figs for line in
           (f"### {fig.get_label()}", "", f"![{fig.get_label()}](figures/{name}{suffix}.png)", "")]
    return (first + doc2.pages + [f for _, f in driver_figs], sure_figs + driver_figs, md)


def _aim_pages(scenario: Scenario, out: Path, trials: int, seed: int, threads: int | None,
               msg: Messages, date: _dt.date | str | None, suffix: str,
               progress: bool | None
               ) -> tuple[list[Any], list[tuple[str, Any]], list[str], tuple[float, str] | None]:
    """"Where the raid is aimed" (issue 17): (text pages, the figure as ``(file stem,
    Figure)``, brief.md lines, and ``(leakers added by the worst aim, the bottom
    line's sentence)`` or None when no aim does more damage than the even spread).
    Nothing for a scenario without ``[[assets]]``."""
    if not scenario.assets:
        return [], [], [], None
    from . import aim

    step(msg("aim_step", sites=msg.count("n_sites", len(scenario.assets))), progress)
    result = aim.run(scenario, out, trials, seed, threads)
    fig = aim.figure(result, msg, aim.footer(result, msg, date))
    stem = "allocation_sites"
    md = aim.markdown(result, msg, f"figures/{stem}{suffix}.png", fig.get_label())
    return aim.text_pages(result, msg), [(stem, fig)], md, aim.bottom_line(result, msg)


def _limits_pages(msg: Messages, scenario: Scenario) -> pages.Document:
    from .style import PALETTE

    doc = pages.Document(lambda h: msg("continued", heading=h))
    doc.new_page()
    doc.text(msg("limits"), 17, bold=True, gap=0.025)
    for item in limits(msg, scenario):
        head, _, rest = item.partition("。" if msg.lang == "ja" else ". ")
        doc.text(head + ("。" if msg.lang == "ja" else "."), 12, bold=True, gap=0.002,
                 keep_heading=True, color=PALETTE[0])
        doc.text(rest, 11.5, gap=0.016, indent=0.02, width=pages.WIDTH - 0.02,
                 spacing=1.2)
    return doc


def _figures(planned: list[PlannedSweep], msg: Messages, date: _dt.date | str | None,
             cost_unit: str) -> list[tuple[str, Any]]:
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
            out.append((ps.name, curves.lever_figure(data, ps.key, msg, foot, cost_unit)))
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
    return {"title": msg("brief_title", scenario=names.scenario_name(scenario, msg)),
            "lines": lines,
            "sweeps": sweeps}


def _write_pdf(path: Path, figs: list[Any], title: str, msg: Messages,
               progress: bool | None) -> int:
    """Write the pages, each with its number ("3 / 10") added for the PDF only."""
    from matplotlib.backends.backend_pdf import PdfPages

    import saturation_sim

    meta = {"Title": title, "Creator": f"saturation-sim {saturation_sim.__version__}",
            "CreationDate": None}
    bar = None
    if _show_progress(progress):
        from tqdm import tqdm

        bar = tqdm(total=len(figs), unit="page", file=sys.stderr, dynamic_ncols=True,
                   desc=f"drawing {len(figs)} pages")
    # Written beside brief.pdf and renamed over it only when whole: a full disk
    # leaves the previous brief, never a truncated one.
    with atomic_path(path) as tmp, PdfPages(tmp, metadata=meta) as pdf:
        for i, fig in enumerate(figs, 1):
            number = page_number(fig, msg("page_number", i=i, n=len(figs)))
            pdf.savefig(fig)
            number.remove()  # the figure file stays without a page number
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
        return pdf.get_pagecount()
