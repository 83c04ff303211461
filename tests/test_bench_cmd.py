"""``saturation-sim bench`` without the bench extra: one line and exit status 2."""

from __future__ import annotations

import sys

import pytest

from saturation_sim.cli.main import main


@pytest.mark.parametrize("module", ["simpy", "pytest_benchmark"])
def test_bench_without_the_extra_says_how_to_install_it(module, monkeypatch, capsys):
    """A module of the extra that cannot be imported (None in sys.modules makes
    ``import`` fail exactly as if it were not installed) gives one error line
    naming the install command, exit status 2, and no traceback."""
    monkeypatch.setitem(sys.modules, module, None)
    assert main(["bench", "--quick"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert 'pip install "saturation-sim[bench]"' in lines[0]
    assert module in lines[0]
    assert "Traceback" not in err


def test_bench_help_needs_no_extra(monkeypatch, capsys):
    """The command's options are defined without importing the benchmarks."""
    monkeypatch.setitem(sys.modules, "simpy", None)
    with pytest.raises(SystemExit) as exc:
        main(["bench", "--help"])
    assert exc.value.code == 0
    assert "--no-startup" in capsys.readouterr().out
