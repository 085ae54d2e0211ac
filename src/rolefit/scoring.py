"""Answers in, fits and a verdict out: pure functions over the knowledge base.

Each answer places the person on one or more traits. For every role, an answer
scores the closeness of those places to the role's own (1 minus the distance on
the 0-1 scale), weighted by the question's weight shared among its traits.
A role's fit is the weighted mean closeness, times 100. So:

- a role's fit depends only on that role and the answers, not on other roles;
- a neutral ("no preference") answer adds no weight, so it pulls no role either way;
- sums use math.fsum, which is exact, so the order of questions never shifts a result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rolefit.models import KnowledgeBase, Question, Quiz

VerdictKind = Literal["single", "both", "neither"]

#: How many answers a verdict names as its reasons.
REASONS = 3


@dataclass(frozen=True)
class RoleFit:
    role: str
    name: str
    fit: float
    #: Fit per trait and per dimension, for those the answers said something about.
    traits: Mapping[str, float]
    dimensions: Mapping[str, float]


@dataclass(frozen=True)
class Reason:
    question: str
    option: str
    #: Fit points this answer moved, in favour of `towards`.
    points: float
    towards: str
    text: str


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    roles: tuple[str, ...]
    margin: float
    summary: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class QuizResult:
    quiz: str
    answers: Mapping[str, str]
    fits: tuple[RoleFit, ...]  # best first
    verdict: Verdict


@dataclass(frozen=True)
class _Evidence:
    """One answer's say about one trait: its share of the weight and where it places the person."""

    question: Question
    option_id: str
    trait: str
    share: float
    place: float


def score(kb: KnowledgeBase, quiz_id: str, answers: Mapping[str, str]) -> QuizResult:
    """Score complete, already-resolved answers to one quiz."""
    quiz = kb.quizzes[quiz_id]
    evidence = _evidence(quiz, answers)
    total = math.fsum(e.share for e in evidence)
    fits = sorted(
        (_role_fit(kb, role_id, evidence, total) for role_id in kb.roles),
        key=lambda f: (-f.fit, f.role),
    )
    verdict = _verdict(kb, quiz, fits, evidence, total)
    return QuizResult(quiz_id, dict(answers), tuple(fits), verdict)


def _evidence(quiz: Quiz, answers: Mapping[str, str]) -> list[_Evidence]:
    evidence = []
    for question in sorted(quiz.questions, key=lambda q: q.id):
        option = question.option(answers[question.id])
        if option is None or option.neutral:
            continue
        share = question.weight / len(option.places)
        for trait, place in sorted(option.places.items()):
            evidence.append(_Evidence(question, option.id, trait, share, place))
    return evidence


def _closeness(kb: KnowledgeBase, role_id: str, e: _Evidence) -> float:
    return 1.0 - abs(e.place - kb.roles[role_id].traits[e.trait])


def _role_fit(kb: KnowledgeBase, role_id: str, evidence: list[_Evidence], total: float) -> RoleFit:
    role = kb.roles[role_id]
    if total == 0:
        return RoleFit(role_id, role.name, 0.0, {}, {})
    by_trait: dict[str, list[_Evidence]] = defaultdict(list)
    by_dimension: dict[str, list[_Evidence]] = defaultdict(list)
    for e in evidence:
        by_trait[e.trait].append(e)
        by_dimension[kb.traits[e.trait].dimension].append(e)

    def mean(items: list[_Evidence]) -> float:
        weight = math.fsum(e.share for e in items)
        return round(100 * math.fsum(e.share * _closeness(kb, role_id, e) for e in items) / weight, 1)

    return RoleFit(
        role=role_id,
        name=role.name,
        fit=mean(evidence),
        traits={t: mean(items) for t, items in sorted(by_trait.items())},
        dimensions={d: mean(items) for d, items in sorted(by_dimension.items())},
    )


def _points(kb: KnowledgeBase, role_id: str, evidence: list[_Evidence], total: float) -> dict[str, float]:
    """Fit points each answered question gives `role_id`."""
    parts: dict[str, list[float]] = defaultdict(list)
    for e in evidence:
        parts[e.question.id].append(100 * e.share * _closeness(kb, role_id, e) / total)
    return {q: math.fsum(p) for q, p in parts.items()}


def _verdict(
    kb: KnowledgeBase, quiz: Quiz, fits: list[RoleFit], evidence: list[_Evidence], total: float
) -> Verdict:
    if total == 0:
        return Verdict(
            "neither",
            (),
            0.0,
            "None of your answers expressed a preference, so no role can be recommended.",
            (),
        )
    best, second = fits[0], fits[1]
    margin = round(best.fit - second.fit, 1)
    names = {f.role: f.name for f in fits}
    chosen = {e.question.id: (e.question, e.option_id) for e in evidence}

    def said(question_id: str) -> str:
        question, option_id = chosen[question_id]
        option = question.option(option_id)
        assert option is not None
        return f'You answered "{option.label}" to "{question.text}"'

    if best.fit < kb.scoring.neither_below:
        # What kept even the closest role down: the answers furthest from it.
        ideal = {q: sum(100 * e.share / total for e in evidence if e.question.id == q) for q in chosen}
        got = _points(kb, best.role, evidence, total)
        shortfall = sorted(((ideal[q] - got[q], q) for q in chosen), key=lambda x: (-x[0], x[1]))
        reasons = tuple(
            Reason(q, chosen[q][1], round(p, 1), best.role, f"{said(q)}: {names[best.role]} loses {p:.1f} points.")
            for p, q in shortfall[:REASONS]
            if p > 0
        )
        template = quiz.neither or "No role fits your answers well: the closest, {best}, reaches only {fit}."
        summary = _fill(template, best=names[best.role], fit=f"{best.fit:g}")
        return Verdict("neither", (), margin, summary, reasons)

    first_points = _points(kb, best.role, evidence, total)
    second_points = _points(kb, second.role, evidence, total)
    gaps = sorted(((first_points[q] - second_points[q], q) for q in chosen), key=lambda x: (-abs(x[0]), x[1]))

    def reason(gap: float, q: str) -> Reason:
        towards, other = (best.role, second.role) if gap >= 0 else (second.role, best.role)
        return Reason(
            q,
            chosen[q][1],
            round(abs(gap), 1),
            towards,
            f"{said(q)}: {abs(gap):.1f} points towards {names[towards]} over {names[other]}.",
        )

    if margin <= kb.scoring.both_within:
        # Close call: show what pulled each way, strongest first.
        towards_best = [g for g in gaps if g[0] > 0][:2]
        towards_second = [g for g in gaps if g[0] < 0][:1]
        picked = sorted(towards_best + towards_second, key=lambda x: (-abs(x[0]), x[1]))
        template = quiz.both or "{first} and {second} fit you almost equally: you could do both."
        summary = _fill(template, first=names[best.role], second=names[second.role])
        return Verdict("both", (best.role, second.role), margin, summary, tuple(reason(*g) for g in picked))

    picked = [g for g in gaps if g[0] > 0][:REASONS]
    summary = quiz.advice.get(best.role) or f"{names[best.role]} fits you best."
    return Verdict("single", (best.role,), margin, summary, tuple(reason(*g) for g in picked))


def _fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces in the knowledge base's text stay as written."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
