"""Words computed from the data: axis names of sweep keys and titles that state the finding.

A figure's title says what the curve shows at a point that matters ("At 3x
capacity, 39% of warheads leak"), computed here from the plotted numbers, in
the figure's language. For the raid ratio the point that matters is 3x (the
claim under study); for a lever it is where leakage crosses a threshold.
"""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario
from ..sweep import RAID_RATIO, parse_key
from . import names
from .i18n import Messages

#: The raid ratio that the brief and the raid-ratio figures single out.
FOCUS_RATIO = 3.0
#: P(any leak) thresholds drawn as contours and used in findings.
P_LOW, P_HALF = 0.05, 0.5
#: P(any leak) at least this everywhere: a leak is, for the reader, certain (the
#: same 2-point margin by which the figures call a curve flat).
P_ALWAYS = 0.98


def key_label(key: str, scenario: Scenario, msg: Messages) -> str:
    """A reader's name for a sweep key, e.g. "Fire units in upper"."""
    if key == RAID_RATIO:
        return msg("axis_raid_ratio")
    path = parse_key(key, scenario).path
    if path == ("counterstrike", "prelaunch_kill"):
        return msg("key_prelaunch_kill")
    if len(path) >= 3 and path[0] == "layers":
        lay = scenario.layers[int(path[1])]
        layer = names.layer_label(lay, msg)
        if path[2:] == ("fire_units",):
            noun = names.unit_noun(lay, msg)
            return msg("key_fire_units", layer=layer, noun=noun[:1].upper() + noun[1:])
        if len(path) == 5 and path[2] == "engage" and path[4] == "sspk":
            return msg("key_sspk", layer=layer,
                       threat=names.threat_by_name(scenario, str(path[3]), msg))
        if path[2:] == ("track_capacity",):
            return msg("key_track_capacity", layer=layer)
        return msg("key_layer_field", layer=layer, field=".".join(map(str, path[2:])))
    if len(path) == 3 and path[0] == "assets" and path[2] == "value":
        return msg("key_asset_value", asset=names.asset_label(scenario.assets[int(path[1])], msg))
    if len(path) >= 3 and path[0] == "threats":
        threat = names.threat_label(scenario.threats[int(path[1])], msg)
        if path[2:] == ("count",):
            return msg("key_count", threat=threat)
        if len(path) == 4 and path[2] == "targets":
            return msg("key_share", threat=threat,
                       target=names.target_label(scenario, str(path[3]), msg))
        if path[2:] == ("prelaunch_kill",):
            return msg("key_threat_prelaunch_kill", threat=threat)
    return key


def where(key: str, x: float, scenario: Scenario, msg: Messages) -> str:
    """"3× capacity", "4 fire units in upper": the point a finding speaks of, mid-sentence."""
    if key == RAID_RATIO:
        return msg("where_rr", r=msg.number(x, 2))
    path = parse_key(key, scenario).path
    if len(path) == 3 and path[0] == "layers" and path[2] == "fire_units":
        lay = scenario.layers[int(path[1])]
        return msg("where_fire_units", units=names.units_phrase(lay, x, msg),
                   layer=names.layer_label(lay, msg))
    if path == ("counterstrike", "prelaunch_kill"):
        return msg("where_prelaunch", x=msg.number(x, 3))
    label = key_label(key, scenario, msg)
    if msg.lang == "en" and label[1:2].islower():  # "Pre-launch kill" -> "pre-launch kill"
        label = label[0].lower() + label[1:]
    return msg("where_key", key=label, x=msg.number(x, 3))


def focus_index(key: str, x: np.ndarray, scenario: Scenario) -> int:
    """The point a title speaks of when no threshold is crossed.

    3x for the raid ratio (else the largest ratio), the scenario's own value
    for another key (else the last point).
    """
    if key == RAID_RATIO:
        near = int(np.nanargmin(np.abs(x - FOCUS_RATIO)))
        return near if abs(x[near] - FOCUS_RATIO) < 0.13 else int(np.nanargmax(x))
    try:
        node = scenario.to_dict()
        for step in parse_key(key, scenario).path:
            node = node[step]
        hits = np.nonzero(np.isclose(x, float(node)))[0]
        if hits.size:
            return int(hits[0])
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    return len(x) - 1


def _first(mask: np.ndarray) -> int | None:
    hits = np.nonzero(mask)[0]
    return int(hits[0]) if hits.size else None


def leakage_title(key: str, x: np.ndarray, mean: np.ndarray, warheads: np.ndarray,
                  scenario: Scenario, msg: Messages) -> str:
    """The finding of the leakage curve."""
    if key == RAID_RATIO:
        i = focus_index(key, x, scenario)
        naive = max(0.0, 1.0 - 1.0 / x[i]) if x[i] > 0 else 0.0
        frac = mean[i] / warheads[i] if warheads[i] > 0 else 0.0
        return msg("find_rr_leak", where=where(key, x[i], scenario, msg),
                   pct=msg.percent(frac), naive=msg.percent(naive))
    if mean[-1] < mean[0]:  # a lever: where does it bring leakage under one warhead?
        i = _first(mean < 1.0)
        if i is not None and i > 0:
            return msg("find_leak_below1", where=where(key, x[i], scenario, msg))
        path = parse_key(key, scenario).path
        j = floor_index(mean) if path[-1:] == ("fire_units",) else None
        if j is not None:
            return msg("find_floor", where=where(key, x[j], scenario, msg),
                       y=msg.number(mean[j]))
        if i is None:
            return msg("find_leak_still", where=where(key, x[-1], scenario, msg),
                       y=msg.number(mean[-1]))
    i = focus_index(key, x, scenario)
    return msg("find_leak_at", where=where(key, x[i], scenario, msg), y=msg.number(mean[i]))


