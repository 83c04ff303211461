"""saturation-sim: Monte Carlo simulation of saturation missile raids against layered defence.

The package is laid out as a pipeline, each room importing only from those
to its left: scenario -> engine -> analytic -> sweep -> report -> cli.
Importing the package does not import matplotlib.
"""

from ._version import __version__

from .engine import SimulationResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario
from .sweep import sweep  # noqa: E402 - the function; the room stays importable as saturation_sim.sweep.*

__all__ = ["Scenario", "ScenarioError", "SimulationResult", "__version__", "load_scenario",
           "simulate", "sweep"]
