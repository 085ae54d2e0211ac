"""A cache of validated knowledge bases: a run on a file read before skips parsing
YAML (and PyYAML's import) and validating it (building the validator costs more
than the rest of a cached run).

An entry is data, never code: the validated knowledge base as JSON (written and
read by orjson), from which the records are built again field by field, by their
declared types, without validating them again. It is one file, named by a digest
of the source bytes and of rolefit's code, holding a header line and the JSON:

    rolefit-cache 3 <SHA-256 of the JSON>
    {"format": 3, "code": "<digest of rolefit's code>", "source": "<SHA-256 of the source bytes>",
     "knowledge_base": {...}}

An entry is used only if every one of those matches: the header, the digest of
the JSON, the format, the code that validated it, and the exact bytes of the file
being read (so an entry copied under another file's name is a miss). Building
the records checks the JSON's types, least lengths, the values' bounds and the
cross-references, so an entry that rolefit did not write is a miss, not a crash;
only ids' patterns are not checked again. Any miss, an unreadable or damaged entry included, reads
and validates the file as if there were no cache; writing is best effort.

The directory is trusted as `rolefit.private` trusts one: a real directory of the
user's that nobody else can write, or rolefit caches nothing, silently. Entries are
read and written as that module reads and writes files: never through a link, only
regular files of the user's, each written to a temporary file renamed into place.
Each write keeps the `KEEP` newest entries and removes the rest, and temporary
files that a killed run left behind.

Systems without `O_NOFOLLOW` and directory-relative file calls (Windows) get no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
import types
import typing
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from annotated_types import MinLen

from rolefit import __version__, private
from rolefit.files import MAX_BYTES
from rolefit.kb.models import KnowledgeBase, reference_problems
from rolefit.kb.rules import Rule

#: Set to a directory to cache there, or to an empty string to turn the cache off.
CACHE_ENV = "ROLEFIT_CACHE_DIR"
#: Raised whenever what an entry holds, or how it is read, changes.
FORMAT = 3
#: Entries kept: the most recently written ones (one per knowledge base and version of it).
KEEP = 8
#: A temporary file older than this (seconds) was left by a run that died.
STALE = 600
#: An entry is JSON of about the size of its YAML; anything much larger is not one of ours.
_MAX_ENTRY = 4 * MAX_BYTES
_HEADER = re.compile(rb"rolefit-cache (\d+) ([0-9a-f]{64})\n")
_MAGIC = b"rolefit-"  # how every entry has begun, this format's and earlier ones ("rolefit-kb-cache")
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_OLD_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.kb")  # entries of earlier formats, never read
_TEMPORARY_NAME = re.compile(r"\.[0-9a-f]{64}\.[0-9a-f]+\.tmp")  # as `private.write` names them


def cache_dir() -> Path | None:
    """Where entries go: `ROLEFIT_CACHE_DIR` if set (empty or relative: no cache), else the
    platform's cache directory for rolefit (`$XDG_CACHE_HOME/rolefit`, `~/.cache/rolefit`)."""
    return private.location(CACHE_ENV, _platform_cache_dir)


def _platform_cache_dir() -> str:
    import platformdirs

    # platformdirs ignores a relative XDG_CACHE_HOME, as the XDG specification says
    return platformdirs.user_cache_dir("rolefit", appauthor=False)


def load(raw: bytes) -> KnowledgeBase | None:
    """The cached knowledge base for a file with these bytes, or None."""
    source = hashlib.sha256(raw).hexdigest()
    directory = private.open_directory(cache_dir(), create=False)
    if directory is None:
        return None
    try:
        blob = private.read(directory, _entry_name(source), _MAX_ENTRY)
        return None if blob is None else _unpack(blob, source)
    except Exception:  # any entry that cannot be read or built is simply a miss
        return None
    finally:
        os.close(directory)


def store(raw: bytes, kb: KnowledgeBase) -> None:
    """Remember `kb` for files with these bytes, if the cache directory is there or can be made, and is safe."""
    source = hashlib.sha256(raw).hexdigest()
    directory = private.open_directory(cache_dir(), create=True)
    if directory is None:
        return
    try:
        _write_entry(directory, source, kb)
        _evict(directory)
    except (OSError, TypeError):  # TypeError: orjson's, for a value JSON cannot hold
        pass
    finally:
        os.close(directory)


