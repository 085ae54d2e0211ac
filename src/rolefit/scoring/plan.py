"""What follows a verdict: the next steps and pay of the roles it recommends, and the
quiz's checklist (`rolefit.views.wording` words them for every view)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rolefit.kb.models import Figure, KnowledgeBase
from rolefit.scoring.results import Pay, Plan, PlannedStep, Verdict


def plan(kb: KnowledgeBase, quiz_id: str, verdict: Verdict) -> Plan:
    """The plan for `verdict`: with two roles, the quiz's path to both if it has one,
    else each role's steps in turn, best first."""
    quiz = kb.quizzes[quiz_id]
    if verdict.roles and all(r in quiz.alternatives for r in verdict.roles):
        # An alternative's steps are what it recommends: shown even in a quiz without a plan.
        steps = tuple(PlannedStep(r, step) for r in verdict.roles for step in quiz.alternatives[r].next_steps)
        return Plan(steps)  # no pay, and no checks before hiring a coach: there is none to hire
    if not quiz.plan or not verdict.roles:
        return Plan(checklist=quiz.checklist)
    if len(verdict.roles) > 1 and quiz.both_steps:
        steps = tuple(PlannedStep(None, step) for step in quiz.both_steps)
    else:
        candidates = kb.candidates(quiz)
        steps = tuple(PlannedStep(r, step) for r in verdict.roles for step in candidates[r].next_steps)
    # A figure that two roles share (a statistic covering both jobs, say) is shown once.
    pay: dict[tuple[object, ...], tuple[list[str], Figure]] = {}
    for role_id in verdict.roles:
        for figure in kb.roles[role_id].income.figures if role_id in kb.roles else ():  # an alternative earns nothing
            roles, _ = pay.setdefault(_fields(figure), ([], figure))
            roles.append(role_id)
    figures = tuple(Pay(tuple(roles), figure) for roles, figure in pay.values())
    return Plan(steps, figures, quiz.checklist, verdict.roles)


def shared_figures(kb: KnowledgeBase, role_ids: Sequence[str]) -> tuple[Figure, ...]:
    """The income figures that every one of two or more roles gives, field for field (a
    statistic covering all their jobs), as the first role gives them; none for one role."""
    if len(role_ids) < 2:
        return ()
    given = [{_fields(f) for f in kb.roles[r].income.figures} for r in role_ids[1:]]
    return tuple(f for f in kb.roles[role_ids[0]].income.figures if all(_fields(f) in g for g in given))


def among(figure: Figure, figures: Iterable[Figure]) -> bool:
    """Whether `figure` is one of `figures`, field for field."""
    return _fields(figure) in {_fields(f) for f in figures}


def _fields(figure: Figure) -> tuple[object, ...]:
    return tuple(getattr(figure, name) for name in figure.__dataclass_fields__)  # type: ignore[attr-defined]
