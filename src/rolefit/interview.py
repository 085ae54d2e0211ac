"""Asking a quiz's questions at a terminal, one at a time.

Everything here is written to stderr, so stdout carries only the result (a table,
or the JSON document with --json).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from rolefit.answers import Answers
from rolefit.errors import EXIT_INCOMPLETE, RolefitError
from rolefit.models import Question, Quiz
from rolefit.render import text


def ask(quiz: Quiz, console: Console) -> Answers:
    """Ask every question until each has a valid answer; return {question_id: option_id}.

    Ctrl-C raises KeyboardInterrupt to the caller; end of input is a RolefitError.
    """
    console.print(text(quiz.title, "bold"))
    if quiz.intro:
        console.print(text(quiz.intro, "dim"))
    answers: Answers = {}
    total = len(quiz.questions)
    for number, question in enumerate(quiz.questions, 1):
        console.print()
        console.print(Text(f"Question {number} of {total}", "dim"))
        console.print(text(question.text, "bold"))
        for n, option in enumerate(question.options, 1):
            console.print(Text.assemble(f"  {n}. ", text(option.label)))
        answers[question.id] = _choose(question, console)
    console.print()
    return answers


def _choose(question: Question, console: Console) -> str:
    count = len(question.options)
    while True:
        try:
            reply = console.input(Text(f"Your answer (1-{count}): ")).strip()
        except KeyboardInterrupt:
            console.print()  # leave the shell's prompt on a line of its own
            raise
        except EOFError:
            console.print()
            raise RolefitError(
                "input ended before the quiz was finished; nothing was scored", EXIT_INCOMPLETE
            ) from None
        option = _match(question, reply)
        if option is not None:
            return option
        console.print(Text(f"Please type a number from 1 to {count}.", "yellow"))


def _match(question: Question, reply: str) -> str | None:
    """The option a reply names, by its number or its id."""
    if reply.isascii() and reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return question.options[int(reply) - 1].id
    option = question.option(reply)
    return option.id if option else None
