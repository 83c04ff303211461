"""examples/analysis.ipynb runs from top to bottom, on the interpreter running the tests.

The kernel is started from a kernelspec written into a temporary directory
(found through JUPYTER_PATH), whose command is this interpreter
(``sys.executable -m ipykernel_launcher``): no kernel needs to be installed, and
the notebook sees the same saturation_sim as the tests.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import saturation_sim

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
KERNEL = "saturation-sim-tests"


def _kernelspec(root: Path) -> None:
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "saturation-sim tests", "language": "python"}))


@pytest.mark.slow
def test_example_notebook_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    _kernelspec(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # The kernel imports the same package as this test (a source checkout too).
    src = str(Path(saturation_sim.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [src] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(EXAMPLES / "analysis.ipynb", as_version=4)
    assert 12 <= len(nb.cells) <= 20
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=600,
                                     resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    code = [c for c in nb.cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the two panels, the report's leakage figure, the fan chart
    text = "".join(o.get("text", "") for o in outputs)
    assert "Leaking warheads per raid" in text and "At 3x capacity" in text
