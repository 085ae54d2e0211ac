"""`rolefit audit`: the quiz over every answer set, checked against `score` itself, and the defects it finds."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.models import KnowledgeBase
from rolefit.kb.validation import validate
from rolefit.scoring import audit as audit_module
from rolefit.scoring import formula
from rolefit.scoring.answers import decode
from rolefit.scoring.audit import SEED, audit
from rolefit.scoring.decision import LABELS
from rolefit.scoring.score import score
from tests.conftest import PERSONAS, alternatives

ASPECT = {"summary": "x"}


def _role(name: str, **traits: float) -> dict[str, Any]:
    return {
        "name": name,
        "summary": "x",
        "duties": ["x"],
        "choose_if": ["x"],
        "think_twice": [{"text": "y", "source": "z", "period": "2025"}],
        "traits": traits,
        "focus": ASPECT,
        "environment": ASPECT,
        "certifications": ASPECT,
        "client_relationship": ASPECT,
        "income": ASPECT,
    }


#: The dimension of each trait the tests use.
DIMENSION = {"x": "environment", "y": "focus", "z": "income"}


def _kb(
    roles: dict[str, Any], questions: list[dict[str, Any]], alternatives: dict[str, Any] | None = None, **scoring: float
) -> KnowledgeBase:
    traits = sorted({t for role in roles.values() for t in role["traits"]})
    data = {
        "schema_version": 1,
        "title": "Test",
        "traits": {t: {"name": t, "dimension": DIMENSION[t], "low": "l", "high": "h"} for t in traits},
        "roles": roles,
        "scoring": scoring,
        "quizzes": {"pick": {"title": "Pick", "questions": questions}},
    }
    if alternatives:
        data["quizzes"]["pick"]["alternatives"] = alternatives  # type: ignore[index]
    kb, problems = validate(data)
    assert kb is not None, problems
    return kb


def _question(qid: str, *options: dict[str, Any], weight: float = 1) -> dict[str, Any]:
    return {"id": qid, "text": f"{qid}?", "weight": weight, "options": list(options)}


def _option(oid: str, **places: Any) -> dict[str, Any]:
    return {"id": oid, "label": oid, "places": places}


NEUTRAL = {"id": "none", "label": "No preference", "neutral": True}


def _by_scoring_each(kb: KnowledgeBase, quiz: str, answer_sets: list[tuple[str, ...]]) -> tuple[Counter, Counter]:  # type: ignore[type-arg]
    """Verdicts and stability labels, counted from `score` run on each answer set."""
    ids = [q.id for q in kb.quizzes[quiz].questions]
    verdicts: Counter = Counter()  # type: ignore[type-arg]
    labels: Counter = Counter()  # type: ignore[type-arg]
    for answers in answer_sets:
        result = score(kb, quiz, dict(zip(ids, answers, strict=True)))
        verdicts[result.verdict.kind, frozenset(result.verdict.roles)] += 1
        labels[result.stability.label] += 1
    return verdicts, labels


def _audited(kb: KnowledgeBase, quiz: str) -> tuple[Counter, Counter]:  # type: ignore[type-arg]
    result = audit(kb, quiz)
    verdicts = Counter({(o.kind, frozenset(o.roles)): o.answer_sets for o in result.outcomes})
    return verdicts, Counter({label: n for label, n in result.labels.items() if n})


@st.composite
def _random_kbs(draw: st.DrawFn) -> KnowledgeBase:
    """Small knowledge bases whose every answer set can be scored one by one: fits that land on
    exact halves, equal fits, dealbreakers and thresholds right on the fits."""
    traits = ["x", "y", "z"][: draw(st.integers(1, 3))]
    places = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.85, 1.0])
    role_ids = [f"r{i}" for i in range(draw(st.integers(2, 4)))]
    roles = {r: _role(r, **{t: draw(places) for t in traits}) for r in role_ids}
    questions = []
    for q in range(draw(st.integers(1, 4))):
        options: list[dict[str, Any]] = []
        for o in range(draw(st.integers(2, 3))):
            chosen = draw(st.sets(st.sampled_from(traits), min_size=1, max_size=2))
            option = _option(
                f"o{o}", **{t: draw(st.one_of(places, st.lists(places, min_size=2, max_size=2))) for t in chosen}
            )
            # One option in ten rules out every role (`rules_out: all`).
            option["rules_out"] = (
                draw(st.lists(st.sampled_from(role_ids), max_size=1)) if draw(st.integers(0, 9)) else "all"
            )
            options.append(option)
        if draw(st.booleans()):
            options.append(NEUTRAL)
        questions.append(_question(f"q{q}", *options, weight=draw(st.sampled_from([1, 2, 3]))))
    scoring = {
        "both_within": draw(st.sampled_from([0, 2.5, 10])),
        "neither_below": draw(st.sampled_from([0, 50, 62.5, 75])),
        "clear_keeps": draw(st.sampled_from([1.0, 0.9, 0.5])),
        "close_keeps": draw(st.sampled_from([0.5, 0.25, 0.0])),
    }
    # Now and then an alternative to every role, indifferent (None) to some traits.
    return _kb(roles, questions, alternatives(draw, traits, places, 1), **scoring)


def _each_scored(kb: KnowledgeBase, quiz: str, answer_sets: list[tuple[str, ...]]) -> list[tuple[Any, ...]]:
    """Each answer set's verdict and stability label, from `score`, in order."""
    ids = [q.id for q in kb.quizzes[quiz].questions]
    found = []
    for answers in answer_sets:
        result = score(kb, quiz, dict(zip(ids, answers, strict=True)))
        found.append((result.verdict.kind, frozenset(result.verdict.roles), result.stability.label))
    return found


