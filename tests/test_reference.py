"""The engine against a reference scorer written straight from the formula in docs/how-it-works.md.

`reference` below is the formula with nothing left out and nothing made fast: every
role, every answer, every trait, one at a time. The engine must agree with it
exactly (every fit, every breakdown, the verdict and every flip of the stability
check) on random knowledge bases, answers and weights.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolefit.kb.models import DIMENSIONS, KnowledgeBase
from rolefit.kb.validation import validate
from rolefit.scoring.engine import Scorer
from rolefit.scoring.formula import SCALE, Term, most_rise
from rolefit.scoring.score import score
from tests.conftest import alternatives

SHARE = 10**9


def reference(kb: KnowledgeBase, quiz_id: str, answers: dict[str, str | None], weights: dict[str, float]) -> Any:
    """Fits, breakdowns and the verdict, by the formula in docs/how-it-works.md."""
    quiz = kb.quizzes[quiz_id]
    fits, traits, dimensions = {}, {}, {}
    # The roles, and the quiz's alternatives, which are scored the same way.
    for role_id, role in {**kb.roles, **quiz.alternatives}.items():
        closeness: dict[str, int] = defaultdict(int)
        weight: dict[str, int] = defaultdict(int)
        for question in quiz.questions:
            option = question.option(answers[question.id] or "")
            for trait, place in option.places.items() if option else ():
                dimension = kb.traits[trait].dimension
                share = round(question.weight / len(option.places) * weights.get(dimension, 1.0) * SHARE)
                if not share:
                    continue
                if role.traits[trait] is None:  # an alternative indifferent to the trait: half
                    closeness[trait] += share * SCALE // 2
                else:  # an answer meaning "both" has several places: the nearest counts
                    at = place if isinstance(place, tuple) else (place,)
                    distance = min(abs(round(p * SCALE) - round(role.traits[trait] * SCALE)) for p in at)
                    closeness[trait] += share * (SCALE - distance)
                weight[trait] += share * SCALE
        fits[role_id] = _fit(sum(closeness.values()), sum(weight.values()))
        traits[role_id] = {t: _fit(closeness[t], weight[t]) for t in sorted(weight)}
        by_dimension = {d: [t for t in weight if kb.traits[t].dimension == d] for d in DIMENSIONS}
        dimensions[role_id] = {
            d: _fit(sum(closeness[t] for t in ts), sum(weight[t] for t in ts))
            for d, ts in sorted(by_dimension.items())
            if ts
        }
    total_weight = sum(weight.values())
    return fits, traits, dimensions, _verdict(kb, quiz_id, answers, fits, total_weight)


def _fit(closeness: int, weight: int) -> float:
    return round(100 * closeness / weight, 1) if weight else 0.0


def _verdict(
    kb: KnowledgeBase, quiz_id: str, answers: dict[str, str | None], fits: dict[str, float], weight: int
) -> Any:
    """The verdict rule in docs/how-it-works.md: the best eligible role, both when the two best are close,
    neither when too low."""
    questions = kb.quizzes[quiz_id].questions
    # `rules_out: all` rules out every role (the quiz's alternatives stay).
    chosen = [o for q in questions if (o := q.option(answers[q.id] or ""))]
    ruled = {r for o in chosen for r in (kb.roles if o.rules_out == "all" else o.rules_out)}
    eligible = sorted((r for r in fits if r not in ruled), key=lambda r: (-fits[r], r))
    if not eligible:
        return "neither", (), 0.0
    margin = round(fits[eligible[0]] - (fits[eligible[1]] if len(eligible) > 1 else 0.0), 1)
    skipped = sum(1 for q in questions if answers[q.id] is None)
    if weight == 0 or skipped * 2 > len(questions) or fits[eligible[0]] < kb.scoring.neither_below:
        return "neither", (), margin
    alternatives = kb.quizzes[quiz_id].alternatives  # never recommended together with anything
    if len(eligible) > 1 and margin <= kb.scoring.both_within and not alternatives.keys() & set(eligible[:2]):
        return "both", (eligible[0], eligible[1]), margin
    return "single", (eligible[0],), margin


def _reference_flips(
    kb: KnowledgeBase, quiz_id: str, answers: dict[str, str | None], weights: dict[str, float]
) -> list:
    """Every single changed answer to an answered question that changes what the verdict recommends,
    found by rescoring it all; but a change to an answer that rules out every role, which ends
    any verdict and so says nothing of this one's stability."""
    kind, roles, _ = reference(kb, quiz_id, answers, weights)[3]
    flips = []
    for question in sorted(kb.quizzes[quiz_id].questions, key=lambda q: q.id):
        if answers[question.id] is None:
            continue
        for option in question.options:
            # A must-have (ruling out every role, by `all` or by name) is not counted.
            must_have = option.rules_out == "all" or set(kb.roles) <= set(option.rules_out)
            if option.id != answers[question.id] and not must_have:
                new_kind, new_roles, _ = reference(kb, quiz_id, {**answers, question.id: option.id}, weights)[3]
                if (new_kind, set(new_roles)) != (kind, set(roles)):
                    flips.append((question.id, option.id, new_kind, new_roles))
    return flips


