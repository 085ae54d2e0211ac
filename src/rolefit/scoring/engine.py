"""Fits in exact integers: what each answer says, and every role's fit.

The formula (the README's "How the fit is worked out"), with its integer grid:

- a place on a trait counts in millionths: P = round(place * PLACE), PLACE = 10**6;
- an answer's share of a trait it places is the question's weight, divided among
  the traits the option places, times the weight of the trait's dimension, in
  billionths: s = round(weight / traits * dimension weight * SHARE), SHARE = 10**9;
- the answer's closeness to a role on that trait is s * (PLACE - |P - X|), where X is
  the role's place, and its weight is s * PLACE;
- a role's fit is 100 * (sum of closeness) / (sum of weight), rounded to a tenth
  (`fit`); so is every other figure: a trait's or a dimension's fit, and the points
  an answer gives.

Every sum is of integers, so exact: neither the order of roles or questions nor the
way a sum is grouped can change a result, and "this answer changed" is the old
terms taken out and the new ones put in (see `rolefit.scoring.stability`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple, TypeVar

from rolefit.kb.models import KnowledgeBase, Quiz
from rolefit.scoring.results import Answers, VerdictKind

PLACE = 10**6
SHARE = 10**9
T = TypeVar("T")


class Term(NamedTuple):
    """What one answer says about one trait."""

    trait: str
    share: int  # s above
    place: int  # P above


def fit(closeness: int, weight: int) -> float:
    """Fit points, to a tenth; 0 when nothing counted."""
    return round(100 * closeness / weight, 1) if weight else 0.0


def best_first(values: Mapping[str, float], leaving_out: Container[str] = ()) -> list[str]:
    """Role ids by value, highest first; equal values by id."""
    return [r for _, r in sorted([(-v, r) for r, v in values.items() if r not in leaving_out])]


class Decision(NamedTuple):
    """What a verdict recommends, before it is put into words."""

    kind: VerdictKind
    roles: tuple[str, ...]
    #: Fit points between the best role and the next one that is not ruled out.
    margin: float


class Scorer:
    """A quiz under the person's dimension weights: every option's terms, and every role's places."""

    def __init__(self, kb: KnowledgeBase, quiz: Quiz, weights: Mapping[str, float]) -> None:
        self.kb, self.quiz = kb, quiz
        self.questions = {q.id: q for q in quiz.questions}
        # (question id, option id) -> its terms; none for a neutral option, and none for a
        # share that rounds to nothing (a dimension weighted 1e-12 says nothing).
        self.terms: dict[tuple[str, str], tuple[Term, ...]] = {}
        for question in quiz.questions:
            for option in question.options:
                terms = []
                for trait, place in sorted(option.places.items()):
                    dimension = weights[kb.traits[trait].dimension]
                    share = round(question.weight / len(option.places) * dimension * SHARE)
                    if share and not option.neutral:
                        terms.append(Term(trait, share, round(place * PLACE)))
                self.terms[question.id, option.id] = tuple(terms)
        # trait -> (the distinct places of roles on it, and each role's index into them, in
        # the knowledge base's order). A trait's closeness is then worked out once per
        # distinct place, not once per role: 1,000 roles rarely use more than 101 places.
        self.columns: dict[str, tuple[list[int], list[int]]] = {}
        places = [role.traits for role in kb.roles.values()]
        for trait in kb.traits:
            column = list(map(itemgetter(trait), places))
            position = {place: i for i, place in enumerate(sorted(set(column)))}
            self.columns[trait] = (
                [round(place * PLACE) for place in position],
                list(map(position.__getitem__, column)),
            )
        self.rows = {role_id: i for i, role_id in enumerate(kb.roles)}

    def answer_terms(self, chosen: Answers) -> dict[str, list[Term]]:
        """Trait id -> the terms of every answer placing it."""
        by_trait: dict[str, list[Term]] = defaultdict(list)
        for question_id, option_id in chosen.items():
            if option_id is not None:
                for term in self.terms[question_id, option_id]:
                    by_trait[term.trait].append(term)
        return by_trait

    def tally(self, chosen: Answers) -> Tally:
        return Tally(self, self.answer_terms(chosen))

    def place(self, role_id: str, trait: str) -> int:
        distinct, index = self.columns[trait]
        return distinct[index[self.rows[role_id]]]

    def closeness(self, terms: tuple[Term, ...] | list[Term], role_id: str) -> int:
        """The closeness of `terms` to one role."""
        return sum(t.share * (PLACE - abs(t.place - self.place(role_id, t.trait))) for t in terms)

    def ruled_out(self, chosen: Answers) -> dict[str, str]:
        """Role id -> the question whose answer rules it out (the first by question id)."""
        ruled: dict[str, str] = {}
        for question_id in sorted(chosen):
            option_id = chosen[question_id]
            option = self.questions[question_id].option(option_id) if option_id else None
            for role_id in option.rules_out if option else ():
                ruled.setdefault(role_id, question_id)
        return ruled

    def enough(self, weight: int, skipped: int) -> bool:
        """Whether answers of this total weight, with this many questions skipped, can recommend anything:
        some answer must count, and at least half the questions must be answered."""
        return weight > 0 and skipped * 2 <= len(self.questions)

    def decide(self, fits: Mapping[str, float], ruled: Container[str], weight: int, skipped: int) -> Decision:
        """What the verdict recommends. `fits` must hold at least the two best eligible roles."""
        candidates = best_first(fits, ruled)
        if not candidates:
            return Decision("neither", (), 0.0)
        best = candidates[0]
        runner_up = fits[candidates[1]] if len(candidates) > 1 else 0.0
        margin = round(fits[best] - runner_up, 1)
        scoring = self.kb.scoring
        if not self.enough(weight, skipped) or fits[best] < scoring.neither_below:
            return Decision("neither", (), margin)
        if len(candidates) > 1 and margin <= scoring.both_within:
            return Decision("both", (best, candidates[1]), margin)
        return Decision("single", (best,), margin)


