"""The `--json` documents, key for key: the contract that scripts rely on.

These types are the one definition of every document. The builders in `jsonout`
are annotated with them, so that mypy checks each key and value they write, and
`rolefit.output.schemas` turns them into the published JSON Schemas. Knowledge-base
records that a document carries as they are (a role's aspects) are typed with
their model classes, which orjson writes field by field.

Only type checking, `rolefit schema` and the tests import this module: a
command's normal path never does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from rolefit.kb.models import (
    DIMENSIONS,
    About,
    Aspect,
    Caution,
    CertificationAspect,
    Check,
    DimensionId,
    Figure,
    IncomeAspect,
    Range,
    Sheet,
    Step,
)
from rolefit.kb.regions import Area
from rolefit.output import documents
from rolefit.scoring.audit import AuditProblemCode
from rolefit.scoring.results import StabilityLabel, VerdictKind

#: The version every document carries as `schema_version`; raised only for a change
#: that could break a script reading the documents (not for a new field).
DocumentVersion = Literal[1]

#: A dimension's id where the values come as plain str (`models.DIMENSIONS`, and the
#: mappings scoring returns): the schema still names the ids a script can expect.
DimensionKey = Annotated[str, Field(json_schema_extra={"enum": list(DIMENSIONS)})]


class GlossaryEntry(TypedDict):
    """A term the document's text uses, with the knowledge base's plain definition of it."""

    term: str
    definition: str
    source: str | None
    """Where the facts in the definition come from; null when it states none."""
    period: str | None


class Dimension(TypedDict):
    id: DimensionKey
    name: str


class TraitJson(TypedDict):
    id: str
    name: str
    dimension: DimensionId
    low: str
    """What 0 means on this scale."""
    high: str
    """What 1 means on this scale."""


class RoleDetails(TypedDict):
    id: str
    name: str
    summary: str
    duties: Sequence[str]
    choose_if: Sequence[str]
    focus: Aspect
    environment: Aspect
    certifications: CertificationAspect
    client_relationship: Aspect
    income: IncomeAspect
    next_steps: Sequence[Step]
    """How to get into the role, in order."""
    think_twice: Sequence[Caution]
    """Its downsides, each with its source."""


class RegionChosen(TypedDict):
    """The region `--region` chose; null without it, when every region's items are included."""

    code: str
    """As given, in capitals: `US`, or `US-CA` for an area of a region."""
    region: str
    """The region's code: `US` for `US-CA`."""
    name: str
    left_out: int
    """How many figures, credentials, steps and checks of other regions were left out."""


class AreaPayJson(TypedDict):
    """Pay in the area `--region` named (`US-CA`), beside the whole region's."""

    label: str
    period: str
    source: str
    note: str | None
    currency: str
    roles: list[str]
    """The roles these figures are for."""
    area: Area
    """The area's row of the table; null where the table publishes no number."""
    whole: Area | None
    """The whole region's row (the nation's, for a US state)."""


class StepJson(TypedDict):
    role: str | None
    """The role the step leads to; null for a step of the quiz's path to both roles."""
    text: str
    time: Range | None
    cost: Range | None
    estimate: bool
    region: str | None
    """Where the step applies; null for everywhere."""
    source: str
    period: str


class PayFigure(TypedDict):
    roles: list[str]
    """The recommended roles this figure is for."""
    figure: Figure


class ComparedRole(RoleDetails):
    traits: Mapping[str, float]
    """The role's place on every trait, from 0 to 1."""


class CompareDocument(TypedDict):
    """`rolefit compare --json`: the roles side by side."""

    schema_version: DocumentVersion
    title: str
    region: RegionChosen | None
    area_pay: AreaPayJson | None
    dimensions: list[Dimension]
    traits: list[TraitJson]
    roles: list[ComparedRole]
    alternatives: list[AlternativeJson]
    """What each quiz may recommend instead of every role."""
    glossary: list[GlossaryEntry]
    """The terms this document's text uses, each once, in the order of first use, with the
    knowledge base's plain definitions (its `glossary`)."""


