"""Answers in, fits and a verdict out: pure functions over the knowledge base.

Each answer places the person on one or more traits. For every role, an answer
scores the closeness of those places to the role's own (1 minus the distance on
the 0-1 scale), weighted by the question's weight, shared among its traits, and
by the importance the person gives the trait's dimension. A role's fit is the
weighted mean closeness, times 100. So:

- a role's fit depends only on that role and the answers, not on other roles;
- a neutral ("no preference") or skipped answer adds no weight: it pulls no role;
- weights and closeness are summed as integers (fixed point, 1e-9), which makes
  every sum exact: the order of roles or questions can never shift a result, and
  "what if this one answer were different" is an exact subtraction and addition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from rolefit.models import DIMENSIONS, KnowledgeBase, Option, Question, Quiz

VerdictKind = Literal["single", "both", "neither"]
StabilityLabel = Literal["clear", "close", "tie"]
#: Question id -> option id, or None for a skipped question.
Answers = Mapping[str, "str | None"]
#: Dimension -> importance (1 is normal, 0 ignores the dimension).
Weights = Mapping[str, float]

#: How many answers a verdict names as its reasons.
REASONS = 3
_UNIT = 10**9


@dataclass(frozen=True)
class RoleFit:
    role: str
    name: str
    fit: float
    #: Fit per trait and per dimension, for those the answers said something about.
    traits: Mapping[str, float]
    dimensions: Mapping[str, float]
    #: The question whose answer rules this role out, if any.
    ruled_out_by: str | None = None


@dataclass(frozen=True)
class Reason:
    question: str
    option: str
    #: Fit points this answer moved, in favour of `towards`.
    points: float
    towards: str
    text: str


@dataclass(frozen=True)
class RuledOut:
    role: str
    question: str
    option: str
    text: str


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    roles: tuple[str, ...]
    #: Fit points between the best role and the next one that is not ruled out.
    margin: float
    summary: str
    reasons: tuple[Reason, ...]
    ruled_out: tuple[RuledOut, ...] = ()


@dataclass(frozen=True)
class Contribution:
    """What one answer gave each role: the explanation, answer by answer."""

    question: str
    option: str | None
    #: The most this answer could give any role, in fit points.
    possible: float
    points: Mapping[str, float]
    text: str


@dataclass(frozen=True)
class Flip:
    """An answer that, changed alone to `option`, changes the verdict to `kind`/`roles`."""

    question: str
    option: str
    kind: VerdictKind
    roles: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Stability:
    label: StabilityLabel
    flips: tuple[Flip, ...]
    text: str


@dataclass(frozen=True)
class AnswerWarning:
    code: Literal["no-preference", "same-option", "mostly-skipped"]
    text: str


@dataclass(frozen=True)
class QuizResult:
    quiz: str
    answers: Mapping[str, str | None]
    weights: Mapping[str, float]
    fits: tuple[RoleFit, ...]  # best first
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    stability: Stability
    warnings: tuple[AnswerWarning, ...]


@dataclass(frozen=True)
class _Cell:
    """One option of one question, under the person's weights, in fixed-point units."""

    weight: int
    closeness: Mapping[str, int]


def full_weights(weights: Weights | None) -> dict[str, float]:
    """Every dimension's weight: 1 unless given."""
    given = dict(weights or {})
    return {d: float(given.get(d, 1.0)) for d in DIMENSIONS}


def score(kb: KnowledgeBase, quiz_id: str, answers: Answers, weights: Weights | None = None) -> QuizResult:
    """Score resolved answers (every question id present; None where skipped)."""
    quiz = kb.quizzes[quiz_id]
    dimension_weights = full_weights(weights)
    table = _Table(kb, quiz, dimension_weights)
    chosen = {q.id: answers.get(q.id) for q in quiz.questions}
    fits = table.fits(chosen)
    kind, roles, margin = table.decide(fits, chosen)
    verdict = _describe_verdict(kb, quiz, table, chosen, fits, kind, roles, margin)
    flips = tuple(table.flips(chosen, (kind, roles)))
    return QuizResult(
        quiz=quiz_id,
        answers=chosen,
        weights=dimension_weights,
        fits=tuple(_with_breakdown(kb, quiz, chosen, dimension_weights, fits, table.ruled_out(chosen))),
        verdict=verdict,
        contributions=tuple(table.contributions(chosen, fits)),
        stability=_stability(kb, margin, flips),
        warnings=tuple(_warnings(quiz, chosen)),
    )


