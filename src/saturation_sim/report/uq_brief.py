"""The brief's "How sure are we" and "What drives the answer" pages.

Only for a scenario with an ``[uncertainty]`` table. Two runs, resumed like the
brief's sweeps (under ``DIR/uncertainty/`` and ``DIR/sensitivity/``, named by
their settings, so a rerun or the other language's brief reuses them):

* uncertainty propagation over the raid ratio (:data:`UQ_RATIOS`, 3x is a
  point), :data:`UQ_SAMPLES` input samples of :data:`UQ_TRIALS` trials each
  (exact where tractable): the fan chart, and the distribution of the share
  leaking at 3x with the bottom line's own thresholds marked;
* global sensitivity at the raid as written: Sobol' indices when they cost at
  most :data:`SOBOL_MAX_RUNS` runs (N (d + 2) for d inputs), else the
  one-at-a-time tornado (2 d + 1 runs).

The Japan brief (42 uncertain inputs) thus runs 650 uncertainty runs and an
85-run tornado, about a minute on a shared 2-core machine at 1,000 trials.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..scenario import Scenario
from . import bottom_line as bl
from .errors import ReportError
from .i18n import Messages
from .tables import Table

#: Input samples of the uncertainty run (and base samples N of a Sobol' analysis).
UQ_SAMPLES = 64
#: Monte Carlo trials per sample (where a sample cannot be solved exactly).
UQ_TRIALS = 1000
#: Raid ratios of the fan chart (multiples of the NOMINAL capacity); 1, 2, 3 are points.
UQ_RATIOS = "0.5:5:0.5"
#: Sobol' indices are computed only when they take at most this many runs; else the tornado.
SOBOL_MAX_RUNS = 1024
#: The raid ratio the pages and the bottom line speak of.
FOCUS = 3.0
#: Ratios in the table of the "How sure are we" page.
TABLE_RATIOS = (1.0, 2.0, 3.0, 5.0)
#: Drivers listed on the "What drives the answer" page.
TOP_DRIVERS = 5
#: Smallest total-order index listed as a driver (below it, "0.00" says nothing).
MIN_INDEX = 0.01
#: Rows of the tornado or Sobol' chart (two-line labels need the room).
TOP_ROWS = 10
SENSITIVITY_CHOICES = ("auto", "sobol", "oat")


@dataclass
class UqRuns:
    """The two documents behind the pages (JSON documents of ``uncertainty`` and
    ``sensitivity``)."""

    uncertainty: dict[str, Any]
    sensitivity: dict[str, Any]


def sensitivity_method(d: int, samples: int, choice: str = "auto") -> str:
    """``sobol`` or ``oat`` for d inputs: Sobol' when N (d + 2) <= :data:`SOBOL_MAX_RUNS`."""
    if choice not in SENSITIVITY_CHOICES:
        raise ReportError(f"--sensitivity {choice!r}: expected one of "
                          f"{', '.join(SENSITIVITY_CHOICES)}")
    if choice != "auto":
        return choice
    return "sobol" if samples * (d + 2) <= SOBOL_MAX_RUNS else "oat"


def run(scenario: Scenario, root: Path, *, samples: int, trials: int, seed: int,
        threads: int | None, progress: bool | None, method: str = "auto",
        step: Any = None) -> UqRuns | None:
    """Run (or resume) the uncertainty and sensitivity runs of the brief; None without
    an ``[uncertainty]`` table."""
    if not scenario.uncertainty:
        return None
    from ..sweep import SweepError
    from ..sweep.uncertainty import uncertainty
    from ..sweep.sensitivity import sensitivity

    d = len(scenario.uncertainty)
    how = sensitivity_method(d, samples, method)
    vary = {"raid_ratio": UQ_RATIOS} if scenario.capacity > 0 else None
    n_axis = len(np.arange(0.5, 5.0 + 1e-9, 0.5)) if vary else 1
    msg = Messages("en")
    if step is not None:
        step(msg("uq_step", s=samples, n=n_axis))
    try:
        unc = uncertainty(scenario, samples=samples, trials=trials, seed=seed, vary=vary,
                          out=root / "uncertainty" / f"raid_ratio-n{samples}-t{trials}-s{seed}",
                          exceed=(bl.HOLDS, bl.OVERWHELMED), engine="auto", threads=threads,
                          progress=progress)
        runs = samples * (d + 2) if how == "sobol" else 2 * d + 1
        if step is not None:
            step(msg("drivers_step", method=how, runs=runs))
        n_dir = f"-n{samples}" if how == "sobol" else ""
        sens = sensitivity(scenario, method=how, samples=samples if how == "sobol" else None,
                           trials=trials, seed=seed,
                           out=root / "sensitivity" / f"{how}{n_dir}-t{trials}-s{seed}",
                           engine="auto", threads=threads, progress=progress)
    except SweepError as exc:
        raise ReportError(f"brief: uncertainty: {exc}") from None
    return UqRuns(unc, sens)


