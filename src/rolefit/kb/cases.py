"""Labelled cases for a knowledge base: real people's answers and the verdicts that would be
right for them, read and checked like a knowledge base (`rolefit audit --cases FILE`).

A case file names a quiz's answers (as an answer code), the verdicts a careful adviser
would accept (role ids, `both`, `neither`), and where the case comes from. Cases marked
`held_out` were set aside before the knowledge base was tuned on the others, so that
their agreement says how the quiz does on people it was not fitted to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import MinLen

from rolefit.errors import RolefitError, quoted
from rolefit.kb.models import DataProblem, Flag, Id, Position, Text, _Record, _schema
from rolefit.kb.reader import Document, read_document

CASES_VERSION = 1
#: Verdict ids besides a role's: two roles recommended together, or none.
BOTH, NEITHER = "both", "neither"


@_schema
class Case(_Record):
    """One person: their answers, the verdicts that would be right, and where they come from."""

    id: Id
    answers: Text
    """An answer code, as `rolefit quiz --code` takes it: `career:1-2-s-3`, the quiz first."""
    expected: Annotated[tuple[Id, ...], MinLen(1)]
    """The verdicts a careful adviser would accept: role ids, `both` or `neither`."""
    source: Text
    """Where the case comes from: the address of the page where the person describes themselves."""
    person: Text | None = None
    """The person, in the case author's own words (never the person's)."""
    outcome: Text | None = None
    """What they chose or were advised, in the case author's own words."""
    evidence: Literal["chose", "advised"] | None = None
    """Whether `outcome` is what the person chose or what they were advised."""
    held_out: Flag = False
    """Set aside before the knowledge base was tuned on the other cases, and never tuned on."""
    reader: Id | None = None
    """The verdict a careful reader of the knowledge base's source gave this person from `person`
    alone, blind to `outcome` (named as `expected` names verdicts): the figure for the quiz to beat."""


@_schema
class CaseFile(_Record):
    """A file of labelled cases for a knowledge base."""

    schema_version: int
    cases: Annotated[tuple[Case, ...], MinLen(1)]
    description: Text | None = None
    threshold: Position = 0.9
    """`rolefit audit --cases --strict` fails when fewer than this share of the cases not held
    out agree."""


def read_cases(source: str | Path) -> tuple[Document, CaseFile | None, list[DataProblem]]:
    """A case file, parsed and validated: its document, and the cases or every problem found."""
    document = read_document(source)
    data = document.data
    if not isinstance(data, dict):
        return document, None, [((), f"expected a case file (a mapping at the top), got {quoted(data)}")]
    if "cases" not in data and "roles" in data:
        return document, None, [((), "a knowledge base, not a case file (a case file lists `cases`)")]
    version = data.get("schema_version")
    if type(version) is not int or version != CASES_VERSION:
        if "schema_version" not in data:
            return document, None, [((), f"missing schema_version (this rolefit reads version {CASES_VERSION})")]
        return document, None, [(("schema_version",), f"unsupported version {quoted(version)}")]
    from rolefit.kb import validation

    cases, problems = validation.validate_as(CaseFile, data)
    if cases is not None:
        problems = list(_duplicates(cases))
    return document, None if problems else cases, problems


def cases_schema() -> dict[str, Any]:
    """The JSON Schema of a case file."""
    from rolefit.kb import validation

    return validation.schema_of(CaseFile)


def load_cases(source: str | Path) -> tuple[Document, CaseFile]:
    """A case file, or a RolefitError naming its first problem's file, line and field."""
    document, cases, problems = read_cases(source)
    if problems:
        loc, message = problems[0]
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise RolefitError(document.problem(loc, message) + more)
    assert cases is not None
    return document, cases


def _duplicates(cases: CaseFile) -> Iterator[DataProblem]:
    seen: set[str] = set()
    for i, case in enumerate(cases.cases):
        if case.id in seen:
            yield ("cases", i, "id"), f"duplicate case id {quoted(case.id)}"
        seen.add(case.id)
