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
STREAM_LAUNCH = 2        # a = 0,     b = missile; a uniform group's draws are sorted (see below)
STREAM_AVAILABLE = 3     # a = 0,     b = layer
STREAM_DETECT = 4        # a = layer, b = missile
STREAM_DISCRIMINATE = 5  # a = layer, b = missile
STREAM_TIEBREAK = 6      # a = layer, b = missile
STREAM_KILL = 7          # a = layer, b = engagement number (0-based) * n_missiles + missile


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


def draw(skey: int, b: int) -> float:
    """The ``b``-th uniform double in ``[0, 1)`` of a stream key.

    The top 53 bits of ``mix64(skey + (b + 1) * GOLDEN)``, scaled by ``2**-53``.
    """
    x = mix64((skey + (b + 1) * GOLDEN) & MASK64)
    return float(x >> 11) * INV53


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
