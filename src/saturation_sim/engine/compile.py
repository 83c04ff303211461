"""The one boundary between Python objects and kernels.

:func:`compile_scenario` turns a validated :class:`Scenario` into flat,
contiguous numpy arrays (int64 and float64, and uint64 kill thresholds, so that
the kernel is compiled for one type signature). Kernels see nothing else: the
whole :class:`CompiledScenario` is passed to them as one named tuple, so a new
field reaches the kernel without touching any signature.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..scenario import Scenario


class CompiledScenario(NamedTuple):
    """Flat arrays for the kernel. M missiles, G groups, L layers.

    Missiles are numbered group by group, and inside a group wave by wave.
    """

    missile_group: np.ndarray      # (M,) int64: threat group of each missile
    missile_time_s: np.ndarray     # (M,) float64: launch time, or span start for "uniform"
    group_first: np.ndarray        # (G,) int64: number of the group's first missile
    group_count: np.ndarray        # (G,) int64: missiles in the group
    group_span_s: np.ndarray       # (G,) float64: uniform launch span (0 for fixed times)
    group_warhead: np.ndarray      # (G,) int64: 1 warhead, 0 decoy
    group_prelaunch: np.ndarray    # (G,) float64: P(destroyed before launch)
    group_sorted: np.ndarray       # (G,) int64: 1 if launch times never decrease with missile number
    layer_units: np.ndarray        # (L,) int64: fire units
    layer_channels: np.ndarray     # (L,) int64: channels per unit
    layer_magazine: np.ndarray     # (L,) int64: interceptors per unit
    layer_shots: np.ndarray        # (L,) int64: interceptors per engagement
    layer_max_eng: np.ndarray      # (L,) int64: engagements per threat (>1: shoot-look-shoot)
    layer_flyout_s: np.ndarray     # (L,) float64
    layer_detection: np.ndarray    # (L,) float64
    layer_discrimination: np.ndarray  # (L,) float64
    layer_availability: np.ndarray  # (L,) float64
    layer_detect_below: np.ndarray  # (L,) uint64: ceil(detection * 2^53), see _below
    layer_recognise_below: np.ndarray  # (L,) uint64: ceil(discrimination * 2^53)
    engage_on: np.ndarray          # (L, G) int64: 1 if the layer can engage the group
    engage_a_s: np.ndarray         # (L, G) float64: window start after launch
    engage_b_s: np.ndarray         # (L, G) float64: window end after launch
    engage_kill_below: np.ndarray  # (L, G) uint64: ceil(P(one engagement kills) * 2^53)
    group_cost: np.ndarray         # (G,) float64: cost per launched missile (0 if absent)
    layer_cost: np.ndarray         # (L,) float64: cost per interceptor (0 if absent)
    # Campaigns (D days; D = 1 for a single raid, and then none of these is read).
    campaign_days: np.ndarray      # (1,) int64: D
    launcher_kill: np.ndarray      # (1,) float64: P(a launcher is destroyed at the end of a day)
    group_launchers: np.ndarray    # (G,) int64: launchers (0: the group fires `count` a day)
    group_per_launcher: np.ndarray  # (G,) int64: missiles per launcher per day
    group_inventory: np.ndarray    # (G,) int64: missiles over the campaign (-1: unlimited)
    layer_reload: np.ndarray       # (L,) int64: interceptors a unit draws from the depot a day
    layer_depot: np.ndarray        # (L,) int64: the depot at the start
    layer_production: np.ndarray   # (L, D) int64: whole interceptors entering the depot at the end of day d
    layer_daily_availability: np.ndarray  # (L,) int64: 1 if availability is drawn every day
    # Defended assets and track capacity (T targets: the assets, then open ground;
    # S sites). A scenario without [[assets]] has one implicit asset and one
    # site per layer; unless some layer has a track capacity, the kernel then
    # reads none of these (``use_targets`` is 0).
    use_targets: np.ndarray        # (1,) int64: 1 if the kernel must aim missiles and run sites
    missile_target: np.ndarray     # (M,) int64: target of each missile of a "split" group (full count)
    group_target_shares: np.ndarray  # (G, T) float64: shares of the targets, summing to 1
    group_target_cum: np.ndarray   # (G, T) float64: their running sums; inf from the last share > 0
    group_random: np.ndarray       # (G,) int64: 1 if the allocation is "random"
    target_value: np.ndarray       # (T,) float64: value of each asset (0 for open ground)
    layer_site_first: np.ndarray   # (L + 1,) int64: layer l's sites are layer_site_first[l] .. [l + 1] - 1
    site_units: np.ndarray         # (S,) int64: fire units of the site
    site_unit0: np.ndarray         # (S,) int64: number, within its layer, of the site's first unit
    site_cover: np.ndarray         # (S, T) int64: 1 if the site engages threats aimed at the target
    site_single: np.ndarray        # (S,) int64: the site's one target if it covers one, else -1
    layer_track: np.ndarray        # (L,) int64: track capacity of each site of the layer (0: unlimited)

    @property
    def n_missiles(self) -> int:
        return int(self.missile_group.shape[0])

    @property
    def n_warheads(self) -> int:
        return int(self.group_warhead[self.missile_group].sum())

    @property
    def n_targets(self) -> int:
        return int(self.target_value.shape[0])

    @property
    def n_days(self) -> int:
        return int(self.campaign_days[0])

    @property
    def max_leakers(self) -> int:
        """Most warheads leaking in one trial (over the campaign): histogram length - 1."""
        most = 0
        for g in range(self.group_count.shape[0]):
            if self.group_warhead[g] == 1:
                n = int(self.group_count[g]) * self.n_days
                if self.group_inventory[g] >= 0:
                    n = min(n, int(self.group_inventory[g]))
                most += n
        return most


def production_schedule(per_day: float, days: int) -> list[int]:
    """Whole interceptors entering a depot at the end of each day, for ``per_day`` a day.

    Fractions accumulate: by the end of day d (1-based) ``floor(d * per_day)``
    have entered in all (with a relative slack of 1e-9, so 0.1 a day gives
    exactly 1 on day 10 despite rounding).
    """
    out, done = [], 0
    for d in range(1, days + 1):
        total = int(math.floor(d * per_day * (1.0 + 1e-9)))
        out.append(total - done)
        done = total
    return out


def _below(p: np.ndarray) -> np.ndarray:
    """The kernel's integer thresholds for probabilities ``p`` (any shape), uint64.

    A draw u = m * 2^-53 (m the draw's top 53 bits) is below p exactly when
    m < p * 2^53, that is m < ceil(p * 2^53): scaling by a power of two is
    exact, so the integer test is the float test, minus a conversion.
    """
    return np.ascontiguousarray(np.ceil(p * 2.0**53).astype(np.uint64))


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Flatten ``scenario`` into the arrays the kernel reads.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    CompiledScenario
        Arrays as documented on the class; all C-contiguous.
    """
    groups, times = [], []
    for g, t in enumerate(scenario.threats):
        if t.launch.pattern == "uniform":
            groups.append(np.full(t.count, g))
            times.append(np.full(t.count, t.launch.start_s))
            continue
        at, counts = t.launch.wave_times_counts(t.count)
        for time_s, n in zip(at, counts):
            groups.append(np.full(n, g))
            times.append(np.full(n, time_s))
    counts = [t.count for t in scenario.threats]

    n_layers, n_groups = len(scenario.layers), len(scenario.threats)
    on = np.zeros((n_layers, n_groups), np.int64)
    a = np.zeros((n_layers, n_groups))
    b = np.zeros((n_layers, n_groups))
    pk = np.zeros((n_layers, n_groups))
    index = {t.name: g for g, t in enumerate(scenario.threats)}  # O(1) per entry, not O(G)
    for li, layer in enumerate(scenario.layers):
        for name, e in layer.engage.items():
            g = index[name]
            on[li, g] = 1
            a[li, g], b[li, g] = e.window_s
            pk[li, g] = layer.engagement_kill_probability(name)

    def ints(values):
        return np.ascontiguousarray(values, dtype=np.int64)

    def floats(values):
        return np.ascontiguousarray(values, dtype=np.float64)

    L = scenario.layers
    # Uniform launches are generated in increasing order; fixed times are in
    # order when the waves are listed in time order.
    time_s = np.concatenate(times) if times else np.zeros(0)
    group_sorted = []
    first = 0  # running sum, so that compiling is linear in the number of groups
    for t in scenario.threats:
        own = time_s[first:first + t.count]
        group_sorted.append(1 if t.launch.pattern == "uniform" or t.launch.pattern ==
                            "simultaneous" or bool(np.all(np.diff(own) >= 0)) else 0)
        first += t.count
    kill_below = _below(pk)
    targets = _compile_targets(scenario)
    return CompiledScenario(
        missile_group=ints(np.concatenate(groups) if groups else []),
        missile_time_s=floats(time_s),
        group_first=ints(np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)),
        group_count=ints(counts),
        group_span_s=floats([t.launch.span_s if t.launch.pattern == "uniform" else 0.0
                             for t in scenario.threats]),
        group_warhead=ints([1 if t.is_warhead else 0 for t in scenario.threats]),
        group_prelaunch=floats([scenario.group_prelaunch_kill(t) for t in scenario.threats]),
        group_sorted=ints(group_sorted),
        layer_units=ints([x.fire_units for x in L]),
        layer_channels=ints([x.channels_per_unit for x in L]),
        layer_magazine=ints([x.interceptors_per_unit for x in L]),
        layer_shots=ints([x.shots_per_engagement for x in L]),
        layer_max_eng=ints([x.max_engagements for x in L]),
        layer_flyout_s=floats([x.flyout_s for x in L]),
        layer_detection=floats([x.detection for x in L]),
        layer_discrimination=floats([x.discrimination for x in L]),
        layer_detect_below=_below(np.array([x.detection for x in L], np.float64)),
        layer_recognise_below=_below(np.array([x.discrimination for x in L], np.float64)),
        layer_availability=floats([x.availability for x in L]),
        engage_on=on, engage_a_s=a, engage_b_s=b,
        engage_kill_below=np.ascontiguousarray(kill_below),
        group_cost=floats([t.cost or 0.0 for t in scenario.threats]),
        layer_cost=floats([x.interceptor_cost or 0.0 for x in L]),
        campaign_days=ints([scenario.days]),
        launcher_kill=floats([scenario.launcher_kill_per_day]),
        group_launchers=ints([t.launchers or 0 for t in scenario.threats]),
        group_per_launcher=ints([t.missiles_per_launcher or 0 for t in scenario.threats]),
        group_inventory=ints([-1 if t.inventory is None else t.inventory
                              for t in scenario.threats]),
        layer_reload=ints([x.reload_per_day for x in L]),
        layer_depot=ints([x.depot for x in L]),
        layer_production=ints(np.array([production_schedule(x.production_per_day, scenario.days)
                                         for x in L], dtype=np.int64).reshape(len(L),
                                                                               scenario.days)),
        layer_daily_availability=ints([1 if x.availability_per == "day" else 0 for x in L]),
        **targets,
    )


