"""The knowledge-base schema: immutable dataclasses, and the checks across them.

A knowledge base places every role on shared *traits*, each a scale from 0 to 1
whose two ends the file defines. A quiz's options place the person on the same
scales, so a role's fit depends only on the role and the answers, never on
which other roles the file holds.

These are plain dataclasses, and the cache builds them from JSON by their declared
field types. Typer imports pydantic on every run anyway, so pydantic models (one
definition instead of these plus `rules.Rule`) were measured instead: building a
1,000-role knowledge base from the cache with `model_construct` took 30 to 45 ms more
than `cache._builder`. So the records stay
dataclasses; the constraints ride along in `Annotated` metadata (`Rule`, `MinLen`),
which `rolefit.kb.validation` turns into a pydantic validator when a file has to be
validated, and field docstrings become the JSON Schema's descriptions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import MISSING, FrozenInstanceError, dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from annotated_types import MinLen

from rolefit.errors import known, quoted
from rolefit.kb.rules import Keyword, OneOrMore, Rule

SCHEMA_VERSION = 1

#: The five dimensions every role is described on, in display order.
DIMENSIONS = ("focus", "environment", "certifications", "client_relationship", "income")
DEFAULT_DIMENSION_NAMES = {
    "focus": "Focus",
    "environment": "Work environment",
    "certifications": "Certification & education",
    "client_relationship": "Client relationship",
    "income": "Income",
}
DimensionId = Literal["focus", "environment", "certifications", "client_relationship", "income"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


Id = Annotated[
    str, Rule("expected an id of lowercase letters, digits, '-' or '_' (at most 64)", pattern=ID_PATTERN, intern=True)
]
#: Some text, not spaces alone: a blank name or verdict says nothing (and in Markdown
#: a blank bold verdict, `****`, draws a line). The pattern is searched for, not matched.
Text = Annotated[str, Rule("expected text", pattern=r"\S", min_length=1, max_length=4000)]
Position = Annotated[float, Rule("expected a number from 0 to 1", ge=0, le=1)]
Weight = Annotated[float, Rule("expected a number above 0 and at most 100", gt=0, le=100)]
Points = Annotated[float, Rule("expected a number of fit points from 0 to 100", ge=0, le=100)]
Flag = Annotated[bool, Rule("expected true or false")]
RegionCode = Annotated[
    str, Rule("expected a region code of two or three capital letters, such as US or UK", pattern=r"^[A-Z]{2,3}$")
]
#: The most any amount may be, in a knowledge base or its areas table: no real pay or cost is near it.
MAX_AMOUNT = 1e9
Amount = Annotated[float, Rule(f"expected a number from 0 to {MAX_AMOUNT:,.0f}", ge=0, le=MAX_AMOUNT)]
#: A place on a trait, or for an answer that means "both", two or more places.
Places = Annotated[
    Position | tuple[Position, ...], OneOrMore(2, "expected a number from 0 to 1, or a list of two or more of them")
]
#: A file beside the knowledge base, never elsewhere: a file may name only its neighbours.
FileName = Annotated[
    str,
    Rule(
        "expected the name of a file beside the knowledge base (letters, digits, '.', '-' or '_'; no folders)",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
    ),
]


#: A word or abbreviation as it appears in the text (`NCCA`, `Level 2`, `fit`): the glossary's key.
TermName = Annotated[
    str,
    Rule(
        "expected a term of at most 60 characters, with no spaces at either end",
        pattern=r"^\S(.{0,58}\S)?$",
        max_length=60,
    ),
]


#: A day, as ISO 8601 writes it (a real day: `reference_problems` checks the calendar).
Day = Annotated[str, Rule("expected a date as YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")]


class _Record:
    """An immutable record: the generic constructor, guard and repr every model shares.

    Written once here rather than generated per class by `dataclass(frozen=True)`,
    which compiles four methods for each of the models below: importing this module
    is on every command's path, and with `frozen=True` it took 12 ms instead of 1.9 ms
    (python -X importtime, measured again when the package was split by layer).
    """

    __slots__ = ()

    def __init__(self, **values: Any) -> None:
        for name, spec in self.__dataclass_fields__.items():  # type: ignore[attr-defined]
            if name in values:
                value = values.pop(name)
            elif spec.default is not MISSING:
                value = spec.default
            elif spec.default_factory is not MISSING:
                value = spec.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() needs {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() got unknown fields {sorted(values)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__dataclass_fields__)  # type: ignore[attr-defined]
        return f"{type(self).__name__}({fields})"


R = TypeVar("R", bound=_Record)


def replace(record: R, **changes: Any) -> R:
    """A copy of `record` with some fields changed."""
    values = {name: getattr(record, name) for name in record.__dataclass_fields__}  # type: ignore[attr-defined]
    return type(record)(**{**values, **changes})


def _schema(cls: type) -> type:
    """A model: a dataclass (for its fields and for pydantic) that refuses unknown fields
    when validated. Compared by identity: nothing compares knowledge bases by value."""
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    cls.__pydantic_config__ = {"extra": "forbid", "use_attribute_docstrings": True}  # type: ignore[attr-defined]
    return cls


@_schema
class Trait(_Record):
    """A scale from 0 to 1 that roles and answers are placed on."""

    name: Text
    dimension: DimensionId
    """The dimension this trait belongs to."""
    low: Text
    """What 0 means on this scale."""
    high: Text
    """What 1 means on this scale."""


@_schema
class Figure(_Record):
    """A number with where it comes from and when it was measured."""

    label: Text
    value: Text
    period: Text
    source: Text
    estimate: Flag = False
    """True when the figure is an estimate, not a measurement."""
    note: Text | None = None
    region: RegionCode | None = None
    """Where the figure applies: a code from `regions`; none for everywhere."""


@_schema
class Credential(_Record):
    name: Text
    notes: Text | None = None
    source: Text | None = None
    region: RegionCode | None = None
    """Where the credential is awarded or recognised: a code from `regions`; none for everywhere."""


@_schema
class Range(_Record):
    """A typical range, from `low` to `high` (the same number for a single value)."""

    low: Amount
    high: Amount
    unit: Text
    """What the numbers count: weeks, months, USD, GBP..."""


@_schema
class Step(_Record):
    """One step on the way to a role, in the order taken: what it is, and what it takes."""

    text: Text
    source: Text
    period: Text
    time: Range | None = None
    """How long it typically takes."""
    cost: Range | None = None
    """What it typically costs."""
    region: RegionCode | None = None
    """Where the step applies: a code from `regions`; none for everywhere."""
    estimate: Flag = False
    """True when the time or cost is an estimate (third-party pages, say), not a measurement."""


@_schema
class Check(_Record):
    """One thing to check before acting on a verdict: before hiring a coach, say."""

    text: Text
    source: Text
    period: Text
    region: RegionCode | None = None
    """Where the check applies: a code from `regions`; none for everywhere."""


@_schema
class Caution(_Record):
    """A reason to think twice about an option: one concrete downside, with where it comes from."""

    text: Text
    source: Text
    period: Text
    region: RegionCode | None = None
    """Where it holds: a code from `regions`; none for everywhere."""
    estimate: Flag = False
    """True when its figure is an estimate (a survey, a vendor or a blog), not a measurement."""


@_schema
class Sheet(_Record):
    """What one option means for a client, beside its verdict: what it costs, how much attention
    it gives, what the evidence says, and its downsides."""

    cost: Annotated[tuple[Caution, ...], MinLen(1)]
    """What it costs, per session and per month, by region (estimates marked)."""
    choose_if: tuple[Text, ...] = ()
    """Reasons to choose it, for the person this quiz speaks to: shown instead of the option's own."""
    attention: Text
    """How much attention you get, in a sentence or two."""
    evidence: tuple[Caution, ...] = ()
    """What studies say about it."""
    think_twice: tuple[Caution, ...] = ()
    """Its downsides and risks for the client: shown instead of the option's own in this quiz."""


