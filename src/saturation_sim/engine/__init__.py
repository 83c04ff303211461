"""Engine room: compile a scenario to arrays, run the numba kernels, derive statistics."""

from .compile import CompiledScenario, compile_scenario
from .driver import simulate
from .result import MergeError, SimulationResult, result_dict, wilson_interval
from .settings import (DEFAULT_SEED, DEFAULT_TRIALS, RunSettings, SettingsError, max_threads,
                       resolve_threads)

__all__ = ["CompiledScenario", "DEFAULT_SEED", "DEFAULT_TRIALS", "MergeError", "RunSettings",
           "SettingsError", "SimulationResult", "compile_scenario", "max_threads",
           "resolve_threads", "result_dict", "simulate", "wilson_interval"]
