"""Engine timing, reproduced exactly: engagement starts, channel occupancy, magazines.

The engine compares times with a slack of ``EPS_S`` (1 microsecond) and starts
engagements at ``ready, ready + flyout, ...``. These helpers redo that
arithmetic with the same floating-point operations and refuse to decide when a
time falls inside the band where the slack, rounding or a sub-microsecond
early start (see :func:`drifty`) could change the engine's decision.
"""

from __future__ import annotations

from ..engine._kernel import EPS_S
from ..scenario import Layer

#: Allowance for double rounding of times (the engine's slack is EPS_S = 1e-6 s).
ROUND_S = 1e-7


class IntractableError(ValueError):
    """The exact method cannot handle this scenario; the message names the feature."""


def count_starts(r: float, d: float, f: float, limit: int, drift: float,
                 what: str) -> tuple[int, float]:
    """Engagement starts r, r + f, ... that the engine allows (``start <= d + EPS``).

    Returns the number of starts (at most ``limit``) and the end of the last one.
    A start within the band where rounding or the engine's 1 us slack could
    decide raises :class:`IntractableError`.
    """
    k, t = 0, r
    while k < limit:
        if t <= d + EPS_S - ROUND_S:
            k += 1
            t = t + f
        elif t > d + EPS_S + drift + ROUND_S:
            break
        else:
            raise IntractableError(
                f"{what}: an engagement would start {t - d:.3g} s after the latest start, "
                "inside the engine's 1 us time slack (timing too close to call)")
    return k, t


def concurrency(pool: list) -> int:
    """Largest number of threats that can hold a channel at one instant (worst case).

    ``pool`` items are (class, rule, max count, drift, end of the last
    allowed engagement). Random launches may coincide, so they always count.
    """
    total_random = sum(n for c, _, n, _, _ in pool if c.random_launch)
    det = [(rule.ready_s, end, n, dr) for c, rule, n, dr, end in pool if not c.random_launch]
    best = 0
    for r_b, _, _, dr_b in det:
        busy = 0
        for r_a, e_a, n_a, _ in det:
            started = r_a <= r_b + EPS_S + ROUND_S
            released = e_a <= r_b + EPS_S - dr_b - ROUND_S
            if started and not released:
                busy += n_a
        best = max(best, busy)
    return best + total_random


def is_ample(layer: Layer, busy: int, demand: int) -> bool:
    """Whether every request for a channel is met at once (proof in docs/analytic.md).

    (A) one unit's channels cover the worst concurrency and all magazines
    together cover the worst demand: the most-interceptors rule keeps
    magazines level, so the layer acts as one unit; or (B) the channels of all
    units cover the worst concurrency and every single magazine covers the
    worst demand, so no unit ever runs dry.
    """
    units, c = layer.fire_units, layer.channels_per_unit
    k = layer.interceptors_per_unit // layer.shots_per_engagement
    return (c >= busy and units * k >= demand) or (units * c >= busy and k >= demand)


def start_times(rule, f: float) -> list[float]:
    """Nominal starts of a threat engaged at once and re-engaged after each miss."""
    t, out = rule.ready_s, []
    for _ in range(rule.attempts):
        out.append(t)
        t = t + f
    return out


def drifty(pool: list, f: float) -> bool:
    """Whether the engine may run some engagement of this layer slightly early.

    It takes every threat whose ready time is within EPS of the current time,
    so distinct start times closer than that, random launch times, or times
    already shifted in an earlier layer can start a threat up to EPS early.
    """
    if any(c.random_launch or dr > 0.0 for c, _, _, dr, _ in pool):
        return True
    times = sorted({t for _, rule, _, _, _ in pool for t in start_times(rule, f)})
    return any(b - a < 2 * EPS_S for a, b in zip(times, times[1:]))


def allocate(tier_counts: tuple[int, ...], tier_rounds: tuple[int, ...],
             round_caps: tuple[int, ...]) -> list[list[int]]:
    """Engagements per tier and round in a salvo layer (earliest deadline first).

    Round k engages up to ``round_caps[k]`` threats among the tiers still
    engageable in it, earliest deadline first. A round that is not full has
    engaged everything engageable, so later rounds (whose engageable set only
    shrinks) engage nothing and ``round_caps`` (which assume full earlier
    rounds) are never used wrongly.
    """
    left = list(tier_counts)
    out = [[0] * len(round_caps) for _ in tier_counts]
    for k, cap in enumerate(round_caps):
        for i in range(len(left)):
            if k < tier_rounds[i] and cap > 0 and left[i] > 0:
                take = min(cap, left[i])
                out[i][k] = take
                left[i] -= take
                cap -= take
    return out
