"""A report to keep: what a quiz's result says, as sections of plain blocks
(`blocks`) that `html` and `markdown` each write out, so that
both say the same; and the text of the file `--report` names.

Nothing here is markup: every string is knowledge-base or rolefit text, which
the writers escape. The report holds the quiz and the day, the verdict and how
solid it is, each role's fit, why, what to do next (steps, pay, the checklist),
every answer given, the command that replays it, and the source of every figure shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rolefit.errors import RolefitError, quoted
from rolefit.kb.glossary import strings, used
from rolefit.kb.models import DIMENSIONS, About, Caution, KnowledgeBase
from rolefit.kb.regions import pay_for
from rolefit.scoring.results import QuizResult
from rolefit.views.report.blocks import (
    Block,
    Chart,
    Code,
    Item,
    Items,
    Paragraph,
    Report,
    RoleBars,
    Section,
    Subheading,
    Table,
)
from rolefit.views.wording import (
    area_line,
    by_region,
    caution_detail,
    dated,
    figure_detail,
    figure_value,
    paths,
    reviewed_on,
    sourced,
    step_detail,
    table_detail,
)

if TYPE_CHECKING:
    from rolefit.kb.regions import Place

#: The formats `--report` writes, by the file name's extension.
FORMATS = {".html": "html", ".md": "markdown"}


def report_text(
    path: Path, kb: KnowledgeBase, result: QuizResult, replay: str, place: Place | None, today: datetime.date
) -> str:
    """The report for the file `path`, in the format its extension names; `replay` is the
    command that gives the same result again."""
    made = build(kb, result, replay, place, today)
    if report_format(path) == "html":
        from rolefit.views.report.html import page

        return page(made)
    from rolefit.views.report.markdown import document

    return document(made)


def report_format(path: Path) -> str:
    """The format `path`'s extension asks for, or an error naming the known ones."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        known = " or ".join(FORMATS)
        raise RolefitError(f"--report {quoted(str(path))}: expected a file name ending in {known}")
    return found


def build(kb: KnowledgeBase, result: QuizResult, replay: str, place: Place | None, today: datetime.date) -> Report:
    """The report of `result`, as sections of blocks."""
    quiz = kb.quizzes[result.quiz]
    about = [kb.title, f"Taken on {today.day} {today:%B %Y}"]
    if place is not None:
        about.append(f"Region: {place.name}")
    sections = [
        *_result_part(kb, result),
        *_plan_part(kb, result, place, today),
        *_record_part(kb, result, replay, place, today),
    ]
    words = _words(kb, (quiz.title, about, sections))
    if words is not None:
        sections.append(words)
    return Report(quiz.title, tuple(about), tuple(sections))


def _words(kb: KnowledgeBase, report: object) -> Section | None:
    """The glossary's definitions of the terms the report uses, in the order of first use."""
    entries = used(kb, strings(report))
    if not entries:
        return None
    items = (Item(f"{term}: {entry.definition}", sourced(entry)) for term, entry in entries)
    return Section("Words used here", (Items(tuple(items)),))


def _result_part(kb: KnowledgeBase, result: QuizResult) -> tuple[Section, ...]:
    verdict, stability = result.verdict, result.stability
    decision = kb.quizzes[result.quiz].decision
    said: list[Block] = [Paragraph(f"The decision: {decision}", "muted")] if decision else []
    said.append(Paragraph(verdict.summary, "verdict"))
    said += [Paragraph(text, "warning") for text in dict.fromkeys(r.text for r in verdict.ruled_out)]
    said.append(Paragraph(f"How solid: {stability.text}"))
    said += [Paragraph(w.text, "warning") for w in result.warnings]
    if result.notes:
        said += [Subheading("Before you start"), Items(tuple(Item(n.text) for n in result.notes))]
    sections = [Section("Verdict", tuple(said)), Section("How well each role fits", _fits(kb, result))]
    if result.readiness:
        items = []
        for r in result.readiness:
            said_as = "Yes" if r.answer else "No" if r.answer is False else "Skipped"
            items.append(Item(f"{r.text} {said_as}.", r.help if r.answer is False else ""))
        sections.append(Section("Ready to decide?", (Items(tuple(items)),)))
    if verdict.reasons:
        sections.append(Section("Why", (Items(tuple(Item(r.text) for r in verdict.reasons)),)))
    return tuple(sections)


