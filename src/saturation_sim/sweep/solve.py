"""Solve for a threshold: the least defence lever, or the largest raid, that meets a target.

``solve(scenario, "layers.upper.fire_units", 1, 10, "leakers_mean<=5")`` bisects
the key over its range. Each probe is exact when the analytic layer can treat
the scenario, else a Monte Carlo run with the same seed at every probe (common
random numbers, so the probes are nearly monotone and differences between them
are not noise). A target that is not met at the favourable end of the range is
reported as unreachable, with the best-case bound of :mod:`.bound` when that
shows no value of the key could ever meet it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..engine import simulate
from ..scenario import Scenario, as_scenario
from .bound import best_case, explain
from .errors import SweepError
from .point import resolve_settings
from ..scenario.apply import point_scenario
from ..scenario.keys import Key, Number, coerce_values, parse_key
from .solve_text import confidence, describe

METRICS = ("p_any_leak", "leakers_mean")
#: Keys whose every positive value gives the same best-case bound (capacity only).
CAPACITY_LEAVES = ("fire_units", "channels_per_unit", "interceptors_per_unit")
_TARGET_RE = re.compile(r"^\s*([a-z_]+)\s*(<=|<)\s*([-+0-9.eE]+)\s*(%?)\s*$")


@dataclass(frozen=True)
class Target:
    """``metric op value``, e.g. ``p_any_leak <= 0.05``."""

    metric: str
    op: str
    value: float

    def met(self, x: float) -> bool:
        return x <= self.value if self.op == "<=" else x < self.value

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


def parse_target(text: str | Target) -> Target:
    """``"p_any_leak<=0.05"``, ``"p_any_leak <= 5%"`` or ``"leakers_mean<=5"`` -> Target."""
    if isinstance(text, Target):
        return text
    m = _TARGET_RE.match(text)
    if not m or m.group(1) not in METRICS:
        raise SweepError(f"--target {text!r}: expected METRIC<=VALUE with METRIC one of "
                         f"{', '.join(METRICS)}, e.g. \"p_any_leak<=0.05\"")
    try:
        value = float(m.group(3)) / (100.0 if m.group(4) else 1.0)
    except ValueError:
        raise SweepError(f"--target {text!r}: {m.group(3)!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise SweepError(f"--target {text!r}: expected a finite value >= 0")
    if m.group(1) == "p_any_leak" and value > 1:
        raise SweepError(f"--target {text!r}: p_any_leak is a probability, so the target must "
                         f"be in [0, 1] (got {value:g}; write {value:g}% for a percentage)")
    return Target(m.group(1), m.group(2), value)


class _Intractable(Exception):
    pass


class _Probe:
    """Evaluates the target metric at values of the key; remembers every probe."""

    def __init__(self, scenario: Scenario, key: Key, target: Target, trials: int, seed: int,
                 threads: int | None, exact: bool, progress: bool | None):
        self.scenario, self.key, self.target = scenario, key, target
        self.trials, self.seed, self.threads, self.progress = trials, seed, threads, progress
        self.exact = exact
        self.seen: dict[Number, dict[str, Any]] = {}

    def __call__(self, value: Number) -> dict[str, Any]:
        if value in self.seen:
            return self.seen[value]
        sc = point_scenario(self.scenario, [(self.key, value)])
        if self.exact:
            from ..analytic import exact, intractable_reason

            reason = intractable_reason(sc)
            if reason is not None:
                raise _Intractable(reason)
            r = exact(sc)
            x = float(getattr(r, self.target.metric))
            ci, trials, method = (x, x), None, "exact"
        else:
            r = simulate(sc, self.trials, self.seed, self.threads, progress=self.progress)
            x = float(getattr(r, self.target.metric))
            ci = r.p_any_leak_ci95 if self.target.metric == "p_any_leak" else r.leakers_ci95
            trials, method = r.trials, "mc"
        e = {"value": value, "raid_size": sc.raid_size, "capacity": sc.capacity,
             self.target.metric: x, "ci95": [float(ci[0]), float(ci[1])],
             "meets": self.target.met(x), "method": method, "trials": trials}
        self.seen[value] = e
        return e


def _grid(key: Key, lo: Number, hi: Number, scenario: Scenario):
    """(values to probe by index i in [0, n], n) for discrete keys, else None."""
    if key.is_raid_ratio:
        c = scenario.capacity
        if c <= 0:
            raise SweepError("raid_ratio needs a scenario with nonzero capacity")
        t_lo, t_hi = math.floor(lo * c + 0.5), math.floor(hi * c + 0.5)
        return (lambda i: (t_lo + i) / c), t_hi - t_lo
    if key.integer:
        return (lambda i: int(lo) + i), int(hi) - int(lo)
    return None


def _bisect(probe: _Probe, lo: Number, hi: Number, ok_at_hi: bool, grid, tol: float):
    """Narrow [lo, hi] (met at one end only) to adjacent values; return (ok, fail)."""
    if grid is not None:
        at, n = grid
        ok, fail = (n, 0) if ok_at_hi else (0, n)
        while abs(ok - fail) > 1:
            mid = (ok + fail) // 2
            if probe(at(mid))["meets"]:
                ok = mid
            else:
                fail = mid
        return at(ok), at(fail)
    ok, fail = (hi, lo) if ok_at_hi else (lo, hi)
    while abs(ok - fail) > tol:
        mid = (ok + fail) / 2
        if probe(mid)["meets"]:
            ok = mid
        else:
            fail = mid
    return ok, fail


@dataclass(frozen=True)
class SolveResult:
    """The answer of :func:`solve`.

    ``status`` is ``solved`` (``answer`` is the threshold value, ``bracket`` the
    two adjacent probes that straddle it), ``met_across_range`` (``answer`` is
    the unfavourable end of the range) or ``unreachable`` (``answer`` is None;
    ``bound_text`` explains the best case). ``line`` is the readable sentence and
    ``to_dict()`` the JSON of ``solve --json``.
    """

    key: str
    range: tuple[Number, Number]
    target: Target
    status: str
    answer: Number | None
    bracket: tuple[Number, Number] | None
    direction: str
    line: str
    confidence: str | None
    method: str
    why_monte_carlo: str | None
    trials: int | None
    seed: int
    at_answer: dict[str, Any] | None
    at_other: dict[str, Any] | None
    evaluations: tuple[dict[str, Any], ...]
    bound: dict[str, Any]
    version: str
    bound_text: str | None = None
    bound_excludes_target: bool | None = None
    key_cannot_help: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer: every field, the target spelt out."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["range"] = list(self.range)
        d["bracket"] = None if self.bracket is None else list(self.bracket)
        d["target"] = {"metric": self.target.metric, "op": self.target.op,
                       "value": self.target.value, "text": str(self.target)}
        d["evaluations"] = list(self.evaluations)
        for k in ("bound_text", "bound_excludes_target", "key_cannot_help"):
            if d[k] is None:
                del d[k]
        return d


def solve(scenario: Scenario | str, key: str, lo: Number, hi: Number, target: str | Target,
          *, trials: int | None = None, seed: int | None = None, tol: float | None = None,
          threads: int | None = None, method: str = "auto",
          progress: bool | None = False) -> SolveResult:
    """The least value of a defence lever, or the largest raid, that meets ``target``.

    Parameters
    ----------
    scenario
        A :class:`Scenario` or a scenario file.
    key, lo, hi
        A sweep key and its range. A key that counts missiles (``raid_ratio``,
        ``threats.X.count``) is a raid: the answer is the largest value that
        meets the target. Any other key is a lever: the answer is the least
        value that meets it (or, if the metric grows with the key, the largest).
        Whole-number keys and ``raid_ratio`` (whole missiles) are bisected exactly;
        real keys to within ``tol`` (default (hi - lo) / 1000).
    target
        ``"p_any_leak<=0.05"`` or ``"leakers_mean<=5"``.
    trials, seed
        Monte Carlo trials per probe and the seed shared by every probe.
    method
        ``"auto"`` (exact when the analytic layer can treat every probe, else
        Monte Carlo), ``"mc"`` or ``"exact"``.

    Returns
    -------
    SolveResult
        ``status`` is ``solved``, ``met_across_range`` or ``unreachable``.
    """
    scenario = as_scenario(scenario)
    tgt = parse_target(target)
    k = parse_key(key, scenario)
    _check_solvable(k, key, scenario.source)
    lo, hi = (coerce_values([v], k, scenario.source)[0] for v in (lo, hi))
    if not lo < hi:
        raise SweepError(f"--vary {key}={lo}:{hi}: expected a range LO:HI with LO < HI")
    if method not in ("auto", "mc", "exact"):
        raise SweepError(f"method must be auto, mc or exact, got {method!r}")
    settings = resolve_settings(scenario, trials, seed, threads)
    trials, seed, threads = settings.trials, settings.seed, settings.threads
    tol = float(tol) if tol else (hi - lo) / 1000
    grid = _grid(k, lo, hi, scenario)
    if grid is not None:
        if grid[1] < 1:
            raise SweepError(f"--vary {key}={lo}:{hi}: the range holds a single raid size")
        lo, hi = grid[0](0), grid[0](grid[1])
    use_exact, why_mc = method != "mc", None
    while True:
        probe = _Probe(scenario, k, tgt, trials, seed, threads, use_exact, progress)
        try:
            out = _search(probe, k, lo, hi, tol, grid, scenario)
            break
        except _Intractable as exc:
            if method == "exact":
                raise SweepError(f"{scenario.source}: no exact answer: {exc}") from None
            use_exact, why_mc = False, str(exc)
    out.update(method="exact" if use_exact else "mc", why_monte_carlo=why_mc,
               trials=None if use_exact else trials, seed=seed, key=key, range=[lo, hi],
               target={"metric": tgt.metric, "op": tgt.op, "value": tgt.value,
                       "text": str(tgt)},
               evaluations=sorted(probe.seen.values(), key=lambda e: e["value"]),
               version=__version__)
    out["confidence"] = confidence(out, tgt)
    out["line"] = describe(out)
    out.update(range=(lo, hi), target=tgt, evaluations=tuple(out["evaluations"]),
               bracket=None if out["bracket"] is None else tuple(out["bracket"]))
    return SolveResult(**out)


def _check_solvable(k: Key, key: str, source: str) -> None:
    """Refuse keys that bisection cannot answer for: the metrics of solve do not move
    with an asset's value at all, and need not move one way with a target share."""
    if k.path[:1] == ("assets",):
        raise SweepError(f"{source}: --vary {key}: an asset's value weighs only the "
                         "value-weighted damage, not p_any_leak or leakers_mean (solve's "
                         "targets): use sweep to see the damage")
    if len(k.path) == 4 and k.path[0] == "threats" and k.path[2] == "targets":
        raise SweepError(f"{source}: --vary {key}: a target share moves missiles from one "
                         "asset to another, so leakers need not rise or fall with it and "
                         "bisection can miss the answer: use sweep, or allocate for the "
                         "attacker's best aim")


