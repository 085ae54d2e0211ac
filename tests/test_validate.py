"""`rolefit validate`: every problem in a knowledge base at once, for its authors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.authoring import FileProblem, validate_file
from rolefit.kb.load import default_path
from tests.conftest import SMALL_KB

# Three independent schema problems in one file.
BROKEN = (
    SMALL_KB.replace("visual: 0.9", "visual: 1.5")
    .replace("    summary: Builds what users see.\n", "")
    .replace("    weight: 2\n", "    weight: 0\n")
)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_every_schema_problem_with_line_and_path(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(BROKEN)
    validation = validate_file(path)
    assert not validation.valid and validation.kb is None
    assert validation.problems == (
        FileProblem(str(path), _line(BROKEN, "  frontend:"), "roles.frontend.summary", "required field is missing"),
        FileProblem(
            str(path),
            _line(BROKEN, "visual: 1.5"),
            "roles.frontend.traits.visual",
            "expected a number from 0 to 1, got 1.5",
        ),
        FileProblem(
            str(path),
            _line(BROKEN, "weight: 0"),
            "quizzes.pick.questions.talk.weight",
            "expected a number above 0 and at most 100, got 0",
        ),
    )


def test_cli_lists_problems_on_stdout_and_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(BROKEN)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}:{_line(BROKEN, '  frontend:')}: roles.frontend.summary: required field is missing",
        f"{path}:{_line(BROKEN, 'visual: 1.5')}: roles.frontend.traits.visual: expected a number from 0 to 1, got 1.5",
        (
            f"{path}:{_line(BROKEN, 'weight: 0')}: quizzes.pick.questions.talk.weight:"
            " expected a number above 0 and at most 100, got 0"
        ),
    ]
    assert result.stderr == f"rolefit: {path}: not valid: 3 problems\n"


def test_cli_json_when_invalid(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(BROKEN)
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert document["file"] == str(path)
    assert document["valid"] is False
    assert document["counts"] is None
    assert document["problems"][1] == {
        "line": _line(BROKEN, "visual: 1.5"),
        "path": "roles.frontend.traits.visual",
        "message": "expected a number from 0 to 1, got 1.5",
    }
    assert len(document["problems"]) == 3


def test_valid_file_prints_a_summary(runner: CliRunner, small_kb_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_kb_path)])
    assert result.exit_code == 0
    assert result.stdout == f"{small_kb_path}: valid: 3 roles, 2 traits, 1 quiz (2 questions)\n"
    assert result.stderr == ""


def test_built_in_knowledge_base_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(default_path()), "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["valid"] is True and document["problems"] == []
    assert document["counts"] == {"roles": 2, "traits": 13, "quizzes": 2, "questions": 23}


def test_reference_problems_are_all_listed(runner: CliRunner, tmp_path: Path) -> None:
    text = SMALL_KB.replace("id: talk", "id: look").replace("places: {visual: 1.0}", "places: {colour: 1.0}")
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["validate", str(path), "--json"])
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert result.exit_code == 2
    assert len(messages) == 2
    assert messages[0].startswith('unknown trait "colour"')
    assert messages[1] == 'duplicate question id "look"'


def test_yaml_error_stops_at_the_first_with_its_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "-", "--json"], input="title: x\nroles: [unclosed\n")
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["line"] == 3 and problem["path"] is None
    assert problem["message"].startswith("not valid YAML")
    text = runner.invoke(app, ["validate", "-"], input="a: 1\na: 2\n")
    assert text.exit_code == 2
    assert text.stdout == '<stdin>:2: a: duplicate key "a" (first at line 1)\n'


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stdout == f"{tmp_path / 'nope.yaml'}: no such file\n"
    assert result.stderr.startswith("rolefit: ")


def test_a_quiz_names_only_traits_that_exist(runner: CliRunner, tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "kb.yaml"
    data = yaml.safe_load(SMALL_KB)
    quiz_id = next(iter(data["quizzes"]))
    data["quizzes"][quiz_id]["trait_names"] = {"colour": "Colour, in this quiz's words"}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["validate", str(path), "--json"])
    problems = json.loads(result.stdout)["problems"]
    assert result.exit_code == 2
    assert [p["path"] for p in problems] == [f"quizzes.{quiz_id}.trait_names.colour"]
    assert problems[0]["message"].startswith('unknown trait "colour"')
