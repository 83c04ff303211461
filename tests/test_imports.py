"""Importing the package must stay light: no matplotlib (style.md)."""

import subprocess
import sys


def test_import_does_not_load_matplotlib():
    code = ("import sys, saturation_sim, saturation_sim.cli.main; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_test_modules_import_nothing_from_one_another():
    """Shared constants, helpers and fixtures live in conftest.py (or in helper modules
    such as reference_model.py), so each test module can be run, moved or deleted alone."""
    import ast
    from pathlib import Path

    here = Path(__file__).resolve().parent
    modules = sorted(here.glob("test_*.py"))
    names = {p.stem for p in modules}
    offenders = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported = [node.module.split(".")[0]]
            else:
                continue
            offenders += [f"{path.name}:{node.lineno} imports {m}" for m in imported if m in names]
    assert not offenders, offenders
