"""``exact(scenario)``: the exact leaker law for the tractable cases of model.md.

The result is a mixture over which layers are present (availability,
common-mode failure). For each pattern, :func:`.plan.build_plan` decides how
every layer behaves; a pattern with no saturated layer is solved threat by
threat (:mod:`.independent`), otherwise through the joint class counts
(:mod:`.joint`).
"""

from __future__ import annotations

import time

import numpy as np

from ..scenario import Scenario
from .handled import check_handled
from .independent import run_independent
from .joint import check_size, run_joint
from .outcome import PatternOutcome
from .plan import IntractableError, Plan, availability_patterns, build_plan
from .result import ExactResult


def _plans(scenario: Scenario) -> list[Plan]:
    check_handled(scenario)
    plans = []
    for present, weight in availability_patterns(scenario):
        plan = build_plan(scenario, present, weight)
        if any(lp.mode == "salvo" for lp in plan.layers):
            check_size(plan)
        plans.append(plan)
    return plans


def intractable_reason(scenario: Scenario) -> str | None:
    """Why :func:`exact` would refuse ``scenario``, or None when it is tractable.

    Cheap: it plans the computation without computing any law.
    """
    try:
        _plans(scenario)
    except IntractableError as exc:
        return str(exc)
    return None


def exact(scenario: Scenario) -> ExactResult:
    """Exact leaker law, per-group and per-layer means of a tractable scenario.

    Parameters
    ----------
    scenario
        The same validated scenario the Monte Carlo engine takes.

    Returns
    -------
    ExactResult
        Its ``to_dict()`` has the keys of ``SimulationResult.to_dict()``.

    Raises
    ------
    IntractableError
        When some feature puts the scenario outside the exact cases; the
        message names it (e.g. ``layers[0].max_engagements > 1 in a saturated layer``).
    """
    start = time.perf_counter()
    plans = _plans(scenario)
    total = PatternOutcome.zeros(scenario.warheads, len(scenario.threats), len(scenario.layers))
    for plan in plans:
        salvo = any(lp.mode == "salvo" for lp in plan.layers)
        outcome = run_joint(scenario, plan) if salvo else run_independent(scenario, plan)
        total.add(outcome, plan.weight)
    launched = np.array([t.count * (1.0 - scenario.group_prelaunch_kill(t))
                         for t in scenario.threats])
    return ExactResult(scenario=scenario, pmf=total.pmf, group_leakers=total.group_leakers,
                       group_launched=launched, engagements=total.engagements,
                       kills=total.kills,
                       p_magazine_empty=np.clip(total.p_empty, 0.0, 1.0),  # sums may round past 1
                       elapsed_s=time.perf_counter() - start)
