"""Three independent implementations of the reference model, to measure the engine against.

The reference model is the one of ``configs/reference_3x.toml`` and
``configs/reference_3x_large.toml``: ``n_warheads`` warheads launched
independently and uniformly over ``[0, SPAN_S]``; one fire unit with
``channels`` channels and ``interceptors`` interceptors. A threat is engaged
only if, at its launch time, a channel is free and the magazine still holds a
salvo of ``SHOTS`` interceptors; the engagement keeps the channel busy for
``BUSY_S`` and kills with ``PKILL = 1 - (1 - SSPK)^SHOTS``. Every other threat
leaks. Leakers = unengaged + engaged but not killed.

Each baseline is ``f(n_warheads, channels, interceptors, trials, seed)`` and
returns :class:`LeakerSums` (sufficient statistics of leakers per trial):

- :func:`simpy_leakers` -- a discrete-event model as an analyst would write it
  with SimPy: the reference point for "how fast is the obvious approach";
- :func:`numpy_leakers` -- vectorised over trials with NumPy: the best one can
  do without a compiler;
- :func:`special_leakers` -- a minimal numba kernel written for exactly this
  model: the practical speed limit that the general engine is measured against.

They share no code with ``saturation_sim`` (nor its random numbers), so
agreement in distribution with the engine is an independent check of both.
They compare times exactly where the engine allows a microsecond of slack
(``EPS_S``); an arrival within a microsecond of a channel's release has a
probability of order 1e-5 per trial here, far below any test's resolution.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# The special kernel runs on numba's OpenMP threads, the engine on threads of its
# own. OpenMP's threads otherwise spin for a while after each parallel region,
# on the very cores the engine's threads need when the two are timed one after
# the other; waiting passively costs the special kernel nothing measurable (one
# region per timing). Read when numba first starts its thread pool, so set here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba  # noqa: E402
import numpy as np
from numba import prange

#: Launch span of the uniform raid, seconds.
SPAN_S = 60.0
#: Flyout: how long one engagement keeps a channel busy, seconds.
BUSY_S = 20.0
#: Interceptors per engagement (shoot-shoot salvo).
SHOTS = 2
#: Single-shot kill probability.
SSPK = 0.7
#: Kill probability of one engagement: 1 - 0.3^2 = 0.91.
PKILL = 1.0 - (1.0 - SSPK) ** SHOTS


@dataclass(frozen=True)
class LeakerSums:
    """Sufficient statistics of leakers over a run of trials.

    Attributes
    ----------
    trials : int
    total : int
        Sum over trials of the number of leakers.
    total_sq : int
        Sum over trials of the squared number of leakers.
    """

    trials: int
    total: int
    total_sq: int

    @property
    def mean(self) -> float:
        """Mean leakers per trial."""
        return self.total / self.trials

    @property
    def std(self) -> float:
        """Sample standard deviation of leakers per trial (ddof = 1)."""
        if self.trials < 2:
            return float("nan")
        var = (self.total_sq - self.total * self.total / self.trials) / (self.trials - 1)
        return float(np.sqrt(max(var, 0.0)))

    @property
    def sem(self) -> float:
        """Standard error of :attr:`mean`."""
        return self.std / np.sqrt(self.trials)

    @classmethod
    def from_counts(cls, leakers: np.ndarray) -> "LeakerSums":
        """Statistics of an array of per-trial leaker counts."""
        leakers = np.asarray(leakers, dtype=np.int64)
        return cls(int(leakers.size), int(leakers.sum()), int((leakers * leakers).sum()))


# --- (a) SimPy -------------------------------------------------------------------

def simpy_leakers(n_warheads: int, channels: int, interceptors: int, trials: int,
                  seed: int) -> LeakerSums:
    """Leakers of the reference model by discrete-event simulation with SimPy.

    Written as an analyst would: one ``simpy.Environment`` per trial, the
    channels a ``simpy.Resource(capacity=channels)``, one process per missile
    that waits for its launch, asks for a channel only if one is free on
    arrival (the threat cannot wait: its window is exactly one flyout) and
    the magazine holds a salvo, and holds the channel for the flyout.

    Parameters
    ----------
    n_warheads, channels, interceptors : int
        Raid size, channels of the single fire unit, and its magazine.
    trials : int
        Independent trials.
    seed : int
        Seed of the ``numpy.random.Generator`` used for all draws.

    Returns
    -------
    LeakerSums
    """
    import simpy  # only this baseline needs it

    rng = np.random.default_rng(seed)
    counts = np.empty(trials, np.int64)

    def missile(env, launch_s, kill_u, channel_pool, state):
        yield env.timeout(launch_s)
        if channel_pool.count < channel_pool.capacity and state["magazine"] >= SHOTS:
            state["magazine"] -= SHOTS
            with channel_pool.request() as req:
                yield req
                yield env.timeout(BUSY_S)  # the kill is known when the engagement ends
            if kill_u < PKILL:
                return
        state["leakers"] += 1

    for trial in range(trials):
        env = simpy.Environment()
        channel_pool = simpy.Resource(env, capacity=channels)
        state = {"magazine": interceptors, "leakers": 0}
        launches = rng.uniform(0.0, SPAN_S, n_warheads)
        kill_u = rng.random(n_warheads)
        for i in range(n_warheads):
            env.process(missile(env, launches[i], kill_u[i], channel_pool, state))
        env.run()
        counts[trial] = state["leakers"]
    return LeakerSums.from_counts(counts)


# --- (b) NumPy, vectorised over trials --------------------------------------------

#: Memory budget for one batch of the NumPy baseline's (missiles, trials) arrays.
NUMPY_BATCH_BYTES = 32 * 2**20


def _numpy_batch(n_warheads: int, channels: int, max_engagements: int, rng: np.random.Generator,
                 n_trials: int) -> np.ndarray:
    """Leakers of ``n_trials`` trials; int64 array of shape (n_trials,)."""
    # (missiles, trials), C order, so that the state update at each missile
    # reads one contiguous row.
    launch = np.ascontiguousarray(np.sort(rng.uniform(0.0, SPAN_S, (n_trials, n_warheads)),
                                          axis=1).T)
    kill = rng.random((n_warheads, n_trials)) < PKILL
    # Every engagement lasts BUSY_S and they start in time order, so they also
    # end in time order: the channels form a FIFO ring of the last `channels`
    # release times, and a channel is free at t iff the oldest of them is <= t.
    # -inf marks a channel never used.
    ring = np.full(n_trials * channels, -np.inf)
    base = np.arange(n_trials, dtype=np.int64) * channels
    head = np.zeros(n_trials, np.int64)
    engaged = np.zeros(n_trials, np.int64)
    killed = np.zeros(n_trials, np.int64)
    for k in range(n_warheads):
        t = launch[k]
        pos = base + head
        oldest = ring[pos]
        fire = (oldest <= t) & (engaged < max_engagements)
        ring[pos] = np.where(fire, t + BUSY_S, oldest)
        head += fire
        head[head == channels] = 0
        engaged += fire
        killed += fire & kill[k]
    return n_warheads - killed


def numpy_leakers(n_warheads: int, channels: int, interceptors: int, trials: int,
                  seed: int) -> LeakerSums:
    """Leakers of the reference model with NumPy, vectorised over trials.

    Trials run in batches of arrays of shape (missiles, trials): launch times
    sorted per trial, then one loop over the missiles in order of arrival
    that updates every trial's channels and magazine at once.

    Parameters
    ----------
    n_warheads, channels, interceptors, trials, seed : int
        As :func:`simpy_leakers`.

    Returns
    -------
    LeakerSums
    """
    rng = np.random.default_rng(seed)
    max_engagements = interceptors // SHOTS
    if max_engagements == 0 or channels == 0:
        return LeakerSums(trials, trials * n_warheads, trials * n_warheads**2)
    batch = max(1, min(trials, NUMPY_BATCH_BYTES // (17 * n_warheads)))  # 8 + 8 + 1 bytes
    total = total_sq = 0
    done = 0
    while done < trials:
        size = min(batch, trials - done)
        leakers = _numpy_batch(n_warheads, channels, max_engagements, rng, size)
        total += int(leakers.sum())
        total_sq += int((leakers * leakers).sum())
        done += size
    return LeakerSums(trials, total, total_sq)


# --- (c) a special-purpose numba kernel -------------------------------------------

#: Trials per chunk: the unit of parallel work, and of random streams, so the
#: result does not depend on the number of threads.
SPECIAL_CHUNK_TRIALS = 256

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SEED_KEY = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S11 = np.uint64(11)
_S27 = np.uint64(27)
_S30 = np.uint64(30)
_S31 = np.uint64(31)
_ONE = np.uint64(1)
_LOW8 = np.uint64(255)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53

#: Right edge of the base strip, and area of each layer, of the 256-layer
#: ziggurat for Exp(1) (Marsaglia and Tsang 2000; the constants numpy uses).
_ZIG_R = 7.6971174701310497140446280481
_ZIG_V = 0.0039496598225815571993


def _ziggurat_exp_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tables (k, w, f) of the Exp(1) ziggurat for 53-bit integers.

    Layer i accepts a 53-bit integer ``j`` at once if ``j < k[i]``, returning
    ``j * w[i]``; ``f[i] = exp(-x_i)`` at the layer's edge decides the rare
    wedge cases. Same recurrence as Marsaglia and Tsang's ``zigset``, scaled
    to 2^53 as in numpy.
    """
    m = 2.0**53
    k = np.zeros(256, np.uint64)
    w = np.zeros(256)
    f = np.zeros(256)
    d = t = _ZIG_R
    q = _ZIG_V / np.exp(-d)
    k[0] = np.uint64(d / q * m)
    w[0], w[255] = q / m, d / m
    f[0], f[255] = 1.0, np.exp(-d)
    for i in range(254, 0, -1):
        d = -np.log(_ZIG_V / d + np.exp(-d))
        k[i + 1] = np.uint64(d / t * m)
        t = d
        f[i] = np.exp(-d)
        w[i] = d / m
    return k, w, f


