"""The engine's counter-based random numbers, re-implemented in pure Python.

``saturation_sim.engine.rng`` makes every random number of a run a pure
function of ``(seed, trial, stream, a, b)``::

    key  = trial_key(seed, trial)
    skey = stream_key(key, stream, a)      # once per trial (and layer)
    u    = draw(skey, b)                   # = uniform(key, stream, a, b)

This module computes the same functions with Python integers, masking every
product and sum to 64 bits, so that the pure-Python reference model
(``tests/reference_model.py``) can be fed exactly the draws the numba engine
uses, and the two compared trial by trial rather than only in distribution.

It is written from the definitions (SplitMix64 finaliser, golden-ratio
increments), not by calling into the engine; ``tests/test_reference.py``
checks it against the jitted functions bit for bit.
"""

from __future__ import annotations

import math

MASK64 = 0xFFFFFFFFFFFFFFFF

# SplitMix64 finaliser multipliers (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
# Weyl increment (2^64 / golden ratio) and two further odd constants that
# separate the seed and the streams.
GOLDEN = 0x9E3779B97F4A7C15
KA = 0xD6E8FEB86659FD93
KB = 0xCA5A826395121157
INV53 = 1.0 / 9007199254740992.0  # 2**-53: a 53-bit integer becomes a double in [0, 1)

# Stream numbers and index conventions (a, b). They must equal those of
# engine/rng.py (a test checks the numbers; the exact comparison checks the
# conventions).
STREAM_PRELAUNCH = 1     # a = 0,     b = missile
STREAM_LAUNCH = 2        # a = group, b = 0, 1, 2, ...: the draws of Exp(1) variates, in turn
STREAM_AVAILABLE = 3     # a = 0,     b = layer
STREAM_DETECT = 4        # a = layer, b = missile
STREAM_DISCRIMINATE = 5  # a = layer, b = missile
STREAM_TIEBREAK = 6      # a = layer, b = missile
STREAM_KILL = 7          # a = layer, b = engagement number (0-based) * n_missiles + missile
STREAM_DAY = 8           # a = day (1, 2, ...): the key of day a's raid and defence (day 0: the trial's)
STREAM_ATTRITION = 9     # a = day,   b = launcher number (group by group) among those alive
STREAM_TARGET = 10       # a = group, b = missile (global index): target of a "random" allocation


def mix64(x: int) -> int:
    """SplitMix64 finaliser of a 64-bit unsigned integer.

    Parameters
    ----------
    x : int
        Any Python int; only its low 64 bits are used.

    Returns
    -------
    int
        A value in ``[0, 2**64)``; the map is a bijection of 64-bit integers.
    """
    x &= MASK64
    x = ((x ^ (x >> 30)) * M1) & MASK64
    x = ((x ^ (x >> 27)) * M2) & MASK64
    return x ^ (x >> 31)


def trial_key(seed: int, trial: int) -> int:
    """The 64-bit key from which every draw of one trial is derived.

    Parameters
    ----------
    seed, trial : int
        Non-negative integers (the run's seed and the trial's index).

    Returns
    -------
    int
        ``mix64(mix64(seed ^ KA) + trial * GOLDEN)``, in 64-bit arithmetic.
    """
    return mix64((mix64((seed & MASK64) ^ KA) + trial * GOLDEN) & MASK64)


def stream_key(key: int, stream: int, a: int) -> int:
    """The 64-bit key of one stream (and first index ``a``) within a trial.

    Parameters
    ----------
    key : int
        A trial key from :func:`trial_key`.
    stream : int
        One of the ``STREAM_*`` constants.
    a : int
        First index, ``0 <= a < 2**40`` (the layer, or 0).

    Returns
    -------
    int
        ``mix64(key ^ mix64((stream << 40) + a + KB))``, in 64-bit arithmetic.
    """
    return mix64(key ^ mix64(((stream << 40) + a + KB) & MASK64))


def bits(skey: int, b: int) -> int:
    """The ``b``-th 64-bit output of a stream key: ``mix64(skey + (b + 1) * GOLDEN)``."""
    return mix64((skey + (b + 1) * GOLDEN) & MASK64)


