"""The README's output blocks are real output of the current code, and every link resolves."""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("readme_blocks", ROOT / "docs" / "readme_blocks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_readme_output_blocks_are_current():
    mod = _script()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert mod.BLOCK.search(text), "the README should show real output in marked blocks"
    _, stale = mod.regenerate(text)
    assert not stale, ("README blocks are stale; run python docs/readme_blocks.py --write: "
                       + ", ".join(stale))


def test_check_catches_an_edited_block():
    mod = _script()
    text = ("<!-- output: saturation-sim keys tests/configs/case1_saturated.toml -->\n"
            "```text\n$ saturation-sim keys tests/configs/case1_saturated.toml\nedited\n```")
    _, stale = mod.regenerate(text)
    assert stale == ["saturation-sim keys tests/configs/case1_saturated.toml"]
    fresh, _ = mod.regenerate(text)
    assert mod.regenerate(fresh)[1] == []


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(md: str) -> set[str]:
    out = set()
    for line in md.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
            out.add(slug)
    return out


@pytest.mark.parametrize("page", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: p.name)
def test_every_link_resolves(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+://", target) or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: link to {target} does not resolve"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest.read_text(encoding="utf-8")), (
                f"{page.name}: no heading #{anchor} in {dest.name}")
