"""Finding, loading and validating a knowledge base."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rolefit.errors import RolefitError, known, quoted
from rolefit.files import read_bytes
from rolefit.kb import cache
from rolefit.kb.models import SCHEMA_VERSION, DataProblem, KnowledgeBase
from rolefit.kb.reader import Document, parse
from rolefit.streams import StandardInput


def default_path() -> Path:
    """The fitness knowledge base that ships with rolefit."""
    return packaged_file("data/roles.yaml")


def packaged_file(name: str) -> Path:
    """A file that ships with rolefit, by its path in the package: `starter.yaml`, `data/roles.yaml`.

    `data/roles.yaml` is a relative link to the knowledge base at the top of the repository,
    where authors edit it, and messages name that file; a wheel holds the file itself.
    """
    return Path(str(resources.files("rolefit").joinpath(name))).resolve()


def load_knowledge_base(source: str | Path | None = None) -> KnowledgeBase:
    """Read and validate a knowledge base, or raise a RolefitError for its first problem.

    A file read before with the same bytes comes from the cache, unparsed and unvalidated.
    """
    name, raw = read_bytes(source if source is not None else default_path())
    kb = cache.load(raw)
    if kb is not None:
        return kb
    document = parse(name, raw)
    kb, problems = check_document(document)
    if problems:
        loc, message = problems[0]
        error = document.problem(loc, message)
        if len(problems) > 1:
            error += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
        raise RolefitError(error)
    assert kb is not None
    cache.store(raw, kb)
    return kb


def check_document(document: Document) -> tuple[KnowledgeBase | None, list[DataProblem]]:
    """Validate parsed data against the schema; return the knowledge base or every problem found."""
    data = document.data
    if not isinstance(data, dict):
        return None, [((), f"expected a knowledge base (a mapping at the top), got {quoted(data)}")]
    version = data.get("schema_version")
    # `type(...) is int`: true and 1.0 equal 1 in Python, but are not a version number.
    if type(version) is not int or version != SCHEMA_VERSION:
        if "schema_version" not in data:
            return None, [((), f"missing schema_version (this rolefit reads version {SCHEMA_VERSION})")]
        return None, [
            (("schema_version",), f"unsupported version {quoted(version)}: this rolefit reads {SCHEMA_VERSION}")
        ]
    from rolefit.kb import validation

    return validation.validate(data)


def made_from(kb: KnowledgeBase, source: str | Path | None, answers: str | Path | None) -> dict[str, str | Path]:
    """The files a result is made from, by what they are, which nothing rolefit writes may
    replace: rolefit's built-in knowledge base, the knowledge base read and the areas tables
    beside it, and the answers file read (if any)."""
    from rolefit.kb.regions import table_path

    found: dict[str, str | Path] = {"rolefit's built-in knowledge base": default_path()}
    if source is not None:
        found["the knowledge base being read"] = source
    read = default_path() if source is None else source
    for code, region in kb.regions.items():
        if region.areas is not None and not isinstance(source, StandardInput):
            found[f"the {code} areas table"] = table_path(region.areas, read)
    if kb.about is not None and kb.about.cases is not None and not isinstance(read, StandardInput):
        found["the knowledge base's case file"] = Path(read).parent / kb.about.cases
    if answers is not None:
        found["the answers file being read"] = answers
    return found


def select_roles(kb: KnowledgeBase, role_ids: list[str] | None) -> tuple[str, ...]:
    """The roles asked for, in the order given, or every role in the file's order."""
    if not role_ids:
        return tuple(kb.roles)
    for role_id in role_ids:
        if role_id not in kb.roles:
            raise RolefitError(f"unknown role {quoted(role_id)}{known(kb.roles)}")
    return tuple(dict.fromkeys(role_ids))


def select_shown(kb: KnowledgeBase, shown_id: str, quiz_id: str | None = None) -> tuple[str | None, str]:
    """What `rolefit show` names: `(None, role_id)` for a role, or `(quiz_id, alternative_id)`
    for one of a quiz's alternatives (of `quiz_id`'s alone, when given; an alternative's id
    may recur in several quizzes, and then the quiz must be named)."""
    quizzes = [select_quiz(kb, quiz_id)] if quiz_id is not None else list(kb.quizzes)  # an unknown --for, first
    if shown_id in kb.roles:
        return None, shown_id
    found = [q for q in quizzes if shown_id in kb.quizzes[q].alternatives]
    if len(found) > 1:
        quizzes_named = ", ".join(found)
        raise RolefitError(f"{quoted(shown_id)} is an alternative in the quizzes {quizzes_named}: name one with --for")
    if not found:
        ids = [*kb.roles, *dict.fromkeys(a for q in quizzes for a in kb.quizzes[q].alternatives)]
        raise RolefitError(f"unknown role or alternative {quoted(shown_id)}{known(ids)}")
    return found[0], shown_id


def select_quiz(kb: KnowledgeBase, quiz_id: str | None) -> str:
    """The quiz asked for, or the knowledge base's default."""
    if quiz_id is None:
        return kb.default_quiz_id
    if quiz_id not in kb.quizzes:
        raise RolefitError(f"unknown quiz {quoted(quiz_id)}{known(kb.quizzes)}")
    return quiz_id
