"""The JSON Schemas `rolefit schema` prints: the knowledge base's, and each `--json`
document's, made from `rolefit.output.contract`."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from rolefit.kb.cases import cases_schema
from rolefit.kb.validation import knowledge_base_schema
from rolefit.output.documents import COMMANDS

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
    """The published JSON Schema called `name` (one of `documents.SCHEMAS`), with its dialect and title."""
    if name == "knowledge-base":
        title, body = "rolefit knowledge base", knowledge_base_schema()
        body["description"] = "A knowledge base of traits, roles and quizzes, as `rolefit --data FILE` reads it."
    elif name == "cases":
        title, body = "rolefit cases", cases_schema()
        body["description"] = "Labelled cases for a knowledge base, as `rolefit audit --cases FILE` reads them."
    else:
        from rolefit.output.contract import DOCUMENT_TYPES

        title = f"rolefit {COMMANDS.get(name, name)} --json"
        body = TypeAdapter(DOCUMENT_TYPES[name]).json_schema(mode="serialization", schema_generator=DocumentSchema)
    body.pop("title", None)
    return {"$schema": DIALECT, "title": title, "description": body.pop("description"), **body}
