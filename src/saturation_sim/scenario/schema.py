"""Frozen dataclasses that describe a scenario: threat groups, layers and the run.

Objects of these classes are built only by :mod:`saturation_sim.scenario.load`,
which validates every field; everything downstream (engine, analytic, sweep)
may therefore assume they are valid. Field names are the public TOML keys of
``docs/design/interface.md`` and must not be renamed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Pattern = Literal["simultaneous", "uniform", "waves"]
Kind = Literal["warhead", "decoy"]


@dataclass(frozen=True)
class Launch:
    """How the missiles of one threat group are launched.

    ``simultaneous``: all at ``at_s[0]``. ``uniform``: independently uniform on
    ``[start_s, start_s + span_s]``. ``waves``: ``count[j]`` missiles at
    ``at_s[j]``.
    """

    pattern: Pattern
    at_s: tuple[float, ...] = (0.0,)
    count: tuple[int, ...] = ()
    start_s: float = 0.0
    span_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        if self.pattern == "simultaneous":
            return {"pattern": "simultaneous", "at_s": self.at_s[0]}
        if self.pattern == "uniform":
            return {"pattern": "uniform", "start_s": self.start_s, "span_s": self.span_s}
        return {"pattern": "waves", "at_s": list(self.at_s), "count": list(self.count)}

    def wave_times_counts(self, total: int) -> tuple[tuple[float, ...], tuple[int, ...]]:
        """Launch instants and the missiles at each, for deterministic patterns."""
        if self.pattern == "waves":
            return self.at_s, self.count
        return (self.at_s[0],), (total,)


@dataclass(frozen=True)
class ThreatGroup:
    """``count`` missiles of one kind, launched by one pattern."""

    name: str
    count: int
    launch: Launch
    kind: Kind = "warhead"
    cost: float | None = None
    prelaunch_kill: float | None = None  # None: use the scenario's counterstrike value
    label: str | None = None
    label_ja: str | None = None

    @property
    def is_warhead(self) -> bool:
        return self.kind == "warhead"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "count": self.count, "kind": self.kind,
                             "launch": self.launch.to_dict()}
        if self.cost is not None:
            d["cost"] = self.cost
        if self.prelaunch_kill is not None:
            d["prelaunch_kill"] = self.prelaunch_kill
        d.update(_display(self, ("label", "label_ja")))
        return d


@dataclass(frozen=True)
class Engagement:
    """How one layer engages one threat group."""

    sspk: float
    window_s: tuple[float, float]

    @property
    def width_s(self) -> float:
        return self.window_s[1] - self.window_s[0]

    def to_dict(self) -> dict[str, Any]:
        return {"sspk": self.sspk, "window_s": list(self.window_s)}


@dataclass(frozen=True)
class Layer:
    """One tier of the defence; see model.md for the meaning of every field."""

    name: str
    fire_units: int
    channels_per_unit: int
    interceptors_per_unit: int
    shots_per_engagement: int
    flyout_s: float
    engage: Mapping[str, Engagement]
    max_engagements: int = 1
    reliability: float = 1.0
    detection: float = 1.0
    discrimination: float = 0.0
    availability: float = 1.0
    interceptor_cost: float | None = None
    label: str | None = None
    label_ja: str | None = None
    unit_noun: str | None = None
    unit_noun_ja: str | None = None

    def engagement_kill_probability(self, threat: str) -> float:
        """P(one engagement of ``threat`` kills it), given it is tracked and shot at.

        Each of the ``shots_per_engagement`` interceptors independently works
        with ``reliability`` and then kills with ``sspk``.
        """
        e = self.engage[threat]
        return 1.0 - (1.0 - self.reliability * e.sspk) ** self.shots_per_engagement

    def engagements_in_window(self, threat: str) -> int:
        """How many back-to-back engagements fit in the window (at least 0)."""
        return windows_fit(self.engage[threat].width_s, self.flyout_s)

    def unit_capacity(self) -> int:
        """Engagements one fire unit completes against a raid arriving at once (model.md)."""
        if not self.engage:
            return 0
        w = max(e.width_s for e in self.engage.values())
        per_channel = max(1, windows_fit(w, self.flyout_s))
        return min(self.interceptors_per_unit // self.shots_per_engagement,
                   self.channels_per_unit * per_channel)

    def capacity(self) -> int:
        return self.fire_units * self.unit_capacity()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name, "fire_units": self.fire_units,
            "channels_per_unit": self.channels_per_unit,
            "interceptors_per_unit": self.interceptors_per_unit,
            "shots_per_engagement": self.shots_per_engagement,
            "max_engagements": self.max_engagements, "flyout_s": self.flyout_s,
            "reliability": self.reliability, "detection": self.detection,
            "discrimination": self.discrimination, "availability": self.availability,
        }
        if self.interceptor_cost is not None:
            d["interceptor_cost"] = self.interceptor_cost
        d.update(_display(self, ("label", "label_ja", "unit_noun", "unit_noun_ja")))
        d["engage"] = {k: v.to_dict() for k, v in self.engage.items()}
        return d


def _display(obj: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The optional display-name fields of ``obj`` that are set."""
    return {n: getattr(obj, n) for n in names if getattr(obj, n) is not None}


