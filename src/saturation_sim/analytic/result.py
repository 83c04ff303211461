"""The exact result, shaped like the Monte Carlo one.

:class:`ExactResult` carries exact laws and means; :meth:`ExactResult.to_dict`
returns the same keys as :meth:`saturation_sim.engine.SimulationResult.to_dict`,
with ``method = "exact"``, ``trials`` and ``seed`` null, and zero-width
intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..engine.result import ResultViews
from ..scenario import Scenario


@dataclass(repr=False)
class ExactResult(ResultViews):
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
    assets : dict or None
        With ``[[assets]]``: ``{"by_asset": ..., "open_ground": ..., "damage": ...}``
        as in the JSON of ``run``, with zero-width intervals.
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
    assets: dict | None = None  # the by_asset / open_ground / damage JSON, with [[assets]]

    def asset_estimates(self) -> dict | None:
        """Per-asset estimates and value-weighted damage (exact), or None without assets."""
        return self.assets

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

    @property
    def group_launched_mean(self) -> np.ndarray:
        return self.group_launched

    @property
    def group_leakers_mean(self) -> np.ndarray:
        return self.group_leakers

    def layer_means(self) -> np.ndarray:
        """(L, 4) float64: mean interceptors, engagements, kills and P(magazine empty)."""
        return np.column_stack([self.interceptors, self.engagements, self.kills,
                                self.p_magazine_empty]).reshape(-1, 4)

    def layer_ci95(self) -> np.ndarray:
        """(L, 3, 2) float64: zero-width intervals at the exact means."""
        m = self.layer_means()[:, :3]
        return np.stack([m, m], axis=-1)

    def cost_ci95(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Zero-width intervals at the exact mean costs."""
        sc = self.scenario
        d = float(sum(self.interceptors[li] * (lay.interceptor_cost or 0.0)
                      for li, lay in enumerate(sc.layers)))
        a = float(sum(self.group_launched[g] * (t.cost or 0.0)
                      for g, t in enumerate(sc.threats)))
        return ((d, d), (a, a))
