"""An interrupted quiz's answers so far, kept in the user's state directory, so that the
next `rolefit quiz` at a terminal can go on where it stopped.

One file per quiz of a knowledge base, found by the quiz's id and where the knowledge
base is (the built-in one, or a file's real path; one read from stdin or a pipe keeps
nothing), written after every answer (so a run that is killed loses at most the question
being asked) and removed when the quiz ends with its result:

    {"rolefit":"progress","format":1,"quiz":"career","source":"built-in","saved":"2025-05-03T14:02:11+00:00",
     "answers":[{"question":"coaching","option":"coach","asked":"<digest of the question>"}, ...]}

Each answer carries a digest of its question as it was asked: its id, its words, and its
options' ids and words. An answer is kept only while its question is asked the same way,
so a knowledge base edited since never goes on with an answer to a question that has
changed or gone: those are dropped, and `Saved.dropped` counts them for the offer to say.

The file is kept as the cache is (`rolefit.private`): in a private directory of the
user's, never through a link, written whole or not at all. It is data, never code: JSON,
checked field by field when read; a file that is not one of these, or not for this quiz
of this knowledge base, is ignored (and replaced by the next answer saved). Keeping is
best effort: a state directory that cannot be written leaves the quiz as it was, and
`Progress.problem` says why.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from rolefit import private
from rolefit.files import is_regular_file, shown_name
from rolefit.kb.models import KnowledgeBase, Question, Quiz
from rolefit.streams import StandardInput

#: Set to a directory to keep an interrupted quiz's answers there, or to an empty string to keep none.
STATE_ENV = "ROLEFIT_STATE_DIR"
#: Raised whenever what the file holds changes; a file of another format is ignored.
FORMAT = 1
#: How every progress file begins (orjson writes the keys in this order, with no spaces).
_MAGIC = b'{"rolefit":"progress"'
#: A quiz of 200 questions keeps about 20 kB; anything much larger is not one of ours...
_LIMIT = 1024 * 1024
#: ...but for a quiz of thousands of questions: an answer takes at most about 200 bytes (two
#: ids of 64 ASCII characters, a digest of 32 and the keys), and each may add this much.
_PER_QUESTION = 256
#: A temporary file older than this (seconds) was left by a run that died while saving.
_STALE = 600
_KEYS = {"rolefit", "format", "quiz", "source", "saved", "answers"}
_ANSWER_KEYS = {"question", "option", "asked"}
#: The source of the built-in knowledge base, wherever rolefit is installed.
BUILT_IN = "built-in"


def state_dir() -> Path | None:
    """Where progress is kept: `ROLEFIT_STATE_DIR` if set (empty or relative: nowhere), else the
    platform's state directory for rolefit (`$XDG_STATE_HOME/rolefit`, `~/.local/state/rolefit`)."""
    return private.location(STATE_ENV, _platform_state_dir)


def _platform_state_dir() -> str:
    import platformdirs

    return platformdirs.user_state_dir("rolefit", appauthor=False)


@dataclass(frozen=True)
class Saved:
    """What an earlier run of a quiz kept: the answers that still fit its questions, and when."""

    #: Question id -> option id (None: skipped), in the quiz's order.
    answers: Mapping[str, str | None]
    #: When the last of them was given.
    saved: datetime.datetime
    #: How many answers were to questions that have changed or gone since, and were dropped.
    dropped: int

    def position(self, quiz: Quiz) -> int:
        """The index of the first question not answered: where the quiz goes on
        (the number of questions: the last step, which dimensions matter most)."""
        return next((i for i, q in enumerate(quiz.questions) if q.id not in self.answers), len(quiz.questions))