_ZIG_K, _ZIG_W, _ZIG_F = _ziggurat_exp_tables()


@numba.njit(cache=True, nogil=True, inline="always")
def _splitmix64(state):
    """One SplitMix64 step: (new state, 64 random bits)."""
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return state, z ^ (z >> _S31)


@numba.njit(cache=True, nogil=True, inline="always")
def _exp1(state):
    """An Exp(1) variate by the ziggurat: (new state, value).

    About 99% of draws cost one SplitMix64 step, a table look-up and a
    multiply: several times cheaper than ``-log(u)``, which dominated the
    kernel. The layer index and the integer use disjoint bits of the draw.
    """
    while True:
        state, z = _splitmix64(state)
        i = z & _LOW8
        j = z >> _S11
        x = np.float64(j) * _ZIG_W[i]
        if j < _ZIG_K[i]:
            return state, x
        state, z = _splitmix64(state)
        u = np.float64((z >> _S11) + _ONE) * _INV53  # (0, 1]
        if i == 0:
            return state, _ZIG_R - np.log(u)  # the tail beyond R, by memorylessness
        if _ZIG_F[i] + u * (_ZIG_F[i - 1] - _ZIG_F[i]) < np.exp(-x):
            return state, x


@numba.njit(cache=True, nogil=True)
def exp1_sample(n, seed):
    """``n`` Exp(1) variates from the kernel's generator, for tests; float64 (n,)."""
    out = np.empty(n, np.float64)
    _, state = _splitmix64(np.uint64(seed) ^ _SEED_KEY)
    for i in range(n):
        state, out[i] = _exp1(state)
    return out


