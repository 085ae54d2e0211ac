"""Colour and width: plain bytes when asked for, colour when forced, readable at 60 columns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from tests.conftest import PERSONAS, at_a_terminal

BIN = Path(sys.executable).parent
ESC = "\x1b["


@pytest.fixture
def colour_runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose environment forces colour, as a terminal would get it."""
    monkeypatch.setenv("COLUMNS", "100")
    # Set, then delete: monkeypatch then restores NO_COLOR after the test even
    # when `--no-color` has set it in between.
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("ROLEFIT_DATA", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    return CliRunner()


def test_force_color_gives_escape_codes(colour_runner: CliRunner) -> None:
    result = colour_runner.invoke(app, ["compare"])
    assert result.exit_code == 0
    assert ESC in result.stdout
    assert "Fitness instructor" in result.stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-color", "compare"], {}),
        (["compare"], {"NO_COLOR": "1"}),
        (["compare"], {"TERM": "dumb"}),
    ],
    ids=["--no-color", "NO_COLOR", "TERM=dumb"],
)
def test_plain_output_wins_over_force_color(
    colour_runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = colour_runner.invoke(app, args)
    assert result.exit_code == 0
    assert ESC not in result.stdout
    assert "Fitness instructor" in result.stdout and "Choose this if" in result.stdout


def test_no_color_keeps_the_quiz_prompts_plain(colour_runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    answers = PERSONAS["rehab-client"][1]
    result = colour_runner.invoke(
        app, ["--no-color", "quiz", "--for", "hiring"], input="\n".join(answers.values()) + "\n\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "What is your main goal?" in result.stderr
    assert ESC not in result.stderr and ESC not in result.stdout


def _on_a_terminal(args: list[str], **env: str) -> bytes:
    """Run the installed rolefit with stdout on a pseudo-terminal; return the bytes it wrote."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "ROLEFIT_DATA")}
    environ.update({"COLUMNS": "100", "LINES": "50", "TERM": "xterm-256color", **env})
    with subprocess.Popen(
        [str(BIN / "rolefit"), *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=environ
    ) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program has closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_real_terminal_gets_colour_unless_told_otherwise() -> None:
    assert b"\x1b[" in _on_a_terminal(["compare"])
    for output in (
        _on_a_terminal(["compare"], NO_COLOR="1"),
        _on_a_terminal(["compare"], TERM="dumb"),
        _on_a_terminal(["--no-color", "compare"]),
    ):
        assert b"\x1b[" not in output
        assert b"Personal trainer" in output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_color_before_a_command_makes_its_help_as_no_color_does() -> None:
    # Typer draws help with a console of its own, which reads NO_COLOR itself.
    coloured = _on_a_terminal(["compare", "--help"])
    told = _on_a_terminal(["--no-color", "compare", "--help"])
    assert told == _on_a_terminal(["compare", "--help"], NO_COLOR="1")
    assert told != coloured and b"Example: rolefit compare" in told


def _narrow(runner: CliRunner, args: list[str]) -> list[str]:
    result = runner.invoke(app, args, env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_compare_fits_60_columns(runner: CliRunner) -> None:
    lines = _narrow(runner, ["compare"])
    assert max(len(line) for line in lines) <= 60
    assert max(len(line) for line in lines) >= 55  # it uses the width it has
    text = "\n".join(lines)
    for words in ("Fitness instructor", "Personal trainer", "Choose this if", "Income", "$47,160 a year"):
        assert words in text, words


def test_quiz_result_fits_60_columns(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(PERSONAS["budget-beginner"][1]))
    lines = _narrow(runner, ["quiz", "--for", "hiring", "--answers", str(answers)])
    replay = lines.pop()  # the answer code is never wrapped, so that it can be copied whole
    assert replay.startswith("Replay these answers: rolefit quiz --code hiring:")
    assert max(len(line) for line in lines) <= 60
    text = "\n".join(lines)
    for words in ("Overall fit", "Personal trainer", "Verdict", "Join group classes", "How solid"):
        assert words in text, words
