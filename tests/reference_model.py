"""A slow, plain-Python reference implementation of the engagement model.

This module simulates ONE trial of a :class:`~saturation_sim.scenario.Scenario`
by following ``docs/model.md`` rule by rule, including every choice it makes
where a rule could be read two ways. It is meant to be
read and believed, not to be fast: threats and fire units are small objects in
Python lists, time advances from one decision epoch to the next by taking the
minimum of a list, and every choice is a ``min``/``max`` over the candidates.
It shares no code with the numba kernel (``engine/_kernel.py``), which uses
heaps and ring buffers.

Randomness comes from a *draw source* (see :class:`Draws`), so the same model
can be driven by

- :class:`CounterDraws`: the engine's counter-based generator, re-implemented
  in ``tests/reference_rng.py``. Every draw is the one the engine uses for the
  same ``(seed, trial, stream, a, b)``, so engine and reference must agree
  trial by trial, exactly.
- :class:`NumpyDraws`: an independent ``numpy.random.Generator``. Here the
  reference also simulates each interceptor of a salvo separately
  (reliability, then SSPK) instead of using the per-engagement kill
  probability ``1 - (1 - r p)^n``, so a distributional comparison checks that
  modelling shortcut too.

Time comparisons carry the engine's slack ``EPS_S`` (1 microsecond): two
instants closer than that are the same instant. This is what makes a window
exactly one flyout long mean "engage on arrival" despite rounding.

Defended assets, open ground and track capacity (issue 17; the rules are those
of the section "Defended assets, open ground and track capacity" of
``docs/model.md``): every fired missile is aimed at one target, an asset or
open ground (:func:`split_targets`, :func:`random_target`); each layer's fire
units are split into sites (``Scenario.layer_sites``), each site engaging only
threats aimed at what it covers (:func:`run_layer`, :func:`run_site`); a site
with a track capacity grants tracks in order of request (:func:`_request_track`);
a survivor aimed at open ground is never a leaker.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

import reference_rng as rr
from saturation_sim.scenario import Layer, Scenario

#: Slack in time comparisons, seconds; the same value as the engine's
#: ``_kernel.EPS_S`` (a test checks that they agree).
EPS_S = 1e-6


# --- sources of randomness ----------------------------------------------------

class Draws(Protocol):
    """Every random decision of one trial, named after the rule it serves.

    Each method returns the *outcome* of a Bernoulli trial (or uniform
    variates), so an implementation is free in how it draws, as long as the
    probabilities are right. ``missile`` is the missile's index (group by
    group, wave by wave), ``layer`` the layer's index (outer first) and
    ``engagement`` the 0-based number of the engagement of that missile in
    that layer. ``uniform_launch_times`` returns the launch times on
    ``[start_s, start_s + span_s]`` of the missiles ``first_missile ..
    first_missile + n - 1`` of uniform group ``group``, in that order.
    """

    def destroyed_before_launch(self, missile: int, p: float) -> bool: ...
    def uniform_launch_times(self, group: int, first_missile: int, n: int, start_s: float,
                             span_s: float) -> list[float]: ...
    def layer_available(self, layer: int, availability: float) -> bool: ...
    def tracked(self, layer: int, missile: int, detection: float) -> bool: ...
    def recognised_as_decoy(self, layer: int, missile: int, discrimination: float) -> bool: ...
    def tie_priority(self, layer: int, missile: int) -> float: ...
    def target_uniform(self, group: int, missile: int) -> float: ...
    def engagement_kills(self, layer: int, engagement: int, missile: int,
                         reliability: float, sspk: float, shots: int) -> bool: ...


class CounterDraws:
    """The engine's draws for one ``(seed, trial)``, computed in pure Python.

    Each decision "event with probability p" happens when the stream's uniform
    is ``< p``. The streams and the meaning of their indices ``(a, b)`` are
    those of ``engine/rng.py`` (listed in ``tests/reference_rng.py``; the
    table in ``docs/model.md``, "Randomness", says what each is drawn
    per).

    Parameters
    ----------
    seed, trial : int
        The run's seed and the trial's index, both >= 0.
    n_missiles : int
        Missiles in the raid as planned (``Scenario.raid_size``): the kill
        stream numbers its draws ``engagement * n_missiles + missile``.

    day : int
        Campaigns: the day (0-based). Day 0 draws from the trial's key, a later
        day from its own key ``(STREAM_DAY, day)`` derived from it.
    """

    def __init__(self, seed: int, trial: int, n_missiles: int, day: int = 0):
        self.key = rr.trial_key(seed, trial)
        if day > 0:
            self.key = rr.stream_key(self.key, rr.STREAM_DAY, day)
        self.n_missiles = n_missiles

    def _u(self, stream: int, a: int, b: int) -> float:
        return rr.uniform(self.key, stream, a, b)

    def destroyed_before_launch(self, missile, p):
        return self._u(rr.STREAM_PRELAUNCH, 0, missile) < p

    def uniform_launch_times(self, group, first_missile, n, start_s, span_s):
        # The engine makes a group's n launch times in increasing order, from
        # exponential spacings on the group's own stream (missile
        # first_missile + j gets the j-th smallest). As a set they are n iid
        # uniform times, and counterstrike, drawn independently per missile,
        # thins them without bias.
        return rr.launch_times(self.key, group, n, start_s, span_s)

    def layer_available(self, layer, availability):
        return self._u(rr.STREAM_AVAILABLE, 0, layer) < availability

    def tracked(self, layer, missile, detection):
        return self._u(rr.STREAM_DETECT, layer, missile) < detection

    def recognised_as_decoy(self, layer, missile, discrimination):
        return self._u(rr.STREAM_DISCRIMINATE, layer, missile) < discrimination

    def tie_priority(self, layer, missile):
        return self._u(rr.STREAM_TIEBREAK, layer, missile)

    def target_uniform(self, group, missile):
        return self._u(rr.STREAM_TARGET, group, missile)

    def engagement_kills(self, layer, engagement, missile, reliability, sspk, shots):
        # One draw per engagement against the salvo's kill probability. The
        # expression is written exactly as Layer.engagement_kill_probability
        # so that it rounds to the same double the engine compares against.
        p_kill = 1.0 - (1.0 - reliability * sspk) ** shots
        return self._u(rr.STREAM_KILL, layer, engagement * self.n_missiles + missile) < p_kill


class NumpyDraws:
    """Draws from an independent numpy Generator, in whatever order they are asked for.

    A salvo is simulated interceptor by interceptor: each works with
    ``reliability`` and, if it works, kills with ``sspk`` (model.md, "Layer").

    Parameters
    ----------
    rng : numpy.random.Generator
        Shared across trials; the reference's trials are then independent.
    """

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def _bernoulli(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def destroyed_before_launch(self, missile, p):
        return self._bernoulli(p)

    def uniform_launch_times(self, group, first_missile, n, start_s, span_s):
        # iid, handed out in increasing order as docs/model.md says the engine does: a
        # "split" group's targets are spread through its missile order, which must then
        # be its launch order (in any other order the split would not be even in time).
        return sorted(start_s + span_s * float(u) for u in self.rng.random(n))

    def layer_available(self, layer, availability):
        return self._bernoulli(availability)

    def tracked(self, layer, missile, detection):
        return self._bernoulli(detection)

    def recognised_as_decoy(self, layer, missile, discrimination):
        return self._bernoulli(discrimination)

    def tie_priority(self, layer, missile):
        return float(self.rng.random())

    def target_uniform(self, group, missile):
        return float(self.rng.random())

    def engagement_kills(self, layer, engagement, missile, reliability, sspk, shots):
        killed = False
        for _ in range(shots):  # every interceptor of the salvo flies, whatever the others do
            works = self._bernoulli(reliability)
            if works and self._bernoulli(sspk):
                killed = True
        return killed


# --- the state of one trial -------------------------------------------------------

@dataclass
class Missile:
    """One missile of the raid. ``index`` numbers missiles group by group, wave by wave."""

    index: int
    group: int
    warhead: bool
    launched: bool = False
    launch_s: float = math.nan
    alive: bool = False
    #: Index into ``Scenario.target_names``: an asset, or A (= number of assets) for open ground.
    target: int = 0
    #: End of the missile's last engagement in any earlier layer (rule 2).
    handoff_s: float = -math.inf


@dataclass
class Threat:
    """A missile as one layer sees it: when it may be engaged, and how often it was."""

    missile: Missile
    ready_s: float        # engageable from here (or again from here, after a failed engagement)
    deadline_s: float     # latest start of an engagement that ends inside the window
    priority: float       # random tie-break among equal deadlines
    engagements: int = 0
    close_s: float = math.inf    # launch + b: the window closes
    #: When the threat's track at this site is released (set when a track is granted;
    #: inf while it holds none): the window's close, or the end of the engagement
    #: that kills it, whichever comes first.
    release_s: float = math.inf


@dataclass
class FireUnit:
    index: int
    magazine: int
    busy_until_s: list[float] = field(default_factory=list)  # end of each engagement in progress


@dataclass
class TrialOutcome:
    """What one trial produces (model.md, "Outputs of a run"), as plain lists.

    Attributes
    ----------
    leakers : int
        Surviving warheads.
    group_leakers, group_launched : list of int, length G
    layer_interceptors, layer_engagements, layer_kills : list of int, length L
    layer_magazine_empty : list of bool, length L
        The layer was present and some site of it with fire units ended with
        no unit holding a full salvo.
    asset_targeted : list of int, length A
        Launched missiles (after counterstrike, decoys included) aimed at each
        asset, in ``Scenario.assets`` order (without ``[[assets]]``: A = 1, the
        implicit asset).
    asset_leakers : list of int, length A
        Leakers at each asset; they sum to ``leakers``.
    open_targeted : int
        Launched missiles aimed at open ground (never leakers).
    """

    leakers: int
    group_leakers: list[int]
    group_launched: list[int]
    layer_interceptors: list[int]
    layer_engagements: list[int]
    layer_kills: list[int]
    layer_magazine_empty: list[bool]
    asset_targeted: list[int] = field(default_factory=list)
    asset_leakers: list[int] = field(default_factory=list)
    open_targeted: int = 0

    def as_engine_arrays(self) -> tuple[int, np.ndarray, np.ndarray]:
        """``(leakers, group_acc (G, 2), layer_acc (L, 4))`` shaped like the engine's accumulators."""
        group = np.array([self.group_leakers, self.group_launched], dtype=np.int64).T.reshape(-1, 2)
        layer = np.array([self.layer_interceptors, self.layer_engagements, self.layer_kills,
                          [int(x) for x in self.layer_magazine_empty]],
                         dtype=np.int64).T.reshape(-1, 4)
        return self.leakers, group, layer


