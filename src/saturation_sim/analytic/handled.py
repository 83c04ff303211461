"""The scenario fields that the exact method takes into account: refuse by default.

Every field of the field table (:mod:`saturation_sim.scenario.schema`) that is
off its default and not listed here makes :func:`~.exact.exact` refuse the
scenario, naming the field. A new field is therefore never silently ignored
by ``--method exact``: it is refused until someone teaches the exact method
about it and adds it here (tests/test_field_table.py checks both ways).
"""

from __future__ import annotations

from ..scenario import Scenario
from ..scenario.fields import fields_off_default
from .timing import IntractableError

#: Leaf fields (containers such as ``layers`` are followed, not listed) whose values the exact method uses, or that cannot change any number
#: (names, labels, text, the run's trials and seed, costs, which are applied to
#: the exact means afterwards).
HANDLED = frozenset({
    # display and run settings: they change no number
    "Scenario.name", "Scenario.name_ja", "Scenario.description", "Scenario.description_ja",
    "Scenario.caveat", "Scenario.caveat_ja",
    "Scenario.trials", "Scenario.seed", "Scenario.uncertainty",
    "ThreatGroup.name", "ThreatGroup.label", "ThreatGroup.label_ja",
    "Layer.name", "Layer.label", "Layer.label_ja", "Layer.unit_noun", "Layer.unit_noun_ja",
    # the model of model.md, every rule of which the planner follows
    "Scenario.prelaunch_kill",
    "ThreatGroup.count", "ThreatGroup.kind", "ThreatGroup.cost",
    "ThreatGroup.prelaunch_kill",
    "Launch.pattern", "Launch.at_s", "Launch.count", "Launch.start_s", "Launch.span_s",
    "Layer.fire_units", "Layer.channels_per_unit", "Layer.interceptors_per_unit",
    "Layer.shots_per_engagement", "Layer.max_engagements", "Layer.flyout_s",
    "Layer.reliability", "Layer.detection", "Layer.discrimination", "Layer.availability",
    "Layer.interceptor_cost",
    "Engagement.sspk", "Engagement.window_s",
    # defended assets: point defences of single assets, one problem per asset
    # (analytic/assets.py refuses the other cases by name); not track_capacity
    "Asset.name", "Asset.label", "Asset.label_ja", "Asset.value",
    "ThreatGroup.targets", "ThreatGroup.allocation",
    "Layer.defends", "Layer.fire_units_at", "Layer.engage_open",
})


def check_handled(scenario: Scenario) -> None:
    """Raise :class:`IntractableError` naming the first field the exact method ignores.

    Raises
    ------
    IntractableError
        ``"layers[0].reload_per_day = 16: the exact method does not model
        Layer.reload_per_day"`` and the like.
    """
    for qualified, where, value in fields_off_default(scenario):
        if qualified not in HANDLED:
            raise IntractableError(f"{where} = {value!r}: the exact method does not model "
                                   f"{qualified}")
