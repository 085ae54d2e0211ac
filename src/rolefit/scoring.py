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

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Container, Iterator, Mapping
from itertools import accumulate
from typing import Literal, NamedTuple

from rolefit.models import DIMENSIONS, KnowledgeBase, Question, Quiz, placements

VerdictKind = Literal["single", "both", "neither"]
StabilityLabel = Literal["clear", "close", "tie"]
#: Question id -> option id, or None for a skipped question.
Answers = Mapping[str, "str | None"]
#: Dimension -> importance (1 is normal, 0 ignores the dimension).
Weights = Mapping[str, float]

#: How many answers a verdict names as its reasons.
REASONS = 3
#: How many of the best roles the answer-by-answer explanation covers.
EXPLAINED_ROLES = 5
_UNIT = 10**9


class RoleFit(NamedTuple):
    role: str
    name: str
    fit: float
    #: Fit per trait and per dimension, for those the answers said something about.
    traits: Mapping[str, float]
    dimensions: Mapping[str, float]
    #: The question whose answer rules this role out, if any.
    ruled_out_by: str | None = None


class Reason(NamedTuple):
    question: str
    option: str
    #: Fit points this answer moved, in favour of `towards`.
    points: float
    towards: str
    text: str


class RuledOut(NamedTuple):
    role: str
    question: str
    option: str
    text: str


class Verdict(NamedTuple):
    kind: VerdictKind
    roles: tuple[str, ...]
    #: Fit points between the best role and the next one that is not ruled out.
    margin: float
    summary: str
    reasons: tuple[Reason, ...]
    ruled_out: tuple[RuledOut, ...] = ()


class Contribution(NamedTuple):
    """What one answer gave each role: the explanation, answer by answer."""

    question: str
    option: str | None
    #: The most this answer could give any role, in fit points.
    possible: float
    points: Mapping[str, float]
    text: str


class Flip(NamedTuple):
    """An answer that, changed alone to `option`, changes the verdict to `kind`/`roles`."""

    question: str
    option: str
    kind: VerdictKind
    roles: tuple[str, ...]
    text: str


class Stability(NamedTuple):
    label: StabilityLabel
    flips: tuple[Flip, ...]
    text: str


class AnswerWarning(NamedTuple):
    code: Literal["no-preference", "same-option", "mostly-skipped"]
    text: str


class QuizResult(NamedTuple):
    quiz: str
    answers: Mapping[str, str | None]
    weights: Mapping[str, float]
    fits: tuple[RoleFit, ...]  # best first
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    stability: Stability
    warnings: tuple[AnswerWarning, ...]


def full_weights(weights: Weights | None) -> dict[str, float]:
    """Every dimension's weight: 1 unless given."""
    given = dict(weights or {})
    return {d: float(given.get(d, 1.0)) for d in DIMENSIONS}


def score(kb: KnowledgeBase, quiz_id: str, answers: Answers, weights: Weights | None = None) -> QuizResult:
    """Score resolved answers (every question id present; None where skipped)."""
    quiz = kb.quizzes[quiz_id]
    dimension_weights = full_weights(weights)
    model = _Model(kb, quiz, dimension_weights)
    chosen = {q.id: answers.get(q.id) for q in quiz.questions}
    state = model.state(chosen)
    fits = state.fits()
    ruled = model.ruled_out(chosen)
    kind, roles, margin = model.decide(fits, ruled, state.weight, sum(1 for o in chosen.values() if o is None))
    verdict = _describe_verdict(kb, quiz, model, state, chosen, fits, ruled, kind, roles, margin)
    flips = tuple(model.flips(chosen, state, (kind, roles)))
    ranked = _best_first(fits)
    return QuizResult(
        quiz=quiz_id,
        answers=chosen,
        weights=dimension_weights,
        fits=tuple(state.role_fit(r, fits[r], ruled.get(r)) for r in ranked),
        verdict=verdict,
        contributions=tuple(
            model.contributions(chosen, state, ranked[:EXPLAINED_ROLES], [r for r in ranked if r not in ruled][:2])
        ),
        stability=_stability(kb, margin, flips),
        warnings=tuple(_warnings(quiz, chosen)),
    )


