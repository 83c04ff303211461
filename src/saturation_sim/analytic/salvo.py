"""A saturated layer hit all at once, on the joint law of class counts.

Given the pooled counts (after detection and discrimination), what the layer
does is fixed: round by round it engages up to its capacity, earliest
deadline first (:func:`.timing.allocate`); inside one deadline tier the
engaged are a uniformly random subset, so their split between classes is
multivariate hypergeometric, round block by round block; each engaged threat
dies with its class's kill probability. That outcome is computed once per
pooled vector (:func:`outcome_given_pool`) and applied to every state at once
(:func:`salvo_step`), weighting each state by the binomial law of its pool.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
from scipy import stats

from .closed_forms import hypergeometric_split
from .laws import Accumulator, Spec, State
from .outcome import PatternOutcome
from .plan import LayerPlan, ThreatClass
from .timing import allocate


def _tier_splits(have: tuple[int, ...], blocks: list[tuple[tuple, int]]):
    """Sequential multivariate hypergeometric split of one tier over its blocks.

    Returns a list of (outcomes, probability) where outcomes is a list of
    (survivor axes per class, engaged per class), one per block.
    """
    results = [([], 1.0, have)]
    for axes, size in blocks:
        nxt = []
        for outcomes, p, left in results:
            for x, q in hypergeometric_split(left, size):
                nxt.append((outcomes + [(axes, x)], p * q, tuple(a - b for a, b in zip(left, x))))
        results = nxt
    return [(outcomes, p) for outcomes, p, _ in results]


def outcome_given_pool(lp: LayerPlan, pool: list[ThreatClass], pooled: tuple[int, ...],
                       ax_out: dict) -> tuple[int, float, list]:
    """Engagements, mean kills and outcomes of a salvo layer given the pooled counts.

    Returns
    -------
    engaged : int
        Engagements completed (deterministic given the pool).
    kills_mean : float
    outcomes : list of (offset, specs, probability)
        Offset over the next classes (pooled threats left unengaged, which pass
        unchanged) and survivor components (binomial per class and round block).
    """
    got = dict(zip(pool, pooled))
    tier_counts = tuple(sum(got[c] for c in tier) for tier in lp.tiers)
    alloc = allocate(tier_counts, lp.tier_rounds, lp.round_caps)
    per_tier = []
    for ti, tier in enumerate(lp.tiers):
        # Rounds whose survivors land in the same classes form one block; the
        # engaged of a block are a uniformly random subset of what is left.
        blocks: dict[tuple, int] = defaultdict(int)
        for k, e in enumerate(alloc[ti]):
            if e:
                blocks[tuple(ax_out.get(lp.rules[c].survived[k], -1) for c in tier)] += e
        per_tier.append(_tier_splits(tuple(got[c] for c in tier), list(blocks.items())))
    kills, outcomes = 0.0, []
    for combo in itertools.product(*per_tier):
        prob = math.prod(p for _, p in combo)
        if prob == 0.0:
            continue
        delta = [0] * len(ax_out)
        specs: list[Spec] = []
        for tier, (split, _) in zip(lp.tiers, combo):
            for ci, c in enumerate(tier):
                rule = lp.rules[c]
                unengaged = got[c]
                for axes, x in split:
                    e = x[ci]
                    if e == 0:
                        continue
                    unengaged -= e
                    kills += prob * e * rule.pkill
                    if rule.pkill < 1.0:
                        specs.append(("binom", axes[ci], e, 1.0 - rule.pkill))
                if unengaged:
                    delta[ax_out[lp.passed[c]]] += unengaged
        outcomes.append((np.array(delta, np.int64), tuple(sorted(specs)), prob))
    return sum(map(sum, alloc)), kills, outcomes


def salvo_step(lp: LayerPlan, state: State, cin: list[ThreatClass], ax_out: dict,
               acc: Accumulator, out: PatternOutcome) -> None:
    """Apply a salvo layer to every state of ``state`` (vectorised over states).

    Loops over the pooled vectors (at most the product of the pool classes'
    largest counts + 1) and, for each, over the layer's outcomes; every state
    is handled at once with numpy.
    """
    li = lp.index
    n_out = len(ax_out)
    keys = np.array(list(state.keys()), np.int64).reshape(len(state), len(cin))
    w = np.fromiter(state.values(), float, len(state))
    # Every threat first "passes" (an extra last column collects classes with
    # no pass class: they are always pooled and engaged, so it must end at 0);
    # pooled threats are then taken back and replaced by the layer's outcome.
    to_pass = np.zeros((len(cin), n_out + 1), np.int64)
    for i, c in enumerate(cin):
        to_pass[i, ax_out.get(lp.passed[c], n_out)] = 1
    base = keys @ to_pass
    pool = [c for tier in lp.tiers for c in tier]
    cols = [cin.index(c) for c in pool]
    counts = keys[:, cols]
    tables, choices = [], []
    for j, c in enumerate(pool):
        top = int(counts[:, j].max())
        n = np.arange(top + 1)[:, None]
        p = np.arange(top + 1)[None, :]
        s = lp.rules[c].pooled
        tables.append((n == p).astype(float) if s >= 1.0 else stats.binom.pmf(p, n, s))
        # Fully pooled classes can only pool the counts some state holds.
        choices.append(np.unique(counts[:, j]).tolist() if s >= 1.0 else range(top + 1))
    take_back = to_pass[cols]   # (q, n_out + 1): pooled threats leave their pass column
    for pooled in itertools.product(*choices):
        weight = w.copy()
        for j, p in enumerate(pooled):
            weight *= tables[j][counts[:, j], p]
        rows = np.flatnonzero(weight > 0.0)
        if rows.size == 0:
            continue
        weight = weight[rows]
        engaged, kills, outcomes = outcome_given_pool(lp, pool, pooled, ax_out)
        total = float(weight.sum())
        out.engagements[li] += total * engaged
        out.kills[li] += total * kills
        if engaged == lp.full_engagements:
            out.p_empty[li] += total
        offsets = base[rows] - np.array(pooled, np.int64) @ take_back
        assert not offsets[:, n_out].any()
        offsets = offsets[:, :n_out]
        for delta, specs, q in outcomes:
            acc.add_many(weight * q, offsets + delta, specs)
