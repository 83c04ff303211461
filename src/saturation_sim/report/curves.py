"""Figures of a one-key sweep: leakage, probabilities, layers, cost exchange, levers.

Each function returns a finished Figure (title = finding, footer = provenance).
Every plotted series carries a ``gid`` (``leakers_mean``, ``p_at_least_5``,
``interceptors:upper``, ...) and its 95% band the same ``gid`` plus ``_ci``, so
tests and scripts can read the numbers back from the axes.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..sweep import RAID_RATIO, parse_key
from . import findings as fd
from . import names
from .data import SweepData, nice_ks
from .i18n import Messages
from .inputs import cost_unit
from .style import (PALETTE, REFERENCE, band, ci_note, embolden, figure_legend, finish, wrap_in,
                    integer_ticks, is_flat, new_figure, percent_axis, renderer_of)

#: Shade of the alternate regime spans on a leakage curve.
REGIME_SHADE = "#f2f2f2"


def _line(ax: Any, x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray,
          color: str, gid: str, label: str | None = None) -> float:
    """A series with markers over its 95% band; returns the band's widest extent."""
    band(ax, x, lo, hi, color, f"{gid}_ci")
    (line,) = ax.plot(x, y, color=color, marker="o", label=label)
    line.set_gid(gid)
    width = np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float)
    return float(np.nanmax(width[np.isfinite(width)], initial=0.0))


def _done(fig: Any, title: str, footer: str, data: SweepData, msg: Messages,
          bands: list[tuple[Any, list[float]]], note: str = "band_note") -> Any:
    """Title, caveat, the one note on the bands, and the provenance footer."""
    return finish(fig, title, footer, caveat=names.caveat(data.scenario, msg),
                  note=ci_note(msg, note, bands))


#: Share of its column's width an x-axis label may take before it wraps (a long
#: key, such as a target share's, otherwise runs into the next panel's label).
XLABEL_COLUMN = 0.85


def _x_axis(ax: Any, data: SweepData, key: str, msg: Messages) -> None:
    label = fd.key_label(key, data.scenario, msg)
    columns = ax.get_subplotspec().get_gridspec().ncols if ax.get_subplotspec() else 1
    ax.set_xlabel(wrap_in(ax.figure, label, XLABEL_COLUMN / columns,
                          ax.xaxis.label.get_size()))
    if key == RAID_RATIO:
        ax.set_xlim(left=0)
        integer_ticks(ax.xaxis)
        # The label is a tick of its own above the frame: never on a curve, and the
        # panel title is raised above it by the layout.
        ax.axvline(fd.FOCUS_RATIO, color=REFERENCE, linestyle=":", linewidth=1.4, zorder=1,
                   gid="focus_ratio")
        _top_tick(ax, fd.FOCUS_RATIO, msg("three_x"))
    elif all(float(v).is_integer() for v in data.values(key)):
        integer_ticks(ax.xaxis)


def _count_panel(ax: Any, ylabel: str, title: str) -> None:
    """Label a panel of counts or costs, whose axis starts at 0."""
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_title(title)


def _top_tick(ax: Any, x: float, label: str) -> None:
    """One labelled tick above the frame, marking a reference value of x."""
    sec = ax.secondary_xaxis("top")
    sec.set_xticks([x], labels=[label])
    sec.tick_params(length=0, labelsize=10.5, labelcolor=REFERENCE, pad=2)
    sec.spines["top"].set_visible(False)
    sec.set_gid("focus_tick")


def _regime_spans(ax: Any, x: np.ndarray, kinds: list[str], msg: Messages) -> None:
    """Shade alternate runs of one regime and name each run at the top of the panel:
    across the run where the name fits, else upright; left out only where neither fits."""
    runs: list[tuple[int, int]] = []
    for i, k in enumerate(kinds):
        if runs and kinds[runs[-1][0]] == k:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    renderer = renderer_of(ax.figure)
    x0, x1 = ax.get_xlim()
    px_per_x = ax.get_window_extent(renderer).width / (x1 - x0)
    for j, (a, b) in enumerate(runs):
        left = x0 if a == 0 else (x[a - 1] + x[a]) / 2
        right = x1 if b == len(x) - 1 else (x[b] + x[b + 1]) / 2
        shade = REGIME_SHADE if j % 2 else "white"
        if j % 2:
            ax.axvspan(left, right, color=REGIME_SHADE, zorder=0, linewidth=0,
                       gid=f"regime:{kinds[a]}")
        room = 0.92 * (right - left) * px_per_x
        t = ax.text((left + right) / 2, 0.985, msg(f"regime_{kinds[a]}"),
                    transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=10,
                    color="#444444", gid=f"regime_label:{kinds[a]}", zorder=2,
                    bbox={"facecolor": shade, "edgecolor": "none", "pad": 1.0})
        if t.get_window_extent(renderer).width > room:
            t.set_rotation(90)
            if t.get_window_extent(renderer).width > room:
                t.remove()


