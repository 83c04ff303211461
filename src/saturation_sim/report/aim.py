"""The brief's "Where the raid is aimed" page, for scenarios with ``[[assets]]`` (issue 17).

The page sets the attacker's aims of :func:`saturation_sim.sweep.allocate`
side by side: warheads leaking at each site when the raid is spread evenly
(the ``uniform`` aim) and when it is concentrated (the defender's worst case
found), as grouped bars and as a short table, beside the raid ratio counted
nationally (every fire unit pooled) and at the site the concentrated raid hits
hardest (only the fire units that can defend it). A ratio that reads as
manageable nationally can be far beyond what one site's batteries can meet.

The allocation is run once per (scenario, trials, seed) and kept in
``DIR/allocation/`` so that the other language's brief reuses it. matplotlib
is imported only inside the drawing functions (through :mod:`.style`).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import numpy as np

from .._io import atomic_write_text
from ..scenario import Scenario
from ..sweep.allocation import (ALLOCATE_TRIALS, AllocationResult, Outcome, allocate,
                                site_capacity)
from .i18n import Messages
from .names import GLOSS_MARKS, caveat, scenario_name, short_label
from .provenance import NAME_CHARS, scenario_hash
from .style import FIGSIZE, FOOTER_SPACE, PALETTE, REFERENCE, finish, text_width, wrap
from .tables import Table

#: Half-width cells of a site's label per line on the figure's axis.
LABEL_CELLS = 30


def run(scenario: Scenario, out: Path, trials: int, seed: int,
        threads: int | None = None) -> AllocationResult:
    """The attacker strategies of the scenario, run or read back from ``out/allocation/``.

    At most :data:`~saturation_sim.sweep.allocation.ALLOCATE_TRIALS` trials per
    aim: the page ranks aims, it does not need the sweeps' precision.
    """
    trials = min(int(trials), ALLOCATE_TRIALS)
    path = Path(out) / "allocation" / f"allocate-t{trials}-s{seed}.json"
    if path.exists():
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("fingerprint") == scenario.fingerprint():
                return AllocationResult.from_dict(doc, scenario)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable or from another scenario: run again and replace it
    result = allocate(scenario, trials=trials, seed=seed, threads=threads)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(result.to_dict(), indent=1, allow_nan=False) + "\n")
    return result


def site_label(asset: dict[str, Any], msg: Messages) -> str:
    """A site's name for the reader (``label_ja`` in Japanese, else ``label``, else its name)."""
    text = (asset.get("label_ja") or asset.get("label")) if msg.lang == "ja" else asset.get("label")
    return text or asset["name"].replace("_", " ")


def strategy_label(strategy: str, msg: Messages) -> str:
    """``top_2`` -> "all on the 2 most valuable sites"; the others from the catalogue."""
    if strategy.startswith("top_"):
        k = int(strategy[4:])
        return msg("aim_top_1") if k == 1 else msg("aim_top_k", k=k)
    return msg(f"aim_{strategy}")


def hardest_hit(result: AllocationResult, outcome: Outcome) -> str:
    """The asset where ``outcome`` does the most value-weighted damage (first on ties)."""
    values = {a["name"]: a["value"] for a in result.assets}
    names = [a["name"] for a in result.assets]
    return max(names, key=lambda a: (values[a] * outcome.leakers[a], -names.index(a)))


def _ratio(aimed: float, capacity: int) -> float | None:
    return aimed / capacity if capacity > 0 else None


def _times(msg: Messages, r: float | None) -> str:
    return "–" if r is None else f"{msg.number(r, 1)}×"


def numbers(result: AllocationResult, msg: Messages) -> dict[str, Any]:
    """The page's numbers: spread and concentrated outcomes, the hardest-hit site, ratios."""
    sc = result.scenario
    spread = result.uniform or result.outcomes[0]
    worst = result.worst
    site = hardest_hit(result, worst)
    cap = site_capacity(sc)
    asset = next(a for a in result.assets if a["name"] == site)
    # A campaign's missiles aimed are totals over its days, while a capacity (and the
    # national ratio, one raid over it) is per raid: compare one day's aim with it.
    days = sc.days
    return {"spread": spread, "worst": worst, "site": site, "site_label": site_label(asset, msg),
            "capacity": cap, "national": sc.raid_ratio,
            "site_spread": _ratio(spread.targeted[site] / days, cap[site]),
            "site_worst": _ratio(worst.targeted[site] / days, cap[site])}


def table(result: AllocationResult, msg: Messages) -> Table:
    """Per site: value, capacity that can defend it, missiles aimed and warheads leaking,
    spread and concentrated."""
    n = numbers(result, msg)
    spread, worst, cap = n["spread"], n["worst"], n["capacity"]
    header = [msg("aim_col_site"), msg("aim_col_value"), msg("aim_col_capacity"),
              msg("aim_col_aimed_spread"), msg("aim_col_aimed_worst"),
              msg("aim_col_leak_spread"), msg("aim_col_leak_worst")]
    rows = []
    for a in result.assets:
        name = a["name"]
        rows.append([site_label(a, msg), msg.number(a["value"]), msg.number(cap[name]),
                     msg.number(spread.targeted[name]), msg.number(worst.targeted[name]),
                     msg.number(spread.leakers[name]), msg.number(worst.leakers[name])])
    rows.append([msg("aim_total"), "", msg.number(result.scenario.capacity),
                 msg.number(sum(spread.targeted.values())),
                 msg.number(sum(worst.targeted.values())),
                 msg.number(spread.leakers_mean), msg.number(worst.leakers_mean)])
    return Table(header, rows)


