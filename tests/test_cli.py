from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from tests.conftest import PERSONAS, at_a_terminal


def _answers_file(tmp_path: Path, answers: dict[str, str], name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answers))
    return path


def _one_error_line(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("rolefit: ")
    return lines[0]


def test_compare_json_is_the_documented_document(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--json"])
    assert result.exit_code == 0
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert [r["id"] for r in document["roles"]] == ["fitness-instructor", "personal-trainer"]
    role = document["roles"][1]
    for key in ("id", "name", "summary", "focus", "environment", "certifications", "client_relationship", "income"):
        assert key in role
    assert role["income"]["figures"][0] == {
        "label": "Median pay, exercise trainers and group fitness instructors (both jobs together)",
        "value": "$47,160 a year ($22.67 an hour); the mean is $52,420",
        "period": "May 2025",
        "source": "BLS Occupational Employment and Wage Statistics (OEWS), SOC 39-9031",
        "estimate": False,
        "note": "One occupation for both jobs. OEWS leaves out the self-employed, as many freelance trainers are.",
        "region": "US",
    }
    assert "NASM Certified Personal Trainer (NASM-CPT)" in [c["name"] for c in role["certifications"]["credentials"]]


def test_compare_selected_roles_in_order(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "personal-trainer", "fitness-instructor", "--json"])
    assert [r["id"] for r in json.loads(result.stdout)["roles"]] == ["personal-trainer", "fitness-instructor"]


def test_compare_table_shows_dimensions_and_figures(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare"])
    assert result.exit_code == 0
    out = result.stdout
    for words in (
        "Fitness instructor",
        "Personal trainer",
        "Certification",
        "relationship",
        "Income",
        "Choose this if",
        "$47,160 a year",
        "(estimate)",
        "ACE Group Fitness Instructor",
    ):
        assert words in out, words
    assert "\x1b[" not in out  # NO_COLOR


def test_unknown_role_is_one_line_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "yoga-teacher"])
    assert result.exit_code == 2
    assert (
        _one_error_line(result) == 'rolefit: unknown role "yoga-teacher" (known: fitness-instructor, personal-trainer)'
    )


def test_questions_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questions", "--for", "hiring", "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["quiz"] == "hiring"
    assert document["schema_version"] == 1
    first = document["questions"][0]
    assert set(first) == {"id", "text", "weight", "options"}
    assert first["id"] == "goal" and first["weight"] == 3
    assert first["options"][0] == {"id": "general", "label": "Get fitter in general and enjoy moving", "neutral": False}


