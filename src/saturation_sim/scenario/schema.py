"""Frozen dataclasses that describe a scenario: threat groups, layers and the run.

This is the field table of the project: every scenario field is declared
once, here, with :func:`~.fields.spec_field` (kind, default, unit, bounds,
one-line doc, sweepable or not). The loader, ``to_dict``, the sweepable keys,
the analytic layer's check and ``docs/scenario-format.md`` are all derived
from these declarations (see :mod:`.fields`). Objects are built only through
:meth:`Scenario.from_dict` (or :func:`~.load.load_scenario`), which validates
every field, so everything downstream may assume they are valid. Field names
are the public TOML keys of ``interface.md`` and must not be renamed.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

from . import apply, describe
from .errors import ScenarioError
from .fields import OPEN, Context, read_dataclass, spec_field, to_toml
from .uncertainty import UncertainInput, parse_uncertainty, uncertainty_to_dict

Pattern = Literal["simultaneous", "uniform", "waves"]
Kind = Literal["warhead", "decoy"]
PATTERNS = ("simultaneous", "uniform", "waves")

#: Largest raid the engine accepts. Per-trial work and memory grow with the
#: raid; beyond this a run would take hours per thousand trials.
MAX_MISSILES = 100_000
#: Largest number of engagement channels in one layer (fire_units x channels).
MAX_CHANNELS = 1_000_000
#: Largest magazine, shots and engagement counts; keeps int64 sums exact.
MAX_INTERCEPTORS = 10**9
MAX_ENGAGEMENTS = 1000
MAX_TRIALS = 10**12
MAX_SEED = 2**63 - 1
#: Largest time, in seconds from the scenario's zero (about 31 years). Time
#: comparisons carry an absolute slack of 1 microsecond; doubles resolve
#: 1e9 s to about 1e-7 s, so every time the loader accepts keeps that slack exact.
MAX_TIME_S = 1e9
#: Shortest flyout: a millisecond, far below any interceptor's, and far above
#: the 1 microsecond slack of time comparisons.
MIN_FLYOUT_S = 1e-3
#: Largest cost of one missile or interceptor, in the scenario's unit.
MAX_COST = 1e15
#: Longest name or label, characters.
MAX_NAME = 200
#: Longest campaign, days (ten years); the per-day accumulators grow with it.
MAX_DAYS = 3650
AVAILABILITY_PER = ("campaign", "day")
ALLOCATIONS = ("split", "random")
#: Largest weight of one asset (value-weighted damage sums value x leakers).
MAX_VALUE = 1e12
#: How far a group's target shares may sum from 1 (rounding of decimal shares).
SHARES_TOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class Asset:
    """A defended asset: a site that missiles are aimed at and point defences protect."""

    name: str = spec_field("name", "unique name of the asset; threats' targets and layers' "
                           "defends refer to it ('open' is reserved for open ground)",
                           hi=MAX_NAME)
    label: str | None = spec_field("text", "display name in figures and the brief "
                                   "(default: name)", default=None, hi=MAX_NAME)
    label_ja: str | None = spec_field("text", "display name in Japanese (default: label)",
                                      default=None, hi=MAX_NAME)
    value: float = spec_field("float", "weight of one leaker here in value-weighted damage",
                              unit="value", default=1.0, lo=0.0, hi=MAX_VALUE)

    @staticmethod
    def _check(values: dict[str, Any], path: str, ctx: Context) -> None:
        if values["name"] == OPEN:
            raise ScenarioError(ctx.source, path + ".name", values["name"],
                                f"a name other than '{OPEN}' (reserved for open ground)")

    def to_dict(self) -> dict[str, Any]:
        return to_toml(self)


@dataclass(frozen=True, kw_only=True)
class Launch:
    """How the missiles of one threat group are launched.

    ``simultaneous``: all at ``at_s[0]``. ``uniform``: independently uniform on
    ``[start_s, start_s + span_s]``. ``waves``: ``count[j]`` missiles at
    ``at_s[j]``.
    """

    pattern: Pattern = spec_field(
        "enum", "how the group is launched: 'simultaneous', 'uniform' or 'waves'",
        choices=PATTERNS)
    at_s: tuple[float, ...] = spec_field(
        "times", "launch time (simultaneous), or the time of each wave (waves)", unit="s",
        hi=MAX_TIME_S,
        default=(0.0,), when=("simultaneous", "waves"))
    count: tuple[int, ...] = spec_field(
        "ints", "missiles in each wave; they sum to the group's count", unit="missiles",
        default=(), when=("waves",), hi=MAX_MISSILES)
    start_s: float = spec_field("float", "start of the launch span", unit="s", default=0.0,
                                hi=MAX_TIME_S,
                                when=("uniform",))
    span_s: float = spec_field("float", "length of the launch span; each missile is launched "
                               "independently and uniformly inside it", unit="s", default=0.0,
                               lo=0.0, hi=MAX_TIME_S, when=("uniform",))

    @staticmethod
    def _pattern(table: Mapping[str, Any], path: str, ctx: Context) -> str:
        if "pattern" not in table:
            raise ScenarioError(ctx.source, path + ".pattern", None,
                                "one of 'simultaneous', 'uniform', 'waves'", missing=True)
        pattern = table["pattern"]
        if not isinstance(pattern, str) or pattern not in PATTERNS:
            near = difflib.get_close_matches(str(pattern), list(PATTERNS), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise ScenarioError(ctx.source, path + ".pattern", pattern,
                                "one of 'simultaneous', 'uniform', 'waves'" + hint)
        if pattern == "simultaneous" and isinstance(table.get("at_s"), list):
            raise ScenarioError(ctx.source, path + ".at_s", table["at_s"],
                                "a number (the one launch time; use pattern = \"waves\" "
                                "for several)")
        if pattern == "waves" and "at_s" in table and not isinstance(table["at_s"], list):
            raise ScenarioError(ctx.source, path + ".at_s", table["at_s"],
                                "a non-empty array of launch times")
        return pattern

    @staticmethod
    def _check(values: dict[str, Any], path: str, ctx: Context) -> None:
        if values["pattern"] == "waves" and len(values["count"]) != len(values["at_s"]):
            raise ScenarioError(ctx.source, path + ".count", list(values["count"]),
                                f"an array of {len(values['at_s'])} whole numbers, one per wave")

    def _scalar_times(self) -> bool:
        return self.pattern == "simultaneous"

    def to_dict(self) -> dict[str, Any]:
        return to_toml(self)

    def wave_times_counts(self, total: int) -> tuple[tuple[float, ...], tuple[int, ...]]:
        """Launch instants and the missiles at each, for deterministic patterns."""
        if self.pattern == "waves":
            return self.at_s, self.count
        return (self.at_s[0],), (total,)


@dataclass(frozen=True, kw_only=True)
class ThreatGroup:
    """``count`` missiles of one kind, launched by one pattern."""

    name: str = spec_field("name", "unique name of the group; layers refer to it", hi=MAX_NAME)
    label: str | None = spec_field("text", "display name in figures and the brief "
                                   "(default: name)", default=None, hi=MAX_NAME)
    label_ja: str | None = spec_field("text", "display name in Japanese (default: label)",
                                      default=None, hi=MAX_NAME)
    count: int = spec_field("int", "missiles in the group (before counterstrike)",
                            unit="missiles", hi=MAX_MISSILES)
    kind: Kind = spec_field("enum", "'warhead' counts as a leaker if it survives; 'decoy' "
                            "absorbs interceptors and never counts", default="warhead",
                            choices=("warhead", "decoy"))
    launch: Launch = spec_field("table", "launch pattern, e.g. { pattern = \"uniform\", "
                                "start_s = 0.0, span_s = 60.0 }", item=Launch)
    cost: float | None = spec_field("float", "cost of one missile (for the exchange ratio)",
                                    unit="cost unit", default=None, lo=0.0, hi=MAX_COST)
    prelaunch_kill: float | None = spec_field(
        "prob", "P(a missile is destroyed before launch); overrides [counterstrike]",
        unit="probability", default=None, toml_default="[counterstrike] value")
    launchers: int | None = spec_field(
        "int", "launchers of the group (campaigns: launcher attrition thins them day by day); "
        "with missiles_per_launcher, count = launchers x missiles_per_launcher",
        unit="launchers", default=None, hi=MAX_MISSILES)
    missiles_per_launcher: int | None = spec_field(
        "int", "missiles one launcher fires a day; day d's raid is the surviving launchers "
        "times this", unit="missiles", default=None, lo=1, hi=MAX_MISSILES)
    inventory: int | None = spec_field(
        "int", "missiles of the group over the whole campaign; a day's raid never exceeds "
        "what is left (default: unlimited)", unit="missiles", default=None,
        hi=MAX_MISSILES * MAX_DAYS)
    targets: Mapping[str, float] | None = spec_field(
        "shares", "shares of the group aimed at each asset or 'open' (open ground), summing "
        "to 1, e.g. { naha = 0.5, open = 0.5 }; sweeping one rescales the others", unit="share", default=None,
        toml_default="equal shares of every asset", keys_of="target_names")
    allocation: str = spec_field(
        "enum", "how missiles are shared out among targets: 'split' (whole missiles by "
        "largest remainder, the same every trial) or 'random' (each missile drawn by the "
        "shares)", default="split", choices=ALLOCATIONS, omit_default=True)

    @staticmethod
    def _check(values: dict[str, Any], path: str, ctx: Context) -> None:
        targets = values.get("targets")
        if targets is not None and abs(sum(targets.values()) - 1.0) > SHARES_TOL:
            raise ScenarioError(ctx.source, path + ".targets", targets,
                                f"shares summing to 1 (they sum to {sum(targets.values()):g})")
        launchers, per = values.get("launchers"), values.get("missiles_per_launcher")
        if (launchers is None) != (per is None):
            given, missing = (("launchers", "missiles_per_launcher") if per is None
                              else ("missiles_per_launcher", "launchers"))
            raise ScenarioError(ctx.source, f"{path}.{missing}", None,
                                f"a whole number with {given} (give both or neither)",
                                missing=True)
        if launchers is not None and launchers * per != values["count"]:
            raise ScenarioError(ctx.source, path + ".count", values["count"],
                                f"launchers x missiles_per_launcher = {launchers} x {per} "
                                f"= {launchers * per}")
        launch = values["launch"]
        if launch.pattern == "waves" and sum(launch.count) != values["count"]:
            raise ScenarioError(ctx.source, path + ".launch.count", list(launch.count),
                                f"wave counts summing to the group's count {values['count']} "
                                f"(they sum to {sum(launch.count)})")

    @property
    def is_warhead(self) -> bool:
        return self.kind == "warhead"

    def to_dict(self) -> dict[str, Any]:
        return to_toml(self)


@dataclass(frozen=True, kw_only=True)
class Engagement:
    """How one layer engages one threat group."""

    sspk: float = spec_field("prob", "single-shot kill probability of one working interceptor",
                             unit="probability")
    window_s: tuple[float, float] = spec_field(
        "window", "[a, b]: an intercept must happen between a and b seconds after launch",
        unit="s", hi=MAX_TIME_S)

    @property
    def width_s(self) -> float:
        return self.window_s[1] - self.window_s[0]

    def to_dict(self) -> dict[str, Any]:
        return to_toml(self)


@dataclass(frozen=True, kw_only=True)
class Layer:
    """One tier of the defence; see docs/model.md for the meaning of every field."""

    name: str = spec_field("name", "unique name of the layer", hi=MAX_NAME)
    label: str | None = spec_field("text", "display name in figures and the brief "
                                   "(default: name)", default=None, hi=MAX_NAME)
    label_ja: str | None = spec_field("text", "display name in Japanese (default: label)",
                                      default=None, hi=MAX_NAME)
    unit_noun: str | None = spec_field("text", "what a fire unit of this layer is, plural "
                                       "(\"ships\", \"batteries\"; default \"fire units\")",
                                       default=None, hi=MAX_NAME)
    unit_noun_ja: str | None = spec_field("text", "the same in Japanese", default=None,
                                          hi=MAX_NAME)
    fire_units: int = spec_field("int", "fire units (ships, batteries)", unit="units",
                                 hi=MAX_CHANNELS)
    channels_per_unit: int = spec_field("int", "simultaneous engagements one unit can run",
                                        unit="channels", hi=MAX_CHANNELS)
    interceptors_per_unit: int = spec_field("int", "interceptors in one unit's magazine",
                                            unit="interceptors", hi=MAX_INTERCEPTORS)
    shots_per_engagement: int = spec_field("int", "interceptors fired at once per engagement "
                                           "(shoot-shoot salvo)", unit="interceptors", lo=1,
                                           hi=MAX_INTERCEPTORS)
    max_engagements: int = spec_field("int", "engagements of one threat at most; > 1 means "
                                      "shoot-look-shoot", unit="engagements", default=1, lo=1,
                                      hi=MAX_ENGAGEMENTS)
    flyout_s: float = spec_field("float", "time a channel is busy per engagement; the kill is "
                                 "known at its end", unit="s", lo=MIN_FLYOUT_S, hi=MAX_TIME_S)
    reliability: float = spec_field("prob", "P(an interceptor works)", unit="probability",
                                    default=1.0)
    detection: float = spec_field("prob", "P(the layer's sensors track a given threat)",
                                  unit="probability", default=1.0)
    discrimination: float = spec_field("prob", "P(a decoy is recognised and not shot at)",
                                       unit="probability", default=0.0)
    availability: float = spec_field("prob", "P(the layer takes part in a raid at all)",
                                     unit="probability", default=1.0)
    availability_per: str = spec_field(
        "enum", "campaigns: 'campaign' draws availability once (the layer comes or not), "
        "'day' draws it every day (ships on station or not)", default="campaign",
        choices=AVAILABILITY_PER)
    reload_per_day: int = spec_field(
        "int", "campaigns: interceptors each unit draws from the depot at the end of a day "
        "(never above interceptors_per_unit)", unit="interceptors", default=0,
        hi=MAX_INTERCEPTORS)
    depot: int = spec_field("int", "campaigns: spare interceptors of the layer at the start",
                            unit="interceptors", default=0, hi=MAX_INTERCEPTORS)
    production_per_day: float = spec_field(
        "float", "campaigns: interceptors added to the depot each day (fractions accumulate; "
        "whole interceptors enter)", unit="interceptors/day", default=0.0, lo=0.0,
        hi=MAX_INTERCEPTORS / MAX_DAYS)
    interceptor_cost: float | None = spec_field("float", "cost of one interceptor",
                                                unit="cost unit", default=None, lo=0.0, hi=MAX_COST)
    engage: Mapping[str, Engagement] = spec_field(
        "map", "a table of threat names, e.g. engage.HGV = { sspk = 0.7, window_s = [0.0, 20.0] }",
        item=Engagement, keys_of="threat_names")
    defends: tuple[str, ...] | None = spec_field(
        "names", "point defence of these assets only, e.g. [\"naha\"]; its fire units engage "
        "only threats aimed at them", default=None, toml_default="every asset (area defence)",
        keys_of="asset_names")
    fire_units_at: Mapping[str, int] | None = spec_field(
        "counts", "with defends: the fire units at each defended asset, e.g. { naha = 2, "
        "kadena = 1 }, summing to fire_units (each site defends its own asset)",
        unit="units", default=None, toml_default="all units cover every defended asset",
        hi=MAX_CHANNELS, keys_of="asset_names")
    engage_open: bool = spec_field(
        "bool", "an area layer (without defends) also engages threats aimed at open ground",
        default=False, omit_default=True)
    track_capacity: int | None = spec_field(
        "int", "threats the layer's sensors track at once, per site; a threat finding every "
        "track taken is not engaged by this layer", unit="tracks", default=None,
        toml_default="unlimited", lo=1, hi=MAX_MISSILES)

    @staticmethod
    def _check(values: dict[str, Any], path: str, ctx: Context) -> None:
        defends, at = values.get("defends"), values.get("fire_units_at")
        if at is not None:
            if defends is None:
                raise ScenarioError(ctx.source, path + ".fire_units_at", at,
                                    "fire_units_at only with defends (the assets it names "
                                    "must be defended by this layer)")
            for name in at:
                if name not in defends:
                    raise ScenarioError(ctx.source, f"{path}.fire_units_at.{name}", name,
                                        f"an asset this layer defends ({', '.join(defends)})")
            if sum(at.values()) != values["fire_units"]:
                raise ScenarioError(ctx.source, path + ".fire_units_at", at,
                                    f"whole numbers summing to fire_units = "
                                    f"{values['fire_units']} (they sum to {sum(at.values())})")
        if values.get("engage_open") and defends is not None:
            raise ScenarioError(ctx.source, path + ".engage_open", True,
                                "false on a layer with defends (only area layers, without "
                                "defends, can engage threats aimed at open ground)")
        flyout = values["flyout_s"]
        for name, e in values["engage"].items():
            if windows_fit(e.width_s, flyout) < 1:
                raise ScenarioError(ctx.source, f"{path}.engage.{name}.window_s", list(e.window_s),
                                    f"a window at least flyout_s = {flyout:g} s long (it is "
                                    f"{e.width_s:g} s: no engagement could end inside it)")
        units, channels = values["fire_units"], values["channels_per_unit"]
        if units * channels > MAX_CHANNELS:
            raise ScenarioError(ctx.source, path + ".channels_per_unit", channels,
                                f"fire_units x channels_per_unit <= {MAX_CHANNELS:,} "
                                f"(got {units * channels:,})")

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
        return to_toml(self)


#: Relative slack in "does a whole engagement fit" tests, so that a window of
#: exactly k flyouts holds k engagements despite rounding (e.g. 0.3 / 0.1).
FIT_RTOL = 1e-9


def _unique(names: list[str], what: str, source: str) -> None:
    seen: dict[str, int] = {}
    for j, n in enumerate(names):
        if n in seen:
            raise ScenarioError(source, f"{what}[{j}].name", n,
                                f"a unique name ({what}[{seen[n]}] is also called {n!r})")
        seen[n] = j


def _earliest_handoff_s(scenario: "Scenario", li: int, threat: str) -> float | None:
    """Earliest time after launch at which an earlier layer's engagement of ``threat`` ends."""
    ends = [lay.engage[threat].window_s[0] + lay.flyout_s
            for lay in scenario.layers[:li] if threat in lay.engage]
    return min(ends) if ends else None


