"""The `rolefit` commands: each parses its options, calls the core and hands the result to `cli.output.emit`.

Rich is imported only by the commands that draw tables, so `--json` runs stay fast.
Every error a user can cause is a RolefitError; `rolefit.cli.process` runs these
commands and turns errors into one line on stderr and an exit code.
"""

from __future__ import annotations

import contextlib
import shlex
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rolefit import __version__
from rolefit.cli.options import (
    DataOption,
    JsonOption,
    QuizOption,
    RegionOption,
    complete_quizzes,
    complete_roles,
    complete_shown,
    today,
)
from rolefit.cli.output import Output, drawn, emit, stdout
from rolefit.cli.process import Command, Group, carried_past_click, run
from rolefit.errors import ExitCode, OutputClosed, RolefitError, printable
from rolefit.files import check_outputs, is_stream, write_all
from rolefit.kb.load import default_path, load_knowledge_base, made_from, select_quiz, select_roles, select_shown
from rolefit.kb.models import DIMENSIONS, KnowledgeBase
from rolefit.output import jsonout
from rolefit.output.documents import SCHEMAS
from rolefit.streams import Streams, is_terminal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console

    from rolefit.kb.models import ReadinessQuestion
    from rolefit.kb.regions import Place
    from rolefit.output.contract import ShowDocument
    from rolefit.scoring.progress import Progress
    from rolefit.scoring.results import Answers, Replies, Weights

app = typer.Typer(
    cls=Group,
    help="Which role fits you? A career-fit advisor: fitness instructor or personal trainer, by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _streams(ctx: typer.Context) -> Streams:
    """This run's streams: the process's, made when first asked for, unless a caller (a
    test) passed its own as the context's `obj`."""
    root = ctx.find_root()
    if not isinstance(root.obj, Streams):
        root.obj = Streams.of_process()
    return root.obj


def _source(ctx: typer.Context, name: str | None) -> str | None:
    """A file to read as the command line names it, "-" being this run's stdin."""
    return None if name is None else _streams(ctx).source(name)


def _one_stdin(**named: str | None) -> None:
    """Refuse "-" (stdin) for more than one input: stdin can be read only once."""
    given = [f"--{option}" if option != "file" else "FILE" for option, name in named.items() if name == "-"]
    if len(given) > 1:
        raise RolefitError(f"{' and '.join(given)} both name stdin ('-'), which can be read only once: name a file")


def _say(streams: Streams, line: str) -> None:
    """Print a line of text on stdout."""
    print(line, file=stdout(streams))


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        _say(_streams(ctx), f"rolefit {__version__}")
        raise typer.Exit()


def _accessible(ctx: typer.Context, value: bool) -> None:
    if value:
        ctx.obj = _streams(ctx).accessibly()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain text: no colour or bold (as NO_COLOR=1 does).")
    ] = False,
    accessible: Annotated[
        bool,
        typer.Option(
            "--accessible",
            callback=_accessible,
            is_eager=True,  # so that `rolefit --accessible --help` is drawn for a screen reader too
            help="For screen readers: plain lines in reading order, each value labelled, with no tables,"
            " boxes, bars or colour (as ROLEFIT_ACCESSIBLE=1 does; 0 or empty: off). --json is unchanged.",
        ),
    ] = False,
) -> None:
    """Which role fits you? Take a quiz, or compare the roles side by side.

    The built-in knowledge base compares a fitness instructor with a personal
    trainer, for people choosing a career and for people hiring a coach.
    """
    if no_color:
        ctx.obj = _streams(ctx).plainly()


