"""Read scenario files (TOML) into validated :class:`Scenario` objects.

Validation itself is derived from the field table in :mod:`.schema` (see
:mod:`.fields`); this module only reads the file. Every problem raises
:class:`ScenarioError` with one line that names the file, the key path
(``layers[1].engage.HGV.sspk``), the offending value and what was expected.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Mapping

from .errors import ScenarioError
from .schema import MAX_MISSILES, Scenario

#: Largest scenario file, characters: far above any real scenario (a raid of
#: MAX_MISSILES missiles in waves fits), and a bound on the work of loading.
MAX_FILE_CHARS = 20_000_000

__all__ = ["MAX_MISSILES", "as_scenario", "load_scenario", "scenario_from_dict"]


def scenario_from_dict(data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
    """Validate a TOML-shaped mapping into a :class:`Scenario` (see ``Scenario.from_dict``)."""
    return Scenario.from_dict(data, source)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        A TOML file laid out as in ``docs/scenario-format.md``.

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
    if len(text) > MAX_FILE_CHARS:
        raise ScenarioError(source, "", None, f"a scenario file of at most {MAX_FILE_CHARS:,} "
                            f"characters (this one has {len(text):,})")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", None, f"valid TOML: {exc}", syntax=True) from None
    except RecursionError:
        raise ScenarioError(source, "", None, "TOML nested less deeply (arrays or tables "
                            "nested hundreds of levels deep)", syntax=True) from None
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        raise ScenarioError(source, "", None, f"valid TOML: {exc}", syntax=True) from None
    return scenario_from_dict(data, source)


def as_scenario(scenario: Scenario | str | Path | Mapping[str, Any]) -> Scenario:
    """A :class:`Scenario` from a scenario, the path of a scenario file, or a TOML-shaped dict.

    Every public entry point (``simulate``, ``exact``, ``sweep``, ``solve``,
    ``uncertainty``) accepts any of the three through this one function.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        return Scenario.from_dict(scenario)
    if isinstance(scenario, (str, Path)) or hasattr(scenario, "__fspath__"):
        return load_scenario(scenario)
    raise TypeError(f"expected a Scenario, a path or a dict, got {type(scenario).__name__}")
