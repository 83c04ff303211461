"""Analytic room: closed forms and exact leaker laws over the same ``Scenario``.

``exact(scenario)`` returns an :class:`ExactResult` shaped like the Monte
Carlo result (``to_dict()`` has the same keys, ``method = "exact"``) for the
tractable cases of model.md: ample capacity (threats independent, shoot-look-
shoot allowed), saturated layers hit all at once (hypergeometric splits),
availability mixtures and counterstrike, in any combination across layers.
Anything else raises :class:`IntractableError` naming the feature;
``intractable_reason`` says so without raising. Erlang's loss formula is
offered separately and labelled asymptotic. See ``docs/analytic.md``.
"""

from .closed_forms import (binomial_pmf, binomial_sum_pmf, engagement_kill_probability,
                           engagements_pmf, erlang_b, expected_engagements, hypergeometric_split,
                           interceptors_for_no_leak, layer_kill_probability,
                           p_no_leak_independent, saturated_leakers_mean)
from .erlang import ErlangLoss, erlang_loss_leak_fraction
from . import handled  # noqa: F401 - the handled list, for tests and docs
from .exact import exact, intractable_reason
from .plan import IntractableError
from .result import ExactResult

__all__ = ["ErlangLoss", "ExactResult", "IntractableError", "binomial_pmf", "binomial_sum_pmf",
           "engagement_kill_probability", "engagements_pmf", "erlang_b",
           "erlang_loss_leak_fraction", "exact", "expected_engagements",
           "hypergeometric_split", "interceptors_for_no_leak", "intractable_reason",
           "layer_kill_probability", "p_no_leak_independent", "saturated_leakers_mean"]
