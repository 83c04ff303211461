"""What a sweep leaves behind: the rows of ``results.csv`` and the ``sweep.json`` document."""

from __future__ import annotations

import csv
import io
from typing import Any, Sequence

from .grid import Axis

#: The fixed columns of results.csv (interface.md), after one column per swept key.
FIXED_COLUMNS = ("capacity", "raid_size", "raid_ratio", "trials", "leakers_mean",
                 "leakers_ci95_lo", "leakers_ci95_hi", "p_any_leak", "p_any_leak_ci95_lo",
                 "p_any_leak_ci95_hi")


def key_column(axis: Axis) -> str:
    """The results.csv column of a swept key (see :func:`csv_header`)."""
    return axis.key.text + ("_requested" if axis.key.text in FIXED_COLUMNS else "")


def csv_header(axes: Sequence[Axis], layer_names: Sequence[str]) -> list[str]:
    """Column names: swept keys, the fixed columns, per-layer interceptors, then extras.

    When ``raid_ratio`` is swept, its key column is called
    ``raid_ratio_requested`` (the ratio asked for), because the fixed
    ``raid_ratio`` column holds the ratio as run (raid_size / capacity, after
    rounding to whole missiles) and a CSV header must not name a column twice.
    """
    return ([key_column(a) for a in axes] + list(FIXED_COLUMNS)
            + [f"{name}_interceptors_mean" for name in layer_names]
            + ["leakers_std"] + [f"{name}_p_magazine_empty" for name in layer_names]
            + ["ci_halfwidth_met"])


def csv_row(axes: Sequence[Axis], layer_names: Sequence[str],
            point: dict[str, Any]) -> list[Any]:
    """One row of results.csv from a point's payload (values, trials, result)."""
    r = point["result"]
    lo, hi = r["leakers"]["ci95"]
    plo, phi = r["p_any_leak_ci95"]
    met = point.get("ci_met")
    return ([point["values"][a.key.text] for a in axes]
            + [r["capacity"], r["raid_size"], "" if r["raid_ratio"] is None else r["raid_ratio"],
               r["trials"], r["leakers"]["mean"], lo, hi, r["p_any_leak"], plo, phi]
            + [r["by_layer"][name]["interceptors_mean"] for name in layer_names]
            + [r["leakers"]["std"]]
            + [r["by_layer"][name]["p_magazine_empty"] for name in layer_names]
            + ["" if met is None else str(bool(met)).lower()])


#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell: Any) -> Any:
    """A text cell that a spreadsheet will show as text, never run as a formula.

    Numbers pass unchanged (a negative number is a number); text that starts
    like a formula gets a leading apostrophe, which spreadsheets hide.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def csv_text(axes: Sequence[Axis], layer_names: Sequence[str],
             points: Sequence[dict[str, Any]]) -> str:
    """The whole of results.csv, one row per point in grid order (names made formula-safe)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in csv_header(axes, layer_names)])
    for p in points:
        w.writerow([safe_cell(c) for c in csv_row(axes, layer_names, p)])
    return buf.getvalue()


def sweep_document(scenario: dict[str, Any], source: str, axes: Sequence[Axis],
                   settings: dict[str, Any], sweep_id: str, version: str,
                   points: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The content of sweep.json: the scenario as run, keys, values, settings, every point."""
    return {
        "scenario": scenario, "source": source,
        "keys": [a.key.text for a in axes],
        "values": {a.key.text: list(a.values) for a in axes},
        **settings,
        "version": version, "sweep_id": sweep_id,
        "points": [{"index": p["index"], "values": p["values"], "trials": p["trials"],
                    "ci_halfwidth_met": p.get("ci_met"), "result": p["result"]}
                   for p in points],
    }
