"""Sweep room: grids of parameter values, common random numbers, resume, executors, solve,
attacker allocation.

Fourth room of the pipeline scenario -> engine -> analytic -> sweep -> report -> cli;
it imports only from the rooms to its left. Dask is imported only by
:mod:`.dask_exec`, and only when a sweep is given a Dask client.

``import saturation_sim.sweep`` gives this room. The room is also callable:
``saturation_sim.sweep(scenario, vary, ...)`` is :func:`run_sweep`, the name
that interface.md gives the function.
"""

import sys
import types

from ..scenario.apply import apportion, point_scenario, scale_raid
from .errors import SweepError
from .grid import Axis, Point, build_axes, build_points, split_vary
from ..scenario.keys import RAID_RATIO, Key, parse_key, parse_values, sweepable_numbers
from .point import PointOutcome, PointTask, compute_point
from .run import SweepResult, run_sweep
from .solve import SolveResult, Target, parse_target, solve
from .allocation import AllocationResult, allocate

#: The function under its interface.md name, for ``from saturation_sim.sweep import sweep``.
sweep = run_sweep

__all__ = ["AllocationResult", "Axis", "Key", "Point", "PointOutcome", "PointTask", "RAID_RATIO",
           "SolveResult", "SweepError", "SweepResult", "Target", "allocate", "apportion",
           "build_axes", "build_points", "compute_point", "parse_key", "parse_target",
           "parse_values", "point_scenario", "run_sweep", "scale_raid", "solve", "split_vary",
           "sweep", "sweepable_numbers"]


class _SweepRoom(types.ModuleType):
    """The sweep subpackage, callable as :func:`run_sweep`."""

    def __call__(self, *args, **kwargs) -> SweepResult:
        return run_sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _SweepRoom
