"""Answers in, a `QuizResult` out: fits, verdict, stability and explanation.

A pure function over the knowledge base: `engine` works out the fits by `formula`,
`decision` the verdict and its label, `stability` the answers that would change the
verdict, and `verdict` puts them into words.
"""

from __future__ import annotations

from rolefit.kb.models import DIMENSIONS, KnowledgeBase
from rolefit.scoring.decision import best_first, outcome_key
from rolefit.scoring.engine import Scorer
from rolefit.scoring.plan import plan
from rolefit.scoring.results import EXPLAINED_ROLES, Answers, Note, QuizResult, RoleFit, Weights
from rolefit.scoring.stability import changes, flips
from rolefit.scoring.verdict import (
    contributions,
    firm_questions,
    poorly_fitted,
    suggestible,
    warnings,
    worded_stability,
    worded_verdict,
)


def full_weights(weights: Weights | None) -> dict[str, float]:
    """Every dimension's weight: 1 unless given."""
    given = dict(weights or {})
    return {d: float(given.get(d, 1.0)) for d in DIMENSIONS}


def score(kb: KnowledgeBase, quiz_id: str, answers: Answers, weights: Weights | None = None) -> QuizResult:
    """Score resolved answers (every question id present; None where skipped)."""
    quiz = kb.quizzes[quiz_id]
    dimension_weights = full_weights(weights)
    scorer = Scorer(kb, quiz, dimension_weights)
    chosen = {q.id: answers.get(q.id) for q in quiz.questions}
    tally = scorer.tally(chosen)
    ruled = scorer.ruled_out(chosen)
    skipped = sum(1 for o in chosen.values() if o is None)
    rule = scorer.rule
    decision = rule.decide(tally.fits, ruled, tally.weight, skipped)
    unruled = rule.decide(tally.fits, (), tally.weight, skipped)
    by_dealbreaker = outcome_key(unruled.kind, unruled.roles) != outcome_key(decision.kind, decision.roles)
    flipping = list(flips(scorer, chosen, tally, decision))
    tried = changes(quiz, chosen, kb.roles)
    enough = rule.enough(tally.weight, skipped)
    label = rule.label(enough=enough, by_dealbreaker=by_dealbreaker, changes=tried, flips=len(flipping))
    ranked = best_first(tally.fits)
    eligible = [r for r in ranked if r not in ruled]
    compared = [r for r in eligible if r in kb.roles][:2] or eligible[:2]
    # The words are as sure as the changes that keep the verdict, a dealbreaker's too: a verdict
    # a dealbreaker decided, that few changes keep, does not command either. A change to an
    # answer that rules something out is not weighed here (nor named, `suggestible`): that answer
    # is a fact or a firm limit, so "see a doctor first" is as sure as the other answers leave it.
    named = suggestible(scorer, chosen, flipping)
    weighed = changes(quiz, chosen, kb.roles, leaving_out=firm_questions(scorer, chosen))
    sure = rule.label(enough=enough, by_dealbreaker=False, changes=weighed, flips=len(named))
    # Clear once the firm answer is set aside: worded by the stability label when that says more
    # (ruled out by a dealbreaker, too few answers), else as clear.
    worded = label if sure == "clear" and label in ("ruled-out", "not-enough-answers") else sure
    verdict = worded_verdict(scorer, tally, chosen, decision, worded, named)
    return QuizResult(
        quiz=quiz_id,
        answers=chosen,
        weights=dimension_weights,
        fits=tuple(
            RoleFit(r, scorer.candidates[r].name, tally.fits[r], *tally.breakdown(r), ruled.get(r), r not in kb.roles)
            for r in ranked
        ),
        verdict=verdict,
        # The answers that separate the two best roles first (an alternative is not what they weigh).
        contributions=tuple(contributions(scorer, tally, chosen, ranked[:EXPLAINED_ROLES], compared)),
        stability=worded_stability(scorer, label, tried, flipping, unruled if by_dealbreaker else None, named),
        warnings=(*warnings(scorer, chosen), *poorly_fitted(scorer, tally, verdict.roles, dimension_weights)),
        notes=tuple(  # by question id, as flips are: the order of the questions changes nothing
            Note(q.id, o.id, o.note)
            for q in sorted(quiz.questions, key=lambda q: q.id)
            if (o := q.option(chosen[q.id] or "")) and o.note
        ),
        plan=plan(kb, quiz_id, verdict),
    )
