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


def point_row(axes: Sequence[Axis], layer_names: Sequence[str],
              point: dict[str, Any]) -> dict[str, Any]:
    """One point as typed columns: the rows of results.csv, ``rows()`` and ``to_pandas()``.

    Columns: one per swept key, then the fixed columns of interface.md, then per
    layer ``<layer>_interceptors_mean``, ``leakers_std``, per layer
    ``<layer>_p_magazine_empty``, ``ci_halfwidth_met``, and the extensions: per
    layer ``<layer>_interceptors_ci95_lo/hi``, the costs with their intervals and,
    with ``[[assets]]``, ``leakers_<asset>_mean`` per asset and ``damage_value_weighted_mean``.
    When ``raid_ratio`` is swept, its key column is called ``raid_ratio_requested``
    (the ratio asked for), because the fixed ``raid_ratio`` column holds the ratio
    as run (raid_size / capacity, after rounding to whole missiles) and a column
    name must not appear twice. Missing values (no costs, no target) are None.
    """
    r = point["result"]
    lo, hi = r["leakers"]["ci95"]
    plo, phi = r["p_any_leak_ci95"]
    row: dict[str, Any] = {key_column(a): point["values"][a.key.text] for a in axes}
    row.update(capacity=r["capacity"], raid_size=r["raid_size"], raid_ratio=r["raid_ratio"],
               trials=r["trials"], leakers_mean=r["leakers"]["mean"], leakers_ci95_lo=lo,
               leakers_ci95_hi=hi, p_any_leak=r["p_any_leak"], p_any_leak_ci95_lo=plo,
               p_any_leak_ci95_hi=phi)
    for name in layer_names:
        row[f"{name}_interceptors_mean"] = r["by_layer"][name]["interceptors_mean"]
    row["leakers_std"] = r["leakers"]["std"]
    for name in layer_names:
        row[f"{name}_p_magazine_empty"] = r["by_layer"][name]["p_magazine_empty"]
    met = point.get("ci_met")
    row["ci_halfwidth_met"] = None if met is None else bool(met)
    for name in layer_names:
        ilo, ihi = r["by_layer"][name]["interceptors_ci95"]
        row[f"{name}_interceptors_ci95_lo"] = ilo
        row[f"{name}_interceptors_ci95_hi"] = ihi
    c = r["cost"]
    for who in ("defender", "attacker"):
        ci = c[f"{who}_ci95"] or (None, None)
        row[f"{who}_cost_mean"] = c[f"{who}_mean"]
        row[f"{who}_cost_ci95_lo"], row[f"{who}_cost_ci95_hi"] = ci
    row["exchange_ratio"] = c["exchange_ratio"]
    for name, a in r.get("by_asset", {}).items():
        row[f"leakers_{name}_mean"] = a["leakers_mean"]
    if "damage" in r:
        row["damage_value_weighted_mean"] = r["damage"]["value_weighted_mean"]
    return row


def csv_header(axes: Sequence[Axis], layer_names: Sequence[str],
               points: Sequence[dict[str, Any]]) -> list[str]:
    """Column names of results.csv (see :func:`point_row`)."""
    if points:
        return list(point_row(axes, layer_names, points[0]))
    return ([key_column(a) for a in axes] + list(FIXED_COLUMNS)
            + [f"{name}_interceptors_mean" for name in layer_names])


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    return v


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
    w.writerow([safe_cell(c) for c in csv_header(axes, layer_names, points)])
    for p in points:
        w.writerow([safe_cell(_cell(c)) for c in point_row(axes, layer_names, p).values()])
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
