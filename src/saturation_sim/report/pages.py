"""The text pages of brief.pdf: bottom line, key numbers, assumptions, limits.

Pages are Figures of the same 16:9 size as the charts, so the PDF reads as a
slide deck. A :class:`Document` fills pages top-down: each block is placed
under the measured height of the one before, and a block that does not fit
above the footer goes on a new page (a table continues there under its
repeated header) instead of being shrunk or cut. Type is never set below
:data:`MIN_PT`. Table cells are wrapped to their column's measured width, and
every cell's text, and every paragraph, carries the gid ``cell:<left>:<right>``
(the edges it was wrapped to, in figure fraction) so tests can check that no
text leaves its room.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .style import FIGSIZE, FOOTER_SPACE, PALETTE, bold_weight, wrap
from .tables import Table

INK = "#222222"
MUTED = "#555555"
LEFT = 0.04
WIDTH = 0.92
TOP = 0.95
#: Lowest point of the content (figure fraction): the footer lines sit below.
BOTTOM = FOOTER_SPACE + 0.01
#: Smallest type on any page, in points.
MIN_PT = 9.0
#: Padding each side of a cell's text, in points.
PAD_PT = 5.0
BOX_FILL = "#eef3f8"
#: Text is wrapped to this share of the width it may fill: widths are measured
#: with the screen renderer, and PDF viewers set the same text a few percent wider.
WRAP_SLACK = 0.94


def _bounds(left: float, right: float) -> str:
    """The gid that records the horizontal room a text was wrapped to (figure fraction)."""
    return f"cell:{left:.5f}:{right:.5f}"


class Document:
    """Pages filled top-down; ``y`` is the top of the next block (figure fraction).

    Parameters
    ----------
    continued
        Title of a page that continues the block of the page before, from the
        block's own heading: ``continued("Assumptions")``.
    """

    def __init__(self, continued: Callable[[str], str]):
        self.pages: list[Any] = []
        self.continued = continued
        self.fig: Any = None
        self.y = TOP
        self.heading = ""

    # --- pages ------------------------------------------------------------------
    def new_page(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=FIGSIZE)
        FigureCanvasAgg(self.fig)
        self.renderer = self.fig.canvas.get_renderer()
        self.pages.append(self.fig)
        self.y = TOP

    def _room(self, height: float) -> None:
        """Start a new page (with a continuation title) if ``height`` does not fit."""
        if self.fig is None:
            self.new_page()
        elif self.y - height < BOTTOM and self.y < TOP:
            self.new_page()
            if self.heading:
                self.text(self.continued(self.heading), 16, gap=0.015, bold=True,
                          keep_heading=True)

    def _height(self, lines: int, size: float, spacing: float = 1.2) -> float:
        return lines * size * spacing / 72 / FIGSIZE[1]

    # --- blocks -------------------------------------------------------------------
    def text(self, text: str, size: float, gap: float = 0.02, bold: bool = False,
             color: str = INK, indent: float = 0.0, width: float = WIDTH,
             keep_heading: bool = False, spacing: float = 1.25) -> None:
        """A paragraph wrapped to the page's width, then ``gap`` of space; a
        paragraph too long for the page's rest continues on the next page."""
        size = max(size, MIN_PT)
        if self.fig is None:
            self.new_page()
        weight = bold_weight() if bold else "normal"
        lines = self._wrap(text, width * FIGSIZE[0] * 72, size, weight).split("\n")
        while lines:
            fit = int((self.y - BOTTOM) / self._height(1, size, spacing))
            if fit < 1 or (fit < len(lines) and fit < 3 and self.y < TOP - 0.1):
                self._room(1.0)  # too little room left: the paragraph starts afresh
                continue
            part, lines = lines[:fit], lines[fit:]
            self.fig.text(LEFT + indent, self.y, "\n".join(part), fontsize=size, va="top",
                          ha="left", color=color, fontweight=weight, linespacing=spacing,
                          gid=_bounds(LEFT + indent, LEFT + indent + width))
            self.y -= self._height(len(part), size, spacing)
            if lines:
                self._room(1.0)
        self.y -= gap
        if bold and not keep_heading and size >= 13:
            self.heading = text

    def bullets(self, items: Sequence[str], size: float, gap: float = 0.02,
                spacing: float = 1.3) -> None:
        """A list of paragraphs, each with a bullet and a hanging indent."""
        indent = 0.022
        for item in items:
            if self.fig is None or self.y - self._height(1, size, spacing) < BOTTOM:
                self._room(1.0)
            self.fig.text(LEFT, self.y, "•", fontsize=size, va="top", ha="left", color=INK)
            self.text(item, size, gap=0.008, indent=indent, width=WIDTH - indent,
                      spacing=spacing)
        self.y -= gap

    def box(self, heading: str, text: str, size: float = 12.5, gap: float = 0.03) -> None:
        """A shaded box with a bold heading and a paragraph (the naive-count box)."""
        from matplotlib.patches import FancyBboxPatch

        inner = WIDTH - 0.03
        body = self._wrap(text, inner * FIGSIZE[0] * 72, size, "normal")
        n = body.count("\n") + 1
        h = self._height(1, size + 1, 1.3) + self._height(n, size, 1.3) + 0.03
        self._room(h)
        self.fig.add_artist(FancyBboxPatch((LEFT, self.y - h), WIDTH, h,
                                           boxstyle="round,pad=0,rounding_size=0.008",
                                           transform=self.fig.transFigure, facecolor=BOX_FILL,
                                           edgecolor=PALETTE[0], linewidth=1.0))
        y = self.y - 0.015
        inside = _bounds(LEFT, LEFT + WIDTH)
        self.fig.text(LEFT + 0.015, y, heading, fontsize=size + 1, va="top", ha="left",
                      color=PALETTE[0], fontweight=bold_weight(), gid=inside)
        y -= self._height(1, size + 1, 1.3)
        self.fig.text(LEFT + 0.015, y, body, fontsize=size, va="top", ha="left", color=INK,
                      linespacing=1.3, gid=inside)
        self.y -= h + gap

    def table(self, table: Table, size: float = 11.5, gap: float = 0.035,
              caps: Sequence[float] | None = None) -> None:
        """A table the full width of the page, continued on the next page (under its
        repeated header) where it does not fit.

        Columns are as wide as their widest text up to ``caps`` (share of the
        page per column); text wider than its column is wrapped, never cut,
        never set smaller than :data:`MIN_PT`.
        """
        size = max(size, MIN_PT)
        if self.fig is None:
            self.new_page()
        widths = self._column_widths(table, size, caps)
        edges = [LEFT]
        for w in widths:
            edges.append(edges[-1] + w)
        header = self._cells(table.header, widths, size, bold_weight())
        rows = [self._cells(r, widths, size, "normal") for r in table.rows]
        line_h = self._height(1, size, 1.25)
        pad = 0.6 * line_h

        def height(cells: list[str]) -> float:
            return max(c.count("\n") + 1 for c in cells) * line_h + pad

        self._room(height(header) + (height(rows[0]) if rows else 0))
        self._row(header, edges, size, height(header), bold=True)
        for k, cells in enumerate(rows):
            need = height(cells)
            if len(cells) == 1 and k + 1 < len(rows):  # a section heading keeps its first row
                need += height(rows[k + 1])
            if self.y - need < BOTTOM:
                self._room(1.0)
                self._row(header, edges, size, height(header), bold=True)
            self._row(cells, edges, size, height(cells), section=len(cells) == 1)
        self.y -= gap

    # --- table internals ------------------------------------------------------------
    def _measure(self, text: str, size: float, weight: str) -> float:
        """Width of one line of text, in points."""
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(size=size, weight=weight)
        w = self.renderer.get_text_width_height_descent(text, prop, ismath=False)[0]
        return w * 72 / self.fig.dpi

    def _wrap(self, text: str, width_pt: float, size: float, weight: str) -> str:
        return wrap(text, WRAP_SLACK * width_pt, lambda s: self._measure(s, size, weight))

    def _column_widths(self, table: Table, size: float,
                       caps: Sequence[float] | None) -> list[float]:
        """Column widths in figure fraction, summing to WIDTH.

        Each column is as wide as its widest line of text, but no wider than its
        cap (a share of the page). A table too wide for the page wraps its
        headers first, then its body text, never narrower than its longest
        word. Width left over goes to the columns that were capped, in
        proportion to what they lack.
        """
        from .style import _tokens

        n = len(table.header)
        page_pt = WIDTH * FIGSIZE[0] * 72
        body = [r for r in table.rows if len(r) == n]

        def width(text: str, weight: str) -> float:
            return max(self._measure(line, size, weight) for line in text.split("\n"))

        def word(text: str, weight: str) -> float:
            return max((self._measure(t.strip(), size, weight) for t in _tokens(text)),
                       default=0.0)

        pad = 2 * PAD_PT
        natural, body_only, least = [], [], []
        for j in range(n):
            head = table.header[j]
            body_w = max([width(r[j], "normal") for r in body] + [word(head, bold_weight())])
            body_only.append(body_w / WRAP_SLACK + pad)
            natural.append(max(body_w, width(head, bold_weight())) / WRAP_SLACK + pad)
            least.append(max([word(r[j], "normal") for r in body] +
                             [word(head, bold_weight())]) / WRAP_SLACK + pad)
        caps = list(caps) if caps is not None else [1.0] * n
        widths = [max(lo, min(nat, c * page_pt)) for lo, nat, c in zip(least, natural, caps)]
        # Too wide: wrap headers first, then body text, never below the longest word.
        for floor in ([max(lo, min(b, w)) for lo, b, w in zip(least, body_only, widths)], least):
            over = sum(widths) - page_pt
            if over <= 0:
                break
            give = [w - f for w, f in zip(widths, floor)]
            cut = min(1.0, over / max(sum(give), 1e-9))
            widths = [w - g * cut for w, g in zip(widths, give)]
        spare = page_pt - sum(widths)
        if spare > 0:
            lack = [nat - w for nat, w in zip(natural, widths)]
            weights = lack if sum(lack) > 1e-6 else widths
            widths = [w + spare * k / sum(weights) for w, k in zip(widths, weights)]
        return [w / 72 / FIGSIZE[0] for w in widths]

    def _cells(self, cells: list[str], widths: list[float], size: float,
               weight: str) -> list[str]:
        if len(cells) == 1:  # a section heading spans the table
            return [self._wrap(cells[0], WIDTH * FIGSIZE[0] * 72 - 2 * PAD_PT, size,
                               bold_weight())]
        return [self._wrap(c, w * FIGSIZE[0] * 72 - 2 * PAD_PT, size, weight)
                for c, w in zip(cells, widths)]

    def _row(self, cells: list[str], edges: list[float], size: float, h: float,
             bold: bool = False, section: bool = False) -> None:
        from matplotlib.lines import Line2D

        pad = PAD_PT / 72 / FIGSIZE[0]
        top = self.y - 0.3 * self._height(1, size, 1.25)
        if section:
            cells_edges = [(cells[0], edges[0], edges[-1])]
        else:
            cells_edges = [(c, edges[j], edges[j + 1]) for j, c in enumerate(cells)]
        for text, a, b in cells_edges:
            self.fig.text(a + pad, top, text, fontsize=size, va="top", ha="left",
                          color=PALETTE[0] if section else INK, linespacing=1.25,
                          fontweight=bold_weight() if (bold or section) else "normal",
                          gid=_bounds(a, b))
        self.y -= h
        if bold or section:
            self.fig.add_artist(Line2D([edges[0], edges[-1]], [self.y, self.y],
                                       transform=self.fig.transFigure, color="#999999",
                                       linewidth=0.8))