def windows_fit(width_s: float, flyout_s: float) -> int:
    """floor(width / flyout), robust to floating-point rounding."""
    return int(math.floor(width_s / flyout_s * (1.0 + FIT_RTOL)))


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A complete, validated scenario. Build with :func:`load_scenario` or :meth:`from_dict`."""

    name: str = spec_field("name", "title of the scenario, shown on every result", hi=MAX_NAME)
    name_ja: str | None = spec_field("text", "the title in Japanese", default=None, hi=MAX_NAME)
    description: str = spec_field("text", "free text: what the scenario represents",
                                  default="", toml_default='""')
    description_ja: str | None = spec_field("text", "the description in Japanese",
                                            default=None)
    caveat: str | None = spec_field("text", "shown in every footer and on every figure, "
                                    "e.g. \"ILLUSTRATIVE: not an estimate\"", default=None,
                                    hi=MAX_NAME)
    caveat_ja: str | None = spec_field("text", "the caveat in Japanese", default=None,
                                       hi=MAX_NAME)
    trials: int | None = spec_field("int", "Monte Carlo trials (--trials overrides)",
                                    unit="trials", default=None, lo=1, hi=MAX_TRIALS,
                                    section="simulation", sweepable=False,
                                    toml_default="100000")
    seed: int | None = spec_field("int", "random seed (--seed overrides)", default=None, lo=0,
                                  hi=MAX_SEED, section="simulation", sweepable=False,
                                  toml_default="1")
    prelaunch_kill: float = spec_field("prob", "P(each missile is destroyed before launch): "
                                       "the counterstrike lever", unit="probability",
                                       default=0.0, section="counterstrike")
    days: int = spec_field("int", "days of the campaign, one raid a day (1: a single raid)",
                           unit="days", default=1, lo=1, hi=MAX_DAYS, section="campaign")
    launcher_kill_per_day: float = spec_field(
        "prob", "P(a surviving launcher is destroyed at the end of a day): counterstrike "
        "against launchers", unit="probability", default=0.0, section="campaign")
    assets: tuple[Asset, ...] = spec_field(
        "tables", "defended assets: one table per site missiles may be aimed at (default: one "
        "implicit asset that every layer defends)", item=Asset, default=())
    threats: tuple[ThreatGroup, ...] = spec_field("tables", "the raid: one table per threat "
                                                  "group", item=ThreatGroup)
    layers: tuple[Layer, ...] = spec_field("tables", "the defence: one table per layer, outer "
                                           "layer first", item=Layer)
    uncertainty: tuple[UncertainInput, ...] = spec_field(
        "custom", "what nobody knows: sweepable key -> distribution of its value "
        "(see docs/uncertainty.md); the values above stay the nominal case", default=())
    source: str = field(default="<dict>", compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> "Scenario":
        """Validate a mapping shaped like the TOML file and build a Scenario.

        Raises
        ------
        ScenarioError
            Naming ``source``, the key path, the value and what was expected.
        """
        scenario = read_dataclass(cls, data, "", Context(source))
        if "uncertainty" in data:
            inputs = parse_uncertainty(data["uncertainty"], scenario, source)
            scenario = dataclasses.replace(scenario, uncertainty=inputs)
        return scenario

    def _write_custom(self, spec: Any, value: Any) -> Any:
        return uncertainty_to_dict(value)

    @staticmethod
    def _after_field(name: str, value: Any, path: str, ctx: Context) -> None:
        if name == "assets":
            _unique([a.name for a in value], "assets", ctx.source)
            ctx.asset_names = [a.name for a in value]
        elif name == "threats":
            _unique([t.name for t in value], "threats", ctx.source)
            total = sum(t.count for t in value)
            if total > MAX_MISSILES:
                raise ScenarioError(ctx.source, "threats", total,
                                    f"a raid of at most {MAX_MISSILES:,} missiles in all "
                                    "(per-trial work grows with the raid; split the study)")
            ctx.threat_names = [t.name for t in value]
        elif name == "layers":
            _unique([lay.name for lay in value], "layers", ctx.source)

    @staticmethod
    def _check(values: dict[str, Any], path: str, ctx: Context) -> None:
        values["source"] = ctx.source

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a TOML-shaped mapping; ``from_dict`` round-trips it."""
        return to_toml(self)

    def __repr__(self) -> str:
        return (f"Scenario({self.name!r}: {self.raid_size:,} missiles in {len(self.threats)} "
                f"group(s) vs {len(self.layers)} layer(s), capacity {self.capacity:,}, "
                f"source={self.source!r})")

    def summary(self) -> str:
        """What ``saturation-sim check`` prints: the raid, the layers, the capacity arithmetic."""
        lines = [self.name, *describe.describe_scenario(self)]
        lines += [f"warning: {w}" for w in self.warnings()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html as _html

        return "<pre>" + _html.escape(self.summary()) + "</pre>"

    def with_values(self, values: Mapping[str, Any]) -> "Scenario":
        """A validated copy with each dotted key set to its value.

        The keys are those of ``sweep`` and ``saturation-sim keys``, e.g.
        ``{"layers.upper.fire_units": 2, "raid_ratio": 3}``; ``raid_ratio`` is
        applied last, against the capacity of the scenario with the other keys set.

        Raises
        ------
        ScenarioError
            Naming the key, for an unknown key or a value that makes an invalid scenario.
        """
        return apply.with_values(self, dict(values))

    def model_dict(self) -> dict[str, Any]:
        """``to_dict`` without display text, run settings and ``[uncertainty]``: exactly
        what determines the numbers. Sweep identities and fingerprints use it, so
        relabelling a layer or rewording a caveat keeps a sweep resumable."""
        d = to_toml(self, model_only=True)
        d.pop("simulation", None)
        return d

    def fingerprint(self) -> str:
        """SHA-256 of :meth:`model_dict`: equal for scenarios that give equal numbers.

        Two scenarios with the same fingerprint give the same numbers for the
        same trials and seed, so their results may be merged.
        """
        d = self.model_dict()
        text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def warnings(self) -> list[str]:
        """Things a user should know that are not errors, one sentence each.

        ``check`` and ``run`` print them once, and results keep them under
        ``warnings``.
        """
        out = []
        for ai, a in enumerate(self.assets):
            # A point layer whose fire_units_at gives the asset no fire units does not
            # defend it, though it lists it in defends (a layer with no fire units at
            # all has its own warning below).
            if not any(lay.defends is None
                       or any(ai in covered and (units > 0 or lay.fire_units_at is None)
                              for covered, units in self.layer_sites(lay))
                       for lay in self.layers):
                out.append(f"assets.{a.name}: no layer defends this asset, so leakers there "
                           "are unopposed")
        for t in self.threats:
            if t.count > 0 and not any(t.name in lay.engage for lay in self.layers):
                out.append(f"threats.{t.name}: no layer engages this group, so every "
                           f"{'warhead' if t.is_warhead else 'decoy'} of it passes unopposed")
        for li, lay in enumerate(self.layers):
            if lay.engage and (lay.fire_units == 0 or lay.channels_per_unit == 0
                               or lay.interceptors_per_unit < lay.shots_per_engagement):
                out.append(f"layers.{lay.name}: this layer can never fire (no fire units, "
                           "channels or full salvo in the magazine)")
            for name, e in lay.engage.items():
                earliest = _earliest_handoff_s(self, li, name)
                if earliest is not None and e.window_s[1] - lay.flyout_s < earliest - 1e-9:
                    out.append(f"layers.{lay.name}.engage.{name}.window_s: no engagement can "
                               "start here after an earlier layer's engagement of the same "
                               "threat ends, so this layer only sees threats the earlier "
                               "layers did not engage")
        return out

    # Derived quantities used by every room downstream.
    @property
    def has_assets(self) -> bool:
        """Whether the file declares ``[[assets]]`` (else one implicit asset, defended by all)."""
        return bool(self.assets)

    @property
    def uses_sites_or_tracks(self) -> bool:
        """Whether targets, sites or track limits can change anything: ``[[assets]]`` are
        declared or some layer has a ``track_capacity``."""
        return self.has_assets or any(lay.track_capacity is not None for lay in self.layers)

    @property
    def target_names(self) -> tuple[str, ...]:
        """Targets a missile may be aimed at, shape (A + 1,): asset names in declaration
        order, then ``"open"`` (open ground). Without ``[[assets]]``, A = 1: the implicit
        asset is named ``""``."""
        return (*(a.name for a in self.assets), OPEN) if self.assets else ("", OPEN)

    def group_shares(self, group: ThreatGroup) -> tuple[float, ...]:
        """Shares of ``group`` aimed at each target, shape (A + 1,), in ``target_names``
        order (last: open ground); they sum to 1.

        Unset ``targets`` means equal shares of every asset and none of open ground;
        without ``[[assets]]`` it is ``(1.0, 0.0)``.
        """
        if not self.assets:
            return (1.0, 0.0)
        if group.targets is None:
            a = len(self.assets)
            return (*([1.0 / a] * a), 0.0)
        return tuple(group.targets.get(name, 0.0) for name in self.target_names)

    def layer_sites(self, layer: Layer) -> list[tuple[tuple[int, ...], int]]:
        """The sites of ``layer``: ``(covered target indices, fire units)`` each.

        Indices are into :attr:`target_names` (A = open ground). An area layer is one
        site with every unit covering every asset (and open ground iff ``engage_open``);
        ``defends`` without ``fire_units_at`` is one site covering the listed assets;
        with ``fire_units_at``, one site per asset that has an entry, in declaration
        order, covering that asset only. Fire units are numbered site by site.
        """
        names = self.target_names
        n_assets = len(names) - 1
        if layer.defends is None:
            covered = tuple(range(n_assets)) + ((n_assets,) if layer.engage_open else ())
            return [(covered, layer.fire_units)]
        if layer.fire_units_at is None:
            return [(tuple(sorted(names.index(d) for d in layer.defends)), layer.fire_units)]
        return [((i,), layer.fire_units_at[name]) for i, name in enumerate(names[:n_assets])
                if name in layer.fire_units_at]

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
    def is_campaign(self) -> bool:
        """More than one day: results then carry per-day statistics (``by_day``)."""
        return self.days > 1

    def group_campaign_max(self, group: ThreatGroup) -> int:
        """Most missiles ``group`` fires over the campaign: days x count, capped by inventory."""
        most = group.count * self.days
        return most if group.inventory is None else min(most, group.inventory)

    @property
    def max_leakers(self) -> int:
        """Most warheads that can leak in one trial (the whole campaign): the
        length of the leaker histogram is this plus one."""
        return sum(self.group_campaign_max(t) for t in self.threats if t.is_warhead)

    @property
    def raid_ratio(self) -> float | None:
        """raid_size / capacity, or None when the capacity is zero."""
        c = self.capacity
        return self.raid_size / c if c > 0 else None
