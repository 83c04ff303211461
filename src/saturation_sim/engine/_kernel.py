"""The numba kernel: the engagement model, trial by trial, over chunks of trials.

The rules are those of ``model.md``; the choices it leaves open are written
down in ``docs/model.md``. Kernels assume valid input (validation is
done once, in the scenario room) and see only the flat arrays of
:class:`~saturation_sim.engine.compile.CompiledScenario`, passed as one
named tuple.

Time comparisons use an absolute slack of ``EPS_S`` so that, for example, a
window exactly one flyout long means "engage on arrival" whatever the
rounding of ``launch + b - flyout``.

Each layer runs on one of two paths, picked per layer by the driver
(``PATH_*``) and confirmed per trial from the candidates:

- the **in-order** pass, when a threat is engaged at most once and the
  candidates, taken in missile order, become engageable in order and have
  strictly increasing deadlines: earliest deadline first is then arrival
  order, so no heap and no tie-break priority is needed;
- the **general** event loop, with a binary heap of engageable threats in
  earliest-deadline-first order and random tie-break priorities, beside which
  a wave (threats engageable from one instant, with one deadline) waits as an
  unsorted run, scanned for its earliest priority only when its deadline comes
  up (see ``_RUN_MIN``).

Both give the same result, trial by trial (``tests/test_reference.py``).

numba compiles the kernel once per combination of the optional arguments it
gets as arrays or ``None`` (it prunes the branches on ``None``), so a scenario
pays to compile only the code it can use: campaign days, assets and tracks,
the runs of waves, the in-order pass (left out when no layer takes it) and the
general loop itself (left out when every layer takes the in-order pass; see
``run_chunks``'s ``general``).
"""

from __future__ import annotations

import numpy as np

from ._numba import jit, jit_inline
from .rng import (STREAM_ATTRITION, STREAM_AVAILABLE, STREAM_DAY, STREAM_DETECT,
                  STREAM_DISCRIMINATE, STREAM_KILL, STREAM_LAUNCH, STREAM_PRELAUNCH,
                  STREAM_TARGET, STREAM_TIEBREAK, _S11, bits, draw, exp1, stream_key,
                  trial_key)

#: Slack in time comparisons, seconds. A microsecond is far below any physical
#: time in the model and far above double rounding for times up to ~10^9 s.
EPS_S = 1e-6

# Missile states.
DESTROYED_PRELAUNCH = 0
FLYING = 1
KILLED = 2   # FLYING + 1: the in-order pass sets a missile's state without a branch

# Columns of the per-layer accumulator.
LAYER_INTERCEPTORS = 0
LAYER_ENGAGEMENTS = 1
LAYER_KILLS = 2
LAYER_MAGAZINE_EMPTY = 3
N_LAYER_STATS = 4
#: Columns of the per-layer sums of squares: interceptors, engagements, kills.
N_LAYER_SQ = 3

# Columns of the per-group accumulator.
GROUP_LEAKERS = 0
GROUP_LAUNCHED = 1
N_GROUP_STATS = 2

# Columns of the per-target accumulator (assets, then open ground): missiles
# launched at it, leakers, their square, and trials with at least one leaker.
ASSET_TARGETED = 0
ASSET_LEAKERS = 1
ASSET_LEAKERS_SQ = 2
ASSET_ANY_LEAK = 3
N_ASSET_STATS = 4

# Columns of the per-day accumulator (campaigns).
DAY_LAUNCHED = 0
DAY_LEAKERS = 1
DAY_LEAKERS_SQ = 2
N_DAY_STATS = 3
# Columns of the per-day, per-layer accumulator: interceptors fired that day,
# loaded interceptors and depot at the end of the day (after reloading), and
# trials in which no unit held a full salvo at the end of that day's raid.
DAYL_INTERCEPTORS = 0
DAYL_MAGAZINE = 1
DAYL_DEPOT = 2
DAYL_EMPTY = 3
N_DAYL_STATS = 4

#: Layer paths (the driver's ``paths`` array).
PATH_GENERAL = 0
PATH_IN_ORDER = 1


# --- helpers -------------------------------------------------------------------
# numba reference-counts (atomically) every array passed to a call, so the
# hot loops take no array-passing helper calls per missile: helpers here take
# scalars only (plain ``jit``: LLVM inlines them, and numba's IR-level inlining
# would re-analyse this whole kernel at every call site), are called once per
# layer or per batch of track requests, or take arrays and are inlined
# (``jit_inline``).

@jit
def _before(d1, k1, d2, k2):
    """Earliest-deadline-first order: deadline, then the random tie-break priority.

    Bitwise, not short-circuit: no branch to mispredict inside the heap's
    comparisons (ties, which random priorities break, are common).
    """
    return (d1 < d2) | ((d1 == d2) & (k1 < k2))


@jit_inline
def _edf_sift_up(engageable, heap_d, heap_k, pos, m, d, k):
    """Put missile ``m`` (deadline ``d``, priority ``k``) in the hole at ``pos`` of the
    general loop's EDF heap and sift it up (a push when ``pos`` is the heap's size).

    Inlined at numba-IR level, so the hot loop pays no call and no array
    reference counting for it.
    """
    while pos > 0:
        parent = (pos - 1) >> 1
        if _before(d, k, heap_d[parent], heap_k[parent]):
            heap_d[pos] = heap_d[parent]
            heap_k[pos] = heap_k[parent]
            engageable[pos] = engageable[parent]
            pos = parent
        else:
            break
    heap_d[pos] = d
    heap_k[pos] = k
    engageable[pos] = m


#: Threats admitted to the general loop at one instant with one deadline (a
#: wave) form a *run* of the EDF queue, kept apart from the heap, when there are
#: at least _RUN_MIN and at most _RUN_MAX of them and fewer than _RUNS runs
#: wait. A run is not sorted: its earliest priority is found by a scan when it
#: is needed (a run whose deadline never comes up is never looked at), which
#: costs less than heap operations when few of a wave are engaged before the
#: magazines run dry or the waves behind take over.
_RUN_MIN = 4
_RUN_MAX = 256
_RUNS = 8


#: Fire units wait in a max-heap of integer keys ``(magazine << _UNIT_BITS) |
#: (_UNIT_MASK - unit)``: most interceptors first, the lowest unit on ties, in one
#: comparison and with no indirection (units < 2^20 and magazines < 2^30 are
#: checked on load, so keys stay below 2^50).
_UNIT_BITS = 20
_UNIT_MASK = (1 << _UNIT_BITS) - 1


@jit_inline
def _unit_push(avail, n_avail, key):
    """Push ``key`` on the fire-unit max-heap ``avail[:n_avail]``; return its new size.

    Inlined at numba-IR level, so the hot loops pay no call and no array
    reference counting for it.
    """
    pos = n_avail
    while pos > 0:
        parent = (pos - 1) >> 1
        if key > avail[parent]:
            avail[pos] = avail[parent]
            pos = parent
        else:
            break
    avail[pos] = key
    return n_avail + 1


@jit_inline
def _unit_sift_root(avail, n_avail, key):
    """Put ``key`` at the root of the fire-unit max-heap ``avail[:n_avail]`` and sift it
    down (a unit's key fell, or the last key replaces the removed root)."""
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= n_avail:
            break
        if child + 1 < n_avail and avail[child + 1] > avail[child]:
            child += 1
        if avail[child] > key:
            avail[pos] = avail[child]
            pos = child
        else:
            break
    avail[pos] = key


@jit_inline
def _fill_units(magazine, n_units, mag, busy, apos, avail):
    """One raid: a site's ``n_units`` units start with ``magazine`` interceptors
    (at least one salvo), no busy channel, all in the heap ``avail``; equal
    magazines make the keys fall with the index, so index order is a heap.

    Returns
    -------
    int
        Units holding a full salvo: ``n_units``.
    """
    for u in range(n_units):
        mag[u] = magazine
        busy[u] = 0
        apos[u] = 0
        avail[u] = (magazine << _UNIT_BITS) | (_UNIT_MASK - u)
    return n_units


@jit
def _load_units(cmag, l, unit0, n_units, shots, mag, busy, apos, avail):
    """Campaigns: load the units ``unit0 ..`` of a site of layer ``l`` with what their
    magazines hold today (the site's unit u is the layer's unit0 + u).

    Units holding a full salvo enter the heap ``avail`` (their keys, see
    ``_UNIT_BITS``) and get ``apos = 0``; the others get ``apos = -1``. Called
    once per site and day.

    Returns
    -------
    int
        Units holding a full salvo (the heap's size).
    """
    n_avail = 0
    for u in range(n_units):
        m = cmag[l, unit0 + u]
        mag[u] = m
        busy[u] = 0
        apos[u] = -1
        if m < shots:
            continue
        n_avail = _unit_push(avail, n_avail, (m << _UNIT_BITS) | (_UNIT_MASK - u))
        apos[u] = 0
    return n_avail


