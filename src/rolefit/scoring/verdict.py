"""The verdict in words: its summary and reasons, the stability label, warnings about
the answers, and each answer's part in every fit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rolefit.kb.models import Question
from rolefit.scoring import formula
from rolefit.scoring.decision import Decision, best_first
from rolefit.scoring.engine import Scorer, Tally
from rolefit.scoring.formula import Term, fit
from rolefit.scoring.results import (
    Answers,
    AnswerWarning,
    Contribution,
    Flip,
    Reason,
    RuledOut,
    Stability,
    StabilityLabel,
    Verdict,
    VerdictKind,
)
from rolefit.scoring.stability import Change

#: How many answers a verdict names as its reasons.
REASONS = 3
#: A dimension's fit below this, out of 100, is poor: under half of what the answers asked for.
POOR_FIT = 50


def worded_verdict(
    scorer: Scorer, tally: Tally, chosen: Answers, decision: Decision, label: StabilityLabel, flipping: list[Change]
) -> Verdict:
    """The verdict's summary, as sure as its stability `label` (`flipping`: the changed answers
    that would change it and that the words may name, `suggestible`), and the answers that
    decided it."""
    quiz = scorer.quiz
    kind, roles, margin = decision.kind, decision.roles, decision.margin
    names = {r: candidate.name for r, candidate in scorer.candidates.items()}
    ruled = scorer.ruled_out(chosen)
    by_answer: dict[str, list[str]] = {}  # question id -> the roles its answer rules out
    for r, q in sorted(ruled.items()):
        by_answer.setdefault(q, []).append(names[r])
    said: dict[str, str] = {}  # question id -> what its answer rules out, in words
    for q, ruled_names in by_answer.items():
        answer = chosen[q] or ""
        said[q] = f"{_said(scorer.questions[q], answer)}: that rules out {_ruled_by(scorer, q, answer, ruled_names)}."
    ruled_out = tuple(RuledOut(r, q, chosen[q] or "", said[q]) for r, q in sorted(ruled.items()))
    # The answers that count, and each one's closeness to a role, in the same units as the weight.
    answered = {q: scorer.terms[q, o] for q, o in chosen.items() if o is not None and scorer.terms[q, o]}

    if kind == "neither":
        summary, reasons = _neither(scorer, tally, chosen, decision, answered)
        return Verdict(kind, (), margin, summary, reasons, ruled_out)

    ranked = best_first(tally.fits, ruled)
    first = roles[0]
    # Reasons compare the winner with the role a person would weigh it against: the next role
    # not ruled out; for an alternative, or when every other role is ruled out, the best role.
    roles_only = scorer.kb.roles
    others = [r for r in ranked[1:] if r in roles_only and first in roles_only] or [
        r for r in best_first(tally.fits) if r != first and r in roles_only
    ]
    second = roles[1] if kind == "both" else others[0]
    weight = tally.weight
    # Closeness to the first less closeness to the second, per answer; the largest first.
    gaps = sorted(
        ((scorer.closeness(terms, first) - scorer.closeness(terms, second), q) for q, terms in answered.items()),
        key=lambda gap: (-abs(gap[0]), gap[1]),
    )

    def reason(gap: int, q: str) -> Reason:
        towards, other = (first, second) if gap >= 0 else (second, first)
        moved = fit(abs(gap), weight)
        said = _said(scorer.questions[q], chosen[q] or "")
        text = f"{said}: {moved:.1f} points towards {names[towards]} over {names[other]}."
        return Reason(q, chosen[q] or "", moved, towards, text)

    if kind == "both":
        # A close call: show what pulled each way, strongest first.
        picked = [g for g in gaps if g[0] > 0][:2] + [g for g in gaps if g[0] < 0][:1]
        picked.sort(key=lambda gap: (-abs(gap[0]), gap[1]))
        template = quiz.both or "{first} and {second} fit you almost equally: you could do both."
        summary = _fill(template, first=names[first], second=names[second])
        if label in LEANING:  # not clear: the answers that would change it, as for one role
            summary += _changes(scorer, flipping)
        return Verdict(kind, roles, margin, summary, tuple(reason(*g) for g in picked), ruled_out)

    # The strongest answers for the winner, and the strongest that pulled the other way.
    picked = [g for g in gaps if g[0] > 0][:REASONS] + [g for g in gaps if g[0] < 0][:1]
    summary = _single(scorer, first, label, flipping)
    return Verdict(kind, roles, margin, summary, tuple(reason(*g) for g in picked), ruled_out)


#: A single role's words when the verdict is not clear, where the knowledge base gives none.
LEANING = {
    "close": "Your answers lean towards {role}.",
    "uncertain": "Your answers lean slightly towards {role}; it is a close call.",
}
#: How many of the answers that would change an unclear verdict its words name.
CHANGES_NAMED = 2


def _single(scorer: Scorer, role: str, label: StabilityLabel, flipping: list[Change]) -> str:
    """The words for one role, as sure as the evidence: the quiz's advice (which may be a
    command) only for a clear verdict, or one a dealbreaker decided; for a close or uncertain
    one, that the answers lean towards it, and the answers that would change it."""
    quiz, name = scorer.quiz, scorer.candidates[role].name
    if label not in LEANING:
        return quiz.advice.get(role) or f"{name} fits you best."
    words = quiz.leaning.get(label, {}).get(role) or _fill(LEANING[label], role=name)  # type: ignore[arg-type]
    return words + _changes(scorer, flipping)


def suggestible(scorer: Scorer, chosen: Answers, flipping: list[Change]) -> list[Change]:
    """The changed answers the words may name: none to a question whose answer rules out a
    role or more. Such an answer is a fact about the person or a firm limit (a health problem
    nobody has checked, "I would rather not coach at all"), not a preference to weigh: "answering
    that a doctor has checked it would recommend a trainer" would invite a person to say so
    (`stability.changes` leaves them out alike)."""
    firm = firm_questions(scorer, chosen)
    return [change for change in flipping if change[0] not in firm]


def firm_questions(scorer: Scorer, chosen: Answers) -> set[str]:
    """The questions whose answers rule out a role or more: every one, not only the first that
    rules out each role (`Scorer.ruled_out`), since two answers may rule out the same roles."""
    return {question for questions in scorer.ruling(chosen).values() for question in questions}


def _changes(scorer: Scorer, flipping: list[Change]) -> str:
    """Up to CHANGES_NAMED answers that would change the verdict, one sentence each (a name
    may hold a comma: "Training on your own, with a plan"), each from another question."""
    names = {r: candidate.name for r, candidate in scorer.candidates.items()}
    changes: list[str] = []
    named: set[str] = set()
    for q, o, k, rs in flipping:  # the first by question id
        if q not in named and len(changes) < CHANGES_NAMED:
            named.add(q)
            answer = f'"{_option_label(scorer, q, o)}" to "{scorer.questions[q].text}"'
            changes.append(f"{answer} would recommend {_outcome(k, rs, names)}")
    return "".join(f" Answering {change}." for change in changes)


def _option_label(scorer: Scorer, question_id: str, option_id: str) -> str:
    option = scorer.questions[question_id].option(option_id)
    assert option is not None
    return option.label


def _ruled_by(scorer: Scorer, question_id: str, option_id: str, names: list[str]) -> str:
    """The roles an answer rules out, in words: `every role` for a must-have."""
    option = scorer.questions[question_id].option(option_id)
    if option is None or not option.rules_out_every(scorer.kb.roles):
        return and_list(names)
    return "every role, leaving what to do instead of one" if scorer.quiz.alternatives else "every role"


def _neither(
    scorer: Scorer, tally: Tally, chosen: Answers, decision: Decision, answered: Mapping[str, tuple[Term, ...]]
) -> tuple[str, tuple[Reason, ...]]:
    """The words for a verdict that recommends nothing, by why it does (`Decision.why`)."""
    weight = tally.weight
    if decision.why == "skipped":
        skipped = sum(1 for o in chosen.values() if o is None)
        return f"You skipped {skipped} of {len(chosen)} questions: too few answers to recommend a role.", ()
    if decision.why == "nothing-counts":
        options = [scorer.questions[q].option(o) for q, o in chosen.items() if o is not None]
        if any(option is not None and not option.neutral for option in options):
            return "Your weights leave none of your answers counting, so no role can be recommended.", ()
        return "None of your answers expressed a preference, so no role can be recommended.", ()
    template = scorer.quiz.neither or "No role fits your answers well: the closest, {best}, reaches only {fit}."
    if decision.why == "ruled-out":  # the knowledge base's own words follow, about the best fit of all
        best = best_first(tally.fits)[0]
        neither = _fill(template, best=scorer.candidates[best].name, fit=f"{tally.fits[best]:g}")
        return f"Your answers rule out every role. {neither}", ()
    ruled = scorer.ruled_out(chosen)
    # Every role ruled out, and the alternatives left fit too little: say both.
    every_role = "Your answers rule out every role. " if scorer.kb.roles.keys() <= ruled.keys() else ""
    best = best_first(tally.fits, ruled)[0]
    name = scorer.candidates[best].name
    # What kept even the closest role down: the answers furthest from it.
    shortfall = sorted(
        ((formula.terms_weight(terms) - scorer.closeness(terms, best), q) for q, terms in answered.items()),
        key=lambda lost: (-lost[0], lost[1]),
    )
    reasons = tuple(
        Reason(
            q,
            chosen[q] or "",
            fit(lost, weight),
            best,
            f"{_said(scorer.questions[q], chosen[q] or '')}: {name} loses {fit(lost, weight):.1f} points.",
        )
        for lost, q in shortfall[:REASONS]
        if lost > 0
    )
    return every_role + _fill(template, best=name, fit=f"{tally.fits[best]:g}"), reasons


def contributions(
    scorer: Scorer, tally: Tally, chosen: Answers, roles: list[str], compared: list[str]
) -> Iterator[Contribution]:
    """Each answer's fit points for `roles`, the answers that separate the `compared` two most first."""
    weight = tally.weight
    entries = []
    for question_id, option_id in chosen.items():
        question = scorer.questions[question_id]
        option = question.option(option_id) if option_id else None
        terms = scorer.terms[question_id, option_id] if option_id else ()
        possible = fit(formula.terms_weight(terms), weight)
        if option is None or not possible:
            what = f'"{option.label}"' if option else "Skipped"
            text = f'{what} ("{question.text}"): no effect on any role.'
            entries.append((0, question_id, Contribution(question_id, option_id, 0.0, {}, text)))
            continue
        gained = {r: fit(scorer.closeness(terms, r), weight) for r in roles}
        spread = abs(scorer.closeness(terms, compared[0]) - scorer.closeness(terms, compared[-1])) if compared else 0
        gains = ", ".join(f"{scorer.candidates[r].name} +{p:g}" for r, p in gained.items())
        text = f'"{option.label}" ("{question.text}"): {gains}, of {possible:g} possible.'
        entries.append((spread, question_id, Contribution(question_id, option_id, possible, gained, text)))
    for _, _, contribution in sorted(entries, key=lambda e: (-e[0], e[1])):
        yield contribution