class Progress:
    """One quiz's kept answers, for one knowledge base: read, saved after each answer, removed at the end."""

    def __init__(self, quiz_id: str, quiz: Quiz, source: str) -> None:
        # A path that is not UTF-8 names its own file (by its bytes), and is written as JSON can hold it.
        self.quiz_id, self.quiz, self.source = quiz_id, quiz, shown_name(source)
        self.where = state_dir()
        key = f"{source}\0{quiz_id}".encode("utf-8", "surrogateescape")
        self.name = "progress-" + hashlib.sha256(key).hexdigest() + ".json"
        self._asked = {q.id: asked(q) for q in quiz.questions}
        #: Whether a file holds answers to go on from, as far as this run knows.
        self.kept = False
        #: Why the last answers could not be kept, if they could not.
        self.problem: str | None = None

    @classmethod
    def of(cls, kb: KnowledgeBase, quiz_id: str, source: str | Path | None) -> Progress | None:
        """The progress of `quiz_id` of the knowledge base read from `source` (None: the built-in
        one); None for one read from stdin or from anything but a regular file, which may be
        different the next time."""
        if source is None:
            return cls(quiz_id, kb.quizzes[quiz_id], BUILT_IN)
        if isinstance(source, StandardInput) or not is_regular_file(source):
            return None
        from rolefit.kb.load import default_path

        try:
            real = os.path.realpath(source)
        except OSError:  # a relative path from a working directory removed since: the path as given
            real = str(source)
        return cls(quiz_id, kb.quizzes[quiz_id], BUILT_IN if real == str(default_path()) else real)

    def load(self) -> Saved | None:
        """What an earlier run kept for this quiz, or None (nothing, or nothing that is ours)."""
        directory = private.open_directory(self.where, create=False)
        if directory is None:
            return None
        try:
            blob = private.read(directory, self.name, _LIMIT + _PER_QUESTION * len(self.quiz.questions))
            saved = None if blob is None else self._unpack(blob)
        except (OSError, ValueError):  # a file that cannot be read or is not ours: nothing kept
            saved = None
        finally:
            os.close(directory)
        self.kept = saved is not None and bool(saved.answers)
        return saved

    def unread(self) -> str | None:
        """Why `load` could read nothing when the state directory is there: it is not one
        rolefit can trust (a link, another user's, writable by others); None otherwise."""
        if self.where is None or not private.SUPPORTED or not os.path.lexists(self.where):
            return None
        directory = private.open_directory(self.where, create=False)
        if directory is not None:
            os.close(directory)
            return None
        return _not_private(self.where)

    def save(self, answers: Mapping[str, str | None]) -> None:
        """Keep `answers` (those to this quiz's questions), replacing what was kept before. Never raises
        for want of a place to keep them: `problem` says why they could not be kept."""
        entry = {
            "rolefit": "progress",
            "format": FORMAT,
            "quiz": self.quiz_id,
            "source": self.source,
            "saved": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "answers": [
                {"question": q.id, "option": answers[q.id], "asked": self._asked[q.id]}
                for q in self.quiz.questions
                if q.id in answers
            ],
        }
        directory = private.open_directory(self.where, create=True, parents=2)
        if directory is None:
            if not private.SUPPORTED:
                self.problem = "this system has no private directory of yours that rolefit can use"
            elif self.where is None:
                self.problem = "there is no state directory to keep them in"
            else:
                self.problem = _not_private(self.where)
            return
        try:
            private.write(directory, self.name, orjson.dumps(entry))
        except OSError as e:
            self.problem = f"cannot write in {self.where}: {e.strerror or e}"
        else:
            self.kept, self.problem = True, None
        finally:
            os.close(directory)

    def finish(self) -> None:
        """The quiz has ended with its result: remove what was kept for it (a file rolefit did not write is left
        alone), and any temporary file of it that a run killed while saving left behind."""
        self.kept = False
        directory = private.open_directory(self.where, create=False)
        if directory is None:
            return
        try:
            if private.ours(directory, self.name, _MAGIC):
                private.remove(directory, self.name)
            private.remove_stale(directory, f".{self.name.removesuffix('.json')}.", _STALE)
        finally:
            os.close(directory)

    def _unpack(self, blob: bytes) -> Saved | None:
        """The answers in a file's bytes that still fit the quiz, or None if it is not
        progress of this quiz of this knowledge base, in this format."""
        try:
            entry = orjson.loads(blob)
        except orjson.JSONDecodeError:
            return None
        if type(entry) is not dict or entry.keys() != _KEYS:
            return None
        if (entry["rolefit"], entry["quiz"], entry["source"]) != ("progress", self.quiz_id, self.source):
            return None
        if type(entry["format"]) is not int or entry["format"] != FORMAT:
            return None
        saved = _moment(entry["saved"])
        given = entry["answers"]
        if saved is None or type(given) is not list or not all(_is_answer(a) for a in given):
            return None
        if len({a["question"] for a in given}) != len(given):
            return None
        questions = {q.id: q for q in self.quiz.questions}
        kept = {}
        for answer in given:
            question = questions.get(answer["question"])
            option = answer["option"]
            if (
                question is not None
                and answer["asked"] == self._asked[question.id]
                and (option is None or question.option(option) is not None)
            ):
                kept[question.id] = option
        in_order = {q.id: kept[q.id] for q in self.quiz.questions if q.id in kept}
        return Saved(in_order, saved, len(given) - len(kept))


def _not_private(where: Path) -> str:
    return f"{where} is not a private directory of yours that rolefit can use"


def asked(question: Question) -> str:
    """A digest of a question as a person sees it: its id, its words, its options' ids and words."""
    words = orjson.dumps([question.id, question.text, [[o.id, o.label] for o in question.options]])
    return hashlib.sha256(words).hexdigest()[:32]


def _is_answer(value: Any) -> bool:
    return (
        type(value) is dict
        and value.keys() == _ANSWER_KEYS
        and type(value["question"]) is str
        and (value["option"] is None or type(value["option"]) is str)
        and type(value["asked"]) is str
    )


def _moment(value: Any) -> datetime.datetime | None:
    """A time with its offset from UTC, as `save` writes it, that any time zone can show; None
    for anything else (a year 1 or 9999 moved into the local zone is out of datetime's range)."""
    if type(value) is not str or len(value) > 40:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or not datetime.MINYEAR < moment.year < datetime.MAXYEAR:
        return None
    return moment
