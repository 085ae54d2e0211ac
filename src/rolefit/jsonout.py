"""The JSON documents rolefit prints with --json: the contract scripts rely on.

Every document carries `schema_version`; a change that could break a script
that reads these documents raises it (see the README).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolefit.answers import encode
from rolefit.errors import RolefitError
from rolefit.knowledge import Validation
from rolefit.models import DIMENSIONS, KnowledgeBase

if TYPE_CHECKING:
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


def quiz_document(kb: KnowledgeBase, result: QuizResult) -> dict[str, Any]:
    verdict, stability = result.verdict, result.stability
    return {
        "schema_version": SCHEMA_VERSION,
        "quiz": result.quiz,
        "code": encode(result.quiz, kb.quizzes[result.quiz], result.answers, result.weights),
        "answers": dict(result.answers),
        "weights": dict(result.weights),
        "scores": [
            {
                "role": fit.role,
                "name": fit.name,
                "fit": fit.fit,
                "ruled_out_by": fit.ruled_out_by,
                "breakdown": {"dimensions": dict(fit.dimensions), "traits": dict(fit.traits)},
            }
            for fit in result.fits
        ],
        "verdict": {
            "kind": verdict.kind,
            "roles": list(verdict.roles),
            "margin": verdict.margin,
            "summary": verdict.summary,
            "reasons": [asdict(r) for r in verdict.reasons],
            "ruled_out": [asdict(r) for r in verdict.ruled_out],
        },
        "stability": {
            "label": stability.label,
            "text": stability.text,
            "flips": [{**asdict(f), "roles": list(f.roles)} for f in stability.flips],
        },
        "warnings": [asdict(w) for w in result.warnings],
        "explain": [{**asdict(c), "points": dict(c.points)} for c in result.contributions],
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


def validation_document(validation: Validation) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "file": validation.file,
        "valid": validation.valid,
        "problems": [
            {"line": p.line, "path": p.path or None, "message": p.message} for p in validation.problems
        ],
        "counts": validation.counts(),
    }


def emit(document: dict[str, Any]) -> None:
    """Write one document to stdout; non-ASCII text stays readable, as JSON allows."""
    sys.stdout.write(render(document))
    sys.stdout.flush()


def role_document(kb: KnowledgeBase, role_id: str) -> dict[str, Any]:
    role = kb.roles[role_id]
    details = role.model_dump(mode="json", exclude={"traits"})
    traits = [
        {"id": t, "name": trait.name, "dimension": trait.dimension, "value": role.traits[t], "low": trait.low, "high": trait.high}
        for t, trait in kb.traits.items()
    ]
    return {"schema_version": SCHEMA_VERSION, "role": {"id": role_id, **details, "traits": traits}}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save(document: dict[str, Any], path: Path) -> None:
    """Write `document` to `path` atomically: a reader sees the old file or the new, never half of one."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(render(document))
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private; give it the mode the old file had, or a usual one.
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o644)
        os.replace(temporary, path)
    except OSError as e:
        Path(temporary).unlink(missing_ok=True)
        raise RolefitError(f"{path}: cannot write: {e.strerror or e}") from None
