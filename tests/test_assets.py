"""Defended assets, point and area defence, open ground and track capacity (issue 17).

The rules are those of docs/model.md, "Defended assets, open ground and track
capacity". Three kinds of check:

1. Closed forms, each on the pure-Python reference model (``tests/reference_model.py``,
   fed the engine's draws) and on the engine (``saturation_sim.simulate``): the
   issue's point-defence, track-capacity and open-ground cases, the
   simultaneous-raid law of track capacity, the exact track-release rule, the
   split and random allocations, sites of one layer, value-weighted damage and
   the run JSON, including cases at the edge of the rules (a window's close to
   the last bit; shares that do not add up to exactly 1.0 in doubles, and
   remainders that tie only in exact arithmetic).
2. Trial by trial, engine against reference under every kernel path, on the
   closed-form scenarios, on random scenarios with assets, sites, open ground,
   track limits, both allocations, shoot-look-shoot, detection, decoys and
   several layers, and on random campaigns (each day re-split): per-trial
   leakers, per-group and per-layer counts, per-target missiles and leakers,
   and value-weighted damage must be identical.
3. In distribution, the reference on independent numpy draws against the engine.

Statistical checks use fixed seeds and a stated k-sigma bound (conftest.K_SIGMA: a
correct model fails one such check by chance with probability about 6.3e-5).
If engine and reference disagree, do not adjust either to the other: find which one
breaks docs/model.md.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest

import reference_model as ref
import reference_rng as rr
from conftest import K_SIGMA, PATH_MODES, forced_paths, scenario
from saturation_sim import Scenario, simulate
from saturation_sim.engine import _kernel, rng
from saturation_sim.engine.compile import compile_scenario
from saturation_sim.engine.driver import run_trials

SEED = 17
SEED_EXACT = 11


def test_target_stream_is_the_engines():
    assert rr.STREAM_TARGET == rng.STREAM_TARGET == 10


def _warheads(name: str = "W", count: int = 12, at_s: float = 0.0, **extra) -> dict:
    return {"name": name, "count": count, "launch": {"pattern": "simultaneous", "at_s": at_s},
            **extra}


def _layer(name: str, groups=("W",), channels: int = 8, sspk: float = 1.0, window=(0.0, 10.0),
           units: int = 1, magazine: int = 100, flyout: float = 10.0, **extra) -> dict:
    """One unit of ``channels`` channels, 1 shot, windows of one flyout: one engagement
    per channel in a simultaneous raid."""
    return {"name": name, "fire_units": units, "channels_per_unit": channels,
            "interceptors_per_unit": magazine, "shots_per_engagement": 1, "flyout_s": flyout,
            "engage": {g: {"sspk": sspk, "window_s": list(window)} for g in groups}, **extra}


TWO_ASSETS = [{"name": "naha", "value": 3.0}, {"name": "kadena", "value": 1.0}]


def reference_trials(s: Scenario, trials: int, seed: int = SEED,
                     trace: Counter | None = None) -> list[ref.TrialOutcome]:
    """Trials 0 .. trials-1 of the reference model, fed the engine's draws."""
    return [ref.simulate_trial(s, ref.CounterDraws(seed, k, s.raid_size), trace)
            for k in range(trials)]


@dataclass
class Summary:
    """What a run of ``trials`` trials says, the same whichever model produced it.

    Attributes
    ----------
    hist : ndarray, shape (max leakers + 1,)
        Trials by total leakers.
    asset : ndarray, shape (A + 1, 4)
        Per target (assets, then open ground), sums over trials of: missiles
        launched at it, leakers, squared leakers, trials with a leaker there.
    layer : ndarray, shape (L, 4)
        Per layer, sums of interceptors, engagements, kills, trials ending with a
        magazine empty.
    layer_sq : ndarray, shape (L, 3)
        Sums of squares of the first three columns of ``layer``.
    damage : float
        Sum over trials of the value-weighted leakers.
    """

    trials: int
    hist: np.ndarray
    asset: np.ndarray
    layer: np.ndarray
    layer_sq: np.ndarray
    damage: float

    def always(self, leakers: int) -> bool:
        """Every trial had exactly ``leakers`` leakers."""
        return int(self.hist[leakers]) == self.trials

    def asset_always(self, leakers: list[int]) -> bool:
        """Every trial had exactly these leakers at each asset (mean x, mean square x^2)."""
        x = np.array(leakers)
        return (np.array_equal(self.asset[:-1, 1], x * self.trials)
                and np.array_equal(self.asset[:-1, 2], x * x * self.trials))

    def layer_always(self, column: int, values: list[int]) -> bool:
        """Every trial had exactly these counts (interceptors 0, engagements 1, kills 2)."""
        x = np.array(values)
        return (np.array_equal(self.layer[:, column], x * self.trials)
                and np.array_equal(self.layer_sq[:, column], x * x * self.trials))

    def targeted_mean(self) -> np.ndarray:
        """Missiles launched at each target (assets, then open ground) per trial, shape (A + 1,)."""
        return self.asset[:, 0] / self.trials


def reference_summary(s: Scenario, trials: int, seed: int = SEED) -> Summary:
    outs = reference_trials(s, trials, seed)
    a = _arrays(outs)
    per_target = np.column_stack([a["asset_leakers"], np.zeros(trials, np.int64)])
    targeted = np.column_stack([a["asset_targeted"], a["open_targeted"]])
    values = np.array([x.value for x in s.assets] or [1.0])
    return Summary(trials=trials,
                   hist=np.bincount(a["leakers"], minlength=s.max_leakers + 1),
                   asset=np.column_stack([targeted.sum(0), per_target.sum(0),
                                          (per_target ** 2).sum(0), (per_target > 0).sum(0)]),
                   layer=a["layer"].sum(0), layer_sq=(a["layer"][:, :, :3] ** 2).sum(0),
                   damage=float((a["asset_leakers"] @ values).sum()))


def summarise(source: str, s: Scenario, trials: int, seed: int = SEED) -> Summary:
    """Run ``s`` on the reference model or the engine (SOURCES)."""
    if source == "reference":
        return reference_summary(s, trials, seed)
    r = simulate(s, trials=trials, seed=seed)
    if r.asset_totals is not None:
        asset, damage = r.asset_totals, float(r.damage_sums[0])
    else:  # no [[assets]]: the implicit asset (value 1) is every launched missile's target
        k = np.arange(r.leaker_hist.size)
        hits = [int(k @ r.leaker_hist), int((k * k) @ r.leaker_hist), trials - int(r.leaker_hist[0])]
        asset = np.array([[int(r.group_launched.sum()), *hits], [0, 0, 0, 0]])
        damage = float(hits[0])
    return Summary(trials=trials, hist=r.leaker_hist, asset=asset, layer=r.layer_totals,
                   layer_sq=r.layer_sumsq, damage=damage)


