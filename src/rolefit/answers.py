"""Answers files: a mapping of question id to option id, checked against a quiz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rolefit.documents import Document, read_document
from rolefit.errors import describe
from rolefit.models import Question, Quiz

Answers = dict[str, str]


def load_answers(source: str | Path, quiz_id: str, quiz: Quiz) -> Answers:
    """Read an answers file (or stdin, "-") and resolve it against `quiz`.

    The file is either `{question_id: option_id}` or a rolefit quiz JSON document,
    whose `answers` field holds that mapping.
    """
    document = read_document(source)
    data, loc = document.data, ()
    if isinstance(data, dict) and (isinstance(data.get("answers"), dict) or {"schema_version", "quiz", "answers"} <= data.keys()):
        saved_quiz = data.get("quiz", quiz_id)
        if not isinstance(saved_quiz, str):
            raise document.error(("quiz",), f"expected a quiz id, got {describe(saved_quiz)}")
        if saved_quiz != quiz_id:
            raise document.error(("quiz",), f"these answers are for the {describe(saved_quiz)} quiz, not {describe(quiz_id)}")
        data, loc = data["answers"], ("answers",)
    if not isinstance(data, dict):
        raise document.error(loc, f"expected a mapping of question id to option id, got {describe(data)}")
    return resolve_answers(quiz_id, quiz, data, document, loc)


def resolve_answers(
    quiz_id: str, quiz: Quiz, given: dict[Any, Any], document: Document, loc: tuple[str, ...] = ()
) -> Answers:
    """Map every question of `quiz` to one of its option ids, or raise naming what is wrong."""
    for key in given:
        if not isinstance(key, str) or quiz.question(key) is None:
            known = ", ".join(q.id for q in quiz.questions)
            raise document.error(
                (*loc, str(key)), f"unknown question {describe(key)} in quiz {describe(quiz_id)} (known: {known})"
            )
    answers: Answers = {}
    for question in quiz.questions:
        if question.id not in given:
            raise document.error(loc, f"no answer for question {describe(question.id)}")
        answers[question.id] = _option_id(question, given[question.id], document, (*loc, question.id))
    return answers


def _option_id(question: Question, value: Any, document: Document, loc: tuple[str, ...]) -> str:
    """An option id, also accepting an option's number as `rolefit questions` shows it."""
    if isinstance(value, str) and question.option(value) is not None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(question.options):
        return question.options[value - 1].id
    known = ", ".join(o.id for o in question.options)
    raise document.error(
        loc, f"unknown option {describe(value)} for question {describe(question.id)} (known: {known})"
    )