def draw(skey: int, b: int) -> float:
    """The ``b``-th uniform double in ``[0, 1)`` of a stream key.

    The top 53 bits of :func:`bits`, scaled by ``2**-53``.
    """
    return float(bits(skey, b) >> 11) * INV53


# --- Exp(1) by the ziggurat method -------------------------------------------------
# Marsaglia & Tsang, "The ziggurat method for generating random variables",
# J. Statistical Software 5(8), 2000: 256 strips of equal area V under
# exp(-x), the base strip reaching out to R. An integer j of 53 bits and a
# strip i (8 other bits of the same draw) give the point x = j * w[i]; it is
# accepted at once when it lies in the rectangle wholly under the curve
# (j < k[i]), else tested against the curve with a second draw.
ZIG_R = 7.6971174701310497140446280481
ZIG_V = 0.0039496598225815571993


def _strips() -> tuple[list[int], list[float], list[float]]:
    """(k, w, f) for 256 strips and 53-bit integers; f[i] = exp(-x_i) at a strip's edge."""
    two53 = 2.0**53
    # x[i]: the outer edge of strip i, from x[255] = R inwards; strips of equal
    # area V give x[i] = -log(V / x[i+1] + exp(-x[i+1])).
    x = [0.0] * 256
    x[255] = ZIG_R
    for i in range(254, 0, -1):
        x[i] = -math.log(ZIG_V / x[i + 1] + math.exp(-x[i + 1]))
    q = ZIG_V / math.exp(-ZIG_R)  # base strip: rectangle of area V and height exp(-R)
    k = [0] * 256  # k[1] = 0: the top strip never accepts without the curve test
    w = [0.0] * 256
    f = [0.0] * 256
    k[0], w[0], f[0] = int(ZIG_R / q * two53), q / two53, 1.0
    for i in range(1, 256):
        w[i] = x[i] / two53
        f[i] = math.exp(-x[i])
    for i in range(2, 256):
        k[i] = int(x[i - 1] / x[i] * two53)
    return k, w, f


ZIG_K, ZIG_W, ZIG_F = _strips()


def exp1(skey: int, b: int) -> tuple[float, int]:
    """One Exp(1) variate from stream ``skey`` starting at draw ``b``: ``(value, next b)``."""
    while True:
        x = bits(skey, b)
        b += 1
        i = x & 0xFF
        j = x >> 11
        value = float(j) * ZIG_W[i]
        if j < ZIG_K[i]:
            return value, b
        u = float((bits(skey, b) >> 11) + 1) * INV53  # in (0, 1]
        b += 1
        if i == 0:
            return ZIG_R - math.log(u), b  # the tail beyond R, by memorylessness
        if ZIG_F[i] + u * (ZIG_F[i - 1] - ZIG_F[i]) < math.exp(-value):
            return value, b


def launch_times(key: int, group: int, n: int, start_s: float, span_s: float) -> list[float]:
    """Launch times of a uniform group's n missiles, increasing, as the engine makes them.

    ``E_1 .. E_{n+1}`` iid Exp(1) from the stream ``(STREAM_LAUNCH, group)``,
    ``S_k`` their partial sums: missile k gets ``start_s + S_k * (span_s / S_{n+1})``,
    the k-th of n sorted uniform launch times on ``[start_s, start_s + span_s]``.
    """
    skey = stream_key(key, STREAM_LAUNCH, group)
    sums = []
    total = 0.0
    b = 0
    for _ in range(n + 1):
        e, b = exp1(skey, b)
        total += e
        sums.append(total)
    scale = span_s / total
    return [start_s + s * scale for s in sums[:n]]


def uniform(key: int, stream: int, a: int, b: int) -> float:
    """One draw addressed in full: ``draw(stream_key(key, stream, a), b)``.

    Parameters
    ----------
    key : int
        A trial key from :func:`trial_key`.
    stream : int
        One of the ``STREAM_*`` constants.
    a, b : int
        Non-negative indices whose meaning depends on the stream (see the
        ``STREAM_*`` comments).

    Returns
    -------
    float
        A double in ``[0, 1)`` on the grid of multiples of ``2**-53``.
    """
    return draw(stream_key(key, stream, a), b)
