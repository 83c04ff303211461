"""Results as sufficient statistics, and the estimates derived from them.

A :class:`SimulationResult` holds only integer counts (a histogram of leakers
and per-group / per-layer sums), so two results for the same scenario merge
exactly (sweep batches, shards), and every estimate and interval is derived
from the counts in one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario import Scenario
from .summary import format_result, result_html

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (never outside [0, 1])."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At 0 or n successes the matching end is exactly 0 or 1; rounding would
    # otherwise leave it a hair inside, excluding the estimate itself.
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return (lo, hi)


def pmf_quantile(pmf: np.ndarray, q: float) -> int:
    """Smallest k with P(X <= k) >= q."""
    cdf = np.cumsum(pmf)
    return int(np.searchsorted(cdf, q - 1e-12, side="left"))


def mean_ci95(total: float, sumsq: float, n: int) -> tuple[float, float]:
    """Normal 95% interval of a mean from the sum and sum of squares of ``n`` draws."""
    if n <= 0:
        return (math.nan, math.nan)
    mean = total / n
    if n < 2:
        return (mean, mean)
    var = max(sumsq - n * mean * mean, 0.0) / (n - 1)  # rounding can leave a tiny negative
    half = Z95 * math.sqrt(var / n)
    return (mean - half, mean + half)


class MergeError(ValueError):
    """Two results that cannot be merged (other scenario or seed, overlapping trials)."""


class ResultViews:
    """What a Monte Carlo and an exact result show alike: the JSON, a one-line repr,
    the summary that ``run`` prints and a notebook table, all from :func:`result_dict`."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON result of interface.md (see :func:`result_dict`)."""
        return result_dict(self)

    def __repr__(self) -> str:
        return short_repr(self)

    def summary(self) -> str:
        """The readable summary that ``saturation-sim run`` prints."""
        return format_result(self.to_dict())

    def _repr_html_(self) -> str:
        return result_html(self.to_dict())


