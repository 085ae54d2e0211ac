"""Finding, loading and validating a knowledge base."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rolefit.documents import Document, format_location, read_document
from rolefit.errors import RolefitError, describe
from rolefit.models import SCHEMA_VERSION, KnowledgeBase, Location, reference_problems

Problem = tuple[Location, str]


def default_path() -> Path:
    """The fitness knowledge base: inside the installed package, or in a source checkout."""
    packaged = Path(__file__).parent / "data" / "roles.yaml"
    if packaged.is_file():
        return packaged
    # An editable install runs from src/rolefit/; the file is at the top of the checkout.
    return Path(__file__).resolve().parents[2] / "data" / "roles.yaml"


def load_knowledge_base(source: str | Path | None = None) -> KnowledgeBase:
    """Read and validate a knowledge base, or raise a RolefitError for its first problem."""
    document = read_document(source if source is not None else default_path())
    kb, problems = check_document(document)
    if problems:
        loc, message = problems[0]
        error = document.problem(loc, message)
        if len(problems) > 1:
            error += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
        raise RolefitError(error)
    assert kb is not None
    return kb


def check_document(document: Document) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate parsed data against the schema; return the model or every problem found."""
    data = document.data
    if not isinstance(data, dict):
        return None, [((), f"expected a knowledge base (a mapping at the top), got {describe(data)}")]
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        if "schema_version" not in data:
            return None, [((), f"missing schema_version (this rolefit reads version {SCHEMA_VERSION})")]
        return None, [
            (("schema_version",), f"unsupported version {describe(version)}: this rolefit reads {SCHEMA_VERSION}")
        ]
    try:
        kb = KnowledgeBase.model_validate(data)
    except ValidationError as e:
        return None, [(err["loc"], _message(err)) for err in e.errors()]
    return kb, list(reference_problems(kb))


def _message(err: Any) -> str:
    """Pydantic's error, in words for a knowledge-base author."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, describe(err.get("input"))
    if kind == "rolefit":
        return str(err["msg"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (is it misspelt, or in the wrong place?)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    return f"{err['msg']}, got {got}"


def select_roles(kb: KnowledgeBase, role_ids: list[str] | None) -> tuple[str, ...]:
    """The roles asked for, in the order given, or every role in the file's order."""
    if not role_ids:
        return tuple(kb.roles)
    for role_id in role_ids:
        if role_id not in kb.roles:
            raise RolefitError(f"unknown role {describe(role_id)} (known: {', '.join(kb.roles)})")
    return tuple(dict.fromkeys(role_ids))


def select_quiz(kb: KnowledgeBase, quiz_id: str | None) -> str:
    """The quiz asked for, or the knowledge base's default."""
    if quiz_id is None:
        return kb.default_quiz_id
    if quiz_id not in kb.quizzes:
        raise RolefitError(f"unknown quiz {describe(quiz_id)} (known: {', '.join(kb.quizzes)})")
    return quiz_id


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
    name = "<stdin>" if str(source) == "-" else str(source)
    try:
        document = read_document(source)
    except RolefitError as e:
        return Validation(name, (_unparsed(name, e.message),), None)
    kb, problems = check_document(document)
    found = tuple(
        FileProblem(document.name, document.line_of(loc), format_location(document.data, loc), message)
        for loc, message in problems
    )
    return Validation(document.name, found, None if found else kb)


def _unparsed(name: str, message: str) -> FileProblem:
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
    return resources.files("rolefit").joinpath("starter.yaml").read_text(encoding="utf-8")


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write the starter knowledge base to `path`, never over an existing file unless `force`.

    The text goes to a temporary file in the same directory first and is then renamed
    over `path`, so a crash or a full disk never leaves a half-written file behind.
    """
    if path.is_dir():
        raise RolefitError(f"{path}: is a directory; name a file to write")
    if path.exists() and not force:
        raise RolefitError(f"{path}: already exists; pass --force to overwrite it")
    directory = path.parent
    if not directory.is_dir():
        raise RolefitError(f"{path}: no such directory {str(directory)!r}")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                f.write(starter_text())
            # mkstemp makes the file private (0600); give it the mode a new file would get.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
