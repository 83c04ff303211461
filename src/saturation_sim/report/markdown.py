"""brief.md: the brief's numbers, findings and figure links in GitHub Markdown."""

from __future__ import annotations

from typing import Any, Sequence

from ..scenario import Scenario
from .i18n import Messages
from .tables import Table, markdown, scenario_tables


def brief_markdown(scenario: Scenario, msg: Messages, text: dict[str, Any], headline: str,
                   numbers: Table, findings: Sequence[str],
                   figures: Sequence[tuple[str, str]], footer: str) -> str:
    """The Markdown brief.

    Parameters
    ----------
    text
        ``title`` and the method ``lines`` of the first page.
    figures
        ``(finding, relative path of the PNG)`` per figure, in order.
    """
    out = [f"# {text['title']}", "", f"**{headline}**", ""]
    out += [line + "  " for line in text["lines"] + [text["sweeps"]]] + [""]
    if numbers.rows:
        out += [f"## {msg('key_numbers')}", "", markdown(numbers), ""]
    out += [f"- {f}" for f in findings] + [""]
    out += [f"## {msg('scenario_table')}: {scenario.name}", ""]
    if scenario.description.strip():
        out += [" ".join(scenario.description.split()), ""]
    for heading, table in scenario_tables(scenario, msg):
        out += [f"### {heading}", "", markdown(table), ""]
    out += [f"## {msg('figures')}", ""]
    for finding, path in figures:
        out += [f"### {finding}", "", f"![{finding}]({path})", ""]
    out += ["---", "", f"<sub>{footer}</sub>", ""]
    return "\n".join(out)
