"""The project's one figure style, and the only place that sets matplotlib up.

Figures are built on :class:`matplotlib.figure.Figure` with an Agg canvas,
never through pyplot, so drawing leaves no global state behind (no backend
switch, no open-figure registry) in the caller's session. The style is the
Okabe-Ito palette (distinguishable with every common colour-vision
deficiency), type sized for a 16:9 slide, no top/right spines, light grid.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .errors import ReportError

#: Okabe-Ito colours in the order series take them (yellow last: weak on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000",
           "#F0E442")
#: Reference lines (naive counts, 3x marker, parity): neutral, behind the data.
REFERENCE = "#555555"
#: Sequential colour map for heatmaps: perceptually uniform and colour-blind safe.
CMAP = "cividis"
#: Width and height of a figure in inches: 16:9, shown full-slide without scaling type down.
FIGSIZE = (11.0, 6.2)
FORMATS = ("png", "svg", "pdf")
#: Space at the bottom of every figure kept for the two footer lines (figure fraction):
#: the caveat and the note on bands above, the provenance and the page number below.
FOOTER_SPACE = 0.085
FOOTER_SIZE = 9.5
#: Colour of the caveat: the accent, so that it is read, not skimmed.
CAVEAT_COLOR = "#B2182B"
BAND_ALPHA = 0.22
#: True while drawing in a font without a bold face (IPAexGothic): "bold" text is
#: then set in the regular weight. Imitating bold by stroking the outline clogs
#: dense kanji, and asking for a bold weight makes matplotlib substitute a face.
_NO_BOLD = contextvars.ContextVar("no_bold", default=False)
#: A band narrower than this fraction of the y range hides under its line.
VISIBLE_BAND = 0.015
_CJK = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"


def require_matplotlib() -> None:
    """Fail with an install hint when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ReportError("figures need matplotlib: pip install matplotlib") from None


@functools.cache
def japanese_font() -> str:
    """Register the IPAexGothic font shipped by matplotlib-fontja; return its family name.

    Importing matplotlib_fontja also switches the global default font; the
    ``rc_context`` undoes that, so only the font registration remains.
    """
    import matplotlib
    from matplotlib import font_manager

    try:
        with matplotlib.rc_context():
            import matplotlib_fontja
    except ImportError:
        raise ReportError("--lang ja needs the Japanese font package, a dependency of "
                          "saturation-sim: pip install matplotlib-fontja") from None
    path = matplotlib_fontja.get_font_ttf_path()
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def rc_params(lang: str) -> dict[str, Any]:
    """The matplotlib settings of the project style for one language."""
    from cycler import cycler

    # DejaVu Sans stays second for ja: it has the few symbols a CJK font may lack.
    family = [japanese_font(), "DejaVu Sans"] if lang == "ja" else ["DejaVu Sans"]
    return {
        "font.family": family, "font.size": 14, "axes.titlesize": 15,
        "axes.titleweight": "normal", "axes.titlelocation": "left", "axes.labelsize": 14,
        "xtick.labelsize": 12.5, "ytick.labelsize": 12.5, "legend.fontsize": 12,
        "figure.titlesize": 18, "figure.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.edgecolor": "#333333", "axes.linewidth": 0.9,
        "axes.grid": True, "grid.color": "#dddddd", "grid.linewidth": 0.7,
        "axes.axisbelow": True, "axes.prop_cycle": cycler(color=list(PALETTE)),
        "lines.linewidth": 2.4, "lines.markersize": 5.5,
        # An edgeless white legend box: reference lines pass behind the text, not through it.
        "legend.frameon": True, "legend.edgecolor": "none", "legend.facecolor": "white",
        "legend.framealpha": 0.92, "figure.facecolor": "white",
        "savefig.dpi": 150, "savefig.facecolor": "white",
        # Embed TrueType (Type 42) so PDFs carry their fonts, CJK included; draw
        # SVG text as paths so it looks the same without the font installed.
        "pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "path",
        "axes.unicode_minus": True,
        # Names, labels and caveats come from scenario files: they are data, never
        # markup, so a "$" is drawn as a dollar sign and "$x^2$" as typed. Every
        # text this room draws is set inside use_style, so this one setting covers
        # titles, labels, legends, tick labels and the brief's pages.
        "text.parse_math": False,
    }


@contextlib.contextmanager
def use_style(lang: str) -> Iterator[None]:
    """Apply the project style for ``lang`` inside the block only."""
    require_matplotlib()
    import matplotlib

    token = _NO_BOLD.set(lang == "ja")
    try:
        with matplotlib.rc_context(rc_params(lang)):
            yield
    finally:
        _NO_BOLD.reset(token)


