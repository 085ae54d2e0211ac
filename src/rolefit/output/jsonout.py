"""The JSON documents rolefit prints with --json: built here, written here.

Each builder returns one of the documents `rolefit.output.contract` defines, so that mypy
checks every key and value against the contract that the published schemas are
made from. Every document carries `schema_version`; a change that could break a
script that reads these documents raises it (see docs/reference.md).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, TextIO, cast

import orjson

from rolefit.errors import TERMINAL_UNSAFE
from rolefit.kb.load import default_path
from rolefit.kb.models import DIMENSIONS, KnowledgeBase, Role

if TYPE_CHECKING:
    from rolefit.kb.authoring import Validation
    from rolefit.kb.models import Step
    from rolefit.kb.regions import Place
    from rolefit.output.contract import (
        AboutDocument,
        AgreementJson,
        AlternativeTrait,
        AreaPayJson,
        AuditDocument,
        BothSidesJson,
        CasesAuditDocument,
        CompareDocument,
        Counts,
        DocumentVersion,
        GlossaryEntry,
        QuestionsDocument,
        QuizAudit,
        QuizDocument,
        RegionChosen,
        RoleDetails,
        RoleTrait,
        ScorecardJson,
        ShowDocument,
        StepJson,
        ValidateDocument,
    )
    from rolefit.scoring.audit import Audit
    from rolefit.scoring.cases import Agreement, CasesAudit, Scorecard
    from rolefit.scoring.results import QuizResult

#: The `schema_version` of the --json documents (not of a knowledge-base file, which
#: is `rolefit.kb.models.SCHEMA_VERSION`).
DOCUMENT_VERSION: Final[DocumentVersion] = 1


def _glossary(kb: KnowledgeBase, document: Mapping[str, object]) -> list[GlossaryEntry]:
    """The knowledge base's definitions of the terms that `document`'s text uses."""
    if not kb.glossary:
        return []
    from rolefit.kb.glossary import strings, used

    return [
        {"term": term, "definition": entry.definition, "source": entry.source, "period": entry.period}
        for term, entry in used(kb, strings(document))
    ]


def about_document(kb: KnowledgeBase, cases: CasesAudit | None) -> AboutDocument:
    document: AboutDocument = {
        "schema_version": DOCUMENT_VERSION,
        "title": kb.title,
        "description": kb.description,
        "decisions": [{"quiz": q, "title": quiz.title, "decision": quiz.decision} for q, quiz in kb.quizzes.items()],
        "about": kb.about,
        "cases": None if cases is None else _scorecard(cases.quiz),
        "reader": None if cases is None or cases.reader is None else _scorecard(cases.reader),
        "glossary": [],
    }
    document["glossary"] = _glossary(kb, document)
    return document


def compare_document(kb: KnowledgeBase, role_ids: tuple[str, ...], place: Place | None = None) -> CompareDocument:
    document: CompareDocument = {
        "schema_version": DOCUMENT_VERSION,
        "title": kb.title,
        "region": _region(place),
        "area_pay": _area_pay(kb, place),
        "dimensions": [{"id": d, "name": kb.dimension_name(d)} for d in DIMENSIONS],
        "traits": [
            {"id": t, "name": trait.name, "dimension": trait.dimension, "low": trait.low, "high": trait.high}
            for t, trait in kb.traits.items()
        ],
        "roles": [{**_details(role_id, kb.roles[role_id]), "traits": kb.roles[role_id].traits} for role_id in role_ids],
        "alternatives": [
            {
                "quiz": quiz_id,
                "id": alternative_id,
                "name": alternative.name,
                "summary": alternative.summary,
                "choose_if": alternative.choose_if,
                "traits": alternative.traits,
                "next_steps": alternative.next_steps,
                "think_twice": alternative.think_twice,
            }
            for quiz_id, quiz in kb.quizzes.items()
            for alternative_id, alternative in quiz.alternatives.items()
        ],
        "glossary": [],
    }
    document["glossary"] = _glossary(kb, document)
    return document


def _details(role_id: str, role: Role) -> RoleDetails:
    """Everything about a role but its traits, with the aspects as they are, uncopied
    (orjson writes their fields)."""
    return {
        "id": role_id,
        "name": role.name,
        "summary": role.summary,
        "duties": role.duties,
        "choose_if": role.choose_if,
        "focus": role.focus,
        "environment": role.environment,
        "certifications": role.certifications,
        "client_relationship": role.client_relationship,
        "income": role.income,
        "next_steps": role.next_steps,
        "think_twice": role.think_twice,
    }


def _region(place: Place | None) -> RegionChosen | None:
    if place is None:
        return None
    return {"code": place.code, "region": place.region, "name": place.name, "left_out": place.left_out}


def _area_pay(kb: KnowledgeBase, place: Place | None) -> AreaPayJson | None:
    """The area's pay beside the whole region's, when `--region` named an area."""
    if place is None or place.pay is None:
        return None
    from rolefit.kb.regions import covered_roles

    table = place.pay.table
    return {
        "label": table.label,
        "period": table.period,
        "source": table.source,
        "note": table.note,
        "currency": table.currency,
        "roles": list(covered_roles(kb, table)),
        "area": place.pay.area,
        "whole": place.pay.whole,
    }


def _step(role: str | None, step: Step) -> StepJson:
    return {
        "role": role,
        "text": step.text,
        "time": step.time,
        "cost": step.cost,
        "estimate": step.estimate,
        "region": step.region,
        "source": step.source,
        "period": step.period,
    }


def _placed(kb: KnowledgeBase, places: Mapping[str, float | None]) -> list[AlternativeTrait]:
    """Every trait of `kb`, with its place from `places` (null where an alternative is indifferent)."""
    return [
        {
            "id": t,
            "name": trait.name,
            "dimension": trait.dimension,
            "value": places[t],
            "low": trait.low,
            "high": trait.high,
        }
        for t, trait in kb.traits.items()
    ]


def alternative_document(
    kb: KnowledgeBase, quiz_id: str, alternative_id: str, place: Place | None = None
) -> ShowDocument:
    quiz = kb.quizzes[quiz_id]
    alternative = quiz.alternatives[alternative_id]
    document: ShowDocument = {
        "schema_version": DOCUMENT_VERSION,
        "region": _region(place),
        "area_pay": None,
        "role": None,
        "alternative": {
            "quiz": quiz_id,
            "quiz_title": quiz.title,
            "id": alternative_id,
            "name": alternative.name,
            "summary": alternative.summary,
            "choose_if": alternative.choose_if,
            "traits": _placed(kb, alternative.traits),
            "next_steps": alternative.next_steps,
            "think_twice": alternative.think_twice,
        },
        "glossary": [],
    }
    document["glossary"] = _glossary(kb, document)
    return document


def role_document(kb: KnowledgeBase, role_id: str, place: Place | None = None) -> ShowDocument:
    role = kb.roles[role_id]
    document: ShowDocument = {
        "schema_version": DOCUMENT_VERSION,
        "region": _region(place),
        "area_pay": _area_pay(kb, place),
        "alternative": None,
        "role": {
            **_details(role_id, role),
            "traits": cast("list[RoleTrait]", _placed(kb, role.traits)),  # a role has a place on every trait
        },
        "glossary": [],
    }
    document["glossary"] = _glossary(kb, document)
    return document


def replay_command(code: str, data: str | None, place: Place | None) -> str:
    """The command line that replays answer `code` with the same knowledge base and region.
    The code names its quiz, so `--for` is never needed."""
    return quiz_command(["--code", code], data, place)


def quiz_command(options: list[str], data: str | None, place: Place | None, *, accessible: bool = False) -> str:
    """A `rolefit quiz` command line with `options`, for the same knowledge base and region
    (and `--accessible` when asked), quoted for the shell.

    A knowledge base's file is named by its absolute path, so that the line works from any
    folder; stdin (`-`) stays as it is, since nothing else can stand for it."""
    words = ["rolefit", *(["--accessible"] if accessible else []), "quiz", *options]
    if data == "-":
        words += ["--data", data]
    elif data:
        try:
            if os.path.realpath(data) != os.path.realpath(default_path()):
                words += ["--data", os.path.abspath(data)]
        except OSError:  # a relative path from a working directory removed since: as given
            words += ["--data", data]
    if place is not None:
        words += ["--region", place.code]
    return shlex.join(words)


def quiz_document(
    kb: KnowledgeBase, result: QuizResult, place: Place | None = None, data: str | None = None
) -> QuizDocument:
    """The quiz's result; `data` is the knowledge base's file as given (None: the built-in one)."""
    from rolefit.kb.regions import pay_for
    from rolefit.scoring.answers import encode

    verdict, stability, plan = result.verdict, result.stability, result.plan
    code = encode(result.quiz, kb.quizzes[result.quiz], result.answers, result.weights)
    document: QuizDocument = {
        "schema_version": DOCUMENT_VERSION,
        "quiz": result.quiz,
        "code": code,
        "replay": replay_command(code, data, place),
        "answers": dict(result.answers),
        "weights": dict(result.weights),
        "scores": [
            {
                "role": fit.role,
                "name": fit.name,
                "fit": fit.fit,
                "ruled_out_by": fit.ruled_out_by,
                "alternative": fit.alternative,
                "breakdown": {"dimensions": fit.dimensions, "traits": fit.traits},
            }
            for fit in result.fits
        ],
        "verdict": {
            "kind": verdict.kind,
            "roles": list(verdict.roles),
            "margin": verdict.margin,
            "summary": verdict.summary,
            "reasons": [
                {"question": r.question, "option": r.option, "points": r.points, "towards": r.towards, "text": r.text}
                for r in verdict.reasons
            ],
            "ruled_out": [
                {"role": r.role, "question": r.question, "option": r.option, "text": r.text} for r in verdict.ruled_out
            ],
        },
        "stability": {
            "label": stability.label,
            "changes": stability.changes,
            "text": stability.text,
            "flips": [
                {"question": f.question, "option": f.option, "kind": f.kind, "roles": list(f.roles), "text": f.text}
                for f in stability.flips
            ],
        },
        "warnings": [{"code": w.code, "text": w.text} for w in result.warnings],
        "notes": [{"question": n.question, "option": n.option, "text": n.text} for n in result.notes],
        "region": _region(place),
        "next_steps": [_step(s.role, s.step) for s in plan.steps],
        "pay": [{"roles": list(p.roles), "figure": p.figure} for p in plan.pay],
        "area_pay": _area_pay(kb, place) if pay_for(kb, place, plan.pay_roles) else None,
        "checklist": list(plan.checklist),
        "both_sides": _both_sides(kb, result),
        "readiness": [
            {"question": r.question, "text": r.text, "answer": r.answer, "help": r.help} for r in result.readiness
        ],
        "explain": [
            {
                "question": c.question,
                "option": c.option,
                "possible": c.possible,
                "points": dict(c.points),
                "text": c.text,
            }
            for c in result.contributions
        ],
        "glossary": [],
    }
    document["glossary"] = _glossary(kb, document)
    return document


def questions_document(kb: KnowledgeBase, quiz_id: str) -> QuestionsDocument:
    quiz = kb.quizzes[quiz_id]
    return {
        "schema_version": DOCUMENT_VERSION,
        "quiz": quiz_id,
        "title": quiz.title,
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "weight": q.weight,
                "options": [{"id": o.id, "label": o.label, "neutral": o.neutral} for o in q.options],
            }
            for q in quiz.questions
        ],
    }


def audit_document(kb: KnowledgeBase, audits: Sequence[Audit]) -> AuditDocument:
    return {"schema_version": DOCUMENT_VERSION, "quizzes": [_quiz_audit(kb, a) for a in audits]}


def _quiz_audit(kb: KnowledgeBase, audit: Audit) -> QuizAudit:
    quiz = kb.quizzes[audit.quiz]
    low, middle, high = audit.margins
    return {
        "quiz": audit.quiz,
        "title": quiz.title,
        "answer_sets": audit.answer_sets,
        "every": audit.every,
        "seed": audit.seed,
        "verdicts": [
            {
                "kind": o.kind,
                "roles": list(o.roles),
                "answer_sets": o.answer_sets,
                "share": round(o.answer_sets / audit.answer_sets, 6),
            }
            for o in audit.outcomes
        ],
        "kinds": dict(audit.kinds),
        "stability": dict(audit.labels),
        "margins": {"p10": low, "median": middle, "p90": high},
        "questions": [
            {
                "id": q.question,
                "text": question.text,
                "decides": round(q.decides, 6),
                "moves": dict(q.moves),
                "options": [
                    {
                        "id": o.option,
                        "label": option.label,
                        "neutral": o.neutral,
                        "hedge": o.hedge,
                        "fits": o.fits,
                        "favours": o.favours,
                        "lean": o.lean,
                    }
                    for o, option in zip(q.options, question.options, strict=True)
                ],
            }
            for q, question in zip(audit.questions, quiz.questions, strict=True)
        ],
        "problems": [{"code": p.code, "subject": p.subject, "text": p.text} for p in audit.problems],
    }


def cases_document(file: str, audit: CasesAudit) -> CasesAuditDocument:
    return {
        "schema_version": DOCUMENT_VERSION,
        "file": file,
        "threshold": audit.threshold,
        "passes": audit.passes,
        **_scorecard(audit.quiz),
        "reader": None if audit.reader is None else _scorecard(audit.reader),
        "cases": [
            {
                "id": r.case.id,
                "quiz": r.quiz,
                "source": r.case.source,
                "held_out": r.case.held_out,
                "expected": list(r.case.expected),
                "got": r.got,
                "roles": list(r.roles),
                "label": r.label,
                "agrees": r.agrees,
                "opposite": r.opposite,
                "reader": r.case.reader,
            }
            for r in audit.results
        ],
    }


def _both_sides(kb: KnowledgeBase, result: QuizResult) -> list[BothSidesJson]:
    quiz = kb.quizzes[result.quiz]
    candidates = kb.candidates(quiz)
    return [
        {
            "id": c,
            "name": candidates[c].name,
            "alternative": c not in kb.roles,
            "choose_if": quiz.reasons(c, candidates[c]),
            "think_twice": quiz.cautions(c, candidates[c]),
            "sheet": quiz.sheets.get(c),
        }
        for c in result.weighed()
    ]


def _scorecard(card: Scorecard) -> ScorecardJson:
    return {
        "tuned": _agreement(card.tuned),
        "held_out": _agreement(card.held_out),
        "every": _agreement(card.every),
        "opposite": card.opposite,
    }


def _agreement(agreement: Agreement) -> AgreementJson:
    share = agreement.share
    return {"cases": agreement.cases, "agree": agreement.agree, "share": None if share is None else round(share, 6)}


def validation_document(validation: Validation) -> ValidateDocument:
    counts = validation.counts()
    return {
        "schema_version": DOCUMENT_VERSION,
        "file": validation.file,
        "valid": validation.valid,
        "problems": [{"line": p.line, "path": p.path or None, "message": p.message} for p in validation.problems],
        "counts": None if counts is None else _counts(counts),
    }


def _counts(counts: Mapping[str, int]) -> Counts:
    return {
        "roles": counts["roles"],
        "traits": counts["traits"],
        "quizzes": counts["quizzes"],
        "questions": counts["questions"],
    }


# JSON escapes C0 control characters itself; these it would write as they are, and a
# terminal may obey them. Escaped, they still decode to the same text.
_ESCAPES = {c: f"\\u{c:04x}" for c in TERMINAL_UNSAFE}
_UNSAFE_CHARACTER = re.compile("[" + "".join(map(chr, TERMINAL_UNSAFE)) + "]")


def render(document: Mapping[str, object], *, pretty: bool = True) -> str:
    """The document as JSON text; non-ASCII text stays readable, as JSON allows.

    orjson writes the same text as the standard library's encoder (with
    `ensure_ascii=False`, and `indent=2` or the compact separators), an order of
    magnitude faster: for a knowledge base of a thousand roles, the encoding was
    the largest single cost of a run. It writes knowledge-base records (dataclasses)
    as their fields in order, so documents hold them as they are, uncopied.
    """
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2 if pretty else 0).decode()
    if _UNSAFE_CHARACTER.search(text):  # rare: a scan is much cheaper than translating every time
        text = text.translate(_ESCAPES)
    return text + "\n"


def write(document: Mapping[str, object], out: TextIO, *, pretty: bool | None = None) -> None:
    """Write one document to `out`: by default indented for a person at a terminal,
    compact for a program.

    Written as UTF-8 bytes, as JSON is, whatever encoding the locale gives the stream.
    """
    text = render(document, pretty=out.isatty() if pretty is None else pretty)
    binary = getattr(out, "buffer", None)
    if binary is None:  # a text-only stream that Python was given in place of stdout
        out.write(text)
        out.flush()
        return
    out.flush()
    binary.write(text.encode())
    binary.flush()
