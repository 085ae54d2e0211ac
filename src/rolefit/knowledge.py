"""Finding, loading and validating a knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rolefit.documents import Document, read_document
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
    # `type(...) is int`: true and 1.0 equal 1 in Python, but are not a version number.
    if type(version) is not int or version != SCHEMA_VERSION:
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
