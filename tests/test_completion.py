"""Shell completion of role ids and quiz ids, from the knowledge base in use."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from rolefit.cli.options import complete_quizzes, complete_regions, complete_roles, complete_shown

BIN = Path(sys.executable).parent


def _ctx(**params: Any) -> Any:
    # The completion functions read only the parameters parsed so far.
    return SimpleNamespace(params=params)


@pytest.fixture(autouse=True)
def _no_data_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROLEFIT_DATA", raising=False)


def test_roles_of_the_built_in_knowledge_base() -> None:
    assert complete_roles(_ctx(), "") == [
        ("fitness-instructor", "Fitness instructor"),
        ("personal-trainer", "Personal trainer"),
    ]
    assert complete_roles(_ctx(), "pers") == [("personal-trainer", "Personal trainer")]
    # A role already named is not offered again.
    assert complete_roles(_ctx(roles=["personal-trainer"]), "") == [("fitness-instructor", "Fitness instructor")]


def test_show_completes_roles_then_the_alternatives_of_the_quiz_named() -> None:
    every = [i for i, _ in complete_shown(_ctx(), "")]
    assert every == ["fitness-instructor", "personal-trainer", "fitness-on-the-side", "on-your-own", "clinician-first"]
    assert [i for i, _ in complete_shown(_ctx(quiz_id="hiring"), "")] == [
        "fitness-instructor",
        "personal-trainer",
        "on-your-own",
        "clinician-first",
    ]


def test_quizzes_from_data_option_and_environment(small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert [q for q, _ in complete_quizzes(_ctx(), "")] == ["career", "hiring"]
    assert complete_quizzes(_ctx(data=small_kb_path), "") == [("pick", "Which developer?")]
    assert [r for r, _ in complete_roles(_ctx(data=small_kb_path), "")] == ["frontend", "backend", "data"]
    monkeypatch.setenv("ROLEFIT_DATA", str(small_kb_path))
    assert [r for r, _ in complete_roles(_ctx(), "")] == ["frontend", "backend", "data"]


def test_regions_and_areas_of_the_knowledge_base_in_use(small_kb_path: Path, tmp_path: Path) -> None:
    codes = complete_regions(_ctx(), "")
    assert codes[:3] == ["US", "UK", "AU"] and {"US-CA", "US-TX"} <= set(codes)
    assert complete_regions(_ctx(), "us-t") == ["US-TN", "US-TX"]
    assert complete_regions(_ctx(), "u") == [c for c in codes if c.startswith("U")]
    starter = tmp_path / "starter.yaml"
    starter.write_text((Path(__file__).parents[1] / "src" / "rolefit" / "starter.yaml").read_text())
    assert complete_regions(_ctx(data=starter), "") == ["UK"]
    assert complete_regions(_ctx(data=tmp_path / "missing.yaml"), "") == []


def test_unreadable_knowledge_base_completes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("roles: [unclosed\n")
    for source in (broken, tmp_path / "missing.yaml", tmp_path):
        assert complete_roles(_ctx(data=source), "") == []
        assert complete_quizzes(_ctx(data=source), "") == []


def _complete(words: str, cword: int, **env: str) -> subprocess.CompletedProcess[str]:
    """Ask the installed rolefit for bash completions, as the shell function does."""
    environ = {k: v for k, v in os.environ.items() if k != "ROLEFIT_DATA"}
    environ.update({"_ROLEFIT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword), **env})
    return subprocess.run([str(BIN / "rolefit")], env=environ, capture_output=True, text=True, timeout=60, check=False)


def test_through_the_completion_protocol(small_kb_path: Path, tmp_path: Path) -> None:
    run = _complete("rolefit compare ", 2)
    assert (run.returncode, run.stdout.split(), run.stderr) == (0, ["fitness-instructor", "personal-trainer"], "")
    assert _complete("rolefit compare fitness-instructor p", 3).stdout.split() == ["personal-trainer"]
    assert _complete("rolefit quiz --for ", 3).stdout.split() == ["career", "hiring"]
    assert _complete(f"rolefit questions --data {small_kb_path} --for ", 5).stdout.split() == ["pick"]
    # Region codes, not the names of files in the folder.
    assert _complete("rolefit quiz --region US-T", 3).stdout.split() == ["US-TN", "US-TX"]
    assert _complete("rolefit show --region ", 3).stdout.split()[:3] == ["US", "UK", "AU"]
    assert _complete("rolefit compare ", 2, ROLEFIT_DATA=str(small_kb_path)).stdout.split() == [
        "frontend",
        "backend",
        "data",
    ]
    failed = _complete("rolefit compare ", 2, ROLEFIT_DATA=str(tmp_path / "missing.yaml"))
    assert (failed.returncode, failed.stdout.strip(), failed.stderr) == (0, "", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_rolefit_installs() -> None:
    # What `rolefit --install-completion bash` adds to ~/.bashrc, run in a real bash.
    script = 'eval "$(rolefit --show-completion bash)"; COMP_WORDS=(rolefit compare "fit"); COMP_CWORD=2; '
    script += '_rolefit_completion rolefit; printf "%s\\n" "${COMPREPLY[@]}"'
    environ = {k: v for k, v in os.environ.items() if k != "ROLEFIT_DATA"}
    environ["PATH"] = f"{BIN}{os.pathsep}{environ.get('PATH', '')}"
    run = subprocess.run(
        ["bash", "--norc", "-c", script], env=environ, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["fitness-instructor"]
