"""The `rolefit` command: parses options, calls the core, picks a renderer.

Rich is imported only by the commands that draw tables, so `--json` runs stay fast.
Every error a user can cause is a RolefitError, turned into one line on stderr
and an exit code by `_Group.main`.
"""

import codecs
import os
import shlex
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from rolefit import __version__, jsonout
from rolefit.errors import ExitCode, RolefitError, printable
from rolefit.files import is_regular_file, is_stream
from rolefit.knowledge import default_path, load_knowledge_base, select_quiz, select_roles
from rolefit.models import DIMENSIONS, KnowledgeBase

if TYPE_CHECKING:
    from rolefit.answers import Ask
    from rolefit.scoring import Answers, Weights

try:  # Recent Typer releases vendor Click; older ones use Click itself.
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


class _OutputClosed(Exception):
    """stdout's reader went away; not an OSError, so that Click does not turn it into exit 1."""


class _OutputFailed(Exception):
    """stdout could not be written (a full disk, an I/O error), carried past Click."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


class _Interrupted(Exception):
    """Ctrl-C, carried past Typer, whose handling of it differs from one release to the next."""


@contextmanager
def _carried_past_click() -> Iterator[None]:
    """Output failures and Ctrl-C as exceptions that Click passes on untouched: it
    would turn a closed pipe into exit 1 itself, and Ctrl-C into its own Abort."""
    try:
        yield
    except BrokenPipeError:
        raise _OutputClosed from None
    except OSError as e:
        raise _OutputFailed(e) from None
    except KeyboardInterrupt:
        raise _Interrupted from None


class _Help:
    """Typer draws help with a Rich console of its own, which ends the program with exit 1
    when stdout's reader has gone (`rolefit --help | head -1`); it is the closed pipe it is."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if sys.stdout is None:  # started with stdout closed (`>&-`): Rich would print nowhere, and exit 0
            raise _OutputClosed
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        except SystemExit as e:
            if e.code != 1:  # pragma: no cover - Rich exits only so
                raise
            raise _OutputClosed from None


class _Command(_Help, TyperCommand):
    pass


class _Group(_Help, TyperGroup):
    """The one place where errors become a line on stderr and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:  # where --help and --version print
        with _carried_past_click():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _carried_past_click():
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
            except NoArgsIsHelpError:  # the help has been shown: not an error
                code = 0
            if sys.stdout is not None:  # what is still buffered fails here, not at exit
                with _carried_past_click():
                    sys.stdout.flush()
        except _OutputClosed:
            # Stop quietly: whoever read stdout has gone, so nobody is left to read a message.
            _discard_stdout()
            sys.exit(ExitCode.OUTPUT_CLOSED)
        except _OutputFailed as e:
            _discard_stdout()
            _fail(f"cannot write the output: {e}", ExitCode.FAILED)
        except RolefitError as e:
            _fail(e.message, e.exit_code)
        except ClickException as e:
            ctx = getattr(e, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            _fail(e.format_message() + hint, e.exit_code)
        except (_Interrupted, typer.Abort, KeyboardInterrupt):
            _fail("interrupted", ExitCode.INTERRUPTED)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Group,
    help="Which role fits you? A career-fit advisor: fitness instructor or personal trainer, by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _completion_knowledge_base(ctx: typer.Context) -> KnowledgeBase | None:
    """The knowledge base `--data` or ROLEFIT_DATA names (else the built-in one), or None."""
    source = ctx.params.get("data") or os.environ.get("ROLEFIT_DATA") or None
    if source is not None and not is_regular_file(source):  # a pipe would make Tab wait for its writer
        return None
    try:
        return load_knowledge_base(source)
    except Exception:
        return None


def _complete_roles(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Role ids not yet named on the command line, with their names as help."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    given = set(ctx.params.get("roles") or ())
    return [(r, printable(role.name)) for r, role in kb.roles.items() if r.startswith(incomplete) and r not in given]


def _complete_quizzes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Quiz ids, with their titles as help."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    return [(q, printable(quiz.title)) for q, quiz in kb.quizzes.items() if q.startswith(incomplete)]


# A plain string, not a Click Path: rolefit's own reader says what is wrong with a
# file (missing, unreadable, a directory, too large) in the same words for every file.
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="ROLEFIT_DATA",
        metavar="FILE",
        help="Knowledge base to use instead of the built-in fitness one.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
QuizOption = Annotated[
    str | None,
    typer.Option(
        "--for",
        metavar="QUIZ",
        help="Which quiz: career or hiring in the built-in knowledge base.",
        autocompletion=_complete_quizzes,
    ),
]


def _say(line: str) -> None:
    """Print a line of text on stdout; a closed stdout is a reader gone, as for any output."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise BrokenPipeError
    print(line)


