"""brief.md: the PDF brief's text, tables and figure links in GitHub Markdown.

Names, labels, descriptions, caveats and the scenario file's comments are data,
never markup: every text put into the Markdown passes through :func:`escape`,
so a layer named ``*_[x](y)_*``, ``$x^2$`` or ``# 1`` reads as typed and can
neither format the page, open a link nor start a heading, a list or a table cell.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..scenario import Scenario
from .i18n import Messages, limits
from .tables import Table

#: Characters that are markup anywhere in a line of GitHub Markdown: emphasis,
#: code, links and images, HTML and autolinks, entities, table cells,
#: strikethrough, math, headings.
_ALWAYS = re.compile(r"([\\`*_\[\]<>&|~$#])")
#: Markers that start a block when they open a line: list items and thematic
#: breaks, setext underlines, ordered list numbers ("1. " or "1) ").
_LINE_START = re.compile(r"(?m)^(\s*)([-+=])|^(\s*\d+)([.)])(?=\s|$)")


def escape(text: str, inline: bool = False) -> str:
    """``text`` as literal Markdown: what a reader sees is the text as typed.

    ``inline`` for text that never opens a line (a table cell): only the
    characters that are markup anywhere are escaped.
    """
    text = _ALWAYS.sub(r"\\\1", text)
    if inline:
        return text
    return _LINE_START.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(2)
                           else (m.group(3) + "\\" + m.group(4)), text)


def table(t: Table) -> str:
    """The table in GitHub Markdown, every cell escaped (:func:`escape`; line breaks in a
    cell become spaces); a one-cell section row becomes a bold first cell."""
    n = len(t.header)

    def row(cells: list[str]) -> str:
        cells = [escape(" ".join(c.split()), inline=True) for c in cells]
        if len(cells) == 1 and n > 1:
            cells = [f"**{cells[0]}**"] + [""] * (n - 1)
        return "| " + " | ".join(cells) + " |"
    lines = [row(t.header), "|" + "---|" * n]
    return "\n".join(lines + [row(r) for r in t.rows])


def brief_markdown(scenario: Scenario, msg: Messages, text: dict[str, Any],
                   words: dict[str, str], numbers: Table, findings: Sequence[str],
                   assumptions: Table, figures: Sequence[tuple[str, str]],
                   footer: str, extra: Sequence[str] = ()) -> str:
    """The Markdown brief, in the order of the PDF.

    Parameters
    ----------
    text
        ``title``, the method ``lines`` and the ``sweeps`` note.
    words
        ``bottom`` (the bottom line), ``naive`` (the naive-count box),
        ``description`` and ``caveat``.
    figures
        ``(finding, relative path of the PNG)`` per figure, in order.
    extra
        Markdown lines after the figures, before the limits ("How sure are we",
        "What drives the answer").
    """
    e = escape
    out = [f"# {e(text['title'])}", ""]
    if words["caveat"]:
        out += [f"**{e(words['caveat'])}**", ""]
    out += [f"## {e(msg('bottom_line'))}", "", e(words["bottom"]), ""]
    if words["naive"]:
        out += [f"> **{e(msg('naive_heading'))}.** {e(words['naive'])}", ""]
    out += [e(line) + "  " for line in text["lines"] + [text["sweeps"]]] + [""]
    if numbers.rows:
        out += [f"## {e(msg('key_numbers'))}", "", table(numbers), ""]
    out += [f"## {e(msg('findings'))}", ""] + [f"- {e(f)}" for f in findings] + [""]
    out += [f"## {e(msg('assumptions'))}", ""]
    if words["description"]:
        out += [e(words["description"]), ""]
    out += [e(msg("assumptions_note")), "", table(assumptions), ""]
    out += [f"## {e(msg('figures'))}", ""]
    for finding, path in figures:
        # The path is the brief's own file name (letters, digits, "_", "-", "."), never
        # the scenario's words, so it needs no escaping.
        out += [f"### {e(finding)}", "", f"![{e(finding)}]({path})", ""]
    out += list(extra)  # the uncertainty pages' Markdown, built with the same escaping
    out += [f"## {e(msg('limits'))}", ""]
    for item in limits(msg, scenario):
        out += [f"- {e(item)}"]
    out += ["", "---", ""]
    if words["caveat"]:
        out += [f"<sub>{e(words['caveat'])}</sub>  "]
    out += [f"<sub>{e(footer)}</sub>", ""]
    return "\n".join(out)
