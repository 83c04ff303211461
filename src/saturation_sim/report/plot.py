"""``saturation_sim.plot``: the report's figures for notebooks and scripts.

Each function draws on a matplotlib Axes you give it, or on a new Figure, and
returns the Figure. Without ``ax`` the Figure is the one ``report`` (or
``uncertainty --figures``) writes to a file: the same panels, titled by the
finding, with the caveat and the provenance footer. With ``ax`` only the panel
is drawn, so it can sit in a figure of your own. Both go through the same
per-Axes functions as the report (:func:`.curves.leakers_panel`,
:func:`.curves.share_panel`, :func:`.curves.probability_panel`,
:func:`.uncertainty_figs.fan_panel`, :func:`.uncertainty_figs.tornado_panel`):
there is one drawing code path.

Texts from the scenario (names, labels, caveats) are drawn as typed, never as
mathtext. :func:`campaign` draws the days of a campaign's SimulationResult (the
brief's day-by-day page, through :func:`.campaign_figs.days_panels`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any, Sequence

from ..engine.result import SimulationResult
from . import campaign_figs as cf
from . import curves
from . import uncertainty_figs as uq
from .data import SweepData, as_sweep_data
from .errors import ReportError
from .figures import check_drawable
from .i18n import Messages
from .provenance import footer as make_footer
from .style import use_style


def _one_key(data: SweepData, key: str | None) -> str:
    """The swept key to plot against: ``key``, or the sweep's only key."""
    check_drawable(data)
    if key is None:
        if len(data.keys) != 1:
            raise ReportError(f"{data.path or 'the sweep'}: {len(data.keys)} swept keys "
                              f"({', '.join(data.keys)}); curves need a sweep of one key "
                              "(report() draws a heatmap and a family of curves for two)")
        return data.keys[0]
    if key not in data.keys or len(data.keys) != 1:
        raise ReportError(f"key={key!r}: curves need a sweep of that one key; this sweep "
                          f"varies {', '.join(data.keys)}")
    return key


def _axes(ax: Any, counts: tuple[int, ...], what: str) -> list[Any]:
    """``ax`` (one Axes, a sequence or an array of them) as a list, of a length in ``counts``."""
    axes = list(getattr(ax, "flat", ax)) if isinstance(ax, (list, tuple)) or hasattr(
        ax, "flat") else [ax]
    if len(axes) not in counts:
        raise ReportError(f"{what}: ax must be {' or '.join(map(str, counts))} matplotlib "
                          f"Axes, got {len(axes)}")
    return axes


def leakage(result: Any, ax: Any = None, *, key: str | None = None, share: bool = False,
            lang: str = "en", date: _dt.date | str | None = None) -> Any:
    """Mean leakers (and the share of warheads leaking) against the swept key.

    Parameters
    ----------
    result
        A :class:`~saturation_sim.sweep.SweepResult`, a sweep directory or its
        sweep.json: a sweep of one key.
    ax
        None: a new Figure with both panels, as ``report`` draws it. One Axes:
        mean leakers on it (the share of warheads leaking with ``share=True``).
        Two Axes: both panels.
    key
        The swept key (default: the sweep's only key).
    lang
        ``"en"`` or ``"ja"``.
    date
        Date in the footer of a new Figure (default: today).

    Returns
    -------
    matplotlib.figure.Figure
        The Figure drawn on (``ax.figure`` when ``ax`` is given).

    Raises
    ------
    ReportError
        In words, for a result that is not a finished sweep of one key.
    """
    data = as_sweep_data(result)
    k = _one_key(data, key)
    msg = Messages(lang, campaign=data.scenario.is_campaign)
    with use_style(lang):
        if ax is None:
            return curves.leakage_figure(data, k, msg, make_footer(data, msg, date))
        axes = _axes(ax, (1, 2), "leakage")
        if len(axes) == 2:
            curves.share_panel(axes[1], data, k, msg)
            curves.leakers_panel(axes[0], data, k, msg)
        elif share:
            curves.share_panel(axes[0], data, k, msg)
        else:
            curves.leakers_panel(axes[0], data, k, msg)
        return axes[0].figure


def probability(result: Any, ax: Any = None, *, key: str | None = None,
                ks: Sequence[int] | None = None, lang: str = "en",
                date: _dt.date | str | None = None) -> Any:
    """P(at least k leakers) against the swept key, with Wilson 95% bands.

    Parameters
    ----------
    result, key, lang, date
        As for :func:`leakage`.
    ax
        None for a new Figure, titled by its finding; else one Axes.
    ks
        Thresholds k (default: 1 and up to three round numbers below the most
        leakers on the curve). Curves flat at 0% or 100% are left out unless
        every one is; then all are drawn.
    """
    data = as_sweep_data(result)
    k = _one_key(data, key)
    msg = Messages(lang, campaign=data.scenario.is_campaign)
    # Asked for, a plot is drawn: when every curve is flat, all of them are.
    keep_flat = not curves.probability_curves(data, ks)
    with use_style(lang):
        if ax is None:
            return curves.probability_figure(data, k, msg, make_footer(data, msg, date), ks,
                                             keep_flat)
        (one,) = _axes(ax, (1,), "probability")
        curves.probability_panel(one, data, k, msg,
                                 curves.probability_curves(data, ks, keep_flat))
        return one.figure


