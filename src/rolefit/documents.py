"""Reading YAML (and so JSON) documents from users' files, safely and with line numbers.

Knowledge bases and answers files are untrusted: they may be huge, binary, not
UTF-8, nested without end, or built from aliases that explode when walked. Each
of those becomes a RolefitError naming the file (and the line, where there is one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolefit.errors import RolefitError, describe
from rolefit.files import read_bytes

if TYPE_CHECKING:  # yaml is imported only when a file has to be parsed
    import yaml

MAX_DEPTH = 64
#: Values (keys, items and scalars) once every alias is expanded. The built-in
#: knowledge base has about 1,300, one of 5,000 roles about 800,000.
MAX_VALUES = 1_000_000

#: Digits in a number: beyond this it is a mistake, and Python refuses to read
#: integers of more than 4,300 digits anyway.
MAX_DIGITS = 40

_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_SET_TAG = "tag:yaml.org,2002:set"
#: Integers as people write them; YAML 1.1 also reads 010 as octal 8, 0x10 as 16,
#: 1:30 as 90 and 1_000 as 1000, which nobody writing a weight means.
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")

#: Keys and list indexes from the top of a document: `rolefit.models.Location`, or pydantic's.
KeyPath = Sequence[str | int]


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, and the YAML nodes that say where each value was."""

    name: str
    data: Any
    root: yaml.Node | None
    #: Per mapping node (by id): its keys' value nodes and lines, indexed when first asked,
    #: so that finding the lines of many problems costs one pass over each mapping.
    _keys: dict[int, dict[str, tuple[yaml.Node, int]]] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, loc: KeyPath) -> int | None:
        """The line (1-based) of the value at `loc`, or of its nearest parent found.

        For a mapping value this is the line of its key, where the field's name is.
        """
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in loc:
            found = self._child(node, key)
            if found is None:
                break
            node, line = found
        return line

    def _child(self, node: yaml.Node, key: str | int) -> tuple[yaml.Node, int] | None:
        """The node under `key` and the line that names it."""
        import yaml  # already loaded: there are nodes only when YAML parsed the file

        if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if -len(node.value) <= key < len(node.value):
                item = node.value[key]
                return item, item.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        keys.setdefault(key_node.value, (value_node, key_node.start_mark.line + 1))
            return keys.get(str(key))
        return None

    def error(self, loc: KeyPath, message: str) -> RolefitError:
        """An error naming this file, the line of `loc` and the field path."""
        return RolefitError(self.problem(loc, message))

    def problem(self, loc: KeyPath, message: str) -> str:
        line = self.line_of(loc)
        where = f"{self.name}:{line}" if line else self.name
        path = format_location(self.data, loc)
        return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def format_location(data: Any, loc: KeyPath) -> str:
    """`roles.personal-trainer.traits.group_energy`; list items are named by their id."""
    parts: list[str] = []
    for key in loc:
        if key == "[key]":
            break
        if isinstance(key, int) and not isinstance(data, dict):  # a list index, not a number used as a key
            item = data[key] if isinstance(data, list) and -len(data) <= key < len(data) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(ident if isinstance(ident, str) and ident else f"#{key + 1}")
            data = item
        else:
            parts.append(str(key))
            data = data.get(key) if isinstance(data, dict) else None
    return ".".join(parts)


def _text(name: str, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RolefitError(f"{name}: UTF-16 or UTF-32 text: save it as UTF-8")
    if b"\0" in raw:
        raise RolefitError(f"{name}: looks like a binary file, not YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise RolefitError(f"{name}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x})") from None


