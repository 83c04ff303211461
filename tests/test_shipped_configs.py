"""Every scenario file shipped in configs/ loads, passes `check`, and runs to sane JSON.

The run uses 2,000 trials and the file's own seed; the checks are invariants that hold
for any trial count (counts within bounds, probabilities in [0, 1], a pmf that sums to
one, costs that add up), not statistical tolerances.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from saturation_sim import load_scenario

from conftest import CONFIGS

SHIPPED = sorted(CONFIGS.glob("*.toml"))
IDS = [p.stem for p in SHIPPED]
TRIALS = 2000


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "saturation_sim.cli.main", *args],
                          capture_output=True, text=True, timeout=600)


def test_configs_are_shipped():
    names = {p.stem for p in SHIPPED}
    assert {"reference_3x", "doctrine_3x", "japan_illustrative", "spear_vs_shield",
            "umbrella"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_config_loads(path):
    s = load_scenario(path)
    assert s.name.strip()
    assert s.raid_size > 0 and s.warheads > 0
    assert s.capacity > 0
    assert math.isclose(s.raid_ratio, s.raid_size / s.capacity)


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_check_exits_0(path):
    proc = _cli("check", str(path))
    assert proc.returncode == 0, proc.stderr
    s = load_scenario(path)
    assert f"capacity {s.capacity:,} engagements" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_run_gives_sane_json(path):
    s = load_scenario(path)
    proc = _cli("run", str(path), "--trials", str(TRIALS), "--json", "-")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)

    assert d["scenario"] == s.name
    assert d["trials"] == TRIALS
    assert d["seed"] == (s.seed if s.seed is not None else 1)
    assert d["capacity"] == s.capacity and d["raid_size"] == s.raid_size
    assert math.isclose(d["raid_ratio"], s.raid_size / s.capacity)

    lk = d["leakers"]
    assert 0.0 <= lk["mean"] <= s.max_leakers and lk["std"] >= 0.0
    assert lk["ci95"][0] <= lk["mean"] <= lk["ci95"][1]
    pmf = lk["pmf"]
    # 1e-9 tolerances below: sums of up to a few thousand float64 terms derived
    # from integer counts; rounding only, far below any statistical effect.
    assert all(p >= 0.0 for p in pmf) and math.isclose(sum(pmf), 1.0, abs_tol=1e-9)
    assert len(pmf) - 1 <= s.max_leakers
    assert math.isclose(sum(k * p for k, p in enumerate(pmf)), lk["mean"], rel_tol=1e-9,
                        abs_tol=1e-9)
    q = lk["quantiles"]
    assert 0 <= q["p50"] <= q["p90"] <= q["p99"] <= s.max_leakers
    assert 0.0 <= d["p_any_leak"] <= 1.0
    assert math.isclose(d["p_any_leak"], 1.0 - pmf[0], abs_tol=1e-9)
    lo, hi = d["p_any_leak_ci95"]
    assert 0.0 <= lo <= d["p_any_leak"] <= hi <= 1.0

    assert set(d["by_threat"]) == {t.name for t in s.threats}
    for t in s.threats:
        g = d["by_threat"][t.name]
        assert 0.0 <= g["launched_mean"] <= s.group_campaign_max(t)  # count, for one raid
        assert 0.0 <= g["leakers_mean"] <= g["launched_mean"] + 1e-9
        if not t.is_warhead:
            assert g["leakers_mean"] == 0.0
    assert math.isclose(sum(g["leakers_mean"] for g in d["by_threat"].values()), lk["mean"],
                        rel_tol=1e-9, abs_tol=1e-9)

    assert set(d["by_layer"]) == {lay.name for lay in s.layers}
    for lay in s.layers:
        b = d["by_layer"][lay.name]
        # Loaded magazines, and over a campaign the depot and what production adds.
        stock = (lay.fire_units * lay.interceptors_per_unit + lay.depot
                 + math.floor(s.days * lay.production_per_day * (1 + 1e-9)))
        assert 0.0 <= b["interceptors_mean"] <= stock
        assert math.isclose(b["interceptors_mean"],
                            b["engagements_mean"] * lay.shots_per_engagement, rel_tol=1e-9,
                            abs_tol=1e-9)
        assert 0.0 <= b["kills_mean"] <= b["engagements_mean"] + 1e-9
        assert 0.0 <= b["p_magazine_empty"] <= 1.0

    c = d["cost"]
    if any(lay.interceptor_cost is not None for lay in s.layers) and \
            any(t.cost is not None for t in s.threats):
        assert c["defender_mean"] > 0.0 and c["attacker_mean"] > 0.0
        assert math.isclose(c["exchange_ratio"], c["defender_mean"] / c["attacker_mean"])
    else:
        assert c["exchange_ratio"] is None
