"""docs/analysis-3x.md quotes only numbers that docs/analysis_numbers.py regenerates.

Each quoted number is written ``<!-- n:KEY -->TEXT<!-- /n -->`` in the note. The slow
test here reruns every command of the note (the script's COMMANDS, which the note must
print verbatim) with their fixed trials and seeds, and requires TEXT to equal the
regenerated text for KEY at its printed precision — so editing any quoted number, or a
change in the engine that moves one, fails it. The fast tests check the note against
the committed docs/analysis-3x.json and that the checker does catch an edited number.
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from conftest import ROOT, VOLATILE

DOCS = ROOT / "docs"
NOTE = DOCS / "analysis-3x.md"
NUMBERS_JSON = DOCS / "analysis-3x.json"


def _load_script():
    spec = importlib.util.spec_from_file_location("analysis_numbers", DOCS / "analysis_numbers.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def script():
    return _load_script()


@pytest.fixture(scope="module")
def note() -> str:
    return NOTE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(NUMBERS_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regenerated(script, tmp_path_factory) -> dict:
    """Every command of the note run afresh (about a minute on two cores)."""
    return script.compute(tmp_path_factory.mktemp("analysis3x"))


# --- fast: the note's markup, the committed numbers, the checker ---------------------------

def test_note_marks_its_numbers(script, note):
    marks = script.quoted(note)
    assert len(marks) > 200
    for key, text in marks:
        assert key.split(".")[0] in script.COMMANDS, key
        assert re.search(r"\d", text), f"{key}: {text!r} is not a number"
        assert "<!--" not in text, f"{key}: markers nested or unbalanced"
    # every opening marker is closed on its line, and nothing else looks like a marker
    assert note.count("<!-- n:") == len(marks) == note.count("<!-- /n -->")


def test_note_prints_every_command(script, note):
    flat = " ".join(note.replace("\\\n", " ").split())
    for cid, cmd in script.COMMANDS.items():
        assert " ".join(cmd.split()) in flat, f"[{cid}] not printed: {cmd}"
        assert f"[{cid}]" in note, f"the note does not label command [{cid}]"


def test_note_is_illustrative_and_cites_sources(note):
    assert "ILLUSTRATIVE" in note
    assert "sources.md" in note
    for cmd in ("saturation-sim brief configs/japan_illustrative.toml --out",
                "--lang ja"):
        assert cmd in note
    limits = note[note.index("## 8. Limits"):].lower()
    for topic in ("geometry", "defended-asset priorities", "multi-day campaigns",
                  "reloads", "correlated failures", "adversary adaptation"):
        assert topic in limits, topic


def test_committed_numbers_agree_with_note(script, note, committed):
    assert committed["commands"] == script.COMMANDS
    assert script.check_note(note, committed["numbers"], committed["commands"]) == []


def test_checker_catches_an_edited_number(script, note, committed):
    numbers = committed["numbers"]
    key, text = script.quoted(note)[0]
    edited = note.replace(f"<!-- n:{key} -->{text}<!-- /n -->",
                          f"<!-- n:{key} -->{text}1<!-- /n -->", 1)
    assert any(p.startswith(f"{key}:") for p in script.check_note(edited, numbers))
    # a digit changed deep inside the note, in a table
    key, text = next((k, t) for k, t in script.quoted(note) if k == "jp.base.mean")
    bumped = re.sub(r"\d(?=\D*$)", lambda m: str((int(m.group()) + 1) % 10), text)
    edited = note.replace(f"<!-- n:{key} -->{text}<!-- /n -->",
                          f"<!-- n:{key} -->{bumped}<!-- /n -->")
    problems = script.check_note(edited, numbers)
    assert problems and all(p.startswith(f"{key}:") for p in problems)
    # a marker dropped, a key invented, a command changed
    dropped = note.replace(f"<!-- n:{key} -->{text}<!-- /n -->", text)
    assert any("not quoted" in p for p in script.check_note(dropped, numbers))
    invented = note + "\n<!-- n:ref.no_such_key -->1.0<!-- /n -->\n"
    assert any("not regenerated" in p for p in script.check_note(invented, numbers))
    changed = note.replace("--trials 20000 --seed 1 --out out/umbrella",
                           "--trials 20000 --seed 2 --out out/umbrella")
    assert any(p.startswith("command umb") for p in script.check_note(changed, numbers))


# --- slow (marked): regenerate every number ---------------------------------------------------------

@pytest.mark.slow
def test_regenerated_numbers_match_note(script, note, regenerated):
    problems = script.check_note(note, regenerated["numbers"])
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
def test_committed_json_is_current(regenerated, committed):
    assert {k: v["text"] for k, v in regenerated["numbers"].items()} == \
           {k: v["text"] for k, v in committed["numbers"].items()}
    assert regenerated["commands"] == committed["commands"]


def _strip(d):
    if isinstance(d, dict):
        return {k: _strip(v) for k, v in d.items() if k not in VOLATILE}
    if isinstance(d, list):
        return [_strip(v) for v in d]
    return d


@pytest.mark.slow
def test_saturation_sim_process_gives_the_same_numbers(script, tmp_path):
    """The script's in-process route equals running the printed command as a process."""
    for cid in ("ref", "sfu"):
        here = script.run_command(cid, tmp_path / "in_process")
        there = script.run_command(cid, tmp_path / "subprocess", use_subprocess=True)
        if "points" in here:  # a sweep: sweep.json also names the scenario file's path
            here, there = here["points"], there["points"]
        assert _strip(here) == _strip(there), cid
