"""The knowledge-base schema: immutable pydantic models, and the checks across them.

A knowledge base places every role on shared *traits*, each a scale from 0 to 1
whose two ends the file defines. A quiz's options place the person on the same
scales, so a role's fit depends only on the role and the answers, never on
which other roles the file holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictStr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from rolefit.errors import describe

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
#: Numbers YAML 1.1 leaves as text, such as 1e3.
_LOOKS_NUMERIC = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)")


def _explained(message: str) -> WrapValidator:
    """Replace pydantic's message for a constrained value with one a person reads at once."""

    def wrap(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            got = describe(value)
            if isinstance(value, str) and _LOOKS_NUMERIC.fullmatch(value.strip()):
                got += " (text: YAML reads a number with an exponent as a number only with a dot, as in 1.0e+3)"
            raise PydanticCustomError("rolefit", message + ", got {got}", {"got": got})

    return WrapValidator(wrap)


Id = Annotated[
    StrictStr,
    Field(pattern=ID_PATTERN),
    _explained("expected an id of lowercase letters, digits, '-' or '_' (at most 64)"),
]
Text = Annotated[StrictStr, Field(min_length=1, max_length=4000), _explained("expected text")]
Position = Annotated[
    StrictFloat, Field(ge=0, le=1, allow_inf_nan=False), _explained("expected a number from 0 to 1")
]
Weight = Annotated[
    StrictFloat,
    Field(gt=0, le=100, allow_inf_nan=False),
    _explained("expected a number above 0 and at most 100"),
]
Points = Annotated[
    StrictFloat,
    Field(ge=0, le=100, allow_inf_nan=False),
    _explained("expected a number of fit points from 0 to 100"),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trait(Model):
    """A scale from 0 to 1 that roles and answers are placed on."""

    name: Text
    dimension: DimensionId
    low: Text = Field(description="What 0 means on this scale.")
    high: Text = Field(description="What 1 means on this scale.")


class Figure(Model):
    """A number with where it comes from and when it was measured."""

    label: Text
    value: Text
    period: Text
    source: Text
    estimate: bool = Field(False, description="True when the figure is an estimate, not a measurement.")
    note: Text | None = None


class Credential(Model):
    name: Text
    notes: Text | None = None
    source: Text | None = None


class Aspect(Model):
    """What a role is like on one dimension."""

    summary: Text
    points: tuple[Text, ...] = ()


class CertificationAspect(Aspect):
    credentials: tuple[Credential, ...] = ()


class IncomeAspect(Aspect):
    figures: tuple[Figure, ...] = ()


class Role(Model):
    name: Text
    summary: Text
    duties: tuple[Text, ...] = Field(min_length=1)
    choose_if: tuple[Text, ...] = Field(min_length=1)
    focus: Aspect
    environment: Aspect
    certifications: CertificationAspect
    client_relationship: Aspect
    income: IncomeAspect
    traits: dict[Id, Position] = Field(description="The role's place on every trait, from 0 to 1.")

    def aspect(self, dimension: str) -> Aspect:
        return getattr(self, dimension)  # type: ignore[no-any-return]


class Option(Model):
    id: Id
    label: Text
    places: dict[Id, Position] = Field(
        default_factory=dict, description="Where choosing this option puts the person, per trait."
    )
    neutral: bool = Field(False, description="A 'no preference' option: it places nobody anywhere.")


class Question(Model):
    id: Id
    text: Text
    weight: Weight = 1.0
    options: tuple[Option, ...] = Field(min_length=2)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Quiz(Model):
    title: Text
    intro: Text | None = None
    advice: dict[Id, Text] = Field(
        default_factory=dict, description="Per role id: what the verdict says when that role wins."
    )
    both: Text | None = Field(None, description="The verdict when two roles are close; {first} and {second} name them.")
    neither: Text | None = Field(None, description="The verdict when no role fits well; {best} names the closest.")
    questions: tuple[Question, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class Scoring(Model):
    both_within: Points = Field(
        10.0, description="Two roles whose fits are this close (in points) are both recommended."
    )
    neither_below: Points = Field(50.0, description="No role is recommended when the best fit is below this.")


class KnowledgeBase(Model):
    schema_version: int
    title: Text
    description: Text | None = None
    dimension_names: dict[DimensionId, Text] = Field(default_factory=dict)
    traits: dict[Id, Trait] = Field(min_length=1)
    roles: dict[Id, Role] = Field(min_length=2)
    scoring: Scoring = Scoring()
    default_quiz: Id | None = None
    quizzes: dict[Id, Quiz] = Field(min_length=1)

    def dimension_name(self, dimension: str) -> str:
        return self.dimension_names.get(dimension, DEFAULT_DIMENSION_NAMES[dimension])  # type: ignore[call-overload, no-any-return]

    @property
    def default_quiz_id(self) -> str:
        return self.default_quiz or next(iter(self.quizzes))


Location = tuple[str | int, ...]


def reference_problems(kb: KnowledgeBase) -> Iterator[tuple[Location, str]]:
    """Problems that span models: unknown or missing references and duplicate ids.

    Yields (location, message) with the location as a path into the file.
    """
    traits = set(kb.traits)
    for role_id, role in kb.roles.items():
        for trait in sorted(role.traits.keys() - traits):
            yield ("roles", role_id, "traits", trait), f"unknown trait {describe(trait)}{_known(traits)}"
        for trait in sorted(traits - role.traits.keys()):
            yield ("roles", role_id, "traits"), f"missing trait {describe(trait)}: place the role on every trait"
    if kb.default_quiz is not None and kb.default_quiz not in kb.quizzes:
        yield ("default_quiz",), f"unknown quiz {describe(kb.default_quiz)}{_known(kb.quizzes)}"
    for quiz_id, quiz in kb.quizzes.items():
        for role_id in sorted(quiz.advice.keys() - kb.roles.keys()):
            yield ("quizzes", quiz_id, "advice", role_id), f"unknown role {describe(role_id)}{_known(kb.roles)}"
        seen_questions: set[str] = set()
        for qi, question in enumerate(quiz.questions):
            where: Location = ("quizzes", quiz_id, "questions", qi)
            if question.id in seen_questions:
                yield (*where, "id"), f"duplicate question id {describe(question.id)}"
            seen_questions.add(question.id)
            seen_options: set[str] = set()
            for oi, option in enumerate(question.options):
                at: Location = (*where, "options", oi)
                if option.id in seen_options:
                    yield (*at, "id"), f"duplicate option id {describe(option.id)}"
                seen_options.add(option.id)
                for trait in sorted(option.places.keys() - traits):
                    yield (*at, "places", trait), f"unknown trait {describe(trait)}{_known(traits)}"
                if option.neutral and option.places:
                    yield (*at, "places"), "a neutral option must not place the person on any trait"
                if not option.neutral and not option.places:
                    yield at, "option has no effect: give it `places`, or mark it `neutral: true`"
            if all(o.neutral for o in question.options):
                yield where, "every option is neutral, so the question cannot tell roles apart"


def _known(ids: Any) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f" (known: {shown})"
