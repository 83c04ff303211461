"""Sub-commands of later rooms (sweep, report, brief, bench, solve) are registered here."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    """Add the sub-commands beyond ``run`` and ``check`` to the parser."""