class Tally:
    """What one set of answers gives every role: closeness per trait, totals and the weight."""

    def __init__(self, scorer: Scorer, by_trait: Mapping[str, list[Term]]) -> None:
        self.scorer = scorer
        roles, traits = scorer.kb.roles, scorer.kb.traits
        #: Trait id (sorted) -> its weight; only traits some answer places.
        self.trait_weights = {t: PLACE * sum(term.share for term in by_trait[t]) for t in sorted(by_trait)}
        self.weight = sum(self.trait_weights.values())
        # Trait id -> every role's closeness on it, in the knowledge base's order of roles:
        # worked out a trait at a time, each distinct place once.
        closeness: dict[str, list[int]] = {}
        trait_fits = []
        for trait, weight in self.trait_weights.items():
            distinct, index = scorer.columns[trait]
            at_place = [sum(t.share * (PLACE - abs(t.place - x)) for t in by_trait[trait]) for x in distinct]
            fit_at_place = [fit(c, weight) for c in at_place]
            closeness[trait] = list(map(at_place.__getitem__, index))
            trait_fits.append(list(map(fit_at_place.__getitem__, index)))
        no_columns = [()] * len(roles)
        self.totals = dict(zip(roles, map(sum, _rows(closeness.values(), no_columns)), strict=True))
        self.fits = {r: fit(total, self.weight) for r, total in self.totals.items()}
        dimension_ids = sorted({traits[t].dimension for t in closeness})
        dimension_fits = []
        for dimension in dimension_ids:
            ids = [t for t in closeness if traits[t].dimension == dimension]
            weight = sum(self.trait_weights[t] for t in ids)
            sums = map(sum, _rows([closeness[t] for t in ids], no_columns))
            dimension_fits.append([fit(c, weight) for c in sums])
        # Per role, in the knowledge base's order: its fit on each trait and on each dimension.
        self._trait_ids, self._trait_rows = list(closeness), _rows(trait_fits, no_columns)
        self._dimension_ids, self._dimension_rows = dimension_ids, _rows(dimension_fits, no_columns)

    @cached_property
    def by_total(self) -> list[str]:
        """Role ids by total closeness, highest first: the order in which `stability` rescores them."""
        return best_first(self.totals)

    def breakdown(self, role_id: str) -> tuple[dict[str, float], dict[str, float]]:
        """The role's fit per trait and per dimension, for those the answers placed."""
        row = self.scorer.rows[role_id]
        return (
            dict(zip(self._trait_ids, self._trait_rows[row], strict=True)),
            dict(zip(self._dimension_ids, self._dimension_rows[row], strict=True)),
        )


def _rows(columns: Iterable[list[T]], empty: list[tuple[()]]) -> list[tuple[T, ...]]:
    """Columns (one value per role) turned into rows (one tuple per role); `empty` if there are no columns."""
    rows = list(zip(*columns, strict=True))
    return rows or empty  # type: ignore[return-value]
