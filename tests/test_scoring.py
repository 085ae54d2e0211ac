from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolefit.kb.models import KnowledgeBase, Role
from rolefit.scoring.engine import Scorer
from rolefit.scoring.formula import SCALE
from rolefit.scoring.score import full_weights, score
from tests.conftest import PERSONAS


@pytest.mark.parametrize(
    ("persona", "kind", "roles"),
    [
        ("group-motivator", "single", ["fitness-instructor"]),
        ("detail-coach", "single", ["personal-trainer"]),
        ("career-mix", "both", ["fitness-instructor", "personal-trainer"]),
        ("desk-worker", "single", ["fitness-on-the-side"]),  # the career quiz's alternative
        ("budget-beginner", "single", ["fitness-instructor"]),
        ("rehab-client", "single", ["personal-trainer"]),
        ("hiring-mix", "both", ["fitness-instructor", "personal-trainer"]),
    ],
)
def test_personas_from_the_article(kb: KnowledgeBase, persona: str, kind: str, roles: list[str]) -> None:
    quiz, answers = PERSONAS[persona]
    verdict = score(kb, quiz, answers).verdict
    assert verdict.kind == kind
    assert sorted(verdict.roles) == roles


def test_single_verdict_gives_margin_and_reasons_in_words(kb: KnowledgeBase) -> None:
    result = score(kb, *PERSONAS["group-motivator"])
    best, second = result.fits[:2]
    assert result.verdict.margin == pytest.approx(best.fit - second.fit, abs=0.051)
    assert result.verdict.margin > kb.scoring.both_within
    assert 2 <= len(result.verdict.reasons) <= 3
    first = result.verdict.reasons[0]
    assert first.towards == "fitness-instructor"
    assert first.question == "crowd"  # the heaviest question, answered at the extreme
    assert '"A room of twenty people, all moving together"' in first.text
    points = [r.points for r in result.verdict.reasons]
    assert points == sorted(points, reverse=True)


def test_a_single_verdict_says_what_pulled_the_other_way(kb: KnowledgeBase) -> None:
    quiz, answers = PERSONAS["detail-coach"]
    result = score(kb, quiz, {**answers, "music": "love-it"})
    assert result.verdict.roles == ("personal-trainer",)
    *towards, against = result.verdict.reasons
    assert len(towards) == 3 and {r.towards for r in towards} == {"personal-trainer"}
    # Weighed against the other role, not the quiz's alternative.
    assert (against.question, against.towards) == ("music", "fitness-instructor")
    assert "points towards Fitness instructor over Personal trainer" in against.text


def test_reasons_are_given_when_every_other_role_is_ruled_out(kb: KnowledgeBase) -> None:
    result = score(kb, *PERSONAS["budget-beginner"])
    assert result.verdict.roles == ("fitness-instructor",)
    assert result.verdict.ruled_out and result.verdict.reasons
    assert all("over Personal trainer" in r.text for r in result.verdict.reasons if r.towards == "fitness-instructor")


def test_both_names_what_pulled_each_way(kb: KnowledgeBase) -> None:
    verdict = score(kb, *PERSONAS["career-mix"]).verdict
    assert verdict.margin <= kb.scoring.both_within
    assert "Many people do both" in verdict.summary


def test_hiring_verdict_speaks_to_a_client(kb: KnowledgeBase) -> None:
    assert score(kb, *PERSONAS["rehab-client"]).verdict.summary == "Hire a personal trainer."
    assert score(kb, *PERSONAS["budget-beginner"]).verdict.summary.startswith("Join group classes")


def test_breakdown_covers_the_five_dimensions(kb: KnowledgeBase) -> None:
    fit = score(kb, *PERSONAS["detail-coach"]).fits[0]
    assert fit.role == "personal-trainer"
    assert set(fit.dimensions) == {"focus", "environment", "certifications", "client_relationship", "income"}
    assert fit.dimensions["client_relationship"] > 80
    assert set(fit.traits) <= set(kb.traits)


def test_fit_is_the_weighted_closeness(kb: KnowledgeBase) -> None:
    # Only `crowd` says anything: group_energy 1.0 against 0.9 and 0.1.
    answers = {q.id: "no-preference" for q in kb.quizzes["career"].questions}
    answers["crowd"] = "full-room"
    fits = {f.role: f.fit for f in score(kb, "career", answers).fits}
    # The career quiz's alternative is indifferent to group_energy: half of any answer on it.
    assert fits == {"fitness-instructor": 90.0, "personal-trainer": 10.0, "fitness-on-the-side": 50.0}