def _note(trace: Counter | None, event: str, n: int = 1) -> None:
    """Count that a rule fired (for the tests' coverage check)."""
    if trace is not None:
        trace[event] += n


def _log(log: list[str] | None, message: str) -> None:
    if log is not None:
        log.append(message)


# --- rule 1: the raid -------------------------------------------------------------

def split_targets(n: int, shares: tuple[float, ...]) -> list[int]:
    """Targets of the n missiles a "split" group fires in one raid, in missile order.

    Target a gets ``c_a = floor(n share_a + 1e-9)`` missiles; the ``n - sum c_a``
    left go one each to the targets with the largest fractional parts
    ``n share_a - c_a`` (ties, within 1e-9, to the lower index). Then missile k = 0, 1, .. goes to
    the target a with ``assigned_a < c_a`` that minimises ``(assigned_a + 0.5) / c_a``
    (ties: lower index), so each target's missiles are spread evenly through
    the group's launch order.

    Parameters
    ----------
    n : int
        Missiles the group fires in this raid (before counterstrike).
    shares : tuple of float, length A + 1
        ``Scenario.group_shares`` of the group: assets, then open ground.

    Returns
    -------
    list of int, length n
        Target index of each missile.
    """
    counts = [math.floor(n * share + 1e-9) for share in shares]
    left = n - sum(counts)
    assert 0 <= left <= len(shares), (n, shares, counts)
    remainder = [n * share - c for share, c in zip(shares, counts)]
    for _ in range(left):
        # the first target whose remainder is within 1e-9 of the largest
        top = max(remainder)
        a = next(a for a, x in enumerate(remainder) if x >= top - 1e-9)
        counts[a] += 1
        remainder[a] = -math.inf
    assigned = [0] * len(shares)
    targets = []
    for _ in range(n):
        a = min((a for a in range(len(shares)) if assigned[a] < counts[a]),
                key=lambda a: ((assigned[a] + 0.5) / counts[a], a))
        assigned[a] += 1
        targets.append(a)
    return targets


