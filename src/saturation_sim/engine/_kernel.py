"""The numba kernels: one trial of the engagement model, and a parallel block of trials.

The rules are those of ``model.md``; the choices it leaves open are written
down in ``docs/model-choices.md``. Kernels assume valid input (validation is
done once, in the scenario room) and see only the flat arrays of
:class:`~saturation_sim.engine.compile.CompiledScenario`.

Time comparisons use an absolute slack of ``EPS_S`` so that, for example, a
window exactly one flyout long means "engage on arrival" whatever the
rounding of ``launch + b - flyout``.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ._numba import jit, jit_parallel
from .rng import (STREAM_AVAILABLE, STREAM_DETECT, STREAM_DISCRIMINATE, STREAM_KILL,
                  STREAM_LAUNCH, STREAM_PRELAUNCH, STREAM_TIEBREAK, draw, stream_key,
                  trial_key)

#: Slack in time comparisons, seconds. A microsecond is far below any physical
#: time in the model and far above double rounding for times up to ~10^9 s.
EPS_S = 1e-6

# Missile states.
DESTROYED_PRELAUNCH = 0
FLYING = 1
KILLED = 2

# Columns of the per-layer accumulator.
LAYER_INTERCEPTORS = 0
LAYER_ENGAGEMENTS = 1
LAYER_KILLS = 2
LAYER_MAGAZINE_EMPTY = 3
N_LAYER_STATS = 4

# Columns of the per-group accumulator.
GROUP_LEAKERS = 0
GROUP_LAUNCHED = 1
N_GROUP_STATS = 2


# --- helpers -------------------------------------------------------------------
# The hot loop of _run_layer is written out in one function on purpose: numba
# reference-counts (atomically) every array passed to a call, and at a few
# calls per missile that cost more than the simulation itself. Helpers here
# take scalars only, or are called once per layer.

@jit
def _before(d1, k1, d2, k2):
    """Earliest-deadline-first order: deadline, then the random tie-break priority."""
    return d1 < d2 or (d1 == d2 and k1 < k2)


@jit
def _sort_by(order, n, key):
    """Sort ``order[:n]`` (missile indices) by ``key[order]``, in place.

    Candidates usually arrive already sorted (one uniform group, or waves in
    time order); only otherwise do we pay for a sort.
    """
    for j in range(1, n):
        if key[order[j]] < key[order[j - 1]]:
            break
    else:
        return
    values = np.empty(n, np.float64)
    for j in range(n):
        values[j] = key[order[j]]
    perm = np.argsort(values)
    copy = order[:n].copy()
    for j in range(n):
        order[j] = copy[perm[j]]


# --- one layer ---------------------------------------------------------------

@jit
def _run_layer(key, l, mg, group_warhead, layer_units, layer_channels,
               layer_magazine, layer_shots, layer_max_eng, layer_flyout_s, layer_detection,
               layer_discrimination, engage_on, engage_a_s, engage_b_s, engage_pkill,
               state, launch, handoff, ready, deadline, tiekey, n_eng, order, requeue,
               engageable, unit_state, ring, layer_acc):
    """Simulate layer ``l`` of one trial (rules 2 and 3 of model.md).

    Updates ``state`` (killed missiles), ``handoff`` (end of each missile's
    last engagement) and ``layer_acc[l, :]``.

    Threats wait in two queues ordered by the time they become engageable:
    ``order`` (first engagement, sorted once) and the FIFO ``requeue``
    (re-engagements under shoot-look-shoot, which become engageable one flyout
    after a start time that never decreases, hence in order). Engageable
    threats sit in the heap ``engageable``, earliest deadline first.
    ``unit_state`` (3, max units) holds each unit's magazine, the head of its
    ring of channel release times, and its busy channels.
    """
    mag = unit_state[0]
    ring_head = unit_state[1]
    ring_busy = unit_state[2]
    n_units = layer_units[l]
    channels = layer_channels[l]
    shots = layer_shots[l]
    if n_units == 0:
        return
    if layer_magazine[l] < shots:
        layer_acc[l, LAYER_MAGAZINE_EMPTY] += 1
        return
    if channels == 0:
        return
    n_missiles = mg.shape[0]
    flyout = layer_flyout_s[l]
    detection = layer_detection[l]
    discrimination = layer_discrimination[l]
    max_eng = layer_max_eng[l]
    key_detect = stream_key(key, STREAM_DETECT, l)
    key_discriminate = stream_key(key, STREAM_DISCRIMINATE, l)
    key_tie = stream_key(key, STREAM_TIEBREAK, l)
    key_kill = stream_key(key, STREAM_KILL, l)

    n_cand = 0
    for i in range(n_missiles):
        if state[i] != FLYING:
            continue
        g = mg[i]
        if engage_on[l, g] == 0:
            continue
        if detection < 1.0 and draw(key_detect, i) >= detection:
            continue
        if group_warhead[g] == 0 and discrimination > 0.0 and draw(key_discriminate, i) < discrimination:
            continue
        r = launch[i] + engage_a_s[l, g]
        if handoff[i] > r:
            r = handoff[i]
        d = launch[i] + engage_b_s[l, g] - flyout  # latest start that ends in the window
        if r > d + EPS_S:
            continue
        ready[i] = r
        deadline[i] = d
        # Random priority among threats with equal deadlines. Drawn for every
        # threat: even "uniform" launch times tie when span_s is below the
        # rounding of start_s.
        tiekey[i] = draw(key_tie, i)
        n_eng[i] = 0
        order[n_cand] = i
        n_cand += 1
    if n_cand == 0:
        return
    _sort_by(order, n_cand, ready)

    for u in range(n_units):
        mag[u] = layer_magazine[l]
        ring_head[u] = 0
        ring_busy[u] = 0

    next_cand = 0   # order[next_cand:] still waits for its first engagement
    rq_head = 0     # requeue is a FIFO ring of capacity n_missiles
    rq_count = 0
    n_ready = 0     # size of the binary min-heap `engageable` (EDF order, see _before)
    t = -np.inf
    while True:
        if n_ready == 0:
            if next_cand == n_cand and rq_count == 0:
                break
            t_wake = np.inf
            if next_cand < n_cand:
                t_wake = ready[order[next_cand]]
            if rq_count > 0 and ready[requeue[rq_head]] < t_wake:
                t_wake = ready[requeue[rq_head]]
            if t_wake > t:
                t = t_wake
        # Admit every threat that has become engageable by t into the heap.
        while True:
            if next_cand < n_cand and ready[order[next_cand]] <= t + EPS_S:
                i = order[next_cand]
                next_cand += 1
            elif rq_count > 0 and ready[requeue[rq_head]] <= t + EPS_S:
                i = requeue[rq_head]
                rq_head += 1
                if rq_head == n_missiles:
                    rq_head = 0
                rq_count -= 1
            else:
                break
            pos = n_ready  # sift up
            n_ready += 1
            while pos > 0:
                parent = (pos - 1) >> 1
                p = engageable[parent]
                if _before(deadline[i], tiekey[i], deadline[p], tiekey[p]):
                    engageable[pos] = p
                    pos = parent
                else:
                    break
            engageable[pos] = i

        while n_ready > 0:
            i = engageable[0]
            # An engagement started now would end after the window: the threat passes.
            expired = deadline[i] < t - EPS_S
            u = -1
            if not expired:
                # Release channels whose engagement has ended; among units with a
                # free channel and a full salvo left, the one with the most
                # interceptors fires (lowest index on ties), which keeps
                # magazines level as a battalion's fire control would.
                best_mag = -1
                for v in range(n_units):
                    base = v * channels
                    while ring_busy[v] > 0 and ring[base + ring_head[v]] <= t + EPS_S:
                        ring_head[v] += 1
                        if ring_head[v] == channels:
                            ring_head[v] = 0
                        ring_busy[v] -= 1
                    if ring_busy[v] < channels and mag[v] >= shots and mag[v] > best_mag:
                        u = v
                        best_mag = mag[v]
                if u < 0:
                    break
            n_ready -= 1  # pop i: move the last item to the root and sift down
            if n_ready > 0:
                last = engageable[n_ready]
                pos = 0
                while True:
                    child = 2 * pos + 1
                    if child >= n_ready:
                        break
                    c2 = child + 1
                    if c2 < n_ready and _before(deadline[engageable[c2]], tiekey[engageable[c2]],
                                                deadline[engageable[child]],
                                                tiekey[engageable[child]]):
                        child = c2
                    ch = engageable[child]
                    if _before(deadline[ch], tiekey[ch], deadline[last], tiekey[last]):
                        engageable[pos] = ch
                        pos = child
                    else:
                        break
                engageable[pos] = last
            if expired:
                continue
            slot = ring_head[u] + ring_busy[u]
            if slot >= channels:
                slot -= channels
            end = t + flyout
            ring[u * channels + slot] = end  # ends never decrease: a FIFO ring suffices
            ring_busy[u] += 1
            mag[u] -= shots
            layer_acc[l, LAYER_INTERCEPTORS] += shots
            layer_acc[l, LAYER_ENGAGEMENTS] += 1
            k = n_eng[i]
            n_eng[i] = k + 1
            handoff[i] = end
            if draw(key_kill, k * n_missiles + i) < engage_pkill[l, mg[i]]:
                state[i] = KILLED
                layer_acc[l, LAYER_KILLS] += 1
            elif k + 1 < max_eng and end <= deadline[i] + EPS_S:
                ready[i] = end  # shoot-look-shoot: engageable again once the kill is assessed
                slot = rq_head + rq_count
                if slot >= n_missiles:
                    slot -= n_missiles
                requeue[slot] = i
                rq_count += 1

        if n_ready == 0:
            continue
        # Threats wait; jump to the next channel release of a unit that can still fire.
        t_next = np.inf
        for v in range(n_units):
            if mag[v] >= shots and ring_busy[v] > 0:
                r = ring[v * channels + ring_head[v]]
                if r < t_next:
                    t_next = r
        if t_next == np.inf:
            break  # every magazine is spent: the rest pass
        t = t_next

    for u in range(n_units):
        if mag[u] >= shots:
            return
    layer_acc[l, LAYER_MAGAZINE_EMPTY] += 1


# --- a chunk of trials and a block of chunks ------------------------------------------

@jit
def _sorted_uniforms(key_launch, first, n, out, scratch, bucket_start):
    """Fill ``out[first:first + n]`` with n iid U(0, 1) draws in increasing order.

    A bucket sort (n buckets, then an insertion pass over a nearly sorted
    array) costs O(n) and no logarithms. Draw j is ``draw(key_launch, first + j)``;
    ``scratch`` (at least ``first + n`` long) holds the draws meanwhile.
    """
    for b in range(n + 1):
        bucket_start[b] = 0
    for j in range(n):
        u = draw(key_launch, first + j)
        scratch[first + j] = u
        bucket_start[int(u * n) + 1] += 1
    for b in range(1, n + 1):
        bucket_start[b] += bucket_start[b - 1]
    for j in range(first, first + n):
        u = scratch[j]
        b = int(u * n)
        out[first + bucket_start[b]] = u
        bucket_start[b] += 1
    for j in range(first + 1, first + n):
        x = out[j]
        k = j - 1
        while k >= first and out[k] > x:
            out[k + 1] = out[k]
            k -= 1
        out[k + 1] = x


@jit
def _launch_raid(key, mg, missile_time_s, group_first, group_count, group_span_s,
                 group_prelaunch, state, launch, handoff, scratch, bucket_start, group_acc):
    """Rule 1: counterstrike and launch times (raid streams only).

    Uniform launch times are generated in increasing order, which keeps the
    layers' queues sorted for free.
    """
    key_prelaunch = stream_key(key, STREAM_PRELAUNCH, 0)
    key_launch = stream_key(key, STREAM_LAUNCH, 0)
    for g in range(group_first.shape[0]):
        first = group_first[g]
        n = group_count[g]
        span = group_span_s[g]
        if span > 0.0:
            _sorted_uniforms(key_launch, first, n, launch, scratch, bucket_start)
            for i in range(first, first + n):
                launch[i] = missile_time_s[i] + span * launch[i]
        else:
            for i in range(first, first + n):
                launch[i] = missile_time_s[i]
        p = group_prelaunch[g]
        for i in range(first, first + n):
            handoff[i] = -np.inf
            if p > 0.0 and draw(key_prelaunch, i) < p:
                state[i] = DESTROYED_PRELAUNCH
            else:
                state[i] = FLYING
                group_acc[g, GROUP_LAUNCHED] += 1


@jit
def _run_chunk(seed, start, stop, mg, missile_time_s, group_first, group_count, group_span_s,
               group_warhead, group_prelaunch, layer_units, layer_channels, layer_magazine,
               layer_shots, layer_max_eng, layer_flyout_s, layer_detection,
               layer_discrimination, layer_availability, engage_on, engage_a_s, engage_b_s,
               engage_pkill, hist, group_acc, layer_acc):
    """Simulate trials ``start .. stop - 1`` (one chunk) and add to the accumulators.

    One call per chunk, with the raid and the layers inlined into the trial
    loop: numba reference-counts every array argument of a call, and at one
    call per trial and layer that cost a quarter of the run time.

    Parameters
    ----------
    hist : ndarray, shape (n_warheads + 1,), int64
    group_acc : ndarray, shape (G, 2), int64
    layer_acc : ndarray, shape (L, 4), int64
    """
    n_missiles = mg.shape[0]
    max_units = 1
    max_ring = 1
    for l in range(layer_units.shape[0]):
        max_units = max(max_units, layer_units[l])
        max_ring = max(max_ring, layer_units[l] * layer_channels[l])
    # Workspace, allocated once per chunk: memory does not grow with trials.
    state = np.empty(n_missiles, np.int64)
    launch = np.empty(n_missiles, np.float64)
    handoff = np.empty(n_missiles, np.float64)
    ready = np.empty(n_missiles, np.float64)
    deadline = np.empty(n_missiles, np.float64)
    tiekey = np.empty(n_missiles, np.float64)
    n_eng = np.empty(n_missiles, np.int64)
    order = np.empty(n_missiles, np.int64)
    requeue = np.empty(n_missiles, np.int64)
    engageable = np.empty(n_missiles, np.int64)
    bucket_start = np.empty(n_missiles + 1, np.int64)
    unit_state = np.empty((3, max_units), np.int64)
    ring = np.empty(max_ring, np.float64)
    for trial in range(start, stop):
        key = trial_key(seed, trial)
        # Rule 1: counterstrike and launch times.
        _launch_raid(key, mg, missile_time_s, group_first, group_count, group_span_s,
                     group_prelaunch, state, launch, handoff, ready, bucket_start, group_acc)
        # Rules 2 and 3: layers in order, outer first.
        key_available = stream_key(key, STREAM_AVAILABLE, 0)
        for l in range(layer_units.shape[0]):
            av = layer_availability[l]
            if av < 1.0 and draw(key_available, l) >= av:
                continue
            _run_layer(key, l, mg, group_warhead, layer_units, layer_channels,
                       layer_magazine, layer_shots, layer_max_eng, layer_flyout_s,
                       layer_detection, layer_discrimination, engage_on, engage_a_s,
                       engage_b_s, engage_pkill, state, launch, handoff, ready, deadline,
                       tiekey, n_eng, order, requeue, engageable, unit_state, ring, layer_acc)
        # Rule 4: surviving warheads leak.
        leakers = 0
        for i in range(n_missiles):
            if state[i] == FLYING and group_warhead[mg[i]] == 1:
                leakers += 1
                group_acc[mg[i], GROUP_LEAKERS] += 1
        hist[leakers] += 1


@jit_parallel
def simulate_block(seed, first_trial, n_trials, chunk_trials,
                   mg, missile_time_s, group_first, group_count, group_span_s, group_warhead,
                   group_prelaunch, layer_units, layer_channels, layer_magazine, layer_shots,
                   layer_max_eng, layer_flyout_s, layer_detection, layer_discrimination,
                   layer_availability, engage_on, engage_a_s, engage_b_s, engage_pkill,
                   hist, group_acc, layer_acc):
    """Run trials ``first_trial .. first_trial + n_trials - 1`` in parallel chunks.

    Parameters
    ----------
    seed, first_trial, n_trials, chunk_trials : int
        Trial ``k`` draws all its randomness from ``(seed, k)``, so the result
        does not depend on chunking or on the number of threads.
    mg ... engage_pkill : ndarray
        The arrays of :class:`CompiledScenario`, in its field order.
    hist : ndarray, shape (n_chunks, n_warheads + 1), int64
        Zeroed on entry; ``hist[c, k]`` counts trials of chunk c with k leakers.
    group_acc : ndarray, shape (n_chunks, G, 2), int64
        Zeroed on entry; summed leakers and launched missiles per group.
    layer_acc : ndarray, shape (n_chunks, L, 4), int64
        Zeroed on entry; summed interceptors, engagements, kills and
        magazine-empty trials per layer.

    Notes
    -----
    Each chunk writes only its own row of the accumulators (no shared
    writes); the caller reduces them.
    """
    n_chunks = (n_trials + chunk_trials - 1) // chunk_trials
    for c in prange(n_chunks):
        start = first_trial + c * chunk_trials
        stop = min(start + chunk_trials, first_trial + n_trials)
        _run_chunk(seed, start, stop, mg, missile_time_s, group_first, group_count,
                   group_span_s, group_warhead, group_prelaunch, layer_units, layer_channels,
                   layer_magazine, layer_shots, layer_max_eng, layer_flyout_s,
                   layer_detection, layer_discrimination, layer_availability, engage_on,
                   engage_a_s, engage_b_s, engage_pkill, hist[c], group_acc[c], layer_acc[c])
