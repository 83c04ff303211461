"""The field table: every scenario field declared once, everything else derived from it.

- docs/scenario-format.md is exactly what the field table generates;
- the exact method refuses, naming it, any field that is off its default and
  not on its explicit "handled" list (checked for every field of every class);
- every sweepable number the table yields is a valid sweep key, and nothing
  else is;
- ``to_dict`` round-trips a scenario that sets every field.
"""

from __future__ import annotations

import copy

import dataclasses
from pathlib import Path

import pytest

from saturation_sim import Scenario
from saturation_sim.analytic import IntractableError, handled, intractable_reason
from saturation_sim.scenario.fields import fields_off_default, specs
from saturation_sim.scenario.reference import scenario_format_markdown
from saturation_sim.scenario.schema import Asset, Engagement, Launch, Layer, ThreatGroup
from saturation_sim.scenario.keys import parse_key, sweepable_numbers

ROOT = Path(__file__).resolve().parents[1]
CLASSES = (Scenario, Asset, ThreatGroup, Launch, Layer, Engagement)

#: A small, exactly tractable scenario that sets every field off its default.
EVERY_FIELD = {
    "name": "every field", "name_ja": "全項目", "description": "d", "description_ja": "説明",
    "caveat": "TEST", "caveat_ja": "試験",
    "simulation": {"trials": 100, "seed": 3},
    "uncertainty": {"layers.L.engage.A.sspk": {"dist": "uniform", "low": 0.5, "high": 0.9,
                                                "note": "test"}},
    "counterstrike": {"prelaunch_kill": 0.1},
    "threats": [
        {"name": "A", "label": "Group A", "label_ja": "A群", "count": 4, "kind": "warhead",
         "launch": {"pattern": "simultaneous", "at_s": 5.0}, "cost": 2.0,
         "prelaunch_kill": 0.2},
        {"name": "B", "count": 2, "kind": "decoy",
         "launch": {"pattern": "uniform", "start_s": 1.0, "span_s": 10.0}},
        {"name": "C", "count": 3, "launch": {"pattern": "waves", "at_s": [0.0, 1.0],
                                             "count": [1, 2]}},
    ],
    "layers": [
        {"name": "L", "label": "Layer", "label_ja": "層", "unit_noun": "ships",
         "unit_noun_ja": "隻", "fire_units": 2, "channels_per_unit": 50,
         "interceptors_per_unit": 100, "shots_per_engagement": 2, "max_engagements": 2,
         "flyout_s": 1.0, "reliability": 0.9, "detection": 0.95, "discrimination": 0.5,
         "availability": 0.8, "interceptor_cost": 3.0,
         "engage": {"A": {"sspk": 0.7, "window_s": [0.0, 100.0]},
                    "B": {"sspk": 0.7, "window_s": [0.0, 100.0]},
                    "C": {"sspk": 0.7, "window_s": [0.0, 100.0]}}},
    ],
}


#: The campaign fields (issue 13), which the exact method refuses on purpose (a test
#: below checks that it does, naming each), and values that set them off their default.
CAMPAIGN_FIELDS = {
    "Scenario.days": ("campaign", "days", 3),
    "Scenario.launcher_kill_per_day": ("campaign", "launcher_kill_per_day", 0.1),
    "ThreatGroup.launchers": ("threats", "launchers", 2),
    "ThreatGroup.missiles_per_launcher": ("threats", "missiles_per_launcher", 2),
    "ThreatGroup.inventory": ("threats", "inventory", 10),
    "Layer.availability_per": ("layers", "availability_per", "day"),
    "Layer.reload_per_day": ("layers", "reload_per_day", 4),
    "Layer.depot": ("layers", "depot", 20),
    "Layer.production_per_day": ("layers", "production_per_day", 0.5),
}


#: The asset fields (issue 17), which the exact method does not handle yet, set off their
#: default on top of EVERY_FIELD: two assets, group A aimed at them and open ground, layer L
#: a point defence of both with one fire unit at each and a track limit.
ASSET_FIELDS = {
    "assets": [{"name": "naha", "label": "Naha", "label_ja": "那覇", "value": 3.0},
               {"name": "kadena"}],
    "threats": {"targets": {"naha": 0.5, "kadena": 0.3, "open": 0.2}, "allocation": "random"},
    "layers": {"defends": ["naha", "kadena"], "fire_units_at": {"naha": 1, "kadena": 1},
               "track_capacity": 5},
}


