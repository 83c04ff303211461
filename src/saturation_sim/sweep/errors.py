"""The sweep room's own exception, for problems that are not a bad scenario."""

from __future__ import annotations


class SweepError(ValueError):
    """A sweep or solve cannot go ahead: an out directory holding another sweep,
    a scheduler that cannot be reached, contradictory settings.

    Problems with a key or a value are :class:`~saturation_sim.scenario.ScenarioError`
    instead, naming the key. ``str(err)`` is one line meant for the user.
    """
