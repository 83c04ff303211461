"""The field table: how each scenario field is declared once, and what is derived from it.

Every field of the scenario dataclasses (:mod:`.schema`) is declared with
:func:`spec_field`, which attaches a :class:`Spec`: its kind, default, unit,
bounds, one-line doc and whether it is sweepable. From that one declaration
this module derives

- the reader: accepted keys, did-you-mean suggestions, type and range checks
  (:func:`read_dataclass`);
- the TOML-shaped mapping of a scenario (:func:`to_toml`), which ``from_dict``
  round-trips;
- the sweepable keys of a scenario and their docs (:func:`walk_numbers`,
  :func:`spec_at`);
- the reference page ``docs/scenario-format.md`` (:mod:`.reference`).

Checks that relate several fields (wave counts summing to the group's count,
engage entries naming known threats, unique names) are written once, as the
``_check`` hook of the dataclass that owns them.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import unicodedata
from dataclasses import MISSING, dataclass
from typing import Any, Iterator, Mapping

from .errors import ScenarioError

REQUIRED = MISSING

#: Kinds of field and what each accepts.
#: ``name``: a non-empty string; ``text``: any string; ``enum``: one of ``choices``;
#: ``int``: a whole number in [lo, hi]; ``float``: a finite number (>= lo, > 0 if positive);
#: ``prob``: a number in [0, 1]; ``window``: a pair [a, b] of seconds, 0 <= a < b;
#: ``times``: one number or an array of numbers; ``ints``: an array of whole numbers;
#: ``table``: a nested table of dataclass ``item``; ``tables``: a non-empty array of them;
#: ``map``: a table from names to tables of ``item``; ``shares``: a table from names to
#: numbers in [0, 1] (each entry sweepable); ``counts``: a table from names to whole numbers
#: in [lo, hi]; ``names``: a non-empty array of distinct names; ``bool``: true or false;
#: ``custom``: read by the owner's hook. The names of ``map``, ``shares``, ``counts`` and
#: ``names`` come from the context list ``keys_of`` (see :data:`NAME_LISTS`).
KINDS = ("name", "text", "enum", "int", "float", "prob", "window", "times", "ints", "table",
         "tables", "map", "shares", "counts", "names", "bool", "custom")
#: Longest array of launch times or wave counts.
MAX_ARRAY = 100_000

#: Kinds whose values (or elements) are numbers, and so may be swept.
NUMERIC_KINDS = ("int", "float", "prob", "window", "times", "ints", "shares")
#: Kinds that hold a table or array of numbers, one sweep key per element.
ELEMENT_KINDS = ("window", "times", "ints", "shares")

#: The context lists that names may come from: what a name of each must be, and the
#: table to declare first when the list is empty (then any name is refused with that hint).
NAME_LISTS = {
    "threat_names": ("the name of a threat group", None),
    "asset_names": ("the name of a declared asset", "[[assets]]"),
    "target_names": ("the name of a declared asset or 'open'", "[[assets]]"),
}
#: The reserved target name of open ground (threats aimed there are never leakers).
OPEN = "open"


@dataclass(frozen=True)
class Spec:
    """The declaration of one scenario field (kept in ``dataclasses.field`` metadata).

    Attributes
    ----------
    kind
        One of :data:`KINDS`.
    doc
        One line: what the field means.
    unit
        Unit of a number ("s", "missiles", "probability", "cost unit"), or "".
    lo, hi
        Bounds of an ``int`` (inclusive) or a ``float`` (``lo`` only).
    positive
        A ``float`` that must be > 0.
    choices
        The allowed strings of an ``enum``.
    sweepable
        Whether ``sweep`` (and ``[uncertainty]``) may set it.
    section
        The TOML sub-table that holds the key, e.g. ``simulation`` for ``trials``.
    item
        The dataclass of a ``table``, ``tables`` or ``map`` field.
    when
        For ``Launch``: the patterns in which the key is allowed, and then
        required (empty: always allowed).
    toml_default
        The default as shown in the reference page, when it differs from ``repr``.
    keys_of
        For a ``map``, ``shares``, ``counts`` or ``names``: the context list (a key of
        :data:`NAME_LISTS`) its names must come from.
    omit_default
        ``to_toml`` leaves the field out at its default: for fields added after a
        release, so that files that do not use them keep their fingerprint (and
        their sweep directories stay resumable).
    """

    kind: str
    doc: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    positive: bool = False
    choices: tuple[str, ...] = ()
    sweepable: bool = False
    section: str | None = None
    item: Any = None
    when: tuple[str, ...] = ()
    toml_default: str | None = None
    keys_of: str | None = None
    omit_default: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


def spec_field(kind: str, doc: str, *, default: Any = REQUIRED, **kw: Any) -> Any:
    """A dataclass field carrying its :class:`Spec` (numbers are sweepable unless told)."""
    if kind not in KINDS:
        raise ValueError(f"unknown field kind {kind!r}")
    kw.setdefault("sweepable", kind in NUMERIC_KINDS)
    spec = Spec(kind, doc, **kw)
    if default is REQUIRED:
        return dataclasses.field(metadata={"spec": spec})
    if isinstance(default, (list, dict, set)):
        raise ValueError("mutable defaults are not allowed in the field table")
    return dataclasses.field(default=default, metadata={"spec": spec})


def specs(cls: type) -> list[tuple[dataclasses.Field, Spec]]:
    """The declared fields of a scenario dataclass, in declaration order."""
    return [(f, f.metadata["spec"]) for f in dataclasses.fields(cls) if "spec" in f.metadata]


def has_default(f: dataclasses.Field) -> bool:
    return f.default is not MISSING


# --- reading -------------------------------------------------------------------

def check_int(v: Any, path: str, source: str, lo: float | None = 0, hi: float | None = None) -> int:
    """A whole number (48.0 is accepted for 48) within [lo, hi]."""
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and math.isfinite(v) and v.is_integer():
            v = int(v)  # accept 48.0 for 48; TOML users write either
        else:
            raise ScenarioError(source, path, v, "a whole number")
    if lo is not None and v < lo:
        raise ScenarioError(source, path, v, f"a whole number >= {int(lo)}")
    if hi is not None and v > hi:
        raise ScenarioError(source, path, v, f"a whole number <= {int(hi):,}")
    return v


def check_float(v: Any, path: str, source: str, lo: float | None = None,
                positive: bool = False, hi: float | None = None) -> float:
    """A finite number, optionally >= lo (or > 0) and <= hi; -hi <= v when lo is None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ScenarioError(source, path, v, "a number")
    try:
        v = float(v)
    except OverflowError:
        raise ScenarioError(source, path, v, "a number that fits a double (|x| < 1.8e308)") from None
    if not math.isfinite(v):
        raise ScenarioError(source, path, v, "a finite number (not NaN or infinity)")
    if positive and v <= 0:
        raise ScenarioError(source, path, v, "a number > 0")
    if lo is not None and v < lo:
        raise ScenarioError(source, path, v, f"a number >= {lo:g}")
    if hi is not None and v > hi:
        raise ScenarioError(source, path, v, f"a number <= {hi:g}")
    if hi is not None and lo is None and not positive and v < -hi:
        raise ScenarioError(source, path, v, f"a number >= {-hi:g}")
    return v


