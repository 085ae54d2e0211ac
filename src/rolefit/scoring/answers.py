"""Which answers to score (from a file, an answer code, or by asking), checked
against a quiz; importance weights.

An answers file is `{question_id: option_id}` (null for a skipped question), or a
document printed by `rolefit quiz --json` / written by `--save`, whose `answers`
(and `weights`) fields hold the same. An answer code packs the same into one
shell-safe word: `career:1-2-3-s-4+focus=2,income=0`, the option numbers in the
quiz's order, `s` for a skipped question, then any weights that are not 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolefit.errors import ExitCode, RolefitError, known, quoted
from rolefit.files import read_bytes
from rolefit.kb.load import select_quiz
from rolefit.kb.models import DIMENSIONS, KnowledgeBase, Question, Quiz
from rolefit.kb.reader import Document, parse

if TYPE_CHECKING:
    from collections.abc import Callable

    from rolefit.scoring.results import Answers, Replies, Weights

    #: Asking a quiz at a terminal: (quiz id, whether to ask for weights too) -> answers and weights.
    Ask = Callable[[str, bool], tuple[Answers, Weights]]


MAX_WEIGHT = 10.0
#: A skipped question, in an answer code and at the quiz's prompt.
SKIP = "s"


def choose_answers(
    kb: KnowledgeBase,
    quiz_id: str | None,
    *,
    source: str | Path | None,
    code: str | None,
    weights: Weights,
    ask: Ask | None,
) -> tuple[str, Answers, Weights, Replies | None]:
    """The quiz, answers and weights to score: from an answer code, an answers file, or by asking;
    and the replies to the readiness check an answers file gives (None without any).

    `ask` asks at a terminal; None when nobody is there to ask. Weights given here
    (`--weight`) replace, dimension by dimension, those saved in a file or a code.
    """
    if source is not None and code is not None:
        raise RolefitError("give either --answers or --code, not both")
    if code is not None:
        coded_quiz, given, saved = decode(kb, code)
        if quiz_id is not None and quiz_id != coded_quiz:
            raise RolefitError(f"--for {quiz_id} does not match the code's quiz, {coded_quiz}")
        return coded_quiz, given, {**saved, **weights}, None
    if source is not None:
        if quiz_id is not None:
            select_quiz(kb, quiz_id)  # an unknown --for is named before the file is read
        quiz_id, given, saved_weights, replies = _answers_in(parse(*read_bytes(source)), kb, quiz_id)
        return quiz_id, given, {**(saved_weights or {}), **weights}, replies
    quiz_id = select_quiz(kb, quiz_id)
    if ask is None:
        raise RolefitError(
            "stdin is not a terminal, so there is nobody to ask: pass --answers FILE or --code CODE"
            f" (`rolefit questions --for {quiz_id}` lists the ids)",
            ExitCode.BAD_INPUT,
        )
    given, asked = ask(quiz_id, not weights)
    return quiz_id, given, weights or asked, None


def load_answers(source: str | Path, kb: KnowledgeBase, quiz_id: str | None) -> tuple[str, Answers, Weights | None]:
    """Read an answers file (or standard input): its quiz, its answers, and the weights it saved, if any.

    A saved result names its quiz, which is used when `quiz_id` is None; a plain
    mapping is for `quiz_id`, or the knowledge base's default quiz.
    """
    return _answers_in(parse(*read_bytes(source)), kb, quiz_id)[:3]


def _answers_in(
    document: Document, kb: KnowledgeBase, quiz_id: str | None
) -> tuple[str, Answers, Weights | None, Replies | None]:
    data, weights, readiness = document.data, None, None
    loc: tuple[str, ...] = ()
    saved = isinstance(data, dict) and (
        isinstance(data.get("answers"), dict) or {"schema_version", "quiz", "answers"} <= data.keys()
    )
    if saved:
        saved_quiz = data.get("quiz")
        if saved_quiz is not None and not isinstance(saved_quiz, str):
            raise document.error(("quiz",), f"expected a quiz id, got {quoted(saved_quiz)}")
        if saved_quiz is not None:
            if saved_quiz not in kb.quizzes:
                raise document.error(("quiz",), f"unknown quiz {quoted(saved_quiz)}{known(kb.quizzes)}")
            if quiz_id is not None and saved_quiz != quiz_id:
                raise document.error(
                    ("quiz",), f"these answers are for the {quoted(saved_quiz)} quiz, not {quoted(quiz_id)}"
                )
            quiz_id = saved_quiz
        if "weights" in data:
            weights = _weights_from(data["weights"], document)
        readiness = data.get("readiness")
        data, loc = data["answers"], ("answers",)
    if not isinstance(data, dict):
        raise document.error(loc, f"expected a mapping of question id to option id, got {quoted(data)}")
    quiz_id = quiz_id or kb.default_quiz_id
    quiz = kb.quizzes[quiz_id]
    replies = None if readiness is None else _replies(quiz, readiness, document)
    return quiz_id, resolve_answers(quiz_id, quiz, data, document, loc), weights, replies


def _replies(quiz: Quiz, given: Any, document: Document) -> Replies:
    """The readiness check's replies in a saved answers file: question id to yes or no (a
    saved result's list of `{question, answer}` as well, null being skipped)."""
    if isinstance(given, list):  # as `--save` writes it
        pairs = [(r.get("question"), r.get("answer")) for r in given if isinstance(r, dict)]
        if len(pairs) != len(given):
            raise document.error(("readiness",), "expected a list of {question, answer}, as --save writes it")
        given = {q: a for q, a in pairs if a is not None}
    if not isinstance(given, dict):
        raise document.error(("readiness",), f"expected a mapping of question id to yes or no, got {quoted(given)}")
    ids = [q.id for q in quiz.readiness]
    replies: dict[str, bool] = {}
    for key, value in given.items():
        if key not in ids:
            raise document.error(("readiness", str(key)), f"unknown readiness question {quoted(key)}{known(ids)}")
        answer = {"yes": True, "no": False}.get(value, value) if isinstance(value, str) else value
        if not isinstance(answer, bool):
            raise document.error(("readiness", key), f"expected yes or no, got {quoted(value)}")
        replies[key] = answer
    return replies


