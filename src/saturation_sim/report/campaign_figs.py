"""Campaign figures (issue 13): the days of a campaign, and spear versus shield over time.

A campaign scenario (``[campaign] days > 1``) gets, in the brief and from
:func:`campaign_figures`:

- ``campaign_days``: four panels: leakers per day with 95% bands, cumulative
  leakers, interceptors left per layer (loaded and in the depot), launchers alive;
- ``campaign_spear``: cumulative leakers of the shield alone, with counterstrike
  against launchers, and with the same money spent on interceptors instead.

Texts are the ``camp_*`` entries of the report's one catalogue
(:data:`.i18n.MESSAGES`). matplotlib is imported only inside the drawing
functions (through :mod:`.style`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from typing import Any, Sequence

import numpy as np

from ..engine.result import Z95, SimulationResult
from ..scenario import Scenario
from .i18n import Messages
from .names import caveat, layer_label, scenario_name, threat_label
from .provenance import scenario_hash
from .style import FIGSIZE, PALETTE, band, finish, integer_ticks

#: Counterstrike of the spear-versus-shield figure, when the scenario has none:
#: P(a launcher is destroyed at the end of a day). ASSUMPTION (range 0.02-0.3).
COUNTERSTRIKE_PER_DAY = 0.1
#: What that counterstrike is assumed to cost, in the scenario's cost unit (the
#: shipped configs use USD million): ASSUMPTION, about 500 cruise missiles at
#: USD 2 M each over the campaign (range 300-3,000). The shield's alternative
#: spends it on interceptors of the innermost layer that has a cost.
COUNTERSTRIKE_COST = 1000.0
#: Counterstrike and the shield alone leave "about as many" leakers when they differ
#: by less than this share of the shield's (or by no more than the trials' noise).
SAME_SHARE = 0.02


def _legend_above_the_lines(ax) -> None:
    """A legend in headroom made above the data: these panels' lines run flat across
    the whole width, so no corner of the plot is free for it."""
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.0) * 1.9)
    ax.legend(fontsize=8, loc="upper center", ncol=2, frameon=False)


def footer(result: SimulationResult, msg: Messages, date: _dt.date | str | None = None) -> str:
    """The provenance line of a campaign figure (as the sweep figures' footer)."""
    import saturation_sim

    return msg("camp_footer", scenario=scenario_name(result.scenario, msg),
               trials=msg.number(result.trials), seed=result.seed,
               version=saturation_sim.__version__, date=str(date or _dt.date.today()),
               hash=scenario_hash(result.scenario.to_dict()))


@dataclasses.dataclass
class CampaignRuns:
    """The runs behind the campaign figures.

    Attributes
    ----------
    shield : SimulationResult
        The scenario as written.
    spear : SimulationResult
        With ``launcher_kill_per_day`` set to :data:`COUNTERSTRIKE_PER_DAY` (or the
        scenario's own value, when it has one and it is the shield that is varied).
    buy : SimulationResult or None
        The scenario as written with :data:`COUNTERSTRIKE_COST` spent on
        ``buy_n`` more interceptors in the depot of layer ``buy_layer``; None when
        no layer has an interceptor cost.
    """

    shield: SimulationResult
    spear: SimulationResult
    buy: SimulationResult | None
    buy_layer: int | None
    buy_n: int
    kill_per_day: float


def run_campaign(scenario: Scenario, trials: int, seed: int = 1,
                 threads: int | None = None) -> CampaignRuns:
    """Simulate the shield, the spear and the equal-cost purchase (same trials and seed)."""
    from ..engine.driver import simulate

    if scenario.launcher_kill_per_day > 0.0:
        p = scenario.launcher_kill_per_day
        shield_sc = scenario.with_values({"campaign.launcher_kill_per_day": 0.0})
        spear_sc = scenario
    else:
        p = COUNTERSTRIKE_PER_DAY
        shield_sc = scenario
        spear_sc = scenario.with_values({"campaign.launcher_kill_per_day": p})
    shield = simulate(shield_sc, trials=trials, seed=seed, threads=threads)
    spear = simulate(spear_sc, trials=trials, seed=seed, threads=threads)
    costed = [li for li, lay in enumerate(shield_sc.layers) if lay.interceptor_cost]
    buy = None
    layer = costed[-1] if costed else None
    n = 0
    if layer is not None:
        lay = shield_sc.layers[layer]
        n = int(COUNTERSTRIKE_COST // lay.interceptor_cost)
        buy = simulate(shield_sc.with_values({f"layers.{lay.name}.depot": lay.depot + n}),
                       trials=trials, seed=seed, threads=threads)
    return CampaignRuns(shield, spear, buy, layer, n, p)


def _grid(rows: int, cols: int) -> tuple[Any, list[Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, layout="constrained")  # the size of every page
    FigureCanvasAgg(fig)
    return fig, list(fig.subplots(rows, cols, squeeze=False).ravel())


def _day_axis(ax: Any, msg: Messages) -> None:
    """Days 1, 2, ... along x; counts from 0 up."""
    ax.set_xlabel(msg("camp_day"))
    ax.set_ylim(bottom=0)
    integer_ticks(ax.xaxis)


def leakers_day_panel(ax: Any, result: SimulationResult, msg: Messages) -> None:
    """Mean leakers on each day of a campaign, with their 95% band, on ``ax``."""
    by = result.by_day()
    assert by is not None, "a campaign result"
    days = np.arange(1, result.scenario.days + 1)
    ci = np.asarray(by["leakers_ci95"])
    ax.plot(days, by["leakers_mean"], color=PALETTE[1], marker="o", ms=3, gid="leakers_day")
    band(ax, days, ci[:, 0], ci[:, 1], PALETTE[1], "leakers_day_band")
    ax.set_title(msg("camp_leak_day"), loc="left")
    _day_axis(ax, msg)


def days_panels(axes: Sequence[Any], result: SimulationResult, msg: Messages) -> None:
    """The four panels of a campaign's days (see the module docstring) on ``axes``:
    leakers per day, cumulative leakers, interceptors left, launchers alive."""
    sc = result.scenario
    by = result.by_day()
    assert by is not None, "a campaign result"
    days = np.arange(1, sc.days + 1)
    ax_day, ax_cum, ax_stock, ax_launch = axes
    leakers_day_panel(ax_day, result, msg)
    mean = np.asarray(by["leakers_mean"])
    ax_cum.plot(days, np.cumsum(mean), color=PALETTE[1], marker="o", ms=3, gid="leakers_cum")
    ax_cum.set_title(msg("camp_leak_cum"), loc="left")
    for li, lay in enumerate(sc.layers):
        d = by["by_layer"][lay.name]
        name = layer_label(lay, msg)
        color = PALETTE[(li + 2) % len(PALETTE)]
        ax_stock.plot(days, d["magazine_mean"], color=color,
                      label=msg("camp_loaded", layer=name))
        ax_stock.plot(days, d["depot_mean"], color=color, ls="--",
                      label=msg("camp_depot", layer=name))
    ax_stock.set_title(msg("camp_stock"), loc="left")
    _legend_above_the_lines(ax_stock)
    alive = by["launchers_alive_mean"]
    for g, t in enumerate(sc.threats):
        if t.name in alive:
            ax_launch.plot(days, alive[t.name], color=PALETTE[g % len(PALETTE)],
                           label=threat_label(t, msg))
    if alive:
        _legend_above_the_lines(ax_launch)
    else:
        ax_launch.text(0.5, 0.5, msg("camp_no_launchers"), ha="center", va="center",
                       transform=ax_launch.transAxes)
    ax_launch.set_title(msg("camp_launchers"), loc="left")
    for ax in (ax_cum, ax_stock, ax_launch):
        _day_axis(ax, msg)


def days_title(result: SimulationResult, msg: Messages) -> str:
    """The days figure's finding: leakers over the campaign and each layer's dry day."""
    sc = result.scenario
    dry = result.dry_days() or {}
    said = [msg("camp_dry_one", layer=layer_label(lay, msg), day=dry[lay.name])
            for lay in sc.layers if dry.get(lay.name) is not None]
    return msg("camp_days_title", total=msg.number(result.leakers_mean), days=sc.days,
               dry=msg("clause_sep").join(said) if said else msg("camp_dry_none"))


def days_figure(result: SimulationResult, msg: Messages, foot: str) -> Any:
    """The page of a campaign's days: :func:`days_panels`, titled by :func:`days_title`."""
    fig, axes = _grid(2, 2)
    days_panels(axes, result, msg)
    return finish(fig, days_title(result, msg), foot, caveat(result.scenario, msg) or "",
                  msg("camp_note_days"))


def _noise(a: SimulationResult, b: SimulationResult) -> float:
    """The half-width of a 95% interval for the difference of two mean leakers,
    as if independent: with common random numbers the runs are positively
    correlated, so the true half-width is smaller and this one errs towards
    calling a difference noise."""
    var = a.leakers_std ** 2 / a.trials + b.leakers_std ** 2 / b.trials
    return Z95 * math.sqrt(var)


def spear_title(runs: CampaignRuns, msg: Messages) -> str:
    """The counterstrike figure's title: leakers with and without counterstrike, and
    with the same money on interceptors; "about as many" when the first two are
    within :data:`SAME_SHARE` or the trials' noise (a title that ranked them would
    mislead)."""
    spear, shield = runs.spear, runs.shield
    buy = msg.number(runs.buy.leakers_mean) if runs.buy is not None else "–"
    numbers = dict(days=shield.scenario.days, spear=msg.number(spear.leakers_mean),
                   shield=msg.number(shield.leakers_mean), buy=buy)
    # "About as many": a difference the trials cannot tell from noise, or under
    # SAME_SHARE of the shield's leakers (real, but no reason to choose either).
    gap = abs(spear.leakers_mean - shield.leakers_mean)
    if gap > max(_noise(spear, shield), SAME_SHARE * shield.leakers_mean):
        return msg("camp_spear_title", **numbers)
    # Said why when it is so: counterstrike only spread the same missiles over more
    # days (launches equal within 0.5%, as when the inventory runs out either way).
    fired = [float(r.group_launched_mean.sum()) for r in (spear, shield)]
    why = (msg("camp_spear_same_why", launched=msg.number(fired[1]))
           if abs(fired[0] - fired[1]) <= 0.005 * fired[1] else "")
    return msg("camp_spear_same_title", why=why, **numbers)


def spear_figure(runs: CampaignRuns, msg: Messages, foot: str) -> Any:
    """Cumulative leakers: shield alone, with counterstrike, and the equal-cost purchase."""
    from .style import new_figure

    sc = runs.shield.scenario
    days = np.arange(1, sc.days + 1)
    fig, (ax,) = new_figure(1)
    lines = [(runs.shield, msg("camp_shield"), PALETTE[1], "shield"),
             (runs.spear, msg("camp_spear", p=msg.percent(runs.kill_per_day)), PALETTE[0],
              "spear")]
    if runs.buy is not None and runs.buy_layer is not None:
        lines.append((runs.buy, msg("camp_buy", n=msg.number(runs.buy_n),
                                    layer=layer_label(sc.layers[runs.buy_layer], msg)),
                      PALETTE[2], "buy"))
    for r, label, color, gid in lines:
        cum = np.cumsum(r.by_day()["leakers_mean"])
        ax.plot(days, cum, color=color, marker="o", ms=3, label=label, gid=gid)
    ax.set_ylabel(msg("camp_leak_cum"))
    _day_axis(ax, msg)
    ax.legend(loc="lower right")
    return finish(fig, spear_title(runs, msg), foot, caveat(sc, msg) or "",
                  msg("camp_note_spear", cost=msg.number(COUNTERSTRIKE_COST)))


def campaign_figures(runs: CampaignRuns, msg: Messages,
                     date: _dt.date | str | None = None) -> list[tuple[str, Any]]:
    """The campaign figures as ``(file stem, Figure)``; call inside :func:`style.use_style`."""
    foot = footer(runs.shield, msg, date)
    return [("campaign_days", days_figure(runs.shield, msg, foot)),
            ("campaign_spear", spear_figure(runs, msg, foot))]
