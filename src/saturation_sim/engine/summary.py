"""Readable text and HTML of a result: what ``run`` prints, ``summary()`` and ``_repr_html_``.

Both work from the JSON result (:func:`.result.result_dict`), so the terminal,
a notebook and the JSON always show the same numbers.
"""

from __future__ import annotations

import html
from typing import Any


def _ratio(r: float | None) -> str:
    return "infinite (no capacity)" if r is None else f"{r:.2f}x"


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
    campaign = d.get("campaign")
    out.append(f"Leaking warheads over the {campaign['days']}-day campaign" if campaign
               else "Leaking warheads per raid")
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
    if "by_asset" in d:
        out.append("")
        out += format_assets(d)
    if campaign:
        out.append("")
        out += format_days(d)
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


def format_assets(d: dict[str, Any]) -> list[str]:
    """The per-asset table: value, missiles aimed there, leakers (95% CI), P(any leak);
    then open ground and the value-weighted damage."""
    out = [f"  {'defended asset':<20}{'value':>7}{'targeted':>10}{'leakers':>10}{'95% CI':>19}"
           f"{'P(any leak)':>13}"]
    for name, a in d["by_asset"].items():
        lo, hi = a["leakers_ci95"]
        out.append(f"  {name[:19]:<20}{a['value']:>7g}{a['targeted_mean']:>10.3f}"
                   f"{a['leakers_mean']:>10.3f}{f'[{lo:.3f}, {hi:.3f}]':>19}"
                   f"{a['p_any_leak']:>13.4f}")
    out.append(f"  {'open ground':<20}{'':>7}{d['open_ground']['targeted_mean']:>10.3f}"
               "   never leaks")
    dm = d["damage"]
    out.append(f"  value-weighted damage (sum of value x leakers): "
               f"{dm['value_weighted_mean']:.3f}   95% CI {_fmt_ci(dm['value_weighted_ci95'], 3)}")
    return out


def format_days(d: dict[str, Any]) -> list[str]:
    """The per-day table of a campaign: launches, leakers (with their 95% CI), launchers
    alive, and per layer interceptors fired, loaded at the end of the day, depot and
    P(magazine empty); then the day each layer runs dry."""
    by = d["by_day"]
    layers = by["by_layer"]
    head = f"  {'day':>4}{'launched':>10}{'leakers':>9}{'95% CI':>17}"
    for name in by["launchers_alive_mean"]:
        head += f"{(name + ' launchers')[:18]:>19}"
    for name in layers:
        head += f"  {name[:12] + ': fired':>19}{'loaded':>9}{'depot':>9}{'P(empty)':>9}"
    out = ["Per day (means over trials; loaded and depot after the day's reloads)", head]
    for k in range(len(by["leakers_mean"])):
        lo, hi = by["leakers_ci95"][k]
        row = (f"  {k + 1:>4}{by['launched_mean'][k]:>10.2f}{by['leakers_mean'][k]:>9.2f}"
               f"{f'[{lo:.2f}, {hi:.2f}]':>17}")
        for alive in by["launchers_alive_mean"].values():
            row += f"{alive[k]:>19.2f}"
        for lay in layers.values():
            row += (f"  {lay['interceptors_mean'][k]:>19.2f}{lay['magazine_mean'][k]:>9.1f}"
                    f"{lay['depot_mean'][k]:>9.1f}{lay['p_magazine_empty'][k]:>9.3f}")
        out.append(row)
    dry = d["campaign"].get("dry_day", {})
    out.append("  runs dry (first day P(empty) > 0.5): " + ", ".join(
        f"{name} day {day}" if day is not None else f"{name} never" for name, day in dry.items()))
    return out


def result_html(d: dict[str, Any]) -> str:
    """A compact HTML table of a JSON result, for notebooks."""
    lk = d["leakers"]
    rows = [("raid / capacity", f"{d['raid_size']:,} / {d['capacity']:,} "
             f"({_ratio(d['raid_ratio'])})"),
            ("leakers, mean [95% CI]", f"{lk['mean']:.3f} {_fmt_ci(lk['ci95'], 3)}"),
            ("P(any leak) [95% CI]", f"{d['p_any_leak']:.4f} {_fmt_ci(d['p_any_leak_ci95'], 4)}"),
            ("leakers p50 / p90 / p99", f"{lk['quantiles']['p50']} / {lk['quantiles']['p90']} / "
             f"{lk['quantiles']['p99']}")]
    for name, lay in d["by_layer"].items():
        rows.append((f"{name}: interceptors, P(empty)",
                     f"{lay['interceptors_mean']:.2f}, {lay['p_magazine_empty']:.3f}"))
    for name, a in d.get("by_asset", {}).items():
        rows.append((f"{name}: leakers, P(any leak)",
                     f"{a['leakers_mean']:.3f}, {a['p_any_leak']:.4f}"))
    if "damage" in d:
        rows.append(("value-weighted damage", f"{d['damage']['value_weighted_mean']:.3f}"))
    how = ("exact" if d["method"] == "exact"
           else f"Monte Carlo, {d['trials']:,} trials, seed {d['seed']}")
    body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                   f"<td style='text-align:right'>{html.escape(v)}</td></tr>" for k, v in rows)
    return (f"<table><caption>{html.escape(d['scenario'])} ({html.escape(how)})</caption>"
            f"{body}</table>")