def test_questions_table_lists_ids(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0
    assert "crowd: Who would you rather be coaching?" in result.stdout
    assert "1. full-room" in result.stdout


@pytest.mark.parametrize("persona", ["group-motivator", "detail-coach", "career-mix", "rehab-client"])
def test_quiz_json_from_answers_file(runner: CliRunner, tmp_path: Path, persona: str) -> None:
    quiz, answers = PERSONAS[persona]
    path = _answers_file(tmp_path, answers)
    result = runner.invoke(app, ["quiz", "--for", quiz, "--answers", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {
        "schema_version",
        "quiz",
        "code",
        "replay",
        "answers",
        "weights",
        "scores",
        "verdict",
        "stability",
        "warnings",
        "notes",
        "region",
        "next_steps",
        "pay",
        "area_pay",
        "checklist",
        "both_sides",
        "readiness",
        "explain",
        "glossary",
    }
    assert document["quiz"] == quiz and document["answers"] == answers
    fits = [s["fit"] for s in document["scores"]]
    assert fits == sorted(fits, reverse=True)
    assert set(document["scores"][0]) == {"role", "name", "fit", "ruled_out_by", "alternative", "breakdown"}
    assert set(document["verdict"]) == {"kind", "roles", "margin", "summary", "reasons", "ruled_out"}
    assert document["verdict"]["margin"] == round(fits[0] - fits[1], 1)


def test_quiz_answers_from_stdin_yaml_and_option_numbers(runner: CliRunner) -> None:
    _, answers = PERSONAS["group-motivator"]
    text = "".join(f"{q}: {o}\n" for q, o in answers.items()).replace("crowd: full-room", "crowd: 1")
    result = runner.invoke(app, ["quiz", "--answers", "-", "--json"], input=text)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["answers"]["crowd"] == "full-room"
    assert document["verdict"]["roles"] == ["fitness-instructor"]


def test_quiz_json_output_replays_as_answers(runner: CliRunner, tmp_path: Path) -> None:
    path = _answers_file(tmp_path, PERSONAS["detail-coach"][1])
    first = runner.invoke(app, ["quiz", "--answers", str(path), "--json"]).stdout
    saved = tmp_path / "result.json"
    saved.write_text(first)
    assert runner.invoke(app, ["quiz", "--answers", str(saved), "--json"]).stdout == first
    other = runner.invoke(app, ["quiz", "--for", "hiring", "--answers", str(saved)])
    assert other.exit_code == 2
    assert 'these answers are for the "career" quiz, not "hiring"' in _one_error_line(other)


def test_quiz_table_and_verdict_panel(runner: CliRunner, tmp_path: Path) -> None:
    path = _answers_file(tmp_path, PERSONAS["budget-beginner"][1])
    result = runner.invoke(app, ["quiz", "--for", "hiring", "--answers", str(path)])
    assert result.exit_code == 0
    out = result.stdout
    assert "Overall fit" in out and "Setting and schedule" in out  # the hiring quiz's name for it
    assert "Join group classes led by a fitness instructor." in out
    assert "Why:" in out and "points towards Fitness instructor" in out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda a: a.pop("music"), 'no answer for question "music"'),
        (lambda a: a.update(music="loud"), 'music: unknown option "loud" for question "music"'),
        (lambda a: a.update(tempo="fast"), 'tempo: unknown question "tempo" in quiz "career"'),
        (lambda a: a.update(music=9), "unknown option 9"),
    ],
)
def test_bad_answers_name_the_problem(runner: CliRunner, tmp_path: Path, edit: object, expected: str) -> None:
    answers: dict[str, object] = dict(PERSONAS["group-motivator"][1])
    edit(answers)  # type: ignore[operator]
    path = _answers_file(tmp_path, answers)  # type: ignore[arg-type]
    result = runner.invoke(app, ["quiz", "--answers", str(path), "--json"])
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line.startswith(f"rolefit: {path}:")
    assert expected in line