def test_a_weight_too_small_to_count_counts_as_zero(kb: KnowledgeBase) -> None:
    # A dimension weighted 1e-12 places its traits with less than one unit (1e-9) of weight.
    answers = {q.id: q.options[0].id for q in kb.quizzes["career"].questions}
    tiny = score(kb, "career", answers, {"focus": 1e-12})
    zero = score(kb, "career", answers, {"focus": 0})
    assert [(f.role, f.fit, f.traits, f.dimensions) for f in tiny.fits] == [
        (f.role, f.fit, f.traits, f.dimensions) for f in zero.fits
    ]
    assert (tiny.verdict.kind, tiny.verdict.roles) == (zero.verdict.kind, zero.verdict.roles)
    assert [(f.question, f.option) for f in tiny.stability.flips] == [
        (f.question, f.option) for f in zero.stability.flips
    ]


def test_no_preference_everywhere_recommends_nothing(kb: KnowledgeBase) -> None:
    answers = {q.id: "no-preference" for q in kb.quizzes["career"].questions}
    result = score(kb, "career", answers)
    assert result.verdict.kind == "neither"
    assert "preference" in result.verdict.summary
    assert {f.fit for f in result.fits} == {0.0}


def _options(kb: KnowledgeBase, quiz: str) -> st.SearchStrategy[dict[str, str]]:
    questions = kb.quizzes[quiz].questions
    return st.fixed_dictionaries({q.id: st.sampled_from([o.id for o in q.options]) for q in questions})


@settings(max_examples=150, deadline=None)
@given(data=st.data(), quiz=st.sampled_from(["career", "hiring"]))
def test_fits_stay_in_range_and_neutral_answers_do_not_pull(kb: KnowledgeBase, data: st.DataObject, quiz: str) -> None:
    answers = data.draw(_options(kb, quiz))
    result = score(kb, quiz, answers)
    assert all(0 <= f.fit <= 100 for f in result.fits)
    assert [f.fit for f in result.fits] == sorted((f.fit for f in result.fits), reverse=True)
    # Turning one answer into "no preference" is the same as the question not being asked.
    question = data.draw(st.sampled_from(kb.quizzes[quiz].questions))
    neutral = next(o.id for o in question.options if o.neutral)
    others = tuple(q for q in kb.quizzes[quiz].questions if q.id != question.id)
    trimmed = replace(kb, quizzes={**kb.quizzes, quiz: replace(kb.quizzes[quiz], questions=others)})
    with_neutral = score(kb, quiz, {**answers, question.id: neutral})
    without = score(trimmed, quiz, {k: v for k, v in answers.items() if k != question.id})
    assert [(f.role, f.fit) for f in with_neutral.fits] == [(f.role, f.fit) for f in without.fits]
    # The same verdict; its words may differ, as sure as its stability, which counts a neutral
    # answer's other options among the changes that keep it.
    assert with_neutral.verdict._replace(summary="") == without.verdict._replace(summary="")


@settings(max_examples=100, deadline=None)
@given(data=st.data(), quiz=st.sampled_from(["career", "hiring"]))
def test_order_of_roles_and_questions_changes_nothing(kb: KnowledgeBase, data: st.DataObject, quiz: str) -> None:
    answers = data.draw(_options(kb, quiz))
    roles = data.draw(st.permutations(list(kb.roles)))
    questions = data.draw(st.permutations(list(kb.quizzes[quiz].questions)))
    shuffled = replace(
        kb,
        roles={r: kb.roles[r] for r in roles},
        quizzes={**kb.quizzes, quiz: replace(kb.quizzes[quiz], questions=tuple(questions))},
    )
    assert score(shuffled, quiz, answers) == score(kb, quiz, answers)


