"""The brief's words computed from all of its sweeps: the bottom line, why the naive
count misleads, and what each lever buys.

Every number in these paragraphs is read from the sweeps the brief ran; the
words around them are chosen by thresholds stated here, so a reader can trace
why the brief says "overwhelmed" rather than "strained".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..scenario import Scenario
from ..sweep import RAID_RATIO, parse_key
from . import findings as fd
from . import names
from .curves import engaged_share, stock_empty
from .data import SweepData
from .i18n import Messages

#: Share of warheads leaking at 3x above which the defence is "overwhelmed", and
#: below which it "holds"; between them it is "strained".
OVERWHELMED, HOLDS = 0.5, 0.2
#: The pre-launch kill probability a counterstrike lever is quoted at.
COUNTERSTRIKE_QUOTE = 0.5
#: Shares at 3x within this of the naive count are "close" (the errors cancel).
NAIVE_CLOSE = 0.03
#: Levers named in the bottom line (the rest are in the findings).
MAX_LEVERS = 2


@dataclass
class Lever:
    """What one lever sweep buys at the raid as written."""

    key: str
    text: str  # the lever's effect, as a clause
    reduction: float  # mean leakers removed (today's value to the quoted value)
    finding: str  # the lever figure's title


def _share(data: SweepData, i: int) -> float:
    mean = data.leakers()[0][i]
    w = data.warheads()[i]
    return float(mean / w) if w > 0 else 0.0


def _at_ratio(data: SweepData, r: float) -> int | None:
    x = data.x(RAID_RATIO)
    i = int(np.nanargmin(np.abs(x - r)))
    return i if abs(x[i] - r) < 0.13 else None


def lever(data: SweepData, key: str, msg: Messages, finding: str, unit: str) -> Lever | None:
    """The effect of one lever (a layer's fire units, or counterstrike) as a clause."""
    s = data.scenario
    x = data.x(key)
    mean = data.leakers()[0]
    now = fd.focus_index(key, x, s)
    path = parse_key(key, s).path
    if path == ("counterstrike", "prelaunch_kill"):
        hits = np.nonzero(np.isclose(x, COUNTERSTRIKE_QUOTE))[0]
        j = int(hits[0]) if hits.size else len(x) - 1
        text = msg("lever_counterstrike", p=msg.number(x[j], 2), a=msg.number(mean[now]),
                   b=msg.number(mean[j]), pct=_cut(mean[now], mean[j], msg))
    elif len(path) == 3 and path[0] == "layers" and path[2] == "fire_units":
        lay = s.layers[int(path[1])]
        j = len(x) - 1
        text = msg("lever_fire_units", layer=names.layer_label(lay, msg),
                   more=names.units_phrase(lay, x[j], msg),
                   now=names.units_phrase(lay, x[now], msg), a=msg.number(mean[now]),
                   b=msg.number(mean[j]), pct=_cut(mean[now], mean[j], msg))
        floor = fd.floor_index(mean)
        if floor is not None and floor > now:
            text += msg("lever_floor", units=names.units_phrase(lay, x[floor], msg))
        if lay.interceptor_cost:
            added = (x[j] - x[now]) * lay.interceptors_per_unit * lay.interceptor_cost
            text += msg("lever_cost", cost=money(float(added), unit, msg))
    else:
        return None
    return Lever(key, text, float(mean[now] - mean[j]), finding)


def money(x: float, unit: str, msg: Messages) -> str:
    """"USD 5,184 M" for a unit "USD M", else "5,184 (unit)"."""
    cur, _, scale = unit.partition(" ")
    nbsp = "\u00a0"  # an amount is never broken across lines
    if cur == "USD" and scale:
        return f"USD{nbsp}{msg.number(x)}{nbsp}{scale}"
    return f"{msg.number(x)}{nbsp}({unit})"


def _cut(a: float, b: float, msg: Messages) -> str:
    return msg.percent((a - b) / a) if a > 0 else "0%"


def bottom_line(rr: SweepData | None, levers: list[Lever], scenario: Scenario,
                msg: Messages, ranges: Callable[[float], str] | None = None,
                aim: str | None = None) -> str:
    """The answer to "is shield-only defence broken at 3x, and what would change that?".

    ``ranges(share)``, given the nominal share leaking at 3x, returns the sentences
    on the range the scenario's ``[uncertainty]`` allows (quoted after the numbers).
    ``aim``: with ``[[assets]]``, the sentence on what concentrating the raid does
    (quoted after what binds).
    """
    parts = []
    i = _at_ratio(rr, fd.FOCUS_RATIO) if rr is not None else None
    if rr is not None and i is not None:
        share = _share(rr, i)
        verdict = ("verdict_overwhelmed" if share >= OVERWHELMED
                   else "verdict_holds" if share < HOLDS else "verdict_strained")
        mean = rr.leakers()[0][i]
        p_any = rr.p_any()[0][i]
        res = rr.points[i]["result"]
        parts.append(msg(verdict))
        parts.append(msg("bl_numbers", raid=msg.number(res["raid_size"]),
                         cap=msg.number(scenario.capacity), m=msg.number(mean),
                         w=msg.number(rr.warheads()[i]), share=msg.percent(share),
                         pany=msg.percent(p_any)))
        if ranges is not None:
            parts.append(ranges(share))
        parts.append(_limit_sentence(rr, i, msg))
    elif scenario.capacity <= 0:
        parts.append(msg("no_capacity"))
    if aim:
        parts.append(aim)
    # The two levers that remove the most leakers: page 1 is for what matters most.
    ranked = sorted((lv for lv in levers if lv.reduction > 0),
                    key=lambda lv: -lv.reduction)[:MAX_LEVERS]
    if ranked and scenario.raid_ratio is not None:
        parts.append(msg("bl_levers", ratio=msg.number(scenario.raid_ratio, 2),
                         levers=msg("list_sep").join(lv.text for lv in ranked)))
    return msg("sentence_sep").join(p for p in parts if p)


def _limit_sentence(rr: SweepData, i: int, msg: Messages) -> str:
    """What binds at 3x: a layer's magazine, the fire channels, or kill probabilities."""
    s = rr.scenario
    x = rr.x(RAID_RATIO)
    empty = {lay.name: rr.p_empty(lay.name)[0] for lay in s.layers}
    kind = fd.regimes(x, stock_empty(rr), engaged_share(rr))[i]
    if kind == "magazine":
        name = fd.binding_layer(x, empty, s)
        if name is not None:
            first = int(np.nonzero(empty[name] > fd.P_HALF)[0][0])
            return msg(fd.dry_message("bl_magazine", s, name),
                       layer=names.layer_by_name(s, name, msg),
                       r=msg.number(x[first], 2))
    return msg(f"bl_{kind}")


def naive_box(rr: SweepData, scenario: Scenario, msg: Messages) -> str:
    """Two or three sentences, with this scenario's numbers, on why the share leaking
    differs from 1 - 1/r in both directions."""
    parts = [msg("naive_intro", cap=msg.number(scenario.capacity))]
    i1 = _at_ratio(rr, 1.0)
    if i1 is not None:
        parts.append(msg("naive_below", s1=msg.percent(_share(rr, i1))))
    i3 = _at_ratio(rr, fd.FOCUS_RATIO)
    if i3 is not None:
        r = rr.x(RAID_RATIO)[i3]
        s3, n3 = _share(rr, i3), max(0.0, 1.0 - 1.0 / r)
        decoys = any(not t.is_warhead for t in scenario.threats)
        if s3 < n3 - NAIVE_CLOSE:
            key = "naive_above_lower"
        elif s3 > n3 + NAIVE_CLOSE:
            key = "naive_above_higher_decoys" if decoys else "naive_above_higher"
        else:
            key = "naive_above_close"
        parts.append(msg(key, s3=msg.percent(s3), n3=msg.percent(n3)))
    return msg("sentence_sep").join(parts)


def rank_findings(headline: str, others: list[tuple[str, str]], levers: list[Lever],
                  effects: list[tuple[float, str]] = ()) -> list[str]:
    """The findings of page 2, most important first.

    The headline (the share leaking at 3x) leads; then the layer that binds;
    then the levers, and ``effects`` (``(leakers it moves, finding)``, such as
    what concentrating the raid on one site adds), by how many leakers they
    move; then the rest (the probability of any leak, the cost exchange).
    ``others`` pairs each non-lever finding with its kind (``layers``,
    ``probability``, ``cost``).
    """
    order = {"layers": 0, "probability": 2, "cost": 3}
    ranked: list[tuple[float, float, str]] = [(-1, 0, headline)]
    for kind, text in others:
        ranked.append((order.get(kind, 4), 0, text))
    for lv in levers:
        ranked.append((1, -lv.reduction, lv.finding))
    for effect, text in effects:
        ranked.append((1, -abs(effect), text))
    return [t for _, _, t in sorted(ranked, key=lambda r: (r[0], r[1]))]
