"""Rich views of what follows a verdict, and of what differs by region: next steps,
figures, an area's pay and a checklist, each with its source and period.

As in `rolefit.views.terminal`, knowledge-base text is data, never markup, and nothing here
computes a result: `rolefit.scoring.plan` and `rolefit.kb.regions` do.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from rolefit.kb.models import Caution, Check, Figure, KnowledgeBase, Step
from rolefit.kb.regions import pay_for
from rolefit.views.drawing import Either, read_command
from rolefit.views.rich_text import heading, listed, plain_or, text
from rolefit.views.wording import (
    SOURCE,
    area_line,
    by_region,
    caution_detail,
    dated,
    figure_detail,
    figure_source,
    figure_value,
    paths,
    step_detail,
    table_detail,
)

if TYPE_CHECKING:
    from rolefit.kb.regions import AreaFigures, Place
    from rolefit.scoring.results import QuizResult


def figure_item(figure: Figure, today: datetime.date, *, also: str = "") -> tuple[str, RenderableType]:
    """A figure's value, then what it is, its source and its period (with its age when old).
    Read out, what it is comes first, as a label before its value, and then its source."""
    value = figure_value(figure)
    drawn = Group(text(value, "bold"), text(figure_detail(figure, today, also=also), "dim"))
    read = Group(text(f"{figure.label}{also}: {value}"), text(f"  {figure_source(figure, today)}"))
    return "•", Either(drawn, read)


def figures(
    kb: KnowledgeBase,
    items: Sequence[Figure],
    place: Place | None,
    today: datetime.date,
    remark: Callable[[Figure], str] | None = None,
) -> list[RenderableType]:
    """Figures by region; `remark` adds to a figure's line (that it is not comparable, say)."""
    parts: list[RenderableType] = []
    for name, group in by_region(kb, items, place):
        rows = (figure_item(f, today, also=remark(f) if remark else "") for f in group)
        parts += [*heading(name), listed(rows, said="")]
    return parts


def area_pay(pay: AreaFigures, today: datetime.date) -> RenderableType:
    """An area's pay, with its whole region's beside it, from the region's areas table."""
    detail = plain_or(table_detail(pay, today), table_detail(pay, today, labelled=True), "dim")
    return listed([("•", Group(text(area_line(pay), "bold"), detail))], said="")


def place_line(kb: KnowledgeBase, place: Place | None) -> Text | None:
    """Which regions the figures are for: the one chosen, or how to choose one."""
    if place is not None:
        return text(
            f"Region: {place.name}. {place.left_out} figures, credentials, steps and checks for"
            " other regions are left out.",
            "dim",
        )
    if not kb.regions:
        return None
    codes = list(kb.regions)
    choices = ", ".join(codes[:-1]) + f" or {codes[-1]}" if len(codes) > 1 else codes[0]
    areas = [f"{code}-XX" for code, r in kb.regions.items() if r.areas is not None]
    also = f"; for one area's pay, add the area's code after a dash: {' or '.join(areas)}" if areas else ""
    return text(f"Showing every region. For yours alone: --region {choices}{also}.", "dim")


def _step_item(number: int, step: Step, today: datetime.date) -> tuple[str, RenderableType]:
    detail = plain_or(step_detail(step, today), step_detail(step, today, labelled=True), "dim")
    return f"{number}.", Group(text(step.text), detail)


def steps(kb: KnowledgeBase, items: Sequence[Step], place: Place | None, today: datetime.date) -> list[RenderableType]:
    """Numbered steps, a path per region: what to do, then how long, what it costs and where that comes from."""
    parts: list[RenderableType] = []
    for name, path in paths(kb, items, place):
        parts += [*heading(name), listed(_step_item(n, step, today) for n, step in enumerate(path, 1))]
    return parts