def _version(value: bool) -> None:
    if value:
        _say(f"rolefit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain text: no colour or bold (as NO_COLOR=1 does).")
    ] = False,
) -> None:
    """Which role fits you? Take a quiz, or compare the roles side by side.

    The built-in knowledge base compares a fitness instructor with a personal
    trainer, for people choosing a career and for people hiring a coach.
    """
    if no_color:
        # The same switch as the environment variable, so every console that
        # rolefit draws on, made wherever, sees it without being passed a flag.
        os.environ["NO_COLOR"] = "1"


@app.command(cls=_Command)
def compare(
    roles: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ROLE]...",
            help="Role ids to compare (default: all).",
            show_default=False,
            autocompletion=_complete_roles,
        ),
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the roles side by side on the five dimensions.

    Example: rolefit compare fitness-instructor personal-trainer
    """
    kb = load_knowledge_base(data)
    role_ids = select_roles(kb, roles)
    if as_json:
        jsonout.emit(jsonout.compare_document(kb, role_ids))
        return
    from rolefit import render

    render.stdout_console().print(render.compare_view(kb, role_ids))


@app.command(cls=_Command)
def quiz(
    quiz_id: QuizOption = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="YAML or JSON answers (question id: option id), or a saved result; '-' reads stdin. Asks nothing.",
        ),
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", metavar="CODE", help="Replay an answer code, such as career:1-2-s-3.")
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            metavar="DIMENSION=N",
            help="How much a dimension matters, 0 to 10 (default 1); repeatable. Dimensions: "
            + ", ".join(DIMENSIONS)
            + ".",
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each answer's contribution to each role's fit.")
    ] = False,
    save: Annotated[
        Path | None, typer.Option("--save", metavar="FILE", help="Also write the answers and result to FILE as JSON.")
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer the questions one at a time, then see each role's fit, the verdict and why.

    At a question, type the option's number; s skips it, b goes back.

    Example: rolefit quiz --for hiring --explain
    """
    from rolefit.answers import choose_answers, parse_weights
    from rolefit.scoring import score

    kb = load_knowledge_base(data)
    weights = parse_weights(weight or ())
    ask = _asking(kb) if _stdin_is_terminal() else None
    quiz_id, given, weights = choose_answers(kb, quiz_id, source=answers, code=code, weights=weights, ask=ask)
    result = score(kb, quiz_id, given, weights)
    document = jsonout.quiz_document(kb, result)
    if save is not None:
        inputs: dict[str, str | Path] = {"rolefit's built-in knowledge base": default_path()}
        if data is not None:
            inputs["the knowledge base being read"] = data
        if answers is not None:
            inputs["the answers file being read"] = answers
        jsonout.save(document, save, inputs)
    if as_json:
        jsonout.emit(document)
        return
    from rolefit import render

    render.print_result(render.stdout_console(), kb, result, document["code"], explain=explain)


def _asking(kb: KnowledgeBase) -> "Ask":
    """Asking the quiz's questions on stderr, and reading the replies, at the terminal."""

    def ask(quiz_id: str, ask_weights: bool) -> "tuple[Answers, Weights]":
        if sys.stdout is None:  # nowhere for the result to go: stop before asking anything
            raise BrokenPipeError
        if sys.stderr is None:
            raise RolefitError("stderr is closed, so the questions cannot be shown: pass --answers FILE or --code CODE")
        from rolefit import render
        from rolefit.interview import ask as interview

        return interview(kb, kb.quizzes[quiz_id], render.stderr_console(), ask_weights=ask_weights)

    return ask