def _each_audited(kb: KnowledgeBase, quiz: str) -> list[tuple[Any, ...]]:
    """Each answer set's verdict and stability label, as the audit's vectorised rule gives them, in order."""
    scored = audit_module.score_all(kb, quiz)
    found = []
    for code, label in zip(scored.code.tolist(), scored.labels.tolist(), strict=True):
        kind, roles = scored.tables.outcome(code)
        found.append((kind, frozenset(roles), LABELS[label]))
    return found


@settings(max_examples=60, deadline=None)
@given(kb=_random_kbs())
def test_every_answer_set_audited_is_what_score_gives(kb: KnowledgeBase) -> None:
    every = list(itertools.product(*[[o.id for o in q.options] for q in kb.quizzes["pick"].questions]))
    assert audit(kb, "pick").every
    assert _audited(kb, "pick") == _by_scoring_each(kb, "pick", every)
    # Verdict for verdict, label for label: the one rule, applied twice, agrees on every answer set.
    each, whole = _each_scored(kb, "pick", every), audit(kb, "pick")
    assert _each_audited(kb, "pick") == each
    with pytest.MonkeyPatch.context() as patch:  # scored in the smallest parts: the same, in the same order
        patch.setattr(audit_module, "PART", 1)
        assert _each_audited(kb, "pick") == each
        assert audit(kb, "pick") == whole


@settings(max_examples=30, deadline=None)
@given(kb=_random_kbs())
def test_a_sample_of_random_quizzes_audited_is_what_score_gives_answer_set_by_answer_set(
    kb: KnowledgeBase,
) -> None:
    questions = kb.quizzes["pick"].questions
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_module, "CELLS", 1)  # scored as a sample, each change scored in turn
        scored = audit_module.score_all(kb, "pick")
        audited = _each_audited(kb, "pick")
    assert not scored.every and scored.digits is not None
    sample = [tuple(q.options[d].id for q, d in zip(questions, row, strict=True)) for row in scored.digits.tolist()]
    assert audited == _each_scored(kb, "pick", sample)


def test_a_sample_audited_is_what_score_gives(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_module, "CELLS", 1)  # too many answer sets: the smallest sample, 200
    result = audit(kb, "hiring")
    assert (result.every, result.seed, result.answer_sets) == (False, SEED, 200)
    rng = np.random.default_rng(SEED)
    questions = kb.quizzes["hiring"].questions
    digits = np.stack([rng.integers(0, len(q.options), 200) for q in questions], axis=1)
    sample = [tuple(q.options[d].id for q, d in zip(questions, row, strict=True)) for row in digits]
    assert _audited(kb, "hiring") == _by_scoring_each(kb, "hiring", sample)
    assert _each_audited(kb, "hiring") == _each_scored(kb, "hiring", sample)