def _write_entry(directory: int, source: str, kb: KnowledgeBase) -> None:
    body = orjson.dumps({"format": FORMAT, "code": _code_digest(), "source": source, "knowledge_base": kb})
    blob = b"rolefit-cache %d %s\n" % (FORMAT, hashlib.sha256(body).hexdigest().encode()) + body
    private.write(directory, _entry_name(source), blob)


def _unpack(blob: bytes, source: str) -> KnowledgeBase | None:
    header = _HEADER.match(blob)
    if header is None or int(header[1]) != FORMAT:
        return None
    body = blob[header.end() :]
    if hashlib.sha256(body).hexdigest().encode() != header[2]:
        return None
    entry = orjson.loads(body)
    if (entry.get("format"), entry.get("code"), entry.get("source")) != (FORMAT, _code_digest(), source):
        return None
    kb: KnowledgeBase = _builder(KnowledgeBase)(entry["knowledge_base"])
    # What spans records (every role on every trait, known ids) is cheap to check again,
    # and what scoring relies on: an entry not written by rolefit must not crash a run.
    return None if next(reference_problems(kb), None) is not None else kb


def _entry_name(source: str) -> str:
    return hashlib.sha256(f"{FORMAT}\0{_code_digest()}\0{source}".encode()).hexdigest() + ".json"


@cache
def _code_digest() -> str:
    """A digest of rolefit's version and every module of it: whatever could change how a
    file is validated, or how its records are built from an entry, changes this."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent.parent
    for module in sorted(package.rglob("*.py")):
        digest.update(b"\0" + module.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(module.read_bytes())
    return digest.hexdigest()


def _evict(directory: int) -> None:
    """Keep the KEEP newest entries; remove the others, old formats' entries and stale temporary files.

    An entry of other rolefit code (another version) counts among the KEEP as any other, and
    goes when it is among the oldest, not at once: two versions installed side by side may
    share the directory, and each removing the other's entries would make both runs misses."""
    entries: list[tuple[float, str]] = []
    now = time.time()
    with os.scandir(directory) as found:
        for item in found:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if _ENTRY_NAME.fullmatch(item.name):
                entries.append((info.st_mtime, item.name))
            elif (_OLD_ENTRY_NAME.fullmatch(item.name) and private.ours(directory, item.name, _MAGIC)) or (
                _TEMPORARY_NAME.fullmatch(item.name) and now - info.st_mtime > STALE
            ):
                private.remove(directory, item.name)
    entries.sort(reverse=True)
    for _, name in entries[KEEP:]:
        if private.ours(directory, name, _MAGIC):
            private.remove(directory, name)


# Building records from an entry's JSON ----------------------------------------------------------
#
# orjson writes a record as an object of its fields and a tuple as a list. A record's
# declared field types say how to build it back: each type's builder is made once, from
# `rolefit.kb.models`, and checks the JSON as it goes (an object with exactly the record's
# fields, a list, a string, a number...) against the same definitions pydantic validates
# with: a Literal's values, `annotated_types.MinLen`, and each `Rule`'s bounds through
# `Rule.checker` (an id's pattern is left to the validation the file had). So an entry not
# written by this code is a miss rather than a crash later. A type this cannot build is a
# TypeError when its builder is made; tests/test_cache.py makes the builder of every field
# type of every model, and round-trips a knowledge base that sets every field.


class _Mismatch(Exception):
    """An entry's JSON is not what the record types say."""


#: The JSON types each scalar type is built from (`type(...)`, so that true is no number).
_SCALARS: dict[Any, tuple[type, ...]] = {str: (str,), float: (int, float), int: (int,), bool: (bool,)}


