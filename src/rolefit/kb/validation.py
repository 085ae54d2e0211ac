"""Validating a knowledge base with pydantic, and the knowledge base's JSON Schema.

Imported only when a file has to be validated (a cache miss, `rolefit validate`,
`rolefit schema`): pydantic's import and the validator's construction cost more
than the rest of a cached run put together.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from rolefit.errors import quoted
from rolefit.kb.models import DataProblem, KnowledgeBase, reference_problems

T = TypeVar("T")


def validate(data: dict[str, Any]) -> tuple[KnowledgeBase | None, list[DataProblem]]:
    """The knowledge base `data` describes, or every problem found in it."""
    try:
        kb = _adapter_for(KnowledgeBase).validate_python(data)
    except ValidationError as e:
        return None, _problems(e)
    return kb, list(reference_problems(kb))


def validate_as(model: type[T], data: dict[str, Any]) -> tuple[T | None, list[DataProblem]]:
    """A record of `model` (another file's, such as a case file) from `data`, or every problem
    found in it, in the same words as a knowledge base's."""
    try:
        return _adapter_for(model).validate_python(data), []
    except ValidationError as e:
        return None, _problems(e)


def schema_of(model: type) -> dict[str, Any]:
    """The JSON Schema of a file of `model`."""
    return _adapter_for(model).json_schema()


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter_for(model: type[T]) -> TypeAdapter[T]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _problems(error: ValidationError) -> list[DataProblem]:
    """Each of pydantic's errors in an author's words, but a list found too short only because
    items in it failed (pydantic counts the good ones): those items' own errors say it."""
    errors = error.errors()
    inside = {err["loc"][:depth] for err in errors for depth in range(len(err["loc"]))}
    return [(err["loc"], _message(err)) for err in errors if not (err["type"] == "too_short" and err["loc"] in inside)]


def knowledge_base_schema() -> dict[str, Any]:
    """The JSON Schema of a knowledge-base file."""
    return _adapter_for(KnowledgeBase).json_schema()


def _message(err: Any) -> str:
    """Pydantic's error, in words for a knowledge-base author."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, quoted(err.get("input"))
    if kind == "rolefit":
        return str(err["msg"])
    if kind == "missing" or kind == "missing_argument":
        return "required field is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown field (is it misspelt, or in the wrong place?)"
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type", "dataclass_args_type"):
        return f"expected a mapping, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    return f"{err['msg']}, got {got}"