class _Trait:
    """The answers' say about one trait: places sorted, with running sums of weight.

    `closeness(x)` is the summed weight times (1 - |place - x|) over every answer
    placing this trait, in units of 1e-9, computed in O(log n) from the running
    sums. The sums follow the sorted places, so the same answers give the same
    integers whatever order the questions come in.
    """

    __slots__ = ("moment", "moments", "places", "units", "weight", "weights")

    def __init__(self, items: list[tuple[float, float, str]]) -> None:
        items = sorted(items)
        self.places = [place for place, _, _ in items]
        self.weights = list(accumulate([share for _, share, _ in items], initial=0.0))
        self.moments = list(accumulate([share * place for place, share, _ in items], initial=0.0))
        self.weight, self.moment = self.weights[-1], self.moments[-1]
        self.units = round(self.weight * _UNIT)

    def closeness(self, x: float) -> int:
        i = bisect_right(self.places, x)
        below, below_moment, weight = self.weights[i], self.moments[i], self.weight
        closeness = weight - ((x * below - below_moment) + (self.moment - below_moment) - x * (weight - below))
        # int(... + 0.5) rounds like round() but for exact halves, at a third of the cost.
        return int(closeness * _UNIT + 0.5)


class _State:
    """Every role's closeness per trait for one set of answers, and the total weight.

    Built a trait (column) at a time from the knowledge base's `Placements`: each
    distinct place is computed once, and the columns become per-role rows by zip,
    so that thousands of roles cost little.
    """

    def __init__(self, model: _Model, items: dict[str, list[tuple[float, float, str]]]) -> None:
        self.model, self.items = model, items
        # A trait whose weight rounds to no units at all (a weight of 1e-12, say) says nothing.
        evidence_by_trait = ((trait, _Trait(entries)) for trait, entries in sorted(items.items()))
        self.traits = {trait: evidence for trait, evidence in evidence_by_trait if evidence.units}
        self.weight = sum(t.units for t in self.traits.values())
        roles = model.kb.roles
        self.column = {trait: i for i, trait in enumerate(self.traits)}
        table = model.placements.columns
        columns, shown = [], []
        for trait, evidence in self.traits.items():
            distinct, index = table[trait]
            by_place = [evidence.closeness(x) for x in distinct]
            columns.append(list(map(by_place.__getitem__, index)))
            # Per-trait fit in tenths of a point, rounded half up: round(x, 1) costs
            # several times more, for a figure that is only shown.
            percent = 100 / evidence.units
            tenths = [int(v * percent * 10 + 0.5) / 10 for v in by_place]
            shown.append(list(map(tenths.__getitem__, index)))
        rows = list(zip(*columns, strict=True)) if columns else [() for _ in roles]
        self.closeness: dict[str, tuple[int, ...]] = dict(zip(roles, rows, strict=True))
        self.totals = dict(zip(roles, map(sum, rows), strict=True))
        self._shown = dict(zip(roles, zip(*shown, strict=True) if shown else [() for _ in roles], strict=True))
        by_dimension: dict[str, list[int]] = defaultdict(list)
        for trait, i in self.column.items():
            by_dimension[model.kb.traits[trait].dimension].append(i)
        dimensions = sorted(by_dimension.items())
        self._dimension_ids = [d for d, _ in dimensions]
        dimension_fits = []
        for _, indexes in dimensions:
            units = sum(self.traits[t].units for t, i in self.column.items() if i in indexes)
            sums = map(sum, zip(*[columns[i] for i in indexes], strict=True))
            # As `_fit`, without a call per role.
            dimension_fits.append([round(100 * c / units, 1) for c in sums] if units else [0.0] * len(roles))
        self._dimension_fits = dict(
            zip(roles, zip(*dimension_fits, strict=True) if dimension_fits else [() for _ in roles], strict=True)
        )

    def fits(self) -> dict[str, float]:
        weight = self.weight
        return {r: _fit(total, weight) for r, total in self.totals.items()}

    def role_fit(self, role_id: str, fit: float, ruled_out_by: str | None) -> RoleFit:
        return RoleFit(
            role=role_id,
            name=self.model.kb.roles[role_id].name,
            fit=fit,
            traits=dict(zip(self.traits, self._shown[role_id], strict=True)),
            dimensions=dict(zip(self._dimension_ids, self._dimension_fits[role_id], strict=True)),
            ruled_out_by=ruled_out_by,
        )


