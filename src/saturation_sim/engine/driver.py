"""Parallel driver: run a scenario for N trials and return sufficient statistics.

Trials run in blocks of fixed-size chunks; each block's per-chunk
accumulators are summed in chunk order (integers, and the costs' sums in a
fixed order, so the thread count cannot change a bit) and then discarded, so
memory is bounded by one block whatever the number of trials. Trial ``k``
takes its randomness from ``(seed, k)`` alone, which makes results identical
for any thread count and any block size.

The threads are plain Python threads, each making one call of the kernel per
block (the kernel releases the GIL) for a contiguous range of its chunks. A
numba ``prange`` driver would do the same, but numba then compiles the whole
kernel a second time inside the parallel region, which doubled the cold start.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, NamedTuple

import numpy as np

from ..scenario import Scenario, as_scenario
from ._kernel import (N_ASSET_STATS, N_DAY_STATS, N_DAYL_STATS, N_GROUP_STATS, N_LAYER_SQ,
                      N_LAYER_STATS, PATH_GENERAL, PATH_IN_ORDER, _RUN_MIN, run_chunks)
from .compile import CompiledScenario, compile_scenario
from .result import SimulationResult
from .settings import RunSettings, resolve_threads

#: Trials per chunk: the unit of parallel work.
CHUNK_TRIALS = 256
#: Chunks per block, at most. A block costs a few hundred microseconds of
#: Python (thread hand-off, reduction), so it should run for tens of
#: milliseconds; and it ends with a progress update, so not for many seconds.
MAX_CHUNKS_PER_BLOCK = 512
#: Missile-days simulated per block, about: fewer chunks for larger raids and campaigns.
BLOCK_WORK = 2**22
#: Memory budget for one block's leaker histograms, bytes.
HIST_BUDGET_BYTES = 32 * 2**20


def _chunks_per_block(n_warheads: int, extra: int = 0, work_per_trial: int = 1) -> int:
    """Chunks per block: at most MAX_CHUNKS_PER_BLOCK, within the memory budget
    (``n_warheads + 1 + extra`` counters per chunk), and about BLOCK_WORK
    missile-days of work (``work_per_trial`` per trial; at least 8 chunks by this
    bound, fewer only where memory sets the limit)."""
    by_memory = HIST_BUDGET_BYTES // (8 * (n_warheads + 1 + extra))
    by_work = max(8, BLOCK_WORK // (CHUNK_TRIALS * max(1, work_per_trial)))
    return int(max(1, min(MAX_CHUNKS_PER_BLOCK, by_memory, by_work)))


class Tallies(NamedTuple):
    """Integer sums over a run of trials, as the kernel accumulates them.

    G groups, L layers.
    """

    hist: np.ndarray         # (max_leakers + 1,) int64: trials with exactly k leakers
    group: np.ndarray        # (G, 2) int64: leakers, launched
    layer: np.ndarray        # (L, 4) int64: interceptors, engagements, kills, magazine-empty
    layer_sq: np.ndarray     # (L, 3) int64: sums of squares of the first three
    cost: np.ndarray         # (4,) float64: defender cost, its square, attacker cost, square
    day: np.ndarray          # (D, 3) int64: campaigns, per day: launched, leakers, leakers^2
    day_group: np.ndarray    # (D, G) int64: campaigns, per day: launchers alive before launch
    day_layer: np.ndarray    # (D, L, 4) int64: campaigns, per day: _kernel.DAYL_* columns
    asset: np.ndarray        # (T, 4) int64: per target (assets, then open): _kernel.ASSET_* columns
    damage: np.ndarray       # (2,) float64: value-weighted leakers, its square


def choose_paths(compiled: CompiledScenario) -> np.ndarray:
    """Each layer's kernel path (``_kernel.PATH_*``), picked once from the scenario.

    The in-order pass where it is likely to apply: a threat is engaged at
    most once, the layer engages one group (of missiles), whose launch times
    are in missile order, no earlier layer engages that group (so no
    hand-off can reorder it), and the layer has no track capacity. The kernel still checks, per trial, that the
    candidates come in order with strictly increasing deadlines, and takes
    the general loop otherwise. Every other layer takes the general loop.

    Returns
    -------
    ndarray, shape (L,), int64
    """
    on = (compiled.engage_on == 1) & (compiled.group_count > 0)[None, :]
    paths = np.full(on.shape[0], PATH_GENERAL, np.int64)
    for l in range(on.shape[0]):
        groups = np.flatnonzero(on[l])
        if (compiled.layer_max_eng[l] == 1 and groups.size == 1 and compiled.layer_track[l] == 0
                and compiled.group_sorted[groups[0]] == 1 and not on[:l, groups[0]].any()):
            paths[l] = PATH_IN_ORDER
    return paths


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()
# A forked child has the pools but not their threads: it starts its own.
os.register_at_fork(after_in_child=_POOLS.clear)


def _worker_pool(threads: int) -> ThreadPoolExecutor:
    """The engine's worker threads for ``threads``-thread runs, started once per
    process and kept: threads started afresh for every run were sometimes put on
    the same core by the operating system for the first milliseconds of a run."""
    with _POOLS_LOCK:
        pool = _POOLS.get(threads)
        if pool is None:
            pool = _POOLS[threads] = ThreadPoolExecutor(threads, f"satsim-engine-{threads}")
        return pool


#: Kernel feature switches (see _kernel's docstring): any array compiles a
#: feature in, None leaves it out.
_ON = np.zeros(1, np.int64)


def _switch(on: bool) -> np.ndarray | None:
    return _ON if on else None


def has_waves(compiled: CompiledScenario) -> bool:
    """Whether some group launches at least ``_kernel._RUN_MIN`` missiles at one
    instant (waves, a simultaneous salvo): only then can the general loop keep
    threats as runs beside its heap, and only then is that code compiled in."""
    for g in range(compiled.group_first.shape[0]):
        if compiled.group_span_s[g] > 0.0:
            continue  # uniform launches: times drawn anew, never shared
        first = compiled.group_first[g]
        times = compiled.missile_time_s[first:first + compiled.group_count[g]]
        if times.size >= _RUN_MIN and np.unique(times, return_counts=True)[1].max() >= _RUN_MIN:
            return True
    return False


def needs_general(compiled: CompiledScenario, paths: np.ndarray) -> bool:
    """Whether the kernel must hold the general loop: unless every layer is given
    the in-order pass and can take it (one engagement per threat, no track
    limit). Without the loop, the kernel compiles in half the time; should the
    pass still fail (a deadline tie), the driver reruns those chunks with it."""
    return not bool(np.all((paths == PATH_IN_ORDER) & (compiled.layer_max_eng == 1)
                           & (compiled.layer_track == 0)))


def run_trials(compiled: CompiledScenario, seed: int, first_trial: int, n_trials: int,
               on_progress: Callable[[int], None] | None = None,
               paths: np.ndarray | None = None, threads: int = 1,
               waves: bool | None = None, general: bool | None = None) -> Tallies:
    """Run trials ``first_trial ..`` of a compiled scenario; return summed counts.

    Parameters
    ----------
    paths : ndarray, shape (L,), int64, optional
        Kernel path per layer (``_kernel.PATH_*``); default :func:`choose_paths`.
        Every path gives the same result (tests force each one).
    threads : int
        Threads to run on; the result does not depend on it.
    waves : bool, optional
        Compile and use the general loop's runs of waves (default
        :func:`has_waves`); the result does not depend on it (tests force both).
    general : bool, optional
        Compile the general loop in (default :func:`needs_general`); the result
        does not depend on it (tests force both).

    Returns
    -------
    Tallies
    """
    n_warheads = compiled.max_leakers
    n_days = compiled.n_days
    n_groups = compiled.group_warhead.shape[0]
    n_layers = compiled.layer_units.shape[0]
    paths = choose_paths(compiled) if paths is None else np.ascontiguousarray(paths, np.int64)
    shapes = ((n_warheads + 1,), (n_groups, N_GROUP_STATS), (n_layers, N_LAYER_STATS),
              (n_layers, N_LAYER_SQ), (4,),
              (n_days, N_DAY_STATS), (n_days, n_groups), (n_days, n_layers, N_DAYL_STATS),
              (compiled.n_targets, N_ASSET_STATS), (2,))
    dtypes = [np.float64 if i in (4, 9) else np.int64 for i in range(len(shapes))]
    totals = [np.zeros(shape, dt) for shape, dt in zip(shapes, dtypes)]
    n_chunks = _chunks_per_block(n_warheads, n_days * (N_DAY_STATS + n_groups
                                                         + n_layers * N_DAYL_STATS)
                                 + compiled.n_targets * N_ASSET_STATS + 2,
                                 compiled.missile_group.shape[0] * n_days)
    block_trials = n_chunks * CHUNK_TRIALS
    blocks = [np.zeros((n_chunks,) + shape, dt) for shape, dt in zip(shapes, dtypes)]
    # A single raid passes no per-day accumulators, and a scenario without
    # assets or tracks no per-target ones: the kernel is then compiled
    # without that code (see _kernel.run_chunks).
    args = blocks[:5] + (blocks[5:8] if n_days > 1 else [None, None, None])
    args += blocks[8:] if compiled.use_targets[0] == 1 else [None, None]
    in_order = _switch(bool(np.any(paths == PATH_IN_ORDER)))
    wave_runs = _switch(has_waves(compiled) if waves is None else waves)
    general_loop = _switch(needs_general(compiled, paths) if general is None else general)

    def clear(rows: slice) -> None:
        """Zero the given chunk rows of every accumulator the scenario uses."""
        for b, passed in zip(blocks, args):
            if passed is not None:
                b[rows] = 0

    def run(block: tuple, lo: int, hi: int) -> None:
        """Chunks lo .. hi - 1 of a block; if the kernel compiled without the
        general loop met a layer that needs it at chunk c, chunks c .. hi - 1
        again with the loop (the rows before c are complete: a chunk's row
        depends only on the seed and its trials)."""
        rest = (compiled, paths, in_order, wave_runs)
        c = run_chunks(*block, np.int64(lo), np.int64(hi), *rest, general_loop, *args)
        if c >= 0:
            clear(slice(c, hi))
            run_chunks(*block, np.int64(c), np.int64(hi), *rest, _ON, *args)

    pool = _worker_pool(threads) if threads > 1 else None
    done = 0
    while done < n_trials:
        todo = min(block_trials, n_trials - done)
        clear(slice(None))
        block = (np.int64(seed), np.int64(first_trial + done), np.int64(todo),
                 np.int64(CHUNK_TRIALS))
        used = (todo + CHUNK_TRIALS - 1) // CHUNK_TRIALS
        if pool is None or used == 1:
            run(block, 0, used)
        else:
            # Contiguous ranges of chunks: two threads on neighbouring rows of
            # the accumulators would keep taking each other's cache lines.
            bounds = np.linspace(0, used, min(threads, used) + 1).round().astype(np.int64)
            calls = [pool.submit(run, block, lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]
            for call in calls:
                call.result()
        for total, b, passed in zip(totals, blocks, args):
            if passed is None:
                continue  # not used by this scenario: all zeros
            if b.dtype == np.int64:
                total += b[:used].sum(axis=0)  # integers: exact in any order
            else:
                # Floats: chunk by chunk, in order, on any machine; an accumulate
                # is that running sum, ((total + b[0]) + b[1]) + ..., in one call.
                total[...] = np.add.accumulate(np.concatenate((total[None], b[:used])))[-1]
        done += todo
        if on_progress is not None:
            on_progress(todo)
    return Tallies(*totals)


def _progress_bar(total: int, enabled: bool | None):
    """A named progress bar on stderr (a widget in notebooks), or None when disabled or
    stderr is not a terminal."""
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="trial", unit_scale=True, file=sys.stderr, leave=False,
                desc="simulate")


def simulate(scenario: Scenario | str | dict, trials: int | None = None, seed: int | None = None,
             threads: int | None = None, first_trial: int = 0,
             progress: bool | None = False) -> SimulationResult:
    """Monte Carlo estimate of a scenario's leakers, interceptors and costs.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, the path of a scenario file, or a TOML-shaped dict.
    trials
        Number of trials; default the scenario's ``[simulation] trials``, else 100 000.
    seed
        Random seed (int >= 0); default the scenario's, else 1.
    threads
        Threads to use; default all that numba may use. Results do not depend on it.
    first_trial
        Index of the first trial; runs over disjoint trial ranges of one seed
        merge into one larger run (``SimulationResult.merge``).
    progress
        Show a progress bar on stderr: True, False, or None for "if a terminal".

    Returns
    -------
    SimulationResult
    """
    scenario = as_scenario(scenario)
    settings = RunSettings.resolve(scenario, trials, seed, threads)
    trials, seed = settings.trials, settings.seed
    n_threads = resolve_threads(settings.threads)
    compiled = compile_scenario(scenario)
    bar = _progress_bar(int(trials), progress)
    start = time.perf_counter()
    try:
        tallies = run_trials(compiled, int(seed), int(first_trial), int(trials),
                             bar.update if bar else None, threads=n_threads)
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - start
    return SimulationResult(
        scenario=scenario, trials=int(trials), seed=int(seed), leaker_hist=tallies.hist,
        group_leakers=tallies.group[:, 0].copy(), group_launched=tallies.group[:, 1].copy(),
        layer_totals=tallies.layer, threads=n_threads, elapsed_s=elapsed,
        layer_sumsq=tallies.layer_sq.astype(np.float64),
        cost_sums=tallies.cost.reshape(2, 2).copy(),  # (4,) -> the (2, 2) of SimulationResult
        first_trial=int(first_trial),
        day_totals=tallies.day if scenario.is_campaign else None,
        day_launchers=tallies.day_group if scenario.is_campaign else None,
        day_layers=tallies.day_layer if scenario.is_campaign else None,
        asset_totals=tallies.asset if scenario.has_assets else None,
        damage_sums=tallies.damage if scenario.has_assets else None)
