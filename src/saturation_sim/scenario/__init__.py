"""Scenario room: the schema, loading and validation of scenario files.

First room of the pipeline scenario -> engine -> analytic -> sweep -> report -> cli.
"""

from .errors import ScenarioError
from .load import MAX_MISSILES, as_scenario, load_scenario, scenario_from_dict
from .schema import Engagement, Launch, Layer, Scenario, ThreatGroup, windows_fit

__all__ = ["Engagement", "Launch", "Layer", "MAX_MISSILES", "Scenario", "ScenarioError",
           "ThreatGroup", "as_scenario", "load_scenario", "scenario_from_dict", "windows_fit"]
