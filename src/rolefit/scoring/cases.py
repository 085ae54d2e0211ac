"""How a knowledge base does on labelled cases: each case's answers scored, its verdict
compared with the verdicts that would be right (`rolefit audit --cases FILE`).

A verdict is named as a case names it: a role's or an alternative's id when it
recommends one, `both` or `neither`. A case agrees when its verdict is one of those
expected; `neither` expected means no role, so that any of the quiz's alternatives
agrees with it too. A miss is *opposite* when the verdict names one role and the case
expected another role alone: the one kind of miss that sends a person the wrong way
rather than too cautiously.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from rolefit.errors import ExitCode, RolefitError, known, quoted
from rolefit.files import neighbour, shown_name
from rolefit.kb.authoring import FileProblem, Validation, unparsed
from rolefit.kb.cases import BOTH, NEITHER, Case, CaseFile, load_cases, read_cases
from rolefit.kb.models import DataProblem, KnowledgeBase
from rolefit.kb.reader import format_location
from rolefit.scoring.answers import decode
from rolefit.scoring.results import QuizResult, StabilityLabel
from rolefit.scoring.score import score
from rolefit.streams import StandardInput


class Judged(NamedTuple):
    """A verdict compared with a case's expected ones."""

    agrees: bool
    #: Whether it names one role where the case expected another role alone.
    opposite: bool


def judge(kb: KnowledgeBase, quiz_id: str, got: str, expected: Sequence[str]) -> Judged:
    """A verdict (named as cases name them) against the verdicts a case expects."""
    alternative = got in kb.quizzes[quiz_id].alternatives
    agrees = got in expected or (alternative and NEITHER in expected)
    roles_expected = [e for e in expected if e in kb.roles]
    return Judged(agrees, not agrees and got in kb.roles and bool(roles_expected) and BOTH not in expected)


class CaseResult(NamedTuple):
    case: Case
    quiz: str
    #: The verdict, named as cases name them: a role id, `both` or `neither`.
    got: str
    #: The roles the verdict recommends.
    roles: tuple[str, ...]
    label: StabilityLabel
    agrees: bool
    opposite: bool
    #: The case's `reader` verdict compared, when it has one.
    reader: Judged | None = None


class Agreement(NamedTuple):
    cases: int
    agree: int

    @property
    def share(self) -> float | None:
        return self.agree / self.cases if self.cases else None


class Scorecard(NamedTuple):
    """Agreement on the cases tuned on (not held out), on those held out and on all, and how
    many misses sent a person to another role than the one expected."""

    tuned: Agreement
    held_out: Agreement
    every: Agreement
    opposite: int


def scorecard(judged: Sequence[tuple[Case, Judged]]) -> Scorecard:
    def agreement(part: list[Judged]) -> Agreement:
        return Agreement(len(part), sum(j.agrees for j in part))

    return Scorecard(
        agreement([j for c, j in judged if not c.held_out]),
        agreement([j for c, j in judged if c.held_out]),
        agreement([j for _, j in judged]),
        sum(j.opposite for _, j in judged),
    )


class CasesAudit(NamedTuple):
    results: tuple[CaseResult, ...]
    #: The quiz's verdicts against the cases.
    quiz: Scorecard
    #: The careful reader's (`Case.reader`), on the cases that have one; None when none has.
    reader: Scorecard | None
    threshold: float

    @property
    def passes(self) -> bool:
        """Whether agreement on the cases tuned on reaches the file's threshold, with no opposite miss."""
        share = self.quiz.tuned.share
        return share is not None and share >= self.threshold and not self.quiz.opposite


#: The most cases a file may hold: each is scored in full with its stability check (a few
#: milliseconds), and real people's cases are counted in tens or hundreds, not thousands.
MAX_CASES = 2_000