class AlternativeJson(TypedDict):
    quiz: str
    id: str
    name: str
    summary: str
    choose_if: Sequence[str]
    traits: Mapping[str, float | None]
    """Its place on each trait; null where it is indifferent to the trait."""
    next_steps: Sequence[Step]
    think_twice: Sequence[Caution]


class RoleTrait(TraitJson):
    value: float
    """The role's place on this trait, from 0 to 1."""


class ShownRole(RoleDetails):
    traits: list[RoleTrait]


class AlternativeTrait(TraitJson):
    value: float | None
    """The alternative's place on this trait, from 0 to 1; null where it is indifferent to it."""


class ShownAlternative(TypedDict):
    quiz: str
    """The quiz whose verdict may recommend it."""
    quiz_title: str
    id: str
    name: str
    summary: str
    choose_if: Sequence[str]
    traits: list[AlternativeTrait]
    next_steps: Sequence[Step]
    think_twice: Sequence[Caution]


class ShowDocument(TypedDict):
    """`rolefit show ID --json`: everything about one role, or one of a quiz's alternatives
    to every role (then `role` is null and `alternative` says it all)."""

    schema_version: DocumentVersion
    region: RegionChosen | None
    area_pay: AreaPayJson | None
    role: ShownRole | None
    alternative: ShownAlternative | None
    glossary: list[GlossaryEntry]
    """The terms this document's text uses, each once, in the order of first use, with the
    knowledge base's plain definitions (its `glossary`)."""


class Breakdown(TypedDict):
    dimensions: Mapping[DimensionKey, float]
    traits: Mapping[str, float]


class Score(TypedDict):
    role: str
    name: str
    fit: float
    """From 0 to 100."""
    ruled_out_by: str | None
    """The question whose answer rules this role out, if any."""
    alternative: bool
    """Whether this is one of the quiz's alternatives to every role (its id is not a role's)."""
    breakdown: Breakdown
    """The fit per dimension and per trait that the answers said something about."""


class ReasonJson(TypedDict):
    question: str
    option: str
    points: float
    """Fit points this answer moved, in favour of `towards`."""
    towards: str
    text: str


class RuledOutJson(TypedDict):
    role: str
    question: str
    option: str
    text: str


class VerdictJson(TypedDict):
    kind: VerdictKind
    roles: list[str]
    """The recommended roles, best first: one for `single`, two for `both`, none for `neither`."""
    margin: float
    """Fit points between the best role and the next one that is not ruled out."""
    summary: str
    reasons: list[ReasonJson]
    ruled_out: list[RuledOutJson]


class FlipJson(TypedDict):
    question: str
    option: str
    kind: VerdictKind
    roles: list[str]
    text: str


class StabilityJson(TypedDict):
    label: StabilityLabel
    """`clear`, `close` or `uncertain` by the share of `changes` that keep the verdict (the knowledge
    base's `scoring.clear_keeps` and `close_keeps`); `ruled-out` when a dealbreaker decided it;
    `not-enough-answers` when too few answers count."""
    changes: int
    """How many single-answer changes were tried: each answered question to each of its other options."""
    text: str
    flips: list[FlipJson]
    """Every answer that, changed alone, would change what the verdict recommends."""


class AnswerWarningJson(TypedDict):
    code: Literal["no-preference", "same-option", "mostly-skipped", "weighted-poor-fit"]
    text: str


class NoteJson(TypedDict):
    question: str
    option: str
    text: str
    """What the knowledge base says to anyone giving this answer, such as to see a doctor first."""


class ContributionJson(TypedDict):
    question: str
    option: str | None
    """The option chosen; null when the question was skipped."""
    possible: float
    """The most this answer could give any role, in fit points."""
    points: dict[str, float]
    text: str


