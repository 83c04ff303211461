"""brief.md: the PDF brief's text, tables and figure links in GitHub Markdown."""

from __future__ import annotations

from typing import Any, Sequence

from ..scenario import Scenario
from .i18n import Messages
from .tables import Table, markdown


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
    out = [f"# {text['title']}", ""]
    if words["caveat"]:
        out += [f"**{words['caveat']}**", ""]
    out += [f"## {msg('bottom_line')}", "", words["bottom"], ""]
    if words["naive"]:
        out += [f"> **{msg('naive_heading')}.** {words['naive']}", ""]
    out += [line + "  " for line in text["lines"] + [text["sweeps"]]] + [""]
    if numbers.rows:
        out += [f"## {msg('key_numbers')}", "", markdown(numbers), ""]
    out += [f"## {msg('findings')}", ""] + [f"- {f}" for f in findings] + [""]
    out += [f"## {msg('assumptions')}", ""]
    if words["description"]:
        out += [words["description"], ""]
    out += [msg("assumptions_note"), "", markdown(assumptions), ""]
    out += [f"## {msg('figures')}", ""]
    for finding, path in figures:
        out += [f"### {finding}", "", f"![{finding}]({path})", ""]
    out += list(extra)
    out += [f"## {msg('limits')}", ""]
    for item in msg("limits_items").split("\n"):
        out += [f"- {item}"]
    out += ["", "---", ""]
    if words["caveat"]:
        out += [f"<sub>{words['caveat']}</sub>  "]
    out += [f"<sub>{footer}</sub>", ""]
    return "\n".join(out)