def stock_empty(data: SweepData) -> np.ndarray:
    """Per point, the expected share of the defence's interceptors that sit in empty
    magazines: P(empty) of each layer weighted by the interceptors it holds.

    A small layer that is always empty (a few ships' SM-3) does not make the whole
    defence magazine-limited; the layer carrying most of the interceptors does.
    """
    stock = np.array([lay.fire_units * lay.interceptors_per_unit
                      for lay in data.scenario.layers], dtype=float)
    if stock.sum() <= 0:
        return np.zeros(len(data.points))
    p = np.array([data.p_empty(lay.name)[0] for lay in data.scenario.layers])
    return (stock[:, None] * p).sum(axis=0) / stock.sum()


def engaged_share(data: SweepData) -> np.ndarray:
    """Engagements per missile, summed over layers and capped at 1 (see fd.regimes)."""
    raid = data.column(lambda r: r["raid_size"])
    eng = sum(data.layer(lay.name, "engagements_mean") for lay in data.scenario.layers)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.minimum(np.where(raid > 0, eng / raid, 1.0), 1.0)


def leakers_panel(ax: Any, data: SweepData, key: str, msg: Messages) -> float:
    """Draw mean leakers and its 95% band against ``key`` on ``ax``.

    For ``raid_ratio`` each stretch of the curve is named by its regime
    (:func:`findings.regimes`); the names are measured against the laid-out
    panel, so the figure is drawn once here. Returns the widest band (for
    :func:`style.ci_note`).
    """
    x = data.x(key)
    mean, lo, hi = data.leakers()
    width = _line(ax, x, mean, lo, hi, PALETTE[0], "leakers_mean", msg("monte_carlo"))
    ax.set_ylabel(msg("leakers_mean"))
    ax.set_ylim(0, max(1.0, float(np.nanmax(hi))) * (1.18 if key == RAID_RATIO else 1.05))
    ax.set_title(msg("panel_leakers"))
    _x_axis(ax, data, key, msg)
    if key == RAID_RATIO:
        ax.figure.canvas.draw()  # the regime names are measured against the laid-out panel
        _regime_spans(ax, x, fd.regimes(x, stock_empty(data), engaged_share(data)), msg)
    return width


def share_panel(ax: Any, data: SweepData, key: str, msg: Messages) -> float:
    """Draw the share of warheads leaking and its 95% band against ``key`` on ``ax``.

    For ``raid_ratio`` the naive deterministic count ``max(0, 1 - 1/r)`` is drawn
    beside it (every engagement of the nominal capacity kills one missile) and
    the share at 3x is printed. Returns the widest band.
    """
    x = data.x(key)
    mean, lo, hi = data.leakers()
    w = data.warheads()
    with np.errstate(divide="ignore", invalid="ignore"):
        share, s_lo, s_hi = (np.where(w > 0, v / w, 0.0) for v in (mean, lo, hi))
    width = _line(ax, x, share, s_lo, s_hi, PALETTE[0], "leak_fraction", msg("monte_carlo"))
    _x_axis(ax, data, key, msg)
    if key == RAID_RATIO:
        r = np.linspace(max(np.nanmin(x), 1e-3), np.nanmax(x), 400)
        (naive,) = ax.plot(r, np.maximum(0.0, 1.0 - 1.0 / r), color=REFERENCE, linestyle="--",
                           linewidth=1.8, label=msg("naive"))
        naive.set_gid("naive")
        i = fd.focus_index(key, x, data.scenario)
        embolden(ax.annotate(msg.percent(share[i]), (x[i], share[i]), xytext=(-12, 10),
                             textcoords="offset points", ha="right", fontsize=13,
                             color=PALETTE[0]))
        ax.legend(loc="upper left")
    percent_axis(ax)
    ax.set_ylabel(msg("leak_fraction"))
    ax.set_title(msg("panel_fraction"))
    return width