def resolve_answers(
    quiz_id: str, quiz: Quiz, given: Mapping[Any, Any], document: Document, loc: tuple[str, ...] = ()
) -> Answers:
    """Map every question of `quiz` to one of its option ids (None if skipped), or raise naming what is wrong."""
    ids = {q.id for q in quiz.questions}
    for key in given:
        if not isinstance(key, str) or key not in ids:
            raise document.error(
                (*loc, str(key)),
                f"unknown question {quoted(key)} in quiz {quoted(quiz_id)}{known(q.id for q in quiz.questions)}",
            )
    answers: dict[str, str | None] = {}
    for question in quiz.questions:
        if question.id not in given:
            raise document.error(loc, f"no answer for question {quoted(question.id)} (null skips it)")
        value = given[question.id]
        answers[question.id] = None if value is None else _option_id(question, value, document, (*loc, question.id))
    return answers


def _option_id(question: Question, value: Any, document: Document, loc: tuple[str, ...]) -> str:
    """An option id, also accepting an option's number as `rolefit questions` shows it."""
    if isinstance(value, str) and question.option(value) is not None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(question.options):
        return question.options[value - 1].id
    raise document.error(
        loc,
        f"unknown option {quoted(value)} for question {quoted(question.id)}{known(o.id for o in question.options)}",
    )


def _weights_from(value: Any, document: Document) -> Weights:
    if not isinstance(value, dict):
        raise document.error(("weights",), f"expected a mapping of dimension to weight, got {quoted(value)}")
    weights: dict[str, float] = {}
    for dimension, weight in value.items():
        try:
            weights[_dimension(dimension)] = _weight(weight)
        except RolefitError as e:
            raise document.error(("weights", str(dimension)), e.message) from None
    return weights


def parse_weights(items: Iterable[str], what: str = "--weight") -> Weights:
    """`DIMENSION=N` items: each dimension's importance, from 0 (ignore) to 10."""
    weights: dict[str, float] = {}
    for item in items:
        dimension, sep, number = item.partition("=")
        if not sep:
            raise RolefitError(f"{what} {quoted(item)}: expected DIMENSION=N, for example income=2")
        try:
            weights[_dimension(dimension.strip())] = _weight(_number(number.strip()))
        except RolefitError as e:
            raise RolefitError(f"{what} {quoted(item)}: {e.message}") from None
    return weights