@app.command(cls=Command)
def compare(
    ctx: typer.Context,
    roles: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ROLE]...",
            help="Role ids to compare (default: all).",
            show_default=False,
            autocompletion=complete_roles,
        ),
    ] = None,
    region: RegionOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the roles side by side on the five dimensions.

    Example: rolefit compare fitness-instructor personal-trainer --region UK
    """
    kb, place = _in_region(_source(ctx, data), region)
    role_ids = select_roles(kb, roles)

    def view(console: Console) -> None:
        from rolefit.views.terminal import compare_view

        console.print(compare_view(kb, role_ids, place, today()))

    emit(Output(lambda: jsonout.compare_document(kb, role_ids, place), drawn(view)), _streams(ctx), as_json=as_json)


def _in_region(source: str | None, region: str | None) -> tuple[KnowledgeBase, Place | None]:
    """The knowledge base at `source` (the built-in one for None), as seen from `--region`,
    and the place chosen."""
    kb = load_knowledge_base(source)
    if not region:  # most runs: nothing to import
        return kb, None
    from rolefit.kb.regions import choose

    return choose(kb, region, default_path() if source is None else source)


@app.command(cls=Command)
def quiz(
    ctx: typer.Context,
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
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Also write a report to keep: FILE.html (a page) or FILE.md."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="At a terminal, show both sides of each option, the next steps and pay too (piped: always)."
        ),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Go on from the answers an interrupted quiz kept, without asking (none kept: exit 2)."
        ),
    ] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Start afresh, without asking, even if an interrupted quiz kept answers.")
    ] = False,
    region: RegionOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer the questions one at a time, then see each role's fit, the verdict and why,
    and what to do next.

    At a question, type the option's number; s skips it, b goes back. Stopped before the end
    (Ctrl-C, a closed terminal), a quiz keeps your answers; the next one offers to go on.

    Example: rolefit quiz --for hiring --explain --report result.html
    """
    from rolefit.scoring.answers import choose_answers, parse_weights
    from rolefit.scoring.score import score
    from rolefit.views.report.content import report_format, report_text

    streams = _streams(ctx)
    go_on = _going_on(resume=resume, restart=restart, answers=answers, code=code)
    if report is not None:
        report_format(report)
    day = today()  # before any question, as every check of the command line
    _one_stdin(data=data, answers=answers)
    kb_source, answers_source = _source(ctx, data), _source(ctx, answers)
    kb, place = _in_region(kb_source, region)
    inputs = made_from(kb, kb_source, answers_source)
    # Before any question: nobody should answer them for a file that will not be written.
    check_outputs({"--save": save, "--report": report}, streams, inputs=inputs)
    weights = parse_weights(weight or ())
    ask = (
        _Interview(streams, kb, data=data, place=place, source=kb_source, go_on=go_on)
        if streams.stdin_is_terminal
        else None
    )
    # Answers asked for are kept until the quiz ends with its result: a run stopped at the
    # readiness check, or whose result could not be shown or saved, goes on from them next time.
    with ask.kept_until_shown() if ask is not None else contextlib.nullcontext():
        quiz_id, given, weights, replies = choose_answers(
            kb, quiz_id, source=answers_source, code=code, weights=weights, ask=ask
        )
        result = score(kb, quiz_id, given, weights)
        readiness = kb.quizzes[quiz_id].readiness
        if ask is not None and answers_source is None and code is None and readiness:
            replies = _ready(streams, result.verdict.summary, readiness)  # asked after the verdict, at a terminal
        result = result.with_readiness(readiness, replies)
        document = jsonout.quiz_document(kb, result, place, data=data)

        def view(console: Console) -> None:
            from rolefit.views.terminal import print_result

            # A person at a terminal reads the verdict first; the rest is a flag away (a pipe gets it all).
            terminal = is_terminal(streams.stdout)
            print_result(
                console,
                kb,
                result,
                document["replay"],
                explain=explain,
                place=place,
                today=day,
                brief=terminal and not full,
                recap=terminal,
                reported=report is not None,
            )

        output = Output(lambda: document, drawn(view))
        files = {save: jsonout.render(document)} if save is not None else {}
        if report is not None:
            files[report] = report_text(report, kb, result, document["replay"], place, day)
        try:
            write_all({path: text.encode() for path, text in files.items()}, streams, inputs=inputs)
        except RolefitError:  # a file that could not be written after all: the answers are shown still
            emit(output, streams, as_json=as_json)
            raise
        emit(output, streams, as_json=as_json)
    if report is not None and streams.stderr is not None and streams.stderr.isatty():  # a person: say where it is
        print(f"Report written to {shlex.quote(printable(str(report)))}", file=streams.stderr)


