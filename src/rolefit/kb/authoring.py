"""Tools for knowledge-base authors: check a file for every problem at once, and
write a commented starter file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rolefit.errors import ExitCode, RolefitError
from rolefit.files import shown_name, writing
from rolefit.kb.load import check_document, load_knowledge_base, made_from, packaged_file
from rolefit.kb.models import DataProblem, KnowledgeBase
from rolefit.kb.reader import format_location, read_document
from rolefit.streams import StandardInput

if TYPE_CHECKING:
    from rolefit.streams import Streams


@dataclass(frozen=True)
class FileProblem:
    """One problem in a knowledge-base file, where an author's editor can jump to it."""

    file: str
    line: int | None
    #: The field's dotted path (`roles.frontend.traits.visual`); empty for the file as a whole.
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass(frozen=True)
class Validation:
    """Every problem found in a knowledge-base file, or the valid knowledge base."""

    file: str
    problems: tuple[FileProblem, ...]
    kb: KnowledgeBase | None
    #: What a valid file that is no knowledge base holds, in words (a case file's cases).
    holds: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int] | None:
        """How many roles, traits, quizzes and questions a valid file holds."""
        if self.kb is None:
            return None
        return {
            "roles": len(self.kb.roles),
            "traits": len(self.kb.traits),
            "quizzes": len(self.kb.quizzes),
            "questions": sum(len(q.questions) for q in self.kb.quizzes.values()),
        }

    def summary(self) -> str:
        """`roles.yaml: valid: 2 roles, 10 traits, 2 quizzes (20 questions)`, or the count of problems."""
        counts = self.counts()
        if self.valid and self.holds is not None:
            return f"{self.file}: valid: {self.holds}"
        if counts is None:
            return f"{self.file}: not valid: {_count(len(self.problems), 'problem')}"
        return (
            f"{self.file}: valid: {_count(counts['roles'], 'role')}, {_count(counts['traits'], 'trait')},"
            f" {_count(counts['quizzes'], 'quiz', 'quizzes')} ({_count(counts['questions'], 'question')})"
        )


def validate_file(source: str | Path) -> Validation:
    """Check a knowledge-base file and report every schema problem, not only the first.

    A file that cannot be read or parsed (bad YAML, a duplicate key) has one problem:
    parsing stops there. Nothing is raised for what is wrong with the file.
    """
    name = "<stdin>" if isinstance(source, StandardInput) else shown_name(source)
    try:
        document = read_document(source)
    except RolefitError as e:
        if e.exit_code == ExitCode.FAILED:  # stdin could not be read: nothing to say of the file
            raise
        return Validation(name, (unparsed(name, e.message),), None)
    kb, problems = check_document(document)
    if kb is not None and not problems and not isinstance(source, StandardInput):
        problems = [*_table_problems(kb, source), *_case_file_problems(kb, source)]
    found = tuple(
        FileProblem(document.name, document.line_of(loc), format_location(document.data, loc), message)
        for loc, message in problems
    )
    return Validation(document.name, found, None if found else kb)


def _table_problems(kb: KnowledgeBase, source: str | Path) -> Iterator[DataProblem]:
    """Each areas table that cannot be read, as a problem at the field naming it (a table
    is read only when `--region` names an area, so this is where an author hears of it)."""
    from rolefit.kb.regions import read_areas

    for code, region in kb.regions.items():
        if region.areas is not None:
            try:
                read_areas(region.areas, source, code)
            except RolefitError as e:
                yield ("regions", code, "areas", "file"), f"cannot use the table: {e.message}"


def _case_file_problems(kb: KnowledgeBase, source: str | Path) -> Iterator[DataProblem]:
    """The case file `about.cases` names, when it cannot be read as one: as a problem at that
    field (`rolefit about` reads it; `rolefit validate --cases FILE` checks its cases)."""
    if kb.about is None or kb.about.cases is None:
        return
    from rolefit.files import neighbour
    from rolefit.kb.cases import read_cases

    try:
        path = neighbour(source, kb.about.cases, "a case file")
        if not path.exists():
            raise RolefitError(f"{path}: no such file")
        document, _, found = read_cases(path)
    except RolefitError as e:
        yield ("about", "cases"), f"cannot use the case file: {e.message}"
        return
    if found:
        loc, message = found[0]
        first = document.problem(loc, message)
        more = f" (and {len(found) - 1} more; rolefit validate --cases {path} lists them)" if len(found) > 1 else ""
        yield ("about", "cases"), f"the case file is not valid: {first}{more}"


def unparsed(name: str, message: str) -> FileProblem:
    """A reading or parsing error (`FILE:LINE: message`) as a problem with its line apart."""
    rest = message.removeprefix(f"{name}:")
    if rest == message:
        return FileProblem(name, None, "", message)
    head, sep, tail = rest.partition(": ")
    if sep and head.isdigit():
        return FileProblem(name, int(head), "", tail)
    return FileProblem(name, None, "", rest.removeprefix(" "))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def starter_text() -> str:
    """The commented starter knowledge base that `rolefit init` writes."""
    text = packaged_file("starter.yaml").read_text(encoding="utf-8")
    # The first line points editors at the schema in this repository; in the
    # user's directory that path leads nowhere, so the copy goes without it.
    first, _, rest = text.partition("\n")
    return rest if first.startswith("# yaml-language-server:") else text


def write_starter(
    path: Path, streams: Streams, *, force: bool = False, announce: Callable[[], None] | None = None
) -> None:
    """Write the starter knowledge base to `path`, never over an existing file unless
    `force`, nor over a read-only file, a directory or through a link (see
    `rolefit.files.writing`, which writes "-" to the run's stdout).

    `announce` runs once the text is written, just before it takes `path`'s place:
    if it fails (say, stdout is a full disk), no file is left behind.
    """
    # rolefit's own files (the knowledge base, and the tables and cases beside it) even with --force.
    built_in = made_from(load_knowledge_base(), None, None)
    with writing(path, streams, inputs=built_in, overwrite=force) as f:
        f.write(starter_text().encode())
        if announce is not None:
            announce()