class _Table:
    """Every option's weight and per-role closeness, so that any answer can be swapped cheaply."""

    def __init__(self, kb: KnowledgeBase, quiz: Quiz, weights: Mapping[str, float]) -> None:
        self.kb, self.quiz = kb, quiz
        self.questions = {q.id: q for q in quiz.questions}
        self.cells: dict[tuple[str, str], _Cell] = {}
        for question in quiz.questions:
            for option in question.options:
                self.cells[question.id, option.id] = self._cell(question, option, weights)

    def _cell(self, question: Question, option: Option, weights: Mapping[str, float]) -> _Cell:
        if option.neutral:
            return _Cell(0, dict.fromkeys(self.kb.roles, 0))
        shares = {
            trait: round(_UNIT * question.weight / len(option.places) * weights[self.kb.traits[trait].dimension])
            for trait in option.places
        }
        closeness = {
            role_id: sum(
                round(share * (1.0 - abs(option.places[trait] - role.traits[trait])))
                for trait, share in shares.items()
            )
            for role_id, role in self.kb.roles.items()
        }
        return _Cell(sum(shares.values()), closeness)

    def cell(self, question_id: str, option_id: str | None) -> _Cell | None:
        return None if option_id is None else self.cells[question_id, option_id]

    def totals(self, chosen: Answers) -> tuple[int, dict[str, int]]:
        cells = [c for q, o in chosen.items() if (c := self.cell(q, o)) is not None]
        weight = sum(c.weight for c in cells)
        return weight, {r: sum(c.closeness[r] for c in cells) for r in self.kb.roles}

    def fits(self, chosen: Answers) -> dict[str, float]:
        weight, closeness = self.totals(chosen)
        return {r: round(100 * c / weight, 1) if weight else 0.0 for r, c in closeness.items()}

    def ruled_out(self, chosen: Answers) -> dict[str, str]:
        """Role id -> the question whose answer rules it out (the first by question id)."""
        ruled: dict[str, str] = {}
        for question_id in sorted(chosen):
            option_id = chosen[question_id]
            if option_id is None:
                continue
            option = self.questions[question_id].option(option_id)
            assert option is not None
            for role_id in option.rules_out:
                ruled.setdefault(role_id, question_id)
        return ruled

    def decide(self, fits: Mapping[str, float], chosen: Answers) -> tuple[VerdictKind, tuple[str, ...], float]:
        ranked = sorted(fits, key=lambda r: (-fits[r], r))
        ruled = self.ruled_out(chosen)
        candidates = [r for r in ranked if r not in ruled]
        if not candidates:
            return "neither", (), 0.0
        best = candidates[0]
        runner_up = fits[candidates[1]] if len(candidates) > 1 else 0.0
        margin = round(fits[best] - runner_up, 1)
        weight, _ = self.totals(chosen)
        skipped = sum(1 for o in chosen.values() if o is None)
        if weight == 0 or skipped * 2 > len(chosen) or fits[best] < self.kb.scoring.neither_below:
            return "neither", (), margin
        if len(candidates) > 1 and margin <= self.kb.scoring.both_within:
            return "both", (best, candidates[1]), margin
        return "single", (best,), margin

    def flips(self, chosen: Answers, current: tuple[VerdictKind, tuple[str, ...]]) -> Iterator[Flip]:
        names = {r: role.name for r, role in self.kb.roles.items()}
        for question in sorted(self.quiz.questions, key=lambda q: q.id):
            for option in question.options:
                if option.id == chosen[question.id]:
                    continue
                changed = {**chosen, question.id: option.id}
                kind, roles, _ = self.decide(self.fits(changed), changed)
                if outcome_key(kind, roles) != outcome_key(*current):
                    text = f'"{question.text}" answered "{option.label}" would make it {_outcome(kind, roles, names)}.'
                    yield Flip(question.id, option.id, kind, roles, text)

    def contributions(self, chosen: Answers, fits: Mapping[str, float]) -> Iterator[Contribution]:
        weight, _ = self.totals(chosen)
        top = sorted(fits, key=lambda r: (-fits[r], r))[:2]
        names = {r: role.name for r, role in self.kb.roles.items()}
        entries = []
        for question_id, option_id in chosen.items():
            question = self.questions[question_id]
            cell = self.cell(question_id, option_id)
            if cell is None or cell.weight == 0:
                option = question.option(option_id) if option_id else None
                what = f'"{option.label}"' if option else "Skipped"
                text = f'{what} ("{question.text}"): no effect on any role.'
                entries.append((0.0, question_id, Contribution(question_id, option_id, 0.0, {}, text)))
                continue
            option = question.option(option_id)  # type: ignore[arg-type]
            assert option is not None
            points = {r: round(100 * cell.closeness[r] / weight, 1) for r in sorted(fits, key=lambda r: (-fits[r], r))}
            possible = round(100 * cell.weight / weight, 1)
            spread = abs(points[top[0]] - points[top[-1]])
            gains = ", ".join(f"{names[r]} +{p:g}" for r, p in points.items())
            text = f'"{option.label}" ("{question.text}"): {gains}, of {possible:g} possible.'
            entries.append((spread, question_id, Contribution(question_id, option_id, possible, points, text)))
        for _, _, contribution in sorted(entries, key=lambda e: (-e[0], e[1])):
            yield contribution