# fastmath: the kernel only needs to be right in distribution, not bit for bit
# across machines as the engine must be.
@numba.njit(cache=True, nogil=True, parallel=True, fastmath=True)
def _special_block(n_warheads, channels, max_engagements, kill_below, span_s, busy_s, seed,
                   trials, chunk_trials, sums):
    """Leaker sums of ``trials`` trials of the reference model in parallel chunks.

    Parameters
    ----------
    n_warheads, channels, max_engagements : int
        Raid size, channels, and salvos in the magazine (interceptors // shots).
    kill_below : uint64
        An engagement kills iff its 64 random bits are below this (PKILL * 2^64).
    span_s, busy_s : float
        Launch span and channel busy time, seconds.
    seed, trials, chunk_trials : int
        Chunk ``c`` has its own SplitMix64 stream seeded from ``(seed, c)``.
    sums : ndarray, shape (n_chunks, 2), int64
        Output: per chunk, the sum of leakers and of squared leakers.

    Notes
    -----
    Sorted launch times come straight from exponential spacings: if
    ``E_1 .. E_{n+1}`` are iid Exp(1) and ``S_k`` their partial sums, then
    ``span_s * S_k / S_{n+1}`` (k = 1..n) are distributed as the order
    statistics of n uniforms on ``[0, span_s]``, so no sort is needed. Time is
    kept in the units of ``S`` (the busy time is rescaled instead, one
    multiply per trial rather than per missile).
    """
    n_chunks = (trials + chunk_trials - 1) // chunk_trials
    for c in prange(n_chunks):
        ring = np.empty(channels, np.float64)
        cum = np.empty(n_warheads + 1, np.float64)
        state = (np.uint64(seed) ^ _SEED_KEY) + np.uint64(c) * _M1
        _, state = _splitmix64(state)  # a well-mixed start, far from other chunks' streams
        s1 = 0
        s2 = 0
        for _ in range(c * chunk_trials, min((c + 1) * chunk_trials, trials)):
            total = 0.0
            for k in range(n_warheads + 1):
                state, e = _exp1(state)
                total += e
                cum[k] = total
            busy = busy_s * total / span_s
            # Engagements start in time order and all last `busy`, so they end
            # in order too: a FIFO ring of release times, where ring[head] is
            # the oldest once `channels` engagements have started.
            head = 0
            engaged = 0
            leakers = 0
            for k in range(n_warheads):
                t = cum[k]
                if engaged < channels or ring[head] <= t:
                    ring[head] = t + busy
                    head += 1
                    if head == channels:
                        head = 0
                    engaged += 1
                    state, z = _splitmix64(state)
                    leakers += z >= kill_below
                    if engaged == max_engagements:
                        leakers += n_warheads - 1 - k  # magazine dry: the rest leak
                        break
                else:
                    leakers += 1
            s1 += leakers
            s2 += leakers * leakers
        sums[c, 0] = s1
        sums[c, 1] = s2


