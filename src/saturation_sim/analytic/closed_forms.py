"""Closed forms of the engagement model: kill probabilities, binomial and
hypergeometric laws, Erlang's loss formula and the interceptors-per-target rule.

Every formula here is stated, with its assumptions and source, in
``docs/analytic.md``. These functions are small, pure and exact (up to double
rounding); the exact solver (:mod:`saturation_sim.analytic.exact`) and the
tests build on them.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import stats


def engagement_kill_probability(sspk: float, shots: int = 1, reliability: float = 1.0) -> float:
    """P(one engagement kills): ``1 - (1 - reliability * sspk) ** shots``.

    Each of the ``shots`` interceptors of a shoot-shoot salvo works
    independently with ``reliability`` and then kills with ``sspk``.
    """
    return 1.0 - (1.0 - reliability * sspk) ** shots


def layer_kill_probability(pkill: float, attempts: int = 1, detection: float = 1.0) -> float:
    """P(a layer with ample capacity kills a threat): ``detection * (1 - (1 - pkill) ** attempts)``.

    Parameters
    ----------
    pkill
        Kill probability of one engagement (see :func:`engagement_kill_probability`).
    attempts
        Engagements the window allows, ``min(max_engagements, floor((b - a) / flyout_s))``;
        more than one is shoot-look-shoot.
    detection
        Probability that the layer tracks the threat at all.
    """
    return detection * (1.0 - (1.0 - pkill) ** attempts)


def expected_engagements(pkill: float, attempts: int) -> float:
    """Mean engagements of one tracked threat under shoot-look-shoot with ``attempts`` tries.

    ``sum_{j<attempts} (1 - pkill) ** j``: engagement j + 1 happens iff the first j failed.
    """
    q = 1.0 - pkill
    return float(sum(q ** j for j in range(attempts)))


def engagements_pmf(pkill: float, attempts: int) -> np.ndarray:
    """(attempts + 1,) float64: law of the engagements one tracked threat receives.

    ``P(J = j) = pkill * q ** (j - 1)`` for ``1 <= j < attempts`` and
    ``P(J = attempts) = q ** (attempts - 1)``, with ``q = 1 - pkill``.
    """
    out = np.zeros(attempts + 1)
    if attempts == 0:
        out[0] = 1.0
        return out
    q = 1.0 - pkill
    for j in range(1, attempts):
        out[j] = pkill * q ** (j - 1)
    out[attempts] = q ** (attempts - 1)
    return out


@lru_cache(maxsize=4096)
def _binomial_pmf_cached(n: int, p: float) -> np.ndarray:
    if p <= 0.0:
        out = np.zeros(n + 1)
        out[0] = 1.0
    elif p >= 1.0:
        out = np.zeros(n + 1)
        out[n] = 1.0
    else:
        out = stats.binom.pmf(np.arange(n + 1), n, p)
    out.setflags(write=False)
    return out


def binomial_pmf(n: int, p: float) -> np.ndarray:
    """(n + 1,) float64: ``P(X = k)`` for ``X ~ Binomial(n, p)``, exact at p = 0 and p = 1.

    The returned array is read-only (it is cached).
    """
    return _binomial_pmf_cached(int(n), float(p))


def binomial_sum_pmf(parts: list[tuple[int, float]]) -> np.ndarray:
    """Law of a sum of independent binomials ``Binomial(n_i, p_i)`` (by convolution).

    Returns
    -------
    ndarray, shape (sum n_i + 1,), float64
    """
    out = np.ones(1)
    for n, p in parts:
        out = np.convolve(out, binomial_pmf(n, p))
    return out


def hypergeometric_split(counts: tuple[int, ...], draws: int
                         ) -> list[tuple[tuple[int, ...], float]]:
    """Multivariate hypergeometric law: ``draws`` picked uniformly without replacement.

    Parameters
    ----------
    counts
        Items of each kind.
    draws
        Items picked, ``0 <= draws <= sum(counts)``.

    Returns
    -------
    list of (split, probability)
        Every split ``x`` with ``sum(x) == draws`` and ``0 <= x_i <= counts_i``, with
        ``prod C(counts_i, x_i) / C(sum(counts), draws)`` (exact integers, one rounding).
    """
    total = sum(counts)
    if not 0 <= draws <= total:
        raise ValueError(f"cannot draw {draws} of {total}")
    denom = math.comb(total, draws)
    out: list[tuple[tuple[int, ...], float]] = []

    def rec(i: int, left: int, acc: tuple[int, ...], num: int) -> None:
        if i == len(counts) - 1:
            if left <= counts[i]:
                out.append((acc + (left,), num * math.comb(counts[i], left) / denom))
            return
        rest = sum(counts[i + 1:])
        for x in range(max(0, left - rest), min(counts[i], left) + 1):
            rec(i + 1, left - x, acc + (x,), num * math.comb(counts[i], x))

    if not counts:
        return [((), 1.0)] if draws == 0 else []
    rec(0, draws, (), 1)
    return out


def erlang_b(channels: int, offered_load: float) -> float:
    """Erlang's loss formula B(c, a): P(all c servers busy) in an M/G/c/c loss system.

    Uses the stable recursion ``B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))``,
    which never forms ``a ** c / c!``. Insensitive to the service-time law
    (only its mean enters ``a = lambda * mean service time``).

    Parameters
    ----------
    channels
        Number of servers c >= 0.
    offered_load
        a = arrival rate x mean holding time, in erlangs (>= 0).
    """
    if channels < 0 or int(channels) != channels:
        raise ValueError(f"channels must be a whole number >= 0, got {channels}")
    if not offered_load >= 0 or not math.isfinite(offered_load):
        raise ValueError(f"offered_load must be a finite number >= 0, got {offered_load}")
    b = 1.0
    for k in range(1, int(channels) + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def interceptors_for_no_leak(p_no_leak: float, n_threats: int, pk: float) -> float:
    """Interceptors per target so that all ``n_threats`` die with probability ``p_no_leak``.

    Solves ``(1 - (1 - pk) ** n) ** N = P`` for n:
    ``n* = ln(1 - P ** (1 / N)) / ln(1 - pk)``. Round up for a whole number of
    interceptors. Assumes independent shots, each killing with ``pk``, and
    ample capacity (every target gets its n).

    Returns
    -------
    float
        n* (0 when ``P == 0`` or ``pk == 1``; infinity when ``P == 1`` and ``pk < 1``,
        or when ``pk == 0`` and ``P > 0``).
    """
    if not 0.0 <= p_no_leak <= 1.0:
        raise ValueError(f"p_no_leak must be in [0, 1], got {p_no_leak}")
    if int(n_threats) != n_threats or n_threats < 1:
        raise ValueError(f"n_threats must be a whole number >= 1, got {n_threats}")
    if not 0.0 <= pk <= 1.0:
        raise ValueError(f"pk must be in [0, 1], got {pk}")
    if p_no_leak == 0.0 or pk == 1.0:
        return 0.0
    if p_no_leak == 1.0 or pk == 0.0:
        return math.inf
    per_target = p_no_leak ** (1.0 / n_threats)
    return math.log1p(-per_target) / math.log1p(-pk)


def p_no_leak_independent(n_threats: int, interceptors: int, pk: float,
                          detection: float = 1.0) -> float:
    """P(no leak) with ample capacity: ``(detection * (1 - (1 - pk) ** n)) ** N``."""
    return (detection * (1.0 - (1.0 - pk) ** interceptors)) ** n_threats


def saturated_leakers_mean(n_threats: int, capacity: int, pkill: float) -> float:
    """Mean leakers when ``min(N, C)`` of N threats get one engagement each.

    ``max(N - C, 0) + min(N, C) (1 - pkill)``: the saturated, all-at-once layer
    (validation case 1 and its sweep along ``raid_ratio``).
    """
    engaged = min(n_threats, capacity)
    return (n_threats - engaged) + engaged * (1.0 - pkill)
