"""Keys: dotted paths to one number of a scenario (for sweep, solve, [uncertainty], with_values).

A key walks the TOML-shaped mapping of :meth:`Scenario.to_dict`. Items of the
``threats`` and ``layers`` arrays are named by their ``name``; other arrays are
indexed from 0::

    threats.HGV.count                  layers.upper.fire_units
    layers.upper.engage.HGV.sspk       counterstrike.prelaunch_kill
    threats.HGV.launch.span_s          layers.upper.engage.HGV.window_s.1
    threats.HGV.targets.naha           layers.lower.track_capacity
    assets.naha.value

Setting a target share rescales the group's other listed shares in
proportion, so they still sum to 1; several shares of one group set at one
point are kept as given (they must sum to at most 1) and the group's other
listed shares fill the rest, whatever the order of the keys; setting the
fire units of a layer with ``fire_units_at`` splits them again among its sites
(see :mod:`.apply`).
The special key ``raid_ratio`` rescales every group's count in proportion so
that the raid is ratio x capacity (see :func:`.apply.scale_raid` for the rounding).
Values are written ``start:stop:step`` (stop included) or ``a,b,c``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from typing import TYPE_CHECKING

from .errors import ScenarioError
from .fields import NumberAt, walk_numbers

if TYPE_CHECKING:  # the schema imports this module: no import back at run time
    from .schema import Scenario

RAID_RATIO = "raid_ratio"
#: Most values one key may take (a guard against a mistyped step).
MAX_VALUES_PER_KEY = 10_000
#: Where the unknown-key message sends the user.
KEYS_HINT = "'saturation-sim keys CONFIG' lists every sweepable key"

Number = int | float


@dataclass(frozen=True)
class Key:
    """One swept key, resolved against a scenario.

    Attributes
    ----------
    text
        The key as written, e.g. ``layers.upper.fire_units``.
    path
        Steps into ``Scenario.to_dict()``: names of tables and indices of
        arrays, e.g. ``("layers", 0, "fire_units")``; empty for ``raid_ratio``.
    integer
        Whether the key takes whole numbers only.
    """

    text: str
    path: tuple[str | int, ...]
    integer: bool

    @property
    def is_raid_ratio(self) -> bool:
        return self.text == RAID_RATIO

    @property
    def is_raid_size(self) -> bool:
        """True for keys that count missiles: raid_ratio and threat counts."""
        p = self.path
        return self.is_raid_ratio or (len(p) >= 3 and p[0] == "threats" and "count" in p[2:])

    @property
    def schema_path(self) -> str:
        """The path as the validator writes it: ``layers[0].engage.HGV.sspk``."""
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
        return out


def key_error(source: str, key: str, value: Any, expected: str) -> ScenarioError:
    """A ScenarioError naming the sweep key; without a value when there is none to show."""
    err = ScenarioError(source, key, value, expected)
    if value is None:
        err.args = (f"{source}: sweep key {key}: expected {expected}",)
    return err


def _unknown(source: str, key: str, word: str, choices: Sequence[str], what: str) -> ScenarioError:
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else (
        f"; {what}: {', '.join(map(str, choices))}" if choices else "")
    return ScenarioError(source, key, None, f"a sweepable key{hint} ({KEYS_HINT})",
                         unknown=True)


def split_key(text: str) -> list[str] | None:
    """The parts of a dotted key; a part in double quotes may hold dots (None if unbalanced).

    ``layers."U.S. Navy Aegis.".fire_units`` -> ``["layers", "U.S. Navy Aegis.", "fire_units"]``.
    Inside quotes, ``\\"`` is a quote and ``\\\\`` a backslash.
    """
    parts: list[str] = []
    cur: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' and not cur:
            j, name = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                name.append(text[j])
                j += 1
            if j >= n or (j + 1 < n and text[j + 1] != "."):
                return None
            parts.append("".join(name))
            i = j + 2
            if i == n + 1:
                return parts
            if i == n:  # a trailing dot after the quote
                parts.append("")
            continue
        if c == ".":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def sweepable_numbers(scenario: Scenario) -> list[NumberAt]:
    """Every sweepable number of ``scenario``, in file order, unset optional ones included.

    Derived from the field table (:mod:`saturation_sim.scenario.schema`), so a
    new numeric field is sweepable as soon as it is declared.
    """
    return list(walk_numbers(scenario))


def _match(parts: list[str], i: int, names: Sequence[str]) -> int | None:
    """End index j such that '.'.join(parts[i:j]) is one of ``names`` (names may hold dots)."""
    for j in range(len(parts), i, -1):
        if ".".join(parts[i:j]) in names:
            return j
    return None


def parse_key(text: str, scenario: Scenario) -> Key:
    """Resolve a dotted key against ``scenario``.

    Raises
    ------
    ScenarioError
        Naming the key, if it does not lead to one number of the scenario.
    """
    return KeySpace(scenario).parse(text)


class KeySpace:
    """The keys of one scenario: :func:`parse_key` for many keys, with the scenario's
    mapping and its sweepable numbers derived once rather than once per key."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        tree = scenario.to_dict()
        tree.pop("simulation", None)
        tree.pop("uncertainty", None)
        self._tree = tree  # only read below
        self._numbers = {n.path: n for n in sweepable_numbers(scenario)}

    def parse(self, text: str) -> Key:
        """:func:`parse_key` of ``text`` against this scenario."""
        return _parse(text, self.scenario.source, self._tree, self._numbers)


