"""Explanations, stability, weights, dealbreakers, moving through the quiz, replay, warnings, show."""

from __future__ import annotations

import io
import itertools
import json
import os
import shlex
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import RolefitError
from rolefit.kb.models import KnowledgeBase
from rolefit.scoring.answers import choose_answers, decode, encode
from rolefit.scoring.decision import outcome_key
from rolefit.scoring.score import score
from tests.conftest import PERSONAS, SMALL_KB, at_a_terminal

BIN = Path(sys.executable).parent


def _file(tmp_path: Path, answers: dict[str, object]) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    return str(path)


def _quiz_json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["quiz", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# 1. Why, answer by answer.


def test_explain_contributions_add_up_to_each_fit(kb: KnowledgeBase) -> None:
    result = score(kb, *PERSONAS["detail-coach"])
    for fit in result.fits:
        total = sum(c.points.get(fit.role, 0.0) for c in result.contributions)
        assert total == pytest.approx(fit.fit, abs=0.1 * len(result.contributions))
    first_roles = [f.role for f in result.fits if not f.alternative][:2]  # the two best roles
    spreads = [abs(c.points[first_roles[0]] - c.points[first_roles[1]]) for c in result.contributions if c.points]
    # Largest difference first, as worked out before the points shown are rounded (each by up to 0.05).
    assert all(a >= b - 0.1 - 1e-9 for a, b in itertools.pairwise(spreads)), spreads
    first = result.contributions[0]
    assert first.text.startswith('"One person, with my full attention" ("Who would you rather be coaching?")')


def test_explain_in_terminal_and_json(runner: CliRunner, tmp_path: Path) -> None:
    path = _file(tmp_path, PERSONAS["group-motivator"][1])
    document = _quiz_json(runner, "--answers", path)
    assert {e["question"] for e in document["explain"]} == set(PERSONAS["group-motivator"][1])
    human = runner.invoke(app, ["quiz", "--answers", path, "--explain"]).stdout
    assert "Why, answer by answer" in human
    assert "→ A room of twenty people, all moving together" in human
    assert "Why, answer by answer" not in runner.invoke(app, ["quiz", "--answers", path]).stdout


# 2. How solid the verdict is.


def test_a_persona_far_from_the_line_is_clear(kb: KnowledgeBase) -> None:
    stability = score(kb, *PERSONAS["group-motivator"]).stability
    assert stability.label == "clear"
    must_haves = sum(o.rules_out_every(kb.roles) for q in kb.quizzes["career"].questions for o in q.options)
    assert must_haves == 3  # not counted: each would end any verdict
    assert stability.changes == sum(len(q.options) - 1 for q in kb.quizzes["career"].questions) - must_haves
    assert not stability.flips
    assert (
        f"none of the {stability.changes} other answers you could have given would change this verdict"
        in stability.text
    )


def test_no_preference_everywhere_is_not_enough_answers(kb: KnowledgeBase) -> None:
    answers = {q.id: "no-preference" for q in kb.quizzes["career"].questions}
    stability = score(kb, "career", answers).stability
    assert stability.label == "not-enough-answers"
    assert "margin" not in stability.text


def test_mostly_skipped_is_not_enough_answers_whatever_the_fit(kb: KnowledgeBase) -> None:
    answers: dict[str, str | None] = dict.fromkeys(PERSONAS["group-motivator"][1])
    answers.update(crowd="full-room", music="love-it", progress="everyone-moving")
    result = score(kb, "career", answers)
    assert result.fits[0].fit > 80
    assert result.stability.label == "not-enough-answers"
    # Only the answered questions are changed.
    assert result.stability.changes == 3 * 3


def _without_dealbreakers(kb: KnowledgeBase) -> KnowledgeBase:
    quizzes = {
        quiz_id: replace(
            quiz,
            questions=tuple(
                replace(q, options=tuple(replace(o, rules_out=()) for o in q.options)) for q in quiz.questions
            ),
        )
        for quiz_id, quiz in kb.quizzes.items()
    }
    return replace(kb, quizzes=quizzes)


def _answers(kb: KnowledgeBase, quiz: str) -> st.SearchStrategy[dict[str, str | None]]:
    return st.fixed_dictionaries(
        {q.id: st.one_of(st.sampled_from([o.id for o in q.options]), st.none()) for q in kb.quizzes[quiz].questions}
    )


def _holds_to_its_definition(
    kb: KnowledgeBase, quiz: str, answers: dict[str, str | None], weights: dict[str, float] | None = None
) -> None:
    """Every stability claim, worked out again from whole results rather than the engine's shortcuts:
    each listed flip gives the verdict it names, each unlisted change keeps the verdict, and the label
    is the one its definition gives. A change to an answer that rules out every role is not one
    that counts (it ends any verdict)."""
    result = score(kb, quiz, answers, weights)
    questions = kb.quizzes[quiz].questions
    current = outcome_key(result.verdict.kind, result.verdict.roles)
    listed = {(f.question, f.option): outcome_key(f.kind, f.roles) for f in result.stability.flips}
    tried = kept = 0
    for question in questions:
        if answers[question.id] is None:  # a skipped question stays skipped
            continue
        for option in question.options:
            if option.id != answers[question.id] and not option.rules_out_every(kb.roles):
                changed = score(kb, quiz, {**answers, question.id: option.id}, weights).verdict
                outcome = outcome_key(changed.kind, changed.roles)
                assert outcome == listed.get((question.id, option.id), current)
                tried += 1
                kept += outcome == current
    skipped = sum(1 for o in answers.values() if o is None)
    counting = any(c.possible for c in result.contributions)
    alone = score(_without_dealbreakers(kb), quiz, answers, weights).verdict
    stability = result.stability
    assert stability.changes == tried
    assert len(listed) == len(stability.flips) == tried - kept
    if skipped * 2 > len(questions) or not counting:
        assert stability.label == "not-enough-answers"
    elif outcome_key(alone.kind, alone.roles) != current:
        assert stability.label == "ruled-out"
        assert result.verdict.ruled_out
    else:
        clear, close = kb.scoring.clear_keeps, kb.scoring.close_keeps
        expected = "clear" if kept / tried >= clear else "close" if kept / tried >= close else "uncertain"
        assert stability.label == expected
        if kept == tried > 1:
            assert f"none of the {tried} other answers you could have given would change" in stability.text
        else:
            assert f"{kept} of the {tried} other answer" in stability.text


@settings(max_examples=80, deadline=None)
@given(data=st.data(), quiz=st.sampled_from(["career", "hiring"]))
def test_every_stability_claim_is_true(kb: KnowledgeBase, data: st.DataObject, quiz: str) -> None:
    answers = data.draw(_answers(kb, quiz))
    weights = data.draw(
        st.fixed_dictionaries(
            {}, optional={"focus": st.sampled_from([0.0, 2.0]), "income": st.sampled_from([0.5, 3.0])}
        )
    )
    _holds_to_its_definition(kb, quiz, answers, weights)


def test_close_verdict_names_what_would_flip_it(kb: KnowledgeBase) -> None:
    result = score(kb, *decode(kb, "hiring:2-1-3-2-1-3-1-2-3-2-4")[:2])
    assert result.stability.label == "uncertain" and result.stability.flips
    flip = result.stability.flips[0]
    assert flip.text in result.stability.text
    changed = score(kb, "hiring", {**result.answers, flip.question: flip.option}).verdict
    assert (changed.kind, changed.roles) == (flip.kind, flip.roles)
    assert outcome_key(flip.kind, flip.roles) != outcome_key(result.verdict.kind, result.verdict.roles)


# 3. Importance weights.


def test_weights_change_the_fit_and_are_shown(runner: CliRunner, tmp_path: Path) -> None:
    path = _file(tmp_path, PERSONAS["career-mix"][1])
    plain = _quiz_json(runner, "--answers", path)
    weighted = _quiz_json(runner, "--answers", path, "--weight", "focus=0", "--weight", "income=3")
    assert weighted["weights"] == {
        "focus": 0.0,
        "environment": 1.0,
        "certifications": 1.0,
        "client_relationship": 1.0,
        "income": 3.0,
    }
    assert "focus" in plain["scores"][0]["breakdown"]["dimensions"]
    assert "focus" not in weighted["scores"][0]["breakdown"]["dimensions"]
    assert [s["fit"] for s in weighted["scores"]] != [s["fit"] for s in plain["scores"]]
    assert weighted["code"].endswith("+focus=0,income=3")
    human = runner.invoke(app, ["quiz", "--answers", path, "--weight", "income=3"]).stdout
    assert "Weights: Income ×3; others ×1" in human


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("pay=2", 'unknown dimension "pay"'),
        ("income", "expected DIMENSION=N"),
        ("income=11", "from 0 to 10"),
        ("income=lots", "expected a number"),
    ],
)
def test_bad_weight(runner: CliRunner, tmp_path: Path, item: str, message: str) -> None:
    result = runner.invoke(app, ["quiz", "--answers", _file(tmp_path, PERSONAS["career-mix"][1]), "--weight", item])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


