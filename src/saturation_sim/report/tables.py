"""The brief's tables as plain rows of text, shared by the PDF pages and the Markdown.

Building the rows once means the PDF and brief.md cannot disagree on a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario import Scenario, ThreatGroup
from .data import SweepData
from .i18n import Messages

#: The raid ratios of the key-numbers table.
KEY_RATIOS = (1.0, 2.0, 3.0)


@dataclass
class Table:
    """A header row and body rows of text."""

    header: list[str]
    rows: list[list[str]]


def _ci(msg: Messages, m: float, lo: float, hi: float) -> str:
    return f"{msg.number(m, 2)} [{msg.number(lo, 2)}, {msg.number(hi, 2)}]"


def _pct_ci(msg: Messages, p: float, lo: float, hi: float) -> str:
    # One decimal: an interval of a few tenths of a percent must not read "[96%, 96%]".
    return f"{msg.percent(p, 1)} [{msg.percent(lo, 1)}, {msg.percent(hi, 1)}]"


def key_numbers(data: SweepData, msg: Messages) -> Table:
    """Mean leakers, P(any leak) and interceptors fired at 1x, 2x and 3x capacity.

    The rows are the raid-ratio sweep's own points whose requested ratio is 1, 2
    or 3 (ratios missing from the grid are left out).
    """
    requested = np.array([p["values"]["raid_ratio"] for p in data.points], dtype=float)
    mean, lo, hi = data.leakers()
    p, plo, phi = data.p_any()
    w = data.warheads()
    fired = sum(data.layer(lay.name, "interceptors_mean") for lay in data.scenario.layers)
    header = [msg("col_ratio"), msg("col_raid"), msg("col_leakers"), msg("col_share"),
              msg("col_p_any"), msg("col_fired")]
    rows = []
    for r in KEY_RATIOS:
        hits = np.nonzero(np.isclose(requested, r))[0]
        if not hits.size:
            continue
        i = int(hits[0])
        res = data.points[i]["result"]
        share = mean[i] / w[i] if w[i] > 0 else 0.0
        rows.append([f"{msg.number(r)}×", msg.number(res["raid_size"]),
                     _ci(msg, mean[i], lo[i], hi[i]), msg.percent(share),
                     _pct_ci(msg, p[i], plo[i], phi[i]), msg.number(float(fired[i]))])
    return Table(header, rows)


def _launch(t: ThreatGroup, msg: Messages) -> str:
    la = t.launch
    if la.pattern == "uniform":
        return msg("launch_uniform", a=f"{la.start_s:g}", b=f"{la.start_s + la.span_s:g}")
    if la.pattern == "simultaneous":
        return msg("launch_simultaneous", t=f"{la.at_s[0]:g}")
    return msg("launch_waves", waves=", ".join(f"{n}@{a:g}" for a, n in zip(la.at_s, la.count)))


def threats_table(s: Scenario, msg: Messages) -> Table:
    """One row per threat group."""
    header = [msg("col_name"), msg("col_kind"), msg("col_count"), msg("col_launch"),
              msg("col_pk"), msg("col_cost")]
    rows = [[t.name, msg(t.kind), msg.number(t.count), _launch(t, msg),
             f"{s.group_prelaunch_kill(t):g}",
             msg("none") if t.cost is None else f"{t.cost:g}"] for t in s.threats]
    return Table(header, rows)


def layers_table(s: Scenario, msg: Messages) -> Table:
    """One row per defence layer, outer first."""
    header = [msg("col_name"), msg("col_units"), msg("col_channels"), msg("col_magazine"),
              msg("col_shots"), msg("col_avail"), msg("col_capacity"), msg("col_cost")]
    rows = [[lay.name, str(lay.fire_units), str(lay.channels_per_unit),
             str(lay.interceptors_per_unit), str(lay.shots_per_engagement),
             f"{lay.availability:g}", msg.number(lay.capacity()),
             msg("none") if lay.interceptor_cost is None else f"{lay.interceptor_cost:g}"]
            for lay in s.layers]
    return Table(header, rows)


def sspk_table(s: Scenario, msg: Messages) -> Table:
    """SSPK of each layer (rows) against each threat group (columns); a dash where the
    layer cannot engage the group."""
    header = [msg("col_layer")] + [t.name for t in s.threats]
    rows = [[lay.name] + [f"{lay.engage[t.name].sspk:g}" if t.name in lay.engage
                          else msg("none") for t in s.threats] for lay in s.layers]
    return Table(header, rows)


def scenario_tables(s: Scenario, msg: Messages) -> list[tuple[str, Table]]:
    """The scenario as (heading, table) pairs: raid, layers, SSPK matrix."""
    return [(msg("threats"), threats_table(s, msg)), (msg("layers"), layers_table(s, msg)),
            (msg("sspk_heading"), sspk_table(s, msg))]


def markdown(table: Table) -> str:
    """The table in GitHub Markdown (pipes in cells escaped)."""
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
    lines = [row(table.header), "|" + "---|" * len(table.header)]
    return "\n".join(lines + [row(r) for r in table.rows])
