"""Parallel driver: run a scenario for N trials and return sufficient statistics.

Trials run in blocks of fixed-size chunks; each block's per-chunk
accumulators are summed (integers, so the order of the sum cannot matter) and
then discarded, so memory is bounded by one block whatever the number of
trials. Trial ``k`` takes its randomness from ``(seed, k)`` alone, which makes
results identical for any thread count and any block size.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

import numba
import numpy as np

from ..scenario import Scenario, as_scenario
from ._kernel import N_GROUP_STATS, N_LAYER_STATS, simulate_block
from .compile import CompiledScenario, compile_scenario
from .result import SimulationResult
from .settings import RunSettings, resolve_threads

#: Trials per chunk: the unit of parallel work.
CHUNK_TRIALS = 256
#: Chunks per block, at most; fewer for very large raids (see _chunks_per_block).
MAX_CHUNKS_PER_BLOCK = 128
#: Memory budget for one block's leaker histograms, bytes.
HIST_BUDGET_BYTES = 32 * 2**20

def _chunks_per_block(n_warheads: int) -> int:
    by_memory = HIST_BUDGET_BYTES // (8 * (n_warheads + 1))
    return int(max(1, min(MAX_CHUNKS_PER_BLOCK, by_memory)))


def run_trials(compiled: CompiledScenario, seed: int, first_trial: int, n_trials: int,
               on_progress: Callable[[int], None] | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run trials ``first_trial ..`` of a compiled scenario; return summed counts.

    Returns
    -------
    hist : ndarray, shape (n_warheads + 1,), int64
    group_acc : ndarray, shape (G, 2), int64
    layer_acc : ndarray, shape (L, 4), int64
    """
    n_warheads = compiled.n_warheads
    n_groups = compiled.group_warhead.shape[0]
    n_layers = compiled.layer_units.shape[0]
    hist = np.zeros(n_warheads + 1, np.int64)
    group = np.zeros((n_groups, N_GROUP_STATS), np.int64)
    layer = np.zeros((n_layers, N_LAYER_STATS), np.int64)
    n_chunks = _chunks_per_block(n_warheads)
    block_trials = n_chunks * CHUNK_TRIALS
    b_hist = np.zeros((n_chunks, n_warheads + 1), np.int64)
    b_group = np.zeros((n_chunks, n_groups, N_GROUP_STATS), np.int64)
    b_layer = np.zeros((n_chunks, n_layers, N_LAYER_STATS), np.int64)
    done = 0
    while done < n_trials:
        todo = min(block_trials, n_trials - done)
        b_hist[:] = 0
        b_group[:] = 0
        b_layer[:] = 0
        simulate_block(np.int64(seed), np.int64(first_trial + done), np.int64(todo),
                       np.int64(CHUNK_TRIALS), *compiled, b_hist, b_group, b_layer)
        hist += b_hist.sum(axis=0)
        group += b_group.sum(axis=0)
        layer += b_layer.sum(axis=0)
        done += todo
        if on_progress is not None:
            on_progress(todo)
    return hist, group, layer


def _progress_bar(total: int, enabled: bool | None):
    """A tqdm bar on stderr, or None when disabled or stderr is not a terminal."""
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="trial", unit_scale=True, file=sys.stderr, leave=False)


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
    previous = numba.get_num_threads()
    numba.set_num_threads(n_threads)
    bar = _progress_bar(int(trials), progress)
    start = time.perf_counter()
    try:
        hist, group, layer = run_trials(compiled, int(seed), int(first_trial), int(trials),
                                        bar.update if bar else None)
    finally:
        numba.set_num_threads(previous)
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - start
    return SimulationResult(
        scenario=scenario, trials=int(trials), seed=int(seed), leaker_hist=hist,
        group_leakers=group[:, 0].copy(), group_launched=group[:, 1].copy(),
        layer_totals=layer, first_trial=int(first_trial), threads=n_threads, elapsed_s=elapsed)