@jit
def _end_of_day(sc, key0, day, alive, cmag, depot, fired, empty, day_layer):
    """Campaigns: the end of day ``day`` of a trial, and its per-day layer sums.

    In order (docs/model.md, "Campaigns"): 1. each surviving launcher is
    destroyed with ``launcher_kill``; 2. production enters the depots; 3. each
    unit, in index order, draws up to ``reload_per_day`` from its layer's
    depot, never above a full magazine. Called once per day (kept out of
    ``run_chunks`` so that the one-raid path's code stays as it was).

    Parameters
    ----------
    key0 : uint64
        The trial's key (attrition draws from its own stream, per day).
    alive : ndarray, shape (G,), int64
        Launchers alive; updated.
    cmag : ndarray, shape (L, max_units), int64
        Each unit's magazine; updated.
    depot : ndarray, shape (L,), int64
        Updated.
    fired, empty : ndarray, shape (L,), int64
        The day's interceptors fired and magazine-empty flags per layer.
    day_layer : ndarray, shape (D, L, 4), int64
        Gets the day's ``DAYL_*`` columns added.
    """
    launcher_kill = sc.launcher_kill[0]
    group_launchers = sc.group_launchers
    if launcher_kill > 0.0:
        key_attrition = stream_key(key0, STREAM_ATTRITION, day)
        b = 0
        for g in range(alive.shape[0]):
            survivors = 0
            for j in range(alive[g]):
                if draw(key_attrition, b + j) >= launcher_kill:
                    survivors += 1
            alive[g] = survivors
            b += group_launchers[g]
    layer_units = sc.layer_units
    layer_magazine = sc.layer_magazine
    layer_reload = sc.layer_reload
    layer_production = sc.layer_production
    for l in range(depot.shape[0]):
        depot[l] += layer_production[l, day]
        reload = layer_reload[l]
        magazine = layer_magazine[l]
        loaded = 0
        for u in range(layer_units[l]):
            take = min(reload, magazine - cmag[l, u], depot[l])
            if take > 0:
                cmag[l, u] += take
                depot[l] -= take
            loaded += cmag[l, u]
        day_layer[day, l, DAYL_INTERCEPTORS] += fired[l]
        day_layer[day, l, DAYL_MAGAZINE] += loaded
        day_layer[day, l, DAYL_DEPOT] += depot[l]
        day_layer[day, l, DAYL_EMPTY] += empty[l]


@jit_inline
def _sift_down(values, idx, root, n):
    """Restore the max-heap order of ``values[:n]`` (with ``idx`` alongside) below ``root``."""
    v = values[root]
    m = idx[root]
    child = 2 * root + 1
    while child < n:
        if child + 1 < n and values[child + 1] > values[child]:
            child += 1
        if values[child] <= v:
            break
        values[root] = values[child]
        idx[root] = idx[child]
        root = child
        child = 2 * root + 1
    values[root] = v
    idx[root] = m