def worded_stability(
    scorer: Scorer,
    label: StabilityLabel,
    changes: int,
    flipping: list[Change],
    unruled: Decision | None,
    named: list[Change] | None = None,
) -> Stability:
    """How solid the verdict is, in words, with every changed answer that would change it.

    `unruled` is what the fits alone would recommend when a dealbreaker decided the verdict;
    `named`, the changes the words may give as an example (`suggestible`; all by default).
    """
    names = {r: candidate.name for r, candidate in scorer.candidates.items()}
    flips = []
    for question_id, option_id, kind, roles in flipping:
        question = scorer.questions[question_id]
        option = question.option(option_id)
        assert option is not None
        text = f'"{question.text}" answered "{option.label}" would recommend {_outcome(kind, roles, names)}.'
        flips.append(Flip(question_id, option_id, kind, roles, text))
    kept = changes - len(flips)
    others = "the 1 other answer" if changes == 1 else f"the {changes} other answers"
    keep = "keeps" if changes == 1 else "keep"
    if label == "not-enough-answers":
        text = "Not enough answers: too few of them count for a verdict, so there is nothing to weigh it by."
    elif label == "ruled-out":
        assert unruled is not None
        text = (
            f"Ruled out: a dealbreaker decided this verdict; your fits alone would recommend"
            f" {_outcome(unruled.kind, unruled.roles, names)}. {kept} of {others} you could have given {keep} it."
        )
    elif not flips and changes > 1:
        text = (
            f"{label.capitalize()}: none of the {changes} other answers you could have given would change this verdict."
        )
    else:
        text = f"{label.capitalize()}: {kept} of {others} you could have given {keep} this verdict."
        example = flipping[0] if named is None else next(iter(named), None)
        if example is not None:
            text += f" For example, {flips[flipping.index(example)].text}"
    return Stability(label, changes, tuple(flips), text)