def _fits(kb: KnowledgeBase, result: QuizResult) -> tuple[Block, ...]:
    dimensions = [d for d in DIMENSIONS if any(d in f.dimensions for f in result.shown_fits())]
    quiz = kb.quizzes[result.quiz]
    names = ["Overall", *(kb.dimension_name(d, quiz) for d in dimensions)]
    recommended = set(result.verdict.roles)
    bars, rows = [], []
    for fit in result.shown_fits():
        known = bool(fit.traits)
        values = [fit.fit if known else None, *(fit.dimensions.get(d) for d in dimensions)]
        bars.append(
            RoleBars(fit.name, tuple(zip(names, values, strict=True)), fit.role in recommended, bool(fit.ruled_out_by))
        )
        overall = "not known" if not known else f"{fit.fit:.0f} (ruled out)" if fit.ruled_out_by else f"{fit.fit:.0f}"
        rows.append((fit.name, overall, *("–" if v is None else f"{v:.0f}" for v in values[1:])))
    table = Table("Fit from 0 to 100, best first", ("Role", *names), tuple(rows), numbers=True)
    return (Chart("Each role's fit, overall and per dimension (0 to 100)", tuple(bars)), table)


def _plan_part(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> tuple[Section, ...]:
    sections = [
        _both_sides(kb, result, place, today),
        _steps(kb, result, place, today),
        _pay(kb, result, place, today),
        _checks(kb, result, place, today),
    ]
    return tuple(s for s in sections if s is not None)


def _both_sides(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> Section:
    """Each option the verdict weighs: reasons to choose it and to think twice, and its sheet."""
    quiz = kb.quizzes[result.quiz]
    candidates = kb.candidates(quiz)
    blocks: list[Block] = []

    def sourced(title: str, items: Sequence[Caution]) -> None:
        blocks.append(Subheading(title, 4))
        for region, group in by_region(kb, items, place):
            if region:
                blocks.append(Paragraph(region, "muted"))
            blocks.append(Items(tuple(Item(c.text, caution_detail(c, today)) for c in group)))

    for candidate_id in result.weighed():
        candidate = candidates[candidate_id]
        blocks += [Subheading(candidate.name), Subheading("Choose this if", 4)]
        blocks.append(Items(tuple(Item(line) for line in quiz.reasons(candidate_id, candidate))))
        downsides = quiz.cautions(candidate_id, candidate)
        if downsides:
            sourced("Think twice if", downsides)
        sheet = quiz.sheets.get(candidate_id)
        if sheet is not None:
            sourced("What it costs", sheet.cost)
            blocks += [Subheading("Attention", 4), Paragraph(sheet.attention)]
            if sheet.evidence:
                sourced("What studies found", sheet.evidence)
    return Section("Weigh both sides", tuple(blocks))


def _steps(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> Section | None:
    steps = result.plan.steps
    if not steps:
        return None
    blocks: list[Block] = []
    for role_id in dict.fromkeys(s.role for s in steps):
        candidates = kb.candidates(kb.quizzes[result.quiz])
        blocks.append(Subheading("For both: the path many take" if role_id is None else candidates[role_id].name))
        for region, path in paths(kb, [s.step for s in steps if s.role == role_id], place):
            if region:
                blocks.append(Subheading(region, 4))
            blocks.append(Items(tuple(Item(step.text, step_detail(step, today)) for step in path), "numbers"))
    return Section("Next steps", tuple(blocks))


def _pay(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> Section | None:
    plan = result.plan
    local = pay_for(kb, place, plan.pay_roles)
    if not plan.pay and not local:
        return None
    blocks: list[Block] = []
    if local:
        blocks.append(Items((Item(area_line(local), table_detail(local, today)),)))
    shown = (p.figure for p in plan.pay if not (local and local.repeats(p.figure)))
    for region, figures in by_region(kb, shown, place):
        if region:
            blocks.append(Subheading(region))
        blocks.append(Items(tuple(Item(figure_value(f), figure_detail(f, today)) for f in figures)))
    return Section("Pay", tuple(blocks))


def _checks(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> Section | None:
    checklist = result.plan.checklist
    if not checklist:
        return None
    blocks: list[Block] = []
    for region, checks in by_region(kb, checklist, place):
        if region:
            blocks.append(Subheading(region))
        blocks.append(Items(tuple(Item(c.text, f"{c.source}, {dated(c.period, today)}.") for c in checks), "checks"))
    return Section("Before you decide, check", tuple(blocks))


def _record_part(
    kb: KnowledgeBase, result: QuizResult, replay: str, place: Place | None, today: datetime.date
) -> tuple[Section, ...]:
    quiz = kb.quizzes[result.quiz]
    rows = []
    for question in quiz.questions:
        option = question.option(result.answers.get(question.id) or "")
        rows.append((question.text, option.label if option else "Skipped"))
    answers: list[Block] = [Table("Each question and the answer given", ("Question", "Your answer"), tuple(rows))]
    changed = [f"{kb.dimension_name(d, quiz)} ×{w:g}" for d, w in result.weights.items() if w != 1.0]
    if changed:
        answers.append(Paragraph("Weights: " + ", ".join(changed) + "; the others ×1."))
    again = (Paragraph("To see this result again:"), Code(replay))
    sections = [Section("Your answers", tuple(answers)), Section("Replay", again)]
    sources = _sources(kb, result, place, today)
    if sources:
        sections.append(Section("Sources", (Items(sources),)))
    if kb.about is not None:
        sections.append(_about(kb.about, today))
    return tuple(sections)


def _about(about: About, today: datetime.date) -> Section:
    """What the guide is, from the knowledge base's own account: `rolefit about` says it all."""
    parts = (
        ("Last reviewed", reviewed_on(datetime.date.fromisoformat(about.reviewed), today)),
        ("Who wrote it", about.authors),
        ("Funding and ties", about.funding),
        ("What a fit means", about.meaning),
    )
    blocks: list[Block] = []
    for title, said in parts:
        blocks += [Subheading(title), Paragraph(said)]
    blocks.append(Paragraph("More, and how it agrees with real people's cases: rolefit about", "muted"))
    return Section("About this guide", tuple(blocks))


def _sources(kb: KnowledgeBase, result: QuizResult, place: Place | None, today: datetime.date) -> tuple[Item, ...]:
    """Where every figure shown comes from, each source once, with what it supports."""
    found: dict[str, list[str]] = {}

    def cite(source: str, period: str, what: str) -> None:
        found.setdefault(f"{source}, {dated(period, today)}", []).append(what)

    plan = result.plan
    local = pay_for(kb, place, plan.pay_roles)
    if local is not None:
        cite(local.table.source, local.table.period, local.table.label)
    for pay in plan.pay:
        cite(pay.figure.source, pay.figure.period, pay.figure.label)
    for planned in plan.steps:
        if planned.step.time or planned.step.cost:
            cite(planned.step.source, planned.step.period, _short(planned.step.text))
    quiz = kb.quizzes[result.quiz]
    candidates = kb.candidates(quiz)
    for candidate_id in result.weighed():
        sheet = quiz.sheets.get(candidate_id)
        extra = sheet.cost + sheet.evidence if sheet else ()
        for caution in (*quiz.cautions(candidate_id, candidates[candidate_id]), *extra):
            cite(caution.source, caution.period, _short(caution.text))
    return tuple(Item(source, _for(what)) for source, what in found.items())


def _for(what: list[str]) -> str:
    """What a source is cited for: each text once, in order, as one sentence."""
    said = "; ".join(dict.fromkeys(what))
    return f"For: {said}" + ("" if said.endswith(("…", ".", "?", "!")) else ".")


def _short(text: str, most: int = 60) -> str:
    """A text's opening, cut between words: at most `most` characters, with "…" when cut."""
    text = text.strip()
    if len(text) <= most:
        return text.rstrip(".")
    cut = text[: most - 1]
    if " " in cut and not text[most - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"