@app.command(cls=_Command)
def questions(
    quiz_id: QuizOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a quiz's questions with their ids and option ids, for writing answers files.

    Example: rolefit questions --for career --json
    """
    kb = load_knowledge_base(data)
    quiz_id = select_quiz(kb, quiz_id)
    if as_json:
        jsonout.emit(jsonout.questions_document(kb, quiz_id))
        return
    from rolefit import render

    render.stdout_console().print(render.questions_view(quiz_id, kb.quizzes[quiz_id]))


@app.command(cls=_Command)
def show(
    role: Annotated[
        str,
        typer.Argument(
            metavar="ROLE",
            help="The role's id, as `rolefit compare --json` lists them.",
            autocompletion=_complete_roles,
        ),
    ],
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything the knowledge base says about one role, with the source and period of every figure.

    Example: rolefit show personal-trainer
    """
    kb = load_knowledge_base(data)
    (role_id,) = select_roles(kb, [role])
    if as_json:
        jsonout.emit(jsonout.role_document(kb, role_id))
        return
    from rolefit import render

    render.stdout_console().print(render.role_view(kb, role_id))


@app.command(cls=_Command)
def validate(
    file: Annotated[str, typer.Argument(metavar="FILE", help="Knowledge base to check ('-' reads stdin).")],
    as_json: JsonOption = False,
) -> None:
    """Check a knowledge base and list every problem in it, each as FILE:LINE: field: message.

    Prints a one-line summary and exits 0 when the file is valid; exits 2 when not.

    Example: rolefit validate roles.yaml
    """
    from rolefit.authoring import validate_file

    validation = validate_file(file)
    if as_json:
        jsonout.emit(jsonout.validation_document(validation))
        if not validation.valid:
            raise typer.Exit(ExitCode.BAD_INPUT)
        return
    if validation.valid:
        _say(printable(validation.summary()))
        return
    for problem in validation.problems:
        _say(" ".join(printable(str(problem)).split()))
    raise RolefitError(validation.summary())


@app.command(cls=_Command)
def init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write it.")] = Path("roles.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a small, commented knowledge base to start your own from.

    Two roles, three traits and a three-question quiz, with every field explained.
    It never overwrites a file unless you pass --force.

    Example: rolefit init careers.yaml
    """
    from rolefit.authoring import write_starter

    name = shlex.quote(printable(str(file)).replace("\n", "\\n").replace("\t", "\\t"))

    def announce() -> None:  # before the file takes its place: if stdout fails, no file is left
        with _carried_past_click():
            _say(f"Wrote {name}. Next: rolefit validate {name}")
            sys.stdout.flush()

    # Into a stream (`init /dev/stdout > kb.yaml`) the file is all there is to say.
    write_starter(file, force=force, announce=None if is_stream(file) else announce)


class SchemaName(str, Enum):
    knowledge_base = "knowledge-base"
    compare = "compare"
    quiz = "quiz"
    questions = "questions"
    show = "show"
    validate = "validate"


@app.command(cls=_Command)
def schema(
    name: Annotated[
        SchemaName,
        typer.Argument(metavar="[NAME]", help="The knowledge base, or the command whose --json document to describe."),
    ] = SchemaName.knowledge_base,
) -> None:
    """Print a JSON Schema: of a knowledge-base file, or of a command's --json document.

    Editors use the knowledge-base schema to check and complete a file as you type.

    Example: rolefit schema quiz > quiz.schema.json
    """
    from rolefit.schema import json_schema

    # Always indented, so that the output is the same as the copy under schemas/.
    jsonout.emit(json_schema(name.value), pretty=True)


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


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


def _terminated(signum: int, frame: object) -> NoReturn:
    # Raised, so that what is being written (a temporary file beside a --save target or
    # a cache entry) is removed on the way out, as it is for Ctrl-C.
    raise SystemExit(128 + signum)


def main() -> None:
    """The console script's entry point."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminated)
    _clamp_columns()
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        # Text the stream's encoding cannot hold (PYTHONIOENCODING=ascii) is shown, or
        # read at a prompt, with replacements rather than failing. JSON is written as
        # UTF-8 bytes regardless. A codec that cannot replace (idna is no text encoding),
        # or that types no digit as its ASCII byte (UTF-16), gives way to UTF-8.
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                usable = codecs.encode("1•", stream.encoding, "replace")[:1] == b"1"
            except (LookupError, UnicodeError, ValueError):
                usable = False
            if usable:
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")
    app(prog_name="rolefit")
