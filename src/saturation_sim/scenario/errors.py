"""The one exception type for bad scenario input."""

from __future__ import annotations

import unicodedata
from typing import Any


def printable(text: str) -> str:
    """``text`` with control characters escaped, so a message stays on one line and
    cannot drive the terminal (``\\n``, ``\\x1b``)."""
    if all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def toml_repr(value: Any) -> str:
    """A value as a TOML file would spell it (true, "text", [1, 2], nan)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**30:
        # repr() of a huge integer can exceed Python's int-to-string limit
        return f"{'-' if value < 0 else ''}an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_repr(v)}" for k, v in value.items()) + " }"
    return repr(value)


class ScenarioError(ValueError):
    """A scenario file or mapping breaks the schema.

    ``str(err)`` is one line naming the file, the key path, the value and what
    was expected, e.g. ``x.toml: layers[1].engage.HGV.sspk = 1.5: expected a
    probability in [0, 1]``. The parts are kept as attributes for programs.
    With ``plain``, the message names the path but shows no value (there is
    none to show, e.g. a key written twice).
    """

    def __init__(self, source: str, path: str, value: Any, expected: str, *,
                 missing: bool = False, unknown: bool = False, syntax: bool = False,
                 plain: bool = False):
        self.source, self.path, self.value, self.expected = source, path, value, expected
        if syntax or not path:
            msg = f"{source}: expected {expected}"
        elif missing:
            msg = f"{source}: {path} is missing: expected {expected}"
        elif unknown:
            msg = f"{source}: {path} is not a scenario key: expected {expected}"
        elif plain:
            msg = f"{source}: {path}: expected {expected}"
        else:
            shown = toml_repr(value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            msg = f"{source}: {path} = {shown}: expected {expected}"
        super().__init__(printable(msg))