def leakage_title(data: SweepData, key: str, msg: Messages) -> str:
    """The finding of the leakage figure, from the plotted numbers."""
    x = data.x(key)
    return fd.leakage_title(key, x, data.leakers()[0], data.warheads(), data.scenario, msg)


def leakage_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """Mean leakers (:func:`leakers_panel`) and the share of warheads leaking
    (:func:`share_panel`) against the swept key, side by side."""
    fig, (ax1, ax2) = new_figure(2)
    # The share panel first: the leakers panel lays the figure out to place its names.
    width2 = share_panel(ax2, data, key, msg)
    width1 = leakers_panel(ax1, data, key, msg)
    return _done(fig, leakage_title(data, key, msg), footer, data, msg,
                 [(ax1, [width1]), (ax2, [width2])])


def probability_curves(data: SweepData, ks: Sequence[int] | None = None,
                       keep_flat: bool = False
                       ) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """``(k, P(leakers >= k), lo, hi)`` for 1 and a few round k (or ``ks``); unless
    ``keep_flat``, the curves flat at 0% or 100% over the whole range are left out."""
    if ks is None:
        ks = nice_ks(float(np.nanmax(data.leakers()[0])))
    curves = []
    for k in ks:
        p, lo, hi = data.p_at_least(int(k))
        if keep_flat or not is_flat(p):
            curves.append((int(k), p, lo, hi))
    return curves


def probability_panel(ax: Any, data: SweepData, key: str, msg: Messages,
                      curves: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]) -> list[float]:
    """Draw P(at least k) curves (from :func:`probability_curves`) with their Wilson 95%
    bands on ``ax``, legend outside to the right. Returns the widest band of each curve."""
    x = data.x(key)
    widths = []
    for j, (k, p, lo, hi) in enumerate(curves):
        label = msg("p_at_least_1") if k == 1 else msg("p_at_least_k", k=k)
        widths.append(_line(ax, x, p, lo, hi, PALETTE[j % len(PALETTE)], f"p_at_least_{k}",
                            label))
    percent_axis(ax)
    ax.set_ylabel(msg("probability"))
    # Outside, to the right: steep curves of several k leave no corner free.
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    _x_axis(ax, data, key, msg)
    return widths


def probability_title(data: SweepData, key: str, msg: Messages) -> str:
    """The finding of the probability figure, from the plotted numbers."""
    return fd.probability_title(key, data.x(key), data.p_any()[0], data.scenario, msg)


def probability_figure(data: SweepData, key: str, msg: Messages, footer: str,
                       ks: Sequence[int] | None = None, keep_flat: bool = False) -> Any | None:
    """P(at least one leaker) and P(at least k) for a few k (or ``ks``), with Wilson
    95% bands.

    A curve flat at 0% or 100% over the whole range is left out unless
    ``keep_flat`` (the title still states P(any leak)); None when every curve is
    left out.
    """
    curves = probability_curves(data, ks, keep_flat)
    if not curves:
        return None
    fig, (ax,) = new_figure(1)
    widths = probability_panel(ax, data, key, msg, curves)
    return _done(fig, probability_title(data, key, msg), footer, data, msg, [(ax, widths)])


def layers_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any:
    """Per layer: mean interceptors fired and P(magazine empty).

    The magazine panel is left out when every layer's curve is flat at 0% or
    100%. A layer whose curve levels off at its availability says so on the
    plateau: the layer is absent in the other raids, not holding interceptors back.
    """
    x = data.x(key)
    layers = data.scenario.layers
    empties = {lay.name: data.p_empty(lay.name) for lay in layers}
    show_empty = not is_flat(*[e[0] for e in empties.values()])
    fig, axes = new_figure(2 if show_empty else 1, legend_row=True)
    ax1 = axes[0]
    total = np.zeros_like(x)
    w1, w2 = [], []
    for j, lay in enumerate(layers):
        c = PALETTE[j % len(PALETTE)]
        label = names.layer_label(lay, msg)
        m, lo, hi = data.interceptors(lay.name)
        w1.append(_line(ax1, x, m, lo, hi, c, f"interceptors:{lay.name}", label))
        total = total + m
        if show_empty:
            p, plo, phi = empties[lay.name]
            w2.append(_line(axes[1], x, p, plo, phi, c, f"p_empty:{lay.name}", label))
    _count_panel(ax1, msg("interceptors"), msg("panel_fired"))
    bands = [(ax1, w1)]
    if show_empty:
        ax2 = axes[1]
        percent_axis(ax2)
        ax2.set_ylabel(msg("p_empty"))
        ax2.set_title(msg("panel_empty"))
        _availability_notes(ax2, x, layers, empties, msg)
        bands.append((ax2, w2))
    for ax in axes:
        _x_axis(ax, data, key, msg)
    figure_legend(fig)
    empty = {n: e[0] for n, e in empties.items()}
    return _done(fig, fd.layers_title(key, x, empty, total, data.scenario, msg), footer, data,
                 msg, bands, "band_note_bound")


