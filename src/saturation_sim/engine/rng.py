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
# the defence never reshuffles the raid.
STREAM_PRELAUNCH = 1   # a = 0, b = missile
STREAM_LAUNCH = 2      # a = 0, b = missile
STREAM_AVAILABLE = 3   # a = layer, b = 0
STREAM_DETECT = 4      # a = layer, b = missile
STREAM_DISCRIMINATE = 5  # a = layer, b = missile
STREAM_TIEBREAK = 6    # a = layer, b = missile
STREAM_KILL = 7        # a = layer * KILL_STRIDE + engagement number, b = missile
KILL_STRIDE = 1 << 20


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
def uniform(key, stream, a, b):
    """A uniform double in [0, 1) for (trial key, stream, a, b); ints >= 0."""
    x = mix64(key + np.uint64(stream) * _GOLDEN)
    x = mix64(x ^ (np.uint64(a) * _KA))
    x = mix64(x + np.uint64(b) * _KB)
    return np.float64(x >> _S11) * _INV53