def random_target(u: float, shares: tuple[float, ...]) -> int:
    """The target of one missile of a "random" group, from its uniform ``u`` in [0, 1).

    The first target a with ``u < share_0 + .. + share_a`` (partial sums added
    left to right); if none (the sum rounded below u), the last target with a
    share above 0.
    """
    total = 0.0
    for a, share in enumerate(shares):
        total += share
        if u < total:
            return a
    return max(a for a, share in enumerate(shares) if share > 0.0)


def launch_raid(scenario: Scenario, draws: Draws, trace: Counter | None = None,
                fire: list[int] | None = None) -> list[Missile]:
    """Counterstrike and launch times: every missile of every group, in index order.

    Missiles are numbered group by group and, inside a group, wave by wave
    (the draws are indexed by this number). Each fired missile is first given
    its target (:func:`split_targets` over the missiles the group fires, or
    :func:`random_target` per missile); then counterstrike thins each missile
    independently with the group's ``prelaunch_kill`` if it has one, else the
    scenario's; a destroyed missile is not launched. ``fire`` (campaigns)
    gives how many missiles each group fires today: its first ones in index
    order; the rest exist (they keep the numbering) but are not launched.
    """
    missiles: list[Missile] = []
    for g, group in enumerate(scenario.threats):
        n_fire = group.count if fire is None else fire[g]
        if n_fire < group.count:
            _note(trace, "group fires less than its count today")
        p_kill = group.prelaunch_kill if group.prelaunch_kill is not None else scenario.prelaunch_kill
        launch = group.launch
        if launch.pattern == "simultaneous":
            times = [launch.at_s[0]] * group.count
        elif launch.pattern == "waves":
            times = [t for t, n in zip(launch.at_s, launch.count) for _ in range(n)]
        elif launch.span_s > 0.0:
            times = draws.uniform_launch_times(g, len(missiles), n_fire, launch.start_s,
                                               launch.span_s)
            times += [math.nan] * (group.count - n_fire)
            _note(trace, "uniform launch times", n_fire)
        else:
            times = [launch.start_s] * group.count
        shares = scenario.group_shares(group)
        if group.allocation == "split":
            targets = split_targets(n_fire, shares)
            if any(n_fire * share % 1.0 for share in shares):
                _note(trace, "split with remainders")
        for j, time_s in enumerate(times):
            m = Missile(index=len(missiles), group=g, warhead=group.kind == "warhead")
            missiles.append(m)
            if j >= n_fire:
                continue  # not fired today
            # The target is chosen before counterstrike, which kills whatever the target.
            if group.allocation == "split":
                m.target = targets[j]
            else:
                m.target = random_target(draws.target_uniform(g, m.index), shares)
                _note(trace, "random target")
            if m.target == len(shares) - 1:
                _note(trace, "aimed at open ground")
            if draws.destroyed_before_launch(m.index, p_kill):
                _note(trace, "destroyed before launch")
                continue
            m.launched = m.alive = True
            m.launch_s = time_s
    return missiles


