"""Exact solution when a saturated layer couples the threats.

The state between layers is the joint law of how many threats sit in each
timing class: a sparse mapping ``{(n_0, n_1, ...): probability}`` over the
classes of :mod:`.plan` (or a vector when there is one class, see
:mod:`.kernel1d`). Each layer maps every state to a law over the next classes:

* ample layer: each class splits multinomially into not pooled (passes
  unchanged), survived all attempts, and killed;
* salvo layer: the pool is thinned binomially (detection, discrimination);
  round by round the layer engages ``min(pool, capacity)`` threats, earliest
  deadline first, the split between classes of one deadline being
  multivariate hypergeometric; each engaged threat dies with its kill
  probability.

At the end the leakers are the warhead counts of the final state.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from ..scenario import Scenario
from . import kernel1d
from .ample import ample_step
from .closed_forms import binomial_pmf
from .laws import Accumulator, State
from .outcome import PatternOutcome
from .plan import Plan, ThreatClass
from .salvo import salvo_step
from .timing import IntractableError

#: Largest joint law (number of class-count vectors, upper bound) the exact method builds.
MAX_STATES = 500_000
#: Largest work of a saturated layer in the general path: pooled vectors x states,
#: about 1 s per 1.5e6 on one core.
MAX_SALVO_WORK = 1e7
#: Largest matrix (entries) of the one-class path of :mod:`.kernel1d`.
MAX_KERNEL_ENTRIES = 2.5e7


def _state_estimate(plan: Plan, pos: int) -> float:
    """Upper bound on the class-count vectors before planned layer ``pos`` (or at the end).

    Classes born of one (group, launch) share its missiles: with n missiles and
    k classes there are at most C(n + k, k) vectors.
    """
    totals = {(c.group, c.launch_s, c.random_launch): n for c, n, _ in plan.initial}
    by_origin: dict[tuple, list[int]] = defaultdict(list)
    for c, bound in plan.max_counts[pos].items():
        by_origin[(c.group, c.launch_s, c.random_launch)].append(bound)
    est = 1.0
    for origin, bounds in by_origin.items():
        k = len(bounds)
        est *= min(math.comb(totals[origin] + k, k), math.prod(b + 1 for b in bounds))
    return est


def check_size(plan: Plan) -> None:
    """Raise IntractableError when the joint law would be too large to compute."""
    sizes = [_state_estimate(plan, pos) for pos in range(len(plan.max_counts))]
    if max(sizes) > MAX_STATES:
        raise IntractableError(
            f"the exact joint law of a saturated raid could have {max(sizes):,.0f} states "
            f"(limit {MAX_STATES:,}): too many threats in too many groups, launch times "
            "or handoff classes")
    for pos, lp in enumerate(plan.layers):
        classes, nxt = sorted(plan.max_counts[pos]), sorted(plan.max_counts[pos + 1])
        if kernel1d.applies(lp, classes, nxt):
            work = kernel1d.entries(lp, plan.max_counts[pos][classes[0]])
            limit = MAX_KERNEL_ENTRIES
        elif lp.mode == "salvo":
            # The step loops over every pooled vector and handles all states at once.
            pooled = math.prod(plan.max_counts[pos][c] + 1 for c in lp.rules)
            work, limit = pooled * max(sizes[pos], 1000.0), MAX_SALVO_WORK
        else:
            continue
        if work > limit:
            raise IntractableError(
                f"layers[{lp.index}]: the exact joint law needs about {work:.2g} operations "
                f"(limit {limit:.2g}); raid too large for the exact method")


def run_joint(scenario: Scenario, plan: Plan) -> PatternOutcome:
    """Exact outcome of one availability pattern by propagating the joint class counts.

    Parameters
    ----------
    scenario
        The scenario the plan was built for.
    plan
        Any plan (idle, ample and salvo layers).

    Returns
    -------
    PatternOutcome
    """
    check_size(plan)
    out = PatternOutcome.zeros(scenario.warheads, len(scenario.threats), len(scenario.layers))
    classes = sorted(plan.max_counts[0])
    survive = {cls: s for cls, _, s in plan.initial}
    state: State = {(): 1.0}
    for cls in classes:
        law = binomial_pmf(plan.max_counts[0][cls], survive[cls])
        state = {key + (int(j),): p * float(law[j])
                 for key, p in state.items() for j in np.flatnonzero(law)}
    for pos, lp in enumerate(plan.layers):
        nxt = sorted(plan.max_counts[pos + 1])
        bounds = tuple(plan.max_counts[pos + 1][c] for c in nxt)
        if lp.empty_when_present:
            out.p_empty[lp.index] = 1.0
        if kernel1d.applies(lp, classes, nxt):
            rule = kernel1d.single_class_rule(lp, classes[0], nxt[0])
            vec = np.zeros(plan.max_counts[pos][classes[0]] + 1)
            for (n,), p in state.items():
                vec[n] = p
            vec = kernel1d.kernel_step(lp, rule, vec, bounds[0] + 1, out)
            state = {(int(n),): float(vec[n]) for n in np.flatnonzero(vec)}
            classes = nxt
            continue
        ax_out = {c: i for i, c in enumerate(nxt)}
        if lp.mode == "salvo":
            acc = Accumulator(bounds)
            salvo_step(lp, state, classes, ax_out, acc, out)
            state = acc.flush()
        else:
            state = ample_step(lp, state, classes, ax_out, bounds, out)
        classes = nxt
    _finish(scenario, state, classes, out)
    return out


def _finish(scenario: Scenario, state: State, classes: list[ThreatClass],
            out: PatternOutcome) -> None:
    warhead = [scenario.threats[c.group].is_warhead for c in classes]
    for counts, p in state.items():
        leakers = 0
        for cls, n, is_warhead in zip(classes, counts, warhead):
            if is_warhead and n:  # decoys never leak
                leakers += n
                out.group_leakers[cls.group] += p * n
        out.pmf[leakers] += p
