"""Applying sweep values to a scenario, including the raid_ratio rescaling rule."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any, Sequence

from typing import TYPE_CHECKING

from .errors import ScenarioError
from .keys import Key, Number, coerce_values, key_error, parse_key

if TYPE_CHECKING:  # the schema imports this module: no import back at run time
    from .schema import Scenario


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties to the first).

    Each share is ``floor(total * w / sum(w))``; the whole units left over go one
    each to the largest fractional remainders, earlier items first on ties. Equal
    weights are used when all weights are zero.
    """
    if not weights:
        return []
    w = list(weights) if sum(weights) > 0 else [1] * len(weights)
    exact = [Fraction(total * x, sum(w)) for x in w]
    shares = [math.floor(e) for e in exact]
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _set_count(group: dict[str, Any], count: int) -> None:
    """Set a group's count, rescaling its wave counts so that they still sum to it."""
    group["count"] = count
    launch = group.get("launch", {})
    if launch.get("pattern") == "waves":
        launch["count"] = apportion(count, launch["count"])


def scale_raid(data: dict[str, Any], ratio: float, capacity: int) -> None:
    """Rescale the group counts of ``data`` in place so the raid is ``ratio`` x ``capacity``.

    The raid size is ``floor(ratio * capacity + 0.5)`` (halves round up), split
    among groups in proportion to their counts by :func:`apportion`, and each
    waves group's wave counts are split again the same way. A group with
    ``launchers`` gets the whole number of launchers nearest its share
    (its count is launchers x missiles_per_launcher), so with such groups the
    raid is ratio x capacity only to within their missiles per launcher.
    """
    total = math.floor(ratio * capacity + 0.5)
    groups = data["threats"]
    for g, n in zip(groups, apportion(total, [t["count"] for t in groups])):
        per = g.get("missiles_per_launcher")
        if g.get("launchers") is not None and per:
            # A group with launchers scales its launchers: its count stays launchers x
            # missiles each, within half a launcher's missiles of its share.
            g["launchers"] = math.floor(n / per + 0.5)
            n = g["launchers"] * per
        _set_count(g, n)


def set_shares(targets: dict[str, float], given: dict[str, float]) -> None:
    """Set target shares in place, together; the other listed shares fill the rest.

    The shares not given keep their proportions: each becomes ``old * rest /
    sum(not given)`` with ``rest = 1 - sum(given)``; if they are all 0, ``rest`` is
    split equally among them. The caller checks that ``sum(given) <= 1``, and that
    it is 1 when every listed share is given. Setting shares together, not one
    after another, makes the result independent of the order of the keys.
    """
    others = [k for k in targets if k not in given]
    rest = 1.0 - sum(given.values())
    total = sum(targets[k] for k in others)
    for k in others:
        targets[k] = targets[k] * rest / total if total > 0 else rest / len(others)
    targets.update(given)


def _assign_shares(data: dict[str, Any], shares: Sequence[tuple[Key, Number]],
                   source: str) -> None:
    """Set every swept target share, group by group, all of a group's at once."""
    by_group: dict[Any, list[tuple[Key, Number]]] = {}
    for key, value in shares:
        if not 0.0 <= value <= 1.0:
            raise key_error(source, key.text, value, "a share in [0, 1]")
        by_group.setdefault(key.path[1], []).append((key, value))
    for group, items in by_group.items():
        targets = data["threats"][group]["targets"]
        given = {str(k.path[3]): float(v) for k, v in items}
        total = sum(given.values())
        keys = " + ".join(k.text for k, _ in items)
        if total > 1.0 + 1e-9:
            raise key_error(source, keys, total, "shares of one group set together summing "
                            "to at most 1")
        if len(given) == len(targets) and abs(total - 1.0) > 1e-9:
            what = ("1 (the group's only listed target takes every missile; list other "
                    "targets to change its share)" if len(targets) == 1 else
                    "shares summing to 1 (every listed target of the group is set)")
            raise key_error(source, keys, total, what)
        set_shares(targets, given)


def _set_fire_units(layer: dict[str, Any], units: int, asset_order: list[str]) -> None:
    """Set a layer's fire units, re-apportioning ``fire_units_at`` (if any) in proportion,
    by largest remainder, ties to the asset declared first."""
    layer["fire_units"] = units
    at = layer.get("fire_units_at")
    if at:
        names = sorted(at, key=asset_order.index)
        layer["fire_units_at"] = dict(zip(names, apportion(units, [at[n] for n in names])))


def is_share(key: Key) -> bool:
    """``threats.X.targets.<asset>``: a target share (set with :func:`_assign_shares`)."""
    return key.path[0] == "threats" and len(key.path) == 4 and key.path[2] == "targets"