def _assert_agrees(kb: KnowledgeBase, quiz_id: str, answers: dict[str, str | None], weights: dict[str, float]) -> None:
    result = score(kb, quiz_id, answers, weights)
    fits, traits, dimensions, (kind, roles, margin) = reference(kb, quiz_id, answers, weights)
    assert {f.role: f.fit for f in result.fits} == fits
    assert {f.role: dict(f.traits) for f in result.fits} == traits
    assert {f.role: dict(f.dimensions) for f in result.fits} == dimensions
    assert (result.verdict.kind, result.verdict.roles, result.verdict.margin) == (kind, roles, margin)
    assert [(f.question, f.option, f.kind, f.roles) for f in result.stability.flips] == _reference_flips(
        kb, quiz_id, answers, weights
    )


@st.composite
def _cases(draw: st.DrawFn) -> tuple[KnowledgeBase, dict[str, str | None], dict[str, float]]:
    """A random valid knowledge base, answers to its quiz and dimension weights."""
    traits = [f"t{i}" for i in range(draw(st.integers(1, 5)))]
    places = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.integers(0, 1000).map(lambda n: n / 1000))
    aspect = {"summary": "x"}
    roles = {
        f"r{i}": {
            "name": f"Role {i}",
            "summary": "x",
            "duties": ["x"],
            "choose_if": ["x"],
            "traits": {t: draw(places) for t in traits},
            **dict.fromkeys(DIMENSIONS, aspect),
        }
        for i in range(draw(st.integers(2, 25)))
    }
    questions = []
    for q in range(draw(st.integers(1, 7))):
        options: list[dict[str, Any]] = [
            {
                "id": f"o{o}",
                "label": f"O{o}",
                "places": {
                    t: draw(st.one_of(places, st.lists(places, min_size=2, max_size=3)))
                    for t in draw(st.sets(st.sampled_from(traits), min_size=1))
                },
                # One option in ten rules out every role: the alternatives, if any, stay.
                "rules_out": "all"
                if draw(st.integers(0, 9)) == 0
                else draw(st.lists(st.sampled_from(sorted(roles)), max_size=1)),
            }
            for o in range(draw(st.integers(2, 4)))
        ]
        if draw(st.booleans()):
            options.append({"id": "none", "label": "No preference", "neutral": True})
        weight = draw(st.sampled_from([0.5, 1, 1.5, 2, 3, 7.3, 100]))
        questions.append({"id": f"q{q}", "text": f"Q{q}", "weight": weight, "options": options})
    data = {
        "schema_version": 1,
        "title": "Random",
        "traits": {
            t: {"name": t, "dimension": draw(st.sampled_from(DIMENSIONS)), "low": "l", "high": "h"} for t in traits
        },
        "roles": roles,
        "scoring": {
            "both_within": draw(st.sampled_from([0, 3, 10])),
            "neither_below": draw(st.sampled_from([0, 50, 70])),
        },
        "quizzes": {"pick": {"title": "Pick", "questions": questions}},
    }
    instead = alternatives(draw, traits, places, 2)  # scored as roles are
    if instead:
        data["quizzes"]["pick"]["alternatives"] = instead  # type: ignore[index]
    kb, problems = validate(data)
    assert kb is not None, problems
    answers = {q["id"]: draw(st.one_of(st.none(), st.sampled_from([o["id"] for o in q["options"]]))) for q in questions}
    weights = draw(st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from([0.0, 1e-12, 0.3, 1.0, 2.5, 10.0])))
    return kb, answers, weights