@_schema
class Aspect(_Record):
    """What a role is like on one dimension."""

    summary: Text
    points: tuple[Text, ...] = ()


@_schema
class CertificationAspect(Aspect):
    credentials: tuple[Credential, ...] = ()


@_schema
class IncomeAspect(Aspect):
    figures: tuple[Figure, ...] = ()


@_schema
class Role(_Record):
    name: Text
    summary: Text
    duties: Annotated[tuple[Text, ...], MinLen(1)]
    choose_if: Annotated[tuple[Text, ...], MinLen(1)]
    focus: Aspect
    environment: Aspect
    certifications: CertificationAspect
    client_relationship: Aspect
    income: IncomeAspect
    traits: dict[Id, Position]
    """The role's place on every trait, from 0 to 1."""
    next_steps: tuple[Step, ...] = ()
    """How to get into the role, step by step: shown after a verdict recommending it, and by `rolefit show`."""
    think_twice: tuple[Caution, ...] = ()
    """Its downsides, as concrete as `choose_if` and at least as many (`rolefit audit` names an
    option whose downsides are missing or thinner as `unbalanced`)."""

    def aspect(self, dimension: str) -> Aspect | CertificationAspect | IncomeAspect:
        return getattr(self, dimension)  # type: ignore[no-any-return]