def special_leakers(n_warheads: int, channels: int, interceptors: int, trials: int,
                    seed: int, threads: int | None = None) -> LeakerSums:
    """Leakers of the reference model with a minimal special-purpose numba kernel.

    Parameters
    ----------
    n_warheads, channels, interceptors, trials, seed : int
        As :func:`simpy_leakers`.
    threads : int, optional
        Threads for numba (restored afterwards); default all. The result does
        not depend on it.

    Returns
    -------
    LeakerSums
    """
    n_chunks = (trials + SPECIAL_CHUNK_TRIALS - 1) // SPECIAL_CHUNK_TRIALS
    sums = np.zeros((n_chunks, 2), np.int64)
    max_engagements = interceptors // SHOTS
    # PKILL * 2^64 as an integer threshold; the float rounds it at 2^-53
    # relative, far below anything a run can resolve. The cap keeps PKILL = 1
    # from overflowing uint64.
    kill_below = np.uint64(min(PKILL * 2.0**64, 2.0**64 - 2048))
    if max_engagements == 0 or channels == 0:
        return LeakerSums(trials, trials * n_warheads, trials * n_warheads**2)
    previous = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(threads)
    try:
        _special_block(np.int64(n_warheads), np.int64(channels), np.int64(max_engagements),
                       kill_below, SPAN_S, BUSY_S, np.int64(seed), np.int64(trials),
                       np.int64(SPECIAL_CHUNK_TRIALS), sums)
    finally:
        numba.set_num_threads(previous)
    return LeakerSums(trials, int(sums[:, 0].sum()), int(sums[:, 1].sum()))


#: The baselines by name, in the order they are reported.
BASELINES = {"simpy": simpy_leakers, "numpy": numpy_leakers, "special": special_leakers}


# --- the same model as an engine scenario -------------------------------------------

def engine_scenario(n_warheads: int, channels: int, interceptors: int):
    """The engine's :class:`~saturation_sim.Scenario` for the reference model.

    Lets tests and the bench command run the engine on variants of the
    reference configs (say, an ample magazine, so that the channels rather
    than the magazine limit the engagements).
    """
    from saturation_sim import Scenario

    return Scenario.from_dict({
        "name": f"reference model: {n_warheads} warheads, {channels} channels, "
                f"{interceptors} interceptors",
        "threats": [{"name": "BM", "count": n_warheads, "kind": "warhead",
                     "launch": {"pattern": "uniform", "start_s": 0.0, "span_s": SPAN_S}}],
        "layers": [{"name": "upper", "fire_units": 1, "channels_per_unit": channels,
                    "interceptors_per_unit": interceptors, "shots_per_engagement": SHOTS,
                    "max_engagements": 1, "flyout_s": BUSY_S,
                    "engage": {"BM": {"sspk": SSPK, "window_s": [0.0, BUSY_S]}}}],
    })


def reference_params(scenario) -> tuple[int, int, int]:
    """``(n_warheads, channels, interceptors)`` of a scenario of the reference model.

    Raises
    ------
    ValueError
        If the scenario is not the reference model with other sizes (so the
        baselines would not simulate the same thing as the engine).
    """
    if len(scenario.threats) != 1 or len(scenario.layers) != 1:
        raise ValueError(f"{scenario.source}: not the reference model (one group, one layer)")
    group, layer = scenario.threats[0], scenario.layers[0]
    params = (group.count, layer.channels_per_unit, layer.interceptors_per_unit)

    # Names, descriptions, caveats and display labels describe a scenario; they do
    # not change what is simulated.
    words = ("name", "name_ja", "description", "description_ja", "caveat", "caveat_ja",
             "simulation", "label", "label_ja", "unit_noun", "unit_noun_ja")

    def model(d):
        out = {k: v for k, v in d.items() if k not in words}
        for table in ("threats", "layers"):
            if table in out:
                out[table] = [{k: v for k, v in item.items() if k not in words or k == "name"}
                              for item in out[table]]
        return out

    if model(engine_scenario(*params).to_dict()) != model(scenario.to_dict()):
        raise ValueError(f"{scenario.source}: not the reference model with other sizes")
    return params
