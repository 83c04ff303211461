"""Which figures a sweep gets, and ``report``: draw them all into a directory.

One swept key gives the leakage curve, the probability curves, the per-layer
figure, where costs are given the cost exchange and, with ``[[assets]]``, the
leakers at each site and the value-weighted damage. Two keys give a heatmap
of P(any leak) with contours and a family of leakage curves.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from . import curves, heatmap
from .data import SweepData, as_sweep_data
from .errors import ReportError
from .i18n import Messages
from .provenance import footer as make_footer
from .style import parse_formats, save, use_style


@dataclass
class Drawn:
    """Figures drawn from one sweep: ``(name, Figure)`` pairs, and the files written."""

    figures: list[tuple[str, Any]]
    files: list[Path] = field(default_factory=list)


def draw(data: SweepData, msg: Messages, footer: str) -> list[tuple[str, Any]]:
    """Every figure of a sweep as ``(name, Figure)``; call inside :func:`style.use_style`.

    Raises
    ------
    ReportError
        For a sweep of more than two keys (see :func:`check_drawable`).
    """
    check_drawable(data)
    if len(data.keys) == 1:
        key = data.keys[0]
        # A figure function returns None when it has nothing to show (every
        # probability curve flat, no costs, no [[assets]]): that figure is left out.
        out = [("leakage", curves.leakage_figure(data, key, msg, footer)),
               ("probability", curves.probability_figure(data, key, msg, footer)),
               ("layers", curves.layers_figure(data, key, msg, footer)),
               ("cost", curves.cost_figure(data, key, msg, footer)),
               ("assets", curves.assets_figure(data, key, msg, footer))]
        return [(name, fig) for name, fig in out if fig is not None]
    return [("heatmap", heatmap.heatmap_figure(data, msg, footer)),
            ("family", heatmap.family_figure(data, msg, footer))]


def check_drawable(data: SweepData) -> None:
    """Refuse, before anything is drawn or written, a sweep of three or more keys.

    Figures are drawn for one key (curves) or two (heatmap and family). For
    more, a slice of ``SweepResult.to_xarray()`` or ``to_pandas()`` can be
    plotted, or a sweep of one or two of the keys run.
    """
    n = len(data.keys)
    if n in (1, 2):
        return
    keys = ", ".join(data.keys) if data.keys else "none"
    raise ReportError(f"{data.path or 'the sweep'}: {n} swept keys ({keys}); figures are drawn "
                      "for sweeps of one or two keys: plot a slice of to_xarray() or sweep "
                      "fewer keys")


def report(sweep_dir: Any, out: str | os.PathLike[str], lang: str = "en",
           formats: str | Sequence[str] = ("png",), *, date: _dt.date | str | None = None,
           prefix: str = "") -> Drawn:
    """Draw every figure of a finished sweep into ``out`` in each format.

    Parameters
    ----------
    sweep_dir
        The ``--out`` directory of ``saturation-sim sweep`` (or its sweep.json), or
        a :class:`~saturation_sim.sweep.SweepResult` in memory.
    out
        Directory for the figures (created); files are ``<prefix><name>.<format>``.
    lang
        ``"en"`` or ``"ja"``.
    formats
        Any of png, svg and pdf, as a list or a comma list.
    date
        Date in the footer (default: today).

    Returns
    -------
    Drawn
        The figures (closed, still readable) and the files written.

    Raises
    ------
    ReportError
        In words, before any file is written: for a directory that holds no
        sweep, a malformed sweep.json, a sweep of three or more keys, an unknown
        format or language, or a missing optional dependency.
    """
    Messages(lang)  # an unknown language is refused before anything is read
    fmts = parse_formats(formats)
    data = as_sweep_data(sweep_dir)
    check_drawable(data)
    msg = Messages(lang, campaign=data.scenario.is_campaign)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file, not a directory")
    out.mkdir(parents=True, exist_ok=True)
    with use_style(lang):
        figs = draw(data, msg, make_footer(data, msg, date))
        files = [p for name, fig in figs for p in save(fig, out / f"{prefix}{name}", fmts)]
    return Drawn(figs, files)
