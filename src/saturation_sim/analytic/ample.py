"""An ample (or idle) layer on the joint law of class counts, vectorised over states.

With ample capacity every threat of a pooled class independently passes
unchanged (not pooled), survives all its engagements (and moves to the class
"after this layer"), or dies: a multinomial split per class. The step applies
these splits one class at a time to every state at once: for each count value
of the class, the states holding it are shifted by the law of the split
(:func:`.laws.component`), and equal count vectors are merged.
"""

from __future__ import annotations

import math

import numpy as np

from .closed_forms import expected_engagements
from .laws import Spec, State, component
from .outcome import PatternOutcome
from .plan import ClassRule, LayerPlan, ThreatClass


def _split_spec(rule: ClassRule, n: int, a_pass: int | None, a_surv: int | None) -> Spec | None:
    """The law of (passed, survived) for n threats of one class; None if all die."""
    s, q_all = rule.pooled, (1.0 - rule.pkill) ** rule.attempts
    if s >= 1.0:
        return ("binom", a_surv, n, q_all) if q_all > 0.0 else None
    if q_all <= 0.0:
        return ("binom", a_pass, n, 1.0 - s)
    if a_pass == a_surv:
        return ("binom", a_pass, n, 1.0 - s + s * q_all)
    return ("split", a_pass, a_surv, n, 1.0 - s, q_all)


def _merge(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum the weights of equal rows of ``keys``."""
    if keys.shape[1] == 0:
        return keys[:1], np.array([weights.sum()])
    shape = tuple(int(m) + 1 for m in keys.max(axis=0))
    flat = np.ravel_multi_index(tuple(keys.T), shape)
    uniq, inverse = np.unique(flat, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=weights, minlength=uniq.size)
    return np.stack(np.unravel_index(uniq, shape), axis=1).astype(np.int64), summed


def _layer_means(lp: LayerPlan, keys: np.ndarray, w: np.ndarray, cin: list[ThreatClass],
                 out: PatternOutcome) -> None:
    """Mean engagements and kills, and P(every magazine empty), of an ample layer."""
    li = lp.index
    demand = np.zeros(len(w), np.int64)
    log_top = np.zeros(len(w))
    for i, cls in enumerate(cin):
        rule = lp.rules.get(cls)
        if rule is None:
            continue
        s, pk, m = rule.pooled, rule.pkill, rule.attempts
        mean_n = float(w @ keys[:, i])
        out.engagements[li] += mean_n * s * expected_engagements(pk, m)
        out.kills[li] += mean_n * s * (1.0 - (1.0 - pk) ** m)
        demand += keys[:, i] * m
        # Every magazine empties only if every threat is pooled and uses all m tries.
        top = s * (1.0 - pk) ** (m - 1)
        log_top += keys[:, i] * math.log(top) if top > 0.0 else \
            np.where(keys[:, i] > 0, -np.inf, 0.0)
    full = demand == lp.full_engagements
    out.p_empty[li] += float(w[full] @ np.exp(log_top[full]))


def ample_step(lp: LayerPlan, state: State, cin: list[ThreatClass], ax_out: dict,
               bounds: tuple[int, ...], out: PatternOutcome) -> State:
    """Apply an ample or idle layer to the joint law ``state``; return the next law."""
    n_out = len(ax_out)
    keys = np.array(list(state.keys()), np.int64).reshape(len(state), len(cin))
    w = np.fromiter(state.values(), float, len(state))
    if lp.mode == "ample":
        _layer_means(lp, keys, w, cin, out)
    held = [i for i, c in enumerate(cin) if c in lp.rules]
    to_pass = np.zeros((len(cin), n_out), np.int64)
    for i, c in enumerate(cin):
        if c not in lp.rules:
            to_pass[i, ax_out[lp.passed[c]]] = 1
    cur = np.concatenate([keys @ to_pass, keys[:, held]], axis=1)
    for h, i in enumerate(held):
        col = n_out + h
        rule = lp.rules[cin[i]]
        a_pass, a_surv = ax_out.get(lp.passed[cin[i]]), ax_out.get(rule.survived[0])
        new_keys, new_w = [], []
        for v in np.unique(cur[:, col]).tolist():
            rows = cur[:, col] == v
            base = cur[rows]
            base[:, col] = 0
            spec = _split_spec(rule, v, a_pass, a_surv) if v else None
            if spec is None:   # no threat, or every one dies
                new_keys.append(base)
                new_w.append(w[rows])
                continue
            arr = component(spec, n_out)
            idx = np.argwhere(arr > 0.0)
            prob = arr[tuple(idx.T)]
            shift = np.zeros((len(idx), cur.shape[1]), np.int64)
            shift[:, :n_out] = idx
            new_keys.append((base[:, None, :] + shift[None, :, :]).reshape(-1, cur.shape[1]))
            new_w.append((w[rows][:, None] * prob[None, :]).ravel())
        cur, w = _merge(np.concatenate(new_keys), np.concatenate(new_w))
    assert not cur[:, n_out:].any()
    cur, w = _merge(cur[:, :n_out], w)  # classes that land in one class add up
    # The plan's class bounds guarantee the fit; a failure is a bug.
    assert (cur <= np.array(bounds, np.int64)).all()
    return {tuple(k): float(p) for k, p in zip(cur.tolist(), w.tolist()) if p > 0.0}