def words(result: AllocationResult, msg: Messages) -> list[str]:
    """The page's paragraphs: what concentration does, and how the aims were found."""
    n = numbers(result, msg)
    spread, worst = n["spread"], n["worst"]
    sc = result.scenario
    point = any(lay.defends is not None for lay in sc.layers)  # else only area layers
    head = msg("aim_intro" if point else "aim_intro_area", ratio=_times(msg, n["national"]),
               raid=msg.number(sc.raid_size), capacity=msg.number(sc.capacity),
               sites=msg.count("n_sites", len(result.assets)))
    if worst.strategy == spread.strategy or worst.damage_mean <= spread.damage_mean:
        finding = msg("aim_no_gain", leak=msg.number(spread.leakers_mean),
                      damage=msg.number(spread.damage_mean))
    else:
        one = msg.number(worst.leakers[n["site"]]) == msg.number(worst.leakers_mean)
        finding = msg("aim_finding_one" if one else "aim_finding",
                      spread_leak=msg.number(spread.leakers_mean),
                      spread_damage=msg.number(spread.damage_mean),
                      aim=strategy_label(worst.strategy, msg),
                      worst_leak=msg.number(worst.leakers_mean),
                      worst_damage=msg.number(worst.damage_mean),
                      site=n["site_label"], site_leak=msg.number(worst.leakers[n["site"]]),
                      site_ratio=_times(msg, n["site_worst"]),
                      national=_times(msg, n["national"]))
    sep = msg("name_sep")
    ks = [int(o.strategy[4:]) for o in result.outcomes if o.strategy.startswith("top_")]
    kinds = []
    for o in result.outcomes:  # the top-k aims said once, as their range of k
        if not o.strategy.startswith("top_"):
            kinds.append(strategy_label(o.strategy, msg))
        elif len(ks) == 1:
            kinds.append(strategy_label(o.strategy, msg))
        elif int(o.strategy[4:]) == ks[0]:
            kinds.append(msg("aim_top_range", lo=ks[0], hi=ks[-1]))
    tried = sep.join(dict.fromkeys(kinds))
    method = msg("aim_method", trials=msg.number(result.trials), seed=result.seed,
                 runs=msg.count("n_runs", result.evaluations), tried=tried)
    return [head, finding, method]


def bottom_line(result: AllocationResult, msg: Messages) -> tuple[float, str] | None:
    """``(warheads the worst aim adds to the even spread, the bottom line's sentence)``,
    or None when no aim tried does more damage than spreading the raid evenly."""
    n = numbers(result, msg)
    spread, worst = n["spread"], n["worst"]
    if worst.strategy == spread.strategy or worst.damage_mean <= spread.damage_mean:
        return None
    damage = (msg.number(worst.damage_mean / spread.damage_mean, 1)
              if spread.damage_mean > 0 else "–")
    return (worst.leakers_mean - spread.leakers_mean,
            msg("bl_aim", site=n["site_label"], worst=msg.number(worst.leakers_mean),
                spread=msg.number(spread.leakers_mean), damage=damage,
                national=_times(msg, n["national"]), site_ratio=_times(msg, n["site_worst"])))


def footer(result: AllocationResult, msg: Messages, date: _dt.date | str | None) -> str:
    """The provenance line of the aim figure (as every figure's footer)."""
    import saturation_sim

    name = scenario_name(result.scenario, msg)
    while text_width(name) > NAME_CHARS:  # as every figure's footer: the title has it whole
        name = name[:-2] + "…"
    return msg("aim_footer", scenario=name,
               trials=msg.number(result.trials), seed=result.seed,
               version=saturation_sim.__version__, date=str(date or _dt.date.today()),
               hash=scenario_hash(result.scenario.to_dict()))


def _label(text: str) -> str:
    """A label in lines of at most :data:`LABEL_CELLS` half-width cells, broken before
    its parenthesis first ("Tokyo area" / "(Ichigaya, Yokota, Yokosuka)")."""
    if text_width(text) <= LABEL_CELLS:
        return text
    for mark in GLOSS_MARKS:
        i = text.find(mark)
        if i > 0:
            return text[:i].rstrip() + "\n" + wrap(text[i:].lstrip(), LABEL_CELLS, text_width)
    return wrap(text, LABEL_CELLS, text_width)