@_schema
class Alternative(_Record):
    """What a person might do instead of every role (train on their own, see a physiotherapist
    first, keep fitness as a hobby), with a role's standing in a quiz's verdict: placed on every
    trait, so that answers point to it by fit, and recommended in the quiz's words, with steps."""

    name: Text
    summary: Text
    choose_if: Annotated[tuple[Text, ...], MinLen(1)]
    traits: dict[Id, Position | None]
    """Its place on every trait, from 0 to 1, as a role's; null where it is indifferent to the
    trait (every answer on it then counts half, neither near nor far)."""
    next_steps: tuple[Step, ...] = ()
    """How to start, step by step: shown after a verdict recommending it."""
    think_twice: tuple[Caution, ...] = ()
    """Its downsides, as a role's `think_twice`."""


#: What a quiz's verdict may recommend: a role of the knowledge base, or one of the quiz's alternatives.
Candidate = Role | Alternative


@_schema
class Option(_Record):
    id: Id
    label: Text
    places: dict[Id, Places] = field(default_factory=dict)
    """Where choosing this option puts the person, per trait: a place, or for an answer that
    means "both", a list of places, of which the one nearest a role counts for it."""
    neutral: Flag = False
    """A 'no preference' option: it places nobody anywhere."""
    rules_out: Annotated[
        tuple[Id, ...] | Literal["all"], Keyword("all", "expected a list of role ids, or all for every role")
    ] = ()
    """Role ids this answer is a dealbreaker for, or `all` for every role: they cannot be recommended."""
    hedge: Flag = False
    """A hedging answer ("both", "some of each"): given alone, it should favour no role (`rolefit audit`)."""
    note: Text | None = None
    """Shown with the verdict whenever this answer is given: for example, to see a doctor first."""

    def ruled_out(self, roles: Iterable[str]) -> tuple[str, ...]:
        """The ids this answer rules out, of the knowledge base's `roles` (every one for `all`)."""
        return tuple(roles) if self.rules_out == "all" else self.rules_out

    def rules_out_every(self, roles: Iterable[str]) -> bool:
        """Whether this answer is a must-have: it rules out every one of `roles`, by `all` or by
        naming each (and perhaps an alternative too, which `all` never rules out)."""
        return self.rules_out == "all" or set(roles) <= set(self.rules_out)


@_schema
class ReadinessQuestion(_Record):
    """One yes-or-no question after the verdict on whether the person is ready to decide, and
    what helps when the answer is no."""

    id: Id
    text: Text
    help: Text
    """What helps when the answer is no: shown with the result."""