#: How many answer sets each built-in quiz has: its questions' numbers of options, multiplied.
ANSWER_SETS = {"career": 15_728_640, "hiring": 4_838_400}


@pytest.mark.parametrize("doc", ["README.md", "docs/quality.md", "docs/knowledge-base.md", "docs/reference.md"])
def test_the_docs_give_each_quiz_its_one_count_of_answer_sets(kb: KnowledgeBase, doc: str) -> None:
    for quiz, count in ANSWER_SETS.items():
        assert math.prod(len(q.options) for q in kb.quizzes[quiz].questions) == count
    text = (Path(__file__).parents[1] / doc).read_text(encoding="utf-8")
    said = [p for p in (" ".join(p.split()) for p in text.split("\n\n")) if "answer set" in p]
    counts = [n for p in said for n in re.findall(r"\b\d{1,3}(?:,\d{3}){2,}\b|\b[\d.]+ million\b", p)]
    assert "15,728,640" in counts
    assert set(counts) <= {f"{n:,}" for n in ANSWER_SETS.values()}, counts


def test_the_built_in_quizzes_are_audited_over_every_answer_set(kb: KnowledgeBase) -> None:
    for quiz, count in ANSWER_SETS.items():
        result = audit(kb, quiz)
        assert (result.every, result.answer_sets) == (True, count)
        assert sum(o.answer_sets for o in result.outcomes) == sum(result.labels.values()) == count


def _codes(kb: KnowledgeBase) -> set[tuple[str, str]]:
    return {(p.code, p.subject) for p in audit(kb, "pick").problems}


# A sound quiz: two roles on two traits, each asked twice, options balanced, no-preference last.
ROLES = {"a": _role("A", x=0.1, y=0.2), "b": _role("B", x=0.9, y=0.8)}
SOUND = [
    _question("q1", _option("low", x=0.0), _option("high", x=1.0), NEUTRAL),
    _question("q2", _option("high", x=1.0), _option("low", x=0.0), NEUTRAL),
    _question("q3", _option("low", y=0.0), _option("mid", y=0.5) | {"hedge": True}, _option("high", y=1.0), NEUTRAL),
    _question("q4", _option("high", y=1.0), _option("low", y=0.0), _option("far", x=0.5, y=-0.0), NEUTRAL),
]


def test_a_sound_quiz_has_no_problems() -> None:
    assert _codes(_kb(ROLES, SOUND)) == set()


def test_a_role_that_copies_another_is_never_told_apart() -> None:
    roles = {**ROLES, "c": _role("C", x=0.1, y=0.2)}
    assert ("not-told-apart", "a,c") in _codes(_kb(roles, SOUND))


def test_roles_that_copy_one_another_are_one_problem_naming_them_all() -> None:
    # Found by grouping alike roles, not by comparing every pair: one problem, not three.
    roles = {**ROLES, "c": _role("C", x=0.1, y=0.2), "d": _role("D", x=0.1, y=0.2)}
    (problem,) = [p for p in audit(_kb(roles, SOUND), "pick").problems if p.code == "not-told-apart"]
    assert problem.subject == "a,c,d"
    assert problem.text == "Every answer gives A, C and D the same fit: no answer tells them apart."
    many = {**ROLES, **{f"c{i:03d}": _role(f"C{i}", x=0.1, y=0.2) for i in range(300)}}
    (problem,) = [p for p in audit(_kb(many, SOUND), "pick").problems if p.code == "not-told-apart"]
    assert problem.subject == ",".join(["a", *(f"c{i:03d}" for i in range(300))])
    assert problem.text == "Every answer gives A, C0, C1 and 298 more the same fit: no answer tells them apart."


