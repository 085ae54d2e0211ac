"""A cache of validated knowledge bases, so that a run on an unchanged file skips
YAML parsing and pydantic validation, and even their imports.

Entries are keyed by a hash of the file's bytes together with rolefit's version
and the source of the modules that define and validate the schema: an edited
file, or an edited schema, never meets an old entry. Each entry carries a digest
of its contents and is checked before use; a corrupt, foreign or unreadable entry
is a miss. Writing is best effort: a read-only or missing cache directory only
means no cache.

An entry holds two pickles, each with its size and digest: the knowledge base as
scoring reads it (`KnowledgeBase.for_scoring`: a fraction of the whole to load),
then the whole. A run reads only the
one it needs. Both hold `rolefit.models` classes only, read by an unpickler that
refuses every other class, from a directory that must belong to the user and be
writable by nobody else.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
import sys
from pathlib import Path
from typing import Any, BinaryIO

from rolefit import __version__
from rolefit.documents import write_atomic
from rolefit.errors import RolefitError
from rolefit.models import KnowledgeBase, Placements, remember_placements

#: Set to a directory to cache there, or to an empty string to turn the cache off.
CACHE_ENV = "ROLEFIT_CACHE_DIR"
_MAGIC = b"rolefit-kb-cache 2\n"
_DIGEST = hashlib.sha256().digest_size
_SIZE = struct.Struct("<Q")
_UNDESCRIBED, _DESCRIBED = 0, 1  # the parts of an entry, in order


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rolefit"


def _fingerprint() -> bytes:
    """What, besides the file, decides the validated result: this code's version and schema."""
    here = Path(__file__).parent
    parts = [__version__.encode(), sys.version.encode()]
    for module in ("models.py", "schema.py", "documents.py", "knowledge.py"):
        try:
            parts.append((here / module).read_bytes())
        except OSError:
            parts.append(module.encode())
    return b"\0".join(parts)


def _entry(raw: bytes) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(_fingerprint() + b"\0" + raw).hexdigest()
    return directory / f"{key}.kb"


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "rolefit.models":
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def load(raw: bytes, *, described: bool = True) -> KnowledgeBase | None:
    """The cached knowledge base for a file with these bytes, or None.

    With `described=False`, the knowledge base as scoring reads it, its placements
    remembered (see `KnowledgeBase.for_scoring`): for runs that only score.
    """
    entry = _entry(raw)
    if entry is None:
        return None
    try:
        info = entry.stat()
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
            return None
        with entry.open("rb") as f:
            payload = _read_part(f, _DESCRIBED if described else _UNDESCRIBED)
        if payload is None:
            return None
        found = _ModelsOnly(io.BytesIO(payload)).load()
    except Exception:  # any unreadable entry is simply a miss
        return None
    if described:
        return found if isinstance(found, KnowledgeBase) else None
    match found:
        case (KnowledgeBase() as kb, Placements() as placed):
            remember_placements(kb, placed)
            return kb
    return None


def store(raw: bytes, kb: KnowledgeBase) -> None:
    """Remember `kb` for files with these bytes, if the cache directory can be written."""
    entry = _entry(raw)
    if entry is None:
        return
    parts = [kb.for_scoring(), kb]
    blob = _pack([pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in parts])
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(entry, blob, mode=0o600)  # private, as `load` requires
    except (OSError, RolefitError):
        pass


def _pack(payloads: list[bytes]) -> bytes:
    """An entry: the magic line, then each payload after its size and digest."""
    pieces = [_MAGIC]
    for payload in payloads:
        pieces += [_SIZE.pack(len(payload)), hashlib.sha256(payload).digest(), payload]
    return b"".join(pieces)


def _read_part(f: BinaryIO, index: int) -> bytes | None:
    """Payload number `index` of an entry (the others are skipped, not read), or None
    if the entry is not intact that far."""
    if f.read(len(_MAGIC)) != _MAGIC:
        return None
    for number in range(index + 1):
        header = f.read(_SIZE.size + _DIGEST)
        if len(header) != _SIZE.size + _DIGEST:
            return None
        (size,) = _SIZE.unpack_from(header)
        if number < index:
            f.seek(size, os.SEEK_CUR)
            continue
        payload = f.read(size)
        if len(payload) == size and hashlib.sha256(payload).digest() == header[_SIZE.size :]:
            return payload
    return None
