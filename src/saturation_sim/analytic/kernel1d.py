"""Vectorised layer step when one timing class comes in and one goes out.

This is the common case of sweeps (one group launched at once, layers whose
survivors all reach the next layer at the same time). The state is then a
vector ``state[n]`` over the threats alive, and a layer only removes the
killed: ``new[n - j] += state[n] * K[n, j]`` with a kill law ``K[n, :]``:

* ample: ``j ~ Binomial(n, s (1 - (1 - pkill) ** m))`` (binomial thinning);
* salvo: ``j ~ Binomial(min(P, C), pkill)``, with ``P ~ Binomial(n, s)`` the
  pool and C the engagements the layer can complete.

It computes the same numbers as the general path of :mod:`.joint`, in matrix
form.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .closed_forms import binomial_pmf, expected_engagements
from .outcome import PatternOutcome
from .plan import LayerPlan


def single_class_rule(lp: LayerPlan, cls_in, cls_out):
    """The layer's rule if it maps ``cls_in`` only to ``cls_out`` (else None)."""
    rule = lp.rules.get(cls_in)
    if rule is None or lp.passed[cls_in] != cls_out:
        return None
    if lp.mode == "salvo" and (len(lp.tiers) != 1
                               or any(c != cls_out for c in rule.survived[: lp.tier_rounds[0]])):
        return None
    if lp.mode == "ample" and rule.survived[0] != cls_out:
        return None
    return rule


def applies(lp: LayerPlan, classes: list, nxt: list) -> bool:
    """Whether :func:`kernel_step` handles this layer."""
    return (lp.mode in ("ample", "salvo") and len(classes) == 1 and len(nxt) == 1
            and single_class_rule(lp, classes[0], nxt[0]) is not None)


def _salvo_capacity(lp: LayerPlan) -> int:
    return sum(lp.round_caps[: lp.tier_rounds[0]])


def entries(lp: LayerPlan, n_max: int) -> float:
    """Size of the largest array :func:`kernel_step` builds for states up to ``n_max``."""
    if lp.mode == "ample":
        return float(n_max + 1)
    width = min(_salvo_capacity(lp), n_max) + 1
    return float((n_max + 1) * width + width * width)


def _capped_pool(ns: np.ndarray, s: float, cap: int) -> np.ndarray:
    """C[i, p] = P(min(Binomial(ns[i], s), cap) = p), shape (len(ns), min(cap, max ns) + 1)."""
    width = min(cap, int(ns.max())) + 1
    p = np.arange(width)[None, :]
    n = ns[:, None]
    if s >= 1.0:
        out = (np.minimum(n, cap) == p).astype(float)
    else:
        out = stats.binom.pmf(p, n, s)
        if cap == width - 1:  # the cap binds for some n: the last column is P(P >= cap)
            out[:, cap] = stats.binom.sf(cap - 1, ns, s)
    return out


def kernel_step(lp: LayerPlan, rule, state: np.ndarray, size_out: int,
                out: PatternOutcome) -> np.ndarray:
    """One layer on a 1-D state (one class in, one out); returns the new state.

    Parameters
    ----------
    lp, rule
        The layer plan and its only rule (see :func:`single_class_rule`).
    state : ndarray, shape (N + 1,)
        P(n threats of the class are alive).
    size_out
        Length of the new state.
    out
        Accumulates engagements, kills and P(magazines empty) of the layer.
    """
    li = lp.index
    rows = np.flatnonzero(state)
    w = state[rows]
    s, pk = rule.pooled, rule.pkill
    new = np.zeros(max(size_out, state.size))
    if lp.mode == "ample":
        m = rule.attempts
        q_all = (1.0 - pk) ** m
        mean_n = float(w @ rows)
        out.engagements[li] += mean_n * s * expected_engagements(pk, m)
        out.kills[li] += mean_n * s * (1.0 - q_all)
        if lp.full_engagements % m == 0 and lp.full_engagements // m < state.size:
            n_full = lp.full_engagements // m
            top = s * (1.0 - pk) ** (m - 1)
            out.p_empty[li] += float(state[n_full]) * (top ** n_full if top > 0 else 0.0)
        for n, p in zip(rows, w):
            new[: n + 1] += p * binomial_pmf(int(n), s * (1.0 - q_all))[::-1]  # n - j alive
    else:
        cap = _salvo_capacity(lp)
        capped = _capped_pool(rows, s, cap)                 # law of engaged = min(P, cap)
        width = capped.shape[1]
        engaged = capped @ np.arange(width)
        out.engagements[li] += float(w @ engaged)
        out.kills[li] += float(w @ engaged) * pk
        if cap == lp.full_engagements and cap == width - 1:
            out.p_empty[li] += float(w @ capped[:, cap])
        binom = np.zeros((width, width))
        for e in range(width):
            binom[e, : e + 1] = binomial_pmf(e, pk)
        kill = capped @ binom                               # P(j killed | n)
        for n, p, row in zip(rows, w, kill):
            cols = min(int(n) + 1, width)
            new[n - cols + 1: n + 1] += p * row[:cols][::-1]
    assert not new[size_out:].any()  # the plan's class bounds hold
    return new[:size_out]