#: A lever has reached its floor where what it can still remove is less than this
#: share of what it removes over the whole sweep.
FLOOR_SHARE = 0.05


def floor_index(mean: np.ndarray) -> int | None:
    """Where a falling leakage curve flattens above zero: the first point from which
    less than :data:`FLOOR_SHARE` of the sweep's reduction remains, if later points
    follow (else None). Past it, more of the lever buys almost nothing: what leaks
    is set by kill probabilities and engagement windows, not by this lever."""
    drop = mean[0] - mean[-1]
    if not np.isfinite(drop) or drop <= 0 or mean[-1] < 0.5:
        return None
    i = _first(mean - mean[-1] < FLOOR_SHARE * drop)
    return i if i is not None and 0 < i < len(mean) - 1 else None


def probability_title(key: str, x: np.ndarray, p_any: np.ndarray, scenario: Scenario,
                      msg: Messages) -> str:
    """The finding of the probability curves."""
    if np.nanmin(p_any) >= P_ALWAYS:  # the figure leaves this flat curve out: say it here
        return msg("find_p_always", pct=msg.percent(P_ALWAYS))
    if p_any[-1] >= p_any[0]:  # leaks grow along x (raid size, count)
        if p_any[0] >= P_HALF:
            return msg("find_p_even", where=where(key, x[0], scenario, msg),
                       pct=msg.percent(p_any[0]))
        i = _first(p_any > P_HALF)
        if i is not None:
            return msg("find_p_likely", where=where(key, x[i], scenario, msg))
    else:  # a lever
        i = _first(p_any <= P_LOW)
        if i is not None:
            return msg("find_p_below", where=where(key, x[i], scenario, msg))
        return msg("find_p_even", where=where(key, x[-1], scenario, msg),
                   pct=msg.percent(p_any[-1]))
    i = focus_index(key, x, scenario)
    return msg("find_p_at", where=where(key, x[i], scenario, msg), pct=msg.percent(p_any[i]))


def layers_title(key: str, x: np.ndarray, empty: dict[str, np.ndarray],
                 fired_total: np.ndarray, scenario: Scenario, msg: Messages) -> str:
    """The finding of the per-layer figure: when magazines run dry, else what is fired."""
    if key == RAID_RATIO:
        name = binding_layer(x, empty, scenario)
        if name is not None:
            i = _first(empty[name] > P_HALF)
            assert i is not None
            return msg(dry_message("find_dry_from", scenario, name),
                       where=where(key, x[i], scenario, msg),
                       layer=names.layer_by_name(scenario, name, msg))
    i = focus_index(key, x, scenario)
    return msg("find_fired_at", where=where(key, x[i], scenario, msg),
               n=msg.number(fired_total[i]))


def dry_message(key: str, scenario: Scenario, name: str) -> str:
    """``key``, or its ``_site`` form for a layer whose units stand at several sites:
    its P(magazine empty) is then that some site ran dry (docs/model.md)."""
    lay = scenario.layers[scenario.layer_index(name)]
    sites = sum(1 for _, units in scenario.layer_sites(lay) if units > 0)
    return f"{key}_site" if sites > 1 else key


def binding_layer(x: np.ndarray, empty: dict[str, np.ndarray],
                  scenario: Scenario) -> str | None:
    """The layer whose empty magazine matters most: of the layers that run dry in
    most raids somewhere on the curve, the one holding the most interceptors.

    A small layer that is empty from the smallest raid is a fact, not a finding;
    the layer that carries the defence and runs dry is the one that binds.
    """
    dry = [n for n, p in empty.items() if _first(p > P_HALF) is not None]
    if not dry:
        return None

    def stock(n: str) -> int:
        lay = scenario.layers[scenario.layer_index(n)]
        return lay.fire_units * lay.interceptors_per_unit
    return max(dry, key=stock)


def regimes(x: np.ndarray, p_empty_max: np.ndarray, engaged_share: np.ndarray) -> list[str]:
    """The regime of each point of a raid-ratio sweep, from the engine's own statistics.

    ``below``: the raid is within the nominal capacity (ratio <= 1); what leaks
    gets through by misses (the kill-probability floor). ``magazine``: most of
    the defence's interceptors are in empty magazines. ``channel``: magazines last but not
    every missile is engaged (``engaged_share`` below 1): fire channels are the
    limit. ``floor``: every missile is engaged and magazines last, so what leaks
    is set by kill probabilities.

    Parameters
    ----------
    x : ndarray, shape (n,)
        Raid ratio of each point.
    p_empty_max : ndarray, shape (n,)
        Share of the defence's interceptors in empty magazines, per point
        (:func:`curves.stock_empty`).
    engaged_share : ndarray, shape (n,)
        Mean engagements of the outermost-reaching layers per missile, capped at 1.
    """
    out = []
    for r, pe, eng in zip(x, p_empty_max, engaged_share):
        if pe > P_HALF:
            out.append("magazine")
        elif r <= 1.0:
            out.append("below")
        elif eng < 0.98:
            out.append("channel")
        else:
            out.append("floor")
    return out


def cost_title(key: str, x: np.ndarray, ratio: np.ndarray, scenario: Scenario,
               msg: Messages) -> str:
    """The finding of the cost-exchange figure, at the focus point."""
    i = focus_index(key, x, scenario)
    return msg("find_cost", where=where(key, x[i], scenario, msg),
               ratio=msg.number(float(ratio[i]), 2))


def grid_title(p_any: np.ndarray, msg: Messages) -> str:
    """The finding of a two-key heatmap of P(any leak)."""
    safe = int(np.sum(p_any <= P_LOW))
    if safe:
        return msg("find_grid_safe", n=safe, total=p_any.size)
    return msg("find_grid_none", pmin=msg.percent(float(np.nanmin(p_any))))
