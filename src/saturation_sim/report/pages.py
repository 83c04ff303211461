"""The text pages of brief.pdf: key numbers first, then the scenario.

Pages are Figures of the same 16:9 size as the charts, so the PDF reads as a
slide deck. Blocks flow down the page: each is placed under the measured
height of the one before, so wrapped text never runs into a table. Tables are
matplotlib tables stripped to horizontal rules.
"""

from __future__ import annotations

from typing import Any, Sequence

from .style import FIGSIZE, PALETTE, bold_weight, embolden, wrap_in
from .tables import Table

INK = "#222222"
MUTED = "#555555"
LEFT = 0.04
WIDTH = 0.92
#: Height of one table row, in inches, when the page has room.
ROW_IN = 0.32
#: Lowest point of the content (figure fraction): the footer sits below.
BOTTOM = 0.05


class _Flow:
    """A page filled top-down; ``y`` is the top of the next block (figure fraction)."""

    def __init__(self, footer: str):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=FIGSIZE)
        FigureCanvasAgg(self.fig)
        self.renderer = self.fig.canvas.get_renderer()
        self.y = 0.95
        self.fig.text(0.012, 0.012, footer, ha="left", va="bottom", fontsize=9.5,
                      color="#666666")

    def text(self, text: str, size: float, gap: float = 0.02, bold: bool = False,
             fit: bool = False, **kw: Any) -> None:
        """A paragraph wrapped to the page's width, then ``gap`` of space.

        With ``fit``, the type shrinks (to 60% at most) until the paragraph ends
        above the footer.
        """
        color = kw.pop("color", INK)
        for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6) if fit else (1.0,):
            body = wrap_in(self.fig, text, WIDTH, size * scale,
                           bold_weight() if bold else "normal")
            t = self.fig.text(LEFT, self.y, body, fontsize=size * scale, va="top", ha="left",
                              color=color, **kw)
            height = t.get_window_extent(self.renderer).height / self.fig.bbox.height
            if not fit or self.y - height >= BOTTOM or scale == 0.6:
                break
            t.remove()
        if bold:
            embolden(t)
        self.y -= height + gap

    def table(self, table: Table, fontsize: float = 12.5, gap: float = 0.04,
              row: float = ROW_IN / FIGSIZE[1]) -> None:
        """A table the full width of the page, ``row`` high per row (figure fraction),
        columns as wide as their longest text."""
        n = len(table.rows) + 1
        h = n * row
        ax = self.fig.add_axes((LEFT, self.y - h, WIDTH, h))
        ax.axis("off")
        self.y -= h + gap
        if not table.rows:
            return
        # Columns as wide as their widest text (measured); the font shrinks if the
        # natural width would not fit the page, or the rows are low.
        fontsize = min(fontsize, 0.6 * row * FIGSIZE[1] * 72)
        widths = [max(self._width(r[j], fontsize, bold_weight() if i == 0 else "normal")
                      for i, r in enumerate([table.header] + table.rows))
                  + 1.5 * fontsize * self.fig.dpi / 72
                  for j in range(len(table.header))]
        fontsize *= min(1.0, WIDTH * self.fig.bbox.width / sum(widths))
        t = ax.table(cellText=table.rows, colLabels=table.header, loc="upper center",
                     cellLoc="center", bbox=(0, 0, 1, 1))
        t.auto_set_font_size(False)
        t.set_fontsize(fontsize)
        for (r, col), cell in t.get_celld().items():
            cell.set_width(widths[col] / sum(widths))
            cell.set_edgecolor("#999999")
            cell.visible_edges = "B" if r in (0, n - 1) else ""
            if r == 0:
                embolden(cell.get_text())

    def _width(self, text: str, size: float, weight: str) -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=size, weight=weight)
        return self.renderer.get_text_width_height_descent(text, prop, ismath=False)[0]


def key_numbers_page(title: str, headline: str, lines: Sequence[str], numbers: Table,
                     heading: str, findings: Sequence[str], footer: str) -> Any:
    """Page 1: title, the headline finding, method, the 1x/2x/3x table, the other findings."""
    page = _Flow(footer)
    page.text(title, 20, bold=True)
    page.text(headline, 17, gap=0.03, color=PALETTE[0], bold=True)
    page.text("\n".join(lines), 11.5, gap=0.03, color=MUTED, linespacing=1.4)
    if numbers.rows:
        page.text(heading, 14, gap=0.012, bold=True)
        page.table(numbers)
    page.text("\n".join("•  " + f for f in findings), 12.5, fit=True, linespacing=1.45)
    return page.fig


def scenario_page(title: str, description: str, blocks: Sequence[tuple[str, Table]],
                  footer: str) -> Any:
    """Page 2: the scenario's description, then each (heading, table) block."""
    page = _Flow(footer)
    page.text(title, 20, bold=True)
    size = 11.5
    desc = wrap_in(page.fig, " ".join(description.split()), WIDTH, size).split("\n")
    if len(desc) > 3:  # a slide is no place for the whole file's notes
        desc = desc[:3]
        desc[-1] = desc[-1].rstrip(" .") + " …"
    if any(desc):
        page.text("\n".join(desc), size, gap=0.03, color=MUTED)
    # Rows share the height left after headings and gaps, up to ROW_IN each.
    heading_h, gap = 0.05, 0.03
    left = page.y - BOTTOM - len(blocks) * (heading_h + gap)
    rows = sum(len(t.rows) + 1 for _, t in blocks)
    row = min(ROW_IN / FIGSIZE[1], left / max(rows, 1))
    for heading, table in blocks:
        page.text(heading, 13.5, gap=0.008, bold=True)
        page.table(table, fontsize=12, gap=gap, row=row)
    return page.fig