# --- rules 2 and 3: one layer ---------------------------------------------------

def threats_for_layer(l: int, layer: Layer, scenario: Scenario, missiles: list[Missile],
                      draws: Draws, trace: Counter | None = None,
                      covered: set[int] | None = None) -> list[Threat]:
    """The missiles a site of layer ``l`` could ever engage, with their engageable interval.

    A missile is left out if it is dead, its group is not in the layer's
    engage table, it is aimed at a target the site does not cover
    (``covered``: target indices; None = every target), the layer does not
    track it (detection), it is a decoy the layer recognises
    (discrimination), or no engagement could start in time
    (``ready > deadline``, with the time slack).
    """
    threats = []
    open_ground = len(scenario.target_names) - 1
    for m in missiles:
        if not m.alive:
            continue
        name = scenario.threats[m.group].name
        if name not in layer.engage:
            _note(trace, "group not in engage table")
            continue
        if covered is not None and m.target not in covered:
            _note(trace, "aimed at open ground: not engaged by this site" if m.target == open_ground
                  else "aimed at an asset this site does not cover")
            continue
        if m.target == open_ground:
            _note(trace, "aimed at open ground: engaged by an area layer")
        if not draws.tracked(l, m.index, layer.detection):
            _note(trace, "not tracked")
            continue
        if not m.warhead and draws.recognised_as_decoy(l, m.index, layer.discrimination):
            _note(trace, "decoy recognised")
            continue
        a_s, b_s = layer.engage[name].window_s
        ready = max(m.launch_s + a_s, m.handoff_s)
        if m.handoff_s > m.launch_s + a_s:
            _note(trace, "ready set by handoff from an earlier layer")
        # Written as (launch + b) - flyout, the engine's order of operations, so
        # that equal deadlines stay exactly equal and ties go to the priority.
        deadline = m.launch_s + b_s - layer.flyout_s
        if ready > deadline + EPS_S:
            _note(trace, "window too short to engage")
            continue
        if ready > deadline:
            _note(trace, "slack: ready after the deadline by under 1 us")
        if abs(ready - deadline) <= EPS_S:
            _note(trace, "must be engaged on arrival")
        threats.append(Threat(m, ready, deadline, draws.tie_priority(l, m.index),
                              close_s=m.launch_s + b_s))
    return threats