def _ready(streams: Streams, verdict: str, questions: tuple[ReadinessQuestion, ...]) -> Replies:
    """The readiness check, on stderr at the terminal, after the verdict's headline."""
    from rolefit.views.interview import ask_readiness
    from rolefit.views.terminal import stderr_console

    assert streams.stderr is not None  # the questions were asked there
    return ask_readiness(
        verdict, questions, stderr_console(streams.stderr, plain=streams.plain, linear=streams.accessible)
    )


def _going_on(*, resume: bool, restart: bool, answers: str | None, code: str | None) -> bool | None:
    """Whether to go on from an interrupted quiz's answers: True (`--resume`), False
    (`--restart`), or None to offer it; each flag only for a quiz asked at a terminal."""
    chosen = "--resume" if resume else "--restart" if restart else None
    if resume and restart:
        raise RolefitError("give either --resume or --restart, not both")
    if chosen is not None and (answers is not None or code is not None):
        given = "--answers" if answers is not None else "--code"
        raise RolefitError(f"{chosen} is for a quiz asked at a terminal, and cannot go with {given}")
    return True if resume else False if restart else None


class _Interview:
    """Asking the quiz's questions on stderr, and reading the replies, at the terminal: going on
    from the answers an interrupted run kept, and keeping them after each answer until the
    quiz ends with its result (`kept_until_shown`)."""

    def __init__(
        self,
        streams: Streams,
        kb: KnowledgeBase,
        *,
        data: str | None,
        place: Place | None,
        source: str | None,
        go_on: bool | None,
    ):
        self.streams, self.kb, self.data, self.place, self.source = streams, kb, data, place, source
        self.go_on = go_on
        self.progress: Progress | None = None
        self.quiz_id: str | None = None

    def __call__(self, quiz_id: str, ask_weights: bool) -> tuple[Answers, Weights]:
        streams = self.streams
        if streams.stdout is None:  # nowhere for the result to go: stop before asking anything
            raise OutputClosed
        if streams.stderr is None:
            raise RolefitError("stderr is closed, so the questions cannot be shown: pass --answers FILE or --code CODE")
        from rolefit.scoring.progress import Progress
        from rolefit.views.interview import answers_to_go_on_from
        from rolefit.views.interview import ask as interview
        from rolefit.views.terminal import stderr_console

        console = stderr_console(streams.stderr, plain=streams.plain, linear=streams.accessible)
        quiz = self.kb.quizzes[quiz_id]
        self.quiz_id, self.progress = quiz_id, Progress.of(self.kb, quiz_id, self.source)
        saved = self.progress.load() if self.progress is not None else None
        keep = self.progress.save if self.progress is not None else None
        none = None  # with --resume and nothing to go on from, why
        if self.go_on and saved is None:
            none = self.progress.unread() if self.progress else "a knowledge base read from stdin or a pipe keeps none"
        given = answers_to_go_on_from(quiz_id, quiz, saved, self.go_on, console, none=none)
        return interview(self.kb, quiz, console, ask_weights=ask_weights, given=given, keep=keep)

    @contextlib.contextmanager
    def kept_until_shown(self) -> Iterator[None]:
        """Forget the kept answers once the result has been shown (and saved); if the run stops
        first (Ctrl-C, end of input, a signal, an error), say where they are kept and how to go on."""
        try:
            yield
        except BaseException:
            self._say_where_kept()
            raise
        if self.progress is not None:
            self.progress.finish()

    def _say_where_kept(self) -> None:
        if self.progress is None or self.quiz_id is None or self.streams.stderr is None:
            return
        from rolefit.views.interview import kept_note

        chosen = ["--for", self.quiz_id] if self.quiz_id != self.kb.default_quiz_id else []
        again = jsonout.quiz_command(chosen, self.data, self.place, accessible=self.streams.accessible)
        note = kept_note(self.progress, again)
        if note is not None:
            with contextlib.suppress(OSError, ValueError):  # a terminal that has gone (SIGHUP)
                print(printable(note), file=self.streams.stderr, flush=True)


