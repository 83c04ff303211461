"""Importing the package must stay light: no matplotlib (style.md)."""

import subprocess
import sys


def test_import_does_not_load_matplotlib():
    code = ("import sys, saturation_sim, saturation_sim.cli.main; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
