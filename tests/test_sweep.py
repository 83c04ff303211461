"""Sweeps: the raid_ratio curve of validation case 1, outputs, resume, precision, CLI."""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import CONFIGS, K_SIGMA, TEST_CONFIGS, point_files, stable
from saturation_sim import load_scenario, simulate
from saturation_sim.sweep import SweepError, parse_key, point_scenario, sweep
from saturation_sim.sweep import run as sweep_run

CASE1 = TEST_CONFIGS / "case1_saturated.toml"
REF = CONFIGS / "reference_3x.toml"


def test_raid_ratio_sweep_follows_closed_form_for_case1(tmp_path):
    """validation.md: leakers = max(N - C, 0) + min(N, C) q^n at every point of the curve.

    C = 16, q = 0.3, n = 2. Each point is checked to K_SIGMA = 4 binomial standard
    errors: a correct engine fails one point by chance with probability ~6.3e-5,
    so this 16-point test fails by chance about once in 1,000 runs.
    """
    trials = 10_000
    res = sweep(CASE1, ["raid_ratio=0.25:4:0.25"], tmp_path / "out", trials=trials, seed=7,
                progress=False)
    c, qn = 16, 0.3 ** 2
    assert len(res.points) == 16
    for p in res.points:
        r = p["result"]
        n = r["raid_size"]
        assert r["capacity"] == c and n == round(p["values"]["raid_ratio"] * c)
        expected = max(n - c, 0) + min(n, c) * qn
        se = math.sqrt(min(n, c) * qn * (1 - qn) / trials)
        assert abs(r["leakers"]["mean"] - expected) <= K_SIGMA * se, (n, r["leakers"]["mean"])
        if n > c:
            assert r["p_any_leak"] == 1.0


def test_outputs_have_the_interface_columns_and_document(tmp_path):
    out = tmp_path / "out"
    res = sweep(REF, ["layers.upper.fire_units=1,2", "raid_ratio=1,3"], out, trials=500,
                seed=3, progress=False)
    with open(out / "results.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:14] == ["layers.upper.fire_units", "raid_ratio_requested", "capacity", "raid_size",
                            "raid_ratio", "trials", "leakers_mean", "leakers_ci95_lo",
                            "leakers_ci95_hi", "p_any_leak", "p_any_leak_ci95_lo",
                            "p_any_leak_ci95_hi", "upper_interceptors_mean", "leakers_std"]
    assert [r[:4] for r in rows[1:]] == [["1", "1.0", "16", "16"], ["1", "3.0", "16", "48"],
                                         ["2", "1.0", "32", "32"], ["2", "3.0", "32", "96"]]
    doc = json.loads((out / "sweep.json").read_text())
    assert doc["keys"] == ["layers.upper.fire_units", "raid_ratio"]
    assert doc["values"] == {"layers.upper.fire_units": [1, 2], "raid_ratio": [1.0, 3.0]}
    assert doc["trials"] == 500 and doc["seed"] == 3 and doc["version"]
    assert doc["scenario"]["layers"][0]["name"] == "upper"
    assert len(doc["points"]) == 4 and doc["points"][3]["values"] == {
        "layers.upper.fire_units": 2, "raid_ratio": 3.0}
    first = doc["points"][0]["result"]
    assert {"leakers", "p_any_leak", "by_layer", "capacity", "seed"} <= set(first)
    assert res.to_dict()["points"] == doc["points"]
    # every point uses the same seed: the last point is a plain run of its scenario
    base = load_scenario(REF)
    last = point_scenario(base, [(parse_key("layers.upper.fire_units", base), 2),
                                 (parse_key("raid_ratio", base), 3.0)])
    direct = simulate(last, trials=500, seed=3).to_dict()
    assert doc["points"][3]["result"]["leakers"]["pmf"] == direct["leakers"]["pmf"]