def run_layer(l: int, layer: Layer, scenario: Scenario, missiles: list[Missile], draws: Draws,
              outcome: TrialOutcome, trace: Counter | None = None,
              log: list[str] | None = None, magazines: list[int] | None = None) -> None:
    """Layer ``l`` of one trial: update the missiles and the layer's counts in ``outcome``.

    The layer's fire units are split into sites (``Scenario.layer_sites``:
    covered target indices and fire units, units numbered site by site); the
    sites run one after the other, in site order, each with its own units
    (:func:`run_site`). The layer's counts are the sums over its sites; it
    ends "magazine empty" if some site with fire units ended with no unit
    holding a full salvo. Without ``[[assets]]`` the layer is one site that
    covers the implicit asset, i.e. the whole layer as before.

    ``magazines`` (campaigns): what each unit of the layer holds at the start;
    updated in place to what it holds at the end. Default: full magazines.
    """
    shots = layer.shots_per_engagement
    if magazines is None:
        magazines = [layer.interceptors_per_unit] * layer.fire_units
    sites = scenario.layer_sites(layer)
    if len(sites) > 1:
        _note(trace, "layer split into several sites")
    first = 0  # number of the site's first unit
    empty = False
    for covered, n_units in sites:
        units = [FireUnit(first + i, magazines[first + i]) for i in range(n_units)]
        run_site(l, layer, set(covered), units, scenario, missiles, draws, outcome, trace, log)
        magazines[first:first + n_units] = [u.magazine for u in units]
        first += n_units
        if units and all(u.magazine < shots for u in units):
            empty = True
    assert first == layer.fire_units, "the sites must share out every fire unit"
    outcome.layer_magazine_empty[l] = empty
    if empty:
        _note(trace, "magazine empty at the end of the layer")


