"""Read scenario files (TOML) and validate them into :class:`Scenario` objects.

All validation lives here, so the engine's kernels can assume valid input.
Every problem raises :class:`ScenarioError` with one line that names the
file, the key path (``layers[1].engage.HGV.sspk``), the offending value and
what was expected.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from pathlib import Path
from typing import Any, Mapping

from .errors import ScenarioError
from .schema import Engagement, Launch, Layer, Scenario, ThreatGroup

#: Largest raid the engine accepts. Per-trial work and memory grow with the
#: raid; beyond this a run would take hours per thousand trials.
MAX_MISSILES = 100_000
#: Largest number of engagement channels in one layer (fire_units x channels).
MAX_CHANNELS = 1_000_000
#: Largest magazine, shots and engagement counts; keeps int64 sums exact.
MAX_INTERCEPTORS = 10**9
MAX_ENGAGEMENTS = 1000
MAX_TRIALS = 10**12

_TOP_KEYS = ("name", "name_ja", "description", "caveat", "caveat_ja", "description_ja", "simulation",
             "counterstrike", "threats", "layers")
_SIM_KEYS = ("trials", "seed")
_CS_KEYS = ("prelaunch_kill",)
_THREAT_KEYS = ("name", "count", "kind", "launch", "cost", "prelaunch_kill", "label",
                "label_ja")
_LAUNCH_KEYS = {"simultaneous": ("pattern", "at_s"),
                "uniform": ("pattern", "start_s", "span_s"),
                "waves": ("pattern", "at_s", "count")}
_LAYER_KEYS = ("name", "fire_units", "channels_per_unit", "interceptors_per_unit",
               "shots_per_engagement", "max_engagements", "flyout_s", "reliability",
               "detection", "discrimination", "availability", "interceptor_cost", "engage",
               "label", "label_ja", "unit_noun", "unit_noun_ja")
_ENGAGE_KEYS = ("sspk", "window_s")



class _Reader:
    """Typed access to one table of the file, with the key path for messages."""

    def __init__(self, table: Any, path: str, source: str, allowed: tuple[str, ...]):
        self.source = source
        self.path = path
        if not isinstance(table, Mapping):
            self.fail(path, table, "a table")
        self.table = table
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{near[0]}'?" if near else f"; allowed keys: {', '.join(allowed)}"
                raise ScenarioError(self.source, self.key(key), None, f"a known key{hint}",
                                    unknown=True)

    def key(self, k: str) -> str:
        return f"{self.path}.{k}" if self.path else k

    def fail(self, path: str, value: Any, expected: str) -> None:
        raise ScenarioError(self.source, path, value, expected)

    def has(self, k: str) -> bool:
        return k in self.table

    def raw(self, k: str, default: Any = ...) -> Any:
        if k not in self.table:
            if default is ...:
                raise ScenarioError(self.source, self.key(k), None, "this required key", missing=True)
            return default
        return self.table[k]

    def string(self, k: str, default: Any = ...) -> str:
        v = self.raw(k, default)
        if not isinstance(v, str):
            self.fail(self.key(k), v, "a string")
        return v

    def integer(self, k: str, default: Any = ..., lo: int = 0, hi: int | None = None) -> int:
        v = self.raw(k, default)
        return _check_int(v, self.key(k), self.source, lo, hi)

    def number(self, k: str, default: Any = ..., lo: float | None = None,
               positive: bool = False) -> float:
        v = self.raw(k, default)
        return _check_float(v, self.key(k), self.source, lo, positive)

    def probability(self, k: str, default: Any = ...) -> float:
        v = self.number(k, default)
        if not 0.0 <= v <= 1.0:
            self.fail(self.key(k), v, "a probability in [0, 1]")
        return v

    def optional_string(self, k: str) -> str | None:
        return self.string(k) if k in self.table else None

    def optional_cost(self, k: str) -> float | None:
        if k not in self.table:
            return None
        return self.number(k, lo=0.0)


def _check_int(v: Any, path: str, source: str, lo: int = 0, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer() and math.isfinite(v):
            v = int(v)  # accept 48.0 for 48; TOML users write either
        else:
            raise ScenarioError(source, path, v, "a whole number")
    if v < lo:
        raise ScenarioError(source, path, v, f"a whole number >= {lo}")
    if hi is not None and v > hi:
        raise ScenarioError(source, path, v, f"a whole number <= {hi:,}")
    return v


def _check_float(v: Any, path: str, source: str, lo: float | None = None,
                 positive: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ScenarioError(source, path, v, "a number")
    v = float(v)
    if not math.isfinite(v):
        raise ScenarioError(source, path, v, "a finite number (not NaN or infinity)")
    if positive and v <= 0:
        raise ScenarioError(source, path, v, "a number > 0")
    if lo is not None and v < lo:
        raise ScenarioError(source, path, v, f"a number >= {lo:g}")
    return v


def _name_list(items: Any, path: str, source: str) -> list[Any]:
    if not isinstance(items, list) or not items:
        raise ScenarioError(source, path, items, "a non-empty array of tables ([[" + path + "]])")
    return items


def _parse_launch(r: _Reader, path: str, count: int) -> Launch:
    raw = r.raw("launch")
    if not isinstance(raw, Mapping):
        r.fail(path, raw, "a table such as { pattern = \"uniform\", start_s = 0.0, span_s = 60.0 }")
    if "pattern" not in raw:
        raise ScenarioError(r.source, path + ".pattern", None,
                            "one of 'simultaneous', 'uniform', 'waves'", missing=True)
    pattern = raw["pattern"]
    if pattern not in _LAUNCH_KEYS:
        near = difflib.get_close_matches(str(pattern), list(_LAUNCH_KEYS), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        r.fail(path + ".pattern", pattern, "one of 'simultaneous', 'uniform', 'waves'" + hint)
    lr = _Reader(raw, path, r.source, _LAUNCH_KEYS[pattern])
    if pattern == "simultaneous":
        return Launch("simultaneous", at_s=(lr.number("at_s"),))
    if pattern == "uniform":
        return Launch("uniform", start_s=lr.number("start_s"), span_s=lr.number("span_s", lo=0.0))
    times, counts = lr.raw("at_s"), lr.raw("count")
    if not isinstance(times, list) or not times:
        lr.fail(lr.key("at_s"), times, "a non-empty array of launch times")
    if not isinstance(counts, list) or len(counts) != len(times):
        lr.fail(lr.key("count"), counts, f"an array of {len(times)} whole numbers, one per wave")
    at = tuple(_check_float(t, f"{lr.key('at_s')}[{j}]", r.source) for j, t in enumerate(times))
    cs = tuple(_check_int(c, f"{lr.key('count')}[{j}]", r.source) for j, c in enumerate(counts))
    if sum(cs) != count:
        lr.fail(lr.key("count"), list(cs), f"wave counts summing to the group's count {count} "
                f"(they sum to {sum(cs)})")
    return Launch("waves", at_s=at, count=cs)


def _parse_threat(item: Any, j: int, source: str) -> ThreatGroup:
    path = f"threats[{j}]"
    r = _Reader(item, path, source, _THREAT_KEYS)
    name = r.string("name")
    if not name:
        r.fail(r.key("name"), name, "a non-empty name")
    count = r.integer("count", hi=MAX_MISSILES)
    kind = r.string("kind", "warhead")
    if kind not in ("warhead", "decoy"):
        r.fail(r.key("kind"), kind, "'warhead' or 'decoy'")
    launch = _parse_launch(r, r.key("launch"), count)
    pk = r.probability("prelaunch_kill") if r.has("prelaunch_kill") else None
    return ThreatGroup(name=name, count=count, kind=kind, launch=launch,
                       cost=r.optional_cost("cost"), prelaunch_kill=pk,
                       label=r.optional_string("label"), label_ja=r.optional_string("label_ja"))


def _parse_engage(raw: Any, path: str, source: str, threat_names: list[str]) -> dict[str, Engagement]:
    if not isinstance(raw, Mapping):
        raise ScenarioError(source, path, raw, "a table of threat names, e.g. engage.HGV = { sspk = 0.7, window_s = [0.0, 20.0] }")
    out: dict[str, Engagement] = {}
    for threat, entry in raw.items():
        epath = f"{path}.{threat}"
        if threat not in threat_names:
            near = difflib.get_close_matches(threat, threat_names, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ScenarioError(source, epath, threat,
                                f"the name of a threat group ({', '.join(threat_names)}){hint}")
        er = _Reader(entry, epath, source, _ENGAGE_KEYS)
        sspk = er.probability("sspk")
        w = er.raw("window_s")
        if not isinstance(w, list) or len(w) != 2:
            er.fail(er.key("window_s"), w, "a pair [a, b] of seconds after launch")
        a = _check_float(w[0], er.key("window_s") + "[0]", source)
        b = _check_float(w[1], er.key("window_s") + "[1]", source)
        if b <= a:
            er.fail(er.key("window_s"), w, "a window [a, b] with b > a")
        if a < 0:
            er.fail(er.key("window_s"), w, "a window [a, b] with a >= 0 (seconds after launch)")
        out[threat] = Engagement(sspk=sspk, window_s=(a, b))
    return out


def _parse_layer(item: Any, j: int, source: str, threat_names: list[str]) -> Layer:
    path = f"layers[{j}]"
    r = _Reader(item, path, source, _LAYER_KEYS)
    name = r.string("name")
    if not name:
        r.fail(r.key("name"), name, "a non-empty name")
    units = r.integer("fire_units", hi=MAX_CHANNELS)
    channels = r.integer("channels_per_unit", hi=MAX_CHANNELS)
    if units * channels > MAX_CHANNELS:
        r.fail(r.key("channels_per_unit"), channels,
               f"fire_units x channels_per_unit <= {MAX_CHANNELS:,} (got {units * channels:,})")
    return Layer(
        name=name,
        fire_units=units,
        channels_per_unit=channels,
        interceptors_per_unit=r.integer("interceptors_per_unit", hi=MAX_INTERCEPTORS),
        shots_per_engagement=r.integer("shots_per_engagement", lo=1, hi=MAX_INTERCEPTORS),
        max_engagements=r.integer("max_engagements", 1, lo=1, hi=MAX_ENGAGEMENTS),
        flyout_s=r.number("flyout_s", positive=True),
        reliability=r.probability("reliability", 1.0),
        detection=r.probability("detection", 1.0),
        discrimination=r.probability("discrimination", 0.0),
        availability=r.probability("availability", 1.0),
        interceptor_cost=r.optional_cost("interceptor_cost"),
        engage=_parse_engage(r.raw("engage"), r.key("engage"), source, threat_names),
        label=r.optional_string("label"), label_ja=r.optional_string("label_ja"),
        unit_noun=r.optional_string("unit_noun"), unit_noun_ja=r.optional_string("unit_noun_ja"),
    )


def _unique(names: list[str], what: str, source: str) -> None:
    seen: dict[str, int] = {}
    for j, n in enumerate(names):
        if n in seen:
            raise ScenarioError(source, f"{what}[{j}].name", n,
                                f"a unique name ({what}[{seen[n]}] is also called {n!r})")
        seen[n] = j


def scenario_from_dict(data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
    """Validate a TOML-shaped mapping into a :class:`Scenario` (see ``Scenario.from_dict``)."""
    r = _Reader(data, "", source, _TOP_KEYS)
    name = r.string("name")
    description = r.string("description", "")
    trials = seed = None
    if r.has("simulation"):
        sr = _Reader(r.raw("simulation"), "simulation", source, _SIM_KEYS)
        trials = sr.integer("trials", None, lo=1, hi=MAX_TRIALS) if sr.has("trials") else None
        seed = sr.integer("seed", None, lo=0, hi=2**63 - 1) if sr.has("seed") else None
    pk = 0.0
    if r.has("counterstrike"):
        cr = _Reader(r.raw("counterstrike"), "counterstrike", source, _CS_KEYS)
        pk = cr.probability("prelaunch_kill", 0.0)

    threats = tuple(_parse_threat(t, j, source)
                    for j, t in enumerate(_name_list(r.raw("threats"), "threats", source)))
    threat_names = [t.name for t in threats]
    _unique(threat_names, "threats", source)
    total = sum(t.count for t in threats)
    if total > MAX_MISSILES:
        raise ScenarioError(source, "threats", total,
                            f"a raid of at most {MAX_MISSILES:,} missiles in all "
                            "(per-trial work grows with the raid; split the study)")
    layers = tuple(_parse_layer(x, j, source, threat_names)
                   for j, x in enumerate(_name_list(r.raw("layers"), "layers", source)))
    _unique([lay.name for lay in layers], "layers", source)
    return Scenario(name=name, description=description, threats=threats, layers=layers,
                    prelaunch_kill=pk, trials=trials, seed=seed, source=source,
                    caveat=r.optional_string("caveat"), caveat_ja=r.optional_string("caveat_ja"),
                    name_ja=r.optional_string("name_ja"),
                    description_ja=r.optional_string("description_ja"))


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        A TOML file laid out as in ``interface.md``.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not valid TOML, or breaks a rule of the schema.
    """
    p = Path(path)
    source = str(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(source, "", None, "an existing scenario file (no such file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, "", None, f"a readable UTF-8 TOML file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", None, f"valid TOML: {exc}", syntax=True) from None
    return scenario_from_dict(data, source)
