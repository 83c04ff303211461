"""The notebook API: typed rows, pandas and xarray views, short reprs and summaries."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from conftest import CONFIGS, TEST_CONFIGS
from saturation_sim import load_scenario, simulate, sweep

CASE1 = TEST_CONFIGS / "case1_saturated.toml"
REF = CONFIGS / "reference_3x.toml"


@pytest.fixture(scope="module")
def grid():
    return sweep(CASE1, {"raid_ratio": [1, 2, 3], "layers.upper.fire_units": [1, 2]},
                 trials=300, seed=4, progress=False)


def test_rows_are_typed(grid):
    rows = grid.rows()
    assert len(rows) == 6
    r = rows[0]
    assert isinstance(r["layers.upper.fire_units"], int)
    assert isinstance(r["raid_ratio_requested"], float)
    assert isinstance(r["trials"], int) and isinstance(r["leakers_mean"], float)
    assert r["ci_halfwidth_met"] is None
    # a user's arithmetic on the columns means what it says
    assert r["leakers_mean"] * 2 == pytest.approx(2 * grid.points[0]["result"]["leakers"]["mean"])


def test_to_pandas_has_typed_columns_and_provenance(grid):
    pd = pytest.importorskip("pandas")
    df = grid.to_pandas()
    assert len(df) == 6
    assert df["layers.upper.fire_units"].dtype == np.int64
    assert df["leakers_mean"].dtype == np.float64
    assert pd.api.types.is_numeric_dtype(df["leakers_ci95_lo"])
    assert df.attrs["seed"] == 4 and df.attrs["scenario"] == grid.scenario.name
    assert (df["leakers_ci95_lo"] <= df["leakers_mean"]).all()


def test_to_xarray_has_one_dimension_per_key(grid):
    pytest.importorskip("xarray")
    ds = grid.to_xarray()
    assert dict(ds.sizes) == {"raid_ratio_requested": 3, "layers.upper.fire_units": 2}
    assert list(ds["layers.upper.fire_units"].values) == [1, 2]
    # the value at (ratio 2, one unit) is that point's
    row = grid.rows()[2]
    v = ds["leakers_mean"].sel({"raid_ratio_requested": 2.0, "layers.upper.fire_units": 1})
    assert float(v) == row["leakers_mean"]
    assert ds.attrs["seed"] == 4 and "scenario_toml" in ds.attrs


def test_missing_extra_is_one_clear_message():
    code = ("import sys; sys.modules['pandas'] = None\n"
            "from saturation_sim import sweep\n"
            "r = sweep('tests/configs/case1_saturated.toml', {'raid_ratio': [1]}, trials=10,"
            " progress=False)\n"
            "try:\n    r.to_pandas()\nexcept ModuleNotFoundError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=CONFIGS.parent, check=True)
    assert out.stdout.strip() == 'this needs pandas: pip install "saturation-sim[pandas]"'


def test_reprs_are_short_and_summaries_are_the_cli_text(grid):
    s = load_scenario(REF)
    r = simulate(s, trials=500, seed=1)
    for obj in (s, r, grid):
        assert len(repr(obj)) < 200 and "\n" not in repr(obj)
        assert obj.summary()
        assert obj._repr_html_().startswith("<")
    assert "raid ratio 3.00x" in s.summary()
    assert r.summary().startswith(s.name) and "Leaking warheads per raid" in r.summary()
