"""For a screen reader (`--accessible`, ROLEFIT_ACCESSIBLE): every view as plain lines read in
order, each value labelled; no box drawing, bars or colour; prompts that say where they are."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Group
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.models import DIMENSIONS, KnowledgeBase
from rolefit.streams import accessible_asked
from rolefit.views.drawing import Either, Page, sheet
from tests.conftest import PERSONAS, at_a_terminal

#: Box drawing (U+2500–U+257F) and block elements (U+2580–U+259F): table borders, rules, panels, bars.
DRAWN = re.compile("[\u2500-\u259f]")
ESC = "\x1b"
CASES = str(Path(__file__).parent.parent / "data" / "cases.yaml")
ROLES = str(Path(__file__).parent.parent / "data" / "roles.yaml")
#: The group motivator's answers, and answers that rule out every role but one alternative.
CAREER = "career:1-1-3-3-1-3-3-1-1-2-1-1"
RULED_OUT = "hiring:1-1-1-1-1-2-1-1-1-1-1"
#: A client who would do as well in classes as with a trainer: both sides, costs, studies and a checklist.
BOTH = "hiring:2-2-2-2-2-2-2-2-2-2-2"
#: Symbols that a screen reader reads as noise, or skips, at the start of a line: what they
#: mean is said in words (or by the heading above) instead.
SYMBOLS = ("•", "✓", "✗", "!", "☐", "·", "…")

VIEWS = {
    "quiz": ["quiz", "--code", CAREER],
    "quiz --explain": ["quiz", "--code", CAREER, "--explain", "--region", "US-CA"],
    "quiz, ruled out": ["quiz", "--code", RULED_OUT, "--explain", "--weight", "income=3"],
    "quiz, nothing answered": ["quiz", "--code", "career:s-s-s-s-s-s-s-s-s-s-s-s"],
    "quiz, both": ["quiz", "--code", BOTH, "--region", "UK"],
    "compare": ["compare"],
    "compare --region": ["compare", "--region", "US-CA"],
    "show": ["show", "personal-trainer"],
    "show an alternative": ["show", "fitness-on-the-side"],
    "about": ["about"],
    "questions": ["questions"],
    "audit": ["audit", "--for", "career"],
    "audit --cases": ["audit", "--cases", CASES],
    "validate": ["validate", ROLES],
}


@pytest.fixture
def colour(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose environment asks for colour, as a terminal's would."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("ROLEFIT_DATA", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    return CliRunner()


@pytest.fixture
def wide(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner wide enough that no line is wrapped: a line of output is a line of the view."""
    monkeypatch.setenv("COLUMNS", "1000")
    return runner


