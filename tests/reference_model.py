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
        # iid, in no particular order
        return [start_s + span_s * float(u) for u in self.rng.random(n)]

    def layer_available(self, layer, availability):
        return self._bernoulli(availability)

    def tracked(self, layer, missile, detection):
        return self._bernoulli(detection)

    def recognised_as_decoy(self, layer, missile, discrimination):
        return self._bernoulli(discrimination)

    def tie_priority(self, layer, missile):
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
        The layer was present, has fire units, and ended with no unit holding
        a full salvo.
    """

    leakers: int
    group_leakers: list[int]
    group_launched: list[int]
    layer_interceptors: list[int]
    layer_engagements: list[int]
    layer_kills: list[int]
    layer_magazine_empty: list[bool]

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

def launch_raid(scenario: Scenario, draws: Draws, trace: Counter | None = None,
                fire: list[int] | None = None) -> list[Missile]:
    """Counterstrike and launch times: every missile of every group, in index order.

    Missiles are numbered group by group and, inside a group, wave by wave
    (the draws are indexed by this number). Counterstrike thins each missile
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
        for j, time_s in enumerate(times):
            m = Missile(index=len(missiles), group=g, warhead=group.kind == "warhead")
            missiles.append(m)
            if j >= n_fire:
                continue  # not fired today
            if draws.destroyed_before_launch(m.index, p_kill):
                _note(trace, "destroyed before launch")
                continue
            m.launched = m.alive = True
            m.launch_s = time_s
    return missiles


# --- rules 2 and 3: one layer ---------------------------------------------------

def threats_for_layer(l: int, layer: Layer, scenario: Scenario, missiles: list[Missile],
                      draws: Draws, trace: Counter | None = None) -> list[Threat]:
    """The missiles layer ``l`` could ever engage, with their engageable interval.

    A missile is left out if it is dead, its group is not in the layer's
    engage table, the layer does not track it (detection), it is a decoy the
    layer recognises (discrimination), or no engagement could start in time
    (``ready > deadline``, with the time slack).
    """
    threats = []
    for m in missiles:
        if not m.alive:
            continue
        name = scenario.threats[m.group].name
        if name not in layer.engage:
            _note(trace, "group not in engage table")
            continue
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
        threats.append(Threat(m, ready, deadline, draws.tie_priority(l, m.index)))
    return threats


def run_layer(l: int, layer: Layer, scenario: Scenario, missiles: list[Missile], draws: Draws,
              outcome: TrialOutcome, trace: Counter | None = None,
              log: list[str] | None = None, magazines: list[int] | None = None) -> None:
    """Layer ``l`` of one trial: update the missiles and the layer's counts in ``outcome``.

    Time jumps from one decision epoch to the next: the next moment a threat
    becomes engageable or a channel frees up (nothing else can change what
    the defence may do). At each epoch, while some fire unit has a free
    channel and a full salvo, and some threat is engageable, the threat with
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

    A layer without fire units, without channels, or whose magazines hold
    less than one salvo does nothing. It ends "magazine empty" if it has fire
    units and none of them holds a full salvo at the end.

    ``magazines`` (campaigns): what each unit's magazine holds at the start;
    updated in place to what it holds at the end. Default: full magazines.
    """
    shots = layer.shots_per_engagement
    if magazines is None:
        magazines = [layer.interceptors_per_unit] * layer.fire_units
    units = [FireUnit(u, magazines[u]) for u in range(layer.fire_units)]

    if layer.fire_units == 0:
        _note(trace, "layer without fire units")
        threats = []
    elif layer.channels_per_unit == 0:
        _note(trace, "layer without channels")
        threats = []
    elif all(u.magazine < shots for u in units):
        _note(trace, "magazine below one salvo from the start")
        threats = []
    else:
        threats = threats_for_layer(l, layer, scenario, missiles, draws, trace)
        # Not a rule: a property of this trial's candidates under which the
        # engine may serve them in arrival order (its in-order pass), noted so
        # that the tests can check that the exact comparison exercises that pass.
        if (layer.max_engagements == 1 and len(threats) > 1
                and all(x.ready_s <= y.ready_s and x.deadline_s < y.deadline_s
                        for x, y in zip(threats, threats[1:]))):
            _note(trace, "candidates in arrival order (engine's in-order pass)")

    t = -math.inf
    while threats:
        upcoming = ([th.ready_s for th in threats if th.ready_s > t]
                    + [end for u in units for end in u.busy_until_s if end > t])
        if not upcoming:
            break
        t = min(upcoming)
        for u in units:  # engagements that have ended (or end within the slack) free their channels
            u.busy_until_s = [end for end in u.busy_until_s if end > t + EPS_S]
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

    magazines[:] = [u.magazine for u in units]
    outcome.layer_magazine_empty[l] = bool(units) and all(u.magazine < shots for u in units)
    if outcome.layer_magazine_empty[l]:
        _note(trace, "magazine empty at the end of the layer")


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
    outcome = TrialOutcome(leakers=0, group_leakers=[0] * G, group_launched=[0] * G,
                           layer_interceptors=[0] * L, layer_engagements=[0] * L,
                           layer_kills=[0] * L, layer_magazine_empty=[False] * L)

    # Rule 1: counterstrike and launch times.
    missiles = launch_raid(scenario, draws, trace, fire)
    for m in missiles:
        outcome.group_launched[m.group] += m.launched

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

    # Rule 4: surviving warheads leak; surviving decoys do not count.
    for m in missiles:
        if m.alive and m.warhead:
            outcome.leakers += 1
            outcome.group_leakers[m.group] += 1
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
    key (``availability_per = "day"``).
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
