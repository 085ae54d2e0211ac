"""The checked-in files generated from the code (schemas, pictures, CLI reference) are up to date."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "scripts" / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["regenerate"] = module
    spec.loader.exec_module(module)
    return module


regenerate = _load_regenerate()


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[Path, str]]:
    return {what: generator() for what, generator in regenerate.GENERATORS.items()}


@pytest.mark.parametrize("what", list(regenerate.GENERATORS))
def test_checked_in_copies_are_up_to_date(generated: dict[str, dict[Path, str]], what: str) -> None:
    stale = [str(p.relative_to(ROOT)) for p in regenerate.stale(generated[what])]
    assert stale == [], f"out of date: run `python scripts/regenerate.py {what}` and commit the result"


def test_generation_is_deterministic(generated: dict[str, dict[Path, str]]) -> None:
    # A second run in new processes gives the same bytes: no timestamps, no random ids.
    assert regenerate.screenshots() == generated["screenshots"]
    assert regenerate.cli_reference() == generated["cli-reference"]
    assert regenerate.report() == generated["report"]


def test_every_schema_and_command_is_generated(generated: dict[str, dict[Path, str]]) -> None:
    from rolefit.output.documents import SCHEMAS

    names = {p.name for p in generated["schemas"]}
    assert names == {f"{n}.schema.json" for n in SCHEMAS}
    reference = generated["cli-reference"][ROOT / "docs" / "cli.md"]
    for command in ("compare", "quiz", "questions", "show", "validate", "init", "schema"):
        assert f"## `rolefit {command}`" in reference
        assert f"Usage: rolefit {command} [OPTIONS]" in reference
    assert "\x1b[" not in reference  # plain text, no escape codes


def test_pictures_show_the_commands_in_colour(generated: dict[str, dict[Path, str]]) -> None:
    pictures = {p.name: svg for p, svg in generated["screenshots"].items()}
    assert set(pictures) == {"compare.svg", "quiz.svg", "help.svg", "audit.svg"}
    assert "No&#160;problems&#160;found." in pictures["audit.svg"]
    quiz = pictures["quiz.svg"]
    assert "rolefit&#160;quiz&#160;--code&#160;career:1-1-3-3-1-3-3-1-1-2-1-1" in quiz  # the title
    assert "Fitness&#160;instructor&#160;suits&#160;you&#160;best" in quiz
    assert "Next&#160;steps:&#160;Fitness&#160;instructor" in quiz and "California:&#160;median" in quiz
    assert "Usage:" in pictures["help.svg"] and "schema" in pictures["help.svg"]
    for svg in pictures.values():
        # More than one fill colour: the styles were recorded, not only the text.
        assert len(set(re.findall(r"fill: (#[0-9a-f]{6})", svg))) > 2
        # The fixed width: 100 columns in every row.
        assert 'viewBox="0 0 1238 ' in svg


def test_the_docs_show_every_picture_and_the_readme_links_the_reference(
    generated: dict[str, dict[Path, str]],
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/quiz.svg)" in readme and "](docs/cli.md)" in readme
    shown = {
        (page.parent / target).resolve()
        for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
    }
    pictures = {*generated["screenshots"], ROOT / "docs" / "report.png"}
    assert pictures <= shown, sorted(str(p.relative_to(ROOT)) for p in pictures - shown)
    assert (ROOT / "docs" / "report.png").read_bytes().startswith(b"\x89PNG")


def test_check_mode_names_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "docs" / "cli.md"
    stale.parent.mkdir()
    stale.write_text("old\n")
    assert regenerate.stale({stale: "old\n", tmp_path / "missing.svg": "x"}) == [tmp_path / "missing.svg"]
    assert regenerate.stale({stale: "new\n"}) == [stale]


def test_the_pictures_are_made_after_the_knowledge_base_was_last_reviewed() -> None:
    """Made before it, the example report would say that the knowledge base's date is wrong."""
    import datetime

    from rolefit.kb.load import load_knowledge_base

    day = datetime.datetime.fromtimestamp(int(regenerate.DAY), datetime.timezone.utc).date()
    about = load_knowledge_base().about
    assert about is not None
    reviewed = about.reviewed
    assert day >= datetime.date.fromisoformat(reviewed), "move DAY in scripts/regenerate.py past the review"
    assert "date is wrong" not in (ROOT / "docs" / "report.html").read_text()
