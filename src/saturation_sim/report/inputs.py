"""Every input of a scenario, with its unit, source tag and range, for the assumptions pages.

Scenario files document each number in a comment on its line: either the
public source it comes from (a publication and its year), or the tag
``ASSUMPTION`` with a plausible range ("range 2-6", "sspk 0.3-0.8"). A comment
that is neither is shown as the author's note. The schema does not keep comments, so this
module reads them back from the file the scenario was loaded from, by table
and key. A scenario built in memory, or a number without a comment, shows a
dash: the page then says plainly that nothing is documented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from ..scenario import Scenario
from ..scenario.keys import parse_key
from . import names
from .i18n import Messages
from .tables import Table

_KEY_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\[?\s*([\w.]+)\s*\]\]?")
#: "range 2-6", "sspk 0.3-0.8", "range 90-300 s": a range of the number itself, so
#: followed by a closing mark, not by a noun ("range: 1-4 salvos" is another quantity).
_RANGE = re.compile(r"(?:range:?|sspk)\s+(\d[\d.,]*\s*[-–]\s*\d[\d.,]*)(?:\s*s\b)?"
                    r"(?=\s*[);,]|\s*$)")
#: A comment that cites a publication names its year ("MOD Japan, 2025"); one that
#: does not is the author's remark, not a source.
_CITATION = re.compile(r"\b(19|20)\d\d\b")
_COST_UNIT = re.compile(r"\bUSD\s*(M|B|k)\b")


@dataclass
class Note:
    """What a scenario file's comment says about one number."""

    tag: str  # "assumption", "source" (cites a dated publication) or "note"
    text: str  # the comment, without the ASSUMPTION tag
    range: str  # "2-6", or ""


def _comment(line: str) -> str:
    """The text after the first ``#`` outside a quoted string."""
    quote = ""
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[i + 1:].strip()
    return ""


def read_notes(path: str | Path) -> dict[tuple[str, int, str], Note]:
    """The comments of a scenario file by (table, index, key).

    ``table`` is ``""`` for top-level keys, ``"threats"`` / ``"layers"`` with the
    0-based index of the array item, or another table's name (index 0). An
    ``engage.DF26 = ...`` line gives key ``engage.DF26``. Missing or unreadable
    files give no notes.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    notes: dict[tuple[str, int, str], Note] = {}
    table, counts = "", {"threats": -1, "layers": -1, "assets": -1}
    in_string = False
    for line in text.splitlines():
        if line.count('"""') % 2:
            in_string = not in_string
            continue
        if in_string:
            continue
        m = _TABLE_LINE.match(line)
        if m and not _KEY_LINE.match(line):
            table = m.group(1)
            if table in counts:
                counts[table] += 1
            continue
        m = _KEY_LINE.match(line)
        if not m:
            continue
        comment = _comment(line)
        if not comment:
            continue
        tag = ("assumption" if "ASSUMPTION" in comment
               else "source" if _CITATION.search(comment) else "note")
        body = re.sub(r"^ASSUMPTION\s*:?\s*", "", comment).strip()
        r = _RANGE.search(comment)
        notes[(table, max(counts.get(table, 0), 0), m.group(1))] = Note(
            tag, body, r.group(1).replace(" ", "") if r else "")
    return notes


def cost_unit(s: Scenario, msg: Messages) -> str:
    """The unit of the scenario's costs as its comments give it ("USD M"), else a
    neutral phrase: the schema has no unit, so nothing is invented."""
    for note in read_notes(s.source).values():
        m = _COST_UNIT.search(note.text)
        if m:
            return f"USD {m.group(1)}"
    return msg("cost_unit_default")


