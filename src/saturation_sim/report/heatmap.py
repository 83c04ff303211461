"""Figures of a two-key sweep: a heatmap of P(any leak) with contours, and a family of curves.

The first swept key is the x axis of both figures. The heatmap's cells are the
grid points (requested values, not the raid ratio as rounded); its contours
at 5% and 50% are labelled, and the contours of the Wilson interval's ends at
the same levels are drawn dashed, which is the 95% band of each contour.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import findings as fd
from .data import SweepData
from .i18n import Messages
from .style import CMAP, PALETTE, band, ci_legend, finish, new_figure

#: Most curves in a family; more values of the second key are thinned evenly.
MAX_CURVES = 6


def _edges(v: np.ndarray) -> np.ndarray:
    """Cell edges around centres ``v`` (midpoints; end cells as wide as their neighbour)."""
    if v.size == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])


def _grid(data: SweepData, column: np.ndarray) -> np.ndarray:
    """A per-point column as an array (values of key 2, values of key 1) for plotting."""
    return column.reshape(data.shape).T


def heatmap_figure(data: SweepData, msg: Messages, footer: str) -> Any:
    """P(any leak) over the grid of two keys, with labelled contours at 5% and 50%."""
    k1, k2 = data.keys
    x = np.asarray(data.values(k1), dtype=float)
    y = np.asarray(data.values(k2), dtype=float)
    p, lo, hi = (_grid(data, c) for c in data.p_any())
    fig, (ax,) = new_figure(1)
    ax.grid(False)
    mesh = ax.pcolormesh(_edges(x), _edges(y), p, cmap=CMAP, vmin=0.0, vmax=1.0,
                         shading="flat")
    mesh.set_gid("p_any_leak")
    mesh.set_edgecolor("face")  # no hairline seams between cells in PDF and SVG viewers
    cbar = fig.colorbar(mesh, ax=ax, format=_percent_formatter())
    cbar.set_label(msg("p_any_leak"))
    cbar.outline.set_visible(False)
    if x.size >= 2 and y.size >= 2:
        levels = [fd.P_LOW, fd.P_HALF]
        cs = ax.contour(x, y, p, levels=levels, colors="white", linewidths=2.2)
        cs.set_gid("contour")
        if any(len(seg) for seg in cs.allsegs):
            ax.clabel(cs, fmt={lv: msg.percent(lv) for lv in levels}, fontsize=12)
            # The ends of the Wilson interval put the contour's 95% band on the map.
            for gid, z in (("contour_ci_lo", lo), ("contour_ci_hi", hi)):
                c = ax.contour(x, y, z, levels=levels, colors="white", linewidths=1.0,
                               linestyles="--")
                c.set_gid(gid)
            ax.set_title(msg("contour_ci"), loc="right", fontsize=11, color="#555555")
    ax.set_xlabel(fd.key_label(k1, data.scenario, msg))
    ax.set_ylabel(fd.key_label(k2, data.scenario, msg))
    for spine in ax.spines.values():
        spine.set_visible(False)
    return finish(fig, fd.grid_title(p, msg), footer)


def family_figure(data: SweepData, msg: Messages, footer: str) -> Any:
    """Mean leakers against the first key, one curve (with 95% band) per value of the second."""
    k1, k2 = data.keys
    x = np.asarray(data.values(k1), dtype=float)
    y = data.values(k2)
    mean, lo, hi = (_grid(data, c) for c in data.leakers())
    rows = np.unique(np.round(np.linspace(0, len(y) - 1, min(len(y), MAX_CURVES))).astype(int))
    fig, (ax,) = new_figure(1)
    name2 = fd.key_label(k2, data.scenario, msg)
    widths = []
    for j, r in enumerate(rows):
        color = PALETTE[j % len(PALETTE)]
        band(ax, x, lo[r], hi[r], color, f"family:{y[r]}_ci")
        widths.append(float(np.nanmax(hi[r] - lo[r])))
        (line,) = ax.plot(x, mean[r], color=color, marker="o", label=msg.number(y[r], 3))
        line.set_gid(f"family:{y[r]}")
    ax.set_xlabel(fd.key_label(k1, data.scenario, msg))
    ax.set_ylabel(msg("leakers_mean"))
    ax.set_ylim(bottom=0)
    ci_legend(ax, msg, widths, title=f"{name2}\n", loc="center left",
              bbox_to_anchor=(1.01, 0.5))
    title = msg("find_family", lo=msg.number(float(np.nanmin(mean))),
                hi=msg.number(float(np.nanmax(mean))))
    return finish(fig, title, footer)


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