def _read(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, ["--accessible", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", VIEWS.values(), ids=VIEWS.keys())
def test_every_view_is_plain_lines(colour: CliRunner, args: list[str]) -> None:
    drawn = colour.invoke(app, args)
    assert drawn.exit_code == 0, drawn.output
    if args[0] != "validate":  # the view for the eye has colour here, and boxes or bars
        assert ESC in drawn.stdout
    read = _read(colour, *args)
    assert read.strip()
    for number, line in enumerate(read.splitlines(), 1):
        assert not DRAWN.search(line), f"line {number}: {line!r}"
        assert ESC not in line, f"line {number}: {line!r}"
        assert "⚠" not in line and "→" not in line and " · " not in line, f"line {number}: {line!r}"
        assert not line.lstrip().startswith(SYMBOLS), f"line {number}: {line!r}"


@pytest.mark.parametrize("args", VIEWS.values(), ids=VIEWS.keys())
def test_no_line_read_out_is_padded_to_the_width(wide: CliRunner, args: list[str]) -> None:
    """At 1,000 columns, no line is wrapped, and none should be filled out with spaces to the
    width, which a braille display shows and a file keeps."""
    for number, line in enumerate(_read(wide, *args).splitlines(), 1):
        assert line == line.rstrip(), f"line {number}: {line[:60]!r}… {len(line) - len(line.rstrip())} spaces"


def test_each_role_is_one_line_with_its_fit_and_every_dimension(wide: CliRunner, kb: KnowledgeBase) -> None:
    for code in (CAREER, RULED_OUT):
        document = json.loads(wide.invoke(app, ["quiz", "--code", code, "--json"]).stdout)
        lines = _read(wide, "quiz", "--code", code).splitlines()
        quiz = kb.quizzes[document["quiz"]]
        shown = [s for s in document["scores"] if not s["alternative"] or s["role"] in document["verdict"]["roles"]]
        for s in shown:
            name = s["name"] + (" (recommended)" if s["role"] in document["verdict"]["roles"] else "")
            fit = f"Overall fit {s['fit']:.0f} of 100" + (", ruled out" if s["ruled_out_by"] else "")
            dimensions = s["breakdown"]["dimensions"]
            values = [f"{kb.dimension_name(d, quiz)} {dimensions[d]:.0f}" for d in DIMENSIONS if d in dimensions]
            assert "; ".join([f"{name}: {fit}", *values]) in lines
        assert f"Verdict: {document['verdict']['summary']}" in lines


def test_a_role_answered_nothing_about_is_said_to_be_not_known(wide: CliRunner) -> None:
    lines = _read(wide, "quiz", "--code", "career:s-s-s-s-s-s-s-s-s-s-s-s").splitlines()
    assert "Fitness instructor: Overall fit not known" in lines
    assert "Personal trainer: Overall fit not known" in lines


def test_compare_reads_each_role_with_every_row_labelled(wide: CliRunner, kb: KnowledgeBase) -> None:
    lines = _read(wide, "compare").splitlines()
    labels = ["In short", *(kb.dimension_name(d) for d in DIMENSIONS), "Choose this if", "Think twice if"]
    starts = [lines.index(role.name) for role in kb.roles.values()]  # each role: a heading line, after an empty one
    assert all(lines[start - 1] == "" for start in starts)
    for start, end, role in zip(starts, [*starts[1:], len(lines)], kb.roles.values(), strict=True):
        section = lines[start:end]
        for label in labels:
            assert any(line.startswith(f"{label}:") for line in section), (role.name, label)
        assert f"In short: {role.summary}" in section
        assert f"Focus: {role.focus.summary}" in section
        start = section.index("Choose this if:")  # each reason a line of its own, as written
        assert section[start + 1 : start + 1 + len(role.choose_if)] == list(role.choose_if)


def test_the_verdict_and_its_warnings_are_said_in_words(runner: CliRunner) -> None:
    read = _read(runner, "quiz", "--code", "career:1-1-1-1-1-1-1-1-1-1-1-1")
    flat = " ".join(read.split())
    assert "Warning: You chose option 1 for every question" in flat
    assert "Verdict, both: Fitness instructor and Personal trainer suit you almost equally." in flat
    assert "Words used" in read.splitlines()


def test_explain_reads_each_answer_with_its_points(wide: CliRunner) -> None:
    lines = _read(wide, "quiz", "--code", CAREER, "--explain").splitlines()
    said = 'You answered "A room of twenty people, all moving together" to "Who would you rather be coaching?": '
    line = next(line for line in lines if line.startswith(said))
    assert re.fullmatch(r"Fitness instructor [\d.]+; Personal trainer [\d.]+; out of [\d.]+", line[len(said) :])


def test_tables_of_show_audit_and_cases_read_a_row_a_line(wide: CliRunner, kb: KnowledgeBase) -> None:
    shown = _read(wide, "show", "personal-trainer").splitlines()
    trait = next(iter(kb.traits.values()))
    value = kb.roles["personal-trainer"].traits[next(iter(kb.traits))]
    # Some traits' ends hold "; ", so each trait is a paragraph, not a line.
    start = shown.index(trait.name)
    said = ["", trait.name, f"Value: {value:g}", f"0 means: {trait.low}", f"1 means: {trait.high}"]
    assert shown[start - 1 : start + 4] == said
    figure = next(f for f in kb.roles["personal-trainer"].income.figures if f.label.startswith("Median pay"))
    start = shown.index(figure.label)
    assert shown[start + 1].startswith("Value: ") and shown[start + 2] == "Period: May 2025"
    assert shown[start + 3].startswith(f"Source: {figure.source}")
    audited = _read(wide, "audit", "--for", "career").splitlines()
    assert any(re.fullmatch(r"Fitness instructor: Answer sets [\d,]+; Share [\d.]+%", line) for line in audited)
    assert any(line.startswith("Question: Who would you rather be coaching? It can flip") for line in audited)
    assert "Option: One person, with my full attention: favours Personal trainer by 40 points." in audited
    cases = _read(wide, "audit", "--cases", CASES).splitlines()
    assert any(re.fullmatch(r"[a-z0-9-]+( \(set aside\))?: Expected .+; Got .+ \([a-z ]+\)", line) for line in cases)


def test_questions_say_which_is_an_id_in_words(runner: CliRunner) -> None:
    lines = _read(runner, "questions").splitlines()
    assert "Question id coaching: Do you want to spend most of your working day coaching people?" in lines
    assert "  1. Option id coach: Yes; helping people exercise is the work I want" in lines


def test_validate_is_the_same_plain_lines(runner: CliRunner) -> None:
    assert _read(runner, "validate", ROLES) == runner.invoke(app, ["validate", ROLES]).stdout


@pytest.mark.parametrize("args", [VIEWS["quiz"], VIEWS["compare"], VIEWS["show"], VIEWS["questions"]], ids=str)
def test_the_variable_does_what_the_option_does(runner: CliRunner, args: list[str]) -> None:
    read = _read(runner, *args)
    drawn = runner.invoke(app, args).stdout
    assert read != drawn
    for value in ("1", "yes", "true", "on"):
        assert runner.invoke(app, args, env={"ROLEFIT_ACCESSIBLE": value}).stdout == read, value
    for value in ("0", "", "false", "No", "OFF"):
        assert runner.invoke(app, args, env={"ROLEFIT_ACCESSIBLE": value}).stdout == drawn, value


def test_what_the_variable_may_say() -> None:
    assert [accessible_asked(v) for v in (None, "", " ", "0", "false", "no", "off", "False")] == [False] * 8
    assert [accessible_asked(v) for v in ("1", "yes", "true", "on", "2", "please")] == [True] * 6
    # As a Japanese or Chinese keyboard types them; and bytes that are not UTF-8 (escaped by Python).
    assert [accessible_asked(v) for v in ("０", "ＯＦＦ", "Ｎｏ", "\u3000０")] == [False] * 4
    assert [accessible_asked(v) for v in ("１", "ｙｅｓ", "\udcff\udcfe")] == [True] * 3


@pytest.mark.parametrize("args", [VIEWS["quiz"], VIEWS["compare"], ["questions"], ["about"]], ids=str)
def test_json_is_the_same(runner: CliRunner, args: list[str]) -> None:
    drawn = runner.invoke(app, [*args, "--json"])
    read = runner.invoke(app, ["--accessible", *args, "--json"], env={"ROLEFIT_ACCESSIBLE": "1"})
    assert drawn.exit_code == read.exit_code == 0
    assert read.stdout == drawn.stdout


def test_help_names_the_option_and_the_variable(runner: CliRunner) -> None:
    told = " ".join(runner.invoke(app, ["--help"]).stdout.split())
    assert "--accessible" in told and "ROLEFIT_ACCESSIBLE=1" in told and "0 or empty: off" in told


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--accessible", "--help"], {}),
        (["quiz", "--help"], {"ROLEFIT_ACCESSIBLE": "1"}),
        ([], {"ROLEFIT_ACCESSIBLE": "1"}),
    ],
    ids=["--accessible", "ROLEFIT_ACCESSIBLE", "no command"],  # `rolefit` alone shows the help too
)
def test_help_is_plain_lines_for_a_screen_reader(runner: CliRunner, args: list[str], env: dict[str, str]) -> None:
    drawn = runner.invoke(app, [a for a in args if a != "--accessible"]).stdout
    read = runner.invoke(app, args, env=env)
    assert read.exit_code == 0
    assert DRAWN.search(drawn) and not DRAWN.search(read.stdout)
    assert read.stdout.startswith("Usage: ") and "\nOptions:\n" in read.stdout