class QuizDocument(TypedDict):
    """`rolefit quiz --json` (and `--save FILE`): the answers, each role's fit and the verdict."""

    schema_version: DocumentVersion
    quiz: str
    code: str
    """The answer code; `rolefit quiz --code CODE` replays it."""
    replay: str
    """The command that gives this result again, quoted for a POSIX shell: the answer code,
    with `--data FILE` for a knowledge base not built in and `--region CODE` for a region."""
    answers: dict[str, str | None]
    """Question id to option id; null where skipped."""
    weights: dict[DimensionKey, float]
    scores: list[Score]
    """Best first."""
    verdict: VerdictJson
    stability: StabilityJson
    warnings: list[AnswerWarningJson]
    notes: list[NoteJson]
    """The notes of the answers given, by question id: show them with the verdict."""
    region: RegionChosen | None
    next_steps: list[StepJson]
    """For the recommended roles, in order (for two roles, the quiz's path to both if it has one)."""
    pay: list[PayFigure]
    """The recommended roles' income figures, each once."""
    area_pay: AreaPayJson | None
    """With `--region` naming an area: its pay, when the table covers a recommended role."""
    checklist: list[Check]
    """What to check before acting on the verdict (hiring a coach, say)."""
    both_sides: list[BothSidesJson]
    """Each option the verdict recommends, then the best other one of those the table shows
    (the two best when it recommends none; one it hides only when it shows no other): its
    reasons to choose it and to think twice, as this quiz gives them."""
    readiness: list[ReadinessJson]
    """The readiness check after the verdict, when it was taken (at a terminal, or from an
    answers file); empty otherwise."""
    explain: list[ContributionJson]
    glossary: list[GlossaryEntry]
    """The terms this document's text uses, each once, in the order of first use, with the
    knowledge base's plain definitions (its `glossary`)."""


class ReadinessJson(TypedDict):
    question: str
    text: str
    answer: bool | None
    """Yes (true), no (false), or null when skipped."""
    help: str
    """What helps when the answer is no."""


class BothSidesJson(TypedDict):
    id: str
    name: str
    alternative: bool
    choose_if: Sequence[str]
    think_twice: Sequence[Caution]
    """Its downsides in this quiz: its sheet's, or its own."""
    sheet: Sheet | None
    """What it means for the person this quiz speaks to (a client's costs, attention and
    evidence), when the quiz has one."""


class QuestionOption(TypedDict):
    id: str
    label: str
    neutral: bool


class QuestionJson(TypedDict):
    id: str
    text: str
    weight: float
    options: list[QuestionOption]


class QuestionsDocument(TypedDict):
    """`rolefit questions --json`: a quiz's question and option ids, for answers files."""

    schema_version: DocumentVersion
    quiz: str
    title: str
    questions: list[QuestionJson]


class ValidationProblemJson(TypedDict):
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

    schema_version: DocumentVersion
    file: str
    valid: bool
    problems: list[ValidationProblemJson]
    counts: Counts | None
    """Null unless the file is valid."""


class AuditVerdict(TypedDict):
    kind: VerdictKind
    roles: list[str]
    answer_sets: int
    share: float
    """Of the answer sets audited, from 0 to 1."""


class AuditMargins(TypedDict):
    """Percentiles (nearest rank) of the margin in fit points, over verdicts that recommend a role."""

    p10: float
    median: float
    p90: float


class AuditOption(TypedDict):
    id: str
    label: str
    neutral: bool
    hedge: bool
    fits: dict[str, float]
    """Each role's fit when this option is the only answer given."""
    favours: str | None
    """The role it favours most given alone; null when it favours none."""
    lean: float
    """Fit points between the role it favours and the next (for a hedge, between the highest and the lowest)."""


class AuditQuestion(TypedDict):
    id: str
    text: str
    decides: float
    """The share of answer sets in which changing this answer alone changes the verdict."""
    moves: dict[str, float]
    """Per role: how far apart the options, each given alone, put the role's fit, in fit points."""
    options: list[AuditOption]


