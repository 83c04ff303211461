"""Sweeps on a real Dask LocalCluster of 2 worker processes equal the local executor's.

Slow (worker processes start and import the package): the whole module is marked
``slow``. Besides the ``local:N`` path, which starts its own cluster by design, the
module shares one cluster (the ``dask_cluster`` fixture of conftest.py).
"""

from __future__ import annotations

import pytest

from conftest import TEST_CONFIGS, stable
from saturation_sim.sweep import SweepError, sweep

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

CASE1 = TEST_CONFIGS / "case1_saturated.toml"
VARY = ["raid_ratio=0.5:3:0.5", "layers.upper.engage.BM.sspk=0.6,0.8"]  # 12 points
TRIALS = 3000


@pytest.fixture(scope="module")
def local_result():
    return sweep(CASE1, VARY, None, trials=TRIALS, seed=11, progress=False)


def test_local_n_cluster_equals_local_executor(tmp_path, local_result):
    out = tmp_path / "dask"
    res = sweep(CASE1, VARY, out, trials=TRIALS, seed=11, scheduler="local:2", progress=False)
    assert res.computed == 12
    assert stable(res.points) == stable(local_result.points)
    assert (out / "results.csv").read_text().count("\n") == 13


def test_scheduler_address_equals_local_executor_and_resumes(tmp_path, local_result,
                                                             dask_cluster):
    out = tmp_path / "dask"
    first = sweep(CASE1, VARY[:1], out, trials=TRIALS, seed=11,
                  scheduler=dask_cluster.scheduler_address, progress=False)
    assert first.computed == 6
    # a different sweep in the same directory is refused before contacting anyone
    with pytest.raises(SweepError, match="different sweep"):
        sweep(CASE1, VARY, out, trials=TRIALS, seed=11,
              scheduler=dask_cluster.scheduler_address)
    res = sweep(CASE1, VARY, tmp_path / "all", trials=TRIALS, seed=11,
                scheduler=dask_cluster.scheduler_address, progress=False)
    assert stable(res.points) == stable(local_result.points)


def test_unreachable_scheduler_is_one_clear_error(tmp_path, monkeypatch):
    from saturation_sim.sweep import dask_exec

    monkeypatch.setattr(dask_exec, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(SweepError, match="cannot reach a Dask scheduler"):
        sweep(CASE1, ["raid_ratio=1"], tmp_path / "x", trials=10,
              scheduler="tcp://127.0.0.1:9", progress=False)