def test_answers_must_be_a_mapping(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("- crowd\n- music\n")
    result = runner.invoke(app, ["quiz", "--answers", str(path)])
    assert result.exit_code == 2
    assert "expected a mapping of question id to option id, got a list" in _one_error_line(result)


def test_quiz_without_terminal_points_at_answers(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quiz", "--json"], input="")
    assert result.exit_code == 2
    assert "pass --answers FILE" in _one_error_line(result)


def test_interactive_quiz_asks_again_and_keeps_stdout_json(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    questions = PERSONAS["group-motivator"][1]
    # "9" and "loud" are not options: the first question is asked again.
    replies = ["9", "loud", "1"] + ["1"] * (len(questions) - 1) + [""]  # Enter: equal weights
    result = runner.invoke(app, ["quiz", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)  # nothing but the document on stdout
    assert document["answers"]["coaching"] == "coach"
    assert document["answers"]["crowd"] == "full-room"
    assert document["answers"]["music"] == "quiet"
    assert "Question 1 of 12" in result.stderr and "Question 12 of 12" in result.stderr
    assert result.stderr.count("Please type a number from 1 to 5, or s to skip.") == 2


def test_interactive_quiz_accepts_option_ids(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    answers = PERSONAS["rehab-client"][1]
    result = runner.invoke(app, ["quiz", "--for", "hiring"], input="\n".join(answers.values()) + "\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Hire a personal trainer." in result.stdout
    assert "What is your main goal?" in result.stderr and "What is your main goal?" not in result.stdout


def test_end_of_input_during_the_quiz(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    result = runner.invoke(app, ["quiz", "--json"], input="1\n2\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "rolefit: input ended before the quiz was finished; nothing was scored"


def test_ctrl_c_exits_130(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)

    def interrupted(*_: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("rich.console.Console.input", interrupted)
    result = runner.invoke(app, ["quiz", "--json"])
    assert result.exit_code == 130
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_other_knowledge_base_with_three_roles(runner: CliRunner, small_kb_path: Path, tmp_path: Path) -> None:
    path = _answers_file(tmp_path, {"look": "no", "talk": "no"})
    result = runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--answers", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["quiz"] == "pick"  # the first quiz when none is named as default
    assert [s["role"] for s in document["scores"]] == ["backend", "data", "frontend"]
    # The same through the environment variable.
    result = runner.invoke(app, ["compare", "--json"], env={"ROLEFIT_DATA": str(small_kb_path)})
    assert [r["id"] for r in json.loads(result.stdout)["roles"]] == ["frontend", "backend", "data"]


def test_broken_knowledge_base_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("schema_version: 1\ntitle: x\nroles: {}\n")
    for command in (["compare"], ["questions"], ["quiz", "--answers", "-"]):
        result = runner.invoke(app, [*command, "--data", str(path)])
        assert result.exit_code == 2
        assert _one_error_line(result).startswith(f"rolefit: {path}:")


def test_unknown_quiz_and_bad_option(runner: CliRunner) -> None:
    result = runner.invoke(app, ["quiz", "--for", "dating"])
    assert result.exit_code == 2
    assert _one_error_line(result) == 'rolefit: unknown quiz "dating" (known: career, hiring)'
    result = runner.invoke(app, ["compare", "--colour"])
    assert result.exit_code == 2
    assert "No such option: --colour" in _one_error_line(result)


def test_version(runner: CliRunner) -> None:
    from rolefit import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"rolefit {__version__}\n"


# Each command and the shared options its help must show.
COMMAND_OPTIONS = {
    "about": ["--data", "--json"],
    "audit": ["--for", "--data", "--json", "--strict"],
    "compare": ["--data", "--json"],
    "quiz": ["--data", "--json"],
    "questions": ["--data", "--json"],
    "show": ["--for", "--data", "--json"],
    "validate": ["--json"],
    "init": ["--force"],
    "schema": ["knowledge-base", "quiz"],
}


def test_the_help_test_covers_every_command() -> None:
    import typer

    assert set(typer.main.get_command(app).commands) == set(COMMAND_OPTIONS)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(COMMAND_OPTIONS))
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: rolefit " + command in result.stdout
    for option in COMMAND_OPTIONS[command]:
        assert option in result.stdout, option


@pytest.mark.parametrize("command", [[], *([c] for c in sorted(COMMAND_OPTIONS))])
def test_help_shows_no_type_on_a_flag(runner: CliRunner, command: list[str]) -> None:
    """A flag takes no value: its help line is the flag and what it does, with no "<bool>"."""
    shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"}).stdout
    assert "<bool>" not in shown
    flag = {"init": "--force", "schema": "--help"}.get(command[0], "--json") if command else "--no-color"
    line = next(line for line in shown.splitlines() if line.startswith(f"│ {flag} "))
    assert re.fullmatch(rf"│ {flag} +(-h +)?[A-Z][^<>]+│", line), line
    assert re.search(r"│ --help +-h +Show this message and exit\. +│", shown)


def test_the_readme_says_how_long_the_test_command_takes() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    before = readme[: readme.index("<!-- test-command -->")].rstrip().rsplit("\n\n", 1)[1]
    assert re.search(r"take about \d+ to \d+ minutes", " ".join(before.split())), before


def test_the_exit_codes_are_the_references() -> None:
    from rolefit.errors import ExitCode

    reference = (Path(__file__).resolve().parents[1] / "docs" / "reference.md").read_text(encoding="utf-8")
    table = reference[reference.index("## Exit codes") : reference.index("Errors are one line on stderr")]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert documented == {code.value for code in ExitCode}


def test_the_one_private_typer_import_is_the_click_typer_raises() -> None:
    # process.py imports Click's exceptions from inside Typer, which vendors Click; if Typer
    # moves them, this fails before users see tracebacks instead of one-line errors.
    import typer

    from rolefit.cli import process

    assert issubclass(typer.BadParameter, process.ClickException)
    assert issubclass(process.NoArgsIsHelpError, process.ClickException)


def test_compare_names_what_each_quiz_may_recommend_instead(runner: CliRunner) -> None:
    document = json.loads(runner.invoke(app, ["compare", "--json"]).stdout)
    found = {(a["quiz"], a["id"]) for a in document["alternatives"]}
    assert found == {("career", "fitness-on-the-side"), ("hiring", "on-your-own"), ("hiring", "clinician-first")}
    on_your_own = next(a for a in document["alternatives"] if a["id"] == "on-your-own")
    assert on_your_own["traits"]["showmanship"] is None and on_your_own["traits"]["coaching"] == 0.0
    assert all(step["source"] and step["period"] for step in on_your_own["next_steps"])
    shown = " ".join(runner.invoke(app, ["compare"]).stdout.split())
    assert "Instead of every role, a quiz may recommend:" in shown and "A physiotherapist or doctor first" in shown
