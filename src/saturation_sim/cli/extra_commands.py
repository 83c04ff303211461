"""Sub-commands of later rooms (sweep, solve, report, brief, bench) are registered here."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the sub-commands beyond ``run`` and ``check`` to the parser."""
    from . import bench_cmd, report_cmd, sweep_cmd, uncertainty_cmd

    sweep_cmd.register(sub)
    report_cmd.register(sub)
    bench_cmd.register(sub)
    uncertainty_cmd.register(sub)
