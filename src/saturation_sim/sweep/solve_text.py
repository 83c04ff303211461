"""Readable sentences for :func:`~saturation_sim.sweep.solve.solve`, and its confidence."""

from __future__ import annotations

from typing import Any


def _v(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _at(out: dict[str, Any], e: dict[str, Any]) -> str:
    """'3' or '2.5 (40 missiles)' for a probe."""
    s = f"{out['key']} = {_v(e['value'])}"
    return s + f" (raid of {e['raid_size']:,})" if out["direction"] == "raid" else s


def _m(out: dict[str, Any], e: dict[str, Any]) -> str:
    metric = out["target"]["metric"]
    x, (lo, hi) = e[metric], e["ci95"]
    digits = 4 if metric == "p_any_leak" else 3
    if e["method"] == "exact":
        return f"{metric} {x:.{digits}f} (exact)"
    return f"{metric} {x:.{digits}f}, 95% CI [{lo:.{digits}f}, {hi:.{digits}f}]"


def confidence(out: dict[str, Any], target) -> dict[str, Any]:
    """Whether each end of the bracket lies on its side of the target at 95% confidence."""
    a, o = out.get("at_answer"), out.get("at_other")
    answer_side = None if a is None else bool(target.met(a["ci95"][1]))
    other_side = None if o is None else bool(not target.met(o["ci95"][0]))
    if out["method"] == "exact":
        return {"answer_side": answer_side, "other_side": other_side,
                "text": "exact: every probe was computed by the analytic layer"}
    unsure = [e for e, ok in ((a, answer_side), (o, other_side)) if e is not None and not ok]
    if not unsure:
        text = ("95% confident: each probe's 95% CI lies wholly on its side of the target")
    else:
        where = " and ".join(_v(e["value"]) for e in unsure)
        text = (f"uncertain: the 95% CI at {out['key']} = {where} straddles the target, so "
                "the answer may be one step off; rerun with more --trials")
    return {"answer_side": answer_side, "other_side": other_side, "text": text}


def _method(out: dict[str, Any]) -> str:
    if out["method"] == "exact":
        return "Exact (analytic layer)"
    return (f"Monte Carlo, {out['trials']:,} trials per probe, seed {out['seed']} at every "
            "probe (common random numbers)")


def describe(out: dict[str, Any]) -> str:
    """One readable paragraph answering the question."""
    key, tgt = out["key"], out["target"]["text"]
    lo, hi = (_v(x) for x in out["range"])
    status = out["status"]
    largest = out["direction"] != "lever"
    if status == "solved":
        a, o = out["at_answer"], out["at_other"]
        word = "Largest" if largest else "Least"
        text = (f"{word} {key} in [{lo}, {hi}] with {tgt}: {_v(a['value'])}. "
                f"At {_at(out, a)}: {_m(out, a)}; at {_at(out, o)}: {_m(out, o)}.")
        if isinstance(a["value"], float) and out["direction"] != "raid":
            text += f" Bracket [{_v(out['bracket'][0])}, {_v(out['bracket'][1])}]."
    elif status == "met_across_range":
        a = out["at_answer"]
        edge = "even at the top" if largest else "already at the bottom"
        beyond = "may lie above" if largest else "may lie below"
        text = (f"{tgt} is met across {key} in [{lo}, {hi}], {edge}: at {_at(out, a)}: "
                f"{_m(out, a)}. The threshold {beyond} the range.")
    else:
        b = out["at_other"]
        where = {"raid": "even at the smallest raid",
                 "increasing": "even at the bottom of the range"}.get(out["direction"],
                                                                     "even at the top of the range")
        text = (f"{tgt} cannot be met with {key} in [{lo}, {hi}]: {where}, {_at(out, b)}: "
                f"{_m(out, b)}.")
        if out["bound_excludes_target"]:
            text += f" It is out of reach: {out['bound_text']}."
            if out["key_cannot_help"]:
                text += f" No value of {key} changes that."
        else:
            metric = out["target"]["metric"]
            b_min = out["bound"][f"{metric}_min"]
            text += (f" The best case with unlimited capacity ({metric} >= {b_min:.4g}) does "
                     "not rule the target out, so the shortfall is capacity or the range: "
                     + ("try smaller values." if largest else "widen the range or add capacity."))
    if out["method"] == "exact":
        return f"{text} {_method(out)}."
    return f"{text} {_method(out)}; {out['confidence']['text']}."