def _with_assets(data: dict) -> dict:
    """``data`` with every asset field set off its default (on group A and layer L)."""
    d = copy.deepcopy(data)
    d["assets"] = copy.deepcopy(ASSET_FIELDS["assets"])
    d["threats"][0].update(copy.deepcopy(ASSET_FIELDS["threats"]))
    d["layers"][0].update(copy.deepcopy(ASSET_FIELDS["layers"]))
    return d


def _with_campaign(data: dict, fields) -> dict:
    """``data`` with the given campaign fields set off default (on group A and layer L)."""
    d = copy.deepcopy(data)
    for qualified in fields:
        where, key, value = CAMPAIGN_FIELDS[qualified]
        if where == "campaign":
            d.setdefault("campaign", {})[key] = value
        else:
            d[where][0][key] = value
    return d


def every_field() -> Scenario:
    """EVERY_FIELD with every campaign and asset field too: all fields off their default
    (but ``Layer.engage_open``, which a point layer refuses; see with_field_off_default)."""
    return Scenario.from_dict(_with_assets(_with_campaign(EVERY_FIELD, CAMPAIGN_FIELDS)),
                              source="every-field")


def exact_fields() -> Scenario:
    """EVERY_FIELD: every field the exact method handles off its default."""
    return Scenario.from_dict(EVERY_FIELD, source="every-field")


def all_fields() -> list[str]:
    """Every leaf field (tables and arrays of tables are containers, checked through)."""
    return [f"{cls.__name__}.{f.name}" for cls in CLASSES for f, s in specs(cls)
            if s.kind not in ("table", "tables", "map")]


def test_reference_page_is_current():
    page = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert page == scenario_format_markdown(), (
        "docs/scenario-format.md is stale: regenerate it with "
        "`python -m saturation_sim.scenario.reference > docs/scenario-format.md`")


#: Where a field of each class sits in EVERY_FIELD, as a function of the dict.
WHERE = {
    "Scenario": lambda d, f: d.setdefault(_section(f), {}) if _section(f) else d,
    "Asset": lambda d, f: d.setdefault("assets", [{"name": "naha"}])[0],
    "ThreatGroup": lambda d, f: d["threats"][0],
    "Layer": lambda d, f: d["layers"][0],
    "Engagement": lambda d, f: d["layers"][0]["engage"]["A"],
    "Launch": lambda d, f: d["threats"][{"at_s": 2, "count": 2, "start_s": 1,
                                         "span_s": 1}.get(f, 0)]["launch"],
}


def _section(name: str) -> str | None:
    return next((s.section for f, s in specs(Scenario) if f.name == name), None)


def off_default(spec, default):
    """A valid value of a field's kind other than its default (for fields added later)."""
    if spec.kind in ("text", "name"):
        return "other"
    if spec.kind == "enum":
        return next(c for c in spec.choices if c != default)
    if spec.kind == "prob":
        return 0.5 if default != 0.5 else 0.25
    if spec.kind in ("int", "float"):
        return (default or 0) + 1
    if spec.kind == "bool":
        return not default
    if spec.kind == "shares":  # the fixture declares the asset "naha" (PREREQUISITES)
        return {"naha": 0.5, "open": 0.5}
    if spec.kind == "names":
        return ["naha"]
    if spec.kind == "counts":  # the fixture's layer L has 2 fire units and defends naha
        return {"naha": 2}
    raise AssertionError(f"teach off_default about kind {spec.kind}")


def with_field_off_default(qualified: str) -> Scenario:
    """EVERY_FIELD, with ``qualified`` (``Class.field``) set off its default if it is not."""
    cls_name, name = qualified.split(".")
    d = copy.deepcopy(EVERY_FIELD)
    holder = WHERE[cls_name](d, name)
    cls = next(c for c in CLASSES if c.__name__ == cls_name)
    f, spec = next((f, s) for f, s in specs(cls) if f.name == name)
    if name not in holder:
        holder[name] = off_default(spec, f.default)
    for needed in PREREQUISITES.get(qualified, ()):
        n_cls, n_name = needed.split(".")
        n_holder = WHERE[n_cls](d, n_name)
        n_f, n_spec = next((g, t) for g, t in specs(next(c for c in CLASSES
                                                         if c.__name__ == n_cls))
                           if g.name == n_name)
        n_holder.setdefault(n_name, off_default(n_spec, n_f.default))
    return Scenario.from_dict(d, source="every-field")


