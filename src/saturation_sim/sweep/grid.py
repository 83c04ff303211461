"""The grid of a sweep: the Cartesian product of each key's values.

Every point's scenario is built and validated before any trial is run, so a
bad key or a value that makes an invalid scenario stops the sweep at once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..scenario import Scenario, ScenarioError
from .errors import SweepError
from ..scenario.apply import point_scenario
from ..scenario.keys import Key, Number, coerce_values, key_error, parse_key, parse_values

#: Most points in one sweep.
MAX_POINTS = 100_000

VarySpec = Mapping[str, Any] | Iterable[str | tuple[str, Any]]


@dataclass(frozen=True)
class Axis:
    """One swept key and the values it takes, in order."""

    key: Key
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Point:
    """One point of the grid: its index (row-major, first key outermost), values and scenario."""

    index: int
    values: dict[str, Number]
    scenario: Scenario


def split_vary(text: str) -> tuple[str, str]:
    """``"KEY=VALUES"`` -> ``("KEY", "VALUES")``.

    Raises
    ------
    SweepError
        If there is no ``=``.
    """
    key, sep, values = text.partition("=")
    if not sep or not key.strip():
        raise SweepError(f"--vary {text!r}: expected KEY=VALUES, e.g. "
                         "layers.upper.fire_units=1:8:1 or raid_ratio=1,2,3")
    return key.strip(), values.strip()


def _pairs(vary: VarySpec) -> list[tuple[str, Any]]:
    if isinstance(vary, Mapping):
        return list(vary.items())
    if isinstance(vary, str):
        vary = [vary]
    return [split_vary(v) if isinstance(v, str) else tuple(v) for v in vary]  # type: ignore[misc]


def build_axes(scenario: Scenario, vary: VarySpec, points: int | None = None) -> list[Axis]:
    """Resolve and check the swept keys and their values.

    Parameters
    ----------
    scenario
        The base scenario.
    vary
        ``{key: values}``, or a sequence of ``"KEY=VALUES"`` strings or
        ``(key, values)`` pairs; values are a string (``start:stop:step`` or a
        comma list) or a sequence of numbers.
    points
        For values written ``lo:hi``: how many evenly spaced values, ends included.
    """
    axes: list[Axis] = []
    for text, values in _pairs(vary):
        key = parse_key(text, scenario)
        if any(a.key.text == key.text or (a.key.path and a.key.path == key.path) for a in axes):
            raise key_error(scenario.source, text, None, "each key swept once")
        vals = (parse_values(values, key, scenario.source, points) if isinstance(values, str)
                else coerce_values(list(values), key, scenario.source))
        axes.append(Axis(key, vals))
    if not axes:
        raise SweepError("a sweep needs at least one --vary KEY=VALUES")
    size = 1
    for a in axes:
        size *= len(a.values)
    if size > MAX_POINTS:
        raise ScenarioError(scenario.source, " x ".join(a.key.text for a in axes), size,
                            f"a grid of at most {MAX_POINTS:,} points")
    return axes


def build_points(scenario: Scenario, axes: Sequence[Axis]) -> list[Point]:
    """Every point of the grid, each with its validated scenario.

    Raises
    ------
    ScenarioError
        Naming the key, if any point's scenario is invalid.
    """
    points = []
    for index, combo in enumerate(itertools.product(*(a.values for a in axes))):
        assignments = [(a.key, v) for a, v in zip(axes, combo)]
        points.append(Point(index, {a.key.text: v for a, v in zip(axes, combo)},
                            point_scenario(scenario, assignments)))
    return points