#: The models every closed form is checked on.
SOURCES = ("reference", "engine")


def _arrays(outs: list[ref.TrialOutcome]) -> dict[str, np.ndarray]:
    """Per-trial outputs as arrays: leakers (T,), asset_* (T, A), open (T,), layer (T, L, 4)."""
    return {"leakers": np.array([o.leakers for o in outs]),
            "asset_leakers": np.array([o.asset_leakers for o in outs]),
            "asset_targeted": np.array([o.asset_targeted for o in outs]),
            "open_targeted": np.array([o.open_targeted for o in outs]),
            "layer": np.array([o.as_engine_arrays()[2] for o in outs])}


# --- 1. closed forms on the reference model -------------------------------------------

def test_split_targets_examples():
    """Largest remainder, then each target's missiles spread through launch order."""
    # 7 over three equal shares: 2.33 each, the one missile left to the lowest index.
    assert ref.split_targets(7, (1 / 3, 1 / 3, 1 / 3, 0.0)) == [0, 1, 2, 0, 1, 2, 0]
    # 5 / 3 / 2: at k = 4 the keys (2 + 0.5) / 5 and (1 + 0.5) / 3 tie at 0.5: lower index.
    assert ref.split_targets(10, (0.5, 0.3, 0.2, 0.0)) == [0, 1, 2, 0, 0, 1, 0, 2, 1, 0]
    assert ref.split_targets(12, (0.5, 0.5, 0.0)) == [0, 1] * 6
    assert ref.split_targets(12, (1.0, 0.0, 0.0)) == [0] * 12
    assert ref.split_targets(0, (0.5, 0.5, 0.0)) == []
    # 0.7 x 10 = 7.000000000000001 and 0.1 x 10 = 1.0: floor with 1e-9 slack; open ground last.
    assert Counter(ref.split_targets(10, (0.7, 0.2, 0.1))) == {0: 7, 1: 2, 2: 1}
    # 3 x 0.1 = 0.30000000000000004 and 3 x 0.9 = 2.7: remainder to the larger fraction.
    assert Counter(ref.split_targets(3, (0.1, 0.9))) == {1: 3}


def test_split_targets_are_a_largest_remainder_apportionment():
    """On random shares: each target gets floor or ceil of n x share, n in all, and
    every prefix of the launch order holds each target's share to within one missile."""
    r = np.random.default_rng(3)
    for _ in range(300):
        k = int(r.integers(1, 6))
        w = r.integers(0, 5, size=k).astype(float)
        if w.sum() == 0:
            w[0] = 1.0
        shares = tuple(float(x) for x in w / w.sum())
        n = int(r.integers(0, 40))
        targets = ref.split_targets(n, shares)
        counts = [targets.count(a) for a in range(k)]
        assert sum(counts) == n
        for a in range(k):
            assert math.floor(n * shares[a] - 1e-9) <= counts[a] <= math.ceil(n * shares[a] + 1e-9)
            for prefix in range(1, n + 1):
                got = targets[:prefix].count(a)
                assert abs(got - prefix * counts[a] / n) <= 1.0


def test_random_target_uses_partial_sums():
    shares = (0.25, 0.0, 0.5, 0.25)
    assert ref.random_target(0.0, shares) == 0
    assert ref.random_target(0.2499, shares) == 0
    assert ref.random_target(0.25, shares) == 2  # a zero share is never chosen
    assert ref.random_target(0.75, shares) == 3
    # Shares whose partial sums end below the largest uniform, 1 - 2^-53 (validation
    # allows a sum 1e-9 off 1): the last target with a share above 0 takes the rest.
    short = (0.3, 0.3, 0.4 - 2e-16, 0.0)
    assert sum(short) < 1.0 - 2.0**-53
    assert ref.random_target(1.0 - 2.0**-53, short) == 2




@pytest.mark.parametrize("source", ["reference", "engine"])
def test_split_uses_the_shares_as_given(source):
    """Shares 1/6, 1/6, 1/2 and open 1/6 (they add up to 0.9999999999999999 in doubles), 3
    missiles: 3 x share is 0.5, 0.5, 1.5 and 0.5, so c = (0, 0, 1, 0) and the two missiles
    left go to the lowest indices among four equal remainders 0.5: one missile at each
    asset, none at open ground (also the answer in exact arithmetic)."""
    shares = {"A0": 1 / 6, "A1": 1 / 6, "A2": 0.5, "open": 1 / 6}
    assert ref.split_targets(3, tuple(shares.values())) == [0, 1, 2]
    s = scenario([_warheads(count=3, targets=shares)], [_layer("L", channels=0)],
                 assets=[{"name": f"A{a}"} for a in range(3)])
    assert list(summarise(source, s, 5).targeted_mean()) == [1, 1, 1, 0]


@pytest.mark.parametrize("source", ["reference", "engine"])
def test_split_remainders_that_tie_in_exact_arithmetic_go_to_the_first_target(source):
    """2 missiles, shares 0.7, 0.2 and open 0.1: the quotas 1.4, 0.4, 0.2 leave one
    missile for remainders 0.4 and 0.4, which in doubles are 0.3999999999999999 and
    0.4. Within 1e-9 they tie, so the first declared target (naha) gets it: 2, 0, 0."""
    shares = {"naha": 0.7, "kadena": 0.2, "open": 0.1}
    assert ref.split_targets(2, tuple(shares.values())) == [0, 0]
    s = scenario([_warheads(count=2, targets=shares)], [_layer("L", channels=0)],
                 assets=TWO_ASSETS)
    assert list(summarise(source, s, 5).targeted_mean()) == [2, 0, 0]


def point_scenario(shares: dict | None, area: bool = False, sspk: float = 1.0) -> Scenario:
    """The issue's check: 12 warheads at once against two assets, each defended by its
    own point layer of 8 channels (1 shot, SSPK 1, ample magazine); or one area layer."""
    threat = _warheads(targets=shares) if shares else _warheads()
    layers = ([_layer("area", sspk=sspk)] if area else
              [_layer("naha_pt", sspk=sspk, defends=["naha"]),
               _layer("kadena_pt", sspk=sspk, defends=["kadena"])])
    return scenario([threat], layers, assets=TWO_ASSETS)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("area", [False, True], ids=["point", "area"])