def _search(probe: _Probe, k: Key, lo: Number, hi: Number, tol: float, grid,
            scenario: Scenario) -> dict[str, Any]:
    e_lo, e_hi = probe(lo), probe(hi)
    metric = probe.target.metric
    raid = k.is_raid_size or e_hi[metric] > e_lo[metric]
    best, worst = (e_lo, e_hi) if raid else (e_hi, e_lo)
    out: dict[str, Any] = {"direction": "raid" if k.is_raid_size else
                           ("increasing" if raid else "lever"),
                           "answer": None, "bracket": None, "at_answer": None,
                           "at_other": None}
    bound_at = point_scenario(scenario, [(k, best["value"])])
    out["bound"] = best_case(bound_at)
    if not best["meets"]:
        out["status"] = "unreachable"
        out["at_other"] = best
        out["bound_text"] = explain(bound_at, metric)
        b = out["bound"][f"{metric}_min"]
        out["bound_excludes_target"] = not probe.target.met(b)
        out["key_cannot_help"] = (out["bound_excludes_target"] and not raid
                                  and str(k.path[-1]) in CAPACITY_LEAVES)
        return out
    if worst["meets"]:
        out.update(status="met_across_range", answer=worst["value"], at_answer=worst)
        return out
    ok, fail = _bisect(probe, lo, hi, not raid, grid, tol)
    out.update(status="solved", answer=ok, bracket=sorted([ok, fail]),
               at_answer=probe(ok), at_other=probe(fail))
    return out
