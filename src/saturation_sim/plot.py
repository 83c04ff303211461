"""Plotting for notebooks and scripts: ``leakage``, ``probability``, ``fan``, ``tornado``
and ``campaign``.

Each draws on a given matplotlib Axes or a new Figure and returns the Figure;
the report room's own figures are drawn by the same functions. matplotlib is
imported when a function draws, not when this module is imported. The code
lives in :mod:`saturation_sim.report.plot`.
"""

from .report.plot import campaign, fan, leakage, probability, tornado

__all__ = ["campaign", "fan", "leakage", "probability", "tornado"]