class _Change:
    """One question's answer changed from `old`, all other answers as in `state`."""

    def __init__(self, model: _Model, state: _State, question_id: str, old: str | None) -> None:
        self.model, self.state, self.question_id = model, state, question_id
        self.old_says = model.says[question_id, old] if old else []
        self._without: dict[str, list[tuple[float, float, str]]] = {}
        self._evidence_without: dict[str, _Trait | None] = {}

    def without(self, trait: str) -> list[tuple[float, float, str]]:
        """The answers placing `trait`, less this question's."""
        items = self._without.get(trait)
        if items is None:
            question_id = self.question_id
            items = self._without[trait] = [i for i in self.state.items.get(trait, ()) if i[2] != question_id]
        return items

    def evidence(self, trait: str, new_says: list[tuple[str, float, float]]) -> _Trait | None:
        """What the answers say about `trait` with the new answer, or None if nothing."""
        question_id = self.question_id
        added = [(place, share, question_id) for t, share, place in new_says if t == trait]
        if not added and trait in self._evidence_without:  # the same for every other option
            return self._evidence_without[trait]
        items = self.without(trait) + added
        evidence = _Trait(items) if items else None
        if evidence is not None and not evidence.units:  # as in `_State`
            evidence = None
        if not added:
            self._evidence_without[trait] = evidence
        return evidence

    def verdict(
        self, new: str, by_closeness: list[str], ruled: set[str], skipped: int
    ) -> tuple[VerdictKind, tuple[str, ...]]:
        """The verdict if the question were answered `new`.

        Only the traits the two options place change. The two best eligible roles
        are rescored exactly; any other role is rescored only if its closeness,
        plus the most the change could add to it, could reach theirs.
        """
        model, state, question_id = self.model, self.state, self.question_id
        old_says, new_says = self.old_says, model.says[question_id, new]
        # trait -> the change's terms on it: (signed share, place), gained +, lost -
        terms: dict[str, list[tuple[float, float]]] = {}
        for trait, share, place in new_says:
            terms.setdefault(trait, []).append((share, place))
        for trait, share, place in old_says:
            terms.setdefault(trait, []).append((-share, place))
        fresh: list[tuple[str, _Trait]] = []
        weight = state.weight
        for trait in terms:
            if trait in state.traits:
                weight -= state.traits[trait].units
            evidence = self.evidence(trait, new_says)
            if evidence is not None:
                weight += evidence.units
                fresh.append((trait, evidence))
        columns = [state.column[t] for t in terms if t in state.column]
        closeness, totals_before, row_of = state.closeness, state.totals, model.row
        table = model.placements.columns
        changed = [(evidence, *table[trait]) for trait, evidence in fresh]

        totals: dict[str, int] = {}
        floor: float | None = None
        for role_id in by_closeness:
            if role_id in ruled:
                continue
            if len(totals) >= 2:
                if floor is None:
                    slack = len(terms) + 2 + weight // 1000  # rounding to units, and fits equal to a tenth
                    floor = min(totals.values()) - _rise(terms) * _UNIT - slack
                if totals_before[role_id] < floor:
                    break  # sorted by closeness: no role further down can reach the top two
            row, at = closeness[role_id], row_of[role_id]
            total = totals_before[role_id] - sum([row[c] for c in columns])
            totals[role_id] = total + sum(
                [evidence.closeness(distinct[index[at]]) for evidence, distinct, index in changed]
            )
        fits = {r: _fit(t, weight) for r, t in totals.items()}
        kind, roles_, _ = model.decide(fits, ruled, weight, skipped)
        return kind, roles_


def _rise(terms: dict[str, list[tuple[float, float]]]) -> float:
    """The most any role's closeness can rise with a change of answer, given its terms per trait.

    On each trait the rise is piecewise linear in the role's place, so its maximum is
    at a place an option names, 0 or 1.
    """
    rise = 0.0
    for pairs in terms.values():
        most = -math.inf
        for x in {0.0, 1.0, *(place for _, place in pairs)}:
            value = 0.0
            for share, place in pairs:
                value += share * (1 - abs(place - x))
            most = max(most, value)
        rise += most
    return rise