@pytest.mark.parametrize("count", [3, 300])
def test_columns_give_every_role_its_own_place(kb: KnowledgeBase, count: int) -> None:
    template = next(iter(kb.roles.values()))
    roles = {
        f"role-{i}": Role(
            **{**vars(template), "traits": {t: (i * 7 + j) % count / count for j, t in enumerate(kb.traits)}}
        )
        for i in range(count)
    }
    career = replace(kb.quizzes["career"], alternatives={})  # the roles alone
    many = KnowledgeBase(**{**vars(kb), "roles": roles, "quizzes": {**kb.quizzes, "career": career}})
    scorer = Scorer(many, many.quizzes["career"], full_weights(None))
    assert set(scorer.columns) == set(many.traits)
    for trait, (distinct, index) in scorer.columns.items():
        assert distinct == sorted(set(distinct))
        assert [distinct[i] for i in index] == [round(role.traits[trait] * SCALE) for role in roles.values()]
    # And scoring reads them right: the fits are each role's weighted closeness, as one role alone would get.
    answers = {q.id: q.options[0].id for q in kb.quizzes["career"].questions}
    fits = {f.role: f.fit for f in score(many, "career", answers).fits}
    for role_id in ("role-0", f"role-{count - 1}"):
        alone = KnowledgeBase(**{**vars(kb), "roles": {role_id: roles[role_id], "other": template}})
        assert {f.role: f.fit for f in score(alone, "career", answers).fits}[role_id] == fits[role_id]


BOTH_KB = """
schema_version: 1
title: Both ends
traits:
  t: {name: T, dimension: focus, low: Alone, high: A crowd}
roles:
  a: {name: A, summary: s, duties: [d], choose_if: [c], focus: {summary: s}, environment: {summary: s},
      certifications: {summary: s}, client_relationship: {summary: s}, income: {summary: s}, traits: {t: 0.1}}
  b: {name: B, summary: s, duties: [d], choose_if: [c], focus: {summary: s}, environment: {summary: s},
      certifications: {summary: s}, client_relationship: {summary: s}, income: {summary: s}, traits: {t: 0.9}}
quizzes:
  q:
    title: Q
    questions:
      - id: one
        text: One?
        options:
          - {id: both, label: Both, places: {t: [0, 1]}}
          - {id: between, label: In between, places: {t: 0.5}}
"""


def test_an_answer_meaning_both_gives_each_role_its_nearest_place(tmp_path: Path) -> None:
    """Places [0, 1] are "both": each role is scored from the end nearest it, where the halfway
    place ("in between") is as far from either."""
    from rolefit.kb.load import load_knowledge_base
    from rolefit.scoring.score import score

    path = tmp_path / "both.yaml"
    path.write_text(BOTH_KB)
    kb = load_knowledge_base(path)
    fits = {answer: {f.role: f.fit for f in score(kb, "q", {"one": answer}).fits} for answer in ("both", "between")}
    assert fits == {"both": {"a": 90.0, "b": 90.0}, "between": {"a": 60.0, "b": 60.0}}


ALTERNATIVE_KB = BOTH_KB.replace(
    "          - {id: between, label: In between, places: {t: 0.5}}\n",
    """          - {id: between, label: In between, places: {t: 0.5}}
          - {id: none-of-it, label: None of it, places: {t: 0.1}, rules_out: all}
    alternatives:
      solo:
        name: On your own
        summary: Neither role.
        choose_if: [You would rather have neither]
        traits: {t: 0.5}
        next_steps: [{text: Start a plan of your own, source: A guide, period: "2025"}]
""",
)


def test_an_alternative_is_recommended_by_fit_and_when_every_role_is_ruled_out(tmp_path: Path) -> None:
    from rolefit.kb.load import load_knowledge_base
    from rolefit.scoring.score import score

    path = tmp_path / "alternatives.yaml"
    path.write_text(ALTERNATIVE_KB)
    kb = load_knowledge_base(path)
    between = score(kb, "q", {"one": "between"})
    assert (between.verdict.kind, between.verdict.roles) == ("single", ("solo",))  # 100 against 60 and 60
    best = between.fits[0]
    assert (best.role, best.fit, best.alternative) == ("solo", 100.0, True)
    assert [s.step.text for s in between.plan.steps] == ["Start a plan of your own"]
    # Rules out every role, though role a fits it best: the alternative is what is left.
    ruled = score(kb, "q", {"one": "none-of-it"})
    assert (ruled.verdict.kind, ruled.verdict.roles) == ("single", ("solo",))
    assert {f.role: f.ruled_out_by for f in ruled.fits} == {"a": "one", "b": "one", "solo": None}
    # A quiz without a plan (hiring a coach) still shows an alternative's steps: they are what it recommends.
    path.write_text(ALTERNATIVE_KB.replace("    title: Q\n", "    title: Q\n    plan: false\n"))
    planless = score(load_knowledge_base(path), "q", {"one": "between"})
    assert [s.step.text for s in planless.plan.steps] == ["Start a plan of your own"]
