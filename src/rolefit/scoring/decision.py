"""The verdict rule, written once: what a set of fits recommends, and how solid that is.

`Rule.decide` applies it to one answer set and `Rule.label` labels the result. The
audit applies the same rule to millions of answer sets at once by tabulating these
functions rather than restating them: the thresholds (`Rule.low`, `Rule.close`) over
every fit in tenths, the order of the cases (`verdict_kind`) over its sixteen inputs, and
`Rule.label` over every count of kept changes (`rolefit.scoring.audit`); its tests
compare the two verdict for verdict.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any, Literal, NamedTuple

from rolefit.kb.models import Scoring
from rolefit.scoring.results import StabilityLabel, VerdictKind

#: Every stability label, in the order the audit counts them.
LABELS: tuple[StabilityLabel, ...] = ("clear", "close", "uncertain", "ruled-out", "not-enough-answers")
#: Every kind of verdict.
KINDS: tuple[VerdictKind, ...] = ("single", "both", "neither")
#: Why a verdict recommends nothing: more than half the questions skipped, no answer
#: counting, every role ruled out, or the best fit too low; when several hold, the first
#: in this order is the one the verdict's words give.
NeitherReason = Literal["skipped", "nothing-counts", "ruled-out", "low"]


class Decision(NamedTuple):
    """What a verdict recommends, before it is put into words."""

    kind: VerdictKind
    roles: tuple[str, ...]
    #: Fit points between the best role and the next one that is not ruled out.
    margin: float
    #: For a `neither` verdict, why.
    why: NeitherReason | None = None


def best_first(values: Mapping[str, float], leaving_out: Container[str] = ()) -> list[str]:
    """Role ids by value, highest first; equal values by id (so ties always fall the same way)."""
    return [r for _, r in sorted([(-v, r) for r, v in values.items() if r not in leaving_out])]


def verdict_kind(eligible: bool, enough: bool, low: bool, close: bool) -> VerdictKind:
    """The kind of verdict: `neither` when no role may be recommended (every one ruled out),
    when too few answers count (`Rule.enough`) or when the best fit is `low`; `both` when the
    runner-up is `close`; else `single`."""
    if not eligible or not enough or low:
        return "neither"
    return "both" if close else "single"


class Rule:
    """The verdict rule under a knowledge base's `scoring` thresholds, for a quiz of `questions`
    questions and the quiz's `alternatives` (ids): only two roles are recommended together, never
    an alternative with anything else."""

    def __init__(self, scoring: Scoring, questions: int, alternatives: frozenset[str] = frozenset()) -> None:
        self.scoring, self.questions, self.alternatives = scoring, questions, alternatives

    def answered_enough(self, skipped: Any) -> Any:
        """Whether at least half the questions are answered."""
        return skipped * 2 <= self.questions

    def counts(self, weight: Any) -> Any:
        """Whether answers of this total weight say anything: some answer must count."""
        return weight > 0

    def enough(self, weight: Any, skipped: Any) -> Any:
        """Whether answers of this total weight, with this many questions skipped, can recommend
        anything (`counts` and `answered_enough`). Written with `&` so that it takes numpy
        arrays as well as numbers."""
        return self.counts(weight) & self.answered_enough(skipped)

    def low(self, best: float) -> bool:
        """Whether the best fit is too low to recommend its role."""
        return best < self.scoring.neither_below

    def close(self, margin: float) -> bool:
        """Whether two roles this many fit points apart are both recommended."""
        return margin <= self.scoring.both_within

    def decide(self, fits: Mapping[str, float], ruled: Container[str], weight: int, skipped: int) -> Decision:
        """What the verdict recommends. `fits` must hold at least the two best eligible roles."""
        candidates = best_first(fits, ruled)
        if not candidates:
            why = self.why_neither(eligible=False, weight=weight, skipped=skipped, best=0.0)
            return Decision(verdict_kind(False, False, False, False), (), 0.0, why)
        best = candidates[0]
        has_second = len(candidates) > 1
        margin = round(fits[best] - (fits[candidates[1]] if has_second else 0.0), 1)
        together = has_second and self.close(margin) and not self.alternatives.intersection(candidates[:2])
        decided = verdict_kind(True, self.enough(weight, skipped), self.low(fits[best]), together)
        if decided == "neither":
            why = self.why_neither(eligible=True, weight=weight, skipped=skipped, best=fits[best])
            return Decision(decided, (), margin, why)
        return Decision(decided, (best,) if decided == "single" else tuple(candidates[:2]), margin)

    def why_neither(self, *, eligible: bool, weight: int, skipped: int, best: float) -> NeitherReason | None:
        """Why answers like these recommend nothing, as `NeitherReason` orders the reasons; None
        when they recommend a role. Agrees with `verdict_kind` on when that is (a test)."""
        if not self.answered_enough(skipped):
            return "skipped"
        if not self.counts(weight):
            return "nothing-counts"
        if not eligible:
            return "ruled-out"
        return "low" if self.low(best) else None

    def label(self, *, enough: bool, by_dealbreaker: bool, changes: int, flips: int) -> StabilityLabel:
        """How solid a verdict is, by definition.

        - `not-enough-answers`: too few answers count to recommend anything (`enough`);
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
        if kept >= self.scoring.clear_keeps:
            return "clear"
        if kept >= self.scoring.close_keeps:
            return "close"
        return "uncertain"


def outcome_key(kind: VerdictKind, roles: tuple[str, ...]) -> tuple[VerdictKind, frozenset[str]]:
    """What a verdict recommends, regardless of the order in which it names the roles."""
    return kind, frozenset(roles)
