"""The shapes of the `--json` documents, for their JSON Schemas and the tests.

`jsonout` builds the documents as plain dicts, which is what keeps `--json` fast;
these TypedDicts describe the same documents key for key, and `rolefit.schema`
turns them into the published schemas. Nothing on a command's normal path
imports this module.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from rolefit.models import DimensionId
from rolefit.results import StabilityLabel, VerdictKind

SchemaVersion = Literal[1]


class Dimension(TypedDict):
    id: DimensionId
    name: str


class Trait(TypedDict):
    id: str
    name: str
    dimension: DimensionId
    low: str
    """What 0 means on this scale."""
    high: str
    """What 1 means on this scale."""


class Credential(TypedDict):
    name: str
    notes: str | None
    source: str | None


class Figure(TypedDict):
    label: str
    value: str
    period: str
    source: str
    estimate: bool
    """True when the figure is an estimate, not a measurement."""
    note: str | None


class Aspect(TypedDict):
    summary: str
    points: list[str]


class CertificationAspect(Aspect):
    credentials: list[Credential]


class IncomeAspect(Aspect):
    figures: list[Figure]


class RoleDetails(TypedDict):
    id: str
    name: str
    summary: str
    duties: list[str]
    choose_if: list[str]
    focus: Aspect
    environment: Aspect
    certifications: CertificationAspect
    client_relationship: Aspect
    income: IncomeAspect


class ComparedRole(RoleDetails):
    traits: dict[str, float]
    """The role's place on every trait, from 0 to 1."""


class CompareDocument(TypedDict):
    """`rolefit compare --json`: the roles side by side."""

    schema_version: SchemaVersion
    title: str
    dimensions: list[Dimension]
    traits: list[Trait]
    roles: list[ComparedRole]


class RoleTrait(Trait):
    value: float
    """The role's place on this trait, from 0 to 1."""


class ShownRole(RoleDetails):
    traits: list[RoleTrait]


class ShowDocument(TypedDict):
    """`rolefit show ROLE --json`: everything about one role."""

    schema_version: SchemaVersion
    role: ShownRole


class Breakdown(TypedDict):
    dimensions: dict[DimensionId, float]
    traits: dict[str, float]


class Score(TypedDict):
    role: str
    name: str
    fit: float
    """From 0 to 100."""
    ruled_out_by: str | None
    """The question whose answer rules this role out, if any."""
    breakdown: Breakdown
    """The fit per dimension and per trait that the answers said something about."""


class Reason(TypedDict):
    question: str
    option: str
    points: float
    """Fit points this answer moved, in favour of `towards`."""
    towards: str
    text: str


class RuledOut(TypedDict):
    role: str
    question: str
    option: str
    text: str


class Verdict(TypedDict):
    kind: VerdictKind
    roles: list[str]
    """The recommended roles, best first: one for `single`, two for `both`, none for `neither`."""
    margin: float
    """Fit points between the best role and the next one that is not ruled out."""
    summary: str
    reasons: list[Reason]
    ruled_out: list[RuledOut]


class Flip(TypedDict):
    question: str
    option: str
    kind: VerdictKind
    roles: list[str]
    text: str


class Stability(TypedDict):
    label: StabilityLabel
    text: str
    flips: list[Flip]
    """Every answer that, changed alone, would change what the verdict recommends."""


class AnswerWarning(TypedDict):
    code: Literal["no-preference", "same-option", "mostly-skipped"]
    text: str


class Contribution(TypedDict):
    question: str
    option: str | None
    """The option chosen; null when the question was skipped."""
    possible: float
    """The most this answer could give any role, in fit points."""
    points: dict[str, float]
    text: str


class QuizDocument(TypedDict):
    """`rolefit quiz --json` (and `--save FILE`): the answers, each role's fit and the verdict."""

    schema_version: SchemaVersion
    quiz: str
    code: str
    """The answer code; `rolefit quiz --code CODE` replays it."""
    answers: dict[str, str | None]
    """Question id to option id; null where skipped."""
    weights: dict[DimensionId, float]
    scores: list[Score]
    """Best first."""
    verdict: Verdict
    stability: Stability
    warnings: list[AnswerWarning]
    explain: list[Contribution]


class QuestionOption(TypedDict):
    id: str
    label: str
    neutral: bool


class Question(TypedDict):
    id: str
    text: str
    weight: float
    options: list[QuestionOption]


class QuestionsDocument(TypedDict):
    """`rolefit questions --json`: a quiz's question and option ids, for answers files."""

    schema_version: SchemaVersion
    quiz: str
    title: str
    questions: list[Question]


class Problem(TypedDict):
    line: int | None
    path: str | None
    """The field's dotted path; null for a problem with the whole file."""
    message: str


class Counts(TypedDict):
    roles: int
    traits: int
    quizzes: int
    questions: int


class ValidateDocument(TypedDict):
    """`rolefit validate FILE --json`: every problem in a knowledge base, or what a valid one holds."""

    schema_version: SchemaVersion
    file: str
    valid: bool
    problems: list[Problem]
    counts: Counts | None
    """Null unless the file is valid."""


# Field docstrings become the schemas' descriptions, as in `rolefit.models`.
for _shape in [v for v in list(globals().values()) if isinstance(v, type) and issubclass(v, dict) and v is not dict]:
    _shape.__pydantic_config__ = {"use_attribute_docstrings": True}  # type: ignore[attr-defined]

#: Each `--json` document's shape, by the command that prints it.
DOCUMENTS: dict[str, type] = {
    "compare": CompareDocument,
    "quiz": QuizDocument,
    "questions": QuestionsDocument,
    "show": ShowDocument,
    "validate": ValidateDocument,
}