@jit
def _sort_by(order, n, key):
    """Sort ``order[:n]`` (missile indices) by ``key[order]``, in place.

    Used for the general loop's `extra` run (hand-offs and out-of-order
    launches) when it is not already in order. An insertion sort when short,
    else a heapsort over the keys gathered once: O(n log n) with no recursion.
    It is written here rather than taken from ``np.argsort`` because numba
    compiles its generic quicksort for every array type, which cost seconds of
    every cold start. Need not be stable: the general loop admits threats of
    equal ready time together, and the heap orders them by deadline and
    priority alone (track requests of one instant, which do depend on the
    priority, are chosen by :func:`_select_first`).
    """
    if n <= 24:
        for j in range(1, n):
            x = order[j]
            kx = key[x]
            q = j - 1
            while q >= 0 and key[order[q]] > kx:
                order[q + 1] = order[q]
                q -= 1
            order[q + 1] = x
        return
    values = np.empty(n, np.float64)
    idx = np.empty(n, np.int64)
    for j in range(n):
        m = order[j]
        idx[j] = m
        values[j] = key[m]
    for root in range(n // 2 - 1, -1, -1):
        _sift_down(values, idx, root, n)
    for end in range(n - 1, 0, -1):
        v = values[end]
        m = idx[end]
        values[end] = values[0]
        idx[end] = idx[0]
        values[0] = v
        idx[0] = m
        _sift_down(values, idx, 0, end)
    for j in range(n):
        order[j] = idx[j]


@jit
def _select_first(order, n, k, key):
    """Reorder ``order[:n]`` so that ``order[:k]`` are the ``k`` entries with the
    smallest ``key[order]``, in no particular order (a quickselect: O(n) on
    average, where sorting all ``n`` would be O(n log n))."""
    lo = 0
    hi = n - 1
    target = k - 1
    if target < 0 or target >= hi:
        return
    while lo < hi:
        mid = (lo + hi) >> 1
        a = key[order[lo]]
        b = key[order[mid]]
        c = key[order[hi]]
        pivot = max(min(a, b), min(max(a, b), c))  # the median of the three
        i = lo
        j = hi
        while i <= j:
            while key[order[i]] < pivot:
                i += 1
            while key[order[j]] > pivot:
                j -= 1
            if i <= j:
                x = order[i]
                order[i] = order[j]
                order[j] = x
                i += 1
                j -= 1
        # now order[lo:j + 1] <= pivot <= order[i:hi + 1], and j < i
        if target <= j:
            hi = j
        elif target >= i:
            lo = i
        else:
            return


@jit
def split_targets(shares, n, out):
    """Aim ``n`` missiles of a group whose allocation is "split" (docs/model.md).

    Target a gets ``floor(n * shares[a] + 1e-9)`` missiles, and the missiles
    left over go one each to the largest fractional parts: to the lowest index
    whose part is within 1e-9 of the largest (so shares written in decimals
    that tie in exact arithmetic tie here too). Missile k then goes to the target with missiles still to place
    whose next one is most overdue, ``(placed + 0.5) / count`` smallest (lower
    index on ties), so each target's missiles spread evenly through the
    group's launch order. Called once per group and raid size.

    Parameters
    ----------
    shares : ndarray, shape (T,), float64
        Shares of the targets (assets, then open ground), summing to 1.
    n : int
    out : ndarray, shape (n,), int64
        Gets the target of each missile.
    """
    n_targets = shares.shape[0]
    count = np.zeros(n_targets, np.int64)
    frac = np.empty(n_targets, np.float64)
    placed = 0
    for a in range(n_targets):
        q = n * shares[a]
        count[a] = np.int64(np.floor(q + 1e-9))
        frac[a] = q - count[a]
        placed += count[a]
    for _ in range(n - placed):
        top = -np.inf
        for a in range(n_targets):
            top = max(top, frac[a])
        best = 0
        while frac[best] < top - 1e-9:
            best += 1
        count[best] += 1
        frac[best] = -np.inf
    done = np.zeros(n_targets, np.int64)
    for k in range(n):
        best = -1
        due = np.inf
        for a in range(n_targets):
            if done[a] < count[a]:
                v = (done[a] + 0.5) / count[a]
                if v < due:
                    due = v
                    best = a
        out[k] = best
        done[best] += 1


# --- a chunk of trials and a block of chunks ------------------------------------------

@jit
def run_chunks(seed, first_trial, n_trials, chunk_trials, c_first, c_stop, sc, paths, in_order,
               waves, general, hist, group_acc, layer_acc, layer_sq, cost_acc, day_acc, day_group, day_layer,
               asset_acc, damage_acc):
    """Simulate chunks ``c_first .. c_stop - 1`` of a block of trials.

    The block is trials ``first_trial .. first_trial + n_trials - 1`` in chunks
    of ``chunk_trials`` (the last may be shorter); chunk ``c`` adds its trials
    to row ``c`` of every accumulator. Rule 1 (the raid), rules 2 and 3 for
    each layer (in-order pass or general event loop, see the module docstring)
    and rule 4, trial by trial. The driver runs one call per thread (numba
    releases the GIL), each thread taking a contiguous range of chunks (threads
    working on neighbouring rows would share the rows' cache lines); trial
    ``k`` draws all its randomness from ``(seed, k)`` and each chunk sums its
    own trials in order, so no result depends on the threads.

    Parameters
    ----------
    seed, first_trial, n_trials, chunk_trials, c_first, c_stop : int
    sc : CompiledScenario
        The scenario's arrays, as one named tuple.
    paths : ndarray, shape (L,), int64
        ``PATH_*`` of each layer (see the module docstring).
    in_order : ndarray, shape (1,), int64, or None
        Any array to compile the in-order pass in; None when no layer is given
        it (``paths``), and numba then compiles the kernel without it.
    waves : ndarray, shape (1,), int64, or None
        Any array to let the general loop keep waves of threats as runs beside
        its heap (see ``_RUN_MIN``); None when no group launches several
        missiles at one instant, and numba then compiles the loop without that
        code (the runs are a faster way to the same order: results do not
        depend on this).
    general : ndarray, shape (1,), int64, or None
        Any array to compile the general loop in; None when every layer takes the
        in-order pass (``driver.needs_general``), and numba then compiles the
        kernel without the loop, which halves the compile. Should the pass fail
        all the same (a deadline tie), the call stops and returns the chunk,
        and the driver runs the call's chunks again with the loop.
    hist : ndarray, shape (n_chunks, n_warheads + 1), int64
        ``hist[c, k]`` counts trials of chunk c with k leakers.
    group_acc : ndarray, shape (n_chunks, G, 2), int64
        Summed leakers and launched missiles per group.
    layer_acc : ndarray, shape (n_chunks, L, 4), int64
        Summed interceptors, engagements, kills and magazine-empty trials per layer.
    layer_sq : ndarray, shape (n_chunks, L, 3), int64
        Sums of squared interceptors, engagements and kills per trial.
    cost_acc : ndarray, shape (n_chunks, 4), float64
        Sums over trials of the defender's cost, its square, the attacker's cost
        and its square (O(L + G) work per trial, whatever the number of groups).
    day_acc : ndarray, shape (n_chunks, D, 3), int64, or None
        Campaigns: per day, summed launched missiles, leakers and squared leakers.
        None (and so ``day_group`` and ``day_layer``) for a single raid.
    day_group : ndarray, shape (n_chunks, D, G), int64
        Campaigns: per day, summed launchers alive before the day's launches.
    day_layer : ndarray, shape (n_chunks, D, L, 4), int64
        Campaigns: per day, summed ``DAYL_*`` columns.
    asset_acc : ndarray, shape (n_chunks, T, 4), int64, or None
        Scenarios with assets or track capacity: per target (assets, then open
        ground), the ``ASSET_*`` sums. None for the others, whose kernel is then
        compiled without targets, site filters and tracks (and so ``damage_acc``).
    damage_acc : ndarray, shape (n_chunks, 2), float64
        Sums over trials of the value-weighted leakers and their square.

    Returns
    -------
    int
        -1; or, compiled without the general loop, the chunk at which a layer
        needed it: the rows before it are complete, its own row is partial and
        the later rows are untouched.

    Notes
    -----
    The accumulators arrive zeroed; the caller reduces their rows in chunk
    order. The integer tallies cannot depend on the order of reduction; the
    float sums are summed in a fixed order for given (first_trial, n_trials),
    so they never depend on the number of threads (and are exact whenever
    costs and values are whole numbers).

    A campaign (D > 1 days) runs as a loop over (trial, day) pairs around the
    one-raid body, so both share every line of it; stocks (magazines, depots,
    launchers, inventories) carry from day to day, and everything else starts
    afresh each day. All the other accumulators describe a trial's whole
    campaign.
    """
    # Every field of sc is read into a local once per chunk: numba counts
    # references (atomically) of each array passed to a call or read from a
    # tuple, which in a per-trial call cost ~15% of the run time. Hence also
    # the whole trial, raid and layers, written out in this one function.
    mg = sc.missile_group
    missile_time_s = sc.missile_time_s
    group_first = sc.group_first
    group_count = sc.group_count
    group_span_s = sc.group_span_s
    group_warhead = sc.group_warhead
    group_prelaunch = sc.group_prelaunch
    group_sorted = sc.group_sorted
    layer_units = sc.layer_units
    layer_channels = sc.layer_channels
    layer_magazine = sc.layer_magazine
    layer_shots = sc.layer_shots
    layer_max_eng = sc.layer_max_eng
    layer_flyout_s = sc.layer_flyout_s
    layer_detection = sc.layer_detection
    layer_discrimination = sc.layer_discrimination
    layer_detect_below = sc.layer_detect_below
    layer_recognise_below = sc.layer_recognise_below
    layer_availability = sc.layer_availability
    engage_on = sc.engage_on
    engage_a_s = sc.engage_a_s
    engage_b_s = sc.engage_b_s
    kill_below = sc.engage_kill_below
    layer_cost = sc.layer_cost
    group_cost = sc.group_cost
    # A campaign passes its per-day accumulators; a single raid passes None, and
    # numba then compiles this function without any `day_acc is not None`
    # branch (it prunes branches on None arguments), so the one-raid path
    # carries no campaign code.
    n_days = sc.campaign_days[0]
    group_launchers = sc.group_launchers
    group_per_launcher = sc.group_per_launcher
    group_inventory = sc.group_inventory
    layer_depot = sc.layer_depot
    layer_daily = sc.layer_daily_availability
    site_first = sc.layer_site_first
    site_units = sc.site_units
    site_unit0 = sc.site_unit0
    site_cover = sc.site_cover
    layer_track = sc.layer_track
    group_cum = sc.group_target_cum
    group_shares = sc.group_target_shares
    group_random = sc.group_random
    target_value = sc.target_value
    n_targets = target_value.shape[0]
    open_ground = n_targets - 1
    n_missiles = mg.shape[0]
    n_groups = group_first.shape[0]
    n_layers = layer_units.shape[0]
    max_units = 1
    max_ring = 1
    for l in range(n_layers):
        max_units = max(max_units, layer_units[l])
        max_ring = max(max_ring, layer_units[l] * layer_channels[l])
    # Workspace, allocated once per chunk: memory does not grow with trials.
    state = np.empty(n_missiles, np.int64)
    launch = np.empty(n_missiles, np.float64)
    handoff = np.empty(n_missiles, np.float64)    # end of the last engagement in an earlier layer
    ready = np.empty(n_missiles, np.float64)
    deadline = np.empty(n_missiles, np.float64)
    tiekey = np.empty(n_missiles, np.float64)
    n_eng = np.empty(n_missiles, np.int64)
    requeue = np.empty(n_missiles, np.int64)      # FIFO of shoot-look-shoot re-engagements
    engageable = np.empty(n_missiles, np.int64)   # EDF heap of the general loop: missiles,
    heap_d = np.empty(n_missiles, np.float64)     # their deadlines
    heap_k = np.empty(n_missiles, np.float64)     # and tie-break priorities, kept in the heap
    # Runs of the EDF queue (see _RUN_MIN): run r's threats have deadline
    # run_d[r] and sit, unsorted, in pool_k (priorities) and pool_m (missiles)
    # [run_lo[r]:run_end[r]]; run_hp[r] is the position of its earliest
    # priority run_hk[r], or -1 when not yet found.
    if waves is not None:
        pool_cap = 2 * n_missiles
        pool_d = np.empty(pool_cap, np.float64)
        pool_k = np.empty(pool_cap, np.float64)
        pool_m = np.empty(pool_cap, np.int64)
        run_lo = np.empty(_RUNS, np.int64)
        run_end = np.empty(_RUNS, np.int64)
        run_top = np.empty(_RUNS, np.int64)          # and run_end[r] when it was made
        run_d = np.empty(_RUNS, np.float64)
        run_hp = np.empty(_RUNS, np.int64)
        run_hk = np.empty(_RUNS, np.float64)
    # Fire units of the current layer: magazine, busy channels, and whether
    # (apos 0, else -1) the unit is in the heap `avail` of units that can fire
    # now (free channel and a full salvo), which holds their keys (most
    # interceptors first, lowest index on ties; see _UNIT_BITS).
    # Engagements all last one flyout and start at times that never decrease,
    # so they end in start order: one FIFO ring (rel_t, rel_u) of release
    # times and units serves all units of a layer.
    mag = np.empty(max_units, np.int64)
    busy = np.empty(max_units, np.int64)
    apos = np.empty(max_units, np.int64)
    avail = np.empty(max_units, np.int64)
    rel_t = np.empty(max_ring, np.float64)
    rel_u = np.empty(max_ring, np.int64)
    touched = np.empty(n_missiles, np.int64)     # missiles engaged in this trial so far
    extra = np.empty(n_missiles, np.int64)       # the general loop's unsorted candidates
    src_a = np.empty(n_groups, np.float64)       # the general loop's sorted runs (groups)
    src_b = np.empty(n_groups, np.float64)
    src_cur = np.empty(n_groups, np.int64)
    src_end = np.empty(n_groups, np.int64)
    src_head = np.empty(n_groups, np.int64)
    src_decoy = np.empty(n_groups, np.int64)
    src_mapped = np.zeros(n_groups, np.int64)    # 1: the run reads tgt_order[cur], not cur
    run_a = np.empty(n_groups, np.float64)       # a group's window start if it has a run, else inf
    group_launched = np.zeros(n_groups, np.int64)
    # Targets (assets, then open ground): each missile's, the raid size its
    # "split" assignment was made for, and the tracks of the general loop: ends
    # of killing engagements (a FIFO) and window closes (a heap).
    target = sc.missile_target.copy()
    split_n = group_count.copy()
    kill_t = np.empty(n_missiles, np.float64)
    kill_m = np.empty(n_missiles, np.int64)
    # Missiles by target (see rule 1): tgt_order[tgt_first[g, a]:tgt_first[g, a + 1]]
    # are group g's missiles aimed at target a, in missile order.
    tgt_order = np.empty(n_missiles, np.int64)
    tgt_first = np.zeros((n_groups, n_targets + 1), np.int64)
    tgt_fill = np.zeros(n_targets, np.int64)
    aim_changed = np.ones(n_groups, np.int64)    # 1: group g's slices must be sorted again
    # Per group and target, the raid's missiles destroyed before launch and killed:
    # with the slices' sizes they give the per-target counts without a pass over missiles.
    tgt_pre = np.zeros((n_groups, n_targets), np.int64)
    tgt_kill = np.zeros((n_groups, n_targets), np.int64)
    site_single = sc.site_single
    batch = np.empty(n_missiles, np.int64)
    freed = np.zeros(n_missiles, np.int64)
    stamp = 0
    close_t = np.empty(n_missiles, np.float64)
    close_m = np.empty(n_missiles, np.int64)
    day_targeted = np.zeros(n_targets, np.int64)
    day_hit = np.zeros(n_targets, np.int64)
    tot_targeted = np.zeros(n_targets, np.int64)
    tot_hit = np.zeros(n_targets, np.int64)
    group_kills = np.zeros(n_groups, np.int64)
    trial_int = np.zeros(n_layers, np.int64)
    # A day's counts per layer, and the trial's totals over its days.
    day_eng = np.zeros(n_layers, np.int64)
    day_kill = np.zeros(n_layers, np.int64)
    day_empty = np.zeros(n_layers, np.int64)
    tot_int = np.zeros(n_layers, np.int64)
    tot_eng = np.zeros(n_layers, np.int64)
    tot_kill = np.zeros(n_layers, np.int64)
    tot_empty = np.zeros(n_layers, np.int64)   # 1 if the layer ran dry on some day
    tot_launched = np.zeros(n_groups, np.int64)
    tot_leak = np.zeros(n_groups, np.int64)
    day_leak = np.zeros(n_groups, np.int64)
    if day_acc is None:
        # One raid: its totals are the day's counts (no copying per trial).
        tot_int = trial_int
        tot_eng = day_eng
        tot_kill = day_kill
        tot_empty = day_empty
        tot_launched = group_launched
        tot_leak = day_leak
    # Stocks that carry from day to day (campaigns): each unit's magazine, the
    # depots, launchers alive and missiles left (-1: unlimited) per group.
    cmag = np.zeros((n_layers, max_units), np.int64)
    depot = np.zeros(n_layers, np.int64)
    alive = np.zeros(n_groups, np.int64)
    inv_left = np.zeros(n_groups, np.int64)
    any_prelaunch = False
    for g in range(n_groups):
        any_prelaunch = any_prelaunch or group_prelaunch[g] > 0.0
    any_absent = False
    for l in range(n_layers):
        any_absent = any_absent or layer_availability[l] < 1.0
    # Per-missile state between raids: only what a raid changed is reset
    # (the missiles it engaged, in `touched`, the counterstrike draws, and, in
    # a campaign, the missiles a group did not fire); fixed launch times are
    # written once.
    for i in range(n_missiles):
        launch[i] = missile_time_s[i]
        handoff[i] = -np.inf
        state[i] = FLYING
    n_touched = 0
    fired = np.empty(n_groups, np.int64)  # missiles of each group fired in the last raid
    for g in range(n_groups):
        fired[g] = group_count[g]
    # This call's chunks, walked as one flat run of (trial, day) pairs: `chunk` is
    # the current chunk (its accumulator row) and [td_next, td_end) what is
    # left of it. A single loop keeps the body's `continue`s simple.
    n_chunks = (n_trials + chunk_trials - 1) // chunk_trials
    last_trial = first_trial + n_trials
    n_td = 0
    c_stop = min(c_stop, n_chunks)
    for chunk in range(c_first, c_stop):
        n_td += (min(first_trial + (chunk + 1) * chunk_trials, last_trial)
                 - (first_trial + chunk * chunk_trials)) * n_days
    chunk = c_first - 1
    td_next = 0
    td_end = 0
    for _ in range(n_td):
        if td_next == td_end:
            chunk += 1
            td_next = (first_trial + chunk * chunk_trials) * n_days
            td_end = min(first_trial + (chunk + 1) * chunk_trials, last_trial) * n_days
        td = td_next
        td_next += 1
        # Trial `trial`, day `day` (a single raid: n_days = 1, td = trial).
        trial = td
        day = 0
        if day_acc is not None:
            trial = td // n_days
            day = td - trial * n_days
        key0 = trial_key(seed, trial)
        key = key0
        if day == 0:
            if day_acc is not None:
                for l in range(n_layers):
                    tot_int[l] = 0
                    tot_eng[l] = 0
                    tot_kill[l] = 0
                    tot_empty[l] = 0
                    for u in range(layer_units[l]):
                        cmag[l, u] = layer_magazine[l]
                    depot[l] = layer_depot[l]
            for g in range(n_groups):
                if day_acc is not None:
                    tot_launched[g] = 0
                    tot_leak[g] = 0
                alive[g] = group_launchers[g]
                inv_left[g] = group_inventory[g]
        else:
            key = stream_key(key0, STREAM_DAY, day)  # day 0 keeps the trial's key
        for q in range(n_touched):
            i = touched[q]
            handoff[i] = -np.inf
            state[i] = FLYING
        n_touched = 0  # missiles engaged so far in this raid, in `touched`
        # Rule 1: counterstrike and launch times.
        # Stream keys cost two SplitMix64 rounds each: derive only those a
        # scenario uses (a key never drawn from changes nothing).
        key_prelaunch = stream_key(key, STREAM_PRELAUNCH, 0) if any_prelaunch else key
        for g in range(group_first.shape[0]):
            first = group_first[g]
            n_group = group_count[g]
            # The day's raid: the group's first n_fire missiles (surviving
            # launchers x missiles each, never more than the inventory left).
            n_fire = n_group
            if group_launchers[g] > 0:
                if day_acc is not None:
                    day_group[chunk, day, g] += alive[g]
                n_fire = alive[g] * group_per_launcher[g]
            if inv_left[g] >= 0:
                n_fire = min(n_fire, inv_left[g])
                inv_left[g] -= n_fire
            span = group_span_s[g]
            if span > 0.0 and n_fire > 0:
                # Uniform launches, in increasing order, from exponential
                # spacings: with E_1 .. E_{n+1} iid Exp(1) and S_k their partial
                # sums, S_k / S_{n+1} (k = 1..n) are distributed as the order
                # statistics of n uniforms on [0, 1]. One stream per group.
                key_launch = stream_key(key, STREAM_LAUNCH, g)
                n_draws = 0
                total = 0.0
                for i in range(first, first + n_fire):
                    e, n_draws = exp1(key_launch, n_draws)
                    total += e
                    launch[i] = total
                e, n_draws = exp1(key_launch, n_draws)
                total += e
                scale = span / total
                start_s = missile_time_s[first]  # every missile of a uniform group: start_s
                for i in range(first, first + n_fire):
                    launch[i] = start_s + launch[i] * scale
            # Missiles fired today are the group's first n_fire: those not fired
            # in the last raid but fired now fly again, and the reverse.
            for i in range(first + fired[g], first + n_fire):
                state[i] = FLYING
            for i in range(first + n_fire, first + fired[g]):
                state[i] = DESTROYED_PRELAUNCH  # not fired today
            fired[g] = n_fire
            if asset_acc is not None:
                # Aim the day's missiles (before counterstrike: it kills whatever the target).
                if group_random[g] == 1:
                    key_target = stream_key(key, STREAM_TARGET, g)
                    for i in range(first, first + n_fire):
                        u = draw(key_target, i)
                        a = 0
                        while u >= group_cum[g, a]:
                            a += 1  # the last target with a share has cum = inf
                        target[i] = a
                    aim_changed[g] = 1
                elif n_fire != split_n[g]:
                    split_targets(group_shares[g], n_fire, target[first:first + n_fire])
                    split_n[g] = n_fire
                    aim_changed[g] = 1
            p_pre = group_prelaunch[g]
            launched = n_fire
            if asset_acc is not None:
                for a in range(n_targets):
                    tgt_pre[g, a] = 0
                    tgt_kill[g, a] = 0
            if p_pre > 0.0:
                for i in range(first, first + n_fire):
                    if draw(key_prelaunch, i) < p_pre:
                        state[i] = DESTROYED_PRELAUNCH
                        launched -= 1
                        if asset_acc is not None:
                            tgt_pre[g, target[i]] += 1
                    else:
                        state[i] = FLYING
            group_launched[g] = launched
        if asset_acc is not None:
            # Each group's fired missiles by target, in missile order within a target
            # (a counting sort): a site defending one asset reads only its slice.
            # A split deal stays the same from raid to raid while the number fired
            # does, and so do its slices.
            for g in range(n_groups):
                if aim_changed[g] == 0:
                    continue
                aim_changed[g] = 0
                first = group_first[g]
                for a in range(n_targets + 1):
                    tgt_first[g, a] = 0
                for i in range(first, first + fired[g]):
                    tgt_first[g, target[i] + 1] += 1
                tgt_first[g, 0] = first
                for a in range(n_targets):
                    tgt_first[g, a + 1] += tgt_first[g, a]
                for a in range(n_targets):
                    tgt_fill[a] = tgt_first[g, a]
                for i in range(first, first + fired[g]):
                    tgt_order[tgt_fill[target[i]]] = i
                    tgt_fill[target[i]] += 1
        for g in range(n_groups):
            group_kills[g] = 0
        # Rules 2 and 3: layers in order, outer first.
        key_available = stream_key(key, STREAM_AVAILABLE, 0) if any_absent else key
        # Availability drawn once per campaign comes from the trial's key (day 0's).
        key_available_once = key_available
        if any_absent and day > 0:
            key_available_once = stream_key(key0, STREAM_AVAILABLE, 0)
        for l in range(n_layers):
            # Threats engaged by earlier layers: touched[:n_before_layer]. Only they
            # can be handed to this layer (its sites cover disjoint targets).
            n_before_layer = n_touched
            trial_int[l] = 0
            day_eng[l] = 0
            day_kill[l] = 0
            day_empty[l] = 0
            av = layer_availability[l]
            if av < 1.0 and draw(key_available if layer_daily[l] == 1 else key_available_once,
                                 l) >= av:
                continue
            channels = layer_channels[l]
            shots = layer_shots[l]
            magazine = layer_magazine[l]
            flyout = layer_flyout_s[l]
            detection = layer_detection[l]
            discrimination = layer_discrimination[l]
            # Integer thresholds on a draw's 53 bits (compile._below): a threat is
            # detected when the bits are below detect_below, a decoy recognised
            # when they are below recognise_below.
            detect_below = layer_detect_below[l]
            recognise_below = layer_recognise_below[l]
            max_eng = layer_max_eng[l]
            track_cap = layer_track[l]
            key_detect = stream_key(key, STREAM_DETECT, l) if detection < 1.0 else key
            key_discriminate = (stream_key(key, STREAM_DISCRIMINATE, l) if discrimination > 0.0
                                else key)
            key_kill = stream_key(key, STREAM_KILL, l)
            # The layer's sites, one after the other (one site, all units, for a
            # layer that defends every asset). A site's units are numbered
            # unit0 .. unit0 + n_units - 1 within the layer.
            for s in range(site_first[l], site_first[l + 1]):
                n_units = site_units[s]
                unit0 = site_unit0[s]
                if n_units == 0:
                    continue
                n_loaded = n_units if magazine >= shots else 0
                if day_acc is not None:
                    n_loaded = 0
                    for u in range(n_units):
                        if cmag[l, unit0 + u] >= shots:
                            n_loaded += 1
                if n_loaded == 0:
                    day_empty[l] = 1  # units that cannot fire a salvo: empty from the start
                    continue
                if channels == 0:
                    continue
                cap = n_units * channels
                fused_done = False
                if in_order is not None:  # compiled in only where some layer takes the pass
                    if paths[l] == PATH_IN_ORDER and max_eng == 1 and track_cap == 0:
                        # --- the in-order pass ---
                        # Candidates are built, admitted and served in one pass over the
                        # missiles. Earliest deadline first is arrival order as long as
                        # they become engageable in order with strictly increasing
                        # deadlines; the pass checks this for every candidate (also
                        # after the magazines run dry: a later candidate tied on deadline
                        # could have been served first) and, if it fails, undoes its
                        # engagements and leaves the layer to the general loop. The
                        # driver picks this pass only for layers no earlier layer hands
                        # threats to; a group that an earlier layer engages all the same
                        # (a path forced by the tests) ends the pass before its first
                        # missile, so every threat it engages is new in `touched`, which
                        # is what the undo needs, and no missile's hand-off is read.
                        if day_acc is not None:
                            n_live = _load_units(cmag, l, unit0, n_units, shots, mag, busy, apos, avail)
                        else:
                            n_live = _fill_units(magazine, n_units, mag, busy, apos, avail)
                        n_avail = n_live
                        rel_head = 0
                        rel_count = 0
                        n_int = 0
                        n_engaged = 0
                        n_kill = 0
                        t = -np.inf
                        touched_before = n_touched
                        one_mag = magazine
                        if day_acc is not None:
                            one_mag = mag[0]
                        if n_units == 1:
                            # One unit: engagements end in start order, so its `channels`
                            # release times form a ring whose oldest entry (at one_head)
                            # is the first channel to free.
                            for c in range(channels):
                                rel_t[c] = -np.inf
                        one_head = 0
                        ok = True
                        serving = True
                        last_r = -np.inf
                        last_d = -np.inf
                        for g in range(n_groups):
                            if engage_on[l, g] == 0:
                                continue
                            a_s = engage_a_s[l, g]
                            b_less_flyout = engage_b_s[l, g] - flyout
                            kill_below_g = kill_below[l, g]
                            decoy = group_warhead[g] == 0 and discrimination > 0.0
                            first = group_first[g]
                            kills_before = n_kill  # the group's kills are added after its pass
                            for l_before in range(l):
                                if engage_on[l_before, g] == 1:
                                    ok = False  # an earlier layer may hand threats off: the general loop
                                    break
                            if not ok:
                                break
                            for i in range(first, first + group_count[g]):
                                if state[i] != FLYING:
                                    continue
                                if asset_acc is not None:
                                    if site_cover[s, target[i]] == 0:
                                        continue  # aimed where this site does not defend
                                if detection < 1.0 and (bits(key_detect, i) >> _S11) >= detect_below:
                                    continue
                                if decoy and (bits(key_discriminate, i) >> _S11) < recognise_below:
                                    continue
                                r = launch[i] + a_s
                                d = launch[i] + b_less_flyout  # latest start that ends in the window
                                if r > d + EPS_S:
                                    continue
                                if r < last_r or d <= last_d:
                                    ok = False
                                    break
                                last_r = r
                                last_d = d
                                if not serving:
                                    continue
                                if n_units == 1:
                                    # One fire unit: its magazine stays in a register, and
                                    # its ring needs no bookkeeping of busy channels.
                                    if r > t + EPS_S:
                                        t = r
                                    if d < t - EPS_S:
                                        continue
                                    if rel_t[one_head] > t + EPS_S:
                                        t = rel_t[one_head]  # every channel busy: wait for the first
                                        if d < t - EPS_S:
                                            continue  # expired while waiting: passes
                                    end = t + flyout
                                    rel_t[one_head] = end
                                    one_head += 1
                                    if one_head == channels:
                                        one_head = 0
                                    one_mag -= shots
                                    n_int += shots
                                    n_engaged += 1
                                    touched[n_touched] = i
                                    n_touched += 1
                                    handoff[i] = end
                                    # Branch-free: a kill is a coin flip the predictor cannot learn.
                                    killed = np.int64((bits(key_kill, i) >> _S11) < kill_below_g)
                                    state[i] = FLYING + killed  # KILLED = FLYING + 1
                                    n_kill += killed
                                    if asset_acc is not None:
                                        tgt_kill[g, target[i]] += killed
                                    if one_mag < shots:
                                        n_live = 0
                                        serving = False  # the magazine is spent: the rest pass
                                    continue
                                if r > t + EPS_S:
                                    t = r  # nothing else is waiting: time jumps to this arrival
                                while True:
                                    if d < t - EPS_S:
                                        break  # expired: an engagement now would end after the window
                                    # Release channels whose engagement has ended by now.
                                    while rel_count > 0 and rel_t[rel_head] <= t + EPS_S:
                                        v = rel_u[rel_head]
                                        rel_head += 1
                                        if rel_head == cap:
                                            rel_head = 0
                                        rel_count -= 1
                                        busy[v] -= 1
                                        if apos[v] < 0 and mag[v] >= shots:
                                            key_v = (mag[v] << _UNIT_BITS) | (_UNIT_MASK - v)
                                            n_avail = _unit_push(avail, n_avail, key_v)
                                            apos[v] = 0
                                    if n_avail > 0:
                                        break
                                    # Wait for the next release by a unit that can still fire.
                                    while rel_count > 0 and mag[rel_u[rel_head]] < shots:
                                        busy[rel_u[rel_head]] -= 1
                                        rel_head += 1
                                        if rel_head == cap:
                                            rel_head = 0
                                        rel_count -= 1
                                    t = rel_t[rel_head]
                                if d < t - EPS_S:
                                    continue  # expired while waiting: passes
                                # Engage with the unit at the top of the heap.
                                u = _UNIT_MASK - (avail[0] & _UNIT_MASK)
                                end = t + flyout
                                slot = rel_head + rel_count
                                if slot >= cap:
                                    slot -= cap
                                rel_t[slot] = end
                                rel_u[slot] = u
                                rel_count += 1
                                busy[u] += 1
                                mag[u] -= shots
                                n_int += shots
                                n_engaged += 1
                                touched[n_touched] = i  # first engagement of i in this trial
                                n_touched += 1
                                handoff[i] = end
                                killed = np.int64((bits(key_kill, i) >> _S11) < kill_below_g)
                                state[i] = FLYING + killed  # branch-free, as above
                                n_kill += killed
                                if asset_acc is not None:
                                    tgt_kill[g, target[i]] += killed
                                if mag[u] < shots:
                                    n_live -= 1
                                    if n_live == 0:
                                        serving = False  # every magazine is spent: the rest pass
                                        continue
                                # Unit u's key fell (or it cannot fire now): remove it or sift it down.
                                if mag[u] < shots or busy[u] == channels:
                                    apos[u] = -1
                                    n_avail -= 1
                                    if n_avail == 0:
                                        continue
                                    key_v = avail[n_avail]
                                else:
                                    key_v = (mag[u] << _UNIT_BITS) | (_UNIT_MASK - u)
                                _unit_sift_root(avail, n_avail, key_v)
                            group_kills[g] += n_kill - kills_before
                            if not ok:
                                break
                        if ok:
                            fused_done = True
                        else:
                            # Undo (the pass engaged only threats new in `touched`), and
                            # take the general loop.
                            for q in range(touched_before, n_touched):
                                i = touched[q]
                                handoff[i] = -np.inf
                                if state[i] == KILLED:
                                    state[i] = FLYING
                                    group_kills[mg[i]] -= 1
                                    if asset_acc is not None:
                                        tgt_kill[mg[i], target[i]] -= 1
                            n_touched = touched_before
                if not fused_done:
                    if general is None:
                        return chunk  # compiled without the general loop: see `general`
                    if day_acc is not None:
                        n_live = _load_units(cmag, l, unit0, n_units, shots, mag, busy, apos, avail)
                    else:
                        n_live = _fill_units(magazine, n_units, mag, busy, apos, avail)
                    n_avail = n_live
                    rel_head = 0
                    rel_count = 0
                    n_int = 0
                    n_engaged = 0
                    n_kill = 0
                    t = -np.inf
                    # --- the general event loop ---
                    # Threats wait for their first engagement in sorted runs, merged
                    # lazily (so a layer whose magazines run dry early never looks
                    # at the rest): one run per engaged group whose launch times are
                    # in missile order (their ready times then are too), and the
                    # `extra` run, sorted here, of everything else: missiles of
                    # groups launched out of order, and missiles handed off by an
                    # earlier layer after their own arrival. Random tie-break
                    # priorities are drawn as threats enter.
                    key_tie = stream_key(key, STREAM_TIEBREAK, l)
                    n_src = 0
                    n_extra = 0
                    for g in range(n_groups):
                        run_a[g] = np.inf
                        if engage_on[l, g] == 0 or group_count[g] == 0:
                            continue
                        first = group_first[g]
                        if group_sorted[g] == 1:
                            a_s = engage_a_s[l, g]
                            run_a[g] = a_s
                            src_a[n_src] = a_s
                            src_b[n_src] = engage_b_s[l, g]
                            src_cur[n_src] = first
                            src_end[n_src] = first + group_count[g]
                            src_mapped[n_src] = 0
                            # Decoys of this run meet the discrimination draw.
                            src_decoy[n_src] = (1 if discrimination > 0.0 and group_warhead[g] == 0
                                                else 0)
                            if asset_acc is not None:
                                a_one = site_single[s]
                                if a_one >= 0:  # the site's one target: its slice only
                                    src_cur[n_src] = tgt_first[g, a_one]
                                    src_end[n_src] = tgt_first[g, a_one + 1]
                                    src_mapped[n_src] = 1
                            src_head[n_src] = -1  # to be found
                            n_src += 1
                        else:
                            for i in range(first, first + group_count[g]):
                                extra[n_extra] = i
                                n_extra += 1
                    # Threats of the runs' groups that an earlier layer handed off after
                    # their own arrival leave their runs' order: one pass over those the
                    # earlier layers engaged (run_a is inf for a group without a run).
                    for q in range(n_before_layer):
                        i = touched[q]
                        if handoff[i] > launch[i] + run_a[mg[i]]:
                            extra[n_extra] = i
                            n_extra += 1
                    # Keep the extra run's candidates only.
                    n_keep = 0
                    for q in range(n_extra):
                        i = extra[q]
                        if state[i] != FLYING:
                            continue
                        if asset_acc is not None:
                            if site_cover[s, target[i]] == 0:
                                continue
                        if detection < 1.0 and (bits(key_detect, i) >> _S11) >= detect_below:
                            continue
                        if (discrimination > 0.0 and group_warhead[mg[i]] == 0
                                and (bits(key_discriminate, i) >> _S11) < recognise_below):
                            continue
                        g = mg[i]
                        r = launch[i] + engage_a_s[l, g]
                        if handoff[i] > r:
                            r = handoff[i]
                        d = launch[i] + engage_b_s[l, g] - flyout
                        if r > d + EPS_S:
                            continue
                        ready[i] = r
                        deadline[i] = d
                        tiekey[i] = draw(key_tie, i)
                        n_eng[i] = 0
                        extra[n_keep] = i
                        n_keep += 1
                    n_extra = n_keep
                    for q in range(1, n_extra):
                        if ready[extra[q]] < ready[extra[q - 1]]:
                            _sort_by(extra, n_extra, ready)
                            break
                    # Track capacity: threats ask for tracks as they leave the runs,
                    # in order of ready time, those of one instant gathered in
                    # `batch` and served in order of the tie-break priority.
                    n_gather = 0    # batch[:n_gather]: being gathered
                    n_pend = 0      # batch[pend_pos:n_pend]: asking for tracks
                    pend_pos = 0
                    held = 0        # tracks held
                    kf_head = 0     # kill_t[kf_head:kf_end]: ends of killing engagements,
                    kf_end = 0      # in start order, so never decreasing
                    n_close = 0     # min-heap (close_t, close_m) of window closes of tracked threats
                    stamp += 1      # freed[m] == stamp: m's track at this site is free again
                    extra_pos = 0
                    rq_head = 0     # requeue is a FIFO ring of capacity n_missiles
                    rq_count = 0
                    # The EDF queue: n_ready threats, n_heap of them in the binary
                    # min-heap `engageable` (EDF order, see _before), the others in
                    # n_runs runs; threats admitted together are staged in
                    # pool_*[pool_end:pool_end + n_stage] first.
                    n_ready = 0
                    n_heap = 0
                    if waves is not None:
                        n_runs = 0
                        pool_end = 0
                        n_stage = 0
                        stage_d = 0.0   # the staged threats' deadline,
                        stage_one = True  # if they all have the same
                    nxt = -1        # the next threat to become engageable for a first time
                    nxt_s = -1      # and its run (n_src: the extra run)
                    refill = True   # a run's head, and so `nxt`, is to be found
                    while n_live > 0:
                        woke = n_ready > 0
                        # Admit every threat that has become engageable by t into the heap.
                        while True:
                            flushing = False
                            if asset_acc is not None:
                                flushing = pend_pos < n_pend
                            if flushing:
                                i = batch[pend_pos]
                                pend_pos += 1
                                # i was granted a track (see the batch's flush below).
                                held += 1
                                c_new = launch[i] + engage_b_s[l, mg[i]]  # the window closes
                                pos = n_close  # push: sift up
                                n_close += 1
                                while pos > 0:
                                    parent = (pos - 1) >> 1
                                    if c_new < close_t[parent]:
                                        close_t[pos] = close_t[parent]
                                        close_m[pos] = close_m[parent]
                                        pos = parent
                                    else:
                                        break
                                close_t[pos] = c_new
                                close_m[pos] = i
                            else:
                                if refill:
                                    # Find the head of every run that needs one.
                                    for s_ in range(n_src):
                                        if src_head[s_] != -1:
                                            continue
                                        a_s = src_a[s_]
                                        b_s = src_b[s_]
                                        cur = src_cur[s_]
                                        end_i = src_end[s_]
                                        found = -2  # the run is exhausted
                                        decoy = src_decoy[s_] == 1
                                        mapped = False
                                        if asset_acc is not None:
                                            mapped = src_mapped[s_] == 1
                                        while cur < end_i:
                                            m = cur
                                            if asset_acc is not None:
                                                if mapped:
                                                    m = tgt_order[cur]
                                            cur += 1
                                            if state[m] != FLYING:
                                                continue
                                            if asset_acc is not None:
                                                if site_cover[s, target[m]] == 0:
                                                    continue
                                            if detection < 1.0 and (bits(key_detect, m) >> _S11) >= detect_below:
                                                continue
                                            if decoy and (bits(key_discriminate, m) >> _S11) < recognise_below:
                                                continue
                                            r = launch[m] + a_s
                                            if handoff[m] > r:
                                                continue  # handed off later than its own arrival: in the extra run
                                            d = launch[m] + b_s - flyout
                                            if r > d + EPS_S:
                                                continue
                                            ready[m] = r
                                            deadline[m] = d
                                            tiekey[m] = draw(key_tie, m)
                                            n_eng[m] = 0
                                            found = m
                                            break
                                        src_cur[s_] = cur
                                        src_head[s_] = found
                                    # The next threat to become engageable: the earliest head among the runs.
                                    nxt = -1
                                    nxt_s = -1
                                    best = np.inf
                                    for s_ in range(n_src):
                                        h = src_head[s_]
                                        if h >= 0 and ready[h] < best:
                                            best = ready[h]
                                            nxt = h
                                            nxt_s = s_
                                    if extra_pos < n_extra and ready[extra[extra_pos]] < best:
                                        nxt = extra[extra_pos]
                                        nxt_s = n_src
                                    refill = False
                                if asset_acc is not None:
                                    if n_gather > 0 and (nxt < 0 or ready[nxt] != ready[batch[0]]):
                                        # Every threat engageable from this one instant r is in
                                        # the batch: they ask for tracks in priority order, so
                                        # the earliest priorities get the free tracks and the
                                        # rest are refused (never engaged by this layer). The
                                        # order among those granted changes nothing. Tracks of
                                        # threats killed, or whose windows closed, by r are
                                        # freed only when the batch may not fit: freeing is
                                        # monotone in time and only this count reads `held`.
                                        n_pend = n_gather
                                        if held + n_gather > track_cap:
                                            r_free = ready[batch[0]] + EPS_S
                                            # A track is freed at the first of the two (stamped,
                                            # so that it is freed once).
                                            while kf_head < kf_end and kill_t[kf_head] <= r_free:
                                                m = kill_m[kf_head]
                                                kf_head += 1
                                                if freed[m] != stamp:
                                                    freed[m] = stamp
                                                    held -= 1
                                            while n_close > 0 and close_t[0] <= r_free:
                                                m = close_m[0]
                                                if freed[m] != stamp:
                                                    freed[m] = stamp
                                                    held -= 1
                                                n_close -= 1  # pop: sift the last entry down
                                                c_last = close_t[n_close]
                                                m_last = close_m[n_close]
                                                pos = 0
                                                while True:
                                                    child = 2 * pos + 1
                                                    if child >= n_close:
                                                        break
                                                    if (child + 1 < n_close
                                                            and close_t[child + 1] < close_t[child]):
                                                        child += 1
                                                    if close_t[child] < c_last:
                                                        close_t[pos] = close_t[child]
                                                        close_m[pos] = close_m[child]
                                                        pos = child
                                                    else:
                                                        break
                                                close_t[pos] = c_last
                                                close_m[pos] = m_last
                                            n_pend = min(n_gather, max(track_cap - held, 0))
                                            if n_pend < n_gather:
                                                _select_first(batch, n_gather, n_pend, tiekey)
                                        pend_pos = 0
                                        n_gather = 0
                                        continue
                                if not woke:
                                    # Nothing engageable: time jumps to the next arrival.
                                    woke = True
                                    if nxt < 0 and rq_count == 0:
                                        break
                                    t_wake = np.inf
                                    if nxt >= 0:
                                        t_wake = ready[nxt]
                                    if rq_count > 0 and ready[requeue[rq_head]] < t_wake:
                                        t_wake = ready[requeue[rq_head]]
                                    if t_wake > t:
                                        t = t_wake
                                if nxt >= 0 and ready[nxt] <= t + EPS_S:
                                    i = nxt
                                    if nxt_s < n_src:
                                        src_head[nxt_s] = -1
                                    else:
                                        extra_pos += 1
                                    refill = True
                                    if asset_acc is not None:
                                        if track_cap > 0:
                                            batch[n_gather] = i  # asks for a track with its batch
                                            n_gather += 1
                                            continue
                                elif rq_count > 0 and ready[requeue[rq_head]] <= t + EPS_S:
                                    i = requeue[rq_head]
                                    rq_head += 1
                                    if rq_head == n_missiles:
                                        rq_head = 0
                                    rq_count -= 1
                                else:
                                    break
                            d_i = deadline[i]
                            to_heap = True
                            if waves is not None:
                                p = pool_end + n_stage
                                if p < pool_cap:
                                    pool_d[p] = d_i
                                    pool_k[p] = tiekey[i]
                                    pool_m[p] = i
                                    if n_stage == 0:
                                        stage_d = d_i
                                    elif d_i != stage_d:
                                        stage_one = False
                                    n_stage += 1
                                    to_heap = False
                            if to_heap:  # no waves, or the pool is full
                                _edf_sift_up(engageable, heap_d, heap_k, n_heap, i, d_i, tiekey[i])
                                n_heap += 1
                            n_ready += 1
                        if waves is not None:
                            if n_stage > 0:
                                # The threats admitted at this instant: a run of their own
                                # when they share a deadline and are enough (see _RUN_MIN),
                                # else into the heap.
                                if (stage_one and _RUN_MIN <= n_stage <= _RUN_MAX
                                        and n_runs < _RUNS):
                                    run_lo[n_runs] = pool_end
                                    run_end[n_runs] = pool_end + n_stage
                                    run_top[n_runs] = pool_end + n_stage
                                    run_d[n_runs] = stage_d
                                    run_hp[n_runs] = -1
                                    n_runs += 1
                                    pool_end += n_stage
                                else:
                                    for p in range(pool_end, pool_end + n_stage):
                                        _edf_sift_up(engageable, heap_d, heap_k, n_heap,
                                                     pool_m[p], pool_d[p], pool_k[p])
                                        n_heap += 1
                                n_stage = 0
                                stage_one = True
                        if n_ready == 0:
                            if nxt < 0 and rq_count == 0:
                                break  # nothing waits and nothing will arrive
                            continue  # (threats refused a track): wait for the next arrival
                        # Release channels whose engagement has ended by t.
                        while rel_count > 0 and rel_t[rel_head] <= t + EPS_S:
                            v = rel_u[rel_head]
                            rel_head += 1
                            if rel_head == cap:
                                rel_head = 0
                            rel_count -= 1
                            busy[v] -= 1
                            if apos[v] < 0 and mag[v] >= shots:
                                key_v = (mag[v] << _UNIT_BITS) | (_UNIT_MASK - v)
                                n_avail = _unit_push(avail, n_avail, key_v)
                                apos[v] = 0

                        if waves is not None:
                            # A run whose deadline has passed goes at once: its threats
                            # would all be popped, before any other, and pass.
                            rn = 0
                            while rn < n_runs:
                                if run_d[rn] < t - EPS_S:
                                    n_ready -= run_end[rn] - run_lo[rn]
                                    if run_top[rn] == pool_end:
                                        pool_end = run_lo[rn]
                                    n_runs -= 1
                                    run_lo[rn] = run_lo[n_runs]
                                    run_top[rn] = run_top[n_runs]
                                    run_end[rn] = run_end[n_runs]
                                    run_d[rn] = run_d[n_runs]
                                    run_hp[rn] = run_hp[n_runs]
                                    run_hk[rn] = run_hk[n_runs]
                                else:
                                    rn += 1
                            if n_runs == 0:
                                pool_end = 0
                        while n_ready > 0:
                            # The earliest threat: the heap's root or the head of a run.
                            src = -1  # the heap; else its run
                            i = -1
                            d_best = np.inf
                            k_best = np.inf
                            if n_heap > 0:
                                i = engageable[0]
                                d_best = heap_d[0]
                                k_best = heap_k[0]
                            if waves is not None:
                                for rn in range(n_runs):
                                    d_r = run_d[rn]
                                    if d_r > d_best:
                                        continue
                                    hp = run_hp[rn]
                                    if hp < 0:  # find the run's earliest priority
                                        hp = run_lo[rn]
                                        k_r = pool_k[hp]
                                        for p in range(hp + 1, run_end[rn]):
                                            if pool_k[p] < k_r:
                                                k_r = pool_k[p]
                                                hp = p
                                        run_hp[rn] = hp
                                        run_hk[rn] = k_r
                                    k_r = run_hk[rn]
                                    if _before(d_r, k_r, d_best, k_best):
                                        i = pool_m[hp]
                                        d_best = d_r
                                        k_best = k_r
                                        src = rn
                            # An engagement started now would end after the window: the threat passes.
                            expired = d_best < t - EPS_S
                            if not expired and n_avail == 0:
                                break
                            n_ready -= 1  # pop i
                            if waves is not None:
                                if src >= 0:
                                    # Out of its run: the run's last threat takes its place.
                                    hp = run_hp[src]
                                    p = run_end[src] - 1
                                    pool_k[hp] = pool_k[p]
                                    pool_m[hp] = pool_m[p]
                                    run_end[src] = p
                                    run_hp[src] = -1
                                    if p == run_lo[src]:  # the run is done: the last run takes its place
                                        if run_top[src] == pool_end:
                                            pool_end = run_lo[src]  # (its space is free again)
                                        n_runs -= 1
                                        run_lo[src] = run_lo[n_runs]
                                        run_top[src] = run_top[n_runs]
                                        run_end[src] = run_end[n_runs]
                                        run_d[src] = run_d[n_runs]
                                        run_hp[src] = run_hp[n_runs]
                                        run_hk[src] = run_hk[n_runs]
                                        if n_runs == 0:
                                            pool_end = 0
                            if src < 0:
                                n_heap -= 1
                            if src < 0 and n_heap > 0:
                                # Bottom-up: move the hole at the root down to a leaf along
                                # the earlier children (one comparison a level), then sift
                                # the last item up from there (it rarely climbs far). The
                                # order is total, so the pops are those of any heap.
                                d_last = heap_d[n_heap]
                                k_last = heap_k[n_heap]
                                last = engageable[n_heap]
                                pos = 0
                                child = 1
                                while child < n_heap:
                                    if child + 1 < n_heap and _before(
                                            heap_d[child + 1], heap_k[child + 1],
                                            heap_d[child], heap_k[child]):
                                        child += 1
                                    heap_d[pos] = heap_d[child]
                                    heap_k[pos] = heap_k[child]
                                    engageable[pos] = engageable[child]
                                    pos = child
                                    child = 2 * pos + 1
                                _edf_sift_up(engageable, heap_d, heap_k, pos, last, d_last, k_last)
                            if expired:
                                continue
                            u = _UNIT_MASK - (avail[0] & _UNIT_MASK)
                            end = t + flyout
                            slot = rel_head + rel_count
                            if slot >= cap:
                                slot -= cap
                            rel_t[slot] = end  # ends never decrease: a FIFO ring suffices
                            rel_u[slot] = u
                            rel_count += 1
                            busy[u] += 1
                            mag[u] -= shots
                            n_int += shots
                            n_engaged += 1
                            k = n_eng[i]
                            n_eng[i] = k + 1
                            if handoff[i] == -np.inf:
                                touched[n_touched] = i
                                n_touched += 1
                            handoff[i] = end
                            g = mg[i]
                            if (bits(key_kill, k * n_missiles + i) >> _S11) < kill_below[l, g]:
                                state[i] = KILLED
                                group_kills[g] += 1
                                n_kill += 1
                                if asset_acc is not None:
                                    tgt_kill[g, target[i]] += 1
                                    if track_cap > 0:
                                        kill_t[kf_end] = end  # its track is freed at the kill
                                        kill_m[kf_end] = i
                                        kf_end += 1
                            elif k + 1 < max_eng and end <= deadline[i] + EPS_S:
                                ready[i] = end  # shoot-look-shoot: engageable again once the kill is assessed
                                slot = rq_head + rq_count
                                if slot >= n_missiles:
                                    slot -= n_missiles
                                requeue[slot] = i
                                rq_count += 1
                            if mag[u] < shots:
                                n_live -= 1
                                if n_live == 0:
                                    break  # every magazine is spent: the rest pass
                            if mag[u] < shots or busy[u] == channels:
                                apos[u] = -1
                                n_avail -= 1
                                if n_avail == 0:
                                    continue
                                key_v = avail[n_avail]
                            else:
                                key_v = (mag[u] << _UNIT_BITS) | (_UNIT_MASK - u)
                            _unit_sift_root(avail, n_avail, key_v)

                        if n_ready == 0 or n_live == 0:
                            continue
                        # Threats wait; jump to the next channel release of a unit that can still
                        # fire (releases of spent units change nothing and are dropped).
                        while rel_count > 0 and mag[rel_u[rel_head]] < shots:
                            busy[rel_u[rel_head]] -= 1
                            rel_head += 1
                            if rel_head == cap:
                                rel_head = 0
                            rel_count -= 1
                        t = rel_t[rel_head]

                trial_int[l] += n_int
                day_eng[l] += n_engaged
                day_kill[l] += n_kill
                if n_live == 0:
                    day_empty[l] = 1  # some site of the layer ran dry
                if day_acc is not None:  # what the magazines hold now carries to the next day
                    if fused_done and n_units == 1:
                        cmag[l, unit0] = one_mag
                    else:
                        for u in range(n_units):
                            cmag[l, unit0 + u] = mag[u]
        # Rule 4: surviving warheads leak (launched minus killed, per group).
        for g in range(n_groups):
            day_leak[g] = group_launched[g] - group_kills[g] if group_warhead[g] == 1 else 0
        if asset_acc is not None:
            # Per target: missiles launched at it, and surviving warheads, which
            # leak unless they were aimed at open ground.
            for a in range(n_targets):
                day_targeted[a] = 0
                day_hit[a] = 0
            # From each group's slices: fired, less destroyed before launch, less killed.
            for g in range(n_groups):
                warhead = group_warhead[g]
                for a in range(n_targets):
                    launched_at = tgt_first[g, a + 1] - tgt_first[g, a] - tgt_pre[g, a]
                    day_targeted[a] += launched_at
                    hit = (launched_at - tgt_kill[g, a]) * warhead
                    day_hit[a] += hit
                    if a == open_ground:
                        day_leak[g] -= hit
            if day == 0:
                for a in range(n_targets):
                    tot_targeted[a] = 0
                    tot_hit[a] = 0
            for a in range(n_targets):
                tot_targeted[a] += day_targeted[a]
                tot_hit[a] += day_hit[a]
        if day_acc is not None:
            day_leakers = 0
            day_launched = 0
            for g in range(n_groups):
                tot_launched[g] += group_launched[g]
                day_launched += group_launched[g]
                tot_leak[g] += day_leak[g]
                day_leakers += day_leak[g]
            for l in range(n_layers):
                tot_int[l] += trial_int[l]
                tot_eng[l] += day_eng[l]
                tot_kill[l] += day_kill[l]
                tot_empty[l] |= day_empty[l]
            day_acc[chunk, day, DAY_LAUNCHED] += day_launched
            day_acc[chunk, day, DAY_LEAKERS] += day_leakers
            day_acc[chunk, day, DAY_LEAKERS_SQ] += day_leakers * day_leakers
            _end_of_day(sc, key0, day, alive, cmag, depot, trial_int, day_empty, day_layer[chunk])
        if day < n_days - 1:
            continue
        # The trial is over: add its totals (of every day) to the accumulators.
        for l in range(n_layers):
            n_int = tot_int[l]
            layer_acc[chunk, l, LAYER_INTERCEPTORS] += n_int
            layer_acc[chunk, l, LAYER_ENGAGEMENTS] += tot_eng[l]
            layer_acc[chunk, l, LAYER_KILLS] += tot_kill[l]
            layer_acc[chunk, l, LAYER_MAGAZINE_EMPTY] += tot_empty[l]
            layer_sq[chunk, l, 0] += n_int * n_int
            layer_sq[chunk, l, 1] += tot_eng[l] * tot_eng[l]
            layer_sq[chunk, l, 2] += tot_kill[l] * tot_kill[l]
        defender = 0.0
        for l in range(n_layers):
            defender += tot_int[l] * layer_cost[l]
        cost_acc[chunk, 0] += defender
        cost_acc[chunk, 1] += defender * defender
        leakers = 0
        attacker = 0.0
        for g in range(n_groups):
            launched = tot_launched[g]
            group_acc[chunk, g, GROUP_LAUNCHED] += launched
            group_acc[chunk, g, GROUP_LEAKERS] += tot_leak[g]
            leakers += tot_leak[g]
            attacker += launched * group_cost[g]
        cost_acc[chunk, 2] += attacker
        cost_acc[chunk, 3] += attacker * attacker
        hist[chunk, leakers] += 1
        if asset_acc is not None:
            damage = 0.0
            for a in range(n_targets):
                hit = tot_hit[a]
                asset_acc[chunk, a, ASSET_TARGETED] += tot_targeted[a]
                if a == open_ground:
                    continue  # never leakers
                asset_acc[chunk, a, ASSET_LEAKERS] += hit
                asset_acc[chunk, a, ASSET_LEAKERS_SQ] += hit * hit
                if hit > 0:
                    asset_acc[chunk, a, ASSET_ANY_LEAK] += 1
                damage += target_value[a] * hit
            damage_acc[chunk, 0] += damage
            damage_acc[chunk, 1] += damage * damage
    return -1