def _availability_notes(ax: Any, x: np.ndarray, layers: Any, empties: dict[str, Any],
                        msg: Messages) -> None:
    """Name the plateau of a layer with availability below 1 that levels off at it."""
    for lay in layers:
        p = empties[lay.name][0]
        if lay.availability < 1 and abs(float(np.nanmax(p)) - lay.availability) < 0.05:
            ax.annotate(msg("p_empty_availability", p=f"{lay.availability:g}"),
                        (x[-1], float(p[-1])), xytext=(0, 9), textcoords="offset points",
                        ha="right", va="bottom", fontsize=10, color="#333333",
                        gid=f"availability:{lay.name}")


def cost_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any | None:
    """Defender and attacker cost per raid and their ratio; None when costs are not given."""
    cost = data.cost()
    if cost is None:
        return None
    x = data.x(key)
    fig, (ax1, ax2) = new_figure(2, legend_row=True)
    widths = [_line(ax1, x, cost[side], cost[f"{side}_lo"], cost[f"{side}_hi"], PALETTE[j],
                    side, msg(side)) for j, side in enumerate(("defender", "attacker"))]
    _count_panel(ax1, msg("cost_axis", unit=cost_unit(data.scenario, msg)), msg("panel_cost"))
    finite_hi = np.where(np.isfinite(cost["ratio_hi"]), cost["ratio_hi"], np.nan)
    width = _line(ax2, x, cost["ratio"], cost["ratio_lo"], finite_hi, PALETTE[2],
                  "exchange_ratio", msg("exchange_axis"))
    ax2.axhline(1.0, color=REFERENCE, linestyle="--", linewidth=1.4, label=msg("parity"))
    _count_panel(ax2, msg("exchange_axis"), msg("panel_exchange"))
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    figure_legend(fig)
    return _done(fig, fd.cost_title(key, x, cost["ratio"], data.scenario, msg), footer, data,
                 msg, [(ax1, widths), (ax2, [width])], "band_note_bound")


def assets_figure(data: SweepData, key: str, msg: Messages, footer: str) -> Any | None:
    """Leakers at each defended asset, and the value-weighted damage, against ``key``;
    None for a scenario without ``[[assets]]``."""
    per_asset, damage = data.by_asset(), data.damage()
    if per_asset is None or damage is None:
        return None
    x = data.x(key)
    fig, (ax1, ax2) = new_figure(2, legend_row=True)
    widths = []
    for j, a in enumerate(data.scenario.assets):
        mean, lo, hi = per_asset[a.name]
        widths.append(_line(ax1, x, mean, np.clip(lo, 0.0, None), hi,
                            PALETTE[j % len(PALETTE)], f"asset:{a.name}",
                            names.asset_label(a, msg)))
    _count_panel(ax1, msg("leakers_mean"), msg("panel_assets"))
    mean, lo, hi = damage
    width = _line(ax2, x, mean, np.clip(lo, 0.0, None), hi, REFERENCE, "damage")
    _count_panel(ax2, msg("damage_axis"), msg("panel_damage"))
    for ax in (ax1, ax2):
        _x_axis(ax, data, key, msg)
    figure_legend(fig)
    # The title names the asset that takes the most leakers anywhere on the curve.
    top = max(data.scenario.assets, key=lambda a: float(np.nanmax(per_asset[a.name][0])))
    most = per_asset[top.name][0]
    i = int(np.nanargmax(most))  # the point where it takes the most
    title = msg("assets_title", site=names.asset_label(top, msg), n=msg.number(float(most[i])))
    return _done(fig, title, footer, data, msg, [(ax1, widths), (ax2, [width])])