def warnings(scorer: Scorer, chosen: Answers) -> Iterator[AnswerWarning]:
    """Answer patterns that cannot tell roles apart, to show next to the verdict."""
    quiz = scorer.quiz
    answered = {q.id: q.option(o) for q in quiz.questions if (o := chosen[q.id]) is not None}
    skipped = len(chosen) - len(answered)
    mostly_answered = scorer.rule.answered_enough(skipped)
    if not mostly_answered:
        yield AnswerWarning(
            "mostly-skipped", f"You skipped {skipped} of {len(chosen)} questions, so the result rests on little."
        )
    if answered and all(o is not None and o.neutral for o in answered.values()):
        yield AnswerWarning("no-preference", "Every answer was a 'no preference': nothing tells the roles apart.")
    positions = {q.id: [o.id for o in q.options].index(o) for q in quiz.questions if (o := chosen[q.id]) is not None}
    # A habit of answering shows only in most of the questions: not in the few a mostly skipped quiz has.
    if len(positions) >= 4 and mostly_answered and len(set(positions.values())) == 1:
        number = next(iter(positions.values())) + 1
        yield AnswerWarning(
            "same-option",
            f"You chose option {number} for every question; if that was not on purpose, the result may mean little.",
        )


def poorly_fitted(
    scorer: Scorer, tally: Tally, roles: tuple[str, ...], weights: Mapping[str, float]
) -> Iterator[AnswerWarning]:
    """Each dimension the person weighted up on which a recommended role fits poorly: the
    verdict wins on the rest, and the person may not have seen the price."""
    quiz = scorer.quiz
    for role in roles:
        dimensions = tally.breakdown(role)[1]
        for dimension, weight in weights.items():
            dimension_fit = dimensions.get(dimension)
            if weight > 1 and dimension_fit is not None and dimension_fit < POOR_FIT:
                name = scorer.kb.dimension_name(dimension, quiz)
                yield AnswerWarning(
                    "weighted-poor-fit",
                    f"You weighted {name} ×{weight:g}, but {scorer.candidates[role].name} fits it"
                    f" only {dimension_fit:.0f} of 100.",
                )


def _outcome(kind: VerdictKind, roles: tuple[str, ...], names: Mapping[str, str]) -> str:
    if kind == "single":
        return names[roles[0]]
    if kind == "both":
        return f"both {names[roles[0]]} and {names[roles[1]]}"
    return "neither"


def _said(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    assert option is not None
    return f'You answered "{option.label}" to "{question.text}"'


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces in the knowledge base's text stay as written."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
