"""Readable text for the terminal: the summary of a run and of a scenario check."""

from __future__ import annotations

from typing import Any

from ..scenario import Scenario


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
    lines.append(f"  defence: {len(s.layers)} layer(s), outer first")
    for lay in s.layers:
        avail = f", availability {lay.availability:g}" if lay.availability < 1 else ""
        lines.append(
            f"    {lay.name:<16} {lay.fire_units} unit(s) x {lay.channels_per_unit} channels, "
            f"{lay.interceptors_per_unit} interceptors/unit, {lay.shots_per_engagement} per "
            f"engagement{avail}: capacity {lay.capacity():,}")
    lines.append(f"  capacity {s.capacity:,} engagements; raid {s.raid_size:,}; "
                 f"raid ratio {_ratio(s.raid_ratio)}")
    return lines


def _fmt_ci(ci: list[float], digits: int) -> str:
    return f"[{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def format_result(d: dict[str, Any]) -> str:
    """The summary table printed by ``saturation-sim run``, from the JSON result."""
    lk = d["leakers"]
    method = {"mc": "Monte Carlo", "exact": "exact (analytic)"}.get(d.get("method", "mc"), d.get("method"))
    out = [d["scenario"]]
    out.append(f"  raid {d['raid_size']:,} missiles vs capacity {d['capacity']:,} engagements: "
               f"raid ratio {_ratio(d['raid_ratio'])}")
    if d.get("method", "mc") == "mc":
        rate = d["trials"] / d["elapsed_s"] if d["elapsed_s"] > 0 else float("nan")
        out.append(f"  {method}: {d['trials']:,} trials, seed {d['seed']}, {d['threads']} thread(s), "
                   f"{d['elapsed_s']:.2f} s ({rate:,.0f} trials/s)")
    else:
        out.append(f"  {method}")
    out.append("")
    out.append("Leaking warheads per raid")
    out.append(f"  mean          {lk['mean']:10.3f}   95% CI {_fmt_ci(lk['ci95'], 3)}   "
               f"std {lk['std']:.3f}")
    q = lk["quantiles"]
    out.append(f"  quantiles     p50 {q['p50']}   p90 {q['p90']}   p99 {q['p99']}")
    out.append(f"  P(any leak)   {d['p_any_leak']:10.4f}   95% CI {_fmt_ci(d['p_any_leak_ci95'], 4)}")
    tail = lk["p_at_least"]
    ks = [k for k in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if k < len(tail)]
    if ks:
        out.append("  P(>= k leak)  " + "   ".join(f"k={k}: {tail[k]:.4f}" for k in ks[:6]))
    out.append("")
    out.append(f"  {'threat group':<20}{'launched':>10}{'leakers':>10}")
    for name, t in d["by_threat"].items():
        out.append(f"  {name:<20}{t['launched_mean']:>10.3f}{t['leakers_mean']:>10.3f}")
    out.append("")
    out.append(f"  {'layer':<20}{'interceptors':>13}{'engagements':>13}{'kills':>10}"
               f"{'P(magazine empty)':>19}")
    for name, lay in d["by_layer"].items():
        out.append(f"  {name:<20}{lay['interceptors_mean']:>13.3f}{lay['engagements_mean']:>13.3f}"
                   f"{lay['kills_mean']:>10.3f}{lay['p_magazine_empty']:>19.4f}")
    c = d["cost"]
    if c["defender_mean"] is not None or c["attacker_mean"] is not None:
        out.append("")
        parts = []
        if c["defender_mean"] is not None:
            parts.append(f"defender {c['defender_mean']:,.1f}")
        if c["attacker_mean"] is not None:
            parts.append(f"attacker {c['attacker_mean']:,.1f}")
        if c["exchange_ratio"] is not None:
            parts.append(f"exchange ratio {c['exchange_ratio']:.2f} (defender per unit of attacker cost)")
        out.append("  mean cost: " + ", ".join(parts))
    for w in d.get("warnings", []):
        out.append(f"warning: {w}")
    return "\n".join(out)


def describe_keys(s: Scenario) -> list[str]:
    """Lines of ``saturation-sim keys``: every sweepable key, its value, unit and meaning."""
    from ..scenario.keys import RAID_RATIO, sweepable_numbers

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