def run_site(l: int, layer: Layer, covered: set[int], units: list[FireUnit], scenario: Scenario,
             missiles: list[Missile], draws: Draws, outcome: TrialOutcome,
             trace: Counter | None = None, log: list[str] | None = None) -> None:
    """One site of layer ``l``: its ``units`` engage threats aimed at the ``covered`` targets.

    Time jumps from one decision epoch to the next: the next moment a threat
    becomes engageable or a channel frees up (nothing else can change what
    the defence may do). At each epoch, the threats whose request time has
    come first ask for a track, if the layer has a track capacity
    (:func:`_request_track`); then, while some fire unit has a free
    channel and a full salvo, and some tracked threat is engageable, the threat with
    the earliest deadline (random priority on ties) is engaged by the unit
    with the most interceptors left (lowest index on ties).

    With the slack, everything within ``EPS_S`` after an epoch happens at
    the epoch: a channel that frees, or a threat that becomes ready, up to
    1 microsecond later counts as free, or ready, now. (The engine visits
    only the epochs at which something can happen, a subset of these. The
    two can differ only when event times lie within 1 microsecond of each
    other without being equal, e.g. a channel freeing 1e-16 s after a threat
    arrives, through rounding; an engagement then starts a fraction of a
    microsecond earlier here, which changes an outcome only if a deadline
    falls inside that fraction.)

    A site without fire units, without channels, or whose magazines hold
    less than one salvo does nothing (its threats ask for no track).
    ``units`` are updated in place (magazines).

    Track capacity K (``layer.track_capacity``; None = unlimited). A
    threat asks for a track at its request time r, the first time it is
    engageable by the site (``max(launch + a, hand-off)``). Requests are
    served in order of r, exact ties in order of the tie-break priority. A
    request succeeds if fewer than K tracks are held at r, a track released
    at or before r + 1 us counting as free; a track is released at the end of
    the engagement that kills its threat, or when the threat's window closes
    (launch + b), whichever comes first. A threat refused a track is not
    engaged by this site; a tracked threat keeps its track for every
    re-engagement. Every request at r is served at the first epoch t >= r - 1 us,
    before that epoch's engagements: an engagement that starts then ends at
    least one flyout (>= 1 ms) later, so it cannot free a track at r.
    """
    shots = layer.shots_per_engagement
    if not units:
        _note(trace, "layer without fire units")
        threats = []
    elif layer.channels_per_unit == 0:
        _note(trace, "layer without channels")
        threats = []
    elif all(u.magazine < shots for u in units):
        _note(trace, "magazine below one salvo from the start")
        threats = []
    else:
        threats = threats_for_layer(l, layer, scenario, missiles, draws, trace, covered)
        # Not a rule: a property of this trial's candidates under which the
        # engine may serve them in arrival order (its in-order pass), noted so
        # that the tests can check that the exact comparison exercises that pass.
        if (layer.max_engagements == 1 and len(threats) > 1
                and all(x.ready_s <= y.ready_s and x.deadline_s < y.deadline_s
                        for x, y in zip(threats, threats[1:]))):
            _note(trace, "candidates in arrival order (engine's in-order pass)")

    capacity = layer.track_capacity
    # Track requests, in the order they are served: by request time, exact ties by priority.
    requests = sorted(threats, key=lambda x: (x.ready_s, x.priority)) if capacity is not None else []
    if any(x.ready_s == y.ready_s for x, y in zip(requests, requests[1:])):
        _note(trace, "track requests at the same instant served by priority")
    granted: list[Threat] = []  # threats that were granted a track (release_s says until when)

    t = -math.inf
    while threats:
        upcoming = ([th.ready_s for th in threats if th.ready_s > t]
                    + [end for u in units for end in u.busy_until_s if end > t])
        if not upcoming:
            break
        t = min(upcoming)
        for u in units:  # engagements that have ended (or end within the slack) free their channels
            u.busy_until_s = [end for end in u.busy_until_s if end > t + EPS_S]
        while requests and requests[0].ready_s <= t + EPS_S:
            _request_track(l, requests.pop(0), granted, capacity, threats, trace, log)
        for th in [th for th in threats if th.deadline_s < t - EPS_S]:
            # An engagement started now would end after the window: the threat passes.
            threats.remove(th)
            _note(trace, "passed: window closed while waiting" if th.engagements == 0
                  else "passed: window closed after a failed engagement")

        while True:
            engageable = [th for th in threats if th.ready_s <= t + EPS_S]
            shooters = [u for u in units
                        if len(u.busy_until_s) < layer.channels_per_unit and u.magazine >= shots]
            if not engageable or not shooters:
                if engageable and all(u.magazine < shots for u in units):
                    _note(trace, "threat waiting while every magazine is spent")
                break
            th = min(engageable, key=lambda x: (x.deadline_s, x.priority))
            if sum(1 for x in engageable if x.deadline_s == th.deadline_s) > 1:
                _note(trace, "tie on deadline broken at random")
            if len(engageable) > 1 and any(x.deadline_s != th.deadline_s for x in engageable):
                _note(trace, "earliest deadline chosen over a later one")
            unit = max(shooters, key=lambda u: (u.magazine, -u.index))
            if len(shooters) > 1:
                _note(trace, "fire unit chosen among several"
                      if len({u.magazine for u in shooters}) > 1
                      else "fire unit chosen by index among equal magazines")
            sspk = layer.engage[scenario.threats[th.missile.group].name].sspk
            _engage(l, layer, sspk, t, unit, th, threats, draws, outcome, trace, log)


def _request_track(l: int, th: Threat, granted: list[Threat], capacity: int,
                   threats: list[Threat], trace: Counter | None, log: list[str] | None) -> None:
    """Threat ``th`` asks a site of layer ``l`` for a track at its request time
    (its ready time, not yet moved by an engagement); refused, it leaves ``threats``."""
    r = th.ready_s
    held = [x for x in granted if x.release_s > r + EPS_S]
    freed = [x for x in granted if x.release_s <= r + EPS_S]
    if len(held) < capacity <= len(held) + len(freed):  # granted thanks to a release
        if any(x.release_s < x.close_s for x in freed):
            _note(trace, "track freed by a kill")
        if any(x.release_s == x.close_s for x in freed):
            _note(trace, "track freed when the window closed")
        if any(x.release_s > r for x in freed):
            _note(trace, "slack: track released under 1 us after the request counts as free")
    if len(held) < capacity:
        th.release_s = th.close_s
        granted.append(th)
        _note(trace, "track granted")
    else:
        threats.remove(th)
        _note(trace, "track refused: every track taken")
        _log(log, f"layer {l} t={r!r}: missile {th.missile.index} refused a track "
                  f"({len(held)} of {capacity} held)")