def test_roles_placed_apart_only_where_no_question_asks_are_not_told_apart() -> None:
    roles = {
        "a": _role("A", x=0.1, y=0.2, z=0.1),
        "b": _role("B", x=0.9, y=0.8, z=0.9),
        "c": _role("C", x=0.1, y=0.2, z=0.9),  # as A on every trait asked about
        "d": _role("D", x=0.1, y=0.25, z=0.1),  # apart from A on one
    }
    assert [p.subject for p in audit(_kb(roles, SOUND), "pick").problems if p.code == "not-told-apart"] == ["a,c"]


def test_a_question_whose_options_all_say_the_same_decides_nothing() -> None:
    same = _question("q5", _option("one", x=0.5), _option("two", x=0.5))
    roles = {"a": _role("A", x=0.1, y=0.2), "b": _role("B", x=0.9, y=0.8)}
    assert ("decides-nothing", "q5") in _codes(_kb(roles, [*SOUND, same]))


def test_a_role_that_can_never_win_is_found() -> None:
    # Halfway between the other two, where no option places anyone: never ahead of both.
    roles = {**ROLES, "c": _role("C", x=0.5, y=0.5)}
    ends = [
        _question(f"q{i}", _option("low", **{t: 0.0}), _option("high", **{t: 1.0}), NEUTRAL)
        for i, t in enumerate("xxyy")
    ]
    found = _codes(_kb(roles, ends, both_within=0))
    assert ("never-recommended", "c") in found
    assert ("never-recommended", "a") not in found


def test_an_unreachable_neither_is_found() -> None:
    questions = [{**q, "options": [o for o in q["options"] if not o.get("neutral")]} for q in SOUND]
    assert ("unreachable-verdict", "neither") in _codes(_kb(ROLES, questions, neither_below=0))
    assert ("unreachable-verdict", "neither") not in _codes(_kb(ROLES, questions, neither_below=60))


def test_a_leaning_hedge_a_misplaced_no_preference_and_a_thin_dimension_are_found() -> None:
    leaning = _question("q5", _option("low", x=0.0), _option("mid", x=0.3) | {"hedge": True}, _option("high", x=1.0))
    misplaced = _question("q6", NEUTRAL, _option("low", x=0.0), _option("high", x=1.0))
    roles = {"a": _role("A", x=0.1, y=0.2, z=0.1), "b": _role("B", x=0.9, y=0.8, z=0.9)}
    thin = _question("q7", _option("high", z=1.0), _option("low", z=0.0))
    found = _codes(_kb(roles, [*SOUND, leaning, misplaced, thin]))
    assert {("hedge-leans", "q5.mid"), ("neutral-not-last", "q6.none")} <= found
    assert ("hedge-leans", "q3.mid") not in found
    assert ("thin-dimension", "income") in found
    assert ("thin-dimension", "focus") not in found


def test_position_bias_is_found() -> None:
    biased = [_question(f"q{i}", _option("low", x=0.0), _option("high", x=1.0), NEUTRAL) for i in range(1, 5)] + [
        _question(f"p{i}", _option("low", y=0.0), _option("high", y=1.0), NEUTRAL) for i in range(1, 3)
    ]
    assert ("position-bias", "a") in _codes(_kb(ROLES, biased))


def _document(roles: dict[str, Any], kb_questions: list[dict[str, Any]]) -> dict[str, Any]:
    _kb(roles, kb_questions)  # valid
    return {
        "schema_version": 1,
        "title": "Test",
        "traits": {
            "x": {"name": "x", "dimension": "environment", "low": "l", "high": "h"},
            "y": {"name": "y", "dimension": "focus", "low": "l", "high": "h"},
        },
        "roles": roles,
        "quizzes": {"pick": {"title": "Pick", "questions": kb_questions}},
    }


def _write(tmp_path: Path, kb_questions: list[dict[str, Any]]) -> str:
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(_document(ROLES, kb_questions)))
    return str(path)


