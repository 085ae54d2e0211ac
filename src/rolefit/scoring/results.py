"""What scoring a quiz returns: the fits, the verdict and its reasons, the stability
check and the explanation, as immutable records that `output.jsonout` writes and `views` draw."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from rolefit.kb.models import Check, Figure, ReadinessQuestion, Step

VerdictKind = Literal["single", "both", "neither"]
StabilityLabel = Literal["clear", "close", "uncertain", "ruled-out", "not-enough-answers"]
#: How many of the best roles the answer-by-answer explanation (`QuizResult.contributions`) covers.
EXPLAINED_ROLES = 5
#: Question id -> option id, or None for a skipped question.
Answers = Mapping[str, "str | None"]
#: Dimension -> importance (1 is normal, 0 ignores the dimension).
Weights = Mapping[str, float]


class RoleFit(NamedTuple):
    role: str
    name: str
    fit: float
    #: Fit per trait and per dimension, for those the answers said something about.
    traits: Mapping[str, float]
    dimensions: Mapping[str, float]
    #: The question whose answer rules this role out, if any.
    ruled_out_by: str | None = None
    #: Whether this is one of the quiz's alternatives (what to do instead of every role).
    alternative: bool = False


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
    #: How many single-answer changes were tried: each answered question to each of its other options.
    changes: int
    #: Those that change what the verdict recommends.
    flips: tuple[Flip, ...]
    text: str


class AnswerWarning(NamedTuple):
    code: Literal["no-preference", "same-option", "mostly-skipped", "weighted-poor-fit"]
    text: str


class Note(NamedTuple):
    """What the knowledge base says to anyone who gives this answer: for example, to see a doctor first."""

    question: str
    option: str
    text: str


class PlannedStep(NamedTuple):
    #: The role the step leads to; None for a step of the quiz's path to two roles.
    role: str | None
    step: Step


class Pay(NamedTuple):
    """An income figure of the recommended roles, once however many of them it is for."""

    roles: tuple[str, ...]
    figure: Figure


class Plan(NamedTuple):
    """What follows the verdict: next steps and pay for the roles it recommends, and what to check."""

    steps: tuple[PlannedStep, ...] = ()
    pay: tuple[Pay, ...] = ()
    checklist: tuple[Check, ...] = ()
    #: The roles whose pay to show, an area's included: none for a quiz without a plan.
    pay_roles: tuple[str, ...] = ()


class Readiness(NamedTuple):
    """One readiness question and its answer: yes, no, or None when skipped."""

    question: str
    text: str
    answer: bool | None
    #: What helps when the answer is no.
    help: str


#: Readiness question id -> yes (True) or no (False); a question not named was skipped.
Replies = Mapping[str, bool]


class QuizResult(NamedTuple):
    quiz: str
    answers: Mapping[str, str | None]
    weights: Mapping[str, float]
    fits: tuple[RoleFit, ...]  # best first
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    stability: Stability
    warnings: tuple[AnswerWarning, ...]
    notes: tuple[Note, ...] = ()
    plan: Plan = Plan()
    #: The readiness check, when it was taken (empty when not asked, or every question skipped).
    readiness: tuple[Readiness, ...] = ()

    def with_readiness(self, questions: Sequence[ReadinessQuestion], replies: Replies | None) -> QuizResult:
        """This result with the person's replies to the quiz's readiness questions."""
        if not replies:
            return self
        return self._replace(readiness=tuple(Readiness(q.id, q.text, replies.get(q.id), q.help) for q in questions))

    def weighed(self) -> tuple[str, ...]:
        """The options whose both sides go with the verdict: those it recommends, then the best
        other option not ruled out (the two best when it recommends none), of those the fits
        shown (`shown_fits`): a person weighs what the table sets beside the verdict. When the
        table shows no other (every role ruled out), the best of those it hides."""
        named = list(self.verdict.roles)
        eligible = [f for f in self.fits if f.role not in named and f.ruled_out_by is None]
        shown = self.shown_fits()
        # An option the table hides is weighed only when the table has no other to set beside it.
        others = [f.role for f in eligible if f in shown] or [f.role for f in eligible]
        return tuple(named + others[: 1 if named else 2])

    def shown_fits(self) -> tuple[RoleFit, ...]:
        """The fits people are shown: every role's, and an alternative's when the verdict
        recommends it (the JSON has every fit)."""
        return tuple(f for f in self.fits if not f.alternative or f.role in self.verdict.roles)