def outcome_key(kind: VerdictKind, roles: tuple[str, ...]) -> tuple[VerdictKind, frozenset[str]]:
    """What a verdict recommends, regardless of the order in which it names the roles."""
    return kind, frozenset(roles)


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


def _describe_verdict(
    kb: KnowledgeBase,
    quiz: Quiz,
    table: _Table,
    chosen: Answers,
    fits: Mapping[str, float],
    kind: VerdictKind,
    roles: tuple[str, ...],
    margin: float,
) -> Verdict:
    names = {r: role.name for r, role in kb.roles.items()}
    questions = table.questions
    ruled = table.ruled_out(chosen)
    ruled_out = tuple(
        RuledOut(r, q, chosen[q] or "", f"{_said(questions[q], chosen[q] or '')}: that rules out {names[r]}.")
        for r, q in sorted(ruled.items())
    )
    answered = {q: o for q, o in chosen.items() if o is not None and table.cells[q, o].weight}
    weight, _ = table.totals(chosen)
    ranked = [r for r in sorted(fits, key=lambda r: (-fits[r], r)) if r not in ruled]

    def points(role: str) -> dict[str, float]:
        return {q: 100 * table.cells[q, o].closeness[role] / weight for q, o in answered.items()}

    if kind == "neither":
        skipped = sum(1 for o in chosen.values() if o is None)
        if weight == 0:
            summary = "None of your answers expressed a preference, so no role can be recommended."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        if skipped * 2 > len(chosen):
            summary = f"You skipped {skipped} of {len(chosen)} questions: too few answers to recommend a role."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        if not ranked:
            summary = "Your answers rule out every role."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        best = ranked[0]
        # What kept even the closest role down: the answers furthest from it.
        got = points(best)
        shortfall = sorted(
            ((100 * table.cells[q, o].weight / weight - got[q], q) for q, o in answered.items()),
            key=lambda x: (-x[0], x[1]),
        )
        reasons = tuple(
            Reason(q, answered[q], round(p, 1), best, f"{_said(questions[q], answered[q])}: {names[best]} loses {p:.1f} points.")
            for p, q in shortfall[:REASONS]
            if p > 0
        )
        template = quiz.neither or "No role fits your answers well: the closest, {best}, reaches only {fit}."
        summary = _fill(template, best=names[best], fit=f"{fits[best]:g}")
        return Verdict(kind, (), margin, summary, reasons, ruled_out)

    first = roles[0]
    second = roles[1] if kind == "both" else (ranked[1] if len(ranked) > 1 else None)
    if second is None:  # every other role is ruled out
        summary = quiz.advice.get(first) or f"{names[first]} fits you best."
        return Verdict(kind, roles, margin, summary, (), ruled_out)
    first_points, second_points = points(first), points(second)
    gaps = sorted(((first_points[q] - second_points[q], q) for q in answered), key=lambda x: (-abs(x[0]), x[1]))

    def reason(gap: float, q: str) -> Reason:
        towards, other = (first, second) if gap >= 0 else (second, first)
        text = f"{_said(questions[q], answered[q])}: {abs(gap):.1f} points towards {names[towards]} over {names[other]}."
        return Reason(q, answered[q], round(abs(gap), 1), towards, text)

    if kind == "both":
        # A close call: show what pulled each way, strongest first.
        picked = [g for g in gaps if g[0] > 0][:2] + [g for g in gaps if g[0] < 0][:1]
        picked.sort(key=lambda x: (-abs(x[0]), x[1]))
        template = quiz.both or "{first} and {second} fit you almost equally: you could do both."
        summary = _fill(template, first=names[first], second=names[second])
        return Verdict(kind, roles, margin, summary, tuple(reason(*g) for g in picked), ruled_out)

    picked = [g for g in gaps if g[0] > 0][:REASONS]
    summary = quiz.advice.get(first) or f"{names[first]} fits you best."
    return Verdict(kind, roles, margin, summary, tuple(reason(*g) for g in picked), ruled_out)


