"""Edges found in review: writing over links and devices, private cache entries,
exact codes, weights that add up, lines that must not wrap, closed streams."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb import cache, load
from rolefit.kb.models import KnowledgeBase
from rolefit.scoring.answers import decode, encode
from rolefit.scoring.score import score
from tests.conftest import PERSONAS, at_a_terminal

CODE = "career:1-1-3-3-1-3-3-1-1-2-1-1"
ROLEFIT = Path(sys.executable).parent / "rolefit"


def test_save_through_a_symlink_is_refused_and_leaves_both(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = runner.invoke(app, ["quiz", "--code", CODE, "--save", str(link)])
    assert result.exit_code == 2
    assert (
        result.stderr == f"rolefit: {link}: is a symbolic link to {str(target)!r}: name the file itself to replace it\n"
    )
    assert link.is_symlink() and target.read_text() == "{}"


def test_save_to_a_device_writes_to_it_and_leaves_it_a_device(runner: CliRunner) -> None:
    assert runner.invoke(app, ["quiz", "--code", CODE, "--save", os.devnull]).exit_code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_save_to_an_empty_name_or_a_directory_is_an_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quiz", "--code", CODE, "--save", ""])  # Typer reads "" as the path "."
    assert result.exit_code == 2
    assert result.stderr == "rolefit: .: is a directory; name a file to write\n"


def test_cache_entries_are_private_whatever_the_umask(
    tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(tmp_path / "cache"))
    old = os.umask(0o002)
    try:
        load.load_knowledge_base(small_kb_path)
    finally:
        os.umask(old)
    (entry,) = (tmp_path / "cache").glob("*.json")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert cache.load(small_kb_path.read_bytes()) is not None


@settings(max_examples=100, deadline=None)
@given(weight=st.floats(min_value=0, max_value=10, allow_nan=False))
def test_codes_keep_weights_exactly(kb: KnowledgeBase, weight: float) -> None:
    quiz = kb.quizzes["career"]
    answers = {q.id: q.options[0].id for q in quiz.questions}
    weights = {"focus": 1.0, "environment": 1.0, "certifications": 1.0, "client_relationship": 1.0, "income": weight}
    _, _, decoded = decode(kb, encode("career", quiz, answers, weights))
    assert decoded.get("income", 1.0) == weight


def test_weight_options_replace_saved_weights_one_by_one(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quiz", "--code", CODE + "+focus=2", "--weight", "income=3", "--json"])
    weights = json.loads(result.stdout)["weights"]
    assert (weights["focus"], weights["income"], weights["environment"]) == (2.0, 3.0, 1.0)


def test_the_replay_line_is_never_wrapped(runner: CliRunner) -> None:
    code = CODE + "+focus=0,environment=0,certifications=0,client_relationship=0,income=2"
    result = runner.invoke(app, ["quiz", "--code", code], env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert f"Replay these answers: rolefit quiz --code {code}\n" in result.stdout


def test_explanation_order_follows_the_two_best_roles(small_kb_path: Path) -> None:
    kb = load.load_knowledge_base(small_kb_path)
    for answers in ({"look": "yes", "talk": "yes"}, {"look": "no", "talk": "yes"}, {"look": "meh", "talk": "no"}):
        result = score(kb, "pick", answers)
        first, second = result.fits[0].role, result.fits[1].role
        spreads = [abs(c.points[first] - c.points[second]) for c in result.contributions if c.points]
        # The points shown are rounded to tenths, the order comes from the exact ones.
        assert all(a >= b - 0.11 for a, b in pairwise(spreads))


def test_summaries_say_why_nothing_is_recommended(kb: KnowledgeBase) -> None:
    questions = kb.quizzes["career"].questions
    skipped = score(kb, "career", dict.fromkeys((q.id for q in questions), None)).verdict.summary
    assert skipped == "You skipped 12 of 12 questions: too few answers to recommend a role."
    zero = dict.fromkeys(("focus", "environment", "certifications", "client_relationship", "income"), 0.0)
    weighed = score(kb, *PERSONAS["detail-coach"], zero).verdict.summary
    assert weighed == "Your weights leave none of your answers counting, so no role can be recommended."


def test_going_back_from_the_weights_step(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    replies = ["1"] * 12 + ["b", "3", "1"]  # back from the last step to question 12, answer 3, then weights
    result = runner.invoke(app, ["quiz", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["answers"]["active"] == "little"
    assert document["weights"]["focus"] == 2.0
    assert result.stderr.count("Question 12 of 12") == 2


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["validate", "-"], 1, "rolefit: <stdin>: standard input is closed\n"),
        (["quiz", "--answers", "-"], 1, "rolefit: <stdin>: standard input is closed\n"),
    ],
)
def test_closed_stdin(args: list[str], code: int, stderr: str) -> None:
    done = subprocess.run([str(ROLEFIT), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    # DEVNULL is an empty stdin; a closed one needs the shell.
    closed = subprocess.run(
        ["bash", "-c", f'"{ROLEFIT}" {" ".join(args)} <&-'], capture_output=True, text=True, check=False
    )
    assert closed.returncode == code, closed.stderr
    assert closed.stderr == stderr
    assert "Traceback" not in done.stderr


def test_schema_to_a_closed_stdout_is_quiet() -> None:
    closed = subprocess.run(["bash", "-c", f'"{ROLEFIT}" schema >&-'], capture_output=True, text=True, check=False)
    assert closed.returncode == 141
    assert closed.stderr == ""
