"""JSON that the YAML reader would take as it is, read by `json` alone; and a file's text.

`reader.parse` reads every file; this module only spares it PyYAML for a JSON
document with nothing to refuse. See `plain_json` for why it exists and what guards it.
"""

from __future__ import annotations

import re
from typing import Any

from rolefit.errors import RolefitError


def decode(name: str, raw: bytes) -> str:
    """A file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RolefitError(f"{name}: UTF-16 or UTF-32 text: save it as UTF-8")
    if b"\0" in raw:
        raise RolefitError(f"{name}: looks like a binary file, not YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise RolefitError(f"{name}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x})") from None


DECLINED = object()
#: What the YAML reader may refuse or read otherwise in JSON that `json` takes: characters
#: YAML does not allow in a file, the ones it takes for line breaks (NEL, U+2028, U+2029),
#: tabs (libyaml refuses some between tokens) and escaped surrogates.
_NOT_PLAIN = re.compile(r"[\x7f-\x9f\u2028\u2029\ufffe\uffff\t]|\\u[dD][89a-fA-F]")


class _Decline(Exception):
    pass


def _refuse(_: str) -> Any:
    raise _Decline


#: YAML reads a key in `{...}` only if it ends within 1,024 characters of its start; as
#: JSON, a key of this many characters is at most 6 times as long (each `\uXXXX`), plus quotes.
_LONGEST_KEY = 160


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) < len(pairs) or any(len(key) > _LONGEST_KEY for key in value):
        raise _Decline
    return value


def plain_json(text: str, *, max_depth: int, max_values: int, max_digits: int) -> Any:
    """The data of a JSON document the YAML reader would take as it is, else `DECLINED`.

    Why it exists: reading an answers file (`quiz --answers saved.json`) through the YAML
    reader costs importing PyYAML, 15 to 23 ms of a 200 ms run, which took that command
    over its start-up goal (benchmarks/run.py: 1.11 times Typer's hello world; 1.01 with this road).
    `json` reads such a file in well under a millisecond. This road finds no problems and
    names none: it takes only a document that passes every check of the YAML reader (no
    repeated key, no long number, no NaN, not too deep or too big, only characters YAML
    allows), and gives anything else to that reader, which refuses it with its line.
    The data is JSON's either way. The lines are noted by the YAML reader when a later
    problem needs one. Guarded by tests/test_reader.py::test_plain_json_*: on the
    bad-input corpus and on generated documents, whatever this road takes the YAML
    reader takes too, with the same data.
    """
    import json

    if _NOT_PLAIN.search(text):
        return DECLINED

    def number(digits: str) -> Any:
        if len(digits) > max_digits:
            raise _Decline
        return float(digits) if any(c in digits for c in ".eE") else int(digits)

    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=number, parse_float=number, parse_constant=_refuse)
    except (_Decline, ValueError, RecursionError):
        return DECLINED
    count, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        count += 1
        if depth > max_depth or count > max_values:
            return DECLINED
        if isinstance(value, dict):
            count += len(value)  # the keys
            todo.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            todo.extend((item, depth + 1) for item in value)
    return data