class AuditProblem(TypedDict):
    code: AuditProblemCode
    subject: str
    """What it concerns: a question id, `question.option`, a role id, roles as `role,role,...`, a verdict kind or a
    dimension."""
    text: str


class QuizAudit(TypedDict):
    quiz: str
    title: str
    answer_sets: int
    every: bool
    """True when every possible answer set was scored; false for a seeded sample of `answer_sets`."""
    seed: int | None
    verdicts: list[AuditVerdict]
    """Each verdict given, the most frequent first."""
    kinds: dict[VerdictKind, int]
    stability: dict[StabilityLabel, int]
    """How many answer sets get each stability label."""
    margins: AuditMargins
    questions: list[AuditQuestion]
    problems: list[AuditProblem]


class AgreementJson(TypedDict):
    cases: int
    agree: int
    share: float | None
    """`agree` / `cases`; null when there are no such cases."""


class CaseJson(TypedDict):
    id: str
    quiz: str
    source: str
    held_out: bool
    expected: list[str]
    """The verdicts that would be right: role ids, `both` or `neither`."""
    got: str
    """The verdict given, named the same way."""
    roles: list[str]
    """The roles the verdict recommends."""
    label: StabilityLabel
    agrees: bool
    opposite: bool
    """A miss that named one role where the case expected another role alone."""
    reader: str | None
    """The careful reader's verdict for this case, when the file gives one."""


class ScorecardJson(TypedDict):
    tuned: AgreementJson
    """The cases not held out: those the knowledge base may be tuned on."""
    held_out: AgreementJson
    """The cases set aside before tuning, and never tuned on."""
    every: AgreementJson
    opposite: int
    """How many misses sent a person to another role than the one expected."""


class AboutDocument(TypedDict):
    """`rolefit about --json`: what the guide is, who made it and how current it is."""

    schema_version: DocumentVersion
    title: str
    description: str | None
    decisions: list[DecisionJson]
    """Each quiz's decision, in its own words."""
    about: About | None
    """The knowledge base's own account of itself; null when it gives none."""
    cases: ScorecardJson | None
    """The agreement with the case file `about.cases` names, as `rolefit audit --cases` finds it
    now; null without one."""
    reader: ScorecardJson | None
    """The same for the careful reader's verdicts in that file; null without any."""
    glossary: list[GlossaryEntry]
    """The terms this document's text uses, each once, in the order of first use, with the
    knowledge base's plain definitions (its `glossary`)."""


class DecisionJson(TypedDict):
    quiz: str
    title: str
    decision: str | None


class CasesAuditDocument(ScorecardJson):
    """`rolefit audit --cases FILE --json`: how the knowledge base does on labelled cases."""

    schema_version: DocumentVersion
    file: str
    threshold: float
    passes: bool
    """Whether agreement on the cases not held out reaches `threshold`, with no opposite miss."""
    reader: ScorecardJson | None
    """The same for the careful reader's verdicts (each case's `reader`), on the cases that
    have one; null when none has."""
    cases: list[CaseJson]


class AuditDocument(TypedDict):
    """`rolefit audit --json`: how each quiz behaves over every answer set, and its problems."""

    schema_version: DocumentVersion
    quizzes: list[QuizAudit]


# Field docstrings become the schemas' descriptions, as in `rolefit.kb.models`.
for _shape in [v for v in list(globals().values()) if isinstance(v, type) and issubclass(v, dict) and v is not dict]:
    _shape.__pydantic_config__ = {"use_attribute_docstrings": True}  # type: ignore[attr-defined]

#: Each `--json` document's type, by the command that prints it (`rolefit.output.documents`).
DOCUMENT_TYPES: dict[str, type] = {name: globals()[documents.type_name(name)] for name in documents.DOCUMENTS}
