"""The stability check: every single changed answer that would change the verdict.

For each answered question and each option other than the one chosen, the verdict is
worked out again with that one answer changed (a skipped question stays skipped); the
label says what share of these changes keep the verdict (`label`). Only the two best
eligible roles decide a verdict, so not every role needs rescoring; which ones can be
left out follows from the formula (see `most_rise`), with no allowance for error,
because the sums are exact integers (`rolefit.scoring.engine`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rolefit.kb.models import Quiz, Scoring
from rolefit.scoring.engine import PLACE, Scorer, Tally, Term, fit
from rolefit.scoring.results import Answers, StabilityLabel, VerdictKind

#: A changed answer: question id, the option it would be, and the verdict it would give.
Change = tuple[str, str, VerdictKind, tuple[str, ...]]


def flips(scorer: Scorer, chosen: Answers, tally: Tally, now: tuple[VerdictKind, tuple[str, ...]]) -> Iterator[Change]:
    """Every changed answer whose verdict recommends something else than `now`, by question id."""
    ruled_by: dict[str, set[str]] = defaultdict(set)  # role id -> the questions whose answers rule it out
    for question_id, option_id in chosen.items():
        option = scorer.questions[question_id].option(option_id) if option_id else None
        for role_id in option.rules_out if option else ():
            ruled_by[role_id].add(question_id)
    skipped = sum(1 for o in chosen.values() if o is None)
    recommended = outcome_key(*now)
    for question in sorted(scorer.quiz.questions, key=lambda q: q.id):
        old = chosen[question.id]
        if old is None:
            continue
        removed = scorer.terms[question.id, old]
        ruled_by_others = {r for r, questions in ruled_by.items() if questions - {question.id}}
        for option in question.options:
            if option.id == old:
                continue
            ruled = ruled_by_others.union(option.rules_out)
            added = scorer.terms[question.id, option.id]
            kind, roles = verdict_after(scorer, tally, removed, added, ruled, skipped)
            if outcome_key(kind, roles) != recommended:
                yield question.id, option.id, kind, roles


def verdict_after(
    scorer: Scorer,
    tally: Tally,
    removed: tuple[Term, ...],
    added: tuple[Term, ...],
    ruled: set[str],
    skipped: int,
) -> tuple[VerdictKind, tuple[str, ...]]:
    """The verdict with the terms of one answer `removed` and those of another `added`.

    Roles are rescored from the highest total down. Once two are rescored, a role whose
    total plus `most_rise` cannot reach the second-best fit so far is left out, and so is
    every role after it: their totals are no higher. A role that could tie is rescored,
    since ties are broken by id.
    """
    weight = tally.weight + PLACE * (sum(t.share for t in added) - sum(t.share for t in removed))
    rise = most_rise(removed, added)
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
    kind, roles, _ = scorer.decide(fits, ruled, weight, skipped)
    return kind, roles


def most_rise(removed: tuple[Term, ...], added: tuple[Term, ...]) -> int:
    """The most any role's total closeness can rise when `removed` are replaced by `added`.

    On one trait the rise for a role at place X is

        r(X) = sum of s * (PLACE - |P - X|) over the added terms, minus the same over the removed,

    a sum of functions linear in X on each side of their P: so r is linear between
    consecutive places P of these terms, and its largest value on [0, PLACE] is at one
    of them or at an end. The rise of a role's total is the sum of r over the traits the
    terms place, each at the role's own X, so it is at most the sum of each trait's
    largest r. All of it is integers: the bound is exact.
    """
    signed: dict[str, list[tuple[int, int]]] = defaultdict(list)  # trait -> (signed share, place)
    for term in added:
        signed[term.trait].append((term.share, term.place))
    for term in removed:
        signed[term.trait].append((-term.share, term.place))
    rise = 0
    for pairs in signed.values():
        ends = {0, PLACE, *(place for _, place in pairs)}
        rise += max(sum(share * (PLACE - abs(place - x)) for share, place in pairs) for x in ends)
    return rise


def outcome_key(kind: VerdictKind, roles: tuple[str, ...]) -> tuple[VerdictKind, frozenset[str]]:
    """What a verdict recommends, regardless of the order in which it names the roles."""
    return kind, frozenset(roles)


def changes(quiz: Quiz, chosen: Answers) -> int:
    """How many single-answer changes there are: each answered question to each of its other options."""
    return sum(len(q.options) - 1 for q in quiz.questions if chosen[q.id] is not None)


def label(scoring: Scoring, *, enough: bool, by_dealbreaker: bool, changes: int, flips: int) -> StabilityLabel:
    """How solid a verdict is, by definition.

    - `not-enough-answers`: too few answers count to recommend anything (`Scorer.enough`);
    - `ruled-out`: a dealbreaker decided it (without the roles it rules out, the fits
      alone would recommend something else);
    - otherwise by the share of the `changes` single-answer changes that keep what the
      verdict recommends: `clear` from `scoring.clear_keeps`, `close` from
      `scoring.close_keeps`, `uncertain` below.
    """
    if not enough or not changes:
        return "not-enough-answers"
    if by_dealbreaker:
        return "ruled-out"
    kept = (changes - flips) / changes  # correctly rounded, as the thresholds are: a share equal to one is kept
    if kept >= scoring.clear_keeps:
        return "clear"
    if kept >= scoring.close_keeps:
        return "close"
    return "uncertain"
