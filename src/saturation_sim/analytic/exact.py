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
from .assets import asset_parts
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


def _launched(scenario: Scenario) -> np.ndarray:
    """(G,) float64: mean missiles of each group that survive to launch."""
    return np.array([t.count * (1.0 - scenario.group_prelaunch_kill(t))
                     for t in scenario.threats])


def intractable_reason(scenario: Scenario) -> str | None:
    """Why :func:`exact` would refuse ``scenario``, or None when it is tractable.

    Cheap: it plans the computation without computing any law.
    """
    try:
        if scenario.has_assets:
            check_handled(scenario)
            for part in asset_parts(scenario)[0]:
                _plans(part)
            return None
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
    if scenario.has_assets:
        return _exact_by_asset(scenario, start)
    plans = _plans(scenario)
    total = PatternOutcome.zeros(scenario.warheads, len(scenario.threats), len(scenario.layers))
    for plan in plans:
        salvo = any(lp.mode == "salvo" for lp in plan.layers)
        outcome = run_joint(scenario, plan) if salvo else run_independent(scenario, plan)
        total.add(outcome, plan.weight)
    return ExactResult(scenario=scenario, pmf=total.pmf, group_leakers=total.group_leakers,
                       group_launched=_launched(scenario), engagements=total.engagements,
                       kills=total.kills,
                       p_magazine_empty=np.clip(total.p_empty, 0.0, 1.0),  # sums may round past 1
                       elapsed_s=time.perf_counter() - start)


def _exact_by_asset(scenario: Scenario, start: float) -> ExactResult:
    """Point-defended assets: one exact problem per asset (see :mod:`.assets`), combined.

    The leaker law is the convolution of the assets' laws; means add up; a
    layer's P(magazine empty) is P(some site runs dry) = 1 - prod(1 - p_site).
    """
    check_handled(scenario)
    scenarios, aimed = asset_parts(scenario)
    parts = [exact(part) for part in scenarios]
    pmf = np.zeros(scenario.warheads + 1)
    law = np.ones(1)
    for part in parts:
        law = np.convolve(law, part.pmf)
    pmf[:law.size] = law[:pmf.size]
    not_empty = np.prod([1.0 - part.p_magazine_empty for part in parts], axis=0)
    by_asset = {}
    damage = 0.0
    for a, (asset, part) in enumerate(zip(scenario.assets, parts)):
        mean, p_any = part.leakers_mean, part.p_any_leak
        by_asset[asset.name] = {"value": asset.value, "targeted_mean": float(aimed[a]),
                                "leakers_mean": mean, "leakers_ci95": [mean, mean],
                                "p_any_leak": p_any, "p_any_leak_ci95": [p_any, p_any]}
        damage += asset.value * mean
    assets = {"by_asset": by_asset, "open_ground": {"targeted_mean": float(aimed[-1])},
              "damage": {"value_weighted_mean": damage, "value_weighted_ci95": [damage, damage]}}
    return ExactResult(scenario=scenario, pmf=pmf,
                       group_leakers=np.sum([p.group_leakers for p in parts], axis=0),
                       group_launched=_launched(scenario),
                       engagements=np.sum([p.engagements for p in parts], axis=0),
                       kills=np.sum([p.kills for p in parts], axis=0),
                       p_magazine_empty=np.clip(1.0 - not_empty, 0.0, 1.0), assets=assets,
                       elapsed_s=time.perf_counter() - start)