@pytest.mark.parametrize("shares", [{"naha": 0.5, "kadena": 0.5}, {"naha": 1.0}],
                         ids=["split_6_6", "all_on_naha"])
def test_point_and_area_defence_closed_form(source, area, shares):
    """Point layers: 6/6 leaks 0, 12 on one asset leaks exactly 4 (there). One area
    layer of 8 channels leaks 4 either way. Every trial, not only on average."""
    r = summarise(source, point_scenario(shares, area), 200)
    concentrated = shares == {"naha": 1.0}
    assert r.always(4 if (area or concentrated) else 0)
    assert list(r.targeted_mean()) == ([12, 0, 0] if concentrated else [6, 6, 0])
    if concentrated:
        assert r.asset_always([4, 0])
    elif not area:
        assert r.asset_always([0, 0])
    if not area:
        # Each point layer spends only on its own asset's warheads.
        assert r.layer_always(0, [8, 0] if concentrated else [6, 6])


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("shares,damage", [({"naha": 1.0}, 3.0 * 4), ({"kadena": 1.0}, 1.0 * 4),
                                           ({"naha": 0.5, "kadena": 0.5}, 0.0)])
def test_value_weighted_damage(source, shares, damage):
    """damage = sum over assets of value x leakers: 4 leakers at naha (value 3) = 12,
    at kadena (value 1) = 4, none = 0."""
    r = summarise(source, point_scenario(shares), 100)
    assert r.damage == damage * r.trials


def test_run_json_by_asset_and_damage():
    """The JSON of a run (``to_dict``) reports the concentrated point-defence case as its
    closed form: 12 aimed at naha (value 3), 4 leak there in every trial, none at kadena;
    value-weighted damage 12 with a zero-width interval. Without [[assets]] no such keys."""
    d = simulate(point_scenario({"naha": 1.0}), trials=100, seed=SEED).to_dict()
    naha, kadena = d["by_asset"]["naha"], d["by_asset"]["kadena"]
    assert (naha["value"], naha["targeted_mean"], naha["leakers_mean"], naha["p_any_leak"]) == (
        3.0, 12.0, 4.0, 1.0)
    assert naha["leakers_ci95"] == [4.0, 4.0]
    assert (kadena["targeted_mean"], kadena["leakers_mean"], kadena["p_any_leak"]) == (0, 0, 0)
    assert d["open_ground"]["targeted_mean"] == 0.0
    assert d["damage"]["value_weighted_mean"] == 12.0
    assert d["damage"]["value_weighted_ci95"] == [12.0, 12.0]
    plain = simulate(track_scenario(), trials=10, seed=SEED).to_dict()
    assert not {"by_asset", "open_ground", "damage"} & set(plain)


