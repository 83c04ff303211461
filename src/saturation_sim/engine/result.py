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


@dataclass
class SimulationResult:
    """Sufficient statistics of a Monte Carlo run, plus how it was made.

    Attributes
    ----------
    leaker_hist : ndarray, shape (n_warheads + 1,), int64
        Trials with exactly k leaking warheads.
    group_leakers, group_launched : ndarray, shape (G,), int64
        Leakers and launched missiles, summed over trials.
    layer_totals : ndarray, shape (L, 4), int64
        Interceptors, engagements, kills and magazine-empty trials per layer,
        summed over trials.
    layer_sumsq : ndarray, shape (L, 3), float64
        Sums over trials of interceptors², engagements² and kills² per layer.
    cost_sums : ndarray, shape (2, 2), float64
        ``[[defender_sum, defender_sumsq], [attacker_sum, attacker_sumsq]]``:
        sums over trials of each side's cost and of its square (cost 0 where
        the scenario gives none).
    first_trial : int
        Index of the first trial of the run (trials ``first_trial ..
        first_trial + trials - 1``).
    """

    scenario: Scenario
    trials: int
    seed: int
    leaker_hist: np.ndarray
    group_leakers: np.ndarray
    group_launched: np.ndarray
    layer_totals: np.ndarray
    threads: int = 1
    elapsed_s: float = 0.0
    method: str = "mc"
    layer_sumsq: np.ndarray | None = None
    cost_sums: np.ndarray | None = None
    first_trial: int = 0

    def __post_init__(self) -> None:
        # Results built without second moments (say, by the analytic layer)
        # get zero sums of the right shape, so merging and reading them works.
        if self.layer_sumsq is None:
            self.layer_sumsq = np.zeros((len(self.layer_totals), 3))
        if self.cost_sums is None:
            self.cost_sums = np.zeros((2, 2))

    def merge(self, other: "SimulationResult") -> "SimulationResult":
        """Combine with a run of further trials of the same scenario (exact).

        Raises
        ------
        ValueError
            If the two runs are of different scenarios, methods or seeds, or
            their trial ranges overlap (the same trial counted twice).
        """
        if self.method != other.method or self.seed != other.seed:
            raise ValueError(f"cannot merge results of different runs: method/seed "
                             f"{self.method}/{self.seed} and {other.method}/{other.seed}")
        if self.scenario != other.scenario:
            raise ValueError(f"cannot merge results of different scenarios: "
                             f"{self.scenario.name!r} ({self.scenario.source}) and "
                             f"{other.scenario.name!r} ({other.scenario.source})")
        a0, a1 = self.first_trial, self.first_trial + self.trials
        b0, b1 = other.first_trial, other.first_trial + other.trials
        if a0 < b1 and b0 < a1:
            raise ValueError(f"cannot merge results whose trials overlap: {a0}..{a1 - 1} "
                             f"and {b0}..{b1 - 1} (seed {self.seed})")
        return SimulationResult(
            scenario=self.scenario, trials=self.trials + other.trials, seed=self.seed,
            leaker_hist=self.leaker_hist + other.leaker_hist,
            group_leakers=self.group_leakers + other.group_leakers,
            group_launched=self.group_launched + other.group_launched,
            layer_totals=self.layer_totals + other.layer_totals,
            threads=self.threads, elapsed_s=self.elapsed_s + other.elapsed_s,
            method=self.method, layer_sumsq=self.layer_sumsq + other.layer_sumsq,
            cost_sums=self.cost_sums + other.cost_sums,
            first_trial=min(self.first_trial, other.first_trial))

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

    def to_dict(self) -> dict[str, Any]:
        """The JSON result of interface.md (plus ``method`` and ``leakers.p_at_least``)."""
        from .. import __version__

        sc = self.scenario
        observed = np.nonzero(self.leaker_hist)[0]
        top = int(observed[-1]) + 1 if observed.size else 1
        pmf = self.pmf
        lo, hi = self.leakers_ci95
        plo, phi = self.p_any_leak_ci95
        n = self.trials
        by_layer = {}
        for li, layer in enumerate(sc.layers):
            tot = self.layer_totals[li]
            by_layer[layer.name] = {
                "interceptors_mean": float(tot[0]) / n,
                "engagements_mean": float(tot[1]) / n,
                "kills_mean": float(tot[2]) / n,
                "p_magazine_empty": float(tot[3]) / n,
            }
        defender = attacker = None
        if any(layer.interceptor_cost is not None for layer in sc.layers):
            defender = sum(by_layer[layer.name]["interceptors_mean"] * (layer.interceptor_cost or 0.0)
                           for layer in sc.layers)
        if any(t.cost is not None for t in sc.threats):
            attacker = sum(float(self.group_launched[g]) / n * (t.cost or 0.0)
                           for g, t in enumerate(sc.threats))
        ratio = defender / attacker if defender is not None and attacker else None
        return {
            "scenario": sc.name, "method": self.method, "trials": n, "seed": self.seed,
            "capacity": sc.capacity, "raid_size": sc.raid_size, "raid_ratio": sc.raid_ratio,
            "leakers": {
                "mean": self.leakers_mean, "std": self.leakers_std, "ci95": [lo, hi],
                "quantiles": {f"p{q}": pmf_quantile(pmf, q / 100) for q in (50, 90, 99)},
                "pmf": [float(x) for x in pmf[:top]],
                "p_at_least": [float(x) for x in self.p_at_least()[:top]],
            },
            "p_any_leak": float(self.p_any_leak), "p_any_leak_ci95": [plo, phi],
            "by_threat": {
                t.name: {"launched_mean": float(self.group_launched[g]) / n,
                         "leakers_mean": float(self.group_leakers[g]) / n}
                for g, t in enumerate(sc.threats)},
            "by_layer": by_layer,
            "cost": {"defender_mean": defender, "attacker_mean": attacker,
                     "exchange_ratio": ratio},
            "elapsed_s": self.elapsed_s, "threads": self.threads, "version": __version__,
        }