# 4. Dealbreakers.


def test_dealbreaker_rules_a_role_out_instead_of_averaging(kb: KnowledgeBase) -> None:
    answers = dict(PERSONAS["rehab-client"][1], budget="tight")
    result = score(kb, "hiring", answers)
    trainer = next(f for f in result.fits if f.role == "personal-trainer")
    instructor = next(f for f in result.fits if f.role == "fitness-instructor")
    assert trainer.fit > instructor.fit  # would have won on points
    assert trainer.ruled_out_by == "budget"
    assert "personal-trainer" not in result.verdict.roles
    assert result.stability.label == "ruled-out"
    assert "your fits alone would recommend Personal trainer" in result.stability.text
    # The budget rules out the trainer (a rehab answer also rules out training alone).
    ruled = next(r for r in result.verdict.ruled_out if r.role == "personal-trainer")
    assert ruled.role == "personal-trainer" and ruled.question == "budget"
    assert ruled.text == (
        'You answered "As little as possible; a class pass or gym membership is my limit" to'
        ' "What can you spend on each session?": that rules out Personal trainer.'
    )


# 5. Moving through the quiz.


def test_skip_back_and_progress(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    # Q1: 3; Q2: back; Q1 again: 1; Q2: skip; the rest: 1; weights: 1 5.
    replies = ["3", "b", "1", "s"] + ["1"] * 10 + ["1 5"]
    result = runner.invoke(app, ["quiz", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["answers"]["coaching"] == "coach"
    assert document["answers"]["crowd"] is None
    assert document["weights"]["focus"] == 2.0 and document["weights"]["income"] == 2.0
    assert result.stderr.count("Question 1 of 12") == 2
    assert "(your answer)" in result.stderr  # going back shows the earlier choice
    assert document["code"].startswith("career:1-s-")


def test_enter_after_going_back_keeps_the_answer_and_only_then(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_a_terminal(monkeypatch)
    # Q1: 3; Q2: back; Q1 again: Enter keeps 3; Q2: Enter asks again, then 2; the rest: 1; weights: Enter.
    replies = ["3", "b", "", "", "2"] + ["1"] * 10 + [""]
    result = runner.invoke(app, ["quiz", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "career:3-2-" + "-".join("1" * 10)
    assert "s to skip, Enter to keep your answer): " in result.stderr
    # Enter at Q2, unanswered:
    assert result.stderr.count("Please type a number from 1 to 4, or s to skip, b to go back.") == 1


def test_the_weights_step_says_what_each_dimension_means(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)
    for quiz, count, lines in (
        (
            "career",
            12,
            [
                "1. Focus: General or individual goals; Set format or bespoke plan",
                "3. Certification & education: Depth of study",
                "5. Income: How the work is paid",
            ],
        ),
        (
            "hiring",
            11,
            [  # in a client's words (the quiz's `trait_names`), not a job seeker's
                "1. Your goals: A plan for you, or general fitness; Set classes, or sessions planned for you;"
                " Health care first",
                "5. Cost and how you pay: Paying per session, or a monthly pass",
            ],
        ),
    ):
        asked = runner.invoke(app, ["quiz", "--for", quiz, "--json"], input="s\n" * count + "\n")
        assert asked.exit_code == 0, asked.stderr
        said = " ".join(asked.stderr.split())  # a long line wraps at the terminal's width
        for line in lines:
            assert f" {line} " in said


def test_skipped_is_not_neutral_but_leaves_the_score_alone(kb: KnowledgeBase) -> None:
    quiz, answers = PERSONAS["detail-coach"]
    skipped = score(kb, quiz, {**answers, "music": None})
    neutral = score(kb, quiz, {**answers, "music": "no-preference"})
    assert [f.fit for f in skipped.fits] == [f.fit for f in neutral.fits]
    assert skipped.answers["music"] is None and neutral.answers["music"] == "no-preference"


# 6. Replay and share.


@settings(max_examples=50, deadline=None)
@given(data=st.data(), quiz=st.sampled_from(["career", "hiring"]))
def test_codes_replay_exactly(kb: KnowledgeBase, data: st.DataObject, quiz: str) -> None:
    answers = data.draw(_answers(kb, quiz))
    weights = data.draw(st.fixed_dictionaries({}, optional={"environment": st.sampled_from([0.0, 2.5, 10.0])}))
    full = {
        **dict.fromkeys(("focus", "environment", "certifications", "client_relationship", "income"), 1.0),
        **weights,
    }
    code = encode(quiz, kb.quizzes[quiz], answers, full)
    assert decode(kb, code) == (quiz, answers, weights)


def test_code_and_saved_file_replay_through_the_cli(runner: CliRunner, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    first = _quiz_json(
        runner,
        "--answers",
        _file(tmp_path, PERSONAS["hiring-mix"][1]),
        "--for",
        "hiring",
        "--weight",
        "income=2",
        "--save",
        str(saved),
    )
    assert json.loads(saved.read_text()) == first
    assert _quiz_json(runner, "--code", first["code"]) == first
    assert _quiz_json(runner, "--answers", str(saved)) == first  # the weights come back too
    human = runner.invoke(app, ["quiz", "--code", first["code"]]).stdout
    assert f"rolefit quiz --code {first['code']}" in human


def _own_knowledge_base(folder: Path) -> Path:
    """The starter knowledge base (a three-question quiz, a UK region), in a folder whose
    name a shell would split and unquote."""
    folder.mkdir()
    path = folder / "my kb's.yaml"
    path.write_text(resources.files("rolefit").joinpath("starter.yaml").read_text())
    return path


def test_the_printed_replay_line_run_in_a_shell_gives_the_same_result(tmp_path: Path) -> None:
    kb_path = _own_knowledge_base(tmp_path / "two words")
    environ = {**os.environ, "NO_COLOR": "1", "COLUMNS": "40", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    environ.pop("ROLEFIT_DATA", None)
    environ.pop("ROLEFIT_REGION", None)

    def run(command: list[str], cwd: Path) -> str:
        done = subprocess.run(command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # Named relative to its folder, and the region in lower case, as people type them.
    asked = ["rolefit", "quiz", "--data", kb_path.name, "--region", "uk", "--code", "career:1-2-s"]
    shown = run(asked, kb_path.parent).splitlines()
    prefix = "Replay these answers: "
    replay = next(line for line in shown if line.startswith(prefix)).removeprefix(prefix)
    assert replay == shlex.join(["rolefit", "quiz", "--code", "career:1-2-s", "--data", str(kb_path), "--region", "UK"])
    # Run from another folder, by a shell: the same document, the same verdict.
    again = json.loads(run(["bash", "-c", f"{replay} --json"], tmp_path))
    first = json.loads(run([*asked, "--json"], kb_path.parent))
    assert again == first
    assert first["region"]["code"] == "UK" and first["replay"] == replay


def test_the_saved_result_and_the_report_carry_the_replay_command(runner: CliRunner, tmp_path: Path) -> None:
    kb_path = _own_knowledge_base(tmp_path / "kb")
    saved, report = tmp_path / "result.json", tmp_path / "report.md"
    args = ["--data", str(kb_path), "--region", "UK", "--code", "career:2-1-1", "--save", str(saved)]
    document = _quiz_json(runner, *args, "--report", str(report))
    replay = f"rolefit quiz --code career:2-1-1 --data {shlex.quote(str(kb_path))} --region UK"
    assert document["replay"] == replay
    assert json.loads(saved.read_text())["replay"] == replay
    assert replay in report.read_text()
    # The built-in knowledge base, named or not, needs no --data; no region, no --region.
    for named in ((), ("--data", str(Path(__file__).parents[1] / "data" / "roles.yaml"))):
        built_in = _quiz_json(runner, *named, "--code", "hiring:" + "-".join("1" * 11))
        assert built_in["replay"] == f"rolefit quiz --code {built_in['code']}"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("career", "does not decode"),
        ("dating:1-2", 'unknown quiz "dating"'),
        ("career:1-2-3", 'has 3 answers, but quiz "career" has 12 questions'),
        ("career:9-1-1-1-1-1-1-1-1-1-1-1", "answer 1 (coaching) must be 1 to 5 or s"),
        ("career:1-1-3-3-1-1-3-1-1-1-1-1+looks=2", 'unknown dimension "looks"'),
    ],
)
def test_bad_codes(runner: CliRunner, code: str, message: str) -> None:
    result = runner.invoke(app, ["quiz", "--code", code])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_save_is_atomic(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "result.json"
    saved.write_text("precious")

    def failing_replace(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = runner.invoke(
        app, ["quiz", "--answers", _file(tmp_path, PERSONAS["detail-coach"][1]), "--save", str(saved)]
    )
    assert result.exit_code == 2
    assert "cannot write: No space left on device" in result.stderr
    assert saved.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json", "result.json"]  # no temporary left


# 7. Answer-quality warnings.


def test_warnings_instead_of_an_invented_winner(kb: KnowledgeBase) -> None:
    questions = kb.quizzes["career"].questions
    neutral = score(kb, "career", {q.id: "no-preference" for q in questions})
    assert [w.code for w in neutral.warnings] == ["no-preference"] and neutral.verdict.kind == "neither"
    skipped = score(kb, "career", {q.id: (None if i < 7 else q.options[0].id) for i, q in enumerate(questions)})
    # The five answers left are all option 1, but so few say nothing about a habit of answering.
    assert [w.code for w in skipped.warnings] == ["mostly-skipped"] and skipped.verdict.kind == "neither"
    assert skipped.verdict.summary == "You skipped 7 of 12 questions: too few answers to recommend a role."
    same = score(kb, "career", {q.id: q.options[1].id for q in questions})
    assert [w.code for w in same.warnings] == ["same-option"]
    assert "option 2 for every question" in same.warnings[0].text
    assert score(kb, *PERSONAS["detail-coach"]).warnings == ()


def test_warnings_shown_next_to_the_verdict(runner: CliRunner, tmp_path: Path) -> None:
    answers = {q: "no-preference" for q in PERSONAS["group-motivator"][1]}
    out = runner.invoke(app, ["quiz", "--answers", _file(tmp_path, answers)]).stdout
    assert "⚠ Every answer was a 'no preference'" in out


#: Answers whose verdict recommends both roles, the personal trainer fitting income 15 of 100.
POOR_INCOME = "career:2-2-1-2-2-4-3-3-4-2-1-4"
POOR_INCOME_WARNING = "You weighted Income ×2, but Personal trainer fits it only 15 of 100."


def test_a_dimension_weighted_up_that_the_verdict_fits_poorly_is_named(kb: KnowledgeBase) -> None:
    quiz, answers, _ = decode(kb, POOR_INCOME)
    weighted = score(kb, quiz, answers, {"income": 2})
    assert weighted.verdict.roles == ("personal-trainer", "fitness-instructor")
    assert [tuple(w) for w in weighted.warnings] == [("weighted-poor-fit", POOR_INCOME_WARNING)]
    # Not weighted up: nothing to warn of, though the fit is as poor.
    assert score(kb, quiz, answers).warnings == ()
    assert score(kb, quiz, answers, {"income": 1, "focus": 0.5}).warnings == ()
    # Weighted up, where every role recommended fits well: nothing either.
    fits = {d for f in weighted.fits if f.role in weighted.verdict.roles for d, v in f.dimensions.items() if v < 50}
    well = next(d for d in ("focus", "environment", "certifications", "client_relationship") if d not in fits)
    assert score(kb, quiz, answers, {well: 3}).warnings == ()


def test_a_poorly_fitted_weight_shown_in_the_verdict_the_report_and_the_json(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    shown = runner.invoke(app, ["quiz", "--code", POOR_INCOME, "--weight", "income=2", "--report", str(report)])
    assert shown.exit_code == 0, shown.stderr
    verdict = shown.stdout[shown.stdout.index("Verdict: both") :]
    assert "⚠ " + POOR_INCOME_WARNING in " ".join(verdict.replace("│", " ").split())
    assert POOR_INCOME_WARNING in " ".join(report.read_text().split())
    document = _quiz_json(runner, "--code", POOR_INCOME + "+income=2")
    assert document["warnings"] == [{"code": "weighted-poor-fit", "text": POOR_INCOME_WARNING}]


def test_a_dimension_picked_in_the_weights_step_is_warned_of(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_a_terminal(monkeypatch)
    typed = [*POOR_INCOME.split(":")[1].split("-"), "5"]  # income is the fifth dimension
    done = runner.invoke(app, ["quiz", "--json"], input="\n".join(typed) + "\n" + "s\n")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["warnings"] == [{"code": "weighted-poor-fit", "text": POOR_INCOME_WARNING}]


# 8. show ROLE.


def test_show_role(runner: CliRunner, kb: KnowledgeBase) -> None:
    result = runner.invoke(app, ["show", "personal-trainer"], env={"COLUMNS": "200"})  # no period wrapped
    assert result.exit_code == 0
    for figure in kb.roles["personal-trainer"].income.figures:
        assert figure.period in result.stdout
    assert "(estimate)" in result.stdout and "NASM Certified Personal Trainer" in result.stdout
    document = json.loads(runner.invoke(app, ["show", "personal-trainer", "--json"]).stdout)
    assert document["schema_version"] == 1
    role = document["role"]
    assert role["id"] == "personal-trainer"
    assert all(f["source"] and f["period"] for f in role["income"]["figures"])
    assert {t["id"]: t["value"] for t in role["traits"]}["group_energy"] == 0.1
    missing = runner.invoke(app, ["show", "yoga"])
    assert missing.exit_code == 2 and 'unknown role or alternative "yoga"' in missing.stderr
    assert "on-your-own" in missing.stderr  # the alternatives are named among what it knows


def test_show_an_alternative(runner: CliRunner, kb: KnowledgeBase) -> None:
    alternative = kb.quizzes["hiring"].alternatives["clinician-first"]
    result = runner.invoke(app, ["show", "clinician-first", "--region", "UK"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert alternative.name in result.stdout and alternative.choose_if[0] in result.stdout
    assert "--for hiring" in result.stdout
    assert "NHS physiotherapist" in result.stdout and "APTA" not in result.stdout  # its steps, in the region
    document = json.loads(runner.invoke(app, ["show", "clinician-first", "--json"]).stdout)
    assert document["role"] is None
    shown = document["alternative"]
    assert (shown["quiz"], shown["id"], shown["name"]) == ("hiring", "clinician-first", alternative.name)
    places = {t["id"]: t["value"] for t in shown["traits"]}
    assert places["clinical"] == 1.0 and places["group_energy"] is None  # indifferent: null, not 0.5
    assert [s["text"] for s in shown["next_steps"]] == [s.text for s in alternative.next_steps]
    # --for names the quiz; an alternative of another quiz is not found there.
    assert runner.invoke(app, ["show", "clinician-first", "--for", "hiring", "--json"]).exit_code == 0
    elsewhere = runner.invoke(app, ["show", "clinician-first", "--for", "career"])
    assert elsewhere.exit_code == 2 and 'unknown role or alternative "clinician-first"' in elsewhere.stderr


def test_an_alternative_of_several_quizzes_needs_for(runner: CliRunner, tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "data" / "roles.yaml").read_text(encoding="utf-8")
    # The hiring quiz's clinician-first, given to the career quiz as well (its steps as they are).
    start = text.index("      clinician-first:\n        name:")
    end = text.index("    leaning:", start)
    block = text[start:end]
    data = tmp_path / "kb.yaml"
    career = "    alternatives:\n      fitness-on-the-side:"
    data.write_text(text.replace(career, "    alternatives:\n" + block + "      fitness-on-the-side:", 1))
    both = runner.invoke(app, ["show", "clinician-first", "--data", str(data)])
    assert both.exit_code == 2
    assert '"clinician-first" is an alternative in the quizzes career, hiring: name one with --for' in both.stderr
    one = runner.invoke(app, ["show", "clinician-first", "--for", "career", "--data", str(data), "--json"])
    assert one.exit_code == 0 and json.loads(one.stdout)["alternative"]["quiz"] == "career"


# 9. The right words for the audience.


def test_verdict_words_come_from_the_quiz(kb: KnowledgeBase) -> None:
    career = score(kb, *PERSONAS["detail-coach"]).verdict.summary
    hiring = score(kb, *PERSONAS["rehab-client"]).verdict.summary
    assert career == kb.quizzes["career"].advice["personal-trainer"]
    assert hiring == kb.quizzes["hiring"].advice["personal-trainer"] == "Hire a personal trainer."
    both = score(kb, *PERSONAS["hiring-mix"]).verdict.summary
    assert both.startswith("Group classes and a personal trainer would suit you about equally")


def test_decode_refuses_unknown_quiz(kb: KnowledgeBase) -> None:
    with pytest.raises(RolefitError):
        decode(kb, "nope:1")


@st.composite
def _many_roles(draw: st.DrawFn) -> tuple[KnowledgeBase, dict[str, str | None]]:
    """A random knowledge base with several roles, to exercise the stability check's shortcuts."""
    from rolefit.kb.validation import validate

    traits = ["a", "b", "c"]
    positions = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 1.0])
    aspect = {"summary": "x"}
    roles = {
        f"r{i}": {
            "name": f"Role {i}",
            "summary": "x",
            "duties": ["x"],
            "choose_if": ["x"],
            "traits": {t: draw(positions) for t in traits},
            "focus": aspect,
            "environment": aspect,
            "certifications": aspect,
            "client_relationship": aspect,
            "income": aspect,
        }
        for i in range(draw(st.integers(3, 12)))
    }
    questions = []
    for q in range(draw(st.integers(2, 6))):
        options = [
            {
                "id": f"o{o}",
                "label": f"O{o}",
                "places": {t: draw(positions) for t in draw(st.sets(st.sampled_from(traits), min_size=1, max_size=2))},
                # One option in ten rules out every role (`rules_out: all`).
                "rules_out": draw(st.lists(st.sampled_from(sorted(roles)), max_size=1))
                if draw(st.integers(0, 9))
                else "all",
            }
            for o in range(draw(st.integers(2, 4)))
        ]
        options.append({"id": "none", "label": "No preference", "neutral": True})
        questions.append(
            {"id": f"q{q}", "text": f"Q{q}", "weight": draw(st.sampled_from([1, 2, 3])), "options": options}
        )
    data = {
        "schema_version": 1,
        "title": "Random",
        "traits": {t: {"name": t, "dimension": "focus", "low": "l", "high": "h"} for t in traits},
        "roles": roles,
        "scoring": {
            "both_within": draw(st.sampled_from([0, 3, 10])),
            "neither_below": draw(st.sampled_from([0, 50, 70])),
            "clear_keeps": draw(st.sampled_from([1.0, 0.9, 0.75])),
            "close_keeps": draw(st.sampled_from([0.7, 0.5, 0.0])),
        },
        "quizzes": {"pick": {"title": "Pick", "questions": questions}},
    }
    kb, problems = validate(data)
    assert kb is not None, problems
    answers = {q["id"]: draw(st.one_of(st.none(), st.sampled_from([o["id"] for o in q["options"]]))) for q in questions}
    return kb, answers


@settings(max_examples=150, deadline=None)
@given(case=_many_roles())
def test_stability_claims_hold_with_many_roles(case: tuple[KnowledgeBase, dict[str, str | None]]) -> None:
    kb, answers = case
    _holds_to_its_definition(kb, "pick", answers)


# 10. Choosing the answers: from a code, a file, or by asking (the CLI supplies the asking).


def never(quiz_id: str, ask_weights: bool) -> tuple[dict[str, str | None], dict[str, float]]:
    raise AssertionError("asked")


def test_a_code_is_replayed_with_the_weights_given_on_top(kb: KnowledgeBase) -> None:
    code = "career:1-1-3-3-1-3-3-1-1-2-1-1+income=0,focus=3"
    quiz_id, answers, weights, _ = choose_answers(kb, None, source=None, code=code, weights={"focus": 2.0}, ask=never)
    assert quiz_id == "career" and answers["crowd"] == "full-room"
    assert weights == {"income": 0.0, "focus": 2.0}


def test_a_file_is_read_for_the_quiz_named(kb: KnowledgeBase, tmp_path: Path) -> None:
    quiz, given = PERSONAS["rehab-client"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(given))
    quiz_id, answers, weights, _ = choose_answers(kb, quiz, source=str(path), code=None, weights={}, ask=never)
    assert (quiz_id, answers, weights) == (quiz, given, {})


@pytest.mark.parametrize(
    ("quiz_id", "source", "code", "message"),
    [
        (None, "answers.yaml", "career:1", "give either --answers or --code, not both"),
        ("hiring", None, "career:1-1-3-3-1-3-3-1-1-2-1-1", "--for hiring does not match the code's quiz, career"),
        ("dating", "answers.yaml", None, 'unknown quiz "dating"'),  # before the file is read
    ],
)
def test_contradictions_are_refused_before_anything_is_read(
    kb: KnowledgeBase, quiz_id: str | None, source: str | None, code: str | None, message: str
) -> None:
    with pytest.raises(RolefitError, match=message):
        choose_answers(kb, quiz_id, source=source, code=code, weights={}, ask=never)


def test_asking_is_for_the_default_quiz_and_the_weights_only_when_none_are_given(kb: KnowledgeBase) -> None:
    asked: list[tuple[str, bool]] = []
    answers = dict.fromkeys((q.id for q in kb.quizzes["career"].questions), None)

    def ask(quiz_id: str, ask_weights: bool) -> tuple[dict[str, str | None], dict[str, float]]:
        asked.append((quiz_id, ask_weights))
        return answers, {"income": 2.0}

    assert choose_answers(kb, None, source=None, code=None, weights={}, ask=ask) == (
        "career",
        answers,
        {"income": 2.0},
        None,  # the readiness check comes after the verdict, not with the questions
    )
    given = {"focus": 0.0}
    assert choose_answers(kb, None, source=None, code=None, weights=given, ask=ask) == ("career", answers, given, None)
    assert asked == [("career", True), ("career", False)]


def test_with_nobody_to_ask_the_error_names_the_flags(kb: KnowledgeBase) -> None:
    with pytest.raises(RolefitError) as raised:
        choose_answers(kb, "hiring", source=None, code=None, weights={}, ask=None)
    assert raised.value.message == (
        "stdin is not a terminal, so there is nobody to ask: pass --answers FILE or --code CODE"
        " (`rolefit questions --for hiring` lists the ids)"
    )


def _rules_out_both(kb: KnowledgeBase) -> KnowledgeBase:
    """The built-in knowledge base with "I want regular office hours" a dealbreaker for both jobs."""
    quiz = kb.quizzes["career"]
    questions = tuple(
        replace(
            q,
            options=tuple(
                replace(o, rules_out=("fitness-instructor", "personal-trainer")) if o.id == "office-hours" else o
                for o in q.options
            ),
        )
        for q in quiz.questions
    )
    return replace(kb, quizzes={**kb.quizzes, "career": replace(quiz, questions=questions)})


def test_an_answer_that_rules_out_both_is_said_once_with_the_neither_text(kb: KnowledgeBase) -> None:
    from rolefit.views import terminal

    strict = _rules_out_both(kb)
    result = score(strict, "career", dict(PERSONAS["group-motivator"][1], hours="office-hours"))
    verdict = result.verdict
    assert verdict.kind == "neither" and result.stability.label == "ruled-out"
    assert verdict.summary.startswith("Your answers rule out every role. Neither job fits your answers well")
    assert {r.role for r in verdict.ruled_out} == {"fitness-instructor", "personal-trainer"}
    console = terminal.stdout_console(io.StringIO(), plain=True)
    with console.capture() as captured:
        console.print(terminal.verdict_view(result))
    shown = " ".join(captured.get().replace("│", " ").split())
    # Naming every role is a must-have, as `all` is: said as such, once.
    assert shown.count("that rules out every role, leaving what to do instead of one.") == 1


ALL_RULED_OUT = SMALL_KB.replace(
    '{id: "no", label: "No", places: {people: 0.0}}',
    '{id: "no", label: "No", places: {people: 0.0}, rules_out: all}',
)


def test_rules_out_all_validates_and_gives_the_neither_verdict_naming_every_role(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "strict.yaml"
    path.write_text(ALL_RULED_OUT)
    assert ALL_RULED_OUT != SMALL_KB
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exit_code == 0, checked.output
    out = runner.invoke(
        app, ["quiz", "--data", str(path), "--answers", "-", "--json"], input='{"look": "yes", "talk": "no"}'
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    verdict = result["verdict"]
    assert verdict["kind"] == "neither" and verdict["roles"] == []
    assert verdict["summary"].startswith("Your answers rule out every role.")
    assert sorted(r["role"] for r in verdict["ruled_out"]) == ["backend", "data", "frontend"]
    assert {r["text"] for r in verdict["ruled_out"]} == {
        'You answered "No" to "Do you like talking to users?": that rules out every role.'
    }
    assert all(f["ruled_out_by"] == "talk" for f in result["scores"])
    assert result["stability"]["label"] == "ruled-out"


def test_rules_out_accepts_only_a_list_or_all_with_one_message(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(ALL_RULED_OUT.replace("rules_out: all", "rules_out: every"))
    out = runner.invoke(app, ["validate", str(path)])
    assert out.exit_code != 0
    problems = [line for line in out.output.splitlines() if ".rules_out" in line]
    assert len(problems) == 1, out.output
    assert problems[0].endswith('.rules_out: expected a list of role ids, or all for every role, got "every"')


def test_fits_no_answer_counts_for_are_shown_as_unknown(runner: CliRunner) -> None:
    out = runner.invoke(app, ["quiz", "--code", "career:5-4-4-4-4-4-4-4-4-3-4-4"]).stdout
    overall = next(line for line in out.splitlines() if "Overall fit" in line)
    assert "not known" in overall and "0 ░" not in overall


def test_a_verdict_that_is_not_clear_gives_no_command(kb: KnowledgeBase) -> None:
    """Close and uncertain verdicts lean, in the knowledge base's words, and name a change
    that would turn them; only a clear verdict gives the quiz's advice ("Hire a personal trainer.")."""
    import random

    from rolefit.scoring.stability import changes

    rng = random.Random(5)
    seen: Counter[str] = Counter()
    for quiz_id in ("hiring", "career"):
        quiz = kb.quizzes[quiz_id]
        for _ in range(300):
            answers = {q.id: rng.choice(q.options).id for q in quiz.questions}
            result = score(kb, quiz_id, answers)
            verdict, label = result.verdict, result.stability.label
            if verdict.kind == "both" and label in ("close", "uncertain") and result.stability.flips:
                seen["both, unsure"] += 1
                assert "Answering" in verdict.summary  # what would change it, as for one role
            if verdict.kind != "single":
                continue
            seen[label] += 1
            # A change to an answer that rules something out is a fact changed, not weighed.
            firm = {q.id for q in quiz.questions if (o := q.option(result.answers[q.id] or "")) and o.rules_out}
            tried = changes(quiz, result.answers, kb.roles, leaving_out=firm)
            kept = tried - sum(f.question not in firm for f in result.stability.flips)
            share = kept / tried if tried else 1.0
            if label == "ruled-out" and share < kb.scoring.clear_keeps:  # decided by a dealbreaker, yet unsure
                seen["ruled-out, unsure"] += 1
                assert verdict.summary not in quiz.advice.values()
                assert not verdict.summary.startswith(("Hire", "Join"))
            if label in ("close", "uncertain") and firm:  # worded as sure as the other answers leave it
                rule = kb.scoring
                label = "clear" if share >= rule.clear_keeps else "close" if share >= rule.close_keeps else "uncertain"
                seen["unsure partly by a firm answer"] += 1
            if label == "clear" and firm:
                assert verdict.summary == quiz.advice[verdict.roles[0]]
            elif label in ("close", "uncertain"):
                assert verdict.summary.startswith(quiz.leaning[label][verdict.roles[0]])
                assert verdict.summary not in quiz.advice.values()
                assert not verdict.summary.startswith(("Hire", "Join"))
                assert "Answering" in verdict.summary  # and what would change it
            elif label == "clear":
                assert verdict.summary == quiz.advice[verdict.roles[0]]
    assert seen["clear"] and seen["close"] and seen["uncertain"] and seen["ruled-out, unsure"] and seen["both, unsure"]


def test_a_health_problem_nobody_has_checked_is_a_fact_not_a_preference(kb: KnowledgeBase) -> None:
    """Unchecked pain sends a person to a clinician first, in words as sure as the other answers
    leave it, and never names "say a doctor has checked it" as an answer that would change it."""
    import random

    rng = random.Random(11)
    quiz = kb.quizzes["hiring"]
    seen: Counter[str] = Counter()
    for _ in range(200):
        answers = {q.id: rng.choice(q.options).id for q in quiz.questions}
        answers["health"] = "not-assessed"
        result = score(kb, "hiring", answers)
        assert result.verdict.roles == ("clinician-first",)
        assert "doctor or physiotherapist knows" not in result.verdict.summary
        assert "doctor or physiotherapist knows" not in result.stability.text
        assert any(f.question == "health" for f in result.stability.flips)  # still listed, as data
        firmly = result.verdict.summary == quiz.advice["clinician-first"]
        seen["firm" if firmly else "leaning"] += 1
    assert seen["firm"] > seen["leaning"]


def test_no_answer_that_rules_something_out_is_named_as_one_to_change(kb: KnowledgeBase) -> None:
    """Two answers rule out every coach here ("Nobody; ... an app", "Not at all; I train on my
    own"): neither is named as what would change the verdict, the second no more than the first."""
    result = score(kb, *decode(kb, "hiring:4-4-3-3-3-4-3-3-5-3-1")[:2])
    firm = {q.id for q in kb.quizzes["hiring"].questions if q.option(result.answers[q.id] or "").rules_out}
    assert {"company", "attention"} <= firm
    asked = {q.id: q.text for q in kb.quizzes["hiring"].questions}
    assert "Answering" in result.verdict.summary  # it names other changes
    for question in firm:
        assert f'to "{asked[question]}"' not in result.verdict.summary
        assert f'"{asked[question]}" answered' not in result.stability.text
