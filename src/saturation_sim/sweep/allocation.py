"""Attacker strategies: where the raid is aimed over the defended sites, and what it costs.

For a scenario with ``[[assets]]``, :func:`allocate` keeps the raid and the
defence as written and changes only how each threat group's missiles are split
over the assets (each group's open-ground share stays as written). It evaluates

- ``as_written``: the file's own ``targets``;
- ``uniform``: equal shares over the assets;
- ``by_value``: shares in proportion to the assets' values;
- ``top_k``: equal shares over the k most valuable assets, k = 1 .. A;
- ``greedy``: a local search from ``uniform`` that moves aim from one asset to
  another while that raises the value-weighted damage,

each a Monte Carlo run with the same trials and seed (common random numbers:
two aims differ only where their missiles go, not in the luck of the draws),
and names the defender's worst case: the aim with the most value-weighted
damage (value x leakers, summed over the assets).

An aim is one weight per asset, summing to 1, shared by the whole raid. Group g
can reach the assets its ``targets`` lists (every asset when it has none); its
share of asset a is ``(1 - open_g) * w_a / sum of w over what g reaches``. A group
that reaches none of the assets with weight gets its whole asset share at its
most valuable reachable assets (equal shares when several tie), which is where
an attacker would send what cannot reach the chosen sites. Results depend only
on (scenario, trials, seed, strategies, top_k, max_evaluations).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from .._version import __version__
from ..engine import DEFAULT_SEED, simulate
from ..scenario import Scenario
from ..scenario.apply import revalidate
from .errors import SweepError

#: Strategies of :func:`allocate`, in the order they are evaluated and reported.
STRATEGIES = ("as_written", "uniform", "by_value", "top_k", "greedy")
#: Trials per evaluation unless told otherwise: enough to rank aims whose damage
#: differs by a few warheads, cheap enough for dozens of evaluations.
ALLOCATE_TRIALS = 2_000
#: Most Monte Carlo runs the greedy search may make (it stops earlier when no move helps).
MAX_EVALUATIONS = 120
#: Improvements smaller than this (in value-weighted warheads) are not moves:
#: equal aims give bit-equal results under one seed, so this only guards rounding.
_EPS = 1e-9
#: Aims closer than this in every weight are the same aim (a cache key).
_DIGITS = 9


@dataclass(frozen=True)
class Outcome:
    """One aim of the raid and its result.

    Attributes
    ----------
    strategy : str
        ``as_written``, ``uniform``, ``by_value``, ``top_<k>`` or ``greedy``.
    weights : tuple of float or None
        The aim: one weight per asset, in declaration order, summing to 1
        (None for ``as_written``, which keeps each group's own shares).
    shares : dict
        Threat group -> target -> share, as run (``open`` included).
    targeted : dict
        Asset -> missiles launched at it (mean per trial, decoys included).
    leakers : dict
        Asset -> warheads leaking at it (mean per trial).
    leakers_ci95 : dict
        Asset -> 95% confidence interval of ``leakers``.
    damage_mean, damage_ci95
        Value-weighted leakers (sum over assets of value x leakers), mean and 95% CI.
    leakers_mean, leakers_total_ci95
        All leakers, mean and 95% CI.
    p_any_leak : float
        P(at least one warhead leaks).
    """

    strategy: str
    weights: tuple[float, ...] | None
    shares: dict[str, dict[str, float]]
    targeted: dict[str, float]
    leakers: dict[str, float]
    leakers_ci95: dict[str, tuple[float, float]]
    damage_mean: float
    damage_ci95: tuple[float, float]
    leakers_mean: float
    leakers_total_ci95: tuple[float, float]
    p_any_leak: float

    def to_dict(self) -> dict[str, Any]:
        return {"strategy": self.strategy,
                "weights": None if self.weights is None else list(self.weights),
                "shares": self.shares, "targeted": self.targeted, "leakers": self.leakers,
                "leakers_ci95": {a: list(ci) for a, ci in self.leakers_ci95.items()},
                "damage_mean": self.damage_mean, "damage_ci95": list(self.damage_ci95),
                "leakers_mean": self.leakers_mean,
                "leakers_total_ci95": list(self.leakers_total_ci95),
                "p_any_leak": self.p_any_leak}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Outcome":
        w = d["weights"]
        return cls(d["strategy"], None if w is None else tuple(float(x) for x in w),
                   {g: dict(s) for g, s in d["shares"].items()}, dict(d["targeted"]),
                   dict(d["leakers"]),
                   {a: (float(ci[0]), float(ci[1])) for a, ci in d["leakers_ci95"].items()},
                   float(d["damage_mean"]), tuple(d["damage_ci95"]),
                   float(d["leakers_mean"]), tuple(d["leakers_total_ci95"]),
                   float(d["p_any_leak"]))


@dataclass
class AllocationResult:
    """What :func:`allocate` found: one :class:`Outcome` per strategy, and the worst case.

    Attributes
    ----------
    scenario : Scenario
        The scenario as given (its own ``targets``).
    trials, seed : int
        Of every evaluation.
    outcomes : list of Outcome
        In the order of :data:`STRATEGIES` (``top_k`` as ``top_1``, ``top_2``, ...).
    evaluations : int
        Monte Carlo runs made (aims met twice are run once).
    greedy_moves : int
        Moves the greedy search accepted.
    """

    scenario: Scenario
    trials: int
    seed: int
    outcomes: list[Outcome]
    evaluations: int
    greedy_moves: int = 0
    assets: list[dict[str, Any]] = field(default_factory=list)

    def outcome(self, strategy: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.strategy == strategy), None)

    @property
    def uniform(self) -> Outcome | None:
        return self.outcome("uniform")

    @property
    def worst(self) -> Outcome:
        """The defender's worst case: the most value-weighted damage (first on ties)."""
        return max(self.outcomes, key=lambda o: o.damage_mean)

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {"scenario": s.name, "fingerprint": s.fingerprint(), "trials": self.trials,
                "seed": self.seed, "version": __version__,
                "raid_size": s.raid_size, "capacity": s.capacity, "raid_ratio": s.raid_ratio,
                "assets": self.assets, "evaluations": self.evaluations,
                "greedy_moves": self.greedy_moves,
                "outcomes": [o.to_dict() for o in self.outcomes],
                "uniform": "uniform" if self.uniform is not None else None,
                "worst": self.worst.strategy}

    @classmethod
    def from_dict(cls, d: dict[str, Any], scenario: Scenario) -> "AllocationResult":
        """Rebuild from :meth:`to_dict` (e.g. a file the brief saved), for ``scenario``."""
        return cls(scenario, int(d["trials"]), int(d["seed"]),
                   [Outcome.from_dict(o) for o in d["outcomes"]], int(d["evaluations"]),
                   int(d.get("greedy_moves", 0)), list(d["assets"]))


# --- the aim ------------------------------------------------------------------

def _reach(scenario: Scenario) -> list[tuple[list[int], float]]:
    """Per threat group: (indices of the assets it can be aimed at, its open-ground share)."""
    names = [a.name for a in scenario.assets]
    out = []
    for t in scenario.threats:
        if t.targets is None:
            out.append((list(range(len(names))), 0.0))
        else:
            out.append(([i for i, n in enumerate(names) if n in t.targets],
                        float(t.targets.get("open", 0.0))))
    return out


def _most_valuable(scenario: Scenario, among: Sequence[int]) -> list[int]:
    top = max(scenario.assets[i].value for i in among)
    return [i for i in among if scenario.assets[i].value == top]


def group_shares(scenario: Scenario, weights: Sequence[float]) -> dict[str, dict[str, float]]:
    """Each threat group's ``targets`` for one aim of the raid (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
        With ``[[assets]]``.
    weights : sequence of float, shape (A,)
        One weight >= 0 per asset, in declaration order; they need not sum to 1.

    Returns
    -------
    dict
        Group name -> {target: share}, shares summing to 1, ``open`` as written.
    """
    names = [a.name for a in scenario.assets]
    out: dict[str, dict[str, float]] = {}
    for t, (reach, open_share) in zip(scenario.threats, _reach(scenario)):
        if not reach:  # aimed only at open ground: nothing to re-aim
            out[t.name] = dict(t.targets) if t.targets is not None else {"open": 1.0}
            continue
        w = {i: max(0.0, float(weights[i])) for i in reach}
        total = sum(w.values())
        if total <= 0.0:
            w = {i: 1.0 if i in _most_valuable(scenario, reach) else 0.0 for i in reach}
            total = sum(w.values())
        shares = {names[i]: (1.0 - open_share) * w[i] / total for i in reach}
        if t.targets is not None and "open" in t.targets:
            shares["open"] = open_share
        out[t.name] = shares
    return out


def aimed(scenario: Scenario, shares: dict[str, dict[str, float]]) -> Scenario:
    """``scenario`` with each group's ``targets`` replaced by ``shares``, validated."""
    data = scenario.to_dict()
    for t in data["threats"]:
        t["targets"] = dict(shares[t["name"]])
    return revalidate(scenario, data)


def _ranked(scenario: Scenario) -> list[int]:
    """Asset indices, most valuable first (declaration order among equals)."""
    return sorted(range(len(scenario.assets)), key=lambda i: (-scenario.assets[i].value, i))


def strategy_weights(scenario: Scenario, strategy: str) -> tuple[float, ...]:
    """The aim of a fixed strategy: ``uniform``, ``by_value`` or ``top_<k>``."""
    a = len(scenario.assets)
    if strategy == "uniform":
        return tuple(1.0 / a for _ in range(a))
    if strategy == "by_value":
        values = [x.value for x in scenario.assets]
        total = sum(values)
        if total <= 0.0:  # every asset worth nothing: value gives no preference
            return strategy_weights(scenario, "uniform")
        return tuple(v / total for v in values)
    if strategy.startswith("top_"):
        k = int(strategy[4:])
        top = set(_ranked(scenario)[:k])
        return tuple(1.0 / k if i in top else 0.0 for i in range(a))
    raise ValueError(f"not a fixed strategy: {strategy!r}")


def site_capacity(scenario: Scenario) -> dict[str, int]:
    """Asset -> nominal engagement capacity (model.md) of the fire units that can defend it.

    An area layer counts in full at every asset, and so does a point layer
    whose ``defends`` lists the asset without ``fire_units_at``: either may
    spend all of it there. With ``fire_units_at``, only the asset's own fire
    units count. The national capacity, ``scenario.capacity``, pools them all.
    """
    out = {}
    for asset in scenario.assets:
        c = 0
        for lay in scenario.layers:
            if lay.defends is None or (asset.name in lay.defends and lay.fire_units_at is None):
                c += lay.capacity()
            elif lay.fire_units_at is not None:
                c += lay.fire_units_at.get(asset.name, 0) * lay.unit_capacity()
        out[asset.name] = c
    return out


# --- evaluation -------------------------------------------------------------------

class _Evaluator:
    """Runs aims with one seed and remembers each, so an aim met twice is run once."""

    def __init__(self, scenario: Scenario, trials: int, seed: int, threads: int | None):
        self.scenario, self.trials, self.seed, self.threads = scenario, trials, seed, threads
        self.seen: dict[Any, Outcome] = {}
        self.runs = 0

    def __call__(self, strategy: str, weights: tuple[float, ...] | None) -> Outcome:
        if weights is None:  # as written; a group without targets is aimed evenly
            even = group_shares(self.scenario, [1.0] * len(self.scenario.assets))
            shares = {t.name: dict(t.targets) if t.targets is not None else even[t.name]
                      for t in self.scenario.threats}
        else:
            shares = group_shares(self.scenario, weights)
        key = tuple(sorted((g, tuple(sorted((k, round(v, _DIGITS)) for k, v in s.items())))
                           for g, s in shares.items()))
        if key not in self.seen:
            sc = aimed(self.scenario, shares)
            r = simulate(sc, trials=self.trials, seed=self.seed, threads=self.threads,
                         progress=False).to_dict()
            self.runs += 1
            self.seen[key] = _outcome(strategy, weights, shares, r)
        return dataclasses.replace(self.seen[key], strategy=strategy, weights=weights)


def _outcome(strategy: str, weights: tuple[float, ...] | None,
             shares: dict[str, dict[str, float]], r: dict[str, Any]) -> Outcome:
    by = r["by_asset"]
    return Outcome(
        strategy, weights, shares,
        targeted={a: float(d["targeted_mean"]) for a, d in by.items()},
        leakers={a: float(d["leakers_mean"]) for a, d in by.items()},
        leakers_ci95={a: (float(d["leakers_ci95"][0]), float(d["leakers_ci95"][1]))
                      for a, d in by.items()},
        damage_mean=float(r["damage"]["value_weighted_mean"]),
        damage_ci95=(float(r["damage"]["value_weighted_ci95"][0]),
                     float(r["damage"]["value_weighted_ci95"][1])),
        leakers_mean=float(r["leakers"]["mean"]),
        leakers_total_ci95=(float(r["leakers"]["ci95"][0]), float(r["leakers"]["ci95"][1])),
        p_any_leak=float(r["p_any_leak"]))


def _greedy(evaluate: _Evaluator, start: tuple[float, ...], step: float,
            budget: int) -> tuple[Outcome, int]:
    """First-improvement local search over aims, from ``start``.

    A move takes weight from asset i to asset j: all of i's weight, or ``step``
    of it. Moves are tried in a fixed order (every i, j, the whole weight
    first), resuming after the last accepted move, until a full round of moves
    helps no more or ``budget`` runs are spent. Returns the best outcome and
    the number of moves accepted.
    """
    a = len(start)
    moves = [(i, j, whole) for whole in (True, False) for i in range(a) for j in range(a)
             if i != j]
    best = evaluate("greedy", start)
    accepted, since, k = 0, 0, 0
    while since < len(moves) and evaluate.runs < budget:
        i, j, whole = moves[k]
        k = (k + 1) % len(moves)
        since += 1
        w = list(best.weights or start)
        d = w[i] if whole else min(step, w[i])
        if d <= 0.0:
            continue
        w[i], w[j] = w[i] - d, w[j] + d
        cand = evaluate("greedy", tuple(max(0.0, x) for x in w))
        if cand.damage_mean > best.damage_mean + _EPS:
            best, accepted, since = cand, accepted + 1, 0
    return best, accepted


def allocate(scenario: Scenario, trials: int | None = None, seed: int | None = None,
             strategies: Sequence[str] = STRATEGIES, top_k: Sequence[int] | None = None,
             max_evaluations: int = MAX_EVALUATIONS, threads: int | None = None,
             step: float | None = None) -> AllocationResult:
    """Evaluate attacker strategies over the scenario's assets; name the worst case.

    Parameters
    ----------
    scenario : Scenario
        With ``[[assets]]``.
    trials : int, optional
        Trials per evaluation (default :data:`ALLOCATE_TRIALS`).
    seed : int, optional
        Seed of every evaluation (default: the scenario's, else 1).
    strategies : sequence of str
        A subset of :data:`STRATEGIES`, evaluated in that order.
    top_k : sequence of int, optional
        The k of ``top_k`` (default 1 .. A).
    max_evaluations : int
        Most Monte Carlo runs in all; the greedy search stops when they are spent.
    threads : int, optional
        Engine threads; does not change the results.
    step : float, optional
        The greedy search's small move (default 1 / (4 A)).

    Returns
    -------
    AllocationResult

    Raises
    ------
    SweepError
        For a scenario without assets, an unknown strategy or a k out of range.
    """
    if not scenario.assets:
        raise SweepError(f"{scenario.source}: allocate needs [[assets]] to aim at "
                         "(the scenario has none)")
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise SweepError(f"strategies {unknown}: expected some of {', '.join(STRATEGIES)}")
    a = len(scenario.assets)
    ks = list(range(1, a + 1)) if top_k is None else sorted({int(k) for k in top_k})
    if any(not 1 <= k <= a for k in ks):
        raise SweepError(f"top_k {ks}: expected whole numbers from 1 to {a} "
                         f"(the scenario has {a} assets)")
    trials = ALLOCATE_TRIALS if trials is None else int(trials)
    if trials < 1:
        raise SweepError(f"trials {trials}: expected at least 1")
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else DEFAULT_SEED
    step = 1.0 / (4 * a) if step is None else float(step)
    if not (0.0 < step <= 1.0 and math.isfinite(step)):
        raise SweepError(f"step {step}: expected a number in (0, 1]")
    evaluate = _Evaluator(scenario, trials, int(seed), threads)
    outcomes: list[Outcome] = []
    moves = 0
    for s in strategies:
        if s == "as_written":
            outcomes.append(evaluate("as_written", None))
        elif s == "top_k":
            outcomes += [evaluate(f"top_{k}", strategy_weights(scenario, f"top_{k}"))
                         for k in ks]
        elif s == "greedy":
            budget = max(evaluate.runs + 1, max_evaluations)
            best, moves = _greedy(evaluate, strategy_weights(scenario, "uniform"), step,
                                  budget)
            outcomes.append(best)
        else:
            outcomes.append(evaluate(s, strategy_weights(scenario, s)))
    assets = [{"name": x.name, "label": x.label, "label_ja": x.label_ja, "value": x.value}
              for x in scenario.assets]
    return AllocationResult(scenario, trials, int(seed), outcomes, evaluate.runs, moves, assets)
