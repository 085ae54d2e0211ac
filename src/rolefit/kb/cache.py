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

The directory is trusted only when it is safe: it must be a real directory (not
a symbolic link), belong to the user and be writable by nobody else; otherwise
rolefit caches nothing, silently. Entries are opened relative to the directory,
without following links, and only regular files of the user's are read. An entry
is written to a temporary file in the directory and renamed into place, so a link,
a device or a pipe left under an entry's name is replaced, never written through.
Each write keeps the `KEEP` newest entries and removes the rest, and temporary
files that a killed run left behind.

Systems without `O_NOFOLLOW` and directory-relative file calls (Windows) get no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import time
import types
import typing
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from annotated_types import MinLen

from rolefit import __version__
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
_TEMPORARY_NAME = re.compile(r"\.[0-9a-f]{64}\.[0-9a-f]+\.tmp")
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_SUPPORTED = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "geteuid")
    and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd  # os.replace: as os.rename
)


def cache_dir() -> Path | None:
    """Where entries go: `ROLEFIT_CACHE_DIR` if set (empty or relative: no cache), else the
    platform's cache directory for rolefit (`$XDG_CACHE_HOME/rolefit`, `~/.cache/rolefit`)."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:  # `~` is the home directory; a relative path is ignored, as XDG's are
        try:
            chosen = Path(configured).expanduser()
        except RuntimeError:  # `~someone` who does not exist
            return None
        return chosen if configured and chosen.is_absolute() else None
    import platformdirs

    try:  # platformdirs ignores a relative XDG_CACHE_HOME, as the XDG specification says
        found = Path(platformdirs.user_cache_dir("rolefit", appauthor=False))
    except Exception:  # no home directory to be found
        return None
    return found if found.is_absolute() else None  # a relative HOME: no cache that moves with the directory


def load(raw: bytes) -> KnowledgeBase | None:
    """The cached knowledge base for a file with these bytes, or None."""
    source = hashlib.sha256(raw).hexdigest()
    directory = _open_directory(create=False)
    if directory is None:
        return None
    try:
        blob = _read_entry(directory, _entry_name(source))
        return None if blob is None else _unpack(blob, source)
    except Exception:  # any entry that cannot be read or built is simply a miss
        return None
    finally:
        os.close(directory)


def store(raw: bytes, kb: KnowledgeBase) -> None:
    """Remember `kb` for files with these bytes, if the cache directory is there or can be made, and is safe."""
    source = hashlib.sha256(raw).hexdigest()
    directory = _open_directory(create=True)
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
    """Write the entry by a temporary file in the directory, renamed into place: whatever
    stood under the entry's name (a link, a pipe) is replaced, never written through."""
    body = orjson.dumps({"format": FORMAT, "code": _code_digest(), "source": source, "knowledge_base": kb})
    blob = b"rolefit-cache %d %s\n" % (FORMAT, hashlib.sha256(body).hexdigest().encode()) + body
    name = _entry_name(source)
    temporary = f".{name.removesuffix('.json')}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
    fd = os.open(temporary, flags, 0o600, dir_fd=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        _unlink(directory, temporary)
        raise


def _open_directory(*, create: bool) -> int | None:
    """A descriptor of the cache directory if it is safe to use (see the module's
    docstring), else None. With `create`, a missing directory is made (private), and
    its parent if need be, but no further: a missing home directory means no cache."""
    if not _SUPPORTED:
        return None
    path = cache_dir()
    if path is None:
        return None
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
    try:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                return None
            if not path.parent.is_dir():
                path.parent.mkdir(mode=0o700)
            path.mkdir(mode=0o700)
            fd = os.open(path, flags)
    except OSError:  # not there, a link, not a directory, or not ours to make
        return None
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o022:
        os.close(fd)
        return None
    return fd


def _read_entry(directory: int, name: str) -> bytes | None:
    """An entry's bytes, if it is a regular file of the user's that only they can write."""
    try:
        # O_NONBLOCK: a named pipe left under an entry's name must not make a run wait.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        if info.st_size > _MAX_ENTRY:
            return None
        return f.read(info.st_size + 1)


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
            elif (_OLD_ENTRY_NAME.fullmatch(item.name) and _ours(directory, item.name)) or (
                _TEMPORARY_NAME.fullmatch(item.name) and now - info.st_mtime > STALE
            ):
                _unlink(directory, item.name)
    entries.sort(reverse=True)
    for _, name in entries[KEEP:]:
        if _ours(directory, name):
            _unlink(directory, name)


def _ours(directory: int, name: str) -> bool:
    """Whether a file named like an entry begins as rolefit's entries do: a directory given
    as the cache may hold other files of such names, and those are never removed."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=directory)
    except OSError:
        return False
    try:
        return os.read(fd, len(_MAGIC)) == _MAGIC
    finally:
        os.close(fd)


def _unlink(directory: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=directory)


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