def _compile_targets(scenario: Scenario) -> dict[str, np.ndarray]:
    """The arrays of assets, sites and tracks (the last fields of CompiledScenario)."""
    from ._kernel import split_targets

    n_targets = len(scenario.target_names)
    shares = np.array([scenario.group_shares(t) for t in scenario.threats],
                      dtype=np.float64).reshape(len(scenario.threats), n_targets)
    # The shares as given (validation keeps their sum within 1e-9 of 1): the
    # reference model and the exact method read the same numbers.
    cum = np.cumsum(shares, axis=1)
    for g in range(shares.shape[0]):
        positive = np.flatnonzero(shares[g] > 0)
        cum[g, positive[-1] if positive.size else 0:] = np.inf
    missile_target = np.zeros(scenario.raid_size, np.int64)  # every missile at asset 0
    first = 0
    for g, t in enumerate(scenario.threats):
        if scenario.has_assets:  # (else split_targets need not even be compiled)
            split_targets(shares[g], t.count, missile_target[first:first + t.count])
        first += t.count
    site_first, units, unit0, cover = [0], [], [], []
    for lay in scenario.layers:
        u0 = 0
        for covered, n_units in scenario.layer_sites(lay):
            row = np.zeros(n_targets, np.int64)
            row[list(covered)] = 1
            cover.append(row)
            units.append(n_units)
            unit0.append(u0)
            u0 += n_units
        site_first.append(len(units))
    values = [a.value for a in scenario.assets] or [1.0]  # the implicit asset's value is 1
    return dict(
        use_targets=np.array([1 if scenario.uses_sites_or_tracks else 0], np.int64),
        missile_target=missile_target,
        group_target_shares=np.ascontiguousarray(shares),
        group_target_cum=np.ascontiguousarray(cum),
        group_random=np.array([1 if t.allocation == "random" else 0 for t in scenario.threats],
                              np.int64),
        target_value=np.array(values + [0.0], np.float64),
        layer_site_first=np.array(site_first, np.int64),
        site_units=np.array(units, np.int64),
        site_unit0=np.array(unit0, np.int64),
        site_cover=np.array(cover, np.int64).reshape(len(units), n_targets),
        site_single=np.array([int(np.flatnonzero(row)[0]) if row.sum() == 1 else -1
                              for row in cover], np.int64),
        layer_track=np.array([lay.track_capacity or 0 for lay in scenario.layers], np.int64),
    )