def test_strict_exits_1_on_a_problem_and_0_without(runner: CliRunner, tmp_path: Path) -> None:
    sound = _write(tmp_path, SOUND)
    assert runner.invoke(app, ["audit", "--data", sound, "--strict"]).exit_code == 0
    biased = _write(tmp_path, [{**q, "options": [NEUTRAL, *q["options"][:-1]]} for q in SOUND])
    plain = runner.invoke(app, ["audit", "--data", biased])
    assert plain.exit_code == 0
    assert "neutral-not-last" in plain.stdout
    strict = runner.invoke(app, ["audit", "--data", biased, "--strict", "--json"])
    assert strict.exit_code == 1
    assert strict.stderr.strip() == "rolefit: 4 problems found (--strict)"
    document = json.loads(strict.stdout)
    assert [p["code"] for p in document["quizzes"][0]["problems"]] == ["neutral-not-last"] * 4


def test_the_terminal_lists_ten_problems_of_a_kind_and_counts_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    copies = {f"c{i:02d}": _role(f"C{i}", x=0.1, y=0.2) for i in range(40)}
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(_document({**ROLES, **copies}, SOUND)))
    shown = runner.invoke(app, ["audit", "--data", str(path)]).stdout
    listed = [line for line in shown.splitlines() if line.startswith("• never-recommended")]
    # A and C0 tie, best and next, and are recommended together; the other copies never.
    assert listed == [f"• never-recommended (c{i:02d}): No answer set recommends C{i}." for i in range(1, 11)]
    assert "• and 29 more never-recommended (`rolefit audit --json` lists every one)" in shown
    assert "• not-told-apart (a,c00,c01 and 38 more): Every answer gives A, C0, C1 and 38 more the same" in shown
    strict = runner.invoke(app, ["audit", "--data", str(path), "--json", "--strict"])
    problems = json.loads(strict.stdout)["quizzes"][0]["problems"]
    assert [p["code"] for p in problems].count("never-recommended") == 39
    assert strict.stderr.strip() == f"rolefit: {len(problems)} problems found (--strict)"


def test_an_unknown_quiz_is_bad_input(runner: CliRunner) -> None:
    result = runner.invoke(app, ["audit", "--for", "nope"])
    assert result.exit_code == 2
    assert result.stdout == ""


# The built-in quizzes: what an adviser would say, kept so by the audit and by these.


def test_the_built_in_quizzes_pass_a_strict_audit(runner: CliRunner) -> None:
    result = runner.invoke(app, ["audit", "--strict", "--json"])
    assert result.exit_code == 0, result.stdout
    quizzes = json.loads(result.stdout)["quizzes"]
    assert [q["quiz"] for q in quizzes] == ["career", "hiring"]
    for quiz in quizzes:
        assert quiz["problems"] == []
        assert all(quiz["kinds"][kind] for kind in ("single", "both", "neither"))


def _alone(kb: KnowledgeBase, quiz: str, **given: str) -> Any:
    return score(kb, quiz, {q.id: given.get(q.id, "no-preference") for q in kb.quizzes[quiz].questions})


def _words(kb: KnowledgeBase, quiz_id: str, candidate: str) -> tuple[str, ...]:
    """What a verdict recommending `candidate` may begin with: the quiz's advice, or its leaning words."""
    quiz = kb.quizzes[quiz_id]
    return (quiz.advice[candidate], *(words[candidate] for words in quiz.leaning.values()))


@pytest.mark.parametrize(
    "given",
    [
        {"hours": "office-hours"},
    ],
)
def test_office_hours_point_to_the_alternative_by_fit(kb: KnowledgeBase, given: dict[str, str]) -> None:
    result = _alone(kb, "career", **given)
    assert (result.verdict.kind, result.verdict.roles) == ("single", ("fitness-on-the-side",))
    assert result.verdict.ruled_out == ()  # by fit, not by a dealbreaker
    assert result.stability.label != "ruled-out"


@pytest.mark.parametrize(
    "given",
    [
        {"active": "little"},
        {"coaching": "not-coaching"},
        {"active": "little", "hours": "office-hours", "music": "quiet"},
        {"coaching": "not-coaching", "hours": "office-hours", "pay": "per-class"},
        # Whatever else the answers favour: a must-have rules out every role.
        {"coaching": "not-coaching", "crowd": "one-person", "progress": "one-goal", "clients": "few-long"},
    ],
)
def test_no_wish_to_coach_or_a_desk_rules_out_every_role(kb: KnowledgeBase, given: dict[str, str]) -> None:
    result = _alone(kb, "career", **given)
    assert (result.verdict.kind, result.verdict.roles) == ("single", ("fitness-on-the-side",))  # what is left
    assert {r.role for r in result.verdict.ruled_out} == set(kb.roles)
    assert "that rules out every role" in result.verdict.ruled_out[0].text
    assert result.verdict.summary.startswith(_words(kb, "career", "fitness-on-the-side"))


