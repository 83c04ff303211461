"""Display names: what a reader sees in place of the scenario's identifiers.

A scenario names its threat groups and layers with short identifiers
(``jasdf_pac3``) that sweep keys use; a brief shows their optional ``label``
(or ``label_ja``) instead, and counts a layer's fire units by its
``unit_noun`` ("ships"). Without a label, the identifier is shown with its
underscores as spaces, never worse than before.
"""

from __future__ import annotations

import re
from typing import Any

from ..scenario import Layer, Scenario, ThreatGroup
from .i18n import Messages

_CJK_CHAR = "[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"
_CJK = re.compile(rf"({_CJK_CHAR})\s+(?={_CJK_CHAR})")
#: Where a label's gloss in brackets begins: "Okinawa (Kadena, Naha)", "沖縄（嘉手納・那覇）".
GLOSS_MARKS = (" (", "（")


def _pick(en: str | None, ja: str | None, msg: Messages) -> str | None:
    return (ja or en) if msg.lang == "ja" else en


def _plain(identifier: str) -> str:
    return identifier.replace("_", " ")


def threat_label(t: ThreatGroup, msg: Messages) -> str:
    """A threat group's name for the reader, e.g. "DF-26 intermediate-range missiles"."""
    return _pick(t.label, t.label_ja, msg) or _plain(t.name)


def layer_label(lay: Layer, msg: Messages) -> str:
    """A layer's name for the reader, e.g. "JASDF Patriot PAC-3"."""
    return _pick(lay.label, lay.label_ja, msg) or _plain(lay.name)


def asset_label(a: Any, msg: Messages) -> str:
    """A defended asset's name for the reader, e.g. "Okinawa (Kadena, Naha)"."""
    return _pick(a.label, a.label_ja, msg) or _plain(a.name)


def target_label(s: Scenario, name: str, msg: Messages, short: bool = False) -> str:
    """What a threat group's aim ``name`` (an asset's identifier or ``open``) is
    for the reader. ``short`` drops the label's trailing gloss in brackets
    ("Okinawa" for "Okinawa (Kadena, Naha)"), for lists of shares next to a
    table that gives each site's whole label."""
    if name == "open":
        return msg("open_ground")
    asset = next((a for a in s.assets if a.name == name), None)
    if asset is None:
        return _plain(name)
    label = asset_label(asset, msg)
    return short_label(label) if short else label


def short_label(text: str) -> str:
    """A label without its gloss in brackets: "Okinawa (Kadena, Naha)" -> "Okinawa"."""
    cut = min((i for i in (text.find(m) for m in GLOSS_MARKS) if i > 0), default=len(text))
    return text[:cut].rstrip()


def unit_noun(lay: Layer, msg: Messages) -> str:
    """What the layer's fire units are, plural: "ships", "fire units"."""
    return _pick(lay.unit_noun, lay.unit_noun_ja, msg) or msg("fire_units_noun")


def units_phrase(lay: Layer, n: float, msg: Messages) -> str:
    """"4 ships", "1 fire unit" (English singular by the usual rule), "艦数4"."""
    noun = unit_noun(lay, msg)
    if msg.lang == "en" and n == 1:
        noun = re.sub(r"ies$", "y", noun) if noun.endswith("ies") else re.sub(r"s$", "", noun)
    return msg("units_phrase", n=msg.number(n), noun=noun)


def threat_by_name(s: Scenario, name: str, msg: Messages) -> str:
    return threat_label(s.threats[s.threat_index(name)], msg)


def layer_by_name(s: Scenario, name: str, msg: Messages) -> str:
    return layer_label(s.layers[s.layer_index(name)], msg)


def paragraph(text: str) -> str:
    """A TOML multi-line string as one paragraph: line breaks become spaces, except
    between two CJK characters, where Japanese puts none."""
    return _CJK.sub(r"\1", " ".join(text.split()))


def description(s: Scenario, msg: Messages) -> str:
    """The scenario's description in the brief's language, as one paragraph."""
    return paragraph(_pick(s.description, s.description_ja, msg) or "")


def scenario_name(s: Scenario, msg: Messages) -> str:
    """The scenario's name in the brief's language."""
    return _pick(s.name, s.name_ja, msg) or s.name


def caveat(s: Scenario, msg: Messages) -> str:
    """The scenario's caveat (shown in every footer), or "" when it has none."""
    return _pick(s.caveat, s.caveat_ja, msg) or ""
