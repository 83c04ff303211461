"""Sweeps on a real Dask cluster, or any concurrent.futures executor, equal the local ones.

Slow (worker processes start and import the package): the whole module is marked
``slow``. One LocalCluster of 2 worker processes (the ``dask_cluster`` fixture of
conftest.py) serves the module.
"""

from __future__ import annotations

import concurrent.futures

import pytest

from conftest import TEST_CONFIGS, point_files, stable
from saturation_sim.cli.main import main
from saturation_sim.sweep import SweepError, sweep

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

CASE1 = TEST_CONFIGS / "case1_saturated.toml"
VARY = ["raid_ratio=0.5:3:0.5", "layers.upper.engage.BM.sspk=0.6,0.8"]  # 12 points
TRIALS = 3000


@pytest.fixture(scope="module")
def local_result():
    return sweep(CASE1, VARY, None, trials=TRIALS, seed=11, progress=False)


def test_client_equals_local_executor_and_resumes(tmp_path, local_result, dask_cluster):
    out = tmp_path / "dask"
    with distributed.Client(dask_cluster) as client:
        first = sweep(CASE1, VARY[:1], out, trials=TRIALS, seed=11, executor=client,
                      threads=1, progress=False)
        assert first.computed == 6
        # a different sweep in the same directory is refused before any work
        with pytest.raises(SweepError, match="different sweep"):
            sweep(CASE1, VARY, out, trials=TRIALS, seed=11, executor=client)
        res = sweep(CASE1, VARY, tmp_path / "all", trials=TRIALS, seed=11, executor=client,
                    threads=1, progress=False)
    assert stable(res.points) == stable(local_result.points)
    assert (tmp_path / "all" / "results.csv").read_text().count("\n") == 13


def test_cli_scheduler_address_equals_local(tmp_path, local_result, dask_cluster):
    out = tmp_path / "cli"
    assert main(["sweep", str(CASE1), *sum((["--vary", v] for v in VARY), []), "--trials",
                 str(TRIALS), "--seed", "11", "--out", str(out), "--scheduler",
                 dask_cluster.scheduler_address, "--threads", "1", "--quiet"]) == 0
    res = sweep(CASE1, VARY, out, trials=TRIALS, seed=11, progress=False)
    assert res.reused == 12 and stable(res.points) == stable(local_result.points)


def test_thread_pool_executor_equals_local(local_result):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        res = sweep(CASE1, VARY, None, trials=TRIALS, seed=11, executor=pool, progress=False)
    assert stable(res.points) == stable(local_result.points)


def test_unreachable_scheduler_is_one_clear_error(tmp_path, monkeypatch, capsys):
    from saturation_sim.sweep import dask_exec

    monkeypatch.setattr(dask_exec, "CONNECT_TIMEOUT_S", 1)
    assert main(["sweep", str(CASE1), "--vary", "raid_ratio=1", "--trials", "10", "--out",
                 str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    assert "cannot reach a Dask scheduler" in capsys.readouterr().err


def test_other_executors_are_refused(tmp_path):
    with pytest.raises(SweepError, match="concurrent.futures.Executor"):
        sweep(CASE1, ["raid_ratio=1"], None, trials=10, executor=object(), progress=False)


def test_no_worker_left_stops_with_a_clear_message_and_keeps_points(tmp_path, monkeypatch):
    from saturation_sim.sweep import dask_exec

    monkeypatch.setattr(dask_exec, "NO_WORKER_TIMEOUT_S", 2.0)
    monkeypatch.setattr(dask_exec, "POLL_S", 0.5)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        with pytest.raises(SweepError, match="no Dask worker has been connected"):
            sweep(CASE1, ["raid_ratio=1,2"], tmp_path / "s", trials=10, executor=client,
                  progress=False)
    assert (tmp_path / "s" / "sweep-id.json").exists()  # a rerun resumes here


def test_lost_scheduler_is_one_line_and_a_rerun_resumes(tmp_path, monkeypatch, dask_cluster,
                                                         local_result, capsys):
    """The scheduler's connection breaks after the first point: exit 2, one line; the
    point already finished is kept and a rerun computes only the rest."""

    real_wait = distributed.wait
    calls = []

    def wait(*a, **k):
        calls.append(1)
        if len(calls) > 1:
            raise distributed.comm.CommClosedError("scheduler went away")
        done, rest = real_wait(*a, **k)
        return set(list(done)[:1]), rest

    monkeypatch.setattr(distributed, "wait", wait)
    out = tmp_path / "s"
    argv = ["sweep", str(CASE1), *sum((["--vary", v] for v in VARY), []), "--trials",
            str(TRIALS), "--seed", "11", "--out", str(out), "--threads", "1", "--quiet"]
    assert main([*argv, "--scheduler", dask_cluster.scheduler_address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lost the Dask scheduler" in err
    kept = len(point_files(out))
    assert kept >= 1
    monkeypatch.setattr(distributed, "wait", real_wait)
    res = sweep(CASE1, VARY, out, trials=TRIALS, seed=11, progress=False)
    assert res.reused == kept and stable(res.points) == stable(local_result.points)
