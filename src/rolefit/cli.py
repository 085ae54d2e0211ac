"""The `rolefit` command: parses options, calls the core, picks a renderer.

Rich is imported only by the commands that draw tables, so `--json` runs stay fast.
Every error a user can cause is a RolefitError, turned into one line on stderr
and an exit code by `_Group.main`.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from rolefit import __version__, jsonout
from rolefit.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED, RolefitError, printable
from rolefit.knowledge import load_knowledge_base, select_quiz, select_roles

try:  # Recent Typer releases vendor Click; older ones use Click itself.
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException  # type: ignore[no-redef]


def _fail(message: str, exit_code: int) -> NoReturn:
    line = " ".join(printable(message).split())
    print(f"rolefit: {line}", file=sys.stderr)
    sys.exit(exit_code)


def _output_closed() -> NoReturn:
    """Stop quietly: whoever read stdout has gone, so nobody is left to read a message."""
    try:
        # Point stdout at /dev/null, so that flushing it at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass
    sys.exit(EXIT_OUTPUT_CLOSED)


class _OutputClosed(Exception):
    """stdout's reader went away; not an OSError, so that Click does not turn it into exit 1."""


class _Interrupted(Exception):
    """Ctrl-C, carried past Typer, whose handling of it differs from one release to the next."""


class _Group(TyperGroup):
    """The one place where errors become a line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _OutputClosed from None
        except KeyboardInterrupt:
            raise _Interrupted from None

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except _OutputClosed:
            _output_closed()
        except RolefitError as e:
            _fail(e.message, e.exit_code)
        except ClickException as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # the help has been shown: not an error
                sys.exit(0)
            ctx = getattr(e, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            _fail(e.format_message() + hint, e.exit_code)
        except (_Interrupted, typer.Abort, KeyboardInterrupt):
            _fail("interrupted", EXIT_INTERRUPTED)
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
    typer.Option("--for", metavar="QUIZ", help="Which quiz: career or hiring in the built-in knowledge base."),
]


def _version(value: bool) -> None:
    if value:
        print(f"rolefit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Which role fits you? Take a quiz, or compare the roles side by side.

    The built-in knowledge base compares a fitness instructor with a personal
    trainer, for people choosing a career and for people hiring a coach.
    """


@app.command()
def compare(
    roles: Annotated[list[str] | None, typer.Argument(metavar="[ROLE]...", help="Role ids to compare (default: all).", show_default=False)] = None,
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


@app.command()
def quiz(
    quiz_id: QuizOption = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="YAML or JSON mapping of question id to option id ('-' reads stdin); asks nothing.",
        ),
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer the questions one at a time, then see each role's fit and the verdict.

    Example: rolefit quiz --for hiring
    """
    from rolefit.scoring import score

    kb = load_knowledge_base(data)
    quiz_id = select_quiz(kb, quiz_id)
    quiz = kb.quizzes[quiz_id]
    if answers is not None:
        from rolefit.answers import load_answers

        given = load_answers(answers, quiz_id, quiz)
    elif not _stdin_is_terminal():
        raise RolefitError(
            "stdin is not a terminal, so there is nobody to ask: pass --answers FILE"
            f" (`rolefit questions --for {quiz_id}` lists the ids)",
            EXIT_BAD_INPUT,
        )
    else:
        from rolefit import render
        from rolefit.interview import ask

        given = ask(quiz, render.stderr_console())
    result = score(kb, quiz_id, given)
    if as_json:
        jsonout.emit(jsonout.quiz_document(result))
        return
    from rolefit import render

    render.stdout_console().print(render.result_view(kb, result))


@app.command()
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


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def main() -> None:
    """The console script's entry point."""
    app(prog_name="rolefit")
