"""The rolefit process: the Typer app run as a command that behaves in a shell.

Its standard streams (an encoding that cannot fail, a closed stdout that is a
reader gone), the signals that end it, the widths it draws at, and the one place
where errors become a line on stderr and an exit code (`Group.main`). The
commands themselves are in `rolefit.cli.commands`.
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from rolefit.errors import ExitCode, OutputClosed, RolefitError, printable
from rolefit.streams import ACCESSIBLE_VARIABLE, Streams, accessible_asked

# The one private import: recent Typer releases vendor Click (and raise its exceptions),
# older ones use Click itself. tests/test_cli.py fails if Typer moves them.
try:
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[no-redef,import-not-found]


def _fail(message: str, exit_code: int) -> NoReturn:
    """Say what went wrong in one line on stderr, and exit. With stderr closed or
    failing, say nothing: never on stdout, which a script may be reading as JSON."""
    line = " ".join(printable(message).split())
    if sys.stderr is not None:
        try:
            sys.stderr.write(f"rolefit: {line}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    sys.exit(exit_code)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that flushing what is left in it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


class _OutputFailed(Exception):
    """stdout could not be written (a full disk, an I/O error), carried past Click."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


class _Interrupted(Exception):
    """Ctrl-C, carried past Typer, whose handling of it differs from one release to the next."""


@contextmanager
def carried_past_click() -> Iterator[None]:
    """Output failures and Ctrl-C as exceptions that Click passes on untouched: it
    would turn a closed pipe into exit 1 itself, and Ctrl-C into its own Abort."""
    try:
        yield
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as e:
        raise _OutputFailed(e) from None
    except KeyboardInterrupt:
        raise _Interrupted from None


@contextmanager
def _plain_for_typer(ctx: Any) -> Iterator[None]:
    """NO_COLOR while Typer draws the help of a command given after `--no-color`: Typer's
    console reads the variable itself, where rolefit's own consoles are told."""
    streams = ctx.find_root().obj
    if not isinstance(streams, Streams) or not streams.plain:
        yield
        return
    previous = os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["NO_COLOR"]
        else:
            os.environ["NO_COLOR"] = previous


def _accessible(ctx: Any) -> bool:
    """Whether this run draws for a screen reader: `--accessible` given before the help, or
    ROLEFIT_ACCESSIBLE."""
    streams = ctx.find_root().obj
    if isinstance(streams, Streams):
        return streams.accessible
    return accessible_asked(os.environ.get(ACCESSIBLE_VARIABLE))


#: The width Click wraps help at for a screen reader: none that a line reaches, since a
#: paragraph or an option's help cut at the terminal's width is heard in pieces.
_UNWRAPPED = 1_000_000


@contextmanager
def _plain_help(command: Any, ctx: Any, formatter: Any) -> Iterator[None]:
    """Click's own help, as plain lines never wrapped, while Typer draws the help for a screen
    reader: Typer's draws boxes around its panels and tables."""
    if not _accessible(ctx):
        yield
        return
    mode = command.rich_markup_mode
    command.rich_markup_mode = None
    formatter.width = _UNWRAPPED
    try:
        yield
    finally:
        command.rich_markup_mode = mode


