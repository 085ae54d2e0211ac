"""The stability check: every single changed answer that would change the verdict.

For each answered question and each option other than the one chosen, the verdict is
worked out again with that one answer changed (a skipped question stays skipped), by
the one verdict rule (`rolefit.scoring.decision`); `Rule.label` then says what share of
these changes keep the verdict (leaving out changes to a must-have that rules out every
role: `counted`). Only the two best eligible roles decide a verdict, so
not every role needs rescoring; which ones can be left out follows from the formula
(`formula.most_rise`), with no allowance for error, because the sums are exact integers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from rolefit.kb.models import Option, Quiz
from rolefit.scoring import formula
from rolefit.scoring.decision import Decision, outcome_key
from rolefit.scoring.engine import Scorer, Tally
from rolefit.scoring.formula import Term, fit
from rolefit.scoring.results import Answers, VerdictKind

#: A changed answer: question id, the option it would be, and the verdict it would give.
Change = tuple[str, str, VerdictKind, tuple[str, ...]]


def counted(option: Option, roles: Collection[str]) -> bool:
    """Whether a change to this option counts towards a verdict's stability: not when it rules
    out every one of the knowledge base's `roles` (`Option.rules_out_every`), since such a
    must-have ends every verdict whatever the fits, and so says nothing about how solid this
    one is."""
    return not option.rules_out_every(roles)


def flips(scorer: Scorer, chosen: Answers, tally: Tally, now: Decision) -> Iterator[Change]:
    """Every counted changed answer (`counted`) whose verdict recommends something else than
    `now`, by question id."""
    ruled_by = {role_id: set(questions) for role_id, questions in scorer.ruling(chosen).items()}
    skipped = sum(1 for o in chosen.values() if o is None)
    recommended = outcome_key(now.kind, now.roles)
    for question in sorted(scorer.quiz.questions, key=lambda q: q.id):
        old = chosen[question.id]
        if old is None:
            continue
        removed = scorer.terms[question.id, old]
        ruled_by_others = {r for r, questions in ruled_by.items() if questions - {question.id}}
        for option in question.options:
            if option.id == old or not counted(option, scorer.kb.roles):
                continue
            ruled = ruled_by_others.union(option.ruled_out(scorer.kb.roles))
            added = scorer.terms[question.id, option.id]
            after = verdict_after(scorer, tally, removed, added, ruled, skipped)
            if outcome_key(after.kind, after.roles) != recommended:
                yield question.id, option.id, after.kind, after.roles


def verdict_after(
    scorer: Scorer,
    tally: Tally,
    removed: tuple[Term, ...],
    added: tuple[Term, ...],
    ruled: set[str],
    skipped: int,
) -> Decision:
    """The verdict with the terms of one answer `removed` and those of another `added`.

    Roles are rescored from the highest total down. Once two are rescored, a role whose
    total plus `formula.most_rise` cannot reach the second-best fit so far is left out, and
    so is every role after it: their totals are no higher. A role that could tie is
    rescored, since ties are broken by id.
    """
    weight = tally.weight - formula.terms_weight(removed) + formula.terms_weight(added)
    rise = formula.most_rise(removed, added)
    fits: dict[str, float] = {}
    best = second = -1.0
    for role_id in tally.by_total:
        if role_id in ruled:
            continue
        total = tally.totals[role_id]
        if len(fits) >= 2 and fit(total + rise, weight) < second:
            break
        role_fit = fit(total - scorer.closeness(removed, role_id) + scorer.closeness(added, role_id), weight)
        fits[role_id] = role_fit
        if role_fit > best:
            best, second = role_fit, best
        elif role_fit > second:
            second = role_fit
    return scorer.rule.decide(fits, ruled, weight, skipped)


def changes(quiz: Quiz, chosen: Answers, roles: Collection[str], leaving_out: Collection[str] = ()) -> int:
    """How many single-answer changes count: each answered question (but those `leaving_out`:
    the firm ones, whose words weigh no change, `verdict.suggestible`) to each of its other
    options, but those that rule out every one of `roles` (`counted`)."""
    return sum(
        sum(1 for o in q.options if o.id != chosen[q.id] and counted(o, roles))
        for q in quiz.questions
        if chosen[q.id] is not None and q.id not in leaving_out
    )