def _stability(kb: KnowledgeBase, margin: float, flips: tuple[Flip, ...]) -> Stability:
    label: StabilityLabel
    if margin <= kb.scoring.tie_within:
        label = "tie"
    elif margin <= kb.scoring.close_within:
        label = "close"
    else:
        label = "clear"
    changing = sorted({f.question for f in flips})
    if not changing:
        text = f"{label.capitalize()} (margin {margin:g} points): no single changed answer would change the verdict."
    else:
        count = "1 answer" if len(changing) == 1 else f"{len(changing)} answers"
        text = (
            f"{label.capitalize()} (margin {margin:g} points): changing {count} alone would change the verdict,"
            f" for example: {flips[0].text}"
        )
    return Stability(label, flips, text)


def _warnings(quiz: Quiz, chosen: Answers) -> Iterator[AnswerWarning]:
    """Answer patterns that cannot tell roles apart, to show next to the verdict."""
    answered = {q.id: q.option(o) for q in quiz.questions if (o := chosen[q.id]) is not None}
    skipped = len(chosen) - len(answered)
    if skipped * 2 > len(chosen):
        yield AnswerWarning(
            "mostly-skipped", f"You skipped {skipped} of {len(chosen)} questions, so the result rests on little."
        )
    if answered and all(o is not None and o.neutral for o in answered.values()):
        yield AnswerWarning("no-preference", "Every answer was a 'no preference': nothing tells the roles apart.")
    positions = {
        q.id: [o.id for o in q.options].index(chosen[q.id])  # type: ignore[arg-type]
        for q in quiz.questions
        if chosen[q.id] is not None
    }
    if len(positions) >= 4 and len(set(positions.values())) == 1:
        number = next(iter(positions.values())) + 1
        yield AnswerWarning(
            "same-option",
            f"You chose option {number} for every question; if that was not on purpose, the result may mean little.",
        )


def _with_breakdown(
    kb: KnowledgeBase,
    quiz: Quiz,
    chosen: Answers,
    weights: Mapping[str, float],
    fits: Mapping[str, float],
    ruled: Mapping[str, str],
) -> Iterator[RoleFit]:
    """Each role's fit with its breakdown by trait and dimension, best first."""
    # Per trait: (weight, per-role closeness), summed over the answers that place it.
    per_trait: dict[str, list[tuple[float, Mapping[str, float]]]] = defaultdict(list)
    for question in quiz.questions:
        option_id = chosen[question.id]
        option = question.option(option_id) if option_id else None
        if option is None or option.neutral:
            continue
        for trait, place in option.places.items():
            share = question.weight / len(option.places) * weights[kb.traits[trait].dimension]
            if share:
                closeness = {r: 1.0 - abs(place - role.traits[trait]) for r, role in kb.roles.items()}
                per_trait[trait].append((share, closeness))
    per_dimension: dict[str, list[tuple[float, Mapping[str, float]]]] = defaultdict(list)
    for trait, items in per_trait.items():
        per_dimension[kb.traits[trait].dimension].extend(items)

    def mean(items: list[tuple[float, Mapping[str, float]]], role: str) -> float:
        weight = sum(sorted(w for w, _ in items))
        return round(100 * sum(sorted(w * c[role] for w, c in items)) / weight, 1)

    for role_id in sorted(fits, key=lambda r: (-fits[r], r)):
        yield RoleFit(
            role=role_id,
            name=kb.roles[role_id].name,
            fit=fits[role_id],
            traits={t: mean(items, role_id) for t, items in sorted(per_trait.items())},
            dimensions={d: mean(items, role_id) for d, items in sorted(per_dimension.items())},
            ruled_out_by=ruled.get(role_id),
        )


def _fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces in the knowledge base's text stay as written."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