@settings(max_examples=300, deadline=None)
@given(case=_cases())
def test_the_engine_agrees_with_the_reference_exactly(case: tuple[KnowledgeBase, dict, dict]) -> None:
    kb, answers, weights = case
    _assert_agrees(kb, "pick", answers, weights)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), quiz=st.sampled_from(["career", "hiring"]))
def test_the_built_in_quizzes_agree_with_the_reference(kb: KnowledgeBase, data: st.DataObject, quiz: str) -> None:
    questions = kb.quizzes[quiz].questions
    answers = data.draw(
        st.fixed_dictionaries(
            {q.id: st.one_of(st.none(), st.sampled_from([o.id for o in q.options])) for q in questions}
        )
    )
    weights = data.draw(st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from([0.0, 0.5, 1.0, 2.5, 10.0])))
    _assert_agrees(kb, quiz, answers, weights)


@settings(max_examples=300, deadline=None)
@given(
    terms=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(1, 10**11),
            st.one_of(st.integers(0, SCALE), st.lists(st.integers(0, SCALE), min_size=2, max_size=3).map(tuple)),
            st.booleans(),
        ),
        max_size=6,
    ),
    x=st.one_of(st.integers(0, SCALE), st.none()),  # None: an alternative indifferent to the trait
    y=st.one_of(st.integers(0, SCALE), st.none()),
)
def test_no_role_rises_more_than_most_rise(
    terms: list[tuple[str, int, Any, bool]], x: int | None, y: int | None
) -> None:
    """The bound that lets the stability check leave roles out holds for a role anywhere."""
    added = tuple(Term(t, s, p) for t, s, p, new in terms if new)
    removed = tuple(Term(t, s, p) for t, s, p, new in terms if not new)
    at = {"a": x, "b": y}

    def closeness(ts: tuple[Term, ...]) -> int:  # the nearest of an answer's places counts
        places = [(t, t.place if isinstance(t.place, tuple) else (t.place,)) for t in ts]
        return sum(
            t.share * SCALE // 2 if at[t.trait] is None else t.share * (SCALE - min(abs(p - at[t.trait]) for p in ps))
            for t, ps in places
        )

    assert closeness(added) - closeness(removed) <= most_rise(removed, added)


def test_the_stability_check_rescores_few_of_many_roles(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the shortcut in `stability.verdict_after`: with 1,000 roles, a changed answer
    rescores a handful, not all of them (without it, a 1,000-role quiz takes several
    times longer)."""
    template, places = next(iter(kb.roles.values())), random.Random(1)
    roles = {
        f"role-{i:04d}": type(template)(
            **{**vars(template), "traits": {t: places.randint(0, 100) / 100 for t in kb.traits}}
        )
        for i in range(1000)
    }
    many = KnowledgeBase(**{**vars(kb), "roles": roles})
    answers = {q.id: q.options[0].id for q in kb.quizzes["career"].questions}
    rescored = 0
    closeness = Scorer.closeness

    def counting(self: Scorer, terms: Any, role_id: str) -> int:
        nonlocal rescored
        rescored += 1
        return closeness(self, terms, role_id)

    with monkeypatch.context() as patched:
        patched.setattr(Scorer, "closeness", counting)
        score(many, "career", answers)
    alternatives = sum(len(q.options) - 1 for q in kb.quizzes["career"].questions)
    # Two closeness sums per rescored role, and a few hundred for the explanation and the
    # reasons: rescoring every role would be 2 * 1,000 per alternative.
    assert rescored < alternatives * 2 * 1000 / 20
    _assert_agrees(many, "career", answers, {})  # and what it leaves out changes nothing
