"""Asking a quiz's questions at a terminal, one at a time.

Everything here is written to stderr, so stdout carries only the result (a table,
or the JSON document with --json). At each question the person may type `b` to go
back and change the previous answer, or `s` to skip; a last step asks which
dimensions matter most. After the verdict, a readiness check asks whether the person is
ready to decide. A quiz that was interrupted is offered to go on where it stopped
(`rolefit.scoring.progress` keeps the answers). For a screen reader (`--accessible`), each
prompt says which question it is and how to answer it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.text import Text

from rolefit.errors import ExitCode, RolefitError, printable, quoted
from rolefit.kb.models import DIMENSIONS, KnowledgeBase, Question, Quiz, ReadinessQuestion
from rolefit.scoring.answers import SKIP, option_number
from rolefit.views.drawing import Either, is_linear
from rolefit.views.rich_text import text

if TYPE_CHECKING:
    from rolefit.scoring.progress import Progress, Saved
    from rolefit.scoring.results import Answers, Replies, Weights

BACK = "b"
_GO_BACK = object()
#: The weight of the dimensions a person picks as mattering most; the others keep 1.
PICKED_WEIGHT = 2.0


def ask(
    kb: KnowledgeBase,
    quiz: Quiz,
    console: Console,
    *,
    ask_weights: bool = True,
    given: Answers | None = None,
    keep: Callable[[Answers], None] | None = None,
) -> tuple[Answers, Weights]:
    """Ask every question, then (optionally) for importance weights.

    With `given` (an interrupted run's answers), start at the first question they leave
    unanswered; `b` still goes back to them. `keep` is called with the answers so far
    after each answer. Ctrl-C raises KeyboardInterrupt to the caller; end of input is a RolefitError.
    """
    console.print(text(quiz.title, "bold"))
    if quiz.decision:
        console.print(text(quiz.decision))
    if quiz.intro:
        console.print(text(quiz.intro, "dim"))
    console.print(Text(f"Type a number; {SKIP} skips a question, {BACK} goes back to the previous one.", "dim"))
    answers: dict[str, str | None] = dict(given or {})
    index = next((i for i, q in enumerate(quiz.questions) if q.id not in answers), len(quiz.questions))
    if answers:
        them = "it" if len(answers) == 1 else "them"
        console.print(Text(f"Going on with your {_answers(len(answers))} kept; {BACK} goes back to {them}.", "dim"))
    while True:
        if index < len(quiz.questions):
            question = quiz.questions[index]
            reply = _ask_question(question, index, len(quiz.questions), answers.get(question.id), console)
            if reply is _GO_BACK:
                index = max(index - 1, 0)
                continue
            answers[question.id] = reply  # type: ignore[assignment]
            if keep is not None:
                keep(answers)
            index += 1
            continue
        weights = _ask_weights(kb, quiz, console) if ask_weights else {}
        if weights is _GO_BACK:
            index -= 1
            continue
        console.print()
        return {q.id: answers[q.id] for q in quiz.questions}, weights  # type: ignore[return-value]


def _answers(count: int) -> str:
    return f"{count} answer{'s' if count != 1 else ''}"


def answers_to_go_on_from(
    quiz_id: str, quiz: Quiz, saved: Saved | None, go_on: bool | None, console: Console, *, none: str | None = None
) -> Answers:
    """The answers an interrupted run kept that the quiz starts from: offered, unless `go_on`
    chose (True: `--resume`, which with nothing kept is an error, saying why when `none`
    does; False: `--restart`)."""
    if go_on is False:
        return {}
    if saved is not None and saved.dropped and (saved.answers or go_on is None):
        if saved.answers:
            one = saved.dropped == 1
            dropped = (
                f"{saved.dropped} of your answers {'was' if one else 'were'} dropped:"
                f" {'its question has' if one else 'their questions have'} changed or gone"
            )
        else:
            dropped = "your saved answers were dropped: it starts afresh"
        console.print(Text(f"The quiz has changed since you stopped, so {dropped}.", "yellow"))
    if saved is None or not saved.answers:
        if go_on:
            why = "the quiz has changed since, and none of them still holds" if saved else none or "there are none"
            raise RolefitError(
                f"--resume: no saved answers to go on from for the quiz {quoted(quiz_id)} ({why}): answers"
                " are kept when a quiz asked at a terminal is interrupted; drop --resume to start it"
            )
        return {}
    if go_on is None and not _offer(quiz, saved, console):
        return {}
    return saved.answers


def _offer(quiz: Quiz, saved: Saved, console: Console) -> bool:
    """Whether the person goes on where they stopped (Enter: yes)."""
    at, total = saved.position(quiz), len(quiz.questions)
    every = "the only question" if total == 1 else f"all {total} questions"
    stopped = f"question {at + 1} of {total}" if at < total else f"the last step, {every} answered,"
    try:
        when = saved.saved.astimezone()
    except (ValueError, OverflowError):  # a local zone Python cannot hold (TZ=UTC+25): the time as saved
        when = saved.saved
    console.print(
        Text.assemble(
            f'You stopped at {stopped} of "', text(quiz.title, "bold"), f'" on {when.day} {when:%B %Y at %H:%M}.'
        )
    )
    how = "Type y to go on or n to start afresh, and press Enter; Enter alone goes on: "
    prompt = _prompt(console, Text("Go on where you left off? [Y/n] "), Text(f"Go on where you left off?\n{how}"))
    while True:
        reply = _read(console, prompt).lower()
        if reply in ("", "y", "yes"):
            return True
        if reply in ("n", "no"):
            return False
        warning = Text("Please type y to go on, or n to start afresh.", "yellow")
        prompt = _again(console, warning, prompt, Text(_not_an_option(how)))


def kept_note(progress: Progress | None, again: str) -> str | None:
    """The line to say when a quiz stops before its end: where its answers are kept and how to
    go on, or why the answers given could not be kept."""
    if progress is None:
        return None
    how = f"run `{again}` again to go on, or `{again} --restart` to start afresh."
    if progress.kept and progress.where is not None:
        where = _home_as_tilde(progress.where)
        if progress.problem is not None:  # kept once, but not the last answers (a disk that filled up)
            return (
                f"Your latest answers could not be kept ({progress.problem}); those kept before are in {where}: {how}"
            )
        return f"Your answers so far are kept in {where}: {how}"
    if progress.problem is not None:
        return f"Your answers so far could not be kept: {progress.problem}."
    return None


def _home_as_tilde(path: Path) -> str:
    try:
        home = Path.home()
    except RuntimeError:
        return printable(str(path))
    shown = f"~/{path.relative_to(home).as_posix()}" if path.is_relative_to(home) and path != home else str(path)
    return printable(shown)


def _ask_question(question: Question, index: int, total: int, previous: str | None, console: Console) -> object:
    """The option id chosen, None to skip, or _GO_BACK."""
    console.print()
    number = f"Question {index + 1} of {total}"
    console.print(Either(Group(Text(number, "dim"), text(question.text, "bold")), text(f"{number}: {question.text}")))
    for n, option in enumerate(question.options, 1):
        mark = "  (your answer)" if option.id == previous else ""
        console.print(Text.assemble(f"  {n}. ", text(option.label), Text(mark, "dim")))
    count = len(question.options)
    choices = f"1-{count}, {SKIP} to skip" + (f", {BACK} to go back" if index else "")
    how = f"Type a number from 1 to {count} and press Enter; {SKIP} skips this question"
    how += f"; {BACK} goes back to question {index}" if index else ""
    if previous is not None:  # back here after `b`: Enter keeps what was answered
        choices += ", Enter to keep your answer"
        how += "; Enter alone keeps your answer"
    prompt = _prompt(console, Text(f"Your answer ({choices}): "), Text(f"{how}.\n{number}, your answer: "))
    while True:
        reply = _read(console, prompt).lower()
        if not reply and previous is not None:
            return previous
        if reply == SKIP:
            return None
        if reply == BACK and index:
            return _GO_BACK
        if option_number(reply, count):
            return question.options[int(reply) - 1].id
        named = question.option(reply)
        if named is not None:
            return named.id
        back = f", {BACK} to go back" if index else ""
        warning = Text(f"Please type a number from 1 to {count}, or {SKIP} to skip{back}.", "yellow")
        prompt = _again(console, warning, prompt, Text(f"{_not_an_option(how)}.\n{number}, your answer: "))


def _ask_weights(kb: KnowledgeBase, quiz: Quiz, console: Console) -> Weights | object:
    """The weights picked, or _GO_BACK to return to the last question."""
    console.print()
    console.print(Text("Last step: which of these matter most to you?", "bold"))
    for n, dimension in enumerate(DIMENSIONS, 1):
        about = "; ".join(kb.trait_name(t, quiz) for t in _asked_about(kb, quiz, dimension))
        console.print(
            Text.assemble(
                f"  {n}. ", text(kb.dimension_name(dimension, quiz)), text(f": {about}" if about else "", "dim")
            )
        )
    drawn = f"Type up to two numbers (e.g. 1 5), {BACK} to go back, or press Enter to weigh them equally: "
    how = (
        f"Type up to two numbers, such as 1 5, and press Enter; {BACK} goes back to question"
        f" {len(quiz.questions)}; Enter alone weighs them all equally."
    )
    prompt = _prompt(console, Text(drawn), Text(f"{how}\nLast step, your choice: "))
    while True:
        reply = _read(console, prompt)
        if reply.lower() == BACK:
            return _GO_BACK
        picked = reply.replace(",", " ").split()
        if len(picked) <= 2 and all(option_number(p, len(DIMENSIONS)) for p in picked):
            return {DIMENSIONS[int(p) - 1]: PICKED_WEIGHT for p in picked}
        warning = Text(f"Please type one or two numbers from 1 to {len(DIMENSIONS)}, or just Enter.", "yellow")
        prompt = _again(console, warning, prompt, Text(f"{_not_an_option(how)}\nLast step, your choice: "))


def _asked_about(kb: KnowledgeBase, quiz: Quiz, dimension: str) -> list[str]:
    """The traits of `dimension` that the quiz's questions ask about, in the order asked: what
    the dimension means here, in the knowledge base's own words ("Focus" alone says little)."""
    traits = (t for q in quiz.questions for o in q.options for t in o.places if kb.traits[t].dimension == dimension)
    return list(dict.fromkeys(traits))


def ask_readiness(verdict: str, questions: Sequence[ReadinessQuestion], console: Console) -> Replies:
    """After the verdict: yes-or-no questions on whether the person is ready to decide. Enter
    skips a question, and `s` (or the end of input) the rest: the quiz is scored already."""
    console.print()
    console.print(Text.assemble(("Your verdict: ", "bold"), text(verdict)))
    console.print(
        Text(
            f"Before the details, {len(questions)} quick questions: y or n, Enter to skip one, s to skip the rest.",
            "dim",
        )
    )
    replies: dict[str, bool] = {}
    for number, question in enumerate(questions, 1):
        asked = f"Readiness question {number} of {len(questions)}: {question.text}"
        how = f"Type y or n and press Enter; Enter alone skips it; {SKIP} skips the rest: "
        prompt = _prompt(console, Text.assemble(text(question.text), " (y/n) "), Text.assemble(text(asked), "\n", how))
        while True:
            try:
                reply = _input(console, prompt).strip().lower()
            except EOFError:
                console.print()
                return replies
            if reply == SKIP:
                return replies
            if reply in ("y", "yes", "n", "no"):
                replies[question.id] = reply.startswith("y")
                break
            if not reply:
                break
            warning = Text(f"Please type y or n, Enter to skip, or {SKIP} to skip the rest.", "yellow")
            prompt = _again(console, warning, prompt, Text(_not_an_option(how)))
    if is_linear(console):  # read out, the last answer apart from the result that follows
        console.print()
    return replies


def _again(console: Console, warning: Text, prompt: Text, read: Text) -> Text:
    """The prompt after a reply that is none of those asked for. For the eye: a warning, then
    the same prompt. Read out: `read` alone, which says both; the warning and then the prompt's
    own "how to answer" would say the same twice over."""
    if is_linear(console):
        return read
    console.print(warning)
    return prompt


def _not_an_option(how: str) -> str:
    return f"Not an option: {how[:1].lower()}{how[1:]}"


def _prompt(console: Console, drawn: Text, read: Text) -> Text:
    """A prompt as drawn, or as read out by a screen reader. (Not an `Either`: Rich ends
    any prompt but a Text with a new line.)"""
    return read if is_linear(console) else drawn


def _input(console: Console, prompt: Text) -> str:
    """A line typed at `prompt`. Stopped there (Ctrl-C, SIGTERM), the prompt's line is ended
    first, so that what is said next (where the answers are kept) and the shell's prompt
    each start a line of their own."""
    try:
        return console.input(prompt)
    except (KeyboardInterrupt, SystemExit):
        with contextlib.suppress(OSError, ValueError):  # a terminal that has gone (SIGHUP)
            console.print()
        raise


def _read(console: Console, prompt: Text) -> str:
    try:
        return _input(console, prompt).strip()
    except EOFError:
        console.print()
        raise RolefitError("input ended before the quiz was finished; nothing was scored", ExitCode.FAILED) from None
    except OSError as e:  # the terminal went away, or stdin cannot be read
        raise RolefitError(f"cannot read the answer: {e.strerror or e}; nothing was scored", ExitCode.FAILED) from None