def _assign(data: dict[str, Any], key: Key, value: Number) -> None:
    """Set one key that is not a target share (shares are set together by
    :func:`_assign_shares`), with the counts that follow from it."""
    if key.path[0] == "layers" and key.path[2:] == ("fire_units",):
        _set_fire_units(data["layers"][key.path[1]], int(value),
                        [a["name"] for a in data.get("assets", [])])
        return
    node = data
    for step in key.path[:-1]:
        node = node[step]
    node[key.path[-1]] = value
    if key.path[0] == "threats" and key.path[2:] == ("count",):
        _set_count(node, int(value))
    if (key.path[0] == "threats" and key.path[2:] in (("launchers",), ("missiles_per_launcher",))
            and node.get("launchers") is not None and node.get("missiles_per_launcher") is not None):
        # A group with launchers fires launchers x missiles_per_launcher on day 1.
        _set_count(node, int(node["launchers"]) * int(node["missiles_per_launcher"]))


def point_scenario(base: Scenario, assignments: Sequence[tuple[Key, Number]]) -> Scenario:
    """The scenario at one point: ``base`` with each key set to its value.

    ``raid_ratio`` is applied last, against the capacity of the scenario with
    the other keys already set.

    Raises
    ------
    ScenarioError
        Naming the key (or keys) whose value makes the scenario invalid.
    """
    data = base.to_dict()
    ratio = [(k, v) for k, v in assignments if k.is_raid_ratio]
    plain = [(k, v) for k, v in assignments if not k.is_raid_ratio]
    for k, v in plain:
        if not is_share(k):
            _assign(data, k, v)
    _assign_shares(data, [(k, v) for k, v in plain if is_share(k)], base.source)
    scenario = _validated(base, data, plain)
    if not ratio:
        return scenario
    key, value = ratio[0]
    return rescaled(base, data, key, value, scenario.capacity, plain)


def rescaled(base: Scenario, data: dict[str, Any], key: Key, value: Number, capacity: int,
             others: Sequence[tuple[Key, Number]] = ()) -> Scenario:
    """``data`` with its raid scaled to ``value`` x ``capacity``, validated.

    ``data`` (a scenario's ``to_dict()``) is changed in place; ``key`` is the
    ``raid_ratio`` key, and ``others`` the assignments already in ``data``,
    which an error may also name.

    Raises
    ------
    ScenarioError
        Naming ``key`` when there is no capacity or no raid to scale, or the
        scaled scenario is invalid.
    """
    if capacity <= 0:
        raise key_error(base.source, key.text, value, "a scenario with nonzero capacity "
                        "(raid_ratio is a multiple of the capacity, which is 0 here)")
    if sum(t["count"] for t in data["threats"]) == 0:
        raise key_error(base.source, key.text, value, "a raid of at least one missile to scale")
    scale_raid(data, float(value), capacity)
    return _validated(base, data, [*others, (key, value)])


def revalidate(base: Scenario, data: dict[str, Any]) -> Scenario:
    """``data`` (``base.to_dict()`` with numbers changed) as a validated scenario.

    Changing numbers changes no name, so ``base``'s resolved ``[uncertainty]``
    inputs still hold: they are carried over instead of being parsed again for
    every sweep point and every sampled scenario (each parse resolves every key).
    """
    data = {k: v for k, v in data.items() if k != "uncertainty"}
    scenario = type(base).from_dict(data, source=base.source)
    if base.uncertainty:
        scenario = dataclasses.replace(scenario, uncertainty=base.uncertainty)
    return scenario


def _validated(base: Scenario, data: dict[str, Any],
               assignments: Sequence[tuple[Key, Number]]) -> Scenario:
    try:
        return revalidate(base, data)
    except ScenarioError as exc:
        blamed = [(k, v) for k, v in assignments
                  if k.is_raid_ratio or (exc.path or "").startswith(k.schema_path)]
        blamed = blamed or list(assignments)
        name = ", ".join(k.text for k, _ in blamed)
        value = blamed[0][1] if len(blamed) == 1 else [v for _, v in blamed]
        reason = f"{exc.path} = {exc.value!r}: {exc.expected}" if exc.path else exc.expected
        raise key_error(base.source, name, value,
                        f"a value that makes a valid scenario ({reason})") from None


def with_values(base: Scenario, values: dict[str, Any]) -> Scenario:
    """``base`` with each dotted key set to its value, validated (see ``Scenario.with_values``)."""
    if not isinstance(values, dict):
        raise TypeError(f"expected a dict of key -> value, got {type(values).__name__}")
    assignments = []
    for text, value in values.items():
        key = parse_key(str(text), base)
        assignments.append((key, coerce_values([value], key, base.source)[0]))
    return point_scenario(base, assignments)
