"""rolefit's own files in a private directory of the user's: the knowledge-base cache
(`rolefit.kb.cache`) and an interrupted quiz's answers (`rolefit.scoring.progress`).

A directory is trusted only when it is safe: it must be a real directory (not a
symbolic link), belong to the user and be writable by nobody else; otherwise
nothing is read or written there, silently. Files are opened relative to the
directory, without following links, and only regular files of the user's that
nobody else can write, and not too large, are read. A file is written to a
temporary file in the directory and renamed into place, so a link, a device or a
pipe left under its name is replaced, never written through, and a reader sees the
old file or the new one, never half of one. What is stored is data (JSON), never code.

Systems without `O_NOFOLLOW` and directory-relative file calls (Windows) get no store.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: Whether this system has what a safe store needs.
SUPPORTED = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "geteuid")
    and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd  # os.replace: as os.rename
)


def location(variable: str, platform: Callable[[], str]) -> Path | None:
    """A store's directory: the environment `variable`'s if it is set (empty or relative: no
    store), else `platform()`'s, platformdirs' directory for rolefit (None when no home
    directory can be found, or it is relative: no store that moves with the working directory)."""
    configured = os.environ.get(variable)
    if configured is not None:  # `~` is the home directory; a relative path is ignored, as XDG's are
        try:
            chosen = Path(configured).expanduser()
        except RuntimeError:  # `~someone` who does not exist
            return None
        return chosen if configured and chosen.is_absolute() else None
    try:
        found = Path(platform())
    except Exception:  # no home directory to be found
        return None
    return found if found.is_absolute() else None


def open_directory(path: Path | None, *, create: bool, parents: int = 1) -> int | None:
    """A descriptor of the directory at `path` if it is safe to use (see the module's
    docstring), else None. With `create`, a missing directory is made (private), and up to
    `parents` missing folders above it, but no further: a missing home directory means no store."""
    if not SUPPORTED or path is None:
        return None
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
    try:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                return None
            missing = [path]
            while len(missing) <= parents and not missing[-1].parent.is_dir():
                missing.append(missing[-1].parent)
            for folder in reversed(missing):
                folder.mkdir(mode=0o700)
            fd = os.open(path, flags)
    except OSError:  # not there, a link, not a directory, or not ours to make
        return None
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o022:
        os.close(fd)
        return None
    return fd


def read(directory: int, name: str, limit: int) -> bytes | None:
    """A file's bytes, if it is a regular file of the user's that only they can write, of at
    most `limit` bytes; else None."""
    try:
        # O_NONBLOCK: a named pipe left under the file's name must not make a run wait.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=directory)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            return None
        if info.st_size > limit:
            return None
        return f.read(info.st_size + 1)


def write(directory: int, name: str, blob: bytes) -> None:
    """Write a file by a temporary one in the directory (`.NAME-WITHOUT-SUFFIX.HEX.tmp`), renamed
    into place: whatever stood under the name (a link, a pipe) is replaced, never written
    through. Raises OSError; whatever stops it (Ctrl-C, a signal) removes the temporary file."""
    temporary = f".{name.rpartition('.')[0] or name}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
    fd = os.open(temporary, flags, 0o600, dir_fd=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        remove(directory, temporary)
        raise


def ours(directory: int, name: str, magic: bytes) -> bool:
    """Whether a file begins with `magic`, as rolefit's own files of its kind do: a directory
    given as a store may hold other files of such names, and those are never removed."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=directory)
    except OSError:
        return False
    try:
        return os.read(fd, len(magic)) == magic
    except OSError:  # a directory
        return False
    finally:
        os.close(fd)


def remove(directory: int, name: str) -> None:
    """Remove a file, if it can be removed."""
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=directory)


def remove_stale(directory: int, prefix: str, age: float) -> None:
    """Remove the temporary files (`write`'s) whose names begin with `prefix` and that were
    last written more than `age` seconds ago: a run that died while writing left them."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(directory) as found:
        for item in found:
            if not (item.name.startswith(prefix) and item.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                if now - item.stat(follow_symlinks=False).st_mtime > age:
                    remove(directory, item.name)