def test_resume_computes_only_missing_points(tmp_path, monkeypatch):
    args = (CASE1, ["raid_ratio=0.5:3:0.5"])
    whole = sweep(*args, tmp_path / "whole", trials=1000, progress=False)
    out = tmp_path / "broken"
    calls = []
    real = sweep_run.compute_point

    def dies_after_two(task, settings):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(task.index)
        return real(task, settings)

    monkeypatch.setattr(sweep_run, "compute_point", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        sweep(*args, out, trials=1000, progress=False)
    assert sorted(os.listdir(out / "points")) == ["000000.json", "000001.json"]
    assert not (out / "results.csv").exists()
    monkeypatch.setattr(sweep_run, "compute_point", real)
    again = sweep(*args, out, trials=1000, progress=False)
    assert (again.computed, again.reused) == (4, 2)
    assert stable(again.points) == stable(whole.points)
    assert (out / "results.csv").exists()
    done = sweep(*args, out, trials=1000, progress=False)
    assert (done.computed, done.reused) == (0, 6)


def test_out_directory_holding_something_else_is_refused(tmp_path):
    out = tmp_path / "out"
    sweep(CASE1, ["raid_ratio=1,2"], out, trials=200, seed=1, progress=False)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for change, word in [({"seed": 2}, "seed"), ({"trials": 300}, "--trials")]:
        with pytest.raises(SweepError, match=f"different sweep.*{word}"):
            sweep(CASE1, ["raid_ratio=1,2"], out, **{"trials": 200, "seed": 1, **change})
    with pytest.raises(SweepError, match="swept keys or values"):
        sweep(CASE1, ["raid_ratio=1,3"], out, trials=200, seed=1)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty"):
        sweep(CASE1, ["raid_ratio=1"], other, trials=200)


def test_ci_halfwidth_is_deterministic_and_records_trials(tmp_path):
    kw = dict(ci_halfwidth=0.02, batch_trials=2000, max_trials=40_000, seed=5, progress=False)
    a = sweep(CASE1, ["raid_ratio=0.5,2"], tmp_path / "a", **kw)
    b = sweep(CASE1, ["raid_ratio=0.5,2"], tmp_path / "b", **kw)
    assert stable(a.points) == stable(b.points)
    for p in a.points:
        r = p["result"]
        assert p["trials"] == r["trials"] and p["trials"] % 2000 == 0
        assert p["ci_met"] and (r["leakers"]["ci95"][1] - r["leakers"]["ci95"][0]) / 2 <= 0.02
        # batches over consecutive trial ranges merge into one plain run of as many trials
        s = load_scenario(CASE1)
        sc = point_scenario(s, [(parse_key("raid_ratio", s), p["values"]["raid_ratio"])])
        assert r["leakers"]["pmf"] == simulate(sc, p["trials"], 5).to_dict()["leakers"]["pmf"]
    capped = sweep(CASE1, ["raid_ratio=2"], None, ci_halfwidth=1e-4, batch_trials=500,
                   max_trials=1500, seed=5, progress=False)
    assert capped.points[0]["trials"] == 1500 and capped.points[0]["ci_met"] is False
    with open(tmp_path / "a" / "results.csv") as f:
        assert [r["ci_halfwidth_met"] for r in csv.DictReader(f)] == ["true", "true"]


def test_cli_sweep_and_its_errors(cli, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(["sweep", str(CASE1), "--vary", "raid_ratio=1,2", "--vary",
                "layers.upper.engage.BM.sspk=0.6,0.7", "--trials", "300", "--out", str(out),
                "--quiet"]) == 0
    o = capsys.readouterr()
    assert "4 point(s), 4 computed" in o.out and o.err == ""
    assert len(list(csv.reader(open(out / "results.csv")))) == 5
    assert cli(["sweep", str(CASE1), "--vary", "raid_ratio=1,2", "--vary",
                "layers.upper.engage.BM.sspk=0.6,0.7", "--trials", "300", "--out",
                str(out)]) == 0
    assert "0 computed now, 4 reused" in capsys.readouterr().out
    for argv, words in [
        (["--vary", "layers.upper.fire_units=1,2.5"], "layers.upper.fire_units = 2.5"),
        (["--vary", "layers.upper.fire_unitz=1"], "did you mean 'fire_units'"),
        (["--vary", "raid_ratio=1,2", "--trials", "301"], "different sweep"),
        (["--vary", "raid_ratio=1", "--scheduler", "local:x"], "local:N"),
        (["--vary", "raid_ratio=1", "--max-trials", "10"], "--ci-halfwidth"),
    ]:
        assert cli(["sweep", str(CASE1), "--out", str(out), *argv]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1, err


def test_progress_bar_is_silent_when_not_a_terminal(tmp_path, capfd):
    sweep(CASE1, ["raid_ratio=1,2"], tmp_path / "q", trials=200, progress=None)
    assert capfd.readouterr().err == ""
    sweep(CASE1, ["raid_ratio=1,2"], tmp_path / "p", trials=200, progress=True)
    err = capfd.readouterr().err
    assert "2/2" in err and "point" in err


def test_importing_the_sweep_room_does_not_import_dask():
    code = ("import sys, saturation_sim.sweep, saturation_sim.cli.sweep_cmd; "
            "print(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


LAUNCHER = """
import sys
from saturation_sim.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_sweep_then_restart_equals_uninterrupted_run(tmp_path):
    vary = ["raid_ratio=0.25:3:0.25"]  # 12 points
    trials = 40_000
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, "sweep", str(CASE1), "--vary",
                             vary[0], "--trials", str(trials), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while len(point_files(out)) < 3:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the sweep made no progress"
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    survivors = {p.name: p.stat().st_mtime_ns for p in point_files(out)}
    assert 3 <= len(survivors) < 12 and not (out / "results.csv").exists()
    resumed = sweep(CASE1, vary, out, trials=trials, progress=False)
    assert resumed.reused == len(survivors) and resumed.computed == 12 - len(survivors)
    assert all((out / "points" / n).stat().st_mtime_ns == t for n, t in survivors.items())
    assert not list((out / "points").glob(".*"))
    whole = sweep(CASE1, vary, tmp_path / "whole", trials=trials, progress=False)
    assert stable(resumed.points) == stable(whole.points)


def test_point_files_hold_raw_statistics_and_outputs_are_derived_from_them(tmp_path):
    """A point file stores sufficient statistics, not derived JSON; a resumed sweep
    rebuilds results.csv and sweep.json from them byte for byte."""
    out = tmp_path / "s"
    first = sweep(CASE1, ["raid_ratio=1,2"], out, trials=500, seed=5, progress=False)
    payload = json.loads((out / "points" / "000001.json").read_text())
    assert "result" not in payload
    stats = payload["stats"]
    assert sum(stats["leaker_hist"]) == 500 and stats["trials"] == 500
    assert set(stats) >= {"leaker_hist", "group_leakers", "group_launched", "layer_totals",
                          "layer_sumsq", "cost_sums", "seed", "first_trial"}
    csv_before = (out / "results.csv").read_text()
    (out / "results.csv").unlink()
    again = sweep(CASE1, ["raid_ratio=1,2"], out, trials=500, seed=5, progress=False)
    assert again.reused == 2 and again.computed == 0
    assert (out / "results.csv").read_text() == csv_before
    assert stable(again.points) == stable(first.points)
