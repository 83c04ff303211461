"""Writing output files so that no failure loses a user's work.

Every output (point files, results.csv, sweep.json, figures, the brief's PDF
and Markdown, JSON written with --json) goes to a temporary file in the same
directory, is flushed to disk, and only then renamed over the target: a full
disk, a read-only directory or a kill at any moment leaves the previous file
intact or the new one whole, never a truncated one. Files get the permissions
the user's umask gives a new file, as ``open()`` would.

A utility module with no imports from the package, so every room may use it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Iterator


def _create_temp(target: Path, suffix: str) -> tuple[int, Path]:
    """Create a new empty file beside ``target`` (``.<name>.<random>.tmp<suffix>``)
    and return its descriptor and path. It is created with mode 0o666, so the
    kernel applies the process's umask of the moment, as ``open()`` would;
    ``tempfile.mkstemp`` would create it 0o600."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp{suffix}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # 48 random bits: practically never
            continue


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    For writers that want a file name (``Figure.savefig``, PDF backends). On
    any exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    fd, tmp = _create_temp(target, target.suffix)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def claim_file(path: str | os.PathLike[str], text: str) -> bool:
    """Create ``path`` with ``text`` only if it does not exist yet, atomically.

    Returns True when this call created it, False when it already existed
    (possibly created a moment ago by another process). The file appears
    whole or not at all: it is written under a temporary name and hard-linked
    into place, which fails if the name is taken.
    """
    target = Path(path)
    fd, tmp = _create_temp(target, "")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            return False
        _fsync_dir(target.parent)
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)