def _engage(l: int, layer: Layer, sspk: float, t: float, unit: FireUnit, th: Threat,
            threats: list[Threat], draws: Draws, outcome: TrialOutcome, trace: Counter | None,
            log: list[str] | None) -> None:
    """One engagement at time ``t``: spend a salvo, occupy a channel, draw the kill."""
    shots = layer.shots_per_engagement
    m = th.missile
    k = th.engagements  # 0-based engagement number of this missile in this layer
    th.engagements += 1
    end = t + layer.flyout_s
    unit.busy_until_s.append(end)
    unit.magazine -= shots
    outcome.layer_interceptors[l] += shots
    outcome.layer_engagements[l] += 1
    m.handoff_s = end
    _note(trace, "engagement")
    if t > th.deadline_s:
        _note(trace, "slack: engaged after the deadline by under 1 us")
    if k > 0:
        _note(trace, "shoot-look-shoot re-engagement")
    killed = draws.engagement_kills(l, k, m.index, layer.reliability, sspk, shots)
    _log(log, f"layer {l} t={t!r}: unit {unit.index} engages missile {m.index} "
              f"(engagement {k}, deadline {th.deadline_s!r}) -> {'kill' if killed else 'miss'}")
    if killed:
        m.alive = False
        outcome.layer_kills[l] += 1
        threats.remove(th)
        th.release_s = min(th.release_s, end)  # its track (if any) is free once the kill is seen
        _note(trace, "kill")
    elif th.engagements < layer.max_engagements and end <= th.deadline_s + EPS_S:
        th.ready_s = end  # shoot-look-shoot: engageable again once the miss is seen
        _note(trace, "miss, may be engaged again")
        if end > th.deadline_s:
            _note(trace, "slack: look ends after the deadline by under 1 us")
    else:
        threats.remove(th)
        _note(trace, "miss, passes: max_engagements reached" if th.engagements >= layer.max_engagements
              else "miss, passes: no time for another engagement")


# --- one trial ----------------------------------------------------------------------

def simulate_trial(scenario: Scenario, draws: Draws, trace: Counter | None = None,
                   log: list[str] | None = None, fire: list[int] | None = None,
                   magazines: list[list[int]] | None = None,
                   available: list[bool] | None = None) -> TrialOutcome:
    """Simulate one trial of ``scenario`` with randomness from ``draws``.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    draws : Draws
        :class:`CounterDraws` for the engine's exact draws of one
        ``(seed, trial)``, or :class:`NumpyDraws` for independent ones.
    trace : collections.Counter, optional
        If given, counts how often each rule fired (for coverage checks).
    log : list of str, optional
        If given, receives one line per engagement (for diagnosing mismatches).
    fire, magazines, available : optional
        One day of a campaign (:func:`simulate_campaign`): missiles each group
        fires today, each layer's unit magazines (updated in place), and
        whether each layer takes part today.

    Returns
    -------
    TrialOutcome
    """
    G, L = len(scenario.threats), len(scenario.layers)
    A = len(scenario.target_names) - 1  # assets (1 without [[assets]]); target A is open ground
    outcome = TrialOutcome(leakers=0, group_leakers=[0] * G, group_launched=[0] * G,
                           layer_interceptors=[0] * L, layer_engagements=[0] * L,
                           layer_kills=[0] * L, layer_magazine_empty=[False] * L,
                           asset_targeted=[0] * A, asset_leakers=[0] * A)

    # Rule 1: targets, counterstrike and launch times.
    missiles = launch_raid(scenario, draws, trace, fire)
    for m in missiles:
        outcome.group_launched[m.group] += m.launched
        if m.launched and m.target == A:
            outcome.open_targeted += 1
        elif m.launched:
            outcome.asset_targeted[m.target] += 1

    # Rule 2: layers in order, outer first; an absent layer does nothing.
    for l, layer in enumerate(scenario.layers):
        present = (draws.layer_available(l, layer.availability) if available is None
                   else available[l])
        if not present:
            _note(trace, "layer absent")
            _log(log, f"layer {l} absent")
            continue
        run_layer(l, layer, scenario, missiles, draws, outcome, trace, log,
                  None if magazines is None else magazines[l])

    # Rule 4: surviving warheads leak, at the asset they are aimed at; surviving
    # decoys, and survivors aimed at open ground, do not count.
    for m in missiles:
        if m.alive and m.target == A:
            _note(trace, "survivor aimed at open ground (not a leaker)")
        elif m.alive and m.warhead:
            outcome.leakers += 1
            outcome.group_leakers[m.group] += 1
            outcome.asset_leakers[m.target] += 1
            _note(trace, "warhead leaks")
        elif m.alive:
            _note(trace, "decoy survives (not a leaker)")
    return outcome


