"""Fire-channel loss: Erlang's formula as an asymptotic approximation (not exact).

When one group of warheads is launched uniformly over a span much longer than
the flyout and must be engaged on arrival (window = flyout), a layer with c
channels and ample magazines is an M/G/c/c loss system: a threat that arrives
while every channel is busy passes unengaged. As span / flyout grows, the
fraction blocked tends to Erlang's B(c, lambda * flyout). At finite spans the
start (an idle system) and the binomial rather than Poisson arrivals bias it
slightly low; hence the label ``asymptotic``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine._kernel import EPS_S
from ..scenario import Scenario
from .closed_forms import erlang_b
from .plan import IntractableError


@dataclass(frozen=True)
class ErlangLoss:
    """Erlang loss approximation of one layer against one uniformly launched group.

    Attributes
    ----------
    channels : int
        c = fire_units x channels_per_unit.
    offered_load : float
        a = detection x lambda x flyout_s, erlangs, with lambda = launched / span_s.
    blocking : float
        B(c, a): fraction of tracked threats that find every channel busy.
    leak_fraction : float
        Fraction of launched warheads that leak:
        ``(1 - R) + R * ((1 - rho) + rho * (B + (1 - B) * (1 - pkill)))``.
    leakers_mean : float
        Expected launched warheads x ``leak_fraction``.
    span_to_flyout : float
        span_s / flyout_s; the approximation improves as it grows.
    method : str
        Always ``"asymptotic"``.
    """

    channels: int
    offered_load: float
    blocking: float
    leak_fraction: float
    leakers_mean: float
    span_to_flyout: float
    method: str = "asymptotic"


def erlang_loss_leak_fraction(scenario: Scenario) -> ErlangLoss:
    """Asymptotic (span >> flyout) leak fraction by Erlang's loss formula.

    Conditions (else :class:`IntractableError` naming the one that fails): one
    warhead group, launched ``uniform`` over ``span_s > 0``; exactly one layer
    engages it; that layer's window is exactly one flyout (engage on arrival);
    each fire unit's magazine alone covers the whole raid
    (``floor(interceptors_per_unit / shots_per_engagement) >= count``), so no
    magazine ever binds.
    """
    if len(scenario.threats) != 1:
        raise IntractableError("Erlang loss needs exactly one threat group "
                               f"(got {len(scenario.threats)})")
    group = scenario.threats[0]
    if not group.is_warhead:
        raise IntractableError("threats[0].kind = 'decoy': decoys never leak")
    if group.launch.pattern != "uniform" or group.launch.span_s <= 0.0:
        raise IntractableError("Erlang loss needs threats[0].launch.pattern = 'uniform' "
                               "with span_s > 0")
    engaging = [li for li, lay in enumerate(scenario.layers) if group.name in lay.engage]
    if len(engaging) != 1:
        raise IntractableError(f"Erlang loss needs exactly one layer engaging threats[0] "
                               f"(got {len(engaging)})")
    li = engaging[0]
    layer = scenario.layers[li]
    f = layer.flyout_s
    width = layer.engage[group.name].width_s
    if not f - EPS_S <= width <= f + EPS_S:
        raise IntractableError(f"layers[{li}].engage.{group.name}.window_s is {width:g} s wide, "
                               f"not one flyout ({f:g} s): threats could wait for a channel")
    if layer.interceptors_per_unit // layer.shots_per_engagement < group.count:
        raise IntractableError(f"layers[{li}].interceptors_per_unit: a unit's magazine could "
                               "run dry (needs floor(interceptors / shots) >= the raid)")
    launched = group.count * (1.0 - scenario.group_prelaunch_kill(group))
    rate = launched / group.launch.span_s
    channels = layer.fire_units * layer.channels_per_unit
    rho = layer.detection
    load = rho * rate * f
    blocking = erlang_b(channels, load)
    pkill = layer.engagement_kill_probability(group.name)
    present = rho * (blocking + (1.0 - blocking) * (1.0 - pkill)) + (1.0 - rho)
    avail = layer.availability
    frac = avail * present + (1.0 - avail)
    return ErlangLoss(channels=channels, offered_load=load, blocking=blocking,
                      leak_fraction=frac, leakers_mean=launched * frac,
                      span_to_flyout=group.launch.span_s / f)
