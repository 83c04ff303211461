"""Importing the package must stay light: no matplotlib (style.md)."""

import subprocess
import sys


def test_import_does_not_load_matplotlib():
    code = ("import sys, saturation_sim, saturation_sim.cli.main; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- no import cycles --------------------------------------------------------------

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

import saturation_sim  # noqa: E402

SRC = Path(saturation_sim.__file__).resolve().parent
PKG = "saturation_sim"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports, anywhere in its body (local imports too)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # type hints only: never imported at run time
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # ``from p import m`` imports module p.m when there is one, else a name of p.
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod
                       for a in node.names]
        else:
            continue
        for t in targets:
            if t in known and t != name:
                out.add(t)
    return out


def test_no_module_imports_another_that_imports_it_back():
    """No cycle in the import graph, local (function-level) imports included.

    A package's ``__init__`` importing its own modules is an edge like any other,
    so a module that imports its own package's ``__init__`` back is a cycle too.
    """
    mods = _modules()
    graph = {m: _imports(m, p, set(mods)) for m, p in mods.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


#: The rooms of the pipeline (style.md), left to right.
ROOMS = ("scenario", "engine", "analytic", "sweep", "report", "cli")


def _leftward_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a room to a room on its right (modules outside the rooms are free)."""
    def room(m: str) -> int | None:
        parts = m.split(".")
        return ROOMS.index(parts[1]) if len(parts) > 1 and parts[1] in ROOMS else None

    return sorted(f"{m} imports {n}" for m, deps in graph.items() for n in deps
                  if room(m) is not None and room(n) is not None and room(n) > room(m))


def test_each_room_imports_only_from_rooms_to_its_left():
    mods = _modules()
    graph = {m: _imports(m, p, set(mods)) for m, p in mods.items()}
    assert _leftward_violations(graph) == []
    # the check itself: an engine module importing the sweep room is caught
    assert _leftward_violations({f"{PKG}.engine.x": {f"{PKG}.sweep.y"}}) == [
        f"{PKG}.engine.x imports {PKG}.sweep.y"]


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


def test_plot_module_is_importable_and_loads_matplotlib_only_when_drawing():
    code = ("import sys, saturation_sim.plot as p; "
            "print(sorted(p.__all__), 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['campaign', 'fan', 'leakage', 'probability', 'tornado'] False"
