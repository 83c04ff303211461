"""Exact results for point-defended assets: one independent problem per asset.

When every layer is a point defence whose sites each cover one asset, the
missiles aimed at an asset meet only that asset's fire units, and every draw
of one asset's problem (counterstrike, detection, kills) is independent of
every other's. The scenario then splits into one smaller scenario per asset,
each solved by the exact method of :mod:`.exact`; the leaker law is the
convolution of theirs, and missiles aimed at open ground are never engaged
and never leak.

Refused, with the reason: "random" allocation (the split itself is random),
area layers (several assets' threats meet the same units, or with
``engage_open`` those aimed at open ground), sites covering
several assets, uniform launches split over several targets (a target's
missiles are then every k-th of the group's ordered launch times, not a
uniform raid of their own), and a layer with availability < 1 and units at
several assets (one draw decides them all).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine._kernel import split_targets
from ..scenario import Scenario
from .timing import IntractableError


def _aims(scenario: Scenario) -> list[np.ndarray]:
    """Per group, the target index of each missile (split allocation, full count)."""
    out = []
    for t in scenario.threats:
        shares = np.asarray(scenario.group_shares(t), np.float64)
        aim = np.zeros(t.count, np.int64)
        split_targets(shares, t.count, aim)
        out.append(aim)
    return out


def asset_parts(scenario: Scenario) -> tuple[list[Scenario], np.ndarray]:
    """The per-asset scenarios of a point-defended scenario, in asset order.

    Layers keep their places (a layer with no site at the asset gets no fire
    units), so per-layer results add up layer by layer.

    Returns
    -------
    parts : list of Scenario
        One per asset.
    targeted : ndarray, shape (T,), float64
        Mean missiles launched at each target (assets, then open ground).

    Raises
    ------
    IntractableError
        Naming the key that puts the scenario outside this decomposition.
    """
    n_assets = len(scenario.assets)
    for t in scenario.threats:
        if t.allocation == "random":
            raise IntractableError(f"threats.{t.name}.allocation = 'random': the exact method "
                                   "splits a raid over assets only with 'split' allocation")
    for lay in scenario.layers:
        sites = scenario.layer_sites(lay)
        if lay.defends is None and n_assets > 1:
            raise IntractableError(f"layers.{lay.name} defends every asset (area defence): the "
                                   "exact method handles point defences of single assets only")
        if any(len([c for c in covered if c < n_assets]) > 1 for covered, units in sites
               if units > 0):
            raise IntractableError(f"layers.{lay.name}.defends: a site covering several assets "
                                   "(give fire_units_at); the exact method handles single-asset "
                                   "sites only")
        if lay.availability < 1.0 and sum(1 for _, units in sites if units > 0) > 1:
            raise IntractableError(f"layers.{lay.name}.availability < 1 with units at several "
                                   "assets: one draw decides them all, so the assets are not "
                                   "independent")
    aims = _aims(scenario)
    aimed_open = any(bool((aim == n_assets).any()) for aim in aims)
    for lay in scenario.layers:
        if aimed_open and any(n_assets in covered and units > 0
                              for covered, units in scenario.layer_sites(lay)):
            # Its fire units also spend channels and interceptors on the open-ground
            # missiles, which the per-asset parts leave out.
            raise IntractableError(f"layers.{lay.name}.engage_open = true with missiles aimed "
                                   "at open ground: the exact method handles assets whose "
                                   "fire units engage only the asset's own missiles")
    for t, aim in zip(scenario.threats, aims):
        if t.launch.pattern == "uniform" and len(set(aim.tolist())) > 1:
            raise IntractableError(f"threats.{t.name}.launch: uniform launches split over several "
                                   "targets have no exact method here (use the Monte Carlo engine)")
    base = scenario.to_dict()
    base.pop("assets", None)
    base.pop("uncertainty", None)
    parts = []
    for a in range(n_assets):
        d = dict(base)
        d["threats"] = [_threat_at(td, t, aim, a) for td, t, aim in
                        zip(base["threats"], scenario.threats, aims)]
        d["layers"] = [_layer_at(ld, scenario.layer_sites(lay), a)
                       for ld, lay in zip(base["layers"], scenario.layers)]
        parts.append(Scenario.from_dict(d, scenario.source))
    return parts, _targeted_means(scenario, aims)


def _threat_at(td: dict[str, Any], t: Any, aim: np.ndarray, a: int) -> dict[str, Any]:
    """A threat group's table, restricted to its missiles aimed at target ``a``."""
    out = {k: v for k, v in td.items() if k not in ("targets", "allocation")}
    mine = np.flatnonzero(aim == a)
    out["count"] = int(mine.size)
    if t.launch.pattern == "waves":
        times = np.repeat(np.asarray(t.launch.at_s), np.asarray(t.launch.count))[mine]
        at, counts = [], []
        for time_s in times.tolist():
            if at and at[-1] == time_s:
                counts[-1] += 1
            else:
                at.append(time_s)
                counts.append(1)
        out["launch"] = ({"pattern": "waves", "at_s": at, "count": counts} if at
                         else {"pattern": "simultaneous", "at_s": 0.0})
    return out


def _layer_at(ld: dict[str, Any], sites: list, a: int) -> dict[str, Any]:
    """A layer's table with only its fire units at asset ``a``."""
    out = {k: v for k, v in ld.items() if k not in ("defends", "fire_units_at", "engage_open")}
    out["fire_units"] = sum(units for covered, units in sites if a in covered)
    return out


def _targeted_means(scenario: Scenario, aims: list[np.ndarray]) -> np.ndarray:
    """(T,) float64: mean missiles launched at each target, from :func:`_aims`."""
    out = np.zeros(len(scenario.target_names))
    for t, aim in zip(scenario.threats, aims):
        survive = 1.0 - scenario.group_prelaunch_kill(t)
        out += np.bincount(aim, minlength=out.size) * survive
    return out