def test_a_tight_budget_never_gets_a_personal_trainer(kb: KnowledgeBase) -> None:
    (tight,) = [o for o in kb.quizzes["hiring"].question("budget").options if o.id == "tight"]  # type: ignore[union-attr]
    assert tight.rules_out == ("personal-trainer",)
    _, answers = PERSONAS["rehab-client"]
    assert "personal-trainer" not in score(kb, "hiring", {**answers, "budget": "tight"}).verdict.roles


@pytest.mark.parametrize(
    "given", [{"company": "app"}, {"attention": "alone"}, {"company": "app", "attention": "alone"}]
)
def test_training_alone_with_an_app_points_to_neither_coach(kb: KnowledgeBase, given: dict[str, str]) -> None:
    result = _alone(kb, "hiring", **given)
    assert (result.verdict.kind, result.verdict.roles) == ("single", ("on-your-own",))
    assert result.verdict.summary.startswith(_words(kb, "hiring", "on-your-own"))
    assert result.plan.steps[0].step.text.startswith("Book an induction")
    # A must-have: with any other answers, too (the hiring:2-4-3-1-3-3-3-3-6-2-4 was told to hire a trainer).
    assert score(kb, "hiring", decode(kb, "hiring:2-4-3-1-3-3-3-3-6-2-4")[1]).verdict.roles == ("on-your-own",)


@pytest.mark.parametrize(
    "code", ["career:3-3-1-4-4-1-1-4-4-2-4-1", "career:3-3-2-2-4-2-2-2-2-3-3-3", "hiring:2-4-3-1-3-3-3-3-6-2-4"]
)
def test_people_who_turn_both_jobs_down_are_given_an_alternative(kb: KnowledgeBase, code: str) -> None:
    """Three people who said they would rather not coach, or train with nobody, were given a role."""
    quiz_id, answers, weights = decode(kb, code)
    verdict = score(kb, quiz_id, answers, weights).verdict
    assert verdict.kind == "single" and verdict.roles[0] in kb.quizzes[quiz_id].alternatives


def test_health_answers_carry_their_notes_to_the_verdict(runner: CliRunner, kb: KnowledgeBase) -> None:
    _, answers = PERSONAS["rehab-client"]
    result = score(kb, "hiring", answers)
    assert [(n.question, n.option) for n in result.notes] == [("goal", "rehab"), ("health", "plan-around")]
    assert "physiotherapist" in result.notes[0].text
    for option in ("pregnancy", "long-break"):
        (note,) = score(kb, "hiring", {**answers, "goal": "general", "health": option}).notes
        assert "doctor" in note.text
    code = runner.invoke(app, ["quiz", "--for", "hiring", "--code", "hiring:3-1-3-1-3-1-2-1-2-2-4", "--json"])
    document = json.loads(code.stdout)
    assert [n["option"] for n in document["notes"]] == ["rehab", "plan-around"]
    # Not yet assessed: a clinician first, whatever else the answers say.
    unassessed = score(kb, "hiring", {**answers, "health": "not-assessed"})
    assert unassessed.verdict.roles == ("clinician-first",) and "physiotherapist" in unassessed.notes[1].text
    shown = runner.invoke(app, ["quiz", "--code", "hiring:3-1-3-1-3-1-2-1-2-2-4"]).stdout
    assert "Before you start:" in shown and "See your doctor or a physiotherapist first" in " ".join(shown.split())


