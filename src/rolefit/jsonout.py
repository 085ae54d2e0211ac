"""The JSON documents rolefit prints with --json: the contract scripts rely on.

Every document carries `schema_version`; a change that could break a script
that reads these documents raises it (see the README).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rolefit.models import DIMENSIONS, KnowledgeBase
from rolefit.scoring import QuizResult

SCHEMA_VERSION = 1


def compare_document(kb: KnowledgeBase, role_ids: tuple[str, ...]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "title": kb.title,
        "dimensions": [{"id": d, "name": kb.dimension_name(d)} for d in DIMENSIONS],
        "traits": [
            {"id": trait_id, **trait.model_dump(mode="json")} for trait_id, trait in kb.traits.items()
        ],
        "roles": [{"id": role_id, **kb.roles[role_id].model_dump(mode="json")} for role_id in role_ids],
    }


def quiz_document(result: QuizResult) -> dict[str, Any]:
    verdict = result.verdict
    return {
        "schema_version": SCHEMA_VERSION,
        "quiz": result.quiz,
        "answers": dict(result.answers),
        "scores": [
            {
                "role": fit.role,
                "name": fit.name,
                "fit": fit.fit,
                "breakdown": {"dimensions": dict(fit.dimensions), "traits": dict(fit.traits)},
            }
            for fit in result.fits
        ],
        "verdict": {
            "kind": verdict.kind,
            "roles": list(verdict.roles),
            "margin": verdict.margin,
            "summary": verdict.summary,
            "reasons": [
                {
                    "question": r.question,
                    "option": r.option,
                    "towards": r.towards,
                    "points": r.points,
                    "text": r.text,
                }
                for r in verdict.reasons
            ],
        },
    }


def questions_document(kb: KnowledgeBase, quiz_id: str) -> dict[str, Any]:
    quiz = kb.quizzes[quiz_id]
    return {
        "schema_version": SCHEMA_VERSION,
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


# JSON escapes C0 control characters itself; these it would write as they are, and a
# terminal may obey them (U+009B starts a control sequence on some, U+202E reverses
# the line). Escaped, they still decode to the same text.
_TERMINAL_UNSAFE = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def emit(document: dict[str, Any]) -> None:
    """Write one document to stdout; non-ASCII text stays readable, as JSON allows,
    but no character in it can drive a terminal."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise BrokenPipeError
    text = json.dumps(document, indent=2, ensure_ascii=False).translate(_TERMINAL_UNSAFE)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
