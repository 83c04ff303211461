"""The provenance footer: what a figure was computed from, so a slide can be traced.

Scenario name, trials per point, seed, package version, the date the figure
was drawn and a short hash of the scenario as run. The hash covers the
scenario's content only (not its ``[simulation]`` settings, which the footer
states anyway), so two figures with the same hash come from the same raid and
defence.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Any

from .data import SweepData
from .i18n import Messages
from .names import scenario_name
from .style import text_width

#: Hex digits of the scenario hash shown (32 bits: enough to tell scenarios apart by eye).
HASH_DIGITS = 8
#: Most half-width cells of the scenario's name in the footer (the title gives it whole).
NAME_CHARS = 56


def scenario_hash(scenario: dict[str, Any]) -> str:
    """Short SHA-256 of the scenario mapping's canonical JSON, ``[simulation]`` left out."""
    content = {k: v for k, v in scenario.items() if k != "simulation"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def trials_text(data: SweepData, msg: Messages) -> str:
    """``20,000``, or ``10,000–50,000`` when points ran to a CI target."""
    lo, hi = data.trials_range
    return msg.number(lo) if lo == hi else f"{msg.number(lo)}–{msg.number(hi)}"


def footer(data: SweepData, msg: Messages, date: _dt.date | str | None = None) -> str:
    """The footer line of every figure drawn from ``data``.

    Parameters
    ----------
    date
        The date to print (default: today), so tests and reruns can fix it.
    """
    if date is None:
        date = _dt.date.today()
    # Short enough that the footer fits one line beside nothing else, in CJK too.
    full = scenario_name(data.scenario, msg)
    name = full
    while text_width(name) > NAME_CHARS:  # CJK characters count two
        name = name[:-2] + "…"
    return msg("footer", scenario=name, trials=trials_text(data, msg), seed=data.seed,
               version=data.version, date=str(date),
               hash=scenario_hash(data.doc["scenario"]))