def _parse(text: str, src: str, tree: dict[str, Any],
           numbers: dict[tuple[str | int, ...], NumberAt]) -> Key:
    if text == RAID_RATIO:
        return Key(text, (), integer=False)
    parts = split_key(text)
    if not text or parts is None or any(not p for p in parts):
        raise key_error(src, text, None,
                        "a dotted key such as layers.upper.fire_units or raid_ratio")
    if parts[0] in ("simulation", "name", "description", "uncertainty"):
        raise key_error(src, text, None, "a key of the raid or the defence (trials and seed are "
                        "set with --trials and --seed, and are the same at every point)")
    node: Any = tree
    path: list[str | int] = []
    i = 0
    while i < len(parts):
        here = ".".join(parts[:i]) or "the scenario"
        if isinstance(node, list):
            named = all(isinstance(x, dict) and "name" in x for x in node)
            if named:
                names = [x["name"] for x in node]
                j = _match(parts, i, names)
                if j is None:
                    raise _unknown(src, text, parts[i], names, f"{here} are named")
                step: str | int = names.index(".".join(parts[i:j]))
            else:
                if not parts[i].isdigit() or int(parts[i]) >= len(node):
                    raise key_error(src, text, parts[i], f"an index 0..{len(node) - 1} into {here}")
                step, j = int(parts[i]), i + 1
            path.append(step)
            node, i = node[step], j
        elif isinstance(node, dict):
            j = _match(parts, i, list(node))
            optional = [str(p[-1]) for p, n in numbers.items()
                        if n.value is None and p[:-1] == tuple(path)]
            if j is None and i == len(parts) - 1 and parts[i] in optional:
                path.append(parts[i])
                node, i = None, i + 1
                continue
            if j is None:
                raise _unknown(src, text, parts[i], [*node, *optional], f"keys of {here}")
            path.append(".".join(parts[i:j]))
            node, i = node[path[-1]], j
        else:
            raise key_error(src, text, None, f"a key that ends at a number ({here} is already one)")
    if isinstance(node, list):
        named = node and all(isinstance(x, dict) and "name" in x for x in node)
        step = f"{node[0]['name']}.<key>" if named else "0"
        raise key_error(src, text, None, f"a key of one number ({text} is a list: "
                        f"continue the key, e.g. {text}.{step})")
    if node is not None and (isinstance(node, bool) or not isinstance(node, (int, float))):
        raise key_error(src, text, node, "a key whose value is a number")
    number = numbers.get(tuple(path))
    if number is None:
        raise key_error(src, text, None, f"a sweepable key ({text} is fixed for the run; "
                        f"{KEYS_HINT})")
    return Key(text, tuple(path), integer=number.integer)


