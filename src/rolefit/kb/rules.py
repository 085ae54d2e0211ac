"""Constrained scalars of the knowledge-base schema, and how pydantic checks them.

`models` marks a field with a `Rule` (in `Annotated` metadata); when a file has to be
validated, pydantic asks the rule for its schema, and every failure reads the rule's
message. Apart from `models`, so that the schema and its validator (`rolefit.kb.validation`)
do not import each other; pydantic is imported only when a rule is first asked.
"""

from __future__ import annotations

import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

from rolefit.errors import quoted

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

#: Numbers YAML 1.1 leaves as text, such as 1e3.
_LOOKS_NUMERIC = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)")


#: What each bound of a `Rule` means, by pydantic's name for it: the value it measures
#: (a text's length, a number itself) must pass the comparison with the bound. Both the
#: pydantic schema (`_schema`) and the cache's check of an entry (`Rule.checker`) read
#: a rule's bounds through `Rule.bounds`, so that each bound is defined here once.
CHECKS: dict[str, tuple[Callable[[Any], Any], Callable[[Any, Any], bool]]] = {
    "min_length": (len, operator.ge),
    "max_length": (len, operator.le),
    "ge": (float, operator.ge),
    "gt": (float, operator.gt),
    "le": (float, operator.le),
}


@dataclass(frozen=True)
class Rule:
    """A strict, constrained scalar with the message a knowledge-base author reads when it fails."""

    message: str
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    #: One shared string per distinct value (ids recur by the thousand in a large file).
    intern: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return _schema(self, source)

    def bounds(self, source: type) -> dict[str, Any]:
        """The bounds that apply to values of type `source`, by pydantic's names (see `CHECKS`)."""
        names = ("min_length", "max_length") if source is str else ("ge", "gt", "le") if source is float else ()
        return {name: getattr(self, name) for name in names}

    def checker(self, source: type) -> Callable[[Any], bool] | None:
        """Whether a value of type `source` (str, float or bool) is within the rule's bounds, or None
        when no bound applies; the pattern is left to validation. For the cache, which builds
        records from data validated before and checks them again only as far as this."""
        checks = [(*CHECKS[name], bound) for name, bound in self.bounds(source).items() if bound is not None]
        if not checks:
            return None
        if len(checks) == 2:  # most rules: a closure of two comparisons, as it is called per value
            (measure, compare, bound), (measure2, compare2, bound2) = checks
            return lambda value: compare(measure(value), bound) and compare2(measure2(value), bound2)
        return lambda value: all(compare(measure(value), bound) for measure, compare, bound in checks)


def _schema(rule: Rule, source: Any) -> CoreSchema:
    """A strict schema for one constrained scalar whose failures all read `rule.message`."""
    from pydantic import ValidationError
    from pydantic_core import PydanticCustomError, core_schema

    inner: CoreSchema
    if source is str:
        inner = core_schema.str_schema(strict=True, pattern=rule.pattern, **rule.bounds(str))
    elif source is float:
        # -0.0 passes `ge=0` and would show as "-0": it is 0 (adding 0.0 changes nothing else).
        inner = core_schema.no_info_after_validator_function(
            lambda number: number + 0.0,
            core_schema.float_schema(strict=True, allow_inf_nan=False, **rule.bounds(float)),
        )
    elif source is bool:
        inner = core_schema.bool_schema(strict=True)
    else:  # pragma: no cover - a programming error in models.py
        raise TypeError(f"Rule does not apply to {source!r}")
    if rule.intern:
        inner = core_schema.no_info_after_validator_function(sys.intern, inner)

    def explain(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            # Blank text by name: a message on one line shows its spaces as one.
            got = "only white space" if isinstance(value, str) and value.isspace() else quoted(value)
            if isinstance(value, str) and _LOOKS_NUMERIC.fullmatch(value.strip()):
                got += " (text: YAML reads a number with an exponent as a number only with a dot, as in 1.0e+3)"
            raise PydanticCustomError("rolefit", rule.message + ", got {got}", {"got": got}) from None

    return core_schema.no_info_wrap_validator_function(explain, inner)


@dataclass(frozen=True)
class Keyword:
    """Marks a union of a Literal word and one other type (`tuple[Id, ...] | Literal["all"]`),
    read by the kind of value: text must be the word, anything else is validated as the other
    type. Pydantic alone would report a failure once per member of the union, with its
    internal names in the location; an author reads one message instead."""

    word: str
    message: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        members = get_args(source)
        (other,) = [m for m in members if get_origin(m) is not Literal]
        if [get_args(m) for m in members if get_origin(m) is Literal] != [(self.word,)]:  # pragma: no cover
            raise TypeError(f"Keyword({self.word!r}) does not match {source!r}")

        def read(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, str):
                if value == self.word:
                    return value
                raise PydanticCustomError("rolefit", self.message + ", got {got}", {"got": quoted(value)})
            return inner(value)

        return core_schema.no_info_wrap_validator_function(read, handler.generate_schema(other))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # The wrapped schema describes only the other type: add the words.
        return {"anyOf": [handler(schema), {"const": self.word, "type": "string"}]}


@dataclass(frozen=True)
class OneOrMore:
    """Marks a union of a scalar and a tuple of it (`Position | tuple[Position, ...]`), read by
    the kind of value: a list is a tuple of at least `least` values, each checked as the
    scalar is; anything else is the scalar. One message for each problem, as `Keyword` gives."""

    least: int
    message: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        (one,) = [m for m in get_args(source) if get_origin(m) is not tuple]

        def read(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, list):
                if len(value) < self.least:
                    raise PydanticCustomError(
                        "rolefit", self.message + ", got {got}", {"got": f"a list of {len(value)}"}
                    )
                return tuple(inner(item) for item in value)
            return inner(value)

        return core_schema.no_info_wrap_validator_function(read, handler.generate_schema(one))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        one = handler(schema)
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": self.least}]}
