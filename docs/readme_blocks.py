#!/usr/bin/env python3
"""Regenerate the output blocks of README.md from the current code.

    python docs/readme_blocks.py          # print what each block would be
    python docs/readme_blocks.py --check  # exit 1 if a block in README.md is stale
    python docs/readme_blocks.py --write  # rewrite the blocks in README.md

A block is written in the README as::

    <!-- output: saturation-sim run configs/reference_3x.toml -->
    ```text
    $ saturation-sim run configs/reference_3x.toml
    ...what the command prints...
    ```

Each command runs through the command line's own entry point in this process,
from the repository's root, and its standard output and standard error are the
block (after the ``$`` line). Timings and machine facts change from run to run, so
the comparison of ``--check`` masks durations, rates and thread counts; every other
character must match. tests/test_readme.py runs the check.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^(?P<ind>[ ]*)<!-- output: (?P<cmd>[^\n]*?) -->\n(?P=ind)```text\n"
                   r"(?P<body>.*?)(?P=ind)```", re.S | re.M)
#: Parts of an output that describe the run, not the result: masked by --check.
VOLATILE = [
    (re.compile(r"\d[\d,]*(\.\d+)? s\b"), "<T> s"),
    (re.compile(r"\([\d,]+ trials/s\)"), "(<R> trials/s)"),
    (re.compile(r"\d+ thread\(s\)"), "<N> thread(s)"),
]


def run(cmd: str) -> str:
    """What ``cmd`` (a saturation-sim command line) prints, with the ``$`` line first."""
    from saturation_sim.cli.main import main

    argv = shlex.split(cmd)
    assert argv[0] == "saturation-sim", cmd
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                main(argv[1:])
            except SystemExit:
                pass
    finally:
        os.chdir(cwd)
    return f"$ {cmd}\n{out.getvalue()}"


def mask(text: str) -> str:
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text


def regenerate(text: str) -> tuple[str, list[str]]:
    """README text with every block regenerated, and the commands whose block changed."""
    stale: list[str] = []

    def one(m: re.Match) -> str:
        cmd, ind = m.group("cmd"), m.group("ind")
        body = run(cmd)
        old = "".join(line[len(ind):] if line.startswith(ind) else line
                      for line in m.group("body").splitlines(keepends=True))
        if mask(body) != mask(old):
            stale.append(cmd)
        shown = "".join(ind + line if line.strip() else line
                        for line in body.splitlines(keepends=True))
        return f"{ind}<!-- output: {cmd} -->\n{ind}```text\n{shown}{ind}```"

    return BLOCK.sub(one, text), stale


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true")
    p.add_argument("--write", action="store_true")
    args = p.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new, stale = regenerate(text)
    if args.write:
        README.write_text(new, encoding="utf-8")
    if args.check:
        for cmd in stale:
            print(f"stale README block: {cmd}", file=sys.stderr)
        return 1 if stale else 0
    if not args.write:
        print(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
