"""Engine room: compile a scenario to arrays, run the numba kernels, derive statistics."""

from .compile import CompiledScenario, compile_scenario
from .driver import DEFAULT_SEED, DEFAULT_TRIALS, max_threads, resolve_threads, simulate
from .result import SimulationResult, wilson_interval

__all__ = ["CompiledScenario", "DEFAULT_SEED", "DEFAULT_TRIALS", "SimulationResult",
           "compile_scenario", "max_threads", "resolve_threads", "simulate", "wilson_interval"]
