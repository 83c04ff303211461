"""Sweep room: grids of parameter values, common random numbers, resume, executors, solve.

Fourth room of the pipeline scenario -> engine -> analytic -> sweep -> report -> cli;
it imports only from the rooms to its left. Dask is imported only by
:mod:`.dask_exec`, and only when a sweep is given a scheduler.
"""

from .apply import apportion, point_scenario, scale_raid
from .errors import SweepError
from .grid import Axis, Point, build_axes, build_points, split_vary
from .keys import RAID_RATIO, Key, parse_key, parse_values
from .run import SweepResult, sweep
from .solve import SolveResult, Target, parse_target, solve

__all__ = ["Axis", "Key", "Point", "RAID_RATIO", "SolveResult", "SweepError", "SweepResult",
           "Target", "apportion", "build_axes", "build_points", "parse_key", "parse_target",
           "parse_values", "point_scenario", "scale_raid", "solve", "split_vary", "sweep"]
