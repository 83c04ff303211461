"""The command line: exit codes, JSON output, summaries and golden files (tier 5)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VOLATILE
from saturation_sim.cli.main import main

GOLDEN = Path(__file__).resolve().parent / "golden"
#: (config, trials) for golden files; regenerate with SATSIM_UPDATE_GOLDEN=1 pytest tests/test_cli.py
GOLDEN_RUNS = [("reference_3x", 20_000), ("reference_3x_large", 200)]


def _close(a, b, path="") -> None:
    """Recursive equality; floats to 1e-12 relative (BLAS summation order may differ)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys differ"
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for j, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{j}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("name,trials", GOLDEN_RUNS)
def test_run_json_matches_golden_file(name, trials, root, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["run", str(root / "configs" / f"{name}.toml"), "--trials", str(trials),
                 "--seed", "1", "--json", str(out), "--quiet"]) == 0
    got = {k: v for k, v in json.loads(out.read_text()).items() if k not in VOLATILE}
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("SATSIM_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, indent=2) + "\n")
    _close(got, json.loads(golden.read_text()))
    assert "Leaking warheads per raid" in capsys.readouterr().out


def test_json_dash_prints_only_json(root, capsys):
    assert main(["run", str(root / "configs" / "reference_3x.toml"), "--trials", "500",
                 "--json", "-"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("scenario", "trials", "seed", "capacity", "raid_size", "raid_ratio", "leakers",
                "p_any_leak", "p_any_leak_ci95", "by_threat", "by_layer", "cost", "elapsed_s",
                "threads", "version"):
        assert key in d
    assert set(d["leakers"]) >= {"mean", "std", "ci95", "quantiles", "pmf"}
    assert d["trials"] == 500 and d["capacity"] == 16 and d["raid_ratio"] == 3.0
    assert math.isclose(sum(d["leakers"]["pmf"]), 1.0)


def test_check_prints_capacity_and_ratio(root, capsys):
    assert main(["check", str(root / "configs" / "reference_3x.toml")]) == 0
    out = capsys.readouterr().out
    assert "capacity 16 engagements" in out and "raid ratio 3.00x" in out


@pytest.mark.parametrize("args,needle", [
    (["run", "no/such/file.toml"], "no such file"),
    (["check", "no/such/file.toml"], "no such file"),
])
def test_bad_input_gives_one_line_and_status_2(args, needle, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


def test_bad_scenario_value_from_the_real_command(tmp_path, root):
    bad = tmp_path / "bad.toml"
    bad.write_text((root / "configs" / "reference_3x.toml").read_text().replace("sspk = 0.7", "sspk = 1.7"))
    proc = subprocess.run([sys.executable, "-m", "saturation_sim.cli.main", "run", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "layers[0].engage.BM.sspk = 1.7" in proc.stderr and "[0, 1]" in proc.stderr
    assert str(bad) in proc.stderr


def test_too_many_threads_is_refused(root, capsys):
    assert main(["run", str(root / "configs" / "reference_3x.toml"), "--threads", "999"]) == 2
    assert "at most" in capsys.readouterr().err


def test_help_texts_exist(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--help"])
    assert exc.value.code == 0
    assert "--trials" in capsys.readouterr().out


def test_method_exact_answers_validation_case_1(capsys):
    case1 = Path(__file__).resolve().parent / "configs" / "case1_saturated.toml"
    assert main(["run", str(case1), "--method", "exact", "--json", "-"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["method"] == "exact" and d["trials"] is None
    assert math.isclose(d["leakers"]["mean"], 32 + 16 * 0.09, rel_tol=1e-12)
    assert d["leakers"]["ci95"] == [d["leakers"]["mean"]] * 2


def test_method_exact_refuses_an_intractable_scenario_naming_the_feature(root, capsys):
    assert main(["run", str(root / "configs" / "reference_3x.toml"), "--method", "exact"]) == 2
    err = capsys.readouterr().err
    assert "no exact answer" in err and "uniform" in err and "layers[0]" in err


def test_method_auto_says_which_method_answered(root, capsys):
    case1 = Path(__file__).resolve().parent / "configs" / "case1_saturated.toml"
    assert main(["run", str(case1), "--method", "auto", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "exact"
    assert main(["run", str(root / "configs" / "reference_3x.toml"), "--method", "auto",
                 "--trials", "500", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "mc"
