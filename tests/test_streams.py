"""The commands read and write only the streams they are given: tests give their own."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.streams import Streams
from tests.conftest import PERSONAS, SMALL_KB


def _in_memory(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def streams(stdin: bytes | None = None, *, terminal: bool = False, plain: bool = True) -> Streams:
    """Streams of the test's own: stdin holding `stdin` (None: closed), stdout and stderr in memory."""
    given = None if stdin is None else _in_memory(stdin)
    return Streams(given, _in_memory(), _in_memory(), stdin_is_terminal=terminal, plain=plain)


def printed(run: Streams) -> str:
    assert isinstance(run.stdout, io.TextIOWrapper) and isinstance(run.stdout.buffer, io.BytesIO)
    run.stdout.flush()
    return run.stdout.buffer.getvalue().decode()


def test_json_goes_to_the_given_stdout(runner: CliRunner) -> None:
    run = streams()
    result = runner.invoke(app, ["compare", "--json"], obj=run)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # nothing on the process's own stdout
    assert [r["id"] for r in json.loads(printed(run))["roles"]] == ["fitness-instructor", "personal-trainer"]


def test_tables_go_to_the_given_stdout(runner: CliRunner) -> None:
    run = streams()
    result = runner.invoke(app, ["show", "personal-trainer"], obj=run)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Personal trainer" in printed(run) and "\x1b[" not in printed(run)


@pytest.mark.parametrize(
    ("command", "key", "read"),
    [
        (["validate", "-"], "file", "<stdin>"),
        (["compare", "--data", "-"], "title", "Frontend, backend or data?"),
    ],
)
def test_a_knowledge_base_is_read_from_the_given_stdin(
    runner: CliRunner, command: list[str], key: str, read: str
) -> None:
    run = streams(SMALL_KB.encode())
    # The runner's own stdin holds something else: only the given one may be read.
    result = runner.invoke(app, [*command, "--json"], obj=run, input="not: [a knowledge base\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(printed(run))[key] == read


def test_answers_are_read_from_the_given_stdin(runner: CliRunner) -> None:
    quiz, answers = PERSONAS["rehab-client"]
    run = streams(json.dumps(answers).encode())
    result = runner.invoke(app, ["quiz", "--for", quiz, "--answers", "-", "--json"], obj=run, input="{}")
    assert result.exit_code == 0, result.stderr
    assert json.loads(printed(run))["answers"] == answers


def test_a_closed_stdin_is_named(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "-"], obj=streams(None))
    assert (result.exit_code, result.stderr) == (1, "rolefit: <stdin>: standard input is closed\n")


def test_a_plain_dash_in_the_core_is_a_file_of_that_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rolefit.kb.load import load_knowledge_base

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text(SMALL_KB)
    assert list(load_knowledge_base("-").roles) == ["frontend", "backend", "data"]


def test_save_to_a_dash_is_the_given_stdout(runner: CliRunner) -> None:
    run = streams()
    result = runner.invoke(app, ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--save", "-"], obj=run)
    assert result.exit_code == 0, result.stderr
    saved, table = printed(run).split("\n}\n", 1)
    assert json.loads(saved + "}")["code"] == "career:1-1-3-3-1-3-3-1-1-2-1-1"
    assert "Replay these answers" in table


def test_no_color_is_given_to_the_consoles_not_set_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured, plain = streams(plain=False), streams(plain=False)
    assert CliRunner().invoke(app, ["compare"], obj=coloured).exit_code == 0
    assert CliRunner().invoke(app, ["--no-color", "compare"], obj=plain).exit_code == 0
    assert "\x1b[" in printed(coloured)
    assert "\x1b[" not in printed(plain) and "Choose this if" in printed(plain)
    assert "NO_COLOR" not in os.environ


def test_the_quiz_asks_only_a_terminal(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quiz", "--json"], obj=streams(b"1\n"), input="1\n")
    assert result.exit_code == 2
    assert "stdin is not a terminal, so there is nobody to ask" in result.stderr