class _Help:
    """Typer draws help with a Rich console of its own, which ends the program with exit 1
    when stdout's reader has gone (`rolefit --help | head -1`); it is the closed pipe it is.
    For a screen reader, Click draws it instead (`_plain_help`)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if sys.stdout is None:  # started with stdout closed (`>&-`): Rich would print nowhere, and exit 0
            raise OutputClosed
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""  # a flag takes no value: Typer would show "<bool>" where the value goes
        try:
            with _plain_for_typer(ctx), _plain_help(self, ctx, formatter):
                super().format_help(ctx, formatter)  # type: ignore[misc]
        except SystemExit as e:
            if e.code != 1:  # pragma: no cover - Rich exits only so
                raise
            raise OutputClosed from None


class Command(_Help, TyperCommand):
    pass


class Group(_Help, TyperGroup):
    """The one place where errors become a line on stderr and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:  # where --help and --version print
        with carried_past_click():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with carried_past_click():
            return super().invoke(ctx)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            try:
                code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
            except NoArgsIsHelpError as e:  # the help, asked for with no command: not an error
                # Typer's Rich help has printed itself; Click's plain one, drawn for a screen
                # reader (`_plain_help`), is the error's message, and is printed here.
                plain = e.format_message()
                if plain and sys.stdout is not None:
                    with carried_past_click():
                        sys.stdout.write(plain + "\n")
                code = 0
            if sys.stdout is not None:  # what is still buffered fails here, not at exit
                with carried_past_click():
                    sys.stdout.flush()
        except OutputClosed:
            # Stop quietly: whoever read stdout has gone, so nobody is left to read a message.
            _discard_stdout()
            sys.exit(ExitCode.OUTPUT_CLOSED)
        except _OutputFailed as e:
            _discard_stdout()
            _fail(f"cannot write the output: {e}", ExitCode.FAILED)
        except RolefitError as e:
            _fail(e.message, e.exit_code)
        except ClickException as e:
            _fail(e.format_message() + self._hint(e), e.exit_code)
        except (_Interrupted, typer.Abort, KeyboardInterrupt):
            _fail("interrupted", ExitCode.INTERRUPTED)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def _hint(self, error: ClickException) -> str:
        """Where to read more after a usage error; for an option of rolefit's own given after
        the command (`rolefit quiz --accessible`), where it goes instead."""
        ctx = getattr(error, "ctx", None)
        if ctx is None:
            return ""
        name = getattr(error, "option_name", None)
        own = {option for param in self.params for option in param.opts}
        if ctx.command is not self and name in own:
            return f" (it goes before the command: `{ctx.find_root().info_name} {name} {ctx.info_name} ...`)"
        return f" (see `{ctx.command_path} --help`)"


#: The widths rolefit draws at: under 20 columns nothing is readable (at 0 Rich draws
#: nothing at all), and a width in the millions takes minutes and gigabytes to fill.
COLUMNS_RANGE = (20, 1000)


def _clamp_columns() -> None:
    """Keep COLUMNS in COLUMNS_RANGE for every console drawn in this run, Typer's help
    included (it reads the variable itself, so the variable is what must change)."""
    value = os.environ.get("COLUMNS")
    if value is None:
        return
    if not (value.isascii() and value.isdigit()):
        # Rich would read other digits (`١٠٠٠٠٠٠٠`) as a number too: a width that is not
        # plain digits is no width, and the terminal's own is used.
        del os.environ["COLUMNS"]
        return
    low, high = COLUMNS_RANGE
    digits = value.lstrip("0") or "0"
    number = int(digits) if len(digits) <= 8 else high  # more digits than Python should read
    os.environ["COLUMNS"] = str(min(max(number, low), high))


def _replace_what_cannot_be_encoded() -> None:
    """Text the stream's encoding cannot hold (PYTHONIOENCODING=ascii) is shown, or read
    at a prompt, with replacements rather than failing. JSON is written as UTF-8 bytes
    regardless. A codec that cannot replace (idna is no text encoding), or that types no
    digit as its ASCII byte (UTF-16), gives way to UTF-8."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                usable = codecs.encode("1•", stream.encoding, "replace")[:1] == b"1"
            except (LookupError, UnicodeError, ValueError):
                usable = False
            if usable:
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


def _terminated(signum: int, frame: object) -> NoReturn:
    # Raised, so that what is being written (a temporary file beside a --save target or
    # a cache entry) is removed on the way out, as it is for Ctrl-C.
    raise SystemExit(128 + signum)


def run(app: typer.Typer) -> None:
    """Run `app` as the `rolefit` command, in this process."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminated)
    _clamp_columns()
    _replace_what_cannot_be_encoded()
    app(prog_name="rolefit")
