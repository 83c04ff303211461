"""Decide, before computing any number, which exact case each layer is in.

For one pattern of present layers, :func:`build_plan` follows every *timing
class* of threat (group, launch instant, handoff time) through the layers, using
the engine's own arithmetic (``max(launch + a, handoff)``, ``start + flyout``,
the 1 microsecond slack of ``docs/model.md``), and classifies each layer:

``idle``
    The layer never fires (no units, channels or salvo in the magazine, or no
    threat it can engage).
``ample``
    Every pooled threat is engaged at the instant it becomes engageable and gets
    every engagement its window allows. Proven from worst cases: channel
    occupancy never exceeds the channels, and the magazines cover the largest
    possible demand (see :func:`.timing.is_ample`). Threats are then independent.
``salvo``
    All pooled threats become engageable at one instant, there is no
    shoot-look-shoot, and the layer engages a uniformly random subset (earliest
    deadline first between groups with different windows).

Anything else raises :class:`IntractableError` naming the feature. The check is
conservative: a scenario it accepts is computed exactly, whatever the draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..scenario import Layer, Scenario
from .timing import (
    EPS_S,
    IntractableError,
    allocate,
    concurrency,
    count_starts,
    drifty,
    is_ample,
)


@dataclass(frozen=True, order=True)
class ThreatClass:
    """Threats that behave identically in every remaining layer.

    ``launch_s`` is the launch instant, or 0 for a uniformly random launch
    (``random_launch``), whose times are then relative to launch.
    ``handoff_s`` is the end of the last engagement, or ``-inf`` when it can no
    longer change any ready time.
    """

    group: int
    launch_s: float
    random_launch: bool
    handoff_s: float


@dataclass
class ClassRule:
    """How one layer treats one incoming class that it may engage."""

    pooled: float                  # P(tracked and not recognised as a decoy)
    pkill: float                   # P(one engagement kills)
    attempts: int                  # ample: engagements allowed; salvo: 1
    ready_s: float
    deadline_s: float
    survived: tuple[ThreatClass, ...]  # ample: (after all attempts,); salvo: one per round


@dataclass
class LayerPlan:
    """One present layer of one availability pattern."""

    index: int
    mode: str                  # "idle" | "ample" | "salvo"
    shots: int
    full_engagements: int      # U * floor(M / n): engagements that empty every magazine
    empty_when_present: bool   # idle with a magazine below one salvo
    passed: dict[ThreatClass, ThreatClass]  # every incoming class -> class if not engaged
    rules: dict[ThreatClass, ClassRule] = field(default_factory=dict)
    # salvo: engagements of round k if earlier rounds were full; pooled classes
    # grouped by deadline, earliest first; rounds in which each tier is engageable.
    round_caps: tuple[int, ...] = ()
    tiers: tuple[tuple[ThreatClass, ...], ...] = ()
    tier_rounds: tuple[int, ...] = ()


@dataclass
class Plan:
    """Exact plan for one pattern of present layers."""

    present: tuple[bool, ...]
    weight: float                  # probability of the pattern
    # Launch classes: (class, missiles planned, P(survives counterstrike)).
    initial: list[tuple[ThreatClass, int, float]]
    layers: list[LayerPlan]
    # Bounds on the count of each class entering each planned layer, then at the end.
    max_counts: list[dict[ThreatClass, int]]


def _never_fires(layer: Layer) -> bool:
    return (layer.fire_units == 0 or layer.channels_per_unit == 0
            or layer.interceptors_per_unit < layer.shots_per_engagement)


def _where(li: int, layer: Layer) -> str:
    return f"layers[{li}] ({layer.name!r})"


class _Builder:
    """Walks the present layers of one pattern, keeping classes, bounds and drift."""

    def __init__(self, scenario: Scenario, present: tuple[bool, ...],
                 initial: list[tuple[ThreatClass, int, float]]):
        self.sc = scenario
        self.present_idx = [li for li, p in enumerate(present) if p]
        # drift: how much earlier than nominal the engine may run a class's times.
        self.drift: dict[ThreatClass, float] = {}
        # Missiles launched at each (group, launch) bound every class born of it.
        self.origin_total = {_origin(c): n for c, n, _ in initial}

    def canon(self, cls: ThreatClass, pos: int) -> ThreatClass:
        """Forget a handoff that cannot change a ready time in layers after ``pos``."""
        if cls.handoff_s == -math.inf:
            return cls
        name = self.sc.threats[cls.group].name
        starts = [cls.launch_s + lay.engage[name].window_s[0]
                  for lay in (self.sc.layers[li] for li in self.present_idx[pos + 1:])
                  if name in lay.engage and not _never_fires(lay)]
        if not starts or cls.handoff_s <= min(starts):
            return ThreatClass(cls.group, cls.launch_s, cls.random_launch, -math.inf)
        return cls

    def add(self, out: dict[ThreatClass, int], drift: dict[ThreatClass, float],
            cls: ThreatClass, n: int, dr: float) -> None:
        if n <= 0:
            return
        out[cls] = min(out.get(cls, 0) + n, self.origin_total[_origin(cls)])
        drift[cls] = max(drift.get(cls, 0.0), dr)


def _origin(cls: ThreatClass) -> tuple[int, float, bool]:
    return cls.group, cls.launch_s, cls.random_launch


def _initial(scenario: Scenario) -> list[tuple[ThreatClass, int, float]]:
    merged: dict[ThreatClass, tuple[int, float]] = {}
    for g, t in enumerate(scenario.threats):
        survive = 1.0 - scenario.group_prelaunch_kill(t)
        if t.launch.pattern == "uniform" and t.launch.span_s > 0.0:
            pairs = [(ThreatClass(g, 0.0, True, -math.inf), t.count)]
        elif t.launch.pattern == "uniform":
            pairs = [(ThreatClass(g, t.launch.start_s, False, -math.inf), t.count)]
        else:
            at, counts = t.launch.wave_times_counts(t.count)
            pairs = [(ThreatClass(g, float(a), False, -math.inf), n) for a, n in zip(at, counts)]
        for cls, n in pairs:
            if n > 0:
                merged[cls] = (merged.get(cls, (0, survive))[0] + n, survive)
    return [(cls, n, s) for cls, (n, s) in sorted(merged.items())]


def _plan_layer(b: _Builder, pos: int, incoming: dict[ThreatClass, int]
                ) -> tuple[LayerPlan, dict[ThreatClass, int], dict[ThreatClass, float]]:
    sc = b.sc
    li = b.present_idx[pos]
    layer = sc.layers[li]
    where = _where(li, layer)
    shots = layer.shots_per_engagement
    k_unit = layer.interceptors_per_unit // shots
    units = layer.fire_units
    passed = {cls: b.canon(cls, pos) for cls in incoming}
    out: dict[ThreatClass, int] = {}
    drift: dict[ThreatClass, float] = {}
    lp = LayerPlan(li, "idle", shots, units * k_unit, units > 0 and k_unit == 0, passed)
    if _never_fires(layer):
        for cls, n in incoming.items():
            b.add(out, drift, passed[cls], n, b.drift.get(cls, 0.0))
        return lp, out, drift

    f = layer.flyout_s
    margin = EPS_S * layer.max_engagements  # the most this layer can shift a start early
    pool = []  # (class, rule, max count, drift, end of last allowed engagement)
    for cls, n in sorted(incoming.items()):
        group = sc.threats[cls.group]
        e = layer.engage.get(group.name)
        s = layer.detection * (1.0 if group.is_warhead else 1.0 - layer.discrimination)
        if e is None or s <= 0.0:
            continue
        ready = cls.launch_s + e.window_s[0]
        if cls.handoff_s > ready:
            ready = cls.handoff_s
        deadline = cls.launch_s + e.window_s[1] - f
        dr = b.drift.get(cls, 0.0)
        m, end = count_starts(ready, deadline, f, layer.max_engagements, dr + margin,
                               f"{where} against threats[{cls.group}]")
        if m == 0:
            continue
        rule = ClassRule(s, layer.engagement_kill_probability(group.name), m, ready, deadline, ())
        pool.append((cls, rule, n, dr, end))
    pooled = {cls for cls, *_ in pool}
    for cls, n in incoming.items():
        if cls not in pooled:
            b.add(out, drift, passed[cls], n, b.drift.get(cls, 0.0))
    if not pool:
        return lp, out, drift

    demand = sum(n * rule.attempts for _, rule, n, _, _ in pool)
    early = drifty(pool, f)
    step = (lambda rule: EPS_S * rule.attempts) if early else (lambda rule: 0.0)
    conc_pool = [(c, rule, n, dr + step(rule), end) for c, rule, n, dr, end in pool]
    if is_ample(layer, concurrency(conc_pool), demand):
        lp.mode = "ample"
        for cls, rule, n, dr, end in pool:
            surv = b.canon(ThreatClass(cls.group, cls.launch_s, cls.random_launch, end), pos)
            rule.survived = (surv,)
            lp.rules[cls] = rule
            if rule.pooled < 1.0:
                b.add(out, drift, passed[cls], n, dr)
            if rule.pkill < 1.0:
                b.add(out, drift, surv, n, dr + step(rule))
        return lp, out, drift
    _plan_salvo(b, pos, lp, pool, out, drift)
    return lp, out, drift


def _plan_salvo(b: _Builder, pos: int, lp: LayerPlan, pool: list,
                out: dict[ThreatClass, int], drift: dict[ThreatClass, float]) -> None:
    """Fill ``lp`` for a saturated layer hit all at once, or raise IntractableError."""
    sc = b.sc
    layer = sc.layers[lp.index]
    where = _where(lp.index, layer)
    for cls, *_ in pool:
        if cls.random_launch:
            raise IntractableError(
                f"threats[{cls.group}].launch.pattern = 'uniform' (random launch times) "
                f"in a saturated layer, {where}")
    instants = sorted({(rule.ready_s, cls.group) for cls, rule, *_ in pool})
    if len({r for r, _ in instants}) > 1:
        shown = ", ".join(f"threats[{g}] at {r:g} s" for r, g in instants[:3])
        more = ", ..." if len(instants) > 3 else ""
        raise IntractableError(
            f"{where} is saturated and its threats become engageable at different instants "
            f"({shown}{more}: launch times, windows or handoffs from an earlier layer differ)")
    if any(dr > 0.0 for _, _, _, dr, _ in pool):
        raise IntractableError(
            f"{where} is saturated after a layer whose event times nearly coincide (within 2 us)")
    f = layer.flyout_s
    units, chans = layer.fire_units, layer.channels_per_unit
    k_unit = layer.interceptors_per_unit // layer.shots_per_engagement
    ready = pool[0][1].ready_s
    max_pool = sum(n for _, _, n, _, _ in pool)
    limit = min(-(-k_unit // chans), max_pool)
    deadlines = sorted({rule.deadline_s for _, rule, *_ in pool})
    tier_rounds = tuple(count_starts(ready, d, f, limit, 0.0, f"{where} (salvo rounds)")[0]
                        for d in deadlines)
    # A second start inside the window allows shoot-look-shoot (whether
    # interceptors remain for it depends on the pool; do not try to tell).
    second = [count_starts(ready, d, f, 2, 0.0, where)[0] for d in deadlines]
    if layer.max_engagements > 1 and max(second) > 1:
        raise IntractableError(f"layers[{lp.index}].max_engagements > 1 in a saturated layer "
                               f"({layer.name!r}: shoot-look-shoot under saturation)")
    n_rounds = max(tier_rounds)
    round_caps = tuple(units * min(chans, k_unit - k * chans) for k in range(n_rounds))
    ends, t = [], ready
    for _ in range(n_rounds):
        t = t + f
        ends.append(t)
    tiers = [[] for _ in deadlines]
    for cls, rule, _, _, _ in pool:
        ti = deadlines.index(rule.deadline_s)
        tiers[ti].append(cls)
        rule.attempts = 1
        rule.survived = tuple(b.canon(ThreatClass(cls.group, cls.launch_s, False, e), pos)
                              for e in ends)
        lp.rules[cls] = rule
    lp.mode, lp.round_caps = "salvo", round_caps
    lp.tiers = tuple(tuple(t) for t in tiers)
    lp.tier_rounds = tier_rounds
    tier_max = tuple(sum(n for c, _, n, _, _ in pool if c in tier) for tier in tiers)
    alloc = allocate(tier_max, tier_rounds, round_caps)
    for cls, rule, n, _, _ in pool:
        ti = deadlines.index(rule.deadline_s)
        if rule.pooled < 1.0 or sum(alloc[ti]) < tier_max[ti]:
            b.add(out, drift, lp.passed[cls], n, 0.0)
        if rule.pkill < 1.0:
            for k in range(tier_rounds[ti]):
                b.add(out, drift, rule.survived[k], min(n, round_caps[k]), 0.0)


def build_plan(scenario: Scenario, present: tuple[bool, ...], weight: float = 1.0) -> Plan:
    """The exact plan for one pattern of present layers, or IntractableError."""
    initial = _initial(scenario)
    b = _Builder(scenario, present, initial)
    incoming: dict[ThreatClass, int] = {}
    for cls, n, survive in initial:
        if survive > 0.0:
            incoming[cls] = incoming.get(cls, 0) + n
    b.drift = {cls: 0.0 for cls in incoming}
    layers, max_counts = [], []
    for pos in range(len(b.present_idx)):
        max_counts.append(dict(incoming))
        lp, incoming, b.drift = _plan_layer(b, pos, incoming)
        layers.append(lp)
    max_counts.append(dict(incoming))
    return Plan(present, weight, initial, layers, max_counts)


#: At most this many layers with 0 < availability < 1 (2**n patterns are computed).
MAX_UNCERTAIN_LAYERS = 10


def availability_patterns(scenario: Scenario) -> list[tuple[tuple[bool, ...], float]]:
    """Every pattern of present layers with positive probability, and its probability."""
    uncertain = [li for li, lay in enumerate(scenario.layers) if 0.0 < lay.availability < 1.0]
    if len(uncertain) > MAX_UNCERTAIN_LAYERS:
        raise IntractableError(f"{len(uncertain)} layers with 0 < availability < 1 "
                               f"(the exact mixture is limited to {MAX_UNCERTAIN_LAYERS})")
    out = []
    for bits in range(2 ** len(uncertain)):
        present = [lay.availability >= 1.0 for lay in scenario.layers]
        weight = 1.0
        for j, li in enumerate(uncertain):
            on = not (bits >> j) & 1
            present[li] = on
            av = scenario.layers[li].availability
            weight *= av if on else 1.0 - av
        out.append((tuple(present), weight))
    return out