@_schema
class Question(_Record):
    id: Id
    text: Text
    options: Annotated[tuple[Option, ...], MinLen(2)]
    weight: Weight = 1.0

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@_schema
class Quiz(_Record):
    title: Text
    questions: Annotated[tuple[Question, ...], MinLen(1)]
    intro: Text | None = None
    advice: dict[Id, Text] = field(default_factory=dict)
    """Per role id: what the verdict says when that role wins."""
    both: Text | None = None
    """The verdict when two roles are close; {first} and {second} name them."""
    neither: Text | None = None
    """The verdict when no role fits well; {best} names the closest and {fit} its fit."""
    leaning: dict[Literal["close", "uncertain"], dict[Id, Text]] = field(default_factory=dict)
    """Per stability label, then per role id: what the verdict says when it recommends that role
    without being clear. No command here (`advice` may give one, for clear verdicts alone): the
    answers lean towards the role, and the verdict goes on to name an answer that would change it."""
    plan: Flag = True
    """After the verdict, show the recommended roles' next steps and pay (false for a quiz about hiring)."""
    both_steps: tuple[Step, ...] = ()
    """The path shown when two roles are recommended; without it, each role's steps in turn."""
    checklist: tuple[Check, ...] = ()
    """What to check before acting on the verdict (hiring a coach, say), shown at the end of the result."""
    decision: Text | None = None
    """The decision the quiz helps with, in words that do not presume the answer: shown before
    the first question and in the report."""
    readiness: tuple[ReadinessQuestion, ...] = ()
    """Yes-or-no questions on whether the person is ready to decide, asked after the verdict at a
    terminal (or given in an answers file); a "no" shows what helps."""
    dimension_names: dict[DimensionId, Text] = field(default_factory=dict)
    """Names for the dimensions in this quiz and its result, where they differ from the knowledge
    base's: a client hiring a coach reads about cost where a job seeker reads about income."""
    trait_names: dict[Id, Text] = field(default_factory=dict)
    """Names for traits in this quiz, where the knowledge base's speak to someone else: the
    last step lists them under each dimension ("Cost and how you pay: Per session or a
    monthly pass" for a client, where a job seeker reads "How the work is paid")."""
    alternatives: dict[Id, Alternative] = field(default_factory=dict)
    """What a person might do instead of every role, scored as the roles are and recommended
    when it fits better; a must-have (`rules_out: all`) rules out the roles, never these."""
    sheets: dict[Id, Sheet] = field(default_factory=dict)
    """Per role or alternative id: what it means for the person this quiz speaks to (a client's
    costs, attention, evidence and downsides), shown with the verdict; its `think_twice` replaces
    the option's own in this quiz."""

    def reasons(self, candidate_id: str, candidate: Role | Alternative) -> tuple[str, ...]:
        """The reasons to choose a candidate as this quiz gives them: its sheet's, or its own."""
        sheet = self.sheets.get(candidate_id)
        return sheet.choose_if if sheet is not None and sheet.choose_if else candidate.choose_if

    def cautions(self, candidate_id: str, candidate: Role | Alternative) -> tuple[Caution, ...]:
        """The downsides of a candidate as this quiz shows them: its sheet's, or its own."""
        sheet = self.sheets.get(candidate_id)
        return sheet.think_twice if sheet is not None and sheet.think_twice else candidate.think_twice

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@_schema
class Scoring(_Record):
    both_within: Points = 10.0
    """Two roles whose fits are this close (in points) are both recommended."""
    neither_below: Points = 50.0
    """No role is recommended when the best fit is below this."""
    hedge_within: Points = 2.0
    """A hedging option, given alone, may spread the roles' fits by at most this many points."""
    clear_keeps: Position = 0.9
    """A verdict is labelled clear when at least this share of the single-answer changes keep it."""
    close_keeps: Position = 0.7
    """A verdict is labelled close when at least this share keep it; uncertain below."""


@_schema
class AreaPay(_Record):
    """Pay in each area of a region (each US state, say): a table in a CSV file beside the knowledge base."""

    file: FileName
    """Columns as in BLS OEWS tables: code, area, employment, hourly_median, annual_median, annual_p10,
    annual_p90, hourly_mean, annual_mean. The row whose code is the region's is the whole region;
    lines starting with # are comments."""
    label: Text
    period: Text
    source: Text
    currency: Text
    """The symbol written before amounts, such as $."""
    note: Text | None = None
    roles: tuple[Id, ...] = ()
    """The roles the table's figures are for; none for every role."""


@_schema
class Region(_Record):
    name: Text
    areas: AreaPay | None = None
    """Pay by area, so that `--region US-CA` (say) shows an area's pay beside the whole region's."""


@_schema
class About(_Record):
    """What the guide is, who made it and how current it is: `rolefit about`, and the report's
    last section. Every knowledge base states its own."""

    reviewed: Day
    """When the content was last checked against its sources."""
    review: Text
    """How and when it is checked again."""
    authors: Text
    """Who wrote it, and from what sources."""
    funding: Text
    """Who paid for it, and any ties to those it names (certifying bodies, employers, brands)."""
    method: Text
    """How the roles and the answers were placed on the traits."""
    meaning: Text
    """What a fit and the stability label mean, and what they do not."""
    cases: FileName | None = None
    """A case file beside the knowledge base (`rolefit audit --cases`): `rolefit about` states
    the agreement with its cases as the command finds it, never a copied figure."""


@_schema
class Term(_Record):
    """What a word or abbreviation in the text means, in plain words: shown once wherever it is used."""

    definition: Text
    """A sentence or two in plain words."""
    source: Text | None = None
    """Where the facts in the definition come from, if it states any."""
    period: Text | None = None
    """When those facts held (the source's date)."""


