"""Counter-based random numbers for the kernels.

Every random number of a run is a pure function of
``(seed, trial, stream, a, b)``: the SplitMix64 finaliser applied to a mix of
those integers. Nothing depends on chunking or thread scheduling, and a draw
that a scenario skips (say, detection when ``detection == 1``) does not shift
any other draw. That gives strong common random numbers: two scenarios that
differ only in the defence see the same raid, and the same threat meets the
same luck in the same engagement.

The same functions are re-implemented in pure Python in
``tests/reference_rng.py`` for cross-checks.
"""

from __future__ import annotations

import math

import numpy as np

from ._numba import jit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_KA = np.uint64(0xD6E8FEB86659FD93)
_KB = np.uint64(0xCA5A826395121157)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53

# Streams. Raid streams are separate from defence streams so that a change to
# the defence never reshuffles the raid. Each draw is ``draw(stream_key(key,
# stream, a), b)``: the stream key is computed once per trial (and layer), so a
# draw costs one SplitMix64 step. These take and return scalars only, so they are
# plain ``jit`` functions, which LLVM inlines into the kernel: numba's own
# IR-level inlining (``jit_inline``) would re-analyse the whole kernel at each of
# their ~40 call sites, about 1.2 s of every kernel's cold compile, for no speed.
STREAM_PRELAUNCH = 1     # a = 0,     b = missile
STREAM_LAUNCH = 2        # a = group, b = 0, 1, 2, ... consumed in turn by exp1 (spacings)
STREAM_AVAILABLE = 3     # a = 0,     b = layer
STREAM_DETECT = 4        # a = layer, b = missile
STREAM_DISCRIMINATE = 5  # a = layer, b = missile
STREAM_TIEBREAK = 6      # a = layer, b = missile
STREAM_KILL = 7          # a = layer, b = engagement number * n_missiles + missile
STREAM_DAY = 8           # a = day (1, 2, ...): the key of day a's raid and defence (day 0: the trial's)
STREAM_ATTRITION = 9     # a = day,   b = launcher number (group by group) among those alive
STREAM_TARGET = 10       # a = group, b = missile: the target of a missile of a "random" allocation
_S40 = np.uint64(40)


@jit
def mix64(x):
    """SplitMix64 finaliser: a bijection of uint64 with full avalanche."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@jit
def trial_key(seed, trial):
    """The uint64 key of one trial; ``seed`` and ``trial`` are int64 >= 0."""
    return mix64(mix64(np.uint64(seed) ^ _KA) + np.uint64(trial) * _GOLDEN)


@jit
def stream_key(key, stream, a):
    """The uint64 key of stream ``stream`` (and layer ``a``) within a trial."""
    return mix64(key ^ mix64((np.uint64(stream) << _S40) + np.uint64(a) + _KB))


@jit
def draw(skey, b):
    """Uniform double in [0, 1): the ``b``-th SplitMix64 output of a stream key."""
    x = mix64(skey + (np.uint64(b) + np.uint64(1)) * _GOLDEN)
    # Through int64: exact (below 2^53) and a single instruction, where a
    # uint64 to double conversion takes a branch and several on x86-64.
    return np.float64(np.int64(x >> _S11)) * _INV53


@jit
def bits(skey, b):
    """The ``b``-th 64-bit SplitMix64 output of a stream key (``draw`` keeps its top 53 bits)."""
    return mix64(skey + (np.uint64(b) + np.uint64(1)) * _GOLDEN)


# --- Exp(1) variates: the ziggurat of Marsaglia and Tsang (2000) ------------------
#
# 256 strips of equal area _ZIG_V under exp(-x); _ZIG_R is the right edge of
# the base strip. The tables are computed with Python's math module (the C
# library's exp and log), like the pure-Python copy in tests/reference_rng.py,
# so the two hold the same doubles.
ZIG_R = 7.6971174701310497140446280481
_ZIG_V = 0.0039496598225815571993


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(k, w, f): acceptance bounds for 53-bit integers, scales, and exp(-x_i).

    Strip i accepts a 53-bit integer ``j`` at once when ``j < k[i]`` and then
    returns ``j * w[i]``; ``f[i] = exp(-x_i)`` at the strip's outer edge
    decides the rare wedge draws.
    """
    scale = 2.0**53
    k, w, f = [0] * 256, [0.0] * 256, [0.0] * 256
    x = outer = ZIG_R
    q = _ZIG_V / math.exp(-x)
    k[0] = int(x / q * scale)
    w[0], w[255] = q / scale, x / scale
    f[0], f[255] = 1.0, math.exp(-x)
    for i in range(254, 0, -1):
        x = -math.log(_ZIG_V / x + math.exp(-x))
        k[i + 1] = int(x / outer * scale)
        outer = x
        f[i] = math.exp(-x)
        w[i] = x / scale
    return np.array(k, np.uint64), np.array(w, np.float64), np.array(f, np.float64)


ZIG_K, ZIG_W, ZIG_F = _ziggurat_tables()
_LOW8 = np.uint64(0xFF)
_ONE = np.uint64(1)


@jit
def _exp1_rejected(skey, b, i, j):
    """The rest of :func:`exp1` after a first draw outside strip ``i``'s rectangle.

    ``j`` is that draw's 53-bit integer, ``b`` the next draw index. Kept out
    of line: it runs about once in a hundred variates, and inlining its loop
    into the callers' hot loops made them much slower.
    """
    while True:
        value = np.float64(np.int64(j)) * ZIG_W[i]
        u = np.float64(np.int64((bits(skey, b) >> _S11) + _ONE)) * _INV53  # in (0, 1]
        b += 1
        if i == 0:
            return ZIG_R - np.log(u), b  # the tail beyond R, by memorylessness
        if ZIG_F[i] + u * (ZIG_F[i - 1] - ZIG_F[i]) < np.exp(-value):
            return value, b  # under the curve in the wedge
        x = bits(skey, b)  # rejected: start again
        b += 1
        i = np.int64(x & _LOW8)
        j = x >> _S11
        if j < ZIG_K[i]:
            return np.float64(np.int64(j)) * ZIG_W[i], b


@jit
def exp1(skey, b):
    """An Exp(1) variate from stream ``skey``, starting at draw ``b``.

    Returns ``(value, next b)``. About 99% of calls use one draw: its low 8
    bits pick a strip, its top 53 bits the point in it, accepted when inside
    the strip's rectangle. Otherwise a second draw tests the wedge, or gives
    the tail beyond ``ZIG_R`` (``ZIG_R - log(u)``), and a rejection starts
    again (see :func:`_exp1_rejected`).
    """
    x = bits(skey, b)
    i = np.int64(x & _LOW8)
    j = x >> _S11
    if j < ZIG_K[i]:
        return np.float64(np.int64(j)) * ZIG_W[i], b + 1  # j < 2^53: exact through int64
    return _exp1_rejected(skey, b + 1, i, j)


@jit
def exp1_run(skey, n):
    """The first ``n`` Exp(1) variates of a stream key, in order (for tests); (n,) float64."""
    out = np.empty(n, np.float64)
    b = 0
    for m in range(n):
        out[m], b = exp1(skey, b)
    return out


@jit
def uniform(key, stream, a, b):
    """``draw(stream_key(key, stream, a), b)``: one draw, addressed in full."""
    return draw(stream_key(key, stream, a), b)