def _checks(
    kb: KnowledgeBase, items: Sequence[Check], place: Place | None, today: datetime.date
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for name, group in by_region(kb, items, place):
        rows = (("☐", Group(text(c.text), _check_detail(c, today))) for c in group)
        parts += [*heading(name), listed(rows, said="To check:")]
    return parts


def _check_detail(check: Check, today: datetime.date) -> Either:
    said = f"{check.source}, {dated(check.period, today)}."
    return plain_or(said, SOURCE + said, "dim")


def cautions(
    kb: KnowledgeBase,
    items: Sequence[Caution],
    place: Place | None,
    today: datetime.date,
    mark: str = "!",
    *,
    most: int | None = None,
    more: str = "",
) -> list[RenderableType]:
    """Sourced points by region, each with where it comes from: downsides, costs, evidence.
    With `most`, the first that many, and a line saying how many more `more` shows. Read out,
    a point has no `mark` (its heading says what it is) and its source is said to be one."""
    left = len(items) if most is None else most
    parts: list[RenderableType] = []
    # Grouped before they are cut short, so that the first few keep their region's heading.
    for name, group in by_region(kb, items, place):
        shown, left = group[: max(left, 0)], left - len(group)
        if shown:
            # A Text a point, as bullets are: a grid per list costs the result's layout dearly.
            rows = (
                Either(
                    text(f"{mark} {c.text}\n").append_text(text(f"  {caution_detail(c, today)}", "dim")),
                    text(f"{c.text}\n  {caution_detail(c, today, labelled=True)}"),
                )
                for c in shown
            )
            parts += [*heading(name), *rows]
    if left < 0:
        parts.append(more_line(-left, more))
    return parts


def more_line(count: int, where: str) -> Either:
    """How many more points `where` shows: after an ellipsis for the eye, in words read out."""
    return plain_or(f"… and {count} more: {where}", f"And {count} more: {read_command(where)}", "dim")


#: The fewest downsides the result shows of an option, before "and N more".
SHOWN_DOWNSIDES = 4


def both_sides(
    kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date
) -> list[RenderableType]:
    """For each option the verdict recommends and the best other one: its reasons to choose it
    and to think twice, and what it means for a client when the quiz has a sheet for it."""
    quiz = kb.quizzes[result.quiz]
    candidates = kb.candidates(quiz)
    parts: list[RenderableType] = [text("\nWeigh both sides", "bold")]
    for candidate_id in result.weighed():
        candidate = candidates[candidate_id]
        parts += [text(f"\n{candidate.name}", "bold underline"), text("Choose this if", "bold")]
        upsides = quiz.reasons(candidate_id, candidate)
        parts += [plain_or(f"✓ {line}", line) for line in upsides]
        downsides = quiz.cautions(candidate_id, candidate)
        if downsides:
            # As many as the reasons to choose it, and at least four: the rest are a command away.
            most = max(len(upsides), SHOWN_DOWNSIDES)
            where = f"rolefit show {candidate_id}" + ("" if candidate_id in kb.roles else f" --for {result.quiz}")
            if candidate_id in quiz.sheets:
                where = "the report (--report FILE) or --json"
            parts += [
                text("Think twice if", "bold"),
                *cautions(kb, downsides, place, today, most=most, more=where),
            ]
        sheet = quiz.sheets.get(candidate_id)
        if sheet is not None:
            parts += [text("What it costs", "bold"), *cautions(kb, sheet.cost, place, today, "•")]
            parts += [text("Attention", "bold"), text(sheet.attention)]
            if sheet.evidence:
                parts += [text("What studies found", "bold"), *cautions(kb, sheet.evidence, place, today, "•")]
    return parts


def readiness(result: QuizResult, *, only_no: bool = False) -> list[RenderableType]:
    """The readiness check's answers, and for each "no" what helps (`only_no`: those alone)."""
    if not result.readiness or (only_no and not any(r.answer is False for r in result.readiness)):
        return []
    parts: list[RenderableType] = [text("\nReady to decide?", "bold")]
    rows = []
    for r in result.readiness:
        if only_no and r.answer is not False:
            continue
        said = "You said yes." if r.answer else "You said no." if r.answer is False else "Skipped."
        line = Text.assemble(text(r.text), (f" {said}", "dim"))
        rows.append(
            (
                "✗" if r.answer is False else "✓" if r.answer else "·",
                Group(line, text(r.help)) if r.answer is False else line,
            )
        )
    parts.append(listed(rows, said=""))  # read out, what was said is in words on the line
    if not only_no and not any(r.answer is False for r in result.readiness):
        parts.append(text("Even so, read both sides below before you pay for anything.", "dim"))
    return parts


def plan_view(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> RenderableType:
    """After the verdict: the readiness check's answers, both sides of the options it weighs,
    then the next steps and pay of the roles it recommends, and the checklist."""
    plan, names = result.plan, {r: c.name for r, c in kb.candidates(kb.quizzes[result.quiz]).items()}
    line = place_line(kb, place)
    # Read out, which regions are shown comes before the first item for one: a listener
    # cannot glance ahead to the end for it.
    first = [] if line is None else [Either(Group(), Group(Text(""), line))]
    parts: list[RenderableType] = [*readiness(result), *first, *both_sides(kb, result, place, today)]
    for role_id in dict.fromkeys(s.role for s in plan.steps):
        title = "Next steps, for both: the path many take" if role_id is None else f"Next steps: {names[role_id]}"
        parts += [
            text(f"\n{title}", "bold"),
            *steps(kb, [s.step for s in plan.steps if s.role == role_id], place, today),
        ]
    parts += _pay(kb, result, place, today)
    if plan.checklist:
        parts += [Text("\nBefore you decide, check:", "bold"), *_checks(kb, plan.checklist, place, today)]
    if line is not None:
        parts.append(Either(Group(Text(""), line), Group()))
    return Group(*parts)


def _pay(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> list[RenderableType]:
    """The recommended roles' pay: the area's first when `--region` named one (the reason
    it was named), then each figure once, saying which role it is for when not for all."""
    plan, names = result.plan, {r: c.name for r, c in kb.candidates(kb.quizzes[result.quiz]).items()}
    local = pay_for(kb, place, plan.pay_roles)
    if not plan.pay and not local:
        return []
    parts: list[RenderableType] = [Text("\nPay", "bold")]
    if local:
        parts.append(area_pay(local, today))
    for_roles = {id(p.figure): p.roles for p in plan.pay}
    shown = (p.figure for p in plan.pay if not (local and local.repeats(p.figure)))
    for name, group in by_region(kb, shown, place):
        rows = []
        for figure in group:
            roles = for_roles[id(figure)]
            also = f" ({', '.join(names[r] for r in roles)})" if roles != result.verdict.roles else ""
            rows.append(figure_item(figure, today, also=also))
        parts += [*heading(name), listed(rows, said="")]
    return parts