def at_ratio(doc: dict[str, Any], ratio: float = FOCUS) -> dict[str, Any] | None:
    """The block of the uncertainty document at ``ratio`` exactly, or None."""
    for p in doc.get("points", []):
        if abs(float(p["value"]) - ratio) < 1e-9:
            return p
    return None


def _verdict(share: float) -> str:
    return ("overwhelmed" if share >= bl.OVERWHELMED
            else "holds" if share < bl.HOLDS else "strained")


def bottom_line_range(runs: UqRuns | None, nominal_share: float | None,
                      msg: Messages) -> str:
    """The sentences the bottom line adds: the p05-p95 range at 3x beside the nominal
    point, and whether the verdict holds across it ("" without a 3x point)."""
    if runs is None or nominal_share is None:
        return ""
    block = at_ratio(runs.uncertainty)
    if block is None:
        return ""
    q = block["outputs"]["leak_fraction"]["quantiles"]
    lo, hi = q["p05"], q["p95"]
    parts = [msg("uq_bl_range", lo=msg.percent(lo), hi=msg.percent(hi),
                 s=runs.uncertainty["samples"])]
    nom = _verdict(nominal_share)
    if _verdict(lo) == _verdict(hi) == nom:
        parts.append(msg("uq_bl_holds"))
    for end, share in (("low", lo), ("high", hi)):
        if _verdict(share) != nom:
            parts.append(msg(f"uq_bl_{end}", word=msg(f"uq_word_{_verdict(share)}"),
                             nom=msg(f"uq_word_{nom}")))
    return msg("sentence_sep").join(parts)


def _how(doc: dict[str, Any], msg: Messages) -> str:
    m = doc["methods"]
    trials = msg.number(doc["trials"])
    if not m.get("mc"):
        return msg("uq_how_exact")
    if not m.get("exact"):
        return msg("uq_how_mc", trials=trials)
    return msg("uq_how_mixed", exact=m["exact"], mc=m["mc"], trials=trials)


def range_table(doc: dict[str, Any], msg: Messages) -> Table:
    """Quantiles of the share leaking at the ratios of :data:`TABLE_RATIOS`."""
    header = [msg("col_ratio"), "p05", "p25", msg("uq_table_median"), "p75", "p95",
              msg("uq_table_nominal")]
    rows = []
    for r in TABLE_RATIOS:
        block = at_ratio(doc, r)
        if block is None:
            continue
        lf = block["outputs"]["leak_fraction"]
        q = lf["quantiles"]
        rows.append([f"{msg.number(r, 2)}×"] + [msg.percent(q[k]) for k in
                                                 ("p05", "p25", "p50", "p75", "p95")]
                    + [msg.percent(lf["nominal"])])
    return Table(header, rows)