# --- campaigns ------------------------------------------------------------------------

@dataclass
class CampaignDay:
    """One day of a campaign: the day's raid (as a trial) and the stocks around it.

    Attributes
    ----------
    outcome : TrialOutcome
        The day's raid.
    launchers_alive : list of int, length G
        Launchers alive before the day's launches (0 for groups without launchers).
    magazines : list of list of int
        Each layer's unit magazines at the end of the day, after reloading.
    depots : list of int, length L
        Each layer's depot at the end of the day, after reloading.
    """

    outcome: TrialOutcome
    launchers_alive: list[int]
    magazines: list[list[int]]
    depots: list[int]


def produced_by(day: int, per_day: float) -> int:
    """Whole interceptors produced by the end of day ``day`` (1-based): floor(day x rate),
    with a relative slack of 1e-9 against rounding (docs/model.md, "Campaigns")."""
    return int(math.floor(day * per_day * (1.0 + 1e-9)))


def simulate_campaign(scenario: Scenario, seed: int, trial: int,
                      trace: Counter | None = None) -> list[CampaignDay]:
    """One trial of a campaign with the engine's draws: ``scenario.days`` raids, one a day.

    Each day: the groups fire (launchers alive x missiles each, or their
    count; never more than the inventory left), the day's raid runs as one
    trial with today's magazines, and then, in order: 1. each surviving
    launcher is destroyed with ``launcher_kill_per_day``; 2. production enters
    the depot in whole interceptors; 3. each unit, in index order, draws up to
    ``reload_per_day`` from the depot, never above a full magazine. A layer's
    availability is drawn on day 0's key once per campaign, or on each day's
    key (``availability_per = "day"``). Targets are chosen afresh each day for
    the day's raid: a "split" group splits the missiles it fires that day, a
    "random" one draws on the day's key.
    """
    n = scenario.raid_size
    alive = [t.launchers or 0 for t in scenario.threats]
    left = [t.inventory for t in scenario.threats]
    mags = [[x.interceptors_per_unit] * x.fire_units for x in scenario.layers]
    depots = [x.depot for x in scenario.layers]
    first = CounterDraws(seed, trial, n)
    once = [first.layer_available(l, x.availability) for l, x in enumerate(scenario.layers)]
    trial_key = rr.trial_key(seed, trial)
    days = []
    for day in range(scenario.days):
        draws = CounterDraws(seed, trial, n, day)
        fire = []
        for g, t in enumerate(scenario.threats):
            k = t.count if t.launchers is None else alive[g] * t.missiles_per_launcher
            if left[g] is not None:
                if left[g] < k:
                    _note(trace, "inventory caps the day's raid")
                k = min(k, left[g])
                left[g] -= k
            fire.append(k)
        available = [draws.layer_available(l, x.availability) if x.availability_per == "day"
                     else once[l] for l, x in enumerate(scenario.layers)]
        before = list(alive)
        outcome = simulate_trial(scenario, draws, trace, fire=fire, magazines=mags,
                                 available=available)
        # 1. launcher attrition: launcher b of those alive (numbered group by group,
        # from the group's first launcher number) is destroyed with probability p.
        p = scenario.launcher_kill_per_day
        if p > 0.0:
            offset = 0
            for g, t in enumerate(scenario.threats):
                survivors = sum(1 for j in range(alive[g])
                                if rr.uniform(trial_key, rr.STREAM_ATTRITION, day, offset + j) >= p)
                _note(trace, "launcher destroyed", alive[g] - survivors)
                alive[g] = survivors
                offset += t.launchers or 0
        for l, x in enumerate(scenario.layers):
            # 2. production, whole interceptors; 3. reload, units in index order.
            depots[l] += produced_by(day + 1, x.production_per_day) - produced_by(
                day, x.production_per_day)
            for u in range(x.fire_units):
                take = min(x.reload_per_day, x.interceptors_per_unit - mags[l][u], depots[l])
                if take > 0:
                    mags[l][u] += take
                    depots[l] -= take
                    _note(trace, "unit reloaded from the depot")
        days.append(CampaignDay(outcome, before, [list(m) for m in mags], list(depots)))
    return days