#: Fields that a field needs set too (names it refers to): the exact method's refusal is
#: checked with these treated as handled, so that it names the field itself.
PREREQUISITES = {
    "Asset.label": ("Asset.name",), "Asset.label_ja": ("Asset.name",),
    "Asset.value": ("Asset.name",),
    "ThreatGroup.targets": ("Asset.name",),
    "Layer.defends": ("Asset.name",),
    "Layer.fire_units_at": ("Asset.name", "Layer.defends"),
}


def plain_fields() -> list[str]:
    """Every leaf field but the campaign's (those need each other; tested below)."""
    return [q for q in all_fields() if q not in CAMPAIGN_FIELDS]


def test_every_field_can_be_set_off_its_default():
    for qualified in plain_fields():
        off = {q for q, _, _ in fields_off_default(with_field_off_default(qualified))}
        assert qualified in off, qualified


def test_handled_list_names_real_fields():
    assert handled.HANDLED <= set(all_fields())
    assert not handled.HANDLED & set(CAMPAIGN_FIELDS)


def test_every_field_scenario_is_exact_when_all_are_handled():
    assert intractable_reason(exact_fields()) is None


@pytest.mark.parametrize("qualified", plain_fields())
def test_exact_refuses_a_field_it_does_not_handle(monkeypatch, qualified):
    """Take one field off the handled list (or a new field, never on it): with the field
    off its default, the exact method must refuse, naming it."""
    monkeypatch.setattr(handled, "HANDLED", (handled.HANDLED | set(PREREQUISITES.get(
        qualified, ()))) - {qualified})
    s = with_field_off_default(qualified)
    reason = intractable_reason(s)
    assert reason is not None and qualified in reason
    with pytest.raises(IntractableError, match=qualified.replace(".", r"\.")):
        handled.check_handled(s)


@pytest.mark.parametrize("qualified", sorted(CAMPAIGN_FIELDS))
def test_exact_refuses_campaigns_naming_the_field(qualified):
    """Campaign fields are not modelled by the exact method: each alone is refused, named."""
    fields = [qualified]
    if qualified in ("ThreatGroup.launchers", "ThreatGroup.missiles_per_launcher"):
        fields = ["ThreatGroup.launchers", "ThreatGroup.missiles_per_launcher"]
    d = _with_campaign(EVERY_FIELD, fields)
    if "ThreatGroup.launchers" in fields:
        d["threats"][0]["count"] = 4  # = 2 launchers x 2 missiles
    reason = intractable_reason(Scenario.from_dict(d, source="campaign"))
    assert reason is not None and fields[0].split(".")[0] in reason and "exact method" in reason


def test_round_trip_of_every_field():
    s = every_field()
    again = Scenario.from_dict(s.to_dict(), source="again")
    assert again == s
    assert again.to_dict() == s.to_dict()


def test_sweepable_numbers_are_exactly_the_sweep_keys():
    s = every_field()
    numbers = sweepable_numbers(s)
    keys = {n.key for n in numbers}
    for n in numbers:
        k = parse_key(n.key, s)
        assert k.path == n.path and k.integer == n.integer
    # Text, names, enums and run settings are not sweepable.
    for text in ("name", "threats.A.kind", "layers.L.label", "threats.A.launch.pattern"):
        assert text not in keys
        with pytest.raises(ValueError):
            parse_key(text, s)
    assert "layers.L.engage.C.window_s.1" in keys and "threats.C.launch.count.1" in keys


def test_every_spec_has_a_doc_and_a_known_kind():
    for cls in CLASSES:
        for f, s in specs(cls):
            assert s.doc and "\n" not in s.doc, f"{cls.__name__}.{f.name}"
            if s.numeric and s.sweepable:
                assert s.unit, f"{cls.__name__}.{f.name} is sweepable but has no unit"
    # Every dataclass field except the provenance `source` is declared in the table.
    names = {f.name for f in dataclasses.fields(Scenario)} - {f.name for f, _ in specs(Scenario)}
    assert names == {"source"}
