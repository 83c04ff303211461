"""The ``[uncertainty]`` table: which inputs are unknown, and how unknown.

Each entry maps a sweepable dotted key (``layers.upper.engage.HGV.sspk``) to a
distribution of its value::

    [uncertainty]
    "layers.upper.engage.HGV.sspk" = { dist = "uniform", low = 0.3, high = 0.8, note = "..." }
    layers.upper.fire_units = { dist = "choice", values = [2, 3, 4], weights = [0.25, 0.5, 0.25] }

Keys may be quoted (one dotted key) or bare (TOML then nests them into
tables); both are read the same way: the leaves are the tables that hold
``dist``. The value written elsewhere in the scenario stays the nominal case.

Keys are resolved against the scenario when the file is loaded, with the
same rules as ``sweep`` (:mod:`.keys`): an unknown key gets a did-you-mean,
whole-number keys are sampled as integers, and a probability's range must lie
in [0, 1], all as the field table declares.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import ScenarioError
from .fields import check_float, spec_at
from .keys import KeySpace

#: Parameters of each distribution, required and then optional.
DISTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uniform": (("low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "loguniform": (("low", "high"), ()),
    "beta": (("a", "b", "low", "high"), ()),
    "choice": (("values",), ("weights",)),
}
#: Slack for weights summing to 1 (they are written as decimals in a file).
WEIGHT_SUM_TOL = 1e-9


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: a scenario key and the distribution of its value.

    Attributes
    ----------
    key
        The dotted key as written, e.g. ``layers.upper.engage.HGV.sspk``.
    dist
        ``uniform``, ``triangular``, ``loguniform``, ``beta`` or ``choice``.
    params
        The distribution's parameters as ``(name, value)`` pairs in the order of
        :data:`DISTS`; ``values`` and ``weights`` of ``choice`` are tuples.
    note
        Where the range comes from (free text, may be empty).
    integer
        Whether the key counts whole items; such keys are sampled as integers.
    """

    key: str
    dist: str
    params: tuple[tuple[str, Any], ...]
    note: str = ""
    integer: bool = False

    def param(self, name: str) -> Any:
        return dict(self.params)[name]

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value the input can take (its ``low`` and ``high``)."""
        if self.dist == "choice":
            values = self.param("values")
            return (min(values), max(values))
        return (self.param("low"), self.param("high"))

    def to_dict(self) -> dict[str, Any]:
        """The entry as written in the table; ``parse_uncertainty`` reads it back."""
        d: dict[str, Any] = {"dist": self.dist}
        for name, value in self.params:
            d[name] = list(value) if isinstance(value, tuple) else value
        if self.note:
            d["note"] = self.note
        return d


def uncertainty_to_dict(inputs: tuple[UncertainInput, ...]) -> dict[str, Any]:
    """The ``[uncertainty]`` table of ``inputs``, flat by dotted key."""
    return {inp.key: inp.to_dict() for inp in inputs}


def _leaves(raw: Mapping[str, Any], prefix: str, source: str) -> list[tuple[str, Any]]:
    """(dotted key, entry) for every table holding ``dist``, in file order."""
    out: list[tuple[str, Any]] = []
    for name, value in raw.items():
        key = f"{prefix}.{name}" if prefix else str(name)
        # A table is an entry when it holds dist or no tables (then dist is reported missing).
        if isinstance(value, Mapping) and "dist" not in value and any(
                isinstance(v, Mapping) for v in value.values()):
            out.extend(_leaves(value, key, source))
        else:
            out.append((key, value))
    return out


def _number(value: Any, path: str, source: str) -> float:
    """A finite number that fits a double (whole numbers keep their type)."""
    v = check_float(value, path, source)
    return value if isinstance(value, int) else v


def _resolve(key: str, path: str, keys: KeySpace, source: str) -> tuple[bool, bool]:
    """(integer, probability) of a key, resolved like a sweep key; errors name ``path``."""
    try:
        k = keys.parse(key)
    except ScenarioError as exc:
        unknown = "is not a scenario key" in str(exc)
        raise ScenarioError(source, path, None if unknown else exc.value, exc.expected,
                            unknown=unknown, plain=exc.value is None) from None
    if k.is_raid_ratio:
        return False, False
    spec = spec_at(type(keys.scenario), k.path)
    return k.integer, spec is not None and spec.kind in ("prob", "shares")


def _parse_entry(key: str, entry: Any, keys: KeySpace, source: str) -> UncertainInput:
    path = f"uncertainty.{key}"
    if not isinstance(entry, Mapping):
        raise ScenarioError(source, path, entry, 'a table such as { dist = "uniform", '
                            "low = 0.3, high = 0.8 }")
    if "dist" not in entry:
        raise ScenarioError(source, path + ".dist", None,
                            f"one of {', '.join(DISTS)}", missing=True)
    dist = entry["dist"]
    if not isinstance(dist, str) or dist not in DISTS:
        near = difflib.get_close_matches(str(dist), list(DISTS), n=1, cutoff=0.6)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise ScenarioError(source, path + ".dist", dist,
                            f"a distribution: one of {', '.join(DISTS)}{hint}")
    required, optional = DISTS[dist]
    allowed = ("dist", "note", *required, *optional)
    for name in entry:
        if name not in allowed:
            near = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else f"; allowed: {', '.join(allowed)}"
            raise ScenarioError(source, f"{path}.{name}", None,
                                f"a parameter of dist = \"{dist}\"{hint}", unknown=True)
    for name in required:
        if name not in entry:
            raise ScenarioError(source, f"{path}.{name}", None,
                                f"this parameter of dist = \"{dist}\"", missing=True)
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise ScenarioError(source, path + ".note", note, "a string (the source of the range)")
    integer, probability = _resolve(key, path, keys, source)
    params = _choice(entry, path, source) if dist == "choice" else \
        _continuous(dist, entry, path, source)
    inp = UncertainInput(key, dist, params, note, integer)
    _check_support(inp, path, source, probability)
    return inp


def _continuous(dist: str, entry: Mapping[str, Any], path: str, source: str
                ) -> tuple[tuple[str, Any], ...]:
    vals = {name: _number(entry[name], f"{path}.{name}", source) for name in DISTS[dist][0]}
    low, high = vals["low"], vals["high"]
    if not low < high:
        raise ScenarioError(source, f"{path}.high", high,
                            f"a number > low = {low:g} (low >= high leaves nothing uncertain; "
                            "drop the entry to keep the key fixed)")
    if dist == "triangular" and not low <= vals["mode"] <= high:
        raise ScenarioError(source, f"{path}.mode", vals["mode"],
                            f"a mode within [low, high] = [{low:g}, {high:g}]")
    if dist == "loguniform" and low <= 0:
        raise ScenarioError(source, f"{path}.low", low, "a number > 0 for a loguniform")
    if dist == "beta":
        for name in ("a", "b"):
            if vals[name] <= 0:
                raise ScenarioError(source, f"{path}.{name}", vals[name],
                                    "a shape parameter > 0")
    return tuple((name, vals[name]) for name in DISTS[dist][0])


def _choice(entry: Mapping[str, Any], path: str, source: str) -> tuple[tuple[str, Any], ...]:
    values = entry["values"]
    if not isinstance(values, list) or not values:
        raise ScenarioError(source, f"{path}.values", values, "a non-empty array of numbers")
    vs = tuple(_number(v, f"{path}.values[{j}]", source) for j, v in enumerate(values))
    if len(set(vs)) != len(vs):
        raise ScenarioError(source, f"{path}.values", list(vs), "distinct values")
    if "weights" not in entry:
        return (("values", vs), ("weights", tuple(1.0 / len(vs) for _ in vs)))
    weights = entry["weights"]
    if not isinstance(weights, list) or len(weights) != len(vs):
        raise ScenarioError(source, f"{path}.weights", weights,
                            f"an array of {len(vs)} weights, one per value")
    ws = tuple(float(_number(w, f"{path}.weights[{j}]", source)) for j, w in enumerate(weights))
    if any(w < 0 for w in ws):
        raise ScenarioError(source, f"{path}.weights", list(ws), "weights >= 0")
    if abs(math.fsum(ws) - 1.0) > WEIGHT_SUM_TOL:
        raise ScenarioError(source, f"{path}.weights", list(ws),
                            f"weights summing to 1 (they sum to {math.fsum(ws):.6g})")
    return (("values", vs), ("weights", ws))


def _check_support(inp: UncertainInput, path: str, source: str, probability: bool) -> None:
    """Probabilities stay in [0, 1]; counts are whole and >= 0."""
    last = inp.key.split(".")[-1]
    # threats.X.targets.<asset>: the last part names an asset, not the quantity.
    kind = (f"{inp.key} is a share of the group" if ".targets." in inp.key
            else f"{last} is a probability")
    names = ("values",) if inp.dist == "choice" else ("low", "high")
    for name in names:
        value = inp.param(name)
        for v in (value if isinstance(value, tuple) else (value,)):
            if probability and not 0.0 <= v <= 1.0:
                raise ScenarioError(source, f"{path}.{name}", value,
                                    f"a range inside [0, 1] ({kind})")
            if inp.integer and (v != int(v) or v < 0):
                raise ScenarioError(source, f"{path}.{name}", value,
                                    f"whole numbers >= 0 ({last} counts whole items)")
    if inp.key == "raid_ratio" and inp.support[0] < 0:
        raise ScenarioError(source, f"{path}.{names[0]}", inp.support[0], "a ratio >= 0")


def parse_uncertainty(raw: Any, scenario: Any, source: str) -> tuple[UncertainInput, ...]:
    """Validate an ``[uncertainty]`` table into its inputs, in file order.

    Parameters
    ----------
    raw
        The table as read from TOML (nested or flat by dotted key).
    scenario
        The scenario the table belongs to: keys are resolved against it.
    source
        The file name, for messages.

    Raises
    ------
    ScenarioError
        One line naming the entry, for an unknown key (with a did-you-mean), an
        unknown distribution, missing or unknown parameters, low >= high, a
        probability range outside [0, 1], weights not summing to 1, or
        fractional counts.
    """
    if not isinstance(raw, Mapping):
        raise ScenarioError(source, "uncertainty", raw,
                            'a table of dotted keys, e.g. "layers.upper.fire_units" = '
                            '{ dist = "uniform", low = 1, high = 4 }')
    inputs: list[UncertainInput] = []
    keys = KeySpace(scenario)
    for key, entry in _leaves(raw, "", source):
        if any(inp.key == key for inp in inputs):
            raise ScenarioError(source, f"uncertainty.{key}", None, "each key once (it is "
                                "written twice, perhaps once quoted and once bare)", plain=True)
        inputs.append(_parse_entry(key, entry, keys, source))
    return tuple(inputs)
