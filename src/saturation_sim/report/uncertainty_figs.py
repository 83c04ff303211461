"""Figures of uncertainty and sensitivity runs, in English and Japanese.

Four figures, each drawn from the JSON document of ``saturation-sim
uncertainty`` or ``sensitivity`` (so they can be redrawn without rerunning):

* :func:`fan_chart` - the share of warheads leaking over the raid ratio, with
  the bands the assumptions allow (p05-p95, p25-p75), the median and the
  nominal line;
* :func:`share_distribution` - histogram and ECDF of the share leaking across
  the input samples, with the thresholds of ``--exceed`` marked;
* :func:`tornado` - one-at-a-time swings of the share leaking, largest first;
* :func:`sobol_bars` - first- and total-order Sobol' indices with their
  bootstrap 95% intervals.

Each function returns a finished Figure (title = the finding, footer = the
provenance); series carry a ``gid`` so tests can read numbers back. The words
are the ``uq_fig_*`` and ``uq_field_*`` entries of the report's one catalogue,
:data:`.i18n.MESSAGES`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..scenario.keys import split_key
from .errors import ReportError
from .i18n import MESSAGES, Messages
from .style import PALETTE, REFERENCE, finish, new_figure, percent_axis, save, use_style


class UqMessages:
    """``msg(id, **fields)`` from the report's one catalogue (:data:`.i18n.MESSAGES`, the
    ``uq_fig_*`` and ``uq_field_*`` entries are these figures' own) in one language;
    ``msg.percent(x)`` formats a share to the whole percent the figures print."""

    def __init__(self, lang: str, scenario: Any = None, caveat: str = ""):
        # A ReportError for a language it does not have; a campaign's own wording.
        self._msg = Messages(lang, campaign=bool(getattr(scenario, "is_campaign", False)))
        self.lang = lang
        #: With a scenario, keys name its layers and threats by their display labels
        #: (as the brief does); without, by their identifiers.
        self.scenario = scenario
        #: The scenario's warning, drawn above every figure's footer (the brief's figures
        #: keep it when copied out).
        self.caveat = caveat

    def __call__(self, message_id: str, /, **fields: Any) -> str:
        return self._msg(message_id, **fields)

    @staticmethod
    def percent(x: float) -> str:
        if 0.995 <= x < 1:  # a share short of all must not read "100%"
            return ">99%"
        return f"{100 * x:.0f}%" if x >= 0.01 or x == 0 else f"{100 * x:.1f}%"

    def key_label(self, key: str) -> str:
        """A readable name of a dotted key: ``jasdf_pac3: SSPK vs DF17``."""
        parts = split_key(key) or key.split(".")  # a name in quotes may hold dots
        field = ".".join(parts[-2:]) if parts[-1].isdigit() else parts[-1]
        name = MESSAGES.get(f"uq_field_{field}", {}).get(self.lang, field)
        if len(parts) == 4 and parts[0] == "threats" and parts[2] == "targets":
            name = self("uq_fig_share_target", target=self._target(parts[3]))
        if parts[0] == "counterstrike" and self.scenario is not None:
            return self("key_prelaunch_kill")
        if parts[0] == "counterstrike" or parts[0] == "raid_ratio":
            return name
        owner = parts[1]
        if self.scenario is not None:
            return self._display_label(parts, name)
        if "engage" in parts:
            threat = parts[parts.index("engage") + 1]
            return (f"{owner}：{threat}に対する{name}" if self.lang == "ja"
                    else f"{owner}: {name} vs {threat}")
        return f"{owner}：{name}" if self.lang == "ja" else f"{owner}: {name}"


    def _target(self, name: str) -> str:
        """An aim's target for the reader: open ground, or the asset's display label."""
        if self.scenario is None:
            return self("open_ground") if name == "open" else name
        from . import names

        return names.target_label(self.scenario, name, self._msg)

    def _display_label(self, parts: list[str], name: str) -> str:
        """``key_label`` with the scenario's display names ("JASDF Patriot PAC-3")."""
        from . import names

        s, m = self.scenario, self._msg
        table, owner = parts[0], parts[1]
        if table == "assets":  # assets.<name>.value: the asset, not a threat group
            label = self._target(owner)
            return f"{label}：{name}" if self.lang == "ja" else f"{label}: {name}"
        label = (names.layer_by_name(s, owner, m) if table == "layers"
                 else names.threat_by_name(s, owner, m))
        if table == "layers" and parts[2:] == ["fire_units"]:
            lay = s.layers[s.layer_index(owner)]
            noun = names.unit_noun(lay, m)
            return m("key_fire_units", layer=label, noun=noun[:1].upper() + noun[1:])
        if "engage" in parts:
            threat = names.threat_by_name(s, parts[parts.index("engage") + 1], m)
            return (f"{label}：{threat}に対する{name}" if self.lang == "ja"
                    else f"{label}: {name} vs {threat}")
        return f"{label}：{name}" if self.lang == "ja" else f"{label}: {name}"


