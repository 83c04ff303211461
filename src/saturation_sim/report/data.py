"""A finished sweep as the figures need it: read from ``sweep.json``, never recomputed.

``sweep.json`` holds the scenario as run, the swept keys and values, the trial
settings and every point's full JSON result (interface.md). The figures take
their numbers from there, so what is plotted is what the sweep wrote. Each
point's scenario is rebuilt with the sweep room's own rule, for quantities the
result does not carry (warheads planned, magazine sizes).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..engine.result import Z95, wilson_interval
from ..scenario import Scenario
from ..sweep import RAID_RATIO, SweepResult, build_axes, build_points
from .errors import ReportError

#: Two-sided normal quantile for two intervals that must hold together at 95%.
Z_BONFERRONI = 2.241402727604947


@dataclass
class SweepData:
    """One sweep's document, its base scenario and each point's scenario.

    Attributes
    ----------
    doc : dict
        The content of ``sweep.json``.
    scenario : Scenario
        The base scenario, as run.
    keys : list of str
        The swept keys, outermost first.
    points : list of dict
        Per point: ``index``, ``values``, ``trials`` and ``result`` (the JSON result).
    point_scenarios : list of Scenario
        The scenario of each point, in the same order.
    """

    doc: dict[str, Any]
    scenario: Scenario
    keys: list[str]
    points: list[dict[str, Any]]
    point_scenarios: list[Scenario]
    path: Path | None = None

    @classmethod
    def from_document(cls, doc: Any, path: Path | None = None) -> "SweepData":
        """Build from the ``sweep.json`` mapping (or ``SweepResult.to_dict()``).

        Raises
        ------
        ReportError
            In words, for anything that is not a whole sweep document: another
            kind of JSON, a missing or mistyped field, an unfinished grid.
        """
        where = str(path) if path is not None else "the sweep"
        _check_document(doc, where)
        try:
            scenario = Scenario.from_dict(doc["scenario"], source=doc.get("source", where))
            keys = list(doc["keys"])
            axes = build_axes(scenario, {k: doc["values"][k] for k in keys})
            point_scenarios = [p.scenario for p in build_points(scenario, axes)]
            points = sorted(doc["points"], key=lambda p: p["index"])
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # ScenarioError too
            raise ReportError(f"{where}: not a sweep.json that this version can read "
                              f"({type(exc).__name__}: {exc})") from None
        if len(points) != len(point_scenarios):
            raise ReportError(f"{where}: {len(points)} points for a grid of "
                              f"{len(point_scenarios)}; is the sweep finished?")
        layers = [lay.name for lay in scenario.layers]
        for i, point in enumerate(points):
            _check_point(point, i, keys, layers, where)
        return cls(doc, scenario, keys, points, point_scenarios, path)

    # --- provenance ------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def seed(self) -> int:
        return int(self.doc["seed"])

    @property
    def version(self) -> str:
        return str(self.doc.get("version", "?"))

    @property
    def trials_range(self) -> tuple[int, int]:
        """Fewest and most trials of any point (equal unless a CI target was set)."""
        t = [int(p["trials"]) for p in self.points]
        return min(t), max(t)

    @property
    def shape(self) -> tuple[int, ...]:
        """Values per key: the grid's shape, points in row-major order."""
        return tuple(len(self.doc["values"][k]) for k in self.keys)

    def values(self, key: str) -> list[float]:
        return list(self.doc["values"][key])

    # --- columns, one entry per point ------------------------------------------
    def column(self, get: Callable[[dict[str, Any]], Any]) -> np.ndarray:
        """``get(result)`` for every point, as float64 (None becomes NaN)."""
        return np.array([np.nan if (v := get(p["result"])) is None else v
                         for p in self.points], dtype=np.float64)

    def x(self, key: str) -> np.ndarray:
        """Each point's value of ``key``; for raid_ratio the ratio as run (after rounding)."""
        if key == RAID_RATIO:
            return self.column(lambda r: r["raid_ratio"])
        return np.array([p["values"][key] for p in self.points], dtype=np.float64)

    @property
    def trials(self) -> np.ndarray:
        return np.array([p["trials"] for p in self.points], dtype=np.float64)

    def leakers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean leakers and its 95% CI, per point."""
        return (self.column(lambda r: r["leakers"]["mean"]),
                self.column(lambda r: r["leakers"]["ci95"][0]),
                self.column(lambda r: r["leakers"]["ci95"][1]))

    def warheads(self) -> np.ndarray:
        """Warheads planned at each point (before counterstrike; for a campaign, the most
        its days can fire, Scenario.max_leakers)."""
        return np.array([s.max_leakers for s in self.point_scenarios], dtype=np.float64)

    def p_any(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """P(any leak) and its Wilson 95% interval, per point."""
        return (self.column(lambda r: r["p_any_leak"]),
                self.column(lambda r: r["p_any_leak_ci95"][0]),
                self.column(lambda r: r["p_any_leak_ci95"][1]))

    def p_at_least(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """P(leakers >= k) and its Wilson 95% interval, per point."""
        def get(r: dict[str, Any]) -> float:
            tail = r["leakers"]["p_at_least"]
            return tail[k] if k < len(tail) else 0.0
        p = self.column(get)
        return (p, *_wilson(p, self.trials))

    def layer(self, name: str, field: str) -> np.ndarray:
        return self.column(lambda r: r["by_layer"][name][field])

    def p_empty(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """P(magazine empty) of a layer and its Wilson 95% interval."""
        p = self.layer(name, "p_magazine_empty")
        return (p, *_wilson(p, self.trials))

    def interceptors(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean interceptors a layer fires and its 95% interval (from the sum of squares)."""
        m = self.layer(name, "interceptors_mean")
        lo = self.column(lambda r: r["by_layer"][name]["interceptors_ci95"][0])
        hi = self.column(lambda r: r["by_layer"][name]["interceptors_ci95"][1])
        return m, np.clip(lo, 0.0, None), hi

    def cost(self) -> dict[str, np.ndarray] | None:
        """Defender and attacker cost and their ratio, with 95% intervals.

        None when no point has both costs. Each mean's interval comes from its
        sum of squares; the ratio's interval divides the ends of the two costs'
        intervals widened to 97.5% each, so that both hold together with
        probability at least 95% (Bonferroni).
        """
        d = self.column(lambda r: r["cost"]["defender_mean"])
        a = self.column(lambda r: r["cost"]["attacker_mean"])
        if np.all(np.isnan(d)) or np.all(np.isnan(a)):
            return None
        out = {"defender": d, "attacker": a}
        wide = {}
        for who, m in (("defender", d), ("attacker", a)):
            lo = self.column(lambda r, w=who: (r["cost"][f"{w}_ci95"] or [None, None])[0])
            hi = self.column(lambda r, w=who: (r["cost"][f"{w}_ci95"] or [None, None])[1])
            out[f"{who}_lo"], out[f"{who}_hi"] = np.clip(lo, 0.0, None), hi
            half = (hi - lo) / 2 * (Z_BONFERRONI / Z95)  # the same standard error, wider z
            wide[who] = (np.clip(m - half, 0.0, None), m + half)
        (d_lo, d_hi), (a_lo, a_hi) = wide["defender"], wide["attacker"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["ratio"] = d / a
            out["ratio_lo"] = d_lo / a_hi
            out["ratio_hi"] = np.where(a_lo > 0, d_hi / a_lo, np.inf)
        return out


    def by_asset(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
        """Per defended asset, mean leakers there and its 95% interval, per point; None
        for a scenario without ``[[assets]]``."""
        if not self.points or "by_asset" not in self.points[0]["result"]:
            return None
        out = {}
        for a in self.scenario.assets:
            out[a.name] = (
                self.column(lambda r, n=a.name: r["by_asset"][n]["leakers_mean"]),
                self.column(lambda r, n=a.name: r["by_asset"][n]["leakers_ci95"][0]),
                self.column(lambda r, n=a.name: r["by_asset"][n]["leakers_ci95"][1]))
        return out

    def damage(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Value-weighted damage and its 95% interval, per point; None without assets."""
        if not self.points or "damage" not in self.points[0]["result"]:
            return None
        return (self.column(lambda r: r["damage"]["value_weighted_mean"]),
                self.column(lambda r: r["damage"]["value_weighted_ci95"][0]),
                self.column(lambda r: r["damage"]["value_weighted_ci95"][1]))


def _wilson(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # p * n is a whole count of trials in the result; rounding undoes float noise.
    pairs = [wilson_interval(int(round(pi * ni)), int(ni)) for pi, ni in zip(p, n)]
    return np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])


#: Fields of a point's result that the figures read, and what each must be:
#: ``count`` a finite number >= 0, ``prob`` one in [0, 1], ``pair`` a list of two
#: finite numbers, ``probs`` a list of probabilities, ``object``; ``?`` allows null.
_RESULT_FIELDS: dict[tuple[str, ...], str] = {
    ("raid_ratio",): "count?", ("raid_size",): "count",
    ("leakers", "mean"): "count", ("leakers", "ci95"): "pair",
    ("leakers", "p_at_least"): "probs",
    ("p_any_leak",): "prob", ("p_any_leak_ci95",): "pair",
    ("by_layer",): "object", ("cost",): "object",
    ("cost", "defender_mean"): "count?", ("cost", "attacker_mean"): "count?",
    ("cost", "defender_ci95"): "pair?", ("cost", "attacker_ci95"): "pair?",
}
_LAYER_FIELDS: dict[str, str] = {
    "interceptors_mean": "count", "interceptors_ci95": "pair",
    "engagements_mean": "count", "p_magazine_empty": "prob",
}
_EXPECTED = {"count": "a finite number >= 0", "prob": "a probability in [0, 1]",
             "pair": "a list of two finite numbers", "probs": "a list of probabilities",
             "object": "an object"}
_MISSING = object()


def _type_name(v: Any) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return repr(v)
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(v), type(v).__name__)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _fits(v: Any, kind: str) -> bool:
    """``v`` is what ``kind`` (a value of :data:`_RESULT_FIELDS`) asks for."""
    if kind.endswith("?"):
        return v is None or _fits(v, kind[:-1])
    if kind == "count":
        return _number(v) and v >= 0
    if kind == "prob":
        return _number(v) and 0.0 <= v <= 1.0
    if kind == "pair":
        return isinstance(v, list) and len(v) == 2 and all(map(_number, v))
    if kind == "probs":
        return isinstance(v, list) and all(_fits(e, "prob") for e in v)
    return isinstance(v, dict)


def _expected(kind: str) -> str:
    return _EXPECTED[kind.rstrip("?")] + (" or null" if kind.endswith("?") else "")


def _check_document(doc: Any, where: str) -> None:
    """Refuse, in words, a JSON document that is not a sweep's."""
    if not isinstance(doc, dict):
        raise ReportError(f"{where}: not a sweep document (the JSON is {_type_name(doc)}, "
                          "expected an object with scenario, keys, values and points)")
    if "scenario" not in doc or "points" not in doc or "keys" not in doc:
        other = next((what for field, what in (("samples", "an uncertainty run"),
                                               ("method", "a sensitivity or solve run"),
                                               ("leakers", "a single run (run --json)"))
                      if field in doc), None)
        missing = [f for f in ("scenario", "keys", "values", "points") if f not in doc]
        raise ReportError(f"{where}: not a sweep document"
                          + (f" but {other}" if other else "")
                          + f" (no {', '.join(missing)}); give the --out directory of "
                          "'saturation-sim sweep'")
    for field, kind in (("scenario", dict), ("keys", list), ("values", dict),
                        ("points", list)):
        if not isinstance(doc.get(field), kind):
            raise ReportError(f"{where}: malformed sweep.json: '{field}' is "
                              f"{_type_name(doc.get(field))}, expected "
                              f"{'an object' if kind is dict else 'a list'}")
    if not all(isinstance(k, str) and k in doc["values"] for k in doc["keys"]):
        raise ReportError(f"{where}: malformed sweep.json: every swept key needs its values")
    if "seed" in doc and (isinstance(doc["seed"], bool) or not isinstance(doc["seed"], int)):
        raise ReportError(f"{where}: malformed sweep.json: 'seed' is {doc['seed']!r}, "
                          "expected a whole number")


def _check_point(point: Any, i: int, keys: list[str], layers: list[str], where: str) -> None:
    """Refuse, in words, a point whose result lacks what the figures read."""
    def bad(path: str, v: Any, expected: str) -> ReportError:
        return ReportError(f"{where}: malformed sweep.json: points[{i}].{path} is "
                           f"{_type_name(v)}, expected {expected}")

    if not isinstance(point, dict):
        raise ReportError(f"{where}: malformed sweep.json: points[{i}] is {_type_name(point)}, "
                          "expected an object")
    for field, kind in (("values", dict), ("result", dict)):
        if not isinstance(point.get(field), kind):
            raise bad(field, point.get(field), "an object")
    t = point.get("trials")
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 2**53:
        raise bad("trials", t, "a whole number from 1 to 2**53")
    for k in keys:
        v = point["values"].get(k)
        if not _number(v):
            raise bad(f"values.{k}", v, "a finite number")
    result = point["result"]
    for path, kind in _RESULT_FIELDS.items():
        v: Any = result
        for part in path:
            v = v.get(part, _MISSING) if isinstance(v, dict) else _MISSING
        if v is _MISSING:
            raise ReportError(f"{where}: malformed sweep.json: points[{i}].result."
                              f"{'.'.join(path)} is missing")
        if not _fits(v, kind):
            raise bad("result." + ".".join(path), v, _expected(kind))
    if RAID_RATIO in keys and not _fits(result["raid_ratio"], "count"):
        raise bad("result.raid_ratio", result["raid_ratio"], "a finite number >= 0 (raid_ratio "
                  "is swept)")
    for name in layers:
        block = result["by_layer"].get(name)
        if not isinstance(block, dict):
            raise bad(f"result.by_layer.{name}", block, "an object")
        for field, kind in _LAYER_FIELDS.items():
            v = block.get(field, _MISSING)
            if v is _MISSING:
                raise ReportError(f"{where}: malformed sweep.json: points[{i}].result.by_layer."
                                  f"{name}.{field} is missing")
            if not _fits(v, kind):
                raise bad(f"result.by_layer.{name}.{field}", v, _expected(kind))


def load_sweep(path: str | Path) -> SweepData:
    """Read a sweep directory (or its ``sweep.json``).

    Raises
    ------
    ReportError
        In words, when there is no readable sweep document: a directory without
        sweep.json (an unfinished sweep, an uncertainty run), a file that is not
        JSON or not a sweep's.
    """
    p = Path(path)
    f = p / "sweep.json" if p.is_dir() else p
    if not f.is_file():
        if (p / "points").is_dir():
            hint = (" (the sweep has not finished: rerun the same 'saturation-sim sweep' to "
                    "complete it)")
        elif (p / "uncertainty.json").is_file() or (p / "sensitivity.json").is_file():
            hint = (" (it holds an uncertainty or sensitivity run: draw it with "
                    "saturation_sim.plot.fan or .tornado, or the command's --figures)")
        else:
            hint = ""
        what = "no sweep.json here" if p.is_dir() or not p.exists() else "not a sweep"
        if not p.exists():
            what = "no such file or directory"
        raise ReportError(f"{p}: {what}{hint}; give the --out directory of "
                          "'saturation-sim sweep'")
    try:
        text = f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ReportError(f"{f}: cannot read it ({reason})") from None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise ReportError(f"{f}: not a sweep.json (the file is not JSON); give the --out "
                          "directory of 'saturation-sim sweep'") from None
    return SweepData.from_document(doc, f.parent)


def as_sweep_data(result: Any) -> SweepData:
    """A sweep as the figures need it, from a ``SweepResult`` (in memory), a sweep
    directory or its sweep.json, a ``sweep.json`` mapping, or a ``SweepData``.

    Raises
    ------
    ReportError
        In words, for anything else or for an unusable sweep document.
    """
    if isinstance(result, SweepData):
        return result
    if isinstance(result, SweepResult):
        return SweepData.from_document(result.to_dict(), result.out)
    if isinstance(result, dict):
        return SweepData.from_document(result)
    if isinstance(result, (str, Path)) or hasattr(result, "__fspath__"):
        return load_sweep(result)
    raise ReportError(f"expected a SweepResult, a sweep directory or a sweep.json mapping, "
                      f"got {type(result).__name__}")


def nice_ks(max_mean: float, most: int = 3) -> list[int]:
    """Thresholds k for P(at least k) curves: 1, then up to ``most`` round numbers.

    The round numbers (2, 5, 10, 20, 50, ...) are the largest that stay below
    the highest mean number of leakers on the curve, so each curve rises
    inside the plot.
    """
    if not math.isfinite(max_mean) or max_mean < 2:
        return [1]
    nice = [m * 10 ** e for e in range(0, 7) for m in (2, 5, 10)]
    below = sorted({k for k in nice if k <= max_mean})
    return [1] + below[-most:]