@_schema
class KnowledgeBase(_Record):
    schema_version: int
    title: Text
    traits: Annotated[dict[Id, Trait], MinLen(1)]
    roles: Annotated[dict[Id, Role], MinLen(2)]
    quizzes: Annotated[dict[Id, Quiz], MinLen(1)]
    description: Text | None = None
    dimension_names: dict[DimensionId, Text] = field(default_factory=dict)
    """Display names for the dimensions, if not the usual ones."""
    scoring: Scoring = field(default_factory=Scoring)
    default_quiz: Id | None = None
    """The quiz `rolefit quiz` asks when none is named; otherwise the first."""
    regions: dict[RegionCode, Region] = field(default_factory=dict)
    """The regions that figures, credentials and steps may name, by code (US, UK...)."""
    about: About | None = None
    """What the guide is and how current: `rolefit about`."""
    glossary: dict[TermName, Term] = field(default_factory=dict)
    """Words and abbreviations the text uses, each with a plain definition, shown where they appear
    (a term matches only as written, as a whole word or with a plural s)."""

    def trait_name(self, trait: str, quiz: Quiz | None = None) -> str:
        """A trait's name: the quiz's own if it has one, else the knowledge base's."""
        if quiz is not None and trait in quiz.trait_names:
            return quiz.trait_names[trait]
        return self.traits[trait].name

    def dimension_name(self, dimension: str, quiz: Quiz | None = None) -> str:
        """A dimension's name: the quiz's own if it has one, else the knowledge base's, else the usual."""
        if quiz is not None and dimension in quiz.dimension_names:
            return quiz.dimension_names[dimension]
        return self.dimension_names.get(dimension, DEFAULT_DIMENSION_NAMES[dimension])  # type: ignore[call-overload, no-any-return]

    def candidates(self, quiz: Quiz) -> dict[str, Candidate]:
        """What a quiz's verdict may recommend, by id: every role, then the quiz's alternatives."""
        return {**self.roles, **quiz.alternatives} if quiz.alternatives else dict(self.roles)

    @property
    def default_quiz_id(self) -> str:
        return self.default_quiz or next(iter(self.quizzes))


#: Where a value is in a file: keys and list indexes from the top (`roles`, `frontend`, `traits`).
Location = tuple[str | int, ...]
#: A problem found in a knowledge base's data: where (a path into it), and what
#: (`authoring.FileProblem` adds the file and the line).
DataProblem = tuple[Location, str]
#: What may carry a region.
Regional = Figure | Credential | Step | Check | Caution


def regional(kb: KnowledgeBase) -> Iterator[tuple[Location, Regional]]:
    """Every figure, credential, step, check and caution in the knowledge base, with where it is."""
    for role_id, role in kb.roles.items():
        for i, credential in enumerate(role.certifications.credentials):
            yield ("roles", role_id, "certifications", "credentials", i), credential
        for i, figure in enumerate(role.income.figures):
            yield ("roles", role_id, "income", "figures", i), figure
        for i, step in enumerate(role.next_steps):
            yield ("roles", role_id, "next_steps", i), step
        for i, caution in enumerate(role.think_twice):
            yield ("roles", role_id, "think_twice", i), caution
    for quiz_id, quiz in kb.quizzes.items():
        for i, step in enumerate(quiz.both_steps):
            yield ("quizzes", quiz_id, "both_steps", i), step
        for alternative_id, alternative in quiz.alternatives.items():
            for i, step in enumerate(alternative.next_steps):
                yield ("quizzes", quiz_id, "alternatives", alternative_id, "next_steps", i), step
            for i, caution in enumerate(alternative.think_twice):
                yield ("quizzes", quiz_id, "alternatives", alternative_id, "think_twice", i), caution
        for sheet_id, sheet in quiz.sheets.items():
            for part in ("cost", "evidence", "think_twice"):
                for i, caution in enumerate(getattr(sheet, part)):
                    yield ("quizzes", quiz_id, "sheets", sheet_id, part, i), caution
        for i, check in enumerate(quiz.checklist):
            yield ("quizzes", quiz_id, "checklist", i), check


