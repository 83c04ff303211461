"""Peak memory against trials, and cold versus warm start (issue 4 targets).

Run with ``pytest benchmarks/test_memory_and_startup.py -s``; each measurement
runs in a fresh subprocess so that its peak resident memory and its start-up
are its own. These are measurements, not unit tests: they live here, out of
the test suite's timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "configs" / "reference_3x.toml"

_PEAK = """
import json, resource, sys, time
from saturation_sim import load_scenario, simulate
s = load_scenario(sys.argv[1])
simulate(s, trials=1000, seed=1)            # compile or load from cache first
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
r = simulate(s, trials=int(sys.argv[2]), seed=1)
print(json.dumps({"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "before_kib": base, "trials_per_s": r.trials / (time.perf_counter() - t)}))
"""


def _peak(trials: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _PEAK, str(REF), str(trials)],
                         capture_output=True, text=True, check=True, timeout=600)
    return json.loads(out.stdout)


def test_peak_memory_does_not_grow_with_trials():
    """Target: peak memory for 10^7 trials within 10% of that for 10^5."""
    small = _peak(100_000)
    large = _peak(10_000_000)
    ratio = large["peak_kib"] / small["peak_kib"]
    print(f"\npeak RSS: 1e5 trials {small['peak_kib'] / 1024:.1f} MiB, "
          f"1e7 trials {large['peak_kib'] / 1024:.1f} MiB, ratio {ratio:.3f}; "
          f"{large['trials_per_s']:,.0f} trials/s")
    assert ratio <= 1.10


def _start(cache_dir: Path) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "saturation_sim.cli.main", "run", str(REF),
                    "--trials", "1000", "--json", "-"], env=env, check=True,
                   capture_output=True, timeout=600)
    return time.perf_counter() - t


@pytest.mark.skipif(sys.platform == "win32", reason="fork/exec timing only checked on POSIX")
def test_second_process_loads_kernels_from_cache(tmp_path):
    """Target: a second ``saturation-sim run`` loads compiled kernels, not recompiling."""
    cold = _start(tmp_path / "cache")
    warm = _start(tmp_path / "cache")
    print(f"\nsaturation-sim run --trials 1000: cold start {cold:.1f} s, warm start {warm:.1f} s")
    assert any((tmp_path / "cache").rglob("*.nbi")), "numba wrote no cache index"
    assert warm < cold / 3
