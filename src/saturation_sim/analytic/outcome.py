"""The exact outcome of one availability pattern, in the engine's per-trial terms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PatternOutcome:
    """Exact laws and means of one trial, given which layers are present.

    Attributes
    ----------
    pmf : ndarray, shape (n_warheads + 1,), float64
        P(exactly k warheads leak).
    group_leakers : ndarray, shape (G,), float64
        Mean leakers per threat group.
    engagements, kills, p_empty : ndarray, shape (L,), float64
        Per layer (absent layers 0): mean engagements, mean kills, and
        P(the layer ends with no fire unit able to fire a full salvo).
    """

    pmf: np.ndarray
    group_leakers: np.ndarray
    engagements: np.ndarray
    kills: np.ndarray
    p_empty: np.ndarray

    @classmethod
    def zeros(cls, n_warheads: int, n_groups: int, n_layers: int) -> "PatternOutcome":
        return cls(np.zeros(n_warheads + 1), np.zeros(n_groups), np.zeros(n_layers),
                   np.zeros(n_layers), np.zeros(n_layers))

    def add(self, other: "PatternOutcome", weight: float) -> None:
        """Accumulate ``weight * other`` (mixture over availability patterns)."""
        self.pmf[: other.pmf.size] += weight * other.pmf
        self.group_leakers += weight * other.group_leakers
        self.engagements += weight * other.engagements
        self.kills += weight * other.kills
        self.p_empty += weight * other.p_empty
