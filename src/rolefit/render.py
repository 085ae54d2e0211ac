"""Rich views of rolefit's results, for people at a terminal.

Text from a knowledge base is data, never markup: it goes into rich.text.Text
(which does not read `[bold]`) after `printable` has made control characters
visible. Nothing here computes a result; it only shows one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rolefit.errors import printable
from rolefit.models import DIMENSIONS, KnowledgeBase, Quiz, Role
from rolefit.scoring import QuizResult


def text(value: str, style: str = "") -> Text:
    """Knowledge-base text, safe to print."""
    return Text(printable(value), style=style)


def bullets(lines: Iterable[str], style: str = "") -> Text:
    return Text("\n").join(text(f"• {line}", style) for line in lines)


def compare_view(kb: KnowledgeBase, role_ids: tuple[str, ...]) -> RenderableType:
    table = Table(title=text(kb.title), box=box.ROUNDED, show_lines=True, expand=True)
    table.add_column("", style="bold", width=15)
    for role_id in role_ids:
        table.add_column(text(kb.roles[role_id].name), ratio=1)
    roles = [kb.roles[r] for r in role_ids]
    table.add_row("In short", *(text(r.summary) for r in roles))
    for dimension in DIMENSIONS:
        table.add_row(text(kb.dimension_name(dimension)), *(_aspect(r, dimension) for r in roles))
    table.add_row("Choose this if", *(bullets(r.choose_if) for r in roles))
    return table


def _aspect(role: Role, dimension: str) -> Text:
    aspect = role.aspect(dimension)
    parts = [text(aspect.summary)]
    credentials = getattr(aspect, "credentials", ())
    if credentials:
        parts.append(bullets((c.name for c in credentials), "cyan"))
    for figure in getattr(aspect, "figures", ()):
        marker = " (estimate)" if figure.estimate else ""
        parts.append(text(f"• {figure.value}{marker}", "bold"))
        parts.append(text(f"  {figure.label}. {figure.source}, {figure.period}.", "dim"))
    return Text("\n").join(parts)


def result_view(kb: KnowledgeBase, result: QuizResult) -> RenderableType:
    """Each role's fit, overall and per dimension (a column per role, best first), and the verdict."""
    quiz = kb.quizzes[result.quiz]
    table = Table(title=text(quiz.title), box=box.ROUNDED)
    table.add_column("")
    recommended = set(result.verdict.roles)
    for fit in result.fits:
        table.add_column(text(fit.name, "bold green" if fit.role in recommended else "bold"))
    table.add_row(Text("Overall fit", "bold"), *(Text.assemble(f"{f.fit:>3.0f} ", _bar(f.fit)) for f in result.fits))
    for d in DIMENSIONS:
        if any(d in f.dimensions for f in result.fits):
            cells = (Text(f"{f.dimensions[d]:>3.0f}" if d in f.dimensions else "  –") for f in result.fits)
            table.add_row(text(kb.dimension_name(d)), *cells)
    return Group(table, verdict_view(result))


def _bar(fit: float, width: int = 10) -> Text:
    filled = round(fit / 100 * width)
    return Text("█" * filled, "green") + Text("░" * (width - filled), "dim")


def verdict_view(result: QuizResult) -> RenderableType:
    verdict = result.verdict
    titles = {"single": "Verdict", "both": "Verdict: both", "neither": "Verdict: neither"}
    parts: list[RenderableType] = [text(verdict.summary, "bold")]
    if len(result.fits) > 1 and verdict.roles:
        parts.append(Text(f"Margin: {verdict.margin:g} fit points over the next role.", "dim"))
    if verdict.reasons:
        parts.append(Text("\nWhy:", "bold"))
        parts.append(bullets(r.text for r in verdict.reasons))
    return Panel(Group(*parts), title=titles[verdict.kind], title_align="left", border_style="green")


def questions_view(quiz_id: str, quiz: Quiz) -> RenderableType:
    parts: list[RenderableType] = [text(f"{quiz.title} (quiz id: {quiz_id})", "bold")]
    for question in quiz.questions:
        parts.append(Text.assemble("\n", text(question.id, "cyan"), text(f": {question.text}")))
        parts.append(text(f"  weight {question.weight:g}", "dim"))
        for number, option in enumerate(question.options, 1):
            parts.append(Text.assemble(f"  {number}. ", text(option.id, "cyan"), "  ", text(option.label)))
    return Group(*parts)


class _Output(Console):
    """The console for stdout: a closed pipe is the caller's to handle, not a reason for Rich to exit."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def stdout_console() -> Console:
    # Rich already honours NO_COLOR, FORCE_COLOR, TERM=dumb and a piped stdout.
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise BrokenPipeError
    return _Output(highlight=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)