def sure_words(runs: UqRuns, msg: Messages) -> list[str]:
    """The paragraphs of "How sure are we": what was run, the range at 3x, the odds of
    crossing the bottom line's thresholds, and where the spread comes from."""
    doc = runs.uncertainty
    out = [msg("uq_intro", d=len(doc["inputs"]), s=doc["samples"], how=_how(doc, msg))]
    block = at_ratio(doc) or (doc if "outputs" in doc else None)
    if block is None:
        return out
    lf = block["outputs"]["leak_fraction"]
    q = lf["quantiles"]
    r = msg.number(FOCUS, 2)
    if block is not doc:  # a raid-ratio axis: the range at 3x (else the exceedances say it)
        out.append(msg("uq_range", r=r, lo=msg.percent(q["p05"]), hi=msg.percent(q["p95"]),
                       q1=msg.percent(q["p25"]), q3=msg.percent(q["p75"]),
                       nom=msg.percent(lf["nominal"])))
    ex = block["exceedance"]["leak_fraction"]
    (t1, p1), (t2, p2) = sorted(ex.items(), key=lambda tp: float(tp[0]))[:2]
    out.append(msg("uq_exceed", t1=msg.percent(float(t1)), p1=msg.percent(p1),
                   t2=msg.percent(float(t2)), p2=msg.percent(p2)))
    var = block["variance"]["leakers"]
    if var["total"] > 0:
        e = var["epistemic"] / var["total"]
        out.append(msg("uq_variance", r=r, e=msg.percent(e), a=msg.percent(1 - e)))
    return out


def driver_words(runs: UqRuns, scenario: Scenario, msg: Messages,
                 label: Any) -> tuple[str, list[str], list[str]]:
    """(intro, one line per leading driver, closing notes) of "What drives the answer".

    ``label(key)`` names an input for the reader.
    """
    doc = runs.sensitivity
    out = doc["outputs"].get("leak_fraction")
    r = msg.number(scenario.raid_ratio, 2) if scenario.raid_ratio is not None else "–"
    notes = [msg("drivers_use")]
    if doc["method"] == "oat":
        swing = {k: abs(v["high"] - v["low"]) for k, v in (out or {}).items()}
        keys = [k for k in sorted(swing, key=lambda k: -swing[k]) if swing[k] > 0]
        items = []
        for k in keys[:TOP_DRIVERS]:
            lo, hi = doc["levels"][k]
            items.append(msg("drivers_oat_item", key=label(k), lo=f"{lo:g}", hi=f"{hi:g}",
                             a=msg.percent(out[k]["low"]), b=msg.percent(out[k]["high"])))
        d = len(doc["inputs"])
        notes.append(msg("drivers_oat_limit", runs=msg.number(UQ_SAMPLES * (d + 2))))
        intro = msg("drivers_oat", runs=doc["runs"], r=r)
    else:
        st = out["ST"] if out else {}
        keys = [k for k in sorted(st, key=lambda k: -st[k]) if st[k] >= MIN_INDEX]
        items = [msg("drivers_sobol_item", key=label(k), st=f"{st[k]:.2f}",
                     lo=f"{out['ST_ci95'][k][0]:.2f}", hi=f"{out['ST_ci95'][k][1]:.2f}",
                     s1=f"{out['S1'][k]:.2f}") for k in keys[:TOP_DRIVERS]]
        intro = msg("drivers_sobol", runs=doc["runs"], r=r)
    if not items:
        return msg("drivers_none"), [], []
    return intro, items, notes


def figures(runs: UqRuns, scenario: Scenario, lang: str, caveat: str
            ) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """(figures of "How sure are we", figures of "What drives the answer") as
    ``(file stem, Figure)``."""
    from . import uncertainty_figs as uf

    m = uf.UqMessages(lang, scenario=scenario, caveat=caveat)
    sure = []
    if "points" in runs.uncertainty and at_ratio(runs.uncertainty) is not None:
        sure.append(("uncertainty_fan", uf.fan_chart(runs.uncertainty, m, focus=FOCUS)))
    sure.append(("uncertainty_share", uf.share_distribution(runs.uncertainty, m, focus=FOCUS)))
    drivers = []
    sens = runs.sensitivity
    if sens["outputs"].get("leak_fraction") is not None:
        if sens["method"] == "oat":
            if any(v["high"] != v["low"] for v in sens["outputs"]["leak_fraction"].values()):
                drivers.append(("sensitivity_tornado", uf.tornado(sens, m, top=TOP_ROWS)))
        else:
            drivers.append(("sensitivity_sobol", uf.sobol_bars(sens, m, top=TOP_ROWS)))
    return sure, drivers


def input_label(scenario: Scenario, lang: str) -> Any:
    """``label(key)``: an uncertain input's name for the reader, with display names."""
    from . import uncertainty_figs as uf

    m = uf.UqMessages(lang, scenario=scenario)
    return m.key_label