@dataclass(repr=False)
class SimulationResult(ResultViews):
    """Sufficient statistics of a Monte Carlo run, plus how it was made.

    Attributes
    ----------
    leaker_hist : ndarray, shape (max_leakers + 1,), int64
        Trials with exactly k leaking warheads (over the whole campaign, for a
        campaign; ``Scenario.max_leakers``).
    group_leakers, group_launched : ndarray, shape (G,), int64
        Leakers and launched missiles, summed over trials.
    layer_totals : ndarray, shape (L, 4), int64
        Interceptors, engagements, kills and magazine-empty trials per layer,
        summed over trials.
    layer_sumsq : ndarray, shape (L, 3), float64
        Sums over trials of the squares of interceptors, engagements and kills
        per layer (integers, exact in float64 below 2**53).
    cost_sums : ndarray, shape (2, 2), float64
        ``[[defender_sum, defender_sumsq], [attacker_sum, attacker_sumsq]]``:
        sums over trials of the defender's cost (interceptors x their cost) and
        the attacker's (missiles launched x their cost), and of their squares;
        zero where the scenario gives no costs.
    first_trial : int
        Index of the first trial; the run covers ``trial_ranges``.
    trial_ranges : tuple of (start, stop)
        The trial indices covered, as half-open ranges (several after a merge).
    day_totals : ndarray, shape (D, 3), int64, or None
        Campaigns only (else None): per day, sums over trials of missiles
        launched, leakers and squared leakers.
    day_launchers : ndarray, shape (D, G), int64, or None
        Campaigns: per day, summed launchers alive before the day's launches.
    day_layers : ndarray, shape (D, L, 4), int64, or None
        Campaigns: per day and layer, summed interceptors fired, loaded
        interceptors and depot at the end of the day (after reloading), and
        trials in which no unit held a full salvo after the day's raid.
    asset_totals : ndarray, shape (T, 4), int64, or None
        Scenarios with ``[[assets]]`` only: per target (the assets, then open
        ground), sums over trials of missiles launched at it, leakers, squared
        leakers and trials with at least one leaker (``_kernel.ASSET_*``).
    damage_sums : ndarray, shape (2,), float64, or None
        With assets: sums over trials of the value-weighted leakers and their square.
    """

    scenario: Scenario
    trials: int
    seed: int
    leaker_hist: np.ndarray
    group_leakers: np.ndarray
    group_launched: np.ndarray
    layer_totals: np.ndarray
    layer_sumsq: np.ndarray | None = None
    cost_sums: np.ndarray | None = None
    first_trial: int = 0
    threads: int = 1
    elapsed_s: float = 0.0
    method: str = "mc"
    trial_ranges: tuple[tuple[int, int], ...] = ()
    day_totals: np.ndarray | None = None
    day_launchers: np.ndarray | None = None
    day_layers: np.ndarray | None = None
    asset_totals: np.ndarray | None = None
    damage_sums: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not self.trial_ranges:
            self.trial_ranges = ((int(self.first_trial), int(self.first_trial) + self.trials),)
        n_layers = len(self.scenario.layers)
        if self.layer_sumsq is None:
            self.layer_sumsq = np.zeros((n_layers, 3))
        if self.cost_sums is None:
            self.cost_sums = np.zeros((2, 2))

    def merge(self, other: "SimulationResult") -> "SimulationResult":
        """Combine with a run of other trials of the same scenario and seed (exact).

        Raises
        ------
        MergeError
            If the scenarios, methods or seeds differ, or the trial ranges overlap.
        """
        if self.method != other.method:
            raise MergeError(f"cannot merge results of different methods ({self.method} and "
                             f"{other.method})")
        if self.scenario.fingerprint() != other.scenario.fingerprint():
            raise MergeError("cannot merge results of different scenarios "
                             f"({self.scenario.name!r} and {other.scenario.name!r})")
        if self.seed != other.seed:
            raise MergeError(f"cannot merge results of different seeds ({self.seed} and "
                             f"{other.seed}): their trials are not one sample")
        ranges = sorted(self.trial_ranges + other.trial_ranges)
        for (a0, a1), (b0, b1) in zip(ranges, ranges[1:]):
            if b0 < a1:
                raise MergeError(f"cannot merge results whose trials overlap ([{a0}, {a1}) and "
                                 f"[{b0}, {b1})): the same trial would count twice")
        joined: list[tuple[int, int]] = []
        for r in ranges:
            if joined and joined[-1][1] == r[0]:
                joined[-1] = (joined[-1][0], r[1])
            else:
                joined.append(r)

        def add(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
            return None if a is None or b is None else a + b

        return SimulationResult(
            day_totals=add(self.day_totals, other.day_totals),
            day_launchers=add(self.day_launchers, other.day_launchers),
            day_layers=add(self.day_layers, other.day_layers),
            asset_totals=add(self.asset_totals, other.asset_totals),
            damage_sums=add(self.damage_sums, other.damage_sums),
            scenario=self.scenario, trials=self.trials + other.trials, seed=self.seed,
            leaker_hist=self.leaker_hist + other.leaker_hist,
            group_leakers=self.group_leakers + other.group_leakers,
            group_launched=self.group_launched + other.group_launched,
            layer_totals=self.layer_totals + other.layer_totals,
            layer_sumsq=self.layer_sumsq + other.layer_sumsq,
            cost_sums=self.cost_sums + other.cost_sums,
            first_trial=min(self.first_trial, other.first_trial),
            threads=self.threads, elapsed_s=self.elapsed_s + other.elapsed_s,
            method=self.method, trial_ranges=tuple(joined))

    # --- raw statistics, for point files ------------------------------------
    def stats(self) -> dict[str, Any]:
        """The sufficient statistics as plain JSON data; :meth:`from_stats` inverts it."""
        out = self._stats()
        if self.day_totals is not None:
            out["day_totals"] = self.day_totals.tolist()
            out["day_launchers"] = self.day_launchers.tolist()
            out["day_layers"] = self.day_layers.tolist()
        if self.asset_totals is not None:
            out["asset_totals"] = self.asset_totals.tolist()
            out["damage_sums"] = self.damage_sums.tolist()
        return out

    def _stats(self) -> dict[str, Any]:
        return {"trials": self.trials, "seed": self.seed, "first_trial": self.first_trial,
                "trial_ranges": [list(r) for r in self.trial_ranges],
                "scenario_fingerprint": self.scenario.fingerprint(),
                "leaker_hist": self.leaker_hist.tolist(),
                "group_leakers": self.group_leakers.tolist(),
                "group_launched": self.group_launched.tolist(),
                "layer_totals": self.layer_totals.tolist(),
                "layer_sumsq": self.layer_sumsq.tolist(),
                "cost_sums": self.cost_sums.tolist(),
                "threads": self.threads, "elapsed_s": self.elapsed_s}

    @classmethod
    def from_stats(cls, scenario: Scenario, d: dict[str, Any]) -> "SimulationResult":
        """Rebuild a result from :meth:`stats` and the scenario it was run on.

        Raises
        ------
        MergeError
            If ``d`` was computed for another scenario.
        """
        if d["scenario_fingerprint"] != scenario.fingerprint():
            raise MergeError(f"these statistics are not of scenario {scenario.name!r}")
        n_layers, n_groups = len(scenario.layers), len(scenario.threats)

        def ints(key: str, shape: tuple[int, ...]) -> np.ndarray:
            return np.asarray(d[key], dtype=np.int64).reshape(shape)

        def floats(key: str, shape: tuple[int, ...]) -> np.ndarray:
            return np.asarray(d[key], dtype=np.float64).reshape(shape)

        days = {}
        if "day_totals" in d:
            n_days = scenario.days
            days = {"day_totals": ints("day_totals", (n_days, 3)),
                    "day_launchers": ints("day_launchers", (n_days, n_groups)),
                    "day_layers": ints("day_layers", (n_days, n_layers, 4))}
        if "asset_totals" in d:
            n_targets = len(scenario.target_names)
            days["asset_totals"] = ints("asset_totals", (n_targets, 4))
            days["damage_sums"] = floats("damage_sums", (2,))
        return cls(scenario=scenario, trials=int(d["trials"]), seed=int(d["seed"]), **days,
                   leaker_hist=ints("leaker_hist", (scenario.max_leakers + 1,)),
                   group_leakers=ints("group_leakers", (n_groups,)),
                   group_launched=ints("group_launched", (n_groups,)),
                   layer_totals=ints("layer_totals", (n_layers, 4)),
                   layer_sumsq=floats("layer_sumsq", (n_layers, 3)),
                   cost_sums=floats("cost_sums", (2, 2)),
                   first_trial=int(d["first_trial"]), threads=int(d.get("threads", 1)),
                   elapsed_s=float(d.get("elapsed_s", 0.0)),
                   trial_ranges=tuple(tuple(int(x) for x in r) for r in d["trial_ranges"]))

    # --- estimates -----------------------------------------------------------
    @property
    def pmf(self) -> np.ndarray:
        """(n_warheads + 1,) float64: fraction of trials with exactly k leakers."""
        return self.leaker_hist / self.trials

    @property
    def leakers_mean(self) -> float:
        k = np.arange(self.leaker_hist.size, dtype=np.float64)
        return float(k @ self.leaker_hist) / self.trials

    @property
    def leakers_std(self) -> float:
        """Sample standard deviation of leakers per trial (ddof=1)."""
        if self.trials < 2:
            return 0.0
        k = np.arange(self.leaker_hist.size, dtype=np.float64)
        m = self.leakers_mean
        ss = float(((k - m) ** 2) @ self.leaker_hist)
        return math.sqrt(ss / (self.trials - 1))

    @property
    def leakers_ci95(self) -> tuple[float, float]:
        half = Z95 * self.leakers_std / math.sqrt(self.trials)
        return (self.leakers_mean - half, self.leakers_mean + half)

    @property
    def p_any_leak(self) -> float:
        return float(1.0 - self.leaker_hist[0] / self.trials)

    @property
    def p_any_leak_ci95(self) -> tuple[float, float]:
        return wilson_interval(int(self.trials - self.leaker_hist[0]), self.trials)

    def p_at_least(self) -> np.ndarray:
        """(n_warheads + 1,) float64: P(leakers >= k) for k = 0, 1, ..."""
        tail = np.cumsum(self.leaker_hist[::-1])[::-1]
        return tail / self.trials

    @property
    def group_launched_mean(self) -> np.ndarray:
        """(G,) float64: mean missiles launched per group (after counterstrike)."""
        return self.group_launched / self.trials

    @property
    def group_leakers_mean(self) -> np.ndarray:
        """(G,) float64: mean leakers per group."""
        return self.group_leakers / self.trials

    def layer_means(self) -> np.ndarray:
        """(L, 4) float64: mean interceptors, engagements, kills and P(magazine empty)."""
        return self.layer_totals / self.trials

    def layer_ci95(self) -> np.ndarray:
        """(L, 3, 2) float64: 95% intervals of mean interceptors, engagements and kills."""
        out = np.empty((len(self.scenario.layers), 3, 2))
        for li in range(out.shape[0]):
            for j in range(3):
                out[li, j] = mean_ci95(float(self.layer_totals[li, j]),
                                       float(self.layer_sumsq[li, j]), self.trials)
        return out

    def cost_ci95(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """95% intervals of the defender's and the attacker's mean cost per raid."""
        (ds, dss), (as_, ass) = self.cost_sums
        return (mean_ci95(float(ds), float(dss), self.trials),
                mean_ci95(float(as_), float(ass), self.trials))

    # --- defended assets ----------------------------------------------------------
    def asset_estimates(self) -> dict[str, Any] | None:
        """Per-asset estimates and value-weighted damage, or None without ``[[assets]]``.

        Returns
        -------
        dict or None
            ``{"by_asset": {name: {...}}, "open_ground": {...}, "damage": {...}}``
            as in the JSON of ``run`` (see :func:`result_dict`).
        """
        if self.asset_totals is None:
            return None
        n = self.trials
        tot = self.asset_totals
        by_asset = {}
        for a, asset in enumerate(self.scenario.assets):
            by_asset[asset.name] = {
                "value": asset.value,
                "targeted_mean": float(tot[a, 0]) / n,
                "leakers_mean": float(tot[a, 1]) / n,
                "leakers_ci95": _pair(mean_ci95(float(tot[a, 1]), float(tot[a, 2]), n)),
                "p_any_leak": float(tot[a, 3]) / n,
                "p_any_leak_ci95": _pair(wilson_interval(int(tot[a, 3]), n)),
            }
        s, ss = (float(x) for x in self.damage_sums)
        return {"by_asset": by_asset,
                "open_ground": {"targeted_mean": float(tot[-1, 0]) / n},
                "damage": {"value_weighted_mean": s / n,
                           "value_weighted_ci95": _pair(mean_ci95(s, ss, n))}}

    # --- campaigns ------------------------------------------------------------
    def by_day(self) -> dict[str, Any] | None:
        """Per-day estimates of a campaign (the ``by_day`` JSON), or None for one raid.

        Day lists are indexed from day 1. ``magazine_mean`` is a layer's loaded
        interceptors at the end of the day, after reloading;
        ``launchers_alive_mean`` counts launchers before that day's launches
        (groups with ``launchers`` only).
        """
        if self.day_totals is None:
            return None
        n = self.trials
        sc = self.scenario
        tot = self.day_totals.astype(np.float64)
        cis = [_pair(mean_ci95(tot[d, 1], tot[d, 2], n)) for d in range(tot.shape[0])]
        layers = {}
        for li, layer in enumerate(sc.layers):
            x = self.day_layers[:, li, :].astype(np.float64) / n
            layers[layer.name] = {"interceptors_mean": x[:, 0].tolist(),
                                  "magazine_mean": x[:, 1].tolist(),
                                  "depot_mean": x[:, 2].tolist(),
                                  "p_magazine_empty": x[:, 3].tolist()}
        return {"launched_mean": (tot[:, 0] / n).tolist(),
                "leakers_mean": (tot[:, 1] / n).tolist(),
                "leakers_ci95": cis,
                "launchers_alive_mean": {
                    t.name: (self.day_launchers[:, g].astype(np.float64) / n).tolist()
                    for g, t in enumerate(sc.threats) if t.launchers is not None},
                "by_layer": layers}

    def dry_days(self) -> dict[str, int | None] | None:
        """Per layer, the first day (1-based) on which P(magazine empty after
        the raid) > 0.5, or None if there is none; None for a single raid."""
        if self.day_layers is None:
            return None
        out: dict[str, int | None] = {}
        for li, layer in enumerate(self.scenario.layers):
            over = np.flatnonzero(self.day_layers[:, li, 3] * 2 > self.trials)
            out[layer.name] = int(over[0]) + 1 if over.size else None
        return out



def short_repr(r: Any) -> str:
    """One line: the scenario, how it was computed, mean leakers and P(any leak)."""
    lo, hi = r.leakers_ci95
    how = "exact" if r.method == "exact" else f"trials={r.trials:,}, seed={r.seed}"
    return (f"{type(r).__name__}({r.scenario.name!r}, {how}: leakers {r.leakers_mean:.3f} "
            f"[{lo:.3f}, {hi:.3f}], P(any leak) {r.p_any_leak:.4f})")


def _pair(x: tuple[float, float]) -> list[float]:
    return [float(x[0]), float(x[1])]


def result_dict(r: Any) -> dict[str, Any]:
    """The JSON result of interface.md, for a Monte Carlo or an exact result.

    One serialiser for both: ``r`` provides ``scenario``, ``method``, ``trials``,
    ``seed``, ``pmf``, ``p_at_least()``, ``leakers_mean``, ``leakers_std``,
    ``leakers_ci95``, ``p_any_leak``, ``p_any_leak_ci95``, ``group_launched_mean``,
    ``group_leakers_mean``, ``layer_means()`` (L, 4), ``layer_ci95()`` (L, 3, 2),
    ``cost_ci95()``, ``asset_estimates()``, ``elapsed_s`` and ``threads``. Exact results have null
    ``trials`` and ``seed`` and zero-width intervals.
    """
    from .._version import __version__

    sc = r.scenario
    pmf = r.pmf
    support = np.flatnonzero(pmf > 0.0)
    top = int(support[-1]) + 1 if support.size else 1
    means, cis = r.layer_means(), r.layer_ci95()
    by_layer = {}
    for li, layer in enumerate(sc.layers):
        by_layer[layer.name] = {
            "interceptors_mean": float(means[li, 0]),
            "interceptors_ci95": _pair(cis[li, 0]),
            "engagements_mean": float(means[li, 1]),
            "kills_mean": float(means[li, 2]),
            "p_magazine_empty": float(means[li, 3]),
        }
    defender = attacker = defender_ci = attacker_ci = None
    d_ci, a_ci = r.cost_ci95()
    if any(layer.interceptor_cost is not None for layer in sc.layers):
        defender = sum(float(means[li, 0]) * (layer.interceptor_cost or 0.0)
                       for li, layer in enumerate(sc.layers))
        defender_ci = _pair(d_ci)
    if any(t.cost is not None for t in sc.threats):
        attacker = sum(float(r.group_launched_mean[g]) * (t.cost or 0.0)
                       for g, t in enumerate(sc.threats))
        attacker_ci = _pair(a_ci)
    ratio = defender / attacker if defender is not None and attacker else None
    lo, hi = r.leakers_ci95
    plo, phi = r.p_any_leak_ci95
    campaign = {}
    by_day = r.by_day() if hasattr(r, "by_day") else None
    if by_day is not None:
        campaign = {"campaign": {"days": sc.days, "dry_day": r.dry_days()}, "by_day": by_day}
    assets = r.asset_estimates() or {}
    return {
        "scenario": sc.name, "method": r.method, "trials": r.trials, "seed": r.seed,
        "capacity": sc.capacity, "raid_size": sc.raid_size, "raid_ratio": sc.raid_ratio,
        "leakers": {
            "mean": float(r.leakers_mean), "std": float(r.leakers_std),
            "ci95": [float(lo), float(hi)],
            "quantiles": {f"p{q}": pmf_quantile(pmf, q / 100) for q in (50, 90, 99)},
            "pmf": [float(x) for x in pmf[:top]],
            "p_at_least": [float(x) for x in r.p_at_least()[:top]],
        },
        "p_any_leak": float(r.p_any_leak), "p_any_leak_ci95": [float(plo), float(phi)],
        "by_threat": {
            t.name: {"launched_mean": float(r.group_launched_mean[g]),
                     "leakers_mean": float(r.group_leakers_mean[g])}
            for g, t in enumerate(sc.threats)},
        "by_layer": by_layer,
        **assets,
        "cost": {"defender_mean": defender, "defender_ci95": defender_ci,
                 "attacker_mean": attacker, "attacker_ci95": attacker_ci,
                 "exchange_ratio": ratio},
        **campaign,
        "warnings": sc.warnings(),
        "elapsed_s": r.elapsed_s, "threads": r.threads, "version": __version__,
    }
