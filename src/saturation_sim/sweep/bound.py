"""A best-case bound on leakage: what no amount of capacity can improve.

If every layer that can reach a warhead engaged it as often as the model
allows (``max_engagements``, and no more than fit back to back in its window),
with unlimited fire units, channels and interceptors and every layer present,
each warhead would still survive with probability

    s_g = (1 - prelaunch_kill_g) * prod_l [1 - detection_l * (1 - (1 - k_lg)^m_lg)]

independently of the others, where ``k_lg`` is the per-engagement kill
probability and ``m_lg`` the engagements that fit. Coupling the engine's own
random draws shows that a real trial leaks at least the warheads that leak in
this best case, so ``sum_g N_g s_g`` bounds mean leakers and
``1 - prod_g (1 - s_g)^N_g`` bounds P(any leak) from below.
"""

from __future__ import annotations

from typing import Any

from ..scenario import Scenario, windows_fit

#: Slack added to a window before counting the engagements that fit, so the
#: bound stays below the engine's (which compares times with a small slack).
_FIT_SLACK_S = 1e-5


def best_case(scenario: Scenario) -> dict[str, Any]:
    """The best-case bound of the module docstring for ``scenario``.

    Returns
    -------
    dict
        ``survive`` (per warhead group, s_g), ``leakers_mean_min``,
        ``p_any_leak_min`` and ``formula`` (the P(any leak) bound as text,
        e.g. ``1 - 0.91^48``).
    """
    survive: dict[str, float] = {}
    p_none = 1.0
    mean = 0.0
    terms = []
    for g in scenario.threats:
        if not g.is_warhead or g.count == 0:
            continue
        s = 1.0 - scenario.group_prelaunch_kill(g)
        for lay in scenario.layers:
            if g.name not in lay.engage or not _can_fire(lay):
                continue
            width = lay.engage[g.name].width_s + _FIT_SLACK_S
            m = min(lay.max_engagements, max(1, windows_fit(width, lay.flyout_s)))
            k = lay.engagement_kill_probability(g.name)
            s *= 1.0 - lay.detection * (1.0 - (1.0 - k) ** m)
        survive[g.name] = s
        mean += g.count * s
        p_none *= (1.0 - s) ** g.count
        terms.append(f"{1.0 - s:.4g}^{g.count}")
    formula = "1 - " + " x ".join(terms) if terms else "0"
    return {"survive": survive, "leakers_mean_min": mean, "p_any_leak_min": 1.0 - p_none,
            "formula": formula}


def _can_fire(layer) -> bool:
    return (layer.fire_units > 0 and layer.channels_per_unit > 0
            and layer.interceptors_per_unit >= layer.shots_per_engagement
            and layer.availability > 0)


def explain(scenario: Scenario, metric: str) -> str:
    """One sentence stating the bound for ``metric`` (``p_any_leak`` or ``leakers_mean``)."""
    b = best_case(scenario)
    leaks = ", ".join(f"{name} {s:.3g}" for name, s in b["survive"].items())
    if metric == "p_any_leak":
        value = f"P(any leak) >= {b['formula']} = {b['p_any_leak_min']:.4g}"
    else:
        value = f"mean leakers >= {b['leakers_mean_min']:.4g}"
    return (f"even if every warhead were engaged as often as its windows allow by every layer "
            f"that can reach it (unlimited fire units, channels and interceptors), {value}: "
            f"each warhead still leaks with probability {leaks or 'zero'}")
