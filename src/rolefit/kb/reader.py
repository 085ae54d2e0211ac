"""Reading YAML (and so JSON) documents from users' files: in one pass, safely, with line numbers.

Knowledge bases and answers files are untrusted: they may be huge, binary, not
UTF-8, nested without end, or built from aliases that explode when walked. One
pass over libyaml's parser events builds the plain data and refuses each of
those as soon as it shows, before anything big is built, along with YAML's
traps: duplicate keys, numbers YAML 1.1 reads differently from the way they
look, and sets. The same pass notes the line of every key and list item, so that
a problem found later in the data (by the schema, say) can still say where it is.
Each refusal is a RolefitError naming the file, and the line where there is one.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolefit.errors import RolefitError, quoted
from rolefit.files import read_bytes
from rolefit.kb.plainjson import DECLINED, decode, plain_json

if TYPE_CHECKING:  # yaml is imported only when a file has to be parsed
    import yaml

MAX_DEPTH = 64
#: Values (keys, items and scalars) once every alias is expanded. The built-in
#: knowledge base has about 1,300, one of 5,000 roles about 800,000.
MAX_VALUES = 1_000_000

#: Digits in a number: beyond this it is a mistake, and Python refuses to read
#: integers of more than 4,300 digits anyway.
MAX_DIGITS = 40

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _SET = _TAG + "str", _TAG + "int", _TAG + "float", _TAG + "set"
_SEQ, _MAP, _OMAP, _PAIRS = _TAG + "seq", _TAG + "map", _TAG + "omap", _TAG + "pairs"
_MERGE, _VALUE = _TAG + "merge", _TAG + "value"  # what the keys `<<` and `=` resolve to
#: Integers as people write them; YAML 1.1 also reads 010 as octal 8, 0x10 as 16,
#: 1:30 as 90 and 1_000 as 1000, which nobody writing a weight means.
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
#: A set's order changes from run to run (PYTHONHASHSEED).
_NO_SETS = "a set (!!set) has no order: write a list instead"

#: Keys and list indexes from the top of a document: `rolefit.kb.models.Location`, or pydantic's.
KeyPath = Sequence[str | int]
#: Per mapping or list read (by id): the line of each of its keys as written, or of each item.
Lines = dict[int, dict[str, int] | list[int]]


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, and the lines its keys and list items were on."""

    name: str
    data: Any
    #: What `lines` describes: `data` itself, but for JSON, whose values are JSON's,
    #: the same document as YAML read it.
    tree: Any = field(default=None, repr=False, compare=False)
    lines: Lines = field(default_factory=dict, repr=False, compare=False)
    #: The line where the document's value starts; None for a file without one.
    root_line: int | None = None
    #: A JSON document read by `json` alone (see `plainjson.plain_json`): its text, from which
    #: the YAML reader notes the lines the first time one is asked for.
    text: str | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def _located(self) -> tuple[Any, Lines, int | None]:
        if self.text is None:
            return self.tree, self.lines, self.root_line
        tree, reader = _read_yaml(self.name, self.text)
        return tree, reader.lines, reader.root_line

    def line_of(self, loc: KeyPath) -> int | None:
        """The line (1-based) of the value at `loc`, or of its nearest parent found.

        For a mapping value this is the line of its key, where the field's name is.
        """
        value, lines, line = self._located
        if line is None:
            return None
        for key in loc:
            found = lines.get(id(value)) if isinstance(value, (dict, list)) else None
            if isinstance(found, list) and isinstance(key, int) and -len(found) <= key < len(found):
                value, line = value[key], found[key]
            elif isinstance(found, dict) and str(key) in found:  # keys are noted as written
                value, line = value.get(key), found[str(key)]
            else:
                break
        return line

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


def read_document(source: str | Path) -> Document:
    """Read and parse a YAML or JSON file (or stdin, "-") with line numbers."""
    return parse(*read_bytes(source))


def parse(name: str, raw: bytes) -> Document:
    """Parse YAML (or JSON) into plain data, noting the line of every key and list item."""
    text = decode(name, raw)
    data: Any = DECLINED
    if raw.lstrip()[:1] == b"{":
        data = plain_json(text, max_depth=MAX_DEPTH, max_values=MAX_VALUES, max_digits=MAX_DIGITS)
        if data is not DECLINED:
            return Document(name, data, text=text)
        import json

        # Else YAML in flow style, not JSON (or JSON too deep, which the YAML pass refuses).
        with contextlib.suppress(ValueError, RecursionError):
            data = json.loads(text)
    # JSON is YAML: the pass below checks it (a repeated key included) and notes its lines.
    # Its values are JSON's, though: YAML 1.1 would take 9e-1 for text.
    tree, reader = _read_yaml(name, text if data is DECLINED else _as_yaml(text))
    return Document(name, tree if data is DECLINED else data, tree, reader.lines, reader.root_line)


#: In a JSON document, what the YAML reader refuses or reads otherwise: an escaped surrogate
#: pair (as `json.dump` writes any character beyond U+FFFF), the characters YAML does not
#: allow in a file or takes for line breaks, and tabs; any other escape, so that an escaped
#: backslash is never taken for the start of one.
_NOT_YAML = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\.|[\x7f-\x9f\u2028\u2029\ufffe\uffff\t]"
)


def _as_yaml(text: str) -> str:
    """A JSON document written so that the YAML reader takes it, reads each string as JSON
    does and notes the lines it is on: a surrogate pair as one `\\U` escape (libyaml refuses
    the pair), one of those characters as a `\\u` escape (JSON has them only within strings),
    and a tab (only between tokens) as a space."""

    def escaped(found: re.Match[str]) -> str:
        written = found.group()
        if len(written) == 12:
            high, low = int(written[2:6], 16), int(written[8:12], 16)
            return f"\\U{0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00):08x}"
        if written == "\t":
            return " "
        return written if written.startswith("\\") else f"\\u{ord(written):04x}"

    return _NOT_YAML.sub(escaped, text)


def _read_yaml(name: str, text: str) -> tuple[Any, _Reader]:
    """The data as YAML reads it, and the reader that noted its lines; every check is here."""
    import yaml

    # libyaml is several times faster; PyYAML falls back to pure Python without it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    reader = _Reader(name)
    try:
        return reader.read(loader.get_event), reader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        if "nesting depth" in str(e.problem):  # libyaml's own limit, met while scanning ahead
            raise RolefitError(f"{where}: nested too deeply (the limit is {MAX_DEPTH} levels)") from None
        if "invalid Unicode character escape" in str(e.problem):  # JSON's too: half a pair is no text
            raise RolefitError(f"{where}: an escape that names no character (half of a surrogate pair?)") from None
        raise RolefitError(f"{where}: not valid YAML: {e.problem or e.context}") from None
    except (yaml.YAMLError, ValueError, OverflowError) as e:  # a value the checks did not foresee
        raise RolefitError(f"{name}: not valid YAML: {e}") from None
    finally:
        loader.dispose()


_NO_KEY = object()  # the state of a mapping whose next value is a key
_ITEM = object()  # the state of a list: its next value is an item
_MERGED = object()  # the key `<<`: its value is merged into the mapping


class _Open:
    """A mapping or list being read, from its start event to its end event."""

    __slots__ = ("anchor", "key", "line", "lines", "merges", "raw", "start", "tag", "value")

    def __init__(self, value: Any, anchor: str | None, start: int, tag: str | None, line: int) -> None:
        mapping = isinstance(value, dict)
        self.value, self.anchor, self.start, self.tag, self.line = value, anchor, start, tag, line
        self.lines: Any = {} if mapping else []  # the line of each key as written, or of each item
        self.key: Any = _NO_KEY if mapping else _ITEM  # for a mapping, the key of the value to come...
        self.raw = ""  # ...and that key as written, for messages
        self.merges: list[dict[Any, Any]] | None = None  # mappings merged in with `<<`, as written


class _Reader:
    """Builds one document's data from parser events; see the module's docstring."""

    def __init__(self, name: str) -> None:
        import yaml

        self.name = name
        self.lines: Lines = {}
        self.root_line: int | None = None
        self.stack: list[_Open] = []
        self.declared: dict[str, int] = {}  # every anchor met: the line it is on
        self.anchors: dict[str, tuple[Any, int, str | None]] = {}  # when complete: value, size, text if a scalar
        self.plain: dict[str, Any] = {}  # plain scalars resolved before, by text: mostly numbers and keys
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver: Any = yaml.resolver.Resolver()  # its stubs leave resolve() untyped

    def read(self, next_event: Callable[[], Any]) -> Any:
        """The document's data, from the parser's events up to the end of the stream.

        Values are counted as they are built, an alias as the size of what it stands
        for: a "billion laughs" costs one step per alias, and is refused on the line
        where it goes over MAX_VALUES.
        """
        import yaml

        scalar, alias, ends = yaml.ScalarEvent, yaml.AliasEvent, (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        starts = {yaml.MappingStartEvent: dict, yaml.SequenceStartEvent: list}
        # A plain scalar that starts as none of YAML's implicit types can start is text:
        # most words skip the resolver's regular expressions.
        typed_starts, known, plain_int = self.resolver.yaml_implicit_resolvers, self.plain, _PLAIN_INT.fullmatch
        stack, count, top, root, documents = self.stack, 0, None, None, 0
        for event in iter(next_event, None):
            kind = type(event)
            if kind is scalar:
                line, text = event.start_mark.line + 1, event.value
                if event.tag is None and not (event.implicit[0] and text[:1] in typed_starts):
                    value = text  # quoted, or plain and text by its first character
                elif event.tag is None and text in known:
                    value = known[text]
                elif event.tag is None and len(text) <= MAX_DIGITS and plain_int(text):
                    value = int(text)  # what YAML makes of plain decimal, without the resolver's detours
                else:
                    value = self._scalar(event, line, top is not None and top.key is _NO_KEY)
                count += 1
                if event.anchor is not None:
                    self._declare(event.anchor, line)
                    self.anchors[event.anchor] = (value, 1, text)
            elif kind is alias:
                line = event.start_mark.line + 1
                value, size, text = self._alias(event.anchor, line, top is not None and top.key is _NO_KEY)
                count += size
            elif kind in starts:
                line, count = event.start_mark.line + 1, count + 1
                if count > MAX_VALUES:
                    raise self._too_many(line)
                if len(stack) >= MAX_DEPTH:
                    raise self._fail(line, f"nested too deeply (the limit is {MAX_DEPTH} levels)")
                tag = self._collection_tag(event, kind is yaml.MappingStartEvent, line)
                if top is not None and top.key is _NO_KEY:
                    raise self._invalid(line, "found unhashable key")
                if event.anchor is not None:
                    self._declare(event.anchor, line)
                top = _Open(starts[kind](), event.anchor, count - 1, tag, line)
                self.lines[id(top.value)] = top.lines
                stack.append(top)
                continue
            elif kind in ends:
                done = stack.pop()
                top = stack[-1] if stack else None
                value, line, text = self._finish(done), done.line, None
                if done.anchor is not None:
                    self.anchors[done.anchor] = (value, count - done.start, None)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self._invalid(event.start_mark.line + 1, "but found another document")
                continue
            else:  # the stream's start and end, a document's end
                continue
            if count > MAX_VALUES:
                raise self._too_many(line)
            # The value in its place: the document, an item, a mapping's key or its value.
            if top is None:
                root, self.root_line = value, line
                continue
            key = top.key
            if key is _ITEM:
                top.value.append(value)
                top.lines.append(line)
            elif key is _NO_KEY:
                if text is None or value is _MERGED or text in top.lines:
                    self._key(top, value, text, line)  # refused, or `<<`
                else:
                    top.lines[text] = line
                    top.key, top.raw = value, text
            elif key is _MERGED:
                self._merge(top, value, line)
            else:
                top.value[key] = value
                top.key = _NO_KEY
        return root

    def _key(self, top: _Open, key: Any, text: str | None, line: int) -> None:
        """A key other than a new one: refused if written twice (PyYAML keeps the last without a word)."""
        if text is None:  # an alias of a mapping or list
            raise self._invalid(line, "found unhashable key")
        if key is not _MERGED:  # `<<` may come more than once
            first = top.lines[text]
            raise self._fail(line, f"{self._path(text)}: duplicate key {quoted(text)} (first at line {first})")
        top.key, top.raw = key, text

    def _scalar(self, event: Any, line: int, as_key: bool) -> Any:
        """A scalar that may not be text, resolved and constructed as `yaml.safe_load` does."""
        import yaml

        text, tag, plain = event.value, event.tag, not event.style
        remembered = plain and tag is None  # then its value follows from its text alone
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, text, event.implicit)
        if tag == _SET:
            raise self._fail(line, _NO_SETS, at_path=True)
        if as_key and tag == _MERGE:
            return _MERGED
        if tag == _STR or (as_key and tag == _VALUE):  # PyYAML reads `=` as a key as text, elsewhere refuses it
            value = text
        else:
            node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
            if plain and tag in (_INT, _FLOAT):
                self._check_number(node, line)
            value = self._construct(node, line)
        if remembered and tag != _VALUE:
            self.plain[text] = value
        return value

    def _construct(self, node: yaml.Node, line: int) -> Any:
        """A node constructed as `yaml.safe_load` constructs it, errors included."""
        try:
            return self.constructor.construct_document(node)
        except (ValueError, OverflowError) as e:  # a date that is no date, say
            raise self._invalid(line, str(e)) from None

    def _collection_tag(self, event: Any, mapping: bool, line: int) -> str | None:
        """None for a plain mapping or list, the tag of ordered pairs (read as pairs), or an error."""
        tag = event.tag
        if tag is None or tag == "!" or tag == (_MAP if mapping else _SEQ):
            return None
        if tag == _SET:
            raise self._fail(line, _NO_SETS, at_path=True)
        if not mapping and tag in (_OMAP, _PAIRS):
            return str(tag)
        import yaml

        # PyYAML refuses any other tag whatever the content, so an empty node of the kind
        # gets its refusal in its words (no constructor for the tag, a scalar expected...).
        kind = yaml.MappingNode if mapping else yaml.SequenceNode
        self._construct(kind(tag, [], event.start_mark, event.end_mark), line)
        raise self._invalid(line, f"could not determine a constructor for the tag {tag!r}")

    def _alias(self, anchor: str, line: int, as_key: bool) -> tuple[Any, int, str | None]:
        """What `*anchor` stands for: its value, its size in values, and its text if a scalar."""
        if anchor not in self.declared:
            raise self._invalid(line, f"found undefined alias *{anchor[:40]}")
        found = self.anchors.get(anchor)
        if found is None:  # declared but not complete: the alias is inside it
            raise self._fail(line, f"the alias *{anchor[:40]} refers to a value that contains it")
        if found[0] is _MERGED and not as_key:  # an anchored `<<` key, as a value
            raise self._invalid(line, f"could not determine a constructor for the tag {_MERGE!r}")
        return found

    def _declare(self, anchor: str, line: int) -> None:
        if anchor in self.declared:  # refused as libyaml's composer, which PyYAML uses, refuses it
            first = self.declared[anchor]
            raise self._invalid(line, f"found duplicate anchor &{anchor[:40]} (first at line {first})")
        self.declared[anchor] = line

    def _merge(self, top: _Open, value: Any, line: int) -> None:
        """`<<: *defaults` or `<<: [*a, *b]`: mappings whose keys this one takes, unless it has them.

        The mapping's own keys win, then those of the mappings merged in the order written
        (YAML's rule; PyYAML's own choice among merged mappings has changed between
        releases). Copying them is bounded: each alias was counted at its full size.
        """
        if not isinstance(value, (dict, list)):
            raise self._invalid(line, "expected a mapping or list of mappings for merging, but found scalar")
        sources = value if isinstance(value, list) else [value]
        for index, source in enumerate(sources):
            if not isinstance(source, dict):
                where: Any = self.lines[id(value)]
                raise self._invalid(where[index], f"expected a mapping for merging, but found {_kind(source)}")
        top.merges = (top.merges or []) + sources
        top.key = _NO_KEY

    def _finish(self, done: _Open) -> Any:
        """A mapping or list at its end, with merges applied and ordered pairs made pairs."""
        value = done.value
        if done.merges:
            merged: dict[Any, Any] = {}
            lines: dict[str, int] = {}
            for source in done.merges:
                for key, item in source.items():
                    merged.setdefault(key, item)
                for raw, line in self.lines[id(source)].items():  # type: ignore[union-attr]
                    lines.setdefault(raw, line)
            merged.update(value)
            lines.update(done.lines)
            # A new object, while the explicit mapping goes and its id may be reused: as every
            # mapping and list notes its lines when it is made, no stale entry is ever found.
            self.lines[id(merged)] = lines
            return merged
        if done.tag is not None:  # !!omap or !!pairs: one-key mappings, read as (key, value)
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    message = f"expected a mapping of length 1, but found {_kind(item)}"
                elif len(item) != 1:
                    message = f"expected a single mapping item, but found {len(item)} items"
                else:
                    value[index] = next(iter(item.items()))
                    continue
                raise self._invalid(done.lines[index], f"{message}")
        return value

    def _check_number(self, node: yaml.ScalarNode, line: int) -> None:
        """Refuse a number that is too long, or that YAML 1.1 reads differently from the way it looks."""
        text = node.value
        digits = sum(c.isdigit() for c in text) if len(text) > MAX_DIGITS else 0
        if digits > MAX_DIGITS:
            raise self._fail(line, f"a number of {digits} digits (at most {MAX_DIGITS})", at_path=True)
        if node.tag == _INT and not _PLAIN_INT.fullmatch(text):
            number = str(self._construct(node, line))
        elif node.tag == _FLOAT and (":" in text or "_" in text):
            number = f"{self._construct(node, line):g}"
        else:
            return
        advice = "write it in plain decimal, or put it in quotes to keep it as text"
        raise self._fail(line, f"YAML reads {text} as the number {number}: {advice}", at_path=True)

    def _path(self, *last: str) -> str:
        """`quizzes.pick.questions.#2.weight`: the keys as written and the item numbers down to here."""
        parts = [o.raw if o.key is not _ITEM else f"#{len(o.value) + 1}" for o in self.stack if o.key is not _NO_KEY]
        return ".".join([*parts, *last])

    def _fail(self, line: int, message: str, *, at_path: bool = False) -> RolefitError:
        """An error naming the file and the line; `at_path`: and the path down to the value at hand."""
        path = self._path() if at_path else ""
        return RolefitError(f"{self.name}:{line}: {path}: {message}" if path else f"{self.name}:{line}: {message}")

    def _invalid(self, line: int, message: str) -> RolefitError:
        return self._fail(line, f"not valid YAML: {message}")

    def _too_many(self, line: int) -> RolefitError:
        return self._fail(line, f"expands to more than {MAX_VALUES:,} values, aliases included (the limit for a file)")


def _kind(value: Any) -> str:
    """A value's kind of node, in PyYAML's words."""
    return "mapping" if isinstance(value, dict) else "sequence" if isinstance(value, list) else "scalar"
