"""Reading the files users give rolefit, and writing the files they ask for, so
that nothing a user has is ever lost.

Reading (`read_bytes`): a knowledge base or an answers file, or standard input
(a `StandardInput`, made from the stream the caller has), at most `MAX_BYTES`,
with every failure a RolefitError that names the file.

Writing (`writing`, for `init`; `write_all`, for a quiz's `--save` and `--report`
together): a regular file is written to a temporary file beside it and put in its
place only once the whole text is there, so a reader sees the old file or the new
one, never half of one. It is refused (exit 2, before anything is written) when it
is one of the files being read or rolefit's built-in knowledge base, whatever path
names it; read-only; a directory, a block device or a socket; or a symbolic link, to
a file or anything else, whose target the user did not name (the system's own links,
such as /dev/stdout, excepted).
A character device or a pipe, such as /dev/stdout or /dev/null, is written to as a
stream, and "-" is the caller's stdout. `check_writable` makes the same checks
before there is anything to write. A replaced file keeps its
permissions (but set-user and set-group ID), and its owner where the system
allows it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from rolefit.errors import ExitCode, OutputClosed, RolefitError
from rolefit.streams import StandardInput, Streams

#: Far above any real knowledge base: the built-in one is 25 kB, one of 5,000 roles
#: (50 traits, 200 questions) about 7 MB.
MAX_BYTES = 16 * 1024 * 1024
_TOO_LARGE = f"larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a file"


def read_bytes(source: str | Path) -> tuple[str, bytes]:
    """(name for messages, contents) of a file, or of standard input."""
    if isinstance(source, StandardInput):
        name, stdin = "<stdin>", source.stream
        if stdin is None or stdin.closed:
            raise RolefitError("<stdin>: standard input is closed", ExitCode.FAILED)
        try:
            raw = stdin.buffer.read(MAX_BYTES + 1)
        except OSError as e:  # such as a descriptor 0 opened for writing only
            raise RolefitError(f"<stdin>: cannot read: {e.strerror or e}", ExitCode.FAILED) from None
    elif not str(source):
        raise RolefitError("an empty file name")
    else:
        name = shown_name(source)
        raw = _read_file(Path(source), name)
    if len(raw) > MAX_BYTES:
        raise RolefitError(f"{name}: {_TOO_LARGE}")
    return name, raw


def shown_name(source: str | Path) -> str:
    """A file's name as messages and JSON show it: bytes that are not UTF-8 (which Python
    keeps as lone surrogates, and JSON cannot hold) become U+FFFD."""
    return str(source).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read_file(path: Path, name: str) -> bytes:
    """At most MAX_BYTES + 1 bytes of a file; a file known to be larger is not read at all."""
    try:
        if path.is_dir():
            raise RolefitError(f"{name}: is a directory, not a file")
        with path.open("rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):  # a pipe: read as `cat` would, waiting for its writer
                return f.read(MAX_BYTES + 1)
            if info.st_size > MAX_BYTES:
                raise RolefitError(f"{name}: {_TOO_LARGE}")
            # Sized to the file: read(MAX_BYTES + 1) would set aside 16 MiB each time.
            raw = f.read(info.st_size + 1)
            if len(raw) > info.st_size:  # it grew since: the rest, up to the limit
                raw += f.read(MAX_BYTES + 1 - len(raw))
            return raw
    except FileNotFoundError:
        raise RolefitError(f"{name}: no such file") from None
    except PermissionError:
        raise RolefitError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise RolefitError(f"{name}: is a directory, not a file") from None
    except OSError as e:
        raise RolefitError(f"{name}: cannot read: {e.strerror or e}") from None


def is_stream(path: str | Path, streams: Streams) -> bool:
    """Whether writing `path` writes a stream: a device, a pipe, or the run's own stdout or stderr."""
    try:
        target = os.stat(path)
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(target.st_mode) or _standard_stream(target, streams) is not None


def is_regular_file(source: str | Path) -> bool:
    """Whether `source` names a regular file (following links): one that can be read without waiting."""
    try:
        return stat.S_ISREG(os.stat(source).st_mode)
    except (OSError, ValueError):
        return False


def neighbour(source: str | Path, name: str, what: str) -> Path:
    """A file a knowledge base at `source` names beside itself (`what` it is, for messages).

    Only a regular file will do: the knowledge base names it, not the person running
    rolefit, so a pipe in its place must not keep the run waiting. For the same reason a
    symbolic link is followed only to a file in the knowledge base's folder (this year's
    table linked to by the name the file gives, say): a link to anywhere else would let a
    knowledge base read any file its reader can, and show parts of it in messages.
    """
    if isinstance(source, StandardInput):
        raise RolefitError(
            f"{name}: a knowledge base read from stdin has no folder to find it in: pass the file with --data"
        )
    path = Path(source).parent / name
    if path.is_symlink() and not _beside(path, Path(source)):
        raise RolefitError(f"{path}: is a symbolic link out of the knowledge base's folder ({what} must be in it)")
    if path.exists() and not is_regular_file(path):
        raise RolefitError(f"{path}: not a regular file ({what} must be one)")
    return path


