"""The JSON documents rolefit prints with --json: the contract scripts rely on.

Every document carries `schema_version`; a change that could break a script
that reads these documents raises it (see the README).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from rolefit.errors import TERMINAL_UNSAFE
from rolefit.files import writing
from rolefit.models import DIMENSIONS, KnowledgeBase

if TYPE_CHECKING:
    from rolefit.authoring import Validation
    from rolefit.results import QuizResult

SCHEMA_VERSION = 1


def compare_document(kb: KnowledgeBase, role_ids: tuple[str, ...]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "title": kb.title,
        "dimensions": [{"id": d, "name": kb.dimension_name(d)} for d in DIMENSIONS],
        "traits": [{"id": trait_id, **vars(trait)} for trait_id, trait in kb.traits.items()],
        "roles": [{"id": role_id, **vars(kb.roles[role_id])} for role_id in role_ids],
    }


def quiz_document(kb: KnowledgeBase, result: QuizResult) -> dict[str, Any]:
    from rolefit.answers import encode

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
                "breakdown": {"dimensions": fit.dimensions, "traits": fit.traits},
            }
            for fit in result.fits
        ],
        "verdict": {
            "kind": verdict.kind,
            "roles": list(verdict.roles),
            "margin": verdict.margin,
            "summary": verdict.summary,
            "reasons": [r._asdict() for r in verdict.reasons],
            "ruled_out": [r._asdict() for r in verdict.ruled_out],
        },
        "stability": {
            "label": stability.label,
            "text": stability.text,
            "flips": [{**f._asdict(), "roles": list(f.roles)} for f in stability.flips],
        },
        "warnings": [w._asdict() for w in result.warnings],
        "explain": [{**c._asdict(), "points": dict(c.points)} for c in result.contributions],
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
        "problems": [{"line": p.line, "path": p.path or None, "message": p.message} for p in validation.problems],
        "counts": validation.counts(),
    }


# JSON escapes C0 control characters itself; these it would write as they are, and a
# terminal may obey them. Escaped, they still decode to the same text.
_ESCAPES = {c: f"\\u{c:04x}" for c in TERMINAL_UNSAFE}
_UNSAFE_CHARACTER = re.compile("[" + "".join(map(chr, TERMINAL_UNSAFE)) + "]")


def emit(document: dict[str, Any], *, pretty: bool | None = None) -> None:
    """Write one document to stdout: by default indented for a person at a terminal,
    compact for a program.

    Written as UTF-8 bytes, as JSON is, whatever encoding the locale gives stdout.
    """
    out = sys.stdout
    if out is None:  # started with stdout closed (`>&-`)
        raise BrokenPipeError
    text = render(document, pretty=out.isatty() if pretty is None else pretty)
    binary = getattr(out, "buffer", None)
    if binary is None:  # a text-only stream that Python was given in place of stdout
        out.write(text)
        out.flush()
        return
    out.flush()
    binary.write(text.encode())
    binary.flush()


def role_document(kb: KnowledgeBase, role_id: str) -> dict[str, Any]:
    role = kb.roles[role_id]
    details = {k: v for k, v in vars(role).items() if k != "traits"}
    traits = [
        {
            "id": t,
            "name": trait.name,
            "dimension": trait.dimension,
            "value": role.traits[t],
            "low": trait.low,
            "high": trait.high,
        }
        for t, trait in kb.traits.items()
    ]
    return {"schema_version": SCHEMA_VERSION, "role": {"id": role_id, **details, "traits": traits}}


def render(document: dict[str, Any], *, pretty: bool = True) -> str:
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


def save(document: dict[str, Any], path: Path, inputs: Mapping[str, str | Path]) -> None:
    """Write `document` to `path`, never over one of the `inputs` (see `rolefit.files.writing`)."""
    with writing(path, inputs=inputs) as f:
        f.write(render(document).encode())