#: A decimal number as people write one: not `1_0`, `１０` or `nan`, which float() also reads.
_DECIMAL = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", re.ASCII)


def _number(text: str) -> float:
    if not _DECIMAL.fullmatch(text):
        raise RolefitError(f"expected a number, got {quoted(text)}")
    value = float(text)
    if not math.isfinite(value):  # too many digits for a float: say what was written
        raise RolefitError(f"expected a number from 0 to {MAX_WEIGHT:g}, got {quoted(text)}")
    return value


def _dimension(name: Any) -> str:
    if name in DIMENSIONS:
        return str(name)
    raise RolefitError(f"unknown dimension {quoted(name)} (known: {', '.join(DIMENSIONS)})")


def _weight(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RolefitError(f"expected a number from 0 to {MAX_WEIGHT:g}, got {quoted(value)}")
    if not 0 <= value <= MAX_WEIGHT:
        raise RolefitError(f"expected a number from 0 to {MAX_WEIGHT:g}, got {quoted(value)}")
    return float(value) + 0.0  # -0 is 0


def encode(quiz_id: str, quiz: Quiz, answers: Mapping[str, str | None], weights: Mapping[str, float]) -> str:
    """The answer code that `decode` turns back into exactly these answers and weights."""
    numbers = []
    for question in quiz.questions:
        option_id = answers.get(question.id)
        numbers.append(SKIP if option_id is None else str([o.id for o in question.options].index(option_id) + 1))
    code = f"{quiz_id}:{'-'.join(numbers)}"
    changed = [f"{d}={_number_text(weights[d])}" for d in DIMENSIONS if weights.get(d, 1.0) != 1.0]
    return code + ("+" + ",".join(changed) if changed else "")


def _number_text(value: float) -> str:
    """The shortest text that reads back as exactly `value` (2 for 2.0, 0.1 for 0.1)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


_CODE = re.compile(r"^(?P<quiz>[a-z0-9][a-z0-9_-]{0,63}):(?P<answers>[0-9s]+(?:-[0-9s]+)*)(?:\+(?P<weights>[^\s]+))?$")


def option_number(part: str, count: int) -> bool:
    """Whether `part` is a number from 1 to `count` in ASCII digits. Its length is checked
    first: Python refuses to read an integer of more than 4,300 digits."""
    return len(part) <= len(str(count)) and part.isascii() and part.isdigit() and 1 <= int(part) <= count


def decode(kb: KnowledgeBase, code: str) -> tuple[str, Answers, Weights]:
    """The quiz id, answers and weights an answer code stands for."""
    match = _CODE.match(code.strip())
    if match is None:
        raise RolefitError(
            f"answer code {quoted(code)} does not decode: expected QUIZ:N-N-...[+dimension=N,...], e.g. career:1-2-s-3"
        )
    quiz_id = match["quiz"]
    if quiz_id not in kb.quizzes:
        raise RolefitError(f"answer code {quoted(code)}: unknown quiz {quoted(quiz_id)}{known(kb.quizzes)}")
    quiz = kb.quizzes[quiz_id]
    parts = match["answers"].split("-")
    if len(parts) != len(quiz.questions):
        raise RolefitError(
            f"answer code {quoted(code)}: has {len(parts)} answers, but quiz {quoted(quiz_id)} has"
            f" {len(quiz.questions)} questions"
        )
    answers: dict[str, str | None] = {}
    for position, (question, part) in enumerate(zip(quiz.questions, parts, strict=True), 1):
        if part == SKIP:
            answers[question.id] = None
        elif option_number(part, len(question.options)):
            answers[question.id] = question.options[int(part) - 1].id
        else:
            raise RolefitError(
                f"answer code {quoted(code)}: answer {position} ({question.id}) must be 1 to"
                f" {len(question.options)} or s, got {quoted(part)}"
            )
    weights = (
        parse_weights(match["weights"].split(","), f"answer code {quoted(code)}: weight") if match["weights"] else {}
    )
    return quiz_id, answers, weights
