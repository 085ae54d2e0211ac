"""`rolefit init`: a starter knowledge base that validates and runs."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import RolefitError
from rolefit.kb.authoring import starter_text, write_starter
from rolefit.streams import Streams


def test_default_file_in_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "roles.yaml").read_text(encoding="utf-8") == starter_text()
    assert result.stdout == "Wrote roles.yaml. Next: rolefit validate roles.yaml\n"
    assert os.listdir(tmp_path) == ["roles.yaml"]  # no temporary file left behind


def test_starter_validates_and_runs_a_quiz(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    valid = runner.invoke(app, ["validate", str(path)])
    assert valid.exit_code == 0, valid.stdout
    assert valid.stdout == f"{path}: valid: 2 roles, 3 traits, 1 quiz (3 questions)\n"
    answers = tmp_path / "answers.yaml"
    answers.write_text("look: very\npeople: often\npager: never\n")
    quiz = runner.invoke(app, ["quiz", "--data", str(path), "--answers", str(answers), "--json"])
    assert quiz.exit_code == 0, quiz.stderr
    verdict = json.loads(quiz.stdout)["verdict"]
    assert verdict["kind"] == "single" and verdict["roles"] == ["frontend"]
    compare = runner.invoke(app, ["compare", "--data", str(path)])
    assert compare.exit_code == 0 and "Backend developer" in compare.stdout


def test_starter_explains_every_field_in_comments() -> None:
    text = starter_text()
    data = yaml.safe_load(text)
    assert len(data["roles"]) == 2 and len(data["quizzes"]) == 1
    assert 2 <= len(next(iter(data["quizzes"].values()))["questions"]) <= 3
    lines = text.splitlines()
    # Every top-level field has a comment just above it or on its line.
    for number, line in enumerate(lines):
        if line[:1].isalpha():
            above = next(lines[n] for n in range(number - 1, -1, -1) if lines[n].strip())
            assert "#" in line or above.startswith("#"), line
    comments = "\n".join(line for line in lines if "#" in line)
    for word in (
        "low",
        "high",
        "dimension",
        "places",
        "neutral",
        "weight",
        "advice",
        "estimate",
        "figures",
        "credentials",
        "rolefit validate",
    ):
        assert word in comments, word


def test_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("mine\n")
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"rolefit: {path}: already exists; pass --force to overwrite it\n"
    assert path.read_text() == "mine\n"
    forced = runner.invoke(app, ["init", str(path), "--force"])
    assert forced.exit_code == 0
    assert path.read_text(encoding="utf-8") == starter_text()


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_starter(tmp_path / "kb.yaml", Streams.of_process())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "kb.yaml").stat().st_mode) == 0o644


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("mine\n")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(RolefitError, match="cannot write: No space left on device"):
        write_starter(path, Streams.of_process(), force=True)
    assert path.read_text() == "mine\n"
    assert os.listdir(tmp_path) == ["roles.yaml"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [(".", "is a directory"), ("missing/roles.yaml", "no such directory")],
)
def test_unwritable_targets(runner: CliRunner, tmp_path: Path, target: str, expected: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("rolefit: ") and expected in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_written_starter_leaves_out_the_repository_schema_path(runner: CliRunner, tmp_path: Path) -> None:
    # The packaged file's first line points at ../../schemas/, which exists only in a checkout.
    path = tmp_path / "kb.yaml"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "schemas/knowledge-base.schema.json" not in text
    assert text.startswith("# A starter rolefit knowledge base")
    assert "rolefit schema > knowledge-base.schema.json" in text
