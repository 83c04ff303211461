#!/usr/bin/env python3
"""Regenerate every number quoted in docs/analysis-3x.md.

    python docs/analysis_numbers.py               # run every command, print every number
    python docs/analysis_numbers.py --check       # ... and compare with the note (exit 1 if not)
    python docs/analysis_numbers.py --write       # ... and rewrite docs/analysis-3x.json
    python docs/analysis_numbers.py --subprocess  # run them as `saturation-sim` processes

The note's numbers come only from the project's own commands. COMMANDS below holds
each of them exactly as the note prints it (the note is checked to contain every one
verbatim). This script runs them through the command line's own entry point
(``saturation_sim.cli.main.main``) in this process, or with ``--subprocess`` as
separate ``saturation-sim`` processes; either way it only adds ``--quiet``, a
``--json`` file for ``run`` and ``solve``, and moves ``--out`` directories into a
scratch directory. None of that changes a number: a result depends only on the
scenario, the trials and the seed.

Every quoted number is derived from the JSON those commands write, formatted at the
precision the note prints, and recorded under a key. In the note each quoted number
is written ``<!-- n:KEY -->TEXT<!-- /n -->``; ``--check`` (and tests/test_analysis_doc.py)
require TEXT to equal the regenerated text for KEY, every key of the note to be
regenerated and every regenerated key to be quoted. A key's first dotted part names
the command it comes from.

Fixed trials and seed: 20,000 trials per point (5,000 per probe for the two solves on
the Japan scenario, which is 30 times the work per trial), seed 1. About a minute on
two cores once numba has compiled the engine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
NOTE = REPO / "docs" / "analysis-3x.md"
NUMBERS_JSON = REPO / "docs" / "analysis-3x.json"

# ---------------------------------------------------------------------------
# The commands, exactly as docs/analysis-3x.md prints them
# ---------------------------------------------------------------------------

COMMANDS: dict[str, str] = {
    # 1. What 3x means
    "ref": ("saturation-sim sweep configs/reference_3x.toml --vary raid_ratio=1,2,3 "
            "--trials 20000 --seed 1 --out out/ref_ratio"),
    "once": ("saturation-sim sweep configs/reference_3x.toml --vary threats.BM.launch.span_s=0 "
             "--trials 20000 --seed 1 --out out/ref_at_once"),
    "doc": ("saturation-sim sweep configs/doctrine_3x.toml "
            "--vary layers.battalion.shots_per_engagement=1,2 "
            "--vary layers.battalion.max_engagements=1,2 --vary threats.BM.count=8:96:8 "
            "--trials 20000 --seed 1 --out out/doctrine"),
    "jp": "saturation-sim run configs/japan_pooled.toml --trials 20000 --seed 1",
    "jpr": ("saturation-sim sweep configs/japan_pooled.toml --vary raid_ratio=1,2,3 "
            "--trials 20000 --seed 1 --out out/japan_ratio"),
    # 2. What it takes: solve
    "sfu": ("saturation-sim solve configs/reference_3x.toml --vary layers.upper.fire_units=1:20 "
            "--target \"leakers_mean<=5\" --trials 20000 --seed 1 --method mc"),
    "spa": ("saturation-sim solve configs/reference_3x.toml --vary layers.upper.fire_units=1:20 "
            "--target \"p_any_leak<=0.05\" --trials 20000 --seed 1 --method mc"),
    "smag": ("saturation-sim solve configs/reference_3x.toml "
             "--vary layers.upper.interceptors_per_unit=64:512 --target \"leakers_mean<=5\" "
             "--trials 20000 --seed 1 --method mc"),
    "sdoc": ("saturation-sim solve configs/doctrine_3x.toml "
             "--vary layers.battalion.fire_units=1:40 --target \"leakers_mean<=5\" "
             "--trials 20000 --seed 1 --method mc"),
    "sjs": ("saturation-sim solve configs/spear_vs_shield.toml "
            "--vary layers.jasdf_pac3.fire_units=24:96 --target \"leakers_mean<=157\" "
            "--trials 5000 --seed 1 --method mc"),
    "sjpa": ("saturation-sim solve configs/japan_pooled.toml "
             "--vary layers.jasdf_pac3.fire_units=24:96 --target \"p_any_leak<=0.05\" "
             "--trials 5000 --seed 1 --method mc"),
    # 3. Counterstrike
    "kref": ("saturation-sim solve configs/reference_3x.toml "
             "--vary counterstrike.prelaunch_kill=0:0.95 --target \"leakers_mean<=5\" "
             "--tol 0.001 --trials 20000 --seed 1 --method mc"),
    "kpa": ("saturation-sim solve configs/reference_3x.toml "
            "--vary counterstrike.prelaunch_kill=0:1 --target \"p_any_leak<=0.05\" "
            "--tol 0.001 --trials 20000 --seed 1 --method mc"),
    "spear": ("saturation-sim sweep configs/spear_vs_shield.toml "
              "--vary counterstrike.prelaunch_kill=0:0.5:0.1 "
              "--trials 20000 --seed 1 --out out/spear"),
    "shield": ("saturation-sim sweep configs/spear_vs_shield.toml "
               "--vary layers.jasdf_pac3.fire_units=24:34:2 "
               "--trials 20000 --seed 1 --out out/shield"),
    "kjs": ("saturation-sim solve configs/spear_vs_shield.toml "
            "--vary counterstrike.prelaunch_kill=0:0.9 --target \"leakers_mean<=157\" "
            "--tol 0.01 --trials 5000 --seed 1 --method mc"),
    # 4. The ally
    "umb": ("saturation-sim sweep configs/umbrella.toml "
            "--vary layers.usn_aegis.availability=0:1:0.25 "
            "--trials 20000 --seed 1 --out out/umbrella"),
}

#: Cost assumptions of configs/spear_vs_shield.toml (its comments; docs/sources.md).
USD_B_PER_FIRE_UNIT = 1.0            # USD B per added PAC-3 fire unit with its rounds
PK_PER_USD_B = 0.05                  # prelaunch_kill bought per USD 1 B (range 0.01-0.10)
PK_PER_USD_B_RANGE = (0.01, 0.10)
USD_B_PER_FIRE_UNIT_RANGE = (0.5, 1.1)

# ---------------------------------------------------------------------------
# Running the commands
# ---------------------------------------------------------------------------


def _executable() -> list[str]:
    exe = Path(sys.executable).parent / "saturation-sim"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("saturation-sim")
    if found:
        return [found]
    return [sys.executable, "-m", "saturation_sim.cli.main"]


def command_argv(cid: str, work: Path) -> list[str]:
    """The arguments of command ``cid`` as run here (scratch outputs, --quiet)."""
    toks = shlex.split(COMMANDS[cid])
    if toks[0] != "saturation-sim":
        raise ValueError(f"{cid}: not a saturation-sim command")
    argv: list[str] = []
    it = iter(toks[1:])
    for t in it:
        if t == "--out":
            argv += ["--out", str(work / next(it))]
        elif t.startswith("configs/"):
            argv.append(str(REPO / t))
        else:
            argv.append(t)
    if argv[0] in ("run", "solve"):
        argv += ["--json", str(work / f"{cid}.json")]
    return argv + ["--quiet"]


def run_command(cid: str, work: Path, use_subprocess: bool = False) -> dict[str, Any]:
    """Run command ``cid``; return its JSON (run/solve result, or the sweep's sweep.json)."""
    work.mkdir(parents=True, exist_ok=True)
    argv = command_argv(cid, work)
    if use_subprocess:
        proc = subprocess.run(_executable() + argv, cwd=work, capture_output=True, text=True)
        rc, err = proc.returncode, proc.stderr
    else:
        from saturation_sim.cli.main import main as cli_main

        buf_out, buf_err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
            rc = cli_main(argv)
        err = buf_err.getvalue()
    if rc != 0:
        raise RuntimeError(f"{COMMANDS[cid]}\nexited with {rc}: {err}")
    if argv[0] == "sweep":
        path = Path(argv[argv.index("--out") + 1]) / "sweep.json"
    else:
        path = work / f"{cid}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def point(sweep_doc: dict[str, Any], **values: Any) -> dict[str, Any]:
    """The result of the sweep point whose swept values include ``values``.

    Keyword names use ``__`` for ``.`` (``layers__upper__fire_units=2``).
    """
    want = {k.replace("__", "."): v for k, v in values.items()}
    hits = [p["result"] for p in sweep_doc["points"]
            if all(p["values"].get(k) == v for k, v in want.items())]
    if len(hits) != 1:
        raise KeyError(f"{len(hits)} sweep points match {want}")
    return hits[0]


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

def f0(x: float) -> str:
    return f"{x:,.0f}"


def f1(x: float) -> str:
    return f"{x:,.1f}"


def f2(x: float) -> str:
    return f"{x:.2f}"


def f3(x: float) -> str:
    return f"{x:.3f}"


def f4(x: float) -> str:
    return f"{x:.4f}"


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def pct0(x: float) -> str:
    return f"{100 * x:.0f}%"


def i0(x: float) -> str:
    return f"{int(round(x)):d}"


class Numbers:
    """key -> {"text", "value", "command"}; the first dotted part of a key is its command."""

    def __init__(self) -> None:
        self.d: dict[str, dict[str, Any]] = {}

    def put(self, key: str, value: float, fmt: Callable[[float], str]) -> None:
        cid = key.split(".")[0]
        if cid not in COMMANDS:
            raise KeyError(f"{key}: {cid} is not a command id")
        if key in self.d:
            raise KeyError(f"{key} set twice")
        self.d[key] = {"text": fmt(value), "value": float(value), "command": cid}


def naive_share(ratio: float) -> float:
    """The naive deterministic share leaking: each nominal engagement kills one missile."""
    return max(0.0, 1.0 - 1.0 / ratio)


def warheads(result: dict[str, Any], warhead_groups: list[str]) -> float:
    """Warheads launched on average: the planned count when there is no counterstrike."""
    return sum(result["by_threat"][g]["launched_mean"] for g in warhead_groups)


def _result_numbers(n: Numbers, key: str, r: dict[str, Any], n_warheads: float,
                    layer: str | None = None, raid: bool = True, cap: bool = False) -> None:
    """The usual row of a result: raid, ratio, naive share, mean leakers, share, P(any leak)."""
    if raid:
        n.put(f"{key}.raid", r["raid_size"], i0)
    if cap:
        n.put(f"{key}.cap", r["capacity"], i0)
    n.put(f"{key}.ratio", r["raid_ratio"], f2)
    n.put(f"{key}.naive", naive_share(r["raid_ratio"]), pct)
    n.put(f"{key}.mean", r["leakers"]["mean"], f1)
    n.put(f"{key}.share", r["leakers"]["mean"] / n_warheads, pct)
    n.put(f"{key}.pany", r["p_any_leak"], f3)
    if layer is not None:
        n.put(f"{key}.fired", r["by_layer"][layer]["interceptors_mean"], f1)
        n.put(f"{key}.empty", r["by_layer"][layer]["p_magazine_empty"], pct0)


def compute(work: Path | None = None, use_subprocess: bool = False,
            log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run every command and return {"commands", "numbers", ...} (the JSON of --write)."""
    from saturation_sim import __version__, load_scenario

    with contextlib.ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="analysis3x-")))
        work.mkdir(parents=True, exist_ok=True)
        out: dict[str, Any] = {}
        for cid in COMMANDS:
            t = time.perf_counter()
            out[cid] = run_command(cid, work, use_subprocess)
            if log:
                log(f"  {time.perf_counter() - t:5.1f} s  {cid}: {COMMANDS[cid]}")
    japan = load_scenario(REPO / "configs" / "japan_pooled.toml")
    jw = [t.name for t in japan.threats if t.kind == "warhead"]
    n = Numbers()

    # -- 1. The reference layer at 1x, 2x, 3x, and all at once ------------------------------
    for r_ in (1, 2, 3):
        res = point(out["ref"], raid_ratio=float(r_))
        _result_numbers(n, f"ref.r{r_}", res, res["raid_size"], "upper", cap=r_ == 3)
    res = point(out["ref"], raid_ratio=3.0)
    n.put("ref.r3.ci_lo", res["leakers"]["ci95"][0], f2)
    n.put("ref.r3.ci_hi", res["leakers"]["ci95"][1], f2)
    n.put("ref.r3.engagements", res["by_layer"]["upper"]["engagements_mean"], f1)
    n.put("ref.r3.kills", res["by_layer"]["upper"]["kills_mean"], f1)
    n.put("ref.r3.p20", res["leakers"]["p_at_least"][20], pct0)
    res = point(out["once"], threats__BM__launch__span_s=0.0)
    _result_numbers(n, "once.r3", res, res["raid_size"], "upper")

    # -- 1b. Doctrine -----------------------------------------------------------------------
    doctrines = {"one": (1, 1), "two": (2, 1), "sls": (1, 2), "two_sls": (2, 2)}
    key = {"s": "layers.battalion.shots_per_engagement",
           "m": "layers.battalion.max_engagements", "c": "threats.BM.count"}

    def doc_point(d: str, count: int) -> dict[str, Any]:
        s, m = doctrines[d]
        return point(out["doc"], **{key["s"].replace(".", "__"): s,
                                    key["m"].replace(".", "__"): m,
                                    key["c"].replace(".", "__"): count})

    for d in doctrines:
        r96 = doc_point(d, 96)
        _result_numbers(n, f"doc.{d}.c96", r96, 96, "battalion", raid=False, cap=True)
        c = r96["cost"]
        n.put(f"doc.{d}.c96.xr", c["exchange_ratio"], f2)
        n.put(f"doc.{d}.c96.per_kill", c["defender_mean"] / (96 - r96["leakers"]["mean"]), f1)
        n.put(f"doc.{d}.c96.kills", r96["by_layer"]["battalion"]["kills_mean"], f1)
        for count in (8, 16, 32, 48, 56, 64):
            n.put(f"doc.{d}.c{count}.mean", doc_point(d, count)["leakers"]["mean"], f1)
        n.put(f"doc.{d}.c16.fired", doc_point(d, 16)["by_layer"]["battalion"]["interceptors_mean"],
              f1)
        n.put(f"doc.{d}.c8.pany", doc_point(d, 8)["p_any_leak"], f2)
    n.put("doc.two.c96.def", doc_point("two", 96)["cost"]["defender_mean"], f0)
    n.put("doc.two.c96.att", doc_point("two", 96)["cost"]["attacker_mean"], f0)
    # where firing one per target starts to leak fewer than two per target
    counts = sorted({p["values"][key["c"]] for p in out["doc"]["points"]})
    cross = next(c for c in counts
                 if doc_point("one", c)["leakers"]["mean"] < doc_point("two", c)["leakers"]["mean"])
    before = counts[counts.index(cross) - 1]
    n.put("doc.cross.after", cross, i0)
    n.put("doc.cross.before", before, i0)

    # -- 1c. Japan ----------------------------------------------------------------------------
    jp = out["jp"]
    _result_numbers(n, "jp.base", jp, warheads(jp, jw), "jasdf_pac3", cap=True)
    n.put("jp.base.warheads", warheads(jp, jw), i0)
    n.put("jp.base.p99", jp["leakers"]["quantiles"]["p99"], i0)
    n.put("jp.base.p50", jp["leakers"]["quantiles"]["p50"], i0)
    for g in jw:
        n.put(f"jp.base.{g}", jp["by_threat"][g]["leakers_mean"], f1)
    for layer in ("jmsdf_aegis", "usn_aegis", "jasdf_pac3"):
        n.put(f"jp.base.kills_{layer}", jp["by_layer"][layer]["kills_mean"], f1)
    c = jp["cost"]
    n.put("jp.base.def", c["defender_mean"], f0)
    n.put("jp.base.att", c["attacker_mean"], f0)
    n.put("jp.base.xr", c["exchange_ratio"], f2)
    n.put("jp.base.stopped", warheads(jp, jw) - jp["leakers"]["mean"], f1)
    n.put("jp.base.per_kill", c["defender_mean"] / (warheads(jp, jw) - jp["leakers"]["mean"]), f1)
    for r_ in (1, 2, 3):
        res = point(out["jpr"], raid_ratio=float(r_))
        _result_numbers(n, f"jpr.r{r_}", res, warheads(res, jw), "jasdf_pac3")
        n.put(f"jpr.r{r_}.warheads", warheads(res, jw), i0)
        n.put(f"jpr.r{r_}.xr", res["cost"]["exchange_ratio"], f2)

    # -- 2. Solve ------------------------------------------------------------------------------
    s = out["sfu"]
    assert s["status"] == "solved"
    n.put("sfu.answer", s["answer"], i0)
    n.put("sfu.at", s["at_answer"]["leakers_mean"], f2)
    n.put("sfu.other", s["at_other"]["leakers_mean"], f2)
    n.put("sfu.floor", s["bound"]["leakers_mean_min"], f2)
    s = out["spa"]
    assert s["status"] == "unreachable"
    n.put("spa.top", s["at_other"]["p_any_leak"], f4)
    n.put("spa.bound", s["bound"]["p_any_leak_min"], f4)
    s = out["smag"]
    assert s["status"] == "unreachable"
    n.put("smag.top", s["at_other"]["leakers_mean"], f1)
    s = out["sdoc"]
    assert s["status"] == "unreachable"
    n.put("sdoc.top", s["at_other"]["leakers_mean"], f1)
    n.put("sdoc.bound", s["bound"]["leakers_mean_min"], f1)
    s = out["sjs"]
    assert s["status"] == "solved"
    # the note says both probes' 95% CIs lie wholly on their side of the target
    assert s["confidence"]["answer_side"] and s["confidence"]["other_side"], s["confidence"]
    n.put("sjs.answer", s["answer"], i0)
    n.put("sjs.added", s["answer"] - 24, i0)
    n.put("sjs.at", s["at_answer"]["leakers_mean"], f1)
    n.put("sjs.other", s["at_other"]["leakers_mean"], f1)
    top = max(s["evaluations"], key=lambda e: e["value"])
    n.put("sjs.top", top["leakers_mean"], f1)
    n.put("sjs.topu", top["value"], i0)
    n.put("sjs.e60", next(e for e in s["evaluations"] if e["value"] == 60)["leakers_mean"], f1)
    n.put("sjs.usd", (s["answer"] - 24) * USD_B_PER_FIRE_UNIT, f0)
    n.put("sjs.usd_lo", (s["answer"] - 24) * USD_B_PER_FIRE_UNIT_RANGE[0], f1)
    n.put("sjs.usd_hi", (s["answer"] - 24) * USD_B_PER_FIRE_UNIT_RANGE[1], f1)
    s = out["sjpa"]
    assert s["status"] == "unreachable"
    n.put("sjpa.top", s["at_other"]["p_any_leak"], f3)
    for g in ("DF17", "cruise"):
        n.put(f"sjpa.survive_{g}", s["bound"]["survive"][g], pct0)
    n.put("sjpa.bound_mean", s["bound"]["leakers_mean_min"], f1)

    # -- 3. Counterstrike ----------------------------------------------------------------------
    s = out["kref"]
    assert s["status"] == "solved"
    n.put("kref.answer", s["answer"], pct0)
    n.put("kref.at", s["at_answer"]["leakers_mean"], f2)
    n.put("kref.missiles", 48 * s["answer"], f1)
    s = out["kpa"]
    assert s["status"] == "solved"
    n.put("kpa.answer", s["answer"], pct)
    s = out["kjs"]
    assert s["status"] == "solved"
    n.put("kjs.answer", s["answer"], f2)
    n.put("kjs.at", s["at_answer"]["leakers_mean"], f1)
    n.put("kjs.usd", s["answer"] / PK_PER_USD_B, f1)
    n.put("kjs.usd_lo", s["answer"] / PK_PER_USD_B_RANGE[1], f1)
    n.put("kjs.usd_hi", s["answer"] / PK_PER_USD_B_RANGE[0], f0)
    base_mean = jp["leakers"]["mean"]
    # equal assumed cost: step i adds USD 2i B, as prelaunch_kill 0.1 i or 2 i PAC-3 fire units
    for p in out["spear"]["points"]:
        pk, res = p["values"]["counterstrike.prelaunch_kill"], p["result"]
        k = f"spear.k{round(pk * 100)}"
        n.put(f"{k}.mean", res["leakers"]["mean"], f1)
        n.put(f"{k}.usd", pk / PK_PER_USD_B, f0)
        if pk in (0.1, 0.5):
            n.put(f"{k}.cut", base_mean - res["leakers"]["mean"], f1)
            n.put(f"{k}.per", pk / PK_PER_USD_B * 1000 / (base_mean - res["leakers"]["mean"]), f0)
        if pk == 0.5:
            n.put(f"{k}.launched", warheads(res, jw), f1)
            n.put(f"{k}.xr", res["cost"]["exchange_ratio"], f2)
            n.put(f"{k}.att", res["cost"]["attacker_mean"], f0)
            n.put(f"{k}.def", res["cost"]["defender_mean"], f0)
            n.put(f"{k}.pac3_empty", res["by_layer"]["jasdf_pac3"]["p_magazine_empty"], pct0)
            n.put(f"{k}.pany", res["p_any_leak"], f3)
    for p in out["shield"]["points"]:
        fu, res = p["values"]["layers.jasdf_pac3.fire_units"], p["result"]
        k = f"shield.u{fu}"
        n.put(f"{k}.mean", res["leakers"]["mean"], f1)
        if fu in (26, 34):
            n.put(f"{k}.cut", base_mean - res["leakers"]["mean"], f1)
            n.put(f"{k}.per", (fu - 24) * USD_B_PER_FIRE_UNIT * 1000
                  / (base_mean - res["leakers"]["mean"]), f0)
        if fu == 34:
            n.put(f"{k}.xr", res["cost"]["exchange_ratio"], f2)
            n.put(f"{k}.att", res["cost"]["attacker_mean"], f0)
            n.put(f"{k}.def", res["cost"]["defender_mean"], f0)
            n.put(f"{k}.ratio", res["raid_ratio"], f2)

    # -- 4. The ally ---------------------------------------------------------------------------
    ends = {}
    for p in out["umb"]["points"]:
        a, res = p["values"]["layers.usn_aegis.availability"], p["result"]
        k = f"umb.a{round(a * 100)}"
        n.put(f"{k}.mean", res["leakers"]["mean"], f1)
        for q in ("p50", "p90"):
            n.put(f"{k}.{q}", res["leakers"]["quantiles"][q], i0)
        n.put(f"{k}.p10", _quantile(res["leakers"]["pmf"], 0.10), i0)
        if a not in (0.0, 0.5, 1.0):
            continue
        ends[a] = res
        n.put(f"{k}.std", res["leakers"]["std"], f1)
        n.put(f"{k}.pany", res["p_any_leak"], f3)
        n.put(f"{k}.xr", res["cost"]["exchange_ratio"], f2)
        n.put(f"{k}.def", res["cost"]["defender_mean"], f0)
        if a == 0.5:
            continue
        n.put(f"{k}.share", res["leakers"]["mean"] / warheads(res, jw), pct)
        for g in ("DF26", "DF21", "DF17", "cruise"):
            n.put(f"{k}.{g}", res["by_threat"][g]["leakers_mean"], f1)
        if a == 1.0:
            n.put(f"{k}.fired", res["by_layer"]["usn_aegis"]["interceptors_mean"], f1)
    umbrella = load_scenario(REPO / "configs" / "umbrella.toml")
    ally_capacity = umbrella.layers[umbrella.layer_index("usn_aegis")].capacity()
    n.put("umb.ally_cap", ally_capacity, i0)
    n.put("umb.cap", ends[0.0]["capacity"], i0)
    n.put("umb.a0.ratio", ends[0.0]["raid_size"] / (ends[0.0]["capacity"] - ally_capacity), f2)
    n.put("umb.a100.ratio", ends[1.0]["raid_ratio"], f2)
    gain = ends[0.0]["leakers"]["mean"] - ends[1.0]["leakers"]["mean"]
    n.put("umb.att", ends[0.0]["cost"]["attacker_mean"], f0)
    assert ends[0.0]["cost"]["attacker_mean"] == ends[1.0]["cost"]["attacker_mean"]
    n.put("umb.gain", gain, f1)
    n.put("umb.gain_share", gain / ends[0.0]["leakers"]["mean"], pct0)
    n.put("umb.kills", ends[1.0]["by_layer"]["usn_aegis"]["kills_mean"], f1)
    n.put("umb.per", (ends[1.0]["cost"]["defender_mean"] - ends[0.0]["cost"]["defender_mean"])
          / gain, f0)

    return {"generated_by": "docs/analysis_numbers.py", "version": __version__,
            "commands": dict(COMMANDS),
            "numbers": {k: n.d[k] for k in sorted(n.d)}}


def _quantile(pmf: list[float], q: float) -> int:
    """Smallest k with P(leakers <= k) >= q (the project's quantile rule, docs/model.md)."""
    acc = 0.0
    for k, p in enumerate(pmf):
        acc += p
        if acc >= q - 1e-12:
            return k
    return len(pmf) - 1


# ---------------------------------------------------------------------------
# Checking the note
# ---------------------------------------------------------------------------

MARK = re.compile(r"<!-- n:([A-Za-z0-9_.]+) -->(.*?)<!-- /n -->")


def quoted(md: str) -> list[tuple[str, str]]:
    """(key, text) of every marked number in the note, in order."""
    return MARK.findall(md)


def check_note(md: str, numbers: dict[str, dict[str, Any]],
               commands: dict[str, str] | None = None) -> list[str]:
    """Every difference between the note and the regenerated numbers (empty when they agree)."""
    problems = []
    seen = set()
    for key, text in quoted(md):
        seen.add(key)
        if key not in numbers:
            problems.append(f"{key}: quoted as {text!r} but not regenerated")
        elif numbers[key]["text"] != text:
            problems.append(f"{key}: the note says {text!r}, regenerated {numbers[key]['text']!r}")
    for key in sorted(set(numbers) - seen):
        problems.append(f"{key}: regenerated ({numbers[key]['text']}) but not quoted in the note")
    flat = " ".join(md.replace("\\\n", " ").split())
    for cid, cmd in (commands or COMMANDS).items():
        if " ".join(cmd.split()) not in flat:
            problems.append(f"command {cid} is not printed in the note: {cmd}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with docs/analysis-3x.md")
    ap.add_argument("--write", action="store_true", help="rewrite docs/analysis-3x.json")
    ap.add_argument("--subprocess", action="store_true",
                    help="run the commands as separate saturation-sim processes")
    ap.add_argument("--workdir", type=Path,
                    help="keep the commands' outputs here (default: a temporary directory)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    doc = compute(args.workdir, args.subprocess, log=lambda s: print(s, file=sys.stderr))
    for key, v in doc["numbers"].items():
        print(f"{key:28s} {v['text']:>10s}   [{v['command']}]")
    print(f"{len(doc['numbers'])} numbers from {len(COMMANDS)} commands in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.write:
        NUMBERS_JSON.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n",
                                encoding="utf-8")
        print(f"wrote {NUMBERS_JSON.relative_to(REPO)}", file=sys.stderr)
    if args.check:
        problems = check_note(NOTE.read_text(encoding="utf-8"), doc["numbers"])
        for p in problems:
            print(f"MISMATCH {p}", file=sys.stderr)
        if problems:
            return 1
        print(f"{NOTE.relative_to(REPO)}: every quoted number agrees", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
