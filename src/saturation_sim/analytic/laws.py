"""Sparse laws over class-count vectors, and the accumulator that builds them.

A law is a mapping ``{(n_0, n_1, ...): probability}``. A layer turns each
count vector into sub-outcomes: a deterministic offset plus independent
random components (binomial on one class, or the multinomial split of one
class between two), which :class:`Accumulator` convolves and sums in
vectorised form.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy import signal

from .closed_forms import binomial_pmf

State = dict[tuple[int, ...], float]

# A component of a state's outcome: ("binom", axis, n, p), a 1-D law on one
# axis; or ("split", axis_pass, axis_surv, n, p_pass, p_surv_given_not_pass),
# the multinomial (pass, survive, die) on two axes.
Spec = tuple


def component(spec: Spec, ndim: int) -> np.ndarray:
    """The law of one component as an array over ``ndim`` axes (size 1 off its axes)."""
    shape = [1] * ndim
    if spec[0] == "binom":
        _, axis, n, p = spec
        shape[axis] = n + 1
        return np.asarray(binomial_pmf(n, p)).reshape(shape)
    _, ax_u, ax_s, n, p_u, p_s = spec
    table = np.zeros((n + 1, n + 1))
    for u, w in enumerate(binomial_pmf(n, p_u)):
        if w > 0.0:
            table[u, : n - u + 1] = w * binomial_pmf(n - u, p_s)
    if ax_u > ax_s:
        table = table.T
    shape[ax_u], shape[ax_s] = n + 1, n + 1
    return table.reshape(shape)


def materialize(specs: tuple[Spec, ...], ndim: int) -> np.ndarray:
    """The law of a sum of independent components, as a dense array over ``ndim`` axes."""
    arr = np.ones((1,) * ndim)
    for spec in specs:
        comp = component(spec, ndim)
        long_arr = [i for i, s in enumerate(arr.shape) if s > 1]
        long_comp = [i for i, s in enumerate(comp.shape) if s > 1]
        if not long_arr:
            arr = arr.reshape(-1)[0] * comp
        elif len(long_arr) == 1 and long_arr == long_comp:
            axis = long_arr[0]
            arr = np.convolve(arr.reshape(-1), comp.reshape(-1)).reshape(
                [arr.shape[i] + comp.shape[i] - 1 if i == axis else 1 for i in range(ndim)])
        else:
            arr = signal.convolve(arr, comp, mode="full", method="direct")
    return arr


class Accumulator:
    """The next law, built from sub-outcomes grouped by their random part.

    A sub-outcome is a deterministic offset (a count vector) with a weight,
    plus independent components (``specs``). Offsets sharing the same
    components are merged, then convolved with the components' law at once.

    Parameters
    ----------
    bounds : tuple of int
        Largest count of each class (the plan's bounds); offsets are stored as
        flat indices into the box ``prod(bounds + 1)``.
    """

    def __init__(self, bounds: tuple[int, ...]):
        self.bounds = np.array(bounds, np.int64)
        self.shape = tuple(int(b) + 1 for b in bounds)
        self.pending: dict[tuple, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)

    def add_many(self, weights: np.ndarray, offsets: np.ndarray, specs) -> None:
        """Sub-outcomes sharing ``specs``: weights (K,), offsets (K, n_classes) int64."""
        keep = weights > 0.0
        if not keep.any():
            return
        offsets = offsets[keep]
        # The plan's class bounds guarantee the fit; a failure is a bug.
        assert (offsets >= 0).all() and (offsets <= self.bounds).all()
        flat = (np.ravel_multi_index(tuple(offsets.T), self.shape) if self.shape
                else np.zeros(len(offsets), np.int64))
        self.pending[tuple(sorted(specs))].append((flat, weights[keep]))

    def flush(self) -> State:
        """The accumulated law; empties the accumulator."""
        ndim = len(self.shape)
        keys_out, vals_out = [], []
        for specs, parts in self.pending.items():
            flat = np.concatenate([f for f, _ in parts])
            uniq, inverse = np.unique(flat, return_inverse=True)
            weights = np.bincount(inverse.ravel(), weights=np.concatenate([w for _, w in parts]),
                                  minlength=uniq.size)
            arr = materialize(specs, ndim)
            if ndim == 0:
                vals_out.append(np.array([weights.sum() * float(arr)]))
                continue
            offs = np.stack(np.unravel_index(uniq, self.shape), axis=1)   # (K, ndim)
            idx = np.argwhere(arr > 0.0)                                    # (M, ndim)
            keys_out.append((offs[:, None, :] + idx[None, :, :]).reshape(-1, ndim))
            vals_out.append((weights[:, None] * arr[tuple(idx.T)][None, :]).ravel())
        self.pending.clear()
        if not vals_out:
            return {}
        vals = np.concatenate(vals_out)
        if ndim == 0:
            return {(): float(vals.sum())}
        keys = np.concatenate(keys_out)
        assert (keys <= self.bounds).all(), (keys.max(axis=0), self.bounds)
        flat = np.ravel_multi_index(tuple(keys.T), self.shape)
        uniq, inverse = np.unique(flat, return_inverse=True)
        probs = np.bincount(inverse.ravel(), weights=vals, minlength=uniq.size)
        coords = np.stack(np.unravel_index(uniq, self.shape), axis=1)
        return {tuple(c): float(p) for c, p in zip(coords.tolist(), probs.tolist()) if p > 0.0}
