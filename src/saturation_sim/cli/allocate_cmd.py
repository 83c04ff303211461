"""The ``allocate`` sub-command: where should the attacker aim? (see
:mod:`saturation_sim.sweep.allocation`).

Wire in with ``allocate_cmd.register(subparsers)``. Bad input raises
``ScenarioError``, ``SweepError`` or ``UsageError``, which the entry point prints as one line
with exit status 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..scenario import load_scenario
from .common import check_threads, dumps, emit, positive_int, seed_int

#: How each strategy reads in the table.
NAMES = {"as_written": "as written", "uniform": "uniform", "by_value": "by value",
         "greedy": "greedy search"}


def strategy_name(strategy: str) -> str:
    """``top_2`` -> ``top 2``; the others from :data:`NAMES`."""
    if strategy.startswith("top_"):
        return f"top {strategy[4:]}"
    return NAMES.get(strategy, strategy)


def _num(x: float) -> str:
    return f"{x:,.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[j]) for r in [header] + rows) for j in range(len(header))]
    out = []
    for k, r in enumerate([header] + rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def format_allocation(d: dict[str, Any]) -> str:
    """The readable summary of ``AllocationResult.to_dict()``."""
    assets = [a["name"] for a in d["assets"]]
    lines = [d["scenario"],
             f"attacker strategies over {len(assets)} assets: {d['trials']:,} trials per aim, "
             f"seed {d['seed']} (the same draws for every aim), {d['evaluations']} runs",
             "",
             "value-weighted damage = sum over assets of value x warheads leaking there "
             "(mean per raid)", ""]
    values = {a["name"]: a["value"] for a in d["assets"]}
    header = ["strategy", "damage", "95% CI", "leakers"] + assets
    rows = [["value", "", "", ""] + [f"{values[a]:g}" for a in assets]]
    for o in d["outcomes"]:
        lo, hi = o["damage_ci95"]
        rows.append([strategy_name(o["strategy"]), _num(o["damage_mean"]),
                     f"{_num(lo)}-{_num(hi)}", _num(o["leakers_mean"])]
                    + [_num(o["leakers"][a]) for a in assets])
    lines += ["Warheads leaking at each asset (mean per raid):"] + _table(header, rows)
    rows = [[strategy_name(o["strategy"])] + [_num(o["targeted"][a]) for a in assets]
            for o in d["outcomes"]]
    lines += ["", "Missiles aimed at each asset (launched, decoys included, mean per raid):"]
    lines += _table(["strategy"] + assets, rows)
    by = {o["strategy"]: o for o in d["outcomes"]}
    worst = by[d["worst"]]
    lines.append("")
    if d.get("uniform") is not None:
        u = by["uniform"]
        ratio = (f", {worst['damage_mean'] / u['damage_mean']:.1f}x uniform's"
                 if u["damage_mean"] > 0 else "")
        lines.append(f"uniform aim: damage {_num(u['damage_mean'])}, "
                     f"{_num(u['leakers_mean'])} warheads leaking")
        lines.append(f"defender's worst case: {strategy_name(worst['strategy'])}, damage "
                     f"{_num(worst['damage_mean'])}{ratio}, "
                     f"{_num(worst['leakers_mean'])} warheads leaking")
    else:
        lines.append(f"defender's worst case: {strategy_name(worst['strategy'])}, damage "
                     f"{_num(worst['damage_mean'])}")
    if d["raid_ratio"] is not None:
        lines.append(f"national raid ratio (all fire units pooled): {d['raid_size']:,} / "
                     f"{d['capacity']:,} = {d['raid_ratio']:.2f}x")
    return "\n".join(lines)


def cmd_allocate(args: argparse.Namespace) -> int:
    from ..sweep.allocation import allocate

    scenario = load_scenario(args.config)
    check_threads(args.threads)
    result = allocate(scenario, trials=args.trials, seed=args.seed,
                      max_evaluations=args.max_runs, threads=args.threads)
    d = result.to_dict()
    return emit(dumps(d), lambda: format_allocation(d), args.json)


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    """Add ``allocate`` to the sub-command parser of ``saturation-sim``."""
    from ..sweep.allocation import ALLOCATE_TRIALS, MAX_EVALUATIONS

    p = sub.add_parser(
        "allocate", help="where should the attacker aim? strategies over the defended assets",
        description="For a scenario with [[assets]], keep the raid and the defence and change "
                    "only how each threat group's missiles are split over the assets (its "
                    "open-ground share stays): the file's own aim, equal shares, shares by "
                    "value, all on the k most valuable assets, and a greedy search. Prints "
                    "value-weighted damage and leakers per asset for each, and the "
                    "defender's worst case beside the uniform aim. Every aim is run with the "
                    "same trials and seed.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML) with [[assets]]")
    p.add_argument("--trials", type=positive_int, metavar="N",
                   help=f"Monte Carlo trials per aim (default {ALLOCATE_TRIALS:,}: enough to "
                        "rank aims, not for a precise estimate)")
    p.add_argument("--seed", type=seed_int, metavar="S",
                   help="the seed of every aim (default: the file's, else 1)")
    p.add_argument("--max-runs", type=positive_int, default=MAX_EVALUATIONS, metavar="M",
                   help=f"at most M Monte Carlo runs in all; the greedy search stops there "
                        f"(default {MAX_EVALUATIONS})")
    p.add_argument("--threads", type=positive_int, metavar="T",
                   help="engine threads (default: all cores); does not change the results")
    p.add_argument("--json", metavar="PATH|-",
                   help="also write the JSON result to PATH; '-' prints only the JSON")
    p.set_defaults(func=cmd_allocate)