def inputs_table(s: Scenario, msg: Messages) -> Table:
    """Every input, grouped by threat group and layer: value, unit, source tag,
    range and the file's note. Section rows (one cell) head each group."""

    notes = read_notes(s.source)
    # Where the scenario samples a number ([uncertainty]), its range is the one sampled.
    sampled = distributions(s, msg)
    unit_cost = cost_unit(s, msg)
    rows: list[list[str]] = []

    def add(table: str, i: int, key: str, label: str, value: str, unit: str) -> None:
        n = notes.get((table, i, key))
        tag = msg(f"tag_{n.tag}") if n else msg("none")
        note = n.text if n else ""
        if msg.lang == "ja":  # the Japanese font draws an ASCII tilde as an overline
            note = note.replace("~", "～")
        rng = sampled.get((table, i, key)) or (n.range if n and n.range else msg("none"))
        rows.append([label, value, unit, tag, rng, note])

    rows.append([msg("inputs_scenario")])
    add("counterstrike", 0, "prelaunch_kill", msg("in_prelaunch"), f"{s.prelaunch_kill:g}",
        msg("unit_probability"))
    if s.assets:  # issue 17: what is defended, and what a leaker there weighs
        rows.append([msg("inputs_assets")])
        for i, a in enumerate(s.assets):
            add("assets", i, "value", msg("in_site_value", site=names.asset_label(a, msg)),
                f"{a.value:g}", msg("unit_value"))
    for i, t in enumerate(s.threats):
        rows.append([f"{msg('inputs_threat')}: {names.threat_label(t, msg)}"])
        add("threats", i, "count", msg("in_count"), msg.number(t.count), msg(f"unit_{t.kind}"))
        add("threats", i, "launch", msg("in_launch"), _launch(t, msg), msg("unit_s_raid"))
        if t.cost is not None:
            add("threats", i, "cost", msg("in_cost_missile"), f"{t.cost:g}", unit_cost)
        if t.prelaunch_kill is not None:
            add("threats", i, "prelaunch_kill", msg("in_prelaunch"), f"{t.prelaunch_kill:g}",
                msg("unit_probability"))
        if t.targets is not None:
            add("threats", i, "targets", msg("in_targets"), _shares(s, t.targets, msg),
                msg("unit_share"))
    for i, lay in enumerate(s.layers):
        rows.append([f"{msg('inputs_layer')}: {names.layer_label(lay, msg)}"])
        noun = names.unit_noun(lay, msg)
        for key, value, unit in (
                ("fire_units", msg.number(lay.fire_units), noun),
                ("channels_per_unit", str(lay.channels_per_unit), msg("unit_per", noun=noun)),
                ("interceptors_per_unit", str(lay.interceptors_per_unit),
                 msg("unit_per", noun=noun)),
                ("shots_per_engagement", str(lay.shots_per_engagement), msg("unit_shots")),
                ("max_engagements", str(lay.max_engagements), msg("unit_engagements")),
                ("flyout_s", f"{lay.flyout_s:g}", msg("unit_seconds")),
                ("reliability", f"{lay.reliability:g}", msg("unit_probability")),
                ("detection", f"{lay.detection:g}", msg("unit_probability")),
                ("discrimination", f"{lay.discrimination:g}", msg("unit_share")),
                ("availability", f"{lay.availability:g}", msg("unit_probability"))):
            label = msg("in_fire_units", noun=noun) if key == "fire_units" else msg(f"in_{key}")
            add("layers", i, key, label, value, unit)
        if lay.interceptor_cost is not None:
            add("layers", i, "interceptor_cost", msg("in_interceptor_cost"),
                f"{lay.interceptor_cost:g}", unit_cost)
        if s.assets:
            _sites(s, lay, i, add, msg, noun)
        if lay.track_capacity is not None:
            add("layers", i, "track_capacity", msg("in_track_capacity"),
                msg.number(lay.track_capacity), msg("unit_tracks"))
        for threat, e in lay.engage.items():
            add("layers", i, f"engage.{threat}",
                msg("in_engage", threat=names.threat_by_name(s, threat, msg)),
                msg("engage_value", sspk=f"{e.sspk:g}", a=f"{e.window_s[0]:g}",
                    b=f"{e.window_s[1]:g}"), msg("unit_engage"))
    header = [msg("col_input"), msg("col_value"), msg("col_unit"), msg("col_source"),
              msg("col_range"), msg("col_note")]
    if not notes and not sampled:  # nothing documented: the dashes say so; an empty column would not
        header = header[:-1]
        rows = [r if len(r) == 1 else r[:-1] for r in rows]
    return Table(header, rows)