def _methods(doc: dict[str, Any], msg: UqMessages) -> str:
    parts = []
    if doc["methods"].get("exact"):
        parts.append(msg("uq_fig_exact_n", n=doc["methods"]["exact"]))
    if doc["methods"].get("mc"):
        parts.append(msg("uq_fig_mc_n", n=doc["methods"]["mc"], trials=f"{doc['trials']:,}"))
    return msg("name_sep").join(parts)


def footer(doc: dict[str, Any], msg: UqMessages) -> str:
    if "design" in doc:
        runs = msg("uq_fig_runs_unc", samples=doc["samples"], design=doc["design"], seed=doc["seed"],
                   methods=_methods(doc, msg))
    else:
        runs = msg("uq_fig_runs_sens", method=doc["method"], runs=doc["runs"], seed=doc["seed"],
                   methods=_methods(doc, msg))
    # The file name, not the scenario's title: short enough for one footer line.
    text = msg("uq_fig_footer", version=doc.get("version", "?"), scenario=Path(doc["source"]).name,
               runs=runs)
    if msg.caveat:  # the scenario's own warning stands above the footer
        text = text.rsplit(" · ", 1)[0]
    return text


def _at(doc: dict[str, Any], ratio: float) -> tuple[dict[str, Any], float | None]:
    """The block of a document at the axis value nearest ``ratio`` (the document itself
    when nothing was varied), and that value."""
    if "points" not in doc:
        return doc, None
    values = np.array([float(p["value"]) for p in doc["points"]])
    j = int(np.argmin(np.abs(values - ratio)))
    return doc["points"][j], float(values[j])


def _fan_check(doc: dict[str, Any]) -> None:
    if "points" not in doc:
        raise ReportError("a fan chart needs an uncertainty run with --vary, e.g. "
                          "raid_ratio=0.5:5:0.5")


def fan_panel(ax: Any, doc: dict[str, Any], msg: UqMessages, focus: float = 3.0) -> None:
    """Draw the share leaking over the swept axis on ``ax``: p05-p95 and p25-p75 bands,
    median and nominal, with ``focus`` (3x) marked when it is a point of a raid-ratio axis."""
    _fan_check(doc)
    x = np.array([float(p["value"]) for p in doc["points"]])
    q = {k: np.array([p["outputs"]["leak_fraction"]["quantiles"][k] for p in doc["points"]])
         for k in ("p05", "p25", "p50", "p75", "p95")}
    nominal = np.array([p["outputs"]["leak_fraction"]["nominal"] for p in doc["points"]])
    ax.fill_between(x, q["p05"], q["p95"], color=PALETTE[0], alpha=0.18, linewidth=0,
                    label=msg("uq_fig_band90"), gid="band_p05_p95")
    ax.fill_between(x, q["p25"], q["p75"], color=PALETTE[0], alpha=0.38, linewidth=0,
                    label=msg("uq_fig_band50"), gid="band_p25_p75")
    (med,) = ax.plot(x, q["p50"], color=PALETTE[0], linestyle="--", label=msg("uq_fig_median"))
    med.set_gid("median")
    (nom,) = ax.plot(x, nominal, color=PALETTE[1], marker="o", label=msg("uq_fig_nominal"))
    nom.set_gid("nominal")
    key = doc["vary"]["key"]
    ax.set_xlabel(msg("uq_fig_raid_ratio") if key == "raid_ratio" else msg.key_label(key))
    ax.set_ylabel(msg("leak_fraction"))
    percent_axis(ax)
    ax.margins(x=0.03)  # not from 0: its tick label would sit on the 0% of the y axis
    _, at = _at(doc, focus)
    if key == "raid_ratio" and at is not None and abs(at - focus) < 1e-9:
        ax.axvline(focus, color=REFERENCE, linestyle=":", linewidth=1.4, zorder=1, gid="focus")
        ax.text(focus, 1.0, msg("uq_fig_three_x"), transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=11.5, color=REFERENCE)
    # Lower right: under the bands where the raid outgrows the defence (the upper left
    # holds the spread at small raids).
    ax.legend(loc="lower right", fontsize=12)