def embolden(text: Any) -> Any:
    """Make a Text artist bold where the font has a bold face; else leave it regular."""
    text.set_fontweight(bold_weight())
    return text


def bold_weight() -> str:
    """The weight of emphasised text: "bold", or "normal" where the font has no bold face."""
    return "normal" if _NO_BOLD.get() else "bold"


def new_figure(ncols: int = 1, *, figsize: Sequence[float] = FIGSIZE,
               legend_row: bool = False) -> tuple[Any, list[Any]]:
    """A constrained-layout Figure on an Agg canvas and its ``ncols`` axes, side by side.

    With ``legend_row`` a blank, full-width axes is added under the panels for
    :func:`figure_legend` (it is ``fig.axes[-1]``, not among the axes returned),
    so the layout makes room for the legend above the footer.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=tuple(figsize), layout="constrained")
    FigureCanvasAgg(fig)
    if not legend_row:
        return fig, list(fig.subplots(1, ncols, squeeze=False)[0])
    gs = fig.add_gridspec(2, ncols, height_ratios=(1, 0.001))
    axes = [fig.add_subplot(gs[0, j]) for j in range(ncols)]
    legend_ax = fig.add_subplot(gs[1, :])
    legend_ax.axis("off")
    legend_ax.set_gid("legend_row")
    return fig, axes


def text_width(text: str) -> int:
    """Width of text in half-width cells: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> list[str]:
    # Words with their trailing space; CJK characters one by one (CJK text may
    # break anywhere). Closing marks ("）。") stay with what comes before them and
    # opening marks ("（") with what follows, so no line starts or ends with one.
    # A no-break space (U+00A0) is part of its word: "USD 5,184 M" stays on one line.
    return re.findall(rf"[（「]*[^ \t\n{_CJK}]+[、。）」]*[ \t]*|[（「]*[{_CJK}][、。）」\])]*|[ \t]+",
                      text)


def wrap(text: str, width: float, measure: Callable[[str], float] = text_width) -> str:
    """Break ``text`` into lines no wider than ``width`` (at spaces; anywhere in CJK).

    ``measure`` gives a line's width (default: half-width cells). Existing line
    breaks are kept; each paragraph is wrapped on its own.
    """
    if "\n" in text:
        return "\n".join(wrap(part, width, measure) for part in text.split("\n"))
    lines, line = [], ""
    for tok in _tokens(text):
        if line and measure(line + tok.rstrip()) > width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    lines.append(line.rstrip())
    return "\n".join(lines)


def renderer_of(fig: Any) -> Any:
    """The renderer that text is measured with: the canvas's own (Agg, as in the
    report and in notebooks), else, for a caller's Figure without a drawing canvas
    (plot.* with ax=...), an Agg renderer of the figure's size."""
    get = getattr(fig.canvas, "get_renderer", None)
    if get is not None:
        return get()
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)


def wrap_in(fig: Any, text: str, width_frac: float, size: float, weight: str = "normal") -> str:
    """Wrap ``text`` to ``width_frac`` of the figure's width, measured in the current font."""
    from matplotlib.font_manager import FontProperties

    renderer = renderer_of(fig)
    prop = FontProperties(size=size, weight=weight)
    # PDF viewers set text a few percent wider than the screen renderer measures.
    limit = 0.94 * width_frac * fig.bbox.width

    def measure(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

    return wrap(text, limit, measure)


def finish(fig: Any, title: str, footer: str, caveat: str = "", note: str = "") -> Any:
    """Put the finding as the figure title and the footer lines at the bottom.

    The footer is two lines: ``caveat`` (the scenario's warning, so that a figure
    copied out of the brief keeps it) and ``note`` (what the bands are, said once
    per figure) above, the provenance ``footer`` below.
    """
    import matplotlib

    size = matplotlib.rcParams["figure.titlesize"]
    sup = fig.suptitle(wrap_in(fig, title, 0.97, size, bold_weight()), x=0.012, ha="left")
    embolden(sup)
    fig.set_label(title)  # the finding, unwrapped, for the brief's text
    footer_lines(fig, footer, caveat, note)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0, FOOTER_SPACE, 1, 1 - FOOTER_SPACE))
    return fig


