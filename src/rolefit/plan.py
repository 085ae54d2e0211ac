"""What follows a verdict: the next steps and pay of the roles it recommends, and the
quiz's checklist; and how old a figure is."""

from __future__ import annotations

import datetime
import re

from rolefit.models import Figure, KnowledgeBase
from rolefit.results import Pay, Plan, PlannedStep, Verdict

#: A figure measured longer ago than this is shown with its age.
OLD_AFTER_YEARS = 10
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def plan(kb: KnowledgeBase, quiz_id: str, verdict: Verdict) -> Plan:
    """The plan for `verdict`: with two roles, the quiz's path to both if it has one,
    else each role's steps in turn, best first."""
    quiz = kb.quizzes[quiz_id]
    if not quiz.plan or not verdict.roles:
        return Plan(checklist=quiz.checklist)
    if len(verdict.roles) > 1 and quiz.both_steps:
        steps = tuple(PlannedStep(None, step) for step in quiz.both_steps)
    else:
        steps = tuple(PlannedStep(r, step) for r in verdict.roles for step in kb.roles[r].next_steps)
    # A figure that two roles share (a statistic covering both jobs, say) is shown once.
    pay: dict[tuple[object, ...], tuple[list[str], Figure]] = {}
    for role_id in verdict.roles:
        for figure in kb.roles[role_id].income.figures:
            roles, _ = pay.setdefault(_fields(figure), ([], figure))
            roles.append(role_id)
    figures = tuple(Pay(tuple(roles), figure) for roles, figure in pay.values())
    return Plan(steps, figures, quiz.checklist, verdict.roles)


def _fields(figure: Figure) -> tuple[object, ...]:
    return tuple(getattr(figure, name) for name in figure.__dataclass_fields__)  # type: ignore[attr-defined]


def years_old(period: str, today: datetime.date) -> int | None:
    """How many years before `today` the latest year in `period` was, if more than
    OLD_AFTER_YEARS; else None (a recent period, or one without a year)."""
    years = [int(y) for y in _YEAR.findall(period)]
    if not years:
        return None
    age = today.year - max(years)
    return age if age > OLD_AFTER_YEARS else None


def dated(period: str, today: datetime.date) -> str:
    """`period`, with its age when it is old: "2013, 13 years old"."""
    age = years_old(period, today)
    return period if age is None else f"{period}, {age} years old"