def test_numbers_too_large_for_64_bits_are_audited_in_two_parts_as_score_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Question weights of 100, and places and shares with no common factor to divide out:
    # 40 questions' totals need more than 64 bits (and 2**40 answer sets make it a sample,
    # the smallest here, so that each answer set can be scored one by one too).
    roles = {"a": _role("A", x=0.123457, y=0.654321, z=0.2), "b": _role("B", x=0.876543, y=0.345679, z=0.7)}
    questions = [
        _question(
            f"q{i}",
            _option("one", x=0.000001 * (i + 1)),
            _option("three", x=0.999999, y=0.3, z=0.111111),
            weight=100 if i % 2 else 33.3,
        )
        for i in range(40)
    ]
    kb = _kb(roles, questions)
    tables = audit_module._Tables(kb, "pick")
    # Whole numbers in two parts of 64 bits each, not Python's integers one at a time.
    assert tables.wide and all(c.dtype == np.int64 and c.shape[-1] == 2 for c in tables.closeness)
    monkeypatch.setattr(audit_module, "CELLS", 1)
    result = audit(kb, "pick")
    assert not result.every and result.answer_sets == 200
    rng = np.random.default_rng(SEED)
    quiz = kb.quizzes["pick"].questions
    digits = np.stack([rng.integers(0, len(q.options), 200) for q in quiz], axis=1)
    sample = [tuple(q.options[d].id for q, d in zip(quiz, row, strict=True)) for row in digits]
    assert _audited(kb, "pick") == _by_scoring_each(kb, "pick", sample)
    assert _each_audited(kb, "pick") == _each_scored(kb, "pick", sample)


def test_a_quiz_past_64_bits_audited_over_every_answer_set_is_what_score_gives() -> None:
    # Weights of nearly 100 and places to the millionth: 3**4 answer sets, each past 2**63 / 2000.
    roles = {
        "a": _role("A", x=0.123457, y=0.654321, z=0.200001),
        "b": _role("B", x=0.876543, y=0.345679, z=0.699999),
        "c": _role("C", x=0.5, y=0.500001, z=0.499999),
    }
    questions = [
        _question(
            f"q{i}",
            _option("one", x=0.000001 * (i + 7), z=0.333333),
            _option("two", y=0.999999 - 0.000003 * i),
            _option("three", x=0.999999, y=0.3, z=0.111111),
            weight=99.999999 - i / 1000,
        )
        for i in range(4)
    ]
    kb = _kb(roles, questions)
    assert audit_module._Tables(kb, "pick").wide
    every = list(itertools.product(*[[o.id for o in q.options] for q in kb.quizzes["pick"].questions]))
    assert audit(kb, "pick").every
    assert _each_audited(kb, "pick") == _each_scored(kb, "pick", every)
    for question in audit(kb, "pick").questions:
        for alone in question.options:
            answers = {q.id: alone.option if q.id == question.question else None for q in kb.quizzes["pick"].questions}
            assert alone.fits == {f.role: f.fit for f in score(kb, "pick", answers).fits}


@pytest.mark.parametrize("wide", [False, True])
def test_fits_over_arrays_round_as_fit_does_within_a_hair_of_a_half(wide: bool) -> None:
    """Weights past 2**40, and closeness within 1,000 / (20 * weight) of a half of a tenth, where
    `fit`'s float may fall on the other side of the half than the exact value. Not wide, weights
    up to 2**63 / 2000 (`_Tables` makes larger ones wide)."""
    weights = [2_509_666_474_325_998, 2_163_092_891_658_347, 2**45 + 7] + [10**17 + 3, 2**56 - 5] * wide
    cases = []
    for weight in weights:
        for t in range(0, 1000, 3):
            off = -((2 * t + 1) * weight) % 2000  # 2000 * closeness = (2t + 1) * weight + off
            off -= 2000 * (off > 1000)
            cases.append((((2 * t + 1) * weight + off) // 2000, weight))
    closeness = np.array([[c] for c, _ in cases], dtype=np.int64)
    weight = np.array([w for _, w in cases], dtype=np.int64)
    if wide:
        closeness, weight = formula.wide(closeness), formula.wide(weight)
    expected = [round(formula.fit(c, w) * 10) for c, w in cases]
    assert formula.fit_tenths(closeness, weight)[:, 0].tolist() == expected
    # Some of them `fit` rounds on the other side of the half than the exact value.
    assert any(e != (2000 * c + w) // (2 * w) for e, (c, w) in zip(expected, cases, strict=True))