@app.command(cls=Command)
def questions(
    ctx: typer.Context,
    quiz_id: QuizOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a quiz's questions with their ids and option ids, for writing answers files.

    Example: rolefit questions --for career --json
    """
    kb = load_knowledge_base(_source(ctx, data))
    quiz_id = select_quiz(kb, quiz_id)

    def view(console: Console) -> None:
        from rolefit.views.terminal import questions_view

        console.print(questions_view(quiz_id, kb.quizzes[quiz_id]))

    emit(Output(lambda: jsonout.questions_document(kb, quiz_id), drawn(view)), _streams(ctx), as_json=as_json)


@app.command(cls=Command)
def show(
    ctx: typer.Context,
    shown: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A role's id, or an alternative's, as `rolefit compare --json` lists them.",
            autocompletion=complete_shown,
        ),
    ],
    quiz_id: QuizOption = None,
    region: RegionOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything the knowledge base says about one role, with its next steps and the
    source and period of every figure; or about one of a quiz's alternatives to every
    role (--for names the quiz when several have one of that id).

    Example: rolefit show personal-trainer --region US-CA
    """
    kb, place = _in_region(_source(ctx, data), region)
    quiz_of, shown_id = select_shown(kb, shown, quiz_id)

    def view(console: Console) -> None:
        from rolefit.views.terminal import alternative_view, role_view

        if quiz_of is None:
            console.print(role_view(kb, shown_id, place, today()))
        else:
            console.print(alternative_view(kb, quiz_of, shown_id, place, today()))

    def document() -> ShowDocument:
        if quiz_of is None:
            return jsonout.role_document(kb, shown_id, place)
        return jsonout.alternative_document(kb, quiz_of, shown_id, place)

    emit(Output(document, drawn(view)), _streams(ctx), as_json=as_json)


@app.command(cls=Command)
def about(ctx: typer.Context, data: DataOption = None, as_json: JsonOption = False) -> None:
    """What the guide is: the decisions it helps with, when it was last reviewed and how, who
    wrote it and from what, its funding and ties, how it was made, what a fit means, and how
    often it agrees with real people's cases.

    Example: rolefit about
    """
    from rolefit.scoring.cases import about_cases

    source = _source(ctx, data)
    kb = load_knowledge_base(source)
    today_is = today()
    cases = about_cases(kb, default_path() if source is None else source)

    def view(console: Console) -> None:
        from rolefit.views.terminal import about_view

        console.print(about_view(kb, cases, today_is))

    emit(Output(lambda: jsonout.about_document(kb, cases), drawn(view)), _streams(ctx), as_json=as_json)


@app.command(cls=Command)
def validate(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="Knowledge base to check ('-' reads stdin).")],
    cases: Annotated[
        bool, typer.Option("--cases", help="FILE is a case file, checked against the knowledge base (--data).")
    ] = False,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a knowledge base and list every problem in it, each as FILE:LINE: field: message.

    Prints a one-line summary and exits 0 when the file is valid; exits 2 when not.

    Example: rolefit validate roles.yaml
    """
    streams = _streams(ctx)
    if cases:
        from rolefit.scoring.cases import validate_file as validate_cases

        _one_stdin(file=file, data=data)
        validation = validate_cases(load_knowledge_base(_source(ctx, data)), streams.source(file))
    else:
        from rolefit.kb.authoring import validate_file

        validation = validate_file(streams.source(file))

    def view(streams: Streams) -> None:  # plain lines, as FILE:LINE: field: message, for editors to jump to
        if validation.valid:
            _say(streams, printable(validation.summary()))
        for problem in validation.problems:
            _say(streams, " ".join(printable(str(problem)).split()))

    emit(Output(lambda: jsonout.validation_document(validation), view), streams, as_json=as_json)
    if validation.valid:
        return
    if as_json:  # the document says what is wrong: stderr stays quiet
        raise typer.Exit(ExitCode.BAD_INPUT)
    raise RolefitError(validation.summary())


@app.command(cls=Command)
def audit(
    ctx: typer.Context,
    quiz_id: Annotated[
        str | None,
        typer.Option(
            "--for", metavar="QUIZ", help="Audit one quiz (default: every quiz).", autocompletion=complete_quizzes
        ),
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option(
            "--cases", metavar="FILE", help="Score labelled cases instead: how often the verdict is the one expected."
        ),
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 when a quiz has a problem, or cases miss.")
    ] = False,
) -> None:
    """For knowledge-base authors: how each quiz behaves over every possible answer set.

    The verdicts it gives and how often, how solid they are, what each option favours
    given alone, and problems such as a role no answers recommend or hedging options that lean.
    With --cases FILE, how often it gives real people the verdict they were advised or chose.

    Example: rolefit audit --for career --strict
    """
    _one_stdin(data=data, cases=cases)
    kb = load_knowledge_base(_source(ctx, data))
    quiz_ids = [select_quiz(kb, quiz_id)] if quiz_id is not None else list(kb.quizzes)
    if cases is not None:
        _audit_cases(ctx, kb, _streams(ctx).source(cases), quiz_ids, as_json=as_json, strict=strict)
        return
    from rolefit.scoring.audit import audit as audit_quiz

    audits = [audit_quiz(kb, q) for q in quiz_ids]

    def view(console: Console) -> None:
        from rolefit.views.terminal import audit_view

        for a in audits:
            console.print(audit_view(kb, a))

    emit(Output(lambda: jsonout.audit_document(kb, audits), drawn(view)), _streams(ctx), as_json=as_json)
    problems = sum(len(a.problems) for a in audits)
    if strict and problems:
        raise RolefitError(
            f"{problems} problem{'s' if problems != 1 else ''} found (--strict)", exit_code=ExitCode.FAILED
        )


def _audit_cases(
    ctx: typer.Context, kb: KnowledgeBase, source: str, quiz_ids: list[str], *, as_json: bool, strict: bool
) -> None:
    """`audit --cases FILE`: the cases of `quiz_ids` scored against `kb`."""
    from rolefit.scoring import cases

    name, case_file = cases.read(kb, source)
    audited = cases.audit_cases(kb, case_file, quiz_ids)

    def view(console: Console) -> None:
        from rolefit.views.terminal import cases_view

        console.print(cases_view(kb, name, audited))

    emit(Output(lambda: jsonout.cases_document(name, audited), drawn(view)), _streams(ctx), as_json=as_json)
    if strict and not audited.passes:
        raise RolefitError(
            f"the cases do not pass: {audited.quiz.tuned.agree} of {audited.quiz.tuned.cases} agree,"
            f" {audited.quiz.opposite} sent"
            f" to the other role (--strict: at least {audited.threshold:.0%}, and none)",
            exit_code=ExitCode.FAILED,
        )


@app.command(cls=Command)
def init(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write it.")] = Path("roles.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a small, commented knowledge base to start your own from.

    Two roles, three traits and a three-question quiz, with every field explained.
    It never overwrites a file unless you pass --force.

    Example: rolefit init careers.yaml
    """
    from rolefit.kb.authoring import write_starter

    streams = _streams(ctx)
    name = shlex.quote(printable(str(file)).replace("\n", "\\n").replace("\t", "\\t"))

    def announce() -> None:  # before the file takes its place: if stdout fails, no file is left
        with carried_past_click():
            _say(streams, f"Wrote {name}. Next: rolefit validate {name}")
            stdout(streams).flush()

    # Into a stream (`init /dev/stdout > kb.yaml`) the file is all there is to say.
    write_starter(file, streams, force=force, announce=None if is_stream(file, streams) else announce)


#: `rolefit schema`'s argument: the knowledge base, or a command whose document to describe.
SchemaName = Enum("SchemaName", {name: name for name in SCHEMAS}, type=str)  # type: ignore[misc]


@app.command(cls=Command)
def schema(
    ctx: typer.Context,
    name: Annotated[
        SchemaName,
        typer.Argument(metavar="[NAME]", help="The knowledge base, or the command whose --json document to describe."),
    ] = SchemaName["knowledge-base"],
) -> None:
    """Print a JSON Schema: of a knowledge-base file, or of a command's --json document.

    Editors use the knowledge-base schema to check and complete a file as you type.

    Example: rolefit schema quiz > quiz.schema.json
    """
    from rolefit.output.schemas import json_schema

    # Always indented, so that the output is the same as the copy under schemas/.
    jsonout.write(json_schema(name.value), stdout(_streams(ctx)), pretty=True)


def main() -> None:
    """The console script's entry point."""
    run(app)