def track_scenario(n: int = 20, capacity: int | None = 12, sspk: float = 1.0,
                   groups: int = 1) -> Scenario:
    """n warheads at once (in ``groups`` equal groups) against one layer of n channels."""
    threats = [_warheads(f"W{g}", n // groups) for g in range(groups)]
    layer = _layer("L", groups=[t["name"] for t in threats], channels=n, sspk=sspk)
    if capacity is not None:
        layer["track_capacity"] = capacity
    return scenario(threats, [layer])


@pytest.mark.parametrize("source", SOURCES)
def test_track_capacity_closed_form(source):
    """The issue's check: 20 at once, 20 channels, track_capacity 12, SSPK 1: exactly 8
    leak, every trial; 12 engagements, one per track. Without the capacity none leaks."""
    r = summarise(source, track_scenario(), 200)
    assert r.always(8) and r.layer_always(1, [12])
    assert summarise(source, track_scenario(capacity=None), 50).always(0)


TRACK_N, TRACK_K, TRACK_P = 20, 12, 0.7


@pytest.mark.parametrize("source", SOURCES)
def test_track_capacity_simultaneous_raid_law(source):
    """Closed form: N at once, K tracks, ample channels, SSPK p: leakers = (N - K) +
    Binomial(K, 1 - p), mean (N - K) + K (1 - p), variance K p (1 - p).

    The tracked warheads are a uniformly random K of the N, so with two groups of
    N/2 the first group's leakers have mean N/2 - (N/2)(K/N) p and variance
    E[T] p (1 - p) + p^2 Var[T], T ~ Hypergeometric(N, N/2, K) tracked in it.
    Bounds: K_SIGMA standard errors of the mean over the trials (false-failure
    rate about 6.3e-5 each, two checks).
    """
    n, k, p = TRACK_N, TRACK_K, TRACK_P
    trials = 3_000 if source == "reference" else 40_000
    s = track_scenario(n, k, p, groups=2)
    if source == "reference":
        outs = reference_trials(s, trials)
        leakers = np.array([o.leakers for o in outs])
        assert leakers.min() >= n - k
        mean_all, mean_first = leakers.mean(), np.mean([o.group_leakers[0] for o in outs])
    else:
        res = simulate(s, trials=trials, seed=SEED)
        assert res.leaker_hist[:n - k].sum() == 0
        mean_all, mean_first = res.leakers_mean, res.group_leakers_mean[0]
    mean, var = (n - k) + k * (1 - p), k * p * (1 - p)
    z = (mean_all - mean) / math.sqrt(var / trials)
    assert abs(z) < K_SIGMA, (mean_all, mean)
    half = n // 2
    e_t = k * half / n
    var_t = k * (half / n) * (1 - half / n) * (n - k) / (n - 1)
    z1 = (mean_first - (half - e_t * p)) / math.sqrt((e_t * p * (1 - p) + p * p * var_t) / trials)
    assert abs(z1) < K_SIGMA, mean_first


def _release_scenario(second_at_s: float, first_sspk: float, second_sspk: float = 1.0) -> Scenario:
    """One track; warhead A at 0 s, warhead B at ``second_at_s``; window [0, 20], flyout 5."""
    threats = [_warheads("A", 1, 0.0), _warheads("B", 1, second_at_s)]
    layer = _layer("L", groups=[], channels=2, flyout=5.0, track_capacity=1)
    layer["engage"] = {"A": {"sspk": first_sspk, "window_s": [0.0, 20.0]},
                       "B": {"sspk": second_sspk, "window_s": [0.0, 20.0]}}
    return scenario(threats, [layer])


@pytest.mark.parametrize("second_at_s,first_sspk,leakers", [
    (10.0, 1.0, 0),       # A killed at 5 s: its track is free again, B tracked at 10 s
    (5.0, 1.0, 0),        # released at 5 s exactly, requested at 5 s: free
    (4.9999995, 1.0, 0),  # released 0.5 us after the request: counts as free (slack)
    (4.9, 1.0, 1),        # requested before A's kill is seen: refused
    (10.0, 0.0, 2),       # A missed (and never killed): track held to its window's close at 20 s
    (19.5, 0.0, 2),
    (20.0, 0.0, 1),       # A's window closes at 20 s: free again, B tracked and killed
])
@pytest.mark.parametrize("source", SOURCES)
def test_track_release_rule(source, second_at_s, first_sspk, leakers):
    """A track is held until the engagement that kills its threat ends, or the
    threat's window closes at launch + b; a track released by r + 1 us is free at r."""
    assert summarise(source, _release_scenario(second_at_s, first_sspk), 20).always(leakers)


def close_rounding_scenario() -> Scenario:
    """One track. A at 0 s, window [0, 0.9], flyout 0.3, SSPK 0: its track is held until
    launch + b = 0.9. B asks at 0.899999, and 0.899999 + 1 us = 0.9 exactly, so the track
    is free (rule: released at or before r + 1 us) and B is killed: 1 leaker (A). (In
    doubles (0.9 - 0.3) + 0.3 = 0.9000000000000001: a close computed as deadline +
    flyout would keep the track and leak B too.)"""
    threats = [_warheads("A", 1, 0.0), _warheads("B", 1, 0.899999)]
    layer = _layer("L", groups=[], channels=2, flyout=0.3, track_capacity=1)
    layer["engage"] = {"A": {"sspk": 0.0, "window_s": [0.0, 0.9]},
                       "B": {"sspk": 1.0, "window_s": [0.0, 0.3]}}
    return scenario(threats, [layer], name="close-rounding")


def kill_after_close_scenario() -> Scenario:
    """A killed by an engagement that ends 0.5 us after its window closes (the slack lets
    it start 0.5 us after its deadline): its track is released at the close, the earlier
    of the two. The outer layer hands A over at 10 s (a miss); the inner layer, one
    track, flyout 5, A's window [0, 14.9999995] (deadline 9.9999995): A engaged at 10 s,
    killed at 15 s. B asks at 14.9999988: the close, 14.9999995, is within r + 1 us, so
    B is tracked and killed: no leaker. (Released at the kill's end, 15 s, B would leak.)"""
    threats = [_warheads("A", 1, 0.0), _warheads("B", 1, 14.9999988)]
    outer = _layer("outer", groups=("A",), channels=1, sspk=0.0)
    inner = _layer("inner", groups=[], channels=2, flyout=5.0, track_capacity=1)
    inner["engage"] = {"A": {"sspk": 1.0, "window_s": [0.0, 14.9999995]},
                       "B": {"sspk": 1.0, "window_s": [0.0, 5.0]}}
    return scenario(threats, [outer, inner], name="kill-after-close")




@pytest.mark.parametrize("source", ["reference", "engine"])
@pytest.mark.parametrize("make,leakers", [(close_rounding_scenario, 1),
                                          (kill_after_close_scenario, 0)],
                         ids=["close_is_launch_plus_b", "close_before_kill_end"])
def test_track_release_at_the_window_close_exactly(source, make, leakers):
    """The release time is min(end of the killing engagement, launch + b), to the last bit."""
    assert summarise(source, make(), 10).always(leakers)


def reengage_scenario() -> Scenario:
    """One track, max_engagements 3, SSPK 0 against A and B at 0 s, window [0, 30], flyout 10."""
    threats = [_warheads("A", 1, 0.0), _warheads("B", 1, 0.0)]
    layer = _layer("L", groups=("A", "B"), channels=2, sspk=0.0, window=(0.0, 30.0),
                   max_engagements=3, track_capacity=1)
    return scenario(threats, [layer])


@pytest.mark.parametrize("source", SOURCES)
def test_track_is_kept_for_re_engagements(source):
    """Shoot-look-shoot keeps the track: the threat that got the one track is engaged 3
    times, the other never (refused at 0 s); both leak."""
    r = summarise(source, reengage_scenario(), 50)
    assert r.always(2) and r.layer_always(1, [3])


def open_scenario(point: bool, engage_open: bool = False, sspk: float = 1.0) -> Scenario:
    """12 warheads, half aimed at naha and half at open ground; one layer of 20 channels."""
    extra = {"defends": ["naha"]} if point else {"engage_open": engage_open}
    return scenario([_warheads(targets={"naha": 0.5, "open": 0.5})],
                    [_layer("L", channels=20, sspk=sspk, **extra)], assets=TWO_ASSETS)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("sspk", [1.0, 0.0])
@pytest.mark.parametrize("point,engage_open,spent", [(True, False, 6), (False, False, 6),
                                                     (False, True, 12)],
                         ids=["point", "area", "area_engage_open"])
def test_open_ground(source, point, engage_open, spent, sspk):
    """Threats aimed at open ground spend no point-defence interceptors (nor an area
    layer's, unless it engages open ground) and never count as leakers."""
    r = summarise(source, open_scenario(point, engage_open, sspk), 50)
    assert list(r.targeted_mean()) == [6, 0, 6]
    assert r.layer_always(0, [spent])
    assert r.always(0 if sspk == 1.0 else 6)
    assert r.asset_always([0 if sspk == 1.0 else 6, 0])


@pytest.mark.parametrize("source", SOURCES)
def test_open_ground_is_never_a_leaker_even_undefended(source):
    s = scenario([_warheads(targets={"kadena": 0.25, "open": 0.75})],
                 [_layer("L", channels=0)], assets=TWO_ASSETS)
    r = summarise(source, s, 20)
    assert r.always(3) and r.asset_always([0, 3]) and list(r.targeted_mean()) == [0, 3, 9]


def sites_scenario(magazine: int) -> Scenario:
    """A layer of 3 one-channel units, 2 at naha and 1 at kadena (``fire_units_at``), SSPK 1,
    window [0, 20] and flyout 10 (two engagements per channel); 8 warheads at once, 2 aimed
    at naha and 6 at kadena."""
    layer = _layer("L", channels=1, units=3, magazine=magazine, window=(0.0, 20.0),
                   defends=["naha", "kadena"], fire_units_at={"naha": 2, "kadena": 1})
    return scenario([_warheads(count=8, targets={"naha": 0.25, "kadena": 0.75})], [layer],
                    assets=TWO_ASSETS)


@pytest.mark.parametrize("source", SOURCES)
def test_sites_of_one_layer(source):
    """Each site fights alone: naha's two units kill its 2 warheads with one shot each,
    kadena's one unit kills 2 of 6 (at 0 s and 10 s). Per-layer counts are sums over
    sites; with 2 interceptors per unit the layer is "magazine empty" because kadena's
    site ran dry, though naha's units still hold one each. With 5 no site runs dry."""
    r = summarise(source, sites_scenario(2), 20)
    assert r.asset_always([0, 4]) and r.layer_always(0, [4]) and r.layer_always(2, [4])
    assert r.layer[0, 3] == r.trials
    r = summarise(source, sites_scenario(5), 20)
    assert r.asset_always([0, 4]) and r.layer[0, 3] == 0


@pytest.mark.parametrize("source", SOURCES)
def test_random_allocation_frequencies(source):
    """allocation = "random": each missile aimed at target a with its share,
    independently: 10 missiles, undefended, so the leakers at an asset are the
    missiles aimed there, Binomial(10, share_a). Mean and variance (10 share (1 - share),
    which a fixed split would make 0) each bounded by K_SIGMA standard errors: the
    sample variance's relative standard error is sqrt((2 + excess kurtosis) / trials),
    the binomial's excess kurtosis (1 - 6 pq) / (n pq). Five checks."""
    shares = {"naha": 0.5, "kadena": 0.3, "open": 0.2}
    s = scenario([_warheads(count=10, targets=shares, allocation="random")],
                 [_layer("L", channels=0)], assets=TWO_ASSETS)
    trials = 2_000
    r = summarise(source, s, trials)
    assert r.asset[:, 0].sum() == 10 * trials
    for j, share in enumerate(shares.values()):
        se = math.sqrt(10 * share * (1 - share) / trials)
        assert abs(r.targeted_mean()[j] - 10 * share) < K_SIGMA * se, (j, r.targeted_mean())
    for j, share in enumerate(list(shares.values())[:2]):
        mean = r.asset[j, 1] / trials
        var = r.asset[j, 2] / trials - mean ** 2
        npq = 10 * share * (1 - share)
        rel_se = math.sqrt((2 + (1 - 6 * share * (1 - share)) / npq) / trials)
        assert abs(var / npq - 1) < K_SIGMA * rel_se, (j, var)


@pytest.mark.parametrize("source", SOURCES)
def test_split_with_counterstrike(source):
    """Split is decided before counterstrike: the launched missiles aimed at each asset
    are those of the split that survive, Binomial(c_a, 1 - pk), so their mean is
    c_a (1 - pk) (bound: K_SIGMA standard errors, two checks)."""
    s = scenario([_warheads(count=10, targets={"naha": 0.7, "kadena": 0.3},
                            prelaunch_kill=0.5)],
                 [_layer("L", channels=0)], assets=TWO_ASSETS)
    trials = 2_000
    r = summarise(source, s, trials)
    for j, c in enumerate([7, 3]):
        se = math.sqrt(c * 0.25 / trials)
        assert abs(r.targeted_mean()[j] - c * 0.5) < K_SIGMA * se


def campaign_scenario() -> Scenario:
    """6 warheads a day, undefended, against an inventory of 9; shares 2/3 and 1/3."""
    return scenario([_warheads(count=6, inventory=9, targets={"naha": 2 / 3, "kadena": 1 / 3})],
                    [_layer("L", channels=0)], assets=TWO_ASSETS, campaign={"days": 3})


def test_campaign_resplits_each_days_raid_reference():
    """Each day's raid is split afresh over the missiles fired that day: day 0 aims 4
    and 2, day 1 (3 fired) 2 and 1."""
    for trial in range(5):
        days = ref.simulate_campaign(campaign_scenario(), SEED, trial)
        assert [d.outcome.asset_targeted for d in days] == [[4, 2], [2, 1], [0, 0]]


# --- 2. random scenarios with assets, sites, open ground and track limits ----------------

FLYOUTS_S = (2.0, 5.0, 10.0, 0.7, 3.3)
SEED_SCENARIOS = 20_261_130
N_RANDOM = 60            # random scenarios of the slow exact comparison
N_RANDOM_FAST = 8        # of them, in the fast tier
TRIALS_EXACT = 60        # trials per scenario, compared one by one
TRIALS_FAST = 15


def _grid(r: np.random.Generator, lo: float, hi: float) -> float:
    """A time on a 0.5 s grid: exact in binary, so that equal times stay equal (ties)."""
    return float(r.integers(int(2 * lo), int(2 * hi) + 1)) / 2.0


def _random_launch(r: np.random.Generator, count: int) -> dict:
    pattern = str(r.choice(["simultaneous", "uniform", "waves"]))
    if pattern == "simultaneous":
        return {"pattern": "simultaneous", "at_s": _grid(r, 0, 10)}
    if pattern == "uniform":
        return {"pattern": "uniform", "start_s": _grid(r, 0, 10),
                "span_s": [0.0, _grid(r, 1, 10), float(r.uniform(0, 30))][r.integers(3)]}
    n_waves = int(r.integers(1, 4))
    counts = r.multinomial(count, [1 / n_waves] * n_waves)
    return {"pattern": "waves", "at_s": [_grid(r, 0, 15) for _ in range(n_waves)],
            "count": [int(c) for c in counts]}


def _random_window(r: np.random.Generator, flyout: float, offset: float) -> list[float]:
    a = _grid(r, offset, offset + 10)
    return [a, a + [flyout, int(r.integers(2, 5)) * flyout,
                    float(r.uniform(1.0, 4.0)) * flyout][r.integers(3)]]


def _random_shares(r: np.random.Generator, names: list[str]) -> dict[str, float]:
    """Shares over some of ``names`` from small whole weights (so that n x share often has
    a remainder, and sometimes ties between remainders)."""
    while True:
        w = r.integers(0, 4, size=len(names))
        if w.sum() > 0:
            break
    return {n: float(x) / float(w.sum()) for n, x in zip(names, w) if x > 0 or r.random() < 0.3}


def random_asset_scenario(r: np.random.Generator, index: int) -> Scenario:
    """A small random scenario (at most ~27 missiles) with assets, sites and track limits.

    0-3 assets (none: only track limits differ from before) of random values; 1-3
    groups of warheads or decoys, each launch pattern, counterstrike, targets over
    some assets and open ground (or the default), split or random; 1-3 layers, each
    an area layer (engaging open ground or not) or a point layer defending 1-3
    assets, its fire units on one site or split over the assets (``fire_units_at``,
    an asset left without units now and then), with or without a track capacity of
    1-4; shoot-look-shoot, detection, discrimination, reliability and availability
    below 1 some of the time.
    """
    n_assets = [0, 1, 2, 3][r.choice(4, p=[0.15, 0.2, 0.35, 0.3])]
    assets = [{"name": f"A{a}", "value": float(r.choice([0.5, 1.0, 2.0, 3.0]))}
              for a in range(n_assets)]
    names = [a["name"] for a in assets]
    threats = []
    for g in range(int(r.integers(1, 4))):
        count = int(r.integers(1, 10))
        t = {"name": f"G{g}", "count": count, "kind": "decoy" if r.random() < 0.25 else "warhead",
             "launch": _random_launch(r, count)}
        if r.random() < 0.25:
            t["prelaunch_kill"] = float(r.uniform(0, 0.5))
        if assets and r.random() < 0.8:
            t["targets"] = _random_shares(r, names + ["open"])
        if assets and r.random() < 0.4:
            t["allocation"] = "random"
        threats.append(t)
    layers = []
    for l in range(int(r.integers(1, 4))):
        shots = int(r.integers(1, 3))
        flyout = float(r.choice(FLYOUTS_S))
        units = int(r.integers(0, 4))
        layer = {
            "name": f"L{l}", "fire_units": units,
            "channels_per_unit": int(r.integers(1, 4)),
            "interceptors_per_unit": int(r.integers(shots, 5 * shots + 1)),
            "shots_per_engagement": shots, "max_engagements": int(r.integers(1, 4)),
            "flyout_s": flyout,
            "reliability": 1.0 if r.random() < 0.5 else float(r.uniform(0.6, 1.0)),
            "detection": 1.0 if r.random() < 0.6 else float(r.uniform(0.5, 1.0)),
            "discrimination": 0.0 if r.random() < 0.6 else float(r.uniform(0, 1)),
            "availability": 1.0 if r.random() < 0.8 else float(r.uniform(0.4, 1.0)),
            "engage": {t["name"]: {"sspk": float(r.uniform(0.2, 1.0)) if r.random() < 0.8 else 1.0,
                                   "window_s": _random_window(r, flyout, 3.0 * l)}
                       for t in threats if r.random() < 0.85},
        }
        if r.random() < 0.5:
            layer["track_capacity"] = int(r.integers(1, 5))
        if assets and r.random() < 0.6:
            k = int(r.integers(1, n_assets + 1))
            defends = sorted(str(x) for x in r.choice(names, size=k, replace=False))
            layer["defends"] = defends
            if r.random() < 0.6:
                split = r.multinomial(units, [1 / k] * k)
                layer["fire_units_at"] = {n: int(c) for n, c in zip(defends, split)
                                          if c > 0 or r.random() < 0.5}
                layer["fire_units"] = sum(layer["fire_units_at"].values())
        elif assets and r.random() < 0.5:
            layer["engage_open"] = True
        layers.append(layer)
    d = {"name": f"assets-{index:02d}", "threats": threats, "layers": layers}
    if assets:
        d["assets"] = assets
    if r.random() < 0.3:
        d["counterstrike"] = {"prelaunch_kill": float(r.uniform(0.05, 0.3))}
    return Scenario.from_dict(d)


def _fixed_scenarios() -> list[Scenario]:
    """The closed-form scenarios of section 1 (their exact comparison checks the engine on
    them trial by trial) and one that mixes everything: a point layer split over two
    sites with tracks, an area layer engaging open ground with shoot-look-shoot, decoys,
    imperfect detection and both allocations."""
    mixed = scenario(
        [{"name": "BM", "count": 12, "targets": {"naha": 0.5, "kadena": 0.25, "open": 0.25},
          "launch": {"pattern": "uniform", "start_s": 0.0, "span_s": 20.0}},
         {"name": "DEC", "count": 6, "kind": "decoy", "allocation": "random",
          "targets": {"naha": 0.5, "kadena": 0.5},
          "launch": {"pattern": "waves", "at_s": [0.0, 6.0], "count": [3, 3]}}],
        [_layer("upper", groups=("BM", "DEC"), channels=3, sspk=0.6, window=(0.0, 24.0),
                units=1, magazine=12, flyout=6.0, max_engagements=2, engage_open=True,
                track_capacity=4, detection=0.9, discrimination=0.5),
         _layer("lower", groups=("BM", "DEC"), channels=2, sspk=0.7, window=(18.0, 30.0),
                units=3, magazine=4, flyout=4.0, max_engagements=2, track_capacity=2,
                defends=["naha", "kadena"], fire_units_at={"naha": 2, "kadena": 1})],
        assets=TWO_ASSETS, name="mixed")
    return [point_scenario({"naha": 0.5, "kadena": 0.5}), point_scenario({"naha": 1.0}),
            point_scenario({"naha": 1.0}, area=True), track_scenario(),
            track_scenario(TRACK_N, TRACK_K, TRACK_P, groups=2),
            _release_scenario(4.9999995, 1.0), _release_scenario(20.0, 0.0),
            open_scenario(True), open_scenario(False, True, 0.5), sites_scenario(2), mixed]


@functools.lru_cache(maxsize=1)
def exact_scenarios() -> tuple[Scenario, ...]:
    """N_RANDOM random scenarios, then the fixed ones."""
    r = np.random.default_rng(SEED_SCENARIOS)
    return tuple(random_asset_scenario(r, i) for i in range(N_RANDOM)) + tuple(_fixed_scenarios())


#: Rules of issue 17 the reference notes; the exact comparison must exercise each.
ASSET_RULES = (
    "split with remainders", "random target", "aimed at open ground",
    "aimed at an asset this site does not cover", "aimed at open ground: not engaged by this site",
    "aimed at open ground: engaged by an area layer", "layer split into several sites",
    "survivor aimed at open ground (not a leaker)", "track granted",
    "track refused: every track taken", "track requests at the same instant served by priority",
    "track freed by a kill", "track freed when the window closed",
    "slack: track released under 1 us after the request counts as free",
    "shoot-look-shoot re-engagement", "magazine empty at the end of the layer", "warhead leaks",
)


def test_random_scenarios_cover_every_asset_rule():
    """The scenarios of the exact comparison, together, make every rule of issue 17 fire."""
    trace: Counter = Counter()
    for s in exact_scenarios():
        reference_trials(s, TRIALS_EXACT, trace=trace)
    rare = {rule: trace[rule] for rule in ASSET_RULES if trace[rule] < 10}
    assert not rare, f"rules exercised fewer than 10 times: {rare}"
    # What a scenario can say, beyond what the rules count.
    scns = exact_scenarios()
    layers = [x for s in scns for x in s.layers]
    assert sum(1 for s in scns if any(x.defends is None for x in s.layers)
               and any(x.defends is not None for x in s.layers) and s.has_assets) >= 10
    assert any(not s.has_assets and any(x.track_capacity for x in s.layers) for s in scns)
    assert any(x.engage_open for x in layers)
    assert any(x.fire_units_at and 0 in x.fire_units_at.values() for x in layers)
    assert any(x.fire_units_at and set(x.fire_units_at) != set(x.defends) for x in layers)
    assert any(x.track_capacity and x.max_engagements > 1 for x in layers)
    assert {t.allocation for s in scns for t in s.threats} == {"split", "random"}
    assert any(t.targets is None for s in scns if s.has_assets for t in s.threats)


# --- 2b. the engine against the reference, trial by trial ---------------------------------

def reference_tallies(s: Scenario, outcome: ref.TrialOutcome) -> dict[str, np.ndarray]:
    """One reference trial shaped like the engine's tallies of one trial."""
    leakers, group, layer = outcome.as_engine_arrays()
    out = {"leakers": np.int64(leakers), "group": group, "layer": layer}
    if s.uses_sites_or_tracks:
        out["asset"] = np.array([*zip(outcome.asset_targeted, outcome.asset_leakers),
                                 (outcome.open_targeted, 0)], dtype=np.int64)
    if s.has_assets:
        out["damage"] = np.float64(sum(a.value * x for a, x in zip(s.assets, outcome.asset_leakers)))
    return out


def engine_tallies(s: Scenario, compiled, seed: int, trial: int, paths) -> dict[str, np.ndarray]:
    """One engine trial, with the checks that its squared and any-leak sums are its own."""
    t = run_trials(compiled, seed, first_trial=trial, n_trials=1, paths=paths)
    assert t.hist.sum() == 1
    out = {"leakers": np.int64(np.argmax(t.hist)), "group": t.group, "layer": t.layer}
    if s.uses_sites_or_tracks:  # the kernel keeps per-target tallies
        np.testing.assert_array_equal(t.asset[:, _kernel.ASSET_LEAKERS_SQ],
                                      t.asset[:, _kernel.ASSET_LEAKERS] ** 2)
        np.testing.assert_array_equal(t.asset[:, _kernel.ASSET_ANY_LEAK],
                                      (t.asset[:, _kernel.ASSET_LEAKERS] > 0).astype(np.int64))
        out["asset"] = t.asset[:, [_kernel.ASSET_TARGETED, _kernel.ASSET_LEAKERS]]
    if s.has_assets:
        out["damage"] = np.float64(t.damage[0])
        # One trial's damage d, added to zeroed sums: d and d * d exactly.
        assert t.damage[1] == t.damage[0] * t.damage[0]
    return out


#: Damage is a sum of value x leakers over the sites, which the engine and the
#: reference add in different orders: a few float additions (n sites, each
#: rounding by <= 2^-53 relative), far inside 1e-12 relative. Every other tally
#: is an integer count and must agree exactly.
DAMAGE_RTOL = 1e-12


def _differing(expected: dict[str, np.ndarray], got: dict[str, np.ndarray]) -> list[str]:
    """The names of the tallies in which one engine trial and the reference disagree."""
    return [n for n in expected if not (
        np.isclose(expected[n], got[n], rtol=DAMAGE_RTOL, atol=0) if n == "damage"
        else np.array_equal(expected[n], got[n]))]


def exact_comparison(s: Scenario, trials: int, trace: Counter | None = None) -> list[str]:
    """Engine (under every PATH_MODES) and reference on trials 0 .. trials-1 of ``s``:
    the mismatches, each with both outcomes and the reference's engagements."""
    compiled = compile_scenario(s)
    forced = {mode: forced_paths(compiled, mode) for mode in PATH_MODES}
    mismatches = []
    for k in range(trials):
        expected = reference_tallies(s, ref.simulate_trial(
            s, ref.CounterDraws(SEED_EXACT, k, s.raid_size), trace))
        for mode in PATH_MODES:
            got = engine_tallies(s, compiled, SEED_EXACT, k, forced[mode])
            differs = _differing(expected, got)
            if differs:
                log: list[str] = []
                ref.simulate_trial(s, ref.CounterDraws(SEED_EXACT, k, s.raid_size), log=log)
                mismatches.append(
                    f"trial {k} (seed {SEED_EXACT}, engine paths {mode}) differs in {differs}:\n"
                    + "".join(f"  {n}: reference {np.asarray(expected[n]).tolist()} "
                              f"engine {np.asarray(got[n]).tolist()}\n" for n in expected)
                    + "  reference engagements:\n    " + "\n    ".join(log or ["(none)"]))
    return mismatches


def _fail_on(s: Scenario, mismatches: list[str], trials: int) -> None:
    if mismatches:
        pytest.fail(f"engine and reference disagree on {len(mismatches)} trial-paths of "
                    f"{trials} trials of {s.name!r}:\n{s.to_dict()}\nfirst mismatches:\n"
                    + "\n".join(mismatches[:3]), pytrace=False)


@pytest.mark.parametrize("index", range(len(_fixed_scenarios())),
                         ids=[s.name + f"-{i}" for i, s in enumerate(_fixed_scenarios())])
def test_engine_equals_reference_on_the_closed_form_scenarios(index):
    """The scenarios of section 1 and ``mixed``, trial by trial, under every kernel path."""
    s = exact_scenarios()[N_RANDOM + index]
    _fail_on(s, exact_comparison(s, TRIALS_FAST), TRIALS_FAST)


@pytest.mark.parametrize("index", range(N_RANDOM_FAST))
def test_engine_equals_reference_on_random_scenarios_fast(index):
    """A few random scenarios with assets, sites, open ground and track limits, few trials."""
    s = exact_scenarios()[index]
    _fail_on(s, exact_comparison(s, TRIALS_FAST), TRIALS_FAST)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(N_RANDOM))
def test_engine_equals_reference_on_random_scenarios(index):
    """Every random scenario, TRIALS_EXACT trials each, under every kernel path."""
    s = exact_scenarios()[index]
    _fail_on(s, exact_comparison(s, TRIALS_EXACT), TRIALS_EXACT)


N_CAMPAIGNS = 12
TRIALS_CAMPAIGN = 25


def random_asset_campaign(r: np.random.Generator, index: int) -> Scenario:
    """A random scenario of :func:`random_asset_scenario` made a campaign of 2-4 days, its
    groups firing from launchers that attrition destroys (so the day's split changes)."""
    d = random_asset_scenario(r, index).to_dict()
    d["name"] = f"asset-campaign-{index:02d}"
    d["campaign"] = {"days": int(r.integers(2, 5)), "launcher_kill_per_day": float(r.uniform(0.2, 0.6))}
    for t in d["threats"]:
        per = int(r.integers(1, 4))
        t["launchers"] = int(r.integers(1, 5))
        t["missiles_per_launcher"] = per
        t["count"] = t["launchers"] * per
        t["launch"] = {"pattern": "simultaneous", "at_s": float(r.integers(0, 10))}
    for layer in d["layers"]:
        layer["reload_per_day"] = int(r.integers(0, 3))
        layer["depot"] = int(r.integers(0, 8))
    return Scenario.from_dict(d)


@functools.lru_cache(maxsize=1)
def campaign_scenarios() -> tuple[Scenario, ...]:
    r = np.random.default_rng(SEED_SCENARIOS + 1)
    return tuple(random_asset_campaign(r, i) for i in range(N_CAMPAIGNS))


def reference_campaign_tallies(s: Scenario, seed: int, trial: int) -> dict[str, np.ndarray]:
    """A reference campaign trial shaped as the engine's tallies: sums over the days (the
    magazine-empty flag: some day)."""
    days = [reference_tallies(s, d.outcome) for d in ref.simulate_campaign(s, seed, trial)]
    out = {n: sum(d[n] for d in days) for n in days[0]}
    out["layer"] = out["layer"].copy()
    out["layer"][:, 3] = np.max([d["layer"][:, 3] for d in days], axis=0)
    return out


def campaign_comparison(s: Scenario, trials: int) -> list[str]:
    """Engine (under every PATH_MODES) and reference on trials 0 .. trials-1 of campaign ``s``."""
    compiled = compile_scenario(s)
    forced = {mode: forced_paths(compiled, mode) for mode in PATH_MODES}
    mismatches = []
    for k in range(trials):
        expected = reference_campaign_tallies(s, SEED_EXACT, k)
        for mode in PATH_MODES:
            t = run_trials(compiled, SEED_EXACT, first_trial=k, n_trials=1, paths=forced[mode])
            got = {"leakers": np.int64(np.argmax(t.hist)), "group": t.group, "layer": t.layer}
            if s.uses_sites_or_tracks:
                got["asset"] = t.asset[:, [_kernel.ASSET_TARGETED, _kernel.ASSET_LEAKERS]]
            if s.has_assets:
                got["damage"] = np.float64(t.damage[0])
            differs = _differing(expected, got)
            if differs:
                mismatches.append(f"trial {k} (engine paths {mode}) differs in {differs}: "
                                  + "; ".join(f"{n}: reference {np.asarray(expected[n]).tolist()} "
                                              f"engine {np.asarray(got[n]).tolist()}"
                                              for n in differs))
    return mismatches


@pytest.mark.slow
@pytest.mark.parametrize("index", range(N_CAMPAIGNS))
def test_engine_equals_reference_on_random_campaigns(index):
    """Campaigns re-split each day's raid: totals over the days agree trial by trial."""
    s = campaign_scenarios()[index]
    _fail_on(s, campaign_comparison(s, TRIALS_CAMPAIGN), TRIALS_CAMPAIGN)


# --- 3. in distribution, with independent random numbers ------------------------------

#: Two-sample bound: two-sided, a correct pair fails one check by chance with
#: probability 2 (1 - Phi(4.5)) = 6.8e-6; the test makes 7 checks (< 5e-5 in all).
K_TWO_SAMPLE = 4.5
TRIALS_REF = 2_500
TRIALS_ENGINE = 40_000


def _z(mean_a: float, var_a: float, n_a: int, mean_b: float, var_b: float, n_b: int) -> float:
    se = math.sqrt(var_a / n_a + var_b / n_b)
    if se == 0.0:
        return 0.0 if mean_a == mean_b else math.inf
    return (mean_a - mean_b) / se


@pytest.mark.slow
def test_engine_matches_reference_in_distribution():
    """``mixed`` (both allocations, open ground engaged by an area layer, a point layer on
    two sites, tracks, shoot-look-shoot, decoys) on the reference driven by an
    independent numpy generator, every interceptor of a salvo drawn on its own, against
    the engine: means of total leakers, leakers at each asset, missiles aimed at open
    ground and each layer's interceptors, and P(any leak). The engine's variances come
    from its sums of squares; for missiles aimed at open ground, which it keeps no
    squares of, from the reference sample (a consistent estimate under the null)."""
    s = exact_scenarios()[-1]
    assert s.name == "mixed"
    draws = ref.NumpyDraws(np.random.default_rng(2026))
    a = _arrays([ref.simulate_trial(s, draws) for _ in range(TRIALS_REF)])
    res = simulate(s, trials=TRIALS_ENGINE, seed=2026)
    n, m = TRIALS_REF, TRIALS_ENGINE
    tot = res.asset_totals
    checks = {
        "leakers": _z(a["leakers"].mean(), a["leakers"].var(ddof=1), n,
                      res.leakers_mean, res.leakers_std ** 2, m),
        "P(any leak)": _z(np.mean(a["leakers"] > 0), np.mean(a["leakers"] > 0) * np.mean(a["leakers"] == 0),
                          n, res.p_any_leak, res.p_any_leak * (1 - res.p_any_leak), m),
        "open targeted": _z(a["open_targeted"].mean(), a["open_targeted"].var(ddof=1), n,
                            tot[-1, 0] / m, a["open_targeted"].var(ddof=1), m),
    }
    for j, asset in enumerate(s.assets):
        mean = tot[j, 1] / m
        checks[f"leakers at {asset.name}"] = _z(
            a["asset_leakers"][:, j].mean(), a["asset_leakers"][:, j].var(ddof=1), n,
            mean, tot[j, 2] / m - mean ** 2, m)
    for l, layer in enumerate(s.layers):
        mean = res.layer_totals[l, 0] / m
        checks[f"{layer.name} interceptors"] = _z(
            a["layer"][:, l, 0].mean(), a["layer"][:, l, 0].var(ddof=1), n,
            mean, res.layer_sumsq[l, 0] / m - mean ** 2, m)
    assert len(checks) == 7
    failed = {k: round(float(z), 2) for k, z in checks.items() if abs(z) > K_TWO_SAMPLE}
    assert not failed, f"reference - engine, in standard errors: {failed}"