def figure(result: AllocationResult, msg: Messages, foot: str) -> Any:
    """Grouped bars of leakers per site (spread, concentrated) beside the raid ratios."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = numbers(result, msg)
    spread, worst = n["spread"], n["worst"]
    fig = Figure(figsize=FIGSIZE, layout="constrained")
    FigureCanvasAgg(fig)
    ax, ax_r = fig.subplots(1, 2, width_ratios=(1.55, 1.0))
    names = [a["name"] for a in result.assets]
    y = np.arange(len(names))[::-1].astype(float)  # first site at the top
    h = 0.38
    top = 0.0
    for k, (o, label, color, gid) in enumerate(
            ((spread, msg("aim_spread_series"), PALETTE[0], "leakers_spread"),
             (worst, msg("aim_worst_series", aim=strategy_label(worst.strategy, msg)),
              PALETTE[1], "leakers_worst"))):
        mean = np.array([o.leakers[a] for a in names])
        ci = np.array([o.leakers_ci95[a] for a in names])
        err = np.vstack([mean - ci[:, 0], ci[:, 1] - mean]).clip(min=0.0)
        bars = ax.barh(y + (h / 2 if k == 0 else -h / 2), mean, height=h, color=color,
                       label=label, xerr=err, error_kw={"ecolor": "#333333", "lw": 1,
                                                        "capsize": 2})
        for patch in bars.patches:
            patch.set_gid(gid)
        top = max(top, float(ci[:, 1].max(initial=0.0)))
    ax.set_yticks(y, labels=[_label(site_label(a, msg)) for a in result.assets], fontsize=11)
    ax.set_xlabel(msg("aim_axis_leakers"))
    ax.set_xlim(0, max(top * 1.12, 1.0))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="best", fontsize=11)
    ax.set_title(msg("aim_panel_sites"), loc="left", fontsize=13.5)

    rows = [(msg("aim_ratio_national"), n["national"], REFERENCE, "ratio_national"),
            (msg("aim_ratio_site_spread", site=short_label(n["site_label"])), n["site_spread"],
             PALETTE[0], "ratio_site_spread"),
            (msg("aim_ratio_site_worst", site=short_label(n["site_label"])), n["site_worst"],
             PALETTE[1], "ratio_site_worst")]
    yr = np.arange(len(rows))[::-1].astype(float)
    vals = [0.0 if v is None else float(v) for _, v, _, _ in rows]
    for yy, (label, v, color, gid), val in zip(yr, rows, vals):
        ax_r.barh([yy], [val], height=0.55, color=color).patches[0].set_gid(gid)
        ax_r.text(val, yy, f" {_times(msg, v)}", va="center", ha="left", fontsize=11.5)
    ax_r.axvline(1.0, color=REFERENCE, linestyle=":", linewidth=1.4, gid="ratio_one")
    ax_r.set_yticks(yr, labels=[_label(r[0]) for r in rows], fontsize=11)
    ax_r.set_xlim(0, max(vals + [1.0]) * 1.35)
    ax_r.set_xlabel(msg("aim_axis_ratio"))
    ax_r.grid(axis="y", visible=False)
    ax_r.set_title(msg("aim_panel_ratio"), loc="left", fontsize=13.5)

    site_leak = msg.number(worst.leakers[n["site"]])
    if worst.damage_mean > spread.damage_mean:
        # All of the concentrated raid's leakers at one site: say it once.
        one = site_leak == msg.number(worst.leakers_mean)
        title = msg("aim_title_one" if one else "aim_title", site=n["site_label"],
                    site_leak=site_leak, worst_leak=msg.number(worst.leakers_mean),
                    spread_leak=msg.number(spread.leakers_mean),
                    national=_times(msg, n["national"]))
    else:
        title = msg("aim_title_no_gain", leak=msg.number(spread.leakers_mean))
    finish(fig, title, foot, caveat(result.scenario, msg), msg("aim_note"))
    # The layout leaves no margin right of the last panel for its last tick label.
    fig.get_layout_engine().set(rect=(0, FOOTER_SPACE, 0.975, 1 - FOOTER_SPACE))
    return fig


def markdown(result: AllocationResult, msg: Messages, figure_path: str,
             finding: str) -> list[str]:
    """brief.md's lines for the page, escaped like the rest of the brief."""
    from .markdown import escape, table as md_table

    intro, finding, method = words(result, msg)
    lines = [f"## {escape(msg('aim_heading'))}", ""]
    lines += [escape(intro), "", escape(finding), "", md_table(table(result, msg)), "",
              escape(method), ""]
    lines += [f"### {escape(finding)}", "", f"![{escape(finding)}]({figure_path})", ""]
    return lines


def text_pages(result: AllocationResult, msg: Messages) -> list[Any]:
    """The page before the figure: what concentration does, the per-site table, the method."""
    from . import pages
    from .style import PALETTE as _PALETTE

    intro, finding, method = words(result, msg)
    doc = pages.Document(lambda h: msg("continued", heading=h))
    doc.new_page()
    doc.text(msg("aim_heading"), 18, bold=True, gap=0.018, color=_PALETTE[0])
    doc.text(intro, 11.5, gap=0.012, spacing=1.25)
    doc.text(finding, 11.5, gap=0.016, spacing=1.25)
    doc.table(table(result, msg), size=10, gap=0.014)
    doc.text(method, 10, color=pages.MUTED, gap=0.0, spacing=1.2)
    return doc.pages