def footer_lines(fig: Any, footer: str, caveat: str = "", note: str = "") -> None:
    """The two footer lines of a page or figure (see :func:`finish`); gids ``footer``,
    ``caveat`` and ``band_note`` let tests find them."""
    y1, y2 = 0.012, 0.012 + 1.9 * FOOTER_SIZE / 72 / fig.get_figheight()
    fig.text(0.012, y1, footer, ha="left", va="bottom", fontsize=FOOTER_SIZE,
             color="#666666", gid="footer")
    if caveat:
        fig.text(0.012, y2, caveat, ha="left", va="bottom", fontsize=FOOTER_SIZE + 1,
                 color=CAVEAT_COLOR, fontweight=bold_weight(), gid="caveat")
    if note:  # right-aligned, leaving the corner to the page number
        fig.text(0.91, y2, note, ha="right", va="bottom", fontsize=FOOTER_SIZE,
                 color="#666666", gid="band_note")


def page_number(fig: Any, text: str) -> Any:
    """Put ``3 / 10`` at the bottom right of a page; returns the artist (to remove it
    after the page is written, so the figure file keeps no page number)."""
    y2 = 0.012 + 1.9 * FOOTER_SIZE / 72 / fig.get_figheight()
    return fig.text(0.988, y2, text, ha="right", va="bottom", fontsize=FOOTER_SIZE + 1,
                    color="#333333", fontweight=bold_weight(), gid="page_number")


def band(ax: Any, x: Sequence[float], lo: Sequence[float], hi: Sequence[float],
         color: str, gid: str) -> Any:
    """A 95% CI band; ``gid`` lets tests find it again."""
    poly = ax.fill_between(x, lo, hi, color=color, alpha=BAND_ALPHA, linewidth=0)
    poly.set_gid(gid)
    return poly


def ci_note(msg: Any, key: str, bands: Sequence[tuple[Any, Sequence[float]]]) -> str:
    """What the bands are (message ``key``), or that they are thinner than the lines.

    With many trials a 95% band can be thinner than the line drawn over it; the
    note then says so, rather than leave the reader looking for it. ``bands``
    pairs each Axes with the widest extents of the bands drawn on it.
    """
    def visible(ax: Any, widths: Sequence[float]) -> bool:
        lo, hi = ax.get_ylim()
        return max(widths, default=0.0) > VISIBLE_BAND * (hi - lo)

    return msg(key if any(visible(ax, w) for ax, w in bands) else "band_note_narrow")


def figure_legend(fig: Any, title: str = "") -> None:
    """One legend for all panels, in the row under them (see :func:`new_figure`).

    Series that cross every corner of a panel (several layers, two costs)
    leave no room for a legend inside.
    """
    *panels, row = fig.axes
    handles, labels = [], []
    for ax in panels:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    # Long labels (sites with their bases named) take fewer columns, so the row fits;
    # a wide (CJK) character counts as two.
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    longest = max((width(lab) for lab in labels), default=0)
    ncols = 4 if longest <= 24 else 3 if longest <= 30 else 2
    row.legend(handles, labels, loc="center", ncols=min(len(labels), ncols),
               title=title or None, title_fontsize=11)


#: A probability curve within this of 0 or of 1 over its whole range is "flat"
#: (98% to 100% everywhere reads as "always", and the title says it in words).
FLAT_TOL = 0.02


def is_flat(*series: Any) -> bool:
    """True when every value of every series is within :data:`FLAT_TOL` of 0, or
    every value within it of 1: a panel that would show a line along its edge and
    tell the reader nothing a sentence cannot."""
    import numpy as np

    v = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in series])
    v = v[np.isfinite(v)]
    return v.size == 0 or bool(np.all(v <= FLAT_TOL) or np.all(v >= 1 - FLAT_TOL))


def integer_ticks(axis: Any) -> None:
    """Whole-number ticks only, for counts (fire units, shots)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def percent_axis(ax: Any, top: float = 1.0) -> None:
    """A probability y axis from 0 to ``top``, labelled in percent."""
    from matplotlib.ticker import PercentFormatter

    ax.set_ylim(-0.02 * top, top * 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"png,svg"`` -> ``("png", "svg")``.

    Raises
    ------
    ReportError
        For an empty list or a format other than png, svg and pdf.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    out = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in items if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise ReportError(f"--format {text!r}: expected a comma list of {', '.join(FORMATS)}")
    return out


def save(fig: Any, stem: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``stem.<fmt>`` for every format; return the paths.

    Each file is written beside its target and renamed over it only when whole
    (:func:`saturation_sim._io.atomic_path`): a full disk leaves the previous
    figure, never a truncated one.
    """
    from .._io import atomic_path

    paths = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        # A fixed creation date in PDF and SVG keeps reruns byte-identical.
        meta = {"CreationDate": None} if fmt == "pdf" else ({"Date": None} if fmt == "svg" else {})
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata=meta)
        paths.append(path)
    return paths
