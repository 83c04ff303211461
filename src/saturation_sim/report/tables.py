"""The brief's tables as plain rows of text, shared by the PDF pages and the Markdown.

Building the rows once means the PDF and brief.md cannot disagree on a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import SweepData
from .i18n import Messages

#: The raid ratios of the key-numbers table.
KEY_RATIOS = (1.0, 2.0, 3.0)


@dataclass
class Table:
    """A header row and body rows of text; a body row of one cell is a section
    heading that spans the table."""

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


def markdown(table: Table) -> str:
    """The table in GitHub Markdown (pipes in cells escaped; a one-cell section row
    becomes a bold first cell)."""
    n = len(table.header)

    def row(cells: list[str]) -> str:
        if len(cells) == 1 and n > 1:
            cells = [f"**{cells[0]}**"] + [""] * (n - 1)
        return "| " + " | ".join(" ".join(c.split()).replace("|", "\\|") for c in cells) + " |"
    lines = [row(table.header), "|" + "---|" * n]
    return "\n".join(lines + [row(r) for r in table.rows])