def _fire_unit_layer(key: str, data: SweepData) -> Any | None:
    path = parse_key(key, data.scenario).path
    if len(path) == 3 and path[0] == "layers" and path[2] == "fire_units":
        return data.scenario.layers[int(path[1])]
    return None


def _today(ax: Any, x: float, msg: Messages) -> None:
    """Mark the scenario's own value of the lever: a line, labelled inside the foot
    of the panel (the space above the frame may hold the cost axis, and leakage
    at today's value is well above zero)."""
    ax.axvline(x, color=REFERENCE, linestyle=":", linewidth=1.4, zorder=1, gid="today")
    ax.text(x, 0.025, " " + msg("today", x=msg.number(x, 3)), transform=ax.get_xaxis_transform(),
            ha="left", va="bottom", fontsize=11, color=REFERENCE, gid="today_label",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85})


def _cost_axis(ax: Any, lay: Any, x_max: float, cost_unit: str, msg: Messages) -> None:
    """A second x axis on top: what the interceptors of the added fire units cost.

    Only the interceptors are priced (the scenario gives no price for a ship or a
    launcher), so the axis is a lower bound on the cost of the lever. Ticks start
    at today's value (cost 0): fewer fire units than today are not a purchase.
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator

    n0 = lay.fire_units
    per_unit = lay.interceptors_per_unit * float(lay.interceptor_cost)
    sec = ax.secondary_xaxis("top", functions=(lambda n: (n - n0) * per_unit,
                                               lambda c: c / per_unit + n0))
    top = (x_max - n0) * per_unit
    if top > 0:
        ticks = [t for t in MaxNLocator(nbins=6).tick_values(0.0, top) if 0 <= t <= top]
        sec.xaxis.set_major_locator(FixedLocator(ticks))
    sec.set_xlabel(msg("cost_axis_added", unit=cost_unit), fontsize=11.5)
    sec.tick_params(labelsize=10.5)
    sec.set_gid("cost_axis")


def lever_figure(data: SweepData, key: str, msg: Messages, footer: str,
                 cost_unit: str | None = None) -> Any:
    """One lever at a glance (for the brief): mean leakers and P(any leak) against it.

    The scenario's own value is marked; where the lever is a layer's fire units
    and its interceptors have a cost, a second axis on top prices the added
    interceptors. The P(any leak) panel is left out where it is flat at 0% or 100%.
    """
    x = data.x(key)
    mean, lo, hi = data.leakers()
    p, plo, phi = data.p_any()
    show_p = not is_flat(p)
    fig, axes = new_figure(2 if show_p else 1)
    ax1 = axes[0]
    width = _line(ax1, x, mean, lo, hi, PALETTE[0], "leakers_mean", msg("monte_carlo"))
    ax1.set_ylabel(msg("leakers_mean"))
    ax1.set_ylim(0, max(1.0, float(np.nanmax(hi))) * 1.1)
    ax1.set_title(msg("panel_leakers"))
    bands = [(ax1, [width])]
    if show_p:
        ax2 = axes[1]
        w2 = _line(ax2, x, p, plo, phi, PALETTE[1], "p_at_least_1", msg("p_at_least_1"))
        percent_axis(ax2)
        ax2.set_ylabel(msg("p_any_leak"))
        ax2.set_title(msg("p_any_leak"))
        bands.append((ax2, [w2]))
    lay = _fire_unit_layer(key, data)
    i = fd.focus_index(key, x, data.scenario)
    floor = fd.floor_index(mean) if lay is not None else None
    for ax in axes:
        _x_axis(ax, data, key, msg)
        _today(ax, float(x[i]), msg)
        if lay is not None and lay.interceptor_cost:
            _cost_axis(ax, lay, float(np.nanmax(x)), cost_unit or msg("cost_unit_default"), msg)
    if floor is not None:
        ax1.axvspan(x[floor], x[-1], color=REGIME_SHADE, zorder=0, linewidth=0,
                    gid="regime:floor")
        ax1.text((x[floor] + x[-1]) / 2, 0.5, msg("regime_floor"), ha="center", va="center",
                 transform=ax1.get_xaxis_transform(), fontsize=10.5, color="#444444",
                 gid="regime_label:floor")
    return _done(fig, fd.leakage_title(key, x, mean, data.warheads(), data.scenario, msg),
                 footer, data, msg, bands)