def parse(name: str, raw: bytes) -> Document:
    """Parse YAML (or JSON) into plain data, keeping the nodes that give line numbers."""
    text = _text(name, raw)
    import yaml

    loader = _loader()(text)
    try:
        if "&" in text or _rough_values(text) > MAX_VALUES // 2:
            _measure(name, text)
        root = loader.get_single_node()
        if root is not None:
            _check_nodes(name, root)
            data = loader.construct_document(root)
        else:
            data = None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        if "nesting depth" in str(e.problem):  # libyaml's own limit, met while scanning ahead
            raise RolefitError(f"{where}: nested too deeply (the limit is {MAX_DEPTH} levels)") from None
        raise RolefitError(f"{where}: not valid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise RolefitError(f"{name}: not valid YAML: {e}") from None
    except (ValueError, OverflowError) as e:  # a value the checks above did not foresee
        raise RolefitError(f"{name}: not valid YAML: {e}") from None
    except RecursionError:
        raise RolefitError(f"{name}: nested too deeply (the limit is {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    if raw.lstrip()[:1] == b"{":
        # JSON is read as JSON, as `parse_quickly` reads it (YAML 1.1 would take 9e-1 for
        # text); YAML's nodes still say where each value is.
        as_json = _json_object(name, raw)
        if as_json is not None:
            data = as_json
    return Document(name, data, root)


def parse_quickly(name: str, raw: bytes) -> Document | None:
    """The file's data by a faster road than `parse`, or None to take `parse`.

    A JSON object goes to Python's JSON parser. Other YAML without anchors or tags is
    built straight from libyaml's events, about three times faster than building nodes
    first. Anything unusual (an anchor, a tag, a duplicate key, a number YAML 1.1
    misreads, deep nesting, too many values, a syntax error) returns None, and `parse`
    then reports it. The document has no line numbers either: callers that find a
    problem in the data parse the file again with `parse` to say where it is.
    """
    if raw.lstrip()[:1] == b"{":
        data = _json_object(name, raw)
        if data is not None:
            return Document(name, data, None)
    try:
        text = _text(name, raw)
    except RolefitError:
        return None
    if _rough_values(text) > MAX_VALUES:  # `parse` measures such a file faster, before building it
        return None
    import yaml

    try:
        found, data = _from_events(name, yaml.parse(text, Loader=_loader()))
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return None
    return Document(name, data, None) if found else None


def _json_object(name: str, raw: bytes) -> Any:
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs):
            raise ValueError("duplicate key")
        return data

    try:
        return json.loads(_text(name, raw), object_pairs_hook=no_duplicates)
    except (ValueError, RecursionError, RolefitError):
        return None


_NO_KEY = object()


def _from_events(name: str, events: Iterator[Any]) -> tuple[bool, Any]:
    """(True, data) built from parser events, or (False, None) if `parse` must take over.

    Scalars are resolved by PyYAML's own resolver and constructor, so the data is the
    same as `yaml.safe_load` gives; only the intermediate nodes are skipped.
    """
    import yaml

    resolver: Any = yaml.resolver.Resolver()  # its stubs leave resolve() untyped
    constructor = yaml.constructor.SafeConstructor()
    str_tag, merge_tag = "tag:yaml.org,2002:str", _MERGE_TAG
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    end_events = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    # Open collections: [container, key waiting for its value, raw keys seen]
    stack: list[list[Any]] = []
    root: Any = None
    count = 0
    for event in events:
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag not in (None, "!"):
                return False, None
            tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == str_tag:
                value: Any = event.value
            elif tag == merge_tag:
                return False, None
            else:
                if tag in (_INT_TAG, _FLOAT_TAG) and not _plain_number(tag, event.value):
                    return False, None
                node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                value = constructor.construct_object(node)
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag not in (None, "!"):
                return False, None
            if len(stack) >= MAX_DEPTH:
                return False, None
            stack.append([{} if kind is mapping_start else [], _NO_KEY, set()])
            count += 1
            if count > MAX_VALUES:
                return False, None  # `parse` reports it, at the same place
            continue
        elif kind in end_events:
            value = stack.pop()[0]
        elif issubclass(kind, yaml.NodeEvent):  # an alias
            return False, None
        else:  # stream and document boundaries
            continue
        count += 1
        if count > MAX_VALUES:  # counted as `_measure` counts, so the same message
            line = event.start_mark.line + 1
            raise _too_many_values(name, line)
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if isinstance(container, list):
            container.append(value)
        elif top[1] is _NO_KEY:
            if kind is not scalar_event or event.value in top[2]:  # a collection as a key, or a duplicate
                return False, None
            top[2].add(event.value)
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY
    return True, root


def _too_many_values(name: str, line: int) -> RolefitError:
    """The one message for a file over MAX_VALUES, whichever road counted its values."""
    return RolefitError(
        f"{name}:{line}: expands to more than {MAX_VALUES:,} values, aliases included (the limit for a file)"
    )


def _plain_number(tag: str, text: str) -> bool:
    """Whether a number reads as it looks (else `_check_number` has something to say)."""
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return False
    if tag == _INT_TAG:
        return _PLAIN_INT.fullmatch(text) is not None
    return ":" not in text and "_" not in text


def read_document(source: str | Path) -> Document:
    """Read and parse a YAML or JSON file (or stdin, "-") with line numbers."""
    return parse(*read_bytes(source))


def _loader() -> type[Any]:
    import yaml

    # libyaml is several times faster; PyYAML falls back to pure Python without it.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _rough_values(text: str) -> int:
    """About how many values a YAML text holds: one per separator (C-speed counting)."""
    return sum(text.count(mark) for mark in ("\n", ",", "[", "{", ": ", "- "))


def _measure(name: str, text: str) -> None:
    """Refuse deep nesting, recursive aliases and alias bombs from the parser's events,
    before any node is built.

    Building nodes is the slow part of reading YAML, so a file that may hold
    aliases, or looks large, is measured first (a second reading, which most files
    are spared). Each anchor's size is remembered, so an alias costs one step however much it
    stands for: a "billion laughs" file is refused at the line where it explodes.
    """
    import yaml

    sizes: dict[str, int] = {}  # anchor -> values it stands for
    open_: list[tuple[str | None, list[int]]] = []  # collections being read: (anchor, [values so far])
    total = 0
    scalar, end = yaml.ScalarEvent, yaml.CollectionEndEvent
    events: Iterator[Any] = yaml.parse(text, Loader=_loader())
    for event in events:
        kind = type(event)
        if kind is scalar and event.anchor is None:  # most events: counted without further questions
            total += 1
            if open_:
                open_[-1][1][0] += 1
            if total <= MAX_VALUES:
                continue
        if issubclass(kind, end):
            anchor, (count,) = open_.pop()
            if anchor is not None:
                sizes[anchor] = count
            if open_:
                open_[-1][1][0] += count
            continue
        if not issubclass(kind, yaml.NodeEvent):
            continue
        line = event.start_mark.line + 1 if event.start_mark else 0
        if kind is scalar and event.anchor is None:  # the scalar that went over the limit
            raise _too_many_values(name, line)
        count = 1
        if kind is yaml.AliasEvent and event.anchor is not None:
            if any(anchor == event.anchor for anchor, _ in open_):
                raise RolefitError(f"{name}:{line}: the alias *{event.anchor[:40]} refers to a value that contains it")
            count = sizes.get(event.anchor, 1)
        total += count
        if total > MAX_VALUES:
            raise _too_many_values(name, line)
        if issubclass(kind, yaml.CollectionStartEvent):
            if len(open_) >= MAX_DEPTH:
                raise RolefitError(f"{name}:{line}: nested too deeply (the limit is {MAX_DEPTH} levels)")
            open_.append((event.anchor, [1]))
            continue
        if kind is scalar:
            sizes[event.anchor] = 1
        if open_:
            open_[-1][1][0] += count


def _check_nodes(name: str, root: yaml.Node) -> None:
    """Refuse duplicate keys and numbers YAML 1.1 reads differently from the way they look.

    PyYAML keeps the last of two equal keys without a word; here a duplicated role
    or question id is an error. Nodes shared through aliases are checked once.
    Depth and size are checked here too, for the files `_measure` skips.
    """
    import yaml

    seen_nodes: set[int] = set()
    constructor = yaml.constructor.SafeConstructor()

    def check(node: yaml.Node, path: tuple[str, ...]) -> None:
        if id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
        line = node.start_mark.line + 1
        if len(path) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):  # as `_measure` counts
            raise RolefitError(f"{name}:{line}: nested too deeply (the limit is {MAX_DEPTH} levels)")
        if len(seen_nodes) > MAX_VALUES:
            raise RolefitError(f"{name}:{line}: more than {MAX_VALUES:,} values (the limit for a file)")
        if node.tag == _SET_TAG:  # a set's order changes from run to run (PYTHONHASHSEED)
            where = f"{name}:{line}: {'.'.join(path)}: " if path else f"{name}:{line}: "
            raise RolefitError(f"{where}a set (!!set) has no order: write a list instead")
        if isinstance(node, yaml.ScalarNode):
            if node.tag in (_INT_TAG, _FLOAT_TAG) and not node.style:
                _check_number(name, line, ".".join(path), node, constructor)
        elif isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                child_path = path
                if isinstance(key_node, yaml.ScalarNode):
                    child_path = (*path, str(key_node.value))
                    if key_node.tag != _MERGE_TAG:
                        key_line = key_node.start_mark.line + 1
                        if key_node.value in keys:
                            raise RolefitError(
                                f"{name}:{key_line}: {'.'.join(child_path)}: duplicate key {describe(key_node.value)}"
                                f" (first at line {keys[key_node.value]})"
                            )
                        keys[key_node.value] = key_line
                check(key_node, path)
                check(value_node, child_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                check(item, (*path, f"#{index + 1}"))

    check(root, ())


def _check_number(
    name: str, line: int, path: str, node: yaml.ScalarNode, constructor: yaml.constructor.SafeConstructor
) -> None:
    where = f"{name}:{line}: {path}: " if path else f"{name}:{line}: "
    digits = sum(c.isdigit() for c in node.value)
    if digits > MAX_DIGITS:
        raise RolefitError(f"{where}a number of {digits} digits (at most {MAX_DIGITS})")
    if node.tag == _INT_TAG and not _PLAIN_INT.fullmatch(node.value):
        value = constructor.construct_yaml_int(node)
        raise RolefitError(
            f"{where}YAML reads {node.value} as the number {value}:"
            " write it in plain decimal, or put it in quotes to keep it as text"
        )
    if node.tag == _FLOAT_TAG and (":" in node.value or "_" in node.value):
        number = constructor.construct_yaml_float(node)
        raise RolefitError(
            f"{where}YAML reads {node.value} as the number {number:g}:"
            " write it in plain decimal, or put it in quotes to keep it as text"
        )