def reference_problems(kb: KnowledgeBase) -> Iterator[DataProblem]:
    """Problems that span models: unknown or missing references and duplicate ids.

    Yields (location, message) with the location as a path into the file.
    """
    traits = set(kb.traits)
    if kb.about is not None:
        try:
            datetime.date.fromisoformat(kb.about.reviewed)
        except ValueError:
            yield ("about", "reviewed"), f"no such day: {quoted(kb.about.reviewed)}"
    # Each list of known ids is written once, however many problems name it.
    known_traits, known_roles, known_quizzes = known(sorted(traits)), known(sorted(kb.roles)), known(sorted(kb.quizzes))
    for role_id, role in kb.roles.items():
        for trait in sorted(role.traits.keys() - traits):
            yield ("roles", role_id, "traits", trait), f"unknown trait {quoted(trait)}{known_traits}"
        for trait in sorted(traits - role.traits.keys()):
            yield ("roles", role_id, "traits"), f"missing trait {quoted(trait)}: place the role on every trait"
    known_regions = known(sorted(kb.regions)) if kb.regions else ": declare it under `regions` first"
    for loc, item in regional(kb):
        if item.region is not None and item.region not in kb.regions:
            yield (*loc, "region"), f"unknown region {quoted(item.region)}{known_regions}"
        for name in ("time", "cost"):
            span: Range | None = getattr(item, name, None)
            if span is not None and span.low > span.high:
                yield (*loc, name, "high"), f"must not be below `low` ({span.low:,.15g})"
    for code, region in kb.regions.items():
        roles = region.areas.roles if region.areas else ()
        for role_id in sorted(set(roles) - kb.roles.keys()):
            yield ("regions", code, "areas", "roles"), f"unknown role {quoted(role_id)}{known_roles}"
    defined: dict[str, str] = {}
    for term in kb.glossary:
        first = defined.setdefault(term.casefold(), term)
        if first != term:
            yield ("glossary", term), f"{quoted(term)} is defined twice: as {quoted(first)} too"
    if kb.scoring.close_keeps > kb.scoring.clear_keeps:
        yield ("scoring", "close_keeps"), "must not be above `clear_keeps`"
    if kb.default_quiz is not None and kb.default_quiz not in kb.quizzes:
        yield ("default_quiz",), f"unknown quiz {quoted(kb.default_quiz)}{known_quizzes}"
    for quiz_id, quiz in kb.quizzes.items():
        candidates = kb.candidates(quiz)
        known_candidates = known(sorted(candidates))
        for alternative_id, alternative in quiz.alternatives.items():
            at_alternative: Location = ("quizzes", quiz_id, "alternatives", alternative_id)
            if alternative_id in kb.roles or alternative_id in ("both", "neither"):
                yield at_alternative, f"{quoted(alternative_id)} is a role's id, or a verdict's: name it otherwise"
            for trait in sorted(alternative.traits.keys() - traits):
                yield (*at_alternative, "traits", trait), f"unknown trait {quoted(trait)}{known_traits}"
            for trait in sorted(traits - alternative.traits.keys()):
                yield (*at_alternative, "traits"), f"missing trait {quoted(trait)}: place it on every trait"
        for role_id in sorted(quiz.advice.keys() - candidates.keys()):
            yield ("quizzes", quiz_id, "advice", role_id), f"unknown role {quoted(role_id)}{known_candidates}"
        for trait in sorted(quiz.trait_names.keys() - traits):
            yield ("quizzes", quiz_id, "trait_names", trait), f"unknown trait {quoted(trait)}{known_traits}"
        for role_id in sorted(quiz.sheets.keys() - candidates.keys()):
            yield ("quizzes", quiz_id, "sheets", role_id), f"unknown role {quoted(role_id)}{known_candidates}"
        for label, words in quiz.leaning.items():
            for role_id in sorted(words.keys() - candidates.keys()):
                yield (
                    ("quizzes", quiz_id, "leaning", label, role_id),
                    f"unknown role {quoted(role_id)}{known_candidates}",
                )
        seen_questions: set[str] = set()
        for qi, question in enumerate(quiz.questions):
            where: Location = ("quizzes", quiz_id, "questions", qi)
            if question.id in seen_questions:
                yield (*where, "id"), f"duplicate question id {quoted(question.id)}"
            seen_questions.add(question.id)
            seen_options: set[str] = set()
            for oi, option in enumerate(question.options):
                at: Location = (*where, "options", oi)
                if option.id in seen_options:
                    yield (*at, "id"), f"duplicate option id {quoted(option.id)}"
                seen_options.add(option.id)
                for trait in sorted(option.places.keys() - traits):
                    yield (*at, "places", trait), f"unknown trait {quoted(trait)}{known_traits}"
                for role_id in sorted(set(option.ruled_out(kb.roles)) - candidates.keys()):
                    yield (*at, "rules_out"), f"unknown role {quoted(role_id)}{known_candidates}"
                if option.neutral and option.places:
                    yield (*at, "places"), "a neutral option must not place the person on any trait"
                if not option.neutral and not option.places:
                    yield at, "option has no effect: give it `places`, or mark it `neutral: true`"
            if all(o.neutral for o in question.options):
                yield where, "every option is neutral, so the question cannot tell roles apart"