def campaign(result: Any, ax: Any = None, *, lang: str = "en",
             date: _dt.date | str | None = None) -> Any:
    """The days of a campaign: leakers per day with 95% bands, cumulative leakers,
    interceptors left per layer (loaded and in the depot) and launchers alive.

    Parameters
    ----------
    result
        The :class:`~saturation_sim.SimulationResult` of a campaign scenario
        (``[campaign] days > 1``), from :func:`saturation_sim.simulate`.
    ax
        None for a new Figure: the brief's page of the campaign's days, titled by
        the leakers over the campaign and the day each layer runs dry. Four Axes
        (a sequence or an array) for those four panels in a figure of your own;
        one Axes for the leakers per day alone.
    lang, date
        As for :func:`leakage`.

    Raises
    ------
    ReportError
        In words, for a result that is not a campaign's, or another count of Axes.
    """
    if not isinstance(result, SimulationResult) or not result.scenario.is_campaign:
        what = (f"a single raid's result ({result.scenario.name!r} has no [campaign] days > 1)"
                if isinstance(result, SimulationResult) else type(result).__name__)
        raise ReportError("campaign() draws the SimulationResult of a campaign "
                          f"(a scenario with [campaign] days > 1), got {what}")
    msg = Messages(lang, campaign=True)
    with use_style(lang):
        if ax is None:
            return cf.days_figure(result, msg, cf.footer(result, msg, date))
        axes = _axes(ax, (1, 4), "campaign")
        if len(axes) == 4:
            cf.days_panels(axes, result, msg)
        else:
            cf.leakers_day_panel(axes[0], result, msg)
        return axes[0].figure


def _document(result: Any, name: str) -> dict[str, Any]:
    """The JSON document of an uncertainty or sensitivity run: the mapping returned by
    the function, or read from its ``--out`` directory or the JSON file."""
    if isinstance(result, dict):
        return result
    if not (isinstance(result, (str, Path)) or hasattr(result, "__fspath__")):
        raise ReportError(f"expected the dict returned by {name}() or its --out directory, "
                          f"got {type(result).__name__}")
    p = Path(os.fspath(result))
    f = p / f"{name}.json" if p.is_dir() else p
    if not f.is_file():
        raise ReportError(f"{p}: no {name}.json here; give the --out directory of "
                          f"'saturation-sim {name}'")
    try:
        doc = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise ReportError(f"{f}: cannot be read as the JSON of a {name} run") from None
    if not isinstance(doc, dict):
        raise ReportError(f"{f}: not the JSON of a {name} run")
    return doc


def _draw_run(result: Any, name: str, ax: Any, lang: str, what: str, figure: Any,
              panel: Any, arg: Any) -> Any:
    """The document of an ``uncertainty`` or ``sensitivity`` run (``name``) drawn by
    ``figure(doc, msg, arg)`` on a new Figure when ``ax`` is None, else by ``panel(one,
    doc, msg, arg)`` on the one Axes given. A document this version cannot read is a
    ReportError in words; ``what`` names the caller in the error about ``ax``."""
    doc = _document(result, name)
    msg = uq.UqMessages(lang)
    with use_style(lang):
        try:
            if ax is None:
                return figure(doc, msg, arg)
            (one,) = _axes(ax, (1,), what)
            panel(one, doc, msg, arg)
        except (KeyError, TypeError, IndexError) as exc:
            article = "an" if name == "uncertainty" else "a"
            raise ReportError(f"not {article} {name} document this version can read "
                              f"({type(exc).__name__}: {exc})") from None
        return one.figure


def fan(result: Any, ax: Any = None, *, focus: float = 3.0, lang: str = "en") -> Any:
    """The share of warheads leaking over the swept axis of an uncertainty run: the
    p05-p95 and p25-p75 bands the assumptions allow, the median and the nominal.

    Parameters
    ----------
    result
        The dict returned by :func:`saturation_sim.sweep.uncertainty.uncertainty`
        (run with ``vary``), or its ``out`` directory or uncertainty.json.
    ax
        None for a new Figure, titled by the spread at ``focus``; else one Axes.
    focus
        The axis value the title speaks of (3x by default).
    """
    return _draw_run(result, "uncertainty", ax, lang, "fan", uq.fan_chart, uq.fan_panel,
                     focus)


def tornado(result: Any, ax: Any = None, *, top: int = 12, lang: str = "en") -> Any:
    """The one-at-a-time swings of the share of warheads leaking, largest at the top.

    Parameters
    ----------
    result
        The dict returned by :func:`saturation_sim.sweep.sensitivity.sensitivity`
        with ``method="oat"``, or its ``out`` directory or sensitivity.json.
    ax
        None for a new Figure, titled by the input that swings most; else one Axes.
    top
        Most inputs shown.
    """
    return _draw_run(result, "sensitivity", ax, lang, "tornado", uq.tornado,
                     uq.tornado_panel, top)


__all__ = ["campaign", "fan", "leakage", "probability", "tornado"]
