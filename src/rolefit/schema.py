"""Validating a knowledge base with pydantic, and the JSON Schemas: the knowledge
base's, and each `--json` document's, made from `rolefit.contract`.

Imported only when a file has to be validated (a cache miss, `rolefit validate`,
`rolefit schema`): pydantic's import and the validator's construction cost more
than the rest of a cached run put together.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from rolefit.errors import describe
from rolefit.models import KnowledgeBase, Problem, reference_problems


@cache
def _adapter() -> TypeAdapter[KnowledgeBase]:
    return TypeAdapter(KnowledgeBase)


def validate(data: dict[str, Any]) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The knowledge base `data` describes, or every problem found in it."""
    try:
        kb = _adapter().validate_python(data)
    except ValidationError as e:
        return None, [(err["loc"], _message(err)) for err in e.errors()]
    return kb, list(reference_problems(kb))


def knowledge_base_schema() -> dict[str, Any]:
    """The JSON Schema of a knowledge-base file."""
    return _adapter().json_schema()


def _message(err: Any) -> str:
    """Pydantic's error, in words for a knowledge-base author."""
    kind, ctx, got = err["type"], err.get("ctx") or {}, describe(err.get("input"))
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


#: The schemas `rolefit schema` prints: the knowledge base, then each `--json` document.
SCHEMA_NAMES = ("knowledge-base", "audit", "compare", "quiz", "questions", "show", "validate")

# Draft 7, not pydantic's default 2020-12: editors' YAML support (yaml-language-server)
# implements draft 7, and the schemas use no keyword that a later draft added.
DIALECT = "http://json-schema.org/draft-07/schema#"


class DocumentSchema(GenerateJsonSchema):
    """The schema of a document rolefit writes, rather than of a file it reads: every field
    is always written, so each is required and none has a default; and every object is
    open, knowledge-base records too (only a knowledge-base file refuses unknown fields),
    since new fields may appear in a document without a new schema_version."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        return True

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        body = super().dataclass_schema(schema)
        body.pop("additionalProperties", None)
        return body


def json_schema(name: str) -> dict[str, Any]:
    """The published JSON Schema called `name` (one of SCHEMA_NAMES), with its dialect and title."""
    if name == "knowledge-base":
        title, body = "rolefit knowledge base", knowledge_base_schema()
        body["description"] = "A knowledge base of traits, roles and quizzes, as `rolefit --data FILE` reads it."
    else:
        from rolefit.contract import DOCUMENTS

        title = f"rolefit {name} --json"
        body = TypeAdapter(DOCUMENTS[name]).json_schema(mode="serialization", schema_generator=DocumentSchema)
    body.pop("title", None)
    return {"$schema": DIALECT, "title": title, "description": body.pop("description"), **body}
