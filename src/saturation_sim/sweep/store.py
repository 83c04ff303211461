"""The sweep's out directory: identity, atomic per-point files, resume.

Layout of ``DIR``::

    sweep-id.json      what this sweep is (its settings and their hash)
    points/000000.json one finished point each, written atomically
    results.csv        rebuilt from the point files when the sweep ends
    sweep.json         likewise

A point file appears complete or not at all (written to a temporary file in
the same directory, flushed, then renamed over), so a sweep killed at any
moment leaves only whole points, and a restart with the same settings computes
only the points that have no file. A directory holding another sweep, or other
files, is refused rather than mixed or overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from .._io import atomic_write_text, claim_file
from .errors import SweepError

ID_FILE = "sweep-id.json"
POINTS_DIR = "points"
#: What a difference in each identity field means, for the refusal message.
_FIELDS = {"scenario": "the scenario", "vary": "the swept keys or values", "seed": "the seed",
           "trials": "--trials", "ci_halfwidth": "--ci-halfwidth",
           "max_trials": "--max-trials", "batch_trials": "the batch size"}


def canonical_json(obj: Any) -> str:
    """Compact JSON with sorted keys: the same object always gives the same text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sweep_id(spec: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a sweep's identity ``spec``."""
    return hashlib.sha256(canonical_json(spec).encode("utf-8")).hexdigest()


class OutDir:
    """The out directory of one sweep.

    Parameters
    ----------
    path
        The directory (created if missing).
    spec
        The sweep's identity: base scenario, swept keys and values, trial
        settings and seed (not the package version).
    """

    def __init__(self, path: str | os.PathLike[str], spec: dict[str, Any]):
        self.path = Path(path)
        self.spec = spec
        self.id = sweep_id(spec)
        self.points = self.path / POINTS_DIR

    def open(self) -> None:
        """Create the directory, or check that it holds this very sweep.

        Raises
        ------
        SweepError
            If ``path`` is a file, holds a different sweep, or holds other files.
        """
        p = self.path
        if p.exists() and not p.is_dir():
            raise SweepError(f"--out {p}: is a file, not a directory")
        id_file = p / ID_FILE
        if id_file.exists():
            self._check_same(id_file)
        elif p.is_dir() and any(not f.name.startswith(".") for f in p.iterdir()):
            raise SweepError(f"--out {p}: the directory is not empty and holds no sweep "
                             f"({ID_FILE} is missing); refusing to write into it: "
                             "choose a new or empty directory")
        p.mkdir(parents=True, exist_ok=True)
        # Claim the directory by creating its identity file exclusively, before
        # anything else: of two sweeps started together on a new directory, one
        # creates it and the other finds it and is refused if it differs.
        text = json.dumps({"sweep_id": self.id, "spec": self.spec}, indent=1) + "\n"
        if not claim_file(id_file, text):
            self._check_same(id_file)
        self.points.mkdir(exist_ok=True)
        for stale in self.points.glob(".*.tmp*"):  # left by a process killed mid-write
            stale.unlink(missing_ok=True)

    def _check_same(self, id_file: Path) -> None:
        try:
            stored = json.loads(id_file.read_text(encoding="utf-8"))
            other_id, other = stored["sweep_id"], stored["spec"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SweepError(f"--out {self.path}: cannot read {ID_FILE} ({exc}); refusing "
                             "to write into it: choose a new directory") from None
        if other_id == self.id:
            return
        diff = [what for k, what in _FIELDS.items() if other.get(k) != self.spec.get(k)]
        raise SweepError(f"--out {self.path}: holds a different sweep (it differs in "
                         f"{', '.join(diff) or 'its settings'}); nothing was changed. Use "
                         "another --out directory, or delete this one to start again")

    def point_file(self, index: int) -> Path:
        return self.points / f"{index:06d}.json"

    def load_points(self, n_points: int) -> dict[int, dict[str, Any]]:
        """The finished points on disk, by index; unreadable files are left to recompute."""
        done: dict[int, dict[str, Any]] = {}
        for index in range(n_points):
            f = self.point_file(index)
            if not f.exists():
                continue
            try:
                payload = json.loads(f.read_text(encoding="utf-8"))
                ok = payload["sweep_id"] == self.id and payload["index"] == index
            except (OSError, ValueError, KeyError, TypeError):
                ok = False
            if ok:
                done[index] = payload
            else:
                print(f"saturation-sim: warning: {f} is unreadable or not from this sweep; "
                      "recomputing that point", file=sys.stderr)
        return done

    def write_point(self, payload: dict[str, Any]) -> None:
        """Write one finished point atomically."""
        atomic_write_text(self.point_file(payload["index"]), json.dumps(payload) + "\n")

    def write_outputs(self, csv_text: str, json_text: str) -> None:
        """Write ``results.csv`` and ``sweep.json`` atomically."""
        atomic_write_text(self.path / "results.csv", csv_text)
        atomic_write_text(self.path / "sweep.json", json_text)