#: Characters refused in names (and, except newline and tab, in any text):
#: they would break one-line messages, terminals and file formats.
def control_characters(text: str, allow: str = "") -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
            and c not in allow]


def did_you_mean(word: str, allowed: list[str]) -> str:
    near = difflib.get_close_matches(str(word), allowed, n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else f"; allowed keys: {', '.join(allowed)}"


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class Context:
    """What a reader needs beyond one table: the file, and names declared earlier."""

    source: str
    threat_names: list[str] = dataclasses.field(default_factory=list)
    asset_names: list[str] = dataclasses.field(default_factory=list)

    @property
    def target_names(self) -> list[str]:
        """Declared asset names, then open ground (none without ``[[assets]]``)."""
        return [*self.asset_names, OPEN] if self.asset_names else []


def allowed_keys(cls: type, pattern: str | None = None) -> list[str]:
    """The TOML keys a table of ``cls`` accepts (sections count once)."""
    keys: list[str] = []
    for f, s in specs(cls):
        if s.when and pattern not in s.when:
            continue
        k = s.section or f.name
        if k not in keys:
            keys.append(k)
    return keys


def _table(raw: Any, path: str, ctx: Context, expected: str = "a table") -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ScenarioError(ctx.source, path, raw, expected)
    return raw


def _refuse_unknown(table: Mapping[str, Any], allowed: list[str], path: str, ctx: Context) -> None:
    for key in table:
        if key not in allowed:
            raise ScenarioError(ctx.source, join(path, str(key)), None,
                                f"a known key{did_you_mean(str(key), allowed)}", unknown=True)


def read_value(spec: Spec, raw: Any, path: str, ctx: Context) -> Any:
    """Check and convert one raw TOML value by its spec."""
    src = ctx.source
    k = spec.kind
    if k in ("name", "text"):
        if not isinstance(raw, str):
            raise ScenarioError(src, path, raw, "a string")
        if k == "name" and not raw.strip():
            raise ScenarioError(src, path, raw, "a non-empty name")
        bad = control_characters(raw, "" if k == "name" else "\n\t")
        if bad:
            raise ScenarioError(src, path, raw, f"text without control characters (found "
                                f"{', '.join(sorted({repr(c) for c in bad}))})")
        if spec.hi is not None and len(raw) > spec.hi:
            raise ScenarioError(src, path, raw[:40] + "...", f"at most {int(spec.hi):,} characters")
        return raw
    if k == "enum":
        if not isinstance(raw, str) or raw not in spec.choices:
            near = difflib.get_close_matches(str(raw), list(spec.choices), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise ScenarioError(src, path, raw,
                                " or ".join(f"'{c}'" for c in spec.choices) + hint)
        return raw
    if k == "int":  # counts: whole numbers >= 0 unless the spec says otherwise
        return check_int(raw, path, src, 0 if spec.lo is None else spec.lo, spec.hi)
    if k == "float":
        return check_float(raw, path, src, spec.lo, spec.positive, spec.hi)
    if k == "prob":
        v = check_float(raw, path, src)
        if not 0.0 <= v <= 1.0:
            raise ScenarioError(src, path, v, "a probability in [0, 1]")
        return v
    if k == "window":
        if not isinstance(raw, list) or len(raw) != 2:
            raise ScenarioError(src, path, raw, "a pair [a, b] of seconds after launch")
        a = check_float(raw[0], path + "[0]", src, hi=spec.hi)
        b = check_float(raw[1], path + "[1]", src, hi=spec.hi)
        if b <= a:
            raise ScenarioError(src, path, raw, "a window [a, b] with b > a")
        if a < 0:
            raise ScenarioError(src, path, raw, "a window [a, b] with a >= 0 (seconds after launch)")
        return (a, b)
    if k == "times":
        if isinstance(raw, list):
            if not raw:
                raise ScenarioError(src, path, raw, "a non-empty array of launch times")
            if len(raw) > MAX_ARRAY:
                raise ScenarioError(src, path, len(raw), f"at most {MAX_ARRAY:,} entries")
            return tuple(check_float(t, f"{path}[{j}]", src, hi=spec.hi) for j, t in enumerate(raw))
        return (check_float(raw, path, src, hi=spec.hi),)
    if k == "ints":
        if not isinstance(raw, list):
            raise ScenarioError(src, path, raw, "an array of whole numbers")
        if len(raw) > MAX_ARRAY:
            raise ScenarioError(src, path, len(raw), f"at most {MAX_ARRAY:,} entries")
        lo = 0 if spec.lo is None else spec.lo
        return tuple(check_int(c, f"{path}[{j}]", src, lo, spec.hi) for j, c in enumerate(raw))
    if k == "table":
        return read_dataclass(spec.item, raw, path, ctx)
    if k == "tables":
        if not isinstance(raw, list) or not raw:
            raise ScenarioError(src, path, raw, f"a non-empty array of tables ([[{path}]])")
        return tuple(read_dataclass(spec.item, x, f"{path}[{j}]", ctx) for j, x in enumerate(raw))
    if k == "map":
        table = _table(raw, path, ctx, spec.doc)
        _known_names(spec, list(table), path, ctx, raw)
        return {str(name): read_dataclass(spec.item, entry, join(path, str(name)), ctx)
                for name, entry in table.items()}
    if k in ("shares", "counts"):
        table = _table(raw, path, ctx, spec.doc)
        _known_names(spec, list(table), path, ctx, raw, named=True)
        if k == "shares":
            out = {}
            for name, v in table.items():
                x = check_float(v, join(path, str(name)), src)
                if not 0.0 <= x <= 1.0:
                    raise ScenarioError(src, join(path, str(name)), x, "a share in [0, 1]")
                out[str(name)] = x
            return out
        lo = 0 if spec.lo is None else spec.lo
        return {str(name): check_int(v, join(path, str(name)), src, lo, spec.hi)
                for name, v in table.items()}
    if k == "names":
        if not isinstance(raw, list) or not raw:
            raise ScenarioError(src, path, raw, "a non-empty array of names")
        for j, name in enumerate(raw):
            if not isinstance(name, str):
                raise ScenarioError(src, f"{path}[{j}]", name, "a name (a string)")
            if name in raw[:j]:
                raise ScenarioError(src, f"{path}[{j}]", name,
                                    f"distinct names ({name!r} is listed twice)")
        _known_names(spec, raw, path, ctx, raw, named=False)
        return tuple(raw)
    if k == "bool":
        if not isinstance(raw, bool):
            raise ScenarioError(src, path, raw, "true or false")
        return raw
    raise AssertionError(f"kind {k} is read by its owner's hook")


def _known_names(spec: Spec, names: list[Any], path: str, ctx: Context, whole: Any,
                 named: bool = True) -> None:
    """Refuse a name not in the context list ``spec.keys_of``, with a did-you-mean.

    ``named``: the names are keys of a table (``path.name``), else items of an array
    (``path[j]``). An empty list whose :data:`NAME_LISTS` entry names a table to declare
    first refuses the whole value with that hint.
    """
    if not spec.keys_of:
        return
    known = getattr(ctx, spec.keys_of)
    what, declare = NAME_LISTS[spec.keys_of]
    if not known and declare and names:
        raise ScenarioError(ctx.source, path, whole, f"{what}: declare {declare} first")
    known_set = set(known)  # O(1) per entry
    for j, name in enumerate(names):
        if name not in known_set:
            near = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            where = join(path, str(name)) if named else f"{path}[{j}]"
            raise ScenarioError(ctx.source, where, name, f"{what} ({', '.join(known)}){hint}")


def read_dataclass(cls: type, raw: Any, path: str, ctx: Context) -> Any:
    """Read a table into ``cls``: every declared field by its spec, then ``cls._check``.

    A class may define ``_pattern(table, path, ctx)`` to choose which keys apply
    (``Launch``); ``custom`` fields are left at their default, for the owner to
    read once the object exists (``Scenario.from_dict`` reads ``[uncertainty]``);
    ``_after_field(name, value, path, ctx)`` to check a field as soon as it is
    read (names that later fields refer to), and ``_check(values, path, ctx)``
    for rules that relate several fields; it may change ``values`` in place.
    """
    table = _table(raw, path, ctx)
    pattern = cls._pattern(table, path, ctx) if hasattr(cls, "_pattern") else None
    _refuse_unknown(table, allowed_keys(cls, pattern), path, ctx)
    sections: dict[str, Mapping[str, Any]] = {}
    for f, s in specs(cls):
        if s.section and s.section in table and s.section not in sections:
            sub = _table(table[s.section], join(path, s.section), ctx)
            inside = [g.name for g, t in specs(cls) if t.section == s.section]
            _refuse_unknown(sub, inside, join(path, s.section), ctx)
            sections[s.section] = sub
    values: dict[str, Any] = {}
    for f, s in specs(cls):
        if s.when and pattern not in s.when:
            continue
        holder = sections.get(s.section, {}) if s.section else table
        key_path = join(join(path, s.section) if s.section else path, f.name)
        if s.kind == "custom":  # read by the owner once the object exists (from_dict)
            continue
        if f.name not in holder:
            if not has_default(f) or s.when:
                raise ScenarioError(ctx.source, key_path, None,
                                    s.doc if s.kind == "enum" else "this required key",
                                    missing=True)
            continue
        values[f.name] = read_value(s, holder[f.name], key_path, ctx)
        if hasattr(cls, "_after_field"):
            cls._after_field(f.name, values[f.name], key_path, ctx)
    if hasattr(cls, "_check"):
        cls._check(values, path, ctx)
    return cls(**values)


# --- writing -------------------------------------------------------------------

def to_toml(obj: Any, model_only: bool = False) -> dict[str, Any]:
    """The TOML-shaped mapping of a scenario dataclass; ``read_dataclass`` round-trips it.

    Fields whose value is None (unset optional fields), and fields declared
    ``omit_default`` at their default, are left out. With
    ``model_only``, so are display text (labels, descriptions, caveats: kind
    ``text``) and ``custom`` tables: what is left determines every number.
    """
    pattern = getattr(obj, "pattern", None)
    out: dict[str, Any] = {}
    for f, s in specs(type(obj)):
        if s.when and pattern not in s.when:
            continue
        if model_only and s.kind in ("text", "custom"):
            continue
        v = getattr(obj, f.name)
        if v is None or (s.kind in ("custom", "tables") and not v):
            continue  # unset, or an optional array of tables left empty ([[assets]])
        if s.omit_default and v == f.default:
            continue
        v = _plain(s, v, obj, model_only)
        if s.section:
            out.setdefault(s.section, {})[f.name] = v
        else:
            out[f.name] = v
    return out


def _plain(spec: Spec, v: Any, owner: Any, model_only: bool = False) -> Any:
    if spec.kind == "table":
        return to_toml(v, model_only)
    if spec.kind == "tables":
        return [to_toml(x, model_only) for x in v]
    if spec.kind == "map":
        return {k: to_toml(x, model_only) for k, x in v.items()}
    if spec.kind in ("shares", "counts"):
        return dict(v)
    if spec.kind == "times" and hasattr(owner, "_scalar_times") and owner._scalar_times():
        return v[0]
    if spec.kind == "custom" and hasattr(owner, "_write_custom"):
        return owner._write_custom(spec, v)
    if isinstance(v, tuple):
        return list(v)
    return v


# --- walking: sweepable keys -------------------------------------------------------

@dataclass(frozen=True)
class NumberAt:
    """One number of a scenario: its dotted key, TOML path, value and declaration."""

    key: str
    path: tuple[str | int, ...]
    value: float | int | None
    spec: Spec
    integer: bool


def quote_name(name: str) -> str:
    """A name as it appears in a dotted key: quoted when it holds a dot, a quote or
    outer spaces (``layers."U.S. Navy".fire_units``)."""
    if "." in name or '"' in name or name != name.strip():
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


def walk_numbers(obj: Any, key: str = "", path: tuple[str | int, ...] = ()) -> Iterator[NumberAt]:
    """Every sweepable number of ``obj`` (a scenario dataclass), unset optional ones included.

    Keys name array items by their ``name`` (``layers.upper.fire_units``) and
    array elements by index (``window_s.1``).
    """
    pattern = getattr(obj, "pattern", None)
    for f, s in specs(type(obj)):
        if s.when and pattern not in s.when:
            continue
        v = getattr(obj, f.name)
        k = join(key, join(s.section, f.name) if s.section else f.name)
        p = path + ((s.section,) if s.section else ()) + (f.name,)
        if s.kind == "table":
            yield from walk_numbers(v, k, p)
        elif s.kind == "tables":
            for j, item in enumerate(v):
                yield from walk_numbers(item, join(k, quote_name(item.name)), p + (j,))
        elif s.kind == "map":
            for name, item in v.items():
                yield from walk_numbers(item, join(k, quote_name(name)), p + (name,))
        elif s.kind == "shares":
            if s.sweepable:
                for name, x in (v or {}).items():  # only the entries the file lists
                    yield NumberAt(join(k, quote_name(name)), p + (name,), x, s, False)
        elif s.numeric and s.sweepable:
            integer = s.kind in ("int", "ints")
            scalar = hasattr(obj, "_scalar_times") and obj._scalar_times()
            if isinstance(v, tuple) and not scalar:
                for j, x in enumerate(v):
                    yield NumberAt(f"{k}.{j}", p + (j,), x, s, integer)
            else:
                yield NumberAt(k, p, v[0] if isinstance(v, tuple) else v, s, integer)


def spec_at(root: type, path: tuple[str | int, ...]) -> Spec | None:
    """The spec of the field that a TOML path (as in ``to_toml``) ends in, or None."""
    cls: Any = root
    i = 0
    while i < len(path):
        step = path[i]
        names = {(s.section, f.name): s for f, s in specs(cls)}
        if isinstance(step, str) and any(sec == step for sec, _ in names if sec):
            i += 1
            step = path[i] if i < len(path) else None
            s = next((t for (sec, n), t in names.items() if sec == path[i - 1] and n == step), None)
        else:
            s = names.get((None, step))
        if s is None:
            return None
        i += 1
        if s.kind in ("table",):
            cls = s.item
        elif s.kind in ("tables", "map"):
            cls = s.item
            i += 1  # the item's index or name
        else:
            return s if i >= len(path) - (1 if s.kind in ELEMENT_KINDS else 0) else None
    return None


def fields_off_default(obj: Any, prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """``(qualified field, key path, value)`` of every field of ``obj`` not at its default.

    The qualified field is ``Class.field`` (e.g. ``Layer.max_engagements``);
    required fields count as off their default. Nested tables are followed.
    """
    for f, s in specs(type(obj)):
        v = getattr(obj, f.name)
        where = join(prefix, f.name)
        if s.kind == "table":
            yield from fields_off_default(v, where)
        elif s.kind == "tables":
            for j, item in enumerate(v):
                yield from fields_off_default(item, f"{where}[{j}]")
        elif s.kind == "map":
            for name, item in v.items():
                yield from fields_off_default(item, join(where, name))
        elif not has_default(f) or v != f.default:
            yield f"{type(obj).__name__}.{f.name}", where, v

