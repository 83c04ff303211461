"""The exact result, shaped like the Monte Carlo one.

:class:`ExactResult` carries exact laws and means; :meth:`ExactResult.to_dict`
returns the same keys as :meth:`saturation_sim.engine.SimulationResult.to_dict`,
with ``method = "exact"``, ``trials`` and ``seed`` null, and zero-width
intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..engine.result import pmf_quantile
from ..scenario import Scenario


@dataclass
class ExactResult:
    """Exact leaker law and per-group / per-layer means of one scenario.

    Attributes
    ----------
    scenario : Scenario
    pmf : ndarray, shape (n_warheads + 1,), float64
        P(exactly k warheads leak).
    group_leakers, group_launched : ndarray, shape (G,), float64
        Mean leakers and mean missiles launched (after counterstrike) per group.
    engagements, kills, p_magazine_empty : ndarray, shape (L,), float64
        Per layer: mean engagements and kills per trial, and P(the layer is
        present and ends with no fire unit able to fire a full salvo).
    elapsed_s : float
        Time taken to compute.
    """

    scenario: Scenario
    pmf: np.ndarray
    group_leakers: np.ndarray
    group_launched: np.ndarray
    engagements: np.ndarray
    kills: np.ndarray
    p_magazine_empty: np.ndarray
    elapsed_s: float = 0.0
    method: str = "exact"

    @property
    def leakers_mean(self) -> float:
        return float(np.arange(self.pmf.size) @ self.pmf)

    @property
    def leakers_std(self) -> float:
        """Standard deviation of the leaker law (exact, not a sample estimate)."""
        k = np.arange(self.pmf.size, dtype=np.float64)
        var = float(((k - self.leakers_mean) ** 2) @ self.pmf)
        return math.sqrt(max(var, 0.0))

    @property
    def leakers_ci95(self) -> tuple[float, float]:
        """Zero-width: the mean is exact."""
        return (self.leakers_mean, self.leakers_mean)

    @property
    def p_any_leak_ci95(self) -> tuple[float, float]:
        """Zero-width: the probability is exact."""
        return (self.p_any_leak, self.p_any_leak)

    # Run metadata, as on SimulationResult: an exact result has no trials or seed.
    trials: ClassVar[None] = None
    seed: ClassVar[None] = None
    threads: ClassVar[int] = 1

    @property
    def p_any_leak(self) -> float:
        # Whichever form keeps the rounding relative to the smaller of P and 1 - P.
        p0 = float(self.pmf[0])
        return 1.0 - p0 if p0 <= 0.5 else float(self.pmf[1:].sum())

    def p_at_least(self) -> np.ndarray:
        """(n_warheads + 1,) float64: P(leakers >= k) for k = 0, 1, ..."""
        tail = np.cumsum(self.pmf[::-1])[::-1]
        tail[0] = 1.0
        if tail.size > 1:
            tail[1] = self.p_any_leak
        return tail

    @property
    def interceptors(self) -> np.ndarray:
        """(L,) float64: mean interceptors fired per layer (engagements x shots)."""
        shots = np.array([lay.shots_per_engagement for lay in self.scenario.layers], float)
        return self.engagements * shots

    def to_dict(self) -> dict[str, Any]:
        """The JSON result of interface.md, with the keys of ``SimulationResult.to_dict``."""
        from .. import __version__

        sc = self.scenario
        support = np.flatnonzero(self.pmf > 0.0)
        top = int(support[-1]) + 1 if support.size else 1
        mean, p_any = self.leakers_mean, self.p_any_leak
        by_layer = {
            layer.name: {"interceptors_mean": float(self.interceptors[li]),
                         "engagements_mean": float(self.engagements[li]),
                         "kills_mean": float(self.kills[li]),
                         "p_magazine_empty": float(self.p_magazine_empty[li])}
            for li, layer in enumerate(sc.layers)}
        defender = attacker = None
        if any(layer.interceptor_cost is not None for layer in sc.layers):
            defender = sum(by_layer[layer.name]["interceptors_mean"]
                           * (layer.interceptor_cost or 0.0) for layer in sc.layers)
        if any(t.cost is not None for t in sc.threats):
            attacker = sum(float(self.group_launched[g]) * (t.cost or 0.0)
                           for g, t in enumerate(sc.threats))
        ratio = defender / attacker if defender is not None and attacker else None
        return {
            "scenario": sc.name, "method": self.method, "trials": self.trials, "seed": self.seed,
            "capacity": sc.capacity, "raid_size": sc.raid_size, "raid_ratio": sc.raid_ratio,
            "leakers": {
                "mean": mean, "std": self.leakers_std, "ci95": [mean, mean],
                "quantiles": {f"p{q}": pmf_quantile(self.pmf, q / 100) for q in (50, 90, 99)},
                "pmf": [float(x) for x in self.pmf[:top]],
                "p_at_least": [float(x) for x in self.p_at_least()[:top]],
            },
            "p_any_leak": p_any, "p_any_leak_ci95": [p_any, p_any],
            "by_threat": {
                t.name: {"launched_mean": float(self.group_launched[g]),
                         "leakers_mean": float(self.group_leakers[g])}
                for g, t in enumerate(sc.threats)},
            "by_layer": by_layer,
            "cost": {"defender_mean": defender, "attacker_mean": attacker,
                     "exchange_ratio": ratio},
            "elapsed_s": self.elapsed_s, "threads": self.threads, "version": __version__,
        }