def fan_title(doc: dict[str, Any], msg: UqMessages, focus: float = 3.0) -> str:
    """The finding of the fan chart: the spread of the share leaking at ``focus``."""
    _fan_check(doc)
    block, at = _at(doc, focus)
    lf = block["outputs"]["leak_fraction"]
    return msg("uq_fig_fan_title", ratio=at, lo=msg.percent(lf["quantiles"]["p05"]),
               hi=msg.percent(lf["quantiles"]["p95"]), nom=msg.percent(lf["nominal"]))


def fan_chart(doc: dict[str, Any], msg: UqMessages, focus: float = 3.0) -> Any:
    """The share leaking over the swept axis (:func:`fan_panel`), titled by its finding."""
    title = fan_title(doc, msg, focus)
    fig, (ax,) = new_figure(1)
    fan_panel(ax, doc, msg, focus)
    return finish(fig, title, footer(doc, msg), caveat=msg.caveat)


def share_distribution(doc: dict[str, Any], msg: UqMessages, focus: float = 3.0) -> Any:
    """Histogram and ECDF of the share leaking across samples, thresholds marked."""
    block, at = _at(doc, focus)
    draws = np.asarray(block["draws"]["leak_fraction"], dtype=float)
    nominal = block["outputs"]["leak_fraction"]["nominal"]
    exceed = block["exceedance"]["leak_fraction"]
    fig, (ax1, ax2) = new_figure(2)
    ax1.hist(draws, bins=min(30, max(5, draws.size // 8)), range=(0.0, 1.0),
             color=PALETTE[0], alpha=0.8, gid="histogram")
    ax1.set_xlabel(msg("leak_fraction"))
    ax1.set_ylabel(msg("uq_fig_samples_axis"))
    from matplotlib.ticker import MaxNLocator

    ax1.yaxis.set_major_locator(MaxNLocator(integer=True))  # samples are counted
    ax1.set_title(msg("uq_fig_hist_panel"))
    xs = np.sort(draws)
    (ecdf,) = ax2.step(np.concatenate([[0.0], xs, [1.0]]),
                       np.concatenate([[0.0], np.arange(1, xs.size + 1) / xs.size, [1.0]]),
                       where="post", color=PALETTE[0])
    ecdf.set_gid("ecdf")
    ax2.set_xlabel(msg("leak_fraction"))
    ax2.set_ylabel(msg("uq_fig_ecdf_axis"))
    ax2.set_title(msg("uq_fig_ecdf_panel"))
    percent_axis(ax2)
    for ax in (ax1, ax2):
        # A little room each side: the 0% tick label clears the 0 of the count axis.
        ax.set_xlim(-0.05, 1.05)
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.axvline(nominal, color=PALETTE[1], linewidth=2.0, gid="nominal",
                   label=msg("uq_fig_nominal") if ax is ax2 else None)
    styles = (":", "--", "-.")
    for j, (t, p) in enumerate(exceed.items()):
        for ax in (ax1, ax2):
            ax.axvline(float(t), color=REFERENCE, linestyle=styles[j % 3], linewidth=1.6,
                       gid=f"threshold_{t}", label=msg("uq_fig_exceed_label", t=msg.percent(float(t)),
                                                       p=msg.percent(p)) if ax is ax2 else None)
    # "best": the legend goes where the ECDF is not, whatever the spread.
    ax2.legend(loc="best", fontsize=12)
    # Quote the threshold whose answer is least foregone (closest to even odds).
    t0, p0 = min(exceed.items(), key=lambda tp: abs(tp[1] - 0.5))
    where = msg("uq_fig_at_ratio", ratio=at) if at is not None else ""
    if msg.lang == "en" and not where:
        where = "Across the assumptions, "
    title = msg("uq_fig_dist_title", where=where, t=msg.percent(float(t0)), p=msg.percent(p0),
                nom=msg.percent(nominal))
    return finish(fig, title[0].upper() + title[1:], footer(doc, msg), caveat=msg.caveat)


def _top(keys: Sequence[str], score: dict[str, float], n: int) -> list[str]:
    return sorted(keys, key=lambda k: -score[k])[:n]


def _tornado_check(doc: dict[str, Any]) -> None:
    if doc.get("method") != "oat" or (doc.get("outputs") or {}).get("leak_fraction") is None:
        raise ReportError("a tornado chart needs a sensitivity run with --method oat")


def _swings(doc: dict[str, Any], top: int) -> list[str]:
    """The ``top`` keys of largest swing, smallest first (the bottom row of the chart)."""
    out = doc["outputs"]["leak_fraction"]
    swing = {k: abs(v["high"] - v["low"]) for k, v in out.items()}
    return _top(list(out), swing, top)[::-1]


def tornado_panel(ax: Any, doc: dict[str, Any], msg: UqMessages, top: int = 12) -> None:
    """Draw the one-at-a-time swings of the share leaking on ``ax``, largest at the top."""
    _tornado_check(doc)
    out = doc["outputs"]["leak_fraction"]
    nominal = doc["nominal"]["leak_fraction"]
    keys = _swings(doc, top)
    y = np.arange(len(keys))
    colors = {"low": PALETTE[0], "high": PALETTE[1]}
    for j, k in enumerate(keys):
        # Both ends on one row, from the nominal outwards; the longer drawn first so a
        # shorter bar on the same side stays visible on top of it.
        for end in sorted(("low", "high"), key=lambda e: -abs(out[k][e] - nominal)):
            v = out[k][end]
            (bar,) = ax.barh(j, v - nominal, left=nominal, height=0.62, color=colors[end],
                             label=msg(f"uq_fig_{end}_end") if j == 0 else None)
            bar.set_gid(f"tornado_{end}")
            if abs(v - nominal) > 1e-12:
                ax.text(v, j, f" {msg.percent(v)} " , ha="left" if v > nominal else "right",
                        va="center", fontsize=10.5, color="#333333")
    ax.axvline(nominal, color=REFERENCE, linewidth=1.4, gid="nominal")
    ax.margins(x=0.1)  # room for the value printed beyond each bar
    # Display names are long: wrapped, so that the bars keep most of the width.
    ax.set_yticks(y, [_wrap_label(f"{msg.key_label(k)}  ({_levels(doc, k)})", msg.lang)
                      for k in keys], fontsize=10)
    ax.set_xlabel(msg("uq_fig_tornado_axis"))
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.legend(loc="best", fontsize=11)


def tornado_title(doc: dict[str, Any], msg: UqMessages) -> str:
    """The finding of the tornado chart: the input that swings the share leaking most."""
    _tornado_check(doc)
    out = doc["outputs"]["leak_fraction"]
    best = _swings(doc, 1)[-1]
    lo, hi = sorted((out[best]["low"], out[best]["high"]))
    title = msg("uq_fig_tornado_title", key=msg.key_label(best), a=msg.percent(lo), b=msg.percent(hi))
    return title[:1].upper() + title[1:]


def tornado(doc: dict[str, Any], msg: UqMessages, top: int = 12) -> Any:
    """One-at-a-time swings of the share leaking (:func:`tornado_panel`), titled by its finding."""
    title = tornado_title(doc, msg)
    fig, (ax,) = new_figure(1)
    tornado_panel(ax, doc, msg, top)
    return finish(fig, title, footer(doc, msg), caveat=msg.caveat)


def _mid(label: str, lang: str) -> str:
    """A label mid-sentence: "Fire units in X" -> "fire units in X" (names keep capitals)."""
    if lang == "en" and label[1:2].islower():
        return label[:1].lower() + label[1:]
    return label


def _wrap_label(text: str, lang: str) -> str:
    """A row label on two lines: whose number it is, then which number (display names
    are long; the bars keep most of the width)."""
    sep = "：" if lang == "ja" else ": "
    owner, found, rest = text.partition(sep)
    if not found:
        return text
    return f"{owner}\n{rest[:1].upper() + rest[1:] if lang == 'en' else rest}"


def _levels(doc: dict[str, Any], key: str) -> str:
    lo, hi = doc["levels"][key]
    return f"{lo:g}–{hi:g}"


def sobol_bars(doc: dict[str, Any], msg: UqMessages, top: int = 12) -> Any:
    """S1 and ST of the share leaking with their 95% intervals, largest ST at the top."""
    if doc.get("method") != "sobol" or doc["outputs"].get("leak_fraction") is None:
        raise ReportError("Sobol' bars need a sensitivity run with --method sobol")
    out = doc["outputs"]["leak_fraction"]
    keys = _top(list(out["ST"]), out["ST"], top)[::-1]
    fig, (ax,) = new_figure(1)
    y = np.arange(len(keys))
    for j, (name, color) in enumerate((("S1", PALETTE[2]), ("ST", PALETTE[0]))):
        v = np.array([out[name][k] for k in keys])
        ci = np.array([out[f"{name}_ci95"][k] for k in keys])
        err = np.vstack([np.maximum(v - ci[:, 0], 0), np.maximum(ci[:, 1] - v, 0)])
        bars = ax.barh(y + (0.2 if name == "ST" else -0.2), v, height=0.38, color=color,
                       xerr=err, ecolor="#333333", capsize=2.5, label=msg(f"uq_fig_{name.lower()}"))
        for bar in bars:
            bar.set_gid(f"sobol_{name}")
    ax.set_yticks(y, [_wrap_label(msg.key_label(k), msg.lang) for k in keys], fontsize=10)
    ax.axvline(0.0, color=REFERENCE, linewidth=1.0)
    ax.set_xlabel(msg("uq_fig_sobol_axis"))
    ax.legend(loc="lower right", fontsize=11, title=msg("uq_fig_ci"), title_fontsize=10.5)
    st = out["ST"]
    total = sum(max(v, 0.0) for v in st.values())
    best = [k for k in _top(list(st), st, 3) if st[k] > 1e-9] or _top(list(st), st, 1)
    share = sum(max(st[k], 0.0) for k in best) / total if total > 0 else 0.0
    title = msg("uq_fig_sobol_title", n=len(best), share=msg.percent(share),
                keys=msg("name_sep").join(_mid(msg.key_label(k), msg.lang) for k in best))
    return finish(fig, title, footer(doc, msg), caveat=msg.caveat)


def write_figures(doc: dict[str, Any], kind: str, figdir: Path,
                  langs: Sequence[str] = ("en", "ja"),
                  formats: Sequence[str] = ("png",)) -> list[Path]:
    """Draw every figure a document supports, per language; return the files written.

    ``kind`` is ``uncertainty`` or ``sensitivity``. English files are
    ``<name>.png``, Japanese ``<name>.ja.png``.
    """
    builders: list[tuple[str, Any]] = []
    if kind == "uncertainty":
        if "points" in doc:
            builders.append(("uncertainty_fan", fan_chart))
        builders.append(("uncertainty_share", share_distribution))
    elif doc.get("method") == "oat":
        builders.append(("sensitivity_tornado", tornado))
    elif doc.get("method") == "sobol":
        builders.append(("sensitivity_sobol", sobol_bars))
    figdir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for lang in langs:
        msg = UqMessages(lang)
        with use_style(lang):
            for name, build in builders:
                fig = build(doc, msg)
                stem = figdir / (name if lang == "en" else f"{name}.ja")
                paths += save(fig, stem, formats)
    return paths


__all__ = ["UqMessages", "fan_chart", "fan_panel", "fan_title",
           "share_distribution", "sobol_bars", "tornado", "tornado_panel", "tornado_title",
           "write_figures"]
