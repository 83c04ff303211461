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

import numpy as np

from ._numba import jit, jit_inline

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
# draw costs one SplitMix64 step.
STREAM_PRELAUNCH = 1     # a = 0,     b = missile
STREAM_LAUNCH = 2        # a = 0,     b = missile (sorted per group, see _kernel)
STREAM_AVAILABLE = 3     # a = 0,     b = layer
STREAM_DETECT = 4        # a = layer, b = missile
STREAM_DISCRIMINATE = 5  # a = layer, b = missile
STREAM_TIEBREAK = 6      # a = layer, b = missile
STREAM_KILL = 7          # a = layer, b = engagement number * n_missiles + missile
_S40 = np.uint64(40)


@jit_inline
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


@jit_inline
def draw(skey, b):
    """Uniform double in [0, 1): the ``b``-th SplitMix64 output of a stream key."""
    x = mix64(skey + (np.uint64(b) + np.uint64(1)) * _GOLDEN)
    return np.float64(x >> _S11) * _INV53


@jit
def uniform(key, stream, a, b):
    """``draw(stream_key(key, stream, a), b)``: one draw, addressed in full."""
    return draw(stream_key(key, stream, a), b)
