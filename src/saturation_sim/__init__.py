"""saturation-sim: Monte Carlo simulation of saturation missile raids against layered defence.

The package is laid out as a pipeline, each room importing only from those
to its left: scenario -> engine -> analytic -> sweep -> report -> cli.
Importing the package does not import matplotlib.
"""

from ._version import __version__

from .engine import SimulationResult, simulate
from .scenario import Scenario, ScenarioError, load_scenario
from . import sweep  # the sweep room, callable as sweep(scenario, vary, ...)
from .sweep import run_sweep

__all__ = ["Scenario", "ScenarioError", "SimulationResult", "__version__", "load_scenario",
           "run_sweep", "simulate", "sweep"]
