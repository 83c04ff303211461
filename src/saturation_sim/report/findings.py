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
from .i18n import Messages

#: The raid ratio that the brief and the raid-ratio figures single out.
FOCUS_RATIO = 3.0
#: P(any leak) thresholds drawn as contours and used in findings.
P_LOW, P_HALF = 0.05, 0.5


def key_label(key: str, scenario: Scenario, msg: Messages) -> str:
    """A reader's name for a sweep key, e.g. "Fire units in upper"."""
    if key == RAID_RATIO:
        return msg("axis_raid_ratio")
    path = parse_key(key, scenario).path
    if path == ("counterstrike", "prelaunch_kill"):
        return msg("key_prelaunch_kill")
    if len(path) >= 3 and path[0] == "layers":
        layer = scenario.layers[int(path[1])].name
        if path[2:] == ("fire_units",):
            return msg("key_fire_units", layer=layer)
        if len(path) == 5 and path[2] == "engage" and path[4] == "sspk":
            return msg("key_sspk", layer=layer, threat=path[3])
        return msg("key_layer_field", layer=layer, field=".".join(map(str, path[2:])))
    if len(path) >= 3 and path[0] == "threats":
        threat = scenario.threats[int(path[1])].name
        if path[2:] == ("count",):
            return msg("key_count", threat=threat)
        if path[2:] == ("prelaunch_kill",):
            return msg("key_threat_prelaunch_kill", threat=threat)
    return key


def where(key: str, x: float, scenario: Scenario, msg: Messages) -> str:
    """"3× capacity", "4 fire units in upper": the point a finding speaks of, mid-sentence."""
    if key == RAID_RATIO:
        return msg("where_rr", r=msg.number(x, 2))
    path = parse_key(key, scenario).path
    if len(path) == 3 and path[0] == "layers" and path[2] == "fire_units":
        return msg("where_fire_units", x=msg.number(x), layer=scenario.layers[int(path[1])].name)
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
        if i is None:
            return msg("find_leak_still", where=where(key, x[-1], scenario, msg),
                       y=msg.number(mean[-1]))
    i = focus_index(key, x, scenario)
    return msg("find_leak_at", where=where(key, x[i], scenario, msg), y=msg.number(mean[i]))


def probability_title(key: str, x: np.ndarray, p_any: np.ndarray, scenario: Scenario,
                      msg: Messages) -> str:
    """The finding of the probability curves."""
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
        firsts = {name: _first(p > P_HALF) for name, p in empty.items()}
        firsts = {n: i for n, i in firsts.items() if i is not None}
        if firsts:
            name = min(firsts, key=firsts.get)
            return msg("find_dry_from", where=where(key, x[firsts[name]], scenario, msg),
                       layer=name)
    i = focus_index(key, x, scenario)
    return msg("find_fired_at", where=where(key, x[i], scenario, msg),
               n=msg.number(fired_total[i]))


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