#: Relative slack in "does a whole engagement fit" tests, so that a window of
#: exactly k flyouts holds k engagements despite rounding (e.g. 0.3 / 0.1).
FIT_RTOL = 1e-9


def windows_fit(width_s: float, flyout_s: float) -> int:
    """floor(width / flyout), robust to floating-point rounding."""
    return int(math.floor(width_s / flyout_s * (1.0 + FIT_RTOL)))


@dataclass(frozen=True)
class Scenario:
    """A complete, validated scenario. Build with :func:`load_scenario` or :meth:`from_dict`."""

    name: str
    threats: tuple[ThreatGroup, ...]
    layers: tuple[Layer, ...]
    description: str = ""
    prelaunch_kill: float = 0.0
    trials: int | None = None
    seed: int | None = None
    source: str = field(default="<dict>", compare=False)
    caveat: str | None = None
    caveat_ja: str | None = None
    name_ja: str | None = None
    description_ja: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> "Scenario":
        """Validate a mapping shaped like the TOML file and build a Scenario.

        Raises
        ------
        ScenarioError
            Naming ``source``, the key path, the value and what was expected.
        """
        from .load import scenario_from_dict

        return scenario_from_dict(data, source)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a TOML-shaped mapping; ``from_dict`` round-trips it."""
        d: dict[str, Any] = {"name": self.name, "description": self.description}
        d.update(_display(self, ("name_ja", "caveat", "caveat_ja", "description_ja")))
        sim = {k: v for k, v in (("trials", self.trials), ("seed", self.seed)) if v is not None}
        if sim:
            d["simulation"] = sim
        d["counterstrike"] = {"prelaunch_kill": self.prelaunch_kill}
        d["threats"] = [t.to_dict() for t in self.threats]
        d["layers"] = [lay.to_dict() for lay in self.layers]
        return d

    # Derived quantities used by every room downstream.
    def threat_index(self, name: str) -> int:
        return [t.name for t in self.threats].index(name)

    def layer_index(self, name: str) -> int:
        return [lay.name for lay in self.layers].index(name)

    def group_prelaunch_kill(self, group: ThreatGroup) -> float:
        return self.prelaunch_kill if group.prelaunch_kill is None else group.prelaunch_kill

    @property
    def raid_size(self) -> int:
        """Missiles in the raid as planned (decoys included, before counterstrike)."""
        return sum(t.count for t in self.threats)

    @property
    def warheads(self) -> int:
        return sum(t.count for t in self.threats if t.is_warhead)

    @property
    def capacity(self) -> int:
        """Nominal engagement capacity C of model.md, summed over layers."""
        return sum(lay.capacity() for lay in self.layers)

    @property
    def raid_ratio(self) -> float | None:
        """raid_size / capacity, or None when the capacity is zero."""
        c = self.capacity
        return self.raid_size / c if c > 0 else None
