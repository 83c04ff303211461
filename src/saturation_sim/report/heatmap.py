"""Figures of a two-key sweep: a heatmap of P(any leak) with contours, and a family of curves.

The first swept key is the x axis of both figures. The heatmap's cells are the
grid points (requested values, not the raid ratio as rounded), each printed
with its value; the contours at 5% and 50% are drawn only where the grid
crosses them, as whole lines (fragments shorter than a cell are dropped).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import findings as fd
from .data import SweepData
from .i18n import Messages
from . import names
from .style import CMAP, PALETTE, band, ci_note, finish, integer_ticks, new_figure

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
    _cell_values(ax, x, y, p, msg)
    if x.size >= 2 and y.size >= 2:
        _contours(ax, x, y, p, msg)
    for axis, vals in ((ax.xaxis, x), (ax.yaxis, y)):
        if all(float(v).is_integer() for v in vals):
            integer_ticks(axis)
    ax.set_xlabel(fd.key_label(k1, data.scenario, msg))
    ax.set_ylabel(fd.key_label(k2, data.scenario, msg))
    for spine in ax.spines.values():
        spine.set_visible(False)
    return finish(fig, fd.grid_title(p, msg), footer, caveat=names.caveat(data.scenario, msg))


def _cell_values(ax: Any, x: np.ndarray, y: np.ndarray, p: np.ndarray, msg: Messages) -> None:
    """Each cell's P(any leak), in white on dark cells and black on light ones."""
    import matplotlib

    cmap = matplotlib.colormaps[CMAP]
    size = 11 if x.size <= 8 else (9.5 if x.size <= 12 else 0)
    if not size:  # too many cells to print: the colour bar reads them
        return
    for i, yv in enumerate(y):
        for j, xv in enumerate(x):
            r, g, b, _ = cmap(float(p[i, j]))
            dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
            ax.text(xv, yv, msg.percent(float(p[i, j])), ha="center", va="center",
                    fontsize=size, color="white" if dark else "black", gid="cell_value")


def _contours(ax: Any, x: np.ndarray, y: np.ndarray, p: np.ndarray, msg: Messages) -> None:
    """Contours at 5% and 50% where the grid crosses them, labelled in the legend.

    A level outside the grid's range draws nothing; a fragment shorter than one
    cell's width is noise of interpolation at a corner and is dropped.
    """
    from matplotlib.lines import Line2D

    cell = min(np.min(np.diff(x)), np.min(np.diff(y))) if x.size > 1 and y.size > 1 else 1.0
    handles = []
    for level, style in ((fd.P_LOW, ":"), (fd.P_HALF, "-")):
        if not (np.nanmin(p) < level < np.nanmax(p)):
            continue
        cs = ax.contour(x, y, p, levels=[level], colors="white", linewidths=2.4,
                        linestyles=style)
        segs = [seg for seg in cs.allsegs[0]
                if len(seg) > 1 and np.ptp(seg[:, 0]) + np.ptp(seg[:, 1]) >= cell]
        cs.remove()
        for seg in segs:
            ax.plot(seg[:, 0], seg[:, 1], color="white", linewidth=2.4, linestyle=style,
                    gid=f"contour:{level:g}")
        if segs:
            handles.append(Line2D([], [], color="#333333", linewidth=2.4, linestyle=style,
                                  label=msg("contour_label", p=msg.percent(level))))
    if handles:
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
                  frameon=False)


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
    ax.legend(title=name2, title_fontsize=11, alignment="left", loc="center left",
              bbox_to_anchor=(1.01, 0.5))
    if all(float(v).is_integer() for v in x):
        integer_ticks(ax.xaxis)
    title = msg("find_family", lo=msg.number(float(np.nanmin(mean))),
                hi=msg.number(float(np.nanmax(mean))))
    return finish(fig, title, footer, caveat=names.caveat(data.scenario, msg),
                  note=ci_note(msg, "band_note", [(ax, widths)]))


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
