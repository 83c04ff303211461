"""Run settings, resolved once: trials (or a precision target), seed and threads.

Every entry point (``simulate``, ``sweep``, ``solve``, ``uncertainty``, the
command line) turns its arguments into one frozen :class:`RunSettings` with
:meth:`RunSettings.resolve`, which applies the scenario's ``[simulation]``
defaults and checks every value in one place. Threads are validated here and
never silently clamped.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numba

from ..scenario import Scenario
from ..scenario.schema import MAX_SEED, MAX_TRIALS

DEFAULT_TRIALS = 100_000
DEFAULT_SEED = 1
#: Trials per batch with a target CI half-width.
BATCH_TRIALS = 10_000
#: Trials per point at most with a target CI half-width, unless told otherwise.
DEFAULT_MAX_TRIALS = 1_000_000


class SettingsError(ValueError):
    """Run settings that contradict each other or are out of range."""


def max_threads() -> int:
    """Threads the engine may use on this machine (numba's NUMBA_NUM_THREADS)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def resolve_threads(threads: int | None) -> int:
    """The thread count to use: ``threads``, or all numba may use when None.

    Raises
    ------
    SettingsError
        If ``threads`` is outside 1 .. :func:`max_threads`.
    """
    n = max_threads() if threads is None else int(threads)
    if not 1 <= n <= max_threads():
        raise SettingsError(f"threads {threads}: must be at least 1 and at most "
                            f"{max_threads()} on this machine (set NUMBA_NUM_THREADS to "
                            "change it)")
    return n


@dataclass(frozen=True)
class RunSettings:
    """How many trials to run, with which seed, on how many threads.

    Attributes
    ----------
    trials
        Trials per run; None when a precision target is set instead.
    seed
        The seed (every point of a sweep uses the same one: common random numbers).
    threads
        Engine threads; None for all the cores of the machine that runs it.
        Results never depend on it.
    ci_halfwidth, max_trials, batch_trials
        Instead of ``trials``: run batches of ``batch_trials`` until the 95% CI
        half-width of mean leakers is at most ``ci_halfwidth``, up to ``max_trials``.
    """

    trials: int | None
    seed: int
    threads: int | None = None
    ci_halfwidth: float | None = None
    max_trials: int | None = None
    batch_trials: int | None = None

    @classmethod
    def resolve(cls, scenario: Scenario | None = None, trials: int | None = None,
                seed: int | None = None, threads: int | None = None,
                ci_halfwidth: float | None = None, max_trials: int | None = None,
                batch_trials: int | None = None) -> "RunSettings":
        """Apply the defaults (arguments, then the scenario's ``[simulation]``, then
        100 000 trials and seed 1) and check everything.

        Raises
        ------
        SettingsError
            Naming the setting and the reason.
        """
        if ci_halfwidth is None:
            if max_trials is not None:
                raise SettingsError("--max-trials applies only with --ci-halfwidth")
            if trials is None:
                trials = scenario.trials if scenario is not None and scenario.trials else \
                    DEFAULT_TRIALS
            trials = _whole(trials, "trials", 1, MAX_TRIALS)
            batch_trials = None
        else:
            if trials is not None:
                raise SettingsError("give --trials or --ci-halfwidth, not both")
            try:
                ci_halfwidth = float(ci_halfwidth)
            except (TypeError, ValueError):
                raise SettingsError(f"--ci-halfwidth must be a number > 0, got "
                                    f"{ci_halfwidth!r}") from None
            if not (ci_halfwidth > 0 and math.isfinite(ci_halfwidth)):
                raise SettingsError(f"--ci-halfwidth must be a number > 0, got {ci_halfwidth}")
            max_trials = _whole(DEFAULT_MAX_TRIALS if max_trials is None else max_trials,
                                "max_trials", 2, MAX_TRIALS)
            batch_trials = _whole(BATCH_TRIALS if batch_trials is None else batch_trials,
                                  "batch_trials", 2, MAX_TRIALS)
            if max_trials < batch_trials:
                raise SettingsError(f"need batch trials ({batch_trials}) <= --max-trials "
                                    f"({max_trials})")
        if seed is None:
            seed = scenario.seed if scenario is not None and scenario.seed is not None \
                else DEFAULT_SEED
        seed = _whole(seed, "seed", 0, MAX_SEED)
        if threads is not None:
            threads = resolve_threads(_whole(threads, "threads", 1, 1 << 20))
        return cls(trials=trials, seed=seed, threads=threads, ci_halfwidth=ci_halfwidth,
                   max_trials=max_trials, batch_trials=batch_trials)

    def identity(self) -> dict[str, Any]:
        """The settings that determine the numbers (not ``threads``), as plain data."""
        d = asdict(self)
        d.pop("threads")
        return d


def _whole(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool):
        raise SettingsError(f"{name} must be a whole number, got {value!r}")
    try:
        v = int(value)
        if v != value:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise SettingsError(f"{name} must be a whole number, got {value!r}") from None
    if not lo <= v <= hi:
        raise SettingsError(f"{name} must be in [{lo:,}, {hi:,}], got {v:,}")
    return v
