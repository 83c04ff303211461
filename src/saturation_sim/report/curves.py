"""Figures of a one-key sweep: leakage, probabilities, layers, cost exchange, levers.

Each function returns a finished Figure (title = finding, footer = provenance).
Every plotted series carries a ``gid`` (``leakers_mean``, ``p_at_least_5``,
``interceptors:upper``, ...) and its 95% band the same ``gid`` plus ``_ci``, so
tests and scripts can read the numbers back from the axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..sweep import RAID_RATIO
from . import findings as fd
from .data import SweepData, nice_ks
from .i18n import Messages
from .style import (PALETTE, REFERENCE, band, ci_legend, ci_note, embolden, figure_legend,
                    finish, new_figure, percent_axis)


def _line(ax: Any, x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
          color: str, gid: str, label: str | None = None) -> float:
    """A series with markers over its 95% band; returns the band's widest extent."""
    band(ax, x, lo, hi, color, f"{gid}_ci")
    (line,) = ax.plot(x, y, color=color, marker="o", label=label)
    line.set_gid(gid)
    width = np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float)
    return float(np.nanmax(width[np.isfinite(width)], initial=0.0))


def _x_axis(ax: Any, data: SweepData, key: str, msg: Messages) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_xlabel(fd.key_label(key, data.scenario, msg))
    if key == RAID_RATIO:
        ax.set_xlim(left=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Label in data x and axes-fraction y, just above the frame: never on a curve.
        ax.axvline(fd.FOCUS_RATIO, color=REFERENCE, linestyle=":", linewidth=1.4, zorder=1,
                   gid="focus_ratio")
        ax.text(fd.FOCUS_RATIO, 1.0, msg("three_x"), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=11.5, color=REFERENCE)
    elif all(float(v).is_integer() for v in data.values(key)):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def leakage_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """Mean leakers, and the share of warheads leaking, against the swept key.

    For ``raid_ratio`` the share panel adds the naive deterministic count
    ``max(0, 1 - 1/r)``: every engagement of the nominal capacity kills one missile.
    """
    x = data.x(key)
    mean, lo, hi = data.leakers()
    w = data.warheads()
    with np.errstate(divide="ignore", invalid="ignore"):
        share, s_lo, s_hi = (np.where(w > 0, v / w, 0.0) for v in (mean, lo, hi))
    fig, (ax1, ax2) = new_figure(2)
    width = _line(ax1, x, mean, lo, hi, PALETTE[0], "leakers_mean", msg("monte_carlo"))
    ax1.set_ylabel(msg("leakers_mean"))
    ax1.set_ylim(bottom=0)
    ax1.set_title(msg("panel_leakers"))
    ci_legend(ax1, msg, [width], loc="best")
    _line(ax2, x, share, s_lo, s_hi, PALETTE[0], "leak_fraction", msg("monte_carlo"))
    if key == RAID_RATIO:
        r = np.linspace(max(np.nanmin(x), 1e-3), np.nanmax(x), 400)
        (naive,) = ax2.plot(r, np.maximum(0.0, 1.0 - 1.0 / r), color=REFERENCE, linestyle="--",
                            linewidth=1.8, label=msg("naive"))
        naive.set_gid("naive")
        i = fd.focus_index(key, x, data.scenario)
        embolden(ax2.annotate(msg.percent(share[i]), (x[i], share[i]), xytext=(-12, 10),
                              textcoords="offset points", ha="right", fontsize=13,
                              color=PALETTE[0]))
        ax2.legend(loc="upper left")
    percent_axis(ax2)
    ax2.set_ylabel(msg("leak_fraction"))
    ax2.set_title(msg("panel_fraction"))
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    title = fd.leakage_title(key, x, mean, w, data.scenario, msg)
    return finish(fig, title, footer)


def probability_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """P(at least one leaker) and P(at least k) for a few k, with Wilson 95% bands."""
    x = data.x(key)
    mean, _, _ = data.leakers()
    fig, (ax,) = new_figure(1)
    widths = []
    for j, k in enumerate(nice_ks(float(np.nanmax(mean)))):
        p, lo, hi = data.p_at_least(k)
        label = msg("p_at_least_1") if k == 1 else msg("p_at_least_k", k=k)
        widths.append(_line(ax, x, p, lo, hi, PALETTE[j % len(PALETTE)], f"p_at_least_{k}",
                            label))
    percent_axis(ax)
    ax.set_ylabel(msg("probability"))
    # Outside, to the right: steep curves of several k leave no corner free.
    ci_legend(ax, msg, widths, loc="center left", bbox_to_anchor=(1.01, 0.5))
    _x_axis(ax, data, key, msg)
    p_any, _, _ = data.p_any()
    return finish(fig, fd.probability_title(key, x, p_any, data.scenario, msg), footer)


def layers_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """Per layer: mean interceptors fired and P(magazine empty)."""
    x = data.x(key)
    fig, (ax1, ax2) = new_figure(2, legend_row=True)
    empty: dict[str, np.ndarray] = {}
    total = np.zeros_like(x)
    w1, w2 = [], []
    for j, lay in enumerate(data.scenario.layers):
        c = PALETTE[j % len(PALETTE)]
        m, lo, hi = data.interceptors(lay.name)
        w1.append(_line(ax1, x, m, lo, hi, c, f"interceptors:{lay.name}", lay.name))
        p, plo, phi = data.p_empty(lay.name)
        w2.append(_line(ax2, x, p, plo, phi, c, f"p_empty:{lay.name}", lay.name))
        empty[lay.name] = p
        total = total + m
    ax1.set_ylabel(msg("interceptors"))
    ax1.set_ylim(bottom=0)
    ax1.set_title(msg("panel_fired"))
    percent_axis(ax2)
    ax2.set_ylabel(msg("p_empty"))
    ax2.set_title(msg("panel_empty"))
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    figure_legend(fig, ci_note(msg, "ci_layers", [(ax1, w1), (ax2, w2)]))
    return finish(fig, fd.layers_title(key, x, empty, total, data.scenario, msg), footer)


def cost_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any | None:
    """Defender and attacker cost per raid and their ratio; None when costs are not given."""
    cost = data.cost()
    if cost is None:
        return None
    x = data.x(key)
    fig, (ax1, ax2) = new_figure(2, legend_row=True)
    widths = [_line(ax1, x, cost[side], cost[f"{side}_lo"], cost[f"{side}_hi"], PALETTE[j],
                    side, msg(side)) for j, side in enumerate(("defender", "attacker"))]
    ax1.set_ylabel(msg("cost_axis"))
    ax1.set_ylim(bottom=0)
    ax1.set_title(msg("panel_cost"))
    finite_hi = np.where(np.isfinite(cost["ratio_hi"]), cost["ratio_hi"], np.nan)
    width = _line(ax2, x, cost["ratio"], cost["ratio_lo"], finite_hi, PALETTE[2],
                  "exchange_ratio", msg("exchange_axis"))
    ax2.axhline(1.0, color=REFERENCE, linestyle="--", linewidth=1.4, label=msg("parity"))
    ax2.set_ylabel(msg("exchange_axis"))
    ax2.set_ylim(bottom=0)
    ax2.set_title(msg("panel_exchange"))
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    figure_legend(fig, ci_note(msg, "ci_bound", [(ax1, widths), (ax2, [width])]))
    return finish(fig, fd.cost_title(key, x, cost["ratio"], data.scenario, msg), footer)


def lever_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """One lever at a glance (for the brief): mean leakers and P(any leak) against it."""
    x = data.x(key)
    mean, lo, hi = data.leakers()
    p, plo, phi = data.p_any()
    fig, (ax1, ax2) = new_figure(2)
    width = _line(ax1, x, mean, lo, hi, PALETTE[0], "leakers_mean", msg("monte_carlo"))
    ax1.set_ylabel(msg("leakers_mean"))
    ax1.set_ylim(bottom=0)
    ax1.set_title(msg("panel_leakers"))
    ci_legend(ax1, msg, [width], loc="best")
    width = _line(ax2, x, p, plo, phi, PALETTE[1], "p_at_least_1", msg("p_at_least_1"))
    percent_axis(ax2)
    ax2.set_ylabel(msg("p_any_leak"))
    ax2.set_title(msg("p_any_leak"))
    ci_legend(ax2, msg, [width], loc="best")
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    return finish(fig, fd.leakage_title(key, x, mean, data.warheads(), data.scenario, msg),
                  footer)