def _decimal(text: str, key: str, source: str) -> Decimal:
    try:
        d = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        raise key_error(source, key, text, "a number") from None
    if not d.is_finite():
        raise key_error(source, key, text, "a finite number")
    return d


def _convert(d: Decimal | Number, key: Key, source: str) -> Number:
    if isinstance(d, bool):
        raise key_error(source, key.text, d, "a number")
    if key.integer:
        if isinstance(d, float) and not math.isfinite(d):
            raise key_error(source, key.text, d, "a whole number")
        if d != int(d):
            raise key_error(source, key.text, d if isinstance(d, (int, float)) else float(d),
                            f"a whole number ({key.text} counts whole items)")
        return int(d)
    v = float(d)
    if not math.isfinite(v):
        raise key_error(source, key.text, v, "a finite number")
    if key.is_raid_ratio and v < 0:
        raise key_error(source, key.text, v, "a ratio >= 0")
    return v


def parse_values(text: str, key: Key, source: str = "<sweep>",
                 points: int | None = None) -> tuple[Number, ...]:
    """Values of ``key`` from ``start:stop:step`` (stop included), ``a,b,c``, or
    ``lo:hi`` with ``points`` evenly spaced values (both ends included).

    Ranges are computed in decimal, so ``0.1:0.3:0.1`` gives exactly 0.1, 0.2
    and 0.3 and a stop one step away is never lost to rounding.
    """
    text = text.strip()
    if not text:
        raise key_error(source, key.text, text, "values: start:stop:step or a comma list")
    if ":" in text:
        bits = text.split(":")
        if len(bits) == 2 and points is not None:
            lo, hi = (_decimal(b, key.text, source) for b in bits)
            if lo >= hi:
                raise key_error(source, key.text, text, "a range LO:HI with LO < HI")
            if not 2 <= points <= MAX_VALUES_PER_KEY:
                raise key_error(source, key.text, points,
                                f"--points between 2 and {MAX_VALUES_PER_KEY:,}")
            step = (hi - lo) / (points - 1)
            return coerce_values([lo + k * step for k in range(points - 1)] + [hi], key, source)
        if len(bits) != 3:
            raise key_error(source, key.text, text, "a range start:stop:step (stop included), "
                            "or LO:HI with --points K")
        start, stop, step = (_decimal(b, key.text, source) for b in bits)
        if step == 0:
            raise key_error(source, key.text, text, "a step other than 0")
        if start > stop and step > 0:
            raise key_error(source, key.text, text, "start <= stop (here start > stop; for a "
                            "descending range give a negative step)")
        if start < stop and step < 0:
            raise key_error(source, key.text, text, "start >= stop for a negative step "
                            "(here start < stop)")
        n = int((stop - start) / step) + 1
        if n > MAX_VALUES_PER_KEY:
            raise key_error(source, key.text, text,
                            f"at most {MAX_VALUES_PER_KEY:,} values per key")
        raw: list[Decimal] = [start + k * step for k in range(n)]
    else:
        raw = [_decimal(b, key.text, source) for b in text.split(",")]
    return coerce_values(raw, key, source)


def coerce_values(values: Sequence[Any], key: Key, source: str = "<sweep>") -> tuple[Number, ...]:
    """Check and convert given values (numbers or Decimals) for ``key``."""
    if isinstance(values, (str, bytes)) or len(values) == 0:
        raise key_error(source, key.text, values, "a non-empty list of values")
    out = tuple(_convert(v if isinstance(v, (Decimal, int, float)) else _bad(v, key, source),
                         key, source) for v in values)
    if len(set(out)) != len(out):
        raise key_error(source, key.text, list(out), "distinct values")
    return out


def _bad(v: Any, key: Key, source: str) -> Any:
    raise key_error(source, key.text, v, "a number")