def _best_first(values: Mapping[str, float], leaving_out: Container[str] = ()) -> list[str]:
    """Role ids by value, highest first; equal values by id."""
    return [r for _, r in sorted([(-v, r) for r, v in values.items() if r not in leaving_out])]


def _fit(closeness: int, weight: int) -> float:
    return round(100 * closeness / weight, 1) if weight else 0.0


class _Model:
    """A quiz under the person's weights: what every option says about every trait."""

    def __init__(self, kb: KnowledgeBase, quiz: Quiz, weights: Mapping[str, float]) -> None:
        self.kb, self.quiz = kb, quiz
        self.questions = {q.id: q for q in quiz.questions}
        # Roles' places by trait, as columns (see `Placements`).
        self.placements = placements(kb)
        self.row = {role_id: i for i, role_id in enumerate(kb.roles)}
        # (question, option) -> [(trait, share of the weight, place)]
        self.says: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
        for question in quiz.questions:
            for option in question.options:
                self.says[question.id, option.id] = [
                    (trait, share, place)
                    for trait, place in sorted(option.places.items())
                    if not option.neutral
                    and (share := question.weight / len(option.places) * weights[kb.traits[trait].dimension])
                ]

    def state(self, chosen: Answers) -> _State:
        items: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        for question_id, option_id in chosen.items():
            if option_id is not None:
                for trait, share, place in self.says[question_id, option_id]:
                    items[trait].append((place, share, question_id))
        return _State(self, dict(items))

    def ruled_out(self, chosen: Answers) -> dict[str, str]:
        """Role id -> the question whose answer rules it out (the first by question id)."""
        ruled: dict[str, str] = {}
        for question_id in sorted(chosen):
            option_id = chosen[question_id]
            option = self.questions[question_id].option(option_id) if option_id else None
            for role_id in option.rules_out if option else ():
                ruled.setdefault(role_id, question_id)
        return ruled

    def decide(
        self, fits: Mapping[str, float], ruled: Container[str], weight: int, skipped: int
    ) -> tuple[VerdictKind, tuple[str, ...], float]:
        """The verdict's kind, roles and margin. `fits` must hold at least the two best eligible roles."""
        candidates = _best_first(fits, ruled)
        if not candidates:
            return "neither", (), 0.0
        best = candidates[0]
        runner_up = fits[candidates[1]] if len(candidates) > 1 else 0.0
        margin = round(fits[best] - runner_up, 1)
        if weight == 0 or skipped * 2 > len(self.questions) or fits[best] < self.kb.scoring.neither_below:
            return "neither", (), margin
        if len(candidates) > 1 and margin <= self.kb.scoring.both_within:
            return "both", (best, candidates[1]), margin
        return "single", (best,), margin

    def flips(self, chosen: Answers, state: _State, current: tuple[VerdictKind, tuple[str, ...]]) -> Iterator[Flip]:
        """Every single changed answer that changes what the verdict recommends.

        For each change, only roles that could then reach the top two are rescored
        (see `_Change.verdict`): a few per change, even among thousands of roles.
        """
        names = {r: role.name for r, role in self.kb.roles.items()}
        by_closeness = _best_first(state.totals)
        ruling: dict[str, set[str]] = defaultdict(set)  # role -> the questions whose answers rule it out
        for question_id, option_id in chosen.items():
            option = self.questions[question_id].option(option_id) if option_id else None
            for role_id in option.rules_out if option else ():
                ruling[role_id].add(question_id)
        skipped = sum(1 for o in chosen.values() if o is None)
        now = outcome_key(*current)
        for question in sorted(self.quiz.questions, key=lambda q: q.id):
            old = chosen[question.id]
            others = {r for r, qs in ruling.items() if qs - {question.id}}
            now_skipped = skipped - (old is None)
            change = _Change(self, state, question.id, old)
            for option in question.options:
                if option.id == old:
                    continue
                ruled = others.union(option.rules_out) if option.rules_out else others
                kind, roles = change.verdict(option.id, by_closeness, ruled, now_skipped)
                if outcome_key(kind, roles) != now:
                    text = f'"{question.text}" answered "{option.label}" would make it {_outcome(kind, roles, names)}.'
                    yield Flip(question.id, option.id, kind, roles, text)

    def raw(self, question_id: str, option_id: str | None, role_id: str | None) -> float:
        """An answer's weight (role None) or its weight times closeness to a role, as a plain float."""
        if option_id is None:
            return 0.0
        says = self.says[question_id, option_id]
        if role_id is None:
            return sum(share for _, share, _ in says)
        role, of = self.row[role_id], self.placements.place
        return sum(share * (1.0 - abs(place - of(role, t))) for t, share, place in says)

    def contributions(
        self, chosen: Answers, state: _State, roles: list[str], compared: list[str]
    ) -> Iterator[Contribution]:
        """Each answer's fit points for `roles`, the answers that separate the `compared` two most first."""
        scale = 100 * _UNIT / state.weight if state.weight else 0.0
        entries = []
        for question_id, option_id in chosen.items():
            question = self.questions[question_id]
            option = question.option(option_id) if option_id else None
            possible = round(self.raw(question_id, option_id, None) * scale, 1)
            if not possible:
                what = f'"{option.label}"' if option else "Skipped"
                text = f'{what} ("{question.text}"): no effect on any role.'
                entries.append((0.0, question_id, Contribution(question_id, option_id, 0.0, {}, text)))
                continue
            assert option is not None
            points = {r: round(self.raw(question_id, option_id, r) * scale, 1) for r in roles}
            spread = (
                abs(self.raw(question_id, option_id, compared[0]) - self.raw(question_id, option_id, compared[-1]))
                if compared
                else 0.0
            )
            gains = ", ".join(f"{self.kb.roles[r].name} +{p:g}" for r, p in points.items())
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
    model: _Model,
    state: _State,
    chosen: Answers,
    fits: Mapping[str, float],
    ruled: Mapping[str, str],
    kind: VerdictKind,
    roles: tuple[str, ...],
    margin: float,
) -> Verdict:
    names = {r: role.name for r, role in kb.roles.items()}
    questions = model.questions
    ruled_out = tuple(
        RuledOut(r, q, chosen[q] or "", f"{_said(questions[q], chosen[q] or '')}: that rules out {names[r]}.")
        for r, q in sorted(ruled.items())
    )
    answered = {q: o for q, o in chosen.items() if o is not None and model.raw(q, o, None)}
    weight = state.weight
    scale = 100 * _UNIT / weight if weight else 0.0
    ranked = _best_first(fits, ruled)

    def points(role: str) -> dict[str, float]:
        return {q: model.raw(q, o, role) * scale for q, o in answered.items()}

    if kind == "neither":
        skipped = sum(1 for o in chosen.values() if o is None)
        if skipped * 2 > len(chosen):
            summary = f"You skipped {skipped} of {len(chosen)} questions: too few answers to recommend a role."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        if weight == 0:
            options = [model.questions[q].option(o) for q, o in chosen.items() if o is not None]
            if any(option is not None and not option.neutral for option in options):
                summary = "Your weights leave none of your answers counting, so no role can be recommended."
            else:
                summary = "None of your answers expressed a preference, so no role can be recommended."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        if not ranked:
            summary = "Your answers rule out every role."
            return Verdict(kind, (), margin, summary, (), ruled_out)
        best = ranked[0]
        # What kept even the closest role down: the answers furthest from it.
        got = points(best)
        shortfall = sorted(
            ((model.raw(q, o, None) * scale - got[q], q) for q, o in answered.items()),
            key=lambda x: (-x[0], x[1]),
        )
        reasons = tuple(
            Reason(
                q,
                answered[q],
                round(p, 1),
                best,
                f"{_said(questions[q], answered[q])}: {names[best]} loses {p:.1f} points.",
            )
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
        text = (
            f"{_said(questions[q], answered[q])}: {abs(gap):.1f} points towards {names[towards]} over {names[other]}."
        )
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


def _fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders; other braces in the knowledge base's text stay as written."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
