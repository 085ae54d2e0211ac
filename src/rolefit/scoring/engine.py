"""Every role's fit for one set of answers, by `rolefit.scoring.formula`.

`Scorer` turns a quiz, under the person's dimension weights, into each option's terms
and each role's places on the formula's grid; `Tally` adds up one answer set's terms
into every role's fit and its breakdown by trait and dimension.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cached_property
from operator import itemgetter
from typing import TypeVar

from rolefit.kb.models import KnowledgeBase, Quiz
from rolefit.scoring import formula
from rolefit.scoring.decision import Rule, best_first
from rolefit.scoring.formula import Term, fit
from rolefit.scoring.results import Answers

T = TypeVar("T")


class Scorer:
    """A quiz under the person's dimension weights: every option's terms, and every role's places."""

    def __init__(self, kb: KnowledgeBase, quiz: Quiz, weights: Mapping[str, float]) -> None:
        self.kb, self.quiz = kb, quiz
        #: What the verdict may recommend: every role, then the quiz's alternatives.
        self.candidates = kb.candidates(quiz)
        self.rule = Rule(kb.scoring, len(quiz.questions), frozenset(quiz.alternatives))
        self.questions = {q.id: q for q in quiz.questions}
        # (question id, option id) -> its terms; none for a neutral option, and none for a
        # share that rounds to nothing (a dimension weighted 1e-12 says nothing).
        self.terms: dict[tuple[str, str], tuple[Term, ...]] = {}
        for question in quiz.questions:
            for option in question.options:
                terms = []
                for trait, place in sorted(option.places.items()):
                    dimension = weights[kb.traits[trait].dimension]
                    share = formula.share(question.weight, len(option.places), dimension)
                    if share and not option.neutral:
                        at = tuple(map(formula.place, place)) if isinstance(place, tuple) else formula.place(place)
                        terms.append(Term(trait, share, at))
                self.terms[question.id, option.id] = tuple(terms)
        # trait -> (the distinct places of roles on it, and each role's index into them, in
        # the knowledge base's order). A trait's closeness is then worked out once per
        # distinct place, not once per role: 1,000 roles rarely use more than 101 places.
        self.columns: dict[str, tuple[list[int | None], list[int]]] = {}
        places = [candidate.traits for candidate in self.candidates.values()]
        for trait in kb.traits:
            column = list(map(itemgetter(trait), places))
            # None (an alternative indifferent to the trait) after every place.
            ordered = sorted(set(column), key=lambda place: (place is None, place or 0.0))
            position = {place: i for i, place in enumerate(ordered)}
            self.columns[trait] = (
                [None if place is None else formula.place(place) for place in position],
                list(map(position.__getitem__, column)),
            )
        self.rows = {role_id: i for i, role_id in enumerate(self.candidates)}

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

    def place(self, role_id: str, trait: str) -> int | None:
        """The role's place on a trait, on the formula's grid (None: an alternative indifferent to it)."""
        distinct, index = self.columns[trait]
        return distinct[index[self.rows[role_id]]]

    def closeness(self, terms: Iterable[Term], role_id: str) -> int:
        """The closeness of `terms` to one role."""
        return formula.terms_closeness(terms, lambda trait: self.place(role_id, trait))

    def ruling(self, chosen: Answers) -> dict[str, list[str]]:
        """Role id -> the questions whose answers rule it out, by question id: where it is
        decided which roles the answers rule out."""
        ruling: dict[str, list[str]] = defaultdict(list)
        for question_id in sorted(chosen):
            option_id = chosen[question_id]
            option = self.questions[question_id].option(option_id) if option_id else None
            for role_id in option.ruled_out(self.kb.roles) if option else ():
                ruling[role_id].append(question_id)
        return dict(ruling)

    def ruled_out(self, chosen: Answers) -> dict[str, str]:
        """Role id -> the question whose answer rules it out (the first by question id)."""
        return {role_id: questions[0] for role_id, questions in self.ruling(chosen).items()}


class Tally:
    """What one set of answers gives every role: closeness per trait, totals and the weight."""

    def __init__(self, scorer: Scorer, by_trait: Mapping[str, list[Term]]) -> None:
        self.scorer = scorer
        roles, traits = scorer.candidates, scorer.kb.traits
        #: Trait id (sorted) -> its weight; only traits some answer places.
        self.trait_weights = {t: formula.terms_weight(by_trait[t]) for t in sorted(by_trait)}
        self.weight = sum(self.trait_weights.values())
        # Trait id -> every role's closeness on it, in the knowledge base's order of roles:
        # worked out a trait at a time, each distinct place once.
        closeness: dict[str, list[int]] = {}
        trait_fits = []
        for trait, weight in self.trait_weights.items():
            distinct, index = scorer.columns[trait]
            terms = by_trait[trait]
            at_place = [sum(formula.closeness(t.share, t.place, x) for t in terms) for x in distinct]
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