def _beside(path: Path, knowledge_base: Path) -> bool:
    """Whether the file `path` names, after its links, is in the knowledge base's folder, as
    the knowledge base's path names it or after its own links."""
    try:
        folders = {knowledge_base.parent.resolve(), knowledge_base.resolve().parent}
        return path.resolve().parent in folders
    except (OSError, RuntimeError):  # a loop of links
        return False


@contextmanager
def writing(
    path: Path, streams: Streams, *, inputs: Mapping[str, str | Path] = {}, overwrite: bool = True
) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new contents to; they take its place when the block ends.

    `streams` are the run's own: "-" is their stdout, and a path to their stdout or
    stderr is written through it. `inputs` maps a description ("the knowledge base
    being read") to each file that `path` must not be. Without `overwrite`, an
    existing file is refused. If the block raises, nothing is written (a stream
    excepted: what reached it is gone) and a regular file is left as it was.
    """
    kind, target = _destination(path, streams, inputs, overwrite)
    if kind == "stdout":
        assert streams.stdout is not None
        streams.stdout.flush()
        yield streams.stdout.buffer
        streams.stdout.buffer.flush()
    elif kind == "own stream":
        stream = _standard_stream(target, streams)  # type: ignore[arg-type]
        assert stream is not None
        yield stream
        stream.flush()
    elif kind == "stream":
        assert target is not None
        with _open_stream(path, target) as device:
            yield device
    else:
        with _replacing(path, target) as f:
            yield f


def check_writable(
    path: Path, streams: Streams, *, inputs: Mapping[str, str | Path] = {}, overwrite: bool = True
) -> None:
    """Raise now what `writing` would refuse, before there is anything to write: before a
    quiz's questions, so that nobody answers them for a file that will not be written.
    A file is written beside itself and renamed into place, so its directory must take
    a new file, even when the file is there already."""
    kind, _ = _destination(path, streams, inputs, overwrite)
    if kind != "file":
        return
    if not path.parent.is_dir():
        raise RolefitError(f"{path}: no such directory {str(path.parent)!r}")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise RolefitError(f"{path}: cannot write: permission denied in the directory {str(path.parent)!r}")


def write_all(contents: Mapping[Path, bytes], streams: Streams, *, inputs: Mapping[str, str | Path]) -> None:
    """Write each file its contents, as `writing` does, opening every one before writing
    any: when one cannot be opened (a pipe nobody reads), the others are left as they were."""
    with ExitStack() as opened:
        files = [(opened.enter_context(writing(path, streams, inputs=inputs)), data) for path, data in contents.items()]
        for f, data in files:
            f.write(data)


def check_outputs(named: Mapping[str, Path | None], streams: Streams, *, inputs: Mapping[str, str | Path]) -> None:
    """`check_writable` for each file a run is to write, by its option (`--save`), and
    never two options naming one file, by whatever paths or links."""
    given = {option: path for option, path in named.items() if path is not None}
    for path in given.values():
        check_writable(path, streams, inputs=inputs)
    seen: dict[str, str] = {}
    for option, path in given.items():
        # An existing file by its inode (hard links too); anything else by its real path.
        key = f"{os.stat(path).st_dev}:{os.stat(path).st_ino}" if is_regular_file(path) else os.path.realpath(path)
        if key in seen:
            raise RolefitError(f"{seen[key]} and {option} both name {path}: name two files")
        seen[key] = option


def _destination(
    path: Path, streams: Streams, inputs: Mapping[str, str | Path], overwrite: bool
) -> tuple[str, os.stat_result | None]:
    """How `path` is written ("stdout", "own stream", "stream" or "file") and what it names
    now, or the RolefitError for a path that must not be written."""
    name = str(path)
    if not name:
        raise RolefitError("an empty file name: name a file to write")
    if name == "-":
        if streams.stdout is None:
            raise OutputClosed
        return "stdout", None
    target = _target(path)
    if target is None:
        return "file", None
    _refuse_inputs(path, target, inputs)
    # A link is never written through (a link to a file is refused below), unless it is
    # one of the system's own names for a stream, such as /dev/stdout.
    system = os.path.abspath(path).startswith(("/dev/", "/proc/self/fd/"))
    if os.path.islink(path) and not stat.S_ISREG(target.st_mode) and not system:
        raise RolefitError(f"{path}: is a symbolic link to {os.readlink(path)!r}: name the file itself")
    if _standard_stream(target, streams) is not None:
        return "own stream", target
    if stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode):
        return "stream", target
    _refuse_replacing(path, target, overwrite)
    return "file", target


def _target(path: Path) -> os.stat_result | None:
    """What `path` names now (after its link, if it is one), or None if nothing."""
    name = str(path)
    try:
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode):
            return os.stat(path)
        return found
    except FileNotFoundError:
        if os.path.lexists(path):  # the link exists, what it points to does not
            raise RolefitError(
                f"{name}: is a symbolic link to {os.readlink(path)!r}, which does not exist: name the file itself"
            ) from None
        return None
    except NotADirectoryError:
        raise RolefitError(f"{name}: a part of the path is not a directory") from None
    except OSError as e:
        raise RolefitError(f"{name}: cannot write: {e.strerror or e}") from None


def _refuse_inputs(path: Path, target: os.stat_result, inputs: Mapping[str, str | Path]) -> None:
    for what, source in inputs.items():
        try:
            if isinstance(source, StandardInput):
                if source.stream is None:
                    continue
                read = os.fstat(source.stream.fileno())
            else:
                read = os.stat(source)
        except (OSError, ValueError):  # gone, closed, or not a real file (as in tests)
            continue
        if (read.st_dev, read.st_ino) == (target.st_dev, target.st_ino):
            shown = "on stdin" if isinstance(source, StandardInput) else f"as {source}"
            raise RolefitError(f"{path}: is {what} ({shown}): choose another file")


def _refuse_replacing(path: Path, target: os.stat_result, overwrite: bool) -> None:
    if stat.S_ISDIR(target.st_mode):
        raise RolefitError(f"{path}: is a directory; name a file to write")
    if stat.S_ISSOCK(target.st_mode):  # open() cannot write one: refused before anything is asked
        raise RolefitError(f"{path}: is a socket, not a file: rolefit writes only files, pipes and terminals")
    if not stat.S_ISREG(target.st_mode):
        raise RolefitError(f"{path}: is a device, not a file: rolefit writes only files, pipes and terminals")
    if os.path.islink(path):
        raise RolefitError(f"{path}: is a symbolic link to {os.readlink(path)!r}: name the file itself to replace it")
    if not overwrite:
        raise RolefitError(f"{path}: already exists; pass --force to overwrite it")
    # Checked by the mode bits as well as by access(): root may write anything, but a
    # file whose mode says nobody may is one its owner meant to keep.
    if not target.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise RolefitError(f"{path}: is read-only; it was left as it is")


def _standard_stream(target: os.stat_result, streams: Streams) -> BinaryIO | None:
    """The run's own stdout or stderr when `target` is the same file (`--save /dev/stdout`):
    written through the stream, after what it already holds, never replaced."""
    for stream in (streams.stdout, streams.stderr):
        if stream is None:
            continue
        try:
            info = os.fstat(stream.fileno())
        except (OSError, ValueError, AttributeError):  # closed, or not a real file (as in tests)
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            stream.flush()
            return stream.buffer
    return None


@contextmanager
def _open_stream(path: Path, target: os.stat_result) -> Iterator[BinaryIO]:
    """A terminal, /dev/null or a named pipe, opened for writing without waiting for a reader."""
    try:
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
    except OSError as e:
        no_reader = e.errno == errno.ENXIO and stat.S_ISFIFO(target.st_mode)
        reason = "nobody is reading from this pipe" if no_reader else e.strerror or str(e)
        raise RolefitError(f"{path}: cannot write: {reason}") from None
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as stream:
        yield stream


@contextmanager
def _replacing(path: Path, old: os.stat_result | None) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, renamed over it when the block ends without an error."""
    import tempfile

    directory = path.parent
    try:
        # At most 100 bytes of the name (file systems bound a name in bytes, and a character
        # may take four), so that the temporary name (14 more) fits wherever the target's does;
        # a character cut in two is left out.
        start = os.fsencode(path.name)[:100].decode("utf-8", "ignore")
        fd, temporary = tempfile.mkstemp(prefix=f".{start}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise RolefitError(f"{path}: no such directory {str(directory)!r}") from None
    except NotADirectoryError:
        raise RolefitError(f"{path}: {str(directory)!r} is not a directory") from None
    except OSError as e:
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            _take_over(f.fileno(), old)
            os.fsync(f.fileno())
        if old is None:
            _create(temporary, path)
        else:
            os.replace(temporary, path)
    except FileExistsError:
        Path(temporary).unlink(missing_ok=True)
        raise RolefitError(f"{path}: was created by something else while rolefit wrote; it was left as it is") from None
    except OSError as e:
        Path(temporary).unlink(missing_ok=True)
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create(temporary: str, path: Path) -> None:
    """Put `temporary` in place as `path`, which did not exist when writing began: by a
    hard link, which fails if something has taken the name since, rather than a rename,
    which would replace it. Where the file system has no hard links, a rename."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _take_over(fd: int, old: os.stat_result | None) -> None:
    """Give the new file the old one's mode and owner, or the usual mode for a new file
    (mkstemp makes it private)."""
    if not hasattr(os, "fchmod"):  # Windows: no modes or owners to keep
        return
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    if hasattr(os, "fchown"):
        for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
            try:
                os.fchown(fd, uid, gid)
                break
            except OSError:  # not allowed: the owner (or group) is the writer's own
                continue
    os.fchmod(fd, stat.S_IMODE(old.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))  # data: never set-ID