def _answers(kb: KnowledgeBase, persona: str) -> list[str]:
    quiz_id, answers = PERSONAS[persona]
    return [str(q.options.index(q.option(answers[q.id])) + 1) for q in kb.quizzes[quiz_id].questions]  # type: ignore[arg-type]


def test_the_questions_say_their_number_and_how_to_answer(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    at_a_terminal(monkeypatch)
    quiz = kb.quizzes["career"]
    answers = _answers(kb, "group-motivator")
    typed = [answers[0], "9", "b", "", *answers[1:], "", *["y"] * len(quiz.readiness)]  # a wrong answer; back; keep
    result = runner.invoke(app, ["--accessible", "quiz"], input="\n".join(typed) + "\n", env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.stderr
    asked = result.stderr
    assert not DRAWN.search(asked) and ESC not in asked
    lines = asked.splitlines()
    total = len(quiz.questions)
    for number, question in enumerate(quiz.questions, 1):
        start = lines.index(f"Question {number} of {total}: {question.text}")
        for n, option in enumerate(question.options, 1):
            assert lines[start + n] == f"  {n}. {option.label}"
    flat = " ".join(asked.split())
    assert f"Question 1 of {total}, your answer: " in flat and f"Question {total} of {total}, your answer: " in flat
    assert "Type a number from 1 to 4 and press Enter; s skips this question; b goes back to question 1." in flat
    assert "Not an option: type a number from 1 to 4 and press Enter;" in flat  # the wrong answer, then back
    assert "Enter alone keeps your answer." in flat
    assert f"b goes back to question {total}; Enter alone weighs them all equally. Last step, your choice:" in flat
    readiness = len(quiz.readiness)
    for number, question in enumerate(quiz.readiness, 1):
        assert f"Readiness question {number} of {readiness}: {' '.join(question.text.split())}" in flat
    assert "Type y or n and press Enter; Enter alone skips it; s skips the rest:" in flat
    document = json.loads(
        runner.invoke(
            app, ["quiz", "--answers", "-", "--json"], input=json.dumps(PERSONAS["group-motivator"][1])
        ).stdout
    )
    fit = next(s for s in document["scores"] if s["role"] == "fitness-instructor")["fit"]
    assert f"Fitness instructor (recommended): Overall fit {fit:.0f} of 100;" in result.stdout


def test_the_offer_to_go_on_says_how_to_answer(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    runner.invoke(app, ["quiz"], input="1\n2\n")  # stopped at question 3: the answers are kept
    result = runner.invoke(app, ["--accessible", "quiz"], input="maybe\n\n", env={"COLUMNS": "1000"})
    lines = result.stderr.splitlines()
    offer = lines.index("Go on where you left off?")
    assert lines[offer - 1].startswith('You stopped at question 3 of 12 of "Which job suits me?" on ')
    how = "Type y to go on or n to start afresh, and press Enter; Enter alone goes on: "
    assert lines[offer + 1].startswith(how)  # the prompt; what is typed is not echoed here
    assert "Not an option: type y to go on" in result.stderr and "[Y/n]" not in result.stderr
    assert "Going on with your 2 answers kept; b goes back to them." in lines


def test_a_table_read_out() -> None:
    table = Table(title="Fits", caption="Weights: none")
    for header in ("", "Alpha", Either(Text("Beta"), Text("Beta (recommended)")), "Gamma"):
        table.add_column(header)
    table.add_row("Overall", Either(Text("90 ██"), Text("90 of 100")), "80", "")
    table.add_row("Focus", "1", Either(Text("–"), Text("not known")), "3")
    lines = ["Fits", "Alpha: Overall 90 of 100; Focus 1", "Beta (recommended): Overall 80; Focus not known"]
    lines += ["Gamma: Focus 3", "Weights: none"]
    assert _printed(sheet(table, by="column")) == "\n".join(lines) + "\n"
    lines = ["Fits", "Overall: Alpha 90 of 100; Beta (recommended) 80", "Focus: Alpha 1; Beta (recommended) not known;"]
    lines[-1] += " Gamma 3"
    assert _printed(sheet(table, by="row")) == "\n".join([*lines, "Weights: none"]) + "\n"
    longer = Table(title="Roles")
    for header in ("", "Alpha", "Beta"):
        longer.add_column(header)
    longer.add_row("Summary", "Short", "Shorter")
    longer.add_row("Choose if", Group(Text("• one"), Text("• two")), Group())
    lines = ["Roles", "", "Alpha", "Summary: Short", "Choose if:", "• one", "• two", "", "Beta", "Summary: Shorter"]
    assert _printed(sheet(longer, by="column")) == "\n".join(lines) + "\n"
    drawn = io.StringIO()
    Page(file=drawn, width=60, color_system=None).print(sheet(table, by="row"))
    assert "██" in drawn.getvalue() and "╭" not in drawn.getvalue() and "┃" in drawn.getvalue()


def test_a_label_holding_a_semicolon_reads_each_entry_as_a_paragraph() -> None:
    """A knowledge base's dimension or role name holding "; " would, on one line, read as
    more values than there are: "Overall fit 75; Hours; pay 50"."""
    table = Table()
    for header in ("", "Alpha; beta", "Gamma"):
        table.add_column(header)
    table.add_row("Overall fit", "75", "60")
    table.add_row("Hours; pay", "50", "40")
    lines = ["", "Alpha; beta", "Overall fit: 75", "Hours; pay: 50", "", "Gamma", "Overall fit: 60", "Hours; pay: 40"]
    assert _printed(sheet(table, by="column")) == "\n".join(lines) + "\n"
    lines = ["", "Overall fit", "Alpha; beta: 75", "Gamma: 60", "", "Hours; pay", "Alpha; beta: 50", "Gamma: 40"]
    assert _printed(sheet(table, by="row")) == "\n".join(lines) + "\n"
    table = Table()  # a name read first may hold one: the entries stay lines
    for header in ("", "Alpha"):
        table.add_column(header)
    table.add_row('You answered "Yes; often"', "75")
    assert _printed(sheet(table, by="row")) == 'You answered "Yes; often": Alpha 75\n'


def _printed(renderable: object) -> str:
    out = io.StringIO()
    Page(file=out, width=60, color_system=None, linear=True).print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("option", ["--accessible", "--no-color"])
def test_the_flag_after_the_command_says_where_it_goes(option: str) -> None:
    result = CliRunner().invoke(app, ["compare", option], prog_name="rolefit")
    assert result.exit_code == 2
    assert f"No such option: {option} (it goes before the command: `rolefit {option} compare ...`)" in result.output


def test_an_unknown_option_after_the_command_points_at_its_help() -> None:
    result = CliRunner().invoke(app, ["compare", "--accessibl"], prog_name="rolefit")
    assert result.exit_code == 2 and "(see `rolefit compare --help`)" in result.output


# What a listener, stepping through the lines one at a time, needs: a line is a whole item,
# what is the same is said once, a source is called one, and a wrong key gets one line.


@pytest.mark.parametrize(
    "args",
    [VIEWS["quiz --explain"], VIEWS["quiz, both"], VIEWS["compare"], VIEWS["show"], VIEWS["about"], VIEWS["audit"]],
    ids=str,
)
def test_no_line_is_wrapped_at_the_terminal_width(runner: CliRunner, args: list[str]) -> None:
    narrow = _read(runner, *args, env={"COLUMNS": "40"})
    assert narrow == _read(runner, *args, env={"COLUMNS": "1000"})
    assert max(len(line) for line in narrow.splitlines()) > 40


def test_each_role_is_one_line_at_40_columns(runner: CliRunner, kb: KnowledgeBase) -> None:
    document = json.loads(runner.invoke(app, ["quiz", "--code", CAREER, "--json"]).stdout)
    lines = _read(runner, "quiz", "--code", CAREER, env={"COLUMNS": "40"}).splitlines()
    quiz = kb.quizzes["career"]
    shown = [s for s in document["scores"] if not s["alternative"] or s["role"] in document["verdict"]["roles"]]
    for s in shown:
        name = s["name"] + (" (recommended)" if s["role"] in document["verdict"]["roles"] else "")
        values = [f"{kb.dimension_name(d, quiz)} {s['breakdown']['dimensions'][d]:.0f}" for d in DIMENSIONS]
        assert "; ".join([f"{name}: Overall fit {s['fit']:.0f} of 100", *values]) in lines
    verdict = next(line for line in lines if line.startswith("Verdict: "))
    assert verdict == f"Verdict: {document['verdict']['summary']}"


def test_the_help_is_not_wrapped_either(runner: CliRunner) -> None:
    told = runner.invoke(app, ["--accessible", "quiz", "--help"], env={"COLUMNS": "40"})
    assert told.exit_code == 0
    lines = told.stdout.splitlines()
    assert any(line.startswith("  --full ") and line.endswith("(piped: always).") for line in lines)
    assert "  Example: rolefit quiz --for hiring --explain --report result.html" in lines


def test_the_verdict_is_not_recapped_for_a_screen_reader(kb: KnowledgeBase) -> None:
    from rolefit.scoring.answers import decode
    from rolefit.scoring.score import score
    from rolefit.views.terminal import print_result

    quiz_id, answers, weights = decode(kb, CAREER)
    result = score(kb, quiz_id, answers, weights)
    said = {}
    for linear in (False, True):
        out = io.StringIO()
        console = Page(file=out, width=100, color_system=None, linear=linear)
        print_result(console, kb, result, "rolefit quiz", explain=False, brief=True, recap=True)
        said[linear] = out.getvalue().splitlines()
    summary = result.verdict.summary
    assert said[False][-3:] == ["", f"Verdict: {summary}", "Replay these answers: rolefit quiz"]  # for the eye, last
    assert [line for line in said[True] if summary in line] == [f"Verdict: {summary}"]  # read out, once
    assert said[True][-1] == "Replay these answers: rolefit --accessible quiz"


def test_compare_says_how_to_choose_a_region_first(wide: CliRunner, kb: KnowledgeBase) -> None:
    lines = _read(wide, "compare").splitlines()
    assert lines[:2] == [
        kb.title,
        "Showing every region. For yours alone: --region US, UK or AU;"
        " for one area's pay, add the area's code after a dash: US-XX.",
    ]
    assert sum("Showing every region" in line for line in lines) == 1
    local = _read(wide, "compare", "--region", "US-CA").splitlines()
    assert local[1].startswith("Region: California (United States). ")


def test_compare_reads_a_figure_both_roles_give_once(wide: CliRunner, kb: KnowledgeBase) -> None:
    lines = _read(wide, "compare").splitlines()
    instructor, trainer = (kb.roles[r].income.figures for r in ("fitness-instructor", "personal-trainer"))
    shared = [f for f in instructor if any(vars_of(f) == vars_of(g) for g in trainer)]
    own = [f for f in (*instructor, *trainer) if f not in shared and not any(vars_of(f) == vars_of(s) for s in shared)]
    assert len(shared) >= 3 and own  # the national statistics cover both jobs; some figures are a role's own
    start = lines.index("For both roles")
    assert lines[start - 1] == "" and lines[start + 1] == "Income:"
    assert start > lines.index(kb.roles["personal-trainer"].name)  # after the last role
    for figure in shared:
        said = [line for line in lines if line.startswith(f"{figure.label}: {figure.value}")]
        assert len(said) == 1 and lines.index(said[0]) > start, figure.label
    for figure in own:
        said = [n for n, line in enumerate(lines) if re.match(f"{re.escape(figure.label)}(: | \\()", line)]
        assert len(said) == 1 and said[0] < start, figure.label
    assert lines.count("More figures, the same for both roles, after the last role.") == 2  # each role's income says so
    drawn = " ".join(wide.invoke(app, ["compare"]).stdout.split())
    assert drawn.count(shared[0].value) == 2  # for the eye, each column keeps them: the table is read across


def test_compare_reads_an_area_s_pay_for_both_roles_once(wide: CliRunner) -> None:
    lines = _read(wide, "compare", "--region", "US-CA").splitlines()
    said = [line for line in lines if line.startswith("Pay of exercise trainers") or line.startswith("California: ")]
    assert len(said) == 1 and lines.index(said[0]) > lines.index("For both roles")


def vars_of(figure: object) -> tuple[object, ...]:
    return tuple(getattr(figure, name) for name in figure.__dataclass_fields__)  # type: ignore[attr-defined]


def test_sources_are_said_to_be_sources(wide: CliRunner, kb: KnowledgeBase) -> None:
    from rolefit.views.wording import caution_detail

    today = __import__("datetime").date.today()
    compared = _read(wide, "compare").splitlines()
    point = kb.roles["fitness-instructor"].think_twice[0]
    start = compared.index(f"{kb.regions[point.region].name}: {point.text}")  # type: ignore[index]
    assert compared[start + 1] == f"  Source: {caution_detail(point, today)}"
    full = _read(wide, "quiz", "--code", BOTH, "--region", "UK").splitlines()
    sources = [line for line in full if line.startswith("  ") and not line.startswith("  Source: ")]
    assert sources == [], sources  # every second line of an item is its source, and says so
    assert any(
        line.startswith("  Cost ") and ". Source: " in line
        for line in _read(wide, "quiz", "--code", CAREER).splitlines()
    )
    words = next(line for line in compared if line.startswith("OEWS: "))
    assert words.endswith(
        '. Source: US Bureau of Labor Statistics, "Occupational Employment and Wage Statistics", undated.'
    )


def test_symbols_are_words_or_left_to_the_heading(wide: CliRunner, kb: KnowledgeBase) -> None:
    full = _read(wide, "quiz", "--code", BOTH, "--region", "UK").splitlines()
    start = full.index("Before you decide, check:")
    checks = kb.quizzes["hiring"].checklist
    assert full[start + 1].startswith("To check: ") and full[start + 1][len("To check: ") :] in {c.text for c in checks}
    pt = kb.quizzes["hiring"].reasons("personal-trainer", kb.roles["personal-trainer"])
    start = full.index("Choose this if")
    assert full[start + 1 : start + 1 + len(pt)] == list(pt)
    assert full[start + 1 + len(pt)] == "Think twice if"
    downsides = {c.text for c in kb.quizzes["hiring"].cautions("personal-trainer", kb.roles["personal-trainer"])}
    assert full[start + 2 + len(pt)] in downsides and full[start + 3 + len(pt)].startswith("  Source: ")
    every_region = _read(wide, "quiz", "--code", BOTH).splitlines()
    assert any(re.fullmatch(r"And \d+ more: the report \(--report FILE\) or --json", line) for line in every_region)


def test_a_wrong_key_is_answered_in_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    at_a_terminal(monkeypatch)
    quiz = kb.quizzes["career"]
    answers = _answers(kb, "group-motivator")
    typed = [answers[0], "9", *answers[1:], "9", "", "x", *["y"] * len(quiz.readiness)]
    result = runner.invoke(app, ["--accessible", "quiz"], input="\n".join(typed) + "\n", env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert not any("Please type" in line for line in lines)  # the warning the eye gets: here said in the prompt
    how = "type a number from 1 to 4 and press Enter; s skips this question; b goes back to question 1."
    # The reply is not echoed by the runner, so the line says the prompt, then the next.
    again = lines.index(f"Question 2 of {len(quiz.questions)}, your answer: Not an option: {how}")
    assert lines[again - 1] == how[:1].upper() + how[1:]
    assert lines[again + 1].startswith(f"Question 2 of {len(quiz.questions)}, your answer: ")
    assert any(line.startswith("Last step, your choice: Not an option: type up to two numbers") for line in lines)
    said = "Not an option: type y or n and press Enter; Enter alone skips it; s skips the rest: "
    assert f"s skips the rest: {said}Readiness question 2 of" in result.stderr
    drawn = runner.invoke(app, ["quiz"], input="\n".join(typed) + "\n")
    assert "Please type a number from 1 to 4, or s to skip, b to go back." in drawn.stderr  # for the eye, as it was
    assert "Not an option" not in drawn.stderr


def test_commands_shown_to_a_screen_reader_run_in_the_same_mode(runner: CliRunner) -> None:
    """The replay line (and, in JSON, nothing new): running what was read out reads the same way."""
    read = runner.invoke(app, ["--accessible", "quiz", "--code", CAREER], env={"COLUMNS": "1000"}).stdout
    assert read.splitlines()[-1] == f"Replay these answers: rolefit --accessible quiz --code {CAREER}"
    drawn = runner.invoke(app, ["quiz", "--code", CAREER], env={"COLUMNS": "1000"}).stdout
    assert drawn.splitlines()[-1] == f"Replay these answers: rolefit quiz --code {CAREER}"
    assert "And 7 more: rolefit --accessible show fitness-instructor" in read.splitlines()
    document = json.loads(runner.invoke(app, ["--accessible", "quiz", "--code", CAREER, "--json"]).stdout)
    assert document["replay"] == f"rolefit quiz --code {CAREER}"


def test_a_stopped_quiz_read_out_says_to_go_on_in_the_same_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    stopped = CliRunner().invoke(app, ["--accessible", "quiz", "--for", "hiring"], input="1\n")
    said = " ".join(stopped.stderr.split())
    assert "run `rolefit --accessible quiz --for hiring` again to go on," in said


def test_the_short_result_suggests_a_report_only_when_none_is_written(kb: KnowledgeBase) -> None:
    from rolefit.scoring.answers import decode
    from rolefit.scoring.score import score
    from rolefit.views.terminal import print_result

    result = score(kb, *decode(kb, CAREER)[:2])
    said = {}
    for reported in (False, True):
        out = io.StringIO()
        console = Page(file=out, width=100, color_system=None)
        print_result(console, kb, result, "rolefit quiz", explain=False, brief=True, reported=reported)
        said[reported] = out.getvalue()
    assert "rolefit quiz --full" in said[False] and "rolefit quiz --full" in said[True]
    assert "Or add --report FILE.html" in said[False] and "--report" not in said[True]