def _shares(s: Scenario, shares: Any, msg: Messages) -> str:
    """``{"naha": 0.5, "open": 0.5}`` -> "Naha 0.5, open ground 0.5" (short labels)."""
    return msg("name_sep").join(f"{names.target_label(s, k, msg, short=True)} {v:g}"
                                for k, v in shares.items())


def _sites(s: Scenario, lay: Any, i: int, add: Any, msg: Messages, noun: str) -> None:
    """A layer's rows on what it defends: point or area defence, and open ground."""
    if lay.defends is None:
        add("layers", i, "engage_open", msg("in_area"),
            msg("area_open") if lay.engage_open else msg("area_no_open"), "")
    elif lay.fire_units_at is not None:
        add("layers", i, "fire_units_at", msg("in_fire_units_at", noun=noun),
            msg("name_sep").join(f"{names.target_label(s, k, msg, short=True)} {v}"
                                 for k, v in lay.fire_units_at.items()), noun)
    else:
        add("layers", i, "defends", msg("in_defends"),
            msg("name_sep").join(names.target_label(s, k, msg, short=True)
                                 for k in lay.defends), "")


def _launch(t, msg: Messages) -> str:
    la = t.launch
    if la.pattern == "uniform":
        return msg("launch_uniform", a=f"{la.start_s:g}", b=f"{la.start_s + la.span_s:g}")
    if la.pattern == "simultaneous":
        return msg("launch_simultaneous", t=f"{la.at_s[0]:g}")
    return msg("launch_waves", waves=", ".join(f"{n}@{a:g}" for a, n in zip(la.at_s, la.count)))


def distribution_text(inp: Any, msg: Messages) -> str:
    """An ``[uncertainty]`` entry for the assumptions table: "0.3–0.8, mode 0.6 (triangular)"."""
    if inp.dist == "choice":
        values = ", ".join(f"{v:g}" for v in inp.param("values"))
        return msg("dist_choice", values=values, dist=msg("dist_choice_name"))
    lo, hi = inp.support
    name = msg(f"dist_{inp.dist}")
    if inp.dist == "triangular":
        return msg("dist_range_mode", lo=f"{lo:g}", hi=f"{hi:g}", mode=f"{inp.param('mode'):g}",
                   dist=name)
    return msg("dist_range", lo=f"{lo:g}", hi=f"{hi:g}", dist=name)


def distributions(scenario: Scenario, msg: Messages) -> dict[tuple[str, int, str], str]:
    """The ``[uncertainty]`` ranges by assumptions-table row ``(table, index, key)``
    (the keys of :func:`.inputs.read_notes`): an engagement row (SSPK and window)
    joins its entries, each named."""
    out: dict[tuple[str, int, str], list[str]] = {}
    for inp in scenario.uncertainty or ():
        path = parse_key(inp.key, scenario).path
        text = distribution_text(inp, msg)
        if path and path[0] == "counterstrike":
            row = ("counterstrike", 0, str(path[-1]))
        elif len(path) >= 5 and path[2] == "engage":
            row = ("layers", int(path[1]), f"engage.{path[3]}")
            part = "dist_sspk" if path[4] == "sspk" else f"dist_window_{path[-1]}"
            text = msg(part, range=text)
        elif len(path) == 4 and path[2] == "targets":  # one site's share of a group's aim
            row = ("threats", int(path[1]), "targets")
            site = names.target_label(scenario, str(path[3]), msg, short=True)
            text = msg("dist_named", name=site, range=text)
        elif len(path) == 3:
            row = (str(path[0]), int(path[1]), str(path[2]))
        else:
            continue
        out.setdefault(row, []).append(text)
    return {row: msg("list_sep").join(texts) for row, texts in out.items()}