def problems(kb: KnowledgeBase, cases: CaseFile) -> Iterator[DataProblem]:
    """What in a case file does not fit the knowledge base: too many cases, answer codes that
    do not decode, and expected verdicts that are neither its roles nor `both` or `neither`."""
    if len(cases.cases) > MAX_CASES:
        yield ("cases",), f"{len(cases.cases):,} cases: at most {MAX_CASES:,} (each is scored in full)"
        return
    for i, case in enumerate(cases.cases):
        try:
            quiz_id = decode(kb, case.answers)[0]
        except RolefitError as e:
            yield ("cases", i, "answers"), e.message
            continue
        verdicts = [*kb.candidates(kb.quizzes[quiz_id]), BOTH, NEITHER]
        for j, expected in enumerate(case.expected):
            if expected not in verdicts:
                yield ("cases", i, "expected", j), f"unknown verdict {quoted(expected)}{known(verdicts)}"
        if case.reader is not None and case.reader not in verdicts:
            yield ("cases", i, "reader"), f"unknown verdict {quoted(case.reader)}{known(verdicts)}"


def read(kb: KnowledgeBase, source: str | Path) -> tuple[str, CaseFile]:
    """A case file checked against `kb`: its name as messages give it, and its cases; or a
    RolefitError naming the first problem's file, line and field."""
    document, cases = load_cases(source)
    found = list(problems(kb, cases))
    if found:
        more = f" (and {len(found) - 1} more problem{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
        raise RolefitError(document.problem(*found[0]) + more)
    return document.name, cases


def validate_file(kb: KnowledgeBase, source: str | Path) -> Validation:
    """Every problem in a case file, against its schema and then against `kb`; nothing raised
    for what is wrong with the file."""
    name = "<stdin>" if isinstance(source, StandardInput) else shown_name(source)
    try:
        document, cases, found = read_cases(source)
    except RolefitError as e:
        if e.exit_code == ExitCode.FAILED:
            raise
        return Validation(name, (unparsed(name, e.message),), None)
    if cases is not None:
        found = list(problems(kb, cases))
    listed = tuple(
        FileProblem(document.name, document.line_of(loc), format_location(document.data, loc), message)
        for loc, message in found
    )
    if listed or cases is None:
        return Validation(document.name, listed, None)
    held = sum(c.held_out for c in cases.cases)
    return Validation(document.name, (), None, f"{len(cases.cases)} cases ({held} set aside)")


def about_cases(kb: KnowledgeBase, source: str | Path) -> CasesAudit | None:
    """The agreement with the case file the knowledge base's `about` names, beside the file at
    `source`; None when it names none (or the knowledge base is read from stdin)."""
    if kb.about is None or kb.about.cases is None or isinstance(source, StandardInput):
        return None
    path = neighbour(source, kb.about.cases, "a case file the knowledge base's about.cases names")
    if not path.exists():
        raise RolefitError(f"{path}: no such file (the knowledge base's about.cases names it)")
    return audit_cases(kb, read(kb, path)[1])


def audit_cases(kb: KnowledgeBase, cases: CaseFile, quiz_ids: Sequence[str] | None = None) -> CasesAudit:
    """Every case scored and compared (only those of `quiz_ids`, when given)."""
    results = []
    scored: dict[str, QuizResult] = {}  # people who gave the same answers are scored once
    for case in cases.cases:
        quiz_id, answers, weights = decode(kb, case.answers)
        if quiz_ids is not None and quiz_id not in quiz_ids:
            continue
        result = scored.get(case.answers) or scored.setdefault(case.answers, score(kb, quiz_id, answers, weights))
        verdict = result.verdict
        got = verdict.roles[0] if verdict.kind == "single" else BOTH if verdict.kind == "both" else NEITHER
        reader = None if case.reader is None else judge(kb, quiz_id, case.reader, case.expected)
        judged = judge(kb, quiz_id, got, case.expected)
        results.append(CaseResult(case, quiz_id, got, verdict.roles, result.stability.label, *judged, reader))
    read = [(r.case, r.reader) for r in results if r.reader is not None]
    return CasesAudit(
        tuple(results),
        scorecard([(r.case, Judged(r.agrees, r.opposite)) for r in results]),
        scorecard(read) if read else None,
        cases.threshold,
    )
