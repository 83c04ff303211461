"""Shared constants, helpers and fixtures for the test suite.

Test modules import shared things from here (``from conftest import ...``) and never
from one another. Tests marked ``slow`` (see pyproject.toml) are left out of the fast
loop ``python -m pytest -q -m "not slow"``; the plain ``python -m pytest -q`` runs all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from saturation_sim import Scenario
from saturation_sim.scenario.errors import toml_repr

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
TEST_CONFIGS = Path(__file__).resolve().parent / "configs"

#: k for k-sigma checks of a single estimate: a correct engine fails such a
#: check by chance with probability about 6.3e-5 (1 in 16,000), two-sided normal.
K_SIGMA = 4.0

#: Keys of a result's JSON that describe the machine or the moment, not the result.
VOLATILE = {"elapsed_s", "threads", "version"}


def scenario(threats: list[dict], layers: list[dict], **top) -> Scenario:
    """Build a Scenario from short dicts (tests only)."""
    return Scenario.from_dict({"name": top.pop("name", "test"), "threats": threats,
                               "layers": layers, **top})


def scenario_toml(d: dict) -> str:
    """TOML text of a scenario mapping (a test's dict or ``Scenario.to_dict()``), for tests
    that go through a file or the command line."""
    def key(k: str) -> str:
        return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else val(k)

    def val(v) -> str:
        if isinstance(v, str):  # JSON's escapes are TOML's (a description may span lines)
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(val(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{key(k)} = {val(x)}" for k, x in v.items()) + " }"
        return toml_repr(v)  # true/false, numbers, nan, inf

    def tables(v) -> bool:
        return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)

    def body(table: dict) -> list[str]:
        return [f"{key(k)} = {val(v)}" for k, v in table.items()]

    lines = body({k: v for k, v in d.items() if not (isinstance(v, dict) or tables(v))})
    for k, v in d.items():
        if isinstance(v, dict):
            lines += [f"[{key(k)}]", *body(v)]
        elif tables(v):
            for item in v:
                lines += [f"[[{key(k)}]]", *body(item)]
    return "\n".join(lines) + "\n"


#: Engine paths compared with the reference model trial by trial: the driver's
#: choice, the general event loop everywhere, and the in-order pass asked for
#: everywhere (the kernel must then detect, trial by trial, where it does not
#: apply, and fall back).
PATH_MODES = ("chosen", "general", "in_order")


def forced_paths(compiled, mode: str):
    """The kernel paths, one per layer as an int64 array, of one of PATH_MODES."""
    import numpy as np

    from saturation_sim.engine import _kernel
    from saturation_sim.engine.driver import choose_paths

    if mode == "chosen":
        return choose_paths(compiled)
    path = _kernel.PATH_GENERAL if mode == "general" else _kernel.PATH_IN_ORDER
    return np.full(compiled.layer_units.shape[0], path, np.int64)


def point_files(out: Path) -> list[Path]:
    """The finished point files of a sweep (or uncertainty run) directory ``out``.
    Not ``*.json``: that also matches the hidden temporary file of a point being
    written (``.000002.json.<random>.tmp.json``)."""
    return sorted((out / "points").glob("[0-9]*.json"))


def stable(points):
    """Sweep point payloads without timing, for equality between runs."""
    return [{**p, "result": {k: v for k, v in p["result"].items() if k not in VOLATILE}}
            for p in points]


#: Two layers, three threat groups (one of decoys) with all three launch patterns,
#: counterstrike, shoot-look-shoot, imperfect sensors and availability: a scenario
#: that exercises most rules at once.
MIXED = scenario(
    threats=[
        {"name": "BM", "count": 30, "launch": {"pattern": "uniform", "start_s": 0, "span_s": 40},
         "cost": 5.0},
        {"name": "DEC", "count": 10, "kind": "decoy",
         "launch": {"pattern": "waves", "at_s": [0.0, 15.0], "count": [6, 4]}, "prelaunch_kill": 0.2},
        {"name": "HGV", "count": 8, "launch": {"pattern": "simultaneous", "at_s": 5.0}},
    ],
    layers=[
        {"name": "upper", "fire_units": 2, "channels_per_unit": 3, "interceptors_per_unit": 10,
         "shots_per_engagement": 1, "max_engagements": 2, "flyout_s": 8.0, "reliability": 0.9,
         "detection": 0.95, "discrimination": 0.5, "availability": 0.8, "interceptor_cost": 2.0,
         "engage": {"BM": {"sspk": 0.6, "window_s": [0, 30]}, "DEC": {"sspk": 0.9, "window_s": [0, 30]}}},
        {"name": "lower", "fire_units": 3, "channels_per_unit": 2, "interceptors_per_unit": 8,
         "shots_per_engagement": 2, "flyout_s": 5.0,
         "engage": {"BM": {"sspk": 0.5, "window_s": [20, 40]}, "HGV": {"sspk": 0.3, "window_s": [10, 15]},
                    "DEC": {"sspk": 0.5, "window_s": [20, 40]}}},
    ],
    counterstrike={"prelaunch_kill": 0.1},
)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def cli():
    """The command line's entry point, ``main(argv) -> exit status``."""
    from saturation_sim.cli.main import main

    return main


@pytest.fixture(scope="module")
def dask_cluster():
    """One Dask LocalCluster of 2 worker processes per test module (starting one costs
    about a second, more under load), closed when the module's tests are done."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster
