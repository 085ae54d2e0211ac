"""Reading YAML (and so JSON) documents from users' files, safely and with line numbers.

Knowledge bases and answers files are untrusted: they may be huge, binary, not
UTF-8, nested without end, or built from aliases that explode when walked. Each
of those becomes a RolefitError naming the file (and the line, where there is one).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolefit.errors import RolefitError, describe

if TYPE_CHECKING:
    import yaml

#: Far above any real knowledge base (1,000 roles take about 1.4 MB).
MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
#: Values in the document once every alias is expanded.
MAX_VALUES = 2_000_000

_MERGE_TAG = "tag:yaml.org,2002:merge"

Location = Sequence[str | int]


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, and the YAML nodes that say where each value was."""

    name: str
    data: Any
    root: yaml.Node | None

    def line_of(self, loc: Location) -> int | None:
        """The line (1-based) of the value at `loc`, or of its nearest parent found.

        For a mapping value this is the line of its key, where the field's name is.
        """
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in loc:
            found = _child(node, key)
            if found is None:
                break
            node, line = found
        return line

    def error(self, loc: Location, message: str) -> RolefitError:
        """An error naming this file, the line of `loc` and the field path."""
        return RolefitError(self.problem(loc, message))

    def problem(self, loc: Location, message: str) -> str:
        line = self.line_of(loc)
        where = f"{self.name}:{line}" if line else self.name
        path = format_location(self.data, loc)
        return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def format_location(data: Any, loc: Location) -> str:
    """`roles.personal-trainer.traits.group_energy`; list items are named by their id."""
    parts: list[str] = []
    for key in loc:
        if key == "[key]":
            break
        if isinstance(key, int):
            item = data[key] if isinstance(data, list) and -len(data) <= key < len(data) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(ident if isinstance(ident, str) and ident else f"#{key + 1}")
            data = item
        else:
            parts.append(str(key))
            data = data.get(key) if isinstance(data, dict) else None
    return ".".join(parts)


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, int] | None:
    """The node under `key` and the line that names it."""
    import yaml  # already loaded: there are nodes only when YAML parsed the file

    if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
        if -len(node.value) <= key < len(node.value):
            item = node.value[key]
            return item, item.start_mark.line + 1
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return value_node, key_node.start_mark.line + 1
    return None


def read_bytes(source: str | Path) -> tuple[str, bytes]:
    """(name for messages, contents) of a file, or of stdin when `source` is "-"."""
    if str(source) == "-":
        name = "<stdin>"
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(source)
        name = str(path)
        try:
            if path.is_dir():
                raise RolefitError(f"{name}: is a directory, not a file")
            with path.open("rb") as f:
                raw = f.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise RolefitError(f"{name}: no such file") from None
        except PermissionError:
            raise RolefitError(f"{name}: permission denied") from None
        except OSError as e:
            raise RolefitError(f"{name}: cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise RolefitError(f"{name}: larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a file")
    return name, raw


def parse(name: str, raw: bytes) -> Document:
    """Parse YAML or JSON text into plain data with line numbers."""
    if b"\0" in raw:
        raise RolefitError(f"{name}: looks like a binary file, not YAML or JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise RolefitError(f"{name}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x})") from None
    import yaml

    loader = _loader()(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_nodes(name, root)
            data = loader.construct_document(root)
        else:
            data = None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        raise RolefitError(f"{where}: not valid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise RolefitError(f"{name}: not valid YAML: {e}") from None
    except RecursionError:
        raise RolefitError(f"{name}: nested too deeply (the limit is {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    return Document(name, data, root)


def parse_json_quickly(name: str, raw: bytes) -> Document | None:
    """A JSON file parsed without YAML (much cheaper to import), or None if that fails.

    The document has no line numbers: callers that find a problem in it parse the
    file again with `parse` to report where the problem is.
    """
    if not raw.lstrip()[:1] == b"{":
        return None
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs):
            raise ValueError("duplicate key")
        return data

    try:
        return Document(name, json.loads(raw.decode("utf-8-sig"), object_pairs_hook=no_duplicates), None)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, a duplicate key, too deep: YAML will say which
        return None


def read_document(source: str | Path) -> Document:
    """Read and parse a YAML or JSON file (or stdin, "-")."""
    return parse(*read_bytes(source))


def _loader() -> type[Any]:
    import yaml

    # libyaml is several times faster; PyYAML falls back to pure Python without it.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[no-any-return]


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` so that a reader sees the old file or the new one, never half of one.

    The text goes to a temporary file in the same directory, which is renamed over `path`.
    """
    import tempfile

    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600): keep an old file's mode, or give the usual one.
        if path.is_file():
            mode = stat.S_IMODE(path.stat().st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as e:
        Path(temporary).unlink(missing_ok=True)
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_nodes(name: str, root: yaml.Node) -> None:
    """Refuse duplicate keys, deep nesting and alias bombs before building any data.

    PyYAML keeps the last of two equal keys without a word; here a duplicated role
    or question id is an error. Aliases share nodes, so sizes are memoised per node:
    a "billion laughs" file is measured in a few steps instead of expanded.
    """
    import yaml

    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, path: tuple[str, ...]) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            line = node.start_mark.line + 1
            raise RolefitError(f"{name}:{line}: nested too deeply (the limit is {MAX_DEPTH} levels)")
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
                    line = key_node.start_mark.line + 1
                    if key_node.value in seen:
                        where = ".".join((*path, key_node.value))
                        raise RolefitError(
                            f"{name}:{line}: {where}: duplicate key {describe(key_node.value)}"
                            f" (first at line {seen[key_node.value]})"
                        )
                    seen[key_node.value] = line
                child_path = (*path, str(key_node.value)) if isinstance(key_node, yaml.ScalarNode) else path
                total += size(key_node, depth + 1, path) + size(value_node, depth + 1, child_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                total += size(item, depth + 1, (*path, f"#{index + 1}"))
        if total > MAX_VALUES:
            raise RolefitError(
                f"{name}: expands to more than {MAX_VALUES:,} values (aliases repeated too often)"
            )
        sizes[id(node)] = total
        return total

    size(root, 0, ())
