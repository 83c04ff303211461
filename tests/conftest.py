"""Shared fixtures and paths for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from saturation_sim import Scenario

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
TEST_CONFIGS = Path(__file__).resolve().parent / "configs"

#: k for k-sigma checks of a single estimate: a correct engine fails such a
#: check by chance with probability about 6.3e-5 (1 in 16,000), two-sided normal.
K_SIGMA = 4.0


def scenario(threats: list[dict], layers: list[dict], **top) -> Scenario:
    """Build a Scenario from short dicts (tests only)."""
    return Scenario.from_dict({"name": top.pop("name", "test"), "threats": threats,
                               "layers": layers, **top})


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
