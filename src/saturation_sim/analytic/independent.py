"""Exact solution when no layer is saturated: threats are independent.

With every present layer idle or ample (see :mod:`.plan`), each threat's fate
depends only on its own draws: counterstrike, detection, discrimination and
kills. A threat launched in timing class c therefore leaks with a probability
pi_c computed by following it through the layers, and the leakers are a sum of
independent binomials ``Binomial(n_c, pi_c)`` (binomial thinning across layers).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..scenario import Scenario
from .closed_forms import binomial_sum_pmf, engagements_pmf, expected_engagements
from .outcome import PatternOutcome
from .plan import Plan


def run_independent(scenario: Scenario, plan: Plan) -> PatternOutcome:
    """Exact outcome of one availability pattern whose layers are all idle or ample.

    Parameters
    ----------
    scenario
        The scenario the plan was built for.
    plan
        A plan with no ``salvo`` layer.

    Returns
    -------
    PatternOutcome
    """
    n_layers = len(scenario.layers)
    out = PatternOutcome.zeros(scenario.warheads, len(scenario.threats), n_layers)
    parts: list[tuple[int, float]] = []
    # For P(magazines empty): the most engagements each threat can get in a
    # layer, summed, and the probability that every threat gets its most.
    top_total = np.zeros(n_layers, np.int64)
    log_p_top = np.zeros(n_layers)
    for cls0, n, survive in plan.initial:
        dist: dict = {cls0: survive} if survive > 0.0 else {}
        for lp in plan.layers:
            li = lp.index
            new: dict = defaultdict(float)
            j_law = np.zeros(1 + max((r.attempts for r in lp.rules.values()), default=0))
            j_law[0] = 1.0 - sum(dist.values())
            for cls, w in dist.items():
                rule = lp.rules.get(cls)
                if rule is None:
                    new[lp.passed[cls]] += w
                    j_law[0] += w
                    continue
                s, pk, m = rule.pooled, rule.pkill, rule.attempts
                q_all = (1.0 - pk) ** m
                if s < 1.0:
                    new[lp.passed[cls]] += w * (1.0 - s)
                if q_all > 0.0:
                    new[rule.survived[0]] += w * s * q_all
                out.engagements[li] += n * w * s * expected_engagements(pk, m)
                out.kills[li] += n * w * s * (1.0 - q_all)
                j_law[0] += w * (1.0 - s)
                j_law[1:m + 1] += w * s * engagements_pmf(pk, m)[1:]
            dist = new
            top = int(np.flatnonzero(j_law > 0.0)[-1]) if np.any(j_law > 0.0) else 0
            top_total[li] += n * top
            log_p_top[li] += n * np.log(j_law[top]) if top > 0 else 0.0
        alive = sum(dist.values())
        if scenario.threats[cls0.group].is_warhead:  # decoys never leak
            parts.append((n, alive))
            out.group_leakers[cls0.group] += n * alive
    for lp in plan.layers:
        li = lp.index
        if lp.empty_when_present:
            out.p_empty[li] = 1.0
        elif lp.mode == "ample" and lp.full_engagements == top_total[li]:
            # E <= worst-case demand <= U * K (ample), so all magazines are
            # empty only when every threat receives its largest possible number.
            out.p_empty[li] = float(np.exp(log_p_top[li]))
        else:
            assert lp.mode != "ample" or lp.full_engagements > top_total[li]
    pmf = binomial_sum_pmf(parts)
    out.pmf[: pmf.size] = pmf
    return out