@cache
def _builder(hint: Any) -> Callable[[Any], Any]:
    """A function that turns JSON data into a value of the type `hint`, or raises _Mismatch."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _annotated(args[0], args[1:])
    if origin is typing.Literal:
        return _leaf(hint, lambda value: type(value) is str and value in args)
    if hint in _SCALARS:
        kinds = _SCALARS[hint]
        return _leaf(hint, lambda value: type(value) in kinds)
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        return _record(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item, all_items = _builder(args[0]), _every(args[0])
        if all_items is not None:
            check = all_items
            return lambda values: tuple(values) if check(_checked(values, list, hint)) else _mismatch(hint)
        return lambda values: tuple(map(item, _checked(values, list, hint)))
    if origin is dict:
        key, value = _builder(args[0]), _builder(args[1])
        all_keys, all_values = _every(args[0]), _every(args[1])
        if all_keys is not None and all_values is not None:
            keys, values_ = all_keys, all_values
            return lambda values: (
                values if keys(_checked(values, dict, hint).keys()) and values_(values.values()) else _mismatch(hint)
            )
        return lambda values: {key(k): value(v) for k, v in _checked(values, dict, hint).items()}
    if origin in (typing.Union, types.UnionType):
        return _union(hint, args)
    raise TypeError(f"the cache cannot build {hint!r}")


def _every(hint: Any) -> Callable[[Collection[Any]], bool] | None:
    """For a scalar type and its rules: whether every value of a collection is one, checked at
    once by the types present and the least and greatest measure (the rules' bounds are
    comparisons, so those two decide). None for any other type. Warm runs of the benchmark's
    1,000-role file (50,000 trait places) took 434 ms with a check per value, 247 ms so."""
    base, rules = hint, []
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        if any(not isinstance(m, Rule) for m in metadata):
            return None
        rules = metadata
    if base not in _SCALARS:
        return None
    kinds = set(_SCALARS[base])
    measure: Callable[[Any], Any] | None = len if base is str else None  # None: the values themselves
    checks = [c for rule in rules if (c := rule.checker(base)) is not None]

    def every(values: Collection[Any]) -> bool:
        if not values:
            return True
        if not set(map(type, values)) <= kinds:
            return False
        least, most = min(values, key=measure), max(values, key=measure)
        return all(admits(least) and admits(most) for admits in checks)

    return every


def _mismatch(hint: Any) -> Any:
    raise _Mismatch(str(hint))


def _checked(value: Any, kind: type, hint: Any) -> Any:
    if type(value) is not kind:
        raise _Mismatch(str(hint))
    return value


def _leaf(hint: Any, accepts: Callable[[Any], bool]) -> Callable[[Any], Any]:
    def leaf(value: Any) -> Any:
        if not accepts(value):
            raise _Mismatch(str(hint))
        return value

    return leaf


def _annotated(inner_hint: Any, metadata: tuple[Any, ...]) -> Callable[[Any], Any]:
    """A constrained type: a scalar within its `Rule` (checked in one call, as most fields
    are such scalars), or a collection of at least `MinLen` items."""
    if inner_hint in _SCALARS:
        kinds = _SCALARS[inner_hint]
        checks = [c for m in metadata if isinstance(m, Rule) and (c := m.checker(inner_hint)) is not None]
        if not checks:
            return _leaf(inner_hint, lambda value: type(value) in kinds)
        if len(checks) == 1:
            (admits,) = checks
            return _leaf(inner_hint, lambda value: type(value) in kinds and admits(value))
        return _leaf(inner_hint, lambda value: type(value) in kinds and all(admits(value) for admits in checks))
    inner = _builder(inner_hint)
    least = max((m.min_length for m in metadata if isinstance(m, MinLen)), default=0)
    if not least:
        return inner

    def at_least(value: Any) -> Any:
        built = inner(value)
        if len(built) < least:
            raise _Mismatch(str(inner_hint))
        return built

    return at_least


def _record(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = [(name, _builder(hints[name])) for name in cls.__dataclass_fields__]  # type: ignore[attr-defined]
    names = {name for name, _ in fields}

    new, put = object.__new__, object.__setattr__

    def record(data: Any) -> Any:
        if type(data) is not dict or data.keys() != names:
            raise _Mismatch(cls.__name__)
        # Every field is there (checked above), so each is set as the record's constructor
        # would, without its look-ups of defaults: part of the 187 ms a per-value build cost
        # warm runs of a 1,000-role file. Guarded by test_records_built_from_an_entry_*.
        built: Any = new(cls)
        for name, build in fields:
            put(built, name, build(data[name]))
        return built

    return record


def _union(hint: Any, args: tuple[Any, ...]) -> Callable[[Any], Any]:
    """The first alternative that the JSON value builds as, in the order declared; None as None."""
    alternatives = [_builder(a) for a in args if a is not type(None)]
    optional = type(None) in args

    def union(value: Any) -> Any:
        if value is None and optional:
            return None
        for build in alternatives:
            try:
                return build(value)
            except _Mismatch:
                continue
        raise _Mismatch(str(hint))

    return union
