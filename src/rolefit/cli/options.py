"""The options that several `rolefit` commands share, and the completions they offer."""

from __future__ import annotations

import contextlib
import datetime
import os
from typing import Annotated

import typer

from rolefit.errors import RolefitError, printable, quoted
from rolefit.files import is_regular_file
from rolefit.kb.load import default_path, load_knowledge_base
from rolefit.kb.models import KnowledgeBase


def _completion_source(ctx: typer.Context) -> str | None:
    """The file `--data` or ROLEFIT_DATA names; None for the built-in knowledge base."""
    return ctx.params.get("data") or os.environ.get("ROLEFIT_DATA") or None


def _completion_knowledge_base(ctx: typer.Context) -> KnowledgeBase | None:
    """The knowledge base `--data` or ROLEFIT_DATA names (else the built-in one), or None."""
    source = _completion_source(ctx)
    if source is not None and not is_regular_file(source):  # a pipe would make Tab wait for its writer
        return None
    try:
        return load_knowledge_base(source)
    except Exception:
        return None


def complete_roles(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Role ids not yet named on the command line, with their names as help."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    given = set(ctx.params.get("roles") or ())
    return [(r, printable(role.name)) for r, role in kb.roles.items() if r.startswith(incomplete) and r not in given]


def complete_shown(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """What `rolefit show` takes: role ids, then the quizzes' alternatives, with their names as help."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    named = {r: role.name for r, role in kb.roles.items()}
    chosen = ctx.params.get("quiz_id")  # --for, typed before the Tab: its quiz's alone
    for quiz_id, quiz in kb.quizzes.items():
        if chosen in (None, quiz_id):
            named.update((a, alternative.name) for a, alternative in quiz.alternatives.items() if a not in named)
    return [(i, printable(name)) for i, name in named.items() if i.startswith(incomplete)]


def complete_quizzes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Quiz ids, with their titles as help."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    return [(q, printable(quiz.title)) for q, quiz in kb.quizzes.items() if q.startswith(incomplete)]


def complete_regions(ctx: typer.Context, incomplete: str) -> list[str]:
    """The codes `--region` takes: each region's (`US`), then each area's (`US-CA`), in any case typed."""
    kb = _completion_knowledge_base(ctx)
    if kb is None:
        return []
    from rolefit.kb.regions import known_codes

    codes = known_codes(kb, _completion_source(ctx) or default_path())
    return [code for code in codes if code.startswith(incomplete.upper())]


# A plain string, not a Click Path: rolefit's own reader says what is wrong with a
# file (missing, unreadable, a directory, too large) in the same words for every file.
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="ROLEFIT_DATA",
        metavar="FILE",
        help="Knowledge base to use instead of the built-in fitness one.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
QuizOption = Annotated[
    str | None,
    typer.Option(
        "--for",
        metavar="QUIZ",
        help="Which quiz: career or hiring in the built-in knowledge base.",
        autocompletion=complete_quizzes,
    ),
]


RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        envvar="ROLEFIT_REGION",
        metavar="CODE",
        help="Show only this region's figures, credentials and steps: US, UK or AU in the built-in"
        " knowledge base, or a US state such as US-CA for its pay beside the national figure.",
        show_default=False,
        autocompletion=complete_regions,
    ),
]


def today() -> datetime.date:
    """Today, for the age of old figures; SOURCE_DATE_EPOCH (seconds since 1970, as reproducible
    builds set it) pins it, so that the same command prints the same text on any day.

    Any other value, or one past the year 9999 (milliseconds, by mistake), is an error, as
    the reproducible-builds specification asks: a day guessed would be a day wrong."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not pinned:
        return datetime.date.today()
    if pinned.isascii() and pinned.isdigit() and len(pinned) <= 12:  # the year 9999 ends at 253402300799
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return datetime.datetime.fromtimestamp(int(pinned), datetime.timezone.utc).date()
    raise RolefitError(f"SOURCE_DATE_EPOCH: expected seconds since 1970, up to the year 9999, got {quoted(pinned)}")
