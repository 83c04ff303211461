"""Readable text about a scenario: what ``check`` and ``keys`` print, and ``Scenario.summary()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .keys import RAID_RATIO, sweepable_numbers

if TYPE_CHECKING:  # the schema imports this module: no import back at run time
    from .schema import Layer, Scenario


def _ratio(r: float | None) -> str:
    return "infinite (no capacity)" if r is None else f"{r:.2f}x"


def describe_scenario(s: Scenario) -> list[str]:
    """Lines describing the raid, the layers and the capacity arithmetic."""
    decoys = sum(t.count for t in s.threats if not t.is_warhead)
    lines = [f"  raid: {s.raid_size:,} missiles in {len(s.threats)} group(s), "
             f"{s.warheads:,} warheads and {decoys:,} decoys"]
    for t in s.threats:
        pk = s.group_prelaunch_kill(t)
        extra = f", prelaunch kill {pk:g}" if pk > 0 else ""
        lines.append(f"    {t.name:<16} {t.count:>7,} {t.kind:<8} {t.launch.pattern}{extra}")
        if s.has_assets:
            shares = ", ".join(f"{name} {x:g}" for name, x in zip(s.target_names,
                                                                   s.group_shares(t)) if x > 0)
            lines.append(f"    {'':<16} aimed at: {shares} ({t.allocation})")
    if s.has_assets:
        lines.append(f"  assets: {len(s.assets)} (value = weight of one leaker there)")
        for a in s.assets:
            label = f" ({a.label})" if a.label else ""
            lines.append(f"    {a.name:<16} value {a.value:g}{label}")
    lines.append(f"  defence: {len(s.layers)} layer(s), outer first")
    for lay in s.layers:
        avail = f", availability {lay.availability:g}" if lay.availability < 1 else ""
        lines.append(
            f"    {lay.name:<16} {lay.fire_units} unit(s) x {lay.channels_per_unit} channels, "
            f"{lay.interceptors_per_unit} interceptors/unit, {lay.shots_per_engagement} per "
            f"engagement{avail}: capacity {lay.capacity():,}")
        where = _sites(s, lay)
        tracks = ("" if lay.track_capacity is None
                  else f"; tracks at most {lay.track_capacity} threats at once per site")
        if where or tracks:
            lines.append(f"    {'':<16} {where or 'area defence'}{tracks}")
    lines.append(f"  capacity {s.capacity:,} engagements; raid {s.raid_size:,}; "
                 f"raid ratio {_ratio(s.raid_ratio)}")
    if s.is_campaign:
        lines.append(f"  campaign: {s.days} days, one raid a day (the raid above is day 1's); "
                     f"launcher kill {s.launcher_kill_per_day:g} a day")
        for t in s.threats:
            if t.launchers is not None or t.inventory is not None:
                per = (f"{t.launchers} launchers x {t.missiles_per_launcher} a day"
                       if t.launchers is not None else f"{t.count} a day")
                inv = "" if t.inventory is None else f", inventory {t.inventory:,}"
                lines.append(f"    {t.name:<16} {per}{inv}")
        for lay in s.layers:
            lines.append(f"    {lay.name:<16} reload {lay.reload_per_day}/unit a day, depot "
                         f"{lay.depot:,}, production {lay.production_per_day:g} a day, "
                         f"availability drawn per {lay.availability_per}")
    return lines


def _sites(s: Scenario, lay: Layer) -> str:
    """Where a layer's fire units stand, or "" for the implicit single asset."""
    if not s.has_assets:
        return ""
    names = s.target_names
    if lay.defends is None:
        return "area defence of every asset" + (" and open ground" if lay.engage_open else "")
    if lay.fire_units_at is None:
        return "point defence of " + ", ".join(lay.defends)
    return "point defence: " + ", ".join(
        f"{units} at {names[covered[0]]}" for covered, units in s.layer_sites(lay))


def describe_keys(s: Scenario) -> list[str]:
    """Lines of ``saturation-sim keys``: every sweepable key, its value, unit and meaning."""
    rows = [(RAID_RATIO, _ratio(s.raid_ratio).rstrip("x"), "ratio",
             "raid / capacity; rescales every group's count in proportion")]
    for n in sweepable_numbers(s):
        value = "(unset)" if n.value is None else f"{n.value:g}"
        rows.append((n.key, value, n.spec.unit, n.spec.doc))
    width = min(max(len(r[0]) for r in rows), 48)
    lines = [f"{s.source}: {len(rows)} sweepable keys (sweep --vary KEY=VALUES, solve, "
             "[uncertainty])"]
    for key, value, unit, doc in rows:
        lines.append(f"  {key:<{width}}  {value:>10}  {unit:<12}  {doc}")
    return lines
